// What rtnetlink requests do to devices: register/unregister, up/down with
// the NETDEV_UP/DOWN work of devinet, fib_frontend and neighbour, carrier.
import { dev_activate, dev_deactivate, dev_qdisc_change_tx_queue_len, dev_shutdown } from '../sched/sch_generic.ts';
import type { Net } from '../net_namespace.ts';
import type { Kernel } from '../kernel.ts';
import {
  in_dev_get,
  inet_add_loopback_addr,
  fib_add_ifaddr,
  inet_dump_ifaddr,
  inet_rtm_deladdr,
  inet_rtm_newaddr,
} from '../ipv4/devinet.ts';
import { inet6_dump_ifaddr, inet6_rtm_deladdr, inet6_rtm_newaddr } from '../ipv6/addrconf.ts';
import { RT_SCOPE_NOWHERE, RTNH_F_LINKDOWN } from '../ipv4/fib.ts';
import {
  ARPHRD_ETHER,
  IFF_ALLMULTI,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_UP,
  dev_get_stats,
  type NetDevice,
  type OperState,
} from './netdevice.ts';
import { __dev_set_rx_mode, dev_set_allmulti, dev_set_promiscuity } from './dev.ts';
import { dev_mc_list, dev_uc_add_excl, dev_uc_del } from './dev_addr_lists.ts';
import { peernet2id_alloc, rtnl_net_dumpid, rtnl_net_getid, rtnl_net_newid } from './net_namespace.ts';
import { EADDRNOTAVAIL, EBUSY, EEXIST, EINVAL, ENODEV, EOPNOTSUPP, ESRCH } from '../uapi/errno.ts';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_MULTI,
  NTF_MASTER,
  NTF_SELF,
  NUD_PERMANENT,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELNEIGH,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_GETNEIGH,
  RTM_GETNSID,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWNSID,
  RTM_SETLINK,
  type AddrMsg,
  type FdbMsg,
  type IflaAttrs,
  type IflaBrportAttrs,
  type IflaInfoData,
  type IflaLinkInfo,
  type LinkMsg,
  type NlReply,
  type RtnlMsg,
} from '../uapi/rtnetlink.ts';

export type NetdevEvent = 'REGISTER' | 'UP' | 'DOWN' | 'CHANGE' | 'UNREGISTER' | 'CHANGEADDR' | 'CHANGEMTU';

/** A netdev notifier (register_netdevice_notifier); the chain is the Kernel's netdevChain. */
export type NetdevNotifier = (event: NetdevEvent, dev: NetDevice) => void;

export function call_netdevice_notifiers(event: NetdevEvent, dev: NetDevice): void {
  for (const fn of dev.net.kernel.netdevChain) fn(event, dev);
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
  call_netdevice_notifiers('REGISTER', dev);
  return 0;
}

/** unregister_netdevice(): down, then gone with its routes, neighbours and sysctls. */
export function unregister_netdevice(dev: NetDevice): void {
  const net = dev.net;
  if (dev.flags & IFF_UP) dev_close(dev);
  dev.dismantle = true;
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
  dev_shutdown(dev);
}

/** dev_change_net_namespace(): keeps the ifindex when it is free in the new namespace. */
export function dev_change_net_namespace(dev: NetDevice, to: Net, newName?: string): number {
  const from = dev.net;
  const name = newName ?? dev.name;
  if (to.devByName.has(name)) return -EEXIST;
  // the old namespace gives the new one an id before the device leaves
  peernet2id_alloc(from, to);
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
  // dev_shutdown(): noop until the next dev_activate
  dev_shutdown(dev);
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
  // ifb and dummy never report carrier: linkwatch never runs for them and they stay IF_OPER_UNKNOWN
  else if (
    dev.ops.kind === 'ifb' ||
    dev.ops.kind === 'vxlan' ||
    (dev.ops.kind === 'dummy' && dev.carrierUpCount + dev.carrierDownCount === 0)
  )
    dev.operstate = 'UNKNOWN';
  else if (!dev.carrier) dev.operstate = (dev.ops.ndo_get_iflink && dev.operstateNoCarrier) || default_operstate_nocarrier(dev);
  else dev.operstate = 'UP';
}

/**
 * default_operstate() without carrier (net/core/link_watch.c): the lower
 * device is looked up by iflink *in the device's own namespace*; a device
 * found there without carrier makes it LOWERLAYERDOWN, anything else DOWN (so
 * a veth whose peer is in another namespace is usually DOWN).
 */
export function default_operstate_nocarrier(dev: NetDevice): OperState {
  const iflink = dev.peer ? dev.peer.ifindex : dev_get_iflink(dev);
  if (iflink === dev.ifindex) return 'DOWN';
  const lower = dev.net.devByIndex.get(iflink);
  if (!lower) return 'DOWN';
  return lower.carrier ? 'DOWN' : 'LOWERLAYERDOWN';
}

