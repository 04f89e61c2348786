// Runs the offline tcpdump (-r, -d) over the oracle corpus in memory.
import { readFileSync } from 'node:fs';
import type { Vfs } from '../../src/userspace/proc.ts';
import { tcpdumpOffline } from '../../src/userspace/tools/tcpdump.ts';

const dir = new URL('../oracle/bpf/', import.meta.url);
const corpus = readFileSync(new URL('corpus.pcap', dir), 'latin1');
const vfs: Vfs = {
  readFile: (p) => (p === 'corpus.pcap' ? corpus : { errno: 'ENOENT' }),
  writeFile: () => null,
};

export function runOffline(args: string[]): { rc: number; out: string; err: string } {
  let out = '';
  let err = '';
  const rc = tcpdumpOffline(['tcpdump', ...args], { vfs, out: (s) => (out += s), err: (s) => (err += s) });
  return { rc: rc ?? -1, out, err };
}
