// Tokens to a syntax tree, by recursive descent over bash's grammar
// (parse.y). Bash reads a script one complete command at a time and runs each
// before reading the next; parse() returns them in order with the first syntax
// error, so the interpreter can run what precedes the error, as bash does.
import type {
  AndOr,
  Assign,
  CaseItem,
  Command,
  CompoundCommand,
  CondExpr,
  List,
  ListItem,
  Pipeline,
  Redir,
  RedirOp,
  Script,
  SimpleCommand,
  Warning,
  Word,
  WordPart,
} from './ast.ts';
import { Lexer, ParseError, type ParserHooks, type Token } from './lexer.ts';

const RESERVED = new Set([
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  '{',
  '}',
  '!',
  'function',
  '[[',
  ']]',
  'in',
  'select',
  'time',
]);
/** Reserved words that end a list rather than start a command. */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);
const REDIR_OPS = new Set(['<', '>', '>>', '>|', '<>', '<<', '<<-', '<<<', '<&', '>&', '&>', '&>>']);
const CASE_TERMS = new Set([';;', ';&', ';;&']);

/** The text of a word that is one unquoted literal, else null. */
export function plainText(w: Word): string | null {
  if (w.parts.length !== 1) return null;
  const p = w.parts[0];
  return p && p.t === 'lit' ? p.s : null;
}

const hooks: ParserHooks = {
  parseSubst(lx: Lexer): { body: List; line0: number } {
    const p = new Parser(lx);
    p.skipNewlines();
    const line0 = p.peek().line;
    let body: List = { items: [] };
    if (!p.isOp(p.peek(), ')')) body = p.compoundList();
    const t = p.next();
    if (!p.isOp(t, ')')) throw p.near(t);
    return { body, line0 };
  },
  parseText(text: string, line: number): { body: List; line0: number } {
    const p = new Parser(new Lexer(text, line, hooks));
    p.skipNewlines();
    const line0 = p.peek().line;
    let body: List = { items: [] };
    if (p.peek().k !== 'eof') body = p.compoundList();
    const t = p.next();
    if (t.k !== 'eof') throw p.near(t);
    return { body, line0 };
  },
};

const MAX_NESTING = 1024;

class Parser {
  private buf: Token | null = null;
  /** The token read last (where a parse too deep for the stack gave up). */
  last: Token | null = null;

  constructor(readonly lx: Lexer) {}

  peek(): Token {
    if (!this.buf) this.buf = this.lx.next();
    return this.buf;
  }

  next(): Token {
    const t = this.peek();
    this.buf = null;
    this.last = t;
    return t;
  }

  isOp(t: Token, v: string): boolean {
    return t.k === 'op' && t.v === v;
  }

  private isWord(t: Token, v: string): boolean {
    return t.k === 'word' && plainText(t.w) === v;
  }

  skipNewlines(): void {
    while (this.peek().k === 'nl') this.next();
  }

  /** `syntax error near unexpected token`, or `unexpected end of file`. */
  near(t: Token): ParseError {
    if (t.k === 'eof') return new ParseError(t.end, 'syntax error: unexpected end of file', null, true);
    const text = t.k === 'nl' ? 'newline' : t.k === 'op' ? t.v : t.w.raw;
    return new ParseError(t.end, `syntax error near unexpected token \`${text}'`, this.lx.lineText(t.end, 1));
  }

  private expectWord(v: string): Token {
    const t = this.next();
    if (!this.isWord(t, v)) throw this.near(t);
    return t;
  }

  private expectOp(v: string): void {
    const t = this.next();
    if (!this.isOp(t, v)) throw this.near(t);
  }

  private canStart(t: Token): boolean {
    if (t.k === 'word') {
      const s = plainText(t.w);
      return s === null || !CLOSERS.has(s);
    }
    if (t.k === 'op') return t.v === '(' || REDIR_OPS.has(t.v);
    return false;
  }

  /** One complete command at the top level: an and-or list ended by a newline. */
  topLevel(): List {
    const items: ListItem[] = [];
    for (;;) {
      const ao = this.andOr();
      const t = this.peek();
      if (t.k === 'op' && (t.v === ';' || t.v === '&')) {
        this.next();
        items.push({ ao, bg: t.v === '&' });
        const n = this.peek();
        if (n.k === 'nl') {
          this.next();
          break;
        }
        if (n.k === 'eof') break;
        continue;
      }
      items.push({ ao, bg: false });
      if (t.k === 'nl') {
        this.next();
        break;
      }
      if (t.k === 'eof') break;
      throw this.near(t);
    }
    return { items };
  }

