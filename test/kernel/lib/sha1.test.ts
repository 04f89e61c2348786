import { expect, it } from 'vitest';
import { sha1, sha1_init_raw, sha1_transform } from '../../../src/kernel/lib/sha1.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

// FIPS 180-2 appendix A and the NIST/RFC 3174 vectors
it('sha1 of the FIPS 180 test messages', () => {
  expect(hex(sha1(ascii('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  expect(hex(sha1(ascii('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  expect(hex(sha1(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  expect(hex(sha1(ascii('The quick brown fox jumps over the lazy dog')))).toBe('2fd4e1c67a2d28fced849ee1bb76e7391b93eb12');
  expect(hex(sha1(new Uint8Array(1000000).fill(0x61)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
});

it('sha1_transform is the bare compression: one padded block gives the digest of "abc"', () => {
  const block = new Uint8Array(64);
  block.set(ascii('abc'));
  block[3] = 0x80;
  block[63] = 24;
  const d = new Uint32Array(5);
  sha1_init_raw(d);
  sha1_transform(d, block);
  expect([...d].map((x) => x.toString(16).padStart(8, '0')).join('')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
});
