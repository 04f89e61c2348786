// net/ipv6/exthdrs.c: the hop-by-hop and destination options (TLVs: pads,
// router alert, jumbo payload; unknown options by their two high bits), and
// the routing header (type 0 and the other unknown types with segments left
// are refused with a parameter problem). Each header's handler returns 1 and
// moves the transport header past itself, or drops the packet and returns -1.
import type { NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Kernel } from '../kernel.ts';
import { PACKET_HOST, type SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { __in6_dev_get } from './addrconf.ts';
import { ipv6_addr_is_multicast } from './addrconf_core.ts';
import { icmpv6_param_prob_reason } from './icmp.ts';
import { inet6_add_protocol, INET6_PROTO_NOPOLICY } from './protocol.ts';
import { IP6CB, IP6SKB_HOPBYHOP, IP6SKB_JUMBOGRAM, IP6SKB_ROUTERALERT } from './route_types.ts';
import { NEXTHDR_DEST, NEXTHDR_NONE, NEXTHDR_ROUTING } from '../../wire/ipv6.ts';

// include/uapi/linux/in6.h
const IPV6_TLV_PAD1 = 0;
const IPV6_TLV_PADN = 1;
const IPV6_TLV_ROUTERALERT = 5;
const IPV6_TLV_CALIPSO = 7;
const IPV6_TLV_IOAM = 49;
const IPV6_TLV_JUMBO = 0xc2;
const IPV6_MAXPLEN = 65535;
// include/uapi/linux/icmpv6.h
const ICMPV6_HDR_FIELD = 0;
const ICMPV6_UNK_OPTION = 2;

const nh = (skb: SkBuff): Uint8Array => skb.head;
/** skb_network_header_len(): the transport header's offset from the network header. */
const nhLen = (skb: SkBuff): number => skb.transportHeader - skb.networkHeader;

function drop(skb: SkBuff, reason: number, fn: string, why: string): false {
  kfree_skb_reason((skb.dev as NetDevice).net, skb, reason, fn, () => why);
  return false;
}

/** ip6_tlvopt_unknown(): an unknown option, by the action its two high bits ask. */
function ip6_tlvopt_unknown(skb: SkBuff, optoff: number, disallowUnknowns: boolean): boolean {
  const b = nh(skb);
  const type = b[skb.networkHeader + optoff] as number;
  if (disallowUnknowns) return drop(skb, SKB_DROP_REASON.UNHANDLED_PROTO, 'ip6_tlvopt_unknown', `unknown option ${type}`);
  switch ((type & 0xc0) >> 6) {
    case 0:
      return true;
    case 1:
      return drop(skb, SKB_DROP_REASON.UNHANDLED_PROTO, 'ip6_tlvopt_unknown', `unknown option ${type} (discard)`);
    default: {
      // 3: an ICMP error unless to a multicast address; 2: an ICMP error regardless
      const mc = ipv6_addr_is_multicast(b.subarray(skb.networkHeader + 24, skb.networkHeader + 40));
      if ((type & 0xc0) >> 6 === 3 && mc)
        return drop(skb, SKB_DROP_REASON.UNHANDLED_PROTO, 'ip6_tlvopt_unknown', `unknown option ${type} to a multicast address`);
      icmpv6_param_prob_reason(skb, ICMPV6_UNK_OPTION, optoff, SKB_DROP_REASON.UNHANDLED_PROTO, 'ip6_tlvopt_unknown');
      return false;
    }
  }
}

/** ipv6_hop_ra(): a router alert of length 2. */
function ipv6_hop_ra(skb: SkBuff, optoff: number): boolean {
  const b = nh(skb);
  const o = skb.networkHeader + optoff;
  if (b[o + 1] === 2) {
    const opt = IP6CB(skb);
    opt.flags |= IP6SKB_ROUTERALERT;
    opt.ra = ((b[o + 2] as number) << 8) | (b[o + 3] as number);
    return true;
  }
  return drop(skb, SKB_DROP_REASON.IP_INHDR, 'ip6_parse_tlv', `router alert of length ${b[o + 1]}`);
}

/** ipv6_hop_jumbo(): a jumbo payload length in place of the header's zero. */
function ipv6_hop_jumbo(skb: SkBuff, optoff: number): boolean {
  const b = nh(skb);
  const o = skb.networkHeader + optoff;
  if (b[o + 1] !== 4 || (optoff & 3) !== 2)
    return drop(skb, SKB_DROP_REASON.IP_INHDR, 'ip6_parse_tlv', 'jumbo option of bad length or alignment');
  const pktLen = (((b[o + 2] as number) << 24) | ((b[o + 3] as number) << 16) | ((b[o + 4] as number) << 8) | (b[o + 5] as number)) >>> 0;
  if (pktLen <= IPV6_MAXPLEN) {
    icmpv6_param_prob_reason(skb, ICMPV6_HDR_FIELD, optoff + 2, SKB_DROP_REASON.IP_INHDR, 'ip6_parse_tlv');
    return false;
  }
  const n = skb.networkHeader;
  if (((b[n + 4] as number) << 8) | (b[n + 5] as number)) {
    icmpv6_param_prob_reason(skb, ICMPV6_HDR_FIELD, optoff, SKB_DROP_REASON.IP_INHDR, 'ip6_parse_tlv');
    return false;
  }
  if (pktLen > skb.len - 40) return drop(skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'ip6_parse_tlv', 'jumbo length past the packet');
  skb.trim(pktLen + 40);
  IP6CB(skb).flags |= IP6SKB_JUMBOGRAM;
  return true;
}

/** ip6_parse_tlv(): the options of a hop-by-hop or destination options header. */
function ip6_parse_tlv(hopbyhop: boolean, skb: SkBuff, maxCountIn: number): boolean {
  const b = nh(skb);
  const base = skb.networkHeader;
  let len = (((b[skb.transportHeader + 1] as number) + 1) << 3) - 2;
  let off = nhLen(skb) + 2;
  let maxCount = maxCountIn;
  let disallow = false;
  if (maxCount < 0) {
    disallow = true;
    maxCount = -maxCount;
  }
  let tlvCount = 0;
  let padlen = 0;
  const bad = (why: string): false => drop(skb, SKB_DROP_REASON.IP_INHDR, 'ip6_parse_tlv', why);
  while (len > 0) {
    const type = b[base + off] as number;
    if (type === IPV6_TLV_PAD1) {
      padlen++;
      if (padlen > 7) return bad('more than 7 bytes of padding');
      off++;
      len--;
      continue;
    }
    if (len < 2) return bad('option cut short');
    const optlen = (b[base + off + 1] as number) + 2;
    if (optlen > len) return bad('option longer than its header');
    if (type === IPV6_TLV_PADN) {
      padlen += optlen;
      if (padlen > 7) return bad('more than 7 bytes of padding');
      for (let i = 2; i < optlen; i++) if (b[base + off + i] !== 0) return bad('PadN with nonzero bytes');
    } else {
      tlvCount++;
      if (tlvCount > maxCount) return bad('too many options');
      if (hopbyhop) {
        switch (type) {
          case IPV6_TLV_ROUTERALERT:
            if (!ipv6_hop_ra(skb, off)) return false;
            break;
          case IPV6_TLV_IOAM:
            // ipv6_hop_ioam(): ignored where ioam6_enabled is off
            break;
          case IPV6_TLV_JUMBO:
            if (!ipv6_hop_jumbo(skb, off)) return false;
            break;
          case IPV6_TLV_CALIPSO:
            if ((b[base + off + 1] as number) < 8 || (b[base + off + 6] as number) * 4 + 8 > (b[base + off + 1] as number))
              return bad('bad CALIPSO option');
            break;
          default:
            if (!ip6_tlvopt_unknown(skb, off, disallow)) return false;
        }
      } else if (!ip6_tlvopt_unknown(skb, off, disallow)) return false;
      padlen = 0;
    }
    off += optlen;
    len -= optlen;
  }
  if (len === 0) return true;
  return bad('options overrun their header');
}

/** ipv6_parse_hopopts(): the hop-by-hop header right after the IPv6 header (ip6_rcv_core). 1 or -1 (dropped). */
export function ipv6_parse_hopopts(skb: SkBuff): number {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'ipv6_parse_hopopts');
  const b = nh(skb);
  const fail = (why: string): number => {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_parse_hopopts', () => why);
    return -1;
  };
  if (!skb.mayPull(40 + 8)) return fail('hop-by-hop header cut short');
  const extlen = ((b[skb.transportHeader + 1] as number) + 1) << 3;
  if (!skb.mayPull(40 + extlen)) return fail('hop-by-hop header cut short');
  if (extlen > net.ipv6.sysctl.max_hbh_opts_len) return fail('hop-by-hop header longer than max_hbh_opts_len');
  IP6CB(skb).flags |= IP6SKB_HOPBYHOP;
  if (ip6_parse_tlv(true, skb, net.ipv6.sysctl.max_hbh_opts_cnt)) {
    skb.transportHeader += extlen;
    IP6CB(skb).nhoff = 40;
    return 1;
  }
  return -1;
}

