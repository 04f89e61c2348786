// ethtool goes through the uapi ethtool entry only: the same answers for
// e1000, snull, veth and lo as the driver ethtool_ops give them.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const run = (s: string): string => runScenario(s, new MemVfs()).transcript;

describe('ethtool through ethtool_ops', () => {
  it('sets rings and coalescing through the uapi and refuses what the driver does not take', () => {
    const out = run(`skbpath-nic add eth0 peer eth1
ethtool -G eth0 rx 500 tx 1024; echo rc=$?
ethtool -g eth0 | grep -A1 Current
ethtool -G eth0 rx 5000; echo rc=$?
ethtool -C eth0 rx-usecs 100 tx-usecs 5; echo rc=$?
ethtool -C eth0 rx-usecs 2; echo rc=$?
ethtool -C eth0 rx-usecs 100; echo rc=$?
ethtool -c eth0 | grep '^rx-usecs:'
ip link add va type veth peer name vb
ethtool -g va; echo rc=$?
ethtool -S va | head -2
ethtool -S lo; echo rc=$?
ethtool -i eth1 | head -1
`);
    expect(out).toBe(`rc=0
Current hardware settings:
RX:\t\t504
netlink error: requested ring size exceeds maximum
netlink error: Invalid argument
rc=81
netlink error: cannot modify an unsupported parameter (offset 44)
netlink error: Invalid argument
rc=1
netlink error: Invalid argument
rc=1
rc=0
rx-usecs: 100
netlink error: Operation not supported
rc=1
NIC statistics:
     peer_ifindex: 4
no stats available
rc=94
driver: e1000
`);
  });
});
