// Shell builtins, with bash's messages and statuses, and the stand-ins for the
// /usr/bin programs a scenario may exec directly (echo, printf, test, bash).
import { waitChild, type Proc } from '../../sim/sched.ts';
import { sleepCommand } from '../coreutils.ts';
import { FILE_ERRNO_TEXT, normalizeRelative, utf8Decode } from '../fileio.ts';
import type { Command as Program, ProcCtx } from '../proc.ts';
import { ExitSignal, LoopSignal, ReturnSignal } from './control.ts';
import { dashEcho, echo, printf, shellQuote } from './format.ts';
import { copyVar, lookupProgram, runScript, statPath, type Gen, type Shell, type Var } from './interp.ts';
import { readAll } from './streams.ts';
import { evalTest } from './test_expr.ts';

export type Builtin = (sh: Shell, argv: string[]) => Gen<number>;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
};

function signalNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const n = s.toUpperCase().replace(/^SIG/, '');
  return SIGNALS[n] ?? null;
}

// eslint-disable-next-line require-yield
function* done(status: number): Gen<number> {
  return status;
}

function sync(f: (sh: Shell, argv: string[]) => number): Builtin {
  return (sh, argv) => done(f(sh, argv));
}

/** `local`, `export`, `declare` and `readonly` take NAME[=VALUE] arguments. */
function nameValue(a: string): { name: string; value: string | null } {
  const i = a.indexOf('=');
  return i < 0 ? { name: a, value: null } : { name: a.slice(0, i), value: a.slice(i + 1) };
}

function declareVar(sh: Shell, who: string, arg: string, attrs: { exported?: boolean; readonly?: boolean; local?: boolean }): number {
  const { name, value } = nameValue(arg);
  if (!NAME_RE.test(name)) {
    sh.err(`${who}: \`${arg}': not a valid identifier`);
    return 1;
  }
  if (attrs.local) {
    const frame = sh.locals[sh.locals.length - 1];
    if (frame && !frame.has(name)) {
      const cur = sh.vars.get(name);
      frame.set(name, cur ? copyVar(cur) : undefined);
      if (cur?.readonly) {
        sh.err(`${name}: readonly variable`);
        return 1;
      }
      // a local without a value takes one from the command's temporary environment
      sh.vars.set(name, { value: cur?.temp ? cur.value : null, exported: false, readonly: false });
    }
  }
  let v = sh.vars.get(name);
  if (value !== null) {
    if (!sh.setVar(name, value)) return 1;
    v = sh.vars.get(name);
  } else if (!v) {
    v = { value: null, exported: false, readonly: false };
    sh.vars.set(name, v);
  }
  const cur = v as Var;
  if (attrs.exported !== undefined) cur.exported = attrs.exported;
  if (attrs.readonly) cur.readonly = true;
  return 0;
}

