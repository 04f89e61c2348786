// net/ipv6/ndisc.c: Neighbour Discovery (RFC 4861) on the neighbour core:
// nd_tbl's constructor, solicit and error report; neighbour and router
// solicitations and advertisements, built here and sent through
// ndisc_send_skb (icmp6_dst_alloc, LOCAL_OUT, dst_output); what arrives is
// handed over by icmpv6_rcv (ndisc_rcv) and answered or learned from.
import {
  __neigh_event_send,
  NEIGH_UPDATE_F_ISROUTER,
  NEIGH_UPDATE_F_OVERRIDE,
  NEIGH_UPDATE_F_OVERRIDE_ISROUTER,
  NEIGH_UPDATE_F_WEAK_OVERRIDE,
  type Neighbour,
  neigh_update,
  NUD_CONNECTED,
  NUD_FAILED,
  NUD_NOARP,
  NUD_REACHABLE,
  NUD_STALE,
} from '../core/neighbour.ts';
import { ETH_P_IPV6, IFF_LOOPBACK, IFF_NOARP, IFF_POINTOPOINT, type NetDevice } from '../core/netdevice.ts';
import { eth_header } from '../core/eth.ts';
import { dev_queue_xmit } from '../core/dev.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { NF_HOOK, NF_INET_LOCAL_OUT, NFPROTO_IPV6 } from '../netfilter/core.ts';
import { alloc_skb, PACKET_LOOPBACK, type SkBuff } from '../skbuff.ts';
import { SKB_CONSUMED, SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { NTF_ROUTER } from '../uapi/rtnetlink_route.ts';
import { IP6H_HOP_LIMIT, IPV6_HEADER_LEN, ipv6ToString, NEXTHDR_ICMP } from '../../wire/ipv6.ts';
import {
  __in6_dev_get,
  addrconf_dad_failure,
  IFA_F_OPTIMISTIC,
  IFA_F_TENTATIVE,
  ipv6_chk_addr_and_flags,
  ipv6_dev_get_saddr,
  ipv6_get_ifaddr,
  ipv6_get_lladdr,
} from './addrconf.ts';
import {
  addrconf_addr_solict_mult,
  in6addr_linklocal_allnodes,
  ipv6_addr_any,
  ipv6_addr_is_multicast,
  ipv6_addr_is_solict_mult,
  ipv6_eth_mc_map,
} from './addrconf_core.ts';
import { ipv6_chk_acast_addr } from './anycast.ts';
import { csum_ipv6_magic } from './ip6_checksum.ts';
import { Sock6 } from './af_inet6.ts';
import type { Sock } from '../sock.ts';
import { dst_output6, ip6_flow_hdr, ip6_fill_hdr } from './ip6_output.ts';
import { icmp6_dst_alloc, ip6_link_failure } from './route.ts';
import { flowi6 } from './route_types.ts';
import { checksumAdd } from '../../wire/checksum.ts';

// ICMPv6 types of ND (include/net/ndisc.h)
export const NDISC_ROUTER_SOLICITATION = 133;
export const NDISC_ROUTER_ADVERTISEMENT = 134;
export const NDISC_NEIGHBOUR_SOLICITATION = 135;
export const NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
export const NDISC_REDIRECT = 137;

// ND options
export const ND_OPT_SOURCE_LL_ADDR = 1;
export const ND_OPT_TARGET_LL_ADDR = 2;
export const ND_OPT_PREFIX_INFO = 3;
export const ND_OPT_REDIRECT_HDR = 4;
export const ND_OPT_MTU = 5;
export const ND_OPT_NONCE = 14;
export const ND_OPT_ROUTE_INFO = 24;
export const ND_OPT_RDNSS = 25;
export const ND_OPT_DNSSL = 31;
export const ND_OPT_6CO = 34;
export const ND_OPT_CAPTIVE_PORTAL = 37;
export const ND_OPT_PREF64 = 38;

/** struct nd_msg: the ICMPv6 header (4), reserved/flags (4), target (16). */
const ND_MSG_LEN = 24;
/** struct rs_msg: the ICMPv6 header and 4 reserved bytes. */
const RS_MSG_LEN = 8;
/** struct ra_msg: header, cur hop limit, flags, router lifetime, reachable time, retrans timer. */
export const RA_MSG_LEN = 16;

/** ndisc_opt_addr_space(): an Ethernet address option takes 8 bytes. */
const ndisc_opt_addr_space = (_dev: NetDevice): number => 8;

// --- the neighbour table's hooks (nd_tbl) ---

/** ndisc_mc_map(): the link-layer group of a multicast address on dev. */
export function ndisc_mc_map(addr: Uint8Array, _dev: NetDevice): Uint8Array {
  return ipv6_eth_mc_map(addr);
}

/**
 * ndisc_constructor(): a multicast key is NOARP with its 33:33 group; lo and
 * NOARP devices are NOARP with their own address; point-to-point with the broadcast.
 */
function ndisc_constructor(n: Neighbour): void {
  const dev = n.dev;
  const addr = n.key6 as Uint8Array;
  const mc = ipv6_addr_is_multicast(addr);
  n.type = mc ? 5 : 1; // RTN_MULTICAST : RTN_UNICAST
  if (mc) {
    n.nudState = NUD_NOARP;
    n.ha.set(ndisc_mc_map(addr, dev));
  } else if (dev.flags & (IFF_NOARP | IFF_LOOPBACK)) {
    n.nudState = NUD_NOARP;
    n.ha.set(dev.devAddr);
    if (dev.flags & IFF_LOOPBACK) n.type = 2; // RTN_LOCAL
  } else if (dev.flags & IFF_POINTOPOINT) {
    n.nudState = NUD_NOARP;
    n.ha.set(dev.broadcast);
  }
  n.connected = (n.nudState & NUD_CONNECTED) !== 0;
}

/**
 * ndisc_solicit(): the source is the queued packet's when it is ours; a
 * unicast probe while re-probing a known entry, else to the solicited-node group.
 */
function ndisc_solicit(n: Neighbour, skb: SkBuff | null): void {
  const dev = n.dev;
  const net = dev.net;
  const target = n.key6 as Uint8Array;
  let saddr: Uint8Array | null = null;
  if (skb) {
    const s = skb.head.slice(skb.networkHeader + 8, skb.networkHeader + 24);
    if (ipv6_chk_addr_and_flags(net, s, dev, false, 1, IFA_F_TENTATIVE | IFA_F_OPTIMISTIC)) saddr = s;
  }
  let probes = n.probes - n.tbl.parm(dev, 'ucast_solicit');
  if (probes < 0) {
    ndisc_send_ns(dev, target, target, saddr, null);
  } else if ((probes -= n.tbl.parm(dev, 'app_solicit')) < 0) {
    // neigh_app_ns(): a netlink request to a user-space resolver (none here)
  } else {
    ndisc_send_ns(dev, target, addrconf_addr_solict_mult(target), saddr, null);
  }
}

/** ndisc_error_report() → dst_link_failure() (ip6_link_failure: address unreachable to the sender), then kfree_skb. */
function ndisc_error_report(n: Neighbour, skb: SkBuff): void {
  const net = n.tbl.net;
  ip6_link_failure(skb);
  kfree_skb_reason(
    net,
    skb,
    SKB_DROP_REASON.NOT_SPECIFIED,
    'neigh_invalidate',
    () => `neighbour ${ipv6ToString(n.key6 as Uint8Array)} dev ${n.dev.name} FAILED: no NA answered the NS probes`,
  );
}

/** The nd_tbl output when the queue is flushed (neigh_resolve_output's tail). */
function ndisc_queue_output(n: Neighbour, skb: SkBuff): number {
  eth_header(skb, n.dev, ETH_P_IPV6, n.ha, null);
  return dev_queue_xmit(skb);
}

/** nd_tbl's neigh_ops (ndisc_hh_ops). */
export const ndiscOps = Object.freeze({
  constructor: ndisc_constructor,
  solicit: ndisc_solicit,
  errorReport: ndisc_error_report,
  output: ndisc_queue_output,
});

// --- building and sending ---

/** net->ipv6.ndisc_sk (ndisc_net_init): hop limit 255, no multicast loopback. */
export function ndisc_sk(net: import('../net_namespace.ts').Net): Sock {
  let sk = net.ipv6.ndisc_sk;
  if (!sk) {
    const s6 = new Sock6(net, 3, NEXTHDR_ICMP);
    s6.hopLimit = 255;
    s6.mcLoop = false;
    net.ipv6.ndisc_sk = sk = s6;
  }
  return sk;
}

/** ndisc_alloc_skb(): room for the link and IPv6 headers, the transport header at the data. */
function ndisc_alloc_skb(dev: NetDevice, len: number): SkBuff {
  const skb = alloc_skb(dev.net.kernel, len, 32 + IPV6_HEADER_LEN);
  skb.protocol = ETH_P_IPV6;
  skb.dev = dev;
  skb.resetTransportHeader();
  return skb;
}

/** __ndisc_fill_addr_option(): type, length in 8-byte units, the address, zero padding. */
function ndisc_fill_addr_option(skb: SkBuff, type: number, data: Uint8Array): void {
  const space = ndisc_opt_addr_space(skb.dev as NetDevice);
  const o = skb.put(space);
  const b = skb.head;
  b[o] = type;
  b[o + 1] = space >> 3;
  b.set(data.subarray(0, 6), o + 2);
  for (let i = o + 8; i < o + space; i++) b[i] = 0;
}

/**
 * ndisc_send_skb(): the route (icmp6_dst_alloc), the ICMPv6 checksum, the
 * IPv6 header with hop limit 255, Ip6OutRequests, LOCAL_OUT, dst_output; on
 * success Icmp6OutMsgs and the type's counter.
 */
export function ndisc_send_skb(skb: SkBuff, daddr: Uint8Array, saddr: Uint8Array): void {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'ndisc_send_skb');
  const b = skb.head;
  const t = skb.transportHeader;
  const type = b[t] as number;
  if (!skb.dst6) {
    const fl6 = flowi6({
      daddr: daddr.slice(),
      saddr: saddr.slice(),
      flowi6_oif: dev.ifindex,
      flowi6_proto: NEXTHDR_ICMP,
      fl6_icmp_type: type,
    });
    skb.dst6 = icmp6_dst_alloc(dev, fl6);
  }
  b[t + 2] = 0;
  b[t + 3] = 0;
  const csum = csum_ipv6_magic(saddr, daddr, skb.len, NEXTHDR_ICMP, checksumAdd(0, b, t, t + skb.len));
  b[t + 2] = csum >> 8;
  b[t + 3] = csum & 0xff;
  // ip6_nd_hdr(): the traffic class of ndisc_tclass, no flow label
  const idev0 = __in6_dev_get(dev);
  const len = skb.len;
  skb.push(IPV6_HEADER_LEN);
  skb.resetNetworkHeader();
  ip6_flow_hdr(b, skb.networkHeader, idev0 ? idev0.cnf.ndisc_tclass : 0, 0);
  ip6_fill_hdr(skb, NEXTHDR_ICMP, 255, saddr, daddr, len);
  const rdev = skb.dst6.dev;
  net.mib.inc(MIB.Ip6OutRequests);
  const err = NF_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, net, ndisc_sk(net), skb, null, rdev, dst_output6);
  if (!err) {
    net.mib.icmp6MsgOut(type);
    net.mib.inc(MIB.Icmp6OutMsgs);
  }
}

