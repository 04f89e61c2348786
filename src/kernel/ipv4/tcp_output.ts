// net/ipv4/tcp_output.c: building segments (options, window), the write
// queue's transmit loop with Nagle and the send/congestion windows, ACKs,
// FIN, active resets, the SYN of tcp_connect and the SYN-ACK of a request.
import { kprobe } from '../trace/probe.ts';
import type { Net } from '../net_namespace.ts';
import { MIB } from '../trace/snmp.ts';
import { flowi4 } from './fib.ts';
import { ip_dont_fragment, ip_local_out, ip_push_frames } from './ip_output.ts';
import { alloc_skb, CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import { csum_fold, csum_partial, wr16, wr32 } from './iphdr.ts';
import { ETH_P_IP } from '../../wire/ethernet.ts';
import {
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPPROTO_TCP,
  IPV4_HEADER_LEN,
  IP_DF,
} from '../../wire/ipv4.ts';
import {
  TCPH_ACK_SEQ,
  TCPH_CHECK,
  TCPH_DEST,
  TCPH_DOFF,
  TCPH_SEQ,
  TCPH_SOURCE,
  TCPH_WINDOW,
  TCPOLEN_MSS,
  TCPOLEN_SACK_BASE,
  TCPOLEN_SACK_PERBLOCK,
  TCPOLEN_SACK_PERM,
  TCPOLEN_TIMESTAMP,
  TCPOLEN_WINDOW,
  TCPOPT_MSS,
  TCPOPT_NOP,
  TCPOPT_SACK,
  TCPOPT_SACK_PERM,
  TCPOPT_TIMESTAMP,
  TCPOPT_WINDOW,
  TCP_HEADER_LEN,
} from '../../wire/tcp.ts';
import { dst_mtu, ip_route_output_key, type Rtable } from './route.ts';
import {
  after,
  before,
  ICSK_ACK_NOMEM,
  ICSK_ACK_PUSHED,
  ICSK_ACK_SCHED,
  ICSK_ACK_TIMER,
  ICSK_TIME_DACK,
  ICSK_TIME_RETRANS,
  MAX_TCP_WINDOW,
  type RequestSock,
  SKB_TRUESIZE_HEAD,
  TCP_CLOSE,
  TCP_DELACK_MAX,
  TCP_DELACK_MIN,
  TCP_MAX_WSCALE,
  TCP_MIN_MSS,
  TCP_MSS_DEFAULT,
  TCP_RMEM_TO_WIN_SCALE,
  TCP_TIMEOUT_INIT,
  TCPCB_EVER_RETRANS,
  TCPCB_LOST,
  TCPCB_SACKED_ACKED,
  TCPCB_SACKED_RETRANS,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_PSH,
  TCPHDR_RST,
  TCPHDR_SYN,
  TCPOLEN_TSTAMP_ALIGNED,
  tcp_clock_ms,
  tcp_jiffies32,
  tcp_mstamp_refresh,
  tcp_rmem,
  type TcpSeg,
  type TcpSock,
  trace_tcp_send_reset_sk,
} from './tcp.ts';
import { inet_csk_clear_xmit_timer, inet_csk_reset_xmit_timer, tcp_rearm_rto, tcp_reset_xmit_timer } from './tcp_timer.ts';
import { tcp_check_space, tcp_dec_quickack_mode } from './tcp_input.ts';
import { EAGAIN, EBUSY, ECONNREFUSED, EHOSTUNREACH, EINVAL, ENETUNREACH } from '../uapi/errno.ts';

export const TCP_NAGLE_OFF = 1;
export const TCP_NAGLE_CORK = 2;
export const TCP_NAGLE_PUSH = 4;

/** GSO limit of veth and lo (gso_max_size 65536) less MAX_TCP_HEADER + 1. */
export const SK_GSO_MAX_SIZE = 65536 - 321;

/** struct tcp_out_options */
interface TcpOutOptions {
  mss: number;
  ws: number;
  sackOk: boolean;
  ts: boolean;
  tsval: number;
  tsecr: number;
  wscaleSet: boolean;
  sackBlocks: [number, number][];
}

function newOpts(): TcpOutOptions {
  return { mss: 0, ws: 0, sackOk: false, ts: false, tsval: 0, tsecr: 0, wscaleSet: false, sackBlocks: [] };
}

function optsSize(o: TcpOutOptions): number {
  let n = 0;
  if (o.mss) n += 4;
  if (o.ts) n += 12;
  else if (o.sackOk) n += 4;
  if (o.wscaleSet) n += 4;
  if (o.sackBlocks.length) n += 4 + 8 * o.sackBlocks.length;
  return n;
}

/** tcp_options_write(): Linux's order and padding. */
function tcp_options_write(b: Uint8Array, at: number, o: TcpOutOptions): void {
  let p = at;
  if (o.mss) {
    b[p++] = TCPOPT_MSS;
    b[p++] = TCPOLEN_MSS;
    wr16(b, p, o.mss);
    p += 2;
  }
  if (o.ts) {
    if (o.sackOk) {
      b[p++] = TCPOPT_SACK_PERM;
      b[p++] = TCPOLEN_SACK_PERM;
    } else {
      b[p++] = TCPOPT_NOP;
      b[p++] = TCPOPT_NOP;
    }
    b[p++] = TCPOPT_TIMESTAMP;
    b[p++] = TCPOLEN_TIMESTAMP;
    wr32(b, p, o.tsval);
    wr32(b, p + 4, o.tsecr);
    p += 8;
  } else if (o.sackOk) {
    b[p++] = TCPOPT_NOP;
    b[p++] = TCPOPT_NOP;
    b[p++] = TCPOPT_SACK_PERM;
    b[p++] = TCPOLEN_SACK_PERM;
  }
  if (o.wscaleSet) {
    b[p++] = TCPOPT_NOP;
    b[p++] = TCPOPT_WINDOW;
    b[p++] = TCPOLEN_WINDOW;
    b[p++] = o.ws;
  }
  if (o.sackBlocks.length) {
    b[p++] = TCPOPT_NOP;
    b[p++] = TCPOPT_NOP;
    b[p++] = TCPOPT_SACK;
    b[p++] = TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK * o.sackBlocks.length;
    for (const [s, e] of o.sackBlocks) {
      wr32(b, p, s);
      wr32(b, p + 4, e);
      p += 8;
    }
  }
}

/** tcp_skb_timestamp_ts() + tsoffset: the TSval of a segment sent now. */
function tcp_tsval(sk: TcpSock): number {
  return (tcp_clock_ms(sk.net) + sk.tsoffset) >>> 0;
}

/** tcp_advertise_mss() */
function tcp_advertise_mss(sk: TcpSock): number {
  const rt = sk.dstCache;
  let mss = sk.advmss;
  if (rt) {
    const metric = dst_metric_advmss(rt, sk.net);
    if (metric < mss) {
      mss = metric;
      sk.advmss = mss;
    }
  }
  return mss;
}

/** dst_metric_advmss(): ipv4_default_advmss(). */
export function dst_metric_advmss(rt: Rtable, net: Net): number {
  const mtu = Math.min(rt.mtuMetric || rt.dev.mtu, 0xffff);
  return Math.max(mtu - 40, net.sysctl.int('net.ipv4.route.min_adv_mss') || 256);
}

/** tcp_syn_options() */
function tcp_syn_options(sk: TcpSock): TcpOutOptions {
  const net = sk.net;
  const o = newOpts();
  o.mss = tcp_advertise_mss(sk);
  if (net.sysctl.int('net.ipv4.tcp_timestamps')) {
    o.ts = true;
    o.tsval = tcp_tsval(sk);
    o.tsecr = sk.rxOpt.tsRecent;
  }
  if (net.sysctl.int('net.ipv4.tcp_window_scaling')) {
    o.ws = sk.rxOpt.rcvWscale;
    o.wscaleSet = true;
  }
  if (net.sysctl.int('net.ipv4.tcp_sack')) o.sackOk = true;
  return o;
}

/** tcp_established_options() */
function tcp_established_options(sk: TcpSock): TcpOutOptions {
  const o = newOpts();
  if (sk.rxOpt.tstampOk) {
    o.ts = true;
    o.tsval = tcp_tsval(sk);
    o.tsecr = sk.rxOpt.tsRecent;
  }
  if (sk.rxOpt.sackOk && sk.rxOpt.numSacks) {
    const room = Math.floor((40 - optsSize(o) - 4) / 8);
    o.sackBlocks = sk.rxOpt.sackBlocks.slice(0, Math.min(room, sk.rxOpt.numSacks));
  }
  return o;
}

/** tcp_mtu_to_mss() */
export function tcp_mtu_to_mss(sk: TcpSock, pmtu: number): number {
  let mss = pmtu - 20 - 20;
  if (sk.rxOpt.mssClamp && mss > sk.rxOpt.mssClamp) mss = sk.rxOpt.mssClamp;
  mss -= sk.tcpHeaderLen - 20;
  const minSnd = sk.net.sysctl.int('net.ipv4.tcp_min_snd_mss') || 48;
  return Math.max(mss, minSnd);
}

/** tcp_sync_mss(): mss_cache from the path MTU. */
export function tcp_sync_mss(sk: TcpSock, pmtu: number): number {
  let mss = tcp_mtu_to_mss(sk, pmtu);
  mss = tcp_bound_to_half_wnd_mss(sk, mss);
  sk.pmtuCookie = pmtu;
  sk.mssCache = mss;
  return mss;
}

function tcp_bound_to_half_wnd_mss(sk: TcpSock, pktsize: number): number {
  let cutoff: number;
  if (sk.maxWindow > TCP_MSS_DEFAULT) cutoff = sk.maxWindow >> 1;
  else cutoff = sk.maxWindow;
  if (cutoff && pktsize > cutoff) return Math.max(cutoff, 68 - sk.tcpHeaderLen);
  return pktsize;
}

/** tcp_current_mss(): MSS for the options a data segment carries now. */
export function tcp_current_mss(sk: TcpSock): number {
  let mss = sk.mssCache;
  const rt = sk.dstCache;
  if (rt) {
    const mtu = dst_mtu(rt, sk.net.kernel.now);
    if (mtu !== sk.pmtuCookie) mss = tcp_sync_mss(sk, mtu);
  }
  const hdr = optsSize(tcp_established_options(sk)) + 20;
  if (hdr !== sk.tcpHeaderLen) mss -= hdr - sk.tcpHeaderLen;
  return mss;
}

/** tcp_select_initial_window() */
export function tcp_select_initial_window(
  net: Net,
  spaceIn: number,
  mss: number,
  windowClamp: number,
  wscaleOk: boolean,
  initRcvWnd: number,
): { rcvWnd: number; windowClamp: number; rcvWscale: number } {
  let space = spaceIn < 0 ? 0 : spaceIn;
  let clamp = windowClamp;
  if (clamp === 0) clamp = 65535 * 2 ** TCP_MAX_WSCALE;
  space = Math.min(clamp, space);
  if (space > mss) space = space - (space % mss);
  let rcvWnd = net.sysctl.int('net.ipv4.tcp_workaround_signed_windows') ? Math.min(space, MAX_TCP_WINDOW) : space;
  if (initRcvWnd) rcvWnd = Math.min(rcvWnd, initRcvWnd * mss);
  let rcvWscale = 0;
  if (wscaleOk) {
    let s = Math.max(space, tcp_rmem(net)[2]);
    s = Math.max(s, net.sysctl.int('net.core.rmem_max'));
    s = Math.min(s, clamp);
    rcvWscale = Math.min(Math.max(Math.floor(Math.log2(s)) - 15, 0), TCP_MAX_WSCALE);
  }
  return { rcvWnd, windowClamp: Math.min(65535 * 2 ** rcvWscale, clamp), rcvWscale };
}

export const tcp_win_from_space = (sk: TcpSock, space: number): number =>
  Math.floor((space * sk.scalingRatio) / 2 ** TCP_RMEM_TO_WIN_SCALE);
/** tcp_space() */
export const tcp_space = (sk: TcpSock): number => tcp_win_from_space(sk, sk.rcvbuf - sk.backlogLen - sk.rmemAlloc);
/** tcp_full_space() */
export const tcp_full_space = (sk: TcpSock): number => tcp_win_from_space(sk, sk.rcvbuf);
/** tcp_receive_window(): what is left of the last advertised window. */
export function tcp_receive_window(sk: TcpSock): number {
  const w = (sk.rcvWup + sk.rcvWnd - sk.rcvNxt) | 0;
  return w < 0 ? 0 : w;
}

/** __tcp_select_window() */
export function __tcp_select_window(sk: TcpSock): number {
  let mss = sk.ack.rcvMss;
  let freeSpace = tcp_space(sk);
  const allowedSpace = tcp_full_space(sk);
  const fullSpace = Math.min(sk.windowClamp, allowedSpace);
  const wscale = sk.rxOpt.rcvWscale;
  if (mss > fullSpace) {
    mss = fullSpace;
    if (mss <= 0) return 0;
  }
  if (sk.net.sysctl.int('net.ipv4.tcp_shrink_window') && wscale) {
    // shrink_window_allowed
    freeSpace = freeSpace - (freeSpace % (1 << wscale));
    if (freeSpace < allowedSpace >> 4 || freeSpace < mss) return 0;
    if (freeSpace > sk.rcvSsthresh) freeSpace = sk.rcvSsthresh;
    return freeSpace;
  }
  if (freeSpace < fullSpace >> 1) {
    sk.ack.quick = 0;
    freeSpace = freeSpace - (freeSpace % (1 << wscale));
    if (freeSpace < allowedSpace >> 4 || freeSpace < mss) return 0;
  }
  if (freeSpace > sk.rcvSsthresh) freeSpace = sk.rcvSsthresh;
  let window: number;
  if (wscale) {
    window = freeSpace;
    const unit = 1 << wscale;
    window = Math.ceil(window / unit) * unit;
  } else {
    window = sk.rcvWnd;
    if (window <= freeSpace - mss || window > freeSpace) window = Math.floor(freeSpace / mss) * mss;
    else if (mss === fullSpace && freeSpace > window + (fullSpace >> 1)) window = freeSpace;
  }
  return window;
}

/** tcp_select_window(): the window field of a non-SYN segment (and rcv_wnd/rcv_wup). */
export function tcp_select_window(sk: TcpSock): number {
  const net = sk.net;
  const oldWin = sk.rcvWnd;
  if (sk.ack.pending & ICSK_ACK_NOMEM) {
    sk.ack.pending &= ~ICSK_ACK_NOMEM;
    sk.predFlags = false;
    sk.rcvWnd = 0;
    sk.rcvWup = sk.rcvNxt;
    return 0;
  }
  const wscale = sk.rxOpt.rcvWscale;
  const curWin = tcp_receive_window(sk);
  let newWin = __tcp_select_window(sk);
  if (newWin < curWin) {
    if (!net.sysctl.int('net.ipv4.tcp_shrink_window') || !wscale) {
      if (newWin === 0) net.mib.inc(MIB.TcpExtTCPWantZeroWindowAdv);
      const unit = 1 << wscale;
      newWin = Math.ceil(curWin / unit) * unit;
    }
  }
  sk.rcvWnd = newWin;
  sk.rcvWup = sk.rcvNxt;
  if (!wscale && net.sysctl.int('net.ipv4.tcp_workaround_signed_windows')) newWin = Math.min(newWin, MAX_TCP_WINDOW);
  else newWin = Math.min(newWin, 65535 * 2 ** wscale);
  newWin = Math.floor(newWin / 2 ** wscale);
  if (newWin === 0) {
    sk.predFlags = false;
    if (oldWin) net.mib.inc(MIB.TcpExtTCPToZeroWindowAdv);
  } else if (oldWin === 0) net.mib.inc(MIB.TcpExtTCPFromZeroWindowAdv);
  return newWin;
}

/** The window a segment would carry now, without changing state. */
export function tcp_select_window_peek(sk: TcpSock): number {
  const save = [sk.rcvWnd, sk.rcvWup, sk.ack.pending, sk.ack.quick, sk.predFlags] as const;
  const mib = sk.net.mib.c.slice();
  const w = tcp_select_window(sk);
  [sk.rcvWnd, sk.rcvWup, sk.ack.pending, sk.ack.quick, sk.predFlags] = save;
  sk.net.mib.c.set(mib);
  return w;
}

/** tcp_acceptable_seq() */
export function tcp_acceptable_seq(sk: TcpSock): number {
  if (!before(tcp_wnd_end(sk), sk.sndNxt)) return sk.sndNxt;
  return tcp_wnd_end(sk);
}

export const tcp_wnd_end = (sk: TcpSock): number => (sk.sndUna + sk.sndWnd) >>> 0;
export const tcp_packets_in_flight = (sk: TcpSock): number => sk.packetsOut - (sk.sackedOut + sk.lostOut) + sk.retransOut;

/** The route a connected socket sends on (__sk_dst_check + ip_route_output_ports). */
export function tcp_sk_route(sk: TcpSock): Rtable | number {
  if (sk.dstCache) return sk.dstCache;
  const fl = flowi4({
    oif: sk.bindDev,
    mark: sk.mark,
    tos: sk.tos & 0xfc,
    proto: 6,
    saddr: sk.saddr,
    daddr: sk.daddr,
    sport: sk.sport,
    dport: sk.dport,
  });
  const rt = ip_route_output_key(sk.net, fl);
  if (typeof rt === 'number') {
    if (rt === -ENETUNREACH) sk.net.mib.inc(MIB.IpOutNoRoutes);
    return rt;
  }
  sk.dstCache = rt;
  return rt;
}

/**
 * ip_queue_xmit() → __ip_queue_xmit(): the IP header from the socket and its
 * route, then ip_local_out(). Returns the skb sent (the clone TCP keeps an
 * eye on, as skb_fclone_busy() does) or a negative errno.
 */
export function ip_queue_xmit(sk: TcpSock, tcp: Uint8Array, segs: number, gsoSize = 0): SkBuff | number {
  const net = sk.net;
  const rt = tcp_sk_route(sk);
  if (typeof rt === 'number') {
    net.mib.inc(MIB.IpOutNoRoutes);
    return -EHOSTUNREACH;
  }
  const skb = alloc_skb(sk.net.kernel, IPV4_HEADER_LEN + tcp.length, 32);
  const o = skb.put(IPV4_HEADER_LEN + tcp.length);
  skb.networkHeader = o;
  skb.transportHeader = o + IPV4_HEADER_LEN;
  const b = skb.head;
  b[o + IPH_VERSION_IHL] = 0x45;
  b[o + IPH_TOS] = sk.tos;
  wr16(b, o + IPH_FRAG_OFF, ip_dont_fragment(sk, rt) ? IP_DF : 0);
  b[o + IPH_TTL] = sk.ttl >= 0 ? sk.ttl : net.sysctl.int('net.ipv4.ip_default_ttl') || 64;
  b[o + IPH_PROTOCOL] = IPPROTO_TCP;
  wr32(b, o + IPH_SADDR, sk.saddr);
  wr32(b, o + IPH_DADDR, sk.daddr);
  b.set(tcp, o + IPV4_HEADER_LEN);
  // ip_select_ident_segs(): a connected TCP socket numbers its own packets
  wr16(b, o + IPH_ID, sk.inetId & 0xffff);
  sk.inetId = (sk.inetId + Math.max(1, segs)) & 0xffff;
  skb.protocol = ETH_P_IP;
  skb.ipSummed = CHECKSUM_PARTIAL;
  skb.dst = rt;
  skb.sk = sk;
  skb.mark = sk.mark;
  skb.dev = rt.dev;
  if (gsoSize) {
    skb.gsoSize = gsoSize;
    skb.gsoSegs = segs;
  }
  // the segment is an skb from __tcp_transmit_skb on; it is built here
  kprobe(net, skb, '__tcp_transmit_skb');
  kprobe(net, skb, 'ip_queue_xmit');
  kprobe(net, skb, '__ip_queue_xmit');
  const err = ip_local_out(net, sk, skb);
  if (err < 0) return err;
  return skb;
}

/** __tcp_v4_send_check(): the pseudo-header sum the device completes (CHECKSUM_PARTIAL). */
export function tcp_v4_send_check_partial(b: Uint8Array, saddr: number, daddr: number): void {
  const len = b.length;
  const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_TCP + len;
  wr16(b, TCPH_CHECK, ~csum_fold(pseudo) & 0xffff);
}

/** A complete TCP checksum (CHECKSUM_NONE replies: ip_send_unicast_reply). */
export function tcp_v4_send_check_full(b: Uint8Array, saddr: number, daddr: number): void {
  const len = b.length;
  const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_TCP + len;
  wr16(b, TCPH_CHECK, 0);
  wr16(b, TCPH_CHECK, csum_fold(csum_partial(b, 0, len, pseudo)));
}

/**
 * __tcp_transmit_skb(): builds the header of `seg` (with `data`, all or a
 * part of its payload) and hands it to IP. Returns 0 or a negative errno.
 */
export function __tcp_transmit_skb(sk: TcpSock, seg: TcpSeg, rcvNxt: number, data: Uint8Array = seg.data): number {
  const net = sk.net;
  const syn = (seg.flags & TCPHDR_SYN) !== 0;
  const opts = syn ? tcp_syn_options(sk) : tcp_established_options(sk);
  const pcount = Math.max(1, seg.pcount);
  if (!syn && pcount > 1) seg.flags |= TCPHDR_PSH;
  const hdrLen = TCP_HEADER_LEN + optsSize(opts);
  const b = new Uint8Array(hdrLen + data.length);
  wr16(b, TCPH_SOURCE, sk.sport);
  wr16(b, TCPH_DEST, sk.dport);
  wr32(b, TCPH_SEQ, seg.seq);
  wr32(b, TCPH_ACK_SEQ, rcvNxt);
  wr16(b, TCPH_DOFF, ((hdrLen >> 2) << 12) | (seg.flags & 0xff));
  if (!syn) wr16(b, TCPH_WINDOW, tcp_select_window(sk));
  else wr16(b, TCPH_WINDOW, Math.min(sk.rcvWnd, 65535));
  tcp_options_write(b, TCP_HEADER_LEN, opts);
  b.set(data, hdrLen);
  tcp_v4_send_check_partial(b, sk.saddr, sk.daddr);
  if (seg.flags & TCPHDR_ACK) tcp_event_ack_sent(sk, rcvNxt);
  if (data.length) {
    tcp_event_data_sent(sk);
    sk.dataSegsOut += pcount;
  }
  if (after(seg.endSeq, sk.sndNxt) || seg.seq === seg.endSeq) net.mib.inc(MIB.TcpOutSegs, pcount);
  sk.segsOut += pcount;
  const r = ip_queue_xmit(sk, b, pcount, pcount > 1 ? seg.mss : 0);
  if (typeof r === 'number') return r;
  // the clone of the queued skb (skb_fclone_busy() asks whether it is still alive)
  seg.skb = r;
  return 0;
}

export function tcp_transmit_skb(sk: TcpSock, seg: TcpSeg): number {
  seg.mstamp = sk.net.kernel.now;
  return __tcp_transmit_skb(sk, seg, sk.rcvNxt);
}

/** tcp_event_ack_sent() */
function tcp_event_ack_sent(sk: TcpSock, rcvNxt: number): void {
  if (rcvNxt !== sk.rcvNxt) return;
  tcp_dec_quickack_mode(sk);
  inet_csk_clear_xmit_timer(sk, ICSK_TIME_DACK);
}

/** tcp_event_data_sent() */
function tcp_event_data_sent(sk: TcpSock): void {
  const now = tcp_jiffies32(sk.net);
  sk.lsndtime = now;
  if ((now - sk.ack.lrcvtime) >>> 0 < sk.ack.ato && sk.ack.pingpong < 255) sk.ack.pingpong++;
}

/** tcp_event_new_data_sent() */
function tcp_event_new_data_sent(sk: TcpSock, seg: TcpSeg): void {
  const prior = sk.packetsOut;
  sk.sndNxt = seg.endSeq;
  const i = sk.writeQueue.indexOf(seg);
  if (i >= 0) sk.writeQueue.splice(i, 1);
  sk.rtxQueue.push(seg);
  sk.packetsOut += seg.pcount;
  if (!prior) tcp_rearm_rto(sk);
  sk.net.mib.inc(MIB.TcpExtTCPOrigDataSent, seg.pcount);
  tcp_check_space(sk);
}

/** tcp_nagle_check() */
function tcp_nagle_check(partial: boolean, sk: TcpSock, nonagle: number): boolean {
  return partial && ((nonagle & TCP_NAGLE_CORK) !== 0 || (!nonagle && sk.packetsOut > 0 && tcp_minshall_check(sk)));
}

const tcp_minshall_check = (sk: TcpSock): boolean => after(sk.sndSml, sk.sndUna) && !after(sk.sndSml, sk.sndNxt);

/** tcp_nagle_test() */
function tcp_nagle_test(sk: TcpSock, seg: TcpSeg, curMss: number, nonagle: number): boolean {
  if (nonagle & TCP_NAGLE_PUSH) return true;
  if (seg.flags & TCPHDR_FIN) return true;
  return !tcp_nagle_check(seg.data.length < curMss, sk, nonagle);
}

/** tcp_snd_wnd_test() */
function tcp_snd_wnd_test(sk: TcpSock, seg: TcpSeg, curMss: number): boolean {
  let end = seg.endSeq;
  if (seg.data.length > curMss) end = (seg.seq + curMss) >>> 0;
  return !after(end, tcp_wnd_end(sk));
}

/** tcp_cwnd_test() */
function tcp_cwnd_test(sk: TcpSock): number {
  const inFlight = tcp_packets_in_flight(sk);
  const cwnd = sk.sndCwnd;
  if (inFlight >= cwnd) return 0;
  const half = Math.max(cwnd >> 1, 1);
  return Math.min(half, cwnd - inFlight);
}

/** tcp_mss_split_point() */
function tcp_mss_split_point(sk: TcpSock, seg: TcpSeg, mssNow: number, maxSegs: number, nonagle: number): number {
  const window = (tcp_wnd_end(sk) - seg.seq) >>> 0;
  const maxLen = mssNow * maxSegs;
  if (maxLen <= window && seg !== sk.writeQueue[sk.writeQueue.length - 1]) return maxLen;
  const needed = Math.min(seg.data.length, window);
  if (maxLen <= needed) return maxLen;
  const partial = needed % mssNow;
  if (tcp_nagle_check(partial !== 0, sk, nonagle)) return needed - partial;
  return needed;
}

/** tso_fragment(): splits a write-queue skb at `len` bytes. */
function tso_fragment(sk: TcpSock, seg: TcpSeg, len: number, mssNow: number): void {
  const rest = seg.data.subarray(len);
  const flags = seg.flags;
  const buff: TcpSeg = {
    seq: (seg.seq + len) >>> 0,
    endSeq: seg.endSeq,
    flags: flags & ~0,
    data: rest.slice(),
    mstamp: 0,
    sacked: 0,
    pcount: 1,
    mss: mssNow,
    truesize: SKB_TRUESIZE_HEAD + rest.length,
    txDelivered: 0,
  };
  sk.wmemQueued += SKB_TRUESIZE_HEAD;
  seg.data = seg.data.slice(0, len);
  seg.truesize -= rest.length;
  seg.endSeq = buff.seq;
  // PSH and FIN stay on the second part
  seg.flags = flags & ~(TCPHDR_FIN | TCPHDR_PSH);
  tcp_set_skb_tso_segs(seg, mssNow);
  tcp_set_skb_tso_segs(buff, mssNow);
  const i = sk.writeQueue.indexOf(seg);
  sk.writeQueue.splice(i + 1, 0, buff);
}

/** tcp_set_skb_tso_segs() */
function tcp_set_skb_tso_segs(seg: TcpSeg, mssNow: number): number {
  if (seg.data.length <= mssNow) {
    seg.pcount = 1;
    seg.mss = mssNow;
  } else {
    seg.pcount = Math.ceil(seg.data.length / mssNow);
    seg.mss = mssNow;
  }
  return seg.pcount;
}

/** tcp_tso_segs(): how many segments one GSO skb may carry now. */
function tcp_tso_segs(sk: TcpSock, mssNow: number): number {
  void sk;
  return Math.max(1, Math.floor(SK_GSO_MAX_SIZE / mssNow));
}

/** tcp_write_xmit(): sends what the windows and Nagle allow. Returns true when nothing could go and nothing is in flight. */
export function tcp_write_xmit(sk: TcpSock, mssNow: number, nonagle: number, pushOne: number): boolean {
  let sent = 0;
  tcp_mstamp_refresh(sk);
  const maxSegs = tcp_tso_segs(sk, mssNow);
  let seg: TcpSeg | undefined;
  while ((seg = sk.writeQueue[0])) {
    let cwndQuota = tcp_cwnd_test(sk);
    if (!cwndQuota) {
      if (pushOne === 2) cwndQuota = 1;
      else break;
    }
    cwndQuota = Math.min(cwndQuota, maxSegs);
    const tsoSegs = tcp_set_skb_tso_segs(seg, mssNow);
    if (!tcp_snd_wnd_test(sk, seg, mssNow)) break;
    if (tsoSegs === 1) {
      const last = seg === sk.writeQueue[sk.writeQueue.length - 1];
      if (!tcp_nagle_test(sk, seg, mssNow, last ? nonagle : TCP_NAGLE_PUSH)) break;
    }
    let limit = mssNow;
    if (tsoSegs > 1) limit = tcp_mss_split_point(sk, seg, mssNow, cwndQuota, nonagle);
    if (seg.data.length > limit) tso_fragment(sk, seg, limit, mssNow);
    if (seg.endSeq === seg.seq) break;
    if (tcp_transmit_skb(sk, seg)) break;
    tcp_event_new_data_sent(sk, seg);
    tcp_minshall_update(sk, mssNow, seg);
    sent += seg.pcount;
    if (pushOne) break;
  }
  const cwndLimited = tcp_packets_in_flight(sk) >= sk.sndCwnd;
  if (sent || cwndLimited) tcp_cwnd_validate(sk, cwndLimited);
  if (sent) return false;
  return !sk.packetsOut && sk.writeQueue.length > 0;
}

/** tcp_cwnd_validate(): how fully the window was used in this round. */
function tcp_cwnd_validate(sk: TcpSock, isCwndLimited: boolean): void {
  if (!before(sk.sndUna, sk.cwndUsageSeq) || isCwndLimited || (!sk.cwndLimited && sk.packetsOut > sk.maxPacketsOut)) {
    sk.cwndLimited = isCwndLimited;
    sk.maxPacketsOut = sk.packetsOut;
    sk.cwndUsageSeq = sk.sndNxt;
  }
}

function tcp_minshall_update(sk: TcpSock, mssNow: number, seg: TcpSeg): void {
  if (seg.data.length < tcp_skb_pcount(seg) * mssNow) sk.sndSml = seg.endSeq;
}

const tcp_skb_pcount = (seg: TcpSeg): number => seg.pcount;

/** __tcp_push_pending_frames() */
export function __tcp_push_pending_frames(sk: TcpSock, curMss: number, nonagle: number): void {
  if (sk.state === TCP_CLOSE) return;
  if (tcp_write_xmit(sk, curMss, nonagle, 0)) tcp_check_probe_timer(sk);
}

export function tcp_push_pending_frames(sk: TcpSock): void {
  if (sk.writeQueue.length) __tcp_push_pending_frames(sk, tcp_current_mss(sk), sk.nonagle);
}

/** tcp_check_probe_timer(): nothing in flight, data waiting on a zero window: the persist timer. */
function tcp_check_probe_timer(sk: TcpSock): void {
  if (!sk.packetsOut && !sk.icskPending) {
    const when = tcp_probe0_base(sk);
    tcp_reset_xmit_timer(sk, 3, when);
  }
}

export function tcp_probe0_base(sk: TcpSock): number {
  return Math.max(tcp_rto_min(sk), Math.floor(sk.srttUs ? (sk.srttUs >> 3) / 4000 : 0) || 0, 50) as number;
}

export function tcp_rto_min(sk: TcpSock): number {
  const us = sk.net.sysctl.int('net.ipv4.tcp_rto_min_us') || 200000;
  return Math.max(1, Math.floor((us * 250) / 1e6));
}

/** tcp_send_ack() */
export function tcp_send_ack(sk: TcpSock): void {
  __tcp_send_ack(sk, sk.rcvNxt, 0);
}

export function __tcp_send_ack(sk: TcpSock, rcvNxt: number, flags: number): void {
  if (sk.state === TCP_CLOSE) return;
  const seg: TcpSeg = newSeg(tcp_acceptable_seq(sk), TCPHDR_ACK | flags);
  seg.mstamp = sk.net.kernel.now;
  __tcp_transmit_skb(sk, seg, rcvNxt);
}

export function newSeg(seq: number, flags: number): TcpSeg {
  return {
    seq,
    endSeq: flags & (TCPHDR_SYN | TCPHDR_FIN) ? (seq + 1) >>> 0 : seq,
    flags,
    data: new Uint8Array(0),
    mstamp: 0,
    sacked: 0,
    pcount: 1,
    mss: 0,
    truesize: SKB_TRUESIZE_HEAD,
    txDelivered: 0,
  };
}

/** tcp_send_delayed_ack() */
export function tcp_send_delayed_ack(sk: TcpSock): void {
  let ato = sk.ack.ato;
  if (ato > TCP_DELACK_MIN) {
    let maxAto = 250 / 2;
    if (sk.ack.pingpong >= pingpong_thresh(sk) || sk.ack.pending & ICSK_ACK_PUSHED) maxAto = TCP_DELACK_MAX;
    if (sk.srttUs) {
      const rtt = Math.max(Math.ceil((sk.srttUs >> 3) / 4000), TCP_DELACK_MIN);
      if (rtt < maxAto) maxAto = rtt;
    }
    ato = Math.min(ato, maxAto);
  }
  ato = Math.min(ato, TCP_DELACK_MAX);
  const now = tcp_jiffies32(sk.net);
  let timeout = (now + ato) >>> 0;
  if (sk.ack.pending & ICSK_ACK_TIMER) {
    if (((sk.ack.timeout - (now + (ato >> 2))) | 0) <= 0) {
      tcp_send_ack(sk);
      return;
    }
    if (!(((timeout - sk.ack.timeout) | 0) < 0)) timeout = sk.ack.timeout;
  }
  sk.ack.pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
  sk.ack.timeout = timeout;
  inet_csk_reset_xmit_timer(sk, ICSK_TIME_DACK, timeout);
}

export function pingpong_thresh(sk: TcpSock): number {
  return sk.net.sysctl.int('net.ipv4.tcp_pingpong_thresh') || 1;
}

/** tcp_send_fin() */
export function tcp_send_fin(sk: TcpSock): void {
  const tail = sk.writeQueue[sk.writeQueue.length - 1];
  if (tail) {
    tail.flags |= TCPHDR_FIN;
    tail.endSeq = (tail.endSeq + 1) >>> 0;
    sk.writeSeq = (sk.writeSeq + 1) >>> 0;
  } else {
    const seg = newSeg(sk.writeSeq, TCPHDR_ACK | TCPHDR_FIN);
    sk.wmemQueued += seg.truesize;
    sk.writeQueue.push(seg);
    sk.writeSeq = seg.endSeq;
  }
  __tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
}

/** tcp_send_active_reset(): a RST|ACK from the socket, never retransmitted. */
export function tcp_send_active_reset(sk: TcpSock, reason: string): void {
  const net = sk.net;
  net.mib.inc(MIB.TcpOutRsts);
  const seg = newSeg(tcp_acceptable_seq(sk), TCPHDR_ACK | TCPHDR_RST);
  tcp_mstamp_refresh(sk);
  seg.mstamp = net.kernel.now;
  if (__tcp_transmit_skb(sk, seg, sk.rcvNxt)) net.mib.inc(MIB.TcpExtTCPAbortFailed);
  trace_tcp_send_reset_sk(sk, null, reason);
}

/** tcp_connect_init() */
function tcp_connect_init(sk: TcpSock): void {
  const net = sk.net;
  const rt = sk.dstCache as Rtable;
  sk.tcpHeaderLen = 20;
  if (net.sysctl.int('net.ipv4.tcp_timestamps')) sk.tcpHeaderLen += TCPOLEN_TSTAMP_ALIGNED;
  if (sk.rxOpt.userMss) sk.rxOpt.mssClamp = sk.rxOpt.userMss;
  sk.maxWindow = 0;
  tcp_sync_mss(sk, dst_mtu(rt, net.kernel.now));
  let advmss = dst_metric_advmss(rt, net);
  if (sk.rxOpt.userMss && sk.rxOpt.userMss < advmss) advmss = sk.rxOpt.userMss;
  sk.advmss = advmss;
  tcp_initialize_rcv_mss(sk);
  if (sk.userlocks & 2 && (sk.windowClamp > tcp_full_space(sk) || sk.windowClamp === 0)) sk.windowClamp = tcp_full_space(sk);
  const w = tcp_select_initial_window(
    net,
    tcp_full_space(sk),
    sk.advmss - (sk.rxOpt.tsRecentStamp ? sk.tcpHeaderLen - 20 : 0),
    sk.windowClamp,
    net.sysctl.int('net.ipv4.tcp_window_scaling') !== 0,
    0,
  );
  sk.rcvWnd = w.rcvWnd;
  sk.windowClamp = w.windowClamp;
  sk.rxOpt.rcvWscale = w.rcvWscale;
  sk.rcvSsthresh = sk.rcvWnd;
  sk.err = 0;
  sk.done = false;
  sk.sndWnd = 0;
  sk.sndWl1 = 0;
  sk.writeQueue.length = 0;
  sk.rtxQueue.length = 0;
  sk.sndUna = sk.writeSeq;
  sk.sndSml = sk.writeSeq;
  sk.sndUp = sk.writeSeq;
  sk.sndNxt = sk.writeSeq;
  sk.rcvNxt = 0;
  sk.rcvWup = 0;
  sk.copiedSeq = 0;
  sk.rto = TCP_TIMEOUT_INIT;
  sk.retransmits = 0;
  sk.retransOut = 0;
  sk.lostOut = 0;
  sk.sackedOut = 0;
}

/** tcp_initialize_rcv_mss() */
export function tcp_initialize_rcv_mss(sk: TcpSock): void {
  let hint = Math.min(sk.advmss, sk.mssCache);
  hint = Math.min(hint, sk.rcvWnd >> 1);
  hint = Math.min(hint, TCP_MSS_DEFAULT);
  hint = Math.max(hint, TCP_MIN_MSS);
  sk.ack.rcvMss = hint;
}

/** tcp_connect(): queue the SYN and send it. */
export function tcp_connect(sk: TcpSock): number {
  const net = sk.net;
  tcp_connect_init(sk);
  const seg = newSeg(sk.writeSeq, TCPHDR_SYN);
  tcp_mstamp_refresh(sk);
  sk.retransStamp = tcp_clock_ms(net);
  sk.writeSeq = seg.endSeq;
  sk.packetsOut += 1;
  sk.wmemQueued += seg.truesize;
  sk.rtxQueue.push(seg);
  const err = tcp_transmit_skb(sk, seg);
  if (err === -ECONNREFUSED) return err;
  sk.sndNxt = sk.writeSeq;
  sk.pushedSeq = sk.writeSeq;
  net.mib.inc(MIB.TcpActiveOpens);
  tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, sk.rto);
  return 0;
}

