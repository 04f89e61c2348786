// net/ipv6/route.c: the IPv6 routes of a namespace as packets and sockets
// use them. A lookup (fib6_rule_lookup: the local table, then main, or the
// rules of net/ipv6/fib6_rules.c once any was added) asks
// fib6_table_lookup for the route of the longest prefix that fits (rt6_select
// over the node's routes by metric, device and preference, fib6_backtrack to a
// shorter prefix when none does), fires fib6:fib6_table_lookup, and hands out
// the route's rt6_info (its per-cpu copy, or a cached exception: a learned path
// MTU). Error routes (unreachable, prohibit, blackhole, and ip6_null_entry when
// nothing matches) carry their errno and discard handlers. The rtnetlink side
// (inet6_rtm_newroute/delroute/getroute, inet6_dump_fib, rt6_fill_node) is
// what `ip -6 route` talks to.
import { IFF_LOOPBACK, IFF_UP, type NetDevice } from '../core/netdevice.ts';
import { type FibRule, fib6_rule_match } from '../core/fib_rules.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { EACCES, EAGAIN, EHOSTUNREACH, EINVAL, ENETDOWN, ENETUNREACH, ENODEV, ENOENT, ESRCH } from '../uapi/errno.ts';
import {
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_PROHIBIT,
  FR_ACT_TO_TBL,
  FR_ACT_UNREACHABLE,
  type NlAck,
  nlAck,
  type Route6Msg,
  type RtaCacheinfo,
  rtmsg,
} from '../uapi/rtnetlink_route.ts';
import { __in6_dev_get, type Inet6Dev, ipv6_chk_addr, ipv6_chk_addr_and_flags, ipv6_dev_get_saddr } from './addrconf.ts';
import {
  ipv6_addr_any,
  ipv6_addr_type,
  IPV6_ADDR_LINKLOCAL,
  IPV6_ADDR_LOOPBACK,
  IPV6_ADDR_MAPPED,
  IPV6_ADDR_MULTICAST,
  IPV6_ADDR_UNICAST,
} from './addrconf_core.ts';
import {
  fib6_add,
  fib6_del,
  fib6_get_table,
  fib6_locate,
  fib6_net,
  fib6_new_table,
  fib6_node_lookup,
  fib6_walk,
  fib6_walk_nodes,
  type Fib6Table,
  in6_prefix,
  RT6_TABLE_LOCAL,
  RT6_TABLE_MAIN,
} from './ip6_fib.ts';
import { ip6_input, ip6_mc_input } from './ip6_input.ts';
import { ip6_forward } from './ip6_output.ts';
import { ip6_output } from './ip6_output.ts';
import { icmpv6_send } from './icmp.ts';
import {
  type Fib6Config,
  Fib6Info,
  type Flowi6,
  flowi6,
  IP6_RT_PRIO_ADDRCONF,
  IP6_RT_PRIO_USER,
  IP6CB,
  RTF_ADDRCONF,
  RTF_ANYCAST,
  RTF_CACHE,
  RTF_EXPIRES,
  RTF_GATEWAY,
  RTF_LOCAL,
  RTF_MODIFIED,
  RTF_NONEXTHOP,
  RTF_PCPU,
  RTF_PREF_MASK,
  RTF_REJECT,
  RTF_UP,
  Rt6Info,
  RT6_LOOKUP_F_HAS_SADDR,
  RT6_LOOKUP_F_IFACE,
  RT6_LOOKUP_F_IGNORE_LINKSTATE,
  RT6_LOOKUP_F_REACHABLE,
} from './route_types.ts';
import { in6Equal, ipv6ToString, IPV6_MIN_MTU } from '../../wire/ipv6.ts';

/** IP6_MAX_MTU: 65535 + the header (include/net/ip6_route.h) */
const IP6_MAX_MTU = 0xffff + 40;

// include/uapi/linux/rtnetlink.h
const RTN_UNICAST = 1;
const RTN_LOCAL = 2;
const RTN_ANYCAST = 4;
const RTN_BLACKHOLE = 6;
const RTN_UNREACHABLE = 7;
const RTN_PROHIBIT = 8;
const RTN_THROW = 9;
const RTN_MAX = 11;
const RTPROT_UNSPEC = 0;
const RTPROT_KERNEL = 2;
const RTPROT_BOOT = 3;
const RT_SCOPE_UNIVERSE = 0;
const RTM_F_CLONED = 0x200;
const RTM_F_FIB_MATCH = 0x2000;
export const RTNH_F_DEAD = 1;
const RTNH_F_ONLINK = 4;
export const RTNH_F_LINKDOWN = 16;
const RTAX_MTU = 2;
const NLM_F_CREATE = 0x400;
const AF_INET6 = 10;
const LOOPBACK_IFINDEX = 1;
// ICMPv6 codes of destination unreachable (include/uapi/linux/icmpv6.h)
const ICMPV6_DEST_UNREACH = 1;
const ICMPV6_NOROUTE = 0;
const ICMPV6_ADM_PROHIBITED = 1;
const ICMPV6_ADDR_UNREACH = 3;

/** The default metric addrconf gives prefix and multicast routes. */
export const ADDRCONF_ROUTE_METRIC = IP6_RT_PRIO_ADDRCONF;

/** USER_HZ and HZ for rta_cacheinfo (jiffies_to_clock_t at HZ=250). */
const HZ = 250;
const USER_HZ = 100;
const jiffiesOf = (ns: number): number => Math.floor(ns / (1e9 / HZ));

/** ip6_rt_type_to_error() */
export function ip6_rt_type_to_error(type: number): number {
  switch (type) {
    case RTN_UNREACHABLE:
      return -EHOSTUNREACH;
    case RTN_BLACKHOLE:
      return -EINVAL;
    case RTN_PROHIBIT:
      return -EACCES;
    case RTN_THROW:
      return -EAGAIN;
    default:
      return 0;
  }
}

// --- the discard handlers of error routes ---

/** ip6_pkt_drop(): counts the drop, answers destination unreachable (code), frees skb. */
function ip6_pkt_drop(skb: SkBuff, code: number, out: boolean, fn: string): number {
  const rt = skb.dst6 as Rt6Info;
  const net = rt.dev.net;
  let reason: number = SKB_DROP_REASON.IP_OUTNOROUTES;
  if (!out) {
    const daddr = skb.head.subarray(skb.networkHeader + 24, skb.networkHeader + 40);
    if (ipv6_addr_any(daddr)) {
      net.mib.inc(MIB.Ip6InAddrErrors);
      icmpv6_send(skb, ICMPV6_DEST_UNREACH, code, 0);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_INADDRERRORS, fn);
      return 0;
    }
    reason = SKB_DROP_REASON.IP_INNOROUTES;
  }
  net.mib.inc(out ? MIB.Ip6OutNoRoutes : MIB.Ip6InNoRoutes);
  icmpv6_send(skb, ICMPV6_DEST_UNREACH, code, 0);
  kfree_skb_reason(net, skb, reason, fn);
  return 0;
}

/** ip6_pkt_discard(): the input of an unreachable route (and of ip6_null_entry). */
export function ip6_pkt_discard(skb: SkBuff): number {
  kprobe((skb.dev as NetDevice).net, skb, 'ip6_pkt_discard');
  return ip6_pkt_drop(skb, ICMPV6_NOROUTE, false, 'ip6_pkt_discard');
}

/** ip6_pkt_discard_out(): the output of an unreachable route. */
export function ip6_pkt_discard_out(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_pkt_discard_out');
  skb.dev = (skb.dst6 as Rt6Info).dev;
  return ip6_pkt_drop(skb, ICMPV6_NOROUTE, true, 'ip6_pkt_discard_out');
}

/** ip6_pkt_prohibit(): the input of a prohibit route. */
export function ip6_pkt_prohibit(skb: SkBuff): number {
  kprobe((skb.dev as NetDevice).net, skb, 'ip6_pkt_prohibit');
  return ip6_pkt_drop(skb, ICMPV6_ADM_PROHIBITED, false, 'ip6_pkt_prohibit');
}

/** ip6_pkt_prohibit_out() */
export function ip6_pkt_prohibit_out(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_pkt_prohibit_out');
  skb.dev = (skb.dst6 as Rt6Info).dev;
  return ip6_pkt_drop(skb, ICMPV6_ADM_PROHIBITED, true, 'ip6_pkt_prohibit_out');
}

