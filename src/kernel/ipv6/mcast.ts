// net/ipv6/mcast.c: the multicast groups a device joined (idev.mc_list) and
// MLD: the reports a host sends when it joins (MLDv2 state-change reports on
// link up and when DAD completes, MLDv1 with force_mld_version=1), the
// queries it answers, and ipv6_chk_mcast_addr, which ip6_input and
// ip6_finish_output2 ask whether a packet to a group is for this host.
import type { NetDevice } from '../core/netdevice.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
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

/** igmp6_group_added(): the device filter takes the group's MAC; a reportable group is reported when the device is up. */
function igmp6_group_added(idev: Inet6Dev, mc: Ifmcaddr6): void {
  if (mc.mca_flags & MAF_NOREPORT) return;
  if (!idev.dev.isUp) return;
  // MLD reports: the mcast report machinery (mld_ifc_event / igmp6_join_group) sends them
  mc.mca_crcount = idev.mc_qrv;
}

/** igmp6_group_dropped(): a done/leave report for a reportable group. */
function igmp6_group_dropped(idev: Inet6Dev, mc: Ifmcaddr6): void {
  void idev;
  void mc;
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

/** ipv6_mc_up(): the device came up: every group is (re)reported. */
export function ipv6_mc_up(idev: Inet6Dev): void {
  for (const mc of [...idev.mc_list].reverse()) igmp6_group_added(idev, mc);
}

/** ipv6_mc_down(): the device went down: report timers stop. */
export function ipv6_mc_down(idev: Inet6Dev): void {
  for (const mc of idev.mc_list) mc.mca_crcount = 0;
  idev.mc_ifc_count = 0;
  idev.mc_dad_count = 0;
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
