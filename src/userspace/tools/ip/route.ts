// ip/iproute.c: `ip route show|add|del|change|replace|append|prepend|get|flush`
// and what inet_rtm_newroute()/inet_rtm_delroute()/inet_rtm_getroute() do
// (fib_table_insert, fib_create_info, fib_check_nh, fib_table_delete,
// rt_fill_info) with the IPv4 FIB of the kernel model.
import { IFF_LOOPBACK, IFF_UP, type NetDevice } from '../../../kernel/core/netdevice.ts';
import { kfree_skb_reason } from '../../../kernel/core/skb_free.ts';
import { ipv4_is_lbcast, ipv4_is_multicast } from '../../../kernel/ipv4/addr.ts';
import {
  FIB_LOOKUP_IGNORE_LINKSTATE,
  type FibAlias,
  flowi4,
  inetMakeMask,
  newResult,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_NAT,
  RTN_UNICAST,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  RTNH_F_ONLINK,
} from '../../../kernel/ipv4/fib.ts';
import { inet_addr_type_dev_table, ip_route_input_noref, ip_route_output_key, type Rtable } from '../../../kernel/ipv4/route.ts';
import type { Net } from '../../../kernel/net_namespace.ts';
import { alloc_skb } from '../../../kernel/skbuff.ts';
import { SKB_DROP_REASON } from '../../../kernel/trace/dropreason.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  devByName,
  getAddr,
  getPrefix,
  getUnsigned,
  type InetPrefix,
  Ip,
  IpExit,
  ipv4,
  jiffiesAt,
  jiffiesToClock,
  matches,
  protoId,
  protoName,
  rtnTypeId,
  rtnTypeName,
  scopeId,
  scopeName,
  tableId,
  tableName,
} from './common.ts';
import { linkNet } from './nsid.ts';
import { ROUTE_USAGE } from './usage.ts';

const RTPROT_BOOT = 3;
const RTM_F_NOTIFY = 0x100;
const RTM_F_OFFLOAD_FAILED = 0x20000000;

function usage(ip: Ip): never {
  ip.err(ROUTE_USAGE);
  throw new IpExit(255);
}

// --- tables ---

/** Tables other than main and local: Linux never consults them without rules, so they live here. */
const otherTables = new WeakMap<Net, FibAlias[]>();
/** Routes whose mtu metric is locked (RTAX_LOCK). */
const mtuLocked = new WeakSet<FibAlias>();

function others(net: Net): FibAlias[] {
  let l = otherTables.get(net);
  if (!l) otherTables.set(net, (l = []));
  return l;
}

/** The routes of one table in dump order: by key, longer prefix first, then the alias list. */
function tableRoutes(net: Net, id: number): FibAlias[] {
  const src = id === RT_TABLE_MAIN || id === RT_TABLE_LOCAL ? net.fib.aliases : others(net);
  const l = src.filter((fa) => fa.table === id && !fa.dead);
  return l.map((fa, i) => ({ fa, i })).sort((x, y) => x.fa.dst - y.fa.dst || y.fa.plen - x.fa.plen || x.i - y.i).map((e) => e.fa);
}

/** inet_dump_fib(): the tables in fib_table_hash order. */
function tableIds(net: Net): number[] {
  const ids = new Set<number>([RT_TABLE_MAIN, RT_TABLE_LOCAL]);
  for (const fa of others(net)) ids.add(fa.table);
  return [...ids].sort((a, b) => (a & 255) - (b & 255) || b - a);
}

function insertAlias(net: Net, fa: FibAlias, append: boolean): void {
  if (fa.table === RT_TABLE_MAIN || fa.table === RT_TABLE_LOCAL) {
    net.fib.insert(fa, append);
    return;
  }
  const l = others(net);
  let i = 0;
  for (; i < l.length; i++) {
    const b = l[i] as FibAlias;
    if (b.table !== fa.table || b.dst !== fa.dst || b.plen !== fa.plen || b.tos !== fa.tos) continue;
    if (b.priority > fa.priority || (b.priority === fa.priority && !append)) break;
  }
  l.splice(i, 0, fa);
}

