// vxlan beyond the recorded scenarios (drivers/net/vxlan/vxlan_core.c of
// 6.18): the lower device takes its vxlan devices along when it goes; a vxlan
// device moved to another namespace still encapsulates in the one it was made
// in; a learnt entry ages out at the next sweep after `ageing`; an IPv6
// underlay is refused as not simulated.
import { describe, expect, it } from 'vitest';
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';
import { runScript } from '../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../src/userspace/tools/index.ts';

function sh(script: string): { out: string; status: number } {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  let out = '';
  const task = world.sim.sched.spawn(
    'bash',
    runScript(world, script, {
      scriptName: 'bash',
      command: true,
      stdout: { write: (s) => void (out += s) },
      stderr: { write: (s) => void (out += s) },
      net: world.initNet,
    }),
  );
  world.sim.runTask(task);
  return { out, status: task.exitStatus };
}

const PAIR = `ip netns add a
ip netns add b
for ns in a b; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n b link add vx0 address 02:00:00:00:0b:0b type vxlan id 5 dstport 4789 remote 10.0.0.1 dev vb
ip -n b addr add 192.168.5.2/24 dev vx0
ip -n b link set vx0 up
`;

describe('vxlan', () => {
  it('goes with its lower device', () => {
    const r = sh(`${PAIR}ip -n b link del vb
ip -n b -br link show`);
    expect(r.out).toBe('lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n');
  });

  it('moved to another namespace, encapsulates in the one it was made in', () => {
    const r = sh(`${PAIR}ip -n a link add vx0 address 02:00:00:00:0a:0a type vxlan id 5 dstport 4789 remote 10.0.0.2 dev va
ip netns add c
ip netns exec c sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip -n a link set vx0 netns c
ip -n c addr add 192.168.5.1/24 dev vx0
ip -n c link set vx0 up
ip netns exec c ping -c 1 192.168.5.2 | head -2
bridge -n b fdb show dev vx0`);
    expect(r.out).toContain('64 bytes from 192.168.5.2: icmp_seq=1 ttl=64');
    expect(r.out).toContain('02:00:00:00:0a:0a dst 10.0.0.1 self \n');
  });

  it('forgets a learnt entry at the sweep after ageing', () => {
    const r = sh(`${PAIR}ip -n a link add vx0 address 02:00:00:00:0a:0a type vxlan id 5 dstport 4789 remote 10.0.0.2 dev va
ip -n a addr add 192.168.5.1/24 dev vx0
ip -n a link set vx0 up
ip -n b link set vx0 down
ip -n b link del vx0
ip -n b link add vx0 address 02:00:00:00:0b:0b type vxlan id 5 dstport 4789 remote 10.0.0.1 dev vb ageing 2
ip -n b addr add 192.168.5.2/24 dev vx0
ip -n b link set vx0 up
ip netns exec a ping -c 1 192.168.5.2 >/dev/null
bridge -n b fdb show dev vx0
echo --
sleep 9
bridge -n b fdb show dev vx0
echo --
sleep 2
bridge -n b fdb show dev vx0`);
    expect(r.out).toBe(
      '02:00:00:00:0a:0a dst 10.0.0.1 self \n00:00:00:00:00:00 dst 10.0.0.1 via vb self permanent\n--\n' +
        '02:00:00:00:0a:0a dst 10.0.0.1 self \n00:00:00:00:00:00 dst 10.0.0.1 via vb self permanent\n--\n' +
        '00:00:00:00:00:00 dst 10.0.0.1 via vb self permanent\n',
    );
  });

  it('refuses an IPv6 underlay as not simulated', () => {
    const r = sh('ip link add vx0 type vxlan id 5 dstport 4789 remote 2001:db8::1');
    expect(r).toEqual({ out: 'Error: skbpath: vxlan over an IPv6 underlay is not simulated.\n', status: 2 });
  });
});