/**
 * The carrier bit as netif_carrier_on/off() flips it, with carrier_up_count /
 * carrier_down_count counting the changes. Drivers call it directly where their
 * open/close clears the carrier (operstate and NETDEV_CHANGE follow from dev_open/dev_close).
 */
export function netif_carrier_change(dev: NetDevice, on: boolean): void {
  if (dev.carrier !== on) {
    if (on) dev.carrierUpCount++;
    else dev.carrierDownCount++;
  }
  dev.carrier = on;
}

function set_carrier(dev: NetDevice, on: boolean): void {
  netif_carrier_change(dev, on);
  // linkwatch_do_dev() → rfc2863_policy(): computed now, where the device is now
  dev.operstateNoCarrier = on ? null : default_operstate_nocarrier(dev);
  update_operstate(dev);
  // fib_sync_down_dev(NETDEV_CHANGE) / fib_sync_up(): nexthops through it are marked linkdown
  for (const fa of dev.net.fib.all()) {
    if (fa.dev !== dev || fa.nhScope === RT_SCOPE_NOWHERE) continue;
    if (on) fa.nhFlags &= ~RTNH_F_LINKDOWN;
    else fa.nhFlags |= RTNH_F_LINKDOWN;
  }
  // arp_netdev_event(NETDEV_CHANGE) → neigh_carrier_down(): the device's entries go with the carrier
  if (!on) dev.net.arpTbl.flushDev(dev, true);
  call_netdevice_notifiers('CHANGE', dev);
}

/** netif_carrier_on()/off() for drivers: carrier, operstate and NETDEV_CHANGE. */
export function netif_carrier_set(dev: NetDevice, on: boolean): void {
  if (dev.carrier === on) return;
  set_carrier(dev, on);
}

/** dev_open() + NETDEV_UP: 0, or the driver's -errno (the device stays down). */
export function dev_open(dev: NetDevice): number {
  if (dev.flags & IFF_UP) return 0;
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
  const err = dev.ops.ndo_open?.(dev);
  if (err) {
    dev.flags &= ~IFF_UP;
    return err;
  }
  // dev_set_rx_mode()
  __dev_set_rx_mode(dev);
  // dev_activate(): the default qdisc is attached at the first up
  dev_activate(dev);
  update_operstate(dev);
  for (const ifa of dev.ipPtr?.ifaList ?? []) fib_add_ifaddr(net, dev, ifa);
  call_netdevice_notifiers('UP', dev);
  return 0;
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
  // dev_deactivate_many(): noop in the queue, the qdisc reset; then the driver stops
  dev_deactivate(dev);
  dev.ops.ndo_stop?.(dev);
  update_operstate(dev);
  net.fib.syncDownDev(dev, false);
  net.arpTbl.flushDev(dev, false);
  call_netdevice_notifiers('DOWN', dev);
}

/** dev_set_mtu() */
export function dev_set_mtu(dev: NetDevice, mtu: number): number {
  if (mtu < dev.minMtu || (dev.maxMtu > 0 && mtu > dev.maxMtu)) return -EINVAL;
  const err = dev.ops.ndo_change_mtu?.(dev, mtu);
  if (err) return err;
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

// --- rtnetlink proper (net/core/rtnetlink.c): the link messages, the
// flags userspace changes (dev_change_flags in net/core/dev.c) and the
// AF_BRIDGE fdb and link requests it hands to the bridge ---

/** struct netlink_ext_ack: the message an error carries back to userspace. */
export interface NetlinkExtAck {
  msg: string | null;
}

/** struct rtnl_link_ops: a link kind `ip link add … type KIND` creates (registered on the Kernel at boot). */
export interface RtnlLinkOps {
  readonly kind: string;
  /** ->validate + ->newlink: makes and registers the device(s) in `net`; 0 or -errno. */
  newlink(net: Net, req: LinkMsg, extack: NetlinkExtAck): number;
  /** ->changelink: IFLA_INFO_DATA on an existing device. */
  changelink?(dev: NetDevice, data: IflaInfoData, extack: NetlinkExtAck): number;
  /** ->fill_info: IFLA_INFO_DATA of a dump. */
  fill_info?(dev: NetDevice): IflaInfoData;
  /** ->fill_slave_info of the master's kind: IFLA_INFO_SLAVE_DATA of a port. */
  fill_slave_info?(dev: NetDevice): IflaBrportAttrs | null;
  /** ->dellink: `ip link del` of the kind (default: unregister_link). */
  dellink?(dev: NetDevice): void;
  /** ->get_link_net: the namespace of the device it links to (IFLA_LINK_NETNSID when not its own). */
  get_link_net?(dev: NetDevice): Net;
}

/** rtnl_link_register() */
export function rtnl_link_register(k: Kernel, ops: RtnlLinkOps): void {
  k.rtnlLinkOps.set(ops.kind, ops);
}

/** dev->rtnl_link_ops: the kind's ops, or null (lo and PCI NICs have none). */
function rtnl_link_ops_of(dev: NetDevice): RtnlLinkOps | null {
  if (dev.ops.kind === 'loopback' || dev.parentDev) return null;
  return dev.net.kernel.rtnlLinkOps.get(dev.ops.kind) ?? { kind: dev.ops.kind, newlink: () => -EOPNOTSUPP };
}

const OPERSTATES: Readonly<Record<OperState, number>> = {
  UNKNOWN: 0,
  NOTPRESENT: 1,
  DOWN: 2,
  LOWERLAYERDOWN: 3,
  TESTING: 4,
  DORMANT: 5,
  UP: 6,
};

/** dev_get_flags(): RUNNING and LOWER_UP from the operational state and carrier, PROMISC/ALLMULTI as the user set them. */
export function dev_get_flags(dev: NetDevice): number {
  let f = dev.flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT);
  f |= dev.gflags & (IFF_PROMISC | IFF_ALLMULTI);
  if (dev.flags & IFF_UP) {
    if (dev.operstate === 'UP' || dev.operstate === 'UNKNOWN') f |= IFF_RUNNING;
    if (dev.carrier) f |= IFF_LOWER_UP;
  }
  return f;
}

