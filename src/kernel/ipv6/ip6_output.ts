// net/ipv6/ip6_output.c and output_core.c: ip6_xmit (a transport hands a
// segment with its route), ip6_local_out → LOCAL_OUT → dst_output, ip6_output
// → POST_ROUTING → ip6_finish_output → ip6_finish_output2, which loops a
// multicast copy back to this host when it is a member of the group and hands
// the packet to the nd_tbl neighbour of the next hop. ip6_forward and
// ip6_fragment are v6route's and sit at the end of this file.
import { dev_loopback_xmit } from '../core/dev.ts';
import { ETH_P_IPV6, IFF_LOOPBACK, type NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { neigh_output } from '../ipv4/ip_output.ts';
import type { Net } from '../net_namespace.ts';
import { NF_HOOK, NF_HOOK_COND, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NFPROTO_IPV6, nf_hook } from '../netfilter/core.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { EINVAL, EMSGSIZE } from '../uapi/errno.ts';
import { IP6H_DADDR, IP6H_HOP_LIMIT, IP6H_NEXTHDR, IP6H_PAYLOAD_LEN, IP6H_SADDR, IPV6_HEADER_LEN } from '../../wire/ipv6.ts';
import { IPV6_ADDR_MC_SCOPE, IPV6_ADDR_SCOPE_NODELOCAL } from './addrconf_core.ts';
import { ipv6_chk_mcast_addr } from './mcast.ts';
import { ip6_dst_hoplimit, ip6_mtu } from './route.ts';
import { type Flowi6, IP6CB, IP6SKB_FORWARDED, IP6SKB_REROUTED, ip6_dst_idev, type Rt6Info, rt6_nexthop } from './route_types.ts';

/** IPV6_MAXPLEN */
const IPV6_MAXPLEN = 65535;

/** ip6_flow_hdr(): version 6, the traffic class and the flow label in the first word. */
export function ip6_flow_hdr(b: Uint8Array, o: number, tclass: number, flowlabel: number): void {
  const w = ((6 << 28) | ((tclass & 0xff) << 20) | (flowlabel & 0xfffff)) >>> 0;
  b[o] = w >>> 24;
  b[o + 1] = (w >>> 16) & 0xff;
  b[o + 2] = (w >>> 8) & 0xff;
  b[o + 3] = w & 0xff;
}

function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

/** The IPv6 header of skb at its network header: payload length, next header, hop limit and addresses. */
export function ip6_fill_hdr(skb: SkBuff, proto: number, hlimit: number, saddr: Uint8Array, daddr: Uint8Array, payloadLen: number): void {
  const b = skb.head;
  const o = skb.networkHeader;
  wr16(b, o + IP6H_PAYLOAD_LEN, payloadLen);
  b[o + IP6H_NEXTHDR] = proto;
  b[o + IP6H_HOP_LIMIT] = hlimit;
  b.set(saddr.subarray(0, 16), o + IP6H_SADDR);
  b.set(daddr.subarray(0, 16), o + IP6H_DADDR);
}

/** The destination address of the IPv6 header at skb's network header (a view, not a copy). */
const hdr_daddr = (skb: SkBuff): Uint8Array => skb.head.subarray(skb.networkHeader + IP6H_DADDR, skb.networkHeader + IP6H_DADDR + 16);
const hdr_saddr = (skb: SkBuff): Uint8Array => skb.head.subarray(skb.networkHeader + IP6H_SADDR, skb.networkHeader + IP6H_SADDR + 16);

/** dst_output() for IPv6: the route's output (ip6_output, ip6_pkt_discard_out …). */
export function dst_output6(net: Net, sk: Sock | null, skb: SkBuff): number {
  return (skb.dst6 as Rt6Info).output(net, sk, skb);
}

/**
 * ip6_xmit(): the IPv6 header in front of a transport's segment (TCP, SCTP
 * and the kernel's own replies), Ip6OutRequests, LOCAL_OUT, dst_output; a
 * segment over the path MTU fails with EMSGSIZE (Ip6FragFails). Takes
 * ownership of skb; skb.dst6 is the route. `hlimit` < 0: the route's.
 */
export function ip6_xmit(
  net: Net,
  sk: Sock | null,
  skb: SkBuff,
  fl6: Flowi6,
  mark: number,
  tclass: number,
  priority: number,
  hlimit = -1,
): number {
  kprobe(net, skb, 'ip6_xmit');
  const rt = skb.dst6 as Rt6Info;
  const dev = rt.dev;
  const seg_len = skb.len;
  const proto = fl6.flowi6_proto;
  skb.push(IPV6_HEADER_LEN);
  skb.resetNetworkHeader();
  const hl = hlimit < 0 ? ip6_dst_hoplimit(rt) : hlimit;
  ip6_flow_hdr(skb.head, skb.networkHeader, tclass, fl6.flowlabel);
  ip6_fill_hdr(skb, proto, hl, fl6.saddr, fl6.daddr, seg_len > IPV6_MAXPLEN ? 0 : seg_len);
  skb.protocol = ETH_P_IPV6;
  skb.priority = priority;
  skb.mark = mark;
  const mtu = ip6_mtu(rt);
  if (skb.len <= mtu || skb.ignoreDf || skb.gsoSize) {
    net.mib.inc(MIB.Ip6OutRequests);
    return NF_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, net, sk, skb, null, dev, dst_output6);
  }
  skb.dev = dev;
  // ipv6_local_error(sk, EMSGSIZE, fl6, mtu) queues the error on the socket (icmp6's ipv6_pinfo)
  net.mib.inc(MIB.Ip6FragFails);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip6_xmit', () => `${skb.len} bytes over the path MTU ${mtu}`);
  return -EMSGSIZE;
}

