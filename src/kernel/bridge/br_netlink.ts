// net/bridge/br_netlink.c: the bridge as rtnetlink sees it — `ip link add
// type bridge` (br_dev_newlink), its IFLA_BR_* options (br_changelink,
// br_fill_info), a port's IFLA_BRPORT_* (br_port_fill_attrs) and the AF_BRIDGE
// link requests of `bridge link` (br_getlink, br_setlink → br_setport).
import type { Net } from '../net_namespace.ts';
import type { NetDevice } from '../core/netdevice.ts';
import {
  dev_alloc_name,
  dev_change_flags,
  dev_get_flags as dev_get_flags_of,
  eth_random_addr,
  is_valid_ether_addr,
  type NetlinkExtAck,
  register_netdevice,
  type RtnlLinkOps,
  rtnl_newlink,
} from '../core/rtnetlink.ts';
import { EADDRNOTAVAIL, EINVAL, ENETDOWN, EOPNOTSUPP, ERANGE } from '../uapi/errno.ts';
import {
  AF_BRIDGE,
  NLM_F_MULTI,
  RTM_NEWLINK,
  type IflaAttrs,
  type IflaBridgeId,
  type IflaBrportAttrs,
  type IflaInfoData,
  type LinkMsg,
} from '../uapi/rtnetlink.ts';
import { br_dev_registered, br_dev_setup, br_set_port_state } from './br_device.ts';
import {
  BR_BCAST_FLOOD,
  BR_BPDU_GUARD,
  BR_FLOOD,
  BR_HAIRPIN_MODE,
  BR_ISOLATED,
  BR_LEARNING,
  BR_MCAST_FLOOD,
  BR_MULTICAST_FAST_LEAVE,
  BR_MULTICAST_TO_UNICAST,
  BR_NEIGH_SUPPRESS,
  BR_PROXYARP,
  BR_PROXYARP_WIFI,
  BR_ROOT_BLOCK,
  BR_VLAN_TUNNEL,
  br_port_get,
  type NetBridge,
  type NetBridgePort,
  netdev_priv_br,
} from './br_private.ts';

/** jiffies_to_clock_t() */
function clock_t(br: NetBridge, j: number): number {
  return Math.floor((j * 100) / br.dev.net.kernel.HZ);
}

/** clock_t_to_jiffies() */
function to_jiffies(br: NetBridge, c: number): number {
  return Math.floor((c * br.dev.net.kernel.HZ) / 100);
}

/** br_timer_value(): what is left of a timer, in clock_t (0 when it is not pending). */
function br_timer_value(br: NetBridge, expires: number): number {
  if (expires < 0) return 0;
  const d = (expires - br.dev.net.kernel.jiffies()) | 0;
  return d > 0 ? clock_t(br, d) : 0;
}

/** The gc work's delay, in clock_t. */
function gc_timer_value(br: NetBridge): number {
  const t = br.gcTimer;
  if (!t || t.index < 0) return 0;
  const k = br.dev.net.kernel;
  const ns = t.expires - k.now;
  return clock_t(br, ns > 0 ? Math.ceil(ns / (1e9 / k.HZ)) : 0);
}

function bridge_id(br: NetBridge): IflaBridgeId {
  return { prio: br.priority, addr: br.dev.devAddr.slice() };
}

