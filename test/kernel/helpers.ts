// Builds the oracle's two-namespace veth topology through the kernel API
// (no shell, no ip tool) and runs programs in it.
import { dev_open, register_netdevice } from '../../src/kernel/core/rtnetlink.ts';
import { veth_setup } from '../../src/kernel/drivers/veth.ts';
import { inet_insert_ifa } from '../../src/kernel/ipv4/devinet.ts';
import { inetMakeMask, RT_SCOPE_UNIVERSE } from '../../src/kernel/ipv4/fib.ts';
import type { Net } from '../../src/kernel/net_namespace.ts';
import type { OutStream, ProcCtx } from '../../src/userspace/proc.ts';
import { MemVfs, SimWorld } from '../../src/machine/world.ts';
import { registerPing } from '../../src/userspace/tools/ping.ts';
import { __netif_rx } from '../../src/kernel/core/dev.ts';
import { eth_type_trans } from '../../src/kernel/core/eth.ts';
import { alloc_skb } from '../../src/kernel/skbuff.ts';
import { dropReasonName } from '../../src/kernel/trace/dropreason.ts';

export function addAddr(net: Net, dev: string, addr: number, plen: number): void {
  const d = net.devByName.get(dev);
  if (!d) throw new Error(dev);
  inet_insert_ifa(net, d, {
    local: addr,
    address: addr,
    prefixlen: plen,
    mask: inetMakeMask(plen),
    broadcast: 0,
    scope: RT_SCOPE_UNIVERSE,
    flags: 0x80,
    label: dev,
    metric: 0,
  });
}

export function vethPair(a: Net, an: string, amac: number[], b: Net, bn: string, bmac: number[]): void {
  const x = veth_setup(an);
  const y = veth_setup(bn);
  x.devAddr.set(amac);
  y.devAddr.set(bmac);
  x.peer = y;
  y.peer = x;
  register_netdevice(a, x);
  register_netdevice(b, y);
}

export function twoHosts(seed = 1): { world: SimWorld; a: Net; b: Net } {
  const world = new SimWorld(new MemVfs(), { seed });
  registerPing(world.commands);
  const a = world.createNet('a');
  const b = world.createNet('b');
  // IPv6 on but quiet: no link-local address (addr_gen_mode 1), so no DAD, MLD
  // report or router solicitation at link up; the IPv6 input tests add their own
  for (const n of [a, b]) n.sysctl.write('net.ipv6.conf.default.addr_gen_mode', '1');
  vethPair(a, 'va', [2, 0, 0, 0, 0, 0x0a], b, 'vb', [2, 0, 0, 0, 0, 0x0b]);
  addAddr(a, 'va', 0x0a000001, 24);
  addAddr(b, 'vb', 0x0a000002, 24);
  for (const n of [a, b]) for (const d of n.devices) dev_open(d);
  return { world, a, b };
}

/** Runs one program to the end; returns its exit status and output. */
export function run(world: SimWorld, net: Net, argv: string[]): { status: number; out: string } {
  let out = '';
  const sink: OutStream = { write: (s) => void (out += s) };
  const cmd = world.commands.get(argv[0] as string);
  if (!cmd) throw new Error(`no ${argv[0]}`);
  const ctx: ProcCtx = {
    world,
    argv,
    stdin: {
      *read() {
        return null;
      },
    },
    stdout: sink,
    stderr: sink,
    net,
    env: new Map(),
    exec: () => null,
  };
  const t = world.sim.sched.spawn(argv[0] as string, cmd(ctx));
  world.sim.runTask(t);
  return { status: t.exitStatus, out };
}

/** Hands frames to b's vb as veth would and runs 40 s; returns the drop reasons and the world. */
export function inject(
  frame: Uint8Array | Uint8Array[],
  seed = 1,
  setup?: (h: ReturnType<typeof twoHosts>) => void,
): { drops: number; reasons: string[]; world: SimWorld } {
  const h = twoHosts(seed);
  setup?.(h);
  const { world, b } = h;
  const reasons: string[] = [];
  world.kernel.dropObservers.push((_n, _s, reason, location) => void reasons.push(`${dropReasonName(reason)}@${location}`));
  const vb = b.devByName.get('vb');
  if (!vb) throw new Error('no vb');
  for (const f of Array.isArray(frame) ? frame : [frame]) {
    const skb = alloc_skb(world.kernel, f.length, 64);
    skb.head.set(f, skb.put(f.length));
    if (f.length >= 14) skb.protocol = eth_type_trans(skb, vb);
    else skb.dev = vb;
    __netif_rx(skb);
    world.sim.cpu.runPendingSoftirqs();
  }
  world.sim.runUntil(() => world.sim.now > 40e9);
  return { drops: reasons.length, reasons, world };
}

/** An Ethernet frame to vb's MAC carrying IPv4 (10.0.0.1 → 10.0.0.2, ICMP) after `fix` edits its header; the checksum is recomputed. */
export function ipv4Frame(payload: Uint8Array, fix: (h: Uint8Array) => void): Uint8Array {
  const f = new Uint8Array(14 + 20 + payload.length);
  f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00]);
  const h = f.subarray(14);
  h.set([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  const len = 20 + payload.length;
  h[2] = len >> 8;
  h[3] = len & 0xff;
  h.set(payload, 20);
  fix(h);
  let s = 0;
  h[10] = 0;
  h[11] = 0;
  for (let i = 0; i < 20; i += 2) s += ((h[i] as number) << 8) | (h[i + 1] as number);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  s = ~s & 0xffff;
  h[10] = s >> 8;
  h[11] = s & 0xff;
  return f;
}
