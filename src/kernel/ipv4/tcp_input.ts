// net/ipv4/tcp_input.c: options, the state machine of an arriving segment
// (tcp_rcv_state_process, tcp_rcv_synsent_state_process, tcp_rcv_established
// with header prediction), ACK processing, data queueing, FIN, RST and the
// ACK policy (quick ACKs, delayed ACKs), and the listener's SYN handling.
import { ECONNREFUSED, ECONNRESET, EPIPE } from '../uapi/errno.ts';
import { kprobe } from '../trace/probe.ts';
import type { SkBuff } from '../skbuff.ts';
import { RCV_SHUTDOWN, SHUTDOWN_MASK } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import { ip_dont_fragment } from './ip_output.ts';
import { rd16, rd32 } from './iphdr.ts';
import {
  TCPOLEN_MSS,
  TCPOLEN_SACK_BASE,
  TCPOLEN_SACK_PERBLOCK,
  TCPOLEN_SACK_PERM,
  TCPOLEN_TIMESTAMP,
  TCPOLEN_WINDOW,
  TCPOPT_EOL,
  TCPOPT_MSS,
  TCPOPT_NOP,
  TCPOPT_SACK,
  TCPOPT_SACK_PERM,
  TCPOPT_TIMESTAMP,
  TCPOPT_TSTAMP_HDR,
  TCPOPT_WINDOW,
  TCP_HEADER_LEN,
} from '../../wire/tcp.ts';
import type { Rtable } from './route.ts';
import {
  after,
  before,
  between,
  HZ,
  ICSK_ACK_NOMEM,
  ICSK_ACK_NOW,
  ICSK_ACK_PUSHED,
  ICSK_ACK_PUSHED2,
  ICSK_ACK_SCHED,
  ICSK_TIME_DACK,
  ICSK_TIME_RETRANS,
  inet_csk_ack_scheduled,
  PAGE_SIZE,
  type RcvSeg,
  RequestSock,
  sk_acceptq_is_full,
  sk_error_report,
  sk_stream_is_writeable,
  sk_wake,
  TCP_ACK_DEFERRED,
  TCP_ATO_MIN,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_CLOSING,
  TCP_DELACK_MAX,
  TCP_ESTABLISHED,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_MAX_QUICKACKS,
  TCP_MIN_MSS,
  TCP_MSS_DEFAULT,
  TCP_RMEM_TO_WIN_SCALE,
  TCP_RTO_MAX,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCP_TIMEOUT_INIT,
  TCP_TIMEOUT_MIN,
  TCP_TIMEWAIT_LEN,
  tcp_clock_ms,
  tcp_defer,
  tcp_done,
  tcp_done_with_error,
  tcp_fin_time,
  tcp_jiffies32,
  tcp_mstamp_refresh,
  tcp_rmem,
  tcp_set_state,
  TCPCB_EVER_RETRANS,
  TCPCB_LOST,
  TCPCB_SACKED_ACKED,
  TCPCB_SACKED_RETRANS,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_PSH,
  TCPHDR_RST,
  TCPHDR_SYN,
  TCPHDR_URG,
  TCPOLEN_TSTAMP_ALIGNED,
  type TcpOptionsReceived,
  type TcpSeg,
  type TcpSock,
  trace_tcp_receive_reset,
} from './tcp.ts';
import {
  __tcp_push_pending_frames,
  __tcp_select_window,
  dst_metric_advmss,
  pingpong_thresh,
  tcp_current_mss,
  tcp_full_space,
  tcp_initialize_rcv_mss,
  tcp_openreq_init_rwin,
  tcp_packets_in_flight,
  tcp_push_pending_frames,
  tcp_receive_window,
  tcp_retransmit_skb,
  tcp_send_ack,
  tcp_send_delayed_ack,
  tcp_space,
  tcp_sync_mss,
  tcp_v4_send_synack,
  tcp_win_from_space,
  tcp_wnd_end,
} from './tcp_output.ts';
import {
  inet_csk_clear_xmit_timer,
  inet_csk_reset_xmit_timer,
  tcp_rearm_rto,
  tcp_reset_keepalive_timer,
  tcp_reset_xmit_timer,
} from './tcp_timer.ts';
import { tcp_time_wait } from './tcp_minisocks.ts';
import { inet_csk_route_req, reqsk_queue_hash_req } from './tcp_ipv4.ts';

/** TCP_SKB_CB(skb) of an arriving segment (tcp_v4_fill_cb). */
export interface TcpCb {
  seq: number;
  endSeq: number;
  ackSeq: number;
  flags: number;
  window: number;
  /** Offset of the TCP header in skb.head. */
  th: number;
  doff: number;
  /** Payload length. */
  len: number;
  /** ip_dsfield */
  tos: number;
  saddr: number;
  daddr: number;
  sport: number;
  dport: number;
  ttl: number;
  /** skb_shinfo(skb)->gso_size of a GSO packet (0 otherwise). */
  gsoSize: number;
}

/** TCP_SKB_CB(skb): tcp_v4_rcv filled it before any reader runs. */
export function tcp_skb_cb(skb: SkBuff): TcpCb {
  return skb.cb.tcp as TcpCb;
}
export function tcp_skb_cb_set(skb: SkBuff, cb: TcpCb): void {
  skb.cb.tcp = cb;
}

const FLAG_DATA = 0x01;
const FLAG_WIN_UPDATE = 0x02;
const FLAG_DATA_ACKED = 0x04;
const FLAG_RETRANS_DATA_ACKED = 0x08;
const FLAG_SYN_ACKED = 0x10;
const FLAG_DATA_SACKED = 0x20;
const FLAG_ECE = 0x40;
const FLAG_LOST_RETRANS = 0x80;
const FLAG_SLOWPATH = 0x100;
const FLAG_ORIG_SACK_ACKED = 0x200;
const FLAG_SND_UNA_ADVANCED = 0x400;
const FLAG_DSACKING_ACK = 0x800;
const FLAG_SET_XMIT_TIMER = 0x1000;
const FLAG_UPDATE_TS_RECENT = 0x4000;
const FLAG_NO_CHALLENGE_ACK = 0x8000;
const FLAG_ACKED = FLAG_DATA_ACKED | FLAG_SYN_ACKED;
const FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
const FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;
const FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;

/** tcp_parse_options(): what the options of a segment say. */
export function tcp_parse_options(
  net: import('../net_namespace.ts').Net,
  b: Uint8Array,
  th: number,
  doff: number,
  opt: TcpOptionsReceived,
  estab: boolean,
): void {
  let p = th + TCP_HEADER_LEN;
  let length = doff * 4 - TCP_HEADER_LEN;
  opt.sawTstamp = false;
  opt.numSacks = 0;
  opt.sackBlocks = [];
  while (length > 0) {
    const opcode = b[p++] as number;
    switch (opcode) {
      case TCPOPT_EOL:
        return;
      case TCPOPT_NOP:
        length--;
        continue;
      default: {
        if (length < 2) return;
        const opsize = b[p++] as number;
        if (opsize < 2) return;
        if (opsize > length) return;
        switch (opcode) {
          case TCPOPT_MSS:
            if (opsize === TCPOLEN_MSS && !estab) {
              let inMss = rd16(b, p);
              if (inMss) {
                if (opt.userMss && opt.userMss < inMss) inMss = opt.userMss;
                opt.mssClamp = inMss;
              }
            }
            break;
          case TCPOPT_WINDOW:
            if (opsize === TCPOLEN_WINDOW && !estab && net.sysctl.int('net.ipv4.tcp_window_scaling')) {
              let ws = b[p] as number;
              opt.wscaleOk = true;
              if (ws > 14) ws = 14;
              opt.sndWscale = ws;
            }
            break;
          case TCPOPT_TIMESTAMP:
            if (opsize === TCPOLEN_TIMESTAMP && ((estab && opt.tstampOk) || (!estab && net.sysctl.int('net.ipv4.tcp_timestamps')))) {
              opt.sawTstamp = true;
              opt.rcvTsval = rd32(b, p);
              opt.rcvTsecr = rd32(b, p + 4);
            }
            break;
          case TCPOPT_SACK_PERM:
            if (opsize === TCPOLEN_SACK_PERM && !estab && net.sysctl.int('net.ipv4.tcp_sack')) opt.sackOk = true;
            break;
          case TCPOPT_SACK:
            if (
              opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
              !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK) &&
              opt.sackOk
            ) {
              for (let q = p; q < p + opsize - TCPOLEN_SACK_BASE; q += TCPOLEN_SACK_PERBLOCK)
                opt.sackBlocks.push([rd32(b, q), rd32(b, q + 4)]);
            }
            break;
          default:
            break;
        }
        p += opsize - 2;
        length -= opsize;
      }
    }
  }
}

/** tcp_fast_parse_options(): false when the segment cannot be trusted (it does not happen for aligned options). */
function tcp_fast_parse_options(sk: TcpSock, skb: SkBuff, cb: TcpCb): boolean {
  if (cb.doff === 5) {
    sk.rxOpt.sawTstamp = false;
    return false;
  }
  if (sk.rxOpt.tstampOk && cb.doff * 4 === TCP_HEADER_LEN + TCPOLEN_TSTAMP_ALIGNED) {
    const b = skb.head;
    const o = cb.th + TCP_HEADER_LEN;
    if (rd32(b, o) === TCPOPT_TSTAMP_HDR) {
      sk.rxOpt.sawTstamp = true;
      sk.rxOpt.rcvTsval = rd32(b, o + 4);
      sk.rxOpt.rcvTsecr = (rd32(b, o + 8) - sk.tsoffset) >>> 0;
      return true;
    }
  }
  tcp_parse_options(sk.net, skb.head, cb.th, cb.doff, sk.rxOpt, true);
  if (sk.rxOpt.sawTstamp && sk.rxOpt.rcvTsecr) sk.rxOpt.rcvTsecr = (sk.rxOpt.rcvTsecr - sk.tsoffset) >>> 0;
  return true;
}

const TCP_PAWS_24DAYS = 60 * 60 * 24 * 24;
const TCP_PAWS_WINDOW = 1;

function ktime_get_seconds(sk: TcpSock): number {
  return Math.floor(sk.net.kernel.now / 1e9);
}

