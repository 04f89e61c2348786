// net/ipv4/tcp.c and the structures of include/linux/tcp.h,
// include/net/inet_connection_sock.h, request_sock.h, inet_timewait_sock.h:
// struct tcp_sock, request and time-wait sockets, tcp_set_state, and the
// calls a process makes (sendmsg, recvmsg, shutdown, close, poll).
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRNORM } from '../uapi/poll.ts';
import type { Timer } from '../../sim/events.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { IPPROTO_TCP, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK, SOCK_STREAM, Sock } from '../sock.ts';
import { MIB } from '../trace/snmp.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { sock_rps_record_flow } from '../core/rps.ts';
import { ipv4ToString } from './addr.ts';
import {
  inet_csk_get_port,
  inet_ehash_remove,
  inet_hash_listener,
  inet_put_port,
  inet_unhash,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_CLOSING,
  TCP_ESTABLISHED,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_NEW_SYN_RECV,
  TCP_STATE_NAMES,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCP_TIME_WAIT,
} from './inet_hashtables.ts';
import { tcp_v4_do_rcv } from './tcp_ipv4.ts';
import { tcp_time_wait } from './tcp_minisocks.ts';
import {
  __tcp_push_pending_frames,
  tcp_current_mss,
  tcp_send_ack,
  tcp_send_active_reset,
  tcp_send_fin,
  tcp_select_window_peek,
} from './tcp_output.ts';
import { inet_csk_clear_xmit_timers, tcp_init_xmit_timers, tcp_reset_keepalive_timer } from './tcp_timer.ts';
import { tcp_rcv_space_adjust, tcp_cleanup_rbuf_ack } from './tcp_input.ts';

export * from './inet_hashtables.ts';

// The flag bits are wire's (the one TCP header layout); re-exported for the tcp_* files.
import { TCPHDR_ACK, TCPHDR_CWR, TCPHDR_ECE, TCPHDR_FIN, TCPHDR_PSH, TCPHDR_RST, TCPHDR_SYN, TCPHDR_URG } from '../../wire/tcp.ts';
export { TCPHDR_ACK, TCPHDR_CWR, TCPHDR_ECE, TCPHDR_FIN, TCPHDR_PSH, TCPHDR_RST, TCPHDR_SYN, TCPHDR_URG };

/** HZ=250: the jiffies constants of include/net/tcp.h. */
export const HZ = 250;
export const TCP_TIMEOUT_INIT = HZ;
export const TCP_TIMEOUT_MIN = 2;
export const TCP_RTO_MAX = 120 * HZ;
export const TCP_RTO_MIN = HZ / 5;
export const TCP_DELACK_MAX = HZ / 5;
export const TCP_DELACK_MIN = HZ / 25;
export const TCP_ATO_MIN = HZ / 25;
export const TCP_TIMEWAIT_LEN = 60 * HZ;
export const TCP_FIN_TIMEOUT = TCP_TIMEWAIT_LEN;
export const TCP_SYNQ_INTERVAL = HZ / 5;
export const TCP_RESOURCE_PROBE_INTERVAL = HZ / 2;
export const TCP_MAX_QUICKACKS = 16;
export const TCP_INIT_CWND = 10;
export const TCP_MSS_DEFAULT = 536;
export const TCP_MIN_MSS = 88;
export const TCP_BASE_MSS = 1024;
export const MAX_TCP_WINDOW = 32767;
export const TCP_MAX_WSCALE = 14;
export { TCPOLEN_TSTAMP_ALIGNED } from '../../wire/tcp.ts';
export const TCP_RMEM_TO_WIN_SCALE = 8;
export const TCP_DEFAULT_SCALING_RATIO = 1 << (TCP_RMEM_TO_WIN_SCALE - 1);
export const TCP_INFINITE_SSTHRESH = 0x7fffffff;

/** icsk_ack.pending bits */
export const ICSK_ACK_SCHED = 1;
export const ICSK_ACK_TIMER = 2;
export const ICSK_ACK_PUSHED = 4;
export const ICSK_ACK_PUSHED2 = 8;
export const ICSK_ACK_NOW = 16;
export const ICSK_ACK_NOMEM = 32;

/** icsk_pending */
export const ICSK_TIME_RETRANS = 1;
export const ICSK_TIME_DACK = 2;
export const ICSK_TIME_PROBE0 = 3;
export const ICSK_TIME_LOSS_PROBE = 5;
export const ICSK_TIME_REO_TIMEOUT = 6;

/** The truesize Linux charges for an skb of `len` bytes of TCP payload built by tcp_sendmsg (head + page frags). */
export const SKB_TRUESIZE_HEAD = 832;
export const PAGE_SIZE = 4096;

export const before = (a: number, b: number): boolean => ((a - b) | 0) < 0;
export const after = (a: number, b: number): boolean => ((b - a) | 0) < 0;
export const between = (seq: number, lo: number, hi: number): boolean => (hi - lo) >>> 0 >= (seq - lo) >>> 0;

/** struct tcp_options_received */
export interface TcpOptionsReceived {
  tsRecentStamp: number;
  tsRecent: number;
  rcvTsval: number;
  rcvTsecr: number;
  sawTstamp: boolean;
  tstampOk: boolean;
  sackOk: boolean;
  wscaleOk: boolean;
  sndWscale: number;
  rcvWscale: number;
  mssClamp: number;
  userMss: number;
  numSacks: number;
  sackBlocks: [number, number][];
}

export function newRxOpt(): TcpOptionsReceived {
  return {
    tsRecentStamp: 0,
    tsRecent: 0,
    rcvTsval: 0,
    rcvTsecr: 0,
    sawTstamp: false,
    tstampOk: false,
    sackOk: false,
    wscaleOk: false,
    sndWscale: 0,
    rcvWscale: 0,
    mssClamp: 0,
    userMss: 0,
    numSacks: 0,
    sackBlocks: [],
  };
}

