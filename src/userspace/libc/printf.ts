// C's printf conversions for one value (%d %i %o %x %X %u %c %s %e %E %f %F
// %g %G with flags, width and precision), as glibc formats them: awk's
// printf/sprintf and its number-to-string conversions (CONVFMT, OFMT), and
// the shell's printf builtin, use it.

export interface Spec {
  flags: string;
  width: number | null;
  prec: number | null;
  conv: string;
}

/** s in spec's field width: left (-) or right, zeros after the sign for a number with the 0 flag. */
export function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width ?? 0;
  if (s.length >= w) return s;
  if (spec.flags.includes('-')) return s + ' '.repeat(w - s.length);
  if (numeric && spec.flags.includes('0') && !/[a-z]/i.test(s.replace(/^[-+ ]?0[xX]/, '').replace(/e[-+]\d+$/i, ''))) {
    const m = /^([-+ ]?(?:0[xX])?)(.*)$/.exec(s) as RegExpExecArray;
    return (m[1] as string) + '0'.repeat(w - s.length) + (m[2] as string);
  }
  return ' '.repeat(w - s.length) + s;
}

function sign(neg: boolean, flags: string): string {
  if (neg) return '-';
  if (flags.includes('+')) return '+';
  if (flags.includes(' ')) return ' ';
  return '';
}

function expDigits(s: string): string {
  // JavaScript writes e+3; C writes e+03
  return s.replace(/e([-+])(\d)$/, 'e$10$2');
}

/** x = m * 2^e with m odd (x finite, > 0). */
function oddMantissa(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let e = biased - 1075;
  if (biased === 0) e = -1074;
  else m |= 1n << 52n;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e++;
  }
  return { m, e };
}

