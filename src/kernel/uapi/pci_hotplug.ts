// The simulated PCI hotplug entry `skbpath-nic` uses (skbpath's own, as the
// command is): power a slot with a NIC, unplug it, list the cabled pairs.
// Namespaces cross as opaque handles; what comes back is plain data.
import type { Net } from '../net_namespace.ts';
import { pci_hotplug_add, pci_hotplug_del, pci_hotplug_list, type NicInfo, type NicModel } from '../drivers/pci_hotplug.ts';

export type { NicInfo, NicModel };

export interface NicEnd {
  readonly netns: Net;
  readonly ifname: string;
  readonly address: Uint8Array | null;
}

/** Plugs a cabled pair; 0 or a negative errno with the end (0, 1) that failed. */
export function nic_hotplug_add(
  model: NicModel,
  a: NicEnd,
  b: NicEnd,
  speedMbps: number | null,
  delayNs: number,
): { err: number; end?: 0 | 1 } {
  const k = a.netns.kernel;
  return pci_hotplug_add(
    k,
    model,
    { net: a.netns, name: a.ifname, address: a.address },
    { net: b.netns, name: b.ifname, address: b.address },
    speedMbps,
    delayNs,
  );
}

/** Unplugs the pair `ifname` of `netns` belongs to; -ENODEV when it is none. */
export function nic_hotplug_del(netns: Net, ifname: string): number {
  return pci_hotplug_del(netns, ifname);
}

/** The cabled pairs whose devices live in `nets`, in their order. */
export function nic_hotplug_list(nets: readonly Net[]): NicInfo[] {
  const first = nets[0];
  return first ? pci_hotplug_list(first.kernel, nets) : [];
}