const IFF_DYNAMIC = 0x8000;

/** dev_change_flags() → __dev_change_flags(): the bits of `change` take their value from `flags`; 0 or dev_open's -errno. */
export function dev_change_flags(dev: NetDevice, flags: number, change: number): number {
  const plain = (IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST) & change;
  dev.flags = (dev.flags & ~plain) | (flags & plain);
  for (const flag of [IFF_PROMISC, IFF_ALLMULTI]) {
    if (!(change & flag)) continue;
    const on = (flags & flag) !== 0;
    // the user's promisc/allmulti count like any other holder's
    if (((dev.gflags & flag) !== 0) === on) continue;
    dev.gflags ^= flag;
    if (flag === IFF_PROMISC) dev_set_promiscuity(dev, on ? 1 : -1);
    else dev_set_allmulti(dev, on ? 1 : -1);
  }
  if (change & IFF_UP) {
    if (flags & IFF_UP) return dev_open(dev);
    dev_close(dev);
  }
  return 0;
}

/** dev_alloc_name(): the first free name of a "veth%d" pattern. */
export function dev_alloc_name(net: Net, pattern: string): string {
  for (let i = 0; ; i++) {
    const n = pattern.replace('%d', String(i));
    if (!net.devByName.has(n)) return n;
  }
}

/** eth_random_addr(): a locally administered unicast MAC from the machine's RNG. */
export function eth_random_addr(net: Net): Uint8Array {
  const rng = net.kernel.sim.rng;
  const a = rng.u32();
  const b = rng.u32();
  const mac = new Uint8Array([a & 255, (a >>> 8) & 255, (a >>> 16) & 255, (a >>> 24) & 255, b & 255, (b >>> 8) & 255]);
  mac[0] = ((mac[0] as number) & 0xfe) | 0x02;
  return mac;
}

/** is_valid_ether_addr() */
export function is_valid_ether_addr(mac: Uint8Array): boolean {
  return ((mac[0] as number) & 1) === 0 && mac.some((b) => b !== 0);
}

/**
 * rtnl_newlink_create() for an Ethernet kind without a newlink of its own (dummy,
 * ifb): the driver's validate() of IFLA_ADDRESS (is_valid_ether_addr),
 * rtnl_create_link() with the kind's setup and the attributes it applies,
 * register_netdevice(), then rtnl_configure_link()'s flags and the notification.
 */
export function rtnl_create_ether_link(src: Net, req: LinkMsg, pattern: string, setup: (net: Net, name: string) => NetDevice): number {
  const a = req.attrs;
  if (a.IFLA_ADDRESS) {
    if (a.IFLA_ADDRESS.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(a.IFLA_ADDRESS)) return -EADDRNOTAVAIL;
  }
  const net = a.IFLA_NET_NS_FD ?? src;
  const name = a.IFLA_IFNAME ?? dev_alloc_name(net, pattern);
  if (net.devByName.has(name)) return -EEXIST;
  const dev = setup(net, name);
  if (a.IFLA_ADDRESS) {
    dev.devAddr.set(a.IFLA_ADDRESS);
    dev.addrSet = true;
  }
  if (a.IFLA_MTU !== undefined) dev.mtu = a.IFLA_MTU;
  if (a.IFLA_TXQLEN !== undefined) dev.txQueueLen = a.IFLA_TXQLEN;
  if (a.IFLA_GROUP !== undefined) dev.group = a.IFLA_GROUP;
  if (a.IFLA_IFALIAS !== undefined) dev.alias = a.IFLA_IFALIAS;
  const err = register_netdevice(net, dev, req.ifi.ifi_index);
  if (err) return err;
  if (req.ifi.ifi_change) dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
  rtmsg_ifinfo(dev);
  return 0;
}

