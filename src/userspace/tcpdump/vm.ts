// The classic BPF machine as the kernel runs it (net/core/filter.c): a checker
// with sk_chk_filter's rules, an interpreter, and a fast path that compiles a
// checked program to one JavaScript function.
import * as B from './bpf.ts';
import type { Insn } from './bpf.ts';

/** sk_chk_filter / bpf_check_classic: null when the program is acceptable, else why not. */
export function checkFilter(prog: readonly Insn[]): string | null {
  const n = prog.length;
  if (n === 0 || n > B.BPF_MAXINSNS) return 'bad length';
  for (let pc = 0; pc < n; pc++) {
    const p = prog[pc] as Insn;
    const c = p.code;
    switch (B.bpfClass(c)) {
      case B.BPF_LD:
      case B.BPF_LDX: {
        const mode = B.bpfMode(c);
        if (B.bpfClass(c) === B.BPF_LDX) {
          if (![B.BPF_IMM, B.BPF_MEM, B.BPF_LEN].includes(mode) && c !== (B.BPF_LDX | B.BPF_MSH | B.BPF_B)) return 'bad ldx';
        } else if (![B.BPF_IMM, B.BPF_ABS, B.BPF_IND, B.BPF_MEM, B.BPF_LEN].includes(mode)) return 'bad ld';
        if (B.bpfClass(c) === B.BPF_LD && (mode === B.BPF_ABS || mode === B.BPF_IND) && B.bpfSize(c) === 0x18) return 'bad size';
        if (mode === B.BPF_MEM && p.k >= B.BPF_MEMWORDS) return 'bad mem';
        break;
      }
      case B.BPF_ST:
      case B.BPF_STX:
        if (p.k >= B.BPF_MEMWORDS) return 'bad mem';
        break;
      case B.BPF_ALU: {
        const op = B.bpfOp(c);
        if (op > B.BPF_XOR) return 'bad alu';
        if ((op === B.BPF_DIV || op === B.BPF_MOD) && B.bpfSrc(c) === B.BPF_K && p.k === 0) return 'div by zero';
        if ((op === B.BPF_LSH || op === B.BPF_RSH) && B.bpfSrc(c) === B.BPF_K && p.k >= 32) return 'bad shift';
        break;
      }
      case B.BPF_JMP: {
        const op = B.bpfOp(c);
        if (op === B.BPF_JA) {
          if (p.k >= n - pc - 1) return 'jump out of range';
        } else {
          if (op > B.BPF_JSET) return 'bad jump';
          if (pc + p.jt + 1 >= n || pc + p.jf + 1 >= n) return 'jump out of range';
        }
        break;
      }
      case B.BPF_RET:
        if (B.bpfRval(c) !== B.BPF_K && B.bpfRval(c) !== B.BPF_A) return 'bad ret';
        break;
      case B.BPF_MISC:
        if (c !== (B.BPF_MISC | B.BPF_TAX) && c !== (B.BPF_MISC | B.BPF_TXA)) return 'bad misc';
        break;
    }
  }
  const last = prog[n - 1] as Insn;
  if (B.bpfClass(last.code) !== B.BPF_RET) return 'no return at end';
  return null;
}

function ld(pkt: Uint8Array, k: number, size: number): number {
  const len = pkt.length;
  if (size === B.BPF_W) {
    if (k < 0 || k + 4 > len) return -1;
    return (pkt[k] as number) * 0x1000000 + ((pkt[k + 1] as number) << 16) + ((pkt[k + 2] as number) << 8) + (pkt[k + 3] as number);
  }
  if (size === B.BPF_H) {
    if (k < 0 || k + 2 > len) return -1;
    return ((pkt[k] as number) << 8) | (pkt[k + 1] as number);
  }
  if (k < 0 || k >= len) return -1;
  return pkt[k] as number;
}

