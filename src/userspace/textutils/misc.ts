// The small tools tutorials use around the network ones: date (the virtual
// clock), xargs, uniq, paste, od, hexdump, xxd, env, id, hostname, uname,
// which, yes, sudo. GNU coreutils 9.1 / findutils 4.9 / util-linux 2.38 / xxd
// messages. A scenario runs as root on a host named `skbpath` with Linux
// 6.18.26 (the release the e1000 driver reports to ethtool -i).
import { yieldCpu } from '../../sim/sched.ts';
import type { Command, InStream, ProcCtx } from '../proc.ts';
import { lookupProgram, makeCtx } from '../shell/interp.ts';
import { programPath } from '../shell/builtins.ts';
import { type Gen, parseOpts, readPath, readStdin, usage } from './io.ts';
import { isUnsimulatedProgram, unsimulatedMessage } from './unsimulated.ts';

export const HOSTNAME = 'skbpath';
export const KERNEL_RELEASE = '6.18.26';
const KERNEL_VERSION = '#1 SMP PREEMPT_DYNAMIC';

const EMPTY_IN: InStream = {
  // eslint-disable-next-line require-yield
  *read() {
    return null;
  },
};

const progName = (n: string): string => /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(n)?.[1] ?? n;

/** The line for a program that is not there: skbpath's for a Linux program it does not simulate. */
function notFound(name: string, linux: string): string {
  return isUnsimulatedProgram(progName(name)) ? unsimulatedMessage(progName(name)) : linux;
}

/** Runs a program as a child; null when there is no such program. */
export function* runChild(
  ctx: ProcCtx,
  argv: readonly string[],
  opts: { env?: ReadonlyMap<string, string>; stdin?: InStream } = {},
): Gen<number | null> {
  const prog = lookupProgram(ctx.world, argv[0] as string);
  if (!prog) return null;
  const child = makeCtx(ctx.world, argv, opts.stdin ?? ctx.stdin, ctx.stdout, ctx.stderr, ctx.net, opts.env ?? ctx.env);
  return yield* prog(child);
}

/** Reads all operands ('-' is stdin) as one string; null after printing an error. */
function* readAll(ctx: ProcCtx, prog: string, ops: readonly string[]): Gen<{ text: string; ok: boolean }> {
  let text = '';
  let ok = true;
  for (const op of ops.length ? ops : ['-']) {
    if (op === '-') {
      text += yield* readStdin(ctx);
      continue;
    }
    const r = readPath(ctx, op);
    if (typeof r !== 'string') {
      ctx.stderr.write(`${prog}: ${op}: ${r.msg}\n`);
      ok = false;
      continue;
    }
    text += r;
  }
  return { text, ok };
}

// ---- date

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y0 = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - y0.getTime()) / 86400000 + 1) / 7) };
}