/** tcp_paws_check() */
function tcp_paws_check(rx: TcpOptionsReceived, pawsWin: number, nowSec: number): boolean {
  if (((rx.tsRecent - rx.rcvTsval) | 0) <= pawsWin) return true;
  if (nowSec >= rx.tsRecentStamp + TCP_PAWS_24DAYS) return true;
  if (!rx.tsRecent) return true;
  return false;
}

function tcp_store_ts_recent(sk: TcpSock): void {
  sk.rxOpt.tsRecent = sk.rxOpt.rcvTsval;
  sk.rxOpt.tsRecentStamp = ktime_get_seconds(sk);
}

/** tcp_replace_ts_recent() */
function tcp_replace_ts_recent(sk: TcpSock, seq: number): number {
  const rx = sk.rxOpt;
  if (rx.sawTstamp && !after(seq, sk.rcvWup)) {
    const delta = (rx.rcvTsval - rx.tsRecent) | 0;
    if (tcp_paws_check(rx, 0, ktime_get_seconds(sk))) {
      tcp_store_ts_recent(sk);
      return delta > 0 ? 0x2000 : 0;
    }
  }
  return 0;
}

/** tcp_disordered_ack_check(): a pure, old-looking ACK is still fine (RFC 7323 5.3). */
function tcp_disordered_ack(sk: TcpSock, cb: TcpCb): boolean {
  const seq = cb.seq;
  const ack = cb.ackSeq;
  return (
    (cb.flags & TCPHDR_ACK) !== 0 &&
    seq === cb.endSeq &&
    seq === sk.rcvNxt &&
    ack === sk.sndUna &&
    !tcp_may_update_window(sk, ack, seq, cb.window << sk.rxOpt.sndWscale) &&
    ((sk.rxOpt.tsRecent - sk.rxOpt.rcvTsval) | 0) <= Math.floor((sk.rto * 1024) / HZ)
  );
}

function tcp_may_update_window(sk: TcpSock, ack: number, ackSeq: number, nwin: number): boolean {
  return after(ack, sk.sndUna) || after(ackSeq, sk.sndWl1) || (ackSeq === sk.sndWl1 && (nwin > sk.sndWnd || !nwin));
}

/** tcp_sequence() */
function tcp_sequence(sk: TcpSock, cb: TcpCb): number {
  if (before(cb.endSeq, sk.rcvWup)) return SKB_DROP_REASON.TCP_OLD_SEQUENCE;
  const limit = (sk.rcvNxt + tcp_receive_window(sk)) >>> 0;
  if (after(cb.endSeq, limit)) {
    const fin = cb.flags & TCPHDR_FIN ? 1 : 0;
    if (!after((cb.endSeq - fin) >>> 0, limit)) return 0;
    if (after(cb.seq, limit)) return SKB_DROP_REASON.TCP_INVALID_SEQUENCE;
    if (sk.rcvq.length) return SKB_DROP_REASON.TCP_INVALID_END_SEQUENCE;
  }
  return 0;
}

/** __tcp_oow_rate_limited() */
function __tcp_oow_rate_limited(sk: TcpSock, mib: number): boolean {
  const net = sk.net;
  const val = sk.lastOowAckTime;
  const now = tcp_jiffies32(net);
  if (val) {
    const elapsed = (now - val) | 0;
    const limit = Math.floor(((net.sysctl.int('net.ipv4.tcp_invalid_ratelimit') || 0) * HZ) / 1000);
    if (elapsed >= 0 && elapsed < limit) {
      net.mib.inc(mib);
      return true;
    }
  }
  sk.lastOowAckTime = now || 1;
  return false;
}

function tcp_oow_rate_limited(sk: TcpSock, cb: TcpCb, mib: number): boolean {
  if (cb.seq !== cb.endSeq && !(cb.flags & TCPHDR_SYN)) return false;
  return __tcp_oow_rate_limited(sk, mib);
}

/** tcp_send_challenge_ack() */
function tcp_send_challenge_ack(sk: TcpSock): void {
  const net = sk.net;
  if (__tcp_oow_rate_limited(sk, MIB.TcpExtTCPACKSkippedChallenge)) return;
  net.mib.inc(MIB.TcpExtTCPChallengeACK);
  tcp_send_ack(sk);
}

/** tcp_send_dupack() */
function tcp_send_dupack(sk: TcpSock, cb: TcpCb): void {
  if (cb.endSeq !== cb.seq && before(cb.seq, sk.rcvNxt)) {
    sk.net.mib.inc(MIB.TcpExtDelayedACKLost);
    tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
    if (sk.rxOpt.sackOk && sk.net.sysctl.int('net.ipv4.tcp_dsack')) {
      let end = cb.endSeq;
      if (after(end, sk.rcvNxt)) end = sk.rcvNxt;
      tcp_dsack_set(sk, cb.seq, end);
    }
  }
  tcp_send_ack(sk);
}

function tcp_dsack_set(sk: TcpSock, seq: number, endSeq: number): void {
  if (sk.rxOpt.sackOk && sk.net.sysctl.int('net.ipv4.tcp_dsack')) {
    sk.net.mib.inc(before(seq, sk.rcvNxt) ? MIB.TcpExtTCPDSACKOldSent : MIB.TcpExtTCPDSACKOfoSent);
    sk.rxOpt.sackBlocks = [[seq, endSeq]];
    sk.rxOpt.numSacks = 1;
    sk.dsackPending = true;
  }
}

/** tcp_reset_check() */
function tcp_reset_check(sk: TcpSock, cb: TcpCb): boolean {
  return cb.seq === (sk.rcvNxt - 1) >>> 0 && ((1 << sk.state) & ((1 << TCP_CLOSE_WAIT) | (1 << TCP_LAST_ACK) | (1 << TCP_CLOSING))) !== 0;
}

/** tcp_drop_reason(): a segment the socket did not want. */
export function tcp_drop_reason(sk: TcpSock, skb: SkBuff, reason: number): void {
  sk.drops++;
  kfree_skb_reason(sk.net, skb, reason || SKB_DROP_REASON.NOT_SPECIFIED, tcp_drop_location(sk), undefined, sk);
}

function tcp_drop_location(sk: TcpSock): string {
  return sk.rcvRoutine;
}

/** __kfree_skb(): freed with no tracepoint. */
function __kfree_skb(skb: SkBuff): void {
  skb.release();
}

/** tcp_validate_incoming(): false when the segment was consumed (dropped or acted on). */
function tcp_validate_incoming(sk: TcpSock, skb: SkBuff, cb: TcpCb, synInerr: boolean): boolean {
  const net = sk.net;
  let reason = 0;
  const rst = (cb.flags & TCPHDR_RST) !== 0;
  const syn = (cb.flags & TCPHDR_SYN) !== 0;
  let goStep1 = true;
  if (tcp_fast_parse_options(sk, skb, cb) && sk.rxOpt.sawTstamp && !tcp_paws_check(sk.rxOpt, TCP_PAWS_WINDOW, ktime_get_seconds(sk))) {
    if (!tcp_disordered_ack(sk, cb)) {
      goStep1 = false;
      if (!rst) {
        if (syn) return syn_challenge(sk, skb, synInerr);
        net.mib.inc(MIB.TcpExtPAWSEstab);
        if (!tcp_oow_rate_limited(sk, cb, MIB.TcpExtTCPACKSkippedPAWS)) tcp_send_dupack(sk, cb);
        tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_RFC7323_PAWS);
        return false;
      }
      goStep1 = true;
    }
  }
  if (goStep1) {
    reason = tcp_sequence(sk, cb);
    if (reason) {
      if (!rst) {
        if (syn) return syn_challenge(sk, skb, synInerr);
        if (reason === SKB_DROP_REASON.TCP_INVALID_SEQUENCE || reason === SKB_DROP_REASON.TCP_INVALID_END_SEQUENCE)
          net.mib.inc(MIB.TcpExtBeyondWindow);
        if (!tcp_oow_rate_limited(sk, cb, MIB.TcpExtTCPACKSkippedSeq)) tcp_send_dupack(sk, cb);
      } else if (tcp_reset_check(sk, cb)) {
        tcp_reset(sk, skb);
        __kfree_skb(skb);
        return false;
      }
      tcp_drop_reason(sk, skb, reason);
      return false;
    }
  }
  if (rst) {
    if (cb.seq === sk.rcvNxt || tcp_reset_check(sk, cb)) {
      tcp_reset(sk, skb);
      __kfree_skb(skb);
      return false;
    }
    tcp_send_challenge_ack(sk);
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_RESET);
    return false;
  }
  if (syn) {
    if (
      sk.state === TCP_SYN_RECV &&
      cb.flags & TCPHDR_ACK &&
      (cb.seq + 1) >>> 0 === cb.endSeq &&
      (cb.seq + 1) >>> 0 === sk.rcvNxt &&
      cb.ackSeq === sk.sndNxt
    )
      return true;
    return syn_challenge(sk, skb, synInerr);
  }
  return true;
}

function syn_challenge(sk: TcpSock, skb: SkBuff, synInerr: boolean): boolean {
  const net = sk.net;
  if (synInerr) net.mib.inc(MIB.TcpInErrs);
  net.mib.inc(MIB.TcpExtTCPSYNChallenge);
  tcp_send_challenge_ack(sk);
  tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_INVALID_SYN);
  return false;
}

/** tcp_reset(): the peer reset the connection. */
export function tcp_reset(sk: TcpSock, skb: SkBuff | null): void {
  void skb;
  trace_tcp_receive_reset(sk);
  let err: number;
  switch (sk.state) {
    case TCP_SYN_SENT:
      err = ECONNREFUSED;
      break;
    case TCP_CLOSE_WAIT:
      err = EPIPE;
      break;
    case TCP_CLOSE:
      return;
    default:
      err = ECONNRESET;
  }
  tcp_done_with_error(sk, err);
}

