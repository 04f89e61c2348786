// libpcap's optimizer (optimize.c, 1.10): value numbering of statements,
// use-def and dominator sets over the block graph, jump threading along edge
// dominators, or/and pull-ups, then interning of identical blocks. The order of
// every pass follows libpcap's, so the program it leaves is libpcap's program.
import * as B from './bpf.ts';
import { FilterError } from './grammar.ts';
import { NOP, type Block, type Edge, type Stmt } from './icode.ts';
import { walk } from './trampoline.ts';

const A_ATOM = B.BPF_MEMWORDS;
const X_ATOM = B.BPF_MEMWORDS + 1;
const N_ATOMS = B.BPF_MEMWORDS + 2;
const AX_ATOM = N_ATOMS;
const VAL_UNKNOWN = 0;

const atomMask = (a: number): number => 1 << a;
const atomElem = (set: number, a: number): boolean => ((set >>> a) & 1) === 1;

function atomuse(s: Stmt): number {
  const c = s.code;
  if (c === NOP) return -1;
  switch (B.bpfClass(c)) {
    case B.BPF_RET:
      return B.bpfRval(c) === B.BPF_A ? A_ATOM : B.bpfRval(c) === B.BPF_X ? X_ATOM : -1;
    case B.BPF_LD:
    case B.BPF_LDX:
      return B.bpfMode(c) === B.BPF_IND ? X_ATOM : B.bpfMode(c) === B.BPF_MEM ? s.k : -1;
    case B.BPF_ST:
      return A_ATOM;
    case B.BPF_STX:
      return X_ATOM;
    case B.BPF_JMP:
    case B.BPF_ALU:
      return B.bpfSrc(c) === B.BPF_X ? AX_ATOM : A_ATOM;
    case B.BPF_MISC:
      return B.bpfMiscOp(c) === B.BPF_TXA ? X_ATOM : A_ATOM;
  }
  return -1;
}

function atomdef(s: Stmt): number {
  if (s.code === NOP) return -1;
  switch (B.bpfClass(s.code)) {
    case B.BPF_LD:
    case B.BPF_ALU:
      return A_ATOM;
    case B.BPF_LDX:
      return X_ATOM;
    case B.BPF_ST:
    case B.BPF_STX:
      return s.k;
    case B.BPF_MISC:
      return B.bpfMiscOp(s.code) === B.BPF_TAX ? X_ATOM : A_ATOM;
  }
  return -1;
}

class BitSet {
  static has(s: Uint32Array, i: number): boolean {
    return !!(((s[i >>> 5] as number) >>> (i & 31)) & 1);
  }
  static add(s: Uint32Array, i: number): void {
    s[i >>> 5] = ((s[i >>> 5] as number) | (1 << (i & 31))) >>> 0;
  }
  static intersect(a: Uint32Array, b: Uint32Array): void {
    for (let i = 0; i < a.length; i++) a[i] = ((a[i] as number) & (b[i] as number)) >>> 0;
  }
}

type Side = 'et' | 'ef';

const succs = (b: Block): (Block | null)[] => [b.et.succ, b.ef.succ];

class Optimizer {
  readonly blocks: Block[] = [];
  readonly edges: Edge[] = [];
  levels: (Block | null)[] = [];
  done = true;
  nodewords = 0;
  edgewords = 0;
  private curval = 0;
  private hash = new Map<string, number>();
  private constOf = new Map<number, number>();
  private mark = new Set<Block>();

  constructor(root: Block) {
    walk(root, succs, this.mark, (p) => {
      p.id = this.blocks.length;
      this.blocks.push(p);
    });
    const n = this.blocks.length;
    this.nodewords = Math.ceil(n / 32) || 1;
    this.edgewords = Math.ceil((2 * n) / 32) || 1;
    for (let i = 0; i < n; i++) {
      const b = this.blocks[i] as Block;
      b.et.id = i;
      b.ef.id = n + i;
      b.et.pred = b;
      b.ef.pred = b;
      this.edges[i] = b.et;
      this.edges[n + i] = b.ef;
      b.val = new Array<number>(N_ATOMS).fill(0);
      b.dom = new Uint32Array(this.nodewords);
      b.closure = new Uint32Array(this.nodewords);
      b.et.edom = new Uint32Array(this.edgewords);
      b.ef.edom = new Uint32Array(this.edgewords);
      b.et.code = b.s.code;
      b.ef.code = -b.s.code;
    }
  }

