// net/ipv4/tcp_minisocks.c and inet_timewait_sock.c: TIME_WAIT sockets,
// request sockets becoming full sockets (tcp_check_req,
// tcp_create_openreq_child) and the request's SYN-ACK timer.
import { kprobe } from '../trace/probe.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import {
  after,
  before,
  HZ,
  inet_bind_hash,
  inet_ehash_insert,
  inet_ehash_remove,
  inet_put_port,
  jiffies_to_time,
  type RequestSock,
  TCP_CLOSE,
  TCP_FIN_WAIT2,
  TCP_RTO_MAX,
  TCP_SYN_RECV,
  TCP_TIME_WAIT,
  TCP_TIMEWAIT_LEN,
  tcp_done,
  tcp_hashinfo,
  tcp_jiffies32,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_RST,
  TCPHDR_SYN,
  TcpSock,
  TimewaitSock,
} from './tcp.ts';
import { tcp_parse_options, tcp_synack_rtt_meas, type TcpCb } from './tcp_input.ts';
import { tcp_receive_window, tcp_v4_send_synack } from './tcp_output.ts';
import { inet_csk_route_req, tcp_v4_syn_recv_sock } from './tcp_ipv4.ts';

/** tcp_time_wait(): the socket is replaced by a time-wait mini socket, then closed. */
export function tcp_time_wait(sk: TcpSock, state: number, timeoIn: number): void {
  const net = sk.net;
  const h = tcp_hashinfo(net);
  const maxTw = net.sysctl.int('net.ipv4.tcp_max_tw_buckets');
  if (h.twCount >= maxTw) {
    net.mib.inc(MIB.TcpExtTCPTimeWaitOverflow);
  } else {
    const tw = new TimewaitSock(net, sk.rcvSaddr, sk.sport, sk.daddr, sk.dport);
    tw.substate = state;
    tw.rcvNxt = sk.rcvNxt;
    tw.sndNxt = sk.sndNxt;
    tw.rcvWnd = tcp_receive_window(sk);
    tw.tsRecent = sk.rxOpt.tsRecent;
    tw.tsRecentStamp = sk.rxOpt.tsRecentStamp;
    tw.tsRecentStampNs = net.kernel.now;
    tw.tsOffset = sk.tsoffset;
    tw.rcvWscale = sk.rxOpt.rcvWscale;
    tw.tstampOk = sk.rxOpt.tstampOk;
    tw.reuse = sk.reuseaddr;
    tw.reuseportFlag = sk.reuseport;
    tw.bindDev = sk.bindDev;
    tw.mark = sk.mark;
    tw.tos = sk.tos;
    tw.ttl = sk.ttl;
    tw.owner = sk.owner;
    const rto = (sk.rto << 2) - (sk.rto >> 1);
    let timeo = timeoIn;
    if (timeo < rto) timeo = rto;
    if (state === TCP_TIME_WAIT) timeo = TCP_TIMEWAIT_LEN;
    // inet_twsk_hashdance_schedule(): the port and the 4-tuple pass to tw
    if (sk.bindPort >= 0) inet_bind_hash(net, tw, sk.bindPort);
    inet_ehash_remove(net, sk);
    h.ehash.set(`${tw.rcvSaddr}:${tw.sport}:${tw.daddr}:${tw.dport}`, tw);
    h.twCount++;
    tw.timer = net.kernel.sim.timer(tw_timer_handler, tw);
    inet_twsk_schedule(tw, timeo, false);
  }
  tcp_done(sk);
}

function tw_timer_handler(tw: TimewaitSock): void {
  tw.kill();
}

/** __inet_twsk_schedule() */
function inet_twsk_schedule(tw: TimewaitSock, timeo: number, rearm: boolean): void {
  const net = tw.net;
  if (!rearm) net.mib.inc(timeo <= 4 * HZ ? MIB.TcpExtTWKilled : MIB.TcpExtTW);
  tw.timerJiffies = (tcp_jiffies32(net) + timeo) >>> 0;
  tw.expires = jiffies_to_time(net, tw.timerJiffies);
  net.kernel.sim.modTimer(tw.timer, tw.expires);
}

function inet_twsk_reschedule(tw: TimewaitSock, timeo: number): void {
  inet_twsk_schedule(tw, timeo, true);
}

export const TCP_TW_SUCCESS = 0;
export const TCP_TW_RST = 1;
export const TCP_TW_ACK = 2;
export const TCP_TW_SYN = 3;
export const TCP_TW_ACK_OOW = 4;

