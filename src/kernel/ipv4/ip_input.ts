// net/ipv4/ip_input.c: ip_rcv → PRE_ROUTING → ip_rcv_finish → route →
// ip_local_deliver → LOCAL_IN → ip_local_deliver_finish → inet_protos.
import { kprobe } from '../trace/probe.ts';
import type { NetDevice, PacketType } from '../core/netdevice.ts';
import { ETH_P_IP, NET_RX_DROP, NET_RX_SUCCESS } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { NF_HOOK, nf_hook, NF_INET_LOCAL_IN, NF_INET_PRE_ROUTING, NFPROTO_IPV4 } from '../netfilter/core.ts';
import { PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { RTN_BROADCAST, RTN_MULTICAST } from './fib.ts';
import { icmp_send } from './icmp.ts';
import { ip_defrag } from './ip_fragment.ts';
import { ip_error, ip_forward } from './ip_forward.ts';
import { ip_options_compile_rcv } from './ip_options.ts';
import {
  IP_MF,
  IP_OFFSET,
  ip_fast_csum,
  iph_daddr,
  iph_frag_off,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  iph_tot_len,
  iph_version,
} from './iphdr.ts';
import { raw_local_deliver } from './raw.ts';
import { ip_route_input_noref, RTCF_LOCAL, type Rtable } from './route.ts';

/** ip_rcv(): the ptype_base handler for ETH_P_IP. Takes ownership of skb. */
export function ip_rcv(skb: SkBuff, dev: NetDevice, _pt: PacketType, _orig: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'ip_rcv');
  const s = ip_rcv_core(net, skb);
  if (!s) return NET_RX_DROP;
  return NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, null, s, dev, null, ip_rcv_finish);
}

/** ip_rcv_core(): header sanity; every drop here is @ip_rcv_core. */
export function ip_rcv_core(net: Net, skb: SkBuff): SkBuff | null {
  const dev = skb.dev as NetDevice;
  if (skb.pktType === PACKET_OTHERHOST) {
    dev.stats.rx_otherhost_dropped++;
    kfree_skb_reason(
      net,
      skb,
      SKB_DROP_REASON.OTHERHOST,
      'ip_rcv_core',
      () => `destination MAC is not ${dev.name}'s (the device is promiscuous or bridged)`,
    );
    return null;
  }
  net.mib.inc(MIB.IpInReceives);
  net.mib.inc(MIB.IpExtInOctets, skb.len);
  let reason = SKB_DROP_REASON.NOT_SPECIFIED;
  const b = skb.head;
  const o = skb.data;
  skb.networkHeader = o;
  inhdr: {
    if (!skb.mayPull(20)) break inhdr;
    const ihl = iph_ihl(b, o);
    if (ihl < 5 || iph_version(b, o) !== 4) break inhdr;
    net.mib.inc(MIB.IpExtInNoECTPkts + (iph_tos(b, o) & 3), Math.max(1, skb.gsoSegs));
    if (!skb.mayPull(ihl * 4)) break inhdr;
    if (ip_fast_csum(b, o, ihl) !== 0) {
      reason = SKB_DROP_REASON.IP_CSUM;
      net.mib.inc(MIB.IpExtInCsumErrors);
      break inhdr;
    }
    const len = iph_tot_len(b, o);
    if (skb.len < len) {
      net.mib.inc(MIB.IpExtInTruncatedPkts);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'ip_rcv_core');
      return null;
    }
    if (len < ihl * 4) break inhdr;
    skb.trim(len);
    skb.transportHeader = o + ihl * 4;
    // memset(IPCB(skb), 0, ...)
    skb.ipcbFlags = 0;
    skb.fragMaxSize = 0;
    skb.cb.ipOpt = undefined;
    skb.sk = null;
    return skb;
  }
  if (reason === SKB_DROP_REASON.NOT_SPECIFIED) reason = SKB_DROP_REASON.IP_INHDR;
  net.mib.inc(MIB.IpInHdrErrors);
  kfree_skb_reason(net, skb, reason, 'ip_rcv_core');
  return null;
}

/** ip_rcv_finish() → ip_rcv_finish_core() → dst_input(). */
export function ip_rcv_finish(net: Net, sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_rcv_finish');
  const ret = ip_rcv_finish_core(net, skb);
  if (ret !== NET_RX_SUCCESS) return ret;
  return dst_input(net, sk, skb);
}

