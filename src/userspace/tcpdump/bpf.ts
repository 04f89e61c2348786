// Classic BPF: the instruction encoding (re-exported from the kernel's uapi
// header) and libpcap's bpf_image / bpf_dump text forms (tcpdump -d, -dd, -ddd).

export * from '../../kernel/uapi/filter.ts';
import {
  BPF_LD,
  BPF_LDX,
  BPF_ST,
  BPF_STX,
  BPF_ALU,
  BPF_JMP,
  BPF_RET,
  BPF_MISC,
  BPF_W,
  BPF_H,
  BPF_B,
  BPF_IMM,
  BPF_ABS,
  BPF_IND,
  BPF_MEM,
  BPF_LEN,
  BPF_MSH,
  BPF_ADD,
  BPF_SUB,
  BPF_MUL,
  BPF_DIV,
  BPF_OR,
  BPF_AND,
  BPF_LSH,
  BPF_RSH,
  BPF_NEG,
  BPF_MOD,
  BPF_XOR,
  BPF_JA,
  BPF_JEQ,
  BPF_JGT,
  BPF_JGE,
  BPF_JSET,
  BPF_K,
  BPF_X,
  BPF_A,
  BPF_TAX,
  BPF_TXA,
} from '../../kernel/uapi/filter.ts';

export const bpfClass = (c: number): number => c & 0x07;
export const bpfSize = (c: number): number => c & 0x18;
export const bpfMode = (c: number): number => c & 0xe0;
export const bpfOp = (c: number): number => c & 0xf0;
export const bpfSrc = (c: number): number => c & 0x08;
export const bpfRval = (c: number): number => c & 0x18;
export const bpfMiscOp = (c: number): number => c & 0xf8;

export interface Insn {
  code: number;
  jt: number;
  jf: number;
  /** Unsigned 32-bit. */
  k: number;
}

/** Linux's ancillary loads (SKF_AD_OFF + n), as libpcap names them. */
export const SKF_AD_OFF = 0xfffff000;
export const SKF_AD_PKTTYPE = 4;
const SKF_AD_NAMES: Record<number, string> = {
  0: 'proto',
  4: 'type',
  8: 'ifidx',
  12: 'nla',
  16: 'nlan',
  20: 'mark',
  24: 'queue',
  28: 'hatype',
  32: 'rxhash',
  36: 'cpu',
  44: 'vlan_tci',
  48: 'vlanp',
};

function absOperand(k: number): string {
  if (k >= SKF_AD_OFF) {
    const n = SKF_AD_NAMES[k - SKF_AD_OFF];
    if (n) return `[${n}]`;
  }
  return `[${k}]`;
}

const hex = (k: number): string => `#0x${(k >>> 0).toString(16)}`;
const dec = (k: number): string => `#${k | 0}`;

