// IPv4 header (RFC 791 §3.1, include/uapi/linux/ip.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version|  IHL  |Type of Service|          Total Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |         Identification        |Flags|      Fragment Offset    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Time to Live |    Protocol   |         Header Checksum       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       Source Address                          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Destination Address                        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Options                    |    Padding    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Addresses are unsigned 32-bit numbers in host order (10.0.0.1 = 0x0a000001).

import { internetChecksum } from './checksum.ts';

export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;

/** Bits of the 16-bit frag_off field (include/net/ip.h). */
export const IP_CE = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;

/** Protocol numbers (IPPROTO_* in include/uapi/linux/in.h); any 8-bit value may appear. */
export const IpProtocol = {
  ICMP: 1,
  IGMP: 2,
  IPIP: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  GRE: 47,
  ESP: 50,
  AH: 51,
  SCTP: 132,
  RAW: 255,
} as const;

const F = {
  VER_IHL: 0,
  TOS: 1,
  LENGTH: [2, 4],
  IDENT: [4, 6],
  FLG_OFF: [6, 8],
  TTL: 8,
  PROTOCOL: 9,
  CHECKSUM: [10, 12],
  SRC: [12, 16],
  DST: [16, 20],
} as const;

/** Why bytes are not an IPv4 packet, in ip_rcv_core's order of checks. */
export type Ipv4Error =
  | 'truncated' //    fewer than 20 bytes, or fewer than IHL*4
  | 'bad-version' //  version != 4
  | 'bad-ihl' //      IHL < 5
  | 'length-overflow' // total length > bytes available
  | 'bad-total-length'; // total length < IHL*4

export class Ipv4Packet {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A view for emitting; the caller guarantees room. */
  static newUnchecked(bytes: Uint8Array): Ipv4Packet {
    return new Ipv4Packet(bytes);
  }

  /** The first reason `bytes` is not a well-formed IPv4 packet, or null. */
  static check(bytes: Uint8Array): Ipv4Error | null {
    if (bytes.length < IPV4_HEADER_LEN) return 'truncated';
    const b0 = bytes[0] as number;
    if (b0 >> 4 !== 4) return 'bad-version';
    const hl = (b0 & 0x0f) * 4;
    if (hl < IPV4_HEADER_LEN) return 'bad-ihl';
    if (bytes.length < hl) return 'truncated';
    const total = ((bytes[2] as number) << 8) | (bytes[3] as number);
    if (total > bytes.length) return 'length-overflow';
    if (total < hl) return 'bad-total-length';
    return null;
  }

  /** A view once version, IHL and total length agree with the buffer. */
  static newChecked(bytes: Uint8Array): Ipv4Packet | null {
    return Ipv4Packet.check(bytes) === null ? new Ipv4Packet(bytes) : null;
  }

  get version(): number {
    return this.dv.getUint8(F.VER_IHL) >> 4;
  }
  set version(v: number) {
    this.dv.setUint8(F.VER_IHL, ((v & 0x0f) << 4) | (this.dv.getUint8(F.VER_IHL) & 0x0f));
  }
  /** Header length in 32-bit words. */
  get ihl(): number {
    return this.dv.getUint8(F.VER_IHL) & 0x0f;
  }
  set ihl(v: number) {
    this.dv.setUint8(F.VER_IHL, (this.dv.getUint8(F.VER_IHL) & 0xf0) | (v & 0x0f));
  }
  /** Header length in bytes. */
  get headerLen(): number {
    return this.ihl * 4;
  }
  get tos(): number {
    return this.dv.getUint8(F.TOS);
  }
  set tos(v: number) {
    this.dv.setUint8(F.TOS, v & 0xff);
  }
  get dscp(): number {
    return this.tos >> 2;
  }
  get ecn(): number {
    return this.tos & 0x03;
  }
  get totalLen(): number {
    return this.dv.getUint16(F.LENGTH[0]);
  }
  set totalLen(v: number) {
    this.dv.setUint16(F.LENGTH[0], v & 0xffff);
  }
  get ident(): number {
    return this.dv.getUint16(F.IDENT[0]);
  }
  set ident(v: number) {
    this.dv.setUint16(F.IDENT[0], v & 0xffff);
  }
  /** The raw flags-and-offset word, as iph->frag_off in host order. */
  get fragOff(): number {
    return this.dv.getUint16(F.FLG_OFF[0]);
  }
  set fragOff(v: number) {
    this.dv.setUint16(F.FLG_OFF[0], v & 0xffff);
  }
  /** The reserved ("evil") bit, IP_CE. */
  get reservedFlag(): boolean {
    return (this.fragOff & IP_CE) !== 0;
  }
  set reservedFlag(on: boolean) {
    this.setFlag(IP_CE, on);
  }
  get dontFrag(): boolean {
    return (this.fragOff & IP_DF) !== 0;
  }
  set dontFrag(on: boolean) {
    this.setFlag(IP_DF, on);
  }
  get moreFrags(): boolean {
    return (this.fragOff & IP_MF) !== 0;
  }
  set moreFrags(on: boolean) {
    this.setFlag(IP_MF, on);
  }
  /** Fragment offset in bytes (the field holds 8-byte units). */
  get fragOffset(): number {
    return (this.fragOff & IP_OFFSET) * 8;
  }
  set fragOffset(bytes: number) {
    this.fragOff = (this.fragOff & ~IP_OFFSET) | ((bytes >>> 3) & IP_OFFSET);
  }
  /** A fragment: MF set or a nonzero offset (ip_is_fragment). */
  get isFragment(): boolean {
    return (this.fragOff & (IP_MF | IP_OFFSET)) !== 0;
  }
  get ttl(): number {
    return this.dv.getUint8(F.TTL);
  }
  set ttl(v: number) {
    this.dv.setUint8(F.TTL, v & 0xff);
  }
  get protocol(): number {
    return this.dv.getUint8(F.PROTOCOL);
  }
  set protocol(v: number) {
    this.dv.setUint8(F.PROTOCOL, v & 0xff);
  }
  get checksum(): number {
    return this.dv.getUint16(F.CHECKSUM[0]);
  }
  set checksum(v: number) {
    this.dv.setUint16(F.CHECKSUM[0], v & 0xffff);
  }
  get src(): number {
    return this.dv.getUint32(F.SRC[0]);
  }
  set src(v: number) {
    this.dv.setUint32(F.SRC[0], v >>> 0);
  }
  get dst(): number {
    return this.dv.getUint32(F.DST[0]);
  }
  set dst(v: number) {
    this.dv.setUint32(F.DST[0], v >>> 0);
  }

