// drivers/net/ifb.c: the Intermediate Functional Block. Packets arrive only
// by a mirred redirect (skb->redirected with the original device in
// skb_iif); ifb_xmit() queues them (rx counters) and schedules a tasklet;
// ifb_ri_tasklet() sends each back where it came from (tx counters): a packet
// redirected at ingress goes up the original device's receive path again
// (netif_receive_skb, skipping the taps and tc this time), one from egress
// leaves by the original device's dev_queue_xmit. Whatever else arrives is
// dropped (rx_dropped). A qdisc on ifb0 thus shapes another device's ingress.
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { consume_skb } from '../core/skb_free.ts';
import { dev_queue_xmit, netif_receive_skb } from '../core/dev.ts';
import { IFF_BROADCAST, IFF_NOARP, NETDEV_TX_OK, NetDevice, type NetDeviceOps } from '../core/netdevice.ts';
import { eth_random_addr, type NetlinkExtAck, type RtnlLinkOps, rtnl_create_ether_link } from '../core/rtnetlink.ts';
import type { LinkMsg } from '../uapi/rtnetlink.ts';

/** TX_Q_LIMIT: ifb's txqueuelen. */
const TX_Q_LIMIT = 32;
/** TASKLET_SOFTIRQ */
const TASKLET_SOFTIRQ = 6;

/** struct ifb_q_private (one TX queue) */
interface IfbQPrivate {
  rq: SkBuff[];
  tq: SkBuff[];
  tasklet_pending: boolean;
  rx_stats: { packets: number; bytes: number };
  tx_stats: { packets: number; bytes: number };
}

function priv(dev: NetDevice): IfbQPrivate {
  return dev.priv as IfbQPrivate;
}

/** tasklet_schedule(): runs fn from TASKLET_SOFTIRQ (tasklet_action). */
export function tasklet_schedule(k: Kernel, fn: () => void): void {
  let list = k.tasklets;
  if (!list) {
    const l: (() => void)[] = [];
    k.tasklets = l;
    k.sim.cpu.openSoftirq(TASKLET_SOFTIRQ, () => {
      const run = l.splice(0);
      for (const t of run) t();
    });
    list = l;
  }
  list.push(fn);
  k.sim.cpu.raiseSoftirq(TASKLET_SOFTIRQ);
}

/** ifb_xmit(): ndo_start_xmit. Takes ownership of skb. */
function ifb_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'ifb_xmit');
  const txp = priv(dev);
  // ifb_update_q_stats(); ifb_stats64() reports them as the device's rx/tx counters
  txp.rx_stats.packets++;
  txp.rx_stats.bytes += skb.len;
  dev.stats.rx_packets++;
  dev.stats.rx_bytes += skb.len;
  if (!skb.tcRedirected || !skb.skbIif) {
    consume_skb(dev.net, skb, 'ifb_xmit'); // dev_kfree_skb()
    dev.stats.rx_dropped++;
    return NETDEV_TX_OK;
  }
  txp.rq.push(skb);
  if (!txp.tasklet_pending) {
    txp.tasklet_pending = true;
    tasklet_schedule(dev.net.kernel, () => ifb_ri_tasklet(dev));
  }
  return NETDEV_TX_OK;
}

/** ifb_ri_tasklet(): each queued skb back to the device it came from. */
function ifb_ri_tasklet(dev: NetDevice): void {
  const txp = priv(dev);
  if (!txp.tq.length) txp.tq.push(...txp.rq.splice(0));
  for (let skb = txp.tq.shift(); skb; skb = txp.tq.shift()) {
    kprobe(dev.net, skb, 'ifb_ri_tasklet');
    // skip tc and netfilter to prevent a redirection loop
    skb.tcRedirected = false;
    skb.tcSkipClassify = true;
    txp.tx_stats.packets++;
    txp.tx_stats.bytes += skb.len;
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += skb.len;
    const orig = dev.net.devByIndex.get(skb.skbIif);
    if (!orig) {
      consume_skb(dev.net, skb, 'ifb_ri_tasklet');
      dev.stats.tx_dropped++;
      continue;
    }
    skb.dev = orig;
    skb.skbIif = dev.ifindex;
    if (!skb.tcFromIngress) dev_queue_xmit(skb);
    else {
      skb.pull(skb.macLen);
      netif_receive_skb(skb);
    }
  }
  if (txp.rq.length) tasklet_schedule(dev.net.kernel, () => ifb_ri_tasklet(dev));
  else txp.tasklet_pending = false;
}

const ifbOps: Readonly<NetDeviceOps> = {
  kind: 'ifb',
  ndo_start_xmit: ifb_xmit,
};

/** ifb_setup(): Ethernet, NOARP, no multicast, txqueuelen 32, a random address. */
export function ifb_setup(net: Net, name: string): NetDevice {
  const d = new NetDevice(name, ifbOps);
  d.flags = IFF_BROADCAST | IFF_NOARP;
  d.txQueueLen = TX_Q_LIMIT;
  d.minMtu = 0;
  d.maxMtu = 0;
  d.devAddr.set(eth_random_addr(net));
  d.priv = {
    rq: [],
    tq: [],
    tasklet_pending: false,
    rx_stats: { packets: 0, bytes: 0 },
    tx_stats: { packets: 0, bytes: 0 },
  } satisfies IfbQPrivate;
  d.noQueue = false; // not IFF_NO_QUEUE: dev_activate() attaches the default qdisc
  return d;
}

/** ifb_validate() + rtnl_create_link() + register_netdevice() */
function ifb_newlink(src: Net, req: LinkMsg, _extack: NetlinkExtAck): number {
  return rtnl_create_ether_link(src, req, 'ifb%d', ifb_setup);
}

export const ifb_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'ifb',
  newlink: ifb_newlink,
};
