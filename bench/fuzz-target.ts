// The fuzz target: the oracle's two namespaces (a: va 10.0.0.1, b: vb
// 10.0.0.2) built through the kernel API, with a UDP socket on b:9 and a TCP
// listener on b:5000 so that mutated frames reach sockets too. Frames are
// handed to vb as veth hands them over (eth_type_trans, netif_rx).
import { __netif_rx } from '../src/kernel/core/dev.ts';
import { eth_type_trans } from '../src/kernel/core/eth.ts';
import type { NetDevice } from '../src/kernel/core/netdevice.ts';
import { dev_open, register_netdevice } from '../src/kernel/core/rtnetlink.ts';
import { veth_setup } from '../src/kernel/drivers/veth.ts';
import { inet_insert_ifa } from '../src/kernel/ipv4/devinet.ts';
import { inetMakeMask, RT_SCOPE_UNIVERSE } from '../src/kernel/ipv4/fib.ts';
import type { Net } from '../src/kernel/net_namespace.ts';
import { alloc_skb } from '../src/kernel/skbuff.ts';
import { sys_accept, sys_bind, sys_close, sys_listen, sys_read, sys_socket } from '../src/kernel/socket.ts';
import { SOCK_DGRAM, SOCK_STREAM, type Sock } from '../src/kernel/sock.ts';
import { MemVfs, SimWorld } from '../src/machine/world.ts';

export interface FuzzTarget {
  world: SimWorld;
  a: Net;
  b: Net;
  /** Behind b when b routes (makeTarget(seed, true)): c on 10.0.1.1, b's vc on 10.0.1.2. */
  c: Net | null;
  vb: NetDevice;
  udp: Sock;
  tcp: Sock;
}

function vethPair(a: Net, an: string, amac: number, b: Net, bn: string, bmac: number): NetDevice {
  const x = veth_setup(an);
  const y = veth_setup(bn);
  x.devAddr.set([2, 0, 0, 0, 0, amac]);
  y.devAddr.set([2, 0, 0, 0, 0, bmac]);
  x.peer = y;
  y.peer = x;
  register_netdevice(a, x);
  register_netdevice(b, y);
  return y;
}

function addAddr(net: Net, dev: string, addr: number): void {
  const d = net.devByName.get(dev) as NetDevice;
  inet_insert_ifa(net, d, {
    local: addr,
    address: addr,
    prefixlen: 24,
    mask: inetMakeMask(24),
    broadcast: 0,
    scope: RT_SCOPE_UNIVERSE,
    flags: 0x80,
    label: dev,
    metric: 0,
  });
}

/** The target; with `router`, b forwards between a's link and c's (10.0.1.0/24) so frames for c cross it. */
export function makeTarget(seed = 1, router = false): FuzzTarget {
  const world = new SimWorld(new MemVfs(), { seed });
  const a = world.createNet('a');
  const b = world.createNet('b');
  const y = vethPair(a, 'va', 0x0a, b, 'vb', 0x0b);
  addAddr(a, 'va', 0x0a000001);
  addAddr(b, 'vb', 0x0a000002);
  let c: Net | null = null;
  if (router) {
    c = world.createNet('c');
    vethPair(b, 'vc', 0x1b, c, 'vd', 0x1c);
    addAddr(b, 'vc', 0x0a000102);
    addAddr(c, 'vd', 0x0a000101);
    b.sysctl.set('net.ipv4.ip_forward', '1');
  }
  for (const n of c ? [a, b, c] : [a, b]) for (const d of n.devices) dev_open(d);
  const udp = sys_socket(b, SOCK_DGRAM, 0);
  const tcp = sys_socket(b, SOCK_STREAM, 0);
  if (typeof udp === 'number' || typeof tcp === 'number') throw new Error('socket');
  if (sys_bind(udp, 0, 9) || sys_bind(tcp, 0, 5000) || sys_listen(tcp, 16)) throw new Error('bind');
  return { world, a, b, c, vb: y, udp, tcp };
}

/**
 * Hands one frame to vb and runs its softirq; returns the skb's id, or null
 * for a frame shorter than an Ethernet header (AF_PACKET refuses to send it).
 */
export function injectFrame(t: FuzzTarget, f: Uint8Array): number | null {
  if (f.length < 14) return null;
  const skb = alloc_skb(t.world.kernel, f.length, 64);
  skb.head.set(f, skb.put(f.length));
  skb.protocol = eth_type_trans(skb, t.vb);
  const id = skb.id;
  __netif_rx(skb);
  t.world.sim.cpu.runPendingSoftirqs();
  return id;
}

/** What a reading process would do: empty the UDP queue, accept and close the children. */
export function drainSockets(t: FuzzTarget): void {
  while (typeof sys_read(t.udp, 65536) !== 'number') {
    /* read on */
  }
  for (;;) {
    const c = sys_accept(t.tcp);
    if (typeof c === 'number') break;
    sys_close(c);
  }
}
