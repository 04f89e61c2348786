// net/sched/sch_netem.c (Linux 6.18): the network emulator qdisc. Delay with
// jitter and correlation (tabledist over a loaded distribution table), loss
// (random with correlation, the 4-state Markov model, Gilbert-Elliott),
// duplication (the clone goes back in at the root), reordering with a gap,
// corruption (one bit), ECN marking instead of loss, a rate with packet
// overhead and cells, slots, the tfifo limit and an optional child qdisc.
//
// Chance comes from two places, as in the kernel: netem's own seeded
// prandom_u32_state() generator (lib/random32.c) for every decision the
// model makes, seeded by TCA_NETEM_PRNG_SEED or else by get_random_u64();
// and get_random_u32() for the correlation start values, the corrupted bit
// and the slot delays. get_random_*() is the scenario's seeded generator.
//
// The tfifo's rbtree keyed by time_to_send is a sorted array here (an
// insert after every equal key, as the rbtree walk goes right on >=); the
// linear tail is an array too.
import { gso_frames, skb_checksum_help } from '../core/gso.ts';
import { consume_skb } from '../core/skb_free.ts';
import { alloc_skb, CHECKSUM_NONE, CHECKSUM_PARTIAL } from '../skbuff.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../lib/random32.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import type { TcOptions } from '../uapi/pkt_sched.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { qdisc_hash_for_each } from './sch_api.ts';
import {
  type NetlinkExtAck,
  type Qdisc,
  type Qdisc_class_ops,
  type Qdisc_ops,
  type QdiscWatchdog,
  type QdiscWalker,
  qdisc_dev,
  qdisc_free_list,
  qdisc_pkt_len,
  qdisc_pkt_len_init,
  qdisc_put,
  qdisc_qstats_backlog_inc,
  qdisc_reset,
  qdisc_root,
  qdisc_skb_cb,
  qdisc_tree_reduce_backlog,
  qdisc_watchdog_cancel,
  qdisc_watchdog_init,
  qdisc_watchdog_schedule_ns,
  type TcClassMsg,
  type ToFree,
} from './sch_generic.ts';
import {
  NETEM_DIST_MAX,
  NETEM_DIST_SCALE,
  NETEM_LOSS_GE,
  NETEM_LOSS_GI,
  type NetemOptions,
  PSCHED_SHIFT,
  type tc_netem_gemodel,
  type tc_netem_gimodel,
  type tc_netem_slot,
} from '../uapi/pkt_sched_netem.ts';

export const NSEC_PER_SEC = 1_000_000_000;
const INT_MAX = 0x7fffffff;
const UINT_MAX = 0xffffffff;

export const NET_XMIT_SUCCESS = 0x00;
export const NET_XMIT_DROP = 0x01;
export const NET_XMIT_CN = 0x02;
export const NET_XMIT_MASK = 0x0f;
export const __NET_XMIT_STOLEN = 0x00010000;
export const __NET_XMIT_BYPASS = 0x00020000;

/** net_xmit_drop_count(): whether a child's verdict counts as a drop here. */
export function net_xmit_drop_count(e: number): boolean {
  return (e & __NET_XMIT_STOLEN) === 0;
}

/** struct crndstate */
export interface crndstate {
  last: number;
  rho: number;
}

/** struct prng */
export interface prng {
  seed: bigint;
  prng_state: rnd_state;
}

export const CLG_RANDOM = 0;
export const CLG_4_STATES = 1;
export const CLG_GILB_ELL = 2;

export const TX_IN_GAP_PERIOD = 1;
export const TX_IN_BURST_PERIOD = 2;
export const LOST_IN_GAP_PERIOD = 3;
export const LOST_IN_BURST_PERIOD = 4;

export const GOOD_STATE = 1;
export const BAD_STATE = 2;

/** struct clgstate */
export interface clgstate {
  state: number;
  /** p13 for 4-states or p for GE */
  a1: number;
  /** p31 for 4-states or r for GE */
  a2: number;
  /** p32 for 4-states or h for GE */
  a3: number;
  /** p14 for 4-states or 1-k for GE */
  a4: number;
  /** p23 used only in 4-states */
  a5: number;
}

/** A source of get_random_u32() (the scenario's seeded generator). */
export interface RandomSource {
  u32(): number;
}

/** get_random_u64(): two draws, high word first. */
export function get_random_u64(rng: RandomSource): bigint {
  const hi = BigInt(rng.u32());
  const lo = BigInt(rng.u32());
  return (hi << 32n) | lo;
}

/** __get_random_u32_below() (drivers/char/random.c): ceil not known at compile time. */
export function __get_random_u32_below(rng: RandomSource, ceil: number): number {
  const rand = rng.u32();
  if (!ceil) return rand;
  let mult = BigInt(ceil) * BigInt(rand);
  if (Number(mult & 0xffffffffn) < ceil) {
    const bound = (2 ** 32 - ceil) % ceil;
    while (Number(mult & 0xffffffffn) < bound) mult = BigInt(ceil) * BigInt(rng.u32());
  }
  return Number(mult >> 32n);
}

/** get_random_u32_below(8) with a constant ceil (include/linux/random.h): one random byte, a power of 2. */
function get_random_below_8(rng: RandomSource): number {
  return (8 * (rng.u32() & 0xff)) >>> 8;
}

/** init_crandom(): rho scaled to u32, the first `last` from get_random_u32(). */
export function init_crandom(state: crndstate, rho: number, rng: RandomSource): void {
  state.rho = rho >>> 0;
  state.last = rng.u32();
}

