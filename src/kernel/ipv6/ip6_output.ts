// net/ipv6/ip6_output.c and output_core.c: ip6_xmit (a transport hands a
// segment with its route), ip6_local_out → LOCAL_OUT → dst_output, ip6_output
// → POST_ROUTING → ip6_finish_output → ip6_finish_output2, which loops a
// multicast copy back to this host when it is a member of the group and hands
// the packet to the nd_tbl neighbour of the next hop. ip6_forward and
// ip6_fragment are v6route's and sit at the end of this file.
import { dev_loopback_xmit } from '../core/dev.ts';
import { ETH_P_IPV6, IFF_LOOPBACK, type NetDevice } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import { neigh_output } from '../ipv4/ip_output.ts';
import type { Net } from '../net_namespace.ts';
import {
  NF_HOOK,
  NF_HOOK_COND,
  NF_INET_FORWARD,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NFPROTO_IPV6,
  nf_hook,
} from '../netfilter/core.ts';
import { alloc_skb, PACKET_HOST, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { EINVAL, EMSGSIZE, ETIMEDOUT } from '../uapi/errno.ts';
import {
  IP6H_DADDR,
  IP6H_HOP_LIMIT,
  IP6H_NEXTHDR,
  IP6H_PAYLOAD_LEN,
  IP6H_SADDR,
  IPV6_HEADER_LEN,
  IPV6_MIN_MTU,
  NEXTHDR_DEST,
  NEXTHDR_FRAGMENT,
  NEXTHDR_HOP,
  NEXTHDR_ROUTING,
} from '../../wire/ipv6.ts';
import { __in6_dev_get } from './addrconf.ts';
import { icmpv6_send } from './icmp.ts';
import {
  IPV6_ADDR_LINKLOCAL,
  IPV6_ADDR_LOOPBACK,
  IPV6_ADDR_MC_SCOPE,
  IPV6_ADDR_MULTICAST,
  IPV6_ADDR_SCOPE_NODELOCAL,
  ipv6_addr_type,
} from './addrconf_core.ts';
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
// v6route: ip6_fragment (at the source only: a router never fragments) and
// ip6_forward below.
// ---------------------------------------------------------------------------

/** ip6_find_1stfragopt(): the length of the unfragmentable part (the IPv6 header, hop-by-hop, routing, and destination options before routing). */
function ip6_find_1stfragopt(b: Uint8Array, n: number, len: number): { hlen: number; nhoff: number } {
  let offset = IPV6_HEADER_LEN;
  let nhoff = IP6H_NEXTHDR;
  let nexthdr = b[n + IP6H_NEXTHDR] as number;
  let foundRhdr = false;
  while (offset + 8 <= len) {
    if (nexthdr === NEXTHDR_ROUTING) foundRhdr = true;
    else if (nexthdr === NEXTHDR_DEST) {
      if (foundRhdr) break;
    } else if (nexthdr !== NEXTHDR_HOP) break;
    nhoff = offset;
    nexthdr = b[n + offset] as number;
    offset += ((b[n + offset + 1] as number) + 1) << 3;
  }
  return { hlen: offset, nhoff };
}

/**
 * ipv6_select_ident(): the fragment identification, from a per-namespace
 * sequence keyed by the address pair (Linux hashes the pair with a boot-time
 * key into ip_idents; here the scenario's RNG seeds each pair's start).
 */
export function ipv6_select_ident(net: Net, daddr: Uint8Array, saddr: Uint8Array): number {
  let key = '';
  for (let i = 0; i < 16; i++) key += String.fromCharCode(daddr[i] ?? 0, saddr[i] ?? 0);
  let id = net.ipv6.idents.get(key);
  id = id === undefined ? net.kernel.sim.rng.u32() >>> 0 : (id + 1) >>> 0;
  net.ipv6.idents.set(key, id);
  return id || 0x80000000;
}

/**
 * ip6_fragment(): cuts skb into fragments of the path MTU (multiples of 8
 * bytes of the fragmentable part behind a copy of the unfragmentable one and
 * a fragment header), each through output. A datagram that may not be
 * fragmented (no ignore_df) gets packet too big.
 */
export function ip6_fragment(net: Net, sk: Sock | null, skb: SkBuff, output: (net: Net, sk: Sock | null, skb: SkBuff) => number): number {
  kprobe(net, skb, 'ip6_fragment');
  const rt = skb.dst6 as Rt6Info;
  let mtu = ip6_mtu(rt);
  const fms = IP6CB(skb).frag_max_size;
  if (fms && fms < mtu) mtu = fms;
  const b = skb.head;
  const n = skb.networkHeader;
  const total = skb.tail - n;
  const { hlen, nhoff } = ip6_find_1stfragopt(b, n, total);
  if ((!skb.ignoreDf && skb.len > mtu) || (fms && fms > mtu) || mtu < hlen + 8 + 8) {
    skb.dev = rt.dev;
    icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
    net.mib.inc(MIB.Ip6FragFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_BIG, 'ip6_fragment', () => `${skb.len} bytes > mtu ${mtu}`);
    return -EMSGSIZE;
  }
  const fragId = ipv6_select_ident(net, b.slice(n + IP6H_DADDR, n + IP6H_DADDR + 16), b.slice(n + IP6H_SADDR, n + IP6H_SADDR + 16));
  const nexthdr = b[n + nhoff] as number;
  const room = mtu - hlen - 8;
  let left = total - hlen;
  let offset = 0;
  let err = 0;
  const mac = skb.macHeader >= 0 && skb.macHeader < n ? n - skb.macHeader : 0;
  while (left > 0) {
    let len = Math.min(left, room);
    if (len < left) len &= ~7;
    const frag = alloc_skb(net.kernel, hlen + 8 + len, 64 + mac);
    const w = frag.put(hlen + 8 + len);
    const fb = frag.head;
    fb.set(b.subarray(n, n + hlen), w);
    fb[w + nhoff] = NEXTHDR_FRAGMENT;
    fb[w + hlen] = nexthdr;
    fb[w + hlen + 1] = 0;
    const fo = offset | (left - len > 0 ? 1 : 0);
    fb[w + hlen + 2] = (fo >> 8) & 0xff;
    fb[w + hlen + 3] = fo & 0xff;
    fb[w + hlen + 4] = (fragId >>> 24) & 0xff;
    fb[w + hlen + 5] = (fragId >>> 16) & 0xff;
    fb[w + hlen + 6] = (fragId >>> 8) & 0xff;
    fb[w + hlen + 7] = fragId & 0xff;
    fb.set(b.subarray(n + hlen + offset, n + hlen + offset + len), w + hlen + 8);
    const plen = hlen + 8 + len - IPV6_HEADER_LEN;
    fb[w + IP6H_PAYLOAD_LEN] = (plen >> 8) & 0xff;
    fb[w + IP6H_PAYLOAD_LEN + 1] = plen & 0xff;
    frag.networkHeader = w;
    frag.transportHeader = w + hlen + 8;
    frag.origin = skb.origin;
    frag.dev = skb.dev;
    frag.dst6 = skb.dst6;
    frag.sk = skb.sk;
    frag.protocol = skb.protocol;
    frag.mark = skb.mark;
    frag.priority = skb.priority;
    frag.cb = { ip6: { ...IP6CB(skb) } };
    net.mib.inc(MIB.Ip6FragCreates);
    err = output(net, sk, frag);
    offset += len;
    left -= len;
  }
  net.mib.inc(MIB.Ip6FragOKs);
  consume_skb(net, skb, 'ip6_fragment');
  return err;
}

// --- ip6_forward (v6route): a datagram for another host ---

/** ip6_dst_mtu_maybe_forward(dst, true): a locked route mtu, else the device's mtu6. */
function ip6_dst_mtu_forward(rt: Rt6Info): number {
  if (rt.metrics.locks & (1 << 2) && rt.metrics.mtu) return rt.metrics.mtu;
  const idev = __in6_dev_get(rt.dev);
  return idev ? idev.cnf.mtu6 : IPV6_MIN_MTU;
}

/** ip6_pkt_too_big() */
function ip6_pkt_too_big(skb: SkBuff, mtu: number): boolean {
  if (skb.len <= mtu) return false;
  const fms = IP6CB(skb).frag_max_size;
  if (fms && fms > mtu) return true;
  if (skb.ignoreDf) return false;
  if (skb.gsoSize && skb.gsoSize + 40 <= mtu) return false;
  return true;
}

/**
 * ip6_forward(): the input of a route to another host. Forwarding off, a
 * spent hop limit, a source that must not be forwarded, or a datagram
 * bigger than the next hop's MTU (IPv6 routers never fragment) end here with
 * Linux's ICMPv6 error, counter and reason; the rest goes through FORWARD.
 */
export function ip6_forward(skb: SkBuff): number {
  const rt = skb.dst6 as Rt6Info;
  const net = rt.dev.net;
  kprobe(net, skb, 'ip6_forward');
  const opt = IP6CB(skb);
  const inDev = net.devByIndex.get(opt.iif) ?? null;
  const idev = inDev ? __in6_dev_get(inDev) : null;
  const b = skb.head;
  const o = skb.networkHeader;
  const error = (why: string): number => {
    net.mib.inc(MIB.Ip6InAddrErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_INADDRERRORS, 'ip6_forward', () => why);
    return -EINVAL;
  };
  if (!net.ipv6.devconfAll.forwarding && (!idev || !idev.cnf.force_forwarding)) return error('forwarding is off');
  if (skb.pktType !== PACKET_HOST || skb.sk) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip6_forward', () => 'not for this host at link level');
    return -EINVAL;
  }
  if ((b[o + 7] as number) <= 1) {
    icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
    net.mib.inc(MIB.Ip6InHdrErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_INHDR, 'ip6_forward', () => `hop limit ${b[o + 7]}`);
    return -ETIMEDOUT;
  }
  const dev = rt.dev;
  const saddr = b.subarray(o + 8, o + 24);
  if (opt.iif === dev.ifindex && opt.srcrt === 0) {
    // the same device in and out: a redirect (ndisc_send_redirect) is v6core's; the datagram goes on
  } else {
    const t = ipv6_addr_type(saddr);
    if (t === 0 || t & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK)) return error('source address not forwardable');
    if (t & IPV6_ADDR_LINKLOCAL) {
      icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_NOT_NEIGHBOUR, 0);
      return error('link-local source');
    }
  }
  net.mib.inc(MIB.Ip6OutForwDatagrams);
  let mtu = ip6_dst_mtu_forward(rt);
  if (mtu < IPV6_MIN_MTU) mtu = IPV6_MIN_MTU;
  if (ip6_pkt_too_big(skb, mtu)) {
    skb.dev = dev;
    icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
    net.mib.inc(MIB.Ip6InTooBigErrors);
    net.mib.inc(MIB.Ip6FragFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_BIG, 'ip6_forward', () => `${skb.len} bytes > mtu ${mtu} of ${dev.name}`);
    return -EMSGSIZE;
  }
  skb.unshare();
  skb.head[skb.networkHeader + 7] = (skb.head[skb.networkHeader + 7] as number) - 1;
  return NF_HOOK(NFPROTO_IPV6, NF_INET_FORWARD, net, null, skb, skb.dev, dev, ip6_forward_finish);
}

/** ip6_forward_finish() */
function ip6_forward_finish(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_forward_finish');
  return dst_output6(net, sk, skb);
}

// include/uapi/linux/icmpv6.h
const ICMPV6_DEST_UNREACH = 1;
const ICMPV6_PKT_TOOBIG = 2;
const ICMPV6_TIME_EXCEED = 3;
const ICMPV6_NOT_NEIGHBOUR = 2;
const ICMPV6_EXC_HOPLIMIT = 0;