/** tcp_retransmit_skb() → __tcp_retransmit_skb(): one segment again. Returns 0 or an error. */
export function tcp_retransmit_skb(sk: TcpSock, seg: TcpSeg): number {
  const net = sk.net;
  const curMss = tcp_current_mss(sk);
  if (before(seg.seq, sk.sndUna)) {
    // trim what the peer already has
    if (before(seg.endSeq, sk.sndUna) || seg.endSeq === sk.sndUna) return -EINVAL;
    const cut = (sk.sndUna - seg.seq) >>> 0;
    seg.data = seg.data.slice(Math.min(cut, seg.data.length));
    seg.seq = sk.sndUna;
  }
  if (!before(seg.seq, tcp_wnd_end(sk)) && seg.seq !== sk.sndUna && !(seg.flags & TCPHDR_SYN)) return -EAGAIN;
  if (seg.data.length > curMss) {
    // tcp_fragment() of a retransmitted skb
    const rest = seg.data.subarray(curMss);
    const tail: TcpSeg = { ...seg, seq: (seg.seq + curMss) >>> 0, data: rest.slice(), pcount: 1 };
    seg.data = seg.data.slice(0, curMss);
    seg.endSeq = tail.seq;
    tail.flags = seg.flags;
    seg.flags &= ~(TCPHDR_FIN | TCPHDR_PSH);
    const i = sk.rtxQueue.indexOf(seg);
    sk.rtxQueue.splice(i + 1, 0, tail);
    sk.packetsOut += 1;
  }
  // skb_still_in_host_queue(): the last copy sent is still queued below us (a neighbour waiting for ARP, a peer's socket)
  if (seg.skb && seg.skb.shinfo.users > 0) {
    net.mib.inc(MIB.TcpExtTCPSpuriousRtxHostQueues);
    return -EBUSY;
  }
  const segs = seg.pcount;
  net.mib.inc(MIB.TcpRetransSegs, segs);
  if (seg.flags & TCPHDR_SYN) net.mib.inc(MIB.TcpExtTCPSynRetrans);
  sk.totalRetrans += segs;
  const err = tcp_transmit_skb(sk, seg);
  if (!err) {
    seg.sacked |= TCPCB_EVER_RETRANS;
    if (!(seg.sacked & TCPCB_SACKED_RETRANS)) {
      seg.sacked |= TCPCB_SACKED_RETRANS;
      sk.retransOut += segs;
    }
    if (!sk.retransStamp) sk.retransStamp = tcp_clock_ms(net);
    if (sk.undoRetrans < 0) sk.undoRetrans = 0;
    sk.undoRetrans += segs;
  }
  void TCPCB_LOST;
  void TCPCB_SACKED_ACKED;
  return err;
}

