// Characters to tokens. Bash lexes in context: a word's quotes and expansions
// are read here into WordParts; `$(...)` calls back into the parser on the same
// input, so nesting and line numbers come out as bash counts them.
import { byteChar } from '../fileio.ts';
import type { HereDoc, List, ParamOp, ParamPart, Warning, Word, WordPart } from './ast.ts';

export class ParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
    /** The input line quoted after the message, or null. */
    readonly context: string | null,
    /** Reached the end of input (`syntax error: unexpected end of file`). */
    readonly eof = false,
  ) {
    super(message);
  }
}

/** `line` is where a token starts, `end` the line the lexer stands on after it (bash's line_number). */
export type Token =
  | { readonly k: 'word'; readonly w: Word; readonly line: number; readonly end: number }
  | { readonly k: 'op'; readonly v: string; readonly fd: number | null; readonly line: number; readonly end: number }
  | { readonly k: 'nl'; readonly line: number; readonly end: number }
  | { readonly k: 'eof'; readonly line: number; readonly end: number };

export interface ParserHooks {
  /** Parses a compound list up to and including the `)` of `$(`; the lexer stands after it. */
  parseSubst(lx: Lexer): { body: List; line0: number };
  /** Parses a whole text (backquotes) as a compound list. */
  parseText(text: string, line: number): { body: List; line0: number };
}

