// POSIX regular expressions as GNU libc parses them (basic and extended, with
// GNU's \w \W \s \S \b \B \< \> \` \' and, in a BRE, \+ \? \|), and awk's
// extended dialect as mawk reads it. Matching is leftmost-longest, as regexec
// does. Without back-references the matcher is a Thompson/Pike NFA simulation:
// time linear in the text times the size of the pattern, whatever the pattern
// (`^(a+)+b$` included). A back-reference needs backtracking; that one is
// bounded by a step budget and reports RegexBudgetError past it.

export class RegexSyntaxError extends Error {}
export class RegexBudgetError extends Error {}

export interface RegexFlags {
  /** ERE (egrep, sed -E, awk) rather than BRE. */
  extended?: boolean;
  icase?: boolean;
  /** awk's dialect: backslash escapes (\t \n \/ \") anywhere, also inside brackets; no back-references. */
  awk?: boolean;
  /** ^ and $ also match after/before a newline (sed's M flag). */
  newlineAnchors?: boolean;
  /** grep -x / -w: the whole line, or a whole word. */
  whole?: 'line' | 'word';
}

// ---- syntax tree

type Node =
  | { t: 'char'; c: number }
  | { t: 'set'; set: CharSet }
  | { t: 'any' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'group'; n: number; sub: Node }
  | { t: 'rep'; sub: Node; min: number; max: number }
  | { t: 'assert'; k: AssertKind }
  | { t: 'backref'; n: number }
  | { t: 'empty' };

type AssertKind = 'bol' | 'eol' | 'wordb' | 'nwordb' | 'wbeg' | 'wend' | 'bufbeg' | 'bufend' | 'nwbefore' | 'nwafter';

const DUP_MAX = 0x7fff;
const MAX_PROGRAM = 1 << 20;

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

const CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  cntrl: (c) => c < 32 || c === 127,
  print: (c) => c >= 32 && c <= 126,
  graph: (c) => c >= 33 && c <= 126,
};

/** The classes of the C locale, by name (tr uses them too). */
export const CHAR_CLASSES: Readonly<Record<string, (c: number) => boolean>> = CLASSES;

class CharSet {
  ranges: number[] = [];
  classes: ((c: number) => boolean)[] = [];
  neg = false;
  icase = false;
  /** A negated set does not match a newline in these dialects (REG_NEWLINE); unused by default. */
  has(c: number): boolean {
    let r = this.raw(c);
    if (!r && this.icase) r = this.raw(lower(c)) || this.raw(upper(c));
    return r !== this.neg;
  }
  private raw(c: number): boolean {
    const rs = this.ranges;
    for (let i = 0; i < rs.length; i += 2) if (c >= (rs[i] as number) && c <= (rs[i + 1] as number)) return true;
    for (const f of this.classes) if (f(c)) return true;
    return false;
  }
}

function lower(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  return String.fromCharCode(c).toLowerCase().charCodeAt(0);
}
function upper(c: number): number {
  if (c >= 97 && c <= 122) return c - 32;
  if (c < 128) return c;
  return String.fromCharCode(c).toUpperCase().charCodeAt(0);
}

// ---- parser

const AWK_ESC: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, b: 8, a: 7, '"': 34, '/': 47 };

class Parser {
  i = 0;
  ngroups = 0;
  open: number[] = [];
  closed = new Set<number>();
  hasBackref = false;
  /** grep's notes on operators glibc drops (`* at start of expression`). */
  warnings: string[] = [];
  constructor(
    private readonly s: string,
    private readonly ere: boolean,
    private readonly awk: boolean,
  ) {}

  private warn(msg: string): void {
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }

  fail(msg: string): never {
    throw new RegexSyntaxError(msg);
  }

  parse(): Node {
    const n = this.alternation(0);
    if (this.i < this.s.length) {
      // only an unmatched close paren stops an alternation early
      this.fail('Unmatched ) or \\)');
    }
    return n;
  }

  private atAltEnd(): boolean {
    const s = this.s;
    const i = this.i;
    if (i >= s.length) return true;
    if (this.ere) return s[i] === '|' || (s[i] === ')' && this.open.length > 0);
    return s.startsWith('\\|', i) || (s.startsWith('\\)', i) && this.open.length > 0);
  }