/** dst_discard(): the input of a blackhole route. */
function dst_discard(skb: SkBuff): number {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'dst_discard_out');
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'dst_discard_out');
  return 0;
}

/** dst_discard_out(): the output of a blackhole route. */
function dst_discard_out(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'dst_discard_out');
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'dst_discard_out');
  return 0;
}

/** net->ipv6.ip6_null_entry: the route of "no route" (error -ENETUNREACH, on lo). */
export function ip6_null_entry(net: Net): Rt6Info {
  let rt = net.ipv6.ip6_null_entry;
  if (!rt) {
    rt = new Rt6Info(net.loopbackDev, ip6_pkt_discard, ip6_pkt_discard_out);
    rt.error = -ENETUNREACH;
    rt.type = RTN_UNREACHABLE;
    rt.rt6i_flags = RTF_REJECT | RTF_NONEXTHOP;
    rt.metrics.hoplimit = 255;
    rt.rt6i_idev = net.loopbackDev.ip6Ptr;
    net.ipv6.ip6_null_entry = rt;
  }
  return rt;
}

// --- metrics of a dst ---

/** ip6_dst_hoplimit(): the route's hop limit metric, else the device's hop_limit. */
export function ip6_dst_hoplimit(rt: Rt6Info): number {
  let h = rt.metrics.hoplimit;
  if (h === 0) {
    const idev = __in6_dev_get(rt.dev);
    h = idev ? idev.cnf.hop_limit : rt.dev.net.ipv6.devconfAll.hop_limit;
  }
  return h;
}

/** rt6_check_expired(): a learned value (RTF_EXPIRES) whose time is up. */
function rt6_check_expired(rt: Rt6Info): boolean {
  if (rt.rt6i_flags & RTF_EXPIRES) return rt.expires !== 0 && jiffiesOf(rt.expires) <= jiffiesOf(rt.dev.net.kernel.now);
  return false;
}

/** ip6_mtu() (ip6_dst_mtu_maybe_forward(dst, false)): the mtu metric, else the device's mtu6. */
export function ip6_mtu(rt: Rt6Info): number {
  let mtu = rt.metrics.mtu;
  if (mtu && rt.rt6i_flags & RTF_CACHE && rt6_check_expired(rt)) mtu = 0;
  if (!mtu) {
    mtu = IPV6_MIN_MTU;
    const idev = __in6_dev_get(rt.dev);
    if (idev) mtu = Math.max(mtu, idev.cnf.mtu6);
  }
  return Math.min(mtu, IP6_MAX_MTU);
}

/** fib6_mtu(): the route's mtu metric, else its device's mtu6 (capped at the device mtu). */
function fib6_mtu(f6i: Fib6Info): number {
  let mtu = f6i.fib6_metrics.mtu;
  const dev = f6i.fib6_nh.fib_nh_dev;
  if (!mtu && dev) {
    const idev = __in6_dev_get(dev);
    mtu = idev ? idev.cnf.mtu6 : IPV6_MIN_MTU;
  }
  return Math.min(mtu, IP6_MAX_MTU);
}

// --- the per-route state this file keeps on a fib6_info ---

/** What route.c hangs on a fib6_info: its per-cpu rt6_info and the exception bucket. */
interface Rt6State {
  pcpu: Rt6Info | null;
  /** rt6i_exception_bucket: cached routes (learned PMTUs) by destination */
  exceptions: Map<string, Rt6Info>;
}

function rt6State(f6i: Fib6Info): Rt6State {
  const o = f6i as Fib6Info & { rt6State?: Rt6State };
  if (!o.rt6State) o.rt6State = { pcpu: null, exceptions: new Map() };
  return o.rt6State;
}

function in6Key(a: Uint8Array): string {
  return ipv6ToString(a);
}

// --- fib6_table_lookup ---

/** struct fib6_result */
interface Fib6Result {
  f6i: Fib6Info | null;
  fib6_flags: number;
  fib6_type: number;
}

/** fib6_check_expired() */
function fib6_check_expired(net: Net, f6i: Fib6Info): boolean {
  return (f6i.fib6_flags & RTF_EXPIRES) !== 0 && f6i.expires !== 0 && jiffiesOf(f6i.expires) <= jiffiesOf(net.kernel.now);
}

/** ip6_ignore_linkdown() */
function ip6_ignore_linkdown(dev: NetDevice): boolean {
  const idev = __in6_dev_get(dev);
  return !!(dev.net.ipv6.devconfAll.ignore_routes_with_linkdown || idev?.cnf.ignore_routes_with_linkdown);
}

/** IPV6_DECODE_PREF(IPV6_EXTRACT_PREF(flags)): low 1, medium 2, high 3. */
function decodePref(flags: number): number {
  const p = ((flags >>> 0) & RTF_PREF_MASK) >>> 27;
  return p === 3 ? 1 : p === 1 ? 3 : p === 0 ? 2 : 0;
}

/** rt6_score_route(): -1 for no match (RT6_NUD_FAIL_HARD), else device match and preference. */
function rt6_score_route(f6i: Fib6Info, oif: number, strict: number): number {
  const dev = f6i.fib6_nh.fib_nh_dev;
  let m = !oif || (dev && dev.ifindex === oif) ? 2 : 0;
  if (!m && strict & RT6_LOOKUP_F_IFACE) return -1;
  m |= decodePref(f6i.fib6_flags) << 2;
  return m;
}

/** find_match() for one route. */
function find_match(net: Net, f6i: Fib6Info, oif: number, strict: number): number {
  const nh = f6i.fib6_nh;
  if (nh.fib_nh_flags & RTNH_F_DEAD) return -1;
  if (nh.fib_nh_dev && nh.fib_nh_flags & RTNH_F_LINKDOWN && ip6_ignore_linkdown(nh.fib_nh_dev) && !(strict & RT6_LOOKUP_F_IGNORE_LINKSTATE))
    return -1;
  if (fib6_check_expired(net, f6i)) return -1;
  return rt6_score_route(f6i, oif, strict);
}

/** rt6_select() → find_rr_leaf(): the best route of the first metric that has a match, else of the rest. */
function rt6_select(net: Net, leaf: readonly Fib6Info[], oif: number, strict: number): Fib6Info | null {
  if (leaf.length === 0) return null;
  const metric0 = (leaf[0] as Fib6Info).fib6_metric;
  let best: Fib6Info | null = null;
  let mpri = -1;
  for (const f6i of leaf) {
    if (f6i.fib6_metric !== metric0) continue;
    const m = find_match(net, f6i, oif, strict);
    if (m > mpri) {
      mpri = m;
      best = f6i;
    }
  }
  if (best) return best;
  for (const f6i of leaf) {
    if (f6i.fib6_metric === metric0) continue;
    const m = find_match(net, f6i, oif, strict);
    if (m > mpri) {
      mpri = m;
      best = f6i;
    }
  }
  return best;
}

/**
 * fib6_table_lookup(): the route of table for fl6 (null: the table's
 * fib6_null_entry); fires fib6:fib6_table_lookup.
 */
export function fib6_table_lookup(net: Net, table: Fib6Table, oif: number, fl6: Flowi6, strict: number): Fib6Result {
  let found: Fib6Info | null = null;
  const nodes = fib6_node_lookup(table, fl6.daddr);
  for (const fn of nodes) {
    found = rt6_select(net, fn.leaf, oif, strict);
    if (found) break;
  }
  if (!found && strict & RT6_LOOKUP_F_REACHABLE) {
    for (const fn of nodes) {
      found = rt6_select(net, fn.leaf, oif, strict & ~RT6_LOOKUP_F_REACHABLE);
      if (found) break;
    }
  }
  const res: Fib6Result = found
    ? { f6i: found, fib6_flags: found.fib6_flags, fib6_type: found.fib6_type }
    : { f6i: null, fib6_flags: RTF_REJECT | RTF_NONEXTHOP, fib6_type: RTN_UNREACHABLE };
  trace_fib6_table_lookup(net, res, table, fl6);
  return res;
}