/** tcp_in_window() */
function tcp_in_window(seq: number, endSeq: number, sWin: number, eWin: number): boolean {
  if (seq === sWin) return true;
  if (after(endSeq, sWin) && before(seq, eWin)) return true;
  return seq === eWin && seq === endSeq;
}

function tw_oow_rate_limit(tw: TimewaitSock, cb: TcpCb, mib: number): number {
  if (cb.seq !== cb.endSeq || cb.flags & TCPHDR_SYN) {
    const net = tw.net;
    const now = tcp_jiffies32(net);
    if (tw.lastOowAckTime) {
      const elapsed = (now - tw.lastOowAckTime) | 0;
      const limit = Math.floor(((net.sysctl.int('net.ipv4.tcp_invalid_ratelimit') || 0) * HZ) / 1000);
      if (elapsed >= 0 && elapsed < limit) {
        net.mib.inc(mib);
        return TCP_TW_SUCCESS;
      }
    }
    tw.lastOowAckTime = now || 1;
  }
  return TCP_TW_ACK_OOW;
}

/** tcp_timewait_state_process(): what a segment to a time-wait socket gets. */
export function tcp_timewait_state_process(tw: TimewaitSock, skb: SkBuff, cb: TcpCb): { status: number; isn: number; reason: number } {
  kprobe(tw.net, skb, 'tcp_timewait_state_process');
  const net = tw.net;
  const rcvNxt = tw.rcvNxt;
  let pawsReject = false;
  const opt = {
    tsRecentStamp: tw.tsRecentStamp,
    tsRecent: tw.tsRecent,
    rcvTsval: 0,
    rcvTsecr: 0,
    sawTstamp: false,
    tstampOk: tw.tstampOk,
    sackOk: false,
    wscaleOk: false,
    sndWscale: 0,
    rcvWscale: 0,
    mssClamp: 0,
    userMss: 0,
    numSacks: 0,
    sackBlocks: [] as [number, number][],
  };
  const rst = (cb.flags & TCPHDR_RST) !== 0;
  const syn = (cb.flags & TCPHDR_SYN) !== 0;
  const ack = (cb.flags & TCPHDR_ACK) !== 0;
  const fin = (cb.flags & TCPHDR_FIN) !== 0;
  if (cb.doff > 5 && tw.tsRecentStamp) {
    tcp_parse_options(net, skb.head, cb.th, cb.doff, opt, true);
    if (opt.sawTstamp) {
      if (opt.rcvTsecr) opt.rcvTsecr = (opt.rcvTsecr - tw.tsOffset) >>> 0;
      // tcp_paws_reject()
      const nowSec = Math.floor(net.kernel.now / 1e9);
      const ok = ((tw.tsRecent - opt.rcvTsval) | 0) <= 0 || nowSec >= tw.tsRecentStamp + 60 * 60 * 24 * 24 || !tw.tsRecent;
      pawsReject = !ok && !(rst && nowSec >= tw.tsRecentStamp + 60);
    }
  }
  if (tw.substate === TCP_FIN_WAIT2) {
    if (pawsReject || !tcp_in_window(cb.seq, cb.endSeq, rcvNxt, (rcvNxt + tw.rcvWnd) >>> 0))
      return { status: tw_oow_rate_limit(tw, cb, MIB.TcpExtTCPACKSkippedFinWait2 ?? MIB.TcpExtTCPACKSkippedTimeWait), isn: 0, reason: 0 };
    if (rst) {
      tw.kill();
      return { status: TCP_TW_SUCCESS, isn: 0, reason: 0 };
    }
    if (syn && !before(cb.seq, rcvNxt)) return { status: TCP_TW_RST, isn: 0, reason: 0 };
    if (!ack || !after(cb.endSeq, rcvNxt) || cb.endSeq === cb.seq) return { status: TCP_TW_SUCCESS, isn: 0, reason: 0 };
    if (!fin || cb.endSeq !== (rcvNxt + 1) >>> 0) return { status: TCP_TW_RST, isn: 0, reason: 0 };
    tw.substate = TCP_TIME_WAIT;
    tw.rcvNxt = cb.endSeq;
    if (opt.sawTstamp) {
      tw.tsRecentStamp = Math.floor(net.kernel.now / 1e9);
      tw.tsRecentStampNs = net.kernel.now;
      tw.tsRecent = opt.rcvTsval;
    }
    inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN);
    return { status: TCP_TW_ACK, isn: 0, reason: 0 };
  }
  if (!pawsReject && cb.seq === rcvNxt && (cb.seq === cb.endSeq || rst)) {
    if (rst) {
      if (!net.sysctl.int('net.ipv4.tcp_rfc1337')) {
        tw.kill();
        return { status: TCP_TW_SUCCESS, isn: 0, reason: 0 };
      }
    } else inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN);
    if (opt.sawTstamp) {
      tw.tsRecent = opt.rcvTsval;
      tw.tsRecentStamp = Math.floor(net.kernel.now / 1e9);
      tw.tsRecentStampNs = net.kernel.now;
    }
    return { status: TCP_TW_SUCCESS, isn: 0, reason: 0 };
  }
  if (syn && !rst && !ack && !pawsReject && (after(cb.seq, rcvNxt) || (opt.sawTstamp && ((tw.tsRecent - opt.rcvTsval) | 0) < 0))) {
    let isn = (tw.sndNxt + 65535 + 2) >>> 0;
    if (isn === 0) isn++;
    return { status: TCP_TW_SYN, isn, reason: 0 };
  }
  let reason = 0;
  if (pawsReject) {
    reason = SKB_DROP_REASON.TCP_RFC7323_TW_PAWS ?? SKB_DROP_REASON.TCP_RFC7323_PAWS;
    net.mib.inc(MIB.TcpExtPAWSTimewait);
  }
  if (!rst) {
    if (pawsReject || ack) inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN);
    return { status: tw_oow_rate_limit(tw, cb, MIB.TcpExtTCPACKSkippedTimeWait), isn: 0, reason };
  }
  return { status: TCP_TW_SUCCESS, isn: 0, reason };
}