/** br_fill_info(): IFLA_INFO_DATA of a bridge. */
function br_fill_info(dev: NetDevice): IflaInfoData {
  const br = netdev_priv_br(dev) as NetBridge;
  const c = (j: number): number => clock_t(br, j);
  const id = bridge_id(br);
  return {
    IFLA_BR_FORWARD_DELAY: c(br.forwardDelay),
    IFLA_BR_HELLO_TIME: c(br.helloTime),
    IFLA_BR_MAX_AGE: c(br.maxAge),
    IFLA_BR_AGEING_TIME: c(br.ageingTime),
    IFLA_BR_STP_STATE: br.stpEnabled,
    IFLA_BR_PRIORITY: br.priority,
    IFLA_BR_VLAN_FILTERING: 0,
    IFLA_BR_GROUP_FWD_MASK: br.groupFwdMask,
    IFLA_BR_BRIDGE_ID: id,
    IFLA_BR_ROOT_ID: id,
    IFLA_BR_ROOT_PORT: 0,
    IFLA_BR_ROOT_PATH_COST: 0,
    IFLA_BR_TOPOLOGY_CHANGE: 0,
    IFLA_BR_TOPOLOGY_CHANGE_DETECTED: 0,
    IFLA_BR_HELLO_TIMER: 0,
    IFLA_BR_TCN_TIMER: 0,
    IFLA_BR_TOPOLOGY_CHANGE_TIMER: 0,
    IFLA_BR_GC_TIMER: gc_timer_value(br),
    IFLA_BR_GROUP_ADDR: new Uint8Array([0x01, 0x80, 0xc2, 0, 0, 0]),
    IFLA_BR_MCAST_SNOOPING: br.mcastSnooping ? 1 : 0,
    IFLA_BR_MULTI_BOOLOPT: { optval: 0, optmask: 0x7 },
    IFLA_BR_MCAST_ROUTER: 1,
    IFLA_BR_MCAST_QUERY_USE_IFADDR: 0,
    IFLA_BR_MCAST_QUERIER: 0,
    IFLA_BR_MCAST_HASH_ELASTICITY: 16,
    IFLA_BR_MCAST_HASH_MAX: 4096,
    IFLA_BR_MCAST_LAST_MEMBER_CNT: 2,
    IFLA_BR_MCAST_STARTUP_QUERY_CNT: 2,
    IFLA_BR_MCAST_LAST_MEMBER_INTVL: 100,
    IFLA_BR_MCAST_MEMBERSHIP_INTVL: 26000,
    IFLA_BR_MCAST_QUERIER_INTVL: 25500,
    IFLA_BR_MCAST_QUERY_INTVL: 12500,
    IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: 1000,
    IFLA_BR_MCAST_STARTUP_QUERY_INTVL: 3124,
    IFLA_BR_MCAST_STATS_ENABLED: 0,
    IFLA_BR_MCAST_IGMP_VERSION: 2,
    IFLA_BR_MCAST_MLD_VERSION: 1,
    IFLA_BR_NF_CALL_IPTABLES: br.nfCallIptables ? 1 : 0,
    IFLA_BR_NF_CALL_IP6TABLES: 0,
    IFLA_BR_NF_CALL_ARPTABLES: 0,
  };
}

/** br_port_fill_attrs(): a port's IFLA_BRPORT_* (IFLA_PROTINFO and IFLA_INFO_SLAVE_DATA). */
function br_port_fill_attrs(p: NetBridgePort): IflaBrportAttrs {
  const f = p.flags;
  const b = (bit: number): number => ((f & bit) !== 0 ? 1 : 0);
  const portId = ((p.priority << 10) | p.portNo) & 0xffff;
  const id = bridge_id(p.br);
  return {
    IFLA_BRPORT_STATE: p.state,
    IFLA_BRPORT_PRIORITY: p.priority,
    IFLA_BRPORT_COST: p.pathCost,
    IFLA_BRPORT_MODE: b(BR_HAIRPIN_MODE),
    IFLA_BRPORT_GUARD: b(BR_BPDU_GUARD),
    IFLA_BRPORT_PROTECT: b(BR_ROOT_BLOCK),
    IFLA_BRPORT_FAST_LEAVE: b(BR_MULTICAST_FAST_LEAVE),
    IFLA_BRPORT_MCAST_TO_UCAST: b(BR_MULTICAST_TO_UNICAST),
    IFLA_BRPORT_LEARNING: b(BR_LEARNING),
    IFLA_BRPORT_UNICAST_FLOOD: b(BR_FLOOD),
    IFLA_BRPORT_MCAST_FLOOD: b(BR_MCAST_FLOOD),
    IFLA_BRPORT_BCAST_FLOOD: b(BR_BCAST_FLOOD),
    IFLA_BRPORT_PROXYARP: b(BR_PROXYARP),
    IFLA_BRPORT_PROXYARP_WIFI: b(BR_PROXYARP_WIFI),
    IFLA_BRPORT_ROOT_ID: id,
    IFLA_BRPORT_BRIDGE_ID: id,
    IFLA_BRPORT_DESIGNATED_PORT: portId,
    IFLA_BRPORT_DESIGNATED_COST: 0,
    IFLA_BRPORT_ID: portId,
    IFLA_BRPORT_NO: p.portNo,
    IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: 0,
    IFLA_BRPORT_CONFIG_PENDING: 0,
    IFLA_BRPORT_MESSAGE_AGE_TIMER: 0,
    IFLA_BRPORT_FORWARD_DELAY_TIMER: br_timer_value(p.br, p.forwardDelayTimer),
    IFLA_BRPORT_HOLD_TIMER: 0,
    IFLA_BRPORT_MULTICAST_ROUTER: 1,
    IFLA_BRPORT_GROUP_FWD_MASK: 0,
    IFLA_BRPORT_NEIGH_SUPPRESS: b(BR_NEIGH_SUPPRESS),
    IFLA_BRPORT_ISOLATED: b(BR_ISOLATED),
    IFLA_BRPORT_VLAN_TUNNEL: b(BR_VLAN_TUNNEL),
    IFLA_BRPORT_LOCKED: 0,
  };
}

