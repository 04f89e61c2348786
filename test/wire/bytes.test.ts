import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rd16, rd32, wr16, wr32 } from '../../src/wire/bytes.ts';
import { toHex } from './fixtures.ts';

describe('big-endian reads and writes', () => {
  it('reads and writes at an offset', () => {
    const b = new Uint8Array(8);
    wr16(b, 1, 0xabcd);
    wr32(b, 3, 0xdeadbeef);
    expect(toHex(b)).toBe('00abcddeadbeef00');
    expect(rd16(b, 1)).toBe(0xabcd);
    expect(rd32(b, 3)).toBe(0xdeadbeef);
  });

  it('reads 0 for bytes past the end, never throws', () => {
    const b = Uint8Array.of(0x12, 0x34);
    expect(rd16(b, 1)).toBe(0x3400);
    expect(rd16(b, 2)).toBe(0);
    expect(rd32(b, 0)).toBe(0x12340000);
    expect(rd32(b, 5)).toBe(0);
  });

  it('round-trips every value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 4 }), (v, o) => {
        const b = new Uint8Array(8);
        wr32(b, o, v);
        expect(rd32(b, o)).toBe(v);
        wr16(b, o, v);
        expect(rd16(b, o)).toBe(v & 0xffff);
      }),
    );
  });
});
