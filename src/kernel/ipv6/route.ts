// net/ipv6/route.c. v6route OWNS this file: v6core wrote the names and
// signatures the rest of IPv6 calls, each with a simple first implementation
// (no fib6 trees: on-link prefixes of the addresses, ip6_null_entry otherwise),
// for v6route to replace behind the same signatures.
import { IFF_LOOPBACK, type NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { EHOSTUNREACH, ENETUNREACH } from '../uapi/errno.ts';
import { __in6_dev_get, type Inet6Dev } from './addrconf.ts';
import {
  ipv6_addr_any,
  ipv6_addr_is_multicast,
  ipv6_addr_type,
  ipv6_prefix_equal,
  IPV6_ADDR_LINKLOCAL,
  IPV6_ADDR_MULTICAST,
} from './addrconf_core.ts';
import { fib6_net } from './ip6_fib.ts';
import { ip6_output } from './ip6_output.ts';
import { type Fib6Config, Fib6Info, type Flowi6, IP6_RT_PRIO_ADDRCONF, IP6CB, RTF_LOCAL, RTF_NONEXTHOP, Rt6Info } from './route_types.ts';
import { IPV6_MIN_MTU } from '../../wire/ipv6.ts';

/** IP6_MAX_MTU: 65535 + the header (include/net/ip6_route.h) */
const IP6_MAX_MTU = 0xffff + 40;

// --- the error entries (net->ipv6.ip6_null_entry & co.) ---

/** ip6_pkt_drop(): counts the drop (Ip6InNoRoutes / Ip6OutNoRoutes / Ip6InAddrErrors) and frees skb. */
function ip6_pkt_drop(skb: SkBuff, out: boolean): number {
  const rt = skb.dst6 as Rt6Info;
  const net = rt.dev.net;
  if (!out && ipv6_addr_any(skb.head.subarray(skb.networkHeader + 24, skb.networkHeader + 40))) {
    net.mib.inc(MIB.Ip6InAddrErrors);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_INADDRERRORS, 'ip6_pkt_drop');
    return 0;
  }
  net.mib.inc(out ? MIB.Ip6OutNoRoutes : MIB.Ip6InNoRoutes);
  // icmpv6_send(skb, ICMPV6_DEST_UNREACH, code, 0) is icmp6's: v6route wires it
  kfree_skb_reason(net, skb, out ? SKB_DROP_REASON.IP_OUTNOROUTES : SKB_DROP_REASON.IP_INNOROUTES, 'ip6_pkt_drop');
  return 0;
}

/** ip6_pkt_discard(): the input of ip6_null_entry. */
export function ip6_pkt_discard(skb: SkBuff): number {
  kprobe((skb.dev as NetDevice).net, skb, 'ip6_pkt_discard');
  return ip6_pkt_drop(skb, false);
}

/** ip6_pkt_discard_out(): the output of ip6_null_entry. */
export function ip6_pkt_discard_out(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'ip6_pkt_discard_out');
  skb.dev = (skb.dst6 as Rt6Info).dev;
  return ip6_pkt_drop(skb, true);
}

/** net->ipv6.ip6_null_entry: the route of "no route" (error -ENETUNREACH, on lo). */
export function ip6_null_entry(net: Net): Rt6Info {
  let rt = net.ipv6.ip6_null_entry;
  if (!rt) {
    rt = new Rt6Info(net.loopbackDev, ip6_pkt_discard, ip6_pkt_discard_out);
    rt.error = -ENETUNREACH;
    rt.type = 7; // RTN_UNREACHABLE
    rt.rt6i_flags = RTF_NONEXTHOP;
    rt.metrics.hoplimit = 255;
    rt.rt6i_idev = net.loopbackDev.ip6Ptr;
    net.ipv6.ip6_null_entry = rt;
  }
  return rt;
}

// --- metrics of a dst ---

/** ip6_dst_hoplimit(): the route's hop limit metric, else the device's hop_limit. */
export function ip6_dst_hoplimit(rt: Rt6Info): number {
  let h = rt.metrics.hoplimit;
  if (h === 0) {
    const idev = __in6_dev_get(rt.dev);
    h = idev ? idev.cnf.hop_limit : rt.dev.net.ipv6.devconfAll.hop_limit;
  }
  return h;
}

/** ip6_mtu() (ip6_dst_mtu_maybe_forward(dst, false)): the mtu metric, else the device's mtu6. */
export function ip6_mtu(rt: Rt6Info): number {
  let mtu = rt.metrics.mtu;
  if (!mtu || (rt.expires && rt.expires <= rt.dev.net.kernel.now)) {
    mtu = IPV6_MIN_MTU;
    const idev = __in6_dev_get(rt.dev);
    if (idev) mtu = Math.max(mtu, idev.cnf.mtu6);
  }
  return Math.min(mtu, IP6_MAX_MTU);
}

