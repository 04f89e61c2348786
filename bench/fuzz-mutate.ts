// Mutated frames for fuzzing the receive path (issue 11): the corpus is every
// Ethernet frame of the oracle's captures; a mutation may aim a frame at b
// (10.0.0.2, 02:00:00:00:00:0b), then flips, sets, inserts, deletes, cuts or
// grows bytes, and may mend the checksums afterwards so the mutated headers
// get past the checksum checks into the deeper ones. Used by
// test/kernel/fuzz_frames.test.ts (fast-check picks the mutations) and
// bench/fuzz-frames.ts (a seeded generator picks them).
import { checksumAdd, checksumFinish, pseudoHeaderSumV4 } from '../src/wire/checksum.ts';
import { LINKTYPE_ETHERNET, readPcap } from '../src/wire/pcap.ts';

export const B_MAC = [2, 0, 0, 0, 0, 0x0b];
export const A_MAC = [2, 0, 0, 0, 0, 0x0a];
export const A_IP = 0x0a000001;
export const B_IP = 0x0a000002;
export const C_IP = 0x0a000101;

export type Mutation =
  | { k: 'flip'; pos: number; bit: number }
  | { k: 'set'; pos: number; val: number }
  | { k: 'ins'; pos: number; val: number }
  | { k: 'del'; pos: number }
  | { k: 'cut'; len: number }
  | { k: 'grow'; bytes: number[] };

export interface FrameCase {
  /** Index into the corpus. */
  frame: number;
  /** Aim it at b: its MAC (unless a group address) and, for IPv4 and ARP, its address. */
  retarget: boolean;
  muts: Mutation[];
  /** Recompute the IPv4 header checksum and the TCP/UDP/ICMP checksum after mutating. */
  fix: boolean;
  /** Retargeted IPv4 goes to C_IP, behind b (a target where b routes). */
  forward?: boolean;
}

/** The Ethernet frames of some pcap files, each once. */
export function corpusFrom(files: Iterable<Uint8Array>): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const bytes of files) {
    const r = readPcap(bytes);
    if (!r.header || r.header.linktype !== LINKTYPE_ETHERNET) continue;
    for (const rec of r.records) {
      if (rec.data.length < 14) continue;
      const key = Array.from(rec.data, (x) => x.toString(16).padStart(2, '0')).join('');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(rec.data.slice());
    }
  }
  return out;
}

function rd16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function rd32(b: Uint8Array, o: number): number {
  return ((rd16(b, o) << 16) | rd16(b, o + 2)) >>> 0;
}

function wr32(b: Uint8Array, o: number, v: number): void {
  wr16(b, o, v >>> 16);
  wr16(b, o + 2, v & 0xffff);
}

function retarget(f: Uint8Array, dst: number): void {
  if (!((f[0] as number) & 1)) f.set(B_MAC, 0);
  f.set(A_MAC, 6);
  const type = rd16(f, 12);
  if (type === 0x0800 && f.length >= 34) {
    const daddr = rd32(f, 30);
    const group = daddr >>> 28 === 0xe || daddr === 0xffffffff || (daddr & 0xff) === 0xff;
    wr32(f, 26, A_IP);
    if (!group) wr32(f, 30, dst);
    ipFix(f);
  } else if (type === 0x0806 && f.length >= 42) {
    wr32(f, 28, A_IP);
    wr32(f, 38, B_IP);
  }
}

/** The IPv4 header checksum and, for an unfragmented datagram, its transport checksum. */
function ipFix(f: Uint8Array): void {
  if (rd16(f, 12) !== 0x0800 || f.length < 34) return;
  const o = 14;
  const ihl = ((f[o] as number) & 0xf) * 4;
  if (ihl < 20 || o + ihl > f.length) return;
  wr16(f, o + 10, 0);
  wr16(f, o + 10, checksumFinish(checksumAdd(0, f, o, o + ihl)));
  const tot = Math.min(rd16(f, o + 2), f.length - o);
  if (tot <= ihl || rd16(f, o + 6) & 0x3fff) return;
  const l4 = o + ihl;
  const end = o + tot;
  const proto = f[o + 9] as number;
  const at = proto === 6 ? 16 : proto === 17 ? 6 : proto === 1 ? 2 : -1;
  if (at < 0 || l4 + at + 2 > end) return;
  wr16(f, l4 + at, 0);
  let sum = checksumAdd(0, f, l4, end);
  if (proto !== 1) sum += pseudoHeaderSumV4(rd32(f, o + 12), rd32(f, o + 16), proto, end - l4);
  let c = checksumFinish(sum);
  if (proto === 17 && c === 0) c = 0xffff;
  wr16(f, l4 + at, c);
}

function apply(f: Uint8Array, m: Mutation): Uint8Array {
  const n = f.length;
  switch (m.k) {
    case 'flip':
      if (n) f[m.pos % n] = ((f[m.pos % n] as number) ^ (1 << (m.bit & 7))) & 0xff;
      return f;
    case 'set':
      if (n) f[m.pos % n] = m.val & 0xff;
      return f;
    case 'ins': {
      const p = m.pos % (n + 1);
      const g = new Uint8Array(n + 1);
      g.set(f.subarray(0, p));
      g[p] = m.val & 0xff;
      g.set(f.subarray(p), p + 1);
      return g;
    }
    case 'del': {
      if (!n) return f;
      const p = m.pos % n;
      const g = new Uint8Array(n - 1);
      g.set(f.subarray(0, p));
      g.set(f.subarray(p + 1), p);
      return g;
    }
    case 'cut':
      return f.slice(0, Math.min(n, m.len));
    case 'grow': {
      const g = new Uint8Array(n + m.bytes.length);
      g.set(f);
      g.set(
        m.bytes.map((x) => x & 0xff),
        n,
      );
      return g;
    }
  }
}

/** The frame a case describes. */
export function mutateFrame(corpus: readonly Uint8Array[], c: FrameCase): Uint8Array {
  const src = corpus[c.frame % corpus.length] as Uint8Array;
  let f: Uint8Array = src.slice();
  if (c.retarget) retarget(f, c.forward ? C_IP : B_IP);
  for (const m of c.muts) f = apply(f, m);
  if (c.fix) ipFix(f);
  return f;
}

/** A small seeded generator (xorshift32) for the benchmark's cases. */
export class CaseGen {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }

  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }

  below(n: number): number {
    return this.u32() % n;
  }

  next(corpusSize: number): FrameCase {
    const muts: Mutation[] = [];
    const count = this.below(4);
    for (let i = 0; i < count; i++) {
      const pos = this.below(128);
      switch (this.below(6)) {
        case 0:
          muts.push({ k: 'flip', pos, bit: this.below(8) });
          break;
        case 1:
          muts.push({ k: 'set', pos, val: this.below(256) });
          break;
        case 2:
          muts.push({ k: 'ins', pos, val: this.below(256) });
          break;
        case 3:
          muts.push({ k: 'del', pos });
          break;
        case 4:
          muts.push({ k: 'cut', len: this.below(100) });
          break;
        default:
          muts.push({ k: 'grow', bytes: [this.below(256), this.below(256), this.below(256)] });
      }
    }
    return { frame: this.below(corpusSize), retarget: this.below(4) !== 0, muts, fix: this.below(2) === 0 };
  }
}