/** dev_get_iflink(): veth names its peer (0 without one); other devices themselves. */
export function dev_get_iflink(dev: NetDevice): number {
  if (dev.ops.kind === 'veth') return dev.peer ? dev.peer.ifindex : 0;
  return dev.ops.ndo_get_iflink ? dev.ops.ndo_get_iflink(dev) : dev.ifindex;
}

/** rtnl_fill_link_netnsid(): the peer's namespace as `src` knows it (given an id if it has none). */
function rtnl_fill_link_netnsid(src: Net, dev: NetDevice): number | undefined {
  const peer = dev.ops.kind === 'veth' ? dev.peer : null;
  const linkNet = peer ? peer.net : (rtnl_link_ops_of(dev)?.get_link_net?.(dev) ?? null);
  if (!linkNet || linkNet === dev.net) return undefined;
  return peernet2id_alloc(src, linkNet);
}

/** rtmsg_ifinfo(): the RTM_NEWLINK notification a change sends (it names a veth peer's namespace). */
export function rtmsg_ifinfo(dev: NetDevice): void {
  rtnl_fill_link_netnsid(dev.net, dev);
}

/** rtnl_fill_ifinfo(): one device as RTM_NEWLINK, for a requester in `src`. */
export function rtnl_fill_ifinfo(src: Net, dev: NetDevice, flags = 0): LinkMsg {
  const st = dev_get_stats(dev);
  const cc = dev.carrierUpCount + dev.carrierDownCount;
  const attrs: IflaAttrs = {
    IFLA_IFNAME: dev.name,
    IFLA_TXQLEN: dev.txQueueLen,
    IFLA_OPERSTATE: OPERSTATES[dev.operstate],
    IFLA_LINKMODE: 0,
    IFLA_MTU: dev.mtu,
    IFLA_MIN_MTU: dev.minMtu,
    IFLA_MAX_MTU: dev.maxMtu >= 0x7fffffff ? 0 : dev.maxMtu,
    IFLA_GROUP: dev.group,
    IFLA_PROMISCUITY: dev.promiscuity,
    IFLA_ALLMULTI: dev.allmulti,
    IFLA_NUM_TX_QUEUES: dev.ops.kind === 'veth' ? 2 : 1,
    IFLA_GSO_MAX_SEGS: 65535,
    IFLA_GSO_MAX_SIZE: 65536,
    IFLA_GRO_MAX_SIZE: 65536,
    IFLA_TSO_MAX_SIZE: dev.tsoMaxSize || (dev.parentDev ? 65536 : 524280),
    IFLA_TSO_MAX_SEGS: 65535,
    IFLA_NUM_RX_QUEUES: dev.ops.kind === 'veth' ? 2 : 1,
    IFLA_CARRIER: dev.carrier ? 1 : 0,
    IFLA_CARRIER_CHANGES: cc,
    IFLA_CARRIER_UP_COUNT: dev.carrierUpCount,
    IFLA_CARRIER_DOWN_COUNT: dev.carrierDownCount,
    IFLA_QDISC: dev.qdisc ? dev.qdisc.ops.id : 'noop',
    IFLA_STATS64: {
      rx_packets: st.rx_packets,
      tx_packets: st.tx_packets,
      rx_bytes: st.rx_bytes,
      tx_bytes: st.tx_bytes,
      rx_errors: st.rx_errors,
      tx_errors: st.tx_errors,
      rx_dropped: st.rx_dropped,
      tx_dropped: st.tx_dropped,
      multicast: st.multicast,
      collisions: st.collisions,
      rx_length_errors: st.rx_length_errors,
      rx_missed_errors: st.rx_missed_errors,
      tx_carrier_errors: st.tx_carrier_errors,
      rx_nohandler: st.rx_nohandler,
      rx_otherhost_dropped: st.rx_otherhost_dropped,
    },
    IFLA_AF_SPEC: { AF_INET6: { IFLA_INET6_ADDR_GEN_MODE: 0 } },
  };
  if (dev.addrLen) {
    attrs.IFLA_ADDRESS = dev.devAddr.slice();
    attrs.IFLA_BROADCAST = dev.broadcast.slice();
  }
  if (dev.master) attrs.IFLA_MASTER = dev.master.ifindex;
  if (dev.alias) attrs.IFLA_IFALIAS = dev.alias;
  if (dev.parentDev) {
    attrs.IFLA_PARENT_DEV_NAME = dev.parentDev.name;
    attrs.IFLA_PARENT_DEV_BUS_NAME = dev.parentDev.bus;
  }
  // rtnl_link_fill(): the kind with its data, and the master's view of a port
  const ops = rtnl_link_ops_of(dev);
  const masterOps = dev.master ? rtnl_link_ops_of(dev.master) : null;
  if (ops || masterOps) {
    const li: IflaLinkInfo = {};
    if (ops) {
      li.IFLA_INFO_KIND = ops.kind;
      const data = ops.fill_info?.(dev);
      if (data) li.IFLA_INFO_DATA = data;
    }
    if (masterOps) {
      li.IFLA_INFO_SLAVE_KIND = masterOps.kind;
      const data = masterOps.fill_slave_info?.(dev);
      if (data) li.IFLA_INFO_SLAVE_DATA = data;
    }
    attrs.IFLA_LINKINFO = li;
  }
  // nla_put_iflink(): always with a link-netnsid (the indexes of two namespaces may be equal)
  const nsid = rtnl_fill_link_netnsid(src, dev);
  if (nsid !== undefined) attrs.IFLA_LINK_NETNSID = nsid;
  const iflink = dev_get_iflink(dev);
  if (iflink !== dev.ifindex || nsid !== undefined) attrs.IFLA_LINK = iflink;
  return {
    nlmsg_type: RTM_NEWLINK,
    nlmsg_flags: flags,
    ifi: { ifi_family: AF_UNSPEC, ifi_type: dev.type, ifi_index: dev.ifindex, ifi_flags: dev_get_flags(dev), ifi_change: 0 },
    attrs,
  };
}