/** ndisc_ns_create(): a neighbour solicitation with the source link-layer option (none from ::) and the DAD nonce. */
export function ndisc_ns_create(dev: NetDevice, solicit: Uint8Array, saddr: Uint8Array, nonce: Uint8Array | null): SkBuff {
  const incOpt = !ipv6_addr_any(saddr);
  let optlen = incOpt ? ndisc_opt_addr_space(dev) : 0;
  if (nonce) optlen += 8;
  const skb = ndisc_alloc_skb(dev, ND_MSG_LEN + optlen);
  const o = skb.put(ND_MSG_LEN);
  const b = skb.head;
  b.fill(0, o, o + ND_MSG_LEN);
  b[o] = NDISC_NEIGHBOUR_SOLICITATION;
  b.set(solicit.subarray(0, 16), o + 8);
  if (incOpt) ndisc_fill_addr_option(skb, ND_OPT_SOURCE_LL_ADDR, dev.devAddr);
  if (nonce) {
    const p = skb.put(8);
    b[p] = ND_OPT_NONCE;
    b[p + 1] = 1;
    b.set(nonce.subarray(0, 6), p + 2);
  }
  return skb;
}

/** ndisc_send_ns(): without a source, the device's link-local (none yet: nothing is sent). */
export function ndisc_send_ns(
  dev: NetDevice,
  solicit: Uint8Array,
  daddr: Uint8Array,
  saddr: Uint8Array | null,
  nonce: Uint8Array | null,
): void {
  let src = saddr;
  if (!src) {
    src = ipv6_get_lladdr(dev, IFA_F_TENTATIVE | IFA_F_OPTIMISTIC);
    if (!src) return;
  }
  const skb = ndisc_ns_create(dev, solicit, src, nonce);
  ndisc_send_skb(skb, daddr, src);
}