/** trace_fib6_table_lookup() with TP_printk of include/trace/events/fib6.h. */
function trace_fib6_table_lookup(net: Net, res: Fib6Result, table: Fib6Table, fl6: Flowi6): void {
  const t = net.kernel.tracer;
  if (!t.enabled) return;
  const ports = fl6.flowi6_proto === 6 || fl6.flowi6_proto === 17;
  // a miss answers with fib6_null_entry, whose nexthop is on lo
  const nh = res.f6i?.fib6_nh;
  const dev = nh ? (nh.fib_nh_dev ? nh.fib_nh_dev.name : '-') : net.loopbackDev.name;
  const gw = nh ? ipv6ToString(nh.fib_nh_gw6) : '::';
  const label = fl6.flowlabel & 0xfffff;
  const tos = (fl6.flowlabel >>> 20) & 0xff;
  t.emit(
    'fib6_table_lookup',
    `table ${String(table.tb6_id).padStart(3)} oif ${fl6.flowi6_oif} iif ${fl6.flowi6_iif} proto ${fl6.flowi6_proto} ` +
      `${ipv6ToString(fl6.saddr)}/${ports ? fl6.fl6_sport : 0} -> ${ipv6ToString(fl6.daddr)}/${ports ? fl6.fl6_dport : 0} ` +
      `flowlabel 0x${label.toString(16)} tos ${tos} scope 0 flags ${fl6.flowi6_flags.toString(16)} ==> ` +
      `dev ${dev} gw ${gw} err ${ip6_rt_type_to_error(res.fib6_type)}`,
    net.name,
  );
}

// --- rt6_info from a fib6_info ---

/** ip6_rt_get_dev_rcu(): a copy of a local route lives on lo. */
function ip6_rt_get_dev(net: Net, f6i: Fib6Info): NetDevice {
  const dev = f6i.fib6_nh.fib_nh_dev ?? net.loopbackDev;
  if (f6i.fib6_flags & (RTF_LOCAL | RTF_ANYCAST)) return net.loopbackDev;
  return dev;
}

/** ip6_rt_init_dst() / ip6_rt_init_dst_reject(): the handlers by route type. */
function ip6_rt_init_dst(rt: Rt6Info, f6i: Fib6Info): void {
  if (f6i.fib6_flags & RTF_REJECT) {
    rt.error = ip6_rt_type_to_error(f6i.fib6_type);
    switch (f6i.fib6_type) {
      case RTN_BLACKHOLE:
        rt.input = dst_discard;
        rt.output = dst_discard_out;
        break;
      case RTN_PROHIBIT:
        rt.input = ip6_pkt_prohibit;
        rt.output = ip6_pkt_prohibit_out;
        break;
      default:
        rt.input = ip6_pkt_discard;
        rt.output = ip6_pkt_discard_out;
    }
    return;
  }
  rt.error = 0;
  rt.output = ip6_output;
  if (f6i.fib6_type === RTN_LOCAL || f6i.fib6_type === RTN_ANYCAST) rt.input = ip6_input;
  else if (ipv6_addr_type(f6i.fib6_dst.addr) & IPV6_ADDR_MULTICAST) rt.input = ip6_mc_input;
  else rt.input = ip6_forward;
}

/** ip6_rt_copy_init() into a new rt6_info of f6i. */
function ip6_rt_copy(net: Net, f6i: Fib6Info): Rt6Info {
  const dev = ip6_rt_get_dev(net, f6i);
  const rt = new Rt6Info(dev, ip6_pkt_discard, ip6_pkt_discard_out);
  ip6_rt_init_dst(rt, f6i);
  rt.rt6i_dst = { addr: f6i.fib6_dst.addr.slice(), plen: f6i.fib6_dst.plen };
  rt.rt6i_src = { addr: f6i.fib6_src.addr.slice(), plen: f6i.fib6_src.plen };
  rt.rt6i_flags = f6i.fib6_flags >>> 0;
  if (f6i.fib6_nh.fib_nh_gw_family) {
    rt.rt6i_gateway = f6i.fib6_nh.fib_nh_gw6.slice();
    rt.rt6i_flags = (rt.rt6i_flags | RTF_GATEWAY) >>> 0;
  }
  rt.rt6i_idev = __in6_dev_get(dev);
  rt.metrics.mtu = f6i.fib6_metrics.mtu;
  rt.metrics.hoplimit = f6i.fib6_metrics.hoplimit;
  rt.metrics.advmss = f6i.fib6_metrics.advmss;
  rt.metrics.locks = f6i.fib6_metrics.locks;
  rt.from = f6i;
  rt.type = f6i.fib6_type;
  rt.table = f6i.fib6_table;
  rt.lastuse = net.kernel.now;
  return rt;
}

/** rt6_get_pcpu_route() / rt6_make_pcpu_route(): the route's rt6_info (RTF_PCPU). */
function rt6_pcpu_route(net: Net, f6i: Fib6Info): Rt6Info {
  const st = rt6State(f6i);
  if (!st.pcpu || st.pcpu.dev !== ip6_rt_get_dev(net, f6i)) {
    const rt = ip6_rt_copy(net, f6i);
    rt.rt6i_flags = (rt.rt6i_flags | RTF_PCPU) >>> 0;
    st.pcpu = rt;
  }
  return st.pcpu;
}

/** rt6_find_cached_rt(): a live exception for daddr. */
function rt6_find_cached_rt(net: Net, f6i: Fib6Info, daddr: Uint8Array): Rt6Info | null {
  const st = rt6State(f6i);
  const rt = st.exceptions.get(in6Key(daddr));
  if (!rt) return null;
  if (rt6_check_expired(rt)) {
    st.exceptions.delete(in6Key(daddr));
    return null;
  }
  void net;
  return rt;
}

/** ip6_pol_route(): the rt6_info of a lookup in one table (ip6_null_entry for none). */
function ip6_pol_route(net: Net, table: Fib6Table, oif: number, fl6: Flowi6, flags: number): Rt6Info {
  let strict = flags & (RT6_LOOKUP_F_IFACE | RT6_LOOKUP_F_IGNORE_LINKSTATE);
  if (net.ipv6.devconfAll.forwarding === 0) strict |= RT6_LOOKUP_F_REACHABLE;
  const res = fib6_table_lookup(net, table, oif, fl6, strict);
  if (!res.f6i) return ip6_null_entry(net);
  return rt6_find_cached_rt(net, res.f6i, fl6.daddr) ?? rt6_pcpu_route(net, res.f6i);
}

/** net->ipv6.ip6_prohibit_entry (error -EACCES) and ip6_blk_hole_entry (-EINVAL): what prohibit and blackhole rules answer. */
function ip6_reject_entry(net: Net, type: number): Rt6Info {
  const f = fib6_net(net);
  const prohibit = type === RTN_PROHIBIT;
  let rt = prohibit ? f.ip6_prohibit_entry : f.ip6_blk_hole_entry;
  if (!rt) {
    rt = prohibit
      ? new Rt6Info(net.loopbackDev, ip6_pkt_prohibit, ip6_pkt_prohibit_out)
      : new Rt6Info(net.loopbackDev, dst_discard, dst_discard_out);
    rt.error = prohibit ? -EACCES : -EINVAL;
    rt.type = type;
    rt.rt6i_flags = RTF_REJECT | RTF_NONEXTHOP;
    rt.metrics.hoplimit = 255;
    rt.rt6i_idev = net.loopbackDev.ip6Ptr;
    if (prohibit) f.ip6_prohibit_entry = rt;
    else f.ip6_blk_hole_entry = rt;
  }
  return rt;
}

/** __fib6_rule_action(): the rule's route, or null (-EAGAIN: the next rule decides). */
function fib6_rule_action(net: Net, r: FibRule, fl6: Flowi6, flags: number, oif: number): Rt6Info | null {
  switch (r.action) {
    case FR_ACT_TO_TBL:
      break;
    case FR_ACT_UNREACHABLE:
      return ip6_null_entry(net);
    case FR_ACT_PROHIBIT:
      return ip6_reject_entry(net, RTN_PROHIBIT);
    default:
      return ip6_reject_entry(net, RTN_BLACKHOLE);
  }
  const table = fib6_get_table(net, r.table);
  if (!table) return null;
  const rt = ip6_pol_route(net, table, oif, fl6, flags);
  if (rt === ip6_null_entry(net)) return null;
  if (rt.error === -EAGAIN) return null;
  return rt;
}

/**
 * fib6_rule_suppress(): a route no more specific than suppress_prefixlength,
 * or through a device of the suppress_ifgroup group, is not taken.
 */
