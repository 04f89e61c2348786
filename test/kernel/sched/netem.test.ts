// netem's model as net/sched/sch_netem.c (6.18) computes it: every expected
// value below is worked out from the source's formulas over the draws of the
// seeded lfsr113 generator (prandom_u32_state), not taken from a run.
import { describe, expect, it } from 'vitest';
import { __seed, prandom_seed_state, prandom_u32_state, prandom_warmup, type rnd_state } from '../../../src/kernel/lib/random32.ts';
import {
  BAD_STATE,
  GOOD_STATE,
  get_crandom,
  INET_ECN_set_ce,
  LOST_IN_BURST_PERIOD,
  LOST_IN_GAP_PERIOD,
  loss_4state,
  loss_gilb_ell,
  NET_XMIT_DROP,
  NET_XMIT_SUCCESS,
  netem_change,
  netem_dequeue,
  netem_dump,
  netem_enqueue,
  netem_sched_data,
  type NetemHost,
  packet_time_ns,
  type prng,
  tabledist,
  TX_IN_BURST_PERIOD,
  TX_IN_GAP_PERIOD,
  check_netem_in_tree,
  __NET_XMIT_BYPASS,
} from '../../../src/kernel/sched/sch_netem.ts';
import { SkBuff } from '../../../src/kernel/skbuff.ts';
import { NETEM_LOSS_GE, NETEM_LOSS_GI, type NetemOptions } from '../../../src/kernel/uapi/pkt_sched_netem.ts';
import { normalTable } from '../../../src/userspace/tools/tc/netem_dist.ts';

const U32MAX = 0xffffffff;
/** set_percent() of q_netem.c: rint(per * UINT32_MAX) */
const pct = (p: number): number => Math.round((p / 100) * U32MAX);
const MS = 1_000_000;

/** The draws netem's prng makes after prandom_seed_state(seed). */
function draws(seed: bigint, n: number): number[] {
  const s: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(s, seed);
  return Array.from({ length: n }, () => prandom_u32_state(s));
}

function seq(values: number[]): { u32(): number } {
  let i = 0;
  return { u32: () => values[i++ % values.length] as number };
}

interface Env {
  q: netem_sched_data;
  clock: { now: number };
  watchdog: number[];
  root: SkBuff[];
}

function env(opt: NetemOptions, rng = seq([7, 11, 13, 17, 19, 23, 29, 31])): Env {
  const clock = { now: 1_000 * MS };
  const watchdog: number[] = [];
  const root: SkBuff[] = [];
  const host: NetemHost = {
    now: () => clock.now,
    rng,
    pkt_len: (skb) => skb.len,
    root_enqueue: (skb, to_free) => {
      root.push(skb);
      netem_enqueue(skb, e.q, to_free);
    },
    watchdog_schedule: (t) => watchdog.push(t),
    watchdog_cancel: () => {},
    checksum_help: () => true,
  };
  const e: Env = { q: new netem_sched_data(host), clock, watchdog, root };
  const r = netem_change(e.q, opt);
  expect(r.err).toBe(0);
  return e;
}

const ids = { next: 1 };
function pkt(len: number): SkBuff {
  const skb = new SkBuff(ids, len, 0);
  skb.put(len);
  return skb;
}

function qopt(o: Partial<NetemOptions['qopt']>): NetemOptions['qopt'] {
  return { latency: 0, limit: 1000, loss: 0, gap: 0, duplicate: 0, jitter: 0, ...o };
}

/** tc's tick for a time in us (tick_in_usec = 15.625 from /proc/net/psched). */
const ticks = (us: number): number => Math.trunc(us * 15.625);

