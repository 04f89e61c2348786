// net/ipv4/inet_diag.c, tcp_diag.c, udp_diag.c, raw_diag.c: the sockets of a
// namespace as sock_diag dumps them for ss (SOCK_DIAG_BY_FAMILY with an
// inet_diag_req_v2), and /proc/net/sockstat (net/ipv4/proc.c).
import type { Net } from '../net_namespace.ts';
import type { Sock } from '../sock.ts';
import { SOCK_STREAM } from '../uapi/asm_socket.ts';
import { AF_INET } from '../uapi/asm_socket.ts';
import { IPPROTO_RAW, IPPROTO_TCP, IPPROTO_UDP } from '../uapi/in.ts';
import {
  IDIAG_TIMER_KEEPALIVE,
  IDIAG_TIMER_ON,
  IDIAG_TIMER_PROBE0,
  IDIAG_TIMER_TIMEWAIT,
  INET_DIAG_INFO,
  INET_DIAG_MEMINFO,
  INET_DIAG_SKMEMINFO,
  type InetDiagMsg,
  type InetDiagReqV2,
  type TcpInfo,
} from '../uapi/sock_diag.ts';
import { tcp_hashinfo } from './inet_hashtables.ts';
import {
  ICSK_TIME_LOSS_PROBE,
  ICSK_TIME_PROBE0,
  ICSK_TIME_REO_TIMEOUT,
  ICSK_TIME_RETRANS,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_NEW_SYN_RECV,
  TCP_SYN_RECV,
  TCP_TIME_WAIT,
  type TcpSock,
} from './tcp.ts';

const TCPF = (s: number): number => 1 << s;

/** The process that holds the socket, for ss -p (what it finds under /proc/PID/fd). */
function owner(sk: Sock): InetDiagMsg['owner'] {
  if (!sk.owner || sk.dead) return undefined;
  return { comm: sk.owner, pid: sk.ownerPid, fd: sk.ownerFd };
}

/** sk_get_meminfo(): SK_MEMINFO_RMEM_ALLOC, RCVBUF, WMEM_ALLOC, SNDBUF, FWD_ALLOC, WMEM_QUEUED, OPTMEM, BACKLOG, DROPS */
function sk_get_meminfo(sk: Sock): number[] {
  const tp = sk.type === 1 ? (sk as TcpSock) : null;
  return [
    sk.rmemAlloc || sk.rcvQueueBytes,
    sk.rcvbuf,
    0,
    sk.sndbuf,
    tp ? tp.forwardAlloc : 0,
    tp ? tp.wmemQueued : 0,
    0,
    sk.backlogLen,
    sk.drops,
  ];
}

/** tcp_get_info() */
function tcp_get_info(tp: TcpSock): TcpInfo {
  return {
    tcpi_state: tp.state,
    tcpi_ca_state: tp.caState,
    tcpi_retransmits: tp.retransmits,
    tcpi_probes: tp.probesOut,
    tcpi_backoff: tp.backoff,
    tcpi_rto: tp.rto,
    tcpi_snd_mss: tp.mssCache,
    tcpi_rcv_mss: tp.advmss,
    tcpi_unacked: tp.packetsOut,
    tcpi_sacked: tp.sackedOut,
    tcpi_lost: tp.lostOut,
    tcpi_retrans: tp.retransOut,
    tcpi_rtt: tp.srttUs >> 3,
    tcpi_rttvar: tp.mdevUs >> 2,
    tcpi_snd_ssthresh: tp.sndSsthresh,
    tcpi_snd_cwnd: tp.sndCwnd,
    tcpi_advmss: tp.advmss,
    tcpi_rcv_ssthresh: tp.rcvSsthresh,
    tcpi_total_retrans: tp.totalRetrans,
    tcpi_bytes_acked: tp.bytesAcked,
    tcpi_bytes_received: tp.bytesReceived,
    tcpi_segs_out: tp.segsOut,
    tcpi_segs_in: tp.segsIn,
    tcpi_data_segs_in: tp.dataSegsIn,
    tcpi_data_segs_out: tp.dataSegsOut,
    tcpi_delivered: tp.delivered,
    tcpi_snd_wnd: tp.sndWnd,
    tcpi_rcv_wnd: tp.rcvWnd,
  };
}

/** jiffies_delta_to_msecs(expires - jiffies), never negative. */
function msecsLeft(net: Net, expiresJiffies: number): number {
  const k = net.kernel;
  const delta = ((expiresJiffies >>> 0) - (k.jiffies() >>> 0)) | 0;
  return delta <= 0 ? 0 : Math.trunc((delta * 1000) / k.HZ);
}

