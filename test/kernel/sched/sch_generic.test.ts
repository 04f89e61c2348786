// The qdisc layer (net/sched/sch_generic.c, sch_api.c): default qdiscs,
// grafting, the transmit engine's stats and tracepoints, the watchdog that
// reschedules a throttled qdisc, and what a device going down does to a queue.
import { describe, expect, it } from 'vitest';
import { runScript } from '../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../src/userspace/tools/index.ts';
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import type { NetDevice } from '../../../src/kernel/core/netdevice.ts';
import type { SkBuff } from '../../../src/kernel/skbuff.ts';
import {
  Qdisc,
  type Qdisc_ops,
  dev_activate,
  dev_deactivate,
  dev_graft_qdisc,
  qdisc_dequeue_head,
  qdisc_enqueue_tail,
  qdisc_hash_for_each,
  qdisc_peek_head,
  qdisc_priv,
  qdisc_watchdog_init,
  qdisc_watchdog_schedule_ns,
  type QdiscWatchdog,
} from '../../../src/kernel/sched/sch_api.ts';

class Box {
  readonly world = new SimWorld(new MemVfs());
  out = '';
  readonly root: Net;
  constructor() {
    registerAll(this.world.commands);
    this.root = this.world.createNet('init_net');
  }
  sh(text: string, net?: Net): number {
    const task = this.world.sim.sched.spawn(
      'bash',
      runScript(this.world, text, {
        scriptName: 'bash',
        command: true,
        stdout: { write: (s) => void (this.out += s) },
        stderr: { write: (s) => void (this.out += s) },
        net: net ?? this.root,
      }),
    );
    this.world.sim.runTask(task);
    return task.exitStatus;
  }
  take(): string {
    const o = this.out;
    this.out = '';
    return o;
  }
  dev(ns: string, name: string): NetDevice {
    return this.world.netns.get(ns)?.devByName.get(name) as NetDevice;
  }
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
`;

describe('default qdiscs', () => {
  it('a veth has noop until it is up, then noqueue; a NIC gets pfifo_fast (refcnt 2, handle 0)', () => {
    const b = new Box();
    b.sh(`ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns a
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b
ip -n a link show va | head -1 | grep -o 'qdisc [a-z_]*'
ip -n a link set va up
ip -n a link set eth0 up
ip -n a link show va | head -1 | grep -o 'qdisc [a-z_]*'
ip netns exec a tc qdisc show dev eth0
ip netns exec a tc qdisc show dev vb`);
    expect(b.take()).toBe('qdisc noop\nqdisc noqueue\nqdisc pfifo_fast 0: root refcnt 2 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\n');
  });

  it('ip link follows the grafted root; deleting it brings the default back', () => {
    const b = new Box();
    b.sh(`${PAIR}ip netns exec a tc qdisc add dev va root bfifo
ip -n a link show va | head -1 | grep -o 'qdisc [a-z_]*'
ip netns exec a tc qdisc show dev va
ip netns exec a tc qdisc del dev va root
ip -n a link show va | head -1 | grep -o 'qdisc [a-z_]*'`);
    expect(b.take()).toBe('qdisc bfifo\nqdisc bfifo 8001: root refcnt 3 limit 1514000b\nqdisc noqueue\n');
  });

  it('handles are allocated machine-wide from 8001:, skipping those in use', () => {
    const b = new Box();
    b.sh(`${PAIR}ip netns exec a tc qdisc add dev va root pfifo
ip netns exec b tc qdisc add dev vb root handle 8002: pfifo
ip netns exec a tc qdisc replace dev va root bfifo
ip netns exec b tc qdisc replace dev vb root bfifo
ip netns exec a tc qdisc show dev va
ip netns exec b tc qdisc show dev vb`);
    expect(b.take()).toBe('qdisc bfifo 8002: root refcnt 3 limit 1514000b\nqdisc bfifo 8003: root refcnt 3 limit 1514000b\n');
  });

  it('net.core.default_qdisc (init_net only) picks what a NIC gets; an unknown kind is ENOENT', () => {
    const b = new Box();
    b.sh(`sysctl -w net.core.default_qdisc=xyz
sysctl -w net.core.default_qdisc=pfifo_head_drop
ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b
ip -n a link set eth0 up
ip netns exec a tc qdisc show dev eth0
ip netns exec a sysctl net.core.default_qdisc`);
    expect(b.take()).toBe(
      'sysctl: setting key "net.core.default_qdisc": No such file or directory\n' +
        'net.core.default_qdisc = pfifo_head_drop\n' +
        'qdisc pfifo_head_drop 0: root refcnt 2 limit 1000p\n' +
        'sysctl: cannot stat /proc/sys/net/core/default_qdisc: No such file or directory\n',
    );
  });

  it('txqueuelen 0 on a NIC: pfifo_fast refuses, noqueue instead (dmesg says so)', () => {
    const b = new Box();
    b.sh(`ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b
ip -n a link set eth0 txqueuelen 0
ip -n a link set eth0 up
ip netns exec a tc qdisc show dev eth0
dmesg | grep -c 'default qdisc (pfifo_fast) fail, fallback to noqueue'`);
    expect(b.take()).toBe('qdisc noqueue 0: root refcnt 2 \n1\n');
  });
});

describe('the transmit engine', () => {
  it('counts what a pfifo sends, and fires qdisc_enqueue/qdisc_dequeue with their TP_printk', () => {
    const b = new Box();
    b.sh(`${PAIR}ip netns exec a tc qdisc add dev va root handle 1: pfifo limit 3`);
    b.take();
    const k = b.world.kernel;
    k.tracer.enabled = true;
    b.sh('ip netns exec a ping -c 2 -i 0.2 10.0.0.2 > /dev/null');
    k.tracer.enabled = false;
    const q = b.dev('a', 'va').qdisc as Qdisc;
    // the ARP request and the two echo requests; a work-conserving empty queue is bypassed (bstats still count)
    expect(q.bstats).toEqual({ packets: 3, bytes: 42 + 98 + 98 });
    const evs = k.tracer.events
      .filter((e) => e.event.startsWith('qdisc_'))
      .map((e) => `${e.event}: ${e.body.replace(/skbaddr=\w+/, 'skbaddr=SKB')}`);
    // an empty work-conserving queue is bypassed: no enqueue; __qdisc_run then finds nothing (packets=0)
    expect(evs).toEqual(
      Array(3).fill('qdisc_dequeue: dequeue ifindex=2 qdisc handle=0x10000 parent=0xFFFFFFFF txq_state=0x0 packets=0 skbaddr=SKB'),
    );
    b.sh('ip netns exec a tc -s qdisc show dev va', b.world.netns.get('a'));
    expect(b.take()).toContain(' Sent 238 bytes 3 pkt (dropped 0, overlimits 0 requeues 0) \n');
  });

  it('a qdisc that throttles is run again by its watchdog on the simulated clock', () => {
    const b = new Box();
    b.sh(PAIR);
    const dev = b.dev('a', 'va');
    const k = b.world.kernel;
    // a one-packet-per-ms pacer: dequeue holds the head back until its time, then the watchdog reschedules
    interface Pacer {
      wd: QdiscWatchdog | null;
      next: number;
    }
    const pacer: Qdisc_ops = {
      id: 'pacer',
      priv: (): Pacer => ({ wd: null, next: 0 }),
      enqueue: (skb: SkBuff, sch: Qdisc) => qdisc_enqueue_tail(skb, sch),
      dequeue: (sch: Qdisc) => {
        const p = qdisc_priv<Pacer>(sch);
        if (!qdisc_peek_head(sch)) return null;
        const now = k.sim.now;
        if (now < p.next) {
          qdisc_watchdog_schedule_ns(p.wd as QdiscWatchdog, p.next);
          return null;
        }
        p.next = now + 1_000_000;
        return qdisc_dequeue_head(sch);
      },
      peek: qdisc_peek_head,
      init: (sch: Qdisc) => {
        qdisc_priv<Pacer>(sch).wd = qdisc_watchdog_init(sch);
        return 0;
      },
    };
    const q = new Qdisc(pacer, dev.txq);
    q.handle = 0x10000;
    q.parent = 0xffffffff;
    pacer.init?.(q, undefined, { msg: null });
    dev_deactivate(dev);
    dev_graft_qdisc(dev.txq, q);
    dev.qdisc = q;
    dev_activate(dev);
    const times: number[] = [];
    const tx = dev.ops.ndo_start_xmit;
    (dev as { ops: typeof dev.ops }).ops = { ...dev.ops, ndo_start_xmit: (skb, d) => (times.push(k.sim.now), tx(skb, d)) };
    b.sh('ip netns exec a ping -c 3 -l 3 -i 0.2 10.0.0.2 > /dev/null');
    const gaps = times.slice(1, 4).map((t, i) => t - (times[i] as number));
    // the ARP request goes first; the three echo requests queued behind it leave 1 ms apart
    expect(times.length).toBeGreaterThanOrEqual(4);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(1_000_000);
    expect(q.q.qlen).toBe(0);
  });

  it('a device going down frees what its qdisc holds (qdisc_reset)', () => {
    const b = new Box();
    b.sh(PAIR);
    const dev = b.dev('a', 'va');
    const q = dev.qdisc as Qdisc;
    expect(q.ops.id).toBe('noqueue');
    b.sh('ip netns exec a tc qdisc add dev va root handle 1: pfifo');
    const p = dev.qdisc as Qdisc;
    // stop the TX queue so that skbs wait in the qdisc
    dev.txq.state |= 1;
    b.sh('ip netns exec a ping -c 1 -W 1 10.0.0.2 > /dev/null');
    expect(p.q.qlen).toBeGreaterThan(0);
    const k = b.world.kernel;
    k.path.enabled = true;
    b.sh('ip -n a link set va down');
    expect(p.q.qlen).toBe(0);
    expect(p.qstats.backlog).toBe(0);
    expect(k.path.events.some((e) => e.kind === 'drop' && e.reason === 'NOT_SPECIFIED')).toBe(true);
  });
});

describe('skbpath drops', () => {
  it('says which qdisc dropped and why: a pfifo full, a bfifo over its byte limit', () => {
    const b = new Box();
    b.sh(`${PAIR}ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev va nud permanent
ip netns exec a tc qdisc add dev va root handle 1: bfifo limit 100`);
    const k = b.world.kernel;
    k.path.enabled = true;
    b.sh(`ip netns exec a ping -c 1 -W 1 -s 100 10.0.0.2 > /dev/null 2>&1
ip netns exec a tc qdisc replace dev va root handle 2: pfifo limit 0
ip netns exec a ping -c 1 -W 1 10.0.0.2 > /dev/null 2>&1`);
    const whys = k.path.events.filter((e) => e.kind === 'drop').map((e) => `${e.reason}: ${e.why}`);
    expect([...new Set(whys)]).toEqual([
      'QDISC_DROP: bfifo 1: on va: backlog 0b + this 142b > limit 100b',
      'QDISC_DROP: pfifo 2: on va: limit 0p full',
    ]);
    // ping tried each probe twice (the linger time of -W 1 over SCHINT(1000 / 2) ms) before giving up
    expect(whys.length).toBe(4);
  });
});

describe('the qdisc hash', () => {
  it('dumps children bucket by bucket (hash_32(handle, 4)), the newest first in a bucket', () => {
    const b = new Box();
    b.sh(PAIR);
    const dev = b.dev('a', 'va');
    const mk = (h: number): Qdisc => {
      const q = new Qdisc(dev.qdisc?.ops as Qdisc_ops, dev.txq);
      q.handle = h;
      return q;
    };
    const qs = [0x10000, 0x20000, 0x30000, 0x80010000].map(mk);
    dev.qdiscHash.push(...qs);
    const bucket = (h: number): number => Math.imul(h, 0x61c88647) >>> 28;
    const order = qdisc_hash_for_each(dev).map((q) => q.handle);
    const want = [...qs]
      .reverse()
      .sort((x, y) => bucket(x.handle) - bucket(y.handle))
      .map((q) => q.handle);
    expect(order).toEqual(want);
  });
});