/** tcp_rtt_estimator() */
function tcp_rtt_estimator(sk: TcpSock, mrttUs: number): void {
  let m = mrttUs;
  let srtt = sk.srttUs;
  const rtoMinUs = sk.net.sysctl.int('net.ipv4.tcp_rto_min_us') || 200000;
  if (srtt !== 0) {
    m -= srtt >> 3;
    srtt += m;
    if (m < 0) {
      m = -m;
      m -= sk.mdevUs >> 2;
      if (m > 0) m >>= 3;
    } else m -= sk.mdevUs >> 2;
    sk.mdevUs += m;
    if (sk.mdevUs > sk.mdevMaxUs) {
      sk.mdevMaxUs = sk.mdevUs;
      if (sk.mdevMaxUs > sk.rttvarUs) sk.rttvarUs = sk.mdevMaxUs;
    }
    if (after(sk.sndUna, sk.rttSeq)) {
      if (sk.mdevMaxUs < sk.rttvarUs) sk.rttvarUs -= (sk.rttvarUs - sk.mdevMaxUs) >> 2;
      sk.rttSeq = sk.sndNxt;
      sk.mdevMaxUs = rtoMinUs;
    }
  } else {
    srtt = m << 3;
    sk.mdevUs = m << 1;
    sk.rttvarUs = Math.max(sk.mdevUs, rtoMinUs);
    sk.mdevMaxUs = sk.rttvarUs;
    sk.rttSeq = sk.sndNxt;
  }
  sk.srttUs = Math.max(1, srtt);
}

/** tcp_synack_rtt_meas(): the child's first RTT sample, from its request's first SYN-ACK. */
export function tcp_synack_rtt_meas(sk: TcpSock, req: RequestSock): void {
  if (req.numRetrans || !req.sntSynack) return;
  const rttUs = Math.max(1, Math.floor((sk.net.kernel.now - req.sntSynack) / 1000));
  tcp_rtt_estimator(sk, rttUs);
  tcp_set_rto(sk);
  sk.backoff = 0;
}

/** tcp_set_rto() */
function tcp_set_rto(sk: TcpSock): void {
  const us = (sk.srttUs >> 3) + sk.rttvarUs;
  sk.rto = Math.min(Math.ceil((us * HZ) / 1e6), TCP_RTO_MAX);
}

/** tcp_ack_update_rtt() */
function tcp_ack_update_rtt(sk: TcpSock, flag: number, seqRttUs: number): boolean {
  let rtt = seqRttUs;
  if (rtt < 0 && sk.rxOpt.sawTstamp && sk.rxOpt.rcvTsecr && flag & FLAG_ACKED) {
    const delta = (tcp_clock_ms(sk.net) - sk.rxOpt.rcvTsecr) | 0;
    if (delta >= 0) rtt = Math.max(delta, 1) * 1000;
  }
  if (rtt < 0) return false;
  tcp_rtt_estimator(sk, rtt);
  tcp_set_rto(sk);
  sk.backoff = 0;
  return true;
}

/** tcp_clean_rtx_queue(): drop what the ACK covers; RTT sample; delivered. */
function tcp_clean_rtx_queue(sk: TcpSock, priorSndUna: number): { flag: number; delivered: number } {
  const now = sk.net.kernel.now;
  let flag = 0;
  let firstAckt = -1;
  let pktsAcked = 0;
  let delivered = 0;
  let everRetrans = false;
  while (sk.rtxQueue.length) {
    const seg = sk.rtxQueue[0] as TcpSeg;
    let ackedPcount: number;
    if (after(seg.endSeq, sk.sndUna)) {
      // partially acked: trim it (tcp_trim_head)
      if (seg.pcount === 1 || !after(sk.sndUna, seg.seq)) break;
      const cut = (sk.sndUna - seg.seq) >>> 0;
      const mss = seg.mss || 1;
      const before_ = seg.pcount;
      seg.data = seg.data.slice(cut);
      seg.seq = sk.sndUna;
      seg.pcount = Math.max(1, Math.ceil(seg.data.length / mss));
      ackedPcount = before_ - seg.pcount;
      if (!ackedPcount) break;
      sk.packetsOut -= ackedPcount;
      pktsAcked += ackedPcount;
      delivered += ackedPcount;
      flag |= FLAG_DATA_ACKED;
      break;
    }
    ackedPcount = seg.pcount;
    if (seg.sacked & TCPCB_SACKED_RETRANS) {
      sk.retransOut -= ackedPcount;
      flag |= FLAG_RETRANS_DATA_ACKED;
    } else if (!(seg.sacked & TCPCB_SACKED_ACKED)) {
      if (firstAckt < 0) firstAckt = seg.mstamp;
    }
    if (seg.sacked & TCPCB_EVER_RETRANS) everRetrans = true;
    if (seg.sacked & TCPCB_SACKED_ACKED) sk.sackedOut -= ackedPcount;
    else delivered += ackedPcount;
    sk.packetsOut -= ackedPcount;
    pktsAcked += ackedPcount;
    if (!(seg.flags & TCPHDR_SYN)) flag |= FLAG_DATA_ACKED;
    else {
      flag |= FLAG_SYN_ACKED;
      sk.retransStamp = 0;
    }
    sk.rtxQueue.shift();
    sk.wmemQueued -= seg.truesize;
  }
  if (!sk.packetsOut) sk.retransOut = 0;
  if (after(sk.sndUna, priorSndUna)) {
    // tcp_rate / snd_una bookkeeping
  }
  if (flag & FLAG_ACKED) {
    let seqRtt = -1;
    if (firstAckt >= 0 && !(flag & FLAG_RETRANS_DATA_ACKED) && !everRetrans) seqRtt = Math.max(1, Math.floor((now - firstAckt) / 1000));
    const rttUpdate = tcp_ack_update_rtt(sk, flag, seqRtt);
    void rttUpdate;
    flag |= FLAG_SET_XMIT_TIMER;
    if (!sk.packetsOut) sk.retransStamp = 0;
  }
  void pktsAcked;
  return { flag, delivered };
}

/** tcp_ack_update_window() */
function tcp_ack_update_window(sk: TcpSock, cb: TcpCb, ack: number, ackSeq: number): number {
  let flag = 0;
  let nwin = cb.window;
  if (!(cb.flags & TCPHDR_SYN)) nwin = nwin * 2 ** sk.rxOpt.sndWscale;
  if (tcp_may_update_window(sk, ack, ackSeq, nwin)) {
    flag |= FLAG_WIN_UPDATE;
    sk.sndWl1 = ackSeq;
    if (sk.sndWnd !== nwin) {
      sk.sndWnd = nwin;
      sk.predFlags = false;
      tcp_fast_path_check(sk);
      if (nwin > sk.maxWindow) {
        sk.maxWindow = nwin;
        tcp_sync_mss(sk, sk.pmtuCookie);
      }
    }
  }
  tcp_snd_una_update(sk, ack);
  return flag;
}

function tcp_snd_una_update(sk: TcpSock, ack: number): void {
  const delta = (ack - sk.sndUna) >>> 0;
  sk.bytesAcked += delta;
  sk.sndUna = ack;
}

/** tcp_fast_path_check() */
export function tcp_fast_path_check(sk: TcpSock): void {
  if (!sk.ofoQueue.length && sk.rcvWnd && sk.rmemAlloc < sk.rcvbuf) sk.predFlags = true;
}

/** tcp_cong_control() for the connection's congestion control: slow start, then Reno's linear growth. */
function tcp_cong_avoid(sk: TcpSock, acked: number, flag: number): void {
  if (!(flag & FLAG_ACKED) || sk.caState !== 0) return;
  if (!tcp_is_cwnd_limited(sk)) return;
  let a = acked;
  if (sk.sndCwnd < sk.sndSsthresh) {
    const cwnd = Math.min(sk.sndCwnd + a, sk.sndSsthresh);
    a -= cwnd - sk.sndCwnd;
    sk.sndCwnd = Math.min(cwnd, 0x7fffffff);
    if (!a) return;
  }
  sk.sndCwndCnt += a;
  if (sk.sndCwndCnt >= sk.sndCwnd) {
    const d = Math.floor(sk.sndCwndCnt / sk.sndCwnd);
    sk.sndCwndCnt -= d * sk.sndCwnd;
    sk.sndCwnd += d;
  }
}

/** tcp_is_cwnd_limited(): the window was used fully this round, or slow start has not doubled what went out. */
function tcp_is_cwnd_limited(sk: TcpSock): boolean {
  if (sk.cwndLimited) return true;
  if (sk.sndCwnd < sk.sndSsthresh) return sk.sndCwnd < 2 * sk.maxPacketsOut;
  return false;
}

/** tcp_mark_skb_lost(): a retransmission lost again counts as TCPLostRetransmit. */
function tcp_mark_skb_lost(sk: TcpSock, seg: TcpSeg): void {
  if (seg.sacked & TCPCB_SACKED_ACKED) return;
  if (seg.sacked & TCPCB_LOST) {
    if (seg.sacked & TCPCB_SACKED_RETRANS) {
      seg.sacked &= ~TCPCB_SACKED_RETRANS;
      sk.retransOut -= seg.pcount;
      sk.net.mib.inc(MIB.TcpExtTCPLostRetransmit, seg.pcount);
    }
  } else {
    sk.lostOut += seg.pcount;
    seg.sacked |= TCPCB_LOST;
  }
}

/** tcp_enter_loss(): RTO fired; what is outstanding is lost (tcp_timeout_mark_lost). */
export function tcp_enter_loss(sk: TcpSock): void {
  for (const seg of sk.rtxQueue) tcp_mark_skb_lost(sk, seg);
  if (sk.caState <= 1 || !after(sk.highSeq, sk.sndUna) || (sk.caState === 4 && !sk.retransmits)) {
    sk.priorSsthresh = sk.sndSsthresh;
    sk.priorCwnd = sk.sndCwnd;
    sk.sndSsthresh = Math.max(sk.sndCwnd >> 1, 2);
  }
  sk.sndCwnd = tcp_packets_in_flight(sk) + 1;
  sk.sndCwndCnt = 0;
  sk.caState = 4;
  sk.highSeq = sk.sndNxt;
}

