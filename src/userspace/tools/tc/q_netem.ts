// tc/q_netem.c of iproute2 6.1: `netem` options to TCA_OPTIONS and back.
// Parsing takes the spellings q_netem.c takes (matches() prefixes, the old
// `loss PERCENT` and `drop`, percentages with or without %, times and rates
// with their units), refuses what it refuses with its messages, and sends
// what it sends: notably the correlation attribute only when a delay, loss,
// reorder or corrupt correlation was given (a duplicate correlation alone is
// not sent), and latency/jitter as psched ticks. Printing is netem_print_opt():
// what `tc qdisc show` prints after "netem 8001: root refcnt 2 ".
import {
  NETEM_LOSS_GE,
  NETEM_LOSS_GI,
  type NetemOptions,
  type tc_netem_gemodel,
  type tc_netem_gimodel,
} from '../../../kernel/uapi/pkt_sched_netem.ts';
import type { TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import { FILE_ERRNO_TEXT } from '../../fileio.ts';
import { formatFloat, formatInt } from '../../libc/printf.ts';
import { strtod } from '../../libc/stdlib.ts';
import { getInteger, getUnsigned, matches, strtol } from '../ip/common.ts';
import { NETEM_DIST_FILES } from './netem_dist.ts';
import type { QdiscUtil } from './tc_common.ts';
import {
  get_rate64,
  get_size,
  get_time,
  get_time64,
  PRINT_FP,
  PRINT_JSON,
  sprint_rate,
  sprint_time,
  sprint_time64,
  type Tc,
  TcExit,
} from './tc_util.ts';

const UINT32_MAX = 0xffffffff;
/** MAX_DIST: (TCA_BUF_MAX - other headers) / sizeof(__s16) */
const MAX_DIST = 16 * 1024;
/**
 * tick_in_usec as tc_core_init() derives it from /proc/net/psched
 * ("000003e8 00000040 000f4240 3b9aca00": t2us 1000, us2t 64, clock_res 1000000).
 */
const TICK_IN_USEC = 1000 / 64;
/** The tc library directory (LIBDIR "/tc/" of Debian's build). */
export const TC_LIB_DIR = '/usr/lib/x86_64-linux-gnu/tc/';

export const NETEM_USAGE =
  'Usage: ... netem [ limit PACKETS ]\n' +
  '                 [ delay TIME [ JITTER [CORRELATION]]]\n' +
  '                 [ distribution {uniform|normal|pareto|paretonormal} ]\n' +
  '                 [ corrupt PERCENT [CORRELATION]]\n' +
  '                 [ duplicate PERCENT [CORRELATION]]\n' +
  '                 [ loss random PERCENT [CORRELATION]]\n' +
  '                 [ loss state P13 [P31 [P32 [P23 P14]]]\n' +
  '                 [ loss gemodel PERCENT [R [1-H [1-K]]]\n' +
  '                 [ ecn ]\n' +
  '                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]\n' +
  '                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]\n' +
  '                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]\n' +
  '                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}\n' +
  '                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]\n';

/** What the parser needs from its process. */
export interface NetemParseEnv {
  /** writes to stderr */
  err(s: string): void;
  /** a file's text, or the errno's strerror text */
  readFile(path: string): string | { error: string };
  /** getenv() */
  getenv(name: string): string | undefined;
}

/** The parse result: the options, or the exit status after the messages went to stderr. */
export type NetemParse = { ok: NetemOptions } | { status: number };

class Fail {
  constructor(readonly status: number) {}
}

function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A C conversion of a double to an unsigned type of `bits` (x86-64: via a 64-bit integer). */
function toUnsigned(v: number, bits: 32 | 64): number {
  if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return bits === 32 ? 0 : 2 ** 63;
  return Number(BigInt.asUintN(bits, BigInt(Math.trunc(v))));
}

function isdigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** parse_percent(): 0 ok, -1 bad, 1 out of range. */
function parse_percent(str: string): { r: number; v: number } {
  const d = strtod(str);
  const v = d.value / 100;
  if (v > 1.0 || v < 0.0) return { r: 1, v };
  if (d.rest && d.rest !== '%') return { r: -1, v };
  return { r: 0, v };
}

/** set_percent() */
function set_percent(per: number): number {
  return rint(per * UINT32_MAX);
}

function get_percent(str: string): number | null {
  const p = parse_percent(str);
  return p.r ? null : set_percent(p.v);
}

function get_u32(str: string): number | null {
  return getUnsigned(str);
}

function get_s32(str: string): number | null {
  return getInteger(str);
}

/** get_distribution(): the s16 values of TC_LIB_DIR/<type>.dist. */
function get_distribution(type: string, env: NetemParseEnv): Int16Array {
  const dir = env.getenv('TC_LIB_DIR') ?? TC_LIB_DIR;
  const name = `${dir}/${type}.dist`;
  let text: string | { error: string } = env.readFile(name);
  if (typeof text !== 'string' && dir === TC_LIB_DIR) {
    const builtin = NETEM_DIST_FILES[type];
    if (builtin) text = builtin();
  }
  if (typeof text !== 'string') {
    env.err(`No distribution data for ${type} (${name}: ${text.error})\n`);
    throw new Fail(1);
  }
  const data: number[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line[0] === '\n' || line[0] === '#') continue;
    let p = line;
    for (;;) {
      const r = strtol(p, 0);
      if (r.end === 0) break;
      if (data.length >= MAX_DIST) {
        env.err(`${name}: too much data\n`);
        throw new Fail(1);
      }
      data.push(r.value);
      p = p.slice(r.end);
    }
  }
  if (data.length <= 0) throw new Fail(1);
  return Int16Array.from(data);
}

