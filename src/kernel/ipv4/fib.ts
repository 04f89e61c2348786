// The IPv4 FIB (net/ipv4/fib_trie.c, fib_semantics.c): every routing table of
// a namespace. Without custom rules Linux merges local into main, so lookups
// walk one set of aliases; the first rule added unmerges them (fib_unmerge)
// and lookups go through the rules (fib_rules_lookup).
import { EACCES, EAGAIN, EHOSTUNREACH, EINVAL, ENETUNREACH, ESRCH } from '../uapi/errno.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { FibRules, fib_rules_lookup } from '../core/fib_rules.ts';
import type { Net } from '../net_namespace.ts';
import { ipv4ToString } from './addr.ts';

export const RTN_UNSPEC = 0;
export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_ANYCAST = 4;
export const RTN_MULTICAST = 5;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;
export const RTN_NAT = 10;

export const RTN_NAMES = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
] as const;

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RTPROT_UNSPEC = 0;
export const RTPROT_REDIRECT = 1;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;

export const RTNH_F_DEAD = 1;
export const RTNH_F_PERVASIVE = 2;
export const RTNH_F_ONLINK = 4;
export const RTNH_F_LINKDOWN = 16;

export const FIB_LOOKUP_NOREF = 1;
export const FIB_LOOKUP_IGNORE_LINKSTATE = 2;

/** fib_props[type].error */
const FIB_PROPS_ERROR: readonly number[] = [0, 0, 0, 0, 0, 0, -EINVAL, -EHOSTUNREACH, -EACCES, -EAGAIN, -EINVAL];

/** One route: a fib_alias with its fib_info and single nexthop. */
export interface FibAlias {
  table: number;
  dst: number;
  plen: number;
  tos: number;
  type: number;
  scope: number;
  protocol: number;
  prefsrc: number;
  priority: number;
  gw: number;
  dev: NetDevice | null;
  /** fib_nh_scope */
  nhScope: number;
  nhFlags: number;
  /** Removed from the table (fib_dead). */
  dead: boolean;
  /** route MTU metric (0: none) */
  mtu: number;
  /** RTAX_LOCK has the mtu bit */
  mtuLock?: boolean;
}

/** struct flowi4 */
export interface Flowi4 {
  oif: number;
  iif: number;
  mark: number;
  tos: number;
  scope: number;
  proto: number;
  flags: number;
  saddr: number;
  daddr: number;
  sport: number;
  dport: number;
  uid: number;
}

export function flowi4(init: Partial<Flowi4>): Flowi4 {
  return { oif: 0, iif: 0, mark: 0, tos: 0, scope: 0, proto: 0, flags: 0, saddr: 0, daddr: 0, sport: 0, dport: 0, uid: 0, ...init };
}

export interface FibResult {
  type: number;
  fa: FibAlias | null;
  prefix: number;
  prefixlen: number;
  table: number;
}

export function inetMakeMask(plen: number): number {
  return plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
}

function isMainOrLocal(id: number): boolean {
  return id === RT_TABLE_MAIN || id === RT_TABLE_LOCAL;
}

export class Fib {
  /** All aliases of the main and local tables, most specific prefix first (the merged trie). */
  readonly aliases: FibAlias[] = [];
  /** The other tables (fib_table_hash), by id, each in the same order. */
  readonly tables = new Map<number, FibAlias[]>();
  /** net->ipv4.rules_ops: the policy routing rules. */
  readonly rules: FibRules;
  /** net->ipv4.fib_has_custom_rules: set for good by the first rule added (and local then unmerged from main). */
  hasCustomRules = false;
  /** net->ipv4.fib_has_custom_local_routes: someone added a local route through rtnetlink. */
  hasCustomLocalRoutes = false;

  constructor(readonly net: Net) {
    this.rules = new FibRules();
  }

  /** The list holding table `id`'s aliases (null: the table does not exist). */
  private list(id: number, create: boolean): FibAlias[] | null {
    if (isMainOrLocal(id)) return this.aliases;
    let l = this.tables.get(id) ?? null;
    if (!l && create) this.tables.set(id, (l = []));
    return l;
  }

  /** fib_get_table(): whether table `id` exists (main and local always do). */
  hasTable(id: number): boolean {
    return isMainOrLocal(id) || this.tables.has(id);
  }

