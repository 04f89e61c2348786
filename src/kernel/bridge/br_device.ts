// net/bridge/br_device.c + br_if.c + br_stp_if.c: the bridge device
// (br_dev_xmit, open/stop), ports joining and leaving (br_add_if, br_del_if),
// and the port states as they settle with STP off (br_port_state_selection).
import { kprobe } from '../trace/probe.ts';
import { dev_set_allmulti, dev_set_promiscuity } from '../core/dev.ts';
import { ETH_HLEN } from '../core/eth.ts';
import {
  ARPHRD_ETHER,
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_UP,
  NETDEV_TX_OK,
  NetDevice,
  type NetDeviceOps,
} from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { netif_carrier_set, type NetdevEvent } from '../core/rtnetlink.ts';
import { ip_mc_dec_group, ip_mc_inc_group } from '../ipv4/igmp.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import {
  br_fdb_add,
  br_fdb_add_local,
  br_fdb_change_mac_address,
  br_fdb_delete,
  br_fdb_dump,
  br_fdb_delete_by_port,
  br_fdb_find_at,
  br_fdb_start_gc,
  br_fdb_stop_gc,
  fdb_delete_local,
} from './br_fdb.ts';
import { br_flood, br_forward } from './br_forward.ts';
import { br_handle_frame } from './br_input.ts';
import { br_nf_register } from './br_netfilter.ts';
import { br_getlink, br_setlink } from './br_netlink.ts';
import {
  BR_BCAST_FLOOD,
  BR_FLOOD,
  BR_LEARNING,
  BR_MCAST_FLOOD,
  BR_NO_STP,
  BR_STATE_BLOCKING,
  BR_STATE_DISABLED,
  BR_STATE_FORWARDING,
  br_port_get,
  is_broadcast_ether_addr,
  is_multicast_ether_addr,
  type NetBridge,
  type NetBridgePort,
  netdev_priv_br,
} from './br_private.ts';

const INADDR_ALLSNOOPERS_GROUP = 0xe000006a;

/** br_dev_xmit(): what the host sends through the bridge device. */
function br_dev_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'br_dev_xmit');
  const br = netdev_priv_br(dev) as NetBridge;
  if (!skb.mayPull(ETH_HLEN)) {
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'br_dev_xmit');
    return NETDEV_TX_OK;
  }
  dev.stats.tx_packets++;
  dev.stats.tx_bytes += skb.len;
  skb.resetMacHeader();
  skb.pull(ETH_HLEN);
  const b = skb.head;
  const m = skb.macHeader;
  if (is_broadcast_ether_addr(b, m)) br_flood(br, skb, 'BROADCAST', false, true);
  else if (is_multicast_ether_addr(b, m)) br_flood(br, skb, 'MULTICAST', false, true);
  else {
    const dst = br_fdb_find_at(br, b, m, 0);
    if (dst) br_forward(dst.dst, skb, false, true);
    else br_flood(br, skb, 'UNICAST', false, true);
  }
  return NETDEV_TX_OK;
}

/** br_dev_open(): no carrier until a port forwards; the fdb gc and the multicast snooping start. */
function br_dev_open(dev: NetDevice): void {
  const br = netdev_priv_br(dev) as NetBridge;
  br_set_carrier(br, false);
  br_stp_enable_bridge(br);
  if (br.mcastSnooping) ip_mc_inc_group(dev, INADDR_ALLSNOOPERS_GROUP);
}

function br_dev_stop(dev: NetDevice): void {
  const br = netdev_priv_br(dev) as NetBridge;
  br_fdb_stop_gc(br);
  for (const p of br.ports) if (p.state !== BR_STATE_DISABLED) br_stp_disable_port(p, false);
  ip_mc_dec_group(dev, INADDR_ALLSNOOPERS_GROUP);
  br_set_carrier(br, false);
}

