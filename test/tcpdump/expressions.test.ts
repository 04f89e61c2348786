// More of pcap-filter(7) than the oracle covers (IPv6 hosts and nets, byte,
// mpls, pppoe, inbound/outbound, names, implied qualifiers, errors): the
// program or the message must be the real tcpdump's.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOffline } from './helpers.ts';

const TCPDUMP = '/usr/bin/tcpdump';
const exprs = readFileSync(new URL('expressions.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

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

describe.skipIf(!existsSync(TCPDUMP))('-dd, -ddd and -O (no optimizer) against tcpdump', () => {
  for (const e of [
    'tcp port 80',
    'icmp or arp',
    'ip[2:2] - 20 > 40',
    'not host 10.0.0.1 and (udp or icmp)',
    'ether host 02:00:00:00:00:0a',
    'portrange 8000-9000',
  ]) {
    for (const d of [['-dd'], ['-ddd'], ['-O', '-d']]) {
      it(`${d.join(' ')} ${e}`, () => {
        const real = spawnSync(TCPDUMP, [...d, '-y', 'EN10MB', e], { encoding: 'latin1' });
        expect(runOffline([...d, '-y', 'EN10MB', e]).out).toBe(real.stdout);
      });
    }
  }
});

// tcpdump -i any -d compiles for Linux cooked v2; it needs no privilege to open "any".
const anyWorks = existsSync(TCPDUMP) && spawnSync(TCPDUMP, ['-i', 'any', '-d', 'ip'], { encoding: 'latin1' }).status === 0;
describe.skipIf(!anyWorks)('expressions against tcpdump -i any -d (LINUX_SLL2)', () => {
  for (const e of exprs) {
    it(e, () => {
      const real = spawnSync(TCPDUMP, ['-i', 'any', '-d', e], { encoding: 'latin1' });
      const ours = runOffline(['-i', 'any', '-d', e]);
      expect(ours.rc).toBe(real.status);
      expect(ours.out).toBe(real.stdout);
      expect(ours.err).toBe(real.stderr);
    });
  }
});