describe('lib/random32.c: prandom_u32_state', () => {
  // prandom_state_selftest(): the LCG seeding, ten warm-up draws, then the vectors of GSL's taus113
  function selftestSeed(seed: number): rnd_state {
    const lcg = (x: number): number => Math.imul(x, 69069) >>> 0;
    const s: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
    s.s1 = __seed(lcg(seed), 2);
    s.s2 = __seed(lcg(s.s1), 8);
    s.s3 = __seed(lcg(s.s2), 16);
    s.s4 = __seed(lcg(s.s3), 128);
    prandom_warmup(s);
    return s;
  }
  it('matches the seed-boundary vectors', () => {
    const want: [number, number][] = [
      [1, 3484351685],
      [2, 2623130059],
      [3, 3125133893],
      [4, 984847254],
    ];
    for (const [seed, result] of want) expect(prandom_u32_state(selftestSeed(seed))).toBe(result);
  });
  it('matches taus113 after many iterations', () => {
    const want: [number, number, number][] = [
      [931557656, 959, 2975593782],
      [1339693295, 876, 3887776532],
      [407983964, 921, 728767059],
    ];
    for (const [seed, it, result] of want) {
      const s = selftestSeed(seed);
      for (let j = 0; j < it - 1; j++) prandom_u32_state(s);
      expect(prandom_u32_state(s)).toBe(result);
    }
  });
  it('prandom_seed_state folds the u64 seed as (seed>>32) ^ (seed<<10) ^ seed', () => {
    const s: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
    prandom_seed_state(s, 0x1_0000_0001n);
    // i = 1 ^ (0x400_0000_0400 & 0xffffffff = 0x400) ^ 1 = 0x400
    expect(s).toEqual({ s1: 0x400, s2: 0x400, s3: 0x400, s4: 0x400 });
    prandom_seed_state(s, 0n);
    expect(s).toEqual({ s1: 2, s2: 8, s3: 16, s4: 128 });
  });
});

