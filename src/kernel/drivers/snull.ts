// snull, the virtual Ethernet driver of Linux Device Drivers (3rd ed., ch. 17):
// ndo_start_xmit saves the skb and "transmits" its bytes to the other
// interface (snull_hw_tx); the receiver's interrupt handler builds a new skb
// (dev_alloc_skb, skb_reserve(skb, 2), eth_type_trans,
// CHECKSUM_UNNECESSARY) and hands it to netif_rx; the sender's TX interrupt
// frees the saved skb. Cabled by skbpath-nic: with no line rate the copy is
// immediate, inside the sender's xmit (as in LDD), otherwise it crosses the Wire.
import { kprobe } from '../trace/probe.ts';
import { netif_rx, softnet_data } from '../core/dev.ts';
import { eth_type_trans } from '../core/eth.ts';
import { netif_carrier_change, netif_carrier_set, register_netdevice } from '../core/rtnetlink.ts';
import {
  IFF_BROADCAST,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_UP,
  NET_RX_SUCCESS,
  NETDEV_TX_OK,
  NetDevice,
  type NetDeviceOps,
} from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { alloc_skb, CHECKSUM_UNNECESSARY, type SkBuff } from '../skbuff.ts';
import { gso_frames } from '../core/gso.ts';
import type { Wire, WireEnd } from './nic_wire.ts';
import { dev_kfree_skb_any } from './nic_common.ts';

/** struct snull_priv */
export class SnullPriv implements WireEnd {
  wire: Wire | null = null;
  /** The other snull interface when no wire carries the frames (LDD's sn0/sn1 pair). */
  peer: SnullPriv | null = null;
  /** priv->skb: the frame being transmitted. */
  skb: SkBuff | null = null;
  /** The interrupt handlers that ran. */
  interrupts = 0;

  constructor(readonly netdev: NetDevice) {}

  phyUp(): boolean {
    return (this.netdev.flags & IFF_UP) !== 0;
  }

  linkChange(up: boolean): void {
    if (!(this.netdev.flags & IFF_UP)) return;
    netif_carrier_set(this.netdev, up);
    this.netdev.qdiscDeactivated = !up;
  }

  /** SNULL_RX_INTR: the packet is in our pool; snull_regular_interrupt runs now. */
  wireRx(frame: Uint8Array, origin: number): void {
    if (!(this.netdev.flags & IFF_UP)) return;
    snull_regular_interrupt(this, frame, origin);
    this.netdev.net.kernel.sim.cpu.runPendingSoftirqs();
  }
}

/** netdev_priv() of a snull device. */
export function snullPriv(dev: NetDevice): SnullPriv | undefined {
  return dev.priv instanceof SnullPriv ? dev.priv : undefined;
}

/** snull_tx(): ndo_start_xmit. */
function snull_tx(skb: SkBuff, dev: NetDevice): number {
  const priv = dev.priv as SnullPriv;
  const net = dev.net;
  kprobe(net, skb, 'snull_tx');
  // a short frame goes out padded to ETH_ZLEN (the shortpkt buffer of LDD)
  priv.skb = skb;
  skb.resetMacHeader();
  const frames = gso_frames(skb, true).map((f) => {
    if (f.length >= 60) return f;
    const p = new Uint8Array(60);
    p.set(f);
    return p;
  });
  snull_hw_tx(priv, skb, frames);
  return NETDEV_TX_OK;
}

/** snull_hw_tx(): the "hardware" copies the frame to the other interface, then interrupts us for TX done. */
function snull_hw_tx(priv: SnullPriv, skb: SkBuff, frames: Uint8Array[]): void {
  const dev = priv.netdev;
  const net = dev.net;
  kprobe(net, skb, 'snull_hw_tx');
  let bytes = 0;
  for (const f of frames) bytes += f.length;
  const origin = skb.origin;
  if (priv.wire) {
    const sim = net.kernel.sim;
    const done = priv.wire.up ? priv.wire.transmit(priv, frames, origin, sim.now) : sim.now;
    sim.events.at(done, snull_tx_done_event, { priv, skb, pkts: frames.length, bytes });
    return;
  }
  const dest = priv.peer;
  if (dest && dest.phyUp()) for (const f of frames) snull_regular_interrupt(dest, f, origin);
  snull_tx_done(priv, skb, frames.length, bytes);
}