/** strftime in the C locale and UTC; ns: nanoseconds within the second. */
export function strftime(fmt: string, d: Date, ns: number): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^%([-_0^#]*)(\d*)(:{0,3})([a-zA-Z%+])/.exec(fmt.slice(i));
    if (!m) {
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const flags = m[1] as string;
    const width = m[2] ? Number(m[2]) : null;
    const conv = m[4] as string;
    const num = (v: number, w: number, padc = '0'): string => {
      let p = padc;
      if (flags.includes('-')) return String(v);
      if (flags.includes('_')) p = ' ';
      if (flags.includes('0')) p = '0';
      return String(v).padStart(width ?? w, p);
    };
    const str = (s: string): string => {
      // '#': the opposite case (names go upper, AM/PM and the zone lower)
      let t = flags.includes('^') ? s.toUpperCase() : flags.includes('#') ? (/[pZ]/.test(conv) ? s.toLowerCase() : s.toUpperCase()) : s;
      if (width !== null) t = t.padStart(width, flags.includes('0') ? '0' : ' ');
      return t;
    };
    const Y = d.getUTCFullYear();
    const H = d.getUTCHours();
    const yday = Math.floor((d.getTime() - Date.UTC(Y, 0, 1)) / 86400000) + 1;
    switch (conv) {
      case 'a':
        out += str(DAYS[d.getUTCDay()]!.slice(0, 3));
        break;
      case 'A':
        out += str(DAYS[d.getUTCDay()] as string);
        break;
      case 'b':
      case 'h':
        out += str(MONTHS[d.getUTCMonth()]!.slice(0, 3));
        break;
      case 'B':
        out += str(MONTHS[d.getUTCMonth()] as string);
        break;
      case 'c':
        out += str(strftime('%a %b %e %H:%M:%S %Y', d, ns));
        break;
      case 'C':
        out += num(Math.floor(Y / 100), 2);
        break;
      case 'd':
        out += num(d.getUTCDate(), 2);
        break;
      case 'D':
        out += str(strftime('%m/%d/%y', d, ns));
        break;
      case 'e':
        out += num(d.getUTCDate(), 2, ' ');
        break;
      case 'F':
        out += str(strftime('%Y-%m-%d', d, ns));
        break;
      case 'g':
        out += num(isoWeek(d).year % 100, 2);
        break;
      case 'G':
        out += num(isoWeek(d).year, 4);
        break;
      case 'H':
        out += num(H, 2);
        break;
      case 'I':
        out += num(H % 12 || 12, 2);
        break;
      case 'j':
        out += num(yday, 3);
        break;
      case 'k':
        out += num(H, 2, ' ');
        break;
      case 'l':
        out += num(H % 12 || 12, 2, ' ');
        break;
      case 'm':
        out += num(d.getUTCMonth() + 1, 2);
        break;
      case 'M':
        out += num(d.getUTCMinutes(), 2);
        break;
      case 'n':
        out += '\n';
        break;
      case 'N': {
        const digits = String(ns).padStart(9, '0');
        out += width !== null ? digits.slice(0, width).padEnd(width, '0') : digits;
        break;
      }
      case 'p':
        out += str(H < 12 ? 'AM' : 'PM');
        break;
      case 'P':
        out += str(H < 12 ? 'am' : 'pm');
        break;
      case 'r':
        out += str(strftime('%I:%M:%S %p', d, ns));
        break;
      case 'R':
        out += str(strftime('%H:%M', d, ns));
        break;
      case 's':
        out += num(Math.floor(d.getTime() / 1000), 1);
        break;
      case 'S':
        out += num(d.getUTCSeconds(), 2);
        break;
      case 't':
        out += '\t';
        break;
      case 'T':
        out += str(strftime('%H:%M:%S', d, ns));
        break;
      case 'u':
        out += num(d.getUTCDay() || 7, 1);
        break;
      case 'U':
        out += num(Math.floor((yday + 6 - d.getUTCDay()) / 7), 2);
        break;
      case 'V':
        out += num(isoWeek(d).week, 2);
        break;
      case 'w':
        out += num(d.getUTCDay(), 1);
        break;
      case 'W':
        out += num(Math.floor((yday + 6 - ((d.getUTCDay() + 6) % 7)) / 7), 2);
        break;
      case 'x':
        out += str(strftime('%m/%d/%y', d, ns));
        break;
      case 'X':
        out += str(strftime('%H:%M:%S', d, ns));
        break;
      case 'y':
        out += num(Y % 100, 2);
        break;
      case 'Y':
        out += num(Y, 4);
        break;
      case 'z':
        out += m[3] === ':' ? '+00:00' : m[3] === '::' ? '+00:00:00' : m[3] === ':::' ? '+00' : '+0000';
        break;
      case 'Z':
        out += str('UTC');
        break;
      case '%':
        out += '%';
        break;
      case '+':
        out += str(strftime('%a %b %e %H:%M:%S %Z %Y', d, ns));
        break;
      default:
        out += m[0];
    }
  }
  return out;
}

/** date -d STRING: @seconds, now, ISO dates and times; null if not understood. */
function parseDate(s: string, nowMs: number): number | null {
  const t = s.trim();
  if (t === '' || t === 'now') return nowMs;
  let m = /^@([-+]?\d+(?:\.\d+)?)$/.exec(t);
  if (m) return Number(m[1]) * 1000;
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?: ?(?:Z|UTC|([-+]\d{2}):?(\d{2})))?$/.exec(t);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    const off = m[8] ? (Number(m[8]) * 60 + Math.sign(Number(m[8]) || 1) * Number(m[9])) * 60000 : 0;
    if (Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) return null;
    return ms - off;
  }
  if (t === 'today') return nowMs;
  if (t === 'yesterday') return nowMs - 86400000;
  if (t === 'tomorrow') return nowMs + 86400000;
  m = /^([-+]?\d+) (second|sec|minute|min|hour|day|week)s? ?(ago)?$/.exec(t);
  if (m) {
    const unit = { second: 1, sec: 1, minute: 60, min: 60, hour: 3600, day: 86400, week: 604800 }[m[2] as string] as number;
    return nowMs + (m[3] ? -1 : 1) * Number(m[1]) * unit * 1000;
  }
  return null;
}

const date: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'd:f:I::r:Rs:u', {
    date: ['d', 1],
    file: ['f', 1],
    'iso-8601': ['I', 2],
    reference: ['r', 1],
    'rfc-email': ['R', 0],
    'rfc-3339': ['rfc3339', 1],
    set: ['s', 1],
    utc: ['u', 0],
    universal: ['u', 0],
    help: ['help', 0],
    version: ['version', 0],
  });
  if ('err' in p) {
    usage(ctx, 'date', p.err);
    return 1;
  }
  const sim = ctx.world.sim;
  const nowNs = sim.epochNs + sim.now;
  let ms = Math.floor(nowNs / 1e6);
  let ns = nowNs % 1e9;
  let fmt: string | null = null;
  for (const [k, v] of p.opts) {
    if (k === 'd') {
      const r = parseDate(v, ms);
      if (r === null) {
        ctx.stderr.write(`date: invalid date '${v}'\n`);
        return 1;
      }
      if (r !== ms) {
        ns = Math.round(((((r / 1000) % 1) + 1) % 1) * 1e9) % 1e9;
        ms = Math.floor(r);
      }
    } else if (k === 'I') {
      const spec = v === '' ? 'date' : ['date', 'hours', 'minutes', 'seconds', 'ns'].find((x) => x.startsWith(v));
      if (!spec) {
        ctx.stderr.write(
          `date: invalid argument '${v}' for '--iso-8601'\nValid arguments are:\n  - 'hours'\n  - 'minutes'\n  - 'date'\n  - 'seconds'\n  - 'ns'\nTry 'date --help' for more information.\n`,
        );
        return 1;
      }
      fmt = {
        date: '%Y-%m-%d',
        hours: '%Y-%m-%dT%H%:z',
        minutes: '%Y-%m-%dT%H:%M%:z',
        seconds: '%Y-%m-%dT%H:%M:%S%:z',
        ns: '%Y-%m-%dT%H:%M:%S,%N%:z',
      }[spec] as string;
    } else if (k === 'R') fmt = '%a, %d %b %Y %H:%M:%S %z';
    else if (k === 's') {
      ctx.stderr.write('date: cannot set date: Operation not permitted\n');
      return 1;
    } else if (k === 'f' || k === 'r' || k === 'rfc3339') {
      ctx.stderr.write(`skbpath: date: ${k === 'rfc3339' ? '--rfc-3339' : `-${k}`} is not simulated\n`);
      return 1;
    } else if (k === 'help' || k === 'version') {
      ctx.stderr.write(`skbpath: date: --${k} is not simulated\n`);
      return 1;
    }
  }
  const ops = p.operands;
  if (ops.length > 0) {
    const o = ops[0] as string;
    if (!o.startsWith('+')) {
      ctx.stderr.write(`date: invalid date '${o}'\n`);
      return 1;
    }
    if (ops.length > 1) {
      usage(ctx, 'date', `extra operand '${ops[1]}'`);
      return 1;
    }
    if (fmt !== null) {
      ctx.stderr.write('date: multiple output formats specified\n');
      return 1;
    }
    fmt = o.slice(1);
  }
  ctx.stdout.write(strftime(fmt ?? '%a %b %e %H:%M:%S %Z %Y', new Date(ms), ns) + '\n');
  return 0;
};

