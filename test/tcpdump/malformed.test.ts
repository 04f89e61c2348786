// Frames of the corpus cut short and with header bytes changed: most lines
// must be the real tcpdump's, and none may throw. (VLAN/LLC decoding and a
// few truncated-option forms are not done; see the report.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Printer, tsPrefix } from '../../src/userspace/tcpdump/print.ts';
import { PcapWriter, readPcap } from '../../src/wire/pcap.ts';

const TCPDUMP = '/usr/bin/tcpdump';
const corpus = readPcap(new Uint8Array(readFileSync(new URL('../oracle/bpf/corpus.pcap', import.meta.url)))).records.filter(
  (r) => !(r.data[36] === 0x14 && r.data[37] === 0xe9), // mDNS: DNS is not decoded
);

function mutated(seed: number, n: number): Uint8Array[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const out: Uint8Array[] = [];
  while (out.length < n) {
    const r = corpus[Math.floor(rnd() * corpus.length)];
    if (!r || r.data.length < 2) continue;
    let f = new Uint8Array(r.data);
    const kind = rnd();
    if (kind < 0.3) f = f.subarray(0, 1 + Math.floor(rnd() * (f.length - 1)));
    else if (kind < 0.8) {
      const k = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < k; j++) f[12 + Math.floor(rnd() * Math.min(48, f.length - 12))] = Math.floor(rnd() * 256);
    }
    out.push(f);
  }
  return out;
}

describe.skipIf(!existsSync(TCPDUMP))('malformed frames', () => {
  const frames = mutated(1, 2000);
  const dir = mkdtempSync(join(tmpdir(), 'skbpath-td-'));
  const file = join(dir, 'mut.pcap');
  const w = new PcapWriter({});
  frames.forEach((f, i) => w.write(BigInt(i + 1) * 1_000_000_000n, f, f.length));
  writeFileSync(file, w.bytes());
  const cases: [string[], number][] = [
    [['-nn'], 0.97],
    [['-nn', '-vv', '-e'], 0.95],
  ];
  for (const [flags, rate] of cases) {
    it(`${flags.join(' ')}: at least ${rate * 100}% of the lines as tcpdump prints them`, () => {
      const real = spawnSync(TCPDUMP, ['-tt', ...flags, '-r', file], { encoding: 'latin1' }).stdout.split(/\n(?=\d+\.000000 )/);
      const p = new Printer({
        eflag: flags.includes('-e'),
        vflag: flags.includes('-vv') ? 2 : 0,
        nflag: 2,
        qflag: false,
        xflag: 0,
        Xflag: 0,
        Sflag: false,
        tflag: 2,
      });
      const ours = frames.map((f, i) => (tsPrefix(2, i + 1, 0) + p.packet(f, f.length)).replace(/\n$/, ''));
      real[real.length - 1] = (real[real.length - 1] ?? '').replace(/\n$/, '');
      let same = 0;
      ours.forEach((l, i) => (same += l === real[i] ? 1 : 0));
      expect(same / frames.length).toBeGreaterThanOrEqual(rate);
    });
  }
});