/** get_crandom(): the next number depends on the last one by rho. */
export function get_crandom(state: crndstate | null, p: prng): number {
  const s = p.prng_state;
  if (!state || state.rho === 0) return prandom_u32_state(s);
  const value = BigInt(prandom_u32_state(s));
  const rho = BigInt(state.rho) + 1n;
  const answer = Number(BigInt.asUintN(64, value * ((1n << 32n) - rho) + BigInt(state.last) * rho) >> 32n);
  state.last = answer >>> 0;
  return state.last;
}

/**
 * tabledist(): a pseudo-random value with mean mu and deviation sigma from
 * the inverse-CDF table (uniform without one).
 */
export function tabledist(mu: number, sigma: number, state: crndstate | null, p: prng, dist: Int16Array | null): number {
  if (sigma === 0) return mu;
  const rnd = get_crandom(state, p);
  // default uniform distribution; 2 * (u32)sigma
  if (dist === null) return (rnd % ((2 * sigma) >>> 0)) + mu - sigma;
  const t = dist[rnd % dist.length] as number;
  let x = (sigma % NETEM_DIST_SCALE) * t;
  if (x >= 0) x += NETEM_DIST_SCALE / 2;
  else x -= NETEM_DIST_SCALE / 2;
  return Math.trunc(x / NETEM_DIST_SCALE) + Math.trunc(sigma / NETEM_DIST_SCALE) * t + mu;
}

/** The rate part of struct netem_sched_data. */
export interface NetemRate {
  rate: number;
  packet_overhead: number;
  cell_size: number;
  cell_overhead: number;
}

/**
 * packet_time_ns(): how long len bytes (plus the packet overhead, rounded
 * up to whole cells with their overhead) take at rate bytes per second.
 * reciprocal_divide() is an exact u32 division.
 */
export function packet_time_ns(len: number, q: NetemRate): number {
  let l = BigInt.asUintN(64, BigInt(len) + BigInt(q.packet_overhead));
  if (q.cell_size) {
    const cs = BigInt(q.cell_size);
    let cells = BigInt.asUintN(32, l) / cs;
    if (l > cells * cs) cells++;
    l = BigInt.asUintN(64, cells * BigInt.asUintN(32, cs + BigInt(q.cell_overhead)));
  }
  return Number(BigInt.asUintN(64, l * BigInt(NSEC_PER_SEC)) / BigInt(q.rate));
}

/** loss_4state(): the GI model's 4-state Markov chain; true = lose this packet. */
export function loss_4state(clg: clgstate, p: prng): boolean {
  const rnd = prandom_u32_state(p.prng_state);
  switch (clg.state) {
    case TX_IN_GAP_PERIOD:
      if (rnd < clg.a4) {
        clg.state = LOST_IN_GAP_PERIOD;
        return true;
      } else if (clg.a4 < rnd && rnd < clg.a1 + clg.a4) {
        clg.state = LOST_IN_BURST_PERIOD;
        return true;
      } else if (clg.a1 + clg.a4 < rnd) {
        clg.state = TX_IN_GAP_PERIOD;
      }
      break;
    case TX_IN_BURST_PERIOD:
      if (rnd < clg.a5) {
        clg.state = LOST_IN_BURST_PERIOD;
        return true;
      }
      clg.state = TX_IN_BURST_PERIOD;
      break;
    case LOST_IN_BURST_PERIOD:
      if (rnd < clg.a3) clg.state = TX_IN_BURST_PERIOD;
      else if (clg.a3 < rnd && rnd < clg.a2 + clg.a3) {
        clg.state = TX_IN_GAP_PERIOD;
      } else if (clg.a2 + clg.a3 < rnd) {
        clg.state = LOST_IN_BURST_PERIOD;
        return true;
      }
      break;
    case LOST_IN_GAP_PERIOD:
      clg.state = TX_IN_GAP_PERIOD;
      break;
  }
  return false;
}

/** loss_gilb_ell(): Gilbert-Elliott; one draw moves the state, a second decides the loss. */
export function loss_gilb_ell(clg: clgstate, p: prng): boolean {
  const s = p.prng_state;
  switch (clg.state) {
    case GOOD_STATE:
      if (prandom_u32_state(s) < clg.a1) clg.state = BAD_STATE;
      if (prandom_u32_state(s) < clg.a4) return true;
      break;
    case BAD_STATE:
      if (prandom_u32_state(s) < clg.a2) clg.state = GOOD_STATE;
      if (prandom_u32_state(s) > clg.a3) return true;
  }
  return false;
}

/** INET_ECN_set_ce() for IPv4 (IP_ECN_set_ce): ECT → CE with the checksum patched; true when CE now. */
export function INET_ECN_set_ce(skb: SkBuff): boolean {
  if (skb.protocol !== 0x0800 || skb.networkHeader < 0 || skb.networkHeader + 20 > skb.tail) return false;
  const b = skb.head;
  const nh = skb.networkHeader;
  const tos = b[nh + 1] as number;
  const ecn = (tos + 1) & 3;
  if (!(ecn & 2)) return !ecn;
  skb.unshare();
  const h = skb.head;
  // check += htons(0xFFFB) + htons(ecn), end-around carry; byte order does not matter to it
  let check = (((h[nh + 10] as number) << 8) | (h[nh + 11] as number)) + 0xfffb + ecn;
  check = (check + (check >= 0xffff ? 1 : 0)) & 0xffff;
  h[nh + 10] = check >>> 8;
  h[nh + 11] = check & 0xff;
  h[nh + 1] = tos | 3;
  return true;
}

