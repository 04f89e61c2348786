// sed as GNU sed 4.9 runs it in the C locale: addresses (N, $, /re/, \cREc,
// first~step, ranges, addr,+N, addr,~N, 0,/re/, !), the commands
// { } = a b c d D g G h H i l n N p P q Q r s t T w x y z F : #, s///
// flags g p N i I m M w, -n -e -f -E/-r -i[SUF] -s -z -l, and GNU's messages
// (`-e expression #1, char 5: unterminated `s' command`). The regex engine is
// ../libc/regex.ts (linear time). `e` (run a command) is not simulated.
import { yieldCpu } from '../../sim/sched.ts';
import type { ProcCtx, Command } from '../proc.ts';
import { type Regex, RegexBudgetError, RegexSyntaxError, regcomp } from '../libc/regex.ts';
import { type Gen, LineReader, parseOpts, readPath, writePath } from './io.ts';

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the \`l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
`;

const VERSION = `sed (GNU sed) 4.9
Packaged by Debian
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jay Fenlason, Tom Lord, Ken Pizzini,
Paolo Bonzini, Jim Meyering, and Assaf Gordon.

This sed program was built without SELinux support.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
E-mail bug reports to: <bug-sed@gnu.org>.
`;

class SedError extends Error {
  constructor(
    msg: string,
    readonly status = 1,
  ) {
    super(msg);
  }
}

// ---- the program

/** A regex as written; compiled on first use ('' is the last one used). */
interface SedRe {
  src: string;
  flags: { icase: boolean; multiline: boolean };
  re: Regex | null;
}

type Addr = { t: 'line'; n: number } | { t: 'last' } | { t: 're'; re: SedRe } | { t: 'step'; first: number; step: number } | { t: 'zero' };

type Addr2 = Addr | { t: 'plus'; n: number } | { t: 'mult'; n: number };

interface Cmd {
  a1: Addr | null;
  a2: Addr2 | null;
  neg: boolean;
  name: string;
  /** a, i, c text; b, t, T label; r, w file; : label. */
  text: string;
  /** {: index of the matching }; b/t/T: target index. */
  jump: number;
  /** q/Q/l/L: the number; s: the occurrence. */
  num: number;
  // s
  re: SedRe | null;
  repl: ReplPart[];
  global: boolean;
  print: number;
  wfile: string | null;
  // y
  ymap: Map<string, string> | null;
  // range state
  active: boolean;
  endLine: number;
}

type ReplPart = { t: 'lit'; s: string } | { t: 'ref'; n: number } | { t: 'case'; c: 'L' | 'U' | 'E' | 'l' | 'u' };

