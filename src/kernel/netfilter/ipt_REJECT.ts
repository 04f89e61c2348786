// net/ipv4/netfilter/ipt_REJECT.c reject_tg and nf_reject_ipv4.c
// (nf_send_unreach, nf_send_reset). The answer leaves by ip_local_out; the
// rejected packet is then dropped by the caller (NF_DROP).
import type { Net } from '../net_namespace.ts';
import { CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY, type SkBuff, alloc_skb } from '../skbuff.ts';
import { ETH_P_IP } from '../core/netdevice.ts';
import { kprobe } from '../trace/probe.ts';
import { flowi4, RTN_LOCAL, RTN_UNICAST } from '../ipv4/fib.ts';
import { icmp_send } from '../ipv4/icmp.ts';
import { ip_local_out } from '../ipv4/ip_output.ts';
import { csum_fold, IP_OFFSET, iph_daddr, iph_frag_off, iph_ihl, iph_protocol, iph_saddr, iph_tos, wr16, wr32 } from '../ipv4/iphdr.ts';
import {
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_HEADER_LEN,
  IP_DF,
} from '../../wire/ipv4.ts';
import {
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_RST,
  TCPHDR_SYN,
  TCPH_ACK_SEQ,
  TCPH_CHECK,
  TCPH_DEST,
  TCPH_DOFF,
  TCPH_FLAGS,
  TCPH_SEQ,
  TCPH_SOURCE,
  TCP_HEADER_LEN,
  tcph_ack_seq,
  tcph_dest,
  tcph_doff,
  tcph_flags,
  tcph_seq,
  tcph_source,
} from '../../wire/tcp.ts';
import { UDP_HEADER_LEN, udph_check } from '../../wire/udp.ts';
import { dst_mtu, inet_addr_type_dev_table, ip_route_output_key, RTCF_BROADCAST, RTCF_MULTICAST } from '../ipv4/route.ts';
import { NF_DROP, type NfHookState } from './core.ts';
import { EINVAL } from '../uapi/errno.ts';
import { NF_INET_FORWARD, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { IPT_INV_PROTO } from '../uapi/x_tables.ts';
import type { XtTarget } from './x_tables.ts';
import { nf_ct_attach, nf_ct_set_closing } from './nf_conntrack.ts';
import { nf_ip_checksum } from './utils.ts';

import type { RejectWith } from '../uapi/x_tables.ts';

export type { RejectWith };

const UNREACH_CODE: Readonly<Record<Exclude<RejectWith, 'tcp-reset'>, number>> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-proto-unreachable': 2,
  'icmp-port-unreachable': 3,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
};

/** reject_tg() */
export function reject_tg(net: Net, skb: SkBuff, state: NfHookState, w: RejectWith): number {
  if (w === 'tcp-reset') nf_send_reset(net, skb, state.hook);
  else nf_send_unreach(net, skb, UNREACH_CODE[w], state.hook);
  return NF_DROP;
}

/** nf_reject_verify_csum(): protocols whose whole payload a 16-bit sum covers. */
function nf_reject_verify_csum(skb: SkBuff, dataoff: number, proto: number): boolean {
  switch (proto) {
    case IPPROTO_UDP: {
      const o = skb.networkHeader + dataoff;
      if (o + UDP_HEADER_LEN > skb.tail) return true;
      return udph_check(skb.head, o) !== 0;
    }
    case 47:
    case 51:
    case 50:
    case 132:
    case 136:
    case 33:
      return false;
  }
  return true;
}

/** nf_send_unreach() */
export function nf_send_unreach(net: Net, skb: SkBuff, code: number, hook: number): void {
  kprobe(net, skb, 'nf_send_unreach');
  const b = skb.head;
  const nh = skb.networkHeader;
  if (iph_frag_off(b, nh) & IP_OFFSET) return;
  if (!skb.dst) return;
  const dataoff = iph_ihl(b, nh) * 4;
  const proto = iph_protocol(b, nh);
  if (skb.ipSummed === CHECKSUM_UNNECESSARY || skb.ipSummed === CHECKSUM_PARTIAL || !nf_reject_verify_csum(skb, dataoff, proto)) {
    icmp_send(net, skb, 3, code, 0);
    return;
  }
  if (nf_ip_checksum(skb, hook, dataoff, proto) === 0) icmp_send(net, skb, 3, code, 0);
}

