// net/ipv6/protocol.c: inet6_protos[], the upper-layer handlers ip6_input
// hands a datagram to by its next header (ICMPv6, UDP, TCP, and the extension
// headers that register as protocols: routing, fragment, destination options).
import type { Kernel } from '../kernel.ts';
import type { SkBuff } from '../skbuff.ts';

/** INET6_PROTO_* (include/net/protocol.h) */
export const INET6_PROTO_NOPOLICY = 0x1;
export const INET6_PROTO_FINAL = 0x2;

/**
 * struct inet6_protocol. handler() takes ownership of skb and returns 0, or a
 * positive next header to resubmit (an extension header's handler), or < 0.
 * err_handler() is icmpv6_notify()'s: type/code of the ICMPv6 error, the offset
 * of the offending header in skb, and the info (mtu, pointer).
 */
export interface Inet6Protocol {
  handler(skb: SkBuff): number;
  err_handler?(skb: SkBuff, type: number, code: number, offset: number, info: number): number;
  flags: number;
}

/** inet6_add_protocol(): 0, or -1 when the slot is taken. */
export function inet6_add_protocol(k: Kernel, prot: Inet6Protocol, protocol: number): number {
  if (k.inet6Protos[protocol]) return -1;
  k.inet6Protos[protocol] = prot;
  return 0;
}

/** inet6_del_protocol(): 0, or -1 when prot is not the one registered. */
export function inet6_del_protocol(k: Kernel, prot: Inet6Protocol, protocol: number): number {
  if (k.inet6Protos[protocol] !== prot) return -1;
  k.inet6Protos[protocol] = undefined;
  return 0;
}
