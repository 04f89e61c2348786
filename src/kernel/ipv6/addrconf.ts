// net/ipv6/addrconf.c: the per-device IPv6 state (struct inet6_dev on
// dev->ip6_ptr) with its configuration (struct ipv6_devconf, the
// net.ipv6.conf.{all,default,DEV}.* sysctls), the addresses (struct
// inet6_ifaddr), the per-namespace IPv6 state (struct netns_ipv6 as net.ipv6),
// and the netdev notifier that makes an inet6_dev for every device.
import type { NetDevice } from '../core/netdevice.ts';
import { IFF_LOOPBACK } from '../core/netdevice.ts';
import { NeighTable } from '../core/neighbour.ts';
import type { NetdevEvent } from '../core/rtnetlink.ts';
import type { Net } from '../net_namespace.ts';
import type { SysctlError } from '../sysctl.ts';
import { EACCES, EADDRNOTAVAIL } from '../uapi/errno.ts';
import type { Timer } from '../../sim/events.ts';
import type { Fib6Info } from './route_types.ts';
import type { SkBuff } from '../skbuff.ts';
import { in6Equal } from '../../wire/ipv6.ts';
import {
  __ipv6_addr_src_scope,
  __ipv6_addr_type,
  IFA_HOST,
  IFA_LINK,
  IPV6_ADDR_MULTICAST,
  IPV6_ADDR_SCOPE_LINKLOCAL,
  in6addr_interfacelocal_allnodes,
  in6addr_linklocal_allnodes,
  in6addr_linklocal_allrouters,
  ipv6_prefix_equal,
} from './addrconf_core.ts';
import { ipv6_dev_mc_inc, ipv6_mc_init_dev } from './mcast.ts';

// --- struct ipv6_devconf ---

/** IN6_ADDR_GEN_MODE_* (addr_gen_mode) */
export const IN6_ADDR_GEN_MODE_EUI64 = 0;
export const IN6_ADDR_GEN_MODE_NONE = 1;
export const IN6_ADDR_GEN_MODE_STABLE_PRIVACY = 2;
export const IN6_ADDR_GEN_MODE_RANDOM = 3;

/**
 * struct ipv6_devconf: one per device (idev.cnf), plus net.ipv6.devconfAll
 * and devconfDflt. Hot paths read these fields; the sysctls read and write
 * them (addrconf_sysctl). Intervals Linux keeps in jiffies are in jiffies here
 * too (the sysctl shows seconds or milliseconds, as proc_dointvec_jiffies and
 * proc_dointvec_ms_jiffies convert).
 */
export class Ipv6Devconf {
  forwarding = 0;
  hop_limit = 64;
  mtu6 = 1280;
  accept_ra = 1;
  accept_redirects = 1;
  autoconf = 1;
  dad_transmits = 1;
  /** router_solicitations (-1: forever) */
  rtr_solicits = -1;
  /** router_solicitation_interval, jiffies (4 s) */
  rtr_solicit_interval = 4 * 250;
  /** router_solicitation_max_interval, jiffies (3600 s) */
  rtr_solicit_max_interval = 3600 * 250;
  /** router_solicitation_delay, jiffies (1 s) */
  rtr_solicit_delay = 250;
  force_mld_version = 0;
  /** mldv1_unsolicited_report_interval, jiffies (10 s) */
  mldv1_unsolicited_report_interval = 2500;
  /** mldv2_unsolicited_report_interval, jiffies (1 s) */
  mldv2_unsolicited_report_interval = 250;
  use_tempaddr = 0;
  temp_valid_lft = 604800;
  temp_prefered_lft = 86400;
  regen_min_advance = 2;
  regen_max_retry = 3;
  max_desync_factor = 600;
  max_addresses = 16;
  accept_ra_defrtr = 1;
  ra_defrtr_metric = 1024;
  accept_ra_min_hop_limit = 1;
  accept_ra_min_lft = 0;
  accept_ra_pinfo = 1;
  ignore_routes_with_linkdown = 0;
  accept_ra_rtr_pref = 1;
  /** router_probe_interval, jiffies (60 s) */
  rtr_probe_interval = 60 * 250;
  accept_ra_rt_info_min_plen = 0;
  accept_ra_rt_info_max_plen = 0;
  accept_source_route = 0;
  accept_ra_from_local = 0;
  optimistic_dad = 0;
  use_optimistic = 0;
  mc_forwarding = 0;
  drop_unicast_in_l2_multicast = 0;
  accept_dad = 1;
  force_tllao = 0;
  ndisc_notify = 0;
  suppress_frag_ndisc = 1;
  accept_ra_mtu = 1;
  drop_unsolicited_na = 0;
  accept_untracked_na = 0;
  /** stable_secret: set once written (reads are EIO until then) */
  stable_secret: Uint8Array | null = null;
  use_oif_addrs_only = 0;
  keep_addr_on_down = 0;
  seg6_enabled = 0;
  seg6_require_hmac = 0;
  enhanced_dad = 1;
  addr_gen_mode = IN6_ADDR_GEN_MODE_EUI64;
  disable_policy = 0;
  ndisc_tclass = 0;
  rpl_seg_enabled = 0;
  ioam6_id = 65535;
  ioam6_id_wide = 4294967295;
  ioam6_enabled = 0;
  ndisc_evict_nocarrier = 1;
  ra_honor_pio_life = 0;
  ra_honor_pio_pflag = 0;
  force_forwarding = 0;
  disable_ipv6 = 0;
  proxy_ndp = 0;

