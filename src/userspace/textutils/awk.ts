// awk as Debian's default, mawk 1.3.4 20200120, runs it in the C locale:
// patterns and ranges, BEGIN/END, fields (FS as " ", one character or an ERE;
// RS "\n", "" or a regex), NF/NR/FNR/FS/OFS/ORS/RS/SUBSEP/CONVFMT/OFMT/
// RSTART/RLENGTH/FILENAME/ENVIRON/ARGV/ARGC, print/printf with > >> redirection,
// arrays with `in` and `delete`, user functions, getline (plain, var, < file),
// and the string and arithmetic functions. Numbers print as integers within
// mawk's 32-bit int range, otherwise through OFMT/CONVFMT ("%.6g").
// Regexes go through ../libc/regex.ts (awk dialect, linear time).
// `print | "cmd"` runs the command when it is closed or awk ends (before awk's
// own output, as mawk's buffering has it); `"cmd" | getline` and system() are
// not simulated.
import type { Command, InStream, ProcCtx } from '../proc.ts';
import { runChild } from './misc.ts';
import { type Regex, RegexBudgetError, RegexSyntaxError, regcomp } from '../libc/regex.ts';
import { LineReader, readPath, readStdin, writePath } from './io.ts';
import { formatFloat, formatInt, formatStr, parseFormat, type Spec } from '../libc/printf.ts';

const USAGE = `Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\\n" a space.
    -W usage         show this message and exit.
`;

const VERSION = `mawk 1.3.4 20200120
Copyright 2008-2019,2020, Thomas E. Dickey
Copyright 1991-1996,2014, Michael D. Brennan

`;
/** The build details mawk -W version writes to stderr. */
const VERSION_ERR = `random-funcs:       srandom/random
regex-funcs:        internal
compiled limits:
sprintf buffer      8192
maximum-integer     2147483647
`;

const MAX_INT = 2147483647;

/** A string that came from input and looks like a number: it compares as one. */
class StrNum {
  constructor(
    readonly s: string,
    readonly n: number,
  ) {}
}
type V = number | string | StrNum;
/** The uninitialized value: "" to string comparisons, 0 to numeric ones. */
const UNINIT = new StrNum('', 0);

class AwkError extends Error {
  constructor(
    msg: string,
    readonly status = 2,
  ) {
    super(msg);
  }
}
/** A run-time error: mawk adds where it was in the input. `partial`: what printf had formatted before it. */
class RunError extends Error {
  partial = '';
}

const NUMERIC = /^[ \t\n]*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)[ \t\n]*$/;

function strnum(s: string): V {
  return NUMERIC.test(s) ? new StrNum(s, strtod(s)) : s;
}

/** strtod(3) of a string's longest numeric prefix (hex, inf and nan included). */
function strtod(s: string): number {
  const m = /^[ \t\n\r\f\v]*([-+]?)(0[xX][0-9a-fA-F]+|inf(?:inity)?|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/i.exec(s);
  if (!m) return 0;
  const body = (m[2] as string).toLowerCase();
  let v: number;
  if (body.startsWith('0x')) v = Number.parseInt(body.slice(2), 16);
  else if (body.startsWith('inf')) v = Infinity;
  else if (body === 'nan') v = Number.NaN;
  else v = Number(body);
  return m[1] === '-' ? -v : v;
}

// ---- lexer

type TokT = 'num' | 'str' | 'ere' | 'name' | 'funcname' | 'builtin' | 'kw' | 'op' | 'nl' | 'eof';
interface Tok {
  t: TokT;
  v: string;
  n?: number;
  line: number;
}

const KEYWORDS = new Set([
  'BEGIN',
  'END',
  'function',
  'func',
  'if',
  'else',
  'while',
  'for',
  'do',
  'break',
  'continue',
  'next',
  'nextfile',
  'exit',
  'return',
  'delete',
  'in',
  'getline',
  'print',
  'printf',
]);
const BUILTINS = new Set([
  'length',
  'substr',
  'index',
  'split',
  'sub',
  'gsub',
  'match',
  'sprintf',
  'sin',
  'cos',
  'atan2',
  'exp',
  'log',
  'sqrt',
  'int',
  'rand',
  'srand',
  'tolower',
  'toupper',
  'system',
  'close',
  'fflush',
]);

const STR_ESC: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  b: '\b',
  a: '\x07',
  '\\': '\\',
  '"': '"',
  '/': '/',
};

/** awk's escapes in a string (and in -v values, -F). */
function awkUnescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const d = s[++i] as string;
    if (STR_ESC[d] !== undefined) out += STR_ESC[d];
    else if (d >= '0' && d <= '7') {
      let v = 0;
      let k = 0;
      while (k < 3 && i < s.length && (s[i] as string) >= '0' && (s[i] as string) <= '7') {
        v = v * 8 + (s.charCodeAt(i) - 48);
        i++;
        k++;
      }
      i--;
      out += String.fromCharCode(v);
    } else out += '\\' + d;
  }
  return out;
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  const prevIsOperand = (): boolean => {
    const p = toks[toks.length - 1];
    if (!p) return false;
    if (p.t === 'num' || p.t === 'str' || p.t === 'ere' || p.t === 'name' || p.t === 'builtin') return true;
    if (p.t === 'op' && (p.v === ')' || p.v === ']' || p.v === '$' || p.v === '++' || p.v === '--')) return true;
    return false;
  };
  const push = (t: TokT, v: string, extra: Partial<Tok> = {}): void => {
    toks.push({ t, v, line, ...extra });
  };
  while (i < n) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\r' && src[i + 2] === '\n') {
      i += 3;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      const p = toks[toks.length - 1];
      const skip = p && ((p.t === 'op' && ['{', '&&', '||', ',', '!'].includes(p.v)) || (p.t === 'kw' && (p.v === 'do' || p.v === 'else')));
      if (!skip) push('nl', '\n');
      line++;
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(src.slice(i)) as RegExpExecArray;
      push('num', m[0], { n: strtod(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      const w = m[0];
      i += w.length;
      if (KEYWORDS.has(w)) push('kw', w === 'func' ? 'function' : w);
      else if (BUILTINS.has(w)) push('builtin', w);
      else if (src[i] === '(') push('funcname', w);
      else push('name', w);
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= n || src[j] === '\n') throw new AwkError(`line ${line}: runaway string constant "${s.slice(0, 10)} ...`);
        const d = src[j] as string;
        if (d === '"') break;
        if (d === '\\' && j + 1 < n) {
          if (src[j + 1] === '\n') {
            j += 2;
            line++;
            continue;
          }
          s += d + src[j + 1];
          j += 2;
          continue;
        }
        s += d;
        j++;
      }
      push('str', awkUnescape(s));
      i = j + 1;
      continue;
    }
    if (c === '/' && !prevIsOperand()) {
      let j = i + 1;
      let s = '';
      let inBracket = false;
      for (;;) {
        if (j >= n || src[j] === '\n') throw new AwkError(`line ${line}: runaway regular expression /${s.slice(0, 10)} ...`);
        const d = src[j] as string;
        if (d === '/' && !inBracket) break;
        if (d === '\\' && j + 1 < n) {
          s += d + src[j + 1];
          j += 2;
          continue;
        }
        if (d === '[' && !inBracket) {
          inBracket = true;
          s += d;
          j++;
          if (src[j] === '^') {
            s += '^';
            j++;
          }
          if (src[j] === ']') {
            s += ']';
            j++;
          }
          continue;
        }
        if (d === ']' && inBracket) inBracket = false;
        s += d;
        j++;
      }
      push('ere', s);
      i = j + 1;
      continue;
    }
    const ops = [
      '+=',
      '-=',
      '*=',
      '/=',
      '%=',
      '^=',
      '==',
      '<=',
      '>=',
      '!=',
      '++',
      '--',
      '&&',
      '||',
      '>>',
      '!~',
      '{',
      '}',
      '(',
      ')',
      '[',
      ']',
      ';',
      ',',
      '+',
      '-',
      '*',
      '/',
      '%',
      '^',
      '!',
      '>',
      '<',
      '|',
      '?',
      ':',
      '~',
      '$',
      '=',
    ];
    const op = ops.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkError(`line ${line}: syntax error at or near ${c}`);
    push('op', op);
    i += op.length;
  }
  line++;
  push('eof', '');
  return toks;
}