/** The hooks netem needs from the qdisc layer it lives in. */
export interface NetemHost {
  /** ktime_get_ns() */
  now(): number;
  /** get_random_u32() */
  rng: RandomSource;
  /** qdisc_pkt_len() */
  pkt_len(skb: SkBuff): number;
  /** rootq->enqueue(skb2, rootq, to_free): the duplicate enters at the root. */
  root_enqueue(skb: SkBuff, to_free: SkBuff[]): void;
  /** qdisc_watchdog_schedule_ns() */
  watchdog_schedule(expires: number): void;
  /** qdisc_watchdog_cancel() */
  watchdog_cancel(): void;
  /** skb_checksum_help() for CHECKSUM_PARTIAL; false when it fails. */
  checksum_help(skb: SkBuff): boolean;
  /** netem_segment(): a GSO skb split into its segments (null: dropped). */
  segment?(skb: SkBuff): SkBuff[] | null;
  /** kfree_skb_list() of what the child refused. */
  free_list?(skbs: SkBuff[]): void;
  /** The optional child qdisc (netem's one class). */
  child?: NetemChild | null;
  /** qdisc_tree_reduce_backlog() on the parents. */
  tree_reduce_backlog?(n: number, len: number): void;
}

export interface NetemChild {
  enqueue(skb: SkBuff, to_free: SkBuff[]): number;
  dequeue(): SkBuff | null;
}

/** The counters of struct Qdisc netem updates itself. */
export interface NetemStats {
  qlen: number;
  backlog: number;
  drops: number;
  requeues: number;
  bytes: number;
  packets: number;
}

/** struct netem_sched_data, with the struct Qdisc fields it touches (limit, q, qstats, bstats). */
export class netem_sched_data {
  /** The rbtree by time_to_send, in order. */
  readonly t_root: SkBuff[] = [];
  /** The linear queue (t_head .. t_tail). */
  t_list: SkBuff[] = [];
  t_len = 0;
  /** sch->q: reordered packets, put at its head. */
  readonly sch_q: SkBuff[] = [];
  /** netem_skb_cb(skb)->time_to_send */
  readonly time_to_send = new Map<SkBuff, number>();
  /** sch->limit */
  sch_limit = 0;
  /** sch->q.qlen, sch->qstats, sch->bstats (netem_init points them at the struct Qdisc) */
  stats: NetemStats = { qlen: 0, backlog: 0, drops: 0, requeues: 0, bytes: 0, packets: 0 };

  latency = 0;
  jitter = 0;
  loss = 0;
  ecn = 0;
  limit = 0;
  counter = 0;
  gap = 0;
  duplicate = 0;
  reorder = 0;
  corrupt = 0;
  rate = 0;
  packet_overhead = 0;
  cell_size = 0;
  cell_overhead = 0;
  readonly delay_cor: crndstate = { last: 0, rho: 0 };
  readonly loss_cor: crndstate = { last: 0, rho: 0 };
  readonly dup_cor: crndstate = { last: 0, rho: 0 };
  readonly reorder_cor: crndstate = { last: 0, rho: 0 };
  readonly corrupt_cor: crndstate = { last: 0, rho: 0 };
  readonly prng: prng = { seed: 0n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
  delay_dist: Int16Array | null = null;
  loss_model = CLG_RANDOM;
  clg: clgstate = { state: 0, a1: 0, a2: 0, a3: 0, a4: 0, a5: 0 };
  slot_config: tc_netem_slot = { min_delay: 0, max_delay: 0, max_packets: 0, max_bytes: 0, dist_delay: 0, dist_jitter: 0 };
  readonly slot = { slot_next: 0, packets_left: 0, bytes_left: 0 };
  slot_dist: Int16Array | null = null;
  /** the optional child qdisc (netem's one class) */
  qdisc: Qdisc | null = null;
  watchdog: QdiscWatchdog | null = null;

  /** set before netem_change() runs (netem_init) */
  host: NetemHost;

  constructor(host?: NetemHost) {
    this.host = host as NetemHost;
  }
}

/** tfifo_enqueue(): at the tail when not earlier than it, else into the tree. */
export function tfifo_enqueue(nskb: SkBuff, q: netem_sched_data): void {
  const tnext = q.time_to_send.get(nskb) as number;
  const tail = q.t_list[q.t_list.length - 1];
  if (!tail || tnext >= (q.time_to_send.get(tail) as number)) {
    q.t_list.push(nskb);
  } else {
    // the rbtree walk: right on >=, left on <
    const t = q.t_root;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tnext >= (q.time_to_send.get(t[mid] as SkBuff) as number)) lo = mid + 1;
      else hi = mid;
    }
    t.splice(lo, 0, nskb);
  }
  q.t_len++;
  q.stats.qlen++;
}

/** tfifo_reset(): everything in the tfifo goes (rtnl_kfree_skbs). */
export function tfifo_reset(q: netem_sched_data): SkBuff[] {
  const out = [...q.t_root.splice(0), ...q.t_list];
  q.t_list = [];
  q.t_len = 0;
  for (const skb of out) q.time_to_send.delete(skb);
  return out;
}

/**
 * netem_enqueue(): one skb in. Lost, limit-dropped and dropped duplicates
 * go onto to_free (the caller frees them with the skb's tc drop reason).
 */