  /** memcpy(&ndev->cnf, dev_net(dev)->ipv6.devconf_dflt, …) */
  copyFrom(o: Ipv6Devconf): void {
    Object.assign(this, o);
    this.stable_secret = o.stable_secret ? o.stable_secret.slice() : null;
  }
}

/** The integer fields of ipv6_devconf. */
export type DevconfField = { [K in keyof Ipv6Devconf]: Ipv6Devconf[K] extends number ? K : never }[keyof Ipv6Devconf];

/** How a sysctl shows a field: as stored, in seconds of jiffies, or in milliseconds of jiffies. */
type Unit = 'int' | 'jiffies' | 'ms_jiffies';

/** addrconf_sysctl[]: the sysctl name of each field (where it differs) and its handler's unit and range. */
const DEVCONF_SYSCTL: Readonly<Record<string, readonly [DevconfField, Unit, number?, number?]>> = {
  forwarding: ['forwarding', 'int'],
  hop_limit: ['hop_limit', 'int', 1, 255],
  mtu: ['mtu6', 'int'],
  accept_ra: ['accept_ra', 'int'],
  accept_redirects: ['accept_redirects', 'int'],
  autoconf: ['autoconf', 'int'],
  dad_transmits: ['dad_transmits', 'int'],
  router_solicitations: ['rtr_solicits', 'int', -1],
  router_solicitation_interval: ['rtr_solicit_interval', 'jiffies'],
  router_solicitation_max_interval: ['rtr_solicit_max_interval', 'jiffies'],
  router_solicitation_delay: ['rtr_solicit_delay', 'jiffies'],
  force_mld_version: ['force_mld_version', 'int'],
  mldv1_unsolicited_report_interval: ['mldv1_unsolicited_report_interval', 'ms_jiffies'],
  mldv2_unsolicited_report_interval: ['mldv2_unsolicited_report_interval', 'ms_jiffies'],
  use_tempaddr: ['use_tempaddr', 'int'],
  temp_valid_lft: ['temp_valid_lft', 'int'],
  temp_prefered_lft: ['temp_prefered_lft', 'int'],
  regen_min_advance: ['regen_min_advance', 'int'],
  regen_max_retry: ['regen_max_retry', 'int'],
  max_desync_factor: ['max_desync_factor', 'int'],
  max_addresses: ['max_addresses', 'int'],
  accept_ra_defrtr: ['accept_ra_defrtr', 'int'],
  ra_defrtr_metric: ['ra_defrtr_metric', 'int', 1],
  accept_ra_min_hop_limit: ['accept_ra_min_hop_limit', 'int'],
  accept_ra_min_lft: ['accept_ra_min_lft', 'int'],
  accept_ra_pinfo: ['accept_ra_pinfo', 'int'],
  ignore_routes_with_linkdown: ['ignore_routes_with_linkdown', 'int'],
  accept_ra_rtr_pref: ['accept_ra_rtr_pref', 'int'],
  router_probe_interval: ['rtr_probe_interval', 'jiffies'],
  accept_ra_rt_info_min_plen: ['accept_ra_rt_info_min_plen', 'int'],
  accept_ra_rt_info_max_plen: ['accept_ra_rt_info_max_plen', 'int'],
  accept_source_route: ['accept_source_route', 'int'],
  accept_ra_from_local: ['accept_ra_from_local', 'int'],
  optimistic_dad: ['optimistic_dad', 'int'],
  use_optimistic: ['use_optimistic', 'int'],
  mc_forwarding: ['mc_forwarding', 'int'],
  drop_unicast_in_l2_multicast: ['drop_unicast_in_l2_multicast', 'int'],
  accept_dad: ['accept_dad', 'int'],
  force_tllao: ['force_tllao', 'int'],
  ndisc_notify: ['ndisc_notify', 'int'],
  suppress_frag_ndisc: ['suppress_frag_ndisc', 'int'],
  accept_ra_mtu: ['accept_ra_mtu', 'int'],
  drop_unsolicited_na: ['drop_unsolicited_na', 'int'],
  accept_untracked_na: ['accept_untracked_na', 'int', 0, 2],
  use_oif_addrs_only: ['use_oif_addrs_only', 'int'],
  keep_addr_on_down: ['keep_addr_on_down', 'int'],
  seg6_enabled: ['seg6_enabled', 'int'],
  seg6_require_hmac: ['seg6_require_hmac', 'int'],
  enhanced_dad: ['enhanced_dad', 'int'],
  addr_gen_mode: ['addr_gen_mode', 'int', 0, 3],
  disable_policy: ['disable_policy', 'int'],
  ndisc_tclass: ['ndisc_tclass', 'int', 0, 255],
  rpl_seg_enabled: ['rpl_seg_enabled', 'int'],
  ioam6_id: ['ioam6_id', 'int', 0, 65535],
  ioam6_id_wide: ['ioam6_id_wide', 'int', 0, 4294967295],
  ioam6_enabled: ['ioam6_enabled', 'int', 0, 1],
  ndisc_evict_nocarrier: ['ndisc_evict_nocarrier', 'int', 0, 1],
  ra_honor_pio_life: ['ra_honor_pio_life', 'int', 0, 1],
  ra_honor_pio_pflag: ['ra_honor_pio_pflag', 'int', 0, 1],
  force_forwarding: ['force_forwarding', 'int', 0, 1],
  disable_ipv6: ['disable_ipv6', 'int'],
  proxy_ndp: ['proxy_ndp', 'int'],
};

