// net/8021q/vlan_dev.c and vlan.c: the VLAN device. It sends through its
// real device with the tag as metadata (vlan_dev_hard_start_xmit →
// __vlan_hwaccel_put_tag; validate_xmit_vlan writes it into the frame for a
// real device without NETIF_F_HW_VLAN_CTAG_TX), takes its flags, address
// and carrier from the real device, and follows it: down with it unless
// loose_binding, gone with it (vlan_device_event).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { dev_queue_xmit, netdev_upper_dev_link, netdev_upper_dev_unlink } from '../core/dev.ts';
import {
  IFF_ALLMULTI,
  IFF_MASTER,
  IFF_PROMISC,
  IFF_SLAVE,
  IFF_UP,
  NET_XMIT_CN,
  NET_XMIT_SUCCESS,
  NetDevice,
  type NetDeviceOps,
} from '../core/netdevice.ts';
import { dev_change_flags, netif_carrier_set, type NetdevEvent, unregister_netdevice } from '../core/rtnetlink.ts';
import {
  ETH_P_8021Q,
  VLAN_FLAG_LOOSE_BINDING,
  VLAN_FLAG_REORDER_HDR,
  type VlanDevPriv,
  __vlan_hwaccel_put_tag,
  vlan_grp_key,
} from './vlan_core.ts';
import { rd16 } from '../../wire/bytes.ts';

export function vlan_dev_priv(dev: NetDevice): VlanDevPriv {
  return dev.priv as VlanDevPriv;
}

export function is_vlan_dev(dev: NetDevice): boolean {
  return dev.ops === vlanNetdevOps;
}

/** vlan_dev_get_egress_qos_mask() */
function vlan_dev_get_egress_qos_mask(vlan: VlanDevPriv, priority: number): number {
  for (const m of vlan.egress) if (m.priority === priority) return m.vlan_qos;
  return 0;
}

/** vlan_dev_hard_start_xmit(): the tag as metadata, then the real device's dev_queue_xmit(). */
function vlan_dev_hard_start_xmit(skb: SkBuff, dev: NetDevice): number {
  kprobe(dev.net, skb, 'vlan_dev_hard_start_xmit');
  const vlan = vlan_dev_priv(dev);
  // a frame that is not already tagged with our protocol (DHCP's raw frames are not)
  if (vlan.flags & VLAN_FLAG_REORDER_HDR || skb.len < 14 || rd16(skb.head, skb.data + 12) !== vlan.vlan_proto) {
    const tci = vlan.vlan_id | vlan_dev_get_egress_qos_mask(vlan, skb.priority);
    __vlan_hwaccel_put_tag(skb, vlan.vlan_proto, tci);
  }
  skb.dev = vlan.real_dev;
  const len = skb.len;
  const ret = dev_queue_xmit(skb);
  if (ret === NET_XMIT_SUCCESS || ret === NET_XMIT_CN) {
    // vlan_pcpu_stats, as vlan_dev_get_stats64() reports them
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += len;
  } else dev.stats.tx_dropped++;
  return ret;
}

/** netif_stacked_transfer_operstate(): the real device's carrier. */
function transfer_operstate(real: NetDevice, dev: NetDevice): void {
  netif_carrier_set(dev, real.carrier);
}

/** vlan_dev_open(): the real device must be up (unless loose_binding); the carrier follows it. */
function vlan_dev_open(dev: NetDevice): void {
  transfer_operstate(vlan_dev_priv(dev).real_dev, dev);
}

/** vlan_dev_stop(): the carrier goes with it. */
function vlan_dev_stop(dev: NetDevice): void {
  netif_carrier_set(dev, false);
}

export const vlanNetdevOps: Readonly<NetDeviceOps> = {
  kind: 'vlan',
  ndo_start_xmit: vlan_dev_hard_start_xmit,
  ndo_open: vlan_dev_open,
  ndo_stop: vlan_dev_stop,
  ndo_get_iflink: (dev) => vlan_dev_priv(dev).real_dev.ifindex,
  ndo_offloads: () => ({ tso: true, csum: true }),
  // lltx and IFF_NO_QUEUE: the real device's queue is the one that counts
};

