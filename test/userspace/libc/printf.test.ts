// C's %f/%g rounding of doubles: to nearest, a tie to even. The expected texts
// are what mawk 1.3.4 (glibc's printf on doubles) printed on this machine for
// awk 'BEGIN { printf "…", … }' with these values.
import { describe, expect, it } from 'vitest';
import { formatFloat, type Spec } from '../../../src/userspace/libc/printf.ts';

const spec = (conv: string, prec: number | null, flags = ''): Spec => ({ flags, width: null, prec, conv });

describe('formatFloat rounds as glibc', () => {
  it.each([
    [2.5, 'f', 0, '2'],
    [0.5, 'f', 0, '0'],
    [0.125, 'f', 2, '0.12'],
    [0.15, 'f', 1, '0.1'],
    [0.25, 'f', 1, '0.2'],
    [1.0005, 'f', 3, '1.000'],
    [0.0000005, 'f', 6, '0.000000'],
    [0.1, 'f', 20, '0.10000000000000000555'],
    [-2.25, 'f', 1, '-2.2'],
    [2.5e-5, 'g', null, '2.5e-05'],
    [3.5, 'f', 0, '4'],
    [0.375, 'f', 2, '0.38'],
    [2.5, 'e', 0, '2e+00'],
    [3.5, 'e', 0, '4e+00'],
    [1.25, 'e', 1, '1.2e+00'],
    [25, 'e', 0, '2e+01'],
    [250, 'e', 0, '2e+02'],
    [0.125, 'e', 2, '1.25e-01'],
    [9.5, 'e', 0, '1e+01'],
    [0.25, 'g', 1, '0.2'],
    [1.125, 'g', 2, '1.1'],
    [1e100, 'g', null, '1e+100'],
    [0.5, 'e', 0, '5e-01'],
    [1234567.5, 'e', null, '1.234568e+06'],
    [1.0625, 'e', 3, '1.062e+00'],
    [1.5e-300, 'e', 1, '1.5e-300'],
  ])('%d as %%.%s%s', (x, conv, prec, want) => {
    expect(formatFloat(x, spec(conv, prec))).toBe(want);
  });
});
