// Builds the oracle's two-namespace veth topology through the kernel API
// (no shell, no ip tool) and runs programs in it.
import { dev_open, register_netdevice } from '../../src/kernel/core/rtnetlink.ts';
import { veth_setup } from '../../src/kernel/drivers/veth.ts';
import { inet_insert_ifa } from '../../src/kernel/ipv4/devinet.ts';
import { inetMakeMask, RT_SCOPE_UNIVERSE } from '../../src/kernel/ipv4/fib.ts';
import type { Net } from '../../src/kernel/net_namespace.ts';
import type { OutStream, ProcCtx } from '../../src/userspace/proc.ts';
import { MemVfs, SimWorld } from '../../src/userspace/world.ts';
import { registerPing } from '../../src/userspace/tools/ping.ts';

export function addAddr(net: Net, dev: string, addr: number, plen: number): void {
  const d = net.devByName.get(dev);
  if (!d) throw new Error(dev);
  inet_insert_ifa(net, d, { local: addr, address: addr, prefixlen: plen, mask: inetMakeMask(plen), broadcast: 0, scope: RT_SCOPE_UNIVERSE, flags: 0x80, label: dev, metric: 0 });
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
  const ctx: ProcCtx = { world, argv, stdin: { *read() { return null; } }, stdout: sink, stderr: sink, net, env: new Map(), exec: () => null };
  const t = world.sim.sched.spawn(argv[0] as string, cmd(ctx));
  world.sim.runTask(t);
  return { status: t.exitStatus, out };
}