/** The device a request names: by ifi_index, else by IFLA_IFNAME. */
function rtnl_dev_get(net: Net, req: LinkMsg): NetDevice | undefined {
  if (req.ifi.ifi_index > 0) return net.devByIndex.get(req.ifi.ifi_index);
  if (req.attrs.IFLA_IFNAME !== undefined) return net.devByName.get(req.attrs.IFLA_IFNAME);
  return undefined;
}

/** rtnl_getlink(): one device. */
export function rtnl_getlink(net: Net, req: LinkMsg): NlReply<LinkMsg> {
  if (!(req.ifi.ifi_index > 0) && req.attrs.IFLA_IFNAME === undefined) return { error: -EINVAL, extack: null, msgs: [] };
  const dev = rtnl_dev_get(net, req);
  if (!dev) return { error: -ENODEV, extack: null, msgs: [] };
  return { error: 0, extack: null, msgs: [rtnl_fill_ifinfo(net, dev)] };
}

/** link_master_filtered(): IFLA_MASTER of a dump request (-1: devices without a master). */
function link_master_filtered(dev: NetDevice, masterIdx: number): boolean {
  if (!masterIdx) return false;
  if (!dev.master) return masterIdx !== -1;
  return dev.master.ifindex !== masterIdx;
}

/** link_kind_filtered(): IFLA_INFO_KIND of a dump request, when the kind exists. */
function link_kind_filtered(dev: NetDevice, kindOps: RtnlLinkOps | undefined): boolean {
  return kindOps !== undefined && rtnl_link_ops_of(dev)?.kind !== kindOps.kind;
}

/** rtnl_dump_ifinfo(): every device of the namespace, by ifindex, but those the request's filters leave out. */
export function rtnl_dump_ifinfo(net: Net, req: LinkMsg): LinkMsg[] {
  const masterIdx = req.attrs.IFLA_MASTER ?? 0;
  const kind = req.attrs.IFLA_LINKINFO?.IFLA_INFO_KIND;
  const kindOps = kind !== undefined ? net.kernel.rtnlLinkOps.get(kind) : undefined;
  const out: LinkMsg[] = [];
  for (const dev of net.devices) {
    if (link_master_filtered(dev, masterIdx) || link_kind_filtered(dev, kindOps)) continue;
    out.push(rtnl_fill_ifinfo(net, dev, NLM_F_MULTI));
  }
  return out;
}

/** do_set_master(): leave the old master, then ndo_add_slave to the new one. */
function do_set_master(dev: NetDevice, ifindex: number, extack: NetlinkExtAck): number {
  const cur = dev.master;
  if (cur) {
    if (ifindex && cur.ifindex === ifindex) return 0;
    cur.ops.ndo_del_slave?.(cur, dev);
  }
  if (!ifindex) return 0;
  const upper = dev.net.devByIndex.get(ifindex);
  if (!upper) return -EINVAL;
  if (!upper.ops.ndo_add_slave) return -EOPNOTSUPP;
  return upper.ops.ndo_add_slave(upper, dev, extack);
}

