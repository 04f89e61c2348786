// What the NIC drivers share: freeing an skb from any context, and the drops
// a NIC's hardware makes before any skb exists on Linux (no kfree_skb
// tracepoint fires for those; skbpath still shows them in `skbpath drops`).
import { consume_skb } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { dropReasonName } from '../trace/dropreason.ts';

/** dev_kfree_skb_any() (inl): consume_skb in process or softirq context. */
export function dev_kfree_skb_any(net: Net, skb: SkBuff, location: string): void {
  consume_skb(net, skb, location);
}

/**
 * A frame the hardware dropped (a full RX ring): the path stream and the drop
 * observers see it with `reason`; ftrace does not, as on Linux.
 */
export function hw_drop(net: Net, skb: SkBuff, reason: number, location: string, why: () => string): void {
  const k = net.kernel;
  if (k.dropObservers.length) k.notifyDrop(net, skb, reason, location);
  if (k.path.enabled) k.path.record(net, skb, location, 'drop', dropReasonName(reason), why());
  skb.release();
}
