// ip/iproute.c: `ip route show|add|del|change|replace|append|prepend|get|flush`,
// a client of rtnetlink (RTM_NEWROUTE/DELROUTE/GETROUTE): it builds the
// request, the kernel answers with route messages, and this prints them as
// print_route() does.
import {
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  type NlAck,
  proc_ipv4_route_flush,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTAX_MTU,
  RTAX_HOPLIMIT,
  RTM_F_CLONED,
  RTM_F_FIB_MATCH,
  RTM_F_LOOKUP_TABLE,
  RTM_F_NOTIFY,
  RTM_F_OFFLOAD_FAILED,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_NAT,
  RTN_UNICAST,
  RTN_UNREACHABLE,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  RTNH_F_ONLINK,
  RTPROT_BOOT,
  type Route6Msg,
  type RouteMsg,
  rtmsg,
  rtnl_delroute6,
  rtnl_dumproute6,
  rtnl_getroute6,
  rtnl_newroute6,
  rtnl_delroute,
  rtnl_dumproute,
  rtnl_getroute,
  rtnl_newroute,
} from '../../../kernel/uapi/rtnetlink_route.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  getAddr,
  getPrefix,
  getUnsigned,
  type InetPrefix,
  type Ip,
  IpExit,
  ipv4,
  llIndexToName,
  llNameToIndex,
  matches,
  protoId,
  protoName,
  rtnTypeId,
  rtnTypeName,
  scopeId,
  strerror,
  scopeName,
  tableId,
  tableName,
  protocolFilter,
} from './common.ts';
import { ROUTE_USAGE } from './usage.ts';
import { ipv6ToString } from '../../../wire/ipv6.ts';

const USER_HZ = 100;

function usage(ip: Ip): never {
  ip.err(ROUTE_USAGE);
  throw new IpExit(255);
}

/** The kernel's negative answer as rtnl_talk() reports it. */
function talkError(ip: Ip, ack: NlAck): never {
  return ip.rtnlError(-ack.error, ack.extack);
}

function inetMakeMask(plen: number): number {
  return plen <= 0 ? 0 : (0xffffffff << (32 - Math.min(plen, 32))) >>> 0;
}

// --- printing ---

interface RouteFilter {
  tb: number;
  cloned: boolean;
  protocol: number;
  protocolmask: number;
  scope: number;
  scopemask: number;
  typemask: number;
  tos: number;
  tosmask: number;
  rdst: InetPrefix | null;
  mdst: InetPrefix | null;
  rvia: InetPrefix | null;
  rprefsrc: InetPrefix | null;
  oif: number;
  oifmask: number;
  metric: number;
  metricmask: number;
  /** filter.flushb: a flush is under way */
  flush: boolean;
}

function newFilter(): RouteFilter {
  return {
    tb: 0,
    cloned: false,
    protocol: 0,
    protocolmask: 0,
    scope: 0,
    scopemask: 0,
    typemask: 0,
    tos: 0,
    tosmask: 0,
    rdst: null,
    mdst: null,
    rvia: null,
    rprefsrc: null,
    oif: 0,
    oifmask: 0,
    metric: 0,
    metricmask: 0,
    flush: false,
  };
}

function prefixMatch(a: number, b: number, bits: number): boolean {
  if (bits <= 0) return true;
  return ((a ^ b) & inetMakeMask(Math.min(bits, 32))) >>> 0 === 0;
}

/** rtm_get_table(): RTA_TABLE, else rtm_table. */
function rtmTable(m: RouteMsg): number {
  return m.attrs.RTA_TABLE ?? m.rtm.rtm_table;
}

/** filter_nlmsg() for one route of the dump. */
function routePasses(f: RouteFilter, m: RouteMsg): boolean {
  const { rtm, attrs } = m;
  if (f.cloned) return false;
  if (f.tb > 0 && f.tb !== rtmTable(m)) return false;
  if ((f.protocol ^ rtm.rtm_protocol) & f.protocolmask) return false;
  if ((f.scope ^ rtm.rtm_scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << rtm.rtm_type))) return false;
  if ((f.tos ^ rtm.rtm_tos) & f.tosmask) return false;
  const dst = attrs.RTA_DST ?? 0;
  const plen = rtm.rtm_dst_len;
  for (const p of [f.rdst, f.mdst, f.rvia, f.rprefsrc]) if (p && p.family !== AF_UNSPEC && p.family !== AF_INET) return false;
  if (f.rdst) {
    if (f.rdst.bitlen > plen) return false;
    if (!prefixMatch(dst, f.rdst.addr, f.rdst.bitlen)) return false;
  }
  if (f.mdst) {
    if (f.mdst.bitlen >= 0 && f.mdst.bitlen < plen) return false;
    if (!prefixMatch(dst, f.mdst.addr, plen)) return false;
  }
  if (f.rvia && !prefixMatch(attrs.RTA_GATEWAY ?? 0, f.rvia.addr, f.rvia.bitlen)) return false;
  if (f.rprefsrc && !prefixMatch(attrs.RTA_PREFSRC ?? 0, f.rprefsrc.addr, f.rprefsrc.bitlen)) return false;
  if ((f.oif ^ (attrs.RTA_OIF ?? 0)) & f.oifmask) return false;
  if ((f.metric ^ (attrs.RTA_PRIORITY ?? 0)) & f.metricmask) return false;
  return true;
}

/** print_rt_flags() */
function rtFlags(flags: number): string {
  let s = '';
  if (flags & RTNH_F_DEAD) s += 'dead ';
  if (flags & RTNH_F_ONLINK) s += 'onlink ';
  if (flags & 2) s += 'pervasive ';
  if (flags & 8) s += 'offload ';
  if (flags & 64) s += 'trap ';
  if (flags & RTM_F_NOTIFY) s += 'notify ';
  if (flags & RTNH_F_LINKDOWN) s += 'linkdown ';
  if (flags & 32) s += 'unresolved ';
  if (flags & RTM_F_OFFLOAD_FAILED) s += 'rt_offload_failed ';
  return s;
}

