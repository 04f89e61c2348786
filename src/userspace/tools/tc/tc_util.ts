// What every part of `tc` shares (iproute2 6.1): the invocation (options,
// output, exits), lib/json_print.c's print_* over lib/json_writer.c (plain
// text, or JSON with -j and -p), and the parsers and printers of
// tc/tc_util.c, lib/utils.c and lib/utils_math.c: handles and class ids,
// rates, sizes and times.
import type { Net } from '../../../kernel/net_namespace.ts';
import { TC_H_MAJ, TC_H_MIN, TC_H_ROOT, TC_H_UNSPEC } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { ProcCtx } from '../../proc.ts';
import { Iproute2Run, rtnlGetLink } from '../ip/common.ts';
import { strtod } from '../../libc/stdlib.ts';
import { formatFloat } from '../../libc/printf.ts';

/** Ends the program with `code` after its message was written. */
export class TcExit {
  constructor(readonly code: number) {}
}

export interface TcOptions {
  stats: number;
  details: number;
  raw: number;
  pretty: number;
  graph: boolean;
  json: number;
  oneline: number;
  numeric: number;
  iec: number;
  force: number;
  brief: number;
  names: boolean;
}

/** enum output_type */
export const PRINT_FP = 1;
export const PRINT_JSON = 2;
export const PRINT_ANY = 4;

/** lib/json_writer.c */
class JsonWriter {
  depth = 0;
  sep = '';
  constructor(
    private readonly put: (s: string) => void,
    readonly pretty: boolean,
  ) {}
  private indent(): void {
    this.put('    '.repeat(this.depth));
  }
  private eol(): void {
    if (!this.pretty) return;
    this.put('\n');
    this.indent();
  }
  private eor(): void {
    if (this.sep) this.put(this.sep);
    this.sep = ',';
  }
  private begin(c: string): void {
    this.eor();
    this.put(c);
    this.depth++;
    this.sep = '';
  }
  private end(c: string): void {
    this.depth--;
    if (this.sep) this.eol();
    this.put(c);
    this.sep = ',';
  }
  name(n: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.put(jsonQuote(n));
    this.put(':');
    if (this.pretty) this.put(' ');
  }
  value(raw: string): void {
    this.eor();
    this.put(raw);
  }
  startObject(): void {
    this.begin('{');
  }
  endObject(): void {
    this.end('}');
  }
  startArray(): void {
    this.begin('[');
    if (this.pretty) this.put(' ');
  }
  endArray(): void {
    if (this.pretty && this.sep) this.put(' ');
    this.sep = '';
    this.end(']');
  }
}

function jsonQuote(s: string): string {
  let o = '"';
  for (const c of s) {
    if (c === '\t') o += '\\t';
    else if (c === '\n') o += '\\n';
    else if (c === '\r') o += '\\r';
    else if (c === '\f') o += '\\f';
    else if (c === '\b') o += '\\b';
    else if (c === '\\') o += '\\\\';
    else if (c === '"') o += '\\"';
    else o += c;
  }
  return `${o}"`;
}

/** A C format with one conversion (%s %u %d %x %llu …) filled with v. */
export function cfmt(fmt: string, v: string | number | bigint): string {
  return fmt.replace(/%(%|[-0-9.]*(?:ll|l|h|hh)?[sudixX])/, (m, spec: string) => {
    if (spec === '%') return '%';
    const conv = spec[spec.length - 1] as string;
    const flags = /^([-0]?)(\d*)/.exec(spec) as RegExpExecArray;
    let s: string;
    if (conv === 's') s = String(v);
    else if (conv === 'x') s = BigInt(v).toString(16);
    else if (conv === 'X') s = BigInt(v).toString(16).toUpperCase();
    else s = String(v);
    const width = Number(flags[2] || 0);
    if (s.length < width) s = flags[1] === '-' ? s.padEnd(width) : s.padStart(width, flags[1] === '0' ? '0' : ' ');
    void m;
    return s;
  });
}