/** __ip6_local_out(): the payload length, then LOCAL_OUT; 1 when the hook let it through. */
export function __ip6_local_out(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, '__ip6_local_out');
  let len = skb.len - IPV6_HEADER_LEN;
  if (len > IPV6_MAXPLEN) len = 0;
  wr16(skb.head, skb.networkHeader + IP6H_PAYLOAD_LEN, len);
  IP6CB(skb).nhoff = IP6H_NEXTHDR;
  skb.protocol = ETH_P_IPV6;
  return nf_hook(NFPROTO_IPV6, NF_INET_LOCAL_OUT, net, sk, skb, null, skb.dst6?.dev ?? null);
}

/** ip6_local_out(): __ip6_local_out, then dst_output. Takes ownership of skb. */
export function ip6_local_out(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_local_out');
  const err = __ip6_local_out(net, sk, skb);
  if (err === 1) return dst_output6(net, sk, skb);
  return err;
}

/** ip6_output(): a device without IPv6 (disable_ipv6) drops it (Ip6OutDiscards); else POST_ROUTING. */
export function ip6_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_output');
  const rt = skb.dst6 as Rt6Info;
  const indev = skb.dev;
  const dev = rt.dev;
  const idev = ip6_dst_idev(rt);
  skb.protocol = ETH_P_IPV6;
  skb.dev = dev;
  if (!idev || idev.cnf.disable_ipv6) {
    net.mib.inc(MIB.Ip6OutDiscards);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IPV6DISABLED, 'ip6_output', () => `disable_ipv6 is set on ${dev.name}`);
    return 0;
  }
  const rerouted = ((skb.cb.ip6?.flags ?? 0) & IP6SKB_REROUTED) !== 0;
  return NF_HOOK_COND(NFPROTO_IPV6, NF_INET_POST_ROUTING, net, sk, skb, indev, dev, ip6_finish_output, !rerouted);
}

/** ip6_finish_output(): the cgroup egress program (none), then __ip6_finish_output. */
export function ip6_finish_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_finish_output');
  return __ip6_finish_output(net, sk, skb);
}

/** ip6_skb_dst_mtu() */
function ip6_skb_dst_mtu(skb: SkBuff): number {
  return ip6_mtu(skb.dst6 as Rt6Info);
}

