// skbpath-nic: skbpath's own command (Linux has none) that plugs simulated
// NICs into namespaces and cables them together. What it creates are the
// devices a PCI probe would: e1000 (the e1000_probe path) or LDD's snull.
// Every other command stays Linux's: `ip link add … type e1000` fails as
// it does on Linux (Unknown device type).
import { parseMac } from '../../wire/ethernet.ts';
import { e1000_probe, isE1000, adapterOf, type E1000Adapter } from '../../kernel/drivers/e1000/e1000_main.ts';
import { snull_init, snullPriv, type SnullPriv } from '../../kernel/drivers/snull.ts';
import { parseDelay, Wire, type WireEnd } from '../../kernel/drivers/nic_wire.ts';
import { unregister_netdevice } from '../../kernel/core/rtnetlink.ts';
import type { NetDevice } from '../../kernel/core/netdevice.ts';
import type { Net } from '../../kernel/net_namespace.ts';
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

type Model = 'e1000' | 'snull';

interface EndReq {
  name: string | null;
  netns: string | null;
  address: Uint8Array | null;
}

interface NicRecord {
  model: Model;
  wire: Wire | null;
  ends: [NetDevice, NetDevice];
}

/** The cables of a run, by device. */
const cables = new WeakMap<NetDevice, NicRecord>();

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
  const nsOf = (name: string | null): Net | null => (name === null ? ctx.net : name === 'init_net' ? ctx.world.initNet : (ctx.world.netns.get(name) ?? null));
  if (sub === 'show') {
    const seen = new Set<NicRecord>();
    const nets: Net[] = [ctx.world.initNet, ...ctx.world.netns.values()];
    for (const net of nets) {
      for (const dev of net.devices) {
        const r = cables.get(dev);
        if (!r || seen.has(r)) continue;
        seen.add(r);
        const [a, b] = r.ends;
        const w = r.wire;
        const link = w ? `speed ${w.speedMbps}Mb/s delay ${w.delayNs}ns ${w.up ? 'up' : 'down'}` : 'speed none (synchronous)';
        ctx.stdout.write(`${r.model} ${a.net.name}/${a.name} <-> ${b.net.name}/${b.name} ${link}\n`);
      }
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
    const dev = net.devByName.get(name);
    const r = dev ? cables.get(dev) : undefined;
    if (!dev || !r) return err(`no skbpath NIC "${name}" in ${net.name}`);
    for (const d of r.ends) {
      cables.delete(d);
      if (d.net.devByIndex.get(d.ifindex) === d) unregister_netdevice(d);
    }
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
  for (const [net, name] of [[netA, local.name], [netB, peer.name]] as const) {
    if (name.length > 15 || /[\s/:]/.test(name)) return err(`"${name}" is not a valid interface name`, 2);
    if (net.devByName.has(name)) return err(`${net.name} already has a device "${name}"`);
  }
  if (netA === netB && local.name === peer.name) return err('the two ends need different names');
  const mk = (net: Net, req: EndReq): { dev: NetDevice; end: WireEnd } | number => {
    const mac = req.address ?? new Uint8Array([0x52, 0x54, 0x00, 0x12, 0x34, ctx.world.hotplug.nextMac++ & 0xff]);
    if (model === 'e1000') {
      const slot = `0000:00:${(ctx.world.hotplug.nextSlot++).toString(16).padStart(2, '0')}.0`;
      const r = e1000_probe(net, { slot, vendor: 0x8086, device: 0x100f, nvmMac: mac }, req.name as string);
      if (r.err || !r.adapter) return r.err || -19;
      return { dev: r.adapter.netdev, end: r.adapter };
    }
    const r = snull_init(net, req.name as string, mac);
    if (r.err || !r.priv) return r.err || -19;
    return { dev: r.priv.netdev, end: r.priv };
  };
  const ea = mk(netA, local);
  if (typeof ea === 'number') return err(`cannot create ${local.name}: errno ${-ea}`);
  const eb = mk(netB, peer);
  if (typeof eb === 'number') {
    unregister_netdevice(ea.dev);
    return err(`cannot create ${peer.name}: errno ${-eb}`);
  }
  let wire: Wire | null = null;
  if (speed !== null) {
    wire = new Wire(ctx.world.sim, ea.end, eb.end, speed, delay);
    setWire(ea.dev, wire);
    setWire(eb.dev, wire);
  } else {
    (ea.end as SnullPriv).peer = eb.end as SnullPriv;
    (eb.end as SnullPriv).peer = ea.end as SnullPriv;
  }
  const rec: NicRecord = { model, wire, ends: [ea.dev, eb.dev] };
  cables.set(ea.dev, rec);
  cables.set(eb.dev, rec);
  return 0;
}

function setWire(dev: NetDevice, wire: Wire): void {
  if (isE1000(dev)) (adapterOf(dev) as E1000Adapter).wire = wire;
  else {
    const p = snullPriv(dev);
    if (p) p.wire = wire;
  }
}

export function registerSkbpathNic(commands: Map<string, Command>): void {
  commands.set('skbpath-nic', skbpathNic);
}
