// net/ipv4/arp.c: ARP as the neighbour table's protocol — constructor,
// solicit, error report — and arp_rcv/arp_process for received frames.
import { kprobe } from '../trace/probe.ts';
import { dev_queue_xmit } from '../core/dev.ts';
import { eth_header } from '../core/eth.ts';
import {
  neigh_event_ns,
  neigh_update,
  NEIGH_UPDATE_F_OVERRIDE,
  type Neighbour,
  NUD_CONNECTED,
  NUD_NOARP,
  NUD_REACHABLE,
  NUD_STALE,
} from '../core/neighbour.ts';
import {
  ARPHRD_ETHER,
  ETH_P_ARP,
  ETH_P_IP,
  IFF_LOOPBACK,
  IFF_NOARP,
  IFF_POINTOPOINT,
  type NetDevice,
  type PacketType,
} from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { NF_ARP_IN, NF_ARP_OUT, NF_HOOK, NFPROTO_ARP } from '../netfilter/core.ts';
import { alloc_skb, PACKET_HOST, PACKET_LOOPBACK, PACKET_OTHERHOST, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { ipv4_is_loopback, ipv4_is_multicast } from './addr.ts';
import { confirm_addr_indev, inet_select_addr } from './devinet.ts';
import { RT_SCOPE_LINK, RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST, RTN_UNICAST } from './fib.ts';
import { icmp_send } from './icmp.ts';
import { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH } from '../../wire/icmp.ts';
import { neigh_queue_output } from './ip_output.ts';
import { arp_hdr, iph_ihl, iph_saddr, iph_version, wr16, wr32 } from './iphdr.ts';
import {
  ARPH_HLN,
  ARPH_HRD,
  ARPH_OP,
  ARPH_PLN,
  ARPH_PRO,
  ARP_ETH_IPV4_LEN,
  ARP_HDR_LEN,
  ARP_SHA,
  ARP_SIP,
  ARP_THA,
  ARP_TIP,
  ARPOP_REPLY,
  ARPOP_REQUEST,
  arp_sip,
  arp_tip,
  arph_hln,
  arph_hrd,
  arph_op,
  arph_pln,
  arph_pro,
} from '../../wire/arp.ts';
import { ETH_ALEN } from '../../wire/ethernet.ts';
import { IPV4_HEADER_LEN } from '../../wire/ipv4.ts';

/** include/uapi/linux/if_arp.h: IEEE 802.2 Ethernet/TR/TB */
const ARPHRD_IEEE802 = 6;
import { inet_addr_type_dev_table, ip_route_input_noref } from './route.ts';

const ARP_HLEN = ARP_ETH_IPV4_LEN;

/** arp_constructor() */
function arp_constructor(n: Neighbour): void {
  const dev = n.dev;
  const net = n.tbl.net;
  if (dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT)) n.primaryKey = 0;
  n.type = inet_addr_type_dev_table(net, dev, n.primaryKey);
  if (n.type === RTN_MULTICAST) {
    n.nudState = NUD_NOARP;
    const a = n.primaryKey;
    n.ha.set([0x01, 0x00, 0x5e, (a >>> 16) & 0x7f, (a >>> 8) & 0xff, a & 0xff]);
  } else if (dev.flags & (IFF_NOARP | IFF_LOOPBACK)) {
    n.nudState = NUD_NOARP;
    n.ha.set(dev.devAddr);
  } else if (n.type === RTN_BROADCAST || dev.flags & IFF_POINTOPOINT) {
    n.nudState = NUD_NOARP;
    n.ha.set(dev.broadcast);
  }
  n.connected = (n.nudState & NUD_CONNECTED) !== 0;
}

