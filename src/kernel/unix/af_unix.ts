// net/unix/af_unix.c: /proc/net/unix of a namespace. skbpath has no AF_UNIX
// sockets, so a namespace's table is its header line alone, as a fresh
// namespace's is on Linux.
import type { Net } from '../net_namespace.ts';

/** unix_seq_show() */
export function unix_seq_show(_net: Net): string {
  return 'Num       RefCount Protocol Flags    Type St Inode Path\n';
}