/** do_setlink(): an existing device, in the model's order of the attributes. */
function do_setlink(net: Net, dev: NetDevice, req: LinkMsg, extack: NetlinkExtAck): number {
  const a = req.attrs;
  if (a.IFLA_NET_NS_PID !== undefined) return -ESRCH;
  const to = a.IFLA_NET_NS_FD;
  if (to && to !== dev.net) {
    if (dev === dev.net.loopbackDev) {
      extack.msg = 'The interface netns is immutable';
      return -EINVAL;
    }
    const newName = a.IFLA_IFNAME !== undefined && a.IFLA_IFNAME !== dev.name ? a.IFLA_IFNAME : dev.name;
    if (to.devByName.has(newName)) return -EEXIST;
    const err = dev_change_net_namespace(dev, to, newName);
    if (err) return err;
  }
  if (a.IFLA_ADDRESS) {
    if (a.IFLA_ADDRESS.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(a.IFLA_ADDRESS)) return -EADDRNOTAVAIL;
    if (dev.ops.ndo_set_mac_address) {
      // a driver may refuse the address (macvlan: -EADDRINUSE)
      const err = dev.ops.ndo_set_mac_address(dev, a.IFLA_ADDRESS);
      if (err) return err;
    } else {
      dev.devAddr.set(a.IFLA_ADDRESS);
      call_netdevice_notifiers('CHANGEADDR', dev);
    }
  }
  if (a.IFLA_MTU !== undefined) {
    const mtu = a.IFLA_MTU;
    if (mtu < 0 || mtu < dev.minMtu) {
      extack.msg = 'mtu less than device minimum';
      return -EINVAL;
    }
    const max = dev.maxMtu >= 0x7fffffff ? 0 : dev.maxMtu;
    if (max > 0 && mtu > max) {
      extack.msg = 'mtu greater than device maximum';
      return -EINVAL;
    }
    if (dev.mtu !== mtu) {
      const err = dev_set_mtu(dev, mtu);
      if (err) return err;
    }
  }
  if (a.IFLA_GROUP !== undefined) dev.group = a.IFLA_GROUP;
  if (a.IFLA_IFNAME !== undefined && a.IFLA_IFNAME !== dev.name) {
    const err = dev_change_name(dev, a.IFLA_IFNAME);
    if (err) return err;
  }
  if (a.IFLA_IFALIAS !== undefined) dev.alias = a.IFLA_IFALIAS;
  if (a.IFLA_BROADCAST) dev.broadcast.set(a.IFLA_BROADCAST.slice(0, 6));
  if (req.ifi.ifi_change) {
    const err = dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
    if (err) return err;
  }
  if (a.IFLA_MASTER !== undefined) {
    const err = do_set_master(dev, a.IFLA_MASTER, extack);
    if (err) return err;
  }
  const data = a.IFLA_LINKINFO?.IFLA_INFO_DATA;
  if (data) {
    const ops = rtnl_link_ops_of(dev);
    if (ops?.changelink) {
      const err = ops.changelink(dev, data, extack);
      if (err) return err;
    }
  }
  if (a.IFLA_TXQLEN !== undefined) {
    if (a.IFLA_TXQLEN < 0) return -EINVAL;
    dev.txQueueLen = a.IFLA_TXQLEN;
    // dev_change_tx_queue_len() → dev_qdisc_change_tx_queue_len()
    dev_qdisc_change_tx_queue_len(dev);
  }
  rtmsg_ifinfo(dev);
  return 0;
}

/** rtnl_newlink(): `ip link add` (NLM_F_CREATE) and `ip link set` (an existing device). */
export function rtnl_newlink(net: Net, req: LinkMsg, extack: NetlinkExtAck): number {
  const create = (req.nlmsg_flags & NLM_F_CREATE) !== 0;
  const kind = req.attrs.IFLA_LINKINFO?.IFLA_INFO_KIND;
  const name = req.attrs.IFLA_IFNAME;
  const dev = create ? (name !== undefined ? net.devByName.get(name) : undefined) : rtnl_dev_get(net, req);
  if (dev) {
    if (req.nlmsg_flags & NLM_F_EXCL) return -EEXIST;
    if (kind !== undefined && kind !== (rtnl_link_ops_of(dev)?.kind ?? '')) return -EOPNOTSUPP;
    return do_setlink(net, dev, req, extack);
  }
  if (!create) return -ENODEV;
  const ops = kind !== undefined ? net.kernel.rtnlLinkOps.get(kind) : undefined;
  if (!ops) {
    extack.msg = 'Unknown device type';
    return -EOPNOTSUPP;
  }
  return ops.newlink(net, req, extack);
}

/** rtnl_setlink(): do_setlink() of the device the request names. */
export function rtnl_setlink(net: Net, req: LinkMsg, extack: NetlinkExtAck): number {
  const dev = rtnl_dev_get(net, req);
  if (!dev) return -ENODEV;
  return do_setlink(net, dev, req, extack);
}

/** rtnl_dellink(): the kind's dellink (veth takes its peer along). */
export function rtnl_dellink(net: Net, req: LinkMsg): number {
  const dev = rtnl_dev_get(net, req);
  if (!dev) return -ENODEV;
  const ops = rtnl_link_ops_of(dev);
  if (!ops || !net.kernel.rtnlLinkOps.has(ops.kind)) return -EOPNOTSUPP;
  if (ops.dellink) ops.dellink(dev);
  else unregister_link(dev);
  return 0;
}

