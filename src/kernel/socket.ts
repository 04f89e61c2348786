// The socket calls programs make (net/socket.c, net/ipv4/af_inet.c,
// datagram.c, raw.c's sendmsg). These never block: a call that would wait
// returns -EAGAIN (or -EINPROGRESS), and the caller waits on sk.wq and
// polls (sock_poll) as a process sleeping in the kernel would.
import { ip_options_get } from './ipv4/ip_options.ts';
import type { Net } from './net_namespace.ts';
import { kfree_skb_reason } from './core/skb_free.ts';
import { SKB_DROP_REASON } from './trace/dropreason.ts';
import { MIB } from './trace/snmp.ts';
import type { SkBuff } from './skbuff.ts';
import { flowi4, RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST } from './ipv4/fib.ts';
import { ip_dont_fragment, ip_push_frames } from './ipv4/ip_output.ts';
import { raw_hash_sk, raw_unhash_sk } from './ipv4/raw.ts';
import { dst_mtu, inet_addr_type, ip_route_output_key, RTCF_BROADCAST } from './ipv4/route.ts';
import { sock_purge_queues } from './ipv4/sock_queue.ts';
import { ip4_datagram_connect, udp_autobind, udp_disconnect, udp_recvmsg, udp_sendmsg } from './ipv4/udp.ts';
import {
  inet_csk_accept,
  inet_csk_get_port,
  inet_listen,
  inet_shutdown,
  lock_sock,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  POLLRDHUP,
  POLLRDNORM,
  POLLWRNORM,
  release_sock,
  TCP_CLOSE,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  tcp_close,
  tcp_disconnect,
  tcp_poll,
  tcp_recvmsg,
  tcp_sendmsg,
  TcpSock,
  tcp_set_trace_comm,
} from './ipv4/tcp.ts';
import { tcp_v4_connect } from './ipv4/tcp_ipv4.ts';
import {
  IP_PMTUDISC_DO,
  IP_PMTUDISC_PROBE,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  RCV_SHUTDOWN,
  SEND_SHUTDOWN,
  SHUTDOWN_MASK,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
  Sock,
  type SockExtendedErr,
} from './sock.ts';
import {
  EACCES,
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAGAIN,
  EALREADY,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  EMSGSIZE,
  ENOPROTOOPT,
  ENOTCONN,
  EOPNOTSUPP,
  EPROTONOSUPPORT,
} from './uapi/errno.ts';


export {
  EACCES,
  EADDRINUSE,
  EADDRNOTAVAIL,
  EAGAIN,
  EALREADY,
  ECONNREFUSED,
  ECONNRESET,
  EDESTADDRREQ,
  EHOSTUNREACH,
  EINPROGRESS,
  EINVAL,
  EISCONN,
  EMSGSIZE,
  ENETUNREACH,
  ENOTCONN,
  EOPNOTSUPP,
  EPERM,
  EPIPE,
  EPROTONOSUPPORT,
  ETIMEDOUT,
} from './uapi/errno.ts';
export { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, TcpSock };