/** A segment of the write or retransmit queue: an skb's TCP_SKB_CB and payload. */
export interface TcpSeg {
  seq: number;
  endSeq: number;
  flags: number;
  data: Uint8Array;
  /** skb->skb_mstamp_ns of its last transmission (ns). */
  mstamp: number;
  /** TCPCB_SACKED_* */
  sacked: number;
  /** tcp_skb_pcount() */
  pcount: number;
  /** tcp_skb_mss() once sent */
  mss: number;
  /** skb->truesize */
  truesize: number;
  /** TCP_SKB_CB(skb)->tx.delivered at its last transmission */
  txDelivered: number;
  /** The packet last sent for it, while the queue holds it (its users count tells skb_fclone_busy()). */
  skb?: SkBuff | null;
}

export const TCPCB_SACKED_ACKED = 0x01;
export const TCPCB_SACKED_RETRANS = 0x02;
export const TCPCB_LOST = 0x04;
export const TCPCB_EVER_RETRANS = 0x80;

/** Received data waiting in sk_receive_queue / out_of_order_queue. */
export interface RcvSeg {
  seq: number;
  endSeq: number;
  fin: boolean;
  data: Uint8Array;
  truesize: number;
  /** The skb that carried it (the head of a coalesced run), freed when the data is. */
  skb: SkBuff | null;
}

/** struct tcp_sock (with inet_connection_sock). */
export class TcpSock extends Sock {
  readonly kind = 'full' as const;
  /** icsk_bind_hash: the port this socket holds in bhash, -1 when none. */
  bindPort = -1;
  /** Bound by connect(), not bind(): another connect may share the port. */
  fastreuse = false;
  /** sock_gen_cookie() */
  readonly cookie: number;
  rxOpt: TcpOptionsReceived = newRxOpt();
  tcpHeaderLen = 20;
  rcvNxt = 0;
  copiedSeq = 0;
  rcvWup = 0;
  sndNxt = 0;
  sndUna = 0;
  sndSml = 0;
  sndUp = 0;
  writeSeq = 0;
  pushedSeq = 0;
  sndWl1 = 0;
  sndWnd = 0;
  maxWindow = 0;
  rcvWnd = 0;
  windowClamp = 0;
  rcvSsthresh = 0;
  advmss = 0;
  mssCache = TCP_MSS_DEFAULT;
  /** icsk_pmtu_cookie */
  pmtuCookie = 0;
  tsoffset = 0;
  srttUs = 0;
  mdevUs = 0;
  mdevMaxUs = 0;
  rttvarUs = 0;
  rttSeq = 0;
  /** icsk_rto in jiffies */
  rto = TCP_TIMEOUT_INIT;
  retransmits = 0;
  backoff = 0;
  totalRto = 0;
  totalRtoRecoveries = 0;
  /** retrans_stamp, ms */
  retransStamp = 0;
  caState = 0;
  sndCwnd = TCP_INIT_CWND;
  sndSsthresh = TCP_INFINITE_SSTHRESH;
  sndCwndCnt = 0;
  sndCwndStamp = 0;
  priorCwnd = 0;
  priorSsthresh = 0;
  highSeq = 0;
  undoMarker = 0;
  undoRetrans = -1;
  packetsOut = 0;
  retransOut = 0;
  lostOut = 0;
  sackedOut = 0;
  lost = 0;
  delivered = 0;
  bytesAcked = 0;
  bytesReceived = 0;
  segsIn = 0;
  segsOut = 0;
  dataSegsIn = 0;
  dataSegsOut = 0;
  totalRetrans = 0;
  lsndtime = 0;
  rcvTstamp = 0;
  /** tp->tcp_mstamp (ns) */
  tcpMstamp = 0;
  /** icsk_ack */
  readonly ack = { pending: 0, quick: 0, pingpong: 0, ato: 0, timeout: 0, lrcvtime: 0, rcvMss: TCP_MSS_DEFAULT, lastSegSize: 0, retry: 0 };
  /** icsk_pending: which event the retransmit timer is armed for. */
  icskPending = 0;
  icskTimeout = 0;
  probesOut = 0;
  /** The three timers: retransmit (and probe0), delayed ACK, keepalive (and SYN-ACK for listeners, FIN_WAIT2). */
  retransTimer!: Timer;
  delackTimer!: Timer;
  /**
   * When the retransmit and delayed-ACK timers inet_csk_clear_xmit_timer()
   * stopped would have fired (ns; -1: none). Linux leaves them armed (no
   * INET_CSK_CLEAR_TIMERS), holding a socket reference until then, which
   * /proc/net/tcp's refcount shows.
   */
  retransStaleNs = -1;
  delackStaleNs = -1;
  keepaliveTimer!: Timer;
  readonly writeQueue: TcpSeg[] = [];
  readonly rtxQueue: TcpSeg[] = [];
  readonly rcvq: RcvSeg[] = [];
  readonly ofoQueue: RcvSeg[] = [];
  /** sk_wmem_queued */
  wmemQueued = 0;
  sndbufUser = 0;
  /** sk_forward_alloc */
  forwardAlloc = 0;
  scalingRatio = TCP_DEFAULT_SCALING_RATIO;
  /** tp->pred_flags != 0: header prediction is on. */
  predFlags = false;
  /** Listener: the accept queue and request sockets. */
  readonly acceptQueue: TcpSock[] = [];
  readonly reqs = new Set<RequestSock>();
  maxAckBacklog = 0;
  /** A child created from a request sock of this listener, until accept() takes it. */
  parent: TcpSock | null = null;
  /** tp->linger2 (TCP_LINGER2) */
  linger2 = 0;
  keepaliveTime = 0;
  /** rcvq_space for receive buffer autotuning */
  readonly rcvqSpace = { space: 0, seq: 0, time: 0 };
  /** tp->rcv_rtt_est */
  readonly rcvRttEst = { rttUs: 0, seq: 0, time: 0 };
  rcvRttLastTsecr = 0;
  /** tp->nonagle (TCP_NODELAY bits) */
  nonagle = 0;
  /** TCP_NAGLE_PUSH after a push */
  /** The reason the last sendmsg stopped: socket memory. */
  writePending = 0;
  tlpHighSeq = 0;
  syncnt = 0;
  userTimeout = 0;
  sndWscaleSeen = false;
  /** request sock's ISN when created from one (for tcp_v4_err and snt_isn). */
  sntIsn = 0;
  /** tp->cwnd_usage_seq */
  cwndUsageSeq = 0;
  /** tp->last_oow_ack_time (jiffies) */
  lastOowAckTime = 0;
  /** A D-SACK block waits to go out with the next ACK. */
  dsackPending = false;
  /** Duplicate ACKs in a row (tp->sacked_out for a non-SACK peer). */
  dupacks = 0;
  maxPacketsOut = 0;
  cwndLimited = false;
  /** sk_rx_dst_ifindex: the device of the input route early demux reuses (sk_rx_dst). */
  rxDstIfindex = 0;
  /** tcp_tw_isn: the ISN a time-wait socket hands to the listener for a new SYN. */
  twIsn = 0;
  /** tp->mtu_info */
  mtuInfo = 0;
  /** close() was called on the file (the socket may live on, orphaned). */
  fileClosed = false;
  /** The listener this socket was accepted from had SO_REUSEADDR (tw_reuse). */
  get reuse(): boolean {
    return this.reuseaddr;
  }
  get reuseportFlag(): boolean {
    return this.reuseport;
  }

