// tcpdump -r on the IPv6 corpus (tcpdump6.cases.ts) prints what tcpdump 4.99.3
// printed for it (fixtures/tcpdump6.recorded.json, from tcpdump6.record.ts),
// line by line, at each verbosity and with -e, -q, -x/-X, -S, -t.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Vfs } from '../../src/userspace/proc.ts';
import { tcpdumpOffline } from '../../src/userspace/tools/tcpdump.ts';
import { corpusPcap, linkPcaps } from './tcpdump6.cases.ts';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/tcpdump6.recorded.json', import.meta.url), 'utf8')) as {
  args: string[];
  stdout: string;
  stderr: string;
  status: number;
}[];

const files = new Map<string, string>(
  Object.entries({ 'ip6.pcap': corpusPcap(), ...linkPcaps() }).map(([n, b]) => [n, Buffer.from(b).toString('latin1')]),
);

function run(args: string[]): { rc: number | null; out: string; err: string } {
  const vfs: Vfs = { readFile: (p) => files.get(p) ?? { errno: 'ENOENT' }, writeFile: () => null };
  let out = '';
  let err = '';
  const rc = tcpdumpOffline(['tcpdump', ...args], { vfs, out: (s) => (out += s), err: (s) => (err += s) });
  return { rc, out, err };
}

describe('tcpdump prints IPv6 as tcpdump 4.99.3', () => {
  for (const r of recorded) {
    it(r.args.join(' '), () => {
      const ours = run(r.args);
      expect(ours.err).toBe(r.stderr);
      expect(ours.rc).toBe(r.status);
      const want = r.stdout.split('\n');
      const got = ours.out.split('\n');
      for (let i = 0; i < Math.max(want.length, got.length); i++) expect(got[i], `line ${i + 1}`).toBe(want[i]);
    });
  }
});