/** arp_solicit(): broadcast while probes exceed ucast_solicit, else unicast to the cached address. */
function arp_solicit(n: Neighbour, skb: SkBuff | null): void {
  const dev = n.dev;
  const net = n.tbl.net;
  const target = n.primaryKey;
  let saddr = 0;
  const announce = Math.max(net.sysctl.devConf('all', 'arp_announce'), net.sysctl.devConf(dev.name, 'arp_announce'));
  if (announce === 0 && skb) {
    const s = iph_saddr(skb.head, skb.networkHeader);
    if (inet_addr_type_dev_table(net, dev, s) === RTN_LOCAL) saddr = s;
  }
  if (!saddr) saddr = inet_select_addr(net, dev, target, RT_SCOPE_LINK);
  let probes = n.probes - n.tbl.parm(dev, 'ucast_solicit');
  let dstHw: Uint8Array | null = null;
  if (probes < 0) dstHw = n.ha.slice();
  else {
    probes -= n.tbl.parm(dev, 'app_solicit');
    if (probes < 0) return;
  }
  arp_send_dst(net, ARPOP_REQUEST, ETH_P_ARP, target, dev, saddr, dstHw, dev.devAddr, null);
}

/** arp_error_report() → dst_link_failure() → ipv4_link_failure(): host unreachable to the sender. */
function arp_error_report(n: Neighbour, skb: SkBuff): void {
  const net = n.tbl.net;
  const b = skb.head;
  const o = skb.networkHeader;
  if (o < 0 || o + IPV4_HEADER_LEN > skb.tail || iph_version(b, o) !== 4 || iph_ihl(b, o) < 5) return;
  icmp_send(net, skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
  if (skb.dst) skb.dst.pmtuExpires = 0;
}

/** arp_create(): an ARP frame with its Ethernet header. */
function arp_create(
  op: number,
  ptype: number,
  destIp: number,
  dev: NetDevice,
  srcIp: number,
  destHw: Uint8Array | null,
  srcHw: Uint8Array,
  targetHw: Uint8Array | null,
): SkBuff {
  const skb = alloc_skb(dev.net.kernel, ARP_HLEN, 32);
  const o = skb.put(ARP_HLEN);
  skb.networkHeader = o;
  skb.dev = dev;
  skb.protocol = ETH_P_ARP;
  const b = skb.head;
  wr16(b, o + ARPH_HRD, dev.type);
  wr16(b, o + ARPH_PRO, ETH_P_IP);
  b[o + ARPH_HLN] = ETH_ALEN;
  b[o + ARPH_PLN] = 4;
  wr16(b, o + ARPH_OP, op);
  b.set(srcHw, o + ARP_SHA);
  wr32(b, o + ARP_SIP, srcIp);
  if (targetHw) b.set(targetHw, o + ARP_THA);
  else b.fill(0, o + ARP_THA, o + ARP_THA + ETH_ALEN);
  wr32(b, o + ARP_TIP, destIp);
  eth_header(skb, dev, ptype, destHw, srcHw);
  return skb;
}

/** arp_send_dst() → arp_xmit() → NF_ARP_OUT → arp_xmit_finish() → dev_queue_xmit(). */
export function arp_send_dst(
  net: Net,
  op: number,
  ptype: number,
  destIp: number,
  dev: NetDevice,
  srcIp: number,
  destHw: Uint8Array | null,
  srcHw: Uint8Array,
  targetHw: Uint8Array | null,
): void {
  if (dev.flags & IFF_NOARP) return;
  const skb = arp_create(op, ptype, destIp, dev, srcIp, destHw, srcHw, targetHw);
  NF_HOOK(NFPROTO_ARP, NF_ARP_OUT, net, null, skb, null, dev, arp_xmit_finish);
}

function arp_xmit_finish(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'arp_xmit_finish');
  return dev_queue_xmit(skb);
}

