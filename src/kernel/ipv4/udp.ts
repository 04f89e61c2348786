// net/ipv4/udp.c + datagram.c, the part the foundation needs: connect() (route
// and source address, as ping's probe uses it) and udp_rcv() with port
// unreachable for datagrams no socket wants.
import { kprobe } from '../trace/probe.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { sock_rps_record_flow, sock_rps_save_rxhash } from '../core/rps.ts';
import type { Net } from '../net_namespace.ts';
import { CHECKSUM_PARTIAL, PACKET_HOST, type SkBuff } from '../skbuff.ts';
import { IP_PMTUDISC_DO, IP_PMTUDISC_DONT, IP_PMTUDISC_PROBE, IPPROTO_UDP, type Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { flowi4, RT_SCOPE_LINK } from './fib.ts';
import { icmp_send } from './icmp.ts';
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from '../../wire/icmp.ts';
import { csum_fold, csum_partial, iph_daddr, iph_ihl, iph_saddr, wr16 } from './iphdr.ts';
import { ICMPH_CODE, ICMPH_TYPE, ICMP_HEADER_LEN } from '../../wire/icmp.ts';
import {
  UDPH_CHECK,
  UDPH_DEST,
  UDPH_LEN,
  UDPH_SOURCE,
  UDP_HEADER_LEN,
  udph_check,
  udph_dest,
  udph_len,
  udph_source,
} from '../../wire/udp.ts';
import { dst_mtu, ip_route_output_key, ipv4_sk_update_pmtu, RTCF_BROADCAST, RTCF_MULTICAST, type Rtable } from './route.ts';
import { ip_dont_fragment, ip_push_frames } from './ip_output.ts';
import { ICMP_ERR_CONVERT, ip_icmp_error } from './raw.ts';
import { ICMP_DEST_UNREACH as ICMP_DU, ICMP_FRAG_NEEDED, ICMP_PARAMETERPROB, ICMP_REDIRECT, ICMP_SOURCE_QUENCH } from '../../wire/icmp.ts';
import {
  EACCES,
  EADDRINUSE,
  EAGAIN,
  EDESTADDRREQ,
  EHOSTUNREACH,
  EINVAL,
  EMSGSIZE,
  ENETUNREACH,
  ENOPROTOOPT,
  EPROTO,
  ENOBUFS,
} from '../uapi/errno.ts';
import { SOL_UDP } from '../uapi/asm_socket.ts';
import { Sock as SockObj, type Proto } from '../sock.ts';
import { ip_getsockopt, ip_setsockopt } from './ip_sockglue.ts';
import { dgram_sk_common_release } from './raw.ts';

/** inet_csk_get_port/udp_lib_get_port with snum 0: a free port in ip_local_port_range. */
export function udp_autobind(net: Net, sk: Sock): number {
  const [lo, hi] = (net.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split('\t').map(Number) as [number, number];
  const span = hi - lo + 1;
  let p = lo + (net.kernel.sim.rng.u32() % span);
  for (let i = 0; i < span; i++) {
    if (!net.udpSockets.some((s) => s.sport === p)) {
      sk.sport = p;
      sk.bound = true;
      if (!net.udpSockets.includes(sk)) net.udpSockets.push(sk);
      return 0;
    }
    p = p === hi ? lo : p + 1;
  }
  return -EAGAIN;
}

/** __ip4_datagram_connect(): route (twice when the source is unset), pick the source, autobind. */
export function ip4_datagram_connect(net: Net, sk: Sock, daddr: number, dport: number): number {
  const fl = flowi4({
    daddr,
    saddr: sk.saddr,
    proto: sk.protocol,
    sport: sk.sport || 0,
    dport,
    oif: sk.bindDev,
    mark: sk.mark,
    tos: sk.tos & 0xfc,
    // ip_sock_rt_scope(): SO_DONTROUTE looks up on-link routes only
    scope: sk.localroute ? RT_SCOPE_LINK : 0,
  });
  let rt: Rtable | number;
  if (!fl.saddr || !fl.daddr) {
    // ip_route_connect(): a first lookup to learn the source, then the real one
    const first = { ...fl, sport: fl.sport || pseudoPort(net) };
    rt = ip_route_output_key(net, first);
    if (typeof rt === 'number') {
      if (rt === -ENETUNREACH) net.mib.inc(MIB.IpOutNoRoutes);
      return rt;
    }
    fl.saddr = first.saddr;
    fl.sport = first.sport;
  }
  rt = ip_route_output_key(net, fl);
  if (typeof rt === 'number') {
    if (rt === -ENETUNREACH) net.mib.inc(MIB.IpOutNoRoutes);
    return rt;
  }
  if (rt.flags & RTCF_BROADCAST && !sk.broadcast) return -EACCES;
  if (!sk.saddr) sk.saddr = fl.saddr;
  if (!sk.rcvSaddr) sk.rcvSaddr = fl.saddr;
  sk.daddr = daddr;
  sk.dport = dport;
  sk.connected = true;
  sk.dstCache = rt;
  if (!sk.sport && sk.protocol === IPPROTO_UDP) udp_autobind(net, sk);
  return 0;
}

function pseudoPort(net: Net): number {
  return 32768 + (net.kernel.sim.rng.u32() % 28232);
}

/** udp_rcv() → __udp4_lib_rcv(). Takes ownership of skb. */
export function udp_rcv(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'udp_rcv');
  kprobe(net, skb, '__udp4_lib_rcv');
  const b = skb.head;
  const o = skb.data;
  if (!skb.mayPull(UDP_HEADER_LEN)) return short(net, skb);
  const ulen = udph_len(b, o);
  if (ulen > skb.len || ulen < UDP_HEADER_LEN) return short(net, skb);
  if (ulen < skb.len) skb.trim(ulen);
  const nh = skb.networkHeader;
  const saddr = iph_saddr(b, nh);
  const daddr = iph_daddr(b, nh);
  const check = udph_check(b, o);
  if (check !== 0 && skb.ipSummed !== CHECKSUM_PARTIAL) {
    let sum = csum_partial(b, o, ulen);
    sum += (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_UDP + ulen;
    if (csum_fold(sum) !== 0) {
      net.mib.inc(MIB.UdpInCsumErrors);
      net.mib.inc(MIB.UdpInErrors);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.UDP_CSUM, '__udp4_lib_rcv');
      return 0;
    }
  }
  const sport = udph_source(b, o);
  const dport = udph_dest(b, o);
  const rt = skb.dst;
  // inet_steal_sock(): the connected socket udp_v4_early_demux found keeps this input route (sk_rx_dst)
  const stolen = skb.edemuxSk as Sock | null;
  if (stolen && !stolen.closed) {
    if (rt && stolen.rxDst !== rt) stolen.rxDst = rt;
    kprobe(net, skb, 'udp_unicast_rcv_skb');
    kprobe(net, skb, 'udp_queue_rcv_skb');
    udp_queue_rcv_one_skb(net, stolen, skb);
    return 0;
  }
  if (rt && rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return __udp4_lib_mcast_deliver(net, skb, saddr, sport, daddr, dport);
  const sk = udp4_lib_lookup(net, saddr, sport, daddr, dport);
  if (sk) {
    kprobe(net, skb, 'udp_unicast_rcv_skb');
    kprobe(net, skb, 'udp_queue_rcv_skb');
    udp_queue_rcv_one_skb(net, sk, skb);
    return 0;
  }
  net.mib.inc(MIB.UdpNoPorts);
  icmp_send(net, skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NO_SOCKET, '__udp4_lib_rcv');
  return 0;
}

/**
 * udp_v4_early_demux(): before routing, a unicast datagram for a connected
 * socket (the first socket of the address-and-port slot, matching all four
 * of the tuple) takes that socket and its cached input route, if it has one.
 * Multicast demux is not modelled.
 */
export function udp_v4_early_demux(net: Net, skb: SkBuff): void {
  if (!net.sysctl.int('net.ipv4.udp_early_demux') || skb.pktType !== PACKET_HOST) return;
  const b = skb.head;
  const nh = skb.networkHeader;
  const uh = nh + iph_ihl(b, nh) * 4;
  if (uh + UDP_HEADER_LEN > skb.tail) return;
  const daddr = iph_daddr(b, nh);
  const dport = udph_dest(b, uh);
  // __udp4_lib_demux_lookup(): only the first socket in the hslot2 chain (the newest bound there)
  let first: Sock | null = null;
  for (const sk of net.udpSockets) if (!sk.closed && sk.sport === dport && sk.rcvSaddr === daddr) first = sk;
  if (!first || first.daddr !== iph_saddr(b, nh) || first.dport !== udph_source(b, uh)) return;
  skb.edemuxSk = first;
  const dst = first.rxDst;
  if (dst) skb.dst = dst;
}

/**
 * __udp4_lib_mcast_deliver(): a clone to every socket bound to the port, the
 * original to the first; nobody listening is UdpIgnoredMulti, and no ICMP.
 */
function __udp4_lib_mcast_deliver(net: Net, skb: SkBuff, saddr: number, sport: number, daddr: number, dport: number): number {
  const socks = net.udpSockets.filter(
    (sk) =>
      !sk.closed &&
      sk.sport === dport &&
      (!sk.rcvSaddr || sk.rcvSaddr === daddr) &&
      (!sk.daddr || sk.daddr === saddr) &&
      (!sk.dport || sk.dport === sport),
  );
  const first = socks[0];
  if (!first) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, '__udp4_lib_mcast_deliver');
    net.mib.inc(MIB.UdpIgnoredMulti);
    return 0;
  }
  for (const sk of socks.slice(1)) udp_queue_rcv_one_skb(net, sk, skb.clone());
  udp_queue_rcv_one_skb(net, first, skb);
  return 0;
}

