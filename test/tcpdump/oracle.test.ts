// The filter oracle (test/oracle/bpf, recorded from tcpdump 4.99.3 / libpcap
// 1.10.3): accepted packets, compiled programs and error messages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOffline } from './helpers.ts';

const dir = new URL('../oracle/bpf/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('golden.json', dir), 'utf8')) as {
  filters: Record<string, { listing: string; matches: number[] }>;
  errors: Record<string, { rc: number; stderr: string }>;
};
describe('filter oracle: accepted packets', () => {
  for (const [expr, g] of Object.entries(golden.filters)) {
    it(expr, () => {
      const r = runOffline(['-tt', '-nn', '-r', 'corpus.pcap', expr]);
      expect(r.rc).toBe(0);
      expect(r.err).toBe('reading from file corpus.pcap, link-type EN10MB (Ethernet), snapshot length 262144\n');
      const got = r.out
        .split('\n')
        .filter((l) => /^\d+\.000000 /.test(l))
        .map((l) => Number(l.slice(0, l.indexOf('.'))));
      expect(got).toEqual(g.matches);
    });
  }
});

describe('filter oracle: programs (-d -y EN10MB)', () => {
  const names = Object.keys(golden.filters);
  let same = 0;
  for (const expr of names) {
    it(expr, () => {
      const r = runOffline(['-d', '-y', 'EN10MB', expr]);
      expect(r.rc).toBe(0);
      expect(r.out).toBe(golden.filters[expr]?.listing);
      same++;
    });
  }
  it('at least 90% match', () => {
    expect(same / names.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('filter oracle: errors', () => {
  for (const [expr, g] of Object.entries(golden.errors)) {
    it(expr, () => {
      const r = runOffline(['-tt', '-nn', '-r', 'corpus.pcap', expr]);
      expect(r.rc).toBe(g.rc);
      if (g.rc !== 0) expect(r.err.trimEnd()).toBe(g.stderr);
    });
  }
});
