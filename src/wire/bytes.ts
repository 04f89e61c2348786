// Big-endian reads and writes at a byte offset (get_unaligned_be16/be32 and
// put_unaligned_be16/be32 in include/linux/unaligned.h). A read past the end
// gives 0 for the missing bytes, never throws: untrusted bytes are read with
// these after a length check, and a short buffer must not become an exception.

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

/** One byte, 0 past the end (the 16- and 32-bit reads give 0 for missing bytes too). */
export function rd8(b: Uint8Array, o: number): number {
  return b[o] ?? 0;
}