// ---- syntax tree

type Expr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 're'; src: string }
  | { k: 'var'; name: string }
  | { k: 'idx'; name: string; subs: Expr[] }
  | { k: 'field'; e: Expr }
  | { k: 'assign'; op: string; lv: Expr; e: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'in'; subs: Expr[]; name: string }
  | { k: 'match'; neg: boolean; a: Expr; re: Expr }
  | { k: 'cmp'; op: string; a: Expr; b: Expr }
  | { k: 'cat'; a: Expr; b: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'neg' | 'plus' | 'not'; e: Expr }
  | { k: 'incdec'; op: '++' | '--'; pre: boolean; lv: Expr }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'builtin'; name: string; args: Expr[] }
  | { k: 'getline'; lv: Expr | null; file: Expr | null }
  | { k: 'pipegetline'; cmd: Expr; lv: Expr | null }
  | { k: 'group'; e: Expr };

type Stmt =
  | { k: 'expr'; e: Expr }
  | { k: 'print' | 'printf'; args: Expr[]; redir: { op: string; e: Expr } | null }
  | { k: 'block'; body: Stmt[] }
  | { k: 'if'; c: Expr; a: Stmt; b: Stmt | null }
  | { k: 'while'; c: Expr; body: Stmt }
  | { k: 'do'; c: Expr; body: Stmt }
  | { k: 'for'; init: Stmt | null; c: Expr | null; step: Stmt | null; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'next' | 'nextfile' | 'break' | 'continue' }
  | { k: 'exit' | 'return'; e: Expr | null }
  | { k: 'delete'; name: string; subs: Expr[] | null }
  | { k: 'nop' };

interface Rule {
  kind: 'begin' | 'end' | 'main';
  pat: Expr | null;
  pat2: Expr | null;
  body: Stmt[] | null;
  inRange: boolean;
}

interface Func {
  params: string[];
  body: Stmt[];
}

class Parser {
  p = 0;
  rules: Rule[] = [];
  funcs = new Map<string, Func>();
  /** Some print writes to a command. */
  hasPipe = false;
  private noGt = 0;
  constructor(private readonly toks: Tok[]) {}

