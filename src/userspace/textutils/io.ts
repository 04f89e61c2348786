// What the text tools share: reading operands ('-' is stdin) as a stream of
// lines with one line of look-ahead (sed's `$` and awk's getline need to know
// where input ends), the C library's errno texts, and option parsing through
// ../getopt.ts with the coreutils' conventions.
import type { Wait } from '../../sim/sched.ts';
import { Getopt, type LongOption } from '../getopt.ts';
import type { ProcCtx } from '../proc.ts';

export type Gen<T> = Generator<Wait, T, unknown>;

export const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EOVERFLOW: 'Value too large for defined data type',
  ENOMEM: 'Cannot allocate memory',
  ERANGE: 'Numerical result out of range',
  EIO: 'Input/output error',
};

/** A file's contents, or its errno text. */
export function readPath(ctx: ProcCtx, path: string): string | { msg: string } {
  if (path === '/dev/null') return '';
  const r = ctx.world.vfs.readFile(path, ctx.net);
  if (typeof r === 'string') return r;
  return { msg: ERRNO_TEXT[r.errno] ?? r.errno };
}

/** Writes (or appends to) a file; /dev/stdout, /dev/stderr and /dev/null as Linux has them. Null or the errno text. */
export function writePath(ctx: ProcCtx, path: string, data: string, append: boolean): string | null {
  if (path === '/dev/null') return null;
  if (path === '/dev/stdout' || path === '-') {
    ctx.stdout.write(data);
    return null;
  }
  if (path === '/dev/stderr') {
    ctx.stderr.write(data);
    return null;
  }
  const r = ctx.world.vfs.writeFile(path, data, append, ctx.net);
  return r ? (ERRNO_TEXT[r.errno] ?? r.errno) : null;
}

/** All of stdin. */
export function* readStdin(ctx: ProcCtx): Gen<string> {
  let out = '';
  for (;;) {
    const s = yield* ctx.stdin.read();
    if (s === null) return out;
    out += s;
  }
}

export interface Line {
  text: string;
  /** False for a last line without its terminator. */
  nl: boolean;
  /** The operand it came from ('-' for stdin). */
  file: string;
}

/**
 * The lines of a list of operands, in order, read as they arrive. An operand that
 * cannot be read is reported through `onError` and skipped. `separate`: each
 * operand's last line counts as last (sed -s / -i).
 */
export class LineReader {
  private idx = -1;
  private buf = '';
  private srcDone = true;
  private ahead: Line | null = null;
  private aheadValid = false;
  private cur = '-';

  constructor(
    private readonly ctx: ProcCtx,
    private readonly ops: readonly string[],
    private readonly onError: (op: string, msg: string) => void,
    private readonly sep = '\n',
  ) {}

  /** The operand being read now. */
  get file(): string {
    return this.cur;
  }

  private *raw(): Gen<Line | null> {
    for (;;) {
      const j = this.buf.indexOf(this.sep);
      if (j >= 0) {
        const text = this.buf.slice(0, j);
        this.buf = this.buf.slice(j + 1);
        return { text, nl: true, file: this.cur };
      }
      if (!this.srcDone) {
        const s = yield* this.ctx.stdin.read();
        if (s === null) this.srcDone = true;
        else this.buf += s;
        continue;
      }
      if (this.buf !== '') {
        const text = this.buf;
        this.buf = '';
        return { text, nl: false, file: this.cur };
      }
      // next operand
      this.idx++;
      if (this.idx >= this.ops.length) return null;
      const op = this.ops[this.idx] as string;
      this.cur = op;
      if (op === '-') {
        this.srcDone = false;
        continue;
      }
      const r = readPath(this.ctx, op);
      if (typeof r !== 'string') {
        this.onError(op, r.msg);
        continue;
      }
      this.buf = r;
    }
  }

  /** The next line, or null at the end of all input. */
  *next(): Gen<Line | null> {
    if (this.aheadValid) {
      this.aheadValid = false;
      const l = this.ahead;
      this.ahead = null;
      if (l) this.cur = l.file;
      return l;
    }
    return yield* this.raw();
  }

  /** True when no line follows the last one returned. */
  *atEnd(): Gen<boolean> {
    if (!this.aheadValid) {
      const file = this.cur;
      this.ahead = yield* this.raw();
      this.aheadValid = true;
      this.cur = file;
    }
    return this.ahead === null;
  }
}

export type Parsed = { opts: [string, string][]; operands: string[] } | { err: string };

/**
 * getopt_long over argv; shorts as in getopt(3), longs name → [key, has_arg 0/1/2].
 * Stops at the first error, with glibc's message (without the program prefix).
 */
export function parseOpts(argv: readonly string[], shorts: string, longs: Record<string, [string, 0 | 1 | 2]> = {}): Parsed {
  const longopts: LongOption[] = Object.entries(longs).map(([name, [val, has_arg]]) => ({ name, has_arg, val }));
  let message = '';
  const prefix = `${argv[0] ?? ''}: `;
  const g = new Getopt(argv, shorts, longopts, (m) => {
    message ||= m.startsWith(prefix) ? m.slice(prefix.length, -1) : m.slice(0, -1);
  });
  const opts: [string, string][] = [];
  for (;;) {
    const o = g.next();
    if (o === -1) break;
    if (o === '?' || o === ':') return { err: message };
    opts.push([String(o), g.optarg ?? '']);
  }
  return { opts, operands: g.operands() };
}

/** The coreutils' usage error: the message and the --help hint. */
export function usage(ctx: ProcCtx, prog: string, msg: string): void {
  ctx.stderr.write(`${prog}: ${msg}\nTry '${prog} --help' for more information.\n`);
}