/** nf_send_reset(): a RST built from the offending segment, sent by ip_local_out. */
export function nf_send_reset(net: Net, oldskb: SkBuff, hook: number): void {
  kprobe(net, oldskb, 'nf_send_reset');
  const b = oldskb.head;
  const nh = oldskb.networkHeader;
  // nf_reject_ip_tcphdr_get()
  if (iph_frag_off(b, nh) & IP_OFFSET) return;
  if (iph_protocol(b, nh) !== IPPROTO_TCP) return;
  const ihl = iph_ihl(b, nh) * 4;
  const th = nh + ihl;
  if (th + TCP_HEADER_LEN > oldskb.tail) return;
  const thFlags = tcph_flags(b, th);
  if (thFlags & TCPHDR_RST) return;
  if (nf_ip_checksum(oldskb, hook, ihl, IPPROTO_TCP)) return;
  const ort = oldskb.dst;
  if (!ort) return;
  if (ort.flags & (RTCF_BROADCAST | RTCF_MULTICAST)) return;

  const nskb = alloc_skb(net.kernel, IPV4_HEADER_LEN + TCP_HEADER_LEN, 128);
  nskb.mark = 0;
  nskb.resetNetworkHeader();
  const io = nskb.put(IPV4_HEADER_LEN);
  const nb = nskb.head;
  const saddr = iph_daddr(b, nh);
  const daddr = iph_saddr(b, nh);
  nb[io + IPH_VERSION_IHL] = 0x45;
  nb[io + IPH_TOS] = 0;
  wr16(nb, io + IPH_ID, 0);
  wr16(nb, io + IPH_FRAG_OFF, IP_DF);
  nb[io + IPH_TTL] = net.sysctl.int('net.ipv4.ip_default_ttl') || 64;
  nb[io + IPH_PROTOCOL] = IPPROTO_TCP;
  wr32(nb, io + IPH_SADDR, saddr);
  wr32(nb, io + IPH_DADDR, daddr);
  nskb.protocol = ETH_P_IP;
  // nf_reject_ip_tcphdr_put()
  nskb.resetTransportHeader();
  const to = nskb.put(TCP_HEADER_LEN);
  nb.fill(0, to, to + TCP_HEADER_LEN);
  wr16(nb, to + TCPH_SOURCE, tcph_dest(b, th));
  wr16(nb, to + TCPH_DEST, tcph_source(b, th));
  let flags = TCPHDR_RST;
  if (thFlags & TCPHDR_ACK) wr32(nb, to + TCPH_SEQ, tcph_ack_seq(b, th));
  else {
    const doff = tcph_doff(b, th) * 4;
    const seg = oldskb.tail - nh - ihl - doff;
    wr32(nb, to + TCPH_ACK_SEQ, (tcph_seq(b, th) + (thFlags & TCPHDR_SYN ? 1 : 0) + (thFlags & TCPHDR_FIN ? 1 : 0) + seg) >>> 0);
    flags |= TCPHDR_ACK;
  }
  nb[to + TCPH_DOFF] = 5 << 4;
  nb[to + TCPH_FLAGS] = flags;
  const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_TCP + TCP_HEADER_LEN;
  wr16(nb, to + TCPH_CHECK, ~csum_fold(pseudo) & 0xffff);
  nskb.ipSummed = CHECKSUM_PARTIAL;

  // ip_route_me_harder(net, sk, nskb, RTN_UNSPEC), with the old route's device
  const addrType = inet_addr_type_dev_table(net, ort.dev, saddr);
  const anysrc = addrType === RTN_LOCAL || addrType === RTN_UNICAST;
  const fl4 = flowi4({ daddr, saddr: anysrc ? saddr : 0, tos: iph_tos(nb, io) & 0xfc, flags: anysrc ? 1 : 0, mark: nskb.mark });
  const rt = ip_route_output_key(net, fl4);
  if (typeof rt === 'number') {
    nskb.release();
    return;
  }
  nskb.dst = rt;
  nskb.dev = rt.dev;
  if (nskb.len > dst_mtu(rt, net.kernel.now)) {
    nskb.release();
    return;
  }
  nf_ct_attach(nskb, oldskb);
  nf_ct_set_closing(oldskb._nfct);
  ip_local_out(net, null, nskb);
}

/** reject_tg_reg */
export const reject_tg_reg: Readonly<XtTarget<'REJECT'>> = {
  type: 'target',
  name: 'REJECT',
  revision: 0,
  family: NFPROTO_IPV4,
  table: 'filter',
  hooks: (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT),
  /** reject_tg_check() */
  checkentry(par, t) {
    if (t.with === 'tcp-reset' && (par.entry.proto !== IPPROTO_TCP || par.entry.invflags & IPT_INV_PROTO)) {
      par.net.kernel.kmsg.printk(6, 'ipt_REJECT: TCP_RESET invalid for non-tcp');
      return -EINVAL;
    }
    return 0;
  },
  target: (p, t) => reject_tg(p.net, p.skb, p.state, t.with),
};
