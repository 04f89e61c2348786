// net/ipv4/tcp_timer.c and inet_connection_sock.c's timer helpers: the
// retransmit (and zero-window probe) timer, delayed ACK, keepalive (which
// also ends orphaned FIN_WAIT2 sockets) and the SYN-ACK timer of requests.
import { ETIMEDOUT } from '../uapi/errno.ts';
import { MIB } from '../trace/snmp.ts';
import {
  HZ,
  ICSK_ACK_SCHED,
  ICSK_ACK_TIMER,
  ICSK_TIME_DACK,
  ICSK_TIME_PROBE0,
  ICSK_TIME_RETRANS,
  jiffies_to_time,
  type RequestSock,
  sk_error_report,
  TCP_ATO_MIN,
  TCP_CLOSE,
  TCP_FIN_WAIT2,
  TCP_LISTEN,
  TCP_RTO_MAX,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCP_TIMEWAIT_LEN,
  tcp_clock_ms,
  tcp_done,
  tcp_fin_time,
  tcp_jiffies32,
  tcp_mstamp_refresh,
  tcp_write_queue_purge,
  type TcpSock,
} from './tcp.ts';
import { pingpong_thresh, tcp_retransmit_skb, tcp_rto_min, tcp_send_ack, tcp_send_active_reset, tcp_send_probe0 } from './tcp_output.ts';
import { tcp_enter_loss } from './tcp_input.ts';
import { tcp_time_wait } from './tcp_minisocks.ts';
import { inet_rtx_syn_ack, reqsk_timer_handler } from './tcp_minisocks.ts';

/** tcp_init_xmit_timers() */
export function tcp_init_xmit_timers(sk: TcpSock): void {
  const sim = sk.net.kernel.sim;
  sk.retransTimer = sim.timer(tcp_write_timer, sk);
  sk.delackTimer = sim.timer(tcp_delack_timer, sk);
  sk.keepaliveTimer = sim.timer(tcp_keepalive_timer, sk);
}

/** inet_csk_reset_xmit_timer(): `what` fires when jiffies reaches `expires`. */
export function inet_csk_reset_xmit_timer(sk: TcpSock, what: number, expires: number): void {
  const sim = sk.net.kernel.sim;
  if (what === ICSK_TIME_DACK) {
    sk.ack.pending |= ICSK_ACK_TIMER;
    sk.ack.timeout = expires;
    sk.delackStaleNs = -1;
    sim.modTimer(sk.delackTimer, jiffies_to_time(sk.net, expires));
    return;
  }
  sk.icskPending = what;
  sk.icskTimeout = expires;
  sk.retransStaleNs = -1;
  sim.modTimer(sk.retransTimer, jiffies_to_time(sk.net, expires));
}

/** tcp_reset_xmit_timer(): relative `when` in jiffies, capped at TCP_RTO_MAX. */
export function tcp_reset_xmit_timer(sk: TcpSock, what: number, when: number): void {
  const w = Math.min(when, TCP_RTO_MAX);
  inet_csk_reset_xmit_timer(sk, what, (tcp_jiffies32(sk.net) + w) >>> 0);
}

/** inet_csk_clear_xmit_timer() */
export function inet_csk_clear_xmit_timer(sk: TcpSock, what: number): void {
  const sim = sk.net.kernel.sim;
  if (what === ICSK_TIME_DACK) {
    sk.ack.pending = 0;
    sk.ack.retry = 0;
    if (sk.delackTimer.expires >= 0) sk.delackStaleNs = sk.delackTimer.expires;
    sim.delTimer(sk.delackTimer);
    return;
  }
  sk.icskPending = 0;
  if (sk.retransTimer.expires >= 0) sk.retransStaleNs = sk.retransTimer.expires;
  sim.delTimer(sk.retransTimer);
}

/** inet_csk_clear_xmit_timers() */
export function inet_csk_clear_xmit_timers(sk: TcpSock): void {
  const sim = sk.net.kernel.sim;
  sk.icskPending = 0;
  sk.ack.pending = 0;
  sk.retransStaleNs = -1;
  sk.delackStaleNs = -1;
  sim.delTimer(sk.retransTimer);
  sim.delTimer(sk.delackTimer);
  sim.delTimer(sk.keepaliveTimer);
}

/** tcp_rearm_rto() */
export function tcp_rearm_rto(sk: TcpSock): void {
  if (!sk.packetsOut) inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
  else tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, sk.rto);
}

/** tcp_reset_keepalive_timer() */
export function tcp_reset_keepalive_timer(sk: TcpSock, len: number): void {
  sk.net.kernel.sim.modTimer(sk.keepaliveTimer, jiffies_to_time(sk.net, (tcp_jiffies32(sk.net) + len) >>> 0));
}

