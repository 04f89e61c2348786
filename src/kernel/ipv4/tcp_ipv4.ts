// net/ipv4/tcp_ipv4.c: tcp_v4_rcv (the inet_protos handler), early demux,
// tcp_v4_do_rcv, connect(), the RSTs and ACKs sent without a full socket,
// tcp_v4_syn_recv_sock and ICMP errors (tcp_v4_err).
import { EAGAIN, EHOSTUNREACH, EINVAL, ENETUNREACH, ENOPROTOOPT, EPROTO } from '../uapi/errno.ts';
import { SOL_TCP } from '../uapi/asm_socket.ts';
import { TCP_CORK, TCP_LINGER2, TCP_MAXSEG, TCP_NODELAY, TCP_SYNCNT } from '../uapi/tcp.ts';
import type { Proto, Sock, SockoptVal } from '../sock.ts';
import { ip_getsockopt, ip_setsockopt } from './ip_sockglue.ts';
import { inet_csk_get_port, inet_hash_listener, inet_unhash } from './inet_hashtables.ts';
import {
  inet_csk_accept,
  inet_shutdown,
  tcp_close,
  tcp_disconnect,
  tcp_poll,
  tcp_recvmsg,
  tcp_sendmsg,
  tcp_set_trace_comm,
} from './tcp.ts';
import { kprobe } from '../trace/probe.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { sock_rps_save_rxhash } from '../core/rps.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_HOST, CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY, type SkBuff } from '../skbuff.ts';
import { IP_PMTUDISC_DONT, RCV_SHUTDOWN } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { flowi4, RTN_LOCAL } from './fib.ts';
import { ICMP_ERR_CONVERT, ip_icmp_error } from './raw.ts';
import { csum_fold, csum_partial, iph_daddr, iph_ihl, iph_saddr, iph_tos, iph_ttl, wr16, wr32 } from './iphdr.ts';
import { ICMPH_CODE, ICMPH_TYPE, ICMP_HEADER_LEN } from '../../wire/icmp.ts';
import {
  TCPH_ACK_SEQ,
  TCPH_DEST,
  TCPH_DOFF,
  TCPH_SEQ,
  TCPH_SOURCE,
  TCPH_WINDOW,
  TCPOPT_TSTAMP_HDR,
  TCP_HEADER_LEN,
  tcph_ack_seq,
  tcph_dest,
  tcph_doff,
  tcph_flags,
  tcph_seq,
  tcph_source,
  tcph_window,
} from '../../wire/tcp.ts';
import { dst_mtu, ip_route_output_key, ipv4_sk_update_pmtu, RTCF_BROADCAST, RTCF_MULTICAST, type Rtable } from './route.ts';
import {
  __inet_lookup_established,
  __inet_lookup_listener,
  between,
  inet_bind_hash,
  inet_ehash_insert,
  inet_ehash_remove,
  inet_hash_connect,
  lock_sock,
  release_sock,
  type RequestSock,
  sk_acceptq_is_full,
  tcp_done_with_error,
  tcp_jiffies32,
  TCP_CLOSE,
  TCP_LISTEN,
  TCP_NEW_SYN_RECV,
  TCP_SYN_RECV,
  TCP_SYN_SENT,
  TCP_TIME_WAIT,
  TCP_ESTABLISHED,
  tcp_set_state,
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_RST,
  TCPHDR_SYN,
  TcpSock,
  type TimewaitSock,
  trace_tcp_send_reset_skb,
  inet_sk_state_store,
  tcp_clock_ms,
  jiffies_to_time,
} from './tcp.ts';
import {
  tcp_listendrop,
  tcp_rcv_established,
  tcp_rcv_state_process,
  tcp_skb_cb,
  tcp_skb_cb_set,
  type TcpCb,
  tcp_drop_reason,
} from './tcp_input.ts';
import {
  inet_csk_reqsk_queue_drop,
  tcp_check_req,
  tcp_create_openreq_child,
  tcp_timewait_state_process,
  TCP_TW_ACK,
  TCP_TW_ACK_OOW,
  TCP_TW_RST,
  TCP_TW_SYN,
} from './tcp_minisocks.ts';
import { dst_metric_advmss, ip_send_unicast_reply, tcp_connect, tcp_initialize_rcv_mss, tcp_sk_route, tcp_sync_mss } from './tcp_output.ts';
import { reqsk_timer_init } from './tcp_timer.ts';

/** skb_checksum_init() + __skb_checksum_complete(): is the TCP checksum good? */
function tcp_csum_ok(skb: SkBuff, saddr: number, daddr: number): boolean {
  if (skb.ipSummed === CHECKSUM_PARTIAL || skb.ipSummed === CHECKSUM_UNNECESSARY) return true;
  const len = skb.len;
  const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + 6 + len;
  return csum_fold(csum_partial(skb.head, skb.data, len, pseudo)) === 0;
}

/** CHECKSUM_BREAK: short segments are verified at once, longer ones where TCP first needs it. */
const CHECKSUM_BREAK = 76;