/** tcp_send_probe0() → tcp_write_wakeup(): a zero-window probe. */
export function tcp_send_probe0(sk: TcpSock): void {
  const net = sk.net;
  const err = tcp_write_wakeup(sk);
  if (sk.packetsOut || !sk.writeQueue.length) {
    sk.probesOut = 0;
    sk.backoff = 0;
    sk.icskPending = 0;
    return;
  }
  sk.probesOut++;
  let timeout: number;
  if (err <= 0) {
    if (sk.backoff < (net.sysctl.int('net.ipv4.tcp_retries2') || 15)) sk.backoff++;
    timeout = Math.min(tcp_probe0_base(sk) << sk.backoff, 120 * 250);
  } else timeout = 250 / 2;
  tcp_reset_xmit_timer(sk, 3, timeout);
}

/** tcp_write_wakeup(): new data if the window allows a piece, else an old-sequence ACK. */
export function tcp_write_wakeup(sk: TcpSock): number {
  if (sk.state === TCP_CLOSE) return -1;
  const seg = sk.writeQueue[0];
  if (seg && before(seg.seq, tcp_wnd_end(sk))) {
    const mss = tcp_current_mss(sk);
    let segSize = (tcp_wnd_end(sk) - seg.seq) >>> 0;
    if (before(sk.pushedSeq, seg.endSeq)) sk.pushedSeq = seg.endSeq;
    segSize = Math.min(segSize, mss);
    if (segSize < seg.endSeq - seg.seq || seg.data.length > mss) {
      tso_fragment(sk, seg, Math.min(segSize, seg.data.length), mss);
    }
    seg.flags |= TCPHDR_PSH;
    const err = tcp_transmit_skb(sk, seg);
    if (!err) tcp_event_new_data_sent(sk, seg);
    return err;
  }
  // tcp_xmit_probe_skb(): snd_una - 1, no data
  const p = newSeg((sk.sndUna - 1) >>> 0, TCPHDR_ACK);
  p.mstamp = sk.net.kernel.now;
  sk.net.mib.inc(MIB.TcpExtTCPWinProbe);
  return __tcp_transmit_skb(sk, p, sk.rcvNxt);
}

