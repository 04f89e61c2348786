// net/sched/sch_htb.c: the Hierarchical Token Bucket, feed tree version.
// Every class has two buckets (rate: tokens/buffer, ceil: ctokens/cbuffer),
// in ns as psched_l2t_ns counts them, and a mode: HTB_CAN_SEND (own tokens),
// HTB_MAY_BORROW (ceil allows, rate does not: it asks its ancestors) or
// HTB_CANT_SEND. Leaves (level 0) hold a qdisc (pfifo by default); inner
// classes sit at level TC_HTB_MAXDEPTH-1 down. Active leaves are linked into
// their level's row (CAN_SEND) or an ancestor's feed (MAY_BORROW), one tree
// per prio ordered by classid; dequeue walks level 0 up, prio 0 up, in DRR
// order with each leaf's quantum, and charges the leaf and its ancestors
// (htb_charge_class: lends at the level that paid, borrows below it).
// Classes waiting for tokens sit in their level's wait queue (pq_key); the
// watchdog fires at the nearest event. Unclassified packets go to the default
// class, or to the direct queue (X:0, direct_qlen) when there is none.
import {
  gen_kill_estimator,
  gen_new_estimator,
  gen_replace_estimator,
  gnet_stats_copy_rate_est,
  type NetRateEstimator,
} from '../core/gen_estimator.ts';
import type { SkBuff } from '../skbuff.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { NET_XMIT_SUCCESS } from '../core/netdevice.ts';
import { EBUSY, EINVAL, ENOBUFS, EOPNOTSUPP } from '../uapi/errno.ts';
import { TC_H_MAJ, TC_H_MAKE, TC_H_ROOT, type TcOptions } from '../uapi/pkt_sched.ts';
import {
  TC_HTB_MAXDEPTH,
  TC_HTB_NUMPRIO,
  type TcHtbGlob,
  type TcHtbOpt,
  type TcHtbOptions,
  type TcHtbXstats,
} from '../uapi/pkt_sched_tbf_htb.ts';
import type { TcaAttrs } from '../uapi/rtnetlink_tc.ts';
import {
  NSEC_PER_SEC,
  PSCHED_NS2TICKS,
  PSCHED_TICKS2NS,
  type PschedRatecfg,
  psched_l2t_ns,
  psched_ratecfg_getrate,
  psched_ratecfg_precompute,
  psched_ratecfg_zero,
} from './pkt_sched.ts';
import { pfifo_qdisc_ops } from './sch_fifo.ts';
import {
  __NET_XMIT_BYPASS,
  __NET_XMIT_STOLEN,
  __netif_schedule,
  __qdisc_drop,
  type GnetDump,
  type TcfBlock as GenericTcfBlock,
  type NetlinkExtAck,
  type Qdisc,
  type Qdisc_class_ops,
  type Qdisc_ops,
  type QdiscWalker,
  type QdiscWatchdog,
  type TcClassMsg,
  type ToFree,
  qdisc_bstats_update,
  qdisc_create_dflt,
  qdisc_dev,
  qdisc_drop,
  qdisc_hash_add,
  qdisc_pkt_len,
  qdisc_priv,
  qdisc_put,
  qdisc_qstats_drop,
  qdisc_reset,
  qdisc_root,
  qdisc_watchdog_cancel,
  qdisc_watchdog_init,
  qdisc_watchdog_schedule_ns,
} from './sch_generic.ts';
import { net_xmit_drop_count, qdisc_enqueue, qdisc_peek_dequeued, qdisc_purge_queue, qdisc_replace } from './sch_generic_inl.ts';
import { tc_qdisc_stats_dump } from './sch_api.ts';
import { type TcfBlock, tcf_block_filter_list, tcf_block_get, tcf_block_put, tcf_classify, tcf_result } from './cls_api.ts';

/** HTB_VER: major must be matched with number supplied by TC as version */
const HTB_VER = 0x30011;

/** enum htb_cmode */
export const HTB_CANT_SEND = 0;
export const HTB_MAY_BORROW = 1;
export const HTB_CAN_SEND = 2;

/** TC_ACT_* that end classification (pkt_cls.h) */
const TC_ACT_SHOT = 2;
const TC_ACT_STOLEN = 4;
const TC_ACT_QUEUED = 5;
const TC_ACT_TRAP = 8;

/**
 * struct htb_prio: a row (of a level) or a feed (of an inner class) for one
 * prio: the classes in it ordered by classid (the rb-tree), the DRR pointer,
 * and the classid it pointed at when its class left (last_ptr_id).
 */
interface HtbPrio {
  tree: HtbClass[];
  ptr: HtbClass | null;
  last_ptr_id: number;
}

function htb_prio(): HtbPrio {
  return { tree: [], ptr: null, last_ptr_id: 0 };
}

/** struct htb_class */
export interface HtbClass {
  classid: number;
  rate: PschedRatecfg;
  ceil: PschedRatecfg;
  /** token bucket depth/rate (ns) */
  buffer: number;
  cbuffer: number;
  /** max wait time */
  mbuffer: number;
  prio: number;
  quantum: number;
  block: TcfBlock | null;
  /** filters bound to this class (qdisc_class_in_use) */
  filter_cnt: number;
  level: number;
  children: number;
  parent: HtbClass | null;
  readonly bstats: { bytes: number; packets: number };
  readonly bstats_bias: { bytes: number; packets: number };
  /** cl->rate_est (TCA_RATE) */
  rate_est: NetRateEstimator | null;
  readonly xstats: { lends: number; borrows: number; giants: number };
  tokens: number;
  ctokens: number;
  t_c: number;
  /** leaf: deficit per level and its qdisc */
  readonly deficit: number[];
  /** null: noop_qdisc */
  q: Qdisc | null;
  /** inner: the feeds */
  clprio: HtbPrio[];
  pq_key: number;
  /** in its level's wait queue */
  onWait: boolean;
  prio_activity: number;
  cmode: number;
  drops: number;
  overlimits: number;
}

