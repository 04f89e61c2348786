// net/ipv6/mcast.c: the multicast groups a device joined (idev.mc_list) and
// MLD: the reports a host sends when it joins (MLDv2 state-change reports on
// link up and when DAD completes, MLDv1 with force_mld_version=1), the
// queries it answers, and ipv6_chk_mcast_addr, which ip6_input and
// ip6_finish_output2 ask whether a packet to a group is for this host.
import type { NetDevice } from '../core/netdevice.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { ETH_P_IPV6 } from '../core/netdevice.ts';
import { NF_HOOK, NF_INET_LOCAL_OUT, NFPROTO_IPV6 } from '../netfilter/core.ts';
import { alloc_skb } from '../skbuff.ts';
import { checksumAdd } from '../../wire/checksum.ts';
import { IPV6_HEADER_LEN, NEXTHDR_HOP, NEXTHDR_ICMP } from '../../wire/ipv6.ts';
import { IFA_F_TENTATIVE, ipv6_get_lladdr } from './addrconf.ts';
import { in6addr_linklocal_allmldv2routers, jiffies_timer_at, work_timer } from './addrconf_core.ts';
import { csum_ipv6_magic } from './ip6_checksum.ts';
import { Sock6 } from './af_inet6.ts';
import { dst_output6, ip6_fill_hdr, ip6_flow_hdr } from './ip6_output.ts';
import { icmp6_dst_alloc } from './route.ts';
import { flowi6 } from './route_types.ts';

/** IPV6_TLV_ROUTERALERT / IPV6_TLV_PADN */
const IPV6_TLV_ROUTERALERT = 5;
const IPV6_TLV_PADN = 1;
import { __in6_dev_get, type Ifmcaddr6, type Inet6Dev } from './addrconf.ts';
import { IPV6_ADDR_MC_SCOPE, IPV6_ADDR_SCOPE_LINKLOCAL, ipv6_addr_is_ll_all_nodes } from './addrconf_core.ts';
import { in6Equal } from '../../wire/ipv6.ts';

/** MAF_* (include/net/if_inet6.h) */
export const MAF_TIMER_RUNNING = 0x01;
export const MAF_LAST_REPORTER = 0x02;
export const MAF_LOADED = 0x04;
export const MAF_NOREPORT = 0x08;
export const MAF_GSQUERY = 0x10;

/** MLD_QRV_DEFAULT / sysctl_mld_qrv */
export const MLD_QRV_DEFAULT = 2;

/** The group entry of dev for addr, if joined. */
function find(idev: Inet6Dev, addr: Uint8Array): Ifmcaddr6 | undefined {
  for (const mc of idev.mc_list) if (in6Equal(mc.mca_addr, addr)) return mc;
  return undefined;
}

/**
 * ipv6_dev_mc_inc() → __ipv6_dev_mc_inc(): joins addr on dev (a user more
 * when joined already); a new group goes first in mc_list and is reported
 * (igmp6_group_added). 0, or -ENODEV without an inet6_dev.
 */
export function ipv6_dev_mc_inc(dev: NetDevice, addr: Uint8Array): number {
  const idev = __in6_dev_get(dev);
  if (!idev) return -19;
  if (idev.dead) return -19;
  const old = find(idev, addr);
  if (old) {
    old.mca_users++;
    return 0;
  }
  const now = dev.net.kernel.now;
  const mc: Ifmcaddr6 = {
    mca_addr: addr.slice(),
    mca_users: 1,
    mca_flags: ipv6_addr_is_ll_all_nodes(addr) || IPV6_ADDR_MC_SCOPE(addr) < IPV6_ADDR_SCOPE_LINKLOCAL ? MAF_NOREPORT : 0,
    mca_crcount: 0,
    mca_cstamp: now,
    mca_tstamp: now,
    timer: null,
  };
  idev.mc_list.unshift(mc);
  igmp6_group_added(idev, mc);
  return 0;
}

