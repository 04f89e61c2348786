// ARP (RFC 826, include/uapi/linux/if_arp.h). For Ethernet/IPv4 it is 28 bytes:
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        Hardware type          |        Protocol type          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     HLEN      |     PLEN      |          Operation            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Sender hardware address (HLEN) | Sender protocol address (PLEN)
// | Target hardware address (HLEN) | Target protocol address (PLEN)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The view handles any HLEN/PLEN; the representation is Ethernet/IPv4 only.

import { ETH_ALEN, EtherType } from './ethernet.ts';

export const ARPHRD_ETHER = 1;

/** ARP operations (ARPOP_* in if_arp.h); other values may appear on the wire. */
export const ArpOp = {
  REQUEST: 1,
  REPLY: 2,
} as const;

/** Fixed part before the addresses. */
export const ARP_HDR_LEN = 8;
/** Length of an Ethernet/IPv4 ARP packet. */
export const ARP_ETH_IPV4_LEN = 28;

const F = {
  HTYPE: [0, 2],
  PTYPE: [2, 4],
  HLEN: 4,
  PLEN: 5,
  OPER: [6, 8],
  SHA: 8,
} as const;

export class ArpPacket {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A view for emitting; the caller guarantees room for the whole packet. */
  static newUnchecked(bytes: Uint8Array): ArpPacket {
    return new ArpPacket(bytes);
  }

  /** Checks that the fixed header and both address pairs fit (arp_rcv's pskb_may_pull(arp_hdr_len)). */
  static newChecked(bytes: Uint8Array): ArpPacket | null {
    if (bytes.length < ARP_HDR_LEN) return null;
    const pkt = new ArpPacket(bytes);
    return bytes.length < pkt.packetLen ? null : pkt;
  }

  get htype(): number {
    return this.dv.getUint16(F.HTYPE[0]);
  }
  set htype(v: number) {
    this.dv.setUint16(F.HTYPE[0], v & 0xffff);
  }
  get ptype(): number {
    return this.dv.getUint16(F.PTYPE[0]);
  }
  set ptype(v: number) {
    this.dv.setUint16(F.PTYPE[0], v & 0xffff);
  }
  get hlen(): number {
    return this.dv.getUint8(F.HLEN);
  }
  set hlen(v: number) {
    this.dv.setUint8(F.HLEN, v & 0xff);
  }
  get plen(): number {
    return this.dv.getUint8(F.PLEN);
  }
  set plen(v: number) {
    this.dv.setUint8(F.PLEN, v & 0xff);
  }
  get op(): number {
    return this.dv.getUint16(F.OPER[0]);
  }
  set op(v: number) {
    this.dv.setUint16(F.OPER[0], v & 0xffff);
  }

  /** Header plus the four addresses, from HLEN and PLEN. */
  get packetLen(): number {
    return ARP_HDR_LEN + 2 * (this.hlen + this.plen);
  }

  private get spaAt(): number {
    return F.SHA + this.hlen;
  }
  private get thaAt(): number {
    return this.spaAt + this.plen;
  }
  private get tpaAt(): number {
    return this.thaAt + this.hlen;
  }

  /** Sender hardware address, a view. */
  get sha(): Uint8Array {
    return this.bytes.subarray(F.SHA, this.spaAt);
  }
  set sha(v: Uint8Array) {
    this.bytes.set(v.subarray(0, this.hlen), F.SHA);
  }
  /** Sender protocol address, a view. */
  get spaBytes(): Uint8Array {
    return this.bytes.subarray(this.spaAt, this.thaAt);
  }
  /** Target hardware address, a view. */
  get tha(): Uint8Array {
    return this.bytes.subarray(this.thaAt, this.tpaAt);
  }
  set tha(v: Uint8Array) {
    this.bytes.set(v.subarray(0, this.hlen), this.thaAt);
  }
  /** Target protocol address, a view. */
  get tpaBytes(): Uint8Array {
    return this.bytes.subarray(this.tpaAt, this.tpaAt + this.plen);
  }

  /** Sender IPv4 address; 0 unless PLEN is 4. */
  get spa(): number {
    return this.plen === 4 ? this.dv.getUint32(this.spaAt) : 0;
  }
  set spa(v: number) {
    this.dv.setUint32(this.spaAt, v >>> 0);
  }
  /** Target IPv4 address; 0 unless PLEN is 4. */
  get tpa(): number {
    return this.plen === 4 ? this.dv.getUint32(this.tpaAt) : 0;
  }
  set tpa(v: number) {
    this.dv.setUint32(this.tpaAt, v >>> 0);
  }
}

export interface ArpFields {
  op: number;
  sha: Uint8Array;
  spa: number;
  tha: Uint8Array;
  tpa: number;
}

/** An Ethernet/IPv4 ARP message. */
export class ArpRepr implements ArpFields {
  op: number;
  sha: Uint8Array;
  spa: number;
  tha: Uint8Array;
  tpa: number;

  constructor(f: ArpFields) {
    this.op = f.op;
    this.sha = f.sha;
    this.spa = f.spa >>> 0;
    this.tha = f.tha;
    this.tpa = f.tpa >>> 0;
  }

  /** Null unless the packet is Ethernet/IPv4 (htype 1, ptype 0x0800, hlen 6, plen 4). Copies the addresses. */
  static parse(pkt: ArpPacket): ArpRepr | null {
    if (pkt.htype !== ARPHRD_ETHER || pkt.ptype !== EtherType.IPV4) return null;
    if (pkt.hlen !== ETH_ALEN || pkt.plen !== 4) return null;
    if (pkt.bytes.length < ARP_ETH_IPV4_LEN) return null;
    return new ArpRepr({ op: pkt.op, sha: pkt.sha.slice(), spa: pkt.spa, tha: pkt.tha.slice(), tpa: pkt.tpa });
  }

  bufferLen(): number {
    return ARP_ETH_IPV4_LEN;
  }

  emit(pkt: ArpPacket): void {
    pkt.htype = ARPHRD_ETHER;
    pkt.ptype = EtherType.IPV4;
    pkt.hlen = ETH_ALEN;
    pkt.plen = 4;
    pkt.op = this.op;
    pkt.sha = this.sha;
    pkt.spa = this.spa;
    pkt.tha = this.tha;
    pkt.tpa = this.tpa;
  }

  /** A new buffer holding the emitted packet. */
  toBytes(): Uint8Array {
    const buf = new Uint8Array(this.bufferLen());
    this.emit(ArpPacket.newUnchecked(buf));
    return buf;
  }
}
