// net/ipv4/route.c: output routes (ip_route_output_key_hash), input routes
// (ip_route_input_noref / ip_route_input_slow) and struct rtable.
import { IFF_LOOPBACK, IFF_UP, type NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { rd32 } from './iphdr.ts';
import { __neigh_event_send, NUD_VALID } from '../core/neighbour.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import {
  ipv4_is_lbcast,
  ipv4_is_loopback,
  ipv4_is_multicast,
  ipv4_is_zeronet,
} from './addr.ts';
import { inet_select_addr } from './devinet.ts';
import { EHOSTUNREACH, EINVAL, ENETUNREACH } from '../uapi/errno.ts';
import {
  type Flowi4,
  flowi4,
  newResult,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
  RTN_UNREACHABLE,
  RTN_UNSPEC,
  FIB_LOOKUP_IGNORE_LINKSTATE,
  type FibAlias,
} from './fib.ts';
import { ENODEV } from '../uapi/errno.ts';

export const RTCF_NOTIFY = 0x00010000;
export const RTCF_REDIRECTED = 0x00040000;
export const RTCF_DOREDIRECT = 0x01000000;
export const RTCF_BROADCAST = 0x10000000;
export const RTCF_MULTICAST = 0x20000000;
export const RTCF_LOCAL = 0x80000000;

export const LOOPBACK_IFINDEX = 1;

export type DstInput = 'ip_local_deliver' | 'ip_forward' | 'ip_error' | 'ip_mr_input';

/** struct rtable (with its dst_entry). */
export class Rtable {
  type = RTN_UNSPEC;
  flags = 0;
  /** dst.dev */
  dev: NetDevice;
  /** rt_gw4; 0 for on-link */
  gw4 = 0;
  isInput = false;
  iif = 0;
  input: DstInput = 'ip_local_deliver';
  /** dst.error, positive errno */
  error = 0;
  /** rt_pmtu learned from ICMP, 0 when none */
  pmtu = 0;
  /** dst.expires (ns) when a nexthop exception shaped this route, else 0 */
  pmtuExpires = 0;
  /** route metric mtu */
  mtuMetric = 0;
  /** The preferred source the route picked (fl4->saddr after lookup). */
  src = 0;
  constructor(dev: NetDevice) {
    this.dev = dev;
  }
}

export function rt_is_input_route(rt: Rtable): boolean {
  return rt.isInput;
}

/** ip_dst_mtu_maybe_forward / dst_mtu(): the path MTU of a route. */
export function dst_mtu(rt: Rtable, now: number): number {
  if (rt.pmtu && rt.pmtuExpires > now) return rt.pmtu;
  if (rt.mtuMetric) return rt.mtuMetric;
  return rt.dev.mtu;
}

/** inet_lookup_ifaddr_rcu(): the device `addr` is configured on, if any. */
export function ip_dev_find(net: Net, addr: number): NetDevice | null {
  for (const d of net.devices) {
    if (d.ipPtr?.ifaList.some((i) => i.local === addr)) return d;
  }
  return null;
}

/**
 * __ip_dev_find(): the device `addr` is configured on; failing that, a local
 * route's device from the local table (127.0.0.9 on lo: "communication over
 * loopback subnets"), a lookup the fib tracepoint sees.
 */
export function __ip_dev_find(net: Net, addr: number): NetDevice | null {
  const d = ip_dev_find(net, addr);
  if (d) return d;
  const res = newResult();
  if (net.fib.fib_table_lookup(RT_TABLE_LOCAL, flowi4({ daddr: addr }), res, 0) === 0 && res.type === RTN_LOCAL) return res.fa?.dev ?? null;
  return null;
}

/** __inet_dev_addr_type(): RTN_* of an address, from the local table (fires the table 255 lookup). */
export function inet_addr_type_dev_table(net: Net, dev: NetDevice | null, addr: number): number {
  if (ipv4_is_zeronet(addr) || ipv4_is_lbcast(addr)) return RTN_BROADCAST;
  if (ipv4_is_multicast(addr)) return RTN_MULTICAST;
  const res = newResult();
  const fl = flowi4({ daddr: addr, oif: 0 });
  void dev;
  if (net.fib.fib_table_lookup(RT_TABLE_LOCAL, fl, res, 0) === 0) return res.type;
  return RTN_UNICAST;
}

export function inet_addr_type(net: Net, addr: number): number {
  return inet_addr_type_dev_table(net, null, addr);
}

/**
 * ip_route_output_key_hash(): returns the route or a negative errno; fills
 * fl4.saddr as Linux does.
 */