// ---- uniq, paste

const uniq: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'cdDf:is:uw:z', {
    count: ['c', 0],
    repeated: ['d', 0],
    'all-repeated': ['D', 2],
    'skip-fields': ['f', 1],
    'ignore-case': ['i', 0],
    'skip-chars': ['s', 1],
    unique: ['u', 0],
    'check-chars': ['w', 1],
    'zero-terminated': ['z', 0],
  });
  if ('err' in p) {
    usage(ctx, 'uniq', p.err);
    return 1;
  }
  const f = new Set(p.opts.map(([k]) => k));
  let skipFields = 0;
  let skipChars = 0;
  let check = Infinity;
  for (const [k, v] of p.opts) {
    if (k === 'f' || k === 's' || k === 'w') {
      if (!/^\d+$/.test(v)) {
        const what = k === 'f' ? 'number of fields to skip' : k === 's' ? 'number of bytes to skip' : 'number of bytes to compare';
        ctx.stderr.write(`uniq: ${v}: invalid ${what}\n`);
        return 1;
      }
      if (k === 'f') skipFields = Number(v);
      else if (k === 's') skipChars = Number(v);
      else check = Number(v);
    }
  }
  if (f.has('c') && f.has('D')) {
    usage(ctx, 'uniq', 'printing all duplicated lines and repeat counts is meaningless');
    return 1;
  }
  const ops = p.operands;
  if (ops.length > 2) {
    usage(ctx, 'uniq', `extra operand '${ops[2]}'`);
    return 1;
  }
  const input = ops[0] ?? '-';
  let text: string;
  if (input === '-') text = yield* readStdin(ctx);
  else {
    const r = readPath(ctx, input);
    if (typeof r !== 'string') {
      ctx.stderr.write(`uniq: ${input}: ${r.msg}\n`);
      return 1;
    }
    text = r;
  }
  const sep = f.has('z') ? '\0' : '\n';
  const lines = text.split(sep);
  if (lines[lines.length - 1] === '') lines.pop();
  const key = (l: string): string => {
    let s = l;
    for (let k = 0; k < skipFields; k++) s = s.replace(/^[ \t]*[^ \t]*/, '');
    s = s.slice(skipChars);
    if (check !== Infinity) s = s.slice(0, check);
    return f.has('i') ? s.toLowerCase() : s;
  };
  let out = '';
  for (let i = 0; i < lines.length; ) {
    let j = i + 1;
    const k0 = key(lines[i] as string);
    while (j < lines.length && key(lines[j] as string) === k0) j++;
    const n = j - i;
    if (f.has('D')) {
      if (n > 1) for (let k = i; k < j; k++) out += lines[k] + sep;
    } else if ((!f.has('d') || n > 1) && (!f.has('u') || n === 1)) {
      out += (f.has('c') ? `${String(n).padStart(7)} ` : '') + lines[i] + sep;
    }
    i = j;
  }
  if (ops[1] !== undefined) {
    const e = ctx.world.vfs.writeFile(ops[1], out, false, ctx.net);
    if (e) {
      ctx.stderr.write(`uniq: ${ops[1]}: ${e.errno}\n`);
      return 1;
    }
  } else ctx.stdout.write(out);
  return 0;
};