/** tcp_fastretrans_alert(), reduced: three duplicate ACKs retransmit the head (NewReno). */
function tcp_fastretrans_alert(sk: TcpSock, priorSndUna: number, numDupack: number, flag: number): void {
  const net = sk.net;
  if (!sk.packetsOut) return;
  if (sk.caState === 4) {
    if (!before(sk.sndUna, sk.highSeq)) {
      sk.caState = 0;
      sk.sndCwnd = Math.max(sk.sndSsthresh, 2);
    } else if (flag & FLAG_DATA_ACKED && sk.rtxQueue[0]) {
      tcp_retransmit_skb(sk, sk.rtxQueue[0]);
    }
    return;
  }
  if (sk.caState === 3) {
    if (!before(sk.sndUna, sk.highSeq)) {
      sk.caState = 0;
      sk.sndCwnd = sk.sndSsthresh;
      sk.dupacks = 0;
    } else if (after(sk.sndUna, priorSndUna) && sk.rtxQueue[0]) {
      tcp_retransmit_skb(sk, sk.rtxQueue[0]);
    }
    return;
  }
  if (numDupack) sk.dupacks += numDupack;
  else if (flag & FLAG_SND_UNA_ADVANCED) sk.dupacks = 0;
  const thresh = net.sysctl.int('net.ipv4.tcp_reordering') || 3;
  if (sk.dupacks >= thresh && sk.rtxQueue[0]) {
    sk.highSeq = sk.sndNxt;
    sk.priorSsthresh = sk.sndSsthresh;
    sk.sndSsthresh = Math.max(sk.sndCwnd >> 1, 2);
    sk.sndCwnd = sk.sndSsthresh;
    sk.caState = 3;
    net.mib.inc(sk.rxOpt.sackOk ? MIB.TcpExtTCPSackRecovery : MIB.TcpExtTCPRenoRecovery);
    net.mib.inc(MIB.TcpExtTCPFastRetrans);
    tcp_retransmit_skb(sk, sk.rtxQueue[0]);
  } else if (sk.dupacks) sk.caState = 1;
}

/** tcp_ack(): 1 when accepted, 0 for an old ACK, or -reason. */
function tcp_ack(sk: TcpSock, skb: SkBuff, cb: TcpCb, flagIn: number): number {
  const net = sk.net;
  let flag = flagIn;
  const priorSndUna = sk.sndUna;
  const ackSeq = cb.seq;
  const ack = cb.ackSeq;
  const priorPackets = sk.packetsOut;
  const priorDelivered = sk.delivered;
  void skb;
  if (before(ack, priorSndUna)) {
    const maxWindow = Math.min(sk.maxWindow, sk.bytesAcked);
    if (before(ack, (priorSndUna - maxWindow) >>> 0)) {
      if (!(flag & FLAG_NO_CHALLENGE_ACK)) tcp_send_challenge_ack(sk);
      return -SKB_DROP_REASON.TCP_TOO_OLD_ACK;
    }
    return 0;
  }
  if (after(ack, sk.sndNxt)) return -SKB_DROP_REASON.TCP_ACK_UNSENT_DATA;
  if (after(ack, priorSndUna)) {
    flag |= FLAG_SND_UNA_ADVANCED;
    sk.retransmits = 0;
  }
  if (flag & FLAG_UPDATE_TS_RECENT) flag |= tcp_replace_ts_recent(sk, cb.seq);
  if ((flag & (FLAG_SLOWPATH | FLAG_SND_UNA_ADVANCED)) === FLAG_SND_UNA_ADVANCED) {
    sk.sndWl1 = ackSeq;
    tcp_snd_una_update(sk, ack);
    flag |= FLAG_WIN_UPDATE;
    net.mib.inc(MIB.TcpExtTCPHPAcks);
  } else {
    if (ackSeq !== cb.endSeq) flag |= FLAG_DATA;
    else net.mib.inc(MIB.TcpExtTCPPureAcks);
    flag |= tcp_ack_update_window(sk, cb, ack, ackSeq);
  }
  sk.errSoft = 0;
  sk.probesOut = 0;
  sk.rcvTstamp = tcp_jiffies32(net);
  if (!priorPackets) {
    // no_queue: a window opening ends the zero-window probes
    tcp_ack_probe(sk);
    return 1;
  }
  const r = tcp_clean_rtx_queue(sk, priorSndUna);
  flag |= r.flag;
  sk.delivered += r.delivered;
  const isDubious = !(flag & FLAG_NOT_DUP) || flag & FLAG_CA_ALERT || sk.caState !== 0;
  if (isDubious) {
    let numDupack = 0;
    if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DSACKING_ACK))) numDupack = 1;
    tcp_fastretrans_alert(sk, priorSndUna, numDupack, flag);
  } else sk.dupacks = 0;
  if (flag & FLAG_SET_XMIT_TIMER) tcp_rearm_rto(sk);
  const delivered = sk.delivered - priorDelivered;
  if (delivered > 0) net.mib.inc(MIB.TcpExtTCPDelivered, delivered);
  tcp_cong_avoid(sk, delivered, flag);
  void FLAG_FORWARD_PROGRESS;
  void FLAG_LOST_RETRANS;
  void FLAG_ORIG_SACK_ACKED;
  return 1;
}

/** tcp_ack_probe() */
function tcp_ack_probe(sk: TcpSock): void {
  const head = sk.writeQueue[0];
  if (!head) return;
  if (!after(head.endSeq, tcp_wnd_end(sk))) {
    sk.backoff = 0;
    sk.probesOut = 0;
    if (sk.icskPending === 3) inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
  } else if (sk.icskPending !== 3) {
    tcp_reset_xmit_timer(sk, 3, Math.min(sk.rto << sk.backoff, TCP_RTO_MAX));
  }
}

/** tcp_incr_quickack() */
function tcp_incr_quickack(sk: TcpSock, max: number): void {
  let q = Math.floor(sk.rcvWnd / (2 * sk.ack.rcvMss));
  if (q === 0) q = 2;
  q = Math.min(q, max);
  if (q > sk.ack.quick) sk.ack.quick = q;
}

/** tcp_enter_quickack_mode() */
export function tcp_enter_quickack_mode(sk: TcpSock, max: number): void {
  tcp_incr_quickack(sk, max);
  sk.ack.pingpong = 0;
  sk.ack.ato = TCP_ATO_MIN;
}

/** tcp_in_quickack_mode() */
function tcp_in_quickack_mode(sk: TcpSock): boolean {
  return sk.ack.quick > 0 && sk.ack.pingpong < pingpong_thresh(sk);
}

/** tcp_dec_quickack_mode() */
export function tcp_dec_quickack_mode(sk: TcpSock): void {
  if (sk.ack.quick) {
    sk.ack.quick--;
    if (!sk.ack.quick) sk.ack.ato = TCP_ATO_MIN;
  }
}

/** tcp_measure_rcv_mss() */
function tcp_measure_rcv_mss(sk: TcpSock, cb: TcpCb, truesize: number): void {
  const lss = sk.ack.lastSegSize;
  sk.ack.lastSegSize = 0;
  let len = cb.gsoSize || cb.len;
  if (len >= sk.ack.rcvMss) {
    if (len !== sk.ack.rcvMss) {
      const old = sk.scalingRatio;
      const val = Math.floor((cb.len * 2 ** TCP_RMEM_TO_WIN_SCALE) / truesize);
      sk.scalingRatio = val ? Math.min(val, 255) : 1;
      if (old !== sk.scalingRatio) {
        const w = tcp_win_from_space(sk, sk.rcvbuf);
        tcp_set_window_clamp(sk, w);
        if (sk.windowClamp < sk.rcvqSpace.space) sk.rcvqSpace.space = sk.windowClamp;
      }
    }
    sk.ack.rcvMss = Math.min(len, sk.advmss);
    if (cb.flags & TCPHDR_PSH) sk.ack.pending |= ICSK_ACK_PUSHED;
  } else {
    len += cb.doff * 4;
    if (len >= TCP_MSS_DEFAULT + 20 || (len >= TCP_MIN_MSS + 20 && !(cb.flags & (TCPHDR_URG | TCPHDR_PSH | TCPHDR_FIN)))) {
      len -= sk.tcpHeaderLen;
      sk.ack.lastSegSize = len;
      if (len === lss) {
        sk.ack.rcvMss = len;
        return;
      }
    }
    if (sk.ack.pending & ICSK_ACK_PUSHED) sk.ack.pending |= ICSK_ACK_PUSHED2;
    sk.ack.pending |= ICSK_ACK_PUSHED;
  }
}

/** tcp_set_window_clamp() */
function tcp_set_window_clamp(sk: TcpSock, val: number): void {
  const oldClamp = sk.windowClamp;
  if (!val) return;
  const newClamp = Math.max(TCP_MIN_MSS * 2, val);
  if (newClamp === oldClamp) return;
  sk.windowClamp = newClamp;
  if (newClamp < oldClamp) {
    sk.rcvSsthresh = Math.min(sk.rcvSsthresh, newClamp);
  } else {
    const newRcvSsthresh = Math.min(sk.rcvWnd, newClamp);
    sk.rcvSsthresh = Math.max(newRcvSsthresh, sk.rcvSsthresh);
  }
}

/** __tcp_grow_window() */
function __tcp_grow_window(sk: TcpSock, len: number, skbTruesize: number): number {
  let truesize = tcp_win_from_space(sk, skbTruesize) >> 1;
  let window = tcp_win_from_space(sk, tcp_rmem(sk.net)[2]) >> 1;
  while (sk.rcvSsthresh <= window) {
    if (truesize <= len) return 2 * sk.ack.rcvMss;
    truesize >>= 1;
    window >>= 1;
  }
  return 0;
}

/** tcp_grow_window() with truesize_adjust(): the data of a TCP skb is in page frags, its head does not count. */
function tcp_grow_window(sk: TcpSock, len: number, truesizeIn: number): void {
  const room = Math.min(sk.windowClamp, tcp_space(sk)) - sk.rcvSsthresh;
  if (room <= 0) return;
  const truesize = truesizeIn - RX_HEAD_TRUESIZE >= len ? truesizeIn - RX_HEAD_TRUESIZE : truesizeIn;
  let incr: number;
  if (tcp_win_from_space(sk, truesize) <= len) incr = 2 * sk.advmss;
  else incr = __tcp_grow_window(sk, len, truesize);
  if (incr) {
    incr = Math.max(incr, 2 * len);
    sk.rcvSsthresh += Math.min(room, incr);
    sk.ack.quick |= 1;
  }
}