/** ipv6_dev_mc_dec() → __ipv6_dev_mc_dec(): one user less; the last leaves the group. 0 or -ENOENT. */
export function ipv6_dev_mc_dec(dev: NetDevice, addr: Uint8Array): number {
  const idev = __in6_dev_get(dev);
  if (!idev) return -19;
  const i = idev.mc_list.findIndex((m) => in6Equal(m.mca_addr, addr));
  if (i < 0) return -2;
  const mc = idev.mc_list[i] as Ifmcaddr6;
  if (--mc.mca_users === 0) {
    idev.mc_list.splice(i, 1);
    igmp6_group_dropped(idev, mc);
  }
  return 0;
}

/** ipv6_chk_mcast_addr(): dev joined group (with src allowed by its source filter). */
export function ipv6_chk_mcast_addr(dev: NetDevice, group: Uint8Array, _src: Uint8Array | null): boolean {
  const idev = dev.ip6Ptr;
  if (!idev) return false;
  for (const mc of idev.mc_list) if (in6Equal(mc.mca_addr, group)) return true;
  return false;
}

/** igmp6_group_added(): a reportable group of an up device is reported (MLDv2 state change, or MLDv1 join). */
function igmp6_group_added(idev: Inet6Dev, mc: Ifmcaddr6): void {
  if (IPV6_ADDR_MC_SCOPE(mc.mca_addr) < IPV6_ADDR_SCOPE_LINKLOCAL) return;
  mc.mca_flags |= MAF_LOADED;
  if (!idev.dev.isUp || mc.mca_flags & MAF_NOREPORT) return;
  if (mld_in_v1_mode(idev)) {
    igmp6_join_group(idev, mc);
    return;
  }
  // MCAST_EXCLUDE (every kernel join): a filter-mode change record for qrv reports
  mc.mca_crcount = idev.mc_qrv;
  mld_ifc_event(idev);
}

/** igmp6_group_dropped(): the group leaves the device filter, and is reported left (igmp6_leave_group). */
function igmp6_group_dropped(idev: Inet6Dev, mc: Ifmcaddr6): void {
  if (IPV6_ADDR_MC_SCOPE(mc.mca_addr) < IPV6_ADDR_SCOPE_LINKLOCAL) return;
  mc.mca_flags &= ~MAF_LOADED;
  if (mc.mca_flags & MAF_NOREPORT) return;
  if (!idev.dead) igmp6_leave_group(idev, mc);
}

/** igmp6_leave_group(): MLDv1 done (when we reported last), or MLDv2: a tomb record and a state-change report. */
function igmp6_leave_group(idev: Inet6Dev, mc: Ifmcaddr6): void {
  if (mld_in_v1_mode(idev)) {
    if (mc.mca_flags & MAF_LAST_REPORTER) igmp6_send(idev, mc.mca_addr, ICMPV6_MGM_REDUCTION);
    return;
  }
  // mld_add_delrec(): the group's leave is reported qrv times (CHANGE_TO_INCLUDE)
  idev.mc_tomb.unshift({ ...mc, mca_crcount: idev.mc_qrv, timer: null });
  mld_ifc_event(idev);
}

/** igmp6_join_group(): MLDv1: an unsolicited report now (the delayed repeat is not modelled). */
function igmp6_join_group(idev: Inet6Dev, mc: Ifmcaddr6): void {
  if (mc.mca_flags & MAF_NOREPORT) return;
  igmp6_send(idev, mc.mca_addr, ICMPV6_MGM_REPORT);
}

/** ipv6_mc_init_dev(): the MLD state of a new inet6_dev. */
export function ipv6_mc_init_dev(idev: Inet6Dev): void {
  idev.mc_qrv = MLD_QRV_DEFAULT;
  idev.mc_maxdelay = unsolicited_report_interval(idev);
}

/** unsolicited_report_interval(): mldv1 or mldv2's interval in jiffies, as the device is in MLDv1 or v2 mode. */
export function unsolicited_report_interval(idev: Inet6Dev): number {
  const v1 = mld_in_v1_mode(idev);
  const iv = v1 ? idev.cnf.mldv1_unsolicited_report_interval : idev.cnf.mldv2_unsolicited_report_interval;
  return iv > 0 ? iv : 1;
}

