// The Internet checksum (RFC 1071): the ones' complement of the ones'
// complement sum of 16-bit big-endian words. RFC 1624 for incremental updates.
//
// A running sum is an unfolded non-negative integer: add as many ranges as
// you like (each but the last of even length), then `checksumFinish`.

/** Adds the bytes `u8[start, end)` to a running sum; an odd last byte is padded with zero. */
export function checksumAdd(sum: number, u8: Uint8Array, start = 0, end = u8.length): number {
  const lo = Math.max(0, Math.min(start, u8.length));
  const hi = Math.max(lo, Math.min(end, u8.length));
  let acc = 0;
  let i = lo;
  for (; i + 1 < hi; i += 2) {
    acc += ((u8[i] as number) << 8) | (u8[i + 1] as number);
    // Fold now and then so the accumulator stays a small integer.
    if (acc > 0x7fff0000) acc = (acc & 0xffff) + (acc >>> 16);
  }
  if (i < hi) acc += (u8[i] as number) << 8;
  return checksumFold(sum + acc);
}

/** Adds one 16-bit word to a running sum. */
export function checksumAddWord(sum: number, word: number): number {
  return sum + (word & 0xffff);
}

/** Adds a 32-bit value (an IPv4 address) as two words. */
export function checksumAddU32(sum: number, v: number): number {
  return sum + ((v >>> 16) & 0xffff) + (v & 0xffff);
}

/** Folds carries into the low 16 bits (csum_fold without the final not). */
export function checksumFold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return s;
}

/** The checksum field value for a running sum: ~fold(sum) & 0xffff. */
export function checksumFinish(sum: number): number {
  return ~checksumFold(sum) & 0xffff;
}

/** The Internet checksum of `u8[start, end)`; 0 over a message whose checksum is right. */
export function internetChecksum(u8: Uint8Array, start = 0, end = u8.length): number {
  return checksumFinish(checksumAdd(0, u8, start, end));
}

/**
 * Sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC 768): src, dst, zero,
 * protocol, upper-layer length. Unfolded and uncomplemented, like
 * csum_tcpudp_nofold; `checksumFold` of it is what Linux leaves in the
 * checksum field of a CHECKSUM_PARTIAL packet.
 */
export function pseudoHeaderSumV4(src: number, dst: number, protocol: number, length: number): number {
  let s = checksumAddU32(0, src >>> 0);
  s = checksumAddU32(s, dst >>> 0);
  s += protocol & 0xff;
  s += length & 0xffff;
  return s;
}

/**
 * RFC 1624 eqn. 3: the new checksum field after one 16-bit word of the
 * covered data changes from `oldWord` to `newWord` (csum_replace2).
 */
export function checksumReplace16(check: number, oldWord: number, newWord: number): number {
  const s = (~check & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~checksumFold(s) & 0xffff;
}

/** RFC 1624 for a 32-bit value such as an address (csum_replace4). */
export function checksumReplace32(check: number, oldValue: number, newValue: number): number {
  const s = (~check & 0xffff) + (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff) + ((newValue >>> 16) & 0xffff) + (newValue & 0xffff);
  return ~checksumFold(s) & 0xffff;
}