  // ---- value numbering
  private initVal(): void {
    this.curval = 0;
    this.hash.clear();
    this.constOf.clear();
  }
  private F(code: number, v0: number, v1: number): number {
    const key = `${code},${v0},${v1}`;
    const v = this.hash.get(key);
    if (v !== undefined) return v;
    const val = ++this.curval;
    if (B.bpfMode(code) === B.BPF_IMM && (B.bpfClass(code) === B.BPF_LD || B.bpfClass(code) === B.BPF_LDX)) this.constOf.set(val, v0 >>> 0);
    this.hash.set(key, val);
    return val;
  }
  private K(k: number): number {
    return this.F(B.BPF_LD | B.BPF_IMM | B.BPF_W, k >>> 0, 0);
  }
  private isConst(v: number): boolean {
    return this.constOf.has(v);
  }
  private cval(v: number): number {
    return this.constOf.get(v) ?? 0;
  }

  private vstore(s: Stmt | null, val: number[], atom: number, newval: number, alter: boolean): void {
    if (alter && s && newval !== VAL_UNKNOWN && val[atom] === newval) s.code = NOP;
    else val[atom] = newval;
  }

  private foldOp(s: Stmt, v0: number, v1: number): void {
    let a = this.cval(v0);
    const b = this.cval(v1);
    switch (B.bpfOp(s.code)) {
      case B.BPF_ADD:
        a = (a + b) >>> 0;
        break;
      case B.BPF_SUB:
        a = (a - b) >>> 0;
        break;
      case B.BPF_MUL:
        a = Math.imul(a, b) >>> 0;
        break;
      case B.BPF_DIV:
        if (b === 0) throw new FilterError('division by zero');
        a = Math.floor(a / b) >>> 0;
        break;
      case B.BPF_MOD:
        if (b === 0) throw new FilterError('modulus by zero');
        a = (a % b) >>> 0;
        break;
      case B.BPF_AND:
        a = (a & b) >>> 0;
        break;
      case B.BPF_OR:
        a = (a | b) >>> 0;
        break;
      case B.BPF_XOR:
        a = (a ^ b) >>> 0;
        break;
      case B.BPF_LSH:
        a = b < 32 ? (a << b) >>> 0 : 0;
        break;
      case B.BPF_RSH:
        a = b < 32 ? a >>> b : 0;
        break;
    }
    s.k = a;
    s.code = B.BPF_LD | B.BPF_IMM;
    this.done = false;
  }

