// drivers/net/macvlan.c: devices with their own MAC address on a lower
// Ethernet device. The lower device's rx_handler (macvlan_handle_frame) gives
// a unicast frame to the macvlan whose address it is sent to; a broadcast is
// queued for the port's work item (macvlan_process_broadcast), which hands a
// copy to every macvlan in process context. A macvlan transmits through its
// lower device (macvlan_queue_xmit), except in bridge mode, where frames for
// another bridge-mode macvlan of the same port are delivered directly.
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_BROADCAST, PACKET_HOST, PACKET_LOOPBACK, PACKET_MULTICAST, type SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import {
  __dev_set_rx_mode,
  __netif_rx,
  dev_queue_xmit,
  dev_set_allmulti,
  dev_set_promiscuity,
  netdev_upper_dev_link,
  netdev_upper_dev_unlink,
} from '../core/dev.ts';
import { eth_type_trans, ETH_HLEN } from '../core/eth.ts';
import { tasklet_schedule } from './ifb.ts';
import { dev_mc_list, dev_uc_add_excl, dev_uc_del } from '../core/dev_addr_lists.ts';
import {
  ARPHRD_ETHER,
  IFF_ALLMULTI,
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_MULTICAST,
  IFF_PROMISC,
  IFF_UP,
  NET_RX_DROP,
  NET_RX_SUCCESS,
  NET_XMIT_CN,
  NET_XMIT_SUCCESS,
  NetDevice,
  type NetDeviceOps,
  type RxHandlerResult,
} from '../core/netdevice.ts';
import type { EthtoolOps } from '../core/ethtool.ts';
import {
  dev_alloc_name,
  dev_change_flags,
  default_operstate_nocarrier,
  dev_set_mtu,
  eth_random_addr,
  is_valid_ether_addr,
  type NetdevEvent,
  type NetlinkExtAck,
  netif_carrier_set,
  register_netdevice,
  type RtnlLinkOps,
  rtmsg_ifinfo,
  unregister_netdevice,
} from '../core/rtnetlink.ts';
import type { IflaInfoData, LinkMsg } from '../uapi/rtnetlink.ts';
import { EADDRINUSE, EADDRNOTAVAIL, EBUSY, EEXIST, EINVAL, ENODEV } from '../uapi/errno.ts';
import {
  MACVLAN_FLAG_NODST,
  MACVLAN_FLAG_NOPROMISC,
  MACVLAN_MACADDR_ADD,
  MACVLAN_MACADDR_DEL,
  MACVLAN_MACADDR_FLUSH,
  MACVLAN_MACADDR_SET,
  MACVLAN_MODE_BRIDGE,
  MACVLAN_MODE_PASSTHRU,
  MACVLAN_MODE_PRIVATE,
  MACVLAN_MODE_SOURCE,
  MACVLAN_MODE_VEPA,
} from '../uapi/if_macvlan.ts';

const MACVLAN_HASH_BITS = 8;
const MACVLAN_HASH_SIZE = 1 << MACVLAN_HASH_BITS;
const MACVLAN_DEFAULT_BC_QUEUE_LEN = 1000;
const ETH_P_PAUSE = 0x8808;
const ETH_MIN_MTU = 68;

/** struct macvlan_dev: netdev_priv() of a macvlan. */
export interface MacvlanDev {
  readonly dev: NetDevice;
  readonly lowerdev: NetDevice;
  readonly port: MacvlanPort;
  mode: number;
  flags: number;
  bc_queue_len_req: number;
  macaddr_count: number;
}

/** struct macvlan_source_entry */
interface MacvlanSourceEntry {
  readonly addr: Uint8Array;
  vlan: MacvlanDev;
}

/** struct macvlan_port: the lower device's rx_handler_data. */
export interface MacvlanPort {
  readonly dev: NetDevice;
  /** vlan_hash[]: the macvlans that are up, by macvlan_eth_hash() of their address (newest first in a bucket). */
  readonly vlan_hash: MacvlanDev[][];
  /** vlans: every macvlan of the port, in creation order. */
  readonly vlans: MacvlanDev[];
  readonly vlan_source_hash: MacvlanSourceEntry[][];
  readonly bc_queue: { skb: SkBuff; src: MacvlanDev | null }[];
  bc_work_pending: boolean;
  bc_queue_len_used: number;
  bc_cutoff: number;
  passthru: boolean;
  addr_change: boolean;
  count: number;
  readonly perm_addr: Uint8Array;
}

function macvlan_priv(dev: NetDevice): MacvlanDev {
  return dev.priv as MacvlanDev;
}

/** netif_is_macvlan() */
export function netif_is_macvlan(dev: NetDevice): boolean {
  return dev.ops === macvlan_netdev_ops;
}

/** macvlan_port_get_rtnl(): the port of a lower device, or null. */
function macvlan_port_get(dev: NetDevice): MacvlanPort | null {
  return dev.rxHandler === macvlan_handle_frame ? (dev.rxHandlerData as MacvlanPort) : null;
}

const GOLDEN_RATIO_64 = 0x61c8864680b583ebn;
const U64 = (1n << 64n) - 1n;

/** macvlan_eth_hash(): hash_64() of the 6 address bytes read as a little-endian u64 shifted by 16. */
function macvlan_eth_hash(addr: Uint8Array, off = 0): number {
  let v = 0n;
  for (let i = 5; i >= 0; i--) v = (v << 8n) | BigInt(addr[off + i] as number);
  v = (v << 16n) & U64;
  return Number(((v * GOLDEN_RATIO_64) & U64) >> BigInt(64 - MACVLAN_HASH_BITS));
}