function fib6_rule_suppress(r: FibRule, rt: Rt6Info): boolean {
  if (rt.rt6i_dst.plen <= r.suppressPrefixlen) return true;
  const dev = rt.rt6i_idev?.dev ?? null;
  return r.suppressIfgroup !== -1 && dev !== null && dev.group === r.suppressIfgroup;
}

/** fib_rules_lookup() over net->ipv6.fib6_rules_ops: the route of the first rule that decides, or null. */
function fib6_rules_lookup(net: Net, fl6: Flowi6, flags: number, oif: number): Rt6Info | null {
  const list = fib6_net(net).rules.list;
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as FibRule;
    if (!fib6_rule_match(net, r, fl6, flags)) continue;
    if (r.action === FR_ACT_GOTO) {
      const at = r.ctarget ? list.indexOf(r.ctarget) : -1;
      if (at >= 0) i = at - 1;
      continue;
    }
    if (r.action === FR_ACT_NOP) continue;
    const rt = fib6_rule_action(net, r, fl6, flags, oif);
    if (!rt) continue;
    if (!rt.error && fib6_rule_suppress(r, rt)) continue;
    return rt;
  }
  return null;
}

/** fib6_rule_lookup(): through the rules once any was added, else the local table, then main. */
function fib6_rule_lookup(net: Net, fl6: Flowi6, flags: number, input: boolean): Rt6Info {
  const oif = input ? fl6.flowi6_iif : fl6.flowi6_oif;
  if (fib6_net(net).fib6_has_custom_rules) return fib6_rules_lookup(net, fl6, flags, oif) ?? ip6_null_entry(net);
  const local = fib6_get_table(net, RT6_TABLE_LOCAL);
  if (local) {
    const rt = ip6_pol_route(net, local, oif, fl6, flags);
    if (rt !== ip6_null_entry(net) && rt.error !== -EAGAIN) return rt;
  }
  const main = fib6_get_table(net, RT6_TABLE_MAIN);
  if (main) {
    const rt = ip6_pol_route(net, main, oif, fl6, flags);
    if (rt.error !== -EAGAIN) return rt;
  }
  return ip6_null_entry(net);
}

/** rt6_need_strict(): multicast, link-local and loopback destinations are tied to their device. */
function rt6_need_strict(daddr: Uint8Array): boolean {
  return (ipv6_addr_type(daddr) & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK)) !== 0;
}

/** ip6_route_input_lookup() */
export function ip6_route_input_lookup(net: Net, dev: NetDevice, fl6: Flowi6, flags: number): Rt6Info {
  let f = flags;
  if (rt6_need_strict(fl6.daddr)) f |= RT6_LOOKUP_F_IFACE;
  void dev;
  return fib6_rule_lookup(net, fl6, f, true);
}

/** ip6_route_input(): the route of a received packet (skb.dst6). */
export function ip6_route_input(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'ip6_route_input');
  const b = skb.head;
  const o = skb.networkHeader;
  const fl6 = flowi6({
    flowi6_iif: dev.ifindex,
    daddr: b.slice(o + 24, o + 40),
    saddr: b.slice(o + 8, o + 24),
    flowlabel: (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) & 0x0fffffff,
    flowi6_mark: skb.mark,
    flowi6_proto: b[o + 6] ?? 0,
  });
  fib6_rules_early_flow_dissect(net, skb, fl6);
  IP6CB(skb);
  skb.dst6 = ip6_route_input_lookup(net, dev, fl6, RT6_LOOKUP_F_HAS_SADDR);
}

/**
 * fib6_rules_early_flow_dissect(): with rules that match on ipproto or ports,
 * an input lookup takes the packet's upper protocol and ports (the flow
 * dissector walks hop-by-hop, routing and destination options headers; a
 * fragment after the first has no ports).
 */
function fib6_rules_early_flow_dissect(net: Net, skb: SkBuff, fl6: Flowi6): void {
  if (!fib6_net(net).rules.requireFldissect) return;
  const b = skb.head;
  const o = skb.networkHeader;
  let nexthdr = b[o + 6] ?? 0;
  let off = o + 40;
  for (;;) {
    if ((nexthdr === 0 || nexthdr === 43 || nexthdr === 60) && off + 8 <= skb.tail) {
      nexthdr = b[off] ?? 0;
      off += ((b[off + 1] ?? 0) + 1) * 8;
      continue;
    }
    if (nexthdr === 44 && off + 8 <= skb.tail) {
      const fragOff = (((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0)) & 0xfff8;
      nexthdr = b[off] ?? 0;
      off += 8;
      if (fragOff) {
        fl6.flowi6_proto = nexthdr;
        fl6.fl6_sport = 0;
        fl6.fl6_dport = 0;
        return;
      }
      continue;
    }
    break;
  }
  fl6.flowi6_proto = nexthdr;
  fl6.fl6_sport = 0;
  fl6.fl6_dport = 0;
  // TCP, UDP, DCCP, SCTP, UDP-Lite carry the ports first
  if ([6, 17, 33, 132, 136].includes(nexthdr) && off + 4 <= skb.tail) {
    fl6.fl6_sport = ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
    fl6.fl6_dport = ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0);
  }
}

/**
 * ip6_route_output() → ip6_route_output_flags(): never null; an error route
 * (ip6_null_entry, error -ENETUNREACH) when there is no route.
 */
export function ip6_route_output(net: Net, sk: Sock | null, fl6: Flowi6): Rt6Info {
  let flags = 0;
  fl6.flowi6_iif = LOOPBACK_IFINDEX;
  const anySrc = ipv6_addr_any(fl6.saddr);
  const bound = (sk as { bound_dev_if?: number } | null)?.bound_dev_if ?? 0;
  if (bound || rt6_need_strict(fl6.daddr) || (fl6.flowi6_oif && anySrc)) flags |= RT6_LOOKUP_F_IFACE;
  if (!anySrc) flags |= RT6_LOOKUP_F_HAS_SADDR;
  return fib6_rule_lookup(net, fl6, flags, false);
}

/** ip6_route_get_saddr(): the route's preferred source, else source address selection. */
export function ip6_route_get_saddr(net: Net, rt: Rt6Info | null, f6i: Fib6Info | null, daddr: Uint8Array): Uint8Array | null {
  if (f6i?.fib6_prefsrc.plen) return f6i.fib6_prefsrc.addr.slice();
  const dev = rt ? rt.dev : (f6i?.fib6_nh.fib_nh_dev ?? null);
  return ipv6_dev_get_saddr(net, dev, daddr, 0);
}

/**
 * ip6_dst_lookup_flow(): the route and the source for a socket's flow;
 * fills fl6.saddr when it is ::; a negative errno when the route is an error
 * route or no source fits (-EADDRNOTAVAIL).
 */
export function ip6_dst_lookup_flow(net: Net, sk: Sock | null, fl6: Flowi6, _finalDst: Uint8Array | null): Rt6Info | number {
  let rt = ip6_route_output(net, sk, fl6);
  // out_err_release: no route at all (ip6_null_entry) counts as Ip6OutNoRoutes
  const fail = (err: number): number => {
    if (err === -ENETUNREACH) net.mib.inc(MIB.Ip6OutNoRoutes);
    return err;
  };
  if (ipv6_addr_any(fl6.saddr)) {
    const from = rt.from;
    const src = ip6_route_get_saddr(net, rt.error ? null : rt, from, fl6.daddr);
    if (!src) return fail(rt.error || -EHOSTUNREACH);
    fl6.saddr = src;
    // ip6_dst_lookup_tail() looks again with the source when it had none
    if (!rt.error) rt = ip6_route_output(net, sk, fl6);
  }
  if (rt.error) return fail(rt.error);
  return rt;
}

/**
 * icmp6_dst_alloc(): the route ndisc and MLD send with: out of dev, the
 * destination as its gateway.
 */
export function icmp6_dst_alloc(dev: NetDevice, fl6: Flowi6): Rt6Info {
  const rt = new Rt6Info(dev, ip6_pkt_discard, ip6_output);
  rt.rt6i_gateway = fl6.daddr.slice();
  rt.rt6i_dst = { addr: fl6.daddr.slice(), plen: 128 };
  rt.rt6i_flags = RTF_UP | RTF_NONEXTHOP;
  rt.rt6i_idev = dev.ip6Ptr;
  return rt;
}

