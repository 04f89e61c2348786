// struct sock / inet_sock: what the IPv4 protocols keep per socket.
import { WaitQueue } from '../sim/sched.ts';
import { COST } from '../sim/costs.ts';
import type { Net } from './net_namespace.ts';
import type { SkBuff } from './skbuff.ts';
import { IP_PMTUDISC_WANT } from './uapi/in.ts';

export { SOCK_DGRAM, SOCK_RAW, SOCK_STREAM } from './uapi/asm_socket.ts';
export {
  IP_PMTUDISC_DO,
  IP_PMTUDISC_DONT,
  IP_PMTUDISC_PROBE,
  IP_PMTUDISC_WANT,
  IPPROTO_ICMP,
  IPPROTO_IP,
  IPPROTO_RAW,
  IPPROTO_TCP,
  IPPROTO_UDP,
} from './uapi/in.ts';

export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;

/** Extended error queued by ip_icmp_error (struct sock_extended_err). */
export interface SockExtendedErr {
  errno: number;
  origin: 'local' | 'icmp' | 'icmp6';
  type: number;
  code: number;
  info: number;
  /** offender: the address the error came from */
  offender: number;
  /** The original datagram's header and payload as queued. */
  payload: Uint8Array;
  /** IPv6 (ipv6_recv_error): SO_EE_OFFENDER's sin6_addr and scope id, and msg_name (the original destination). */
  offender6?: { addr: Uint8Array; scopeId: number };
  name6?: { addr: Uint8Array; port: number; scopeId: number };
}

/** What recvmsg() hands back: the bytes and the sender (msg_name). */
export interface RecvResult {
  data: Uint8Array;
  from: { addr: number; port: number };
}

/** setsockopt()'s value: an int, or struct linger as [l_onoff, l_linger], or bytes (IP_OPTIONS, SO_BINDTODEVICE). */
export type SockoptVal = number | [number, number] | Uint8Array | string;

/**
 * struct proto (include/net/sock.h): what one transport protocol does for
 * its sockets: tcp_prot, udp_prot, raw_prot, ping_prot. Only what the
 * simulated protocols implement is here; a missing entry is a call the
 * protocol does not support.
 */
export interface Proto {
  readonly name: string;
  /** sk_alloc(): the protocol's socket object (obj_size). */
  alloc(net: Net, type: number, protocol: number): Sock;
  /** ->init(): ping_init_sock refuses users outside ping_group_range. */
  init?(sk: Sock): number;
  close(sk: Sock): void;
  connect(sk: Sock, daddr: number, dport: number): number;
  disconnect(sk: Sock): number;
  accept?(sk: Sock): Sock | number;
  /** The protocol's own level (SOL_TCP, SOL_RAW); other levels go to ip_setsockopt. */
  setsockopt(sk: Sock, level: number, opt: number, val: SockoptVal): number;
  getsockopt(sk: Sock, level: number, opt: number): number | Uint8Array;
  sendmsg(sk: Sock, data: Uint8Array, to?: { daddr: number; dport: number }): number;
  recvmsg(sk: Sock, len: number, peek: boolean): RecvResult | number;
  /** raw_bind, ping_bind; TCP and UDP bind through inet_bind and get_port. */
  bind?(sk: Sock, addr: number, port: number): number;
  hash(sk: Sock): void;
  unhash(sk: Sock): void;
  get_port(sk: Sock, snum: number): number;
  /** The protocol's own part of poll (tcp_poll; datagram_poll otherwise). */
  poll?(sk: Sock): number;
  /** inet_shutdown's protocol half: tcp_shutdown. */
  shutdown?(sk: Sock, how: number): number;
}

/** struct proto_ops: the socket layer's calls for one socket type (inet_stream_ops, inet_dgram_ops, inet_sockraw_ops). */
export interface ProtoOps {
  readonly family: number;
  release(sk: Sock): void;
  bind(sk: Sock, addr: number, port: number): number;
  connect(sk: Sock, daddr: number, dport: number): number;
  accept(sk: Sock): Sock | number;
  getname(sk: Sock, peer: boolean): [number, number] | number;
  poll(sk: Sock): number;
  listen(sk: Sock, backlog: number): number;
  shutdown(sk: Sock, how: number): number;
  setsockopt(sk: Sock, level: number, opt: number, val: SockoptVal): number;
  getsockopt(sk: Sock, level: number, opt: number): number | Uint8Array;
  sendmsg(sk: Sock, data: Uint8Array, to?: { daddr: number; dport: number }): number;
  recvmsg(sk: Sock, len: number, peek: boolean): RecvResult | number;
}