  private get tok(): Tok {
    return this.toks[this.p] as Tok;
  }
  private peekAt(k: number): Tok {
    return (this.toks[this.p + k] ?? this.toks[this.toks.length - 1]) as Tok;
  }
  private is(t: TokT, v?: string): boolean {
    const k = this.tok;
    return k.t === t && (v === undefined || k.v === v);
  }
  private isOp(v: string): boolean {
    return this.is('op', v);
  }
  private fail(): never {
    const t = this.tok;
    if (t.t === 'eof') throw new AwkError(`line ${t.line}: syntax error at or near end of file`);
    const shown = t.t === 'nl' ? 'end of line' : t.t === 'str' ? `"${t.v}"` : t.t === 'ere' ? `/${t.v}/` : t.v;
    throw new AwkError(`line ${t.line}: syntax error at or near ${shown}`);
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) {
      if (v === '}' && this.is('eof')) throw new AwkError(`line ${this.tok.line}: missing } near end of file`);
      this.fail();
    }
    this.p++;
  }
  private nls(): void {
    while (this.is('nl')) this.p++;
  }
  private terms(): void {
    while (this.is('nl') || this.isOp(';')) this.p++;
  }

  /** Functions called, checked once the whole program is read (a call may come before the definition). */
  private called = new Set<string>();

  program(): void {
    this.terms();
    while (!this.is('eof')) {
      this.item();
      this.terms();
    }
    for (const f of this.called) {
      if (!this.funcs.has(f)) throw new AwkError(`line ${this.tok.line}: function ${f} never defined`);
    }
  }

  private item(): void {
    if (this.is('kw', 'BEGIN') || this.is('kw', 'END')) {
      const kind = this.tok.v === 'BEGIN' ? 'begin' : 'end';
      this.p++;
      this.nls();
      if (!this.isOp('{')) this.fail();
      this.rules.push({ kind, pat: null, pat2: null, body: this.block(), inRange: false });
      return;
    }
    if (this.is('kw', 'function')) {
      this.p++;
      const nameTok = this.tok;
      if (nameTok.t !== 'name' && nameTok.t !== 'funcname') this.fail();
      this.p++;
      this.expectOp('(');
      const params: string[] = [];
      while (!this.isOp(')')) {
        this.nls();
        if (!this.is('name')) this.fail();
        params.push(this.tok.v);
        this.p++;
        this.nls();
        if (this.isOp(',')) this.p++;
        else if (!this.isOp(')')) this.fail();
      }
      this.p++;
      this.nls();
      this.funcs.set(nameTok.v, { params, body: this.block() });
      return;
    }
    let pat: Expr | null = null;
    let pat2: Expr | null = null;
    if (!this.isOp('{')) {
      pat = this.expr();
      if (this.isOp(',')) {
        this.p++;
        this.nls();
        pat2 = this.expr();
      }
    }
    const body = this.isOp('{') ? this.block() : null;
    this.rules.push({ kind: 'main', pat, pat2, body, inRange: false });
  }

  private block(): Stmt[] {
    this.expectOp('{');
    const body: Stmt[] = [];
    this.terms();
    while (!this.isOp('}')) {
      if (this.is('eof')) throw new AwkError(`line ${this.tok.line}: missing } near end of file`);
      body.push(this.stmt());
      this.terms();
    }
    this.p++;
    return body;
  }

  /** After a simple statement: `;`, a newline, or before `}`. */
  private endSimple(): void {
    if (this.isOp(';') || this.is('nl')) {
      this.p++;
      return;
    }
    if (this.isOp('}') || this.is('eof')) return;
    this.fail();
  }

  private stmt(): Stmt {
    const t = this.tok;
    if (t.t === 'op' && t.v === '{') return { k: 'block', body: this.block() };
    if (t.t === 'op' && t.v === ';') {
      this.p++;
      return { k: 'nop' };
    }
    if (t.t === 'kw') {
      switch (t.v) {
        case 'if': {
          this.p++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          this.nls();
          const a = this.stmt();
          const save = this.p;
          this.terms();
          if (this.is('kw', 'else')) {
            this.p++;
            this.nls();
            return { k: 'if', c, a, b: this.stmt() };
          }
          this.p = save;
          return { k: 'if', c, a, b: null };
        }
        case 'while': {
          this.p++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          if (this.isOp(';')) {
            this.p++;
            return { k: 'while', c, body: { k: 'nop' } };
          }
          this.nls();
          return { k: 'while', c, body: this.stmt() };
        }
        case 'do': {
          this.p++;
          this.nls();
          const body = this.stmt();
          this.terms();
          if (!this.is('kw', 'while')) this.fail();
          this.p++;
          this.expectOp('(');
          const c = this.expr();
          this.expectOp(')');
          this.endSimple();
          return { k: 'do', c, body };
        }
        case 'for': {
          this.p++;
          this.expectOp('(');
          if (
            this.is('name') &&
            this.peekAt(1).t === 'kw' &&
            this.peekAt(1).v === 'in' &&
            this.peekAt(2).t === 'name' &&
            this.peekAt(3).v === ')'
          ) {
            const v = this.tok.v;
            const arr = this.peekAt(2).v;
            this.p += 4;
            this.nls();
            return { k: 'forin', v, arr, body: this.stmt() };
          }
          const init = this.isOp(';') ? null : this.simple();
          this.expectOp(';');
          this.nls();
          const c = this.isOp(';') ? null : this.expr();
          this.expectOp(';');
          this.nls();
          const step = this.isOp(')') ? null : this.simple();
          this.expectOp(')');
          if (this.isOp(';')) {
            this.p++;
            return { k: 'for', init, c, step, body: { k: 'nop' } };
          }
          this.nls();
          return { k: 'for', init, c, step, body: this.stmt() };
        }
      }
    }
    const s = this.simple();
    this.endSimple();
    return s;
  }

  private simple(): Stmt {
    const t = this.tok;
    if (t.t === 'kw') {
      switch (t.v) {
        case 'print':
        case 'printf': {
          this.p++;
          let args: Expr[] = [];
          this.noGt++;
          try {
            if (!this.endOfPrint()) {
              // print (a, b) > "f": a parenthesized list
              const save = this.p;
              let done = false;
              if (this.isOp('(')) {
                this.p++;
                this.noGt--;
                try {
                  const list = [this.expr()];
                  while (this.isOp(',')) {
                    this.p++;
                    this.nls();
                    list.push(this.expr());
                  }
                  if (this.isOp(')')) {
                    this.p++;
                    if (this.endOfPrint()) {
                      args = list;
                      done = true;
                    }
                  }
                } catch (e) {
                  if (!(e instanceof AwkError)) throw e;
                } finally {
                  this.noGt++;
                }
                if (!done) this.p = save;
              }
              if (!done) {
                args.push(this.expr());
                while (this.isOp(',')) {
                  this.p++;
                  this.nls();
                  args.push(this.expr());
                }
              }
            }
          } finally {
            this.noGt--;
          }
          let redir: { op: string; e: Expr } | null = null;
          if (this.isOp('>') || this.isOp('>>') || this.isOp('|')) {
            const op = this.tok.v;
            if (op === '|') this.hasPipe = true;
            this.p++;
            redir = { op, e: this.concat() };
          }
          if (t.v === 'printf' && args.length === 0) this.fail();
          return { k: t.v, args, redir };
        }
        case 'next':
        case 'nextfile':
        case 'break':
        case 'continue':
          this.p++;
          return { k: t.v };
        case 'exit':
        case 'return': {
          this.p++;
          const e = this.isOp(';') || this.isOp('}') || this.is('nl') || this.is('eof') ? null : this.expr();
          return { k: t.v, e };
        }
        case 'delete': {
          this.p++;
          if (!this.is('name')) this.fail();
          const name = this.tok.v;
          this.p++;
          if (this.isOp('[')) {
            this.p++;
            const subs = this.exprList(']');
            return { k: 'delete', name, subs };
          }
          return { k: 'delete', name, subs: null };
        }
      }
    }
    return { k: 'expr', e: this.expr() };
  }

  private endOfPrint(): boolean {
    return this.isOp(';') || this.isOp('}') || this.is('nl') || this.is('eof') || this.isOp('>') || this.isOp('>>') || this.isOp('|');
  }

  private exprList(close: string): Expr[] {
    const list = [this.expr()];
    while (this.isOp(',')) {
      this.p++;
      this.nls();
      list.push(this.expr());
    }
    this.expectOp(close);
    return list;
  }

  expr(): Expr {
    const lhs = this.ternary();
    const t = this.tok;
    if (t.t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes(t.v) && isLvalue(lhs)) {
      this.p++;
      this.nls();
      return { k: 'assign', op: t.v, lv: lhs, e: this.expr() };
    }
    return lhs;
  }

  private ternary(): Expr {
    const c = this.or();
    if (this.isOp('?')) {
      this.p++;
      this.nls();
      const a = this.expr();
      this.nls();
      this.expectOp(':');
      this.nls();
      const b = this.expr();
      return { k: 'cond', c, a, b };
    }
    return c;
  }

  private or(): Expr {
    return this.logical('||', 'or', () => this.and());
  }

  private and(): Expr {
    return this.logical('&&', 'and', () => this.inExpr());
  }

  /** A left-associative || or && level: a newline may follow the operator. */
  private logical(op: string, k: 'or' | 'and', next: () => Expr): Expr {
    let a = next();
    while (this.isOp(op)) {
      this.p++;
      this.nls();
      a = { k, a, b: next() };
    }
    return a;
  }

  private inExpr(): Expr {
    let a = this.matchExpr();
    while (this.is('kw', 'in')) {
      this.p++;
      if (!this.is('name')) this.fail();
      const name = this.tok.v;
      this.p++;
      const subs = a.k === 'group' && (a as { list?: Expr[] }).list ? ((a as { list?: Expr[] }).list as Expr[]) : [a];
      a = { k: 'in', subs, name };
    }
    return a;
  }

  private matchExpr(): Expr {
    let a = this.comparison();
    while (this.isOp('~') || this.isOp('!~')) {
      const neg = this.tok.v === '!~';
      this.p++;
      a = { k: 'match', neg, a, re: this.comparison() };
    }
    return a;
  }

  private comparison(): Expr {
    const a = this.concat();
    const t = this.tok;
    if (t.t === 'op' && ['<', '<=', '!=', '==', '>=', '>'].includes(t.v) && !(this.noGt && t.v === '>')) {
      this.p++;
      return { k: 'cmp', op: t.v, a, b: this.concat() };
    }
    return a;
  }

  private startsOperand(): boolean {
    const t = this.tok;
    if (t.t === 'num' || t.t === 'str' || t.t === 'ere' || t.t === 'name' || t.t === 'funcname' || t.t === 'builtin') return true;
    if (t.t === 'op') return t.v === '$' || t.v === '(' || t.v === '++' || t.v === '--';
    return false;
  }

  concat(): Expr {
    let a = this.additive();
    for (;;) {
      if (this.isOp('|') && this.peekAt(1).t === 'kw' && this.peekAt(1).v === 'getline') {
        this.p += 2;
        const lv = this.optLvalue();
        a = { k: 'pipegetline', cmd: a, lv };
        continue;
      }
      if (!this.startsOperand()) break;
      if (this.is('kw', 'in')) break;
      a = { k: 'cat', a, b: this.additive() };
    }
    return a;
  }

  private additive(): Expr {
    return this.arith(['+', '-'], () => this.mult());
  }

  private mult(): Expr {
    return this.arith(['*', '/', '%'], () => this.unary());
  }

  /** A left-associative arithmetic level. */
  private arith(ops: readonly string[], next: () => Expr): Expr {
    let a = next();
    while (ops.some((o) => this.isOp(o))) {
      const op = this.tok.v;
      this.p++;
      a = { k: 'bin', op, a, b: next() };
    }
    return a;
  }

  private unary(): Expr {
    if (this.isOp('!')) {
      this.p++;
      return { k: 'not', e: this.unary() };
    }
    if (this.isOp('-')) {
      this.p++;
      return { k: 'neg', e: this.unary() };
    }
    if (this.isOp('+')) {
      this.p++;
      return { k: 'plus', e: this.unary() };
    }
    return this.pow();
  }

  private pow(): Expr {
    const a = this.postfix();
    if (this.isOp('^')) {
      this.p++;
      // right associative, and the exponent may carry a sign
      const b = this.isOp('-') || this.isOp('+') || this.isOp('!') ? this.unary() : this.pow();
      return { k: 'bin', op: '^', a, b };
    }
    return a;
  }

  private postfix(): Expr {
    if (this.isOp('++') || this.isOp('--')) {
      const op = this.tok.v as '++' | '--';
      this.p++;
      const lv = this.postfix();
      if (!isLvalue(lv)) this.fail();
      return { k: 'incdec', op, pre: true, lv };
    }
    const e = this.primary();
    if (isLvalue(e) && (this.isOp('++') || this.isOp('--'))) {
      const op = this.tok.v as '++' | '--';
      this.p++;
      return { k: 'incdec', op, pre: false, lv: e };
    }
    return e;
  }

  private optLvalue(): Expr | null {
    if (this.is('name') || this.isOp('$')) {
      const save = this.p;
      const e = this.is('name') ? this.primary() : this.fieldRef();
      if (isLvalue(e)) return e;
      this.p = save;
    }
    return null;
  }

  private fieldRef(): Expr {
    this.p++; // $
    if (this.isOp('++') || this.isOp('--')) {
      const op = this.tok.v as '++' | '--';
      this.p++;
      const lv = this.primary();
      return { k: 'field', e: { k: 'incdec', op, pre: true, lv } };
    }
    if (this.isOp('-')) {
      this.p++;
      return { k: 'field', e: { k: 'neg', e: this.primary() } };
    }
    return { k: 'field', e: this.primary() };
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.t) {
      case 'num':
        this.p++;
        return { k: 'num', v: t.n as number };
      case 'str':
        this.p++;
        return { k: 'str', v: t.v };
      case 'ere':
        this.p++;
        return { k: 're', src: t.v };
      case 'name':
        this.p++;
        if (this.isOp('[')) {
          this.p++;
          return { k: 'idx', name: t.v, subs: this.exprList(']') };
        }
        return { k: 'var', name: t.v };
      case 'funcname': {
        this.p += 2;
        const args: Expr[] = [];
        this.nls();
        if (!this.isOp(')')) args.push(...this.exprList(')'));
        else this.p++;
        this.called.add(t.v);
        return { k: 'call', name: t.v, args };
      }
      case 'builtin': {
        this.p++;
        if (!this.isOp('(')) {
          if (t.v === 'length') return { k: 'builtin', name: 'length', args: [] };
          this.fail();
        }
        this.p++;
        this.nls();
        const args: Expr[] = [];
        if (!this.isOp(')')) args.push(...this.exprList(')'));
        else this.p++;
        checkArity(t.v, args.length, t.line);
        return { k: 'builtin', name: t.v, args };
      }
      case 'kw':
        if (t.v === 'getline') {
          this.p++;
          const lv = this.optLvalue();
          let file: Expr | null = null;
          if (this.isOp('<')) {
            this.p++;
            file = this.primaryish();
          }
          return { k: 'getline', lv, file };
        }
        break;
      case 'op':
        if (t.v === '$') return this.fieldRef();
        if (t.v === '(') {
          this.p++;
          const saveGt = this.noGt;
          this.noGt = 0;
          const e = this.expr();
          if (this.isOp(',')) {
            // (a, b) in arr
            const list = [e];
            while (this.isOp(',')) {
              this.p++;
              this.nls();
              list.push(this.expr());
            }
            this.expectOp(')');
            this.noGt = saveGt;
            if (!this.is('kw', 'in')) this.fail();
            return { k: 'group', e, list } as Expr;
          }
          this.expectOp(')');
          this.noGt = saveGt;
          return { k: 'group', e };
        }
        if (t.v === '-' || t.v === '+' || t.v === '!') return this.unary();
        break;
    }
    return this.fail();
  }

  /** getline < file: the file is a primary, maybe concatenated with $ or a name (mawk reads `"f" x` as one). */
  private primaryish(): Expr {
    return this.primary();
  }
}