/** tcp_event_data_recv() */
function tcp_event_data_recv(sk: TcpSock, cb: TcpCb, truesize: number): void {
  sk.ack.pending |= ICSK_ACK_SCHED;
  tcp_measure_rcv_mss(sk, cb, truesize);
  tcp_rcv_rtt_measure(sk);
  const now = tcp_jiffies32(sk.net);
  if (!sk.ack.ato) {
    tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
    sk.ack.ato = TCP_ATO_MIN;
  } else {
    const m = (now - sk.ack.lrcvtime) | 0;
    if (m <= TCP_ATO_MIN / 2) sk.ack.ato = (sk.ack.ato >> 1) + TCP_ATO_MIN / 2;
    else if (m < sk.ack.ato) {
      sk.ack.ato = (sk.ack.ato >> 1) + m;
      if (sk.ack.ato > sk.rto) sk.ack.ato = sk.rto;
    } else if (m > sk.rto) tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
  }
  sk.ack.lrcvtime = now;
  if (cb.len >= 128) tcp_grow_window(sk, cb.len, truesize);
}

/** tcp_rcv_rtt_update(): the receiver's RTT estimate, a minimum unless timestamps keep it honest. */
function tcp_rcv_rtt_update(sk: TcpSock, sample: number, winDep: boolean): void {
  const old = sk.rcvRttEst.rttUs;
  const m = sample << 3;
  let next: number;
  if (old === 0 || m < old) next = m;
  else {
    if (winDep) return;
    if (sk.rcvNxt !== sk.copiedSeq) return;
    next = old - (old >> 3) + sample;
  }
  sk.rcvRttEst.rttUs = next;
}

/** tcp_rcv_rtt_measure(): one sample per window of data received. */
function tcp_rcv_rtt_measure(sk: TcpSock): void {
  if (sk.rcvRttEst.time !== 0) {
    if (before(sk.rcvNxt, sk.rcvRttEst.seq)) return;
    const delta = Math.max(1, Math.floor((sk.tcpMstamp - sk.rcvRttEst.time) / 1000));
    tcp_rcv_rtt_update(sk, delta, true);
  }
  sk.rcvRttEst.seq = (sk.rcvNxt + sk.rcvWnd) >>> 0;
  sk.rcvRttEst.time = sk.tcpMstamp;
}

/** tcp_rcv_rtt_measure_ts(): a sample from the echoed timestamp of a full-sized segment. */
function tcp_rcv_rtt_measure_ts(sk: TcpSock, cb: TcpCb): void {
  if (sk.rxOpt.rcvTsecr === sk.rcvRttLastTsecr) return;
  sk.rcvRttLastTsecr = sk.rxOpt.rcvTsecr;
  if ((cb.endSeq - cb.seq) >>> 0 >= sk.ack.rcvMss) {
    // tcp_rtt_tsopt_us(tp, 0): whole milliseconds
    const delta = (tcp_clock_ms(sk.net) - sk.rxOpt.rcvTsecr) | 0;
    if (delta > 0) tcp_rcv_rtt_update(sk, delta * 1000, false);
  }
}

/** tcp_rcv_space_adjust(): receive buffer autotuning (DRS), once per receiver RTT of reading. */
export function tcp_rcv_space_adjust(sk: TcpSock): void {
  if (!sk.rcvRttEst.rttUs) return;
  const time = Math.floor((sk.tcpMstamp - sk.rcvqSpace.time) / 1000);
  if (time < sk.rcvRttEst.rttUs >> 3) return;
  let copied = (sk.copiedSeq - sk.rcvqSpace.seq) | 0;
  const inq = (sk.rcvNxt - sk.copiedSeq) | 0;
  copied -= inq;
  if (copied > sk.rcvqSpace.space) tcp_rcvbuf_grow(sk, copied);
  sk.rcvqSpace.seq = sk.copiedSeq;
  sk.rcvqSpace.time = sk.tcpMstamp;
}

/** tcp_rcvbuf_grow() */
function tcp_rcvbuf_grow(sk: TcpSock, newval: number): void {
  const net = sk.net;
  const oldval = sk.rcvqSpace.space;
  sk.rcvqSpace.space = newval;
  if (!net.sysctl.int('net.ipv4.tcp_moderate_rcvbuf') || sk.userlocks & 2) return;
  let rcvwin = newval * 2;
  const grow = Math.floor((rcvwin * (newval - oldval)) / Math.max(1, oldval));
  rcvwin += grow * 2;
  const last = sk.ofoQueue[sk.ofoQueue.length - 1];
  if (last) rcvwin += (last.endSeq - sk.rcvNxt) >>> 0;
  const cap = tcp_rmem(net)[2];
  const rcvbuf = Math.min(Math.floor((rcvwin * 2 ** TCP_RMEM_TO_WIN_SCALE) / sk.scalingRatio), cap);
  if (rcvbuf > sk.rcvbuf) {
    sk.rcvbuf = rcvbuf;
    sk.windowClamp = tcp_win_from_space(sk, rcvbuf);
  }
}

/** tcp_cleanup_rbuf(): after a read, an ACK if one is due or the window grew a lot. */
export function tcp_cleanup_rbuf_ack(sk: TcpSock, copied: number): void {
  let timeToAck = false;
  if (inet_csk_ack_scheduled(sk)) {
    const rcvWindowNow = tcp_receive_window(sk);
    if (
      sk.ack.pending & ICSK_ACK_NOW ||
      (sk.rcvNxt - sk.rcvWup) >>> 0 > sk.ack.rcvMss ||
      (copied > 0 &&
        (sk.ack.pending & ICSK_ACK_PUSHED2 || (sk.ack.pending & ICSK_ACK_PUSHED && sk.ack.pingpong < pingpong_thresh(sk))) &&
        !sk.rmemAlloc) ||
      rcvWindowNow === 0
    ) {
      void rcvWindowNow;
      timeToAck = true;
    }
  }
  if (copied > 0 && !timeToAck && !(sk.shutdown & RCV_SHUTDOWN)) {
    const rcvWindowNow = tcp_receive_window(sk);
    if (2 * rcvWindowNow <= sk.windowClamp) {
      const newWindow = __tcp_select_window(sk);
      if (newWindow && newWindow >= 2 * rcvWindowNow) timeToAck = true;
    }
  }
  if (timeToAck) {
    // tcp_recvmsg runs with the socket owned: the ACK goes out now
    const cpu = sk.net.kernel.sim.cpu;
    cpu.localBhDisable();
    tcp_send_ack(sk);
    cpu.localBhEnable();
  }
}

/** tcp_try_rmem_schedule() with sk_rmem_schedule(): 0 when the memory is there. */
function tcp_try_rmem_schedule(sk: TcpSock, size: number): number {
  if (sk.rmemAlloc > sk.rcvbuf) return -1;
  const delta = size - sk.forwardAlloc;
  if (delta > 0) sk.forwardAlloc += Math.ceil(delta / PAGE_SIZE) * PAGE_SIZE;
  return 0;
}

/** tcp_queue_rcv(): in order onto sk_receive_queue, coalescing with the tail. */
function tcp_queue_rcv(sk: TcpSock, cb: TcpCb, data: Uint8Array, truesize: number, skb: SkBuff | null): void {
  const tail = sk.rcvq[sk.rcvq.length - 1];
  const fin = (cb.flags & TCPHDR_FIN) !== 0;
  if (tail && !tail.fin && tail.endSeq === cb.seq && data.length && tail.data.length + data.length <= 65536) {
    // tcp_try_coalesce(): the data joins the tail; the head of this skb is freed
    const nd = new Uint8Array(tail.data.length + data.length);
    nd.set(tail.data);
    nd.set(data, tail.data.length);
    tail.data = nd;
    tail.endSeq = cb.endSeq;
    tail.fin = fin;
    const delta = truesize - RX_HEAD_TRUESIZE;
    tail.truesize += delta;
    sk.rmemAlloc += delta;
    sk.forwardAlloc -= delta;
    sk.net.mib.inc(MIB.TcpExtTCPRcvCoalesce);
    // kfree_skb_partial(): the head of the merged skb goes, untraced
    skb?.release();
  } else {
    const seg: RcvSeg = { seq: cb.seq, endSeq: cb.endSeq, fin, data, truesize, skb };
    sk.rcvq.push(seg);
    sk.rmemAlloc += truesize;
    sk.forwardAlloc -= truesize;
  }
  sk.rcvNxt = cb.endSeq;
  sk.bytesReceived += data.length;
}

/**
 * The truesize of an arriving segment: an skb the peer's tcp_sendmsg built,
 * SKB_TRUESIZE() of a MAX_TCP_HEADER head from skb_small_head_cache (256 +
 * 256 + 320) plus the payload in page frags.
 */
export const RX_HEAD_TRUESIZE = 832;
export function rx_truesize(len: number): number {
  return RX_HEAD_TRUESIZE + len;
}

/** tcp_data_queue() */
function tcp_data_queue(sk: TcpSock, skb: SkBuff, cb: TcpCb): void {
  kprobe(sk.net, skb, 'tcp_data_queue');
  if (cb.seq === cb.endSeq) {
    __kfree_skb(skb);
    return;
  }
  const data = skb.head.slice(cb.th + cb.doff * 4, cb.th + cb.doff * 4 + cb.len);
  const truesize = rx_truesize(cb.len);
  if (sk.dsackPending) {
    sk.dsackPending = false;
    sk.rxOpt.numSacks = 0;
    sk.rxOpt.sackBlocks = [];
  }
  let reason = SKB_DROP_REASON.NOT_SPECIFIED;
  if (cb.seq === sk.rcvNxt) {
    if (tcp_receive_window(sk) === 0) {
      if (!cb.len && cb.flags & TCPHDR_FIN) return queue_and_out(sk, skb, cb, data, truesize);
      sk.net.mib.inc(MIB.TcpExtTCPZeroWindowDrop);
      return out_of_window(sk, skb, SKB_DROP_REASON.TCP_ZEROWINDOW);
    }
    return queue_and_out(sk, skb, cb, data, truesize);
  }
  if (!after(cb.endSeq, sk.rcvNxt)) {
    reason = SKB_DROP_REASON.TCP_OLD_DATA;
    sk.net.mib.inc(MIB.TcpExtDelayedACKLost);
    tcp_dsack_set(sk, cb.seq, cb.endSeq);
    return out_of_window(sk, skb, reason);
  }
  if (!before(cb.seq, (sk.rcvNxt + tcp_receive_window(sk)) >>> 0)) return out_of_window(sk, skb, SKB_DROP_REASON.TCP_OVERWINDOW);
  if (before(cb.seq, sk.rcvNxt)) {
    tcp_dsack_set(sk, cb.seq, sk.rcvNxt);
    if (!tcp_receive_window(sk)) {
      sk.net.mib.inc(MIB.TcpExtTCPZeroWindowDrop);
      return out_of_window(sk, skb, SKB_DROP_REASON.TCP_ZEROWINDOW);
    }
    // the part already received is cut off
    const cut = (sk.rcvNxt - cb.seq) >>> 0;
    const cb2 = { ...cb, seq: sk.rcvNxt, len: cb.len - cut };
    return queue_and_out(sk, skb, cb2, data.slice(cut), truesize);
  }
  tcp_data_queue_ofo(sk, skb, cb, data, truesize);
}