function ether_addr_equal(a: Uint8Array, aOff: number, b: Uint8Array, bOff = 0): boolean {
  for (let i = 0; i < 6; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

function is_multicast(b: Uint8Array, off: number): boolean {
  return ((b[off] as number) & 1) !== 0;
}

/** macvlan_hash_lookup(): the macvlan (up) with this address. */
function macvlan_hash_lookup(port: MacvlanPort, addr: Uint8Array, off = 0): MacvlanDev | null {
  for (const vlan of port.vlan_hash[macvlan_eth_hash(addr, off)] ?? []) {
    if (ether_addr_equal(addr, off, vlan.dev.devAddr)) return vlan;
  }
  return null;
}

function macvlan_hash_add(vlan: MacvlanDev): void {
  (vlan.port.vlan_hash[macvlan_eth_hash(vlan.dev.devAddr)] as MacvlanDev[]).unshift(vlan);
}

function macvlan_hash_del(vlan: MacvlanDev): void {
  for (const b of vlan.port.vlan_hash) {
    const i = b.indexOf(vlan);
    if (i >= 0) b.splice(i, 1);
  }
}

/** hash_for_each_rcu(port->vlan_hash): bucket by bucket. */
function* macvlan_each(port: MacvlanPort): Generator<MacvlanDev> {
  for (const b of port.vlan_hash) for (const v of [...b]) yield v;
}

/** macvlan_addr_busy(): the lower device's address (but in passthru) or another macvlan's that is up. */
function macvlan_addr_busy(port: MacvlanPort, addr: Uint8Array): boolean {
  if (!port.passthru && !port.addr_change && ether_addr_equal(port.dev.devAddr, 0, addr)) return true;
  return macvlan_hash_lookup(port, addr) !== null;
}

function macvlan_hash_lookup_source(vlan: MacvlanDev, addr: Uint8Array): MacvlanSourceEntry | null {
  for (const e of vlan.port.vlan_source_hash[macvlan_eth_hash(addr)] ?? []) {
    if (e.vlan === vlan && ether_addr_equal(e.addr, 0, addr)) return e;
  }
  return null;
}

function macvlan_hash_add_source(vlan: MacvlanDev, addr: Uint8Array): void {
  if (macvlan_hash_lookup_source(vlan, addr)) return;
  (vlan.port.vlan_source_hash[macvlan_eth_hash(addr)] as MacvlanSourceEntry[]).unshift({ addr: addr.slice(0, 6), vlan });
  vlan.macaddr_count++;
}

function macvlan_hash_del_source(port: MacvlanPort, entry: MacvlanSourceEntry): void {
  const b = port.vlan_source_hash[macvlan_eth_hash(entry.addr)] as MacvlanSourceEntry[];
  const i = b.indexOf(entry);
  if (i >= 0) b.splice(i, 1);
}

function macvlan_flush_sources(port: MacvlanPort, vlan: MacvlanDev): void {
  for (const b of port.vlan_source_hash) for (const e of [...b]) if (e.vlan === vlan) macvlan_hash_del_source(port, e);
  vlan.macaddr_count = 0;
}

/** macvlan_count_rx(): a macvlan's own counters (rx_errors also reported as rx_dropped). */
function macvlan_count_rx(vlan: MacvlanDev, len: number, success: boolean, multicast: boolean): void {
  const st = vlan.dev.stats;
  if (success) {
    st.rx_packets++;
    st.rx_bytes += len;
    if (multicast) st.multicast++;
  } else {
    st.rx_errors++;
    st.rx_dropped++;
  }
}

/** netif_rx(): from process context (the broadcast work) with BH off around it, so the softirq runs at once. */
function netif_rx(k: Kernel, skb: SkBuff): number {
  const cpu = k.sim.cpu;
  cpu.localBhDisable();
  const ret = __netif_rx(skb);
  cpu.localBhEnable();
  return ret;
}

/** is_skb_forwardable(): the device is up and the frame fits its MTU. */
function is_skb_forwardable(dev: NetDevice, skb: SkBuff): boolean {
  if (!(dev.flags & IFF_UP)) return false;
  if (skb.len <= dev.mtu + dev.hardHeaderLen + 4) return true;
  return skb.gsoSize > 0;
}

/** __dev_forward_skb(): the frame made a received one of `dev` (scrubbed across namespaces); 0 or NET_RX_DROP. */
function __dev_forward_skb(dev: NetDevice, skb: SkBuff): number {
  kprobe(dev.net, skb, '__dev_forward_skb');
  if (!is_skb_forwardable(dev, skb)) {
    dev.stats.rx_dropped++; // dev_core_stats_rx_dropped_inc()
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__dev_forward_skb2');
    return NET_RX_DROP;
  }
  const xnet = dev.net !== (skb.dev as NetDevice).net;
  // skb_scrub_packet()
  skb.dst = null;
  skb.sk = null;
  skb.ipcbFlags = 0;
  skb._nfct = null;
  skb.nfctZoneTmpl = 0;
  skb.nfctinfo = 0;
  if (xnet) skb.mark = 0;
  skb.priority = 0;
  skb.protocol = eth_type_trans(skb, dev);
  return 0;
}

/** dev_forward_skb(): __dev_forward_skb() then the backlog. */
function dev_forward_skb(dev: NetDevice, skb: SkBuff): number {
  kprobe(dev.net, skb, 'dev_forward_skb');
  return __dev_forward_skb(dev, skb) || __netif_rx(skb);
}

/** macvlan_broadcast_one(): to the macvlan itself (local: bridge mode, from a transmit) or as received on it. */
function macvlan_broadcast_one(skb: SkBuff, vlan: MacvlanDev, dest: Uint8Array, destOff: number, local: boolean): number {
  const dev = vlan.dev;
  if (local) return __dev_forward_skb(dev, skb);
  skb.dev = dev;
  skb.pktType = ether_addr_equal(dest, destOff, dev.broadcast) ? PACKET_BROADCAST : PACKET_MULTICAST;
  return 0;
}

/** The bits of the multicast filters (mc_hash) as sets: a macvlan's own (vlan->mc_filter). */
function vlan_mc_filter(vlan: MacvlanDev, dest: Uint8Array, off: number): boolean {
  const dev = vlan.dev;
  if (dev.flags & (IFF_PROMISC | IFF_ALLMULTI)) return true;
  if (ether_addr_equal(dest, off, dev.broadcast)) return true;
  return dev_mc_list(dev).some((a) => ether_addr_equal(dest, off, a));
}

/** port->mc_filter: the lower device's list (with what its macvlans synced to it) and broadcast. */
function port_mc_filter(port: MacvlanPort, dest: Uint8Array, off: number): boolean {
  const low = port.dev;
  if (low.flags & (IFF_PROMISC | IFF_ALLMULTI)) return true;
  if (ether_addr_equal(dest, off, low.broadcast)) return true;
  if (dev_mc_list(low).some((a) => ether_addr_equal(dest, off, a))) return true;
  return port.vlans.some((v) => v.dev.flags & IFF_UP && dev_mc_list(v.dev).some((a) => ether_addr_equal(dest, off, a)));
}

/** port->bc_filter: broadcast, and groups more than bc_cutoff macvlans subscribe to, go through the work queue. */
function port_bc_filter(port: MacvlanPort, dest: Uint8Array, off: number): boolean {
  if (port.bc_cutoff < 0) return false;
  const low = port.dev;
  if (low.flags & (IFF_PROMISC | IFF_ALLMULTI)) return true;
  if (ether_addr_equal(dest, off, low.broadcast)) return true;
  let synced = 0;
  for (const v of port.vlans) if (v.dev.flags & IFF_UP && dev_mc_list(v.dev).some((a) => ether_addr_equal(dest, off, a))) synced++;
  return synced > port.bc_cutoff;
}

/** macvlan_broadcast(): a copy to every macvlan of `mode` but the sender. */
function macvlan_broadcast(skb: SkBuff, port: MacvlanPort, src: NetDevice | null, mode: number): void {
  kprobe(port.dev.net, skb, 'macvlan_broadcast');
  if (skb.protocol === ETH_P_PAUSE) return;
  const b = skb.head;
  const dest = skb.macHeader;
  for (const vlan of macvlan_each(port)) {
    if (vlan.dev === src || !(vlan.mode & mode)) continue;
    if (!vlan_mc_filter(vlan, b, dest)) continue;
    const nskb = skb.clone();
    const k = vlan.dev.net.kernel;
    const err = macvlan_broadcast_one(nskb, vlan, b, dest, mode === MACVLAN_MODE_BRIDGE) || netif_rx(k, nskb);
    macvlan_count_rx(vlan, skb.len + ETH_HLEN, err === NET_RX_SUCCESS, true);
  }
}

/** macvlan_multicast_rx(): from outside to every macvlan; from a macvlan to those that did not see it leave. */
function macvlan_multicast_rx(port: MacvlanPort, src: MacvlanDev | null, skb: SkBuff): void {
  if (!src) {
    macvlan_broadcast(skb, port, null, MACVLAN_MODE_PRIVATE | MACVLAN_MODE_VEPA | MACVLAN_MODE_PASSTHRU | MACVLAN_MODE_BRIDGE);
  } else if (src.mode === MACVLAN_MODE_VEPA) macvlan_broadcast(skb, port, src.dev, MACVLAN_MODE_VEPA | MACVLAN_MODE_BRIDGE);
  else macvlan_broadcast(skb, port, src.dev, MACVLAN_MODE_VEPA);
}

/** macvlan_process_broadcast(): the port's bc_work, in a kworker. */
function macvlan_process_broadcast(port: MacvlanPort): void {
  port.bc_work_pending = false;
  const list = port.bc_queue.splice(0);
  for (const { skb, src } of list) {
    kprobe(port.dev.net, skb, 'macvlan_process_broadcast');
    macvlan_multicast_rx(port, src, skb);
    consume_skb(port.dev.net, skb, 'macvlan_process_broadcast');
  }
}

/**
 * queue_work(system_dfl_wq, &port->bc_work): a kworker takes the CPU once the
 * softirq that queued the work is done (the tasklet softirq runs after
 * NET_RX has drained the backlog), and runs it in process context: each
 * netif_rx() there is received at once, as BHs come back on.
 */
function queue_bc_work(port: MacvlanPort): void {
  if (port.bc_work_pending) return;
  port.bc_work_pending = true;
  tasklet_schedule(port.dev.net.kernel, () => {
    const cpu = port.dev.net.kernel.sim.cpu;
    const was = cpu.inSoftirq;
    cpu.inSoftirq = false;
    try {
      macvlan_process_broadcast(port);
    } finally {
      cpu.inSoftirq = was;
    }
  });
}

/** macvlan_broadcast_enqueue(): a clone on the port's bc_queue (bounded by bc_queue_len_used). */
function macvlan_broadcast_enqueue(port: MacvlanPort, src: MacvlanDev | null, skb: SkBuff): void {
  kprobe(port.dev.net, skb, 'macvlan_broadcast_enqueue');
  const nskb = skb.clone();
  const queued = port.bc_queue.length < port.bc_queue_len_used;
  if (queued) port.bc_queue.push({ skb: nskb, src });
  queue_bc_work(port);
  if (queued) return;
  // macvlan_broadcast_enqueue() is inlined: the drop's location is its caller
  kfree_skb_reason(port.dev.net, nskb, SKB_DROP_REASON.NOT_SPECIFIED, 'macvlan_handle_frame');
  (skb.dev as NetDevice).stats.rx_dropped++; // dev_core_stats_rx_dropped_inc()
}

/** macvlan_forward_source_one() */
function macvlan_forward_source_one(skb: SkBuff, vlan: MacvlanDev): void {
  const dev = vlan.dev;
  if (!(dev.flags & IFF_UP)) return;
  const nskb = skb.clone();
  const len = nskb.len + ETH_HLEN;
  nskb.dev = dev;
  if (ether_addr_equal(skb.head, skb.macHeader, dev.devAddr)) nskb.pktType = PACKET_HOST;
  const ret = __netif_rx(nskb);
  macvlan_count_rx(vlan, len, ret === NET_RX_SUCCESS, false);
}

/** macvlan_forward_source(): source-mode macvlans listening to this sender; true when one of them is nodst. */
function macvlan_forward_source(skb: SkBuff, port: MacvlanPort, src: Uint8Array, off: number): boolean {
  let consume = false;
  for (const e of port.vlan_source_hash[macvlan_eth_hash(src, off)] ?? []) {
    if (!ether_addr_equal(src, off, e.addr)) continue;
    kprobe(port.dev.net, skb, 'macvlan_forward_source');
    if (e.vlan.flags & MACVLAN_FLAG_NODST) consume = true;
    macvlan_forward_source_one(skb, e.vlan);
  }
  return consume;
}

/** macvlan_handle_frame(): the lower device's rx_handler. */
function macvlan_handle_frame(skb: SkBuff): { result: RxHandlerResult; skb: SkBuff | null } {
  const lower = skb.dev as NetDevice;
  const net = lower.net;
  kprobe(net, skb, 'macvlan_handle_frame');
  // packets from dev_loopback_xmit() have no L2 header
  if (skb.pktType === PACKET_LOOPBACK) return { result: 'PASS', skb };
  const port = lower.rxHandlerData as MacvlanPort;
  const b = skb.head;
  const eth = skb.macHeader;
  const dest = eth;
  const source = eth + 6;
  if (is_multicast(b, dest)) {
    if (macvlan_forward_source(skb, port, b, source)) {
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'macvlan_handle_frame');
      return { result: 'CONSUMED', skb: null };
    }
    const src = macvlan_hash_lookup(port, b, source);
    if (src && src.mode !== MACVLAN_MODE_VEPA && src.mode !== MACVLAN_MODE_BRIDGE) {
      // forward to the original port only
      const ret = macvlan_broadcast_one(skb, src, b, dest, false) || __netif_rx(skb);
      macvlan_count_rx(src, 0, ret === NET_RX_SUCCESS, false);
      return { result: 'CONSUMED', skb: null };
    }
    if (port_bc_filter(port, b, dest)) macvlan_broadcast_enqueue(port, src, skb);
    else if (port_mc_filter(port, b, dest)) macvlan_multicast_rx(port, src, skb);
    return { result: 'PASS', skb };
  }
  if (macvlan_forward_source(skb, port, b, source)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'macvlan_handle_frame');
    return { result: 'CONSUMED', skb: null };
  }
  const vlan = port.passthru ? (port.vlans[0] ?? null) : macvlan_hash_lookup(port, b, dest);
  if (!vlan || vlan.mode === MACVLAN_MODE_SOURCE) return { result: 'PASS', skb };
  const dev = vlan.dev;
  if (!(dev.flags & IFF_UP)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'macvlan_handle_frame');
    return { result: 'CONSUMED', skb: null };
  }
  const len = skb.len + ETH_HLEN;
  skb.dev = dev;
  skb.pktType = PACKET_HOST;
  macvlan_count_rx(vlan, len, true, false);
  return { result: 'ANOTHER', skb };
}