/**
 * ndisc_send_na(): an advertisement for solicited_addr (ours: it is the
 * source; else the source address selection's), with the target link-layer option when inc_opt.
 */
export function ndisc_send_na(
  dev: NetDevice,
  daddr: Uint8Array,
  solicitedAddr: Uint8Array,
  router: boolean,
  solicited: boolean,
  override: boolean,
  incOpt: boolean,
): void {
  const net = dev.net;
  let src: Uint8Array;
  let ovr = override;
  let inc = incOpt;
  const ifp = ipv6_get_ifaddr(net, solicitedAddr, dev, 1);
  if (ifp) {
    src = solicitedAddr;
    if (ifp.flags & IFA_F_OPTIMISTIC) ovr = false;
    inc = inc || ifp.idev.cnf.force_tllao !== 0;
  } else {
    const s = ipv6_dev_get_saddr(net, dev, daddr, 0);
    if (!s) return;
    src = s;
  }
  const optlen = inc ? ndisc_opt_addr_space(dev) : 0;
  const skb = ndisc_alloc_skb(dev, ND_MSG_LEN + optlen);
  const o = skb.put(ND_MSG_LEN);
  const b = skb.head;
  b.fill(0, o, o + ND_MSG_LEN);
  b[o] = NDISC_NEIGHBOUR_ADVERTISEMENT;
  b[o + 4] = (router ? 0x80 : 0) | (solicited ? 0x40 : 0) | (ovr ? 0x20 : 0);
  b.set(solicitedAddr.subarray(0, 16), o + 8);
  if (inc) ndisc_fill_addr_option(skb, ND_OPT_TARGET_LL_ADDR, dev.devAddr);
  ndisc_send_skb(skb, daddr, src);
}

