// The bridge's receive path for frames no scenario tool can send: the
// link-local group 01:80:c2:00:00:0X (br_handle_frame), invalid sources, and
// learning on the way (br_fdb_update and its tracepoint).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { dev_queue_xmit } from '../../src/kernel/core/dev.ts';
import type { NetDevice } from '../../src/kernel/core/netdevice.ts';
import { alloc_skb } from '../../src/kernel/skbuff.ts';
import { NF_ACCEPT, NF_INET_FORWARD, NF_INET_PRE_ROUTING, NFPROTO_IPV4 } from '../../src/kernel/netfilter/core.ts';
import { MemVfs, type SimWorld } from '../../src/machine/world.ts';
import { run } from './helpers.ts';

const SETUP = `ip netns add s
ip netns add h1
ip netns add h2
for ns in s h1 h2; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip -n s link add br0 address 02:00:00:00:00:99 type bridge
ip -n s link set br0 up
for i in 1 2; do
  ip link add v$i netns h$i address 02:00:00:00:00:0$i type veth peer name p$i netns s address 02:00:00:00:01:0$i
  ip -n s link set p$i master br0
  ip -n s link set p$i up
  ip -n h$i link set v$i up
done
sleep 2
`;

function world(): SimWorld {
  return runScenario(SETUP, new MemVfs()).world;
}

function dev(w: SimWorld, ns: string, name: string): NetDevice {
  const d = w.netns.get(ns)?.devByName.get(name);
  if (!d) throw new Error(`${ns}/${name}`);
  return d;
}

/** h1 sends one raw frame out of v1; returns the trace lines it caused. */
function send(w: SimWorld, dst: number[], src: number[], ethertype: number): string[] {
  const v1 = dev(w, 'h1', 'v1');
  const skb = alloc_skb(v1.net.kernel, 60);
  const o = skb.put(60);
  skb.head.set(dst, o);
  skb.head.set(src, o + 6);
  skb.head[o + 12] = ethertype >> 8;
  skb.head[o + 13] = ethertype & 0xff;
  skb.dev = v1;
  skb.protocol = ethertype;
  const k = w.kernel;
  k.tracer.enabled = true;
  const from = k.tracer.events.length;
  dev_queue_xmit(skb);
  const end = w.sim.now + 10_000_000;
  w.sim.runUntil(() => w.sim.now > end || w.sim.events.peekTime() > end);
  k.tracer.enabled = false;
  return k.tracer.events.slice(from).map((e) => `${e.event}: ${e.body.replace(/skbaddr=\S+/, 'skbaddr=SKB')}`);
}

const H1 = [2, 0, 0, 0, 0, 1];

describe('br_handle_frame: link-local destinations', () => {
  it('STP BPDUs (01:80:c2:00:00:00) are forwarded while STP is off', () => {
    const w = world();
    const before = dev(w, 's', 'p2').stats.tx_packets;
    const t = send(w, [0x01, 0x80, 0xc2, 0, 0, 0], H1, 0x0026);
    expect(dev(w, 's', 'p2').stats.tx_packets).toBe(before + 1);
    expect(t).toContain('br_fdb_update: br_dev br0 source p1 addr 02:00:00:00:00:01 vid 0 flags 0x0');
    expect(t).toContain('net_dev_xmit: dev=p2 skbaddr=SKB len=60 rc=0');
  });

  it('pause frames (…:01) are dropped as MAC_IEEE_MAC_CONTROL', () => {
    const w = world();
    const t = send(w, [0x01, 0x80, 0xc2, 0, 0, 1], H1, 0x8808);
    expect(t.some((l) => l.includes('location=br_handle_frame reason: MAC_IEEE_MAC_CONTROL'))).toBe(true);
    expect(t.some((l) => l.startsWith('net_dev_xmit: dev=p2'))).toBe(false);
  });

  it('LLDP (…:0e) and 802.1X (…:03) stay on the port: learned, not forwarded, passed up the port itself', () => {
    for (const last of [0x0e, 0x03]) {
      const w = world();
      const p1 = dev(w, 's', 'p1');
      const dropped = p1.stats.rx_dropped;
      const t = send(w, [0x01, 0x80, 0xc2, 0, 0, last], H1, 0x88cc);
      expect(t).toContain('br_fdb_update: br_dev br0 source p1 addr 02:00:00:00:00:01 vid 0 flags 0x0');
      expect(t.some((l) => l.startsWith('net_dev_xmit: dev=p2'))).toBe(false);
      // no handler for the ethertype on p1: __netif_receive_skb_core drops it there
      expect(t.some((l) => l.includes('location=__netif_receive_skb_core reason: UNHANDLED_PROTO'))).toBe(true);
      expect(p1.stats.rx_dropped).toBe(dropped + 1);
    }
  });

  it('a multicast source address is MAC_INVALID_SOURCE', () => {
    const w = world();
    const t = send(w, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x03, 0, 0, 0, 0, 1], 0x0806);
    expect(t.some((l) => l.includes('location=br_handle_frame reason: MAC_INVALID_SOURCE'))).toBe(true);
  });
});