const quoteDeclare = (v: string): string => '"' + v.replace(/(["\\$`])/g, '\\$1') + '"';

function listVars(sh: Shell, pred: (v: Var) => boolean, prefix: string): void {
  const names = [...sh.vars.keys()].sort();
  for (const n of names) {
    const v = sh.vars.get(n) as Var;
    if (!pred(v)) continue;
    const flags = (v.readonly ? 'r' : '') + (v.exported ? 'x' : '');
    sh.write(1, `${prefix} -${flags || '-'} ${n}${v.value === null ? '' : '=' + quoteDeclare(v.value)}\n`);
  }
}

const OPTION_NAMES: Record<string, keyof Shell['opts'] | null> = {
  errexit: 'errexit',
  nounset: 'nounset',
  xtrace: 'xtrace',
  pipefail: 'pipefail',
  noclobber: 'noclobber',
  allexport: null,
  braceexpand: null,
  hashall: null,
  interactive_comments: null,
  monitor: null,
  noglob: null,
  notify: null,
  posix: null,
  verbose: null,
  vi: null,
  emacs: null,
  noexec: null,
  errtrace: null,
  functrace: null,
  ignoreeof: null,
  keyword: null,
  nolog: null,
  onecmd: null,
  physical: null,
  privileged: null,
  history: null,
  histexpand: null,
};
const LETTERS: Record<string, keyof Shell['opts'] | null> = {
  e: 'errexit',
  u: 'nounset',
  x: 'xtrace',
  C: 'noclobber',
  a: null,
  b: null,
  f: null,
  h: null,
  k: null,
  m: null,
  n: null,
  p: null,
  t: null,
  v: null,
  B: null,
  E: null,
  H: null,
  P: null,
  T: null,
};

/** Applies `set` options; returns the status, or null to go on with positional arguments from index `i`. */
function setOptions(sh: Shell, args: string[]): { status: number; rest: string[] | null } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return { status: 0, rest: args.slice(i + 1) };
    if (a === '-' || a === '+') return { status: 0, rest: args.slice(i + 1).length ? args.slice(i + 1) : null };
    if (a[0] !== '-' && a[0] !== '+') return { status: 0, rest: args.slice(i) };
    const on = a[0] === '-';
    for (const c of a.slice(1)) {
      if (c === 'o') {
        const name = args[++i];
        if (name === undefined) {
          printOptions(sh);
          continue;
        }
        if (!(name in OPTION_NAMES)) {
          sh.err(`set: ${name}: invalid option name`);
          return { status: 2, rest: null };
        }
        const key = OPTION_NAMES[name];
        if (key) sh.opts[key] = on;
        continue;
      }
      if (!(c in LETTERS)) {
        sh.err(`set: ${a[0]}${c}: invalid option`);
        sh.write(2, 'set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n');
        return { status: 2, rest: null };
      }
      const key = LETTERS[c];
      if (key) sh.opts[key] = on;
    }
  }
  return { status: 0, rest: null };
}

function printOptions(sh: Shell): void {
  for (const name of Object.keys(OPTION_NAMES).sort()) {
    const key = OPTION_NAMES[name];
    const on = key ? sh.opts[key] : name === 'braceexpand' || name === 'hashall' || name === 'interactive_comments';
    sh.write(1, `${name.padEnd(15)}\t${on ? 'on' : 'off'}\n`);
  }
}

function loopControl(sh: Shell, argv: string[], cont: boolean): number {
  const who = argv[0] as string;
  let n = 1;
  if (argv[1] !== undefined) {
    if (!/^-?\d+$/.test(argv[1])) {
      sh.err(`${who}: ${argv[1]}: numeric argument required`);
      n = 1;
    } else n = Number(argv[1]);
    if (n < 1) {
      sh.err(`${who}: ${argv[1]}: loop count out of range`);
      return 1;
    }
  }
  if (sh.loopDepth === 0) {
    sh.err(`${who}: only meaningful in a \`for', \`while', or \`until' loop`);
    return 0;
  }
  throw new LoopSignal(Math.min(n, sh.loopDepth), cont);
}

/** The text `read` takes: up to the delimiter, honouring backslashes unless raw. */
function* readLine(
  sh: Shell,
  fd: number,
  delim: string,
  raw: boolean,
  nchars: number | null,
): Gen<{ text: string; quoted: boolean[]; eof: boolean }> {
  const input = sh.inStream(fd);
  let buf = '';
  let i = 0;
  let text = '';
  const quoted: boolean[] = [];
  const more = function* (): Gen<boolean> {
    const s = yield* input.read();
    if (s === null) return false;
    buf += s;
    return true;
  };
  for (;;) {
    if (nchars !== null && text.length >= nchars) break;
    if (i >= buf.length && !(yield* more())) return { text, quoted, eof: true };
    const c = buf[i] as string;
    if (!raw && c === '\\') {
      if (i + 1 >= buf.length && !(yield* more())) {
        i++;
        return { text, quoted, eof: true };
      }
      const n = buf[i + 1] as string;
      i += 2;
      if (n === '\n') continue;
      text += n;
      quoted.push(true);
      continue;
    }
    i++;
    if (c === delim && nchars === null) break;
    // a shell string cannot hold NUL: read drops it
    if (c === '\0') continue;
    text += c;
    quoted.push(false);
  }
  if (i < buf.length) input.unread(buf.slice(i));
  return { text, quoted, eof: false };
}

/** Splits what `read` took among its names, as bash does with IFS. */
function readSplit(text: string, quoted: boolean[], names: string[], ifs: string): string[] {
  const isWs = (k: number): boolean => !quoted[k] && ' \t\n'.includes(text[k] as string) && ifs.includes(text[k] as string);
  const isSep = (k: number): boolean => !quoted[k] && ifs.includes(text[k] as string);
  let i = 0;
  const n = text.length;
  while (i < n && isWs(i)) i++;
  const vals: string[] = [];
  for (let v = 0; v < names.length - 1; v++) {
    let s = '';
    while (i < n && !isSep(i)) s += text[i++];
    vals.push(s);
    // one separator: white space around at most one other IFS character
    while (i < n && isWs(i)) i++;
    if (i < n && isSep(i)) {
      i++;
      while (i < n && isWs(i)) i++;
    }
  }
  let end = n;
  while (end > i && isWs(end - 1)) end--;
  let last = text.slice(i, end);
  // a single trailing non-white-space separator ends the last field rather than belonging to it
  if (end > i && isSep(end - 1) && !isWs(end - 1)) {
    let seps = 0;
    for (let k = i; k < end; k++) if (isSep(k) && !isWs(k)) seps++;
    if (seps === 1) last = text.slice(i, end - 1);
  }
  vals.push(last);
  return vals;
}

export const BUILTINS = new Map<string, Builtin>();
const def = (names: string[], f: Builtin): void => {
  for (const n of names) BUILTINS.set(n, f);
};

def([':', 'true'], () => done(0));
def(['false'], () => done(1));

def(
  ['echo'],
  sync((sh, argv) => {
    sh.write(1, sh.g.dash ? dashEcho(argv.slice(1)) : echo(argv.slice(1)));
    return 0;
  }),
);

def(
  ['printf'],
  sync((sh, argv) => {
    let args = argv.slice(1);
    let varName: string | null = null;
    if (args[0] === '-v') {
      varName = args[1] ?? null;
      if (varName === null) {
        sh.err('printf: -v: option requires an argument');
        sh.write(2, 'printf: usage: printf [-v var] format [arguments]\n');
        return 2;
      }
      args = args.slice(2);
    }
    if (args[0] === '--') args = args.slice(1);
    const fmt = args[0];
    if (fmt === undefined) {
      sh.write(2, 'printf: usage: printf [-v var] format [arguments]\n');
      return 2;
    }
    const r = printf(fmt, args.slice(1));
    for (const e of r.errors) sh.err(`printf: ${e}`);
    if (varName !== null) {
      if (!NAME_RE.test(varName)) {
        sh.err(`printf: \`${varName}': not a valid identifier`);
        return 2;
      }
      if (!sh.setVar(varName, r.out)) return 1;
    } else sh.write(1, r.out);
    return r.status;
  }),
);

def(
  ['test', '['],
  sync((sh, argv) => {
    let args = argv.slice(1);
    if (argv[0] === '[') {
      if (args[args.length - 1] !== ']') {
        sh.err("[: missing `]'");
        return 2;
      }
      args = args.slice(0, -1);
    }
    return sh.test(args, argv[0] as string);
  }),
);

def(
  ['cd'],
  sync((sh, argv) => {
    const dir = argv[1];
    if (dir === undefined || dir === '') return 0;
    if (argv.length > 2) {
      sh.err('cd: too many arguments');
      return 1;
    }
    const st = statPath(sh.world, dir);
    // a directory below the scenario's; the programs see no other
    const to = st?.kind === 'dir' && !dir.startsWith('/') ? normalizeRelative(sh.cwd ? `${sh.cwd}/${dir}` : dir) : null;
    const r = st === null ? sh.world.vfs.readFile(dir) : null;
    if (r !== null && typeof r !== 'string') sh.err(`cd: ${dir}: ${FILE_ERRNO_TEXT[r.errno]}`);
    else if (st === null) sh.err(`cd: ${dir}: No such file or directory`);
    else if (st.kind !== 'dir') sh.err(`cd: ${dir}: Not a directory`);
    else if (to === null) sh.err(`cd: ${dir}: Permission denied`);
    else {
      const old = sh.getVar('PWD') ?? '/';
      sh.chdir(to);
      sh.setVar('OLDPWD', old);
      sh.setVar('PWD', `/${to}`);
      return 0;
    }
    return 1;
  }),
);

def(
  ['pwd'],
  sync((sh) => {
    sh.write(1, (sh.getVar('PWD') ?? '/') + '\n');
    return 0;
  }),
);

def(
  ['export'],
  sync((sh, argv) => {
    const args = argv.slice(1);
    let unexport = false;
    while (args[0]?.startsWith('-') && args[0] !== '-') {
      const o = args.shift() as string;
      if (o === '--') break;
      if (o.includes('n')) unexport = true;
    }
    if (args.length === 0) {
      listVars(sh, (v) => v.exported, 'declare');
      return 0;
    }
    let st = 0;
    for (const a of args) st |= declareVar(sh, 'export', a, { exported: !unexport });
    return st;
  }),
);

def(
  ['readonly'],
  sync((sh, argv) => {
    const args = argv.slice(1).filter((a) => !a.startsWith('-'));
    if (args.length === 0) {
      listVars(sh, (v) => v.readonly, 'declare');
      return 0;
    }
    let st = 0;
    for (const a of args) st |= declareVar(sh, 'readonly', a, { readonly: true });
    return st;
  }),
);

/**
 * Attributes bash has and this shell does not: said in one line rather than
 * ignored (an associative array silently used as an indexed one gives wrong values).
 */
const UNSIMULATED_ATTRS: Readonly<Record<string, string>> = {
  A: 'associative arrays',
  n: 'name references',
  i: 'integer variables',
  l: 'lower-case variables',
  u: 'upper-case variables',
};

function unsimulatedAttr(sh: Shell, who: string, c: string): number {
  sh.write(2, `skbpath: ${who} -${c} (${UNSIMULATED_ATTRS[c]}) is not simulated; see README "Supported commands"\n`);
  return 2;
}

def(
  ['local'],
  sync((sh, argv) => {
    if (sh.funcDepth === 0) {
      sh.err('local: can only be used in a function');
      return 1;
    }
    let st = 0;
    for (const a of argv.slice(1)) {
      if (a.startsWith('-')) {
        const c = [...a.slice(1)].find((x) => UNSIMULATED_ATTRS[x]);
        if (c) return unsimulatedAttr(sh, 'local', c);
        continue;
      }
      st |= declareVar(sh, 'local', a, { local: true });
    }
    return st;
  }),
);

def(
  ['declare', 'typeset'],
  sync((sh, argv) => {
    const attrs: { exported?: boolean; readonly?: boolean; local?: boolean } = { local: sh.funcDepth > 0 };
    const names: string[] = [];
    let print = false;
    for (const a of argv.slice(1)) {
      if ((a.startsWith('-') || a.startsWith('+')) && names.length === 0) {
        const on = a[0] === '-';
        for (const c of a.slice(1)) {
          if (c === 'x') attrs.exported = on;
          else if (c === 'r') attrs.readonly = on;
          else if (c === 'g') attrs.local = false;
          else if (c === 'p') print = true;
          else if (UNSIMULATED_ATTRS[c]) return unsimulatedAttr(sh, argv[0] as string, c);
        }
      } else names.push(a);
    }
    if (names.length === 0 || print) {
      const wanted = new Set(names.map((n) => nameValue(n).name));
      const pick = [...sh.vars.entries()].filter(([n]) => wanted.size === 0 || wanted.has(n)).map(([, v]) => v);
      listVars(sh, (v) => pick.includes(v), 'declare');
      return 0;
    }
    let st = 0;
    for (const a of names) st |= declareVar(sh, argv[0] as string, a, attrs);
    return st;
  }),
);

def(
  ['unset'],
  sync((sh, argv) => {
    let fn = false;
    let st = 0;
    for (const a of argv.slice(1)) {
      if (a === '-f') fn = true;
      else if (a === '-v') fn = false;
      else if (fn) sh.funcs.delete(a);
      else if (/^[A-Za-z_][A-Za-z0-9_]*\[.*\]$/.test(a)) {
        // unset NAME[i]
        const name = a.slice(0, a.indexOf('['));
        const v = sh.vars.get(name);
        const i = Number(sh.arithText(a.slice(name.length + 1, -1)));
        if (v?.arr) {
          v.arr[i < 0 ? v.arr.length + i : i] = undefined;
          v.value = v.arr[0] ?? null;
        } else if (v && i === 0) sh.unsetVar(name);
      } else if (NAME_RE.test(a)) {
        if (!sh.unsetVar(a)) st = 1;
      }
    }
    return st;
  }),
);

def(
  ['shift'],
  sync((sh, argv) => {
    let n = 1;
    const a = argv[1];
    if (a !== undefined) {
      if (!/^-?\d+$/.test(a)) {
        sh.err(`shift: ${a}: numeric argument required`);
        return 1;
      }
      n = Number(a);
      if (n < 0) {
        sh.err(`shift: ${a}: shift count out of range`);
        return 1;
      }
    }
    if (n > sh.params.length) return 1;
    sh.params = sh.params.slice(n);
    return 0;
  }),
);

def(
  ['set'],
  sync((sh, argv) => {
    const args = argv.slice(1);
    if (args.length === 0) {
      for (const n of [...sh.vars.keys()].sort()) {
        const v = sh.vars.get(n) as Var;
        if (v.value !== null) sh.write(1, `${n}=${shellQuoteSet(v.value)}\n`);
      }
      return 0;
    }
    const r = setOptions(sh, args);
    if (r.rest !== null) sh.params = r.rest;
    return r.status;
  }),
);

function shellQuoteSet(v: string): string {
  if (v === '') return "''";
  return /[^A-Za-z0-9_@%+=:,./-]/.test(v) ? (shellQuote(v).startsWith("$'") ? shellQuote(v) : "'" + v.replace(/'/g, "'\\''") + "'") : v;
}

// jobs [-lp] [jobspec ...]: a non-interactive shell has already cleaned up the
// jobs that ended, so only running ones are listed: "[N]+  Running   cmd &".
def(
  ['jobs'],
  sync((sh, argv) => {
    let long = false;
    let pids = false;
    const specs: string[] = [];
    for (const a of argv.slice(1)) {
      if (/^-[lp]+$/.test(a)) {
        long ||= a.includes('l');
        pids ||= a.includes('p');
      } else specs.push(a);
    }
    for (let i = 0; i < sh.jobs.length; i++) if (sh.jobs[i]?.state === 'exited') sh.jobs[i] = null;
    const running = sh.jobs.map((t, i) => [t, i + 1] as const).filter(([t]) => t !== null);
    const current = running[running.length - 1]?.[1];
    const previous = running[running.length - 2]?.[1];
    let st = 0;
    let chosen = running;
    if (specs.length) {
      chosen = [];
      for (const spec of specs) {
        const n = /^%\d+$/.test(spec) ? Number(spec.slice(1)) : NaN;
        const hit = running.find(([, k]) => k === n);
        if (!hit) {
          sh.err(`jobs: ${spec}: no such job`);
          st = 1;
        } else chosen.push(hit);
      }
    }
    for (const [t, n] of chosen) {
      const task = t as NonNullable<typeof t>;
      if (pids) {
        sh.write(1, `${task.pid}\n`);
        continue;
      }
      const mark = n === current ? '+' : n === previous ? '-' : ' ';
      const pid = long ? `${String(task.pid).padStart(5)} ` : ' ';
      sh.write(1, `[${n}]${mark} ${pid}${'Running'.padEnd(24)}${sh.jobText.get(task) ?? ''} &\n`);
    }
    return st;
  }),
);

def(['wait'], function* (sh, argv) {
  const args = argv.slice(1).filter((a) => a !== '-n' && a !== '-f');
  if (args.length === 0) {
    for (const t of [...sh.jobs]) if (t && !sh.inherited.has(t)) yield waitChild(t);
    sh.notifyJobs();
    sh.jobs.length = 0;
    return 0;
  }
  let st = 0;
  for (const a of args) {
    let task = null;
    if (/^%\d+$/.test(a)) {
      task = sh.jobs[Number(a.slice(1)) - 1] ?? null;
      if (!task) {
        sh.err(`wait: ${a}: no such job`);
        st = 127;
        continue;
      }
    } else if (/^\d+$/.test(a)) task = sh.jobs.find((t) => t?.pid === Number(a)) ?? null;
    else {
      sh.err(`wait: \`${a}': not a pid or valid job spec`);
      st = 2;
      continue;
    }
    if (!task || sh.inherited.has(task)) {
      sh.err(`wait: pid ${/^%/.test(a) && task ? task.pid : a} is not a child of this shell`);
      st = 127;
      continue;
    }
    st = (yield waitChild(task)) as number;
    sh.notifyJobs();
    // a job whose status was reported leaves the table
    const i = sh.jobs.indexOf(task);
    if (i >= 0) sh.jobs[i] = null;
  }
  return st;
});

def(
  ['exit'],
  sync((sh, argv) => {
    const a = argv[1];
    if (a === undefined) throw new ExitSignal(sh.status);
    if (!/^\s*[+-]?\d+\s*$/.test(a)) {
      sh.err(`exit: ${a}: numeric argument required`);
      throw new ExitSignal(2);
    }
    if (argv.length > 2) {
      sh.err('exit: too many arguments');
      return 1;
    }
    throw new ExitSignal(Number(BigInt.asUintN(8, BigInt(a.trim()))));
  }),
);

def(
  ['return'],
  sync((sh, argv) => {
    if (sh.funcDepth === 0 && sh.sourceDepth === 0) {
      sh.err("return: can only `return' from a function or sourced script");
      return 2;
    }
    const a = argv[1];
    if (a === undefined) throw new ReturnSignal(sh.status);
    if (!/^\s*[+-]?\d+\s*$/.test(a)) {
      sh.err(`return: ${a}: numeric argument required`);
      throw new ReturnSignal(2);
    }
    throw new ReturnSignal(Number(BigInt.asUintN(8, BigInt(a.trim()))));
  }),
);

def(
  ['break'],
  sync((sh, argv) => loopControl(sh, argv, false)),
);
def(
  ['continue'],
  sync((sh, argv) => loopControl(sh, argv, true)),
);

def(['read'], function* (sh, argv) {
  let raw = false;
  let delim = '\n';
  let fd = 0;
  let nchars: number | null = null;
  const names: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (names.length === 0 && a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        if (c === 'r') raw = true;
        else if (c === 's') continue;
        else if ('pdtnNua'.includes(c)) {
          const val = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (val === undefined) {
            sh.err(`read: -${c}: option requires an argument`);
            sh.write(
              2,
              'read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n',
            );
            return 2;
          }
          if (c === 'd') delim = val.slice(0, 1) || '\0';
          else if (c === 'n' || c === 'N') nchars = Number(val);
          else if (c === 'u') fd = Number(val);
          else if (c === 'a') names.push(val);
          break;
        } else {
          sh.err(`read: -${c}: invalid option`);
          sh.write(
            2,
            'read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n',
          );
          return 2;
        }
      }
      continue;
    }
    if (!NAME_RE.test(a)) {
      sh.err(`read: \`${a}': not a valid identifier`);
      return 1;
    }
    names.push(a);
  }
  const r = yield* readLine(sh, fd, delim, raw, nchars);
  if (names.length === 0) {
    if (!sh.setVar('REPLY', r.text)) return 1;
  } else {
    const ifs = sh.getVar('IFS') ?? ' \t\n';
    const vals = readSplit(r.text, r.quoted, names, ifs);
    names.forEach((n, k) => sh.setVar(n, vals[k] ?? ''));
  }
  return r.eof ? 1 : 0;
});

def(['eval'], function* (sh, argv) {
  const src = argv.slice(1).join(' ');
  if (src.trim() === '') return 0;
  return yield* sh.runText(src, null);
});

def(['source', '.'], function* (sh, argv) {
  const file = argv[1];
  if (file === undefined) {
    sh.err(`${argv[0]}: filename argument required`);
    sh.write(2, `${argv[0]}: usage: ${argv[0]} filename [arguments]\n`);
    return 2;
  }
  const raw = sh.world.vfs.readFile(file);
  if (typeof raw !== 'string') {
    sh.err(`${file}: ${raw.errno === 'EISDIR' ? 'is a directory' : FILE_ERRNO_TEXT[raw.errno]}`);
    return 1;
  }
  const text = utf8Decode(raw);
  const savedParams = sh.params;
  if (argv.length > 2) sh.params = argv.slice(2);
  sh.sourceDepth++;
  try {
    return yield* sh.runText(text, file);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    sh.sourceDepth--;
    if (argv.length > 2) sh.params = savedParams;
  }
});

def(['exec'], function* (sh, argv) {
  const args = argv.slice(1);
  if (args[0] === '--') args.shift();
  if (args.length === 0) {
    sh.commitRedirs = true;
    return 0;
  }
  if (!lookupProgram(sh.world, args[0] as string)) {
    sh.err(`exec: ${args[0]}: not found`);
    throw new ExitSignal(127);
  }
  throw new ExitSignal(yield* sh.runProgram(args, []));
});

def(
  ['trap'],
  sync((sh, argv) => {
    const args = argv.slice(1);
    if (args[0] === '--') args.shift();
    if (args.length === 0 || args[0] === '-p') {
      for (const [sig, cmd] of sh.traps) sh.write(1, `trap -- ${shellQuote(cmd)} ${sig}\n`);
      return 0;
    }
    if (args[0] === '-l') {
      sh.write(
        1,
        Object.entries(SIGNALS)
          .map(([n, v]) => `${v}) SIG${n}`)
          .join('\n') + '\n',
      );
      return 0;
    }
    let action: string | null = args[0] as string;
    let sigs = args.slice(1);
    if (sigs.length === 0 || /^\d+$/.test(action)) {
      // `trap SIG...` resets
      sigs = args;
      action = null;
    }
    if (action === '-') action = null;
    let st = 0;
    for (const s of sigs) {
      const name = s === '0' || s.toUpperCase() === 'EXIT' || s.toUpperCase() === 'SIGEXIT' ? 'EXIT' : s.toUpperCase().replace(/^SIG/, '');
      if (name !== 'EXIT' && signalNumber(name) === null && !['ERR', 'DEBUG', 'RETURN'].includes(name)) {
        sh.err(`trap: ${s}: invalid signal specification`);
        st = 1;
        continue;
      }
      if (action === null) sh.traps.delete(name);
      else sh.traps.set(name, action);
    }
    return st;
  }),
);

def(
  ['kill'],
  sync((sh, argv) => {
    let args = argv.slice(1);
    let sig = 15;
    if (args[0] === '-l' || args[0] === '-L') {
      sh.write(1, Object.keys(SIGNALS).join(' ') + '\n');
      return 0;
    }
    if (args[0] === '-s' || args[0] === '-n') {
      const n = signalNumber(args[1] ?? '');
      if (n === null) {
        sh.err(`kill: ${args[1] ?? ''}: invalid signal specification`);
        return 1;
      }
      sig = n;
      args = args.slice(2);
    } else if (args[0]?.startsWith('-') && args[0] !== '--') {
      const n = signalNumber(args[0].slice(1));
      if (n === null) {
        sh.err(`kill: ${args[0].slice(1)}: invalid signal specification`);
        return 1;
      }
      sig = n;
      args = args.slice(1);
    }
    if (args[0] === '--') args = args.slice(1);
    if (args.length === 0) {
      sh.write(2, 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n');
      return 2;
    }
    let st = 0;
    for (const a of args) {
      let task = null;
      if (/^%\d+$/.test(a)) {
        task = sh.jobs[Number(a.slice(1)) - 1] ?? null;
        if (!task) {
          sh.err(`kill: ${a}: no such job`);
          st = 1;
          continue;
        }
      } else if (/^-?\d+$/.test(a)) task = sh.g.tasks.get(Number(a)) ?? null;
      else {
        sh.err(`kill: ${a}: arguments must be process or job IDs`);
        st = 1;
        continue;
      }
      if (!task || task.state === 'exited') {
        sh.err(`kill: (${a}) - No such process`);
        st = 1;
        continue;
      }
      // signals a process cannot be killed by in this model are delivered and ignored
      if (sig === 0 || sig === 17 || sig === 18 || sig === 19 || sig === 20) continue;
      // an asynchronous command of a non-interactive shell ignores SIGINT and SIGQUIT
      // once the forked child has set that up (a signal sent before it first runs
      // still kills it); a program that sets its own handler (tcpdump) sees them
      if ((sig === 2 || sig === 3) && task.ran && sh.jobs.includes(task) && !task.handles?.has(sig)) continue;
      sh.world.sim.sched.kill(task, 128 + sig);
    }
    return st;
  }),
);

def(
  ['let'],
  sync((sh, argv) => {
    if (argv.length < 2) {
      sh.err('let: expression expected');
      return 1;
    }
    let v = 0n;
    for (const a of argv.slice(1)) v = sh.arithText(a);
    return v === 0n ? 1 : 0;
  }),
);

def(['command'], function* (sh, argv) {
  const args = argv.slice(1);
  let verbose: 'v' | 'V' | null = null;
  while (args[0]?.startsWith('-') && args[0].length > 1) {
    const o = args.shift() as string;
    if (o === '--') break;
    if (o.includes('v')) verbose = 'v';
    if (o.includes('V')) verbose = 'V';
  }
  if (args.length === 0) return 0;
  if (verbose) {
    let st = 0;
    for (const n of args) {
      const kind = describe(sh, n);
      if (kind === null) {
        if (verbose === 'V') sh.err(`command: ${n}: not found`);
        st = 1;
      } else if (verbose === 'v') sh.write(1, (kind === 'file' ? programPath(n) : n) + '\n');
      else sh.write(1, describeText(n, kind) + '\n');
    }
    return st;
  }
  const name = args[0] as string;
  const bi = BUILTINS.get(name);
  if (bi) return yield* bi(sh, args);
  return yield* sh.runProgram(args, []);
});

function describe(sh: Shell, n: string): 'function' | 'builtin' | 'keyword' | 'file' | null {
  if (
    [
      'if',
      'then',
      'else',
      'elif',
      'fi',
      'case',
      'esac',
      'for',
      'while',
      'until',
      'do',
      'done',
      'in',
      'function',
      '{',
      '}',
      '!',
      '[[',
      ']]',
      'time',
    ].includes(n)
  )
    return 'keyword';
  if (sh.funcs.has(n)) return 'function';
  if (BUILTINS.has(n)) return 'builtin';
  if (lookupProgram(sh.world, n)) return 'file';
  return null;
}

/** The programs Debian 12 installs in /usr/sbin (`command -v` on the recording machine); the rest are in /usr/bin. */
const SBIN: ReadonlySet<string> = new Set([
  'ip',
  'sysctl',
  'iptables',
  'iptables-save',
  'iptables-restore',
  'bridge',
  'tc',
  'conntrack',
  'ethtool',
  'arp',
  'route',
  'traceroute',
]);

/** Where a program would be on a Debian system (`command -v`, `type`, `which`). */
export function programPath(n: string): string {
  if (n.startsWith('/')) return n;
  return SBIN.has(n) ? `/usr/sbin/${n}` : `/usr/bin/${n}`;
}

function describeText(n: string, kind: 'function' | 'builtin' | 'keyword' | 'file'): string {
  if (kind === 'function') return `${n} is a function`;
  if (kind === 'builtin') return `${n} is a shell builtin`;
  if (kind === 'keyword') return `${n} is a shell keyword`;
  return `${n} is ${programPath(n)}`;
}

def(
  ['type'],
  sync((sh, argv) => {
    let st = 0;
    for (const n of argv.slice(1)) {
      if (n.startsWith('-')) continue;
      const kind = describe(sh, n);
      if (kind === null) {
        sh.err(`type: ${n}: not found`);
        st = 1;
      } else sh.write(1, describeText(n, kind) + '\n');
    }
    return st;
  }),
);

def(['builtin'], function* (sh, argv) {
  const name = argv[1];
  if (name === undefined) return 0;
  const bi = BUILTINS.get(name);
  if (!bi) {
    sh.err(`builtin: ${name}: not a shell builtin`);
    return 1;
  }
  return yield* bi(sh, argv.slice(1));
});

def(['shopt', 'hash', 'disown', 'ulimit', 'alias', 'unalias'], () => done(0));

def(
  ['umask'],
  sync((sh, argv) => {
    if (argv.length === 1) sh.write(1, '0022\n');
    return 0;
  }),
);

// ---- programs the shell stands in for when world.commands lacks them

// eslint-disable-next-line require-yield
function* exitWith(status: number): Proc {
  return status;
}

const echoProgram: Program = (ctx) => {
  ctx.stdout.write(echo(ctx.argv.slice(1)));
  return exitWith(0);
};

const printfProgram: Program = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '--') args.shift();
  if (args.length === 0) {
    ctx.stderr.write("printf: missing operand\nTry 'printf --help' for more information.\n");
    return exitWith(1);
  }
  const r = printf(args[0] as string, args.slice(1));
  for (const e of r.errors) ctx.stderr.write(`printf: ${e}\n`);
  ctx.stdout.write(r.out);
  return exitWith(r.status);
};

