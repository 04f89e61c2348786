// Random well-formed filter expressions: our compiler and VM accept the same
// packets of the corpus as the real tcpdump (and print the same program).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { compileFilter } from '../../src/userspace/tcpdump/compile.ts';
import { bpfDump } from '../../src/userspace/tcpdump/bpf.ts';
import { jitFilter, runFilter } from '../../src/userspace/tcpdump/vm.ts';
import { readPcap } from '../../src/wire/pcap.ts';
import { randomFilters6 } from './filter6.cases.ts';

const corpusPath = fileURLToPath(new URL('../oracle/bpf/corpus.pcap', import.meta.url));
const records = readPcap(new Uint8Array(readFileSync(corpusPath))).records;
const TCPDUMP = '/usr/bin/tcpdump';

const host = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.1.1', '10.0.1.10', '10.0.2.10', '224.0.0.22', '0.0.0.0');
const port = fc.constantFrom(22, 53, 80, 5353, 8080, 9000, 9999, 33434, 56982);
const mac = fc.constantFrom('02:00:00:00:00:0a', '02:00:00:00:00:0b', '02:00:00:00:00:02', 'ff:ff:ff:ff:ff:ff', '02:00:00:00:01:01');
const dir = fc.constantFrom('', 'src ', 'dst ', 'src or dst ', 'src and dst ');
const tproto = fc.constantFrom('', 'tcp ', 'udp ');
const small = fc.integer({ min: 0, max: 255 });

const arith: fc.Arbitrary<string> = fc.letrec((tie) => ({
  a: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 1500 }).map(String),
    fc
      .tuple(
        fc.constantFrom('ip', 'tcp', 'udp', 'icmp', 'ether', 'arp'),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom('', ':2', ':4', ':1'),
      )
      .map(([p, o, s]) => `${p}[${o}${s}]`),
    fc.constant('len'),
    fc.tuple(tie('a'), fc.constantFrom('+', '-', '&', '|', '*', '<<', '>>'), tie('a')).map(([x, op, y]) => {
      if (op === '<<' || op === '>>') return `(${x} ${op} 2)`;
      return `(${x} ${op} ${y})`;
    }),
  ),
})).a;

const prim = fc.oneof(
  fc.constantFrom('icmp', 'arp', 'ip', 'tcp', 'udp', 'igmp', 'rarp', 'broadcast', 'multicast', 'ip multicast', 'ether broadcast', 'vlan'),
  fc.tuple(fc.constantFrom('', 'ip ', 'arp '), dir, host).map(([p, d, h]) => `${p}${d}host ${h}`),
  fc
    .tuple(dir, fc.constantFrom('10.0.0.0/24', '10.0.1.0/24', '10.0.0.0/16', '10.0.2.0/24', '224.0.0.0/4', '10'))
    .map(([d, n]) => `${d}net ${n}`),
  fc.tuple(tproto, dir, port).map(([p, d, n]) => `${p}${d}port ${n}`),
  fc.tuple(tproto, dir, port, port).map(([p, d, a, b]) => `${p}${d}portrange ${a}-${b}`),
  fc.tuple(dir, mac).map(([d, m]) => `ether ${d}host ${m}`),
  fc.constantFrom('ip proto 1', 'ip proto 17', 'ip proto \\tcp', 'ether proto 0x0806', 'ether proto \\ip'),
  fc.tuple(fc.constantFrom('less', 'greater'), fc.integer({ min: 40, max: 1500 })).map(([w, n]) => `${w} ${n}`),
  fc.tuple(fc.constantFrom('icmp-echo', 'icmp-echoreply', 'icmp-unreach', 'icmp-timxceed')).map(([t]) => `icmp[icmptype] == ${t}`),
  fc.tuple(fc.constantFrom('tcp-syn', 'tcp-ack', 'tcp-fin', 'tcp-rst', 'tcp-push')).map(([f]) => `tcp[tcpflags] & ${f} != 0`),
  fc.tuple(arith, fc.constantFrom('=', '!=', '>', '<', '>=', '<='), arith).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(fc.constantFrom('ip', 'udp', 'tcp'), fc.integer({ min: 0, max: 20 }), small).map(([p, o, v]) => `${p}[${o}] & ${v} != 0`),
);

