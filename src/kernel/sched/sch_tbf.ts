// net/sched/sch_tbf.c: the Token Bucket Filter. Tokens are time in ns
// (psched_l2t_ns of a packet's length at the rate); the bucket holds `buffer`
// ns, the peak bucket `mtu` ns. A packet leaves when both buckets cover it,
// else the watchdog is set for when they will, and overlimits counts the
// refusal. Packets wait in a child qdisc (a bfifo of `limit` bytes by default,
// class 1); a GSO packet larger than max_size is segmented (tbf_segment).
import type { SkBuff } from '../skbuff.ts';
import { NET_XMIT_DROP, NET_XMIT_SUCCESS } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import { gso_frames } from '../core/gso.ts';
import { alloc_skb } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { EINVAL } from '../uapi/errno.ts';
import { TC_H_MIN, type TcOptions } from '../uapi/pkt_sched.ts';
import type { TcTbfOptions, TcTbfQopt } from '../uapi/pkt_sched_tbf_htb.ts';
import {
  PSCHED_NS2TICKS,
  PSCHED_TICKS2NS,
  type PschedRatecfg,
  psched_l2t_ns,
  psched_ns_t2l,
  psched_ratecfg_getrate,
  psched_ratecfg_precompute,
  psched_ratecfg_zero,
} from './pkt_sched.ts';
import { bfifo_qdisc_ops, fifo_create_dflt, fifo_set_limit, psched_mtu } from './sch_fifo.ts';
import {
  type NetlinkExtAck,
  type Qdisc,
  type Qdisc_class_ops,
  type Qdisc_ops,
  type QdiscWalker,
  type QdiscWatchdog,
  type TcClassMsg,
  type ToFree,
  qdisc_bstats_update,
  qdisc_dev,
  qdisc_drop,
  qdisc_hash_add,
  qdisc_pkt_len,
  qdisc_priv,
  qdisc_put,
  qdisc_qstats_backlog_dec,
  qdisc_qstats_drop,
  qdisc_qstats_overlimit,
  qdisc_reset,
  qdisc_tree_reduce_backlog,
  qdisc_watchdog_cancel,
  qdisc_watchdog_init,
  qdisc_watchdog_schedule_ns,
} from './sch_generic.ts';
import {
  net_xmit_drop_count,
  qdisc_dequeue_peeked,
  qdisc_enqueue,
  qdisc_peek_dequeued,
  qdisc_purge_queue,
  qdisc_replace,
} from './sch_generic_inl.ts';
import { tc_qdisc_stats_dump } from './sch_api.ts';

/** struct tbf_sched_data */
interface TbfSchedData {
  /** maximal length of backlog: bytes */
  limit: number;
  max_size: number;
  /** token bucket depth/rate (ns) */
  buffer: number;
  mtu: number;
  rate: PschedRatecfg;
  peak: PschedRatecfg;
  /** current number of B tokens (ns) */
  tokens: number;
  /** current number of P tokens (ns) */
  ptokens: number;
  /** time check-point */
  t_c: number;
  /** inner qdisc, default bfifo (null: noop_qdisc) */
  qdisc: Qdisc | null;
  watchdog: QdiscWatchdog | null;
}

function ktime_get_ns(sch: Qdisc): number {
  return qdisc_dev(sch).net.kernel.sim.now;
}

/**
 * tbf_segment(): a GSO packet is too big for the bucket; its segments are
 * enqueued one by one so that each can leave in time.
 */
