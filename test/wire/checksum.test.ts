import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checksumAdd,
  checksumFinish,
  checksumFold,
  checksumReplace16,
  checksumReplace32,
  internetChecksum,
  pseudoHeaderSumV4,
} from '../../src/wire/checksum.ts';
import { ECHO_REQUEST, IP_BAD_CSUM, TCP_SYN_PARTIAL } from './fixtures.ts';

describe('internet checksum', () => {
  it('is zero over a real IPv4 header and a real ICMP message', () => {
    expect(internetChecksum(ECHO_REQUEST, 14, 34)).toBe(0);
    expect(internetChecksum(ECHO_REQUEST, 34)).toBe(0);
  });

  it('computes the value tcpdump says a bad header should carry (0x65ce)', () => {
    const h = IP_BAD_CSUM.slice(14, 34);
    h[10] = 0;
    h[11] = 0;
    expect(internetChecksum(h)).toBe(0x65ce);
  });

  it('matches the RFC 1071 §3 example', () => {
    const b = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(checksumFold(checksumAdd(0, b))).toBe(0xddf2);
    expect(internetChecksum(b)).toBe(0x220d);
  });

  it('pads an odd last byte with zero', () => {
    expect(internetChecksum(Uint8Array.from([0x12]))).toBe(~0x1200 & 0xffff);
    expect(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it('clamps ranges to the buffer instead of throwing', () => {
    const b = Uint8Array.from([1, 2, 3, 4]);
    expect(internetChecksum(b, 2, 100)).toBe(internetChecksum(b.subarray(2)));
    expect(internetChecksum(b, 5, 1)).toBe(0xffff);
  });

  it('pseudo-header sum is what Linux leaves in a CHECKSUM_PARTIAL SYN (0x1431)', () => {
    // 10.0.0.1 > 10.0.0.2, TCP, 40 bytes: tcpdump prints "cksum 0x1431 (incorrect -> …)".
    const s = pseudoHeaderSumV4(0x0a000001, 0x0a000002, 6, 40);
    expect(checksumFold(s)).toBe(0x1431);
    expect((TCP_SYN_PARTIAL[14 + 20 + 16]! << 8) | TCP_SYN_PARTIAL[14 + 20 + 17]!).toBe(0x1431);
  });

  it('adding in even chunks equals adding at once', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(150), (b, k) => {
        const cut = Math.min(b.length, 2 * k);
        const s = checksumAdd(checksumAdd(0, b, 0, cut), b, cut);
        expect(checksumFinish(s)).toBe(internetChecksum(b));
      }),
    );
  });

  it('incremental update (RFC 1624) equals recomputing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 64 }), fc.nat(), fc.integer({ min: 0, max: 0xffff }), (b0, at, w) => {
        const b = b0.slice(0, b0.length & ~1);
        const i = (at % (b.length / 2)) * 2;
        const old = (b[i]! << 8) | b[i + 1]!;
        const before = internetChecksum(b);
        b[i] = w >> 8;
        b[i + 1] = w & 0xff;
        const after = internetChecksum(b);
        // Ones' complement has two zeros; compare as sums.
        const upd = checksumReplace16(before, old, w);
        expect(checksumFold(~upd & 0xffff) % 0xffff).toBe(checksumFold(~after & 0xffff) % 0xffff);
      }),
    );
  });

  it('replace32 of an address keeps a header valid', () => {
    const h = ECHO_REQUEST.slice(14, 34);
    const view = new DataView(h.buffer);
    const check = view.getUint16(10);
    const oldSrc = view.getUint32(12);
    const newSrc = 0xc0a80101;
    view.setUint32(12, newSrc);
    view.setUint16(10, checksumReplace32(check, oldSrc, newSrc));
    expect(internetChecksum(h)).toBe(0);
  });

  it('TTL decrement (ip_decrease_ttl) keeps a header valid', () => {
    const h = ECHO_REQUEST.slice(14, 34);
    const view = new DataView(h.buffer);
    const oldWord = view.getUint16(8);
    h[8] = h[8]! - 1;
    view.setUint16(10, checksumReplace16(view.getUint16(10), oldWord, view.getUint16(8)));
    expect(internetChecksum(h)).toBe(0);
  });
});
