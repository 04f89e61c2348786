// net/ipv6/ip6_input.c: an IPv6 datagram from the device to its protocol.
// ipv6_rcv → ip6_rcv_core (every header check with its drop reason and
// counter) → NF_HOOK(PRE_ROUTING) → ip6_rcv_finish → ip6_route_input → the
// route's input: ip6_input (NF_HOOK(LOCAL_IN) → ip6_input_finish →
// ip6_protocol_deliver_rcu through inet6_protos, extension headers included),
// ip6_mc_input, ip6_forward or an error route's discard.
import type { NetDevice, PacketType } from '../core/netdevice.ts';
import { ETH_P_IPV6, IFF_LOOPBACK, NET_RX_DROP, NET_RX_SUCCESS } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { NF_HOOK } from '../netfilter/core.ts';
import { PACKET_BROADCAST, PACKET_LOOPBACK, PACKET_MULTICAST, PACKET_OTHERHOST, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { NF_INET_LOCAL_IN, NF_INET_PRE_ROUTING, NFPROTO_IPV6 } from '../uapi/netfilter.ts';
import { __in6_dev_get } from './addrconf.ts';
import { IPV6_ADDR_MC_SCOPE, ipv6_addr_is_multicast, ipv6_addr_loopback } from './addrconf_core.ts';
import { ipv6_parse_hopopts } from './exthdrs.ts';
import { icmpv6_send } from './icmp.ts';
import { ipv6_chk_mcast_addr } from './mcast.ts';
import { INET6_PROTO_FINAL } from './protocol.ts';
import { raw6_local_deliver } from './raw.ts';
import { ip6_route_input } from './route.ts';
import { IP6CB, inet6_skb_parm, type Rt6Info } from './route_types.ts';
import { NEXTHDR_HOP } from '../../wire/ipv6.ts';

const ICMPV6_PARAMPROB = 4;
const ICMPV6_UNK_NEXTHDR = 1;
const ICMPV6_MGM_QUERY = 130;
const ICMPV6_MGM_REPORT = 131;
const ICMPV6_MGM_REDUCTION = 132;
const ICMPV6_MLD2_REPORT = 143;
const NEXTHDR_ICMP = 58;

/** ipv6_rcv(): ip6_rcv_core, then PRE_ROUTING. Takes ownership of skb. */
export function ipv6_rcv(skb: SkBuff, dev: NetDevice, _pt: PacketType, _orig: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'ipv6_rcv');
  if (!ip6_rcv_core(skb, dev, net)) return NET_RX_DROP;
  return NF_HOOK(NFPROTO_IPV6, NF_INET_PRE_ROUTING, net, null, skb, dev, null, ip6_rcv_finish);
}

