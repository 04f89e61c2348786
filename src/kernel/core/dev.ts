// net/core/dev.c: transmit (dev_queue_xmit), the backlog (netif_rx,
// process_backlog) and receive (__netif_receive_skb_core).
import { kprobe } from '../trace/probe.ts';
import { NET_RX_SOFTIRQ } from '../../sim/cpu.ts';
import { COST } from '../../sim/costs.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_OUTGOING, type SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import {
  IFF_ALLMULTI,
  IFF_PROMISC,
  IFF_UP,
  NET_RX_DROP,
  NET_RX_SUCCESS,
  NET_XMIT_CN,
  NET_XMIT_DROP,
  NETDEV_TX_OK,
  type NetDevice,
  type PacketType,
} from './netdevice.ts';
import { kfree_skb_reason } from './skb_free.ts';
import { skbaddr } from './skb_free.ts';

const XMIT_RECURSION_LIMIT = 8;
/** The address ftrace prints for the CPU's backlog NAPI struct. */
const BACKLOG_NAPI = 'ffff88807dc2d950';

/** dev_queue_xmit(): takes ownership of skb; returns NET_XMIT_* or a negative errno. */
export function dev_queue_xmit(skb: SkBuff): number {
  return __dev_queue_xmit(skb);
}

export function __dev_queue_xmit(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  const k = net.kernel;
  const cpu = k.sim.cpu;
  skb.resetMacHeader();
  kprobe(net, skb, '__dev_queue_xmit');
  // rcu_read_lock_bh()
  cpu.localBhDisable();
  let rc: number;
  if (k.tracer.enabled) k.tracer.emit('net_dev_queue', `dev=${dev.name} skbaddr=${skbaddr(skb)} len=${skb.len}`, net.name);
  if (!(dev.flags & IFF_UP) || dev.qdiscDeactivated) {
    // A down device (or one linkwatch deactivated for lack of carrier) has noop_qdisc: noop_enqueue() counts and drops.
    dev.stats.tx_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.QDISC_DROP, '__dev_queue_xmit', () => `${dev.name} is down (noop qdisc)`);
    rc = NET_XMIT_CN;
  } else if (dev.xmitRecursion > XMIT_RECURSION_LIMIT) {
    dev.stats.tx_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.RECURSION_LIMIT, '__dev_queue_xmit');
    rc = -100; // -ENETDOWN
  } else {
    // noqueue: the direct path (validate_xmit_skb, dev_hard_start_xmit)
    dev.xmitRecursion++;
    rc = dev_hard_start_xmit(skb, dev);
    dev.xmitRecursion--;
  }
  cpu.localBhEnable();
  return rc;
}

/** dev_hard_start_xmit() → xmit_one(): taps first, then the driver. */
export function dev_hard_start_xmit(skb: SkBuff, dev: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'dev_hard_start_xmit');
  if (net.ptypeAll.length !== 0 || dev.ptypeAll.length !== 0) dev_queue_xmit_nit(skb, dev);
  const len = skb.len;
  const id = skb.id;
  net.kernel.sim.spend(COST.txPacket);
  const rc = dev.ops.ndo_start_xmit(skb, dev);
  const k = net.kernel;
  if (k.tracer.enabled) {
    k.tracer.emit('net_dev_xmit', `dev=${dev.name} skbaddr=${skbaddrOf(id)} len=${len} rc=${rc}`, net.name);
  }
  return rc === NETDEV_TX_OK ? 0 : NET_XMIT_DROP;
}

function skbaddrOf(id: number): string {
  return (0xffff8880_00000000n + BigInt(id) * 0x100n).toString(16);
}

/** dev_queue_xmit_nit(): a clone of each transmitted frame to every tap. */
export function dev_queue_xmit_nit(skb: SkBuff, dev: NetDevice): void {
  for (let l = 0; l < 2; l++) {
    for (const pt of l === 0 ? dev.net.ptypeAll : dev.ptypeAll) {
      if (pt.ignoreOutgoing) continue;
      if (pt.dev && pt.dev !== dev) continue;
      // skb_loop_sk(): never back to the socket it came from
      if (skb.pktOwner !== null && skb.pktOwner === pt) continue;
      const c = skb.clone();
      c.pktType = PACKET_OUTGOING;
      c.resetNetworkHeader();
      pt.func(c, dev, pt, dev);
    }
  }
}

/** __netif_rx() → netif_rx_internal(): queue to the CPU backlog. */
export function __netif_rx(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  const k = net.kernel;
  kprobe(net, skb, '__netif_rx');
  if (k.tracer.enabled) k.tracer.emit('netif_rx', `dev=${dev.name} skbaddr=${skbaddr(skb)} len=${skb.len}`, net.name);
  skb.tstamp = k.now;
  return enqueue_to_backlog(k, skb);
}

export const netif_rx = __netif_rx;

export function enqueue_to_backlog(k: Kernel, skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  if (!(dev.flags & IFF_UP)) {
    k.softnetDropped++;
    dev.stats.rx_dropped++;
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.DEV_READY, 'enqueue_to_backlog');
    return NET_RX_DROP;
  }
  const qlen = k.backlog.length - k.backlogHead;
  if (qlen > k.netdevMaxBacklog) {
    k.softnetDropped++;
    dev.stats.rx_dropped++;
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.CPU_BACKLOG, 'enqueue_to_backlog');
    return NET_RX_DROP;
  }
  k.backlog.push(skb);
  if (qlen === 0) k.sim.cpu.raiseSoftirq(NET_RX_SOFTIRQ);
  return NET_RX_SUCCESS;
}

