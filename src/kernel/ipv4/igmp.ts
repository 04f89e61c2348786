// net/ipv4/igmp.c, the part a bridge makes visible: joining a group on a
// device sends IGMPv3 state-change reports (igmp_ifc_event → igmpv3_send_cr),
// robustness-variable times, the first after two jiffies, the rest after a
// random part of the unsolicited report interval.
import { dev_queue_xmit } from '../core/dev.ts';
import { eth_header } from '../core/eth.ts';
import { ETH_P_IP, type NetDevice } from '../core/netdevice.ts';
import type { Timer } from '../../sim/events.ts';
import { alloc_skb } from '../skbuff.ts';
import { MIB } from '../trace/snmp.ts';
import { csum_fold, csum_partial, ip_send_check, wr16, wr32 } from './iphdr.ts';
import {
  IGMPH_CSUM,
  IGMPH_TYPE,
  IGMPV3_CHANGE_TO_EXCLUDE,
  IGMPV3_GREC_LEN,
  IGMPV3_GREC_MCA,
  IGMPV3_GREC_TYPE,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_REPORT_GREC,
  IGMPV3_REPORT_NGREC,
} from '../../wire/igmp.ts';
import {
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TOT_LEN,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPPROTO_IGMP,
  IPV4_HEADER_LEN,
  IP_DF,
} from '../../wire/ipv4.ts';

const IGMP_ALL_HOSTS = 0xe0000001;
const IGMPV3_ALL_MCR = 0xe0000016;

export interface McState {
  groups: number[];
  /** groups whose change is still being reported (pmc->crcount) */
  crcount: Map<number, number>;
  ifcCount: number;
  timer: Timer | null;
}

function stateOf(dev: NetDevice): McState {
  return (dev.igmp ??= { groups: [], crcount: new Map(), ifcCount: 0, timer: null });
}

function qrv(dev: NetDevice): number {
  return Number(dev.net.sysctl.get('net.ipv4.igmp_qrv') ?? '2') || 2;
}

function ipv4_is_local_multicast(a: number): boolean {
  return (a & 0xffffff00) >>> 0 === 0xe0000000;
}

/** ip_mc_inc_group(): a device joins a group (the bridge joins 224.0.0.106, all-snoopers). */
export function ip_mc_inc_group(dev: NetDevice, group: number): void {
  const s = stateOf(dev);
  if (s.groups.includes(group)) return;
  s.groups.push(group);
  igmp_group_added(dev, group);
}

/** ip_mc_dec_group(): leaves quietly here (the leave report is not modelled). */
export function ip_mc_dec_group(dev: NetDevice, group: number): void {
  const s = stateOf(dev);
  const i = s.groups.indexOf(group);
  if (i >= 0) s.groups.splice(i, 1);
  s.crcount.delete(group);
}

/** igmp_group_added() */
function igmp_group_added(dev: NetDevice, group: number): void {
  if (group === IGMP_ALL_HOSTS) return;
  if (ipv4_is_local_multicast(group) && dev.net.sysctl.get('net.ipv4.igmp_link_local_mcast_reports') === '0') return;
  const s = stateOf(dev);
  s.crcount.set(group, qrv(dev));
  igmp_ifc_event(dev);
}

/** igmp_ifc_event() */
function igmp_ifc_event(dev: NetDevice): void {
  const s = stateOf(dev);
  s.ifcCount = qrv(dev);
  igmp_ifc_start_timer(dev, 1);
}

/** get_random_u32_below() (include/linux/random.h): multiply and shift, rejecting the biased few. */
function get_random_u32_below(rng: { u32(): number }, ceil: number): number {
  if (ceil <= 1) return 0;
  for (;;) {
    if (ceil <= 1 << 8) {
      const mult = ceil * (rng.u32() & 0xff);
      if ((ceil & (ceil - 1)) === 0 || (mult & 0xff) >= 256 % ceil) return mult >>> 8;
    } else if (ceil <= 1 << 16) {
      const mult = ceil * (rng.u32() & 0xffff);
      if ((ceil & (ceil - 1)) === 0 || (mult & 0xffff) >= 65536 % ceil) return mult >>> 16;
    } else {
      const mult = BigInt(ceil) * BigInt(rng.u32());
      if ((ceil & (ceil - 1)) === 0 || Number(mult & 0xffffffffn) >= 2 ** 32 % ceil) return Number(mult >> 32n);
    }
  }
}