/**
 * ip6_link_failure(): the neighbour of skb's route failed: address
 * unreachable to the sender, and a cached route is dropped.
 */
export function ip6_link_failure(skb: SkBuff): void {
  icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0);
  const rt = skb.dst6;
  if (rt && rt.rt6i_flags & RTF_CACHE && rt.from) rt6State(rt.from).exceptions.delete(in6Key(rt.rt6i_dst.addr));
}

// --- PMTU: route exceptions ---

/** rt6_do_update_pmtu(): the mtu and its expiry (net.ipv6.route.mtu_expires). */
function rt6_do_update_pmtu(net: Net, rt: Rt6Info, mtu: number): void {
  rt.rt6i_flags = (rt.rt6i_flags | RTF_MODIFIED) >>> 0;
  rt.metrics.mtu = mtu;
  // rt6_update_expires()
  rt.expires = net.kernel.now + net.sysctl.int('net.ipv6.route.mtu_expires') * 1e9;
  rt.rt6i_flags = (rt.rt6i_flags | RTF_EXPIRES) >>> 0;
}

/** ip6_rt_cache_alloc(): an exception of f6i for daddr. */
function ip6_rt_cache_alloc(net: Net, f6i: Fib6Info, daddr: Uint8Array): Rt6Info {
  const rt = ip6_rt_copy(net, f6i);
  rt.rt6i_dst = { addr: daddr.slice(), plen: 128 };
  rt.rt6i_flags = (rt.rt6i_flags | RTF_CACHE) >>> 0;
  if (!(rt.rt6i_flags & (RTF_GATEWAY | RTF_NONEXTHOP)) && f6i.fib6_dst.plen !== 128 && in6Equal(f6i.fib6_dst.addr, daddr))
    rt.rt6i_flags = (rt.rt6i_flags | RTF_ANYCAST) >>> 0;
  return rt;
}

/** __ip6_rt_update_pmtu(): a smaller path MTU to daddr learned (packet too big). */
export function __ip6_rt_update_pmtu(net: Net, rt: Rt6Info, daddr: Uint8Array | null, mtu: number): void {
  if (rt.metrics.locks & (1 << RTAX_MTU)) return;
  if (mtu < IPV6_MIN_MTU) return;
  if (mtu >= ip6_mtu(rt)) return;
  const cacheAllowed = !(rt.rt6i_flags & RTF_CACHE) && (rt.rt6i_flags & RTF_PCPU || rt.from);
  if (!cacheAllowed) {
    rt6_do_update_pmtu(net, rt, mtu);
    return;
  }
  if (!daddr || !rt.from) return;
  const f6i = rt.from;
  const nrt = ip6_rt_cache_alloc(net, f6i, daddr);
  rt6_do_update_pmtu(net, nrt, mtu);
  // rt6_insert_exception(): only below the route's own mtu
  if (nrt.metrics.mtu >= fib6_mtu(f6i)) return;
  rt6State(f6i).exceptions.set(in6Key(daddr), nrt);
  fib6_net(net).sernum++;
}

/**
 * ip6_update_pmtu(): packet too big about the datagram whose IPv6 header
 * starts at skb.data: the route to its destination learns mtu.
 */
export function ip6_update_pmtu(skb: SkBuff, net: Net, mtu: number, oif: number, mark: number): void {
  const b = skb.head;
  const o = skb.data;
  const fl6 = flowi6({
    flowi6_oif: oif,
    flowi6_mark: mark || 0,
    daddr: b.slice(o + 24, o + 40),
    saddr: b.slice(o + 8, o + 24),
    flowlabel: (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) & 0x0fffffff,
  });
  const rt = ip6_route_output(net, null, fl6);
  if (!rt.error) __ip6_rt_update_pmtu(net, rt, fl6.daddr, mtu >>> 0);
}

/** ip6_sk_update_pmtu(): as ip6_update_pmtu for a socket's flow. */
export function ip6_sk_update_pmtu(skb: SkBuff, sk: Sock, mtu: number): void {
  const bound = (sk as { bound_dev_if?: number }).bound_dev_if ?? 0;
  ip6_update_pmtu(skb, (skb.dev as NetDevice).net, mtu, bound, 0);
}

// --- changes to the fib (addrconf, rtnetlink) ---

/** fib6_config_validate() */
function fib6_config_validate(cfg: Fib6Config, extack: { msg: string | null }): number {
  if (cfg.fc_flags & RTF_PCPU) return ((extack.msg = 'Userspace can not set RTF_PCPU'), -EINVAL);
  if (cfg.fc_flags & RTF_CACHE) return ((extack.msg = 'Userspace can not set RTF_CACHE'), -EINVAL);
  if (cfg.fc_type > RTN_MAX) return ((extack.msg = 'Invalid route type'), -EINVAL);
  if (cfg.fc_dst_len > 128) return ((extack.msg = 'Invalid prefix length'), -EINVAL);
  if (cfg.fc_src_len) return ((extack.msg = 'Specifying source address requires IPV6_SUBTREES to be enabled'), -EINVAL);
  return 0;
}

/** fib6_lookup() in main for ip6_route_check_nh (no tracepoint table order: the rule lookup). */
function gw_lookup(net: Net, cfg: Fib6Config, oif: number): Fib6Info | null {
  const fl6 = flowi6({ flowi6_oif: oif, daddr: cfg.fc_gateway.slice() });
  for (const id of [RT6_TABLE_LOCAL, RT6_TABLE_MAIN]) {
    const t = fib6_get_table(net, id);
    if (!t) continue;
    const res = fib6_table_lookup(net, t, oif, fl6, RT6_LOOKUP_F_IFACE);
    if (res.f6i && res.f6i.fib6_type !== RTN_THROW) return res.f6i;
    if (res.f6i) break;
  }
  return null;
}

/** ip6_validate_gw(): the gateway is on-link through dev (found when not given). */
function ip6_validate_gw(net: Net, cfg: Fib6Config, devIn: NetDevice | null, extack: { msg: string | null }): NetDevice | number {
  const gw = cfg.fc_gateway;
  const gwaType = ipv6_addr_type(gw);
  const skipDev = !(gwaType & IPV6_ADDR_LINKLOCAL);
  let dev = devIn;
  if (dev && ipv6_chk_addr_and_flags(net, gw, dev, skipDev, 0, 0)) {
    extack.msg = 'Gateway can not be a local address';
    return -EINVAL;
  }
  if (gwaType !== (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_UNICAST)) {
    if (!(gwaType & (IPV6_ADDR_UNICAST | IPV6_ADDR_MAPPED))) {
      extack.msg = 'Invalid gateway address';
      return -EINVAL;
    }
    if (cfg.fc_flags & RTNH_F_ONLINK) {
      const r = gw_lookup(net, cfg, 0);
      if (
        r &&
        !(r.fib6_flags & RTF_REJECT) &&
        !ipv6_addr_any(r.fib6_dst.addr) &&
        (r.fib6_type !== RTN_UNICAST || dev !== r.fib6_nh.fib_nh_dev)
      ) {
        extack.msg = 'Nexthop has invalid gateway or device mismatch';
        return -EINVAL;
      }
    } else {
      const r = gw_lookup(net, cfg, cfg.fc_ifindex);
      if (!r || r.fib6_flags & RTF_REJECT || r.fib6_nh.fib_nh_gw_family) return -EHOSTUNREACH;
      if (dev) {
        if (dev !== r.fib6_nh.fib_nh_dev) return -EHOSTUNREACH;
      } else dev = r.fib6_nh.fib_nh_dev;
    }
  }
  if (!dev) {
    extack.msg = 'Egress device not specified';
    return -EINVAL;
  }
  if (dev.flags & IFF_LOOPBACK) {
    extack.msg = 'Egress device can not be loopback device for this route';
    return -EINVAL;
  }
  if (!devIn && ipv6_chk_addr_and_flags(net, gw, dev, skipDev, 0, 0)) {
    extack.msg = 'Gateway can not be a local address';
    return -EINVAL;
  }
  return dev;
}

