// drivers/net/loopback.c: what lo transmits it receives, keeping the dst.
import { LO_FEATURES, type EthtoolOps } from '../core/ethtool.ts';
import { kprobe } from '../trace/probe.ts';
import { __netif_rx } from '../core/dev.ts';
import { eth_type_trans } from '../core/eth.ts';
import { ARPHRD_LOOPBACK, IFF_LOOPBACK, NET_RX_SUCCESS, NETDEV_TX_OK, NetDevice, type NetDeviceOps } from '../core/netdevice.ts';
import type { SkBuff } from '../skbuff.ts';

/** loopback_xmit() */
function loopback_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'loopback_xmit');
  skb.sk = null; // skb_orphan
  skb.tstamp = 0;
  skb.protocol = eth_type_trans(skb, dev);
  const len = skb.len;
  if (__netif_rx(skb) === NET_RX_SUCCESS) {
    // dev_lstats_add(): lo reports the same counters for rx and tx
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += len;
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += len;
  }
  return NETDEV_TX_OK;
}

/** loopback_ethtool_ops: always_on link, nothing else skbpath has. */
const loopback_ethtool_ops: Readonly<EthtoolOps> = { get_link: () => true, features: LO_FEATURES };

export const loopbackOps: Readonly<NetDeviceOps> = {
  kind: 'loopback',
  ethtool_ops: loopback_ethtool_ops,
  ndo_start_xmit: loopback_xmit,
};

export function loopback_setup(): NetDevice {
  const d = new NetDevice('lo', loopbackOps);
  d.type = ARPHRD_LOOPBACK;
  d.flags = IFF_LOOPBACK;
  d.mtu = 65536;
  d.minMtu = 0;
  d.maxMtu = 0;
  d.devAddr.fill(0);
  d.broadcast.fill(0);
  return d;
}
