// net/sched/sch_generic.c and the qdisc half of net/core/dev.c for devices
// that have a queue (a NIC): pfifo_fast as the default root qdisc,
// __dev_xmit_skb with TCQ_F_CAN_BYPASS, sch_direct_xmit, __qdisc_run with
// dev_tx_weight, NETDEV_TX_BUSY requeues, and net_tx_action when the
// driver wakes its queue.
import { kprobe } from '../trace/probe.ts';
import { NET_TX_SOFTIRQ } from '../../sim/cpu.ts';
import type { Kernel } from '../kernel.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kfree_skb_reason, skbaddr } from '../core/skb_free.ts';
import { dev_hard_start_xmit } from '../core/dev.ts';
import { consume_skb } from '../core/skb_free.ts';
import { gso_frames, skb_checksum_help } from '../core/gso.ts';
import { alloc_skb, CHECKSUM_NONE, CHECKSUM_PARTIAL } from '../skbuff.ts';
import { NET_XMIT_DROP, NET_XMIT_SUCCESS, NETDEV_TX_BUSY, NETDEV_TX_OK, type NetDevice } from '../core/netdevice.ts';

/** prio2band of pfifo_fast (TC_PRIO_* → band). */
const PRIO2BAND: readonly number[] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
/** dev_tx_weight: packets one __qdisc_run may send. */
const DEV_TX_WEIGHT = 64;

/** struct Qdisc of pfifo_fast, with the one TX queue's stopped state (netif_tx_stop_queue). */
export class Qdisc {
  readonly kind = 'pfifo_fast';
  readonly bands: SkBuff[][] = [[], [], []];
  qlen = 0;
  /** q->gso_skb: what the driver refused (NETDEV_TX_BUSY; a GSO skb's remaining segments), sent first. */
  requeued: SkBuff[] | null = null;
  /** qdisc_run_begin()/end() */
  running = false;
  /** __QUEUE_STATE_DRV_XOFF of the device's TX queue. */
  txqStopped = false;
  /** __QDISC_STATE_SCHED: on the CPU's output_queue for net_tx_action. */
  scheduled = false;
  /** Statistics as `tc -s qdisc` keeps them. */
  readonly stats = { packets: 0, bytes: 0, drops: 0, overlimits: 0, requeues: 0 };

  constructor(readonly dev: NetDevice) {}

  get limit(): number {
    return this.dev.txQueueLen;
  }
}

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

/** __dev_xmit_skb() (inl): bypass an empty queue, or enqueue and run it. Takes ownership of skb. */
export function __dev_xmit_skb(skb: SkBuff, q: Qdisc, dev: NetDevice): number {
  let rc: number;
  if (q.qlen === 0 && !q.requeued && !q.running) {
    // TCQ_F_CAN_BYPASS
    q.running = true;
    q.stats.packets++;
    q.stats.bytes += skb.len;
    if (sch_direct_xmit(validate_xmit_skb(skb, dev), q, dev)) __qdisc_run(q);
    q.running = false;
    rc = NET_XMIT_SUCCESS;
  } else {
    rc = dev_qdisc_enqueue(skb, q);
    if (!q.running) {
      q.running = true;
      __qdisc_run(q);
      q.running = false;
    }
  }
  return rc;
}

/** dev_qdisc_enqueue() → pfifo_fast_enqueue(): tail drop at txqueuelen. */
function dev_qdisc_enqueue(skb: SkBuff, q: Qdisc): number {
  const dev = q.dev;
  const net = dev.net;
  const k = net.kernel;
  if (k.tracer.enabled)
    k.tracer.emit('qdisc_enqueue', `enqueue ifindex=${dev.ifindex} qdisc handle=0x0 parent=0xFFFFFFFF skbaddr=${skbaddr(skb)}`, net.name);
  if (q.qlen >= q.limit) {
    q.stats.drops++;
    dev.stats.tx_dropped++;
    kfree_skb_reason(
      net,
      skb,
      SKB_DROP_REASON.QDISC_DROP,
      '__dev_queue_xmit',
      () => `${dev.name}'s pfifo_fast holds txqueuelen ${q.limit} packets (the TX ring is full and the queue stopped)`,
    );
    return NET_XMIT_DROP;
  }
  const band = PRIO2BAND[skb.priority & 15] ?? 1;
  (q.bands[band] as SkBuff[]).push(skb);
  q.qlen++;
  return NET_XMIT_SUCCESS;
}