function __ip6_finish_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  const mtu = ip6_skb_dst_mtu(skb);
  if (skb.gsoSize) return ip6_finish_output2(net, sk, skb);
  const fms = skb.cb.ip6?.frag_max_size ?? 0;
  if (skb.len > mtu || (fms && skb.len > fms)) return ip6_fragment(net, sk, skb, ip6_finish_output2);
  return ip6_finish_output2(net, sk, skb);
}

/** sk_mc_loop(): without a socket (or with IPV6_MULTICAST_LOOP on, the default) multicast loops back. */
function sk_mc_loop(sk: Sock | null): boolean {
  if (!sk) return true;
  const loop = (sk as Sock & { mcLoop?: boolean }).mcLoop;
  return loop !== false;
}

/**
 * ip6_finish_output2(): a multicast packet for a group this host joined loops
 * a copy back (dev_loopback_xmit through POST_ROUTING); Ip6OutMcastPkts,
 * Ip6OutTransmits/Ip6OutOctets; then the nd_tbl neighbour of the next hop.
 */
export function ip6_finish_output2(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_finish_output2');
  const rt = skb.dst6 as Rt6Info;
  const dev: NetDevice = rt.dev;
  const daddr = hdr_daddr(skb);
  if (daddr[0] === 0xff) {
    if (!(dev.flags & IFF_LOOPBACK) && sk_mc_loop(sk) && ipv6_chk_mcast_addr(dev, daddr, hdr_saddr(skb))) {
      const newskb = skb.clone();
      NF_HOOK(NFPROTO_IPV6, NF_INET_POST_ROUTING, net, sk, newskb, null, newskb.dev, dev_loopback_xmit);
      if (skb.head[skb.networkHeader + IP6H_HOP_LIMIT] === 0) {
        net.mib.inc(MIB.Ip6OutDiscards);
        kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip6_finish_output2');
        return 0;
      }
    }
    net.mib.inc(MIB.Ip6OutMcastPkts);
    net.mib.inc(MIB.Ip6OutMcastOctets, skb.len);
    if (IPV6_ADDR_MC_SCOPE(daddr) <= IPV6_ADDR_SCOPE_NODELOCAL && !(dev.flags & IFF_LOOPBACK)) {
      kfree_skb_reason(
        net,
        skb,
        SKB_DROP_REASON.NOT_SPECIFIED,
        'ip6_finish_output2',
        () => 'interface-local multicast does not leave the host',
      );
      return 0;
    }
  }
  net.mib.inc(MIB.Ip6OutTransmits);
  net.mib.inc(MIB.Ip6OutOctets, skb.len);
  const nexthop = rt6_nexthop(rt, daddr);
  const tbl = net.ipv6.ndTbl;
  let n = tbl.lookup6(dev, nexthop);
  if (!n) {
    n = tbl.create6(dev, nexthop);
    if (!n) {
      net.mib.inc(MIB.Ip6OutNoRoutes);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.NEIGH_CREATEFAIL, 'ip6_finish_output2');
      return -EINVAL;
    }
  }
  return neigh_output(n, skb);
}

/** Whether a packet was forwarded (IP6SKB_FORWARDED): ip6_forward_finish sets it. */
export const ip6_skb_forwarded = (skb: SkBuff): boolean => ((skb.cb.ip6?.flags ?? 0) & IP6SKB_FORWARDED) !== 0;

// ---------------------------------------------------------------------------
// v6route: ip6_forward and ip6_fragment below. The ip6_fragment here is the
// placeholder v6core's output path calls (a packet over the MTU is dropped,
// Ip6FragFails); v6route replaces it with the real one behind this signature.
// ---------------------------------------------------------------------------

/** ip6_fragment(): splits skb into fragments that fit the MTU, each through output. */
export function ip6_fragment(net: Net, _sk: Sock | null, skb: SkBuff, output: (net: Net, sk: Sock | null, skb: SkBuff) => number): number {
  kprobe(net, skb, 'ip6_fragment');
  void output;
  net.mib.inc(MIB.Ip6FragFails);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_BIG, 'ip6_fragment');
  return -EMSGSIZE;
}
