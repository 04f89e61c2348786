// net/ipv4/af_inet.c: the inetsw table socket() looks the (type, protocol)
// up in, inet_create, and the proto_ops of each socket type
// (inet_stream_ops, inet_dgram_ops, inet_sockraw_ops) that call into the
// protocol's struct proto.
import type { Net } from '../net_namespace.ts';
import type { Proto, ProtoOps, Sock } from '../sock.ts';
import { AF_INET, SOCK_DGRAM, SOCK_MAX, SOCK_RAW, SOCK_STREAM } from '../uapi/asm_socket.ts';
import {
  EADDRNOTAVAIL,
  EINVAL,
  ENOTCONN,
  EOPNOTSUPP,
  EPROTONOSUPPORT,
  ESOCKTNOSUPPORT,
  EALREADY,
  EINPROGRESS,
  EISCONN,
} from '../uapi/errno.ts';
import { IPPROTO_ICMP, IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP } from '../uapi/in.ts';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM } from '../uapi/poll.ts';
import { RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK } from '../sock.ts';
import { RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST } from './fib.ts';
import { inet_addr_type } from './route.ts';
import { ping_prot } from './ping.ts';
import { raw_prot } from './raw.ts';
import {
  inet_listen as inet_csk_listen,
  lock_sock,
  release_sock,
  TCP_CLOSE,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  type TcpSock,
  tcp_set_trace_comm,
} from './tcp.ts';
import { tcp_prot } from './tcp_ipv4.ts';
import { udp_prot } from './udp.ts';

/** struct inet_protosw */
interface InetProtosw {
  readonly type: number;
  readonly protocol: number;
  readonly prot: Proto;
  readonly ops: ProtoOps;
}

/** inet_release(): the protocol closes the socket. */
function inet_release(sk: Sock): void {
  sk.net.openSockets.delete(sk);
  sk.prot.close(sk);
}

/** inet_bind() → __inet_bind(): the address must be ours (inet_addr_type_table), then the port. */
function inet_bind(sk: Sock, addr: number, port: number): number {
  if (sk.prot.bind) return sk.prot.bind(sk, addr, port);
  const net = sk.net;
  if (addr) {
    const t = inet_addr_type(net, addr);
    const nonlocal = net.sysctl.int('net.ipv4.ip_nonlocal_bind') !== 0;
    if (!nonlocal && t !== RTN_LOCAL && t !== RTN_MULTICAST && t !== RTN_BROADCAST) return -EADDRNOTAVAIL;
  }
  const stream = sk.type === SOCK_STREAM;
  if (stream) lock_sock(sk as TcpSock);
  try {
    if (sk.state !== TCP_CLOSE || sk.sport) return -EINVAL;
    sk.rcvSaddr = addr;
    sk.saddr = addr;
    const err = sk.prot.get_port(sk, port);
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
    if (stream) release_sock(sk as TcpSock);
  }
}

/**
 * inet_stream_connect(): sends the SYN and returns -EINPROGRESS (the
 * handshake may already be over: the answer was processed from the backlog
 * at release_sock).
 */
function inet_stream_connect(sk: Sock, daddr: number, dport: number): number {
  const tp = sk as TcpSock;
  sk.net.kernel.syscallEnter();
  tcp_set_trace_comm(sk);
  lock_sock(tp);
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
    const err = sk.prot.connect(sk, daddr, dport);
    if (err) return err;
    return -EINPROGRESS;
  } finally {
    release_sock(tp);
  }
}

/** inet_dgram_connect(): the protocol connects at once. */
function inet_dgram_connect(sk: Sock, daddr: number, dport: number): number {
  const r = sk.prot.connect(sk, daddr, dport);
  if (r === 0) sk.state = TCP_ESTABLISHED;
  return r;
}

/** inet_accept(): the next established child, or -EAGAIN. */
function inet_accept(sk: Sock): Sock | number {
  sk.net.kernel.syscallEnter();
  if (sk.state !== TCP_LISTEN || !sk.prot.accept) return -EINVAL;
  const child = sk.prot.accept(sk);
  if (typeof child !== 'number') {
    child.prot = sk.prot;
    child.ops = sk.ops;
    sk.net.openSockets.add(child);
  }
  return child;
}

/** inet_listen() */
function inet_listen(sk: Sock, backlog: number): number {
  sk.net.kernel.syscallEnter();
  const tp = sk as TcpSock;
  lock_sock(tp);
  try {
    return inet_csk_listen(tp, backlog);
  } finally {
    release_sock(tp);
  }
}

/** inet_getname(): [address, port] of our end, or of the peer. */
function inet_getname(sk: Sock, peer: boolean): [number, number] | number {
  if (peer) {
    if (!sk.dport && !sk.daddr) return -ENOTCONN;
    return [sk.daddr, sk.dport];
  }
  return [sk.rcvSaddr || sk.saddr, sk.sport];
}