/** toExponential(p) rounded as glibc rounds: a value exactly halfway between two p-digit mantissas goes to the even one. */
function toExponentialC(x: number, p: number): string {
  const s = x.toExponential(p);
  if (x === 0 || p > 100) return s;
  const { m, e } = oddMantissa(x);
  // the exact significant digits of x; a tie has exactly p+2 of them, the last a 5
  if (e < 0 && -e * 0.69 > p + 3) return s;
  // x = N * 10^-(-e) for e < 0, x = N for e >= 0: its decimal exponent follows from N's length
  const n = (e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e)).toString();
  const sig = n.replace(/0+$/, '');
  if (sig.length !== p + 2 || !sig.endsWith('5')) return s;
  let k = BigInt(sig.slice(0, -1));
  if (k % 2n === 1n) k += 1n;
  let digits = k.toString();
  let exp = n.length - 1 - (e < 0 ? -e : 0);
  if (digits.length > p + 1) {
    // 9.5 -> 10: one more digit, one more power of ten
    digits = digits.slice(0, p + 1);
    exp++;
  }
  const mant = p === 0 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${mant}e${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/** %e of |x| with p digits after the point. */
function fmtE(x: number, p: number, alt: boolean): string {
  let s = expDigits(toExponentialC(x, Math.min(p, 100)));
  if (alt && p === 0) s = s.replace('e', '.e');
  return s;
}

/**
 * x (finite, >= 0) with p digits after the point, rounded as glibc rounds:
 * to nearest, and a tie (x exactly halfway, as 2.5 or 0.125 are) to even —
 * JavaScript's toFixed takes the larger of the two there.
 */
function toFixedC(x: number, p: number): string {
  const s = x.toFixed(p);
  if (x === 0 || p > 100) return s;
  // x = m * 2^e with m odd: 2 * x * 10^p = m * 5^p * 2^(e+1+p) is an odd integer (a tie) iff e = -(p+1)
  const { m, e } = oddMantissa(x);
  if (e !== -(p + 1)) return s;
  const twice = m * 5n ** BigInt(p); // 2 * x * 10^p, odd
  let k = (twice - 1n) / 2n; // the lower neighbour
  if (k % 2n === 1n) k += 1n;
  const digits = k.toString().padStart(p + 1, '0');
  return p === 0 ? digits : `${digits.slice(0, -p)}.${digits.slice(-p)}`;
}

function fmtF(x: number, p: number, alt: boolean): string {
  let s: string;
  if (x >= 1e21) {
    // toFixed switches to exponent form; write the integer digits out
    s = BigInt(Math.round(x)).toString() + (p > 0 ? '.' + '0'.repeat(p) : '');
  } else s = toFixedC(x, Math.min(p, 100));
  if (alt && p === 0) s += '.';
  return s;
}

function fmtG(x: number, p: number, alt: boolean): string {
  const P = p === 0 ? 1 : p;
  if (x === 0) {
    const z = alt ? (P > 1 ? '0.' + '0'.repeat(P - 1) : '0.') : '0';
    return z;
  }
  const e = Number((toExponentialC(x, P - 1).split('e')[1] as string) ?? 0);
  let s = P > e && e >= -4 ? toFixedC(x, P - 1 - e) : expDigits(toExponentialC(x, P - 1));
  if (!alt) {
    if (s.includes('e')) s = s.replace(/\.?0+e/, 'e');
    else if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

/** Formats a double under a floating conversion (e E f F g G). */
export function formatFloat(v: number, spec: Spec): string {
  const conv = spec.conv;
  const neg = v < 0 || Object.is(v, -0);
  const x = Math.abs(v);
  let body: string;
  if (Number.isNaN(v)) body = 'nan';
  else if (!Number.isFinite(v)) body = 'inf';
  else {
    const p = spec.prec ?? 6;
    const alt = spec.flags.includes('#');
    const c = conv.toLowerCase();
    body = c === 'e' ? fmtE(x, p, alt) : c === 'f' ? fmtF(x, p, alt) : fmtG(x, p, alt);
  }
  if (conv === 'E' || conv === 'G' || conv === 'F') body = body.toUpperCase();
  const nanNeg = Number.isNaN(v) ? (Object.is(v, Number.NaN) ? false : neg) : neg;
  const s = sign(nanNeg, spec.flags) + body;
  return pad(s, spec, Number.isFinite(v));
}

/** Formats an integer conversion (d i o x X u) of a double, truncated toward zero. */
export function formatInt(v: number, spec: Spec, bits: 32 | 64 = 64): string {
  let n: bigint;
  if (Number.isNaN(v)) n = bits === 64 ? -(1n << 63n) : -(1n << 31n);
  else if (v >= 2 ** 63) n = (1n << 63n) - 1n;
  else if (v <= -(2 ** 63)) n = -(1n << 63n);
  else n = BigInt(Math.trunc(v));
  return formatInteger(n, spec);
}

/** Formats an integer conversion (d i o x X u) of a 64-bit value (o x X u see it unsigned). */
export function formatInteger(v: bigint, spec: Spec): string {
  let n = v;
  const conv = spec.conv;
  let digits: string;
  let neg = false;
  if (conv === 'd' || conv === 'i') {
    neg = n < 0n;
    digits = (neg ? -n : n).toString();
  } else {
    if (n < 0n) n += 1n << 64n;
    digits = n.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
    if (conv === 'X') digits = digits.toUpperCase();
  }
  if (spec.prec !== null) {
    if (spec.prec === 0 && digits === '0') digits = '';
    digits = digits.padStart(spec.prec, '0');
  }
  let prefix = conv === 'd' || conv === 'i' ? sign(neg, spec.flags) : '';
  if (spec.flags.includes('#')) {
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if ((conv === 'x' || conv === 'X') && n !== 0n) prefix = conv === 'x' ? '0x' : '0X';
  }
  const s = prefix + digits;
  return pad(s, spec.prec !== null ? { ...spec, flags: spec.flags.replace('0', '') } : spec, true);
}

export function formatStr(s: string, spec: Spec): string {
  const t = spec.prec !== null ? s.slice(0, spec.prec) : s;
  return pad(t, { ...spec, flags: spec.flags.replace('0', '') }, false);
}

/** Splits a printf format into literal text and conversion specs. */
export function parseFormat(fmt: string): (string | Spec | { star: Spec; wStar: boolean; pStar: boolean })[] {
  const out: (string | Spec | { star: Spec; wStar: boolean; pStar: boolean })[] = [];
  let lit = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] as string;
    if (c !== '%') {
      lit += c;
      continue;
    }
    const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([hlLqjzt]*)([diouxXcseEfFgGaA%])/.exec(fmt.slice(i));
    if (!m) {
      lit += c;
      continue;
    }
    i += m[0].length - 1;
    if (m[5] === '%') {
      lit += '%';
      continue;
    }
    if (lit) out.push(lit);
    lit = '';
    const spec: Spec = {
      flags: m[1] as string,
      width: m[2] === undefined || m[2] === '*' ? null : Number(m[2]),
      prec: m[3] === undefined ? null : m[3] === '*' ? null : Number(m[3] || 0),
      conv: m[5] as string,
    };
    if (m[2] === '*' || m[3] === '*') out.push({ star: spec, wStar: m[2] === '*', pStar: m[3] === '*' });
    else out.push(spec);
  }
  if (lit) out.push(lit);
  return out;
}