  /** tsq_flags: work deferred while the socket was owned by the user (TCP_ACK_DEFERRED). */
  tsqFlags = 0;
  /**
   * The receive routine running for this socket, tcp_rcv_established or
   * tcp_rcv_state_process: kfree_skb's location for what tcp_drop_reason
   * (inlined into it) drops.
   */
  rcvRoutine = 'tcp_rcv_established';

  constructor(net: Net) {
    super(net, SOCK_STREAM, IPPROTO_TCP);
    this.cookie = net.kernel.nextSockCookie++;
    tcp_init_sock(this);
  }
}

/** struct request_sock / tcp_request_sock: a SYN_RECV mini socket. */
export class RequestSock {
  readonly kind = 'req' as const;
  readonly state = TCP_NEW_SYN_RECV;
  readonly cookie: number;
  bindPort = -1;
  rcvIsn = 0;
  sntIsn = 0;
  mss = 0;
  tstampOk = false;
  sackOk = false;
  wscaleOk = false;
  sndWscale = 0;
  rcvWscale = 0;
  tsRecent = 0;
  tsOff = 0;
  rcvWnd = 0;
  windowClamp = 0;
  numRetrans = 0;
  numTimeout = 0;
  /** req->timeout in jiffies */
  timeout = TCP_TIMEOUT_INIT;
  timer!: Timer;
  /** tcp_rsk(req)->snt_synack: when the first SYN-ACK left (ns), for the child's first RTT sample. */
  sntSynack = 0;
  ttl = -1;
  tos = 0;
  mark = 0;
  lastOowAckTime = 0;
  /** inet_rsk(req)->acked: the handshake ACK came but the accept queue was full. */
  acked = false;
  /** The MSS the SYN announced (tmp_opt.mss_clamp). */
  mssClampIn = 536;
  constructor(
    readonly listener: TcpSock,
    readonly rcvSaddr: number,
    readonly sport: number,
    readonly daddr: number,
    readonly dport: number,
  ) {
    this.cookie = listener.net.kernel.nextSockCookie++;
  }
  get net(): Net {
    return this.listener.net;
  }
}

/** struct inet_timewait_sock / tcp_timewait_sock. */
export class TimewaitSock {
  readonly kind = 'tw' as const;
  readonly state = TCP_TIME_WAIT;
  readonly cookie: number;
  bindPort = -1;
  /** tw_substate: TIME_WAIT or FIN_WAIT2 */
  substate = TCP_TIME_WAIT;
  rcvNxt = 0;
  sndNxt = 0;
  rcvWnd = 0;
  tsRecent = 0;
  tsRecentStamp = 0;
  tsRecentStampNs = 0;
  tsOffset = 0;
  rcvWscale = 0;
  tstampOk = false;
  reuse = false;
  reuseportFlag = false;
  bindDev = 0;
  mark = 0;
  tos = 0;
  ttl = -1;
  lastOowAckTime = 0;
  owner = '';
  readonly fastreuse = false;
  /** Expiry of the time-wait timer, ns. */
  expires = 0;
  /** tw_timer.expires as asked, in jiffies (sock_diag reports what is left of it). */
  timerJiffies = 0;
  timer!: Timer;
  dead = false;
  constructor(
    readonly net: Net,
    readonly rcvSaddr: number,
    readonly sport: number,
    readonly daddr: number,
    readonly dport: number,
  ) {
    this.cookie = net.kernel.nextSockCookie++;
  }

