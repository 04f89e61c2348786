// net/ipv6/datagram.c: connect() of IPv6 datagram sockets
// (__ip6_datagram_connect, ip6_datagram_dst_update), the error queue
// (ipv6_icmp_error, ipv6_local_error, ipv6_recv_error), and the part of
// ip6_append_data every datagram sender shares: the size check against the
// path MTU that becomes a local EMSGSIZE error.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { SockExtendedErr } from '../sock.ts';
import { sock_queue_err_skb } from '../ipv4/sock_queue.ts';
import { EINVAL, EMSGSIZE } from '../uapi/errno.ts';
import { IPV6_PMTUDISC_DO, IPV6_PMTUDISC_OMIT, IPV6_PMTUDISC_PROBE } from '../uapi/in6.ts';
import { IP6H_DADDR, IP6H_SADDR, IPV6_HEADER_LEN, in6Read } from '../../wire/ipv6.ts';
import {
  __ipv6_addr_type,
  IPV6_ADDR_LINKLOCAL,
  IPV6_ADDR_LOOPBACK,
  IPV6_ADDR_MULTICAST,
  ipv6_addr_any,
  ipv6_addr_type,
} from './addrconf_core.ts';
import { flowi6, type Flowi6, IP6CB, type Rt6Info } from './route_types.ts';
import type { SockAddrIn6, Sock6 } from './af_inet6.ts';
import { icmpv6_deps as core } from './icmp6_core.ts';

/** TCP_ESTABLISHED / TCP_CLOSE as datagram sockets use them */
const TCP_ESTABLISHED = 1;
const TCP_CLOSE = 7;
/** IPV6_MAXPLEN */
const IPV6_MAXPLEN = 65535;

/** __ipv6_addr_needs_scope_id() (include/net/ipv6.h): link-local unicast, and interface- or link-local multicast. */
export function __ipv6_addr_needs_scope_id(type: number): boolean {
  return (
    (type & IPV6_ADDR_LINKLOCAL) !== 0 || ((type & IPV6_ADDR_MULTICAST) !== 0 && (type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_LINKLOCAL)) !== 0)
  );
}

/** ipv6_iface_scope_id(): the interface a link-local address is scoped to, else 0. */
export function ipv6_iface_scope_id(addr: Uint8Array, iface: number): number {
  return __ipv6_addr_needs_scope_id(__ipv6_addr_type(addr) & 0xffff) ? iface : 0;
}

/** ip6_datagram_flow_key_init(): the flow of a connected datagram socket. */
function ip6_datagram_flow_key_init(sk: Sock6): Flowi6 {
  let oif = sk.bindDev;
  if (!oif && ipv6_addr_type(sk.v6Daddr) & IPV6_ADDR_MULTICAST) oif = 0;
  if (!oif) oif = sk.stickyIfindex;
  return flowi6({
    flowi6_proto: sk.protocol,
    daddr: sk.v6Daddr.slice(),
    saddr: sk.v6Saddr.slice(),
    flowi6_oif: oif,
    flowi6_mark: sk.mark,
    fl6_dport: sk.dport,
    fl6_sport: sk.sport,
  });
}

/** ip6_datagram_dst_update(): the route of the new peer; fixes the source address when asked. */
export function ip6_datagram_dst_update(sk: Sock6, fixSkSaddr: boolean): number {
  const fl6 = ip6_datagram_flow_key_init(sk);
  const dst = core.ip6_dst_lookup_flow(sk.net, sk, fl6);
  if (typeof dst === 'number') return dst;
  if (fixSkSaddr) {
    if (ipv6_addr_any(sk.v6Saddr)) sk.v6Saddr = fl6.saddr.slice();
    if (ipv6_addr_any(sk.v6RcvSaddr)) sk.v6RcvSaddr = fl6.saddr.slice();
  }
  return 0;
}

/**
 * __ip6_datagram_connect(): :: means loopback, a link-local peer needs an
 * interface (the scope id or SO_BINDTODEVICE), then the route and source.
 */
export function __ip6_datagram_connect(sk: Sock6, usin: SockAddrIn6): number {
  let daddr = usin.addr;
  if (ipv6_addr_any(daddr)) {
    daddr = new Uint8Array(16);
    daddr[15] = 1;
  }
  const type = ipv6_addr_type(daddr);
  if (__ipv6_addr_needs_scope_id(type)) {
    if (usin.scopeId) {
      if (sk.bindDev && sk.bindDev !== usin.scopeId) return -EINVAL;
      sk.bindDev = usin.scopeId;
    }
    if (!sk.bindDev) return -EINVAL;
  }
  const old = { daddr: sk.v6Daddr, dport: sk.dport };
  sk.v6Daddr = daddr.slice();
  sk.dport = usin.port;
  const err = ip6_datagram_dst_update(sk, true);
  if (err) {
    sk.v6Daddr = old.daddr;
    sk.dport = old.dport;
    return err;
  }
  sk.state = TCP_ESTABLISHED;
  sk.connected = true;
  return 0;
}

