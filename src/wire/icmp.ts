// ICMPv4 (RFC 792, RFC 1191 for the next-hop MTU; include/uapi/linux/icmp.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      |     Code      |          Checksum             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  echo: Identifier             |  Sequence Number              |
// |  unreach: unused              |  Next-Hop MTU (frag needed)   |
// |  redirect: Gateway Internet Address                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Data: echo payload, or the offending IP header + its first   |
// |  bytes for errors                                             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The checksum covers the whole ICMP message.

import { internetChecksum } from './checksum.ts';

// Types.
export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;
export const ICMP_TIMESTAMP = 13;
export const ICMP_TIMESTAMPREPLY = 14;
export const ICMP_INFO_REQUEST = 15;
export const ICMP_INFO_REPLY = 16;
export const ICMP_ADDRESS = 17;
export const ICMP_ADDRESSREPLY = 18;
export const NR_ICMP_TYPES = 18;

// Codes for ICMP_DEST_UNREACH.
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_SR_FAILED = 5;
export const ICMP_NET_UNKNOWN = 6;
export const ICMP_HOST_UNKNOWN = 7;
export const ICMP_HOST_ISOLATED = 8;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_NET_UNR_TOS = 11;
export const ICMP_HOST_UNR_TOS = 12;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_PREC_VIOLATION = 14;
export const ICMP_PREC_CUTOFF = 15;
export const NR_ICMP_UNREACH = 15;

// Codes for ICMP_REDIRECT.
export const ICMP_REDIR_NET = 0;
export const ICMP_REDIR_HOST = 1;
export const ICMP_REDIR_NETTOS = 2;
export const ICMP_REDIR_HOSTTOS = 3;

// Codes for ICMP_TIME_EXCEEDED.
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

export const ICMP_HEADER_LEN = 8;

const F = {
  TYPE: 0,
  CODE: 1,
  CHECKSUM: [2, 4],
  ECHO_IDENT: [4, 6],
  ECHO_SEQNO: [6, 8],
  UNUSED: [4, 6],
  MTU: [6, 8],
  GATEWAY: [4, 8],
  REST: [4, 8],
  DATA: 8,
} as const;

/** A view of one ICMP message; its bytes are exactly the message (the IP payload). */
export class Icmpv4Packet {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  static newUnchecked(bytes: Uint8Array): Icmpv4Packet {
    return new Icmpv4Packet(bytes);
  }

  /** A view when the 8-byte header fits (icmp_rcv's pskb_pull of sizeof(struct icmphdr)). */
  static newChecked(bytes: Uint8Array): Icmpv4Packet | null {
    return bytes.length < ICMP_HEADER_LEN ? null : new Icmpv4Packet(bytes);
  }

  get type(): number {
    return this.dv.getUint8(F.TYPE);
  }
  set type(v: number) {
    this.dv.setUint8(F.TYPE, v & 0xff);
  }
  get code(): number {
    return this.dv.getUint8(F.CODE);
  }
  set code(v: number) {
    this.dv.setUint8(F.CODE, v & 0xff);
  }
  get checksum(): number {
    return this.dv.getUint16(F.CHECKSUM[0]);
  }
  set checksum(v: number) {
    this.dv.setUint16(F.CHECKSUM[0], v & 0xffff);
  }
  /** Echo identifier. */
  get echoIdent(): number {
    return this.dv.getUint16(F.ECHO_IDENT[0]);
  }
  set echoIdent(v: number) {
    this.dv.setUint16(F.ECHO_IDENT[0], v & 0xffff);
  }
  /** Echo sequence number. */
  get echoSeqNo(): number {
    return this.dv.getUint16(F.ECHO_SEQNO[0]);
  }
  set echoSeqNo(v: number) {
    this.dv.setUint16(F.ECHO_SEQNO[0], v & 0xffff);
  }
  /** Next-hop MTU of a "fragmentation needed" (icmph->un.frag.mtu). */
  get nextHopMtu(): number {
    return this.dv.getUint16(F.MTU[0]);
  }
  set nextHopMtu(v: number) {
    this.dv.setUint16(F.MTU[0], v & 0xffff);
  }
  /** Redirect gateway (icmph->un.gateway). */
  get gateway(): number {
    return this.dv.getUint32(F.GATEWAY[0]);
  }
  set gateway(v: number) {
    this.dv.setUint32(F.GATEWAY[0], v >>> 0);
  }
  /** The second header word, whatever the type. */
  get rest(): number {
    return this.dv.getUint32(F.REST[0]);
  }
  set rest(v: number) {
    this.dv.setUint32(F.REST[0], v >>> 0);
  }
  /** Everything after the 8-byte header, a view. */
  get data(): Uint8Array {
    return this.bytes.subarray(F.DATA);
  }