export function netem_enqueue(skb: SkBuff, q: netem_sched_data, to_free: SkBuff[]): number {
  const host = q.host;
  let skb2: SkBuff | null = null;
  let segs: SkBuff[] = [];
  const prev_len = host.pkt_len(skb);
  let count = 1;
  let cur: SkBuff | null = skb;

  // Random duplication
  if (q.duplicate && q.duplicate >= get_crandom(q.dup_cor, q.prng)) ++count;

  // Drop packet?
  if (loss_event(q)) {
    if (q.ecn && INET_ECN_set_ce(skb)) q.stats.drops++;
    else --count;
  }
  if (count === 0) {
    q.stats.drops++;
    to_free.push(skb);
    return NET_XMIT_SUCCESS | __NET_XMIT_BYPASS;
  }

  // (skb_orphan_partial() for a delayed skb is left out: skbpath has no TCP small queues to release.)
  // If we need to duplicate packet, then clone it before original is modified.
  if (count > 1) skb2 = skb.clone();

  // Randomized packet corruption.
  if (q.corrupt && q.corrupt >= get_crandom(q.corrupt_cor, q.prng)) {
    let ok = true;
    if (skb.gsoSize && host.segment) {
      const all = host.segment(skb);
      if (!all || all.length === 0) {
        q.stats.drops++;
        to_free.push(skb);
        cur = null;
        ok = false;
      } else {
        cur = all[0] as SkBuff;
        segs = all.slice(1);
      }
    }
    if (ok && cur) {
      cur.unshare();
      if (!host.checksum_help(cur)) {
        q.stats.drops++;
        to_free.push(cur);
        cur = null;
      } else {
        const headlen = cur.len;
        if (headlen) {
          const at = __get_random_u32_below(host.rng, headlen);
          const bit = get_random_below_8(host.rng);
          const h = cur.head;
          h[cur.data + at] = (h[cur.data + at] as number) ^ (1 << bit);
        }
      }
    }
    if (!cur) return finish_segs(q, null, skb2, segs, prev_len, to_free);
  }
  skb = cur as SkBuff;

  if (q.t_len >= q.sch_limit) {
    // qdisc_drop_all(): the skb and the segments after it
    to_free.push(skb, ...segs);
    q.stats.drops++;
    if (skb2) to_free.push(skb2);
    return NET_XMIT_DROP;
  }

  // If doing duplication then re-insert at top of the qdisc tree
  if (skb2) {
    const dupsave = q.duplicate;
    q.duplicate = 0;
    host.root_enqueue(skb2, to_free);
    q.duplicate = dupsave;
    skb2 = null;
  }

  const len = host.pkt_len(skb);
  q.stats.backlog += len;

  if (q.gap === 0 || q.counter < q.gap - 1 || q.reorder < get_crandom(q.reorder_cor, q.prng)) {
    let delay = tabledist(q.latency, q.jitter, q.delay_cor, q.prng, q.delay_dist);
    let now = host.now();
    if (q.rate) {
      let last: number | undefined;
      const qtail = q.sch_q[q.sch_q.length - 1];
      if (qtail) last = q.time_to_send.get(qtail);
      const tlast = q.t_root[q.t_root.length - 1];
      if (tlast) {
        const t = q.time_to_send.get(tlast) as number;
        if (last === undefined || t > last) last = t;
      }
      const ttail = q.t_list[q.t_list.length - 1];
      if (ttail) {
        const t = q.time_to_send.get(ttail) as number;
        if (last === undefined || t > last) last = t;
      }
      if (last !== undefined) {
        // Last packet in queue is reference point (now)
        delay -= last - now;
        delay = Math.max(0, delay);
        now = last;
      }
      delay += packet_time_ns(len, q);
    }
    q.time_to_send.set(skb, now + delay);
    ++q.counter;
    tfifo_enqueue(skb, q);
  } else {
    // Do re-ordering by putting one out of N packets at the front of the queue.
    q.time_to_send.set(skb, host.now());
    q.counter = 0;
    q.sch_q.unshift(skb);
    q.stats.qlen++;
    q.stats.requeues++;
  }
  return finish_segs(q, skb, skb2, segs, prev_len, to_free);
}

function finish_segs(
  q: netem_sched_data,
  skb: SkBuff | null,
  skb2: SkBuff | null,
  segs: SkBuff[],
  prev_len: number,
  to_free: SkBuff[],
): number {
  if (skb2) to_free.push(skb2);
  if (segs.length) {
    let len = skb ? skb.len : 0;
    let nb = skb ? 1 : 0;
    for (const seg of segs) {
      const last_len = seg.len;
      const rc = netem_enqueue(seg, q, to_free);
      if (rc !== NET_XMIT_SUCCESS) {
        if (net_xmit_drop_count(rc)) q.stats.drops++;
      } else {
        nb++;
        len += last_len;
      }
    }
    // Parent qdiscs accounted for 1 skb of size prev_len
    q.host.tree_reduce_backlog?.(-(nb - 1), -(len - prev_len));
  } else if (!skb) {
    return NET_XMIT_DROP;
  }
  return NET_XMIT_SUCCESS;
}

/** loss_event() */
export function loss_event(q: netem_sched_data): boolean {
  switch (q.loss_model) {
    case CLG_RANDOM:
      // Random packet drop 0 => none, ~0 => all
      return q.loss !== 0 && q.loss >= get_crandom(q.loss_cor, q.prng);
    case CLG_4_STATES:
      return loss_4state(q.clg, q.prng);
    case CLG_GILB_ELL:
      return loss_gilb_ell(q.clg, q.prng);
  }
  return false;
}