/** struct htb_level */
interface HtbLevel {
  /** ordered by pq_key; equal keys in arrival order */
  wait_pq: HtbClass[];
  hprio: HtbPrio[];
}

/** struct htb_sched */
interface HtbSched {
  /** qdisc_class_hash: buckets of classes, the newest first in each */
  hash: HtbClass[][];
  hashelems: number;
  defcls: number;
  rate2quantum: number;
  block: TcfBlock | null;
  warned: number;
  direct_qlen: number;
  /** non shaped skbs; let them go directly thru */
  direct_queue: SkBuff[];
  direct_pkts: number;
  overlimits: number;
  watchdog: QdiscWatchdog | null;
  /** cached dequeue time */
  now: number;
  /** time of nearest event per level (row) */
  near_ev_cache: number[];
  row_mask: number[];
  hlevel: HtbLevel[];
}

function htb_levels(): HtbLevel[] {
  return Array.from({ length: TC_HTB_MAXDEPTH }, () => ({ wait_pq: [], hprio: Array.from({ length: TC_HTB_NUMPRIO }, htb_prio) }));
}

function ktime_get_ns(sch: Qdisc): number {
  return qdisc_dev(sch).net.kernel.sim.now;
}

// --- the class hash (qdisc_class_hash_*) ---

/** qdisc_class_hash() */
function qdisc_class_hash(id: number, mask: number): number {
  id ^= id >>> 8;
  id ^= id >>> 4;
  return (id & mask) >>> 0;
}

/** htb_find() */
function htb_find(handle: number, sch: Qdisc): HtbClass | null {
  const q = qdisc_priv<HtbSched>(sch);
  const b = q.hash[qdisc_class_hash(handle >>> 0, q.hash.length - 1)] as HtbClass[];
  return b.find((c) => c.classid === handle >>> 0) ?? null;
}

/** qdisc_class_hash_insert(): at the head of its bucket. */
function qdisc_class_hash_insert(q: HtbSched, cl: HtbClass): void {
  (q.hash[qdisc_class_hash(cl.classid, q.hash.length - 1)] as HtbClass[]).unshift(cl);
  q.hashelems++;
}

function qdisc_class_hash_remove(q: HtbSched, cl: HtbClass): void {
  const b = q.hash[qdisc_class_hash(cl.classid, q.hash.length - 1)] as HtbClass[];
  const at = b.indexOf(cl);
  if (at >= 0) b.splice(at, 1);
  q.hashelems--;
}

/** qdisc_class_hash_grow(): doubled when the load passes 3/4, each old bucket rehashed in order. */
function qdisc_class_hash_grow(q: HtbSched): void {
  if (q.hashelems * 4 <= q.hash.length * 3) return;
  const nsize = q.hash.length * 2;
  const nhash: HtbClass[][] = Array.from({ length: nsize }, () => []);
  for (const b of q.hash) for (const cl of b) (nhash[qdisc_class_hash(cl.classid, nsize - 1)] as HtbClass[]).unshift(cl);
  q.hash = nhash;
}

function htb_each(q: HtbSched): HtbClass[] {
  return q.hash.flat();
}

// --- classification ---

/** HTB_DIRECT: the packet goes to the direct queue. */
const HTB_DIRECT = 'direct' as const;

/**
 * htb_classify(): skb->priority naming a class or X:0 first, then the filters
 * of the qdisc (and of inner classes they point at), then the default class;
 * the direct queue when all fail. null: dropped or stolen by an action (qerr says).
 */
function htb_classify(skb: SkBuff, sch: Qdisc, qerr: { v: number }): HtbClass | typeof HTB_DIRECT | null {
  const q = qdisc_priv<HtbSched>(sch);
  if (skb.priority >>> 0 === sch.handle) return HTB_DIRECT;
  let cl = htb_find(skb.priority >>> 0, sch);
  let block: TcfBlock | null;
  if (cl) {
    if (cl.level === 0) return cl;
    block = cl.block;
  } else {
    block = q.block;
  }
  qerr.v = NET_XMIT_SUCCESS | __NET_XMIT_BYPASS;
  for (;;) {
    const tcf = tcf_block_filter_list(block);
    if (!tcf) break;
    const res = tcf_result();
    const result = tcf_classify(skb, block, tcf, res, false);
    if (result < 0) break;
    switch (result) {
      case TC_ACT_QUEUED:
      case TC_ACT_STOLEN:
      case TC_ACT_TRAP:
        qerr.v = NET_XMIT_SUCCESS | __NET_XMIT_STOLEN;
        return null;
      case TC_ACT_SHOT:
        return null;
    }
    cl = (res.class as HtbClass | null) ?? null;
    if (!cl) {
      if (res.classid >>> 0 === sch.handle) return HTB_DIRECT;
      cl = htb_find(res.classid, sch);
      // filter selected invalid classid
      if (!cl) break;
    }
    if (!cl.level) return cl;
    // we have got inner class; apply inner filter chain
    block = cl.block;
  }
  // classification failed; try to use default class
  cl = htb_find(TC_H_MAKE(TC_H_MAJ(sch.handle), q.defcls), sch);
  if (!cl || cl.level) return HTB_DIRECT;
  return cl;
}

// --- the id trees (rows and feeds) ---

/** htb_add_to_id_tree() */
function htb_add_to_id_tree(p: HtbPrio, cl: HtbClass): void {
  let i = 0;
  while (i < p.tree.length && (p.tree[i] as HtbClass).classid < cl.classid) i++;
  p.tree.splice(i, 0, cl);
}

function id_tree_erase(p: HtbPrio, cl: HtbClass): void {
  const at = p.tree.indexOf(cl);
  if (at >= 0) p.tree.splice(at, 1);
}