  private alternation(depth: number): Node {
    const alts: Node[] = [this.concat()];
    for (;;) {
      const s = this.s;
      if (this.ere ? s[this.i] === '|' : s.startsWith('\\|', this.i)) {
        this.i += this.ere ? 1 : 2;
        alts.push(this.concat());
        continue;
      }
      break;
    }
    void depth;
    return alts.length === 1 ? (alts[0] as Node) : { t: 'alt', items: alts };
  }

  private concat(): Node {
    const items: Node[] = [];
    const start = this.i;
    while (!this.atAltEnd()) {
      const atStart = this.i === start || (items.length > 0 && items.every((x) => x.t === 'assert' && x.k === 'bol'));
      const atom = this.atom(this.i === start, atStart);
      if (atom === null) continue;
      items.push(this.postfix(atom));
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? (items[0] as Node) : { t: 'cat', items };
  }

  /** Applies the repetition operators after an atom. */
  private postfix(atom: Node): Node {
    let n = atom;
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === '*') {
        this.i++;
        n = rep(n, 0, -1);
      } else if (this.ere && c === '+') {
        this.i++;
        n = rep(n, 1, -1);
      } else if (this.ere && c === '?') {
        this.i++;
        n = rep(n, 0, 1);
      } else if (!this.ere && c === '\\' && (s[this.i + 1] === '+' || s[this.i + 1] === '?')) {
        this.i += 2;
        n = s[this.i - 1] === '+' ? rep(n, 1, -1) : rep(n, 0, 1);
      } else if (this.ere && !this.awk && c === '{') {
        const iv = this.interval(this.i + 1, true);
        if (iv === null) break;
        n = rep(n, iv.min, iv.max);
      } else if (!this.ere && c === '\\' && s[this.i + 1] === '{') {
        const iv = this.interval(this.i + 2, false);
        n = rep(n, (iv as { min: number }).min, (iv as { max: number }).max);
      } else break;
    }
    return n;
  }

  /** {m}, {m,}, {,n}, {m,n}: from just after the brace. null: an ERE brace that is a literal. */
  private interval(j: number, ere: boolean, probe = false): { min: number; max: number } | null {
    const s = this.s;
    const num = (): number | null => {
      const k = j;
      while (j < s.length && (s[j] as string) >= '0' && (s[j] as string) <= '9') j++;
      if (j === k) return null;
      const v = Number(s.slice(k, j));
      return v;
    };
    const lo = num();
    let hi: number | null = lo;
    let comma = false;
    if (s[j] === ',') {
      comma = true;
      j++;
      hi = num();
    }
    const close = ere ? s[j] === '}' : s.startsWith('\\}', j);
    if (!close) {
      if (ere) return null;
      if (j >= s.length || (s[j] === '\\' && j + 1 >= s.length)) this.fail('Unmatched \\{');
      this.fail('Invalid content of \\{\\}');
    }
    if (lo === null && !comma) {
      if (ere) return null;
      this.fail('Invalid content of \\{\\}');
    }
    const min = lo ?? 0;
    const max = comma ? (hi ?? -1) : min;
    if (max !== -1 && max < min) this.fail('Invalid content of \\{\\}');
    if (probe) return { min, max };
    if (min > DUP_MAX || max > DUP_MAX) this.fail('Regular expression too big');
    this.i = j + (ere ? 1 : 2);
    return { min, max };
  }

  /** One atom; null when it consumed something that matches nothing (a repetition at the start is a literal in a BRE). */
  private atom(first: boolean, atStart: boolean): Node | null {
    const s = this.s;
    const c = s[this.i] as string;
    if (c === '[') return this.bracket();
    if (c === '.') {
      this.i++;
      return { t: 'any' };
    }
    if (c === '^') {
      this.i++;
      if (this.ere || first) return { t: 'assert', k: 'bol' };
      return lit('^');
    }
    if (c === '$') {
      this.i++;
      if (this.ere || this.atAltEnd()) return { t: 'assert', k: 'eol' };
      return lit('$');
    }
    if (c === '*') {
      this.i++;
      if (atStart && this.ere) {
        this.warn('* at start of expression');
        return null;
      }
      return lit('*');
    }
    if (this.ere) {
      if (c === '(') {
        this.i++;
        const n = ++this.ngroups;
        this.open.push(n);
        const sub = this.alternation(1);
        if (s[this.i] !== ')') this.fail('Unmatched ( or \\(');
        this.i++;
        this.open.pop();
        this.closed.add(n);
        return { t: 'group', n, sub };
      }
      if (c === ')') {
        this.i++;
        return lit(')');
      }
      if (c === '+' || c === '?') {
        this.i++;
        if (!atStart) return lit(c);
        this.warn(`${c} at start of expression`);
        return null;
      }
      if (c === '{' && !this.awk) {
        // an interval with nothing before it: glibc drops the operator
        this.i++;
        if (!atStart || this.interval(this.i, true, true) === null) return lit('{');
        this.warn('{...} at start of expression');
        return null;
      }
    }
    if (c === '\\') return this.escape(atStart);
    this.i++;
    return { t: 'char', c: c.charCodeAt(0) };
  }

  private escape(atStart: boolean): Node | null {
    const s = this.s;
    if (this.i + 1 >= s.length) this.fail('Trailing backslash');
    const d = s[this.i + 1] as string;
    this.i += 2;
    if (this.awk) {
      const e = AWK_ESC[d];
      if (e !== undefined) return { t: 'char', c: e };
      if (d >= '0' && d <= '7') {
        let v = d.charCodeAt(0) - 48;
        for (let k = 0; k < 2 && (s[this.i] as string) >= '0' && (s[this.i] as string) <= '7'; k++)
          v = v * 8 + (s.charCodeAt(this.i++) - 48);
        return { t: 'char', c: v };
      }
      return { t: 'char', c: d.charCodeAt(0) };
    }
    if (!this.ere && d === '(') {
      const n = ++this.ngroups;
      this.open.push(n);
      const sub = this.alternation(1);
      if (!s.startsWith('\\)', this.i)) this.fail('Unmatched ( or \\(');
      this.i += 2;
      this.open.pop();
      this.closed.add(n);
      return { t: 'group', n, sub };
    }
    if (!this.ere && d === ')') this.fail('Unmatched ) or \\)');
    if (!this.ere && d === '{') {
      if (atStart) this.fail('Invalid preceding regular expression');
      return lit('{');
    }
    if (!this.ere && (d === '+' || d === '?')) return atStart ? lit(d) : lit(d);
    if (d >= '1' && d <= '9') {
      const n = d.charCodeAt(0) - 48;
      if (!this.closed.has(n)) this.fail('Invalid back reference');
      this.hasBackref = true;
      return { t: 'backref', n };
    }
    switch (d) {
      case 'w':
      case 'W': {
        const set = new CharSet();
        set.classes.push(isWord);
        set.neg = d === 'W';
        return { t: 'set', set };
      }
      case 's':
      case 'S': {
        const set = new CharSet();
        set.classes.push(CLASSES.space as (c: number) => boolean);
        set.neg = d === 'S';
        return { t: 'set', set };
      }
      case 'b':
        return { t: 'assert', k: 'wordb' };
      case 'B':
        return { t: 'assert', k: 'nwordb' };
      case '<':
        return { t: 'assert', k: 'wbeg' };
      case '>':
        return { t: 'assert', k: 'wend' };
      case '`':
        return { t: 'assert', k: 'bufbeg' };
      case "'":
        return { t: 'assert', k: 'bufend' };
    }
    return { t: 'char', c: d.charCodeAt(0) };
  }

  private bracket(): Node {
    const s = this.s;
    let j = this.i + 1;
    const set = new CharSet();
    const unmatched = (): never => this.fail('Unmatched [, [^, [:, [., or [=');
    if (s[j] === '^') {
      set.neg = true;
      j++;
    }
    if (j >= s.length) this.fail('Invalid regular expression');
    let first = true;
    /** One element's character (a collating symbol or a plain one); null for a class. */
    const elem = (): number | null => {
      if (j >= s.length) unmatched();
      const c = s[j] as string;
      if (c === '[' && (s[j + 1] === ':' || s[j + 1] === '=' || s[j + 1] === '.')) {
        const kind = s[j + 1] as string;
        const e = s.indexOf(kind + ']', j + 2);
        if (e < 0) unmatched();
        const name = s.slice(j + 2, e);
        j = e + 2;
        if (kind === ':') {
          const f = CLASSES[name];
          if (f === undefined) this.fail('Invalid character class name');
          set.classes.push(f);
          return null;
        }
        if (name.length !== 1) this.fail('Invalid collation character');
        return name.charCodeAt(0);
      }
      if (this.awk && c === '\\' && j + 1 < s.length) {
        const d = s[j + 1] as string;
        j += 2;
        const e = AWK_ESC[d];
        return e ?? d.charCodeAt(0);
      }
      j++;
      return c.charCodeAt(0);
    };
    for (;;) {
      if (j >= s.length) unmatched();
      if (s[j] === ']' && !first) break;
      first = false;
      const lo = elem();
      if (lo === null) continue;
      if (s[j] === '-' && j + 1 < s.length && s[j + 1] !== ']') {
        j++;
        const hi = elem();
        if (hi === null || hi < lo) this.fail('Invalid range end');
        set.ranges.push(lo, hi);
        continue;
      }
      set.ranges.push(lo, lo);
    }
    this.i = j + 1;
    return { t: 'set', set };
  }
}