/** ndisc_send_unsol_na(): an unsolicited advertisement to all nodes for each address past DAD (ndisc_notify, a new MAC). */
export function ndisc_send_unsol_na(dev: NetDevice): void {
  const idev = __in6_dev_get(dev);
  if (!idev) return;
  for (const ifa of [...idev.addr_list]) {
    if (ifa.flags & IFA_F_TENTATIVE && !(ifa.flags & IFA_F_OPTIMISTIC)) continue;
    ndisc_send_na(dev, in6addr_linklocal_allnodes(), ifa.addr, idev.cnf.forwarding !== 0, false, true, true);
  }
}

/** ndisc_send_rs(): a router solicitation, with the source link-layer option unless from :: (or an optimistic address). */
export function ndisc_send_rs(dev: NetDevice, saddr: Uint8Array, daddr: Uint8Array): void {
  let sllao = true;
  const ifp = ipv6_get_ifaddr(dev.net, saddr, dev, 1);
  if (!ifp || ifp.flags & IFA_F_OPTIMISTIC) sllao = false;
  const skb = ndisc_alloc_skb(dev, RS_MSG_LEN + (sllao ? ndisc_opt_addr_space(dev) : 0));
  const o = skb.put(RS_MSG_LEN);
  const b = skb.head;
  b.fill(0, o, o + RS_MSG_LEN);
  b[o] = NDISC_ROUTER_SOLICITATION;
  if (sllao) ndisc_fill_addr_option(skb, ND_OPT_SOURCE_LL_ADDR, dev.devAddr);
  ndisc_send_skb(skb, daddr, saddr);
}

