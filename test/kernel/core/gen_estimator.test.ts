// net/core/gen_estimator.c: the EWMA est_timer computes, its period in
// jiffies, replace keeping the average, kill stopping the timer, and the
// 64-bit attribute only when bps does not fit in 32 bits.
import { describe, expect, it } from 'vitest';
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';
import {
  gen_estimator_read,
  gen_kill_estimator,
  gen_new_estimator,
  gen_replace_estimator,
  gnet_stats_copy_rate_est,
  type RateEstHolder,
} from '../../../src/kernel/core/gen_estimator.ts';
import { EINVAL } from '../../../src/kernel/uapi/errno.ts';

function setup() {
  const world = new SimWorld(new MemVfs());
  const net = world.createNet('init_net');
  const k = net.kernel;
  const bstats = { bytes: 0, packets: 0 };
  const holder: RateEstHolder = { rate_est: null };
  // the world starts on a jiffy boundary; t is ns after it
  const t0 = world.sim.now;
  expect(t0 % 4e6).toBe(0);
  /** runs the simulated clock to t ns after t0 */
  const runTo = (t: number) => {
    const mark = { done: false };
    const tm = world.sim.timer(() => {
      mark.done = true;
    }, null);
    world.sim.modTimer(tm, t0 + t);
    world.sim.runUntil(() => mark.done);
  };
  return { world, k, bstats, holder, runTo };
}

describe('gen_estimator', () => {
  it('refuses an interval outside -2..3 and an ewma_log of 0 or 31+', () => {
    const { k, bstats, holder } = setup();
    expect(gen_new_estimator(k, bstats, holder, { interval: 4, ewma_log: 2 })).toBe(-EINVAL);
    expect(gen_new_estimator(k, bstats, holder, { interval: -3, ewma_log: 2 })).toBe(-EINVAL);
    expect(gen_new_estimator(k, bstats, holder, { interval: 0, ewma_log: 0 })).toBe(-EINVAL);
    expect(gen_new_estimator(k, bstats, holder, { interval: 0, ewma_log: 31 })).toBe(-EINVAL);
    expect(holder.rate_est).toBeNull();
  });

  it('samples every (HZ/4) << intvl_log jiffies (62 at HZ=250: 248 ms) and moves 1/2^ewma_log of the way', () => {
    const { k, bstats, holder, runTo } = setup();
    // interval -2 (250 ms, intvl_log 0), ewma_log 1
    expect(gen_new_estimator(k, bstats, holder, { interval: -2, ewma_log: 1 })).toBe(0);
    bstats.bytes = 1000;
    bstats.packets = 10;
    runTo(247e6);
    expect(gen_estimator_read(holder)).toEqual({ bps: 0, pps: 0 });
    runTo(249e6);
    // 1000 B in 250 ms = 4000 B/s; (1000 << 10) >> 1 = 512000, >> 8 = 2000
    expect(gen_estimator_read(holder)).toEqual({ bps: 2000, pps: 20 });
    runTo(497e6);
    // no new bytes: avbps 512000 - 256000
    expect(gen_estimator_read(holder)).toEqual({ bps: 1000, pps: 10 });
    bstats.bytes += 3;
    runTo(745e6);
    // (3 << 10) >> 1 = 1536; 256000 + 1536 - 128000 = 129536 >> 8 = 506
    expect(gen_estimator_read(holder)).toEqual({ bps: 506, pps: 5 });
  });

  it('replace keeps the average and restarts the period; kill stops the timer', () => {
    const { k, world, bstats, holder, runTo } = setup();
    gen_new_estimator(k, bstats, holder, { interval: -2, ewma_log: 1 });
    bstats.bytes = 1000;
    runTo(300e6);
    expect(gen_estimator_read(holder)?.bps).toBe(2000);
    // 248 jiffies from now (300 ms): the next sample is at 1.292 s
    expect(gen_replace_estimator(k, bstats, holder, { interval: 0, ewma_log: 2 })).toBe(0);
    bstats.bytes = 2000;
    runTo(1291e6);
    expect(gen_estimator_read(holder)?.bps).toBe(2000);
    runTo(1293e6);
    // (1000 << 8) >> 2 = 64000; 512000 + 64000 - 128000 = 448000 >> 8 = 1750
    expect(gen_estimator_read(holder)?.bps).toBe(1750);
    gen_kill_estimator(holder);
    expect(gen_estimator_read(holder)).toBeNull();
    expect(gnet_stats_copy_rate_est(holder)).toBeNull();
    void world;
  });

  it('sends TCA_STATS_RATE_EST64 only when bps is over 2^32-1', () => {
    const { k, bstats, holder, runTo } = setup();
    gen_new_estimator(k, bstats, holder, { interval: 0, ewma_log: 1 });
    bstats.bytes = 2 ** 33;
    bstats.packets = 100;
    runTo(993e6);
    // (2^33 << 8) >> 1 >> 8 = 2^32
    expect(gnet_stats_copy_rate_est(holder)).toEqual({
      rate_est: { bps: 0xffffffff, pps: 50 },
      rate_est64: { bps: 2 ** 32, pps: 50 },
    });
    gen_kill_estimator(holder);
    gen_new_estimator(k, bstats, holder, { interval: 0, ewma_log: 1 });
    expect(gnet_stats_copy_rate_est(holder)).toEqual({ rate_est: { bps: 0, pps: 0 } });
  });
});