export const bridgeOps: Readonly<NetDeviceOps> = {
  kind: 'bridge',
  ndo_start_xmit: br_dev_xmit,
  ndo_open: br_dev_open,
  ndo_stop: br_dev_stop,
  ndo_change_mtu: br_change_mtu,
  ndo_set_mac_address: (dev, addr) => br_set_mac_address(netdev_priv_br(dev) as NetBridge, addr),
  ndo_add_slave: br_add_slave,
  ndo_del_slave: (dev, port) => br_del_if(netdev_priv_br(dev) as NetBridge, port),
  ndo_fdb_add: br_fdb_add,
  ndo_fdb_del: br_fdb_delete,
  ndo_fdb_dump: br_fdb_dump,
  ndo_bridge_getlink: br_getlink,
  ndo_bridge_setlink: br_setlink,
};

/** br_add_slave(): ndo_add_slave, with br_add_if's refusals as errno and extack text. */
function br_add_slave(dev: NetDevice, port: NetDevice, extack: { msg: string | null }): number {
  const err = br_add_if(netdev_priv_br(dev) as NetBridge, port);
  if (!err) return 0;
  extack.msg = err.extack ?? null;
  return -err.errno;
}

/** br_change_mtu(): from now on the user's MTU holds. */
function br_change_mtu(dev: NetDevice, _mtu: number): void {
  const br = netdev_priv_br(dev);
  if (br) br.mtuSetByUser = true;
}

/** br_dev_setup() + br_dev_newlink(): a new bridge device, not yet registered. */
export function br_dev_setup(name: string, addr: Uint8Array, addrSet: boolean): NetDevice {
  const dev = new NetDevice(name, bridgeOps);
  dev.flags = IFF_BROADCAST | IFF_MULTICAST;
  dev.mtu = 1500;
  dev.minMtu = 68;
  dev.maxMtu = 65535;
  dev.carrier = false;
  dev.qdiscDeactivated = true;
  dev.devAddr.set(addr);
  dev.addrSet = addrSet;
  const br: NetBridge = {
    dev,
    ports: [],
    fdb: new Map(),
    ageingTime: 300 * 250,
    forwardDelay: 15 * 250,
    helloTime: 2 * 250,
    maxAge: 20 * 250,
    stpEnabled: BR_NO_STP,
    topologyChange: false,
    groupFwdMask: 0,
    priority: 0x8000,
    mcastSnooping: true,
    nfCallIptables: false,
    gcTimer: null,
    mtuSetByUser: false,
  };
  dev.brPort = br;
  br_fdb_change_mac_address(br, null, dev.devAddr);
  return dev;
}

/** After register_netdevice of a bridge: brnf_device_event(NETDEV_REGISTER) puts br_netfilter's hooks in its namespace. */
export function br_dev_registered(dev: NetDevice): void {
  br_nf_register(dev.net);
}

/** netif_carrier_on/off on the bridge; linkwatch swaps its qdisc with the carrier. */
function br_set_carrier(br: NetBridge, on: boolean): void {
  br.dev.qdiscDeactivated = !on;
  netif_carrier_set(br.dev, on);
}

/** br_port_state_selection(), STP off: every enabled port forwards; the bridge has carrier when one does. */
export function br_port_state_selection(br: NetBridge): void {
  let nbrFwd = 0;
  for (const p of br.ports) {
    if (p.state === BR_STATE_DISABLED) continue;
    if (p.state === BR_STATE_BLOCKING) br_make_forwarding(p);
    if (p.state === BR_STATE_FORWARDING) nbrFwd++;
  }
  if (br.dev.flags & IFF_UP) br_set_carrier(br, nbrFwd > 0);
}

/** br_make_forwarding(): with STP off straight to FORWARDING; the forward delay timer runs anyway. */
function br_make_forwarding(p: NetBridgePort): void {
  const br = p.br;
  if (br.stpEnabled === BR_NO_STP || br.forwardDelay === 0) p.state = BR_STATE_FORWARDING;
  if (br.forwardDelay !== 0) p.forwardDelayTimer = (br.dev.net.kernel.jiffies() + br.forwardDelay) >>> 0;
}