/** udp_queue_rcv_one_skb() → __udp_queue_rcv_skb() → __udp_enqueue_schedule_skb(). */
function udp_queue_rcv_one_skb(net: Net, sk: Sock, skb: SkBuff): void {
  kprobe(net, skb, 'udp_queue_rcv_one_skb');
  // a tunnel's socket (setup_udp_tunnel_sock): encap_rcv takes the datagram
  if (sk.encapRcv) {
    const ret = sk.encapRcv(sk, skb);
    if (ret <= 0) {
      net.mib.inc(MIB.UdpInDatagrams);
      return;
    }
  }
  // __udp_queue_rcv_skb(): a connected socket remembers its flow's hash (RFS)
  if (sk.daddr) sock_rps_save_rxhash(sk, skb);
  const rmem = sk.rcvQueueBytes;
  const size = skb.truesize();
  // a full queue drops at once; a small buffer always takes one datagram
  if (sk.closed || (rmem + size > sk.rcvbuf && (sk.rcvbuf > 0x3fffffff || rmem > sk.rcvbuf))) {
    sk.drops++;
    net.mib.inc(MIB.UdpRcvbufErrors);
    net.mib.inc(MIB.UdpInErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.SOCKET_RCVBUFF, 'udp_queue_rcv_one_skb', undefined, sk);
    return;
  }
  kprobe(net, skb, '__udp_enqueue_schedule_skb');
  skb.sk = sk;
  sk.rcvQueue.push(skb);
  sk.rcvQueueBytes += size;
  sk.wq.wakeUp();
}

