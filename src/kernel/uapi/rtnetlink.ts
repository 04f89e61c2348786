// rtnetlink for links, addresses, namespace ids and bridge fdb entries: the
// message shapes and constants of include/uapi/linux/{netlink,rtnetlink,
// if_link,if_addr,neighbour,net_namespace,if_bridge}.h, and the one door tools
// use, rtnl_talk(): a request in, the kernel's answer out (an errno with the
// extack text, and the messages a dump or an echo returns), as iproute2's
// libnetlink sees it on a NETLINK_ROUTE socket.
//
// Messages are plain data: the fixed header (ifinfomsg, ifaddrmsg, ndmsg,
// rtgenmsg) under its C field names and the attributes as named fields (a
// missing field is a missing attribute). IPv4 addresses are host-order u32s,
// link-layer addresses Uint8Arrays, times clock_t (USER_HZ) as the kernel
// puts them. A namespace travels as an opaque handle, as a netns fd does.
import type { IflaMacvlanAttrs } from './if_macvlan.ts';
import type { Net } from '../net_namespace.ts';
import { rtnetlink_rcv_msg } from '../core/rtnetlink.ts';

export * from './if.ts';

// --- linux/socket.h ---
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
export const AF_PACKET = 17;

// --- linux/netlink.h ---
export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
/** GET requests */
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
/** NEW requests */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

// --- linux/rtnetlink.h ---
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_SETLINK = 19;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWNEIGH = 28;
export const RTM_DELNEIGH = 29;
export const RTM_GETNEIGH = 30;
export const RTM_NEWNSID = 88;
export const RTM_DELNSID = 89;
export const RTM_GETNSID = 90;

/** rtm_scope (rtnetlink.h enum rt_scope_t) */
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

// --- linux/if_link.h: IFLA_* (the attribute numbers; the fields below carry their names) ---
export const IFLA_ADDRESS = 1;
export const IFLA_BROADCAST = 2;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_QDISC = 6;
export const IFLA_MASTER = 10;
export const IFLA_PROTINFO = 12;
export const IFLA_TXQLEN = 13;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKMODE = 17;
export const IFLA_LINKINFO = 18;
export const IFLA_NET_NS_PID = 19;
export const IFLA_IFALIAS = 20;
export const IFLA_STATS64 = 23;
export const IFLA_AF_SPEC = 26;
export const IFLA_GROUP = 27;
export const IFLA_NET_NS_FD = 28;
export const IFLA_PROMISCUITY = 30;
export const IFLA_NUM_TX_QUEUES = 31;
export const IFLA_NUM_RX_QUEUES = 32;
export const IFLA_CARRIER = 33;
export const IFLA_CARRIER_CHANGES = 35;
export const IFLA_LINK_NETNSID = 37;
export const IFLA_GSO_MAX_SEGS = 40;
export const IFLA_GSO_MAX_SIZE = 41;
export const IFLA_CARRIER_UP_COUNT = 47;
export const IFLA_CARRIER_DOWN_COUNT = 48;
export const IFLA_MIN_MTU = 50;
export const IFLA_MAX_MTU = 51;
export const IFLA_PARENT_DEV_NAME = 56;
export const IFLA_PARENT_DEV_BUS_NAME = 57;
export const IFLA_GRO_MAX_SIZE = 58;
export const IFLA_TSO_MAX_SIZE = 59;
export const IFLA_TSO_MAX_SEGS = 60;
export const IFLA_ALLMULTI = 61;

export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_SLAVE_KIND = 4;
export const IFLA_INFO_SLAVE_DATA = 5;
export const VETH_INFO_PEER = 1;

/** IFLA_INET6_ADDR_GEN_MODE values */
export const IN6_ADDR_GEN_MODE_EUI64 = 0;

// --- linux/if_addr.h ---
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_ANYCAST = 5;
export const IFA_CACHEINFO = 6;
export const IFA_FLAGS = 8;
export const IFA_RT_PRIORITY = 9;

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_TEMPORARY = IFA_F_SECONDARY;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
export const IFA_F_STABLE_PRIVACY = 0x800;

// --- linux/neighbour.h (the AF_BRIDGE neighbours of `bridge fdb`) ---
export const NDA_DST = 1;
export const NDA_LLADDR = 2;
export const NDA_CACHEINFO = 3;
export const NDA_VLAN = 5;
export const NDA_MASTER = 9;

export const NTF_USE = 0x01;
export const NTF_SELF = 0x02;
export const NTF_MASTER = 0x04;
export const NTF_PROXY = 0x08;
export const NTF_EXT_LEARNED = 0x10;
export const NTF_STICKY = 0x40;
export const NTF_ROUTER = 0x80;

export { NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_FAILED, NUD_NOARP, NUD_PERMANENT } from '../core/neighbour.ts';

// --- linux/net_namespace.h ---
export const NETNSA_NSID = 1;
export const NETNSA_PID = 2;
export const NETNSA_FD = 3;
export const NETNSA_NSID_NOT_ASSIGNED = -1;

// --- linux/if_bridge.h ---
export const BR_STATE_DISABLED = 0;
export const BR_STATE_LISTENING = 1;
export const BR_STATE_LEARNING = 2;
export const BR_STATE_FORWARDING = 3;
export const BR_STATE_BLOCKING = 4;

// --- message shapes ---

/** struct ifinfomsg */
export interface IfInfoMsg {
  ifi_family: number;
  ifi_type: number;
  ifi_index: number;
  ifi_flags: number;
  ifi_change: number;
}

/** struct rtnl_link_stats64 (the counters the model keeps) */
export interface RtnlLinkStats64 {
  rx_packets: number;
  tx_packets: number;
  rx_bytes: number;
  tx_bytes: number;
  rx_errors: number;
  tx_errors: number;
  rx_dropped: number;
  tx_dropped: number;
  multicast: number;
  collisions: number;
  rx_length_errors: number;
  rx_missed_errors: number;
  tx_carrier_errors: number;
  rx_nohandler: number;
  rx_otherhost_dropped: number;
}

/** struct ifla_bridge_id */
export interface IflaBridgeId {
  prio: number;
  addr: Uint8Array;
}

/** IFLA_INFO_DATA of a bridge: IFLA_BR_* (times in clock_t) */
export interface IflaBrAttrs {
  IFLA_BR_FORWARD_DELAY?: number;
  IFLA_BR_HELLO_TIME?: number;
  IFLA_BR_MAX_AGE?: number;
  IFLA_BR_AGEING_TIME?: number;
  IFLA_BR_STP_STATE?: number;
  IFLA_BR_PRIORITY?: number;
  IFLA_BR_VLAN_FILTERING?: number;
  IFLA_BR_GROUP_FWD_MASK?: number;
  IFLA_BR_ROOT_ID?: IflaBridgeId;
  IFLA_BR_BRIDGE_ID?: IflaBridgeId;
  IFLA_BR_ROOT_PORT?: number;
  IFLA_BR_ROOT_PATH_COST?: number;
  IFLA_BR_TOPOLOGY_CHANGE?: number;
  IFLA_BR_TOPOLOGY_CHANGE_DETECTED?: number;
  IFLA_BR_HELLO_TIMER?: number;
  IFLA_BR_TCN_TIMER?: number;
  IFLA_BR_TOPOLOGY_CHANGE_TIMER?: number;
  IFLA_BR_GC_TIMER?: number;
  IFLA_BR_GROUP_ADDR?: Uint8Array;
  IFLA_BR_MCAST_ROUTER?: number;
  IFLA_BR_MCAST_SNOOPING?: number;
  IFLA_BR_MCAST_QUERY_USE_IFADDR?: number;
  IFLA_BR_MCAST_QUERIER?: number;
  IFLA_BR_MCAST_HASH_ELASTICITY?: number;
  IFLA_BR_MCAST_HASH_MAX?: number;
  IFLA_BR_MCAST_LAST_MEMBER_CNT?: number;
  IFLA_BR_MCAST_STARTUP_QUERY_CNT?: number;
  IFLA_BR_MCAST_LAST_MEMBER_INTVL?: number;
  IFLA_BR_MCAST_MEMBERSHIP_INTVL?: number;
  IFLA_BR_MCAST_QUERIER_INTVL?: number;
  IFLA_BR_MCAST_QUERY_INTVL?: number;
  IFLA_BR_MCAST_QUERY_RESPONSE_INTVL?: number;
  IFLA_BR_MCAST_STARTUP_QUERY_INTVL?: number;
  IFLA_BR_NF_CALL_IPTABLES?: number;
  IFLA_BR_NF_CALL_IP6TABLES?: number;
  IFLA_BR_NF_CALL_ARPTABLES?: number;
  IFLA_BR_MCAST_STATS_ENABLED?: number;
  IFLA_BR_MCAST_IGMP_VERSION?: number;
  IFLA_BR_MCAST_MLD_VERSION?: number;
  /** struct br_boolopt_multi, the bits of BR_BOOLOPT_* */
  IFLA_BR_MULTI_BOOLOPT?: { optval: number; optmask: number };
}

