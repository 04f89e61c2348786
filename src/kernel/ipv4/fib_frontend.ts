// net/ipv4/fib_frontend.c: the rtnetlink side of the FIB (rtm_to_fib_config,
// inet_rtm_newroute, inet_rtm_delroute, inet_dump_fib), with what they call in
// fib_trie.c (fib_table_insert, fib_table_delete, fib_valid_key_len) and
// fib_semantics.c (fib_create_info, fib_check_nh, fib_dump_info).
import { IFF_UP, type NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { EEXIST, EINVAL, ENETDOWN, ENODEV, ENOENT, ESRCH } from '../uapi/errno.ts';
import {
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  type NlAck,
  nlAck,
  RTAX_MTU,
  type RouteMsg,
  rtmsg,
} from '../uapi/rtnetlink_route.ts';
import {
  FIB_LOOKUP_IGNORE_LINKSTATE,
  type FibAlias,
  flowi4,
  inetMakeMask,
  newResult,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_UNICAST,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  RTNH_F_ONLINK,
} from './fib.ts';
import { inet_addr_type_dev_table } from './route.ts';

/** fib_props[type]: the narrowest scope and the error of each route type (literals: fib.ts and this file import each other). */
const FIB_PROPS: readonly [number, number][] = [
  [255, 0], // unspec: RT_SCOPE_NOWHERE
  [0, 0], // unicast: RT_SCOPE_UNIVERSE
  [254, 0], // local: RT_SCOPE_HOST
  [253, 0], // broadcast: RT_SCOPE_LINK
  [253, 0], // anycast
  [0, 0], // multicast
  [0, -22], // blackhole: -EINVAL
  [0, -113], // unreachable: -EHOSTUNREACH
  [0, -13], // prohibit: -EACCES
  [0, -11], // throw: -EAGAIN
  [255, -22], // nat
  [255, -22], // xresolve
];

/** struct fib_config */
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
  oif: number;
  onlink: boolean;
  mtu: number;
  mtuLock: boolean;
  hasMtu: boolean;
  nlflags: number;
}

/** rtm_to_fib_config() */
function rtm_to_fib_config(net: Net, msg: RouteMsg, nlflags: number): FibConfig {
  const { rtm, attrs } = msg;
  const m = attrs.RTA_METRICS;
  const oif = attrs.RTA_OIF ?? 0;
  return {
    type: rtm.rtm_type,
    table: attrs.RTA_TABLE ?? rtm.rtm_table,
    dst: attrs.RTA_DST ?? 0,
    plen: rtm.rtm_dst_len,
    tos: rtm.rtm_tos,
    protocol: rtm.rtm_protocol,
    scope: rtm.rtm_scope,
    prefsrc: attrs.RTA_PREFSRC ?? 0,
    priority: attrs.RTA_PRIORITY ?? 0,
    gw: attrs.RTA_GATEWAY ?? 0,
    oif,
    dev: oif ? (net.devByIndex.get(oif) ?? null) : null,
    onlink: (rtm.rtm_flags & RTNH_F_ONLINK) !== 0,
    mtu: m?.RTAX_MTU ?? 0,
    mtuLock: ((m?.RTAX_LOCK ?? 0) & (1 << RTAX_MTU)) !== 0,
    hasMtu: m?.RTAX_MTU !== undefined,
    nlflags,
  };
}

type Fail = { errno: number; msg: string | null };

