// Packet detail for the page: tcpdump -vv's line (our tcpdump printer), the
// headers layer by layer with every field, and a hex dump that knows which
// bytes belong to which layer. Bytes are untrusted: short headers stop the
// decode, never throw.
import { formatMac } from '../wire/ethernet.ts';
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

const u8 = (b: Uint8Array, o: number): number => b[o] ?? 0;
const u16 = (b: Uint8Array, o: number): number => (u8(b, o) << 8) | u8(b, o + 1);
const u32 = (b: Uint8Array, o: number): number => ((u8(b, o) << 24) | (u8(b, o + 1) << 16) | (u8(b, o + 2) << 8) | u8(b, o + 3)) >>> 0;
const ip = (b: Uint8Array, o: number): string => `${u8(b, o)}.${u8(b, o + 1)}.${u8(b, o + 2)}.${u8(b, o + 3)}`;
const mac = (b: Uint8Array, o: number): string => formatMac(b.subarray(o, o + 6));
const hx = (n: number, w: number): string => `0x${n.toString(16).padStart(w, '0')}`;

const ETHERTYPE: Record<number, string> = { 0x0800: 'IPv4', 0x0806: 'ARP', 0x86dd: 'IPv6', 0x8100: '802.1Q' };
const PROTO: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP' };
const ICMP_TYPE: Record<number, string> = { 0: 'echo reply', 3: 'destination unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request', 11: 'time exceeded', 12: 'parameter problem', 13: 'timestamp', 14: 'timestamp reply' };

/** The event's bytes as the page shows them, and whether they start with an Ethernet header. */
export function packetBytes(e: UiEvent): { bytes: Uint8Array; l2: boolean } {
  if (e.l3 >= 14) return { bytes: e.bytes.subarray(e.l3 - 14), l2: true };
  if (e.l3 === -1) return { bytes: e.bytes, l2: true };
  return { bytes: e.bytes.subarray(e.l3), l2: false };
}

function tcpdumpLine(bytes: Uint8Array, l2: boolean, protocol: number): string {
  const p = new Printer({ eflag: l2, vflag: 2, nflag: 1, qflag: false, xflag: 0, Xflag: 0, Sflag: true, tflag: 1 });
  if (l2) return p.packet(bytes, bytes.length).trim();
  // no link-layer header yet: print the network layer the way tcpdump prints it after the Ethernet part
  const f = new Uint8Array(14 + bytes.length);
  f[12] = (protocol >> 8) & 0xff;
  f[13] = protocol & 0xff;
  f.set(bytes, 14);
  return p.packet(f, f.length).trim();
}

function l4(b: Uint8Array, o: number, proto: number, end: number, layers: Layer[]): void {
  if (proto === 1 && end - o >= 4) {
    const t = u8(b, o);
    const f: [string, string][] = [
      ['type', `${t} (${ICMP_TYPE[t] ?? 'unknown'})`],
      ['code', String(u8(b, o + 1))],
      ['checksum', hx(u16(b, o + 2), 4)],
    ];
    if ((t === 0 || t === 8) && end - o >= 8) f.push(['id', String(u16(b, o + 4))], ['sequence', String(u16(b, o + 6))]);
    if (t === 3 && u8(b, o + 1) === 4) f.push(['next-hop MTU', String(u16(b, o + 6))]);
    if (t === 5) f.push(['gateway', ip(b, o + 4)]);
    layers.push({ name: 'ICMP', start: o, end: Math.min(end, o + 8), fields: f });
    if ((t === 3 || t === 11 || t === 5 || t === 12) && end - o >= 28) ipv4(b, o + 8, end, layers, 'inner IPv4');
  } else if (proto === 17 && end - o >= 8) {
    layers.push({ name: 'UDP', start: o, end: o + 8, fields: [['source port', String(u16(b, o))], ['destination port', String(u16(b, o + 2))], ['length', String(u16(b, o + 4))], ['checksum', hx(u16(b, o + 6), 4)]] });
  } else if (proto === 6 && end - o >= 20) {
    const off = (u8(b, o + 12) >> 4) * 4;
    const fl = u8(b, o + 13);
    const names = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'].filter((_, i) => fl & (1 << i));
    layers.push({
      name: 'TCP',
      start: o,
      end: Math.min(end, o + Math.max(20, off)),
      fields: [
        ['source port', String(u16(b, o))], ['destination port', String(u16(b, o + 2))],
        ['sequence', String(u32(b, o + 4))], ['ack', String(u32(b, o + 8))],
        ['data offset', `${off} bytes`], ['flags', `${hx(fl, 2)} [${names.join(' ')}]`],
        ['window', String(u16(b, o + 14))], ['checksum', hx(u16(b, o + 16), 4)], ['urgent', String(u16(b, o + 18))],
      ],
    });
  }
}

function ipv4(b: Uint8Array, o: number, end: number, layers: Layer[], name = 'IPv4'): void {
  if (end - o < 20) return;
  const ihl = (u8(b, o) & 15) * 4;
  const tot = u16(b, o + 2);
  const frag = u16(b, o + 6);
  const flags = [frag & 0x8000 ? 'RF' : '', frag & 0x4000 ? 'DF' : '', frag & 0x2000 ? 'MF' : ''].filter(Boolean);
  const proto = u8(b, o + 9);
  layers.push({
    name,
    start: o,
    end: Math.min(end, o + Math.max(20, ihl)),
    fields: [
      ['version', String(u8(b, o) >> 4)], ['header length', `${ihl} bytes`], ['tos', hx(u8(b, o + 1), 2)],
      ['total length', String(tot)], ['id', String(u16(b, o + 4))], ['flags', flags.length ? flags.join(' ') : 'none'],
      ['fragment offset', String((frag & 0x1fff) * 8)], ['ttl', String(u8(b, o + 8))], ['protocol', `${proto} (${PROTO[proto] ?? '?'})`],
      ['header checksum', hx(u16(b, o + 10), 4)], ['source', ip(b, o + 12)], ['destination', ip(b, o + 16)],
    ],
  });
  if (name !== 'IPv4' || (frag & 0x1fff) !== 0) return;
  l4(b, o + ihl, proto, Math.min(end, o + Math.max(tot, ihl)), layers);
}

function arp(b: Uint8Array, o: number, layers: Layer[]): void {
  if (b.length - o < 28) return;
  const op = u16(b, o + 6);
  layers.push({
    name: 'ARP',
    start: o,
    end: o + 28,
    fields: [
      ['hardware type', String(u16(b, o))], ['protocol type', hx(u16(b, o + 2), 4)], ['operation', `${op} (${op === 1 ? 'request' : op === 2 ? 'reply' : '?'})`],
      ['sender MAC', mac(b, o + 8)], ['sender IP', ip(b, o + 14)], ['target MAC', mac(b, o + 18)], ['target IP', ip(b, o + 24)],
    ],
  });
}

export function decode(e: UiEvent): Decoded {
  const { bytes, l2 } = packetBytes(e);
  const layers: Layer[] = [];
  let type = e.protocol;
  let o = 0;
  if (l2 && bytes.length >= 14) {
    type = u16(bytes, 12);
    layers.push({ name: 'Ethernet', start: 0, end: 14, fields: [['destination', mac(bytes, 0)], ['source', mac(bytes, 6)], ['type', `${hx(type, 4)} (${ETHERTYPE[type] ?? 'unknown'})`]] });
    o = 14;
  }
  if (type === 0x0800) ipv4(bytes, o, bytes.length, layers);
  else if (type === 0x0806) arp(bytes, o, layers);
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
