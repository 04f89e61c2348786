// TCP header (RFC 9293 §3.1, include/uapi/linux/tcp.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Source Port          |       Destination Port        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                        Sequence Number                        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Acknowledgment Number                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Data |     |A|C|E|U|A|P|R|S|F|                               |
// | Offset| Rsrv|E|W|C|R|C|S|S|Y|I|            Window             |
// |       |     | |R|E|G|K|H|T|N|N|                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Checksum            |         Urgent Pointer        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Options                    |    Padding    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Options (RFC 9293 §3.2, RFC 2018, RFC 7323): kind 0 EOL, 1 NOP, 2 MSS (4),
// 3 window scale (3), 4 SACK permitted (2), 5 SACK (2+8n), 8 timestamps (10).

import { checksumAdd, checksumFinish, pseudoHeaderSumV4 } from './checksum.ts';
import { IpProtocol } from './ipv4.ts';

export const TCP_HEADER_LEN = 20;
export const TCP_MAX_HEADER_LEN = 60;

/** Flag bits of the 16-bit offset/flags word's low 9 bits (TCPHDR_* in include/net/tcp.h). */
export const TCPHDR_FIN = 0x01;
export const TCPHDR_SYN = 0x02;
export const TCPHDR_RST = 0x04;
export const TCPHDR_PSH = 0x08;
export const TCPHDR_ACK = 0x10;
export const TCPHDR_URG = 0x20;
export const TCPHDR_ECE = 0x40;
export const TCPHDR_CWR = 0x80;
export const TCPHDR_AE = 0x100;

/** Option kinds (TCPOPT_* in include/net/tcp.h). */
export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WINDOW = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;

const F = {
  SRC_PORT: [0, 2],
  DST_PORT: [2, 4],
  SEQ_NUM: [4, 8],
  ACK_NUM: [8, 12],
  FLAGS: [12, 14],
  WIN_SIZE: [14, 16],
  CHECKSUM: [16, 18],
  URGENT: [18, 20],
  OPTIONS: 20,
} as const;

export type TcpError =
  | 'truncated' //  fewer than 20 bytes, or fewer than the data offset says
  | 'bad-offset'; // data offset < 5

export class TcpPacket {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  static newUnchecked(bytes: Uint8Array): TcpPacket {
    return new TcpPacket(bytes);
  }

  /** As tcp_v4_rcv: the fixed header fits, doff >= 5, and doff*4 bytes fit. */
  static check(bytes: Uint8Array): TcpError | null {
    if (bytes.length < TCP_HEADER_LEN) return 'truncated';
    const hl = ((bytes[12] as number) >> 4) * 4;
    if (hl < TCP_HEADER_LEN) return 'bad-offset';
    if (hl > bytes.length) return 'truncated';
    return null;
  }

  static newChecked(bytes: Uint8Array): TcpPacket | null {
    return TcpPacket.check(bytes) === null ? new TcpPacket(bytes) : null;
  }

  get srcPort(): number {
    return this.dv.getUint16(F.SRC_PORT[0]);
  }
  set srcPort(v: number) {
    this.dv.setUint16(F.SRC_PORT[0], v & 0xffff);
  }
  get dstPort(): number {
    return this.dv.getUint16(F.DST_PORT[0]);
  }
  set dstPort(v: number) {
    this.dv.setUint16(F.DST_PORT[0], v & 0xffff);
  }
  get seq(): number {
    return this.dv.getUint32(F.SEQ_NUM[0]);
  }
  set seq(v: number) {
    this.dv.setUint32(F.SEQ_NUM[0], v >>> 0);
  }
  get ack(): number {
    return this.dv.getUint32(F.ACK_NUM[0]);
  }
  set ack(v: number) {
    this.dv.setUint32(F.ACK_NUM[0], v >>> 0);
  }
  /** Data offset in 32-bit words. */
  get dataOffset(): number {
    return this.dv.getUint8(F.FLAGS[0]) >> 4;
  }
  set dataOffset(v: number) {
    this.dv.setUint8(F.FLAGS[0], ((v & 0x0f) << 4) | (this.dv.getUint8(F.FLAGS[0]) & 0x0f));
  }
  /** Header length in bytes. */
  get headerLen(): number {
    return this.dataOffset * 4;
  }
  /** The nine flag bits, TCPHDR_*. */
  get flags(): number {
    return this.dv.getUint16(F.FLAGS[0]) & 0x01ff;
  }
  set flags(v: number) {
    const w = this.dv.getUint16(F.FLAGS[0]);
    this.dv.setUint16(F.FLAGS[0], (w & 0xfe00) | (v & 0x01ff));
  }
  get fin(): boolean {
    return (this.flags & TCPHDR_FIN) !== 0;
  }
  get syn(): boolean {
    return (this.flags & TCPHDR_SYN) !== 0;
  }
  get rst(): boolean {
    return (this.flags & TCPHDR_RST) !== 0;
  }
  get psh(): boolean {
    return (this.flags & TCPHDR_PSH) !== 0;
  }
  get ackFlag(): boolean {
    return (this.flags & TCPHDR_ACK) !== 0;
  }
  get urg(): boolean {
    return (this.flags & TCPHDR_URG) !== 0;
  }
  get ece(): boolean {
    return (this.flags & TCPHDR_ECE) !== 0;
  }
  get cwr(): boolean {
    return (this.flags & TCPHDR_CWR) !== 0;
  }
  get window(): number {
    return this.dv.getUint16(F.WIN_SIZE[0]);
  }
  set window(v: number) {
    this.dv.setUint16(F.WIN_SIZE[0], v & 0xffff);
  }
  get checksum(): number {
    return this.dv.getUint16(F.CHECKSUM[0]);
  }
  set checksum(v: number) {
    this.dv.setUint16(F.CHECKSUM[0], v & 0xffff);
  }
  get urgent(): number {
    return this.dv.getUint16(F.URGENT[0]);
  }
  set urgent(v: number) {
    this.dv.setUint16(F.URGENT[0], v & 0xffff);
  }
  /** Option bytes between the fixed header and the data offset, a view. */
  get options(): Uint8Array {
    return this.bytes.subarray(F.OPTIONS, Math.max(F.OPTIONS, this.headerLen));
  }
  /** Everything after the header, a view (the IP layer bounds the segment). */
  get payload(): Uint8Array {
    return this.bytes.subarray(Math.min(this.headerLen, this.bytes.length));
  }
  /** Sequence space the segment takes: data, plus one each for SYN and FIN. */
  get segmentLen(): number {
    return this.payload.length + (this.syn ? 1 : 0) + (this.fin ? 1 : 0);
  }

