// net/ipv6/ping.c: ICMPv6 datagram ("ping") sockets. Opening one is allowed
// to the groups of net.ipv4.ping_group_range (IPv6 shares IPv4's, as
// ping_init_sock does); ping_rcv() hands an echo reply to the socket whose
// id matches, and without one it is NO_SOCKET (raw sockets have their own
// clones by then).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { sock_queue_rcv_skb } from '../ipv4/sock_queue.ts';
import { dgram_sk_common_release } from '../ipv4/raw.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { EACCES, EAGAIN, EINVAL } from '../uapi/errno.ts';
import type { Proto6, Sock6 } from './af_inet6.ts';
import { __ip6_datagram_connect, ip6_datagram_disconnect } from './datagram.ts';
import { ipv6_getsockopt, ipv6_setsockopt } from './ipv6_sockglue.ts';
import { rawv6_recvmsg, rawv6_sendmsg } from './raw.ts';

/** ping_rcv() of an ICMPv6 echo reply: 0 when a socket took a clone, else the drop reason. */
export function ping_rcv(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'ping_rcv');
  const b = skb.head;
  const ident = ((b[skb.data + 4] as number) << 8) | (b[skb.data + 5] as number);
  for (const sk of net.ping6Sockets) {
    if (sk.sport !== ident) continue;
    if (sock_queue_rcv_skb(net, sk, skb.clone()) === 0) return 0;
    return SKB_DROP_REASON.NOT_SPECIFIED;
  }
  return SKB_DROP_REASON.NO_SOCKET;
}

/** ping_init_sock(): only a group inside net.ipv4.ping_group_range may open one (everyone here is gid 0). */
function ping_v6_init_sock(sk: Sock6): number {
  const range = (sk.net.sysctl.get('net.ipv4.ping_group_range') ?? '1\t0').split('\t').map(Number);
  if ((range[0] ?? 1) > 0 || (range[1] ?? 0) < 0) return -EACCES;
  return 0;
}

/** ping_get_port() with no port asked: the next free identifier. */
function ping_v6_get_port(sk: Sock6): number {
  if (sk.sport) return 0;
  const used = new Set(sk.net.ping6Sockets.map((s) => s.sport));
  let id = 1 + (sk.net.kernel.sim.rng.u32() % 65535);
  for (let i = 0; i < 65536 && used.has(id); i++) id = id === 65535 ? 1 : id + 1;
  if (used.has(id)) return -EAGAIN;
  sk.sport = id;
  pingv6_prot.hash(sk);
  return 0;
}

/** struct proto pingv6_prot: ping_v6_sendmsg writes the socket's identifier into each echo request. */
export const pingv6_prot: Readonly<Proto6> = {
  init: ping_v6_init_sock,
  bind: (sk, a) => {
    sk.v6RcvSaddr = a.addr.slice();
    sk.v6Saddr = a.addr.slice();
    if (a.port) sk.sport = a.port;
    return ping_v6_get_port(sk);
  },
  connect: (sk, a) => {
    const e = ping_v6_get_port(sk);
    return e || __ip6_datagram_connect(sk, a);
  },
  sendmsg: (sk, data, to, cmsg) => {
    if (data.length < 8 || data[0] !== 128 || data[1] !== 0) return -EINVAL;
    const e = ping_v6_get_port(sk);
    if (e) return e;
    const msg = data.slice();
    msg[4] = sk.sport >> 8;
    msg[5] = sk.sport & 0xff;
    sk.rawChecksum = true;
    sk.rawOffset = 2;
    return rawv6_sendmsg(sk, msg, to, cmsg);
  },
  recvmsg: rawv6_recvmsg,
  setsockopt: ipv6_setsockopt,
  getsockopt: ipv6_getsockopt,
  close: (sk) => dgram_sk_common_release(sk),
  disconnect: ip6_datagram_disconnect,
  hash: (sk) => {
    if (!sk.net.ping6Sockets.includes(sk)) sk.net.ping6Sockets.push(sk);
  },
  unhash: (sk) => {
    const i = sk.net.ping6Sockets.indexOf(sk);
    if (i >= 0) sk.net.ping6Sockets.splice(i, 1);
  },
};