  /** inet_twsk_kill(): out of the tables. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.net.kernel.sim.delTimer(this.timer);
    inet_ehash_remove(this.net, this);
    inet_put_port(this.net, this);
    tcp_hashinfo_tw_dec(this.net);
  }
}

import { tcp_hashinfo } from './inet_hashtables.ts';
import { EAGAIN, ECONNRESET, EINVAL, ENOTCONN, EPIPE } from '../uapi/errno.ts';
function tcp_hashinfo_tw_dec(net: Net): void {
  tcp_hashinfo(net).twCount--;
}

/** tcp_init_sock() */
export function tcp_init_sock(sk: TcpSock): void {
  const net = sk.net;
  tcp_init_xmit_timers(sk);
  sk.rto = TCP_TIMEOUT_INIT;
  sk.mdevUs = TCP_TIMEOUT_INIT * 4000;
  sk.sndCwnd = TCP_INIT_CWND;
  sk.sndSsthresh = TCP_INFINITE_SSTHRESH;
  sk.mssCache = TCP_MSS_DEFAULT;
  sk.state = TCP_CLOSE;
  const wmem = (net.sysctl.get('net.ipv4.tcp_wmem') ?? '4096\t16384\t4194304').split('\t').map(Number);
  const rmem = (net.sysctl.get('net.ipv4.tcp_rmem') ?? '4096\t131072\t6291456').split('\t').map(Number);
  sk.sndbuf = wmem[1] ?? 16384;
  sk.rcvbuf = rmem[1] ?? 131072;
  sk.scalingRatio = TCP_DEFAULT_SCALING_RATIO;
}

export function tcp_rmem(net: Net): [number, number, number] {
  return (net.sysctl.get('net.ipv4.tcp_rmem') ?? '4096\t131072\t6291456').split('\t').map(Number) as [number, number, number];
}

export function tcp_wmem(net: Net): [number, number, number] {
  return (net.sysctl.get('net.ipv4.tcp_wmem') ?? '4096\t16384\t4194304').split('\t').map(Number) as [number, number, number];
}

/** tcp_jiffies32 */
export function tcp_jiffies32(net: Net): number {
  return net.kernel.jiffies();
}

/** tcp_time_stamp_ms: the millisecond clock TCP timestamps use. */
export function tcp_clock_ms(net: Net): number {
  return Math.floor(net.kernel.now / 1e6) >>> 0;
}

/**
 * The virtual time (ns) a timer_list armed now for jiffies `j` fires: the
 * timer wheel puts it in a bucket of its level's granularity, rounded up
 * (calc_wheel_index), and it runs at that tick.
 */
export function jiffies_to_time(net: Net, j: number): number {
  const k = net.kernel;
  const tick = 1e9 / k.HZ;
  const now = k.now;
  const clk = k.jiffies();
  const delta = (j - clk) | 0;
  // already due: the bucket of the base's clock; expires == jiffies rounds up to the next tick (calc_index)
  if (delta < 0) return now;
  let lvl = 0;
  // LVL_START(n) = 63 << 3(n-1)
  while (lvl < 8 && delta >= 63 * 2 ** (3 * lvl)) lvl++;
  const shift = 3 * lvl;
  const fire = (((j >>> 0) >>> shift) + 1) * 2 ** shift;
  const ticks = (fire - clk) % 2 ** 32;
  return (Math.floor(now / tick) + ticks) * tick;
}

export function tcp_mstamp_refresh(tp: TcpSock): void {
  tp.tcpMstamp = tp.net.kernel.now;
}

/** inet_sk_state_store() with its tracepoint. */
export function inet_sk_state_store(sk: TcpSock, state: number): void {
  const old = sk.state;
  trace_inet_sock_set_state(sk, old, state);
  sk.state = state;
}

export function trace_inet_sock_set_state(
  sk: { net: Net; sport: number; dport: number; saddr?: number; rcvSaddr: number; daddr: number; owner?: string },
  oldstate: number,
  newstate: number,
): void {
  const t = sk.net.kernel.tracer;
  if (!t.enabled) return;
  const s = ipv4ToString(sk.saddr ?? sk.rcvSaddr);
  const d = ipv4ToString(sk.daddr);
  t.emit(
    'inet_sock_set_state',
    `family=AF_INET protocol=IPPROTO_TCP sport=${sk.sport} dport=${sk.dport} saddr=${s} daddr=${d} saddrv6=::ffff:${s} daddrv6=::ffff:${d} oldstate=${TCP_STATE_NAMES[oldstate]} newstate=${TCP_STATE_NAMES[newstate]}`,
    sk.net.name,
  );
}

/** tcp_set_state(): counters, unhash on close, then the state (and its tracepoint). */
export function tcp_set_state(sk: TcpSock, state: number): void {
  const old = sk.state;
  const net = sk.net;
  switch (state) {
    case TCP_CLOSE:
      if (old === TCP_CLOSE_WAIT || old === TCP_ESTABLISHED) net.mib.inc(MIB.TcpEstabResets);
      inet_unhash(net, sk);
      if (sk.bindPort >= 0 && !(sk.userlocks & 8)) inet_put_port(net, sk);
      break;
    default:
      break;
  }
  inet_sk_state_store(sk, state);
}

/** Kept for callers; the tracer takes comm from the running task. */
export function tcp_set_trace_comm(sk: Sock): void {
  void sk;
}

function skptr(cookie: number): string {
  return (0xffff8880_10000000n + BigInt(cookie) * 0x800n).toString(16);
}

/** tcp:tcp_send_reset for an active reset (no skb). */
export function trace_tcp_send_reset_sk(sk: TcpSock, skb: SkBuff | null, reason: string): void {
  const t = sk.net.kernel.tracer;
  if (!t.enabled) return;
  void skb;
  t.emit(
    'tcp_send_reset',
    `skbaddr=0000000000000000 skaddr=${skptr(sk.cookie)} src=${ipv4ToString(sk.saddr)}:${sk.sport} dest=${ipv4ToString(sk.daddr)}:${sk.dport} state=${TCP_STATE_NAMES[sk.state]} reason=${reason}`,
    sk.net.name,
  );
}

/** tcp:tcp_send_reset answering a segment: a full socket names itself, otherwise the segment's reversed 4-tuple. */
export function trace_tcp_send_reset_skb(
  net: Net,
  sk: TcpSock | TimewaitSock | null,
  skb: SkBuff,
  cb: { saddr: number; daddr: number; sport: number; dport: number },
  reason: string,
): void {
  const t = net.kernel.tracer;
  if (!t.enabled) return;
  let src: string;
  let dest: string;
  if (sk && sk.kind === 'full') {
    src = `${ipv4ToString(sk.saddr)}:${sk.sport}`;
    dest = `${ipv4ToString(sk.daddr)}:${sk.dport}`;
  } else {
    src = `${ipv4ToString(cb.daddr)}:${cb.dport}`;
    dest = `${ipv4ToString(cb.saddr)}:${cb.sport}`;
  }
  const state = sk ? TCP_STATE_NAMES[sk.state] : 'UNKNOWN';
  t.emit(
    'tcp_send_reset',
    `skbaddr=${(0xffff8880_00000000n + BigInt(skb.id) * 0x100n).toString(16)} skaddr=${sk ? skptr(sk.cookie) : '0000000000000000'} src=${src} dest=${dest} state=${state} reason=${reason}`,
    net.name,
  );
}

/** tcp:tcp_receive_reset */
export function trace_tcp_receive_reset(sk: TcpSock): void {
  const t = sk.net.kernel.tracer;
  if (!t.enabled) return;
  const s = ipv4ToString(sk.saddr);
  const d = ipv4ToString(sk.daddr);
  t.emit(
    'tcp_receive_reset',
    `family=AF_INET sport=${sk.sport} dport=${sk.dport} saddr=${s} daddr=${d} saddrv6=::ffff:${s} daddrv6=::ffff:${d} sock_cookie=${sk.cookie.toString(16)}`,
    sk.net.name,
  );
}

/** sk_state_change / sk_data_ready / sk_write_space: wake whoever waits on the socket. */
export function sk_wake(sk: Sock): void {
  sk.wq.wakeUp();
}

/** sk_error_report() */
export function sk_error_report(sk: TcpSock): void {
  sk.wq.wakeUp();
}

/** tcp_done(): the connection is over. */
export function tcp_done(sk: TcpSock): void {
  if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) sk.net.mib.inc(MIB.TcpAttemptFails);
  tcp_set_state(sk, TCP_CLOSE);
  inet_csk_clear_xmit_timers(sk);
  sk.shutdown = SHUTDOWN_MASK;
  if (!sk.dead) sk_wake(sk);
  else inet_csk_destroy_sock(sk);
}