  /** The checksum over pseudo-header, header and data (the whole view). */
  computeChecksum(src: number, dst: number): number {
    const len = this.bytes.length;
    let sum = pseudoHeaderSumV4(src, dst, IpProtocol.TCP, len);
    sum = checksumAdd(sum, this.bytes, 0, F.CHECKSUM[0]);
    sum = checksumAdd(sum, this.bytes, F.CHECKSUM[1], len);
    return checksumFinish(sum);
  }
  verifyChecksum(src: number, dst: number): boolean {
    return this.computeChecksum(src, dst) === this.checksum;
  }
  fillChecksum(src: number, dst: number): void {
    this.checksum = this.computeChecksum(src, dst);
  }
}

/** One option, in wire order. A known kind with a wrong length is kept as 'unknown'. */
export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sack-perm' }
  | { kind: 'sack'; blocks: Array<[left: number, right: number]> }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  | { kind: 'unknown'; type: number; data: Uint8Array };

/**
 * Parses option bytes. Stops at EOL (what follows is padding); null when an
 * option's length byte is missing, below 2 or runs past the end.
 */
export function parseTcpOptions(bytes: Uint8Array): TcpOption[] | null {
  const out: TcpOption[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  while (i < bytes.length) {
    const kind = bytes[i] as number;
    if (kind === TCPOPT_EOL) {
      out.push({ kind: 'eol' });
      break;
    }
    if (kind === TCPOPT_NOP) {
      out.push({ kind: 'nop' });
      i++;
      continue;
    }
    if (i + 1 >= bytes.length) return null;
    const len = bytes[i + 1] as number;
    if (len < 2 || i + len > bytes.length) return null;
    if (kind === TCPOPT_MSS && len === 4) {
      out.push({ kind: 'mss', value: dv.getUint16(i + 2) });
    } else if (kind === TCPOPT_WINDOW && len === 3) {
      out.push({ kind: 'wscale', shift: bytes[i + 2] as number });
    } else if (kind === TCPOPT_SACK_PERM && len === 2) {
      out.push({ kind: 'sack-perm' });
    } else if (kind === TCPOPT_SACK && len >= 10 && (len - 2) % 8 === 0) {
      const blocks: Array<[number, number]> = [];
      for (let j = i + 2; j < i + len; j += 8) blocks.push([dv.getUint32(j), dv.getUint32(j + 4)]);
      out.push({ kind: 'sack', blocks });
    } else if (kind === TCPOPT_TIMESTAMP && len === 10) {
      out.push({ kind: 'timestamps', tsval: dv.getUint32(i + 2), tsecr: dv.getUint32(i + 6) });
    } else {
      out.push({ kind: 'unknown', type: kind, data: bytes.slice(i + 2, i + len) });
    }
    i += len;
  }
  return out;
}

/** Bytes an option takes on the wire. */
export function tcpOptionLen(opt: TcpOption): number {
  switch (opt.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'wscale':
      return 3;
    case 'sack-perm':
      return 2;
    case 'sack':
      return 2 + 8 * opt.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + opt.data.length;
  }
}

/** Writes options in order at `bytes[0..]`; returns the bytes written (unpadded). */
export function emitTcpOptions(options: readonly TcpOption[], bytes: Uint8Array): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  for (const opt of options) {
    switch (opt.kind) {
      case 'eol':
        bytes[i] = TCPOPT_EOL;
        break;
      case 'nop':
        bytes[i] = TCPOPT_NOP;
        break;
      case 'mss':
        bytes[i] = TCPOPT_MSS;
        bytes[i + 1] = 4;
        dv.setUint16(i + 2, opt.value & 0xffff);
        break;
      case 'wscale':
        bytes[i] = TCPOPT_WINDOW;
        bytes[i + 1] = 3;
        bytes[i + 2] = opt.shift & 0xff;
        break;
      case 'sack-perm':
        bytes[i] = TCPOPT_SACK_PERM;
        bytes[i + 1] = 2;
        break;
      case 'sack':
        bytes[i] = TCPOPT_SACK;
        bytes[i + 1] = 2 + 8 * opt.blocks.length;
        opt.blocks.forEach(([l, r], k) => {
          dv.setUint32(i + 2 + 8 * k, l >>> 0);
          dv.setUint32(i + 6 + 8 * k, r >>> 0);
        });
        break;
      case 'timestamps':
        bytes[i] = TCPOPT_TIMESTAMP;
        bytes[i + 1] = 10;
        dv.setUint32(i + 2, opt.tsval >>> 0);
        dv.setUint32(i + 6, opt.tsecr >>> 0);
        break;
      case 'unknown':
        bytes[i] = opt.type & 0xff;
        bytes[i + 1] = (2 + opt.data.length) & 0xff;
        bytes.set(opt.data, i + 2);
        break;
    }
    i += tcpOptionLen(opt);
  }
  return i;
}

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCPHDR_* bits. */
  flags: number;
  window: number;
  urgent?: number;
  options?: TcpOption[];
  /** A view of the data; emit copies it. */
  payload?: Uint8Array;
}

