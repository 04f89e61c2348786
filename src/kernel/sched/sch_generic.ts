// include/net/sch_generic.h and net/sched/sch_generic.c: struct Qdisc and
// Qdisc_ops, the generic queue helpers (qdisc_enqueue_tail, qdisc_dequeue_head,
// qdisc_drop), the transmit engine (dequeue_skb, sch_direct_xmit,
// dev_requeue_skb, qdisc_restart, __qdisc_run, __netif_schedule,
// net_tx_action), the built-in qdiscs noop, noqueue and pfifo_fast, and the
// device side: dev_activate/dev_deactivate, dev_graft_qdisc, dev_shutdown,
// netif_stop_queue/netif_wake_queue on the device's one TX queue.
import { gen_kill_estimator, type NetRateEstimator } from '../core/gen_estimator.ts';
import { kprobe } from '../trace/probe.ts';
import { NET_TX_SOFTIRQ } from '../../sim/cpu.ts';
import type { Kernel } from '../kernel.ts';
import type { QdiscSkbCb, SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kfree_skb_reason, skbaddr } from '../core/skb_free.ts';
import { dev_hard_start_xmit } from '../core/dev.ts';
import { consume_skb } from '../core/skb_free.ts';
import { gso_frames, skb_checksum_help } from '../core/gso.ts';
import { alloc_skb, CHECKSUM_NONE, CHECKSUM_PARTIAL } from '../skbuff.ts';
import {
  NET_XMIT_CN,
  NET_XMIT_DROP,
  NET_XMIT_SUCCESS,
  NETDEV_TX_BUSY,
  NETDEV_TX_OK,
  type NetDevice,
  type NetdevQueue,
} from '../core/netdevice.ts';
import { EINVAL } from '../uapi/errno.ts';
import { TC_H_MAJ, TC_H_MIN, TC_H_ROOT, TC_PRIO_MAX, type TcOptions } from '../uapi/pkt_sched.ts';
import type { TcaAttrs, TcMsgHdr } from '../uapi/rtnetlink_tc.ts';

// --- include/net/sch_generic.h ---
export const TCQ_F_BUILTIN = 1;
export const TCQ_F_INGRESS = 2;
export const TCQ_F_CAN_BYPASS = 4;
export const TCQ_F_MQROOT = 8;
/** dequeue_skb() can assume all skbs are for q->dev_queue */
export const TCQ_F_ONETXQUEUE = 0x10;
export const TCQ_F_CPUSTATS = 0x20;
export const TCQ_F_NOPARENT = 0x40;
export const TCQ_F_INVISIBLE = 0x80;
export const TCQ_F_NOLOCK = 0x100;
export const TCQ_F_OFFLOADED = 0x200;
export const TCQ_F_WARN_NONWC = 1 << 16;

/** enum qdisc_state_t (bits of q.state) */
export const __QDISC_STATE_SCHED = 0;
export const __QDISC_STATE_DEACTIVATED = 1;
export const __QDISC_STATE_MISSED = 2;
export const __QDISC_STATE_DRAINING = 3;
/** enum qdisc_state2_t (bits of q.state2) */
export const __QDISC_STATE2_RUNNING = 0;

/** enum netdev_queue_state_t (bits of txq.state) */
export const __QUEUE_STATE_DRV_XOFF = 0;
export const __QUEUE_STATE_STACK_XOFF = 1;
export const __QUEUE_STATE_FROZEN = 2;

/** NET_XMIT_MASK */
export const NET_XMIT_MASK = 0x0f;
/** __NET_XMIT_STOLEN / __NET_XMIT_BYPASS: the skb was consumed, not dropped */
export const __NET_XMIT_STOLEN = 0x00010000;
export const __NET_XMIT_BYPASS = 0x00020000;

/** net.core.dev_weight_tx_bias × dev_weight: packets one __qdisc_run may send. */
const DEV_TX_WEIGHT = 64;

/** netlink_ext_ack: the message a failing operation sets. */
export interface NetlinkExtAck {
  msg: string | null;
}

/** The list a qdisc's enqueue hands dropped skbs to (`struct sk_buff **to_free`); freed after the qdisc lock. */
export type ToFree = SkBuff[];

/** struct tcf_result: what a classifier answers (cls_api.ts fills it). */
export interface TcfResult {
  classid: number;
  /** the class the filter bound (Qdisc_class_ops.bind_tcf), opaque to the classifier */
  class: unknown;
  /** TC_ACT_* verdict details for actions (goto_tp, ingress/redirect …) */
  goto_chain?: number;
}

/** struct tcf_block: the filters a qdisc (or class) classifies with; cls_api.ts owns its contents. */
export interface TcfBlock {
  /** the chains and their tcf_proto lists; opaque here */
  readonly chains: unknown;
  readonly q: Qdisc | null;
}

/**
 * tcf_classify(): what a classful qdisc calls on its filter block. cls_api.ts
 * implements it; a qdisc gets it through `k.tc.tcf_classify` so the qdisc
 * layer does not import the classifiers. Returns TC_ACT_* (-1 TC_ACT_UNSPEC: no match).
 */
export type TcfClassifyFn = (skb: SkBuff, block: TcfBlock | null, res: TcfResult, compat_mode: boolean) => number;

/** struct qdisc_walker */
export interface QdiscWalker {
  stop: boolean;
  skip: number;
  count: number;
  fn(q: Qdisc, cl: unknown, w: QdiscWalker): number;
}

/** struct gnet_dump: what a dump_stats fills (TCA_STATS2's parts and TCA_XSTATS). */
export interface GnetDump {
  basic?: { bytes: number; packets: number };
  rate_est?: { bps: number; pps: number };
  /** TCA_STATS_RATE_EST64, only when bps does not fit in 32 bits */
  rate_est64?: { bps: number; pps: number };
  queue?: { qlen: number; backlog: number; drops: number; requeues: number; overlimits: number };
  /** gnet_stats_copy_app(): the kind's xstats */
  app?: TcOptions;
}