/** rtnl_bridge_getlink(): AF_BRIDGE dump, each port as its master describes it (ndo_bridge_getlink). */
function rtnl_bridge_getlink(net: Net): LinkMsg[] {
  const out: LinkMsg[] = [];
  for (const dev of net.devices) {
    const br = dev.master;
    const m = br?.ops.ndo_bridge_getlink?.(dev);
    if (m) out.push(m);
  }
  return out;
}

/** rtnl_bridge_setlink(): `bridge link set` goes to the port's master (ndo_bridge_setlink). */
function rtnl_bridge_setlink(net: Net, req: LinkMsg, extack: NetlinkExtAck): number {
  const dev = net.devByIndex.get(req.ifi.ifi_index);
  if (!dev) return -ENODEV;
  const br = dev.master;
  if (!br || !br.ops.ndo_bridge_setlink) return -EOPNOTSUPP;
  return br.ops.ndo_bridge_setlink(dev, req.attrs, extack);
}

// --- AF_BRIDGE neighbours: the fdb (rtnl_fdb_add/del/dump, ndo_dflt_fdb_*) ---

/** nlmsg_populate_fdb(): the device's own address lists, as NTF_SELF permanent entries. */
function ndo_dflt_fdb_dump(dev: NetDevice): FdbMsg[] {
  return [...dev.uc, ...dev_mc_list(dev)].map((addr) => ({
    nlmsg_type: RTM_NEWNEIGH,
    nlmsg_flags: NLM_F_MULTI,
    ndm: { ndm_family: AF_BRIDGE, ndm_ifindex: dev.ifindex, ndm_state: NUD_PERMANENT, ndm_flags: NTF_SELF, ndm_type: 0 },
    attrs: { NDA_LLADDR: addr.slice() },
  }));
}

/** ndo_dflt_fdb_add(): `bridge fdb add … self` on a device without its own fdb. */
function ndo_dflt_fdb_add(dev: NetDevice, state: number, addr: Uint8Array, flags: number): number {
  if (state && !(state & NUD_PERMANENT)) return -EINVAL; // "FDB only supports static addresses"
  const err = dev_uc_add_excl(dev, addr);
  if (err === -EEXIST && !(flags & NLM_F_EXCL)) return 0;
  return err;
}

function rtnl_fdb_common(net: Net, req: FdbMsg): { dev: NetDevice; addr: Uint8Array } | number {
  const dev = net.devByIndex.get(req.ndm.ndm_ifindex);
  if (!dev) return -ENODEV;
  const addr = req.attrs.NDA_LLADDR;
  if (!addr || addr.length !== 6) return -EINVAL;
  if (dev.type !== ARPHRD_ETHER) return -EINVAL;
  // no VLAN filtering in the model
  if (req.attrs.NDA_VLAN) return -EOPNOTSUPP;
  return { dev, addr };
}

/** rtnl_fdb_add(): the master's fdb (a port's bridge), then the device's own list with NTF_SELF. */
function rtnl_fdb_add(net: Net, req: FdbMsg): number {
  const c = rtnl_fdb_common(net, req);
  if (typeof c === 'number') return c;
  const { dev, addr } = c;
  let flags = req.ndm.ndm_flags;
  let err = -EOPNOTSUPP;
  if ((!flags || flags & NTF_MASTER) && dev.master?.ops.ndo_fdb_add) {
    err = dev.master.ops.ndo_fdb_add(req.ndm, dev, addr, req.nlmsg_flags);
    if (err) return err;
    flags &= ~NTF_MASTER;
  }
  if (flags & NTF_SELF) {
    err = dev.ops.ndo_fdb_add
      ? dev.ops.ndo_fdb_add(req.ndm, dev, addr, req.nlmsg_flags, req.attrs)
      : ndo_dflt_fdb_add(dev, req.ndm.ndm_state, addr, req.nlmsg_flags);
  }
  return err;
}

/** rtnl_fdb_del() */
function rtnl_fdb_del(net: Net, req: FdbMsg): number {
  const c = rtnl_fdb_common(net, req);
  if (typeof c === 'number') return c;
  const { dev, addr } = c;
  let flags = req.ndm.ndm_flags;
  let err = -EOPNOTSUPP;
  if ((!flags || flags & NTF_MASTER) && dev.master?.ops.ndo_fdb_del) {
    err = dev.master.ops.ndo_fdb_del(dev, addr);
    if (err) return err;
    flags &= ~NTF_MASTER;
  }
  if (flags & NTF_SELF) err = dev.ops.ndo_fdb_del ? dev.ops.ndo_fdb_del(dev, addr, req.attrs) : dev_uc_del(dev, addr);
  return err;
}