/** A kernel timer's expiry in jiffies (the wheel may fire it a little later). */
function timerJiffies(net: Net, expiresNs: number): number {
  const k = net.kernel;
  return (k.jiffies() + Math.trunc(((expiresNs - k.now) * k.HZ) / 1e9)) >>> 0;
}

/** inet_sk_diag_fill()'s timer: retransmit (or its kin), zero-window probe, or keepalive. */
function inet_diag_timer(sk: TcpSock, m: InetDiagMsg): void {
  const p = sk.icskPending;
  if (p === ICSK_TIME_RETRANS || p === ICSK_TIME_REO_TIMEOUT || p === ICSK_TIME_LOSS_PROBE) {
    m.idiag_timer = IDIAG_TIMER_ON;
    m.idiag_retrans = sk.retransmits;
    m.idiag_expires = msecsLeft(sk.net, sk.icskTimeout);
  } else if (p === ICSK_TIME_PROBE0) {
    m.idiag_timer = IDIAG_TIMER_PROBE0;
    m.idiag_retrans = sk.probesOut;
    m.idiag_expires = msecsLeft(sk.net, sk.icskTimeout);
  } else if (sk.keepaliveTimer && sk.keepaliveTimer.expires >= 0) {
    m.idiag_timer = IDIAG_TIMER_KEEPALIVE;
    m.idiag_retrans = sk.probesOut;
    m.idiag_expires = msecsLeft(sk.net, timerJiffies(sk.net, sk.keepaliveTimer.expires));
  }
}

function base(sk: { rcvSaddr: number; sport: number; daddr: number; dport: number }, protocol: number, state: number): InetDiagMsg {
  return {
    idiag_family: AF_INET,
    idiag_state: state,
    idiag_timer: 0,
    idiag_retrans: 0,
    id: { idiag_sport: sk.sport, idiag_dport: sk.dport, idiag_src: sk.rcvSaddr, idiag_dst: sk.daddr, idiag_if: 0, idiag_cookie: 0 },
    idiag_expires: 0,
    idiag_rqueue: 0,
    idiag_wqueue: 0,
    idiag_uid: 0,
    idiag_inode: 0,
    protocol,
  };
}

/** inet_diag_msg_attrs_fill() and the protocol's idiag_get_info, for the extensions asked for. */
function fill_full(sk: Sock, m: InetDiagMsg, ext: number): InetDiagMsg {
  m.id.idiag_if = sk.bindDev;
  const o = owner(sk);
  if (o) m.owner = o;
  if (ext & (1 << (INET_DIAG_SKMEMINFO - 1))) m.skmeminfo = sk_get_meminfo(sk);
  if (ext & (1 << (INET_DIAG_MEMINFO - 1))) {
    const mi = sk_get_meminfo(sk);
    m.meminfo = { idiag_rmem: mi[0] as number, idiag_wmem: mi[2] as number, idiag_fmem: mi[4] as number, idiag_tmem: mi[5] as number };
  }
  if (sk.type === 1 && ext & (1 << (INET_DIAG_INFO - 1))) m.info = tcp_get_info(sk as TcpSock);
  return m;
}

/** tcp_diag_dump() → inet_diag_dump_icsk(): the listening hash, then the established hash (requests and time-wait included). */
function tcp_diag_dump(net: Net, req: InetDiagReqV2, out: InetDiagMsg[]): void {
  let states = req.idiag_states;
  if (states & TCPF(TCP_SYN_RECV)) states |= TCPF(TCP_NEW_SYN_RECV);
  const h = tcp_hashinfo(net);
  if (states & TCPF(TCP_LISTEN)) {
    for (const sk of h.listeners) {
      const m = base(sk, IPPROTO_TCP, TCP_LISTEN);
      m.idiag_rqueue = sk.acceptQueue.length;
      m.idiag_wqueue = sk.maxAckBacklog;
      out.push(fill_full(sk, m, req.idiag_ext));
    }
  }
  for (const e of h.ehash.values()) {
    if (e.kind === 'full') {
      const sk = e as TcpSock;
      if (sk.state === TCP_LISTEN || !(states & TCPF(sk.state))) continue;
      const m = base(sk, IPPROTO_TCP, sk.state);
      m.idiag_rqueue = Math.max((sk.rcvNxt - sk.copiedSeq) | 0, 0);
      m.idiag_wqueue = (sk.writeSeq - sk.sndUna) >>> 0;
      inet_diag_timer(sk, m);
      out.push(fill_full(sk, m, req.idiag_ext));
    } else if (e.kind === 'tw') {
      if (!(states & TCPF(TCP_TIME_WAIT))) continue;
      const m = base(e, IPPROTO_TCP, TCP_TIME_WAIT);
      // inet_twsk_diag_fill()
      m.idiag_timer = IDIAG_TIMER_TIMEWAIT;
      m.idiag_expires = msecsLeft(net, e.timerJiffies);
      out.push(m);
    } else if (e.state === TCP_NEW_SYN_RECV) {
      if (!(states & TCPF(TCP_NEW_SYN_RECV))) continue;
      out.push(base(e, IPPROTO_TCP, TCP_SYN_RECV));
    }
  }
}