function removeAlias(net: Net, fa: FibAlias): void {
  if (fa.table === RT_TABLE_MAIN || fa.table === RT_TABLE_LOCAL) {
    net.fib.remove(fa);
    return;
  }
  const l = others(net);
  const i = l.indexOf(fa);
  if (i >= 0) l.splice(i, 1);
  fa.dead = true;
}

/** The aliases of one leaf with this table and tos, in list order (fib_find_alias onwards). */
function sameKey(net: Net, table: number, dst: number, plen: number, tos: number): FibAlias[] {
  const src = table === RT_TABLE_MAIN || table === RT_TABLE_LOCAL ? net.fib.aliases : others(net);
  return src.filter((fa) => fa.table === table && fa.dst === dst && fa.plen === plen && fa.tos === tos && !fa.dead);
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
  };
}

function prefixMatch(a: number, b: number, bits: number): boolean {
  if (bits <= 0) return true;
  return ((a ^ b) & inetMakeMask(Math.min(bits, 32))) >>> 0 === 0;
}

/** filter_nlmsg() for one route of the dump. */
function routePasses(f: RouteFilter, fa: FibAlias): boolean {
  if (f.cloned) return false;
  if (f.tb > 0 && f.tb !== fa.table) return false;
  if ((f.protocol ^ fa.protocol) & f.protocolmask) return false;
  if ((f.scope ^ fa.scope) & f.scopemask) return false;
  if (f.typemask && !(f.typemask & (1 << fa.type))) return false;
  if ((f.tos ^ fa.tos) & f.tosmask) return false;
  if (f.rdst) {
    if (f.rdst.bitlen > fa.plen) return false;
    if (!prefixMatch(fa.dst, f.rdst.addr, f.rdst.bitlen)) return false;
  }
  if (f.mdst) {
    if (f.mdst.bitlen >= 0 && f.mdst.bitlen < fa.plen) return false;
    if (!prefixMatch(fa.dst, f.mdst.addr, fa.plen)) return false;
  }
  if (f.rvia && !prefixMatch(fa.gw, f.rvia.addr, f.rvia.bitlen)) return false;
  if (f.rprefsrc && !prefixMatch(fa.prefsrc, f.rprefsrc.addr, f.rprefsrc.bitlen)) return false;
  if ((f.oif ^ (fa.dev?.ifindex ?? 0)) & f.oifmask) return false;
  if ((f.metric ^ fa.priority) & f.metricmask) return false;
  return true;
}

/** The rtm_flags of a FIB entry: its nexthop's flags (fib_nexthop_info). */
function aliasFlags(fa: FibAlias): number {
  let f = fa.nhFlags & (RTNH_F_ONLINK | RTNH_F_DEAD);
  if (fa.dev && fa.nhScope !== RT_SCOPE_NOWHERE && !fa.dev.carrier) f |= RTNH_F_LINKDOWN;
  return f;
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

function devName(dev: NetDevice): string {
  linkNet(dev);
  return dev.name;
}

/** print_route() for a FIB entry. */
function routeLine(ip: Ip, f: RouteFilter, fa: FibAlias): string {
  const d = ip.opts.details;
  let s = '';
  if ((fa.type !== RTN_UNICAST || d > 0) && (!f.typemask || f.typemask & (1 << fa.type))) s += `${rtnTypeName(fa.type)} `;
  s += fa.plen === 0 ? 'default ' : fa.plen === 32 ? `${ipv4(fa.dst)} ` : `${ipv4(fa.dst)}/${fa.plen} `;
  if (fa.tos && f.tosmask !== -1) s += `tos 0x${fa.tos.toString(16).padStart(2, '0')} `;
  if (fa.gw && !(f.rvia && f.rvia.bitlen === 32)) s += `via ${ipv4(fa.gw)} `;
  if (fa.dev && f.oifmask !== -1) s += `dev ${devName(fa.dev)} `;
  if ((fa.table !== RT_TABLE_MAIN || d > 0) && !f.tb) s += `table ${tableName(fa.table, ip.opts.numeric)} `;
  if ((fa.protocol !== RTPROT_BOOT || d > 0) && f.protocolmask !== -1) s += `proto ${protoName(fa.protocol, ip.opts.numeric)} `;
  if ((fa.scope !== RT_SCOPE_UNIVERSE || d > 0) && f.scopemask !== -1) s += `scope ${scopeName(fa.scope, ip.opts.numeric)} `;
  if (fa.prefsrc && !(f.rprefsrc && f.rprefsrc.bitlen === 32)) s += `src ${ipv4(fa.prefsrc)} `;
  if (fa.priority && f.metricmask !== -1) s += `metric ${fa.priority} `;
  s += rtFlags(aliasFlags(fa));
  if (fa.mtu) s += `mtu ${mtuLocked.has(fa) ? 'lock ' : ''}${fa.mtu} `;
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
      const id = tableId(v);
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
      const v = args.next();
      f.protocolmask = -1;
      let p = protoId(v);
      if (p === null) {
        if (v !== 'all') ip.invarg('invalid "protocol"\n', v);
        p = 0;
        f.protocolmask = 0;
      }
      f.protocol = p;
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
    const dev = devByName(ip.net, od);
    if (!dev) {
      ip.err(`Cannot find device "${od}"\n`);
      throw new IpExit(1);
    }
    f.oif = dev.ifindex;
    f.oifmask = -1;
  }
}