/** get_slot_next(): the next slot opens later, with fresh packet and byte budgets. */
export function get_slot_next(q: netem_sched_data, now: number): void {
  let next_delay: number;
  if (!q.slot_dist) {
    const span = BigInt(q.slot_config.max_delay - q.slot_config.min_delay);
    next_delay = q.slot_config.min_delay + Number(BigInt.asIntN(64, BigInt(q.host.rng.u32()) * span) >> 32n);
  } else {
    next_delay = tabledist(q.slot_config.dist_delay, q.slot_config.dist_jitter | 0, null, q.prng, q.slot_dist);
  }
  q.slot.slot_next = now + next_delay;
  q.slot.packets_left = q.slot_config.max_packets;
  q.slot.bytes_left = q.slot_config.max_bytes;
}

/** netem_peek(): the earlier of the tree's first and the linear head (the head on a tie). */
function netem_peek(q: netem_sched_data): SkBuff | null {
  const skb = q.t_root[0];
  const head = q.t_list[0];
  if (!skb) return head ?? null;
  if (!head) return skb;
  const t1 = q.time_to_send.get(skb) as number;
  const t2 = q.time_to_send.get(head) as number;
  return t1 < t2 ? skb : head;
}

function netem_erase_head(q: netem_sched_data, skb: SkBuff): void {
  if (skb === q.t_list[0]) q.t_list.shift();
  else q.t_root.shift();
}

function deliver(q: netem_sched_data, skb: SkBuff): SkBuff {
  const len = q.host.pkt_len(skb);
  q.stats.backlog -= len;
  q.stats.bytes += len;
  q.stats.packets += skb.gsoSegs > 1 ? skb.gsoSegs : 1;
  return skb;
}

/** netem_dequeue(): what is due, else the watchdog is set for when it will be. */
export function netem_dequeue(q: netem_sched_data): SkBuff | null {
  const host = q.host;
  for (;;) {
    // tfifo_dequeue:
    const head = q.sch_q.shift();
    if (head) {
      q.stats.qlen--;
      q.time_to_send.delete(head);
      return deliver(q, head);
    }
    const skb = netem_peek(q);
    if (skb) {
      const now = host.now();
      const time_to_send = q.time_to_send.get(skb) as number;
      if (q.slot.slot_next && q.slot.slot_next < time_to_send) get_slot_next(q, now);

      if (time_to_send <= now && q.slot.slot_next <= now) {
        netem_erase_head(q, skb);
        q.time_to_send.delete(skb);
        q.t_len--;
        const len = host.pkt_len(skb);
        if (q.slot.slot_next) {
          q.slot.packets_left--;
          q.slot.bytes_left -= len;
          if (q.slot.packets_left <= 0 || q.slot.bytes_left <= 0) get_slot_next(q, now);
        }
        if (host.child) {
          const to_free: SkBuff[] = [];
          const err = host.child.enqueue(skb, to_free);
          host.free_list?.(to_free);
          if (err !== NET_XMIT_SUCCESS) {
            if (net_xmit_drop_count(err)) q.stats.drops++;
            q.stats.backlog -= len;
            q.stats.qlen--;
            host.tree_reduce_backlog?.(1, len);
          }
          continue;
        }
        q.stats.qlen--;
        return deliver(q, skb);
      }
      if (host.child) {
        const c = host.child.dequeue();
        if (c) {
          q.stats.qlen--;
          return deliver(q, c);
        }
      }
      host.watchdog_schedule(Math.max(time_to_send, q.slot.slot_next));
    }
    if (host.child) {
      const c = host.child.dequeue();
      if (c) {
        q.stats.qlen--;
        return deliver(q, c);
      }
    }
    return null;
  }
}

/** netem_reset(): the queue and the tfifo emptied, the watchdog off. */
export function netem_reset(q: netem_sched_data): SkBuff[] {
  const out = q.sch_q.splice(0);
  for (const skb of out) q.time_to_send.delete(skb);
  out.push(...tfifo_reset(q));
  q.stats.qlen = 0;
  q.stats.backlog = 0;
  q.host.watchdog_cancel();
  return out;
}

/** get_dist_table(): an s16 table of 1..NETEM_DIST_MAX entries. */
function get_dist_table(data: Int16Array): Int16Array | null {
  const n = data.length;
  if (!n || n > NETEM_DIST_MAX) return null;
  return Int16Array.from(data);
}

function get_slot(q: netem_sched_data, c: tc_netem_slot): void {
  q.slot_config = { ...c };
  if (q.slot_config.max_packets === 0) q.slot_config.max_packets = INT_MAX;
  if (q.slot_config.max_bytes === 0) q.slot_config.max_bytes = INT_MAX;
  // capping dist_jitter to the range acceptable by tabledist()
  q.slot_config.dist_jitter = Math.min(INT_MAX, Math.abs(q.slot_config.dist_jitter));
  q.slot.packets_left = q.slot_config.max_packets;
  q.slot.bytes_left = q.slot_config.max_bytes;
  if (q.slot_config.min_delay || q.slot_config.max_delay || q.slot_config.dist_jitter) q.slot.slot_next = q.host.now();
  else q.slot.slot_next = 0;
}

export const EINVAL = 22;

/** The result of netem_change(): 0 or -errno, with the extack message when there is one. */
export interface NetemChangeResult {
  err: number;
  msg?: string;
}

/**
 * check_netem_in_tree(): a duplicating netem may not share a tree with
 * another netem. `others` are the other netems of the device (the root
 * first when it is one).
 */
export function check_netem_in_tree(duplicates: boolean, others: readonly netem_sched_data[]): NetemChangeResult {
  for (const o of others) {
    if (duplicates || o.duplicate) return { err: -EINVAL, msg: 'netem: cannot mix duplicating netems with other netems in tree' };
  }
  return { err: 0 };
}