/** tcp_done_with_error() */
export function tcp_done_with_error(sk: TcpSock, err: number): void {
  sk.err = err;
  tcp_write_queue_purge(sk);
  tcp_done(sk);
  if (!sk.dead) sk_error_report(sk);
}

/** inet_csk_destroy_sock(): an orphan's last moment. */
export function inet_csk_destroy_sock(sk: TcpSock): void {
  inet_csk_clear_xmit_timers(sk);
  tcp_write_queue_purge(sk);
  tcp_purge_rcv(sk, 'sk_stream_kill_queues');
  // sk_stream_kill_queues(): then the error queue, with skb_queue_purge()
  for (const e of sk.errQueue.splice(0)) if (e.skb) kfree_skb_reason(sk.net, e.skb, SKB_DROP_REASON.QUEUE_PURGE, 'skb_queue_purge_reason');
  if (sk.bindPort >= 0) inet_put_port(sk.net, sk);
  sk.closed = true;
}

export function tcp_write_queue_purge(sk: TcpSock): void {
  sk.writeQueue.length = 0;
  sk.rtxQueue.length = 0;
  sk.wmemQueued = 0;
  sk.packetsOut = 0;
  sk.retransOut = 0;
  sk.lostOut = 0;
  sk.sackedOut = 0;
}

/** lock_sock() */
export function lock_sock(sk: TcpSock): void {
  sk.ownedByUser = true;
}

/** release_sock() → __release_sock(): what softirq left in the backlog, then tcp_release_cb. */
export function release_sock(sk: TcpSock): void {
  const cpu = sk.net.kernel.sim.cpu;
  while (sk.backlog.length) {
    const batch = sk.backlog.splice(0);
    sk.backlogLen = 0;
    cpu.localBhDisable();
    for (const skb of batch) {
      tcp_v4_do_rcv(sk, skb);
    }
    cpu.localBhEnable();
  }
  tcp_release_cb(sk);
  sk.ownedByUser = false;
}

/** Deferred work flags (tsq_flags) set while the socket was owned. */
export const TCP_ACK_DEFERRED = 1;
export function tcp_defer(sk: TcpSock, flag: number): void {
  sk.tsqFlags |= flag;
}

/** tcp_release_cb() */
function tcp_release_cb(sk: TcpSock): void {
  const f = sk.tsqFlags;
  sk.tsqFlags = 0;
  if (f & TCP_ACK_DEFERRED && inet_csk_ack_scheduled(sk)) {
    const cpu = sk.net.kernel.sim.cpu;
    cpu.localBhDisable();
    tcp_send_ack(sk);
    cpu.localBhEnable();
  }
}

export const inet_csk_ack_scheduled = (sk: TcpSock): boolean => (sk.ack.pending & ICSK_ACK_SCHED) !== 0;

/** inet_csk_listen_start() */
export function inet_csk_listen_start(sk: TcpSock): number {
  sk.maxAckBacklog = sk.maxAckBacklog || 0;
  inet_sk_state_store(sk, TCP_LISTEN);
  if (sk.bindPort < 0) {
    const err = inet_csk_get_port(sk.net, sk, sk.sport);
    if (err) {
      inet_sk_state_store(sk, TCP_CLOSE);
      return err;
    }
  }
  inet_hash_listener(sk.net, sk);
  return 0;
}

/** inet_listen() */
export function inet_listen(sk: TcpSock, backlog: number): number {
  if (sk.state !== TCP_CLOSE && sk.state !== TCP_LISTEN) return -EINVAL;
  const somax = sk.net.sysctl.int('net.core.somaxconn') || 4096;
  sk.maxAckBacklog = Math.min(Math.max(backlog, 0), somax);
  if (sk.state === TCP_LISTEN) return 0;
  return inet_csk_listen_start(sk);
}

/** inet_csk_listen_stop(): children never accepted are closed (and reset if they hold data). */
export function inet_csk_listen_stop(sk: TcpSock): void {
  for (const req of [...sk.reqs]) {
    sk.net.kernel.sim.delTimer(req.timer);
    inet_ehash_remove(sk.net, req);
  }
  sk.reqs.clear();
  // inet_child_forget(): a child nobody accepted is aborted, then destroyed
  const cpu = sk.net.kernel.sim.cpu;
  for (const child of sk.acceptQueue.splice(0)) {
    child.parent = null;
    cpu.localBhDisable();
    tcp_disconnect(child);
    child.dead = true;
    inet_csk_destroy_sock(child);
    cpu.localBhEnable();
  }
}

/** inet_csk_accept(): the first child in the accept queue, or null. */
export function inet_csk_accept(sk: TcpSock): TcpSock | null {
  const child = sk.acceptQueue.shift() ?? null;
  if (child) child.parent = null;
  return child;
}

export const sk_acceptq_is_full = (sk: TcpSock): boolean => sk.acceptQueue.length > sk.maxAckBacklog;

/** sk_stream_memory_free() / sk_stream_wspace() */
export function sk_stream_wspace(sk: TcpSock): number {
  return sk.sndbuf - sk.wmemQueued;
}

export function sk_stream_min_wspace(sk: TcpSock): number {
  return sk.wmemQueued >> 1;
}

/** tcp_stream_memory_free() */
export function tcp_stream_memory_free(sk: TcpSock): boolean {
  if (sk.wmemQueued >= sk.sndbuf) return false;
  const notsent = (sk.writeSeq - sk.sndNxt) >>> 0;
  const lowat = sk.net.sysctl.int('net.ipv4.tcp_notsent_lowat');
  return notsent < (lowat < 0 ? 0xffffffff : lowat >>> 0);
}