/** One run of `tc`: where it writes, the namespace it talks to, its options. */
export class Tc extends Iproute2Run {
  /** f_proto: the protocol of the filter being printed (tc_filter.c's global, read by f_u32) */
  fProto = 0;
  private jw: JsonWriter | null = null;
  declare readonly opts: TcOptions;

  constructor(ctx: ProcCtx, net: Net, opts: TcOptions) {
    super(ctx, net, opts);
  }

  protected exit(code: number): never {
    throw new TcExit(code);
  }

  /** nodev(): `Cannot find device "X"`, and the caller returns 1. */
  nodev(dev: string): never {
    return this.fail(`Cannot find device "${dev}"`, 1);
  }

  /** ll_name_to_index() */
  nameToIndex(name: string): number {
    const byName = rtnlGetLink(this.net, { name });
    if (byName) return byName.ifi.ifi_index;
    const m = /^if(\d+)$/.exec(name);
    return m ? (rtnlGetLink(this.net, { index: Number(m[1]) })?.ifi.ifi_index ?? 0) : 0;
  }

  /** ll_index_to_name() */
  indexToName(ifindex: number): string {
    return rtnlGetLink(this.net, { index: ifindex })?.attrs.IFLA_IFNAME ?? `if${ifindex}`;
  }

  // --- lib/json_print.c ---

  is_json_context(): boolean {
    return this.jw !== null;
  }

  private isJson(type: number): boolean {
    return this.jw !== null && (type & PRINT_JSON || type & PRINT_ANY) !== 0;
  }

  private isFp(type: number): boolean {
    return this.jw === null && (type & PRINT_FP || type & PRINT_ANY) !== 0;
  }

  /** new_json_obj(): with -j, the output is one JSON array. */
  new_json_obj(): void {
    if (!this.opts.json) return;
    this.jw = new JsonWriter((s) => this.out(s), this.opts.pretty > 0);
    this.jw.startArray();
  }

  /** delete_json_obj() */
  delete_json_obj(): void {
    if (!this.jw) return;
    this.jw.endArray();
    this.out('\n');
    this.jw = null;
  }

  open_json_object(name: string | null): void {
    if (!this.jw) return;
    if (name !== null) this.jw.name(name);
    this.jw.startObject();
  }

  close_json_object(): void {
    this.jw?.endObject();
  }

  open_json_array(type: number, name: string | null): void {
    if (this.isJson(type)) {
      const jw = this.jw as JsonWriter;
      if (name !== null) jw.name(name);
      jw.startArray();
    } else if (this.isFp(type) && name !== null) this.out(name);
  }

  close_json_array(type: number, delim: string | null): void {
    if (this.isJson(type)) (this.jw as JsonWriter).endArray();
    else if (this.isFp(type) && delim !== null) this.out(delim);
  }

  print_string(type: number, key: string | null, fmt: string | null, value: string | null): void {
    if (this.isJson(type)) {
      const jw = this.jw as JsonWriter;
      if (key !== null) {
        jw.name(key);
        jw.value(value === null ? 'null' : jsonQuote(value));
      } else if (value !== null) jw.value(jsonQuote(value));
    } else if (this.isFp(type) && fmt !== null) this.out(value === null ? fmt : cfmt(fmt, value));
  }

  private printNum(type: number, key: string | null, fmt: string | null, v: number | bigint): void {
    if (this.isJson(type)) {
      const jw = this.jw as JsonWriter;
      if (key !== null) jw.name(key);
      jw.value(String(v));
    } else if (this.isFp(type) && fmt !== null) this.out(cfmt(fmt, v));
  }

  print_uint(type: number, key: string | null, fmt: string | null, v: number): void {
    this.printNum(type, key, fmt, v >>> 0);
  }

  print_int(type: number, key: string | null, fmt: string | null, v: number): void {
    this.printNum(type, key, fmt, v | 0);
  }

  print_u64(type: number, key: string | null, fmt: string | null, v: number | bigint): void {
    this.printNum(type, key, fmt, v);
  }