/** socket(AF_INET, type, protocol) */
export function sys_socket(net: Net, type: number, protocol: number): Sock | number {
  if (type === SOCK_RAW) {
    const sk = new Sock(net, type, protocol);
    sk.hdrincl = protocol === 255;
    raw_hash_sk(net, sk);
    return sk;
  }
  if (type === SOCK_STREAM && (protocol === 0 || protocol === IPPROTO_TCP)) return new TcpSock(net);
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

/** The process that owns a socket (ss -p, and the comm traces record). */
export function sock_set_owner(sk: Sock, comm: string, pid: number, fd: number): void {
  sk.owner = comm;
  sk.ownerPid = pid;
  sk.ownerFd = fd;
}

/** inet_bind() → __inet_bind(): the address must be ours (inet_addr_type_table), then the port. */
export function sys_bind(sk: Sock, addr: number, port: number): number {
  const net = sk.net;
  net.kernel.syscallEnter();
  if (addr) {
    const t = inet_addr_type(net, addr);
    const nonlocal = net.sysctl.int('net.ipv4.ip_nonlocal_bind') !== 0;
    if (!nonlocal && t !== RTN_LOCAL && t !== RTN_MULTICAST && t !== RTN_BROADCAST) return -EADDRNOTAVAIL;
  }
  if (sk instanceof TcpSock) {
    lock_sock(sk);
    try {
      if (sk.state !== TCP_CLOSE || sk.sport) return -EINVAL;
      sk.rcvSaddr = addr;
      sk.saddr = addr;
      const err = inet_csk_get_port(net, sk, port);
      if (err) {
        sk.rcvSaddr = 0;
        sk.saddr = 0;
        return err;
      }
      if (addr) sk.userlocks |= 4;
      if (port) sk.userlocks |= 8;
      sk.bound = true;
      return 0;
    } finally {
      release_sock(sk);
    }
  }
  if (sk.protocol === IPPROTO_UDP) {
    if (sk.sport) return -EINVAL;
    if (port && net.udpSockets.some((s) => s !== sk && s.sport === port && (!s.rcvSaddr || !addr || s.rcvSaddr === addr) && !(s.reuseaddr && sk.reuseaddr) && !(s.reuseport && sk.reuseport))) return -EADDRINUSE;
    sk.rcvSaddr = addr;
    sk.saddr = addr;
    if (port) sk.sport = port;
    else if (udp_autobind(net, sk) < 0) return -EAGAIN;
    if (!net.udpSockets.includes(sk)) net.udpSockets.push(sk);
    sk.bound = true;
    return 0;
  }
  sk.rcvSaddr = addr;
  sk.saddr = addr;
  sk.bound = true;
  return 0;
}

/** listen() */
export function sys_listen(sk: Sock, backlog: number): number {
  sk.net.kernel.syscallEnter();
  if (!(sk instanceof TcpSock)) return -EOPNOTSUPP;
  lock_sock(sk);
  try {
    return inet_listen(sk, backlog);
  } finally {
    release_sock(sk);
  }
}

/** accept(): the next established child, or -EAGAIN. */
export function sys_accept(sk: Sock): TcpSock | number {
  sk.net.kernel.syscallEnter();
  if (!(sk instanceof TcpSock) || sk.state !== TCP_LISTEN) return -EINVAL;
  lock_sock(sk);
  try {
    const child = inet_csk_accept(sk);
    if (!child) return -EAGAIN;
    child.owner = sk.owner;
    child.ownerPid = sk.ownerPid;
    return child;
  } finally {
    release_sock(sk);
  }
}

/**
 * connect(). Datagram sockets connect at once. A TCP socket sends its SYN
 * and returns -EINPROGRESS (the handshake may already be over when it
 * returns: the answer was processed from the backlog at release_sock).
 */
export function sys_connect(sk: Sock, daddr: number, dport: number): number {
  const net = sk.net;
  if (sk instanceof TcpSock) {
    net.kernel.syscallEnter();
    tcp_set_trace_comm(sk);
    lock_sock(sk);
    try {
      switch (sk.state) {
        case TCP_ESTABLISHED:
          return -EISCONN;
        case TCP_SYN_SENT:
        case TCP_SYN_RECV:
          return -EALREADY;
        case TCP_LISTEN:
          return -EINVAL;
      }
      if (sk.err) {
        // a previous attempt failed: report it once
        const e = sk.err;
        sk.err = 0;
        return -e;
      }
      const err = tcp_v4_connect(sk, daddr, dport);
      if (err) return err;
      return -EINPROGRESS;
    } finally {
      release_sock(sk);
    }
  }
  if (sk.protocol === IPPROTO_UDP && !sk.sport && udp_autobind(net, sk) < 0) return -EAGAIN;
  const r = ip4_datagram_connect(net, sk, daddr, dport);
  if (r === 0) sk.state = TCP_ESTABLISHED;
  return r;
}

/** connect(AF_UNSPEC): a datagram socket forgets its peer. */
export function sys_disconnect(sk: Sock): number {
  if (sk instanceof TcpSock) {
    lock_sock(sk);
    tcp_disconnect(sk);
    release_sock(sk);
    return 0;
  }
  udp_disconnect(sk);
  return 0;
}

/** getsockopt(SO_ERROR): sock_error() reads and clears sk_err. */
export function sys_sock_error(sk: Sock): number {
  let e = sk.err;
  sk.err = 0;
  if (!e) {
    e = sk.errSoft;
    sk.errSoft = 0;
  }
  return e;
}

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_KEEPALIVE = 9;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_LINGER = 13;
export const SO_REUSEPORT = 15;
export const SOL_IP = 0;
export const IP_TOS = 1;
export const IP_TTL = 2;
export const IP_MINTTL = 21;
export const SOL_TCP = 6;
export const TCP_NODELAY = 1;
export const TCP_MAXSEG = 2;
export const TCP_CORK = 3;
export const TCP_LINGER2 = 8;
export const TCP_SYNCNT = 7;

/** setsockopt() for the options programs here use. `val` is the int (or [onoff, linger]). */
export function sys_setsockopt(sk: Sock, level: number, opt: number, val: number | [number, number]): number {
  const net = sk.net;
  const v = typeof val === 'number' ? val : val[0];
  if (level === SOL_SOCKET) {
    switch (opt) {
      case SO_REUSEADDR:
        sk.reuseaddr = v !== 0;
        return 0;
      case SO_REUSEPORT:
        sk.reuseport = v !== 0;
        return 0;
      case SO_BROADCAST:
        sk.broadcast = v !== 0;
        return 0;
      case SO_KEEPALIVE:
        sk.keepopen = v !== 0;
        return 0;
      case SO_RCVBUF: {
        const max = net.sysctl.int('net.core.rmem_max');
        sk.userlocks |= 2;
        sk.rcvbuf = Math.max(Math.min(v, max) * 2, 2304);
        return 0;
      }
      case SO_SNDBUF: {
        const max = net.sysctl.int('net.core.wmem_max');
        sk.userlocks |= 1;
        sk.sndbuf = Math.max(Math.min(v, max) * 2, 4608);
        return 0;
      }
      case SO_LINGER:
        if (typeof val === 'number') return -EINVAL;
        sk.linger = val[0] !== 0;
        sk.lingertime = val[1];
        return 0;
      default:
        return -ENOPROTOOPT;
    }
  }
  if (level === SOL_IP) {
    switch (opt) {
      case IP_TOS:
        sk.tos = v & 0xff;
        return 0;
      case IP_TTL:
        if (v < -1 || v > 255 || v === 0) return -EINVAL;
        sk.ttl = v;
        return 0;
      case IP_MINTTL:
        if (sk instanceof TcpSock) sk.minTtl = v;
        return 0;
      default:
        return -ENOPROTOOPT;
    }
  }
  if (level === SOL_TCP && sk instanceof TcpSock) {
    switch (opt) {
      case TCP_NODELAY:
        sk.nonagle = v ? 1 : 0;
        return 0;
      case TCP_CORK:
        sk.nonagle = v ? 2 : 0;
        return 0;
      case TCP_MAXSEG:
        if (v && (v < 88 || v > 65535)) return -EINVAL;
        sk.rxOpt.userMss = v;
        return 0;
      case TCP_LINGER2:
        sk.linger2 = v < 0 ? -1 : v * 250;
        return 0;
      case TCP_SYNCNT:
        if (v < 1 || v > 127) return -EINVAL;
        sk.syncnt = v;
        return 0;
      default:
        return -ENOPROTOOPT;
    }
  }
  return -ENOPROTOOPT;
}

/** send()/write(): bytes taken or -errno. */
export function sys_send(sk: Sock, data: Uint8Array): number {
  if (sk instanceof TcpSock) {
    tcp_set_trace_comm(sk);
    return tcp_sendmsg(sk, data);
  }
  return sys_sendto(sk, data);
}

/** sendto()/send() on a datagram socket. */
export function sys_sendto(sk: Sock, payload: Uint8Array, to?: { daddr: number; dport: number }): number {
  if (sk.protocol === IPPROTO_UDP) {
    sk.net.kernel.syscallEnter();
    return udp_sendmsg(sk.net, sk, payload, to);
  }
  return raw_sendmsg(sk, to ? to.daddr : sk.daddr, payload);
}

/** setsockopt(SOL_IP, IP_OPTIONS): options for every datagram the socket sends (an empty list clears them). */
export function ip_setsockopt_options(sk: Sock, bytes: Uint8Array): number {
  sk.net.kernel.syscallEnter();
  if (bytes.length === 0) {
    sk.ipOpt = null;
    return 0;
  }
  const opt = ip_options_get(sk.net, bytes);
  if (typeof opt === 'number') return opt;
  sk.ipOpt = opt;
  return 0;
}

/** raw_sendmsg(): one ICMP (or other protocol) datagram; the kernel builds the IP header. */
export function raw_sendmsg(sk: Sock, daddr: number, payload: Uint8Array): number {
  const net = sk.net;
  net.kernel.syscallEnter();
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
  const total = 20 + (sk.ipOpt?.optlen ?? 0) + payload.length;
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
    ...(sk.ipOpt ? { opt: sk.ipOpt } : {}),
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
  sk.net.kernel.syscallEnter();
  sk.rcvQueueBytes -= skb.truesize();
  const data = skb.head.slice(skb.data, skb.tail);
  skb.release();
  return { data, skb };
}

/**
 * read()/recvfrom() on a stream or UDP socket: up to `len` bytes (empty at
 * end of stream), or -errno (-EAGAIN when nothing is there yet).
 */
export function sys_read(sk: Sock, len: number, peek = false): { data: Uint8Array; from: { addr: number; port: number } } | number {
  if (sk instanceof TcpSock) {
    tcp_set_trace_comm(sk);
    const r = tcp_recvmsg(sk, len, peek);
    if (typeof r === 'number') return r;
    return { data: r, from: { addr: sk.daddr, port: sk.dport } };
  }
  if (sk.protocol === IPPROTO_UDP) {
    const r = udp_recvmsg(sk.net, sk, len, peek);
    return r;
  }
  const r = sys_recv(sk);
  if (!r) return -EAGAIN;
  return { data: r.data.slice(0, len), from: { addr: 0, port: 0 } };
}

/** recvmsg(MSG_ERRQUEUE) */
export function sys_recv_err(sk: Sock): SockExtendedErr | null {
  const e = sk.errQueue.shift();
  if (!e) return null;
  if (e.skb) e.skb.release();
  if (!sk.errQueue.length) sk.err = 0;
  return e.ee;
}

/** shutdown(): how is SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2). */
export function sys_shutdown(sk: Sock, how: number): number {
  if (sk instanceof TcpSock) {
    tcp_set_trace_comm(sk);
    return inet_shutdown(sk, how);
  }
  sk.net.kernel.syscallEnter();
  const mode = how + 1;
  if (mode < 1 || mode > 3) return -EINVAL;
  // inet_shutdown() of a datagram socket: unconnected is ENOTCONN, but the flag is set
  const err = sk.state === TCP_CLOSE ? -ENOTCONN : 0;
  sk.shutdown |= mode;
  sk.wq.wakeUp();
  return err;
}

/** poll() mask: tcp_poll or datagram_poll. */
export function sock_poll(sk: Sock): number {
  if (sk instanceof TcpSock) return tcp_poll(sk);
  let mask = 0;
  if (sk.err || sk.errQueue.length) mask |= POLLERR;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (sk.shutdown === SHUTDOWN_MASK) mask |= POLLHUP;
  if (sk.rcvQueue.length) mask |= POLLIN | POLLRDNORM;
  if (!(sk.shutdown & SEND_SHUTDOWN)) mask |= POLLOUT | POLLWRNORM;
  return mask;
}

/** getsockname(): [address, port]. */
export function sys_getsockname(sk: Sock): [number, number] {
  return [sk.rcvSaddr || sk.saddr, sk.sport];
}

/** close(): TCP runs its close; datagram sockets free what is queued (inet_sock_destruct: QUEUE_PURGE). */
export function sys_close(sk: Sock): void {
  if (sk instanceof TcpSock) {
    if (sk.fileClosed) return;
    sk.fileClosed = true;
    tcp_set_trace_comm(sk);
    tcp_close(sk);
    return;
  }
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

/** Every TCP, UDP and raw socket of a namespace, for ss. */
export { tcp_hashinfo } from './ipv4/tcp.ts';

export { kfree_skb_reason, SKB_DROP_REASON, MIB };