function snull_tx_done_event(a: { priv: SnullPriv; skb: SkBuff; pkts: number; bytes: number }): void {
  snull_tx_done(a.priv, a.skb, a.pkts, a.bytes);
  a.priv.netdev.net.kernel.sim.cpu.runPendingSoftirqs();
}

/** SNULL_TX_INTR in snull_regular_interrupt(): count and free the transmitted skb. */
function snull_tx_done(priv: SnullPriv, skb: SkBuff, pkts: number, bytes: number): void {
  const dev = priv.netdev;
  dev.stats.tx_packets += pkts;
  dev.stats.tx_bytes += bytes;
  if (priv.skb === skb) priv.skb = null;
  dev_kfree_skb_any(dev.net, skb, 'snull_regular_interrupt');
}

/** snull_regular_interrupt(): SNULL_RX_INTR → snull_rx. */
function snull_regular_interrupt(priv: SnullPriv, frame: Uint8Array, origin: number): void {
  priv.interrupts++;
  snull_rx(priv, frame, origin);
}

/** snull_rx(): a new skb with 2 bytes reserved so the IP header is aligned, CHECKSUM_UNNECESSARY, netif_rx. */
function snull_rx(priv: SnullPriv, frame: Uint8Array, origin: number): void {
  const dev = priv.netdev;
  const net = dev.net;
  // dev_alloc_skb(len + 2)
  const skb = alloc_skb(priv.netdev.net.kernel, frame.length + 2, 0);
  skb.origin = origin;
  skb.dev = dev;
  skb.reserve(2);
  const at = skb.put(frame.length);
  skb.head.set(frame, at);
  kprobe(net, skb, 'snull_rx');
  kprobe(net, skb, 'eth_type_trans');
  skb.protocol = eth_type_trans(skb, dev);
  skb.ipSummed = CHECKSUM_UNNECESSARY;
  const len = frame.length;
  if (netif_rx(skb) === NET_RX_SUCCESS) {
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += len;
  }
}

function snull_open(dev: NetDevice): void {
  softnet_data(dev.net.kernel);
  const priv = dev.priv as SnullPriv;
  netif_carrier_change(dev, false);
  dev.qdiscDeactivated = true;
  if (priv.wire) priv.wire.notify();
  else if (priv.peer) {
    const up = priv.peer.phyUp();
    priv.linkChange(up);
    priv.peer.linkChange(up);
  }
}

function snull_release(dev: NetDevice): void {
  const priv = dev.priv as SnullPriv;
  netif_carrier_change(dev, false);
  if (priv.wire) priv.wire.notify();
  else priv.peer?.linkChange(false);
}

export const snullOps: Readonly<NetDeviceOps> = {
  kind: 'snull',
  // NETIF_F_HW_CSUM and no TSO: the stack segments GSO skbs before snull_tx
  ndo_offloads: () => ({ tso: false, csum: true }),
  ndo_start_xmit: snull_tx,
  ndo_open: snull_open,
  ndo_stop: snull_release,
};

/** snull_init(): ether_setup, then register_netdev. */
export function snull_init(net: Net, name: string, mac: Uint8Array, noarp = false): { err: number; priv?: SnullPriv } {
  const d = new NetDevice(name, snullOps);
  d.flags = IFF_BROADCAST | IFF_MULTICAST | (noarp ? IFF_NOARP : 0);
  d.mtu = 1500;
  d.minMtu = 68;
  d.maxMtu = 1500;
  d.carrier = false;
  d.txQueueLen = 1000;
  d.devAddr.set(mac);
  // not IFF_NO_QUEUE: net.core.default_qdisc at the first up
  d.noQueue = false;
  const priv = new SnullPriv(d);
  d.priv = priv;
  const err = register_netdevice(net, d);
  if (err) {
    d.priv = null;
    return { err };
  }
  return { err: 0, priv };
}

/** alloc_skb for tests that inject frames the way snull_rx does. */
export function snull_inject(priv: SnullPriv, frame: Uint8Array): void {
  snull_rx(priv, frame, priv.netdev.net.kernel.skbIds.next++);
}