function checkArity(name: string, n: number, line: number): void {
  const ranges: Record<string, [number, number]> = {
    length: [0, 1],
    substr: [2, 3],
    index: [2, 2],
    split: [2, 3],
    sub: [2, 3],
    gsub: [2, 3],
    match: [2, 2],
    sprintf: [1, 255],
    sin: [1, 1],
    cos: [1, 1],
    atan2: [2, 2],
    exp: [1, 1],
    log: [1, 1],
    sqrt: [1, 1],
    int: [1, 1],
    rand: [0, 0],
    srand: [0, 1],
    tolower: [1, 1],
    toupper: [1, 1],
    system: [1, 1],
    close: [1, 1],
    fflush: [0, 1],
  };
  const r = ranges[name] as [number, number];
  if (n < r[0] || n > r[1]) throw new AwkError(`line ${line}: wrong number of arguments in call to ${name}`);
}

function isLvalue(e: Expr): boolean {
  return e.k === 'var' || e.k === 'idx' || e.k === 'field';
}

// ---- interpreter

class NextSignal {}
class NextFileSignal {}
class ExitSignal {
  constructor(readonly status: number | null) {}
}
class BreakSignal {}
class ContinueSignal {}
class ReturnSignal {
  constructor(readonly v: V) {}
}

type Cell = V | Map<string, V>;

interface Frame {
  locals: Map<string, Cell>;
}

export class Interp {
  globals = new Map<string, Cell>();
  frames: Frame[] = [];
  fields: string[] = [''];
  nf = 0;
  splitDone = true;
  record = '';
  nr = 0;
  fnr = 0;
  exitStatus = 0;
  out = new Map<string, boolean>();
  reCache = new Map<string, Regex>();
  rangeActive: boolean[] = [];
  randState = 0;
  prevSeed = 0;
  /** Lines for plain getline: set by the main loop (all input read ahead when the program uses getline). */
  mainInput: { next(): { text: string; file: string } | null } | null = null;
  fileReaders = new Map<string, { lines: string[]; i: number }>();

  constructor(
    readonly ctx: ProcCtx,
    readonly prog: Parser,
    readonly name: string,
  ) {
    const g = this.globals;
    g.set('FS', ' ');
    g.set('OFS', ' ');
    g.set('ORS', '\n');
    g.set('RS', '\n');
    g.set('SUBSEP', '\x1c');
    g.set('CONVFMT', '%.6g');
    g.set('OFMT', '%.6g');
    g.set('RSTART', 0);
    g.set('RLENGTH', -1);
    g.set('FILENAME', '');
    const env = new Map<string, V>();
    for (const [k, v] of ctx.env) env.set(k, strnum(v));
    g.set('ENVIRON', env);
  }

  // -- values

  num(v: V): number {
    if (typeof v === 'number') return v;
    if (v instanceof StrNum) return v.n;
    return strtod(v);
  }

  numToStr(n: number, fmt: string): string {
    if (Number.isInteger(n) && n >= -MAX_INT && n <= MAX_INT) return String(n);
    if (Number.isInteger(n) && Object.is(n, -0)) return '-0';
    return this.sprintf(fmt, [n]);
  }

  str(v: V): string {
    if (typeof v === 'string') return v;
    if (v instanceof StrNum) return v.s;
    return this.numToStr(v, this.sget('CONVFMT'));
  }

  outStr(v: V): string {
    if (typeof v === 'number') return this.numToStr(v, this.sget('OFMT'));
    return this.str(v);
  }

  bool(v: V): boolean {
    if (typeof v === 'number') return v !== 0;
    if (v instanceof StrNum) return v.n !== 0;
    return v !== '';
  }

  private sget(name: string): string {
    const v = this.globals.get(name);
    if (v === undefined || v instanceof Map) return '';
    return this.str(v);
  }