  /** print_float(): jsonw_float()'s %g in JSON; fmt's %g in text. */
  print_float(type: number, key: string | null, fmt: string | null, v: number): void {
    const g = formatFloat(v, { flags: '', width: null, prec: null, conv: 'g' });
    if (this.isJson(type)) {
      const jw = this.jw as JsonWriter;
      if (key !== null) jw.name(key);
      jw.value(g);
    } else if (this.isFp(type) && fmt !== null) this.out(fmt.replace('%g', g).replace('%%', '%'));
  }

  print_bool(type: number, key: string | null, fmt: string | null, v: boolean): void {
    if (this.isJson(type)) {
      const jw = this.jw as JsonWriter;
      if (key !== null) jw.name(key);
      jw.value(v ? 'true' : 'false');
    } else if (this.isFp(type) && fmt !== null) this.out(cfmt(fmt, v ? 'true' : 'false'));
  }

  print_null(type: number, key: string, fmt: string | null): void {
    if (this.isJson(type)) {
      const jw = this.jw as JsonWriter;
      jw.name(key);
      jw.value('null');
    } else if (this.isFp(type) && fmt !== null) this.out(fmt);
  }

  /** print_hex(): "%x" as a JSON string; fmt (%x, %08x …) in text. */
  print_hex(type: number, key: string | null, fmt: string, v: number): void {
    if (this.isJson(type)) this.print_string(type, key, null, (v >>> 0).toString(16));
    else if (this.isFp(type)) this.out(cfmt(fmt, v >>> 0));
  }