  /** The option bytes between the fixed header and IHL*4, a view. */
  get options(): Uint8Array {
    return this.bytes.subarray(IPV4_HEADER_LEN, Math.max(IPV4_HEADER_LEN, this.headerLen));
  }
  /** The header, a view. */
  get header(): Uint8Array {
    return this.bytes.subarray(0, this.headerLen);
  }
  /** Bytes from IHL*4 up to the total length (padding after it excluded), a view. */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLen, Math.max(this.headerLen, this.totalLen));
  }

  /** True when the header checksum is right (ip_fast_csum == 0). */
  verifyChecksum(): boolean {
    return internetChecksum(this.bytes, 0, this.headerLen) === 0;
  }
  /** Computes and stores the header checksum (ip_send_check). */
  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes, 0, this.headerLen);
  }

  private setFlag(bit: number, on: boolean): void {
    this.fragOff = on ? this.fragOff | bit : this.fragOff & ~bit;
  }
}

export interface Ipv4Fields {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  payloadLen: number;
  tos?: number;
  ident?: number;
  dontFrag?: boolean;
  moreFrags?: boolean;
  /** In bytes, a multiple of 8. */
  fragOffset?: number;
  /** Raw option bytes, padded by emit to a multiple of 4 (at most 40). */
  options?: Uint8Array;
}

/** The header of an IPv4 packet; the payload travels separately. */
export class Ipv4Repr {
  src: number;
  dst: number;
  protocol: number;
  ttl: number;
  payloadLen: number;
  tos: number;
  ident: number;
  dontFrag: boolean;
  moreFrags: boolean;
  fragOffset: number;
  options: Uint8Array;

  constructor(f: Ipv4Fields) {
    this.src = f.src >>> 0;
    this.dst = f.dst >>> 0;
    this.protocol = f.protocol;
    this.ttl = f.ttl;
    this.payloadLen = f.payloadLen;
    this.tos = f.tos ?? 0;
    this.ident = f.ident ?? 0;
    this.dontFrag = f.dontFrag ?? false;
    this.moreFrags = f.moreFrags ?? false;
    this.fragOffset = f.fragOffset ?? 0;
    this.options = f.options ?? new Uint8Array(0);
  }

  /**
   * Reads a checked packet. Null when the header checksum is wrong, unless
   * `ignoreChecksum` (a caller that reports IP_CSUM itself checks first).
   * Options are copied; the payload stays in the packet.
   */
  static parse(pkt: Ipv4Packet, opts: { ignoreChecksum?: boolean } = {}): Ipv4Repr | null {
    if (Ipv4Packet.check(pkt.bytes) !== null) return null;
    if (!opts.ignoreChecksum && !pkt.verifyChecksum()) return null;
    return new Ipv4Repr({
      src: pkt.src,
      dst: pkt.dst,
      protocol: pkt.protocol,
      ttl: pkt.ttl,
      payloadLen: pkt.totalLen - pkt.headerLen,
      tos: pkt.tos,
      ident: pkt.ident,
      dontFrag: pkt.dontFrag,
      moreFrags: pkt.moreFrags,
      fragOffset: pkt.fragOffset,
      options: pkt.options.slice(),
    });
  }