/** tcp_v4_fill_cb() */
function tcp_v4_fill_cb(skb: SkBuff): TcpCb {
  const b = skb.head;
  const th = skb.data;
  const nh = skb.networkHeader;
  const doff = tcph_doff(b, th);
  const flags = tcph_flags(b, th);
  const len = skb.len - doff * 4;
  const seq = tcph_seq(b, th);
  const cb: TcpCb = {
    seq,
    endSeq: (seq + (flags & TCPHDR_SYN ? 1 : 0) + (flags & TCPHDR_FIN ? 1 : 0) + len) >>> 0,
    ackSeq: tcph_ack_seq(b, th),
    flags,
    window: tcph_window(b, th),
    th,
    doff,
    len,
    tos: iph_tos(b, nh),
    saddr: iph_saddr(b, nh),
    daddr: iph_daddr(b, nh),
    sport: tcph_source(b, th),
    dport: tcph_dest(b, th),
    ttl: iph_ttl(b, nh),
    gsoSize: skb.gsoSize,
  };
  tcp_skb_cb_set(skb, cb);
  return cb;
}

function csum_error(net: Net, skb: SkBuff, location: string, sk: TcpSock | null): number {
  net.mib.inc(MIB.TcpInCsumErrors);
  net.mib.inc(MIB.TcpInErrs);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.TCP_CSUM, location, undefined, sk);
  return 0;
}

/** tcp_v4_rcv(): the inet_protos handler for IPPROTO_TCP. Takes ownership of skb. */
export function tcp_v4_rcv(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'tcp_v4_rcv');
  if (skb.pktType !== PACKET_HOST) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'tcp_v4_rcv');
    return 0;
  }
  net.mib.inc(MIB.TcpInSegs);
  if (!skb.mayPull(TCP_HEADER_LEN)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'tcp_v4_rcv');
    return 0;
  }
  const b = skb.head;
  const th = skb.data;
  const doff = tcph_doff(b, th);
  if (doff < 5) {
    net.mib.inc(MIB.TcpInErrs);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'tcp_v4_rcv');
    return 0;
  }
  if (!skb.mayPull(doff * 4)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'tcp_v4_rcv');
    return 0;
  }
  const nh = skb.networkHeader;
  const saddr = iph_saddr(b, nh);
  const daddr = iph_daddr(b, nh);
  const csumOk = tcp_csum_ok(skb, saddr, daddr);
  if (!csumOk && skb.len <= CHECKSUM_BREAK) return csum_error(net, skb, 'tcp_v4_rcv', null);
  if (csumOk) skb.ipSummed = CHECKSUM_UNNECESSARY;
  const sport = tcph_source(b, th);
  const dport = tcph_dest(b, th);
  let sk = skb.sk && skb.sk instanceof TcpSock ? skb.sk : null;
  // inet_steal_sock(): what tcp_v4_early_demux put in skb->sk
  let e = sk ?? (skb.edemuxSk as TcpSock | RequestSock | TimewaitSock | null);
  skb.edemuxSk = null;
  if (!e) e = __inet_lookup_established(net, saddr, sport, daddr, dport) ?? __inet_lookup_listener(net, daddr, dport, skb.skbIif);
  if (!e) return no_tcp_socket(net, skb, csumOk);
  if (e.kind === 'tw') {
    if (!csumOk) return csum_error(net, skb, 'tcp_v4_rcv', null);
    const cb = tcp_v4_fill_cb(skb);
    return do_time_wait(net, skb, cb, e);
  }
  if (e.kind === 'req') {
    const req = e;
    const lsk = req.listener;
    if (!csumOk) return csum_error(net, skb, 'tcp_v4_rcv', null);
    if (lsk.state !== TCP_LISTEN) {
      inet_csk_reqsk_queue_drop(lsk, req);
      const again = __inet_lookup_established(net, saddr, sport, daddr, dport) ?? __inet_lookup_listener(net, daddr, dport, skb.skbIif);
      if (!again || again.kind !== 'full') return no_tcp_socket(net, skb, csumOk);
      e = again;
    } else {
      const cb = tcp_v4_fill_cb(skb);
      const r = tcp_check_req(lsk, skb, cb, req);
      if (!r.nsk) {
        lsk.drops++;
        kfree_skb_reason(net, skb, r.reason || SKB_DROP_REASON.NOT_SPECIFIED, 'tcp_v4_rcv', undefined, lsk);
        return 0;
      }
      if (r.nsk === lsk) {
        // the listener answers (an ACK that does not fit: RST)
        sk = lsk;
        return process(net, skb, lsk, cb);
      }
      const reason = tcp_child_process(lsk, r.nsk, skb, cb);
      if (reason) {
        tcp_v4_send_reset(r.nsk, skb, cb, rst_reason(reason));
        kfree_skb_reason(net, skb, reason, 'tcp_v4_rcv', undefined, lsk);
      }
      return 0;
    }
  }
  sk = e as TcpSock;
  const cb = tcp_v4_fill_cb(skb);
  if (!csumOk && sk.state !== TCP_ESTABLISHED) {
    // tcp_v4_do_rcv() checks it before the state machine
    return csum_error(net, skb, 'tcp_v4_do_rcv', sk);
  }
  if (!csumOk) {
    sk.net.mib.inc(MIB.TcpInCsumErrors);
    sk.net.mib.inc(MIB.TcpInErrs);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.TCP_CSUM, 'tcp_rcv_established', undefined, sk);
    return 0;
  }
  return process(net, skb, sk, cb);
}