/** udp_dump(): the UDP hash, slot by slot (by local port). */
function udp_diag_dump(net: Net, req: InetDiagReqV2, out: InetDiagMsg[]): void {
  const socks = [...net.udpSockets].sort((a, b) => a.sport - b.sport);
  for (const sk of socks) {
    const st = sk.connected ? TCP_ESTABLISHED : TCP_CLOSE;
    if (!(req.idiag_states & TCPF(st))) continue;
    const m = base(sk, IPPROTO_UDP, st);
    m.idiag_rqueue = sk.rcvQueueBytes;
    out.push(fill_full(sk, m, req.idiag_ext));
  }
}

/** raw_diag_dump(): the raw hash; the "port" of a raw socket is its protocol. */
function raw_diag_dump(net: Net, req: InetDiagReqV2, out: InetDiagMsg[]): void {
  for (const sk of net.rawSockets) {
    const st = sk.daddr ? TCP_ESTABLISHED : TCP_CLOSE;
    if (!(req.idiag_states & TCPF(st))) continue;
    const m = base({ rcvSaddr: sk.rcvSaddr, sport: sk.protocol, daddr: sk.daddr, dport: 0 }, IPPROTO_RAW, st);
    m.idiag_rqueue = sk.rcvQueueBytes;
    m.raw_protocol = sk.protocol;
    out.push(fill_full(sk, m, req.idiag_ext));
  }
}

/** inet_diag_dump(): every socket of the request's protocol whose state is in idiag_states. */
export function inet_diag_dump(net: Net, req: InetDiagReqV2): InetDiagMsg[] {
  const out: InetDiagMsg[] = [];
  if (req.sdiag_family !== AF_INET) return out;
  if (req.sdiag_protocol === IPPROTO_TCP) tcp_diag_dump(net, req, out);
  else if (req.sdiag_protocol === IPPROTO_UDP) udp_diag_dump(net, req, out);
  else if (req.sdiag_protocol === IPPROTO_RAW) raw_diag_dump(net, req, out);
  return out;
}

/** The sockets of a namespace (sock_inuse), and how many of them are TCP and in the hash tables. */
function net_sockets(net: Net): { all: Set<Sock>; tcpInuse: number; orphans: number } {
  const h = tcp_hashinfo(net);
  const all = new Set<Sock>(net.openSockets);
  let tcpInuse = h.listeners.length;
  let orphans = 0;
  for (const sk of h.listeners) all.add(sk);
  for (const e of h.ehash.values()) {
    if (e.kind !== 'full') continue;
    const sk = e as TcpSock;
    all.add(sk);
    tcpInuse++;
    if (sk.dead) orphans++;
  }
  return { all, tcpInuse, orphans };
}

/**
 * sockstat_seq_show(): /proc/net/sockstat. "sockets: used" and the inuse counts
 * are the namespace's; TCP "alloc" is tcp_prot's sockets_allocated, one
 * counter for the whole machine (every namespace).
 */
export function sockstat_seq_show(net: Net): string {
  const h = tcp_hashinfo(net);
  const { all, tcpInuse, orphans } = net_sockets(net);
  let tcpAlloc = 0;
  for (const n of net.kernel.nets) for (const sk of net_sockets(n).all) if (sk.type === SOCK_STREAM) tcpAlloc++;
  return (
    `sockets: used ${all.size}\n` +
    `TCP: inuse ${tcpInuse} orphan ${orphans} tw ${h.twCount} alloc ${tcpAlloc} mem 0\n` +
    `UDP: inuse ${net.udpSockets.length} mem 0\n` +
    'UDPLITE: inuse 0\n' +
    `RAW: inuse ${net.rawSockets.length}\n` +
    'FRAG: inuse 0 memory 0\n'
  );
}

/** The TCP CurrEstab gauge of /proc/net/snmp: sockets in ESTABLISHED or CLOSE-WAIT. */
export function tcp_curr_estab(net: Net): number {
  let n = 0;
  for (const e of tcp_hashinfo(net).ehash.values()) {
    if (e.kind === 'full' && (e.state === TCP_ESTABLISHED || e.state === TCP_CLOSE_WAIT)) n++;
  }
  return n;
}