/** tcp_make_synack() + tcp_v4_send_synack(): the SYN-ACK of a request sock. */
export function tcp_v4_send_synack(req: RequestSock, rt: Rtable): number {
  const net = req.net;
  const lsk = req.listener;
  const o = newOpts();
  o.mss = req.mss;
  if (req.wscaleOk) {
    o.ws = req.rcvWscale;
    o.wscaleSet = true;
  }
  if (req.tstampOk) {
    o.ts = true;
    o.tsval = (tcp_clock_ms(net) + req.tsOff) >>> 0;
    o.tsecr = req.tsRecent;
  }
  if (!req.sntSynack) req.sntSynack = net.kernel.now;
  o.sackOk = req.sackOk;
  const hdrLen = TCP_HEADER_LEN + optsSize(o);
  const b = new Uint8Array(hdrLen);
  wr16(b, TCPH_SOURCE, req.sport);
  wr16(b, TCPH_DEST, req.dport);
  wr32(b, TCPH_SEQ, req.sntIsn);
  wr32(b, TCPH_ACK_SEQ, (req.rcvIsn + 1) >>> 0);
  wr16(b, TCPH_DOFF, ((hdrLen >> 2) << 12) | TCPHDR_SYN | TCPHDR_ACK);
  wr16(b, TCPH_WINDOW, Math.min(req.rcvWnd, 65535));
  tcp_options_write(b, TCP_HEADER_LEN, o);
  tcp_v4_send_check_partial(b, req.rcvSaddr, req.daddr);
  net.mib.inc(MIB.TcpOutSegs);
  // ip_build_and_send_pkt(): DF from the listener, id 0
  return ip_push_frames(
    net,
    {
      saddr: req.rcvSaddr,
      daddr: req.daddr,
      protocol: IPPROTO_TCP,
      ttl: lsk.ttl >= 0 ? lsk.ttl : net.sysctl.int('net.ipv4.ip_default_ttl') || 64,
      tos: lsk.tos,
      df: ip_dont_fragment(lsk, rt),
      sk: null,
      rt,
      icmpType: 0,
      mark: lsk.mark,
      priority: 0,
      csumPartial: true,
      via: VIA_SYNACK,
    },
    b,
  );
}
const VIA_SYNACK = ['tcp_v4_send_synack', 'ip_build_and_send_pkt'] as const;

