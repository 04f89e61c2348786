// lib/crypto/sha1.c: SHA-1 (FIPS 180-4). sha1_transform() is the bare
// compression of one 64-byte block into a five-word state, as
// ipv6_generate_stable_address() calls it (no padding, no length);
// sha1() hashes a whole message (padding and length), for the test vectors.

export const SHA1_DIGEST_WORDS = 5;
export const SHA1_BLOCK_SIZE = 64;

/** sha1_init_raw(): the initial state H0..H4. */
export function sha1_init_raw(digest: Uint32Array): void {
  digest[0] = 0x67452301;
  digest[1] = 0xefcdab89;
  digest[2] = 0x98badcfe;
  digest[3] = 0x10325476;
  digest[4] = 0xc3d2e1f0;
}

const rol = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;

/** sha1_transform(): one block (64 bytes from `off`, big-endian words) into the state. */
export function sha1_transform(digest: Uint32Array, data: Uint8Array, off = 0): void {
  const w = new Uint32Array(80);
  for (let i = 0; i < 16; i++) {
    const p = off + i * 4;
    w[i] = (((data[p] as number) << 24) | ((data[p + 1] as number) << 16) | ((data[p + 2] as number) << 8) | (data[p + 3] as number)) >>> 0;
  }
  for (let i = 16; i < 80; i++) w[i] = rol((w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number), 1);
  let a = digest[0] as number;
  let b = digest[1] as number;
  let c = digest[2] as number;
  let d = digest[3] as number;
  let e = digest[4] as number;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (rol(a, 5) + (f >>> 0) + e + k + (w[i] as number)) >>> 0;
    e = d;
    d = c;
    c = rol(b, 30);
    b = a;
    a = t;
  }
  digest[0] = ((digest[0] as number) + a) >>> 0;
  digest[1] = ((digest[1] as number) + b) >>> 0;
  digest[2] = ((digest[2] as number) + c) >>> 0;
  digest[3] = ((digest[3] as number) + d) >>> 0;
  digest[4] = ((digest[4] as number) + e) >>> 0;
}

/** sha1(): the 20-byte digest of a message (padded with 0x80, zeros and the bit length). */
export function sha1(msg: Uint8Array): Uint8Array {
  const digest = new Uint32Array(SHA1_DIGEST_WORDS);
  sha1_init_raw(digest);
  const n = Math.ceil((msg.length + 9) / SHA1_BLOCK_SIZE) * SHA1_BLOCK_SIZE;
  const buf = new Uint8Array(n);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const bits = msg.length * 8;
  const view = new DataView(buf.buffer);
  view.setUint32(n - 8, Math.floor(bits / 0x100000000));
  view.setUint32(n - 4, bits >>> 0);
  for (let off = 0; off < n; off += SHA1_BLOCK_SIZE) sha1_transform(digest, buf, off);
  const out = new Uint8Array(20);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 5; i++) ov.setUint32(i * 4, digest[i] as number);
  return out;
}
