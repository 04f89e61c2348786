// Packet detail for the page: tcpdump -vv's line (our tcpdump printer), the
// headers layer by layer with every field, and a hex dump that knows which
// bytes belong to which layer. Bytes are untrusted: short headers stop the
// decode, never throw.
import {
  ARPH_HRD,
  ARPH_OP,
  ARPH_PRO,
  ARPOP_REPLY,
  ARPOP_REQUEST,
  ARP_ETH_IPV4_LEN,
  ARP_SHA,
  ARP_SIP,
  ARP_THA,
  ARP_TIP,
} from '../wire/arp.ts';
import { rd16 as u16, rd32 as u32, rd8 as u8 } from '../wire/bytes.ts';
import {
  ETH_ALEN,
  ETH_DEST,
  ETH_HLEN,
  ETH_P_8021Q,
  ETH_P_ARP,
  ETH_P_IP,
  ETH_P_IPV6,
  ETH_PROTO,
  ETH_SOURCE,
  formatMac,
} from '../wire/ethernet.ts';
import * as ICMP from '../wire/icmp.ts';
import {
  ICMPH_CHECKSUM,
  ICMPH_CODE,
  ICMPH_ECHO_ID,
  ICMPH_ECHO_SEQUENCE,
  ICMPH_FRAG_MTU,
  ICMPH_GATEWAY,
  ICMPH_TYPE,
  ICMP_HEADER_LEN,
} from '../wire/icmp.ts';
import {
  IPH_CHECK,
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TOT_LEN,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_HEADER_LEN,
  IP_CE,
  IP_DF,
  IP_MF,
  IP_OFFSET,
  ipv4ToString,
} from '../wire/ipv4.ts';
import {
  TCPH_ACK_SEQ,
  TCPH_CHECK,
  TCPH_DEST,
  TCPH_DOFF,
  TCPH_FLAGS,
  TCPH_SEQ,
  TCPH_SOURCE,
  TCPH_URG_PTR,
  TCPH_WINDOW,
  TCP_HEADER_LEN,
} from '../wire/tcp.ts';
import { UDPH_CHECK, UDPH_DEST, UDPH_LEN, UDPH_SOURCE, UDP_HEADER_LEN } from '../wire/udp.ts';
import type { UiEvent } from './engine.ts';
import { Printer } from '../userspace/tcpdump/print.ts';

export interface Layer {
  name: string;
  /** Byte range in the frame. */
  start: number;
  end: number;
  fields: [string, string][];
}

export interface Decoded {
  /** The bytes shown (a frame from the MAC header, or the packet from the IP header). */
  bytes: Uint8Array;
  /** tcpdump -vv (with -e when there is a link-layer header) for these bytes. */
  tcpdump: string;
  layers: Layer[];
}

const ip = (b: Uint8Array, o: number): string => ipv4ToString(u32(b, o));
const mac = (b: Uint8Array, o: number): string => formatMac(b.subarray(o, o + ETH_ALEN));
const hx = (n: number, w: number): string => `0x${n.toString(16).padStart(w, '0')}`;

const ETHERTYPE: Record<number, string> = { [ETH_P_IP]: 'IPv4', [ETH_P_ARP]: 'ARP', [ETH_P_IPV6]: 'IPv6', [ETH_P_8021Q]: '802.1Q' };
const PROTO: Record<number, string> = { [IPPROTO_ICMP]: 'ICMP', [IPPROTO_IGMP]: 'IGMP', [IPPROTO_TCP]: 'TCP', [IPPROTO_UDP]: 'UDP' };
const ICMP_TYPE: Record<number, string> = {
  [ICMP.ICMP_ECHOREPLY]: 'echo reply',
  [ICMP.ICMP_DEST_UNREACH]: 'destination unreachable',
  [ICMP.ICMP_SOURCE_QUENCH]: 'source quench',
  [ICMP.ICMP_REDIRECT]: 'redirect',
  [ICMP.ICMP_ECHO]: 'echo request',
  [ICMP.ICMP_TIME_EXCEEDED]: 'time exceeded',
  [ICMP.ICMP_PARAMETERPROB]: 'parameter problem',
  [ICMP.ICMP_TIMESTAMP]: 'timestamp',
  [ICMP.ICMP_TIMESTAMPREPLY]: 'timestamp reply',
};

/** The event's bytes as the page shows them, and whether they start with an Ethernet header. */
export function packetBytes(e: UiEvent): { bytes: Uint8Array; l2: boolean } {
  if (e.l3 >= ETH_HLEN) return { bytes: e.bytes.subarray(e.l3 - ETH_HLEN), l2: true };
  if (e.l3 === -1) return { bytes: e.bytes, l2: true };
  return { bytes: e.bytes.subarray(e.l3), l2: false };
}

