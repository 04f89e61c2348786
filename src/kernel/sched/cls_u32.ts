// net/sched/cls_u32.c: the universal 32-bit classifier. A proto holds a root
// hash table (handle 800: for the first u32 of a qdisc, then 801: …); each
// table has divisor+1 buckets of key nodes (handle htid:bucket:node, the first
// node 800); a node matches when every key's (32 bits at off, from the
// network header) XOR val AND mask is zero. A node that links to another table
// descends into it (hashing hmask bits at hoff to pick the bucket, moving the
// offset with `offset`/`eat`); a terminal node returns its class and runs its
// actions.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EBUSY, EINVAL, ENOMEM } from '../uapi/errno.ts';
import {
  TC_ACT_UNSPEC,
  TC_U32_EAT,
  TC_U32_HASH,
  TC_U32_HTID,
  TC_U32_KEY,
  TC_U32_MAXDEPTH,
  TC_U32_NODE,
  TC_U32_OFFSET,
  TC_U32_ROOT,
  TC_U32_TERMINAL,
  TC_U32_VAROFFSET,
  TCA_CLS_FLAGS_IN_HW,
  TCA_CLS_FLAGS_NOT_IN_HW,
  TCA_CLS_FLAGS_SKIP_HW,
  TCA_CLS_FLAGS_SKIP_SW,
  type TcU32Options,
  type TcU32Sel,
} from '../uapi/pkt_cls.ts';
import { kprobe } from '../trace/probe.ts';
import { type Extack, type TcfExts, tcf_exts_destroy, tcf_exts_dump, tcf_exts_exec, tcf_exts_init, tcf_exts_validate } from './act_api.ts';
import {
  type TcfNodeDump,
  type TcfProto,
  type TcfProtoOps,
  type TcfResult,
  tcf_bind_filter,
  tcf_change_indev,
  tcf_match_indev,
  tcf_unbind_filter,
} from './cls_api.ts';

/** struct tc_u_hnode */
interface TcUHnode {
  handle: number;
  prio: number;
  divisor: number;
  is_root: boolean;
  refcnt: number;
  flags: number;
  /** ht[bucket]: key nodes sorted by node id */
  ht: TcUKnode[][];
  /** handle_idr: node ids in use */
  kids: Set<number>;
}

/** struct tc_u_knode */
interface TcUKnode {
  handle: number;
  sel: TcU32Sel;
  ht_up: TcUHnode;
  ht_down: TcUHnode | null;
  res: TcfResult;
  exts: TcfExts;
  ifindex: number;
  flags: number;
  fshift: number;
  /** TCA_U32_MARK */
  val: number;
  mask: number;
  success: number;
}

/** struct tc_u_common: the tables of every u32 proto of one qdisc (block). */
interface TcUCommon {
  /** hlist: newest first */
  hlist: TcUHnode[];
  /** handle_idr (table ids), allocated cyclically from 1 */
  ids: Set<number>;
  next_id: number;
  refcnt: number;
  knodes: number;
}

const MOD = 'cls_u32: ';

function id2handle(id: number): number {
  return ((id | 0x800) << 20) >>> 0;
}
function handle2id(h: number): number {
  return h & 0x80000000 ? (h >>> 20) & 0x7ff : h;
}

/** tc_u_common_ptr(): the block's u32 state (one per qdisc). */
function tc_u_common(tp: TcfProto, create: boolean): TcUCommon | null {
  const b = tp.chain.block;
  const c = b.priv.get('u32') as TcUCommon | undefined;
  if (c || !create) return c ?? null;
  const n: TcUCommon = { hlist: [], ids: new Set(), next_id: 1, refcnt: 0, knodes: 0 };
  b.priv.set('u32', n);
  return n;
}