function process(net: Net, skb: SkBuff, sk: TcpSock, cb: TcpCb): number {
  if (sk.minTtl && cb.ttl < sk.minTtl) {
    net.mib.inc(MIB.TcpExtTCPMinTTLDrop);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.TCP_MINTTL, 'tcp_v4_rcv', undefined, sk);
    return 0;
  }
  if (sk.state === TCP_LISTEN) {
    tcp_v4_do_rcv(sk, skb);
    return 0;
  }
  // tcp_segs_in()
  sk.segsIn++;
  if (cb.len) sk.dataSegsIn++;
  if (!sk.ownedByUser) tcp_v4_do_rcv(sk, skb);
  else tcp_add_backlog(sk, skb);
  return 0;
}

/** tcp_add_backlog(): the owner will process it at release_sock(); its route is dropped. */
function tcp_add_backlog(sk: TcpSock, skb: SkBuff): void {
  const net = sk.net;
  kprobe(net, skb, 'tcp_add_backlog');
  skb.dst = null;
  const limit = sk.rcvbuf + (sk.sndbuf >> 1) + 64 * 1024;
  if (sk.backlogLen + skb.truesize() > limit) {
    net.mib.inc(MIB.TcpExtTCPBacklogDrop);
    sk.drops++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.SOCKET_BACKLOG, 'tcp_v4_rcv', undefined, sk);
    return;
  }
  sk.backlog.push(skb);
  sk.backlogLen += skb.truesize();
}

function no_tcp_socket(net: Net, skb: SkBuff, csumOk: boolean): number {
  const cb = tcp_v4_fill_cb(skb);
  if (!csumOk) return csum_error(net, skb, 'tcp_v4_rcv', null);
  tcp_v4_send_reset(null, skb, cb, 'NO_SOCKET');
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NO_SOCKET, 'tcp_v4_rcv');
  return 0;
}

function do_time_wait(net: Net, skb: SkBuff, cb: TcpCb, tw: TimewaitSock): number {
  const r = tcp_timewait_state_process(tw, skb, cb);
  switch (r.status) {
    case TCP_TW_SYN: {
      const sk2 = __inet_lookup_listener(net, cb.daddr, cb.dport, skb.skbIif);
      if (sk2) {
        tw.kill();
        sk2.twIsn = r.isn;
        return process(net, skb, sk2, cb);
      }
      tcp_v4_timewait_ack(tw, skb, cb);
      break;
    }
    case TCP_TW_ACK:
    case TCP_TW_ACK_OOW:
      tcp_v4_timewait_ack(tw, skb, cb);
      break;
    case TCP_TW_RST:
      tcp_v4_send_reset(tw, skb, cb, 'TCP_TIMEWAIT_SOCKET');
      tw.kill();
      kfree_skb_reason(net, skb, r.reason || SKB_DROP_REASON.NOT_SPECIFIED, 'tcp_v4_rcv', undefined, tw);
      return 0;
  }
  kfree_skb_reason(net, skb, r.reason || SKB_DROP_REASON.NOT_SPECIFIED, 'tcp_v4_rcv', undefined, tw);
  return 0;
}

/** tcp_child_process(): the new child takes the ACK that made it. Returns 0 or a reason to reset. */
function tcp_child_process(parent: TcpSock, child: TcpSock, skb: SkBuff, cb: TcpCb): number {
  kprobe(child.net, skb, 'tcp_child_process');
  const state = child.state;
  let ret = 0;
  child.segsIn++;
  if (cb.len) child.dataSegsIn++;
  if (!child.ownedByUser) {
    ret = tcp_rcv_state_process(child, skb, cb);
    if (state === TCP_SYN_RECV && child.state !== state) parent.wq.wakeUp();
  } else tcp_add_backlog(child, skb);
  return ret;
}

/** tcp_v4_do_rcv(): the socket's state machine. Takes ownership of skb. */
export function tcp_v4_do_rcv(sk: TcpSock, skb: SkBuff): number {
  kprobe(sk.net, skb, 'tcp_v4_do_rcv');
  const cb = tcp_skb_cb(skb);
  if (sk.state === TCP_ESTABLISHED) {
    sock_rps_save_rxhash(sk, skb);
    if (sk.rxDst && sk.rxDstIfindex !== skb.skbIif) sk.rxDst = null;
    if (!sk.rxDst && skb.dst && skb.dst.isInput) {
      sk.rxDst = skb.dst;
      sk.rxDstIfindex = skb.skbIif;
    }
    tcp_rcv_established(sk, skb, cb);
    return 0;
  }
  if (sk.state !== TCP_LISTEN) sock_rps_save_rxhash(sk, skb);
  const reason = tcp_rcv_state_process(sk, skb, cb);
  if (reason) {
    tcp_v4_send_reset(sk, skb, cb, rst_reason(reason));
    kfree_skb_reason(sk.net, skb, reason, 'tcp_v4_do_rcv', undefined, sk);
  }
  return 0;
}

