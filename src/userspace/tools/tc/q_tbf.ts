// tc's tbf (iproute2 6.1 tc/q_tbf.c) and the tc_core/utils arithmetic it
// shares with htb: rates (get_rate64, percent of the link speed), sizes
// with a cell (get_size_and_cell), times in µs (get_time), the rate tables
// and the tick conversions (tc_calc_xmittime, tc_calc_xmitsize) with their C
// integer truncations, and the printers (sprint_size, print_rate, sprint_time).
import type { Net } from '../../../kernel/net_namespace.ts';
import { kernfs_read } from '../../../kernel/uapi/procfs.ts';
import {
  TC_LINKLAYER_ATM,
  TC_LINKLAYER_ETHERNET,
  TC_LINKLAYER_MASK,
  type TcRatespec,
  type TcTbfOptions,
  type TcTbfQopt,
} from '../../../kernel/uapi/pkt_sched_tbf_htb.ts';
import { formatFloat } from '../../libc/printf.ts';
import { strtod } from '../../libc/stdlib.ts';
import type { TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { QdiscUtil } from './tc_common.ts';
import { PRINT_ANY, PRINT_JSON, type Tc } from './tc_util.ts';

/** What a qdisc module needs from tc: where it writes, and the namespace it asks (sysfs for percent rates). */
export interface TcModCtx {
  readonly net: Net;
  err(s: string): void;
}

/** The options of a dump as tc prints them (-d, -r). */
export interface TcPrintFlags {
  details: boolean;
  raw: boolean;
}

/** NEXT_ARG() ran out: tc prints "Command line is not complete. Try option "help"" and exits 255. */
export class TcIncompleteCommand extends Error {
  constructor() {
    super('Command line is not complete. Try option "help"');
  }
}

// --- lib/utils.c, lib/utils_math.c ---

/** TIME_UNITS_PER_SEC: tc's times are µs */
export const TIME_UNITS_PER_SEC = 1000000;

/** matches(): arg abbreviates word (iproute2: an empty arg matches nothing). */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

function strcasecmp(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const RATE_SUFFIXES: readonly [string, number][] = [
  ['bit', 1],
  ['Kibit', 1024],
  ['kbit', 1000],
  ['mibit', 1024 * 1024],
  ['mbit', 1000000],
  ['gibit', 1024 * 1024 * 1024],
  ['gbit', 1000000000],
  ['tibit', 1024 * 1024 * 1024 * 1024],
  ['tbit', 1000000000000],
  ['Bps', 8],
  ['KiBps', 8 * 1024],
  ['KBps', 8000],
  ['MiBps', 8 * 1024 * 1024],
  ['MBps', 8000000],
  ['GiBps', 8 * 1024 * 1024 * 1024],
  ['GBps', 8000000000],
  ['TiBps', 8 * 1024 * 1024 * 1024 * 1024],
  ['TBps', 8000000000000],
];

/** (__u64)d: C's conversion of a double to u64 (truncation; out of range as x86 gives it). */
function toU64(d: number): number {
  if (!(d >= 0)) return 0;
  if (d >= 2 ** 64) return 0;
  return Math.trunc(d);
}

/** get_rate64(): bits per second with a unit → bytes per second; null when it does not parse. */
export function get_rate64(str: string): number | null {
  const r = strtod(str);
  if (r.rest.length === str.length) return null;
  let bps = r.value;
  let p = r.rest;
  for (const [name, scale] of RATE_SUFFIXES) {
    if (strcasecmp(name, p)) {
      bps *= scale;
      p = '';
      break;
    }
  }
  if (p) return null;
  return toU64(bps / 8);
}

/** get_size(): bytes with a unit (k, kb, m, mb, g, gb, kbit, mbit, gbit, b); u32. */
export function get_size(str: string): number | null {
  const r = strtod(str);
  if (r.rest.length === str.length) return null;
  let sz = r.value;
  const p = r.rest;
  if (p) {
    if (strcasecmp(p, 'kb') || strcasecmp(p, 'k')) sz *= 1024;
    else if (strcasecmp(p, 'gb') || strcasecmp(p, 'g')) sz *= 1024 * 1024 * 1024;
    else if (strcasecmp(p, 'gbit')) sz *= (1024 * 1024 * 1024) / 8;
    else if (strcasecmp(p, 'mb') || strcasecmp(p, 'm')) sz *= 1024 * 1024;
    else if (strcasecmp(p, 'mbit')) sz *= (1024 * 1024) / 8;
    else if (strcasecmp(p, 'kbit')) sz *= 1024 / 8;
    else if (!strcasecmp(p, 'b')) return null;
  }
  // *size = sz (unsigned int); an overflow shows as *size != floor(sz)
  const size = toU32(sz);
  if (size !== Math.floor(sz)) return null;
  return size;
}

/** (unsigned int)d as gcc on x86-64 converts: a 64-bit truncation (cvttsd2si), its low 32 bits. */
function toU32(d: number): number {
  if (Number.isNaN(d)) return 0;
  const t = Math.trunc(d);
  if (t >= 0 && t < 2 ** 32) return t;
  // out of the s64 range cvttsd2si gives 0x8000000000000000, whose low half is 0
  if (t >= 2 ** 63 || t < -(2 ** 63)) return 0;
  return ((t % 2 ** 32) + 2 ** 32) % 2 ** 32;
}

/** get_time(): µs, with s/sec/secs, ms/msec/msecs, us/usec/usecs. */
export function get_time(str: string): number | null {
  const r = strtod(str);
  if (r.rest.length === str.length) return null;
  let t = r.value;
  const p = r.rest;
  if (p) {
    if (strcasecmp(p, 's') || strcasecmp(p, 'sec') || strcasecmp(p, 'secs')) t *= TIME_UNITS_PER_SEC;
    else if (strcasecmp(p, 'ms') || strcasecmp(p, 'msec') || strcasecmp(p, 'msecs')) t *= TIME_UNITS_PER_SEC / 1000;
    else if (strcasecmp(p, 'us') || strcasecmp(p, 'usec') || strcasecmp(p, 'usecs')) t *= TIME_UNITS_PER_SEC / 1000000;
    else return null;
  }
  return toU32(t);
}

/** strtoul() digits in a base, with C's sign and 0x/0 prefixes for base 0 and 16. */
function strtoul(s: string, base: number): { value: bigint; end: number } {
  let i = 0;
  while (i < s.length && /[ \t\n\v\f\r]/.test(s[i] as string)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    i += 2;
    b = 16;
  } else if (b === 0) b = s[i] === '0' ? 8 : 10;
  const start = i;
  let v = 0n;
  for (; i < s.length; i++) {
    const d = Number.parseInt(s[i] as string, 36);
    if (Number.isNaN(d) || d >= b) break;
    v = v * BigInt(b) + BigInt(d);
  }
  if (i === start) return { value: 0n, end: 0 };
  const max = (1n << 64n) - 1n;
  if (v > max) v = max;
  else if (neg) v = (max + 1n - v) & max;
  return { value: v, end: i };
}

/** get_u32() / get_u16(): the whole string, in base, within the width. */
export function get_unsigned(arg: string, base: number, max: number): number | null {
  if (!arg) return null;
  const r = strtoul(arg, base);
  if (r.end === 0 || r.end !== arg.length) return null;
  if (r.value > BigInt(max)) return null;
  return Number(r.value);
}

export function get_u32(arg: string, base: number): number | null {
  return get_unsigned(arg, base, 0xffffffff);
}

export function get_u16(arg: string, base: number): number | null {
  return get_unsigned(arg, base, 0xffff);
}

/** get_integer(): an int (strtol, base 0 here). */
function get_integer(arg: string): number | null {
  if (!arg) return null;
  let i = 0;
  while (i < arg.length && /[ \t\n\v\f\r]/.test(arg[i] as string)) i++;
  const neg = arg[i] === '-';
  const r = strtoul(arg.slice(i + (arg[i] === '-' || arg[i] === '+' ? 1 : 0)), 0);
  if (r.end === 0 || r.end + i + (arg[i] === '-' || arg[i] === '+' ? 1 : 0) !== arg.length) return null;
  const v = neg ? -Number(r.value) : Number(r.value);
  if (v < -0x80000000 || v > 0x7fffffff) return null;
  return v;
}

/** get_size_and_cell(): SIZE[/CELL], the cell a power of two (its log returned). */
export function get_size_and_cell(str: string): { size: number; cell_log: number | null } | null {
  const slash = str.indexOf('/');
  const size = get_size(slash >= 0 ? str.slice(0, slash) : str);
  if (size === null) return null;
  if (slash < 0) return { size, cell_log: null };
  const cell = get_integer(str.slice(slash + 1));
  if (cell === null) return null;
  for (let i = 0; i < 32; i++) if (1 << i === cell || (i === 31 && cell === -(2 ** 31))) return { size, cell_log: i };
  return null;
}

/** get_linklayer() */
export function get_linklayer(arg: string): number | null {
  if (matches(arg, 'ethernet')) return TC_LINKLAYER_ETHERNET;
  if (matches(arg, 'atm')) return TC_LINKLAYER_ATM;
  if (matches(arg, 'adsl')) return TC_LINKLAYER_ATM;
  return null;
}

/** sprint_linklayer() */
export function sprint_linklayer(linklayer: number): string {
  switch (linklayer) {
    case 0:
      return 'unspec';
    case TC_LINKLAYER_ETHERNET:
      return 'ethernet';
    case TC_LINKLAYER_ATM:
      return 'atm';
    default:
      return 'unknown';
  }
}

const G = (v: number, prec: number | null = null): string => formatFloat(v, { flags: '', width: null, prec, conv: 'g' });

/** sprint_size(): bytes as Mb/Kb when nearly round, else b. */
export function sprint_size(sz: number): string {
  sz >>>= 0;
  const kilo = 1024;
  const mega = kilo * kilo;
  const rint = (x: number) => {
    // rint(): round half to even
    const f = Math.floor(x);
    const d = x - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  };
  if (sz >= mega && Math.abs(mega * rint(sz / mega) - sz) < 1024) return `${G(rint(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * rint(sz / kilo) - sz) < 16) return `${G(rint(sz / kilo))}Kb`;
  return `${sz}b`;
}

/** print_rate() (not IEC): bytes per second as bit, Kbit, Mbit, Gbit, Tbit. */
export function sprint_rate(rate: number): string {
  let r = BigInt(Math.trunc(rate)) << 3n;
  const kilo = 1000n;
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (r < kilo) break;
    if (r % kilo !== 0n && r < 1000n * kilo) break;
    r /= kilo;
  }
  return `${formatFloat(Number(r), { flags: '', width: null, prec: 0, conv: 'f' })}${units[i]}bit`;
}

/** sprint_time(): µs as s, ms (three significant digits) or us. */
export function sprint_time(time: number): string {
  time >>>= 0;
  if (time >= TIME_UNITS_PER_SEC) return `${G(time / TIME_UNITS_PER_SEC, 3)}s`;
  if (time >= TIME_UNITS_PER_SEC / 1000) return `${G(time / (TIME_UNITS_PER_SEC / 1000), 3)}ms`;
  return `${time}us`;
}

// --- tc/tc_core.c (with /proc/net/psched of 6.18: t2us 1000, us2t 64, clock_res 1000000) ---

/** tick_in_usec = t2us / us2t * clock_factor = 1000 / 64 */
const TICK_IN_USEC = 1000 / 64;

/** tc_core_time2tick(): (unsigned)(time * tick_in_usec), time an unsigned int */
export function tc_core_time2tick(time: number): number {
  return toU32(toU32(time) * TICK_IN_USEC);
}

/** tc_core_tick2time() */
export function tc_core_tick2time(tick: number): number {
  return toU32((tick >>> 0) / TICK_IN_USEC);
}

/** tc_calc_xmittime(): ticks to send size bytes at rate bytes/s */
export function tc_calc_xmittime(rate: number, size: number): number {
  return tc_core_time2tick(TIME_UNITS_PER_SEC * (size / rate));
}

/** tc_calc_xmitsize(): bytes sent at rate in ticks */
export function tc_calc_xmitsize(rate: number, ticks: number): number {
  return toU32((rate * tc_core_tick2time(ticks)) / TIME_UNITS_PER_SEC);
}

/** get_hz(): /proc/net/psched's clock resolution as HZ (1e9 with hrtimers) */
export function get_hz(): number {
  return 1000000000;
}

/** tc_adjust_size() */
function tc_adjust_size(sz: number, mpu: number, linklayer: number): number {
  if (sz < mpu) sz = mpu;
  if (linklayer === TC_LINKLAYER_ATM) return Math.ceil(sz / 48) * 53;
  return sz;
}

/** tc_calc_rtable(): the legacy rate table (256 slots) and the cell_log it chose. */
export function tc_calc_rtable(r: TcRatespec, cell_log: number | null, mtu: number, linklayer: number, rate = r.rate): number[] {
  if (mtu === 0) mtu = 2047;
  let cl = cell_log ?? -1;
  if (cl < 0) {
    cl = 0;
    while (mtu >>> cl > 255) cl++;
  }
  const rtab: number[] = [];
  for (let i = 0; i < 256; i++) rtab.push(tc_calc_xmittime(rate, tc_adjust_size((i + 1) << cl, r.mpu, linklayer)));
  r.cell_align = -1;
  r.cell_log = cl;
  r.linklayer = linklayer & TC_LINKLAYER_MASK;
  return rtab;
}

/** get_percent_rate64(): a percent of the device's speed (read from sysfs) as get_rate64 reads it. */
export function get_percent_rate64(ctx: TcModCtx, str: string, dev: string): number | null {
  if (!dev) {
    ctx.err('No device specified; specify device to rate limit by percentage\n');
    return null;
  }
  const fname = `/sys/class/net/${dev}/speed`;
  const r = kernfs_read(ctx.net, fname);
  if (typeof r !== 'string') {
    ctx.err(`Failed to parse ${fname}\n`);
    return null;
  }
  const line = r.split('\n')[0] as string;
  if (!/^\s*[-+]?\d+$/.test(line)) {
    ctx.err(`value "${line}" in file ${fname} is not a number\n`);
    ctx.err(`Failed to parse ${fname}\n`);
    return null;
  }
  const dev_mbit = Number(line);
  // sscanf(str, "%m[0-9.%]")
  const m = /^[0-9.%]+/.exec(str);
  if (!m) {
    ctx.err('Specified rate value could not be read or is malformed\n');
    return null;
  }
  const sp = strtod(m[0]);
  const perc = sp.value / 100;
  if (perc > 1.0 || perc < 0.0) {
    ctx.err(`Invalid rate specified; should be between [0,100]% but is ${str}\n`);
    return null;
  }
  if (sp.rest && sp.rest !== '%') {
    ctx.err('Specified rate value could not be read or is malformed\n');
    return null;
  }
  const rate_bit = perc * dev_mbit * 1000 * 1000;
  // snprintf("%lf") into 20 bytes
  const s = formatFloat(rate_bit, { flags: '', width: null, prec: 6, conv: 'f' });
  if (s.length >= 20) {
    ctx.err('Unable to parse calculated rate\n');
    return null;
  }
  return get_rate64(s);
}

// --- tc/q_tbf.c ---

const TBF_USAGE =
  'Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]\n' +
  '\t[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]\n';

function ratespec(): TcRatespec {
  return { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
}

/** tbf_parse_opt(): TCA_OPTIONS for `tc qdisc … tbf …`, or null after tc's message (exit 1). */
export function tbf_parse_opt(ctx: TcModCtx, argv: readonly string[], dev: string): TcTbfOptions | null {
  const explain = () => ctx.err(TBF_USAGE);
  const explain1 = (arg: string, val: string) => ctx.err(`tbf: illegal value for "${arg}": "${val}"\n`);
  const opt: TcTbfQopt = { rate: ratespec(), peakrate: ratespec(), limit: 0, buffer: 0, mtu: 0 };
  let buffer = 0;
  let mtu = 0;
  let mpu = 0;
  let latency = 0;
  let Rcell_log: number | null = null;
  let Pcell_log: number | null = null;
  let overhead = 0;
  let linklayer = TC_LINKLAYER_ETHERNET;
  let rate64 = 0;
  let prate64 = 0;
  let i = 0;
  const next = (): string => {
    i++;
    if (i >= argv.length) throw new TcIncompleteCommand();
    return argv[i] as string;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (matches(a, 'limit')) {
      const v = next();
      if (opt.limit) {
        ctx.err('tbf: duplicate "limit" specification\n');
        return null;
      }
      if (latency) {
        ctx.err('tbf: specifying both "latency" and "limit" is not allowed\n');
        return null;
      }
      const n = get_size(v);
      if (n === null) {
        explain1('limit', v);
        return null;
      }
      opt.limit = n;
    } else if (matches(a, 'latency')) {
      const v = next();
      if (latency) {
        ctx.err('tbf: duplicate "latency" specification\n');
        return null;
      }
      if (opt.limit) {
        ctx.err('tbf: specifying both "limit" and "/latency" is not allowed\n');
        return null;
      }
      const n = get_time(v);
      if (n === null) {
        explain1('latency', v);
        return null;
      }
      latency = n;
    } else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const v = next();
      if (buffer) {
        ctx.err('tbf: duplicate "buffer/burst/maxburst" specification\n');
        return null;
      }
      const sc = get_size_and_cell(v);
      if (!sc) {
        explain1(a, v);
        return null;
      }
      buffer = sc.size;
      if (sc.cell_log !== null) Rcell_log = sc.cell_log;
    } else if (a === 'mtu' || a === 'minburst') {
      const v = next();
      if (mtu) {
        ctx.err('tbf: duplicate "mtu/minburst" specification\n');
        return null;
      }
      const sc = get_size_and_cell(v);
      if (!sc) {
        explain1(a, v);
        return null;
      }
      mtu = sc.size;
      if (sc.cell_log !== null) Pcell_log = sc.cell_log;
    } else if (a === 'mpu') {
      const v = next();
      if (mpu) {
        ctx.err('tbf: duplicate "mpu" specification\n');
        return null;
      }
      const n = get_size(v);
      if (n === null) {
        explain1('mpu', v);
        return null;
      }
      mpu = n;
    } else if (a === 'rate') {
      const v = next();
      if (rate64) {
        ctx.err('tbf: duplicate "rate" specification\n');
        return null;
      }
      const n = v.includes('%') ? get_percent_rate64(ctx, v, dev) : get_rate64(v);
      if (n === null) {
        explain1('rate', v);
        return null;
      }
      rate64 = n;
    } else if (matches(a, 'peakrate')) {
      const v = next();
      if (prate64) {
        ctx.err('tbf: duplicate "peakrate" specification\n');
        return null;
      }
      const n = v.includes('%') ? get_percent_rate64(ctx, v, dev) : get_rate64(v);
      if (n === null) {
        explain1('peakrate', v);
        return null;
      }
      prate64 = n;
    } else if (matches(a, 'overhead')) {
      const v = next();
      if (overhead) {
        ctx.err('tbf: duplicate "overhead" specification\n');
        return null;
      }
      const n = get_u16(v, 10);
      if (n === null) {
        explain1('overhead', v);
        return null;
      }
      overhead = n;
    } else if (matches(a, 'linklayer')) {
      const v = next();
      const n = get_linklayer(v);
      if (n === null) {
        explain1('linklayer', v);
        return null;
      }
      linklayer = n;
    } else if (a === 'help') {
      explain();
      return null;
    } else {
      ctx.err(`tbf: unknown parameter "${a}"\n`);
      explain();
      return null;
    }
  }
  // Be nice to the user: try to emit all error messages in one go
  let verdict = 0;
  if (rate64 === 0) {
    ctx.err('tbf: the "rate" parameter is mandatory.\n');
    verdict = -1;
  }
  if (!buffer) {
    ctx.err('tbf: the "burst" parameter is mandatory.\n');
    verdict = -1;
  }
  if (prate64 && !mtu) {
    ctx.err('tbf: when "peakrate" is specified, "mtu" must also be specified.\n');
    verdict = -1;
  }
  if (opt.limit === 0 && latency === 0) {
    ctx.err('tbf: either "limit" or "latency" is required.\n');
    verdict = -1;
  }
  if (verdict !== 0) {
    explain();
    return null;
  }
  opt.rate.rate = rate64 >= 2 ** 32 ? 0xffffffff : rate64;
  opt.peakrate.rate = prate64 >= 2 ** 32 ? 0xffffffff : prate64;
  if (opt.limit === 0) {
    let lim = (rate64 * latency) / TIME_UNITS_PER_SEC + buffer;
    if (prate64) {
      const lim2 = (prate64 * latency) / TIME_UNITS_PER_SEC + mtu;
      if (lim2 < lim) lim = lim2;
    }
    opt.limit = toU32(lim);
  }
  opt.rate.mpu = mpu & 0xffff;
  opt.rate.overhead = overhead;
  const rtab = tc_calc_rtable(opt.rate, Rcell_log, mtu, linklayer);
  opt.buffer = tc_calc_xmittime(opt.rate.rate, buffer);
  const o: TcTbfOptions = { TCA_TBF_PARMS: opt, TCA_TBF_BURST: buffer, TCA_TBF_RTAB: rtab };
  if (rate64 >= 2 ** 32) o.TCA_TBF_RATE64 = rate64;
  if (opt.peakrate.rate) {
    opt.peakrate.mpu = mpu & 0xffff;
    opt.peakrate.overhead = overhead;
    o.TCA_TBF_PTAB = tc_calc_rtable(opt.peakrate, Pcell_log, mtu, linklayer);
    opt.mtu = tc_calc_xmittime(opt.peakrate.rate, mtu);
    if (prate64 >= 2 ** 32) o.TCA_TBF_PRATE64 = prate64;
    o.TCA_TBF_PBURST = mtu;
  }
  return o;
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** tbf_print_opt(): what follows "qdisc tbf X: root refcnt N " (null: a malformed dump). */
export function tbf_print_opt(opt: TcTbfOptions | undefined, f: TcPrintFlags): string | null {
  if (!opt) return '';
  const qopt = opt.TCA_TBF_PARMS;
  if (!qopt) return null;
  let out = '';
  const rate64 = opt.TCA_TBF_RATE64 ?? qopt.rate.rate;
  out += `rate ${sprint_rate(rate64)} `;
  const buffer = tc_calc_xmitsize(rate64, qopt.buffer);
  if (f.details) {
    out += `burst ${sprint_size(buffer)}/${(1 << qopt.rate.cell_log) >>> 0} `;
    out += `mpu ${sprint_size(qopt.rate.mpu)} `;
  } else out += `burst ${sprint_size(buffer)} `;
  if (f.raw) out += `[${hex8(qopt.buffer)}] `;
  const prate64 = opt.TCA_TBF_PRATE64 ?? qopt.peakrate.rate;
  if (prate64) {
    out += `peakrate ${sprint_rate(prate64)} `;
    if (qopt.mtu || qopt.peakrate.mpu) {
      const mtu = tc_calc_xmitsize(prate64, qopt.mtu);
      if (f.details) {
        out += `mtu ${sprint_size(mtu)}/${(1 << qopt.peakrate.cell_log) >>> 0} `;
        out += `mpu ${sprint_size(qopt.peakrate.mpu)} `;
      } else out += `minburst ${sprint_size(mtu)} `;
      if (f.raw) out += `[${hex8(qopt.mtu)}] `;
    }
  }
  let latency = TIME_UNITS_PER_SEC * (qopt.limit / rate64) - tc_core_tick2time(qopt.buffer);
  if (prate64) {
    const lat2 = TIME_UNITS_PER_SEC * (qopt.limit / prate64) - tc_core_tick2time(qopt.mtu);
    if (lat2 > latency) latency = lat2;
  }
  // sprint_time takes a __u32
  if (latency >= 0.0) out += `lat ${sprint_time(toU32(latency))} `;
  if (f.raw || latency < 0.0) out += `limit ${sprint_size(qopt.limit)} `;
  if (qopt.rate.overhead) out += `overhead ${qopt.rate.overhead | 0} `;
  const linklayer = qopt.rate.linklayer & TC_LINKLAYER_MASK;
  if (linklayer > TC_LINKLAYER_ETHERNET || f.details) out += `linklayer ${sprint_linklayer(linklayer)} `;
  return out;
}

/**
 * tbf_print_opt() under -j: the PRINT_ANY/PRINT_JSON fields in JSON (peakrate
 * is PRINT_FP only, so it has no key; sizes are the doubles cut to __u32,
 * lat the double cut to __u64; the raw words are %x strings). -1: malformed.
 */
export function tbf_print_json(tc: Tc, opt: TcTbfOptions | undefined): number {
  if (!opt) return 0;
  const qopt = opt.TCA_TBF_PARMS;
  if (!qopt) return -1;
  const details = !!tc.opts.details;
  const raw = !!tc.opts.raw;
  const rate64 = opt.TCA_TBF_RATE64 ?? qopt.rate.rate;
  tc.print_rate(PRINT_ANY, 'rate', 'rate %s ', rate64);
  const buffer = tc_calc_xmitsize(rate64, qopt.buffer);
  if (details) {
    tc.print_string(PRINT_ANY, 'burst', 'burst %s ', `${sprint_size(buffer)}/${(1 << qopt.rate.cell_log) >>> 0}`);
    tc.print_size(PRINT_ANY, 'mpu', 'mpu %s ', qopt.rate.mpu);
  } else tc.print_size(PRINT_ANY, 'burst', 'burst %s ', toU32(buffer));
  if (raw) tc.print_string(PRINT_ANY, 'burst_raw', '[%s] ', (qopt.buffer >>> 0).toString(16));
  const prate64 = opt.TCA_TBF_PRATE64 ?? qopt.peakrate.rate;
  if (prate64 && (qopt.mtu || qopt.peakrate.mpu)) {
    const mtu = tc_calc_xmitsize(prate64, qopt.mtu);
    if (details) {
      tc.print_string(PRINT_ANY, 'mtu', 'mtu %s ', `${sprint_size(mtu)}/${(1 << qopt.peakrate.cell_log) >>> 0}`);
      tc.print_size(PRINT_ANY, 'mpu', 'mpu %s ', qopt.peakrate.mpu);
    } else tc.print_size(PRINT_ANY, 'minburst', 'minburst %s ', toU32(mtu));
    if (raw) tc.print_string(PRINT_ANY, 'mtu_raw', '[%s] ', (qopt.mtu >>> 0).toString(16));
  }
  let latency = TIME_UNITS_PER_SEC * (qopt.limit / rate64) - tc_core_tick2time(qopt.buffer);
  if (prate64) {
    const lat2 = TIME_UNITS_PER_SEC * (qopt.limit / prate64) - tc_core_tick2time(qopt.mtu);
    if (lat2 > latency) latency = lat2;
  }
  if (latency >= 0.0) tc.print_u64(PRINT_JSON, 'lat', null, Math.trunc(latency));
  if (raw || latency < 0.0) tc.print_size(PRINT_ANY, 'limit', 'limit %s ', qopt.limit);
  if (qopt.rate.overhead) tc.print_int(PRINT_ANY, 'overhead', 'overhead %d ', qopt.rate.overhead);
  const linklayer = qopt.rate.linklayer & TC_LINKLAYER_MASK;
  if (linklayer > TC_LINKLAYER_ETHERNET || details) tc.print_string(PRINT_ANY, 'linklayer', 'linklayer %s ', sprint_linklayer(linklayer));
  return 0;
}

/** tc's NEXT_ARG() inside a module: the words ran out (exit 255 through tc.incomplete()). */
export function withIncomplete(tc: Tc, f: () => number): number {
  try {
    return f();
  } catch (e) {
    if (e instanceof TcIncompleteCommand) tc.incomplete();
    throw e;
  }
}

export const tbf_qdisc_util: QdiscUtil = {
  id: 'tbf',
  parse_qopt: (_qu, tc, argv, req, dev) =>
    withIncomplete(tc, () => {
      const o = tbf_parse_opt(tc, argv, dev);
      if (!o) return -1;
      req.attrs.TCA_OPTIONS = o as TcOptions;
      return 0;
    }),
  print_qopt: (_qu, tc, opt) => {
    if (tc.is_json_context()) return tbf_print_json(tc, opt as TcTbfOptions | undefined);
    const s = tbf_print_opt(opt as TcTbfOptions | undefined, { details: !!tc.opts.details, raw: !!tc.opts.raw });
    if (s === null) return -1;
    tc.out(s);
    return 0;
  },
};
