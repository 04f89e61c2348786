// net/bridge/br_netfilter_hooks.c (CONFIG_BRIDGE_NETFILTER=y): the bridge
// hooks, and the IPv4/ARP hooks bridged frames also cross when
// net.bridge.bridge-nf-call-iptables (-arptables) is 1.
//
// In Linux br_nf_pre_routing & co. are entries in the NFPROTO_BRIDGE lists
// (priority 0 or INT_MAX); here they run after the bridge list's entries,
// which is the same order while no ebtables rule sits behind them.
import { ETH_P_ARP, ETH_P_IP, type NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import {
  NF_ACCEPT,
  NF_ARP_FORWARD,
  NF_HOOK,
  NF_INET_FORWARD,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NF_STOP,
  NFPROTO_ARP,
  NFPROTO_BRIDGE,
  type NfHookEntry,
  type NfHookState,
  type Okfn,
} from '../netfilter/core.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { br_port_get } from './br_private.ts';

export const NF_BR_PRE_ROUTING = 0;
export const NF_BR_LOCAL_IN = 1;
export const NF_BR_FORWARD = 2;
export const NF_BR_LOCAL_OUT = 3;
export const NF_BR_POST_ROUTING = 4;

/**
 * skb->nf_bridge: set by br_nf_pre_routing in the bridge's namespace, kept by
 * clones, reset when the frame leaves through a port (veth's skb_scrub_packet).
 */
export interface NfBridgeInfo {
  net: Net;
  inPrerouting: boolean;
  /** physinif: the port the frame came in by (nf_bridge_get_physindev). */
  physindev: NetDevice | null;
  /** physoutdev: the port it leaves by, set at the bridge's FORWARD hook. */
  physoutdev: NetDevice | null;
  /** ip_sabotage_in() has let it through once. */
  sabotageInDone: boolean;
}

/** skb_ext_reset(): the frame left the bridge through a port. */
export function nf_bridge_reset(skb: SkBuff): void {
  skb.nfBridge = null;
}

/**
 * ip_sabotage_in() at IPv4 PRE_ROUTING (NF_IP_PRI_FIRST): a frame that
 * already crossed PRE_ROUTING as a bridged frame does not cross it again when
 * it goes up the bridge device to ip_rcv.
 */
const ipSabotageIn: Readonly<NfHookEntry> = {
  priority: -2147483648,
  name: 'ip_sabotage_in',
  hook(skb: SkBuff, state: NfHookState): number {
    const i = skb.nfBridge;
    if (i && i.net === state.net) {
      if (i.sabotageInDone) return NF_ACCEPT;
      if (!i.inPrerouting) {
        // the rest of PRE_ROUTING is skipped; the info stays for INPUT (physdev)
        i.sabotageInDone = true;
        return NF_STOP;
      }
    }
    return NF_ACCEPT;
  },
};

/** brnf_device_event(NETDEV_REGISTER) of a netns's first bridge: br_nf_ops go in. */
export function br_nf_register(net: Net): void {
  if (net.brNfRegistered) return;
  net.brNfRegistered = true;
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_PRE_ROUTING, ipSabotageIn);
}

function callIptables(net: Net): boolean {
  return net.sysctl.get('net.bridge.bridge-nf-call-iptables') === '1';
}

function callArptables(net: Net): boolean {
  return net.sysctl.get('net.bridge.bridge-nf-call-arptables') === '1';
}

/**
 * br_nf_pre_routing → NF_HOOK(IPV4, PRE_ROUTING, br_nf_pre_routing_finish);
 * br_nf_forward → NF_HOOK(IPV4|ARP, FORWARD, br_nf_forward_finish);
 * br_nf_post_routing → NF_HOOK(IPV4, POST_ROUTING, br_nf_dev_queue_xmit).
 */
function br_nf_hook(
  hook: number,
  net: Net,
  sk: Sock | null,
  skb: SkBuff,
  indev: NetDevice | null,
  outdev: NetDevice | null,
  okfn: Okfn,
): number {
  if (skb.protocol === ETH_P_IP && callIptables(net)) {
    if (hook === NF_BR_PRE_ROUTING) {
      // br_nf_pre_routing(): the port is remembered, the IPv4 hook sees the bridge (brnf_get_logical_dev)
      const info: NfBridgeInfo = { net, inPrerouting: true, physindev: indev, physoutdev: null, sabotageInDone: false };
      skb.nfBridge = info;
      // br_nf_pre_routing_finish() clears in_prerouting before the rest of the bridge hooks
      return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, sk, skb, bridge_parent(indev), null, (n, s, b) => {
        info.inPrerouting = false;
        return okfn(n, s, b);
      });
    }
    const info = skb.nfBridge;
    if (hook === NF_BR_FORWARD && info) {
      // br_nf_forward_ip(): the out port is remembered; FORWARD sees the bridges of both ports
      info.physoutdev = outdev;
      return NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, net, sk, skb, bridge_parent(indev), bridge_parent(outdev), okfn);
    }
    // br_nf_post_routing(): only what was bridged (a routed packet met POST_ROUTING in the IP stack)
    if (hook === NF_BR_POST_ROUTING && info?.physoutdev)
      return NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, null, bridge_parent(outdev), okfn);
  } else if (skb.protocol === ETH_P_ARP && hook === NF_BR_FORWARD && callArptables(net)) {
    return NF_HOOK(NFPROTO_ARP, NF_ARP_FORWARD, net, sk, skb, indev, outdev, okfn);
  }
  return okfn(net, sk, skb);
}

/** bridge_parent() / brnf_get_logical_dev(): the bridge device a port belongs to (the device itself otherwise). */
function bridge_parent(dev: NetDevice | null): NetDevice | null {
  if (!dev) return null;
  return br_port_get(dev)?.br.dev ?? dev;
}

const NFPROTO_IPV4 = 2;

/** NF_HOOK(NFPROTO_BRIDGE, hook, …) with br_netfilter's entry in its list. */
export function BR_NF_HOOK(
  hook: number,
  net: Net,
  sk: Sock | null,
  skb: SkBuff,
  indev: NetDevice | null,
  outdev: NetDevice | null,
  okfn: Okfn,
): number {
  return NF_HOOK(NFPROTO_BRIDGE, hook, net, sk, skb, indev, outdev, (n, s, b) => br_nf_hook(hook, n, s, b, indev, outdev, okfn));
}