// --- struct inet6_ifaddr ---

// IFA_F_* (include/uapi/linux/if_addr.h)
export const IFA_F_SECONDARY = 0x01;
export const IFA_F_TEMPORARY = IFA_F_SECONDARY;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
export const IFA_F_STABLE_PRIVACY = 0x800;

/** INFINITY_LIFE_TIME: a lifetime that never ends (0xffffffff) */
export const INFINITY_LIFE_TIME = 0xffffffff;

/** enum inet6_ifaddr_state */
export const INET6_IFADDR_STATE_PREDAD = 0;
export const INET6_IFADDR_STATE_DAD = 1;
export const INET6_IFADDR_STATE_POSTDAD = 2;
export const INET6_IFADDR_STATE_ERRDAD = 3;
export const INET6_IFADDR_STATE_DEAD = 4;

/** IFAPROT_* (ifa_proto) */
export const IFAPROT_UNSPEC = 0;
export const IFAPROT_KERNEL_LO = 1;
export const IFAPROT_KERNEL_RA = 2;
export const IFAPROT_KERNEL_LL = 3;

/** struct inet6_ifaddr: an IPv6 address of a device. */
export class Inet6Ifaddr {
  readonly addr: Uint8Array;
  /** The peer of a point-to-point address (IFA_ADDRESS ≠ IFA_LOCAL), :: when none. */
  peer_addr: Uint8Array = new Uint8Array(16);
  prefix_len: number;
  rt_priority = 0;
  /** Seconds (INFINITY_LIFE_TIME for forever). */
  valid_lft = INFINITY_LIFE_TIME;
  prefered_lft = INFINITY_LIFE_TIME;
  /** Virtual ns of the last lifetime update (tstamp) and of creation (cstamp). */
  tstamp: number;
  cstamp: number;
  /** INET6_IFADDR_STATE_* */
  state = INET6_IFADDR_STATE_PREDAD;
  /** IFA_F_* */
  flags: number;
  /** IFA_HOST / IFA_LINK / IFA_SITE / IFA_GLOBAL (ipv6_addr_scope) */
  scope: number;
  /** DAD probes still to send. */
  dad_probes = 0;
  /** The nonce of the enhanced DAD probes (6 bytes), all zero when off. */
  readonly dad_nonce = new Uint8Array(6);
  stable_privacy_retry = 0;
  /** IFAPROT_* */
  ifa_proto = IFAPROT_UNSPEC;
  /** The local route of the address (ifp->rt, in the local table). */
  rt: Fib6Info | null = null;
  /** ifp->dad_work / the DAD timer. */
  timer: Timer | null = null;
  /** The address is gone (addrconf_del_dad_work, ipv6_del_addr). */
  dead = false;

