// drivers/net/veth.c: a pair of devices; what one transmits the other
// receives through __dev_forward_skb and the backlog (non-NAPI mode).
import { VETH_FEATURES, type EthtoolOps } from '../core/ethtool.ts';
import { kprobe } from '../trace/probe.ts';
import { __netif_rx } from '../core/dev.ts';
import { eth_type_trans, ETH_HLEN } from '../core/eth.ts';
import {
  IFF_BROADCAST,
  IFF_MULTICAST,
  IFF_UP,
  NET_RX_DROP,
  NET_RX_SUCCESS,
  NETDEV_TX_OK,
  NetDevice,
  type NetDeviceOps,
} from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Net } from '../net_namespace.ts';
import {
  dev_alloc_name,
  dev_change_flags,
  eth_random_addr,
  is_valid_ether_addr,
  type NetlinkExtAck,
  register_netdevice,
  type RtnlLinkOps,
  rtmsg_ifinfo,
  unregister_link,
} from '../core/rtnetlink.ts';
import { EADDRNOTAVAIL, EBUSY, EEXIST, EINVAL, ESRCH } from '../uapi/errno.ts';
import { ifinfomsg, type IflaAttrs, type LinkMsg } from '../uapi/rtnetlink.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';

/** veth_xmit(): ndo_start_xmit. Takes ownership of skb. */
function veth_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'veth_xmit');
  const rcv = dev.peer;
  const length = skb.len;
  if (!rcv || !skb.mayPull(ETH_HLEN)) {
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'veth_xmit');
    dev.privDropped++;
    return NETDEV_TX_OK;
  }
  if (__dev_forward_skb(rcv, skb) === NET_RX_SUCCESS) {
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += length;
    rcv.stats.rx_packets++;
    rcv.stats.rx_bytes += length;
  } else {
    dev.privDropped++;
  }
  return NETDEV_TX_OK;
}

/** is_skb_forwardable(): the peer is up and the frame fits its MTU. */
function is_skb_forwardable(dev: NetDevice, skb: SkBuff): boolean {
  if (!(dev.flags & IFF_UP)) return false;
  const len = dev.mtu + dev.hardHeaderLen + 4; // VLAN_HLEN
  if (skb.len <= len) return true;
  // with TSO the peer takes a GSO packet unsegmented
  return skb.gsoSize > 0;
}