const testProgram: Program = (ctx) => {
  const name = ctx.argv[0] === '[' ? '[' : 'test';
  let args = ctx.argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      ctx.stderr.write("[: missing ']'\n");
      return exitWith(2);
    }
    args = args.slice(0, -1);
  }
  const r = evalTest(args, {
    stat: (p) => statPath(ctx.world, p),
    isSet: (n) => ctx.env.has(n),
    option: () => null,
  });
  if (r.error !== null) ctx.stderr.write(`${name}: ${r.error}\n`);
  return exitWith(r.status);
};

function* bashProgram(ctx: ProcCtx): Proc {
  const argv0 = ctx.argv[0] ?? 'bash';
  const name0 = argv0.slice(argv0.lastIndexOf('/') + 1);
  const args = ctx.argv.slice(1);
  let command: string | null = null;
  const flags: string[] = [];
  while (args.length && /^[-+]/.test(args[0] as string) && args[0] !== '-' && args[0] !== '--') {
    const o = args.shift() as string;
    if (o === '-c') {
      command = args.shift() ?? null;
      if (command === null) {
        ctx.stderr.write(`${name0}: -c: option requires an argument\n`);
        return 2;
      }
      continue;
    }
    if (o === '-o' || o === '+o') {
      flags.push(o, args.shift() ?? '');
      continue;
    }
    flags.push(o);
  }
  if (args[0] === '--' || args[0] === '-') args.shift();
  let src: string;
  let scriptName = name0;
  let params: string[];
  if (command !== null) {
    src = command;
    scriptName = args[0] ?? name0;
    params = args.slice(1);
  } else if (args[0] !== undefined) {
    const file = args[0];
    const text = ctx.world.vfs.readFile(file);
    if (typeof text !== 'string') {
      ctx.stderr.write(`${name0}: ${file}: ${FILE_ERRNO_TEXT[text.errno === 'EFBIG' ? 'ENOENT' : text.errno]}\n`);
      return text.errno === 'ENOENT' ? 127 : 126;
    }
    src = utf8Decode(text);
    scriptName = file;
    params = args.slice(1);
  } else {
    src = yield* readAll(ctx.stdin);
    params = [];
  }
  return yield* runScript(ctx.world, src, {
    scriptName,
    stdout: ctx.stdout,
    stderr: ctx.stderr,
    net: ctx.net,
    args: params,
    stdin: ctx.stdin,
    env: ctx.env,
    flags,
    command: command !== null,
    dash: name0 === 'sh',
  });
}

export const FALLBACK_PROGRAMS = new Map<string, Program>([
  ['echo', echoProgram],
  ['printf', printfProgram],
  ['test', testProgram],
  ['[', testProgram],
  ['true', () => exitWith(0)],
  ['false', () => exitWith(1)],
  ['sleep', sleepCommand],
  ['bash', bashProgram],
  ['sh', bashProgram],
]);

/** Applies `set`-style flags (bash -e -x -o pipefail) to a new shell. */
export function applyFlags(sh: Shell, flags: readonly string[]): void {
  if (flags.length) setOptions(sh, [...flags]);
}