  constructor(
    readonly idev: Inet6Dev,
    addr: Uint8Array,
    prefixLen: number,
    scope: number,
    flags: number,
    now: number,
  ) {
    this.addr = addr;
    this.prefix_len = prefixLen;
    this.scope = scope;
    this.flags = flags;
    this.tstamp = now;
    this.cstamp = now;
  }
}

// --- struct inet6_dev ---

// if_flags (include/net/if_inet6.h)
export const IF_RA_OTHERCONF = 0x80;
export const IF_RA_MANAGED = 0x40;
export const IF_RA_RCVD = 0x20;
export const IF_RS_SENT = 0x10;
export const IF_READY = 0x80000000;

/** struct ifmcaddr6: a multicast group a device joined (mcast.ts fills it). */
export interface Ifmcaddr6 {
  readonly mca_addr: Uint8Array;
  mca_users: number;
  /** MAF_* flags */
  mca_flags: number;
  /** Reports still to send for this group (mca_crcount). */
  mca_crcount: number;
  /** Virtual ns of creation and last update (/proc/net/igmp6 shows neither; cacheinfo does). */
  mca_cstamp: number;
  mca_tstamp: number;
  /** The pending report timer of MLDv1 (mca_work). */
  timer: Timer | null;
}

/** struct ifacaddr6: an anycast address of a device (anycast.ts). */
export interface Ifacaddr6 {
  readonly aca_addr: Uint8Array;
  aca_users: number;
  aca_rt: Fib6Info | null;
}

/** struct inet6_dev: dev->ip6_ptr. */
export class Inet6Dev {
  readonly cnf = new Ipv6Devconf();
  /** addr_list: the device's addresses, in the order `ip -6 addr` lists them. */
  readonly addr_list: Inet6Ifaddr[] = [];
  /** mc_list: the multicast groups joined (mcast.ts). */
  readonly mc_list: Ifmcaddr6[] = [];
  /** ac_list: anycast addresses (anycast.ts). */
  readonly ac_list: Ifacaddr6[] = [];
  /** IF_* */
  if_flags = 0;
  /** Going away (ipv6_dev removed on unregister). */
  dead = false;
  /** Router solicitations sent and the current interval (jiffies). */
  rs_probes = 0;
  rs_interval = 0;
  /** The RS timer (addrconf_rs_timer). */
  rs_timer: Timer | null = null;
  /** MLD state (mcast.ts): querier versions, the report timers, and what is pending. */
  mc_qrv = 2;
  mc_maxdelay = 0;
  mc_v1_seen = 0;
  /** MLDv2 interface change report retransmissions left (mc_ifc_count) and its timer. */
  mc_ifc_count = 0;
  mc_ifc_timer: Timer | null = null;
  /** Per-group MLDv2 reports pending (mc_dad_count: the reports sent once DAD is done). */
  mc_dad_count = 0;
  mc_dad_timer: Timer | null = null;
  /** Virtual ns of creation and of the last address change (cacheinfo). */
  tstamp: number;
  /** ra_mtu: the MTU the last RA gave. */
  ra_mtu = 0;
  /** Interface identifier for tokenized addresses (ip token), :: when unset. */
  readonly token = new Uint8Array(16);
  /** desync_factor of temporary addresses. */
  desync_factor = 0;
  /** dev->ipv6 per-device SNMP (/proc/net/dev_snmp6/DEV): by MIB name. */
  readonly stats = new Map<string, number>();

  constructor(
    readonly dev: NetDevice,
    now: number,
  ) {
    this.tstamp = now;
  }
}