describe('get_crandom and tabledist', () => {
  it('correlation mixes the last value by rho: (v * (2^32 - rho - 1) + last * (rho + 1)) >> 32', () => {
    const p: prng = { seed: 5n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
    prandom_seed_state(p.prng_state, 5n);
    const [v1, v2] = draws(5n, 2) as [number, number];
    const st = { rho: pct(25), last: 1234567 };
    const rho = BigInt(st.rho) + 1n;
    const a1 = Number((BigInt(v1) * (2n ** 32n - rho) + 1234567n * rho) >> 32n);
    const a2 = Number((BigInt(v2) * (2n ** 32n - rho) + BigInt(a1) * rho) >> 32n);
    expect(get_crandom(st, p)).toBe(a1);
    expect(get_crandom(st, p)).toBe(a2);
    expect(st.last).toBe(a2);
  });
  it('uniform jitter: (rnd % 2sigma) + mu - sigma', () => {
    const p: prng = { seed: 9n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
    prandom_seed_state(p.prng_state, 9n);
    const [r] = draws(9n, 1) as [number];
    expect(tabledist(100 * MS, 10 * MS, null, p, null)).toBe((r % (20 * MS)) + 100 * MS - 10 * MS);
  });
  it('a table: t = table[rnd % size], sigma split at NETEM_DIST_SCALE, rounded half away from 0', () => {
    const dist = Int16Array.from([-1000, 2500, 0, 32767]);
    const p: prng = { seed: 0n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
    // find a seed whose first draw picks index 0 (t = -1000)
    let seed = 1n;
    while (((draws(seed, 1)[0] as number) & 3) !== 0) seed++;
    prandom_seed_state(p.prng_state, seed);
    // sigma 10ms: 10000000 % 8192 = 5760, 10000000 / 8192 = 1220;
    // x = 5760 * -1000 - 4096 = -5764096; -5764096 / 8192 = -703; 1220 * -1000 = -1220000
    expect(tabledist(100 * MS, 10 * MS, null, p, dist)).toBe(100 * MS - 703 - 1220000);
  });
  it('with the normal table the delays have the mean and deviation asked for', () => {
    const dist = normalTable();
    const p: prng = { seed: 3n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
    prandom_seed_state(p.prng_state, 3n);
    const xs = Array.from({ length: 20000 }, () => tabledist(100 * MS, 10 * MS, null, p, dist));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 100 * MS)).toBeLessThan(0.3 * MS);
    expect(Math.abs(sd - 10 * MS)).toBeLessThan(0.3 * MS);
  });
});

describe('netem_enqueue/netem_dequeue', () => {
  it('delay with jitter: time_to_send = now + tabledist(latency, jitter), released in time order', () => {
    const seed = 42n;
    const e = env({ qopt: qopt({ latency: ticks(100_000), jitter: ticks(10_000) }), prng_seed: seed });
    const r = draws(seed, 5);
    const t0 = e.clock.now;
    const skbs = [0, 1, 2, 3, 4].map(() => pkt(100));
    for (const s of skbs) expect(netem_enqueue(s, e.q, [])).toBe(NET_XMIT_SUCCESS);
    const tts = r.map((x) => t0 + (x % (20 * MS)) + 90 * MS);
    skbs.forEach((s, i) => expect(e.q.time_to_send.get(s)).toBe(tts[i]));
    // nothing is due yet: the watchdog is set for the earliest
    expect(netem_dequeue(e.q)).toBeNull();
    expect(e.watchdog.at(-1)).toBe(Math.min(...tts));
    const order = skbs.map((s, i) => ({ s, t: tts[i] as number })).sort((a, b) => a.t - b.t);
    e.clock.now = t0 + 200 * MS;
    for (const { s } of order) expect(netem_dequeue(e.q)).toBe(s);
    expect(netem_dequeue(e.q)).toBeNull();
    expect(e.q.stats).toMatchObject({ qlen: 0, backlog: 0, packets: 5, bytes: 500 });
  });

  it('random loss: lost when loss >= the draw; the drop counts and the verdict is SUCCESS|BYPASS', () => {
    const seed = 7n;
    const e = env({ qopt: qopt({ loss: pct(30) }), prng_seed: seed });
    const r = draws(seed, 50);
    const lost: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      const to_free: SkBuff[] = [];
      const rc = netem_enqueue(pkt(60), e.q, to_free);
      lost.push(to_free.length === 1);
      expect(rc).toBe(to_free.length ? NET_XMIT_SUCCESS | __NET_XMIT_BYPASS : NET_XMIT_SUCCESS);
    }
    expect(lost).toEqual(r.map((x) => pct(30) >= x));
    expect(e.q.stats.drops).toBe(lost.filter(Boolean).length);
    expect(e.q.stats.qlen).toBe(lost.filter((x) => !x).length);
  });

  it('duplicate: the clone goes in at the root with duplication off, so it is not duplicated again', () => {
    const seed = 11n;
    const e = env({ qopt: qopt({ duplicate: pct(50) }), prng_seed: seed });
    const r = draws(seed, 20);
    let k = 0;
    const dups: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      const before = e.root.length;
      netem_enqueue(pkt(60), e.q, []);
      // the original draws for dup; its clone (duplicate = 0) draws nothing
      dups.push(e.root.length > before);
      expect(dups[i]).toBe(pct(50) >= (r[k++] as number));
    }
    const n = dups.filter(Boolean).length;
    expect(n).toBeGreaterThan(0);
    expect(e.q.stats.qlen).toBe(10 + n);
    expect(e.q.duplicate).toBe(pct(50));
  });

  it('reorder with gap 3: every third packet (when reorder >= draw) goes to the head at once', () => {
    const seed = 5n;
    const e = env({ qopt: qopt({ latency: ticks(10_000), gap: 3 }), reorder: { probability: pct(100), correlation: 0 }, prng_seed: seed });
    const skbs = Array.from({ length: 6 }, () => pkt(60));
    for (const s of skbs) netem_enqueue(s, e.q, []);
    // counter 0,1 → delayed; counter 2 >= gap-1 and reorder (~0) >= any draw → head, counter 0
    expect(e.q.sch_q).toEqual([skbs[5], skbs[2]]);
    expect(e.q.stats.requeues).toBe(2);
    expect(netem_dequeue(e.q)).toBe(skbs[5]);
    expect(netem_dequeue(e.q)).toBe(skbs[2]);
    expect(netem_dequeue(e.q)).toBeNull();
    e.clock.now += 10 * MS;
    expect([0, 1, 2, 3].map(() => netem_dequeue(e.q))).toEqual([skbs[0], skbs[1], skbs[3], skbs[4]]);
  });

  it('corrupt: one bit flipped, at byte __get_random_u32_below(len) and bit get_random_u32_below(8)', () => {
    const seed = 13n;
    // init_crandom draws one get_random_u32 for corrupt_cor.last (the seed is given: no get_random_u64)
    const rng = seq([0xdead, 0x40000000, 0x40000001, 0x80]);
    const e = env({ qopt: qopt({}), corrupt: { probability: pct(100), correlation: 0 }, prng_seed: seed }, rng);
    const skb = pkt(100);
    netem_enqueue(skb, e.q, []);
    // 100 * 0x40000000 leaves a low word 0 < bound (2^32 - 100) % 100 = 96: drawn again;
    // byte (100 * 0x40000001) >> 32 = 25; bit (8 * 0x80) >> 8 = 4
    const b = skb.bytes();
    expect(
      Array.from(b)
        .map((v, i) => (v ? i : -1))
        .filter((i) => i >= 0),
    ).toEqual([25]);
    expect(b[25]).toBe(1 << 4);
  });

  it('corrupt on a GSO skb: segmented first, the first segment corrupted, the rest enqueued; the parents told', () => {
    const rng = seq([0xdead, 0x40000001, 0x80]);
    const e = env({ qopt: qopt({}), corrupt: { probability: pct(100), correlation: 0 }, prng_seed: 13n }, rng);
    const gso = pkt(3000);
    gso.gsoSize = 1000;
    const parts = [pkt(1040), pkt(1040), pkt(1040)];
    const reduced: [number, number][] = [];
    e.q.host.segment = (skb) => (skb === gso ? parts : null);
    e.q.host.tree_reduce_backlog = (n, len) => reduced.push([n, len]);
    // corrupt (~0) >= every draw, so each segment is corrupted again as it is enqueued
    expect(netem_enqueue(gso, e.q, [])).toBe(NET_XMIT_SUCCESS);
    expect(e.q.t_list).toEqual(parts);
    expect(e.q.stats.qlen).toBe(3);
    expect(e.q.stats.backlog).toBe(3120);
    // 3 skbs of 3120 bytes where the parents counted one of 3000
    expect(reduced).toEqual([[-2, -120]]);
    // byte (1040 * 0x40000001) >> 32 = 260 of the first segment, bit 4
    expect(parts[0]?.bytes()[260]).toBe(1 << 4);
  });

  it('rate: transmission time with packet overhead and cells, each packet after the last one', () => {
    // 1mbit = 125000 bytes/s; 1000 bytes + 20 overhead = 1020 → 11 cells of 100 → 11 * (100 + 5) = 1155 bytes
    const rate = { rate: 125000, packet_overhead: 20, cell_size: 100, cell_overhead: 5 };
    expect(packet_time_ns(1000, rate)).toBe(9_240_000);
    expect(packet_time_ns(80, { rate: 125000, packet_overhead: 0, cell_size: 0, cell_overhead: 0 })).toBe(640_000);
    const e = env({ qopt: qopt({}), rate, prng_seed: 1n });
    const t0 = e.clock.now;
    const a = pkt(1000);
    const b = pkt(1000);
    netem_enqueue(a, e.q, []);
    e.clock.now += 1 * MS;
    netem_enqueue(b, e.q, []);
    expect(e.q.time_to_send.get(a)).toBe(t0 + 9_240_000);
    expect(e.q.time_to_send.get(b)).toBe(t0 + 2 * 9_240_000);
  });

  it('limit: a full tfifo refuses with NET_XMIT_DROP', () => {
    const e = env({ qopt: qopt({ latency: ticks(1000), limit: 3 }), prng_seed: 1n });
    const to_free: SkBuff[] = [];
    for (let i = 0; i < 3; i++) expect(netem_enqueue(pkt(60), e.q, to_free)).toBe(NET_XMIT_SUCCESS);
    const last = pkt(60);
    expect(netem_enqueue(last, e.q, to_free)).toBe(NET_XMIT_DROP);
    expect(to_free).toEqual([last]);
    expect(e.q.stats.drops).toBe(1);
  });

  it('slot: packets wait for the slot and go at most max_packets per slot', () => {
    const rng = seq([0x80000000]);
    const e = env(
      {
        qopt: qopt({}),
        slot: { min_delay: 10 * MS, max_delay: 20 * MS, max_packets: 2, max_bytes: 0, dist_delay: 0, dist_jitter: 0 },
        prng_seed: 1n,
      },
      rng,
    );
    const t0 = e.clock.now;
    expect(e.q.slot.slot_next).toBe(t0);
    const skbs = Array.from({ length: 3 }, () => pkt(60));
    for (const s of skbs) netem_enqueue(s, e.q, []);
    expect(netem_dequeue(e.q)).toBe(skbs[0]);
    // the second uses the slot up: next slot = now + 10ms + (0x80000000 * 10ms >> 32) = now + 15ms
    expect(netem_dequeue(e.q)).toBe(skbs[1]);
    expect(e.q.slot.slot_next).toBe(t0 + 15 * MS);
    expect(netem_dequeue(e.q)).toBeNull();
    expect(e.watchdog.at(-1)).toBe(t0 + 15 * MS);
    e.clock.now = t0 + 15 * MS;
    expect(netem_dequeue(e.q)).toBe(skbs[2]);
  });

  it("slot distribution: the next slot is tabledist(delay, jitter) over the slot table, from netem's prng", () => {
    const dist = normalTable();
    const seed = 77n;
    const e = env({
      qopt: qopt({}),
      slot: { min_delay: 0, max_delay: 0, max_packets: 1, max_bytes: 0, dist_delay: 10 * MS, dist_jitter: 2 * MS },
      slot_dist: dist,
      prng_seed: seed,
    });
    const t0 = e.clock.now;
    const a = pkt(60);
    const b = pkt(60);
    netem_enqueue(a, e.q, []);
    netem_enqueue(b, e.q, []);
    expect(netem_dequeue(e.q)).toBe(a);
    // the draws: none for the two enqueues (no loss, dup, delay), the first for the slot
    const [r] = draws(seed, 1) as [number];
    const t = dist[r % dist.length] as number;
    let x = ((2 * MS) % 8192) * t;
    x += x >= 0 ? 4096 : -4096;
    const next = Math.trunc(x / 8192) + Math.trunc((2 * MS) / 8192) * t + 10 * MS;
    expect(e.q.slot.slot_next).toBe(t0 + next);
    expect(netem_dequeue(e.q)).toBeNull();
    e.clock.now = t0 + next;
    expect(netem_dequeue(e.q)).toBe(b);
  });

  it('ecn: a lost ECT packet is marked CE (checksum patched) and still sent', () => {
    const e = env({ qopt: qopt({ loss: U32MAX }), ecn: 1, prng_seed: 1n });
    const skb = pkt(34);
    skb.protocol = 0x0800;
    skb.networkHeader = skb.data + 14;
    const h = skb.head;
    const nh = skb.networkHeader;
    h.set([0x45, 0x02, 0, 20, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], nh);
    const csum = (): number => {
      let s = 0;
      for (let i = 0; i < 20; i += 2) s += ((h[nh + i] as number) << 8) | (h[nh + i + 1] as number);
      while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
      return s;
    };
    const c = ~csum() & 0xffff;
    h[nh + 10] = c >>> 8;
    h[nh + 11] = c & 0xff;
    expect(netem_enqueue(skb, e.q, [])).toBe(NET_XMIT_SUCCESS);
    expect((h[nh + 1] as number) & 3).toBe(3);
    expect(csum()).toBe(0xffff);
    expect(e.q.stats.drops).toBe(1);
    expect(e.q.stats.qlen).toBe(1);
    // a Not-ECT packet is lost instead
    const plain = pkt(34);
    expect(INET_ECN_set_ce(plain)).toBe(false);
  });
});