/** netem_parse_opt(): argv after the kind; dev for `rate N%`. */
export function netem_parse_opt(argv: readonly string[], dev: string, env: NetemParseEnv): NetemParse {
  try {
    return { ok: parse(argv, dev, env) };
  } catch (e) {
    if (e instanceof Fail) return { status: e.status };
    throw e;
  }
}

function parse(args: readonly string[], dev: string, env: NetemParseEnv): NetemOptions {
  const opt = { latency: 0, limit: 1000, loss: 0, gap: 0, duplicate: 0, jitter: 0 };
  const cor = { delay_corr: 0, loss_corr: 0, dup_corr: 0 };
  const reorder = { probability: 0, correlation: 0 };
  const corrupt = { probability: 0, correlation: 0 };
  const gimodel: tc_netem_gimodel = { p13: 0, p31: 0, p32: 0, p14: 0, p23: 0 };
  const gemodel: tc_netem_gemodel = { p: 0, r: 0, h: 0, k1: 0 };
  const rate = { rate: 0, packet_overhead: 0, cell_size: 0, cell_overhead: 0 };
  const slot = { min_delay: 0, max_delay: 0, max_packets: 0, max_bytes: 0, dist_delay: 0, dist_jitter: 0 };
  let dist_data: Int16Array | null = null;
  let slot_dist_data: Int16Array | null = null;
  let loss_type = 0;
  let present_corr = 0;
  let present_reorder = false;
  let present_corrupt = false;
  let present_ecn = false;
  let present_rate = false;
  let present_slot = false;
  let rate64 = 0;

  let i = 0;
  const arg = (): string => args[i] as string;
  const NEXT_ARG_OK = (): boolean => args.length - i - 1 > 0;
  const NEXT_ARG = (): void => {
    i++;
    if (i >= args.length) {
      env.err('Command line is not complete. Try option "help"\n');
      throw new Fail(255);
    }
  };
  const NEXT_IS_NUMBER = (): boolean => NEXT_ARG_OK() && isdigit(args[i + 1]?.[0]);
  const NEXT_IS_SIGNED_NUMBER = (): boolean => NEXT_ARG_OK() && (isdigit(args[i + 1]?.[0]) || args[i + 1]?.[0] === '-');
  const explain1 = (what: string): never => {
    env.err(`Illegal "${what}"\n`);
    throw new Fail(1);
  };
  const explain = (msg: string): never => {
    env.err(msg);
    env.err(NETEM_USAGE);
    throw new Fail(1);
  };
  const percent = (what: string): number => {
    const v = get_percent(arg());
    return v === null ? explain1(what) : v;
  };
  /** get_ticks(): a time in psched ticks */
  const ticks = (what: string): number => {
    const t = get_time(arg());
    if (t === null) return explain1(what);
    if (Math.floor((t * TICK_IN_USEC) / 2 ** 32) !== 0) {
      env.err(`Illegal ${t} time (too large)\n`);
      return explain1(what);
    }
    return toUnsigned(t * TICK_IN_USEC, 32);
  };

  for (; i < args.length; i++) {
    const a = arg();
    if (matches(a, 'limit')) {
      NEXT_ARG();
      const v = get_size(arg());
      opt.limit = v === null ? explain1('limit') : v;
    } else if (matches(a, 'latency') || matches(a, 'delay')) {
      NEXT_ARG();
      opt.latency = ticks('latency');
      if (NEXT_IS_NUMBER()) {
        NEXT_ARG();
        opt.jitter = ticks('latency');
        if (NEXT_IS_NUMBER()) {
          NEXT_ARG();
          ++present_corr;
          cor.delay_corr = percent('latency');
        }
      }
    } else if (matches(a, 'loss') || matches(a, 'drop')) {
      if (opt.loss > 0 || loss_type !== 0) explain1('duplicate loss argument\n');
      NEXT_ARG();
      let mode = arg();
      if (isdigit(mode[0])) mode = 'random-old';
      if (mode === 'random' || mode === 'random-old') {
        if (mode === 'random') NEXT_ARG();
        opt.loss = percent('loss percent');
        if (NEXT_IS_NUMBER()) {
          NEXT_ARG();
          ++present_corr;
          cor.loss_corr = percent('loss correlation');
        }
      } else if (mode === 'state') {
        NEXT_ARG();
        const p = parse_percent(arg());
        if (p.r) explain1('loss p13');
        gimodel.p13 = set_percent(p.v);
        gimodel.p31 = set_percent(1 - p.v);
        gimodel.p32 = set_percent(0);
        gimodel.p23 = set_percent(1);
        gimodel.p14 = set_percent(0);
        loss_type = NETEM_LOSS_GI;
        const fields: [keyof tc_netem_gimodel, string][] = [
          ['p31', 'loss p31'],
          ['p32', 'loss p32'],
          ['p23', 'loss p23'],
          ['p14', 'loss p14'],
        ];
        for (const [f, what] of fields) {
          if (!NEXT_IS_NUMBER()) break;
          NEXT_ARG();
          gimodel[f] = percent(what);
        }
      } else if (mode === 'gemodel') {
        NEXT_ARG();
        const p = parse_percent(arg());
        if (p.r) explain1('loss gemodel p');
        gemodel.p = set_percent(p.v);
        gemodel.r = set_percent(1 - p.v);
        gemodel.h = set_percent(0);
        gemodel.k1 = set_percent(0);
        loss_type = NETEM_LOSS_GE;
        if (NEXT_IS_NUMBER()) {
          NEXT_ARG();
          gemodel.r = percent('loss gemodel r');
          if (NEXT_IS_NUMBER()) {
            NEXT_ARG();
            // netem option is "1-h" but kernel expects "h"
            gemodel.h = UINT32_MAX - percent('loss gemodel h');
            if (NEXT_IS_NUMBER()) {
              NEXT_ARG();
              gemodel.k1 = percent('loss gemodel k');
            }
          }
        }
      } else {
        env.err(`Unknown loss parameter: ${mode}\n`);
        throw new Fail(1);
      }
    } else if (matches(a, 'ecn')) {
      present_ecn = true;
    } else if (matches(a, 'reorder')) {
      NEXT_ARG();
      present_reorder = true;
      reorder.probability = percent('reorder');
      if (NEXT_IS_NUMBER()) {
        NEXT_ARG();
        ++present_corr;
        reorder.correlation = percent('reorder');
      }
    } else if (matches(a, 'corrupt')) {
      NEXT_ARG();
      present_corrupt = true;
      corrupt.probability = percent('corrupt');
      if (NEXT_IS_NUMBER()) {
        NEXT_ARG();
        ++present_corr;
        corrupt.correlation = percent('corrupt');
      }
    } else if (matches(a, 'gap')) {
      NEXT_ARG();
      const v = get_u32(arg());
      opt.gap = v === null ? explain1('gap') : v;
    } else if (matches(a, 'duplicate')) {
      NEXT_ARG();
      opt.duplicate = percent('duplicate');
      if (NEXT_IS_NUMBER()) {
        NEXT_ARG();
        cor.dup_corr = percent('duplicate');
      }
    } else if (matches(a, 'distribution')) {
      NEXT_ARG();
      dist_data = get_distribution(arg(), env);
    } else if (matches(a, 'rate')) {
      present_rate = true;
      NEXT_ARG();
      if (arg().includes('%')) {
        const v = get_percent_rate64(arg(), dev, env);
        rate64 = v === null ? explain1('rate') : v;
      } else {
        const v = get_rate64(arg());
        rate64 = v === null ? explain1('rate') : v;
      }
      if (NEXT_IS_SIGNED_NUMBER()) {
        NEXT_ARG();
        const v = get_s32(arg());
        rate.packet_overhead = v === null ? explain1('rate') : v;
      }
      if (NEXT_IS_NUMBER()) {
        NEXT_ARG();
        const v = get_u32(arg());
        rate.cell_size = v === null ? explain1('rate') : v;
      }
      if (NEXT_IS_SIGNED_NUMBER()) {
        NEXT_ARG();
        const v = get_s32(arg());
        rate.cell_overhead = v === null ? explain1('rate') : v;
      }
    } else if (matches(a, 'slot')) {
      if (NEXT_IS_NUMBER()) {
        NEXT_ARG();
        present_slot = true;
        const min = get_time64(arg());
        slot.min_delay = min === null ? explain1('slot min_delay') : min;
        if (NEXT_IS_NUMBER()) {
          NEXT_ARG();
          const max = get_time64(arg());
          if (max === null || max < slot.min_delay) explain1('slot max_delay');
          slot.max_delay = max as number;
        } else {
          slot.max_delay = slot.min_delay;
        }
      } else {
        NEXT_ARG();
        if (arg() === 'distribution') {
          present_slot = true;
          NEXT_ARG();
          slot_dist_data = get_distribution(arg(), env);
          NEXT_ARG();
          const d = get_time64(arg());
          slot.dist_delay = d === null ? explain1('slot delay') : d;
          NEXT_ARG();
          const j = get_time64(arg());
          slot.dist_jitter = j === null ? explain1('slot jitter') : j;
          if (slot.dist_jitter <= 0) {
            env.err('Non-positive jitter\n');
            throw new Fail(1);
          }
        } else {
          env.err(`Unknown slot parameter: ${arg()}\n`);
          throw new Fail(1);
        }
      }
      if (NEXT_ARG_OK() && matches(args[i + 1] as string, 'packets')) {
        NEXT_ARG();
        const v = NEXT_ARG_OK() ? get_s32(args[i + 1] as string) : null;
        slot.max_packets = v === null ? explain1('slot packets') : v;
        NEXT_ARG();
      }
      if (NEXT_ARG_OK() && matches(args[i + 1] as string, 'bytes')) {
        NEXT_ARG();
        const v = NEXT_ARG_OK() ? get_size(args[i + 1] as string) : null;
        slot.max_bytes = v === null ? explain1('slot bytes') : v | 0;
        NEXT_ARG();
      }
    } else {
      if (a !== 'help') env.err(`What is "${a}"?\n`);
      explain('');
    }
  }

  if (reorder.probability) {
    if (opt.latency === 0) explain('reordering not possible without specifying some delay\n');
    if (opt.gap === 0) opt.gap = 1;
  } else if (opt.gap > 0) {
    explain('gap specified without reorder probability\n');
  }
  if (present_ecn && opt.loss <= 0 && loss_type === 0) explain('ecn requested without loss model\n');
  if (dist_data && (opt.latency === 0 || opt.jitter === 0)) explain('distribution specified but no latency and jitter values\n');

  const out: NetemOptions = { qopt: opt };
  if (present_corr) out.corr = cor;
  if (present_reorder) out.reorder = reorder;
  if (present_ecn) out.ecn = 1;
  if (present_corrupt) out.corrupt = corrupt;
  if (present_slot) out.slot = slot;
  if (loss_type === NETEM_LOSS_GI) out.loss = [{ type: NETEM_LOSS_GI, gi: gimodel }];
  else if (loss_type === NETEM_LOSS_GE) out.loss = [{ type: NETEM_LOSS_GE, ge: gemodel }];
  if (present_rate) {
    if (rate64 >= 2 ** 32) {
      out.rate64 = BigInt(rate64);
      rate.rate = UINT32_MAX;
    } else {
      rate.rate = rate64;
    }
    out.rate = rate;
  }
  if (dist_data) out.delay_dist = dist_data;
  if (slot_dist_data) out.slot_dist = slot_dist_data;
  return out;
}