  compare(a: V, b: V): number {
    const an = typeof a === 'number' || a instanceof StrNum;
    const bn = typeof b === 'number' || b instanceof StrNum;
    if (an && bn) {
      const x = this.num(a);
      const y = this.num(b);
      return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
    }
    const x = this.str(a);
    const y = this.str(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  regex(src: string): Regex {
    let r = this.reCache.get(src);
    if (!r) {
      try {
        r = regcomp(src, { awk: true });
      } catch (e) {
        if (e instanceof RegexSyntaxError) throw new RunError(`regular expression compile failed (${e.message.toLowerCase()})\n${src}`);
        throw e;
      }
      this.reCache.set(src, r);
    }
    return r;
  }

  /** The regex an expression stands for: a literal, or its value as a string. */
  reOf(e: Expr): Regex {
    if (e.k === 're') return this.regex(e.src);
    return this.regex(this.str(this.eval(e)));
  }

  // -- fields

  setRecord(s: string): void {
    this.record = s;
    this.splitDone = false;
  }

  private split(): void {
    if (this.splitDone) return;
    this.splitDone = true;
    const parts = this.splitStr(this.record, this.globals.get('FS') as V);
    this.fields = [this.record, ...parts];
    this.nf = parts.length;
  }

  splitStr(s: string, fsv: V): string[] {
    const fs = this.str(fsv);
    if (fs === ' ') {
      const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
      return t === '' ? [] : t.split(/[ \t\n]+/);
    }
    if (s === '') return [];
    if (fs.length === 1 && fs !== '\\') return s.split(fs);
    if (fs === '') return [...s];
    const re = this.regex(fs);
    const out: string[] = [];
    let pos = 0;
    let from = 0;
    while (from <= s.length) {
      const m = re.exec(s, from);
      if (m === null) break;
      const [ms, me] = m as [number, number];
      if (me === ms) {
        from = ms + 1;
        continue;
      }
      out.push(s.slice(pos, ms));
      pos = me;
      from = me;
    }
    out.push(s.slice(pos));
    return out;
  }

  getField(i: number): V {
    if (i < 0) throw new RunError(`negative field index $${i}`);
    if (i === 0) return strnum(this.record);
    this.split();
    if (i > this.nf) return UNINIT;
    return strnum(this.fields[i] as string);
  }

  setField(i: number, v: string): void {
    if (i < 0) throw new RunError(`negative field index $${i}`);
    if (i === 0) {
      this.setRecord(v);
      return;
    }
    this.split();
    while (this.nf < i) this.fields[++this.nf] = '';
    this.fields[i] = v;
    this.rebuild();
  }

  private rebuild(): void {
    this.record = this.fields.slice(1, this.nf + 1).join(this.sget('OFS'));
    this.fields[0] = this.record;
  }

  setNF(n: number): void {
    this.split();
    n = Math.trunc(n);
    while (this.nf < n) this.fields[++this.nf] = '';
    this.nf = n;
    this.fields.length = n + 1;
    this.rebuild();
  }

  // -- variables

  private frame(): Frame | null {
    return this.frames[this.frames.length - 1] ?? null;
  }

  getVar(name: string): V {
    const f = this.frame();
    if (f?.locals.has(name)) {
      const v = f.locals.get(name);
      if (v instanceof Map) throw new RunError(`can't use array ${name} in scalar context`);
      return v ?? UNINIT;
    }
    switch (name) {
      case 'NF':
        this.split();
        return this.nf;
      case 'NR':
        return this.nr;
      case 'FNR':
        return this.fnr;
    }
    const v = this.globals.get(name);
    if (v instanceof Map) throw new AwkError(`line 1: illegal reference to array ${name}`);
    return v ?? UNINIT;
  }

  setVar(name: string, v: V): void {
    const f = this.frame();
    if (f?.locals.has(name)) {
      f.locals.set(name, v);
      return;
    }
    switch (name) {
      case 'NF':
        this.setNF(this.num(v));
        return;
      case 'NR':
        this.nr = this.num(v);
        return;
      case 'FNR':
        this.fnr = this.num(v);
        return;
    }
    if (this.globals.get(name) instanceof Map) throw new AwkError(`line 1: can't assign to ${name}; it's an array name.`);
    this.globals.set(name, v);
  }

  array(name: string): Map<string, V> {
    const f = this.frame();
    if (f?.locals.has(name)) {
      let v = f.locals.get(name);
      if (!(v instanceof Map)) {
        if (v !== undefined && v !== '' && v !== UNINIT) throw new RunError(`can't use scalar ${name} as array`);
        v = new Map();
        f.locals.set(name, v);
      }
      return v;
    }
    let v = this.globals.get(name);
    if (!(v instanceof Map)) {
      if (v !== undefined) throw new AwkError(`line 1: illegal reference to variable ${name}`);
      v = new Map();
      this.globals.set(name, v);
    }
    return v;
  }

  subscript(subs: Expr[]): string {
    if (subs.length === 1) return this.str(this.eval(subs[0] as Expr));
    return subs.map((s) => this.str(this.eval(s))).join(this.sget('SUBSEP'));
  }

  assignTo(lv: Expr, v: V): void {
    if (lv.k === 'var') this.setVar(lv.name, v);
    else if (lv.k === 'idx') this.array(lv.name).set(this.subscript(lv.subs), v);
    else if (lv.k === 'field') this.setField(Math.trunc(this.num(this.eval(lv.e))), this.str(v));
  }

  /** Assigns and returns what a later read of the lvalue gives (fields are strnums). */
  private store(lv: Expr, v: V): V {
    if (lv.k === 'field') {
      const i = Math.trunc(this.num(this.eval(lv.e)));
      const s = this.str(v);
      this.setField(i, s);
      return v;
    }
    this.assignTo(lv, v);
    return v;
  }

  // -- evaluation

  eval(e: Expr): V {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 're':
        return this.regex(e.src).test(this.record) ? 1 : 0;
      case 'group':
        return this.eval(e.e);
      case 'var':
        return this.getVar(e.name);
      case 'idx': {
        const a = this.array(e.name);
        const k = this.subscript(e.subs);
        const v = a.get(k);
        if (v === undefined) {
          a.set(k, UNINIT);
          return UNINIT;
        }
        return v;
      }
      case 'field':
        return this.getField(Math.trunc(this.num(this.eval(e.e))));
      case 'assign': {
        if (e.op === '=') return this.store(e.lv, this.eval(e.e));
        const rhs = this.num(this.eval(e.e));
        const cur = this.num(this.eval(e.lv));
        return this.store(e.lv, this.arith(e.op.slice(0, -1), cur, rhs));
      }
      case 'cond':
        return this.bool(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case 'and':
        return this.bool(this.eval(e.a)) && this.bool(this.eval(e.b)) ? 1 : 0;
      case 'or':
        return this.bool(this.eval(e.a)) || this.bool(this.eval(e.b)) ? 1 : 0;
      case 'in':
        return this.array(e.name).has(this.subscript(e.subs)) ? 1 : 0;
      case 'match': {
        const s = this.str(this.eval(e.a));
        const r = this.reOf(e.re).test(s);
        return r !== e.neg ? 1 : 0;
      }
      case 'cmp': {
        const c = this.compare(this.eval(e.a), this.eval(e.b));
        switch (e.op) {
          case '<':
            return c < 0 ? 1 : 0;
          case '<=':
            return c <= 0 ? 1 : 0;
          case '>':
            return c > 0 ? 1 : 0;
          case '>=':
            return c >= 0 ? 1 : 0;
          case '==':
            return c === 0 ? 1 : 0;
          default:
            return c !== 0 ? 1 : 0;
        }
      }
      case 'cat':
        return this.str(this.eval(e.a)) + this.str(this.eval(e.b));
      case 'bin':
        return this.arith(e.op, this.num(this.eval(e.a)), this.num(this.eval(e.b)));
      case 'neg':
        return -this.num(this.eval(e.e));
      case 'plus':
        return this.num(this.eval(e.e));
      case 'not':
        return this.bool(this.eval(e.e)) ? 0 : 1;
      case 'incdec': {
        const cur = this.num(this.eval(e.lv));
        const nv = e.op === '++' ? cur + 1 : cur - 1;
        this.store(e.lv, nv);
        return e.pre ? nv : cur;
      }
      case 'call':
        return this.call(e.name, e.args);
      case 'builtin':
        return this.builtin(e.name, e.args);
      case 'getline':
        return this.getline(e.lv, e.file);
      case 'pipegetline':
        throw new NotSimulated('"cmd" | getline');
    }
  }

  arith(op: string, a: number, b: number): number {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '%':
        return a % b;
      default:
        return a ** b;
    }
  }

  private call(name: string, args: Expr[]): V {
    const f = this.prog.funcs.get(name);
    if (!f) throw new AwkError(`line 1: function ${name} never defined`);
    if (args.length > f.params.length) throw new AwkError(`line 1: too many arguments in call to ${name}`);
    const locals = new Map<string, Cell>();
    f.params.forEach((p, k) => {
      const a = args[k];
      if (a === undefined) {
        locals.set(p, UNINIT);
        return;
      }
      // an array argument goes by reference
      if (a.k === 'var') {
        const fr = this.frame();
        const cur = fr?.locals.has(a.name) ? fr.locals.get(a.name) : this.globals.get(a.name);
        if (cur instanceof Map) {
          locals.set(p, cur);
          return;
        }
        if (cur === undefined && this.usedAsArray(f, p)) {
          locals.set(p, this.array(a.name));
          return;
        }
      }
      locals.set(p, this.eval(a));
    });
    if (this.frames.length > 1000) throw new RunError('function call nesting too deep');
    this.tick();
    this.frames.push({ locals });
    try {
      this.execList(f.body);
      return UNINIT;
    } catch (e) {
      if (e instanceof ReturnSignal) return e.v;
      throw e;
    } finally {
      this.frames.pop();
    }
  }

  private usedAsArray(f: Func, p: string): boolean {
    const text = JSON.stringify(f.body);
    return text.includes(`"name":"${p}","subs"`) || text.includes(`"arr":"${p}"`) || text.includes(`{"k":"delete","name":"${p}"`);
  }

  private builtin(name: string, args: Expr[]): V {
    const a = (k: number): V => this.eval(args[k] as Expr);
    const s = (k: number): string => this.str(a(k));
    const n = (k: number): number => this.num(a(k));
    switch (name) {
      case 'length': {
        if (args.length === 0) return this.record.length;
        const x = args[0] as Expr;
        if (x.k === 'var') {
          const fr = this.frame();
          const cur = fr?.locals.has(x.name) ? fr.locals.get(x.name) : this.globals.get(x.name);
          if (cur instanceof Map) return cur.size;
        }
        return s(0).length;
      }
      case 'substr': {
        const str = s(0);
        let b = Math.trunc(n(1));
        let len = args.length > 2 ? Math.trunc(n(2)) : str.length;
        if (Number.isNaN(b)) b = 1;
        if (b < 1) {
          len -= b;
          b = 1;
        }
        if (len <= 0) return '';
        return str.substr(b - 1, len);
      }
      case 'index':
        return s(0).indexOf(s(1)) + 1;
      case 'split': {
        const str = s(0);
        const target = args[1] as Expr;
        if (target.k !== 'var') throw new AwkError('line 1: syntax error at or near )');
        const parts = args.length > 2 ? this.splitWith(str, args[2] as Expr) : this.splitStr(str, this.globals.get('FS') as V);
        const arr = this.array(target.name);
        arr.clear();
        parts.forEach((p, k) => arr.set(String(k + 1), strnum(p)));
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        const re = this.reOf(args[0] as Expr);
        const repl = s(1);
        const target: Expr = args[2] ?? { k: 'field', e: { k: 'num', v: 0 } };
        const cur = this.str(this.eval(target));
        const r = substitute(re, cur, repl, name === 'gsub');
        if (r.count > 0) this.store(target, r.out);
        return r.count;
      }
      case 'match': {
        const str = s(0);
        const m = this.reOf(args[1] as Expr).exec(str);
        const start = m ? (m[0] as number) + 1 : 0;
        const len = m ? (m[1] as number) - (m[0] as number) : -1;
        this.globals.set('RSTART', start);
        this.globals.set('RLENGTH', len);
        return start;
      }
      case 'sprintf':
        return this.sprintf(
          s(0),
          args.slice(1).map((x) => this.eval(x)),
        );
      case 'sin':
        return Math.sin(n(0));
      case 'cos':
        return Math.cos(n(0));
      case 'atan2':
        return Math.atan2(n(0), n(1));
      case 'exp':
        return Math.exp(n(0));
      case 'log':
        return Math.log(n(0));
      case 'sqrt':
        return Math.sqrt(n(0));
      case 'int':
        return Math.trunc(n(0));
      case 'rand': {
        // a fixed-seed generator: runs are deterministic
        this.randState = (Math.imul(this.randState, 1103515245) + 12345) >>> 0;
        return this.randState / 4294967296;
      }
      case 'srand': {
        const prev = this.prevSeed;
        this.prevSeed = args.length ? n(0) : Math.floor((this.ctx.world.sim.epochNs + this.ctx.world.sim.now) / 1e9);
        this.randState = this.prevSeed >>> 0;
        return prev;
      }
      case 'tolower':
        return s(0).replace(/[A-Z]+/g, (x) => x.toLowerCase());
      case 'toupper':
        return s(0).replace(/[a-z]+/g, (x) => x.toUpperCase());
      case 'system':
        throw new NotSimulated('system()');
      case 'close': {
        const f = s(0);
        const data = this.pipes.get(f);
        if (data !== undefined) {
          this.pipes.delete(f);
          this.closedPipes.push({ cmd: f, data });
          return 0;
        }
        const had = this.out.delete(f) || this.fileReaders.delete(f);
        return had ? 0 : -1;
      }
      case 'fflush':
        return 0;
    }
    return '';
  }

  private splitWith(str: string, sep: Expr): string[] {
    if (sep.k === 're') {
      if (str === '') return [];
      return this.splitStr(str, sep.src.length === 1 ? `[${sep.src}]` : sep.src);
    }
    return this.splitStr(str, this.eval(sep));
  }

  sprintf(fmt: string, vals: V[]): string {
    let out = '';
    let k = 0;
    const next = (): V => {
      if (k >= vals.length) {
        const e = new RunError(`not enough arguments passed to ${this.fnName}("${fmt}")`);
        e.partial = out;
        throw e;
      }
      return vals[k++] as V;
    };
    for (const part of parseFormat(fmt)) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      let spec: Spec;
      if ('star' in part) {
        spec = { ...part.star };
        if (part.wStar) {
          const w = Math.trunc(this.num(next()));
          if (w < 0) {
            spec.flags += '-';
            spec.width = -w;
          } else spec.width = w;
        }
        if (part.pStar) {
          const p = Math.trunc(this.num(next()));
          spec.prec = p < 0 ? null : p;
        }
      } else spec = part;
      const v = next();
      switch (spec.conv) {
        case 'd':
        case 'i':
        case 'o':
        case 'x':
        case 'X':
        case 'u':
          out += formatInt(this.num(v), spec);
          break;
        case 'c': {
          let ch: string;
          if (typeof v === 'number') ch = String.fromCharCode(Math.trunc(v) & 0xff);
          else ch = this.str(v).slice(0, 1);
          out += formatStr(ch, { ...spec, prec: null });
          break;
        }
        case 's':
          out += formatStr(this.str(v), spec);
          break;
        default:
          out += formatFloat(this.num(v), spec);
      }
    }
    return out;
  }

