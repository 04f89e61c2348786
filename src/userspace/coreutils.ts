// The few coreutils (and grep) scenario scripts pipe through, with GNU's
// messages and exit statuses in the C locale. Input streams chunk by chunk so a
// live pipe (tcpdump | grep) prints as it goes, and head stops reading early.
import { WAKE_TIMEOUT, WaitQueue, waitOn, sleep as sleepWait, yieldCpu, type Proc, type Wait } from '../sim/sched.ts';
import { Getopt, type LongOption } from './getopt.ts';
import { type Regex, RegexSyntaxError, regcomp } from './libc/regex.ts';
import { FILE_ERRNO_TEXT, fileChunks, Utf8Stream, utf8Decode, utf8Encode } from './fileio.ts';
import type { Command, InStream, ProcCtx } from './proc.ts';

type Gen<T> = Generator<Wait, T, unknown>;

const ERRNO = FILE_ERRNO_TEXT;

// ---- option parsing: glibc's getopt_long (../getopt.ts)

interface LongOpt {
  key: string;
  arg: 'none' | 'required' | 'optional';
}

type Parsed = { opts: [string, string][]; operands: string[] } | { err: string };

/**
 * shorts: letters, a ':' after one that takes an argument. A short option
 * stands for itself in `opts`; long ones for their key. Stops at the first
 * error, as the coreutils do. `permute: false` is a leading '+';
 * `numbersAreOperands` is seq's rule: a negative number ends the options.
 */
function getopt(
  argv: readonly string[],
  shorts: string,
  longs: Record<string, LongOpt>,
  cfg: { permute?: boolean; numbersAreOperands?: boolean } = {},
): Parsed {
  const longopts: LongOption[] = Object.entries(longs).map(([name, o]) => ({
    name,
    has_arg: o.arg === 'none' ? 0 : o.arg === 'required' ? 1 : 2,
    val: o.key,
  }));
  let message = '';
  const prefix = `${argv[0] ?? ''}: `;
  const g = new Getopt(argv, `${cfg.permute === false ? '+' : ''}${shorts}`, longopts, (m) => {
    message ||= m.startsWith(prefix) ? m.slice(prefix.length, -1) : m.slice(0, -1);
  });
  const opts: [string, string][] = [];
  for (;;) {
    if (cfg.numbersAreOperands && g.atArgStart && /^-[\d.]/.test(argv[g.optind] ?? '')) break;
    const o = g.next();
    if (o === -1) break;
    if (o === '?' || o === ':') return { err: message };
    opts.push([String(o), g.optarg ?? '']);
  }
  return { opts, operands: g.operands() };
}

// eslint-disable-next-line require-yield
function* exit(status: number): Proc {
  return status;
}

function usageError(ctx: ProcCtx, prog: string, msg: string, status = 1): Proc {
  ctx.stderr.write(`${prog}: ${msg}\nTry '${prog} --help' for more information.\n`);
  return exit(status);
}

// ---- input

/** A file's contents, or the message for it. */
function readFile(ctx: ProcCtx, path: string): string | { msg: string } {
  if (path === '/dev/null') return '';
  const r = ctx.world.vfs.readFile(path, ctx.net);
  if (typeof r === 'string') return utf8Decode(r);
  return { msg: ERRNO[r.errno] };
}

/** Reads an operand chunk by chunk ('-' is stdin); false if it could not be opened (message printed). */
function* eachChunk(ctx: ProcCtx, prog: string, operand: string, fn: (chunk: string) => boolean | void): Gen<boolean> {
  if (operand === '-') {
    for (;;) {
      const s = yield* ctx.stdin.read();
      if (s === null) return true;
      if (fn(s) === false) return true;
    }
  }
  if (operand === '/dev/null') return true;
  // a file streams 64 KiB at a time (never whole in memory), the CPU given up between pieces
  const r = fileChunks(ctx.world.vfs, operand, ctx.net);
  if (!(Symbol.iterator in r)) {
    ctx.stderr.write(`${prog}: ${operand}: ${ERRNO[r.errno]}\n`);
    return false;
  }
  const text = new Utf8Stream();
  let first = true;
  for (const piece of r) {
    if (!first) yield yieldCpu;
    first = false;
    const s = text.push(piece);
    if (s !== '' && fn(s) === false) return true;
  }
  const s = text.end();
  if (s !== '') fn(s);
  return true;
}

function* readAllOf(ctx: ProcCtx, prog: string, operand: string): Gen<string | null> {
  let out = '';
  const ok = yield* eachChunk(ctx, prog, operand, (s) => {
    out += s;
  });
  return ok ? out : null;
}