/** macvlan_queue_xmit(): bridge mode delivers to its neighbours on the port; everything else leaves by the lower device. */
function macvlan_queue_xmit(skb: SkBuff, dev: NetDevice): number {
  const vlan = macvlan_priv(dev);
  const port = vlan.port;
  kprobe(dev.net, skb, 'macvlan_queue_xmit');
  if (vlan.mode === MACVLAN_MODE_BRIDGE) {
    const b = skb.head;
    const dest = skb.data;
    if (is_multicast(b, dest)) {
      skb.resetMacHeader();
      macvlan_broadcast(skb, port, dev, MACVLAN_MODE_BRIDGE);
    } else {
      const to = macvlan_hash_lookup(port, b, dest);
      if (to && to.mode === MACVLAN_MODE_BRIDGE) {
        // to the lower device first, for its taps
        dev_forward_skb(vlan.lowerdev, skb);
        return NET_XMIT_SUCCESS;
      }
    }
  }
  skb.dev = vlan.lowerdev;
  return dev_queue_xmit(skb);
}

/** macvlan_start_xmit(): ndo_start_xmit. Takes ownership of skb. */
function macvlan_start_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'macvlan_start_xmit');
  const len = skb.len;
  const ret = macvlan_queue_xmit(skb, dev);
  if (ret === NET_XMIT_SUCCESS || ret === NET_XMIT_CN) {
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += len;
  } else dev.stats.tx_dropped++;
  return ret;
}