/** A message a class dump fills (tcm fields and attributes, TCA_OPTIONS above all). */
export interface TcClassMsg {
  tcm: TcMsgHdr;
  attrs: TcaAttrs;
}

/** struct Qdisc_class_ops. Classes are the qdisc's own objects (unsigned long cl); null is "no class". */
export interface Qdisc_class_ops {
  readonly flags?: number;
  select_queue?(sch: Qdisc, tcm: TcMsgHdr): NetdevQueue;
  /** returns the error and the qdisc the class had */
  graft?(sch: Qdisc, cl: unknown, new_: Qdisc | null, extack: NetlinkExtAck): { err: number; old: Qdisc | null };
  leaf(sch: Qdisc, cl: unknown): Qdisc | null;
  qlen_notify?(sch: Qdisc, cl: unknown): void;
  find(sch: Qdisc, classid: number): unknown;
  /** creates (cl null) or changes a class; returns the error and the class */
  change?(sch: Qdisc, classid: number, parentid: number, tca: TcaAttrs, cl: unknown, extack: NetlinkExtAck): { err: number; cl: unknown };
  delete?(sch: Qdisc, cl: unknown, extack: NetlinkExtAck): number;
  walk(sch: Qdisc, w: QdiscWalker): void;
  tcf_block?(sch: Qdisc, cl: unknown, extack: NetlinkExtAck): TcfBlock | null;
  bind_tcf?(sch: Qdisc, parent: number, classid: number): unknown;
  unbind_tcf?(sch: Qdisc, cl: unknown): void;
  /** fills tcm_parent/tcm_handle/tcm_info and TCA_OPTIONS; < 0 on failure */
  dump(sch: Qdisc, cl: unknown, msg: TcClassMsg): number;
  dump_stats?(sch: Qdisc, cl: unknown, d: GnetDump): number;
}