// --- receiving ---

/** struct ndisc_options: the first option of each type (nd_opt_array), offsets into skb.head. */
export interface NdiscOptions {
  src_lladdr: number;
  tgt_lladdr: number;
  pi: number[];
  mtu: number;
  nonce: number;
  rh: number;
  route_info: number[];
}

/**
 * ndisc_parse_options(): options of b[o, o+len); null on a zero length or an
 * option that runs past the end (the caller drops with IPV6_NDISC_BAD_OPTIONS).
 */
export function ndisc_parse_options(b: Uint8Array, o: number, len: number): NdiscOptions | null {
  const opts: NdiscOptions = { src_lladdr: 0, tgt_lladdr: 0, pi: [], mtu: 0, nonce: 0, rh: 0, route_info: [] };
  let p = o;
  let left = len;
  while (left) {
    if (left < 2) return null;
    const l = (b[p + 1] as number) << 3;
    if (left < l || l === 0) return null;
    const type = b[p] as number;
    switch (type) {
      case ND_OPT_SOURCE_LL_ADDR:
        // a second one of these is silently ignored ("duplicated ND6 option found")
        if (!opts.src_lladdr) opts.src_lladdr = p;
        break;
      case ND_OPT_TARGET_LL_ADDR:
        if (!opts.tgt_lladdr) opts.tgt_lladdr = p;
        break;
      case ND_OPT_MTU:
        if (!opts.mtu) opts.mtu = p;
        break;
      case ND_OPT_NONCE:
        if (!opts.nonce) opts.nonce = p;
        break;
      case ND_OPT_REDIRECT_HDR:
        if (!opts.rh) opts.rh = p;
        break;
      case ND_OPT_PREFIX_INFO:
        opts.pi.push(p);
        break;
      case ND_OPT_ROUTE_INFO:
        opts.route_info.push(p);
        break;
      default:
        break;
    }
    left -= l;
    p += l;
  }
  return opts;
}

/** ndisc_opt_addr_data(): the Ethernet address of an option of 8 bytes (null when its length is not). */
function ndisc_opt_addr_data(b: Uint8Array, p: number): Uint8Array | null {
  if ((b[p + 1] as number) << 3 !== 8) return null;
  return b.slice(p + 2, p + 8);
}

/** ndisc_update() */
export function ndisc_update(n: Neighbour, lladdr: Uint8Array | null, state: number, flags: number): void {
  neigh_update(n, lladdr, state, flags, 0);
}

/** __neigh_lookup(&nd_tbl, …, creat) */
function nd_lookup(dev: NetDevice, addr: Uint8Array, creat: boolean): Neighbour | null {
  const tbl = dev.net.ipv6.ndTbl;
  return tbl.lookup6(dev, addr) ?? (creat ? tbl.create6(dev, addr) : null);
}