/**
 * ip6_link_failure(): the neighbour of skb's route failed: address
 * unreachable to the sender (icmpv6_send), and the route is marked. First
 * implementation: nothing (v6route wires icmpv6_send once icmp6 has it).
 */
export function ip6_link_failure(skb: SkBuff): void {
  void skb;
}

// --- lookups ---

/** The first up device with an address whose prefix holds daddr (the model's stand-in for a fib6 lookup). */
function onlink_dev(net: Net, daddr: Uint8Array, oif: number): NetDevice | null {
  for (const d of net.devices) {
    if (oif && d.ifindex !== oif) continue;
    if (!d.isUp || !d.ip6Ptr) continue;
    for (const ifp of d.ip6Ptr.addr_list) if (ipv6_prefix_equal(ifp.addr, daddr, ifp.prefix_len)) return d;
  }
  return null;
}

function rt_for(dev: NetDevice, local: boolean): Rt6Info {
  const net = dev.net;
  const rt = new Rt6Info(local ? net.loopbackDev : dev, ip6_pkt_discard, ip6_output);
  rt.rt6i_idev = (local ? net.loopbackDev : dev).ip6Ptr;
  if (local) {
    rt.rt6i_flags = RTF_LOCAL;
    rt.type = 2; // RTN_LOCAL
  }
  rt.table = local ? 255 : 254;
  return rt;
}

/** ipv6_chk_addr() without the flags: the device holding addr, if any. */
function local_dev(net: Net, addr: Uint8Array): NetDevice | null {
  for (const d of net.devices) {
    for (const ifp of d.ip6Ptr?.addr_list ?? []) {
      let eq = true;
      for (let i = 0; i < 16; i++) if (ifp.addr[i] !== addr[i]) eq = false;
      if (eq) return d;
    }
  }
  return null;
}

/**
 * ip6_route_input(): the route of a received packet (skb.dst6). First
 * implementation: ip6_null_entry for everything (v6route fills in fib6).
 */
export function ip6_route_input(skb: SkBuff): void {
  const dev = skb.dev as NetDevice;
  kprobe(dev.net, skb, 'ip6_route_input');
  IP6CB(skb);
  skb.dst6 = ip6_null_entry(dev.net);
}

/**
 * ip6_route_output() → ip6_route_output_flags(): never null; an error route
 * (ip6_null_entry, error -ENETUNREACH) when there is no route. First
 * implementation: local addresses via lo, link-local and multicast out of
 * flowi6_oif, on-link prefixes of the addresses.
 */
export function ip6_route_output(net: Net, _sk: Sock | null, fl6: Flowi6): Rt6Info {
  const t = ipv6_addr_type(fl6.daddr);
  const dev0 = local_dev(net, fl6.daddr);
  if (dev0) return rt_for(net.loopbackDev, true);
  if (t & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL) && fl6.flowi6_oif) {
    const d = net.devByIndex.get(fl6.flowi6_oif);
    if (d?.isUp) return rt_for(d, !!(d.flags & IFF_LOOPBACK));
  }
  const d = onlink_dev(net, fl6.daddr, fl6.flowi6_oif);
  if (d) return rt_for(d, false);
  return ip6_null_entry(net);
}

/**
 * ip6_dst_lookup_flow(): the route and the source for a socket's flow;
 * fills fl6.saddr when it is ::; a negative errno when the route is an error
 * route (-ENETUNREACH) or no source fits (-EADDRNOTAVAIL).
 */
export function ip6_dst_lookup_flow(net: Net, sk: Sock | null, fl6: Flowi6, _finalDst: Uint8Array | null): Rt6Info | number {
  const rt = ip6_route_output(net, sk, fl6);
  if (rt.error) return rt.error;
  if (ipv6_addr_any(fl6.saddr)) {
    const idev = rt.rt6i_idev;
    const src = idev ? pick_source(idev, fl6.daddr) : null;
    if (!src) return -EHOSTUNREACH;
    fl6.saddr = src;
  }
  return rt;
}

/** A first ipv6_dev_get_saddr(): an address of the device, link-local for link-local destinations. */
function pick_source(idev: Inet6Dev, daddr: Uint8Array): Uint8Array | null {
  const ll = (ipv6_addr_type(daddr) & IPV6_ADDR_LINKLOCAL) !== 0 || ipv6_addr_is_multicast(daddr);
  for (const ifp of idev.addr_list) if (((ipv6_addr_type(ifp.addr) & IPV6_ADDR_LINKLOCAL) !== 0) === ll) return ifp.addr;
  return idev.addr_list[0]?.addr ?? null;
}