/** dev_uc_add() of the lower device, with its rx mode (promiscuous without IFF_UNICAST_FLT). */
function lower_uc_add(lower: NetDevice, addr: Uint8Array): void {
  dev_uc_add_excl(lower, addr);
  __dev_set_rx_mode(lower);
}

function lower_uc_del(lower: NetDevice, addr: Uint8Array): void {
  dev_uc_del(lower, addr);
  __dev_set_rx_mode(lower);
}

/** macvlan_open(): -EADDRINUSE when the address is the lower device's or another macvlan's. */
function macvlan_open(dev: NetDevice): number {
  const vlan = macvlan_priv(dev);
  const lower = vlan.lowerdev;
  if (vlan.port.passthru) {
    if (!(vlan.flags & MACVLAN_FLAG_NOPROMISC)) dev_set_promiscuity(lower, 1);
  } else {
    if (macvlan_addr_busy(vlan.port, dev.devAddr)) return -EADDRINUSE;
    lower_uc_add(lower, dev.devAddr);
    if (dev.flags & IFF_ALLMULTI) dev_set_allmulti(lower, 1);
    if (dev.flags & IFF_PROMISC) dev_set_promiscuity(lower, 1);
  }
  macvlan_hash_add(vlan);
  return 0;
}

/** macvlan_stop() */
function macvlan_stop(dev: NetDevice): void {
  const vlan = macvlan_priv(dev);
  const lower = vlan.lowerdev;
  if (vlan.port.passthru) {
    if (!(vlan.flags & MACVLAN_FLAG_NOPROMISC)) dev_set_promiscuity(lower, -1);
  } else {
    if (dev.flags & IFF_ALLMULTI) dev_set_allmulti(lower, -1);
    if (dev.flags & IFF_PROMISC) dev_set_promiscuity(lower, -1);
    lower_uc_del(lower, dev.devAddr);
  }
  macvlan_hash_del(vlan);
}