function newCmd(a1: Addr | null, a2: Addr2 | null, neg: boolean, name: string): Cmd {
  return {
    a1,
    a2,
    neg,
    name,
    text: '',
    jump: -1,
    num: 0,
    re: null,
    repl: [],
    global: false,
    print: 0,
    wfile: null,
    ymap: null,
    active: false,
    endLine: 0,
  };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07' };

class ScriptParser {
  i = 0;
  cmds: Cmd[] = [];
  private blocks: number[] = [];
  constructor(
    private readonly s: string,
    private readonly where: (char: number) => string,
    private readonly extended: boolean,
  ) {}

  fail(msg: string, at = this.i): never {
    throw new SedError(`${this.where(at)}${msg}`);
  }

  private peek(): string {
    return this.s[this.i] ?? '';
  }
  private get(): string {
    const c = this.s[this.i] ?? '';
    if (c !== '') this.i++;
    return c;
  }
  private skipWs(): void {
    while (this.i < this.s.length && /[ \t]/.test(this.s[this.i] as string)) this.i++;
  }
  private skipWsNl(): void {
    while (this.i < this.s.length && /[ \t\n;]/.test(this.s[this.i] as string)) this.i++;
  }

  parse(): Cmd[] {
    for (;;) {
      this.skipWsNl();
      if (this.i >= this.s.length) break;
      this.command();
    }
    if (this.blocks.length) this.fail("unmatched `{'", 0);
    // resolve labels
    const labels = new Map<string, number>();
    this.cmds.forEach((c, k) => {
      if (c.name === ':') labels.set(c.text, k);
    });
    for (const c of this.cmds) {
      if (c.name === 'b' || c.name === 't' || c.name === 'T') {
        if (c.text === '') c.jump = this.cmds.length;
        else {
          const k = labels.get(c.text);
          if (k === undefined) throw new SedError(`can't find label for jump to \`${c.text}'`, 4);
          c.jump = k;
        }
      }
    }
    return this.cmds;
  }

  private number(): number {
    const st = this.i;
    while (/[0-9]/.test(this.peek())) this.i++;
    return Number(this.s.slice(st, this.i));
  }

  private address(): Addr | null {
    const c = this.peek();
    if (/[0-9]/.test(c)) {
      const n = this.number();
      if (this.peek() === '~') {
        this.i++;
        const step = /[0-9]/.test(this.peek()) ? this.number() : 0;
        return { t: 'step', first: n, step };
      }
      return n === 0 ? { t: 'zero' } : { t: 'line', n };
    }
    if (c === '$') {
      this.i++;
      return { t: 'last' };
    }
    if (c === '/' || c === '\\') {
      this.i++;
      let delim = '/';
      if (c === '\\') delim = this.get();
      const src = this.delimited(delim, 'unterminated address regex', true);
      const flags = { icase: false, multiline: false };
      for (;;) {
        const f = this.peek();
        if (f === 'I') flags.icase = true;
        else if (f === 'M') flags.multiline = true;
        else break;
        this.i++;
      }
      return { t: 're', re: this.mkRe(src, flags) };
    }
    return null;
  }

  private mkRe(src: string, flags: { icase: boolean; multiline: boolean }): SedRe {
    const r: SedRe = { src, flags, re: null };
    if (src !== '') r.re = compile(src, this.extended, flags, (m) => this.fail(m));
    return r;
  }

  /** Text up to an unescaped delimiter; \delim becomes delim, \n a newline (in a regex: kept escaped otherwise). */
  private delimited(delim: string, unterminated: string, isRe: boolean): string {
    let out = '';
    for (;;) {
      const c = this.get();
      if (c === '') this.fail(unterminated);
      if (c === delim) return out;
      if (c === '\n' && isRe) this.fail(unterminated);
      if (c === '\\') {
        const d = this.get();
        if (d === '') this.fail(unterminated);
        if (d === delim) out += delim === '&' && !isRe ? '\\&' : delim;
        else if (d === 'n') out += isRe ? '\n' : '\\n';
        else if (d === '\n') out += isRe ? '\\n' : '\n';
        else out += '\\' + d;
        continue;
      }
      if (isRe && c === '[') {
        // a bracket expression's ']' and delimiter are its own (GNU sed reads it whole)
        out += c;
        continue;
      }
      out += c;
    }
  }

  private command(): void {
    const a1 = this.address();
    let a2: Addr2 | null = null;
    if (a1 && this.peek() === ',') {
      this.i++;
      this.skipWs();
      const c = this.peek();
      if (c === '+' || c === '~') {
        this.i++;
        const n = this.number();
        a2 = c === '+' ? { t: 'plus', n } : { t: 'mult', n };
      } else {
        a2 = this.address();
        if (a2 === null) this.fail("unexpected `,'");
        if (a2.t === 'zero') this.fail('invalid usage of line address 0');
      }
    }
    this.skipWs();
    if (a1?.t === 'zero' && (a2 === null || a2.t !== 're')) this.fail('invalid usage of line address 0', this.i + 1);
    let neg = false;
    while (this.peek() === '!') {
      if (neg) {
        this.i++;
        this.fail("multiple `!'s");
      }
      neg = true;
      this.i++;
      this.skipWs();
    }
    const name = this.get();
    if (name === '') this.fail('missing command');
    const cmd = newCmd(a1, a2, neg, name);
    const oneAddr = (): void => {
      if (a2) this.fail('command only uses one address');
    };
    switch (name) {
      case '{':
        this.blocks.push(this.cmds.length);
        this.cmds.push(cmd);
        return;
      case '}': {
        if (a1) this.fail("} doesn't want any addresses");
        const open = this.blocks.pop();
        if (open === undefined) this.fail("unexpected `}'");
        (this.cmds[open] as Cmd).jump = this.cmds.length + 1;
        this.cmds.push(cmd);
        this.end();
        return;
      }
      case '#':
        if (a1) this.fail("comments don't accept any addresses");
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
        return;
      case ':': {
        if (a1) this.fail(": doesn't want any addresses");
        this.skipWs();
        const st = this.i;
        while (this.i < this.s.length && !/[\n;]/.test(this.s[this.i] as string)) this.i++;
        cmd.text = this.s.slice(st, this.i).replace(/[ \t]+$/, '');
        if (cmd.text === '') this.fail('":" lacks a label');
        this.cmds.push(cmd);
        return;
      }
      case 'b':
      case 't':
      case 'T': {
        this.skipWs();
        const st = this.i;
        while (this.i < this.s.length && !/[\n;]/.test(this.s[this.i] as string)) this.i++;
        cmd.text = this.s.slice(st, this.i).replace(/[ \t]+$/, '');
        this.cmds.push(cmd);
        return;
      }
      case 'a':
      case 'i':
      case 'c':
        cmd.text = this.text();
        this.cmds.push(cmd);
        return;
      case '=':
      case 'd':
      case 'D':
      case 'g':
      case 'G':
      case 'h':
      case 'H':
      case 'n':
      case 'N':
      case 'p':
      case 'P':
      case 'x':
      case 'z':
      case 'F':
        this.cmds.push(cmd);
        this.end();
        return;
      case 'q':
      case 'Q':
      case 'l':
      case 'L':
        if (name === 'q' || name === 'Q') oneAddr();
        this.skipWs();
        cmd.num = /[0-9]/.test(this.peek()) ? this.number() : name === 'l' ? -1 : 0;
        this.cmds.push(cmd);
        this.end();
        return;
      case 'r':
      case 'R':
      case 'w':
      case 'W': {
        cmd.text = this.filename();
        this.cmds.push(cmd);
        return;
      }
      case 's':
        this.subst(cmd);
        this.cmds.push(cmd);
        return;
      case 'y':
        this.translit(cmd);
        this.cmds.push(cmd);
        this.end();
        return;
      case 'e':
        throw new SedError('skbpath: sed: the e command is not simulated');
      default:
        this.fail(`unknown command: \`${name}'`);
    }
  }

  private filename(): string {
    this.skipWs();
    const st = this.i;
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
    const f = this.s.slice(st, this.i);
    if (f === '') this.fail('missing filename in r/R/w/W commands');
    return f;
  }

  /** After a command: blanks, then ; or newline or } or # or the end. */
  private end(): void {
    this.skipWs();
    const c = this.peek();
    if (c === '' || c === ';' || c === '\n') {
      if (c !== '') this.i++;
      return;
    }
    if (c === '}' || c === '#') return;
    this.i++;
    this.fail('extra characters after command');
  }

  /** The text of a, i, c: GNU's one-line form or the POSIX `a\` form. */
  private text(): string {
    this.skipWs();
    if (this.peek() === '') this.fail("expected \\ after `a', `c' or `i'");
    if (this.peek() === '\\') {
      this.i++;
      if (this.peek() === '\n') this.i++;
      else this.skipWs();
    }
    let out = '';
    for (;;) {
      const c = this.get();
      if (c === '' || c === '\n') break;
      if (c === '\\') {
        const d = this.get();
        if (d === '') break;
        out += d;
        continue;
      }
      out += c;
    }
    return out + '\n';
  }

  private subst(cmd: Cmd): void {
    const delim = this.get();
    if (delim === '' || delim === '\n' || delim === '\\') this.fail("unterminated `s' command");
    const src = this.delimited(delim, "unterminated `s' command", true);
    const replSrc = this.delimited(delim, "unterminated `s' command", false);
    const flags = { icase: false, multiline: false };
    let g = false;
    let p = 0;
    let n = 0;
    for (;;) {
      const c = this.peek();
      if (c === 'g') {
        this.i++;
        if (g) this.fail("multiple `g' options to `s' command");
        g = true;
      } else if (c === 'p') {
        this.i++;
        if (p) this.fail("multiple `p' options to `s' command");
        p = 1;
      } else if (c === 'i' || c === 'I') {
        this.i++;
        flags.icase = true;
      } else if (c === 'm' || c === 'M') {
        this.i++;
        flags.multiline = true;
      } else if (c === 'e') {
        this.i++;
        throw new SedError("skbpath: sed: the `e' flag of s is not simulated");
      } else if (/[0-9]/.test(c)) {
        if (n) {
          this.i++;
          this.fail("multiple number options to `s' command");
        }
        n = this.number();
        if (n === 0) this.fail("number option to `s' command may not be zero");
      } else if (c === 'w') {
        this.i++;
        cmd.wfile = this.filename();
        break;
      } else if (c === '' || c === ';' || c === '\n' || c === '}' || c === '#' || c === ' ' || c === '\t') {
        this.end();
        break;
      } else {
        this.i++;
        this.fail("unknown option to `s'");
      }
    }
    cmd.re = this.mkRe(src, flags);
    cmd.global = g;
    cmd.print = p;
    cmd.num = n || 1;
    cmd.repl = this.replacement(replSrc, cmd.re);
  }

  private replacement(s: string, re: SedRe): ReplPart[] {
    const parts: ReplPart[] = [];
    let lit = '';
    const flush = (): void => {
      if (lit) parts.push({ t: 'lit', s: lit });
      lit = '';
    };
    for (let k = 0; k < s.length; k++) {
      const c = s[k] as string;
      if (c === '&') {
        flush();
        parts.push({ t: 'ref', n: 0 });
      } else if (c === '\\' && k + 1 < s.length) {
        const d = s[++k] as string;
        if (d >= '0' && d <= '9') {
          const n = d.charCodeAt(0) - 48;
          const nsub = re.re ? re.re.nsub : 9;
          if (n > nsub) this.fail(`invalid reference \\${n} on \`s' command's RHS`);
          flush();
          parts.push({ t: 'ref', n });
        } else if (d === 'L' || d === 'U' || d === 'E' || d === 'l' || d === 'u') {
          flush();
          parts.push({ t: 'case', c: d });
        } else if (d === '&') lit += '&';
        else if (d === '\n') lit += '\n';
        else lit += ESCAPES[d] ?? d;
      } else lit += c;
    }
    flush();
    return parts;
  }

  private translit(cmd: Cmd): void {
    const delim = this.get();
    if (delim === '' || delim === '\n' || delim === '\\') this.fail("unterminated `y' command");
    const read = (): string[] => {
      const out: string[] = [];
      for (;;) {
        const c = this.get();
        if (c === '') this.fail("unterminated `y' command");
        if (c === delim) return out;
        if (c === '\\') {
          const d = this.get();
          if (d === delim) out.push(d);
          else if (d === '\\') out.push('\\');
          else if (d === 'n') out.push('\n');
          else if (ESCAPES[d] !== undefined) out.push(ESCAPES[d] as string);
          else this.fail("unknown option to `s'");
          continue;
        }
        out.push(c);
      }
    };
    const a = read();
    const b = read();
    if (a.length !== b.length) this.fail("strings for `y' command are different lengths");
    cmd.ymap = new Map(a.map((x, k) => [x, b[k] as string]));
  }
}

function compile(src: string, extended: boolean, flags: { icase: boolean; multiline: boolean }, fail: (m: string) => never): Regex {
  // sed's own escapes in a regex: \t and friends; \n arrived as a newline already
  let s = '';
  for (let k = 0; k < src.length; k++) {
    const c = src[k] as string;
    if (c === '\\' && k + 1 < src.length) {
      const d = src[k + 1] as string;
      const e = ESCAPES[d];
      if (e !== undefined && d !== 'n') {
        s += e;
        k++;
        continue;
      }
      s += c + d;
      k++;
      continue;
    }
    s += c;
  }
  try {
    return regcomp(s, { extended, icase: flags.icase, newlineAnchors: flags.multiline });
  } catch (e) {
    if (e instanceof RegexSyntaxError) fail(e.message);
    throw e;
  }
}

// ---- running

interface Out {
  write(s: string): void;
}

class Runner {
  ps = '';
  hs = '';
  line = 0;
  quit: number | null = null;
  appendQ: string[] = [];
  lastRe: Regex | null = null;
  tflag = false;
  lastNl = true;
  wfiles = new Map<string, boolean>();

  constructor(
    private readonly ctx: ProcCtx,
    private readonly cmds: Cmd[],
    private readonly quiet: boolean,
    private out: Out,
    private readonly lineWrap: number,
    private readonly sep: string,
  ) {}

  setOut(o: Out): void {
    this.out = o;
  }

  /** -i: a new output file starts with no newline owed. */
  resetFile(): void {
    this.missingNl = false;
  }

  private jumps = 0;

  /** A branch: a script can loop without reading input, so branches count as events and let others run. */
  private *tick(): Gen<void> {
    this.ctx.world.sim.countEvent();
    if (++this.jumps % 4096 === 0) yield yieldCpu;
  }

  private regex(r: SedRe): Regex {
    if (r.re) {
      this.lastRe = r.re;
      return r.re;
    }
    if (this.lastRe === null) throw new SedError('-e expression #1, char 0: no previous regular expression');
    return this.lastRe;
  }

  private *matchAddr(a: Addr, input: LineReader): Gen<boolean> {
    switch (a.t) {
      case 'line':
        return this.line === a.n;
      case 'zero':
        return false;
      case 'last':
        return yield* input.atEnd();
      case 're':
        return this.regex(a.re).test(this.ps);
      case 'step':
        if (a.step <= 0) return this.line === a.first;
        return this.line >= a.first && (this.line - a.first) % a.step === 0;
    }
  }

  private *selected(c: Cmd, input: LineReader): Gen<boolean> {
    if (!c.a1) return true;
    if (!c.a2) return yield* this.matchAddr(c.a1, input);
    if (c.active) {
      const a2 = c.a2;
      let end = false;
      if (a2.t === 're') end = this.regex(a2.re).test(this.ps);
      else if (a2.t === 'last') end = yield* input.atEnd();
      else end = this.line >= c.endLine;
      if (end || (a2.t !== 're' && a2.t !== 'last' && this.line >= c.endLine)) c.active = false;
      return true;
    }
    const start = c.a1.t === 'zero' ? this.line === 1 || false : yield* this.matchAddr(c.a1, input);
    if (!start && !(c.a1.t === 'zero' && this.line === 1)) return false;
    const a2 = c.a2;
    if (c.a1.t === 'zero') {
      // 0,/re/: the end may be on the first line
      if (a2.t === 're' && this.regex(a2.re).test(this.ps)) return true;
      c.active = true;
      return true;
    }
    switch (a2.t) {
      case 'line':
        if (a2.n > this.line) {
          c.active = true;
          c.endLine = a2.n;
        }
        return true;
      case 'plus':
        if (a2.n > 0) {
          c.active = true;
          c.endLine = this.line + a2.n;
        }
        return true;
      case 'mult': {
        if (a2.n <= 0 || this.line % a2.n === 0) return true;
        c.active = true;
        c.endLine = Math.ceil(this.line / a2.n) * a2.n;
        return true;
      }
      case 'last':
        if (!(yield* input.atEnd())) c.active = true;
        return true;
      case 're':
        c.active = true;
        return true;
      case 'step':
        c.active = true;
        c.endLine = a2.step <= 0 ? a2.first : Math.ceil(this.line / a2.step) * a2.step;
        if (c.endLine <= this.line) c.active = false;
        return true;
      case 'zero':
        return true;
    }
  }

  /** The last line went out without its newline: any later output adds it first (output_missing_newline). */
  private missingNl = false;

  private emit(s: string): void {
    if (s === '') return;
    if (this.missingNl) {
      this.out.write(this.sep);
      this.missingNl = false;
    }
    this.out.write(s);
  }

  private printPs(nl = true): void {
    this.emit(this.ps + (nl ? this.sep : ''));
    if (!nl) this.missingNl = true;
  }

  private flushAppends(): void {
    for (const a of this.appendQ) {
      if (a.startsWith('\0r')) {
        const r = readPath(this.ctx, a.slice(2));
        if (typeof r === 'string') this.emit(r);
      } else this.emit(a);
    }
    this.appendQ = [];
  }

  private writeFile(name: string, data: string): void {
    const append = this.wfiles.get(name) === true;
    this.wfiles.set(name, true);
    writePath(this.ctx, name, data, append);
  }

  /** Opens the w files at start, as sed truncates them before reading input. */
  openWFiles(): void {
    for (const c of this.cmds) {
      const f = c.name === 'w' || c.name === 'W' ? c.text : c.wfile;
      if (f && !this.wfiles.has(f)) {
        this.wfiles.set(f, true);
        const err = writePath(this.ctx, f, '', false);
        if (err) throw new SedError(`couldn't open file ${f}: ${err}`, 4);
      }
    }
  }

  /** Runs the script over all input; returns the exit status. */
  *run(input: LineReader): Gen<number> {
    for (;;) {
      const l = yield* input.next();
      if (l === null) break;
      this.line++;
      this.ps = l.text;
      this.lastNl = l.nl;
      for (;;) {
        const st = yield* this.cycle(input);
        if (st === 'restart') continue;
        if (st !== null) return st;
        break;
      }
    }
    return 0;
  }

  /** One cycle; a status when sed must stop, 'restart' after D left text in the pattern space. */
  private *cycle(input: LineReader): Gen<number | null | 'restart'> {
    let pc = 0;
    this.tflag = false;
    const cmds = this.cmds;
    let autoprint = !this.quiet;
    let restart = false;
    while (pc < cmds.length) {
      const c = cmds[pc] as Cmd;
      let sel = yield* this.selected(c, input);
      if (c.neg) sel = !sel;
      if (c.name === '}' || c.name === ':' || c.name === '#') {
        pc++;
        continue;
      }
      if (!sel) {
        pc = c.name === '{' ? c.jump : pc + 1;
        continue;
      }
      pc++;
      switch (c.name) {
        case '{':
          break;
        case '=':
          this.emit(`${this.line}\n`);
          break;
        case 'a':
          this.appendQ.push(c.text);
          break;
        case 'i':
          this.emit(c.text);
          break;
        case 'c':
          // in a range, the text goes out once, at its end
          if (!c.a2 || c.neg || !c.active) this.emit(c.text);
          autoprint = false;
          pc = cmds.length;
          break;
        case 'b':
          pc = c.jump;
          yield* this.tick();
          break;
        case 't':
          if (this.tflag) {
            this.tflag = false;
            pc = c.jump;
            yield* this.tick();
          }
          break;
        case 'T':
          if (!this.tflag) {
            pc = c.jump;
            yield* this.tick();
          } else this.tflag = false;
          break;
        case 'd':
          autoprint = false;
          pc = cmds.length;
          break;
        case 'D': {
          const j = this.ps.indexOf('\n');
          if (j < 0) {
            autoprint = false;
            pc = cmds.length;
            break;
          }
          this.ps = this.ps.slice(j + 1);
          this.flushAppends();
          restart = true;
          autoprint = false;
          pc = cmds.length;
          break;
        }
        case 'g':
          this.ps = this.hs;
          break;
        case 'G':
          this.ps += '\n' + this.hs;
          break;
        case 'h':
          this.hs = this.ps;
          break;
        case 'H':
          this.hs += '\n' + this.ps;
          break;
        case 'x': {
          const t = this.ps;
          this.ps = this.hs;
          this.hs = t;
          break;
        }
        case 'z':
          this.ps = '';
          break;
        case 'F':
          this.emit(`${input.file}\n`);
          break;
        case 'l':
          this.emit(listing(this.ps, c.num === -1 ? this.lineWrap : c.num));
          break;
        case 'n': {
          if (yield* input.atEnd()) {
            if (!this.quiet) this.printPs(this.lastNl);
            this.flushAppends();
            return 0;
          }
          if (!this.quiet) this.printPs();
          this.flushAppends();
          const l = (yield* input.next()) as { text: string; nl: boolean };
          this.line++;
          this.ps = l.text;
          this.lastNl = l.nl;
          break;
        }
        case 'N': {
          if (yield* input.atEnd()) {
            // GNU prints the pattern space when there is no next line
            if (!this.quiet) this.printPs(this.lastNl);
            this.flushAppends();
            return 0;
          }
          this.flushAppends();
          const l = (yield* input.next()) as { text: string; nl: boolean };
          this.line++;
          this.ps += '\n' + l.text;
          this.lastNl = l.nl;
          break;
        }
        case 'p':
          this.printPs();
          break;
        case 'P': {
          const j = this.ps.indexOf('\n');
          this.emit((j < 0 ? this.ps : this.ps.slice(0, j)) + '\n');
          break;
        }
        case 'q':
          if (!this.quiet) this.printPs(this.lastNl || !(yield* input.atEnd()));
          this.flushAppends();
          return c.num;
        case 'Q':
          return c.num;
        case 'r':
          this.appendQ.push('\0r' + c.text);
          break;
        case 'R':
          break;
        case 'w':
          this.writeFile(c.text, this.ps + '\n');
          break;
        case 'W': {
          const j = this.ps.indexOf('\n');
          this.writeFile(c.text, (j < 0 ? this.ps : this.ps.slice(0, j)) + '\n');
          break;
        }
        case 'y': {
          const m = c.ymap as Map<string, string>;
          let o = '';
          for (const ch of this.ps) o += m.get(ch) ?? ch;
          this.ps = o;
          break;
        }
        case 's':
          if (this.subst(c)) {
            this.tflag = true;
            if (c.print) this.printPs();
            if (c.wfile) this.writeFile(c.wfile, this.ps + '\n');
          }
          break;
      }
    }
    if (autoprint) {
      const last = !this.lastNl && (yield* input.atEnd());
      this.printPs(!last);
    }
    this.flushAppends();
    if (restart) {
      // D: start the next cycle without reading when the pattern space is not empty
      if (this.ps !== '') return 'restart';
    }
    return null;
  }

  private subst(c: Cmd): boolean {
    const re = this.regex(c.re as SedRe);
    const s = this.ps;
    let out = '';
    let pos = 0;
    let count = 0;
    let did = false;
    let prevEnd = -1;
    while (pos <= s.length) {
      const m = re.exec(s, pos);
      if (m === null) break;
      const ms = m[0] as number;
      const me = m[1] as number;
      if (ms === me && ms === prevEnd) {
        // an empty match right after the previous one does not count
        if (ms >= s.length) break;
        out += s.slice(pos, ms + 1);
        pos = ms + 1;
        continue;
      }
      count++;
      if (count >= c.num) {
        out += s.slice(pos, ms) + expand(c.repl, s, m);
        did = true;
      } else out += s.slice(pos, me);
      prevEnd = me;
      if (did && !c.global) {
        pos = me;
        break;
      }
      if (ms === me) {
        if (me >= s.length) {
          pos = me;
          break;
        }
        out += s[me];
        pos = me + 1;
      } else pos = me;
    }
    if (!did) return false;
    this.ps = out + s.slice(pos);
    return true;
  }
}

function expand(parts: ReplPart[], s: string, m: number[]): string {
  let out = '';
  let mode: 'L' | 'U' | 'E' = 'E';
  let once: 'l' | 'u' | null = null;
  const add = (t: string): void => {
    if (t === '') return;
    let x = mode === 'L' ? t.toLowerCase() : mode === 'U' ? t.toUpperCase() : t;
    if (once) {
      x = (once === 'l' ? x[0]?.toLowerCase() : x[0]?.toUpperCase()) + x.slice(1);
      once = null;
    }
    out += x;
  };
  for (const p of parts) {
    if (p.t === 'lit') add(p.s);
    else if (p.t === 'ref') {
      const a = m[2 * p.n] ?? -1;
      const b = m[2 * p.n + 1] ?? -1;
      if (a >= 0 && b >= 0) add(s.slice(a, b));
    } else if (p.c === 'l' || p.c === 'u') once = p.c;
    else {
      mode = p.c;
      once = null;
    }
  }
  return out;
}

/** The `l` command's unambiguous form, wrapped at `width` (0: never). */
function listing(s: string, width: number): string {
  const names: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  let out = '';
  let col = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k) & 0xff;
    const t = names[c] ?? (c < 32 || c >= 127 ? '\\' + c.toString(8).padStart(3, '0') : String.fromCharCode(c));
    if (width > 1 && col + t.length > width - 1) {
      out += '\\\n';
      col = 0;
    }
    out += t;
    col += t.length;
  }
  return out + '$\n';
}