function tbf_segment(skb: SkBuff, sch: Qdisc, to_free: ToFree): number {
  const q = qdisc_priv<TbfSchedData>(sch);
  const dev = qdisc_dev(sch);
  const net = dev.net;
  const prev_len = qdisc_pkt_len(skb);
  kprobe(net, skb, 'tbf_segment');
  kprobe(net, skb, 'skb_gso_segment');
  skb.resetMacHeader();
  const frames = gso_frames(skb, false);
  const l2 = skb.networkHeader - skb.data;
  let nb = 0;
  let len = 0;
  for (const f of frames) {
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
    seg.ipSummed = skb.ipSummed;
    const seg_len = seg.len;
    seg.cb.qdisc = { pkt_len: seg_len, drop_reason: SKB_DROP_REASON.QDISC_DROP };
    const ret = qdisc_enqueue(seg, q.qdisc, to_free);
    if (ret !== NET_XMIT_SUCCESS) {
      if (net_xmit_drop_count(ret)) qdisc_qstats_drop(sch);
    } else {
      nb++;
      len += seg_len;
    }
  }
  sch.q.qlen += nb;
  sch.qstats.backlog += len;
  if (nb > 0) {
    qdisc_tree_reduce_backlog(sch, 1 - nb, prev_len - len);
    consume_skb(net, skb, 'tbf_segment');
    return NET_XMIT_SUCCESS;
  }
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'tbf_segment');
  return NET_XMIT_DROP;
}

/** tbf_enqueue(): too big for the bucket → segmented (GSO) or dropped; else into the child. */
function tbf_enqueue(skb: SkBuff, sch: Qdisc, to_free: ToFree): number {
  const q = qdisc_priv<TbfSchedData>(sch);
  const len = qdisc_pkt_len(skb);
  kprobe(qdisc_dev(sch).net, skb, 'tbf_enqueue');
  if (len > q.max_size) {
    // skb_gso_validate_mac_len(): every segment fits
    if (skb.gsoSize && skb.gsoSize + (skb.transportHeader - skb.macHeader) + 32 <= q.max_size) return tbf_segment(skb, sch, to_free);
    return qdisc_drop(skb, sch, to_free, () => `tbf: a ${len}-byte packet is larger than the bucket (max_size ${q.max_size}b)`);
  }
  const ret = qdisc_enqueue(skb, q.qdisc, to_free);
  if (ret !== NET_XMIT_SUCCESS) {
    if (net_xmit_drop_count(ret)) qdisc_qstats_drop(sch);
    return ret;
  }
  sch.qstats.backlog += len;
  sch.q.qlen++;
  return NET_XMIT_SUCCESS;
}

function tbf_peak_present(q: TbfSchedData): boolean {
  return q.peak.rate_bytes_ps !== 0;
}

/** tbf_dequeue(): the head leaves if both buckets cover it; otherwise the watchdog waits for the tokens. */
function tbf_dequeue(sch: Qdisc): SkBuff | null {
  const q = qdisc_priv<TbfSchedData>(sch);
  if (!q.qdisc) return null;
  let skb = q.qdisc.ops.peek(q.qdisc);
  if (!skb) return null;
  const len = qdisc_pkt_len(skb);
  const now = ktime_get_ns(sch);
  let toks = Math.min(now - q.t_c, q.buffer);
  let ptoks = 0;
  if (tbf_peak_present(q)) {
    ptoks = toks + q.ptokens;
    if (ptoks > q.mtu) ptoks = q.mtu;
    ptoks -= psched_l2t_ns(q.peak, len);
  }
  toks += q.tokens;
  if (toks > q.buffer) toks = q.buffer;
  toks -= psched_l2t_ns(q.rate, len);
  if (toks >= 0 && ptoks >= 0) {
    skb = qdisc_dequeue_peeked(q.qdisc);
    if (!skb) return null;
    q.t_c = now;
    q.tokens = toks;
    q.ptokens = ptoks;
    qdisc_qstats_backlog_dec(sch, skb);
    sch.q.qlen--;
    qdisc_bstats_update(sch, skb);
    return skb;
  }
  if (q.watchdog) qdisc_watchdog_schedule_ns(q.watchdog, now + Math.max(-toks, -ptoks));
  // a shorter packet behind may fit, but tbf must not reorder
  qdisc_qstats_overlimit(sch);
  return null;
}