function short(net: Net, skb: SkBuff): number {
  net.mib.inc(MIB.UdpInErrors);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, '__udp4_lib_rcv');
  return 0;
}

/** __udp4_lib_lookup(): the best-scoring bound socket. */
export function udp4_lib_lookup(net: Net, saddr: number, sport: number, daddr: number, dport: number): Sock | null {
  let best: Sock | null = null;
  let bestScore = -1;
  for (const sk of net.udpSockets) {
    if (sk.sport !== dport || sk.closed) continue;
    let score = 0;
    if (sk.rcvSaddr) {
      if (sk.rcvSaddr !== daddr) continue;
      score += 4;
    }
    if (sk.daddr) {
      if (sk.daddr !== saddr) continue;
      score += 4;
    }
    if (sk.dport) {
      if (sk.dport !== sport) continue;
      score += 4;
    }
    if (score > bestScore) {
      best = sk;
      bestScore = score;
    }
  }
  return best;
}

/** udp_sendmsg() → ip_make_skb() → udp_send_skb(): one datagram. Returns bytes sent or -errno. */
const VIA_UDP = ['ip_make_skb', 'udp_send_skb'] as const;

export function udp_sendmsg(net: Net, sk: Sock, payload: Uint8Array, to?: { daddr: number; dport: number }): number {
  // inet_send_prepare() → sock_rps_record_flow()
  sock_rps_record_flow(net.kernel, sk, sk.state === 1);
  let daddr: number;
  let dport: number;
  let rt: Rtable | number | null = null;
  let saddr = sk.saddr;
  if (to) {
    daddr = to.daddr;
    dport = to.dport;
    if (dport === 0) return -EINVAL;
  } else {
    if (!sk.connected) return -EDESTADDRREQ;
    daddr = sk.daddr;
    dport = sk.dport;
    rt = sk.dstCache;
  }
  if (!sk.sport && udp_autobind(net, sk) < 0) return -EAGAIN;
  const ulen = 8 + payload.length;
  if (ulen > 0xffff - 20) return -EMSGSIZE;
  if (!rt) {
    const fl = flowi4({ daddr, saddr, proto: IPPROTO_UDP, sport: sk.sport, dport, oif: sk.bindDev, mark: sk.mark, tos: sk.tos & 0xfc });
    rt = ip_route_output_key(net, fl);
    if (typeof rt === 'number') {
      if (rt === -ENETUNREACH) net.mib.inc(MIB.IpOutNoRoutes);
      return rt;
    }
    if (rt.flags & RTCF_BROADCAST && !sk.broadcast) return -EACCES;
    saddr = fl.saddr;
  }
  if (!saddr) saddr = rt.src;
  // __ip_append_data() → sock_alloc_send_skb(): a pending error (an ICMP
  // port unreachable on a connected socket) is reported here, once
  if (sk.err) {
    const e = sk.err;
    sk.err = 0;
    net.mib.inc(MIB.IpOutDiscards);
    return -e;
  }
  const mtu = dst_mtu(rt, net.kernel.now);
  const pmtuDo = sk.pmtudisc === IP_PMTUDISC_DO || sk.pmtudisc === IP_PMTUDISC_PROBE;
  if (pmtuDo && ulen + 20 > mtu) return -EMSGSIZE;
  const u = new Uint8Array(ulen);
  wr16(u, UDPH_SOURCE, sk.sport);
  wr16(u, UDPH_DEST, dport);
  wr16(u, UDPH_LEN, ulen);
  u.set(payload, UDP_HEADER_LEN);
  // __ip_append_data(): a device with checksum offload gets CHECKSUM_PARTIAL when it fits
  const partial = ulen + 20 <= mtu;
  const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_UDP + ulen;
  if (partial) {
    // udp4_hwcsum(): the pseudo-header sum, folded, for the device to finish
    wr16(u, UDPH_CHECK, ~csum_fold(pseudo) & 0xffff);
  } else {
    const c = csum_fold(csum_partial(u, 0, ulen, pseudo));
    wr16(u, UDPH_CHECK, c === 0 ? 0xffff : c);
  }
  const err = ip_push_frames(
    net,
    {
      saddr,
      daddr,
      protocol: IPPROTO_UDP,
      ttl: sk.ttl >= 0 ? sk.ttl : net.sysctl.int('net.ipv4.ip_default_ttl') || 64,
      tos: sk.tos,
      df: pmtuDo || (ulen + 20 <= mtu && ip_dont_fragment(sk, rt)),
      sk,
      rt,
      icmpType: 0,
      mark: sk.mark,
      priority: 0,
      csumPartial: partial,
      via: VIA_UDP,
    },
    u,
  );
  if (err) {
    // udp_send_skb(): a dropped send (net_xmit_errno's -ENOBUFS) is a buffer error, not the caller's
    if (err === -ENOBUFS && !sk.recverr) {
      net.mib.inc(MIB.UdpSndbufErrors);
      return payload.length;
    }
    return err;
  }
  net.mib.inc(MIB.UdpOutDatagrams);
  return payload.length;
}