/** gen_new_htid(): idr_alloc_cyclic(1, 0x7FF). */
function gen_new_htid(c: TcUCommon): number {
  for (let tries = 0; tries < 0x7fe; tries++) {
    const id = c.next_id;
    c.next_id = c.next_id >= 0x7fe ? 1 : c.next_id + 1;
    if (!c.ids.has(id)) {
      c.ids.add(id);
      return id2handle(id);
    }
  }
  return 0;
}

/** gen_new_kid(): the lowest free node id from 0x800, else from 1. */
function gen_new_kid(ht: TcUHnode, htid: number): number {
  for (let i = 0x800; i <= 0xfff; i++) {
    if (!ht.kids.has((htid | i) >>> 0)) return (htid | i) >>> 0;
  }
  for (let i = 1; i <= 0xfff; i++) {
    if (!ht.kids.has((htid + i) >>> 0)) return (htid + i) >>> 0;
  }
  return (htid | 0xfff) >>> 0;
}

function u32_lookup_ht(c: TcUCommon, handle: number): TcUHnode | null {
  return c.hlist.find((h) => h.handle === handle) ?? null;
}

function u32_lookup_key(ht: TcUHnode, handle: number): TcUKnode | null {
  const sel = TC_U32_HASH(handle);
  if (sel > ht.divisor) return null;
  return (ht.ht[sel] ?? []).find((n) => n.handle === handle) ?? null;
}

