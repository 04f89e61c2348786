// net/core/filter.c: socket filters in classic BPF. SO_ATTACH_FILTER checks a
// program (bpf_check_classic) and attaches it (sk_attach_filter); the socket
// runs it over each skb (bpf_prog_run on skb->data, skb->len bytes), and its
// return value is how many bytes to keep (0: not for this socket). The
// SKF_AD_* ancillary loads read skb metadata, SKF_NET_OFF/SKF_LL_OFF read from
// the network/link-layer header. libpcap keeps its own userspace copy of the
// machine (src/userspace/tcpdump/vm.ts) for savefiles, as bpf_filter.c.
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from './netdevice.ts';
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  BPF_MAXINSNS,
  SKF_AD_OFF,
  SKF_AD_PROTOCOL,
  SKF_AD_PKTTYPE,
  SKF_AD_IFINDEX,
  SKF_AD_NLATTR,
  SKF_AD_NLATTR_NEST,
  SKF_AD_MARK,
  SKF_AD_QUEUE,
  SKF_AD_HATYPE,
  SKF_AD_RXHASH,
  SKF_AD_CPU,
  SKF_AD_ALU_XOR_X,
  SKF_AD_VLAN_TAG,
  SKF_AD_VLAN_TAG_PRESENT,
  SKF_AD_PAY_OFFSET,
  SKF_AD_RANDOM,
  SKF_AD_VLAN_TPID,
  SKF_AD_MAX,
  SKF_NET_OFF,
  SKF_LL_OFF,
  type SockFilter,
} from '../uapi/filter.ts';

export {
  type SockFilter,
  BPF_MAXINSNS,
  SKF_AD_OFF,
  SKF_AD_PROTOCOL,
  SKF_AD_PKTTYPE,
  SKF_AD_IFINDEX,
  SKF_AD_NLATTR,
  SKF_AD_NLATTR_NEST,
  SKF_AD_MARK,
  SKF_AD_QUEUE,
  SKF_AD_HATYPE,
  SKF_AD_RXHASH,
  SKF_AD_CPU,
  SKF_AD_ALU_XOR_X,
  SKF_AD_VLAN_TAG,
  SKF_AD_VLAN_TAG_PRESENT,
  SKF_AD_PAY_OFFSET,
  SKF_AD_RANDOM,
  SKF_AD_VLAN_TPID,
  SKF_AD_MAX,
  SKF_NET_OFF,
  SKF_LL_OFF,
  BPF_MEMWORDS,
} from '../uapi/filter.ts';

const cls = (c: number): number => c & 0x07;
const size = (c: number): number => c & 0x18;
const mode = (c: number): number => c & 0xe0;
const op = (c: number): number => c & 0xf0;
const src = (c: number): number => c & 0x08;

/** The opcodes a classic program may use (chk_code_allowed's table). */
const ALLOWED: ReadonlySet<number> = new Set([
  ...[BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH].flatMap((o) => [
    BPF_ALU | o | BPF_K,
    BPF_ALU | o | BPF_X,
  ]),
  BPF_ALU | BPF_NEG,
  ...[BPF_W, BPF_H, BPF_B].flatMap((s) => [BPF_LD | s | BPF_ABS, BPF_LD | s | BPF_IND]),
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_LD | BPF_IMM,
  BPF_LDX | BPF_IMM,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_MEM,
  BPF_LDX | BPF_MSH | BPF_B,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  BPF_ST,
  BPF_STX,
  BPF_JMP | BPF_JA,
  ...[BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET].flatMap((o) => [BPF_JMP | o | BPF_K, BPF_JMP | o | BPF_X]),
]);

/** bpf_anc_helper()'s known ancillary offsets. */
function ancillaryOk(k: number): boolean {
  const off = k - SKF_AD_OFF;
  return off >= 0 && off < SKF_AD_MAX && off % 4 === 0 && off !== SKF_AD_NLATTR && off !== SKF_AD_NLATTR_NEST;
}