const paste: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'd:sz', { delimiters: ['d', 1], serial: ['s', 0], 'zero-terminated': ['z', 0] });
  if ('err' in p) {
    usage(ctx, 'paste', p.err);
    return 1;
  }
  let delims = ['\t'];
  let serial = false;
  for (const [k, v] of p.opts) {
    if (k === 'd') {
      delims = [];
      for (let i = 0; i < v.length; i++) {
        const c = v[i] as string;
        if (c === '\\' && i + 1 < v.length) {
          const d = v[++i] as string;
          delims.push(d === 'n' ? '\n' : d === 't' ? '\t' : d === '0' ? '' : d === '\\' ? '\\' : d);
        } else if (c === '\\') {
          ctx.stderr.write(`paste: delimiter list ends with an unescaped backslash: ${v}\n`);
          return 1;
        } else delims.push(c);
      }
      if (delims.length === 0) delims = [''];
    } else if (k === 's') serial = true;
  }
  const ops = p.operands.length ? p.operands : ['-'];
  const files: string[][] = [];
  const status = 0;
  let stdinLines: string[] | null = null;
  for (const op of ops) {
    if (op === '-') {
      if (stdinLines === null) {
        const t = yield* readStdin(ctx);
        stdinLines = t.split('\n');
        if (stdinLines[stdinLines.length - 1] === '') stdinLines.pop();
      }
      files.push(stdinLines);
      continue;
    }
    const r = readPath(ctx, op);
    if (typeof r !== 'string') {
      ctx.stderr.write(`paste: ${op}: ${r.msg}\n`);
      return 1;
    }
    const l = r.split('\n');
    if (l[l.length - 1] === '') l.pop();
    files.push(l);
  }
  let out = '';
  if (serial) {
    for (const l of files) {
      let s = '';
      l.forEach((x, k) => {
        s += (k > 0 ? delims[(k - 1) % delims.length] : '') + x;
      });
      out += s + '\n';
    }
  } else {
    // one stdin shared by several '-' operands: lines are dealt out in turn
    const dashCount = ops.filter((o) => o === '-').length;
    if (dashCount > 1 && stdinLines) {
      const src = stdinLines;
      let k = 0;
      const rows = Math.ceil(src.length / dashCount);
      for (let r = 0; r < rows; r++) {
        const cells: string[] = [];
        for (const op of ops) {
          if (op === '-') cells.push(src[k++] ?? '');
        }
        out += cells.map((c, i) => (i > 0 ? delims[(i - 1) % delims.length] : '') + c).join('') + '\n';
      }
    } else {
      const rows = Math.max(0, ...files.map((l) => l.length));
      for (let r = 0; r < rows; r++) {
        let s = '';
        files.forEach((l, i) => {
          if (i > 0) s += delims[(i - 1) % delims.length];
          s += l[r] ?? '';
        });
        out += s + '\n';
      }
    }
  }
  ctx.stdout.write(out);
  return status;
};

// ---- od, hexdump, xxd

function bytesOf(s: string): number[] {
  const b: number[] = [];
  for (let i = 0; i < s.length; i++) b.push(s.charCodeAt(i) & 0xff);
  return b;
}

const OD_CHAR: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

const od: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'A:bcdj:N:ost:vxw::', {
    'address-radix': ['A', 1],
    'skip-bytes': ['j', 1],
    'read-bytes': ['N', 1],
    format: ['t', 1],
    'output-duplicates': ['v', 0],
    width: ['w', 2],
  });
  if ('err' in p) {
    usage(ctx, 'od', p.err);
    return 1;
  }
  let radix = 'o';
  const types: { kind: string; size: number }[] = [];
  let dup = false;
  let skip = 0;
  let limit = Infinity;
  let width = 16;
  for (const [k, v] of p.opts) {
    if (k === 'A') {
      if (!/^[doxn]$/.test(v)) {
        ctx.stderr.write(`od: invalid output address radix '${v}'; it must be one character from [doxn]\n`);
        return 1;
      }
      radix = v;
    } else if (k === 'b') types.push({ kind: 'o', size: 1 });
    else if (k === 'c') types.push({ kind: 'c', size: 1 });
    else if (k === 'd') types.push({ kind: 'u', size: 2 });
    else if (k === 'o') types.push({ kind: 'o', size: 2 });
    else if (k === 's') types.push({ kind: 'd', size: 2 });
    else if (k === 'x') types.push({ kind: 'x', size: 2 });
    else if (k === 'v') dup = true;
    else if (k === 'j') skip = Number(v);
    else if (k === 'N') limit = Number(v);
    else if (k === 'w') width = v === '' ? 32 : Number(v);
    else if (k === 't') {
      const m = /^([aoxduc])([1248]?)$/.exec(v);
      if (!m) {
        ctx.stderr.write(`skbpath: od: -t ${v} is not simulated\n`);
        return 1;
      }
      const kind = m[1] as string;
      types.push({ kind, size: kind === 'c' || kind === 'a' ? 1 : Number(m[2] || 4) });
    }
  }
  if (types.length === 0) types.push({ kind: 'o', size: 2 });
  const { text, ok } = yield* readAll(ctx, 'od', p.operands);
  const bytes = bytesOf(text).slice(skip, skip + (Number.isFinite(limit) ? limit : text.length));
  const addr = (n: number): string =>
    radix === 'n'
      ? ''
      : radix === 'd'
        ? String(n).padStart(7, '0')
        : radix === 'x'
          ? n.toString(16).padStart(6, '0')
          : n.toString(8).padStart(7, '0');
  const fieldWidth = (t: { kind: string; size: number }): number => {
    const max = 2 ** (8 * t.size) - 1;
    if (t.kind === 'c' || t.kind === 'a') return 3;
    if (t.kind === 'o') return max.toString(8).length;
    if (t.kind === 'x') return t.size * 2;
    if (t.kind === 'u') return String(max).length;
    return String(2 ** (8 * t.size - 1)).length + 1;
  };
  const cellW = Math.max(...types.map((t) => (fieldWidth(t) + 1) / t.size));
  let out = '';
  let prev: string | null = null;
  let starred = false;
  const skipAddr = radix === 'n';
  for (let off = 0; off < bytes.length; off += width) {
    const chunk = bytes.slice(off, off + width);
    const key = chunk.join(',');
    if (!dup && prev === key && chunk.length === width) {
      if (!starred) out += '*\n';
      starred = true;
      continue;
    }
    starred = false;
    prev = key;
    types.forEach((t, ti) => {
      let line = ti === 0 ? addr(skip + off) : skipAddr ? '' : ' '.repeat(addr(0).length);
      for (let i = 0; i < chunk.length; i += t.size) {
        let v = 0;
        for (let k = t.size - 1; k >= 0; k--) v = v * 256 + (chunk[i + k] ?? 0);
        const w = Math.round(cellW * t.size);
        let s: string;
        if (t.kind === 'c') {
          const c = chunk[i] as number;
          s = OD_CHAR[c] ?? (c >= 32 && c < 127 ? String.fromCharCode(c) : c.toString(8).padStart(3, '0'));
        } else if (t.kind === 'o') s = v.toString(8).padStart(fieldWidth(t), '0');
        else if (t.kind === 'x') s = v.toString(16).padStart(fieldWidth(t), '0');
        else if (t.kind === 'u') s = String(v);
        else {
          const half = 2 ** (8 * t.size - 1);
          s = String(v >= half ? v - 2 * half : v);
        }
        line += s.padStart(w);
      }
      out += line + '\n';
    });
  }
  if (!skipAddr) out += addr(skip + bytes.length) + '\n';
  ctx.stdout.write(out);
  return ok ? 0 : 1;
};