/** print_metrics(): the mtu, with "lock" when RTAX_LOCK has its bit. */
function mtuText(m: RouteMsg): string {
  const mx = m.attrs.RTA_METRICS;
  if (!mx?.RTAX_MTU) return '';
  return `mtu ${(mx.RTAX_LOCK ?? 0) & (1 << RTAX_MTU) ? 'lock ' : ''}${mx.RTAX_MTU} `;
}

/** print_route() for a FIB entry. */
function routeLine(ip: Ip, f: RouteFilter, m: RouteMsg): string {
  const { rtm, attrs } = m;
  const d = ip.opts.details;
  const table = rtmTable(m);
  const dst = attrs.RTA_DST ?? 0;
  let s = '';
  if ((rtm.rtm_type !== RTN_UNICAST || d > 0) && (!f.typemask || f.typemask & (1 << rtm.rtm_type))) s += `${rtnTypeName(rtm.rtm_type)} `;
  s += rtm.rtm_dst_len === 0 ? 'default ' : rtm.rtm_dst_len === 32 ? `${ipv4(dst)} ` : `${ipv4(dst)}/${rtm.rtm_dst_len} `;
  if (rtm.rtm_tos && f.tosmask !== -1) s += `tos 0x${rtm.rtm_tos.toString(16).padStart(2, '0')} `;
  if (attrs.RTA_GATEWAY && !(f.rvia && f.rvia.bitlen === 32)) s += `via ${ipv4(attrs.RTA_GATEWAY)} `;
  if (attrs.RTA_OIF && f.oifmask !== -1) s += `dev ${llIndexToName(ip, attrs.RTA_OIF)} `;
  if ((table !== RT_TABLE_MAIN || d > 0) && !f.tb) s += `table ${tableName(table, ip.opts.numeric, ip)} `;
  if ((rtm.rtm_protocol !== RTPROT_BOOT || d > 0) && f.protocolmask !== -1) s += `proto ${protoName(rtm.rtm_protocol, ip.opts.numeric)} `;
  if ((rtm.rtm_scope !== RT_SCOPE_UNIVERSE || d > 0) && f.scopemask !== -1) s += `scope ${scopeName(rtm.rtm_scope, ip.opts.numeric)} `;
  if (attrs.RTA_PREFSRC && !(f.rprefsrc && f.rprefsrc.bitlen === 32)) s += `src ${ipv4(attrs.RTA_PREFSRC)} `;
  if (attrs.RTA_PRIORITY && f.metricmask !== -1) s += `metric ${attrs.RTA_PRIORITY} `;
  s += rtFlags(rtm.rtm_flags);
  s += mtuText(m);
  return `${s}\n`;
}

// --- ip route show / flush ---

function parseFilter(ip: Ip, argv: readonly string[], f: RouteFilter): void {
  const fam = ip.opts.family;
  const args = new Args(ip, argv);
  let od: string | null = null;
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (matches(a, 'table')) {
      const v = args.next();
      const id = tableId(v, ip);
      if (id === null) {
        if (v === 'all') f.tb = 0;
        else if (v === 'cache') f.cloned = true;
        else if (v === 'help') usage(ip);
        else ip.invarg('table id value is invalid\n', v);
      } else f.tb = id;
    } else if (matches(a, 'cached') || matches(a, 'cloned')) {
      f.cloned = true;
    } else if (a === 'tos' || matches(a, 'dsfield')) {
      const v = args.next();
      const t = getUnsigned(v);
      if (t === null || t > 255) ip.invarg('TOS value is invalid\n', v);
      f.tos = t;
      f.tosmask = -1;
    } else if (matches(a, 'protocol')) {
      const p = protocolFilter(ip, args.next());
      f.protocol = p.protocol;
      f.protocolmask = p.mask;
    } else if (matches(a, 'scope')) {
      const v = args.next();
      f.scopemask = -1;
      let sc = scopeId(v);
      if (sc === null) {
        if (v !== 'all') ip.invarg('invalid "scope"\n', v);
        sc = RT_SCOPE_NOWHERE;
        f.scopemask = 0;
      }
      f.scope = sc;
    } else if (matches(a, 'type')) {
      const v = args.next();
      const t = rtnTypeId(v);
      if (t === null) ip.invarg('node type value is invalid\n', v);
      f.typemask = 1 << t;
    } else if (a === 'dev' || a === 'oif') {
      od = args.next();
    } else if (a === 'iif' || a === 'mark') {
      args.next();
    } else if (matches(a, 'metric') || matches(a, 'priority') || a === 'preference') {
      const v = args.next();
      const m = getUnsigned(v);
      if (m === null) ip.invarg('"metric" value is invalid\n', v);
      f.metric = m;
      f.metricmask = -1;
    } else if (a === 'via') {
      f.rvia = getPrefix(ip, args.next(), fam);
    } else if (a === 'src') {
      f.rprefsrc = getPrefix(ip, args.next(), fam);
    } else if (matches(a, 'from')) {
      let v = args.next();
      if (matches(v, 'root') || matches(v, 'match') || matches(v, 'exact')) v = args.next();
      getPrefix(ip, v, fam);
    } else {
      let v = a;
      if (matches(v, 'to')) v = args.next();
      if (matches(v, 'root')) {
        f.rdst = getPrefix(ip, args.next(), fam);
      } else if (matches(v, 'match')) {
        f.mdst = getPrefix(ip, args.next(), fam);
      } else {
        if (matches(v, 'exact')) v = args.next();
        f.mdst = getPrefix(ip, v, fam);
        f.rdst = f.mdst;
      }
    }
  }
  if (od !== null) {
    const ifindex = llNameToIndex(ip, od);
    if (!ifindex) {
      ip.err(`Cannot find device "${od}"\n`);
      throw new IpExit(1);
    }
    f.oif = ifindex;
    f.oifmask = -1;
  }
}