/** br_port_fill_slave_info() */
function br_port_fill_slave_info(dev: NetDevice): IflaBrportAttrs | null {
  const p = br_port_get(dev);
  return p ? br_port_fill_attrs(p) : null;
}

/** br_changelink() for the options modelled here (the values come in clock_t). */
function br_changelink(dev: NetDevice, data: IflaInfoData, extack: NetlinkExtAck): number {
  const br = netdev_priv_br(dev);
  if (!br) return 0;
  if (data.IFLA_BR_VLAN_FILTERING) {
    extack.msg = 'VLAN filtering is not supported by this simulator';
    return -EOPNOTSUPP;
  }
  if (data.IFLA_BR_FORWARD_DELAY !== undefined) br.forwardDelay = to_jiffies(br, data.IFLA_BR_FORWARD_DELAY);
  if (data.IFLA_BR_HELLO_TIME !== undefined) br.helloTime = to_jiffies(br, data.IFLA_BR_HELLO_TIME);
  if (data.IFLA_BR_MAX_AGE !== undefined) br.maxAge = to_jiffies(br, data.IFLA_BR_MAX_AGE);
  if (data.IFLA_BR_AGEING_TIME !== undefined) br.ageingTime = to_jiffies(br, data.IFLA_BR_AGEING_TIME);
  if (data.IFLA_BR_PRIORITY !== undefined) br.priority = data.IFLA_BR_PRIORITY;
  if (data.IFLA_BR_GROUP_FWD_MASK !== undefined) {
    if (data.IFLA_BR_GROUP_FWD_MASK & 0x7) {
      extack.msg = 'Invalid group_fwd_mask';
      return -EINVAL;
    }
    br.groupFwdMask = data.IFLA_BR_GROUP_FWD_MASK;
  }
  if (data.IFLA_BR_MCAST_SNOOPING !== undefined) br.mcastSnooping = data.IFLA_BR_MCAST_SNOOPING !== 0;
  if (data.IFLA_BR_STP_STATE !== undefined && data.IFLA_BR_STP_STATE !== 0) {
    extack.msg = 'STP is not supported by this simulator';
    return -EOPNOTSUPP;
  }
  return 0;
}

/** br_dev_newlink(): br_dev_setup, the options, register_netdevice, then the flags and a master. */
function br_dev_newlink(net: Net, req: LinkMsg, extack: NetlinkExtAck): number {
  const a = req.attrs;
  if (a.IFLA_ADDRESS && !is_valid_ether_addr(a.IFLA_ADDRESS)) return -EADDRNOTAVAIL;
  const name = a.IFLA_IFNAME ?? dev_alloc_name(net, 'bridge%d');
  const dev = br_dev_setup(name, a.IFLA_ADDRESS ?? eth_random_addr(net), a.IFLA_ADDRESS !== undefined);
  if (a.IFLA_MTU !== undefined) {
    if (a.IFLA_MTU < 68 || a.IFLA_MTU > 65535) return -EINVAL;
    dev.mtu = a.IFLA_MTU;
  }
  if (a.IFLA_TXQLEN !== undefined) dev.txQueueLen = a.IFLA_TXQLEN;
  if (a.IFLA_GROUP !== undefined) dev.group = a.IFLA_GROUP;
  if (a.IFLA_IFALIAS !== undefined) dev.alias = a.IFLA_IFALIAS;
  // br_changelink runs before the device is registered: its clock is the new namespace's
  dev.net = net;
  const data = a.IFLA_LINKINFO?.IFLA_INFO_DATA;
  if (data) {
    const err = br_changelink(dev, data, extack);
    if (err) return err;
  }
  const err = register_netdevice(net, dev, req.ifi.ifi_index);
  if (err) return err;
  br_dev_registered(dev);
  if (req.ifi.ifi_change) dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
  if (a.IFLA_MASTER) {
    // do_set_master() of the new device: as `ip link set` would
    return rtnl_newlink(
      net,
      {
        nlmsg_type: RTM_NEWLINK,
        nlmsg_flags: 0,
        ifi: { ...req.ifi, ifi_index: dev.ifindex, ifi_change: 0 },
        attrs: { IFLA_MASTER: a.IFLA_MASTER },
      },
      extack,
    );
  }
  return 0;
}