/** sk_rst_convert_drop_reason() */
function rst_reason(reason: number): string {
  const name = Object.entries(SKB_DROP_REASON).find(([, v]) => v === reason)?.[0] ?? '';
  const known = [
    'NO_SOCKET',
    'TCP_INVALID_ACK_SEQUENCE',
    'TCP_RFC7323_PAWS',
    'TCP_TOO_OLD_ACK',
    'TCP_ACK_UNSENT_DATA',
    'TCP_FLAGS',
    'TCP_OLD_ACK',
    'TCP_ABORT_ON_DATA',
  ];
  return known.includes(name) ? name : 'NOT_SPECIFIED';
}

/** tcp_v4_early_demux(): an established (or time-wait/request) socket found before routing; its cached input route. */
export function tcp_v4_early_demux(net: Net, skb: SkBuff): void {
  const b = skb.head;
  const nh = skb.networkHeader;
  const th = nh + iph_ihl(b, nh) * 4;
  if (th + TCP_HEADER_LEN > skb.tail) return;
  if (tcph_doff(b, th) < 5) return;
  const e = __inet_lookup_established(net, iph_saddr(b, nh), tcph_source(b, th), iph_daddr(b, nh), tcph_dest(b, th));
  if (!e) return;
  skb.edemuxSk = e;
  if (e.kind === 'full' && e.rxDst && e.rxDstIfindex === skb.skbIif) skb.dst = e.rxDst;
}

/** tcp_v4_send_reset(): a RST answering `skb`, from `sk` or from nobody. */
export function tcp_v4_send_reset(sk: TcpSock | TimewaitSock | null, skb: SkBuff, cb: TcpCb, reason: string): void {
  if (cb.flags & TCPHDR_RST) return;
  const rt = skb.dst;
  if (!sk && (!rt || rt.type !== RTN_LOCAL)) return;
  const net = sk ? sk.net : (skb.dev as import('../core/netdevice.ts').NetDevice).net;
  kprobe(net, skb, 'tcp_v4_send_reset');
  const rep = new Uint8Array(TCP_HEADER_LEN);
  wr16(rep, TCPH_SOURCE, cb.dport);
  wr16(rep, TCPH_DEST, cb.sport);
  let flags = TCPHDR_RST;
  if (cb.flags & TCPHDR_ACK) wr32(rep, TCPH_SEQ, cb.ackSeq);
  else {
    flags |= TCPHDR_ACK;
    wr32(rep, TCPH_ACK_SEQ, (cb.seq + (cb.flags & TCPHDR_SYN ? 1 : 0) + (cb.flags & TCPHDR_FIN ? 1 : 0) + cb.len) >>> 0);
  }
  wr16(rep, TCPH_DOFF, (5 << 12) | flags);
  trace_tcp_send_reset_skb(net, sk, skb, cb, reason);
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  const mark = sk ? sk.mark : 0;
  ip_send_unicast_reply(net, cb.daddr, cb.saddr, rep, { tos: cb.tos & ~3, mark, oif: sk ? sk.bindDev : 0 });
  net.mib.inc(MIB.TcpOutSegs);
  net.mib.inc(MIB.TcpOutRsts);
  cpu.localBhEnable();
}

/** The listener's RST for a request (tcp_v4_send_reset with the listener: reason INVALID_SYN). */
export function tcp_v4_send_reset_req(lsk: TcpSock, skb: SkBuff, cb: TcpCb): void {
  tcp_v4_send_reset(lsk, skb, cb, 'INVALID_SYN');
}

/** tcp_v4_send_ack(): an ACK with no full socket (time-wait, request). */
function tcp_v4_send_ack(
  net: Net,
  cb: TcpCb,
  seq: number,
  ack: number,
  win: number,
  tsval: number,
  tsecr: number,
  tos: number,
  mark: number,
  oif: number,
): void {
  const len = tsecr || tsval ? TCP_HEADER_LEN + 12 : TCP_HEADER_LEN;
  const rep = new Uint8Array(len);
  wr16(rep, TCPH_SOURCE, cb.dport);
  wr16(rep, TCPH_DEST, cb.sport);
  wr32(rep, TCPH_SEQ, seq);
  wr32(rep, TCPH_ACK_SEQ, ack);
  wr16(rep, TCPH_DOFF, ((len >> 2) << 12) | TCPHDR_ACK);
  wr16(rep, TCPH_WINDOW, win);
  if (len > TCP_HEADER_LEN) {
    wr32(rep, TCP_HEADER_LEN, TCPOPT_TSTAMP_HDR);
    wr32(rep, TCP_HEADER_LEN + 4, tsval);
    wr32(rep, TCP_HEADER_LEN + 8, tsecr);
  }
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  ip_send_unicast_reply(net, cb.daddr, cb.saddr, rep, { tos, mark, oif });
  net.mib.inc(MIB.TcpOutSegs);
  cpu.localBhEnable();
}

/** tcp_v4_timewait_ack() */
function tcp_v4_timewait_ack(tw: TimewaitSock, skb: SkBuff, cb: TcpCb): void {
  void skb;
  const net = tw.net;
  const tsval = tw.tstampOk && tw.tsRecentStamp ? (tcp_clock_ms(net) + tw.tsOffset) >>> 0 : 0;
  tcp_v4_send_ack(
    net,
    cb,
    tw.sndNxt,
    tw.rcvNxt,
    Math.floor(tw.rcvWnd / 2 ** tw.rcvWscale),
    tsval,
    tw.tstampOk && tw.tsRecentStamp ? tw.tsRecent : 0,
    tw.tos,
    tw.mark,
    tw.bindDev,
  );
}

