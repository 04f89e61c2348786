// Shell arithmetic ($((...)), ((...)), let) as bash's expr.c evaluates it:
// 64-bit wrapping integers, C precedence, variables that hold expressions,
// and bash's messages: `EXPR: MSG (error token is "REST")`.

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  /** Array elements, name[i]. */
  getAt?(name: string, i: number): string | undefined;
  setAt?(name: string, i: number, value: string): void;
}

export class ArithError extends Error {
  constructor(
    /** The whole expression, as bash quotes it. */
    readonly expr: string,
    readonly msg: string,
    /** The text from the offending token to the end, or null. */
    readonly token: string | null,
  ) {
    const e = expr.replace(/^\s+/, '');
    super(token === null ? `${e}: ${msg}` : `${e}: ${msg} (error token is "${token}")`);
  }
}

const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);

const OPS = [
  '<<=',
  '>>=',
  '**',
  '++',
  '--',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '<<',
  '>>',
  '*=',
  '/=',
  '%=',
  '+=',
  '-=',
  '&=',
  '^=',
  '|=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '!',
  '~',
  '&',
  '^',
  '|',
  '?',
  ':',
  ',',
  '(',
  ')',
];
const ASSIGN_OPS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

type Tok = { k: 'num'; v: string } | { k: 'id'; v: string; sub: string | null } | { k: 'op'; v: string } | { k: 'eof' };

const MAX_DEPTH = 1024;

class Evaluator {
  private pos = 0;
  private tok: Tok = { k: 'eof' };
  /** Start of the last token read (bash's lasttp). */
  private lastStart = 0;
  /** Inside the branch not taken of && || ?: */
  private noeval = 0;

  constructor(
    private readonly text: string,
    private readonly vars: ArithVars,
    private readonly depth: number,
  ) {}

  private fail(msg: string, from: number | null = this.lastStart): never {
    throw new ArithError(this.text, msg, from === null ? null : this.text.slice(from));
  }