  compoundList(): List {
    this.skipNewlines();
    const items: ListItem[] = [];
    while (this.canStart(this.peek())) {
      const ao = this.andOr();
      const t = this.peek();
      if (t.k === 'op' && (t.v === ';' || t.v === '&')) {
        this.next();
        items.push({ ao, bg: t.v === '&' });
      } else if (t.k === 'nl') {
        this.next();
        items.push({ ao, bg: false });
      } else {
        items.push({ ao, bg: false });
        break;
      }
      this.skipNewlines();
    }
    if (items.length === 0) throw this.near(this.peek());
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; p: Pipeline }[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.v !== '&&' && t.v !== '||')) break;
      this.next();
      this.skipNewlines();
      rest.push({ op: t.v, p: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let bang = false;
    let timed: 'bash' | 'posix' | null = null;
    const line = this.peek().line;
    while (this.isWord(this.peek(), '!') || this.isWord(this.peek(), 'time')) {
      if (this.isWord(this.next(), '!')) bang = !bang;
      else {
        timed = 'bash';
        if (this.isWord(this.peek(), '-p')) {
          this.next();
          timed = 'posix';
        }
      }
    }
    const cmds: Command[] = [this.command()];
    const errToo: boolean[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || (t.v !== '|' && t.v !== '|&')) break;
      this.next();
      this.skipNewlines();
      errToo.push(t.v === '|&');
      cmds.push(this.command());
    }
    return { bang, line, cmds, errToo, timed };
  }

  private command(): Command {
    const t = this.peek();
    if (t.k === 'word') {
      const s = plainText(t.w);
      if (s !== null && RESERVED.has(s)) {
        switch (s) {
          case '{':
          case 'if':
          case 'while':
          case 'until':
          case 'for':
          case 'case':
          case '[[':
            return this.compound();
          case 'function':
            return this.functionKeyword();
          case 'in':
          case ']]':
          case 'select':
            break;
          default:
            throw this.near(t);
        }
      }
      return this.simple();
    }
    if (this.isOp(t, '(')) return this.compound();
    if (t.k === 'op' && REDIR_OPS.has(t.v)) return this.simple();
    throw this.near(t);
  }

  /**
   * Compound commands nest at most this deep, whatever the host's stack: bash's
   * parser stack overflows too (at 4,997 subshells, 2,498 ifs, 1,110 fors) and
   * says so as a syntax error at the token it could not take.
   */
  private compound(): CompoundCommand {
    if (this.lx.nesting >= MAX_NESTING) throw this.near(this.next());
    this.lx.nesting++;
    try {
      return this.compoundAt();
    } finally {
      this.lx.nesting--;
    }
  }

  private compoundAt(): CompoundCommand {
    const t = this.next();
    const line = t.line;
    let body: CompoundCommand;
    if (t.k === 'op') {
      // ( list ) or (( expr ))
      if (this.lx.src[this.lx.pos] === '(') {
        const save = this.lx.pos;
        this.lx.pos++;
        const text = this.lx.readDoubleParen();
        if (text !== null) {
          body = { t: 'arithcmd', expr: this.lx.arithWord(text, line), line, redirs: [] };
          return this.trailingRedirs(body);
        }
        this.lx.pos = save;
      }
      const list = this.compoundList();
      this.expectOp(')');
      return this.trailingRedirs({ t: 'subshell', body: list, line, redirs: [] });
    }
    const kw = t.k === 'word' ? plainText(t.w) : null;
    switch (kw) {
      case '{': {
        const list = this.compoundList();
        this.expectWord('}');
        body = { t: 'group', body: list, line, redirs: [] };
        break;
      }
      case 'if': {
        const clauses: { cond: List; body: List }[] = [];
        let orElse: List | null = null;
        let cond = this.compoundList();
        this.expectWord('then');
        clauses.push({ cond, body: this.compoundList() });
        for (;;) {
          const n = this.next();
          if (this.isWord(n, 'elif')) {
            cond = this.compoundList();
            this.expectWord('then');
            clauses.push({ cond, body: this.compoundList() });
          } else if (this.isWord(n, 'else')) {
            orElse = this.compoundList();
            this.expectWord('fi');
            break;
          } else if (this.isWord(n, 'fi')) break;
          else throw this.near(n);
        }
        body = { t: 'if', clauses, orElse, line, redirs: [] };
        break;
      }
      case 'while':
      case 'until': {
        const cond = this.compoundList();
        this.expectWord('do');
        const list = this.compoundList();
        this.expectWord('done');
        body = { t: 'while', until: kw === 'until', cond, body: list, line, redirs: [] };
        break;
      }
      case 'for':
        body = this.forCommand(line);
        break;
      case 'case':
        body = this.caseCommand(line);
        break;
      case '[[': {
        const expr = this.condOr();
        const e = this.next();
        if (!this.isWord(e, ']]')) throw this.near(e);
        body = { t: 'cond', expr, line, redirs: [] };
        break;
      }
      default:
        throw this.near(t);
    }
    return this.trailingRedirs(body);
  }

  private trailingRedirs(c: CompoundCommand): CompoundCommand {
    const redirs: Redir[] = [];
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || !REDIR_OPS.has(t.v)) break;
      redirs.push(this.redir());
    }
    return redirs.length ? { ...c, redirs } : c;
  }

  private forCommand(line: number): CompoundCommand {
    const nt = this.next();
    if (this.isOp(nt, '(') && this.lx.src[this.lx.pos] === '(') {
      this.lx.pos++;
      const text = this.lx.readDoubleParen();
      if (text === null) throw this.near(nt);
      const parts = splitCFor(text);
      if (!parts) throw new ParseError(nt.end, `syntax error: arithmetic expression required`, null);
      const [a, b, c] = parts.map((p) => this.lx.arithWord(p, line)) as [Word, Word, Word];
      if (this.isOp(this.peek(), ';')) this.next();
      this.skipNewlines();
      const body = this.doGroup();
      return { t: 'cfor', init: a, cond: b, step: c, body, line, redirs: [] };
    }
    const name = nt.k === 'word' ? plainText(nt.w) : null;
    if (name === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      if (nt.k === 'word') throw new ParseError(nt.end, `\`${nt.w.raw}': not a valid identifier`, null);
      throw this.near(nt);
    }
    this.skipNewlines();
    let words: Word[] | null = null;
    const t = this.peek();
    if (this.isWord(t, 'in')) {
      this.next();
      words = [];
      for (;;) {
        const w = this.peek();
        if (w.k !== 'word') break;
        this.next();
        words.push(w.w);
      }
      const sep = this.next();
      if (!(sep.k === 'nl' || this.isOp(sep, ';'))) throw this.near(sep);
    } else if (this.isOp(t, ';')) this.next();
    this.skipNewlines();
    const body = this.doGroup();
    return { t: 'for', name, words, body, line, redirs: [] };
  }

  private doGroup(): List {
    const t = this.next();
    if (this.isWord(t, 'do')) {
      const list = this.compoundList();
      this.expectWord('done');
      return list;
    }
    if (this.isWord(t, '{')) {
      const list = this.compoundList();
      this.expectWord('}');
      return list;
    }
    throw this.near(t);
  }

  private caseCommand(line: number): CompoundCommand {
    const wt = this.next();
    if (wt.k !== 'word') throw this.near(wt);
    this.skipNewlines();
    this.expectWord('in');
    this.skipNewlines();
    const items: CaseItem[] = [];
    for (;;) {
      let t = this.peek();
      if (this.isWord(t, 'esac')) {
        this.next();
        break;
      }
      if (this.isOp(t, '(')) {
        this.next();
        t = this.peek();
      }
      const patterns: Word[] = [];
      for (;;) {
        const p = this.next();
        if (p.k !== 'word') throw this.near(p);
        patterns.push(p.w);
        const s = this.next();
        if (this.isOp(s, ')')) break;
        if (!this.isOp(s, '|')) throw this.near(s);
      }
      this.skipNewlines();
      let body: List = { items: [] };
      const b = this.peek();
      if (!(b.k === 'op' && CASE_TERMS.has(b.v)) && !this.isWord(b, 'esac')) body = this.compoundList();
      const e = this.peek();
      let term: CaseItem['term'] = ';;';
      if (e.k === 'op' && CASE_TERMS.has(e.v)) {
        this.next();
        term = e.v as CaseItem['term'];
        this.skipNewlines();
        items.push({ patterns, body, term });
        continue;
      }
      items.push({ patterns, body, term });
      this.expectWord('esac');
      break;
    }
    return { t: 'case', word: wt.w, items, line, redirs: [] };
  }

  private functionKeyword(): Command {
    this.next();
    const nt = this.next();
    if (nt.k !== 'word') throw this.near(nt);
    if (this.isOp(this.peek(), '(')) {
      this.next();
      this.expectOp(')');
    }
    return this.functionBody(nt.w.raw, nt.line);
  }

  private functionBody(name: string, line: number): Command {
    this.skipNewlines();
    const t = this.peek();
    const s = t.k === 'word' ? plainText(t.w) : null;
    const ok = this.isOp(t, '(') || (s !== null && ['{', 'if', 'while', 'until', 'for', 'case', '[['].includes(s));
    if (!ok) throw this.near(t);
    return { t: 'func', name, line, body: this.compound() };
  }

  private simple(): Command {
    const assigns: Assign[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    let line = -1;
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && REDIR_OPS.has(t.v)) {
        redirs.push(this.redir());
        if (line < 0) line = this.lx.line;
        continue;
      }
      if (t.k !== 'word') break;
      if (words.length === 0) {
        const a = assignment(t.w, this.lx, t.line);
        if (a) {
          this.next();
          assigns.push(a);
          if (line < 0) line = t.end;
          continue;
        }
      }
      this.next();
      words.push(t.w);
      if (words.length === 1 && assigns.length === 0 && redirs.length === 0) {
        // bash numbers the command from the token after its first word
        const n = this.peek();
        line = n.end;
        if (this.isOp(n, '(')) {
          this.next();
          this.expectOp(')');
          return this.functionBody(t.w.raw, t.line);
        }
      }
    }
    if (line < 0) throw this.near(this.peek());
    const cmd: SimpleCommand = { t: 'simple', line, assigns, words, redirs };
    return cmd;
  }

  private redir(): Redir {
    const t = this.next();
    if (t.k !== 'op') throw this.near(t);
    const w = this.next();
    if (w.k !== 'word') throw this.near(w);
    const op = t.v as RedirOp;
    if (op === '<<' || op === '<<-') {
      const doc = { delim: unquote(w.w.raw), quoted: /['"\\]/.test(w.w.raw), stripTabs: op === '<<-', body: null };
      this.lx.addHereDoc(doc, t.line);
      return { fd: t.fd, op, target: w.w, heredoc: doc };
    }
    return { fd: t.fd, op, target: w.w, heredoc: null };
  }

  // [[ ... ]]
  private condSkip(): Token {
    while (this.peek().k === 'nl') this.next();
    return this.peek();
  }

  /**
   * The right side of =~ read from the source: ( ) and | stand for themselves
   * there, and a blank inside parentheses is part of the regular expression.
   */
  private regexWord(): Word {
    const lx = this.lx;
    const src = lx.src;
    let i = lx.pos;
    while (src[i] === ' ' || src[i] === '\t') i++;
    const start = i;
    const parts: WordPart[] = [];
    let depth = 0;
    while (i < src.length) {
      const c = src[i] as string;
      if (c === '(' || c === ')' || c === '|' || ((c === ' ' || c === '\t') && depth > 0)) {
        if (c === '(') depth++;
        if (c === ')') depth = Math.max(0, depth - 1);
        parts.push({ t: 'lit', s: c });
        i++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&') break;
      const eol = src.indexOf('\n', i);
      const sub = new Lexer(src.slice(i, eol < 0 ? src.length : eol), lx.line, lx.hooks);
      const w = sub.readWord('word', false);
      if (sub.pos === 0) break;
      for (const p of w.parts) parts.push(p);
      i += sub.pos;
    }
    if (i === start) throw this.near(this.next());
    lx.pos = i;
    return { parts, raw: src.slice(start, i) };
  }

  private condOr(): CondExpr {
    let l = this.condAnd();
    while (this.isOp(this.condSkip(), '||')) {
      this.next();
      l = { t: 'or', l, r: this.condAnd() };
    }
    return l;
  }

  private condAnd(): CondExpr {
    let l = this.condNot();
    while (this.isOp(this.condSkip(), '&&')) {
      this.next();
      l = { t: 'and', l, r: this.condNot() };
    }
    return l;
  }

  private condNot(): CondExpr {
    const t = this.condSkip();
    if (this.isWord(t, '!')) {
      this.next();
      return { t: 'not', e: this.condNot() };
    }
    if (this.isOp(t, '(')) {
      this.next();
      const e = this.condOr();
      const c = this.next();
      if (!this.isOp(c, ')')) throw this.near(c);
      return e;
    }
    const a = this.next();
    if (a.k !== 'word' || this.isWord(a, ']]')) throw this.near(a);
    const as = plainText(a.w);
    const n = this.peek();
    if (as !== null && /^-[a-zA-Z]$/.test(as) && n.k === 'word' && !this.isWord(n, ']]')) {
      this.next();
      return { t: 'unary', op: as, a: n.w };
    }
    let op: string | null = null;
    if (n.k === 'op' && (n.v === '<' || n.v === '>')) op = n.v;
    else if (n.k === 'word') {
      const s = plainText(n.w);
      if (s !== null && /^(==?|!=|=~|-(eq|ne|lt|le|gt|ge|nt|ot|ef))$/.test(s)) op = s;
    }
    if (op === null) return { t: 'word', a: a.w };
    this.next();
    if (op === '=~') return { t: 'binary', op, a: a.w, b: this.regexWord() };
    const b = this.next();
    if (b.k !== 'word') throw this.near(b);
    return { t: 'binary', op, a: a.w, b: b.w };
  }
}

/** NAME=value, NAME+=value, NAME[sub]=value. */
function assignment(w: Word, lx: Lexer, line: number): Assign | null {
  const first = w.parts[0];
  if (!first || first.t !== 'lit') return null;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(first.s);
  if (m) {
    const rest = first.s.slice(m[0].length);
    const parts = rest ? [{ t: 'lit' as const, s: rest }, ...w.parts.slice(1)] : w.parts.slice(1);
    return { name: m[1] as string, index: null, append: m[2] === '+', value: { parts, raw: w.raw.slice(m[0].length) } };
  }
  // an element: the subscript may hold expansions, so read it again from the source text
  const e = /^([A-Za-z_][A-Za-z0-9_]*)\[([^\]]*)\](\+?)=/.exec(w.raw);
  if (!e || !first.s.startsWith(`${e[1]}[`)) return null;
  const valueRaw = w.raw.slice(e[0].length);
  return {
    name: e[1] as string,
    index: lx.arithWord(e[2] as string, line),
    append: e[3] === '+',
    value: new Lexer(valueRaw, line, lx.hooks).readWord('word', false),
  };
}

/** A here-document delimiter with its quotes removed. */
function unquote(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\' && i + 1 < raw.length) out += raw[++i];
    else if (c === "'") {
      const e = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, e < 0 ? raw.length : e);
      i = e < 0 ? raw.length : e;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length && '$`"\\'.includes(raw[i + 1] as string)) i++;
        out += raw[i];
        i++;
      }
    } else out += c;
  }
  return out;
}

