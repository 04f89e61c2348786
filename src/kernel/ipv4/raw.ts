// net/ipv4/raw.c: raw IPv4 sockets — a clone of every matching datagram,
// ICMP errors for them, and raw_sendmsg.
import { kprobe } from '../trace/probe.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { IP_PMTUDISC_DONT, IPPROTO_ICMP, Sock } from '../sock.ts';
import { EADDRNOTAVAIL, EAGAIN } from '../uapi/errno.ts';
import { iph_daddr, iph_ihl, iph_saddr } from './iphdr.ts';
import { sock_queue_err_skb, sock_queue_rcv_skb } from './sock_queue.ts';
import {
  dst_mtu,
  inet_addr_valid_or_nonlocal,
  ip_route_output_key,
  ipv4_sk_redirect,
  ipv4_sk_update_pmtu,
  RTCF_BROADCAST,
} from './route.ts';
import {
  EACCES,
  ECONNREFUSED,
  EHOSTDOWN,
  EHOSTUNREACH,
  EMSGSIZE,
  ENETUNREACH,
  ENONET,
  ENOPROTOOPT,
  EOPNOTSUPP,
  EPROTO,
} from '../uapi/errno.ts';
import { IP_PMTUDISC_DO, IP_PMTUDISC_PROBE } from '../uapi/in.ts';
import { ICMP_FILTER, IPPROTO_RAW } from '../uapi/in.ts';
import { SOL_RAW } from '../uapi/asm_socket.ts';
import type { Proto, RecvResult, SockoptVal } from '../sock.ts';
import { flowi4 } from './fib.ts';
import { ip_dont_fragment, ip_push_frames } from './ip_output.ts';
import { ip_getsockopt, ip_local_error, ip_setsockopt } from './ip_sockglue.ts';
import { sock_purge_queues } from './sock_queue.ts';
import { ip4_datagram_connect, udp_disconnect } from './udp.ts';

/** icmp_err_convert[] (net/ipv4/icmp.c): errno and whether it is fatal, by unreachable code. */
export const ICMP_ERR_CONVERT: readonly [number, boolean][] = [
  [ENETUNREACH, false], // NET_UNREACH
  [EHOSTUNREACH, false], // HOST_UNREACH
  [ENOPROTOOPT, true], // PROT_UNREACH
  [ECONNREFUSED, true], // PORT_UNREACH
  [EMSGSIZE, false], // FRAG_NEEDED
  [EOPNOTSUPP, false], // SR_FAILED
  [ENETUNREACH, true], // NET_UNKNOWN
  [EHOSTDOWN, true], // HOST_UNKNOWN
  [ENONET, true], // HOST_ISOLATED
  [ENETUNREACH, true], // NET_ANO
  [EHOSTUNREACH, true], // HOST_ANO
  [ENETUNREACH, false], // NET_UNR_TOS
  [EHOSTUNREACH, false], // HOST_UNR_TOS
  [EHOSTUNREACH, true], // PKT_FILTERED
  [EHOSTUNREACH, true], // PREC_VIOLATION
  [EHOSTUNREACH, true], // PREC_CUTOFF
];

function raw_v4_match(sk: Sock, net: Net, proto: number, laddr: number, raddr: number, dif: number): boolean {
  return (
    sk.net === net &&
    sk.protocol === proto &&
    !(sk.daddr && sk.daddr !== raddr) &&
    !(sk.rcvSaddr && sk.rcvSaddr !== laddr) &&
    !(sk.bindDev && sk.bindDev !== dif)
  );
}

/** icmp_filter(): true when the socket's ICMP_FILTER blocks this type. */
function icmp_filter(sk: Sock, skb: SkBuff): boolean {
  if (skb.len < 1) return true;
  const type = skb.head[skb.transportHeader] as number;
  if (type < 32) return ((sk.icmpFilter >>> type) & 1) === 1;
  return false;
}

/**
 * raw_local_deliver(): clones skb to every matching raw socket; true when
 * some socket matched (even if its filter refused the clone).
 */
export function raw_local_deliver(net: Net, skb: SkBuff, protocol: number): boolean {
  let delivered = false;
  const b = skb.head;
  const nh = skb.networkHeader;
  const daddr = iph_daddr(b, nh);
  const saddr = iph_saddr(b, nh);
  const dif = skb.skbIif;
  for (const sk of net.rawSockets) {
    if (!raw_v4_match(sk, net, protocol, daddr, saddr, dif)) continue;
    delivered = true;
    if (protocol !== IPPROTO_ICMP || !icmp_filter(sk, skb)) {
      const c = skb.clone();
      raw_rcv(net, sk, c);
    }
  }
  return delivered;
}