/** fib_check_nh(): fills the nexthop of `fa` or says why not. */
function fib_check_nh(net: Net, cfg: FibConfig, fa: FibAlias): Fail | null {
  if (cfg.gw) {
    if (cfg.onlink) {
      if (cfg.scope >= RT_SCOPE_LINK) return { errno: EINVAL, msg: 'Nexthop has invalid scope' };
      const dev = cfg.dev;
      if (!dev) return { errno: ENODEV, msg: 'Nexthop device required for onlink' };
      if (!(dev.flags & IFF_UP)) return { errno: ENETDOWN, msg: 'Nexthop device is not up' };
      if (inet_addr_type_dev_table(net, dev, cfg.gw) !== RTN_UNICAST) return { errno: EINVAL, msg: 'Nexthop has invalid gateway' };
      fa.dev = dev;
      fa.nhScope = RT_SCOPE_LINK;
      return null;
    }
    const fl = flowi4({ daddr: cfg.gw, scope: Math.max(cfg.scope + 1, RT_SCOPE_LINK), oif: cfg.dev?.ifindex ?? 0, iif: 1 });
    const res = newResult();
    const err = net.fib.fib_lookup(fl, res, FIB_LOOKUP_IGNORE_LINKSTATE);
    if (err) return { errno: -err, msg: 'Nexthop has invalid gateway' };
    if ((res.type !== RTN_UNICAST && res.type !== RTN_LOCAL) || !res.fa) return { errno: EINVAL, msg: 'Nexthop has invalid gateway' };
    fa.nhScope = res.fa.scope;
    fa.dev = res.fa.dev;
    if (!fa.dev) return { errno: EINVAL, msg: 'No egress device for nexthop gateway' };
    if (!(fa.dev.flags & IFF_UP)) return { errno: ENETDOWN, msg: null };
    return null;
  }
  if (cfg.onlink) return { errno: EINVAL, msg: 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set' };
  const dev = cfg.dev;
  if (!dev || !dev.ipPtr) return { errno: ENODEV, msg: null };
  if (!(dev.flags & IFF_UP)) return { errno: ENETDOWN, msg: 'Device for nexthop is not up' };
  fa.dev = dev;
  fa.nhScope = RT_SCOPE_HOST;
  return null;
}

/** fib_valid_prefsrc() */
function fib_valid_prefsrc(net: Net, cfg: FibConfig): boolean {
  if (cfg.type === RTN_LOCAL && cfg.dst && cfg.prefsrc === cfg.dst) return true;
  return inet_addr_type_dev_table(net, null, cfg.prefsrc) === RTN_LOCAL;
}

/** fib_create_info() */
function fib_create_info(net: Net, cfg: FibConfig): FibAlias | Fail {
  const props = FIB_PROPS[cfg.type];
  if (!props) return { errno: EINVAL, msg: 'Invalid route type' };
  if (props[0] > cfg.scope) return { errno: EINVAL, msg: 'Invalid scope' };
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
    mtuLock: cfg.mtuLock,
  };
  if (props[1]) {
    if (cfg.gw || cfg.dev) return { errno: EINVAL, msg: 'Gateway, device and multipath can not be specified for this route type' };
    return fa;
  }
  if (![RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_ANYCAST, RTN_MULTICAST].includes(cfg.type))
    return { errno: EINVAL, msg: 'Invalid route type' };
  if (cfg.scope > RT_SCOPE_HOST) return { errno: EINVAL, msg: 'Invalid scope' };
  if (cfg.scope === RT_SCOPE_HOST) {
    if (cfg.gw) return { errno: EINVAL, msg: 'Route with host scope can not have a gateway' };
    if (!cfg.dev) return { errno: ENODEV, msg: null };
    fa.dev = cfg.dev;
    fa.nhScope = RT_SCOPE_NOWHERE;
  } else {
    const e = fib_check_nh(net, cfg, fa);
    if (e) return e;
  }
  if (cfg.prefsrc && !fib_valid_prefsrc(net, cfg)) return { errno: EINVAL, msg: 'Invalid prefsrc address' };
  return fa;
}

/** fib_valid_key_len() */
function fib_valid_key_len(cfg: FibConfig): NlAck | null {
  if (cfg.plen > 32) return nlAck(-EINVAL, 'Invalid prefix length');
  if (cfg.plen < 32 && (cfg.dst & ~inetMakeMask(cfg.plen)) >>> 0 !== 0) return nlAck(-EINVAL, 'Invalid prefix for given prefix length');
  return null;
}

/** The aliases of one leaf with this table and tos, in list order (fib_find_alias onwards). */
function sameKey(net: Net, cfg: FibConfig): FibAlias[] {
  return net.fib.table(cfg.table).filter((fa) => fa.dst === cfg.dst && fa.plen === cfg.plen && fa.tos === cfg.tos);
}

/** Two routes share a fib_info: same nexthop, source, protocol, scope and metrics. */
function fib_info_same(a: FibAlias, b: FibAlias): boolean {
  return (
    a.gw === b.gw &&
    a.dev === b.dev &&
    a.prefsrc === b.prefsrc &&
    a.protocol === b.protocol &&
    a.scope === b.scope &&
    a.mtu === b.mtu &&
    a.nhFlags === b.nhFlags
  );
}

/** fib_table_insert() with the NLM_F_* semantics of the request. */
function fib_table_insert(net: Net, cfg: FibConfig): NlAck {
  const bad = fib_valid_key_len(cfg);
  if (bad) return bad;
  const created = fib_create_info(net, cfg);
  if ('errno' in created) return nlAck(-created.errno, created.msg);
  const fa = created;
  const f = cfg.nlflags;
  const same = sameKey(net, cfg).filter((o) => o.priority === fa.priority);
  const first = same[0];
  if (first) {
    if (f & NLM_F_EXCL) return nlAck(-EEXIST);
    const match = same.find((o) => o.type === fa.type && fib_info_same(o, fa));
    if (f & NLM_F_REPLACE) {
      if (match === first) return nlAck(0);
      if (match) return nlAck(-EEXIST);
      net.fib.remove(first);
      net.fib.insert(fa, false);
      return nlAck(0);
    }
    if (match) return nlAck(-EEXIST);
  }
  if (!(f & NLM_F_CREATE)) return nlAck(-ENOENT);
  net.fib.insert(fa, (f & NLM_F_APPEND) !== 0);
  return nlAck(0);
}