/** netem_change(): parse the options. `others` as check_netem_in_tree() takes them. */
export function netem_change(q: netem_sched_data, opt: NetemOptions, others: readonly netem_sched_data[] = []): NetemChangeResult {
  let delay_dist: Int16Array | null = null;
  let slot_dist: Int16Array | null = null;
  if (opt.delay_dist) {
    delay_dist = get_dist_table(opt.delay_dist);
    if (!delay_dist) return { err: -EINVAL };
  }
  if (opt.slot_dist) {
    slot_dist = get_dist_table(opt.slot_dist);
    if (!slot_dist) return { err: -EINVAL };
  }
  const old_clg = { ...q.clg };
  const old_loss_model = q.loss_model;
  if (opt.loss) {
    const r = get_loss_clg(q, opt);
    if (r) {
      q.loss_model = old_loss_model;
      q.clg = old_clg;
      return { err: r };
    }
  } else {
    q.loss_model = CLG_RANDOM;
  }
  if (delay_dist) q.delay_dist = delay_dist;
  if (slot_dist) q.slot_dist = slot_dist;
  const qopt = opt.qopt;
  q.sch_limit = qopt.limit >>> 0;
  q.latency = (qopt.latency >>> 0) * 2 ** PSCHED_SHIFT;
  q.jitter = (qopt.jitter >>> 0) * 2 ** PSCHED_SHIFT;
  q.limit = qopt.limit >>> 0;
  q.gap = qopt.gap >>> 0;
  q.counter = 0;
  q.loss = qopt.loss >>> 0;

  const chk = check_netem_in_tree(qopt.duplicate !== 0, others);
  if (chk.err) return chk;
  q.duplicate = qopt.duplicate >>> 0;

  // for compatibility with earlier versions: if gap is set, need to assume 100% probability
  if (q.gap) q.reorder = UINT_MAX;

  const rng = q.host.rng;
  if (opt.corr) {
    init_crandom(q.delay_cor, opt.corr.delay_corr, rng);
    init_crandom(q.loss_cor, opt.corr.loss_corr, rng);
    init_crandom(q.dup_cor, opt.corr.dup_corr, rng);
  }
  if (opt.reorder) {
    q.reorder = opt.reorder.probability >>> 0;
    init_crandom(q.reorder_cor, opt.reorder.correlation, rng);
  }
  if (opt.corrupt) {
    q.corrupt = opt.corrupt.probability >>> 0;
    init_crandom(q.corrupt_cor, opt.corrupt.correlation, rng);
  }
  if (opt.rate) {
    q.rate = opt.rate.rate >>> 0;
    q.packet_overhead = opt.rate.packet_overhead | 0;
    q.cell_size = opt.rate.cell_size >>> 0;
    q.cell_overhead = opt.rate.cell_overhead | 0;
  }
  if (opt.rate64 !== undefined) q.rate = Math.max(q.rate, Number(BigInt.asUintN(64, opt.rate64)));
  if (opt.latency64 !== undefined) q.latency = Number(BigInt.asIntN(64, opt.latency64));
  if (opt.jitter64 !== undefined) q.jitter = Number(BigInt.asIntN(64, opt.jitter64));
  if (opt.ecn !== undefined) q.ecn = opt.ecn >>> 0;
  if (opt.slot) get_slot(q, opt.slot);
  // capping jitter to the range acceptable by tabledist()
  q.jitter = Math.min(Math.abs(q.jitter), INT_MAX);

  q.prng.seed = opt.prng_seed !== undefined ? BigInt.asUintN(64, opt.prng_seed) : get_random_u64(rng);
  prandom_seed_state(q.prng.prng_state, q.prng.seed);
  return { err: 0 };
}

function get_loss_clg(q: netem_sched_data, opt: NetemOptions): number {
  for (const la of opt.loss ?? []) {
    if (la.type === NETEM_LOSS_GI && 'gi' in la) {
      const gi: tc_netem_gimodel = la.gi;
      q.loss_model = CLG_4_STATES;
      q.clg = { state: TX_IN_GAP_PERIOD, a1: gi.p13 >>> 0, a2: gi.p31 >>> 0, a3: gi.p32 >>> 0, a4: gi.p14 >>> 0, a5: gi.p23 >>> 0 };
    } else if (la.type === NETEM_LOSS_GE && 'ge' in la) {
      const ge: tc_netem_gemodel = la.ge;
      q.loss_model = CLG_GILB_ELL;
      q.clg = { state: GOOD_STATE, a1: ge.p >>> 0, a2: ge.r >>> 0, a3: ge.h >>> 0, a4: ge.k1 >>> 0, a5: q.clg.a5 };
    } else {
      // pr_info("netem: unknown loss type %u\n") or a short model
      return -EINVAL;
    }
  }
  return 0;
}