/** raw_rcv(): the socket reads from the IP header on. */
function raw_rcv(net: Net, sk: Sock, skb: SkBuff): void {
  kprobe(net, skb, 'raw_rcv');
  skb.push(skb.data - skb.networkHeader);
  sock_queue_rcv_skb(net, sk, skb);
}

/** raw_icmp_error(): an ICMP error about a datagram raw sockets sent. */
export function raw_icmp_error(net: Net, skb: SkBuff, protocol: number, type: number, code: number, info: number): void {
  const b = skb.head;
  const inner = skb.data + 8;
  const daddr = iph_daddr(b, inner);
  const saddr = iph_saddr(b, inner);
  for (const sk of net.rawSockets) {
    if (!raw_v4_match(sk, net, protocol, saddr, daddr, skb.skbIif)) continue;
    raw_err(net, sk, skb, type, code, info);
  }
}

/** raw_err() */
function raw_err(net: Net, sk: Sock, skb: SkBuff, type: number, code: number, info: number): void {
  if (type === 3 && code === 4) ipv4_sk_update_pmtu(net, skb, sk, info);
  else if (type === 5) {
    ipv4_sk_redirect(net, skb, sk);
    return;
  }
  let err = 0;
  let harderr = false;
  switch (type) {
    case 11: // ICMP_TIME_EXCEEDED
      err = EHOSTUNREACH;
      break;
    case 4: // SOURCE_QUENCH
      return;
    case 12: // PARAMETERPROB
      err = EPROTO;
      harderr = true;
      break;
    case 3: {
      const c = ICMP_ERR_CONVERT[code];
      err = c ? c[0] : EHOSTUNREACH;
      harderr = c ? c[1] : false;
      if (code === 4) {
        harderr = sk.pmtudisc !== IP_PMTUDISC_DONT;
        err = EMSGSIZE;
      }
      break;
    }
    default:
      return;
  }
  if (sk.recverr) {
    const inner = skb.data + 8;
    const payloadStart = sk.hdrincl ? inner : inner + iph_ihl(skb.head, inner) * 4;
    ip_icmp_error(net, sk, skb, err, type, code, info, skb.head.slice(payloadStart, skb.tail));
  }
  if (sk.recverr || harderr) {
    sk.err = err;
    sk.wq.wakeUp();
  }
}

/** ip_icmp_error(): a clone of the ICMP goes to sk_error_queue. */
export function ip_icmp_error(
  net: Net,
  sk: Sock,
  skb: SkBuff,
  err: number,
  type: number,
  code: number,
  info: number,
  payload: Uint8Array,
): void {
  const c = skb.clone();
  sock_queue_err_skb(net, sk, c, {
    errno: err,
    origin: 'icmp',
    type,
    code,
    info,
    offender: iph_saddr(skb.head, skb.networkHeader),
    payload,
  });
}

export function raw_hash_sk(net: Net, sk: Sock): void {
  net.rawSockets.push(sk);
}

export function raw_unhash_sk(net: Net, sk: Sock): void {
  const i = net.rawSockets.indexOf(sk);
  if (i >= 0) net.rawSockets.splice(i, 1);
}

/** IP_MAX_MTU */
const IP_MAX_MTU = 0xffff;

/** raw_sendmsg(): one ICMP (or other protocol) datagram; the kernel builds the IP header. */
export function raw_sendmsg(sk: Sock, daddr: number, payload: Uint8Array): number {
  const net = sk.net;
  net.kernel.syscallEnter();
  // raw_sendmsg(): len > 0xFFFF fails before anything is queued
  if (payload.length > 0xffff) return -EMSGSIZE;
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
  const total = 20 + (sk.ipOpt?.optlen ?? 0) + payload.length;
  const ignoreDf = sk.pmtudisc < IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_PROBE;
  // __ip_append_data(): over maxnonfragsize (the MTU under DF, else IP_MAX_MTU) is a local error
  if ((!ignoreDf && total > mtu) || total > IP_MAX_MTU) {
    ip_local_error(sk, EMSGSIZE, daddr, Math.min(mtu, IP_MAX_MTU));
    return -EMSGSIZE;
  }
  const df = sk.pmtudisc === IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_PROBE || (total <= mtu && ip_dont_fragment(sk, rt));
  return ip_push_frames(
    net,
    {
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
      ...(sk.ipOpt ? { opt: sk.ipOpt } : {}),
    },
    payload,
  );
}