/** Runs a checked program over `pkt` (captured bytes) with wire length `wirelen`; returns the snap length kept (0 = drop). */
export function runFilter(prog: readonly Insn[], pkt: Uint8Array, wirelen = pkt.length, pktType = -1): number {
  let A = 0;
  let X = 0;
  const M = new Uint32Array(B.BPF_MEMWORDS);
  for (let pc = 0; pc < prog.length; pc++) {
    const p = prog[pc] as Insn;
    const k = p.k >>> 0;
    switch (p.code) {
      case B.BPF_RET | B.BPF_K:
        return k;
      case B.BPF_RET | B.BPF_A:
        return A >>> 0;
      case B.BPF_LD | B.BPF_W | B.BPF_ABS:
      case B.BPF_LD | B.BPF_H | B.BPF_ABS:
      case B.BPF_LD | B.BPF_B | B.BPF_ABS: {
        if (k >= B.SKF_AD_OFF) {
          // Ancillary data: only the packet type is known here (a live capture's skb).
          if (k !== B.SKF_AD_OFF + B.SKF_AD_PKTTYPE || pktType < 0) return 0;
          A = pktType;
          break;
        }
        const v = ld(pkt, k, B.bpfSize(p.code));
        if (v < 0) return 0;
        A = v;
        break;
      }
      case B.BPF_LD | B.BPF_W | B.BPF_IND:
      case B.BPF_LD | B.BPF_H | B.BPF_IND:
      case B.BPF_LD | B.BPF_B | B.BPF_IND: {
        const v = ld(pkt, (X + k) >>> 0, B.bpfSize(p.code));
        if (v < 0) return 0;
        A = v;
        break;
      }
      case B.BPF_LD | B.BPF_W | B.BPF_LEN:
        A = wirelen;
        break;
      case B.BPF_LDX | B.BPF_W | B.BPF_LEN:
        X = wirelen;
        break;
      case B.BPF_LD | B.BPF_IMM:
        A = k;
        break;
      case B.BPF_LDX | B.BPF_IMM:
        X = k;
        break;
      case B.BPF_LD | B.BPF_MEM:
        A = M[k] as number;
        break;
      case B.BPF_LDX | B.BPF_MEM:
        X = M[k] as number;
        break;
      case B.BPF_LDX | B.BPF_MSH | B.BPF_B: {
        if (k >= pkt.length) return 0;
        X = ((pkt[k] as number) & 0xf) << 2;
        break;
      }
      case B.BPF_ST:
        M[k] = A;
        break;
      case B.BPF_STX:
        M[k] = X;
        break;
      case B.BPF_JMP | B.BPF_JA:
        // libpcap's bpf_filter sign-extends k: "ip6 protochain" jumps backward
        // (the kernel's checker refuses such a program, so only userland runs it).
        pc += p.k | 0;
        break;
      case B.BPF_MISC | B.BPF_TAX:
        X = A;
        break;
      case B.BPF_MISC | B.BPF_TXA:
        A = X;
        break;
      default: {
        const cls = B.bpfClass(p.code);
        const src = B.bpfSrc(p.code) === B.BPF_X ? X >>> 0 : k;
        if (cls === B.BPF_JMP) {
          const a = A >>> 0;
          let r: boolean;
          switch (B.bpfOp(p.code)) {
            case B.BPF_JEQ:
              r = a === src;
              break;
            case B.BPF_JGT:
              r = a > src;
              break;
            case B.BPF_JGE:
              r = a >= src;
              break;
            default:
              r = (a & src) !== 0;
          }
          pc += r ? p.jt : p.jf;
        } else if (cls === B.BPF_ALU) {
          A = alu(B.bpfOp(p.code), A >>> 0, src);
          if (Number.isNaN(A)) return 0;
        } else return 0;
      }
    }
    A >>>= 0;
    X >>>= 0;
  }
  return 0;
}

function alu(op: number, a: number, b: number): number {
  switch (op) {
    case B.BPF_ADD:
      return (a + b) >>> 0;
    case B.BPF_SUB:
      return (a - b) >>> 0;
    case B.BPF_MUL:
      return Math.imul(a, b) >>> 0;
    case B.BPF_DIV:
      return b === 0 ? NaN : Math.floor(a / b) >>> 0;
    case B.BPF_MOD:
      return b === 0 ? NaN : (a % b) >>> 0;
    case B.BPF_OR:
      return (a | b) >>> 0;
    case B.BPF_AND:
      return (a & b) >>> 0;
    case B.BPF_XOR:
      return (a ^ b) >>> 0;
    case B.BPF_LSH:
      return b >= 32 ? 0 : (a << b) >>> 0;
    case B.BPF_RSH:
      return b >= 32 ? 0 : a >>> b;
    case B.BPF_NEG:
      return -a >>> 0;
  }
  return NaN;
}

/** pktType: the skb's pkt_type for SKF_AD_PKTTYPE, or -1 when unknown (savefiles). */
export type CompiledFilter = (pkt: Uint8Array, wirelen: number, pktType?: number) => number;

/**
 * Compiles a checked program to one JavaScript function: forward jumps only
 * (the checker guarantees it), so each instruction becomes a labelled case of a
 * switch inside a loop over the program counter.
 */