/** BR_BOOLOPT_* bits of IFLA_BR_MULTI_BOOLOPT */
export const BR_BOOLOPT_NO_LL_LEARN = 0;
export const BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1;

/** IFLA_PROTINFO / IFLA_INFO_SLAVE_DATA of a bridge port: IFLA_BRPORT_* (flags 0/1, timers in clock_t) */
export interface IflaBrportAttrs {
  IFLA_BRPORT_STATE?: number;
  IFLA_BRPORT_PRIORITY?: number;
  IFLA_BRPORT_COST?: number;
  IFLA_BRPORT_MODE?: number;
  IFLA_BRPORT_GUARD?: number;
  IFLA_BRPORT_PROTECT?: number;
  IFLA_BRPORT_FAST_LEAVE?: number;
  IFLA_BRPORT_LEARNING?: number;
  IFLA_BRPORT_UNICAST_FLOOD?: number;
  IFLA_BRPORT_PROXYARP?: number;
  IFLA_BRPORT_LEARNING_SYNC?: number;
  IFLA_BRPORT_PROXYARP_WIFI?: number;
  IFLA_BRPORT_ROOT_ID?: IflaBridgeId;
  IFLA_BRPORT_BRIDGE_ID?: IflaBridgeId;
  IFLA_BRPORT_DESIGNATED_PORT?: number;
  IFLA_BRPORT_DESIGNATED_COST?: number;
  IFLA_BRPORT_ID?: number;
  IFLA_BRPORT_NO?: number;
  IFLA_BRPORT_TOPOLOGY_CHANGE_ACK?: number;
  IFLA_BRPORT_CONFIG_PENDING?: number;
  IFLA_BRPORT_MESSAGE_AGE_TIMER?: number;
  IFLA_BRPORT_FORWARD_DELAY_TIMER?: number;
  IFLA_BRPORT_HOLD_TIMER?: number;
  IFLA_BRPORT_MULTICAST_ROUTER?: number;
  IFLA_BRPORT_MCAST_FLOOD?: number;
  IFLA_BRPORT_MCAST_TO_UCAST?: number;
  IFLA_BRPORT_VLAN_TUNNEL?: number;
  IFLA_BRPORT_BCAST_FLOOD?: number;
  IFLA_BRPORT_GROUP_FWD_MASK?: number;
  IFLA_BRPORT_NEIGH_SUPPRESS?: number;
  IFLA_BRPORT_ISOLATED?: number;
  IFLA_BRPORT_LOCKED?: number;
}

/** IFLA_INFO_DATA of a vxlan device: IFLA_VXLAN_* (addresses as host-order IPv4 words; flags 0/1). */
export interface IflaVxlanAttrs {
  IFLA_VXLAN_ID?: number;
  IFLA_VXLAN_GROUP?: number;
  IFLA_VXLAN_LINK?: number;
  IFLA_VXLAN_LOCAL?: number;
  IFLA_VXLAN_TTL?: number;
  IFLA_VXLAN_TOS?: number;
  IFLA_VXLAN_LEARNING?: number;
  IFLA_VXLAN_AGEING?: number;
  IFLA_VXLAN_LIMIT?: number;
  /** struct ifla_vxlan_port_range */
  IFLA_VXLAN_PORT_RANGE?: { low: number; high: number };
  IFLA_VXLAN_PROXY?: number;
  IFLA_VXLAN_RSC?: number;
  IFLA_VXLAN_L2MISS?: number;
  IFLA_VXLAN_L3MISS?: number;
  IFLA_VXLAN_PORT?: number;
  IFLA_VXLAN_GROUP6?: Uint8Array;
  IFLA_VXLAN_LOCAL6?: Uint8Array;
  IFLA_VXLAN_UDP_CSUM?: number;
  IFLA_VXLAN_UDP_ZERO_CSUM6_TX?: number;
  IFLA_VXLAN_UDP_ZERO_CSUM6_RX?: number;
  IFLA_VXLAN_REMCSUM_TX?: number;
  IFLA_VXLAN_REMCSUM_RX?: number;
  IFLA_VXLAN_GBP?: boolean;
  IFLA_VXLAN_REMCSUM_NOPARTIAL?: boolean;
  IFLA_VXLAN_COLLECT_METADATA?: number;
  IFLA_VXLAN_LABEL?: number;
  IFLA_VXLAN_GPE?: boolean;
  IFLA_VXLAN_TTL_INHERIT?: number;
  IFLA_VXLAN_DF?: number;
  IFLA_VXLAN_VNIFILTER?: number;
  IFLA_VXLAN_LOCALBYPASS?: number;
  IFLA_VXLAN_LABEL_POLICY?: number;
}

