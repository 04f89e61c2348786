// skbpath-nic: the slots and NVM MACs it hands out belong to the World, so the
// same script run twice in one process gives the same devices.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const SCRIPT = `ip netns add a
ip netns add b
skbpath-nic add eth0 netns a peer eth0 netns b
skbpath-nic add eth1 netns a model snull peer eth1 netns b
ip -n a link show eth0
ip -n b link show eth1
ethtool -i eth0 2>&1 || true
ip netns exec a ethtool -i eth0
skbpath-nic show
skbpath-nic add eth0 netns a peer eth9 netns b
skbpath-nic add eth7 netns a peer eth7 netns a
skbpath-nic del eth1 netns b
skbpath-nic del eth1 netns b
skbpath-nic show
`;

describe('skbpath-nic', () => {
  it('gives the same MACs and PCI slots when the same script runs twice', () => {
    const a = runScenario(SCRIPT, new MemVfs()).transcript;
    const b = runScenario(SCRIPT, new MemVfs()).transcript;
    expect(b).toBe(a);
    expect(a).toContain('link/ether 52:54:00:12:34:56');
    expect(a).toContain('bus-info: 0000:00:03.0');
    expect(a).toContain('skbpath-nic: a already has a device "eth0"');
    expect(a).toContain('skbpath-nic: the two ends need different names');
    expect(a).toContain('skbpath-nic: no skbpath NIC "eth1" in b');
  });
});
