// compileFilter, printPacket and printPcap (src/api/tcpdump.ts): the filters
// against the recorded libpcap oracle (test/oracle/bpf, tcpdump 4.99.3), the
// printer against `tcpdump -r` (itself checked against the real binary in
// test/tcpdump/print.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPcap } from '../../src/wire/pcap.ts';
import { compileFilter, FilterError, printPacket, printPcap, ToolError } from '../../src/index.ts';

const dir = new URL('../oracle/bpf/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('golden.json', dir), 'utf8')) as {
  filters: Record<string, { listing: string; matches: number[] }>;
  errors: Record<string, { rc: number; stderr: string }>;
};
const corpusBytes = new Uint8Array(readFileSync(new URL('corpus.pcap', dir)));
const corpus = readPcap(corpusBytes).records;

describe('compileFilter', () => {
  it('accepts the packets libpcap accepted, for every recorded filter', () => {
    for (const [expr, g] of Object.entries(golden.filters)) {
      const f = compileFilter(expr);
      // the corpus's packet N has the timestamp N s
      const got = corpus.filter((r) => f.matches(r.data, r.origLen)).map((r) => r.tsSec);
      expect(got, expr).toEqual(g.matches);
    }
  });

  it('dumps the program as tcpdump -d does, and -dd/-ddd', () => {
    const f = compileFilter('icmp');
    expect(f.dump()).toBe(golden.filters.icmp?.listing);
    expect(f.dump(3).split('\n')[0]).toBe(String(f.program.length));
    expect(f.program[0]).toEqual({ code: 0x28, jt: 0, jf: 0, k: 12 });
    expect(Object.isFrozen(f.program)).toBe(true);
  });

  it("throws FilterError with libpcap's message", () => {
    const refused = Object.entries(golden.errors).filter(([, g]) => g.rc !== 0);
    expect(refused.length).toBeGreaterThan(5);
    for (const [expr, g] of refused) {
      let err: unknown;
      try {
        compileFilter(expr);
      } catch (e) {
        err = e;
      }
      expect(err, expr).toBeInstanceOf(FilterError);
      expect(`tcpdump: ${(err as Error).message}`, expr).toBe(g.stderr);
    }
    // what libpcap accepts (a reversed port range) compiles
    for (const [expr] of Object.entries(golden.errors).filter(([, g]) => g.rc === 0))
      expect(compileFilter(expr).program.length).toBeGreaterThan(0);
  });
});

describe('printPacket and printPcap', () => {
  it('print each packet as tcpdump -r does', () => {
    for (const flags of ['-tt -nn -S', '-tt -nn -e -S -v', '-t -q -S', '-tt -nn -S -x']) {
      const lines = corpus.map((r) => printPacket(r.data, flags, { time: r.tsSec + r.tsFrac / 1e6, wirelen: r.origLen })).join('');
      expect(lines, flags).toBe(printPcap(corpusBytes, flags));
    }
  });

  it('prints the timestamp it is given and defaults to 0', () => {
    const frame = corpus[3]?.data as Uint8Array;
    expect(printPacket(frame, ['-n'], { time: 3661.25 })).toMatch(/^01:01:01\.250000 IP /);
    expect(printPacket(frame, '-n')).toMatch(/^00:00:00\.000000 IP /);
  });

  it('printPcap applies a filter and refuses what tcpdump refuses', () => {
    const icmp = printPcap(corpusBytes, '-tt -nn', 'icmp');
    expect(
      icmp
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(l.slice(0, l.indexOf('.')))),
    ).toEqual(golden.filters.icmp?.matches);
    expect(() => printPcap(corpusBytes, '', 'tcp[13] &')).toThrow(
      new ToolError("tcpdump: can't parse filter expression: syntax error\n", 1),
    );
    expect(() => printPcap(corpusBytes.subarray(0, 10))).toThrow(/truncated dump file/);
    expect(() => printPacket(corpusBytes, '--bogus')).toThrow(ToolError);
  });
});