describe('loss models', () => {
  it('4-state: transitions follow p13, p31, p32, p23, p14 over the draws', () => {
    const p: prng = { seed: 21n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
    prandom_seed_state(p.prng_state, 21n);
    const r = draws(21n, 400);
    const clg = { state: TX_IN_GAP_PERIOD, a1: pct(10), a2: pct(40), a3: pct(30), a4: pct(5), a5: pct(60) };
    // the chain as the source writes it
    const model = { ...clg };
    for (const rnd of r) {
      let lost = false;
      switch (model.state) {
        case TX_IN_GAP_PERIOD:
          if (rnd < model.a4) {
            model.state = LOST_IN_GAP_PERIOD;
            lost = true;
          } else if (model.a4 < rnd && rnd < model.a1 + model.a4) {
            model.state = LOST_IN_BURST_PERIOD;
            lost = true;
          }
          break;
        case TX_IN_BURST_PERIOD:
          if (rnd < model.a5) {
            model.state = LOST_IN_BURST_PERIOD;
            lost = true;
          }
          break;
        case LOST_IN_BURST_PERIOD:
          if (rnd < model.a3) model.state = TX_IN_BURST_PERIOD;
          else if (model.a3 < rnd && rnd < model.a2 + model.a3) model.state = TX_IN_GAP_PERIOD;
          else if (model.a2 + model.a3 < rnd) lost = true;
          break;
        case LOST_IN_GAP_PERIOD:
          model.state = TX_IN_GAP_PERIOD;
          break;
      }
      expect(loss_4state(clg, p)).toBe(lost);
      expect(clg.state).toBe(model.state);
    }
  });
  it('Gilbert-Elliott: one draw for the state, one for the loss (k1 in good, 1-h in bad)', () => {
    const p: prng = { seed: 8n, prng_state: { s1: 0, s2: 0, s3: 0, s4: 0 } };
    prandom_seed_state(p.prng_state, 8n);
    const r = draws(8n, 400);
    const clg = { state: GOOD_STATE, a1: pct(20), a2: pct(30), a3: pct(10), a4: pct(1), a5: 0 };
    let state = GOOD_STATE;
    let bad = 0;
    for (let i = 0; i < r.length; i += 2) {
      let lost: boolean;
      if (state === GOOD_STATE) {
        if ((r[i] as number) < clg.a1) state = BAD_STATE;
        lost = (r[i + 1] as number) < clg.a4;
      } else {
        if ((r[i] as number) < clg.a2) state = GOOD_STATE;
        lost = (r[i + 1] as number) > clg.a3;
      }
      if (state === BAD_STATE) bad++;
      expect(loss_gilb_ell(clg, p)).toBe(lost);
      expect(clg.state).toBe(state);
    }
    expect(bad).toBeGreaterThan(0);
  });
});

describe('netem_change and determinism', () => {
  it('dump gives back what change took (limit, ticks, the GI model, slot with INT_MAX as 0)', () => {
    const opt: NetemOptions = {
      qopt: qopt({ latency: ticks(100_000), jitter: ticks(10_000), limit: 77 }),
      loss: [{ type: NETEM_LOSS_GI, gi: { p13: 1, p31: 2, p32: 3, p14: 4, p23: 5 } }],
      slot: { min_delay: 1, max_delay: 2, max_packets: 0, max_bytes: 0, dist_delay: 0, dist_jitter: 0 },
      prng_seed: 99n,
    };
    const e = env(opt);
    const d = netem_dump(e.q);
    expect(d.qopt).toEqual(opt.qopt);
    expect(d.latency64).toBe(100_000_000n);
    expect(d.jitter64).toBe(10_000_000n);
    expect(d.loss).toEqual(opt.loss);
    expect(d.slot).toEqual(opt.slot);
    expect(d.prng_seed).toBe(99n);
    const ge = env({ qopt: qopt({}), loss: [{ type: NETEM_LOSS_GE, ge: { p: 1, r: 2, h: 3, k1: 4 } }] });
    expect(netem_dump(ge.q).loss).toEqual([{ type: NETEM_LOSS_GE, ge: { p: 1, r: 2, h: 3, k1: 4 } }]);
  });
  it('a duplicating netem may not join another netem', () => {
    const other = env({ qopt: qopt({}) }).q;
    expect(check_netem_in_tree(true, [other]).msg).toBe('netem: cannot mix duplicating netems with other netems in tree');
    expect(check_netem_in_tree(false, [other]).err).toBe(0);
  });
  it('without a seed the prng is seeded from get_random_u64(): same scenario seed, same losses', () => {
    const run = (words: number[]): boolean[] => {
      const e = env({ qopt: qopt({ loss: pct(50) }) }, seq(words));
      return Array.from({ length: 64 }, () => {
        const f: SkBuff[] = [];
        netem_enqueue(pkt(60), e.q, f);
        return f.length > 0;
      });
    };
    expect(run([1, 2])).toEqual(run([1, 2]));
    expect(run([1, 2])).not.toEqual(run([3, 4]));
  });
});
