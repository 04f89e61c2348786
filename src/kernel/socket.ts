// The socket calls programs make (net/socket.c): each goes through the
// socket's proto_ops (chosen by inet_create from inetsw) to its struct
// proto. These never block: a call that would wait returns -EAGAIN (or
// -EINPROGRESS), and the caller waits on the socket's wait queue and polls
// (sock_poll) as a process sleeping in the kernel would. Tools reach these
// through src/kernel/uapi/socket.ts.
import type { Net } from './net_namespace.ts';
import { kfree_skb_reason } from './core/skb_free.ts';
import { SKB_DROP_REASON } from './trace/dropreason.ts';
import { MIB } from './trace/snmp.ts';
import type { SkBuff } from './skbuff.ts';
import { inet_create } from './ipv4/af_inet.ts';
import { type Cmsg6, inet6_create, inet6_getname, type RecvResult6, type SockAddrIn6, Sock6 } from './ipv6/af_inet6.ts';
import { EAFNOSUPPORT } from './uapi/errno.ts';
import { ip_recv_error, ip_setsockopt_options } from './ipv4/ip_sockglue.ts';
import { raw_sendmsg } from './ipv4/raw.ts';
import { sock_error, sock_getsockopt, sock_setsockopt } from './core/sock.ts';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, TcpSock } from './ipv4/tcp.ts';
import type { RecvResult, Sock, SockExtendedErr, SockoptVal } from './sock.ts';
import { SOL_SOCKET } from './uapi/asm_socket.ts';

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
export {
  SO_BROADCAST,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SOL_IP,
  SOL_SOCKET,
  SOL_TCP,
} from './uapi/asm_socket.ts';
export { IP_MINTTL, IP_TOS, IP_TTL } from './uapi/in.ts';
export { TCP_CORK, TCP_LINGER2, TCP_MAXSEG, TCP_NODELAY, TCP_SYNCNT } from './uapi/tcp.ts';
export { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, TcpSock };
export { ip_setsockopt_options, raw_sendmsg };

/** __sys_socket() → inet_create(): socket(AF_INET, type, protocol). */
export function sys_socket(net: Net, type: number, protocol: number): Sock | number {
  return inet_create(net, type, protocol);
}

/** socket(AF_INET6, type, protocol) → inet6_create(). */
export function sys_socket6(net: Net, type: number, protocol: number): Sock | number {
  return inet6_create(net, type, protocol);
}

const sk6 = (sk: Sock): Sock6 | null => (sk instanceof Sock6 ? sk : null);

/** bind() with a sockaddr_in6 */
export function sys_bind6(sk: Sock, a: SockAddrIn6): number {
  const s = sk6(sk);
  if (!s) return -EAFNOSUPPORT;
  s.net.kernel.syscallEnter();
  return s.prot6.bind(s, a);
}

/** connect() with a sockaddr_in6; null is AF_UNSPEC (forget the peer). */
export function sys_connect6(sk: Sock, a: SockAddrIn6 | null): number {
  const s = sk6(sk);
  if (!s) return -EAFNOSUPPORT;
  if (!a) return s.prot6.disconnect(s);
  return s.prot6.connect(s, a);
}

/** sendmsg() of an IPv6 socket: msg_name (null when connected) and the IPV6_PKTINFO cmsg. */
export function sys_sendmsg6(sk: Sock, data: Uint8Array, to: SockAddrIn6 | null, cmsg: Cmsg6 = {}): number {
  const s = sk6(sk);
  if (!s) return -EAFNOSUPPORT;
  return s.prot6.sendmsg(s, data, to, cmsg);
}

/** recvmsg() of an IPv6 socket without waiting: data, msg_name and the hop limit cmsg, or -EAGAIN. */
export function sys_recvmsg6(sk: Sock, len: number, peek: boolean): RecvResult6 | number {
  const s = sk6(sk);
  if (!s) return -EAFNOSUPPORT;
  return s.prot6.recvmsg(s, len, peek);
}

/** getsockname() / getpeername() of an IPv6 socket. */
export function sys_getname6(sk: Sock, peer: boolean): SockAddrIn6 | number {
  const s = sk6(sk);
  if (!s) return -EAFNOSUPPORT;
  return inet6_getname(s, peer);
}