/**
 * udp_recvmsg(): the next datagram, cut to `len` (UdpInDatagrams counts
 * what is read, not what arrives). -EAGAIN when none is queued.
 */
export function udp_recvmsg(
  net: Net,
  sk: Sock,
  len: number,
  peek: boolean,
): { data: Uint8Array; from: { addr: number; port: number } } | number {
  net.kernel.syscallEnter();
  // inet_recvmsg() → sock_rps_record_flow()
  sock_rps_record_flow(net.kernel, sk, sk.state === 1);
  const skb = sk.rcvQueue[0];
  if (!skb) {
    if (sk.err) {
      const e = sk.err;
      sk.err = 0;
      return -e;
    }
    if (sk.shutdown & 1) return { data: new Uint8Array(0), from: { addr: 0, port: 0 } };
    return -EAGAIN;
  }
  const b = skb.head;
  const uh = skb.data;
  const ulen = udph_len(b, uh);
  const data = b.slice(uh + UDP_HEADER_LEN, uh + Math.min(ulen, skb.len)).slice(0, len);
  const from = { addr: iph_saddr(b, skb.networkHeader), port: udph_source(b, uh) };
  if (!peek) {
    sk.rcvQueue.shift();
    sk.rcvQueueBytes -= skb.truesize();
    net.mib.inc(MIB.UdpInDatagrams);
    skb.release();
  }
  return { data, from };
}