function lit(c: string): Node {
  return { t: 'char', c: c.charCodeAt(0) };
}

function rep(sub: Node, min: number, max: number): Node {
  return { t: 'rep', sub, min, max };
}

// ---- program

enum Op {
  Char,
  Set,
  Any,
  Split,
  Jmp,
  Save,
  Assert,
  Backref,
  Match,
  /** Loop guard (backtracking only): remember the position at a star's entry. */
  Mark,
  /** Loop guard: fail when a star's body matched empty. */
  Check,
}

interface Inst {
  op: Op;
  /** Char: code; Split/Jmp: target; Save/Backref: slot or group; Mark/Check: register. */
  a: number;
  /** Split: second target. */
  b: number;
  set?: CharSet;
  k?: AssertKind;
}

class Compiler {
  prog: Inst[] = [];
  marks = 0;
  constructor(private readonly icase: boolean) {}

  emit(op: Op, a = 0, b = 0): number {
    if (this.prog.length >= MAX_PROGRAM) throw new RegexSyntaxError('Regular expression too big');
    this.prog.push({ op, a, b });
    return this.prog.length - 1;
  }

  node(n: Node): void {
    // iterative over concatenations; depth comes from groups, which the parser bounds by recursion too
    switch (n.t) {
      case 'char':
        if (this.icase && lower(n.c) !== upper(n.c)) {
          const set = new CharSet();
          set.ranges.push(n.c, n.c);
          set.icase = true;
          this.prog[this.emit(Op.Set)]!.set = set;
        } else this.emit(Op.Char, n.c);
        return;
      case 'set':
        if (this.icase) n.set.icase = true;
        this.prog[this.emit(Op.Set)]!.set = n.set;
        return;
      case 'any':
        this.emit(Op.Any);
        return;
      case 'empty':
        return;
      case 'cat':
        for (const x of n.items) this.node(x);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.items.length; k++) {
          if (k < n.items.length - 1) {
            const sp = this.emit(Op.Split);
            this.prog[sp]!.a = sp + 1;
            this.node(n.items[k] as Node);
            jumps.push(this.emit(Op.Jmp));
            this.prog[sp]!.b = this.prog.length;
          } else this.node(n.items[k] as Node);
        }
        for (const j of jumps) this.prog[j]!.a = this.prog.length;
        return;
      }
      case 'group':
        this.emit(Op.Save, 2 * n.n);
        this.node(n.sub);
        this.emit(Op.Save, 2 * n.n + 1);
        return;
      case 'assert':
        this.prog[this.emit(Op.Assert)]!.k = n.k;
        return;
      case 'backref':
        this.emit(Op.Backref, n.n);
        return;
      case 'rep': {
        for (let k = 0; k < n.min; k++) this.node(n.sub);
        if (n.max === -1) {
          const reg = this.marks++;
          const sp = this.emit(Op.Split);
          this.prog[sp]!.a = sp + 1;
          this.emit(Op.Mark, reg);
          this.node(n.sub);
          this.emit(Op.Check, reg);
          this.emit(Op.Jmp, sp);
          this.prog[sp]!.b = this.prog.length;
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            const sp = this.emit(Op.Split);
            this.prog[sp]!.a = sp + 1;
            splits.push(sp);
            this.node(n.sub);
          }
          for (const sp of splits) this.prog[sp]!.b = this.prog.length;
        }
        return;
      }
    }
  }
}