function out_of_window(sk: TcpSock, skb: SkBuff, reason: number): void {
  tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
  sk.ack.pending |= ICSK_ACK_SCHED;
  tcp_drop_reason(sk, skb, reason);
}

function queue_and_out(sk: TcpSock, skb: SkBuff, cb: TcpCb, data: Uint8Array, truesize: number): void {
  if (tcp_try_rmem_schedule(sk, truesize)) {
    sk.ack.pending |= ICSK_ACK_NOMEM | ICSK_ACK_NOW | ICSK_ACK_SCHED;
    sk_wake(sk);
    if (sk.rcvq.length && data.length) {
      sk.net.mib.inc(MIB.TcpExtTCPRcvQDrop);
      tcp_drop_reason(sk, skb, SKB_DROP_REASON.PROTO_MEM);
      return;
    }
  }
  tcp_queue_rcv(sk, cb, data, truesize, skb);
  if (data.length) tcp_event_data_recv(sk, cb, truesize);
  if (cb.flags & TCPHDR_FIN) tcp_fin(sk);
  if (sk.ofoQueue.length) {
    tcp_ofo_queue(sk);
    if (!sk.ofoQueue.length) sk.ack.pending |= ICSK_ACK_NOW;
  }
  if (sk.rxOpt.numSacks && !sk.dsackPending) tcp_sack_remove(sk);
  tcp_fast_path_check(sk);
  if (!sk.dead) sk_wake(sk);
}

/** tcp_data_queue_ofo(): keep it for later, SACK it. */
function tcp_data_queue_ofo(sk: TcpSock, skb: SkBuff, cb: TcpCb, data: Uint8Array, truesize: number): void {
  const net = sk.net;
  if (tcp_try_rmem_schedule(sk, truesize)) {
    net.mib.inc(MIB.TcpExtTCPOFODrop);
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.PROTO_MEM);
    return;
  }
  sk.predFlags = false;
  sk.ack.pending |= ICSK_ACK_SCHED;
  net.mib.inc(MIB.TcpExtTCPOFOQueue);
  const seg: RcvSeg = { seq: cb.seq, endSeq: cb.endSeq, fin: (cb.flags & TCPHDR_FIN) !== 0, data, truesize, skb };
  if (sk.ofoQueue.some((s) => !before(cb.seq, s.seq) && !after(cb.endSeq, s.endSeq))) {
    net.mib.inc(MIB.TcpExtTCPOFOMerge);
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_OFOMERGE);
    return;
  }
  sk.ofoQueue.push(seg);
  sk.ofoQueue.sort((a, b) => (a.seq - b.seq) | 0);
  sk.rmemAlloc += truesize;
  sk.forwardAlloc -= truesize;
  // SACK blocks: the ofo ranges, the newest first
  if (sk.rxOpt.sackOk) {
    const blocks: [number, number][] = [];
    for (const s of sk.ofoQueue) {
      const last = blocks[blocks.length - 1];
      if (last && !after(s.seq, last[1])) {
        if (after(s.endSeq, last[1])) last[1] = s.endSeq;
      } else blocks.push([s.seq, s.endSeq]);
    }
    const idx = blocks.findIndex((b) => !before(cb.seq, b[0]) && !after(cb.endSeq, b[1]));
    if (idx > 0) blocks.unshift(...blocks.splice(idx, 1));
    sk.rxOpt.sackBlocks = blocks.slice(0, 4);
    sk.rxOpt.numSacks = sk.rxOpt.sackBlocks.length;
  }
}

/** tcp_ofo_queue(): what now follows rcv_nxt moves to the receive queue. */
function tcp_ofo_queue(sk: TcpSock): void {
  while (sk.ofoQueue.length) {
    const s = sk.ofoQueue[0] as RcvSeg;
    if (after(s.seq, sk.rcvNxt)) break;
    sk.ofoQueue.shift();
    sk.rmemAlloc -= s.truesize;
    sk.forwardAlloc += s.truesize;
    if (!after(s.endSeq, sk.rcvNxt)) {
      if (s.skb) kfree_skb_reason(sk.net, s.skb, SKB_DROP_REASON.TCP_OFO_DROP, 'tcp_ofo_queue', undefined, sk);
      continue;
    }
    const cut = (sk.rcvNxt - s.seq) >>> 0;
    const data = s.data.slice(cut);
    const cb = { seq: sk.rcvNxt, endSeq: s.endSeq, flags: s.fin ? TCPHDR_FIN : 0 } as TcpCb;
    tcp_queue_rcv(sk, cb, data, s.truesize, s.skb);
    if (s.fin) tcp_fin(sk);
  }
}

function tcp_sack_remove(sk: TcpSock): void {
  if (!sk.ofoQueue.length) {
    sk.rxOpt.numSacks = 0;
    sk.rxOpt.sackBlocks = [];
    return;
  }
  sk.rxOpt.sackBlocks = sk.rxOpt.sackBlocks.filter((b) => after(b[1], sk.rcvNxt));
  sk.rxOpt.numSacks = sk.rxOpt.sackBlocks.length;
}

/** tcp_fin(): the peer is done sending. */
function tcp_fin(sk: TcpSock): void {
  sk.ack.pending |= ICSK_ACK_SCHED;
  sk.shutdown |= RCV_SHUTDOWN;
  sk.done = true;
  switch (sk.state) {
    case TCP_SYN_RECV:
    case TCP_ESTABLISHED:
      tcp_set_state(sk, TCP_CLOSE_WAIT);
      sk.ack.pingpong = pingpong_thresh(sk);
      break;
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
      break;
    case TCP_FIN_WAIT1:
      tcp_send_ack(sk);
      tcp_set_state(sk, TCP_CLOSING);
      break;
    case TCP_FIN_WAIT2:
      tcp_send_ack(sk);
      tcp_time_wait(sk, 6, 0);
      break;
    default:
      break;
  }
  for (const s of sk.ofoQueue.splice(0)) {
    if (s.skb) kfree_skb_reason(sk.net, s.skb, SKB_DROP_REASON.NOT_SPECIFIED, 'skb_rbtree_purge');
    sk.rmemAlloc -= s.truesize;
    sk.forwardAlloc += s.truesize;
  }
  if (sk.rxOpt.sackOk) {
    sk.rxOpt.numSacks = 0;
    sk.rxOpt.sackBlocks = [];
  }
  if (!sk.dead) sk_wake(sk);
}

/** tcp_check_space(): the writer may go on. */
export function tcp_check_space(sk: TcpSock): void {
  if (sk_stream_is_writeable(sk)) sk_wake(sk);
}

export function tcp_rtx_queue_empty(sk: TcpSock): boolean {
  return sk.rtxQueue.length === 0;
}

/** tcp_data_snd_check() */
function tcp_data_snd_check(sk: TcpSock): void {
  tcp_push_pending_frames(sk);
  tcp_check_space(sk);
}

/** __tcp_ack_snd_check() */
function __tcp_ack_snd_check(sk: TcpSock, ofoPossible: boolean): void {
  if (
    ((sk.rcvNxt - sk.rcvWup) >>> 0 > sk.ack.rcvMss && ((sk.rcvNxt - sk.copiedSeq) >>> 0 < 1 || __tcp_select_window(sk) >= sk.rcvWnd)) ||
    tcp_in_quickack_mode(sk) ||
    sk.ack.pending & ICSK_ACK_NOW
  ) {
    if (sk.ownedByUser && sk.net.sysctl.int('net.ipv4.tcp_backlog_ack_defer')) {
      tcp_defer(sk, TCP_ACK_DEFERRED);
      return;
    }
    tcp_send_ack(sk);
    return;
  }
  if (!ofoPossible || !sk.ofoQueue.length) {
    tcp_send_delayed_ack(sk);
    return;
  }
  tcp_send_ack(sk);
}

/** tcp_ack_snd_check() */
function tcp_ack_snd_check(sk: TcpSock): void {
  if (!inet_csk_ack_scheduled(sk)) return;
  __tcp_ack_snd_check(sk, true);
}

