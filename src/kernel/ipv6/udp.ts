// net/ipv6/udp.c, the part ping's source probe and traceroute -6's probes
// need: UDPv6 sockets that bind, connect (route and source), send and
// receive, __udp6_lib_rcv with port unreachable for datagrams no socket
// wants, and __udp6_lib_err for the errors about what they sent. Full UDPv6
// (early demux, multicast delivery, GSO, /proc rows) is a later issue.
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { Inet6Protocol } from './protocol.ts';
import { CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import { sock_queue_rcv_skb } from '../ipv4/sock_queue.ts';
import { dgram_sk_common_release } from '../ipv4/raw.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { EADDRINUSE, EAGAIN, EDESTADDRREQ, EINVAL } from '../uapi/errno.ts';
import { IPPROTO_UDP } from '../uapi/in.ts';
import { ICMPV6_DEST_UNREACH, ICMPV6_PKT_TOOBIG, ICMPV6_PORT_UNREACH, IPV6_PMTUDISC_DONT } from '../uapi/in6.ts';
import { IP6H_DADDR, IP6H_SADDR, in6Equal as in6_equal, in6Read } from '../../wire/ipv6.ts';
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
import { icmpv6_checksum, icmpv6_err_convert, icmpv6_send } from './icmp.ts';
import { ipv6_getsockopt, ipv6_setsockopt } from './ipv6_sockglue.ts';
import { icmpv6_deps as core } from './icmp6_core.ts';

const UDP_HDR_LEN = 8;

/** udp6_seq_show(): /proc/net/udp6's header (the rows of UDPv6 sockets are a later issue). */
export function udp6_seq_show(_net: Net): string {
  return '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
}

/** __udp6_lib_lookup(): the best socket for (saddr, sport) → (daddr, dport): a connected one beats a bound one. */
function __udp6_lib_lookup(net: Net, saddr: Uint8Array, sport: number, daddr: Uint8Array, dport: number, dif: number): Sock6 | null {
  let best: Sock6 | null = null;
  let bestScore = -1;
  for (const sk of net.udp6Sockets) {
    if (sk.sport !== dport || sk.closed) continue;
    let score = 0;
    if (!ipv6_addr_any(sk.v6RcvSaddr)) {
      if (!in6_equal(sk.v6RcvSaddr, daddr)) continue;
      score++;
    }
    if (!ipv6_addr_any(sk.v6Daddr)) {
      if (!in6_equal(sk.v6Daddr, saddr)) continue;
      score++;
    }
    if (sk.dport) {
      if (sk.dport !== sport) continue;
      score++;
    }
    if (sk.bindDev) {
      if (sk.bindDev !== dif) continue;
      score++;
    }
    if (score > bestScore) {
      best = sk;
      bestScore = score;
    }
  }
  return best;
}

/** __udp6_lib_rcv(): the length and checksum, the socket, or port unreachable. skb->data is at the UDP header. */
export function udpv6_rcv(skb: SkBuff): number {
  const net = (skb.dev as NonNullable<SkBuff['dev']>).net;
  kprobe(net, skb, 'udpv6_rcv');
  kprobe(net, skb, '__udp6_lib_rcv');
  const b = skb.head;
  const o = skb.data;
  const nh = skb.networkHeader;
  if (skb.len < UDP_HDR_LEN) {
    net.mib.inc(MIB.Udp6InErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, '__udp6_lib_rcv');
    return 0;
  }
  const ulen = ((b[o + 4] as number) << 8) | (b[o + 5] as number);
  if (ulen > skb.len || ulen < UDP_HDR_LEN) {
    net.mib.inc(MIB.Udp6InErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, '__udp6_lib_rcv');
    return 0;
  }
  if (ulen < skb.len) skb.trim(ulen);
  const saddr = in6Read(b, nh + IP6H_SADDR);
  const daddr = in6Read(b, nh + IP6H_DADDR);
  // a datagram sent CHECKSUM_PARTIAL over veth or lo is trusted as it is (skb_csum_unnecessary)
  if (skb.ipSummed !== CHECKSUM_PARTIAL && icmpv6_checksum(b, saddr, daddr, IPPROTO_UDP, o, ulen) !== 0) {
    net.mib.inc(MIB.Udp6InCsumErrors);
    net.mib.inc(MIB.Udp6InErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.UDP_CSUM, '__udp6_lib_rcv');
    return 0;
  }
  const sport = ((b[o] as number) << 8) | (b[o + 1] as number);
  const dport = ((b[o + 2] as number) << 8) | (b[o + 3] as number);
  const sk = __udp6_lib_lookup(net, saddr, sport, daddr, dport, IP6CB(skb).iif || skb.skbIif);
  if (sk) {
    kprobe(net, skb, 'udpv6_queue_rcv_skb');
    if (sock_queue_rcv_skb(net, sk, skb) === 0) net.mib.inc(MIB.Udp6InDatagrams);
    else {
      net.mib.inc(MIB.Udp6RcvbufErrors);
      net.mib.inc(MIB.Udp6InErrors);
      sk.drops++;
    }
    return 0;
  }
  net.mib.inc(MIB.Udp6NoPorts);
  icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NO_SOCKET, '__udp6_lib_rcv');
  return 0;
}