/** dequeue_skb() (inl): the requeued skb first, nothing while the queue is stopped. */
function dequeue_skb(q: Qdisc): SkBuff[] | null {
  const dev = q.dev;
  let skb: SkBuff | null = null;
  let list: SkBuff[] | null = null;
  if (q.requeued) {
    if (!q.txqStopped) {
      list = q.requeued;
      q.requeued = null;
      skb = list[0] as SkBuff;
    }
  } else if (!q.txqStopped) {
    for (const band of q.bands) {
      if (band.length) {
        skb = band.shift() as SkBuff;
        q.qlen--;
        q.stats.packets++;
        q.stats.bytes += skb.len;
        break;
      }
    }
  }
  const k = dev.net.kernel;
  if (k.tracer.enabled) {
    k.tracer.emit(
      'qdisc_dequeue',
      `dequeue ifindex=${dev.ifindex} qdisc handle=0x0 parent=0xFFFFFFFF txq_state=0x${q.txqStopped ? 1 : 0} packets=${skb ? 1 : 0} skbaddr=${skb ? skbaddr(skb) : '0000000000000000'}`,
      dev.net.name,
    );
  }
  if (list) return list;
  return skb ? [skb] : null;
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

/** sch_direct_xmit(): the driver gets the skbs; false when they were requeued or nothing more should go. */
export function sch_direct_xmit(list: SkBuff[], q: Qdisc, dev: NetDevice): boolean {
  let ret = NETDEV_TX_OK;
  for (let i = 0; i < list.length; i++) {
    const skb = list[i] as SkBuff;
    kprobe(dev.net, skb, 'sch_direct_xmit');
    ret = q.txqStopped ? NETDEV_TX_BUSY : dev_hard_start_xmit(skb, dev);
    if (ret === NETDEV_TX_BUSY) {
      // dev_requeue_skb() (inl): this one and the segments after it go first next time
      q.requeued = list.slice(i);
      q.stats.requeues++;
      __netif_schedule(q);
      return false;
    }
  }
  return ret === NETDEV_TX_OK ? q.qlen > 0 || q.requeued !== null : false;
}

/** __qdisc_run(): up to dev_tx_weight packets, then the rest in net_tx_action. */
export function __qdisc_run(q: Qdisc): void {
  let quota = DEV_TX_WEIGHT;
  for (;;) {
    // qdisc_restart() (inl)
    // dequeue_skb()'s *validate: what was requeued (q->gso_skb) went through validate_xmit_skb already
    const validate = q.requeued === null;
    const got = dequeue_skb(q);
    if (!got) return;
    const list = validate ? validate_xmit_skb(got[0] as SkBuff, q.dev) : got;
    const more = sch_direct_xmit(list, q, q.dev);
    if (!more) return;
    if (--quota <= 0) {
      __netif_schedule(q);
      return;
    }
  }
}

/** __netif_schedule(): onto the CPU's output_queue, NET_TX raised. */
export function __netif_schedule(q: Qdisc): void {
  if (q.scheduled) return;
  const k = q.dev.net.kernel;
  q.scheduled = true;
  outputQueue(k).push(q);
  k.sim.cpu.raiseSoftirq(NET_TX_SOFTIRQ);
}

/** netif_stop_queue() */
export function netif_stop_queue(q: Qdisc): void {
  q.txqStopped = true;
}

/** netif_wake_queue(): the stopped queue runs again from net_tx_action. */
export function netif_wake_queue(q: Qdisc): void {
  const was = q.txqStopped;
  q.txqStopped = false;
  if (was) __netif_schedule(q);
}

/** net_tx_action(): runs the qdiscs on the output queue. */
export function net_tx_action(k: Kernel): void {
  const list = outputQueue(k).splice(0);
  for (const q of list) {
    q.scheduled = false;
    if (q.running) continue;
    q.running = true;
    __qdisc_run(q);
    q.running = false;
  }
}

/** qdisc_reset(): a device going down frees what its queue held. */
export function qdisc_reset(q: Qdisc): void {
  const net = q.dev.net;
  for (const band of q.bands) {
    for (const skb of band.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  }
  for (const skb of q.requeued ?? []) kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'qdisc_reset');
  q.requeued = null;
  q.qlen = 0;
}
