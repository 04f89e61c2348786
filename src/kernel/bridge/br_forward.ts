// net/bridge/br_forward.c: delivery to one port (br_forward), to all of them
// (br_flood), and the last steps before the port's dev_queue_xmit.
import { kprobe } from '../trace/probe.ts';
import { dev_queue_xmit } from '../core/dev.ts';
import { ETH_HLEN } from '../core/eth.ts';
import { IFF_UP, type NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { BR_NF_HOOK, NF_BR_FORWARD, NF_BR_LOCAL_OUT, NF_BR_POST_ROUTING, nf_bridge_reset } from './br_netfilter.ts';
import {
  BR_BCAST_FLOOD,
  BR_FLOOD,
  BR_HAIRPIN_MODE,
  BR_MCAST_FLOOD,
  BR_PROXYARP,
  BR_STATE_FORWARDING,
  type BrPktType,
  type NetBridge,
  type NetBridgePort,
} from './br_private.ts';

/** should_deliver(): not back out of the ingress port (unless hairpin), and only to a forwarding port. */
function should_deliver(p: NetBridgePort, skb: SkBuff): boolean {
  return ((p.flags & BR_HAIRPIN_MODE) !== 0 || skb.dev !== p.dev) && p.state === BR_STATE_FORWARDING;
}

/** is_skb_forwardable() */
function is_skb_forwardable(dev: NetDevice, skb: SkBuff): boolean {
  if (!(dev.flags & IFF_UP)) return false;
  return skb.len <= dev.mtu + dev.hardHeaderLen + 4;
}

/** br_dev_queue_push_xmit(): back to a whole frame, then the port's queue. */
export function br_dev_queue_push_xmit(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'br_dev_queue_push_xmit');
  skb.push(ETH_HLEN);
  const dev = skb.dev as NetDevice;
  if (!is_skb_forwardable(dev, skb)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'br_dev_queue_push_xmit');
    return 0;
  }
  skb.resetMacHeader();
  skb.networkHeader = skb.data + ETH_HLEN;
  nf_bridge_reset(skb);
  dev_queue_xmit(skb);
  return 0;
}

/** br_forward_finish(): POST_ROUTING, then br_dev_queue_push_xmit. */
export function br_forward_finish(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'br_forward_finish');
  skb.tstamp = 0;
  return BR_NF_HOOK(NF_BR_POST_ROUTING, net, sk, skb, null, skb.dev, br_dev_queue_push_xmit);
}

/** __br_forward(): FORWARD (or LOCAL_OUT for what the bridge device sent), then br_forward_finish. */
function __br_forward(to: NetBridgePort, skb: SkBuff, localOrig: boolean): void {
  kprobe(to.dev.net, skb, '__br_forward');
  let indev = skb.dev;
  skb.dev = to.dev;
  let hook: number;
  let net: Net;
  if (!localOrig) {
    hook = NF_BR_FORWARD;
    net = (indev as NetDevice).net;
  } else {
    hook = NF_BR_LOCAL_OUT;
    net = to.dev.net;
    indev = null;
  }
  BR_NF_HOOK(hook, net, null, skb, indev, skb.dev, br_forward_finish);
}

/** deliver_clone(): the frame also goes elsewhere; this port gets a clone. */
function deliver_clone(prev: NetBridgePort, skb: SkBuff, localOrig: boolean): void {
  const c = skb.clone();
  __br_forward(prev, c, localOrig);
}

/** br_forward(): to one known port. Takes ownership of skb unless localRcv. */
export function br_forward(to: NetBridgePort | null, skb: SkBuff, localRcv: boolean, localOrig: boolean): void {
  if (to && should_deliver(to, skb)) {
    if (localRcv) deliver_clone(to, skb, localOrig);
    else __br_forward(to, skb, localOrig);
    return;
  }
  if (!localRcv) kfree_skb_reason((skb.dev as NetDevice).net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'br_forward');
}

/** maybe_deliver(): clones to the previous candidate, returns the new one. */
function maybe_deliver(prev: NetBridgePort | null, p: NetBridgePort, skb: SkBuff, localOrig: boolean): NetBridgePort | null {
  if (!should_deliver(p, skb)) return prev;
  if (prev) deliver_clone(prev, skb, localOrig);
  return p;
}

/** br_flood(): to every port that floods this kind of frame. Takes ownership of skb unless localRcv. */
export function br_flood(br: NetBridge, skb: SkBuff, pktType: BrPktType, localRcv: boolean, localOrig: boolean): void {
  kprobe(br.dev.net, skb, 'br_flood');
  let prev: NetBridgePort | null = null;
  for (const p of br.ports) {
    if (pktType === 'UNICAST' && !(p.flags & BR_FLOOD)) continue;
    if (pktType === 'MULTICAST' && !(p.flags & BR_MCAST_FLOOD) && skb.dev !== br.dev) continue;
    if (pktType === 'BROADCAST' && !(p.flags & BR_BCAST_FLOOD) && skb.dev !== br.dev) continue;
    if (p.flags & BR_PROXYARP) continue;
    prev = maybe_deliver(prev, p, skb, localOrig);
  }
  if (!prev) {
    if (!localRcv) kfree_skb_reason((skb.dev as NetDevice).net, skb, SKB_DROP_REASON.NO_TX_TARGET, 'br_flood');
    return;
  }
  if (localRcv) deliver_clone(prev, skb, localOrig);
  else __br_forward(prev, skb, localOrig);
}