/** mld_in_v1_mode(): force_mld_version 1 (all's or the device's), or a v1 querier seen. */
export function mld_in_v1_mode(idev: Inet6Dev): boolean {
  const all = idev.dev.net.ipv6.devconfAll.force_mld_version;
  const f = all || idev.cnf.force_mld_version;
  if (f === 2) return false;
  if (f === 1) return true;
  return idev.mc_v1_seen !== 0 && idev.mc_v1_seen > idev.dev.net.kernel.jiffies();
}

/** get_random_u32_below(delay) + 2 jiffies: when the MLD works run. */
function mld_delay(idev: Inet6Dev, delay: number): number {
  const k = idev.dev.net.kernel;
  const tv = k.sim.rng.u32() % Math.max(1, delay);
  return jiffies_timer_at(k, tv + 2);
}

/** mld_ifc_start_work() */
function mld_ifc_start_work(idev: Inet6Dev, delay: number): void {
  const sim = idev.dev.net.kernel.sim;
  if (!idev.mc_ifc_timer) idev.mc_ifc_timer = work_timer(mld_ifc_work, idev);
  sim.modTimer(idev.mc_ifc_timer, mld_delay(idev, delay));
}

/** mld_dad_start_work() */
function mld_dad_start_work(idev: Inet6Dev, delay: number): void {
  const sim = idev.dev.net.kernel.sim;
  if (!idev.mc_dad_timer) idev.mc_dad_timer = work_timer(mld_dad_work, idev);
  sim.modTimer(idev.mc_dad_timer, mld_delay(idev, delay));
}

/** mld_ifc_event(): MLDv2 state-change reports, qrv of them. */
function mld_ifc_event(idev: Inet6Dev): void {
  if (mld_in_v1_mode(idev)) return;
  idev.mc_ifc_count = idev.mc_qrv;
  mld_ifc_start_work(idev, 1);
}

/** mld_ifc_work(): one state-change report, and the next after a random part of the unsolicited interval. */
function mld_ifc_work(idev: Inet6Dev): void {
  if (idev.dead) return;
  mld_send_cr(idev);
  if (idev.mc_ifc_count) {
    idev.mc_ifc_count--;
    if (idev.mc_ifc_count) mld_ifc_start_work(idev, unsolicited_report_interval(idev));
  }
}

/** ipv6_mc_dad_complete(): DAD is done: the groups are reported again from the link-local address, qrv times. */
export function ipv6_mc_dad_complete(idev: Inet6Dev): void {
  idev.mc_dad_count = idev.mc_qrv;
  if (idev.mc_dad_count) {
    mld_send_initial_cr(idev);
    idev.mc_dad_count--;
    if (idev.mc_dad_count) mld_dad_start_work(idev, unsolicited_report_interval(idev));
  }
}

/** mld_dad_work() */
function mld_dad_work(idev: Inet6Dev): void {
  if (idev.dead) return;
  mld_send_initial_cr(idev);
  if (idev.mc_dad_count) {
    idev.mc_dad_count--;
    if (idev.mc_dad_count) mld_dad_start_work(idev, unsolicited_report_interval(idev));
  }
}

// MLDv2 record types (include/net/mld.h)
const MLD2_CHANGE_TO_INCLUDE = 3;
const MLD2_CHANGE_TO_EXCLUDE = 4;
const ICMPV6_MGM_REDUCTION = 132;
const ICMPV6_MLD2_REPORT = 143;
const ICMPV6_MGM_REPORT = 131;

/** mld_send_initial_cr(): a report with every reportable group (CHANGE_TO_EXCLUDE), not in MLDv1 mode. */
function mld_send_initial_cr(idev: Inet6Dev): void {
  if (mld_in_v1_mode(idev)) return;
  const recs: [Uint8Array, number][] = [];
  for (const mc of idev.mc_list) if (!(mc.mca_flags & MAF_NOREPORT)) recs.push([mc.mca_addr, MLD2_CHANGE_TO_EXCLUDE]);
  if (recs.length) mld_sendpack(idev, recs);
}

