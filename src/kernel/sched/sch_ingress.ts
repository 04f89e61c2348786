// net/sched/sch_ingress.c: the ingress qdisc (handle ffff:, parent
// ffff:fff1) and clsact (the same place, with an ingress block at ffff:fff2
// and an egress block at ffff:fff3). Neither queues: each publishes its
// block as the device's mini_Qdisc (dev->tcx_ingress / tcx_egress), which
// net/core/dev.c's sch_handle_ingress() (in __netif_receive_skb_core, after
// the taps) and sch_handle_egress() (in __dev_queue_xmit, before the qdisc)
// run through tc_run() → tcf_classify(). Those two and tc_run() live here,
// with dev.c's names; dev.ts calls them.
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { NET_RX_DROP, NET_RX_SUCCESS, NET_XMIT_DROP, NET_XMIT_SUCCESS } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { EOPNOTSUPP } from '../uapi/errno.ts';
import {
  TC_ACT_CONSUMED,
  TC_ACT_OK,
  TC_ACT_QUEUED,
  TC_ACT_RECLASSIFY,
  TC_ACT_REDIRECT,
  TC_ACT_SHOT,
  TC_ACT_STOLEN,
  TC_ACT_TRAP,
  TC_ACT_UNSPEC,
} from '../uapi/pkt_cls.ts';
import { tcf_get_drop_reason, tcf_set_drop_reason } from './act_api.ts';
import { type TcfBlock, type TcfProto, tcf_block_filter_list, tcf_block_get, tcf_block_put, tcf_classify, tcf_result } from './cls_api.ts';
import {
  type NetlinkExtAck,
  type Qdisc,
  type Qdisc_class_ops,
  type Qdisc_ops,
  type TcfBlock as SchTcfBlock,
  type ToFree,
  qdisc_dev,
  qdisc_priv,
} from './sch_generic.ts';

/** TCQ_F_INGRESS, TCQ_F_CPUSTATS (as sch_generic.ts; plain values: dev.ts reaches this file while sch_generic.ts is still loading) */
const TCQ_F_INGRESS = 2;
const TCQ_F_CPUSTATS = 0x20;
/** QDISC_CLASS_OPS_DOIT_UNLOCKED */
const QDISC_CLASS_OPS_DOIT_UNLOCKED = 1;

export const TC_H_INGRESS = 0xfffffff1;
export const TC_H_MIN_INGRESS = 0xfff2;
export const TC_H_MIN_EGRESS = 0xfff3;

/** The counters ingress/clsact keep (the qdisc's bstats and qstats, which `tc -s qdisc` shows). */
export interface TcxStats {
  bstats: { bytes: number; packets: number };
  qstats: { qlen: number; backlog: number; drops: number; requeues: number; overlimits: number };
}

/** struct mini_Qdisc: a block and the owning qdisc's counters. */
export interface MiniQdisc {
  readonly block: TcfBlock;
  readonly stats: TcxStats;
}

/** struct ingress_sched_data / clsact_sched_data */
export interface IngressSchedData {
  /** ingress: its one block; clsact: the ingress block */
  ingress_block: TcfBlock | null;
  /** clsact only */
  egress_block: TcfBlock | null;
}

/** ingress_init(): parent must be ffff:fff1; publishes the block as dev->tcx_ingress. */
function ingress_init(sch: Qdisc, _opt: unknown, _extack: NetlinkExtAck): number {
  if (sch.parent >>> 0 !== TC_H_INGRESS) return -EOPNOTSUPP;
  const dev = qdisc_dev(sch);
  const p = qdisc_priv<IngressSchedData>(sch);
  p.ingress_block = tcf_block_get(dev.net, sch);
  dev.tcxIngress = { block: p.ingress_block, stats: sch };
  return 0;
}

/** clsact_init(): both blocks, published as dev->tcx_ingress and dev->tcx_egress. */
function clsact_init(sch: Qdisc, _opt: unknown, _extack: NetlinkExtAck): number {
  if (sch.parent >>> 0 !== TC_H_INGRESS) return -EOPNOTSUPP;
  const dev = qdisc_dev(sch);
  const p = qdisc_priv<IngressSchedData>(sch);
  p.ingress_block = tcf_block_get(dev.net, sch);
  p.egress_block = tcf_block_get(dev.net, sch);
  dev.tcxIngress = { block: p.ingress_block, stats: sch };
  dev.tcxEgress = { block: p.egress_block, stats: sch };
  return 0;
}

