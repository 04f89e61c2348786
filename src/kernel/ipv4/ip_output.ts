// net/ipv4/ip_output.c: building datagrams, ip_local_out, ip_output,
// fragmentation and the hand-off to the neighbour layer.
import { ip_forward_options, ip_options_build, type IpOptions } from './ip_options.ts';
import { kprobe } from '../trace/probe.ts';
import { eth_header } from '../core/eth.ts';
import { __neigh_event_send, NUD_CONNECTED, type Neighbour } from '../core/neighbour.ts';
import { dev_loopback_xmit, dev_queue_xmit } from '../core/dev.ts';
import { ETH_P_IP, IFF_LOOPBACK, NET_XMIT_CN } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { NF_HOOK, NF_HOOK_COND, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NFPROTO_IPV4, nf_hook } from '../netfilter/core.ts';
import { alloc_skb, CHECKSUM_PARTIAL, IPSKB_REROUTED, type SkBuff } from '../skbuff.ts';
import { skb_checksum_help } from '../core/gso.ts';
import { IP_PMTUDISC_DO, IP_PMTUDISC_PROBE, IPPROTO_ICMP, type Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { icmp_out_count, icmp_send } from './icmp.ts';
import { ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED } from '../../wire/icmp.ts';
import { IP_DF, IP_MF, IP_OFFSET, ip_send_check, iph_daddr, iph_frag_off, iph_ihl, iph_tot_len, tcp_hdr, wr16, wr32 } from './iphdr.ts';
import {
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TOT_LEN,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPV4_HEADER_LEN,
} from '../../wire/ipv4.ts';
import { tcph_doff } from '../../wire/tcp.ts';
import { dst_mtu, RTCF_BROADCAST, RTCF_LOCAL, RTCF_MULTICAST, Rtable } from './route.ts';
import { EINVAL, EMSGSIZE, ENOBUFS } from '../uapi/errno.ts';

const LL_RESERVED = 32;

/** What ip_append_data/ip_push_pending_frames carry (struct inet_cork + ipcm). */
export interface IpCork {
  saddr: number;
  daddr: number;
  protocol: number;
  ttl: number;
  tos: number;
  /** ip_dont_fragment() for this socket and route */
  df: boolean;
  sk: Sock | null;
  rt: Rtable;
  /** fl4_icmp_type for raw ICMP sockets (what icmp_out_count counts). */
  icmpType: number;
  mark: number;
  priority: number;
  /** The transport checksum is left to the device (CHECKSUM_PARTIAL). */
  csumPartial?: boolean;
  /** A GSO super-packet: its segment size and count (TCP with TSO). */
  gsoSize?: number;
  gsoSegs?: number;
  /** IP options (ipc.opt): ip_options_build writes them after the header. */
  opt?: IpOptions;
  /** The functions the new skb passes before ip_send_skb (the path stream's kprobes); ip_push_pending_frames when absent. */
  via?: readonly string[];
}

/** ip_dont_fragment(): DF for this socket on this route. */
export function ip_dont_fragment(sk: Sock | null, rt: Rtable): boolean {
  if (!sk) return false;
  if (sk.pmtudisc >= IP_PMTUDISC_DO) return true;
  return sk.pmtudisc === 1 && !rt.mtuMetric;
}

/** ip_select_ident(): the IP ID of a new datagram. */
export function ip_select_ident(net: Net, b: Uint8Array, o: number, sk: Sock | null): void {
  const df = (iph_frag_off(b, o) & IP_DF) !== 0;
  if (df) {
    if (sk && sk.daddr) {
      sk.inetId = (sk.inetId + 1) & 0xffff;
      wr16(b, o + IPH_ID, sk.inetId);
      return;
    }
    wr16(b, o + IPH_ID, 0);
    return;
  }
  // __ip_select_ident(): a hashed per-destination counter with a random start
  const key = iph_daddr(b, o);
  let id = net.ipIdents.get(key);
  if (id === undefined) id = net.kernel.sim.rng.u32() & 0xffff;
  id = (id + 1) & 0xffff;
  net.ipIdents.set(key, id);
  wr16(b, o + IPH_ID, id);
}

/**
 * ip_append_data + ip_push_pending_frames for one datagram: builds the IP
 * header over `payload` (the L4 header and data) and sends it. Returns 0 or a
 * negative errno.
 */
export function ip_push_frames(net: Net, cork: IpCork, payload: Uint8Array): number {
  const hlen = IPV4_HEADER_LEN + (cork.opt?.optlen ?? 0);
  const skb = alloc_skb(net.kernel, hlen + payload.length, LL_RESERVED);
  const o = skb.put(hlen + payload.length);
  skb.networkHeader = o;
  skb.transportHeader = o + hlen;
  const b = skb.head;
  b[o + IPH_VERSION_IHL] = 0x40 | (hlen >> 2);
  b[o + IPH_TOS] = cork.tos;
  wr16(b, o + IPH_TOT_LEN, hlen + payload.length);
  wr16(b, o + IPH_FRAG_OFF, cork.df ? IP_DF : 0);
  b[o + IPH_TTL] = cork.ttl;
  b[o + IPH_PROTOCOL] = cork.protocol;
  wr32(b, o + IPH_SADDR, cork.saddr);
  wr32(b, o + IPH_DADDR, cork.daddr);
  b.set(payload, o + hlen);
  if (cork.opt?.optlen) ip_options_build(net, b, o, cork.opt, cork.daddr);
  ip_select_ident(net, b, o, cork.sk);
  skb.protocol = ETH_P_IP;
  if (cork.csumPartial) skb.ipSummed = CHECKSUM_PARTIAL;
  if (cork.gsoSize) {
    skb.gsoSize = cork.gsoSize;
    skb.gsoSegs = cork.gsoSegs ?? 1;
  }
  skb.dst = cork.rt;
  skb.sk = cork.sk;
  skb.mark = cork.mark;
  skb.priority = cork.priority;
  skb.dev = cork.rt.dev;
  if (net.kernel.path.enabled) for (const fn of cork.via ?? VIA_PUSH_PENDING) kprobe(net, skb, fn);
  if (cork.protocol === IPPROTO_ICMP) icmp_out_count(net, cork.icmpType);
  return ip_send_skb(net, skb);
}
const VIA_PUSH_PENDING = ['ip_push_pending_frames'] as const;

/** ip_send_skb(): errors from the output path count as IpOutDiscards. */
export function ip_send_skb(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'ip_send_skb');
  let err = ip_local_out(net, skb.sk, skb);
  if (err) {
    if (err > 0) err = err === NET_XMIT_CN ? 0 : -ENOBUFS; // net_xmit_errno: CN is not an error
    if (err) net.mib.inc(MIB.IpOutDiscards);
  }
  return err;
}

