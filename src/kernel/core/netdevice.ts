// struct net_device (include/linux/netdevice.h) and its flags.
import type { EthtoolOps } from './ethtool.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { InDevice } from '../ipv4/devinet.ts';

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_DEBUG = 0x4;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_NOTRAILERS = 0x20;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_ALLMULTI = 0x200;
export const IFF_MASTER = 0x400;
export const IFF_SLAVE = 0x800;
export const IFF_MULTICAST = 0x1000;
export const IFF_LOWER_UP = 0x10000;
export const IFF_DORMANT = 0x20000;

export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;

export const NETDEV_TX_OK = 0;
export const NETDEV_TX_BUSY = 0x10;

export const NET_RX_SUCCESS = 0;
export const NET_RX_DROP = 1;

export const NET_XMIT_SUCCESS = 0;
export const NET_XMIT_DROP = 1;
export const NET_XMIT_CN = 2;

export const ETH_P_ALL = 0x0003;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

/** RFC 2863 operational states, as IF_OPER_*. */
export type OperState = 'UNKNOWN' | 'NOTPRESENT' | 'DOWN' | 'LOWERLAYERDOWN' | 'TESTING' | 'DORMANT' | 'UP';

export interface NetDeviceOps {
  readonly kind: string;
  ndo_start_xmit(skb: SkBuff, dev: NetDevice): number;
  ndo_open?(dev: NetDevice): void;
  ndo_stop?(dev: NetDevice): void;
  ndo_change_mtu?(dev: NetDevice, mtu: number): void;
  /** NETIF_F_TSO and NETIF_F_HW_CSUM as validate_xmit_skb reads them (devices with a qdisc). */
  ndo_offloads?(dev: NetDevice): { tso: boolean; csum: boolean };
  /** dev->ethtool_ops (the same for every device of a driver). */
  readonly ethtool_ops?: EthtoolOps;
}

/** rtnl_link_stats64 as `ip -s link` shows it. */
export class LinkStats {
  rx_packets = 0;
  tx_packets = 0;
  rx_bytes = 0;
  tx_bytes = 0;
  rx_errors = 0;
  tx_errors = 0;
  rx_dropped = 0;
  tx_dropped = 0;
  multicast = 0;
  collisions = 0;
  rx_missed_errors = 0;
  rx_length_errors = 0;
  tx_carrier_errors = 0;
  rx_nohandler = 0;
  rx_otherhost_dropped = 0;
}

/** struct packet_type: a ptype_all tap or a ptype_base protocol handler. */
export interface PacketType {
  /** ETH_P_ALL for taps. */
  readonly type: number;
  /** Bound device, or null for every device. */
  readonly dev: NetDevice | null;
  /** Takes a reference to skb; returns NET_RX_*. */
  func(skb: SkBuff, dev: NetDevice, pt: PacketType, origDev: NetDevice): number;
  /** Set on taps that skip transmitted frames (PACKET_IGNORE_OUTGOING). */
  readonly ignoreOutgoing?: boolean;
  /** pt->list_func: a batch from __netif_receive_skb_list_core (ip_list_rcv). */
  readonly list_func?: (list: SkBuff[], pt: PacketType, origDev: NetDevice) => void;
}

export type RxHandlerResult = 'CONSUMED' | 'ANOTHER' | 'EXACT' | 'PASS';

export class NetDevice {
  ifindex = 0;
  net!: Net;
  flags = 0;
  /** dev->gflags / the flags userspace set (IFF_UP asked for). */
  type = ARPHRD_ETHER;
  mtu = 1500;
  minMtu = 68;
  maxMtu = 65535;
  readonly devAddr = new Uint8Array(6);
  readonly broadcast = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  hardHeaderLen = 14;
  txQueueLen = 1000;
  group = 0;
  carrier = true;
  operstate: OperState = 'DOWN';
  /** IFF_NO_QUEUE devices use noqueue; a down device has noop_qdisc. */
  readonly noQueue: boolean = true;
  readonly stats = new LinkStats();
  readonly ptypeAll: PacketType[] = [];
  rxHandler: ((skb: SkBuff) => { result: RxHandlerResult; skb: SkBuff | null }) | null = null;
  ipPtr: InDevice | null = null;
  /** veth: the other end. */
  peer: NetDevice | null = null;
  /** Device-specific counter for drops the driver itself counts (veth priv->dropped). */
  privDropped = 0;
  /** For `ip link` alias/altnames etc. */
  alias = '';
  /** Recursion guard for the direct xmit path (dev_xmit_recursion). */
  xmitRecursion = 0;
  /** netdev_master_upper_dev_get(): the bridge this device is a port of. */
  master: NetDevice | null = null;
  /** dev->rx_handler_data: the bridge port (net_bridge_port) or the bridge itself (net_bridge). */
  brPort: unknown = null;
  /** dev->promiscuity: taps and bridges that asked for promiscuous mode. */
  promiscuity = 0;
  /** dev->allmulti: bridge ports count here. */
  allmulti = 0;
  /**
   * The qdisc linkwatch put back while the carrier is off (dev_deactivate →
   * noop_qdisc). Set by drivers that model it (the bridge device).
   */
  qdiscDeactivated = false;
  /** addr_assign_type == NET_ADDR_SET: the address was set by the user. */
  addrSet = false;
  /** The root qdisc of a device with a queue (a NIC's pfifo_fast); null for noqueue devices. */
  qdisc: import('../sched/sch_generic.ts').Qdisc | null = null;
  /** dev->dev.parent: the bus device of a NIC (IFLA_PARENT_DEV_BUS_NAME / _NAME). */
  parentDev: { bus: string; name: string } | null = null;

  constructor(
    public name: string,
    readonly ops: NetDeviceOps,
  ) {}

  get isUp(): boolean {
    return (this.flags & IFF_UP) !== 0;
  }

  /** netif_running() */
  get running(): boolean {
    return (this.flags & IFF_UP) !== 0;
  }

  /** netif_carrier_ok() */
  get carrierOk(): boolean {
    return this.carrier;
  }
}