function matching(ip: Ip, f: RouteFilter): FibAlias[] {
  const out: FibAlias[] = [];
  if (ip.opts.family !== AF_UNSPEC && ip.opts.family !== AF_INET) return out;
  for (const id of tableIds(ip.net)) {
    if (f.tb > 0 && f.tb !== id) continue;
    for (const fa of tableRoutes(ip.net, id)) if (routePasses(f, fa)) out.push(fa);
  }
  return out;
}

function routeList(ip: Ip, argv: readonly string[]): number {
  const f = newFilter();
  f.tb = RT_TABLE_MAIN;
  parseFilter(ip, argv, f);
  if (f.cloned) return listExceptions(ip);
  for (const fa of matching(ip, f)) ip.out(routeLine(ip, f, fa));
  return 0;
}

/** `ip route show cache`: the nexthop exceptions (fib_dump_info_fnhe). */
function listExceptions(ip: Ip): number {
  const net = ip.net;
  const now = net.kernel.now;
  for (const e of [...net.fnhe.values()].sort((a, b) => a.daddr - b.daddr)) {
    if (e.expires <= now) continue;
    let s = `${ipv4(e.daddr)} `;
    const gw = e.gw || e.nhGw;
    if (gw) s += `via ${ipv4(gw)} `;
    s += `dev ${devName(e.dev)} `;
    s += `${ip.SL}    cache `;
    if (e.gw) s += '<redirected> ';
    const j = jiffiesAt(net, e.expires) - jiffiesAt(net, now);
    if (j > 0) s += `expires ${Math.floor(jiffiesToClock(net, j) / 100)}sec `;
    if (e.pmtu) s += `mtu ${e.locked ? 'lock ' : ''}${e.pmtu} `;
    ip.out(`${s}\n`);
  }
  return 0;
}

