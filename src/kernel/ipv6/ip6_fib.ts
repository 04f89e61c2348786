// net/ipv6/ip6_fib.c: the fib6 tables of a namespace. Linux keeps each table
// as a radix tree of fib6_nodes, each node holding the routes of one prefix
// (its leaf list, ordered by metric). Here a table is a map from prefix to node
// with the prefix lengths in use, which answers the same questions: the node of
// the longest matching prefix and, when its routes do not fit, the next shorter
// one (fib6_backtrack); the walk visits nodes in the tree's post-order (left,
// right, then the node: addresses ascending, a prefix after the longer
// prefixes it covers), so dumps and /proc/net/ipv6_route list routes as Linux
// does.
import { FibRules } from '../core/fib_rules.ts';
import type { Net } from '../net_namespace.ts';
import { EEXIST, ENOENT, ESRCH } from '../uapi/errno.ts';
import { type Fib6Info, RTF_ADDRCONF, RTF_EXPIRES } from './route_types.ts';

export const RT6_TABLE_MAIN = 254;
export const RT6_TABLE_LOCAL = 255;

// nlmsg_flags (include/uapi/linux/netlink.h)
const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;

/** struct fib6_node: one prefix of a table and its routes, by metric. */
export class Fib6Node {
  /** fn->leaf and its fib6_next chain */
  readonly leaf: Fib6Info[] = [];
  /** fn_sernum */
  fn_sernum = 0;
  constructor(
    readonly addr: Uint8Array,
    readonly plen: number,
  ) {}
}

/** struct fib6_table */
export class Fib6Table {
  readonly nodes = new Map<string, Fib6Node>();
  /** The prefix lengths that have a node, longest first. */
  plens: number[] = [];
  /** tb6_gc_hlist: routes with RTF_EXPIRES */
  constructor(readonly tb6_id: number) {}
}

/** The fib6 state of a namespace (net->ipv6.fib6_main_tbl, fib6_local_tbl, fib_table_hash). */
export class Fib6Net {
  readonly tables = new Map<number, Fib6Table>();
  /** fib6_sernum: bumped on every change (cached routes recheck). */
  sernum = 1;
  /** fib6_has_custom_rules */
  fib6_has_custom_rules = false;
  /** net->ipv6.fib6_rules_ops: the rules (0 local, 32766 main by default) */
  readonly rules = new FibRules(10);
  /** net->ipv6.ip6_prohibit_entry / ip6_blk_hole_entry (route.ts makes them) */
  ip6_prohibit_entry: import('./route_types.ts').Rt6Info | null = null;
  ip6_blk_hole_entry: import('./route_types.ts').Rt6Info | null = null;

  constructor(readonly net: Net) {
    // fib6_tables_init(): main and local exist from the start
    this.tables.set(RT6_TABLE_MAIN, new Fib6Table(RT6_TABLE_MAIN));
    this.tables.set(RT6_TABLE_LOCAL, new Fib6Table(RT6_TABLE_LOCAL));
  }

  /** The tables in fib_table_hash order (id & 255 buckets). */
  ordered(): Fib6Table[] {
    return [...this.tables.values()].sort((a, b) => (a.tb6_id & 255) - (b.tb6_id & 255) || a.tb6_id - b.tb6_id);
  }
}

/** fib6_net_init(): net.ipv6.fib6, made on first use. */
export function fib6_net(net: Net): Fib6Net {
  let f = net.ipv6.fib6 as Fib6Net | undefined;
  if (!f) net.ipv6.fib6 = f = new Fib6Net(net);
  return f;
}

/** fib6_new_table(): the table of id, made when missing (id 0 is main). */
export function fib6_new_table(net: Net, id: number): Fib6Table {
  const f = fib6_net(net);
  const tid = id || RT6_TABLE_MAIN;
  let t = f.tables.get(tid);
  if (!t) f.tables.set(tid, (t = new Fib6Table(tid)));
  return t;
}

/** fib6_get_table() */
export function fib6_get_table(net: Net, id: number): Fib6Table | null {
  return fib6_net(net).tables.get(id || RT6_TABLE_MAIN) ?? null;
}

/** ipv6_addr_prefix(): addr with the bits past plen cleared (a copy). */
export function in6_prefix(addr: Uint8Array, plen: number): Uint8Array {
  const out = new Uint8Array(16);
  const whole = plen >> 3;
  for (let i = 0; i < whole && i < 16; i++) out[i] = addr[i] ?? 0;
  if (plen & 7 && whole < 16) out[whole] = (addr[whole] ?? 0) & ((0xff << (8 - (plen & 7))) & 0xff);
  return out;
}

function nodeKey(addr: Uint8Array, plen: number): string {
  let s = `${plen}/`;
  for (let i = 0; i < 16; i++) s += String.fromCharCode(addr[i] ?? 0);
  return s;
}

/** fib6_locate(): the node of exactly this prefix, if any. */
export function fib6_locate(table: Fib6Table, addr: Uint8Array, plen: number): Fib6Node | null {
  return table.nodes.get(nodeKey(in6_prefix(addr, plen), plen)) ?? null;
}

/**
 * fib6_node_lookup() and fib6_backtrack() in one: the nodes whose prefix
 * holds daddr and that carry routes, longest prefix first.
 */
export function fib6_node_lookup(table: Fib6Table, daddr: Uint8Array): Fib6Node[] {
  const out: Fib6Node[] = [];
  for (const plen of table.plens) {
    const fn = table.nodes.get(nodeKey(in6_prefix(daddr, plen), plen));
    if (fn && fn.leaf.length) out.push(fn);
  }
  return out;
}

