// drivers/net/dummy.c (not built into the recording machine's kernel: no
// recording; the expectations are what dummy_setup(), dummy_xmit() and
// iproute2 6.1's print_linkinfo() compute).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';

const SETUP = `ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a link add d0 address 02:00:00:00:00:d0 type dummy
ip -n a addr add 10.7.0.1/24 dev d0
ip -n a link set d0 up
`;

function run(script: string) {
  return runScenario(SETUP + script, new MemVfs(), {});
}

describe('dummy', () => {
  it('is a NOARP Ethernet device without multicast, no queue, state UNKNOWN, no MTU bounds', () => {
    const r = run('ip -n a -d link show d0\n');
    expect(r.transcript).toBe(
      '2: d0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:d0 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 0 \n' +
        '    dummy addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n',
    );
  });

  it('counts what is routed out of it as transmitted and frees it (dev_lstats_add, no drop)', () => {
    const r = run(`ip -n a route add 10.8.0.0/24 dev d0
ip netns exec a ping -c 2 -i 0.2 -W 1 10.8.0.5 > /dev/null; echo "rc=$?"
ip netns exec a ping -c 1 -W 1 10.7.0.9 > /dev/null; echo "rc=$?"
ip -n a -s link show d0
ip -n a route show
`);
    expect(r.transcript).toBe(
      'rc=1\nrc=1\n' +
        '2: d0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:d0 brd ff:ff:ff:ff:ff:ff\n' +
        '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '             0       0      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '           294       3      0       0       0       0 \n' +
        '10.7.0.0/24 dev d0 proto kernel scope link src 10.7.0.1 \n' +
        '10.8.0.0/24 dev d0 scope link \n',
    );
  });

  it('names itself dummy%d, refuses a bad address, and goes with ip link del', () => {
    const r = run(`ip -n a link add type dummy
ip -n a link add d1 address 01:00:00:00:00:01 type dummy; echo "rc=$?"
ip -n a link del dummy0
ip -n a -br link show
`);
    expect(r.transcript).toBe(
      'RTNETLINK answers: Cannot assign requested address\nrc=2\n' +
        'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n' +
        'd0               UNKNOWN        02:00:00:00:00:d0 <BROADCAST,NOARP,UP,LOWER_UP> \n',
    );
  });
});
