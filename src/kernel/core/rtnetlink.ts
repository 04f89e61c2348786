// What rtnetlink requests do to devices: register/unregister, up/down with
// the NETDEV_UP/DOWN work of devinet, fib_frontend and neighbour, carrier.
import type { Net } from '../net_namespace.ts';
import { in_dev_get, inet_add_loopback_addr, fib_add_ifaddr } from '../ipv4/devinet.ts';
import { RT_SCOPE_NOWHERE, RTNH_F_LINKDOWN } from '../ipv4/fib.ts';
import { IFF_LOOPBACK, IFF_UP, type NetDevice, type OperState } from './netdevice.ts';
import { EBUSY, EEXIST, EINVAL } from '../uapi/errno.ts';

export type NetdevEvent = 'UP' | 'DOWN' | 'CHANGE' | 'UNREGISTER' | 'CHANGEADDR' | 'CHANGEMTU';

/** The netdev notifier chain (register_netdevice_notifier): the bridge listens here. */
export const netdev_chain: ((event: NetdevEvent, dev: NetDevice) => void)[] = [];

export function call_netdevice_notifiers(event: NetdevEvent, dev: NetDevice): void {
  for (const fn of netdev_chain) fn(event, dev);
}

/** register_netdevice(): a new device in net (ifindex: the next free one, or the one asked for). */
export function register_netdevice(net: Net, dev: NetDevice, ifindex = 0): number {
  if (net.devByName.has(dev.name)) return -EEXIST;
  let idx = ifindex;
  if (idx) {
    if (net.devByIndex.has(idx)) return -EBUSY;
  } else {
    idx = net.ifindex + 1;
    while (net.devByIndex.has(idx)) idx++;
  }
  if (idx > net.ifindex) net.ifindex = idx;
  dev.ifindex = idx;
  dev.net = net;
  net.devices.push(dev);
  net.devices.sort((a, b) => a.ifindex - b.ifindex);
  net.devByName.set(dev.name, dev);
  net.devByIndex.set(idx, dev);
  net.sysctl.addDevice(dev.name);
  in_dev_get(dev);
  return 0;
}

/** unregister_netdevice(): down, then gone with its routes, neighbours and sysctls. */
export function unregister_netdevice(dev: NetDevice): void {
  const net = dev.net;
  if (dev.flags & IFF_UP) dev_close(dev);
  call_netdevice_notifiers('UNREGISTER', dev);
  net.fib.syncDownDev(dev, true);
  net.arpTbl.flushDev(dev, false);
  for (let i = net.ptypeAll.length - 1; i >= 0; i--) if (net.ptypeAll[i]?.dev === dev) net.ptypeAll.splice(i, 1);
  dev.ptypeAll.length = 0;
  net.devices.splice(net.devices.indexOf(dev), 1);
  net.devByName.delete(dev.name);
  net.devByIndex.delete(dev.ifindex);
  net.sysctl.removeDevice(dev.name);
  dev.ipPtr = null;
}

/** dev_change_net_namespace(): keeps the ifindex when it is free in the new namespace. */
export function dev_change_net_namespace(dev: NetDevice, to: Net, newName?: string): number {
  const from = dev.net;
  const name = newName ?? dev.name;
  if (to.devByName.has(name)) return -EEXIST;
  const wasUp = (dev.flags & IFF_UP) !== 0;
  if (wasUp) dev_close(dev);
  call_netdevice_notifiers('UNREGISTER', dev);
  from.fib.syncDownDev(dev, true);
  from.arpTbl.flushDev(dev, false);
  from.devices.splice(from.devices.indexOf(dev), 1);
  from.devByName.delete(dev.name);
  from.devByIndex.delete(dev.ifindex);
  from.sysctl.removeDevice(dev.name);
  dev.ipPtr = null;
  dev.name = name;
  const keep = to.devByIndex.has(dev.ifindex) ? 0 : dev.ifindex;
  const err = register_netdevice(to, dev, keep);
  // linkwatch settles the peer's operstate after the move: its lower device may now be beside it
  if (dev.peer) update_operstate(dev.peer);
  return err;
}

/** The operational state as linkwatch settles it. */
export function update_operstate(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP)) dev.operstate = 'DOWN';
  else if (dev.flags & IFF_LOOPBACK) dev.operstate = 'UNKNOWN';
  else if (!dev.carrier) dev.operstate = default_operstate_nocarrier(dev);
  else dev.operstate = 'UP';
}

/**
 * default_operstate() without carrier (net/core/link_watch.c): the lower
 * device is looked up by iflink *in the device's own namespace*; a device
 * found there without carrier makes it LOWERLAYERDOWN, anything else DOWN (so
 * a veth whose peer is in another namespace is usually DOWN).
 */