/** One instruction as libpcap's bpf_image prints it. */
export function bpfImage(p: Insn, n: number): string {
  let op: string;
  let operand: string;
  const k = p.k >>> 0;
  switch (p.code) {
    case BPF_RET | BPF_K:
      op = 'ret';
      operand = `#${k}`;
      break;
    case BPF_RET | BPF_A:
      op = 'ret';
      operand = '';
      break;
    case BPF_LD | BPF_W | BPF_ABS:
      op = 'ld';
      operand = absOperand(k);
      break;
    case BPF_LD | BPF_H | BPF_ABS:
      op = 'ldh';
      operand = absOperand(k);
      break;
    case BPF_LD | BPF_B | BPF_ABS:
      op = 'ldb';
      operand = absOperand(k);
      break;
    case BPF_LD | BPF_W | BPF_LEN:
      op = 'ld';
      operand = '#pktlen';
      break;
    case BPF_LD | BPF_W | BPF_IND:
      op = 'ld';
      operand = `[x + ${k}]`;
      break;
    case BPF_LD | BPF_H | BPF_IND:
      op = 'ldh';
      operand = `[x + ${k}]`;
      break;
    case BPF_LD | BPF_B | BPF_IND:
      op = 'ldb';
      operand = `[x + ${k}]`;
      break;
    case BPF_LD | BPF_IMM:
      op = 'ld';
      operand = hex(k);
      break;
    case BPF_LDX | BPF_IMM:
      op = 'ldx';
      operand = hex(k);
      break;
    case BPF_LDX | BPF_MSH | BPF_B:
      op = 'ldxb';
      operand = `4*([${k}]&0xf)`;
      break;
    case BPF_LD | BPF_MEM:
      op = 'ld';
      operand = `M[${k}]`;
      break;
    case BPF_LDX | BPF_MEM:
      op = 'ldx';
      operand = `M[${k}]`;
      break;
    case BPF_ST:
      op = 'st';
      operand = `M[${k}]`;
      break;
    case BPF_STX:
      op = 'stx';
      operand = `M[${k}]`;
      break;
    case BPF_JMP | BPF_JA:
      op = 'ja';
      operand = `${(n + 1 + k) | 0}`;
      break;
    case BPF_JMP | BPF_JGT | BPF_K:
      op = 'jgt';
      operand = hex(k);
      break;
    case BPF_JMP | BPF_JGE | BPF_K:
      op = 'jge';
      operand = hex(k);
      break;
    case BPF_JMP | BPF_JEQ | BPF_K:
      op = 'jeq';
      operand = hex(k);
      break;
    case BPF_JMP | BPF_JSET | BPF_K:
      op = 'jset';
      operand = hex(k);
      break;
    case BPF_JMP | BPF_JGT | BPF_X:
      op = 'jgt';
      operand = 'x';
      break;
    case BPF_JMP | BPF_JGE | BPF_X:
      op = 'jge';
      operand = 'x';
      break;
    case BPF_JMP | BPF_JEQ | BPF_X:
      op = 'jeq';
      operand = 'x';
      break;
    case BPF_JMP | BPF_JSET | BPF_X:
      op = 'jset';
      operand = 'x';
      break;
    case BPF_ALU | BPF_ADD | BPF_X:
      op = 'add';
      operand = 'x';
      break;
    case BPF_ALU | BPF_SUB | BPF_X:
      op = 'sub';
      operand = 'x';
      break;
    case BPF_ALU | BPF_MUL | BPF_X:
      op = 'mul';
      operand = 'x';
      break;
    case BPF_ALU | BPF_DIV | BPF_X:
      op = 'div';
      operand = 'x';
      break;
    case BPF_ALU | BPF_MOD | BPF_X:
      op = 'mod';
      operand = 'x';
      break;
    case BPF_ALU | BPF_AND | BPF_X:
      op = 'and';
      operand = 'x';
      break;
    case BPF_ALU | BPF_OR | BPF_X:
      op = 'or';
      operand = 'x';
      break;
    case BPF_ALU | BPF_XOR | BPF_X:
      op = 'xor';
      operand = 'x';
      break;
    case BPF_ALU | BPF_LSH | BPF_X:
      op = 'lsh';
      operand = 'x';
      break;
    case BPF_ALU | BPF_RSH | BPF_X:
      op = 'rsh';
      operand = 'x';
      break;
    case BPF_ALU | BPF_ADD | BPF_K:
      op = 'add';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_SUB | BPF_K:
      op = 'sub';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_MUL | BPF_K:
      op = 'mul';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_DIV | BPF_K:
      op = 'div';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_MOD | BPF_K:
      op = 'mod';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_AND | BPF_K:
      op = 'and';
      operand = hex(k);
      break;
    case BPF_ALU | BPF_OR | BPF_K:
      op = 'or';
      operand = hex(k);
      break;
    case BPF_ALU | BPF_XOR | BPF_K:
      op = 'xor';
      operand = hex(k);
      break;
    case BPF_ALU | BPF_LSH | BPF_K:
      op = 'lsh';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_RSH | BPF_K:
      op = 'rsh';
      operand = dec(k);
      break;
    case BPF_ALU | BPF_NEG:
      op = 'neg';
      operand = '';
      break;
    case BPF_MISC | BPF_TAX:
      op = 'tax';
      operand = '';
      break;
    case BPF_MISC | BPF_TXA:
      op = 'txa';
      operand = '';
      break;
    default:
      op = 'unimp';
      operand = `0x${p.code.toString(16)}`;
  }
  const head = `(${String(n).padStart(3, '0')}) ${op.padEnd(8)} `;
  if (bpfClass(p.code) === BPF_JMP && bpfOp(p.code) !== BPF_JA) {
    return `${head}${operand.padEnd(16)} jt ${n + 1 + p.jt}\tjf ${n + 1 + p.jf}`;
  }
  return head + operand;
}

/** tcpdump -d (level 1), -dd (2), -ddd (3). */
export function bpfDump(prog: readonly Insn[], level: number): string {
  let out = '';
  if (level > 2) {
    out += `${prog.length}\n`;
    for (const p of prog) out += `${p.code} ${p.jt} ${p.jf} ${p.k >>> 0}\n`;
    return out;
  }
  if (level > 1) {
    for (const p of prog) out += `{ 0x${p.code.toString(16)}, ${p.jt}, ${p.jf}, 0x${(p.k >>> 0).toString(16).padStart(8, '0')} },\n`;
    return out;
  }
  prog.forEach((p, i) => (out += `${bpfImage(p, i)}\n`));
  return out;
}