/** rb_next() of a class in its tree */
function id_tree_next(p: HtbPrio, cl: HtbClass | null): HtbClass | null {
  if (!cl) return null;
  const at = p.tree.indexOf(cl);
  return at >= 0 ? (p.tree[at + 1] ?? null) : null;
}

/** htb_next_rb_node() */
function htb_next_rb_node(p: HtbPrio): void {
  if (p.ptr) p.ptr = id_tree_next(p, p.ptr);
}

/** htb_add_to_wait_tree(): the class changes mode in `delay` ns. */
function htb_add_to_wait_tree(q: HtbSched, cl: HtbClass, delay: number): void {
  cl.pq_key = q.now + delay;
  if (cl.pq_key === q.now) cl.pq_key++;
  // update the nearest event cache
  if ((q.near_ev_cache[cl.level] as number) > cl.pq_key) q.near_ev_cache[cl.level] = cl.pq_key;
  const pq = (q.hlevel[cl.level] as HtbLevel).wait_pq;
  let i = 0;
  while (i < pq.length && cl.pq_key >= (pq[i] as HtbClass).pq_key) i++;
  pq.splice(i, 0, cl);
  cl.onWait = true;
}

function htb_wait_erase(q: HtbSched, cl: HtbClass, level = cl.level): void {
  const pq = (q.hlevel[level] as HtbLevel).wait_pq;
  const at = pq.indexOf(cl);
  if (at >= 0) pq.splice(at, 1);
  cl.onWait = false;
}

/** The prios set in mask, lowest first (the kernel's ffz(~mask) loop); one prio needs no array. */
function ffz_bits(mask: number): readonly number[] {
  if (mask === 1) return PRIO0;
  const out: number[] = [];
  for (let prio = 0; prio < TC_HTB_NUMPRIO; prio++) if (mask & (1 << prio)) out.push(prio);
  return out;
}
const PRIO0: readonly number[] = Object.freeze([0]);

/** htb_add_class_to_row() */
function htb_add_class_to_row(q: HtbSched, cl: HtbClass, mask: number): void {
  q.row_mask[cl.level] = (q.row_mask[cl.level] as number) | mask;
  for (const prio of ffz_bits(mask)) htb_add_to_id_tree((q.hlevel[cl.level] as HtbLevel).hprio[prio] as HtbPrio, cl);
}

/** htb_remove_class_from_row() */
function htb_remove_class_from_row(q: HtbSched, cl: HtbClass, mask: number): void {
  let m = 0;
  const hlevel = q.hlevel[cl.level] as HtbLevel;
  for (const prio of ffz_bits(mask)) {
    const hprio = hlevel.hprio[prio] as HtbPrio;
    if (hprio.ptr === cl) htb_next_rb_node(hprio);
    id_tree_erase(hprio, cl);
    if (!hprio.tree.length) m |= 1 << prio;
  }
  q.row_mask[cl.level] = (q.row_mask[cl.level] as number) & ~m;
}

/** htb_activate_prios(): the class joins its parent's feeds (borrowing) or its row (can send). */
function htb_activate_prios(q: HtbSched, cl: HtbClass): void {
  let p = cl.parent;
  let mask = cl.prio_activity;
  while (cl.cmode === HTB_MAY_BORROW && p && mask) {
    for (const prio of ffz_bits(mask)) {
      const feed = p.clprio[prio] as HtbPrio;
      // parent already has its feed in use so that reset bit in mask as parent is already ok
      if (feed.tree.length) mask &= ~(1 << prio);
      htb_add_to_id_tree(feed, cl);
    }
    p.prio_activity |= mask;
    cl = p;
    p = cl.parent;
  }
  if (cl.cmode === HTB_CAN_SEND && mask) htb_add_class_to_row(q, cl, mask);
}

/** htb_deactivate_prios(): the class leaves its feeds and rows. */
function htb_deactivate_prios(q: HtbSched, cl: HtbClass): void {
  let p = cl.parent;
  let mask = cl.prio_activity;
  while (cl.cmode === HTB_MAY_BORROW && p && mask) {
    const m = mask;
    mask = 0;
    for (const prio of ffz_bits(m)) {
      const feed = p.clprio[prio] as HtbPrio;
      if (feed.ptr === cl) {
        // we are removing child which is pointed to from parent feed - forget the pointer but remember classid
        feed.last_ptr_id = cl.classid;
        feed.ptr = null;
      }
      id_tree_erase(feed, cl);
      if (!feed.tree.length) mask |= 1 << prio;
    }
    p.prio_activity &= ~mask;
    cl = p;
    p = cl.parent;
  }
  if (cl.cmode === HTB_CAN_SEND && mask) htb_remove_class_from_row(q, cl, mask);
}

/**
 * htb_class_mode(): cl's mode at t_c + diff (htb_hysteresis is 0: the
 * watermarks are 0); when not CAN_SEND, diff becomes the wait until it changes.
 */
function htb_class_mode(cl: HtbClass, diff: { v: number }): number {
  let toks = cl.ctokens + diff.v;
  if (toks < 0) {
    diff.v = -toks;
    return HTB_CANT_SEND;
  }
  toks = cl.tokens + diff.v;
  if (toks >= 0) return HTB_CAN_SEND;
  diff.v = -toks;
  return HTB_MAY_BORROW;
}

/** htb_change_class_mode(): the one way a class changes mode (feeds and rows follow). */
function htb_change_class_mode(q: HtbSched, cl: HtbClass, diff: { v: number }): void {
  const new_mode = htb_class_mode(cl, diff);
  if (new_mode === cl.cmode) return;
  if (new_mode === HTB_CANT_SEND) {
    cl.overlimits++;
    q.overlimits++;
  }
  if (cl.prio_activity) {
    if (cl.cmode !== HTB_CANT_SEND) htb_deactivate_prios(q, cl);
    cl.cmode = new_mode;
    if (new_mode !== HTB_CANT_SEND) htb_activate_prios(q, cl);
  } else cl.cmode = new_mode;
}

