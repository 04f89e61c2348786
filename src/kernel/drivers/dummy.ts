// drivers/net/dummy.c: a device that counts what it is given and frees it.
// Ethernet by ether_setup() with NOARP and without MULTICAST, IFF_NO_QUEUE,
// a random address, no MTU bounds (min_mtu = max_mtu = 0). It never touches
// its carrier, so linkwatch never runs for it and its operstate stays
// UNKNOWN; addresses and routes on it work as on any device, and whatever
// is routed out of it is counted (dev_lstats_add) and consumed.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { consume_skb } from '../core/skb_free.ts';
import { IFF_BROADCAST, IFF_NOARP, NETDEV_TX_OK, NetDevice, type NetDeviceOps } from '../core/netdevice.ts';
import { eth_random_addr, type NetlinkExtAck, type RtnlLinkOps, rtnl_create_ether_link } from '../core/rtnetlink.ts';
import type { LinkMsg } from '../uapi/rtnetlink.ts';

/** dummy_xmit(): dev_lstats_add(), then dev_kfree_skb() (a consume, not a drop). */
function dummy_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'dummy_xmit');
  dev.stats.tx_packets++;
  dev.stats.tx_bytes += skb.len;
  consume_skb(dev.net, skb, 'dummy_xmit');
  return NETDEV_TX_OK;
}

export const dummyNetdevOps: Readonly<NetDeviceOps> = {
  kind: 'dummy',
  ndo_start_xmit: dummy_xmit,
  // NETIF_F_GSO_SOFTWARE | NETIF_F_HW_CSUM: nothing is segmented or checksummed for it
  ndo_offloads: () => ({ tso: true, csum: true }),
};

/** dummy_setup() */
export function dummy_setup(net: Net, name: string): NetDevice {
  const d = new NetDevice(name, dummyNetdevOps);
  d.flags = IFF_BROADCAST | IFF_NOARP;
  d.txQueueLen = 1000;
  d.minMtu = 0;
  d.maxMtu = 0;
  d.tsoMaxSize = 65536; // TSO_LEGACY_MAX_SIZE: dummy does not raise it
  d.devAddr.set(eth_random_addr(net));
  d.noQueue = true;
  return d;
}

/** dummy_validate() + rtnl_create_link() + register_netdevice() */
function dummy_newlink(src: Net, req: LinkMsg, _extack: NetlinkExtAck): number {
  return rtnl_create_ether_link(src, req, 'dummy%d', dummy_setup);
}

export const dummy_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'dummy',
  newlink: dummy_newlink,
};
