// net/ipv6/af_inet6.c: socket(AF_INET6, …): the inetsw6 table, inet6_create,
// inet6_bind, inet6_getname, inet6_release and the proto_ops of IPv6 datagram
// and raw sockets. The per-socket IPv6 state (struct ipv6_pinfo with
// sk_v6_daddr / sk_v6_rcv_saddr) is Sock6. Addresses are the 16-byte arrays
// of src/wire/ipv6.ts; a sockaddr_in6 is SockAddrIn6.
import type { Net } from '../net_namespace.ts';
import { type Proto, type ProtoOps, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK, Sock, type SockoptVal } from '../sock.ts';
import { SOCK_DGRAM, SOCK_MAX, SOCK_RAW } from '../uapi/asm_socket.ts';
import { EAFNOSUPPORT, EINVAL, ENOTCONN, EOPNOTSUPP, EPROTONOSUPPORT, ESOCKTNOSUPPORT } from '../uapi/errno.ts';
import { IPPROTO_IP, IPPROTO_UDP } from '../uapi/in.ts';
import { AF_INET6, IPPROTO_ICMPV6, IPV6_PMTUDISC_WANT } from '../uapi/in6.ts';
import { pingv6_prot } from './ping.ts';
import { rawv6_prot } from './raw.ts';
import { udpv6_prot } from './udp.ts';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM } from '../uapi/poll.ts';

/** struct sockaddr_in6, as a program passes and gets it. */
export interface SockAddrIn6 {
  addr: Uint8Array;
  port: number;
  scopeId: number;
}

/** What recvmsg() of an IPv6 datagram socket hands back: the bytes, msg_name and the IPV6_HOPLIMIT cmsg (-1 without it). */
export interface RecvResult6 {
  data: Uint8Array;
  from: SockAddrIn6;
  hoplimit: number;
}

/** The control messages of sendmsg() an IPv6 socket reads here: IPV6_PKTINFO's interface. */
export interface Cmsg6 {
  pktinfoIfindex?: number;
}

/** The IPv6 half of a protocol's struct proto: the calls that take sockaddr_in6. */
export interface Proto6 {
  bind(sk: Sock6, a: SockAddrIn6): number;
  connect(sk: Sock6, a: SockAddrIn6): number;
  sendmsg(sk: Sock6, data: Uint8Array, to: SockAddrIn6 | null, cmsg: Cmsg6): number;
  recvmsg(sk: Sock6, len: number, peek: boolean): RecvResult6 | number;
  setsockopt(sk: Sock6, level: number, opt: number, val: SockoptVal): number;
  getsockopt(sk: Sock6, level: number, opt: number): number | Uint8Array;
  close(sk: Sock6): void;
  disconnect(sk: Sock6): number;
  hash(sk: Sock6): void;
  unhash(sk: Sock6): void;
  /** ->init(): ping_v6_init_sock refuses users outside ping_group_range. */
  init?(sk: Sock6): number;
}

/** struct sock with struct ipv6_pinfo. */
export class Sock6 extends Sock {
  readonly family = AF_INET6;
  prot6!: Proto6;
  /** sk_v6_rcv_saddr, np->saddr, sk_v6_daddr */
  v6RcvSaddr = new Uint8Array(16);
  v6Saddr = new Uint8Array(16);
  v6Daddr = new Uint8Array(16);
  /** np->hop_limit, np->mcast_hops: -1 is the route's (or the device's) default. */
  hopLimit = -1;
  mcastHops = -1;
  mcLoop = true;
  /** np->pmtudisc (IPV6_MTU_DISCOVER) */
  pmtudisc6 = IPV6_PMTUDISC_WANT;
  /** np->frag_size (IPV6_MTU) */
  fragSize = 0;
  /** np->recverr (IPV6_RECVERR) */
  recverr6 = false;
  /** np->rxopt.bits.rxhlim (IPV6_RECVHOPLIMIT) */
  rxHoplimit = false;
  /** np->sticky_pktinfo.ipi6_ifindex (IPV6_PKTINFO as a socket option) */
  stickyIfindex = 0;
  /** np->tclass */
  tclass = 0;
  /** ICMPV6_FILTER of a raw ICMPv6 socket: a set bit blocks that type (ICMP6_FILTER_WILLBLOCK). */
  readonly icmp6Filter = new Uint32Array(8);
  /** raw6_sock: the kernel computes the checksum at offset (IPV6_CHECKSUM; ICMPv6 always at 2). */
  rawChecksum = false;
  rawOffset = 0;

  constructor(net: Net, type: number, protocol: number) {
    super(net, type, protocol);
  }
}

