// The netem distribution tables iproute2 6.1 installs in
// /usr/lib/x86_64-linux-gnu/tc/*.dist, computed the way its netem/ programs
// compute them: normal (normal.c: the inverse of the normal CDF sampled
// through erf), pareto (pareto.c: a = 3), paretonormal (paretonormal.c:
// .25 normal + .75 pareto) and experimental (maketable.c over NIST Net's
// ping times; the table is data: netem_experimental.ts, made by
// scripts/netem_maketable.ts). Each is 4096 s16 entries scaled by
// NETEM_DIST_SCALE, printed eight to a line after a comment.
import { NETEM_EXPERIMENTAL } from './netem_experimental.ts';

const TABLESIZE = 16384;
const TABLEFACTOR = 8192;
const SHRT_MIN = -32768;
const SHRT_MAX = 32767;

/** rint(): round half to even, as the default rounding mode does. */
export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = 1; // little-endian: the high word is the second

function highWord(x: number): number {
  F64[0] = x;
  return U32[HI] as number;
}

/** x with the low 32 bits of its representation cleared. */
function clearLow(x: number): number {
  F64[0] = x;
  U32[1 - HI] = 0;
  return F64[0] as number;
}

function poly(z: number, c: readonly number[]): number {
  let r = 0;
  for (let i = c.length - 1; i >= 0; i--) r = r * z + (c[i] as number);
  return r;
}

// Rational approximations of erf/erfc in four ranges (the classic fdlibm
// split, which glibc's double erf uses); coefficients low order first.
const ERX = 0.8450629115104675;
const EFX = 0.1283791670955126;
const PP = [0.12837916709551256, -0.3250421072470015, -0.02848174957559851, -0.005770270296489442, -2.3763016656650163e-5];
const QQ = [1, 0.39791722395915535, 0.0650222499887673, 0.005081306281875766, 0.00013249473800432164, -3.960228278775368e-6];
const PA = [
  -0.0023621185607526594, 0.41485611868374833, -0.3722078760357013, 0.31834661990116175, -0.11089469428239668, 0.035478304325618236,
  -0.002166375594868791,
];
const QA = [1, 0.10642088040084423, 0.540397917702171, 0.07182865441419627, 0.12617121980876164, 0.01363708391202905, 0.011984499846799107];
const RA = [
  -0.009864944034847148, -0.6938585727071818, -10.558626225323291, -62.375332450326006, -162.39666946257347, -184.60509290671104,
  -81.2874355063066, -9.814329344169145,
];
const SA = [
  1, 19.651271667439257, 137.65775414351904, 434.56587747522923, 645.3872717332679, 429.00814002756783, 108.63500554177944,
  6.570249770319282, -0.0604244152148581,
];
const RB = [
  -0.0098649429247001, -0.799283237680523, -17.757954917754752, -160.63638485582192, -637.5664433683896, -1025.0951316110772,
  -483.5191916086514,
];
const SB = [
  1, 30.33806074348246, 325.7925129965739, 1536.729586084437, 3199.8582195085955, 2553.0504064331644, 474.52854120695537,
  -22.44095244658582,
];

/** erf() of libm. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ix = highWord(x) & 0x7fffffff;
  const ax = Math.abs(x);
  if (ix < 0x3feb0000) {
    if (ix < 0x3e300000) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(z, PP) / poly(z, QQ));
  }
  if (ix < 0x3ff40000) {
    const s = ax - 1;
    const pq = poly(s, PA) / poly(s, QA);
    return x >= 0 ? ERX + pq : -ERX - pq;
  }
  if (ix >= 0x40180000) return x >= 0 ? 1 : -1;
  const s = 1 / (ax * ax);
  const rs = ix < 0x4006db6e ? poly(s, RA) / poly(s, SA) : poly(s, RB) / poly(s, SB);
  const z = clearLow(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + rs);
  return x >= 0 ? 1 - r / ax : r / ax - 1;
}

function normalCdf(x: number): number {
  return 0.5 + 0.5 * erf(x / Math.sqrt(2.0));
}

/** The normal inverse CDF table before its 4-way sampling (normal.c's table[]). */
function normalInverse(): Float64Array {
  const table = new Float64Array(TABLESIZE + 1);
  for (let x = -10.0; x < 10.05; x += 0.00005) table[rint(TABLESIZE * normalCdf(x))] = x;
  return table;
}

function clampShort(v: number): number {
  return v < SHRT_MIN ? SHRT_MIN : v > SHRT_MAX ? SHRT_MAX : v;
}

/** normal.c */
export function normalTable(): Int16Array {
  const t = normalInverse();
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 0; i < TABLESIZE; i += 4) out[i / 4] = clampShort(rint((t[i] as number) * TABLEFACTOR));
  return out;
}

