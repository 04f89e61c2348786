// The IPv6 routing types every part of the IPv6 stack shares: struct flowi6
// (include/net/flow.h), struct rt6_info with its dst_entry (include/net/ip6_fib.h),
// struct fib6_info and struct fib6_config, and the RTF_* flags
// (include/uapi/linux/ipv6_route.h, route.h). The route lookups themselves are in
// route.ts and ip6_fib.ts (v6route's); addrconf, ndisc, mcast, ip6_output and
// icmp build on these types only.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import type { Inet6Dev } from './addrconf.ts';

// include/uapi/linux/route.h
export const RTF_UP = 0x0001;
export const RTF_GATEWAY = 0x0002;
export const RTF_HOST = 0x0004;
export const RTF_REINSTATE = 0x0008;
export const RTF_DYNAMIC = 0x0010;
export const RTF_MODIFIED = 0x0020;
export const RTF_MTU = 0x0040;
export const RTF_WINDOW = 0x0080;
export const RTF_IRTT = 0x0100;
export const RTF_REJECT = 0x0200;
// include/uapi/linux/ipv6_route.h
export const RTF_DEFAULT = 0x00010000;
export const RTF_ALLONLINK = 0x00020000;
export const RTF_ADDRCONF = 0x00040000;
export const RTF_PREFIX_RT = 0x00080000;
export const RTF_ANYCAST = 0x00100000;
export const RTF_NONEXTHOP = 0x00200000;
export const RTF_EXPIRES = 0x00400000;
export const RTF_ROUTEINFO = 0x00800000;
export const RTF_CACHE = 0x01000000;
export const RTF_FLOW = 0x02000000;
export const RTF_POLICY = 0x04000000;
export const RTF_PREF_MASK = 0x18000000;
export const RTF_PCPU = 0x40000000;
export const RTF_LOCAL = 0x80000000;
/** RTF_PREF(pref): the router preference in the flags (ICMPV6_ROUTER_PREF_*: low 3, medium 0, high 1). */
export const RTF_PREF = (pref: number): number => (pref << 27) >>> 0;
export const ICMPV6_ROUTER_PREF_LOW = 0x3;
export const ICMPV6_ROUTER_PREF_MEDIUM = 0x0;
export const ICMPV6_ROUTER_PREF_HIGH = 0x1;
export const ICMPV6_ROUTER_PREF_INVALID = 0x2;

/** IP6_RT_PRIO_USER / IP6_RT_PRIO_ADDRCONF: the metrics routes get by default. */
export const IP6_RT_PRIO_USER = 1024;
export const IP6_RT_PRIO_ADDRCONF = 256;

// flowi_flags
export const FLOWI_FLAG_ANYSRC = 0x01;
export const FLOWI_FLAG_KNOWN_NH = 0x02;

// RT6_LOOKUP_F_* (include/net/ip6_route.h)
export const RT6_LOOKUP_F_IFACE = 0x00000001;
export const RT6_LOOKUP_F_REACHABLE = 0x00000002;
export const RT6_LOOKUP_F_HAS_SADDR = 0x00000004;
export const RT6_LOOKUP_F_SRCPREF_TMP = 0x00000008;
export const RT6_LOOKUP_F_SRCPREF_PUBLIC = 0x00000010;
export const RT6_LOOKUP_F_SRCPREF_COA = 0x00000020;
export const RT6_LOOKUP_F_IGNORE_LINKSTATE = 0x00000040;
export const RT6_LOOKUP_F_DST_NOREF = 0x00000080;

/** struct flowi6: what a route lookup is asked for. Addresses are 16-byte arrays. */
export interface Flowi6 {
  flowi6_oif: number;
  flowi6_iif: number;
  flowi6_mark: number;
  flowi6_uid: number;
  /** IPPROTO_* of the flow (fl6->flowi6_proto) */
  flowi6_proto: number;
  /** FLOWI_FLAG_* */
  flowi6_flags: number;
  daddr: Uint8Array;
  saddr: Uint8Array;
  /** The 20-bit flow label with the traffic class, as fl6->flowlabel (network order as a number: tclass << 20 | label). */
  flowlabel: number;
  fl6_sport: number;
  fl6_dport: number;
  fl6_icmp_type: number;
  fl6_icmp_code: number;
  /** fl6->mp_hash */
  mp_hash: number;
}