/** Text of a here-document with nothing to expand or unquote. */
const HEREDOC_PLAIN = /[^\\$`]+/y;

/** 'word': an ordinary word; 'brace*': the argument inside ${...}; 'heredoc' and 'arith': a whole text. */
type Mode = 'word' | 'brace' | 'brace-pat' | 'brace-off' | 'heredoc' | 'arith';

const OPS = [
  ';;&',
  '&>>',
  '<<<',
  '<<-',
  '&&',
  '||',
  '|&',
  ';;',
  ';&',
  '<<',
  '<&',
  '<>',
  '>>',
  '>&',
  '>|',
  '&>',
  '&',
  '|',
  ';',
  '<',
  '>',
  '(',
  ')',
];

export const isMeta = (c: string): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')';

const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string): boolean => isNameStart(c) || (c >= '0' && c <= '9');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const SPECIAL_PARAMS = '@*#?$!-';

export class Lexer {
  pos = 0;
  /** Compound commands open around the parser's position (src/userspace/shell/parser.ts bounds it). */
  nesting = 0;
  /** Here-documents whose bodies start after the next newline. */
  private pending: { doc: HereDoc; line: number }[] = [];
  readonly warnings: Warning[] = [];
  private readonly lines: string[];

  constructor(
    readonly src: string,
    public line: number,
    readonly hooks: ParserHooks,
  ) {
    this.lines = src.split('\n');
  }

  /** The text of input line n (1-based, counted from this lexer's first line). */
  lineText(n: number, base: number): string {
    return this.lines[n - base] ?? '';
  }

  private c(o = 0): string {
    return this.src[this.pos + o] ?? '';
  }

  addHereDoc(doc: HereDoc, line: number): void {
    this.pending.push({ doc, line });
  }

  hasPendingHereDocs(): boolean {
    return this.pending.length > 0;
  }

  /** Blanks, `\`-newline continuations and comments before a token. */
  private skipBlanks(): void {
    for (;;) {
      const c = this.c();
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.c(1) === '\n') {
        this.pos += 2;
        this.line++;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.c() !== '\n') this.pos++;
      } else return;
    }
  }

  next(): Token {
    this.skipBlanks();
    const c = this.c();
    const line = this.line;
    if (c === '') {
      this.readHereDocs();
      return { k: 'eof', line, end: line };
    }
    if (c === '\n') {
      this.pos++;
      this.line++;
      this.readHereDocs();
      return { k: 'nl', line, end: line };
    }
    // an IO number: digits written right before < or >
    let i = this.pos;
    while (isDigit(this.src[i] ?? '')) i++;
    if (i > this.pos && (this.src[i] === '<' || this.src[i] === '>')) {
      const start = this.pos;
      const fd = Number(this.src.slice(this.pos, i));
      this.pos = i;
      const op = this.readOp();
      if (op && fd <= 0x7fffffff) return { k: 'op', v: op, fd, line, end: this.line };
      this.pos = start;
    }
    const op = this.readOp();
    if (op) return { k: 'op', v: op, fd: null, line, end: this.line };
    const w = this.readWord('word', false);
    return { k: 'word', w, line, end: this.line };
  }

  private readOp(): string | null {
    for (const op of OPS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return null;
  }

  private readHereDocs(): void {
    const pend = this.pending;
    this.pending = [];
    for (const { doc, line } of pend) {
      // the body is one slice of the source (lines with their tabs stripped are collected), never a copy per line
      const stripped: string[] = [];
      const bodyStart = this.pos;
      let bodyEnd = this.pos;
      let noNewline = false;
      const bodyLine = this.line;
      for (;;) {
        if (this.pos >= this.src.length) {
          this.warnings.push({
            // bash counts the last line read, not the end of file after its newline
            line: this.src[this.pos - 1] === '\n' ? this.line - 1 : this.line,
            message: `warning: here-document at line ${line} delimited by end-of-file (wanted \`${doc.delim}')`,
          });
          break;
        }
        const eol = this.src.indexOf('\n', this.pos);
        const text = this.src.slice(this.pos, eol < 0 ? this.src.length : eol);
        this.pos = eol < 0 ? this.src.length : eol + 1;
        if (eol >= 0) this.line++;
        const check = doc.stripTabs ? text.replace(/^\t+/, '') : text;
        if (check === doc.delim) break;
        if (doc.stripTabs) stripped.push(check);
        bodyEnd = this.pos;
        noNewline = eol < 0;
      }
      let body: string;
      if (doc.stripTabs) body = stripped.length ? `${stripped.join('\n')}\n` : '';
      else body = this.src.slice(bodyStart, bodyEnd) + (noNewline ? '\n' : '');
      doc.body = doc.quoted ? { parts: body ? [{ t: 'sq', s: body }] : [], raw: body } : this.sub(body, bodyLine).readWord('heredoc', true);
    }
  }

  /**
   * After `((`: the text up to the matching `))`, the lexer then standing after
   * them; null (lexer unmoved) when the parentheses close otherwise.
   */
  readDoubleParen(): string | null {
    const line = this.line;
    const src = this.src;
    let depth = 0;
    let i = this.pos;
    for (;;) {
      if (i >= src.length) throw this.eofIn(line, ')');
      const c = src[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) {
          if (src[i + 1] === ')') break;
          return null;
        }
        depth--;
      }
      i++;
    }
    const text = src.slice(this.pos, i);
    this.line += countNl(text);
    this.pos = i + 2;
    return text;
  }

  /** An arithmetic text as a word: its expansions, its double quotes dropped. */
  arithWord(text: string, line: number): Word {
    return this.sub(text, line).readWord('arith', true);
  }

  private sub(text: string, line: number): Lexer {
    const l = new Lexer(text, line, this.hooks);
    l.nesting = this.nesting;
    return l;
  }

  /** Reads a word up to its mode's terminator. */
  readWord(mode: Mode, inDq: boolean): Word {
    const start = this.pos;
    const parts: WordPart[] = [];
    const quotedText = mode === 'heredoc' || mode === 'arith';
    let lit = '';
    const flush = (): void => {
      if (lit) {
        parts.push(quotedText ? { t: 'sq', s: lit } : { t: 'lit', s: lit });
        lit = '';
      }
    };
    const src = this.src;
    while (this.pos < src.length) {
      if (mode === 'heredoc') {
        // a run of plain text at once (a here-document may hold megabytes)
        HEREDOC_PLAIN.lastIndex = this.pos;
        const m = HEREDOC_PLAIN.exec(src);
        if (m) {
          lit += m[0];
          this.line += countNl(m[0]);
          this.pos += m[0].length;
          continue;
        }
      }
      const c = src[this.pos] as string;
      if (mode === 'word' && c === '(' && parts.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(lit)) {
        flush();
        parts.push(this.readArrayLiteral());
        break;
      }
      if (mode === 'word' && isMeta(c)) break;
      if ((mode === 'brace' || mode === 'brace-pat' || mode === 'brace-off') && c === '}') break;
      if (mode === 'brace-pat' && c === '/') break;
      if (mode === 'brace-off' && c === ':') break;
      if (c === '\\') {
        const n = src[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          this.line++;
          continue;
        }
        if (n === undefined) {
          lit += '\\';
          this.pos++;
          continue;
        }
        if (quotedText && !'$`\\'.includes(n) && !(mode === 'arith' && n === '"')) {
          lit += '\\';
          this.pos++;
          continue;
        }
        flush();
        parts.push({ t: 'sq', s: n });
        this.pos += 2;
        continue;
      }
      if (c === "'" && !quotedText && !inDq) {
        flush();
        parts.push({ t: 'sq', s: this.readSingle() });
        continue;
      }
      if (c === '"' && mode === 'arith') {
        this.pos++;
        continue;
      }
      if (c === '"' && mode !== 'heredoc') {
        flush();
        parts.push(this.readDouble());
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(inDq || quotedText);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      }
      if (c === '`') {
        flush();
        parts.push(this.readBackquote(inDq || quotedText));
        continue;
      }
      if (c === '\n') this.line++;
      lit += c;
      this.pos++;
    }
    flush();
    return { parts, raw: src.slice(start, this.pos) };
  }

  /** The (a b c) of NAME=(a b c), from its parenthesis. */
  private readArrayLiteral(): WordPart {
    const line = this.line;
    const src = this.src;
    this.pos++;
    const elems: Word[] = [];
    for (;;) {
      const c = src[this.pos];
      if (c === undefined) throw this.eofIn(line, ')');
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\n') {
        this.pos++;
        this.line++;
      } else if (c === '\\' && src[this.pos + 1] === '\n') {
        this.pos += 2;
        this.line++;
      } else if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      } else if (c === ')') {
        this.pos++;
        return { t: 'array', elems };
      } else if (isMeta(c)) {
        throw new ParseError(this.line, `syntax error near unexpected token \`${c}'`, this.lineText(this.line, 1));
      } else elems.push(this.readWord('word', false));
    }
  }

  private eofIn(line: number, what: string): ParseError {
    return new ParseError(line, `unexpected EOF while looking for matching \`${what}'`, null);
  }

  /** '...' from the opening quote; returns the contents. */
  private readSingle(): string {
    const line = this.line;
    const end = this.src.indexOf("'", this.pos + 1);
    if (end < 0) throw this.eofIn(line, "'");
    const s = this.src.slice(this.pos + 1, end);
    this.line += countNl(s);
    this.pos = end + 1;
    return s;
  }

  private readDouble(): WordPart {
    const line = this.line;
    this.pos++;
    const parts: WordPart[] = [];
    let lit = '';
    const flush = (): void => {
      if (lit) {
        parts.push({ t: 'sq', s: lit });
        lit = '';
      }
    };
    const src = this.src;
    for (;;) {
      if (this.pos >= src.length) throw this.eofIn(line, '"');
      const c = src[this.pos] as string;
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = src[this.pos + 1] ?? '';
        if (n === '\n') {
          this.pos += 2;
          this.line++;
          continue;
        }
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          lit += n;
          this.pos += 2;
          continue;
        }
        lit += '\\';
        this.pos++;
        continue;
      }
      if (c === '$') {
        const p = this.readDollar(true);
        if (p) {
          flush();
          parts.push(p);
          continue;
        }
      }
      if (c === '`') {
        flush();
        parts.push(this.readBackquote(true));
        continue;
      }
      if (c === '\n') this.line++;
      lit += c;
      this.pos++;
    }
    flush();
    return { t: 'dq', parts };
  }

  /** At a `$`: an expansion, or null when the `$` is literal. */
  private readDollar(inDq: boolean): WordPart | null {
    const n = this.c(1);
    if (n === '{') return this.readBrace(inDq);
    if (n === '(') {
      if (this.c(2) === '(') {
        const a = this.readArith();
        if (a) return a;
      }
      return this.readCmdSubst();
    }
    if (n === "'" && !inDq) {
      this.pos++;
      const line = this.line;
      const s = this.readAnsiC();
      if (s === null) throw this.eofIn(line, "'");
      return { t: 'sq', s };
    }
    if (n === '"' && !inDq) {
      this.pos++;
      return this.readDouble();
    }
    if (isNameStart(n)) {
      let i = this.pos + 1;
      while (isNameChar(this.src[i] ?? '')) i++;
      const name = this.src.slice(this.pos + 1, i);
      this.pos = i;
      return param(name);
    }
    if (isDigit(n) || (n !== '' && SPECIAL_PARAMS.includes(n))) {
      this.pos += 2;
      return param(n);
    }
    return null;
  }

  private readCmdSubst(): WordPart {
    const line = this.line;
    this.pos += 2;
    try {
      const { body, line0 } = this.hooks.parseSubst(this);
      return { t: 'cmdsub', body, line0 };
    } catch (e) {
      if (e instanceof ParseError && e.eof) throw this.eofIn(line, ')');
      throw e;
    }
  }

  /** $(( ... )) when the parentheses match as arithmetic; null otherwise. */
  private readArith(): WordPart | null {
    const line = this.line;
    const src = this.src;
    let depth = 0;
    let i = this.pos + 3;
    for (;;) {
      if (i >= src.length) throw this.eofIn(line, ')');
      const c = src[i];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) {
          if (src[i + 1] === ')') break;
          return null;
        }
        depth--;
      }
      i++;
    }
    const text = src.slice(this.pos + 3, i);
    const expr = this.sub(text, line).readWord('arith', true);
    this.line += countNl(text);
    this.pos = i + 2;
    return { t: 'arith', expr };
  }

  private readBackquote(inDq: boolean): WordPart {
    const line = this.line;
    const src = this.src;
    let i = this.pos + 1;
    let text = '';
    for (;;) {
      if (i >= src.length) throw this.eofIn(line, '`');
      const c = src[i] as string;
      if (c === '`') break;
      if (c === '\\') {
        const n = src[i + 1] ?? '';
        if (n === '$' || n === '`' || n === '\\' || (inDq && n === '"')) {
          text += n;
          i += 2;
          continue;
        }
      }
      text += c;
      i++;
    }
    this.line += countNl(src.slice(this.pos, i));
    this.pos = i + 1;
    const { body, line0 } = this.hooks.parseText(text, 1);
    return { t: 'cmdsub', body, line0 };
  }

  /** $'...' from the quote; null at end of input. */
  private readAnsiC(): string | null {
    const src = this.src;
    let i = this.pos + 1;
    let out = '';
    for (;;) {
      if (i >= src.length) return null;
      const c = src[i] as string;
      if (c === "'") break;
      if (c === '\n') this.line++;
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const n = src[i + 1] ?? '';
      i += 2;
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      const s = simple[n];
      if (s !== undefined) out += s;
      else if (n === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i, i + 2));
        if (m) {
          out += byteChar(parseInt(m[0], 16));
          i += m[0].length;
        } else out += '\\x';
      } else if (n >= '0' && n <= '7') {
        const m = /^[0-7]{1,3}/.exec(src.slice(i - 1, i + 2)) as RegExpExecArray;
        out += byteChar(parseInt(m[0], 8) & 0xff);
        i += m[0].length - 1;
      } else out += '\\' + n;
    }
    this.pos = i + 1;
    // the string is a C string to bash: a NUL (\0, \x00) ends it
    const nul = out.indexOf('\0');
    return nul >= 0 ? out.slice(0, nul) : out;
  }

  private readBrace(inDq: boolean): WordPart {
    const line = this.line;
    const start = this.pos;
    const src = this.src;
    this.pos += 2;
    const bad = (): WordPart => {
      // skip to the closing brace, as bash does before reporting it at run time
      let depth = 0;
      for (;;) {
        const c = src[this.pos];
        if (c === undefined) throw this.eofIn(line, '}');
        this.pos++;
        if (c === '{') depth++;
        else if (c === '}') {
          if (depth === 0) break;
          depth--;
        }
      }
      return { t: 'bad', raw: src.slice(start, this.pos) };
    };
    const expectClose = (): void => {
      if (this.pos >= src.length) throw this.eofIn(line, '}');
      if (this.c() !== '}') throw this.eofIn(line, '}');
      this.pos++;
    };
    const arg = (mode: Mode): Word => {
      const w = this.readWord(mode, inDq);
      if (this.pos >= src.length) throw this.eofIn(line, '}');
      return w;
    };
    // ${!name...}: indirection, the rest read as for ${name...}; ${!prefix*} and ${!a[@]} list names and indices
    if (this.c() === '!' && /[A-Za-z_0-9]/.test(this.c(1))) {
      const save = this.pos;
      this.pos++;
      const name = this.readParamName();
      const c = this.c();
      if (name !== null && (c === '*' || c === '@') && this.c(1) === '}' && isNameStart(name[0] ?? '')) {
        this.pos += 2;
        return { t: 'param', name, op: null, colon: false, arg: null, arg2: null, listing: { kind: 'names', star: c === '*' } };
      }
      const k = /^\[([@*])\]\}/.exec(src.slice(this.pos, this.pos + 4));
      if (name !== null && k && isNameStart(name[0] ?? '')) {
        this.pos += 4;
        return { t: 'param', name, op: null, colon: false, arg: null, arg2: null, listing: { kind: 'keys', star: k[1] === '*' } };
      }
      const listing = name !== null && (c === '*' || c === '@' || c === '[');
      this.pos = save - 1;
      if (name === null || listing) {
        this.pos = save;
        return bad();
      }
      const inner = this.readBrace(inDq);
      if (inner.t !== 'param') return { t: 'bad', raw: src.slice(start, this.pos) };
      return { ...inner, indirect: true };
    }
    // ${#name}: the length
    if (this.c() === '#' && this.c(1) !== '}') {
      const save = this.pos;
      this.pos++;
      const name = this.readParamName();
      const index = name !== null ? this.readSubscript(line) : null;
      if (name !== null && this.c() === '}') {
        this.pos++;
        return { t: 'param', name, op: 'len', colon: false, arg: null, arg2: null, index };
      }
      this.pos = save;
    }
    const name = this.readParamName();
    if (name === null) return bad();
    const index = this.readSubscript(line);
    const c = this.c();
    if (c === '}') {
      this.pos++;
      return { ...(param(name) as ParamPart), index };
    }
    let op: ParamOp;
    let colon = false;
    if (c === ':' && '-=+?'.includes(this.c(1)) && this.c(1) !== '') {
      colon = true;
      op = this.c(1) as ParamOp;
      this.pos += 2;
    } else if (c === ':') {
      this.pos++;
      const off = arg('brace-off');
      let len: Word | null = null;
      if (this.c() === ':') {
        this.pos++;
        len = arg('brace');
      }
      expectClose();
      return { t: 'param', name, op: ':', colon: false, arg: off, arg2: len, index };
    } else if (c === '-' || c === '=' || c === '+' || c === '?') {
      op = c;
      this.pos++;
    } else if (c === '#' || c === '%') {
      op = (this.c(1) === c ? c + c : c) as ParamOp;
      this.pos += op.length;
    } else if (c === '/') {
      const n = this.c(1);
      op = n === '/' || n === '#' || n === '%' ? (('/' + n) as ParamOp) : '/';
      this.pos += op.length;
      const pat = arg('brace-pat');
      let rep: Word | null = null;
      if (this.c() === '/') {
        this.pos++;
        rep = arg('brace');
      }
      expectClose();
      return { t: 'param', name, op, colon: false, arg: pat, arg2: rep, index };
    } else if ((c === '^' || c === ',') && this.c(1) === c) {
      this.pos += 2;
      expectClose();
      return { t: 'param', name, op: (c + c) as ParamOp, colon: false, arg: null, arg2: null, index };
    } else return bad();
    const w = arg('brace');
    expectClose();
    return { t: 'param', name, op, colon, arg: w, arg2: null, index };
  }

  /** [sub] after a name in ${...}; null when there is none. */
  private readSubscript(line: number): Word | null {
    if (this.c() !== '[') return null;
    const end = this.src.indexOf(']', this.pos);
    if (end < 0) throw this.eofIn(line, '}');
    const text = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    return this.sub(text, line).readWord('arith', true);
  }

  private readParamName(): string | null {
    const c = this.c();
    if (isNameStart(c)) {
      let i = this.pos;
      while (isNameChar(this.src[i] ?? '')) i++;
      const name = this.src.slice(this.pos, i);
      this.pos = i;
      return name;
    }
    if (isDigit(c)) {
      let i = this.pos;
      while (isDigit(this.src[i] ?? '')) i++;
      const name = this.src.slice(this.pos, i);
      this.pos = i;
      return name;
    }
    if (c !== '' && SPECIAL_PARAMS.includes(c)) {
      this.pos++;
      return c;
    }
    return null;
  }
}

function param(name: string): WordPart {
  return { t: 'param', name, op: null, colon: false, arg: null, arg2: null };
}

function countNl(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
