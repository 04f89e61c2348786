// rtnetlink for routes, neighbours and policy-routing rules
// (include/uapi/linux/rtnetlink.h, neighbour.h, fib_rules.h): the messages
// `ip route`, `ip neigh` and `ip rule` exchange with the kernel, as plain data
// shaped like struct rtmsg / ndmsg / fib_rule_hdr plus their attributes, and
// the door to the handlers Linux registers with rtnl_register():
//   RTM_NEWROUTE/DELROUTE/GETROUTE  inet_rtm_newroute, inet_rtm_delroute,
//                                   inet_dump_fib, inet_rtm_getroute
//   RTM_NEWNEIGH/DELNEIGH/GETNEIGH  neigh_add, neigh_delete, neigh_dump_info, neigh_get
//   RTM_NEWRULE/DELRULE/GETRULE     fib_nl_newrule, fib_nl_delrule, fib_nl_dumprule
// Every answer is a message, a list of messages (a dump), or an NlAck: a
// negative errno with the extack text the kernel sets, as the ack carries it.
import type { Net } from '../net_namespace.ts';
import { inet_dump_fib, inet_rtm_delroute, inet_rtm_newroute } from '../ipv4/fib_frontend.ts';
import { fib_dump_info_fnhe, inet_rtm_getroute, ipv4_sysctl_rtcache_flush } from '../ipv4/route.ts';
import { neigh_add, neigh_delete, neigh_dump_info, neigh_get } from '../core/neighbour.ts';
import { fib_nl_delrule, fib_nl_dumprule, fib_nl_newrule } from '../core/fib_rules.ts';
import { inet6_dump_fib, inet6_rtm_delroute, inet6_rtm_getroute, inet6_rtm_newroute, ipv6_sysctl_rtcache_flush } from '../ipv6/route.ts';
// shared with the link messages (linux/netlink.h, linux/neighbour.h)
export {
  NLM_F_ACK,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_MATCH,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  NLM_F_ROOT,
  NTF_EXT_LEARNED,
  NTF_MASTER,
  NTF_PROXY,
  NTF_ROUTER,
  NTF_SELF,
  NTF_STICKY,
  NTF_USE,
  RTM_DELNEIGH,
  RTM_GETNEIGH,
  RTM_NEWNEIGH,
} from './rtnetlink.ts';

export {
  RTN_UNSPEC,
  RTN_UNICAST,
  RTN_LOCAL,
  RTN_BROADCAST,
  RTN_ANYCAST,
  RTN_MULTICAST,
  RTN_BLACKHOLE,
  RTN_UNREACHABLE,
  RTN_PROHIBIT,
  RTN_THROW,
  RTN_NAT,
  RT_SCOPE_UNIVERSE,
  RT_SCOPE_SITE,
  RT_SCOPE_LINK,
  RT_SCOPE_HOST,
  RT_SCOPE_NOWHERE,
  RT_TABLE_DEFAULT,
  RT_TABLE_MAIN,
  RT_TABLE_LOCAL,
  RTPROT_UNSPEC,
  RTPROT_REDIRECT,
  RTPROT_KERNEL,
  RTPROT_BOOT,
  RTPROT_STATIC,
  RTNH_F_DEAD,
  RTNH_F_PERVASIVE,
  RTNH_F_ONLINK,
  RTNH_F_LINKDOWN,
} from '../ipv4/fib.ts';
export {
  NUD_NONE,
  NUD_INCOMPLETE,
  NUD_REACHABLE,
  NUD_STALE,
  NUD_DELAY,
  NUD_PROBE,
  NUD_FAILED,
  NUD_NOARP,
  NUD_PERMANENT,
} from '../core/neighbour.ts';

// --- message types ---
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWRULE = 32;
export const RTM_DELRULE = 33;
export const RTM_GETRULE = 34;

// --- struct rtmsg ---
export const RTM_F_NOTIFY = 0x100;
export const RTM_F_CLONED = 0x200;
export const RTM_F_EQUALIZE = 0x400;
export const RTM_F_PREFIX = 0x800;
export const RTM_F_LOOKUP_TABLE = 0x1000;
export const RTM_F_FIB_MATCH = 0x2000;
export const RTM_F_OFFLOAD = 0x4000;
export const RTM_F_TRAP = 0x8000;
export const RTM_F_OFFLOAD_FAILED = 0x20000000;
export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_COMPAT = 252;
export const RTN_XRESOLVE = 11;