/** ip6_route_info_create() + fib6_nh_init(): a fib6_info from cfg, or -errno. */
function ip6_route_info_create(cfg: Fib6Config, extack: { msg: string | null }): Fib6Info | number {
  const net = cfg.fc_nlinfo.nl_net;
  const rt = new Fib6Info();
  if (cfg.fc_flags & RTF_ADDRCONF) rt.dst_nocount = true;
  if (cfg.fc_flags & RTF_EXPIRES) rt.expires = net.kernel.now + cfg.fc_expires * 1e9;
  if (cfg.fc_protocol === RTPROT_UNSPEC) cfg.fc_protocol = RTPROT_BOOT;
  rt.fib6_protocol = cfg.fc_protocol;
  rt.fib6_table = fib6_new_table(net, cfg.fc_table).tb6_id;
  rt.fib6_metric = cfg.fc_metric >>> 0;
  rt.fib6_type = cfg.fc_type || RTN_UNICAST;
  rt.fib6_flags = (cfg.fc_flags & ~RTF_GATEWAY) >>> 0;
  rt.fib6_dst = { addr: in6_prefix(cfg.fc_dst, cfg.fc_dst_len), plen: cfg.fc_dst_len };
  rt.fib6_metrics.mtu = cfg.fc_mx.mtu;
  rt.fib6_metrics.hoplimit = cfg.fc_mx.hoplimit;
  rt.fib6_metrics.advmss = cfg.fc_mx.advmss;
  rt.fib6_metrics.locks = cfg.fc_mx.locks;

  // fib6_nh_init()
  const nh = rt.fib6_nh;
  let dev: NetDevice | null = null;
  if (cfg.fc_ifindex) {
    dev = net.devByIndex.get(cfg.fc_ifindex) ?? null;
    if (!dev || !__in6_dev_get(dev)) return -ENODEV;
  }
  if (cfg.fc_flags & RTNH_F_ONLINK) {
    if (!dev) return ((extack.msg = 'Nexthop device required for onlink'), -ENODEV);
    if (!(dev.flags & IFF_UP)) return ((extack.msg = 'Nexthop device is not up'), -ENETDOWN);
    nh.fib_nh_flags |= RTNH_F_ONLINK;
  }
  if (cfg.fc_flags & RTF_REJECT) {
    dev = net.loopbackDev;
  } else {
    if (cfg.fc_flags & RTF_GATEWAY) {
      const r = ip6_validate_gw(net, cfg, dev, extack);
      if (typeof r === 'number') return r;
      dev = r;
      nh.fib_nh_gw6 = cfg.fc_gateway.slice();
      nh.fib_nh_gw_family = AF_INET6;
    }
    if (!dev) return -ENODEV;
    const idev = __in6_dev_get(dev);
    if (!idev || idev.cnf.disable_ipv6) return ((extack.msg = 'IPv6 is disabled on nexthop device'), -EACCES);
    if (!(dev.flags & IFF_UP)) return ((extack.msg = 'Nexthop device is not up'), -ENETDOWN);
    if (!(cfg.fc_flags & (RTF_LOCAL | RTF_ANYCAST)) && !dev.carrierOk) nh.fib_nh_flags |= RTNH_F_LINKDOWN;
  }
  nh.fib_nh_dev = dev;

  // ip6_route_info_create_nh(): true routes via loopback become reject routes
  const addrType = ipv6_addr_type(cfg.fc_dst);
  if (
    cfg.fc_flags & RTF_REJECT ||
    (dev && dev.flags & IFF_LOOPBACK && !(addrType & IPV6_ADDR_LOOPBACK) && !(cfg.fc_flags & (RTF_ANYCAST | RTF_LOCAL)))
  )
    rt.fib6_flags = (RTF_REJECT | RTF_NONEXTHOP) >>> 0;
  if (!ipv6_addr_any(cfg.fc_prefsrc)) {
    if (!ipv6_chk_addr(net, cfg.fc_prefsrc, dev, 0)) return ((extack.msg = 'Invalid source address'), -EINVAL);
    rt.fib6_prefsrc = { addr: cfg.fc_prefsrc.slice(), plen: 128 };
  }
  return rt;
}

/** ip6_route_add(): a route from a fib6_config (rtnetlink, addrconf_prefix_route). 0 or -errno. */
export function ip6_route_add(cfg: Fib6Config, extack: { msg: string | null }, nlflags: number | null = null): number {
  const err = fib6_config_validate(cfg, extack);
  if (err) return err;
  const rt = ip6_route_info_create(cfg, extack);
  if (typeof rt === 'number') return rt;
  return fib6_add(cfg.fc_nlinfo.nl_net, rt, nlflags);
}

/** ip6_ins_rt() → __ip6_ins_rt(): inserts a fib6_info the kernel made. 0 or -errno. */
export function ip6_ins_rt(net: Net, f6i: Fib6Info): number {
  return fib6_add(net, f6i, null);
}

/** ip6_del_rt(): removes a fib6_info. 0 or -ENOENT. */
export function ip6_del_rt(net: Net, f6i: Fib6Info): number {
  return fib6_del(net, f6i);
}

/** ip6_route_del(): the first route of the prefix that cfg's fields match. 0 or -ESRCH. */
function ip6_route_del(cfg: Fib6Config, extack: { msg: string | null }): number {
  const net = cfg.fc_nlinfo.nl_net;
  const table = fib6_get_table(net, cfg.fc_table);
  if (!table) {
    extack.msg = 'FIB table does not exist';
    return -ESRCH;
  }
  const fn = fib6_locate(table, cfg.fc_dst, cfg.fc_dst_len);
  if (!fn) return -ESRCH;
  for (const rt of [...fn.leaf]) {
    if (cfg.fc_flags & RTF_CACHE) {
      const st = rt6State(rt);
      for (const [k, ex] of st.exceptions) {
        const dev = ex.dev;
        if (cfg.fc_ifindex && dev.ifindex !== cfg.fc_ifindex) continue;
        if (cfg.fc_flags & RTF_GATEWAY && !in6Equal(cfg.fc_gateway, ex.rt6i_gateway)) continue;
        if (cfg.fc_metric && cfg.fc_metric !== rt.fib6_metric) continue;
        if (!in6Equal(ex.rt6i_dst.addr, cfg.fc_dst)) continue;
        st.exceptions.delete(k);
        return 0;
      }
      continue;
    }
    if (cfg.fc_metric && cfg.fc_metric !== rt.fib6_metric) continue;
    if (cfg.fc_protocol && cfg.fc_protocol !== rt.fib6_protocol) continue;
    const nh = rt.fib6_nh;
    if (cfg.fc_ifindex && (!nh.fib_nh_dev || nh.fib_nh_dev.ifindex !== cfg.fc_ifindex)) continue;
    if (cfg.fc_flags & RTF_GATEWAY && !in6Equal(cfg.fc_gateway, nh.fib_nh_gw6)) continue;
    return fib6_del(net, rt);
  }
  return -ESRCH;
}

/**
 * addrconf_f6i_alloc(): the local (or anycast) route of an address, in the
 * local table: `local ADDR dev DEV proto kernel metric 0 pref medium`.
 */
export function addrconf_f6i_alloc(net: Net, idev: Inet6Dev, addr: Uint8Array, anycast: boolean): Fib6Info {
  const f6i = new Fib6Info();
  f6i.fib6_dst = { addr: addr.slice(), plen: 128 };
  f6i.fib6_table = RT6_TABLE_LOCAL;
  f6i.fib6_metric = 0;
  f6i.fib6_protocol = RTPROT_KERNEL;
  f6i.fib6_flags = (RTF_UP | RTF_NONEXTHOP | (anycast ? RTF_ANYCAST : RTF_LOCAL)) >>> 0;
  f6i.fib6_type = anycast ? RTN_ANYCAST : RTN_LOCAL;
  f6i.fib6_nh.fib_nh_dev = idev.dev;
  f6i.dst_host = true;
  f6i.dst_nocount = true;
  return f6i;
}

/** rt6_disable_ip() / rt6_sync_down_dev(): routes through dev go (NETDEV_DOWN, UNREGISTER). */
export function rt6_disable_ip(dev: NetDevice, event: 'DOWN' | 'UNREGISTER'): void {
  const net = dev.net;
  for (const t of fib6_net(net).ordered()) {
    for (const rt of fib6_walk(t)) {
      const st = rt6State(rt);
      for (const [k, ex] of st.exceptions) if (ex.dev === dev) st.exceptions.delete(k);
      if (st.pcpu?.dev === dev) st.pcpu = null;
      if (rt.fib6_nh.fib_nh_dev !== dev) continue;
      // fib6_ifdown(): a local route of an address stays while the address is kept
      if (event === 'DOWN' && rt.fib6_flags & RTF_LOCAL && !(rt.fib6_flags & RTF_REJECT)) continue;
      fib6_del(net, rt);
    }
  }
}

