// ip -6 rule and the IPv6 lookups through the rules against what iproute2
// 6.1.0 and Linux 6.18 did (fixtures/rule6.json, recorded by rule6.record.ts):
// each command's output and status, and for each `ip -6 route get` the
// fib6:fib6_table_lookup events it fired (which tables the rules tried, in
// order, and what each answered).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newWorld, sh } from '../../ip_world.ts';

interface Fixture {
  setup: string[];
  cases: [command: string, output: string, status: number, trace: string[] | null][];
}

const fx = JSON.parse(readFileSync(new URL('./fixtures/rule6.json', import.meta.url), 'utf8')) as Fixture;
const inNs = (c: string): string => (c.startsWith('ip ') ? c.replace(/^ip /, 'ip -n r ') : `ip netns exec r ${c}`);

describe('ip -6 rule and lookups through it (recorded)', () => {
  const w = newWorld();
  sh(w, 'ip netns add r');
  for (const c of fx.setup) expect(sh(w, inNs(c)).status).toBe(0);
  // the links come up (linkwatch, addrconf) as they had when the recording went on
  const until = w.sim.clock.now + 2e9;
  w.sim.runUntil(() => w.sim.clock.now >= until);
  const net = w.netns.get('r');
  if (!net) throw new Error('no namespace r');
  const tracer = net.kernel.tracer;
  fx.cases.forEach(([command, output, status, trace], i) => {
    it(`${i}: ${command}`, () => {
      tracer.events.length = 0;
      tracer.enabled = trace !== null;
      const r = sh(w, inNs(command));
      tracer.enabled = false;
      expect(r.out).toBe(output);
      expect(r.status).toBe(status);
      if (trace) {
        const dst = command.split(' get ')[1]?.split(' ')[0];
        const got = tracer.events.filter((e) => e.event === 'fib6_table_lookup' && e.body.includes(` -> ${dst}/`)).map((e) => e.body);
        expect(got).toEqual(trace);
      }
    });
  });
});