/** sk_stream_is_writeable() */
export function sk_stream_is_writeable(sk: TcpSock): boolean {
  return sk_stream_wspace(sk) >= sk_stream_min_wspace(sk) && tcp_stream_memory_free(sk);
}

export { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDHUP, POLLRDNORM, POLLWRNORM } from '../uapi/poll.ts';

/** tcp_poll() */
export function tcp_poll(sk: TcpSock): number {
  const state = sk.state;
  if (state === TCP_LISTEN) return sk.acceptQueue.length ? POLLIN | POLLRDNORM : 0;
  let mask = 0;
  const shutdown = sk.shutdown;
  if (shutdown === SHUTDOWN_MASK || state === TCP_CLOSE) mask |= POLLHUP;
  if (shutdown & RCV_SHUTDOWN) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
  if (state !== TCP_SYN_SENT && (state !== TCP_SYN_RECV || sk.rxOpt.tstampOk || true)) {
    if (tcp_inq(sk) > 0) mask |= POLLIN | POLLRDNORM;
    if (!(shutdown & SEND_SHUTDOWN)) {
      if (sk_stream_is_writeable(sk)) mask |= POLLOUT | POLLWRNORM;
    } else mask |= POLLOUT | POLLWRNORM;
  }
  if (state === TCP_SYN_SENT) mask &= ~(POLLOUT | POLLWRNORM);
  if (sk.err || sk.errQueue.length) mask |= POLLERR;
  return mask;
}

/** Bytes the reader can take now (tcp_inq without FIN). */
export function tcp_inq(sk: TcpSock): number {
  let n = 0;
  for (const s of sk.rcvq) {
    const end = s.fin ? s.endSeq - 1 : s.endSeq;
    const from = after(sk.copiedSeq, s.seq) ? sk.copiedSeq : s.seq;
    const d = (end - from) | 0;
    if (d > 0) n += d;
  }
  return n;
}

/** What `ss` shows as Recv-Q for a connected socket: rcv_nxt - copied_seq. */
export function tcp_rqueue(sk: TcpSock): number {
  return Math.max(0, (sk.rcvNxt - sk.copiedSeq) | 0);
}

/** tcp_sendmsg_locked(): copies into the write queue and pushes. Returns bytes taken or -errno. */
export function tcp_sendmsg(sk: TcpSock, data: Uint8Array, flags = 0): number {
  const net = sk.net;
  net.kernel.syscallEnter();
  // inet_send_prepare() → sock_rps_record_flow()
  sock_rps_record_flow(net.kernel, sk, sk.state === TCP_ESTABLISHED);
  lock_sock(sk);
  try {
    if (sk.err) {
      const e = sk.err;
      sk.err = 0;
      return -e;
    }
    if (sk.shutdown & SEND_SHUTDOWN) return -EPIPE;
    if (!((1 << sk.state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_CLOSE_WAIT)))) {
      if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) return -EAGAIN;
      return -EPIPE;
    }
    const mssNow = tcp_current_mss(sk);
    const sizeGoal = tcp_size_goal(sk, mssNow);
    let copied = 0;
    while (copied < data.length) {
      let tail = sk.writeQueue[sk.writeQueue.length - 1];
      let room = tail ? sizeGoal - tail.data.length : 0;
      if (!tail || room <= 0 || tail.flags & (TCPHDR_FIN | TCPHDR_SYN)) {
        if (!tcp_stream_memory_free(sk) || sk_stream_wspace(sk) <= 0) break;
        tail = {
          seq: sk.writeSeq,
          endSeq: sk.writeSeq,
          flags: TCPHDR_ACK,
          data: new Uint8Array(0),
          mstamp: 0,
          sacked: 0,
          pcount: 1,
          mss: mssNow,
          truesize: SKB_TRUESIZE_HEAD,
          txDelivered: 0,
        };
        sk.writeQueue.push(tail);
        sk.wmemQueued += tail.truesize;
        room = sizeGoal;
      }
      const n = Math.min(room, data.length - copied);
      const nd = new Uint8Array(tail.data.length + n);
      nd.set(tail.data);
      nd.set(data.subarray(copied, copied + n), tail.data.length);
      tail.data = nd;
      tail.endSeq = (tail.endSeq + n) >>> 0;
      tail.truesize += n;
      sk.wmemQueued += n;
      sk.writeSeq = (sk.writeSeq + n) >>> 0;
      copied += n;
      if (copied === 0) break;
      if (tail.data.length >= sizeGoal && !(flags & 0x8000)) {
        // forced push of a full skb (tcp_push_one when it heads the queue)
        if (forced_push(sk)) {
          tcp_mark_push(sk, tail);
          __tcp_push_pending_frames(sk, mssNow, 1);
        } else if (tail === sk.writeQueue[0]) {
          __tcp_push_pending_frames(sk, mssNow, 1);
        }
      }
    }
    if (copied) {
      const tail = sk.writeQueue[sk.writeQueue.length - 1];
      if (tail) {
        tcp_mark_push(sk, tail);
      }
      // tcp_push(): MSG_MORE holds back, else Nagle decides
      __tcp_push_pending_frames(sk, mssNow, flags & 0x8000 ? 2 : sk.nonagle);
      return copied;
    }
    return sk.nonblock ? -EAGAIN : -EAGAIN;
  } finally {
    release_sock(sk);
  }
}

function forced_push(sk: TcpSock): boolean {
  return after(sk.writeSeq, (sk.pushedSeq + (sk.maxWindow >> 1)) >>> 0);
}

export function tcp_mark_push(sk: TcpSock, seg: TcpSeg): void {
  seg.flags |= TCPHDR_PSH;
  sk.pushedSeq = sk.writeSeq;
}

/** tcp_send_mss()/tcp_xmit_size_goal(): how much one skb of the write queue may hold. */
export function tcp_size_goal(sk: TcpSock, mssNow: number): number {
  // veth and lo do GSO: up to 64 KB less headers, in whole segments
  const gsoMax = 65536 - 1 - 20 - (sk.tcpHeaderLen > 20 ? 60 : 60);
  let goal = tcp_bound_to_half_wnd(sk, gsoMax);
  const segs = Math.max(1, Math.floor(goal / mssNow));
  goal = segs * mssNow;
  return Math.max(goal, mssNow);
}

