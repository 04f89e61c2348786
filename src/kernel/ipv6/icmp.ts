// net/ipv6/icmp.c: receiving ICMPv6 (icmpv6_rcv and its handlers), answering
// echo requests (icmpv6_echo_reply), sending errors (icmp6_send) with the
// ratemask, the global bucket shared with IPv4 and the per-destination
// inet_peer bucket, and handing errors to the sockets they concern
// (icmpv6_notify).
import { IFF_LOOPBACK, type NetDevice } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { Inet6Protocol } from './protocol.ts';
import { PACKET_HOST, type SkBuff } from '../skbuff.ts';
import { SKB_CONSUMED, SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { EACCES, ECONNREFUSED, EHOSTUNREACH, EMSGSIZE, ENETUNREACH, EPROTO } from '../uapi/errno.ts';
import {
  ICMPV6_DEST_UNREACH,
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  ICMPV6_PARAMPROB,
  ICMPV6_PKT_TOOBIG,
  ICMPV6_TIME_EXCEED,
  ICMPV6_UNK_OPTION,
  IPPROTO_ICMPV6,
} from '../uapi/in6.ts';
import { IP6H_DADDR, IP6H_SADDR, IPV6_HEADER_LEN, IPV6_MIN_MTU, in6Read, ip6h_nexthdr, NEXTHDR_FRAGMENT } from '../../wire/ipv6.ts';
import { icmp_global_allow, icmp_global_consume } from '../ipv4/icmp.ts';
import {
  __ipv6_addr_type,
  IPV6_ADDR_ANY,
  IPV6_ADDR_MULTICAST,
  ipv6_addr_is_multicast,
  ipv6_addr_loopback,
  ipv6_addr_type,
} from './addrconf_core.ts';
import { flowi6, type Flowi6, IP6CB, type Rt6Info } from './route_types.ts';
import { icmpv6_deps as core } from './icmp6_core.ts';
import { ping_rcv } from './ping.ts';
import { __ipv6_addr_needs_scope_id } from './datagram.ts';
import { raw6_icmp_error } from './raw.ts';

/** ICMPV6_INFOMSG_MASK: informational messages have the high bit of the type set. */
const ICMPV6_INFOMSG_MASK = 0x80;
/** ICMPV6_MSG_MAX */
const ICMPV6_MSG_MAX = 255;
const ICMP6_HDR_LEN = 8;

/** The ICMPv6 checksum over the pseudo-header (csum_ipv6_magic) and len bytes at o. */
export function icmpv6_checksum(b: Uint8Array, saddr: Uint8Array, daddr: Uint8Array, proto: number, o: number, len: number): number {
  let sum = 0;
  for (let i = 0; i < 16; i += 2)
    sum += (((saddr[i] as number) << 8) | (saddr[i + 1] as number)) + (((daddr[i] as number) << 8) | (daddr[i + 1] as number));
  sum += (len >>> 16) + (len & 0xffff) + proto;
  for (let i = 0; i + 1 < len; i += 2) sum += ((b[o + i] as number) << 8) | (b[o + i + 1] as number);
  if (len & 1) sum += (b[o + len - 1] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** ICMP6MSGOUT_INC_STATS + ICMP6_MIB_OUTMSGS, as __ip6_make_skb counts an outgoing ICMPv6 message. */
export function icmpv6_out_count(net: Net, type: number): void {
  net.mib.icmp6MsgOut(type);
  net.mib.inc(MIB.Icmp6OutMsgs);
}

/**
 * is_ineligible(): never answer an ICMPv6 error with another (RFC 4443 2.4(e));
 * a truncated packet whose protocol is ICMPv6 counts as one.
 */
function is_ineligible(skb: SkBuff): boolean {
  const nh = skb.networkHeader;
  const ptr = nh + IPV6_HEADER_LEN;
  if (skb.tail - ptr < 0) return true;
  const r = core.ipv6_skip_exthdr(skb, ptr, ip6h_nexthdr(skb.head, nh));
  if (r.off < 0) return false;
  if (r.nexthdr === IPPROTO_ICMPV6) {
    if (r.off >= skb.tail) return !(r.fragOff !== 0);
    return !((skb.head[r.off] as number) & ICMPV6_INFOMSG_MASK);
  }
  return false;
}

/** icmpv6_mask_allow(): types outside net.ipv6.icmp.ratemask are never limited. */
function icmpv6_mask_allow(net: Net, type: number): boolean {
  if (type > ICMPV6_MSG_MAX) return true;
  return !ratemask_has(net.sysctl.get('net.ipv6.icmp.ratemask') ?? '', type);
}

/**
 * test_bit() on net.ipv6.icmp.ratemask, read as proc_do_large_bitmap
 * writes it ("0-1,3-127"). The sysctl store is read (not
 * net.ipv6.sysctl.icmpv6_ratemask) so that a write through sysctl counts.
 */
function ratemask_has(mask: string, type: number): boolean {
  for (const part of mask.split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (type >= lo && type <= hi) return true;
  }
  return false;
}

/** icmpv6_global_allow(): the namespace-wide bucket IPv4 shares (net.ipv4.icmp_msgs_per_sec). */
function icmpv6_global_allow(net: Net, type: number): { ok: boolean; apply: boolean } {
  if (icmpv6_mask_allow(net, type)) return { ok: true, apply: false };
  if (icmp_global_allow(net)) return { ok: true, apply: true };
  net.mib.inc(MIB.IcmpOutRateLimitGlobal);
  return { ok: false, apply: false };
}

/**
 * icmpv6_xrlim_allow(): the per-destination inet_peer bucket
 * (net.ipv6.icmp.ratelimit in ms, a burst of six); a route through loopback
 * is never limited.
 */
function icmpv6_xrlim_allow(net: Net, type: number, fl6: Flowi6, apply: boolean): boolean {
  void type;
  if (!apply) return true;
  const dst = core.ip6_route_output(net, null, fl6);
  let res = false;
  if (dst.error) net.mib.inc(MIB.Ip6OutNoRoutes);
  else if (dst.dev.flags & IFF_LOOPBACK) res = true;
  else {
    // net.ipv6.icmp.ratelimit is in ms (proc_dointvec_ms_jiffies)
    const tmo = Math.floor((net.sysctl.int('net.ipv6.icmp.ratelimit') * net.kernel.HZ) / 1000);
    res = inet_peer_xrlim_allow(net, fl6.daddr, tmo);
  }
  if (!res) net.mib.inc(MIB.Icmp6OutRateLimitHost);
  else icmp_global_consume(net);
  return res;
}

/** inet_getpeer_v6() + inet_peer_xrlim_allow(): XRLIM_BURST_FACTOR 6; a new peer starts a minute in the past. */
function inet_peer_xrlim_allow(net: Net, daddr: Uint8Array, timeout: number): boolean {
  const k = net.kernel;
  const now = k.jiffies();
  const key = Array.from(daddr).join('.');
  const peers = net.ipv6.icmpPeers;
  let peer = peers.get(key);
  if (!peer) {
    peer = { rateTokens: 0, rateLast: (now - 60 * k.HZ) >>> 0 };
    peers.set(key, peer);
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
  return rc;
}

/** opt_unrec(): the option at offset asks for an error even to multicast (type bits 10). */
function opt_unrec(skb: SkBuff, offset: number): boolean {
  const at = skb.networkHeader + offset;
  if (at >= skb.tail) return true;
  return ((skb.head[at] as number) & 0xc0) === 0x80;
}

/** icmp6_dev(): the device a packet came in on; for loopback traffic the route's. */
function icmp6_dev(skb: SkBuff): NetDevice {
  const dev = skb.dev as NetDevice;
  if (dev.ifindex === 1) {
    const rt = skb.dst6;
    if (rt?.rt6i_idev) return rt.rt6i_idev.dev;
  }
  return dev;
}

function icmp6_iif(skb: SkBuff): number {
  return icmp6_dev(skb).ifindex;
}

/**
 * icmp6_send(): an ICMPv6 error about skb to its source, with at most
 * IPV6_MIN_MTU bytes in all, under RFC 4443 2.4's rules and the rate limits.
 */
export function icmp6_send(skb: SkBuff, type: number, code: number, info: number, forceSaddr: Uint8Array | null = null): void {
  const dev = skb.dev;
  if (!dev) return;
  const net = dev.net;
  const nh = skb.networkHeader;
  if (nh < 0 || nh + IPV6_HEADER_LEN > skb.tail) return;
  kprobe(net, skb, 'icmp6_send');
  const b = skb.head;
  const hdrDaddr = in6Read(b, nh + IP6H_DADDR);
  const hdrSaddr = in6Read(b, nh + IP6H_SADDR);
  let saddr: Uint8Array | null = null;
  let addrType = ipv6_addr_type(hdrDaddr);
  if (core.ipv6_chk_addr(net, hdrDaddr, dev, false)) saddr = hdrDaddr;
  if (addrType & IPV6_ADDR_MULTICAST || skb.pktType !== PACKET_HOST) {
    if (type !== ICMPV6_PKT_TOOBIG && !(type === ICMPV6_PARAMPROB && code === ICMPV6_UNK_OPTION && opt_unrec(skb, info))) return;
    saddr = null;
  }
  addrType = __ipv6_addr_type(hdrSaddr);
  const iif = __ipv6_addr_needs_scope_id(addrType & 0xffff ? addrType : 0) ? icmp6_iif(skb) : 0;
  // the source must name one node (RFC 4443 2.4): not unspecified, not multicast
  if ((addrType & 0xffff) === IPV6_ADDR_ANY || addrType & IPV6_ADDR_MULTICAST) return;
  if (is_ineligible(skb)) return;
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  try {
    let apply = false;
    if (!(dev.flags & IFF_LOOPBACK)) {
      const g = icmpv6_global_allow(net, type);
      if (!g.ok) return;
      apply = g.apply;
    }
    const fl6 = flowi6({ flowi6_proto: IPPROTO_ICMPV6, daddr: hdrSaddr });
    if (forceSaddr) saddr = forceSaddr;
    if (saddr) fl6.saddr = saddr;
    else if (!icmpv6_rt_has_prefsrc(net, fl6)) {
      // a more meaningful source: one of the device the packet came in on
      const inDev = net.devByIndex.get(IP6CB(skb).iif);
      if (inDev) {
        const s = core.ipv6_dev_get_saddr(net, inDev, fl6.daddr);
        if (s) fl6.saddr = s;
      }
    }
    fl6.flowi6_mark = net.sysctl.int('net.ipv6.fwmark_reflect') ? skb.mark : 0;
    fl6.flowi6_oif = iif;
    fl6.fl6_icmp_type = type;
    fl6.fl6_icmp_code = code;
    if (!icmpv6_xrlim_allow(net, type, fl6, apply)) return;
    const dst = core.ip6_dst_lookup(net, null, fl6);
    if (typeof dst === 'number') return;
    // icmpv6_route_lookup(): never to a known anycast source
    let len = skb.tail - nh;
    len = Math.min(len, IPV6_MIN_MTU - IPV6_HEADER_LEN - ICMP6_HDR_LEN);
    const msg = new Uint8Array(ICMP6_HDR_LEN + len);
    msg[0] = type;
    msg[1] = code;
    msg[4] = (info >>> 24) & 0xff;
    msg[5] = (info >>> 16) & 0xff;
    msg[6] = (info >>> 8) & 0xff;
    msg[7] = info & 0xff;
    msg.set(b.subarray(nh, nh + len), ICMP6_HDR_LEN);
    icmpv6_push_pending_frames(net, fl6, dst, core.ip6_sk_dst_hoplimit(net, -1, fl6, dst), 0, msg, VIA_SEND);
  } finally {
    cpu.localBhEnable();
  }
}
const VIA_SEND = ['icmp6_send', 'ip6_append_data', 'icmpv6_push_pending_frames', 'ip6_push_pending_frames'] as const;
const VIA_ECHO = ['icmpv6_echo_reply', 'ip6_append_data', 'icmpv6_push_pending_frames', 'ip6_push_pending_frames'] as const;

/** icmpv6_send(): icmp6_send() with the input interface of IP6CB. */
export function icmpv6_send(skb: SkBuff, type: number, code: number, info: number): void {
  icmp6_send(skb, type, code, info, null);
}

/** icmpv6_param_prob_reason(): a parameter problem, then the packet is dropped for reason. */
export function icmpv6_param_prob_reason(skb: SkBuff, code: number, pos: number, reason: number, fn = 'icmpv6_param_prob_reason'): void {
  const net = (skb.dev as NetDevice).net;
  icmp6_send(skb, ICMPV6_PARAMPROB, code, pos, null);
  kfree_skb_reason(net, skb, reason, fn);
}

/** icmpv6_rt_has_prefsrc(): the route back names a preferred source. */
function icmpv6_rt_has_prefsrc(net: Net, fl6: Flowi6): boolean {
  const dst = core.ip6_route_output(net, null, fl6);
  if (dst.error) return false;
  const p = dst.from?.fib6_prefsrc;
  return !!p && p.plen > 0;
}

/**
 * icmpv6_push_pending_frames(): the message with its checksum over the
 * pseudo-header, sent through ip6_push_pending_frames by the namespace's
 * ICMPv6 socket (hop limit of the route, no socket owner).
 */
function icmpv6_push_pending_frames(
  net: Net,
  fl6: Flowi6,
  dst: Rt6Info,
  hlimit: number,
  tclass: number,
  msg: Uint8Array,
  via: readonly string[],
): void {
  const ck = icmpv6_checksum(msg, fl6.saddr, fl6.daddr, IPPROTO_ICMPV6, 0, msg.length);
  msg[2] = ck >> 8;
  msg[3] = ck & 0xff;
  core.ip6_push_frames(net, null, fl6, dst, { proto: IPPROTO_ICMPV6, hlimit, tclass, icmpType: msg[0] as number, via }, msg);
}

/** icmpv6_echo_reply(): the same id, sequence and data back; 0 (SKB_CONSUMED) when sent, else the drop reason. */
function icmpv6_echo_reply(net: Net, skb: SkBuff): number {
  const b = skb.head;
  const nh = skb.networkHeader;
  const daddr = in6Read(b, nh + IP6H_DADDR);
  if (ipv6_addr_is_multicast(daddr) && net.sysctl.int('net.ipv6.icmp.echo_ignore_multicast')) return SKB_DROP_REASON.NOT_SPECIFIED;
  let saddr: Uint8Array | null = daddr;
  const acast = core.ipv6_anycast_destination(skb, daddr);
  if (acast && net.sysctl.int('net.ipv6.icmp.echo_ignore_anycast')) return SKB_DROP_REASON.NOT_SPECIFIED;
  if (!core.ipv6_unicast_destination(skb) && !(net.sysctl.int('net.ipv6.anycast_src_echo_reply') && acast)) saddr = null;
  const fl6 = flowi6({ flowi6_proto: IPPROTO_ICMPV6, daddr: in6Read(b, nh + IP6H_SADDR) });
  if (saddr) fl6.saddr = saddr;
  const dev = skb.dev as NetDevice;
  fl6.flowi6_oif = ipv6_addr_loopback(fl6.daddr) ? dev.ifindex : icmp6_iif(skb);
  fl6.fl6_icmp_type = ICMPV6_ECHO_REPLY;
  fl6.flowi6_mark = net.sysctl.int('net.ipv6.fwmark_reflect') ? skb.mark : 0;
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  try {
    const dst = core.ip6_dst_lookup(net, null, fl6);
    if (typeof dst === 'number') return SKB_DROP_REASON.NOT_SPECIFIED;
    let apply = false;
    if (!(dev.flags & IFF_LOOPBACK)) {
      const g = icmpv6_global_allow(net, ICMPV6_ECHO_REPLY);
      if (!g.ok) return SKB_DROP_REASON.NOT_SPECIFIED;
      apply = g.apply;
    }
    if (!icmpv6_xrlim_allow(net, ICMPV6_ECHO_REPLY, fl6, apply)) return SKB_DROP_REASON.NOT_SPECIFIED;
    const t = skb.transportHeader;
    const msg = b.slice(t, skb.data + skb.len);
    msg[0] = ICMPV6_ECHO_REPLY;
    msg[2] = 0;
    msg[3] = 0;
    const tclass = ((((b[nh] as number) << 8) | (b[nh + 1] as number)) >> 4) & 0xff;
    icmpv6_push_pending_frames(net, fl6, dst, core.ip6_sk_dst_hoplimit(net, -1, fl6, dst), tclass, msg, VIA_ECHO);
    return 0;
  } finally {
    cpu.localBhEnable();
  }
}

/**
 * icmpv6_notify(): the error goes to the inner protocol's err_handler and to
 * the raw sockets of that protocol; 0 (SKB_CONSUMED), or why it could not.
 */
export function icmpv6_notify(net: Net, skb: SkBuff, type: number, code: number, info: number): number {
  // skb->data is at the quoted IPv6 header
  const b = skb.head;
  let reason = 0;
  out: {
    if (skb.len < IPV6_HEADER_LEN) {
      reason = SKB_DROP_REASON.PKT_TOO_SMALL;
      break out;
    }
    let nexthdr = ip6h_nexthdr(b, skb.data);
    let inner = skb.data + IPV6_HEADER_LEN;
    if (core.ipv6_ext_hdr(nexthdr)) {
      const r = core.ipv6_skip_exthdr(skb, inner, nexthdr);
      if (r.off < 0) {
        reason = SKB_DROP_REASON.IPV6_BAD_EXTHDR;
        break out;
      }
      inner = r.off;
      nexthdr = r.nexthdr;
    }
    if (inner + 8 > skb.data + skb.len) {
      reason = SKB_DROP_REASON.PKT_TOO_SMALL;
      break out;
    }
    if (nexthdr === 255) {
      reason = SKB_DROP_REASON.NOT_SPECIFIED;
      break out;
    }
    const p = net.kernel.inet6Protos[nexthdr];
    p?.err_handler?.(skb, type, code, inner, info);
    raw6_icmp_error(net, skb, nexthdr, type, code, inner, info);
    return 0;
  }
  net.mib.inc(MIB.Icmp6InErrors);
  return reason;
}

/** icmpv6_rcv(): the inet6_protocol handler of IPPROTO_ICMPV6; skb->data is at the ICMPv6 header. */
export function icmpv6_rcv(skb: SkBuff): number {
  const dev = icmp6_dev(skb);
  const net = dev.net;
  kprobe(net, skb, 'icmpv6_rcv');
  net.mib.inc(MIB.Icmp6InMsgs);
  const b = skb.head;
  const nh = skb.networkHeader;
  const saddr = in6Read(b, nh + IP6H_SADDR);
  const daddr = in6Read(b, nh + IP6H_DADDR);
  if (icmpv6_checksum(b, saddr, daddr, IPPROTO_ICMPV6, skb.data, skb.len) !== 0) {
    net.mib.inc(MIB.Icmp6InCsumErrors);
    net.mib.inc(MIB.Icmp6InErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.ICMP_CSUM, 'icmpv6_rcv');
    return 0;
  }
  if (skb.len < ICMP6_HDR_LEN) {
    net.mib.inc(MIB.Icmp6InErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'icmpv6_rcv', () => 'an ICMPv6 message shorter than its 8-byte header');
    return 0;
  }
  skb.transportHeader = skb.data;
  const t = skb.data;
  const type = b[t] as number;
  const code = b[t + 1] as number;
  const info = (((b[t + 4] as number) << 24) | ((b[t + 5] as number) << 16) | ((b[t + 6] as number) << 8) | (b[t + 7] as number)) >>> 0;
  net.mib.icmp6MsgIn(type);
  let reason: number = SKB_DROP_REASON.NOT_SPECIFIED;
  switch (type) {
    case ICMPV6_ECHO_REQUEST:
      if (!net.sysctl.int('net.ipv6.icmp.echo_ignore_all')) reason = icmpv6_echo_reply(net, skb);
      break;
    case ICMPV6_ECHO_REPLY: {
      const r = ping_rcv(net, skb);
      if (r) kfree_skb_reason(net, skb, r, 'ping_rcv', () => 'no ICMPv6 datagram socket for this id (raw sockets got their own clones)');
      else consume_skb(net, skb, 'icmpv6_rcv');
      return 0;
    }
    case ICMPV6_PKT_TOOBIG:
    case ICMPV6_DEST_UNREACH:
    case ICMPV6_TIME_EXCEED:
    case ICMPV6_PARAMPROB:
      skb.pull(ICMP6_HDR_LEN);
      reason = icmpv6_notify(net, skb, type, code, info);
      break;
    case 133:
    case 134:
    case 135:
    case 136:
    case 137:
      reason = core.ndisc_rcv(skb);
      break;
    case 130:
      core.igmp6_event_query(skb);
      return 0;
    case 131:
      core.igmp6_event_report(skb);
      return 0;
    case 132:
    case 139:
    case 140:
    case 143:
    case 144:
    case 145:
    case 146:
    case 147:
      break;
    default:
      if (type & ICMPV6_INFOMSG_MASK) break;
      // an error of unknown type: the upper layer hears of it
      skb.pull(ICMP6_HDR_LEN);
      reason = icmpv6_notify(net, skb, type, code, info);
  }
  // kfree_skb_reason() with SKB_CONSUMED is a consume (trace_consume_skb), as ndisc_rcv answers for a message it took
  if (reason && reason !== SKB_CONSUMED) kfree_skb_reason(net, skb, reason, 'icmpv6_rcv');
  else consume_skb(net, skb, 'icmpv6_rcv');
  return 0;
}

/**
 * icmpv6_err(): the err_handler of IPPROTO_ICMPV6, an error about an ICMPv6
 * message this host sent: packet too big updates the path MTU of the route
 * (ip6_update_pmtu).
 */
export function icmpv6_err(skb: SkBuff, type: number, _code: number, _offset: number, info: number): number {
  const net = (skb.dev as NetDevice).net;
  if (type === ICMPV6_PKT_TOOBIG) core.ip6_update_pmtu(skb, net, info, 0, 0);
  return 0;
}

/** icmpv6_protocol: inet6_protos[IPPROTO_ICMPV6] */
export const icmpv6_protocol: Readonly<Inet6Protocol> = {
  handler: icmpv6_rcv,
  err_handler: icmpv6_err,
  flags: 0x3, // INET6_PROTO_NOPOLICY | INET6_PROTO_FINAL
};

/** tab_unreach[] of icmpv6_err_convert(): errno and fatality by destination unreachable code. */
const TAB_UNREACH: readonly [number, boolean][] = [
  [ENETUNREACH, false], // NOROUTE
  [EACCES, true], // ADM_PROHIBITED
  [EHOSTUNREACH, false], // Was NOT_NEIGHBOUR, now reserved
  [EHOSTUNREACH, false], // ADDR_UNREACH
  [ECONNREFUSED, true], // PORT_UNREACH
  [EACCES, true], // POLICY_FAIL
  [EACCES, true], // REJECT_ROUTE
];

/** icmpv6_err_convert(): the errno an error stands for, and whether it is fatal (a hard error). */
export function icmpv6_err_convert(type: number, code: number): { err: number; fatal: boolean } {
  switch (type) {
    case ICMPV6_DEST_UNREACH: {
      const t = TAB_UNREACH[code];
      return t ? { err: t[0], fatal: t[1] } : { err: EPROTO, fatal: true };
    }
    case ICMPV6_PKT_TOOBIG:
      return { err: EMSGSIZE, fatal: false };
    case ICMPV6_PARAMPROB:
      return { err: EPROTO, fatal: true };
    case ICMPV6_TIME_EXCEED:
      return { err: EHOSTUNREACH, fatal: false };
  }
  return { err: EPROTO, fatal: false };
}

export { NEXTHDR_FRAGMENT };