/** ip_local_out() → __ip_local_out(): IpOutRequests, LOCAL_OUT, then dst_output. */
export function ip_local_out(net: Net, sk: Sock | null, skb: SkBuff): number {
  const b = skb.head;
  const o = skb.networkHeader;
  kprobe(net, skb, 'ip_local_out');
  kprobe(net, skb, '__ip_local_out');
  net.mib.inc(MIB.IpOutRequests);
  wr16(b, o + IPH_TOT_LEN, skb.len);
  ip_send_check(b, o);
  skb.protocol = ETH_P_IP;
  const r = nf_hook(NFPROTO_IPV4, NF_INET_LOCAL_OUT, net, sk, skb, null, skb.dst?.dev ?? null);
  if (r === 1) return dst_output(net, sk, skb);
  // a hook took the packet: 0, or the errno of a drop (-EPERM from a rule)
  return r;
}

/**
 * dst_output(): the route's output function: ip_output, or ip_mc_output for a
 * local broadcast route out of a device other than lo (__mkroute_output).
 */
export function dst_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  const rt = skb.dst as Rtable;
  if (!rt.isInput && rt.flags & RTCF_BROADCAST && rt.flags & RTCF_LOCAL && !(rt.dev.flags & IFF_LOOPBACK))
    return ip_mc_output(net, sk, skb);
  return ip_output(net, sk, skb);
}

/**
 * ip_mc_output() for a broadcast: a clone loops back to this host through
 * ip_mc_finish_output() (dev_loopback_xmit), then the packet goes out as
 * ip_output sends it. (Multicast loopback is not simulated here.)
 */