/** tcp_rcv_established(): header prediction, else the slow path. Takes ownership of skb. */
export function tcp_rcv_established(sk: TcpSock, skb: SkBuff, cb: TcpCb): void {
  kprobe(sk.net, skb, 'tcp_rcv_established');
  const net = sk.net;
  sk.rcvRoutine = 'tcp_rcv_established';
  tcp_mstamp_refresh(sk);
  sk.rxOpt.sawTstamp = false;
  const hpFlags = cb.flags & ~TCPHDR_PSH;
  const predicted =
    sk.predFlags && hpFlags === TCPHDR_ACK && cb.doff * 4 === sk.tcpHeaderLen && cb.window << sk.rxOpt.sndWscale === sk.sndWnd;
  if (predicted && cb.seq === sk.rcvNxt && !after(cb.ackSeq, sk.sndNxt)) {
    let fast = true;
    if (sk.tcpHeaderLen === TCP_HEADER_LEN + TCPOLEN_TSTAMP_ALIGNED) {
      const b = skb.head;
      const o = cb.th + TCP_HEADER_LEN;
      if (rd32(b, o) !== TCPOPT_TSTAMP_HDR) fast = false;
      else {
        sk.rxOpt.sawTstamp = true;
        sk.rxOpt.rcvTsval = rd32(b, o + 4);
        sk.rxOpt.rcvTsecr = (rd32(b, o + 8) - sk.tsoffset) >>> 0;
        if (((sk.rxOpt.rcvTsval - sk.rxOpt.tsRecent) | 0) < 0) fast = false;
      }
    }
    if (fast) {
      if (cb.len === 0) {
        let flag = 0;
        if (sk.tcpHeaderLen === 20 + TCPOLEN_TSTAMP_ALIGNED && sk.rcvNxt === sk.rcvWup) {
          const delta = (sk.rxOpt.rcvTsval - sk.rxOpt.tsRecent) | 0;
          tcp_store_ts_recent(sk);
          if (delta > 0) flag |= 0x2000;
        }
        tcp_ack(sk, skb, cb, flag);
        __kfree_skb(skb);
        tcp_data_snd_check(sk);
        sk.rcvRttLastTsecr = sk.rxOpt.rcvTsecr;
        return;
      }
      const truesize = rx_truesize(cb.len);
      if (!after(cb.endSeq, (sk.rcvNxt + tcp_receive_window(sk)) >>> 0) && truesize <= sk.forwardAlloc) {
        let flag = 0;
        if (sk.tcpHeaderLen === 20 + TCPOLEN_TSTAMP_ALIGNED && sk.rcvNxt === sk.rcvWup) {
          const delta = (sk.rxOpt.rcvTsval - sk.rxOpt.tsRecent) | 0;
          tcp_store_ts_recent(sk);
          if (delta > 0) flag |= 0x2000;
        }
        tcp_rcv_rtt_measure_ts(sk, cb);
        net.mib.inc(MIB.TcpExtTCPHPHits);
        const data = skb.head.slice(cb.th + cb.doff * 4, cb.th + cb.doff * 4 + cb.len);
        tcp_queue_rcv(sk, cb, data, truesize, skb);
        tcp_event_data_recv(sk, cb, truesize);
        let noAck = false;
        if (cb.ackSeq !== sk.sndUna) {
          tcp_ack(sk, skb, cb, flag | FLAG_DATA);
          tcp_data_snd_check(sk);
          if (!inet_csk_ack_scheduled(sk)) noAck = true;
        } else sk.sndWl1 = cb.seq;
        if (!noAck) __tcp_ack_snd_check(sk, false);
        sk_wake(sk);
        return;
      }
      if (after(cb.endSeq, (sk.rcvNxt + tcp_receive_window(sk)) >>> 0)) {
        if (!tcp_validate_incoming(sk, skb, cb, true)) return;
      }
      return step5(sk, skb, cb);
    }
  }
  // slow_path
  if (cb.len + cb.doff * 4 < cb.doff * 4) {
    net.mib.inc(MIB.TcpInCsumErrors);
    net.mib.inc(MIB.TcpInErrs);
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_CSUM);
    return;
  }
  if (!(cb.flags & (TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN))) {
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_FLAGS);
    return;
  }
  if (!tcp_validate_incoming(sk, skb, cb, true)) return;
  step5(sk, skb, cb);
}

function step5(sk: TcpSock, skb: SkBuff, cb: TcpCb): void {
  const r = tcp_ack(sk, skb, cb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT);
  if (r < 0) {
    tcp_drop_reason(sk, skb, -r);
    return;
  }
  tcp_rcv_rtt_measure_ts(sk, cb);
  tcp_data_queue(sk, skb, cb);
  tcp_data_snd_check(sk);
  tcp_ack_snd_check(sk);
}

/** tcp_init_transfer(): cwnd and tcp_init_buffer_space() once the handshake is done. */
function tcp_init_transfer(sk: TcpSock): void {
  const net = sk.net;
  tcp_mstamp_refresh(sk);
  sk.rcvqSpace.time = sk.tcpMstamp;
  sk.rcvqSpace.seq = sk.copiedSeq;
  const appWin = net.sysctl.int('net.ipv4.tcp_app_win');
  const maxwin = tcp_full_space(sk);
  if (sk.windowClamp >= maxwin) {
    sk.windowClamp = maxwin;
    if (appWin && maxwin > 4 * sk.advmss) sk.windowClamp = Math.max(maxwin - (maxwin >> appWin), 4 * sk.advmss);
  }
  // force reservation of one segment
  if (appWin && sk.windowClamp > 2 * sk.advmss && sk.windowClamp + sk.advmss > maxwin)
    sk.windowClamp = Math.max(2 * sk.advmss, maxwin - sk.advmss);
  sk.rcvSsthresh = Math.min(sk.rcvSsthresh, sk.windowClamp);
  sk.sndCwndStamp = tcp_jiffies32(net);
  sk.rcvqSpace.space = Math.min(sk.rcvSsthresh, sk.rcvWnd, 10 * sk.advmss);
  sk.sndCwnd = Math.max(sk.sndCwnd, 10);
}

/** tcp_finish_connect() */
function tcp_finish_connect(sk: TcpSock, skb: SkBuff | null): void {
  tcp_set_state(sk, TCP_ESTABLISHED);
  sk.ack.lrcvtime = tcp_jiffies32(sk.net);
  if (skb && skb.dst && skb.dst.isInput) {
    sk.rxDst = skb.dst;
    sk.rxDstIfindex = skb.skbIif;
  }
  tcp_init_transfer(sk);
  sk.lsndtime = tcp_jiffies32(sk.net);
  if (sk.keepopen) tcp_reset_keepalive_timer(sk, sk.keepaliveTime || 7200 * HZ);
  if (!sk.rxOpt.sndWscale) sk.predFlags = true;
  else sk.predFlags = false;
}

/** tcp_rcv_synsent_state_process(): the answer to our SYN. -1 sends the ACK path on; 0 consumed; >0 a reason to reset. */
function tcp_rcv_synsent_state_process(sk: TcpSock, skb: SkBuff, cb: TcpCb): number {
  const net = sk.net;
  const savedClamp = sk.rxOpt.mssClamp;
  tcp_parse_options(net, skb.head, cb.th, cb.doff, sk.rxOpt, false);
  if (sk.rxOpt.sawTstamp && sk.rxOpt.rcvTsecr) sk.rxOpt.rcvTsecr = (sk.rxOpt.rcvTsecr - sk.tsoffset) >>> 0;
  const undo = (): void => {
    sk.rxOpt.sawTstamp = false;
    sk.rxOpt.tstampOk = false;
    sk.rxOpt.wscaleOk = false;
    sk.rxOpt.sackOk = false;
    sk.rxOpt.sndWscale = 0;
    sk.rxOpt.mssClamp = savedClamp;
  };
  if (cb.flags & TCPHDR_ACK) {
    if (!after(cb.ackSeq, sk.sndUna) || after(cb.ackSeq, sk.sndNxt)) {
      if (sk.retransmits === 0) tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_MIN);
      undo();
      return SKB_DROP_REASON.TCP_INVALID_ACK_SEQUENCE;
    }
    if (sk.rxOpt.sawTstamp && sk.rxOpt.rcvTsecr && !between(sk.rxOpt.rcvTsecr, sk.retransStamp, tcp_clock_ms(net))) {
      net.mib.inc(MIB.TcpExtPAWSActive);
      undo();
      return SKB_DROP_REASON.TCP_RFC7323_PAWS;
    }
    if (cb.flags & TCPHDR_RST) {
      tcp_reset(sk, skb);
      __kfree_skb(skb);
      return 0;
    }
    if (!(cb.flags & TCPHDR_SYN)) {
      undo();
      tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_FLAGS);
      return 0;
    }
    sk.sndWl1 = cb.seq;
    tcp_ack(sk, skb, cb, FLAG_SLOWPATH);
    sk.rcvNxt = (cb.seq + 1) >>> 0;
    sk.rcvWup = sk.rcvNxt;
    sk.sndWnd = cb.window;
    if (!sk.rxOpt.wscaleOk) {
      sk.rxOpt.sndWscale = 0;
      sk.rxOpt.rcvWscale = 0;
      sk.windowClamp = Math.min(sk.windowClamp, 65535);
    }
    if (sk.rxOpt.sawTstamp) {
      sk.rxOpt.tstampOk = true;
      sk.tcpHeaderLen = 20 + TCPOLEN_TSTAMP_ALIGNED;
      sk.advmss -= TCPOLEN_TSTAMP_ALIGNED;
      tcp_store_ts_recent(sk);
    } else sk.tcpHeaderLen = 20;
    tcp_sync_mss(sk, sk.pmtuCookie);
    tcp_initialize_rcv_mss(sk);
    sk.copiedSeq = sk.rcvNxt;
    tcp_finish_connect(sk, skb);
    if (!sk.dead) sk_wake(sk);
    if (sk.writePending || sk.ack.pingpong >= pingpong_thresh(sk)) {
      sk.ack.pending |= ICSK_ACK_SCHED;
      tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
      tcp_reset_xmit_timer_dack(sk, TCP_DELACK_MAX);
      __kfree_skb(skb);
      return 0;
    }
    tcp_send_ack(sk);
    return -1;
  }
  if (cb.flags & TCPHDR_RST) {
    undo();
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_RESET);
    return 0;
  }
  if (cb.flags & TCPHDR_SYN) {
    // simultaneous open
    tcp_set_state(sk, TCP_SYN_RECV);
    if (sk.rxOpt.sawTstamp) {
      sk.rxOpt.tstampOk = true;
      tcp_store_ts_recent(sk);
      sk.tcpHeaderLen = 20 + TCPOLEN_TSTAMP_ALIGNED;
    } else sk.tcpHeaderLen = 20;
    sk.rcvNxt = (cb.seq + 1) >>> 0;
    sk.copiedSeq = sk.rcvNxt;
    sk.rcvWup = sk.rcvNxt;
    sk.sndWnd = cb.window;
    sk.sndWl1 = cb.seq;
    sk.maxWindow = sk.sndWnd;
    tcp_sync_mss(sk, sk.pmtuCookie);
    tcp_initialize_rcv_mss(sk);
    tcp_send_synack_crossed(sk);
    __kfree_skb(skb);
    return 0;
  }
  undo();
  tcp_drop_reason(sk, skb, SKB_DROP_REASON.NOT_SPECIFIED);
  return 0;
}

function tcp_reset_xmit_timer_dack(sk: TcpSock, when: number): void {
  inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, (tcp_jiffies32(sk.net) + when) >>> 0);
}