// ---- matching

export interface ExecOptions {
  /** The text's start is not a line's start (REG_NOTBOL). */
  notbol?: boolean;
  noteol?: boolean;
}

/** A compiled expression (regcomp's regex_t). */
export class Regex {
  /** Parenthesized subexpressions. */
  readonly nsub: number;
  /** What grep warns about the pattern (operators with nothing to repeat). */
  warnings: string[] = [];
  /** Steps the matcher took, over all calls: a measure of work that does not depend on the host. */
  steps = 0;
  /** Step budget of one backtracking exec (a pattern with back-references). */
  budget = 20_000_000;
  private readonly prog: Inst[];
  private readonly backtrack: boolean;
  private readonly nlAnchors: boolean;
  private readonly nmarks: number;
  private readonly firstChar: number;

  constructor(prog: Inst[], nsub: number, backtrack: boolean, nlAnchors: boolean, nmarks: number) {
    this.prog = prog;
    this.nsub = nsub;
    this.backtrack = backtrack;
    this.nlAnchors = nlAnchors;
    this.nmarks = nmarks;
    const i0 = prog[0];
    this.firstChar = i0 && i0.op === Op.Char ? i0.a : -1;
    // a plain string (grep foo): found with indexOf, same leftmost-longest answer
    if (!backtrack && nsub === 0 && prog.length > 1 && prog.slice(0, -1).every((x) => x.op === Op.Char)) {
      this.literal = String.fromCharCode(...prog.slice(0, -1).map((x) => x.a));
    }
  }