/** include/uapi/linux/in_route.h: the cache flags in rtm_flags' high bits. */
export const RTCF_NOTIFY = 0x00010000;
export const RTCF_DIRECTDST = 0x00020000;
export const RTCF_REDIRECTED = 0x00040000;
export const RTCF_TPROXY = 0x00080000;
export const RTCF_FAST = 0x00200000;
export const RTCF_MASQ = 0x00400000;
export const RTCF_SNAT = 0x00800000;
export const RTCF_DOREDIRECT = 0x01000000;
export const RTCF_DIRECTSRC = 0x04000000;
export const RTCF_DNAT = 0x08000000;
export const RTCF_BROADCAST = 0x10000000;
export const RTCF_MULTICAST = 0x20000000;
export const RTCF_REJECT = 0x40000000;
export const RTCF_LOCAL = 0x80000000;

/** RTAX_*: indexes into RTA_METRICS. */
export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;

/** struct rtmsg */
export interface RtMsg {
  rtm_family: number;
  rtm_dst_len: number;
  rtm_src_len: number;
  rtm_tos: number;
  rtm_table: number;
  rtm_protocol: number;
  rtm_scope: number;
  rtm_type: number;
  rtm_flags: number;
}

/** RTA_METRICS, nested: RTAX_LOCK is a bit mask of locked metrics (1 << RTAX_MTU). */
export interface RtaMetrics {
  RTAX_LOCK?: number;
  RTAX_MTU?: number;
}

/** struct rta_cacheinfo (the fields the IPv4 kernel fills). */
export interface RtaCacheinfo {
  rta_clntref: number;
  rta_lastuse: number;
  /** clock_t (USER_HZ) ticks until the entry expires; 0: none */
  rta_expires: number;
  rta_error: number;
  rta_used: number;
  rta_id: number;
  rta_ts: number;
  rta_tsage: number;
}

/** The RTA_* attributes of a route message (IPv4 addresses as host-order u32). */
export interface RouteAttrs {
  RTA_DST?: number;
  RTA_SRC?: number;
  RTA_IIF?: number;
  RTA_OIF?: number;
  RTA_GATEWAY?: number;
  RTA_PRIORITY?: number;
  RTA_PREFSRC?: number;
  RTA_METRICS?: RtaMetrics;
  RTA_TABLE?: number;
  RTA_MARK?: number;
  RTA_CACHEINFO?: RtaCacheinfo;
  RTA_UID?: number;
  RTA_IP_PROTO?: number;
  RTA_SPORT?: number;
  RTA_DPORT?: number;
}

export interface RouteMsg {
  rtm: RtMsg;
  attrs: RouteAttrs;
}

export function rtmsg(init: Partial<RtMsg> = {}): RtMsg {
  return {
    rtm_family: 2,
    rtm_dst_len: 0,
    rtm_src_len: 0,
    rtm_tos: 0,
    rtm_table: 0,
    rtm_protocol: 0,
    rtm_scope: 0,
    rtm_type: 0,
    rtm_flags: 0,
    ...init,
  };
}

// --- struct ndmsg (include/uapi/linux/neighbour.h) ---
export const NTF_OFFLOADED = 0x20;

// struct ndmsg and struct nda_cacheinfo (clock_t ticks) are the link side's
export type { NdaCacheinfo, NdMsg } from './rtnetlink.ts';
import type { NdaCacheinfo, NdMsg } from './rtnetlink.ts';

export interface NeighAttrs {
  NDA_DST?: number;
  /** NDA_DST of an AF_INET6 (nd_tbl) message: the 16 bytes of the in6_addr. */
  NDA_DST6?: Uint8Array;
  NDA_LLADDR?: Uint8Array;
  NDA_CACHEINFO?: NdaCacheinfo;
  NDA_PROBES?: number;
  NDA_PROTOCOL?: number;
}

export interface NeighMsg {
  ndm: NdMsg;
  attrs: NeighAttrs;
}