const hexdump: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'bcCdn:os:vxe:f:L::', {
    canonical: ['C', 0],
    length: ['n', 1],
    skip: ['s', 1],
    'no-squeezing': ['v', 0],
    format: ['e', 1],
    'format-file': ['f', 1],
    color: ['L', 2],
  });
  if ('err' in p) {
    ctx.stderr.write(`hexdump: ${p.err}\nTry 'hexdump --help' for more information.\n`);
    return 1;
  }
  let canonical = false;
  let noSqueeze = false;
  let len = Infinity;
  let skip = 0;
  for (const [k, v] of p.opts) {
    if (k === 'C') canonical = true;
    else if (k === 'v') noSqueeze = true;
    else if (k === 'n') len = Number(v);
    else if (k === 's') skip = Number(v);
    else if (k !== 'x') {
      ctx.stderr.write(`skbpath: hexdump: -${k} is not simulated (only -C, -x, -n, -s, -v)\n`);
      return 1;
    }
  }
  const ops = p.operands;
  let ok = true;
  let text = '';
  if (ops.length === 0) text = yield* readStdin(ctx);
  for (const op of ops) {
    const r = readPath(ctx, op);
    if (typeof r !== 'string') {
      ctx.stderr.write(`hexdump: ${op}: ${r.msg}\n`);
      ok = false;
      continue;
    }
    text += r;
  }
  if (!ok && text === '') {
    ctx.stderr.write('hexdump: all input file arguments failed\n');
    return 1;
  }
  const bytes = bytesOf(text).slice(skip, Number.isFinite(len) ? skip + len : undefined);
  let out = '';
  let prev: string | null = null;
  let starred = false;
  for (let off = 0; off < bytes.length; off += 16) {
    const chunk = bytes.slice(off, off + 16);
    const key = chunk.join(',');
    if (!noSqueeze && key === prev && chunk.length === 16) {
      if (!starred) out += '*\n';
      starred = true;
      continue;
    }
    starred = false;
    prev = key;
    const a = skip + off;
    if (canonical) {
      let hex = '';
      for (let i = 0; i < 16; i++) {
        hex += i < chunk.length ? (chunk[i] as number).toString(16).padStart(2, '0') + ' ' : '   ';
        if (i === 7) hex += ' ';
      }
      const asc = chunk.map((c) => (c >= 32 && c < 127 ? String.fromCharCode(c) : '.')).join('');
      out += `${a.toString(16).padStart(8, '0')}  ${hex} |${asc}|\n`;
    } else {
      let line = a.toString(16).padStart(7, '0');
      for (let i = 0; i < chunk.length; i += 2) {
        const v = (chunk[i] as number) | ((chunk[i + 1] ?? 0) << 8);
        line += ' ' + v.toString(16).padStart(4, '0');
      }
      out += line.padEnd(47) + '\n';
    }
  }
  if (bytes.length > 0) {
    out += (skip + bytes.length).toString(16).padStart(canonical ? 8 : 7, '0') + '\n';
  }
  ctx.stdout.write(out);
  return ok ? 0 : 1;
};