/** arp_rcv(): the ptype_base handler for ETH_P_ARP. Takes ownership of skb. */
export function arp_rcv(skb: SkBuff, dev: NetDevice, _pt: PacketType, _orig: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'arp_rcv');
  if (dev.flags & IFF_NOARP || skb.pktType === PACKET_OTHERHOST || skb.pktType === PACKET_LOOPBACK) {
    consume_skb(net, skb, 'arp_rcv');
    return 0;
  }
  if (!skb.mayPull(ARP_HDR_LEN)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'arp_rcv');
    return 1;
  }
  const b = skb.head;
  const o = skb.data;
  if (arph_hln(b, o) !== ETH_ALEN || arph_pln(b, o) !== 4) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'arp_rcv');
    return 1;
  }
  if (!skb.mayPull(ARP_HLEN)) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.PKT_TOO_SMALL, 'arp_rcv');
    return 1;
  }
  skb.networkHeader = o;
  return NF_HOOK(NFPROTO_ARP, NF_ARP_IN, net, null, skb, dev, null, arp_process);
}

/** arp_process() */
function arp_process(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'arp_process');
  const dev = skb.dev as NetDevice;
  const b = skb.head;
  const o = arp_hdr(skb);
  const hrd = arph_hrd(b, o);
  const pro = arph_pro(b, o);
  const op = arph_op(b, o);
  // Ethernet devices take ARPHRD_ETHER and ARPHRD_IEEE802 (6) headers; others only their own type
  if (dev.type === ARPHRD_ETHER) {
    if ((hrd !== ARPHRD_ETHER && hrd !== ARPHRD_IEEE802) || pro !== ETH_P_IP) return free(net, skb);
  } else if (pro !== ETH_P_IP || hrd !== dev.type) return free(net, skb);
  if (op !== ARPOP_REQUEST && op !== ARPOP_REPLY) return free(net, skb);
  const sha = b.slice(o + ARP_SHA, o + ARP_SHA + ETH_ALEN);
  const sip = arp_sip(b, o);
  const tha = b.slice(o + ARP_THA, o + ARP_THA + ETH_ALEN);
  const tip = arp_tip(b, o);
  const routeLocalnet = net.sysctl.devConf(dev.name, 'route_localnet');
  if (ipv4_is_multicast(tip) || (!routeLocalnet && ipv4_is_loopback(tip))) return free(net, skb);
  // gratuitous ARP can be an attack where an ARP proxy answers (IN_DEV_ORCONF)
  if (sip === tip && (net.sysctl.devConf('all', 'drop_gratuitous_arp') || net.sysctl.devConf(dev.name, 'drop_gratuitous_arp')))
    return free(net, skb);
  if (sip === 0) {
    // IPv4 duplicate address detection (RFC 2131): answered unless arp_ignore says not
    if (op === ARPOP_REQUEST && inet_addr_type_dev_table(net, dev, tip) === RTN_LOCAL && !arp_ignore(net, dev, sip, tip)) {
      arp_send_dst(net, ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha, dev.devAddr, sha);
    }
    consume_skb(net, skb, 'arp_process');
    return 0;
  }
  if (op === ARPOP_REQUEST && ip_route_input_noref(net, skb, tip, sip, 0, dev) === 0) {
    const rt = skb.dst;
    if (rt && rt.type === RTN_LOCAL) {
      if (!arp_ignore(net, dev, sip, tip)) {
        const n = neigh_event_ns(net.arpTbl, sha, sip, dev);
        n.refs++;
        arp_send_dst(net, ARPOP_REPLY, ETH_P_ARP, sip, dev, tip, sha, dev.devAddr, sha);
        n.refs--;
      }
      consume_skb(net, skb, 'arp_process');
      return 0;
    }
  }
  let n = net.arpTbl.lookup(dev, sip);
  let addrType = -1;
  let isGarp = false;
  const arpAccept = arp_accept(net, dev, sip);
  if (n || arpAccept) {
    isGarp = tip === sip;
    if (isGarp && op === ARPOP_REPLY) isGarp = sha.every((x, i) => x === tha[i]);
    if (isGarp) {
      addrType = inet_addr_type_dev_table(net, dev, sip);
      if (addrType !== RTN_UNICAST) isGarp = false;
    }
  }
  if (arpAccept && !n) {
    if (
      isGarp ||
      (op === ARPOP_REPLY && (addrType === RTN_UNICAST || (addrType < 0 && inet_addr_type_dev_table(net, dev, sip) === RTN_UNICAST)))
    ) {
      n = net.arpTbl.create(dev, sip);
    }
  }
  if (n) {
    const locktime = net.sysctl.neighParm(dev.name, 'locktime') * 10_000_000;
    const override = net.kernel.now > n.updated + locktime || isGarp;
    const state = op !== ARPOP_REPLY || skb.pktType !== PACKET_HOST ? NUD_STALE : NUD_REACHABLE;
    n.refs++;
    neigh_update(n, sha, state, override ? NEIGH_UPDATE_F_OVERRIDE : 0, 0);
    n.refs--;
  }
  consume_skb(net, skb, 'arp_process');
  return 0;
}