  fnName = 'sprintf';

  private getline(lv: Expr | null, file: Expr | null): V {
    if (file) {
      const name = this.str(this.eval(file));
      let r = this.fileReaders.get(name);
      if (!r) {
        const text = name === '-' || name === '/dev/stdin' ? null : readPath(this.ctx, name);
        if (text === null) {
          if (!this.mainInput) return -1;
          const l = this.mainInput.next();
          if (l === null) return 0;
          this.assignLine(lv, l.text, false);
          return 1;
        }
        if (typeof text !== 'string') return -1;
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        r = { lines, i: 0 };
        this.fileReaders.set(name, r);
      }
      if (r.i >= r.lines.length) return 0;
      this.assignLine(lv, r.lines[r.i++] as string, false);
      return 1;
    }
    if (!this.mainInput) return 0;
    const l = this.mainInput.next();
    if (l === null) return 0;
    this.assignLine(lv, l.text, true);
    return 1;
  }

  private assignLine(lv: Expr | null, text: string, main: boolean): void {
    if (main) {
      this.nr++;
      this.fnr++;
    }
    if (lv === null) {
      this.setRecord(text);
      if (!main) this.nr++;
      return;
    }
    this.assignTo(lv, strnum(text));
  }

  // -- statements

  /**
   * A loop iteration or a call: the program runs without yielding, so its work
   * counts against the run's event budget (an endless loop ends there, as a
   * shell loop does).
   */
  tick(): void {
    this.ctx.world.sim.countEvent();
  }

  execList(list: Stmt[]): void {
    for (const s of list) this.exec(s);
  }