/** vlan_setup() + vlan_dev_init(): flags, address, broadcast and MTU from the real device. */
export function vlan_setup(net: Net, name: string, real: NetDevice, proto: number, vid: number): NetDevice {
  const d = new NetDevice(name, vlanNetdevOps);
  void net;
  d.noQueue = true;
  d.txQueueLen = 1000; // ether_setup()
  d.flags = real.flags & ~(IFF_UP | IFF_PROMISC | IFF_ALLMULTI | IFF_MASTER | IFF_SLAVE);
  d.carrier = false;
  d.devAddr.set(real.devAddr);
  d.broadcast.set(real.broadcast);
  d.mtu = real.mtu;
  d.minMtu = 0;
  d.maxMtu = 65535; // ETH_MAX_MTU
  // netif_inherit_tso_max()
  d.tsoMaxSize = real.tsoMaxSize;
  d.hardHeaderLen = real.hardHeaderLen;
  d.priv = {
    vlan_proto: proto,
    vlan_id: vid,
    flags: VLAN_FLAG_REORDER_HDR,
    real_dev: real,
    ingress_priority_map: [0, 0, 0, 0, 0, 0, 0, 0],
    nr_ingress_mappings: 0,
    egress: [],
  } satisfies VlanDevPriv;
  return d;
}

/** register_vlan_dev(): into real_dev->vlan_info (vlan_group_set_device). */
export function vlan_group_add(dev: NetDevice): void {
  const vlan = vlan_dev_priv(dev);
  const real = vlan.real_dev;
  if (!real.vlanInfo) real.vlanInfo = new Map();
  real.vlanInfo.set(vlan_grp_key(vlan.vlan_proto, vlan.vlan_id), dev);
  netdev_upper_dev_link(real, dev);
  // netif_stacked_transfer_operstate() at registration
  transfer_operstate(real, dev);
}

/** unregister_vlan_dev() */
export function vlan_group_del(dev: NetDevice): void {
  const vlan = vlan_dev_priv(dev);
  vlan.real_dev.vlanInfo?.delete(vlan_grp_key(vlan.vlan_proto, vlan.vlan_id));
  netdev_upper_dev_unlink(vlan.real_dev, dev);
}

/** vlan_device_event(): a real device's VLANs follow its carrier, its going down and away. */
export function vlan_device_event(event: NetdevEvent, dev: NetDevice): void {
  if (is_vlan_dev(dev) && event === 'UNREGISTER') {
    vlan_group_del(dev);
    return;
  }
  const grp = dev.vlanInfo;
  if (!grp || grp.size === 0) return;
  const vlans = [...grp.values()];
  switch (event) {
    case 'CHANGE':
      for (const v of vlans) if (v.isUp) transfer_operstate(dev, v);
      break;
    case 'DOWN':
      for (const v of vlans) {
        if (vlan_dev_priv(v).flags & VLAN_FLAG_LOOSE_BINDING) transfer_operstate(dev, v);
        else if (v.isUp) dev_change_flags(v, v.flags & ~IFF_UP, IFF_UP);
      }
      break;
    case 'UP':
      // all VLANs of the device come up with it (but loose-bound ones)
      for (const v of vlans) {
        if (v.isUp) continue;
        if (!(vlan_dev_priv(v).flags & VLAN_FLAG_LOOSE_BINDING)) dev_change_flags(v, v.flags | IFF_UP, IFF_UP);
        transfer_operstate(dev, v);
      }
      break;
    case 'UNREGISTER':
      for (const v of vlans) if (v.net.devByIndex.get(v.ifindex) === v) unregister_netdevice(v);
      dev.vlanInfo = null;
      break;
  }
}

export { ETH_P_8021Q };
