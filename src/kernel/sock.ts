// struct sock / inet_sock: what the IPv4 protocols keep per socket.
import { WaitQueue } from '../sim/sched.ts';
import { COST } from '../sim/costs.ts';
import type { Net } from './net_namespace.ts';
import type { SkBuff } from './skbuff.ts';

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;

export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_RAW = 255;

export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;

export const IP_PMTUDISC_DONT = 0;
export const IP_PMTUDISC_WANT = 1;
export const IP_PMTUDISC_DO = 2;
export const IP_PMTUDISC_PROBE = 3;

/** Extended error queued by ip_icmp_error (struct sock_extended_err). */
export interface SockExtendedErr {
  errno: number;
  origin: 'local' | 'icmp';
  type: number;
  code: number;
  info: number;
  /** offender: the address the error came from */
  offender: number;
  /** The original datagram's header and payload as queued. */
  payload: Uint8Array;
}

export class Sock {
  /** Woken by softirq: the task runs after the scheduler's latency. */
  readonly wq = new WaitQueue(COST.wakeup);
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
  /** sk_dst_cache: the route a connect() chose. */
  dstCache: import('./ipv4/route.ts').Rtable | null = null;
  /** Process that owns it, for `ss -p` and traces. */
  owner = '';
  ownerPid = 0;
  /** The fd number the owner holds it under (ss -p). */
  ownerFd = 0;
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

  constructor(
    readonly net: Net,
    readonly type: number,
    readonly protocol: number,
  ) {}
}