/** Splits text into lines, keeping the newline on each; the last may lack one. */
function lines(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const j = text.indexOf('\n', i);
    if (j < 0) {
      out.push(text.slice(i));
      break;
    }
    out.push(text.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

/** Feeds whole lines to fn as chunks arrive; the unterminated tail comes last. */
class LineSplitter {
  private rest = '';

  constructor(private readonly fn: (line: string) => boolean | void) {}

  push(s: string): boolean {
    this.rest += s;
    let i = 0;
    for (;;) {
      const j = this.rest.indexOf('\n', i);
      if (j < 0) break;
      const line = this.rest.slice(i, j + 1);
      i = j + 1;
      if (this.fn(line) === false) {
        this.rest = this.rest.slice(i);
        return false;
      }
    }
    this.rest = this.rest.slice(i);
    return true;
  }

  end(): void {
    if (this.rest !== '') this.fn(this.rest);
    this.rest = '';
  }
}

// ---- sleep

/** A GNU time interval: NUMBER[smhd], as strtod reads NUMBER; null if invalid. */
export function parseInterval(s: string): number | null {
  const m =
    /^\s*([+]?(?:inf(?:inity)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))([smhd]?)$/i.exec(
      s,
    );
  if (!m) return null;
  const num = (m[1] as string).replace(/^\+/, '');
  let v: number;
  if (/^inf/i.test(num)) v = Infinity;
  else if (/^0x/i.test(num)) {
    const hm = /^0x([0-9a-f]*)\.?([0-9a-f]*)(?:p([+-]?\d+))?$/i.exec(num) as RegExpExecArray;
    const int = hm[1] ? parseInt(hm[1], 16) : 0;
    const frac = (hm[2] ?? '').split('').reduce((acc, d, k) => acc + parseInt(d, 16) / 16 ** (k + 1), 0);
    v = (int + frac) * 2 ** Number(hm[3] ?? 0);
  } else v = Number(num);
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return v * mult;
}

/** Sleeps for a number of seconds of virtual time (forever for inf). */
export function* sleepSeconds(sec: number): Gen<void> {
  if (!Number.isFinite(sec) || sec * 1e9 > Number.MAX_SAFE_INTEGER) {
    yield waitOn(new WaitQueue(0, 'nothing (sleep infinity)'));
    return;
  }
  const ns = Math.round(sec * 1e9);
  if (ns > 0) yield sleepWait(ns);
}

export const sleepCommand: Command = function* (ctx) {
  const p = getopt(ctx.argv, '', { help: { key: 'help', arg: 'none' }, version: { key: 'version', arg: 'none' } });
  if ('err' in p) return yield* usageError(ctx, 'sleep', p.err);
  if (p.operands.length === 0) return yield* usageError(ctx, 'sleep', 'missing operand');
  let total = 0;
  let bad = false;
  for (const a of p.operands) {
    const v = parseInterval(a);
    if (v === null) {
      ctx.stderr.write(`sleep: invalid time interval '${a}'\n`);
      bad = true;
    } else total += v;
  }
  if (bad) {
    ctx.stderr.write("Try 'sleep --help' for more information.\n");
    return 1;
  }
  yield* sleepSeconds(total);
  return 0;
};

// ---- cat

const cat: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'AbeEnstTuv', {
    'show-all': { key: 'A', arg: 'none' },
    'number-nonblank': { key: 'b', arg: 'none' },
    'show-ends': { key: 'E', arg: 'none' },
    number: { key: 'n', arg: 'none' },
    'squeeze-blank': { key: 's', arg: 'none' },
    'show-tabs': { key: 'T', arg: 'none' },
    'show-nonprinting': { key: 'v', arg: 'none' },
  });
  if ('err' in p) return yield* usageError(ctx, 'cat', p.err);
  const f = new Set(p.opts.map(([k]) => k));
  if (f.has('A')) ['v', 'E', 'T'].forEach((x) => f.add(x));
  if (f.has('e')) ['v', 'E'].forEach((x) => f.add(x));
  if (f.has('t')) ['v', 'T'].forEach((x) => f.add(x));
  const plain = !['b', 'E', 'n', 's', 'T', 'v'].some((x) => f.has(x));
  let lineNo = 0;
  let atStart = true;
  let blankRun = 0;
  const decorate = (line: string): string => {
    const nl = line.endsWith('\n');
    let body = nl ? line.slice(0, -1) : line;
    const blank = body === '' && nl;
    if (f.has('s')) {
      if (blank && atStart) {
        blankRun++;
        if (blankRun > 1) return '';
      } else if (atStart) blankRun = 0;
    }
    if (f.has('v')) body = showNonprinting(body, f.has('T'));
    else if (f.has('T')) body = body.replace(/\t/g, '^I');
    let prefix = '';
    if (atStart && (f.has('b') ? !blank : f.has('n'))) prefix = String(++lineNo).padStart(6) + '\t';
    atStart = nl;
    return prefix + body + (nl ? (f.has('E') ? '$\n' : '\n') : '');
  };
  const out = ctx.stdout;
  const splitter = new LineSplitter((l) => {
    out.write(decorate(l));
  });
  let status = 0;
  for (const op of p.operands.length ? p.operands : ['-']) {
    const st = statOperand(ctx, op);
    if (st === 'dir') {
      ctx.stderr.write(`cat: ${op}: Is a directory\n`);
      status = 1;
      continue;
    }
    const ok = yield* eachChunk(ctx, 'cat', op, (s) => {
      if (plain) out.write(s);
      else splitter.push(s);
    });
    if (!ok) status = 1;
  }
  if (!plain) {
    // a last line without newline is printed as is, and numbering goes on from it
    splitter.end();
  }
  return status;
};

function statOperand(ctx: ProcCtx, op: string): 'dir' | null {
  if (op === '-' || op === '/dev/null') return null;
  const r = fileChunks(ctx.world.vfs, op, ctx.net);
  return !(Symbol.iterator in r) && r.errno === 'EISDIR' ? 'dir' : null;
}

function showNonprinting(s: string, tabs: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 9 && !tabs) out += ch;
    else if (c < 32) out += '^' + String.fromCharCode(c + 64);
    else if (c === 127) out += '^?';
    else if (c >= 128 && c < 256) {
      const d = c - 128;
      out += 'M-' + (d < 32 ? '^' + String.fromCharCode(d + 64) : d === 127 ? '^?' : String.fromCharCode(d));
    } else out += ch;
  }
  return out;
}

// ---- head and tail

/** GNU's NUM[bkMG...] for -n and -c; null if invalid. */
function parseCount(s: string): { n: number; neg: boolean; plus: boolean } | null {
  const m = /^([+-]?)(\d+)(b|kB|k|K|KiB|MB|M|MiB|GB|G|GiB)?$/.exec(s.trim());
  if (!m) return null;
  const mult: Record<string, number> = {
    b: 512,
    kB: 1000,
    k: 1024,
    K: 1024,
    KiB: 1024,
    MB: 1e6,
    M: 1048576,
    MiB: 1048576,
    GB: 1e9,
    G: 1073741824,
    GiB: 1073741824,
  };
  return { n: Number(m[2]) * (m[3] ? (mult[m[3]] as number) : 1), neg: m[1] === '-', plus: m[1] === '+' };
}

/** head and tail take -NUM (and tail +NUM) as the first argument. */
function legacyCount(argv: readonly string[], prog: 'head' | 'tail'): readonly string[] {
  const a = argv[1];
  if (a !== undefined && /^-\d+[bcklmn]?$/.test(a)) {
    const m = /^-(\d+)([bcklmn]?)$/.exec(a) as RegExpExecArray;
    const unit = m[2] === 'c' ? '-c' : '-n';
    return [argv[0] as string, unit, m[1] as string, ...argv.slice(2)];
  }
  if (prog === 'tail' && a !== undefined && /^\+\d+$/.test(a)) return [argv[0] as string, '-n', a, ...argv.slice(2)];
  return argv;
}

/** What head and tail share: -c/-n counts (the last one wins), -q/-v headers, the operands. */
function* countOptions(
  ctx: Parameters<Command>[0],
  prog: 'head' | 'tail',
  optstring: string,
  extra: Parameters<typeof getopt>[2],
): Generator<Wait, { mode: 'n' | 'c'; count: { n: number; neg: boolean; plus: boolean }; show: boolean; ops: string[] } | number, unknown> {
  const p = getopt(legacyCount(ctx.argv, prog), optstring, {
    bytes: { key: 'c', arg: 'required' },
    lines: { key: 'n', arg: 'required' },
    quiet: { key: 'q', arg: 'none' },
    silent: { key: 'q', arg: 'none' },
    verbose: { key: 'v', arg: 'none' },
    ...extra,
  });
  if ('err' in p) return yield* usageError(ctx, prog, p.err);
  let mode: 'n' | 'c' = 'n';
  let count = { n: 10, neg: false, plus: false };
  let headers: boolean | null = null;
  for (const [k, v] of p.opts) {
    if (k === 'n' || k === 'c') {
      const c = parseCount(v);
      if (!c) {
        ctx.stderr.write(`${prog}: invalid number of ${k === 'n' ? 'lines' : 'bytes'}: '${v}'\n`);
        return 1;
      }
      mode = k;
      count = c;
    } else if (k === 'q') headers = false;
    else if (k === 'v') headers = true;
  }
  const ops = p.operands.length ? [...p.operands] : ['-'];
  return { mode, count, show: headers ?? ops.length > 1, ops };
}