/** rt6_sync_up(): routes through dev lose RTNH_F_DEAD / LINKDOWN (NETDEV_UP, carrier on). */
export function rt6_sync_up(dev: NetDevice, flags: number): void {
  // a device coming back with its carrier is not linkdown either
  const nhFlags = flags & RTNH_F_DEAD && dev.carrierOk ? flags | RTNH_F_LINKDOWN : flags;
  for (const t of fib6_net(dev.net).ordered())
    for (const rt of fib6_walk(t)) if (rt.fib6_nh.fib_nh_dev === dev) rt.fib6_nh.fib_nh_flags &= ~nhFlags;
}

/** rt6_sync_down_dev() for carrier loss: RTNH_F_LINKDOWN on dev's routes. */
export function rt6_sync_linkdown(dev: NetDevice): void {
  for (const t of fib6_net(dev.net).ordered())
    for (const rt of fib6_walk(t))
      if (rt.fib6_nh.fib_nh_dev === dev && !(rt.fib6_flags & (RTF_LOCAL | RTF_ANYCAST))) rt.fib6_nh.fib_nh_flags |= RTNH_F_LINKDOWN;
}

/** rt6_mtu_change(): cached route MTUs above the device's new MTU come down to it. */
export function rt6_mtu_change(dev: NetDevice, mtu: number): void {
  for (const t of fib6_net(dev.net).ordered()) {
    for (const rt of fib6_walk(t)) {
      const st = rt6State(rt);
      for (const ex of st.exceptions.values()) if (ex.dev === dev && ex.metrics.mtu > mtu) ex.metrics.mtu = mtu;
    }
  }
}

/** ipv6_sysctl_rtcache_flush(): a write to net.ipv6.route.flush: expired exceptions go (fib6_run_gc). */
export function ipv6_sysctl_rtcache_flush(net: Net): void {
  for (const t of fib6_net(net).ordered()) {
    for (const rt of fib6_walk(t)) {
      const st = rt6State(rt);
      for (const [k, ex] of st.exceptions) if (rt6_check_expired(ex)) st.exceptions.delete(k);
    }
  }
}

// --- rtnetlink ---

/** rtm_to_fib6_config() */
function rtm_to_fib6_config(
  net: Net,
  msg: Route6Msg,
  newroute: boolean,
  extack: { msg: string | null },
  portid: number,
): Fib6Config | number {
  const { rtm, attrs } = msg;
  if (rtm.rtm_tos) {
    extack.msg = 'Invalid dsfield (tos): option not available for IPv6';
    return -EINVAL;
  }
  let flags = RTF_UP;
  if (rtm.rtm_type === RTN_UNREACHABLE || rtm.rtm_type === RTN_BLACKHOLE || rtm.rtm_type === RTN_PROHIBIT || rtm.rtm_type === RTN_THROW)
    flags |= RTF_REJECT;
  if (rtm.rtm_type === RTN_LOCAL) flags |= RTF_LOCAL;
  if (rtm.rtm_flags & RTM_F_CLONED) flags |= RTF_CACHE;
  flags |= rtm.rtm_flags & RTNH_F_ONLINK;
  const cfg: Fib6Config = {
    fc_table: attrs.RTA_TABLE ?? rtm.rtm_table,
    fc_metric: attrs.RTA_PRIORITY ?? 0,
    fc_dst: new Uint8Array(16),
    fc_dst_len: rtm.rtm_dst_len,
    fc_src: new Uint8Array(16),
    fc_src_len: rtm.rtm_src_len,
    fc_prefsrc: attrs.RTA_PREFSRC ? attrs.RTA_PREFSRC.slice() : new Uint8Array(16),
    fc_gateway: new Uint8Array(16),
    fc_ifindex: attrs.RTA_OIF ?? 0,
    fc_flags: flags,
    fc_protocol: rtm.rtm_protocol,
    fc_type: rtm.rtm_type,
    fc_expires: 0,
    fc_mx: {
      mtu: attrs.RTA_METRICS?.RTAX_MTU ?? 0,
      hoplimit: attrs.RTA_METRICS?.RTAX_HOPLIMIT ?? 0,
      advmss: 0,
      locks: attrs.RTA_METRICS?.RTAX_LOCK ?? 0,
    },
    fc_nlinfo: { nl_net: net, portid, nlh: true },
  };
  if (attrs.RTA_GATEWAY) {
    cfg.fc_gateway = attrs.RTA_GATEWAY.slice();
    cfg.fc_flags |= RTF_GATEWAY;
  }
  if (attrs.RTA_DST) cfg.fc_dst = in6_prefix(attrs.RTA_DST, Math.min(128, (rtm.rtm_dst_len + 7) & ~7));
  if (attrs.RTA_SRC) cfg.fc_src = in6_prefix(attrs.RTA_SRC, Math.min(128, (rtm.rtm_src_len + 7) & ~7));
  if (attrs.RTA_PREF !== undefined) {
    let pref = attrs.RTA_PREF;
    if (pref !== 3 && pref !== 1) pref = 0;
    cfg.fc_flags = (cfg.fc_flags | (pref << 27)) >>> 0;
  }
  if (attrs.RTA_EXPIRES !== undefined && attrs.RTA_EXPIRES !== 0xffffffff) {
    // addrconf_timeout_fixup(), addrconf_finite_timeout()
    cfg.fc_expires = attrs.RTA_EXPIRES;
    cfg.fc_flags = (cfg.fc_flags | RTF_EXPIRES) >>> 0;
  }
  void newroute;
  return cfg;
}

/** inet6_rtm_newroute() */
export function inet6_rtm_newroute(net: Net, nlflags: number, msg: Route6Msg, portid = 0): NlAck {
  const extack = { msg: null as string | null };
  const cfg = rtm_to_fib6_config(net, msg, true, extack, portid);
  if (typeof cfg === 'number') return nlAck(cfg, extack.msg);
  if (cfg.fc_metric === 0) cfg.fc_metric = IP6_RT_PRIO_USER;
  if (!(nlflags & NLM_F_CREATE) && !fib6_get_table(net, cfg.fc_table)) fib6_new_table(net, cfg.fc_table);
  const err = ip6_route_add(cfg, extack, nlflags);
  return nlAck(err < 0 ? err : 0, err < 0 ? extack.msg : null);
}

/** inet6_rtm_delroute() */
export function inet6_rtm_delroute(net: Net, msg: Route6Msg, portid = 0): NlAck {
  const extack = { msg: null as string | null };
  const cfg = rtm_to_fib6_config(net, msg, false, extack, portid);
  if (typeof cfg === 'number') return nlAck(cfg, extack.msg);
  const err = ip6_route_del(cfg, extack);
  return nlAck(err < 0 ? err : 0, err < 0 ? extack.msg : null);
}

/** rtnl_put_cacheinfo() for an IPv6 route: the expiry in clock_t, the dst error. */
function cacheinfo(expiresJiffies: number, error: number): RtaCacheinfo {
  // jiffies_to_clock_t() at HZ=250: x * 4 ms / 10 ms
  const clock =
    expiresJiffies > 0
      ? Math.floor((expiresJiffies * USER_HZ) / HZ)
      : expiresJiffies < 0
        ? -Math.floor((-expiresJiffies * USER_HZ) / HZ)
        : 0;
  return { rta_clntref: 0, rta_lastuse: 0, rta_expires: clock, rta_error: error, rta_used: 0, rta_id: 0, rta_ts: 0, rta_tsage: 0 };
}