function default_operstate_nocarrier(dev: NetDevice): OperState {
  const iflink = dev.peer ? dev.peer.ifindex : dev.ifindex;
  if (iflink === dev.ifindex) return 'DOWN';
  const lower = dev.net.devByIndex.get(iflink);
  if (!lower) return 'DOWN';
  return lower.carrier ? 'DOWN' : 'LOWERLAYERDOWN';
}

function set_carrier(dev: NetDevice, on: boolean): void {
  dev.carrier = on;
  update_operstate(dev);
  // fib_sync_down_dev(NETDEV_CHANGE) / fib_sync_up(): nexthops through it are marked linkdown
  for (const fa of dev.net.fib.aliases) {
    if (fa.dev !== dev || fa.nhScope === RT_SCOPE_NOWHERE) continue;
    if (on) fa.nhFlags &= ~RTNH_F_LINKDOWN;
    else fa.nhFlags |= RTNH_F_LINKDOWN;
  }
  call_netdevice_notifiers('CHANGE', dev);
}

/** netif_carrier_on()/off() for drivers: carrier, operstate and NETDEV_CHANGE. */
export function netif_carrier_set(dev: NetDevice, on: boolean): void {
  if (dev.carrier === on) return;
  set_carrier(dev, on);
}

/** dev_open() + NETDEV_UP. */
export function dev_open(dev: NetDevice): void {
  if (dev.flags & IFF_UP) return;
  const net = dev.net;
  dev.flags |= IFF_UP;
  if (dev.flags & IFF_LOOPBACK) {
    dev.carrier = true;
    inet_add_loopback_addr(net, dev);
  }
  if (dev.ops.kind === 'veth') {
    const peer = dev.peer;
    if (peer && peer.flags & IFF_UP) {
      set_carrier(dev, true);
      set_carrier(peer, true);
    } else set_carrier(dev, false);
  }
  dev.ops.ndo_open?.(dev);
  update_operstate(dev);
  for (const ifa of dev.ipPtr?.ifaList ?? []) fib_add_ifaddr(net, dev, ifa);
  call_netdevice_notifiers('UP', dev);
}

/** dev_close() + NETDEV_DOWN: routes through it go, its neighbours are flushed. */
export function dev_close(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP)) return;
  const net = dev.net;
  dev.flags &= ~IFF_UP;
  if (dev.ops.kind === 'veth') {
    set_carrier(dev, false);
    if (dev.peer) set_carrier(dev.peer, false);
  }
  dev.ops.ndo_stop?.(dev);
  update_operstate(dev);
  net.fib.syncDownDev(dev, false);
  net.arpTbl.flushDev(dev, false);
  call_netdevice_notifiers('DOWN', dev);
}

/** dev_set_mtu() */
export function dev_set_mtu(dev: NetDevice, mtu: number): number {
  if (mtu < dev.minMtu || (dev.maxMtu > 0 && mtu > dev.maxMtu)) return -EINVAL;
  dev.ops.ndo_change_mtu?.(dev, mtu);
  dev.mtu = mtu;
  call_netdevice_notifiers('CHANGEMTU', dev);
  return 0;
}

/** dev_change_name() + inetdev_changename(): returns 0 or a negative errno. */
export function dev_change_name(dev: NetDevice, name: string): number {
  const net = dev.net;
  if (dev.name === name) return 0;
  if (net.devByName.has(name)) return -EEXIST;
  const old = dev.name;
  net.devByName.delete(old);
  dev.name = name;
  net.devByName.set(name, dev);
  net.sysctl.renameDevice(old, name);
  let named = 0;
  for (const ifa of dev.ipPtr?.ifaList ?? []) {
    const prev = ifa.label;
    ifa.label = name;
    if (named++ === 0) continue;
    const colon = prev.indexOf(':');
    const dot = colon >= 0 ? prev.slice(colon) : `:${named}`;
    ifa.label = dot.length + name.length < 16 ? name + dot : name.slice(0, 16 - dot.length - 1) + dot;
  }
  return 0;
}

/** veth_dellink(): both ends go. */
export function unregister_link(dev: NetDevice): void {
  const peer = dev.ops.kind === 'veth' ? dev.peer : null;
  unregister_netdevice(dev);
  if (peer && peer.net.devByIndex.get(peer.ifindex) === peer) unregister_netdevice(peer);
  dev.peer = null;
  if (peer) peer.peer = null;
}

/** cleanup_net(): a namespace nobody holds any more loses its devices (veth peers elsewhere too). */
export function destroy_net(net: Net): void {
  for (const dev of [...net.devices].reverse()) {
    if (dev === net.loopbackDev) continue;
    if (net.devByIndex.get(dev.ifindex) !== dev) continue;
    unregister_link(dev);
  }
  if (net.loopbackDev.flags & IFF_UP) {
    // lo is the last to go; its routes and neighbours with it
    net.fib.syncDownDev(net.loopbackDev, true);
    net.arpTbl.flushDev(net.loopbackDev, false);
  }
}
