// include/linux/netfilter.h + net/netfilter/core.c: NF_HOOK and nf_hook_slow.
// Hooks are per namespace; an empty hook point calls okfn directly.
import { EPERM } from '../uapi/errno.ts';
import { kprobe } from '../trace/probe.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';

import { NF_ACCEPT, NF_DROP, NF_QUEUE, NF_REPEAT, NF_STOLEN, NF_STOP } from '../uapi/netfilter.ts';

export {
  NF_ACCEPT,
  NF_ARP_FORWARD,
  NF_ARP_IN,
  NF_ARP_OUT,
  NF_DROP,
  NF_INET_FORWARD,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NF_QUEUE,
  NF_REPEAT,
  NF_STOLEN,
  NF_STOP,
  NFPROTO_ARP,
  NFPROTO_BRIDGE,
  NFPROTO_IPV4,
  NFPROTO_IPV6,
} from '../uapi/netfilter.ts';

export interface NfHookState {
  hook: number;
  pf: number;
  in: NetDevice | null;
  out: NetDevice | null;
  sk: Sock | null;
  net: Net;
}

export interface NfHookEntry {
  readonly priority: number;
  /** Name shown in traces (nft_do_chain_ipv4, ipv4_conntrack_in, ...). */
  readonly name: string;
  /**
   * Returns a verdict. A hook that frees the skb itself (nft_do_chain on DROP)
   * returns NF_STOLEN.
   */
  hook(skb: SkBuff, state: NfHookState): number;
}

export type Okfn = (net: Net, sk: Sock | null, skb: SkBuff) => number;

/** The per-namespace hook lists: hooks[pf][hooknum], sorted by priority. */
export class NfHooks {
  private readonly lists = new Map<number, NfHookEntry[]>();

  entries(pf: number, hook: number): NfHookEntry[] | undefined {
    return this.lists.get(pf * 8 + hook);
  }

  register(pf: number, hook: number, e: NfHookEntry): void {
    const k = pf * 8 + hook;
    let l = this.lists.get(k);
    if (!l) this.lists.set(k, (l = []));
    let i = 0;
    while (i < l.length && (l[i] as NfHookEntry).priority <= e.priority) i++;
    l.splice(i, 0, e);
  }

  /** dev->nf_hooks_ingress / nf_hooks_egress: the netdev family's hooks of each device (NF_NETDEV_*). */
  readonly devHooks = new Map<NetDevice, NfHookEntry[][]>();

  registerDev(dev: NetDevice, hook: number, e: NfHookEntry): void {
    let d = this.devHooks.get(dev);
    if (!d) this.devHooks.set(dev, (d = [[], []]));
    const l = d[hook] as NfHookEntry[];
    let i = 0;
    while (i < l.length && (l[i] as NfHookEntry).priority <= e.priority) i++;
    l.splice(i, 0, e);
  }

  unregisterDev(dev: NetDevice, hook: number, e: NfHookEntry): void {
    const d = this.devHooks.get(dev);
    const l = d?.[hook];
    if (!d || !l) return;
    const i = l.indexOf(e);
    if (i >= 0) l.splice(i, 1);
    if ((d[0] as NfHookEntry[]).length === 0 && (d[1] as NfHookEntry[]).length === 0) this.devHooks.delete(dev);
  }

  unregister(pf: number, hook: number, e: NfHookEntry): void {
    const l = this.lists.get(pf * 8 + hook);
    if (!l) return;
    const i = l.indexOf(e);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) this.lists.delete(pf * 8 + hook);
  }
}

/** nf_hook_slow(): 1 to continue with okfn; otherwise the skb was consumed (0 or a negative errno). */
export function nf_hook_slow(skb: SkBuff, state: NfHookState, entries: NfHookEntry[]): number {
  kprobe(state.net, skb, 'nf_hook_slow');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as NfHookEntry;
    const verdict = e.hook(skb, state);
    switch (verdict & 0xff) {
      case NF_ACCEPT:
        continue;
      case NF_DROP:
        kfree_skb_reason(
          state.net,
          skb,
          SKB_DROP_REASON.NETFILTER_DROP,
          'nf_hook_slow',
          () => `${e.name} (priority ${e.priority}) returned NF_DROP`,
        );
        // NF_DROP_GETERR(): the errno in the verdict's upper bits, -EPERM by default
        return -(verdict >>> 16 || EPERM);
      case NF_QUEUE:
        // no queue listener: nf_queue() lets it through with NF_VERDICT_FLAG_QUEUE_BYPASS
        if (verdict & 0x8000) continue;
        // otherwise dropped as nf_queue does
        kfree_skb_reason(state.net, skb, SKB_DROP_REASON.NETFILTER_DROP, 'nf_hook_slow');
        return -1;
      case NF_REPEAT:
        i--;
        continue;
      case NF_STOP:
        // accepted; the entries after this one are skipped
        return 1;
      case NF_STOLEN:
        // the hook kept or freed the skb; NF_DROP_REASON() puts its errno in the upper bits
        return -(verdict >>> 16);
      default:
        return 0;
    }
  }
  return 1;
}

/** nf_hook(): 1 when the packet may go on. */
export function nf_hook(
  pf: number,
  hook: number,
  net: Net,
  sk: Sock | null,
  skb: SkBuff,
  indev: NetDevice | null,
  outdev: NetDevice | null,
): number {
  const entries = net.nfHooks.entries(pf, hook);
  if (!entries || entries.length === 0) return 1;
  return nf_hook_slow(skb, { hook, pf, in: indev, out: outdev, sk, net }, entries);
}

/**
 * nf_hook_ingress() (include/linux/netfilter_netdev.h), as nf_ingress() in
 * __netif_receive_skb_core calls it: the device's NF_NETDEV_INGRESS hooks;
 * 1 to go on, -1 when the skb was consumed.
 */
export function nf_hook_ingress(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const e = dev.net.nfHooks.devHooks.get(dev)?.[0];
  if (!e || e.length === 0) return 1;
  const ret = nf_hook_slow(skb, { hook: 0, pf: 5, in: dev, out: null, sk: null, net: dev.net }, e);
  return ret === 1 ? 1 : -1;
}

/** nf_ingress_active(): does the device have netdev ingress hooks? */
export function nf_hook_ingress_active(dev: NetDevice): boolean {
  return (dev.net.nfHooks.devHooks.get(dev)?.[0]?.length ?? 0) > 0;
}

/** NF_HOOK(): runs the hook, then okfn when the verdict lets the packet through. */
export function NF_HOOK(
  pf: number,
  hook: number,
  net: Net,
  sk: Sock | null,
  skb: SkBuff,
  indev: NetDevice | null,
  outdev: NetDevice | null,
  okfn: Okfn,
): number {
  const ret = nf_hook(pf, hook, net, sk, skb, indev, outdev);
  if (ret === 1) return okfn(net, sk, skb);
  return ret;
}

/** NF_HOOK_COND(): skips the hook when cond is false. */
export function NF_HOOK_COND(
  pf: number,
  hook: number,
  net: Net,
  sk: Sock | null,
  skb: SkBuff,
  indev: NetDevice | null,
  outdev: NetDevice | null,
  okfn: Okfn,
  cond: boolean,
): number {
  if (!cond) return okfn(net, sk, skb);
  return NF_HOOK(pf, hook, net, sk, skb, indev, outdev, okfn);
}