/** tcp_bound_to_half_wnd() */
export function tcp_bound_to_half_wnd(sk: TcpSock, pktsize: number): number {
  let cutoff: number;
  if (sk.maxWindow > TCP_MSS_DEFAULT) cutoff = sk.maxWindow >> 1;
  else cutoff = sk.maxWindow;
  if (cutoff && pktsize > cutoff) return Math.max(cutoff, 68 - sk.tcpHeaderLen);
  return pktsize;
}

/**
 * tcp_recvmsg(): up to `len` bytes in order. Returns the bytes (empty at
 * EOF), or -errno (-EAGAIN when nothing is there yet).
 */
export function tcp_recvmsg(sk: TcpSock, len: number, peek = false): Uint8Array | number {
  const net = sk.net;
  net.kernel.syscallEnter();
  // inet_recvmsg() → sock_rps_record_flow()
  sock_rps_record_flow(net.kernel, sk, sk.state === TCP_ESTABLISHED);
  lock_sock(sk);
  try {
    if (sk.state === TCP_LISTEN) return -ENOTCONN;
    const out: Uint8Array[] = [];
    let copied = 0;
    let seq = sk.copiedSeq;
    let i = 0;
    while (copied < len && i < sk.rcvq.length) {
      const s = sk.rcvq[i] as RcvSeg;
      let off = (seq - s.seq) | 0;
      if (off < 0) break;
      const dataEnd = s.data.length;
      if (off < dataEnd) {
        const n = Math.min(dataEnd - off, len - copied);
        out.push(s.data.subarray(off, off + n));
        copied += n;
        seq = (seq + n) >>> 0;
        off += n;
        if (!peek) {
          sk.copiedSeq = seq;
          tcp_rcv_space_adjust(sk);
        }
      }
      if (off >= dataEnd) {
        if (s.fin) {
          if (!peek) {
            seq = (seq + 1) >>> 0;
            sk.rcvq.splice(i, 1);
            tcp_rfree(sk, s);
          }
          break;
        }
        if (!peek) {
          sk.rcvq.splice(i, 1);
          tcp_rfree(sk, s);
        } else i++;
      }
    }
    if (!peek) sk.copiedSeq = seq;
    if (copied > 0) {
      if (!peek) tcp_cleanup_rbuf_ack(sk, copied);
      const r = new Uint8Array(copied);
      let o = 0;
      for (const c of out) {
        r.set(c, o);
        o += c.length;
      }
      return r;
    }
    if (sk.err) {
      const e = sk.err;
      sk.err = 0;
      return -e;
    }
    if (sk.done || sk.shutdown & RCV_SHUTDOWN) return new Uint8Array(0);
    if (sk.state === TCP_CLOSE) {
      // a socket that was never connected reads ENOTCONN; a reset one EOF
      return sk.done ? new Uint8Array(0) : -ENOTCONN;
    }
    return -EAGAIN;
  } finally {
    release_sock(sk);
  }
}

/** __skb_queue_purge() of the receive queue (and skb_rbtree_purge() of the out-of-order one): QUEUE_PURGE. */
export function tcp_purge_rcv(sk: TcpSock, location: string): void {
  for (const s of sk.rcvq.splice(0)) {
    if (s.skb) kfree_skb_reason(sk.net, s.skb, SKB_DROP_REASON.QUEUE_PURGE, location);
    s.skb = null;
    tcp_rfree(sk, s);
  }
  for (const s of sk.ofoQueue.splice(0)) {
    if (s.skb) kfree_skb_reason(sk.net, s.skb, SKB_DROP_REASON.NOT_SPECIFIED, 'skb_rbtree_purge');
    s.skb = null;
    tcp_rfree(sk, s);
  }
}

/** skb destructor sock_rfree(): uncharge and reclaim. */
export function tcp_rfree(sk: TcpSock, s: RcvSeg): void {
  s.skb?.release();
  s.skb = null;
  sk.rmemAlloc -= s.truesize;
  sk.forwardAlloc += s.truesize;
  sk_mem_reclaim(sk);
}

export function sk_mem_reclaim(sk: TcpSock): void {
  if (sk.forwardAlloc >= PAGE_SIZE) sk.forwardAlloc -= Math.floor(sk.forwardAlloc / PAGE_SIZE) * PAGE_SIZE;
}

/** tcp_close_state(): the next state on close, and whether a FIN should go out. */
const NEW_STATE: Readonly<Record<number, readonly [number, boolean]>> = {
  [TCP_ESTABLISHED]: [TCP_FIN_WAIT1, true],
  [TCP_SYN_SENT]: [TCP_CLOSE, false],
  [TCP_SYN_RECV]: [TCP_FIN_WAIT1, true],
  [TCP_FIN_WAIT1]: [TCP_FIN_WAIT1, false],
  [TCP_FIN_WAIT2]: [TCP_FIN_WAIT2, false],
  [TCP_TIME_WAIT]: [TCP_CLOSE, false],
  [TCP_CLOSE]: [TCP_CLOSE, false],
  [TCP_CLOSE_WAIT]: [TCP_LAST_ACK, true],
  [TCP_LAST_ACK]: [TCP_LAST_ACK, false],
  [TCP_LISTEN]: [TCP_CLOSE, false],
  [TCP_CLOSING]: [TCP_CLOSING, false],
};

export function tcp_close_state(sk: TcpSock): boolean {
  const [next, fin] = NEW_STATE[sk.state] ?? [TCP_CLOSE, false];
  tcp_set_state(sk, next);
  return fin;
}

/** tcp_shutdown(): SHUT_WR sends a FIN. */
export function tcp_shutdown(sk: TcpSock, how: number): void {
  if (!(how & SEND_SHUTDOWN)) return;
  if ((1 << sk.state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV) | (1 << TCP_CLOSE_WAIT))) {
    if (tcp_close_state(sk)) tcp_send_fin(sk);
  }
}