/** Splits `init; cond; step` at its top-level semicolons. */
function splitCFor(text: string): [string, string, string] | null {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ';' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.length === 3 ? (parts as [string, string, string]) : null;
}

/** Parses a script; never throws: a syntax error comes back in `error`. */
export function parse(source: string): Script {
  const lx = new Lexer(source, 1, hooks);
  const p = new Parser(lx);
  const commands: { list: List; warnings: Warning[] }[] = [];
  try {
    for (;;) {
      p.skipNewlines();
      if (p.peek().k === 'eof') break;
      const list = p.topLevel();
      commands.push({ list, warnings: lx.warnings.splice(0) });
    }
  } catch (e) {
    if (e instanceof ParseError) {
      return {
        commands,
        error: { line: e.line, message: e.message, context: e.context },
        trailingWarnings: lx.warnings.splice(0),
      };
    }
    if (e instanceof RangeError) {
      // nesting deep enough to exhaust the stack: bash's parser stack (10,000
      // entries) overflows the same way, as a syntax error at the token it was reading
      const err = p.near(p.last ?? p.peek());
      return {
        commands,
        error: { line: err.line, message: err.message, context: err.context },
        trailingWarnings: [],
      };
    }
    throw e;
  }
  return { commands, error: null, trailingWarnings: lx.warnings.splice(0) };
}