  private readonly literal: string | null = null;

  /** True if the expression matches somewhere in s. */
  test(s: string, opts: ExecOptions = {}): boolean {
    return this.exec(s, 0, opts) !== null;
  }

  /**
   * The leftmost-longest match at or after `from`: [start0, end0, start1, end1, …] for the
   * whole match and each subexpression (-1 where one did not take part), or null.
   */
  exec(s: string, from = 0, opts: ExecOptions = {}): number[] | null {
    if (this.literal !== null) {
      const j = s.indexOf(this.literal, from);
      this.steps += 1;
      return j < 0 ? null : [j, j + this.literal.length];
    }
    if (this.backtrack) return this.execBacktrack(s, from, opts);
    return this.execPike(s, from, opts);
  }

  private assert(k: AssertKind, s: string, i: number, o: ExecOptions): boolean {
    const n = s.length;
    const before = i > 0 && isWord(s.charCodeAt(i - 1));
    const after = i < n && isWord(s.charCodeAt(i));
    switch (k) {
      case 'bol':
        return (i === 0 && !o.notbol) || (this.nlAnchors && i > 0 && s.charCodeAt(i - 1) === 10);
      case 'eol':
        return (i === n && !o.noteol) || (this.nlAnchors && i < n && s.charCodeAt(i) === 10);
      case 'bufbeg':
        return i === 0 && !o.notbol;
      case 'bufend':
        return i === n && !o.noteol;
      case 'wordb':
        return before !== after;
      case 'nwordb':
        return before === after;
      case 'wbeg':
        return !before && after;
      case 'wend':
        return before && !after;
      case 'nwbefore':
        return !before;
      case 'nwafter':
        return !after;
    }
  }