export class TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  urgent: number;
  options: TcpOption[];
  payload: Uint8Array;

  constructor(f: TcpFields) {
    this.srcPort = f.srcPort;
    this.dstPort = f.dstPort;
    this.seq = f.seq >>> 0;
    this.ack = f.ack >>> 0;
    this.flags = f.flags;
    this.window = f.window;
    this.urgent = f.urgent ?? 0;
    this.options = f.options ?? [];
    this.payload = f.payload ?? new Uint8Array(0);
  }

  /**
   * Reads a checked segment: null when options are malformed or, given
   * addresses, when the checksum is wrong.
   */
  static parse(pkt: TcpPacket, addrs?: { src: number; dst: number }): TcpRepr | null {
    if (TcpPacket.check(pkt.bytes) !== null) return null;
    if (addrs && !pkt.verifyChecksum(addrs.src, addrs.dst)) return null;
    const options = parseTcpOptions(pkt.options);
    if (options === null) return null;
    return new TcpRepr({
      srcPort: pkt.srcPort,
      dstPort: pkt.dstPort,
      seq: pkt.seq,
      ack: pkt.ack,
      flags: pkt.flags,
      window: pkt.window,
      urgent: pkt.urgent,
      options,
      payload: pkt.payload,
    });
  }

  /** Header length: options padded to a multiple of 4 (at most 60 in a valid header). */
  headerLen(): number {
    let n = 0;
    for (const o of this.options) n += tcpOptionLen(o);
    return TCP_HEADER_LEN + ((n + 3) & ~3);
  }

  bufferLen(): number {
    return this.headerLen() + this.payload.length;
  }

  /** Writes header, options (zero padded), data, and with addresses the checksum. */
  emit(pkt: TcpPacket, addrs?: { src: number; dst: number }): void {
    const hl = this.headerLen();
    pkt.srcPort = this.srcPort;
    pkt.dstPort = this.dstPort;
    pkt.seq = this.seq;
    pkt.ack = this.ack;
    pkt.bytes[12] = 0;
    pkt.dataOffset = hl / 4;
    pkt.flags = this.flags;
    pkt.window = this.window;
    pkt.checksum = 0;
    pkt.urgent = this.urgent;
    pkt.bytes.fill(0, TCP_HEADER_LEN, hl);
    emitTcpOptions(this.options, pkt.bytes.subarray(TCP_HEADER_LEN, hl));
    pkt.bytes.set(this.payload, hl);
    if (addrs) TcpPacket.newUnchecked(pkt.bytes.subarray(0, this.bufferLen())).fillChecksum(addrs.src, addrs.dst);
  }

  toBytes(addrs?: { src: number; dst: number }): Uint8Array {
    const buf = new Uint8Array(this.bufferLen());
    this.emit(TcpPacket.newUnchecked(buf), addrs);
    return buf;
  }
}
