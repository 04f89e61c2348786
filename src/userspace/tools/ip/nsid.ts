// Network namespace ids (net/core/net_namespace.c: net->netns_ids) and the
// names `ip netns` gives namespaces. Linux assigns a namespace an id inside
// another one lazily: when rtnetlink first describes a link of the one whose
// peer lives in the other (a veth notification or dump, a device leaving for
// it). The kernel model has no idr, so the ids live here, keyed by Net.
import type { NetDevice } from '../../../kernel/core/netdevice.ts';
import type { Net } from '../../../kernel/net_namespace.ts';
import type { World } from '../../proc.ts';

const ids = new WeakMap<Net, Map<Net, number>>();

/** peernet2id(): the id `net` knows `peer` by, or -1. */
export function peernet2id(net: Net, peer: Net): number {
  return ids.get(net)?.get(peer) ?? -1;
}

/** peernet2id_alloc(): the id, allocating the lowest free one (idr_alloc from 0). */
export function peernet2idAlloc(net: Net, peer: Net): number {
  if (net === peer) return -1;
  let m = ids.get(net);
  if (!m) ids.set(net, (m = new Map()));
  const have = m.get(peer);
  if (have !== undefined) return have;
  const used = new Set(m.values());
  let id = 0;
  while (used.has(id)) id++;
  m.set(peer, id);
  return id;
}

/** rtnl_net_newid() with an explicit id. */
export function peernet2idSet(net: Net, peer: Net, id: number): void {
  let m = ids.get(net);
  if (!m) ids.set(net, (m = new Map()));
  m.set(peer, id);
}

/** The namespace `net` knows by `id`. */
export function peerById(net: Net, id: number): Net | null {
  for (const [peer, i] of ids.get(net) ?? []) if (i === id) return peer;
  return null;
}

/** A namespace going away is forgotten by every other one. */
export function forgetNet(world: World, gone: Net): void {
  ids.delete(gone);
  for (const net of [world.initNet, ...world.netns.values()]) ids.get(net)?.delete(gone);
}

/** rtnl_fill_link_netnsid(): describing `dev` to its namespace gives its peer's namespace an id there. */
export function linkNet(dev: NetDevice): Net | null {
  const peer = dev.peer;
  if (!peer || peer.net === dev.net) return null;
  peernet2idAlloc(dev.net, peer.net);
  return peer.net;
}

/**
 * The names under /run/netns, in the order readdir() returns them: tmpfs lists
 * the newest entry first.
 */
export function netnsNames(world: World): string[] {
  return [...world.netns.keys()].reverse();
}

/** get_name_from_nsid(): the first name whose namespace `net` knows by `id`. */
export function nameFromNsid(world: World, net: Net, id: number): string | null {
  for (const name of netnsNames(world)) {
    const other = world.netns.get(name);
    if (other && peernet2id(net, other) === id) return name;
  }
  return null;
}