/** htb_activate(): a leaf with packets joins the feeds of its prio. */
function htb_activate(q: HtbSched, cl: HtbClass): void {
  if (!cl.prio_activity) {
    cl.prio_activity = 1 << cl.prio;
    htb_activate_prios(q, cl);
  }
}

/** htb_deactivate() */
function htb_deactivate(q: HtbSched, cl: HtbClass): void {
  if (!cl.prio_activity) return;
  htb_deactivate_prios(q, cl);
  cl.prio_activity = 0;
}

/** htb_enqueue(): into the direct queue, the class's leaf qdisc, or dropped. */
function htb_enqueue(skb: SkBuff, sch: Qdisc, to_free: ToFree): number {
  const q = qdisc_priv<HtbSched>(sch);
  const len = qdisc_pkt_len(skb);
  const qerr = { v: NET_XMIT_SUCCESS };
  const cl = htb_classify(skb, sch, qerr);
  if (cl === HTB_DIRECT) {
    // enqueue to helper queue
    if (q.direct_queue.length < q.direct_qlen) {
      q.direct_queue.push(skb);
      q.direct_pkts++;
    } else {
      return qdisc_drop(skb, sch, to_free, () => `htb direct queue full (direct_qlen ${q.direct_qlen})`);
    }
  } else if (!cl) {
    if (qerr.v & __NET_XMIT_BYPASS) qdisc_qstats_drop(sch);
    __qdisc_drop(skb, to_free);
    return qerr.v;
  } else {
    const ret = qdisc_enqueue(skb, cl.q, to_free);
    if (ret !== NET_XMIT_SUCCESS) {
      if (net_xmit_drop_count(ret)) {
        qdisc_qstats_drop(sch);
        cl.drops++;
      }
      return ret;
    }
    htb_activate(q, cl);
  }
  sch.qstats.backlog += len;
  sch.q.qlen++;
  return NET_XMIT_SUCCESS;
}

/** htb_accnt_tokens() */
function htb_accnt_tokens(cl: HtbClass, bytes: number, diff: number): void {
  let toks = diff + cl.tokens;
  if (toks > cl.buffer) toks = cl.buffer;
  toks -= psched_l2t_ns(cl.rate, bytes);
  if (toks <= -cl.mbuffer) toks = 1 - cl.mbuffer;
  cl.tokens = toks;
}

/** htb_accnt_ctokens() */
function htb_accnt_ctokens(cl: HtbClass, bytes: number, diff: number): void {
  let toks = diff + cl.ctokens;
  if (toks > cl.cbuffer) toks = cl.cbuffer;
  toks -= psched_l2t_ns(cl.ceil, bytes);
  if (toks <= -cl.mbuffer) toks = 1 - cl.mbuffer;
  cl.ctokens = toks;
}

/**
 * htb_charge_class(): a packet of the leaf cl, paid at `level`: every
 * ancestor's ceil is charged, rate only at `level` and above (the class at
 * `level` lends; those below borrow); modes change as the tokens say.
 */
function htb_charge_class(q: HtbSched, c: HtbClass, level: number, skb: SkBuff): void {
  const bytes = qdisc_pkt_len(skb);
  let cl: HtbClass | null = c;
  while (cl) {
    let diff = Math.min(q.now - cl.t_c, cl.mbuffer);
    if (cl.level >= level) {
      if (cl.level === level) cl.xstats.lends++;
      htb_accnt_tokens(cl, bytes, diff);
    } else {
      cl.xstats.borrows++;
      // we moved t_c; update tokens
      cl.tokens += diff;
    }
    htb_accnt_ctokens(cl, bytes, diff);
    cl.t_c = q.now;
    const old_mode = cl.cmode;
    diff = 0;
    const d = { v: diff };
    htb_change_class_mode(q, cl, d);
    if (old_mode !== cl.cmode) {
      if (old_mode !== HTB_CAN_SEND) htb_wait_erase(q, cl);
      if (cl.cmode !== HTB_CAN_SEND) htb_add_to_wait_tree(q, cl, d.v);
    }
    // update basic stats except for leaves which are already updated
    if (cl.level) {
      cl.bstats.bytes += bytes;
      cl.bstats.packets += skb.gsoSegs > 1 ? skb.gsoSegs : 1;
    }
    cl = cl.parent;
  }
}

/**
 * htb_do_events(): the mode changes due at this level; returns the time of
 * the next one (0 when the queue is empty).
 */
function htb_do_events(q: HtbSched, level: number): number {
  const wait_pq = (q.hlevel[level] as HtbLevel).wait_pq;
  // (the kernel stops after 2 jiffies; simulated time does not pass here)
  for (;;) {
    const cl = wait_pq[0];
    if (!cl) return 0;
    if (cl.pq_key > q.now) return cl.pq_key;
    htb_wait_erase(q, cl, level);
    const diff = { v: Math.min(q.now - cl.t_c, cl.mbuffer) };
    htb_change_class_mode(q, cl, diff);
    if (cl.cmode !== HTB_CAN_SEND) htb_add_to_wait_tree(q, cl, diff.v);
  }
}

/** htb_id_find_next_upper(): the class with classid >= id. */
function htb_id_find_next_upper(p: HtbPrio, id: number): HtbClass | null {
  return p.tree.find((c) => c.classid >= id) ?? null;
}

