// A simulated PCI hotplug slot (skbpath's own; Linux has pciehp, no cables):
// `skbpath-nic add` asks the kernel to power a slot with a NIC in it, and the
// PCI core probes the driver that claims its id (e1000_probe) — or, for LDD's
// snull, the module's init makes the interface. The two ends are cabled by a
// Wire. The slot and MAC counters and the cables belong to the Kernel, so the
// same script in a new World gets the same slots and addresses.
import { e1000_probe, isE1000, adapterOf } from './e1000/e1000_main.ts';
import { snull_init, snullPriv, type SnullPriv } from './snull.ts';
import { Wire, type WireEnd } from './nic_wire.ts';
import { unregister_netdevice } from '../core/rtnetlink.ts';
import type { NetDevice } from '../core/netdevice.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { EEXIST, EINVAL, ENODEV } from '../uapi/errno.ts';

export type NicModel = 'e1000' | 'snull';

interface NicRecord {
  readonly model: NicModel;
  readonly wire: Wire | null;
  readonly ends: readonly [NetDevice, NetDevice];
}

/** The hotplug controller's state, one per Kernel: the next free slot and NVM MAC, the cables. */
export class PciHotplug {
  nextSlot = 3;
  nextMac = 0x56;
  readonly cables = new Map<NetDevice, NicRecord>();
}

export interface NicEndReq {
  readonly net: Net;
  readonly name: string;
  /** The NVM's MAC; null for the next 52:54:00:12:34:xx. */
  readonly address: Uint8Array | null;
}

/** One cabled pair as `skbpath-nic show` lists it (plain data). */
export interface NicInfo {
  readonly model: NicModel;
  readonly ends: readonly [{ netns: string; ifname: string }, { netns: string; ifname: string }];
  /** null: an snull pair copying frames at once. */
  readonly link: { speedMbps: number; delayNs: number; up: boolean } | null;
}

function plug(k: Kernel, model: NicModel, req: NicEndReq): { dev: NetDevice; end: WireEnd } | number {
  const hp = k.pciHotplug;
  const mac = req.address ?? new Uint8Array([0x52, 0x54, 0x00, 0x12, 0x34, hp.nextMac++ & 0xff]);
  if (model === 'e1000') {
    const slot = `0000:00:${(hp.nextSlot++).toString(16).padStart(2, '0')}.0`;
    const r = e1000_probe(req.net, { slot, vendor: 0x8086, device: 0x100f, nvmMac: mac }, req.name);
    if (r.err || !r.adapter) return r.err || -ENODEV;
    return { dev: r.adapter.netdev, end: r.adapter };
  }
  const r = snull_init(req.net, req.name, mac);
  if (r.err || !r.priv) return r.err || -ENODEV;
  return { dev: r.priv.netdev, end: r.priv };
}

function setWire(dev: NetDevice, wire: Wire): void {
  if (isE1000(dev)) adapterOf(dev).wire = wire;
  else {
    const p = snullPriv(dev);
    if (p) p.wire = wire;
  }
}

/**
 * Plugs two NICs and cables them; speed null (snull only) copies frames inside
 * the sender's xmit. Returns 0, or the negative errno and which end failed
 * (-EEXIST: a name is taken; -EINVAL: both ends have one name in one namespace).
 */
export function pci_hotplug_add(
  k: Kernel,
  model: NicModel,
  a: NicEndReq,
  b: NicEndReq,
  speedMbps: number | null,
  delayNs: number,
): { err: number; end?: 0 | 1 } {
  // both names are checked before either slot is powered
  if (a.net.devByName.has(a.name)) return { err: -EEXIST, end: 0 };
  if (b.net.devByName.has(b.name)) return { err: -EEXIST, end: 1 };
  if (a.net === b.net && a.name === b.name) return { err: -EINVAL, end: 1 };
  const ea = plug(k, model, a);
  if (typeof ea === 'number') return { err: ea, end: 0 };
  const eb = plug(k, model, b);
  if (typeof eb === 'number') {
    unregister_netdevice(ea.dev);
    return { err: eb, end: 1 };
  }
  let wire: Wire | null = null;
  if (speedMbps !== null) {
    wire = new Wire(k.sim, ea.end, eb.end, speedMbps, delayNs);
    setWire(ea.dev, wire);
    setWire(eb.dev, wire);
  } else {
    (ea.end as SnullPriv).peer = eb.end as SnullPriv;
    (eb.end as SnullPriv).peer = ea.end as SnullPriv;
  }
  const rec: NicRecord = { model, wire, ends: [ea.dev, eb.dev] };
  k.pciHotplug.cables.set(ea.dev, rec);
  k.pciHotplug.cables.set(eb.dev, rec);
  return { err: 0 };
}

/** Unplugs the pair a device of `net` belongs to; -ENODEV when it is no hotplugged NIC. */
export function pci_hotplug_del(net: Net, name: string): number {
  const cables = net.kernel.pciHotplug.cables;
  const dev = net.devByName.get(name);
  const r = dev ? cables.get(dev) : undefined;
  if (!dev || !r) return -ENODEV;
  for (const d of r.ends) {
    cables.delete(d);
    if (d.net.devByIndex.get(d.ifindex) === d) unregister_netdevice(d);
  }
  return 0;
}

/** The pairs whose devices are registered, by the namespaces' order and then the devices'. */
export function pci_hotplug_list(k: Kernel, nets: readonly Net[]): NicInfo[] {
  const seen = new Set<NicRecord>();
  const out: NicInfo[] = [];
  for (const net of nets) {
    for (const dev of net.devices) {
      const r = k.pciHotplug.cables.get(dev);
      if (!r || seen.has(r)) continue;
      seen.add(r);
      const [a, b] = r.ends;
      const w = r.wire;
      out.push({
        model: r.model,
        ends: [
          { netns: a.net.name, ifname: a.name },
          { netns: b.net.name, ifname: b.name },
        ],
        link: w ? { speedMbps: w.speedMbps, delayNs: w.delayNs, up: w.up } : null,
      });
    }
  }
  return out;
}