function tcpdumpLine(bytes: Uint8Array, l2: boolean, protocol: number): string {
  const p = new Printer({ eflag: l2, vflag: 2, nflag: 1, qflag: false, xflag: 0, Xflag: 0, Sflag: true, tflag: 1 });
  if (l2) return p.packet(bytes, bytes.length).trim();
  // no link-layer header yet: print the network layer the way tcpdump prints it after the Ethernet part
  const f = new Uint8Array(ETH_HLEN + bytes.length);
  f[ETH_PROTO] = (protocol >> 8) & 0xff;
  f[ETH_PROTO + 1] = protocol & 0xff;
  f.set(bytes, ETH_HLEN);
  return p.packet(f, f.length).trim();
}

function l4(b: Uint8Array, o: number, proto: number, end: number, layers: Layer[]): void {
  if (proto === IPPROTO_ICMP && end - o >= 4) {
    const t = u8(b, o + ICMPH_TYPE);
    const code = u8(b, o + ICMPH_CODE);
    const f: [string, string][] = [
      ['type', `${t} (${ICMP_TYPE[t] ?? 'unknown'})`],
      ['code', String(code)],
      ['checksum', hx(u16(b, o + ICMPH_CHECKSUM), 4)],
    ];
    if ((t === ICMP.ICMP_ECHOREPLY || t === ICMP.ICMP_ECHO) && end - o >= ICMP_HEADER_LEN)
      f.push(['id', String(u16(b, o + ICMPH_ECHO_ID))], ['sequence', String(u16(b, o + ICMPH_ECHO_SEQUENCE))]);
    if (t === ICMP.ICMP_DEST_UNREACH && code === ICMP.ICMP_FRAG_NEEDED) f.push(['next-hop MTU', String(u16(b, o + ICMPH_FRAG_MTU))]);
    if (t === ICMP.ICMP_REDIRECT) f.push(['gateway', ip(b, o + ICMPH_GATEWAY)]);
    layers.push({ name: 'ICMP', start: o, end: Math.min(end, o + ICMP_HEADER_LEN), fields: f });
    const error =
      t === ICMP.ICMP_DEST_UNREACH || t === ICMP.ICMP_TIME_EXCEEDED || t === ICMP.ICMP_REDIRECT || t === ICMP.ICMP_PARAMETERPROB;
    if (error && end - o >= ICMP_HEADER_LEN + IPV4_HEADER_LEN) ipv4(b, o + ICMP_HEADER_LEN, end, layers, 'inner IPv4');
  } else if (proto === IPPROTO_UDP && end - o >= UDP_HEADER_LEN) {
    layers.push({
      name: 'UDP',
      start: o,
      end: o + UDP_HEADER_LEN,
      fields: [
        ['source port', String(u16(b, o + UDPH_SOURCE))],
        ['destination port', String(u16(b, o + UDPH_DEST))],
        ['length', String(u16(b, o + UDPH_LEN))],
        ['checksum', hx(u16(b, o + UDPH_CHECK), 4)],
      ],
    });
  } else if (proto === IPPROTO_TCP && end - o >= TCP_HEADER_LEN) {
    const off = (u8(b, o + TCPH_DOFF) >> 4) * 4;
    const fl = u8(b, o + TCPH_FLAGS);
    const names = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'].filter((_, i) => fl & (1 << i));
    layers.push({
      name: 'TCP',
      start: o,
      end: Math.min(end, o + Math.max(TCP_HEADER_LEN, off)),
      fields: [
        ['source port', String(u16(b, o + TCPH_SOURCE))],
        ['destination port', String(u16(b, o + TCPH_DEST))],
        ['sequence', String(u32(b, o + TCPH_SEQ))],
        ['ack', String(u32(b, o + TCPH_ACK_SEQ))],
        ['data offset', `${off} bytes`],
        ['flags', `${hx(fl, 2)} [${names.join(' ')}]`],
        ['window', String(u16(b, o + TCPH_WINDOW))],
        ['checksum', hx(u16(b, o + TCPH_CHECK), 4)],
        ['urgent', String(u16(b, o + TCPH_URG_PTR))],
      ],
    });
  }
}