export function ip_route_output_key(net: Net, fl4: Flowi4): Rtable | number {
  fl4.iif = LOOPBACK_IFINDEX;
  let devOut: NetDevice | null = null;
  if (fl4.saddr) {
    if (ipv4_is_multicast(fl4.saddr) || ipv4_is_lbcast(fl4.saddr) || ipv4_is_zeronet(fl4.saddr)) return -EINVAL;
    if (!(fl4.flags & 1) && !__ip_dev_find(net, fl4.saddr)) return -ENETUNREACH;
  }
  if (fl4.oif) {
    devOut = net.devByIndex.get(fl4.oif) ?? null;
    if (!devOut) return -ENODEV;
    if (!(devOut.flags & IFF_UP) || !devOut.ipPtr) return -ENETUNREACH;
    if (ipv4_is_lbcast(fl4.daddr) || ipv4_is_multicast(fl4.daddr)) {
      if (!fl4.saddr) fl4.saddr = inet_select_addr(net, devOut, 0, RT_SCOPE_LINK);
      const rt = new Rtable(devOut);
      rt.type = ipv4_is_lbcast(fl4.daddr) ? RTN_BROADCAST : RTN_MULTICAST;
      rt.flags = ipv4_is_lbcast(fl4.daddr) ? RTCF_BROADCAST | RTCF_LOCAL : RTCF_MULTICAST;
      rt.src = fl4.saddr;
      return rt;
    }
  }
  if (!fl4.daddr) {
    fl4.daddr = fl4.saddr || 0x7f000001;
    if (!fl4.saddr) fl4.saddr = 0x7f000001;
    const rt = new Rtable(net.loopbackDev);
    rt.type = RTN_LOCAL;
    rt.flags = RTCF_LOCAL;
    rt.src = fl4.saddr;
    return rt;
  }
  const res = newResult();
  const err = net.fib.fib_lookup(fl4, res);
  if (err) {
    if (fl4.oif && devOut) {
      // Apparently the routing tables are wrong; assume the destination is on link.
      if (!fl4.saddr) fl4.saddr = inet_select_addr(net, devOut, 0, RT_SCOPE_LINK);
      const rt = new Rtable(devOut);
      rt.type = RTN_UNICAST;
      rt.src = fl4.saddr;
      return rt;
    }
    return err;
  }
  const fa = res.fa;
  if (!fa) return -ENETUNREACH;
  if (res.type === RTN_LOCAL) {
    if (!fl4.saddr) fl4.saddr = fa.prefsrc || fl4.daddr;
    const rt = new Rtable(net.loopbackDev);
    rt.type = RTN_LOCAL;
    rt.flags = RTCF_LOCAL;
    rt.src = fl4.saddr;
    return rt;
  }
  devOut = fa.dev as NetDevice;
  if (!fl4.saddr) fl4.saddr = fa.prefsrc || inet_select_addr(net, devOut, fa.gw, fa.gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
  const rt = new Rtable(devOut);
  rt.type = res.type;
  if (res.type === RTN_BROADCAST) rt.flags = RTCF_BROADCAST | RTCF_LOCAL;
  if (devOut.flags & IFF_LOOPBACK) rt.flags |= RTCF_LOCAL;
  rt.gw4 = fa.gw;
  rt.mtuMetric = fa.mtu;
  rt.src = fl4.saddr;
  rt_bind_exception(net, rt, fl4.daddr);
  return rt;
}

/** struct fib_nh_exception: what PMTU discovery and redirects taught about one destination. */
export interface FibNhException {
  daddr: number;
  /** fnhe_gw: the gateway a redirect named (0: none) */
  gw: number;
  /** fnhe_pmtu (0: none) and whether it is locked */
  pmtu: number;
  locked: boolean;
  /** fnhe_expires, virtual ns */
  expires: number;
  /** The nexthop device the exception belongs to, and that nexthop's gateway (0: on-link). */
  dev: NetDevice;
  nhGw: number;
}

/** rt_bind_exception(): a live exception for daddr shapes the route. */
function rt_bind_exception(net: Net, rt: Rtable, daddr: number): void {
  const e = net.fnhe.get(daddr);
  if (!e || e.dev !== rt.dev) return;
  if (e.expires <= net.kernel.now) {
    net.fnhe.delete(daddr);
    return;
  }
  if (e.gw) {
    rt.gw4 = e.gw;
    rt.flags |= RTCF_REDIRECTED;
  }
  if (e.pmtu) rt.pmtu = e.pmtu;
  rt.pmtuExpires = e.expires;
}

/** update_or_create_fnhe() */
export function update_or_create_fnhe(net: Net, nh: FibAlias, daddr: number, gw: number, pmtu: number, locked: boolean, expires: number): void {
  const dev = nh.dev as NetDevice;
  let e = net.fnhe.get(daddr);
  if (!e || e.dev !== dev) {
    e = { daddr, gw: 0, pmtu: 0, locked: false, expires: 0, dev, nhGw: nh.gw };
    net.fnhe.set(daddr, e);
  }
  if (gw) e.gw = gw;
  if (pmtu) {
    e.pmtu = pmtu;
    e.locked = locked;
  }
  e.expires = Math.max(1, expires);
}

/**
 * ip_route_input_noref(): attaches an input route to skb. Returns 0 or a
 * drop reason (SKB_DROP_REASON_*), as ip_route_input_slow() does in 6.18.
 */
export function ip_route_input_noref(net: Net, skb: SkBuff, daddr: number, saddr: number, tos: number, dev: NetDevice): number {
  const inDev = dev.ipPtr;
  if (!inDev) return SKB_DROP_REASON.NOT_SPECIFIED;
  if (ipv4_is_multicast(daddr)) {
    // ip_route_input_mc: our own groups are not joined here; treat as not for us
    return SKB_DROP_REASON.IP_INVALID_DEST;
  }
  if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr)) return SKB_DROP_REASON.IP_INVALID_SOURCE;
  if (ipv4_is_lbcast(daddr) || (saddr === 0 && daddr === 0)) return brd_input(net, skb, dev, saddr);
  if (ipv4_is_zeronet(saddr)) return SKB_DROP_REASON.IP_INVALID_SOURCE;
  if (ipv4_is_zeronet(daddr)) return SKB_DROP_REASON.IP_INVALID_DEST;
  const routeLocalnet = net.sysctl.devConf(dev.name, 'route_localnet') || net.sysctl.devConf('all', 'route_localnet');
  if (ipv4_is_loopback(daddr) && !routeLocalnet) return SKB_DROP_REASON.IP_LOCALNET;
  if (ipv4_is_loopback(saddr) && !routeLocalnet) return SKB_DROP_REASON.IP_LOCALNET;

  const fl = flowi4({ oif: 0, iif: dev.ifindex, mark: skb.mark, tos, scope: RT_SCOPE_UNIVERSE, daddr, saddr });
  const res = newResult();
  const err = net.fib.fib_lookup(fl, res);
  const forward = net.sysctl.devConf(dev.name, 'forwarding') !== 0;
  let noRouteErr = 0;
  if (err !== 0) {
    noRouteErr = forward ? -err : EHOSTUNREACH;
    if (noRouteErr === 3) noRouteErr = ENETUNREACH;
  } else if (res.type === RTN_BROADCAST) {
    return brd_input(net, skb, dev, saddr, daddr, tos);
  } else if (res.type === RTN_LOCAL) {
    const v = fib_validate_source(net, skb, saddr, daddr, tos, 0, dev);
    if (v.reason) return v.reason;
    const rt = new Rtable(net.loopbackDev);
    rt.type = RTN_LOCAL;
    rt.flags = RTCF_LOCAL;
    rt.isInput = true;
    rt.iif = dev.ifindex;
    rt.input = 'ip_local_deliver';
    skb.dst = rt;
    return 0;
  } else if (!forward) {
    noRouteErr = EHOSTUNREACH;
  } else if (res.type !== RTN_UNICAST) {
    return SKB_DROP_REASON.IP_INVALID_DEST;
  } else {
    const fa = res.fa;
    const out = fa?.dev;
    if (!fa || !out) return SKB_DROP_REASON.IP_INVALID_DEST;
    // __mkroute_input(): reverse path check against the output device
    const v = fib_validate_source(net, skb, saddr, daddr, tos, out.ifindex, dev);
    if (v.reason) return v.reason;
    const rt = new Rtable(out);
    rt.type = RTN_UNICAST;
    rt.isInput = true;
    rt.iif = dev.ifindex;
    rt.input = 'ip_forward';
    rt.gw4 = fa.gw;
    rt.mtuMetric = fa.mtu;
    // IPSKB_DOREDIRECT: leaving by the interface it came in on, towards an on-link source
    if (out === dev && v.onlink && tx_redirects(net, out) && (shared_media(net, out) || onlink_gw(out, saddr, fa.gw))) {
      rt.flags |= RTCF_DOREDIRECT;
    }
    rt_bind_exception(net, rt, daddr);
    skb.dst = rt;
    return 0;
  }
  // no_route: a route whose input is ip_error
  const rt = new Rtable(net.loopbackDev);
  rt.type = RTN_UNREACHABLE;
  rt.isInput = true;
  rt.iif = dev.ifindex;
  rt.input = 'ip_error';
  rt.error = noRouteErr;
  skb.dst = rt;
  return 0;
}

