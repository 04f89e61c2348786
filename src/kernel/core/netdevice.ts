// struct net_device (include/linux/netdevice.h) and its flags.
import type { EthtoolOps } from './ethtool.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { InDevice } from '../ipv4/devinet.ts';
import type { FdbMsg, IflaAttrs, LinkMsg, NdaAttrs, NdMsg } from '../uapi/rtnetlink.ts';

// the flags and hardware types userspace sees are uapi (include/uapi/linux/if.h, if_arp.h)
import { ARPHRD_ETHER, IFF_UP } from '../uapi/if.ts';
export {
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  IFF_ALLMULTI,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
} from '../uapi/if.ts';

export const NETDEV_TX_OK = 0;
export const NETDEV_TX_BUSY = 0x10;

export const NET_RX_SUCCESS = 0;
export const NET_RX_DROP = 1;

export const NET_XMIT_SUCCESS = 0;
export const NET_XMIT_DROP = 1;
export const NET_XMIT_CN = 2;

export const ETH_P_ALL = 0x0003;
export { ETH_P_ARP, ETH_P_IP, ETH_P_IPV6 } from '../../wire/ethernet.ts';

/** RFC 2863 operational states, as IF_OPER_*. */
export type OperState = 'UNKNOWN' | 'NOTPRESENT' | 'DOWN' | 'LOWERLAYERDOWN' | 'TESTING' | 'DORMANT' | 'UP';

export interface NetDeviceOps {
  readonly kind: string;
  ndo_start_xmit(skb: SkBuff, dev: NetDevice): number;
  /** 0 (or nothing) when the device may come up, else -errno (macvlan_open: -EADDRINUSE). */
  ndo_open?(dev: NetDevice): number | void;
  ndo_stop?(dev: NetDevice): void;
  /** -errno refuses the MTU (macvlan_change_mtu: above the lower device's). */
  ndo_change_mtu?(dev: NetDevice, mtu: number): number | void;
  /** dev_change_rx_flags(): IFF_PROMISC/IFF_ALLMULTI of the device changed (a stacked device tells its lower one). */
  ndo_change_rx_flags?(dev: NetDevice, change: number): void;
  /** ndo_get_iflink(): the ifindex of the device this one is stacked on (IFLA_LINK, `NAME@LOWER`). */
  ndo_get_iflink?(dev: NetDevice): number;
  /** NETIF_F_TSO and NETIF_F_HW_CSUM as validate_xmit_skb reads them (devices with a qdisc). */
  ndo_offloads?(dev: NetDevice): { tso: boolean; csum: boolean };
  /** dev_set_mac_address() of a device that does more than copy the address (a bridge). */
  ndo_set_mac_address?(dev: NetDevice, addr: Uint8Array): number | void;
  /** do_set_master(): a master takes or lets go of a port; 0 or -errno with the extack text. */
  ndo_add_slave?(dev: NetDevice, port: NetDevice, extack: { msg: string | null }): number;
  ndo_del_slave?(dev: NetDevice, port: NetDevice): void;
  /** A master's fdb (rtnl_fdb_add/del/dump); `port` is the device the request named. */
  ndo_fdb_add?(ndm: NdMsg, port: NetDevice, addr: Uint8Array, nlmsgFlags: number, attrs?: NdaAttrs): number;
  ndo_fdb_del?(port: NetDevice, addr: Uint8Array, attrs?: NdaAttrs): number;
  ndo_fdb_dump?(dev: NetDevice, filterDev: NetDevice | null): FdbMsg[];
  /** AF_BRIDGE RTM_GETLINK/SETLINK of a port, answered by its master. */
  ndo_bridge_getlink?(port: NetDevice): LinkMsg | null;
  ndo_bridge_setlink?(port: NetDevice, attrs: IflaAttrs, extack: { msg: string | null }): number;
  /** dev->sysfs_groups[0]: the driver's own attributes under /sys/class/net/DEV/ (tun_flags, owner, group). */
  readonly sysfs_attrs?: Readonly<Record<string, (dev: NetDevice) => string>>;
  /** NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX: a tag may stay metadata (validate_xmit_vlan). */
  readonly vlan_tx_offload?: boolean;
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

/** The counters dev_get_stats() reports: the device's own, plus what a driver counts privately (veth's drops as tx_dropped). */
export type DevStats = { -readonly [K in keyof LinkStats]: number };

/** dev_get_stats(): the one view of a device's counters that rtnetlink, /proc/net/dev and sysfs print. */
export function dev_get_stats(dev: NetDevice): DevStats {
  return { ...dev.stats, tx_dropped: dev.stats.tx_dropped + dev.privDropped };
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
  /** What %ps prints for func where it is not a named kernel function (AF_PACKET: packet_rcv or tpacket_rcv). */
  readonly sym?: string;
  /** pt->af_packet_net: the namespace of the packet socket that hooked it (/proc/net/ptype shows it there only). */
  readonly af_packet_net?: Net;
  /** pt->list_func: a batch from __netif_receive_skb_list_core (ip_list_rcv). */
  readonly list_func?: (list: SkBuff[], pt: PacketType, origDev: NetDevice) => void;
}

/** 1 << NETIF_F_GRO_BIT (include/linux/netdev_features.h) */
export const NETIF_F_GRO = 1 << 14;

export type RxHandlerResult = 'CONSUMED' | 'ANOTHER' | 'EXACT' | 'PASS';

/** struct netdev_queue: a TX (or the ingress) queue of a device. */
export class NetdevQueue {
  /** txq->qdisc: the active qdisc; null is noop_qdisc (device down, carrier off, being grafted). */
  qdisc: import('../sched/sch_generic.ts').Qdisc | null = null;
  /** txq->qdisc_sleeping: the qdisc this queue has when active. */
  qdisc_sleeping: import('../sched/sch_generic.ts').Qdisc | null = null;
  /** __QUEUE_STATE_* bits (DRV_XOFF: netif_stop_queue). */
  state = 0;

