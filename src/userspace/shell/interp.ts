// The interpreter: runs a parsed script in virtual time. Every (sub)shell is a
// Shell; pipelines, background jobs and command substitutions run as their own
// scheduler tasks (fork), joined by pipes; programs from world.commands run
// inside the task that starts them, as exec would.
import { isUnsimulatedProgram, unsimulatedMessage } from '../textutils/unsimulated.ts';
import type { Net } from '../../kernel/net_namespace.ts';
import { waitChild, yieldCpu, type Proc, type Task, type Wait } from '../../sim/sched.ts';
import type { Command as Program, InStream, OutStream, ProcCtx, Vfs, World } from '../proc.ts';
import { FILE_ERRNO_TEXT, fileChunks, normalizeRelative, utf8Decode } from '../fileio.ts';
import type * as A from './ast.ts';
import { ArithError, evalArith } from './arith.ts';
import { applyFlags, BUILTINS, FALLBACK_PROGRAMS } from './builtins.ts';
import { AbortSignal, ExitSignal, LoopSignal, ReturnSignal, statusOf } from './control.ts';
import { braceCount, braceExpand, joinSegs, pushAll, patternChars, splitFields, xtraceQuote, type Seg } from './expand.ts';
import { parse, plainText } from './parser.ts';
import { patternRegex, patternSource, type PatChar } from './pattern.ts';
import { type Regex, RegexSyntaxError, regcomp } from '../libc/regex.ts';
import { BufferedIn, FileOut, NullOut, Pipe, PipeWriter, ProcOut, StringIn, isBroken } from './streams.ts';
import { evalTest, type TestEnv } from './test_expr.ts';

export type Gen<T> = Generator<Wait, T, unknown>;

export type Fd = { readonly k: 'in'; readonly s: BufferedIn } | { readonly k: 'out'; readonly s: OutStream };

export interface Var {
  /** null: declared (local, export) but unset. */
  value: string | null;
  exported: boolean;
  readonly: boolean;
  /** Set by a prefix assignment (`v=1 f`) for the command's duration. */
  temp?: boolean;
  /** An indexed array (value mirrors element 0). */
  arr?: (string | undefined)[];
}

export const copyVar = (v: Var): Var => ({ ...v, arr: v.arr?.slice() });

/** The bytes a variable's value holds (every element of an array). */
function varSize(v: Var | undefined): number {
  if (!v) return 0;
  if (v.arr) {
    let n = 0;
    for (const e of v.arr) n += e?.length ?? 0;
    return n;
  }
  return v.value?.length ?? 0;
}

export interface RunOptions {
  /** The script's name as bash was given it: messages start `NAME: line N:`. */
  scriptName: string;
  stdout: OutStream;
  stderr: OutStream;
  /** The namespace the shell runs in. */
  net: Net;
  /** $1, $2, ... */
  args?: readonly string[];
  /** Standard input; empty when absent. */
  stdin?: InStream;
  /** The exported environment the shell starts with. */
  env?: ReadonlyMap<string, string>;
  /** Options as bash takes them on its command line: -e, -x, -o pipefail. */
  flags?: readonly string[];
  /**
   * The script is the string of `bash -c` (as the oracle recorder runs each
   * part): syntax errors read `bash: -c: line N: ...`, messages from inside a
   * function `environment: line N: ...`, and a failed ${x?} or set -u exits
   * 127. Otherwise it is a file: `NAME: line N: ...` throughout.
   */
  command?: boolean;
  /** Behave as dash where scripts see it most: echo and `NAME: LINE: cmd: not found`. */
  dash?: boolean;
}

type Saved = { fd: number; prev: Fd | undefined }[];

/** Function nesting at which the shell gives up (bash's FUNCNEST message). */
const MAX_FUNC_DEPTH = 10_000;
/** Function nesting levels run on one JavaScript stack before hopping to a fresh one. */
const STACK_HOP = 32;
/** Bytes a word made by brace expansion costs beyond its text (objects, arrays). */
const BRACE_WORD_OVERHEAD = 256;
/** Nesting of sourced files and evals at which the shell gives up. */
const MAX_TEXT_DEPTH = 5_000;

export const ERRNO_TEXT = FILE_ERRNO_TEXT;

/** What all the (sub)shells of one script share. */
export class Global {
  /** Tasks this script started, by pid (kill, wait). */
  readonly tasks = new Map<number, Task>();
  readonly startNs: number;

  constructor(
    readonly world: World,
    readonly pid: number,
    /** Run as `bash -c STRING` (see RunOptions.command). */
    readonly commandMode = false,
    /** Invoked as sh, which is dash on Debian: its echo and its `not found`. */
    readonly dash = false,
  ) {
    this.startNs = world.sim.now;
  }
}

function dupFd(f: Fd): void {
  if (f.k === 'in') f.s.dup();
  else if (f.s instanceof PipeWriter) f.s.dup();
}

function closeFd(f: Fd): void {
  if (f.k === 'in') f.s.close();
  else if (f.s instanceof PipeWriter) f.s.close();
}

const inFd = (text: string): Fd => ({ k: 'in', s: new BufferedIn(new StringIn(text)) });

/** A program on $PATH: world.commands, then the shell's own stand-ins for /usr/bin tools. */
export function lookupProgram(world: World, name: string): Program | null {
  const m = /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(name);
  if (m) return lookupProgram(world, m[1] as string);
  if (name.includes('/')) return null;
  return world.commands.get(name) ?? FALLBACK_PROGRAMS.get(name) ?? null;
}

/** The ProcCtx a program runs with; its exec runs programs with the same streams. */
export function makeCtx(
  world: World,
  argv: readonly string[],
  stdin: InStream,
  stdout: OutStream,
  stderr: OutStream,
  net: Net,
  env: ReadonlyMap<string, string>,
): ProcCtx {
  return {
    world,
    argv,
    stdin,
    stdout,
    stderr,
    net,
    env,
    exec(argv2, opts) {
      const name = argv2[0];
      if (name === undefined) return null;
      const prog = lookupProgram(world, name);
      if (!prog) return null;
      return prog(makeCtx(world, argv2, stdin, stdout, stderr, opts?.net ?? net, env));
    },
  };
}

/**
 * Runs a program's generator, ending it as SIGPIPE would once it writes to a
 * closed pipe. What the program throws goes on up (a budget, an internal
 * error): only a kill ends it with a status here.
 */
function* drive(p: Proc, state: { sigpipe: boolean }, sched: { readonly killStatus: number }): Gen<number> {
  let done = false;
  let threw = false;
  try {
    let v: unknown;
    for (;;) {
      let r: IteratorResult<Wait, number>;
      try {
        r = p.next(v);
      } catch (e) {
        threw = true;
        throw e;
      }
      if (state.sigpipe) return 141;
      if (r.done) {
        done = true;
        return r.value;
      }
      v = yield r.value;
    }
  } finally {
    // killed: the program's cleanups run, and one that handles the signal ends with its own status
    if (!done && !threw) {
      const r = p.return(state.sigpipe ? 141 : sched.killStatus);
      // biome-ignore lint/correctness/noUnsafeFinally: a killed program that handles the signal ends with its own status
      if (r.done && !state.sigpipe) return r.value;
    }
  }
}

/** strsignal(): what bash prints for a job a signal ended. */
const SIGNAL_DESC: Record<number, string> = {
  1: 'Hangup',
  3: 'Quit',
  4: 'Illegal instruction',
  5: 'Trace/breakpoint trap',
  6: 'Aborted',
  7: 'Bus error',
  8: 'Floating point exception',
  9: 'Killed',
  10: 'User defined signal 1',
  11: 'Segmentation fault',
  12: 'User defined signal 2',
  14: 'Alarm clock',
  16: 'Stack fault',
  24: 'CPU time limit exceeded',
  25: 'File size limit exceeded',
  26: 'Virtual timer expired',
  27: 'Profiling timer expired',
  29: 'I/O possible',
  30: 'Power failure',
  31: 'Bad system call',
};

/** make_command_string() for a job: words and redirections as written, subshells in ( … ), && and ||. */
function jobText(ao: A.AndOr): string {
  const cmd = (c: A.Command): string => {
    if (c.t === 'simple') {
      const parts = [...c.assigns.map((a) => `${a.name}${a.append ? '+=' : '='}${a.value.raw}`), ...c.words.map((w) => w.raw)];
      for (const r of c.redirs) parts.push(`${r.fd ?? ''}${r.op} ${r.target.raw}`);
      return parts.join(' ');
    }
    if (c.t === 'subshell' || c.t === 'group') {
      const inner = c.body.items.map((i) => jobText(i.ao)).join('; ');
      return c.t === 'subshell' ? `( ${inner} )` : `{ ${inner}; }`;
    }
    return c.t;
  };
  const pipe = (p: A.Pipeline): string => p.cmds.map(cmd).join(' | ');
  return [pipe(ao.first), ...ao.rest.map((r) => `${r.op} ${pipe(r.p)}`)].join(' ');
}