const head: Command = function* (ctx) {
  const o = yield* countOptions(ctx, 'head', 'c:n:qvz', {});
  if (typeof o === 'number') return o;
  const { mode, count, show, ops } = o;
  let status = 0;
  let first = true;
  for (const op of ops) {
    if (statOperand(ctx, op) === 'dir') {
      ctx.stderr.write(`head: error reading '${op}': Is a directory\n`);
      status = 1;
      continue;
    }
    const r = op === '-' ? null : readFile(ctx, op);
    if (r !== null && typeof r !== 'string') {
      ctx.stderr.write(`head: cannot open '${op}' for reading: ${r.msg}\n`);
      status = 1;
      continue;
    }
    if (show) {
      ctx.stdout.write(`${first ? '' : '\n'}==> ${op === '-' ? 'standard input' : op} <==\n`);
    }
    first = false;
    if (count.neg) {
      const text = r ?? (yield* readAllOf(ctx, 'head', '-')) ?? '';
      if (mode === 'c') ctx.stdout.write(text.slice(0, Math.max(0, text.length - count.n)));
      else {
        const ls = lines(text);
        ctx.stdout.write(ls.slice(0, Math.max(0, ls.length - count.n)).join(''));
      }
      continue;
    }
    let left = count.n;
    if (left === 0) continue;
    const take = (s: string): boolean => {
      if (mode === 'c') {
        ctx.stdout.write(s.slice(0, left));
        left -= Math.min(left, s.length);
        return left > 0;
      }
      let i = 0;
      while (left > 0) {
        const j = s.indexOf('\n', i);
        if (j < 0) {
          i = s.length;
          break;
        }
        i = j + 1;
        left--;
      }
      ctx.stdout.write(s.slice(0, i));
      return left > 0;
    };
    if (r !== null) take(r);
    else {
      for (;;) {
        const s = yield* ctx.stdin.read();
        if (s === null || !take(s)) break;
      }
    }
  }
  return status;
};

const tail: Command = function* (ctx) {
  const o = yield* countOptions(ctx, 'tail', 'c:n:qvzfF', { follow: { key: 'f', arg: 'optional' } });
  if (typeof o === 'number') return o;
  const { mode, count, show, ops } = o;
  let status = 0;
  let first = true;
  for (const op of ops) {
    const r = op === '-' ? yield* readAllOf(ctx, 'tail', '-') : readFile(ctx, op);
    if (r === null || typeof r !== 'string') {
      ctx.stderr.write(`tail: cannot open '${op}' for reading: ${r === null ? '' : r.msg}\n`);
      status = 1;
      continue;
    }
    if (show) ctx.stdout.write(`${first ? '' : '\n'}==> ${op === '-' ? 'standard input' : op} <==\n`);
    first = false;
    if (mode === 'c') {
      ctx.stdout.write(count.plus ? r.slice(Math.max(0, count.n - 1)) : count.n === 0 ? '' : r.slice(-count.n));
    } else {
      const ls = lines(r);
      ctx.stdout.write((count.plus ? ls.slice(Math.max(0, count.n - 1)) : count.n === 0 ? [] : ls.slice(-count.n)).join(''));
    }
  }
  return status;
};

// ---- tr

const TR_CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  cntrl: (c) => c < 32 || c === 127,
  print: (c) => c >= 32 && c <= 126,
  graph: (c) => c >= 33 && c <= 126,
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

type TrItem = { t: 'char'; c: number } | { t: 'class'; name: string } | { t: 'repeat'; c: number; n: number | null };

function trUnescape(s: string, i: number): { c: number; next: number } {
  const ch = s[i] as string;
  if (ch !== '\\' || i + 1 >= s.length) return { c: ch.charCodeAt(0), next: i + 1 };
  const n = s[i + 1] as string;
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
  if (simple[n] !== undefined) return { c: simple[n] as number, next: i + 2 };
  const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
  if (m) return { c: parseInt(m[0], 8) & 0xff, next: i + 1 + m[0].length };
  return { c: n.charCodeAt(0), next: i + 2 };
}

function trParse(s: string): TrItem[] | string {
  const items: TrItem[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('[:', i)) {
      const e = s.indexOf(':]', i + 2);
      if (e > 0) {
        const name = s.slice(i + 2, e);
        if (!TR_CLASSES[name]) return `invalid character class '${name}'`;
        items.push({ t: 'class', name });
        i = e + 2;
        continue;
      }
    }
    if (s.startsWith('[=', i) && s.slice(i + 3, i + 5) === '=]') {
      items.push({ t: 'char', c: (s[i + 2] as string).charCodeAt(0) });
      i += 5;
      continue;
    }
    if (s[i] === '[' && i + 2 < s.length) {
      const u = trUnescape(s, i + 1);
      if (s[u.next] === '*') {
        const e = s.indexOf(']', u.next + 1);
        if (e > 0 && /^\d*$/.test(s.slice(u.next + 1, e))) {
          const num = s.slice(u.next + 1, e);
          items.push({ t: 'repeat', c: u.c, n: num === '' ? null : Number(num[0] === '0' ? parseInt(num, 8) : num) || null });
          i = e + 1;
          continue;
        }
      }
    }
    const a = trUnescape(s, i);
    if (s[a.next] === '-' && a.next + 1 < s.length) {
      const b = trUnescape(s, a.next + 1);
      if (b.c < a.c) {
        return `range-endpoints of '${String.fromCharCode(a.c)}-${String.fromCharCode(b.c)}' are in reverse collating sequence order`;
      }
      for (let c = a.c; c <= b.c; c++) items.push({ t: 'char', c });
      i = b.next;
      continue;
    }
    items.push({ t: 'char', c: a.c });
    i = a.next;
  }
  return items;
}

/** A set as a list of byte values; a [c*] repeat fills up to `fill` entries. */
function trExpand(items: TrItem[], fill: number | null): number[] {
  const out: number[] = [];
  const fixed = items.reduce((n, it) => n + (it.t === 'repeat' ? (it.n ?? 0) : it.t === 'class' ? 0 : 1), 0);
  for (const it of items) {
    if (it.t === 'char') out.push(it.c);
    else if (it.t === 'class') {
      for (let c = 0; c < 256; c++) if ((TR_CLASSES[it.name] as (c: number) => boolean)(c)) out.push(c);
    } else {
      const n = it.n ?? (fill === null ? 0 : Math.max(0, fill - fixed));
      for (let k = 0; k < n; k++) out.push(it.c);
    }
  }
  return out;
}

