// net/ipv4/route.c: output routes (ip_route_output_key_hash), input routes
// (ip_route_input_noref / ip_route_input_slow) and struct rtable.
import { fib4_rules_early_flow_dissect } from '../core/fib_rules.ts';
import type { DevConfKey } from '../sysctl.ts';
import { IFF_LOOPBACK, IFF_UP, type NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { iph_daddr, iph_saddr } from './iphdr.ts';
import { ETH_P_IP } from '../../wire/ethernet.ts';
import { icmph_code, icmph_gateway } from '../../wire/icmp.ts';
import { __neigh_event_send, NUD_VALID } from '../core/neighbour.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { alloc_skb } from '../skbuff.ts';
import { EINVAL as EINVAL_, ENODEV } from '../uapi/errno.ts';
import { type NlAck, nlAck, RTAX_MTU, RTM_F_CLONED, RTM_F_FIB_MATCH, RTM_F_NOTIFY, type RouteMsg, rtmsg } from '../uapi/rtnetlink_route.ts';
import { fib_dump_info } from './fib_frontend.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { ipv4_is_lbcast, ipv4_is_loopback, ipv4_is_multicast, ipv4_is_zeronet } from './addr.ts';
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
  /** The route's mtu metric is locked (RTAX_LOCK). */
  mtuLock = false;
  /** res->table: the id of the table the FIB answered from, 0 when no lookup was made. */
  table = 0;
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

/** inet_addr_valid_or_nonlocal() (include/net/inet_sock.h): an address a raw or ping socket may bind. */
export function inet_addr_valid_or_nonlocal(net: Net, addr: number): boolean {
  if (!addr || net.sysctl.int('net.ipv4.ip_nonlocal_bind') !== 0) return true;
  const t = inet_addr_type(net, addr);
  return t === RTN_LOCAL || t === RTN_MULTICAST || t === RTN_BROADCAST;
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
    rt.table = res.table;
    return rt;
  }
  devOut = fa.dev as NetDevice;
  if (!fl4.saddr) fl4.saddr = fa.prefsrc || inet_select_addr(net, devOut, fa.gw, fa.gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
  const rt = new Rtable(devOut);
  rt.table = res.table;
  rt.mtuLock = fa.mtuLock === true;
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
export function update_or_create_fnhe(
  net: Net,
  nh: FibAlias,
  daddr: number,
  gw: number,
  pmtu: number,
  locked: boolean,
  expires: number,
): void {
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
  fib4_rules_early_flow_dissect(net, skb, fl);
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
    rt.table = res.table;
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
    rt.table = res.table;
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
  if (skb.protocol !== ETH_P_IP && skb.protocol !== 0) return SKB_DROP_REASON.NOT_SPECIFIED;
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
    saddr: iph_saddr(b, inner),
    daddr: iph_daddr(b, inner),
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
  const code = icmph_code(b, skb.data) & 7;
  const newGw = icmph_gateway(b, skb.data);
  const oldGw = iph_saddr(b, skb.networkHeader);
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
    update_or_create_fnhe(net, res.fa, fl.daddr, newGw, 0, false, net.kernel.now + IP_RT_GC_TIMEOUT_SECS * 1e9);
  }
}

/**
 * ip_rt_gc_timeout (RT_GC_TIMEOUT, 300 s): a global of route.c, in init_net's
 * net.ipv4.route table only; no namespace has it as a sysctl of its own.
 */
const IP_RT_GC_TIMEOUT_SECS = 300;

const IN_DEV = (net: Net, dev: NetDevice, key: DevConfKey): number =>
  Math.max(net.sysctl.devConf('all', key), net.sysctl.devConf(dev.name, key));
const tx_redirects = (net: Net, dev: NetDevice): boolean =>
  net.sysctl.devConf('all', 'send_redirects') !== 0 || net.sysctl.devConf(dev.name, 'send_redirects') !== 0;
const shared_media = (net: Net, dev: NetDevice): boolean =>
  net.sysctl.devConf('all', 'shared_media') !== 0 || net.sysctl.devConf(dev.name, 'shared_media') !== 0;

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
export function fib_validate_source(
  net: Net,
  skb: SkBuff,
  src: number,
  dst: number,
  tos: number,
  oif: number,
  dev: NetDevice,
): { reason: number; onlink: boolean } {
  const rpf = IN_DEV(net, dev, 'rp_filter');
  if (!rpf && (dev.ifindex !== oif || !tx_redirects(net, dev))) {
    if (IN_DEV(net, dev, 'accept_local')) return { reason: 0, onlink: false };
    // custom local routes make the address check too optimistic, custom rules too strict: full check
    if (!net.fib.hasCustomLocalRoutes && !net.fib.hasCustomRules) {
      if (ip_dev_find(net, src)) return { reason: SKB_DROP_REASON.IP_LOCAL_SOURCE, onlink: false };
      return { reason: 0, onlink: false };
    }
  }
  // __fib_validate_source()
  const fl = flowi4({
    oif: 0,
    iif: oif || LOOPBACK_IFINDEX,
    daddr: src,
    saddr: dst,
    tos,
    scope: RT_SCOPE_UNIVERSE,
    mark: net.sysctl.devConf(dev.name, 'src_valid_mark') ? skb.mark : 0,
  });
  // the packet's protocol, with its ports swapped for the reverse direction
  if (fib4_rules_early_flow_dissect(net, skb, fl)) [fl.sport, fl.dport] = [fl.dport, fl.sport];
  const noAddr = !dev.ipPtr || dev.ipPtr.ifaList.length === 0;
  const res = newResult();
  const lastResort = (): { reason: number; onlink: boolean } =>
    rpf ? { reason: SKB_DROP_REASON.IP_RPFILTER, onlink: false } : { reason: 0, onlink: false };
  if (net.fib.fib_lookup(fl, res) !== 0) return lastResort();
  if (res.type !== RTN_UNICAST) {
    if (res.type !== RTN_LOCAL) return { reason: SKB_DROP_REASON.IP_INVALID_SOURCE, onlink: false };
    if (!IN_DEV(net, dev, 'accept_local')) return { reason: SKB_DROP_REASON.IP_LOCAL_SOURCE, onlink: false };
  }
  const fa = res.fa;
  const devMatch = fa?.dev === dev || (res.type === RTN_LOCAL && dev === net.loopbackDev);
  if (devMatch) return { reason: 0, onlink: (fa?.nhScope ?? 0) >= RT_SCOPE_HOST };
  if (noAddr) return lastResort();
  if (rpf === 1) return { reason: SKB_DROP_REASON.IP_RPFILTER, onlink: false };
  fl.oif = dev.ifindex;
  const res2 = newResult();
  let onlink = false;
  if (net.fib.fib_lookup(fl, res2, FIB_LOOKUP_IGNORE_LINKSTATE) === 0 && res2.type === RTN_UNICAST)
    onlink = (res2.fa?.nhScope ?? 0) >= RT_SCOPE_HOST;
  return { reason: 0, onlink };
}

/** ipv4_sysctl_rtcache_flush(): rt_cache_flush() and fnhe_genid_bump(), which forgets every nexthop exception. */
export function ipv4_sysctl_rtcache_flush(net: Net): void {
  net.fnhe.clear();
}

/** jiffies_to_clock_t() of the time left until `expires` (virtual ns), 0 when none is left. */
function clock_t_until(net: Net, expires: number): number {
  const k = net.kernel;
  const jiffies = (ns: number): number => k.initialJiffies + Math.floor(ns / (1e9 / k.HZ));
  const j = jiffies(expires) - jiffies(k.now);
  return j > 0 ? Math.floor((j * 100) / k.HZ) : 0;
}

function cacheinfo(expires: number, error: number): NonNullable<RouteMsg['attrs']['RTA_CACHEINFO']> {
  return { rta_clntref: 0, rta_lastuse: 0, rta_expires: expires, rta_error: error, rta_used: 0, rta_id: 0, rta_ts: 0, rta_tsage: 0 };
}

/**
 * fib_dump_info_fnhe(): the nexthop exceptions (`ip route show cache`), as
 * rt_fill_info() describes them with RTM_F_CLONED, by destination.
 */
export function fib_dump_info_fnhe(net: Net): RouteMsg[] {
  const now = net.kernel.now;
  const out: RouteMsg[] = [];
  for (const e of [...net.fnhe.values()].sort((a, b) => a.daddr - b.daddr)) {
    if (e.expires <= now) continue;
    const msg: RouteMsg = {
      rtm: rtmsg({ rtm_dst_len: 32, rtm_table: 254, rtm_type: RTN_UNICAST, rtm_flags: (e.gw ? RTCF_REDIRECTED : 0) | RTM_F_CLONED }),
      attrs: { RTA_TABLE: 254, RTA_DST: e.daddr, RTA_OIF: e.dev.ifindex },
    };
    const gw = e.gw || e.nhGw;
    if (gw) msg.attrs.RTA_GATEWAY = gw;
    if (e.pmtu) msg.attrs.RTA_METRICS = { RTAX_MTU: e.pmtu, ...(e.locked ? { RTAX_LOCK: 1 << RTAX_MTU } : {}) };
    msg.attrs.RTA_CACHEINFO = cacheinfo(clock_t_until(net, e.expires), 0);
    out.push(msg);
  }
  return out;
}

/**
 * rt_fill_info(): a route a lookup made, as RTM_NEWROUTE with RTM_F_CLONED.
 * `src` is the source the request named (0: none).
 */
function rt_fill_info(
  net: Net,
  rt: Rtable,
  daddr: number,
  src: number,
  fl4: Flowi4 | null,
  tos: number,
  notify: boolean,
  mark: number,
): RouteMsg {
  let flags = rt.flags >>> 0;
  if (rt.dev.flags & IFF_LOOPBACK) flags = (flags | RTCF_LOCAL) >>> 0;
  if (notify) flags = (flags | RTCF_NOTIFY) >>> 0;
  const msg: RouteMsg = {
    rtm: rtmsg({
      rtm_dst_len: 32,
      rtm_tos: tos,
      rtm_table: rt.table < 256 ? rt.table : 252,
      rtm_type: rt.type,
      rtm_flags: ((flags & ~0xffff) | RTM_F_CLONED | (notify ? RTM_F_NOTIFY : 0)) >>> 0,
    }),
    attrs: { RTA_DST: daddr },
  };
  const a = msg.attrs;
  if (rt.table) a.RTA_TABLE = rt.table;
  if (src || rt.isInput) {
    msg.rtm.rtm_src_len = 32;
    a.RTA_SRC = src;
  }
  a.RTA_OIF = rt.dev.ifindex;
  if (!rt.isInput && fl4 && fl4.saddr !== src) a.RTA_PREFSRC = fl4.saddr;
  if (rt.gw4) a.RTA_GATEWAY = rt.gw4;
  if (mark) a.RTA_MARK = mark;
  if (rt.isInput) {
    a.RTA_IIF = rt.iif;
    return msg;
  }
  const now = net.kernel.now;
  const expires = rt.pmtuExpires > now ? clock_t_until(net, rt.pmtuExpires) : 0;
  const mtu = rt.pmtu && expires ? rt.pmtu : rt.mtuMetric;
  if (mtu) a.RTA_METRICS = { RTAX_MTU: mtu, ...(mtu === rt.mtuMetric && rt.mtuLock ? { RTAX_LOCK: 1 << RTAX_MTU } : {}) };
  if (fl4) a.RTA_UID = fl4.uid;
  a.RTA_CACHEINFO = cacheinfo(expires, rt.error);
  return msg;
}

/** inet_rtm_getroute_build_skb(): the dummy packet's IPv4 header and the start of its UDP, TCP or ICMP header. */
function inet_rtm_getroute_build_skb(skb: SkBuff, src: number, dst: number, proto: number, sport: number, dport: number): void {
  skb.resetMacHeader();
  const o = skb.put(20);
  skb.networkHeader = o;
  const b = skb.head;
  b.fill(0, o, o + 20);
  b[o] = 0x45;
  b[o + 9] = proto;
  for (let i = 0; i < 4; i++) {
    b[o + 12 + i] = (src >>> (24 - 8 * i)) & 0xff;
    b[o + 16 + i] = (dst >>> (24 - 8 * i)) & 0xff;
  }
  skb.transportHeader = skb.tail;
  const l4 = proto === 17 ? 8 : proto === 6 ? 20 : proto === 1 ? 8 : 0;
  if (!l4) return;
  const t = skb.put(l4);
  b.fill(0, t, t + l4);
  if (proto === 1) {
    b[t] = 8; // ICMP_ECHO
    return;
  }
  b[t] = sport >> 8;
  b[t + 1] = sport & 0xff;
  b[t + 2] = dport >> 8;
  b[t + 3] = dport & 0xff;
  if (proto === 17) b[t + 5] = 8;
  else {
    b[t + 12] = 5 << 4;
    b[t + 13] = 0x04; // rst
  }
}

/**
 * inet_rtm_getroute(): `ip route get`. Builds the dummy packet
 * (inet_rtm_getroute_build_skb) an input lookup routes; RTM_F_FIB_MATCH
 * answers with the FIB entry instead of the route. A failed lookup frees
 * that skb (kfree_skb: a drop the tracepoints see).
 */
export function inet_rtm_getroute(net: Net, req: RouteMsg): RouteMsg | NlAck {
  const { rtm, attrs } = req;
  const skb = alloc_skb(net.kernel, 64);
  skb.protocol = 0x0800;
  const daddr = attrs.RTA_DST ?? 0;
  const saddr = attrs.RTA_SRC ?? 0;
  inet_rtm_getroute_build_skb(skb, saddr, daddr, attrs.RTA_IP_PROTO || 17, attrs.RTA_SPORT ?? 0, attrs.RTA_DPORT ?? 0);
  const tos = rtm.rtm_tos;
  const mark = attrs.RTA_MARK ?? 0;
  const notify = (rtm.rtm_flags & RTM_F_NOTIFY) !== 0;
  const fail = (err: number): NlAck => {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'inet_rtm_getroute');
    return nlAck(err);
  };
  const fl4 = flowi4({
    daddr,
    saddr,
    tos,
    oif: attrs.RTA_OIF ?? 0,
    mark,
    uid: attrs.RTA_UID ?? 0,
    proto: attrs.RTA_IP_PROTO || 17,
    sport: attrs.RTA_SPORT ?? 0,
    dport: attrs.RTA_DPORT ?? 0,
  });
  const iif = attrs.RTA_IIF ?? 0;
  if (iif) {
    const dev = net.devByIndex.get(iif);
    if (!dev) return fail(-ENODEV);
    skb.dev = dev;
    skb.mark = mark;
    // ip_route_input_rcu(): as if the packet had arrived on dev
    const reason = ip_route_input_noref(net, skb, daddr, saddr, tos & 0xfc, dev);
    const irt = skb.dst;
    let err = reason ? -EINVAL_ : 0;
    if (!err && irt && irt.error) err = -irt.error;
    if (err || !irt) return fail(err || -EINVAL_);
    return rt_fill_info(net, irt, daddr, saddr, null, tos, notify, mark);
  }
  if (rtm.rtm_flags & RTM_F_FIB_MATCH) {
    const res = newResult();
    const err = net.fib.fib_lookup(fl4, res);
    if (err || !res.fa) return fail(err || -ENETUNREACH);
    return fib_dump_info(res.fa, res.table);
  }
  const rt = ip_route_output_key(net, fl4);
  if (typeof rt === 'number') return fail(rt);
  return rt_fill_info(net, rt, daddr, saddr, fl4, tos, notify, mark);
}