function brd_input(net: Net, skb: SkBuff, dev: NetDevice, saddr: number, daddr = 0xffffffff, tos = 0): number {
  if (skb.protocol !== 0x0800 && skb.protocol !== 0) return SKB_DROP_REASON.NOT_SPECIFIED;
  if (!ipv4_is_zeronet(saddr)) {
    const v = fib_validate_source(net, skb, saddr, daddr, tos, 0, dev);
    if (v.reason) return v.reason;
  }
  const rt = new Rtable(net.loopbackDev);
  rt.type = RTN_BROADCAST;
  rt.flags = RTCF_BROADCAST | RTCF_LOCAL;
  rt.isInput = true;
  rt.iif = dev.ifindex;
  rt.input = 'ip_local_deliver';
  skb.dst = rt;
  return 0;
}


/** __build_flow_key() for a socket and the quoted header at `inner`. */
function sk_flow_key(sk: Sock, b: Uint8Array, inner: number): Flowi4 {
  return flowi4({
    oif: sk.bindDev,
    mark: sk.mark,
    tos: sk.tos & 0xfc,
    proto: sk.hdrincl ? 255 : sk.protocol,
    saddr: rd32(b, inner + 12),
    daddr: rd32(b, inner + 16),
  });
}

/** ipv4_sk_update_pmtu(): the socket's route to the quoted destination learns `mtu`. */
export function ipv4_sk_update_pmtu(net: Net, skb: SkBuff, sk: Sock, mtu: number): void {
  const fl = sk_flow_key(sk, skb.head, skb.data + 8);
  const rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') return;
  __ip_rt_update_pmtu(net, rt, fl, mtu);
}

