// IPv6 filters against the real tcpdump 4.99.3 / libpcap 1.10.3, through
// fixtures/filter6.recorded.json (filter6.record.ts): the same program byte for
// byte (-d), the same frames of fixtures/filter6-corpus.pcap accepted (by the
// offline tcpdump, by the interpreter and by the compiled fast path), and the
// same message for what libpcap refuses. "random" holds 149 expressions drawn
// by filter6.cases.ts's generator: the property test, recorded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import type { Vfs } from '../../src/userspace/proc.ts';
import { bpfDump } from '../../src/userspace/tcpdump/bpf.ts';
import { compileFilter } from '../../src/userspace/tcpdump/compile.ts';
import { jitFilter, runFilter } from '../../src/userspace/tcpdump/vm.ts';
import { tcpdumpOffline } from '../../src/userspace/tools/tcpdump.ts';
import { readPcap } from '../../src/wire/pcap.ts';
import { VETH_PAIR_SETUP } from '../scripts.ts';
import { ERRORS6, FILTERS6 } from './filter6.cases.ts';

type Accepted = { listing: string; matches: number[]; cooked?: Record<string, string> };
type Refused = { rc: number; stderr: string };
const rec = JSON.parse(readFileSync(new URL('./fixtures/filter6.recorded.json', import.meta.url), 'utf8')) as {
  filters: Record<string, Accepted>;
  errors: Record<string, Refused>;
  random: Record<string, Accepted | Refused>;
};
const corpus = readFileSync(new URL('./fixtures/filter6-corpus.pcap', import.meta.url), 'latin1');
const frames = readPcap(new Uint8Array(Buffer.from(corpus, 'latin1'))).records;
const vfs: Vfs = { readFile: (p) => (p === 'c.pcap' ? corpus : { errno: 'ENOENT' }), writeFile: () => null };

function tcpdump(args: string[]): { rc: number; out: string; err: string } {
  let out = '';
  let err = '';
  const rc = tcpdumpOffline(['tcpdump', ...args], { vfs, out: (s) => (out += s), err: (s) => (err += s) });
  return { rc: rc ?? -1, out, err };
}

function accepted(expr: string): number[] {
  const r = tcpdump(['-tt', '-nn', '-r', 'c.pcap', expr]);
  expect(r.rc, r.err).toBe(0);
  return r.out
    .split('\n')
    .filter((l) => /^\d+\.000000 /.test(l))
    .map((l) => Number(l.slice(0, l.indexOf('.'))));
}

function same(expr: string, g: Accepted | Refused): void {
  if ('rc' in g) {
    const r = tcpdump(['-d', '-y', 'EN10MB', expr]);
    expect(r.rc, expr).toBe(g.rc);
    expect(r.err.trimEnd(), expr).toBe(g.stderr);
    return;
  }
  const d = tcpdump(['-d', '-y', 'EN10MB', expr]);
  expect(d.out, expr).toBe(g.listing);
  expect(accepted(expr), expr).toEqual(g.matches);
  const prog = compileFilter(expr);
  const fast = jitFilter(prog);
  expect(
    frames.filter((p) => runFilter(prog, p.data, p.origLen) > 0).map((p) => p.tsSec),
    expr,
  ).toEqual(g.matches);
  expect(
    frames.filter((p) => fast(p.data, p.origLen) > 0).map((p) => p.tsSec),
    expr,
  ).toEqual(g.matches);
}

it('the fixture covers the listed cases, and the corpus has IPv6 and IPv4 frames', () => {
  expect(Object.keys(rec.filters)).toEqual(FILTERS6);
  expect(Object.keys(rec.errors)).toEqual(ERRORS6);
  expect(FILTERS6.length).toBeGreaterThanOrEqual(60);
  expect(ERRORS6.length).toBeGreaterThanOrEqual(15);
  expect(rec.filters.ip6?.matches.length).toBeGreaterThan(40);
  expect(rec.filters['ip6 or ip']?.matches.length).toBeGreaterThan(rec.filters.ip6?.matches.length ?? 0);
});

describe('IPv6 filters: programs and accepted frames as libpcap', () => {
  for (const [expr, g] of Object.entries(rec.filters)) it(expr, () => same(expr, g));
});

describe('IPv6 filters on the "any" device: Linux cooked v1 and v2 programs as libpcap', () => {
  for (const [expr, g] of Object.entries(rec.filters))
    it(expr, () => {
      for (const dlt of ['LINUX_SLL', 'LINUX_SLL2'] as const) {
        let ours: string;
        try {
          ours = bpfDump(compileFilter(expr, { dlt }), 1);
        } catch (e) {
          ours = `tcpdump: ${(e as Error).message}`;
        }
        expect(ours, `${dlt} ${expr}`).toBe(g.cooked?.[dlt]);
      }
    });
});

describe('IPv6 filters: libpcap refuses these, with its message', () => {
  for (const [expr, g] of Object.entries(rec.errors)) it(expr, () => same(expr, g));
});

describe('IPv6 filters: random expressions recorded from the real tcpdump', () => {
  for (const [expr, g] of Object.entries(rec.random)) it(expr, () => same(expr, g));
});

it('protochain: -dd and -ddd print the backward jump as tcpdump does', () => {
  const g = rec.filters['ip6 protochain 6'] as Accepted;
  const lines = g.listing.trimEnd().split('\n');
  const dd = tcpdump(['-dd', '-y', 'EN10MB', 'ip6 protochain 6']).out.trimEnd().split('\n');
  const ddd = tcpdump(['-ddd', '-y', 'EN10MB', 'ip6 protochain 6']).out.trimEnd().split('\n');
  expect(dd).toHaveLength(lines.length);
  expect(ddd[0]).toBe(String(lines.length));
  // (018) ja 4: k is -15, as { 0x5, 0, 0, 0xfffffff1 } and "5 0 0 4294967281"
  expect(lines[18]).toBe('(018) ja       4');
  expect(dd[18]).toBe('{ 0x5, 0, 0, 0xfffffff1 },');
  expect(ddd[19]).toBe('5 0 0 4294967281');
  expect(bpfDump(compileFilter('ip6 protochain 6'), 1)).toBe(g.listing);
});

it('a live capture with protochain: the kernel refuses the backward jump, libpcap warns and filters in userland (recorded on Linux)', () => {
  const r = runScenario(
    `${VETH_PAIR_SETUP}ip netns exec b ip link set lo up
ip netns exec b timeout 3 tcpdump -i lo -c 1 -nn 'ip protochain 1' > k.txt 2> k.err &
sleep 1
ip netns exec b ping -c 1 127.0.0.1 > /dev/null
wait
cat k.txt k.err
`,
    new MemVfs(),
  );
  expect(
    r.transcript.replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, '<TS> '),
  ).toBe(`<TS> IP 127.0.0.1 > 127.0.0.1: ICMP echo request, id 31527, seq 1, length 64
Warning: Kernel filter failed: Invalid argument
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes
1 packet captured
4 packets received by filter
0 packets dropped by kernel
`);
});