/** rt6_fill_node(): a route as RTM_NEWROUTE (dst: an rt6_info of it; dest/src: the `ip -6 route get` addresses). */
function rt6_fill_node(
  net: Net,
  rt: Fib6Info,
  dst: Rt6Info | null,
  dest: Uint8Array | null,
  src: Uint8Array | null,
  iif: number,
): Route6Msg {
  const rt6Dst = dst ? dst.rt6i_dst : rt.fib6_dst;
  const rt6Flags = (dst ? dst.rt6i_flags : rt.fib6_flags) >>> 0;
  const table = rt.fib6_table;
  const m: Route6Msg = {
    rtm: rtmsg({
      rtm_family: AF_INET6,
      rtm_dst_len: rt6Dst.plen,
      rtm_src_len: 0,
      rtm_table: table < 256 ? table : 252,
      rtm_type: rt.fib6_type,
      rtm_scope: RT_SCOPE_UNIVERSE,
      rtm_protocol: rt.fib6_protocol,
    }),
    attrs: { RTA_TABLE: table },
  };
  const at = m.attrs;
  if (rt6Flags & RTF_CACHE) m.rtm.rtm_flags |= RTM_F_CLONED;
  if (dest) {
    at.RTA_DST = dest.slice();
    m.rtm.rtm_dst_len = 128;
  } else if (m.rtm.rtm_dst_len) at.RTA_DST = rt6Dst.addr.slice();
  if (src) {
    at.RTA_SRC = src.slice();
    m.rtm.rtm_src_len = 128;
  }
  if (iif) at.RTA_IIF = iif;
  else if (dest) {
    const s = ip6_route_get_saddr(net, dst, rt, dest);
    if (s) at.RTA_PREFSRC = s;
  }
  if (rt.fib6_prefsrc.plen) at.RTA_PREFSRC = rt.fib6_prefsrc.addr.slice();
  const mx = dst ? dst.metrics : rt.fib6_metrics;
  if (mx.mtu || mx.hoplimit || mx.locks) {
    at.RTA_METRICS = {};
    if (mx.locks) at.RTA_METRICS.RTAX_LOCK = mx.locks;
    if (mx.mtu) at.RTA_METRICS.RTAX_MTU = mx.mtu;
    if (mx.hoplimit) at.RTA_METRICS.RTAX_HOPLIMIT = mx.hoplimit;
  }
  at.RTA_PRIORITY = rt.fib6_metric >>> 0;
  if (dst) {
    if (rt6Flags & RTF_GATEWAY) at.RTA_GATEWAY = dst.rt6i_gateway.slice();
    at.RTA_OIF = dst.dev.ifindex;
  } else {
    // fib_nexthop_info(): the nexthop's flags (linkdown, onlink, dead), gateway and device
    const nh = rt.fib6_nh;
    let nhFlags = nh.fib_nh_flags & (RTNH_F_ONLINK | RTNH_F_DEAD);
    if (nh.fib_nh_flags & RTNH_F_LINKDOWN) {
      nhFlags |= RTNH_F_LINKDOWN;
      if (nh.fib_nh_dev && ip6_ignore_linkdown(nh.fib_nh_dev)) nhFlags |= RTNH_F_DEAD;
    }
    m.rtm.rtm_flags |= nhFlags;
    if (nh.fib_nh_gw_family) at.RTA_GATEWAY = nh.fib_nh_gw6.slice();
    if (nh.fib_nh_dev) at.RTA_OIF = nh.fib_nh_dev.ifindex;
  }
  let expires = 0;
  if (rt6Flags & RTF_EXPIRES) {
    const e = dst ? dst.expires : rt.expires;
    expires = jiffiesOf(e) - jiffiesOf(net.kernel.now);
  }
  at.RTA_CACHEINFO = cacheinfo(expires, dst ? -dst.error : 0);
  if (dst?.error) at.RTA_CACHEINFO.rta_error = dst.error;
  at.RTA_PREF = ((rt6Flags & RTF_PREF_MASK) >>> 27) & 3;
  return m;
}

/**
 * inet6_dump_fib(): every table's routes (RTM_F_CLONED: their live exceptions
 * instead); with RTA_TABLE in the (strict) request, that table only.
 */
export function inet6_dump_fib(net: Net, req: Route6Msg): Route6Msg[] | NlAck {
  const out: Route6Msg[] = [];
  const exceptions = (req.rtm.rtm_flags & RTM_F_CLONED) !== 0;
  const only = req.attrs.RTA_TABLE ?? 0;
  const one = only ? fib6_get_table(net, only) : null;
  if (only && !one) return nlAck(-ENOENT, 'ipv6: FIB table does not exist');
  for (const t of one ? [one] : fib6_net(net).ordered()) {
    for (const fn of fib6_walk_nodes(t)) {
      for (const rt of fn.leaf) {
        if (!exceptions) {
          out.push(rt6_fill_node(net, rt, null, null, null, 0));
          continue;
        }
        for (const ex of rt6State(rt).exceptions.values()) {
          if (rt6_check_expired(ex)) continue;
          out.push(rt6_fill_node(net, rt, ex, null, null, 0));
        }
      }
    }
  }
  return out;
}

/** inet6_rtm_getroute(): `ip -6 route get`: an input lookup with RTA_IIF, else an output lookup. */
export function inet6_rtm_getroute(net: Net, req: Route6Msg): Route6Msg | NlAck {
  const { attrs } = req;
  const fibmatch = (req.rtm.rtm_flags & RTM_F_FIB_MATCH) !== 0;
  const fl6 = flowi6({
    saddr: attrs.RTA_SRC ? attrs.RTA_SRC.slice() : new Uint8Array(16),
    daddr: attrs.RTA_DST ? attrs.RTA_DST.slice() : new Uint8Array(16),
    flowi6_mark: attrs.RTA_MARK ?? 0,
    flowi6_uid: attrs.RTA_UID ?? 0,
    fl6_sport: attrs.RTA_SPORT ?? 0,
    fl6_dport: attrs.RTA_DPORT ?? 0,
    flowi6_proto: attrs.RTA_IP_PROTO ?? 0,
  });
  const iif = attrs.RTA_IIF ?? 0;
  let rt: Rt6Info;
  if (iif) {
    const dev = net.devByIndex.get(iif);
    if (!dev) return nlAck(-ENODEV);
    fl6.flowi6_iif = iif;
    rt = ip6_route_input_lookup(net, dev, fl6, ipv6_addr_any(fl6.saddr) ? 0 : RT6_LOOKUP_F_HAS_SADDR);
  } else {
    fl6.flowi6_oif = attrs.RTA_OIF ?? 0;
    rt = ip6_route_output(net, null, fl6);
  }
  if (rt.error) return nlAck(rt.error);
  if (rt === ip6_null_entry(net)) return nlAck(rt.error);
  const from = rt.from;
  if (!from) return nlAck(-ENETUNREACH);
  if (fibmatch) return rt6_fill_node(net, from, null, null, null, iif);
  return rt6_fill_node(net, from, rt, fl6.daddr, fl6.saddr, iif);
}

// --- /proc/net/ipv6_route ---

/** ipv6_route_native_seq_show() for every route (and each table's null root when it has no default). */
export function ipv6_route_seq_show(net: Net): string {
  const hex = (a: Uint8Array): string => Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');
  const h8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  let s = '';
  for (const t of fib6_net(net).ordered()) {
    const routes = fib6_walk(t);
    for (const rt of routes) {
      const nh = rt.fib6_nh;
      const flags = nh.fib_nh_gw_family ? (rt.fib6_flags | RTF_GATEWAY) >>> 0 : rt.fib6_flags >>> 0;
      const st = rt6State(rt);
      const refcnt = 1 + (st.pcpu ? 1 : 0) + st.exceptions.size;
      s +=
        `${hex(rt.fib6_dst.addr)} ${rt.fib6_dst.plen.toString(16).padStart(2, '0')} ${hex(rt.fib6_src.addr)} ` +
        `${rt.fib6_src.plen.toString(16).padStart(2, '0')} ${hex(nh.fib_nh_gw_family ? nh.fib_nh_gw6 : new Uint8Array(16))} ` +
        `${h8(rt.fib6_metric)} ${h8(refcnt)} ${h8(0)} ${h8(flags)} ${(nh.fib_nh_dev?.name ?? '').padStart(8)}\n`;
    }
    if (!routes.some((r) => r.fib6_dst.plen === 0)) {
      // the tree root's leaf: net->ipv6.fib6_null_entry
      s += `${'0'.repeat(32)} 00 ${'0'.repeat(32)} 00 ${'0'.repeat(32)} ffffffff 00000001 00000000 00200200 ${'lo'.padStart(8)}\n`;
    }
  }
  return s;
}
