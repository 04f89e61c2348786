// ip/iplink_bridge.c and ip/iplink_bridge_slave.c: what `ip -d link` prints
// for a bridge (IFLA_INFO_DATA: IFLA_BR_*) and for a bridge port
// (IFLA_INFO_SLAVE_DATA: IFLA_BRPORT_*), as the kernel's br_fill_info() and
// br_port_fill_attrs() put them.
import type { IflaBrAttrs, IflaBridgeId, IflaBrportAttrs, LinkMsg } from '../../../kernel/uapi/rtnetlink.ts';

/** The port states by number (br_port_state_names[]). */
export const BR_STATE_NAMES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'] as const;

/** _print_timer(): "%4i.%.2i" of a clock_t value. */
function timer(attr: string, clock: number): string {
  const sec = Math.floor(clock / 100);
  const cs = clock - sec * 100;
  return `${attr} ${String(sec).padStart(4)}.${String(cs).padStart(2, '0')} `;
}

/** br_dump_bridge_id(): priority then ether_ntoa() of the address. */
export function bridgeId(id: IflaBridgeId | undefined): string {
  if (!id) return '';
  const p = id.prio;
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `${hex(p >> 8)}${hex(p & 0xff)}.${[...id.addr].map((b) => b.toString(16)).join(':')}`;
}

function onOff(v: number | undefined): string {
  return v ? 'on' : 'off';
}

function groupAddr(a: Uint8Array | undefined): string {
  return a ? [...a].map((b) => b.toString(16).padStart(2, '0')).join(':') : '';
}

/** bridge_print_opt() */
function bridgeInfo(d: IflaBrAttrs): string {
  const bool = d.IFLA_BR_MULTI_BOOLOPT;
  const opt = (bit: number): number => (bool && bool.optmask & (1 << bit) ? (bool.optval >> bit) & 1 : 0);
  let s = `forward_delay ${d.IFLA_BR_FORWARD_DELAY} hello_time ${d.IFLA_BR_HELLO_TIME} max_age ${d.IFLA_BR_MAX_AGE} ageing_time ${d.IFLA_BR_AGEING_TIME} `;
  s += `stp_state ${d.IFLA_BR_STP_STATE} priority ${d.IFLA_BR_PRIORITY} vlan_filtering ${d.IFLA_BR_VLAN_FILTERING} `;
  s += `bridge_id ${bridgeId(d.IFLA_BR_BRIDGE_ID)} designated_root ${bridgeId(d.IFLA_BR_ROOT_ID)} root_port ${d.IFLA_BR_ROOT_PORT} root_path_cost ${d.IFLA_BR_ROOT_PATH_COST} `;
  s += `topology_change ${d.IFLA_BR_TOPOLOGY_CHANGE} topology_change_detected ${d.IFLA_BR_TOPOLOGY_CHANGE_DETECTED} `;
  s += timer('hello_timer', d.IFLA_BR_HELLO_TIMER ?? 0) + timer('tcn_timer', d.IFLA_BR_TCN_TIMER ?? 0);
  s += timer('topology_change_timer', d.IFLA_BR_TOPOLOGY_CHANGE_TIMER ?? 0) + timer('gc_timer', d.IFLA_BR_GC_TIMER ?? 0);
  s += `group_fwd_mask ${d.IFLA_BR_GROUP_FWD_MASK} group_address ${groupAddr(d.IFLA_BR_GROUP_ADDR)} mcast_snooping ${d.IFLA_BR_MCAST_SNOOPING} `;
  s += `no_linklocal_learn ${opt(0)} mcast_vlan_snooping ${opt(1)} `;
  s += `mcast_router ${d.IFLA_BR_MCAST_ROUTER} mcast_query_use_ifaddr ${d.IFLA_BR_MCAST_QUERY_USE_IFADDR} mcast_querier ${d.IFLA_BR_MCAST_QUERIER} `;
  s += `mcast_hash_elasticity ${d.IFLA_BR_MCAST_HASH_ELASTICITY} mcast_hash_max ${d.IFLA_BR_MCAST_HASH_MAX} `;
  s += `mcast_last_member_count ${d.IFLA_BR_MCAST_LAST_MEMBER_CNT} mcast_startup_query_count ${d.IFLA_BR_MCAST_STARTUP_QUERY_CNT} `;
  s += `mcast_last_member_interval ${d.IFLA_BR_MCAST_LAST_MEMBER_INTVL} mcast_membership_interval ${d.IFLA_BR_MCAST_MEMBERSHIP_INTVL} `;
  s += `mcast_querier_interval ${d.IFLA_BR_MCAST_QUERIER_INTVL} mcast_query_interval ${d.IFLA_BR_MCAST_QUERY_INTVL} `;
  s += `mcast_query_response_interval ${d.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL} mcast_startup_query_interval ${d.IFLA_BR_MCAST_STARTUP_QUERY_INTVL} `;
  s += `mcast_stats_enabled ${d.IFLA_BR_MCAST_STATS_ENABLED} mcast_igmp_version ${d.IFLA_BR_MCAST_IGMP_VERSION} mcast_mld_version ${d.IFLA_BR_MCAST_MLD_VERSION} `;
  s += `nf_call_iptables ${d.IFLA_BR_NF_CALL_IPTABLES} nf_call_ip6tables ${d.IFLA_BR_NF_CALL_IP6TABLES} nf_call_arptables ${d.IFLA_BR_NF_CALL_ARPTABLES} `;
  return s;
}