/** iproute_flush() */
function routeFlush(ip: Ip, argv: readonly string[]): number {
  if (argv.length === 0) {
    ip.err('"ip route flush" requires arguments.\n');
    return 1;
  }
  if (argv[0] === 'cache') {
    ip.net.fnhe.clear();
    return 0;
  }
  const f = newFilter();
  f.tb = RT_TABLE_MAIN;
  parseFilter(ip, argv, f);
  let round = 0;
  for (;;) {
    const victims = matching(ip, f);
    if (victims.length === 0) {
      if (ip.opts.stats) ip.out(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (ip.opts.stats > 1) for (const fa of victims) ip.out(routeLine(ip, f, fa));
    for (const fa of victims) removeAlias(ip.net, fa);
    if (ip.opts.stats) ip.out(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
    if (round >= 10) {
      ip.out('*** Flush remains incomplete after 10 rounds. ***\n');
      return 1;
    }
  }
}

// --- ip route add / del ---

/** fib_props[type]: the narrowest scope and the error of each route type. */
const PROPS: [number, number][] = [
  [RT_SCOPE_NOWHERE, 0],
  [RT_SCOPE_UNIVERSE, 0],
  [RT_SCOPE_HOST, 0],
  [RT_SCOPE_LINK, 0],
  [RT_SCOPE_LINK, 0],
  [RT_SCOPE_UNIVERSE, 0],
  [RT_SCOPE_UNIVERSE, -22],
  [RT_SCOPE_UNIVERSE, -113],
  [RT_SCOPE_UNIVERSE, -13],
  [RT_SCOPE_UNIVERSE, -11],
  [RT_SCOPE_NOWHERE, -22],
  [RT_SCOPE_NOWHERE, -22],
];

interface FibConfig {
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
  dev: NetDevice | null;
  onlink: boolean;
  mtu: number;
  mtuLock: boolean;
  hasMtu: boolean;
}

type Fail = { errno: number; msg: string | null };

/** fib_check_nh(): fills the nexthop of `fa` or says why not. */
function checkNh(net: Net, cfg: FibConfig, fa: FibAlias): Fail | null {
  if (cfg.gw) {
    if (cfg.onlink) {
      if (cfg.scope >= RT_SCOPE_LINK) return { errno: 22, msg: 'Nexthop has invalid scope' };
      const dev = cfg.dev;
      if (!dev) return { errno: 19, msg: 'Nexthop device required for onlink' };
      if (!(dev.flags & IFF_UP)) return { errno: 100, msg: 'Nexthop device is not up' };
      if (inet_addr_type_dev_table(net, dev, cfg.gw) !== RTN_UNICAST) return { errno: 22, msg: 'Nexthop has invalid gateway' };
      fa.dev = dev;
      fa.nhScope = RT_SCOPE_LINK;
      return null;
    }
    const fl = flowi4({ daddr: cfg.gw, scope: Math.max(cfg.scope + 1, RT_SCOPE_LINK), oif: cfg.dev?.ifindex ?? 0, iif: 1 });
    const res = newResult();
    const err = net.fib.fib_lookup(fl, res, FIB_LOOKUP_IGNORE_LINKSTATE);
    if (err) return { errno: -err, msg: 'Nexthop has invalid gateway' };
    if ((res.type !== RTN_UNICAST && res.type !== RTN_LOCAL) || !res.fa) return { errno: 22, msg: 'Nexthop has invalid gateway' };
    fa.nhScope = res.fa.scope;
    fa.dev = res.fa.dev;
    if (!fa.dev) return { errno: 22, msg: 'No egress device for nexthop gateway' };
    if (!(fa.dev.flags & IFF_UP)) return { errno: 100, msg: null };
    return null;
  }
  if (cfg.onlink) return { errno: 22, msg: 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set' };
  const dev = cfg.dev;
  if (!dev || !dev.ipPtr) return { errno: 19, msg: null };
  if (!(dev.flags & IFF_UP)) return { errno: 100, msg: 'Device for nexthop is not up' };
  fa.dev = dev;
  fa.nhScope = RT_SCOPE_HOST;
  return null;
}

/** fib_valid_prefsrc() */
function validPrefsrc(net: Net, cfg: FibConfig): boolean {
  if (cfg.type === RTN_LOCAL && cfg.dst && cfg.prefsrc === cfg.dst) return true;
  return inet_addr_type_dev_table(net, null, cfg.prefsrc) === RTN_LOCAL;
}

/** fib_create_info() */
function createInfo(net: Net, cfg: FibConfig): FibAlias | Fail {
  const props = PROPS[cfg.type];
  if (!props) return { errno: 22, msg: 'Invalid route type' };
  if (props[0] > cfg.scope) return { errno: 22, msg: 'Invalid scope' };
  const fa: FibAlias = {
    table: cfg.table,
    dst: cfg.dst,
    plen: cfg.plen,
    tos: cfg.tos,
    type: cfg.type,
    scope: cfg.scope,
    protocol: cfg.protocol,
    prefsrc: cfg.prefsrc,
    priority: cfg.priority,
    gw: cfg.gw,
    dev: null,
    nhScope: RT_SCOPE_NOWHERE,
    nhFlags: cfg.onlink ? RTNH_F_ONLINK : 0,
    dead: false,
    mtu: cfg.mtu,
  };
  if (props[1]) {
    if (cfg.gw || cfg.dev) return { errno: 22, msg: 'Gateway, device and multipath can not be specified for this route type' };
    return fa;
  }
  if (![RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_ANYCAST, RTN_MULTICAST].includes(cfg.type)) return { errno: 22, msg: 'Invalid route type' };
  if (cfg.scope > RT_SCOPE_HOST) return { errno: 22, msg: 'Invalid scope' };
  if (cfg.scope === RT_SCOPE_HOST) {
    if (cfg.gw) return { errno: 22, msg: 'Route with host scope can not have a gateway' };
    if (!cfg.dev) return { errno: 19, msg: null };
    fa.dev = cfg.dev;
    fa.nhScope = RT_SCOPE_NOWHERE;
  } else {
    const e = checkNh(net, cfg, fa);
    if (e) return e;
  }
  if (cfg.prefsrc && !validPrefsrc(net, cfg)) return { errno: 22, msg: 'Invalid prefsrc address' };
  return fa;
}

type Op = 'add' | 'change' | 'replace' | 'prepend' | 'append' | 'test' | 'del';

/** iproute_modify() */
function routeModify(ip: Ip, argv: readonly string[], op: Op): number {
  const del = op === 'del';
  let family = ip.opts.family;
  const cfg: FibConfig = {
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
    dev: null,
    onlink: false,
    mtu: 0,
    mtuLock: false,
    hasMtu: false,
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
    } else if (a === 'onlink') {
      cfg.onlink = true;
    } else if (matches(a, 'protocol')) {
      const v = args.next();
      const p = protoId(v);
      if (p === null) ip.invarg('"protocol" value is invalid\n', v);
      cfg.protocol = p;
    } else if (matches(a, 'table')) {
      const v = args.next();
      const t = tableId(v);
      if (t === null) ip.invarg('"table" value is invalid\n', v);
      cfg.table = t;
      tableOk = true;
    } else if (a === 'dev' || a === 'oif') {
      d = args.next();
    } else if (
      ['hoplimit', 'advmss', 'rtt', 'rto_min', 'rttvar', 'nexthop', 'nhid', 'encap', 'pref', 'expires', 'as', 'ttl-propagate'].includes(a) ||
      ['reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd', 'features', 'quickack', 'congctl', 'ssthresh', 'realms', 'fastopen_no_cookie', 'vrf'].some((k) => matches(a, k))
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
      cfg.plen = p.bitlen;
      dstOk = true;
    }
  }
  if (!dstOk) usage(ip);
  if (d !== null) {
    const dev = devByName(ip.net, d);
    if (!dev) {
      ip.err(`Cannot find device "${d}"\n`);
      return 1;
    }
    cfg.dev = dev;
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
  if (v6 || family === AF_INET6) return unsupported(ip, 'IPv6 routes');
  // fib_valid_key_len()
  if (cfg.plen < 32 && (cfg.dst & ~inetMakeMask(cfg.plen)) >>> 0 !== 0) return ip.rtnlError(22, 'Invalid prefix for given prefix length');
  if (del) return fibTableDelete(ip, cfg);
  return fibTableInsert(ip, cfg, op);
}

function unsupported(ip: Ip, what: string): number {
  ip.err(`skbpath: ip route: ${what} are not simulated\n`);
  return 2;
}

/** fib_table_insert() */
function fibTableInsert(ip: Ip, cfg: FibConfig, op: Op): number {
  const net = ip.net;
  const created = createInfo(net, cfg);
  if ('errno' in created) return ip.rtnlError(created.errno, created.msg);
  const fa = created;
  if (cfg.mtuLock) mtuLocked.add(fa);
  const excl = op === 'add' || op === 'test';
  const replace = op === 'change' || op === 'replace';
  const create = op !== 'change' && op !== 'test';
  const same = sameKey(net, cfg.table, cfg.dst, cfg.plen, cfg.tos).filter((o) => o.priority === fa.priority);
  const first = same[0];
  if (first) {
    if (excl) return ip.rtnlError(17, null);
    const match = same.find((o) => o.type === fa.type && sameInfo(o, fa));
    if (replace) {
      if (match === first) return 0;
      if (match) return ip.rtnlError(17, null);
      removeAlias(net, first);
      insertAlias(net, fa, false);
      return 0;
    }
    if (match) return ip.rtnlError(17, null);
  }
  if (!create) return ip.rtnlError(2, null);
  insertAlias(net, fa, op === 'append');
  return 0;
}

/** Two routes share a fib_info: same nexthop, source, protocol, scope and metrics. */
function sameInfo(a: FibAlias, b: FibAlias): boolean {
  return a.gw === b.gw && a.dev === b.dev && a.prefsrc === b.prefsrc && a.protocol === b.protocol && a.scope === b.scope && a.mtu === b.mtu && a.nhFlags === b.nhFlags;
}

/** fib_table_delete() */
function fibTableDelete(ip: Ip, cfg: FibConfig): number {
  for (const fa of sameKey(ip.net, cfg.table, cfg.dst, cfg.plen, cfg.tos)) {
    if (cfg.type && fa.type !== cfg.type) continue;
    if (cfg.scope !== RT_SCOPE_NOWHERE && fa.scope !== cfg.scope) continue;
    if (cfg.prefsrc && fa.prefsrc !== cfg.prefsrc) continue;
    if (cfg.protocol && fa.protocol !== cfg.protocol) continue;
    // fib_nh_match()
    if (cfg.priority && cfg.priority !== fa.priority) continue;
    if (cfg.dev && cfg.dev !== fa.dev) continue;
    if (cfg.gw && cfg.gw !== fa.gw) continue;
    if (cfg.hasMtu && cfg.mtu !== fa.mtu) continue;
    removeAlias(ip.net, fa);
    return 0;
  }
  return ip.rtnlError(3, null);
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
      if (dst.family === AF_INET && dst.bitlen !== 32) ip.err(`Warning: /${dst.bitlen} as prefix is invalid, only /32 (or none) is supported.\n`);
    }
  }
  if (!dst) {
    ip.err('need at least a destination address\n');
    return 1;
  }
  let oif: NetDevice | null = null;
  if (odev !== null) {
    oif = devByName(ip.net, odev);
    if (!oif) {
      ip.err(`Cannot find device "${odev}"\n`);
      return 1;
    }
  }
  if (family === AF_INET6) return unsupported(ip, 'IPv6 route lookups');
  const net = ip.net;
  // inet_rtm_getroute_build_skb(): a dummy UDP packet the lookup may look at
  const skb = alloc_skb(net.kernel, 64);
  skb.protocol = 0x0800;
  const daddr = dst.bytelen ? dst.addr : 0;
  const saddr = src && src.bytelen ? src.addr : 0;
  const fl4 = flowi4({
    daddr,
    saddr,
    tos,
    oif: oif?.ifindex ?? 0,
    mark,
    uid: uid ?? 0,
    proto: proto || 17,
    sport,
    dport,
  });
  if (idev !== null) {
    // an input route, as if the packet had arrived on idev (ip_route_input_rcu)
    const dev = devByName(net, idev);
    if (!dev) {
      ip.err(`Cannot find device "${idev}"\n`);
      return 1;
    }
    skb.dev = dev;
    skb.mark = mark;
    const reason = ip_route_input_noref(net, skb, daddr, saddr, tos & 0xfc, dev);
    const irt = skb.dst;
    let err = reason ? -22 : 0;
    if (!err && irt && irt.error) err = -irt.error;
    if (err || !irt) {
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'inet_rtm_getroute');
      return ip.rtnlError(-err || 22, null);
    }
    ip.out(inputGetLine(ip, irt, daddr, saddr, tos, dev));
    return 0;
  }
  if (fibmatch) {
    const res = newResult();
    const err = net.fib.fib_lookup(fl4, res);
    if (err || !res.fa) {
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'inet_rtm_getroute');
      return ip.rtnlError(-(err || -101), null);
    }
    const f = newFilter();
    ip.out(routeLine(ip, f, res.fa));
    return 0;
  }
  const rt = ip_route_output_key(net, fl4);
  if (typeof rt === 'number') {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'inet_rtm_getroute');
    return ip.rtnlError(-rt, null);
  }
  ip.out(getLine(ip, rt, daddr, saddr, fl4.saddr, tos, src !== null && src.bytelen > 0, oif !== null, notify, uid ?? 0));
  return 0;
}

