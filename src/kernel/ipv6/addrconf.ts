// net/ipv6/addrconf.c: the per-device IPv6 state (struct inet6_dev on
// dev->ip6_ptr) with its configuration (struct ipv6_devconf, the
// net.ipv6.conf.{all,default,DEV}.* sysctls), the addresses (struct
// inet6_ifaddr), the per-namespace IPv6 state (struct netns_ipv6 as net.ipv6),
// and the netdev notifier that makes an inet6_dev for every device.
import type { NetDevice } from '../core/netdevice.ts';
import { IFF_LOOPBACK } from '../core/netdevice.ts';
import { NeighTable } from '../core/neighbour.ts';
import { ARPHRD_ETHER, ARPHRD_LOOPBACK, IFF_MULTICAST, IFF_NOARP, IFF_UP } from '../core/netdevice.ts';
import { RTM_DELADDR, RTM_NEWADDR } from '../uapi/rtnetlink.ts';
import { EEXIST, ENODEV } from '../uapi/errno.ts';
import { in6addrLoopback, IPV6_MIN_MTU, ipv6ToString, parseIpv6 } from '../../wire/ipv6.ts';
import { SHA1_BLOCK_SIZE, SHA1_DIGEST_WORDS, sha1_init_raw, sha1_transform } from '../lib/sha1.ts';
import { ndisc_send_na, ndisc_send_ns, ndisc_send_rs } from './ndisc.ts';
import { fib6_get_table, fib6_locate } from './ip6_fib.ts';
import {
  addrconf_f6i_alloc,
  ip6_del_rt,
  ip6_ins_rt,
  ip6_route_add,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  rt6_disable_ip,
  rt6_mtu_change,
  rt6_sync_linkdown,
  rt6_sync_up,
} from './route.ts';
import { fib6_config, IP6_RT_PRIO_ADDRCONF, RTF_DEFAULT, RTF_GATEWAY, RTF_UP } from './route_types.ts';
import type { NetdevEvent } from '../core/rtnetlink.ts';
import type { Net } from '../net_namespace.ts';
import type { SysctlError } from '../sysctl.ts';
import { EACCES, EADDRNOTAVAIL, EINVAL, ENOENT, ENXIO } from '../uapi/errno.ts';
import {
  AF_INET6,
  type AddrMsg,
  type IfaAttrs,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_MULTI,
  NLM_F_REPLACE,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_SITE,
  RT_SCOPE_UNIVERSE,
} from '../uapi/rtnetlink.ts';
import type { Timer } from '../../sim/events.ts';
import type { Fib6Info } from './route_types.ts';
import type { SkBuff } from '../skbuff.ts';
import { in6Equal } from '../../wire/ipv6.ts';
import { __ipv6_dev_ac_dec, __ipv6_dev_ac_inc, ipv6_ac_destroy_dev } from './anycast.ts';
import {
  __ipv6_addr_src_scope,
  __ipv6_addr_type,
  IFA_HOST,
  IFA_LINK,
  IFA_SITE,
  ipv6_addr_scope,
  IPV6_ADDR_MULTICAST,
  IPV6_ADDR_SCOPE_LINKLOCAL,
  IPV6_ADDR_LOOPBACK,
  addrconf_addr_solict_mult,
  ipv6_addr_any,
  ipv6_addr_prefix,
  ipv6_addr_src_scope,
  ipv6_addr_type,
  in6addr_interfacelocal_allnodes,
  jiffies_timer_at,
  work_timer,
  in6addr_linklocal_allnodes,
  in6addr_linklocal_allrouters,
  in6addr_interfacelocal_allrouters,
  in6addr_sitelocal_allrouters,
  ipv6_prefix_equal,
} from './addrconf_core.ts';
import {
  ipv6_dev_mc_dec,
  ipv6_dev_mc_inc,
  ipv6_mc_dad_complete,
  ipv6_mc_destroy_dev,
  ipv6_mc_down,
  ipv6_mc_init_dev,
  ipv6_mc_up,
} from './mcast.ts';

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
  /** ifp->rt is in the fib (__ipv6_ifa_notify inserted it). */
  routeInserted = false;

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
  /** mc_tomb: groups left whose leave is still being reported (mld_add_delrec). */
  readonly mc_tomb: Ifmcaddr6[] = [];
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
  /** net_hash_mix(net) of inet6_addr_lst's hash, drawn when first needed (/proc/net/if_inet6). */
  hash_mix: number | null = null;
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
  /** net->ipv6.ndisc_sk / igmp_sk: the kernel's ICMPv6 sockets ND and MLD send from (ndisc.ts, mcast.ts make them). */
  ndisc_sk: import('../sock.ts').Sock | null = null;
  igmp_sk: import('../sock.ts').Sock | null = null;
  /** A netlink request is running: addrconf's works due now run inline (addrconf_mod_dad_work). */
  inlineWork = false;
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

/**
 * addrconf_dad_failure(): a duplicate of our tentative address answered (or
 * probed for it too): "IPv6 duplicate address … detected!", and the DAD work
 * aborts (dadfailed, still tentative).
 */
export function addrconf_dad_failure(skb: SkBuff | null, ifp: Inet6Ifaddr): void {
  if (addrconf_dad_end(ifp)) return;
  const dev = ifp.idev.dev;
  let mac = '';
  if (skb && skb.macHeader >= 0) {
    const parts: string[] = [];
    for (let i = 6; i < 12; i++) parts.push((skb.head[skb.macHeader + i] as number).toString(16).padStart(2, '0'));
    mac = parts.join(':');
  }
  dev.net.kernel.kmsg.printk(6, `IPv6: ${dev.name}: IPv6 duplicate address ${ipv6ToString(ifp.addr)} used by ${mac} detected!\n`);
  if (ifp.flags & IFA_F_STABLE_PRIVACY) addrconf_stable_privacy_retry(ifp);
  ifp.state = INET6_IFADDR_STATE_ERRDAD;
  addrconf_mod_dad_work(ifp, 0);
}

/**
 * addrconf_dad_failure()'s IFA_F_STABLE_PRIVACY branch: a new stable address
 * hashed with the next dad_count, added beside the failed one (which goes on
 * to dadfailed) and probed after idgen_delay; none past idgen_retries.
 */
