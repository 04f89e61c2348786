// The inline helpers of include/net/sch_generic.h that classful qdiscs use
// on their children (tbf, htb): qdisc_enqueue, qdisc_peek_dequeued and
// qdisc_dequeue_peeked (the peeked skb waits in the child's gso_skb, which
// only a root qdisc uses otherwise), qdisc_purge_queue, qdisc_replace, and
// net_xmit_drop_count. A child that is `null` is noop_qdisc (no module-level
// singleton under src/kernel): its enqueue drops with NET_XMIT_CN.
import type { SkBuff } from '../skbuff.ts';
import { NET_XMIT_CN } from '../core/netdevice.ts';
import {
  __NET_XMIT_STOLEN,
  __qdisc_drop,
  type Qdisc,
  type ToFree,
  qdisc_qstats_backlog_dec,
  qdisc_qstats_backlog_inc,
  qdisc_reset,
  qdisc_tree_reduce_backlog,
} from './sch_generic.ts';

/** net_xmit_drop_count(e): the parent counts a drop unless the skb was stolen (CONFIG_NET_CLS_ACT). */
export function net_xmit_drop_count(e: number): boolean {
  return !(e & __NET_XMIT_STOLEN);
}

/** qdisc_enqueue(): the child's enqueue; noop_qdisc (null) drops the skb (noop_enqueue). */
export function qdisc_enqueue(skb: SkBuff, sch: Qdisc | null, to_free: ToFree): number {
  if (!sch || !sch.enqueue) {
    // noop_enqueue(): dev_core_stats_tx_dropped_inc()
    if (skb.dev) skb.dev.stats.tx_dropped++;
    __qdisc_drop(skb, to_free);
    return NET_XMIT_CN;
  }
  return sch.enqueue(skb, sch, to_free);
}

/** qdisc_peek_dequeued(): dequeue and keep it at the head of gso_skb; it still counts as queued. */
export function qdisc_peek_dequeued(sch: Qdisc): SkBuff | null {
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

/** qdisc_dequeue_peeked(): the peeked skb, else a fresh dequeue. */
export function qdisc_dequeue_peeked(sch: Qdisc): SkBuff | null {
  const skb = sch.gso_skb.shift();
  if (skb) {
    qdisc_qstats_backlog_dec(sch, skb);
    sch.q.qlen--;
    return skb;
  }
  return sch.dequeue(sch);
}

/** qdisc_purge_queue(): reset, and the ancestors lose what it held. */
export function qdisc_purge_queue(sch: Qdisc | null): void {
  if (!sch) return;
  const qlen = sch.q.qlen;
  const backlog = sch.qstats.backlog;
  qdisc_reset(sch);
  qdisc_tree_reduce_backlog(sch, qlen, backlog);
}

/** qdisc_replace(): `set(new)` under the tree lock; the old child is purged and returned. */
export function qdisc_replace(new_: Qdisc | null, old: Qdisc | null, set: (q: Qdisc | null) => void): Qdisc | null {
  set(new_);
  if (old) qdisc_purge_queue(old);
  return old;
}