/** rt6_qualify_for_ecmp() */
function rt6_qualify_for_ecmp(f6i: Fib6Info): boolean {
  return (f6i.fib6_flags & RTF_ADDRCONF) === 0 && f6i.fib6_nh.fib_nh_gw_family !== 0;
}

/** rt6_duplicate_nexthop() */
export function rt6_duplicate_nexthop(a: Fib6Info, b: Fib6Info): boolean {
  const x = a.fib6_nh;
  const y = b.fib6_nh;
  if (x.fib_nh_dev !== y.fib_nh_dev) return false;
  for (let i = 0; i < 16; i++) if (x.fib_nh_gw6[i] !== y.fib_nh_gw6[i]) return false;
  return true;
}

/**
 * fib6_add() → fib6_add_rt2node(): inserts rt into its table. nlflags is the
 * request's nlmsg_flags, null for the kernel's own routes (addrconf), which
 * create. Returns 0 or -EEXIST / -ENOENT.
 */
export function fib6_add(net: Net, rt: Fib6Info, nlflags: number | null): number {
  const table = fib6_new_table(net, rt.fib6_table);
  const addr = in6_prefix(rt.fib6_dst.addr, rt.fib6_dst.plen);
  const key = nodeKey(addr, rt.fib6_dst.plen);
  let fn = table.nodes.get(key);
  const replace = nlflags !== null && (nlflags & NLM_F_REPLACE) !== 0;
  const add = nlflags === null || (nlflags & NLM_F_CREATE) !== 0;
  const leaf = fn ? fn.leaf : [];
  let ins = leaf.length;
  let found = -1;
  let fallback = -1;
  const canEcmp = rt6_qualify_for_ecmp(rt);
  for (let i = 0; i < leaf.length; i++) {
    const iter = leaf[i] as Fib6Info;
    if (iter.fib6_metric === rt.fib6_metric) {
      if (nlflags !== null && nlflags & NLM_F_EXCL) return -EEXIST;
      if (replace) {
        if (canEcmp === rt6_qualify_for_ecmp(iter)) {
          found = i;
          break;
        }
        if (fallback < 0) fallback = i;
        continue;
      }
      if (rt6_duplicate_nexthop(iter, rt)) {
        if (!(iter.fib6_flags & RTF_EXPIRES)) return -EEXIST;
        if (!(rt.fib6_flags & RTF_EXPIRES)) {
          iter.fib6_flags &= ~RTF_EXPIRES;
          iter.expires = 0;
        } else iter.expires = rt.expires;
        return -EEXIST;
      }
    }
    if (iter.fib6_metric > rt.fib6_metric) {
      ins = i;
      break;
    }
  }
  if (fallback >= 0 && found < 0) found = fallback;
  if (replace && found < 0 && !add) return -ENOENT;
  if (!fn) {
    fn = new Fib6Node(addr, rt.fib6_dst.plen);
    table.nodes.set(key, fn);
    if (!table.plens.includes(fn.plen)) table.plens = [...table.plens, fn.plen].sort((a, b) => b - a);
  }
  const f = fib6_net(net);
  if (replace && found >= 0) {
    const old = fn.leaf[found] as Fib6Info;
    fn.leaf[found] = rt;
    old.fib6_destroying = true;
    f.sernum++;
    fn.fn_sernum = f.sernum;
    return 0;
  }
  fn.leaf.splice(ins, 0, rt);
  f.sernum++;
  fn.fn_sernum = f.sernum;
  return 0;
}

/** fib6_del(): takes rt out of its node. 0 or -ENOENT. */
export function fib6_del(net: Net, rt: Fib6Info): number {
  const table = fib6_get_table(net, rt.fib6_table);
  if (!table) return -ENOENT;
  const key = nodeKey(in6_prefix(rt.fib6_dst.addr, rt.fib6_dst.plen), rt.fib6_dst.plen);
  const fn = table.nodes.get(key);
  const i = fn ? fn.leaf.indexOf(rt) : -1;
  if (!fn || i < 0) return -ENOENT;
  fn.leaf.splice(i, 1);
  rt.fib6_destroying = true;
  if (fn.leaf.length === 0) {
    table.nodes.delete(key);
    if (![...table.nodes.values()].some((n) => n.plen === fn.plen)) table.plens = table.plens.filter((p) => p !== fn.plen);
  }
  const f = fib6_net(net);
  f.sernum++;
  return 0;
}

/** The post-order of the radix tree: a before b when a's address is left of b's, or a lies under b. */
function postOrder(a: Fib6Node, b: Fib6Node): number {
  const n = Math.min(a.plen, b.plen);
  for (let bit = 0; bit < n; bit++) {
    const x = ((a.addr[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1;
    const y = ((b.addr[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1;
    if (x !== y) return x - y;
  }
  return b.plen - a.plen;
}

/** fib6_walk() over one table: its nodes in the tree's order. */
export function fib6_walk_nodes(table: Fib6Table): Fib6Node[] {
  return [...table.nodes.values()].sort(postOrder);
}

/** fib6_walk(): every route of a table, in dump order. */
export function fib6_walk(table: Fib6Table): Fib6Info[] {
  const out: Fib6Info[] = [];
  for (const fn of fib6_walk_nodes(table)) out.push(...fn.leaf);
  return out;
}

/**
 * fib6_clean_all(): calls fn on every route of every table; a route for which
 * fn returns -1 is deleted (fib6_clean_node's rule).
 */
export function fib6_clean_all(net: Net, fn: (rt: Fib6Info) => number): void {
  for (const t of fib6_net(net).ordered()) for (const rt of fib6_walk(t)) if (fn(rt) === -1) fib6_del(net, rt);
}

/** -ESRCH, as ip6_route_del returns it when nothing matched. */
export const FIB6_NOT_FOUND = -ESRCH;
