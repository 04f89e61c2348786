// More of pcap-filter(7) than the oracle covers (IPv6 hosts and nets, byte,
// mpls, pppoe, inbound/outbound, names, implied qualifiers, errors): the
// program or the message must be the real tcpdump's.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOffline } from './helpers.ts';

const TCPDUMP = '/usr/bin/tcpdump';
const exprs = readFileSync(new URL('expressions.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

describe.skipIf(!existsSync(TCPDUMP))('expressions against tcpdump -d', () => {
  for (const e of exprs) {
    it(e, () => {
      const real = spawnSync(TCPDUMP, ['-d', '-y', 'EN10MB', e], { encoding: 'latin1' });
      const ours = runOffline(['-d', '-y', 'EN10MB', e]);
      expect(ours.rc).toBe(real.status);
      expect(ours.out).toBe(real.stdout);
      expect(ours.err).toBe(real.stderr);
    });
  }
});
