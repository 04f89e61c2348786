// net/sched/sch_fifo.c: pfifo (a limit in packets), bfifo (in bytes) and
// pfifo_head_drop (drops the oldest when full), and fifo_create_dflt() for
// the qdiscs that put a fifo under their classes (tbf, htb, netem …).
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { EINVAL } from '../uapi/errno.ts';
import { NET_XMIT_CN } from '../core/netdevice.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { TC_H_MAKE, type TcFifoQopt, type TcOptions } from '../uapi/pkt_sched.ts';
import {
  type NetlinkExtAck,
  type Qdisc,
  type Qdisc_ops,
  TCQ_F_CAN_BYPASS,
  __qdisc_queue_drop_head,
  qdisc_create_dflt,
  qdisc_dequeue_head,
  qdisc_dev,
  qdisc_drop,
  qdisc_name,
  qdisc_enqueue_tail,
  qdisc_peek_head,
  qdisc_pkt_len,
  qdisc_put,
  qdisc_qstats_drop,
  qdisc_reset_queue,
  qdisc_tree_reduce_backlog,
} from './sch_generic.ts';

/** psched_mtu(): the largest frame the device sends (mtu + link header). */
export function psched_mtu(dev: NetDevice): number {
  return dev.mtu + dev.hardHeaderLen;
}

function bfifo_enqueue(skb: SkBuff, sch: Qdisc, to_free: SkBuff[]): number {
  kprobe(qdisc_dev(sch).net, skb, 'bfifo_enqueue');
  const len = qdisc_pkt_len(skb);
  if (sch.qstats.backlog + len <= sch.limit) return qdisc_enqueue_tail(skb, sch);
  const backlog = sch.qstats.backlog;
  return qdisc_drop(skb, sch, to_free, () => `${qdisc_name(sch)}: backlog ${backlog}b + this ${len}b > limit ${sch.limit}b`);
}

function pfifo_enqueue(skb: SkBuff, sch: Qdisc, to_free: SkBuff[]): number {
  kprobe(qdisc_dev(sch).net, skb, 'pfifo_enqueue');
  if (sch.q.qlen < sch.limit) return qdisc_enqueue_tail(skb, sch);
  return qdisc_drop(skb, sch, to_free, () => `${qdisc_name(sch)}: limit ${sch.limit}p full`);
}

function pfifo_tail_enqueue(skb: SkBuff, sch: Qdisc, to_free: SkBuff[]): number {
  kprobe(qdisc_dev(sch).net, skb, 'pfifo_tail_enqueue');
  if (sch.limit === 0) return qdisc_drop(skb, sch, to_free, () => `${qdisc_name(sch)}: limit 0p`);
  if (sch.q.qlen < sch.limit) return qdisc_enqueue_tail(skb, sch);
  const prev_backlog = sch.qstats.backlog;
  // queue full: the oldest goes to make room
  const head = sch.q.list[0];
  if (head) {
    const qcb = head.cb.qdisc;
    if (qcb) qcb.why = () => `${qdisc_name(sch)}: limit ${sch.limit}p full, the oldest packet makes room`;
  }
  __qdisc_queue_drop_head(sch, to_free);
  qdisc_qstats_drop(sch);
  qdisc_enqueue_tail(skb, sch);
  qdisc_tree_reduce_backlog(sch, 0, prev_backlog - sch.qstats.backlog);
  return NET_XMIT_CN;
}

/** __fifo_init(): the limit from tc_fifo_qopt, or txqueuelen (× psched_mtu for bfifo). */
function __fifo_init(sch: Qdisc, opt: TcOptions | undefined, _extack: NetlinkExtAck): number {
  const is_bfifo = sch.ops === bfifo_qdisc_ops;
  const dev = qdisc_dev(sch);
  if (opt === undefined) {
    let limit = dev.txQueueLen;
    if (is_bfifo) limit *= psched_mtu(dev);
    sch.limit = limit >>> 0;
  } else {
    // nla_len(opt) < sizeof(struct tc_fifo_qopt)
    const limit = (opt as Partial<TcFifoQopt>).limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > 0xffffffff) return -EINVAL;
    sch.limit = limit;
  }
  const bypass = is_bfifo ? sch.limit >= psched_mtu(dev) : sch.limit >= 1;
  if (bypass) sch.flags |= TCQ_F_CAN_BYPASS;
  else sch.flags &= ~TCQ_F_CAN_BYPASS;
  return 0;
}

function fifo_dump(sch: Qdisc): TcFifoQopt {
  return { limit: sch.limit };
}

export const pfifo_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'pfifo',
  priv: () => null,
  enqueue: pfifo_enqueue,
  dequeue: qdisc_dequeue_head,
  peek: qdisc_peek_head,
  init: __fifo_init,
  reset: qdisc_reset_queue,
  change: __fifo_init,
  dump: fifo_dump,
};

export const bfifo_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'bfifo',
  priv: () => null,
  enqueue: bfifo_enqueue,
  dequeue: qdisc_dequeue_head,
  peek: qdisc_peek_head,
  init: __fifo_init,
  reset: qdisc_reset_queue,
  change: __fifo_init,
  dump: fifo_dump,
};

export const pfifo_head_drop_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'pfifo_head_drop',
  priv: () => null,
  enqueue: pfifo_tail_enqueue,
  dequeue: qdisc_dequeue_head,
  peek: qdisc_peek_head,
  init: __fifo_init,
  reset: qdisc_reset_queue,
  change: __fifo_init,
  dump: fifo_dump,
};

/** fifo_set_limit(): a fifo child gets the limit its parent wants (other kinds are left alone). */
export function fifo_set_limit(q: Qdisc, limit: number): number {
  if (q.ops.id.slice(1, 5) !== 'fifo' || !q.ops.change) return 0;
  return q.ops.change(q, { limit }, { msg: null });
}

/** fifo_create_dflt(): a pfifo/bfifo of `limit` as class 1 of sch; a negative errno when it fails. */
export function fifo_create_dflt(sch: Qdisc, ops: Qdisc_ops, limit: number, extack: NetlinkExtAck): Qdisc | number {
  const q = qdisc_create_dflt(sch.dev_queue, ops, TC_H_MAKE(sch.handle, 1), extack);
  if (!q) return -12; // -ENOMEM
  const err = fifo_set_limit(q, limit);
  if (err < 0) {
    qdisc_put(q);
    return err;
  }
  return q;
}