/** __ip_rt_update_pmtu(): a nexthop exception with the new MTU for ip_rt_mtu_expires. */
export function __ip_rt_update_pmtu(net: Net, rt: Rtable, fl: Flowi4, mtuIn: number): void {
  const now = net.kernel.now;
  const oldMtu = dst_mtu(rt, now);
  if (oldMtu < mtuIn) return;
  let mtu = mtuIn;
  let lock = false;
  const minPmtu = net.sysctl.int('net.ipv4.route.min_pmtu') || 552;
  const expiresNs = (net.sysctl.int('net.ipv4.route.mtu_expires') || 600) * 1e9;
  if (mtu < minPmtu) {
    lock = true;
    mtu = Math.min(oldMtu, minPmtu);
  }
  if (rt.pmtu === mtu && !lock && now < rt.pmtuExpires - expiresNs / 2) return;
  const res = newResult();
  if (net.fib.fib_lookup(fl, res) === 0 && res.fa?.dev) {
    update_or_create_fnhe(net, res.fa, fl.daddr, 0, mtu, lock, now + expiresNs);
  }
}

/** ipv4_sk_redirect(): a raw or UDP socket's route to the quoted destination learns the new gateway. */
export function ipv4_sk_redirect(net: Net, skb: SkBuff, sk: Sock): void {
  const fl = sk_flow_key(sk, skb.head, skb.data + 8);
  const rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') return;
  __ip_do_redirect(net, rt, skb, fl);
}

/** __ip_do_redirect(): accept a redirect from our current gateway towards an on-link one. */
function __ip_do_redirect(net: Net, rt: Rtable, skb: SkBuff, fl: Flowi4): void {
  const b = skb.head;
  const code = (b[skb.data + 1] as number) & 7;
  const newGw = rd32(b, skb.data + 4);
  const oldGw = rd32(b, skb.networkHeader + 12);
  const dev = skb.dev;
  if (code > 3 || !dev) return;
  if (rt.gw4 !== oldGw) return;
  const forward = net.sysctl.devConf(dev.name, 'forwarding') !== 0;
  const acc = forward
    ? net.sysctl.devConf('all', 'accept_redirects') !== 0 && net.sysctl.devConf(dev.name, 'accept_redirects') !== 0
    : net.sysctl.devConf('all', 'accept_redirects') !== 0 || net.sysctl.devConf(dev.name, 'accept_redirects') !== 0;
  if (newGw === oldGw || !acc || ipv4_is_multicast(newGw) || ipv4_is_lbcast(newGw) || ipv4_is_zeronet(newGw)) return;
  if (!shared_media(net, dev)) {
    if (!onlink_gw(dev, newGw, oldGw)) return;
  } else if (inet_addr_type(net, newGw) !== RTN_UNICAST) return;
  const tbl = net.arpTbl;
  const n = tbl.lookup(rt.dev, newGw) ?? tbl.create(rt.dev, newGw);
  if (!(n.nudState & NUD_VALID)) {
    __neigh_event_send(n, null);
    return;
  }
  const res = newResult();
  if (net.fib.fib_lookup(fl, res) === 0 && res.fa?.dev) {
    update_or_create_fnhe(net, res.fa, fl.daddr, newGw, 0, false, net.kernel.now + (net.sysctl.int('net.ipv4.route.gc_timeout') || 300) * 1e9);
  }
}