export const br_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'bridge',
  newlink: br_dev_newlink,
  changelink: br_changelink,
  fill_info: br_fill_info,
  fill_slave_info: br_port_fill_slave_info,
};

/** br_getlink() → br_fill_ifinfo(): a port as `bridge link` shows it. */
export function br_getlink(port: NetDevice): LinkMsg | null {
  const p = br_port_get(port);
  if (!p) return null;
  const attrs: IflaAttrs = {
    IFLA_IFNAME: port.name,
    IFLA_MASTER: p.br.dev.ifindex,
    IFLA_MTU: port.mtu,
    IFLA_ADDRESS: port.devAddr.slice(),
    IFLA_PROTINFO: br_port_fill_attrs(p),
  };
  // IFLA_LINK, without the peer's namespace id
  if (port.ops.kind === 'veth') attrs.IFLA_LINK = port.peer ? port.peer.ifindex : 0;
  return {
    nlmsg_type: RTM_NEWLINK,
    nlmsg_flags: NLM_F_MULTI,
    ifi: { ifi_family: AF_BRIDGE, ifi_type: port.type, ifi_index: port.ifindex, ifi_flags: dev_get_flags_of(port), ifi_change: 0 },
    attrs,
  };
}

const PORT_FLAGS: readonly (readonly [keyof IflaBrportAttrs, number])[] = [
  ['IFLA_BRPORT_MODE', BR_HAIRPIN_MODE],
  ['IFLA_BRPORT_GUARD', BR_BPDU_GUARD],
  ['IFLA_BRPORT_FAST_LEAVE', BR_MULTICAST_FAST_LEAVE],
  ['IFLA_BRPORT_PROTECT', BR_ROOT_BLOCK],
  ['IFLA_BRPORT_LEARNING', BR_LEARNING],
  ['IFLA_BRPORT_UNICAST_FLOOD', BR_FLOOD],
  ['IFLA_BRPORT_MCAST_FLOOD', BR_MCAST_FLOOD],
  ['IFLA_BRPORT_BCAST_FLOOD', BR_BCAST_FLOOD],
  ['IFLA_BRPORT_MCAST_TO_UCAST', BR_MULTICAST_TO_UNICAST],
  ['IFLA_BRPORT_NEIGH_SUPPRESS', BR_NEIGH_SUPPRESS],
  ['IFLA_BRPORT_VLAN_TUNNEL', BR_VLAN_TUNNEL],
  ['IFLA_BRPORT_ISOLATED', BR_ISOLATED],
];

/** br_setlink() → br_setport(): the flags, then cost, priority and state, each refusing as Linux does. */
export function br_setlink(port: NetDevice, attrs: IflaAttrs, _extack: NetlinkExtAck): number {
  const p = br_port_get(port);
  if (!p) return -EOPNOTSUPP;
  const tb = attrs.IFLA_PROTINFO;
  if (!tb) return 0;
  for (const [key, bit] of PORT_FLAGS) {
    const v = tb[key];
    if (v === undefined) continue;
    p.flags = v ? p.flags | bit : p.flags & ~bit;
  }
  if (tb.IFLA_BRPORT_COST !== undefined) {
    const cost = tb.IFLA_BRPORT_COST;
    if (cost < 1 || cost > 65535) return -EINVAL;
    p.pathCost = cost;
  }
  if (tb.IFLA_BRPORT_PRIORITY !== undefined) {
    if (tb.IFLA_BRPORT_PRIORITY > 63) return -ERANGE;
    p.priority = tb.IFLA_BRPORT_PRIORITY;
  }
  if (tb.IFLA_BRPORT_STATE !== undefined) {
    const err = br_set_port_state(p, tb.IFLA_BRPORT_STATE);
    if (err) return err === 22 ? -EINVAL : -ENETDOWN;
  }
  return 0;
}
