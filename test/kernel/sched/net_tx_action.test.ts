// __qdisc_run's quota (dev_tx_weight, 64) and net_tx_action as 6.18 has them:
// a run that reaches the quota reschedules the qdisc on the CPU's output_queue
// and NET_TX sends the rest; net_tx_action counts no time_squeeze (only
// net_rx_action does: softnet_stat's third column stays 0); and a qdisc drop
// is the qdisc's, not the device's (ip -s link TX dropped stays 0).
import { expect, it } from 'vitest';
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';
import { runScript } from '../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../src/userspace/tools/index.ts';
import type { NetDevice } from '../../../src/kernel/core/netdevice.ts';
import { __QDISC_STATE_SCHED, __qdisc_run, netif_start_queue, netif_stop_queue } from '../../../src/kernel/sched/sch_generic.ts';

function box() {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  const root = world.createNet('init_net');
  let out = '';
  const sh = (text: string): number => {
    const task = world.sim.sched.spawn(
      'bash',
      runScript(world, text, {
        scriptName: 'bash',
        command: true,
        stdout: { write: (s) => void (out += s) },
        stderr: { write: (s) => void (out += s) },
        net: root,
      }),
    );
    world.sim.runTask(task);
    return task.exitStatus;
  };
  const take = () => {
    const o = out;
    out = '';
    return o;
  };
  const dev = (ns: string, name: string) => world.netns.get(ns)?.devByName.get(name) as NetDevice;
  return { world, sh, take, dev };
}

const PAIR = `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev va
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev vb
`;

it('__qdisc_run sends dev_tx_weight (64) packets, NET_TX the rest, and no time_squeeze is counted', () => {
  const b = box();
  b.sh(`${PAIR}ip netns exec a tc qdisc add dev va root handle 1: pfifo limit 200`);
  const va = b.dev('a', 'va');
  const q = va.qdisc;
  if (!q) throw new Error('no qdisc');
  // the driver's queue is stopped: 100 echo requests wait in the pfifo
  netif_stop_queue(va);
  expect(b.sh('ip netns exec a ping -q -c 100 -i 0.002 -w 1 10.0.0.2 >/dev/null')).not.toBe(0);
  // the first went the bypass way (counted, then requeued: gso_skb, in qlen too)
  expect(q.bstats.packets).toBe(1);
  expect(q.gso_skb.length).toBe(1);
  expect(q.q.qlen).toBe(100);
  // one run: the quota stops it after 64 and puts the qdisc on the output_queue
  netif_start_queue(va);
  __qdisc_run(q);
  expect(q.gso_skb.length).toBe(0);
  expect(q.q.qlen).toBe(36);
  expect(q.bstats.packets).toBe(64);
  expect(q.state & (1 << __QDISC_STATE_SCHED)).not.toBe(0);
  // NET_TX's net_tx_action sends the other 36
  b.sh('sleep 0.01');
  expect(q.bstats.packets).toBe(100);
  expect(q.q.qlen).toBe(0);
  expect(q.state & (1 << __QDISC_STATE_SCHED)).toBe(0);
  b.sh('cat /proc/net/softnet_stat');
  for (const line of b.take().trim().split('\n')) expect(line.split(' ')[2]).toBe('00000000');
});

it('a pfifo drop counts in the qdisc, not in the device: ip -s link TX dropped stays 0', () => {
  const b = box();
  b.sh(`${PAIR}ip netns exec a tc qdisc add dev va root handle 1: pfifo limit 10`);
  const va = b.dev('a', 'va');
  netif_stop_queue(va);
  b.sh('ip netns exec a ping -q -c 30 -i 0.002 -w 1 10.0.0.2 >/dev/null');
  netif_start_queue(va);
  b.take();
  const q = va.qdisc;
  if (!q) throw new Error('no qdisc');
  expect(q.q.qlen).toBe(10);
  expect(q.qstats.drops).toBeGreaterThan(0);
  expect(va.stats.tx_dropped).toBe(0);
  b.sh('ip netns exec a tc -s qdisc show dev va; ip -n a -s link show va');
  const out = b.take();
  expect(out).toContain(`(dropped ${q.qstats.drops}, overlimits 0 requeues 1)`);
  expect(out).toMatch(/TX: {2}bytes +packets +errors +dropped +carrier +collsns *\n +0 +0 +0 +0 +0 +0/);
});