/**
 * icmp6_dst_alloc(): the route ndisc and MLD send with: out of dev, the
 * destination as its gateway, no hop limit metric (ndisc sets 255 itself).
 */
export function icmp6_dst_alloc(dev: NetDevice, fl6: Flowi6): Rt6Info {
  const rt = new Rt6Info(dev, ip6_pkt_discard, ip6_output);
  rt.rt6i_gateway = fl6.daddr.slice();
  rt.rt6i_idev = dev.ip6Ptr;
  return rt;
}

// --- changes to the fib (addrconf, rtnetlink) ---

/** ip6_route_add(): a route from a fib6_config (rtnetlink, addrconf_prefix_route). 0 or -errno. */
export function ip6_route_add(cfg: Fib6Config, extack: { msg: string | null }): number {
  const net = cfg.fc_nlinfo.nl_net;
  const f6i = new Fib6Info();
  f6i.fib6_dst = { addr: cfg.fc_dst.slice(), plen: cfg.fc_dst_len };
  f6i.fib6_table = cfg.fc_table;
  f6i.fib6_metric = cfg.fc_metric;
  f6i.fib6_flags = cfg.fc_flags;
  f6i.fib6_protocol = cfg.fc_protocol;
  f6i.fib6_type = cfg.fc_type;
  f6i.fib6_nh.fib_nh_dev = net.devByIndex.get(cfg.fc_ifindex) ?? null;
  f6i.fib6_nh.fib_nh_gw6 = cfg.fc_gateway.slice();
  if (cfg.fc_expires) f6i.expires = net.kernel.now + cfg.fc_expires * 1e9;
  void extack;
  return ip6_ins_rt(net, f6i);
}

/** ip6_ins_rt() → __ip6_ins_rt(): inserts a fib6_info. 0 or -errno. */
export function ip6_ins_rt(net: Net, f6i: Fib6Info): number {
  const f = fib6_net(net);
  let l = f.tables.get(f6i.fib6_table);
  if (!l) f.tables.set(f6i.fib6_table, (l = []));
  l.push(f6i);
  f.sernum++;
  return 0;
}

/** ip6_del_rt(): removes a fib6_info. 0 or -ESRCH. */
export function ip6_del_rt(net: Net, f6i: Fib6Info): number {
  const f = fib6_net(net);
  const l = f.tables.get(f6i.fib6_table);
  const i = l ? l.indexOf(f6i) : -1;
  if (!l || i < 0) return -3;
  l.splice(i, 1);
  f6i.fib6_destroying = true;
  f.sernum++;
  return 0;
}

/**
 * addrconf_f6i_alloc(): the local (or anycast) route of an address, in the
 * local table: `local ADDR dev DEV proto kernel metric 0 pref medium`.
 */
export function addrconf_f6i_alloc(net: Net, idev: Inet6Dev, addr: Uint8Array, anycast: boolean): Fib6Info {
  const f6i = new Fib6Info();
  f6i.fib6_dst = { addr: addr.slice(), plen: 128 };
  f6i.fib6_table = 255;
  f6i.fib6_metric = 0;
  f6i.fib6_protocol = 2; // RTPROT_KERNEL
  f6i.fib6_flags = 0x0001 | 0x00200000 | (anycast ? 0x00100000 : RTF_LOCAL); // RTF_UP | RTF_NONEXTHOP | RTF_ANYCAST/LOCAL
  f6i.fib6_type = anycast ? 4 : 2; // RTN_ANYCAST : RTN_LOCAL
  f6i.fib6_nh.fib_nh_dev = net.loopbackDev === idev.dev ? net.loopbackDev : idev.dev;
  f6i.dst_host = true;
  f6i.dst_nocount = true;
  return f6i;
}

/** rt6_disable_ip() / rt6_sync_down_dev(): routes through dev go (NETDEV_DOWN, UNREGISTER). */
export function rt6_disable_ip(dev: NetDevice, _event: 'DOWN' | 'UNREGISTER'): void {
  const f = dev.net.ipv6.fib6;
  if (!f) return;
  for (const [id, l] of f.tables) {
    f.tables.set(
      id,
      l.filter((r) => r.fib6_nh.fib_nh_dev !== dev),
    );
  }
  f.sernum++;
}

/** rt6_sync_up(): routes through dev come back (NETDEV_UP, carrier on). */
export function rt6_sync_up(dev: NetDevice, _nhFlags: number): void {
  void dev;
}

/** rt6_mtu_change(): routes through dev learn its new MTU. */
export function rt6_mtu_change(dev: NetDevice, mtu: number): void {
  void dev;
  void mtu;
}

/** The default metric addrconf gives prefix and multicast routes. */
export const ADDRCONF_ROUTE_METRIC = IP6_RT_PRIO_ADDRCONF;