/** The routes of the RTM_GETROUTE dump that pass the filter; a failed dump ends the program. */
function matching(ip: Ip, f: RouteFilter, what: 'Dump' | 'Flush'): RouteMsg[] {
  if (ip.opts.family !== AF_UNSPEC && ip.opts.family !== AF_INET) return [];
  const req: RouteMsg = { rtm: rtmsg({ rtm_family: AF_INET, rtm_table: f.tb > 0 && f.tb < 256 ? f.tb : 0 }), attrs: {} };
  if (f.tb > 0) req.attrs.RTA_TABLE = f.tb;
  const r = rtnl_dumproute(ip.net, req);
  if ('error' in r) {
    ip.err(r.extack !== null ? `Error: ${r.extack}.\n` : `RTNETLINK answers: ${strerror(-r.error)}\n`);
    return ip.fail(`${what} terminated`, 2);
  }
  return r.filter((m) => routePasses(f, m));
}

function routeList(ip: Ip, argv: readonly string[]): number {
  const f = newFilter();
  f.tb = RT_TABLE_MAIN;
  parseFilter(ip, argv, f);
  if (ip.opts.family === AF_INET6) return route6List(ip, f);
  if (f.cloned) return listExceptions(ip);
  for (const m of matching(ip, f, 'Dump')) ip.out(routeLine(ip, f, m));
  return 0;
}

/** `ip route show cache`: the dump with RTM_F_CLONED answers with the nexthop exceptions. */
function listExceptions(ip: Ip): number {
  const req: RouteMsg = { rtm: rtmsg({ rtm_family: AF_INET, rtm_flags: RTM_F_CLONED }), attrs: {} };
  const r = rtnl_dumproute(ip.net, req);
  if (!('error' in r)) for (const m of r) ip.out(cachedLine(ip, m, RT_TABLE_MAIN));
  return 0;
}