/** br_set_port_state(): `bridge link set … state N`; 0 or a positive errno. */
export function br_set_port_state(p: NetBridgePort, state: number): number {
  if (state < 0 || state > BR_STATE_BLOCKING) return 22;
  if (!(p.dev.flags & IFF_UP) || (!portOperUp(p.dev) && state !== BR_STATE_DISABLED)) return 100;
  p.state = state;
  br_port_state_selection(p.br);
  return 0;
}

/** br_stp_enable_bridge() */
function br_stp_enable_bridge(br: NetBridge): void {
  br_fdb_start_gc(br);
  for (const p of br.ports) if (portOperUp(p.dev)) br_stp_enable_port(p);
  br_port_state_selection(br);
}

/** br_stp_enable_port() → br_init_port(): BLOCKING, then the state selection. */
function br_stp_enable_port(p: NetBridgePort): void {
  p.state = BR_STATE_BLOCKING;
  br_port_state_selection(p.br);
}

/** br_stp_disable_port(): DISABLED; its learned addresses go. */
function br_stp_disable_port(p: NetBridgePort, select = true): void {
  p.state = BR_STATE_DISABLED;
  br_fdb_delete_by_port(p.br, p, false);
  if (select) br_port_state_selection(p.br);
}

function portOperUp(dev: NetDevice): boolean {
  return (dev.flags & IFF_UP) !== 0 && dev.operstate === 'UP';
}

/** br_port_carrier_check() */
function br_port_carrier_check(p: NetBridgePort): void {
  const br = p.br;
  if (!(br.dev.flags & IFF_UP)) return;
  if (portOperUp(p.dev)) {
    if (p.state === BR_STATE_DISABLED) br_stp_enable_port(p);
  } else if (p.state !== BR_STATE_DISABLED) br_stp_disable_port(p);
}

/** find_portno(): the lowest free port number from 1. */
function find_portno(br: NetBridge): number {
  const used = new Set(br.ports.map((p) => p.portNo));
  let n = 1;
  while (used.has(n)) n++;
  return n;
}

export interface BrIfError {
  errno: number;
  extack?: string;
}

/** br_add_if(): `ip link set DEV master BR`. */
export function br_add_if(br: NetBridge, dev: NetDevice): BrIfError | null {
  if (dev.flags & IFF_LOOPBACK || dev.type !== ARPHRD_ETHER || dev.hardHeaderLen !== ETH_HLEN) return { errno: 22 };
  if (dev.ops.kind === 'bridge') return { errno: 40, extack: 'Can not enslave a bridge to a bridge' };
  if (dev === br.dev) return { errno: 40 };
  if (dev.master) return { errno: 16, extack: 'Device is already in use.' };
  // netdev_rx_handler_register(): another rx_handler (a macvlan port) is -EBUSY without a message
  if (dev.rxHandler) return { errno: 16 };
  const p: NetBridgePort = {
    br,
    dev,
    portNo: find_portno(br),
    state: BR_STATE_DISABLED,
    flags: BR_LEARNING | BR_FLOOD | BR_MCAST_FLOOD | BR_BCAST_FLOOD,
    priority: 0x20,
    pathCost: 2,
    forwardDelayTimer: -1,
  };
  dev_set_promiscuity(dev, 1);
  dev_set_allmulti(dev, 1);
  dev.rxHandler = br_handle_frame;
  dev.brPort = p;
  dev.master = br.dev;
  br.ports.unshift(p);
  br_fdb_add_local(br, p, dev.devAddr, 0);
  br_stp_recalculate_bridge_id(br);
  if (portOperUp(dev) && br.dev.flags & IFF_UP) br_stp_enable_port(p);
  br_mtu_auto_adjust(br);
  return null;
}

