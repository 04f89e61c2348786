// net/ipv6/icmp.c is icmp6's: this placeholder holds the names v6route calls
// until that branch is merged (it replaces this file whole). It sends nothing.
import type { NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { SkBuff } from '../skbuff.ts';

/** icmpv6_send(): placeholder, sends nothing. */
export function icmpv6_send(_skb: SkBuff, _type: number, _code: number, _info: number): void {}

/** icmpv6_param_prob_reason(): placeholder, only drops skb for reason (at fn, a tail call's caller). */
export function icmpv6_param_prob_reason(skb: SkBuff, _code: number, _pos: number, reason: number, fn = 'icmpv6_param_prob_reason'): void {
  kfree_skb_reason((skb.dev as NetDevice).net, skb, reason, fn);
}