/** A flowi6 with everything zero but what init gives (memset + the fields a caller sets). */
export function flowi6(init: Partial<Flowi6>): Flowi6 {
  return {
    flowi6_oif: 0,
    flowi6_iif: 0,
    flowi6_mark: 0,
    flowi6_uid: 0,
    flowi6_proto: 0,
    flowi6_flags: 0,
    daddr: init.daddr ?? new Uint8Array(16),
    saddr: init.saddr ?? new Uint8Array(16),
    flowlabel: 0,
    fl6_sport: 0,
    fl6_dport: 0,
    fl6_icmp_type: 0,
    fl6_icmp_code: 0,
    mp_hash: 0,
    ...init,
  };
}

/** dst->input: what a received packet does with its route (ip6_input, ip6_forward, ip6_pkt_discard, ip6_mc_input …). */
export type Dst6Input = (skb: SkBuff) => number;
/** dst->output: how a packet leaves by this route (ip6_output, ip6_pkt_discard_out, …). */
export type Dst6Output = (net: Net, sk: Sock | null, skb: SkBuff) => number;

/** rt6key: a prefix of a route. */
export interface Rt6Key {
  addr: Uint8Array;
  plen: number;
}

/** The RTAX_* metrics a route carries (dst_metric()); 0 is "not set". */
export interface Rt6Metrics {
  /** RTAX_MTU */
  mtu: number;
  /** RTAX_HOPLIMIT */
  hoplimit: number;
  /** RTAX_ADVMSS */
  advmss: number;
  /** RTAX_LOCK bits (1 << RTAX_MTU: the mtu is locked) */
  locks: number;
}

export const newMetrics = (): Rt6Metrics => ({ mtu: 0, hoplimit: 0, advmss: 0, locks: 0 });

/** struct fib6_nh: the nexthop of a fib6_info. */
export interface Fib6Nh {
  fib_nh_dev: NetDevice | null;
  fib_nh_gw6: Uint8Array;
  /** fib_nh_gw_family: AF_INET6 (10) when there is a gateway, 0 when on-link */
  fib_nh_gw_family: number;
  /** RTNH_F_* (RTNH_F_LINKDOWN, RTNH_F_DEAD, RTNH_F_ONLINK) */
  fib_nh_flags: number;
}

/**
 * struct fib6_info: a route in a fib6 table (what `ip -6 route` shows). v6route
 * owns the tree it lives in (ip6_fib.ts) and may add fields here.
 */
export class Fib6Info {
  fib6_dst: Rt6Key = { addr: new Uint8Array(16), plen: 0 };
  fib6_src: Rt6Key = { addr: new Uint8Array(16), plen: 0 };
  fib6_prefsrc: Rt6Key = { addr: new Uint8Array(16), plen: 0 };
  /** The table id (RT6_TABLE_MAIN 254, RT6_TABLE_LOCAL 255). */
  fib6_table = 254;
  fib6_metric = 0;
  /** RTF_* */
  fib6_flags = 0;
  /** RTN_* */
  fib6_type = 1;
  /** RTPROT_* (kernel 2, boot 3, static 4, ra 9) */
  fib6_protocol = 0;
  /** Expiry in virtual ns (RTF_EXPIRES), 0 for none. */
  expires = 0;
  readonly fib6_metrics: Rt6Metrics = newMetrics();
  readonly fib6_nh: Fib6Nh = { fib_nh_dev: null, fib_nh_gw6: new Uint8Array(16), fib_nh_gw_family: 0, fib_nh_flags: 0 };
  /** dst_nocount / dst_nopolicy / dst_host */
  dst_nocount = false;
  dst_nopolicy = false;
  dst_host = false;
  /** The route is being removed (fib6_destroying). */
  fib6_destroying = false;
}

/**
 * struct rt6_info with its dst_entry: what a lookup hands the packet (skb.dst6)
 * and what a socket caches. An error route (ip6_null_entry, prohibit,
 * blackhole) has `error` < 0 and discard handlers.
 */
export class Rt6Info {
  /** dst->dev */
  dev: NetDevice;
  /** dst->error: 0, or a negative errno (-ENETUNREACH for ip6_null_entry) */
  error = 0;
  input: Dst6Input;
  output: Dst6Output;
  /** rt6i_gateway: the next hop (the destination itself for an on-link route's clone) */
  rt6i_gateway: Uint8Array = new Uint8Array(16);
  /** rt6i_flags: RTF_* */
  rt6i_flags = 0;
  rt6i_dst: Rt6Key = { addr: new Uint8Array(16), plen: 0 };
  rt6i_src: Rt6Key = { addr: new Uint8Array(16), plen: 0 };
  /** rt6i_idev: the inet6_dev of the route's device (ip6_dst_idev) */
  rt6i_idev: Inet6Dev | null = null;
  /** dst metrics (RTAX_MTU, RTAX_HOPLIMIT …) */
  readonly metrics: Rt6Metrics = newMetrics();
  /** dst->expires in virtual ns (a learned PMTU), 0 for none */
  expires = 0;
  /** The fib6_info this dst was made from (rt->from), null for icmp6_dst_alloc and the error entries. */
  from: Fib6Info | null = null;
  /** RTN_* of the route (the fib6_type it came from) */
  type = 1;
  /** The table the lookup answered from (fib6:fib6_table_lookup's tb_id), 0 when none. */
  table = 0;
  /** dst->obsolete (DST_OBSOLETE_*), for sockets that cache the route. */
  obsolete = 0;
  /** dst->lastuse in virtual ns */
  lastuse = 0;