  private optStmt(s: Stmt, val: number[], alter: boolean): void {
    let v: number;
    const c = s.code;
    if (c === NOP) return;
    const cls = B.bpfClass(c);
    if (cls === B.BPF_LD && B.bpfMode(c) === B.BPF_ABS) {
      v = this.F(c, s.k, 0);
      this.vstore(s, val, A_ATOM, v, alter);
      return;
    }
    if (cls === B.BPF_LD && B.bpfMode(c) === B.BPF_IND) {
      v = val[X_ATOM] as number;
      if (alter && this.isConst(v)) {
        s.code = B.BPF_LD | B.BPF_ABS | B.bpfSize(c);
        s.k = (s.k + this.cval(v)) >>> 0;
        v = this.F(s.code, s.k, 0);
        this.done = false;
      } else v = this.F(c, s.k, v);
      this.vstore(s, val, A_ATOM, v, alter);
      return;
    }
    switch (c) {
      case B.BPF_LD | B.BPF_LEN:
        this.vstore(s, val, A_ATOM, this.F(c, 0, 0), alter);
        return;
      case B.BPF_LD | B.BPF_IMM:
        this.vstore(s, val, A_ATOM, this.K(s.k), alter);
        return;
      case B.BPF_LDX | B.BPF_IMM:
        this.vstore(s, val, X_ATOM, this.K(s.k), alter);
        return;
      case B.BPF_LDX | B.BPF_MSH | B.BPF_B:
        this.vstore(s, val, X_ATOM, this.F(c, s.k, 0), alter);
        return;
      case B.BPF_ALU | B.BPF_NEG: {
        const a = val[A_ATOM] as number;
        if (alter && this.isConst(a)) {
          s.code = B.BPF_LD | B.BPF_IMM;
          s.k = (0 - this.cval(a)) >>> 0;
          val[A_ATOM] = this.K(s.k);
        } else val[A_ATOM] = this.F(c, a, 0);
        return;
      }
      case B.BPF_MISC | B.BPF_TXA:
        this.vstore(s, val, A_ATOM, val[X_ATOM] as number, alter);
        return;
      case B.BPF_LD | B.BPF_MEM: {
        v = val[s.k] as number;
        if (alter && this.isConst(v)) {
          s.code = B.BPF_LD | B.BPF_IMM;
          s.k = this.cval(v);
          this.done = false;
        }
        this.vstore(s, val, A_ATOM, v, alter);
        return;
      }
      case B.BPF_MISC | B.BPF_TAX:
        this.vstore(s, val, X_ATOM, val[A_ATOM] as number, alter);
        return;
      case B.BPF_LDX | B.BPF_MEM: {
        v = val[s.k] as number;
        if (alter && this.isConst(v)) {
          s.code = B.BPF_LDX | B.BPF_IMM;
          s.k = this.cval(v);
          this.done = false;
        }
        this.vstore(s, val, X_ATOM, v, alter);
        return;
      }
      case B.BPF_ST:
        this.vstore(s, val, s.k, val[A_ATOM] as number, alter);
        return;
      case B.BPF_STX:
        this.vstore(s, val, s.k, val[X_ATOM] as number, alter);
        return;
    }
    if (cls === B.BPF_ALU && B.bpfSrc(c) === B.BPF_K) {
      const op = B.bpfOp(c);
      if (alter) {
        if (s.k === 0) {
          if (op === B.BPF_ADD || op === B.BPF_LSH || op === B.BPF_RSH || op === B.BPF_OR || op === B.BPF_XOR) {
            s.code = NOP;
            return;
          }
          if (op === B.BPF_MUL || op === B.BPF_AND) {
            s.code = B.BPF_LD | B.BPF_IMM;
            val[A_ATOM] = this.K(s.k);
            return;
          }
          if (op === B.BPF_DIV) throw new FilterError('division by zero');
          if (op === B.BPF_MOD) throw new FilterError('modulus by zero');
        }
        if (this.isConst(val[A_ATOM] as number)) {
          this.foldOp(s, val[A_ATOM] as number, this.K(s.k));
          val[A_ATOM] = this.K(s.k);
          return;
        }
      }
      val[A_ATOM] = this.F(c, val[A_ATOM] as number, this.K(s.k));
      return;
    }
    if (cls === B.BPF_ALU && B.bpfSrc(c) === B.BPF_X) {
      const op = B.bpfOp(c);
      const xv = val[X_ATOM] as number;
      const av = val[A_ATOM] as number;
      if (alter && this.isConst(xv)) {
        if (this.isConst(av)) {
          this.foldOp(s, av, xv);
          val[A_ATOM] = this.K(s.k);
        } else {
          s.code = B.BPF_ALU | B.BPF_K | op;
          s.k = this.cval(xv);
          if ((op === B.BPF_LSH || op === B.BPF_RSH) && s.k > 31) throw new FilterError('shift by more than 31 bits');
          this.done = false;
          val[A_ATOM] = this.F(s.code, av, this.K(s.k));
        }
        return;
      }
      if (alter && this.isConst(av) && this.cval(av) === 0) {
        if (op === B.BPF_ADD || op === B.BPF_OR || op === B.BPF_XOR) {
          s.code = B.BPF_MISC | B.BPF_TXA;
          this.vstore(s, val, A_ATOM, xv, alter);
          return;
        }
        if (op === B.BPF_MUL || op === B.BPF_DIV || op === B.BPF_MOD || op === B.BPF_AND || op === B.BPF_LSH || op === B.BPF_RSH) {
          s.code = B.BPF_LD | B.BPF_IMM;
          s.k = 0;
          this.vstore(s, val, A_ATOM, this.K(s.k), alter);
          return;
        }
      }
      val[A_ATOM] = this.F(c, av, xv);
    }
  }

  // ---- graph passes
  private findLevels(root: Block): void {
    this.levels = new Array<Block | null>(this.blocks.length + 1).fill(null);
    const marked = new Set<Block>();
    walk(
      root,
      (b) => (b.et.succ && b.ef.succ ? [b.et.succ, b.ef.succ] : []),
      marked,
      (b) => {
        b.link = null;
      },
      (b) => {
        const t = b.et.succ;
        const f = b.ef.succ;
        const level = t && f ? Math.max(t.level, f.level) + 1 : 0;
        b.level = level;
        b.link = this.levels[level] ?? null;
        this.levels[level] = b;
        return true;
      },
    );
  }