/** tcp_v4_reqsk_send_ack(): the ACK of a request in SYN_RECV. */
export function tcp_v4_reqsk_send_ack(lsk: TcpSock, skb: SkBuff, cb: TcpCb, req: RequestSock): void {
  void skb;
  const net = lsk.net;
  const tsval = req.tstampOk ? (tcp_clock_ms(net) + req.tsOff) >>> 0 : 0;
  tcp_v4_send_ack(
    net,
    cb,
    (req.sntIsn + 1) >>> 0,
    (req.rcvIsn + 1) >>> 0,
    Math.floor(req.rcvWnd / 2 ** req.rcvWscale),
    tsval,
    req.tstampOk ? req.tsRecent : 0,
    0,
    lsk.mark,
    0,
  );
}

/** inet_csk_route_req(): the route the SYN-ACK takes (a fib lookup with the request's ports). */
export function inet_csk_route_req(lsk: TcpSock, req: RequestSock): Rtable | null {
  const net = lsk.net;
  const fl = flowi4({
    oif: lsk.bindDev,
    mark: lsk.mark,
    tos: lsk.tos & 0xfc,
    proto: 6,
    saddr: req.rcvSaddr,
    daddr: req.daddr,
    sport: req.sport,
    dport: req.dport,
  });
  const rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') {
    net.mib.inc(MIB.IpOutNoRoutes);
    return null;
  }
  return rt;
}

/** inet_csk_reqsk_queue_hash_add(): the request joins ehash with its SYN-ACK timer. */
export function reqsk_queue_hash_req(lsk: TcpSock, req: RequestSock): void {
  const net = lsk.net;
  reqsk_timer_init(req);
  inet_ehash_insert(net, req);
  lsk.reqs.add(req);
  net.kernel.sim.modTimer(req.timer, jiffies_to_time(net, (tcp_jiffies32(net) + req.timeout) >>> 0));
}

/** tcp_v4_syn_recv_sock(): the child socket, or null when the accept queue is full. */
export function tcp_v4_syn_recv_sock(lsk: TcpSock, skb: SkBuff, cb: TcpCb, req: RequestSock): TcpSock | null {
  const net = lsk.net;
  if (sk_acceptq_is_full(lsk)) {
    net.mib.inc(MIB.TcpExtListenOverflows);
    tcp_listendrop(lsk);
    return null;
  }
  const n = tcp_create_openreq_child(lsk, req, cb);
  // inet_csk_clone_lock() sets the state with its tracepoint
  n.state = TCP_LISTEN;
  inet_sk_state_store(n, TCP_SYN_RECV);
  net.mib.inc(MIB.TcpPassiveOpens);
  if (skb.dst && skb.dst.isInput) {
    n.rxDst = skb.dst;
    n.rxDstIfindex = skb.skbIif;
  }
  n.inetId = net.kernel.sim.rng.u32() & 0xffff;
  // inet_csk_route_child_sock()
  const rt = tcp_sk_route(n);
  if (typeof rt === 'number') {
    tcp_listendrop(lsk);
    return null;
  }
  tcp_sync_mss(n, dst_mtu(rt, net.kernel.now));
  let advmss = dst_metric_advmss(rt, net);
  if (lsk.rxOpt.userMss && lsk.rxOpt.userMss < advmss) advmss = lsk.rxOpt.userMss;
  n.advmss = advmss;
  tcp_initialize_rcv_mss(n);
  // __inet_inherit_port() and inet_ehash_nolisten()
  inet_bind_hash(net, n, lsk.bindPort >= 0 ? lsk.bindPort : lsk.sport);
  inet_ehash_remove(net, req);
  inet_ehash_insert(net, n);
  return n;
}

/** tcp_v4_connect(): route, SYN_SENT, ephemeral port, SYN. Returns 0 or -errno. */
export function tcp_v4_connect(sk: TcpSock, daddr: number, dport: number): number {
  const net = sk.net;
  const origSport = sk.sport;
  // ip_route_connect(): with no source yet, a first lookup to learn it
  const fl = flowi4({
    oif: sk.bindDev,
    mark: sk.mark,
    tos: sk.tos & 0xfc,
    proto: 6,
    saddr: sk.saddr,
    daddr,
    sport: origSport,
    dport,
    flags: origSport ? 0 : 8,
  });
  let rt: Rtable | number;
  if (!fl.saddr) {
    const first = { ...fl };
    rt = ip_route_output_key(net, first);
    if (typeof rt === 'number') {
      if (rt === -ENETUNREACH) net.mib.inc(MIB.IpOutNoRoutes);
      return rt;
    }
    fl.saddr = first.saddr;
  }
  rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') {
    if (rt === -ENETUNREACH) net.mib.inc(MIB.IpOutNoRoutes);
    return rt;
  }
  if (rt.flags & (RTCF_MULTICAST | RTCF_BROADCAST)) return -ENETUNREACH;
  if (!sk.saddr) sk.saddr = fl.saddr;
  sk.rcvSaddr = sk.saddr;
  if (sk.rxOpt.tsRecentStamp && sk.daddr !== daddr) {
    sk.rxOpt.tsRecent = 0;
    sk.rxOpt.tsRecentStamp = 0;
    sk.writeSeq = 0;
  }
  sk.dport = dport;
  sk.daddr = daddr;
  sk.rxOpt.mssClamp = 536;
  tcp_set_state(sk, TCP_SYN_SENT);
  let err = inet_hash_connect(net, sk);
  if (!err) {
    // ip_route_newports(): the port changed, look the route up again
    if (sk.sport !== origSport) {
      const fl2 = { ...fl, sport: sk.sport };
      const rt2 = ip_route_output_key(net, fl2);
      if (typeof rt2 === 'number') err = rt2;
      else rt = rt2;
    }
  }
  if (!err) {
    sk.dstCache = rt;
    const rng = net.kernel.sim.rng;
    if (!sk.writeSeq) sk.writeSeq = rng.u32() || 1;
    sk.tsoffset = rng.u32();
    sk.inetId = rng.u32() & 0xffff;
    err = tcp_connect(sk);
  }
  if (err) {
    tcp_set_state(sk, TCP_CLOSE);
    sk.dport = 0;
    sk.dstCache = null;
  }
  return err;
}