/** br_del_if() → del_nbp(): `ip link set DEV nomaster`, or the port went away. */
export function br_del_if(br: NetBridge, dev: NetDevice): void {
  const p = br_port_get(dev);
  if (!p || p.br !== br) return;
  dev_set_promiscuity(dev, -1);
  dev_set_allmulti(dev, -1);
  p.state = BR_STATE_DISABLED;
  br_port_state_selection(br);
  const i = br.ports.indexOf(p);
  if (i >= 0) br.ports.splice(i, 1);
  br_fdb_delete_by_port(br, p, true);
  fdb_delete_local(br, p, dev.devAddr, 0);
  dev.rxHandler = null;
  dev.brPort = null;
  dev.master = null;
  br_stp_recalculate_bridge_id(br);
  br_mtu_auto_adjust(br);
  br_port_state_selection(br);
}

/** br_stp_recalculate_bridge_id(): a bridge whose address nobody set takes its lowest port's. */
function br_stp_recalculate_bridge_id(br: NetBridge): void {
  if (br.dev.addrSet) return;
  let best: Uint8Array | null = null;
  for (const p of br.ports) {
    const a = p.dev.devAddr;
    if (!best || compareMac(a, best) < 0) best = a;
  }
  if (!best || compareMac(best, br.dev.devAddr) === 0) return;
  const old = br.dev.devAddr.slice();
  br.dev.devAddr.set(best);
  br_fdb_change_mac_address(br, old, br.dev.devAddr);
}

function compareMac(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** br_mtu_auto_adjust(): the smallest MTU of the ports. */
function br_mtu_auto_adjust(br: NetBridge): void {
  if (br.mtuSetByUser) return;
  br.dev.mtu = br.ports.length ? Math.min(...br.ports.map((p) => p.dev.mtu)) : 1500;
}

/** br_set_mac_address() from `ip link set BR address …` */
export function br_set_mac_address(br: NetBridge, addr: Uint8Array): void {
  const old = br.dev.devAddr.slice();
  br.dev.devAddr.set(addr);
  br.dev.addrSet = true;
  br_fdb_change_mac_address(br, old, br.dev.devAddr);
}

/** br_device_event(): the netdev notifier for ports and bridges. */
export function br_device_event(event: NetdevEvent, dev: NetDevice): void {
  const br = netdev_priv_br(dev);
  if (br && event === 'UNREGISTER') {
    for (const p of [...br.ports]) br_del_if(br, p.dev);
    br_fdb_stop_gc(br);
    return;
  }
  const p = br_port_get(dev);
  if (!p) return;
  switch (event) {
    case 'UP':
    case 'DOWN':
    case 'CHANGE':
      br_port_carrier_check(p);
      break;
    case 'UNREGISTER':
      br_del_if(p.br, dev);
      break;
    case 'CHANGEMTU':
      br_mtu_auto_adjust(p.br);
      break;
    case 'CHANGEADDR':
      br_fdb_add_local(p.br, p, dev.devAddr, 0);
      br_stp_recalculate_bridge_id(p.br);
      break;
  }
}

export { netdev_priv_br, br_port_get };

/**
 * For the event-budget message: the bridges among the busiest devices, with
 * the ports that keep receiving — a frame going round a loop of bridges
 * (two links between them, STP off) never ends.
 */
export function bridgeLoopHint(busiest: readonly { ns: string; dev: NetDevice }[]): string {
  const seen = new Map<NetBridge, string>();
  for (const { ns, dev } of busiest) {
    const br = netdev_priv_br(dev) ?? br_port_get(dev)?.br ?? null;
    if (!br || seen.has(br)) continue;
    const ports = br.ports
      .filter((p) => p.dev.stats.rx_packets > 0)
      .map((p) => p.dev.name)
      .reverse();
    seen.set(br, `${ns}/${br.dev.name} (ports ${ports.join(', ')})`);
  }
  if (!seen.size) return '';
  const stp = [...seen.keys()].every((b) => b.stpEnabled === BR_NO_STP) ? ' with STP off' : '';
  return `; a bridge loop: frames go round ${[...seen.values()].join(' and ')}${stp}, flooded again at every pass`;
}