/** bridge_slave_print_opt() */
function slaveInfo(p: IflaBrportAttrs, SL: string): string {
  const state = p.IFLA_BRPORT_STATE ?? 0;
  const portId = p.IFLA_BRPORT_ID ?? 0;
  let s = `${SL}    bridge_slave state ${BR_STATE_NAMES[state] ?? state} priority ${p.IFLA_BRPORT_PRIORITY} cost ${p.IFLA_BRPORT_COST} `;
  s += `hairpin ${onOff(p.IFLA_BRPORT_MODE)} guard ${onOff(p.IFLA_BRPORT_GUARD)} root_block ${onOff(p.IFLA_BRPORT_PROTECT)} `;
  s += `fastleave ${onOff(p.IFLA_BRPORT_FAST_LEAVE)} learning ${onOff(p.IFLA_BRPORT_LEARNING)} flood ${onOff(p.IFLA_BRPORT_UNICAST_FLOOD)} `;
  s += `port_id 0x${portId.toString(16)} port_no 0x${(p.IFLA_BRPORT_NO ?? 0).toString(16)} designated_port ${p.IFLA_BRPORT_DESIGNATED_PORT} designated_cost ${p.IFLA_BRPORT_DESIGNATED_COST} `;
  s += `designated_bridge ${bridgeId(p.IFLA_BRPORT_BRIDGE_ID)} designated_root ${bridgeId(p.IFLA_BRPORT_ROOT_ID)} `;
  s += timer('hold_timer', p.IFLA_BRPORT_HOLD_TIMER ?? 0) + timer('message_age_timer', p.IFLA_BRPORT_MESSAGE_AGE_TIMER ?? 0);
  s += timer('forward_delay_timer', p.IFLA_BRPORT_FORWARD_DELAY_TIMER ?? 0);
  s += `topology_change_ack ${p.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK} config_pending ${p.IFLA_BRPORT_CONFIG_PENDING} `;
  s += `proxy_arp ${onOff(p.IFLA_BRPORT_PROXYARP)} proxy_arp_wifi ${onOff(p.IFLA_BRPORT_PROXYARP_WIFI)} mcast_router ${p.IFLA_BRPORT_MULTICAST_ROUTER} `;
  s += `mcast_fast_leave ${onOff(p.IFLA_BRPORT_FAST_LEAVE)} mcast_flood ${onOff(p.IFLA_BRPORT_MCAST_FLOOD)} bcast_flood ${onOff(p.IFLA_BRPORT_BCAST_FLOOD)} `;
  s += `mcast_to_unicast ${onOff(p.IFLA_BRPORT_MCAST_TO_UCAST)} neigh_suppress ${onOff(p.IFLA_BRPORT_NEIGH_SUPPRESS)} `;
  const mask = p.IFLA_BRPORT_GROUP_FWD_MASK ?? 0;
  s += `group_fwd_mask ${mask} group_fwd_mask_str 0x${mask.toString(16)} vlan_tunnel ${onOff(p.IFLA_BRPORT_VLAN_TUNNEL)} isolated ${onOff(p.IFLA_BRPORT_ISOLATED)} locked ${onOff(p.IFLA_BRPORT_LOCKED)} `;
  return s;
}

/** The `bridge …` part of `ip -d link` for a bridge, or the `bridge_slave …` line of a port. */
export function bridgeDetails(m: LinkMsg, SL: string): string {
  const li = m.attrs.IFLA_LINKINFO;
  if (li?.IFLA_INFO_KIND === 'bridge' && li.IFLA_INFO_DATA) return bridgeInfo(li.IFLA_INFO_DATA);
  if (li?.IFLA_INFO_SLAVE_KIND === 'bridge' && li.IFLA_INFO_SLAVE_DATA) return slaveInfo(li.IFLA_INFO_SLAVE_DATA, SL);
  return '';
}