/** iproute_flush() */
function routeFlush(ip: Ip, argv: readonly string[]): number {
  if (argv.length === 0) {
    ip.err('"ip route flush" requires arguments.\n');
    return 1;
  }
  if (argv[0] === 'cache' && ip.opts.family !== AF_INET6) {
    // iproute_flush_cache(): "-1" into /proc/sys/net/ipv4/route/flush
    proc_ipv4_route_flush(ip.net);
    return 0;
  }
  const f = newFilter();
  f.tb = RT_TABLE_MAIN;
  parseFilter(ip, argv, f);
  if (ip.opts.family === AF_INET6) return route6Flush(ip, f);
  let round = 0;
  for (;;) {
    const victims = matching(ip, f, 'Flush');
    if (victims.length === 0) {
      if (ip.opts.stats)
        ip.out(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (ip.opts.stats > 1) for (const m of victims) ip.out(routeLine(ip, f, m));
    // flush_update(): each one goes back as RTM_DELROUTE
    for (const m of victims) rtnl_delroute(ip.net, m);
    if (ip.opts.stats) ip.out(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
    if (round >= 10) {
      ip.out('*** Flush remains incomplete after 10 rounds. ***\n');
      return 1;
    }
  }
}

// --- ip route add / del ---

/** What iproute_modify() puts in the request. */
interface RouteReq {
  type: number;
  table: number;
  dst: number;
  plen: number;
  tos: number;
  protocol: number;
  scope: number;
  prefsrc: number;
  priority: number;
  gw: number;
  oif: number;
  onlink: boolean;
  mtu: number;
  mtuLock: boolean;
  hasMtu: boolean;
  /** the in6_addr of dst, via and src when the family is inet6 */
  dst6: Uint8Array | null;
  gw6: Uint8Array | null;
  prefsrc6: Uint8Array | null;
  /** RTA_PREF, RTA_EXPIRES, RTAX_HOPLIMIT (IPv6 only here) */
  pref: number | null;
  expires: number | null;
  hoplimit: number | null;
  hoplimitLock: boolean;
}

type Op = 'add' | 'change' | 'replace' | 'prepend' | 'append' | 'test' | 'del';

/** iproute_modify() */
function routeModify(ip: Ip, argv: readonly string[], op: Op): number {
  const del = op === 'del';
  let family = ip.opts.family;
  const cfg: RouteReq = {
    type: del ? 0 : RTN_UNICAST,
    table: RT_TABLE_MAIN,
    dst: 0,
    plen: 0,
    tos: 0,
    protocol: del ? 0 : RTPROT_BOOT,
    scope: del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE,
    prefsrc: 0,
    priority: 0,
    gw: 0,
    oif: 0,
    onlink: false,
    mtu: 0,
    mtuLock: false,
    hasMtu: false,
    dst6: null,
    gw6: null,
    prefsrc6: null,
    pref: null,
    expires: null,
    hoplimit: null,
    hoplimitLock: false,
  };
  let d: string | null = null;
  let gwOk = false;
  let dstOk = false;
  let scopeOk = false;
  let tableOk = false;
  let v6 = false;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'src') {
      const p = getAddr(ip, args.next(), family);
      if (family === AF_UNSPEC) family = p.family;
      cfg.prefsrc = p.addr;
      cfg.prefsrc6 = p.addr6 ?? null;
    } else if (a === 'via') {
      if (gwOk) ip.invarg('use nexthop syntax to specify multiple via\n', a);
      gwOk = true;
      let v = args.next();
      let fam = family;
      if (v === 'inet') {
        fam = AF_INET;
        v = args.next();
      } else if (v === 'inet6') {
        fam = AF_INET6;
        v = args.next();
      }
      const p = getAddr(ip, v, fam);
      if (family === AF_UNSPEC) family = p.family;
      cfg.gw = p.addr;
      cfg.gw6 = p.addr6 ?? null;
    } else if (a === 'from') {
      getPrefix(ip, args.next(), family);
      return unsupported(ip, 'source-specific routes');
    } else if (a === 'tos' || matches(a, 'dsfield')) {
      const v = args.next();
      const t = getUnsigned(v);
      if (t === null || t > 255) ip.invarg('"tos" value is invalid\n', v);
      cfg.tos = t;
    } else if (matches(a, 'metric') || matches(a, 'priority') || a === 'preference') {
      const v = args.next();
      const m = getUnsigned(v);
      if (m === null) ip.invarg('"metric" value is invalid\n', v);
      cfg.priority = m;
    } else if (a === 'scope') {
      const v = args.next();
      const s = scopeId(v);
      if (s === null) ip.invarg('invalid "scope" value\n', v);
      cfg.scope = s;
      scopeOk = true;
    } else if (a === 'mtu') {
      let v = args.next();
      if (v === 'lock') {
        cfg.mtuLock = true;
        v = args.next();
      }
      const m = getUnsigned(v);
      if (m === null) ip.invarg('"mtu" value is invalid\n', v);
      cfg.mtu = m;
      cfg.hasMtu = true;
    } else if (a === 'hoplimit') {
      let v = args.next();
      if (v === 'lock') {
        cfg.hoplimitLock = true;
        v = args.next();
      }
      const h = getUnsigned(v);
      if (h === null || h > 255) ip.invarg('"hoplimit" value is invalid\n', v);
      cfg.hoplimit = h;
    } else if (a === 'expires') {
      const v = args.next();
      const e = getUnsigned(v);
      if (e === null || e > 0xffffffff) ip.invarg('"expires" value is invalid\n', v);
      cfg.expires = e;
    } else if (matches(a, 'pref')) {
      const v = args.next();
      const p: number | null = v === 'low' ? 3 : v === 'medium' ? 0 : v === 'high' ? 1 : getUnsigned(v);
      if (p === null || p > 255) ip.invarg('"pref" value is invalid\n', v);
      cfg.pref = p;
    } else if (a === 'onlink') {
      cfg.onlink = true;
    } else if (matches(a, 'protocol')) {
      const v = args.next();
      const p = protoId(v);
      if (p === null) ip.invarg('"protocol" value is invalid\n', v);
      cfg.protocol = p;
    } else if (matches(a, 'table')) {
      const v = args.next();
      const t = tableId(v, ip);
      if (t === null) ip.invarg('"table" value is invalid\n', v);
      cfg.table = t;
      tableOk = true;
    } else if (a === 'dev' || a === 'oif') {
      d = args.next();
    } else if (
      ['advmss', 'rtt', 'rto_min', 'rttvar', 'nexthop', 'nhid', 'encap', 'as', 'ttl-propagate'].includes(a) ||
      [
        'reordering',
        'window',
        'cwnd',
        'initcwnd',
        'initrwnd',
        'features',
        'quickack',
        'congctl',
        'ssthresh',
        'realms',
        'fastopen_no_cookie',
        'vrf',
      ].some((k) => matches(a, k))
    ) {
      return unsupported(ip, `"${a}"`);
    } else {
      let v = a;
      if (v === 'to') v = args.next();
      const c = v.charCodeAt(0);
      if (!(c >= 48 && c <= 57)) {
        const t = rtnTypeId(v);
        if (t !== null) {
          cfg.type = t;
          v = args.next();
        }
      }
      if (matches(v, 'help')) usage(ip);
      if (dstOk) ip.duparg2('to', v);
      const p = getPrefix(ip, v, family);
      if (family === AF_UNSPEC) family = p.family;
      if (p.family === AF_INET6) v6 = true;
      cfg.dst = p.addr;
      cfg.dst6 = p.addr6 ?? null;
      cfg.plen = p.bitlen;
      dstOk = true;
    }
  }
  if (!dstOk) usage(ip);
  if (d !== null) {
    const ifindex = llNameToIndex(ip, d);
    if (!ifindex) {
      ip.err(`Cannot find device "${d}"\n`);
      return 1;
    }
    cfg.oif = ifindex;
  }
  if (!tableOk && [RTN_LOCAL, RTN_BROADCAST, RTN_NAT, RTN_ANYCAST].includes(cfg.type)) cfg.table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (cfg.type === RTN_LOCAL || cfg.type === RTN_NAT) cfg.scope = RT_SCOPE_HOST;
    else if (cfg.type === RTN_BROADCAST || cfg.type === RTN_MULTICAST || cfg.type === RTN_ANYCAST) cfg.scope = RT_SCOPE_LINK;
    else if (cfg.type === RTN_UNICAST || cfg.type === 0) {
      if (del) cfg.scope = RT_SCOPE_NOWHERE;
      else if (!gwOk) cfg.scope = RT_SCOPE_LINK;
    }
  }
  if (v6 || family === AF_INET6) return route6Modify(ip, cfg, op);
  if (cfg.hoplimit !== null) return unsupported(ip, '"hoplimit"');
  if (cfg.expires !== null) return unsupported(ip, '"expires"');
  if (cfg.pref !== null) return unsupported(ip, '"pref"');
  const msg: RouteMsg = {
    rtm: rtmsg({
      rtm_family: AF_INET,
      rtm_dst_len: cfg.plen,
      rtm_tos: cfg.tos,
      rtm_table: cfg.table < 256 ? cfg.table : 0,
      rtm_protocol: cfg.protocol,
      rtm_scope: cfg.scope,
      rtm_type: cfg.type,
      rtm_flags: cfg.onlink ? RTNH_F_ONLINK : 0,
    }),
    attrs: { RTA_TABLE: cfg.table },
  };
  const at = msg.attrs;
  if (cfg.plen) at.RTA_DST = cfg.dst;
  else if (cfg.dst) at.RTA_DST = cfg.dst;
  if (cfg.prefsrc) at.RTA_PREFSRC = cfg.prefsrc;
  if (cfg.gw) at.RTA_GATEWAY = cfg.gw;
  if (cfg.priority) at.RTA_PRIORITY = cfg.priority;
  if (cfg.oif) at.RTA_OIF = cfg.oif;
  if (cfg.hasMtu) at.RTA_METRICS = { RTAX_MTU: cfg.mtu, ...(cfg.mtuLock ? { RTAX_LOCK: 1 << RTAX_MTU } : {}) };
  const ack = del ? rtnl_delroute(ip.net, msg) : rtnl_newroute(ip.net, NLM_FLAGS[op], msg);
  if (ack.error) talkError(ip, ack);
  return 0;
}

