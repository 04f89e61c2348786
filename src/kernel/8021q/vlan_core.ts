// net/8021q/vlan_core.c and include/linux/if_vlan.h: the tag as skb metadata
// (skb->vlan_proto, skb->vlan_tci), moving it into and out of the frame, and
// vlan_do_receive(), which __netif_receive_skb_core() calls for a tagged skb.
import type { NetDevice } from '../core/netdevice.ts';
import { PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST, type SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { rd16, wr16 } from '../../wire/bytes.ts';
import { ETH_P_8021AD, ETH_P_8021Q, VLAN_HLEN } from '../../wire/ethernet.ts';

export { ETH_P_8021AD, ETH_P_8021Q, VLAN_HLEN };
/** VLAN_VID_MASK */
export const VLAN_VID_MASK = 0x0fff;
/** VLAN_PRIO_SHIFT */
export const VLAN_PRIO_SHIFT = 13;
/** ETH_ALEN * 2: the two addresses a tag goes after */
const ETH_ADDRS = 12;

/** struct vlan_dev_priv (net/8021q/vlan.h) */
export interface VlanDevPriv {
  vlan_proto: number;
  vlan_id: number;
  /** VLAN_FLAG_* */
  flags: number;
  real_dev: NetDevice;
  /** ingress_priority_map[8]: the TCI's priority → skb->priority */
  ingress_priority_map: number[];
  nr_ingress_mappings: number;
  /** egress_priority_map: skb->priority → vlan_qos (priority << 13), in the order they were set */
  egress: { priority: number; vlan_qos: number }[];
}

/** The key of a device in real_dev->vlan_info->grp: the protocol's slot and the VID. */
export function vlan_grp_key(proto: number, vid: number): number {
  return (proto === ETH_P_8021AD ? 1 : 0) * 4096 + vid;
}

/** vlan_find_dev(): the VLAN device on `dev` for this protocol and VID. */
export function vlan_find_dev(dev: NetDevice, proto: number, vid: number): NetDevice | undefined {
  return dev.vlanInfo?.get(vlan_grp_key(proto, vid));
}

/** __vlan_hwaccel_put_tag() */
export function __vlan_hwaccel_put_tag(skb: SkBuff, proto: number, tci: number): void {
  skb.vlanPresent = true;
  skb.vlanProto = proto;
  skb.vlanTci = tci;
}

/** __vlan_hwaccel_clear_tag() */
export function __vlan_hwaccel_clear_tag(skb: SkBuff): void {
  skb.vlanPresent = false;
  skb.vlanProto = 0;
  skb.vlanTci = 0;
}

/**
 * vlan_insert_tag(): the tag into the frame after the two addresses; skb->data
 * is at the MAC header and stays there (skb_push of VLAN_HLEN, memmove of the addresses).
 */
export function vlan_insert_tag(skb: SkBuff, proto: number, tci: number): void {
  skb.unshare();
  const at = skb.push(VLAN_HLEN);
  const b = skb.head;
  b.copyWithin(at, at + VLAN_HLEN, at + VLAN_HLEN + ETH_ADDRS);
  wr16(b, at + ETH_ADDRS, proto);
  wr16(b, at + ETH_ADDRS + 2, tci);
  skb.macHeader = at;
}

/** __vlan_hwaccel_push_inside() (validate_xmit_vlan for a device without NETIF_F_HW_VLAN_*_TX): the metadata becomes bytes. */
export function __vlan_hwaccel_push_inside(skb: SkBuff): void {
  vlan_insert_tag(skb, skb.vlanProto, skb.vlanTci);
  skb.protocol = skb.vlanProto;
  __vlan_hwaccel_clear_tag(skb);
}

/**
 * skb_vlan_untag() → skb_reorder_vlan_header(): a tag in the frame becomes
 * metadata; skb->data (past the Ethernet header) moves past the tag and the
 * two addresses move up to meet it. false when the frame is too short.
 */
export function skb_vlan_untag(skb: SkBuff): boolean {
  if (!skb.mayPull(VLAN_HLEN + 2)) return false;
  skb.unshare();
  const b = skb.head;
  const proto = skb.protocol;
  const tci = rd16(b, skb.data);
  skb.protocol = rd16(b, skb.data + 2);
  skb.pull(VLAN_HLEN);
  const mac = skb.data - VLAN_HLEN - 14;
  b.copyWithin(mac + VLAN_HLEN, mac, mac + ETH_ADDRS);
  skb.macHeader = mac + VLAN_HLEN;
  skb.macLen = 14;
  skb.resetNetworkHeader();
  skb.resetTransportHeader();
  __vlan_hwaccel_put_tag(skb, proto, tci);
  return true;
}

/**
 * What a packet socket's reader sees of a tagged skb: libpcap puts the tag
 * the kernel reports in tp_vlan_tci/tp_vlan_tpid (PACKET_AUXDATA,
 * TP_STATUS_VLAN_VALID) back into the frame. A copy, the metadata cleared.
 */
export function vlan_tap_copy(skb: SkBuff): SkBuff {
  const c = skb.copy();
  const off = c.data - (c.macHeader >= 0 ? c.macHeader : c.data);
  if (off > 0) c.push(off);
  vlan_insert_tag(c, skb.vlanProto, skb.vlanTci);
  c.pull(off);
  __vlan_hwaccel_clear_tag(c);
  return c;
}

/** vlan_get_ingress_priority() */
function vlan_get_ingress_priority(vlan: VlanDevPriv, tci: number): number {
  return vlan.ingress_priority_map[(tci >> VLAN_PRIO_SHIFT) & 7] ?? 0;
}

/**
 * vlan_do_receive(): the VLAN device of the tag takes the skb (true: another
 * round of __netif_receive_skb_core on it); false when none does; null when
 * it was freed (the VLAN device is down).
 */
export function vlan_do_receive(skb: SkBuff): boolean | null {
  const dev = skb.dev as NetDevice;
  const vlanDev = vlan_find_dev(dev, skb.vlanProto, skb.vlanTci & VLAN_VID_MASK);
  if (!vlanDev) return false;
  kprobe(dev.net, skb, 'vlan_do_receive');
  if (!vlanDev.isUp) {
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'vlan_do_receive', () => `${vlanDev.name} is down`);
    return null;
  }
  const vlan = vlanDev.priv as VlanDevPriv;
  skb.dev = vlanDev;
  if (skb.pktType === PACKET_OTHERHOST) {
    // the lower device thought it was not local: the VLAN device may have another address
    const mac = skb.macHeader;
    const b = skb.head;
    let same = true;
    for (let i = 0; i < 6; i++) if (b[mac + i] !== vlanDev.devAddr[i]) same = false;
    if (same) skb.pktType = PACKET_HOST;
  }
  if (!(vlan.flags & VLAN_FLAG_REORDER_HDR)) {
    // the tag goes back into the frame: the stack above sees the 802.1Q header
    const off = skb.data - skb.macHeader;
    skb.push(off);
    vlan_insert_tag(skb, skb.vlanProto, skb.vlanTci);
    skb.pull(off + VLAN_HLEN);
    skb.macLen = 14;
  }
  skb.priority = vlan_get_ingress_priority(vlan, skb.vlanTci);
  __vlan_hwaccel_clear_tag(skb);
  // vlan_pcpu_stats, as vlan_dev_get_stats64() reports them
  vlanDev.stats.rx_packets++;
  vlanDev.stats.rx_bytes += skb.len;
  if (skb.pktType === PACKET_MULTICAST) vlanDev.stats.multicast++;
  return true;
}

// include/uapi/linux/if_vlan.h: enum vlan_flags
export const VLAN_FLAG_REORDER_HDR = 0x1;
export const VLAN_FLAG_GVRP = 0x2;
export const VLAN_FLAG_LOOSE_BINDING = 0x4;
export const VLAN_FLAG_MVRP = 0x8;
export const VLAN_FLAG_BRIDGE_BINDING = 0x10;
