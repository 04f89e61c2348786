// The IPv4 FIB (net/ipv4/fib_trie.c, fib_semantics.c): the local and main
// tables. Without custom rules Linux merges local into main, so lookups walk
// one set of aliases; a lookup prints the id of the table it was asked for.
import { EACCES, EAGAIN, EHOSTUNREACH, EINVAL, ENETUNREACH } from '../uapi/errno.ts';
import type { NetDevice } from '../core/netdevice.ts';
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

export const RTN_NAMES = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat'] as const;

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

export class Fib {
  /** All aliases of both tables, most specific prefix first (the merged trie). */
  readonly aliases: FibAlias[] = [];

  constructor(private readonly net: Net) {}

  /** Inserts keeping Linux's order: longer prefix, then higher tos, then lower priority, then older first. */
  insert(fa: FibAlias, append = true): void {
    const a = this.aliases;
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
    const i = this.aliases.indexOf(fa);
    if (i >= 0) this.aliases.splice(i, 1);
    fa.dead = true;
  }

  /** Routes of one table, in `ip route show` order (by prefix address, then length). */
  table(id: number): FibAlias[] {
    return this.aliases
      .filter((f) => f.table === id)
      .sort((x, y) => x.dst - y.dst || y.plen - x.plen || y.tos - x.tos || x.priority - y.priority);
  }

  /**
   * fib_table_lookup(): longest prefix match; fires fib:fib_table_lookup.
   * Returns 0 and fills `res`, or a negative errno.
   */
  fib_table_lookup(tbId: number, fl: Flowi4, res: FibResult, fibFlags = 0): number {
    const key = fl.daddr >>> 0;
    for (const fa of this.aliases) {
      if (fa.dead) continue;
      const mask = inetMakeMask(fa.plen);
      if (((key & mask) >>> 0) !== fa.dst) continue;
      if (fa.tos && fa.tos !== fl.tos) continue;
      if (fa.scope < fl.scope) continue;
      const err = FIB_PROPS_ERROR[fa.type] ?? 0;
      if (err < 0) {
        if (err === -EAGAIN) continue;
        res.type = fa.type;
        res.fa = fa;
        res.prefix = fa.dst;
        res.prefixlen = fa.plen;
        res.table = fa.table;
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
      res.table = fa.table;
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

  /** fib_lookup() without custom rules: the merged main table. */
  fib_lookup(fl: Flowi4, res: FibResult, flags = 0): number {
    const err = this.fib_table_lookup(RT_TABLE_MAIN, fl, res, flags);
    return err === -EAGAIN ? -ENETUNREACH : err;
  }

  /** Removes every route through `dev` that is not a host-scope local route (fib_sync_down_dev + fib_flush). */
  syncDownDev(dev: NetDevice, force: boolean): void {
    for (const fa of [...this.aliases]) {
      if (fa.dev !== dev) continue;
      if (!force && fa.nhScope === RT_SCOPE_NOWHERE) continue;
      this.remove(fa);
    }
  }
}

export function newResult(): FibResult {
  return { type: RTN_UNSPEC, fa: null, prefix: 0, prefixlen: 0, table: 0 };
}