  verifyChecksum(): boolean {
    return internetChecksum(this.bytes) === 0;
  }
  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes);
  }
}

/**
 * An ICMPv4 message. `data` is a view: the echo payload, or for errors the
 * quoted datagram (its IP header and first bytes).
 */
export type Icmpv4Repr =
  | { kind: 'echo-request'; ident: number; seqNo: number; data: Uint8Array }
  | { kind: 'echo-reply'; ident: number; seqNo: number; data: Uint8Array }
  | { kind: 'dest-unreachable'; code: number; nextHopMtu: number; data: Uint8Array }
  | { kind: 'time-exceeded'; code: number; data: Uint8Array }
  | { kind: 'redirect'; code: number; gateway: number; data: Uint8Array }
  | { kind: 'other'; type: number; code: number; rest: number; data: Uint8Array };

/** The type number of a representation. */
function typeOf(repr: Icmpv4Repr): number {
  switch (repr.kind) {
    case 'echo-request':
      return ICMP_ECHO;
    case 'echo-reply':
      return ICMP_ECHOREPLY;
    case 'dest-unreachable':
      return ICMP_DEST_UNREACH;
    case 'time-exceeded':
      return ICMP_TIME_EXCEEDED;
    case 'redirect':
      return ICMP_REDIRECT;
    case 'other':
      return repr.type;
  }
}

/** Parse, emit and size an `Icmpv4Repr` (a union, so functions rather than methods). */
export const Icmpv4Repr = {
  /** Null when the checksum is wrong, unless `ignoreChecksum`. */
  parse(pkt: Icmpv4Packet, opts: { ignoreChecksum?: boolean } = {}): Icmpv4Repr | null {
    if (pkt.bytes.length < ICMP_HEADER_LEN) return null;
    if (!opts.ignoreChecksum && !pkt.verifyChecksum()) return null;
    const data = pkt.data;
    switch (pkt.type) {
      case ICMP_ECHO:
        return { kind: 'echo-request', ident: pkt.echoIdent, seqNo: pkt.echoSeqNo, data };
      case ICMP_ECHOREPLY:
        return { kind: 'echo-reply', ident: pkt.echoIdent, seqNo: pkt.echoSeqNo, data };
      case ICMP_DEST_UNREACH:
        return { kind: 'dest-unreachable', code: pkt.code, nextHopMtu: pkt.nextHopMtu, data };
      case ICMP_TIME_EXCEEDED:
        return { kind: 'time-exceeded', code: pkt.code, data };
      case ICMP_REDIRECT:
        return { kind: 'redirect', code: pkt.code, gateway: pkt.gateway, data };
      default:
        return { kind: 'other', type: pkt.type, code: pkt.code, rest: pkt.rest, data };
    }
  },

  bufferLen(repr: Icmpv4Repr): number {
    return ICMP_HEADER_LEN + repr.data.length;
  },

  /** Writes the message, data included, and its checksum. */
  emit(repr: Icmpv4Repr, pkt: Icmpv4Packet): void {
    pkt.type = typeOf(repr);
    pkt.rest = 0;
    switch (repr.kind) {
      case 'echo-request':
      case 'echo-reply':
        pkt.code = 0;
        pkt.echoIdent = repr.ident;
        pkt.echoSeqNo = repr.seqNo;
        break;
      case 'dest-unreachable':
        pkt.code = repr.code;
        pkt.nextHopMtu = repr.nextHopMtu;
        break;
      case 'time-exceeded':
        pkt.code = repr.code;
        break;
      case 'redirect':
        pkt.code = repr.code;
        pkt.gateway = repr.gateway;
        break;
      case 'other':
        pkt.code = repr.code;
        pkt.rest = repr.rest;
        break;
    }
    pkt.bytes.set(repr.data, ICMP_HEADER_LEN);
    const len = ICMP_HEADER_LEN + repr.data.length;
    const msg = Icmpv4Packet.newUnchecked(pkt.bytes.subarray(0, len));
    msg.fillChecksum();
  },

  /** A new buffer holding the emitted message. */
  toBytes(repr: Icmpv4Repr): Uint8Array {
    const buf = new Uint8Array(Icmpv4Repr.bufferLen(repr));
    Icmpv4Repr.emit(repr, Icmpv4Packet.newUnchecked(buf));
    return buf;
  },
};