const xxd: Command = function* (ctx) {
  const argv = ctx.argv;
  let plain = false;
  let reverse = false;
  let cols: number | null = null;
  let upper = false;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-p' || a === '-ps' || a === '-postscript' || a === '-plain') plain = true;
    else if (a === '-r' || a === '-revert') reverse = true;
    else if (a === '-u') upper = true;
    else if (a === '-c' || a === '-cols') {
      const v = argv[++i];
      if (v === undefined) {
        ctx.stderr.write('xxd: option -c requires an argument\n');
        return 1;
      }
      cols = Number(v);
    } else if (a.startsWith('-') && a !== '-') {
      ctx.stderr.write(`skbpath: xxd: ${a} is not simulated (only -p, -r -p, -c, -u)\n`);
      return 1;
    } else files.push(a);
  }
  const input = files[0];
  let text: string;
  if (input === undefined || input === '-') text = yield* readStdin(ctx);
  else {
    const r = readPath(ctx, input);
    if (typeof r !== 'string') {
      ctx.stderr.write(`xxd: ${input}: ${r.msg}\n`);
      return 2;
    }
    text = r;
  }
  if (reverse) {
    if (!plain) {
      ctx.stderr.write('skbpath: xxd: -r without -p is not simulated\n');
      return 1;
    }
    const hex = text.replace(/[^0-9a-fA-F]/g, '');
    let out = '';
    for (let i = 0; i + 1 < hex.length; i += 2) out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
    ctx.stdout.write(out);
    return 0;
  }
  const bytes = bytesOf(text);
  const h = (b: number): string => {
    const s = b.toString(16).padStart(2, '0');
    return upper ? s.toUpperCase() : s;
  };
  let out = '';
  if (plain) {
    const c = cols ?? 30;
    for (let i = 0; i < bytes.length; i += c)
      out +=
        bytes
          .slice(i, i + c)
          .map(h)
          .join('') + '\n';
  } else {
    const c = cols ?? 16;
    const groupsWidth = c * 2 + Math.ceil(c / 2) - 1;
    for (let i = 0; i < bytes.length; i += c) {
      const chunk = bytes.slice(i, i + c);
      let hex = '';
      chunk.forEach((b, k) => {
        hex += h(b);
        if (k % 2 === 1 && k < c - 1) hex += ' ';
      });
      const asc = chunk.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
      out += `${i.toString(16).padStart(8, '0')}: ${hex.padEnd(groupsWidth)}  ${asc}\n`;
    }
  }
  ctx.stdout.write(out);
  return 0;
};

// ---- xargs

/** xargs' default input parsing: blanks and newlines separate, quotes and backslash escape. */
function xargsSplit(text: string): { items: string[]; err: string | null } {
  const out: string[] = [];
  let cur = '';
  let have = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (have) out.push(cur);
      cur = '';
      have = false;
      continue;
    }
    if (c === '"' || c === "'") {
      const j = text.indexOf(c, i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (j < 0 || (nl >= 0 && nl < j)) {
        const kind = c === '"' ? 'double' : 'single';
        return { items: out, err: `unmatched ${kind} quote; by default quotes are special to xargs unless you use the -0 option` };
      }
      cur += text.slice(i + 1, j);
      have = true;
      i = j;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      have = true;
      continue;
    }
    cur += c;
    have = true;
  }
  if (have) out.push(cur);
  return { items: out, err: null };
}

const xargs: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, '+0d:E:I:i::L:l::n:P:prs:tx', {
    null: ['0', 0],
    delimiter: ['d', 1],
    'max-args': ['n', 1],
    'max-lines': ['L', 1],
    replace: ['I', 2],
    'no-run-if-empty': ['r', 0],
    verbose: ['t', 0],
    'max-procs': ['P', 1],
    interactive: ['p', 0],
    exit: ['x', 0],
    'max-chars': ['s', 1],
  });
  if ('err' in p) {
    usage(ctx, 'xargs', p.err);
    return 1;
  }
  let sep: string | null = null;
  let maxArgs = Infinity;
  let maxLines = Infinity;
  let replace: string | null = null;
  let noRunEmpty = false;
  let verbose = false;
  for (const [k, v] of p.opts) {
    if (k === '0') sep = '\0';
    else if (k === 'd') sep = v === '\\n' ? '\n' : v === '\\t' ? '\t' : v.slice(0, 1);
    else if (k === 'n' || k === 'L' || k === 'P' || k === 's') {
      if (!/^\d+$/.test(v)) {
        ctx.stderr.write(`xargs: invalid number "${v}" for -${k} option\nTry 'xargs --help' for more information.\n`);
        return 1;
      }
      if (Number(v) < 1 && k !== 'P') {
        ctx.stderr.write(`xargs: value ${v} for -${k} option should be >= 1\nTry 'xargs --help' for more information.\n`);
        return 1;
      }
      if (k === 'n') maxArgs = Number(v);
      if (k === 'L') maxLines = Number(v);
    } else if (k === 'I' || k === 'i') {
      replace = v === '' ? '{}' : v;
      maxLines = 1;
    } else if (k === 'r') noRunEmpty = true;
    else if (k === 't') verbose = true;
    else if (k === 'p') {
      ctx.stderr.write('skbpath: xargs: -p is not simulated\n');
      return 1;
    }
  }
  const cmd = p.operands.length ? p.operands : ['echo'];
  const text = yield* readStdin(ctx);
  // items, each with the input line it ended (for -L and -I)
  let items: string[][];
  /** A quoting error: what came before it still runs, then xargs fails. */
  let pendingErr: string | null = null;
  if (replace !== null || maxLines !== Infinity) {
    const lines = text.split(sep ?? '\n');
    if (lines[lines.length - 1] === '') lines.pop();
    items = [];
    for (const l of lines) {
      if (replace !== null) {
        const t = sep === null ? l.replace(/^[ \t]+/, '') : l;
        if (t !== '') items.push([t]);
        continue;
      }
      const r = xargsSplit(l);
      if (r.err !== null) {
        pendingErr = r.err;
        break;
      }
      if (r.items.length) items.push(r.items);
    }
  } else if (sep !== null) {
    const parts = text.split(sep);
    if (parts[parts.length - 1] === '') parts.pop();
    items = parts.map((x) => [x]);
  } else {
    const r = xargsSplit(text);
    pendingErr = r.err;
    items = r.items.map((x) => [x]);
  }
  const batches: string[][] = [];
  if (replace !== null) {
    for (const it of items) batches.push(cmd.map((a) => a.split(replace as string).join(it[0] as string)));
  } else {
    const perLine = maxLines !== Infinity;
    let cur: string[] = [];
    let lines = 0;
    for (const it of items) {
      for (const a of it) {
        cur.push(a);
        if (!perLine && cur.length >= maxArgs) {
          batches.push([...cmd, ...cur]);
          cur = [];
        }
      }
      if (perLine && ++lines >= maxLines) {
        batches.push([...cmd, ...cur]);
        cur = [];
        lines = 0;
      }
    }
    if (cur.length || (batches.length === 0 && !noRunEmpty && pendingErr === null)) batches.push([...cmd, ...cur]);
  }
  let status = 0;
  for (const argv of batches) {
    if (verbose) ctx.stderr.write(argv.join(' ') + '\n');
    const st = yield* runChild(ctx, argv, { stdin: EMPTY_IN });
    if (st === null) {
      ctx.stderr.write(notFound(argv[0] as string, `xargs: ${argv[0]}: No such file or directory\n`));
      return 127;
    }
    if (st === 255) {
      ctx.stderr.write(`xargs: ${argv[0]}: exited with status 255; aborting\n`);
      return 124;
    }
    if (st > 128) {
      return 125;
    }
    if (st !== 0) status = 123;
  }
  if (pendingErr !== null) {
    ctx.stderr.write(`xargs: ${pendingErr}\n`);
    return 1;
  }
  return status;
};