/** macvlan_change_rx_flags(): a macvlan's promiscuity and allmulti count on its lower device. */
function macvlan_change_rx_flags(dev: NetDevice, change: number): void {
  const vlan = macvlan_priv(dev);
  if (!(dev.flags & IFF_UP)) return;
  if (change & IFF_ALLMULTI) dev_set_allmulti(vlan.lowerdev, dev.flags & IFF_ALLMULTI ? 1 : -1);
  if (!vlan.port.passthru && change & IFF_PROMISC) dev_set_promiscuity(vlan.lowerdev, dev.flags & IFF_PROMISC ? 1 : -1);
}

/** macvlan_change_mtu(): never above the lower device's. */
function macvlan_change_mtu(dev: NetDevice, mtu: number): number {
  if (macvlan_priv(dev).lowerdev.mtu < mtu) return -EINVAL;
  return 0;
}

/** macvlan_set_mac_address() */
function macvlan_set_mac_address(dev: NetDevice, addr: Uint8Array): void {
  const vlan = macvlan_priv(dev);
  if (ether_addr_equal(dev.devAddr, 0, addr)) return;
  if (!(dev.flags & IFF_UP)) {
    dev.devAddr.set(addr.subarray(0, 6));
    return;
  }
  if (macvlan_addr_busy(vlan.port, addr)) return;
  if (!vlan.port.passthru) {
    lower_uc_add(vlan.lowerdev, addr);
    lower_uc_del(vlan.lowerdev, dev.devAddr);
  }
  macvlan_hash_del(vlan);
  dev.devAddr.set(addr.subarray(0, 6));
  macvlan_hash_add(vlan);
}

const macvlan_ethtool_ops: Readonly<EthtoolOps> = {
  get_drvinfo: () => ({
    driver: 'macvlan',
    version: '0.1',
    fw_version: '',
    erom_version: '',
    bus_info: '',
    n_stats: 0,
    testinfo_len: 0,
    eedump_len: 0,
    regdump_len: 0,
    n_priv_flags: 0,
  }),
  get_link: (dev) => dev.carrier,
};

const macvlan_netdev_ops: Readonly<NetDeviceOps> = {
  kind: 'macvlan',
  ethtool_ops: macvlan_ethtool_ops,
  ndo_open: macvlan_open,
  ndo_stop: macvlan_stop,
  ndo_start_xmit: macvlan_start_xmit,
  ndo_change_mtu: macvlan_change_mtu,
  ndo_change_rx_flags: macvlan_change_rx_flags,
  ndo_set_mac_address: macvlan_set_mac_address,
  ndo_get_iflink: (dev) => macvlan_priv(dev).lowerdev.ifindex,
};