  /** The table ids in fib_table_hash order (inet_dump_fib walks them so). */
  tableIds(): number[] {
    const ids = [RT_TABLE_MAIN, RT_TABLE_LOCAL, ...this.tables.keys()];
    return ids.sort((a, b) => (a & 255) - (b & 255) || b - a);
  }

  /** fib_empty_table(): the first id from 1 with no table. */
  emptyTableId(): number {
    for (let id = 1; ; id++) if (!this.hasTable(id)) return id;
  }

  /** Inserts keeping Linux's order: longer prefix, then higher tos, then lower priority, then older first. */
  insert(fa: FibAlias, append = true): void {
    const a = this.list(fa.table, true) as FibAlias[];
    let i = 0;
    for (; i < a.length; i++) {
      const b = a[i] as FibAlias;
      if (b.plen < fa.plen) break;
      if (b.plen > fa.plen) continue;
      if (b.dst !== fa.dst) {
        if (b.dst > fa.dst) break;
        continue;
      }
      if (b.tos < fa.tos) break;
      if (b.tos > fa.tos) continue;
      if (b.priority > fa.priority) break;
      if (b.priority === fa.priority && !append) break;
    }
    a.splice(i, 0, fa);
  }

  remove(fa: FibAlias): void {
    const a = this.list(fa.table, false);
    const i = a ? a.indexOf(fa) : -1;
    if (a && i >= 0) a.splice(i, 1);
    fa.dead = true;
  }

  /** Routes of one table, in dump order (fn_trie_dump_leaf: by key, longer prefix first, then the alias list). */
  table(id: number): FibAlias[] {
    const l = (this.list(id, false) ?? []).filter((f) => f.table === id && !f.dead);
    return l
      .map((fa, i) => ({ fa, i }))
      .sort((x, y) => x.fa.dst - y.fa.dst || y.fa.plen - x.fa.plen || x.i - y.i)
      .map((e) => e.fa);
  }

  /** Every alias of every table (for walks such as fib_sync_down_dev). */
  all(): FibAlias[] {
    const out = [...this.aliases];
    for (const l of this.tables.values()) out.push(...l);
    return out;
  }

  /** fib_unmerge(): the local table gets a trie of its own; done once, by the first custom rule. */
  unmerge(): void {
    this.hasCustomRules = true;
  }

  /**
   * fib_table_lookup(): longest prefix match; fires fib:fib_table_lookup.
   * Returns 0 and fills `res`, or a negative errno.
   */
  fib_table_lookup(tbId: number, fl: Flowi4, res: FibResult, fibFlags = 0): number {
    const key = fl.daddr >>> 0;
    // merged: main and local are one trie; unmerged: each table has only its own aliases
    const own = this.hasCustomRules || !isMainOrLocal(tbId);
    for (const fa of this.list(tbId, false) ?? []) {
      if (fa.dead) continue;
      if (own && fa.table !== tbId) continue;
      const mask = inetMakeMask(fa.plen);
      if ((key & mask) >>> 0 !== fa.dst) continue;
      if (fa.tos && fa.tos !== fl.tos) continue;
      if (fa.scope < fl.scope) continue;
      const err = FIB_PROPS_ERROR[fa.type] ?? 0;
      if (err < 0) {
        if (err === -EAGAIN) continue;
        res.type = fa.type;
        res.fa = fa;
        res.prefix = fa.dst;
        res.prefixlen = fa.plen;
        res.table = tbId;
        this.trace(tbId, fl, null, err);
        return err;
      }
      if (fa.nhFlags & RTNH_F_DEAD) continue;
      if (fa.nhFlags & RTNH_F_LINKDOWN && !(fibFlags & FIB_LOOKUP_IGNORE_LINKSTATE) && fa.dev && this.ignoreLinkdown(fa.dev)) continue;
      if (fl.oif && fa.dev && fl.oif !== fa.dev.ifindex) continue;
      res.type = fa.type;
      res.fa = fa;
      res.prefix = fa.dst;
      res.prefixlen = fa.plen;
      res.table = tbId;
      this.trace(tbId, fl, fa, 0);
      return 0;
    }
    this.trace(tbId, fl, null, -EAGAIN);
    return -EAGAIN;
  }

  /** ip_ignore_linkdown(): net.ipv4.conf.{all,DEV}.ignore_routes_with_linkdown */
  private ignoreLinkdown(dev: NetDevice): boolean {
    const s = this.net.sysctl;
    return s.devConf('all', 'ignore_routes_with_linkdown') !== 0 || s.devConf(dev.name, 'ignore_routes_with_linkdown') !== 0;
  }