export class Sock {
  /** sk->sk_prot, chosen by inet_create from inetsw (children copy their listener's). */
  prot!: Proto;
  /** sock->ops */
  ops!: ProtoOps;
  /** Woken by softirq: the task runs after the scheduler's latency. */
  readonly wq = new WaitQueue(COST.wakeup, 'a socket');
  readonly rcvQueue: SkBuff[] = [];
  readonly errQueue: { skb: SkBuff; ee: SockExtendedErr }[] = [];
  rcvQueueBytes = 0;
  rcvbuf = 212992;
  sndbuf = 212992;
  /** inet_rcv_saddr / inet_saddr, inet_sport (host order) */
  rcvSaddr = 0;
  saddr = 0;
  sport = 0;
  daddr = 0;
  dport = 0;
  bound = false;
  connected = false;
  bindDev = 0;
  mark = 0;
  ttl = -1;
  /** inet->min_ttl (IP_MINTTL) */
  minTtl = 0;
  tos = 0;
  pmtudisc = IP_PMTUDISC_WANT;
  recverr = false;
  /** inet->inet_opt: IP options put on every datagram (setsockopt IP_OPTIONS). */
  ipOpt: import('./ipv4/ip_options.ts').IpOptions | null = null;
  hdrincl = false;
  /** ICMP_FILTER bitmap for raw ICMP sockets: a set bit blocks that type. */
  icmpFilter = 0;
  /** sk_err: pending error (positive errno). */
  err = 0;
  /** inet_id for DF datagrams of connected sockets */
  inetId = 0;
  closed = false;
  reuseaddr = false;
  broadcast = false;
  /** SO_DONTROUTE (SOCK_LOCALROUTE): routes are looked up with link scope (ip_sock_rt_scope). */
  localroute = false;
  /** sk_dst_cache: the route a connect() chose. */
  dstCache: import('./ipv4/route.ts').Rtable | null = null;
  /** Process that owns it, for `ss -p` and traces. */
  owner = '';
  ownerPid = 0;
  /** The fd number the owner holds it under (ss -p). */
  ownerFd = 0;
  /** The socket's sockfs inode (sock_i_ino), numbered the first time /proc shows it; 0 while none. */
  ino = 0;
  /** sk_state: TCP_* states; datagram sockets use ESTABLISHED when connected, CLOSE otherwise. */
  state = 7;
  /** sk_shutdown: RCV_SHUTDOWN | SEND_SHUTDOWN */
  shutdown = 0;
  /** sk_err_soft */
  errSoft = 0;
  reuseport = false;
  /** SO_RCVTIMEO / SO_SNDTIMEO in ns; 0 = forever. */
  rcvtimeo = 0;
  sndtimeo = 0;
  /** sk_userlocks (SOCK_SNDBUF_LOCK 1, SOCK_RCVBUF_LOCK 2, SOCK_BINDADDR_LOCK 4, SOCK_BINDPORT_LOCK 8) */
  userlocks = 0;
  /** SOCK_DEAD: orphaned, no file refers to it. */
  dead = false;
  /** SOCK_DONE */
  done = false;
  /** sock_owned_by_user(): a process is inside a call on it (lock_sock). */
  ownedByUser = false;
  /** sk_backlog: segments softirq queued while the owner held the lock. */
  readonly backlog: SkBuff[] = [];
  backlogLen = 0;
  /** sk_rmem_alloc: truesize charged by queued receive buffers. */
  rmemAlloc = 0;
  /** sk_drops */
  drops = 0;
  /** SO_LINGER */
  linger = false;
  lingertime = 0;
  /** O_NONBLOCK on the file. */
  nonblock = false;
  /** SO_KEEPALIVE */
  keepopen = false;

  /** sk->sk_rxhash: the flow hash sock_rps_save_rxhash() keeps (0: none). */
  rxhash = 0;
  /** sk->sk_rx_dst: the input route early demux hands to the next packet. */
  rxDst: import('./ipv4/route.ts').Rtable | null = null;
  /** udp_sk(sk)->encap_rcv: a tunnel's receive (setup_udp_tunnel_sock); <= 0 consumed the skb, > 0 hands it back to UDP. */
  encapRcv: ((sk: Sock, skb: SkBuff) => number) | null = null;
  /** sk->sk_user_data: the tunnel that owns a kernel socket (struct vxlan_sock). */
  userData: unknown = null;

  constructor(
    readonly net: Net,
    readonly type: number,
    readonly protocol: number,
  ) {}
}