/** __in6_dev_get(): the device's inet6_dev, or null (never made, or IPv6 unregistered). */
export function __in6_dev_get(dev: NetDevice): Inet6Dev | null {
  return dev.ip6Ptr;
}

// --- struct netns_ipv6 ---

/** Counters and state of net->ipv6 that are not devconf: the sysctls the hot paths read as fields. */
export class NetnsSysctlIpv6 {
  /** ip6_rt_gc_* and the route sysctls (jiffies where Linux keeps jiffies) */
  ip6_rt_gc_interval = 30 * 250;
  ip6_rt_gc_timeout = 60 * 250;
  ip6_rt_gc_elasticity = 9;
  ip6_rt_gc_min_interval = 125;
  ip6_rt_mtu_expires = 600 * 250;
  ip6_rt_min_advmss = 1220;
  /** icmpv6_time: net.ipv6.icmp.ratelimit, jiffies (100 ms) */
  icmpv6_time = 25;
  icmpv6_echo_ignore_all = 0;
  icmpv6_echo_ignore_multicast = 0;
  icmpv6_echo_ignore_anycast = 0;
  icmpv6_error_anycast_as_unicast = 0;
  /** icmpv6_ratemask: the types icmpv6_send rate limits (bit per type, 0-1 and 3-127 by default). */
  readonly icmpv6_ratemask = new Uint8Array(32);
  auto_flowlabels = 1;
  flowlabel_consistency = 1;
  flowlabel_reflect = 0;
  fwmark_reflect = 0;
  idgen_retries = 3;
  /** idgen_delay, jiffies (1 s) */
  idgen_delay = 250;
  max_dst_opts_cnt = 8;
  max_hbh_opts_cnt = 8;
  max_dst_opts_len = 2147483647;
  max_hbh_opts_len = 2147483647;
  ip_nonlocal_bind = 0;
  anycast_src_echo_reply = 0;
  bindv6only = 0;
  /** ip6frag_* (net->ipv6.fqdir) */
  frag_high_thresh = 4194304;
  frag_low_thresh = 3145728;
  /** ip6frag_time, jiffies (60 s) */
  frag_timeout = 60 * 250;

  constructor() {
    // icmpv6_ratemask default "0-1,3-127"
    for (let t = 0; t <= 127; t++) if (t !== 2) this.icmpv6_ratemask[t >> 3] = (this.icmpv6_ratemask[t >> 3] as number) | (1 << (t & 7));
  }
}

/** struct netns_ipv6 (net->ipv6): what IPv6 keeps per namespace. */
export class NetnsIpv6 {
  readonly devconfAll = new Ipv6Devconf();
  readonly devconfDflt = new Ipv6Devconf();
  readonly sysctl = new NetnsSysctlIpv6();
  /** nd_tbl's per-namespace table (the neighbour core keyed by in6 addresses). */
  readonly ndTbl: NeighTable;
  /** icmpv6 global rate limit (icmp_global_allow is shared with IPv4 on Linux: net.icmpRate) and per-peer tokens, by address. */
  readonly icmpPeers = new Map<string, { rateTokens: number; rateLast: number }>();
  /** ip6_flowlabel state: the flow labels sockets hold, by label. */
  readonly flowlabels = new Map<number, unknown>();
  /** ipv6_proxy_select_ident / ipv6_select_ident: the fragment ident generator state, by (daddr, saddr). */
  readonly idents = new Map<string, number>();
  /** rt6_stats / the fib6 of the namespace: v6route's (ip6_fib.ts), made by fib6_net_init. */
  fib6: import('./ip6_fib.ts').Fib6Net | null = null;
  /** net->ipv6.ip6_null_entry / ip6_prohibit_entry / ip6_blk_hole_entry (route.ts makes them). */
  ip6_null_entry: import('./route_types.ts').Rt6Info | null = null;
  ip6_prohibit_entry: import('./route_types.ts').Rt6Info | null = null;
  ip6_blk_hole_entry: import('./route_types.ts').Rt6Info | null = null;
  /** dev_addr_genid: bumped when an address changes (sockets recheck their source). */
  dev_addr_genid = 0;

  constructor(readonly net: Net) {
    this.ndTbl = new NeighTable(net, 10);
    // addrconf_init_net(): all's defaults differ from default's in accept_dad (0)
    this.devconfAll.accept_dad = 0;
  }
}

// --- address lookups (what ndisc, icmp, route and the sockets ask) ---

