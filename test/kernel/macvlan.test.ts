// macvlan and namespaces: a macvlan deleted with its namespace gives its
// address back to the lower device's list; one whose lower device's namespace
// goes is deleted with it; a macvlan moved away keeps the operstate linkwatch
// gave it where it was created. The fixture is Linux 6.18's output
// (macvlan.record.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const FIX = join(new URL('.', import.meta.url).pathname, 'fixtures');

describe('macvlan across namespaces', () => {
  it('goes with its lower device and its own namespace as on Linux', () => {
    const script = readFileSync(join(FIX, 'macvlan_netns.sh'), 'utf8');
    const out = runScenario(script, new MemVfs()).transcript;
    expect(out).toBe(readFileSync(join(FIX, 'macvlan_netns.linux.txt'), 'utf8'));
  });

  it('refuses to stack on a device that already has another rx_handler (a bridge port)', () => {
    const out = runScenario(
      `ip link add br0 type bridge
ip link add p0 type veth peer name p1
ip link set p0 master br0
ip link add m0 link p0 type macvlan; echo "rc=$?"
ip link add m1 link p1 type macvlan
ip link set p1 master br0; echo "rc=$?"
`,
      new MemVfs(),
    ).transcript;
    // what Linux 6.18 printed for the same commands
    expect(out).toBe('RTNETLINK answers: Device or resource busy\nrc=2\nRTNETLINK answers: Device or resource busy\nrc=2\n');
  });
});