/**
 * arp_accept(): whether an unsolicited ARP may create an entry. 0: never;
 * 1: always; 2: only for a sender in a subnet of the receiving interface.
 */
function arp_accept(net: Net, dev: NetDevice, sip: number): boolean {
  switch (Math.max(net.sysctl.devConf('all', 'arp_accept'), net.sysctl.devConf(dev.name, 'arp_accept'))) {
    case 1:
      return true;
    case 2:
      return dev.ipPtr ? confirm_addr_indev(net, dev.ipPtr, sip, 0, RT_SCOPE_LINK) !== 0 : false;
    default:
      return false;
  }
}

function arp_ignore(net: Net, dev: NetDevice, sip: number, tip: number): boolean {
  const mode = Math.max(net.sysctl.devConf('all', 'arp_ignore'), net.sysctl.devConf(dev.name, 'arp_ignore'));
  if (mode === 0) return false;
  const ifas = dev.ipPtr?.ifaList ?? [];
  if (mode === 1 || mode === 2) {
    const onDev = ifas.some((i) => i.local === tip);
    if (!onDev) return true;
    if (mode === 2) return !ifas.some((i) => i.local === tip && ((sip ^ i.address) & i.mask) === 0);
    return false;
  }
  return mode >= 8;
}

function free(net: Net, skb: SkBuff): number {
  kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'arp_process');
  return 0;
}

export const arp_packet_type: Readonly<PacketType> = {
  type: ETH_P_ARP,
  dev: null,
  func: arp_rcv,
};

/** arp_tbl's protocol operations. */
export const arpOps = Object.freeze({
  constructor: arp_constructor,
  solicit: arp_solicit,
  errorReport: arp_error_report,
  output: (n: Neighbour, skb: SkBuff): number => neigh_queue_output(n, skb),
});

// --- /proc/net/arp (arp_seq_show)

import { NUD_PERMANENT as PERMANENT, NUD_VALID as VALID } from '../core/neighbour.ts';
import { ipv4ToString as pI4 } from './addr.ts';

const ATF_COM = 0x02;
const ATF_PERM = 0x04;

/** arp_state_to_flags() */
function arp_state_to_flags(n: Neighbour): number {
  if (n.nudState & PERMANENT) return ATF_PERM | ATF_COM;
  if (n.nudState & VALID) return ATF_COM;
  return 0;
}

/** arp_format_neigh_entry(): the hardware address as hex pairs (ETH_ALEN of them here). */
function arp_format_neigh_entry(n: Neighbour): string {
  const hw = [...n.ha.subarray(0, ETH_ALEN)].map((b) => b.toString(16).padStart(2, '0')).join(':');
  return (
    `${pI4(n.primaryKey).padEnd(16)} 0x${n.dev.type.toString(16).padEnd(10)}0x${arp_state_to_flags(n).toString(16).padEnd(10)}` +
    `${hw.padEnd(17)}     *        ${n.dev.name}\n`
  );
}

/** arp_seq_show(): the namespace's ARP table; neigh_seq_start skips NOARP entries (NEIGH_SEQ_SKIP_NOARP). */
export function arp_seq_show(net: Net): string {
  let s = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const n of net.arpTbl.list()) {
    if (n.dead || n.nudState & NUD_NOARP) continue;
    s += arp_format_neigh_entry(n);
  }
  return s;
}
