// The token arithmetic of net/sched (psched_ratecfg_precompute, psched_l2t_ns,
// psched_ns_t2l) against what Linux 6.18 computed: the raw buffers below are
// the `[%08x]` of `tc -r qdisc show` for tbf (q->buffer >> 6, q->buffer =
// psched_l2t_ns(rate, burst)), recorded in test/userspace/tools/tc_tbf.recorded.json.
import { describe, expect, it } from 'vitest';
import {
  PSCHED_NS2TICKS,
  PSCHED_TICKS2NS,
  psched_l2t_ns,
  psched_ns_t2l,
  psched_ratecfg_getrate,
  psched_ratecfg_precompute,
  psched_ratecfg_precompute__,
} from '../../../src/kernel/sched/pkt_sched.ts';
import { TC_LINKLAYER_ATM, TC_LINKLAYER_ETHERNET } from '../../../src/kernel/uapi/pkt_sched_tbf_htb.ts';

const eth = (rate: number, rate64 = 0, overhead = 0, mpu = 0, linklayer = TC_LINKLAYER_ETHERNET) =>
  psched_ratecfg_precompute({ rate: Math.min(rate, 0xffffffff), overhead, mpu, linklayer }, rate64);

describe('psched_l2t_ns as the kernel computed it (tbf raw buffer ticks)', () => {
  // [bytes per second as tc sends it, burst bytes, raw buffer ticks the kernel dumped]
  const recorded: [number, number, number][] = [
    [125000, 10240, 0x00138800], // rate 1mbit burst 10kb
    [1, 1, 0x00ee6b28], // rate 8bit burst 1
    [125, 1500, 0x0b2d05e0], // rate 1kbit burst 1500
    [100000, 4096, 0x0009c400], // rate 100kbps burst 32kbit
    [131072, 65536, 0x00773594], // rate 1Mibit burst 64k
    [15432098, 99999, 0x00018b80], // rate 123456789bit burst 99999: mult/shift truncation, not 1e9*len/rate
    [125000000, 102400, 0x00003200], // rate 1gbit burst 100kb
    [12500000000, 1048576, 0x0000051e], // rate 100gbit (TCA_TBF_RATE64) burst 1mb
    [5000000000, 1048576, 0x00000ccc], // rate 40gbit burst 1mb
  ];
  for (const [rate, burst, ticks] of recorded) {
    it(`${rate} B/s, ${burst} bytes → ${ticks.toString(16)} ticks`, () => {
      const r = eth(rate, rate >= 2 ** 32 ? rate : 0);
      expect(PSCHED_NS2TICKS(psched_l2t_ns(r, burst))).toBe(ticks);
    });
  }
  it('peakrate 2gbit mtu 2000 → 0x7d ticks; 50gbit mtu 64kb → 0xa3', () => {
    expect(PSCHED_NS2TICKS(psched_l2t_ns(eth(250000000), 2000))).toBe(0x7d);
    expect(PSCHED_NS2TICKS(psched_l2t_ns(eth(6250000000, 6250000000), 65536))).toBe(0xa3);
  });
  it('overhead 20, mpu 64, linklayer atm: 10k at 1mbit → 0x15a216 ticks', () => {
    expect(PSCHED_NS2TICKS(psched_l2t_ns(eth(125000, 0, 20, 64, TC_LINKLAYER_ATM), 10240))).toBe(0x15a216);
  });
});

describe('psched_ratecfg_precompute__', () => {
  it('takes the largest shift that keeps mult below 2^32 with bit 31 set', () => {
    expect(psched_ratecfg_precompute__(125000)).toEqual({ mult: 4194304000, shift: 19 });
    expect(psched_ratecfg_precompute__(1)).toEqual({ mult: 4000000000, shift: 2 });
    expect(psched_ratecfg_precompute__(0)).toEqual({ mult: 1, shift: 0 });
  });
  it('stops when the factor reaches bit 63 (very high rates)', () => {
    const { mult, shift } = psched_ratecfg_precompute__(2 ** 40);
    // factor = 1e9 << 34 is the first with bit 63 set: 2^34·1e9 / 2^40 = 15625000 (bit 31 clear)
    expect(shift).toBe(34);
    expect(mult).toBe(15625000);
  });
});

describe('psched_ns_t2l and the rest', () => {
  it('is the inverse of l2t within a byte, ATM cells and overhead removed', () => {
    const r = eth(125000);
    expect(psched_ns_t2l(r, psched_l2t_ns(r, 1514))).toBe(1514);
    const atm = eth(125000, 0, 20, 0, TC_LINKLAYER_ATM);
    // 1 s at 125000 B/s = 125000 bytes on the wire → 2358 cells of 48 → 113184, minus 20
    expect(psched_ns_t2l(atm, 1e9)).toBe(113164);
  });
  it('wraps the u64 product as C does', () => {
    const r = eth(0xffffffff, 2 ** 40);
    // 2^30 ns · 2^40 B/s = 2^70 → wraps to 0
    expect(psched_ns_t2l(r, 2 ** 30)).toBe(0);
  });
  it('reports the rate clamped to u32 and drops cell_log', () => {
    expect(psched_ratecfg_getrate(eth(0xffffffff, 12500000000))).toEqual({
      cell_log: 0,
      linklayer: 1,
      overhead: 0,
      cell_align: 0,
      mpu: 0,
      rate: 0xffffffff,
    });
    expect(PSCHED_TICKS2NS(3)).toBe(192);
    expect(PSCHED_NS2TICKS(-65)).toBe(-2);
  });
});