/** ip6_rcv_core(): the header checks; false when skb was dropped. */
function ip6_rcv_core(skb: SkBuff, dev: NetDevice, net: Net): boolean {
  if (skb.pktType === PACKET_OTHERHOST) {
    dev.stats.rx_otherhost_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.OTHERHOST, 'ip6_rcv_core');
    return false;
  }
  const idev = __in6_dev_get(dev);
  net.mib.inc(MIB.Ip6InReceives);
  net.mib.inc(MIB.Ip6InOctets, skb.len);
  if (!idev || idev.cnf.disable_ipv6) {
    net.mib.inc(MIB.Ip6InDiscards);
    if (idev) kfree_skb_reason(net, skb, SKB_DROP_REASON.IPV6DISABLED, 'ip6_rcv_core', () => `disable_ipv6 is set on ${dev.name}`);
    else kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip6_rcv_core', () => `${dev.name} has no inet6_dev`);
    return false;
  }
  skb.cb.ip6 = inet6_skb_parm();
  const opt = IP6CB(skb);
  opt.iif = skb.dst6 ? skb.dst6.dev.ifindex : dev.ifindex;

  const err = (reason: number, why: string): false => {
    net.mib.inc(MIB.Ip6InHdrErrors);
    kfree_skb_reason(net, skb, reason === SKB_DROP_REASON.NOT_SPECIFIED ? SKB_DROP_REASON.IP_INHDR : reason, 'ip6_rcv_core', () => why);
    return false;
  };
  if (!skb.mayPull(40)) return err(SKB_DROP_REASON.NOT_SPECIFIED, 'shorter than an IPv6 header');
  const b = skb.head;
  const o = skb.networkHeader;
  if ((b[o] as number) >> 4 !== 6) return err(SKB_DROP_REASON.UNHANDLED_PROTO, `version ${(b[o] as number) >> 4}`);

  const dsfield = ((((b[o] as number) & 0x0f) << 4) | ((b[o + 1] as number) >> 4)) & 0xff;
  net.mib.inc([MIB.Ip6InNoECTPkts, MIB.Ip6InECT1Pkts, MIB.Ip6InECT0Pkts, MIB.Ip6InCEPkts][dsfield & 3] as number);

  const saddr = b.subarray(o + 8, o + 24);
  const daddr = b.subarray(o + 24, o + 40);
  // RFC 4291 2.5.3: ::1 never arrives from outside
  if ((ipv6_addr_loopback(saddr) || ipv6_addr_loopback(daddr)) && !(dev.flags & IFF_LOOPBACK))
    return err(SKB_DROP_REASON.NOT_SPECIFIED, 'loopback address from outside');
  // RFC 4291 errata 3480: interface-local multicast only by loopback
  if (!(skb.pktType === PACKET_LOOPBACK || dev.flags & IFF_LOOPBACK) && ipv6_addr_is_multicast(daddr) && IPV6_ADDR_MC_SCOPE(daddr) === 1)
    return err(SKB_DROP_REASON.NOT_SPECIFIED, 'interface-local multicast from another node');
  if (
    !ipv6_addr_is_multicast(daddr) &&
    (skb.pktType === PACKET_BROADCAST || skb.pktType === PACKET_MULTICAST) &&
    idev.cnf.drop_unicast_in_l2_multicast
  )
    return err(SKB_DROP_REASON.UNICAST_IN_L2_MULTICAST, 'unicast in link-layer multicast');
  // RFC 4291 2.7: multicast scope 0 is reserved; a multicast source is never valid
  if (ipv6_addr_is_multicast(daddr) && IPV6_ADDR_MC_SCOPE(daddr) === 0) return err(SKB_DROP_REASON.NOT_SPECIFIED, 'multicast scope 0');
  if (ipv6_addr_is_multicast(saddr)) return err(SKB_DROP_REASON.NOT_SPECIFIED, 'multicast source address');

  skb.transportHeader = o + 40;
  opt.nhoff = 6;
  const pktLen = ((b[o + 4] as number) << 8) | (b[o + 5] as number);
  const nexthdr = b[o + 6] as number;
  // a zero payload length is a jumbogram only with a hop-by-hop header
  if (pktLen || nexthdr !== NEXTHDR_HOP) {
    if (pktLen + 40 > skb.len) {
      net.mib.inc(MIB.Ip6InTruncatedPkts);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'ip6_rcv_core', () => `payload length ${pktLen} > ${skb.len - 40} bytes`);
      return false;
    }
    skb.trim(pktLen + 40);
  }
  if (nexthdr === NEXTHDR_HOP) {
    if (ipv6_parse_hopopts(skb) < 0) {
      net.mib.inc(MIB.Ip6InHdrErrors);
      return false;
    }
  }
  return true;
}

/** ip6_rcv_finish(): the route, then the route's input. */
export function ip6_rcv_finish(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_rcv_finish');
  if (!skb.dst6) ip6_route_input(skb);
  return (skb.dst6 as Rt6Info).input(skb);
}

/** ip6_input(): LOCAL_IN, then the protocols. */
export function ip6_input(skb: SkBuff): number {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'ip6_input');
  return NF_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN, net, null, skb, skb.dev, null, ip6_input_finish);
}

function ip6_input_finish(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_input_finish');
  ip6_protocol_deliver_rcu(net, skb, 0, false);
  return 0;
}