  constructor(readonly dev: NetDevice) {}
}

export class NetDevice {
  ifindex = 0;
  net!: Net;
  /** dev->num_tx_queues (alloc_netdev_mqs); veth has num_possible_cpus(); the simulated device uses one */
  numTxQueues = 1;
  flags = 0;
  type = ARPHRD_ETHER;
  mtu = 1500;
  minMtu = 68;
  maxMtu = 65535;
  readonly devAddr = new Uint8Array(6);
  readonly broadcast = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  hardHeaderLen = 14;
  /** dev->addr_len: 0 for a device without link-layer addresses (a TUN); rtnetlink then sends none. */
  addrLen = 6;
  txQueueLen = 1000;
  group = 0;
  carrier = true;
  operstate: OperState = 'DOWN';
  /** IFF_NO_QUEUE (priv_flags): noqueue is the default qdisc; drivers with a ring (e1000, snull) clear it. */
  noQueue = true;
  readonly stats = new LinkStats();
  readonly ptypeAll: PacketType[] = [];
  rxHandler: ((skb: SkBuff) => { result: RxHandlerResult; skb: SkBuff | null }) | null = null;
  /** dev->rx_handler_data of an rx_handler other than the bridge's (the macvlan port). */
  rxHandlerData: unknown = null;
  ipPtr: InDevice | null = null;
  /** dev->ip6_ptr: the inet6_dev (ipv6/addrconf.ts), made at NETDEV_REGISTER. */
  ip6Ptr: import('../ipv6/addrconf.ts').Inet6Dev | null = null;
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
  /** dev->uc_promisc: promiscuous because its unicast list is not empty and it has no IFF_UNICAST_FLT. */
  ucPromisc = false;
  /** IFF_UNICAST_FLT (priv_flags): the device filters secondary unicast addresses itself. */
  unicastFlt = false;
  /** dev->adj_list.upper / .lower: stacked devices other than a master (netdev_upper_dev_link: macvlan, vlan …). */
  readonly adjUpper: NetDevice[] = [];
  readonly adjLower: NetDevice[] = [];
  /** dev->dismantle: being unregistered for good (not moved to another namespace). */
  dismantle = false;
  /**
   * The operstate linkwatch last gave a stacked device without carrier
   * (default_operstate() looks its lower device up in the device's namespace
   * then, and nothing recomputes it when the device only comes up or moves).
   */
  operstateNoCarrier: OperState | null = null;
  /**
   * The qdisc linkwatch put back while the carrier is off (dev_deactivate →
   * noop_qdisc). Set by drivers that model it (the bridge device).
   */
  qdiscDeactivated = false;
  /** addr_assign_type == NET_ADDR_SET: the address was set by the user. */
  addrSet = false;
  /** dev->qdisc: the root qdisc (what `tc qdisc show` and IFLA_QDISC report); null is noop_qdisc (never up, or shut down). */
  qdisc: import('../sched/sch_generic.ts').Qdisc | null = null;
  /** dev->_tx[0]: the one TX queue (its active and sleeping qdisc, __QUEUE_STATE_* bits). */
  readonly txq: NetdevQueue = new NetdevQueue(this);
  /** dev->ingress_queue: made by dev_ingress_queue_create() for ingress/clsact. */
  ingressQueue: NetdevQueue | null = null;
  /** dev->qdisc_hash: the child qdiscs qdisc_lookup() finds, in the order they were added. */
  readonly qdiscHash: import('../sched/sch_generic.ts').Qdisc[] = [];
  /** dev->dev.parent: the bus device of a NIC (IFLA_PARENT_DEV_BUS_NAME / _NAME). */
  parentDev: { bus: string; name: string } | null = null;
  /** dev->gflags: the promisc/allmulti the user asked for (__dev_change_flags). */
  gflags = 0;
  /** dev->carrier_up_count / carrier_down_count: netif_carrier_on/off since registration. */
  carrierUpCount = 0;
  carrierDownCount = 0;
  /** dev->uc: secondary unicast addresses (`bridge fdb add … self`, dev_uc_add). */
  readonly uc: Uint8Array[] = [];
  /** dev->features (NETIF_F_GRO: ethtool -K DEV gro on|off; netif_elide_gro()). */
  features = NETIF_F_GRO;
  /** dev->_rx: the RX queues' RPS state (core/rps.ts), made on first use. */
  rx: import('./rps.ts').NetdevRxQueue[] | null = null;
  /** dev->tso_max_size when a driver sets it (netif_inherit_tso_max); 0: the default the dump reports. */
  tsoMaxSize = 0;
  /** netdev_priv(): the driver's private area (snull_priv, e1000_adapter). */
  priv: unknown = null;
  /** dev->vlan_info: the VLAN devices on this one, by protocol slot and VID (8021q/vlan_core.ts). */
  vlanInfo: Map<number, NetDevice> | null = null;
  /** dev->tcx_ingress / dev->tcx_egress: the ingress/clsact qdisc's mini_Qdisc (sched/sch_ingress.ts). */
  tcxIngress: import('../sched/sch_ingress.ts').MiniQdisc | null = null;
  tcxEgress: import('../sched/sch_ingress.ts').MiniQdisc | null = null;
  /** in_dev->mc_list & co.: IGMPv3 report state (ipv4/igmp.ts), made on first use. */
  igmp: import('../ipv4/igmp.ts').McState | null = null;

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