/** rt_fill_info() for an input route: no prefsrc and no uid, the iif in the cache line. */
function inputGetLine(ip: Ip, rt: Rtable, daddr: number, saddr: number, tos: number, iif: NetDevice): string {
  let s = '';
  if (rt.type !== RTN_UNICAST || ip.opts.details > 0) s += `${rtnTypeName(rt.type)} `;
  s += `${ipv4(daddr)} from ${ipv4(saddr)} `;
  if (tos) s += `tos 0x${tos.toString(16).padStart(2, '0')} `;
  if (rt.gw4) s += `via ${ipv4(rt.gw4)} `;
  s += `dev ${devName(rt.dev)} `;
  s += rtFlags((rt.flags & ~0xffff) >>> 0);
  s += `${ip.SL}    cache `;
  let cf = (rt.flags & ~0xffff) >>> 0;
  if (cf) {
    s += '<';
    for (const [bit, name] of RTCF_FLAGS) {
      if (!(cf & bit)) continue;
      cf = (cf & ~bit) >>> 0;
      s += cf ? `${name},` : `${name}> `;
    }
  }
  s += `iif ${devName(iif)} `;
  return `${s}\n`;
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

/** rt_fill_info() as print_route() shows it. */
function getLine(ip: Ip, rt: Rtable, daddr: number, saddr: number, prefsrc: number, tos: number, hasSrc: boolean, hasOif: boolean, notify: boolean, uid: number): string {
  const net = ip.net;
  let rtFlagsV = rt.flags >>> 0;
  if (rt.dev.flags & IFF_LOOPBACK) rtFlagsV = (rtFlagsV | 0x80000000) >>> 0;
  if (notify) rtFlagsV = (rtFlagsV | 0x00010000) >>> 0;
  const d = ip.opts.details;
  let s = '';
  if (rt.type !== RTN_UNICAST || d > 0) s += `${rtnTypeName(rt.type)} `;
  s += `${ipv4(daddr)} `;
  if (hasSrc) s += `from ${ipv4(saddr)} `;
  if (tos) s += `tos 0x${tos.toString(16).padStart(2, '0')} `;
  if (rt.gw4) s += `via ${ipv4(rt.gw4)} `;
  s += `dev ${devName(rt.dev)} `;
  // RTM_F_LOOKUP_TABLE: the table the FIB answered from (merged main), none when no lookup was made
  const looked = daddr !== 0 && !(hasOif && (ipv4_is_lbcast(daddr) || ipv4_is_multicast(daddr)));
  if (looked && d > 0) s += `table ${tableName(RT_TABLE_MAIN, ip.opts.numeric)} `;
  if (prefsrc !== saddr) s += `src ${ipv4(prefsrc)} `;
  s += rtFlags((rtFlagsV & ~0xffff) >>> 0);
  s += `uid ${uid} `;
  s += `${ip.SL}    cache `;
  let cf = (rtFlagsV & ~0xffff) >>> 0;
  if (cf) {
    s += '<';
    for (const [bit, name] of RTCF_FLAGS) {
      if (!(cf & bit)) continue;
      cf = (cf & ~bit) >>> 0;
      s += cf ? `${name},` : `${name}> `;
    }
    if (cf) s += `${cf.toString(16)}>`;
  }
  let expires = 0;
  if (rt.pmtuExpires > net.kernel.now) {
    const j = jiffiesAt(net, rt.pmtuExpires) - jiffiesAt(net, net.kernel.now);
    expires = j > 0 ? j : 0;
  }
  if (expires) s += `expires ${Math.floor(jiffiesToClock(net, expires) / 100)}sec `;
  if (rt.error) s += `error ${rt.error} `;
  const mtu = rt.pmtu && expires ? rt.pmtu : rt.mtuMetric;
  if (mtu) s += `mtu ${mtu === rt.mtuMetric && routeMtuLocked(net, daddr) ? 'lock ' : ''}${mtu} `;
  return `${s}\n`;
}

/** Whether the route a lookup of `daddr` used has its mtu locked (longest match, without a traced lookup). */
function routeMtuLocked(net: Net, daddr: number): boolean {
  let best: FibAlias | null = null;
  for (const fa of net.fib.aliases) {
    if (fa.dead || ((daddr & inetMakeMask(fa.plen)) >>> 0) !== fa.dst) continue;
    if (!best || fa.plen > best.plen) best = fa;
  }
  return best !== null && mtuLocked.has(best);
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