/** read_prop(dev, "speed"): the device's speed in Mbit/s, or null after the messages. */
function read_speed(dev: string, env: NetemParseEnv): number | null {
  const fname = `/sys/class/net/${dev}/speed`;
  const text = env.readFile(fname);
  if (typeof text !== 'string') {
    if (text.error === 'No such file or directory') {
      env.err(`fopen ${fname}: ${text.error}\n`);
      return null;
    }
    env.err(`property "speed" in file ${fname} is currently unknown\n`);
  } else {
    const buf = text.split('\n')[0] as string;
    const r = strtol(buf, 0);
    if (r.end !== 0 && r.end === buf.length) return r.value;
    env.err(`value "${buf}" in file ${fname} is not a number\n`);
  }
  env.err(`Failed to parse ${fname}\n`);
  return null;
}

/** get_percent_rate64(): a share of the device's speed. */
function get_percent_rate64(str: string, dev: string, env: NetemParseEnv): number | null {
  if (!dev) {
    env.err('No device specified; specify device to rate limit by percentage\n');
    return null;
  }
  const speed = read_speed(dev, env);
  if (speed === null) return null;
  const m = /^[0-9.%]+/.exec(str);
  const p = m ? parse_percent(m[0]) : { r: -1, v: 0 };
  if (p.r === 1) {
    env.err(`Invalid rate specified; should be between [0,100]% but is ${str}\n`);
    return null;
  }
  if (p.r === -1) {
    env.err('Specified rate value could not be read or is malformed\n');
    return null;
  }
  const r_str = formatFloat(p.v * speed * 1000 * 1000, { flags: '', width: null, prec: 6, conv: 'f' });
  if (r_str.length >= 20) {
    env.err('Unable to parse calculated rate\n');
    return null;
  }
  return get_rate64(r_str);
}