/** check_load_and_stores(): no scratch word is read before every path to it stored it. */
function checkLoadAndStores(prog: readonly SockFilter[]): boolean {
  const n = prog.length;
  // masks[pc]: the words stored on every path reaching pc (all set = not reached yet)
  const masks = new Uint16Array(n).fill(0xffff);
  let memvalid = 0;
  for (let pc = 0; pc < n; pc++) {
    memvalid &= masks[pc] as number;
    const p = prog[pc] as SockFilter;
    switch (p.code) {
      case BPF_ST:
      case BPF_STX:
        memvalid |= 1 << p.k;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
        if (!(memvalid & (1 << p.k))) return false;
        break;
      case BPF_JMP | BPF_JA:
        masks[pc + 1 + p.k] = (masks[pc + 1 + p.k] as number) & memvalid;
        memvalid = 0xffff;
        break;
      default:
        if (cls(p.code) === BPF_JMP) {
          masks[pc + 1 + p.jt] = (masks[pc + 1 + p.jt] as number) & memvalid;
          masks[pc + 1 + p.jf] = (masks[pc + 1 + p.jf] as number) & memvalid;
          memvalid = 0xffff;
        }
    }
  }
  return true;
}

/** bpf_check_classic(): whether the kernel takes the program (else SO_ATTACH_FILTER fails with EINVAL). */
export function bpf_check_classic(prog: readonly SockFilter[]): boolean {
  const n = prog.length;
  if (n === 0 || n > BPF_MAXINSNS) return false;
  for (let pc = 0; pc < n; pc++) {
    const p = prog[pc] as SockFilter;
    const k = p.k >>> 0;
    if (!ALLOWED.has(p.code)) return false;
    switch (p.code) {
      case BPF_ALU | BPF_DIV | BPF_K:
      case BPF_ALU | BPF_MOD | BPF_K:
        if (k === 0) return false;
        break;
      case BPF_ALU | BPF_LSH | BPF_K:
      case BPF_ALU | BPF_RSH | BPF_K:
        if (k >= 32) return false;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
      case BPF_ST:
      case BPF_STX:
        if (k >= BPF_MEMWORDS) return false;
        break;
      case BPF_JMP | BPF_JA:
        if (k >= n - pc - 1) return false;
        break;
      case BPF_LD | BPF_W | BPF_ABS:
      case BPF_LD | BPF_H | BPF_ABS:
      case BPF_LD | BPF_B | BPF_ABS:
        if ((p.k | 0) < 0 && (p.k | 0) >= SKF_AD_OFF && !ancillaryOk(p.k | 0)) return false;
        break;
      default:
        if (cls(p.code) === BPF_JMP && (pc + p.jt + 1 >= n || pc + p.jf + 1 >= n)) return false;
    }
  }
  const last = prog[n - 1] as SockFilter;
  if (cls(last.code) !== BPF_RET) return false;
  return checkLoadAndStores(prog);
}

/** struct sk_filter: an attached, checked program. */
export interface SkFilter {
  readonly prog: readonly SockFilter[];
}

/** sk_attach_filter()'s part that builds the filter: null when the program is refused. */
export function sk_filter_create(prog: readonly SockFilter[]): SkFilter | null {
  if (!bpf_check_classic(prog)) return null;
  return { prog: prog.map((p) => ({ code: p.code & 0xffff, jt: p.jt & 0xff, jf: p.jf & 0xff, k: p.k >>> 0 })) };
}

/** bpf_skb_load_helper_*: a big-endian load from skb->data + off (negative: from a header), -1 when out of range. */
function load(skb: SkBuff, k: number, sz: number): number {
  let start: number;
  if (k >= 0) start = skb.data + k;
  else if (k >= SKF_NET_OFF && k < SKF_NET_OFF + 0x100000) start = skb.networkHeader + (k - SKF_NET_OFF);
  else if (k >= SKF_LL_OFF && k < SKF_LL_OFF + 0x100000) start = (skb.macHeader >= 0 ? skb.macHeader : skb.data) + (k - SKF_LL_OFF);
  else return -1;
  const n = sz === BPF_W ? 4 : sz === BPF_H ? 2 : 1;
  if (start < (k >= 0 ? skb.data : 0) || start + n > skb.tail) return -1;
  const b = skb.head;
  if (n === 4)
    return (b[start] as number) * 0x1000000 + ((b[start + 1] as number) << 16) + ((b[start + 2] as number) << 8) + (b[start + 3] as number);
  if (n === 2) return ((b[start] as number) << 8) | (b[start + 1] as number);
  return b[start] as number;
}