/** raw_recvmsg() without waiting: the next queued datagram from its IP header, or -EAGAIN. */
export function raw_recvmsg(sk: Sock, len: number, peek: boolean): RecvResult | number {
  const skb = sk.rcvQueue[0];
  if (!skb) return -EAGAIN;
  sk.net.kernel.syscallEnter();
  const data = skb.head.slice(skb.data, skb.tail);
  if (!peek) {
    sk.rcvQueue.shift();
    sk.rcvQueueBytes -= skb.truesize();
    skb.release();
  }
  const from = {
    addr:
      data.length >= 20
        ? (((data[12] as number) << 24) | ((data[13] as number) << 16) | ((data[14] as number) << 8) | (data[15] as number)) >>> 0
        : 0,
    port: 0,
  };
  return { data: len >= data.length ? data : data.slice(0, len), from };
}

/** sk_common_release() for the datagram protocols: unhashed, the queues freed (local errors carry no skb). */
export function dgram_sk_common_release(sk: Sock): void {
  if (sk.closed) return;
  sk.closed = true;
  sk.prot.unhash(sk);
  sk.errQueue.splice(0, sk.errQueue.length, ...sk.errQueue.filter((e) => e.skb));
  sock_purge_queues(sk.net, sk);
}

/** raw_bind(): the address must be ours; raw sockets have no port. */
function raw_bind(sk: Sock, addr: number, _port: number): number {
  if (!inet_addr_valid_or_nonlocal(sk.net, addr)) return -EADDRNOTAVAIL;
  sk.rcvSaddr = addr;
  sk.saddr = addr;
  sk.bound = true;
  return 0;
}

/** raw_setsockopt(): SOL_RAW's ICMP_FILTER, the rest is ip_setsockopt. */
function raw_setsockopt(sk: Sock, level: number, opt: number, val: SockoptVal): number {
  if (level !== SOL_RAW) return ip_setsockopt(sk, level, opt, val);
  if (opt !== ICMP_FILTER || sk.protocol !== IPPROTO_ICMP) return -EOPNOTSUPP;
  sk.icmpFilter = (typeof val === 'number' ? val : 0) >>> 0;
  return 0;
}

/** struct proto raw_prot */
export const raw_prot: Readonly<Proto> = {
  name: 'RAW',
  alloc: (net, type, protocol) => {
    const sk = new Sock(net, type, protocol);
    sk.hdrincl = protocol === IPPROTO_RAW;
    return sk;
  },
  close: (sk) => dgram_sk_common_release(sk),
  connect: (sk, daddr, dport) => ip4_datagram_connect(sk.net, sk, daddr, dport),
  disconnect: (sk) => {
    udp_disconnect(sk);
    return 0;
  },
  setsockopt: raw_setsockopt,
  getsockopt: (sk, level, opt) => (level === SOL_RAW ? (opt === ICMP_FILTER ? sk.icmpFilter : -EOPNOTSUPP) : ip_getsockopt(sk, level, opt)),
  sendmsg: (sk, data, to) => raw_sendmsg(sk, to ? to.daddr : sk.daddr, data),
  recvmsg: raw_recvmsg,
  bind: raw_bind,
  hash: (sk) => raw_hash_sk(sk.net, sk),
  unhash: (sk) => raw_unhash_sk(sk.net, sk),
  get_port: () => 0,
};

// --- /proc/net/raw (raw_seq_show)

import { sock_i_ino } from '../core/sock.ts';
import { be32, hex, pK } from '../fs/seq_file.ts';

/** RAW_HTABLE_SIZE: raw sockets hash by protocol (inet_num). */
const RAW_HTABLE_MASK = 255;

/** raw_sock_seq_show(): the local "port" is the protocol; no padding. */
function raw_sock_seq_show(sk: Sock, bucket: number): string {
  return (
    `${String(bucket).padStart(4)}: ${be32(sk.rcvSaddr)}:${hex(sk.protocol, 4)} ${be32(sk.daddr)}:${hex(0, 4)} ${hex(sk.state, 2)} ` +
    `${hex(0, 8)}:${hex(sk.rcvQueueBytes, 8)} 00:${hex(0, 8)} ${hex(0, 8)} ${String(0).padStart(5)} ${String(0).padStart(8)} ` +
    `${sock_i_ino(sk)} 2 ${pK(sk.ino || sk.protocol)} ${sk.drops}\n`
  );
}

/** raw_seq_show(): /proc/net/raw of a namespace, bucket by bucket. */
export function raw_seq_show(net: Net): string {
  let s = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
  const socks = net.rawSockets.map((sk) => ({ sk, bucket: sk.protocol & RAW_HTABLE_MASK }));
  socks.sort((a, b) => a.bucket - b.bucket);
  for (const { sk, bucket } of socks) s += raw_sock_seq_show(sk, bucket);
  return s;
}
