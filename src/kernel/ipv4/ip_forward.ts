// net/ipv4/ip_forward.c and route.c's ip_error(): the forwarding decision.
import { kprobe } from '../trace/probe.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { NF_HOOK, NF_INET_FORWARD, NFPROTO_IPV4 } from '../netfilter/core.ts';
import { IPSKB_FORWARDED, PACKET_HOST, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { EACCES, EHOSTUNREACH, ENETUNREACH } from '../uapi/errno.ts';
import { icmp_send } from './icmp.ts';
import {
  ICMP_DEST_UNREACH,
  ICMP_EXC_TTL,
  ICMP_FRAG_NEEDED,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_TIME_EXCEEDED,
} from '../../wire/icmp.ts';
import { ip_forward_finish } from './ip_output.ts';
import { csum_fold, csum_partial, IP_DF, ip_hdr, iph_frag_off, iph_ihl, iph_saddr, iph_tot_len, iph_ttl, wr16 } from './iphdr.ts';
import { IPH_CHECK, IPH_TTL } from '../../wire/ipv4.ts';
import { dst_mtu, RTCF_DOREDIRECT, type Rtable } from './route.ts';
import { ip_rt_send_redirect } from './redirect.ts';

/** ip_forward(): every drop here is @ip_forward. Takes ownership of skb. */
export function ip_forward(net: Net, _sk: Sock | null, skb: SkBuff): number {
  const rt = skb.dst as Rtable;
  const b = skb.head;
  const o = skb.networkHeader;
  kprobe(net, skb, 'ip_forward');
  if (skb.pktType !== PACKET_HOST || skb.sk) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip_forward');
    return 0;
  }
  if (skb.ipSummed === 2) skb.ipSummed = 0; // skb_forward_csum(): CHECKSUM_COMPLETE no longer holds
  if (iph_ttl(b, o) <= 1) {
    net.mib.inc(MIB.IpInHdrErrors);
    icmp_send(net, skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_INHDR, 'ip_forward', () => `TTL ${iph_ttl(b, o)} would expire on forwarding`);
    return 0;
  }
  net.mib.inc(MIB.IpForwDatagrams);
  skb.ipcbFlags |= IPSKB_FORWARDED;
  const mtu = Math.min(dst_mtu(rt, net.kernel.now), rt.dev.mtu);
  const len = iph_tot_len(b, o);
  // ip_exceeds_mtu(): only a DF packet, or the DF fragments it was reassembled from, is too big
  if (len > mtu && iph_frag_off(b, o) & IP_DF && ((skb.fragMaxSize && skb.fragMaxSize > mtu) || !skb.ignoreDf)) {
    net.mib.inc(MIB.IpFragFails);
    icmp_send(net, skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, mtu);
    kfree_skb_reason(
      net,
      skb,
      SKB_DROP_REASON.PKT_TOO_BIG,
      'ip_forward',
      () => `${len} bytes with DF set, next hop MTU ${mtu} via ${rt.dev.name}`,
    );
    return 0;
  }
  skb.unshare();
  ip_decrease_ttl(skb.head, o);
  if (rt.flags & RTCF_DOREDIRECT) ip_rt_send_redirect(net, skb);
  skb.priority = 0;
  const indev = skb.dev;
  return NF_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, net, null, skb, indev, rt.dev, ip_forward_finish);
}

/** ip_decrease_ttl(): TTL-1 with the incremental checksum update. */
export function ip_decrease_ttl(b: Uint8Array, o: number): void {
  b[o + IPH_TTL] = ((b[o + IPH_TTL] as number) - 1) & 0xff;
  wr16(b, o + IPH_CHECK, 0);
  wr16(b, o + IPH_CHECK, csum_fold(csum_partial(b, o, iph_ihl(b, o) * 4)));
}

/** ip_error(): a packet whose input route is an error. */
export function ip_error(net: Net, skb: SkBuff): number {
  kprobe(net, skb, 'ip_error');
  const rt = skb.dst as Rtable;
  const dev = skb.dev;
  let reason = SKB_DROP_REASON.NOT_SPECIFIED;
  const forward = dev ? net.sysctl.devConf(dev.name, 'forwarding') !== 0 : false;
  if (!forward) {
    if (rt.error === EHOSTUNREACH) {
      reason = SKB_DROP_REASON.IP_INADDRERRORS;
      net.mib.inc(MIB.IpInAddrErrors);
    } else if (rt.error === ENETUNREACH) {
      reason = SKB_DROP_REASON.IP_INNOROUTES;
      net.mib.inc(MIB.IpExtInNoRoutes);
    }
    kfree_skb_reason(
      net,
      skb,
      reason,
      'ip_error',
      () => `forwarding is off on ${dev?.name ?? '?'}: the packet is not for this host (route error ${rt.error})`,
    );
    return 0;
  }
  let code = -1;
  switch (rt.error) {
    case EHOSTUNREACH:
      code = ICMP_HOST_UNREACH;
      break;
    case ENETUNREACH:
      code = ICMP_NET_UNREACH;
      reason = SKB_DROP_REASON.IP_INNOROUTES;
      net.mib.inc(MIB.IpExtInNoRoutes);
      break;
    case EACCES:
      code = ICMP_PKT_FILTERED;
      break;
    default:
      code = -1;
  }
  if (code >= 0 && ip_error_rate_allow(net, skb)) icmp_send(net, skb, ICMP_DEST_UNREACH, code, 0);
  kfree_skb_reason(
    net,
    skb,
    reason,
    'ip_error',
    () =>
      ({ 113: 'an unreachable route', 101: 'no route', 13: 'a prohibit route', 22: 'a blackhole route' })[rt.error] ??
      `route error ${rt.error}`,
  );
  return 0;
}

/** The inet_peer token bucket ip_error() uses (ip_rt_error_cost = HZ, burst 5*HZ). */
function ip_error_rate_allow(net: Net, skb: SkBuff): boolean {
  const k = net.kernel;
  const now = k.jiffies();
  const saddr = iph_saddr(skb.head, ip_hdr(skb));
  let p = net.errorPeers.get(saddr);
  if (!p) {
    p = { tokens: 5 * k.HZ, last: now };
    net.errorPeers.set(saddr, p);
  }
  p.tokens += (now - p.last) >>> 0;
  if (p.tokens > 5 * k.HZ) p.tokens = 5 * k.HZ;
  p.last = now;
  if (p.tokens >= k.HZ) {
    p.tokens -= k.HZ;
    return true;
  }
  return false;
}