/** reqsk_timeout() */
function reqsk_timeout(req: RequestSock, max: number): number {
  return Math.min(req.timeout * 2 ** req.numTimeout, max);
}

/**
 * tcp_check_req(): a segment for a request sock. Returns the new child, the
 * listener (the caller answers with RST), or null (dropped, `reason` set).
 */
export function tcp_check_req(lsk: TcpSock, skb: SkBuff, cb: TcpCb, req: RequestSock): { nsk: TcpSock | null; reason: number } {
  kprobe(lsk.net, skb, 'tcp_check_req');
  const net = lsk.net;
  const flg = cb.flags & (TCPHDR_RST | TCPHDR_SYN | TCPHDR_ACK);
  let pawsReject = false;
  const opt = {
    tsRecentStamp: 0,
    tsRecent: req.tsRecent,
    rcvTsval: 0,
    rcvTsecr: 0,
    sawTstamp: false,
    tstampOk: req.tstampOk,
    sackOk: false,
    wscaleOk: false,
    sndWscale: 0,
    rcvWscale: 0,
    mssClamp: 0,
    userMss: 0,
    numSacks: 0,
    sackBlocks: [] as [number, number][],
  };
  if (cb.doff > 5) {
    tcp_parse_options(net, skb.head, cb.th, cb.doff, opt, false);
    if (opt.sawTstamp) {
      opt.tsRecent = req.tsRecent;
      opt.tsRecentStamp = Math.floor(net.kernel.now / 1e9) - Math.floor(reqsk_timeout(req, TCP_RTO_MAX) / HZ);
      pawsReject = !(((opt.tsRecent - opt.rcvTsval) | 0) <= 1 || !opt.tsRecent) && !(cb.flags & TCPHDR_RST);
    }
  }
  if (cb.seq === req.rcvIsn && flg === TCPHDR_SYN && !pawsReject) {
    // a retransmitted SYN: the SYN-ACK again
    if (!req_oow_rate_limited(req, cb)) {
      if (inet_rtx_syn_ack(lsk, req) === 0) {
        let expires: number;
        if (req.numTimeout) expires = reqsk_timeout(req, TCP_RTO_MAX);
        else {
          expires = req.timeout;
          req.numTimeout = 1;
        }
        if (req.timer.index >= 0) net.kernel.sim.modTimer(req.timer, jiffies_to_time(net, (tcp_jiffies32(net) + expires) >>> 0));
      }
    }
    return { nsk: null, reason: SKB_DROP_REASON.NOT_SPECIFIED };
  }
  if (flg & TCPHDR_ACK && cb.ackSeq !== (req.sntIsn + 1) >>> 0) return { nsk: lsk, reason: 0 };
  const rcvNxt = (req.rcvIsn + 1) >>> 0;
  const synackWindow = req.rcvWnd;
  if (pawsReject || !tcp_in_window(cb.seq, cb.endSeq, rcvNxt, (rcvNxt + synackWindow) >>> 0)) {
    if (!(flg & TCPHDR_RST) && !req_oow_rate_limited(req, cb)) tcp_v4_reqsk_send_ack(lsk, skb, cb, req);
    if (pawsReject) {
      net.mib.inc(MIB.TcpExtPAWSEstab);
      return { nsk: null, reason: SKB_DROP_REASON.TCP_RFC7323_PAWS };
    }
    return { nsk: null, reason: SKB_DROP_REASON.TCP_OVERWINDOW };
  }
  if (opt.sawTstamp && !after(cb.seq, rcvNxt)) req.tsRecent = opt.rcvTsval;
  let f = flg;
  if (cb.seq === req.rcvIsn) f &= ~TCPHDR_SYN;
  if (f & (TCPHDR_RST | TCPHDR_SYN)) {
    net.mib.inc(MIB.TcpAttemptFails);
    return embryonic_reset(lsk, skb, cb, req, f);
  }
  if (!(f & TCPHDR_ACK)) return { nsk: null, reason: SKB_DROP_REASON.NOT_SPECIFIED };
  const child = tcp_v4_syn_recv_sock(lsk, skb, cb, req);
  if (!child) {
    // listen_overflow
    if (!net.sysctl.int('net.ipv4.tcp_abort_on_overflow')) {
      req.acked = true;
      return { nsk: null, reason: SKB_DROP_REASON.TCP_LISTEN_OVERFLOW ?? SKB_DROP_REASON.NOT_SPECIFIED };
    }
    return embryonic_reset(lsk, skb, cb, req, f);
  }
  if (opt.sawTstamp && !after(cb.seq, rcvNxt)) child.rxOpt.tsRecent = opt.rcvTsval;
  tcp_synack_rtt_meas(child, req);
  // inet_csk_complete_hashdance(): out of the request table, into the accept queue
  inet_csk_reqsk_queue_drop(lsk, req);
  child.parent = lsk;
  lsk.acceptQueue.push(child);
  return { nsk: child, reason: 0 };
}