/** udp_disconnect(): connect(AF_UNSPEC). */
export function udp_disconnect(sk: Sock): void {
  sk.daddr = 0;
  sk.dport = 0;
  sk.connected = false;
  sk.dstCache = null;
  sk.state = 7;
  if (!(sk.userlocks & 4)) {
    sk.rcvSaddr = 0;
    sk.saddr = 0;
  }
}

/** udp_err() → __udp4_lib_err(): an ICMP error about a datagram one of our sockets sent. */
export function udp_err(net: Net, skb: SkBuff, info: number): void {
  const b = skb.head;
  const type = b[skb.data + ICMPH_TYPE] as number;
  const code = b[skb.data + ICMPH_CODE] as number;
  const inner = skb.data + ICMP_HEADER_LEN;
  const ihl = iph_ihl(b, inner) * 4;
  const uh = inner + ihl;
  const sk = udp4_lib_lookup(net, iph_daddr(b, inner), udph_dest(b, uh), iph_saddr(b, inner), udph_source(b, uh));
  if (!sk) {
    net.mib.inc(MIB.IcmpInErrors);
    return;
  }
  let err = 0;
  let harderr = false;
  switch (type) {
    case ICMP_SOURCE_QUENCH:
      return;
    case ICMP_PARAMETERPROB:
      err = EPROTO;
      harderr = true;
      break;
    case ICMP_DU:
      if (code === ICMP_FRAG_NEEDED) {
        ipv4_sk_update_pmtu(net, skb, sk, info);
        if (sk.pmtudisc !== IP_PMTUDISC_DONT) {
          err = EMSGSIZE;
          harderr = true;
          break;
        }
        return;
      }
      err = EHOSTUNREACH;
      if (code <= 15) {
        const c = ICMP_ERR_CONVERT[code] as [number, boolean];
        err = c[0];
        harderr = c[1];
      }
      break;
    case ICMP_REDIRECT:
      return;
    default:
      err = EHOSTUNREACH; // ICMP_TIME_EXCEEDED and the rest
  }
  if (!sk.recverr) {
    if (!harderr || !sk.connected) return;
  } else {
    ip_icmp_error(net, sk, skb, err, type, code, info, b.slice(uh + 8, skb.tail));
  }
  sk.err = err;
  sk.wq.wakeUp();
}