export function ndmsg(init: Partial<NdMsg> = {}): NdMsg {
  return { ndm_family: 2, ndm_ifindex: 0, ndm_state: 0, ndm_flags: 0, ndm_type: 0, ...init };
}

// --- struct fib_rule_hdr (include/uapi/linux/fib_rules.h) ---
export const FIB_RULE_PERMANENT = 0x00000001;
export const FIB_RULE_INVERT = 0x00000002;
export const FIB_RULE_UNRESOLVED = 0x00000004;
export const FIB_RULE_IIF_DETACHED = 0x00000008;
export const FIB_RULE_DEV_DETACHED = FIB_RULE_IIF_DETACHED;
export const FIB_RULE_OIF_DETACHED = 0x00000010;

export const FR_ACT_UNSPEC = 0;
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_RES3 = 4;
export const FR_ACT_RES4 = 5;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;

export interface FibRuleHdr {
  family: number;
  dst_len: number;
  src_len: number;
  tos: number;
  table: number;
  action: number;
  flags: number;
}

export interface FibRulePortRange {
  start: number;
  end: number;
}

export interface FibRuleUidRange {
  start: number;
  end: number;
}

export interface RuleAttrs {
  FRA_DST?: number;
  FRA_SRC?: number;
  /** FRA_DST / FRA_SRC of an AF_INET6 rule (struct in6_addr). */
  FRA_DST6?: Uint8Array;
  FRA_SRC6?: Uint8Array;
  FRA_IIFNAME?: string;
  FRA_OIFNAME?: string;
  FRA_GOTO?: number;
  FRA_PRIORITY?: number;
  FRA_FWMARK?: number;
  FRA_FWMASK?: number;
  FRA_FLOW?: number;
  FRA_TABLE?: number;
  FRA_SUPPRESS_PREFIXLEN?: number;
  FRA_SUPPRESS_IFGROUP?: number;
  FRA_L3MDEV?: number;
  FRA_UID_RANGE?: FibRuleUidRange;
  FRA_PROTOCOL?: number;
  FRA_IP_PROTO?: number;
  FRA_SPORT_RANGE?: FibRulePortRange;
  FRA_DPORT_RANGE?: FibRulePortRange;
}

export interface RuleMsg {
  frh: FibRuleHdr;
  attrs: RuleAttrs;
}

export function fib_rule_hdr(init: Partial<FibRuleHdr> = {}): FibRuleHdr {
  return { family: 2, dst_len: 0, src_len: 0, tos: 0, table: 0, action: 0, flags: 0, ...init };
}

/** The kernel's ack: 0 or a negative errno, and the extack message it set. */
export interface NlAck {
  error: number;
  extack: string | null;
}

export function nlAck(error: number, extack: string | null = null): NlAck {
  return { error, extack };
}

// --- the door: rtnetlink_rcv_msg() for these message types ---

/** RTM_NEWROUTE with its nlmsg_flags (NLM_F_CREATE/EXCL/REPLACE/APPEND). */
export function rtnl_newroute(net: Net, flags: number, msg: RouteMsg): NlAck {
  return inet_rtm_newroute(net, flags, msg);
}

export function rtnl_delroute(net: Net, msg: RouteMsg): NlAck {
  return inet_rtm_delroute(net, msg);
}

/**
 * RTM_GETROUTE with NLM_F_DUMP: every table's routes (RTA_TABLE: one table,
 * an error when it does not exist), or with RTM_F_CLONED in rtm_flags the
 * nexthop exceptions.
 */
export function rtnl_dumproute(net: Net, req: RouteMsg): RouteMsg[] | NlAck {
  if (req.rtm.rtm_flags & RTM_F_CLONED) return fib_dump_info_fnhe(net);
  return inet_dump_fib(net, req);
}

/** RTM_GETROUTE without NLM_F_DUMP: `ip route get` (RTA_IIF for an input lookup, RTM_F_FIB_MATCH for the FIB entry). */
export function rtnl_getroute(net: Net, req: RouteMsg): RouteMsg | NlAck {
  return inet_rtm_getroute(net, req);
}

/**
 * NETLINK_CB(skb).portid of a request: the sender's socket was bound by
 * netlink_autobind(), which gives a process's first socket its tgid.
 */