  exec(s: Stmt): void {
    switch (s.k) {
      case 'expr':
        this.eval(s.e);
        return;
      case 'print': {
        const text = s.args.length === 0 ? this.record : s.args.map((a) => this.outStr(this.eval(a))).join(this.sget('OFS'));
        this.write(text + this.sget('ORS'), s.redir);
        return;
      }
      case 'printf': {
        const vals = s.args.map((a) => this.eval(a));
        this.fnName = 'printf';
        try {
          this.write(this.sprintf(this.str(vals[0] as V), vals.slice(1)), s.redir);
        } catch (e) {
          // what was formatted before the error still goes out
          if (e instanceof RunError && e.partial) this.write(e.partial, s.redir);
          throw e;
        } finally {
          this.fnName = 'sprintf';
        }
        return;
      }
      case 'block':
        this.execList(s.body);
        return;
      case 'if':
        if (this.bool(this.eval(s.c))) this.exec(s.a);
        else if (s.b) this.exec(s.b);
        return;
      case 'while':
        while (this.bool(this.eval(s.c))) {
          this.tick();
          try {
            this.exec(s.body);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (e instanceof ContinueSignal) continue;
            throw e;
          }
        }
        return;
      case 'do':
        do {
          this.tick();
          try {
            this.exec(s.body);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (e instanceof ContinueSignal) continue;
            throw e;
          }
        } while (this.bool(this.eval(s.c)));
        return;
      case 'for':
        if (s.init) this.exec(s.init);
        while (s.c === null || this.bool(this.eval(s.c))) {
          this.tick();
          try {
            this.exec(s.body);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (!(e instanceof ContinueSignal)) throw e;
          }
          if (s.step) this.exec(s.step);
        }
        return;
      case 'forin': {
        const keys = [...this.array(s.arr).keys()];
        for (const k of keys) {
          this.setVar(s.v, strnum(k));
          try {
            this.exec(s.body);
          } catch (e) {
            if (e instanceof BreakSignal) break;
            if (e instanceof ContinueSignal) continue;
            throw e;
          }
        }
        return;
      }
      case 'next':
        throw new NextSignal();
      case 'nextfile':
        throw new NextFileSignal();
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'exit':
        throw new ExitSignal(s.e ? Math.trunc(this.num(this.eval(s.e))) : null);
      case 'return':
        throw new ReturnSignal(s.e ? this.eval(s.e) : UNINIT);
      case 'delete':
        if (s.subs === null) this.array(s.name).clear();
        else this.array(s.name).delete(this.subscript(s.subs));
        return;
      case 'nop':
        return;
    }
  }

  /**
   * `print | "cmd"`: what each command is given, in the order the commands are
   * closed (close() or exit). The commands run when awk ends, before awk's own
   * buffered output goes out, as mawk's does when its output is not a terminal.
   */
  pipes = new Map<string, string>();
  closedPipes: { cmd: string; data: string }[] = [];
  /** Set when the program writes to a pipe: awk's own output waits for the end. */
  bufferOut = false;
  stdoutBuf = '';

  stdout(text: string): void {
    if (this.bufferOut) this.stdoutBuf += text;
    else this.ctx.stdout.write(text);
  }

  private write(text: string, redir: { op: string; e: Expr } | null): void {
    if (!redir) {
      this.stdout(text);
      return;
    }
    const name = this.str(this.eval(redir.e));
    if (redir.op === '|') {
      this.pipes.set(name, (this.pipes.get(name) ?? '') + text);
      return;
    }
    if (name === '/dev/stdout' || name === '-') {
      this.stdout(text);
      return;
    }
    if (name === '/dev/stderr') {
      this.ctx.stderr.write(text);
      return;
    }
    const opened = this.out.has(name);
    const err = writePath(this.ctx, name, text, opened || redir.op === '>>');
    if (err) throw new AwkError(`cannot open "${name}" for output`);
    this.out.set(name, true);
  }

  /** Runs one record through the main rules. */
  runMain(): void {
    const rules = this.prog.rules;
    for (const r of rules) {
      if (r.kind !== 'main') continue;
      let sel: boolean;
      if (r.pat === null) sel = true;
      else if (r.pat2 === null) sel = this.bool(this.eval(r.pat));
      else if (r.inRange) {
        sel = true;
        if (this.bool(this.eval(r.pat2))) r.inRange = false;
      } else if (this.bool(this.eval(r.pat))) {
        sel = true;
        r.inRange = !this.bool(this.eval(r.pat2));
      } else sel = false;
      if (!sel) continue;
      if (r.body === null) this.stdout(this.record + this.sget('ORS'));
      else this.execList(r.body);
    }
  }
}

class NotSimulated extends Error {}

function substitute(re: Regex, s: string, repl: string, global: boolean): { out: string; count: number } {
  let out = '';
  let pos = 0;
  let count = 0;
  let from = 0;
  let prevEnd = -1;
  while (from <= s.length) {
    const m = re.exec(s, from);
    if (m === null) break;
    const [ms, me] = m as [number, number];
    if (ms === me && ms === prevEnd) {
      if (ms >= s.length) break;
      from = ms + 1;
      continue;
    }
    out += s.slice(pos, ms);
    for (let k = 0; k < repl.length; k++) {
      const c = repl[k] as string;
      if (c === '\\' && (repl[k + 1] === '&' || repl[k + 1] === '\\')) {
        out += repl[++k];
      } else if (c === '&') out += s.slice(ms, me);
      else out += c;
    }
    count++;
    pos = me;
    prevEnd = me;
    if (!global) break;
    if (ms === me) {
      if (me < s.length) out += s[me];
      pos = me + 1;
      from = me + 1;
    } else from = me;
  }
  if (count === 0) return { out: s, count };
  return { out: out + s.slice(Math.min(pos, s.length)), count };
}