function embryonic_reset(lsk: TcpSock, skb: SkBuff, cb: TcpCb, req: RequestSock, flg: number): { nsk: null; reason: number } {
  if (!(flg & TCPHDR_RST)) tcp_v4_send_reset_req(lsk, skb, cb);
  if (inet_csk_reqsk_queue_drop(lsk, req)) lsk.net.mib.inc(MIB.TcpExtEmbryonicRsts);
  return { nsk: null, reason: SKB_DROP_REASON.TCP_RESET };
}

import { tcp_v4_reqsk_send_ack, tcp_v4_send_reset_req } from './tcp_ipv4.ts';

function req_oow_rate_limited(req: RequestSock, cb: TcpCb): boolean {
  if (cb.seq !== cb.endSeq && !(cb.flags & TCPHDR_SYN)) return false;
  const net = req.net;
  const now = tcp_jiffies32(net);
  if (req.lastOowAckTime) {
    const elapsed = (now - req.lastOowAckTime) | 0;
    const limit = Math.floor(((net.sysctl.int('net.ipv4.tcp_invalid_ratelimit') || 0) * HZ) / 1000);
    if (elapsed >= 0 && elapsed < limit) {
      net.mib.inc(MIB.TcpExtTCPACKSkippedSynRecv);
      return true;
    }
  }
  req.lastOowAckTime = now || 1;
  return false;
}

/** inet_csk_reqsk_queue_drop(): the request leaves ehash and its timer stops. */
export function inet_csk_reqsk_queue_drop(lsk: TcpSock, req: RequestSock): boolean {
  if (!lsk.reqs.has(req)) return false;
  lsk.reqs.delete(req);
  lsk.net.kernel.sim.delTimer(req.timer);
  inet_ehash_remove(lsk.net, req);
  return true;
}

/** inet_rtx_syn_ack() → tcp_rtx_synack(): 0 when sent. */
export function inet_rtx_syn_ack(lsk: TcpSock, req: RequestSock): number {
  const net = lsk.net;
  const rt = inet_csk_route_req(lsk, req);
  if (!rt) return -1;
  const err = tcp_v4_send_synack(req, rt);
  if (!err) {
    net.mib.inc(MIB.TcpRetransSegs);
    net.mib.inc(MIB.TcpExtTCPSynRetrans);
    req.numRetrans++;
  }
  return err;
}

