// libpcap's intermediate code: blocks of statements ending in one test, wired
// by true/false edges (gencode.h struct block / struct slist / struct edge).
import { BPF_JMP } from './bpf.ts';

export const NOP = -1;

export interface Stmt {
  code: number;
  k: number;
  /** Block-local jump targets (gen_protochain's in-block branches; the optimizer is off then). */
  jt?: Stmt;
  jf?: Stmt;
}

export interface Edge {
  id: number;
  code: number;
  /** Edge dominators, a set of edge ids. */
  edom: Uint32Array;
  succ: Block | null;
  pred: Block | null;
  next: Edge | null;
}

export interface Block {
  id: number;
  stmts: Stmt[];
  /** The block's test (a jump) or return. */
  s: Stmt;
  mark: number;
  longjt: number;
  longjf: number;
  level: number;
  offset: number;
  sense: boolean;
  et: Edge;
  ef: Edge;
  head: Block;
  link: Block | null;
  dom: Uint32Array;
  closure: Uint32Array;
  inEdges: Edge | null;
  def: number;
  kill: number;
  inUse: number;
  outUse: number;
  oval: number;
  val: number[];
}

export const jt = (b: Block): Block | null => b.et.succ;
export const jf = (b: Block): Block | null => b.ef.succ;

export class BlockFactory {
  private nextId = 0;
  readonly all: Block[] = [];

  newBlock(code: number): Block {
    const b = {
      id: this.nextId++,
      stmts: [],
      s: { code, k: 0 },
      mark: 0,
      longjt: 0,
      longjf: 0,
      level: 0,
      offset: 0,
      sense: false,
      et: { id: 0, code, edom: new Uint32Array(0), succ: null, pred: null, next: null },
      ef: { id: 0, code: -code, edom: new Uint32Array(0), succ: null, pred: null, next: null },
      link: null,
      dom: new Uint32Array(0),
      closure: new Uint32Array(0),
      inEdges: null,
      def: 0,
      kill: 0,
      inUse: 0,
      outUse: 0,
      oval: 0,
      val: [],
    } as unknown as Block;
    b.head = b;
    this.all.push(b);
    return b;
  }

  jmp(code: number): Block {
    return this.newBlock(BPF_JMP | code);
  }
}

/** gencode.c backpatch: points every pending exit of `list` at `target`. */
export function backpatch(list: Block | null, target: Block): void {
  while (list) {
    let next: Block | null;
    if (!list.sense) {
      next = list.et.succ;
      list.et.succ = target;
    } else {
      next = list.ef.succ;
      list.ef.succ = target;
    }
    list = next;
  }
}

/** gencode.c merge: appends list b1 to the end of list b0. */
export function merge(b0: Block, b1: Block): void {
  let p = b0;
  for (;;) {
    const nx = !p.sense ? p.et.succ : p.ef.succ;
    if (!nx) break;
    p = nx;
  }
  if (!p.sense) p.et.succ = b1;
  else p.ef.succ = b1;
}

export function genAnd(b0: Block, b1: Block): void {
  backpatch(b0, b1.head);
  b0.sense = !b0.sense;
  b1.sense = !b1.sense;
  merge(b1, b0);
  b1.sense = !b1.sense;
  b1.head = b0.head;
}

export function genOr(b0: Block, b1: Block): void {
  b0.sense = !b0.sense;
  backpatch(b0, b1.head);
  b0.sense = !b0.sense;
  merge(b1, b0);
  b1.head = b0.head;
}

export function genNot(b: Block): void {
  b.sense = !b.sense;
}
