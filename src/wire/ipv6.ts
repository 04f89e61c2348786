// IPv6 header (RFC 8200 §3, struct ipv6hdr in include/uapi/linux/ipv6.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version| Traffic Class |           Flow Label                  |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |         Payload Length        |  Next Header  |   Hop Limit   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                   Source Address (128 bits)                   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                Destination Address (128 bits)                 |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The accessors read the header at byte offset `o` of `b`. An address is a
// 16-byte Uint8Array in network order (struct in6_addr); the one parser and
// the one formatter are glibc's inet_pton(AF_INET6) and inet_ntop(AF_INET6),
// which every tool prints with (iproute2, iputils, tcpdump, ss, nc).

import { rd16, rd32 } from './bytes.ts';

/** sizeof(struct ipv6hdr). */
export const IPV6_HEADER_LEN = 40;
/** IPV6_MIN_MTU (include/linux/ipv6.h). */
export const IPV6_MIN_MTU = 1280;

/** struct ipv6hdr field offsets. */
export const IP6H_VER_TC_FL = 0;
export const IP6H_PAYLOAD_LEN = 4;
export const IP6H_NEXTHDR = 6;
export const IP6H_HOP_LIMIT = 7;
export const IP6H_SADDR = 8;
export const IP6H_DADDR = 24;

/** Next-header values (NEXTHDR_* in include/net/ipv6.h, IPPROTO_* in uapi/linux/in6.h). */
export const NEXTHDR_HOP = 0;
export const NEXTHDR_IPV4 = 4;
export const NEXTHDR_TCP = 6;
export const NEXTHDR_UDP = 17;
export const NEXTHDR_IPV6 = 41;
export const NEXTHDR_ROUTING = 43;
export const NEXTHDR_FRAGMENT = 44;
export const NEXTHDR_GRE = 47;
export const NEXTHDR_ESP = 50;
export const NEXTHDR_AUTH = 51;
export const NEXTHDR_ICMP = 58;
export const NEXTHDR_NONE = 59;
export const NEXTHDR_DEST = 60;
export const NEXTHDR_SCTP = 132;
export const NEXTHDR_MOBILITY = 135;

/** struct frag_hdr: nexthdr, reserved, frag_off (offset<<3 | res | M), identification. */
export const FRAG_HDR_LEN = 8;
export const IP6_OFFSET = 0xfff8;
export const IP6_MF = 0x0001;

export const ip6h_version = (b: Uint8Array, o: number): number => (b[o] as number) >> 4;
/** Traffic class (the 8 bits after the version). */
export const ip6h_tclass = (b: Uint8Array, o: number): number => (rd16(b, o) >> 4) & 0xff;
export const ip6h_flowlabel = (b: Uint8Array, o: number): number => rd32(b, o) & 0xfffff;
export const ip6h_payload_len = (b: Uint8Array, o: number): number => rd16(b, o + IP6H_PAYLOAD_LEN);
export const ip6h_nexthdr = (b: Uint8Array, o: number): number => b[o + IP6H_NEXTHDR] ?? 0;
export const ip6h_hop_limit = (b: Uint8Array, o: number): number => b[o + IP6H_HOP_LIMIT] ?? 0;
/** The source address (a copy: 16 bytes, zero past the end of `b`). */
export const ip6h_saddr = (b: Uint8Array, o: number): Uint8Array => in6Read(b, o + IP6H_SADDR);
export const ip6h_daddr = (b: Uint8Array, o: number): Uint8Array => in6Read(b, o + IP6H_DADDR);

// --- addresses (struct in6_addr) ---

/** 16 bytes of `b` at `o`, zero where `b` ends. */
export function in6Read(b: Uint8Array, o: number): Uint8Array {
  const a = new Uint8Array(16);
  for (let i = 0; i < 16; i++) a[i] = b[o + i] ?? 0;
  return a;
}

/** ipv6_addr_equal() */
export function in6Equal(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** in6addr_any (::) */
export const in6addrAny = (): Uint8Array => new Uint8Array(16);
/** in6addr_loopback (::1) */
export const in6addrLoopback = (): Uint8Array => {
  const a = new Uint8Array(16);
  a[15] = 1;
  return a;
};

/**
 * glibc's inet_pton(AF_INET6): up to eight groups of 1–4 hex digits, one `::`,
 * an optional dotted quad in the last 32 bits. Null where glibc returns 0.
 */
export function parseIpv6(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  let i = 0;
  let tp = 0;
  let colonp = -1;
  if (s.startsWith(':')) {
    if (!s.startsWith('::')) return null;
    i = 1;
  }
  let curtok = i;
  let sawXdigit = false;
  let val = 0;
  let digits = 0;
  while (i < s.length) {
    const ch = s[i++] as string;
    const d = Number.parseInt(ch, 16);
    if (/[0-9a-fA-F]/.test(ch) && !Number.isNaN(d)) {
      if (++digits > 4) return null;
      val = (val << 4) | d;
      sawXdigit = true;
      continue;
    }
    if (ch === ':') {
      curtok = i;
      if (!sawXdigit) {
        if (colonp !== -1) return null;
        colonp = tp;
        continue;
      }
      if (i >= s.length) return null;
      if (tp + 2 > 16) return null;
      out[tp++] = (val >> 8) & 0xff;
      out[tp++] = val & 0xff;
      sawXdigit = false;
      val = 0;
      digits = 0;
      continue;
    }
    if (ch === '.' && tp + 4 <= 16) {
      const v4 = dottedQuad(s.slice(curtok));
      if (v4 === null) return null;
      out.set(v4, tp);
      tp += 4;
      sawXdigit = false;
      break;
    }
    return null;
  }
  if (sawXdigit) {
    if (tp + 2 > 16) return null;
    out[tp++] = (val >> 8) & 0xff;
    out[tp++] = val & 0xff;
  }
  if (colonp !== -1) {
    if (tp === 16) return null;
    const n = tp - colonp;
    for (let k = 1; k <= n; k++) {
      out[16 - k] = out[colonp + n - k] as number;
      out[colonp + n - k] = 0;
    }
    tp = 16;
  }
  return tp === 16 ? out : null;
}

/** inet_pton4 as glibc's inet_pton6 calls it: four decimal octets, no leading zeros. */
function dottedQuad(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let k = 0; k < 4; k++) {
    const p = parts[k] as string;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out[k] = v;
  }
  return out;
}

/**
 * glibc's inet_ntop(AF_INET6): lower-case hex, the longest run (first of
 * equals) of two or more zero groups as `::`, and the last 32 bits as a
 * dotted quad for ::a.b.c.d and ::ffff:a.b.c.d.
 */
export function ipv6ToString(a: Uint8Array): string {
  const w: number[] = [];
  for (let k = 0; k < 8; k++) w.push(((a[2 * k] ?? 0) << 8) | (a[2 * k + 1] ?? 0));
  let best = -1;
  let bestLen = 0;
  for (let k = 0; k < 8; ) {
    if (w[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && w[e] === 0) e++;
    if (e - k > bestLen) {
      best = k;
      bestLen = e - k;
    }
    k = e;
  }
  if (bestLen < 2) best = -1;
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (best !== -1 && k >= best && k < best + bestLen) {
      if (k === best) out += ':';
      continue;
    }
    if (k !== 0) out += ':';
    if (k === 6 && best === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += `${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
      break;
    }
    out += (w[k] as number).toString(16);
  }
  if (best !== -1 && best + bestLen === 8) out += ':';
  return out;
}