/** __dev_forward_skb() → __dev_forward_skb2() → skb_scrub_packet(), eth_type_trans, then __netif_rx(). */
function __dev_forward_skb(rcv: NetDevice, skb: SkBuff): number {
  kprobe(rcv.net, skb, '__dev_forward_skb');
  if (!is_skb_forwardable(rcv, skb)) {
    rcv.stats.rx_dropped++;
    kfree_skb_reason(rcv.net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__dev_forward_skb2');
    return NET_RX_DROP;
  }
  const xnet = rcv.net !== (skb.dev as NetDevice).net;
  // skb_scrub_packet()
  skb.dst = null;
  skb.dst6 = null;
  skb.sk = null;
  skb.ipcbFlags = 0;
  skb.ignoreDf = false;
  skb._nfct = null; // nf_reset_ct(), a CT template's too
  skb.nfctZoneTmpl = 0;
  skb.nfctinfo = 0;
  if (xnet) skb.mark = 0;
  skb.priority = 0;
  skb.protocol = eth_type_trans(skb, rcv);
  return __netif_rx(skb);
}

/** ethtool_stats_keys and the per-queue XDP counters veth_get_ethtool_stats reports (one queue). */
const VETH_RQ_STATS: readonly string[] = [
  'rx_queue_0_xdp_packets',
  'rx_queue_0_xdp_bytes',
  'rx_queue_0_drops',
  'rx_queue_0_xdp_redirect',
  'rx_queue_0_xdp_drops',
  'rx_queue_0_xdp_tx',
  'rx_queue_0_xdp_tx_errors',
  'tx_queue_0_xdp_xmit',
  'tx_queue_0_xdp_xmit_errors',
];

/** veth_ethtool_ops */
const veth_ethtool_ops: Readonly<EthtoolOps> = {
  get_drvinfo: () => ({
    driver: 'veth',
    version: '1.0',
    fw_version: '',
    erom_version: '',
    bus_info: '',
    n_stats: 1 + VETH_RQ_STATS.length,
    testinfo_len: 0,
    eedump_len: 0,
    regdump_len: 0,
    n_priv_flags: 0,
  }),
  get_link: (dev) => dev.carrier,
  // veth_get_link_ksettings(): 10000/Full, no autonegotiation
  get_link_ksettings: () => ({
    speed: 10000,
    duplex: 1,
    port: 0,
    phy_address: 0,
    autoneg: false,
    eth_tp_mdix: 0,
    eth_tp_mdix_ctrl: 0,
    supported: [],
    advertising: [],
    supportedPorts: [],
    supportsAutoneg: false,
  }),
  get_ethtool_stats: (dev) => [['peer_ifindex', dev.peer?.ifindex ?? 0], ...VETH_RQ_STATS.map((n) => [n, 0] as [string, number])],
  features: VETH_FEATURES,
};

export const vethOps: Readonly<NetDeviceOps> = {
  kind: 'veth',
  ethtool_ops: veth_ethtool_ops,
  ndo_start_xmit: veth_xmit,
};

export function veth_setup(name: string): NetDevice {
  const d = new NetDevice(name, vethOps);
  d.flags = IFF_BROADCAST | IFF_MULTICAST;
  d.mtu = 1500;
  d.minMtu = 68;
  d.maxMtu = 65535;
  d.carrier = false;
  return d;
}

/** veth_validate(): the address and MTU of one end. */
function veth_validate(attrs: IflaAttrs): number {
  if (attrs.IFLA_ADDRESS) {
    if (attrs.IFLA_ADDRESS.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(attrs.IFLA_ADDRESS)) return -EADDRNOTAVAIL;
  }
  if (attrs.IFLA_MTU !== undefined && (attrs.IFLA_MTU < 68 || attrs.IFLA_MTU > 65535)) return -EINVAL;
  return 0;
}

/** rtnl_create_link() for one end: its name, address and the common attributes. */
function veth_create_end(net: Net, attrs: IflaAttrs, name: string): NetDevice {
  const d = veth_setup(name);
  // veth_get_num_queues(): num_possible_cpus() TX queues (one of them real). The machine
  // the oracle was recorded on has 2 possible CPUs; the simulated one brings up nrCpuIds of them
  d.numTxQueues = Math.max(2, net.kernel.sim.smp.nrCpuIds);
  d.devAddr.set(attrs.IFLA_ADDRESS ?? eth_random_addr(net));
  if (attrs.IFLA_MTU !== undefined) d.mtu = attrs.IFLA_MTU;
  if (attrs.IFLA_TXQLEN !== undefined) d.txQueueLen = attrs.IFLA_TXQLEN;
  if (attrs.IFLA_GROUP !== undefined) d.group = attrs.IFLA_GROUP;
  if (attrs.IFLA_IFALIAS !== undefined) d.alias = attrs.IFLA_IFALIAS;
  return d;
}

/** veth_newlink(): the peer first (in its namespace), then the device; both start without carrier. */
function veth_newlink(src: Net, req: LinkMsg, _extack: NetlinkExtAck): number {
  const a = req.attrs;
  const p = a.IFLA_LINKINFO?.IFLA_INFO_DATA?.VETH_INFO_PEER ?? { ifi: ifinfomsg(), attrs: {} };
  if (p.attrs.IFLA_NET_NS_PID !== undefined || a.IFLA_NET_NS_PID !== undefined) return -ESRCH;
  const destNet = a.IFLA_NET_NS_FD ?? src;
  const peerNet = p.attrs.IFLA_NET_NS_FD ?? src;
  let err = veth_validate(a) || veth_validate(p.attrs);
  if (err) return err;
  const peerName = p.attrs.IFLA_IFNAME ?? dev_alloc_name(peerNet, 'veth%d');
  if (peerNet.devByName.has(peerName)) return -EEXIST;
  const pIndex = p.ifi.ifi_index;
  if (pIndex && peerNet.devByIndex.has(pIndex)) return -EBUSY;
  const peer = veth_create_end(peerNet, p.attrs, peerName);
  register_netdevice(peerNet, peer, pIndex);
  // netif_carrier_off(peer) after registration
  peer.carrierDownCount++;
  const devName = a.IFLA_IFNAME ?? dev_alloc_name(destNet, 'veth%d');
  const index = req.ifi.ifi_index;
  if (destNet.devByName.has(devName) || (index && destNet.devByIndex.has(index))) {
    err = destNet.devByName.has(devName) ? -EEXIST : -EBUSY;
    unregister_link(peer);
    return err;
  }
  const dev = veth_create_end(destNet, a, devName);
  register_netdevice(destNet, dev, index);
  dev.carrierDownCount++;
  dev.peer = peer;
  peer.peer = dev;
  if (p.ifi.ifi_change) dev_change_flags(peer, p.ifi.ifi_flags, p.ifi.ifi_change);
  if (req.ifi.ifi_change) dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
  // the RTM_NEWLINK of the first device names its peer's namespace
  rtmsg_ifinfo(dev);
  return 0;
}

export const veth_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'veth',
  newlink: veth_newlink,
};