export const sed: Command = function* (ctx) {
  const p = parseOpts(ctx.argv, 'nrsuEe:f:i::l:zb', {
    quiet: ['n', 0],
    silent: ['n', 0],
    expression: ['e', 1],
    file: ['f', 1],
    'in-place': ['i', 2],
    'line-length': ['l', 1],
    'regexp-extended': ['E', 0],
    separate: ['s', 0],
    unbuffered: ['u', 0],
    'null-data': ['z', 0],
    posix: ['posix', 0],
    debug: ['debug', 0],
    sandbox: ['sandbox', 0],
    'follow-symlinks': ['follow', 0],
    binary: ['b', 0],
    help: ['help', 0],
    version: ['version', 0],
  });
  if ('err' in p) {
    ctx.stderr.write(`sed: ${p.err}\n${USAGE}`);
    return 1;
  }
  let quiet = false;
  let extended = false;
  let separate = false;
  let inPlace: string | null = null;
  let lineWrap = 70;
  let sep = '\n';
  const scripts: { text: string; where: (c: number) => string }[] = [];
  let exprNo = 0;
  for (const [k, v] of p.opts) {
    if (k === 'n') quiet = true;
    else if (k === 'E' || k === 'r') extended = true;
    else if (k === 's') separate = true;
    else if (k === 'z') sep = '\0';
    else if (k === 'i') {
      inPlace = v;
      separate = true;
    } else if (k === 'l') {
      if (!/^\d+$/.test(v)) {
        ctx.stderr.write(`sed: invalid line length: ${v}\n`);
        return 1;
      }
      lineWrap = Number(v);
    } else if (k === 'e') {
      const n = ++exprNo;
      scripts.push({ text: v, where: (c) => `-e expression #${n}, char ${c}: ` });
    } else if (k === 'f') {
      const r = readPath(ctx, v);
      if (typeof r !== 'string') {
        ctx.stderr.write(`sed: couldn't open file ${v}: ${r.msg}\n`);
        return 4;
      }
      scripts.push({ text: r.endsWith('\n') ? r.slice(0, -1) : r, where: () => `file ${v} line 1: ` });
    } else if (k === 'help') {
      ctx.stdout.write(USAGE);
      return 0;
    } else if (k === 'version') {
      ctx.stdout.write(VERSION);
      return 0;
    } else if (k === 'sandbox' || k === 'debug' || k === 'follow') {
      ctx.stderr.write(`skbpath: sed: --${k === 'follow' ? 'follow-symlinks' : k} is not simulated\n`);
      return 1;
    }
  }
  const ops = [...p.operands];
  if (scripts.length === 0) {
    const s = ops.shift();
    if (s === undefined) {
      ctx.stderr.write(USAGE);
      return 1;
    }
    scripts.push({ text: s, where: (c) => `-e expression #1, char ${c}: ` });
  }
  let cmds: Cmd[];
  try {
    // the scripts join with newlines; each reports its own positions
    cmds = [];
    if (scripts.length === 1) {
      const sc = scripts[0] as { text: string; where: (c: number) => string };
      cmds = new ScriptParser(sc.text, sc.where, extended).parse();
    } else {
      const joined = scripts.map((x) => x.text).join('\n');
      const starts: number[] = [];
      let at = 0;
      for (const x of scripts) {
        starts.push(at);
        at += x.text.length + 1;
      }
      const where = (c: number): string => {
        let k = starts.length - 1;
        while (k > 0 && (starts[k] as number) >= c) k--;
        return (scripts[k] as { where: (c: number) => string }).where(c - (starts[k] as number));
      };
      cmds = new ScriptParser(joined, where, extended).parse();
    }
  } catch (e) {
    if (e instanceof SedError) {
      ctx.stderr.write(`sed: ${e.message}\n`);
      return e.status;
    }
    throw e;
  }
  let status = 0;
  const onError = (op: string, msg: string): void => {
    ctx.stderr.write(`sed: can't read ${op}: ${msg}\n`);
    status = 2;
  };
  const runner = new Runner(ctx, cmds, quiet, ctx.stdout, lineWrap, sep);
  try {
    runner.openWFiles();
    if (inPlace !== null) {
      if (ops.length === 0) {
        ctx.stderr.write('sed: no input files\n');
        return 4;
      }
      for (const op of ops) {
        const r = readPath(ctx, op);
        if (typeof r !== 'string') {
          onError(op, r.msg);
          continue;
        }
        let out = '';
        runner.setOut({ write: (s) => (out += s) });
        runner.resetFile();
        runner.line = 0;
        const st = yield* runner.run(new LineReader(ctx, [op], onError, sep));
        if (inPlace !== '') {
          const backup = inPlace.includes('*') ? inPlace.replace(/\*/g, op) : op + inPlace;
          writePath(ctx, backup, r, false);
        }
        writePath(ctx, op, out, false);
        if (st !== 0) return st;
      }
      return status;
    }
    if (separate) {
      for (const op of ops.length ? ops : ['-']) {
        runner.line = 0;
        const st = yield* runner.run(new LineReader(ctx, [op], onError, sep));
        if (st !== 0) return st;
      }
      return status;
    }
    const st = yield* runner.run(new LineReader(ctx, ops.length ? ops : ['-'], onError, sep));
    return st || status;
  } catch (e) {
    if (e instanceof SedError) {
      ctx.stderr.write(`sed: ${e.message}\n`);
      return e.status;
    }
    if (e instanceof RegexBudgetError) {
      ctx.stderr.write(`skbpath: sed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
};

export function registerSed(commands: Map<string, Command>): void {
  commands.set('sed', sed);
}