/** ingress_destroy() / clsact_destroy(): the blocks go and the hooks are off. */
function ingress_destroy(sch: Qdisc): void {
  const dev = qdisc_dev(sch);
  const p = qdisc_priv<IngressSchedData>(sch);
  if (p.ingress_block) {
    if (dev.tcxIngress?.block === p.ingress_block) dev.tcxIngress = null;
    tcf_block_put(p.ingress_block);
    p.ingress_block = null;
  }
  if (p.egress_block) {
    if (dev.tcxEgress?.block === p.egress_block) dev.tcxEgress = null;
    tcf_block_put(p.egress_block);
    p.egress_block = null;
  }
}

/** ingress_find(): any minor is the one class. */
function ingress_find(_q: Qdisc, classid: number): number {
  return (classid & 0xffff) + 1;
}

/** clsact_find(): ffff:fff2 and ffff:fff3 are its two classes. */
function clsact_find(_q: Qdisc, classid: number): number {
  switch (classid & 0xffff) {
    case TC_H_MIN_INGRESS:
    case TC_H_MIN_EGRESS:
      return classid & 0xffff;
    default:
      return 0;
  }
}

/** A qdisc that queues nothing: ingress and clsact are never a TX queue's qdisc. */
function no_enqueue(skb: SkBuff, sch: Qdisc, to_free: ToFree): number {
  void sch;
  to_free.push(skb);
  return NET_XMIT_DROP;
}

const ingress_class_ops: Readonly<Qdisc_class_ops> = {
  flags: QDISC_CLASS_OPS_DOIT_UNLOCKED,
  leaf: () => null,
  find: ingress_find,
  walk: () => {},
  tcf_block: (sch) => qdisc_priv<IngressSchedData>(sch).ingress_block as unknown as SchTcfBlock,
  bind_tcf: (sch, _parent, classid) => ingress_find(sch, classid),
  unbind_tcf: () => {},
  dump: () => 0,
};

const clsact_class_ops: Readonly<Qdisc_class_ops> = {
  flags: QDISC_CLASS_OPS_DOIT_UNLOCKED,
  leaf: () => null,
  find: clsact_find,
  walk: () => {},
  tcf_block: (sch, cl) => {
    const p = qdisc_priv<IngressSchedData>(sch);
    if (cl === TC_H_MIN_INGRESS) return p.ingress_block as unknown as SchTcfBlock;
    if (cl === TC_H_MIN_EGRESS) return p.egress_block as unknown as SchTcfBlock;
    return null;
  },
  bind_tcf: (sch, _parent, classid) => clsact_find(sch, classid),
  unbind_tcf: () => {},
  dump: () => 0,
};

/** ingress_qdisc_ops: TCA_OPTIONS dumps as an empty nest (tc prints its dashes). */
export const ingress_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'ingress',
  cl_ops: ingress_class_ops,
  static_flags: TCQ_F_INGRESS | TCQ_F_CPUSTATS,
  priv: (): IngressSchedData => ({ ingress_block: null, egress_block: null }),
  enqueue: no_enqueue,
  dequeue: () => null,
  peek: () => null,
  init: ingress_init,
  destroy: ingress_destroy,
  dump: () => ({}),
};

/** clsact_qdisc_ops */
export const clsact_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'clsact',
  cl_ops: clsact_class_ops,
  static_flags: TCQ_F_INGRESS | TCQ_F_CPUSTATS,
  priv: (): IngressSchedData => ({ ingress_block: null, egress_block: null }),
  enqueue: no_enqueue,
  dequeue: () => null,
  peek: () => null,
  init: clsact_init,
  destroy: ingress_destroy,
  dump: () => ({}),
};

// --- net/core/dev.c ---

/** tc_run(): the mini_Qdisc's filters; counts the packet, and a drop. */
function tc_run(miniq: MiniQdisc | null, skb: SkBuff, drop: { reason: number; tp?: TcfProto | null }): number {
  if (!miniq) return TC_ACT_UNSPEC;
  tcf_set_drop_reason(skb, drop.reason);
  // mini_qdisc_bstats_cpu_update()
  miniq.stats.bstats.bytes += skb.len;
  miniq.stats.bstats.packets++;
  const res = tcf_result();
  const ret = tcf_classify(skb, miniq.block, tcf_block_filter_list(miniq.block), res, false);
  switch (ret) {
    case TC_ACT_SHOT:
      drop.reason = tcf_get_drop_reason(skb);
      drop.tp = res.tp;
      miniq.stats.qstats.drops++;
      break;
    case TC_ACT_OK:
    case TC_ACT_RECLASSIFY:
      skb.tcIndex = res.classid & 0xffff;
      break;
  }
  return ret;
}

