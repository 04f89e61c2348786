// net/ipv4/ping.c: ICMP datagram ("ping") sockets. ping_rcv() hands an echo
// reply to the socket whose id matches; without one it is NO_SOCKET.
import { kprobe } from '../trace/probe.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { icmph_echo_id } from '../../wire/icmp.ts';
import { icmp_hdr } from './iphdr.ts';
import { sock_queue_rcv_skb } from './sock_queue.ts';
import { Sock, type Proto } from '../sock.ts';
import { EACCES, EADDRNOTAVAIL } from '../uapi/errno.ts';
import { ip4_datagram_connect, udp_disconnect } from './udp.ts';
import { ip_getsockopt, ip_setsockopt } from './ip_sockglue.ts';
import { dgram_sk_common_release, raw_recvmsg, raw_sendmsg } from './raw.ts';
import { inet_addr_valid_or_nonlocal } from './route.ts';

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

/** ping_init_sock(): only a group inside net.ipv4.ping_group_range may open one (everyone here is gid 0). */
function ping_init_sock(sk: Sock): number {
  const range = (sk.net.sysctl.get('net.ipv4.ping_group_range') ?? '1\t0').split('\t').map(Number);
  if ((range[0] ?? 1) > 0 || (range[1] ?? 0) < 0) return -EACCES;
  // hashed at once here (Linux hashes at the first bind or send): ping_rcv finds it by ident
  ping_prot.hash(sk);
  return 0;
}

/** ping_bind() → ping_check_bind_addr() */
function ping_bind(sk: Sock, addr: number, _port: number): number {
  if (!inet_addr_valid_or_nonlocal(sk.net, addr)) return -EADDRNOTAVAIL;
  sk.rcvSaddr = addr;
  sk.saddr = addr;
  sk.bound = true;
  return 0;
}

/** struct proto ping_prot */
export const ping_prot: Readonly<Proto> = {
  name: 'PING',
  alloc: (net, type, protocol) => new Sock(net, type, protocol),
  init: ping_init_sock,
  close: (sk) => dgram_sk_common_release(sk),
  connect: (sk, daddr, dport) => ip4_datagram_connect(sk.net, sk, daddr, dport),
  disconnect: (sk) => {
    udp_disconnect(sk);
    return 0;
  },
  setsockopt: ip_setsockopt,
  getsockopt: ip_getsockopt,
  sendmsg: (sk, data, to) => raw_sendmsg(sk, to ? to.daddr : sk.daddr, data),
  recvmsg: raw_recvmsg,
  bind: ping_bind,
  hash: (sk) => {
    if (!sk.net.pingSockets.includes(sk)) sk.net.pingSockets.push(sk);
  },
  unhash: (sk) => {
    const i = sk.net.pingSockets.indexOf(sk);
    if (i >= 0) sk.net.pingSockets.splice(i, 1);
  },
  get_port: () => 0,
};