  private execPike(s: string, from: number, o: ExecOptions): number[] | null {
    const prog = this.prog;
    const np = prog.length;
    const ncap = 2 * (this.nsub + 1);
    let cpcs: number[] = [];
    let ccaps: number[][] = [];
    let npcs: number[] = [];
    let ncaps: number[][] = [];
    const mark = new Int32Array(np).fill(-1);
    let gen = 0;
    let best: number[] | null = null;
    const stackPc: number[] = [];
    const stackCaps: number[][] = [];
    let steps = 0;
    const n = s.length;
    // the closure of pc at position i, in priority order, into (pcs, capsList)
    const add = (pcs: number[], capsList: number[][], pc0: number, caps0: number[], i: number): void => {
      stackPc.push(pc0);
      stackCaps.push(caps0);
      while (stackPc.length) {
        const pc = stackPc.pop() as number;
        let caps = stackCaps.pop() as number[];
        steps++;
        if (mark[pc] === gen) continue;
        mark[pc] = gen;
        const ins = prog[pc] as Inst;
        switch (ins.op) {
          case Op.Jmp:
            stackPc.push(ins.a);
            stackCaps.push(caps);
            break;
          case Op.Split:
            stackPc.push(ins.b, ins.a);
            stackCaps.push(caps, caps);
            break;
          case Op.Save:
            caps = caps.slice();
            caps[ins.a] = i;
            stackPc.push(pc + 1);
            stackCaps.push(caps);
            break;
          case Op.Assert:
            if (this.assert(ins.k as AssertKind, s, i, o)) {
              stackPc.push(pc + 1);
              stackCaps.push(caps);
            }
            break;
          case Op.Mark:
          case Op.Check:
            stackPc.push(pc + 1);
            stackCaps.push(caps);
            break;
          default:
            pcs.push(pc);
            capsList.push(caps);
        }
      }
    };
    const fc = this.firstChar;
    gen = 0;
    for (let i = from; i <= n; i++) {
      if (best === null) {
        // the carried threads were added under this generation; a fresh list starts its own
        if (cpcs.length === 0) gen++;
        if (cpcs.length === 0 && fc >= 0) {
          // nothing running: skip ahead to where the first character occurs
          const j = s.indexOf(String.fromCharCode(fc), i);
          if (j < 0) break;
          i = j;
        }
        // seeds go last: earlier starts keep priority
        const caps = new Array<number>(ncap).fill(-1);
        caps[0] = i;
        add(cpcs, ccaps, 0, caps, i);
      }
      if (cpcs.length === 0) {
        if (best !== null) break;
        continue;
      }
      gen++;
      const c = i < n ? s.charCodeAt(i) : -1;
      for (let t = 0; t < cpcs.length; t++) {
        const pc = cpcs[t] as number;
        const caps = ccaps[t] as number[];
        if (best !== null && (caps[0] as number) > (best[0] as number)) break;
        steps++;
        const ins = prog[pc] as Inst;
        switch (ins.op) {
          case Op.Match:
            if (best === null || (caps[0] as number) < (best[0] as number) || i > (best[1] as number)) {
              best = caps.slice();
              best[1] = i;
            }
            break;
          case Op.Char:
            if (c === ins.a) add(npcs, ncaps, pc + 1, caps, i + 1);
            break;
          case Op.Any:
            if (c >= 0) add(npcs, ncaps, pc + 1, caps, i + 1);
            break;
          case Op.Set:
            if (c >= 0 && (ins.set as CharSet).has(c)) add(npcs, ncaps, pc + 1, caps, i + 1);
            break;
        }
      }
      const tp = cpcs;
      const tc = ccaps;
      cpcs = npcs;
      ccaps = ncaps;
      npcs = tp;
      ncaps = tc;
      npcs.length = 0;
      ncaps.length = 0;
    }
    this.steps += steps;
    return best;
  }