/** tcp_v4_err(): an ICMP error about a segment we sent. */
export function tcp_v4_err(net: Net, skb: SkBuff, info: number): void {
  const b = skb.head;
  const type = b[skb.data + ICMPH_TYPE] as number;
  const code = b[skb.data + ICMPH_CODE] as number;
  const inner = skb.data + ICMP_HEADER_LEN;
  const th = inner + iph_ihl(b, inner) * 4;
  const saddr = iph_saddr(b, inner);
  const daddr = iph_daddr(b, inner);
  const e = __inet_lookup_established(net, daddr, tcph_dest(b, th), saddr, tcph_source(b, th));
  if (!e) {
    net.mib.inc(MIB.IcmpInErrors);
    return;
  }
  if (e.kind === 'tw') return;
  const seq = tcph_seq(b, th);
  if (e.kind === 'req') {
    // tcp_req_err()
    const req = e;
    if (seq !== req.sntIsn) net.mib.inc(MIB.TcpExtOutOfWindowIcmps);
    else if (type === 12 || type === 11 || (type === 3 && (code === 0 || code === 1))) inet_csk_reqsk_queue_drop(req.listener, req);
    return;
  }
  const sk = e;
  if (sk.ownedByUser && !(type === 3 && code === 4)) net.mib.inc(MIB.TcpExtLockDroppedIcmps);
  if (sk.state === TCP_CLOSE) return;
  if (sk.state !== TCP_LISTEN && !between(seq, sk.sndUna, sk.sndNxt)) {
    net.mib.inc(MIB.TcpExtOutOfWindowIcmps);
    return;
  }
  let err: number;
  switch (type) {
    case 5:
    case 4:
      return;
    case 12:
      err = EPROTO;
      break;
    case 3:
      if (code > 15) return;
      if (code === 4) {
        if (sk.state === TCP_LISTEN) return;
        sk.mtuInfo = info;
        if (!sk.ownedByUser) tcp_v4_mtu_reduced(sk, skb);
        return;
      }
      err = (ICMP_ERR_CONVERT[code] as [number, boolean])[0];
      break;
    case 11:
      err = EHOSTUNREACH;
      break;
    default:
      return;
  }
  if (sk.state === TCP_SYN_SENT || sk.state === TCP_SYN_RECV) {
    ip_icmp_error(net, sk, skb, err, type, code, info, b.slice(th, skb.tail));
    if (!sk.ownedByUser) tcp_done_with_error(sk, err);
    else sk.errSoft = err;
    return;
  }
  if (!sk.ownedByUser && sk.recverr) {
    sk.err = err;
    sk.wq.wakeUp();
  } else sk.errSoft = err;
}

/** tcp_v4_mtu_reduced() */
function tcp_v4_mtu_reduced(sk: TcpSock, skb: SkBuff): void {
  if ((1 << sk.state) & ((1 << TCP_LISTEN) | (1 << TCP_CLOSE))) return;
  ipv4_sk_update_pmtu(sk.net, skb, sk, sk.mtuInfo);
  sk.dstCache = null;
  const rt = tcp_sk_route(sk);
  if (typeof rt === 'number') return;
  const mtu = dst_mtu(rt, sk.net.kernel.now);
  if (sk.pmtudisc !== IP_PMTUDISC_DONT && sk.pmtuCookie > mtu) {
    tcp_sync_mss(sk, mtu);
    // tcp_simple_retransmit()
    import_simple_retransmit(sk);
  }
}

import { tcp_retransmit_skb } from './tcp_output.ts';
function import_simple_retransmit(sk: TcpSock): void {
  const seg = sk.rtxQueue[0];
  if (seg) tcp_retransmit_skb(sk, seg);
}

export { lock_sock, release_sock, RCV_SHUTDOWN, TCP_NEW_SYN_RECV, TCP_TIME_WAIT, tcp_drop_reason };

