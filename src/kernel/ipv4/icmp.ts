// net/ipv4/icmp.c: receiving ICMP (icmp_rcv and its handlers), answering
// echo requests (icmp_reply) and sending errors (__icmp_send) with Linux's
// rules and rate limits.
import { kprobe } from '../trace/probe.ts';
import { IFF_LOOPBACK } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_HOST, type SkBuff } from '../skbuff.ts';
import { IPPROTO_ICMP } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import {
  ICMP_ADDRESS,
  ICMP_ADDRESSREPLY,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_FRAG_NEEDED,
  ICMPH_CHECKSUM,
  ICMPH_CODE,
  ICMPH_FRAG_MTU,
  ICMPH_GATEWAY,
  ICMPH_POINTER,
  ICMPH_TYPE,
  ICMP_HEADER_LEN,
  ICMP_PARAMETERPROB,
  ICMP_REDIRECT,
  ICMP_SOURCE_QUENCH,
  ICMP_TIME_EXCEEDED,
  ICMP_TIMESTAMP,
  ICMP_TIMESTAMPREPLY,
  NR_ICMP_TYPES,
  NR_ICMP_UNREACH,
  icmph_echo_id,
  icmph_frag_mtu,
  icmph_gateway,
  icmph_type,
} from '../../wire/icmp.ts';
import { IPV4_HEADER_LEN } from '../../wire/ipv4.ts';
import { tcph_dest, tcph_source } from '../../wire/tcp.ts';
import { MIB } from '../trace/snmp.ts';
import { flowi4, RT_SCOPE_LINK, RTN_LOCAL, type Flowi4 } from './fib.ts';
import { inet_select_addr } from './devinet.ts';
import { fib_compute_spec_dst, ip_options_echo, type IpOptions } from './ip_options.ts';
import { ip_push_frames } from './ip_output.ts';
import {
  csum_fold,
  csum_partial,
  IP_OFFSET,
  iph_daddr,
  iph_frag_off,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  wr16,
  wr32,
} from './iphdr.ts';
import { ping_rcv } from './ping.ts';
import { raw_icmp_error } from './raw.ts';
import {
  dst_mtu,
  inet_addr_type_dev_table,
  ip_route_input_noref,
  ip_route_output_key,
  RTCF_BROADCAST,
  RTCF_LOCAL,
  RTCF_MULTICAST,
  type Rtable,
} from './route.ts';

const IPTOS_TOS_MASK = 0x1e;
const IPTOS_PREC_INTERNETCONTROL = 0xc0;