/** mld_send_cr(): the groups left (CHANGE_TO_INCLUDE) and joined (CHANGE_TO_EXCLUDE) with reports still to send (mca_crcount). */
function mld_send_cr(idev: Inet6Dev): void {
  const recs: [Uint8Array, number][] = [];
  for (const t of [...idev.mc_tomb]) {
    if (t.mca_crcount) {
      recs.push([t.mca_addr, MLD2_CHANGE_TO_INCLUDE]);
      t.mca_crcount--;
    }
    if (t.mca_crcount === 0) idev.mc_tomb.splice(idev.mc_tomb.indexOf(t), 1);
  }
  for (const mc of idev.mc_list) {
    if (mc.mca_flags & MAF_NOREPORT) continue;
    if (mc.mca_crcount) {
      recs.push([mc.mca_addr, MLD2_CHANGE_TO_EXCLUDE]);
      mc.mca_crcount--;
    }
  }
  if (recs.length) mld_sendpack(idev, recs);
}

/**
 * mld_newpack() + add_grec() + mld_sendpack(): an MLDv2 report to ff02::16
 * with the router alert hop-by-hop option and hop limit 1, from the
 * link-local address (:: while it is tentative).
 */
function mld_sendpack(idev: Inet6Dev, groups: [Uint8Array, number][]): void {
  const dev = idev.dev;
  const net = dev.net;
  const len = 8 + 8 + 20 * groups.length;
  const skb = alloc_skb(net.kernel, IPV6_HEADER_LEN + len, 32);
  skb.priority = 7; // TC_PRIO_CONTROL
  skb.protocol = ETH_P_IPV6;
  skb.dev = dev;
  const saddr = ipv6_get_lladdr(dev, IFA_F_TENTATIVE) ?? new Uint8Array(16);
  const daddr = in6addr_linklocal_allmldv2routers();
  const nh = skb.put(IPV6_HEADER_LEN);
  skb.networkHeader = nh;
  const b = skb.head;
  ip6_flow_hdr(b, nh, 0, 0);
  ip6_fill_hdr(skb, NEXTHDR_HOP, 1, saddr, daddr, len);
  const hop = skb.put(8);
  b.set([NEXTHDR_ICMP, 0, IPV6_TLV_ROUTERALERT, 2, 0, 0, IPV6_TLV_PADN, 0], hop);
  const t = skb.put(8 + 20 * groups.length);
  skb.transportHeader = t;
  b.fill(0, t, t + 8 + 20 * groups.length);
  b[t] = ICMPV6_MLD2_REPORT;
  b[t + 6] = groups.length >> 8;
  b[t + 7] = groups.length & 0xff;
  let r = t + 8;
  for (const [g, recType] of groups) {
    b[r] = recType;
    b.set(g.subarray(0, 16), r + 4);
    r += 20;
  }
  mld_xmit(idev, skb, saddr, daddr, ICMPV6_MLD2_REPORT);
}

/** igmp6_send(): an MLDv1 report (or done) for one group, to the group (done: ff02::2). */
function igmp6_send(idev: Inet6Dev, group: Uint8Array, type: number): void {
  const dev = idev.dev;
  const net = dev.net;
  const len = 8 + 24;
  const skb = alloc_skb(net.kernel, IPV6_HEADER_LEN + len, 32);
  skb.priority = 7;
  skb.protocol = ETH_P_IPV6;
  skb.dev = dev;
  const saddr = ipv6_get_lladdr(dev, IFA_F_TENTATIVE) ?? new Uint8Array(16);
  const daddr = group;
  const nh = skb.put(IPV6_HEADER_LEN);
  skb.networkHeader = nh;
  const b = skb.head;
  ip6_flow_hdr(b, nh, 0, 0);
  ip6_fill_hdr(skb, NEXTHDR_HOP, 1, saddr, daddr, len);
  const hop = skb.put(8);
  b.set([NEXTHDR_ICMP, 0, IPV6_TLV_ROUTERALERT, 2, 0, 0, IPV6_TLV_PADN, 0], hop);
  const t = skb.put(24);
  skb.transportHeader = t;
  b.fill(0, t, t + 24);
  b[t] = type;
  b.set(group.subarray(0, 16), t + 8);
  mld_xmit(idev, skb, saddr, daddr, type);
}