/** IFLA_INFO_DATA: the kind's own attributes (veth's peer request, a bridge's IFLA_BR_*). */
export interface IflaInfoData extends IflaBrAttrs, IflaMacvlanAttrs, IflaVxlanAttrs, IflaTunAttrs, IflaVlanAttrs {
  VETH_INFO_PEER?: LinkBody;
}

/** IFLA_INFO_DATA of a tun/tap device: IFLA_TUN_* (tun_fill_info) */
export interface IflaTunAttrs {
  IFLA_TUN_OWNER?: number;
  IFLA_TUN_GROUP?: number;
  IFLA_TUN_TYPE?: number;
  IFLA_TUN_PI?: number;
  IFLA_TUN_VNET_HDR?: number;
  IFLA_TUN_PERSIST?: number;
  IFLA_TUN_MULTI_QUEUE?: number;
  IFLA_TUN_NUM_QUEUES?: number;
  IFLA_TUN_NUM_DISABLED_QUEUES?: number;
}

/** struct ifla_vlan_qos_mapping */
export interface IflaVlanQosMapping {
  from: number;
  to: number;
}

/** IFLA_INFO_DATA of an 802.1Q device: IFLA_VLAN_* (vlan_fill_info) */
export interface IflaVlanAttrs {
  IFLA_VLAN_ID?: number;
  IFLA_VLAN_PROTOCOL?: number;
  /** struct ifla_vlan_flags: flags and mask */
  IFLA_VLAN_FLAGS?: { flags: number; mask: number };
  IFLA_VLAN_INGRESS_QOS?: IflaVlanQosMapping[];
  IFLA_VLAN_EGRESS_QOS?: IflaVlanQosMapping[];
}

/** IFLA_LINKINFO */
export interface IflaLinkInfo {
  IFLA_INFO_KIND?: string;
  IFLA_INFO_DATA?: IflaInfoData;
  IFLA_INFO_SLAVE_KIND?: string;
  IFLA_INFO_SLAVE_DATA?: IflaBrportAttrs;
}

/** The attributes of RTM_NEWLINK/SETLINK/DELLINK/GETLINK. */
export interface IflaAttrs {
  IFLA_ADDRESS?: Uint8Array;
  IFLA_BROADCAST?: Uint8Array;
  IFLA_IFNAME?: string;
  IFLA_MTU?: number;
  IFLA_LINK?: number;
  IFLA_QDISC?: string;
  IFLA_MASTER?: number;
  IFLA_PROTINFO?: IflaBrportAttrs;
  IFLA_TXQLEN?: number;
  IFLA_OPERSTATE?: number;
  IFLA_LINKMODE?: number;
  IFLA_LINKINFO?: IflaLinkInfo;
  IFLA_NET_NS_PID?: number;
  /** the namespace handle (a netns fd on Linux) */
  IFLA_NET_NS_FD?: Net;
  IFLA_IFALIAS?: string;
  IFLA_STATS64?: RtnlLinkStats64;
  /** IFLA_AF_SPEC: AF_INET6's IFLA_INET6_ADDR_GEN_MODE */
  IFLA_AF_SPEC?: { AF_INET6?: { IFLA_INET6_ADDR_GEN_MODE?: number } };
  IFLA_GROUP?: number;
  IFLA_PROMISCUITY?: number;
  IFLA_ALLMULTI?: number;
  IFLA_NUM_TX_QUEUES?: number;
  IFLA_NUM_RX_QUEUES?: number;
  IFLA_CARRIER?: number;
  IFLA_CARRIER_CHANGES?: number;
  IFLA_CARRIER_UP_COUNT?: number;
  IFLA_CARRIER_DOWN_COUNT?: number;
  IFLA_LINK_NETNSID?: number;
  IFLA_GSO_MAX_SEGS?: number;
  IFLA_GSO_MAX_SIZE?: number;
  IFLA_GRO_MAX_SIZE?: number;
  IFLA_TSO_MAX_SIZE?: number;
  IFLA_TSO_MAX_SEGS?: number;
  IFLA_MIN_MTU?: number;
  IFLA_MAX_MTU?: number;
  IFLA_PARENT_DEV_NAME?: string;
  IFLA_PARENT_DEV_BUS_NAME?: string;
}

export interface LinkBody {
  ifi: IfInfoMsg;
  attrs: IflaAttrs;
}

export interface LinkMsg extends LinkBody {
  nlmsg_type: typeof RTM_NEWLINK | typeof RTM_DELLINK | typeof RTM_GETLINK | typeof RTM_SETLINK;
  nlmsg_flags: number;
}