/** icmp_pointers[type].error */
function icmp_is_error(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

/** icmp_out_count(): IcmpMsgOutType<N> and IcmpOutMsgs. */
export function icmp_out_count(net: Net, type: number): void {
  net.mib.icmpMsgOut(type);
  net.mib.inc(MIB.IcmpOutMsgs);
}

/** The ICMP checksum over b[o, o+len). */
export function icmp_checksum(b: Uint8Array, o: number, len: number): number {
  return csum_fold(csum_partial(b, o, len));
}

/** icmp_rcv(): the inet_protos handler for IPPROTO_ICMP. Takes ownership of skb. */
export function icmp_rcv(net: Net, skb: SkBuff): number {
  const rt = skb.dst as Rtable;
  kprobe(net, skb, 'icmp_rcv');
  net.mib.inc(MIB.IcmpInMsgs);
  // skb_checksum_simple_validate() before pskb_pull() of the header
  if (icmp_checksum(skb.head, skb.data, skb.len) !== 0) {
    net.mib.inc(MIB.IcmpInCsumErrors);
    net.mib.inc(MIB.IcmpInErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.ICMP_CSUM, 'icmp_rcv');
    return 0;
  }
  if (!skb.mayPull(ICMP_HEADER_LEN)) {
    net.mib.inc(MIB.IcmpInErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'icmp_rcv', () => `an ICMP message shorter than its 8-byte header`);
    return 0;
  }
  const b = skb.head;
  const o = skb.data;
  const type = icmph_type(b, o);
  skb.transportHeader = o;
  net.mib.icmpMsgIn(type);
  if (type === ICMP_ECHOREPLY) {
    const reason = ping_rcv(net, skb);
    if (reason)
      kfree_skb_reason(
        net,
        skb,
        reason,
        'ping_rcv',
        () => `no ICMP datagram socket for id ${icmph_echo_id(skb.head, skb.data)} (raw sockets got their own clones)`,
      );
    else consume_skb(net, skb, 'icmp_rcv');
    return 0;
  }
  if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
    if ((type === ICMP_ECHO || type === ICMP_TIMESTAMP) && net.sysctl.int('net.ipv4.icmp_echo_ignore_broadcasts')) {
      net.mib.inc(MIB.IcmpInErrors);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.INVALID_PROTO, 'icmp_rcv');
      return 0;
    }
    if (type !== ICMP_ECHO && type !== ICMP_TIMESTAMP && type !== ICMP_ADDRESS && type !== ICMP_ADDRESSREPLY) {
      net.mib.inc(MIB.IcmpInErrors);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.INVALID_PROTO, 'icmp_rcv');
      return 0;
    }
  }
  if (type > NR_ICMP_TYPES) {
    net.mib.inc(MIB.IcmpInErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.UNHANDLED_PROTO, 'icmp_rcv');
    return 0;
  }
  let reason = 0;
  switch (type) {
    case ICMP_ECHO:
      reason = icmp_echo(net, skb);
      break;
    case ICMP_DEST_UNREACH:
    case ICMP_SOURCE_QUENCH:
    case ICMP_TIME_EXCEEDED:
    case ICMP_PARAMETERPROB:
      reason = icmp_unreach(net, skb);
      break;
    case ICMP_REDIRECT:
      reason = icmp_unreach(net, skb);
      break;
    case ICMP_TIMESTAMP:
      reason = icmp_timestamp(net, skb);
      break;
    default:
      // icmp_discard: ICMP_TIMESTAMPREPLY, INFO_*, ADDRESS*
      reason = 0;
  }
  if (!reason) consume_skb(net, skb, 'icmp_rcv');
  else {
    net.mib.inc(MIB.IcmpInErrors);
    kfree_skb_reason(net, skb, reason, 'icmp_rcv');
  }
  return 0;
}

/** icmp_echo(): answers with the same id, sequence and data (icmp_reply). */
function icmp_echo(net: Net, skb: SkBuff): number {
  if (net.sysctl.int('net.ipv4.icmp_echo_ignore_all')) return SKB_DROP_REASON.NOT_SPECIFIED;
  const b = skb.head;
  const data = b.slice(skb.data, skb.data + skb.len);
  data[ICMPH_TYPE] = ICMP_ECHOREPLY;
  icmp_reply(net, skb, data);
  return 0;
}

function icmp_timestamp(net: Net, skb: SkBuff): number {
  if (skb.len < 20) return SKB_DROP_REASON.PKT_TOO_SMALL;
  const b = skb.head;
  const data = b.slice(skb.data, skb.data + 20);
  data[ICMPH_TYPE] = ICMP_TIMESTAMPREPLY;
  // inet_current_timestamp(): wall-clock milliseconds since midnight UT; icmp_bxm.data.times[1] and [2]
  const ms = Math.floor((net.kernel.sim.epochNs + net.kernel.now) / 1e6) % 86400000;
  wr32(data, ICMP_HEADER_LEN + 4, ms);
  wr32(data, ICMP_HEADER_LEN + 8, ms);
  icmp_reply(net, skb, data);
  return 0;
}

/** icmp_reply(): the answer goes back to the sender from the address it reached. */
function icmp_reply(net: Net, skb: SkBuff, payload: Uint8Array): void {
  const b = skb.head;
  const nh = skb.networkHeader;
  // icmp_reply(): from fib_compute_spec_dst() (a broadcast or multicast echo asks the FIB)
  const daddr = fib_compute_spec_dst(net, skb);
  const tos = iph_tos(b, nh);
  const type = payload[ICMPH_TYPE] as number;
  const code = payload[ICMPH_CODE] as number;
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  try {
    const g = icmpv4_global_allow(net, type, code);
    if (!g.ok) return;
    const opt = ip_options_echo(skb);
    if (!opt) return;
    const fl4 = flowi4({
      daddr: opt.srr ? opt.faddr : iph_saddr(b, nh),
      saddr: daddr,
      tos: tos & 0xfc,
      proto: IPPROTO_ICMP,
      mark: skb.mark,
    });
    const rt2 = ip_route_output_key(net, fl4);
    if (typeof rt2 === 'number') return;
    if (!icmpv4_xrlim_allow(net, rt2, fl4, type, code, g.apply)) return;
    // icmp_reply() leaves fl4_icmp_type 0: __ip_make_skb counts every answer as an echo reply (type 0)
    icmp_push_reply(net, fl4, rt2, tos, payload, opt, 0);
  } finally {
    cpu.localBhEnable();
  }
}

