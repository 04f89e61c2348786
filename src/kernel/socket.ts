// The socket calls programs make (net/socket.c, net/ipv4/af_inet.c, raw.c's
// sendmsg). Blocking is the caller's job: these never wait.
import type { Net } from './net_namespace.ts';
import { COST } from '../sim/costs.ts';
import { kfree_skb_reason } from './core/skb_free.ts';
import { SKB_DROP_REASON } from './trace/dropreason.ts';
import type { SkBuff } from './skbuff.ts';
import { flowi4 } from './ipv4/fib.ts';
import { ip_dont_fragment, ip_push_frames } from './ipv4/ip_output.ts';
import { raw_hash_sk, raw_unhash_sk } from './ipv4/raw.ts';
import { dst_mtu, ip_dev_find, ip_route_output_key, RTCF_BROADCAST } from './ipv4/route.ts';
import { sock_purge_queues } from './ipv4/sock_queue.ts';
import { ip4_datagram_connect, udp_sendmsg } from './ipv4/udp.ts';
import {
  IP_PMTUDISC_DO,
  IP_PMTUDISC_PROBE,
  IPPROTO_ICMP,
  IPPROTO_UDP,
  SOCK_DGRAM,
  SOCK_RAW,
  Sock,
  type SockExtendedErr,
} from './sock.ts';

export const EPERM = 1;
export const EAGAIN = 11;
export const EACCES = 13;
export const EINVAL = 22;
export const EMSGSIZE = 90;
export const EPROTONOSUPPORT = 93;
export const EADDRNOTAVAIL = 99;
export const ENETUNREACH = 101;
export const EHOSTUNREACH = 113;

/** socket(AF_INET, type, protocol) */
export function sys_socket(net: Net, type: number, protocol: number): Sock | number {
  if (type === SOCK_RAW) {
    const sk = new Sock(net, type, protocol);
    sk.hdrincl = protocol === 255;
    raw_hash_sk(net, sk);
    return sk;
  }
  if (type === SOCK_DGRAM && (protocol === 0 || protocol === IPPROTO_UDP)) return new Sock(net, type, IPPROTO_UDP);
  if (type === SOCK_DGRAM && protocol === IPPROTO_ICMP) {
    const range = (net.sysctl.get('net.ipv4.ping_group_range') ?? '1\t0').split('\t').map(Number);
    if ((range[0] ?? 1) > 0 || (range[1] ?? 0) < 0) return -EACCES;
    const sk = new Sock(net, type, IPPROTO_ICMP);
    net.pingSockets.push(sk);
    return sk;
  }
  return -EPROTONOSUPPORT;
}

/** bind() of an address (port only for UDP). */
export function sys_bind(sk: Sock, addr: number, port: number): number {
  if (addr && !ip_dev_find(sk.net, addr) && addr !== 0xffffffff) return -EADDRNOTAVAIL;
  sk.rcvSaddr = addr;
  sk.saddr = addr;
  if (sk.protocol === IPPROTO_UDP) {
    if (port && sk.net.udpSockets.some((s) => s !== sk && s.sport === port && !s.reuseaddr)) return -98; // EADDRINUSE
    sk.sport = port;
    if (!sk.net.udpSockets.includes(sk)) sk.net.udpSockets.push(sk);
  }
  sk.bound = true;
  return 0;
}

/** connect() of a datagram socket. */
export function sys_connect(sk: Sock, daddr: number, dport: number): number {
  return ip4_datagram_connect(sk.net, sk, daddr, dport);
}

/** sendto()/send() on a UDP socket. */
export function sys_sendto(sk: Sock, payload: Uint8Array, to?: { daddr: number; dport: number }): number {
  if (sk.protocol === IPPROTO_UDP) {
    sk.net.kernel.sim.spend(COST.syscall);
    return udp_sendmsg(sk.net, sk, payload, to);
  }
  return raw_sendmsg(sk, to ? to.daddr : sk.daddr, payload);
}

/** raw_sendmsg(): one ICMP (or other protocol) datagram; the kernel builds the IP header. */
export function raw_sendmsg(sk: Sock, daddr: number, payload: Uint8Array): number {
  const net = sk.net;
  net.kernel.sim.spend(COST.syscall);
  if (payload.length > 0xffff - 20) return -EMSGSIZE;
  const fl = flowi4({
    oif: sk.bindDev,
    mark: sk.mark,
    tos: sk.tos & 0xfc,
    proto: sk.protocol,
    saddr: sk.saddr,
    daddr,
  });
  const rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') return rt;
  if (rt.flags & RTCF_BROADCAST && !sk.broadcast) return -EACCES;
  const mtu = dst_mtu(rt, net.kernel.now);
  const total = 20 + payload.length;
  const ignoreDf = sk.pmtudisc < IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_PROBE;
  if (!ignoreDf && total > mtu) {
    ip_local_error(sk, EMSGSIZE, daddr, mtu);
    return -EMSGSIZE;
  }
  const df = sk.pmtudisc === IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_PROBE || (total <= mtu && ip_dont_fragment(sk, rt));
  return ip_push_frames(net, {
    saddr: fl.saddr,
    daddr,
    protocol: sk.protocol,
    ttl: sk.ttl >= 0 ? sk.ttl : net.sysctl.int('net.ipv4.ip_default_ttl') || 64,
    tos: sk.tos,
    df,
    sk,
    rt,
    icmpType: sk.protocol === IPPROTO_ICMP ? (payload[0] ?? 0) : 0,
    mark: sk.mark,
    priority: 0,
  }, payload);
}

/** ip_local_error(): a locally generated error on the error queue (IP_RECVERR). */
function ip_local_error(sk: Sock, err: number, daddr: number, info: number): void {
  if (!sk.recverr) return;
  sk.errQueue.push({
    skb: null as unknown as SkBuff,
    ee: { errno: err, origin: 'local', type: 0, code: 0, info, offender: daddr, payload: new Uint8Array(0) } satisfies SockExtendedErr,
  });
}

/** recvmsg() without waiting: the next queued datagram's bytes (from the IP header for raw). */
export function sys_recv(sk: Sock): { data: Uint8Array; skb: SkBuff } | null {
  const skb = sk.rcvQueue.shift();
  if (!skb) return null;
  sk.net.kernel.sim.spend(COST.syscall);
  sk.rcvQueueBytes -= skb.truesize();
  const data = skb.head.slice(skb.data, skb.tail);
  skb.release();
  return { data, skb };
}

/** recvmsg(MSG_ERRQUEUE) */
export function sys_recv_err(sk: Sock): SockExtendedErr | null {
  const e = sk.errQueue.shift();
  if (!e) return null;
  if (e.skb) e.skb.release();
  if (!sk.errQueue.length) sk.err = 0;
  return e.ee;
}

/** close(): what is still queued is freed with QUEUE_PURGE (inet_sock_destruct). */
export function sys_close(sk: Sock): void {
  if (sk.closed) return;
  sk.closed = true;
  const net = sk.net;
  raw_unhash_sk(net, sk);
  let i = net.udpSockets.indexOf(sk);
  if (i >= 0) net.udpSockets.splice(i, 1);
  i = net.pingSockets.indexOf(sk);
  if (i >= 0) net.pingSockets.splice(i, 1);
  // local errors carry no skb
  sk.errQueue.splice(0, sk.errQueue.length, ...sk.errQueue.filter((e) => e.skb));
  sock_purge_queues(net, sk);
}

export { kfree_skb_reason, SKB_DROP_REASON };