/** struct inet_protosw of inetsw6 */
interface Inet6Protosw {
  readonly type: number;
  readonly protocol: number;
  readonly prot: Proto6;
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

/** inet6_release() */
function inet6_release(sk: Sock): void {
  sk.net.openSockets.delete(sk);
  (sk as Sock6).prot6.close(sk as Sock6);
}

const noAddr = (): number => -EAFNOSUPPORT;

/**
 * inet6_dgram_ops / inet6_sockraw_ops as the generic socket calls reach them
 * (close, poll, the socket options, read): the calls that take an IPv4
 * address refuse one (EAFNOSUPPORT); the sockaddr_in6 calls are Proto6's.
 */
export const inet6_dgram_ops: Readonly<ProtoOps> = {
  family: AF_INET6,
  release: inet6_release,
  bind: noAddr,
  connect: noAddr,
  accept: () => -EOPNOTSUPP,
  getname: () => -EAFNOSUPPORT,
  poll: datagram_poll,
  listen: () => -EOPNOTSUPP,
  shutdown: (sk, how) => {
    const mode = how + 1;
    if (mode < 1 || mode > 3) return -EINVAL;
    const err = sk.state === 7 ? -ENOTCONN : 0;
    sk.shutdown |= mode;
    sk.wq.wakeUp();
    return err;
  },
  setsockopt: (sk, level, opt, val) => (sk as Sock6).prot6.setsockopt(sk as Sock6, level, opt, val),
  getsockopt: (sk, level, opt) => (sk as Sock6).prot6.getsockopt(sk as Sock6, level, opt),
  sendmsg: (sk, data) => (sk as Sock6).prot6.sendmsg(sk as Sock6, data, null, {}),
  recvmsg: (sk, len, peek) => {
    const r = (sk as Sock6).prot6.recvmsg(sk as Sock6, len, peek);
    if (typeof r === 'number') return r;
    return { data: r.data, from: { addr: 0, port: r.from.port } };
  },
};

/** The struct proto every IPv6 socket carries for the generic layer (name, close, hash). */
function proto_of(name: string): Proto {
  return {
    name,
    alloc: (net, type, protocol) => new Sock6(net, type, protocol),
    close: (sk) => (sk as Sock6).prot6.close(sk as Sock6),
    connect: noAddr,
    disconnect: (sk) => (sk as Sock6).prot6.disconnect(sk as Sock6),
    setsockopt: (sk, level, opt, val) => (sk as Sock6).prot6.setsockopt(sk as Sock6, level, opt, val),
    getsockopt: (sk, level, opt) => (sk as Sock6).prot6.getsockopt(sk as Sock6, level, opt),
    sendmsg: (sk, data) => (sk as Sock6).prot6.sendmsg(sk as Sock6, data, null, {}),
    recvmsg: (sk, len, peek) => inet6_dgram_ops.recvmsg(sk, len, peek),
    hash: (sk) => (sk as Sock6).prot6.hash(sk as Sock6),
    unhash: (sk) => (sk as Sock6).prot6.unhash(sk as Sock6),
    get_port: () => 0,
  };
}

/** inetsw6[]: what socket(AF_INET6, …) can make here (TCPv6 is a later issue). */
const inetsw6: readonly Inet6Protosw[] = [
  { type: SOCK_DGRAM, protocol: IPPROTO_UDP, prot: udpv6_prot },
  { type: SOCK_DGRAM, protocol: IPPROTO_ICMPV6, prot: pingv6_prot },
  { type: SOCK_RAW, protocol: IPPROTO_IP, prot: rawv6_prot },
];

/** inet6_create(): find (type, protocol) in inetsw6, allocate, init and hash. */
export function inet6_create(net: Net, type: number, protocol: number): Sock6 | number {
  if (type < 0 || type >= SOCK_MAX) return -EINVAL;
  let err = -ESOCKTNOSUPPORT;
  let answer: Inet6Protosw | null = null;
  for (const a of inetsw6) {
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
  const sk = new Sock6(net, type, protocol);
  sk.prot6 = answer.prot;
  sk.prot = proto_of(type === SOCK_RAW ? 'RAWv6' : protocol === IPPROTO_UDP ? 'UDPv6' : 'PINGv6');
  sk.ops = inet6_dgram_ops;
  if (type === SOCK_RAW) {
    // the protocol is the raw socket's inet_num: the ICMPv6 checksum is always the kernel's
    if (protocol === IPPROTO_ICMPV6) {
      sk.rawChecksum = true;
      sk.rawOffset = 2;
    }
    sk.prot6.hash(sk);
  }
  if (sk.prot6.init) {
    const e = sk.prot6.init(sk);
    if (e) return e;
  }
  net.openSockets.add(sk);
  return sk;
}

/** inet6_getname(): our end, or the peer's (-ENOTCONN when there is none). */
export function inet6_getname(sk: Sock6, peer: boolean): SockAddrIn6 | number {
  if (peer) {
    if (!sk.dport && sk.state !== 1) return -ENOTCONN;
    return { addr: sk.v6Daddr.slice(), port: sk.dport, scopeId: needsScope(sk.v6Daddr) ? sk.bindDev : 0 };
  }
  const a = sk.v6RcvSaddr.some((x) => x !== 0) ? sk.v6RcvSaddr : sk.v6Saddr;
  return { addr: a.slice(), port: sk.sport, scopeId: needsScope(a) ? sk.bindDev : 0 };
}

/** __ipv6_addr_needs_scope_id() for a unicast link-local or a link-local multicast address. */
function needsScope(a: Uint8Array): boolean {
  return (a[0] === 0xfe && ((a[1] as number) & 0xc0) === 0x80) || (a[0] === 0xff && ((a[1] as number) & 0x0f) === 2);
}