const IN_DEV = (net: Net, dev: NetDevice, key: string): number => Math.max(net.sysctl.devConf('all', key), net.sysctl.devConf(dev.name, key));
const tx_redirects = (net: Net, dev: NetDevice): boolean => net.sysctl.devConf('all', 'send_redirects') !== 0 || net.sysctl.devConf(dev.name, 'send_redirects') !== 0;
const shared_media = (net: Net, dev: NetDevice): boolean => net.sysctl.devConf('all', 'shared_media') !== 0 || net.sysctl.devConf(dev.name, 'shared_media') !== 0;

/** inet_addr_onlink(): is saddr (and the gateway, if any) on one of dev's subnets? */
function onlink_gw(dev: NetDevice, saddr: number, gw: number): boolean {
  const on = (a: number): boolean => (dev.ipPtr?.ifaList ?? []).some((i) => ((a ^ i.address) & i.mask) >>> 0 === 0);
  return on(saddr) && (!gw || on(gw));
}

/**
 * fib_validate_source(): the reverse-path check (rp_filter), local sources and
 * martians. `onlink` is Linux's positive return (the source's nexthop has host
 * scope), which decides ICMP redirects.
 */
export function fib_validate_source(net: Net, skb: SkBuff, src: number, dst: number, tos: number, oif: number, dev: NetDevice): { reason: number; onlink: boolean } {
  const rpf = IN_DEV(net, dev, 'rp_filter');
  if (!rpf && (dev.ifindex !== oif || !tx_redirects(net, dev))) {
    if (IN_DEV(net, dev, 'accept_local')) return { reason: 0, onlink: false };
    if (ip_dev_find(net, src)) return { reason: SKB_DROP_REASON.IP_LOCAL_SOURCE, onlink: false };
    return { reason: 0, onlink: false };
  }
  // __fib_validate_source()
  const fl = flowi4({ oif: 0, iif: oif || LOOPBACK_IFINDEX, daddr: src, saddr: dst, tos, scope: RT_SCOPE_UNIVERSE, mark: net.sysctl.devConf(dev.name, 'src_valid_mark') ? skb.mark : 0 });
  const noAddr = !dev.ipPtr || dev.ipPtr.ifaList.length === 0;
  const res = newResult();
  const lastResort = (): { reason: number; onlink: boolean } => (rpf ? { reason: SKB_DROP_REASON.IP_RPFILTER, onlink: false } : { reason: 0, onlink: false });
  if (net.fib.fib_lookup(fl, res) !== 0) return lastResort();
  if (res.type !== RTN_UNICAST) {
    if (res.type !== RTN_LOCAL) return { reason: SKB_DROP_REASON.IP_INVALID_SOURCE, onlink: false };
    if (!IN_DEV(net, dev, 'accept_local')) return { reason: SKB_DROP_REASON.IP_LOCAL_SOURCE, onlink: false };
  }
  const fa = res.fa;
  const devMatch = (fa?.dev === dev) || (res.type === RTN_LOCAL && dev === net.loopbackDev);
  if (devMatch) return { reason: 0, onlink: (fa?.nhScope ?? 0) >= RT_SCOPE_HOST };
  if (noAddr) return lastResort();
  if (rpf === 1) return { reason: SKB_DROP_REASON.IP_RPFILTER, onlink: false };
  fl.oif = dev.ifindex;
  const res2 = newResult();
  let onlink = false;
  if (net.fib.fib_lookup(fl, res2, FIB_LOOKUP_IGNORE_LINKSTATE) === 0 && res2.type === RTN_UNICAST) onlink = (res2.fa?.nhScope ?? 0) >= RT_SCOPE_HOST;
  return { reason: 0, onlink };
}