/** do_tcp_setsockopt(): the SOL_TCP options; other levels are ip_setsockopt's. */
function tcp_setsockopt(sk: Sock, level: number, opt: number, val: SockoptVal): number {
  if (level !== SOL_TCP) return ip_setsockopt(sk, level, opt, val);
  const tp = sk as TcpSock;
  const v = typeof val === 'number' ? val : Array.isArray(val) ? val[0] : 0;
  switch (opt) {
    case TCP_NODELAY:
      tp.nonagle = v ? 1 : 0;
      return 0;
    case TCP_CORK:
      tp.nonagle = v ? 2 : 0;
      return 0;
    case TCP_MAXSEG:
      if (v && (v < 88 || v > 65535)) return -EINVAL;
      tp.rxOpt.userMss = v;
      return 0;
    case TCP_LINGER2:
      tp.linger2 = v < 0 ? -1 : v * 250;
      return 0;
    case TCP_SYNCNT:
      if (v < 1 || v > 127) return -EINVAL;
      tp.syncnt = v;
      return 0;
    default:
      return -ENOPROTOOPT;
  }
}

/** do_tcp_getsockopt() */
function tcp_getsockopt(sk: Sock, level: number, opt: number): number {
  if (level !== SOL_TCP) return ip_getsockopt(sk, level, opt);
  const tp = sk as TcpSock;
  switch (opt) {
    case TCP_NODELAY:
      return tp.nonagle & 1;
    case TCP_CORK:
      return tp.nonagle & 2 ? 1 : 0;
    case TCP_MAXSEG:
      return tp.rxOpt.userMss;
    case TCP_SYNCNT:
      return tp.syncnt;
    default:
      return -ENOPROTOOPT;
  }
}

/** struct proto tcp_prot */
export const tcp_prot: Readonly<Proto> = {
  name: 'TCP',
  alloc: (net) => new TcpSock(net),
  close: (sk) => {
    const tp = sk as TcpSock;
    if (tp.fileClosed) return;
    tp.fileClosed = true;
    tcp_set_trace_comm(tp);
    tcp_close(tp);
  },
  connect: (sk, daddr, dport) => tcp_v4_connect(sk as TcpSock, daddr, dport),
  disconnect: (sk) => {
    const tp = sk as TcpSock;
    lock_sock(tp);
    tcp_disconnect(tp);
    release_sock(tp);
    return 0;
  },
  accept: (sk) => {
    const tp = sk as TcpSock;
    lock_sock(tp);
    try {
      const child = inet_csk_accept(tp);
      if (!child) return -EAGAIN;
      child.owner = tp.owner;
      child.ownerPid = tp.ownerPid;
      return child;
    } finally {
      release_sock(tp);
    }
  },
  setsockopt: tcp_setsockopt,
  getsockopt: tcp_getsockopt,
  sendmsg: (sk, data) => {
    tcp_set_trace_comm(sk);
    return tcp_sendmsg(sk as TcpSock, data);
  },
  recvmsg: (sk, len, peek) => {
    tcp_set_trace_comm(sk);
    const r = tcp_recvmsg(sk as TcpSock, len, peek);
    if (typeof r === 'number') return r;
    return { data: r, from: { addr: sk.daddr, port: sk.dport } };
  },
  hash: (sk) => inet_hash_listener(sk.net, sk as TcpSock),
  unhash: (sk) => inet_unhash(sk.net, sk as TcpSock),
  get_port: (sk, snum) => inet_csk_get_port(sk.net, sk as TcpSock, snum),
  poll: (sk) => tcp_poll(sk as TcpSock),
  shutdown: (sk, how) => {
    tcp_set_trace_comm(sk);
    return inet_shutdown(sk as TcpSock, how);
  },
};

// --- /proc/net/tcp (tcp4_seq_show and its three record printers)

import { sock_i_ino } from '../core/sock.ts';
import { be32, hex, jiffies_delta_to_clock_t, jiffies_to_clock_t, pK, seq_pad } from '../fs/seq_file.ts';
import { tcp_hashinfo } from './inet_hashtables.ts';
import {
  ICSK_TIME_LOSS_PROBE as TIME_LOSS_PROBE,
  ICSK_TIME_PROBE0 as TIME_PROBE0,
  ICSK_TIME_REO_TIMEOUT as TIME_REO_TIMEOUT,
  ICSK_TIME_RETRANS as TIME_RETRANS,
  TCP_INFINITE_SSTHRESH,
  TCP_LISTEN as LISTEN,
  TCP_SYN_RECV as SYN_RECV,
} from './tcp.ts';
import { pingpong_thresh } from './tcp_output.ts';

/** TMPSZ - 1: the width every /proc/net/tcp record is padded to. */
const TCP_SEQ_WIDTH = 149;

/** The sim timer's expiry in jiffies (the wheel may fire a little later). */
function timer_jiffies(net: Net, expiresNs: number): number {
  const k = net.kernel;
  return (k.jiffies() + Math.trunc(((expiresNs - k.now) * k.HZ) / 1e9)) >>> 0;
}

/** expires - jiffies as a signed delta. */
function jdelta(net: Net, expires: number): number {
  return ((expires >>> 0) - (net.kernel.jiffies() >>> 0)) | 0;
}