/** The ancillary value for SKF_AD_OFF + off (convert_skb_access / bpf_convert_filter's helpers). */
function ancillary(skb: SkBuff, off: number, A: number, X: number, cpu: number): number {
  const dev = skb.dev as NetDevice | null;
  switch (off) {
    case SKF_AD_PROTOCOL:
      return skb.protocol & 0xffff;
    case SKF_AD_PKTTYPE:
      return skb.pktType;
    case SKF_AD_IFINDEX:
      return dev ? dev.ifindex : 0;
    case SKF_AD_MARK:
      return skb.mark >>> 0;
    case SKF_AD_QUEUE:
      return 0;
    case SKF_AD_HATYPE:
      return dev ? dev.type : 0;
    case SKF_AD_RXHASH:
      return 0;
    case SKF_AD_CPU:
      return cpu;
    case SKF_AD_ALU_XOR_X:
      return (A ^ X) >>> 0;
    case SKF_AD_VLAN_TAG:
      return 0;
    case SKF_AD_VLAN_TAG_PRESENT:
      return 0;
    case SKF_AD_VLAN_TPID:
      return 0;
    case SKF_AD_PAY_OFFSET:
      return skb.transportHeader >= 0 ? skb.transportHeader - skb.data : 0;
    case SKF_AD_RANDOM:
      return 0;
  }
  return 0;
}

/**
 * bpf_prog_run() on a socket filter: the program over skb->data (skb->len
 * bytes); returns the number of bytes to keep, 0 to refuse the skb.
 */
export function bpf_prog_run_classic(filter: SkFilter, skb: SkBuff, cpu = 0): number {
  const prog = filter.prog;
  const M = new Uint32Array(BPF_MEMWORDS);
  let A = 0;
  let X = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const p = prog[pc] as SockFilter;
    const k = p.k;
    const c = p.code;
    switch (cls(c)) {
      case BPF_RET:
        return (c & 0x18) === BPF_A ? A >>> 0 : k >>> 0;
      case BPF_LD:
      case BPF_LDX: {
        const m = mode(c);
        let v: number;
        if (m === BPF_IMM) v = k >>> 0;
        else if (m === BPF_LEN) v = skb.len;
        else if (m === BPF_MEM) v = M[k] as number;
        else if (m === BPF_MSH) {
          const b = load(skb, k | 0, BPF_B);
          if (b < 0) return 0;
          v = (b & 0xf) << 2;
        } else if (m === BPF_ABS && (k | 0) >= SKF_AD_OFF && (k | 0) < 0) {
          v = ancillary(skb, (k | 0) - SKF_AD_OFF, A, X, cpu);
        } else {
          const off = m === BPF_IND ? (X + (k | 0)) | 0 : k | 0;
          v = load(skb, off, size(c));
          if (v < 0) return 0;
        }
        if (cls(c) === BPF_LD) A = v >>> 0;
        else X = v >>> 0;
        break;
      }
      case BPF_ST:
        M[k] = A;
        break;
      case BPF_STX:
        M[k] = X;
        break;
      case BPF_ALU: {
        const b = src(c) === BPF_X ? X : k >>> 0;
        switch (op(c)) {
          case BPF_ADD:
            A = (A + b) >>> 0;
            break;
          case BPF_SUB:
            A = (A - b) >>> 0;
            break;
          case BPF_MUL:
            A = Math.imul(A, b) >>> 0;
            break;
          case BPF_DIV:
            if (b === 0) return 0;
            A = Math.floor(A / b) >>> 0;
            break;
          case BPF_MOD:
            if (b === 0) return 0;
            A = (A % b) >>> 0;
            break;
          case BPF_OR:
            A = (A | b) >>> 0;
            break;
          case BPF_AND:
            A = (A & b) >>> 0;
            break;
          case BPF_XOR:
            A = (A ^ b) >>> 0;
            break;
          case BPF_LSH:
            A = b >= 32 ? 0 : (A << b) >>> 0;
            break;
          case BPF_RSH:
            A = b >= 32 ? 0 : A >>> b;
            break;
          case BPF_NEG:
            A = -A >>> 0;
            break;
          default:
            return 0;
        }
        break;
      }
      case BPF_JMP: {
        if (op(c) === BPF_JA) {
          pc += k >>> 0;
          break;
        }
        const b = src(c) === BPF_X ? X : k >>> 0;
        let r: boolean;
        switch (op(c)) {
          case BPF_JEQ:
            r = A === b;
            break;
          case BPF_JGT:
            r = A > b;
            break;
          case BPF_JGE:
            r = A >= b;
            break;
          case BPF_JSET:
            r = (A & b) !== 0;
            break;
          default:
            return 0;
        }
        pc += r ? p.jt : p.jf;
        break;
      }
      case BPF_MISC:
        if ((c & 0xf8) === BPF_TXA) A = X;
        else if ((c & 0xf8) === BPF_TAX) X = A;
        break;
    }
  }
  return 0;
}
