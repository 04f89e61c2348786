// netdissect's packet state for the IPv6 printers: the captured bytes, the
// snapshot end (ndo_snapend, with nd_push_snaplen's stack), the protocol name
// a truncation mark prints (ndo_protocol), and the output so far (ND_PRINT
// appends at once, so what a printer wrote before it hit the end stays).
// The GET_* reads throw NdTrunc past the snapshot end: tcpdump longjmps to
// pretty_print_packet, which prints " [|proto]" and dumps -x from offset 0.
import { rd16, rd32 } from '../../wire/bytes.ts';
import { ipv6ToString } from '../../wire/ipv6.ts';
import type { PrintOptions } from './print.ts';

/** nd_trunc_longjmp(): the packet ended before a GET_* read. */
export class NdTrunc extends Error {}

export interface SeqEntry6 {
  seq: number;
  ack: number;
}

export class Nd {
  out = '';
  /** ndo_protocol */
  proto = '';
  /** ndo_snapend, an index into b */
  end: number;
  private readonly saved: number[] = [];

  constructor(
    readonly o: PrintOptions,
    readonly b: Uint8Array,
    /** tcp_seq_hash6: one tcpdump process's IPv6 TCP conversations */
    readonly tcpSeq6: Map<string, SeqEntry6>,
    /** ip_print for IPv4 inside IPv6: the line it prints */
    readonly ip4: (p: Uint8Array, len: number) => string,
  ) {
    this.end = b.length;
  }

  print(s: string): void {
    this.out += s;
  }

  /** nd_print_trunc */
  trunc(): void {
    this.out += ` [|${this.proto}]`;
  }

  /** nd_print_invalid */
  invalid(): void {
    this.out += ' (invalid)';
  }

  /** ND_TTEST_LEN */
  ttest(off: number, len: number): boolean {
    return len >= 0 && off >= 0 && off <= this.end - len;
  }

  /** ND_BYTES_AVAILABLE_AFTER */
  avail(off: number): number {
    return off <= this.end ? this.end - off : 0;
  }

  private need(off: number, len: number): void {
    if (!this.ttest(off, len)) throw new NdTrunc();
  }

  u8(off: number): number {
    this.need(off, 1);
    return this.b[off] as number;
  }

  u16(off: number): number {
    this.need(off, 2);
    return rd16(this.b, off);
  }

  u32(off: number): number {
    this.need(off, 4);
    return rd32(this.b, off);
  }

  bytes(off: number, len: number): Uint8Array {
    this.need(off, len);
    return this.b.subarray(off, off + len);
  }

  /** GET_IP6ADDR_STRING (no names: the simulator resolves no IPv6 address). */
  ip6addr(off: number): string {
    return ipv6ToString(this.bytes(off, 16));
  }

  /** nd_push_snaplen */
  push(bp: number, newlen: number): void {
    this.saved.push(this.end);
    if (newlen <= this.end - bp) this.end = bp + newlen;
  }

  /** nd_change_snaplen */
  change(bp: number, newlen: number): void {
    const prev = this.saved.length >= 2 ? (this.saved[this.saved.length - 2] as number) : this.end;
    if (newlen <= prev - bp) this.end = bp + newlen;
  }

  /** nd_pop_packet_info */
  pop(): void {
    const e = this.saved.pop();
    if (e !== undefined) this.end = e;
  }

  /** hex_print_with_offset: "%s0x%04x: " every 8 words, " %02x%02x" per word. */
  hex(ident: string, off: number, length: number): void {
    const cap = this.avail(off);
    const truncated = length > cap;
    const n = truncated ? cap : length;
    let i = 0;
    let oset = 0;
    let p = off;
    for (let w = n >> 1; w > 0; w--) {
      if (i++ % 8 === 0) {
        this.print(`${ident}0x${oset.toString(16).padStart(4, '0')}: `);
        oset += 16;
      }
      this.print(` ${hx2(this.b[p] as number)}${hx2(this.b[p + 1] as number)}`);
      p += 2;
    }
    if (n & 1) {
      if (i % 8 === 0) this.print(`${ident}0x${oset.toString(16).padStart(4, '0')}: `);
      this.print(` ${hx2(this.b[p] as number)}`);
    }
    if (truncated) throw new NdTrunc();
  }