/** reqsk_timer_handler(): the SYN-ACK again, with backoff, tcp_synack_retries times. */
export function reqsk_timer_handler(req: RequestSock): void {
  const lsk = req.listener;
  const net = lsk.net;
  if (lsk.state !== 10 || !lsk.reqs.has(req)) {
    inet_csk_reqsk_queue_drop(lsk, req);
    return;
  }
  let maxRetries = lsk.syncnt || net.sysctl.int('net.ipv4.tcp_synack_retries');
  const qlen = lsk.reqs.size;
  if (qlen << 1 > Math.max(8, lsk.maxAckBacklog)) {
    let young = [...lsk.reqs].filter((r) => r.numTimeout === 0).length << 1;
    while (maxRetries > 2) {
      if (qlen < young) break;
      maxRetries--;
      young <<= 1;
    }
  }
  const expire = req.numTimeout >= maxRetries;
  net.mib.inc(MIB.TcpExtTCPTimeouts);
  if (!expire) {
    inet_rtx_syn_ack(lsk, req);
    req.numTimeout++;
    net.kernel.sim.modTimer(req.timer, jiffies_to_time(net, (tcp_jiffies32(net) + reqsk_timeout(req, TCP_RTO_MAX)) >>> 0));
    return;
  }
  inet_csk_reqsk_queue_drop(lsk, req);
}

/** tcp_create_openreq_child(): the full socket of an accepted request. */
export function tcp_create_openreq_child(lsk: TcpSock, req: RequestSock, cb: TcpCb): TcpSock {
  const net = lsk.net;
  const n = new TcpSock(net);
  // sk_clone_lock(): the child has its listener's proto and ops
  n.prot = lsk.prot;
  n.ops = lsk.ops;
  n.reuseaddr = lsk.reuseaddr;
  n.reuseport = lsk.reuseport;
  n.bindDev = lsk.bindDev;
  n.mark = lsk.mark;
  n.tos = lsk.tos;
  n.ttl = lsk.ttl;
  n.owner = lsk.owner;
  n.ownerPid = lsk.ownerPid;
  n.rcvbuf = lsk.rcvbuf;
  n.sndbuf = lsk.sndbuf;
  n.userlocks = lsk.userlocks;
  n.nonagle = lsk.nonagle;
  n.keepopen = lsk.keepopen;
  n.rxOpt.userMss = lsk.rxOpt.userMss;
  n.rcvSaddr = req.rcvSaddr;
  n.saddr = req.rcvSaddr;
  n.sport = req.sport;
  n.daddr = req.daddr;
  n.dport = req.dport;
  n.state = TCP_SYN_RECV;
  const seq = (req.rcvIsn + 1) >>> 0;
  n.rcvWup = seq;
  n.copiedSeq = seq;
  n.rcvNxt = seq;
  n.sndSml = n.sndUna = n.sndUp = (req.sntIsn + 1) >>> 0;
  n.sndNxt = n.sndUna;
  n.writeSeq = n.sndNxt;
  n.pushedSeq = n.writeSeq;
  n.sntIsn = req.sntIsn;
  n.sndWl1 = req.rcvIsn;
  n.rto = TCP_TIMEOUT_INIT_J;
  n.sndCwnd = 10;
  n.totalRetrans = req.numRetrans;
  n.rcvWnd = req.rcvWnd;
  n.windowClamp = req.windowClamp;
  n.rcvSsthresh = req.rcvWnd;
  n.rxOpt.tstampOk = req.tstampOk;
  n.rxOpt.sackOk = req.sackOk;
  n.rxOpt.wscaleOk = req.wscaleOk;
  if (req.wscaleOk) {
    n.rxOpt.sndWscale = req.sndWscale;
    n.rxOpt.rcvWscale = req.rcvWscale;
  } else {
    n.rxOpt.sndWscale = 0;
    n.rxOpt.rcvWscale = 0;
    n.windowClamp = Math.min(n.windowClamp, 65535);
  }
  n.sndWnd = cb.window * 2 ** n.rxOpt.sndWscale;
  n.maxWindow = n.sndWnd;
  if (n.rxOpt.tstampOk) {
    n.rxOpt.tsRecent = req.tsRecent;
    n.rxOpt.tsRecentStamp = Math.floor(net.kernel.now / 1e9);
    n.tcpHeaderLen = 20 + 12;
  } else {
    n.rxOpt.tsRecentStamp = 0;
    n.tcpHeaderLen = 20;
  }
  n.tsoffset = req.tsOff;
  n.rxOpt.mssClamp = req.mssClampIn;
  n.ack.lrcvtime = tcp_jiffies32(net);
  n.lsndtime = tcp_jiffies32(net);
  void TCP_CLOSE;
  void inet_put_port;
  void inet_ehash_insert;
  return n;
}

const TCP_TIMEOUT_INIT_J = 250;