  /** print_0xhex(): "%#llx" as a JSON string (0 → "0"); fmt in text. */
  print_0xhex(type: number, key: string | null, fmt: string, v: number): void {
    const alt = v ? `0x${v.toString(16)}` : '0';
    if (this.isJson(type)) this.print_string(PRINT_JSON, key, null, alt);
    else if (this.isFp(type)) this.out(/%#(ll)?x/.test(fmt) ? fmt.replace(/%#(ll)?x/, alt) : cfmt(fmt, v));
  }

  /** print_nl(): a line break in text mode (`_SL_`). */
  print_nl(): void {
    if (!this.jw) this.out(this.SL);
  }

  /** print_size(): 1500b, 2Kb, 3Mb in text; bytes in JSON. */
  print_size(type: number, key: string | null, fmt: string, sz: number): void {
    if (this.isJson(type)) return this.print_uint(type, key, '%u', sz);
    this.print_string(type, key, fmt, sprint_size(sz));
  }

  /** tc_print_rate() → print_rate(): bits per second in text; bytes/s in JSON. */
  print_rate(type: number, key: string | null, fmt: string, rate: number): void {
    if (this.isJson(type)) return this.print_u64(type, key, '%llu', rate);
    this.print_string(type, key, fmt, sprint_rate(rate, this.opts.iec > 0));
  }

  /** print_devname() */
  print_devname(type: number, ifindex: number): void {
    const name = this.indexToName(ifindex);
    if (!this.jw) this.out('dev ');
    this.print_string(type, 'dev', '%s ', name);
  }
}

// --- lib/utils_math.c, lib/json_print_math.c, lib/utils.c ---

/** strtod() over the whole prefix: the value and where it stopped. */
function cstrtod(s: string): { v: number; end: number } {
  const r = strtod(s);
  // no conversion leaves the whole string as the rest
  return { v: r.value, end: r.rest.length === s.length && r.value === 0 ? 0 : s.length - r.rest.length };
}

const RATE_SUFFIXES: readonly (readonly [string, number])[] = [
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

/** get_rate(): "1mbit" → bytes per second (u32); null when malformed or too large. */
export function get_rate(str: string): number | null {
  const r = get_rate64(str);
  if (r === null) return null;
  const u = r >>> 0;
  if (u !== r) return null;
  return u;
}

/** get_rate64() */
export function get_rate64(str: string): number | null {
  const { v, end } = cstrtod(str);
  if (end === 0) return null;
  let bps = v;
  let p = str.slice(end);
  for (const [name, scale] of RATE_SUFFIXES) {
    if (name.toLowerCase() === p.toLowerCase()) {
      bps *= scale;
      p = '';
      break;
    }
  }
  if (p) return null;
  bps /= 8;
  if (bps < 0 || !Number.isFinite(bps)) return null;
  return Math.floor(bps);
}

/** get_size(): "1500", "10k", "1mb", "2kbit" → bytes (u32); null when malformed or too large. */
export function get_size(str: string): number | null {
  const { v, end } = cstrtod(str);
  if (end === 0) return null;
  let sz = v;
  const p = str.slice(end).toLowerCase();
  if (p) {
    if (p === 'kb' || p === 'k') sz *= 1024;
    else if (p === 'gb' || p === 'g') sz *= 1024 * 1024 * 1024;
    else if (p === 'gbit') sz *= (1024 * 1024 * 1024) / 8;
    else if (p === 'mb' || p === 'm') sz *= 1024 * 1024;
    else if (p === 'mbit') sz *= (1024 * 1024) / 8;
    else if (p === 'kbit') sz *= 1024 / 8;
    else if (p !== 'b') return null;
  }
  // (unsigned int)sz must equal floor(sz)
  if (!(sz >= 0) || sz >= 2 ** 32) return null;
  const u = Math.trunc(sz);
  if (u !== Math.floor(sz)) return null;
  return u;
}

/** %g of C printf for the small values sprint_size/print_time print. */
export function cG(v: number, prec = 6): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= prec) {
    let s = v.toExponential(prec - 1);
    s = s.replace(/\.?0+e/, 'e');
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  let s = v.toFixed(Math.max(0, prec - 1 - exp));
  if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  return s;
}

/** sprint_size() */
export function sprint_size(sz: number): string {
  const kilo = 1024;
  const mega = kilo * kilo;
  if (sz >= mega && Math.abs(mega * Math.round(sz / mega) - sz) < 1024) return `${cG(Math.round(sz / mega))}Mb`;
  if (sz >= kilo && Math.abs(kilo * Math.round(sz / kilo) - sz) < 16) return `${cG(Math.round(sz / kilo))}Kb`;
  return `${sz >>> 0}b`;
}

/** print_color_rate()'s text: bytes/s → "1Mbit", "800Kbit", "12345bit" (-iec: Kibit …). */
export function sprint_rate(rateBytes: number, iec = false): string {
  const kilo = iec ? 1024 : 1000;
  const units = ['', 'K', 'M', 'G', 'T'];
  let rate = BigInt(Math.floor(rateBytes)) << 3n;
  const k = BigInt(kilo);
  let i = 0;
  for (; i < units.length - 1; i++) {
    if (rate < k) break;
    if (rate % k !== 0n && rate < 1000n * k) break;
    rate /= k;
  }
  return `${rate}${units[i]}${i > 0 && iec ? 'i' : ''}bit`;
}

export const TIME_UNITS_PER_SEC = 1000000;

/** get_time(): "10ms" → microseconds (TIME_UNITS_PER_SEC); null when malformed. */
export function get_time(str: string): number | null {
  const { v, end } = cstrtod(str);
  if (end === 0) return null;
  let t = v;
  const p = str.slice(end).toLowerCase();
  if (p) {
    if (p === 's' || p === 'sec' || p === 'secs') t *= TIME_UNITS_PER_SEC;
    else if (p === 'ms' || p === 'msec' || p === 'msecs') t *= TIME_UNITS_PER_SEC / 1000;
    else if (p === 'us' || p === 'usec' || p === 'usecs') t *= TIME_UNITS_PER_SEC / 1000000;
    else return null;
  }
  return Math.trunc(t) >>> 0;
}

/** sprint_time(): microseconds → "1s", "10ms", "500us". */
export function sprint_time(time: number): string {
  if (time >= TIME_UNITS_PER_SEC) return `${cG(time / TIME_UNITS_PER_SEC, 3)}s`;
  if (time >= TIME_UNITS_PER_SEC / 1000) return `${cG(time / (TIME_UNITS_PER_SEC / 1000), 3)}ms`;
  return `${time >>> 0}us`;
}

/** get_time64(): nanoseconds. */
export function get_time64(str: string): number | null {
  const { v, end } = cstrtod(str);
  if (end === 0) return null;
  let t = v;
  const p = str.slice(end).toLowerCase();
  if (p) {
    if (p === 's' || p === 'sec' || p === 'secs') t *= 1e9;
    else if (p === 'ms' || p === 'msec' || p === 'msecs') t *= 1e6;
    else if (p === 'us' || p === 'usec' || p === 'usecs') t *= 1e3;
    else if (p === 'ns' || p === 'nsec' || p === 'nsecs') t *= 1;
    else return null;
  }
  return Math.trunc(t);
}

/** sprint_time64(): nanoseconds → "1s", "10ms", "5us", "100ns". */
export function sprint_time64(ns: number): string {
  if (ns >= 1e9) return `${cG(ns / 1e9, 3)}s`;
  if (ns >= 1e6) return `${cG(ns / 1e6, 3)}ms`;
  if (ns >= 1e3) return `${cG(ns / 1e3, 3)}us`;
  return `${ns}ns`;
}

/** C strtoul(str, &p, 16) as get_qdisc_handle and get_tc_classid use it. */
function strtoul16(s: string): { v: number; end: number } {
  let i = 0;
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) i += 2;
  const start = i;
  let v = 0;
  while (i < s.length && /[0-9a-fA-F]/.test(s[i] as string)) {
    v = v * 16 + Number.parseInt(s[i] as string, 16);
    i++;
  }
  if (i === start) return { v: 0, end: 0 };
  if (neg) v = 2 ** 64 - v;
  return { v, end: i };
}