/** ndisc_recv_ns(): answers a solicitation for our address; a DAD probe for our tentative one fails our DAD. */
function ndisc_recv_ns(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  const b = skb.head;
  const t = skb.transportHeader;
  const nh = skb.networkHeader;
  const saddr = b.slice(nh + 8, nh + 24);
  const daddr = b.slice(nh + 24, nh + 40);
  const target = b.slice(t + 8, t + 24);
  const dad = ipv6_addr_any(saddr);
  let reason = SKB_DROP_REASON.NOT_SPECIFIED;
  if (skb.tail - t < ND_MSG_LEN) return SKB_DROP_REASON.PKT_TOO_SMALL;
  if (ipv6_addr_is_multicast(target)) return reason;
  if (dad && !ipv6_addr_is_solict_mult(daddr)) return reason;
  const opts = ndisc_parse_options(b, t + ND_MSG_LEN, skb.tail - (t + ND_MSG_LEN));
  if (!opts) return SKB_DROP_REASON.IPV6_NDISC_BAD_OPTIONS;
  let lladdr: Uint8Array | null = null;
  if (opts.src_lladdr) {
    lladdr = ndisc_opt_addr_data(b, opts.src_lladdr);
    if (!lladdr) return reason;
    if (dad) return reason;
  }
  let nonce: Uint8Array | null = null;
  if (opts.nonce && b[opts.nonce + 1] === 1) nonce = b.slice(opts.nonce + 2, opts.nonce + 8);
  const inc = ipv6_addr_is_multicast(daddr);
  const ifp = ipv6_get_ifaddr(net, target, dev, 1);
  let idev = ifp?.idev ?? null;
  if (ifp) {
    if (ifp.flags & (IFA_F_TENTATIVE | IFA_F_OPTIMISTIC)) {
      if (dad) {
        if (nonce && nonce.some((x) => x !== 0) && ifp.dad_nonce.every((x, i) => x === nonce[i])) {
          // "IPv6 DAD loopback for address … ignored": our own probe came back
          return reason;
        }
        addrconf_dad_failure(skb, ifp);
        return reason;
      }
      if (!(ifp.flags & IFA_F_OPTIMISTIC)) return reason;
    }
  } else {
    idev = __in6_dev_get(dev);
    if (!idev) return reason;
    if (!ipv6_chk_acast_addr(net, dev, target)) return SKB_DROP_REASON.IPV6_NDISC_NS_OTHERHOST;
  }
  const isRouter = (idev as NonNullable<typeof idev>).cnf.forwarding !== 0;
  if (dad) {
    ndisc_send_na(dev, in6addr_linklocal_allnodes(), target, isRouter, false, ifp !== null, true);
    return reason;
  }
  const neigh = nd_lookup(dev, saddr, !inc || lladdr !== null);
  if (neigh) {
    neigh.refs++;
    ndisc_update(neigh, lladdr, NUD_STALE, NEIGH_UPDATE_F_WEAK_OVERRIDE | NEIGH_UPDATE_F_OVERRIDE);
    ndisc_send_na(dev, saddr, target, isRouter, true, ifp !== null && inc, inc);
    neigh.refs--;
    reason = SKB_CONSUMED;
  }
  return reason;
}

/** ndisc_recv_na(): an advertisement updates the entry of its target; one for our tentative address fails our DAD. */
function ndisc_recv_na(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  const b = skb.head;
  const t = skb.transportHeader;
  const nh = skb.networkHeader;
  const daddr = b.slice(nh + 24, nh + 40);
  const target = b.slice(t + 8, t + 24);
  const flags = b[t + 4] as number;
  const isRouterFlag = (flags & 0x80) !== 0;
  const solicited = (flags & 0x40) !== 0;
  const override = (flags & 0x20) !== 0;
  const idev = __in6_dev_get(dev);
  let reason = SKB_DROP_REASON.NOT_SPECIFIED;
  if (skb.tail - t < ND_MSG_LEN) return SKB_DROP_REASON.PKT_TOO_SMALL;
  if (ipv6_addr_is_multicast(target)) return reason;
  if (ipv6_addr_is_multicast(daddr) && solicited) return reason;
  if (!solicited && idev?.cnf.drop_unsolicited_na) return reason;
  const opts = ndisc_parse_options(b, t + ND_MSG_LEN, skb.tail - (t + ND_MSG_LEN));
  if (!opts) return SKB_DROP_REASON.IPV6_NDISC_BAD_OPTIONS;
  let lladdr: Uint8Array | null = null;
  if (opts.tgt_lladdr) {
    lladdr = ndisc_opt_addr_data(b, opts.tgt_lladdr);
    if (!lladdr) return reason;
  }
  const ifp = ipv6_get_ifaddr(net, target, dev, 1);
  if (ifp) {
    if (skb.pktType !== PACKET_LOOPBACK && ifp.flags & IFA_F_TENTATIVE) {
      addrconf_dad_failure(skb, ifp);
      return reason;
    }
    return reason;
  }
  const neigh = net.ipv6.ndTbl.lookup6(dev, target);
  if (neigh) {
    if (neigh.nudState & NUD_FAILED) return reason;
    neigh.refs++;
    ndisc_update(
      neigh,
      lladdr,
      solicited ? NUD_REACHABLE : NUD_STALE,
      NEIGH_UPDATE_F_WEAK_OVERRIDE |
        (override ? NEIGH_UPDATE_F_OVERRIDE : 0) |
        NEIGH_UPDATE_F_OVERRIDE_ISROUTER |
        (isRouterFlag ? NEIGH_UPDATE_F_ISROUTER : 0),
    );
    neigh.refs--;
    void NTF_ROUTER;
    reason = SKB_CONSUMED;
  }
  return reason;
}