/** tcp_send_synack() for a crossed SYN: the SYN in the retransmit queue goes again as SYN-ACK. */
function tcp_send_synack_crossed(sk: TcpSock): void {
  const seg = sk.rtxQueue[0];
  if (!seg || !(seg.flags & TCPHDR_SYN)) return;
  seg.flags |= TCPHDR_ACK;
  import_transmit(sk, seg);
}

import { tcp_transmit_skb } from './tcp_output.ts';
function import_transmit(sk: TcpSock, seg: TcpSeg): void {
  tcp_transmit_skb(sk, seg);
}

/** tcp_rcv_state_process(): every state but ESTABLISHED and TIME_WAIT. Returns 0 or a reason to answer with RST. */
export function tcp_rcv_state_process(sk: TcpSock, skb: SkBuff, cb: TcpCb): number {
  kprobe(sk.net, skb, 'tcp_rcv_state_process');
  const net = sk.net;
  sk.rcvRoutine = 'tcp_rcv_state_process';
  let queued = false;
  switch (sk.state) {
    case TCP_CLOSE:
      tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_CLOSE);
      return 0;
    case TCP_LISTEN:
      if (cb.flags & TCPHDR_ACK) return SKB_DROP_REASON.TCP_FLAGS;
      if (cb.flags & TCPHDR_RST) {
        tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_RESET);
        return 0;
      }
      if (cb.flags & TCPHDR_SYN) {
        if (cb.flags & TCPHDR_FIN) {
          tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_FLAGS);
          return 0;
        }
        const cpu = net.kernel.sim.cpu;
        cpu.localBhDisable();
        tcp_conn_request(sk, skb, cb);
        cpu.localBhEnable();
        consume_skb(net, skb, 'tcp_rcv_state_process');
        return 0;
      }
      tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_FLAGS);
      return 0;
    case TCP_SYN_SENT: {
      sk.rxOpt.sawTstamp = false;
      tcp_mstamp_refresh(sk);
      const q = tcp_rcv_synsent_state_process(sk, skb, cb);
      if (q >= 0) return q;
      __kfree_skb(skb);
      tcp_data_snd_check(sk);
      return 0;
    }
  }
  tcp_mstamp_refresh(sk);
  sk.rxOpt.sawTstamp = false;
  if (!(cb.flags & (TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN))) {
    tcp_drop_reason(sk, skb, SKB_DROP_REASON.TCP_FLAGS);
    return 0;
  }
  if (!tcp_validate_incoming(sk, skb, cb, false)) return 0;
  const r = tcp_ack(sk, skb, cb, FLAG_SLOWPATH | FLAG_UPDATE_TS_RECENT | FLAG_NO_CHALLENGE_ACK);
  if (r <= 0) {
    if (sk.state === TCP_SYN_RECV) return r === 0 ? SKB_DROP_REASON.TCP_OLD_ACK : -r;
    if (r < 0) {
      tcp_send_challenge_ack(sk);
      tcp_drop_reason(sk, skb, -r);
      return 0;
    }
  }
  switch (sk.state) {
    case TCP_SYN_RECV:
      sk.delivered++;
      if (sk.rxOpt.tstampOk) sk.advmss -= TCPOLEN_TSTAMP_ALIGNED;
      sk.retransStamp = 0;
      tcp_init_transfer(sk);
      sk.copiedSeq = sk.rcvNxt;
      tcp_set_state(sk, TCP_ESTABLISHED);
      sk_wake(sk);
      sk.sndUna = cb.ackSeq;
      sk.sndWnd = cb.window * 2 ** sk.rxOpt.sndWscale;
      sk.sndWl1 = cb.seq;
      sk.lsndtime = tcp_jiffies32(net);
      tcp_initialize_rcv_mss(sk);
      sk.predFlags = true;
      if (sk.shutdown & 2) {
        // tcp_shutdown(sk, SEND_SHUTDOWN)
      }
      break;
    case TCP_FIN_WAIT1: {
      if (sk.sndUna !== sk.writeSeq) break;
      tcp_set_state(sk, TCP_FIN_WAIT2);
      sk.shutdown |= 2;
      if (!sk.dead) {
        sk_wake(sk);
        break;
      }
      if (sk.linger2 < 0) {
        tcp_done(sk);
        net.mib.inc(MIB.TcpExtTCPAbortOnData);
        return SKB_DROP_REASON.TCP_ABORT_ON_DATA;
      }
      if (cb.endSeq !== cb.seq && after((cb.endSeq - (cb.flags & TCPHDR_FIN ? 1 : 0)) >>> 0, sk.rcvNxt)) {
        tcp_done(sk);
        net.mib.inc(MIB.TcpExtTCPAbortOnData);
        return SKB_DROP_REASON.TCP_ABORT_ON_DATA;
      }
      const tmo = tcp_fin_time(sk);
      if (tmo > TCP_TIMEWAIT_LEN) tcp_reset_keepalive_timer(sk, tmo - TCP_TIMEWAIT_LEN);
      else if (cb.flags & TCPHDR_FIN || sk.ownedByUser) tcp_reset_keepalive_timer(sk, tmo);
      else {
        tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
        __kfree_skb(skb);
        return 0;
      }
      break;
    }
    case TCP_CLOSING:
      if (sk.sndUna === sk.writeSeq) {
        tcp_time_wait(sk, 6, 0);
        __kfree_skb(skb);
        return 0;
      }
      break;
    case TCP_LAST_ACK:
      if (sk.sndUna === sk.writeSeq) {
        tcp_done(sk);
        __kfree_skb(skb);
        return 0;
      }
      break;
  }
  // step 7: process the segment text
  const st = sk.state;
  const late = st === TCP_CLOSE_WAIT || st === TCP_CLOSING || st === TCP_LAST_ACK;
  if ((late && before(cb.seq, sk.rcvNxt)) || st === TCP_FIN_WAIT1 || st === TCP_FIN_WAIT2) {
    // RFC 1122: data after our side shut reading down is answered with RST
    if (sk.shutdown & RCV_SHUTDOWN && cb.endSeq !== cb.seq && after((cb.endSeq - (cb.flags & TCPHDR_FIN ? 1 : 0)) >>> 0, sk.rcvNxt)) {
      net.mib.inc(MIB.TcpExtTCPAbortOnData);
      tcp_reset(sk, skb);
      return SKB_DROP_REASON.TCP_ABORT_ON_DATA;
    }
    tcp_data_queue(sk, skb, cb);
    queued = true;
  } else if (st === TCP_ESTABLISHED) {
    tcp_data_queue(sk, skb, cb);
    queued = true;
  }
  if (sk.state !== TCP_CLOSE) {
    tcp_data_snd_check(sk);
    tcp_ack_snd_check(sk);
  }
  if (!queued) tcp_drop_reason(sk, skb, SKB_DROP_REASON.NOT_SPECIFIED);
  return 0;
}

/** tcp_conn_request(): a SYN to a listener becomes a request sock and a SYN-ACK. */
export function tcp_conn_request(lsk: TcpSock, skb: SkBuff, cb: TcpCb): void {
  kprobe(lsk.net, skb, 'tcp_conn_request');
  const net = lsk.net;
  const synBacklog = net.sysctl.int('net.ipv4.tcp_max_syn_backlog');
  const syncookies = net.sysctl.int('net.ipv4.tcp_syncookies');
  const isn = lsk.twIsn;
  lsk.twIsn = 0;
  if (!isn) {
    if (syncookies === 2 || lsk.reqs.size > lsk.maxAckBacklog) {
      // tcp_syn_flood_action()
      if (syncookies) {
        net.mib.inc(MIB.TcpExtTCPReqQFullDoCookies);
      } else {
        net.mib.inc(MIB.TcpExtTCPReqQFullDrop);
        return tcp_listendrop(lsk);
      }
    }
  }
  if (sk_acceptq_is_full(lsk)) {
    net.mib.inc(MIB.TcpExtListenOverflows);
    return tcp_listendrop(lsk);
  }
  const req = new RequestSock(lsk, cb.daddr, cb.dport, cb.saddr, cb.sport);
  const opt = {
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
    mssClamp: 536,
    userMss: lsk.rxOpt.userMss,
    numSacks: 0,
    sackBlocks: [] as [number, number][],
  };
  tcp_parse_options(net, skb.head, cb.th, cb.doff, opt, false);
  opt.tstampOk = opt.sawTstamp;
  // tcp_openreq_init()
  req.rcvIsn = cb.seq;
  req.tstampOk = opt.tstampOk;
  req.sackOk = opt.sackOk;
  req.sndWscale = opt.sndWscale;
  req.wscaleOk = opt.wscaleOk;
  req.tsRecent = opt.sawTstamp ? opt.rcvTsval : 0;
  req.mssClampIn = opt.mssClamp;
  req.tos = cb.tos;
  const rt = inet_csk_route_req(lsk, req);
  if (!rt) return tcp_listendrop(lsk);
  req.mss = dst_metric_advmss(rt, net);
  if (lsk.rxOpt.userMss && lsk.rxOpt.userMss < req.mss) req.mss = lsk.rxOpt.userMss;
  const rng = net.kernel.sim.rng;
  if (opt.tstampOk) req.tsOff = rng.u32();
  req.sntIsn = isn || rng.u32();
  if (!isn && !syncookies && synBacklog - lsk.reqs.size < synBacklog >> 2) return tcp_listendrop(lsk);
  tcp_openreq_init_rwin(req, lsk, rt);
  req.timeout = TCP_TIMEOUT_INIT;
  reqsk_queue_hash_req(lsk, req);
  tcp_v4_send_synack(req, rt);
  void ip_dont_fragment;
}

/** tcp_listendrop() */
export function tcp_listendrop(lsk: TcpSock): void {
  lsk.drops++;
  lsk.net.mib.inc(MIB.TcpExtListenDrops);
}

export {
  SHUTDOWN_MASK,
  ICSK_TIME_DACK,
  tcp_current_mss,
  __tcp_push_pending_frames,
  inet_csk_clear_xmit_timer,
  ICSK_ACK_SCHED,
  TCP_LISTEN,
  TCPHDR_PSH,
};
export type { Rtable };
export function tcp_error_report(sk: TcpSock): void {
  sk_error_report(sk);
}
export { tcp_rearm_rto };