/** get_qdisc_handle(): "1:", "ffff:", "none" → the major in the high half; null when malformed. */
export function get_qdisc_handle(str: string): number | null {
  if (str === 'none') return TC_H_UNSPEC;
  const r = strtoul16(str);
  if (r.end === 0 || r.v >= 1 << 16) return null;
  const p = str[r.end];
  if (p !== ':' && p !== undefined) return null;
  return (r.v * 65536) >>> 0;
}

/** get_tc_classid(): "root", "none", "1:10", ":10", "1:" → the class id; null when malformed. */
export function get_tc_classid(str: string): number | null {
  if (str === 'root') return TC_H_ROOT;
  if (str === 'none') return TC_H_UNSPEC;
  let r = strtoul16(str);
  let maj = r.v;
  let p = r.end;
  if (r.end === 0) {
    maj = 0;
    if (str[0] !== ':') return null;
  }
  if (str[p] === ':') {
    if (maj >= 1 << 16) return null;
    maj *= 65536;
    const rest = str.slice(p + 1);
    r = strtoul16(rest);
    p = r.end;
    if (p !== rest.length) return null;
    if (r.v >= 1 << 16) return null;
    return (maj + r.v) >>> 0;
  }
  if (p !== str.length) return null;
  return maj >>> 0;
}

/** print_tc_classid() */
export function sprint_tc_classid(h: number): string {
  h >>>= 0;
  if (h === TC_H_ROOT) return 'root';
  if (h === TC_H_UNSPEC) return 'none';
  if (TC_H_MAJ(h) === 0) return `:${TC_H_MIN(h).toString(16)}`;
  if (TC_H_MIN(h) === 0) return `${(TC_H_MAJ(h) >>> 16).toString(16)}:`;
  return `${(TC_H_MAJ(h) >>> 16).toString(16)}:${TC_H_MIN(h).toString(16)}`;
}

