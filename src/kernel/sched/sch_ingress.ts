// net/sched/sch_ingress.c: the ingress qdisc (handle ffff:, parent
// ffff:fff1) and clsact (the same place, with an ingress block at ffff:fff2
// and an egress block at ffff:fff3). Neither queues: each publishes its
// block as the device's mini_Qdisc (dev->tcx_ingress / tcx_egress), which
// net/core/dev.c's sch_handle_ingress() (in __netif_receive_skb_core, after
// the taps) and sch_handle_egress() (in __dev_queue_xmit, before the qdisc)
// run through tc_run() → tcf_classify(). Those two and tc_run() live here,
// with dev.c's names; dev.ts calls them.
import type { Net } from '../net_namespace.ts';
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
import { type TcfBlock, type TcfQdisc, tcf_block_filter_list, tcf_block_get, tcf_block_put, tcf_classify, tcf_result } from './cls_api.ts';

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

/** The private part of an ingress or clsact qdisc. */
export interface IngressSchedData {
  readonly dev: NetDevice;
  /** ingress: its one block; clsact: the ingress block */
  ingress_block: TcfBlock;
  /** clsact only */
  egress_block: TcfBlock | null;
}

/** ingress_init(): parent must be ffff:fff1; publishes the block as dev->tcx_ingress. */
export function ingress_init(
  net: Net,
  dev: NetDevice,
  q: TcfQdisc,
  parent: number,
  stats: TcxStats,
): { err: number; priv: IngressSchedData | null } {
  if (parent >>> 0 !== TC_H_INGRESS) return { err: -EOPNOTSUPP, priv: null };
  const block = tcf_block_get(net, q);
  dev.tcxIngress = { block, stats };
  return { err: 0, priv: { dev, ingress_block: block, egress_block: null } };
}

/** clsact_init(): both blocks, published as dev->tcx_ingress and dev->tcx_egress. */
export function clsact_init(
  net: Net,
  dev: NetDevice,
  q: TcfQdisc,
  parent: number,
  stats: TcxStats,
): { err: number; priv: IngressSchedData | null } {
  if (parent >>> 0 !== TC_H_INGRESS) return { err: -EOPNOTSUPP, priv: null };
  const ib = tcf_block_get(net, q);
  const eb = tcf_block_get(net, q);
  dev.tcxIngress = { block: ib, stats };
  dev.tcxEgress = { block: eb, stats };
  return { err: 0, priv: { dev, ingress_block: ib, egress_block: eb } };
}

/** ingress_destroy() / clsact_destroy(): the blocks go and the hooks are off. */
export function ingress_destroy(p: IngressSchedData): void {
  if (p.dev.tcxIngress?.block === p.ingress_block) p.dev.tcxIngress = null;
  tcf_block_put(p.ingress_block);
  if (p.egress_block) {
    if (p.dev.tcxEgress?.block === p.egress_block) p.dev.tcxEgress = null;
    tcf_block_put(p.egress_block);
  }
}

/** ingress_find(): any minor is the one class. */
export function ingress_find(_q: TcfQdisc, classid: number): number {
  return (classid & 0xffff) + 1;
}

/** ingress_tcf_block() */
export function ingress_tcf_block(p: IngressSchedData): TcfBlock {
  return p.ingress_block;
}

/** clsact_find(): ffff:fff2 and ffff:fff3 are its two classes. */
export function clsact_find(_q: TcfQdisc, classid: number): number {
  switch (classid & 0xffff) {
    case TC_H_MIN_INGRESS:
    case TC_H_MIN_EGRESS:
      return classid & 0xffff;
    default:
      return 0;
  }
}

/** clsact_tcf_block() */
export function clsact_tcf_block(p: IngressSchedData, cl: unknown): TcfBlock | null {
  switch (cl) {
    case TC_H_MIN_INGRESS:
      return p.ingress_block;
    case TC_H_MIN_EGRESS:
      return p.egress_block;
    default:
      return null;
  }
}

// --- net/core/dev.c ---

/** tc_run(): the mini_Qdisc's filters; counts the packet, and a drop. */
function tc_run(miniq: MiniQdisc | null, skb: SkBuff, drop: { reason: number }): number {
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
  const drop = { reason: SKB_DROP_REASON.TC_INGRESS };
  // qdisc_skb_cb(skb)->pkt_len = skb->len; tcx_set_ingress(skb, true)
  skb.tcAtIngress = true;
  const sch_ret = tc_run(entry, skb, drop);
  switch (sch_ret) {
    case TC_ACT_REDIRECT:
      // skb_do_redirect() is bpf_redirect's; classic programs never ask for it
      skb.push(skb.macLen);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__netif_receive_skb_core');
      out.ret = NET_RX_DROP;
      return null;
    case TC_ACT_SHOT:
      kfree_skb_reason(net, skb, drop.reason, '__netif_receive_skb_core', () => `tc ingress on ${dev.name} dropped it`);
      out.ret = NET_RX_DROP;
      return null;
    case TC_ACT_STOLEN:
    case TC_ACT_QUEUED:
    case TC_ACT_TRAP:
      consume_skb(net, skb, '__netif_receive_skb_core');
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
  const drop = { reason: SKB_DROP_REASON.TC_EGRESS };
  const sch_ret = tc_run(entry, skb, drop);
  switch (sch_ret) {
    case TC_ACT_REDIRECT:
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__dev_queue_xmit');
      out.ret = NET_XMIT_SUCCESS;
      return null;
    case TC_ACT_SHOT:
      kfree_skb_reason(net, skb, drop.reason, '__dev_queue_xmit', () => `tc egress on ${dev.name} dropped it`);
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

/** skb_skip_tc_classify(): once, for an skb ifb re-injected. */
export function skb_skip_tc_classify(skb: SkBuff): boolean {
  if (skb.tcSkipClassify) {
    skb.tcSkipClassify = false;
    return true;
  }
  return false;
}