/** skb_header_pointer_careful(): 4 (or 2) bytes at off from skb->data, null when outside the packet. */
function hdr32(skb: SkBuff, off: number): number | null {
  if (off < 0 ? -off > skb.data : off + 4 > skb.len) return null;
  const p = skb.data + off;
  const b = skb.head;
  return (((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number)) >>> 0;
}
function hdr16(skb: SkBuff, off: number): number | null {
  if (off < 0 ? -off > skb.data : off + 2 > skb.len) return null;
  const p = skb.data + off;
  return ((skb.head[p] as number) << 8) | (skb.head[p + 1] as number);
}

/** u32_classify() */
function u32_classify(skb: SkBuff, tp: TcfProto, res: TcfResult): number {
  kprobe((skb.dev as { net: Net }).net, skb, 'u32_classify');
  const st = { off2: 0 };
  const r = u32_walk_ht(skb, tp.root as TcUHnode, 0, skb.networkHeader - skb.data, 0, st, res);
  return r === null || r === U32_OUT ? TC_ACT_UNSPEC : r;
}

/** A walk gave up (a key outside the packet, too deep): classification ends with no match. */
const U32_OUT = -2;

/**
 * One bucket of a table, node by node (next_knode); a linked table is walked
 * below (PUSH) and on return (POP) the linking node is checked as a terminal.
 * A verdict ≥ 0, U32_OUT, or null when nothing in this bucket matched.
 */
function u32_walk_ht(
  skb: SkBuff,
  ht: TcUHnode,
  sel: number,
  off: number,
  depth: number,
  st: { off2: number },
  res: TcfResult,
): number | null {
  for (const n of ht.ht[sel] ?? []) {
    if (n.flags & TCA_CLS_FLAGS_SKIP_SW) continue;
    if ((skb.mark & n.mask) >>> 0 !== n.val >>> 0) continue;
    n.success++;
    let miss = false;
    for (let i = 0; i < n.sel.nkeys; i++) {
      const key = n.sel.keys[i] as TcU32Sel['keys'][number];
      const data = hdr32(skb, off + key.off + (st.off2 & key.offmask));
      if (data === null) return U32_OUT;
      if (((data ^ key.val) & key.mask) >>> 0 !== 0) {
        miss = true;
        break;
      }
    }
    if (miss) continue;
    const down = n.ht_down;
    if (down) {
      // PUSH
      if (depth >= TC_U32_MAXDEPTH) return U32_OUT; // dead loop
      let dsel = 0;
      if (down.divisor) {
        const data = hdr32(skb, off + n.sel.hoff);
        if (data === null) return U32_OUT;
        dsel = down.divisor & (((data & n.sel.hmask) >>> 0) >>> n.fshift);
      }
      let doff = off;
      let walk = true;
      if (n.sel.flags & (TC_U32_VAROFFSET | TC_U32_OFFSET | TC_U32_EAT)) {
        if (n.sel.flags & (TC_U32_OFFSET | TC_U32_VAROFFSET)) {
          st.off2 = n.sel.off + 3;
          if (n.sel.flags & TC_U32_VAROFFSET) {
            const d = hdr16(skb, off + n.sel.offoff);
            if (d === null) return U32_OUT;
            st.off2 += (n.sel.offmask & d) >> n.sel.offshift;
          }
          st.off2 &= ~3;
        }
        if (n.sel.flags & TC_U32_EAT) {
          doff += st.off2;
          st.off2 = 0;
        }
        walk = doff < skb.len;
      }
      if (walk) {
        const r = u32_walk_ht(skb, down, dsel, doff, depth + 1, st, res);
        if (r !== null) return r;
      }
      // POP: check_terminal on the linking node
    }
    if (!(n.sel.flags & TC_U32_TERMINAL)) continue;
    res.classid = n.res.classid;
    res.class = n.res.class;
    if (!tcf_match_indev(skb, n.ifindex)) continue;
    const r = tcf_exts_exec(skb, n.exts, res);
    if (r < 0) continue;
    return r;
  }
  return null;
}

/** u32_init(): the root table (800: for the qdisc's first u32 proto). */
function u32_init(tp: TcfProto): number {
  const existing = tc_u_common(tp, false);
  const c = existing ?? (tc_u_common(tp, true) as TcUCommon);
  const handle = existing ? gen_new_htid(c) : id2handle(0);
  if (!handle) return -ENOMEM;
  const root: TcUHnode = { handle, prio: tp.prio, divisor: 0, is_root: true, refcnt: 1, flags: 0, ht: [[]], kids: new Set() };
  c.refcnt++;
  c.hlist.unshift(root);
  tp.root = root;
  return 0;
}

function u32_destroy_key(tp: TcfProto, n: TcUKnode): void {
  tcf_unbind_filter(tp, n.res);
  tcf_exts_destroy(n.exts);
  if (n.ht_down) n.ht_down.refcnt--;
}

function u32_clear_hnode(tp: TcfProto, ht: TcUHnode, c: TcUCommon): void {
  for (const b of ht.ht) {
    for (const n of b) {
      c.knodes--;
      u32_destroy_key(tp, n);
    }
    b.length = 0;
  }
  ht.kids.clear();
}

function u32_destroy_hnode(tp: TcfProto, ht: TcUHnode, c: TcUCommon): void {
  u32_clear_hnode(tp, ht, c);
  const i = c.hlist.indexOf(ht);
  if (i >= 0) c.hlist.splice(i, 1);
  if (!ht.is_root) c.ids.delete(handle2id(ht.handle));
  else if (ht.handle !== id2handle(0)) c.ids.delete(handle2id(ht.handle));
}

/** u32_destroy(): the proto's tables (its root and the ones of its prio). */
function u32_destroy(tp: TcfProto): void {
  const c = tc_u_common(tp, false);
  if (!c) return;
  const root = tp.root as TcUHnode;
  for (const ht of [...c.hlist]) if (ht.prio === tp.prio) u32_clear_hnode(tp, ht, c);
  for (const ht of [...c.hlist]) if (ht.prio === tp.prio && ht !== root) u32_destroy_hnode(tp, ht, c);
  u32_destroy_hnode(tp, root, c);
  if (--c.refcnt <= 0) tp.chain.block.priv.delete('u32');
}

/** u32_get(): a table (key 0) or a node by handle. */
function u32_get(tp: TcfProto, handle: number): unknown {
  const c = tc_u_common(tp, false);
  if (!c) return null;
  let ht: TcUHnode | null;
  if (TC_U32_HTID(handle) === TC_U32_ROOT) ht = tp.root as TcUHnode;
  else ht = u32_lookup_ht(c, TC_U32_HTID(handle));
  if (!ht) return null;
  if (TC_U32_KEY(handle) === 0) return ht;
  return u32_lookup_key(ht, handle);
}

function isKnode(x: unknown): x is TcUKnode {
  return typeof x === 'object' && x !== null && 'sel' in x;
}

function tc_flags_valid(flags: number): boolean {
  if (flags & ~(TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW | 16)) return false;
  const f = flags & (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW);
  return f !== (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW);
}

/** u32_set_parms(): actions, indev and link. */
function u32_set_parms(net: Net, tp: TcfProto, n: TcUKnode, o: TcU32Options, exts: TcfExts, extack: Extack): number {
  let err = tcf_exts_validate(net, o.TCA_U32_ACT, exts, extack, tp.chain.block);
  if (err < 0) return err;
  let ifindex = -1;
  if (o.TCA_U32_INDEV !== undefined) {
    ifindex = tcf_change_indev(net, o.TCA_U32_INDEV, extack);
    if (ifindex < 0) return -EINVAL;
  }
  if (o.TCA_U32_LINK !== undefined) {
    const handle = o.TCA_U32_LINK >>> 0;
    let down: TcUHnode | null = null;
    if (TC_U32_KEY(handle)) {
      extack.msg = `${MOD}u32 Link handle must be a hash table`;
      return -EINVAL;
    }
    if (handle) {
      down = u32_lookup_ht(tc_u_common(tp, false) as TcUCommon, handle);
      if (!down) {
        extack.msg = `${MOD}Link hash table not found`;
        return -EINVAL;
      }
      if (down.is_root) {
        extack.msg = `${MOD}Not linking to root node`;
        return -EINVAL;
      }
      down.refcnt++;
    }
    if (n.ht_down) n.ht_down.refcnt--;
    n.ht_down = down;
  }
  if (ifindex >= 0) n.ifindex = ifindex;
  err = 0;
  return err;
}

/** u32_change(): a new table (divisor), a new node, or a changed node. */
function u32_change(
  net: Net,
  tp: TcfProto,
  base: number,
  handleIn: number,
  opts: object | undefined,
  fh: { v: unknown },
  _flags: number,
  extack: Extack,
): number {
  const c = tc_u_common(tp, false) as TcUCommon;
  let handle = handleIn >>> 0;
  if (!opts) {
    if (handle) {
      extack.msg = `${MOD}Filter handle requires options`;
      return -EINVAL;
    }
    return 0;
  }
  const o = opts as TcU32Options;
  let userflags = 0;
  if (o.TCA_U32_FLAGS !== undefined) {
    userflags = o.TCA_U32_FLAGS;
    if (!tc_flags_valid(userflags)) {
      extack.msg = `${MOD}Invalid filter flags`;
      return -EINVAL;
    }
  }
  const old = fh.v;
  if (isKnode(old)) {
    if (TC_U32_KEY(old.handle) === 0) {
      extack.msg = `${MOD}Key node id cannot be zero`;
      return -EINVAL;
    }
    if ((old.flags ^ userflags) & (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW)) {
      extack.msg = `${MOD}Key node flags do not match passed flags`;
      return -EINVAL;
    }
    // u32_init_knode() + u32_set_parms() + u32_replace_knode(): the copy takes the old one's place
    const exts = tcf_exts_init(net);
    const copy: TcUKnode = { ...old, res: { ...old.res }, exts };
    const err = u32_set_parms(net, tp, copy, o, exts, extack);
    if (err) {
      tcf_exts_destroy(exts);
      return err;
    }
    if (o.TCA_U32_CLASSID !== undefined) {
      copy.res.classid = o.TCA_U32_CLASSID >>> 0;
      tcf_bind_filter(tp, copy.res, base);
    }
    if (!(copy.flags & TCA_CLS_FLAGS_IN_HW)) copy.flags |= TCA_CLS_FLAGS_NOT_IN_HW;
    const b = old.ht_up.ht[TC_U32_HASH(old.handle)] as TcUKnode[];
    b[b.indexOf(old)] = copy;
    tcf_exts_destroy(old.exts);
    fh.v = copy;
    return 0;
  }
  if (o.TCA_U32_DIVISOR !== undefined) {
    let divisor = o.TCA_U32_DIVISOR >>> 0;
    if (divisor === 0 || (divisor & (divisor - 1)) !== 0) {
      extack.msg = `${MOD}Divisor is not a power of 2`;
      return -EINVAL;
    }
    if (divisor-- > 0x100) {
      extack.msg = `${MOD}Exceeded maximum 256 hash buckets`;
      return -EINVAL;
    }
    if (TC_U32_KEY(handle)) {
      extack.msg = `${MOD}Divisor can only be used on a hash table`;
      return -EINVAL;
    }
    if (handle === 0) {
      handle = gen_new_htid(c);
      if (handle === 0) return -ENOMEM;
    } else {
      const id = handle2id(handle);
      if (c.ids.has(id)) return -EBUSY;
      c.ids.add(id);
    }
    const ht: TcUHnode = { handle, prio: tp.prio, divisor, is_root: false, refcnt: 1, flags: userflags, ht: [], kids: new Set() };
    for (let i = 0; i <= divisor; i++) ht.ht.push([]);
    c.hlist.unshift(ht);
    fh.v = ht;
    return 0;
  }
  let ht: TcUHnode | null;
  let htid: number;
  if (o.TCA_U32_HASH !== undefined) {
    htid = o.TCA_U32_HASH >>> 0;
    if (TC_U32_HTID(htid) === TC_U32_ROOT) {
      ht = tp.root as TcUHnode;
      htid = ht.handle;
    } else {
      ht = u32_lookup_ht(c, TC_U32_HTID(htid));
      if (!ht) {
        extack.msg = `${MOD}Specified hash table not found`;
        return -EINVAL;
      }
    }
  } else {
    ht = tp.root as TcUHnode;
    htid = ht.handle;
  }
  if (ht.divisor < TC_U32_HASH(htid)) {
    extack.msg = `${MOD}Specified hash table buckets exceed configured value`;
    return -EINVAL;
  }
  if (handle) {
    if (TC_U32_HTID(handle) && TC_U32_HTID((handle ^ htid) >>> 0)) {
      extack.msg = `${MOD}Handle specified hash table address mismatch`;
      return -EINVAL;
    }
    if (!TC_U32_NODE(handle)) handle = gen_new_kid(ht, htid);
    else {
      handle = (htid | TC_U32_NODE(handle)) >>> 0;
      if (ht.kids.has(handle)) return -EBUSY;
    }
  } else handle = gen_new_kid(ht, htid);
  const s = o.TCA_U32_SEL;
  if (!s) {
    extack.msg = `${MOD}Selector not specified`;
    return -EINVAL;
  }
  if (s.keys.length < s.nkeys) return -EINVAL;
  const n: TcUKnode = {
    handle,
    sel: { ...s, keys: s.keys.slice(0, s.nkeys).map((k) => ({ ...k })) },
    ht_up: ht,
    ht_down: null,
    res: { classid: 0, class: null, goto_tp: null },
    exts: tcf_exts_init(net),
    ifindex: 0,
    flags: userflags,
    fshift: s.hmask ? 31 - Math.clz32(s.hmask & -s.hmask) : 0,
    val: o.TCA_U32_MARK?.val ?? 0,
    mask: o.TCA_U32_MARK?.mask ?? 0,
    success: 0,
  };
  const err = u32_set_parms(net, tp, n, o, n.exts, extack);
  if (o.TCA_U32_CLASSID !== undefined) {
    n.res.classid = o.TCA_U32_CLASSID >>> 0;
    tcf_bind_filter(tp, n.res, base);
  }
  if (err) {
    tcf_unbind_filter(tp, n.res);
    tcf_exts_destroy(n.exts);
    return err;
  }
  if (!(n.flags & TCA_CLS_FLAGS_IN_HW)) n.flags |= TCA_CLS_FLAGS_NOT_IN_HW;
  const b = ht.ht[TC_U32_HASH(handle)] as TcUKnode[];
  let at = 0;
  while (at < b.length && TC_U32_NODE(handle) >= TC_U32_NODE((b[at] as TcUKnode).handle)) at++;
  b.splice(at, 0, n);
  ht.kids.add(handle);
  c.knodes++;
  fh.v = n;
  return 0;
}

/** u32_delete(): a node, or a table nothing links to (never the root). */
function u32_delete(tp: TcfProto, arg: unknown, extack: Extack): { err: number; last: boolean } {
  const c = tc_u_common(tp, false) as TcUCommon;
  const root = tp.root as TcUHnode;
  if (isKnode(arg)) {
    const b = arg.ht_up.ht[TC_U32_HASH(arg.handle)] as TcUKnode[];
    const i = b.indexOf(arg);
    if (i >= 0) b.splice(i, 1);
    arg.ht_up.kids.delete(arg.handle);
    c.knodes--;
    u32_destroy_key(tp, arg);
  } else {
    const ht = arg as TcUHnode;
    if (ht === root) {
      extack.msg = `${MOD}Not allowed to delete root node`;
      return { err: -EINVAL, last: false };
    }
    if (ht.refcnt === 1) u32_destroy_hnode(tp, ht, c);
    else {
      extack.msg = `${MOD}Can not delete in-use filter`;
      return { err: -EBUSY, last: false };
    }
  }
  return { err: 0, last: c.refcnt === 1 && c.knodes === 0 };
}

/** u32_walk(): each table of this prio, then its nodes bucket by bucket. */
function u32_walk(tp: TcfProto): unknown[] {
  const c = tc_u_common(tp, false);
  if (!c) return [];
  const out: unknown[] = [];
  for (const ht of c.hlist) {
    if (ht.prio !== tp.prio) continue;
    out.push(ht);
    for (const b of ht.ht) for (const n of b) out.push(n);
  }
  return out;
}

/** u32_dump() */
function u32_dump(net: Net, _tp: TcfProto, fh: unknown): TcfNodeDump {
  if (!isKnode(fh)) {
    const ht = fh as TcUHnode;
    return { handle: ht.handle, options: { TCA_U32_DIVISOR: ht.divisor + 1 } satisfies TcU32Options };
  }
  const n = fh;
  const o: TcU32Options = { TCA_U32_SEL: { ...n.sel, keys: n.sel.keys.map((k) => ({ ...k })) } };
  o.TCA_U32_HASH = (n.handle & 0xfffff000) >>> 0;
  if (n.res.classid) o.TCA_U32_CLASSID = n.res.classid;
  if (n.ht_down) o.TCA_U32_LINK = n.ht_down.handle;
  if (n.flags) o.TCA_U32_FLAGS = n.flags;
  if (n.val || n.mask) o.TCA_U32_MARK = { val: n.val, mask: n.mask, success: n.success };
  const acts = tcf_exts_dump(n.exts);
  if (acts) o.TCA_U32_ACT = acts;
  if (n.ifindex) {
    const dev = net.devByIndex.get(n.ifindex);
    if (dev) o.TCA_U32_INDEV = dev.name;
  }
  return { handle: n.handle, options: o };
}

export const cls_u32_ops: Readonly<TcfProtoOps> = {
  kind: 'u32',
  classify: u32_classify,
  init: u32_init,
  destroy: u32_destroy,
  get: u32_get,
  change: u32_change,
  delete: u32_delete,
  walk: u32_walk,
  dump: u32_dump,
};