/** inet_shutdown(): how is 0 (RD), 1 (WR) or 2 (RDWR). */
export function inet_shutdown(sk: TcpSock, how: number): number {
  const net = sk.net;
  net.kernel.syscallEnter();
  const mode = how + 1;
  if (mode < 1 || mode > 3) return -EINVAL;
  lock_sock(sk);
  try {
    let err = 0;
    if ((1 << sk.state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV) | (1 << TCP_CLOSE))) {
      if (sk.state === TCP_CLOSE) err = -ENOTCONN;
      else if (sk.state === TCP_SYN_SENT) {
        // a half-open connect is simply dropped (tcp_disconnect)
        err = -ENOTCONN;
      }
    }
    if (sk.state === TCP_CLOSE) return -ENOTCONN;
    sk.shutdown |= mode;
    switch (sk.state) {
      case TCP_LISTEN:
        if (!(mode & RCV_SHUTDOWN)) break;
        __tcp_close_listener(sk);
        break;
      case TCP_SYN_SENT:
        tcp_disconnect(sk);
        break;
      default:
        tcp_shutdown(sk, mode);
    }
    sk_wake(sk);
    return err === -ENOTCONN && sk.state !== TCP_CLOSE ? 0 : err;
  } finally {
    release_sock(sk);
  }
}

function __tcp_close_listener(sk: TcpSock): void {
  tcp_set_state(sk, TCP_CLOSE);
  inet_csk_listen_stop(sk);
}

/** tcp_disconnect(): the ABORT of RFC 793 (SYN_SENT shutdown, connect(AF_UNSPEC), a never-accepted child). */
export function tcp_disconnect(sk: TcpSock): void {
  const old = sk.state;
  if (old !== TCP_CLOSE) tcp_set_state(sk, TCP_CLOSE);
  const needReset =
    (1 << old) & ((1 << TCP_ESTABLISHED) | (1 << TCP_CLOSE_WAIT) | (1 << TCP_FIN_WAIT1) | (1 << TCP_FIN_WAIT2) | (1 << TCP_SYN_RECV));
  if (old === TCP_LISTEN) inet_csk_listen_stop(sk);
  else if (needReset) {
    tcp_send_active_reset(sk, 'TCP_STATE');
    sk.err = ECONNRESET;
  } else if (sk.sndNxt !== sk.writeSeq && (1 << old) & ((1 << TCP_CLOSING) | (1 << TCP_LAST_ACK))) {
    tcp_send_active_reset(sk, 'TCP_DISCONNECT_WITH_DATA');
    sk.err = ECONNRESET;
  } else if (old === TCP_SYN_SENT) sk.err = ECONNRESET;
  inet_csk_clear_xmit_timers(sk);
  tcp_purge_rcv(sk, 'tcp_disconnect');
  tcp_write_queue_purge(sk);
  sk.dport = 0;
  sk.daddr = 0;
  sk.shutdown = 0;
  sk.done = false;
  sk.writeSeq = (sk.writeSeq + sk.maxWindow + 2) >>> 0;
  sk.dstCache = null;
}

/** tcp_close() → __tcp_close(). */
export function tcp_close(sk: TcpSock): void {
  const net = sk.net;
  net.kernel.syscallEnter();
  const cpu = net.kernel.sim.cpu;
  lock_sock(sk);
  __tcp_close(sk);
  release_sock(sk);
  void cpu;
}

export function __tcp_close(sk: TcpSock): void {
  const net = sk.net;
  sk.shutdown = SHUTDOWN_MASK;
  let done = false;
  if (sk.state === TCP_LISTEN) {
    tcp_set_state(sk, TCP_CLOSE);
    inet_csk_listen_stop(sk);
    done = true;
  }
  if (!done) {
    let dataWasUnread = false;
    for (const s of sk.rcvq.splice(0)) {
      let end = s.endSeq;
      if (s.fin) end = (end - 1) >>> 0;
      if (after(end, sk.copiedSeq)) dataWasUnread = true;
      tcp_rfree(sk, s);
    }
    if (sk.state === TCP_CLOSE) {
      // already reset
    } else if (dataWasUnread) {
      net.mib.inc(MIB.TcpExtTCPAbortOnClose);
      tcp_set_state(sk, TCP_CLOSE);
      tcp_send_active_reset(sk, 'TCP_ABORT_ON_CLOSE');
    } else if (sk.linger && !sk.lingertime) {
      tcp_disconnect(sk);
      net.mib.inc(MIB.TcpExtTCPAbortOnData);
    } else if (tcp_close_state(sk)) {
      tcp_send_fin(sk);
    }
  }
  // adjudge_to_death
  const state = sk.state;
  sk.dead = true;
  sk.closed = sk.state === TCP_CLOSE;
  // __release_sock without releasing ownership
  while (sk.backlog.length) {
    const batch = sk.backlog.splice(0);
    sk.backlogLen = 0;
    for (const skb of batch) tcp_v4_do_rcv(sk, skb);
  }
  if (state !== TCP_CLOSE && sk.state === TCP_CLOSE) return;
  if (sk.state === TCP_FIN_WAIT2) {
    if (sk.linger2 < 0) {
      tcp_set_state(sk, TCP_CLOSE);
      tcp_send_active_reset(sk, 'TCP_ABORT_ON_LINGER');
      net.mib.inc(MIB.TcpExtTCPAbortOnLinger);
    } else {
      const tmo = tcp_fin_time(sk);
      if (tmo > TCP_TIMEWAIT_LEN) tcp_reset_keepalive_timer(sk, tmo - TCP_TIMEWAIT_LEN);
      else {
        tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
        return;
      }
    }
  }
  if (sk.state === TCP_CLOSE) inet_csk_destroy_sock(sk);
}

/** tcp_fin_time() */
export function tcp_fin_time(sk: TcpSock): number {
  let fin = sk.linger2 ? sk.linger2 : (sk.net.sysctl.int('net.ipv4.tcp_fin_timeout') || 60) * HZ;
  const rto = sk.rto;
  if (fin < (rto << 2) - (rto >> 1)) fin = (rto << 2) - (rto >> 1);
  return fin;
}

/** The advertised window right now, for ss and tests. */
export function tcp_peek_window(sk: TcpSock): number {
  return tcp_select_window_peek(sk);
}

export function tcp_state_name(state: number): string {
  return TCP_STATE_NAMES[state] ?? 'UNKNOWN';
}

export type { SkBuff };