/** macvlan_port_create(): the lower device's rx_handler. */
function macvlan_port_create(dev: NetDevice): number {
  if (dev.type !== ARPHRD_ETHER || dev.flags & IFF_LOOPBACK) return -EINVAL;
  if (dev.rxHandler) return -EBUSY; // netdev_is_rx_handler_busy()
  const port: MacvlanPort = {
    dev,
    vlan_hash: Array.from({ length: MACVLAN_HASH_SIZE }, () => []),
    vlans: [],
    vlan_source_hash: Array.from({ length: MACVLAN_HASH_SIZE }, () => []),
    bc_queue: [],
    bc_work_pending: false,
    bc_queue_len_used: 0,
    bc_cutoff: 1,
    passthru: false,
    addr_change: false,
    count: 0,
    perm_addr: dev.devAddr.slice(),
  };
  dev.rxHandler = macvlan_handle_frame;
  dev.rxHandlerData = port;
  return 0;
}

/** macvlan_port_destroy(): the rx_handler goes, what is left on the bc_queue is freed. */
function macvlan_port_destroy(dev: NetDevice): void {
  const port = macvlan_port_get(dev);
  if (!port) return;
  dev.rxHandler = null;
  dev.rxHandlerData = null;
  for (const { skb } of port.bc_queue.splice(0)) {
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'macvlan_port_destroy');
  }
  if (port.passthru && !ether_addr_equal(dev.devAddr, 0, port.perm_addr)) dev.devAddr.set(port.perm_addr);
}

/** update_port_bc_queue_len(): the largest bcqueuelen any macvlan of the port asked for. */
function update_port_bc_queue_len(port: MacvlanPort): void {
  let max = 0;
  for (const v of port.vlans) if (v.bc_queue_len_req > max) max = v.bc_queue_len_req;
  port.bc_queue_len_used = max;
}

/** macvlan_validate() */
function macvlan_validate(req: LinkMsg): number {
  const a = req.attrs;
  if (a.IFLA_ADDRESS) {
    if (a.IFLA_ADDRESS.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(a.IFLA_ADDRESS)) return -EADDRNOTAVAIL;
  }
  const d = a.IFLA_LINKINFO?.IFLA_INFO_DATA;
  if (!d) return 0;
  if (d.IFLA_MACVLAN_FLAGS !== undefined && d.IFLA_MACVLAN_FLAGS & ~(MACVLAN_FLAG_NOPROMISC | MACVLAN_FLAG_NODST)) return -EINVAL;
  if (d.IFLA_MACVLAN_MODE !== undefined) {
    const m = d.IFLA_MACVLAN_MODE;
    const ok = [MACVLAN_MODE_PRIVATE, MACVLAN_MODE_VEPA, MACVLAN_MODE_BRIDGE, MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_SOURCE];
    if (!ok.includes(m)) return -EINVAL;
  }
  if (d.IFLA_MACVLAN_MACADDR_MODE !== undefined && (d.IFLA_MACVLAN_MACADDR_MODE < 0 || d.IFLA_MACVLAN_MACADDR_MODE > 3)) return -EINVAL;
  if (d.IFLA_MACVLAN_MACADDR) {
    if (d.IFLA_MACVLAN_MACADDR.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(d.IFLA_MACVLAN_MACADDR)) return -EADDRNOTAVAIL;
  }
  for (const m of d.IFLA_MACVLAN_MACADDR_DATA ?? []) {
    if (m.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(m)) return -EADDRNOTAVAIL;
  }
  if (d.IFLA_MACVLAN_MACADDR_COUNT !== undefined) return -EINVAL;
  // IFLA_MACVLAN_BC_QUEUE_LEN_USED is NLA_REJECT in macvlan_policy
  if (d.IFLA_MACVLAN_BC_QUEUE_LEN_USED !== undefined) return -EINVAL;
  return 0;
}

/** macvlan_changelink_sources(): the remote addresses of a source-mode macvlan. */
function macvlan_changelink_sources(vlan: MacvlanDev, mode: number, d: IflaInfoData): number {
  const addr = d.IFLA_MACVLAN_MACADDR;
  if (mode === MACVLAN_MACADDR_ADD) {
    if (!addr) return -EINVAL;
    macvlan_hash_add_source(vlan, addr);
  } else if (mode === MACVLAN_MACADDR_DEL) {
    if (!addr) return -EINVAL;
    const e = macvlan_hash_lookup_source(vlan, addr);
    if (e) {
      macvlan_hash_del_source(vlan.port, e);
      vlan.macaddr_count--;
    }
  } else if (mode === MACVLAN_MACADDR_FLUSH) {
    macvlan_flush_sources(vlan.port, vlan);
  } else if (mode === MACVLAN_MACADDR_SET) {
    macvlan_flush_sources(vlan.port, vlan);
    if (addr) macvlan_hash_add_source(vlan, addr);
    for (const a of d.IFLA_MACVLAN_MACADDR_DATA ?? []) macvlan_hash_add_source(vlan, a);
  } else return -EINVAL;
  return 0;
}

/** netif_stacked_transfer_operstate(): the lower device's carrier, copied. */
function netif_stacked_transfer_operstate(lower: NetDevice, dev: NetDevice): void {
  netif_carrier_set(dev, lower.carrier);
  // linkwatch_do_dev(): noop_qdisc while the carrier is off (dev_deactivate), the qdisc back with it
  dev.qdiscDeactivated = !dev.carrier;
}

