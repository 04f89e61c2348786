// Ethernet II frame (IEEE 802.3, include/uapi/linux/if_ether.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                  Destination MAC (6 octets)                  |
// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                               |                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
// |                    Source MAC (6 octets)                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          EtherType            |  Payload ...
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

export const ETH_ALEN = 6;
export const ETH_HLEN = 14;
/** Minimum frame length without FCS. */
export const ETH_ZLEN = 60;
export const ETH_DATA_LEN = 1500;
export const ETH_FRAME_LEN = 1514;

/** EtherType values (ETH_P_* in if_ether.h). Any other 16-bit value may appear. */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPV6: 0x86dd,
} as const;
export type EtherTypeName = keyof typeof EtherType;

const F = {
  DST: [0, 6],
  SRC: [6, 12],
  ETHERTYPE: 12,
  PAYLOAD: 14,
} as const;

/** A view of an Ethernet II frame over caller-owned bytes. */
export class EthernetFrame {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A view for emitting; the caller guarantees at least ETH_HLEN bytes. */
  static newUnchecked(bytes: Uint8Array): EthernetFrame {
    return new EthernetFrame(bytes);
  }

  static newChecked(bytes: Uint8Array): EthernetFrame | null {
    return bytes.length < ETH_HLEN ? null : new EthernetFrame(bytes);
  }

  get headerLen(): number {
    return ETH_HLEN;
  }

  /** The destination address, a view into the frame. */
  get dst(): Uint8Array {
    return this.bytes.subarray(F.DST[0], F.DST[1]);
  }
  set dst(mac: Uint8Array) {
    this.bytes.set(mac.subarray(0, ETH_ALEN), F.DST[0]);
  }

  /** The source address, a view into the frame. */
  get src(): Uint8Array {
    return this.bytes.subarray(F.SRC[0], F.SRC[1]);
  }
  set src(mac: Uint8Array) {
    this.bytes.set(mac.subarray(0, ETH_ALEN), F.SRC[0]);
  }

  get ethertype(): number {
    return this.dv.getUint16(F.ETHERTYPE);
  }
  set ethertype(v: number) {
    this.dv.setUint16(F.ETHERTYPE, v & 0xffff);
  }

  get payload(): Uint8Array {
    return this.bytes.subarray(F.PAYLOAD);
  }
}

/** The header fields of a frame; the payload travels separately. */
export class EthernetRepr {
  src: Uint8Array;
  dst: Uint8Array;
  ethertype: number;

  constructor(f: { src: Uint8Array; dst: Uint8Array; ethertype: number }) {
    this.src = f.src;
    this.dst = f.dst;
    this.ethertype = f.ethertype;
  }

  /** Copies the addresses out of the frame. */
  static parse(frame: EthernetFrame): EthernetRepr {
    return new EthernetRepr({ src: frame.src.slice(), dst: frame.dst.slice(), ethertype: frame.ethertype });
  }

  bufferLen(payloadLen = 0): number {
    return ETH_HLEN + payloadLen;
  }

  emit(frame: EthernetFrame): void {
    frame.dst = this.dst;
    frame.src = this.src;
    frame.ethertype = this.ethertype;
  }
}

/**
 * Parses "02:00:00:00:00:0a" (one or two hex digits per octet, as iproute2's
 * ll_addr_a2n accepts) into six bytes, or null.
 */
export function parseMac(s: string): Uint8Array | null {
  const parts = s.split(':');
  if (parts.length !== ETH_ALEN) return null;
  const out = new Uint8Array(ETH_ALEN);
  for (let i = 0; i < ETH_ALEN; i++) {
    const p = parts[i] as string;
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return null;
    out[i] = parseInt(p, 16);
  }
  return out;
}

/** Formats an address as lowercase "xx:xx:xx:xx:xx:xx". */
export function formatMac(mac: Uint8Array): string {
  let s = '';
  for (let i = 0; i < ETH_ALEN; i++) {
    if (i > 0) s += ':';
    s += (mac[i] ?? 0).toString(16).padStart(2, '0');
  }
  return s;
}

/** A fresh ff:ff:ff:ff:ff:ff (a new array each call: nothing shared to scribble on). */
export function broadcastMac(): Uint8Array {
  return new Uint8Array(ETH_ALEN).fill(0xff);
}

export function isBroadcast(mac: Uint8Array): boolean {
  for (let i = 0; i < ETH_ALEN; i++) if (mac[i] !== 0xff) return false;
  return true;
}

/** The group bit (is_multicast_ether_addr); true for broadcast as well. */
export function isMulticast(mac: Uint8Array): boolean {
  return ((mac[0] ?? 0) & 0x01) !== 0;
}

export function isZeroMac(mac: Uint8Array): boolean {
  for (let i = 0; i < ETH_ALEN; i++) if (mac[i] !== 0) return false;
  return true;
}

export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < ETH_ALEN; i++) if (a[i] !== b[i]) return false;
  return true;
}