/** net_rx_action() polling the backlog NAPI (process_backlog). */
export function net_rx_action(k: Kernel): void {
  let budget = k.netdevBudget;
  const sim = k.sim;
  // process_backlog() polls with quota dev_weight; __napi_poll fires napi:napi_poll after each poll
  let work = 0;
  const poll = (): void => {
    if (k.tracer.enabled && work) k.tracer.emit('napi_poll', `napi poll on napi struct ${BACKLOG_NAPI} for device (no_device) work ${work} budget ${k.devWeight}`, 'init_net');
    work = 0;
  };
  while (k.backlogHead < k.backlog.length) {
    if (budget-- <= 0) {
      poll();
      // time_squeeze: the rest runs in the next round
      sim.cpu.raiseSoftirq(NET_RX_SOFTIRQ);
      return;
    }
    if (work === k.devWeight) poll();
    work++;
    const skb = k.backlog[k.backlogHead] as SkBuff;
    k.backlog[k.backlogHead++] = undefined as unknown as SkBuff;
    if (k.backlogHead > 1024 && k.backlogHead * 2 > k.backlog.length) {
      k.backlog.splice(0, k.backlogHead);
      k.backlogHead = 0;
    }
    sim.countEvent();
    sim.spend(COST.rxPacket);
    __netif_receive_skb(skb);
  }
  poll();
  k.backlog.length = 0;
  k.backlogHead = 0;
}

export function netif_receive_skb(skb: SkBuff): number {
  return __netif_receive_skb(skb);
}

export function __netif_receive_skb(skb: SkBuff): number {
  return __netif_receive_skb_core(skb);
}

/** __netif_receive_skb_core(): taps, rx_handler, then ptype_base. Takes ownership of skb. */
export function __netif_receive_skb_core(skbIn: SkBuff): number {
  let skb = skbIn;
  let origDev = skb.dev as NetDevice;
  for (let round = 0; round < 8; round++) {
    const dev = skb.dev as NetDevice;
    const net = dev.net;
    const k = net.kernel;
    kprobe(net, skb, '__netif_receive_skb_core');
    if (k.tracer.enabled) k.tracer.emit('netif_receive_skb', `dev=${dev.name} skbaddr=${skbaddr(skb)} len=${skb.len}`, net.name);
    skb.resetNetworkHeader();
    skb.resetTransportHeader();
    skb.skbIif = dev.ifindex;
    k.softnetProcessed++;
    let ptPrev: PacketType | null = null;
    for (let l = 0; l < 2; l++) {
      for (const pt of l === 0 ? net.ptypeAll : dev.ptypeAll) {
        if (pt.dev && pt.dev !== dev) continue;
        if (ptPrev) deliver_skb(skb, ptPrev, origDev);
        ptPrev = pt;
      }
    }
    let exact = false;
    if (dev.rxHandler) {
      if (ptPrev) {
        deliver_skb(skb, ptPrev, origDev);
        ptPrev = null;
      }
      const r = dev.rxHandler(skb);
      if (r.result === 'CONSUMED' || !r.skb) return NET_RX_SUCCESS;
      skb = r.skb;
      if (r.result === 'ANOTHER') {
        origDev = skb.dev as NetDevice;
        continue;
      }
      exact = r.result === 'EXACT';
    }
    const handlers = k.ptypeBase.get(skb.protocol);
    if (handlers && !exact) {
      for (const pt of handlers) {
        if (pt.dev && pt.dev !== skb.dev) continue;
        if (ptPrev) deliver_skb(skb, ptPrev, origDev);
        ptPrev = pt;
      }
    }
    if (ptPrev) return ptPrev.func(skb, skb.dev as NetDevice, ptPrev, origDev);
    if (exact) dev.stats.rx_nohandler++;
    else dev.stats.rx_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.UNHANDLED_PROTO, '__netif_receive_skb_core', () => `no handler for ethertype 0x${skb.protocol.toString(16).padStart(4, '0')} and no capture open`);
    return NET_RX_DROP;
  }
  return NET_RX_DROP;
}

/** deliver_skb(): the handler gets its own reference (a clone here). */
function deliver_skb(skb: SkBuff, pt: PacketType, origDev: NetDevice): void {
  pt.func(skb.clone(), skb.dev as NetDevice, pt, origDev);
}

/** dev_set_promiscuity(): IFF_PROMISC follows the counter (taps, bridge ports). */
export function dev_set_promiscuity(dev: NetDevice, inc: number): void {
  dev.promiscuity = Math.max(0, dev.promiscuity + inc);
  if (dev.promiscuity) dev.flags |= IFF_PROMISC;
  else dev.flags &= ~IFF_PROMISC;
}

/** dev_set_allmulti() */
export function dev_set_allmulti(dev: NetDevice, inc: number): void {
  dev.allmulti = Math.max(0, dev.allmulti + inc);
  if (dev.allmulti) dev.flags |= IFF_ALLMULTI;
  else dev.flags &= ~IFF_ALLMULTI;
}

/** ndo_start_xmit's contract for callers that need to know whether it was taken. */

export function dev_get_by_name(net: Net, name: string): NetDevice | undefined {
  return net.devByName.get(name);
}