/** tbf_reset() */
function tbf_reset(sch: Qdisc): void {
  const q = qdisc_priv<TbfSchedData>(sch);
  if (q.qdisc) qdisc_reset(q.qdisc);
  q.t_c = ktime_get_ns(sch);
  q.tokens = q.buffer;
  q.ptokens = q.mtu;
  if (q.watchdog) qdisc_watchdog_cancel(q.watchdog);
}

const U32 = 0xffffffff;

function isU32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= U32;
}

/** tbf_change(): the nla_parse of TCA_TBF_* and the new bucket; the child fifo made or resized. */
function tbf_change(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number {
  const q = qdisc_priv<TbfSchedData>(sch);
  const tb = (opt ?? {}) as TcTbfOptions;
  const qopt = tb.TCA_TBF_PARMS as TcTbfQopt | undefined;
  if (!qopt) return -EINVAL;
  // (qdisc_get_rtab only validates the legacy tables tc still sends; the kernel uses the rates)
  let buffer = Math.min(PSCHED_TICKS2NS(qopt.buffer), U32);
  let mtu = Math.min(PSCHED_TICKS2NS(qopt.mtu), U32);
  const rate64 = tb.TCA_TBF_RATE64 ?? 0;
  const rate = psched_ratecfg_precompute(qopt.rate, rate64);
  let max_size: number;
  if (tb.TCA_TBF_BURST !== undefined) {
    if (!isU32(tb.TCA_TBF_BURST)) return -EINVAL;
    max_size = tb.TCA_TBF_BURST;
    buffer = psched_l2t_ns(rate, max_size);
  } else {
    max_size = Math.min(psched_ns_t2l(rate, buffer), U32);
  }
  let peak: PschedRatecfg;
  if (qopt.peakrate.rate) {
    const prate64 = tb.TCA_TBF_PRATE64 ?? 0;
    peak = psched_ratecfg_precompute(qopt.peakrate, prate64);
    if (peak.rate_bytes_ps <= rate.rate_bytes_ps) {
      qdisc_dev(sch).net.kernel.kmsg.printk(
        4,
        `sch_tbf: peakrate ${peak.rate_bytes_ps} is lower than or equals to rate ${rate.rate_bytes_ps} !`,
      );
      return -EINVAL;
    }
    if (tb.TCA_TBF_PBURST !== undefined) {
      const pburst = tb.TCA_TBF_PBURST >>> 0;
      max_size = Math.min(max_size, pburst);
      mtu = psched_l2t_ns(peak, pburst);
    } else {
      max_size = Math.min(max_size, psched_ns_t2l(peak, mtu));
    }
  } else {
    peak = psched_ratecfg_zero();
  }
  const dev = qdisc_dev(sch);
  if (max_size < psched_mtu(dev))
    dev.net.kernel.kmsg.printk(4, `sch_tbf: burst ${max_size} is lower than device ${dev.name} mtu (${psched_mtu(dev)}) !`);
  if (!max_size) return -EINVAL;

  let child: Qdisc | null = null;
  if (q.qdisc !== null) {
    const err = fifo_set_limit(q.qdisc, qopt.limit);
    if (err) return err;
  } else if (qopt.limit > 0) {
    const c = fifo_create_dflt(sch, bfifo_qdisc_ops, qopt.limit, extack);
    if (typeof c === 'number') return c;
    child = c;
    // child is fifo, no need to check for noop_qdisc
    qdisc_hash_add(child, true);
  }
  // sch_tree_lock()
  let old: Qdisc | null = null;
  if (child) {
    qdisc_purge_queue(q.qdisc);
    old = q.qdisc;
    q.qdisc = child;
  }
  q.limit = qopt.limit;
  q.mtu = tb.TCA_TBF_PBURST !== undefined ? mtu : PSCHED_TICKS2NS(qopt.mtu);
  q.max_size = max_size;
  q.buffer = tb.TCA_TBF_BURST !== undefined ? buffer : PSCHED_TICKS2NS(qopt.buffer);
  q.tokens = q.buffer;
  q.ptokens = q.mtu;
  q.rate = rate;
  q.peak = peak;
  // sch_tree_unlock()
  if (old) qdisc_put(old);
  return 0;
}

/** tbf_init() */
function tbf_init(sch: Qdisc, opt: TcOptions | undefined, extack: NetlinkExtAck): number {
  const q = qdisc_priv<TbfSchedData>(sch);
  q.watchdog = qdisc_watchdog_init(sch);
  q.qdisc = null;
  if (!opt) return -EINVAL;
  q.t_c = ktime_get_ns(sch);
  return tbf_change(sch, opt, extack);
}

/** tbf_destroy() */
function tbf_destroy(sch: Qdisc): void {
  const q = qdisc_priv<TbfSchedData>(sch);
  if (q.watchdog) qdisc_watchdog_cancel(q.watchdog);
  qdisc_put(q.qdisc);
}

/** tbf_dump(): TCA_TBF_PARMS (buffer and mtu back in ticks) and the 64-bit rates. */
function tbf_dump(sch: Qdisc): TcTbfOptions {
  const q = qdisc_priv<TbfSchedData>(sch);
  const zero = psched_ratecfg_getrate(psched_ratecfg_zero());
  const parms: TcTbfQopt = {
    limit: q.limit,
    rate: psched_ratecfg_getrate(q.rate),
    peakrate: tbf_peak_present(q) ? psched_ratecfg_getrate(q.peak) : zero,
    mtu: PSCHED_NS2TICKS(q.mtu) >>> 0,
    buffer: PSCHED_NS2TICKS(q.buffer) >>> 0,
  };
  const o: TcTbfOptions = { TCA_TBF_PARMS: parms };
  const out = o as { -readonly [K in keyof TcTbfOptions]: TcTbfOptions[K] };
  if (q.rate.rate_bytes_ps >= 2 ** 32) out.TCA_TBF_RATE64 = q.rate.rate_bytes_ps;
  if (tbf_peak_present(q) && q.peak.rate_bytes_ps >= 2 ** 32) out.TCA_TBF_PRATE64 = q.peak.rate_bytes_ps;
  return out;
}

/** tbf_dump_class(): the one class, X:1, whose leaf is the child. */
function tbf_dump_class(sch: Qdisc, _cl: unknown, msg: TcClassMsg): number {
  const q = qdisc_priv<TbfSchedData>(sch);
  msg.tcm.tcm_handle = (msg.tcm.tcm_handle | TC_H_MIN(1)) >>> 0;
  msg.tcm.tcm_info = q.qdisc?.handle ?? 0;
  return 0;
}

/** tbf_graft(): a new child (noop when none) replaces the old. */
function tbf_graft(sch: Qdisc, _cl: unknown, new_: Qdisc | null, _extack: NetlinkExtAck): { err: number; old: Qdisc | null } {
  const q = qdisc_priv<TbfSchedData>(sch);
  const old = qdisc_replace(new_, q.qdisc, (n) => {
    q.qdisc = n;
  });
  return { err: 0, old };
}

const tbf_class_ops: Readonly<Qdisc_class_ops> = {
  graft: tbf_graft,
  leaf: (sch) => qdisc_priv<TbfSchedData>(sch).qdisc,
  find: () => 1,
  walk: (sch: Qdisc, w: QdiscWalker) => {
    if (!w.stop) tc_qdisc_stats_dump(sch, 1, w);
  },
  dump: tbf_dump_class,
};

export const tbf_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'tbf',
  cl_ops: tbf_class_ops,
  priv: (): TbfSchedData => ({
    limit: 0,
    max_size: 0,
    buffer: 0,
    mtu: 0,
    rate: psched_ratecfg_zero(),
    peak: psched_ratecfg_zero(),
    tokens: 0,
    ptokens: 0,
    t_c: 0,
    qdisc: null,
    watchdog: null,
  }),
  enqueue: tbf_enqueue,
  dequeue: tbf_dequeue,
  peek: qdisc_peek_dequeued,
  init: tbf_init,
  reset: tbf_reset,
  destroy: tbf_destroy,
  change: tbf_change,
  dump: tbf_dump,
};
