// Packet lines against the real tcpdump on the oracle corpus, for the flag
// sets scenarios use (DNS is not decoded: port 5353 is left out).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
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
