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

/** Binary operators by precedence, as in expr.c (assignment, 2, and ?:, 3, are handled apart). */
const PREC: Record<string, number> = {
  ',': 1,
  '||': 4,
  '&&': 5,
  '|': 6,
  '^': 7,
  '&': 8,
  '==': 9,
  '!=': 9,
  '<': 10,
  '>': 10,
  '<=': 10,
  '>=': 10,
  '<<': 11,
  '>>': 11,
  '+': 12,
  '-': 12,
  '*': 13,
  '/': 13,
  '%': 13,
  '**': 14,
};

type Ref = { name: string; i: number | null };
type Frame =
  | { k: 'paren' }
  | { k: 'unary'; op: string }
  | { k: 'assign'; op: string; ref: Ref; lval: bigint }
  | { k: 'cond'; c: bigint }
  | { k: 'else'; c: bigint; a: bigint }
  | { k: 'bin'; op: string; prec: number; skip: boolean; rhsStart: number };

class Evaluator {
  private pos = 0;
  private tok: Tok = { k: 'eof' };
  /** Start of the last token read (bash's lasttp). */
  private lastStart = 0;
  /** Inside the branch not taken of && || ?: */
  private noeval = 0;
  /** Where a ++ or -- read as an operand began. */
  private tokStart = 0;

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
    return this.expr();
  }

  /**
   * The expression by operator precedence with explicit stacks, so that no
   * nesting of parentheses or operators deepens the JavaScript stack. Each
   * operator is applied when the recursive descent of expr.c would apply it
   * (a following operator of lower precedence), so values, side effects and
   * error messages come in the same order.
   */
  private expr(): bigint {
    const vals: bigint[] = [];
    const ops: Frame[] = [];
    // an assignment may start here: the expression's start, after ( , ? or an assignment operator
    let canAssign = true;
    for (;;) {
      // ---- an operand, after any prefix operators
      let t = this.cur();
      if (t.k === 'op') {
        if (t.v === '(') {
          ops.push({ k: 'paren' });
          this.read();
          canAssign = true;
          continue;
        }
        if (t.v === '!' || t.v === '~' || t.v === '-' || t.v === '+') {
          ops.push({ k: 'unary', op: t.v });
          this.read();
          canAssign = false;
          continue;
        }
        if (t.v === '++' || t.v === '--') {
          this.tokStart = this.lastStart;
          this.read();
          const id = this.cur();
          if (id.k !== 'id') {
            // not before a name: one sign, and the second character is read again (expr.c's readtok)
            ops.push({ k: 'unary', op: t.v[0] as string });
            this.pos = this.tokStart + 1;
            this.read();
            canAssign = false;
            continue;
          }
          const ref = this.ref(id);
          this.read();
          const v = i64(this.refValue(ref) + (t.v === '++' ? 1n : -1n));
          if (!this.noeval) this.store(ref, v);
          vals.push(v);
        } else this.fail('syntax error: operand expected');
      } else if (t.k === 'id') {
        const ref = this.ref(t);
        this.read();
        const n = this.cur();
        if (canAssign && n.k === 'op' && ASSIGN_OPS.has(n.v)) {
          // a compound assignment takes the variable's value before its right side runs
          ops.push({ k: 'assign', op: n.v, ref, lval: n.v === '=' ? 0n : this.refValue(ref) });
          this.read();
          continue;
        }
        const v = this.refValue(ref);
        if (this.isOp('++') || this.isOp('--')) {
          const d = this.isOp('++') ? 1n : -1n;
          this.read();
          if (!this.noeval) this.store(ref, i64(v + d));
        }
        vals.push(v);
      } else if (t.k === 'num') {
        vals.push(this.number(t.v));
        this.read();
      } else this.fail('syntax error: operand expected');

      // ---- operators that close what came before, then the next binary operator
      for (;;) {
        t = this.cur();
        const op = t.k === 'op' ? t.v : null;
        if (op === ')') {
          this.reduce(vals, ops, 0);
          const top = ops[ops.length - 1];
          if (top?.k === 'paren') {
            ops.pop();
            this.read();
            continue;
          }
          if (top?.k === 'cond') this.fail("`:' expected for conditional expression");
          this.fail('syntax error in expression');
        }
        if (op === ':') {
          this.reduce(vals, ops, 0);
          const top = ops[ops.length - 1];
          if (top?.k !== 'cond') this.fail(top?.k === 'paren' ? "missing `)'" : 'syntax error in expression');
          ops.pop();
          const a = vals.pop() as bigint;
          if (top.c === 0n) this.noeval--;
          else this.noeval++;
          ops.push({ k: 'else', c: top.c, a });
          this.read();
          canAssign = false;
          break;
        }
        if (op === '?') {
          // right-associative: an open ?: or assignment stays
          this.reduce(vals, ops, 4);
          const c = vals[vals.length - 1] as bigint;
          vals.pop();
          if (c === 0n) this.noeval++;
          ops.push({ k: 'cond', c });
          this.read();
          if (this.cur().k === 'eof' || this.isOp(':')) this.fail('expression expected');
          canAssign = true;
          break;
        }
        if (op !== null && ASSIGN_OPS.has(op)) {
          this.reduce(vals, ops, 3);
          this.fail('attempted assignment to non-variable');
        }
        const prec = op === null ? undefined : PREC[op];
        if (prec === undefined) {
          // the end, or a token no operator takes: close everything open
          this.reduce(vals, ops, 0);
          const top = ops[ops.length - 1];
          if (top?.k === 'paren') this.fail("missing `)'");
          if (top?.k === 'cond') this.fail("`:' expected for conditional expression");
          if (t.k !== 'eof') this.fail('syntax error in expression');
          return vals[0] as bigint;
        }
        this.reduce(vals, ops, op === '**' ? prec + 1 : prec);
        const left = vals[vals.length - 1] as bigint;
        let skip = false;
        if (op === '&&' && left === 0n) skip = true;
        if (op === '||' && left !== 0n) skip = true;
        if (skip) this.noeval++;
        const f: Frame = { k: 'bin', op: op as string, prec, skip, rhsStart: 0 };
        ops.push(f);
        this.read();
        f.rhsStart = this.lastStart;
        canAssign = op === ',';
        break;
      }
    }
  }

  /** Applies the operators on the stack that bind at least as tightly as `prec`, down to a ( or ?. */
  private reduce(vals: bigint[], ops: Frame[], prec: number): void {
    for (;;) {
      const f = ops[ops.length - 1];
      if (!f || f.k === 'paren' || f.k === 'cond') return;
      if (f.k === 'unary') {
        ops.pop();
        const v = vals.pop() as bigint;
        vals.push(f.op === '!' ? (v === 0n ? 1n : 0n) : f.op === '~' ? ~v : f.op === '-' ? i64(-v) : v);
        continue;
      }
      if (f.k === 'else') {
        if (prec > 3) return;
        ops.pop();
        const b = vals.pop() as bigint;
        if (f.c !== 0n) this.noeval--;
        vals.push(f.c !== 0n ? f.a : b);
        continue;
      }
      if (f.k === 'assign') {
        if (prec > 2) return;
        ops.pop();
        const rhs = vals.pop() as bigint;
        if (this.noeval) {
          vals.push(rhs);
          continue;
        }
        let v = rhs;
        if (f.op !== '=') v = this.binop(f.op.slice(0, -1), f.lval, rhs, null);
        this.store(f.ref, v);
        vals.push(v);
        continue;
      }
      if (f.prec < prec) return;
      ops.pop();
      const r = vals.pop() as bigint;
      const l = vals.pop() as bigint;
      if (f.skip) this.noeval--;
      vals.push(this.apply(f.op, l, r, f.rhsStart));
    }
  }

  private apply(op: string, l: bigint, r: bigint, rhsStart: number): bigint {
    switch (op) {
      case ',':
        return r;
      case '||':
        return l !== 0n || r !== 0n ? 1n : 0n;
      case '&&':
        return l !== 0n && r !== 0n ? 1n : 0n;
      case '**': {
        // checked in a branch not taken too (its variables read as 0 there), as expr.c does
        if (r < 0n) this.fail('exponent less than 0');
        let out = 1n;
        let base = l;
        let k = r;
        while (k > 0n) {
          if (k & 1n) out = i64(out * base);
          base = i64(base * base);
          k >>= 1n;
        }
        return out;
      }
      default:
        return this.binop(op, l, r, rhsStart);
    }
  }

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
    return { name: t.v, i: Number(this.nested(t.sub)) };
  }

  private refValue(r: { name: string; i: number | null }): bigint {
    // a branch not taken reads no variable (expr_streval)
    if (this.noeval) return 0n;
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
    return this.nested(s);
  }

  /** A variable's value or a subscript as an expression of its own; past MAX_DEPTH, bash's error on that expression. */
  private nested(text: string): bigint {
    const e = new Evaluator(text, this.vars, this.depth + 1);
    if (this.depth + 1 >= MAX_DEPTH) e.fail('expression recursion level exceeded', 0);
    return e.run();
  }
}

/** Evaluates an already-expanded arithmetic text; throws ArithError. */
export function evalArith(text: string, vars: ArithVars): bigint {
  return new Evaluator(text, vars, 0).run();
}