  private *byLevel(from: number, to: number): Generator<Block> {
    if (from >= to) {
      for (let i = from; i >= to; i--) for (let p = this.levels[i] ?? null; p; p = p.link) yield p;
    }
  }
  private *byLevelUp(from: number, to: number): Generator<Block> {
    for (let i = from; i <= to; i++) for (let p = this.levels[i] ?? null; p; p = p.link) yield p;
  }

  private findDom(root: Block): void {
    for (const b of this.blocks) b.dom.fill(0xffffffff);
    root.dom.fill(0);
    for (const b of this.byLevel(root.level, 0)) {
      BitSet.add(b.dom, b.id);
      const t = b.et.succ;
      const f = b.ef.succ;
      if (!t || !f) continue;
      BitSet.intersect(t.dom, b.dom);
      BitSet.intersect(f.dom, b.dom);
    }
  }

  private propedom(ep: Edge): void {
    BitSet.add(ep.edom, ep.id);
    if (ep.succ) {
      BitSet.intersect(ep.succ.et.edom, ep.edom);
      BitSet.intersect(ep.succ.ef.edom, ep.edom);
    }
  }

  private findEdom(root: Block): void {
    for (const e of this.edges) e.edom.fill(0xffffffff);
    root.et.edom.fill(0);
    root.ef.edom.fill(0);
    for (const b of this.byLevel(root.level, 0)) {
      this.propedom(b.et);
      this.propedom(b.ef);
    }
  }

  private computeLocalUd(b: Block): void {
    let def = 0;
    let use = 0;
    let killed = 0;
    const useOf = (s: Stmt): void => {
      const atom = atomuse(s);
      if (atom < 0) return;
      if (atom === AX_ATOM) {
        if (!atomElem(def, X_ATOM)) use |= atomMask(X_ATOM);
        if (!atomElem(def, A_ATOM)) use |= atomMask(A_ATOM);
      } else if (!atomElem(def, atom)) use |= atomMask(atom);
    };
    for (const s of b.stmts) {
      if (s.code === NOP) continue;
      useOf(s);
      const atom = atomdef(s);
      if (atom >= 0) {
        if (!atomElem(use, atom)) killed |= atomMask(atom);
        def |= atomMask(atom);
      }
    }
    if (B.bpfClass(b.s.code) === B.BPF_JMP) useOf(b.s);
    b.def = def;
    b.kill = killed;
    b.inUse = use;
  }

  private findUd(root: Block): void {
    const maxlevel = root.level;
    for (const p of this.byLevel(maxlevel, 0)) {
      this.computeLocalUd(p);
      p.outUse = 0;
    }
    for (const p of this.byLevelUp(1, maxlevel)) {
      p.outUse |= (p.et.succ as Block).inUse | (p.ef.succ as Block).inUse;
      p.inUse |= p.outUse & ~p.kill;
    }
  }

  private findInedges(root: Block): void {
    for (const b of this.blocks) b.inEdges = null;
    for (let level = root.level; level > 0; level--) {
      for (let b = this.levels[level] ?? null; b; b = b.link) {
        const t = b.et.succ as Block;
        const f = b.ef.succ as Block;
        b.et.next = t.inEdges;
        t.inEdges = b.et;
        b.ef.next = f.inEdges;
        f.inEdges = b.ef;
      }
    }
  }

  // ---- per block
  private optBlk(b: Block, doStmts: boolean): void {
    let p = b.inEdges;
    if (!p) b.val.fill(0);
    else {
      b.val = (p.pred as Block).val.slice();
      while ((p = p.next) !== null) {
        const pv = (p.pred as Block).val;
        for (let i = 0; i < N_ATOMS; i++) if (b.val[i] !== pv[i]) b.val[i] = 0;
      }
    }
    const aval = b.val[A_ATOM] as number;
    const xval = b.val[X_ATOM] as number;
    for (const s of b.stmts) this.optStmt(s, b.val, doStmts);
    if (
      doStmts &&
      ((b.outUse === 0 && aval !== VAL_UNKNOWN && b.val[A_ATOM] === aval && xval !== VAL_UNKNOWN && b.val[X_ATOM] === xval) ||
        B.bpfClass(b.s.code) === B.BPF_RET)
    ) {
      if (b.stmts.length !== 0) {
        b.stmts = [];
        this.done = false;
      }
    } else {
      this.optPeep(b);
      this.optDeadstores(b);
    }
    if (B.bpfSrc(b.s.code) === B.BPF_K) b.oval = this.K(b.s.k);
    else b.oval = b.val[X_ATOM] as number;
    b.et.code = b.s.code;
    b.ef.code = -b.s.code;
  }