/** datagram_poll() */
function datagram_poll(sk: Sock): number {
  let mask = 0;
  if (sk.err || sk.errQueue.length) mask |= POLLERR;
  if (sk.shutdown & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (sk.shutdown === SHUTDOWN_MASK) mask |= POLLHUP;
  if (sk.rcvQueue.length) mask |= POLLIN | POLLRDNORM;
  if (!(sk.shutdown & SEND_SHUTDOWN)) mask |= POLLOUT | POLLWRNORM;
  return mask;
}

/** inet_shutdown() of a datagram socket: unconnected is ENOTCONN, but the flag is set. */
function inet_dgram_shutdown(sk: Sock, how: number): number {
  sk.net.kernel.syscallEnter();
  const mode = how + 1;
  if (mode < 1 || mode > 3) return -EINVAL;
  const err = sk.state === TCP_CLOSE ? -ENOTCONN : 0;
  sk.shutdown |= mode;
  sk.wq.wakeUp();
  return err;
}

const sock_no_accept = (): number => -EOPNOTSUPP;
const sock_no_listen = (): number => -EOPNOTSUPP;
const sock_common_setsockopt: ProtoOps['setsockopt'] = (sk, level, opt, val) => sk.prot.setsockopt(sk, level, opt, val);
const sock_common_getsockopt: ProtoOps['getsockopt'] = (sk, level, opt) => sk.prot.getsockopt(sk, level, opt);
const inet_sendmsg: ProtoOps['sendmsg'] = (sk, data, to) => sk.prot.sendmsg(sk, data, to);
const inet_recvmsg: ProtoOps['recvmsg'] = (sk, len, peek) => sk.prot.recvmsg(sk, len, peek);

export const inet_stream_ops: Readonly<ProtoOps> = {
  family: AF_INET,
  release: inet_release,
  bind: inet_bind,
  connect: inet_stream_connect,
  accept: inet_accept,
  getname: inet_getname,
  poll: (sk) => (sk.prot.poll ? sk.prot.poll(sk) : datagram_poll(sk)),
  listen: inet_listen,
  shutdown: (sk, how) => (sk.prot.shutdown ? sk.prot.shutdown(sk, how) : inet_dgram_shutdown(sk, how)),
  setsockopt: sock_common_setsockopt,
  getsockopt: sock_common_getsockopt,
  sendmsg: inet_sendmsg,
  recvmsg: inet_recvmsg,
};

export const inet_dgram_ops: Readonly<ProtoOps> = {
  family: AF_INET,
  release: inet_release,
  bind: inet_bind,
  connect: inet_dgram_connect,
  accept: sock_no_accept,
  getname: inet_getname,
  poll: datagram_poll,
  listen: sock_no_listen,
  shutdown: inet_dgram_shutdown,
  setsockopt: sock_common_setsockopt,
  getsockopt: sock_common_getsockopt,
  sendmsg: inet_sendmsg,
  recvmsg: inet_recvmsg,
};

/** inet_sockraw_ops: as dgram, but raw sockets have no ports to connect to. */
export const inet_sockraw_ops: Readonly<ProtoOps> = { ...inet_dgram_ops };

/** inetsw_array[] */
export const inetsw_array: readonly InetProtosw[] = [
  { type: SOCK_STREAM, protocol: IPPROTO_TCP, prot: tcp_prot, ops: inet_stream_ops },
  { type: SOCK_DGRAM, protocol: IPPROTO_UDP, prot: udp_prot, ops: inet_dgram_ops },
  { type: SOCK_DGRAM, protocol: IPPROTO_ICMP, prot: ping_prot, ops: inet_sockraw_ops },
  { type: SOCK_RAW, protocol: IPPROTO_IP, prot: raw_prot, ops: inet_sockraw_ops },
];

/** inet_create(): find (type, protocol) in inetsw, allocate the protocol's socket, init and hash it. */
export function inet_create(net: Net, type: number, protocol: number): Sock | number {
  if (type < 0 || type >= SOCK_MAX) return -EINVAL;
  let err = -ESOCKTNOSUPPORT;
  let answer: InetProtosw | null = null;
  for (const a of inetsw_array) {
    if (a.type !== type) continue;
    if (protocol === a.protocol) {
      if (protocol !== IPPROTO_IP) {
        answer = a;
        break;
      }
    } else {
      if (protocol === IPPROTO_IP) {
        protocol = a.protocol;
        answer = a;
        break;
      }
      if (a.protocol === IPPROTO_IP) {
        answer = a;
        break;
      }
    }
    err = -EPROTONOSUPPORT;
  }
  if (!answer) return err;
  const sk = answer.prot.alloc(net, type, protocol);
  sk.prot = answer.prot;
  sk.ops = answer.ops;
  // a raw socket is hashed at once: its inet_num is the protocol
  if (type === SOCK_RAW) sk.prot.hash(sk);
  if (sk.prot.init) {
    const e = sk.prot.init(sk);
    if (e) return e;
  }
  net.openSockets.add(sk);
  return sk;
}
