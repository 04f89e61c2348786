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

  constructor(
    readonly net: Net,
    readonly type: number,
    readonly protocol: number,
  ) {}
}