/** The json_print.c calls netem_print_opt makes (PRINT_FP, PRINT_JSON, PRINT_ANY). */
export interface TcPrint {
  readonly json: boolean;
  /** text in the plain output */
  fp(s: string): void;
  /** a member of the current JSON object (an integer, a bool) */
  jv(key: string, v: number | boolean): void;
  /** a double member (jsonw_float: %g) */
  jf(key: string, v: number): void;
  open(key: string): void;
  close(): void;
}

const G = { flags: '', width: null, prec: null, conv: 'g' } as const;
/** printf("%g") */
function g(v: number): string {
  return formatFloat(v, G);
}

/** tc_core_tick2time() */
function tick2time(tick: number): number {
  return toUnsigned(tick / TICK_IN_USEC, 32);
}

/** %d of an int */
function d32(v: number): string {
  return formatInt(v | 0, { flags: '', width: null, prec: null, conv: 'd' });
}

/** netem_print_opt() */
export function netem_print_opt(o: NetemOptions | undefined, out: TcPrint): void {
  if (!o) return;
  const qopt = o.qopt;
  const cor = o.corr;
  const reorder = o.reorder;
  const corrupt = o.corrupt;
  const gimodel = o.loss?.find((l) => l.type === NETEM_LOSS_GI && 'gi' in l) as { gi: tc_netem_gimodel } | undefined;
  const gemodel = o.loss?.find((l) => l.type === NETEM_LOSS_GE && 'ge' in l) as { ge: tc_netem_gemodel } | undefined;
  const rate = o.rate;
  const slot = o.slot;

  const percent = (jkey: string, fpLabel: string, per: number): void => {
    if (!out.json) out.fp(`${fpLabel} ${g((100 * per) / UINT32_MAX)}%`);
    else out.jf(jkey, (1 * per) / UINT32_MAX);
  };
  const corr = (present: boolean, value: number): void => {
    if (!out.json) {
      if (present) percent('', '', value);
    } else {
      percent('correlation', ' correlation', value);
    }
  };
  const intOpt = (label: string, val: number): void => {
    if (out.json) out.jv(label, val | 0);
    else if (val !== 0) out.fp(` ${label} ${d32(val)}`);
  };
  const time64 = (jkey: string, fpLabel: string, val: number): void => {
    if (out.json) out.jf(jkey, val / 1000000000);
    else out.fp(`${fpLabel} ${sprint_time64(val)}`);
  };

  if (out.json) out.jv('limit', qopt.limit >>> 0);
  else out.fp(`limit ${d32(qopt.limit)}`);

  if (qopt.latency) {
    out.open('delay');
    if (!out.json) {
      out.fp(` delay ${sprint_time(tick2time(qopt.latency))}`);
      if (qopt.jitter) out.fp(`  ${sprint_time(tick2time(qopt.jitter))}`);
    } else {
      out.jf('delay', tick2time(qopt.latency) / 1000000);
      out.jf('jitter', tick2time(qopt.jitter) / 1000000);
    }
    corr(!!(qopt.jitter && cor && cor.delay_corr), cor ? cor.delay_corr : 0);
    out.close();
  }
  if (qopt.loss) {
    out.open('loss-random');
    percent('loss', ' loss', qopt.loss);
    corr(!!(cor && cor.loss_corr), cor ? cor.loss_corr : 0);
    out.close();
  }
  if (gimodel) {
    out.open('loss-state');
    percent('p13', ' loss state p13', gimodel.gi.p13);
    percent('p31', ' p31', gimodel.gi.p31);
    percent('p32', ' p32', gimodel.gi.p32);
    percent('p23', ' p23', gimodel.gi.p23);
    percent('p14', ' p14', gimodel.gi.p14);
    out.close();
  }
  if (gemodel) {
    out.open('loss-gemodel');
    percent('p', ' loss gemodel p', gemodel.ge.p);
    percent('r', ' r', gemodel.ge.r);
    percent('1-h', ' 1-h', UINT32_MAX - gemodel.ge.h);
    percent('1-k', ' 1-k', gemodel.ge.k1);
    out.close();
  }
  if (qopt.duplicate) {
    out.open('duplicate');
    percent('duplicate', ' duplicate', qopt.duplicate);
    corr(!!(cor && cor.dup_corr), cor ? cor.dup_corr : 0);
    out.close();
  }
  if (reorder?.probability) {
    out.open('reorder');
    percent('reorder', ' reorder', reorder.probability);
    corr(!!reorder.correlation, reorder.correlation);
    out.close();
  }
  if (corrupt?.probability) {
    out.open('corrupt');
    percent('corrupt', ' corrupt', corrupt.probability);
    corr(!!corrupt.correlation, corrupt.correlation);
    out.close();
  }
  if (rate?.rate) {
    out.open('rate');
    const r64 = o.rate64 ? Number(o.rate64) : rate.rate;
    if (out.json) out.jv('rate', r64);
    else out.fp(` rate ${sprint_rate(r64)}`);
    intOpt('packetoverhead', rate.packet_overhead);
    if (out.json) out.jv('cellsize', rate.cell_size >>> 0);
    else if (rate.cell_size) out.fp(` cellsize ${rate.cell_size >>> 0}`);
    intOpt('celloverhead', rate.cell_overhead);
    out.close();
  }
  if (slot) {
    out.open('slot');
    if (slot.dist_jitter > 0) {
      time64('distribution', ' slot distribution', slot.dist_delay);
      time64('jitter', '', slot.dist_jitter);
    } else {
      time64('min-delay', ' slot', slot.min_delay);
      time64('max-delay', '', slot.max_delay);
    }
    intOpt('packets', slot.max_packets);
    intOpt('bytes', slot.max_bytes);
    out.close();
  }
  if (out.json) out.jv('ecn', o.ecn !== undefined);
  else if (o.ecn !== undefined) out.fp(' ecn ');
  if (out.json) out.jv('gap', qopt.gap >>> 0);
  else if (qopt.gap) out.fp(` gap ${qopt.gap >>> 0}`);
}