  private trace(tbId: number, fl: Flowi4, fa: FibAlias | null, err: number): void {
    const t = this.net.kernel.tracer;
    if (!t.enabled) return;
    const ports = fl.proto === 6 || fl.proto === 17;
    const dev = fa?.dev ? fa.dev.name : '-';
    const gw = fa ? ipv4ToString(fa.gw) : '0.0.0.0';
    t.emit(
      'fib_table_lookup',
      `table ${tbId} oif ${fl.oif} iif ${fl.iif} proto ${fl.proto} ${ipv4ToString(fl.saddr)}/${ports ? fl.sport : 0} -> ` +
        `${ipv4ToString(fl.daddr)}/${ports ? fl.dport : 0} tos ${fl.tos} scope ${fl.scope} flags ${fl.flags.toString(16)} ==> ` +
        `dev ${dev} gw ${gw}/:: err ${err}`,
      this.net.name,
    );
  }

  /**
   * fib_lookup(): without custom rules the merged main table; with them
   * __fib_lookup(), the rules in order (-ESRCH when none decided is -ENETUNREACH).
   */
  fib_lookup(fl: Flowi4, res: FibResult, flags = 0): number {
    if (this.hasCustomRules) {
      const err = fib_rules_lookup(this, fl, res, flags);
      return err === -ESRCH ? -ENETUNREACH : err;
    }
    const err = this.fib_table_lookup(RT_TABLE_MAIN, fl, res, flags);
    return err === -EAGAIN ? -ENETUNREACH : err;
  }

  /** Removes every route through `dev` that is not a host-scope local route (fib_sync_down_dev + fib_flush). */
  syncDownDev(dev: NetDevice, force: boolean): void {
    for (const fa of this.all()) {
      if (fa.dev !== dev) continue;
      if (!force && fa.nhScope === RT_SCOPE_NOWHERE) continue;
      this.remove(fa);
    }
  }
}

export function newResult(): FibResult {
  return { type: RTN_UNSPEC, fa: null, prefix: 0, prefixlen: 0, table: 0 };
}

// --- /proc/net/route (fib_trie.c: fib_route_seq_show)

const RTF_UP = 0x0001;
const RTF_GATEWAY = 0x0002;
const RTF_HOST = 0x0004;
const RTF_REJECT = 0x0200;

/** fib_flag_trans(): unreachable and prohibit are RTF_REJECT; a gateway, a /32. */
function fib_flag_trans(fa: FibAlias): number {
  let flags = fa.type === RTN_UNREACHABLE || fa.type === RTN_PROHIBIT ? RTF_REJECT : 0;
  if (fa.gw) flags |= RTF_GATEWAY;
  if (fa.plen === 32) flags |= RTF_HOST;
  return flags | RTF_UP;
}

/** %08X of a __be32 on a little-endian machine. */
function be32x(v: number): string {
  const a = v >>> 0;
  const sw = (((a & 0xff) << 24) | (((a >>> 8) & 0xff) << 16) | (((a >>> 16) & 0xff) << 8) | (a >>> 24)) >>> 0;
  return sw.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * fib_route_seq_show(): /proc/net/route, the main table's routes in trie order
 * (broadcast and multicast left out), each record padded to 127. The MTU column
 * is an advmss metric + 40, Window and IRTT the window and rtt metrics: skbpath
 * sets none of them.
 */
export function fib_route_seq_show(net: Net): string {
  let s = `${'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'.padEnd(127)}\n`;
  for (const fa of net.fib.table(RT_TABLE_MAIN)) {
    if (fa.type === RTN_BROADCAST || fa.type === RTN_MULTICAST) continue;
    const mask = fa.plen === 0 ? 0 : (0xffffffff << (32 - fa.plen)) >>> 0;
    const flags = fib_flag_trans(fa).toString(16).toUpperCase().padStart(4, '0');
    const rec = `${fa.dev ? fa.dev.name : '*'}\t${be32x(fa.dst)}\t${be32x(fa.gw)}\t${flags}\t0\t0\t${fa.priority}\t${be32x(mask)}\t0\t0\t0`;
    s += `${rec.padEnd(127)}\n`;
  }
  return s;
}