/** ndisc_recv_rs(): a host (not forwarding) ignores solicitations; a router learns the sender. */
function ndisc_recv_rs(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const idev = __in6_dev_get(dev);
  if (skb.len < RS_MSG_LEN) return SKB_DROP_REASON.PKT_TOO_SMALL;
  if (!idev) return SKB_DROP_REASON.NOT_SPECIFIED;
  // "Don't accept RS if we're not in router mode"
  if (!idev.cnf.forwarding) return SKB_DROP_REASON.NOT_SPECIFIED;
  return SKB_DROP_REASON.NOT_SPECIFIED;
}

/** ndisc_router_discovery(): a router advertisement (SLAAC and default routers are addrconf's). */
function ndisc_router_discovery(skb: SkBuff): number {
  void skb;
  return SKB_DROP_REASON.NOT_SPECIFIED;
}

/**
 * ndisc_rcv(): what icmpv6_rcv hands over for types 133–137. Does not take
 * ownership: returns the drop reason for icmpv6_rcv to free with
 * (SKB_CONSUMED, or 0, for a consume_skb).
 */
export function ndisc_rcv(skb: SkBuff): number {
  const r = ndisc_rcv_1(skb);
  // SKB_CONSUMED: icmpv6_rcv's consume_skb
  return r === SKB_CONSUMED ? 0 : r;
}

function ndisc_rcv_1(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  kprobe(dev.net, skb, 'ndisc_rcv');
  const b = skb.head;
  if ((skb.cb.ip6?.flags ?? 0) & 16 /* IP6SKB_FRAGMENTED */ && (__in6_dev_get(dev)?.cnf.suppress_frag_ndisc ?? 1)) {
    return SKB_DROP_REASON.IPV6_NDISC_FRAG;
  }
  // __skb_push(skb, skb->data - skb_transport_header(skb))
  if (skb.data > skb.transportHeader) skb.push(skb.data - skb.transportHeader);
  if (b[skb.networkHeader + IP6H_HOP_LIMIT] !== 255) return SKB_DROP_REASON.IPV6_NDISC_HOP_LIMIT;
  if (b[skb.transportHeader + 1] !== 0) return SKB_DROP_REASON.IPV6_NDISC_BAD_CODE;
  switch (b[skb.transportHeader]) {
    case NDISC_NEIGHBOUR_SOLICITATION:
      return ndisc_recv_ns(skb);
    case NDISC_NEIGHBOUR_ADVERTISEMENT:
      return ndisc_recv_na(skb);
    case NDISC_ROUTER_SOLICITATION:
      return ndisc_recv_rs(skb);
    case NDISC_ROUTER_ADVERTISEMENT:
      return ndisc_router_discovery(skb);
    case NDISC_REDIRECT:
      return SKB_DROP_REASON.NOT_SPECIFIED;
  }
  return SKB_DROP_REASON.NOT_SPECIFIED;
}

/** neigh_event_send for an nd_tbl entry (exported for icmp6's sockets that confirm neighbours). */
export const ndisc_neigh_event_send = __neigh_event_send;