/** struct ifaddrmsg */
export interface IfAddrMsg {
  ifa_family: number;
  ifa_prefixlen: number;
  /** the low 8 bits of IFA_FLAGS */
  ifa_flags: number;
  ifa_scope: number;
  ifa_index: number;
}

/** struct ifa_cacheinfo (hundredths of a second) */
export interface IfaCacheinfo {
  ifa_prefered: number;
  ifa_valid: number;
  cstamp: number;
  tstamp: number;
}

export interface IfaAttrs {
  IFA_ADDRESS?: number;
  IFA_LOCAL?: number;
  IFA_LABEL?: string;
  IFA_BROADCAST?: number;
  IFA_ANYCAST?: number;
  IFA_CACHEINFO?: IfaCacheinfo;
  IFA_FLAGS?: number;
  IFA_RT_PRIORITY?: number;
  /** IFA_ADDRESS / IFA_LOCAL of an AF_INET6 message: the 16 bytes of the in6_addr. */
  IFA_ADDRESS6?: Uint8Array;
  IFA_LOCAL6?: Uint8Array;
  /** IFA_PROTO: who made the address (IFAPROT_KERNEL_LO 1, _RA 2, _LL 3). */
  IFA_PROTO?: number;
}

export interface AddrMsg {
  nlmsg_type: typeof RTM_NEWADDR | typeof RTM_DELADDR | typeof RTM_GETADDR;
  nlmsg_flags: number;
  ifa: IfAddrMsg;
  attrs: IfaAttrs;
}

/** struct ndmsg */
export interface NdMsg {
  ndm_family: number;
  ndm_ifindex: number;
  ndm_state: number;
  ndm_flags: number;
  ndm_type: number;
}

/** struct nda_cacheinfo (clock_t) */
export interface NdaCacheinfo {
  ndm_confirmed: number;
  ndm_used: number;
  ndm_updated: number;
  ndm_refcnt: number;
}

export interface NdaAttrs {
  NDA_LLADDR?: Uint8Array;
  NDA_CACHEINFO?: NdaCacheinfo;
  NDA_VLAN?: number;
  /** the bridge; in a dump request, the bridge to dump (with ndm_ifindex: the port) */
  NDA_MASTER?: number;
  /** a vxlan entry's remote (IPv4, host order), its UDP port, VNI and the underlay device */
  NDA_DST?: number;
  NDA_PORT?: number;
  NDA_VNI?: number;
  NDA_IFINDEX?: number;
  NDA_SRC_VNI?: number;
  NDA_LINK_NETNSID?: number;
}

/** AF_BRIDGE neighbours: the forwarding database (`bridge fdb`). */
export interface FdbMsg {
  nlmsg_type: typeof RTM_NEWNEIGH | typeof RTM_DELNEIGH | typeof RTM_GETNEIGH;
  nlmsg_flags: number;
  ndm: NdMsg;
  attrs: NdaAttrs;
}

export interface NetnsaAttrs {
  NETNSA_NSID?: number;
  NETNSA_PID?: number;
  /** the namespace handle (a netns fd on Linux) */
  NETNSA_FD?: Net;
}

export interface NsidMsg {
  nlmsg_type: typeof RTM_NEWNSID | typeof RTM_DELNSID | typeof RTM_GETNSID;
  nlmsg_flags: number;
  /** struct rtgenmsg */
  rtgen_family: number;
  attrs: NetnsaAttrs;
}

export type RtnlMsg = LinkMsg | AddrMsg | FdbMsg | NsidMsg;

/** What comes back on the socket: the messages of a dump or an echo, then the ack (0 or -errno) with its extack text. */
export interface NlReply<M> {
  error: number;
  extack: string | null;
  msgs: M[];
}

/** sendmsg() of one request on a NETLINK_ROUTE socket of `net`, and recvmsg() of everything it answers. */
export function rtnl_talk(net: Net, req: LinkMsg): NlReply<LinkMsg>;
export function rtnl_talk(net: Net, req: AddrMsg): NlReply<AddrMsg>;
export function rtnl_talk(net: Net, req: FdbMsg): NlReply<FdbMsg>;
export function rtnl_talk(net: Net, req: NsidMsg): NlReply<NsidMsg>;
export function rtnl_talk(net: Net, req: RtnlMsg): NlReply<RtnlMsg> {
  return rtnetlink_rcv_msg(net, req);
}

/** An empty ifinfomsg of `family`. */
export function ifinfomsg(family = AF_UNSPEC, index = 0): IfInfoMsg {
  return { ifi_family: family, ifi_type: 0, ifi_index: index, ifi_flags: 0, ifi_change: 0 };
}
