// IPv4 header (RFC 791 §3.1, struct iphdr in include/uapi/linux/ip.h):
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
// The field table is the one layout of struct iphdr; the accessors read the
// header at byte offset `o` of `b`. Addresses are unsigned 32-bit numbers in
// host order (10.0.0.1 = 0x0a000001).

import { rd16, rd32 } from './bytes.ts';

/** sizeof(struct iphdr), and the largest header (IHL 15). */
export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;

/** struct iphdr: version:4 ihl:4, tos, tot_len, id, frag_off, ttl, protocol, check, saddr, daddr. */
export const IPH_VERSION_IHL = 0;
export const IPH_TOS = 1;
export const IPH_TOT_LEN = 2;
export const IPH_ID = 4;
export const IPH_FRAG_OFF = 6;
export const IPH_TTL = 8;
export const IPH_PROTOCOL = 9;
export const IPH_CHECK = 10;
export const IPH_SADDR = 12;
export const IPH_DADDR = 16;

/** Bits of the 16-bit frag_off field (include/net/ip.h). */
export const IP_CE = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;

/** Protocol numbers (IPPROTO_* in include/uapi/linux/in.h); any 8-bit value may appear. */
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export const iph_version = (b: Uint8Array, o: number): number => (b[o + IPH_VERSION_IHL] as number) >> 4;
/** Header length in 32-bit words. */
export const iph_ihl = (b: Uint8Array, o: number): number => (b[o + IPH_VERSION_IHL] as number) & 0x0f;
export const iph_tos = (b: Uint8Array, o: number): number => b[o + IPH_TOS] as number;
export const iph_tot_len = (b: Uint8Array, o: number): number => rd16(b, o + IPH_TOT_LEN);
export const iph_id = (b: Uint8Array, o: number): number => rd16(b, o + IPH_ID);
export const iph_frag_off = (b: Uint8Array, o: number): number => rd16(b, o + IPH_FRAG_OFF);
export const iph_ttl = (b: Uint8Array, o: number): number => b[o + IPH_TTL] as number;
export const iph_protocol = (b: Uint8Array, o: number): number => b[o + IPH_PROTOCOL] as number;
export const iph_check = (b: Uint8Array, o: number): number => rd16(b, o + IPH_CHECK);
export const iph_saddr = (b: Uint8Array, o: number): number => rd32(b, o + IPH_SADDR);
export const iph_daddr = (b: Uint8Array, o: number): number => rd32(b, o + IPH_DADDR);

// --- addresses ---

/** "10.0.0.1" for 0x0a000001: the one IPv4 formatter. */
export function ipv4ToString(addr: number): string {
  const a = addr >>> 0;
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/**
 * A strict dotted quad, as glibc's inet_pton(AF_INET): four decimal octets
 * 0..255, no leading zeros, nothing else. Null otherwise. (libc/inet.ts's
 * inet_pton4.)
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