export function ip_mc_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_mc_output');
  const rt = skb.dst as Rtable;
  const dev = rt.dev;
  skb.dev = dev;
  skb.protocol = ETH_P_IP;
  if (rt.flags & RTCF_BROADCAST) {
    const newskb = skb.clone();
    NF_HOOK(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, newskb, null, newskb.dev, ip_mc_finish_output);
  }
  return NF_HOOK_COND(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, null, dev, ip_finish_output, !(skb.ipcbFlags & IPSKB_REROUTED));
}

/** ip_mc_finish_output(): the copy takes a clone of the route on lo (rt_dst_clone) and loops back. */
function ip_mc_finish_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_mc_finish_output');
  const old = skb.dst as Rtable;
  const rt = new Rtable(net.loopbackDev);
  rt.type = old.type;
  rt.flags = old.flags;
  rt.input = old.input;
  rt.src = old.src;
  rt.table = old.table;
  rt.iif = 0;
  skb.dst = rt;
  return dev_loopback_xmit(net, sk, skb);
}

/** ip_output(): POST_ROUTING, then ip_finish_output. */
export function ip_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_output');
  const dev = (skb.dst as Rtable).dev;
  skb.dev = dev;
  skb.protocol = ETH_P_IP;
  return NF_HOOK_COND(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, null, dev, ip_finish_output, !(skb.ipcbFlags & IPSKB_REROUTED));
}

export function ip_finish_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_finish_output');
  return __ip_finish_output(net, sk, skb);
}

/** ip_skb_dst_mtu() */
function ip_skb_dst_mtu(sk: Sock | null, skb: SkBuff): number {
  const rt = skb.dst as Rtable;
  if (sk && sk.pmtudisc >= IP_PMTUDISC_PROBE) return rt.dev.mtu;
  return Math.min(dst_mtu(rt, rt.dev.net.kernel.now), rt.dev.mtu);
}

function __ip_finish_output(net: Net, sk: Sock | null, skb: SkBuff): number {
  const mtu = ip_skb_dst_mtu(sk, skb);
  // ip_finish_output_gso(): segments that fit the MTU go as one super-packet
  if (skb.gsoSize) {
    const thlen = tcph_doff(skb.head, tcp_hdr(skb)) * 4;
    if (skb.transportHeader - skb.networkHeader + thlen + skb.gsoSize <= mtu) return ip_finish_output2(net, sk, skb);
  }
  if (skb.len > mtu || skb.fragMaxSize) return ip_fragment(net, sk, skb, mtu);
  return ip_finish_output2(net, sk, skb);
}