/** icmp_push_reply(): checksum the message and send it from the ICMP socket (counted as fl4_icmp_type). */
function icmp_push_reply(net: Net, fl4: Flowi4, rt: Rtable, tos: number, payload: Uint8Array, opt: IpOptions, icmpType: number): void {
  payload[ICMPH_CHECKSUM] = 0;
  payload[ICMPH_CHECKSUM + 1] = 0;
  wr16(payload, ICMPH_CHECKSUM, icmp_checksum(payload, 0, payload.length));
  ip_push_frames(
    net,
    {
      saddr: fl4.saddr,
      daddr: fl4.daddr,
      protocol: IPPROTO_ICMP,
      ttl: net.sysctl.int('net.ipv4.ip_default_ttl') || 64,
      tos,
      df: false,
      sk: null,
      rt,
      icmpType,
      mark: fl4.mark,
      priority: 0,
      opt,
      via: VIA_ICMP_REPLY,
    },
    payload,
  );
}
const VIA_ICMP_REPLY = ['icmp_push_reply', 'ip_push_pending_frames'] as const;

/** icmp_global_allow(): the namespace-wide token bucket (ICMPv6 shares it). */
export function icmp_global_allow(net: Net): boolean {
  const st = net.icmpRate;
  if (st.credit > 0) return true;
  const k = net.kernel;
  const now = k.jiffies();
  const delta = Math.min((now - st.stamp) >>> 0, k.HZ);
  if (delta < k.HZ / 50) return false;
  const incr = Math.floor((net.sysctl.int('net.ipv4.icmp_msgs_per_sec') * delta) / k.HZ);
  if (!incr) return false;
  st.stamp = now;
  st.credit = Math.min(st.credit + incr, net.sysctl.int('net.ipv4.icmp_msgs_burst'));
  return true;
}

function icmpv4_mask_allow(net: Net, type: number, code: number): boolean {
  if (type > NR_ICMP_TYPES) return true;
  if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) return true;
  if (!((1 << type) & net.sysctl.int('net.ipv4.icmp_ratemask'))) return true;
  return false;
}

function icmpv4_global_allow(net: Net, type: number, code: number): { ok: boolean; apply: boolean } {
  if (icmpv4_mask_allow(net, type, code)) return { ok: true, apply: false };
  if (icmp_global_allow(net)) return { ok: true, apply: true };
  net.mib.inc(MIB.IcmpOutRateLimitGlobal);
  return { ok: false, apply: false };
}

/** icmpv4_xrlim_allow(): the per-destination limit (inet_peer_xrlim_allow). */
function icmpv4_xrlim_allow(net: Net, rt: Rtable, fl4: Flowi4, _type: number, _code: number, apply: boolean): boolean {
  if (!apply) return true;
  if (rt.dev.flags & IFF_LOOPBACK) return true;
  const k = net.kernel;
  const now = k.jiffies();
  const timeout = Math.floor((net.sysctl.int('net.ipv4.icmp_ratelimit') * k.HZ) / 1000);
  let peer = net.inetPeers.get(fl4.daddr);
  if (!peer) {
    peer = { rateTokens: 0, rateLast: (now - 60 * k.HZ) >>> 0 };
    net.inetPeers.set(fl4.daddr, peer);
  }
  let token = peer.rateTokens + ((now - peer.rateLast) >>> 0);
  peer.rateLast = now;
  if (token > 6 * timeout) token = 6 * timeout;
  let rc = false;
  if (token >= timeout) {
    token -= timeout;
    rc = true;
  }
  peer.rateTokens = token;
  if (!rc) net.mib.inc(MIB.IcmpOutRateLimitHost);
  else icmp_global_consume(net);
  return rc;
}