/** fib_table_delete() */
function fib_table_delete(net: Net, cfg: FibConfig): NlAck {
  const bad = fib_valid_key_len(cfg);
  if (bad) return bad;
  for (const fa of sameKey(net, cfg)) {
    if (cfg.type && fa.type !== cfg.type) continue;
    if (cfg.scope !== RT_SCOPE_NOWHERE && fa.scope !== cfg.scope) continue;
    if (cfg.prefsrc && fa.prefsrc !== cfg.prefsrc) continue;
    if (cfg.protocol && fa.protocol !== cfg.protocol) continue;
    // fib_nh_match()
    if (cfg.priority && cfg.priority !== fa.priority) continue;
    if (cfg.dev && cfg.dev !== fa.dev) continue;
    if (cfg.gw && cfg.gw !== fa.gw) continue;
    if (cfg.hasMtu && cfg.mtu !== fa.mtu) continue;
    net.fib.remove(fa);
    return nlAck(0);
  }
  return nlAck(-ESRCH);
}

/** inet_rtm_newroute(): fib_new_table() then fib_table_insert(). */
export function inet_rtm_newroute(net: Net, nlflags: number, msg: RouteMsg): NlAck {
  const cfg = rtm_to_fib_config(net, msg, nlflags);
  if (!net.fib.hasTable(cfg.table)) net.fib.tables.set(cfg.table, []);
  const ack = fib_table_insert(net, cfg);
  if (!ack.error && cfg.type === RTN_LOCAL) net.fib.hasCustomLocalRoutes = true;
  return ack;
}

/** inet_rtm_delroute() */
export function inet_rtm_delroute(net: Net, msg: RouteMsg): NlAck {
  const cfg = rtm_to_fib_config(net, msg, 0);
  if (!net.fib.hasTable(cfg.table)) return nlAck(-ESRCH, 'FIB table does not exist');
  return fib_table_delete(net, cfg);
}

/** The rtm_flags of a FIB entry: its nexthop's flags (fib_nexthop_info). */
function fib_nexthop_flags(fa: FibAlias): number {
  let f = fa.nhFlags & (RTNH_F_ONLINK | RTNH_F_DEAD);
  if (fa.dev && fa.nhScope !== RT_SCOPE_NOWHERE && !fa.dev.carrier) f |= RTNH_F_LINKDOWN;
  return f;
}

/** fib_dump_info(): one route as RTM_NEWROUTE describes it. */
export function fib_dump_info(fa: FibAlias, tbId: number = fa.table): RouteMsg {
  const msg: RouteMsg = {
    rtm: rtmsg({
      rtm_dst_len: fa.plen,
      rtm_tos: fa.tos,
      rtm_table: tbId < 256 ? tbId : 252,
      rtm_protocol: fa.protocol,
      rtm_scope: fa.scope,
      rtm_type: fa.type,
      rtm_flags: fib_nexthop_flags(fa),
    }),
    attrs: { RTA_TABLE: tbId },
  };
  const a = msg.attrs;
  if (fa.plen) a.RTA_DST = fa.dst;
  if (fa.priority) a.RTA_PRIORITY = fa.priority;
  if (fa.mtu) a.RTA_METRICS = { RTAX_MTU: fa.mtu, ...(fa.mtuLock ? { RTAX_LOCK: 1 << RTAX_MTU } : {}) };
  if (fa.prefsrc) a.RTA_PREFSRC = fa.prefsrc;
  if (fa.gw) a.RTA_GATEWAY = fa.gw;
  if (fa.dev) a.RTA_OIF = fa.dev.ifindex;
  return msg;
}

/**
 * inet_dump_fib(): every table in fib_table_hash order, each in trie order;
 * with RTA_TABLE in the (strict) request, that table only.
 */
export function inet_dump_fib(net: Net, req: RouteMsg): RouteMsg[] | NlAck {
  const only = req.attrs.RTA_TABLE ?? 0;
  if (only && !net.fib.hasTable(only)) return nlAck(-ENOENT, 'ipv4: FIB table does not exist');
  const out: RouteMsg[] = [];
  for (const id of only ? [only] : net.fib.tableIds()) for (const fa of net.fib.table(id)) out.push(fib_dump_info(fa));
  return out;
}