/** igmp_ifc_start_timer(): jiffies + get_random_u32_below(delay) + 2. */
function igmp_ifc_start_timer(dev: NetDevice, delay: number): void {
  const s = stateOf(dev);
  const k = dev.net.kernel;
  const sim = k.sim;
  const tv = get_random_u32_below(sim.rng, delay);
  const tick = 1e9 / k.HZ;
  const t = s.timer ?? (s.timer = sim.timer(igmp_ifc_timer_expire, dev));
  sim.modTimer(t, (Math.floor(k.now / tick) + tv + 2) * tick);
}

/** igmp_ifc_timer_expire() */
function igmp_ifc_timer_expire(dev: NetDevice): void {
  const s = stateOf(dev);
  igmpv3_send_cr(dev);
  if (s.ifcCount) {
    s.ifcCount--;
    if (s.ifcCount) {
      const ms = Number(dev.net.sysctl.get(`net.ipv4.conf.${dev.name}.igmpv3_unsolicited_report_interval`) ?? '1000');
      igmp_ifc_start_timer(dev, Math.ceil((ms * dev.net.kernel.HZ) / 1000));
    }
  }
}

/** igmpv3_send_cr() → add_grec() → igmpv3_sendpack(): one report with a CHANGE_TO_EXCLUDE record per changed group. */
function igmpv3_send_cr(dev: NetDevice): void {
  const s = stateOf(dev);
  const recs: number[] = [];
  for (const g of s.groups) {
    const c = s.crcount.get(g) ?? 0;
    if (!c) continue;
    recs.push(g);
    s.crcount.set(g, c - 1);
  }
  if (!recs.length || !(dev.flags & 1)) return;
  const net = dev.net;
  const igmpLen = IGMPV3_REPORT_GREC + IGMPV3_GREC_LEN * recs.length;
  const totLen = IPV4_HEADER_LEN + 4 + igmpLen;
  const skb = alloc_skb(dev.net.kernel, totLen);
  const o = skb.put(totLen);
  const b = skb.head;
  skb.networkHeader = o;
  b[o + IPH_VERSION_IHL] = 0x46;
  b[o + IPH_TOS] = 0xc0;
  wr16(b, o + IPH_TOT_LEN, totLen);
  wr16(b, o + IPH_ID, 0); // DF without a socket: id 0
  wr16(b, o + IPH_FRAG_OFF, IP_DF);
  b[o + IPH_TTL] = 1;
  b[o + IPH_PROTOCOL] = IPPROTO_IGMP;
  wr32(b, o + IPH_SADDR, dev.ipPtr?.ifaList[0]?.local ?? 0);
  wr32(b, o + IPH_DADDR, IGMPV3_ALL_MCR);
  // Router Alert (IPOPT_RA, length 4)
  b[o + IPV4_HEADER_LEN] = 0x94;
  b[o + IPV4_HEADER_LEN + 1] = 4;
  ip_send_check(b, o);
  const t = o + IPV4_HEADER_LEN + 4;
  skb.transportHeader = t;
  b[t + IGMPH_TYPE] = IGMPV3_HOST_MEMBERSHIP_REPORT;
  wr16(b, t + IGMPV3_REPORT_NGREC, recs.length);
  recs.forEach((g, i) => {
    const grec = t + IGMPV3_REPORT_GREC + i * IGMPV3_GREC_LEN;
    b[grec + IGMPV3_GREC_TYPE] = IGMPV3_CHANGE_TO_EXCLUDE;
    wr32(b, grec + IGMPV3_GREC_MCA, g);
  });
  wr16(b, t + IGMPH_CSUM, csum_fold(csum_partial(b, t, igmpLen)));
  // __ip_local_out + ip_finish_output2 counters
  net.mib.inc(MIB.IpOutRequests);
  net.mib.inc(MIB.IpExtOutMcastPkts);
  net.mib.inc(MIB.IpOutTransmits);
  net.mib.inc(MIB.IpExtOutOctets, totLen);
  net.mib.inc(MIB.IpExtOutMcastOctets, totLen);
  skb.protocol = ETH_P_IP;
  skb.dev = dev;
  eth_header(skb, dev, ETH_P_IP, new Uint8Array([0x01, 0x00, 0x5e, 0x00, 0x00, 0x16]), null);
  dev_queue_xmit(skb);
}
