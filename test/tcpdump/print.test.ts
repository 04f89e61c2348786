// Packet lines against the real tcpdump on the oracle corpus, for the flag
// sets scenarios use (DNS is not decoded: port 5353 is left out).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Vfs } from '../../src/userspace/proc.ts';
import { tcpdumpOffline } from '../../src/userspace/tools/tcpdump.ts';
import { PcapWriter } from '../../src/wire/pcap.ts';
import { runOffline } from './helpers.ts';

const TCPDUMP = '/usr/bin/tcpdump';
const corpusPath = fileURLToPath(new URL('../oracle/bpf/corpus.pcap', import.meta.url));
const FLAGS = [
  ['-tt', '-nn'],
  ['-tt', '-nn', '-e'],
  ['-tt', '-nn', '-v'],
  ['-tt', '-nn', '-vv', '-e'],
  ['-tt', '-nn', '-q'],
  ['-tt', '-nn', '-e', '-q'],
  ['-tt', '-nn', '-x'],
  ['-tt', '-nn', '-X'],
  ['-tt', '-nn', '-XX'],
  ['-tt', '-nn', '-S'],
  ['-tt'],
  ['-tt', '-e', '-v'],
  ['-nn', '-c', '7'],
  ['-t', '-nn'],
  ['-ttt', '-nn'],
  ['-tttt', '-nn'],
  ['-ttttt', '-nn'],
  ['-#', '-nn'],
  ['-tt', '-nn', '-c', '3', '-e', '-#'],
  ['--count'],
  ['--count', '-c', '5'],
  ['-nn', '--number', '-c', '2'],
];

describe.skipIf(!existsSync(TCPDUMP))('packet lines as tcpdump prints them', () => {
  for (const flags of FLAGS) {
    it(flags.join(' '), () => {
      const expr = 'not udp port 5353';
      const real = spawnSync(TCPDUMP, [...flags, '-r', corpusPath, expr], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
      const ours = runOffline([...flags, '-r', 'corpus.pcap', expr]);
      expect(ours.rc).toBe(real.status);
      expect(ours.out).toBe(real.stdout);
      expect(ours.err).toBe(real.stderr.replace(corpusPath, 'corpus.pcap'));
    });
  }
});

describe.skipIf(!existsSync(TCPDUMP))('802.1Q and 802.1ad tags', () => {
  const hex = (h: string): number[] => h.match(/../g)?.map((x) => parseInt(x, 16)) ?? [];
  const eth = [...hex('02000000000b'), ...hex('02000000000a')];
  const ip = [...hex('4500001c00004000400100000a0000010a000002'), ...hex('0800f7ff00000000')];
  const arp = [...hex('0001080006040001'), ...hex('02000000000a'), 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2];
  const tag = (tpid: number, tci: number): number[] => [tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff];
  const frames = [
    [...eth, ...tag(0x8100, (3 << 13) | 100), 0x08, 0x00, ...ip],
    [...eth, ...tag(0x8100, 0x1000 | 5), 0x08, 0x06, ...arp],
    [...eth, ...tag(0x88a8, 7), ...tag(0x8100, 8), 0x08, 0x00, ...ip],
  ].map((f) => new Uint8Array(f));
  const dir = mkdtempSync(join(tmpdir(), 'skbpath-vlan-'));
  const w = new PcapWriter({});
  frames.forEach((f, i) => w.write(BigInt(i + 1) * 1_000_000_000n, f));
  writeFileSync(join(dir, 'vlan.pcap'), w.bytes());
  for (const flags of [['-nn'], ['-nn', '-e'], ['-nn', '-v', '-e'], ['-nn', '-e', '-q']]) {
    it(flags.join(' '), () => {
      const real = spawnSync(TCPDUMP, [...flags, '-r', join(dir, 'vlan.pcap')], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
      const vfs: Vfs = {
        readFile: (p) => (p === 'vlan.pcap' ? Buffer.from(w.bytes()).toString('latin1') : { errno: 'ENOENT' }),
        writeFile: () => null,
      };
      let out = '';
      tcpdumpOffline(['tcpdump', ...flags, '-r', 'vlan.pcap'], { vfs, out: (s) => (out += s), err: () => {} });
      expect(out).toBe(real.stdout);
    });
  }
});

// --version, -h, --help and the bad options are compared with the recorded
// 4.99.3 output in options.test.ts (fixtures/options.json), not the host's tcpdump.