/** tcp_openreq_init_rwin() */
export function tcp_openreq_init_rwin(req: RequestSock, lsk: TcpSock, rt: Rtable): void {
  const net = lsk.net;
  const fullSpace = tcp_full_space(lsk);
  const mss = dst_metric_advmss(rt, net) - (req.tstampOk ? TCPOLEN_TSTAMP_ALIGNED : 0);
  let windowClamp = lsk.windowClamp;
  if (lsk.userlocks & 2 && (windowClamp > fullSpace || windowClamp === 0)) windowClamp = fullSpace;
  const w = tcp_select_initial_window(net, fullSpace, mss, windowClamp, req.wscaleOk, 0);
  req.rcvWnd = w.rcvWnd;
  req.windowClamp = w.windowClamp;
  req.rcvWscale = w.rcvWscale;
}

/** ip_send_unicast_reply(): a RST or ACK with no socket behind it, fully checksummed. */
export function ip_send_unicast_reply(
  net: Net,
  saddr: number,
  daddr: number,
  tcp: Uint8Array,
  opts: { tos: number; mark: number; oif: number; ttl?: number },
): number {
  const fl = flowi4({
    oif: opts.oif,
    mark: opts.mark,
    tos: opts.tos & 0xfc,
    proto: 6,
    saddr,
    daddr,
    sport: (tcp[0]! << 8) | tcp[1]!,
    dport: (tcp[2]! << 8) | tcp[3]!,
  });
  const rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') return rt;
  tcp_v4_send_check_full(tcp, saddr, daddr);
  net.kernel.sim.spend(0);
  return ip_push_frames(
    net,
    {
      saddr,
      daddr,
      protocol: IPPROTO_TCP,
      ttl: opts.ttl ?? (net.sysctl.int('net.ipv4.ip_default_ttl') || 64),
      tos: opts.tos,
      df: true,
      sk: null,
      rt,
      icmpType: 0,
      mark: opts.mark,
      priority: 0,
      via: VIA_UNICAST_REPLY,
    },
    tcp,
  );
}
const VIA_UNICAST_REPLY = ['ip_send_unicast_reply', 'ip_push_pending_frames'] as const;
