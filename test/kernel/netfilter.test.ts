// The filter table in the kernel against Linux 6.18 + iptables 1.8.9: each
// script under netfilter/ ran as root on the real kernel (real-*.txt holds what
// it printed) and runs here in the simulator; the transcripts must be equal.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const dir = new URL('./netfilter/', import.meta.url);

describe('netfilter filter table (nft_do_chain)', () => {
  const cases = [
    ['counters.sh', 'real-counters.txt', 'INPUT/OUTPUT: counters, user chains, RETURN, policy DROP, limit, length, mark, addrtype, REJECT'],
    ['forward.sh', 'real-forward.txt', 'FORWARD: goto, -i/-o, iprange, multiport, udp/tcp REJECT, -D/-F/-X'],
    ['tables.sh', 'real-tables.txt', 'raw, mangle and security tables; iptables-save table order'],
    ['policy-stats.sh', 'real-policy-stats.txt', 'a chain created by its first rule has no policy counters; REJECT tcp-reset in OUTPUT'],
    ['mangle.sh', 'real-mangle.txt', 'raw and mangle PREROUTING before filter INPUT: MARK, mark match, ttl, length; -R and -I -c'],
    ['restore.sh', 'real-restore.txt', 'iptables-restore: flush, --noflush, -c counters, an atomic failed commit'],
  ] as const;
  for (const [script, real, what] of cases) {
    it(`${script}: ${what}`, () => {
      const text = readFileSync(new URL(script, dir), 'utf8');
      const res = runScenario(text, new MemVfs(), { seed: 1 });
      expect(res.transcript.split('\n')).toEqual(readFileSync(new URL(real, dir), 'utf8').split('\n'));
    });
  }
});
