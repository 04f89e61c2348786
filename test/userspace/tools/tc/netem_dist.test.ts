import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erf, maketable, NETEM_DIST_FILES, normalTable, rint } from '../../../../src/userspace/tools/tc/netem_dist.ts';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/netem_dist.recorded.json', import.meta.url), 'utf8')) as Record<
  string,
  { bytes: number; sha256: string }
>;

describe('netem distribution tables', () => {
  for (const name of ['normal', 'pareto', 'paretonormal', 'experimental']) {
    it(`${name}.dist is byte for byte the installed iproute2 6.1 file`, () => {
      const make = NETEM_DIST_FILES[name] as () => string;
      const text = make();
      const rec = recorded[name] as { bytes: number; sha256: string };
      expect(text.length).toBe(rec.bytes);
      expect(createHash('sha256').update(text, 'latin1').digest('hex')).toBe(rec.sha256);
    });
  }

  it('the normal table is an inverse CDF: increasing, symmetric about 0, clamped to s16', () => {
    const t = normalTable();
    expect(t.length).toBe(4096);
    expect(t[0]).toBe(-32768);
    for (let i = 1; i < t.length; i++) expect(t[i] as number).toBeGreaterThanOrEqual(t[i - 1] as number);
    // the middle entry is G(0.5) = 0
    expect(Math.abs(t[2048] as number)).toBeLessThan(8);
  });

  it('erf and rint behave as libm', () => {
    expect(erf(0)).toBe(0);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2.5)).toBeCloseTo(-0.999593047982555, 15);
    expect(erf(7)).toBe(1);
    expect(rint(2.5)).toBe(2);
    expect(rint(3.5)).toBe(4);
    expect(rint(-2.5)).toBe(-2);
  });

  it('maketable normalizes: a symmetric sample gives a symmetric table', () => {
    const xs: number[] = [];
    for (let i = -500; i <= 500; i++) xs.push(i);
    const t = maketable(xs);
    expect(t.length).toBe(4096);
    expect((t[100] as number) + (t[4095 - 100] as number)).toBeLessThan(64);
  });
});