// ---- env, id, hostname, uname, which, yes, sudo

const env: Command = function* (ctx) {
  const argv = ctx.argv;
  const vars = new Map(ctx.env);
  let i = 1;
  let nul = false;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-i' || a === '-' || a === '--ignore-environment') vars.clear();
    else if (a === '-0' || a === '--null') nul = true;
    else if (a === '-u' || a === '--unset') {
      const n = argv[++i];
      if (n === undefined) {
        usage(ctx, 'env', "option requires an argument -- 'u'");
        return 125;
      }
      vars.delete(n);
    } else if (a.startsWith('-u') && a.length > 2) vars.delete(a.slice(2));
    else if (a.startsWith('--unset=')) vars.delete(a.slice(8));
    else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-') && a.length > 1) {
      const c = a.startsWith('--') ? a : a[1];
      if (a.startsWith('--')) usage(ctx, 'env', `unrecognized option '${c}'`);
      else usage(ctx, 'env', `invalid option -- '${c}'`);
      return 125;
    } else break;
  }
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    if (eq <= 0) break;
    vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const rest = argv.slice(i);
  if (rest.length === 0) {
    for (const [k, v] of vars) ctx.stdout.write(`${k}=${v}${nul ? '\0' : '\n'}`);
    return 0;
  }
  const st = yield* runChild(ctx, rest, { env: vars });
  if (st === null) {
    ctx.stderr.write(notFound(rest[0] as string, `env: '${rest[0]}': No such file or directory\n`));
    return 127;
  }
  return st;
};

const id: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'agGnruzZ', {
    group: ['g', 0],
    groups: ['G', 0],
    name: ['n', 0],
    real: ['r', 0],
    user: ['u', 0],
    zero: ['z', 0],
    context: ['Z', 0],
  });
  if ('err' in p) {
    usage(ctx, 'id', p.err);
    return 1;
  }
  const f = new Set(p.opts.map(([k]) => k));
  const user = p.operands[0];
  if (p.operands.length > 1) {
    usage(ctx, 'id', `extra operand '${p.operands[1]}'`);
    return 1;
  }
  if (user !== undefined && user !== 'root' && user !== '0') {
    ctx.stderr.write(`id: '${user}': no such user\n`);
    return 1;
  }
  const which = ['u', 'g', 'G'].filter((k) => f.has(k));
  if (which.length > 1) {
    ctx.stderr.write('id: cannot print "only" of more than one choice\n');
    return 1;
  }
  if ((f.has('n') || f.has('r')) && which.length === 0) {
    ctx.stderr.write('id: cannot print only names or real IDs in default format\n');
    return 1;
  }
  if (which.length) {
    ctx.stdout.write((f.has('n') ? 'root' : '0') + (f.has('z') ? '\0' : '\n'));
    return 0;
  }
  ctx.stdout.write('uid=0(root) gid=0(root) groups=0(root)\n');
  return 0;
};

const hostname: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'afiIsdyFbV', {
    all: ['a', 0],
    fqdn: ['f', 0],
    long: ['f', 0],
    'ip-address': ['i', 0],
    'all-ip-addresses': ['I', 0],
    short: ['s', 0],
    domain: ['d', 0],
  });
  if ('err' in p) {
    ctx.stderr.write(`hostname: ${p.err}\nUsage: hostname [-b] {hostname|-F file}         set host name (from file)\n`);
    return 1;
  }
  if (p.operands.length) {
    ctx.stderr.write('hostname: you must be root to change the host name\n');
    return 1;
  }
  const k = p.opts[0]?.[0];
  if (k === 'd') ctx.stdout.write('\n');
  else if (k === 'i' || k === 'I' || k === 'a' || k === 'F' || k === 'y' || k === 'b' || k === 'V') {
    ctx.stderr.write(`skbpath: hostname: -${k} is not simulated\n`);
    return 1;
  } else ctx.stdout.write(HOSTNAME + '\n');
  return 0;
};