const tr: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'cCdst', {
    complement: { key: 'c', arg: 'none' },
    delete: { key: 'd', arg: 'none' },
    'squeeze-repeats': { key: 's', arg: 'none' },
    'truncate-set1': { key: 't', arg: 'none' },
  });
  if ('err' in p) return yield* usageError(ctx, 'tr', p.err);
  const f = new Set(p.opts.map(([k]) => (k === 'C' ? 'c' : k)));
  const ops = p.operands;
  const del = f.has('d');
  const squeeze = f.has('s');
  const need = del && squeeze ? 2 : del || squeeze ? 1 : 2;
  if (ops.length === 0) return yield* usageError(ctx, 'tr', 'missing operand');
  if (ops.length < need) {
    ctx.stderr.write(
      `tr: missing operand after '${ops[ops.length - 1]}'\n` +
        (del ? 'Two strings must be given when both deleting and squeezing repeats.\n' : 'Two strings must be given when translating.\n') +
        "Try 'tr --help' for more information.\n",
    );
    return 1;
  }
  if (ops.length > need && !(need === 1 && squeeze && !del && ops.length === 2)) {
    ctx.stderr.write(
      `tr: extra operand '${ops[need]}'\n` +
        (del && !squeeze ? 'Only one string may be given when deleting without squeezing repeats.\n' : '') +
        "Try 'tr --help' for more information.\n",
    );
    return 1;
  }
  const p1 = trParse(ops[0] as string);
  if (typeof p1 === 'string') {
    ctx.stderr.write(`tr: ${p1}\n`);
    return 1;
  }
  if (p1.some((it) => it.t === 'repeat')) {
    ctx.stderr.write('tr: the [c*] repeat construct may not appear in string1\n');
    return 1;
  }
  let set1 = trExpand(p1, null);
  if (f.has('c')) {
    const s = new Set(set1);
    set1 = [];
    for (let c = 0; c < 256; c++) if (!s.has(c)) set1.push(c);
  }
  let set2: number[] | null = null;
  if (ops.length > 1) {
    const p2 = trParse(ops[1] as string);
    if (typeof p2 === 'string') {
      ctx.stderr.write(`tr: ${p2}\n`);
      return 1;
    }
    set2 = trExpand(p2, set1.length);
    if (!del) {
      if (set2.length === 0 && set1.length > 0) {
        ctx.stderr.write('tr: when not truncating set1, string2 must be non-empty\n');
        return 1;
      }
      if (f.has('t')) set1 = set1.slice(0, set2.length);
      while (set2.length < set1.length) set2.push(set2[set2.length - 1] as number);
    }
  }
  const inSet1 = new Set(set1);
  const map = new Map<number, number>();
  if (!del && set2) set1.forEach((c, k) => map.set(c, set2[k] as number));
  const squeezeSet = new Set(del || !set2 ? (squeeze ? (del ? (set2 ?? []) : set1) : []) : squeeze ? set2 : []);
  let last = -1;
  for (;;) {
    const s = yield* ctx.stdin.read();
    if (s === null) break;
    let out = '';
    for (const ch of s) {
      let c = ch.charCodeAt(0);
      if (c > 255) {
        out += ch;
        last = -1;
        continue;
      }
      if (del && inSet1.has(c)) continue;
      if (map.has(c)) c = map.get(c) as number;
      if (squeezeSet.has(c) && c === last) continue;
      last = c;
      out += String.fromCharCode(c);
    }
    ctx.stdout.write(out);
  }
  return 0;
};

// ---- wc

const wc: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'clLmw', {
    bytes: { key: 'c', arg: 'none' },
    chars: { key: 'm', arg: 'none' },
    lines: { key: 'l', arg: 'none' },
    words: { key: 'w', arg: 'none' },
    'max-line-length': { key: 'L', arg: 'none' },
  });
  if ('err' in p) return yield* usageError(ctx, 'wc', p.err);
  const f = new Set(p.opts.map(([k]) => k));
  if (f.size === 0) ['l', 'w', 'c'].forEach((x) => f.add(x));
  const order = (['l', 'w', 'm', 'c', 'L'] as const).filter((x) => f.has(x));
  const ops = p.operands.length ? p.operands : [];
  const inputs = ops.length ? ops : ['-'];
  type Counts = { l: number; w: number; m: number; c: number; L: number };
  type Key = keyof Counts;
  const results: { name: string | null; c: Counts | null }[] = [];
  let regularTotal = 0;
  let minWidth = 1;
  let status = 0;
  for (const op of inputs) {
    const c: Counts = { l: 0, w: 0, m: 0, c: 0, L: 0 };
    let inWord = false;
    let col = 0;
    const count = (s: string): void => {
      if (!f.has('w') && !f.has('L') && /^[\x00-\x7f]*$/.test(s)) {
        // lines, bytes, characters of ASCII text: no need to look at each character
        c.c += s.length;
        c.m += s.length;
        for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) c.l++;
        const nl = s.lastIndexOf('\n');
        col = nl < 0 ? col + s.length : s.length - nl - 1;
        return;
      }
      for (const ch of s) {
        const code = ch.charCodeAt(0);
        // UTF-8 bytes; U+DC80-U+DCFF stands for a byte that was not UTF-8
        c.c += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xdc80 && code <= 0xdcff ? 1 : code >= 0xd800 && code < 0xe000 ? 2 : 3;
        c.m++;
        if (ch === '\n') {
          c.l++;
          c.L = Math.max(c.L, col);
          col = 0;
        } else if (ch === '\t') col += 8 - (col % 8);
        else col++;
        const space = ch === ' ' || (code >= 9 && code <= 13);
        if (space) inWord = false;
        else if (!inWord) {
          inWord = true;
          c.w++;
        }
      }
    };
    if (op !== '-' && statOperand(ctx, op) === 'dir') {
      ctx.stderr.write(`wc: ${op}: Is a directory\n`);
      results.push({ name: op, c: { l: 0, w: 0, m: 0, c: 0, L: 0 } });
      minWidth = 7;
      status = 1;
      continue;
    }
    const ok = yield* eachChunk(ctx, 'wc', op, (s) => count(s));
    c.L = Math.max(c.L, col);
    if (!ok) {
      status = 1;
      results.push({ name: op, c: null });
      continue;
    }
    if (op === '-') {
      const size = regularSize(ctx.stdin);
      if (size === null) minWidth = 7;
      else regularTotal += size;
    } else regularTotal += c.c;
    results.push({ name: ops.length ? op : null, c });
  }
  let width = 1;
  if (!(inputs.length === 1 && order.length === 1)) {
    for (let t = regularTotal; t >= 10; t = Math.floor(t / 10)) width++;
    width = Math.max(width, minWidth);
  }
  const fmt = (c: Counts, name: string | null): string =>
    order.map((k) => String(c[k]).padStart(width)).join(' ') + (name === null ? '' : ' ' + name) + '\n';
  const total: Counts = { l: 0, w: 0, m: 0, c: 0, L: 0 };
  for (const r of results) {
    if (!r.c) continue;
    ctx.stdout.write(fmt(r.c, r.name));
    for (const k of order as readonly Key[]) total[k] = k === 'L' ? Math.max(total[k], r.c[k]) : total[k] + r.c[k];
  }
  if (inputs.length > 1) ctx.stdout.write(fmt(total, 'total'));
  return status;
};