/** The nlmsg_flags each command sends (do_iproute()). */
const NLM_FLAGS: Record<Op, number> = {
  add: NLM_F_CREATE | NLM_F_EXCL,
  change: NLM_F_REPLACE,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  prepend: NLM_F_CREATE,
  append: NLM_F_CREATE | NLM_F_APPEND,
  test: NLM_F_EXCL,
  del: 0,
};

function unsupported(ip: Ip, what: string): number {
  ip.err(`skbpath: ip route: ${what} are not simulated\n`);
  return 2;
}

// --- ip route get ---

/** inet_rtm_getroute() and rt_fill_info() for an output route. */
function routeGet(ip: Ip, argv: readonly string[]): number {
  let family = ip.opts.family;
  let dst: InetPrefix | null = null;
  let src: InetPrefix | null = null;
  let odev: string | null = null;
  let idev: string | null = null;
  let tos = 0;
  let mark = 0;
  let uid: number | null = null;
  let sport = 0;
  let dport = 0;
  let proto = 0;
  let fibmatch = false;
  let notify = false;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'tos' || matches(a, 'dsfield')) {
      const v = args.next();
      const t = getUnsigned(v);
      if (t === null || t > 255) ip.invarg('TOS value is invalid\n', v);
      tos = t;
    } else if (matches(a, 'from')) {
      const v = args.next();
      if (matches(v, 'help')) usage(ip);
      src = getPrefix(ip, v, family);
      if (family === AF_UNSPEC) family = src.family;
    } else if (matches(a, 'iif')) {
      idev = args.next();
    } else if (matches(a, 'mark')) {
      const v = args.next();
      const m = getUnsigned(v);
      if (m === null) ip.invarg('invalid mark value', v);
      mark = m;
    } else if (matches(a, 'oif') || a === 'dev') {
      odev = args.next();
    } else if (matches(a, 'notify')) {
      notify = true;
    } else if (matches(a, 'connected')) {
      return unsupported(ip, '"connected" lookups');
    } else if (matches(a, 'uid')) {
      const v = args.next();
      const u = getUnsigned(v);
      if (u === null) ip.invarg('invalid UID\n', v);
      uid = u;
    } else if (matches(a, 'fibmatch')) {
      fibmatch = true;
    } else if (matches(a, 'sport') || matches(a, 'dport')) {
      const isS = matches(a, 'sport');
      const v = args.next();
      const p = getUnsigned(v);
      if (p === null || p > 65535) ip.invarg(isS ? 'invalid sport\n' : 'invalid dport\n', v);
      if (isS) sport = p;
      else dport = p;
    } else if (matches(a, 'ipproto')) {
      const v = args.next();
      const names: Record<string, number> = { icmp: 1, tcp: 6, udp: 17 };
      const p = names[v] ?? getUnsigned(v);
      if (p === null || p === undefined || p > 255) ip.invarg('Invalid "ipproto" value\n', v);
      proto = p;
    } else {
      let v = a;
      if (v === 'to') v = args.next();
      if (matches(v, 'help')) usage(ip);
      dst = getPrefix(ip, v, family);
      if (family === AF_UNSPEC) family = dst.family;
      if (dst.family === AF_INET && dst.bitlen !== 32)
        ip.err(`Warning: /${dst.bitlen} as prefix is invalid, only /32 (or none) is supported.\n`);
      else if (dst.family === AF_INET6 && dst.bitlen !== 128)
        ip.err(`Warning: /${dst.bitlen} as prefix is invalid, only /128 (or none) is supported.\n`);
    }
  }
  if (!dst) {
    ip.err('need at least a destination address\n');
    return 1;
  }
  let oif = 0;
  if (odev !== null) {
    oif = llNameToIndex(ip, odev);
    if (!oif) {
      ip.err(`Cannot find device "${odev}"\n`);
      return 1;
    }
  }
  /** iproute_get()'s selectors, the same for both families: false once an unknown iif is reported. */
  const addSelectors = (
    at: Pick<RouteMsg['attrs'], 'RTA_OIF' | 'RTA_MARK' | 'RTA_UID' | 'RTA_IP_PROTO' | 'RTA_SPORT' | 'RTA_DPORT' | 'RTA_IIF'>,
  ): boolean => {
    if (oif) at.RTA_OIF = oif;
    if (mark) at.RTA_MARK = mark;
    if (uid !== null) at.RTA_UID = uid;
    if (proto) at.RTA_IP_PROTO = proto;
    if (sport) at.RTA_SPORT = sport;
    if (dport) at.RTA_DPORT = dport;
    if (idev !== null) {
      const iif = llNameToIndex(ip, idev);
      if (!iif) {
        ip.err(`Cannot find device "${idev}"\n`);
        return false;
      }
      at.RTA_IIF = iif;
    }
    return true;
  };
  if (family === AF_INET6) {
    const req6: Route6Msg = {
      rtm: rtmsg({ rtm_family: AF_INET6, rtm_tos: tos, rtm_flags: (notify ? RTM_F_NOTIFY : 0) | (fibmatch ? RTM_F_FIB_MATCH : 0) }),
      attrs: {},
    };
    const a6 = req6.attrs;
    if (dst.bytelen && dst.addr6) a6.RTA_DST = dst.addr6;
    req6.rtm.rtm_dst_len = 128;
    if (src) {
      if (src.bytelen && src.addr6) a6.RTA_SRC = src.addr6;
      req6.rtm.rtm_src_len = src.bitlen;
    }
    if (!addSelectors(a6)) return 1;
    const r6 = rtnl_getroute6(ip.net, req6);
    if ('error' in r6) return talkError(ip, r6);
    const gf = newFilter();
    gf.cloned = !!(r6.rtm.rtm_flags & RTM_F_CLONED);
    ip.out(route6Line(ip, gf, r6));
    return 0;
  }
  const req: RouteMsg = {
    rtm: rtmsg({
      rtm_family: AF_INET,
      rtm_tos: tos,
      rtm_flags: RTM_F_LOOKUP_TABLE | (notify ? RTM_F_NOTIFY : 0) | (fibmatch ? RTM_F_FIB_MATCH : 0),
    }),
    attrs: {},
  };
  const at = req.attrs;
  if (dst.bytelen) {
    at.RTA_DST = dst.addr;
    req.rtm.rtm_dst_len = 32;
  }
  if (src && src.bytelen) {
    at.RTA_SRC = src.addr;
    req.rtm.rtm_src_len = 32;
  }
  if (!addSelectors(at)) return 1;
  const r = rtnl_getroute(ip.net, req);
  if ('error' in r) return talkError(ip, r);
  if (fibmatch) ip.out(routeLine(ip, newFilter(), r));
  else ip.out(cachedLine(ip, r, 0));
  return 0;
}