/** The process that owns a socket (ss -p, and the comm traces record): its fd table entry. */
export function sock_set_owner(sk: Sock, comm: string, pid: number, fd: number): void {
  sk.owner = comm;
  sk.ownerPid = pid;
  sk.ownerFd = fd;
}

/** bind() */
export function sys_bind(sk: Sock, addr: number, port: number): number {
  sk.net.kernel.syscallEnter();
  return sk.ops.bind(sk, addr, port);
}

/** listen() */
export function sys_listen(sk: Sock, backlog: number): number {
  return sk.ops.listen(sk, backlog);
}

/** accept(): the next established child, or -EAGAIN. */
export function sys_accept(sk: Sock): Sock | number {
  return sk.ops.accept(sk);
}

/** connect() */
export function sys_connect(sk: Sock, daddr: number, dport: number): number {
  return sk.ops.connect(sk, daddr, dport);
}

/** connect(AF_UNSPEC): the socket forgets its peer. */
export function sys_disconnect(sk: Sock): number {
  return sk.prot.disconnect(sk);
}

/** getsockopt(SO_ERROR): sock_error() reads and clears sk_err. */
export function sys_sock_error(sk: Sock): number {
  return sock_error(sk);
}

/** setsockopt(): `val` is the int, struct linger as [onoff, linger], bytes (IP_OPTIONS) or a name (SO_BINDTODEVICE). */
export function sys_setsockopt(sk: Sock, level: number, opt: number, val: SockoptVal): number {
  if (level === SOL_SOCKET) return sock_setsockopt(sk, opt, val);
  return sk.ops.setsockopt(sk, level, opt, val);
}

/** getsockopt(): the int value, or -errno. */
export function sys_getsockopt(sk: Sock, level: number, opt: number): number | Uint8Array {
  if (level === SOL_SOCKET) return sock_getsockopt(sk, opt);
  return sk.ops.getsockopt(sk, level, opt);
}

/** send()/write(): bytes taken or -errno. */
export function sys_send(sk: Sock, data: Uint8Array): number {
  return sk.ops.sendmsg(sk, data);
}

/** sendto()/send() */
export function sys_sendto(sk: Sock, payload: Uint8Array, to?: { daddr: number; dport: number }): number {
  return sk.ops.sendmsg(sk, payload, to);
}

/** recvmsg() of a raw or ping socket without waiting: the next datagram from its IP header. */
export function sys_recv(sk: Sock): { data: Uint8Array; skb: SkBuff } | null {
  const skb = sk.rcvQueue[0];
  const r = sk.ops.recvmsg(sk, Number.MAX_SAFE_INTEGER, false);
  if (typeof r === 'number' || !skb) return null;
  return { data: r.data, skb };
}

/**
 * read()/recvfrom(): up to `len` bytes (empty at end of stream), or -errno
 * (-EAGAIN when nothing is there yet).
 */
export function sys_read(sk: Sock, len: number, peek = false): RecvResult | number {
  return sk.ops.recvmsg(sk, len, peek);
}

/** recvmsg(MSG_ERRQUEUE) */
export function sys_recv_err(sk: Sock): SockExtendedErr | null {
  return ip_recv_error(sk);
}

/** shutdown(): how is SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2). */
export function sys_shutdown(sk: Sock, how: number): number {
  return sk.ops.shutdown(sk, how);
}

/** sock_poll(): the poll mask. */
export function sock_poll(sk: Sock): number {
  return sk.ops.poll(sk);
}

/** getsockname(): [address, port]. */
export function sys_getsockname(sk: Sock): [number, number] {
  return sk.ops.getname(sk, false) as [number, number];
}

/** getpeername(): [address, port], or -ENOTCONN. */
export function sys_getpeername(sk: Sock): [number, number] | number {
  return sk.ops.getname(sk, true);
}

/** close(): sock_close → inet_release → the protocol's close. */
export function sys_close(sk: Sock): void {
  sk.ops.release(sk);
}

/** Every TCP, UDP and raw socket of a namespace, for ss. */
export { tcp_hashinfo } from './ipv4/tcp.ts';

export { kfree_skb_reason, SKB_DROP_REASON, MIB };
