// ip/iplink_bridge.c and ip/iplink_bridge_slave.c: what `ip -d link` prints
// for a bridge (IFLA_INFO_DATA) and for a bridge port (IFLA_INFO_SLAVE_DATA),
// from br_fill_info() and br_port_fill_attrs().
import { BR_STATE_NAMES, br_port_get, netdev_priv_br, type NetBridge } from '../../../kernel/bridge/br_private.ts';
import {
  BR_BCAST_FLOOD,
  BR_BPDU_GUARD,
  BR_FLOOD,
  BR_HAIRPIN_MODE,
  BR_ISOLATED,
  BR_LEARNING,
  BR_MCAST_FLOOD,
  BR_MULTICAST_FAST_LEAVE,
  BR_MULTICAST_TO_UNICAST,
  BR_NEIGH_SUPPRESS,
  BR_PROXYARP,
  BR_PROXYARP_WIFI,
  BR_ROOT_BLOCK,
  BR_VLAN_TUNNEL,
} from '../../../kernel/bridge/br_private.ts';
import type { NetDevice } from '../../../kernel/core/netdevice.ts';

/** jiffies → clock_t (USER_HZ 100) */
function clockT(dev: NetDevice, j: number): number {
  return Math.floor((j * 100) / dev.net.kernel.HZ);
}

/** _print_timer(): "%4i.%.2i" of a clock_t value. */
function timer(attr: string, clock: number): string {
  const sec = Math.floor(clock / 100);
  const cs = clock - sec * 100;
  return `${attr} ${String(sec).padStart(4)}.${String(cs).padStart(2, '0')} `;
}

/** br_timer_value(): what is left of a timer, in jiffies (0 when it is not pending). */
function left(dev: NetDevice, expires: number): number {
  if (expires < 0) return 0;
  const d = (expires - dev.net.kernel.jiffies()) | 0;
  return d > 0 ? d : 0;
}

/** The bridge id: priority then MAC, as print_bridge_id() prints it. */
function bridgeId(br: NetBridge): string {
  const p = br.priority;
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `${hex(p >> 8)}${hex(p & 0xff)}.${[...br.dev.devAddr].map((b) => b.toString(16)).join(':')}`;
}

function onOff(v: boolean): string {
  return v ? 'on' : 'off';
}

function gcLeft(br: NetBridge): number {
  const t = br.gcTimer;
  if (!t || t.index < 0) return 0;
  const k = br.dev.net.kernel;
  const ns = t.expires - k.now;
  return ns > 0 ? Math.ceil(ns / (1e9 / k.HZ)) : 0;
}

function bridgeInfo(br: NetBridge): string {
  const dev = br.dev;
  const c = (j: number): number => clockT(dev, j);
  const id = bridgeId(br);
  let s = `forward_delay ${c(br.forwardDelay)} hello_time ${c(br.helloTime)} max_age ${c(br.maxAge)} ageing_time ${c(br.ageingTime)} `;
  s += `stp_state ${br.stpEnabled} priority ${br.priority} vlan_filtering 0 `;
  s += `bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 `;
  s += timer('hello_timer', 0) + timer('tcn_timer', 0) + timer('topology_change_timer', 0) + timer('gc_timer', c(gcLeft(br)));
  s += `group_fwd_mask ${br.groupFwdMask} group_address 01:80:c2:00:00:00 mcast_snooping ${br.mcastSnooping ? 1 : 0} no_linklocal_learn 0 mcast_vlan_snooping 0 `;
  s += 'mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 ';
  s += 'mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 ';
  s += 'mcast_startup_query_interval 3124 mcast_stats_enabled 0 mcast_igmp_version 2 mcast_mld_version 1 ';
  s += `nf_call_iptables ${br.nfCallIptables ? 1 : 0} nf_call_ip6tables 0 nf_call_arptables 0 `;
  return s;
}

/** The `bridge …` part of `ip -d link` for a bridge, or the `bridge_slave …` line of a port. */
export function bridgeDetails(dev: NetDevice, SL: string): string {
  const br = netdev_priv_br(dev);
  if (br) return bridgeInfo(br);
  const p = br_port_get(dev);
  if (!p) return '';
  const f = p.flags;
  const id = bridgeId(p.br);
  const portId = ((p.priority << 10) | p.portNo) & 0xffff;
  let s = `${SL}    bridge_slave state ${BR_STATE_NAMES[p.state] ?? p.state} priority ${p.priority} cost ${p.pathCost} `;
  s += `hairpin ${onOff((f & BR_HAIRPIN_MODE) !== 0)} guard ${onOff((f & BR_BPDU_GUARD) !== 0)} root_block ${onOff((f & BR_ROOT_BLOCK) !== 0)} `;
  s += `fastleave ${onOff((f & BR_MULTICAST_FAST_LEAVE) !== 0)} learning ${onOff((f & BR_LEARNING) !== 0)} flood ${onOff((f & BR_FLOOD) !== 0)} `;
  s += `port_id 0x${portId.toString(16)} port_no 0x${p.portNo.toString(16)} designated_port ${portId} designated_cost 0 `;
  s += `designated_bridge ${id} designated_root ${id} `;
  s += timer('hold_timer', 0) + timer('message_age_timer', 0) + timer('forward_delay_timer', clockT(dev, left(dev, p.forwardDelayTimer)));
  s += 'topology_change_ack 0 config_pending 0 ';
  s += `proxy_arp ${onOff((f & BR_PROXYARP) !== 0)} proxy_arp_wifi ${onOff((f & BR_PROXYARP_WIFI) !== 0)} mcast_router 1 `;
  s += `mcast_fast_leave ${onOff((f & BR_MULTICAST_FAST_LEAVE) !== 0)} mcast_flood ${onOff((f & BR_MCAST_FLOOD) !== 0)} bcast_flood ${onOff((f & BR_BCAST_FLOOD) !== 0)} `;
  s += `mcast_to_unicast ${onOff((f & BR_MULTICAST_TO_UNICAST) !== 0)} neigh_suppress ${onOff((f & BR_NEIGH_SUPPRESS) !== 0)} `;
  s += `group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel ${onOff((f & BR_VLAN_TUNNEL) !== 0)} isolated ${onOff((f & BR_ISOLATED) !== 0)} locked off `;
  return s;
}