  private thisOp(stmts: Stmt[], i: number): number {
    while (i < stmts.length && (stmts[i] as Stmt).code === NOP) i++;
    return i < stmts.length ? i : -1;
  }

  private optPeep(b: Block): void {
    const st = b.stmts;
    if (st.length === 0) return;
    let last: Stmt = st[0] as Stmt;
    let si = 0;
    for (;;) {
      si = this.thisOp(st, si);
      if (si < 0) break;
      const ni = this.thisOp(st, si + 1);
      if (ni < 0) break;
      const s = st[si] as Stmt;
      const next = st[ni] as Stmt;
      last = next;
      if (s.code === B.BPF_ST && next.code === (B.BPF_LDX | B.BPF_MEM) && s.k === next.k) {
        this.done = false;
        next.code = B.BPF_MISC | B.BPF_TAX;
      }
      if (s.code === (B.BPF_LD | B.BPF_IMM) && next.code === (B.BPF_MISC | B.BPF_TAX)) {
        s.code = B.BPF_LDX | B.BPF_IMM;
        next.code = B.BPF_MISC | B.BPF_TXA;
        this.done = false;
      }
      if (s.code === (B.BPF_LD | B.BPF_IMM)) {
        if (!atomElem(b.outUse, X_ATOM)) {
          let ai: number;
          if (next.code !== (B.BPF_LDX | B.BPF_MSH | B.BPF_B)) ai = ni;
          else ai = this.thisOp(st, ni + 1);
          const add = ai >= 0 ? (st[ai] as Stmt) : null;
          if (add && add.code === (B.BPF_ALU | B.BPF_ADD | B.BPF_X)) {
            const ti = this.thisOp(st, ai + 1);
            const tax = ti >= 0 ? (st[ti] as Stmt) : null;
            if (tax && tax.code === (B.BPF_MISC | B.BPF_TAX)) {
              const ii = this.thisOp(st, ti + 1);
              const ild = ii >= 0 ? (st[ii] as Stmt) : null;
              if (ild && B.bpfClass(ild.code) === B.BPF_LD && B.bpfMode(ild.code) === B.BPF_IND) {
                ild.k = (ild.k + s.k) >>> 0;
                s.code = NOP;
                add.code = NOP;
                tax.code = NOP;
                this.done = false;
              }
            }
          }
        }
      }
      si = ni;
    }
    if (b.s.code === (B.BPF_JMP | B.BPF_JEQ | B.BPF_K) && !atomElem(b.outUse, A_ATOM)) {
      if (last.code === (B.BPF_ALU | B.BPF_SUB | B.BPF_X)) {
        const val = b.val[X_ATOM] as number;
        if (this.isConst(val)) {
          b.s.k = (b.s.k + this.cval(val)) >>> 0;
          last.code = NOP;
          this.done = false;
        } else if (b.s.k === 0) {
          last.code = NOP;
          b.s.code = B.BPF_JMP | B.BPF_JEQ | B.BPF_X;
          this.done = false;
        }
      } else if (last.code === (B.BPF_ALU | B.BPF_SUB | B.BPF_K)) {
        last.code = NOP;
        b.s.k = (b.s.k + last.k) >>> 0;
        this.done = false;
      } else if (last.code === (B.BPF_ALU | B.BPF_AND | B.BPF_K) && b.s.k === 0) {
        b.s.k = last.k;
        b.s.code = B.BPF_JMP | B.BPF_K | B.BPF_JSET;
        last.code = NOP;
        this.done = false;
        const t = b.et.succ;
        b.et.succ = b.ef.succ;
        b.ef.succ = t;
      }
    }
    if (b.s.code === (B.BPF_JMP | B.BPF_K | B.BPF_JSET)) {
      if (b.s.k === 0) b.et.succ = b.ef.succ;
      if (b.s.k >>> 0 === 0xffffffff) b.ef.succ = b.et.succ;
    }
    let val = b.val[X_ATOM] as number;
    if (this.isConst(val) && B.bpfSrc(b.s.code) === B.BPF_X) {
      b.s.code &= ~B.BPF_X;
      b.s.k = this.cval(val);
    }
    val = b.val[A_ATOM] as number;
    if (this.isConst(val) && B.bpfSrc(b.s.code) === B.BPF_K) {
      let v = this.cval(val);
      const k = b.s.k >>> 0;
      switch (B.bpfOp(b.s.code)) {
        case B.BPF_JEQ:
          v = v === k ? 1 : 0;
          break;
        case B.BPF_JGT:
          v = v > k ? 1 : 0;
          break;
        case B.BPF_JGE:
          v = v >= k ? 1 : 0;
          break;
        case B.BPF_JSET:
          v = (v & k) >>> 0;
          break;
        default:
          return;
      }
      if (b.ef.succ !== b.et.succ) this.done = false;
      if (v) b.ef.succ = b.et.succ;
      else b.et.succ = b.ef.succ;
    }
  }