/** icmp_global_consume(): a message that went out takes 0 to 2 credits (ICMPv6 shares it). */
export function icmp_global_consume(net: Net): void {
  net.icmpRate.credit = Math.max(0, net.icmpRate.credit - (net.kernel.sim.rng.u32() % 3));
}

/** icmp_route_lookup(): the route back to the sender of skb_in. */
function icmp_route_lookup(net: Net, skbIn: SkBuff, fl4: Flowi4): Rtable | number {
  const rt = ip_route_output_key(net, fl4);
  if (typeof rt === 'number') return rt;
  if (inet_addr_type_dev_table(net, skbIn.dev, fl4.daddr) === RTN_LOCAL) return rt;
  // xfrm_decode_session_reverse() and the relookup Linux does for a remote
  // sender. What the 6.18 kernel looks up here was read off its tracepoints
  // (oracle router-forward, pmtu-df, traceroute): the original datagram's own
  // flow with FLOWI_FLAG_ANYSRC, then an input route from its destination.
  const b = skbIn.head;
  const nh = skbIn.networkHeader;
  const osaddr = iph_saddr(b, nh);
  const odaddr = iph_daddr(b, nh);
  const proto = iph_protocol(b, nh);
  const ports = proto === 6 || proto === 17 ? transportPorts(skbIn) : [0, 0];
  if (inet_addr_type_dev_table(net, skbIn.dev, odaddr) === RTN_LOCAL) {
    const fl = flowi4({
      daddr: osaddr,
      saddr: odaddr,
      proto,
      sport: ports[1],
      dport: ports[0],
      tos: iph_tos(b, nh) & 0xfc,
      oif: skbIn.skbIif,
    });
    const rt2 = ip_route_output_key(net, fl);
    if (typeof rt2 !== 'number') return rt2;
    return rt;
  }
  const fl2 = flowi4({ saddr: osaddr, daddr: odaddr, proto, sport: ports[0], dport: ports[1], flags: 1 });
  const rt2 = ip_route_output_key(net, fl2);
  if (typeof rt2 === 'number') return rt;
  // ip_route_input(skb_in, fl4_dec.daddr, fl4_dec.saddr, dscp, rt2->dst.dev)
  const saved = skbIn.dst;
  skbIn.dst = null;
  const reason = ip_route_input_noref(net, skbIn, osaddr, odaddr, fl4.tos, rt2.dev);
  const rin = skbIn.dst as Rtable | null;
  skbIn.dst = saved;
  void reason;
  void rin;
  // The error still leaves by the first route (the oracle shows its source).
  return rt;
}

/** Source and destination port of a TCP/UDP datagram's transport header. */
function transportPorts(skb: SkBuff): [number, number] {
  const b = skb.head;
  const nh = skb.networkHeader;
  const th = nh + iph_ihl(b, nh) * 4;
  if (th + 4 > skb.tail) return [0, 0];
  return [tcph_source(b, th), tcph_dest(b, th)];
}

/**
 * __icmp_send(): an ICMP error about skb_in (which the caller still owns),
 * sent only where Linux would send it.
 */
