// What iptables' commands and extensions share (iptables/xshared.c and
// libxtables/xtables.c of iptables 1.8.9): errors, protocol names, the
// address, port and number parsers and the printers of numbers and strings.
import { ipv4ToString } from '../../../wire/ipv4.ts';
import type { PortRange } from '../../../kernel/uapi/x_tables.ts';
import { inet_aton } from '../../libc/inet.ts';
import { getservbyname, getservbyport } from '../netdb.ts';

export const PROG = 'iptables v1.8.9 (nf_tables)';
export const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";

export class IptError extends Error {
  constructor(
    readonly text: string,
    readonly code: number,
    /** Printed on stdout (--version), not an error. */
    readonly toStdout = false,
  ) {
    super(text);
  }
}

export function notSimulated(what: string): IptError {
  return new IptError(`skbpath: iptables: ${what} is not simulated\n`, 1);
}

/** xtables_error(PARAMETER_PROBLEM, …) */
export function paramProblem(msg: string): IptError {
  return new IptError(`${PROG}: ${msg}\n${TRY}`, 2);
}

export const PROTOS: [string, number][] = [
  ['all', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['tcp', 6],
  ['udp', 17],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['icmpv6', 58],
  ['sctp', 132],
  ['udplite', 136],
];

export function protoName(p: number): string | null {
  for (const [n, v] of PROTOS) if (v === p) return n;
  return null;
}

/** xtables_strtoui(): strtoul with base 0 (decimal, 0 octal, 0x hex), all of the text, within [min, max]. */
export function xtables_strtoui(s: string, min: number, max: number): number | null {
  let i = 0;
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  if (s[i] === '-') return null;
  if (s[i] === '+') i++;
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const digits = base === 16 ? /[0-9a-fA-F]/ : base === 8 ? /[0-7]/ : /[0-9]/;
  const start = i;
  while (i < s.length && digits.test(s[i] as string)) i++;
  if (i === start || i !== s.length) return null;
  const v = Number.parseInt(s.slice(start, i), base);
  return v >= min && v <= max ? v : null;
}

/**
 * xtables_numeric_to_ipaddr() (libxtables' own rule, not inet_aton): up to
 * four dot-separated bytes, each as strtoul with base 0 reads it; fewer than
 * four are a network address completed with zeros ("10" is 10.0.0.0). A mask
 * must have all four.
 */
export function xtables_numeric_to_ipaddr(s: string, isMask = false): number | null {
  const buf = s.slice(0, 19);
  const parts = buf.split('.');
  if (parts.length > 4) {
    // the fourth byte would hold "d.e": strtoul stops at the dot
    return null;
  }
  if (parts.length < 4 && isMask) return null;
  let a = 0;
  for (let k = 0; k < 4; k++) {
    const p = parts[k];
    const v = p === undefined ? 0 : xtables_strtoui(p, 0, 255);
    if (v === null) return null;
    a = a * 256 + v;
  }
  return a >>> 0;
}

export function maskLen(m: number): number {
  for (let l = 0; l <= 32; l++) if ((l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0) === m) return l;
  return -1;
}

export function lenMask(l: number): number {
  return l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0;
}

/**
 * ADDR[/MASK]: xtables_ipparse_any() for -s/-d (the address by
 * xtables_numeric_to_ipaddr), or with `aton` as the XTTYPE_HOSTMASK options
 * of the newer extensions read it (xtopt_parse_host: getaddrinfo, so inet_aton).
 */
export function parseHostMask(s: string, aton = false): [number, number] {
  const slash = s.indexOf('/');
  const host = slash < 0 ? s : s.slice(0, slash);
  let mask = 0xffffffff;
  if (slash >= 0) {
    const m = s.slice(slash + 1);
    if (/^\d+$/.test(m)) {
      const l = Number(m);
      if (l > 32) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = lenMask(l);
    } else {
      const mm = xtables_numeric_to_ipaddr(m, true);
      if (mm === null) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = mm;
    }
  }
  const a = host === '' ? 0 : aton ? inet_aton(host) : xtables_numeric_to_ipaddr(host);
  if (a === null) throw paramProblem(`host/network \`${host}' not found`);
  return [(a & mask) >>> 0, mask];
}

export function parsePort(s: string, proto: string): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n <= 65535) return n;
  } else {
    const p = getservbyname(s, proto);
    if (p !== null) return p;
  }
  throw paramProblem(`invalid port/service \`${s}' specified`);
}

export function parsePortRange(s: string, proto: string): PortRange {
  const i = s.indexOf(':');
  if (i < 0) {
    const p = parsePort(s, proto);
    return [p, p];
  }
  const lo = i === 0 ? 0 : parsePort(s.slice(0, i), proto);
  const hi = i === s.length - 1 ? 65535 : parsePort(s.slice(i + 1), proto);
  return lo > hi ? [hi, lo] : [lo, hi];
}

export const rangeText = (r: PortRange): string => (r[0] === r[1] ? `${r[0]}` : `${r[0]}:${r[1]}`);

/** xtables_save_string() */
export function saveString(v: string): string {
  if (/^[_\-0-9a-zA-Z]+$/.test(v)) return ` ${v}`;
  return ` "${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

export function parseNum(s: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16) >>> 0;
  if (/^\d+$/.test(s)) return Number(s) >>> 0;
  return null;
}

export function parseValueMask(s: string, what: string): [number, number] {
  const [a, b] = s.split('/');
  const v = parseNum(a ?? '');
  const m = b === undefined ? 0xffffffff : parseNum(b);
  if (v === null || m === null) throw paramProblem(`Bad ${what} value "${s}"`);
  return [v, m];
}

/** xtables_print_num() */
export function printNum(n: number, kmg: boolean, table: boolean): string {
  if (!kmg) return table ? `${String(n).padStart(8)} ` : `${n} `;
  if (n <= 99999) return table ? `${String(n).padStart(5)} ` : `${n} `;
  let v = n;
  for (const suf of ['K', 'M', 'G', 'T']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999 || suf === 'T') return table ? `${String(v).padStart(4)}${suf} ` : `${v}${suf} `;
  }
  return '';
}

export function portName(p: number, proto: string, numeric: boolean): string {
  if (!numeric) {
    const n = getservbyport(p, proto);
    if (n) return n;
  }
  return String(p);
}

export function printPorts(name: string, r: PortRange, inv: boolean, proto: string, numeric: boolean): string {
  if (r[0] === 0 && r[1] === 65535 && !inv) return '';
  const i = inv ? '!' : '';
  if (r[0] === r[1]) return ` ${name}:${i}${portName(r[0], proto, numeric)}`;
  return ` ${name}s:${i}${portName(r[0], proto, numeric)}:${portName(r[1], proto, numeric)}`;
}

/** ADDR[/LEN or /MASK] as -L prints it (no /32). */
export function addrMaskText(a: [number, number]): string {
  const l = maskLen(a[1]);
  return ipv4ToString(a[0]) + (l === 32 ? '' : l >= 0 ? `/${l}` : `/${ipv4ToString(a[1])}`);
}

export function parseStates(v: string, table: [string, number][], what: string): number {
  let mask = 0;
  for (const w of v.split(',')) {
    const e = table.find(([n]) => n === w.toUpperCase());
    if (!e) throw paramProblem(`Bad ${what} "${w}"`);
    mask |= e[1];
  }
  return mask;
}

export function stateNames(mask: number, table: [string, number][]): string {
  const l = table.filter(([, b]) => mask & b).map(([n]) => n);
  return l.length ? l.join(',') : 'NONE';
}
