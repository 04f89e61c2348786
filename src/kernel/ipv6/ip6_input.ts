// net/ipv6/ip6_input.c, as far as skbpath goes: IPv6 itself is not simulated,
// but a namespace that switched it off (disable_ipv6, as every oracle scenario
// does) drops what arrives exactly where Linux drops it: ip6_rcv_core counts
// it in (Ip6InReceives, Ip6InOctets) and discards it (Ip6InDiscards,
// IPV6DISABLED).
import type { NetDevice, PacketType } from '../core/netdevice.ts';
import { ETH_P_IPV6, NET_RX_DROP } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { PACKET_OTHERHOST, type SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';

/** ipv6_rcv() → ip6_rcv_core(). Takes ownership of skb. */
export function ipv6_rcv(skb: SkBuff, dev: NetDevice, _pt: PacketType, _orig: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'ipv6_rcv');
  if (skb.pktType === PACKET_OTHERHOST) {
    dev.stats.rx_otherhost_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.OTHERHOST, 'ip6_rcv_core');
    return NET_RX_DROP;
  }
  net.mib.inc(MIB.Ip6InReceives);
  net.mib.inc(MIB.Ip6InOctets, skb.len);
  if (net.sysctl.int(`net.ipv6.conf.${dev.name}.disable_ipv6`) || net.sysctl.int('net.ipv6.conf.all.disable_ipv6')) {
    net.mib.inc(MIB.Ip6InDiscards);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IPV6DISABLED, 'ip6_rcv_core', () => `disable_ipv6 is set on ${dev.name}`);
    return NET_RX_DROP;
  }
  // an IPv6 stack that is on is beyond skbpath: the datagram is counted in and dropped
  net.mib.inc(MIB.Ip6InDiscards);
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip6_rcv_core', () => 'IPv6 is not simulated (only a disabled IPv6 is)');
  return NET_RX_DROP;
}

export const ipv6_packet_type: Readonly<PacketType> = {
  type: ETH_P_IPV6,
  dev: null,
  func: ipv6_rcv,
};
