// skbpath-nic: skbpath's own command (Linux has none) that plugs simulated
// NICs into namespaces and cables them together. What it creates are the
// devices a PCI probe would: e1000 (the e1000_probe path) or LDD's snull.
// Every other command stays Linux's: `ip link add … type e1000` fails as
// it does on Linux (Unknown device type).
import { parseMac } from '../../wire/ethernet.ts';
import type { Net } from '../../kernel/net_namespace.ts';
import { EEXIST, EINVAL } from '../../kernel/uapi/errno.ts';
import { nic_hotplug_add, nic_hotplug_del, nic_hotplug_list, type NicModel } from '../../kernel/uapi/pci_hotplug.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

export const NIC_USAGE = `Usage: skbpath-nic add NAME [ netns NS ] [ model { e1000 | snull } ] [ address LLADDR ]
                        peer NAME [ netns NS ] [ address LLADDR ]
                        [ speed MBIT ] [ delay TIME ]
       skbpath-nic del NAME [ netns NS ]
       skbpath-nic show
skbpath's own command: it plugs simulated NICs into network namespaces and
cables them together (Linux has no such command). model e1000 is an Intel
82545EM driven by the e1000 driver; snull is the virtual NIC of Linux Device
Drivers. speed is the line rate in Mbit/s (e1000: 10, 100 or 1000; default
1000); delay is the one-way cable delay (ns, us, ms, s; default 0). An snull
pair without speed copies frames at once, inside the sender's xmit.
`;

type Model = NicModel;

interface EndReq {
  name: string | null;
  netns: string | null;
  address: Uint8Array | null;
}

/** Parses a delay the way tc does for netem: 50us, 1ms, 0.5ms, 2s, 100ns, or a bare number of µs. */
function parseDelay(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|usec|usecs|ms|msec|msecs|s|sec|secs)?$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = m[2] ?? 'us';
  const mult = unit === 'ns' ? 1 : unit.startsWith('u') ? 1e3 : unit.startsWith('m') ? 1e6 : 1e9;
  return Math.round(v * mult);
}

function* skbpathNic(ctx: ProcCtx): Proc {
  const argv = ctx.argv.slice(1);
  const err = (msg: string, code = 1): number => {
    ctx.stderr.write(`skbpath-nic: ${msg}\n`);
    return code;
  };
  const sub = argv[0];
  if (sub === undefined || sub === 'help' || sub === '-h' || sub === '--help') {
    (sub === undefined ? ctx.stderr : ctx.stdout).write(NIC_USAGE);
    return sub === undefined ? 2 : 0;
  }
  const nsOf = (name: string | null): Net | null =>
    name === null ? ctx.net : name === 'init_net' ? ctx.world.initNet : (ctx.world.netns.get(name) ?? null);
  /** The name `ip netns` knows a namespace handle by. */
  const nameOf = (net: Net): string => {
    for (const [n, h] of ctx.world.netns) if (h === net) return n;
    return 'init_net';
  };
  if (sub === 'show') {
    for (const r of nic_hotplug_list([ctx.world.initNet, ...ctx.world.netns.values()])) {
      const [a, b] = r.ends;
      const w = r.link;
      const link = w ? `speed ${w.speedMbps}Mb/s delay ${w.delayNs}ns ${w.up ? 'up' : 'down'}` : 'speed none (synchronous)';
      ctx.stdout.write(`${r.model} ${a.netns}/${a.ifname} <-> ${b.netns}/${b.ifname} ${link}\n`);
    }
    return 0;
  }
  if (sub === 'del') {
    const name = argv[1];
    if (name === undefined) return err('del: NAME is required', 2);
    let ns: string | null = null;
    if (argv[2] === 'netns') ns = argv[3] ?? null;
    const net = nsOf(ns);
    if (!net) return err(`netns "${ns}" not found`);
    if (nic_hotplug_del(net, name) < 0) return err(`no skbpath NIC "${name}" in ${nameOf(net)}`);
    return 0;
  }
  if (sub !== 'add') return err(`unknown command "${sub}"; try "skbpath-nic help"`, 2);

  const local: EndReq = { name: null, netns: null, address: null };
  const peer: EndReq = { name: null, netns: null, address: null };
  let model: Model = 'e1000';
  let speed: number | null = null;
  let delay = 0;
  let cur = local;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    const val = (): string | null => {
      const v = argv[++i];
      return v === undefined ? null : v;
    };
    if (a === 'peer') {
      cur = peer;
      const v = val();
      if (v === null) return err('peer: NAME is required', 2);
      peer.name = v;
    } else if (a === 'netns') {
      const v = val();
      if (v === null) return err('netns: NS is required', 2);
      cur.netns = v;
    } else if (a === 'address') {
      const v = val();
      const mac = v === null ? null : parseMac(v);
      if (!mac) return err(`invalid address "${v ?? ''}"`, 2);
      cur.address = mac;
    } else if (a === 'model') {
      const v = val();
      if (v !== 'e1000' && v !== 'snull') return err(`unknown model "${v ?? ''}" (e1000 or snull)`, 2);
      model = v;
    } else if (a === 'speed') {
      const v = val();
      const n = v === null ? NaN : Number(v);
      if (!Number.isInteger(n) || n <= 0) return err(`invalid speed "${v ?? ''}"`, 2);
      speed = n;
    } else if (a === 'delay') {
      const v = val();
      const d = v === null ? null : parseDelay(v);
      if (d === null) return err(`invalid delay "${v ?? ''}"`, 2);
      delay = d;
    } else if (cur === local && local.name === null) {
      local.name = a;
    } else {
      return err(`unexpected argument "${a}"\n${NIC_USAGE}`, 2);
    }
  }
  if (local.name === null) return err('add: NAME is required', 2);
  if (peer.name === null) return err('add: peer NAME is required (a NIC needs a cable to another NIC)', 2);
  if (model === 'e1000') {
    speed ??= 1000;
    if (speed !== 10 && speed !== 100 && speed !== 1000) return err(`e1000 links run at 10, 100 or 1000 Mb/s, not ${speed}`, 2);
  }
  const netA = nsOf(local.netns);
  if (!netA) return err(`netns "${local.netns}" not found`);
  const netB = nsOf(peer.netns);
  if (!netB) return err(`netns "${peer.netns}" not found`);
  for (const name of [local.name, peer.name]) {
    if (name.length > 15 || /[\s/:]/.test(name)) return err(`"${name}" is not a valid interface name`, 2);
  }
  const r = nic_hotplug_add(
    model,
    { netns: netA, ifname: local.name, address: local.address },
    { netns: netB, ifname: peer.name, address: peer.address },
    speed,
    delay,
  );
  if (r.err === -EEXIST) return err(`${nameOf(r.end ? netB : netA)} already has a device "${r.end ? peer.name : local.name}"`);
  if (r.err === -EINVAL) return err('the two ends need different names');
  if (r.err) return err(`cannot create ${r.end ? peer.name : local.name}: errno ${-r.err}`);
  return 0;
}

export function registerSkbpathNic(commands: Map<string, Command>): void {
  commands.set('skbpath-nic', skbpathNic);
}
