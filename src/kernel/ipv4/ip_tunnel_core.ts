// net/ipv4/ip_tunnel_core.c: what every IP tunnel shares. iptunnel_xmit()
// puts the outer IPv4 header in front of an encapsulated packet and sends it
// through the underlay namespace's ip_local_out; __iptunnel_pull_header()
// takes the tunnel header off a received one; skb_tunnel_check_pmtu() lowers
// the inner route's PMTU when the encapsulated packet will not fit the
// underlay route.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_HOST, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { kprobe } from '../trace/probe.ts';
import { nf_reset_ct } from '../netfilter/nf_conntrack.ts';
import { ETH_P_IP } from '../../wire/ethernet.ts';
import {
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPV4_HEADER_LEN,
  iph_daddr,
  iph_protocol,
  iph_saddr,
  iph_tos,
} from '../../wire/ipv4.ts';
import { wr16, wr32 } from './iphdr.ts';
import { ip_local_out, ip_select_ident } from './ip_output.ts';
import { __ip_rt_update_pmtu, dst_mtu, LOOPBACK_IFINDEX, type Rtable } from './route.ts';
import { flowi4 } from './fib.ts';

/** skb_scrub_packet(): what must not cross from one stack layer (or namespace) to another. */
export function skb_scrub_packet(skb: SkBuff, xnet: boolean): void {
  skb.pktType = PACKET_HOST;
  skb.skbIif = 0;
  skb.ignoreDf = false;
  skb.dst = null;
  nf_reset_ct(skb);
  skb.nfTrace = false;
  skb.ipcbFlags = 0;
  if (!xnet) return;
  skb.mark = 0;
}

/**
 * iptunnel_xmit_stats(): a sent packet counts its inner length (from the
 * inner network header) on the tunnel device; a failed one is a tx_dropped,
 * an error a tx_error.
 */
export function iptunnel_xmit_stats(dev: NetDevice, pktLen: number): void {
  if (pktLen > 0) {
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += pktLen;
  } else if (pktLen < 0) dev.stats.tx_errors++;
  else dev.stats.tx_dropped++;
}

/**
 * iptunnel_xmit(): the outer IPv4 header (DF unless the route's MTU is
 * locked, a selected IP ID), then ip_local_out in the underlay namespace.
 * `innerNetworkOffset` is skb_inner_network_offset() at entry. Takes ownership of skb.
 */
export function iptunnel_xmit(
  net: Net,
  sk: Sock | null,
  rt: Rtable,
  skb: SkBuff,
  src: number,
  dst: number,
  proto: number,
  tos: number,
  ttl: number,
  df: number,
  xnet: boolean,
  ipcbFlags: number,
  innerNetworkOffset: number,
): void {
  kprobe(net, skb, 'iptunnel_xmit');
  const dev = skb.dev;
  let pktLen = skb.len - innerNetworkOffset;
  skb_scrub_packet(skb, xnet);
  skb.hash = 0; // skb_clear_hash_if_not_l4()
  skb.dst = rt;
  skb.ipcbFlags = ipcbFlags;
  skb.cb.ipOpt = undefined;
  skb.push(IPV4_HEADER_LEN);
  skb.resetNetworkHeader();
  const b = skb.head;
  const o = skb.networkHeader;
  b[o + IPH_VERSION_IHL] = 0x45;
  b[o + IPH_TOS] = tos;
  wr16(b, o + IPH_FRAG_OFF, rt.mtuLock ? 0 : df);
  b[o + IPH_PROTOCOL] = proto;
  b[o + IPH_TTL] = ttl;
  wr32(b, o + IPH_SADDR, src);
  wr32(b, o + IPH_DADDR, dst);
  wr16(b, o + IPH_ID, 0);
  // ip_select_ident_segs()
  ip_select_ident(net, b, o, sk);
  skb.protocol = ETH_P_IP;
  const err = ip_local_out(net, sk, skb);
  if (dev) {
    // net_xmit_eval(): congestion notification is no error
    if (err !== 0 && err !== 2) pktLen = 0;
    iptunnel_xmit_stats(dev, pktLen);
  }
}

/**
 * __iptunnel_pull_header(): off with the tunnel header; an Ethernet payload
 * (ETH_P_TEB) takes the protocol of its frame, and the skb is scrubbed.
 * Nonzero when the header is not there.
 */
export function __iptunnel_pull_header(skb: SkBuff, hdrLen: number, xnet: boolean): number {
  if (!skb.mayPull(hdrLen)) return -12; // -ENOMEM
  skb.pull(hdrLen);
  if (!skb.mayPull(14)) return -12;
  skb.hash = 0;
  skb_scrub_packet(skb, xnet);
  return 0;
}

/**
 * skb_tunnel_check_pmtu(): the encapsulated packet must fit the underlay
 * route less the tunnel headroom; when it does not, the inner route learns
 * that MTU (skb_dst_update_pmtu_no_confirm → ip_rt_update_pmtu). A tunnel
 * that is a bridge port would answer with an ICMP error of its own
 * (iptunnel_pmtud_check_icmp); skbpath's tunnels are not bridged (`reply` false).
 * Returns 0 (send on).
 */
export function skb_tunnel_check_pmtu(net: Net, skb: SkBuff, encapDst: Rtable, headroom: number): number {
  const mtu = dst_mtu(encapDst, net.kernel.now) - headroom;
  if (skb.len - (skb.networkHeader - skb.data) <= mtu) return 0;
  skb_dst_update_pmtu_no_confirm(skb, mtu);
  return 0;
}

/** skb_dst_update_pmtu_no_confirm() → ip_rt_update_pmtu() of the inner IPv4 route. */
function skb_dst_update_pmtu_no_confirm(skb: SkBuff, mtu: number): void {
  const rt = skb.dst;
  const dev = skb.dev;
  if (!rt || !dev || skb.protocol !== ETH_P_IP) return;
  const b = skb.head;
  const nh = skb.networkHeader;
  // ip_rt_build_flow_key() → build_skb_flow_key(): the device it leaves by, the inner header's addresses
  const fl = flowi4({
    oif: dev.ifindex,
    iif: LOOPBACK_IFINDEX,
    mark: skb.mark,
    tos: iph_tos(b, nh) & 0xfc,
    proto: iph_protocol(b, nh),
    saddr: iph_saddr(b, nh),
    daddr: iph_daddr(b, nh),
  });
  __ip_rt_update_pmtu(rt.dev.net, rt, fl, mtu);
}