function nl_portid(net: Net): number {
  return net.kernel.sim.sched.current?.pid ?? 0;
}

export function rtnl_newneigh(net: Net, flags: number, msg: NeighMsg): NlAck {
  return neigh_add(net, flags, msg, nl_portid(net));
}

export function rtnl_delneigh(net: Net, msg: NeighMsg): NlAck {
  return neigh_delete(net, msg, nl_portid(net));
}

export function rtnl_dumpneigh(net: Net, req: NeighMsg): NeighMsg[] {
  return neigh_dump_info(net, req);
}

export function rtnl_getneigh(net: Net, req: NeighMsg): NeighMsg | NlAck {
  return neigh_get(net, req);
}

export function rtnl_newrule(net: Net, flags: number, msg: RuleMsg): NlAck {
  return fib_nl_newrule(net, flags, msg);
}

export function rtnl_delrule(net: Net, msg: RuleMsg): NlAck {
  return fib_nl_delrule(net, msg);
}

export function rtnl_dumprule(net: Net, req: RuleMsg): RuleMsg[] {
  return fib_nl_dumprule(net, req);
}

/** A write to /proc/sys/net/ipv4/route/flush (what `ip route flush cache` does). */
export function proc_ipv4_route_flush(net: Net): void {
  ipv4_sysctl_rtcache_flush(net);
}

/** USER_HZ: the clock_t ticks per second of cacheinfo ages. */
export const USER_HZ = 100;

// --- AF_INET6 route messages (net/ipv6/route.c's handlers) ---

/** RTA_METRICS of an IPv6 route: RTAX_LOCK bits, RTAX_MTU, RTAX_HOPLIMIT (3 … 10 are not simulated). */
export interface Rta6Metrics extends RtaMetrics {
  RTAX_HOPLIMIT?: number;
}

export const RTAX_HOPLIMIT = 10;

/** The RTA_* attributes of an AF_INET6 route message: addresses as 16-byte in6_addr. */
export interface Route6Attrs {
  RTA_DST?: Uint8Array;
  RTA_SRC?: Uint8Array;
  RTA_IIF?: number;
  RTA_OIF?: number;
  RTA_GATEWAY?: Uint8Array;
  RTA_PRIORITY?: number;
  RTA_PREFSRC?: Uint8Array;
  RTA_METRICS?: Rta6Metrics;
  RTA_TABLE?: number;
  RTA_MARK?: number;
  RTA_CACHEINFO?: RtaCacheinfo;
  RTA_UID?: number;
  RTA_IP_PROTO?: number;
  RTA_SPORT?: number;
  RTA_DPORT?: number;
  /** ICMPV6_ROUTER_PREF_* (u8) */
  RTA_PREF?: number;
  /** seconds (u32) */
  RTA_EXPIRES?: number;
}

export interface Route6Msg {
  rtm: RtMsg;
  attrs: Route6Attrs;
}

/** RTM_NEWROUTE for AF_INET6: inet6_rtm_newroute(). */
export function rtnl_newroute6(net: Net, flags: number, msg: Route6Msg): NlAck {
  return inet6_rtm_newroute(net, flags, msg, nl_portid(net));
}

/** RTM_DELROUTE for AF_INET6: inet6_rtm_delroute(). */
export function rtnl_delroute6(net: Net, msg: Route6Msg): NlAck {
  return inet6_rtm_delroute(net, msg, nl_portid(net));
}

/** RTM_GETROUTE with NLM_F_DUMP for AF_INET6: inet6_dump_fib() (RTM_F_CLONED: the route exceptions too). */
export function rtnl_dumproute6(net: Net, req: Route6Msg): Route6Msg[] | NlAck {
  return inet6_dump_fib(net, req);
}

/** RTM_GETROUTE for AF_INET6: inet6_rtm_getroute(). */
export function rtnl_getroute6(net: Net, req: Route6Msg): Route6Msg | NlAck {
  return inet6_rtm_getroute(net, req);
}

/** A write to /proc/sys/net/ipv6/route/flush (what `ip -6 route flush cache` does). */
export function proc_ipv6_route_flush(net: Net): void {
  ipv6_sysctl_rtcache_flush(net);
}