/** The tail of mld_sendpack/igmp6_send: checksum, Ip6OutRequests, icmp6_dst_alloc, LOCAL_OUT, dst_output, the counters. */
function mld_xmit(idev: Inet6Dev, skb: SkBuff, saddr: Uint8Array, daddr: Uint8Array, type: number): void {
  const dev = idev.dev;
  const net = dev.net;
  kprobe(net, skb, 'mld_sendpack');
  const b = skb.head;
  const t = skb.transportHeader;
  const mldlen = skb.tail - t;
  const csum = csum_ipv6_magic(saddr, daddr, mldlen, NEXTHDR_ICMP, checksumAdd(0, b, t, t + mldlen));
  b[t + 2] = csum >> 8;
  b[t + 3] = csum & 0xff;
  net.mib.inc(MIB.Ip6OutRequests);
  skb.dst6 = icmp6_dst_alloc(
    dev,
    flowi6({ daddr: daddr.slice(), saddr: saddr.slice(), flowi6_oif: dev.ifindex, flowi6_proto: NEXTHDR_ICMP, fl6_icmp_type: type }),
  );
  const err = NF_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, net, igmp_sk(net), skb, null, dev, dst_output6);
  if (!err) {
    net.mib.icmp6MsgOut(type);
    net.mib.inc(MIB.Icmp6OutMsgs);
  } else net.mib.inc(MIB.Ip6OutDiscards);
}

/** net->ipv6.igmp_sk (igmp6_net_init): hop limit 1, no multicast loopback. */
function igmp_sk(net: import('../net_namespace.ts').Net): import('../sock.ts').Sock {
  let sk = net.ipv6.igmp_sk;
  if (!sk) {
    const s6 = new Sock6(net, 3, NEXTHDR_ICMP);
    s6.hopLimit = 1;
    s6.mcLoop = false;
    net.ipv6.igmp_sk = sk = s6;
  }
  return sk;
}

/** ipv6_mc_up(): the device came up: every group is reported again. */
export function ipv6_mc_up(idev: Inet6Dev): void {
  idev.mc_qrv = MLD_QRV_DEFAULT;
  idev.mc_v1_seen = 0;
  idev.mc_maxdelay = unsolicited_report_interval(idev);
  for (const mc of idev.mc_list) igmp6_group_added(idev, mc);
}

/** ipv6_mc_down(): the device went down: the report works stop. */
export function ipv6_mc_down(idev: Inet6Dev): void {
  const sim = idev.dev.net.kernel.sim;
  for (const mc of idev.mc_list) {
    mc.mca_crcount = 0;
    mc.mca_flags &= ~MAF_LOADED;
  }
  idev.mc_tomb.length = 0;
  idev.mc_ifc_count = 0;
  if (idev.mc_ifc_timer) sim.delTimer(idev.mc_ifc_timer);
  idev.mc_dad_count = 0;
  if (idev.mc_dad_timer) sim.delTimer(idev.mc_dad_timer);
}

/** ipv6_mc_destroy_dev(): the device goes away: its groups with it. */
export function ipv6_mc_destroy_dev(idev: Inet6Dev): void {
  ipv6_mc_down(idev);
  idev.mc_list.length = 0;
}

/** igmp6_event_query(): an MLD query arrived (icmpv6_rcv hands it over). Takes ownership of skb; 0. */
export function igmp6_event_query(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  kprobe(dev.net, skb, 'igmp6_event_query');
  skb.release();
  return 0;
}

/** igmp6_event_report(): an MLD report arrived (icmpv6_rcv hands it over). Takes ownership of skb; 0. */
export function igmp6_event_report(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  kprobe(dev.net, skb, 'igmp6_event_report');
  skb.release();
  return 0;
}
