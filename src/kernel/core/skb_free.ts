// The one way an skb ends: kfree_skb_reason() for a drop, consume_skb() for a
// normal end (net/core/skbuff.c). Both fire their tracepoints.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { dropReasonName, SKB_DROP_REASON } from '../trace/dropreason.ts';

/** skbaddr as ftrace prints a kernel pointer. */
export function skbaddr(skb: SkBuff): string {
  return (0xffff8880_00000000n + BigInt(skb.id) * 0x100n).toString(16);
}

/**
 * kfree_skb_reason(skb, reason); `location` is the function the kernel's
 * __builtin_return_address(0) resolves to (see PATHS.md: tail calls show the caller).
 * `rxSk` is the socket of sk_skb_reason_drop(sk, skb, reason), when there is one.
 */
export function kfree_skb_reason(
  net: Net,
  skb: SkBuff,
  reason: number,
  location: string,
  why?: () => string,
  rxSk: object | null = null,
): void {
  const k = net.kernel;
  k.dropObservers.length && k.notifyDrop(net, skb, reason, location);
  if (k.path.enabled) k.path.record(net, skb, location, 'drop', dropReasonName(reason), why?.());
  if (k.tracer.enabled) {
    k.tracer.emit(
      'kfree_skb',
      `skbaddr=${skbaddr(skb)} rx_sk=${rxSk ? 'ffff888010000000' : '0000000000000000'} protocol=${skb.protocol} location=${location} reason: ${dropReasonName(reason)}`,
      net.name,
    );
  }
  skb.release();
  skb_release_data(net, skb);
}

/** skb_release_data(): the last user of the data frees its frag_list (kfree_skb_list_reason). */
function skb_release_data(net: Net, skb: SkBuff): void {
  const l = skb.shinfo.frag_list;
  if (!l || skb.shinfo.users > 0) return;
  skb.shinfo.frag_list = undefined;
  for (const f of l) kfree_skb_reason(net, f, SKB_DROP_REASON.NOT_SPECIFIED, 'skb_release_data');
}

/** consume_skb(): a normal end. */
export function consume_skb(net: Net, skb: SkBuff, location: string): void {
  const k = net.kernel;
  if (k.path.enabled) k.path.record(net, skb, location, 'consume');
  if (k.tracer.enabled) k.tracer.emit('consume_skb', `skbaddr=${skbaddr(skb)} location=${location}`, net.name);
  skb.release();
  skb_release_data(net, skb);
}