  private read(): void {
    const s = this.text;
    let i = this.pos;
    while (i < s.length && /\s/.test(s[i] as string)) i++;
    if (i >= s.length) {
      this.pos = i;
      this.tok = { k: 'eof' };
      return;
    }
    this.lastStart = i;
    const c = s[i] as string;
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < s.length && /[0-9A-Za-z_@#]/.test(s[j] as string)) j++;
      this.tok = { k: 'num', v: s.slice(i, j) };
      this.pos = j;
      return;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < s.length && /[0-9A-Za-z_]/.test(s[j] as string)) j++;
      const v = s.slice(i, j);
      let sub: string | null = null;
      if (s[j] === '[') {
        let depth = 0;
        let k = j;
        for (; k < s.length; k++) {
          if (s[k] === '[') depth++;
          else if (s[k] === ']' && --depth === 0) break;
        }
        if (k >= s.length) {
          this.pos = s.length;
          this.fail('bad array subscript');
        }
        sub = s.slice(j + 1, k);
        j = k + 1;
      }
      this.tok = { k: 'id', v, sub };
      this.pos = j;
      return;
    }
    for (const op of OPS) {
      if (s.startsWith(op, i)) {
        this.tok = { k: 'op', v: op };
        this.pos = i + op.length;
        return;
      }
    }
    this.pos = i + 1;
    this.tok = { k: 'op', v: c };
    this.fail('syntax error: invalid arithmetic operator');
  }

  /** The current token (a call, so type narrowing does not outlive read()). */
  private cur(): Tok {
    return this.tok;
  }

  private isOp(v: string): boolean {
    return this.tok.k === 'op' && this.tok.v === v;
  }

  run(): bigint {
    this.read();
    if (this.tok.k === 'eof') return 0n;
    const v = this.comma();
    if (this.cur().k !== 'eof') this.fail('syntax error in expression');
    return v;
  }

  private comma(): bigint {
    let v = this.assign();
    while (this.isOp(',')) {
      this.read();
      v = this.assign();
    }
    return v;
  }

  private assign(): bigint {
    if (this.tok.k === 'id') {
      // look ahead for an assignment operator
      const save = { pos: this.pos, tok: this.tok, last: this.lastStart };
      const ref = this.ref(this.tok);
      this.read();
      const t = this.cur();
      if (t.k === 'op' && ASSIGN_OPS.has(t.v)) {
        const op = t.v;
        this.read();
        const rhs = this.assign();
        if (this.noeval) return rhs;
        let v = rhs;
        if (op !== '=') v = this.binop(op.slice(0, -1), this.refValue(ref), rhs, null);
        this.store(ref, v);
        return v;
      }
      this.pos = save.pos;
      this.tok = save.tok;
      this.lastStart = save.last;
    }
    const v = this.cond();
    if (this.tok.k === 'op' && ASSIGN_OPS.has(this.tok.v)) this.fail('attempted assignment to non-variable');
    return v;
  }

  private cond(): bigint {
    const c = this.lor();
    if (!this.isOp('?')) return c;
    this.read();
    if (c === 0n) this.noeval++;
    const a = this.comma();
    if (c === 0n) this.noeval--;
    if (!this.isOp(':')) this.fail("`:' expected for conditional expression");
    this.read();
    if (c !== 0n) this.noeval++;
    const b = this.cond();
    if (c !== 0n) this.noeval--;
    return c !== 0n ? a : b;
  }

  private lor(): bigint {
    let v = this.land();
    while (this.isOp('||')) {
      this.read();
      if (v !== 0n) this.noeval++;
      const r = this.land();
      if (v !== 0n) this.noeval--;
      v = v !== 0n || r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private land(): bigint {
    let v = this.bor();
    while (this.isOp('&&')) {
      this.read();
      if (v === 0n) this.noeval++;
      const r = this.bor();
      if (v === 0n) this.noeval--;
      v = v !== 0n && r !== 0n ? 1n : 0n;
    }
    return v;
  }

  /** A left-associative level of binary operators. */
  private level(ops: readonly string[], next: () => bigint): bigint {
    let v = next();
    while (this.tok.k === 'op' && ops.includes(this.tok.v)) {
      const op = this.tok.v;
      this.read();
      const rhsStart = this.lastStart;
      const r = next();
      v = this.binop(op, v, r, rhsStart);
    }
    return v;
  }

  private bor = (): bigint => this.level(['|'], this.bxor);
  private bxor = (): bigint => this.level(['^'], this.band);
  private band = (): bigint => this.level(['&'], this.eq);
  private eq = (): bigint => this.level(['==', '!='], this.rel);
  private rel = (): bigint => this.level(['<', '>', '<=', '>='], this.shift);
  private shift = (): bigint => this.level(['<<', '>>'], this.add);
  private add = (): bigint => this.level(['+', '-'], this.mul);
  private mul = (): bigint => this.level(['*', '/', '%'], this.pow);

  private pow = (): bigint => {
    const b = this.unary();
    if (!this.isOp('**')) return b;
    this.read();
    const e = this.pow();
    if (this.noeval) return 0n;
    if (e < 0n) this.fail('exponent less than 0');
    let r = 1n;
    let base = b;
    let k = e;
    while (k > 0n) {
      if (k & 1n) r = i64(r * base);
      base = i64(base * base);
      k >>= 1n;
    }
    return r;
  };

  private binop(op: string, a: bigint, b: bigint, rhsStart: number | null): bigint {
    switch (op) {
      case '|':
        return a | b;
      case '^':
        return a ^ b;
      case '&':
        return a & b;
      case '==':
        return a === b ? 1n : 0n;
      case '!=':
        return a !== b ? 1n : 0n;
      case '<':
        return a < b ? 1n : 0n;
      case '>':
        return a > b ? 1n : 0n;
      case '<=':
        return a <= b ? 1n : 0n;
      case '>=':
        return a >= b ? 1n : 0n;
      case '<<':
        return i64(a << (b & 63n));
      case '>>':
        return a >> (b & 63n);
      case '+':
        return i64(a + b);
      case '-':
        return i64(a - b);
      case '*':
        return i64(a * b);
      case '/':
      case '%':
        if (this.noeval) return 0n;
        if (b === 0n) this.fail('division by 0', rhsStart ?? this.lastStart);
        if (op === '/') return i64(a / b);
        return a % b;
      default:
        return 0n;
    }
  }

  private unary(): bigint {
    const t = this.tok;
    if (t.k === 'op') {
      switch (t.v) {
        case '!':
          this.read();
          return this.unary() === 0n ? 1n : 0n;
        case '~':
          this.read();
          return ~this.unary();
        case '-':
          this.read();
          return i64(-this.unary());
        case '+':
          this.read();
          return this.unary();
        case '++':
        case '--': {
          this.read();
          if (this.tok.k !== 'id') this.fail('syntax error: operand expected');
          const ref = this.ref(this.tok);
          this.read();
          const v = i64(this.refValue(ref) + (t.v === '++' ? 1n : -1n));
          if (!this.noeval) this.store(ref, v);
          return v;
        }
      }
    }
    return this.postfix();
  }

  private postfix(): bigint {
    const t = this.tok;
    if (t.k === 'id') {
      const ref = this.ref(t);
      this.read();
      const v = this.refValue(ref);
      if (this.isOp('++') || this.isOp('--')) {
        const d = this.isOp('++') ? 1n : -1n;
        this.read();
        if (!this.noeval) this.store(ref, i64(v + d));
      }
      return v;
    }
    if (t.k === 'num') {
      const v = this.number(t.v);
      this.read();
      return v;
    }
    if (this.isOp('(')) {
      this.read();
      const v = this.comma();
      if (!this.isOp(')')) this.fail("missing `)'");
      this.read();
      return v;
    }
    this.fail('syntax error: operand expected');
  }

  private number(s: string): bigint {
    let base = 10;
    let digits = s;
    const hash = s.indexOf('#');
    if (hash >= 0) {
      base = Number(s.slice(0, hash));
      digits = s.slice(hash + 1);
      if (!/^[0-9]+$/.test(s.slice(0, hash)) || base < 2 || base > 64) this.fail('invalid arithmetic base');
    } else if (/^0[xX]/.test(s)) {
      base = 16;
      digits = s.slice(2);
    } else if (s.length > 1 && s[0] === '0') {
      base = 8;
      digits = s.slice(1);
    }
    let v = 0n;
    const B = BigInt(base);
    for (const c of digits) {
      let d: number;
      if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
      else if (c >= 'a' && c <= 'z') d = c.charCodeAt(0) - 97 + 10;
      else if (c >= 'A' && c <= 'Z') d = c.charCodeAt(0) - 65 + (base <= 36 ? 10 : 36);
      else if (c === '@') d = 62;
      else if (c === '_') d = 63;
      else this.fail('invalid number');
      if (d >= base) this.fail('value too great for base');
      v = i64(v * B + BigInt(d));
    }
    return v;
  }

  /** A variable or an array element an operator reads or assigns. */
  private ref(t: Tok & { k: 'id' }): { name: string; i: number | null } {
    if (t.sub === null) return { name: t.v, i: null };
    if (this.noeval) return { name: t.v, i: 0 };
    return { name: t.v, i: Number(new Evaluator(t.sub, this.vars, this.depth + 1).run()) };
  }

  private refValue(r: { name: string; i: number | null }): bigint {
    if (r.i === null || !this.vars.getAt) return this.varValue(r.name);
    return this.valueOf(this.vars.getAt(r.name, r.i));
  }

  private store(r: { name: string; i: number | null }, v: bigint): void {
    if (r.i !== null && this.vars.setAt) this.vars.setAt(r.name, r.i, String(v));
    else this.vars.set(r.name, String(v));
  }

  private varValue(name: string): bigint {
    return this.valueOf(this.vars.get(name));
  }

  private valueOf(s: string | undefined): bigint {
    if (s === undefined || s.trim() === '') return 0n;
    if (/^\s*-?[0-9]+\s*$/.test(s) && !/^\s*-?0[0-9]/.test(s)) return i64(BigInt(s.trim()));
    if (this.depth >= MAX_DEPTH) this.fail('expression recursion level exceeded');
    return new Evaluator(s, this.vars, this.depth + 1).run();
  }
}

/** Evaluates an already-expanded arithmetic text; throws ArithError. */
export function evalArith(text: string, vars: ArithVars): bigint {
  return new Evaluator(text, vars, 0).run();
}
