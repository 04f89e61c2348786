// Benchmark: N mutated oracle frames (default 1,000,000) through b's whole
// receive path, GAP µs of virtual time apart (default 40: a million frames
// cover 40 s, past the 30 s reassembly timeout), with a reader emptying b's
// sockets every 1,000 frames. Prints frames per wall second and the heap and
// resident memory every 100,000 frames: with nothing kept per frame they stay
// flat. Run from the repository root after `npm run build`:
//   node --expose-gc dist/bench-fuzz-frames.js [N] [SEED] [GAP]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CaseGen, corpusFrom, mutateFrame } from './fuzz-mutate.ts';
import { drainSockets, injectFrame, makeTarget } from './fuzz-target.ts';

const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
const gapNs = Number(process.argv[4] ?? 40) * 1000;
const GOLDEN = join(process.cwd(), 'test/oracle/golden');

function pcaps(dir: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...pcaps(p));
    else if (p.endsWith('.pcap') && p.includes('/pcap/')) out.push(new Uint8Array(readFileSync(p)));
  }
  return out;
}

const corpus = corpusFrom(pcaps(GOLDEN));
const gen = new CaseGen(seed);
const t = makeTarget(seed);
const sim = t.world.sim;
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (n: number): string => (n / 1048576).toFixed(1);

process.stdout.write(`bench fuzz-frames: corpus=${corpus.length} frames, ${total} mutated frames ${gapNs / 1000} µs apart, seed ${seed}\n`);
const t0 = performance.now();
let tPrev = t0;
let injected = 0;
let refused = 0;
for (let i = 1; i <= total; i++) {
  const f = mutateFrame(corpus, gen.next(corpus.length));
  if (injectFrame(t, f) === null) refused++;
  else injected++;
  const next = sim.now + gapNs;
  sim.runUntil(() => sim.events.peekTime() > next);
  if (sim.now < next) sim.clock.now = next;
  if (i % 1000 === 0) drainSockets(t);
  if (i % 100_000 === 0) {
    const now = performance.now();
    gc?.();
    const m = process.memoryUsage();
    process.stdout.write(
      `  ${String(i).padStart(8)} frames  ${Math.round(100_000 / ((now - tPrev) / 1000))} frames/s  heapUsed ${mib(m.heapUsed)} MiB  rss ${mib(m.rss)} MiB  ` +
        `virtual ${(sim.now / 1e9).toFixed(1)} s  frag queues ${t.b.fragQueues.size}  neighbours ${t.b.arpTbl.entries.size}\n`,
    );
    tPrev = now;
  }
}
const wall = (performance.now() - t0) / 1000;
const vb = t.vb.stats;
process.stdout.write(
  `bench fuzz-frames: ${total} frames (${injected} received, ${refused} shorter than 14 bytes) in ${wall.toFixed(1)} s = ${Math.round(total / wall)} frames/s; ` +
    `vb rx_dropped ${vb.rx_dropped}, b: ${t.b.fragQueues.size} reassembly queues, ${t.b.arpTbl.entries.size} neighbours; peakRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB\n`,
);