  private execBacktrack(s: string, from: number, o: ExecOptions): number[] | null {
    const prog = this.prog;
    const ncap = 2 * (this.nsub + 1);
    const n = s.length;
    let steps = 0;
    const budget = this.budget;
    for (let start = from; start <= n; start++) {
      let best: number[] | null = null;
      // state: pc, i, caps (+ loop marks after the captures)
      const stack: { pc: number; i: number; caps: number[] }[] = [];
      const caps0 = new Array<number>(ncap + this.nmarks).fill(-1);
      caps0[0] = start;
      stack.push({ pc: 0, i: start, caps: caps0 });
      while (stack.length) {
        let { pc, i, caps } = stack.pop() as { pc: number; i: number; caps: number[] };
        for (;;) {
          if (++steps > budget) {
            this.steps += steps;
            throw new RegexBudgetError('back-reference matching exceeded its step budget');
          }
          const ins = prog[pc] as Inst;
          let ok = true;
          switch (ins.op) {
            case Op.Match:
              if (best === null || i > (best[1] as number)) {
                best = caps.slice(0, ncap);
                best[1] = i;
              }
              ok = false;
              break;
            case Op.Char:
              if (i < n && s.charCodeAt(i) === ins.a) {
                i++;
                pc++;
              } else ok = false;
              break;
            case Op.Any:
              if (i < n) {
                i++;
                pc++;
              } else ok = false;
              break;
            case Op.Set:
              if (i < n && (ins.set as CharSet).has(s.charCodeAt(i))) {
                i++;
                pc++;
              } else ok = false;
              break;
            case Op.Jmp:
              pc = ins.a;
              break;
            case Op.Split:
              stack.push({ pc: ins.b, i, caps });
              pc = ins.a;
              break;
            case Op.Save:
              caps = caps.slice();
              caps[ins.a] = i;
              pc++;
              break;
            case Op.Assert:
              if (this.assert(ins.k as AssertKind, s, i, o)) pc++;
              else ok = false;
              break;
            case Op.Mark:
              caps = caps.slice();
              caps[ncap + ins.a] = i;
              pc++;
              break;
            case Op.Check:
              if (caps[ncap + ins.a] === i) ok = false;
              else pc++;
              break;
            case Op.Backref: {
              const bs = caps[2 * ins.a] as number;
              const be = caps[2 * ins.a + 1] as number;
              if (bs < 0 || be < 0) {
                ok = false;
                break;
              }
              const len = be - bs;
              let eq = i + len <= n;
              for (let k = 0; eq && k < len; k++) {
                const a = s.charCodeAt(bs + k);
                const b = s.charCodeAt(i + k);
                eq = a === b || (this.icaseRefs && lower(a) === lower(b));
              }
              if (eq) {
                i += len;
                pc++;
              } else ok = false;
              break;
            }
          }
          if (!ok) break;
        }
      }
      if (best !== null) {
        this.steps += steps;
        return best;
      }
    }
    this.steps += steps;
    return null;
  }

  /** Back-references compare without case under REG_ICASE. */
  icaseRefs = false;
}

/**
 * Compiles a pattern (or several, as grep's PATTERNS: any of them may match).
 * Throws RegexSyntaxError with glibc's message for a malformed one.
 */
export function regcomp(pattern: string | readonly string[], flags: RegexFlags = {}): Regex {
  const pats = typeof pattern === 'string' ? [pattern] : pattern;
  const alts: Node[] = [];
  let nsub = 0;
  let backtrack = false;
  const warnings: string[] = [];
  for (const p of pats) {
    const parser = new Parser(p, flags.extended === true || flags.awk === true, flags.awk === true);
    try {
      alts.push(parser.parse());
    } catch (e) {
      // nesting deep enough to exhaust the stack
      if (e instanceof RangeError) throw new RegexSyntaxError('Regular expression too big');
      throw e;
    }
    nsub = Math.max(nsub, parser.ngroups);
    for (const w of parser.warnings) if (!warnings.includes(w)) warnings.push(w);
    backtrack ||= parser.hasBackref;
  }
  let root: Node = alts.length === 1 ? (alts[0] as Node) : { t: 'alt', items: alts };
  if (flags.whole === 'line') root = { t: 'cat', items: [{ t: 'assert', k: 'bol' }, root, { t: 'assert', k: 'eol' }] };
  else if (flags.whole === 'word') root = { t: 'cat', items: [{ t: 'assert', k: 'nwbefore' }, root, { t: 'assert', k: 'nwafter' }] };
  const comp = new Compiler(flags.icase === true);
  try {
    comp.node(root);
  } catch (e) {
    if (e instanceof RangeError) throw new RegexSyntaxError('Regular expression too big');
    throw e;
  }
  comp.emit(Op.Match);
  const re = new Regex(comp.prog, nsub, backtrack, flags.newlineAnchors === true, comp.marks);
  re.icaseRefs = flags.icase === true;
  re.warnings = warnings;
  return re;
}
