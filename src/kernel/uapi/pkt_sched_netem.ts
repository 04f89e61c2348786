// The netem part of include/uapi/linux/pkt_sched.h (Linux 6.18): the
// TCA_OPTIONS of a netem qdisc as plain data. `qopt` is struct
// tc_netem_qopt (the fixed head of TCA_OPTIONS); every other field is the
// nested attribute of that name (a missing field is a missing attribute).
// Probabilities are u32 scaled to 0..~0 (UINT32_MAX = 100%), latency and
// jitter of qopt are psched ticks (64 ns), the 64-bit ones nanoseconds.

export const TCA_NETEM_UNSPEC = 0;
export const TCA_NETEM_CORR = 1;
export const TCA_NETEM_DELAY_DIST = 2;
export const TCA_NETEM_REORDER = 3;
export const TCA_NETEM_CORRUPT = 4;
export const TCA_NETEM_LOSS = 5;
export const TCA_NETEM_RATE = 6;
export const TCA_NETEM_ECN = 7;
export const TCA_NETEM_RATE64 = 8;
export const TCA_NETEM_PAD = 9;
export const TCA_NETEM_LATENCY64 = 10;
export const TCA_NETEM_JITTER64 = 11;
export const TCA_NETEM_SLOT = 12;
export const TCA_NETEM_SLOT_DIST = 13;
export const TCA_NETEM_PRNG_SEED = 14;

export const NETEM_LOSS_UNSPEC = 0;
/** General Intuitive: the 4-state model */
export const NETEM_LOSS_GI = 1;
/** Gilbert-Elliot models */
export const NETEM_LOSS_GE = 2;

export const NETEM_DIST_SCALE = 8192;
export const NETEM_DIST_MAX = 16384;

/** include/net/pkt_sched.h: a psched tick is 2^PSCHED_SHIFT ns. */
export const PSCHED_SHIFT = 6;

export interface tc_netem_qopt {
  /** added delay (psched ticks) */
  latency: number;
  /** tfifo limit (packets) */
  limit: number;
  /** random packet loss (0 = none, ~0 = 100%) */
  loss: number;
  /** re-ordering gap (0 for none) */
  gap: number;
  /** random packet duplication (0 = none, ~0 = 100%) */
  duplicate: number;
  /** random jitter in latency (psched ticks) */
  jitter: number;
}

export interface tc_netem_corr {
  delay_corr: number;
  loss_corr: number;
  dup_corr: number;
}

export interface tc_netem_reorder {
  probability: number;
  correlation: number;
}

export interface tc_netem_corrupt {
  probability: number;
  correlation: number;
}

export interface tc_netem_rate {
  /** bytes per second (u32; ~0 when TCA_NETEM_RATE64 carries it) */
  rate: number;
  packet_overhead: number;
  cell_size: number;
  cell_overhead: number;
}

/** s64 fields in ns, held as numbers (exact below 2^53 ns, 104 days). */
export interface tc_netem_slot {
  min_delay: number;
  max_delay: number;
  max_packets: number;
  max_bytes: number;
  dist_delay: number;
  dist_jitter: number;
}

/** State transition probabilities of the 4-state model. */
export interface tc_netem_gimodel {
  p13: number;
  p31: number;
  p32: number;
  p14: number;
  p23: number;
}

/** Gilbert-Elliot model. */
export interface tc_netem_gemodel {
  p: number;
  r: number;
  h: number;
  k1: number;
}

/** One entry of the nested TCA_NETEM_LOSS, in the order sent. */
export type NetemLossAttr =
  | { type: typeof NETEM_LOSS_GI; gi: tc_netem_gimodel }
  | { type: typeof NETEM_LOSS_GE; ge: tc_netem_gemodel }
  | { type: number; len: number };

/** TCA_OPTIONS of kind "netem". */
export interface NetemOptions {
  qopt: tc_netem_qopt;
  corr?: tc_netem_corr;
  /** TCA_NETEM_DELAY_DIST: the s16 inverse-CDF table (scaled by NETEM_DIST_SCALE) */
  delay_dist?: Int16Array;
  reorder?: tc_netem_reorder;
  corrupt?: tc_netem_corrupt;
  loss?: NetemLossAttr[];
  rate?: tc_netem_rate;
  ecn?: number;
  /** bytes per second, u64 */
  rate64?: bigint;
  /** ns, s64 */
  latency64?: bigint;
  /** ns, s64 */
  jitter64?: bigint;
  slot?: tc_netem_slot;
  slot_dist?: Int16Array;
  /** u64 */
  prng_seed?: bigint;
}