describe('learning and forwarding', () => {
  it('learns once, traces a move, and forwards a known unicast to one port only', () => {
    const w = world();
    const t1 = send(w, [2, 0, 0, 0, 0, 0x42], H1, 0x88b5);
    expect(t1.filter((l) => l.startsWith('br_fdb_update'))).toHaveLength(1);
    expect(t1.some((l) => l.startsWith('net_dev_xmit: dev=p2'))).toBe(true);
    const t2 = send(w, [2, 0, 0, 0, 0, 0x42], H1, 0x88b5);
    expect(t2.filter((l) => l.startsWith('br_fdb_update'))).toHaveLength(0);
    // a frame from p2 to h1's MAC goes to p1 alone
    const v2 = dev(w, 'h2', 'v2');
    const skb = alloc_skb(v2.net.kernel, 60);
    const o = skb.put(60);
    skb.head.set(H1, o);
    skb.head.set([2, 0, 0, 0, 0, 2], o + 6);
    skb.head[o + 12] = 0x88;
    skb.head[o + 13] = 0xb5;
    skb.dev = v2;
    const p1 = dev(w, 's', 'p1');
    const before = p1.stats.tx_packets;
    dev_queue_xmit(skb);
    w.sim.runUntil(() => true);
    expect(p1.stats.tx_packets).toBe(before + 1);
  });
});

describe('bridge netfilter (br_netfilter built in)', () => {
  const SETUP_IP = `${SETUP}ip -n s addr add 10.0.0.254/24 dev br0
ip -n h1 addr add 10.0.0.1/24 dev v1
ip -n h2 addr add 10.0.0.2/24 dev v2
`;

  function counting(w: SimWorld, hook: number): { n: number } {
    const c = { n: 0 };
    const net = w.netns.get('s');
    if (!net) throw new Error('s');
    net.nfHooks.register(NFPROTO_IPV4, hook, {
      priority: 0,
      name: 'count',
      hook(skb) {
        if (skb.protocol === 0x0800) c.n++;
        return NF_ACCEPT;
      },
    });
    return c;
  }

  it('bridged IPv4 crosses the IPv4 FORWARD hook; PRE_ROUTING once, even when it then goes up br0 (ip_sabotage_in)', () => {
    const w = runScenario(SETUP_IP, new MemVfs()).world;
    const pre = counting(w, NF_INET_PRE_ROUTING);
    const fwd = counting(w, NF_INET_FORWARD);
    const h1 = w.netns.get('h1');
    if (!h1) throw new Error('h1');
    expect(run(w, h1, ['ping', '-c', '1', '10.0.0.2']).status).toBe(0);
    // echo request and reply, each bridged once
    expect(fwd.n).toBe(2);
    expect(pre.n).toBe(2);
    pre.n = 0;
    fwd.n = 0;
    expect(run(w, h1, ['ping', '-c', '1', '10.0.0.254']).status).toBe(0);
    // the request goes up br0: br_nf_pre_routing saw it, ip_rcv's PRE_ROUTING skips the rest
    expect(pre.n).toBe(1);
    expect(fwd.n).toBe(0);
  });

  it('net.bridge.bridge-nf-call-iptables=0 keeps bridged frames out of the IPv4 hooks', () => {
    const w = runScenario(`${SETUP_IP}ip netns exec s sysctl -qw net.bridge.bridge-nf-call-iptables=0\n`, new MemVfs()).world;
    const fwd = counting(w, NF_INET_FORWARD);
    const h1 = w.netns.get('h1');
    if (!h1) throw new Error('h1');
    expect(run(w, h1, ['ping', '-c', '1', '10.0.0.2']).status).toBe(0);
    expect(fwd.n).toBe(0);
  });
});