/** macvlan_setup() + macvlan_common_setup(): ether_setup, no queue, IFF_UNICAST_FLT. */
function macvlan_setup(name: string): NetDevice {
  const d = new NetDevice(name, macvlan_netdev_ops);
  d.flags = IFF_BROADCAST | IFF_MULTICAST;
  d.minMtu = ETH_MIN_MTU;
  d.maxMtu = 65535;
  d.unicastFlt = true;
  return d;
}

/** macvlan_common_newlink() (with rtnl_create_link() and macvlan_init() before it). */
function macvlan_newlink(src: Net, req: LinkMsg, _extack: NetlinkExtAck): number {
  const a = req.attrs;
  let err = macvlan_validate(req);
  if (err) return err;
  const net = a.IFLA_NET_NS_FD ?? src;
  const name = a.IFLA_IFNAME ?? dev_alloc_name(net, 'macvlan%d');
  if (net.devByName.has(name)) return -EEXIST;
  if (a.IFLA_LINK === undefined) return -EINVAL;
  // the lower device is looked up in the namespace the request came from (link_net)
  let lowerdev = src.devByIndex.get(a.IFLA_LINK);
  if (!lowerdev) return -ENODEV;
  // a macvlan on a macvlan sits on the real device
  if (netif_is_macvlan(lowerdev)) lowerdev = macvlan_priv(lowerdev).lowerdev;
  const dev = macvlan_setup(name);
  if (a.IFLA_TXQLEN !== undefined) dev.txQueueLen = a.IFLA_TXQLEN;
  if (a.IFLA_GROUP !== undefined) dev.group = a.IFLA_GROUP;
  if (a.IFLA_IFALIAS !== undefined) dev.alias = a.IFLA_IFALIAS;
  if (a.IFLA_MTU === undefined) dev.mtu = lowerdev.mtu;
  else {
    dev.mtu = a.IFLA_MTU;
    if (dev.mtu > lowerdev.mtu) return -EINVAL;
  }
  dev.minMtu = ETH_MIN_MTU;
  dev.maxMtu = lowerdev.maxMtu;
  if (a.IFLA_ADDRESS) {
    dev.devAddr.set(a.IFLA_ADDRESS);
    dev.addrSet = true;
  } else dev.devAddr.set(eth_random_addr(net));
  let create = false;
  if (!macvlan_port_get(lowerdev)) {
    err = macvlan_port_create(lowerdev);
    if (err < 0) return err;
    create = true;
  }
  const port = macvlan_port_get(lowerdev) as MacvlanPort;
  const destroy = (e: number): number => {
    if (create) macvlan_port_destroy(lowerdev);
    return e;
  };
  // only one macvlan on a passthru port
  if (port.passthru) return destroy(-EINVAL);
  const d = a.IFLA_LINKINFO?.IFLA_INFO_DATA ?? {};
  const vlan: MacvlanDev = {
    dev,
    lowerdev,
    port,
    mode: d.IFLA_MACVLAN_MODE ?? MACVLAN_MODE_VEPA,
    flags: d.IFLA_MACVLAN_FLAGS ?? 0,
    bc_queue_len_req: MACVLAN_DEFAULT_BC_QUEUE_LEN,
    macaddr_count: 0,
  };
  dev.priv = vlan;
  if (vlan.mode === MACVLAN_MODE_PASSTHRU) {
    if (port.count) return destroy(-EINVAL);
    port.passthru = true;
    // eth_hw_addr_inherit()
    dev.devAddr.set(lowerdev.devAddr);
  }
  if (d.IFLA_MACVLAN_MACADDR_MODE !== undefined) {
    if (vlan.mode !== MACVLAN_MODE_SOURCE) {
      macvlan_flush_sources(port, vlan);
      if (vlan.mode === MACVLAN_MODE_PASSTHRU) port.passthru = false;
      return destroy(-EINVAL);
    }
    err = macvlan_changelink_sources(vlan, d.IFLA_MACVLAN_MACADDR_MODE, d);
    if (err) {
      macvlan_flush_sources(port, vlan);
      return destroy(err);
    }
  }
  if (d.IFLA_MACVLAN_BC_QUEUE_LEN !== undefined) vlan.bc_queue_len_req = d.IFLA_MACVLAN_BC_QUEUE_LEN;
  if (d.IFLA_MACVLAN_BC_CUTOFF !== undefined) port.bc_cutoff = d.IFLA_MACVLAN_BC_CUTOFF;
  // macvlan_init(): the lower device's carrier, its header length
  dev.carrier = lowerdev.carrier;
  dev.hardHeaderLen = lowerdev.hardHeaderLen;
  err = register_netdevice(net, dev, req.ifi.ifi_index);
  if (err) {
    if (vlan.mode === MACVLAN_MODE_PASSTHRU) port.passthru = false;
    return destroy(err);
  }
  // linkwatch_init_dev(): without carrier, the operstate it gets here stays until a link event
  if (!dev.carrier) dev.operstateNoCarrier = default_operstate_nocarrier(dev);
  port.count++;
  netdev_upper_dev_link(lowerdev, dev);
  port.vlans.push(vlan);
  update_port_bc_queue_len(port);
  netif_stacked_transfer_operstate(lowerdev, dev);
  if (req.ifi.ifi_change) dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
  rtmsg_ifinfo(dev);
  return 0;
}

