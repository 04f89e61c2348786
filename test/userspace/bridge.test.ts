// `bridge` and `ip link … type bridge|master` against what iproute2 6.1 and
// Linux 6.18 printed on the oracle machine: each bridge/NAME.sh was run for
// real (as root, in throw-away namespaces) and its output kept in NAME.out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const DIR = join(new URL('.', import.meta.url).pathname, 'bridge');

describe('bridge (recorded on Linux 6.18, iproute2 6.1)', () => {
  for (const name of ['fdb-link', 'ports', 'link-set', 'mtu', 'updown-move', 'errors', 'fdb-excl']) {
    it(name, () => {
      const script = readFileSync(join(DIR, `${name}.sh`), 'utf8');
      const want = readFileSync(join(DIR, `${name}.out`), 'utf8');
      const res = runScenario(script, new MemVfs());
      expect(res.transcript).toBe(want);
    });
  }
});

describe('a bridge loop', () => {
  it('stops at the event budget and names the loop', () => {
    const script = readFileSync(join(DIR, 'loop.sh'), 'utf8');
    const res = runScenario(script, new MemVfs(), { budget: { maxEvents: 50_000, maxVirtualNs: 3600e9 } });
    expect(res.exitStatus).toBe(124);
    expect(res.error).toMatch(/^skbpath: event budget of 50000 events exhausted at t=\S+s: packets kept arriving on /);
    // the storm leaves handle_softirqs to ksoftirqd/0 after 10 restarts, so the setup goes on meanwhile:
    // h's veth comes up and pv floods too, as on Linux
    expect(res.error).toContain('a bridge loop: frames go round a/br0 (ports x1, x2, pv) and b/br1 (ports y1, y2) with STP off');
  });
});