const uname: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'asnrvmpio', {
    all: ['a', 0],
    'kernel-name': ['s', 0],
    nodename: ['n', 0],
    'kernel-release': ['r', 0],
    'kernel-version': ['v', 0],
    machine: ['m', 0],
    processor: ['p', 0],
    'hardware-platform': ['i', 0],
    'operating-system': ['o', 0],
  });
  if ('err' in p) {
    usage(ctx, 'uname', p.err);
    return 1;
  }
  if (p.operands.length) {
    usage(ctx, 'uname', `extra operand '${p.operands[0]}'`);
    return 1;
  }
  const f = new Set(p.opts.map(([k]) => k));
  if (f.size === 0) f.add('s');
  const all = f.has('a');
  const parts: string[] = [];
  if (all || f.has('s')) parts.push('Linux');
  if (all || f.has('n')) parts.push(HOSTNAME);
  if (all || f.has('r')) parts.push(KERNEL_RELEASE);
  if (all || f.has('v')) parts.push(KERNEL_VERSION);
  if (all || f.has('m')) parts.push('x86_64');
  if (!all && f.has('p')) parts.push('unknown');
  if (!all && f.has('i')) parts.push('unknown');
  if (all || f.has('o')) parts.push('GNU/Linux');
  ctx.stdout.write(parts.join(' ') + '\n');
  return 0;
};

const which: Command = function* (ctx) {
  const argv = ctx.argv.slice(1);
  let all = false;
  while (argv[0]?.startsWith('-') && argv[0].length > 1) {
    const o = argv.shift() as string;
    if (o === '--') break;
    if (/^-a+$/.test(o)) all = true;
    else {
      ctx.stderr.write(`Illegal option ${o.slice(0, 2)}\nUsage: /usr/bin/which [-a] args\n`);
      return 2;
    }
  }
  void all;
  let st = 0;
  if (argv.length === 0) return 1;
  for (const n of argv) {
    if (n.includes('/')) {
      if (lookupProgram(ctx.world, n)) ctx.stdout.write(n + '\n');
      else st = 1;
      continue;
    }
    if (ctx.world.commands.has(n) || lookupProgram(ctx.world, n)) ctx.stdout.write(`${programPath(n)}\n`);
    else st = 1;
  }
  return st;
};

const yes: Command = function* (ctx) {
  const argv = ctx.argv.slice(1);
  if (argv[0] === '--') argv.shift();
  else if (argv[0]?.startsWith('-') && argv[0].length > 1) {
    const a = argv[0];
    usage(ctx, 'yes', a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`);
    return 1;
  }
  const line = (argv.length ? argv.join(' ') : 'y') + '\n';
  // a pipe's reader ends yes with SIGPIPE; write in blocks and let the scheduler run others
  const block = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  for (;;) {
    ctx.stdout.write(block);
    yield yieldCpu;
  }
};

const sudo: Command = function* (ctx) {
  const argv = ctx.argv;
  let i = 1;
  const vars = new Map(ctx.env);
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    // root running sudo: -E (keep the environment), -H, -n, -S change nothing here
    if (/^-[EHnSkPb]+$/.test(a) || a === '--preserve-env' || a === '--non-interactive') continue;
    if (a === '-u' || a === '-g') {
      const u = argv[++i];
      if (u !== 'root' && u !== '#0' && u !== '0') {
        ctx.stderr.write(`skbpath: sudo: only root is simulated (-${a[1]} ${u ?? ''})\n`);
        return 1;
      }
      continue;
    }
    if (a === '-i' || a === '-s') {
      const rest = argv.slice(i + 1);
      const st = yield* runChild(ctx, rest.length ? ['bash', '-c', rest.join(' ')] : ['bash'], { env: vars });
      return st ?? 1;
    }
    if (a === '-V' || a === '--version') {
      ctx.stdout.write('Sudo version 1.9.13p3\n');
      return 0;
    }
    ctx.stderr.write(`sudo: invalid option -- '${a.replace(/^-+/, '')[0]}'\n`);
    ctx.stderr.write(
      'usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\nusage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R position] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R position] [-T timeout] [-u user] file ...\n',
    );
    return 1;
  }
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) break;
    vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const rest = argv.slice(i);
  if (rest.length === 0) {
    ctx.stderr.write(
      'usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\nusage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R position] [-T timeout] [-u user] [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R position] [-T timeout] [-u user] file ...\n',
    );
    return 1;
  }
  const st = yield* runChild(ctx, rest, { env: vars });
  if (st === null) {
    if (isUnsimulatedProgram(progName(rest[0] as string))) {
      ctx.stderr.write(unsimulatedMessage(progName(rest[0] as string)));
      return 127;
    }
    ctx.stderr.write(`sudo: ${rest[0]}: command not found\n`);
    return 1;
  }
  return st;
};

export function registerMisc(commands: Map<string, Command>): void {
  const all: [string, Command][] = [
    ['date', date],
    ['uniq', uniq],
    ['paste', paste],
    ['od', od],
    ['hexdump', hexdump],
    ['xxd', xxd],
    ['xargs', xargs],
    ['env', env],
    ['id', id],
    ['hostname', hostname],
    ['uname', uname],
    ['which', which],
    ['yes', yes],
    ['sudo', sudo],
  ];
  for (const [n, c] of all) commands.set(n, c);
}
