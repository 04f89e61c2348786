// net/core/sock.c: sock_queue_rcv_skb() and the error queue.
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock, SockExtendedErr } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';

/** sock_queue_rcv_skb_reason(): 0, or a negative errno after freeing skb. */
export function sock_queue_rcv_skb(net: Net, sk: Sock, skb: SkBuff): number {
  if (sk.closed) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.SOCKET_CLOSE, 'sock_queue_rcv_skb_reason');
    return -1;
  }
  if (sk.rcvQueueBytes + skb.truesize() > sk.rcvbuf) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.SOCKET_RCVBUFF, 'sock_queue_rcv_skb_reason');
    return -12;
  }
  skb.sk = sk;
  sk.rcvQueue.push(skb);
  sk.rcvQueueBytes += skb.truesize();
  sk.wq.wakeUp();
  return 0;
}

/** sock_queue_err_skb(): queue to sk_error_queue and report. */
export function sock_queue_err_skb(net: Net, sk: Sock, skb: SkBuff, ee: SockExtendedErr): void {
  void net;
  sk.errQueue.push({ skb, ee });
  sk.wq.wakeUp();
}

/** Frees what a closing socket still holds (inet_sock_destruct: QUEUE_PURGE). */
export function sock_purge_queues(net: Net, sk: Sock): void {
  for (const skb of sk.rcvQueue.splice(0)) kfree_skb_reason(net, skb, SKB_DROP_REASON.QUEUE_PURGE, 'inet_sock_destruct');
  for (const e of sk.errQueue.splice(0)) kfree_skb_reason(net, e.skb, SKB_DROP_REASON.QUEUE_PURGE, 'inet_sock_destruct');
  sk.rcvQueueBytes = 0;
}
