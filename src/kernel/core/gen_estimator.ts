// net/core/gen_estimator.c (6.18): the rate estimator of TCA_RATE. A timer of
// its own samples a byte and packet counter every (HZ/4) << intvl_log jiffies
// and moves an exponentially weighted average (scaled by 2^8) toward the
// sample by 1/2^ewma_log; gen_estimator_read() gives bytes and packets a second.
import type { Timer } from '../../sim/events.ts';
import type { Kernel } from '../kernel.ts';
import { EINVAL } from '../uapi/errno.ts';
import type { GnetStatsRateEst } from '../uapi/pkt_sched.ts';
import type { TcEstimator } from '../uapi/rtnetlink_tc.ts';

/** struct gnet_stats_basic_sync, as the counters an estimator reads */
export interface GnetStatsBasicSync {
  bytes: number;
  packets: number;
}

/** struct net_rate_estimator */
export interface NetRateEstimator {
  bstats: GnetStatsBasicSync;
  kernel: Kernel;
  ewma_log: number;
  intvl_log: number;
  /** jiffies counted from the simulated clock's start (not wrapped) */
  next_jiffies: number;
  /** bytes and packets a second, << 8 (u64) */
  avbps: number;
  avpps: number;
  last_bytes: number;
  last_packets: number;
  timer: Timer;
}

/** Where a qdisc or class keeps its estimator (the `struct net_rate_estimator __rcu **` argument). */
export interface RateEstHolder {
  rate_est: NetRateEstimator | null;
}

/** jiffies since the simulated clock's start: the timer wheel's view of kernel.jiffies(). */
function jiffies_now(k: Kernel): number {
  return Math.floor(k.sim.now / (1e9 / k.HZ));
}

function jiffies_to_ns(k: Kernel, j: number): number {
  return j * (1e9 / k.HZ);
}

/** x >> n on a u64 held in a number (exact below 2^53) */
function shr(x: number, n: number): number {
  return Math.floor(x / 2 ** n);
}

/** est_fetch_counters() */
function est_fetch_counters(est: NetRateEstimator): GnetStatsBasicSync {
  return { bytes: est.bstats.bytes, packets: est.bstats.packets };
}

/** est_timer(): one sample; the average moves by (sample - average) / 2^ewma_log. */
function est_timer(est: NetRateEstimator): void {
  const b = est_fetch_counters(est);
  let brate = (b.bytes - est.last_bytes) * 2 ** (10 - est.intvl_log);
  brate = shr(brate, est.ewma_log) - shr(est.avbps, est.ewma_log);
  let rate = (b.packets - est.last_packets) * 2 ** (10 - est.intvl_log);
  rate = shr(rate, est.ewma_log) - shr(est.avpps, est.ewma_log);
  est.avbps += brate;
  est.avpps += rate;
  est.last_bytes = b.bytes;
  est.last_packets = b.packets;
  est.next_jiffies += Math.floor(est.kernel.HZ / 4) << est.intvl_log;
  const now = jiffies_now(est.kernel);
  // Ouch... timer was delayed.
  if (now >= est.next_jiffies) est.next_jiffies = now + 1;
  est.kernel.sim.modTimer(est.timer, jiffies_to_ns(est.kernel, est.next_jiffies));
}

/**
 * gen_new_estimator(): a new estimator on bstats, replacing (and taking the
 * average of) the one holder has. Returns 0 or -errno.
 */
export function gen_new_estimator(kernel: Kernel, bstats: GnetStatsBasicSync, holder: RateEstHolder, parm: TcEstimator): number {
  // allowed timer periods are -2: 250ms, -1: 500ms, 0: 1 sec, 1: 2 sec, 2: 4 sec, 3: 8 sec
  if (parm.interval < -2 || parm.interval > 3) return -EINVAL;
  if (parm.ewma_log === 0 || parm.ewma_log >= 31) return -EINVAL;
  const intvl_log = parm.interval + 2;
  const est: NetRateEstimator = {
    bstats,
    kernel,
    ewma_log: parm.ewma_log,
    intvl_log,
    next_jiffies: 0,
    avbps: 0,
    avpps: 0,
    last_bytes: 0,
    last_packets: 0,
    timer: null as unknown as Timer,
  };
  const b = est_fetch_counters(est);
  est.last_bytes = b.bytes;
  est.last_packets = b.packets;
  const old = holder.rate_est;
  if (old) {
    kernel.sim.delTimer(old.timer);
    est.avbps = old.avbps;
    est.avpps = old.avpps;
  }
  // (HZ/4) << intvl_log: 62 jiffies (248 ms) at HZ=250 for "250ms"
  est.next_jiffies = jiffies_now(kernel) + (Math.floor(kernel.HZ / 4) << intvl_log);
  est.timer = kernel.sim.timer(est_timer, est);
  kernel.sim.modTimer(est.timer, jiffies_to_ns(kernel, est.next_jiffies));
  holder.rate_est = est;
  return 0;
}

/** gen_kill_estimator() */
export function gen_kill_estimator(holder: RateEstHolder): void {
  const est = holder.rate_est;
  if (!est) return;
  est.kernel.sim.delTimer(est.timer);
  holder.rate_est = null;
}

/** gen_replace_estimator(): a new estimator when parm is given, none when it is not. */
export function gen_replace_estimator(
  kernel: Kernel,
  bstats: GnetStatsBasicSync,
  holder: RateEstHolder,
  parm: TcEstimator | undefined,
): number {
  if (!parm) {
    gen_kill_estimator(holder);
    return 0;
  }
  return gen_new_estimator(kernel, bstats, holder, parm);
}

/** gen_estimator_active() */
export function gen_estimator_active(holder: RateEstHolder): boolean {
  return holder.rate_est !== null;
}

/** gen_estimator_read(): bytes and packets a second, or null without an estimator. */
export function gen_estimator_read(holder: RateEstHolder): GnetStatsRateEst | null {
  const est = holder.rate_est;
  if (!est) return null;
  return { bps: shr(est.avbps, 8), pps: shr(est.avpps, 8) };
}

/**
 * gnet_stats_copy_rate_est(): TCA_STATS_RATE_EST with bps capped at 2^32-1
 * (pps as u32), and TCA_STATS_RATE_EST64 too when bps does not fit.
 */
export function gnet_stats_copy_rate_est(holder: RateEstHolder): { rate_est: GnetStatsRateEst; rate_est64?: GnetStatsRateEst } | null {
  const sample = gen_estimator_read(holder);
  if (!sample) return null;
  const est = { bps: Math.min(0xffffffff, sample.bps), pps: sample.pps % 2 ** 32 };
  if (est.bps === sample.bps) return { rate_est: est };
  return { rate_est: est, rate_est64: sample };
}