/** netem_dump(): the options as the kernel reports them. */
export function netem_dump(q: netem_sched_data): NetemOptions {
  const out: NetemOptions = {
    qopt: {
      latency: Math.min(Math.floor(q.latency / 2 ** PSCHED_SHIFT), UINT_MAX),
      jitter: Math.min(Math.floor(q.jitter / 2 ** PSCHED_SHIFT), UINT_MAX),
      limit: q.limit,
      loss: q.loss,
      gap: q.gap,
      duplicate: q.duplicate,
    },
    latency64: BigInt(q.latency),
    jitter64: BigInt(q.jitter),
    corr: { delay_corr: q.delay_cor.rho, loss_corr: q.loss_cor.rho, dup_corr: q.dup_cor.rho },
    reorder: { probability: q.reorder, correlation: q.reorder_cor.rho },
    corrupt: { probability: q.corrupt, correlation: q.corrupt_cor.rho },
  };
  let rate = q.rate;
  if (q.rate >= 2 ** 32) {
    out.rate64 = BigInt(q.rate);
    rate = UINT_MAX;
  }
  out.rate = { rate, packet_overhead: q.packet_overhead, cell_size: q.cell_size, cell_overhead: q.cell_overhead };
  if (q.ecn) out.ecn = q.ecn;
  if (q.loss_model === CLG_4_STATES) {
    out.loss = [{ type: NETEM_LOSS_GI, gi: { p13: q.clg.a1, p31: q.clg.a2, p32: q.clg.a3, p14: q.clg.a4, p23: q.clg.a5 } }];
  } else if (q.loss_model === CLG_GILB_ELL) {
    out.loss = [{ type: NETEM_LOSS_GE, ge: { p: q.clg.a1, r: q.clg.a2, h: q.clg.a3, k1: q.clg.a4 } }];
  }
  if (q.slot_config.min_delay || q.slot_config.max_delay || q.slot_config.dist_jitter) {
    const slot = { ...q.slot_config };
    if (slot.max_packets === INT_MAX) slot.max_packets = 0;
    if (slot.max_bytes === INT_MAX) slot.max_bytes = 0;
    out.slot = slot;
  }
  out.prng_seed = q.prng.seed;
  return out;
}

// --- the qdisc: struct Qdisc_ops netem_qdisc_ops and its one class ---

/** The host view of a struct Qdisc: its counters, clock, generator, root and watchdog. */
function netem_host(sch: Qdisc, q: netem_sched_data): NetemHost {
  const dev = qdisc_dev(sch);
  const k = dev.net.kernel;
  const wd = qdisc_watchdog_init(sch);
  q.watchdog = wd;
  const child = (): NetemChild | null => {
    const c = q.qdisc;
    if (!c) return null;
    return {
      enqueue: (skb, to_free) => {
        const e = c.enqueue;
        return e ? e(skb, c, to_free) : NET_XMIT_DROP;
      },
      dequeue: () => c.dequeue(c),
    };
  };
  return {
    now: () => k.sim.now,
    rng: k.sim.rng,
    pkt_len: qdisc_pkt_len,
    root_enqueue: (skb, to_free) => {
      const rootq = qdisc_root(sch);
      rootq.enqueue?.(skb, rootq, to_free);
    },
    watchdog_schedule: (t) => qdisc_watchdog_schedule_ns(wd, t),
    watchdog_cancel: () => qdisc_watchdog_cancel(wd),
    checksum_help: (skb) => {
      kprobe(dev.net, skb, 'skb_checksum_help');
      skb_checksum_help(skb);
      return true;
    },
    free_list: (skbs) => qdisc_free_list(dev, skbs, 'netem_dequeue'),
    segment: (skb) => netem_segment(skb, dev),
    get child() {
      return child();
    },
    tree_reduce_backlog: (n, len) => qdisc_tree_reduce_backlog(sch, n, len),
  };
}

/**
 * netem_segment(): a GSO skb chosen for corruption is cut into its segments
 * (skb_gso_segment without the GSO features), the first to be corrupted, the
 * rest enqueued after it.
 */
function netem_segment(skb: SkBuff, dev: NetDevice): SkBuff[] {
  const net = dev.net;
  const csum = dev.ops.ndo_offloads?.(dev)?.csum ?? false;
  kprobe(net, skb, 'netem_segment');
  kprobe(net, skb, 'skb_gso_segment');
  skb.resetMacHeader();
  const l2 = skb.networkHeader - skb.data;
  const segs = gso_frames(skb, !csum).map((f) => {
    const seg = alloc_skb(net.kernel, f.length, 64);
    const at = seg.put(f.length);
    seg.head.set(f, at);
    seg.origin = skb.origin;
    seg.dev = dev;
    seg.sk = skb.sk;
    seg.protocol = skb.protocol;
    seg.priority = skb.priority;
    seg.mark = skb.mark;
    seg.macHeader = seg.data;
    seg.networkHeader = seg.data + l2;
    seg.transportHeader = seg.networkHeader + ((f[l2] as number) & 15) * 4;
    seg.ipSummed = csum ? CHECKSUM_PARTIAL : CHECKSUM_NONE;
    qdisc_pkt_len_init(seg);
    return seg;
  });
  consume_skb(net, skb, 'netem_segment');
  return segs;
}

/** sch->q.qlen, sch->qstats and sch->bstats as netem's counters. */
function sch_stats(sch: Qdisc): NetemStats {
  return {
    get qlen() {
      return sch.q.qlen;
    },
    set qlen(v) {
      sch.q.qlen = v;
    },
    get backlog() {
      return sch.qstats.backlog;
    },
    set backlog(v) {
      sch.qstats.backlog = v;
    },
    get drops() {
      return sch.qstats.drops;
    },
    set drops(v) {
      sch.qstats.drops = v;
    },
    get requeues() {
      return sch.qstats.requeues;
    },
    set requeues(v) {
      sch.qstats.requeues = v;
    },
    get bytes() {
      return sch.bstats.bytes;
    },
    set bytes(v) {
      sch.bstats.bytes = v;
    },
    get packets() {
      return sch.bstats.packets;
    },
    set packets(v) {
      sch.bstats.packets = v;
    },
  };
}

/** qdisc_peek_dequeued(): dequeue now, keep the skb in gso_skb for the parent's next dequeue. */
function qdisc_peek_dequeued(sch: Qdisc): SkBuff | null {
  let skb = sch.gso_skb[0] ?? null;
  if (!skb) {
    skb = sch.dequeue(sch);
    if (skb) {
      sch.gso_skb.unshift(skb);
      qdisc_qstats_backlog_inc(sch, skb);
      sch.q.qlen++;
    }
  }
  return skb;
}

