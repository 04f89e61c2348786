// What ICMPv6 and the IPv6 datagram sockets (icmp.ts, raw.ts, ping.ts,
// udp.ts, datagram.ts) call in the rest of the IPv6 stack, in one place:
// the route lookups and metrics (route.ts), the output path (ip6_output.ts:
// here ip6_make_skb / ip6_send_skb, the one-datagram form of ip6_append_data
// + ip6_push_pending_frames), the address checks of addrconf, ndisc and MLD
// input, the PMTU exceptions (route.ts's ip6_update_pmtu), and the
// extension-header walk (exthdrs_core).
import { IFF_LOOPBACK, type NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { alloc_skb, CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { MIB } from '../trace/snmp.ts';
import { kprobe } from '../trace/probe.ts';
import { ENOBUFS } from '../uapi/errno.ts';
import { IPPROTO_ICMPV6 } from '../uapi/in6.ts';
import { IPV6_HEADER_LEN } from '../../wire/ipv6.ts';
import { ipv6_addr_is_multicast } from './addrconf_core.ts';
import { ipv6_ext_hdr, ipv6_skip_exthdr } from './exthdrs_core.ts';
import { igmp6_event_query, igmp6_event_report } from './mcast.ts';
import { ndisc_rcv } from './ndisc.ts';
import { ip6_fill_hdr, ip6_flow_hdr, ip6_local_out } from './ip6_output.ts';
import { ip6_dst_hoplimit, ip6_dst_lookup_flow, ip6_mtu, ip6_route_output, ip6_update_pmtu } from './route.ts';
import { ipv6_chk_addr, ipv6_dev_get_saddr } from './addrconf.ts';
import { RTF_ANYCAST, RTF_LOCAL, type Flowi6, type Rt6Info } from './route_types.ts';

const LL_RESERVED = 32;

/** What one datagram is sent with (the cork of ip6_append_data). */
export interface Ip6Cork {
  proto: number;
  hlimit: number;
  tclass: number;
  /** fl6->fl6_icmp_type for the Icmp6OutType counter of an ICMPv6 message. */
  icmpType: number;
  /** The functions the datagram went through before ip6_make_skb, for skbpath trace. */
  via: readonly string[];
  /** IPV6_DONTFRAG / PMTUDISC_DO: the output path must not fragment it. */
  dontfrag?: boolean;
  /** CHECKSUM_PARTIAL: the transport checksum holds the pseudo-header sum for the device to finish. */
  csumPartial?: boolean;
}

/**
 * ip6_make_skb() → __ip6_make_skb(): the IPv6 header over `payload`
 * (transport header and data), the Icmp6Out counters of an ICMPv6 message,
 * then ip6_send_skb(). 0 or a negative errno.
 */
function ip6_push_frames(net: Net, sk: Sock | null, fl6: Flowi6, rt: Rt6Info, cork: Ip6Cork, payload: Uint8Array): number {
  const skb = alloc_skb(net.kernel, IPV6_HEADER_LEN + payload.length, LL_RESERVED);
  const o = skb.put(IPV6_HEADER_LEN + payload.length);
  skb.networkHeader = o;
  skb.transportHeader = o + IPV6_HEADER_LEN;
  skb.head.set(payload, o + IPV6_HEADER_LEN);
  ip6_flow_hdr(skb.head, o, cork.tclass, fl6.flowlabel);
  ip6_fill_hdr(skb, cork.proto, cork.hlimit, fl6.saddr, fl6.daddr, payload.length);
  skb.protocol = 0x86dd;
  skb.dst6 = rt;
  skb.sk = sk;
  skb.mark = fl6.flowi6_mark;
  skb.dev = rt.dev;
  skb.ignoreDf = !cork.dontfrag;
  if (cork.csumPartial) skb.ipSummed = CHECKSUM_PARTIAL;
  if (net.kernel.path.enabled) for (const fn of cork.via) kprobe(net, skb, fn);
  kprobe(net, skb, '__ip6_make_skb');
  net.mib.inc(MIB.Ip6OutRequests);
  if (cork.proto === IPPROTO_ICMPV6) {
    net.mib.icmp6MsgOut(cork.icmpType);
    net.mib.inc(MIB.Icmp6OutMsgs);
  }
  return ip6_send_skb(net, skb);
}

/** ip6_send_skb(): errors of the output path count as Ip6OutDiscards. */
function ip6_send_skb(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_send_skb');
  let err = ip6_local_out(net, skb.sk, skb);
  if (err) {
    if (err > 0) err = err === 2 ? 0 : -ENOBUFS; // net_xmit_errno: NET_XMIT_CN is not an error
    if (err) net.mib.inc(MIB.Ip6OutDiscards);
  }
  return err;
}

/** ip6_sk_dst_hoplimit(): the socket's (unicast or multicast) hop limit, else the route's. */
function ip6_sk_dst_hoplimit(_net: Net, hopLimit: number, fl6: Flowi6, dst: Rt6Info, mcastHops = -1): number {
  let h = ipv6_addr_is_multicast(fl6.daddr) ? mcastHops : hopLimit;
  if (h < 0) h = ipv6_addr_is_multicast(fl6.daddr) ? 1 : ip6_dst_hoplimit(dst);
  return h;
}

/** ipv6_anycast_destination(): the route says anycast (or a /128 to the subnet-router address). */
function ipv6_anycast_destination(skb: SkBuff, _daddr: Uint8Array): boolean {
  const rt = skb.dst6;
  return !!rt && (rt.rt6i_flags & RTF_ANYCAST) !== 0;
}

/** ipv6_unicast_destination(): the packet came to one of our unicast addresses (RTF_LOCAL). */
function ipv6_unicast_destination(skb: SkBuff): boolean {
  const rt = skb.dst6;
  return !!rt && (rt.rt6i_flags & RTF_LOCAL) !== 0;
}

/** ip6_dst_lookup(): the route and source of an ICMPv6 message the kernel sends. */
function ip6_dst_lookup(net: Net, sk: Sock | null, fl6: Flowi6): Rt6Info | number {
  return ip6_dst_lookup_flow(net, sk, fl6, null);
}

export const icmpv6_deps = Object.freeze({
  ip6_route_output,
  ip6_dst_lookup,
  ip6_dst_lookup_flow: (net: Net, sk: Sock | null, fl6: Flowi6): Rt6Info | number => ip6_dst_lookup_flow(net, sk, fl6, null),
  ip6_sk_dst_hoplimit,
  dst_mtu: (rt: Rt6Info): number => ip6_mtu(rt),
  ip6_push_frames,
  ipv6_chk_addr: (net: Net, addr: Uint8Array, dev: NetDevice | null, strict: boolean): boolean =>
    ipv6_chk_addr(net, addr, dev, strict ? 1 : 0),
  ipv6_dev_get_saddr: (net: Net, dev: NetDevice, daddr: Uint8Array): Uint8Array | null => ipv6_dev_get_saddr(net, dev, daddr, 0),
  ipv6_anycast_destination,
  ipv6_unicast_destination,
  ipv6_skip_exthdr,
  ipv6_ext_hdr,
  ndisc_rcv,
  igmp6_event_query,
  igmp6_event_report,
  ip6_update_pmtu,
  ip6_sk_update_pmtu: (skb: SkBuff, sk: Sock, mtu: number): void => ip6_update_pmtu(skb, sk.net, mtu, sk.bindDev, sk.mark),
  isLoopback: (dev: NetDevice): boolean => (dev.flags & IFF_LOOPBACK) !== 0,
});
