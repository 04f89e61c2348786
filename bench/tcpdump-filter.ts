// Filtering a 1,000,000-packet pcap (`tcpdump -r BIG -w /dev/null EXPR`) with
// skbpath's compiler and BPF fast path against the real tcpdump on the same
// file: packets per second for both and the ratio. Not a test.
//   node dist/bench-tcpdump-filter.js [PACKETS]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tcpdumpOffline } from '../src/userspace/tools/tcpdump.ts';
import { compileFilter } from '../src/userspace/tcpdump/compile.ts';
import { jitFilter } from '../src/userspace/tcpdump/vm.ts';
import { PcapWriter, readPcap } from '../src/wire/pcap.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const CORPUS = new URL('../test/oracle/bpf/corpus.pcap', import.meta.url);
const BIG = `/tmp/skbpath-bench-${N}.pcap`;
const FILTERS = [
  'icmp',
  'tcp port 80',
  'host 10.0.0.2 and not port 22',
  'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn',
  'udp and not port 53',
];

const corpus = readPcap(new Uint8Array(readFileSync(CORPUS))).records;
if (!existsSync(BIG)) {
  const w = new PcapWriter({});
  for (let i = 0; i < N; i++) {
    const r = corpus[i % corpus.length];
    if (r) w.write(BigInt(i) * 1000n, r.data, r.origLen);
  }
  writeFileSync(BIG, w.bytes());
}
const fileText = readFileSync(BIG, 'latin1');
const bytes = new Uint8Array(readFileSync(BIG));
const vfs = { readFile: (p: string) => (p === BIG ? fileText : { errno: 'ENOENT' as const }), writeFile: () => null };
const records = readPcap(bytes).records;

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(12);
console.log(`${N} packets in ${BIG}`);
console.log(`${'filter'.padEnd(48)} ${'skbpath pps'.padStart(12)} ${'(VM only)'.padStart(12)} ${'tcpdump pps'.padStart(12)}  ratio`);
for (const expr of FILTERS) {
  let t0 = performance.now();
  const rc = tcpdumpOffline(['tcpdump', '-r', BIG, '-w', '/dev/null', expr], {
    vfs,
    readBytes: (p) => (p === BIG ? new Uint8Array(readFileSync(BIG)) : null),
    out: () => {},
    err: () => {},
  });
  const ours = N / ((performance.now() - t0) / 1000);
  const f = jitFilter(compileFilter(expr));
  t0 = performance.now();
  let acc = 0;
  for (const r of records) if (f(r.data, r.origLen)) acc++;
  const vmOnly = N / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const real = spawnSync('/usr/bin/tcpdump', ['-r', BIG, '-w', '/dev/null', expr], { encoding: 'latin1' });
  const theirs = N / ((performance.now() - t0) / 1000);
  const ok = rc === 0 && real.status === 0 ? '' : ' (error)';
  console.log(`${expr.padEnd(48)} ${fmt(ours)} ${fmt(vmOnly)} ${fmt(theirs)}  ${(ours / theirs).toFixed(2)}${ok}  [${acc} accepted]`);
}