const RTCF_FLAGS: [number, string][] = [
  [0x80000000, 'local'],
  [0x40000000, 'reject'],
  [0x20000000, 'mc'],
  [0x10000000, 'brd'],
  [0x08000000, 'dst-nat'],
  [0x00800000, 'src-nat'],
  [0x00400000, 'masq'],
  [0x00020000, 'dst-direct'],
  [0x04000000, 'src-direct'],
  [0x00040000, 'redirected'],
  [0x01000000, 'redirect'],
  [0x00200000, 'fastroute'],
  [0x00010000, 'notify'],
  [0x00080000, 'proxy'],
];

/**
 * print_route() for a route the kernel made (RTM_F_CLONED: `ip route get`,
 * `ip route show cache`): the route, then the cache line. `filterTb` is
 * filter.tb (a table is printed only without one).
 */
function cachedLine(ip: Ip, m: RouteMsg, filterTb: number): string {
  const { rtm, attrs } = m;
  const d = ip.opts.details;
  const table = attrs.RTA_TABLE ?? 0;
  let s = '';
  if (rtm.rtm_type !== RTN_UNICAST || d > 0) s += `${rtnTypeName(rtm.rtm_type)} `;
  s += `${ipv4(attrs.RTA_DST ?? 0)} `;
  if (attrs.RTA_SRC !== undefined) s += `from ${ipv4(attrs.RTA_SRC)} `;
  if (rtm.rtm_tos) s += `tos 0x${rtm.rtm_tos.toString(16).padStart(2, '0')} `;
  if (attrs.RTA_GATEWAY) s += `via ${ipv4(attrs.RTA_GATEWAY)} `;
  if (attrs.RTA_OIF) s += `dev ${llIndexToName(ip, attrs.RTA_OIF)} `;
  if (table && (table !== RT_TABLE_MAIN || d > 0) && !filterTb) s += `table ${tableName(table, ip.opts.numeric, ip)} `;
  if (attrs.RTA_PREFSRC !== undefined) s += `src ${ipv4(attrs.RTA_PREFSRC)} `;
  const hi = (rtm.rtm_flags & ~0xffff) >>> 0;
  s += rtFlags(hi);
  const mark = attrs.RTA_MARK ?? 0;
  if (mark) s += mark >= 16 ? `mark 0x${mark.toString(16)} ` : `mark ${mark} `;
  if (attrs.RTA_UID !== undefined) s += `uid ${attrs.RTA_UID} `;
  s += `${ip.SL}    cache `;
  let cf = hi;
  if (cf) {
    s += '<';
    for (const [bit, name] of RTCF_FLAGS) {
      if (!(cf & bit)) continue;
      cf = (cf & ~bit) >>> 0;
      s += cf ? `${name},` : `${name}> `;
    }
    if (cf) s += `${cf.toString(16)}>`;
  }
  const ci = attrs.RTA_CACHEINFO;
  if (ci?.rta_expires) s += `expires ${Math.floor(ci.rta_expires / USER_HZ)}sec `;
  if (ci?.rta_error) s += `error ${ci.rta_error} `;
  s += mtuText(m);
  if (attrs.RTA_IIF) s += `iif ${llIndexToName(ip, attrs.RTA_IIF)} `;
  return `${s}\n`;
}

export function doIproute(ip: Ip, argv: readonly string[]): number {
  const sub = argv[0];
  const rest = argv.slice(1);
  if (sub === undefined) return routeList(ip, []);
  if (matches(sub, 'add')) return routeModify(ip, rest, 'add');
  if (matches(sub, 'change') || sub === 'chg') return routeModify(ip, rest, 'change');
  if (matches(sub, 'replace')) return routeModify(ip, rest, 'replace');
  if (matches(sub, 'prepend')) return routeModify(ip, rest, 'prepend');
  if (matches(sub, 'append')) return routeModify(ip, rest, 'append');
  if (matches(sub, 'test')) return routeModify(ip, rest, 'test');
  if (matches(sub, 'delete')) return routeModify(ip, rest, 'del');
  if (matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) return routeList(ip, rest);
  if (matches(sub, 'get')) return routeGet(ip, rest);
  if (matches(sub, 'flush')) return routeFlush(ip, rest);
  if (matches(sub, 'help')) usage(ip);
  return ip.fail(`Command "${sub}" is unknown, try "ip route help".`, 255);
}

