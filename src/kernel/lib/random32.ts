// lib/random32.c and include/linux/prandom.h: the maximally equidistributed
// combined Tausworthe generator (L'Ecuyer's lfsr113) behind
// prandom_u32_state(), the seeded generator netem draws from, and
// prandom_seed_state(), which spreads a u64 seed over its four words.

/** struct rnd_state: four u32 words. */
export interface rnd_state {
  s1: number;
  s2: number;
  s3: number;
  s4: number;
}

function tausworthe(s: number, a: number, b: number, c: number, d: number): number {
  return (((s & c) << d) ^ (((s << a) ^ s) >>> b)) >>> 0;
}

/** prandom_u32_state(): the next u32 of the seeded sequence. */
export function prandom_u32_state(state: rnd_state): number {
  state.s1 = tausworthe(state.s1, 6, 13, 0xfffffffe, 18);
  state.s2 = tausworthe(state.s2, 2, 27, 0xfffffff8, 2);
  state.s3 = tausworthe(state.s3, 13, 21, 0xfffffff0, 7);
  state.s4 = tausworthe(state.s4, 3, 12, 0xffffff80, 13);
  return (state.s1 ^ state.s2 ^ state.s3 ^ state.s4) >>> 0;
}

/** __seed(): the minimum each word needs (s1 > 1, s2 > 7, s3 > 15, s4 > 127). */
export function __seed(x: number, m: number): number {
  return x < m ? (x + m) >>> 0 : x;
}

/** prandom_seed_state(): no warm-up, as the header inline does. */
export function prandom_seed_state(state: rnd_state, seed: bigint): void {
  const s = BigInt.asUintN(64, seed);
  const i = Number(((s >> 32n) ^ BigInt.asUintN(64, s << 10n) ^ s) & 0xffffffffn);
  state.s1 = __seed(i, 2);
  state.s2 = __seed(i, 8);
  state.s3 = __seed(i, 16);
  state.s4 = __seed(i, 128);
}

/** prandom_warmup(): ten draws to satisfy the recurrence condition. */
export function prandom_warmup(state: rnd_state): void {
  for (let i = 0; i < 10; i++) prandom_u32_state(state);
}
