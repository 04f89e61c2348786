// net/ipv6/raw.c is icmp6's: this placeholder holds the name v6route calls
// until that branch is merged (it replaces this file whole).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';

/** raw6_local_deliver(): placeholder, no raw sockets. */
export function raw6_local_deliver(_net: Net, _skb: SkBuff, _nexthdr: number): boolean {
  return false;
}