/** tcp_delack_timer() → tcp_delack_timer_handler() */
function tcp_delack_timer(sk: TcpSock): void {
  if ((1 << sk.state) & ((1 << TCP_CLOSE) | (1 << TCP_LISTEN))) return;
  if (!(sk.ack.pending & ICSK_ACK_TIMER)) return;
  const now = tcp_jiffies32(sk.net);
  if (((sk.ack.timeout - now) | 0) > 0) {
    sk.net.kernel.sim.modTimer(sk.delackTimer, jiffies_to_time(sk.net, sk.ack.timeout));
    return;
  }
  sk.ack.pending &= ~ICSK_ACK_TIMER;
  if (sk.ack.pending & ICSK_ACK_SCHED) {
    if (sk.ack.pingpong < pingpong_thresh(sk)) sk.ack.ato = Math.min(sk.ack.ato << 1, sk.rto);
    else {
      sk.ack.pingpong = 0;
      sk.ack.ato = TCP_ATO_MIN;
    }
    tcp_mstamp_refresh(sk);
    tcp_send_ack(sk);
    sk.net.mib.inc(MIB.TcpExtDelayedACKs);
  }
}

/** tcp_write_timer() → tcp_write_timer_handler() */
function tcp_write_timer(sk: TcpSock): void {
  if ((1 << sk.state) & ((1 << TCP_CLOSE) | (1 << TCP_LISTEN)) || !sk.icskPending) return;
  const now = tcp_jiffies32(sk.net);
  if (((sk.icskTimeout - now) | 0) > 0) {
    sk.net.kernel.sim.modTimer(sk.retransTimer, jiffies_to_time(sk.net, sk.icskTimeout));
    return;
  }
  tcp_mstamp_refresh(sk);
  const event = sk.icskPending;
  sk.icskPending = 0;
  if (event === ICSK_TIME_RETRANS) tcp_retransmit_timer(sk);
  else if (event === ICSK_TIME_PROBE0) tcp_probe_timer(sk);
}

/** tcp_probe_timer(): zero window probes until tcp_retries2. */
function tcp_probe_timer(sk: TcpSock): void {
  if (sk.packetsOut || !sk.writeQueue.length) {
    sk.probesOut = 0;
    return;
  }
  const max = sk.net.sysctl.int('net.ipv4.tcp_retries2') || 15;
  if (sk.probesOut >= max) {
    tcp_write_err(sk);
    return;
  }
  tcp_send_probe0(sk);
}

/** tcp_write_err(): the connection timed out. */
function tcp_write_err(sk: TcpSock): void {
  sk.err = sk.errSoft || ETIMEDOUT;
  tcp_write_queue_purge(sk);
  tcp_done(sk);
  sk_error_report(sk);
  sk.net.mib.inc(MIB.TcpExtTCPAbortOnTimeout);
}

/** retransmits_timed_out(): the time since the first retransmission exceeds what `boundary` retries would take. */
function retransmits_timed_out(sk: TcpSock, boundary: number, timeoutMs: number): boolean {
  if (!sk.retransmits) return false;
  const start = sk.retransStamp;
  let limit = timeoutMs;
  if (!limit) {
    const rtoBase = sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV ? HZ : tcp_rto_min(sk);
    limit = tcp_model_timeout(boundary, rtoBase) * (1000 / HZ);
  }
  return tcp_clock_ms(sk.net) - start >= limit;
}

/** tcp_model_timeout(): the time `boundary` exponential retries from rto_base take. */
function tcp_model_timeout(boundary: number, rtoBase: number): number {
  const thresh = Math.floor(Math.log2(TCP_RTO_MAX / rtoBase));
  if (boundary <= thresh) return ((2 << boundary) - 1) * rtoBase;
  return ((2 << thresh) - 1) * rtoBase + (boundary - thresh) * TCP_RTO_MAX;
}

/** tcp_write_timeout(): 1 when the connection is given up. */
function tcp_write_timeout(sk: TcpSock): boolean {
  const net = sk.net;
  let expired = false;
  let retryUntil: number;
  if ((1 << sk.state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV))) {
    retryUntil = sk.syncnt || net.sysctl.int('net.ipv4.tcp_syn_retries');
    let maxRetrans = retryUntil;
    if (sk.state === TCP_SYN_SENT) maxRetrans += net.sysctl.int('net.ipv4.tcp_syn_linear_timeouts');
    expired = sk.retransmits >= maxRetrans;
  } else {
    // black hole detection (tcp_mtu_probing) and __dst_negative_advice(), which keeps a plain route
    void retransmits_timed_out(sk, net.sysctl.int('net.ipv4.tcp_retries1'), 0);
    retryUntil = net.sysctl.int('net.ipv4.tcp_retries2');
    if (sk.dead) {
      const alive = sk.rto < TCP_RTO_MAX;
      retryUntil = net.sysctl.int('net.ipv4.tcp_orphan_retries') || (alive ? 8 : 0);
    }
  }
  if (!expired) expired = retransmits_timed_out(sk, retryUntil, sk.userTimeout);
  if (expired) {
    tcp_write_err(sk);
    return true;
  }
  // sk_rethink_txhash(): a new flow hash for another path
  if (net.sysctl.int('net.core.txrehash')) net.mib.inc(MIB.TcpExtTcpTimeoutRehash);
  return false;
}