/** The inet6_ifaddr of addr on any device of net, in device order (net->ipv6.inet6_addr_lst's walk). */
function* all_ifaddrs(net: Net): Generator<Inet6Ifaddr> {
  for (const d of net.devices) {
    const idev = d.ip6Ptr;
    if (idev) yield* idev.addr_list;
  }
}

/** ipv6_get_ifaddr(): our address addr (on dev when given: a link or host scope one only there, any when strict). */
export function ipv6_get_ifaddr(net: Net, addr: Uint8Array, dev: NetDevice | null, strict: number): Inet6Ifaddr | null {
  for (const ifp of all_ifaddrs(net)) {
    if (!in6Equal(ifp.addr, addr)) continue;
    if (!dev || ifp.idev.dev === dev || !(ifp.scope & (IFA_LINK | IFA_HOST) || strict)) return ifp;
  }
  return null;
}

/**
 * ipv6_chk_addr_and_flags(): the device that holds addr without any of
 * banned_flags (an optimistic address counts as not tentative), or null.
 */
export function ipv6_chk_addr_and_flags(
  net: Net,
  addr: Uint8Array,
  dev: NetDevice | null,
  skipDevCheck: boolean,
  strict: number,
  bannedFlags: number,
): NetDevice | null {
  const d = skipDevCheck ? null : dev;
  for (const ifp of all_ifaddrs(net)) {
    const f = ifp.flags & IFA_F_OPTIMISTIC ? ifp.flags & ~IFA_F_TENTATIVE : ifp.flags;
    if (in6Equal(ifp.addr, addr) && !(f & bannedFlags) && (!d || ifp.idev.dev === d || !(ifp.scope & (IFA_LINK | IFA_HOST) || strict)))
      return ifp.idev.dev;
  }
  return null;
}

/** ipv6_chk_addr(): addr is ours and not tentative (on dev for link-local ones when strict). */
export function ipv6_chk_addr(net: Net, addr: Uint8Array, dev: NetDevice | null, strict: number): boolean {
  return ipv6_chk_addr_and_flags(net, addr, dev, !dev, strict, IFA_F_TENTATIVE) !== null;
}

/** ipv6_get_lladdr() → __ipv6_get_lladdr(): dev's link-local address without banned_flags, or null. */
export function ipv6_get_lladdr(dev: NetDevice, bannedFlags: number): Uint8Array | null {
  const idev = dev.ip6Ptr;
  if (!idev) return null;
  for (let i = idev.addr_list.length - 1; i >= 0; i--) {
    const ifp = idev.addr_list[i] as Inet6Ifaddr;
    if (ifp.scope > IFA_LINK) break;
    if (ifp.scope === IFA_LINK && !(ifp.flags & bannedFlags)) return ifp.addr.slice();
  }
  return null;
}

/** The score of a candidate source (rules of RFC 6724 §5 that skbpath's addresses can tell apart). */
function saddr_score(ifp: Inet6Ifaddr, daddr: Uint8Array, dstScope: number, oif: NetDevice | null): number[] {
  const same = in6Equal(ifp.addr, daddr) ? 1 : 0;
  let scope = __ipv6_addr_src_scope(__ipv6_addr_type(ifp.addr));
  scope = scope >= dstScope ? -scope : scope - 128;
  const notDeprecated = ifp.flags & IFA_F_DEPRECATED ? 0 : 1;
  const oifMatch = oif && ifp.idev.dev === oif ? 1 : 0;
  let plen = 0;
  while (plen < 128 && plen < ifp.prefix_len && ipv6_prefix_equal(ifp.addr, daddr, plen + 1)) plen++;
  return [same, scope, notDeprecated, oifMatch, plen];
}

/**
 * ipv6_dev_get_saddr(): the source address for daddr out of dstDev (RFC 6724
 * source selection over the device's addresses, or every device's when the
 * destination is global and use_oif_addrs_only is off). null: none
 * (-EADDRNOTAVAIL).
 */