/** get_tcp4_sock(): a listening or connected socket. */
function get_tcp4_sock(sk: TcpSock, i: number): string {
  const net = sk.net;
  const hz = net.kernel.HZ;
  const p = sk.icskPending;
  let timerActive = 0;
  let expires = net.kernel.jiffies();
  if (p === TIME_RETRANS || p === TIME_REO_TIMEOUT || p === TIME_LOSS_PROBE) {
    timerActive = 1;
    expires = sk.icskTimeout;
  } else if (p === TIME_PROBE0) {
    timerActive = 4;
    expires = sk.icskTimeout;
  } else if (sk.keepaliveTimer && sk.keepaliveTimer.expires >= 0) {
    timerActive = 2;
    expires = timer_jiffies(net, sk.keepaliveTimer.expires);
  }
  const state = sk.state;
  const rxQueue = state === LISTEN ? sk.acceptQueue.length : Math.max((sk.rcvNxt - sk.copiedSeq) | 0, 0);
  // every armed timer holds a reference (sk_reset_timer → sock_hold), a cleared one until it would have fired
  const now = net.kernel.now;
  const armed = (t: { expires: number }, staleNs: number): number => (t.expires >= 0 || staleNs > now ? 1 : 0);
  const refcnt = 1 + armed(sk.retransTimer, sk.retransStaleNs) + armed(sk.delackTimer, sk.delackStaleNs) + (timerActive === 2 ? 1 : 0);
  const pingpong = sk.ack.pingpong >= pingpong_thresh(sk) ? 1 : 0;
  const ssthresh = state === LISTEN ? 0 : sk.sndSsthresh >= TCP_INFINITE_SSTHRESH ? -1 : sk.sndSsthresh;
  return (
    `${String(i).padStart(4)}: ${be32(sk.rcvSaddr)}:${hex(sk.sport, 4)} ${be32(sk.daddr)}:${hex(sk.dport, 4)} ${hex(state, 2)} ` +
    `${hex(sk.writeSeq - sk.sndUna, 8)}:${hex(rxQueue, 8)} ${hex(timerActive, 2)}:${hex(jiffies_delta_to_clock_t(jdelta(net, expires), hz), 8)} ` +
    `${hex(sk.retransmits, 8)} ${String(0).padStart(5)} ${String(sk.probesOut).padStart(8)} ${sock_i_ino(sk)} ${refcnt} ${pK(sk.cookie)} ` +
    `${jiffies_to_clock_t(sk.rto, hz)} ${jiffies_to_clock_t(sk.ack.ato, hz)} ${(sk.ack.quick << 1) | pingpong} ${sk.sndCwnd} ${ssthresh}`
  );
}

/** get_openreq4(): a request socket (SYN_RECV), whose only timer is the SYN-ACK's. */
function get_openreq4(req: RequestSock, i: number): string {
  const net = req.net;
  const expires = req.timer && req.timer.expires >= 0 ? timer_jiffies(net, req.timer.expires) : net.kernel.jiffies();
  return (
    `${String(i).padStart(4)}: ${be32(req.rcvSaddr)}:${hex(req.sport, 4)} ${be32(req.daddr)}:${hex(req.dport, 4)} ${hex(SYN_RECV, 2)} ` +
    `${hex(0, 8)}:${hex(0, 8)} ${hex(1, 2)}:${hex(jiffies_delta_to_clock_t(jdelta(net, expires), net.kernel.HZ), 8)} ` +
    `${hex(req.numTimeout, 8)} ${String(0).padStart(5)} ${String(0).padStart(8)} 0 0 ${pK(req.cookie)}`
  );
}

/** get_timewait4_sock(): tr 3, the time-wait timer; no inode, uid 0. */
function get_timewait4_sock(net: Net, tw: TimewaitSock, i: number): string {
  return (
    `${String(i).padStart(4)}: ${be32(tw.rcvSaddr)}:${hex(tw.sport, 4)} ${be32(tw.daddr)}:${hex(tw.dport, 4)} ${hex(tw.substate, 2)} ` +
    `${hex(0, 8)}:${hex(0, 8)} ${hex(3, 2)}:${hex(jiffies_delta_to_clock_t(jdelta(net, tw.timerJiffies), net.kernel.HZ), 8)} ` +
    `${hex(0, 8)} ${String(0).padStart(5)} ${String(0).padStart(8)} 0 3 ${pK(tw.cookie)}`
  );
}

/**
 * tcp4_seq_show(): /proc/net/tcp of a namespace — the listening hash, then the
 * established hash (connections, requests, time-wait), numbered in one run.
 * Linux walks its hash buckets, whose order follows a per-boot secret; skbpath
 * lists listeners in the order they listened and connections as ss shows them.
 */
export function tcp4_seq_show(net: Net): string {
  let s = seq_pad('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode', TCP_SEQ_WIDTH);
  const h = tcp_hashinfo(net);
  let i = 0;
  for (const sk of h.listeners) s += seq_pad(get_tcp4_sock(sk, i++), TCP_SEQ_WIDTH);
  for (const e of h.ehash.values()) {
    if (e.kind === 'full') {
      if (e.state === LISTEN) continue;
      s += seq_pad(get_tcp4_sock(e, i++), TCP_SEQ_WIDTH);
    } else if (e.kind === 'tw') s += seq_pad(get_timewait4_sock(net, e, i++), TCP_SEQ_WIDTH);
    else s += seq_pad(get_openreq4(e, i++), TCP_SEQ_WIDTH);
  }
  return s;
}