/** ipv6_destopt_rcv(): inet6_protos[NEXTHDR_DEST]. */
function ipv6_destopt_rcv(skb: SkBuff): number {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'ipv6_destopt_rcv');
  const b = nh(skb);
  const toff = skb.transportHeader - skb.data;
  if (!skb.mayPull(toff + 8) || !skb.mayPull(toff + (((b[skb.transportHeader + 1] as number) + 1) << 3))) {
    net.mib.inc(MIB.Ip6InHdrErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_destopt_rcv', () => 'destination options cut short');
    return -1;
  }
  const extlen = ((b[skb.transportHeader + 1] as number) + 1) << 3;
  if (extlen > net.ipv6.sysctl.max_dst_opts_len) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_destopt_rcv', () => 'longer than max_dst_opts_len');
    return -1;
  }
  const opt = IP6CB(skb);
  opt.lastopt = opt.dst1 = nhLen(skb);
  const dstbuf = opt.dst1;
  if (ip6_parse_tlv(false, skb, net.ipv6.sysctl.max_dst_opts_cnt)) {
    skb.transportHeader += extlen;
    IP6CB(skb).nhoff = dstbuf;
    return 1;
  }
  net.mib.inc(MIB.Ip6InHdrErrors);
  return -1;
}

/** ipv6_rthdr_rcv(): inet6_protos[NEXTHDR_ROUTING]. Only a header with no segments left passes. */
function ipv6_rthdr_rcv(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'ipv6_rthdr_rcv');
  const b = nh(skb);
  const t = skb.transportHeader;
  const toff = t - skb.data;
  if (!skb.mayPull(toff + 8) || !skb.mayPull(toff + (((b[t + 1] as number) + 1) << 3))) {
    net.mib.inc(MIB.Ip6InHdrErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_rthdr_rcv', () => 'routing header cut short');
    return -1;
  }
  if (ipv6_addr_is_multicast(b.subarray(skb.networkHeader + 24, skb.networkHeader + 40)) || skb.pktType !== PACKET_HOST) {
    net.mib.inc(MIB.Ip6InAddrErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_rthdr_rcv', () => 'routing header to a multicast address');
    return -1;
  }
  const type = b[t + 2] as number;
  const segmentsLeft = b[t + 3] as number;
  if (segmentsLeft === 0) {
    const opt = IP6CB(skb);
    opt.lastopt = opt.srcrt = nhLen(skb);
    skb.transportHeader += ((b[t + 1] as number) + 1) << 3;
    opt.dst0 = opt.dst1;
    opt.dst1 = 0;
    opt.nhoff = t - skb.networkHeader;
    return 1;
  }
  // types 0 (deprecated, RFC 5095), 2 (Mobile IPv6), 3 (RPL) and 4 (SRv6) are not routed here
  void __in6_dev_get(dev);
  net.mib.inc(MIB.Ip6InHdrErrors);
  icmpv6_param_prob_reason(skb, ICMPV6_HDR_FIELD, t + 2 - skb.networkHeader, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_rthdr_rcv');
  void type;
  return -1;
}

/** dst_discard() as the handler of NEXTHDR_NONE (nodata_protocol). */
function nodata_rcv(skb: SkBuff): number {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'dst_discard_out');
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'dst_discard_out');
  return 0;
}

/** ipv6_exthdrs_init(): routing, destination options and "no next header" in inet6_protos. */
export function ipv6_exthdrs_init(k: Kernel): void {
  inet6_add_protocol(k, { handler: ipv6_rthdr_rcv, flags: INET6_PROTO_NOPOLICY }, NEXTHDR_ROUTING);
  inet6_add_protocol(k, { handler: ipv6_destopt_rcv, flags: INET6_PROTO_NOPOLICY }, NEXTHDR_DEST);
  inet6_add_protocol(k, { handler: nodata_rcv, flags: INET6_PROTO_NOPOLICY }, NEXTHDR_NONE);
}