/** tcp_retransmit_timer() */
export function tcp_retransmit_timer(sk: TcpSock): void {
  const net = sk.net;
  if (!sk.packetsOut) return;
  const seg = sk.rtxQueue[0];
  if (!seg) return;
  if (!sk.sndWnd && !sk.dead && !((1 << sk.state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV)))) {
    // the receiver shrank its window: retransmits are zero-window probes
    tcp_enter_loss(sk);
    tcp_retransmit_skb(sk, seg);
    sk.dstCache = null;
    out_reset_timer(sk);
    return;
  }
  net.mib.inc(MIB.TcpExtTCPTimeouts);
  if (tcp_write_timeout(sk)) return;
  if (sk.retransmits === 0) {
    if (sk.caState === 4) net.mib.inc(MIB.TcpExtTCPLossFailures);
    else if (sk.caState === 1 || sk.sackedOut) net.mib.inc(sk.rxOpt.sackOk ? MIB.TcpExtTCPSackFailures : MIB.TcpExtTCPRenoFailures);
    else if (sk.caState === 3) net.mib.inc(sk.rxOpt.sackOk ? MIB.TcpExtTCPSackRecoveryFail : MIB.TcpExtTCPRenoRecoveryFail);
  }
  tcp_enter_loss(sk);
  // tcp_update_rto_stats()
  if (!sk.retransmits) sk.totalRtoRecoveries++;
  sk.retransmits++;
  sk.totalRto++;
  if (tcp_retransmit_skb(sk, sk.rtxQueue[0] as typeof seg) > 0) {
    tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, HZ / 2);
    return;
  }
  out_reset_timer(sk);
}

function out_reset_timer(sk: TcpSock): void {
  const net = sk.net;
  if (sk.state !== TCP_SYN_SENT || sk.totalRto > net.sysctl.int('net.ipv4.tcp_syn_linear_timeouts')) {
    sk.backoff++;
    sk.rto = Math.min(sk.rto << 1, TCP_RTO_MAX);
  }
  tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, sk.rto);
  if (retransmits_timed_out(sk, net.sysctl.int('net.ipv4.tcp_retries1') + 1, 0)) sk.dstCache = null;
}

/** tcp_keepalive_timer(): keepalive probes, and the end of an orphan in FIN_WAIT2. */
function tcp_keepalive_timer(sk: TcpSock): void {
  if (sk.state === TCP_LISTEN) return;
  tcp_mstamp_refresh(sk);
  if (sk.state === TCP_FIN_WAIT2 && sk.dead) {
    if (sk.linger2 >= 0) {
      const tmo = tcp_fin_time(sk) - TCP_TIMEWAIT_LEN;
      if (tmo > 0) {
        tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
        return;
      }
    }
    tcp_send_active_reset(sk, 'TCP_STATE');
    tcp_done(sk);
    return;
  }
  if (!sk.keepopen || (1 << sk.state) & ((1 << TCP_CLOSE) | (1 << TCP_SYN_SENT))) return;
  const intvl = (sk.net.sysctl.int('net.ipv4.tcp_keepalive_intvl') || 75) * HZ;
  const probes = sk.net.sysctl.int('net.ipv4.tcp_keepalive_probes') || 9;
  const time = sk.keepaliveTime || (sk.net.sysctl.int('net.ipv4.tcp_keepalive_time') || 7200) * HZ;
  if (sk.packetsOut || sk.writeQueue.length) {
    tcp_reset_keepalive_timer(sk, time);
    return;
  }
  const elapsed = (tcp_jiffies32(sk.net) - Math.max(sk.rcvTstamp, sk.ack.lrcvtime)) >>> 0;
  if (elapsed >= time) {
    if (sk.probesOut >= probes) {
      tcp_send_active_reset(sk, 'TCP_KEEPALIVE_TIMEOUT');
      sk.err = ETIMEDOUT;
      tcp_done(sk);
      sk.net.mib.inc(MIB.TcpExtTCPAbortOnTimeout);
      return;
    }
    import_write_wakeup(sk);
    sk.probesOut++;
    tcp_reset_keepalive_timer(sk, intvl);
    return;
  }
  tcp_reset_keepalive_timer(sk, time - elapsed);
}

import { tcp_write_wakeup } from './tcp_output.ts';
function import_write_wakeup(sk: TcpSock): void {
  tcp_write_wakeup(sk);
}

/** The request sock's SYN-ACK timer (reqsk_timer_handler). */
export function reqsk_timer_init(req: RequestSock): void {
  req.timer = req.net.kernel.sim.timer(reqsk_timer_handler, req);
}

export { inet_rtx_syn_ack };