  private optDeadstores(b: Block): void {
    const last: (Stmt | null)[] = new Array<Stmt | null>(N_ATOMS).fill(null);
    const dead = (s: Stmt): void => {
      const u = atomuse(s);
      if (u >= 0) {
        if (u === AX_ATOM) {
          last[X_ATOM] = null;
          last[A_ATOM] = null;
        } else last[u] = null;
      }
      const d = atomdef(s);
      if (d >= 0) {
        const l = last[d];
        if (l) {
          this.done = false;
          l.code = NOP;
        }
        last[d] = s;
      }
    };
    for (const s of b.stmts) dead(s);
    dead(b.s);
    for (let atom = 0; atom < N_ATOMS; atom++) {
      const l = last[atom];
      if (l && !atomElem(b.outUse, atom)) {
        l.code = NOP;
        b.val[atom] = VAL_UNKNOWN;
        this.done = false;
      }
    }
  }

  // ---- branches
  private useConflict(b: Block, succ: Block): boolean {
    const use = succ.outUse;
    if (use === 0) return false;
    for (let atom = 0; atom < N_ATOMS; atom++) if (atomElem(use, atom) && b.val[atom] !== succ.val[atom]) return true;
    return false;
  }

  private foldEdge(child: Block, ep: Edge): Block | null {
    let code = ep.code;
    let sense: boolean;
    if (code < 0) {
      code = -code;
      sense = false;
    } else sense = true;
    if (child.s.code !== code) return null;
    const pred = ep.pred as Block;
    if (child.val[A_ATOM] !== pred.val[A_ATOM]) return null;
    if (child.oval === pred.oval) return sense ? child.et.succ : child.ef.succ;
    if (sense && code === (B.BPF_JMP | B.BPF_JEQ | B.BPF_K)) return child.ef.succ;
    return null;
  }

  private optJ(ep: Edge): void {
    let succ = ep.succ as Block;
    if (!succ.et.succ) return;
    if (succ.et.succ === succ.ef.succ) {
      if (!this.useConflict(ep.pred as Block, succ.et.succ)) {
        this.done = false;
        ep.succ = succ.et.succ;
      }
    }
    top: for (;;) {
      succ = ep.succ as Block;
      for (let i = 0; i < this.edgewords; i++) {
        let x = ep.edom[i] as number;
        while (x !== 0) {
          const k0 = 31 - Math.clz32(x & -x);
          x = (x & ~(1 << k0)) >>> 0;
          const k = k0 + i * 32;
          const e = this.edges[k];
          if (!e) continue;
          const target = this.foldEdge(succ, e);
          if (target && !this.useConflict(ep.pred as Block, target)) {
            this.done = false;
            ep.succ = target;
            if (target.et.succ) continue top;
            return;
          }
        }
      }
      return;
    }
  }