export function jitFilter(prog: readonly Insn[]): CompiledFilter {
  if (checkFilter(prog) !== null) return (pkt, wl, pt) => runFilter(prog, pkt, wl, pt ?? -1);
  const L: string[] = [];
  const ldExpr = (size: number, off: string): string => {
    if (size === B.BPF_W)
      return `if (${off} + 4 > n) return 0; A = (p[${off}] * 16777216 + (p[${off} + 1] << 16) + (p[${off} + 2] << 8) + p[${off} + 3]);`;
    if (size === B.BPF_H) return `if (${off} + 2 > n) return 0; A = (p[${off}] << 8) | p[${off} + 1];`;
    return `if (${off} >= n) return 0; A = p[${off}];`;
  };
  prog.forEach((q, pc) => {
    const k = q.k >>> 0;
    const go = (t: number): string => `{ pc = ${pc + 1 + t}; continue; }`;
    let body: string;
    switch (q.code) {
      case B.BPF_RET | B.BPF_K:
        body = `return ${k};`;
        break;
      case B.BPF_RET | B.BPF_A:
        body = `return A >>> 0;`;
        break;
      case B.BPF_LD | B.BPF_W | B.BPF_ABS:
      case B.BPF_LD | B.BPF_H | B.BPF_ABS:
      case B.BPF_LD | B.BPF_B | B.BPF_ABS:
        if (k >= B.SKF_AD_OFF)
          body = k === B.SKF_AD_OFF + B.SKF_AD_PKTTYPE ? 'if (pt === undefined || pt < 0) return 0; A = pt;' : 'return 0;';
        else body = ldExpr(B.bpfSize(q.code), String(k));
        break;
      case B.BPF_LD | B.BPF_W | B.BPF_IND:
      case B.BPF_LD | B.BPF_H | B.BPF_IND:
      case B.BPF_LD | B.BPF_B | B.BPF_IND:
        body = `o = (X + ${k}) >>> 0; ` + ldExpr(B.bpfSize(q.code), 'o');
        break;
      case B.BPF_LD | B.BPF_W | B.BPF_LEN:
        body = 'A = wl;';
        break;
      case B.BPF_LDX | B.BPF_W | B.BPF_LEN:
        body = 'X = wl;';
        break;
      case B.BPF_LD | B.BPF_IMM:
        body = `A = ${k};`;
        break;
      case B.BPF_LDX | B.BPF_IMM:
        body = `X = ${k};`;
        break;
      case B.BPF_LD | B.BPF_MEM:
        body = `A = M[${k}];`;
        break;
      case B.BPF_LDX | B.BPF_MEM:
        body = `X = M[${k}];`;
        break;
      case B.BPF_LDX | B.BPF_MSH | B.BPF_B:
        body = `if (${k} >= n) return 0; X = (p[${k}] & 15) << 2;`;
        break;
      case B.BPF_ST:
        body = `M[${k}] = A;`;
        break;
      case B.BPF_STX:
        body = `M[${k}] = X;`;
        break;
      case B.BPF_JMP | B.BPF_JA:
        body = go(k);
        break;
      case B.BPF_MISC | B.BPF_TAX:
        body = 'X = A;';
        break;
      case B.BPF_MISC | B.BPF_TXA:
        body = 'A = X;';
        break;
      default: {
        const src = B.bpfSrc(q.code) === B.BPF_X ? 'X' : String(k);
        if (B.bpfClass(q.code) === B.BPF_JMP) {
          let cond: string;
          switch (B.bpfOp(q.code)) {
            case B.BPF_JEQ:
              cond = `(A >>> 0) === (${src} >>> 0)`;
              break;
            case B.BPF_JGT:
              cond = `(A >>> 0) > (${src} >>> 0)`;
              break;
            case B.BPF_JGE:
              cond = `(A >>> 0) >= (${src} >>> 0)`;
              break;
            default:
              cond = `(A & ${src}) !== 0`;
          }
          body = `if (${cond}) ${go(q.jt)} else ${go(q.jf)}`;
        } else {
          switch (B.bpfOp(q.code)) {
            case B.BPF_ADD:
              body = `A = (A + ${src}) >>> 0;`;
              break;
            case B.BPF_SUB:
              body = `A = (A - ${src}) >>> 0;`;
              break;
            case B.BPF_MUL:
              body = `A = Math.imul(A, ${src}) >>> 0;`;
              break;
            case B.BPF_DIV:
              body = `if ((${src}) === 0) return 0; A = Math.floor((A >>> 0) / (${src} >>> 0)) >>> 0;`;
              break;
            case B.BPF_MOD:
              body = `if ((${src}) === 0) return 0; A = ((A >>> 0) % (${src} >>> 0)) >>> 0;`;
              break;
            case B.BPF_OR:
              body = `A = (A | ${src}) >>> 0;`;
              break;
            case B.BPF_AND:
              body = `A = (A & ${src}) >>> 0;`;
              break;
            case B.BPF_XOR:
              body = `A = (A ^ ${src}) >>> 0;`;
              break;
            case B.BPF_LSH:
              body = `A = (${src}) >= 32 ? 0 : (A << ${src}) >>> 0;`;
              break;
            case B.BPF_RSH:
              body = `A = (${src}) >= 32 ? 0 : (A >>> ${src});`;
              break;
            default:
              body = 'A = (-A) >>> 0;';
          }
        }
      }
    }
    L.push(`case ${pc}: ${body}`);
  });
  const src = `const M = new Uint32Array(16); let A = 0, X = 0, o = 0, pc = 0; const n = p.length;
for (;;) { switch (pc) {
${L.join('\n')}
default: return 0; } }`;
  // The generated code only reads `p`, `wl` and its own locals.
  const fn = new Function('p', 'wl', 'pt', src) as CompiledFilter;
  return fn;
}