/** macvlan_uninit(): the macvlan leaves its port; the last one takes the port with it. */
function macvlan_uninit(vlan: MacvlanDev): void {
  const port = vlan.port;
  macvlan_flush_sources(port, vlan);
  const i = port.vlans.indexOf(vlan);
  if (i >= 0) {
    port.vlans.splice(i, 1);
    update_port_bc_queue_len(port);
  }
  netdev_upper_dev_unlink(vlan.lowerdev, vlan.dev);
  port.count--;
  if (!port.count) macvlan_port_destroy(port.dev);
}

/** macvlan_dellink() */
function macvlan_dellink(dev: NetDevice): void {
  unregister_netdevice(dev);
}

/** macvlan_changelink() */
function macvlan_changelink(dev: NetDevice, d: IflaInfoData, _extack: NetlinkExtAck): number {
  const vlan = macvlan_priv(dev);
  let setMode: number | null = null;
  if (d.IFLA_MACVLAN_MODE !== undefined) {
    const mode = d.IFLA_MACVLAN_MODE;
    if (![MACVLAN_MODE_PRIVATE, MACVLAN_MODE_VEPA, MACVLAN_MODE_BRIDGE, MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_SOURCE].includes(mode))
      return -EINVAL;
    // passthru can be neither set nor cleared
    if ((mode === MACVLAN_MODE_PASSTHRU) !== (vlan.mode === MACVLAN_MODE_PASSTHRU)) return -EINVAL;
    if (vlan.mode === MACVLAN_MODE_SOURCE && vlan.mode !== mode) macvlan_flush_sources(vlan.port, vlan);
    setMode = mode;
  }
  if (d.IFLA_MACVLAN_FLAGS !== undefined) {
    const flags = d.IFLA_MACVLAN_FLAGS;
    if (flags & ~(MACVLAN_FLAG_NOPROMISC | MACVLAN_FLAG_NODST)) return -EINVAL;
    const promisc = (flags ^ vlan.flags) & MACVLAN_FLAG_NOPROMISC;
    if (vlan.port.passthru && promisc) dev_set_promiscuity(vlan.lowerdev, flags & MACVLAN_FLAG_NOPROMISC ? -1 : 1);
    vlan.flags = flags;
  }
  if (d.IFLA_MACVLAN_BC_QUEUE_LEN !== undefined) {
    vlan.bc_queue_len_req = d.IFLA_MACVLAN_BC_QUEUE_LEN;
    update_port_bc_queue_len(vlan.port);
  }
  if (d.IFLA_MACVLAN_BC_CUTOFF !== undefined) vlan.port.bc_cutoff = d.IFLA_MACVLAN_BC_CUTOFF;
  if (setMode !== null) vlan.mode = setMode;
  if (d.IFLA_MACVLAN_MACADDR_MODE !== undefined) {
    if (vlan.mode !== MACVLAN_MODE_SOURCE) return -EINVAL;
    return macvlan_changelink_sources(vlan, d.IFLA_MACVLAN_MACADDR_MODE, d);
  }
  return 0;
}

/** macvlan_fill_info(): IFLA_INFO_DATA of a dump. */
function macvlan_fill_info(dev: NetDevice): IflaInfoData {
  const vlan = macvlan_priv(dev);
  const port = vlan.port;
  const d: IflaInfoData = {
    IFLA_MACVLAN_MODE: vlan.mode,
    IFLA_MACVLAN_FLAGS: vlan.flags,
    IFLA_MACVLAN_MACADDR_COUNT: vlan.macaddr_count,
  };
  if (vlan.macaddr_count > 0) {
    const list: Uint8Array[] = [];
    for (const b of port.vlan_source_hash) for (const e of b) if (e.vlan === vlan) list.push(e.addr.slice());
    d.IFLA_MACVLAN_MACADDR_DATA = list;
  }
  d.IFLA_MACVLAN_BC_QUEUE_LEN = vlan.bc_queue_len_req;
  d.IFLA_MACVLAN_BC_QUEUE_LEN_USED = port.bc_queue_len_used;
  if (port.bc_cutoff !== 1) d.IFLA_MACVLAN_BC_CUTOFF = port.bc_cutoff;
  return d;
}

export const macvlan_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'macvlan',
  newlink: macvlan_newlink,
  changelink: macvlan_changelink,
  fill_info: macvlan_fill_info,
  dellink: macvlan_dellink,
  get_link_net: (dev) => macvlan_priv(dev).lowerdev.net,
};

/** macvlan_device_event(): the netdev notifier. A port's macvlans follow its carrier and MTU, and go with it. */
export function macvlan_device_event(event: NetdevEvent, dev: NetDevice): void {
  if (netif_is_macvlan(dev)) {
    // ndo_uninit of a macvlan being unregistered for good (not moved to another namespace)
    if (event === 'UNREGISTER' && dev.dismantle) macvlan_uninit(macvlan_priv(dev));
    return;
  }
  const port = macvlan_port_get(dev);
  if (!port) return;
  switch (event) {
    case 'UP':
    case 'DOWN':
    case 'CHANGE':
      for (const vlan of port.vlans) netif_stacked_transfer_operstate(vlan.lowerdev, vlan.dev);
      break;
    case 'CHANGEMTU':
      for (const vlan of port.vlans) if (vlan.dev.mtu > dev.mtu) dev_set_mtu(vlan.dev, dev.mtu);
      break;
    case 'UNREGISTER':
      // twiddle thumbs on netns device moves
      if (!dev.dismantle) break;
      for (const vlan of [...port.vlans]) macvlan_dellink(vlan.dev);
      break;
    default:
      break;
  }
}