function paretoValue(i: number): number {
  let d = i / 65536;
  d = 1.0 / d ** (1.0 / 3.0);
  d -= 1.5;
  d *= (4.0 / 3.0) * TABLEFACTOR;
  if (d > 32767) d = 32767;
  return rint(d);
}

/** pareto.c */
export function paretoTable(): Int16Array {
  const out: number[] = [];
  for (let i = 65536; i > 0; i -= 16) out.push(paretoValue(i));
  return Int16Array.from(out);
}

/** paretonormal.c */
export function paretonormalTable(): Int16Array {
  const t = normalInverse();
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 0; i < TABLESIZE; i += 4) {
    const normvalue = rint((t[i] as number) * TABLEFACTOR);
    const parvalue = paretoValue(65536 - 4 * i);
    out[i / 4] = clampShort(Math.trunc((normvalue + 3 * parvalue) / 4));
  }
  return out;
}

/** experimental: maketable.c over NIST Net's experimental.dat. */
export function experimentalTable(): Int16Array {
  return Int16Array.from(NETEM_EXPERIMENTAL);
}

/** printtable(): the .dist file text (pareto/normal print a leading space, maketable not). */
function distText(name: string, t: Int16Array, lead: boolean): string {
  let s = `# This is the distribution table for the ${name} distribution.\n`;
  for (let i = 0; i < t.length; i++) {
    if (lead) s += ` ${t[i]}${i % 8 === 7 ? '\n' : ''}`;
    else s += `${t[i]}${i % 8 === 7 ? '\n' : ' '}`;
  }
  return s;
}

/** The .dist files installed in the tc library directory, by name. */
export const NETEM_DIST_FILES: Readonly<Record<string, () => string>> = {
  normal: () => distText('normal', normalTable(), true),
  pareto: () => distText('pareto', paretoTable(), true),
  paretonormal: () => distText('paretonormal', paretonormalTable(), true),
  experimental: () => distText('experimental', experimentalTable(), false),
};

/** maketable.c: a normalized inverse-CDF table of 4096 entries from sample values. */
export function maketable(x: readonly number[]): Int16Array {
  const DISTTABLEDOMAIN = Math.trunc(SHRT_MAX / TABLEFACTOR) + 1;
  const DISTTABLEGRANULARITY = 50000;
  const DISTTABLESIZE = DISTTABLEDOMAIN * DISTTABLEGRANULARITY * 2;
  const INVSIZE = 16384 / 4;
  const n = x.length;
  // arraystats()
  let sumsquare = 0;
  let sum = 0;
  for (const v of x) {
    sumsquare += v * v;
    sum += v;
  }
  const mu = sum / n;
  const sigma = Math.sqrt((sumsquare - n * mu * mu) / (n - 1));
  // makedist()
  const table = new Int32Array(DISTTABLESIZE);
  for (const v of x) {
    const input = (v - mu) / sigma;
    let index = Math.trunc(rint((input + DISTTABLEDOMAIN) * DISTTABLEGRANULARITY));
    if (index < 0) index = 0;
    if (index >= DISTTABLESIZE) index = DISTTABLESIZE - 1;
    table[index] = (table[index] as number) + 1;
  }
  // cumulativedist()
  let total = 0;
  for (let i = 0; i < DISTTABLESIZE; i++) {
    total += table[i] as number;
    table[i] = total;
  }
  // inverttable()
  const inverse = new Int16Array(INVSIZE).fill(SHRT_MIN);
  for (let i = 0; i < DISTTABLESIZE; i++) {
    const findex = i / DISTTABLEGRANULARITY - DISTTABLEDOMAIN;
    const fvalue = (table[i] as number) / total;
    let inverseindex = Math.trunc(rint(fvalue * INVSIZE));
    let inversevalue = Math.trunc(rint(findex * TABLEFACTOR));
    if (inversevalue <= SHRT_MIN) inversevalue = SHRT_MIN + 1;
    if (inversevalue > SHRT_MAX) inversevalue = SHRT_MAX;
    if (inverseindex >= INVSIZE) inverseindex = INVSIZE - 1;
    inverse[inverseindex] = inversevalue;
  }
  // interpolatetable(): C int arithmetic, truncating division
  let last = SHRT_MIN;
  let lasti = -1;
  for (let i = 0; i < INVSIZE; i++) {
    if (inverse[i] === SHRT_MIN) {
      let j = i;
      for (; j < INVSIZE; j++) if (inverse[j] !== SHRT_MIN) break;
      if (j < INVSIZE) inverse[i] = last + Math.trunc(((i - lasti) * ((inverse[j] as number) - last)) / (j - lasti));
      else inverse[i] = last + Math.trunc(((i - lasti) * (SHRT_MAX - last)) / (INVSIZE - lasti));
    } else {
      last = inverse[i] as number;
      lasti = i;
    }
  }
  return inverse;
}
