// net/ipv6/ip6_checksum.c: csum_ipv6_magic, the checksum over the IPv6
// pseudo-header (RFC 8200 §8.1) and the upper-layer data, for ICMPv6, UDP and TCP.
import { checksumAdd, checksumFinish } from '../../wire/checksum.ts';

/**
 * csum_ipv6_magic(): the checksum field value for an upper-layer packet of
 * `len` bytes whose data sum (csum_partial) is `sum`.
 */
export function csum_ipv6_magic(saddr: Uint8Array, daddr: Uint8Array, len: number, proto: number, sum: number): number {
  let s = checksumAdd(sum, saddr, 0, 16);
  s = checksumAdd(s, daddr, 0, 16);
  s += (len >>> 16) & 0xffff;
  s += len & 0xffff;
  s += proto & 0xff;
  return checksumFinish(s);
}

/** The checksum of an upper-layer packet b[o, o+len) with its checksum field zero (or 0 when it verifies). */
export function ip6_compute_csum(saddr: Uint8Array, daddr: Uint8Array, proto: number, b: Uint8Array, o: number, len: number): number {
  return csum_ipv6_magic(saddr, daddr, len, proto, checksumAdd(0, b, o, o + len));
}