function ip_rcv_finish_core(net: Net, skb: SkBuff, hint: SkBuff | null = null): number {
  const b = skb.head;
  const o = skb.networkHeader;
  const dev = skb.dev as NetDevice;
  if (hint && !skb.dst && ip_can_use_hint(net, skb, hint)) {
    // ip_route_use_hint(): the previous skb's route, without a FIB lookup
    kprobe(net, skb, 'ip_route_use_hint');
    skb.dst = hint.dst;
  }
  if (!skb.dst && !skb.sk && !(iph_frag_off(b, o) & (IP_MF | IP_OFFSET)) && net.sysctl.int('net.ipv4.ip_early_demux')) {
    // tcp_v4_early_demux(): an established socket's cached input route
    const proto = net.kernel.inetProtos[iph_protocol(b, o)] as { earlyDemux?: (net: Net, skb: SkBuff) => void } | undefined;
    proto?.earlyDemux?.(net, skb);
  }
  if (!skb.dst) {
    kprobe(net, skb, 'ip_route_input_noref');
    const reason = ip_route_input_noref(net, skb, iph_daddr(b, o), iph_saddr(b, o), iph_tos(b, o) & 0xfc, dev);
    if (reason) {
      if (reason === SKB_DROP_REASON.IP_RPFILTER) net.mib.inc(MIB.TcpExtIPReversePathFilter);
      kfree_skb_reason(net, skb, reason, 'ip_rcv_finish_core', () =>
        reason === SKB_DROP_REASON.IP_RPFILTER
          ? `rp_filter=${Math.max(net.sysctl.devConf('all', 'rp_filter'), net.sysctl.devConf(dev.name, 'rp_filter'))} on ${dev.name}: the route back to the source does not leave by ${dev.name}`
          : `input route lookup refused it`,
      );
      return NET_RX_DROP;
    }
  }
  if (iph_ihl(b, o) > 5) {
    // ip_rcv_options(): a malformed option is a parameter problem; source routes need accept_source_route
    const r = ip_options_compile_rcv(net, skb, iph_ihl(b, o));
    if (r === 'inhdr') {
      net.mib.inc(MIB.IpInHdrErrors);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_INHDR, 'ip_rcv_finish_core', () => `malformed IP option (ICMP parameter problem sent)`);
      return NET_RX_DROP;
    }
    if (r === 'srr') {
      kfree_skb_reason(
        net,
        skb,
        SKB_DROP_REASON.NOT_SPECIFIED,
        'ip_rcv_finish_core',
        () => `source route option refused: accept_source_route is 0 on ${dev.name} or all`,
      );
      return NET_RX_DROP;
    }
  }
  const rt = skb.dst as Rtable;
  if (rt.type === RTN_MULTICAST) {
    net.mib.inc(MIB.IpExtInMcastPkts);
    net.mib.inc(MIB.IpExtInMcastOctets, skb.len);
  } else if (rt.type === RTN_BROADCAST) {
    net.mib.inc(MIB.IpExtInBcastPkts);
    net.mib.inc(MIB.IpExtInBcastOctets, skb.len);
  } else if (skb.pktType === PACKET_BROADCAST || skb.pktType === PACKET_MULTICAST) {
    if (net.sysctl.devConf(dev.name, 'drop_unicast_in_l2_multicast')) {
      kfree_skb_reason(net, skb, SKB_DROP_REASON.UNICAST_IN_L2_MULTICAST, 'ip_rcv_finish_core');
      return NET_RX_DROP;
    }
  }
  return NET_RX_SUCCESS;
}

/** dst_input(): the route's input function. */
export function dst_input(net: Net, sk: Sock | null, skb: SkBuff): number {
  const rt = skb.dst as Rtable;
  switch (rt.input) {
    case 'ip_local_deliver':
      return ip_local_deliver(net, skb);
    case 'ip_forward':
      return ip_forward(net, sk, skb);
    default:
      return ip_error(net, skb);
  }
}

/** ip_local_deliver(): reassemble, then LOCAL_IN. */
export function ip_local_deliver(net: Net, skbIn: SkBuff): number {
  let skb = skbIn;
  kprobe(net, skb, 'ip_local_deliver');
  const b = skb.head;
  const o = skb.networkHeader;
  if (iph_frag_off(b, o) & (IP_MF | IP_OFFSET)) {
    const whole = ip_defrag(net, skb, 'local');
    if (!whole) return 0;
    skb = whole;
  }
  return NF_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, net, null, skb, skb.dev, null, ip_local_deliver_finish);
}

export function ip_local_deliver_finish(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip_local_deliver_finish');
  skb.pull(skb.transportHeader - skb.data);
  ip_protocol_deliver_rcu(net, skb, iph_protocol(skb.head, skb.networkHeader));
  return 0;
}

