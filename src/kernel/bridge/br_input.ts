// net/bridge/br_input.c: the rx_handler of every port (br_handle_frame),
// learning and the forwarding decision (br_handle_frame_finish), and the way
// up through the bridge device (br_pass_frame_up).
import { kprobe } from '../trace/probe.ts';
import { netif_receive_skb } from '../core/dev.ts';
import { IFF_PROMISC, NET_RX_SUCCESS, type NetDevice, type RxHandlerResult } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_HOST, PACKET_LOOPBACK, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { br_fdb_find_at, br_fdb_update } from './br_fdb.ts';
import { br_flood, br_forward } from './br_forward.ts';
import { BR_NF_HOOK, NF_BR_LOCAL_IN, NF_BR_PRE_ROUTING } from './br_netfilter.ts';
import {
  BR_LEARNING,
  BR_NO_STP,
  BR_STATE_FORWARDING,
  BR_STATE_LEARNING,
  br_port_get,
  type BrPktType,
  ether_addr_equal,
  is_broadcast_ether_addr,
  is_link_local_ether_addr,
  is_multicast_ether_addr,
  is_valid_ether_addr,
  type NetBridge,
} from './br_private.ts';

type RxResult = { result: RxHandlerResult; skb: SkBuff | null };

/** br_netif_receive_skb(): the frame enters the stack again, on the bridge device. */
function br_netif_receive_skb(_net: Net, _sk: Sock | null, skb: SkBuff): number {
  return netif_receive_skb(skb);
}

/** br_pass_frame_up(): counts the bridge device's rx, then LOCAL_IN and netif_receive_skb on it. */
export function br_pass_frame_up(br: NetBridge, skb: SkBuff): number {
  const brdev = br.dev;
  kprobe(brdev.net, skb, 'br_pass_frame_up');
  brdev.stats.rx_packets++;
  brdev.stats.rx_bytes += skb.len;
  const indev = skb.dev as NetDevice;
  skb.dev = brdev;
  return BR_NF_HOOK(NF_BR_LOCAL_IN, indev.net, null, skb, indev, null, br_netif_receive_skb);
}

/** br_handle_frame_finish(): learn the source, then forward, flood and/or pass up. */
export function br_handle_frame_finish(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'br_handle_frame_finish');
  const p = br_port_get(skb.dev as NetDevice);
  if (!p) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'br_handle_frame_finish');
    return 0;
  }
  const br = p.br;
  const state = p.state;
  const b = skb.head;
  const mac = skb.macHeader;
  const vid = 0;
  if (p.flags & BR_LEARNING) br_fdb_update(br, p, b.subarray(mac + 6, mac + 12), vid, 0);
  const promisc = (br.dev.flags & IFF_PROMISC) !== 0;
  let localRcv = promisc;
  let pktType: BrPktType = 'UNICAST';
  if (is_multicast_ether_addr(b, mac)) {
    if (is_broadcast_ether_addr(b, mac)) {
      pktType = 'BROADCAST';
      localRcv = true;
    } else {
      pktType = 'MULTICAST';
    }
  }
  if (state === BR_STATE_LEARNING) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.BRIDGE_INGRESS_STP_STATE, 'br_handle_frame_finish');
    return 0;
  }
  let dst = null;
  if (pktType === 'MULTICAST') {
    // br_multicast_rcv learned nothing (no querier): the frame floods and goes up
    localRcv = true;
    br.dev.stats.multicast++;
  } else if (pktType === 'UNICAST') {
    dst = br_fdb_find_at(br, b, mac, vid) ?? null;
  }
  if (dst) {
    if (dst.isLocal) return br_pass_frame_up(br, skb);
    dst.used = net.kernel.jiffies();
    br_forward(dst.dst, skb, localRcv, false);
  } else {
    br_flood(br, skb, pktType, localRcv, false);
  }
  if (localRcv) return br_pass_frame_up(br, skb);
  return 0;
}

/** br_handle_local_finish(): a link-local frame the bridge does not forward still teaches the fdb. */
function br_handle_local_finish(_net: Net, _sk: Sock | null, skb: SkBuff): number {
  const p = br_port_get(skb.dev as NetDevice);
  if (p) {
    const mac = skb.macHeader;
    br_fdb_update(p.br, p, skb.head.subarray(mac + 6, mac + 12), 0, 0);
  }
  return 1;
}

/** br_handle_frame(): rx_handler of a bridge port. */
export function br_handle_frame(skb: SkBuff): RxResult {
  if (skb.pktType === PACKET_LOOPBACK) return { result: 'PASS', skb };
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'br_handle_frame');
  const b = skb.head;
  const mac = skb.macHeader;
  if (!is_valid_ether_addr(b, mac + 6)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.MAC_INVALID_SOURCE, 'br_handle_frame');
    return { result: 'CONSUMED', skb: null };
  }
  const p = br_port_get(dev);
  if (!p) return { result: 'PASS', skb };
  const br = p.br;
  let forward = false;
  if (is_link_local_ether_addr(b, mac)) {
    const last = b[mac + 5] as number;
    let fwdMask = 0;
    if (last === 0x00) {
      // Bridge Group Address: forwarded when STP is off
      if (br.stpEnabled === BR_NO_STP || fwdMask & (1 << last)) forward = true;
      else {
        br_handle_local_finish(net, null, skb);
        return { result: 'PASS', skb };
      }
    } else if (last === 0x01) {
      kfree_skb_reason(net, skb, SKB_DROP_REASON.MAC_IEEE_MAC_CONTROL, 'br_handle_frame');
      return { result: 'CONSUMED', skb: null };
    } else if (last === 0x0e) {
      fwdMask |= br.groupFwdMask;
      if (fwdMask & (1 << last)) forward = true;
      else {
        br_handle_local_finish(net, null, skb);
        return { result: 'PASS', skb };
      }
    } else {
      fwdMask |= br.groupFwdMask;
      if (fwdMask & (1 << last)) forward = true;
    }
    if (!forward) {
      const r = BR_NF_HOOK(NF_BR_LOCAL_IN, net, null, skb, dev, null, br_handle_local_finish);
      return r === 1 ? { result: 'PASS', skb } : { result: 'CONSUMED', skb: null };
    }
  }
  if (p.state === BR_STATE_FORWARDING || p.state === BR_STATE_LEARNING) {
    if (ether_addr_equal(br.dev.devAddr, b, mac)) skb.pktType = PACKET_HOST;
    // nf_hook_bridge_pre(): the PRE_ROUTING entries, then br_handle_frame_finish
    BR_NF_HOOK(NF_BR_PRE_ROUTING, net, null, skb, dev, null, br_handle_frame_finish);
    return { result: 'CONSUMED', skb: null };
  }
  kfree_skb_reason(net, skb, SKB_DROP_REASON.BRIDGE_INGRESS_STP_STATE, 'br_handle_frame');
  return { result: 'CONSUMED', skb: null };
}

export { NET_RX_SUCCESS };
