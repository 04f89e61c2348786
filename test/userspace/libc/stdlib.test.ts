// strtod as glibc converts in the C locale: where conversion stops and when
// ERANGE is set (C11 7.22.1.3; ping -i/-W read their arguments with it).
import { describe, expect, it } from 'vitest';
import { strtod } from '../../../src/userspace/libc/stdlib.ts';

describe('strtod', () => {
  it.each([
    ['1k', 1, 'k', false],
    ['  2', 2, '', false],
    ['1e-1z', 0.1, 'z', false],
    ['1e', 1, 'e', false],
    ['.5', 0.5, '', false],
    ['-1', -1, '', false],
    ['0x10', 16, '', false],
    ['0x1p4', 16, '', false],
    ['0x.8', 0.5, '', false],
    ['abc', 0, 'abc', false],
    ['', 0, '', false],
    ['1e400', Number.POSITIVE_INFINITY, '', true],
    ['1e-400', 0, '', true],
    ['0e-400', 0, '', false],
    ['inf', Number.POSITIVE_INFINITY, '', false],
    ['-Infinityx', Number.NEGATIVE_INFINITY, 'x', false],
  ])('%j → %d, rest %j, ERANGE %s', (s, value, rest, erange) => {
    const r = strtod(s);
    expect(r.value).toBe(value);
    expect(r.rest).toBe(rest);
    expect(r.erange).toBe(erange);
  });
  it('nan converts and is not ERANGE', () => {
    const r = strtod('nan(0x1');
    expect(Number.isNaN(r.value)).toBe(true);
    expect(r.rest).toBe('(0x1');
  });
});