/** udpv6_err() → __udp6_lib_err(): the error about a datagram one of our sockets sent. */
export function udpv6_err(skb: SkBuff, type: number, code: number, inner: number, info: number): number {
  const net = (skb.dev as NonNullable<SkBuff['dev']>).net;
  const b = skb.head;
  // skb->data is at the quoted IPv6 header; inner at its UDP header
  const saddr = in6Read(b, skb.data + IP6H_SADDR);
  const daddr = in6Read(b, skb.data + IP6H_DADDR);
  const sport = ((b[inner] as number) << 8) | (b[inner + 1] as number);
  const dport = ((b[inner + 2] as number) << 8) | (b[inner + 3] as number);
  const sk = __udp6_lib_lookup(net, daddr, dport, saddr, sport, IP6CB(skb).iif || skb.skbIif);
  if (!sk) {
    net.mib.inc(MIB.Icmp6InErrors);
    return 0;
  }
  let { err, fatal } = icmpv6_err_convert(type, code);
  if (type === ICMPV6_PKT_TOOBIG) {
    core.ip6_sk_update_pmtu(skb, sk, info);
    if (sk.pmtudisc6 !== IPV6_PMTUDISC_DONT) fatal = true;
  }
  if (!sk.recverr6) {
    if (!fatal || sk.state !== 1) return 0;
  } else ipv6_icmp_error(net, sk, skb, err, dport, info, inner + UDP_HDR_LEN, type, code);
  sk.err = err;
  sk.wq.wakeUp();
  return 0;
}

/** udpv6_protocol: inet6_protos[IPPROTO_UDP] */
export const udpv6_protocol: Readonly<Inet6Protocol> = {
  handler: udpv6_rcv,
  err_handler: udpv6_err,
  flags: 0x3, // INET6_PROTO_NOPOLICY | INET6_PROTO_FINAL
};