/** The parser's process: stderr, the files (the tc library and sysfs), the environment. */
function parseEnv(tc: Tc): NetemParseEnv {
  return {
    err: (s) => tc.err(s),
    readFile: (path) => {
      const r = tc.ctx.world.vfs.readFile(path, tc.net);
      if (typeof r === 'string') return r;
      return { error: (FILE_ERRNO_TEXT as Record<string, string>)[r.errno] ?? r.errno };
    },
    getenv: (name) => tc.ctx.env.get(name),
  };
}

/** json_print's calls on a Tc: text through print_string, JSON members through the writer. */
function tcPrint(tc: Tc): TcPrint {
  return {
    json: tc.is_json_context(),
    fp: (s) => tc.print_string(PRINT_FP, null, '%s', s),
    jv: (key, v) => {
      if (typeof v === 'boolean') tc.print_bool(PRINT_JSON, key, null, v);
      else tc.print_u64(PRINT_JSON, key, null, v);
    },
    jf: (key, v) => tc.print_float(PRINT_JSON, key, null, v),
    open: (key) => tc.open_json_object(key),
    close: () => tc.close_json_object(),
  };
}

export const netem_qdisc_util: QdiscUtil = {
  id: 'netem',
  parse_qopt(_qu: QdiscUtil, tc: Tc, argv: readonly string[], req: TcMsg, dev: string): number {
    const r = netem_parse_opt(argv, dev, parseEnv(tc));
    if ('status' in r) {
      // NEXT_ARG()'s incomplete_command() exits(-1) from inside the parser
      if (r.status === 255) throw new TcExit(255);
      return -1;
    }
    req.attrs.TCA_OPTIONS = r.ok as unknown as TcOptions;
    return 0;
  },
  print_qopt(_qu: QdiscUtil, tc: Tc, opt: TcOptions | undefined): number {
    if (opt === undefined) return 0;
    if (typeof (opt as Partial<NetemOptions>).qopt !== 'object') {
      tc.err('options size error\n');
      return -1;
    }
    netem_print_opt(opt as unknown as NetemOptions, tcPrint(tc));
    return 0;
  },
};
