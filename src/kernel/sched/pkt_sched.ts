// include/net/pkt_sched.h (PSCHED_* ticks) and the rate configuration of
// include/net/sch_generic.h / net/sched/sch_generic.c: struct psched_ratecfg,
// psched_ratecfg_precompute() (a reciprocal of the rate as mult/shift),
// psched_l2t_ns() (bytes → ns at that rate) and psched_ratecfg_getrate(),
// plus sch_tbf.c's psched_ns_t2l(). The u64 arithmetic of the kernel is kept:
// products that may pass 2^53 are done in BigInt and wrap at 2^64 as in C.
import { TC_LINKLAYER_ATM, TC_LINKLAYER_MASK, type TcRatespec } from '../uapi/pkt_sched_tbf_htb.ts';

/** PSCHED_SHIFT: a psched tick is 64 ns. */
export const PSCHED_SHIFT = 6;
export const NSEC_PER_SEC = 1_000_000_000;

/** PSCHED_TICKS2NS(x) */
export function PSCHED_TICKS2NS(x: number): number {
  return x * 2 ** PSCHED_SHIFT;
}

/** PSCHED_NS2TICKS(x): an arithmetic shift (s64 >> 6) */
export function PSCHED_NS2TICKS(x: number): number {
  return Math.floor(x / 2 ** PSCHED_SHIFT);
}

/** struct psched_ratecfg */
export interface PschedRatecfg {
  rate_bytes_ps: number;
  mult: number;
  overhead: number;
  mpu: number;
  linklayer: number;
  shift: number;
}

const U64 = (1n << 64n) - 1n;

/** psched_ratecfg_precompute__(): mult/shift so that ns = (len * mult) >> shift. */
export function psched_ratecfg_precompute__(rate: number): { mult: number; shift: number } {
  if (rate <= 0) return { mult: 1, shift: 0 };
  const r = BigInt(rate);
  let factor = BigInt(NSEC_PER_SEC);
  let shift = 0;
  for (;;) {
    // mult is a u32: div64_u64() truncated to 32 bits
    const mult = (factor / r) & 0xffffffffn;
    if (mult & (1n << 31n) || factor & (1n << 63n)) return { mult: Number(mult), shift };
    factor = (factor << 1n) & U64;
    shift++;
  }
}

/** psched_ratecfg_precompute(): from the tc_ratespec and the 64-bit rate attribute. */
export function psched_ratecfg_precompute(
  conf: Pick<TcRatespec, 'rate' | 'overhead' | 'mpu' | 'linklayer'>,
  rate64: number,
): PschedRatecfg {
  const rate_bytes_ps = Math.max(conf.rate, rate64);
  const { mult, shift } = psched_ratecfg_precompute__(rate_bytes_ps);
  return {
    rate_bytes_ps,
    mult,
    shift,
    overhead: conf.overhead & 0xffff,
    mpu: conf.mpu & 0xffff,
    linklayer: conf.linklayer & TC_LINKLAYER_MASK,
  };
}

/** An all-zero psched_ratecfg (memset 0: no peak rate). */
export function psched_ratecfg_zero(): PschedRatecfg {
  return { rate_bytes_ps: 0, mult: 0, overhead: 0, mpu: 0, linklayer: 0, shift: 0 };
}

/** psched_l2t_ns(): the time `len` bytes take at rate r, in ns (u64). */
export function psched_l2t_ns(r: PschedRatecfg, len: number): number {
  // len is an unsigned int: += overhead wraps at 2^32
  len = (len + r.overhead) >>> 0;
  if (len < r.mpu) len = r.mpu;
  if (r.linklayer === TC_LINKLAYER_ATM) len = Math.ceil(len / 48) * 53;
  const p = len * r.mult;
  if (p <= Number.MAX_SAFE_INTEGER) return Math.floor(p / 2 ** r.shift);
  return Number(((BigInt(len) * BigInt(r.mult)) & U64) >> BigInt(r.shift));
}

/** psched_ns_t2l() (sch_tbf.c): how many bytes `ns` of time buys at rate r (u64 arithmetic). */
export function psched_ns_t2l(r: PschedRatecfg, ns: number): number {
  let len = ((BigInt(ns) * BigInt(r.rate_bytes_ps)) & U64) / BigInt(NSEC_PER_SEC);
  if (r.linklayer === TC_LINKLAYER_ATM) len = (len / 53n) * 48n;
  const ov = BigInt(r.overhead);
  len = len > ov ? len - ov : 0n;
  return Number(len);
}

/** psched_ratecfg_getrate(): the tc_ratespec a dump reports (cell_log and cell_align are not kept). */
export function psched_ratecfg_getrate(r: PschedRatecfg): TcRatespec {
  return {
    cell_log: 0,
    linklayer: r.linklayer & TC_LINKLAYER_MASK,
    overhead: r.overhead,
    cell_align: 0,
    mpu: r.mpu,
    rate: Math.min(r.rate_bytes_ps, 0xffffffff),
  };
}