/** rtnl_fdb_dump(): per device, its master's entries for it, then its own (a bridge: its own and the bridge's). */
function rtnl_fdb_dump(net: Net, req: FdbMsg): NlReply<FdbMsg> {
  const brportIdx = req.ndm.ndm_ifindex;
  const brIdx = req.attrs.NDA_MASTER ?? 0;
  let brDev: NetDevice | undefined;
  if (brIdx) {
    brDev = net.devByIndex.get(brIdx);
    if (!brDev) return { error: -ENODEV, extack: null, msgs: [] };
  }
  const out: FdbMsg[] = [];
  for (const dev of net.devices) {
    if (brportIdx && dev.ifindex !== brportIdx) continue;
    let cops: NetDevice | null = null;
    const isPort = dev.master !== null && dev.brPort !== null;
    if (!brDev) {
      if (isPort) cops = dev.master;
    } else {
      if (dev !== brDev && !isPort) continue;
      if (dev.master !== brDev && dev.ops.kind !== 'bridge') continue;
      cops = brDev;
    }
    if (isPort && cops?.ops.ndo_fdb_dump) out.push(...cops.ops.ndo_fdb_dump(cops, dev));
    if (dev.type !== ARPHRD_ETHER) continue;
    if (dev.ops.ndo_fdb_dump) out.push(...dev.ops.ndo_fdb_dump(dev, null));
    else out.push(...ndo_dflt_fdb_dump(dev));
  }
  return { error: 0, extack: null, msgs: out };
}

export { ndo_dflt_fdb_dump };

// --- the door: rtnetlink_rcv_msg() ---

function ack<M>(error: number, extack: NetlinkExtAck): NlReply<M> {
  return { error, extack: error ? extack.msg : null, msgs: [] };
}

/** rtnetlink_rcv_msg(): one request of a NETLINK_ROUTE socket in `net`, to its doit or dumpit. */
export function rtnetlink_rcv_msg(net: Net, req: RtnlMsg): NlReply<RtnlMsg> {
  const extack: NetlinkExtAck = { msg: null };
  const dump = (req.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP;
  switch (req.nlmsg_type) {
    case RTM_NEWLINK:
      return ack(rtnl_newlink(net, req, extack), extack);
    case RTM_DELLINK:
      return ack(rtnl_dellink(net, req), extack);
    case RTM_GETLINK:
      if (req.ifi.ifi_family === AF_BRIDGE) return { error: 0, extack: null, msgs: rtnl_bridge_getlink(net) };
      if (dump) return { error: 0, extack: null, msgs: rtnl_dump_ifinfo(net, req) };
      return rtnl_getlink(net, req);
    case RTM_SETLINK:
      if (req.ifi.ifi_family === AF_BRIDGE) return ack(rtnl_bridge_setlink(net, req, extack), extack);
      return ack(rtnl_setlink(net, req, extack), extack);
    case RTM_NEWADDR:
    case RTM_DELADDR:
    case RTM_GETADDR:
      return rtnl_addr_msg(net, req, dump, extack);
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
    case RTM_GETNEIGH:
      if (req.ndm.ndm_family !== AF_BRIDGE) return ack(-EOPNOTSUPP, extack);
      if (req.nlmsg_type === RTM_NEWNEIGH) return ack(rtnl_fdb_add(net, req), extack);
      if (req.nlmsg_type === RTM_DELNEIGH) return ack(rtnl_fdb_del(net, req), extack);
      return rtnl_fdb_dump(net, req);
    case RTM_NEWNSID:
      return ack(rtnl_net_newid(net, req, extack), extack);
    case RTM_GETNSID:
      if (dump) return { error: 0, extack: null, msgs: rtnl_net_dumpid(net) };
      return rtnl_net_getid(net, req, extack);
    default:
      return ack(-EOPNOTSUPP, extack);
  }
}

/** The address family's handlers (rtnl_register(PF_INET, RTM_*ADDR) in devinet.c, PF_INET6 in addrconf.c). */
function rtnl_addr_msg(net: Net, req: AddrMsg, dump: boolean, extack: NetlinkExtAck): NlReply<RtnlMsg> {
  const family = req.ifa.ifa_family;
  if (req.nlmsg_type === RTM_GETADDR && dump) {
    const msgs: AddrMsg[] = [];
    if (family === AF_UNSPEC || family === AF_INET) msgs.push(...inet_dump_ifaddr(net));
    if (family === AF_UNSPEC || family === AF_INET6) msgs.push(...inet6_dump_ifaddr(net, req));
    return { error: 0, extack: null, msgs };
  }
  if (family === AF_INET) {
    if (req.nlmsg_type === RTM_NEWADDR) return ack(inet_rtm_newaddr(net, req, extack), extack);
    if (req.nlmsg_type === RTM_DELADDR) return ack(inet_rtm_deladdr(net, req, extack), extack);
  }
  if (family === AF_INET6) {
    if (req.nlmsg_type === RTM_NEWADDR) return ack(inet6_rtm_newaddr(net, req, extack), extack);
    if (req.nlmsg_type === RTM_DELADDR) return ack(inet6_rtm_deladdr(net, req, extack), extack);
  }
  return ack(-EOPNOTSUPP, extack);
}