/** udp_v4_get_port(): the port bind() asked for, unless another socket holds it; 0 picks one. */
function udp_v4_get_port(sk: Sock, snum: number): number {
  const net = sk.net;
  const addr = sk.rcvSaddr;
  if (
    snum &&
    net.udpSockets.some(
      (s) =>
        s !== sk &&
        s.sport === snum &&
        (!s.rcvSaddr || !addr || s.rcvSaddr === addr) &&
        !(s.reuseaddr && sk.reuseaddr) &&
        !(s.reuseport && sk.reuseport),
    )
  )
    return -EADDRINUSE;
  if (snum) sk.sport = snum;
  else if (udp_autobind(net, sk) < 0) return -EAGAIN;
  udp_lib_hash(sk);
  return 0;
}

function udp_lib_hash(sk: Sock): void {
  if (!sk.net.udpSockets.includes(sk)) sk.net.udpSockets.push(sk);
}

function udp_lib_unhash(sk: Sock): void {
  const i = sk.net.udpSockets.indexOf(sk);
  if (i >= 0) sk.net.udpSockets.splice(i, 1);
}

/** struct proto udp_prot */
export const udp_prot: Readonly<Proto> = {
  name: 'UDP',
  alloc: (net, type, protocol) => new SockObj(net, type, protocol),
  close: (sk) => dgram_sk_common_release(sk),
  connect: (sk, daddr, dport) => {
    // inet_dgram_connect() → inet_autobind()
    if (!sk.sport && udp_autobind(sk.net, sk) < 0) return -EAGAIN;
    return ip4_datagram_connect(sk.net, sk, daddr, dport);
  },
  disconnect: (sk) => {
    udp_disconnect(sk);
    return 0;
  },
  setsockopt: (sk, level, opt, val) => (level === SOL_UDP ? -ENOPROTOOPT : ip_setsockopt(sk, level, opt, val)),
  getsockopt: (sk, level, opt) => (level === SOL_UDP ? -ENOPROTOOPT : ip_getsockopt(sk, level, opt)),
  sendmsg: (sk, data, to) => {
    sk.net.kernel.syscallEnter();
    return udp_sendmsg(sk.net, sk, data, to);
  },
  recvmsg: (sk, len, peek) => udp_recvmsg(sk.net, sk, len, peek),
  hash: udp_lib_hash,
  unhash: udp_lib_unhash,
  get_port: udp_v4_get_port,
};

// --- /proc/net/udp (udp4_seq_show, udp4_format_sock)

import { sock_i_ino } from '../core/sock.ts';
import { be32, hex, pK, seq_pad } from '../fs/seq_file.ts';

/** The mask of udp_table on the oracle's machine ("UDP hash table entries: 16384"). */
const UDP_HTABLE_MASK = 16383;

/** udp4_format_sock(): one socket; `bucket` is its slot in udp_table. */
function udp4_format_sock(sk: Sock, bucket: number): string {
  return (
    `${String(bucket).padStart(5)}: ${be32(sk.rcvSaddr)}:${hex(sk.sport, 4)} ${be32(sk.daddr)}:${hex(sk.dport, 4)} ${hex(sk.state, 2)} ` +
    `${hex(0, 8)}:${hex(sk.rcvQueueBytes, 8)} 00:${hex(0, 8)} ${hex(0, 8)} ${String(0).padStart(5)} ${String(0).padStart(8)} ` +
    `${sock_i_ino(sk)} 2 ${pK(sk.ino || sk.sport)} ${sk.drops}`
  );
}

/**
 * udp4_seq_show(): /proc/net/udp of a namespace, slot by slot. A slot is
 * udp_hashfn() = (port + net_hash_mix(net)) & mask; Linux's mix is random per
 * namespace, skbpath's is 0.
 */
export function udp4_seq_show(net: Net): string {
  let s = seq_pad(
    '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
    127,
  );
  const socks = net.udpSockets.filter((sk) => sk.sport !== 0).map((sk) => ({ sk, bucket: sk.sport & UDP_HTABLE_MASK }));
  socks.sort((a, b) => a.bucket - b.bucket);
  for (const { sk, bucket } of socks) s += seq_pad(udp4_format_sock(sk, bucket), 127);
  return s;
}
