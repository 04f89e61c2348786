// net/core/sock.c: sock_queue_rcv_skb() and the error queue.
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock, SockExtendedErr } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { COST } from '../../sim/costs.ts';
import { ENOMEM } from '../uapi/errno.ts';

/** sock_queue_rcv_skb_reason(): 0, or a negative errno after freeing skb. */
export function sock_queue_rcv_skb(net: Net, sk: Sock, skb: SkBuff): number {
  if (sk.closed) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.SOCKET_CLOSE, 'sock_queue_rcv_skb_reason');
    return -1;
  }
  if (sk.rcvQueueBytes + skb.truesize() > sk.rcvbuf) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.SOCKET_RCVBUFF, 'sock_queue_rcv_skb_reason');
    return -ENOMEM;
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

/**
 * Frees what a closing socket still holds (inet_sock_destruct: QUEUE_PURGE).
 * The destructor runs after an RCU grace period (SOCK_RCU_FREE), so the
 * purge shows up a little after close() returns, as on Linux.
 */
export function sock_purge_queues(net: Net, sk: Sock): void {
  const rcv = sk.rcvQueue.splice(0);
  const err = sk.errQueue.splice(0);
  sk.rcvQueueBytes = 0;
  if (!rcv.length && !err.length) return;
  const sim = net.kernel.sim;
  const t = sim.timer(inet_sock_destruct, { net, skbs: [...rcv, ...err.map((e) => e.skb)] });
  sim.modTimer(t, sim.now + COST.rcuGrace);
}

function inet_sock_destruct(a: { net: Net; skbs: SkBuff[] }): void {
  for (const skb of a.skbs)
    kfree_skb_reason(a.net, skb, SKB_DROP_REASON.QUEUE_PURGE, 'inet_sock_destruct', () => `the socket closed with ${a.skbs.length} unread`);
}
