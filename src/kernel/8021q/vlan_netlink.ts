// net/8021q/vlan_netlink.c: `ip link add link DEV name N type vlan id VID …`
// (vlan_validate, vlan_newlink, vlan_changelink) and what a dump says of a
// VLAN device (vlan_fill_info). Messages carry the module's "8021q: " prefix
// (NL_SET_ERR_MSG_MOD).
import type { Net } from '../net_namespace.ts';
import type { NetDevice } from '../core/netdevice.ts';
import {
  dev_alloc_name,
  dev_change_flags,
  is_valid_ether_addr,
  type NetlinkExtAck,
  register_netdevice,
  type RtnlLinkOps,
  rtmsg_ifinfo,
} from '../core/rtnetlink.ts';
import type { IflaInfoData, IflaVlanQosMapping, LinkMsg } from '../uapi/rtnetlink.ts';
import { EADDRNOTAVAIL, EEXIST, EINVAL, ENODEV, EOPNOTSUPP, EPROTONOSUPPORT, ERANGE } from '../uapi/errno.ts';
import { IFF_LOOPBACK } from '../uapi/if.ts';
import {
  ETH_P_8021AD,
  ETH_P_8021Q,
  VLAN_FLAG_BRIDGE_BINDING,
  VLAN_FLAG_GVRP,
  VLAN_FLAG_LOOSE_BINDING,
  VLAN_FLAG_MVRP,
  VLAN_FLAG_REORDER_HDR,
  VLAN_PRIO_SHIFT,
  VLAN_VID_MASK,
  vlan_find_dev,
} from './vlan_core.ts';
import { vlan_dev_priv, vlan_group_add, vlan_setup } from './vlan_dev.ts';

const VLAN_FLAGS_ALL = VLAN_FLAG_REORDER_HDR | VLAN_FLAG_GVRP | VLAN_FLAG_LOOSE_BINDING | VLAN_FLAG_MVRP | VLAN_FLAG_BRIDGE_BINDING;

function err(extack: NetlinkExtAck, msg: string, errno: number): number {
  extack.msg = `8021q: ${msg}`;
  return -errno;
}

/** vlan_validate() */
function vlan_validate(req: LinkMsg, data: IflaInfoData | undefined, extack: NetlinkExtAck): number {
  const a = req.attrs;
  if (a.IFLA_ADDRESS) {
    if (a.IFLA_ADDRESS.length !== 6) return err(extack, 'Invalid link address', EINVAL);
    if (!is_valid_ether_addr(a.IFLA_ADDRESS)) return err(extack, 'Invalid link address', EADDRNOTAVAIL);
  }
  if (!data) return err(extack, 'VLAN properties not specified', EINVAL);
  const p = data.IFLA_VLAN_PROTOCOL;
  if (p !== undefined && p !== ETH_P_8021Q && p !== ETH_P_8021AD) return err(extack, 'Invalid VLAN protocol', EPROTONOSUPPORT);
  if (data.IFLA_VLAN_ID !== undefined && data.IFLA_VLAN_ID >= VLAN_VID_MASK) return err(extack, 'Invalid VLAN id', ERANGE);
  const f = data.IFLA_VLAN_FLAGS;
  if (f && f.flags & f.mask & ~VLAN_FLAGS_ALL) return err(extack, 'Invalid VLAN flags', EINVAL);
  return 0;
}

/** vlan_dev_set_egress_priority(): skb->priority `from` → the TCI's priority `to`. */
function set_egress(dev: NetDevice, m: IflaVlanQosMapping): void {
  const vlan = vlan_dev_priv(dev);
  const qos = (m.to << VLAN_PRIO_SHIFT) & 0xe000;
  const cur = vlan.egress.find((e) => e.priority === m.from);
  if (cur) cur.vlan_qos = qos;
  else vlan.egress.push({ priority: m.from, vlan_qos: qos });
}

/** vlan_changelink(): flags (vlan_dev_change_flags), then the QoS maps. */
function vlan_changelink(dev: NetDevice, data: IflaInfoData, _extack: NetlinkExtAck): number {
  const vlan = vlan_dev_priv(dev);
  const f = data.IFLA_VLAN_FLAGS;
  if (f) {
    if (f.mask & ~VLAN_FLAGS_ALL) return -EINVAL;
    vlan.flags = (vlan.flags & ~f.mask) | (f.flags & f.mask);
  }
  for (const m of data.IFLA_VLAN_INGRESS_QOS ?? []) {
    // vlan_dev_set_ingress_priority(dev, skb_prio = to, vlan_prio = from)
    vlan.ingress_priority_map[m.from & 7] = m.to;
    vlan.nr_ingress_mappings = vlan.ingress_priority_map.filter((x) => x !== 0).length;
  }
  for (const m of data.IFLA_VLAN_EGRESS_QOS ?? []) set_egress(dev, m);
  return 0;
}