export function ipv6_dev_get_saddr(net: Net, dstDev: NetDevice | null, daddr: Uint8Array, prefs: number): Uint8Array | null {
  void prefs;
  const dstType = __ipv6_addr_type(daddr);
  const dstScope = __ipv6_addr_src_scope(dstType);
  let useOif = false;
  if (dstDev) {
    const idev = dstDev.ip6Ptr;
    if (dstType & IPV6_ADDR_MULTICAST || dstScope <= IPV6_ADDR_SCOPE_LINKLOCAL || (idev && idev.cnf.use_oif_addrs_only)) useOif = true;
  }
  const cands: Inet6Ifaddr[] = [];
  if (useOif) cands.push(...((dstDev as NetDevice).ip6Ptr?.addr_list ?? []));
  else for (const d of net.devices) cands.push(...(d.ip6Ptr?.addr_list ?? []));
  let best: Inet6Ifaddr | null = null;
  let bestScore: number[] = [];
  for (const ifp of cands) {
    if (ifp.flags & IFA_F_TENTATIVE && !(ifp.flags & IFA_F_OPTIMISTIC)) continue;
    if (ifp.flags & IFA_F_DADFAILED) continue;
    if (__ipv6_addr_type(ifp.addr) & IPV6_ADDR_MULTICAST) continue;
    if (!ifp.idev.dev.isUp) continue;
    const sc = saddr_score(ifp, daddr, dstScope, dstDev);
    let better = best === null;
    if (!better) {
      for (let i = 0; i < sc.length; i++) {
        if ((sc[i] as number) === (bestScore[i] as number)) continue;
        better = (sc[i] as number) > (bestScore[i] as number);
        break;
      }
    }
    if (better) {
      best = ifp;
      bestScore = sc;
    }
  }
  return best ? best.addr.slice() : null;
}

/** addrconf_dad_failure(): a duplicate of our tentative address answered (DAD state machine in addrconf). */
export function addrconf_dad_failure(skb: SkBuff | null, ifp: Inet6Ifaddr): void {
  void skb;
  ifp.flags |= IFA_F_DADFAILED;
  ifp.flags &= ~IFA_F_TENTATIVE;
  ifp.state = INET6_IFADDR_STATE_ERRDAD;
}

// --- the sysctls: net.ipv6.conf.{all,default,DEV}.* read and write the fields ---

/** The devconf a net.ipv6.conf.X name addresses, with the field entry. */
function devconf_of(net: Net, name: string): { cnf: Ipv6Devconf; idev: Inet6Dev | null; which: string; key: string } | null {
  const m = /^net\.ipv6\.conf\.([^.]+)\.(.+)$/.exec(name);
  if (!m) return null;
  const which = m[1] as string;
  const key = m[2] as string;
  if (which === 'all') return { cnf: net.ipv6.devconfAll, idev: null, which, key };
  if (which === 'default') return { cnf: net.ipv6.devconfDflt, idev: null, which, key };
  const dev = net.dev(which);
  const idev = dev?.ip6Ptr ?? null;
  if (!idev) return null;
  return { cnf: idev.cnf, idev, which, key };
}

/** The value /proc/sys shows for a devconf field. */
function devconf_show(cnf: Ipv6Devconf, key: string): string | undefined {
  const e = DEVCONF_SYSCTL[key];
  if (!e) return undefined;
  const v = cnf[e[0]];
  if (e[1] === 'jiffies') return String(Math.trunc(v / 250));
  if (e[1] === 'ms_jiffies') return String(v * 4);
  return String(v);
}

/** The hook Sysctls calls for net.ipv6.conf.*: reads and writes go to the fields. */
export function addrconf_sysctl_register(net: Net): void {
  net.sysctl.confHook = {
    read(name: string): string | undefined {
      const d = devconf_of(net, name);
      return d ? devconf_show(d.cnf, d.key) : undefined;
    },
    write(name: string, n: number): SysctlError | null | undefined {
      const d = devconf_of(net, name);
      if (!d) return undefined;
      const e = DEVCONF_SYSCTL[d.key];
      if (!e) return undefined;
      const [field, unit, min, max] = e;
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) return 'EINVAL';
      if (field === 'mtu6') {
        // addrconf_sysctl_mtu(): IPV6_MIN_MTU up to the device's MTU (INT_MAX for all/default)
        if (n < 1280 || (d.idev && n > d.idev.dev.mtu)) return 'EINVAL';
      }
      const v = unit === 'jiffies' ? n * 250 : unit === 'ms_jiffies' ? Math.ceil((n * 250) / 1000) : n;
      if (field === 'forwarding') return addrconf_fixup_forwarding(net, d.cnf, d.which, v);
      if (field === 'disable_ipv6') return addrconf_disable_ipv6(net, d.cnf, d.which, v);
      d.cnf[field] = v;
      return null;
    },
  };
}