/** The size of a regular file behind a redirected stdin, else null (a pipe). */
function regularSize(s: InStream): number | null {
  const size = (s as { regularSize?: number | null }).regularSize;
  return typeof size === 'number' ? size : null;
}

// ---- grep

/** A fixed string as a BRE that matches it. */
const escapeBre = (s: string): string => s.replace(/[\\^$.*[]/g, '\\$&');

const grep: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'A:B:C:cEe:Ff:GHhiLlm:noqsvwxyz', {
    'extended-regexp': { key: 'E', arg: 'none' },
    'fixed-strings': { key: 'F', arg: 'none' },
    'basic-regexp': { key: 'G', arg: 'none' },
    regexp: { key: 'e', arg: 'required' },
    file: { key: 'f', arg: 'required' },
    'ignore-case': { key: 'i', arg: 'none' },
    'no-ignore-case': { key: 'no-i', arg: 'none' },
    'invert-match': { key: 'v', arg: 'none' },
    'word-regexp': { key: 'w', arg: 'none' },
    'line-regexp': { key: 'x', arg: 'none' },
    count: { key: 'c', arg: 'none' },
    quiet: { key: 'q', arg: 'none' },
    silent: { key: 'q', arg: 'none' },
    'only-matching': { key: 'o', arg: 'none' },
    'line-number': { key: 'n', arg: 'none' },
    'with-filename': { key: 'H', arg: 'none' },
    'no-filename': { key: 'h', arg: 'none' },
    'files-with-matches': { key: 'l', arg: 'none' },
    'files-without-match': { key: 'L', arg: 'none' },
    'max-count': { key: 'm', arg: 'required' },
    'no-messages': { key: 's', arg: 'none' },
    'after-context': { key: 'A', arg: 'required' },
    'before-context': { key: 'B', arg: 'required' },
    context: { key: 'C', arg: 'required' },
    'line-buffered': { key: 'line-buffered', arg: 'none' },
  });
  const usage = (msg: string | null): Proc => {
    ctx.stderr.write(
      (msg ? `grep: ${msg}\n` : '') + "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
    );
    return exit(2);
  };
  if ('err' in p) return yield* usage(p.err);
  let mode: 'G' | 'E' | 'F' = 'G';
  const f = new Set<string>();
  const patterns: string[] = [];
  let havePattern = false;
  let maxCount = Infinity;
  let after = 0;
  let before = 0;
  for (const [k, v] of p.opts) {
    if (k === 'E' || k === 'F' || k === 'G') mode = k;
    else if (k === 'e') {
      patterns.push(...v.split('\n'));
      havePattern = true;
    } else if (k === 'f') {
      const r = readFile(ctx, v);
      if (typeof r !== 'string') {
        ctx.stderr.write(`grep: ${v}: ${r.msg}\n`);
        return 2;
      }
      patterns.push(...lines(r).map((l) => l.replace(/\n$/, '')));
      havePattern = true;
    } else if (k === 'm') {
      if (!/^\d+$/.test(v)) {
        ctx.stderr.write(`grep: invalid max count\n`);
        return 2;
      }
      maxCount = Number(v);
    } else if (k === 'A' || k === 'B' || k === 'C') {
      if (!/^\d+$/.test(v)) {
        ctx.stderr.write(`grep: ${v}: invalid context length argument\n`);
        return 2;
      }
      if (k !== 'B') after = Number(v);
      if (k !== 'A') before = Number(v);
    } else if (k === 'y') f.add('i');
    else if (k === 'no-i') f.delete('i');
    else f.add(k);
  }
  const ops = [...p.operands];
  if (!havePattern) {
    const pat = ops.shift();
    if (pat === undefined) return yield* usage(null);
    patterns.push(...pat.split('\n'));
  }
  const icase = f.has('i');
  let re: Regex;
  try {
    re = regcomp(mode === 'F' ? patterns.map(escapeBre) : patterns, {
      extended: mode === 'E',
      icase,
      whole: f.has('x') ? 'line' : f.has('w') ? 'word' : undefined,
    });
  } catch (e) {
    if (e instanceof RegexSyntaxError) {
      ctx.stderr.write(`grep: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  for (const w of re.warnings) ctx.stderr.write(`grep: warning: ${w}\n`);
  const inputs = ops.length ? ops : ['-'];
  const withName = f.has('H') || (!f.has('h') && inputs.length > 1);
  const errOut = ctx.stderr;
  const invert = f.has('v');
  let anyMatch = false;
  let error = false;
  const quiet = f.has('q');
  for (const op of inputs) {
    const label = op === '-' ? '(standard input)' : op;
    if (op !== '-' && statOperand(ctx, op) === 'dir') {
      if (!f.has('s')) errOut.write(`grep: ${op}: Is a directory\n`);
      error = true;
      continue;
    }
    let lineNo = 0;
    let count = 0;
    let lastPrinted = 0;
    let afterLeft = 0;
    const beforeBuf: { no: number; text: string }[] = [];
    let stop = false;
    const emit = (no: number, text: string, sep: string): void => {
      if (lastPrinted && no > lastPrinted + 1 && (before || after)) ctx.stdout.write('--\n');
      ctx.stdout.write((withName ? label + sep : '') + (f.has('n') ? String(no) + sep : '') + text + '\n');
      lastPrinted = no;
    };
    const onLine = (raw: string): boolean => {
      if (stop) return false;
      const text = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
      lineNo++;
      const hit = re.test(text) !== invert;
      if (!hit) {
        if (afterLeft > 0 && !quiet && !f.has('c') && !f.has('l') && !f.has('L')) {
          emit(lineNo, text, '-');
          afterLeft--;
        } else if (before) {
          beforeBuf.push({ no: lineNo, text });
          if (beforeBuf.length > before) beforeBuf.shift();
        }
        return true;
      }
      anyMatch = true;
      count++;
      if (quiet || f.has('l') || f.has('L')) {
        stop = true;
        return false;
      }
      if (!f.has('c')) {
        for (const b of beforeBuf) emit(b.no, b.text, '-');
        beforeBuf.length = 0;
        if (f.has('o') && !invert) {
          for (let at = 0; at <= text.length; ) {
            const m = re.exec(text, at);
            if (m === null) break;
            const [ms, me] = m as [number, number];
            if (me === ms) {
              at = ms + 1;
              continue;
            }
            ctx.stdout.write((withName ? label + ':' : '') + (f.has('n') ? String(lineNo) + ':' : '') + text.slice(ms, me) + '\n');
            at = me;
          }
          lastPrinted = lineNo;
        } else if (!f.has('o')) emit(lineNo, text, ':');
        afterLeft = after;
      }
      if (count >= maxCount) {
        stop = true;
        return false;
      }
      return true;
    };
    const splitter = new LineSplitter(onLine);
    if (maxCount === 0) stop = true;
    // -s: no messages about files that cannot be read
    const rctx: ProcCtx = f.has('s') ? { ...ctx, stderr: { write: () => {} } } : ctx;
    const ok = stop ? true : yield* eachChunk(rctx, 'grep', op, (s) => splitter.push(s));
    if (!stop) splitter.end();
    if (!ok) {
      error = true;
      continue;
    }
    if (quiet && anyMatch) return 0;
    if (f.has('c')) ctx.stdout.write((withName ? label + ':' : '') + String(count) + '\n');
    if (f.has('l') && count > 0) ctx.stdout.write(label + '\n');
    if (f.has('L') && count === 0) ctx.stdout.write(label + '\n');
  }
  if (error && !(quiet && anyMatch)) return 2;
  return anyMatch ? 0 : 1;
};

// ---- seq

const seq: Command = function* (ctx) {
  const p = getopt(
    ctx.argv,
    'f:s:w',
    {
      format: { key: 'f', arg: 'required' },
      separator: { key: 's', arg: 'required' },
      'equal-width': { key: 'w', arg: 'none' },
    },
    { permute: false, numbersAreOperands: true },
  );
  if ('err' in p) return yield* usageError(ctx, 'seq', p.err);
  let sep = '\n';
  let width = false;
  let format: string | null = null;
  for (const [k, v] of p.opts) {
    if (k === 's') sep = v;
    else if (k === 'w') width = true;
    else format = v;
  }
  const ops = p.operands;
  if (ops.length === 0) return yield* usageError(ctx, 'seq', 'missing operand');
  if (ops.length > 3) return yield* usageError(ctx, 'seq', `extra operand '${ops[3]}'`);
  const nums: number[] = [];
  for (const a of ops) {
    const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(a) || /^\s*[+-]?(inf|infinity|nan)$/i.test(a);
    if (!m) return yield* usageError(ctx, 'seq', `invalid floating point argument: '${a}'`);
    nums.push(Number(a.trim()));
  }
  const [first, inc, last] =
    ops.length === 1
      ? [1, 1, nums[0] as number]
      : ops.length === 2
        ? [nums[0] as number, 1, nums[1] as number]
        : (nums as [number, number, number]);
  if (inc === 0) return yield* usageError(ctx, 'seq', `invalid Zero increment value: '${ops[1]}'`);
  const decimals = (s: string): number => {
    if (/[eE]/.test(s)) return -1;
    const d = s.indexOf('.');
    return d < 0 ? 0 : s.trim().length - d - 1;
  };
  const precArgs = ops.length === 1 ? [] : ops.length === 2 ? [ops[0] as string] : [ops[0] as string, ops[1] as string];
  const precs = precArgs.map(decimals);
  const prec = precs.includes(-1) ? -1 : Math.max(0, ...precs);
  const fmtNum = (v: number): string => {
    if (format !== null) return cFormat(format, v);
    if (prec === 0 && Number.isSafeInteger(v)) return String(v);
    if (prec === -1) return String(Number(v.toPrecision(6)));
    return v.toFixed(prec);
  };
  const n = Math.floor((last - first) / inc + 1e-10);
  if (!(n >= 0)) return 0;
  // -w: the widest number is at an end (the values are monotonic)
  const w = width && format === null ? Math.max(fmtNum(first).length, fmtNum(last).length, fmtNum(first + n * inc).length) : 0;
  const pad = (s: string): string => (!w ? s : s.startsWith('-') ? '-' + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0'));
  // written 64 KiB at a time, giving the reader the CPU in between, as a pipe
  // would make seq wait: the numbers never all sit in memory at once
  let buf = '';
  for (let k = 0; k <= n; k++) {
    buf += (k ? sep : '') + pad(fmtNum(first + k * inc));
    if (buf.length >= 65536) {
      ctx.stdout.write(buf);
      buf = '';
      yield yieldCpu;
    }
  }
  ctx.stdout.write(buf + '\n');
  return 0;
};

/** printf-style formatting of one floating value (seq -f). */
function cFormat(fmt: string, v: number): string {
  return fmt.replace(/%([-+ #0]*)(\d*)(?:\.(\d+))?([eEfgG%])/g, (_m, flags: string, w: string, p: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const prec = p === undefined ? 6 : Number(p);
    let s: string;
    if (conv === 'f') s = v.toFixed(prec);
    else if (conv === 'e' || conv === 'E') s = v.toExponential(prec).replace(/e([+-])(\d)$/, 'e$10$2');
    else {
      const P = prec === 0 ? 1 : prec;
      const X = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
      s = P > X && X >= -4 ? v.toFixed(Math.max(0, P - 1 - X)) : v.toExponential(P - 1).replace(/e([+-])(\d)$/, 'e$10$2');
      if (!flags.includes('#') && s.includes('.')) s = s.replace(/\.?0+(?=e|$)/, '');
    }
    if (conv === 'E' || conv === 'G') s = s.toUpperCase();
    const width = Number(w || 0);
    if (s.length < width) {
      if (flags.includes('-')) s = s.padEnd(width);
      else if (flags.includes('0'))
        s = (s.startsWith('-') ? '-' : '') + s.replace(/^-/, '').padStart(width - (s.startsWith('-') ? 1 : 0), '0');
      else s = s.padStart(width);
    }
    return s;
  });
}

// ---- timeout

const timeout: Command = function* (ctx) {
  const p = getopt(
    ctx.argv,
    'k:s:vf',
    {
      'kill-after': { key: 'k', arg: 'required' },
      signal: { key: 's', arg: 'required' },
      'preserve-status': { key: 'preserve-status', arg: 'none' },
      foreground: { key: 'foreground', arg: 'none' },
      verbose: { key: 'v', arg: 'none' },
    },
    { permute: false },
  );
  if ('err' in p) return yield* usageError(ctx, 'timeout', p.err, 125);
  let sig = 15;
  let preserve = false;
  let verbose = false;
  for (const [k, v] of p.opts) {
    if (k === 's') {
      const n = signalNumber(v);
      if (n === null) {
        ctx.stderr.write(`timeout: ${v}: invalid signal\nTry 'timeout --help' for more information.\n`);
        return 125;
      }
      sig = n;
    } else if (k === 'preserve-status') preserve = true;
    else if (k === 'v') verbose = true;
    else if (k === 'k' && parseInterval(v) === null) {
      return yield* usageError(ctx, 'timeout', `invalid time interval '${v}'`, 125);
    }
  }
  const [dur, ...cmd] = p.operands;
  if (dur === undefined || cmd.length === 0) {
    ctx.stderr.write("Try 'timeout --help' for more information.\n");
    return 125;
  }
  const secs = parseInterval(dur);
  if (secs === null) return yield* usageError(ctx, 'timeout', `invalid time interval '${dur}'`, 125);
  const proc = ctx.exec(cmd);
  if (!proc) {
    ctx.stderr.write(`timeout: failed to run command '${cmd[0]}': No such file or directory\n`);
    return 127;
  }
  const sched = ctx.world.sim.sched;
  const child = sched.spawn(cmd[0] as string, proc);
  const wq = new WaitQueue(0, 'its command');
  child.onExit.push(() => wq.wakeUp());
  const limited = secs > 0 && secs * 1e9 <= Number.MAX_SAFE_INTEGER;
  try {
    while (child.state !== 'exited') {
      const r = yield waitOn(wq, limited ? Math.round(secs * 1e9) : -1);
      if (r === WAKE_TIMEOUT && (child.state as string) !== 'exited') {
        if (verbose) ctx.stderr.write(`timeout: sending signal ${signalName(sig)} to command '${cmd[0]}'\n`);
        sched.kill(child, 128 + sig);
        // the signal goes to timeout's process group: SIGKILL takes timeout too
        if (sig === 9) return 137;
        return preserve ? 128 + sig : 124;
      }
    }
    return child.exitStatus;
  } finally {
    // timeout itself killed: its child goes with it
    if (child.state !== 'exited') sched.kill(child, 128 + sig);
  }
};

const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  CONT: 18,
  STOP: 19,
};

function signalNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  return SIGNALS[s.toUpperCase().replace(/^SIG/, '')] ?? null;
}

function signalName(n: number): string {
  return Object.entries(SIGNALS).find(([, v]) => v === n)?.[0] ?? String(n);
}

// ---- sort

const sort: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'bfk:nrst:u', {
    'ignore-leading-blanks': { key: 'b', arg: 'none' },
    'ignore-case': { key: 'f', arg: 'none' },
    key: { key: 'k', arg: 'required' },
    'numeric-sort': { key: 'n', arg: 'none' },
    reverse: { key: 'r', arg: 'none' },
    stable: { key: 's', arg: 'none' },
    'field-separator': { key: 't', arg: 'required' },
    unique: { key: 'u', arg: 'none' },
  });
  if ('err' in p) return yield* usageError(ctx, 'sort', p.err, 2);
  const f = new Set<string>();
  let sepChar: string | null = null;
  let keyField: { start: number; end: number | null; n: boolean } | null = null;
  for (const [k, v] of p.opts) {
    if (k === 't') {
      if (v.length !== 1) {
        ctx.stderr.write(`sort: multi-character tab '${v}'\n`);
        return 2;
      }
      sepChar = v;
    } else if (k === 'k') {
      const m = /^(\d+)(?:\.\d+)?([a-z]*)(?:,(\d+)(?:\.\d+)?([a-z]*))?$/.exec(v);
      if (!m || m[1] === '0') {
        ctx.stderr.write(`sort: invalid number at field start: invalid count at start of '${v}'\n`);
        return 2;
      }
      keyField = { start: Number(m[1]), end: m[3] ? Number(m[3]) : null, n: (m[2] ?? '').includes('n') || (m[4] ?? '').includes('n') };
    } else f.add(k);
  }
  let text = '';
  const status = 0;
  for (const op of p.operands.length ? p.operands : ['-']) {
    let r: string;
    if (op === '-') r = (yield* readAllOf(ctx, 'sort', '-')) ?? '';
    else {
      const fr = readFile(ctx, op);
      if (typeof fr !== 'string') {
        ctx.stderr.write(`sort: cannot read: ${op}: ${fr.msg}\n`);
        return 2;
      }
      r = fr;
    }
    text += r;
    if (r !== '' && !r.endsWith('\n')) text += '\n';
  }
  const ls = lines(text).map((l) => l.replace(/\n$/, ''));
  const keyOf = (l: string): string => {
    if (!keyField) return l;
    const fields = sepChar === null ? blankFields(l) : l.split(sepChar);
    const end = keyField.end ?? fields.length;
    return fields.slice(keyField.start - 1, end).join(sepChar ?? '');
  };
  const numeric = f.has('n') || (keyField?.n ?? false);
  const num = (s: string): number => {
    const m = /^\s*(-?\d*\.?\d+|-?\d+\.?)/.exec(s);
    return m ? Number(m[1]) : 0;
  };
  const byteCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const keyCmp = (a: string, b: string): number => {
    let ka = keyOf(a);
    let kb = keyOf(b);
    if (f.has('b')) {
      ka = ka.trimStart();
      kb = kb.trimStart();
    }
    if (numeric) return num(ka) - num(kb);
    if (f.has('f')) return byteCmp(ka.toUpperCase(), kb.toUpperCase());
    return byteCmp(ka, kb);
  };
  const rev = f.has('r') ? -1 : 1;
  const cmp = (a: string, b: string): number => {
    const c = keyCmp(a, b);
    if (c !== 0 || f.has('s') || f.has('u')) return rev * c;
    return rev * byteCmp(a, b);
  };
  const sorted = ls
    .map((l, i) => ({ l, i }))
    .sort((x, y) => cmp(x.l, y.l) || x.i - y.i)
    .map((x) => x.l);
  const out: string[] = [];
  for (const l of sorted) {
    if (f.has('u') && out.length && keyCmp(out[out.length - 1] as string, l) === 0) continue;
    out.push(l);
  }
  if (out.length) ctx.stdout.write(out.join('\n') + '\n');
  return status;
};

/** Fields as sort sees them without -t: each begins with its leading blanks. */
function blankFields(l: string): string[] {
  const out: string[] = [];
  const re = /\s*\S+/g;
  for (const m of l.matchAll(re)) out.push(m[0]);
  return out.length ? out : [l];
}

// ---- cut

function parseList(s: string): { ranges: [number, number][] } | { err: string } {
  const ranges: [number, number][] = [];
  for (const part of s.split(/[,\s]/)) {
    const m = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!m || (m[1] === '' && m[3] === '')) {
      return { err: m && m[2] === '-' ? 'invalid range with no endpoint: -' : `invalid field value '${part}'` };
    }
    const a = m[1] === '' ? 1 : Number(m[1]);
    const b = m[2] === '' ? a : m[3] === '' ? Infinity : Number(m[3]);
    if (a === 0 || b === 0) return { err: m[2] ? 'invalid range with no endpoint: -' : 'fields are numbered from 1' };
    if (b < a) return { err: 'invalid decreasing range' };
    ranges.push([a, b]);
  }
  return { ranges };
}

const cut: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'b:c:d:f:ns', {
    bytes: { key: 'b', arg: 'required' },
    characters: { key: 'c', arg: 'required' },
    delimiter: { key: 'd', arg: 'required' },
    fields: { key: 'f', arg: 'required' },
    'only-delimited': { key: 's', arg: 'none' },
    complement: { key: 'complement', arg: 'none' },
    'output-delimiter': { key: 'output-delimiter', arg: 'required' },
  });
  if ('err' in p) return yield* usageError(ctx, 'cut', p.err);
  let mode: 'b' | 'c' | 'f' | null = null;
  let list = '';
  let delim = '\t';
  let delimGiven = false;
  let only = false;
  let complement = false;
  let outDelim: string | null = null;
  for (const [k, v] of p.opts) {
    if (k === 'b' || k === 'c' || k === 'f') {
      if (mode !== null) return yield* usageError(ctx, 'cut', 'only one type of list may be specified');
      mode = k;
      list = v;
    } else if (k === 'd') {
      if ([...v].length > 1) return yield* usageError(ctx, 'cut', 'the delimiter must be a single character');
      delim = v === '' ? '\0' : v;
      delimGiven = true;
    } else if (k === 's') only = true;
    else if (k === 'complement') complement = true;
    else if (k === 'output-delimiter') outDelim = v;
  }
  if (mode === null) return yield* usageError(ctx, 'cut', 'you must specify a list of bytes, characters, or fields');
  if (delimGiven && mode !== 'f') {
    return yield* usageError(ctx, 'cut', 'an input delimiter may be specified only when operating on fields');
  }
  const pl = parseList(list);
  if ('err' in pl) return yield* usageError(ctx, 'cut', pl.err);
  const want = (n: number): boolean => pl.ranges.some(([a, b]) => n >= a && n <= b) !== complement;
  const od = outDelim ?? (mode === 'f' ? delim : '');
  const doLine = (raw: string): string => {
    const nl = raw.endsWith('\n');
    const l = nl ? raw.slice(0, -1) : raw;
    let res: string | null;
    if (mode === 'f') {
      if (!l.includes(delim)) res = only ? null : l;
      else
        res = l
          .split(delim)
          .filter((_, k) => want(k + 1))
          .join(od);
    } else {
      const chars = [...l];
      const picked: string[] = [];
      let prevWanted = false;
      chars.forEach((c, k) => {
        const w = want(k + 1);
        if (w && outDelim !== null && picked.length && !prevWanted) picked.push(outDelim);
        if (w) picked.push(c);
        prevWanted = w;
      });
      res = picked.join('');
    }
    return res === null ? '' : res + '\n';
  };
  let status = 0;
  for (const op of p.operands.length ? p.operands : ['-']) {
    const splitter = new LineSplitter((l) => {
      ctx.stdout.write(doLine(l));
    });
    const ok = yield* eachChunk(ctx, 'cut', op, (s) => splitter.push(s));
    splitter.end();
    if (!ok) status = 1;
  }
  return status;
};

// ---- tee

const tee: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'aip', {
    append: { key: 'a', arg: 'none' },
    'ignore-interrupts': { key: 'i', arg: 'none' },
  });
  if ('err' in p) return yield* usageError(ctx, 'tee', p.err);
  const append = p.opts.some(([k]) => k === 'a');
  const vfs = ctx.world.vfs;
  const files: string[] = [];
  let status = 0;
  for (const op of p.operands) {
    if (op === '-') {
      files.push('-');
      continue;
    }
    if (op === '/dev/null') continue;
    const r = vfs.writeFile(op, '', append, ctx.net);
    if (r) {
      ctx.stderr.write(`tee: ${op}: ${ERRNO[r.errno]}\n`);
      status = 1;
    } else files.push(op);
  }
  for (;;) {
    const s = yield* ctx.stdin.read();
    if (s === null) break;
    ctx.stdout.write(s);
    for (let i = 0; i < files.length; i++) {
      const fl = files[i] as string;
      if (fl === '-') {
        ctx.stdout.write(s);
        continue;
      }
      // a sysfs attribute may refuse the data: tee reports it and stops writing there
      const e = vfs.writeFile(fl, utf8Encode(s), true, ctx.net);
      if (e) {
        ctx.stderr.write(`tee: ${fl}: ${ERRNO[e.errno]}\n`);
        status = 1;
        files.splice(i--, 1);
      }
    }
  }
  return status;
};

// ---- basename, dirname

function baseName(s: string): string {
  if (s === '') return '';
  const t = s.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

const basename: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'as:z', {
    multiple: { key: 'a', arg: 'none' },
    suffix: { key: 's', arg: 'required' },
    zero: { key: 'z', arg: 'none' },
  });
  if ('err' in p) return yield* usageError(ctx, 'basename', p.err);
  let multiple = false;
  let suffix: string | null = null;
  let nl = '\n';
  for (const [k, v] of p.opts) {
    if (k === 'a') multiple = true;
    else if (k === 's') {
      suffix = v;
      multiple = true;
    } else nl = '\0';
  }
  const ops = p.operands;
  if (ops.length === 0) return yield* usageError(ctx, 'basename', 'missing operand');
  let names = ops;
  if (!multiple) {
    if (ops.length > 3 || ops.length === 3) return yield* usageError(ctx, 'basename', `extra operand '${ops[2]}'`);
    names = [ops[0] as string];
    suffix = ops[1] ?? null;
  }
  for (const n of names) {
    let b = baseName(n);
    if (suffix && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
    ctx.stdout.write(b + nl);
  }
  return 0;
};

const dirname: Command = function* (ctx) {
  const p = getopt(ctx.argv, 'z', { zero: { key: 'z', arg: 'none' } });
  if ('err' in p) return yield* usageError(ctx, 'dirname', p.err);
  if (p.operands.length === 0) return yield* usageError(ctx, 'dirname', 'missing operand');
  for (const s of p.operands) {
    let t = s.replace(/\/+$/, '');
    if (t === '' && s.startsWith('/')) {
      ctx.stdout.write('/\n');
      continue;
    }
    const i = t.lastIndexOf('/');
    if (i < 0) t = '.';
    else {
      t = t.slice(0, i).replace(/\/+$/, '');
      if (t === '') t = '/';
    }
    ctx.stdout.write(t + '\n');
  }
  return 0;
};

/** Registers cat, head, tail, tr, wc, grep, seq, timeout, sort, cut, tee, basename, dirname and sleep. */
export function registerCoreutils(commands: Map<string, Command>): void {
  const all: [string, Command][] = [
    ['cat', cat],
    ['head', head],
    ['tail', tail],
    ['tr', tr],
    ['wc', wc],
    ['grep', grep],
    ['egrep', (ctx) => grep({ ...ctx, argv: ['grep', '-E', ...ctx.argv.slice(1)] })],
    ['fgrep', (ctx) => grep({ ...ctx, argv: ['grep', '-F', ...ctx.argv.slice(1)] })],
    ['seq', seq],
    ['timeout', timeout],
    ['sort', sort],
    ['cut', cut],
    ['tee', tee],
    ['basename', basename],
    ['dirname', dirname],
    ['sleep', sleepCommand],
  ];
  for (const [n, c] of all) commands.set(n, c);
}