function addrconf_stable_privacy_retry(ifp: Inet6Ifaddr): void {
  const idev = ifp.idev;
  const dev = idev.dev;
  const net = dev.net;
  const retries = ifp.stable_privacy_retry + 1;
  if (retries > net.sysctl.int('net.ipv6.idgen_retries')) {
    net.kernel.kmsg.printk(6, `IPv6: ${dev.name}: privacy stable address generation failed because of DAD conflicts!\n`);
    return;
  }
  const newAddr = ifp.addr.slice();
  if (!ipv6_generate_stable_address(newAddr, retries, idev)) return;
  if (idev.cnf.max_addresses && idev.addr_list.length >= idev.cnf.max_addresses) return;
  net.kernel.kmsg.printk(6, `IPv6: ${dev.name}: generating new stable privacy address because of DAD conflict\n`);
  const ifp2 = ipv6_add_addr(
    idev,
    {
      pfx: newAddr,
      plen: ifp.prefix_len,
      peer_pfx: null,
      rt_priority: 0,
      ifa_flags: ifp.flags,
      valid_lft: ifp.valid_lft,
      preferred_lft: ifp.prefered_lft,
      scope: ifp.scope,
      ifa_proto: IFAPROT_UNSPEC,
    },
    null,
  );
  if (typeof ifp2 === 'number') return;
  ifp2.stable_privacy_retry = retries;
  ifp2.state = INET6_IFADDR_STATE_PREDAD;
  addrconf_mod_dad_work(ifp2, net.sysctl.int('net.ipv6.idgen_delay') * 250);
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
      if (d?.key === 'stable_secret') return d.cnf.stable_secret ? stable_secret_show(d.cnf.stable_secret) : undefined;
      return d ? devconf_show(d.cnf, d.key) : undefined;
    },
    readError(name: string): SysctlError | null {
      const d = devconf_of(net, name);
      if (d?.key !== 'stable_secret') return null;
      // addrconf_sysctl_stable_secret(): `all` has none; an unset secret reads EIO
      return d.which === 'all' || !d.cnf.stable_secret ? 'EIO' : null;
    },
    writeString(name: string, v: string): SysctlError | null | undefined {
      const d = devconf_of(net, name);
      if (d?.key !== 'stable_secret') return undefined;
      return addrconf_sysctl_stable_secret(net, d.cnf, d.which, v);
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

/** %pI6 of a secret: eight groups of four hex digits, nothing compressed. */
function stable_secret_show(a: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push((((a[i] as number) << 8) | (a[i + 1] as number)).toString(16).padStart(4, '0'));
  return g.join(':');
}

/**
 * addrconf_sysctl_stable_secret(): `all` is EIO; the string (proc_dostring
 * stops at the newline) goes through in6_pton with no delimiter, which ends
 * the address at the first character that is not a hex digit, ':' or '.';
 * a secret set on `default` makes every existing device stable-privacy, one
 * set on a device that device.
 */
function addrconf_sysctl_stable_secret(net: Net, cnf: Ipv6Devconf, which: string, v: string): SysctlError | null {
  if (which === 'all') return 'EIO';
  const line = v.split('\n')[0] as string;
  const m = /^[0-9a-fA-F:.]*/.exec(line);
  const addr = parseIpv6(m ? m[0] : '');
  if (!addr) return 'EIO';
  cnf.stable_secret = addr;
  if (which === 'default') {
    for (const d of net.devices) if (d.ip6Ptr) d.ip6Ptr.cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_STABLE_PRIVACY;
  } else cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_STABLE_PRIVACY;
  return null;
}

/** addrconf_fixup_forwarding(): `all` sets default and every device; a device only itself. */
function addrconf_fixup_forwarding(net: Net, cnf: Ipv6Devconf, which: string, v: number): SysctlError | null {
  const idevOf = (c: Ipv6Devconf): Inet6Dev | null => {
    for (const d of net.devices) if (d.ip6Ptr?.cnf === c) return d.ip6Ptr;
    return null;
  };
  const old = cnf.forwarding;
  cnf.forwarding = v;
  if (which !== 'all' && which !== 'default') {
    const idev = idevOf(cnf);
    if (idev && !old !== !v) dev_forward_change(idev);
  }
  if (which === 'all') {
    net.ipv6.devconfDflt.forwarding = v;
    for (const d of net.devices) {
      const idev = d.ip6Ptr;
      if (idev) {
        const changed = !idev.cnf.forwarding !== !v;
        if (v === 0) idev.cnf.force_forwarding = 0;
        idev.cnf.forwarding = v;
        if (changed) dev_forward_change(idev);
      }
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
 * default, mtu6 from the device; loopback never does DAD or temporary
 * addresses. Joins ff01::1 and ff02::1 (and ff02::2 when forwarding).
 */
export function ipv6_add_dev(dev: NetDevice): Inet6Dev {
  if (dev.ip6Ptr) return dev.ip6Ptr;
  const net = dev.net;
  const idev = new Inet6Dev(dev, net.kernel.now);
  idev.cnf.copyFrom(net.ipv6.devconfDflt);
  if (idev.cnf.stable_secret) idev.cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_STABLE_PRIVACY;
  idev.cnf.mtu6 = dev.mtu;
  if (dev.flags & IFF_LOOPBACK) {
    idev.cnf.accept_dad = -1;
    idev.cnf.use_tempaddr = -1;
  }
  if (netif_running(dev) && addrconf_link_ready(dev)) idev.if_flags |= IF_READY;
  dev.ip6Ptr = idev;
  ipv6_mc_init_dev(idev);
  ipv6_dev_mc_inc(dev, in6addr_interfacelocal_allnodes());
  ipv6_dev_mc_inc(dev, in6addr_linklocal_allnodes());
  if (idev.cnf.forwarding && dev.flags & IFF_MULTICAST) ipv6_dev_mc_inc(dev, in6addr_linklocal_allrouters());
  return idev;
}

const netif_running = (dev: NetDevice): boolean => (dev.flags & IFF_UP) !== 0;

/** addrconf_link_ready(): netif_oper_up() (the qdisc is attached whenever skbpath's operstate is up). */
function addrconf_link_ready(dev: NetDevice): boolean {
  return dev.operstate === 'UP' || dev.operstate === 'UNKNOWN';
}

/** ipv6_find_idev(): the inet6_dev (made if needed); an up device re-reports its groups (ipv6_mc_up). */
function ipv6_find_idev(dev: NetDevice): Inet6Dev {
  const idev = dev.ip6Ptr ?? ipv6_add_dev(dev);
  if (dev.flags & IFF_UP) ipv6_mc_up(idev);
  return idev;
}

/** addrconf_add_dev(): the inet6_dev and the ff00::/8 multicast route; null with disable_ipv6 (-EACCES). */
function addrconf_add_dev(dev: NetDevice): Inet6Dev | null {
  const idev = ipv6_find_idev(dev);
  if (idev.cnf.disable_ipv6) return null;
  if (!(dev.flags & IFF_LOOPBACK)) addrconf_add_mroute(dev);
  return idev;
}

/** addrconf_add_mroute(): ff00::/8 dev DEV table local proto kernel metric 256. */
export function addrconf_add_mroute(dev: NetDevice): void {
  const dst = new Uint8Array(16);
  dst[0] = 0xff;
  ip6_route_add(
    fib6_config(dev.net, {
      fc_table: 255,
      fc_metric: IP6_RT_PRIO_ADDRCONF,
      fc_ifindex: dev.ifindex,
      fc_dst: dst,
      fc_dst_len: 8,
      fc_flags: RTF_UP,
      fc_type: 5, // RTN_MULTICAST
      fc_protocol: 2, // RTPROT_KERNEL
    }),
    { msg: null },
  );
}

/** addrconf_prefix_route(): the on-link route of a prefix (table main, proto kernel, metric 256 unless given). */
export function addrconf_prefix_route(pfx: Uint8Array, plen: number, metric: number, dev: NetDevice, expires: number, flags: number): void {
  ip6_route_add(
    fib6_config(dev.net, {
      fc_table: 254,
      fc_metric: metric || IP6_RT_PRIO_ADDRCONF,
      fc_ifindex: dev.ifindex,
      fc_expires: expires,
      fc_dst: ipv6_addr_prefix(pfx, plen),
      fc_dst_len: plen,
      fc_flags: RTF_UP | flags,
      fc_protocol: 2,
      fc_type: 1,
    }),
    { msg: null },
  );
}

/** struct ifa6_config */
export interface Ifa6Config {
  pfx: Uint8Array;
  plen: number;
  peer_pfx: Uint8Array | null;
  rt_priority: number;
  ifa_flags: number;
  preferred_lft: number;
  valid_lft: number;
  scope: number;
  ifa_proto: number;
}

/** ipv6_link_dev_addr(): into addr_list before the first address of the same or a smaller scope. */
function ipv6_link_dev_addr(idev: Inet6Dev, ifp: Inet6Ifaddr): void {
  const sc = ipv6_addr_src_scope(ifp.addr);
  let i = 0;
  for (; i < idev.addr_list.length; i++) if (sc >= ipv6_addr_src_scope((idev.addr_list[i] as Inet6Ifaddr).addr)) break;
  idev.addr_list.splice(i, 0, ifp);
}

/**
 * ipv6_add_addr(): a new address of idev, tentative unless NODAD, with its
 * local route made (inserted when DAD completes). A negative errno when the
 * device is dead or has IPv6 disabled, or holds the address already.
 */
export function ipv6_add_addr(idev: Inet6Dev, cfg: Ifa6Config, extack: { msg: string | null } | null): Inet6Ifaddr | number {
  const addrType = ipv6_addr_type(cfg.pfx);
  const net = idev.dev.net;
  if (addrType & IPV6_ADDR_MULTICAST || (!(idev.dev.flags & IFF_LOOPBACK) && addrType & IPV6_ADDR_LOOPBACK && !netif_is_l3_master())) {
    if (extack) extack.msg = 'Cannot assign requested address';
    return -EADDRNOTAVAIL;
  }
  if (idev.dead) {
    if (extack) extack.msg = 'IPv6 device is going away';
    return -ENODEV;
  }
  if (idev.cnf.disable_ipv6) {
    if (extack) extack.msg = 'IPv6 is disabled on this device';
    return -EACCES;
  }
  for (const o of idev.addr_list) {
    if (in6Equal(o.addr, cfg.pfx)) {
      if (extack) extack.msg = 'ipv6: address already assigned';
      return -EEXIST;
    }
  }
  const now = net.kernel.now;
  const ifa = new Inet6Ifaddr(idev, cfg.pfx.slice(), cfg.plen, cfg.scope, cfg.ifa_flags, now);
  if (cfg.peer_pfx) ifa.peer_addr = cfg.peer_pfx.slice();
  if (!(cfg.ifa_flags & IFA_F_NODAD)) ifa.flags |= IFA_F_TENTATIVE;
  ifa.valid_lft = cfg.valid_lft;
  ifa.prefered_lft = cfg.preferred_lft;
  ifa.rt_priority = cfg.rt_priority;
  ifa.ifa_proto = cfg.ifa_proto;
  ifa.rt = addrconf_f6i_alloc(net, idev, cfg.pfx, false);
  ipv6_link_dev_addr(idev, ifa);
  net.ipv6.dev_addr_genid++;
  return ifa;
}

/** __ipv6_ifa_notify(RTM_NEWADDR): the local route goes into the local table; a peer gets its host route. */
function ipv6_ifa_notify(event: number, ifp: Inet6Ifaddr): void {
  const net = ifp.idev.dev.net;
  if (event === RTM_NEWADDR) {
    if (ifp.rt && !ifp.routeInserted) {
      ip6_ins_rt(net, ifp.rt);
      ifp.routeInserted = true;
    }
    if (ifp.idev.cnf.forwarding) addrconf_join_anycast(ifp);
    if (!ipv6_addr_any(ifp.peer_addr)) addrconf_prefix_route(ifp.peer_addr, 128, ifp.rt_priority, ifp.idev.dev, 0, 0);
  } else if (event === RTM_DELADDR) {
    if (ifp.idev.cnf.forwarding) addrconf_leave_anycast(ifp);
    if (ifp.rt && ifp.routeInserted) {
      ip6_del_rt(net, ifp.rt);
      ifp.routeInserted = false;
    }
  }
}

/** addrconf_anycast_prefix(): the subnet-router anycast address of ifp (none for /127, /128 or ::). */
function addrconf_anycast_prefix(ifp: Inet6Ifaddr): Uint8Array | null {
  if (ifp.prefix_len >= 127) return null; // RFC 6164
  const addr = ipv6_addr_prefix(ifp.addr, ifp.prefix_len);
  return ipv6_addr_any(addr) ? null : addr;
}

/** addrconf_join_anycast(): a forwarding device answers its prefix's subnet-router anycast address. */
function addrconf_join_anycast(ifp: Inet6Ifaddr): void {
  const addr = addrconf_anycast_prefix(ifp);
  if (addr) __ipv6_dev_ac_inc(ifp.idev, addr);
}

/** addrconf_leave_anycast() */
function addrconf_leave_anycast(ifp: Inet6Ifaddr): void {
  const addr = addrconf_anycast_prefix(ifp);
  if (addr) __ipv6_dev_ac_dec(ifp.idev, addr);
}

/**
 * dev_forward_change(): forwarding toggled on idev: the all-routers groups
 * (ff02::2, ff01::2, ff05::2) and the anycast addresses of its non-tentative
 * addresses are joined or left.
 */
function dev_forward_change(idev: Inet6Dev): void {
  const dev = idev.dev;
  if (dev.flags & IFF_MULTICAST) {
    const groups = [in6addr_linklocal_allrouters(), in6addr_interfacelocal_allrouters(), in6addr_sitelocal_allrouters()];
    for (const g of groups) {
      if (idev.cnf.forwarding) ipv6_dev_mc_inc(dev, g);
      else ipv6_dev_mc_dec(dev, g);
    }
  }
  for (const ifa of idev.addr_list.filter((a) => !(a.flags & IFA_F_TENTATIVE))) {
    if (idev.cnf.forwarding) addrconf_join_anycast(ifa);
    else addrconf_leave_anycast(ifa);
  }
}

/** add_addr(): an address that needs no DAD (::1 on lo). */
function add_addr(idev: Inet6Dev, addr: Uint8Array, plen: number, scope: number, proto: number): void {
  const ifp = ipv6_add_addr(
    idev,
    {
      pfx: addr,
      plen,
      peer_pfx: null,
      rt_priority: 0,
      ifa_flags: IFA_F_PERMANENT,
      valid_lft: INFINITY_LIFE_TIME,
      preferred_lft: INFINITY_LIFE_TIME,
      scope,
      ifa_proto: proto,
    },
    null,
  );
  if (typeof ifp === 'number') return;
  ifp.flags &= ~IFA_F_TENTATIVE;
  ipv6_ifa_notify(RTM_NEWADDR, ifp);
}

/** init_loopback(): ::1/128 scope host. */
function init_loopback(dev: NetDevice): void {
  const idev = ipv6_find_idev(dev);
  add_addr(idev, in6addrLoopback(), 128, IFA_HOST, IFAPROT_KERNEL_LO);
}

/** ipv6_generate_eui64() for Ethernet: the MAC with ff:fe in the middle and the U/L bit flipped. */
function ipv6_generate_eui64(dev: NetDevice): Uint8Array | null {
  if (dev.type !== ARPHRD_ETHER) return null;
  const m = dev.devAddr;
  return new Uint8Array([(m[0] as number) ^ 2, m[1] as number, m[2] as number, 0xff, 0xfe, m[3] as number, m[4] as number, m[5] as number]);
}

/** addrconf_add_linklocal(): fe80::/64 + the interface id, permanent, with its prefix route and DAD. */
export function addrconf_add_linklocal(idev: Inet6Dev, addr: Uint8Array, flags: number): void {
  const net = idev.dev.net;
  let f = flags | IFA_F_PERMANENT;
  if ((net.ipv6.devconfAll.optimistic_dad || idev.cnf.optimistic_dad) && !net.ipv6.devconfAll.forwarding) f |= IFA_F_OPTIMISTIC;
  const ifp = ipv6_add_addr(
    idev,
    {
      pfx: addr,
      plen: 64,
      peer_pfx: null,
      rt_priority: 0,
      ifa_flags: f,
      valid_lft: INFINITY_LIFE_TIME,
      preferred_lft: INFINITY_LIFE_TIME,
      scope: IFA_LINK,
      ifa_proto: IFAPROT_KERNEL_LL,
    },
    null,
  );
  if (typeof ifp === 'number') return;
  addrconf_prefix_route(ifp.addr, ifp.prefix_len, 0, idev.dev, 0, 0);
  addrconf_dad_start(ifp);
}

/** ipv6_reserved_interfaceid(): all zero, the IANA Ethernet block (RFC 2526's anycast ids included). */
function ipv6_reserved_interfaceid(a: Uint8Array): boolean {
  const w2 = (((a[8] as number) << 24) | ((a[9] as number) << 16) | ((a[10] as number) << 8) | (a[11] as number)) >>> 0;
  const w3 = (((a[12] as number) << 24) | ((a[13] as number) << 16) | ((a[14] as number) << 8) | (a[15] as number)) >>> 0;
  if ((w2 | w3) === 0) return true;
  if (w2 === 0x02005eff && (w3 & 0xfe000000) >>> 0 === 0xfe000000) return true;
  if (w2 === 0xfdffffff && (w3 & 0xffffff80) >>> 0 === 0xffffff80) return true;
  return false;
}

/**
 * ipv6_generate_stable_address() (RFC 7217): one sha1_transform of the
 * 64-byte block { secret[16], prefix[8], hwaddr[MAX_ADDR_LEN = 32],
 * dad_count[1], zeros } from the SHA-1 initial state; digest[0] and
 * digest[1], stored as the CPU's (little-endian x86) words, are the
 * interface id. hwaddr is dev->perm_addr, which stays zero on every device
 * the simulator makes (veth, bridge, macvlan... take a random or a
 * user-set address, never NET_ADDR_PERM). A reserved id is hashed again
 * with dad_count + 1, up to idgen_retries. Returns false when there is no
 * secret (the device's, else default's) or the retries ran out.
 */
export function ipv6_generate_stable_address(address: Uint8Array, dadCount: number, idev: Inet6Dev): boolean {
  const net = idev.dev.net;
  const secret = idev.cnf.stable_secret ?? net.ipv6.devconfDflt.stable_secret;
  if (!secret) return false;
  const hwaddr = new Uint8Array(idev.dev.devAddr.length);
  let count = dadCount & 0xff;
  for (;;) {
    const digest = new Uint32Array(SHA1_DIGEST_WORDS);
    sha1_init_raw(digest);
    const data = new Uint8Array(SHA1_BLOCK_SIZE);
    data.set(secret, 0);
    data.set(address.subarray(0, 8), 16);
    data.set(hwaddr.subarray(0, 32), 24);
    data[56] = count;
    sha1_transform(digest, data);
    const temp = address.slice();
    for (let w = 0; w < 2; w++) {
      const x = digest[w] as number;
      temp[8 + w * 4] = x & 0xff;
      temp[9 + w * 4] = (x >>> 8) & 0xff;
      temp[10 + w * 4] = (x >>> 16) & 0xff;
      temp[11 + w * 4] = x >>> 24;
    }
    if (ipv6_reserved_interfaceid(temp)) {
      count = (count + 1) & 0xff;
      if (count > net.sysctl.int('net.ipv6.idgen_retries')) return false;
      continue;
    }
    address.set(temp);
    return true;
  }
}

/** addrconf_addr_gen(): the link-local address addr_gen_mode asks for (eui64, stable-privacy, random, none). */
function addrconf_addr_gen(idev: Inet6Dev, prefixRoute: boolean): void {
  const addr = new Uint8Array(16);
  addr[0] = 0xfe;
  addr[1] = 0x80;
  const net = idev.dev.net;
  switch (idev.cnf.addr_gen_mode) {
    case IN6_ADDR_GEN_MODE_RANDOM:
    case IN6_ADDR_GEN_MODE_STABLE_PRIVACY: {
      if (idev.cnf.addr_gen_mode === IN6_ADDR_GEN_MODE_RANDOM && !idev.cnf.stable_secret) {
        const sec = new Uint8Array(16);
        for (let i = 0; i < 16; i++) sec[i] = net.kernel.sim.rng.u32() & 0xff;
        idev.cnf.stable_secret = sec;
      }
      if (ipv6_generate_stable_address(addr, 0, idev)) {
        addrconf_add_linklocal(idev, addr, IFA_F_STABLE_PRIVACY);
      } else if (prefixRoute) addrconf_prefix_route(addr, 64, 0, idev.dev, 0, 0);
      break;
    }
    case IN6_ADDR_GEN_MODE_EUI64: {
      const iid = ipv6_generate_eui64(idev.dev);
      if (iid) {
        addr.set(iid, 8);
        addrconf_add_linklocal(idev, addr, 0);
      } else if (prefixRoute) addrconf_prefix_route(addr, 64, 0, idev.dev, 0, 0);
      break;
    }
    default:
      break;
  }
}

/** addrconf_dev_config(): Ethernet autoconfiguration; other types only re-report their groups. */
function addrconf_dev_config(dev: NetDevice): void {
  if (dev.type !== ARPHRD_ETHER) {
    const idev = dev.ip6Ptr;
    if (idev && dev.flags & IFF_UP && dev.flags & IFF_MULTICAST) ipv6_mc_up(idev);
    return;
  }
  const idev = addrconf_add_dev(dev);
  if (!idev) return;
  addrconf_addr_gen(idev, false);
}

/** addrconf_init_auto_addrs() */
function addrconf_init_auto_addrs(dev: NetDevice): void {
  if (dev.type === ARPHRD_LOOPBACK) init_loopback(dev);
  else addrconf_dev_config(dev);
}

/** addrconf_notify(): the netdev notifier of IPv6 (register_netdevice_notifier(&ipv6_dev_notf)). */
/**
 * addrconf_permanent_addr() → fixup_permanent_addr() (v6route): at NETDEV_UP the
 * prefix routes of the device's permanent addresses come back (an address
 * added while the device was down got none: its nexthop device was not up).
 */
function addrconf_permanent_addr(idev: Inet6Dev): void {
  for (const ifp of idev.addr_list) {
    if (!(ifp.flags & IFA_F_PERMANENT) || ifp.flags & IFA_F_NOPREFIXROUTE) continue;
    addrconf_prefix_route(ifp.addr, ifp.prefix_len, ifp.rt_priority, idev.dev, 0, 0);
  }
}

export function addrconf_notify(event: NetdevEvent, dev: NetDevice): void {
  let idev = dev.ip6Ptr;
  const net = dev.net;
  switch (event) {
    case 'REGISTER':
      if (!idev && dev.mtu >= IPV6_MIN_MTU) ipv6_add_dev(dev);
      return;
    case 'CHANGEMTU':
      if (dev.mtu < IPV6_MIN_MTU) {
        addrconf_ifdown(dev, dev !== net.loopbackDev);
        return;
      }
      if (idev) {
        rt6_mtu_change(dev, dev.mtu);
        idev.cnf.mtu6 = dev.mtu;
        return;
      }
      ipv6_add_dev(dev);
      return;
    case 'UP':
    case 'CHANGE': {
      if (idev?.cnf.disable_ipv6) return;
      let runPending = false;
      if (event === 'UP') {
        // restore routes for permanent addresses (addrconf_permanent_addr), carrier or not
        if (idev) addrconf_permanent_addr(idev);
        if (!addrconf_link_ready(dev)) return;
        if (!idev && dev.mtu >= IPV6_MIN_MTU) idev = ipv6_add_dev(dev);
        if (idev) {
          // skbpath's dev_open() runs the carrier change (linkwatch's NETDEV_CHANGE)
          // before NETDEV_UP; on Linux linkwatch runs after it: configured once
          if (idev.if_flags & IF_READY) return;
          idev.if_flags |= IF_READY;
          runPending = true;
        }
      } else {
        if (!addrconf_link_ready(dev)) {
          // rt6_sync_down_dev(dev, NETDEV_CHANGE): the routes stay, linkdown
          rt6_sync_linkdown(dev);
          return;
        }
        if (idev) {
          if (idev.if_flags & IF_READY) {
            ipv6_mc_up(idev);
            rt6_sync_up(dev, RTNH_F_LINKDOWN);
            return;
          }
          idev.if_flags |= IF_READY;
        }
        runPending = true;
      }
      addrconf_init_auto_addrs(dev);
      if (idev) {
        if (runPending) addrconf_dad_run(idev, false);
        rt6_sync_up(dev, RTNH_F_DEAD);
        if (idev.cnf.mtu6 !== dev.mtu && dev.mtu >= IPV6_MIN_MTU) {
          rt6_mtu_change(dev, dev.mtu);
          idev.cnf.mtu6 = dev.mtu;
        }
        idev.tstamp = net.kernel.now;
      }
      return;
    }
    case 'DOWN':
    case 'UNREGISTER':
      addrconf_ifdown(dev, event !== 'DOWN');
      if (event === 'UNREGISTER') dev.ip6Ptr = null;
      return;
    default:
      return;
  }
}

/** addrconf_init_net(): the namespace's IPv6 state and its sysctl hook. */
export function addrconf_init_net(net: Net): void {
  addrconf_sysctl_register(net);
}

/**
 * addrconf_ifdown(): the device goes down (or away): its addresses go
 * (unless keep_addr_on_down keeps the permanent ones, tentative again), with
 * their routes; DAD and RS stop; groups stop reporting; nd_tbl forgets it.
 */
export function addrconf_ifdown(dev: NetDevice, unregister: boolean): void {
  const idev = dev.ip6Ptr;
  const net = dev.net;
  net.ipv6.ndTbl.flushDev(dev, false);
  rt6_disable_ip(dev, unregister ? 'UNREGISTER' : 'DOWN');
  if (!idev) return;
  let keep = net.ipv6.devconfAll.keep_addr_on_down || idev.cnf.keep_addr_on_down;
  keep = !unregister && !idev.cnf.disable_ipv6 && keep > 0 ? 1 : 0;
  if (unregister) idev.dead = true;
  idev.if_flags &= ~(IF_RS_SENT | IF_RA_RCVD | IF_READY);
  if (idev.rs_timer) net.kernel.sim.delTimer(idev.rs_timer);
  idev.rs_probes = 0;
  for (const ifa of [...idev.addr_list]) {
    if (ifa.timer) net.kernel.sim.delTimer(ifa.timer);
    if (keep && ifa.flags & IFA_F_PERMANENT && !(ifa.flags & IFA_F_NOPREFIXROUTE)) {
      ifa.flags |= IFA_F_TENTATIVE;
      ifa.state = INET6_IFADDR_STATE_PREDAD;
      ipv6_ifa_notify(RTM_DELADDR, ifa);
      continue;
    }
    ifa.state = INET6_IFADDR_STATE_DEAD;
    ifa.dead = true;
    idev.addr_list.splice(idev.addr_list.indexOf(ifa), 1);
    ipv6_ifa_notify(RTM_DELADDR, ifa);
    if (!(ifa.flags & IFA_F_TENTATIVE) || ifa.state !== INET6_IFADDR_STATE_PREDAD) addrconf_leave_solict(idev, ifa.addr);
  }
  if (unregister) {
    ipv6_ac_destroy_dev(idev);
    ipv6_mc_destroy_dev(idev);
  } else ipv6_mc_down(idev);
  idev.tstamp = net.kernel.now;
}

// --- DAD (addrconf_dad_*) ---

/** addrconf_join_solict(): the solicited-node group of addr. */
function addrconf_join_solict(dev: NetDevice, addr: Uint8Array): void {
  if (dev.flags & (IFF_LOOPBACK | IFF_NOARP)) return;
  ipv6_dev_mc_inc(dev, addrconf_addr_solict_mult(addr));
}

/** addrconf_leave_solict() */
function addrconf_leave_solict(idev: Inet6Dev, addr: Uint8Array): void {
  if (idev.dev.flags & (IFF_LOOPBACK | IFF_NOARP)) return;
  ipv6_dev_mc_dec(idev.dev, addrconf_addr_solict_mult(addr));
}

/**
 * addrconf_mod_dad_work(): the DAD work of ifp in `delay` jiffies. Inside a
 * netlink request (net.ipv6.inlineWork), a work due now runs at once, as a
 * kworker on the other CPU does before the requesting process goes on.
 */
function addrconf_mod_dad_work(ifp: Inet6Ifaddr, delay: number): void {
  const net = ifp.idev.dev.net;
  const sim = net.kernel.sim;
  if (delay === 0 && net.ipv6.inlineWork) {
    if (ifp.timer) sim.delTimer(ifp.timer);
    addrconf_dad_work(ifp);
    return;
  }
  if (!ifp.timer) ifp.timer = work_timer(addrconf_dad_work, ifp);
  sim.modTimer(ifp.timer, jiffies_timer_at(ifp.idev.dev.net.kernel, delay));
}

function addrconf_del_dad_work(ifp: Inet6Ifaddr): void {
  if (ifp.timer) ifp.idev.dev.net.kernel.sim.delTimer(ifp.timer);
}

/** addrconf_dad_start(): DAD begins from the work queue. */
export function addrconf_dad_start(ifp: Inet6Ifaddr): void {
  if (ifp.state === INET6_IFADDR_STATE_DEAD) return;
  ifp.state = INET6_IFADDR_STATE_PREDAD;
  addrconf_mod_dad_work(ifp, 0);
}

/**
 * addrconf_dad_kick(): the first probe after a random delay below
 * router_solicitation_delay (none for optimistic addresses), with a new
 * nonce when enhanced_dad is on.
 */
function addrconf_dad_kick(ifp: Inet6Ifaddr): void {
  const idev = ifp.idev;
  const net = idev.dev.net;
  const rng = net.kernel.sim.rng;
  const rand = ifp.flags & IFA_F_OPTIMISTIC ? 0 : rng.u32() % (idev.cnf.rtr_solicit_delay || 1);
  ifp.dad_nonce.fill(0);
  if (idev.cnf.enhanced_dad || net.ipv6.devconfAll.enhanced_dad) {
    do for (let i = 0; i < 6; i++) ifp.dad_nonce[i] = rng.u32() & 0xff;
    while (ifp.dad_nonce.every((x) => x === 0));
  }
  ifp.dad_probes = idev.cnf.dad_transmits;
  addrconf_mod_dad_work(ifp, rand);
}

/** addrconf_dad_begin(): joins the solicited-node group; no DAD needed completes at once, else kicks it. */
function addrconf_dad_begin(ifp: Inet6Ifaddr): void {
  const idev = ifp.idev;
  const dev = idev.dev;
  const net = dev.net;
  addrconf_join_solict(dev, ifp.addr);
  if (ifp.state === INET6_IFADDR_STATE_DEAD) return;
  if (
    dev.flags & (IFF_NOARP | IFF_LOOPBACK) ||
    (net.ipv6.devconfAll.accept_dad < 1 && idev.cnf.accept_dad < 1) ||
    !(ifp.flags & IFA_F_TENTATIVE) ||
    ifp.flags & IFA_F_NODAD
  ) {
    const sendNa = (ifp.flags & IFA_F_TENTATIVE) !== 0 && !(ifp.flags & IFA_F_OPTIMISTIC);
    const bump = (ifp.flags & IFA_F_TENTATIVE) !== 0;
    ifp.flags &= ~(IFA_F_TENTATIVE | IFA_F_OPTIMISTIC | IFA_F_DADFAILED);
    addrconf_dad_completed(ifp, bump, sendNa);
    return;
  }
  if (!(idev.if_flags & IF_READY)) {
    addrconf_dad_stop(ifp, false);
    return;
  }
  if (ifp.flags & IFA_F_OPTIMISTIC && ifp.rt && !ifp.routeInserted) {
    ip6_ins_rt(net, ifp.rt);
    ifp.routeInserted = true;
  }
  addrconf_dad_kick(ifp);
}

/** addrconf_dad_work(): begin, abort (a duplicate was seen), probe, or complete. */
function addrconf_dad_work(ifp: Inet6Ifaddr): void {
  const idev = ifp.idev;
  const net = idev.dev.net;
  let action: 'process' | 'begin' | 'abort' = 'process';
  let disable = false;
  if (ifp.state === INET6_IFADDR_STATE_PREDAD) {
    action = 'begin';
    ifp.state = INET6_IFADDR_STATE_DAD;
  } else if (ifp.state === INET6_IFADDR_STATE_ERRDAD) {
    action = 'abort';
    ifp.state = INET6_IFADDR_STATE_POSTDAD;
    if ((net.ipv6.devconfAll.accept_dad > 1 || idev.cnf.accept_dad > 1) && !idev.cnf.disable_ipv6 && !(ifp.flags & IFA_F_STABLE_PRIVACY)) {
      const iid = ipv6_generate_eui64(idev.dev);
      if (iid && ifp.addr[0] === 0xfe && ifp.addr[1] === 0x80 && iid.every((x, i) => ifp.addr[8 + i] === x)) {
        idev.cnf.disable_ipv6 = 1;
        net.sysctl.store(`net.ipv6.conf.${idev.dev.name}.disable_ipv6`, '1');
        net.kernel.kmsg.printk(6, `IPv6: ${idev.dev.name}: IPv6 being disabled!\n`);
        disable = true;
      }
    }
  }
  if (action === 'begin') {
    addrconf_dad_begin(ifp);
    return;
  }
  if (action === 'abort') {
    addrconf_dad_stop(ifp, true);
    if (disable) addrconf_ifdown(idev.dev, false);
    return;
  }
  if (!ifp.dad_probes && addrconf_dad_end(ifp)) return;
  if (idev.dead || !(idev.if_flags & IF_READY)) return;
  if (ifp.state === INET6_IFADDR_STATE_DEAD) return;
  if (ifp.dad_probes === 0) {
    const sendNa = (ifp.flags & IFA_F_TENTATIVE) !== 0 && !(ifp.flags & IFA_F_OPTIMISTIC);
    const bump = (ifp.flags & IFA_F_TENTATIVE) !== 0;
    ifp.flags &= ~(IFA_F_TENTATIVE | IFA_F_OPTIMISTIC | IFA_F_DADFAILED);
    addrconf_dad_completed(ifp, bump, sendNa);
    return;
  }
  ifp.dad_probes--;
  const retrans = Math.max(Math.ceil((net.ipv6.ndTbl.parm(idev.dev, 'retrans_time_ms') * 250) / 1000), 250 / 100);
  addrconf_mod_dad_work(ifp, retrans);
  const nonce = ifp.dad_nonce.some((x) => x !== 0) ? ifp.dad_nonce : null;
  ndisc_send_ns(idev.dev, ifp.addr, addrconf_addr_solict_mult(ifp.addr), new Uint8Array(16), nonce);
}

/** addrconf_dad_end(): true (Linux: 0) when the address was in DAD, now past it. */
function addrconf_dad_end(ifp: Inet6Ifaddr): boolean {
  if (ifp.state === INET6_IFADDR_STATE_DAD) {
    ifp.state = INET6_IFADDR_STATE_POSTDAD;
    return false;
  }
  return true;
}

/** addrconf_dad_stop(): a permanent address stays tentative (dadfailed when DAD failed); others go. */
function addrconf_dad_stop(ifp: Inet6Ifaddr, dadFailed: boolean): void {
  if (dadFailed) ifp.flags |= IFA_F_DADFAILED;
  if (ifp.flags & IFA_F_PERMANENT || !dadFailed) {
    addrconf_del_dad_work(ifp);
    ifp.flags |= IFA_F_TENTATIVE;
    if (dadFailed) ifp.flags &= ~IFA_F_OPTIMISTIC;
  } else ipv6_del_addr(ifp);
}

/** ipv6_lonely_lladdr(): no other link-local address of the device is ready. */
function ipv6_lonely_lladdr(ifp: Inet6Ifaddr): boolean {
  const l = ifp.idev.addr_list;
  for (let i = l.length - 1; i >= 0; i--) {
    const o = l[i] as Inet6Ifaddr;
    if (o.scope > IFA_LINK) break;
    if (
      o !== ifp &&
      o.scope === IFA_LINK &&
      (o.flags & (IFA_F_PERMANENT | IFA_F_TENTATIVE | IFA_F_OPTIMISTIC | IFA_F_DADFAILED)) === IFA_F_PERMANENT
    )
      return false;
  }
  return true;
}

/** ipv6_accept_ra(): accept_ra 1 on a host, 2 also when forwarding. */
function ipv6_accept_ra(idev: Inet6Dev): boolean {
  const a = idev.cnf.accept_ra;
  return idev.cnf.forwarding ? a === 2 : a !== 0;
}

/** rfc3315_s14_backoff_init(): the first RS interval, ±10% at random. */
function rfc3315_s14_backoff_init(net: Net, irt: number): number {
  const r = 900000 + (net.kernel.sim.rng.u32() % 200001);
  return Math.floor((r * irt) / 1000000);
}

/** rfc3315_s14_backoff_update(): doubles, ±10%, up to mrt. */
function rfc3315_s14_backoff_update(net: Net, rt: number, mrt: number): number {
  const r = 1900000 + (net.kernel.sim.rng.u32() % 200001);
  let v = Math.floor((r * rt) / 1000000);
  if (v > mrt) {
    const r2 = 900000 + (net.kernel.sim.rng.u32() % 200001);
    v = Math.floor((r2 * mrt) / 1000000);
  }
  return v;
}

function addrconf_mod_rs_timer(idev: Inet6Dev, when: number): void {
  const sim = idev.dev.net.kernel.sim;
  if (!idev.rs_timer) idev.rs_timer = sim.timer(addrconf_rs_timer, idev);
  sim.modTimer(idev.rs_timer, jiffies_timer_at(idev.dev.net.kernel, when));
}

/** addrconf_rs_timer(): the next router solicitation, until rtr_solicits (or forever with -1), backing off. */
function addrconf_rs_timer(idev: Inet6Dev): void {
  const dev = idev.dev;
  const net = dev.net;
  if (idev.dead || !(idev.if_flags & IF_READY)) return;
  if (!ipv6_accept_ra(idev)) return;
  if (idev.if_flags & IF_RA_RCVD) return;
  const n = idev.cnf.rtr_solicits;
  if (idev.rs_probes++ < n || n < 0) {
    const ll = ipv6_get_lladdr(dev, IFA_F_TENTATIVE);
    if (!ll) return;
    ndisc_send_rs(dev, ll, in6addr_linklocal_allrouters());
    idev.rs_interval = rfc3315_s14_backoff_update(net, idev.rs_interval, idev.cnf.rtr_solicit_max_interval);
    addrconf_mod_rs_timer(idev, idev.rs_probes === idev.cnf.rtr_solicits ? idev.cnf.rtr_solicit_delay : idev.rs_interval);
  }
}

/**
 * addrconf_dad_completed(): the address is valid (its local route goes in);
 * the first link-local one re-sends the MLD reports from it and starts the
 * router solicitations; an unsolicited NA with ndisc_notify.
 */
function addrconf_dad_completed(ifp: Inet6Ifaddr, _bumpId: boolean, sendNa: boolean): void {
  const idev = ifp.idev;
  const dev = idev.dev;
  const net = dev.net;
  addrconf_del_dad_work(ifp);
  ipv6_ifa_notify(RTM_NEWADDR, ifp);
  const sendMld = ifp.scope === IFA_LINK && ipv6_lonely_lladdr(ifp);
  const sendRs = sendMld && ipv6_accept_ra(idev) && idev.cnf.rtr_solicits !== 0 && !(dev.flags & IFF_LOOPBACK);
  if (sendMld) ipv6_mc_dad_complete(idev);
  if (sendNa && (idev.cnf.ndisc_notify || net.ipv6.devconfAll.ndisc_notify))
    ndisc_send_na(dev, in6addr_linklocal_allnodes(), ifp.addr, idev.cnf.forwarding !== 0, false, true, true);
  if (sendRs) {
    const ll = ipv6_get_lladdr(dev, IFA_F_TENTATIVE);
    if (!ll) return;
    ndisc_send_rs(dev, ll, in6addr_linklocal_allrouters());
    idev.rs_interval = rfc3315_s14_backoff_init(net, idev.cnf.rtr_solicit_interval);
    idev.rs_probes = 1;
    idev.if_flags |= IF_RS_SENT;
    addrconf_mod_rs_timer(idev, idev.rs_interval);
  }
}

/** addrconf_dad_run(): DAD (re)starts for tentative addresses waiting for the link. */
function addrconf_dad_run(idev: Inet6Dev, restart: boolean): void {
  for (const ifp of [...idev.addr_list]) {
    if ((ifp.flags & IFA_F_TENTATIVE && ifp.state === INET6_IFADDR_STATE_DAD) || restart) {
      if (restart) ifp.state = INET6_IFADDR_STATE_PREDAD;
      addrconf_dad_kick(ifp);
    }
  }
}

/** ipv6_del_addr(): the address leaves the device, with its routes and its solicited-node group. */
export function ipv6_del_addr(ifp: Inet6Ifaddr): void {
  const idev = ifp.idev;
  const state = ifp.state;
  ifp.state = INET6_IFADDR_STATE_DEAD;
  ifp.dead = true;
  const i = idev.addr_list.indexOf(ifp);
  if (i >= 0) idev.addr_list.splice(i, 1);
  addrconf_del_dad_work(ifp);
  if (state !== INET6_IFADDR_STATE_PREDAD) addrconf_leave_solict(idev, ifp.addr);
  ipv6_ifa_notify(RTM_DELADDR, ifp);
  if (!(ifp.flags & IFA_F_NOPREFIXROUTE) && !(ifp.flags & IFA_F_PERMANENT && false)) cleanup_prefix_route(ifp);
  idev.dev.net.ipv6.dev_addr_genid++;
}

/**
 * cleanup_prefix_route() via addrconf_get_prefix_route(): the kernel prefix
 * route of a deleted address goes when no other address of the device has the prefix.
 */
function cleanup_prefix_route(ifp: Inet6Ifaddr): void {
  const idev = ifp.idev;
  for (const o of idev.addr_list) if (o.prefix_len === ifp.prefix_len && ipv6_prefix_equal(o.addr, ifp.addr, ifp.prefix_len)) return;
  const table = fib6_get_table(idev.dev.net, 254);
  if (!table) return;
  const fn = fib6_locate(table, ipv6_addr_prefix(ifp.addr, ifp.prefix_len), ifp.prefix_len);
  if (!fn) return;
  for (const r of [...fn.leaf]) {
    if (r.fib6_nh.fib_nh_dev !== idev.dev || r.fib6_protocol !== 2) continue;
    if (r.fib6_flags & (RTF_GATEWAY | RTF_DEFAULT)) continue;
    ip6_del_rt(idev.dev.net, r);
    return;
  }
}

/** The jiffy in virtual ns (HZ 250). */
const JIFFY = 4_000_000;

const netif_is_l3_master = (): boolean => false;

// --- rtnetlink (inet6_rtm_newaddr & co.) ---

/** The RT_SCOPE_* rtnetlink shows for an IFA_* scope (rt_scope()). */
function rt_scope(scope: number): number {
  if (scope & IFA_HOST) return RT_SCOPE_HOST;
  if (scope & IFA_LINK) return RT_SCOPE_LINK;
  if (scope & IFA_SITE) return RT_SCOPE_SITE;
  return RT_SCOPE_UNIVERSE;
}

/** cstamp_delta(): hundredths of a second since boot (the jiffies of the oracle's clock). */
function cstamp_delta(net: Net, ns: number): number {
  const k = net.kernel;
  void k;
  return Math.floor((Math.floor(ns / JIFFY) * 100) / 250);
}

/** inet6_fill_ifaddr(): one address as RTM_NEWADDR (the remaining lifetimes in the cache info). */
export function inet6_fill_ifaddr(ifa: Inet6Ifaddr): AddrMsg {
  const dev = ifa.idev.dev;
  const net = dev.net;
  let preferred = ifa.prefered_lft;
  let valid = ifa.valid_lft;
  if (!(ifa.flags & IFA_F_PERMANENT)) {
    const tval = Math.floor((net.kernel.now - ifa.tstamp) / 1e9);
    if (preferred !== INFINITY_LIFE_TIME) preferred = preferred > tval ? preferred - tval : 0;
    if (valid !== INFINITY_LIFE_TIME) valid = valid > tval ? valid - tval : 0;
  } else {
    preferred = INFINITY_LIFE_TIME;
    valid = INFINITY_LIFE_TIME;
  }
  const attrs: IfaAttrs = {};
  if (!ipv6_addr_any(ifa.peer_addr)) {
    attrs.IFA_LOCAL6 = ifa.addr.slice();
    attrs.IFA_ADDRESS6 = ifa.peer_addr.slice();
  } else attrs.IFA_ADDRESS6 = ifa.addr.slice();
  if (ifa.rt_priority) attrs.IFA_RT_PRIORITY = ifa.rt_priority;
  attrs.IFA_CACHEINFO = {
    ifa_prefered: preferred,
    ifa_valid: valid,
    cstamp: cstamp_delta(net, ifa.cstamp),
    tstamp: cstamp_delta(net, ifa.tstamp),
  };
  attrs.IFA_FLAGS = ifa.flags;
  if (ifa.ifa_proto) attrs.IFA_PROTO = ifa.ifa_proto;
  return {
    nlmsg_type: RTM_NEWADDR,
    nlmsg_flags: NLM_F_MULTI,
    ifa: {
      ifa_family: AF_INET6,
      ifa_prefixlen: ifa.prefix_len,
      ifa_flags: ifa.flags & 0xff,
      ifa_scope: rt_scope(ifa.scope),
      ifa_index: dev.ifindex,
    },
    attrs,
  };
}

/** inet6_dump_addr(): every device's addresses (by ifindex), each in its addr_list order. */
export function inet6_dump_ifaddr(net: Net, req: AddrMsg): AddrMsg[] {
  const out: AddrMsg[] = [];
  for (const dev of net.devices) {
    if (req.ifa.ifa_index && dev.ifindex !== req.ifa.ifa_index) continue;
    for (const ifa of dev.ip6Ptr?.addr_list ?? []) out.push(inet6_fill_ifaddr(ifa));
  }
  return out;
}

/** The flags a user may set (IFA_F_NODAD | OPTIMISTIC | HOMEADDRESS | MANAGETEMPADDR | NOPREFIXROUTE | MCAUTOJOIN | PERMANENT). */
const IFA_USER_FLAGS = IFA_F_NODAD | IFA_F_OPTIMISTIC | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN;

/**
 * inet6_rtm_newaddr() → inet6_addr_add() (or inet6_addr_modify() for an
 * existing address with NLM_F_REPLACE): the address, its prefix route, DAD.
 */
export function inet6_rtm_newaddr(net: Net, req: AddrMsg, extack: { msg: string | null }): number {
  const m = req.ifa;
  const a = req.attrs;
  const pfx = a.IFA_LOCAL6 ?? a.IFA_ADDRESS6;
  const peer = a.IFA_LOCAL6 && a.IFA_ADDRESS6 && !in6Equal(a.IFA_LOCAL6, a.IFA_ADDRESS6) ? a.IFA_ADDRESS6 : null;
  if (!pfx) return -EINVAL;
  const dev = net.devByIndex.get(m.ifa_index);
  if (!dev) {
    extack.msg = 'ipv6: Unable to find the interface';
    return -ENODEV;
  }
  let ifaFlags = (a.IFA_FLAGS ?? m.ifa_flags) & (IFA_USER_FLAGS | IFA_F_PERMANENT);
  ifaFlags |= IFA_F_PERMANENT;
  const existing = dev.ip6Ptr?.addr_list.find((i) => in6Equal(i.addr, pfx));
  if (existing) {
    if (req.nlmsg_flags & NLM_F_EXCL || !(req.nlmsg_flags & NLM_F_REPLACE)) {
      extack.msg = 'ipv6: address already assigned';
      return -EEXIST;
    }
    existing.flags = (existing.flags & ~IFA_USER_FLAGS) | (ifaFlags & IFA_USER_FLAGS);
    existing.rt_priority = a.IFA_RT_PRIORITY ?? existing.rt_priority;
    existing.tstamp = net.kernel.now;
    return 0;
  }
  if (!(req.nlmsg_flags & NLM_F_CREATE)) {
    extack.msg = 'ipv6: address not found';
    return -ENOENT;
  }
  if (m.ifa_prefixlen > 128) {
    extack.msg = 'ipv6: Invalid prefix length';
    return -EINVAL;
  }
  if (ifaFlags & IFA_F_MANAGETEMPADDR && m.ifa_prefixlen !== 64) {
    extack.msg = 'ipv6: address with "mngtmpaddr" flag must have a prefix length of 64';
    return -EINVAL;
  }
  const idev = addrconf_add_dev(dev);
  if (!idev) {
    extack.msg = 'ipv6: IPv6 is disabled on this device';
    return -EACCES;
  }
  if (ifaFlags & IFA_F_OPTIMISTIC && !(net.ipv6.devconfAll.optimistic_dad || idev.cnf.optimistic_dad)) ifaFlags &= ~IFA_F_OPTIMISTIC;
  const ifp = ipv6_add_addr(
    idev,
    {
      pfx,
      plen: m.ifa_prefixlen,
      peer_pfx: peer,
      rt_priority: a.IFA_RT_PRIORITY ?? 0,
      ifa_flags: ifaFlags,
      valid_lft: INFINITY_LIFE_TIME,
      preferred_lft: INFINITY_LIFE_TIME,
      scope: ipv6_addr_scope(pfx),
      ifa_proto: 0,
    },
    extack,
  );
  if (typeof ifp === 'number') {
    if (extack.msg && !extack.msg.startsWith('ipv6: ')) extack.msg = `ipv6: ${extack.msg}`;
    return ifp;
  }
  if (!(ifaFlags & IFA_F_NOPREFIXROUTE)) addrconf_prefix_route(ifp.addr, ifp.prefix_len, ifp.rt_priority, dev, 0, 0);
  net.ipv6.inlineWork = true;
  try {
    addrconf_dad_start(ifp);
  } finally {
    net.ipv6.inlineWork = false;
  }
  return 0;
}

/** inet6_rtm_deladdr() → inet6_addr_del(): the address with that prefix length. */
export function inet6_rtm_deladdr(net: Net, req: AddrMsg, extack: { msg: string | null }): number {
  const pfx = req.attrs.IFA_LOCAL6 ?? req.attrs.IFA_ADDRESS6;
  if (!pfx) return -EINVAL;
  const dev = net.devByIndex.get(req.ifa.ifa_index);
  if (!dev) {
    extack.msg = 'ipv6: Unable to find the interface';
    return -ENODEV;
  }
  const idev = dev.ip6Ptr;
  if (!idev) {
    extack.msg = 'ipv6: IPv6 is disabled on this device';
    return -ENXIO;
  }
  for (const ifp of idev.addr_list) {
    if (ifp.prefix_len === req.ifa.ifa_prefixlen && in6Equal(ifp.addr, pfx)) {
      ipv6_del_addr(ifp);
      return 0;
    }
  }
  extack.msg = 'ipv6: address not found';
  return -EADDRNOTAVAIL;
}

/**
 * if6_seq_show() over inet6_addr_lst: the buckets of
 * inet6_addr_hash() = hash_32(ipv6_addr_hash(addr) ^ net_hash_mix(net), 8)
 * in order, newest first within one (hlist_add_head); each line
 * "%pi6 %02x %02x %02x %02x %8s" (address, ifindex, prefix, scope, flags as u8, name).
 */
export function if6_seq_show(net: Net): string {
  if (net.ipv6.hash_mix === null) net.ipv6.hash_mix = net.kernel.sim.rng.u32() >>> 0;
  const mix = net.ipv6.hash_mix;
  const word = (a: Uint8Array, o: number): number =>
    ((a[o] as number) | ((a[o + 1] as number) << 8) | ((a[o + 2] as number) << 16) | ((a[o + 3] as number) << 24)) >>> 0;
  const bucket = (a: Uint8Array): number => {
    // 64-bit ipv6_addr_hash: x = ul[0] ^ ul[1] (little-endian longs), (u32)(x ^ x >> 32)
    const h = (word(a, 0) ^ word(a, 8) ^ word(a, 4) ^ word(a, 12)) >>> 0;
    return Math.imul((h ^ mix) >>> 0, 0x61c88647) >>> 24;
  };
  const rows: { b: number; i: number; ifp: Inet6Ifaddr }[] = [];
  let i = 0;
  for (const dev of net.devices) {
    const idev = dev.ip6Ptr;
    if (!idev) continue;
    for (const ifp of idev.addr_list) rows.push({ b: bucket(ifp.addr), i: i++, ifp });
  }
  rows.sort((x, y) => x.b - y.b || y.i - x.i);
  const h2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');
  let out = '';
  for (const { ifp } of rows) {
    const hex = Array.from(ifp.addr, (x) => x.toString(16).padStart(2, '0')).join('');
    const dev = ifp.idev.dev;
    out += `${hex} ${dev.ifindex.toString(16).padStart(2, '0')} ${h2(ifp.prefix_len)} ${h2(ifp.scope)} ${h2(ifp.flags)} ${dev.name.padStart(8)}\n`;
  }
  return out;
}
