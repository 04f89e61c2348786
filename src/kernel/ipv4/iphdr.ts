// struct iphdr accessors on an skb's buffer (network header offset `o`).
import type { SkBuff } from '../skbuff.ts';
import { checksumAdd, checksumFinish } from '../../wire/checksum.ts';

export const IP_CE = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFSET = 0x1fff;

export const iph_ihl = (b: Uint8Array, o: number): number => (b[o] as number) & 0x0f;
export const iph_version = (b: Uint8Array, o: number): number => (b[o] as number) >> 4;
export const iph_tos = (b: Uint8Array, o: number): number => b[o + 1] as number;
export const iph_tot_len = (b: Uint8Array, o: number): number => ((b[o + 2] as number) << 8) | (b[o + 3] as number);
export const iph_id = (b: Uint8Array, o: number): number => ((b[o + 4] as number) << 8) | (b[o + 5] as number);
export const iph_frag_off = (b: Uint8Array, o: number): number => ((b[o + 6] as number) << 8) | (b[o + 7] as number);
export const iph_ttl = (b: Uint8Array, o: number): number => b[o + 8] as number;
export const iph_protocol = (b: Uint8Array, o: number): number => b[o + 9] as number;
export const iph_check = (b: Uint8Array, o: number): number => ((b[o + 10] as number) << 8) | (b[o + 11] as number);
export const iph_saddr = (b: Uint8Array, o: number): number => rd32(b, o + 12);
export const iph_daddr = (b: Uint8Array, o: number): number => rd32(b, o + 16);

export function rd16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

export function rd32(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

export function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function wr32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** csum_partial(): the folded ones'-complement sum of b[o, o+len) added to `sum` (wire/checksum does the work). */
export function csum_partial(b: Uint8Array, o: number, len: number, sum = 0): number {
  return checksumAdd(sum, b, o, o + len);
}

/** csum_fold(): the checksum field value, ~fold(sum). */
export const csum_fold = checksumFinish;

/** ip_fast_csum() over the header: 0 when the checksum is right. */
export function ip_fast_csum(b: Uint8Array, o: number, ihl: number): number {
  return csum_fold(csum_partial(b, o, ihl * 4));
}

/** ip_send_check(): recomputes the header checksum. */
export function ip_send_check(b: Uint8Array, o: number): void {
  b[o + 10] = 0;
  b[o + 11] = 0;
  wr16(b, o + 10, csum_fold(csum_partial(b, o, iph_ihl(b, o) * 4)));
}

export function ip_hdr_off(skb: SkBuff): number {
  return skb.networkHeader;
}
