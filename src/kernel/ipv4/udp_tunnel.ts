// net/ipv4/udp_tunnel_core.c + include/net/udp_tunnel.h + net/core/dst_cache.c:
// the UDP side of a tunnel. The outer route is looked up per destination
// and kept in a dst_cache; the outer UDP header with its checksum (the
// pseudo-header sum, CHECKSUM_PARTIAL, as udp_set_csum leaves it for the
// device) goes in front; iptunnel_xmit does the IP part. The outer source
// port comes from the inner packet's flow hash (udp_flow_src_port).
import type { Kernel } from '../kernel.ts';
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { kprobe } from '../trace/probe.ts';
import { skb_get_hash } from '../core/rps.ts';
import { UDPH_CHECK, UDPH_DEST, UDPH_LEN, UDPH_SOURCE, UDP_HEADER_LEN } from '../../wire/udp.ts';
import { IPPROTO_UDP } from '../../wire/ipv4.ts';
import { csum_fold, wr16 } from './iphdr.ts';
import { flowi4 } from './fib.ts';
import { ip_route_output_key, type Rtable } from './route.ts';
import { inet_get_local_port_range } from './inet_hashtables.ts';
import { iptunnel_xmit } from './ip_tunnel_core.ts';
import { EINVAL, ELOOP, ENETUNREACH } from '../uapi/errno.ts';

/** struct dst_cache_pcpu: one CPU's route, the source it chose, when it was set (jiffies). */
interface DstCachePcpu {
  dst: Rtable | null;
  saddr: number;
  refreshTs: number;
}

/** struct dst_cache: a slot per CPU (made on first use) and when the cache was last reset. */
export interface DstCache {
  cache: Map<number, DstCachePcpu>;
  resetTs: number;
}

/** time_after(a, b) on jiffies */
function time_after(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** dst_cache_init(): reset_ts is now, so a route set within this jiffy is not trusted. */
export function dst_cache_init(k: Kernel): DstCache {
  return { cache: new Map(), resetTs: k.jiffies() };
}

/** dst_cache_reset() */
export function dst_cache_reset(k: Kernel, c: DstCache): void {
  c.resetTs = k.jiffies();
}

/** dst_cache_get_ip4() → dst_cache_per_cpu_get(): this CPU's route, when set after the last reset. */
export function dst_cache_get_ip4(k: Kernel, c: DstCache): { rt: Rtable; saddr: number } | null {
  const idst = c.cache.get(k.sim.smp.cur);
  const dst = idst?.dst;
  if (!idst || !dst) return null;
  if (!time_after(idst.refreshTs, c.resetTs)) {
    idst.dst = null;
    return null;
  }
  return { rt: dst, saddr: idst.saddr };
}

/** dst_cache_set_ip4(): this CPU's slot. */
export function dst_cache_set_ip4(k: Kernel, c: DstCache, dst: Rtable, saddr: number): void {
  c.cache.set(k.sim.smp.cur, { dst, saddr, refreshTs: k.jiffies() });
}

/**
 * udp_flow_src_port(): a source port in [min, max) from the flow hash of the
 * inner packet (skb_get_hash, keyed by the boot's hashrnd), folded so only
 * its upper bits choose. min >= max: ip_local_port_range.
 */
export function udp_flow_src_port(net: Net, skb: SkBuff, minIn: number, maxIn: number): number {
  let min = minIn;
  let max = maxIn;
  if (min >= max) [min, max] = inet_get_local_port_range(net);
  let hash = skb_get_hash(net.kernel, skb) >>> 0;
  hash = (hash ^ (hash << 16)) >>> 0;
  return Number((BigInt(hash) * BigInt(max - min)) >> 32n) + min;
}

/**
 * udp_tunnel_dst_lookup(): the cached route, else ip_route_output_key for
 * UDP from the tunnel's source to the remote (with the source and
 * destination ports); a route back out of the tunnel device is -ELOOP.
 */
export function udp_tunnel_dst_lookup(
  net: Net,
  skb: SkBuff,
  dev: NetDevice,
  oif: number,
  src: number,
  dst: number,
  sport: number,
  dport: number,
  tos: number,
  cache: DstCache | null,
): { rt: Rtable; saddr: number } | number {
  kprobe(net, skb, 'udp_tunnel_dst_lookup');
  if (cache) {
    const hit = dst_cache_get_ip4(net.kernel, cache);
    if (hit) return hit;
  }
  const fl = flowi4({ mark: skb.mark, proto: IPPROTO_UDP, oif, daddr: dst, saddr: src, dport, sport, tos: tos & 0xfc });
  const rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') return rt === -EINVAL ? -EINVAL : -ENETUNREACH;
  if (rt.dev === dev) return -ELOOP;
  const saddr = fl.saddr || rt.src;
  if (cache) dst_cache_set_ip4(net.kernel, cache, rt, saddr);
  return { rt, saddr };
}

/**
 * udp_tunnel_xmit_skb(): the outer UDP header, its checksum (udp_set_csum:
 * none with nocheck, else the pseudo-header sum for the device to finish),
 * then iptunnel_xmit. Takes ownership of skb.
 */
export function udp_tunnel_xmit_skb(
  net: Net,
  rt: Rtable,
  sk: Sock | null,
  skb: SkBuff,
  src: number,
  dst: number,
  tos: number,
  ttl: number,
  df: number,
  sport: number,
  dport: number,
  xnet: boolean,
  nocheck: boolean,
  innerNetworkOffset: number,
): void {
  kprobe(net, skb, 'udp_tunnel_xmit_skb');
  skb.push(UDP_HEADER_LEN);
  skb.resetTransportHeader();
  const b = skb.head;
  const o = skb.transportHeader;
  const len = skb.len;
  wr16(b, o + UDPH_SOURCE, sport);
  wr16(b, o + UDPH_DEST, dport);
  wr16(b, o + UDPH_LEN, len);
  // udp_set_csum()
  if (nocheck) wr16(b, o + UDPH_CHECK, 0);
  else {
    skb.ipSummed = CHECKSUM_PARTIAL;
    const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + IPPROTO_UDP + len;
    wr16(b, o + UDPH_CHECK, ~csum_fold(pseudo) & 0xffff);
  }
  iptunnel_xmit(net, sk, rt, skb, src, dst, IPPROTO_UDP, tos, ttl, df, xnet, 0, innerNetworkOffset + UDP_HEADER_LEN);
}
