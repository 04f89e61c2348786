// net/netfilter/utils.c (nf_ip_checksum), net/core/utils.c
// (inet_proto_csum_replace4/2), include/net/checksum.h (csum_replace4/2) and
// net/ipv4/netfilter.c (ip_route_me_harder): helpers conntrack, NAT and
// REJECT share.
import type { Net } from '../net_namespace.ts';
import { CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { checksumReplace16, checksumReplace32 } from '../../wire/checksum.ts';
import { flowi4, RTN_LOCAL, RTN_UNICAST, RTN_UNSPEC } from '../ipv4/fib.ts';
import { csum_fold, csum_partial, iph_daddr, iph_saddr, iph_tos, rd16, wr16 } from '../ipv4/iphdr.ts';
import { inet_addr_type_dev_table, ip_route_output_key } from '../ipv4/route.ts';

/**
 * nf_ip_checksum(): 0 when the transport checksum is good or need not be
 * checked (CHECKSUM_PARTIAL/UNNECESSARY). A good sum marks the skb
 * CHECKSUM_UNNECESSARY, as __skb_checksum_complete does.
 */
export function nf_ip_checksum(skb: SkBuff, _hook: number, dataoff: number, proto: number): number {
  if (skb.ipSummed === CHECKSUM_PARTIAL || skb.ipSummed === CHECKSUM_UNNECESSARY) return 0;
  const b = skb.head;
  const nh = skb.networkHeader;
  const len = skb.tail - (nh + dataoff);
  let sum = 0;
  if (proto === 6 || proto === 17) {
    const s = iph_saddr(b, nh);
    const d = iph_daddr(b, nh);
    sum = (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + proto + len;
  }
  const r = csum_fold(csum_partial(b, nh + dataoff, len, sum));
  if (r === 0) skb.ipSummed = CHECKSUM_UNNECESSARY;
  return r;
}

/** csum_replace4() on the 16-bit field at b[o]. */
export function csum_replace4(b: Uint8Array, o: number, from: number, to: number): void {
  wr16(b, o, checksumReplace32(rd16(b, o), from >>> 0, to >>> 0));
}

/** csum_replace2() on the 16-bit field at b[o]. */
export function csum_replace2(b: Uint8Array, o: number, from: number, to: number): void {
  wr16(b, o, checksumReplace16(rd16(b, o), from & 0xffff, to & 0xffff));
}

/**
 * inet_proto_csum_replace4(): a transport checksum over a changed 32-bit
 * value. A CHECKSUM_PARTIAL skb holds only the pseudo-header sum, uncomplemented:
 * it changes only when the value is part of the pseudo-header.
 */
export function inet_proto_csum_replace4(b: Uint8Array, o: number, skb: SkBuff, from: number, to: number, pseudohdr: boolean): void {
  if (skb.ipSummed !== CHECKSUM_PARTIAL) csum_replace4(b, o, from, to);
  else if (pseudohdr) wr16(b, o, ~checksumReplace32(~rd16(b, o) & 0xffff, from >>> 0, to >>> 0) & 0xffff);
}

/** inet_proto_csum_replace2() */
export function inet_proto_csum_replace2(b: Uint8Array, o: number, skb: SkBuff, from: number, to: number, pseudohdr: boolean): void {
  if (skb.ipSummed !== CHECKSUM_PARTIAL) csum_replace2(b, o, from, to);
  else if (pseudohdr) wr16(b, o, ~checksumReplace16(~rd16(b, o) & 0xffff, from & 0xffff, to & 0xffff) & 0xffff);
}

/**
 * ip_route_me_harder(): a new output route for a packet whose addresses
 * changed on LOCAL_OUT (DNAT, mangle). 0 or a negative errno.
 */
export function ip_route_me_harder(net: Net, sk: Sock | null, skb: SkBuff, addrTypeIn: number): number {
  const b = skb.head;
  const nh = skb.networkHeader;
  let saddr = iph_saddr(b, nh);
  const dev = skb.dst?.dev ?? null;
  const addrType = addrTypeIn === RTN_UNSPEC ? inet_addr_type_dev_table(net, dev, saddr) : addrTypeIn;
  let flags = 0;
  if (addrType === RTN_LOCAL || addrType === RTN_UNICAST)
    flags |= 1; // FLOWI_FLAG_ANYSRC
  else saddr = 0;
  const fl4 = flowi4({ daddr: iph_daddr(b, nh), saddr, tos: iph_tos(b, nh) & 0xfc, oif: sk ? sk.bindDev : 0, mark: skb.mark, flags });
  const rt = ip_route_output_key(net, fl4);
  if (typeof rt === 'number') return rt;
  skb.dst = rt;
  skb.dev = rt.dev;
  if (rt.error) return -rt.error;
  return 0;
}