/** Splits input into records by RS: a newline, "" (paragraphs), one character, or a regex. */
function splitRecords(text: string, rs: string, re: (s: string) => Regex): string[] {
  if (rs === '\n') {
    const l = text.split('\n');
    if (l[l.length - 1] === '') l.pop();
    return l;
  }
  if (rs === '') {
    const t = text.replace(/^\n+/, '').replace(/\n+$/, '');
    return t === '' ? [] : t.split(/\n\n+/);
  }
  if (rs.length === 1) {
    const l = text.split(rs);
    if (l[l.length - 1] === '') l.pop();
    return l;
  }
  const r = re(rs);
  const out: string[] = [];
  let pos = 0;
  let from = 0;
  while (from <= text.length) {
    const m = r.exec(text, from);
    if (m === null || m[0] === m[1]) break;
    out.push(text.slice(pos, m[0]));
    pos = m[1] as number;
    from = pos;
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

/** The pipes awk wrote to run, then awk's own output goes out. */
function* finish(ctx: ProcCtx, it: Interp): Generator<import('../../sim/sched.ts').Wait, void, unknown> {
  const all = [...it.closedPipes, ...[...it.pipes].map(([cmd, data]) => ({ cmd, data }))];
  it.closedPipes = [];
  it.pipes.clear();
  for (const { cmd, data } of all) {
    let pending: string | null = data;
    const stdin: InStream = {
      // eslint-disable-next-line require-yield
      *read() {
        const d = pending;
        pending = null;
        return d === '' ? null : d;
      },
    };
    yield* runChild(ctx, ['sh', '-c', cmd], { stdin });
  }
  if (it.stdoutBuf) ctx.stdout.write(it.stdoutBuf);
  it.stdoutBuf = '';
}

export const awk: Command = function* (ctx) {
  const holder: { it: Interp | null } = { it: null };
  const st = yield* awkMain(ctx, holder);
  if (holder.it) yield* finish(ctx, holder.it);
  return st;
};

function* awkMain(ctx: ProcCtx, holder: { it: Interp | null }): Generator<import('../../sim/sched.ts').Wait, number, unknown> {
  const argv = ctx.argv;
  const name = (argv[0] ?? 'awk').replace(/.*\//, '');
  const err = (m: string): void => ctx.stderr.write(`${name}: ${m}\n`);
  let fs: string | null = null;
  const assigns: [string, string][] = [];
  const progFiles: string[] = [];
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const opt = a[1] as string;
    if (opt === 'W') {
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) {
        err('option -W lacks argument');
        ctx.stderr.write(USAGE);
        return 2;
      }
      if ('version'.startsWith(v) && v !== '') {
        ctx.stdout.write(VERSION);
        ctx.stderr.write(VERSION_ERR);
        return 0;
      }
      if ('usage'.startsWith(v) || 'help'.startsWith(v)) {
        ctx.stdout.write(USAGE);
        return 0;
      }
      ctx.stderr.write(`skbpath: ${name}: -W ${v} is not simulated\n`);
      return 2;
    }
    if (opt === 'F' || opt === 'v' || opt === 'f') {
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) {
        err(`option -${opt} lacks argument`);
        ctx.stderr.write(USAGE);
        return 2;
      }
      if (opt === 'F') fs = v;
      else if (opt === 'f') progFiles.push(v);
      else {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
        if (!m) {
          err(`improper assignment: -v ${v}`);
          return 2;
        }
        assigns.push([m[1] as string, m[2] as string]);
      }
      continue;
    }
    err(`not an option: ${a}`);
    return 2;
  }
  let src: string;
  if (progFiles.length) {
    src = '';
    for (const f of progFiles) {
      const r = f === '-' || f === '/dev/stdin' ? yield* readStdin(ctx) : readPath(ctx, f);
      if (typeof r !== 'string') {
        err(`cannot open ${f} (${r.msg})`);
        return 2;
      }
      src += r + '\n';
    }
  } else {
    const p = argv[i++];
    if (p === undefined) {
      ctx.stderr.write(USAGE);
      return 0;
    }
    src = p;
  }
  const operands = argv.slice(i);
  let parser: Parser;
  try {
    parser = new Parser(lex(src));
    parser.program();
  } catch (e) {
    if (e instanceof AwkError) {
      err(e.message);
      return e.status;
    }
    if (e instanceof RangeError) {
      err('line 1: program too deeply nested');
      return 2;
    }
    throw e;
  }
  const it = new Interp(ctx, parser, name);
  holder.it = it;
  it.bufferOut = parser.hasPipe;
  const runErr = (m: string): number => {
    err(`run time error: ${m}`);
    ctx.stderr.write(`\tFILENAME="${it.str(it.globals.get('FILENAME') as V)}" FNR=${it.fnr} NR=${it.nr}\n`);
    return 2;
  };
  const guard = (f: () => void): number | 'exit' | null => {
    try {
      f();
      return null;
    } catch (e) {
      if (e instanceof ExitSignal) {
        if (e.status !== null) it.exitStatus = e.status & 255;
        return 'exit';
      }
      if (e instanceof RunError) return runErr(e.message);
      if (e instanceof AwkError) {
        err(e.message);
        return e.status;
      }
      if (e instanceof NotSimulated) {
        ctx.stderr.write(`skbpath: ${name}: ${e.message} is not simulated\n`);
        return 2;
      }
      if (e instanceof RegexBudgetError) {
        ctx.stderr.write(`skbpath: ${name}: ${e.message}\n`);
        return 2;
      }
      if (e instanceof RangeError) return runErr('function call nesting too deep');
      throw e;
    }
  };
  /** One record through the main rules: done, skipped by `next`/`nextfile`, `exit`, or an error's status. */
  const oneRecord = (text: string): 'done' | 'next' | 'nextfile' | 'exit' | number => {
    it.nr++;
    it.fnr++;
    it.setRecord(text);
    try {
      return guard(() => it.runMain()) ?? 'done';
    } catch (e) {
      if (e instanceof NextSignal) return 'next';
      if (e instanceof NextFileSignal) return 'nextfile';
      throw e;
    }
  };
  // ARGV, -F, -v
  const argvArr = new Map<string, V>();
  argvArr.set('0', name);
  operands.forEach((o, k) => argvArr.set(String(k + 1), strnum(o)));
  it.globals.set('ARGV', argvArr);
  it.globals.set('ARGC', operands.length + 1);
  if (fs !== null) it.globals.set('FS', fs === 't' ? '\t' : awkUnescape(fs));
  for (const [k, v] of assigns) it.globals.set(k, strnum(awkUnescape(v)));
  let exiting = false;
  const begin = parser.rules.filter((r) => r.kind === 'begin');
  const end = parser.rules.filter((r) => r.kind === 'end');
  const hasMain = parser.rules.some((r) => r.kind === 'main');
  for (const r of begin) {
    const st = guard(() => it.execList(r.body as Stmt[]));
    if (st === 'exit') {
      exiting = true;
      break;
    }
    if (st !== null) return st;
  }
  let status = 0;
  if (!exiting && (hasMain || end.length)) {
    // the operands: files and var=value assignments, read in order
    const fromArgv = (): string[] => {
      const list: string[] = [];
      const argc = it.num(it.globals.get('ARGC') as V);
      const arr = it.globals.get('ARGV') as Map<string, V>;
      for (let k = 1; k < argc; k++) {
        const v = arr.get(String(k));
        if (v === undefined) continue;
        list.push(it.str(v));
      }
      return list;
    };
    const ops = fromArgv();
    const files = ops.filter((o) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(o));
    if (files.length === 0) ops.push('-');
    const usesGetline = /\bgetline\b/.test(src);
    const rsOf = (): string => it.str(it.globals.get('RS') as V);
    const simpleRS = (): boolean => rsOf() === '\n';
    let pendingMain: { text: string; file: string }[] = [];
    it.mainInput = {
      next: () => pendingMain.shift() ?? null,
    };
    outer: for (const op of ops) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(op);
      if (m) {
        it.globals.set(m[1] as string, strnum(awkUnescape(m[2] as string)));
        continue;
      }
      if (op === '') continue;
      it.globals.set('FILENAME', op);
      it.fnr = 0;
      if (!usesGetline && simpleRS()) {
        // stream line by line: a live pipe prints as it goes
        let failed = false;
        const reader = new LineReader(ctx, [op], (o, msg) => {
          err(`cannot open ${o} (${msg})`);
          failed = true;
        });
        for (;;) {
          const l = yield* reader.next();
          if (l === null) break;
          const r = oneRecord(l.text);
          if (r === 'next') continue;
          if (r === 'nextfile') break;
          if (r === 'exit') {
            exiting = true;
            break outer;
          }
          if (r !== 'done') return r;
          if (!simpleRS()) {
            // RS changed mid-stream: read the rest whole
            break;
          }
        }
        if (failed) {
          status = 2;
          return 2;
        }
        continue;
      }
      const text = op === '-' ? yield* readStdin(ctx) : readPath(ctx, op);
      if (typeof text !== 'string') {
        err(`cannot open ${op} (${text.msg})`);
        return 2;
      }
      pendingMain = splitRecords(text, rsOf(), (s) => it.regex(s)).map((t) => ({ text: t, file: op }));
      for (;;) {
        const l = pendingMain.shift();
        if (l === undefined) break;
        const r = oneRecord(l.text);
        if (r === 'next') continue;
        if (r === 'nextfile') break;
        if (r === 'exit') {
          exiting = true;
          break outer;
        }
        if (r !== 'done') return r;
      }
    }
  }
  // END runs after exit in BEGIN or a rule, unless exit came from END itself
  it.mainInput = null;
  for (const r of end) {
    const st = guard(() => {
      try {
        it.execList(r.body as Stmt[]);
      } catch (e) {
        if (e instanceof NextSignal || e instanceof NextFileSignal) throw new AwkError('improper use of next');
        throw e;
      }
    });
    if (st === 'exit') break;
    if (st !== null) return st;
  }
  return it.exitStatus || status;
}

export function registerAwk(commands: Map<string, Command>): void {
  commands.set('awk', awk);
  commands.set('mawk', awk);
}