/** A (sub)shell's state. */
export class Shell {
  vars = new Map<string, Var>();
  /** Bytes of variable values this shell has charged to the memory budget. */
  varBytes = 0;
  funcs = new Map<string, A.FuncDef>();
  params: string[] = [];
  opts = { errexit: false, nounset: false, xtrace: false, pipefail: false, noclobber: false };
  fds: (Fd | undefined)[] = [];
  status = 0;
  /** The job table: job N is jobs[N-1]; null where a job was reaped. */
  jobs: (Task | null)[] = [];
  lastBg: Task | null = null;
  /** The command text bash shows for each job (make_command_string). */
  jobText = new WeakMap<Task, string>();
  /** Jobs a subshell sees in its table but cannot wait for (its parent's children). */
  readonly inherited = new WeakSet<Task>();
  /** Jobs whose end by a signal was already reported. */
  readonly notified = new WeakSet<Task>();
  /** The line messages name (bash's line_number). */
  line = 0;
  /** Added to the lines of the commands run (command substitutions, eval). */
  lineBase = 0;
  /** >0 where set -e does not apply (conditions, && || operands, !). */
  ignoreErrexit = 0;
  funcDepth = 0;
  /** Per function call: the variables `local` shadowed, to restore. */
  locals: Map<string, Var | undefined>[] = [];
  loopDepth = 0;
  /** How many times PS4's first character repeats (command substitutions nest). */
  traceDepth = 1;
  traps = new Map<string, string>();
  cmdsubStatus: number | null = null;
  /** Set when a builtin wrote to a pipe nobody reads. */
  readonly sigpipe = { sigpipe: false };
  /** Set when a builtin wrote to a closed standard output (true), or the file refused the write (the errno's text). */
  badWrite: boolean | string = false;
  pipestatus: number[] = [0];
  /** Set by `exec` without a command: the redirections stay. */
  commitRedirs = false;
  subshell = false;
  /** Files being sourced (return ends them). */
  sourceDepth = 0;
  /** Nesting of eval, source and traps (runText). */
  textDepth = 0;
  /** Nesting of compound commands being run, subshells included. */
  compoundDepth = 0;

  constructor(
    readonly g: Global,
    public net: Net,
    /** Message prefix: the script's name. */
    public name: string,
    /** $0 */
    public arg0: string,
  ) {}

  /** The working directory below the scenario's ('' at its top), as `cd` left it. */
  cwd = '';
  private cwdWorld: World | null = null;

  /** The world as this shell sees it: relative paths resolve in its working directory. */
  get world(): World {
    if (this.cwd === '') return this.g.world;
    if (!this.cwdWorld) this.cwdWorld = inDirectory(this.g.world, this.cwd);
    return this.cwdWorld;
  }

  /** Changes the working directory (a path below the scenario's, normalized). */
  chdir(dir: string): void {
    this.cwd = dir;
    this.cwdWorld = null;
  }

  // ---- output

  write(fd: number, s: string): void {
    const f = this.fds[fd];
    if (!f || f.k !== 'out') {
      if (fd === 1) this.badWrite = true;
      return;
    }
    if (isBroken(f.s)) {
      this.sigpipe.sigpipe = true;
      return;
    }
    f.s.write(s);
    // a sysfs attribute that refused the data: write(2) failed with its errno
    if (fd === 1 && f.s instanceof FileOut && f.s.error) {
      this.badWrite = ERRNO_TEXT[f.s.error];
      f.s.error = null;
    }
  }

  /**
   * Where a message comes from: `NAME: line N: `; under `bash -c`, inside a
   * function, `environment: line N: `.
   */
  prefix(): string {
    if (this.g.commandMode && this.funcDepth > 0 && this.sourceDepth === 0) return `environment: line ${this.line}: `;
    return `${this.name}: line ${this.line}: `;
  }

  /** The status a failed ${x?} or set -u leaves the shell with (bash -c: 127). */
  expansionExit(): ExitSignal {
    return new ExitSignal(this.g.commandMode && !this.subshell ? 127 : 1);
  }

  /** A message on stderr with its prefix. */
  err(msg: string): void {
    this.write(2, this.prefix() + msg + '\n');
  }

  outStream(fd: number): OutStream {
    const f = this.fds[fd];
    return f && f.k === 'out' ? f.s : new NullOut();
  }

  inStream(fd: number): BufferedIn {
    const f = this.fds[fd];
    return f && f.k === 'in' ? f.s : new BufferedIn(new StringIn(''));
  }

  setFd(fd: number, f: Fd | undefined): void {
    if (f) dupFd(f);
    const old = this.fds[fd];
    if (old) closeFd(old);
    this.fds[fd] = f;
  }

  closeAll(): void {
    for (const f of this.fds) if (f) closeFd(f);
    this.fds = [];
  }

  // ---- variables

  getVar(name: string): string | undefined {
    const v = this.vars.get(name);
    if (v && v.value !== null) return v.value;
    if (v) return undefined;
    switch (name) {
      case 'RANDOM':
        return String(this.world.sim.rng.u32() % 32768);
      case 'LINENO':
        return String(this.line);
      case 'SECONDS':
        return String(Math.floor((this.world.sim.now - this.g.startNs) / 1e9));
    }
    return undefined;
  }

  /** Charges a change of `delta` bytes in this shell's variables to the memory budget. */
  chargeVar(delta: number): void {
    const d = Math.max(delta, -this.varBytes);
    if (!d) return;
    this.varBytes += d;
    this.world.sim.mem.charge('shell variables', d);
  }