// --- AF_INET6: the same commands over inet6 route messages ---

/** inet_addr_match() on in6_addr bytes: the first `bits` bits equal. */
function in6PrefixMatch(a: Uint8Array | undefined, b: Uint8Array | undefined, bits: number): boolean {
  if (bits <= 0) return true;
  const x = a ?? new Uint8Array(16);
  const y = b ?? new Uint8Array(16);
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (x[i] !== y[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return (((x[whole] ?? 0) ^ (y[whole] ?? 0)) & m) === 0;
}

/** filter_nlmsg() for an AF_INET6 route; `multi` is its static ip6_multiple_tables. */
function route6Passes(f: RouteFilter, m: Route6Msg, multi: { on: boolean }): boolean {
  const { rtm, attrs } = m;
  const table = attrs.RTA_TABLE ?? rtm.rtm_table;
  if (table !== RT_TABLE_MAIN) multi.on = true;
  if (f.cloned !== ((rtm.rtm_flags & RTM_F_CLONED) !== 0)) return false;
  if (!multi.on) {
    if (f.tb) {
      if (f.tb === RT_TABLE_LOCAL) {
        if (rtm.rtm_type !== RTN_LOCAL) return false;
      } else if (f.tb === RT_TABLE_MAIN) {
        if (rtm.rtm_type === RTN_LOCAL) return false;
      } else return false;
    }
  } else if (f.tb > 0 && f.tb !== table) return false;
  if ((f.protocol ^ rtm.rtm_protocol) & f.protocolmask) return false;
  if ((f.scope ^ rtm.rtm_scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << rtm.rtm_type))) return false;
  if ((f.tos ^ rtm.rtm_tos) & f.tosmask) return false;
  const plen = rtm.rtm_dst_len;
  if (f.rdst) {
    if (f.rdst.family !== AF_INET6 || f.rdst.bitlen > plen) return false;
    if (!in6PrefixMatch(attrs.RTA_DST, f.rdst.addr6, f.rdst.bitlen)) return false;
  }
  if (f.mdst) {
    if (f.mdst.family !== AF_INET6 || (f.mdst.bitlen >= 0 && f.mdst.bitlen < plen)) return false;
    if (!in6PrefixMatch(attrs.RTA_DST, f.mdst.addr6, plen)) return false;
  }
  if (f.rvia) {
    if (f.rvia.family !== AF_INET6) return false;
    if (!in6PrefixMatch(attrs.RTA_GATEWAY, f.rvia.addr6, f.rvia.bitlen)) return false;
  }
  if (f.rprefsrc) {
    if (f.rprefsrc.family !== AF_INET6) return false;
    if (!in6PrefixMatch(attrs.RTA_PREFSRC, f.rprefsrc.addr6, f.rprefsrc.bitlen)) return false;
  }
  if ((f.oif ^ (attrs.RTA_OIF ?? 0)) & f.oifmask) return false;
  if ((f.metric ^ (attrs.RTA_PRIORITY ?? 0)) & f.metricmask) return false;
  // a flush leaves the table's own unreachable default (metric 0xffffffff) alone
  if (f.flush && plen === 0 && rtm.rtm_type === RTN_UNREACHABLE && attrs.RTA_PRIORITY === 0xffffffff) return false;
  return true;
}

/** print_route() for an AF_INET6 message (a FIB entry, a cached exception, an `ip -6 route get` answer). */
function route6Line(ip: Ip, f: RouteFilter, m: Route6Msg): string {
  const { rtm, attrs } = m;
  const d = ip.opts.details;
  const table = attrs.RTA_TABLE ?? rtm.rtm_table;
  let s = '';
  if ((rtm.rtm_type !== RTN_UNICAST || d > 0) && (!f.typemask || f.typemask & (1 << rtm.rtm_type))) s += `${rtnTypeName(rtm.rtm_type)} `;
  if (attrs.RTA_DST)
    s += rtm.rtm_dst_len !== 128 ? `${ipv6ToString(attrs.RTA_DST)}/${rtm.rtm_dst_len} ` : `${ipv6ToString(attrs.RTA_DST)} `;
  else if (rtm.rtm_dst_len) s += `0/${rtm.rtm_dst_len}  `;
  else s += 'default ';
  if (attrs.RTA_SRC)
    s += rtm.rtm_src_len !== 128 ? `from ${ipv6ToString(attrs.RTA_SRC)}/${rtm.rtm_src_len} ` : `from ${ipv6ToString(attrs.RTA_SRC)} `;
  else if (rtm.rtm_src_len) s += `from 0/${rtm.rtm_src_len} `;
  if (attrs.RTA_GATEWAY && !(f.rvia && f.rvia.bitlen === 128)) s += `via ${ipv6ToString(attrs.RTA_GATEWAY)} `;
  if (attrs.RTA_OIF && f.oifmask !== -1) s += `dev ${llIndexToName(ip, attrs.RTA_OIF)} `;
  if (table && (table !== RT_TABLE_MAIN || d > 0) && !f.tb) s += `table ${tableName(table, ip.opts.numeric)} `;
  if (!(rtm.rtm_flags & RTM_F_CLONED)) {
    if ((rtm.rtm_protocol !== RTPROT_BOOT || d > 0) && f.protocolmask !== -1) s += `proto ${protoName(rtm.rtm_protocol, ip.opts.numeric)} `;
    if ((rtm.rtm_scope !== RT_SCOPE_UNIVERSE || d > 0) && f.scopemask !== -1) s += `scope ${scopeName(rtm.rtm_scope, ip.opts.numeric)} `;
  }
  if (attrs.RTA_PREFSRC && !(f.rprefsrc && f.rprefsrc.bitlen === 128)) s += `src ${ipv6ToString(attrs.RTA_PREFSRC)} `;
  if (attrs.RTA_PRIORITY !== undefined && f.metricmask !== -1) s += `metric ${attrs.RTA_PRIORITY >>> 0} `;
  s += rtFlags(rtm.rtm_flags);
  const mark = attrs.RTA_MARK ?? 0;
  if (mark) s += mark >= 16 ? `mark 0x${mark.toString(16)} ` : `mark ${mark} `;
  if (attrs.RTA_UID !== undefined) s += `uid ${attrs.RTA_UID} `;
  const ci = attrs.RTA_CACHEINFO;
  if (ci?.rta_expires) s += `expires ${Math.trunc(ci.rta_expires / USER_HZ)}sec `;
  if (ci?.rta_error) s += `error ${ci.rta_error >>> 0} `;
  const mx = attrs.RTA_METRICS;
  if (mx) {
    const lock = mx.RTAX_LOCK ?? 0;
    if (mx.RTAX_MTU) s += `mtu ${lock & (1 << RTAX_MTU) ? 'lock ' : ''}${mx.RTAX_MTU} `;
    if (mx.RTAX_HOPLIMIT) s += `hoplimit ${lock & (1 << RTAX_HOPLIMIT) ? 'lock ' : ''}${mx.RTAX_HOPLIMIT} `;
  }
  if (attrs.RTA_IIF) s += `iif ${llIndexToName(ip, attrs.RTA_IIF)} `;
  if (attrs.RTA_PREF !== undefined) {
    const p = attrs.RTA_PREF;
    s += p === 3 ? 'pref low' : p === 0 ? 'pref medium' : p === 1 ? 'pref high' : String(p);
  }
  return `${s}\n`;
}

/** The inet6 routes of the dump that pass the filter. */
function matching6(ip: Ip, f: RouteFilter, what: 'Dump' | 'Flush' = 'Dump'): Route6Msg[] {
  const req: Route6Msg = {
    rtm: rtmsg({ rtm_family: AF_INET6, rtm_flags: f.cloned ? RTM_F_CLONED : 0, rtm_table: f.tb > 0 && f.tb < 256 ? f.tb : 0 }),
    attrs: {},
  };
  // iproute_dump_filter(): the table goes in the (strict) request
  if (f.tb > 0) req.attrs.RTA_TABLE = f.tb;
  const r = rtnl_dumproute6(ip.net, req);
  if ('error' in r) {
    ip.err(r.extack !== null ? `Error: ${r.extack}.\n` : `RTNETLINK answers: ${strerror(-r.error)}\n`);
    return ip.fail(`${what} terminated`, 2);
  }
  const multi = { on: false };
  return r.filter((m) => route6Passes(f, m, multi));
}

function route6List(ip: Ip, f: RouteFilter): number {
  for (const m of matching6(ip, f)) ip.out(route6Line(ip, f, m));
  return 0;
}

/** iproute_flush() for AF_INET6. */
function route6Flush(ip: Ip, f: RouteFilter): number {
  f.flush = true;
  let round = 0;
  for (;;) {
    const victims = matching6(ip, f, 'Flush');
    if (victims.length === 0) {
      if (ip.opts.stats)
        ip.out(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (ip.opts.stats > 1) for (const m of victims) ip.out(route6Line(ip, f, m));
    for (const m of victims) rtnl_delroute6(ip.net, m);
    if (ip.opts.stats) ip.out(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
    if (round >= 10) {
      ip.out('*** Flush remains incomplete after 10 rounds. ***\n');
      return 1;
    }
  }
}

/** The end of iproute_modify() for inet6: the request as rtnl_talk() sends it. */
function route6Modify(ip: Ip, cfg: RouteReq, op: Op): number {
  const msg: Route6Msg = {
    rtm: rtmsg({
      rtm_family: AF_INET6,
      rtm_dst_len: cfg.plen,
      rtm_tos: cfg.tos,
      rtm_table: cfg.table < 256 ? cfg.table : 0,
      rtm_protocol: cfg.protocol,
      rtm_scope: cfg.scope,
      rtm_type: cfg.type,
      rtm_flags: cfg.onlink ? RTNH_F_ONLINK : 0,
    }),
    attrs: { RTA_TABLE: cfg.table },
  };
  const at = msg.attrs;
  if (cfg.dst6 && (cfg.plen || cfg.dst6.some((b) => b !== 0))) at.RTA_DST = cfg.dst6;
  if (cfg.prefsrc6) at.RTA_PREFSRC = cfg.prefsrc6;
  if (cfg.gw6) at.RTA_GATEWAY = cfg.gw6;
  if (cfg.priority) at.RTA_PRIORITY = cfg.priority;
  if (cfg.oif) at.RTA_OIF = cfg.oif;
  if (cfg.expires !== null) at.RTA_EXPIRES = cfg.expires;
  if (cfg.pref !== null) at.RTA_PREF = cfg.pref;
  if (cfg.hasMtu || cfg.hoplimit !== null) {
    let lock = 0;
    at.RTA_METRICS = {};
    if (cfg.hasMtu) {
      at.RTA_METRICS.RTAX_MTU = cfg.mtu;
      if (cfg.mtuLock) lock |= 1 << RTAX_MTU;
    }
    if (cfg.hoplimit !== null) {
      at.RTA_METRICS.RTAX_HOPLIMIT = cfg.hoplimit;
      if (cfg.hoplimitLock) lock |= 1 << RTAX_HOPLIMIT;
    }
    if (lock) at.RTA_METRICS.RTAX_LOCK = lock;
  }
  const ack = op === 'del' ? rtnl_delroute6(ip.net, msg) : rtnl_newroute6(ip.net, NLM_FLAGS[op], msg);
  if (ack.error) talkError(ip, ack);
  return 0;
}