/** ip_fragment(): DF gives FRAG_NEEDED; otherwise ip_do_fragment (slow path). */
function ip_fragment(net: Net, sk: Sock | null, skb: SkBuff, mtu: number): number {
  const b = skb.head;
  const o = skb.networkHeader;
  if (iph_frag_off(b, o) & IP_DF && (!skb.ignoreDf || (skb.fragMaxSize && skb.fragMaxSize > mtu))) {
    net.mib.inc(MIB.IpFragFails);
    icmp_send(net, skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip_fragment');
    return -EMSGSIZE;
  }
  // ip_do_fragment(): a reassembled datagram goes out in fragments no bigger than it came in
  return ip_do_fragment(net, sk, skb, skb.fragMaxSize && skb.fragMaxSize < mtu ? skb.fragMaxSize : mtu);
}

/** ip_do_fragment(), slow path: copies the payload into fragments of (mtu - hlen) & ~7. */
export function ip_do_fragment(net: Net, sk: Sock | null, skb: SkBuff, mtu: number): number {
  kprobe(net, skb, 'ip_do_fragment');
  // for offloaded checksums cleanup checksum before fragmentation
  if (skb.ipSummed === CHECKSUM_PARTIAL) skb_checksum_help(skb);
  const b = skb.head;
  const o = skb.networkHeader;
  const hlen = iph_ihl(b, o) * 4;
  const totLen = Math.min(iph_tot_len(b, o), skb.len);
  const frag0 = iph_frag_off(b, o);
  const baseOffset = (frag0 & IP_OFFSET) * 8;
  const moreAfter = (frag0 & IP_MF) !== 0;
  let left = totLen - hlen;
  let ptr = o + hlen;
  let offset = 0;
  const step = (mtu - hlen) & ~7;
  if (step <= 0) {
    net.mib.inc(MIB.IpFragFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip_do_fragment');
    return -EINVAL;
  }
  let err = 0;
  while (left > 0) {
    const len = left > step ? step : left;
    const f = alloc_skb(net.kernel, hlen + len, LL_RESERVED);
    const fo = f.put(hlen + len);
    f.networkHeader = fo;
    f.transportHeader = fo + hlen;
    f.head.set(b.subarray(o, o + hlen), fo);
    f.head.set(b.subarray(ptr, ptr + len), fo + hlen);
    let off = ((baseOffset + offset) >> 3) & IP_OFFSET;
    if (left > len || moreAfter) off |= IP_MF;
    off |= frag0 & IP_DF;
    wr16(f.head, fo + IPH_FRAG_OFF, off);
    wr16(f.head, fo + IPH_TOT_LEN, hlen + len);
    ip_send_check(f.head, fo);
    f.protocol = ETH_P_IP;
    f.origin = skb.origin;
    f.dst = skb.dst;
    f.dev = skb.dev;
    f.sk = sk;
    f.mark = skb.mark;
    f.priority = skb.priority;
    f.ipcbFlags = skb.ipcbFlags;
    net.mib.inc(MIB.IpFragCreates);
    err = ip_finish_output2(net, sk, f);
    if (err) break;
    ptr += len;
    offset += len;
    left -= len;
  }
  if (err === 0) net.mib.inc(MIB.IpFragOKs);
  else net.mib.inc(MIB.IpFragFails);
  skb.release();
  return err;
}

/** ip_finish_output2(): counters, then the neighbour for the next hop. */
export function ip_finish_output2(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_finish_output2');
  const rt = skb.dst as Rtable;
  const dev = rt.dev;
  if (rt.type === 5 || rt.flags & RTCF_MULTICAST) net.mib.inc(MIB.IpExtOutMcastPkts);
  else if (rt.flags & RTCF_BROADCAST) net.mib.inc(MIB.IpExtOutBcastPkts);
  net.mib.inc(MIB.IpOutTransmits);
  net.mib.inc(MIB.IpExtOutOctets, skb.len);
  if (rt.flags & RTCF_MULTICAST) net.mib.inc(MIB.IpExtOutMcastOctets, skb.len);
  else if (rt.flags & RTCF_BROADCAST) net.mib.inc(MIB.IpExtOutBcastOctets, skb.len);
  const nexthop = rt.gw4 || iph_daddr(skb.head, skb.networkHeader);
  const tbl = net.arpTbl;
  const n = tbl.lookup(dev, nexthop) ?? tbl.create(dev, nexthop);
  return neigh_output(n, skb);
}

/** neigh_output(): a connected neighbour's cached header, or neigh_resolve_output. */
export function neigh_output(n: Neighbour, skb: SkBuff): number {
  if (n.nudState & NUD_CONNECTED) return neigh_hh_output(n, skb);
  return neigh_resolve_output(n, skb);
}

function neigh_hh_output(n: Neighbour, skb: SkBuff): number {
  kprobe(n.tbl.net, skb, 'neigh_hh_output');
  eth_header(skb, n.dev, skb.protocol, n.ha, null);
  return dev_queue_xmit(skb);
}

/** neigh_resolve_output() */
export function neigh_resolve_output(n: Neighbour, skb: SkBuff): number {
  kprobe(n.tbl.net, skb, 'neigh_resolve_output');
  if (__neigh_event_send(n, skb) === 0) {
    eth_header(skb, n.dev, skb.protocol, n.ha, null);
    return dev_queue_xmit(skb);
  }
  return 0;
}

/** The arp_tbl output used when arp_queue is flushed. */
export function neigh_queue_output(n: Neighbour, skb: SkBuff): number {
  eth_header(skb, n.dev, skb.protocol, n.ha, null);
  return dev_queue_xmit(skb);
}

export function ip_forward_finish(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_forward_finish');
  ip_forward_options(net, skb);
  skb.tstamp = 0;
  return dst_output(net, sk, skb);
}
