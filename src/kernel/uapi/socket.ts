// The socket system calls as a program makes them (socket(2), bind(2), ...,
// poll(2)), and the constants of the headers it includes for them. A socket
// is an opaque handle here, like a file descriptor: tools pass it back to
// these calls and never look inside. Results are plain data; errors are
// negative errno values (./errno.ts).
import type { WaitQueue } from '../../sim/sched.ts';
import type { Net } from '../net_namespace.ts';
import type { Sock, SockExtendedErr } from '../sock.ts';
import {
  sock_poll,
  sock_set_owner,
  sys_accept,
  sys_bind,
  sys_close,
  sys_connect,
  sys_getpeername,
  sys_getsockname,
  sys_getsockopt,
  sys_listen,
  sys_read,
  sys_recv_err,
  sys_sendto,
  sys_setsockopt,
  sys_shutdown,
  sys_socket,
  sys_bind6,
  sys_connect6,
  sys_getname6,
  sys_recvmsg6,
  sys_sendmsg6,
  sys_socket6,
} from '../socket.ts';
import type { Cmsg6, RecvResult6, SockAddrIn6 } from '../ipv6/af_inet6.ts';
import { MSG_PEEK } from './asm_socket.ts';

export * from './asm_socket.ts';
export * from './in.ts';
export * from './poll.ts';
export * from './in6.ts';
export { TCP_CORK, TCP_INFO, TCP_LINGER2, TCP_MAXSEG, TCP_NODELAY, TCP_SYNCNT } from './tcp.ts';

declare const socketBrand: unique symbol;
/** An open socket, as a program holds it (its fd). */
export interface Socket {
  readonly [socketBrand]: 'socket';
}

/** The fd table entry that names the socket's owner (ss -p shows it). */
export interface FdOwner {
  readonly comm: string;
  readonly pid: number;
  readonly fd: number;
}

/** struct sock_extended_err with its offender and the quoted datagram, as recvmsg(MSG_ERRQUEUE) gives it. */
export type { SockExtendedErr };

/** A datagram or stream read: the bytes and msg_name. */
export interface RecvFrom {
  data: Uint8Array;
  from: { addr: number; port: number };
}

export const O_NONBLOCK = 0o4000;

const sk = (s: Socket): Sock => s as unknown as Sock;
const handle = (k: Sock): Socket => k as unknown as Socket;

/** socket(AF_INET, type, protocol) */
export function socket(net: Net, type: number, protocol: number, owner?: FdOwner): Socket | number {
  const r = sys_socket(net, type, protocol);
  if (typeof r === 'number') return r;
  if (owner) sock_set_owner(r, owner.comm, owner.pid, owner.fd);
  return handle(r);
}

/** struct sockaddr_in6, the IPV6_PKTINFO cmsg of sendmsg(), and what recvmsg() of an IPv6 socket gives. */
export type { Cmsg6, RecvResult6, SockAddrIn6 };

/** socket(AF_INET6, type, protocol) */
export function socket6(net: Net, type: number, protocol: number, owner?: FdOwner): Socket | number {
  const r = sys_socket6(net, type, protocol);
  if (typeof r === 'number') return r;
  if (owner) sock_set_owner(r, owner.comm, owner.pid, owner.fd);
  return handle(r);
}

export function bind6(s: Socket, a: SockAddrIn6): number {
  return sys_bind6(sk(s), a);
}

/** connect() of an IPv6 socket; null is a sockaddr of family AF_UNSPEC (the peer is forgotten). */
export function connect6(s: Socket, a: SockAddrIn6 | null): number {
  return sys_connect6(sk(s), a);
}

/** sendmsg()/sendto() of an IPv6 socket: bytes sent or -errno. */
export function sendmsg6(s: Socket, data: Uint8Array, to: SockAddrIn6 | null, cmsg?: Cmsg6): number {
  return sys_sendmsg6(sk(s), data, to, cmsg);
}

/** recvmsg() of an IPv6 socket (MSG_PEEK leaves it queued): data, msg_name, hop limit; -EAGAIN when empty. */
export function recvmsg6(s: Socket, len: number, flags = 0): RecvResult6 | number {
  return sys_recvmsg6(sk(s), len, (flags & MSG_PEEK) !== 0);
}

/** getsockname() of an IPv6 socket */
export function getsockname6(s: Socket): SockAddrIn6 | number {
  return sys_getname6(sk(s), false);
}

/** Installs the socket in the owner's fd table under another name (after dup2, or for a process that set its comm). */
export function fd_install(s: Socket, owner: FdOwner): void {
  sock_set_owner(sk(s), owner.comm, owner.pid, owner.fd);
}

export function bind(s: Socket, addr: number, port: number): number {
  return sys_bind(sk(s), addr, port);
}

export function connect(s: Socket, addr: number, port: number): number {
  return sys_connect(sk(s), addr, port);
}

export function listen(s: Socket, backlog: number): number {
  return sys_listen(sk(s), backlog);
}

/** accept4(): the new connection, or -errno (-EAGAIN when none is ready). */
export function accept(s: Socket, owner?: FdOwner): Socket | number {
  const r = sys_accept(sk(s));
  if (typeof r === 'number') return r;
  if (owner) sock_set_owner(r, owner.comm, owner.pid, owner.fd);
  return handle(r);
}

export function send(s: Socket, data: Uint8Array): number {
  return sys_sendto(sk(s), data);
}

export function sendto(s: Socket, data: Uint8Array, addr: number, port: number): number {
  return sys_sendto(sk(s), data, { daddr: addr, dport: port });
}

/** recvfrom(): up to len bytes (MSG_PEEK leaves them queued); raw sockets give the datagram from its IP header. */
export function recv(s: Socket, len: number, flags = 0): RecvFrom | number {
  return sys_read(sk(s), len, (flags & MSG_PEEK) !== 0);
}

/** recvmsg(MSG_ERRQUEUE): the oldest queued error, or null (EAGAIN). */
export function recvmsg_errqueue(s: Socket): SockExtendedErr | null {
  return sys_recv_err(sk(s));
}

/** setsockopt(): an int, struct linger as [l_onoff, l_linger], bytes (IP_OPTIONS) or an interface name (SO_BINDTODEVICE). */
export function setsockopt(s: Socket, level: number, opt: number, val: number | [number, number] | Uint8Array | string): number {
  return sys_setsockopt(sk(s), level, opt, val);
}

/** getsockopt(): the int value or -errno. */
export function getsockopt(s: Socket, level: number, opt: number): number {
  const r = sys_getsockopt(sk(s), level, opt);
  return typeof r === 'number' ? r : r.length;
}

/** getsockname(): [address, port] */
export function getsockname(s: Socket): [number, number] {
  return sys_getsockname(sk(s));
}

/** getpeername(): [address, port], or -ENOTCONN */
export function getpeername(s: Socket): [number, number] | number {
  return sys_getpeername(sk(s));
}

export function shutdown(s: Socket, how: number): number {
  return sys_shutdown(sk(s), how);
}

export function close(s: Socket): void {
  sys_close(sk(s));
}

/** fcntl(F_SETFL): O_NONBLOCK is the one flag sockets take here. */
export function fcntl_setfl(s: Socket, flags: number): number {
  sk(s).nonblock = (flags & O_NONBLOCK) !== 0;
  return 0;
}

/** poll(): the socket's revents. */
export function poll(s: Socket): number {
  return sock_poll(sk(s));
}

/** The wait queue poll() sleeps on (poll_wait): a program blocks on it until the socket changes. */
export function poll_wait(s: Socket): WaitQueue {
  return sk(s).wq;
}