/** htb_lookup_leaf(): the leaf the DRR pointers of this row point at. */
function htb_lookup_leaf(hprio: HtbPrio, prio: number): HtbClass | null {
  if (!hprio.tree.length) return null;
  // the first turn of the loop below when the row's pointer is (or rewinds to) a leaf
  if (!hprio.ptr && !hprio.last_ptr_id) hprio.ptr = hprio.tree[0] as HtbClass;
  if (hprio.ptr && !hprio.ptr.level) {
    hprio.last_ptr_id = 0;
    return hprio.ptr;
  }
  const stk: HtbPrio[] = [hprio];
  for (let i = 0; i < 65535; i++) {
    const sp = stk[stk.length - 1] as HtbPrio;
    if (!sp.ptr && sp.last_ptr_id) {
      // ptr was invalidated but id is valid - try to recover the original or next ptr
      sp.ptr = htb_id_find_next_upper(sp, sp.last_ptr_id);
    }
    // ptr is valid now so that remove this hint as it can become out of date quickly
    sp.last_ptr_id = 0;
    if (!sp.ptr) {
      // we are at right end; rewind & go up
      sp.ptr = sp.tree[0] ?? null;
      if (stk.length > 1) {
        stk.pop();
        const up = stk[stk.length - 1] as HtbPrio;
        if (!up.ptr) return null;
        htb_next_rb_node(up);
      } else if (!sp.ptr) return null;
    } else {
      const cl = sp.ptr;
      if (!cl.level) return cl;
      stk.push(cl.clprio[prio] as HtbPrio);
    }
  }
  return null;
}

/** htb_dequeue_tree(): a packet of prio at level, from the leaf the DRR points at. */
function htb_dequeue_tree(q: HtbSched, prio: number, level: number): SkBuff | null {
  let skb: SkBuff | null = null;
  const hprio = (q.hlevel[level] as HtbLevel).hprio[prio] as HtbPrio;
  let cl = htb_lookup_leaf(hprio, prio);
  let start = cl;
  for (;;) {
    // next:
    if (!cl) return null;
    // class can be empty: simply deactivate and skip such class
    if (!cl.q || cl.q.q.qlen === 0) {
      htb_deactivate(q, cl);
      // row/level might become empty
      if (((q.row_mask[level] as number) & (1 << prio)) === 0) return null;
      const next = htb_lookup_leaf(hprio, prio);
      // fix start if we just deleted it
      if (cl === start) start = next;
      cl = next;
      continue;
    }
    skb = cl.q.dequeue(cl.q);
    if (skb) break;
    // qdisc_warn_nonwc(): the leaf is not work-conserving
    htb_next_rb_node(level ? ((cl.parent as HtbClass).clprio[prio] as HtbPrio) : ((q.hlevel[0] as HtbLevel).hprio[prio] as HtbPrio));
    cl = htb_lookup_leaf(hprio, prio);
    if (cl === start) break;
  }
  if (skb && cl) {
    const len = qdisc_pkt_len(skb);
    cl.bstats.bytes += len;
    cl.bstats.packets += skb.gsoSegs > 1 ? skb.gsoSegs : 1;
    cl.deficit[level] = (cl.deficit[level] as number) - len;
    if ((cl.deficit[level] as number) < 0) {
      cl.deficit[level] = (cl.deficit[level] as number) + cl.quantum;
      htb_next_rb_node(level ? ((cl.parent as HtbClass).clprio[prio] as HtbPrio) : ((q.hlevel[0] as HtbLevel).hprio[prio] as HtbPrio));
    }
    if (!cl.q?.q.qlen) htb_deactivate(q, cl);
    htb_charge_class(q, cl, level, skb);
  }
  return skb;
}

/** htb_dequeue(): direct packets first, then level by level, prio by prio; else the watchdog. */
function htb_dequeue(sch: Qdisc): SkBuff | null {
  const q = qdisc_priv<HtbSched>(sch);
  // try to dequeue direct packets as high prio (!) to minimize cpu work
  let skb = q.direct_queue.shift() ?? null;
  if (skb) return htb_dequeued(sch, skb);
  if (!sch.q.qlen) return null;
  q.now = ktime_get_ns(sch);
  let next_event = q.now + 5 * NSEC_PER_SEC;
  for (let level = 0; level < TC_HTB_MAXDEPTH; level++) {
    // common case optimization - skip event handler quickly
    let event = q.near_ev_cache[level] as number;
    if (q.now >= event) {
      event = htb_do_events(q, level);
      if (!event) event = q.now + NSEC_PER_SEC;
      q.near_ev_cache[level] = event;
    }
    if (next_event > event) next_event = event;
    let m = ~(q.row_mask[level] as number);
    while (m !== -1) {
      let prio = 0;
      while (m & (1 << prio)) prio++;
      m |= 1 << prio;
      skb = htb_dequeue_tree(q, prio, level);
      if (skb) return htb_dequeued(sch, skb);
    }
  }
  if (next_event > q.now) {
    if (q.watchdog) qdisc_watchdog_schedule_ns(q.watchdog, next_event);
  } else {
    // schedule_work(&q->work): htb_work_func reschedules the root
    const root = qdisc_root(sch);
    const sim = qdisc_dev(sch).net.kernel.sim;
    const t = sim.timer(() => __netif_schedule(root), null);
    sim.modTimer(t, sim.now);
  }
  return null;
}

function htb_dequeued(sch: Qdisc, skb: SkBuff): SkBuff {
  qdisc_bstats_update(sch, skb);
  sch.qstats.backlog -= qdisc_pkt_len(skb);
  sch.q.qlen--;
  return skb;
}