export function icmp_send(net: Net, skbIn: SkBuff, type: number, code: number, info: number): void {
  const rt = skbIn.dst;
  if (!rt) return;
  kprobe(net, skbIn, '__icmp_send');
  const b = skbIn.head;
  const nh = skbIn.networkHeader;
  if (nh < 0 || nh + IPV4_HEADER_LEN > skbIn.tail) return;
  if (skbIn.pktType !== PACKET_HOST) return;
  if (rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return;
  if (iph_frag_off(b, nh) & IP_OFFSET) return;
  if (icmp_is_error(type) && iph_protocol(b, nh) === IPPROTO_ICMP) {
    const it = nh + iph_ihl(b, nh) * 4;
    if (it >= skbIn.tail) return;
    const inner = icmph_type(b, it);
    if (inner > NR_ICMP_TYPES || icmp_is_error(inner)) return;
  }
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  try {
    let apply = false;
    if (!(skbIn.dev && skbIn.dev.flags & IFF_LOOPBACK)) {
      const g = icmpv4_global_allow(net, type, code);
      if (!g.ok) return;
      apply = g.apply;
    }
    let saddr = iph_daddr(b, nh);
    if (!(rt.flags & RTCF_LOCAL)) {
      saddr = 0;
      if (rt.isInput && net.sysctl.int('net.ipv4.icmp_errors_use_inbound_ifaddr')) {
        const dev = net.devByIndex.get(rt.iif);
        if (dev) saddr = inet_select_addr(net, dev, iph_saddr(b, nh), RT_SCOPE_LINK);
      }
    }
    const otos = iph_tos(b, nh);
    const tos = icmp_is_error(type) ? (otos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL : otos;
    const opt = ip_options_echo(skbIn);
    if (!opt) return;
    const fl4 = flowi4({ daddr: opt.srr ? opt.faddr : iph_saddr(b, nh), saddr, tos, proto: IPPROTO_ICMP, mark: skbIn.mark });
    const rt2 = icmp_route_lookup(net, skbIn, fl4);
    if (typeof rt2 === 'number') return;
    if (!icmpv4_xrlim_allow(net, rt2, fl4, type, code, apply)) return;
    let room = Math.min(dst_mtu(rt2, net.kernel.now), 576);
    room -= IPV4_HEADER_LEN + opt.optlen + ICMP_HEADER_LEN;
    if (room <= 20) return;
    const dataLen = Math.min(skbIn.tail - nh, room);
    if (!fl4.saddr) fl4.saddr = 0xc0000008; // INADDR_DUMMY 192.0.0.8
    const payload = new Uint8Array(ICMP_HEADER_LEN + dataLen);
    payload[ICMPH_TYPE] = type;
    payload[ICMPH_CODE] = code;
    wr32(payload, ICMPH_GATEWAY, info);
    if (type === ICMP_DEST_UNREACH && code === ICMP_FRAG_NEEDED) {
      wr16(payload, ICMPH_GATEWAY, 0);
      wr16(payload, ICMPH_FRAG_MTU, info);
    }
    payload.set(b.subarray(nh, nh + dataLen), ICMP_HEADER_LEN);
    icmp_push_reply(net, fl4, rt2, tos, payload, opt, type);
  } finally {
    cpu.localBhEnable();
  }
}

/** icmp_unreach() and friends: deliver the error to the socket it concerns. */
function icmp_unreach(net: Net, skb: SkBuff): number {
  const b = skb.head;
  const o = skb.data;
  if (skb.len < ICMP_HEADER_LEN + IPV4_HEADER_LEN) {
    return SKB_DROP_REASON.PKT_TOO_SMALL;
  }
  const type = b[o + ICMPH_TYPE] as number;
  const code = b[o + ICMPH_CODE] as number;
  const inner = o + ICMP_HEADER_LEN;
  if (iph_ihl(b, inner) < 5) return SKB_DROP_REASON.IP_INHDR;
  let info = 0;
  if (type === ICMP_DEST_UNREACH) {
    if (code > NR_ICMP_UNREACH) return 0;
    if (code === ICMP_FRAG_NEEDED) {
      // ip_no_pmtu_disc 0: the next-hop MTU is the info (sockets update their PMTU from it)
      if (net.sysctl.int('net.ipv4.ip_no_pmtu_disc') === 0) info = icmph_frag_mtu(b, o);
      else info = 0;
    }
  } else if (type === ICMP_TIME_EXCEEDED) {
    // a reassembly timeout is counted but not delivered to sockets
    if (code === 1) return 0;
  } else if (type === ICMP_PARAMETERPROB) {
    info = (b[o + ICMPH_POINTER] as number) << 24;
  } else if (type === ICMP_REDIRECT) {
    info = icmph_gateway(b, o);
  }
  icmp_socket_deliver(net, skb, type, code, info);
  return 0;
}

/** icmp_socket_deliver(): raw sockets first, then the inner protocol's err_handler. */
function icmp_socket_deliver(net: Net, skb: SkBuff, type: number, code: number, info: number): void {
  const b = skb.head;
  const inner = skb.data + ICMP_HEADER_LEN;
  const ihl = iph_ihl(b, inner) * 4;
  if (skb.len < ICMP_HEADER_LEN + ihl + 8) {
    net.mib.inc(MIB.IcmpInErrors);
    return;
  }
  const proto = iph_protocol(b, inner);
  raw_icmp_error(net, skb, proto, type, code, info);
  const p = net.kernel.inetProtos[proto];
  p?.errHandler?.(net, skb, info);
}
