// net/ipv4/ping.c: ICMP datagram ("ping") sockets. ping_rcv() hands an echo
// reply to the socket whose id matches; without one it is NO_SOCKET.
import { kprobe } from '../trace/probe.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { icmph_echo_id } from '../../wire/icmp.ts';
import { icmp_hdr } from './iphdr.ts';
import { sock_queue_rcv_skb } from './sock_queue.ts';

/** ping_rcv(): 0 (SKB_NOT_DROPPED_YET) when a socket took a clone, else the reason. */
export function ping_rcv(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'ping_rcv');
  const ident = icmph_echo_id(skb.head, icmp_hdr(skb));
  for (const sk of net.pingSockets) {
    if (sk.sport !== ident) continue;
    const c = skb.clone();
    if (sock_queue_rcv_skb(net, sk, c) === 0) return 0;
    return SKB_DROP_REASON.NOT_SPECIFIED;
  }
  return SKB_DROP_REASON.NO_SOCKET;
}