/** ipv6_is_mld(): an MLD message (query, report, done, v2 report). */
function ipv6_is_mld(skb: SkBuff, nexthdr: number, offset: number): boolean {
  if (nexthdr !== NEXTHDR_ICMP) return false;
  const t = skb.head[skb.networkHeader + offset];
  return t === ICMPV6_MGM_QUERY || t === ICMPV6_MGM_REPORT || t === ICMPV6_MGM_REDUCTION || t === ICMPV6_MLD2_REPORT;
}

/**
 * ip6_protocol_deliver_rcu(): the datagram to inet6_protos[nexthdr]; an
 * extension header's handler returns > 0 and the next header is resubmitted.
 */
export function ip6_protocol_deliver_rcu(net: Net, skb: SkBuff, nexthdrIn: number, haveFinalIn: boolean): void {
  kprobe(net, skb, 'ip6_protocol_deliver_rcu');
  let nexthdr = nexthdrIn;
  let haveFinal = haveFinalIn;
  let reason: number = SKB_DROP_REASON.NOT_SPECIFIED;
  const discard = (): void => {
    net.mib.inc(MIB.Ip6InDiscards);
    kfree_skb_reason(net, skb, reason, 'ip6_input_finish');
  };
  for (let guard = 0; guard < 64; guard++) {
    const nhoff = IP6CB(skb).nhoff;
    if (!haveFinal) {
      // pskb_pull(skb, skb_transport_offset(skb))
      if (skb.transportHeader < skb.data || !skb.pull(skb.transportHeader - skb.data)) return discard();
      nexthdr = skb.head[skb.networkHeader + nhoff] as number;
    }
    const raw = raw6_local_deliver(net, skb, nexthdr);
    const ipprot = net.kernel.inet6Protos[nexthdr];
    if (!ipprot) {
      if (!raw) {
        net.mib.inc(MIB.Ip6InUnknownProtos);
        icmpv6_send(skb, ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR, nhoff);
        kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_NOPROTO, 'ip6_input_finish', () => `no handler for next header ${nexthdr}`);
      } else {
        net.mib.inc(MIB.Ip6InDelivers);
        consume_skb(net, skb, 'ip6_protocol_deliver_rcu');
      }
      return;
    }
    if (haveFinal) {
      if (!(ipprot.flags & INET6_PROTO_FINAL)) return discard();
    } else if (ipprot.flags & INET6_PROTO_FINAL) {
      haveFinal = true;
      const b = skb.head;
      const daddr = b.subarray(skb.networkHeader + 24, skb.networkHeader + 40);
      const saddr = b.subarray(skb.networkHeader + 8, skb.networkHeader + 24);
      if (
        ipv6_addr_is_multicast(daddr) &&
        !ipv6_chk_mcast_addr(skb.dev as NetDevice, daddr, saddr) &&
        !ipv6_is_mld(skb, nexthdr, skb.transportHeader - skb.networkHeader)
      ) {
        reason = SKB_DROP_REASON.IP_INADDRERRORS;
        return discard();
      }
    }
    const ret = ipprot.handler(skb);
    if (ret > 0) {
      if (ipprot.flags & INET6_PROTO_FINAL) nexthdr = ret;
      else haveFinal = false;
      continue;
    }
    if (ret === 0) net.mib.inc(MIB.Ip6InDelivers);
    return;
  }
}

/** ip6_mc_input(): a multicast datagram for a group this host is in goes to ip6_input. */
export function ip6_mc_input(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'ip6_mc_input');
  net.mib.inc(MIB.Ip6InMcastPkts);
  net.mib.inc(MIB.Ip6InMcastOctets, skb.len);
  const daddr = skb.head.subarray(skb.networkHeader + 24, skb.networkHeader + 40);
  if (ipv6_chk_mcast_addr(dev, daddr, null)) return ip6_input(skb);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip6_mc_input', () => 'not a member of the group');
  return 0;
}

export const ipv6_packet_type: Readonly<PacketType> = {
  type: ETH_P_IPV6,
  dev: null,
  func: ipv6_rcv,
};

export { NET_RX_SUCCESS };