/** vlan_check_real_dev() */
function vlan_check_real_dev(real: NetDevice, proto: number, vid: number, extack: NetlinkExtAck): number {
  // NETIF_F_VLAN_CHALLENGED: loopback
  if (real.flags & IFF_LOOPBACK) return err(extack, `VLANs not supported on ${real.name}`, EOPNOTSUPP);
  if (vlan_find_dev(real, proto, vid)) return err(extack, 'VLAN device already exists', EEXIST);
  return 0;
}

/** vlan_validate() + vlan_newlink() + register_vlan_dev() */
function vlan_newlink(src: Net, req: LinkMsg, extack: NetlinkExtAck): number {
  const a = req.attrs;
  const data = a.IFLA_LINKINFO?.IFLA_INFO_DATA;
  let e = vlan_validate(req, data, extack);
  if (e) return e;
  if (data?.IFLA_VLAN_ID === undefined) return err(extack, 'VLAN id not specified', EINVAL);
  if (a.IFLA_LINK === undefined) return err(extack, 'link not specified', EINVAL);
  const real = src.devByIndex.get(a.IFLA_LINK);
  if (!real) return err(extack, 'link does not exist', ENODEV);
  const net = a.IFLA_NET_NS_FD ?? src;
  const name = a.IFLA_IFNAME ?? dev_alloc_name(net, 'vlan%d');
  if (net.devByName.has(name)) return -EEXIST;
  const proto = data.IFLA_VLAN_PROTOCOL ?? ETH_P_8021Q;
  const vid = data.IFLA_VLAN_ID;
  e = vlan_check_real_dev(real, proto, vid, extack);
  if (e) return e;
  const dev = vlan_setup(net, name, real, proto, vid);
  if (a.IFLA_MTU !== undefined) {
    if (a.IFLA_MTU > real.mtu) return -EINVAL;
    dev.mtu = a.IFLA_MTU;
  }
  if (a.IFLA_ADDRESS) {
    dev.devAddr.set(a.IFLA_ADDRESS);
    dev.addrSet = true;
  }
  if (a.IFLA_TXQLEN !== undefined) dev.txQueueLen = a.IFLA_TXQLEN;
  if (a.IFLA_GROUP !== undefined) dev.group = a.IFLA_GROUP;
  if (a.IFLA_IFALIAS !== undefined) dev.alias = a.IFLA_IFALIAS;
  e = vlan_changelink(dev, data, extack);
  if (e) return e;
  e = register_netdevice(net, dev, req.ifi.ifi_index);
  if (e) return e;
  vlan_group_add(dev);
  if (req.ifi.ifi_change) dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
  rtmsg_ifinfo(dev);
  return 0;
}

/** vlan_fill_info(): protocol, id, flags with a full mask, and the QoS maps that have entries. */
function vlan_fill_info(dev: NetDevice): IflaInfoData {
  const vlan = vlan_dev_priv(dev);
  const d: IflaInfoData = {
    IFLA_VLAN_PROTOCOL: vlan.vlan_proto,
    IFLA_VLAN_ID: vlan.vlan_id,
    IFLA_VLAN_FLAGS: { flags: vlan.flags, mask: 0xffffffff },
  };
  if (vlan.nr_ingress_mappings) {
    d.IFLA_VLAN_INGRESS_QOS = [];
    vlan.ingress_priority_map.forEach((to, from) => {
      if (to) d.IFLA_VLAN_INGRESS_QOS?.push({ from, to });
    });
  }
  const egress = vlan.egress.filter((e) => e.vlan_qos);
  if (egress.length) {
    // egress_priority_map[priority & 0xF], each bucket newest first
    const order = egress.map((e, i) => ({ e, i })).sort((x, y) => (x.e.priority & 15) - (y.e.priority & 15) || y.i - x.i);
    d.IFLA_VLAN_EGRESS_QOS = order.map(({ e }) => ({ from: e.priority, to: (e.vlan_qos >> VLAN_PRIO_SHIFT) & 7 }));
  }
  return d;
}

export const vlan_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'vlan',
  newlink: vlan_newlink,
  changelink: vlan_changelink,
  fill_info: vlan_fill_info,
};