/** htb_reset(): every class empty and CAN_SEND, the rows and wait queues cleared. */
function htb_reset(sch: Qdisc): void {
  const q = qdisc_priv<HtbSched>(sch);
  for (const cl of htb_each(q)) {
    if (cl.level) cl.clprio = Array.from({ length: TC_HTB_NUMPRIO }, htb_prio);
    else if (cl.q) qdisc_reset(cl.q);
    cl.prio_activity = 0;
    cl.cmode = HTB_CAN_SEND;
    cl.onWait = false;
  }
  if (q.watchdog) qdisc_watchdog_cancel(q.watchdog);
  const net = qdisc_dev(sch).net;
  for (const skb of q.direct_queue.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  q.hlevel = htb_levels();
  q.row_mask = new Array(TC_HTB_MAXDEPTH).fill(0);
}

/** htb_init(): TCA_HTB_INIT (the version must match), direct_qlen, r2q, default class. */
function htb_init(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number {
  const q = qdisc_priv<HtbSched>(sch);
  q.watchdog = qdisc_watchdog_init(sch);
  if (!opt) return -EINVAL;
  q.block = tcf_block_get(qdisc_dev(sch).net, sch as never);
  const tb = opt as TcHtbOptions;
  const gopt = tb.TCA_HTB_INIT as TcHtbGlob | undefined;
  if (!gopt) return -EINVAL;
  if (gopt.version !== HTB_VER >>> 16) return -EINVAL;
  if (tb.TCA_HTB_OFFLOAD) {
    if (sch.parent !== TC_H_ROOT) {
      extack.msg = 'HTB must be the root qdisc to use offload';
      return -EOPNOTSUPP;
    }
    // no simulated device offloads tc (tc_can_offload)
    extack.msg = 'hw-tc-offload ethtool feature flag must be on';
    return -EOPNOTSUPP;
  }
  q.direct_qlen = tb.TCA_HTB_DIRECT_QLEN !== undefined ? tb.TCA_HTB_DIRECT_QLEN >>> 0 : qdisc_dev(sch).txQueueLen;
  q.rate2quantum = gopt.rate2quantum | 0;
  if (q.rate2quantum < 1) q.rate2quantum = 1;
  q.defcls = gopt.defcls >>> 0;
  return 0;
}

/** htb_dump(): TCA_HTB_INIT with the direct packet count, TCA_HTB_DIRECT_QLEN. */
function htb_dump(sch: Qdisc): TcHtbOptions {
  const q = qdisc_priv<HtbSched>(sch);
  sch.qstats.overlimits = q.overlimits;
  return {
    TCA_HTB_INIT: { direct_pkts: q.direct_pkts, version: HTB_VER, rate2quantum: q.rate2quantum, defcls: q.defcls, debug: 0 },
    TCA_HTB_DIRECT_QLEN: q.direct_qlen,
  };
}

/** htb_dump_class(): parent, handle, leaf and TCA_HTB_PARMS (buffers back in ticks). */
function htb_dump_class(_sch: Qdisc, arg: unknown, msg: TcClassMsg): number {
  const cl = arg as HtbClass;
  msg.tcm.tcm_parent = cl.parent ? cl.parent.classid : TC_H_ROOT;
  msg.tcm.tcm_handle = cl.classid;
  if (!cl.level && cl.q) msg.tcm.tcm_info = cl.q.handle;
  const parms: TcHtbOpt = {
    rate: psched_ratecfg_getrate(cl.rate),
    buffer: PSCHED_NS2TICKS(cl.buffer) >>> 0,
    ceil: psched_ratecfg_getrate(cl.ceil),
    cbuffer: PSCHED_NS2TICKS(cl.cbuffer) >>> 0,
    quantum: cl.quantum,
    prio: cl.prio,
    level: cl.level,
  };
  const o: { -readonly [K in keyof TcHtbOptions]: TcHtbOptions[K] } = { TCA_HTB_PARMS: parms };
  if (cl.rate.rate_bytes_ps >= 2 ** 32) o.TCA_HTB_RATE64 = cl.rate.rate_bytes_ps;
  if (cl.ceil.rate_bytes_ps >= 2 ** 32) o.TCA_HTB_CEIL64 = cl.ceil.rate_bytes_ps;
  (msg.attrs as { -readonly [K in keyof TcaAttrs]: TcaAttrs[K] }).TCA_OPTIONS = o;
  return 0;
}

/** clamp_t(s64, x, INT_MIN, INT_MAX) */
function clamp_s32(x: number): number {
  return Math.max(-2147483648, Math.min(2147483647, x));
}

/** htb_dump_class_stats(): bstats, drops/overlimits and the leaf's queue, tc_htb_xstats. */
function htb_dump_class_stats(_sch: Qdisc, arg: unknown, d: GnetDump): number {
  const cl = arg as HtbClass;
  let qlen = 0;
  let backlog = 0;
  if (!cl.level && cl.q) {
    qlen = cl.q.q.qlen;
    backlog = cl.q.qstats.backlog;
  }
  const xstats: TcHtbXstats = {
    lends: cl.xstats.lends >>> 0,
    borrows: cl.xstats.borrows >>> 0,
    giants: cl.xstats.giants >>> 0,
    tokens: clamp_s32(PSCHED_NS2TICKS(cl.tokens)),
    ctokens: clamp_s32(PSCHED_NS2TICKS(cl.ctokens)),
  };
  d.basic = { bytes: cl.bstats.bytes, packets: cl.bstats.packets };
  const re = gnet_stats_copy_rate_est(cl);
  if (re) {
    d.rate_est = re.rate_est;
    if (re.rate_est64) d.rate_est64 = re.rate_est64;
  }
  d.queue = { qlen, backlog, drops: cl.drops, requeues: 0, overlimits: cl.overlimits };
  d.app = xstats as unknown as TcOptions;
  return 0;
}

/** htb_graft(): a leaf gets a new qdisc (a fresh pfifo when none is given). */
function htb_graft(sch: Qdisc, arg: unknown, new_: Qdisc | null, extack: NetlinkExtAck): { err: number; old: Qdisc | null } {
  const cl = arg as HtbClass;
  if (cl.level) return { err: -EINVAL, old: null };
  let n = new_;
  if (!n) {
    n = qdisc_create_dflt(sch.dev_queue, pfifo_qdisc_ops, cl.classid, extack);
    if (!n) return { err: -ENOBUFS, old: null };
  }
  const old = qdisc_replace(n, cl.q, (x) => {
    cl.q = x;
  });
  return { err: 0, old };
}

/** htb_parent_last_child() */
function htb_parent_last_child(cl: HtbClass): boolean {
  // the root class, or not the last child
  return !!cl.parent && cl.parent.children <= 1;
}

/** htb_parent_to_leaf(): the parent of the last deleted child is a leaf again. */
function htb_parent_to_leaf(sch: Qdisc, cl: HtbClass, new_q: Qdisc | null): void {
  const q = qdisc_priv<HtbSched>(sch);
  const parent = cl.parent as HtbClass;
  if (parent.cmode !== HTB_CAN_SEND) htb_wait_erase(q, parent);
  parent.level = 0;
  parent.clprio = Array.from({ length: TC_HTB_NUMPRIO }, htb_prio);
  parent.q = new_q;
  parent.tokens = parent.buffer;
  parent.ctokens = parent.cbuffer;
  parent.t_c = ktime_get_ns(sch);
  parent.cmode = HTB_CAN_SEND;
}

function htb_destroy_class(sch: Qdisc, cl: HtbClass): void {
  if (!cl.level) qdisc_put(cl.q);
  gen_kill_estimator(cl);
  tcf_block_put(cl.block);
  cl.block = null;
  void sch;
}

/** htb_destroy(): every class, leaves first; the filters before the classes they point at. */
function htb_destroy(sch: Qdisc): void {
  const q = qdisc_priv<HtbSched>(sch);
  if (q.watchdog) qdisc_watchdog_cancel(q.watchdog);
  tcf_block_put(q.block);
  q.block = null;
  for (const cl of htb_each(q)) {
    tcf_block_put(cl.block);
    cl.block = null;
  }
  let changed: boolean;
  do {
    changed = false;
    for (const b of q.hash) {
      for (const cl of [...b]) {
        if (!cl.level) {
          const last_child = htb_parent_last_child(cl);
          qdisc_class_hash_remove(q, cl);
          if (cl.parent) cl.parent.children--;
          if (last_child) htb_parent_to_leaf(sch, cl, null);
          htb_destroy_class(sch, cl);
          changed = true;
        }
      }
    }
  } while (changed);
  q.direct_queue.length = 0;
}

/** htb_delete(): a class without children nor filters goes; its parent may become a leaf again. */
function htb_delete(sch: Qdisc, arg: unknown, extack: NetlinkExtAck): number {
  const q = qdisc_priv<HtbSched>(sch);
  const cl = arg as HtbClass;
  if (cl.children || cl.filter_cnt) {
    extack.msg = 'HTB class in use';
    return -EBUSY;
  }
  const last_child = !cl.level && htb_parent_last_child(cl);
  let new_q: Qdisc | null = null;
  if (last_child) new_q = qdisc_create_dflt(sch.dev_queue, pfifo_qdisc_ops, (cl.parent as HtbClass).classid, { msg: null });
  // sch_tree_lock()
  if (!cl.level) qdisc_purge_queue(cl.q);
  qdisc_class_hash_remove(q, cl);
  if (cl.parent) cl.parent.children--;
  htb_deactivate(q, cl);
  if (cl.cmode !== HTB_CAN_SEND) htb_wait_erase(q, cl);
  if (last_child) htb_parent_to_leaf(sch, cl, new_q);
  htb_destroy_class(sch, cl);
  return 0;
}

/**
 * htb_change_class(): a new class (under parentid, with its pfifo leaf; a
 * leaf parent becomes inner) or new parameters for an existing one; the
 * quantum from rate / r2q unless given, with the kernel's warning.
 */
function htb_change_class(
  sch: Qdisc,
  classid: number,
  parentid: number,
  tca: TcaAttrs,
  arg: unknown,
  extack: NetlinkExtAck,
): { err: number; cl: unknown } {
  const q = qdisc_priv<HtbSched>(sch);
  let cl = (arg as HtbClass | null) ?? null;
  const fail = (err: number) => ({ err, cl: arg });
  const opt = tca.TCA_OPTIONS as TcHtbOptions | undefined;
  if (!opt) return fail(-EINVAL);
  const hopt = opt.TCA_HTB_PARMS as TcHtbOpt | undefined;
  if (!hopt) return fail(-EINVAL);
  const parent = parentid === TC_H_ROOT ? null : htb_find(parentid, sch);
  if (!hopt.rate.rate || !hopt.ceil.rate) return fail(-EINVAL);
  const rate64 = opt.TCA_HTB_RATE64 ?? 0;
  const ceil64 = opt.TCA_HTB_CEIL64 ?? 0;
  let parent_qdisc: Qdisc | null = null;
  if (!cl) {
    // check for valid classid
    if (!classid || TC_H_MAJ((classid ^ sch.handle) >>> 0) || htb_find(classid, sch)) return fail(-EINVAL);
    // check maximal depth
    if (parent?.parent && parent.parent.level < 2) {
      extack.msg = 'sch_htb: tree is too deep';
      return fail(-EINVAL);
    }
    const n: HtbClass = {
      classid: classid >>> 0,
      rate: psched_ratecfg_zero(),
      ceil: psched_ratecfg_zero(),
      buffer: 0,
      cbuffer: 0,
      mbuffer: 0,
      prio: 0,
      quantum: 0,
      block: null,
      filter_cnt: 0,
      level: 0,
      children: 0,
      parent: null,
      bstats: { bytes: 0, packets: 0 },
      bstats_bias: { bytes: 0, packets: 0 },
      rate_est: null,
      xstats: { lends: 0, borrows: 0, giants: 0 },
      tokens: 0,
      ctokens: 0,
      t_c: 0,
      deficit: new Array(TC_HTB_MAXDEPTH).fill(0),
      q: null,
      clprio: Array.from({ length: TC_HTB_NUMPRIO }, htb_prio),
      pq_key: 0,
      onWait: false,
      prio_activity: 0,
      cmode: HTB_CAN_SEND,
      drops: 0,
      overlimits: 0,
    };
    cl = n;
    n.block = tcf_block_get(qdisc_dev(sch).net, sch as never);
    if (tca.TCA_RATE) {
      const err = gen_new_estimator(qdisc_dev(sch).net.kernel, n.bstats, n, tca.TCA_RATE);
      if (err) {
        tcf_block_put(n.block);
        return fail(err);
      }
    }
    // create leaf qdisc early because it uses kmalloc(GFP_KERNEL)
    const new_q = qdisc_create_dflt(sch.dev_queue, pfifo_qdisc_ops, classid, { msg: null });
    // sch_tree_lock()
    if (parent && !parent.level) {
      // turn parent into inner node
      qdisc_purge_queue(parent.q);
      parent_qdisc = parent.q;
      htb_deactivate(q, parent);
      // remove from evt list because of level change
      if (parent.cmode !== HTB_CAN_SEND) {
        htb_wait_erase(q, parent, 0);
        parent.cmode = HTB_CAN_SEND;
      }
      parent.level = (parent.parent ? parent.parent.level : TC_HTB_MAXDEPTH) - 1;
      parent.clprio = Array.from({ length: TC_HTB_NUMPRIO }, htb_prio);
    }
    // leaf (we) needs elementary qdisc
    n.q = new_q;
    n.parent = parent;
    // set class to be in HTB_CAN_SEND state
    n.tokens = PSCHED_TICKS2NS(hopt.buffer);
    n.ctokens = PSCHED_TICKS2NS(hopt.cbuffer);
    // 1min
    n.mbuffer = 60 * NSEC_PER_SEC;
    n.t_c = ktime_get_ns(sch);
    n.cmode = HTB_CAN_SEND;
    // attach to the hash list and parent's family
    qdisc_class_hash_insert(q, n);
    if (parent) parent.children++;
    if (n.q) qdisc_hash_add(n.q, true);
  } else if (tca.TCA_RATE) {
    const err = gen_replace_estimator(qdisc_dev(sch).net.kernel, cl.bstats, cl, tca.TCA_RATE);
    if (err) return fail(err);
  }
  cl.rate = psched_ratecfg_precompute(hopt.rate, rate64);
  cl.ceil = psched_ratecfg_precompute(hopt.ceil, ceil64);
  let warn = 0;
  // it used to be a nasty bug here, we have to check that node is really leaf before changing cl->leaf !
  if (!cl.level) {
    const quantum = Math.floor(cl.rate.rate_bytes_ps / q.rate2quantum);
    cl.quantum = Math.min(quantum, 0x7fffffff);
    if (!hopt.quantum && cl.quantum < 1000) {
      warn = -1;
      cl.quantum = 1000;
    }
    if (!hopt.quantum && cl.quantum > 200000) {
      warn = 1;
      cl.quantum = 200000;
    }
    if (hopt.quantum) cl.quantum = hopt.quantum >>> 0;
    cl.prio = hopt.prio >>> 0;
    if (cl.prio >= TC_HTB_NUMPRIO) cl.prio = TC_HTB_NUMPRIO - 1;
  }
  cl.buffer = PSCHED_TICKS2NS(hopt.buffer);
  cl.cbuffer = PSCHED_TICKS2NS(hopt.cbuffer);
  // sch_tree_unlock()
  qdisc_put(parent_qdisc);
  if (warn)
    extack.msg = `sch_htb: quantum of class ${cl.classid.toString(16).toUpperCase()} is ${warn === -1 ? 'small' : 'big'}. Consider r2q change.`;
  qdisc_class_hash_grow(q);
  return { err: 0, cl };
}

/** htb_bind_filter(): a filter points at the class (it cannot be deleted meanwhile). */
function htb_bind_filter(sch: Qdisc, _parent: number, classid: number): unknown {
  const cl = htb_find(classid, sch);
  if (cl) cl.filter_cnt++;
  return cl;
}

function htb_unbind_filter(_sch: Qdisc, arg: unknown): void {
  const cl = arg as HtbClass | null;
  if (cl) cl.filter_cnt--;
}

/** htb_walk(): bucket by bucket, as qdisc_class_hash lays them out. */
function htb_walk(sch: Qdisc, w: QdiscWalker): void {
  const q = qdisc_priv<HtbSched>(sch);
  if (w.stop) return;
  for (const cl of htb_each(q)) if (!tc_qdisc_stats_dump(sch, cl, w)) return;
}

const htb_class_ops: Readonly<Qdisc_class_ops> = {
  graft: htb_graft,
  leaf: (_sch, arg) => {
    const cl = arg as HtbClass;
    return !cl.level ? cl.q : null;
  },
  qlen_notify: (sch, arg) => htb_deactivate(qdisc_priv<HtbSched>(sch), arg as HtbClass),
  find: (sch, handle) => htb_find(handle, sch),
  change: htb_change_class,
  delete: htb_delete,
  walk: htb_walk,
  // cls_api's struct tcf_block
  tcf_block: (sch, arg) => (arg ? (arg as HtbClass).block : qdisc_priv<HtbSched>(sch).block) as unknown as GenericTcfBlock | null,
  bind_tcf: htb_bind_filter,
  unbind_tcf: htb_unbind_filter,
  dump: htb_dump_class,
  dump_stats: htb_dump_class_stats,
};

export const htb_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'htb',
  cl_ops: htb_class_ops,
  priv: (): HtbSched => ({
    hash: Array.from({ length: 4 }, () => []),
    hashelems: 0,
    defcls: 0,
    rate2quantum: 1,
    block: null,
    warned: 0,
    direct_qlen: 0,
    direct_queue: [],
    direct_pkts: 0,
    overlimits: 0,
    watchdog: null,
    now: 0,
    near_ev_cache: new Array(TC_HTB_MAXDEPTH).fill(0),
    row_mask: new Array(TC_HTB_MAXDEPTH).fill(0),
    hlevel: htb_levels(),
  }),
  enqueue: htb_enqueue,
  dequeue: htb_dequeue,
  peek: qdisc_peek_dequeued,
  init: htb_init,
  reset: htb_reset,
  destroy: htb_destroy,
  dump: htb_dump,
};