/** addrconf_fixup_forwarding(): `all` sets default and every device; a device only itself. */
function addrconf_fixup_forwarding(net: Net, cnf: Ipv6Devconf, which: string, v: number): SysctlError | null {
  cnf.forwarding = v;
  if (which === 'all') {
    net.ipv6.devconfDflt.forwarding = v;
    for (const d of net.devices) {
      if (d.ip6Ptr) d.ip6Ptr.cnf.forwarding = v;
      net.sysctl.store(`net.ipv6.conf.${d.name}.forwarding`, String(v));
    }
    net.sysctl.store('net.ipv6.conf.default.forwarding', String(v));
  }
  return null;
}

/** addrconf_disable_ipv6(): `all` sets default and every device (addrconf_disable_change). */
function addrconf_disable_ipv6(net: Net, cnf: Ipv6Devconf, which: string, v: number): SysctlError | null {
  const newf = v;
  cnf.disable_ipv6 = newf;
  if (which === 'all') {
    net.ipv6.devconfDflt.disable_ipv6 = newf;
    net.sysctl.store('net.ipv6.conf.default.disable_ipv6', String(newf));
    for (const d of net.devices) {
      const idev = d.ip6Ptr;
      if (!idev) continue;
      idev.cnf.disable_ipv6 = newf;
      net.sysctl.store(`net.ipv6.conf.${d.name}.disable_ipv6`, String(newf));
    }
  }
  return null;
}

// --- the netdev notifier ---

/**
 * ipv6_add_dev(): the inet6_dev of a new device, its conf copied from
 * default, mtu6 from the device; loopback never does DAD or temporary addresses.
 */
export function ipv6_add_dev(dev: NetDevice): Inet6Dev {
  if (dev.ip6Ptr) return dev.ip6Ptr;
  const net = dev.net;
  const idev = new Inet6Dev(dev, net.kernel.now);
  idev.cnf.copyFrom(net.ipv6.devconfDflt);
  idev.cnf.mtu6 = dev.mtu;
  if (dev.flags & IFF_LOOPBACK) {
    // addrconf_add_dev() / ipv6_add_dev(): lo never does DAD nor temporary addresses
    idev.cnf.accept_dad = -1;
    idev.cnf.use_tempaddr = -1;
  }
  dev.ip6Ptr = idev;
  ipv6_mc_init_dev(idev);
  // join the interface-local and link-local all-nodes groups (no reports for either)
  ipv6_dev_mc_inc(dev, in6addr_interfacelocal_allnodes());
  ipv6_dev_mc_inc(dev, in6addr_linklocal_allnodes());
  if (idev.cnf.forwarding) ipv6_dev_mc_inc(dev, in6addr_linklocal_allrouters());
  return idev;
}

/** addrconf_notify(): the netdev notifier of IPv6 (register_netdevice_notifier(&ipv6_dev_notf)). */
export function addrconf_notify(event: NetdevEvent, dev: NetDevice): void {
  switch (event) {
    case 'REGISTER':
      ipv6_add_dev(dev);
      break;
    case 'UNREGISTER':
      if (dev.ip6Ptr) dev.ip6Ptr.dead = true;
      dev.ip6Ptr = null;
      break;
    case 'CHANGEMTU':
      if (dev.ip6Ptr && dev.mtu >= 1280) dev.ip6Ptr.cnf.mtu6 = dev.mtu;
      break;
    default:
      break;
  }
}

/** addrconf_init_net(): the namespace's IPv6 state and its sysctl hook. */
export function addrconf_init_net(net: Net): void {
  addrconf_sysctl_register(net);
}

// --- rtnetlink (inet6_rtm_newaddr & co.) ---

/** inet6_rtm_newaddr() → inet6_addr_add(): the device has no inet6_dev to take it. */
export function inet6_rtm_newaddr(extack: { msg: string | null }): number {
  extack.msg = 'ipv6: IPv6 is disabled on this device';
  return -EACCES;
}

/** inet6_rtm_deladdr() → inet6_addr_del() */
export function inet6_rtm_deladdr(extack: { msg: string | null }): number {
  extack.msg = 'ipv6: address not found';
  return -EADDRNOTAVAIL;
}
