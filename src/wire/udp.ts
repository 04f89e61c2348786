// UDP (RFC 768, include/uapi/linux/udp.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Source Port          |       Destination Port        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            Length             |           Checksum            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                          data octets ...
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Over IPv4 a checksum of 0 means "none"; a computed 0 is sent as 0xffff.

import { checksumAdd, checksumFinish, pseudoHeaderSumV4 } from './checksum.ts';
import { IpProtocol } from './ipv4.ts';

export const UDP_HEADER_LEN = 8;

const F = {
  SRC_PORT: [0, 2],
  DST_PORT: [2, 4],
  LENGTH: [4, 6],
  CHECKSUM: [6, 8],
  PAYLOAD: 8,
} as const;

export type UdpError =
  | 'truncated' //  fewer than 8 bytes
  | 'bad-length' // length field < 8
  | 'length-overflow'; // length field > bytes available

export class UdpPacket {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  static newUnchecked(bytes: Uint8Array): UdpPacket {
    return new UdpPacket(bytes);
  }

  /** The reason bytes are not a UDP datagram, as __udp4_lib_rcv's short_packet checks. */
  static check(bytes: Uint8Array): UdpError | null {
    if (bytes.length < UDP_HEADER_LEN) return 'truncated';
    const len = ((bytes[4] as number) << 8) | (bytes[5] as number);
    if (len < UDP_HEADER_LEN) return 'bad-length';
    if (len > bytes.length) return 'length-overflow';
    return null;
  }

  static newChecked(bytes: Uint8Array): UdpPacket | null {
    return UdpPacket.check(bytes) === null ? new UdpPacket(bytes) : null;
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
  /** Header plus data, from the length field. */
  get len(): number {
    return this.dv.getUint16(F.LENGTH[0]);
  }
  set len(v: number) {
    this.dv.setUint16(F.LENGTH[0], v & 0xffff);
  }
  get checksum(): number {
    return this.dv.getUint16(F.CHECKSUM[0]);
  }
  set checksum(v: number) {
    this.dv.setUint16(F.CHECKSUM[0], v & 0xffff);
  }
  /** The data up to the length field, a view. */
  get payload(): Uint8Array {
    return this.bytes.subarray(F.PAYLOAD, Math.max(F.PAYLOAD, this.len));
  }

  /** The checksum this datagram should carry (never 0: a 0 result becomes 0xffff). */
  computeChecksum(src: number, dst: number): number {
    const len = Math.min(this.len, this.bytes.length);
    let sum = pseudoHeaderSumV4(src, dst, IpProtocol.UDP, len);
    sum = checksumAdd(sum, this.bytes, 0, F.CHECKSUM[0]);
    sum = checksumAdd(sum, this.bytes, F.CHECKSUM[1], len);
    const c = checksumFinish(sum);
    return c === 0 ? 0xffff : c;
  }

  /** True when the checksum is absent (0) or right. */
  verifyChecksum(src: number, dst: number): boolean {
    return this.checksum === 0 || this.computeChecksum(src, dst) === this.checksum;
  }

  fillChecksum(src: number, dst: number): void {
    this.checksum = this.computeChecksum(src, dst);
  }
}

export interface UdpFields {
  srcPort: number;
  dstPort: number;
  /** A view of the data; emit copies it. */
  payload: Uint8Array;
}

export class UdpRepr implements UdpFields {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;

  constructor(f: UdpFields) {
    this.srcPort = f.srcPort;
    this.dstPort = f.dstPort;
    this.payload = f.payload;
  }

  /**
   * Reads a checked datagram; with addresses, null when the checksum is
   * wrong (a zero checksum is accepted).
   */
  static parse(pkt: UdpPacket, addrs?: { src: number; dst: number }): UdpRepr | null {
    if (UdpPacket.check(pkt.bytes) !== null) return null;
    if (addrs && !pkt.verifyChecksum(addrs.src, addrs.dst)) return null;
    return new UdpRepr({ srcPort: pkt.srcPort, dstPort: pkt.dstPort, payload: pkt.payload });
  }

  bufferLen(): number {
    return UDP_HEADER_LEN + this.payload.length;
  }

  /** Writes header and data; with addresses fills the checksum, else leaves it 0. */
  emit(pkt: UdpPacket, addrs?: { src: number; dst: number }): void {
    pkt.srcPort = this.srcPort;
    pkt.dstPort = this.dstPort;
    pkt.len = this.bufferLen();
    pkt.checksum = 0;
    pkt.bytes.set(this.payload, UDP_HEADER_LEN);
    if (addrs) pkt.fillChecksum(addrs.src, addrs.dst);
  }

  toBytes(addrs?: { src: number; dst: number }): Uint8Array {
    const buf = new Uint8Array(this.bufferLen());
    this.emit(UdpPacket.newUnchecked(buf), addrs);
    return buf;
  }
}
