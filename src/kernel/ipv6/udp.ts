// net/ipv6/udp.c and datagram.c: /proc/net/udp6. skbpath has no IPv6 sockets
// yet: the table is its header line.
import type { Net } from '../net_namespace.ts';

/** udp6_seq_show() */
export function udp6_seq_show(_net: Net): string {
  return '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
}