/** struct Qdisc_ops. The private area (priv_size) is whatever priv() makes; qdisc_priv<P>(sch) reads it. */
export interface Qdisc_ops {
  readonly id: string;
  readonly cl_ops?: Qdisc_class_ops;
  /** TCQ_F_* every instance starts with (static_flags) */
  readonly static_flags?: number;
  /** priv_size: makes a fresh private area for qdisc_alloc */
  priv(): unknown;
  /** takes ownership of skb; returns NET_XMIT_* (| __NET_XMIT_*) */
  enqueue(skb: SkBuff, sch: Qdisc, to_free: ToFree): number;
  dequeue(sch: Qdisc): SkBuff | null;
  peek(sch: Qdisc): SkBuff | null;
  init?(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number;
  reset?(sch: Qdisc): void;
  destroy?(sch: Qdisc): void;
  change?(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number;
  attach?(sch: Qdisc): void;
  change_tx_queue_len?(sch: Qdisc, len: number): number;
  /** TCA_OPTIONS of a dump (null: no options attribute); a number < 0 on failure */
  dump?(sch: Qdisc): TcOptions | null | number;
  /** TCA_XSTATS: fills d.app (gnet_stats_copy_app); < 0 on failure */
  dump_stats?(sch: Qdisc, d: GnetDump): number;
  ingress_block_set?(sch: Qdisc, block: number): void;
  egress_block_set?(sch: Qdisc, block: number): void;
}

/** struct gnet_stats_queue */
export interface QdiscQstats {
  qlen: number;
  backlog: number;
  drops: number;
  requeues: number;
  overlimits: number;
}

/** struct Qdisc */
export class Qdisc {
  /** q->enqueue: null for noqueue (the direct path) */
  enqueue: ((skb: SkBuff, sch: Qdisc, to_free: ToFree) => number) | null;
  dequeue: (sch: Qdisc) => SkBuff | null;
  flags: number;
  limit = 0;
  handle = 0;
  parent = 0;
  /** sch->q: the queue generic helpers use; qlen counts every packet the qdisc holds */
  readonly q: { list: SkBuff[]; qlen: number } = { list: [], qlen: 0 };
  /** q->gso_skb: what the driver refused, sent first (dev_requeue_skb) */
  gso_skb: SkBuff[] = [];
  /** q->skb_bad_txq */
  skb_bad_txq: SkBuff[] = [];
  readonly bstats = { bytes: 0, packets: 0 };
  readonly qstats: QdiscQstats = { qlen: 0, backlog: 0, drops: 0, requeues: 0, overlimits: 0 };
  /** __QDISC_STATE_* bits */
  state = 0;
  /** __QDISC_STATE2_RUNNING (qdisc_run_begin/end) */
  state2 = 0;
  refcnt = 1;
  /** q->owner: the CPU inside enqueue (TC_RECLASSIFY_LOOP) */
  owner = -1;
  /** qdisc_priv() */
  readonly priv: unknown;
  /** the rate estimator of TCA_RATE (gen_estimator), if one was asked for */
  rate_est: NetRateEstimator | null = null;

  constructor(
    readonly ops: Qdisc_ops,
    public dev_queue: NetdevQueue,
  ) {
    this.enqueue = ops.enqueue;
    this.dequeue = ops.dequeue;
    this.flags = ops.static_flags ?? 0;
    this.priv = ops.priv();
  }

  get dev(): NetDevice {
    return this.dev_queue.dev;
  }
}

/** qdisc_dev() */
export function qdisc_dev(q: Qdisc): NetDevice {
  return q.dev_queue.dev;
}

/** qdisc_priv() */
export function qdisc_priv<P>(q: Qdisc): P {
  return q.priv as P;
}

/** qdisc_qlen() */
export function qdisc_qlen(q: Qdisc): number {
  return q.q.qlen;
}

/** qdisc_skb_cb(skb): made by qdisc_pkt_len_init on the way into the qdisc layer. */
export function qdisc_skb_cb(skb: SkBuff): QdiscSkbCb {
  let cb = skb.cb.qdisc;
  if (!cb) {
    cb = { pkt_len: skb.len, drop_reason: SKB_DROP_REASON.QDISC_DROP };
    skb.cb.qdisc = cb;
  }
  return cb;
}

/** How `skbpath drops` names a qdisc: "pfifo 1: on va", "bfifo 8002: (parent 1:10) on va". */
export function qdisc_name(q: Qdisc): string {
  const h = `${(q.handle >>> 16).toString(16)}:`;
  const parent = q.parent === TC_H_ROOT ? '' : ` (parent ${(q.parent >>> 16).toString(16)}:${(q.parent & 0xffff).toString(16)})`;
  return `${q.ops.id} ${h}${parent} on ${qdisc_dev(q).name}`;
}

/** qdisc_pkt_len() */
export function qdisc_pkt_len(skb: SkBuff): number {
  return qdisc_skb_cb(skb).pkt_len;
}

/** tcf_set_drop_reason(): the reason the skb is freed with if a qdisc drops it; `why` is skbpath's explanation. */
export function tcf_set_drop_reason(skb: SkBuff, reason: number, why?: () => string): void {
  const cb = qdisc_skb_cb(skb);
  cb.drop_reason = reason;
  if (why) cb.why = why;
  else delete cb.why;
}

/**
 * qdisc_pkt_len_init() (net/core/dev.c): the length a qdisc accounts; a GSO
 * skb counts the headers of every segment it will become.
 */
export function qdisc_pkt_len_init(skb: SkBuff): void {
  let len = skb.len;
  if (skb.gsoSize && skb.gsoSegs > 1 && skb.transportHeader > 0) {
    // hdr_len = transport offset + tcp header length (tcp_hdrlen)
    const th = skb.transportHeader;
    const doff = ((skb.head[th + 12] ?? 0x50) >> 4) * 4;
    const hdrLen = th - skb.macHeader + doff;
    len += (skb.gsoSegs - 1) * hdrLen;
  }
  skb.cb.qdisc = { pkt_len: len, drop_reason: SKB_DROP_REASON.QDISC_DROP };
}

// --- the generic helpers (sch_generic.h) ---

/** qdisc_qstats_backlog_inc() */
export function qdisc_qstats_backlog_inc(sch: Qdisc, skb: SkBuff): void {
  sch.qstats.backlog += qdisc_pkt_len(skb);
}

/** qdisc_qstats_backlog_dec() */
export function qdisc_qstats_backlog_dec(sch: Qdisc, skb: SkBuff): void {
  sch.qstats.backlog -= qdisc_pkt_len(skb);
}

/** qdisc_bstats_update() */
export function qdisc_bstats_update(sch: Qdisc, skb: SkBuff): void {
  sch.bstats.bytes += qdisc_pkt_len(skb);
  sch.bstats.packets += skb.gsoSegs > 1 ? skb.gsoSegs : 1;
}

/** qdisc_qstats_drop() */
export function qdisc_qstats_drop(sch: Qdisc): void {
  sch.qstats.drops++;
}

/** qdisc_qstats_overlimit() */
export function qdisc_qstats_overlimit(sch: Qdisc): void {
  sch.qstats.overlimits++;
}

/** __qdisc_enqueue_tail() + qdisc_enqueue_tail() */
export function qdisc_enqueue_tail(skb: SkBuff, sch: Qdisc): number {
  qdisc_qstats_backlog_inc(sch, skb);
  sch.q.list.push(skb);
  sch.q.qlen++;
  return NET_XMIT_SUCCESS;
}

/** qdisc_dequeue_head() */
export function qdisc_dequeue_head(sch: Qdisc): SkBuff | null {
  const skb = sch.q.list.shift();
  if (!skb) return null;
  sch.q.qlen--;
  qdisc_qstats_backlog_dec(sch, skb);
  qdisc_bstats_update(sch, skb);
  return skb;
}

/** qdisc_peek_head() */
export function qdisc_peek_head(sch: Qdisc): SkBuff | null {
  return sch.q.list[0] ?? null;
}

/** __qdisc_queue_drop_head(): the head goes to to_free; returns its length. */
export function __qdisc_queue_drop_head(sch: Qdisc, to_free: ToFree): number {
  const skb = sch.q.list.shift();
  if (!skb) return 0;
  sch.q.qlen--;
  const len = qdisc_pkt_len(skb);
  sch.qstats.backlog -= len;
  to_free.push(skb);
  return len;
}

/** qdisc_reset_queue(): the generic reset, for qdiscs that keep their skbs in sch->q. */
export function qdisc_reset_queue(sch: Qdisc): void {
  const net = qdisc_dev(sch).net;
  for (const skb of sch.q.list.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
}

/** __qdisc_drop(): onto to_free. */
export function __qdisc_drop(skb: SkBuff, to_free: ToFree): void {
  to_free.push(skb);
}

/**
 * qdisc_drop(): counts the drop and hands skb to to_free; it is freed with
 * the reason tcf_set_drop_reason left (QDISC_DROP unless the qdisc said
 * otherwise). `why` explains the drop in `skbpath drops`.
 */
export function qdisc_drop(skb: SkBuff, sch: Qdisc, to_free: ToFree, why?: () => string): number {
  if (why) qdisc_skb_cb(skb).why = why;
  __qdisc_drop(skb, to_free);
  qdisc_qstats_drop(sch);
  return NET_XMIT_DROP;
}

/** qdisc_drop_reason() */
export function qdisc_drop_reason(skb: SkBuff, sch: Qdisc, to_free: ToFree, reason: number, why?: () => string): number {
  tcf_set_drop_reason(skb, reason, why);
  return qdisc_drop(skb, sch, to_free);
}

/** kfree_skb_list_reason(to_free, tcf_get_drop_reason(to_free)) at the end of __dev_xmit_skb. */
export function qdisc_free_list(dev: NetDevice, to_free: ToFree, location = '__dev_queue_xmit'): void {
  if (!to_free.length) return;
  const first = to_free[0] as SkBuff;
  const reason = first.cb.qdisc?.drop_reason ?? SKB_DROP_REASON.QDISC_DROP;
  for (const skb of to_free) kfree_skb_reason(dev.net, skb, reason, location, skb.cb.qdisc?.why);
  to_free.length = 0;
}

/** qdisc_tree_reduce_backlog(): n packets and len bytes left sch; the parents' counters follow. */
export function qdisc_tree_reduce_backlog(sch: Qdisc, n: number, len: number): void {
  if (n === 0 && len === 0) return;
  const dev = qdisc_dev(sch);
  let q: Qdisc | null = sch;
  while (q) {
    const parentid = q.parent;
    if (q.flags & TCQ_F_NOPARENT || parentid === TC_H_ROOT || parentid === 0) break;
    const p = qdisc_lookup_in_dev(dev, TC_H_MAJ(parentid));
    if (!p) break;
    const cops = p.ops.cl_ops;
    if (cops?.qlen_notify && q.q.qlen === 0 && n) {
      const cl = cops.find(p, parentid);
      if (cl) cops.qlen_notify(p, cl);
    }
    p.q.qlen -= n;
    p.qstats.backlog -= len;
    p.qstats.drops += n;
    q = p;
  }
}

/** qdisc_lookup() without the ingress side: the root, its hashed children. */
function qdisc_lookup_in_dev(dev: NetDevice, handle: number): Qdisc | null {
  const root = dev.qdisc;
  if (root && root.handle === handle) return root;
  for (const q of dev.qdiscHash) if (q.handle === handle) return q;
  return null;
}

// --- tracepoints (include/trace/events/qdisc.h) ---

function hx(h: number): string {
  return (h >>> 0).toString(16).toUpperCase();
}

function majmin(h: number): string {
  return `${(TC_H_MAJ(h) >>> 16).toString(16)}:${TC_H_MIN(h).toString(16)}`;
}

/** trace_qdisc_enqueue() */
export function trace_qdisc_enqueue(q: Qdisc, txq: NetdevQueue, skb: SkBuff): void {
  const k = txq.dev.net.kernel;
  if (!k.tracer.enabled) return;
  k.tracer.emit(
    'qdisc_enqueue',
    `enqueue ifindex=${txq.dev.ifindex} qdisc handle=0x${hx(q.handle)} parent=0x${hx(q.parent)} skbaddr=${skbaddr(skb)}`,
    txq.dev.net.name,
  );
}

/** trace_qdisc_dequeue() */
export function trace_qdisc_dequeue(q: Qdisc, txq: NetdevQueue, packets: number, skb: SkBuff | null): void {
  const k = txq.dev.net.kernel;
  if (!k.tracer.enabled) return;
  k.tracer.emit(
    'qdisc_dequeue',
    `dequeue ifindex=${txq.dev.ifindex} qdisc handle=0x${hx(q.handle)} parent=0x${hx(q.parent)} txq_state=0x${hx(txq.state)} packets=${skb ? packets : 0} skbaddr=${skb ? skbaddr(skb) : '0000000000000000'}`,
    txq.dev.net.name,
  );
}

/** trace_qdisc_reset() / trace_qdisc_destroy() */
function trace_qdisc_life(event: 'qdisc_reset' | 'qdisc_destroy', q: Qdisc): void {
  const dev = qdisc_dev(q);
  const k = dev.net.kernel;
  if (!k.tracer.enabled) return;
  k.tracer.emit(event, `dev=${dev.name} kind=${q.ops.id} parent=${majmin(q.parent)} handle=${majmin(q.handle)}`, dev.net.name);
}

/** trace_qdisc_create() */
export function trace_qdisc_create(ops: Qdisc_ops, dev: NetDevice, parent: number): void {
  const k = dev.net.kernel;
  if (!k.tracer.enabled) return;
  k.tracer.emit('qdisc_create', `dev=${dev.name} kind=${ops.id} parent=${majmin(parent)}`, dev.net.name);
}

// --- running (sch_generic.h: qdisc_run_begin/end, qdisc_run) ---

function test_bit(nr: number, v: number): boolean {
  return (v & (1 << nr)) !== 0;
}

/** qdisc_is_running() */
export function qdisc_is_running(q: Qdisc): boolean {
  return test_bit(__QDISC_STATE2_RUNNING, q.state2);
}

/** qdisc_run_begin(): false when another context runs it (NOLOCK: noted as MISSED). */
export function qdisc_run_begin(q: Qdisc): boolean {
  if (q.state2 & (1 << __QDISC_STATE2_RUNNING)) {
    if (q.flags & TCQ_F_NOLOCK) q.state |= 1 << __QDISC_STATE_MISSED;
    return false;
  }
  q.state2 |= 1 << __QDISC_STATE2_RUNNING;
  return true;
}

/** qdisc_run_end(): a NOLOCK qdisc that missed a run reschedules itself. */
export function qdisc_run_end(q: Qdisc): void {
  q.state2 &= ~(1 << __QDISC_STATE2_RUNNING);
  if (q.flags & TCQ_F_NOLOCK && test_bit(__QDISC_STATE_MISSED, q.state)) __netif_schedule(q);
}

/** qdisc_run() */
export function qdisc_run(q: Qdisc): void {
  if (qdisc_run_begin(q)) {
    __qdisc_run(q);
    qdisc_run_end(q);
  }
}

/** netif_xmit_frozen_or_stopped() */
export function netif_xmit_frozen_or_stopped(txq: NetdevQueue): boolean {
  return (txq.state & ((1 << __QUEUE_STATE_DRV_XOFF) | (1 << __QUEUE_STATE_STACK_XOFF) | (1 << __QUEUE_STATE_FROZEN))) !== 0;
}

/** qdisc_maybe_clear_missed() */
function qdisc_maybe_clear_missed(q: Qdisc, txq: NetdevQueue): void {
  q.state &= ~(1 << __QDISC_STATE_MISSED);
  if (!netif_xmit_frozen_or_stopped(txq)) q.state |= 1 << __QDISC_STATE_MISSED;
}

// --- the transmit engine ---

function outputQueue(k: Kernel): Qdisc[] {
  let q = k.outputQueue;
  if (!q) {
    const list: Qdisc[] = [];
    k.outputQueue = list;
    k.sim.cpu.openSoftirq(NET_TX_SOFTIRQ, () => net_tx_action(k));
    q = list;
  }
  return q;
}

/** dev_qdisc_enqueue() (net/core/dev.c) */
export function dev_qdisc_enqueue(skb: SkBuff, q: Qdisc, to_free: ToFree, txq: NetdevQueue): number {
  kprobe(txq.dev.net, skb, 'dev_qdisc_enqueue');
  const enqueue = q.enqueue as NonNullable<Qdisc['enqueue']>;
  const rc = enqueue(skb, q, to_free) & NET_XMIT_MASK;
  if (rc === NET_XMIT_SUCCESS) trace_qdisc_enqueue(q, txq, skb);
  return rc;
}

/** nolock_qdisc_is_empty() / qdisc_qlen() == 0 with nothing requeued */
function qdisc_is_empty(q: Qdisc): boolean {
  return q.q.qlen === 0 && q.gso_skb.length === 0;
}

/**
 * __dev_xmit_skb() (net/core/dev.c, inlined in __dev_queue_xmit): bypass an
 * empty work-conserving queue, or enqueue and run it. Takes ownership of skb.
 */
export function __dev_xmit_skb(skb: SkBuff, q: Qdisc, dev: NetDevice, txq: NetdevQueue): number {
  const to_free: ToFree = [];
  let rc: number;
  qdisc_pkt_len_init(skb);
  if (q.flags & TCQ_F_NOLOCK) {
    if (q.flags & TCQ_F_CAN_BYPASS && qdisc_is_empty(q) && qdisc_run_begin(q)) {
      qdisc_bstats_update(q, skb);
      if (sch_direct_xmit(validate_xmit_skb(skb, dev), q, dev, txq, true) && !qdisc_is_empty(q)) __qdisc_run(q);
      qdisc_run_end(q);
      return NET_XMIT_SUCCESS;
    }
    rc = dev_qdisc_enqueue(skb, q, to_free, txq);
    qdisc_run(q);
    qdisc_free_list(dev, to_free);
    return rc;
  }
  if (q.owner === 0) {
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.TC_RECLASSIFY_LOOP, '__dev_queue_xmit');
    return NET_XMIT_DROP;
  }
  if (test_bit(__QDISC_STATE_DEACTIVATED, q.state)) {
    __qdisc_drop(skb, to_free);
    rc = NET_XMIT_DROP;
  } else if (q.flags & TCQ_F_CAN_BYPASS && q.q.qlen === 0 && qdisc_run_begin(q)) {
    // a work-conserving queue with nothing waiting: straight to the driver
    qdisc_bstats_update(q, skb);
    if (sch_direct_xmit(validate_xmit_skb(skb, dev), q, dev, txq, true)) __qdisc_run(q);
    qdisc_run_end(q);
    rc = NET_XMIT_SUCCESS;
  } else {
    q.owner = 0;
    rc = dev_qdisc_enqueue(skb, q, to_free, txq);
    q.owner = -1;
    if (qdisc_run_begin(q)) {
      __qdisc_run(q);
      qdisc_run_end(q);
    }
  }
  qdisc_free_list(dev, to_free);
  return rc;
}

/** dequeue_skb(): the requeued skbs first, nothing while the TX queue is stopped. */
function dequeue_skb(q: Qdisc): { skbs: SkBuff[]; validate: boolean } | null {
  const txq = q.dev_queue;
  let skbs: SkBuff[] | null = null;
  let validate = true;
  if (q.gso_skb.length) {
    // skbs in gso_skb were validated already
    validate = false;
    if (!netif_xmit_frozen_or_stopped(txq)) {
      skbs = q.gso_skb;
      q.gso_skb = [];
      for (const skb of skbs) {
        qdisc_qstats_backlog_dec(q, skb);
        q.q.qlen--;
      }
    } else qdisc_maybe_clear_missed(q, txq);
  } else {
    if (q.flags & TCQ_F_ONETXQUEUE && netif_xmit_frozen_or_stopped(txq)) {
      qdisc_maybe_clear_missed(q, txq);
      return null;
    }
    const skb = q.dequeue(q);
    if (skb) {
      kprobe(qdisc_dev(q).net, skb, 'dequeue_skb');
      skbs = [skb];
      // qdisc_may_bulk(): try_bulk_dequeue_skb() takes what BQL allows (nothing for a
      // driver without BQL); a multiqueue device's root takes try_bulk_dequeue_skb_slow()
      if (!(q.flags & TCQ_F_ONETXQUEUE)) try_bulk_dequeue_skb_slow(q, skbs);
    }
  }
  trace_qdisc_dequeue(q, txq, skbs?.length ?? 0, skbs?.[0] ?? null);
  return skbs ? { skbs, validate } : null;
}

/** try_bulk_dequeue_skb_slow(): up to 8 more skbs of the same TX queue (the simulated device has one). */
function try_bulk_dequeue_skb_slow(q: Qdisc, skbs: SkBuff[]): void {
  for (let cnt = 0; cnt < 8; cnt++) {
    const nskb = q.dequeue(q);
    if (!nskb) break;
    skbs.push(nskb);
  }
}

/** dev_requeue_skb(): back to the head of the qdisc, still counted in it. */
function dev_requeue_skb(skbs: SkBuff[], q: Qdisc): void {
  for (const skb of skbs) {
    q.gso_skb.push(skb);
    q.qstats.requeues++;
    qdisc_qstats_backlog_inc(q, skb);
    q.q.qlen++;
  }
  if (q.flags & TCQ_F_NOLOCK) q.state |= 1 << __QDISC_STATE_MISSED;
  else __netif_schedule(q);
}

/**
 * validate_xmit_skb(): what the device cannot do is done here: a GSO skb
 * for a device without TSO is segmented (skb_gso_segment → tcp4_gso_segment),
 * a CHECKSUM_PARTIAL skb for one without checksum offload gets its checksum
 * (skb_checksum_help). Returns the skbs to hand to the driver, in order.
 */
export function validate_xmit_skb(skb: SkBuff, dev: NetDevice): SkBuff[] {
  const caps = dev.ops.ndo_offloads?.(dev);
  if (!caps) return [skb];
  const net = dev.net;
  kprobe(net, skb, 'validate_xmit_skb');
  if (skb.gsoSize && !caps.tso) {
    kprobe(net, skb, 'skb_gso_segment');
    kprobe(net, skb, 'inet_gso_segment');
    kprobe(net, skb, 'tcp4_gso_segment');
    skb.resetMacHeader();
    const frames = gso_frames(skb, !caps.csum);
    const l2 = skb.networkHeader - skb.data;
    const segs = frames.map((f) => {
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
      seg.ipSummed = caps.csum ? CHECKSUM_PARTIAL : CHECKSUM_NONE;
      return seg;
    });
    consume_skb(net, skb, 'validate_xmit_skb');
    return segs;
  }
  if (skb.ipSummed === CHECKSUM_PARTIAL && !caps.csum) {
    kprobe(net, skb, 'skb_checksum_help');
    skb_checksum_help(skb);
  }
  return [skb];
}

/**
 * sch_direct_xmit(): the driver gets the skbs; on NETDEV_TX_BUSY (or a
 * stopped queue) the rest are requeued. True: feel free to send more.
 */
export function sch_direct_xmit(list: SkBuff[], q: Qdisc, dev: NetDevice, txq: NetdevQueue, _validate: boolean): boolean {
  let ret = NETDEV_TX_OK;
  for (let i = 0; i < list.length; i++) {
    const skb = list[i] as SkBuff;
    kprobe(dev.net, skb, 'sch_direct_xmit');
    if (!netif_xmit_frozen_or_stopped(txq)) ret = dev_hard_start_xmit(skb, dev);
    else {
      qdisc_maybe_clear_missed(q, txq);
      ret = NETDEV_TX_BUSY;
    }
    if (ret === NETDEV_TX_BUSY) {
      dev_requeue_skb(list.slice(i), q);
      return false;
    }
  }
  return true;
}

/** qdisc_restart() (inl); `packets` is how many skbs dequeue_skb took */
function qdisc_restart(q: Qdisc, packets: { n: number }): boolean {
  const got = dequeue_skb(q);
  if (!got) return false;
  const dev = qdisc_dev(q);
  // validate_xmit_skb_list()
  const skbs = !got.validate
    ? got.skbs
    : got.skbs.length === 1
      ? validate_xmit_skb(got.skbs[0] as SkBuff, dev)
      : got.skbs.flatMap((skb) => validate_xmit_skb(skb, dev));
  packets.n = got.skbs.length;
  return sch_direct_xmit(skbs, q, dev, q.dev_queue, got.validate);
}

/** __qdisc_run(): up to dev_tx_weight packets, then the rest in net_tx_action. */
export function __qdisc_run(q: Qdisc): void {
  let quota = DEV_TX_WEIGHT;
  const packets = { n: 1 };
  while (qdisc_restart(q, packets)) {
    quota -= packets.n;
    if (quota <= 0) {
      if (q.flags & TCQ_F_NOLOCK) q.state |= 1 << __QDISC_STATE_MISSED;
      else __netif_schedule(q);
      break;
    }
  }
}

/** __netif_schedule(): onto the CPU's output_queue, NET_TX raised. */
export function __netif_schedule(q: Qdisc): void {
  if (test_bit(__QDISC_STATE_SCHED, q.state)) return;
  const k = qdisc_dev(q).net.kernel;
  q.state |= 1 << __QDISC_STATE_SCHED;
  outputQueue(k).push(q);
  k.sim.cpu.raiseSoftirq(NET_TX_SOFTIRQ);
}

/** netif_schedule_queue(): a queue that is not stopped gets its qdisc run. */
export function netif_schedule_queue(txq: NetdevQueue): void {
  if (!(txq.state & (1 << __QUEUE_STATE_DRV_XOFF)) && txq.qdisc) __netif_schedule(txq.qdisc);
}

/** netif_stop_queue() / netif_tx_stop_queue() */
export function netif_stop_queue(dev: NetDevice): void {
  dev.txq.state |= 1 << __QUEUE_STATE_DRV_XOFF;
}

/** netif_start_queue(): cleared without a reschedule. */
export function netif_start_queue(dev: NetDevice): void {
  dev.txq.state &= ~(1 << __QUEUE_STATE_DRV_XOFF);
}

/** netif_queue_stopped() */
export function netif_queue_stopped(dev: NetDevice): boolean {
  return (dev.txq.state & (1 << __QUEUE_STATE_DRV_XOFF)) !== 0;
}

/** netif_wake_queue() → netif_tx_wake_queue(): the stopped queue runs again from net_tx_action. */
export function netif_wake_queue(dev: NetDevice): void {
  const txq = dev.txq;
  const was = (txq.state & (1 << __QUEUE_STATE_DRV_XOFF)) !== 0;
  txq.state &= ~(1 << __QUEUE_STATE_DRV_XOFF);
  if (was && txq.qdisc) __netif_schedule(txq.qdisc);
}

/** net_tx_action() (net/core/dev.c): runs the qdiscs on the output queue. */
export function net_tx_action(k: Kernel): void {
  const list = outputQueue(k).splice(0);
  for (const q of list) {
    if (q.flags & TCQ_F_NOLOCK && test_bit(__QDISC_STATE_DEACTIVATED, q.state)) {
      q.state &= ~(1 << __QDISC_STATE_SCHED);
      continue;
    }
    q.state &= ~(1 << __QDISC_STATE_SCHED);
    qdisc_run(q);
  }
}

// --- the watchdog (net/sched/sch_api.c: qdisc_watchdog_*) ---

/** struct qdisc_watchdog: an hrtimer that reschedules a throttled qdisc. */
export interface QdiscWatchdog {
  qdisc: Qdisc;
  timer: import('../../sim/events.ts').Timer;
  last_expires: number;
}

/** qdisc_watchdog_init() */
export function qdisc_watchdog_init(qdisc: Qdisc): QdiscWatchdog {
  const sim = qdisc_dev(qdisc).net.kernel.sim;
  const wd: QdiscWatchdog = { qdisc, timer: null as unknown as QdiscWatchdog['timer'], last_expires: 0 };
  wd.timer = sim.timer(qdisc_watchdog, wd);
  return wd;
}

/** qdisc_watchdog(): the timer fired; the root qdisc runs again. */
function qdisc_watchdog(wd: QdiscWatchdog): void {
  __netif_schedule(qdisc_root(wd.qdisc));
}

/** qdisc_root(): the root qdisc of q's device queue. */
export function qdisc_root(q: Qdisc): Qdisc {
  return q.dev_queue.qdisc_sleeping ?? q;
}

/** qdisc_watchdog_schedule_range_ns(): fire at `expires` (ns of the simulated clock), unless already due by then. */
export function qdisc_watchdog_schedule_ns(wd: QdiscWatchdog, expires: number, delta_ns = 0): void {
  if (test_bit(__QDISC_STATE_DEACTIVATED, qdisc_root(wd.qdisc).state)) return;
  const sim = qdisc_dev(wd.qdisc).net.kernel.sim;
  if (wd.last_expires === expires && wd.timer.expires >= 0) return;
  if (wd.timer.expires >= 0 && wd.last_expires - expires <= delta_ns && wd.last_expires >= expires) return;
  wd.last_expires = expires;
  sim.modTimer(wd.timer, Math.max(expires, sim.now));
}

/** qdisc_watchdog_cancel() */
export function qdisc_watchdog_cancel(wd: QdiscWatchdog): void {
  qdisc_dev(wd.qdisc).net.kernel.sim.delTimer(wd.timer);
}

// --- the built-in qdiscs ---

/** noqueue_init(): no enqueue — __dev_queue_xmit takes the direct path. */
export const noqueue_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'noqueue',
  priv: () => null,
  // noop_enqueue(), never reached: init takes enqueue away
  enqueue: (skb, sch, to_free) => {
    qdisc_dev(sch).stats.tx_dropped++;
    __qdisc_drop(skb, to_free);
    return NET_XMIT_CN;
  },
  dequeue: () => null,
  peek: () => null,
  init: (sch) => {
    sch.enqueue = null;
    return 0;
  },
};

/** sch_default_prio2band: TC_PRIO_* → band of pfifo_fast. */
export const sch_default_prio2band: readonly number[] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
const PFIFO_FAST_BANDS = 3;

interface PfifoFastPriv {
  /** one skb_array of tx_queue_len slots per band */
  bands: SkBuff[][];
  ring: number;
}

/** pfifo_fast: three bands by skb->priority, each a ring of tx_queue_len; lockless (TCQ_F_NOLOCK). */
export const pfifo_fast_ops: Readonly<Qdisc_ops> = {
  id: 'pfifo_fast',
  static_flags: TCQ_F_NOLOCK | TCQ_F_CPUSTATS,
  priv: () => ({ bands: [[], [], []], ring: 0 }),
  enqueue: (skb, sch, to_free) => {
    kprobe(qdisc_dev(sch).net, skb, 'pfifo_fast_enqueue');
    const band = sch_default_prio2band[skb.priority & TC_PRIO_MAX] as number;
    const priv = qdisc_priv<PfifoFastPriv>(sch);
    const list = priv.bands[band] as SkBuff[];
    if (list.length >= priv.ring) {
      // skb_array_produce() found the band's ring full
      tcf_set_drop_reason(
        skb,
        SKB_DROP_REASON.QDISC_OVERLIMIT,
        () => `${qdisc_name(sch)}: band ${band} holds txqueuelen ${priv.ring} packets (the driver stopped its TX queue)`,
      );
      return qdisc_drop(skb, sch, to_free);
    }
    list.push(skb);
    // qdisc_update_stats_at_enqueue()
    sch.qstats.backlog += qdisc_pkt_len(skb);
    sch.q.qlen++;
    return NET_XMIT_SUCCESS;
  },
  dequeue: (sch) => {
    for (const list of qdisc_priv<PfifoFastPriv>(sch).bands) {
      const skb = list.shift();
      if (!skb) continue;
      // qdisc_update_stats_at_dequeue()
      sch.qstats.backlog -= qdisc_pkt_len(skb);
      sch.q.qlen--;
      qdisc_bstats_update(sch, skb);
      return skb;
    }
    return null;
  },
  peek: (sch) => {
    for (const list of qdisc_priv<PfifoFastPriv>(sch).bands) if (list.length) return list[0] as SkBuff;
    return null;
  },
  init: (sch) => {
    const qlen = qdisc_dev(sch).txQueueLen;
    // guard against zero length rings
    if (!qlen) return -EINVAL;
    qdisc_priv<PfifoFastPriv>(sch).ring = qlen;
    sch.flags |= TCQ_F_CAN_BYPASS;
    return 0;
  },
  reset: (sch) => {
    const net = qdisc_dev(sch).net;
    for (const list of qdisc_priv<PfifoFastPriv>(sch).bands)
      for (const skb of list.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  },
  change_tx_queue_len: (sch, len) => {
    qdisc_priv<PfifoFastPriv>(sch).ring = len;
    return 0;
  },
  dump: () => ({ bands: PFIFO_FAST_BANDS, priomap: [...sch_default_prio2band] }),
};

// --- allocation and life (sch_generic.c) ---

/** qdisc_alloc() */
export function qdisc_alloc(dev_queue: NetdevQueue, ops: Qdisc_ops): Qdisc {
  return new Qdisc(ops, dev_queue);
}

/** qdisc_create_dflt(): a default qdisc (handle 0 unless given) of `ops` under parentid. */
export function qdisc_create_dflt(dev_queue: NetdevQueue, ops: Qdisc_ops, parentid: number, extack: NetlinkExtAck): Qdisc | null {
  const sch = qdisc_alloc(dev_queue, ops);
  sch.parent = parentid;
  if (!ops.init || ops.init(sch, undefined, extack) === 0) {
    trace_qdisc_create(ops, qdisc_dev(sch), parentid);
    return sch;
  }
  qdisc_put(sch);
  return null;
}

/** qdisc_reset(): everything the qdisc holds is freed. */
export function qdisc_reset(qdisc: Qdisc): void {
  trace_qdisc_life('qdisc_reset', qdisc);
  qdisc.ops.reset?.(qdisc);
  const net = qdisc_dev(qdisc).net;
  for (const skb of qdisc.gso_skb.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  for (const skb of qdisc.skb_bad_txq.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  qdisc.q.qlen = 0;
  qdisc.q.list.length = 0;
  qdisc.qstats.backlog = 0;
}

/** __qdisc_destroy(): off the device's hash, reset, ops->destroy. */
export function qdisc_destroy(qdisc: Qdisc): void {
  qdisc_hash_del(qdisc);
  qdisc_reset(qdisc);
  qdisc.ops.destroy?.(qdisc);
  gen_kill_estimator(qdisc);
  trace_qdisc_life('qdisc_destroy', qdisc);
}

/** qdisc_put(): the last reference destroys it. */
export function qdisc_put(qdisc: Qdisc | null): void {
  if (!qdisc || qdisc.flags & TCQ_F_BUILTIN) return;
  if (--qdisc.refcnt > 0) return;
  qdisc_destroy(qdisc);
}

/** qdisc_hash_add(): a child qdisc qdisc_lookup can find (the root and ingress are found through the device). */
export function qdisc_hash_add(q: Qdisc, invisible: boolean): void {
  if (q.parent === TC_H_ROOT || q.flags & TCQ_F_INGRESS) return;
  const dev = qdisc_dev(q);
  if (!dev.qdiscHash.includes(q)) dev.qdiscHash.push(q);
  if (invisible) q.flags |= TCQ_F_INVISIBLE;
}

/** qdisc_hash_del() */
export function qdisc_hash_del(q: Qdisc): void {
  const dev = qdisc_dev(q);
  const at = dev.qdiscHash.indexOf(q);
  if (at >= 0) dev.qdiscHash.splice(at, 1);
}

/** dev_graft_qdisc(): `qdisc` (null: noop) becomes the queue's sleeping qdisc; returns the old one. */
export function dev_graft_qdisc(dev_queue: NetdevQueue, qdisc: Qdisc | null): Qdisc | null {
  const oqdisc = dev_queue.qdisc_sleeping;
  dev_queue.qdisc_sleeping = qdisc;
  dev_queue.qdisc = null;
  return oqdisc;
}

/** attach_one_default_qdisc() + attach_default_qdiscs(): noqueue for IFF_NO_QUEUE devices, else net.core.default_qdisc. */
function attach_default_qdiscs(dev: NetDevice): void {
  const txq = dev.txq;
  const extack: NetlinkExtAck = { msg: null };
  const ops: Qdisc_ops = dev.noQueue ? noqueue_qdisc_ops : (dev.net.kernel.defaultQdiscOps ?? pfifo_fast_ops);
  let qdisc = qdisc_create_dflt(txq, ops, TC_H_ROOT, extack);
  if (!qdisc) {
    // the default's init failed (pfifo_fast with txqueuelen 0): noqueue, as "default qdisc (%s) fail, fallback to %s"
    dev.net.kernel.kmsg.printk(6, `${dev.name}: default qdisc (${ops.id}) fail, fallback to noqueue`);
    qdisc = qdisc_create_dflt(txq, noqueue_qdisc_ops, TC_H_ROOT, extack) as Qdisc;
  }
  qdisc.flags |= TCQ_F_ONETXQUEUE;
  txq.qdisc_sleeping = qdisc;
  dev.qdisc = qdisc;
  qdisc.refcnt++;
}

/**
 * dev_activate(): the default qdisc at the first up (or after the root was
 * deleted); the sleeping qdisc becomes the active one unless the carrier is off.
 */
export function dev_activate(dev: NetDevice): void {
  if (dev.qdisc === null) attach_default_qdiscs(dev);
  // transition_one_qdisc()
  const txq = dev.txq;
  const q = txq.qdisc_sleeping;
  if (q) q.state &= ~(1 << __QDISC_STATE_DEACTIVATED);
  txq.qdisc = q;
}

/** dev_deactivate(): noop in the TX queue, the sleeping qdisc reset. */
export function dev_deactivate(dev: NetDevice): void {
  const txq = dev.txq;
  const q = txq.qdisc_sleeping;
  txq.qdisc = null;
  if (!q) return;
  q.state |= 1 << __QDISC_STATE_DEACTIVATED;
  // synchronize_net(); dev_reset_queue()
  qdisc_reset(q);
  q.state &= ~(1 << __QDISC_STATE_SCHED);
  const k = dev.net.kernel;
  const oq = k.outputQueue;
  if (oq) {
    const at = oq.indexOf(q);
    if (at >= 0) oq.splice(at, 1);
  }
}

/** dev_shutdown(): at unregister, every qdisc goes; noop until the next dev_activate. */
export function dev_shutdown(dev: NetDevice): void {
  const txq = dev.txq;
  const q = dev_graft_qdisc(txq, null);
  if (q) qdisc_put(q);
  const root = dev.qdisc;
  dev.qdisc = null;
  if (root) qdisc_put(root);
  const ing = dev.ingressQueue;
  if (ing?.qdisc_sleeping) {
    const iq = ing.qdisc_sleeping;
    ing.qdisc_sleeping = null;
    ing.qdisc = null;
    qdisc_put(iq);
  }
  dev.qdiscHash.length = 0;
}

/** dev_qdisc_change_tx_queue_len(): txqueuelen changed; a qdisc that sizes by it follows. */
export function dev_qdisc_change_tx_queue_len(dev: NetDevice): number {
  const q = dev.txq.qdisc_sleeping;
  if (q?.ops.change_tx_queue_len) return q.ops.change_tx_queue_len(q, dev.txQueueLen);
  return 0;
}

/** noop_enqueue(): what a down device or one without carrier does with what it is given. */
export function noop_enqueue(skb: SkBuff, dev: NetDevice, why: () => string): number {
  dev.stats.tx_dropped++;
  kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.QDISC_DROP, '__dev_queue_xmit', why);
  return NET_XMIT_CN;
}