  constructor(dev: NetDevice, input: Dst6Input, output: Dst6Output) {
    this.dev = dev;
    this.input = input;
    this.output = output;
  }
}

/** rt6_nexthop(): the gateway of a route with one, else the destination. */
export function rt6_nexthop(rt: Rt6Info, daddr: Uint8Array): Uint8Array {
  if (rt.rt6i_flags & RTF_GATEWAY) return rt.rt6i_gateway;
  return daddr;
}

/** ip6_dst_idev(): the route's inet6_dev. */
export function ip6_dst_idev(rt: Rt6Info): Inet6Dev | null {
  return rt.rt6i_idev;
}

/** struct fib6_config: what ip6_route_add/del are asked (from rtnetlink or addrconf). */
export interface Fib6Config {
  fc_table: number;
  fc_metric: number;
  fc_dst: Uint8Array;
  fc_dst_len: number;
  fc_src: Uint8Array;
  fc_src_len: number;
  fc_prefsrc: Uint8Array;
  fc_gateway: Uint8Array;
  fc_ifindex: number;
  /** RTF_* */
  fc_flags: number;
  fc_protocol: number;
  /** RTN_* */
  fc_type: number;
  /** Seconds until expiry (RTF_EXPIRES), 0 for none. */
  fc_expires: number;
  /** RTAX_MTU and friends (fc_mx) */
  fc_mx: Rt6Metrics;
  /** nl_net */
  fc_nlinfo: { nl_net: Net; portid: number; nlh: boolean };
}

export function fib6_config(net: Net, init: Partial<Fib6Config>): Fib6Config {
  return {
    fc_table: 254,
    fc_metric: IP6_RT_PRIO_USER,
    fc_dst: new Uint8Array(16),
    fc_dst_len: 0,
    fc_src: new Uint8Array(16),
    fc_src_len: 0,
    fc_prefsrc: new Uint8Array(16),
    fc_gateway: new Uint8Array(16),
    fc_ifindex: 0,
    fc_flags: 0,
    fc_protocol: 3,
    fc_type: 1,
    fc_expires: 0,
    fc_mx: newMetrics(),
    fc_nlinfo: { nl_net: net, portid: 0, nlh: false },
    ...init,
  };
}

// IP6SKB_* (include/linux/ipv6.h): IP6CB(skb)->flags
export const IP6SKB_XFRM_TRANSFORMED = 1;
export const IP6SKB_FORWARDED = 2;
export const IP6SKB_REROUTED = 4;
export const IP6SKB_ROUTERALERT = 8;
export const IP6SKB_FRAGMENTED = 16;
export const IP6SKB_HOPBYHOP = 32;
export const IP6SKB_L3SLAVE = 64;
export const IP6SKB_JUMBOGRAM = 128;
export const IP6SKB_SEG6 = 256;
export const IP6SKB_FAKEJUMBO = 512;
export const IP6SKB_MULTIPATH = 1024;

/** struct inet6_skb_parm: IP6CB(skb), the skb's cb.ip6 slot (ip6_rcv_core clears it). Offsets are from the network header. */
export interface Inet6SkbParm {
  iif: number;
  /** Offset of the router alert option, 0 for none. */
  ra: number;
  dst0: number;
  srcrt: number;
  dst1: number;
  lastopt: number;
  /** Offset of the nexthdr byte that names the current header. */
  nhoff: number;
  flags: number;
  frag_max_size: number;
}

export const inet6_skb_parm = (): Inet6SkbParm => ({
  iif: 0,
  ra: 0,
  dst0: 0,
  srcrt: 0,
  dst1: 0,
  lastopt: 0,
  nhoff: 0,
  flags: 0,
  frag_max_size: 0,
});

/** IP6CB(skb): the skb's inet6_skb_parm, made zero on first use. */
export function IP6CB(skb: SkBuff): Inet6SkbParm {
  let c = skb.cb.ip6;
  if (!c) skb.cb.ip6 = c = inet6_skb_parm();
  return c;
}