/**
 * sch_handle_ingress() (inl): in __netif_receive_skb_core after the taps
 * (the last tap gets its copy first). Returns the skb to go on with, or null
 * when tc took it (redirected, stolen or dropped); `another` when a redirect
 * asks for another round.
 */
export function sch_handle_ingress(skb: SkBuff, out: { ret: number; another: boolean }): SkBuff | null {
  const dev = skb.dev as NetDevice;
  const entry = dev.tcxIngress;
  if (!entry) return skb;
  const net = dev.net;
  kprobe(net, skb, 'sch_handle_ingress');
  const drop: { reason: number; tp?: TcfProto | null } = { reason: SKB_DROP_REASON.TC_INGRESS };
  // qdisc_skb_cb(skb)->pkt_len = skb->len; tcx_set_ingress(skb, true)
  skb.tcAtIngress = true;
  const sch_ret = tc_run(entry, skb, drop);
  switch (sch_ret) {
    case TC_ACT_REDIRECT:
      // skb_do_redirect() is bpf_redirect's; classic programs never ask for it
      skb.push(skb.macLen);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__netif_receive_skb_core.constprop.0');
      out.ret = NET_RX_DROP;
      return null;
    case TC_ACT_SHOT:
      kfree_skb_reason(
        net,
        skb,
        drop.reason,
        '__netif_receive_skb_core.constprop.0',
        () => `tc ingress on ${dev.name}: ${tc_why(drop.tp)}`,
      );
      out.ret = NET_RX_DROP;
      return null;
    case TC_ACT_STOLEN:
    case TC_ACT_QUEUED:
    case TC_ACT_TRAP:
      consume_skb(net, skb, '__netif_receive_skb_core.constprop.0');
      out.ret = NET_RX_SUCCESS;
      return null;
    case TC_ACT_CONSUMED:
      out.ret = NET_RX_SUCCESS;
      return null;
  }
  return skb;
}

/**
 * sch_handle_egress() (inl): in __dev_queue_xmit before the qdisc and before
 * net_dev_queue. Returns the skb, or null when tc took it (*ret says what
 * the sender hears).
 */
export function sch_handle_egress(skb: SkBuff, dev: NetDevice, out: { ret: number }): SkBuff | null {
  const entry = dev.tcxEgress;
  if (!entry) return skb;
  const net = dev.net;
  kprobe(net, skb, 'sch_handle_egress');
  const drop: { reason: number; tp?: TcfProto | null } = { reason: SKB_DROP_REASON.TC_EGRESS };
  const sch_ret = tc_run(entry, skb, drop);
  switch (sch_ret) {
    case TC_ACT_REDIRECT:
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__dev_queue_xmit');
      out.ret = NET_XMIT_SUCCESS;
      return null;
    case TC_ACT_SHOT:
      kfree_skb_reason(net, skb, drop.reason, '__dev_queue_xmit', () => `tc egress on ${dev.name}: ${tc_why(drop.tp)}`);
      out.ret = NET_XMIT_DROP;
      return null;
    case TC_ACT_STOLEN:
    case TC_ACT_QUEUED:
    case TC_ACT_TRAP:
      consume_skb(net, skb, '__dev_queue_xmit');
      out.ret = NET_XMIT_SUCCESS;
      return null;
    case TC_ACT_CONSUMED:
      out.ret = NET_XMIT_SUCCESS;
      return null;
  }
  return skb;
}

/** What skbpath drops says about a TC_ACT_SHOT: the filter that gave it. */
function tc_why(tp: TcfProto | null | undefined): string {
  if (!tp) return 'the filters gave TC_ACT_SHOT';
  return `${tp.ops.kind} filter pref ${tp.prio >>> 16} chain ${tp.chain.index} gave TC_ACT_SHOT`;
}

/** skb_skip_tc_classify(): once, for an skb ifb re-injected. */
export function skb_skip_tc_classify(skb: SkBuff): boolean {
  if (skb.tcSkipClassify) {
    skb.tcSkipClassify = false;
    return true;
  }
  return false;
}
