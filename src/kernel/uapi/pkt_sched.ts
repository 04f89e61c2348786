// include/uapi/linux/pkt_sched.h and gen_stats.h: handles (TC_H_*), the
// option structs of each qdisc as TCA_OPTIONS carries them (plain objects
// under their C field names), and the statistics of TCA_STATS2. No imports:
// kernel and tools share these. Each qdisc adds its tc_*_qopt here.

// --- handles: major:minor in one u32 ---
export const TC_H_MAJ_MASK = 0xffff0000;
export const TC_H_MIN_MASK = 0x0000ffff;
export const TC_H_UNSPEC = 0;
export const TC_H_ROOT = 0xffffffff;
export const TC_H_INGRESS = 0xfffffff1;
export const TC_H_CLSACT = TC_H_INGRESS;
export const TC_H_MIN_PRIORITY = 0xffe0;
export const TC_H_MIN_INGRESS = 0xfff2;
export const TC_H_MIN_EGRESS = 0xfff3;

/** TC_H_MAJ(h) */
export function TC_H_MAJ(h: number): number {
  return (h & TC_H_MAJ_MASK) >>> 0;
}
/** TC_H_MIN(h) */
export function TC_H_MIN(h: number): number {
  return h & TC_H_MIN_MASK;
}
/** TC_H_MAKE(maj, min) */
export function TC_H_MAKE(maj: number, min: number): number {
  return ((maj & TC_H_MAJ_MASK) | (min & TC_H_MIN_MASK)) >>> 0;
}

// --- linux/pkt_sched.h: TC_PRIO_* (skb->priority → band) ---
export const TC_PRIO_BESTEFFORT = 0;
export const TC_PRIO_FILLER = 1;
export const TC_PRIO_BULK = 2;
export const TC_PRIO_INTERACTIVE_BULK = 4;
export const TC_PRIO_INTERACTIVE = 6;
export const TC_PRIO_CONTROL = 7;
export const TC_PRIO_MAX = 15;
export const TCQ_PRIO_BANDS = 16;
export const TCQ_MIN_PRIO_BANDS = 2;

/** struct tc_fifo_qopt: pfifo (packets), bfifo (bytes), pfifo_head_drop. */
export interface TcFifoQopt {
  limit: number;
}

/** struct tc_prio_qopt: what pfifo_fast (and prio) dump. */
export interface TcPrioQopt {
  bands: number;
  /** TC_PRIO_MAX + 1 entries */
  priomap: number[];
}

/**
 * TCA_OPTIONS: each kind's struct or nested attributes as a plain object;
 * the kind's init/change validates what it reads (as nla_parse would).
 */
export type TcOptions = object;

// --- linux/gen_stats.h: TCA_STATS2 ---
/** struct gnet_stats_basic (+ TCA_STATS_PKT64) */
export interface GnetStatsBasic {
  bytes: number;
  packets: number;
}
/** struct gnet_stats_rate_est64 */
export interface GnetStatsRateEst {
  bps: number;
  pps: number;
}
/** struct gnet_stats_queue */
export interface GnetStatsQueue {
  qlen: number;
  backlog: number;
  drops: number;
  requeues: number;
  overlimits: number;
}
/** TCA_STATS2: TCA_STATS_BASIC, TCA_STATS_RATE_EST64, TCA_STATS_QUEUE (TCA_STATS_APP is TCA_XSTATS). */
export interface TcaStats2 {
  basic: GnetStatsBasic;
  /** TCA_STATS_RATE_EST (struct gnet_stats_rate_est: bps capped at 2^32-1) */
  rate_est?: GnetStatsRateEst;
  /** TCA_STATS_RATE_EST64, sent only when bps is over 2^32-1 */
  rate_est64?: GnetStatsRateEst;
  queue: GnetStatsQueue;
}