function priv(sch: Qdisc): netem_sched_data {
  return sch.priv as netem_sched_data;
}

/** The other netems of sch's tree, as check_netem_in_tree() walks them (the root, then the hash). */
function other_netems(sch: Qdisc): netem_sched_data[] {
  const out: netem_sched_data[] = [];
  const root = qdisc_root(sch);
  if (root !== sch && root.ops === netem_qdisc_ops) out.push(priv(root));
  for (const q of qdisc_hash_for_each(qdisc_dev(root))) if (q !== sch && q.ops === netem_qdisc_ops) out.push(priv(q));
  return out;
}

function netem_change_op(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number {
  const o = opt as unknown as NetemOptions | undefined;
  if (!o || typeof o.qopt !== 'object') return -EINVAL;
  const r = netem_change(priv(sch), o, other_netems(sch));
  if (r.msg) extack.msg = r.msg;
  sch.limit = priv(sch).sch_limit;
  return r.err;
}

/** netem_init() */
function netem_init(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number {
  const q = priv(sch);
  q.host = netem_host(sch, q);
  q.stats = sch_stats(sch);
  if (!opt) return -EINVAL;
  q.loss_model = CLG_RANDOM;
  const ret = netem_change_op(sch, opt, extack);
  if (ret) qdisc_dev(sch).net.kernel.kmsg.printk(6, 'netem: change failed');
  return ret;
}

function netem_enqueue_op(skb: SkBuff, sch: Qdisc, to_free: ToFree): number {
  const net = qdisc_dev(sch).net;
  kprobe(net, skb, 'netem_enqueue');
  const q = priv(sch);
  const n = to_free.length;
  const rc = netem_enqueue(skb, q, to_free);
  for (let i = n; i < to_free.length; i++) {
    const d = to_free[i] as SkBuff;
    if (qdisc_skb_cb(d).why) continue;
    qdisc_skb_cb(d).why = rc === NET_XMIT_DROP ? () => `netem's tfifo is full: limit ${q.limit} packets` : netem_loss_why(q);
  }
  return rc;
}

/** What `skbpath drops` says of a packet netem lost, as the model stood when it lost it. */
function netem_loss_why(q: netem_sched_data): () => string {
  const state = q.clg.state;
  switch (q.loss_model) {
    case CLG_4_STATES: {
      const where = state === LOST_IN_BURST_PERIOD ? 'burst' : 'gap';
      return () => `netem lost it: 4-state loss model, lost in a ${where} period`;
    }
    case CLG_GILB_ELL:
      return () => `netem lost it: Gilbert-Elliott loss model, ${state === BAD_STATE ? 'bad' : 'good'} state`;
    default: {
      const pct = Number(((100 * q.loss) / UINT_MAX).toPrecision(6));
      return () => `netem lost it: random loss ${pct}%`;
    }
  }
}

function netem_dequeue_op(sch: Qdisc): SkBuff | null {
  const skb = netem_dequeue(priv(sch));
  if (skb) {
    // skb->dev shares skb->rbnode area: restored
    skb.dev = qdisc_dev(sch);
    kprobe(qdisc_dev(sch).net, skb, 'netem_dequeue');
  }
  return skb;
}

/** netem_reset() */
function netem_reset_op(sch: Qdisc): void {
  const q = priv(sch);
  const net = qdisc_dev(sch).net;
  for (const skb of netem_reset(q)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  if (q.qdisc) qdisc_reset(q.qdisc);
}

/** netem_destroy() */
function netem_destroy(sch: Qdisc): void {
  const q = priv(sch);
  if (q.watchdog) qdisc_watchdog_cancel(q.watchdog);
  if (q.qdisc) qdisc_put(q.qdisc);
  q.qdisc = null;
}

function netem_dump_op(sch: Qdisc): TcOptions {
  return netem_dump(priv(sch)) as unknown as TcOptions;
}

export const netem_class_ops: Readonly<Qdisc_class_ops> = {
  /** netem_graft(): the child replaces the old one (qdisc_replace) */
  graft(sch, _cl, new_) {
    const q = priv(sch);
    const old = q.qdisc;
    if (old) {
      const qlen = old.q.qlen;
      const backlog = old.qstats.backlog;
      qdisc_reset(old);
      qdisc_tree_reduce_backlog(old, qlen, backlog);
    }
    q.qdisc = new_;
    return { err: 0, old };
  },
  leaf: (sch) => priv(sch).qdisc,
  find: () => 1,
  walk(sch, w: QdiscWalker) {
    if (!w.stop) {
      if (w.count >= w.skip && w.fn(sch, 1, w) < 0) {
        w.stop = true;
        return;
      }
      w.count++;
    }
  },
  /** netem_dump_class(): only one class */
  dump(sch, cl, msg: TcClassMsg) {
    const q = priv(sch);
    if (cl !== 1 || !q.qdisc) return -2;
    msg.tcm.tcm_handle = (msg.tcm.tcm_handle | 1) >>> 0;
    msg.tcm.tcm_info = q.qdisc.handle;
    return 0;
  },
};

export const netem_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'netem',
  cl_ops: netem_class_ops,
  priv: () => new netem_sched_data(),
  enqueue: netem_enqueue_op,
  dequeue: netem_dequeue_op,
  peek: qdisc_peek_dequeued,
  init: netem_init,
  reset: netem_reset_op,
  destroy: netem_destroy,
  change: netem_change_op,
  dump: netem_dump_op,
};