/** get_u32(base 0) as iproute2 parses it: the whole string, fits 32 bits. */
export function get_u32(s: string, base = 0): number | null {
  if (!s) return null;
  const re = base === 10 ? /^\s*\+?\d+$/ : base === 16 ? /^\s*\+?(0[xX])?[0-9a-fA-F]+$/ : /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/;
  if (!re.test(s)) return null;
  const t = s.trim().replace(/^\+/, '');
  const v =
    base === 16 || /^0[xX]/.test(t)
      ? Number.parseInt(t.replace(/^0[xX]/, ''), 16)
      : base === 0 && /^0\d/.test(t)
        ? Number.parseInt(t, 8)
        : Number(t);
  if (!Number.isFinite(v) || v > 0xffffffff) return null;
  return v;
}

/** matches(): `prefix` abbreviates `word` (an empty prefix matches nothing). */
export function matches(prefix: string, word: string): boolean {
  return prefix.length > 0 && word.startsWith(prefix);
}

/** A cursor over the arguments, with NEXT_ARG() and friends. */
export class Args {
  private i = 0;

  constructor(
    private readonly tc: Tc,
    private readonly argv: readonly string[],
  ) {}

  get more(): boolean {
    return this.i < this.argv.length;
  }

  get left(): number {
    return this.argv.length - this.i;
  }

  get cur(): string {
    return this.argv[this.i] as string;
  }

  skip(): void {
    this.i++;
  }

  /** NEXT_ARG() */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) this.tc.incomplete();
    return this.argv[this.i] as string;
  }

  /** NEXT_ARG_OK() */
  nextOk(): boolean {
    return this.i + 1 < this.argv.length;
  }

  /** the cursor, to put back where a parser that failed started (C's argc/argv left unchanged) */
  get pos(): number {
    return this.i;
  }

  set pos(v: number) {
    this.i = v;
  }

  /** PREV_ARG() */
  prev(): void {
    this.i--;
  }

  rest(): string[] {
    return this.argv.slice(this.i);
  }
}

/** print_tcstats2_attr() + print_tcstats_attr(): the Sent/backlog lines of -s; returns TCA_XSTATS for print_xstats. */
export function print_tcstats_attr(
  tc: Tc,
  attrs: import('../../../kernel/uapi/rtnetlink_tc.ts').TcaAttrs,
  prefix: string,
): object | undefined {
  const st = attrs.TCA_STATS2;
  if (st) {
    tc.print_string(PRINT_FP, null, '%s', prefix);
    tc.print_u64(PRINT_ANY, 'bytes', 'Sent %llu bytes', st.basic.bytes);
    tc.print_uint(PRINT_ANY, 'packets', ' %u pkt', st.basic.packets);
    tc.print_uint(PRINT_ANY, 'drops', ' (dropped %u', st.queue.drops);
    tc.print_uint(PRINT_ANY, 'overlimits', ', overlimits %u', st.queue.overlimits);
    tc.print_uint(PRINT_ANY, 'requeues', ' requeues %u) ', st.queue.requeues);
    if (st.rate_est64) {
      tc.print_string(PRINT_FP, null, '\n%s', prefix);
      tc.print_u64(PRINT_JSON, 'rate', null, st.rate_est64.bps);
      tc.print_rate(PRINT_FP, null, 'rate %s', st.rate_est64.bps);
      tc.print_u64(PRINT_ANY, 'pps', ' %llupps', st.rate_est64.pps);
    } else if (st.rate_est) {
      tc.print_string(PRINT_FP, null, '\n%s', prefix);
      tc.print_u64(PRINT_JSON, 'rate', null, st.rate_est.bps);
      tc.print_rate(PRINT_FP, null, 'rate %s', st.rate_est.bps);
      tc.print_uint(PRINT_ANY, 'pps', ' %upps', st.rate_est.pps);
    }
    if (!st.rate_est) tc.print_nl();
    tc.print_string(PRINT_FP, null, '%s', prefix);
    tc.print_size(PRINT_ANY, 'backlog', 'backlog %s', st.queue.backlog);
    tc.print_uint(PRINT_ANY, 'qlen', ' %up', st.queue.qlen);
    tc.print_uint(PRINT_FP, null, ' requeues %u', st.queue.requeues);
  }
  return attrs.TCA_XSTATS;
}
