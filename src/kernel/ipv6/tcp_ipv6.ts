// net/ipv6/tcp_ipv6.c: /proc/net/tcp6. skbpath has no IPv6 sockets yet: the
// table is its header line (unpadded, unlike /proc/net/tcp's).
import type { Net } from '../net_namespace.ts';

/** tcp6_seq_show() */
export function tcp6_seq_show(_net: Net): string {
  return '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
}
