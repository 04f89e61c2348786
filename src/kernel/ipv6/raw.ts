// net/ipv6/raw.c: raw IPv6 sockets, as ping -6 (iputils, as root) and
// traceroute -6 -I use them: a clone of every matching datagram from its
// transport header (ipv6_raw_deliver, with ICMPV6_FILTER), ICMPv6 errors for
// what they sent (raw6_icmp_error → rawv6_err), and rawv6_sendmsg with the
// checksum the kernel fills in for ICMPv6.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { consume_skb } from '../core/skb_free.ts';
import { sock_queue_rcv_skb } from '../ipv4/sock_queue.ts';
import { dgram_sk_common_release } from '../ipv4/raw.ts';
import { kprobe } from '../trace/probe.ts';
import { EAGAIN, EDESTADDRREQ, EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { SOL_RAW } from '../uapi/asm_socket.ts';
import { ICMPV6_FILTER, ICMPV6_PKT_TOOBIG, IPPROTO_ICMPV6, IPV6_CHECKSUM, IPV6_PMTUDISC_DO, SOL_ICMPV6 } from '../uapi/in6.ts';
import { IP6H_DADDR, IP6H_SADDR, in6Equal as in6_equal, in6Read, ip6h_hop_limit } from '../../wire/ipv6.ts';
import { ipv6_addr_any } from './addrconf_core.ts';
import { flowi6, IP6CB } from './route_types.ts';
import type { Cmsg6, Proto6, RecvResult6, SockAddrIn6, Sock6 } from './af_inet6.ts';
import {
  __ip6_datagram_connect,
  ip6_append_data_check,
  ip6_datagram_disconnect,
  ipv6_icmp_error,
  ipv6_iface_scope_id,
} from './datagram.ts';
import { ipv6_getsockopt, ipv6_setsockopt } from './ipv6_sockglue.ts';
import { icmpv6_checksum, icmpv6_err_convert } from './icmp.ts';
import { icmpv6_deps as core } from './icmp6_core.ts';
import type { SockoptVal } from '../sock.ts';

/** raw_v6_match(): protocol, namespace, connected peer, bound device and local address. */
function raw_v6_match(net: Net, sk: Sock6, num: number, loc: Uint8Array, rmt: Uint8Array, dif: number): boolean {
  if (sk.protocol !== num || sk.net !== net) return false;
  if (!ipv6_addr_any(sk.v6Daddr) && !in6_equal(sk.v6Daddr, rmt)) return false;
  if (sk.bindDev && sk.bindDev !== dif) return false;
  return ipv6_addr_any(sk.v6RcvSaddr) || in6_equal(sk.v6RcvSaddr, loc) || loc[0] === 0xff;
}

/** icmpv6_filter(): true when the socket's ICMPV6_FILTER blocks this message type. */
function icmpv6_filter(sk: Sock6, skb: SkBuff): boolean {
  if (skb.len < 1) return true;
  const type = skb.head[skb.data] as number;
  return (((sk.icmp6Filter[type >> 5] as number) >>> (type & 31)) & 1) === 1;
}

/**
 * ipv6_raw_deliver() / raw6_local_deliver(): a clone to every matching raw
 * socket; true when some socket matched (the packet is then delivered even
 * without a protocol handler). skb->data is at the transport header.
 */
export function raw6_local_deliver(net: Net, skb: SkBuff, nexthdr: number): boolean {
  const list = net.raw6Sockets;
  if (!list.length) return false;
  const b = skb.head;
  const nh = skb.networkHeader;
  const saddr = in6Read(b, nh + IP6H_SADDR);
  const daddr = in6Read(b, nh + IP6H_DADDR);
  const dif = IP6CB(skb).iif || skb.skbIif;
  let delivered = false;
  for (const sk of list) {
    if (!raw_v6_match(net, sk, nexthdr, daddr, saddr, dif)) continue;
    delivered = true;
    if (nexthdr === IPPROTO_ICMPV6 && icmpv6_filter(sk, skb)) continue;
    rawv6_rcv(net, sk, skb.clone());
  }
  return delivered;
}

/** rawv6_rcv() → rawv6_rcv_skb(): the socket reads from the transport header. */
function rawv6_rcv(net: Net, sk: Sock6, skb: SkBuff): void {
  kprobe(net, skb, 'rawv6_rcv');
  sock_queue_rcv_skb(net, sk, skb);
}

/** raw6_icmp_error(): an ICMPv6 error about a datagram a raw socket of that protocol sent. */
export function raw6_icmp_error(net: Net, skb: SkBuff, nexthdr: number, type: number, code: number, inner: number, info: number): void {
  const list = net.raw6Sockets;
  if (!list.length) return;
  const b = skb.head;
  // skb->data is at the quoted IPv6 header
  const saddr = in6Read(b, skb.data + IP6H_SADDR);
  const daddr = in6Read(b, skb.data + IP6H_DADDR);
  const dif = IP6CB(skb).iif || skb.skbIif;
  for (const sk of list) {
    if (!raw_v6_match(net, sk, nexthdr, saddr, daddr, dif)) continue;
    rawv6_err(net, sk, skb, type, code, inner, info);
  }
}

/** rawv6_err(): the error queue (IPV6_RECVERR) and sk_err; packet too big updates the path MTU. */
function rawv6_err(net: Net, sk: Sock6, skb: SkBuff, type: number, code: number, inner: number, info: number): void {
  const recverr = sk.recverr6;
  if (!recverr && sk.state !== 1) return;
  let { err, fatal } = icmpv6_err_convert(type, code);
  if (type === ICMPV6_PKT_TOOBIG) {
    core.ip6_sk_update_pmtu(skb, sk, info);
    fatal = sk.pmtudisc6 === IPV6_PMTUDISC_DO;
  }
  if (recverr) ipv6_icmp_error(net, sk, skb, err, 0, info, sk.hdrincl ? skb.data : inner, type, code);
  if (recverr || fatal) {
    sk.err = err;
    sk.wq.wakeUp();
  }
}

/**
 * rawv6_sendmsg(): the destination (a scope id or IPV6_PKTINFO chooses the
 * interface), the route and source, the size check, then the ICMPv6
 * checksum at offset 2 (rawv6_push_pending_frames) and out.
 */
export function rawv6_sendmsg(sk: Sock6, data: Uint8Array, to: SockAddrIn6 | null, cmsg: Cmsg6): number {
  const net = sk.net;
  net.kernel.syscallEnter();
  let daddr: Uint8Array;
  let oif = 0;
  if (to) {
    daddr = to.addr;
    if (to.scopeId && ipv6_iface_scope_id(daddr, 1)) oif = to.scopeId;
  } else {
    if (sk.state !== 1) return -EDESTADDRREQ;
    daddr = sk.v6Daddr;
  }
  if (!oif) oif = sk.bindDev;
  if (cmsg.pktinfoIfindex) {
    if (oif && cmsg.pktinfoIfindex !== oif) return -EINVAL;
    oif = cmsg.pktinfoIfindex;
  }
  const fl6 = flowi6({ flowi6_proto: sk.protocol, flowi6_oif: oif, flowi6_mark: sk.mark });
  if (sk.protocol === IPPROTO_ICMPV6) {
    // rawv6_probe_proto_opt(): the type and code for the flow (and the OutType counter)
    fl6.fl6_icmp_type = data[0] ?? 0;
    fl6.fl6_icmp_code = data[1] ?? 0;
  }
  if (!ipv6_addr_any(daddr)) fl6.daddr = daddr.slice();
  else fl6.daddr[15] = 1;
  if (!ipv6_addr_any(sk.v6Saddr)) fl6.saddr = sk.v6Saddr.slice();
  const dst = core.ip6_dst_lookup_flow(net, sk, fl6);
  if (typeof dst === 'number') return dst;
  const hlimit = core.ip6_sk_dst_hoplimit(net, sk.hopLimit, fl6, dst, sk.mcastHops);
  const e = ip6_append_data_check(sk, fl6, dst, data.length);
  if (e) return e;
  const msg = data.slice();
  if (sk.rawChecksum && sk.rawOffset + 2 <= msg.length) {
    msg[sk.rawOffset] = 0;
    msg[sk.rawOffset + 1] = 0;
    const ck = icmpv6_checksum(msg, fl6.saddr, fl6.daddr, sk.protocol, 0, msg.length) || 0xffff;
    msg[sk.rawOffset] = ck >> 8;
    msg[sk.rawOffset + 1] = ck & 0xff;
  }
  const r = core.ip6_push_frames(
    net,
    sk,
    fl6,
    dst,
    { proto: sk.protocol, hlimit, tclass: sk.tclass, icmpType: fl6.fl6_icmp_type, via: VIA_RAW, dontfrag: !ip6_may_fragment(sk) },
    msg,
  );
  return r < 0 ? r : data.length;
}
const VIA_RAW = ['rawv6_sendmsg', 'ip6_append_data', 'rawv6_push_pending_frames', 'ip6_push_pending_frames'] as const;

function ip6_may_fragment(sk: Sock6): boolean {
  return sk.pmtudisc6 < IPV6_PMTUDISC_DO;
}

/** rawv6_recvmsg() without waiting: the next datagram from its transport header, the source with its scope, the hop limit. */
export function rawv6_recvmsg(sk: Sock6, len: number, peek: boolean): RecvResult6 | number {
  const skb = sk.rcvQueue[0];
  if (!skb) return -EAGAIN;
  sk.net.kernel.syscallEnter();
  const data = skb.head.slice(skb.data, skb.tail);
  const nh = skb.networkHeader;
  const saddr = in6Read(skb.head, nh + IP6H_SADDR);
  const iif = IP6CB(skb).iif || skb.skbIif;
  const from = { addr: saddr, port: 0, scopeId: ipv6_iface_scope_id(saddr, iif) };
  const hoplimit = sk.rxHoplimit ? ip6h_hop_limit(skb.head, nh) : -1;
  if (!peek) {
    sk.rcvQueue.shift();
    sk.rcvQueueBytes -= skb.truesize();
    // skb_free_datagram() → consume_skb(): the last user of a reassembled
    // datagram's data frees its frag_list (__kfree_skb: NOT_SPECIFIED)
    consume_skb(sk.net, skb, 'skb_free_datagram');
  }
  return { data: len >= data.length ? data : data.slice(0, len), from, hoplimit };
}

/** rawv6_bind(): the address must be ours (or any); a link-local one needs its interface. */
function rawv6_bind(sk: Sock6, a: SockAddrIn6): number {
  if (!ipv6_addr_any(a.addr)) {
    if (ipv6_iface_scope_id(a.addr, 1) && a.scopeId) sk.bindDev = a.scopeId;
    const dev = sk.bindDev ? (sk.net.devByIndex.get(sk.bindDev) ?? null) : null;
    if (!core.ipv6_chk_addr(sk.net, a.addr, dev, false)) return -99; // EADDRNOTAVAIL
  }
  sk.v6RcvSaddr = a.addr.slice();
  if (!(a.addr[0] === 0xff)) sk.v6Saddr = a.addr.slice();
  sk.bound = true;
  return 0;
}

/** rawv6_setsockopt(): SOL_ICMPV6's ICMPV6_FILTER, SOL_RAW's IPV6_CHECKSUM, the rest ipv6_setsockopt. */
function rawv6_setsockopt(sk: Sock6, level: number, opt: number, val: SockoptVal): number {
  if (level === SOL_ICMPV6) {
    if (opt !== ICMPV6_FILTER || sk.protocol !== IPPROTO_ICMPV6) return -EOPNOTSUPP;
    const words = val instanceof Uint8Array ? val : new Uint8Array(32);
    for (let i = 0; i < 8; i++)
      sk.icmp6Filter[i] =
        ((words[i * 4] ?? 0) | ((words[i * 4 + 1] ?? 0) << 8) | ((words[i * 4 + 2] ?? 0) << 16) | ((words[i * 4 + 3] ?? 0) << 24)) >>> 0;
    return 0;
  }
  if (level === SOL_RAW) {
    if (opt !== IPV6_CHECKSUM) return -EOPNOTSUPP;
    const v = typeof val === 'number' ? val : 0;
    if (v > 0 && v & 1) return -EINVAL;
    if (v < 0) {
      sk.rawChecksum = false;
      return 0;
    }
    sk.rawChecksum = true;
    sk.rawOffset = v;
    return 0;
  }
  if (level === 41 && opt === IPV6_CHECKSUM && sk.protocol === IPPROTO_ICMPV6) return -EINVAL;
  return ipv6_setsockopt(sk, level, opt, val);
}

/** struct proto rawv6_prot */
export const rawv6_prot: Readonly<Proto6> = {
  bind: rawv6_bind,
  connect: (sk, a) => __ip6_datagram_connect(sk, a),
  sendmsg: rawv6_sendmsg,
  recvmsg: rawv6_recvmsg,
  setsockopt: rawv6_setsockopt,
  getsockopt: (sk, level, opt) => ipv6_getsockopt(sk, level, opt),
  close: (sk) => dgram_sk_common_release(sk),
  disconnect: ip6_datagram_disconnect,
  hash: (sk) => {
    if (!sk.net.raw6Sockets.includes(sk)) sk.net.raw6Sockets.push(sk);
  },
  unhash: (sk) => {
    const i = sk.net.raw6Sockets.indexOf(sk);
    if (i >= 0) sk.net.raw6Sockets.splice(i, 1);
  },
};