  private pullup(b: Block, same: Side): void {
    // or_pullup (same = 'et') and and_pullup (same = 'ef').
    const other: Side = same === 'et' ? 'ef' : 'et';
    let ep = b.inEdges;
    if (!ep) return;
    const val = (ep.pred as Block).val[A_ATOM];
    for (ep = ep.next; ep; ep = ep.next) if (val !== (ep.pred as Block).val[A_ATOM]) return;
    const first = b.inEdges as Edge;
    const fp = first.pred as Block;
    let diff: { blk: Block; side: Side } = { blk: fp, side: fp.et.succ === b ? 'et' : 'ef' };
    const get = (r: { blk: Block; side: Side }): Block | null => r.blk[r.side].succ;
    let atTop = true;
    for (;;) {
      const d = get(diff);
      if (!d) return;
      if (d[same].succ !== b[same].succ) return;
      if (!BitSet.has(d.dom, b.id)) return;
      if (d.val[A_ATOM] !== val) break;
      diff = { blk: d, side: other };
      atTop = false;
    }
    let samep: { blk: Block; side: Side } = { blk: get(diff) as Block, side: other };
    for (;;) {
      const s = get(samep);
      if (!s) return;
      if (s[same].succ !== b[same].succ) return;
      if (!BitSet.has(s.dom, b.id)) return;
      if (s.val[A_ATOM] === val) break;
      samep = { blk: s, side: other };
    }
    const pull = get(samep) as Block;
    samep.blk[samep.side].succ = pull[other].succ;
    pull[other].succ = get(diff);
    if (atTop) {
      for (let e = b.inEdges; e; e = e.next) {
        const pr = e.pred as Block;
        if (pr.et.succ === b) pr.et.succ = pull;
        else pr.ef.succ = pull;
      }
    } else diff.blk[diff.side].succ = pull;
    this.done = false;
  }

  private optBlks(root: Block, doStmts: boolean): void {
    this.initVal();
    const maxlevel = root.level;
    this.findInedges(root);
    for (const p of this.byLevel(maxlevel, 0)) this.optBlk(p, doStmts);
    if (doStmts) return;
    for (const p of this.byLevelUp(1, maxlevel)) {
      this.optJ(p.et);
      this.optJ(p.ef);
    }
    this.findInedges(root);
    for (const p of this.byLevelUp(1, maxlevel)) {
      this.pullup(p, 'et');
      this.pullup(p, 'ef');
    }
  }

  loop(root: Block, doStmts: boolean): void {
    for (let iter = 0; iter < 1000; iter++) {
      this.done = true;
      this.findLevels(root);
      this.findDom(root);
      this.findUd(root);
      this.findEdom(root);
      this.optBlks(root, doStmts);
      if (this.done) return;
    }
  }

  internBlocks(root: Block): void {
    const n = this.blocks.length;
    for (;;) {
      let done1 = true;
      for (const b of this.blocks) b.link = null;
      const marked = new Set<Block>();
      walk(root, succs, marked);
      for (let i = n - 1; i !== 0; ) {
        --i;
        const bi = this.blocks[i] as Block;
        if (!marked.has(bi)) continue;
        for (let j = i + 1; j < n; j++) {
          const bj = this.blocks[j] as Block;
          if (!marked.has(bj)) continue;
          if (eqBlk(bi, bj)) {
            bi.link = bj.link ? bj.link : bj;
            break;
          }
        }
      }
      for (const p of this.blocks) {
        if (!p.et.succ) continue;
        const tl = p.et.succ.link;
        if (tl) {
          done1 = false;
          p.et.succ = tl;
        }
        const fl = (p.ef.succ as Block).link;
        if (fl) {
          done1 = false;
          p.ef.succ = fl;
        }
      }
      if (done1) return;
    }
  }
}

function eqBlk(b0: Block, b1: Block): boolean {
  if (b0.s.code !== b1.s.code || b0.s.k >>> 0 !== b1.s.k >>> 0 || b0.et.succ !== b1.et.succ || b0.ef.succ !== b1.ef.succ) return false;
  const x = b0.stmts.filter((s) => s.code !== NOP);
  const y = b1.stmts.filter((s) => s.code !== NOP);
  if (x.length !== y.length) return false;
  return x.every((s, i) => s.code === (y[i] as Stmt).code && s.k >>> 0 === (y[i] as Stmt).k >>> 0);
}

/** bpf_optimize: returns the new root, or null when the program rejects every packet. */
export function optimize(root: Block): Block | null {
  const o = new Optimizer(root);
  o.loop(root, false);
  o.loop(root, true);
  o.internBlocks(root);
  // opt_root
  let r = root;
  const s = r.stmts;
  r.stmts = [];
  while (B.bpfClass(r.s.code) === B.BPF_JMP && r.et.succ === r.ef.succ) r = r.et.succ as Block;
  r.stmts = [...s, ...r.stmts];
  if (B.bpfClass(r.s.code) === B.BPF_RET) r.stmts = [];
  if (r.s.code === (B.BPF_RET | B.BPF_K) && r.s.k === 0) return null;
  return r;
}
