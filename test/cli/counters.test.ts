// Every SNMP counter increment is an event of the path stream, tied to the skb
// the kernel was working on: the increments of a run add up to what nstat
// shows, and a drop names the counters its skb bumped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropCounters, dropJson } from '../../src/machine/path_report.ts';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const ORACLE = new URL('../oracle/', import.meta.url).pathname;

function run(name: string) {
  const script = readFileSync(join(ORACLE, 'scenarios', `${name}.sh`), 'utf8');
  return runScenario(script, new MemVfs(), { path: true, artifacts: true }).world;
}

/** The Icmp columns nstat derives from the IcmpMsg counters (icmpmibmap). */
const DERIVED =
  /^Icmp(In|Out)(DestUnreachs|TimeExcds|ParmProbs|SrcQuenchs|Redirects|Echos|EchoReps|Timestamps|TimestampReps|AddrMasks|AddrMaskReps)$/;

describe('counter events', () => {
  // Scenarios whose setup sends nothing: the traffic window holds every increment.
  for (const name of ['ping-veth', 'udp-closed-port', 'tcp-exchange', 'router-forward', 'iptables-reject', 'frag-mtu', 'traceroute']) {
    it(`${name}: the increments add up to every namespace's counters`, () => {
      const world = run(name);
      const sums = new Map<string, number>();
      for (const c of world.kernel.path.counters) sums.set(`${c.netns} ${c.name}`, (sums.get(`${c.netns} ${c.name}`) ?? 0) + c.by);
      const want = new Map<string, number>();
      for (const net of world.kernel.nets) {
        for (const [n, v] of net.mib.entries()) if (v !== 0 && !DERIVED.test(n)) want.set(`${net.name} ${n}`, v);
      }
      expect(Object.fromEntries([...sums].sort())).toEqual(Object.fromEntries([...want].sort()));
    });
  }

  it('a drop names the counters its skb bumped where it died', () => {
    const path = run('udp-closed-port').kernel.path;
    const drops = path.events.filter((e) => e.kind === 'drop' && e.reason === 'NO_SOCKET');
    expect(drops).toHaveLength(1);
    const counted = dropCounters(drops, path.counters);
    const d = drops[0];
    if (!d) throw new Error('no drop');
    const names = (counted.get(d) ?? []).map((c) => c.name);
    expect(names).toContain('UdpNoPorts');
    expect(names).toContain('IpInReceives');
    expect(dropJson(d, counted.get(d) ?? []).counters).toContainEqual({ name: 'UdpNoPorts', by: 1, func: '__udp4_lib_rcv' });
  });

  it('a syscall bumps counters with no skb in hand until it makes one', () => {
    const path = run('tcp-exchange').kernel.path;
    const opens = path.counters.filter((c) => c.name === 'TcpActiveOpens');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.comm).toBe('nc');
  });
});