/** __udp_disconnect() for IPv6 sockets: connect(AF_UNSPEC) forgets the peer (and an unlocked source). */
export function ip6_datagram_disconnect(sk: Sock6): number {
  sk.state = TCP_CLOSE;
  sk.connected = false;
  sk.v6Daddr = new Uint8Array(16);
  sk.dport = 0;
  if (!(sk.userlocks & 4)) {
    sk.v6Saddr = new Uint8Array(16);
    sk.v6RcvSaddr = new Uint8Array(16);
  }
  return 0;
}

/**
 * ipv6_icmp_error(): with IPV6_RECVERR a clone of the ICMPv6 message goes to
 * the error queue: the offender is its source, msg_name the quoted
 * destination, the data what follows `payload` (an offset in skb->head).
 */
export function ipv6_icmp_error(
  net: Net,
  sk: Sock6,
  skb: SkBuff,
  err: number,
  port: number,
  info: number,
  payload: number,
  type: number,
  code: number,
): void {
  if (!sk.recverr6) return;
  const b = skb.head;
  const outer = skb.networkHeader;
  const quoted = skb.transportHeader + 8;
  const c = skb.clone();
  const offender = in6Read(b, outer + IP6H_SADDR);
  const name = in6Read(b, quoted + IP6H_DADDR);
  const iif = IP6CB(skb).iif || skb.skbIif;
  sock_queue_err_skb(net, sk, c, {
    errno: err,
    origin: 'icmp6',
    type,
    code,
    info,
    offender: 0,
    payload: b.slice(payload, skb.tail),
    offender6: { addr: offender, scopeId: ipv6_iface_scope_id(offender, iif) },
    name6: { addr: name, port, scopeId: ipv6_iface_scope_id(name, iif) },
  } satisfies SockExtendedErr);
}

/** ipv6_local_error(): a locally generated error (EMSGSIZE with the MTU) on the error queue, with IPV6_RECVERR. */
export function ipv6_local_error(sk: Sock6, err: number, fl6: Flowi6, info: number): void {
  if (!sk.recverr6) return;
  sk.errQueue.push({
    skb: null as unknown as SkBuff,
    ee: {
      errno: err,
      origin: 'local',
      type: 0,
      code: 0,
      info,
      offender: 0,
      payload: new Uint8Array(0),
      name6: { addr: fl6.daddr.slice(), port: fl6.fl6_dport, scopeId: 0 },
    },
  });
  sk.wq.wakeUp();
}

/** ip6_sk_ignore_df(): below IPV6_PMTUDISC_DO (or OMIT) the socket may fragment. */
export function ip6_sk_ignore_df(sk: Sock6): boolean {
  return sk.pmtudisc6 < IPV6_PMTUDISC_DO || sk.pmtudisc6 === IPV6_PMTUDISC_OMIT;
}

/**
 * ip6_setup_cork() + the size checks of __ip6_append_data(): the MTU the
 * datagram is cut to (the device's with IPV6_PMTUDISC_PROBE, else the
 * route's path MTU, at most IPV6_MTU), and -EMSGSIZE with a local error
 * when it may not be fragmented and does not fit.
 */
export function ip6_append_data_check(sk: Sock6, fl6: Flowi6, rt: Rt6Info, length: number, exthdrlen = 0): number {
  let mtu = sk.pmtudisc6 >= IPV6_PMTUDISC_PROBE ? rt.dev.mtu : core.dst_mtu(rt);
  if (sk.fragSize && sk.fragSize < mtu) mtu = sk.fragSize;
  const headersize = IPV6_HEADER_LEN + exthdrlen;
  const maxnonfragsize = ip6_sk_ignore_df(sk) ? IPV6_HEADER_LEN + IPV6_MAXPLEN : mtu;
  if (length > maxnonfragsize - headersize || headersize > mtu) {
    ipv6_local_error(sk, EMSGSIZE, fl6, Math.max(mtu - headersize + IPV6_HEADER_LEN, 0));
    return -EMSGSIZE;
  }
  return 0;
}

/** ipv6_recv_error(): recvmsg(MSG_ERRQUEUE), the oldest queued error. */
export function ipv6_recv_error(sk: Sock6): SockExtendedErr | null {
  const e = sk.errQueue.shift();
  if (!e) return null;
  if (e.skb) e.skb.release();
  if (!sk.errQueue.length) sk.err = 0;
  return e.ee;
}

export { in6Read, IP6H_SADDR };