/** udp_lib_get_port(): the port asked for unless taken; 0 picks one from ip_local_port_range. */
function udp_v6_get_port(sk: Sock6, snum: number): number {
  const net = sk.net;
  if (snum) {
    if (net.udp6Sockets.some((s) => s !== sk && s.sport === snum)) return -EADDRINUSE;
    sk.sport = snum;
  } else {
    const [lo, hi] = (net.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split('\t').map(Number) as [number, number];
    const span = hi - lo + 1;
    let p = lo + (net.kernel.sim.rng.u32() % span);
    let found = false;
    for (let i = 0; i < span; i++) {
      if (!net.udp6Sockets.some((s) => s.sport === p)) {
        found = true;
        break;
      }
      p = p === hi ? lo : p + 1;
    }
    if (!found) return -EAGAIN;
    sk.sport = p;
  }
  sk.bound = true;
  udpv6_prot.hash(sk);
  return 0;
}

/**
 * udpv6_sendmsg(): the destination (a scope id or IPV6_PKTINFO names the
 * interface), autobind, the route and source, the size check, the UDP
 * header with its checksum, out.
 */
function udpv6_sendmsg(sk: Sock6, data: Uint8Array, to: SockAddrIn6 | null, cmsg: Cmsg6): number {
  const net = sk.net;
  net.kernel.syscallEnter();
  let daddr: Uint8Array;
  let dport: number;
  let oif = 0;
  if (to) {
    if (!to.port) return -EINVAL;
    daddr = to.addr;
    dport = to.port;
    if (to.scopeId && ipv6_iface_scope_id(daddr, 1)) oif = to.scopeId;
  } else {
    if (sk.state !== 1) return -EDESTADDRREQ;
    daddr = sk.v6Daddr;
    dport = sk.dport;
  }
  if (!sk.sport) {
    const e = udp_v6_get_port(sk, 0);
    if (e) return e;
  }
  if (!oif) oif = sk.bindDev;
  if (cmsg.pktinfoIfindex) {
    if (oif && cmsg.pktinfoIfindex !== oif) return -EINVAL;
    oif = cmsg.pktinfoIfindex;
  }
  if (!oif) oif = sk.stickyIfindex;
  const fl6 = flowi6({ flowi6_proto: IPPROTO_UDP, flowi6_oif: oif, flowi6_mark: sk.mark, fl6_sport: sk.sport, fl6_dport: dport });
  if (!ipv6_addr_any(daddr)) fl6.daddr = daddr.slice();
  else fl6.daddr[15] = 1;
  if (!ipv6_addr_any(sk.v6Saddr)) fl6.saddr = sk.v6Saddr.slice();
  const dst = core.ip6_dst_lookup_flow(net, sk, fl6);
  if (typeof dst === 'number') return dst;
  const hlimit = core.ip6_sk_dst_hoplimit(net, sk.hopLimit, fl6, dst, sk.mcastHops);
  const len = UDP_HDR_LEN + data.length;
  const e = ip6_append_data_check(sk, fl6, dst, len);
  if (e) return e;
  const msg = new Uint8Array(len);
  msg[0] = sk.sport >> 8;
  msg[1] = sk.sport & 0xff;
  msg[2] = dport >> 8;
  msg[3] = dport & 0xff;
  msg[4] = (len >> 8) & 0xff;
  msg[5] = len & 0xff;
  msg.set(data, UDP_HDR_LEN);
  // ip6_append_data(): a device with checksum offload gets CHECKSUM_PARTIAL when the datagram fits;
  // udp6_hwcsum_outgoing() then leaves the pseudo-header sum for the device to finish
  const partial = len + 40 <= core.dst_mtu(dst);
  const ck = partial
    ? udp6_pseudo_sum(fl6.saddr, fl6.daddr, len)
    : icmpv6_checksum(msg, fl6.saddr, fl6.daddr, IPPROTO_UDP, 0, len) || 0xffff;
  msg[6] = ck >> 8;
  msg[7] = ck & 0xff;
  const r = core.ip6_push_frames(
    net,
    sk,
    fl6,
    dst,
    { proto: IPPROTO_UDP, hlimit, tclass: sk.tclass, icmpType: 0, via: VIA_UDP, dontfrag: false, csumPartial: partial },
    msg,
  );
  if (r < 0) return r;
  net.mib.inc(MIB.Udp6OutDatagrams);
  return data.length;
}
const VIA_UDP = ['udpv6_sendmsg', 'ip6_make_skb', 'udp_v6_send_skb', 'ip6_send_skb'] as const;

/** ~csum_ipv6_magic(saddr, daddr, len, IPPROTO_UDP, 0): the folded pseudo-header sum a CHECKSUM_PARTIAL datagram carries. */
function udp6_pseudo_sum(saddr: Uint8Array, daddr: Uint8Array, len: number): number {
  let sum = IPPROTO_UDP + (len >>> 16) + (len & 0xffff);
  for (let i = 0; i < 16; i += 2)
    sum += (((saddr[i] as number) << 8) | (saddr[i + 1] as number)) + (((daddr[i] as number) << 8) | (daddr[i + 1] as number));
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** udpv6_recvmsg() without waiting: the payload, the sender and its scope. */
function udpv6_recvmsg(sk: Sock6, len: number, peek: boolean): RecvResult6 | number {
  const skb = sk.rcvQueue[0];
  if (!skb) return -EAGAIN;
  sk.net.kernel.syscallEnter();
  const b = skb.head;
  const data = b.slice(skb.data + UDP_HDR_LEN, skb.tail);
  const saddr = in6Read(b, skb.networkHeader + IP6H_SADDR);
  const sport = ((b[skb.data] as number) << 8) | (b[skb.data + 1] as number);
  const from = { addr: saddr, port: sport, scopeId: ipv6_iface_scope_id(saddr, IP6CB(skb).iif || skb.skbIif) };
  const hoplimit = sk.rxHoplimit ? (b[skb.networkHeader + 7] as number) : -1;
  if (!peek) {
    sk.rcvQueue.shift();
    sk.rcvQueueBytes -= skb.truesize();
    skb.release();
  }
  return { data: len >= data.length ? data : data.slice(0, len), from, hoplimit };
}

/** struct proto udpv6_prot */
export const udpv6_prot: Readonly<Proto6> = {
  bind: (sk, a) => {
    if (!ipv6_addr_any(a.addr)) {
      if (ipv6_iface_scope_id(a.addr, 1) && a.scopeId) sk.bindDev = a.scopeId;
      const dev = sk.bindDev ? (sk.net.devByIndex.get(sk.bindDev) ?? null) : null;
      if (!core.ipv6_chk_addr(sk.net, a.addr, dev, false)) return -99; // EADDRNOTAVAIL
    }
    if (sk.sport) return -EINVAL;
    sk.v6RcvSaddr = a.addr.slice();
    sk.v6Saddr = a.addr.slice();
    const e = udp_v6_get_port(sk, a.port);
    if (e) {
      sk.v6RcvSaddr = new Uint8Array(16);
      sk.v6Saddr = new Uint8Array(16);
      return e;
    }
    if (!ipv6_addr_any(a.addr)) sk.userlocks |= 4;
    if (a.port) sk.userlocks |= 8;
    return 0;
  },
  connect: (sk, a) => {
    if (!sk.sport) {
      const e = udp_v6_get_port(sk, 0);
      if (e) return e;
    }
    return __ip6_datagram_connect(sk, a);
  },
  sendmsg: udpv6_sendmsg,
  recvmsg: udpv6_recvmsg,
  setsockopt: ipv6_setsockopt,
  getsockopt: ipv6_getsockopt,
  close: (sk) => dgram_sk_common_release(sk),
  disconnect: ip6_datagram_disconnect,
  hash: (sk) => {
    if (!sk.net.udp6Sockets.includes(sk)) sk.net.udp6Sockets.push(sk);
  },
  unhash: (sk) => {
    const i = sk.net.udp6Sockets.indexOf(sk);
    if (i >= 0) sk.net.udp6Sockets.splice(i, 1);
  },
};