  /** print_unknown_data */
  unknownData(off: number, ident: string, len: number): void {
    if (!this.ttest(off, 0)) {
      this.print(`${ident}Dissector error: print_unknown_data called with pointer past end of packet`);
      return;
    }
    this.hex(ident, off, Math.min(len, this.avail(off)));
  }
}

export const hx2 = (v: number): string => v.toString(16).padStart(2, '0');
export const hx4 = (v: number): string => v.toString(16).padStart(4, '0');

/** in_cksum over several pieces, as one byte stream: 0 when the sum is right. */
export function inCksumV(parts: Uint8Array[]): number {
  let s = 0;
  let odd = false;
  for (const b of parts) {
    for (let i = 0; i < b.length; i++) {
      s += odd ? (b[i] as number) : (b[i] as number) << 8;
      odd = !odd;
    }
    while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  }
  return ~s & 0xffff;
}

/** in_cksum_shouldbe */
export function cksumShouldbe(sum: number, computed: number): number {
  let s = sum + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** tok2str */
export function tok2str(t: Readonly<Record<number, string>>, fmt: string, v: number): string {
  return t[v] ?? fmt.replace('%u', String(v));
}

/** bittok2str: the names of the bits set, ", "-separated, or `none`. */
export function bittok2str(t: readonly [number, string][], none: string, v: number): string {
  const out: string[] = [];
  for (const [bit, name] of t) if (bit !== 0 && (v & bit) >>> 0 === bit >>> 0) out.push(name);
  return out.length ? out.join(', ') : none;
}

/**
 * ip6_finddst: the final destination for the pseudo-header, the last address
 * of a type 0/2 routing header or the first segment of an SRH.
 */
function ip6FindDst(nd: Nd, ip6: number): number {
  let cp = ip6;
  let advance = 40;
  let nh = nd.u8(ip6 + 6);
  let dst = ip6 + 24;
  for (;;) {
    if (!(cp < nd.end)) break;
    cp += advance;
    if (nh === 0 || nh === 60 || nh === 62 || nh === 135) {
      advance = (nd.u8(cp + 1) + 1) << 3;
      nh = nd.u8(cp);
      continue;
    }
    if (nh === 44) {
      advance = 8;
      nh = nd.u8(cp);
      continue;
    }
    if (nh === 43) {
      if (!nd.ttest(cp, 4)) break;
      let len = nd.u8(cp + 1);
      const type = nd.u8(cp + 2);
      if (type === 0 || type === 2) {
        if (len % 2 === 1) break;
        len >>= 1;
        let p = cp + 8;
        for (let i = 0; i < len; i++) {
          if (!nd.ttest(p, 16)) return dst;
          dst = p;
          p += 16;
        }
      } else if (type === 4) {
        if (len % 2 === 1) break;
        const p = cp + 8;
        if (!nd.ttest(p, 16)) break;
        dst = p;
      }
      break;
    }
    break;
  }
  return dst;
}

/** nextproto6_cksum: in_cksum over the IPv6 pseudo-header and `covlen` bytes at `data`. */
export function nextproto6Cksum(nd: Nd, ip6: number, data: number, len: number, covlen: number, nxt: number): number {
  const ph = new Uint8Array(40);
  ph.set(nd.bytes(ip6 + 8, 16), 0);
  const nh = nd.u8(ip6 + 6);
  const dst = nh === 0 || nh === 60 || nh === 62 || nh === 135 || nh === 44 || nh === 43 ? ip6FindDst(nd, ip6) : ip6 + 24;
  ph.set(nd.bytes(dst, 16), 16);
  ph[32] = (len >>> 24) & 0xff;
  ph[33] = (len >>> 16) & 0xff;
  ph[34] = (len >>> 8) & 0xff;
  ph[35] = len & 0xff;
  ph[39] = nxt;
  return inCksumV([ph, nd.b.subarray(data, data + covlen)]);
}
