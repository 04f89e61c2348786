// iputils ping (20221126) ping_common.c: what ping's IPv4 and IPv6 paths
// share — pinger()'s echo request and send bookkeeping, gather_statistics()
// with the reply line, finish()'s statistics and main_loop().
import { getsockopt, poll, poll_wait, POLLERR, POLLIN, type Socket, SO_ERROR, SOL_SOCKET } from '../../kernel/uapi/socket.ts';
import { EMSGSIZE, ENOBUFS, ENOMEM, EPERM } from '../../kernel/uapi/errno.ts';
import { preempt, type Wait, waitOn } from '../../sim/sched.ts';
import type { ProcCtx } from '../proc.ts';
import { strerror } from './errno.ts';

/** The SIGINT and SIGALRM iputils catches (sigexit): the statistics, then its own exit status. */
export const PING_SIGNALS: ReadonlySet<number> = new Set([2, 14]);

/** A microsecond count as iputils prints a time: ms with three decimals. */
export function msUs(us: number): string {
  return `${Math.trunc(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

/** The reply line's time= as iputils rounds it (triptime in µs). */
export function fmtRtt(us: number): string {
  if (us >= 100000 - 50) return String(Math.trunc((us + 500) / 1000));
  if (us >= 10000 - 5) return `${Math.trunc((us + 50) / 1000)}.${Math.trunc(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.trunc((us + 5) / 1000)}.${String(Math.trunc(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return msUs(us);
}

/** printf("%g") for the loss percentage. */
export function fmtG(v: number): string {
  if (v === Math.trunc(v)) return String(v);
  return Number(v.toPrecision(6)).toString();
}

/** The options ping_common.c reads (struct ping_rts's, whichever family). */
export interface PingCommonOpts {
  count: number;
  intervalMs: number;
  deadline: number;
  lingerMs: number;
  size: number;
  quiet: boolean;
  flood: boolean;
  verbose: boolean;
}

/** struct ping_rts: the counters and times both families keep. */
export class PingRts {
  ntransmitted = 0;
  nreceived = 0;
  nerrors = 0;
  nrepeats = 0;
  readonly rcvd = new Set<number>();
  // iputils keeps times in whole microseconds (timeval stamps)
  tmin = Infinity;
  tmax = 0;
  tsum = 0;
  tsum2 = 0;
  ewma = 0;
  lastSend = -Infinity;
  // pinger(): a probe the device queue refused (ENOBUFS) is sent again at this time, with the same sequence number
  resendAt: number | null = null;
  oomCount = 0;
  exitAt = Infinity;
  /** pinger() met a hard local error: main_loop waits an interval before calling it again */
  hardError = false;
  readonly sendTimes = new Map<number, number>();
  readonly start: number;
  readonly deadlineAt: number;
  readonly intervalNs: number;

  constructor(
    readonly ctx: ProcCtx,
    readonly o: PingCommonOpts,
    readonly target: string,
  ) {
    this.start = ctx.world.sim.now;
    this.deadlineAt = o.deadline ? this.start + o.deadline * 1e9 : Infinity;
    this.intervalNs = o.intervalMs * 1e6;
  }

  usec(ns: number): number {
    return Math.floor((this.ctx.world.sim.epochNs + ns) / 1000);
  }

  inFlight(): number {
    return this.ntransmitted - this.nreceived - this.nerrors;
  }

  /**
   * pinger() with send_probe(): the echo request of the next sequence number (the
   * timeval and the pattern), sent by the family's send; `finish` completes the
   * header (the IPv4 checksum). `waitAfterHardError`: a hard local error makes
   * main_loop wait an interval (the IPv6 path's model).
   */
  pinger(
    type: number,
    ident: number,
    finish: ((pkt: Uint8Array) => void) | null,
    send: (pkt: Uint8Array) => number,
    handleError: () => boolean,
    waitAfterHardError: boolean,
  ): void {
    const o = this.o;
    const sim = this.ctx.world.sim;
    const out = this.ctx.stdout;
    const seq = (this.ntransmitted + 1) & 0xffff;
    const pkt = new Uint8Array(8 + o.size);
    pkt[0] = type;
    pkt[4] = ident >> 8;
    pkt[5] = ident & 0xff;
    pkt[6] = seq >> 8;
    pkt[7] = seq & 0xff;
    const now = sim.epochNs + sim.now;
    if (o.size >= 16) {
      const sec = Math.floor(now / 1e9);
      const us = Math.floor((now % 1e9) / 1e3);
      const dv = new DataView(pkt.buffer);
      dv.setUint32(8, sec >>> 0, true);
      dv.setUint32(12, Math.floor(sec / 2 ** 32), true);
      dv.setUint32(16, us, true);
    }
    for (let i = o.size >= 16 ? 16 : 0; i < o.size; i++) pkt[8 + i] = i & 0xff;
    finish?.(pkt);
    this.sendTimes.set(seq, sim.now);
    // rcvd_clear(): a sequence number is fresh again when it is reused after wrapping
    this.rcvd.delete(seq);
    const r = send(pkt);
    this.resendAt = null;
    if (r === -ENOBUFS || r === -ENOMEM) {
      // device queue overflow: not sent; try again every SCHINT(interval / 2) ms (at most 500)
      // until the linger time is used up, then a hard local error that counts as sent
      const half = Math.trunc(o.intervalMs / 2);
      const nores = Math.min(half <= 10 ? 10 : half, 500);
      this.oomCount++;
      if (this.oomCount * nores < o.lingerMs) {
        this.resendAt = sim.now + nores * 1e6;
        return;
      }
      this.ntransmitted++;
      this.lastSend = sim.now;
      // pinger(): the hard error is reported unless -q
      if (o.flood && !o.quiet) out.write('E');
      else if (!o.quiet) this.ctx.stderr.write(`ping: sendmsg: ${strerror(-r)}\n`);
      return;
    }
    if (r >= 0) this.oomCount = 0;
    this.ntransmitted++;
    this.lastSend = sim.now;
    if (r < 0) {
      // pinger(): a hard local error counts as sent, and pinger asks to be called again an interval later
      if (waitAfterHardError) this.hardError = true;
      if (-r === EMSGSIZE || -r === EPERM) {
        // a hard local error reads the error queue (receive_error_msg). A queued local
        // error (IP_RECVERR: DF over the path MTU) is printed and counted; with nothing
        // queued (EPERM from an iptables OUTPUT rule, a datagram over 64 KiB) the probe
        // counts as sent, silently (checked on Linux 6.18)
        handleError();
      } else {
        this.ctx.stderr.write(`ping: sendmsg: ${strerror(-r)}\n`);
        this.nerrors++;
      }
    } else if (o.flood && !o.quiet) out.write('.');
  }

  /**
   * gather_statistics(): every reply counts in the times, duplicates too; then the
   * reply line (`from` and `suffix` are only asked for when it is printed).
   */
  gather_statistics(seq: number, len: number, from: () => string, ttl: number, multicast: boolean, suffix: () => string): void {
    const o = this.o;
    const sim = this.ctx.world.sim;
    const sent = this.sendTimes.get(seq) ?? sim.now;
    const rtt = this.usec(sim.now) - this.usec(sent);
    const dup = this.rcvd.has(seq);
    this.tsum += rtt;
    this.tsum2 += rtt * rtt;
    if (rtt < this.tmin) this.tmin = rtt;
    if (rtt > this.tmax) this.tmax = rtt;
    this.ewma = this.ewma ? this.ewma + rtt - Math.trunc(this.ewma / 8) : rtt * 8;
    if (dup) this.nrepeats++;
    else {
      this.rcvd.add(seq);
      this.nreceived++;
    }
    if (o.quiet) return;
    if (o.flood) {
      this.ctx.stdout.write('\b \b');
      return;
    }
    const who = from();
    this.ctx.stdout.write(
      `${len} bytes from ${who}: icmp_seq=${seq} ttl=${ttl} time=${fmtRtt(rtt)} ms${dup && (!multicast || o.verbose) ? ' (DUP!)' : ''}${suffix()}\n`,
    );
  }

  /** finish(): the statistics, and ping's exit status. */
  finish(): number {
    const o = this.o;
    const sim = this.ctx.world.sim;
    const { ntransmitted, nreceived, nerrors, nrepeats, tsum, tsum2 } = this;
    // iputils finish(): putchar('\n') then the statistics: a flood's dots line ends there
    const elapsed = Math.floor((sim.now - this.start) / 1e6);
    let line = `\n--- ${this.target} ping statistics ---\n${ntransmitted} packets transmitted, ${nreceived} received`;
    if (nrepeats) line += `, +${nrepeats} duplicates`;
    if (nerrors) line += `, +${nerrors} errors`;
    if (ntransmitted) line += `, ${fmtG(((ntransmitted - nreceived) * 100) / ntransmitted)}% packet loss`;
    line += `, time ${elapsed}ms\n`;
    if (nreceived) {
      // integer microseconds, printed as ms.µs; mdev through an integer square root
      const total = nreceived + nrepeats;
      const avg = Math.trunc(tsum / total);
      const tmvar =
        tsum < 2147483647 ? Math.trunc((tsum2 - Math.trunc((tsum * tsum) / total)) / total) : Math.trunc(tsum2 / total) - avg * avg;
      const mdev = Math.floor(Math.sqrt(Math.max(0, tmvar)));
      line += `rtt min/avg/max/mdev = ${msUs(this.tmin)}/${msUs(avg)}/${msUs(this.tmax)}/${msUs(mdev)} ms`;
      if (ntransmitted > 1 && (this.intervalNs === 0 || o.flood)) {
        const ipg = Math.trunc((this.usec(sim.now) - this.usec(this.start)) / (ntransmitted - 1));
        line += `, ipg/ewma ${msUs(ipg)}/${msUs(Math.trunc(this.ewma / 8))} ms`;
      }
    }
    this.ctx.stdout.write(`${line}\n`);
    if (!nreceived || (o.deadline && nreceived < o.count)) return 1;
    return 0;
  }

  /**
   * main_loop(): send what is due, linger for replies, wait for a packet, an error
   * or the next send. `receive` reads one reply (false: none was there).
   */
  *main_loop(sock: Socket, sendOne: () => void, handleError: () => boolean, receive: () => boolean): Generator<Wait, void, unknown> {
    const o = this.o;
    const sim = this.ctx.world.sim;
    const intervalNs = this.intervalNs;
    for (;;) {
      // cond_resched(): a flood on loopback never blocks; the tick lets timers and signals (timeout, kill) in
      if (sim.sched.needResched()) yield preempt;
      if (o.count && this.nreceived + this.nerrors >= o.count) break;
      if (o.deadline && this.nerrors) break;
      if (sim.now >= this.deadlineAt || sim.now >= this.exitAt) break;
      // pinger(): an unlimited flood (interval 0) waits MININTERVAL (10 ms) while a probe is in flight
      const gap = intervalNs === 0 && this.inFlight() >= 1 ? 10 * 1e6 : intervalNs;
      if (
        (!o.count || this.ntransmitted < o.count) &&
        (this.resendAt !== null ? sim.now >= this.resendAt : sim.now - this.lastSend >= gap)
      ) {
        this.hardError = false;
        sendOne();
        // main_loop() polls until pinger's next time after a hard local error, then finds the count reached
        if (o.count && this.nreceived + this.nerrors >= o.count && !this.hardError) break;
      }
      if (o.count && this.ntransmitted >= o.count && !o.deadline && this.exitAt === Infinity) {
        // schedule_exit(): linger for replies
        let wait = o.lingerMs * 1e6;
        if (this.nreceived) wait = Math.max(2 * this.tmax * 1e3, intervalNs);
        this.exitAt = sim.now + wait;
      }
      let next = Math.min(this.deadlineAt, this.exitAt);
      // pinger() after a hard local error: SCHINT(interval) until it is called again
      if (this.hardError) next = Math.min(next, this.lastSend + intervalNs);
      if (!o.count || this.ntransmitted < o.count)
        next = Math.min(next, this.resendAt ?? this.lastSend + (intervalNs === 0 && this.inFlight() >= 1 ? 10 * 1e6 : intervalNs));
      if (!(poll(sock) & (POLLIN | POLLERR)) && next > sim.now) {
        yield waitOn(poll_wait(sock), next === Infinity ? -1 : next - sim.now);
      }
      for (;;) {
        if (getsockopt(sock, SOL_SOCKET, SO_ERROR)) {
          if (handleError() && this.inFlight() <= 0) break;
          continue;
        }
        if (!receive()) {
          if (poll(sock) & POLLERR) {
            if (handleError() && this.inFlight() <= 0) break;
            continue;
          }
          break;
        }
        if (this.inFlight() <= 0) break;
      }
    }
  }
}
