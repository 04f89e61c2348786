// Kernel work an rtnetlink request does that the kernel model does not do
// (yet): the parts of __inet_del_ifa()/fib_inetaddr_event(), dev_change_name()
// with inetdev_changename(), veth_dellink(). Each mirrors the function it
// names; they belong in src/kernel and can move there unchanged.
import { IFF_UP, type NetDevice } from '../../../kernel/core/netdevice.ts';
import { unregister_netdevice } from '../../../kernel/core/rtnetlink.ts';
import { fib_add_ifaddr, IFA_F_SECONDARY, inet_del_ifa, inet_ifa_match, type InIfaddr } from '../../../kernel/ipv4/devinet.ts';
import { RT_TABLE_MAIN } from '../../../kernel/ipv4/fib.ts';
import type { Net } from '../../../kernel/net_namespace.ts';

function localOnSomeDevice(net: Net, addr: number): boolean {
  return net.devices.some((d) => d.ipPtr?.ifaList.some((i) => i.local === addr));
}

/** fib_inetaddr_event(NETDEV_DOWN) after fib_del_ifaddr(): stray prefsrc routes, and no address left disables IP. */
function afterAddrGone(net: Net, dev: NetDevice, ifa: InIfaddr): void {
  if (!localOnSomeDevice(net, ifa.local)) {
    // fib_sync_down_addr(): routes of the main table that used it as source
    for (const fa of [...net.fib.aliases]) if (fa.table === RT_TABLE_MAIN && fa.prefsrc === ifa.local) net.fib.remove(fa);
  }
  if (!dev.ipPtr?.ifaList.length) {
    // fib_disable_ip(dev, NETDEV_DOWN, true)
    net.fib.syncDownDev(dev, true);
    net.arpTbl.flushDev(dev, false);
  }
}

/** __inet_del_ifa(): a primary takes its secondaries with it, unless promote_secondaries. */
export function inet_del_ifa_full(net: Net, dev: NetDevice, ifa1: InIfaddr): void {
  const inDev = dev.ipPtr;
  if (!inDev) return;
  const promoteOn = net.sysctl.devConf('all', 'promote_secondaries') || net.sysctl.devConf(dev.name, 'promote_secondaries');
  const sameSubnet = (ifa: InIfaddr): boolean => ifa !== ifa1 && (ifa.flags & IFA_F_SECONDARY) !== 0 && ifa.mask === ifa1.mask && inet_ifa_match(ifa1.address, ifa);
  let promote: InIfaddr | null = null;
  if (!(ifa1.flags & IFA_F_SECONDARY)) {
    for (const ifa of [...inDev.ifaList]) {
      if (!sameSubnet(ifa)) continue;
      if (promoteOn) {
        promote = ifa;
        break;
      }
      inet_del_ifa(net, dev, ifa);
      afterAddrGone(net, dev, ifa);
    }
  }
  inet_del_ifa(net, dev, ifa1);
  afterAddrGone(net, dev, ifa1);
  if (promote) {
    const list = inDev.ifaList;
    list.splice(list.indexOf(promote), 1);
    promote.flags &= ~IFA_F_SECONDARY;
    let i = 0;
    while (i < list.length && !((list[i] as InIfaddr).flags & IFA_F_SECONDARY)) i++;
    list.splice(i, 0, promote);
    fib_add_ifaddr(net, dev, promote);
    for (const ifa of list) if (ifa !== promote && ifa.mask === ifa1.mask && inet_ifa_match(ifa1.address, ifa)) fib_add_ifaddr(net, dev, ifa);
  }
}

/** dev_change_name() + inetdev_changename(): returns 0 or a negative errno. */
export function dev_change_name(dev: NetDevice, name: string): number {
  const net = dev.net;
  if (dev.name === name) return 0;
  if (net.devByName.has(name)) return -17;
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