/** ip_protocol_deliver_rcu(): raw sockets, then the protocol handler. */
export function ip_protocol_deliver_rcu(net: Net, skb: SkBuff, protocol: number): void {
  let proto = protocol;
  kprobe(net, skb, 'ip_protocol_deliver_rcu');
  for (let n = 0; n < 4; n++) {
    const raw = raw_local_deliver(net, skb, proto);
    const ipprot = net.kernel.inetProtos[proto];
    if (ipprot) {
      const ret = ipprot.handler(net, skb);
      if (ret < 0) {
        proto = -ret;
        continue;
      }
      net.mib.inc(MIB.IpInDelivers);
      return;
    }
    if (!raw) {
      net.mib.inc(MIB.IpInUnknownProtos);
      icmp_send(net, skb, 3, 2, 0);
      kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_NOPROTO, 'ip_local_deliver_finish');
    } else {
      net.mib.inc(MIB.IpInDelivers);
      consume_skb(net, skb, 'ip_protocol_deliver_rcu');
    }
    return;
  }
}

/**
 * ip_list_rcv(): a GRO batch from __netif_receive_skb_list_core. ip_rcv_core
 * on each skb, then one ip_sublist_rcv per run of skbs from the same device.
 */
export function ip_list_rcv(list: SkBuff[], _pt: PacketType, _orig: NetDevice): void {
  let currDev: NetDevice | null = null;
  let sublist: SkBuff[] = [];
  for (const skb0 of list) {
    const dev = skb0.dev as NetDevice;
    const net = dev.net;
    kprobe(net, skb0, 'ip_list_rcv');
    const skb = ip_rcv_core(net, skb0);
    if (!skb) continue;
    if (currDev !== dev) {
      if (sublist.length) ip_sublist_rcv(sublist, currDev as NetDevice);
      sublist = [];
      currDev = dev;
    }
    sublist.push(skb);
  }
  if (sublist.length) ip_sublist_rcv(sublist, currDev as NetDevice);
}

/** ip_sublist_rcv(): NF_HOOK_LIST(PRE_ROUTING), then ip_list_rcv_finish() (inl). */
function ip_sublist_rcv(list: SkBuff[], dev: NetDevice): void {
  const net = dev.net;
  const passed: SkBuff[] = [];
  for (const skb of list) {
    kprobe(net, skb, 'ip_sublist_rcv');
    // NF_HOOK_LIST: an skb the hook took (dropped, stolen, queued) leaves the list
    if (nf_hook(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, null, skb, dev, null) === 1) passed.push(skb);
  }
  // ip_list_rcv_finish(): runs of skbs with one route go to ip_sublist_rcv_finish() (inl) → dst_input()
  let hint: SkBuff | null = null;
  let currDst: Rtable | null = null;
  let sub: SkBuff[] = [];
  for (const skb of passed) {
    kprobe(net, skb, 'ip_list_rcv_finish (inl)');
    kprobe(net, skb, 'ip_rcv_finish_core');
    if (ip_rcv_finish_core(net, skb, hint) !== NET_RX_SUCCESS) continue;
    const dst = skb.dst as Rtable;
    if (currDst !== dst) {
      hint = ip_extract_route_hint(skb);
      ip_sublist_rcv_finish(net, sub);
      sub = [];
      currDst = dst;
    }
    sub.push(skb);
  }
  ip_sublist_rcv_finish(net, sub);
}

/** ip_sublist_rcv_finish() (inl): dst_input() on each skb of one route. */
function ip_sublist_rcv_finish(net: Net, list: SkBuff[]): void {
  for (const skb of list) {
    kprobe(net, skb, 'ip_sublist_rcv_finish (inl)');
    dst_input(net, null, skb);
  }
}

/** ip_extract_route_hint(): no hint for limited broadcast or 0.0.0.0/8 (no policy rules exist here). */
function ip_extract_route_hint(skb: SkBuff): SkBuff | null {
  const d = iph_daddr(skb.head, skb.networkHeader) >>> 0;
  if (d === 0xffffffff || d >>> 24 === 0) return null;
  return skb;
}

/**
 * ip_can_use_hint(): same destination and TOS as the hint. A local route would
 * still be checked by fib_validate_source(); with rp_filter on that check is a
 * FIB lookup, so the full input route runs instead.
 */
function ip_can_use_hint(net: Net, skb: SkBuff, hint: SkBuff): boolean {
  const b = skb.head;
  const o = skb.networkHeader;
  const hb = hint.head;
  const ho = hint.networkHeader;
  if (iph_daddr(b, o) !== iph_daddr(hb, ho) || iph_tos(b, o) !== iph_tos(hb, ho)) return false;
  const rt = hint.dst;
  if (!rt) return false;
  if (!(rt.flags & RTCF_LOCAL)) return true;
  const dev = skb.dev as NetDevice;
  return (
    Math.max(net.sysctl.devConf('all', 'rp_filter'), net.sysctl.devConf(dev.name, 'rp_filter')) === 0 &&
    iph_saddr(b, o) === iph_saddr(hb, ho)
  );
}

export const ip_packet_type: Readonly<PacketType> = {
  type: ETH_P_IP,
  dev: null,
  func: ip_rcv,
  list_func: ip_list_rcv,
};