  headerLen(): number {
    return IPV4_HEADER_LEN + ((this.options.length + 3) & ~3);
  }

  bufferLen(): number {
    return this.headerLen() + this.payloadLen;
  }

  /** Writes the header (with its checksum) into the first headerLen() bytes. */
  emit(pkt: Ipv4Packet): void {
    const hl = this.headerLen();
    pkt.bytes.fill(0, IPV4_HEADER_LEN, hl);
    pkt.version = 4;
    pkt.ihl = hl / 4;
    pkt.tos = this.tos;
    pkt.totalLen = hl + this.payloadLen;
    pkt.ident = this.ident;
    pkt.fragOff = 0;
    pkt.dontFrag = this.dontFrag;
    pkt.moreFrags = this.moreFrags;
    pkt.fragOffset = this.fragOffset;
    pkt.ttl = this.ttl;
    pkt.protocol = this.protocol;
    pkt.src = this.src;
    pkt.dst = this.dst;
    pkt.bytes.set(this.options, IPV4_HEADER_LEN);
    pkt.fillChecksum();
  }

  /** A new buffer holding header and `payload` (zeros when omitted). */
  toBytes(payload?: Uint8Array): Uint8Array {
    const buf = new Uint8Array(this.bufferLen());
    this.emit(Ipv4Packet.newUnchecked(buf));
    if (payload) buf.set(payload.subarray(0, this.payloadLen), this.headerLen());
    return buf;
  }
}

// --- addresses ---

/** "10.0.0.1" for 0x0a000001. */
export function ipv4ToString(addr: number): string {
  const a = addr >>> 0;
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/**
 * A strict dotted quad, as glibc's inet_pton(AF_INET): four decimal octets
 * 0..255, no leading zeros, nothing else. Null otherwise.
 */
export function parseIpv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let out = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out = out * 256 + v;
  }
  return out >>> 0;
}

/** The 4 bytes of an address in network order. */
export function ipv4ToBytes(addr: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, addr >>> 0);
  return b;
}

/** The netmask of a prefix length 0..32 (inet_make_mask). */
export function prefixToMask(prefixLen: number): number {
  if (prefixLen <= 0) return 0;
  if (prefixLen >= 32) return 0xffffffff;
  return (0xffffffff << (32 - prefixLen)) >>> 0;
}

/** The prefix length of a contiguous netmask, or null (inet_mask_len with a check). */
export function maskToPrefix(mask: number): number | null {
  const m = mask >>> 0;
  const inv = ~m >>> 0;
  if ((inv & (inv + 1)) !== 0) return null; // the host part must be 0…01…1
  let n = 0;
  for (let b = 31; b >= 0 && (m >>> b) & 1; b--) n++;
  return n;
}

/** `addr` with its host bits cleared. */
export function ipv4Network(addr: number, prefixLen: number): number {
  return (addr & prefixToMask(prefixLen)) >>> 0;
}

/** The directed broadcast of a prefix: host bits all set. */
export function ipv4Broadcast(addr: number, prefixLen: number): number {
  return (addr | ~prefixToMask(prefixLen)) >>> 0;
}

/** True when `addr` lies in `net/prefixLen` (inet_ifa_match). */
export function ipv4InPrefix(addr: number, net: number, prefixLen: number): boolean {
  const m = prefixToMask(prefixLen);
  return ((addr ^ net) & m) === 0;
}

/** "10.0.0.1/24" or "10.0.0.1" (as /32), as `ip addr add` takes; null otherwise. */
export function parseIpv4Cidr(s: string): { addr: number; prefixLen: number } | null {
  const slash = s.indexOf('/');
  if (slash < 0) {
    const addr = parseIpv4(s);
    return addr === null ? null : { addr, prefixLen: 32 };
  }
  const addr = parseIpv4(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (addr === null || !/^[0-9]{1,2}$/.test(len)) return null;
  const prefixLen = Number(len);
  return prefixLen > 32 ? null : { addr, prefixLen };
}

/** 224.0.0.0/4 (ipv4_is_multicast). */
export function ipv4IsMulticast(addr: number): boolean {
  return (addr >>> 28) === 0xe;
}
/** 127.0.0.0/8 (ipv4_is_loopback). */
export function ipv4IsLoopback(addr: number): boolean {
  return (addr >>> 24) === 127;
}
/** 255.255.255.255 (ipv4_is_lbcast). */
export function ipv4IsLbcast(addr: number): boolean {
  return addr >>> 0 === 0xffffffff;
}
/** 0.0.0.0/8 (ipv4_is_zeronet). */
export function ipv4IsZeronet(addr: number): boolean {
  return (addr >>> 24) === 0;
}
