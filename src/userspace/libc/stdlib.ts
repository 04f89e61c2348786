// glibc's strtod(3) in the C locale: what it converts, where it stops, and
// whether it sets ERANGE — the tools that take seconds (ping -i/-W) read their
// arguments with it and complain about the rest ("garbage") as the C code does.

/** The value, the unconverted rest (`*endptr`), and ERANGE when the value overflowed or underflowed. */
export interface Strtod {
  value: number;
  rest: string;
  erange: boolean;
}

const DEC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const INF = /^([+-]?)inf(?:inity)?/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?/i;

/** strtod(s, &end): leading white space, a sign, a decimal or hexadecimal float, inf or nan. */
export function strtod(s: string): Strtod {
  const lead = /^[ \t\n\v\f\r]*/.exec(s)?.[0].length ?? 0;
  const t = s.slice(lead);
  let m = HEX.exec(t);
  if (m) {
    const [int = '', frac = ''] = (m[2] as string).split('.');
    const digits = int + frac;
    let v = 0;
    for (const d of digits) v = v * 16 + Number.parseInt(d, 16);
    v *= 2 ** (Number(m[3] ?? 0) - 4 * frac.length);
    if (m[1] === '-') v = -v;
    return { value: v, rest: t.slice(m[0].length), erange: !Number.isFinite(v) || (v === 0 && /[1-9a-fA-F]/.test(digits)) };
  }
  m = DEC.exec(t);
  if (m) {
    const v = Number(m[0]);
    const nonzero = /[1-9]/.test(m[0].replace(/[eE].*$/, ''));
    return { value: v, rest: t.slice(m[0].length), erange: !Number.isFinite(v) || (v === 0 && nonzero) };
  }
  m = INF.exec(t);
  if (m) return { value: m[1] === '-' ? -Infinity : Infinity, rest: t.slice(m[0].length), erange: false };
  m = NAN.exec(t);
  if (m) return { value: Number.NaN, rest: t.slice(m[0].length), erange: false };
  // no conversion: end points at the start of the string
  return { value: 0, rest: s, erange: false };
}