const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    prim,
    tie('e').map((x) => `not ${x}`),
    fc.tuple(tie('e'), fc.constantFrom('and', 'or'), tie('e')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(tie('e'), fc.constantFrom('and', 'or', '&&', '||'), prim).map(([a, op, b]) => `${a} ${op} ${b}`),
  ),
})).e;

function real(exprText: string, corpus = corpusPath): { matches: number[] | null; listing: string | null } {
  const r = spawnSync(TCPDUMP, ['-tt', '-nn', '-r', corpus, exprText], { encoding: 'latin1' });
  if (r.status !== 0) return { matches: null, listing: null };
  const matches = r.stdout
    .split('\n')
    .filter((l) => /^\d+\.\d{6} /.test(l))
    .map((l) => Number(l.slice(0, l.indexOf('.'))));
  const d = spawnSync(TCPDUMP, ['-d', '-y', 'EN10MB', exprText], { encoding: 'latin1' });
  return { matches, listing: d.status === 0 ? d.stdout : null };
}

it.skipIf(!existsSync(TCPDUMP))(
  'random expressions: same accepted packets and programs as tcpdump',
  () => {
    let programsSame = 0;
    let runs = 0;
    fc.assert(
      fc.property(expr, (e) => {
        const r = real(e);
        let prog: ReturnType<typeof compileFilter>;
        try {
          prog = compileFilter(e);
        } catch (err) {
          // Both must reject it.
          expect(r.matches, `${e}: ${(err as Error).message}`).toBeNull();
          return;
        }
        expect(r.matches, e).not.toBeNull();
        const fast = jitFilter(prog);
        const ours = records.filter((p) => runFilter(prog, p.data, p.origLen) > 0).map((p) => p.tsSec);
        const oursFast = records.filter((p) => fast(p.data, p.origLen) > 0).map((p) => p.tsSec);
        expect(ours, e).toEqual(r.matches);
        expect(oursFast, e).toEqual(r.matches);
        runs++;
        if (bpfDump(prog, 1) === r.listing) programsSame++;
      }),
      { numRuns: 150, seed: 7 },
    );
    // The programs too, nearly always.
    console.log(`property: ${runs} compiled expressions, ${programsSame} identical programs`);
    expect(runs).toBeGreaterThan(50);
    expect(programsSame / Math.max(1, runs)).toBeGreaterThanOrEqual(0.9);
  },
  120_000,
);

// The same over the IPv6 corpus (fixtures/filter6-corpus.pcap) with the IPv6
// generator of filter6.cases.ts, drawn with another seed than the recorded set.
const corpus6Path = fileURLToPath(new URL('./fixtures/filter6-corpus.pcap', import.meta.url));
const records6 = readPcap(new Uint8Array(readFileSync(corpus6Path))).records;

it.skipIf(!existsSync(TCPDUMP))(
  'random IPv6 expressions: same accepted packets and programs as tcpdump',
  () => {
    let runs = 0;
    for (const e of randomFilters6(100, 606)) {
      const r = real(e, corpus6Path);
      let prog: ReturnType<typeof compileFilter>;
      try {
        prog = compileFilter(e);
      } catch (err) {
        expect(r.matches, `${e}: ${(err as Error).message}`).toBeNull();
        continue;
      }
      expect(r.matches, e).not.toBeNull();
      const fast = jitFilter(prog);
      expect(
        records6.filter((p) => runFilter(prog, p.data, p.origLen) > 0).map((p) => p.tsSec),
        e,
      ).toEqual(r.matches);
      expect(
        records6.filter((p) => fast(p.data, p.origLen) > 0).map((p) => p.tsSec),
        e,
      ).toEqual(r.matches);
      expect(bpfDump(prog, 1), e).toBe(r.listing);
      runs++;
    }
    expect(runs).toBeGreaterThan(80);
  },
  120_000,
);