function ipv4(b: Uint8Array, o: number, end: number, layers: Layer[], name = 'IPv4'): void {
  if (end - o < IPV4_HEADER_LEN) return;
  const ihl = (u8(b, o + IPH_VERSION_IHL) & 15) * 4;
  const tot = u16(b, o + IPH_TOT_LEN);
  const frag = u16(b, o + IPH_FRAG_OFF);
  const flags = [frag & IP_CE ? 'RF' : '', frag & IP_DF ? 'DF' : '', frag & IP_MF ? 'MF' : ''].filter(Boolean);
  const proto = u8(b, o + IPH_PROTOCOL);
  layers.push({
    name,
    start: o,
    end: Math.min(end, o + Math.max(IPV4_HEADER_LEN, ihl)),
    fields: [
      ['version', String(u8(b, o + IPH_VERSION_IHL) >> 4)],
      ['header length', `${ihl} bytes`],
      ['tos', hx(u8(b, o + IPH_TOS), 2)],
      ['total length', String(tot)],
      ['id', String(u16(b, o + IPH_ID))],
      ['flags', flags.length ? flags.join(' ') : 'none'],
      ['fragment offset', String((frag & IP_OFFSET) * 8)],
      ['ttl', String(u8(b, o + IPH_TTL))],
      ['protocol', `${proto} (${PROTO[proto] ?? '?'})`],
      ['header checksum', hx(u16(b, o + IPH_CHECK), 4)],
      ['source', ip(b, o + IPH_SADDR)],
      ['destination', ip(b, o + IPH_DADDR)],
    ],
  });
  if (name !== 'IPv4' || (frag & IP_OFFSET) !== 0) return;
  l4(b, o + ihl, proto, Math.min(end, o + Math.max(tot, ihl)), layers);
}

function arp(b: Uint8Array, o: number, layers: Layer[]): void {
  if (b.length - o < ARP_ETH_IPV4_LEN) return;
  const op = u16(b, o + ARPH_OP);
  layers.push({
    name: 'ARP',
    start: o,
    end: o + ARP_ETH_IPV4_LEN,
    fields: [
      ['hardware type', String(u16(b, o + ARPH_HRD))],
      ['protocol type', hx(u16(b, o + ARPH_PRO), 4)],
      ['operation', `${op} (${op === ARPOP_REQUEST ? 'request' : op === ARPOP_REPLY ? 'reply' : '?'})`],
      ['sender MAC', mac(b, o + ARP_SHA)],
      ['sender IP', ip(b, o + ARP_SIP)],
      ['target MAC', mac(b, o + ARP_THA)],
      ['target IP', ip(b, o + ARP_TIP)],
    ],
  });
}

export function decode(e: UiEvent): Decoded {
  const { bytes, l2 } = packetBytes(e);
  const layers: Layer[] = [];
  let type = e.protocol;
  let o = 0;
  if (l2 && bytes.length >= ETH_HLEN) {
    type = u16(bytes, ETH_PROTO);
    layers.push({
      name: 'Ethernet',
      start: 0,
      end: ETH_HLEN,
      fields: [
        ['destination', mac(bytes, ETH_DEST)],
        ['source', mac(bytes, ETH_SOURCE)],
        ['type', `${hx(type, 4)} (${ETHERTYPE[type] ?? 'unknown'})`],
      ],
    });
    o = ETH_HLEN;
  }
  if (type === ETH_P_IP) ipv4(bytes, o, bytes.length, layers);
  else if (type === ETH_P_ARP) arp(bytes, o, layers);
  return { bytes, tcpdump: tcpdumpLine(bytes, l2, e.protocol), layers };
}

/** `-xx`-style rows: offset, 16 bytes, each byte tagged with the index of its layer (-1 for payload). */
export function hexRows(d: Decoded): { off: string; cells: { text: string; layer: number }[]; ascii: string }[] {
  const rows: { off: string; cells: { text: string; layer: number }[]; ascii: string }[] = [];
  const layerAt = (i: number): number => {
    for (let k = d.layers.length - 1; k >= 0; k--) {
      const l = d.layers[k] as Layer;
      if (i >= l.start && i < l.end) return k;
    }
    return -1;
  };
  for (let i = 0; i < d.bytes.length; i += 16) {
    const cells: { text: string; layer: number }[] = [];
    let ascii = '';
    for (let j = i; j < Math.min(i + 16, d.bytes.length); j++) {
      const v = d.bytes[j] as number;
      cells.push({ text: v.toString(16).padStart(2, '0'), layer: layerAt(j) });
      ascii += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
    }
    rows.push({ off: `0x${i.toString(16).padStart(4, '0')}`, cells, ascii });
  }
  return rows;
}