  /** Sets a variable; false (and a message) when it is read-only. */
  setVar(name: string, value: string, append = false): boolean {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.err(`${name}: readonly variable`);
      return false;
    }
    const before = v?.value?.length ?? 0;
    if (v) {
      v.value = append ? (v.value ?? '') + value : value;
      if (v.arr) v.arr[0] = v.value;
    } else this.vars.set(name, { value, exported: false, readonly: false });
    this.chargeVar((this.vars.get(name)?.value?.length ?? 0) - before);
    return true;
  }

  /** NAME=(...) and NAME+=(...). */
  setArray(name: string, elems: string[], append: boolean): boolean {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.err(`${name}: readonly variable`);
      return false;
    }
    let added = 0;
    for (const e of elems) added += e.length;
    this.chargeVar(append ? added : added - varSize(v));
    if (append && v?.arr) {
      // NAME+=(...) appends in place (no copy of the whole array per element)
      pushAll(v.arr, elems);
      v.value = v.arr[0] ?? null;
      return true;
    }
    const base = append ? (v?.arr ?? (v?.value !== null && v?.value !== undefined ? [v.value] : [])) : [];
    const arr = [...base, ...elems];
    if (v) {
      v.arr = arr;
      v.value = arr[0] ?? null;
    } else this.vars.set(name, { value: arr[0] ?? null, exported: false, readonly: false, arr });
    return true;
  }

  /** NAME[i]=value. */
  setElement(name: string, i: number, value: string, append: boolean): boolean {
    let v = this.vars.get(name);
    if (v?.readonly) {
      this.err(`${name}: readonly variable`);
      return false;
    }
    if (!v) {
      v = { value: null, exported: false, readonly: false };
      this.vars.set(name, v);
    }
    const arr = v.arr ?? (v.value !== null ? [v.value] : []);
    if (i < 0) i += arr.length;
    if (i < 0) {
      this.err(`${name}[${i - arr.length}]: bad array subscript`);
      return false;
    }
    const old = arr[i]?.length ?? 0;
    const nv = append ? (arr[i] ?? '') + value : value;
    arr[i] = nv;
    this.chargeVar(nv.length - old);
    v.arr = arr;
    v.value = arr[0] ?? null;
    return true;
  }

  /** The elements of a variable: an array's set ones, a scalar as element 0. */
  elements(name: string): (string | undefined)[] {
    if (name === 'PIPESTATUS') return this.pipestatus.map(String);
    const v = this.vars.get(name);
    if (v?.arr) return v.arr;
    const s = this.paramValue(name);
    return s === undefined ? [] : [s];
  }

  /** One assignment word: scalar, element or array. */
  *assign(a: A.Assign): Gen<boolean> {
    const first = a.value.parts[0];
    if (first?.t === 'array' && a.index === null) {
      const elems: string[] = [];
      for (const w of first.elems) for (const bw of this.braces(w)) pushAll(elems, yield* this.fields(bw));
      if (this.opts.xtrace) this.trace(`${a.name}${a.append ? '+' : ''}=(${elems.map(xtraceQuote).join(' ')})`);
      return this.setArray(a.name, elems, a.append);
    }
    const v = yield* this.str(a.value);
    if (a.index !== null) {
      const i = Number(this.arithText(yield* this.str(a.index, true)));
      if (this.opts.xtrace) this.trace(`${a.name}[${i}]${a.append ? '+' : ''}=${xtraceQuote(v)}`);
      return this.setElement(a.name, i, v, a.append);
    }
    if (this.opts.xtrace) this.trace(`${a.name}${a.append ? '+' : ''}=${xtraceQuote(v)}`);
    return this.setVar(a.name, v, a.append);
  }

  unsetVar(name: string): boolean {
    const v = this.vars.get(name);
    if (v?.readonly) {
      this.err(`unset: ${name}: cannot unset: readonly variable`);
      return false;
    }
    if (this.locals.length > 0 && this.locals.some((f) => f.has(name))) {
      // an unset local stays declared in its function
      if (v) v.value = null;
      return true;
    }
    this.vars.delete(name);
    this.chargeVar(-varSize(v));
    return true;
  }

  /** The environment a program gets: exported variables, then the command's assignments. */
  environment(assigns: readonly (readonly [string, string])[]): Map<string, string> {
    const env = new Map<string, string>();
    for (const [k, v] of this.vars) if (v.exported && v.value !== null) env.set(k, v.value);
    for (const [k, v] of assigns) env.set(k, v);
    return env;
  }

  // ---- subshells and tasks

  /**
   * notify_of_job_status() of a non-interactive bash: a job a signal ended
   * (not SIGINT, SIGPIPE or SIGTERM) is reported once, as
   * "bash: line N:   PID Killed                  command".
   */
  notifyJobs(): void {
    for (const t of this.jobs) {
      if (!t || t.state !== 'exited' || !t.termsig || this.notified.has(t)) continue;
      this.notified.add(t);
      const sig = t.termsig;
      if (sig === 2 || sig === 13 || sig === 15) continue;
      const desc = SIGNAL_DESC[sig] ?? `Unknown signal ${sig}`;
      this.err(`${String(t.pid).padStart(5)} ${desc.padEnd(24)}${this.jobText.get(t) ?? ''}`);
    }
  }

  fork(): Shell {
    const s = new Shell(this.g, this.net, this.name, this.arg0);
    s.chdir(this.cwd);
    let bytes = 0;
    for (const [k, v] of this.vars) {
      s.vars.set(k, copyVar(v));
      bytes += varSize(v);
    }
    // a forked shell holds its own copy of the variables
    s.varBytes = bytes;
    this.world.sim.mem.charge('shell variables', bytes);
    s.funcs = new Map(this.funcs);
    s.params = [...this.params];
    s.opts = { ...this.opts };
    s.fds = this.fds.slice();
    for (const f of s.fds) if (f) dupFd(f);
    s.status = this.status;
    s.lastBg = this.lastBg;
    // a subshell lists its parent's jobs (`jobs -p | wc -l`)
    s.jobs = this.jobs.slice();
    s.jobText = this.jobText;
    for (const t of this.jobs) if (t) s.inherited.add(t);
    s.line = this.line;
    s.lineBase = this.lineBase;
    s.ignoreErrexit = this.ignoreErrexit;
    s.funcDepth = this.funcDepth;
    s.locals = this.locals.map((m) => new Map(m));
    s.loopDepth = this.loopDepth;
    s.traceDepth = this.traceDepth;
    s.sourceDepth = this.sourceDepth;
    s.textDepth = this.textDepth;
    s.compoundDepth = this.compoundDepth;
    s.subshell = true;
    return s;
  }

  /** Starts `body` in `sub` as a new task (fork); the task's fds close when it ends. */
  spawn(sub: Shell, body: () => Gen<number>): Task {
    const task = this.world.sim.sched.spawn('bash', subMain(sub, body));
    this.g.tasks.set(task.pid, task);
    return task;
  }

  // ---- lists and pipelines

  *runList(list: A.List): Gen<number> {
    let st = 0;
    for (const it of list.items) {
      if (it.bg) {
        this.startBg(it.ao);
        st = 0;
        this.status = 0;
      } else st = yield* this.runAndOr(it.ao);
    }
    return st;
  }

  private startBg(ao: A.AndOr): void {
    const sub = this.fork();
    // without job control, an asynchronous command reads /dev/null
    sub.setFd(0, inFd(''));
    // bash runs a compound command in a subshell (execute_in_subshell) with no loop
    // to break out of; a simple command it forks keeps the loop level
    const p = ao.first;
    if (ao.rest.length > 0 || p.cmds.length > 1 || (p.cmds[0] as A.Command).t !== 'simple') sub.loopDepth = 0;
    const task = this.spawn(sub, () => sub.runAndOr(ao));
    // bash's cleanup_dead_jobs: finished jobs leave the table before a new one
    // takes the number after the highest still there
    for (let i = 0; i < this.jobs.length; i++) if (this.jobs[i]?.state === 'exited') this.jobs[i] = null;
    while (this.jobs.length > 0 && this.jobs[this.jobs.length - 1] === null) this.jobs.pop();
    this.jobs.push(task);
    this.jobText.set(task, jobText(ao));
    this.lastBg = task;
  }

  *runAndOr(ao: A.AndOr): Gen<number> {
    const n = ao.rest.length;
    if (n) this.ignoreErrexit++;
    let st: number;
    try {
      st = yield* this.runPipeline(ao.first);
    } finally {
      if (n) this.ignoreErrexit--;
    }
    for (let i = 0; i < n; i++) {
      const { op, p } = ao.rest[i] as { op: '&&' | '||'; p: A.Pipeline };
      if ((op === '&&') !== (st === 0)) continue;
      const last = i === n - 1;
      if (!last) this.ignoreErrexit++;
      try {
        st = yield* this.runPipeline(p);
      } finally {
        if (!last) this.ignoreErrexit--;
      }
    }
    return st;
  }

  *runPipeline(p: A.Pipeline): Gen<number> {
    if (!p.timed) return yield* this.runPipelineUntimed(p);
    const start = this.world.sim.now;
    try {
      return yield* this.runPipelineUntimed(p);
    } finally {
      // virtual time passed; no CPU time is spent
      const s = (this.world.sim.now - start) / 1e9;
      if (p.timed === 'posix') this.write(2, `real ${s.toFixed(2)}\nuser 0.00\nsys 0.00\n`);
      else {
        const m = Math.floor(s / 60);
        this.write(2, `\nreal\t${m}m${(s - m * 60).toFixed(3)}s\nuser\t0m0.000s\nsys\t0m0.000s\n`);
      }
    }
  }

  private *runPipelineUntimed(p: A.Pipeline): Gen<number> {
    if (p.bang) this.ignoreErrexit++;
    let st: number;
    try {
      if (p.cmds.length === 1) {
        st = yield* this.runCommand(p.cmds[0] as A.Command);
        this.pipestatus = [st];
      } else st = yield* this.runMulti(p);
    } finally {
      if (p.bang) this.ignoreErrexit--;
    }
    if (p.bang) st = st === 0 ? 1 : 0;
    this.status = st;
    if (st !== 0 && !p.bang && this.opts.errexit && this.ignoreErrexit === 0 && errexitApplies(p)) {
      throw new ExitSignal(st);
    }
    return st;
  }

  private *runMulti(p: A.Pipeline): Gen<number> {
    const tasks: Task[] = [];
    let prev: Pipe | null = null;
    const n = p.cmds.length;
    for (let i = 0; i < n; i++) {
      const cmd = p.cmds[i] as A.Command;
      const sub = this.fork();
      if (prev) sub.setFd(0, { k: 'in', s: new BufferedIn(prev.reader) });
      let pipe: Pipe | null = null;
      if (i < n - 1) {
        pipe = new Pipe(this.world.sim.mem);
        sub.setFd(1, { k: 'out', s: pipe.writer });
        if (p.errToo[i]) sub.setFd(2, { k: 'out', s: pipe.writer });
      }
      if (cmd.t !== 'simple') sub.loopDepth = 0;
      tasks.push(this.spawn(sub, () => sub.runCommand(cmd)));
      prev = pipe;
    }
    const sts: number[] = [];
    for (const t of tasks) sts.push((yield waitChild(t)) as number);
    this.pipestatus = sts;
    let st = sts[sts.length - 1] as number;
    if (this.opts.pipefail) {
      st = 0;
      for (const s of sts) if (s !== 0) st = s;
    }
    return st;
  }

  *runCommand(cmd: A.Command): Gen<number> {
    if (cmd.t === 'simple') return yield* this.runSimple(cmd);
    if (cmd.t === 'func') {
      this.funcs.set(cmd.name, cmd);
      return 0;
    }
    this.line = cmd.line + this.lineBase;
    // nested compound commands ( ( ( … ) ) ) continue on a fresh JavaScript stack every STACK_HOP levels
    this.compoundDepth++;
    try {
      if (this.compoundDepth % STACK_HOP === 0) return yield* this.onFreshStack(() => this.runCompoundRedirected(cmd));
      return yield* this.runCompoundRedirected(cmd);
    } finally {
      this.compoundDepth--;
    }
  }

  private *runCompoundRedirected(cmd: A.CompoundCommand): Gen<number> {
    if (cmd.redirs.length === 0) return yield* this.runCompound(cmd);
    const saved = yield* this.redirect(cmd.redirs);
    if (!saved) return 1;
    try {
      return yield* this.runCompound(cmd);
    } finally {
      this.restore(saved);
    }
  }

  /** Runs a list in a subshell within this task: ( ... ). */
  *runSubshell(list: A.List): Gen<number> {
    const sub = this.fork();
    sub.loopDepth = 0;
    try {
      return yield* sub.runList(list);
    } catch (e) {
      const st = statusOf(e);
      if (st === null) throw e;
      return st;
    } finally {
      sub.closeAll();
      this.world.sim.mem.uncharge('shell variables', sub.varBytes);
      sub.varBytes = 0;
    }
  }

  private *loopBody(body: A.List): Gen<{ st: number; brk: boolean }> {
    try {
      return { st: yield* this.runList(body), brk: false };
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.levels > 1) throw new LoopSignal(e.levels - 1, e.cont);
      return { st: 0, brk: !e.cont };
    }
  }

  private *runCompound(cmd: A.CompoundCommand): Gen<number> {
    switch (cmd.t) {
      case 'group':
        return yield* this.runList(cmd.body);
      case 'subshell':
        return yield* this.runSubshell(cmd.body);
      case 'if': {
        for (const c of cmd.clauses) {
          this.ignoreErrexit++;
          let cond: number;
          try {
            cond = yield* this.runList(c.cond);
          } finally {
            this.ignoreErrexit--;
          }
          if (cond === 0) return yield* this.runList(c.body);
        }
        return cmd.orElse ? yield* this.runList(cmd.orElse) : 0;
      }
      case 'while': {
        let st = 0;
        this.loopDepth++;
        try {
          for (;;) {
            yield yieldCpu;
            this.ignoreErrexit++;
            let c: number;
            try {
              c = yield* this.runList(cmd.cond);
            } catch (e) {
              if (!(e instanceof LoopSignal)) throw e;
              if (e.levels > 1) throw new LoopSignal(e.levels - 1, e.cont);
              if (e.cont) continue;
              break;
            } finally {
              this.ignoreErrexit--;
            }
            if (cmd.until ? c === 0 : c !== 0) break;
            const r = yield* this.loopBody(cmd.body);
            st = r.st;
            if (r.brk) break;
          }
        } finally {
          this.loopDepth--;
        }
        return st;
      }
      case 'for': {
        let items: string[];
        if (cmd.words === null) items = [...this.params];
        else {
          items = [];
          for (const w of cmd.words) for (const bw of this.braces(w)) pushAll(items, yield* this.fields(bw));
        }
        if (this.opts.xtrace) this.trace(`for ${cmd.name} in ${items.map(xtraceQuote).join(' ')}`);
        let st = 0;
        this.loopDepth++;
        try {
          for (const it of items) {
            yield yieldCpu;
            if (!this.setVar(cmd.name, it)) return 1;
            const r = yield* this.loopBody(cmd.body);
            st = r.st;
            if (r.brk) break;
          }
        } finally {
          this.loopDepth--;
        }
        return st;
      }
      case 'cfor': {
        let st = 0;
        this.loopDepth++;
        try {
          yield* this.arith(cmd.init);
          for (;;) {
            yield yieldCpu;
            const c = yield* this.str(cmd.cond);
            if (c.trim() !== '' && this.arithText(c) === 0n) break;
            const r = yield* this.loopBody(cmd.body);
            st = r.st;
            if (r.brk) break;
            yield* this.arith(cmd.step);
          }
        } finally {
          this.loopDepth--;
        }
        return st;
      }
      case 'case': {
        const word = yield* this.str(cmd.word);
        let st = 0;
        let fall = false;
        for (const item of cmd.items) {
          let hit = fall;
          if (!hit) {
            for (const p of item.patterns) {
              if (patternRegex(yield* this.pattern(p)).test(word)) {
                hit = true;
                break;
              }
            }
          }
          if (!hit) continue;
          st = yield* this.runList(item.body);
          if (item.term === ';;') return st;
          fall = item.term === ';&';
        }
        return st;
      }
      case 'arithcmd': {
        if (this.opts.xtrace) this.trace(`(( ${cmd.expr.raw} ))`);
        return (yield* this.arith(cmd.expr)) !== 0n ? 0 : 1;
      }
      case 'cond':
        return yield* this.condExpr(cmd.expr);
    }
  }

  private *condExpr(e: A.CondExpr): Gen<number> {
    switch (e.t) {
      case 'and': {
        const l = yield* this.condExpr(e.l);
        return l !== 0 ? l : yield* this.condExpr(e.r);
      }
      case 'or': {
        const l = yield* this.condExpr(e.l);
        return l === 0 ? 0 : yield* this.condExpr(e.r);
      }
      case 'not':
        return (yield* this.condExpr(e.e)) === 0 ? 1 : 0;
      case 'word':
        return (yield* this.str(e.a)) !== '' ? 0 : 1;
      case 'unary': {
        const a = yield* this.str(e.a);
        return this.test([e.op, a], '[[');
      }
      case 'binary': {
        const a = yield* this.str(e.a);
        if (e.op === '==' || e.op === '=' || e.op === '!=') {
          const m = patternRegex(yield* this.pattern(e.b)).test(a);
          return m === (e.op !== '!=') ? 0 : 1;
        }
        if (e.op === '=~') {
          // bash hands the right side to regcomp(REG_EXTENDED): POSIX leftmost-longest, as glibc matches
          let re: Regex;
          try {
            re = regcomp(ereSource(yield* this.pattern(e.b)), { extended: true });
          } catch (err) {
            if (err instanceof RegexSyntaxError) return 2;
            throw err;
          }
          const m = re.exec(a);
          // BASH_REMATCH: the match and each group's ('' for one that took no part), or nothing
          const groups: string[] = [];
          if (m) for (let i = 0; i < m.length; i += 2) groups.push((m[i] ?? -1) < 0 ? '' : a.slice(m[i], m[i + 1]));
          this.setArray('BASH_REMATCH', groups, false);
          return m ? 0 : 1;
        }
        const b = yield* this.str(e.b);
        if (/^-(eq|ne|lt|le|gt|ge)$/.test(e.op)) {
          // [[ ]] evaluates its integer operands as arithmetic
          const x = this.arithText(a);
          const y = this.arithText(b);
          return this.test([String(x), e.op, String(y)], '[[');
        }
        return this.test([a, e.op, b], '[[');
      }
    }
  }

  /** test's arguments evaluated against the Vfs; prints its error. */
  test(args: readonly string[], who: string): number {
    const r = evalTest(args, this.testEnv());
    if (r.error !== null) this.err(`${who}: ${r.error}`);
    return r.status;
  }

  testEnv(): TestEnv {
    return {
      stat: (path) => statPath(this.world, path),
      isSet: (name) => this.getVar(name) !== undefined || (/^\d+$/.test(name) && Number(name) <= this.params.length),
      option: (name) => {
        const o = this.opts as Record<string, boolean>;
        return name in o ? (o[name] as boolean) : null;
      },
    };
  }

  // ---- simple commands

  private *runSimple(cmd: A.SimpleCommand): Gen<number> {
    this.line = cmd.line + this.lineBase;
    this.cmdsubStatus = null;
    const argv: string[] = [];
    const decl = DECLARATION_BUILTINS.has(plainText(cmd.words[0] ?? { parts: [], raw: '' }) ?? '');
    const arrays: A.Assign[] = [];
    for (const w of cmd.words) {
      // export/local/declare/readonly NAME=$x: the value is not split
      const arr = decl && argv.length > 0 ? arrayAssignment(w) : null;
      if (arr) {
        argv.push(arr.name);
        arrays.push(arr);
      } else if (decl && argv.length > 0 && isAssignmentWord(w)) argv.push(yield* this.str(w));
      else for (const bw of this.braces(w)) pushAll(argv, yield* this.fields(bw));
    }
    if (argv.length === 0) {
      let st = 0;
      for (const a of cmd.assigns) if (!(yield* this.assign(a))) st = 1;
      if (cmd.redirs.length) {
        const saved = yield* this.redirect(cmd.redirs);
        if (!saved) return 1;
        this.restore(saved);
      }
      return st || (this.cmdsubStatus ?? 0);
    }
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) {
      let v = yield* this.str(a.value);
      if (a.append) v = (this.getVar(a.name) ?? '') + v;
      assigns.push([a.name, v]);
    }
    if (this.opts.xtrace) {
      for (const [n, v] of assigns) this.trace(`${n}=${xtraceQuote(v)}`);
      this.trace(argv.map(xtraceQuote).join(' '));
    }
    let saved: Saved = [];
    if (cmd.redirs.length) {
      const s = yield* this.redirect(cmd.redirs);
      if (!s) return 1;
      saved = s;
    }
    this.commitRedirs = false;
    try {
      const st = yield* this.invoke(argv, assigns);
      // local a=(...): the builtin declared it, now the elements
      for (const a of arrays) if (!(yield* this.assign(a))) return 1;
      return st;
    } finally {
      if (this.commitRedirs) {
        for (const { prev } of saved) if (prev) closeFd(prev);
      } else this.restore(saved);
      this.commitRedirs = false;
    }
  }

  /** Runs a command by name: a function, a builtin, or a program. */
  *invoke(argv: string[], assigns: readonly (readonly [string, string])[] = []): Gen<number> {
    const name = argv[0] as string;
    const fn = this.funcs.get(name);
    if (fn) return yield* this.withTemps(assigns, () => this.callFunction(fn, argv.slice(1)));
    const bi = BUILTINS.get(name);
    if (bi) {
      this.badWrite = false;
      let st = yield* this.withTemps(assigns, () => bi(this, argv));
      if (this.sigpipe.sigpipe) throw new ExitSignal(141);
      if (this.badWrite) {
        const why = this.badWrite === true ? 'Bad file descriptor' : this.badWrite;
        this.badWrite = false;
        this.err(`${name}: write error: ${why}`);
        st = 1;
      }
      return st & 255;
    }
    return yield* this.runProgram(argv, assigns);
  }

  *runProgram(argv: readonly string[], assigns: readonly (readonly [string, string])[]): Gen<number> {
    const name = argv[0] as string;
    const prog = lookupProgram(this.world, name);
    if (!prog) {
      // a real Linux program skbpath lacks: say so rather than suggest a typo
      const base = /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(name)?.[1] ?? name;
      if (isUnsimulatedProgram(base)) this.write(2, unsimulatedMessage(base));
      else if (this.g.dash) this.write(2, `${this.name}: ${this.line}: ${name}: not found\n`);
      else this.err(name.includes('/') ? `${name}: ${ERRNO_TEXT.ENOENT}` : `${name}: command not found`);
      return 127;
    }
    const state = { sigpipe: false };
    const ctx = makeCtx(
      this.world,
      argv,
      this.inStream(0),
      new ProcOut(this.outStream(1), state),
      new ProcOut(this.outStream(2), state),
      this.net,
      this.environment(assigns),
    );
    const st = (yield* drive(prog(ctx), state, this.world.sim.sched)) & 255;
    // bash reports background jobs a signal ended once it has waited for a foreground child
    this.notifyJobs();
    return st;
  }

  private *withTemps<T>(assigns: readonly (readonly [string, string])[], fn: () => Gen<T>): Gen<T> {
    if (assigns.length === 0) return yield* fn();
    const saved = new Map<string, Var | undefined>();
    for (const [n, v] of assigns) {
      const cur = this.vars.get(n);
      if (cur?.readonly) {
        this.err(`${n}: readonly variable`);
        continue;
      }
      if (!saved.has(n)) saved.set(n, cur ? copyVar(cur) : undefined);
      this.vars.set(n, { value: v, exported: true, readonly: false, temp: true });
    }
    try {
      return yield* fn();
    } finally {
      for (const [n, v] of saved) {
        if (v) this.vars.set(n, v);
        else this.vars.delete(n);
      }
    }
  }

  *callFunction(fn: A.FuncDef, args: string[]): Gen<number> {
    if (this.funcDepth >= MAX_FUNC_DEPTH) {
      this.err(`${fn.name}: maximum function nesting level exceeded (${MAX_FUNC_DEPTH})`);
      throw new AbortSignal(1);
    }
    if (this.funcDepth > 0 && this.funcDepth % STACK_HOP === 0) return yield* this.onFreshStack(() => this.callBody(fn, args));
    return yield* this.callBody(fn, args);
  }

  /**
   * Runs a generator as a task of its own that shares this shell, so deep
   * recursion continues on a fresh JavaScript stack; what it throws is
   * rethrown here.
   */
  private *onFreshStack(body: () => Gen<number>): Gen<number> {
    const box: { st: number; err?: unknown } = { st: 0 };
    const sched = this.world.sim.sched;
    const task = sched.spawn(
      'bash',
      (function* (): Gen<number> {
        try {
          box.st = yield* body();
        } catch (e) {
          box.err = e;
        }
        return 0;
      })(),
    );
    try {
      yield waitChild(task);
    } finally {
      if (task.state !== 'exited') sched.kill(task, 143);
    }
    if ('err' in box) throw box.err;
    return box.st;
  }

  private *callBody(fn: A.FuncDef, args: string[]): Gen<number> {
    const savedParams = this.params;
    this.params = args;
    this.funcDepth++;
    const frame = new Map<string, Var | undefined>();
    this.locals.push(frame);
    try {
      return yield* this.runCommand(fn.body);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      this.locals.pop();
      for (const [n, v] of frame) {
        if (v) this.vars.set(n, v);
        else this.vars.delete(n);
      }
      this.params = savedParams;
      this.funcDepth--;
    }
  }

  /** Parses and runs text in this shell: eval (name null), a sourced file, a trap (its own lines). */
  *runText(src: string, name: string | null, trap = false): Gen<number> {
    // a file that sources itself, an eval of itself: bash recurses until its
    // stack runs out (SIGSEGV); this shell stops at a bound, as at FUNCNEST
    if (this.textDepth >= MAX_TEXT_DEPTH) {
      this.err(`${name ?? 'eval'}: maximum source nesting level exceeded (${MAX_TEXT_DEPTH})`);
      throw new AbortSignal(1);
    }
    this.textDepth++;
    try {
      if (this.textDepth % STACK_HOP === 0) return yield* this.onFreshStack(() => this.runTextHere(src, name, trap));
      return yield* this.runTextHere(src, name, trap);
    } finally {
      this.textDepth--;
    }
  }

  private *runTextHere(src: string, name: string | null, trap: boolean): Gen<number> {
    const script = parse(src);
    const savedBase = this.lineBase;
    const savedName = this.name;
    const evalLine = this.line;
    if (trap) this.lineBase = 0;
    else if (name === null) this.lineBase = this.line - 1;
    else {
      this.lineBase = 0;
      this.name = name;
    }
    let st = 0;
    try {
      for (const c of script.commands) {
        for (const w of c.warnings) this.write(2, `${this.name}: line ${w.line + this.lineBase}: ${w.message}\n`);
        st = yield* this.runList(c.list);
      }
      if (script.error) {
        const e = script.error;
        const where = name !== null ? `${this.name}: line ${e.line}` : `${savedName}: eval: line ${e.line + this.lineBase}`;
        this.write(2, `${where}: ${e.message}\n`);
        if (e.context !== null) this.write(2, `${where}: \`${e.context}'\n`);
        st = 2;
        this.status = 2;
      }
    } finally {
      this.lineBase = savedBase;
      this.name = savedName;
      this.line = evalLine;
    }
    return st;
  }

  trace(text: string): void {
    const ps4 = this.getVar('PS4') ?? '+ ';
    const first = ps4.slice(0, 1);
    this.write(2, first.repeat(Math.max(0, this.traceDepth - 1)) + ps4 + text + '\n');
  }

  // ---- redirections

  *redirect(redirs: readonly A.Redir[]): Gen<Saved | null> {
    const saved: Saved = [];
    for (const r of redirs) {
      const res = yield* this.openRedir(r);
      if (res === null) {
        this.restore(saved);
        return null;
      }
      for (const [fd, f] of res) {
        saved.push({ fd, prev: this.fds[fd] });
        if (f) dupFd(f);
        this.fds[fd] = f;
      }
    }
    return saved;
  }

  restore(saved: Saved): void {
    for (let i = saved.length - 1; i >= 0; i--) {
      const { fd, prev } = saved[i] as Saved[number];
      const cur = this.fds[fd];
      if (cur) closeFd(cur);
      this.fds[fd] = prev;
    }
  }

  private *openRedir(r: A.Redir): Gen<[number, Fd | undefined][] | null> {
    const op = r.op;
    if (op === '<<' || op === '<<-') {
      const body = r.heredoc?.body;
      const text = body ? yield* this.str(body, true) : '';
      // the expanded text is held while the command runs: it must fit in the budget
      const mem = this.world.sim.mem;
      mem.charge('here-documents', text.length);
      mem.uncharge('here-documents', text.length);
      return [[r.fd ?? 0, inFd(text)]];
    }
    if (op === '<<<') return [[r.fd ?? 0, inFd((yield* this.str(r.target)) + '\n')]];
    if (op === '>&' || op === '<&') {
      const t = yield* this.str(r.target);
      const def = op === '>&' ? 1 : 0;
      if (t === '-') return [[r.fd ?? def, undefined]];
      if (/^\d+$/.test(t)) {
        const src = this.fds[Number(t)];
        if (!src) {
          this.err(`${t}: Bad file descriptor`);
          return null;
        }
        return [[r.fd ?? def, src]];
      }
      if (op === '<&' || r.fd !== null) {
        this.err(`${r.target.raw}: ambiguous redirect`);
        return null;
      }
    }
    const fields = yield* this.fields(r.target);
    if (fields.length !== 1) {
      this.err(`${r.target.raw}: ambiguous redirect`);
      return null;
    }
    const path = fields[0] as string;
    if (op === '<' || op === '<>') {
      const f = this.openIn(path);
      if (typeof f === 'string') {
        this.err(`${path}: ${f}`);
        return null;
      }
      return [[r.fd ?? 0, f]];
    }
    const f = this.openOut(path, op === '>>' || op === '&>>');
    if (typeof f === 'string') {
      this.err(`${path}: ${f}`);
      return null;
    }
    if (op === '&>' || op === '&>>' || op === '>&')
      return [
        [1, f],
        [2, f],
      ];
    return [[r.fd ?? 1, f]];
  }

  private devFd(path: string): number | null {
    if (path === '/dev/stdin') return 0;
    if (path === '/dev/stdout') return 1;
    if (path === '/dev/stderr') return 2;
    const m = /^\/dev\/fd\/(\d+)$/.exec(path);
    return m ? Number(m[1]) : null;
  }

  openIn(path: string): Fd | string {
    if (path === '/dev/null' || path === '/dev/zero') return inFd('');
    const n = this.devFd(path);
    if (n !== null) return this.fds[n] ?? 'Bad file descriptor';
    if (path === '') return ERRNO_TEXT.ENOENT;
    const r = this.world.vfs.readFile(path, this.net);
    if (typeof r !== 'string') return r.errno === 'EISDIR' ? inFd('') : ERRNO_TEXT[r.errno];
    return { k: 'in', s: new BufferedIn(new StringIn(utf8Decode(r)), r.length) };
  }

  openOut(path: string, append: boolean): Fd | string {
    if (path === '/dev/null') return { k: 'out', s: new NullOut() };
    const n = this.devFd(path);
    if (n !== null) return this.fds[n] ?? 'Bad file descriptor';
    if (path === '') return ERRNO_TEXT.ENOENT;
    const vfs = this.world.vfs;
    const r = vfs.writeFile(path, '', append, this.net);
    if (r) return ERRNO_TEXT[r.errno];
    return { k: 'out', s: new FileOut(vfs, path, this.net) };
  }

  // ---- expansion

  /** Brace expansion, after checking that its words fit in what is left of the memory budget. */
  braces(w: A.Word): A.Word[] {
    if (!w.raw.includes('{')) return [w];
    const n = braceCount(w);
    const mem = this.world.sim.mem;
    // what the words cost this engine while they exist: UTF-16 text plus a word
    // object and its parts (about 256 bytes measured), not bash's few bytes a word
    const bytes = n * (2 * w.raw.length + BRACE_WORD_OVERHEAD);
    if (mem.used + bytes > mem.limit) {
      throw mem.exceeded(
        `a brace expansion of ${n > 1e15 ? n.toExponential(2) : n} words (${w.raw.length > 40 ? `${w.raw.slice(0, 40)}...` : w.raw})`,
      );
    }
    return braceExpand(w);
  }

  *fields(w: A.Word): Gen<string[]> {
    const segs: Seg[] = [];
    yield* this.segs(w.parts, false, segs, false);
    return splitFields(segs, this.getVar('IFS'));
  }

  /** A word expanded without splitting (assignments, case, here-documents). */
  *str(w: A.Word, quoted = false): Gen<string> {
    const segs: Seg[] = [];
    yield* this.segs(w.parts, quoted, segs, false);
    return joinSegs(segs);
  }

  *pattern(w: A.Word): Gen<PatChar[]> {
    const segs: Seg[] = [];
    yield* this.segs(w.parts, false, segs, false);
    return patternChars(segs);
  }

  private *segs(parts: readonly A.WordPart[], inDq: boolean, out: Seg[], argMode: boolean): Gen<void> {
    const k = inDq ? 'q' : 'exp';
    for (const p of parts) {
      switch (p.t) {
        case 'lit':
          out.push({ s: p.s, k: inDq ? 'q' : argMode ? 'exp' : 'lit' });
          break;
        case 'sq':
          out.push({ s: p.s, k: 'q' });
          break;
        case 'dq':
          if (!p.parts.some(isListParam)) out.push({ s: '', k: 'q' });
          yield* this.segs(p.parts, true, out, false);
          break;
        case 'param':
          yield* this.param(p, inDq, out);
          break;
        case 'cmdsub': {
          const s = yield* this.cmdsub(p.body, p.line0);
          out.push({ s: s.replace(/\n+$/, ''), k });
          break;
        }
        case 'arith':
          out.push({ s: String(yield* this.arith(p.expr)), k });
          break;
        case 'bad':
          this.err(`${p.raw}: bad substitution`);
          throw new AbortSignal(1);
        case 'array':
          out.push({ s: `(${p.elems.map((e) => e.raw).join(' ')})`, k: 'lit' });
          break;
      }
    }
  }

  /** The value of a parameter, undefined when unset. */
  paramValue(name: string): string | undefined {
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      return n === 0 ? this.arg0 : this.params[n - 1];
    }
    switch (name) {
      case '?':
        return String(this.status);
      case '#':
        return String(this.params.length);
      case '$':
        return String(this.g.pid);
      case '!':
        return this.lastBg ? String(this.lastBg.pid) : undefined;
      case '-':
        return (this.opts.errexit ? 'e' : '') + 'h' + (this.opts.nounset ? 'u' : '') + (this.opts.xtrace ? 'x' : '') + 'B';
    }
    return this.getVar(name);
  }

  private unbound(name: string): never {
    this.err(`${/^\d+$/.test(name) ? '$' + name : name}: unbound variable`);
    throw this.expansionExit();
  }

  /** ${name[sub]}: PIPESTATUS is the one array; a scalar is element 0. */
  /** ${!prefix*}: the set variables' names that start with prefix, sorted as bash sorts them; ${!a[@]}: a's indices. */
  private listing(name: string, kind: 'names' | 'keys'): string[] {
    if (kind === 'keys') {
      const v = this.vars.get(name);
      if (!v) return [];
      if (!v.arr) return v.value === null ? [] : ['0'];
      const keys: string[] = [];
      v.arr.forEach((e, i) => {
        if (e !== undefined) keys.push(String(i));
      });
      return keys;
    }
    const names: string[] = [];
    for (const [n, v] of this.vars) if (n.startsWith(name) && (v.value !== null || v.arr)) names.push(n);
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private *subscript(p: A.ParamPart, index: A.Word): Gen<{ list: string[] | null; star: boolean; v: string | undefined }> {
    const sub = (yield* this.str(index, true)).trim();
    const arr = this.elements(p.name);
    if (sub === '@' || sub === '*') return { list: arr.filter((x) => x !== undefined), star: sub === '*', v: undefined };
    const i = Number(this.arithText(sub));
    return { list: null, star: false, v: arr[i < 0 ? arr.length + i : i] };
  }

  /** The elements of $@, $* or ${a[@]}: separate fields, or one joined by IFS's first character in "$*". */
  private listSegs(args: readonly string[], name: string, inDq: boolean, out: Seg[]): void {
    const k = inDq ? 'q' : 'exp';
    const ifs = this.getVar('IFS');
    const sep = ifs === undefined ? ' ' : ifs.slice(0, 1);
    if (inDq && name === '*') {
      out.push({ s: args.join(sep), k: 'q' });
      return;
    }
    args.forEach((a, i) => {
      if (i > 0) out.push({ brk: inDq ? 'hard' : 'soft', j: name === '*' ? sep : ' ' });
      out.push({ s: a, k });
    });
  }

  private *param(p: A.ParamPart, inDq: boolean, out: Seg[]): Gen<void> {
    const k = inDq ? 'q' : 'exp';
    if (p.listing) {
      this.listSegs(this.listing(p.name, p.listing.kind), p.listing.star ? '*' : '@', inDq, out);
      return;
    }
    let name = p.name;
    if (p.indirect) {
      const target = this.paramValue(name);
      if (target === undefined || target === '') {
        this.err(`${name}: invalid indirect expansion`);
        throw new AbortSignal(1);
      }
      if (!/^([A-Za-z_][A-Za-z0-9_]*|\d+|[@*#?$!-])$/.test(target)) {
        this.err(`${target}: invalid variable name`);
        throw new AbortSignal(1);
      }
      name = target;
    }
    let list: string[] | null = name === '@' || name === '*' ? this.params : null;
    let scalar: { v: string | undefined } | null = null;
    if (p.index) {
      const r = yield* this.subscript(p, p.index);
      if (r.list) {
        list = r.list;
        name = r.star ? '*' : '@';
      } else {
        list = null;
        scalar = { v: r.v };
      }
    }
    if (list && (p.op === null || p.op === ':')) {
      let args = list;
      if (p.op === ':') {
        const off = Number(this.arithText(yield* this.str(p.arg as A.Word)));
        const all = p.index ? list : [this.arg0, ...this.params];
        const start = off < 0 ? Math.max(0, all.length + off) : off;
        args = all.slice(start);
        if (p.arg2) {
          const len = Number(this.arithText(yield* this.str(p.arg2)));
          args = len < 0 ? args.slice(0, Math.max(0, args.length + len)) : args.slice(0, len);
        }
      }
      this.listSegs(args, name, inDq, out);
      return;
    }
    if (p.op === 'len') {
      if (list) {
        out.push({ s: String(list.length), k });
        return;
      }
      const v = scalar ? scalar.v : this.paramValue(name);
      if (v === undefined && this.opts.nounset) this.unbound(name);
      out.push({ s: String([...(v ?? '')].length), k });
      return;
    }
    let v = list ? list.join(' ') : scalar ? scalar.v : this.paramValue(name);
    switch (p.op) {
      case null:
        if (v === undefined && this.opts.nounset) this.unbound(name);
        out.push({ s: v ?? '', k });
        return;
      case '-':
      case '=':
      case '+':
      case '?': {
        const set = v !== undefined && (!p.colon || v !== '');
        if (p.op === '+') {
          if (set && p.arg) yield* this.segs(p.arg.parts, inDq, out, true);
          return;
        }
        if (set) {
          if (list) this.listSegs(list, name, inDq, out);
          else out.push({ s: v as string, k });
          return;
        }
        if (p.op === '-') {
          if (p.arg) yield* this.segs(p.arg.parts, inDq, out, true);
          return;
        }
        const a = p.arg ? yield* this.str(p.arg, inDq) : '';
        if (p.op === '=') {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
            this.err(`$${name}: cannot assign in this way`);
            throw new AbortSignal(1);
          }
          this.setVar(name, a);
          out.push({ s: a, k });
          return;
        }
        const msg = a !== '' ? a : p.colon ? 'parameter null or not set' : 'parameter not set';
        this.err(`${name}: ${msg}`);
        throw this.expansionExit();
      }
    }
    if (v === undefined) {
      if (this.opts.nounset) this.unbound(name);
      v = '';
    }
    switch (p.op) {
      case '#':
      case '##':
      case '%':
      case '%%': {
        const pat = p.arg ? yield* this.pattern(p.arg) : [];
        out.push({ s: removeAffix(v, pat, p.op), k });
        return;
      }
      case '/':
      case '//':
      case '/#':
      case '/%': {
        const pat = p.arg ? yield* this.pattern(p.arg) : [];
        const rep = p.arg2 ? yield* this.str(p.arg2, inDq) : '';
        out.push({ s: replacePattern(v, pat, rep, p.op), k });
        return;
      }
      case ':': {
        const chars = [...v];
        let off = Number(this.arithText(yield* this.str(p.arg as A.Word)));
        if (off < 0) off = Math.max(0, chars.length + off);
        let end = chars.length;
        if (p.arg2) {
          const len = Number(this.arithText(yield* this.str(p.arg2)));
          if (len < 0) {
            end = chars.length + len;
            if (end < off) {
              this.err(`${len}: substring expression < 0`);
              throw new AbortSignal(1);
            }
          } else end = Math.min(chars.length, off + len);
        }
        out.push({ s: chars.slice(off, end).join(''), k });
        return;
      }
      case '^^':
        out.push({ s: v.toUpperCase(), k });
        return;
      case ',,':
        out.push({ s: v.toLowerCase(), k });
        return;
    }
  }

  /** $(< file): the file's contents, without a subshell. */
  private *readSubst(body: A.List): Gen<string | null> {
    const only = body.items.length === 1 ? body.items[0] : undefined;
    const p = only && !only.bg && only.ao.rest.length === 0 ? only.ao.first : undefined;
    const c = p && !p.bang && p.cmds.length === 1 ? p.cmds[0] : undefined;
    if (!c || c.t !== 'simple' || c.words.length || c.assigns.length || c.redirs.length !== 1) return null;
    const r = c.redirs[0] as A.Redir;
    if (r.op !== '<' || (r.fd !== null && r.fd !== 0)) return null;
    const fields = yield* this.fields(r.target);
    const path = fields.length === 1 ? (fields[0] as string) : null;
    const f = path === null ? `${r.target.raw}: ambiguous redirect` : this.openIn(path);
    if (typeof f === 'string') {
      this.err(path === null ? f : `${path}: ${f}`);
      this.cmdsubStatus = this.status = 1;
      return '';
    }
    this.cmdsubStatus = this.status = 0;
    if (f.k !== 'in') return '';
    let out = '';
    for (;;) {
      const s = yield* f.s.read();
      if (s === null) return this.dropNul(out);
      out += s;
    }
  }

  /** A shell string is a C string: the NUL bytes of a command substitution's output are dropped, with bash's warning. */
  private dropNul(out: string): string {
    if (!out.includes('\0')) return out;
    const what = 'warning: command substitution: ignored null byte in input';
    this.write(2, this.g.commandMode ? `${this.name}: ${what}\n` : `${this.prefix()}${what}\n`);
    return out.replace(/\0/g, '');
  }

  private *cmdsub(body: A.List, line0: number): Gen<string> {
    const direct = yield* this.readSubst(body);
    if (direct !== null) return direct;
    const sub = this.fork();
    // bash clears -e in command substitutions unless inherit_errexit is set
    sub.opts.errexit = false;
    sub.lineBase = this.line - line0;
    sub.traceDepth = this.traceDepth + 1;
    const pipe = new Pipe(this.world.sim.mem);
    sub.setFd(1, { k: 'out', s: pipe.writer });
    pipe.reader.dup();
    const task = this.spawn(sub, () => sub.runList(body));
    let out = '';
    const mem = this.world.sim.mem;
    try {
      for (;;) {
        const s = yield* pipe.reader.read();
        if (s === null) break;
        mem.charge('command substitutions', s.length);
        out += s;
      }
    } finally {
      pipe.reader.close();
      mem.uncharge('command substitutions', out.length);
    }
    const st = (yield waitChild(task)) as number;
    this.cmdsubStatus = st;
    this.status = st;
    return this.dropNul(out);
  }

  /** Expands and evaluates an arithmetic word. */
  *arith(w: A.Word): Gen<bigint> {
    return this.arithText(yield* this.str(w, true));
  }

  arithText(text: string): bigint {
    try {
      return evalArith(text, {
        get: (n) => {
          const v = this.getVar(n);
          if (v === undefined && this.opts.nounset) this.unbound(n);
          return v;
        },
        set: (n, v) => {
          if (!this.setVar(n, v)) throw new AbortSignal(1);
        },
        getAt: (n, i) => {
          const arr = this.elements(n);
          return arr[i < 0 ? arr.length + i : i];
        },
        setAt: (n, i, v) => {
          if (!this.setElement(n, i, v, false)) throw new AbortSignal(1);
        },
      });
    } catch (e) {
      if (e instanceof ArithError) {
        this.err(e.message);
        throw new AbortSignal(1);
      }
      throw e;
    }
  }
}

/**
 * The right side of [[ =~ ]] as the POSIX ERE bash gives regcomp: quoted
 * characters outside a bracket expression get a backslash (they match
 * themselves); inside one every character is literal already.
 */
function ereSource(chars: readonly PatChar[]): string {
  let out = '';
  let bracket = -1;
  for (let i = 0; i < chars.length; i++) {
    const { c, active } = chars[i] as PatChar;
    if (bracket >= 0) {
      // a ']' first in the bracket (after '[' or '[^') is a member; [:class:] is one item
      if (active && c === '[' && chars[i + 1]?.c === ':') {
        const close = chars.findIndex((x, j) => j > i + 1 && x.c === ':' && chars[j + 1]?.c === ']');
        if (close > 0) {
          out += chars
            .slice(i, close + 2)
            .map((x) => x.c)
            .join('');
          i = close + 1;
          continue;
        }
      }
      if (c === ']' && i > bracket + 1 && !(i === bracket + 2 && chars[bracket + 1]?.c === '^')) bracket = -1;
      out += c;
      continue;
    }
    if (!active) {
      out += /[\\^$.*+?()[\]{}|]/.test(c) ? `\\${c}` : c;
      continue;
    }
    if (c === '[') bracket = i;
    out += c;
    if (c === '\\' && i + 1 < chars.length) out += (chars[++i] as PatChar).c;
  }
  return out;
}

/**
 * The world with its working directory moved to dir: relative paths get dir/
 * in front (the Vfs still refuses what leaves the scenario's directory);
 * absolute ones (/proc, /sys, /dev) are the same.
 */
function inDirectory(world: World, dir: string): World {
  const base = world.vfs;
  const at = (p: string): string => {
    if (p.startsWith('/') || p === '') return p;
    const n = normalizeRelative(`${dir}/${p}`);
    // past the top: left for the Vfs to refuse
    return n === null ? `../${p}` : n === '' ? '.' : n;
  };
  const vfs: Vfs = {
    readFile: (p, net) => base.readFile(at(p), net),
    writeFile: (p, data, append, net) => base.writeFile(at(p), data, append, net),
  };
  if (base.readChunks) {
    const chunks = base.readChunks.bind(base);
    vfs.readChunks = (p, net) => chunks(at(p), net);
  }
  return Object.create(world, { vfs: { value: vfs } }) as World;
}

/** "$@", "${a[@]}", "${!a[@]}" and "${!prefix@}": nothing at all when there are no elements. */
function isListParam(p: A.WordPart): boolean {
  if (p.t !== 'param' || (p.op !== null && p.op !== ':')) return false;
  if (p.listing) return !p.listing.star;
  if (p.index) return p.index.raw.trim() === '@';
  return p.name === '@';
}

const DECLARATION_BUILTINS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

function arrayAssignment(w: A.Word): A.Assign | null {
  const p = w.parts[0];
  const arr = w.parts[1];
  if (w.parts.length !== 2 || p?.t !== 'lit' || arr?.t !== 'array') return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=$/.exec(p.s);
  return m ? { name: m[1] as string, index: null, append: m[2] === '+', value: { parts: [arr], raw: w.raw } } : null;
}

function isAssignmentWord(w: A.Word): boolean {
  const p = w.parts[0];
  return p !== undefined && p.t === 'lit' && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(p.s);
}

function errexitApplies(p: A.Pipeline): boolean {
  if (p.cmds.length > 1) return true;
  const c = p.cmds[0] as A.Command;
  return !(c.t === 'group' || c.t === 'if' || c.t === 'while' || c.t === 'for' || c.t === 'cfor' || c.t === 'case');
}

function removeAffix(v: string, pat: PatChar[], op: '#' | '##' | '%' | '%%'): string {
  const n = v.length;
  let src: string;
  try {
    src = patternSource(pat);
    new RegExp(src);
  } catch {
    return v;
  }
  // the longest prefix (a glob's regex matched greedily from the start ends as far as any match can)
  // and the longest suffix (the leftmost start from which it matches to the end) in one search each
  const prefix = new RegExp(`^(?:${src})`, 's').exec(v);
  const suffix = new RegExp(`(?:${src})$`, 's').exec(v);
  const re = new RegExp(`^(?:${src})$`, 's');
  if (op === '##') return prefix ? v.slice(prefix[0].length) : v;
  if (op === '%%') return suffix ? v.slice(0, suffix.index) : v;
  if (op === '#') {
    if (!prefix) return v;
    for (let i = 0; i <= n; i++) if (re.test(v.slice(0, i))) return v.slice(i);
  } else {
    if (!suffix) return v;
    for (let i = n; i >= 0; i--) if (re.test(v.slice(i))) return v.slice(0, i);
  }
  return v;
}

function replacePattern(v: string, pat: PatChar[], rep: string, op: '/' | '//' | '/#' | '/%'): string {
  if (pat.length === 0) return v;
  const n = v.length;
  if (op === '/%') {
    const re = patternRegex(pat, 's');
    for (let i = 0; i <= n; i++) if (re.test(v.slice(i))) return v.slice(0, i) + rep;
    return v;
  }
  // the longest match at a position: a glob's regex (literals, classes and
  // [\s\S]* only) matched greedily from there ends as far as any match can
  let at: RegExp;
  try {
    at = new RegExp(patternSource(pat), 'sy');
  } catch {
    return v;
  }
  const longestAt = (i: number): number => {
    at.lastIndex = i;
    return at.exec(v) ? at.lastIndex : -1;
  };
  if (op === '/#') {
    const j = longestAt(0);
    return j >= 0 ? rep + v.slice(j) : v;
  }
  const out: string[] = [];
  let i = 0;
  let from = 0;
  while (i < n) {
    const j = longestAt(i);
    if (j > i) {
      out.push(v.slice(from, i), rep);
      i = from = j;
      if (op === '/') break;
      continue;
    }
    i++;
  }
  out.push(v.slice(from));
  return out.join('');
}

/** What test and [[ ]] see of a path. */
export function statPath(world: World, path: string): { kind: 'file' | 'dir' | 'char'; size: number } | null {
  if (path === '/dev/null' || path === '/dev/zero' || path === '/dev/stdin' || path === '/dev/stdout' || path === '/dev/stderr') {
    return { kind: 'char', size: 0 };
  }
  if (path === '') return null;
  // a streaming Vfs is asked for the first piece only: a large file is not read whole to be tested
  const r = fileChunks(world.vfs, path);
  if (Symbol.iterator in r) {
    const it = r[Symbol.iterator]();
    const first = it.next();
    it.return?.();
    const head = first.done ? '' : first.value;
    return { kind: 'file', size: Array.isArray(r) ? (r[0]?.length ?? 0) : head.length };
  }
  if (r.errno === 'EISDIR') return { kind: 'dir', size: 0 };
  return null;
}

/** A forked task's body: runs, maps exit/return/abort to a status, closes its fds. */
function* subMain(sub: Shell, body: () => Gen<number>): Gen<number> {
  try {
    return (yield* body()) & 255;
  } catch (e) {
    const st = statusOf(e);
    if (st === null) throw e;
    return st;
  } finally {
    sub.closeAll();
    sub.world.sim.mem.uncharge('shell variables', sub.varBytes);
    sub.varBytes = 0;
  }
}

/**
 * The main program of a shell: runs each complete command (numbered from
 * `lineOffset` + 1), then, at the end of the last part or at `exit`, the EXIT trap.
 */
export function* shellMain(sh: Shell, script: A.Script, lineOffset = 0, last = true): Gen<{ status: number; exited: boolean }> {
  let status = 0;
  let exited = false;
  const at = (line: number): string => `${sh.name}: line ${line + lineOffset}: `;
  // bash -c: the parser names the string `-c`
  const atSyntax = (line: number): string => (sh.g.commandMode ? `${sh.name}: -c: line ${line + lineOffset}: ` : at(line));
  const atWarn = at;
  sh.lineBase = lineOffset;
  try {
    for (const c of script.commands) {
      for (const w of c.warnings) sh.write(2, `${atWarn(w.line)}${w.message}\n`);
      try {
        yield* sh.runList(c.list);
      } catch (e) {
        if (!(e instanceof AbortSignal)) throw e;
        sh.status = e.status;
      }
    }
    if (script.error) {
      const e = script.error;
      for (const w of script.trailingWarnings) sh.write(2, `${atWarn(w.line)}${w.message}\n`);
      sh.write(2, `${atSyntax(e.line)}${e.message}\n`);
      if (e.context !== null) sh.write(2, `${atSyntax(e.line)}\`${e.context}'\n`);
      sh.status = 2;
      exited = true;
    }
    status = sh.status;
  } catch (e) {
    const st = statusOf(e);
    if (st === null) throw e;
    status = st;
    exited = true;
  }
  const trap = sh.traps.get('EXIT');
  if (trap !== undefined && (exited || last)) {
    sh.traps.delete('EXIT');
    sh.status = status;
    try {
      yield* sh.runText(trap, null, true);
    } catch (e) {
      const st = statusOf(e);
      if (st === null) throw e;
      if (e instanceof ExitSignal) status = st;
    }
  }
  return { status: status & 255, exited };
}

/** A new top-level shell with its streams, variables and positional parameters. */
export function newShell(world: World, pid: number, opts: RunOptions, stdin: InStream): Shell {
  const g = new Global(world, pid, opts.command ?? false, opts.dash ?? false);
  const sh = new Shell(g, opts.net, opts.scriptName, opts.scriptName);
  sh.params = [...(opts.args ?? [])];
  for (const [k, v] of opts.env ?? []) sh.vars.set(k, { value: v, exported: true, readonly: false });
  if (!sh.vars.has('IFS')) sh.vars.set('IFS', { value: ' \t\n', exported: false, readonly: false });
  sh.setFd(0, { k: 'in', s: new BufferedIn(stdin) });
  sh.setFd(1, { k: 'out', s: opts.stdout });
  sh.setFd(2, { k: 'out', s: opts.stderr });
  applyFlags(sh, opts.flags ?? []);
  return sh;
}

/**
 * One shell run in parts that share its state (variables, functions, jobs,
 * traps), as when a driver pauses between a scenario's setup and its traffic.
 * Each part is a process to spawn; after `exit` the later parts do nothing.
 */
export class ShellSession {
  private sh: Shell | null = null;
  private exitStatus: number | null = null;

  constructor(
    readonly world: World,
    readonly opts: RunOptions,
  ) {}

  /** The status the shell exited with (`exit`, a fatal error), null while it goes on taking parts. */
  get exited(): number | null {
    return this.exitStatus;
  }

  /** Runs a part; firstLine numbers its first line as in the whole script. */
  run(source: string, part: { firstLine?: number; last?: boolean } = {}): Proc {
    const self = this;
    return (function* (): Gen<number> {
      if (self.exitStatus !== null) return self.exitStatus;
      const script = parse(source);
      const sched = self.world.sim.sched;
      const task = sched.spawn(
        'bash',
        (function* (): Gen<number> {
          const r = yield* shellMain(self.sh as Shell, script, (part.firstLine ?? 1) - 1, part.last ?? false);
          if (r.exited) self.exitStatus = r.status;
          return r.status;
        })(),
      );
      if (!self.sh) self.sh = newShell(self.world, task.pid, self.opts, self.opts.stdin ?? new StringIn(''));
      try {
        return (yield waitChild(task)) as number;
      } finally {
        if (task.state !== 'exited') sched.kill(task, 143);
      }
    })();
  }
}

/**
 * Runs a bash script: the process to spawn with `world.sim.sched.spawn`. It
 * ends with bash's exit status; $$ is the pid of the task it forks for the
 * shell proper.
 */
export function runScript(world: World, source: string, opts: RunOptions): Proc {
  return new ShellSession(world, opts).run(source, { last: true });
}

export { parse };
