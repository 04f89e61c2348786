// The kernel flowchart: Linux 6.18's IPv4 paths (../shared/PATHS.md §1–§9) and IPv6's lanes
// as boxes on a grid, drawn as a standalone SVG string (the same text the
// page shows and the "Export SVG" button saves). The functions and netfilter
// hooks one pass of one packet went through are lit, the others dimmed, the
// current step outlined, a drop marked with its reason and the rule behind it.
import type { UiEvent } from './engine.ts';

export interface FlowNode {
  id: string;
  label: string;
  col: number;
  row: number;
  /** 'fn' kernel function, 'hook' netfilter hook, 'virt' a step with no kprobe of its own. */
  type: 'fn' | 'hook' | 'virt';
  note?: string;
}

/** Grid cell size and box size, in SVG units. */
const CW = 168;
const CH = 52;
const BW = 150;
const BH = 34;
const TOP = 62;
const LEFT = 10;

const n = (id: string, col: number, row: number, type: FlowNode['type'] = 'fn', label = id, note?: string): FlowNode => ({
  id,
  label,
  col,
  row,
  type,
  ...(note ? { note } : {}),
});

/** Sections: where each part of the stack sits (drawn as labelled bands). */
export const SECTIONS: { label: string; col: number; row: number; cols: number; rows: number }[] = [
  { label: 'NIC driver · NAPI · GRO', col: 0, row: 0, cols: 7, rows: 1 },
  { label: 'driver / NAPI · device core', col: 0, row: 1, cols: 4, rows: 1 },
  { label: 'ARP', col: 4, row: 1, cols: 3, rows: 1 },
  { label: 'bridge', col: 0, row: 3, cols: 7, rows: 1 },
  { label: 'IPv4 receive · routing · forward', col: 0, row: 4, cols: 7, rows: 1 },
  { label: 'local delivery', col: 1, row: 5, cols: 3, rows: 5 },
  { label: 'local output · ICMP', col: 4, row: 5, cols: 2, rows: 4 },
  { label: 'IPv4 output', col: 6, row: 5, cols: 1, rows: 4 },
  { label: 'neighbour', col: 4, row: 9, cols: 3, rows: 1 },
  { label: 'tc · netdev ingress', col: 3, row: 2, cols: 2, rows: 1 },
  { label: 'stacked devices (rx_handler)', col: 0, row: 2, cols: 3, rows: 1 },
  { label: 'device transmit · tc egress · qdisc', col: 2, row: 10, cols: 5, rows: 4 },
  { label: 'IPv6 receive · routing · forward', col: 0, row: 14, cols: 7, rows: 1 },
  { label: 'IPv6 local delivery · extension headers', col: 0, row: 15, cols: 7, rows: 1 },
  { label: 'IPv6 output', col: 0, row: 16, cols: 7, rows: 1 },
];

export const NODES: FlowNode[] = [
  // a NIC: hard IRQ → NAPI poll in NET_RX softirq → driver → GRO → list receive
  n('e1000_intr', 0, 0, 'fn', 'e1000_intr', 'hard IRQ'),
  n('net_rx_action', 1, 0, 'fn', 'net_rx_action', 'NET_RX softirq'),
  n('nic_rx', 2, 0, 'virt', 'driver poll', 'e1000_clean_rx_irq'),
  n('gro_receive_skb', 3, 0, 'fn', 'gro_receive_skb', 'GRO'),
  n('netif_receive_skb_list_internal', 4, 0),
  n('e1000_clean_tx_irq', 6, 0, 'fn', 'e1000_clean_tx_irq', 'TX completion'),
  // driver / NAPI → __netif_receive_skb_core → taps
  n('__dev_forward_skb', 0, 1, 'fn', '__dev_forward_skb', 'veth peer'),
  n('tun_get_user', 5, 0, 'fn', 'tun_get_user', 'a tun/tap reader writes a frame'),
  n('__netif_rx', 1, 1, 'fn', '__netif_rx', 'backlog NAPI'),
  n('__netif_receive_skb_core', 2, 1),
  n('taps', 3, 1, 'virt', 'taps (ptype_all)', 'AF_PACKET'),
  n('arp_rcv', 4, 1),
  n('arp_process', 5, 1),
  n('arp_xmit_finish', 6, 1, 'fn', 'arp_xmit_finish', 'ARP OUT'),
  // bridge
  n('br_pass_frame_up', 0, 3),
  n('BR_HOOKS', 1, 3, 'hook', 'bridge nf hooks'),
  n('br_handle_frame', 2, 3),
  n('br_handle_frame_finish', 3, 3),
  n('__br_forward', 4, 3),
  n('br_flood', 5, 3),
  n('br_forward_finish', 6, 3),
  // IPv4 receive, routing decision, forward
  n('ip_rcv', 0, 4),
  n('PRE_ROUTING', 1, 4, 'hook'),
  n('ip_rcv_finish', 2, 4),
  n('ip_route_input_noref', 3, 4, 'fn', 'ip_route_input_noref', 'routing decision'),
  n('ip_forward', 4, 4),
  n('FORWARD', 5, 4, 'hook'),
  n('ip_forward_finish', 6, 4),
  // local delivery
  n('ip_error', 2, 5, 'fn', 'ip_error', 'no route / no forwarding'),
  n('ip_local_deliver', 3, 5),
  n('ip_defrag', 2, 6),
  n('LOCAL_IN', 3, 6, 'hook'),
  n('ip_local_deliver_finish', 3, 7),
  n('ip_protocol_deliver_rcu', 3, 8),
  n('raw_rcv', 2, 7),
  n('icmp_rcv', 2, 9),
  n('ping_rcv', 1, 9),
  n('udp_rcv', 3, 9),
  n('tcp_v4_rcv', 2, 8),
  // local output, ICMP errors, REJECT
  n('sock_tx', 4, 5, 'virt', 'socket send', 'ip_send_skb · __ip_queue_xmit'),
  n('__icmp_send', 4, 6, 'fn', '__icmp_send', 'ICMP error'),
  n('nf_send_unreach', 4, 7, 'fn', 'nf_send_unreach', 'REJECT'),
  n('nf_send_reset', 4, 8, 'fn', 'nf_send_reset', 'REJECT tcp-reset'),
  n('__ip_local_out', 5, 5),
  n('LOCAL_OUT', 5, 6, 'hook'),
  // IPv4 output
  n('ip_output', 6, 5),
  n('POST_ROUTING', 6, 6, 'hook'),
  n('ip_finish_output', 6, 7),
  n('ip_do_fragment', 5, 7),
  n('ip_finish_output2', 6, 8),
  n('neigh_resolve_output', 6, 9),
  n('__neigh_event_send', 5, 9, 'fn', '__neigh_event_send', 'ARP resolution'),
  n('neigh_hh_output', 4, 9, 'fn', 'neigh_hh_output', 'cached header'),
  // tc ingress (sch_handle_ingress) and the netdev family's ingress hook (nf_ingress), after the taps
  n('sch_handle_ingress', 3, 2, 'fn', 'sch_handle_ingress', 'tc ingress: filters · actions'),
  n('NF_INGRESS', 4, 2, 'hook', 'netdev ingress hook', 'nf_ingress'),
  // a stacked device's rx_handler on its lower device (macvlan: RX_HANDLER_ANOTHER to the macvlan)
  n('macvlan_handle_frame', 1, 2, 'fn', 'macvlan_handle_frame', 'rx_handler'),
  // a tagged skb taken by its VLAN device (another round on it)
  n('vlan_do_receive', 2, 2, 'fn', 'vlan_do_receive', '802.1Q tag → VLAN device'),
  // device transmit: tc egress, the qdisc, the driver
  n('br_dev_queue_push_xmit', 3, 10),
  n('__dev_queue_xmit', 4, 10),
  n('qdisc', 5, 10, 'virt', 'qdisc', 'enqueue · dequeue'),
  n('sch_direct_xmit', 6, 10, 'fn', 'sch_direct_xmit', 'qdisc → driver'),
  n('sch_handle_egress', 3, 11, 'fn', 'sch_handle_egress', 'tc egress: filters · actions'),
  n('dev_hard_start_xmit', 5, 11),
  n('loopback_xmit', 2, 12),
  n('br_dev_xmit', 3, 12),
  n('veth_xmit', 4, 12),
  n('nic_xmit', 5, 12, 'virt', 'NIC driver xmit', 'e1000_xmit_frame'),
  n('ifb_xmit', 6, 12, 'fn', 'ifb_xmit', 'ifb → ifb_ri_tasklet'),
  n('macvlan_start_xmit', 1, 12, 'fn', 'macvlan_start_xmit', 'macvlan → lower device'),
  // vxlan: the frame goes out again in UDP through the IPv4 output; UDP's encap_rcv takes it back off
  n('vxlan_xmit', 6, 11, 'fn', 'vxlan_xmit', 'VXLAN encap → UDP/IP'),
  n('vxlan_rcv', 1, 8, 'fn', 'vxlan_rcv', 'VXLAN decap → GRO cell'),
  n('vlan_dev_hard_start_xmit', 2, 13, 'fn', 'vlan_dev_hard_start_xmit', 'tag → real device'),
  n('tun_net_xmit', 3, 13, 'fn', 'tun_net_xmit', 'tun/tap → reader (tun_put_user)'),
  n('dummy_xmit', 4, 13, 'fn', 'dummy_xmit', 'dummy: counted, freed'),
  // IPv6 receive, routing decision, forward (net/ipv6/ip6_input.c, route.c, ip6_output.c)
  n('ipv6_rcv', 0, 14, 'fn', 'ipv6_rcv', 'ip6_rcv_core'),
  n('PRE_ROUTING6', 1, 14, 'hook', 'PRE_ROUTING'),
  n('ip6_rcv_finish', 2, 14),
  n('ip6_route_input', 3, 14, 'fn', 'ip6_route_input', 'fib6 lookup'),
  n('ip6_forward', 4, 14),
  n('FORWARD6', 5, 14, 'hook', 'FORWARD'),
  n('ip6_forward_finish', 6, 14),
  // IPv6 local delivery and the extension headers' handlers
  n('ip6_input', 0, 15),
  n('LOCAL_IN6', 1, 15, 'hook', 'LOCAL_IN'),
  n('ip6_protocol_deliver_rcu', 2, 15, 'fn', 'ip6_protocol_deliver_rcu', 'inet6_protos'),
  n('ipv6_exthdr', 3, 15, 'virt', 'extension headers', 'routing · dest opts'),
  n('ipv6_frag_rcv', 4, 15, 'fn', 'ipv6_frag_rcv', 'reassembly'),
  n('icmpv6_rcv', 5, 15),
  n('ip6_mc_input', 6, 15, 'fn', 'ip6_mc_input', 'multicast'),
  // IPv6 output
  n('__ip6_local_out', 0, 16, 'fn', '__ip6_local_out', 'ip6_xmit · icmp6_send'),
  n('LOCAL_OUT6', 1, 16, 'hook', 'LOCAL_OUT'),
  n('ip6_output', 2, 16),
  n('POST_ROUTING6', 3, 16, 'hook', 'POST_ROUTING'),
  n('ip6_finish_output', 4, 16),
  n('ip6_fragment', 5, 16),
  n('ip6_finish_output2', 6, 16, 'fn', 'ip6_finish_output2', '→ neighbour'),
];

export const NODE_BY_ID = new Map(NODES.map((x) => [x.id, x]));

/** The kernel's call graph between the boxes (the static arrows). */
export const EDGES: [string, string][] = [
  ['e1000_intr', 'net_rx_action'],
  ['net_rx_action', 'nic_rx'],
  ['nic_rx', 'gro_receive_skb'],
  ['gro_receive_skb', 'netif_receive_skb_list_internal'],
  ['netif_receive_skb_list_internal', '__netif_receive_skb_core'],
  ['__dev_forward_skb', '__netif_rx'],
  ['__netif_rx', '__netif_receive_skb_core'],
  ['__netif_receive_skb_core', 'taps'],
  ['__netif_receive_skb_core', 'br_handle_frame'],
  ['__netif_receive_skb_core', 'ip_rcv'],
  ['__netif_receive_skb_core', 'arp_rcv'],
  ['arp_rcv', 'arp_process'],
  ['br_handle_frame', 'br_handle_frame_finish'],
  ['br_handle_frame', 'BR_HOOKS'],
  ['br_handle_frame_finish', '__br_forward'],
  ['br_handle_frame_finish', 'br_flood'],
  ['br_handle_frame_finish', 'br_pass_frame_up'],
  ['br_pass_frame_up', '__netif_receive_skb_core'],
  ['__br_forward', 'br_forward_finish'],
  ['br_flood', 'br_forward_finish'],
  ['br_dev_queue_push_xmit', '__dev_queue_xmit'],
  ['ip_rcv', 'PRE_ROUTING'],
  ['PRE_ROUTING', 'ip_rcv_finish'],
  ['ip_rcv_finish', 'ip_route_input_noref'],
  ['ip_route_input_noref', 'ip_forward'],
  ['ip_route_input_noref', 'ip_local_deliver'],
  ['ip_route_input_noref', 'ip_error'],
  ['ip_forward', 'FORWARD'],
  ['FORWARD', 'ip_forward_finish'],
  ['ip_forward_finish', 'ip_output'],
  ['ip_local_deliver', 'ip_defrag'],
  ['ip_local_deliver', 'LOCAL_IN'],
  ['LOCAL_IN', 'ip_local_deliver_finish'],
  ['ip_local_deliver_finish', 'ip_protocol_deliver_rcu'],
  ['ip_protocol_deliver_rcu', 'raw_rcv'],
  ['ip_protocol_deliver_rcu', 'icmp_rcv'],
  ['ip_protocol_deliver_rcu', 'udp_rcv'],
  ['ip_protocol_deliver_rcu', 'tcp_v4_rcv'],
  ['icmp_rcv', 'ping_rcv'],
  ['sock_tx', '__ip_local_out'],
  ['__icmp_send', '__ip_local_out'],
  ['nf_send_unreach', '__ip_local_out'],
  ['nf_send_reset', '__ip_local_out'],
  ['__ip_local_out', 'LOCAL_OUT'],
  ['LOCAL_OUT', 'ip_output'],
  ['ip_output', 'POST_ROUTING'],
  ['POST_ROUTING', 'ip_finish_output'],
  ['ip_finish_output', 'ip_do_fragment'],
  ['ip_finish_output', 'ip_finish_output2'],
  ['ip_do_fragment', 'ip_finish_output2'],
  ['ip_finish_output2', 'neigh_resolve_output'],
  ['ip_finish_output2', 'neigh_hh_output'],
  ['neigh_resolve_output', '__neigh_event_send'],
  ['neigh_resolve_output', '__dev_queue_xmit'],
  ['neigh_hh_output', '__dev_queue_xmit'],
  ['__dev_queue_xmit', 'dev_hard_start_xmit'],
  ['dev_hard_start_xmit', 'veth_xmit'],
  ['dev_hard_start_xmit', 'loopback_xmit'],
  ['dev_hard_start_xmit', 'br_dev_xmit'],
  ['dev_hard_start_xmit', 'nic_xmit'],
  ['__netif_receive_skb_core', 'sch_handle_ingress'],
  ['sch_handle_ingress', 'NF_INGRESS'],
  ['__netif_receive_skb_core', 'NF_INGRESS'],
  ['__dev_queue_xmit', 'sch_handle_egress'],
  ['__dev_queue_xmit', 'qdisc'],
  ['qdisc', 'sch_direct_xmit'],
  ['sch_direct_xmit', 'dev_hard_start_xmit'],
  ['dev_hard_start_xmit', 'ifb_xmit'],
  ['__netif_receive_skb_core', 'macvlan_handle_frame'],
  ['macvlan_handle_frame', '__netif_receive_skb_core'],
  ['macvlan_handle_frame', '__netif_rx'],
  ['dev_hard_start_xmit', 'macvlan_start_xmit'],
  ['__netif_receive_skb_core', 'vlan_do_receive'],
  ['vlan_do_receive', '__netif_receive_skb_core'],
  ['dev_hard_start_xmit', 'vlan_dev_hard_start_xmit'],
  ['vlan_dev_hard_start_xmit', '__dev_queue_xmit'],
  ['dev_hard_start_xmit', 'tun_net_xmit'],
  ['dev_hard_start_xmit', 'dummy_xmit'],
  ['tun_get_user', '__netif_receive_skb_core'],
  ['macvlan_start_xmit', '__dev_queue_xmit'],
  ['macvlan_start_xmit', '__dev_forward_skb'],
  ['dev_hard_start_xmit', 'vxlan_xmit'],
  ['vxlan_xmit', '__ip_local_out'],
  ['udp_rcv', 'vxlan_rcv'],
  ['vxlan_rcv', 'gro_receive_skb'],
  ['__netif_receive_skb_core', 'ipv6_rcv'],
  ['ipv6_rcv', 'PRE_ROUTING6'],
  ['PRE_ROUTING6', 'ip6_rcv_finish'],
  ['ip6_rcv_finish', 'ip6_route_input'],
  ['ip6_route_input', 'ip6_forward'],
  ['ip6_route_input', 'ip6_input'],
  ['ip6_route_input', 'ip6_mc_input'],
  ['ip6_mc_input', 'ip6_input'],
  ['ip6_forward', 'FORWARD6'],
  ['FORWARD6', 'ip6_forward_finish'],
  ['ip6_forward_finish', 'ip6_output'],
  ['ip6_input', 'LOCAL_IN6'],
  ['LOCAL_IN6', 'ip6_protocol_deliver_rcu'],
  ['ip6_protocol_deliver_rcu', 'ipv6_exthdr'],
  ['ip6_protocol_deliver_rcu', 'ipv6_frag_rcv'],
  ['ip6_protocol_deliver_rcu', 'icmpv6_rcv'],
  ['__ip6_local_out', 'LOCAL_OUT6'],
  ['LOCAL_OUT6', 'ip6_output'],
  ['ip6_output', 'POST_ROUTING6'],
  ['POST_ROUTING6', 'ip6_finish_output'],
  ['ip6_finish_output', 'ip6_fragment'],
  ['ip6_finish_output', 'ip6_finish_output2'],
  ['ip6_fragment', 'ip6_finish_output2'],
  ['ip6_finish_output2', 'neigh_resolve_output'],
  ['ip6_finish_output2', 'neigh_hh_output'],
];

/**
 * Boxes a function calls and returns from (tc's and netfilter's device hooks):
 * the packet goes on from the caller, so the step after them starts at it.
 */
const SIDE: Record<string, string> = {
  sch_handle_ingress: '__netif_receive_skb_core',
  NF_INGRESS: '__netif_receive_skb_core',
  sch_handle_egress: '__dev_queue_xmit',
};

/** The qdisc layer's functions (net/sched/sch_*.c, net/core/dev.c's enqueue/dequeue): drawn in the qdisc box. */
const QDISC_FN =
  /^(dev_qdisc_enqueue|__dev_xmit_skb|dequeue_skb|dev_requeue_skb|qdisc_\w+|__qdisc_\w+|net_tx_action|(pfifo|bfifo|pfifo_fast|tbf|htb|netem|noqueue|prio|fq_codel|sfq)_(enqueue|dequeue|peek|drop|reset))$/;
/** tc's classifiers and actions (net/sched/cls_*.c, act_*.c): drawn in the box that ran them (tc ingress, tc egress, a classful qdisc). */
const TC_FN = /^(tcf_\w+|tc_run|u32_classify|cls_bpf_classify|mall_classify|basic_classify|fw_classify|htb_classify)$/;

/** The bridge family's hook each bridge function runs (br_input.c, br_forward.c). */
const BR_HOOK_AFTER: Record<string, string> = {
  br_handle_frame: 'NF_BR_PRE_ROUTING',
  br_pass_frame_up: 'NF_BR_LOCAL_IN',
  __br_forward: 'NF_BR_FORWARD',
  br_flood: 'NF_BR_FORWARD',
  br_forward_finish: 'NF_BR_POST_ROUTING',
  br_dev_xmit: 'NF_BR_LOCAL_OUT',
};

const HOOK_AFTER: [RegExp, string][] = [
  [/^(ip_rcv|ip_rcv_core|ip_list_rcv|ip_sublist_rcv)$/, 'PRE_ROUTING'],
  [/^(ip_local_deliver|ip_defrag)$/, 'LOCAL_IN'],
  [/^ip_forward$/, 'FORWARD'],
  [/^(__ip_local_out|ip_local_out)$/, 'LOCAL_OUT'],
  [/^ip_output$/, 'POST_ROUTING'],
  [/^(ipv6_rcv|ip6_rcv_core|ipv6_parse_hopopts)$/, 'PRE_ROUTING6'],
  [/^(ip6_input|ip6_mc_input)$/, 'LOCAL_IN6'],
  [/^ip6_forward$/, 'FORWARD6'],
  [/^(__ip6_local_out|ip6_local_out)$/, 'LOCAL_OUT6'],
  [/^ip6_output$/, 'POST_ROUTING6'],
];

/** An IPv6 function: the hooks it runs are the IPv6 family's boxes. */
const IPV6_FN = /^(ipv6_|ip6_|__ip6_|icmp6_|icmpv6_|ndisc_|mld_|igmp6_)/;
const V6_HOOK: Record<string, string> = {
  PRE_ROUTING: 'PRE_ROUTING6',
  LOCAL_IN: 'LOCAL_IN6',
  FORWARD: 'FORWARD6',
  LOCAL_OUT: 'LOCAL_OUT6',
  POST_ROUTING: 'POST_ROUTING6',
};

const HOOK_NAMES: Record<string, string> = {
  '0': 'PRE_ROUTING',
  '1': 'LOCAL_IN',
  '2': 'FORWARD',
  '3': 'LOCAL_OUT',
  '4': 'POST_ROUTING',
  PREROUTING: 'PRE_ROUTING',
  INPUT: 'LOCAL_IN',
  OUTPUT: 'LOCAL_OUT',
  POSTROUTING: 'POST_ROUTING',
  PRE_ROUTING: 'PRE_ROUTING',
  INGRESS: 'NF_INGRESS',
  LOCAL_IN: 'LOCAL_IN',
  LOCAL_OUT: 'LOCAL_OUT',
  POST_ROUTING: 'POST_ROUTING',
  FORWARD: 'FORWARD',
};

/** The netfilter hook an nf_hook_slow / nft_do_chain event ran in: its own field, the rule text, or the function before it. */
function hookOf(e: UiEvent, prevFn: string | undefined, prevBox: string | null = null): string | null {
  const h = hookOf4(e, prevFn, prevBox);
  if (h && prevFn && IPV6_FN.test(prevFn) && V6_HOOK[h]) return V6_HOOK[h] as string;
  return h;
}

function hookOf4(e: UiEvent, prevFn: string | undefined, prevBox: string | null): string | null {
  const own = e.nf?.hook ?? e.extra['hook'];
  if (own !== undefined && HOOK_NAMES[String(own)]) return HOOK_NAMES[String(own)] as string;
  const w = e.why ? /\((\w+) hook\)/.exec(e.why) : null;
  if (w && HOOK_NAMES[w[1] as string]) return HOOK_NAMES[w[1] as string] as string;
  // nf_ingress() runs right after the taps and tc ingress, in __netif_receive_skb_core
  if (prevBox === '__netif_receive_skb_core' || prevBox === 'sch_handle_ingress') return 'NF_INGRESS';
  if (prevFn && BR_HOOK_AFTER[prevFn]) return 'BR_HOOKS';
  if (prevFn) for (const [re, h] of HOOK_AFTER) if (re.test(prevFn)) return h;
  return null;
}

const STATIC = new Set(EDGES.map(([a, b]) => `${a}>${b}`));
/** The boxes tc's classifiers and actions run in. */
const TC_BOXES = new Set(['sch_handle_ingress', 'sch_handle_egress', 'qdisc']);

const isHookFn = (fn: string): boolean => fn === 'nf_hook_slow';
/** Functions that run inside a netfilter hook (conntrack, NAT, the rule evaluator, targets). */
const inHook = (fn: string): boolean =>
  /^(nf_|__nf_|nft_|ipt_|xt_|ipv4_conntrack|init_conntrack|masquerade_tg|redirect_tg|ip_route_me_harder)/.test(fn);

/** Functions drawn inside another function's box (its callees, or the socket layer's senders). */
export const ALIASES: Record<string, string> = {
  napi_schedule: 'e1000_intr',
  __napi_schedule: 'e1000_intr',
  __napi_poll: 'net_rx_action',
  e1000_clean: 'nic_rx',
  e1000_clean_rx_irq: 'nic_rx',
  e1000_copybreak: 'nic_rx',
  e1000_rx_checksum: 'nic_rx',
  e1000_receive_skb: 'nic_rx',
  eth_type_trans: 'nic_rx',
  napi_build_skb: 'nic_rx',
  napi_skb_free_stolen_head: 'gro_receive_skb',
  neigh_invalidate: '__neigh_event_send',
  snull_rx: 'nic_rx',
  napi_gro_receive: 'gro_receive_skb',
  dev_gro_receive: 'gro_receive_skb',
  inet_gro_receive: 'gro_receive_skb',
  tcp4_gro_receive: 'gro_receive_skb',
  tcp_gro_receive: 'gro_receive_skb',
  gro_normal_one: 'gro_receive_skb',
  gro_normal_list: 'gro_receive_skb',
  napi_gro_complete: 'gro_receive_skb',
  inet_gro_complete: 'gro_receive_skb',
  tcp4_gro_complete: 'gro_receive_skb',
  napi_complete_done: 'gro_receive_skb',
  __netif_receive_skb_list_core: 'netif_receive_skb_list_internal',
  e1000_unmap_and_free_tx_resource: 'e1000_clean_tx_irq',
  napi_consume_skb: 'e1000_clean_tx_irq',
  e1000_xmit_frame: 'nic_xmit',
  eth_skb_pad: 'nic_xmit',
  e1000_tso: 'nic_xmit',
  e1000_tx_csum: 'nic_xmit',
  e1000_tx_map: 'nic_xmit',
  netdev_sent_queue: 'nic_xmit',
  e1000_tx_queue: 'nic_xmit',
  snull_tx: 'nic_xmit',
  ifb_ri_tasklet: 'ifb_xmit',
  tun_put_user: 'tun_net_xmit',
  macvlan_queue_xmit: 'macvlan_start_xmit',
  macvlan_broadcast: 'macvlan_handle_frame',
  macvlan_broadcast_enqueue: 'macvlan_handle_frame',
  macvlan_process_broadcast: 'macvlan_handle_frame',
  macvlan_forward_source: 'macvlan_handle_frame',
  dev_forward_skb: '__dev_forward_skb',
  snull_hw_tx: 'nic_xmit',
  ip_list_rcv: 'ip_rcv',
  ip_sublist_rcv: 'ip_rcv',
  ip_route_use_hint: 'ip_route_input_noref',
  ip_list_rcv_finish: 'ip_rcv_finish',
  ip_sublist_rcv_finish: 'ip_route_input_noref',
  ip_rcv_core: 'ip_rcv',
  ip_rcv_finish_core: 'ip_rcv_finish',
  ip_local_out: '__ip_local_out',
  inet_frag_reasm_prepare: 'ip_defrag',
  ip_expire: 'ip_defrag',
  __udp4_lib_rcv: 'udp_rcv',
  udp_unicast_rcv_skb: 'udp_rcv',
  udp_queue_rcv_skb: 'udp_rcv',
  udp_queue_rcv_one_skb: 'udp_rcv',
  __udp_enqueue_schedule_skb: 'udp_rcv',
  vxlan_xmit_one: 'vxlan_xmit',
  udp_tunnel_dst_lookup: 'vxlan_xmit',
  vxlan_build_skb: 'vxlan_xmit',
  udp_tunnel_xmit_skb: 'vxlan_xmit',
  iptunnel_xmit: 'vxlan_xmit',
  vxlan_encap_bypass: 'vxlan_xmit',
  gro_cells_receive: 'vxlan_rcv',
  gro_cell_poll: 'gro_receive_skb',
  tcp_v4_do_rcv: 'tcp_v4_rcv',
  tcp_add_backlog: 'tcp_v4_rcv',
  tcp_rcv_state_process: 'tcp_v4_rcv',
  tcp_rcv_established: 'tcp_v4_rcv',
  tcp_data_queue: 'tcp_v4_rcv',
  tcp_conn_request: 'tcp_v4_rcv',
  tcp_check_req: 'tcp_v4_rcv',
  tcp_child_process: 'tcp_v4_rcv',
  tcp_timewait_state_process: 'tcp_v4_rcv',
  ip_push_pending_frames: 'sock_tx',
  ip_send_skb: 'sock_tx',
  ip_make_skb: 'sock_tx',
  udp_send_skb: 'sock_tx',
  icmp_push_reply: 'sock_tx',
  ip_build_and_send_pkt: 'sock_tx',
  ip_send_unicast_reply: 'sock_tx',
  ip_queue_xmit: 'sock_tx',
  __ip_queue_xmit: 'sock_tx',
  __tcp_transmit_skb: 'sock_tx',
  tcp_v4_send_synack: 'sock_tx',
  tcp_v4_send_reset: 'sock_tx',
  ip6_rcv_core: 'ipv6_rcv',
  ipv6_parse_hopopts: 'ipv6_rcv',
  ip6_input_finish: 'ip6_protocol_deliver_rcu',
  ip6_pkt_discard: 'ip6_route_input',
  ip6_pkt_prohibit: 'ip6_route_input',
  ipv6_rthdr_rcv: 'ipv6_exthdr',
  ipv6_destopt_rcv: 'ipv6_exthdr',
  ip6_frag_expire: 'ipv6_frag_rcv',
  ip6_local_out: '__ip6_local_out',
  ip6_xmit: '__ip6_local_out',
  icmp6_send: '__ip6_local_out',
  icmpv6_echo_reply: '__ip6_local_out',
  ip6_push_pending_frames: '__ip6_local_out',
  ip6_send_skb: '__ip6_local_out',
  ndisc_send_skb: '__ip6_local_out',
  ip6_pkt_discard_out: 'ip6_output',
  ip6_pkt_prohibit_out: 'ip6_output',
};

/** One stretch of a packet's life inside one namespace. */
export interface Pass {
  netns: string;
  /** Indexes into the lineage's event list. */
  from: number;
  to: number;
}

/** A packet's lineage cut where it changes namespace. */
export function passes(lineage: readonly UiEvent[]): Pass[] {
  const out: Pass[] = [];
  lineage.forEach((e, i) => {
    const last = out[out.length - 1];
    if (last && last.netns === e.netns) last.to = i;
    else out.push({ netns: e.netns, from: i, to: i });
  });
  return out;
}

/** What happened at a netfilter hook box: the rules met and their verdicts. */
export interface HookVisit {
  hook: string;
  /** The functions that ran in the hook (conntrack, NAT, nft_do_chain…). */
  fns: string[];
  lines: string[];
  /** The conntrack state the packet had in the hook. */
  ct?: string;
  /** The last nft rule met there, with its table, chain, handle and text (drawn under the box). */
  rule?: string;
  dropped: boolean;
}

export interface Walk {
  /** Box id per event of the pass (null when the function has no box: listed apart). */
  boxes: (string | null)[];
  lit: Set<string>;
  /** Consecutive box pairs the packet took. */
  steps: Set<string>;
  hooks: Map<string, HookVisit>;
  /** Functions without a box, in order. */
  others: string[];
  /** Functions drawn inside a box other than their own, per box. */
  via: Map<string, string[]>;
  /** The order in which the packet first reached each box (1-based). */
  order: Map<string, number>;
  drop: UiEvent | null;
  consumed: UiEvent | null;
}

/** Netfilter fields a PathEvent may carry (table, chain, rule, verdict, conntrack state). */
export function nfText(e: UiEvent): string | null {
  if (e.nf) {
    const r = e.nf;
    // an nft rule: its table, chain, handle and text as `nft -a list` prints it
    if (e.nft_rule !== undefined)
      return `${r.table} ${r.chain} handle ${r.rule}: ${e.nft_rule} → ${r.verdict}${e.ct ? ` (ct ${e.ct})` : ''}`;
    return `${r.table} ${r.chain} ${r.rule ? `rule ${r.rule} ${r.target}` : 'policy'} → ${r.verdict}${e.ct ? ` (ct ${e.ct})` : ''}`;
  }
  const x = e.extra;
  const parts: string[] = [];
  const table = x['table'];
  const chain = x['chain'];
  const rule = x['rule'] ?? x['rulenum'] ?? x['rule_num'];
  const verdict = x['verdict'];
  if (table !== undefined) parts.push(`${table}`);
  if (chain !== undefined) parts.push(`${chain}`);
  if (rule !== undefined) parts.push(typeof rule === 'number' ? `rule ${rule}` : `${rule}`);
  if (verdict !== undefined) parts.push(`→ ${verdict}`);
  const ct = x['ct'] ?? x['ctstate'] ?? x['ct_state'] ?? x['conntrack'];
  if (ct !== undefined) parts.push(`ct ${ct}`);
  return parts.length ? parts.join(' ') : null;
}

/**
 * Follows one pass of a packet through the boxes. `tapped` says whether a
 * device had a packet tap (AF_PACKET, ptype_all) open: the run captures on
 * every interface that was up when the traffic began.
 */
export function walk(events: readonly UiEvent[], tapped: (netns: string, dev: string) => boolean = () => false): Walk {
  const boxes: (string | null)[] = [];
  const lit = new Set<string>();
  const steps = new Set<string>();
  const hooks = new Map<string, HookVisit>();
  const others: string[] = [];
  let drop: UiEvent | null = null;
  let consumed: UiEvent | null = null;
  let prevFn: string | undefined;
  let prevBox: string | null = null;
  let lastHook: string | null = null;
  const via = new Map<string, string[]>();
  const order = new Map<string, number>();
  for (const e of events) {
    let box: string | null;
    /** A drop drawn on the box of the layer that decided it (the qdisc, tc), not its function's. */
    let moved = false;
    if (e.kind === 'drop' && e.func === 'nft_do_chain' && lastHook)
      // the verdict of the chain that ran last (a REJECT sent its error from inside the hook first)
      box = lastHook;
    else if (isHookFn(e.func) || (inHook(e.func) && !(lastHook && prevBox === lastHook))) {
      // a hook starts (nf_hook_slow), or hook work shows up without one
      const h: string | null = hookOf(e, prevFn, prevBox);
      box = h;
      lastHook = h;
    } else if (inHook(e.func)) box = lastHook;
    else {
      // ` (inl)` marks an inlined function, `.constprop.0` and the like a compiler's clone of one
      const base = e.func.replace(/ \(inl\)$/, '').replace(/\.(constprop|isra|part|cold)\.\d+$/, '');
      moved = e.kind === 'drop' && e.reason !== undefined && /^(QDISC|TC)_/.test(e.reason);
      if (moved && /^QDISC_/.test(e.reason as string)) box = 'qdisc';
      else if (moved)
        box =
          prevBox && TC_BOXES.has(prevBox)
            ? prevBox
            : e.reason === 'TC_INGRESS'
              ? 'sch_handle_ingress'
              : e.reason === 'TC_EGRESS'
                ? 'sch_handle_egress'
                : null;
      else if (QDISC_FN.test(base)) box = 'qdisc';
      else if (TC_FN.test(base)) box = prevBox && TC_BOXES.has(prevBox) ? prevBox : null;
      else box = NODE_BY_ID.has(base) ? base : (ALIASES[base] ?? null);
    }
    if (box && NODE_BY_ID.get(box)?.type === 'hook') {
      const v = hooks.get(box) ?? { hook: box, fns: [], lines: [], dropped: false };
      if (e.func !== 'nf_hook_slow' && !v.fns.includes(e.func)) v.fns.push(e.func);
      const br = box === 'BR_HOOKS' && e.func === 'nf_hook_slow' && prevFn ? BR_HOOK_AFTER[prevFn] : undefined;
      if (br && !v.lines.includes(br)) v.lines.push(br);
      const t = nfText(e);
      if (t && !v.lines.includes(t)) v.lines.push(t);
      if (t && e.nft_rule !== undefined) v.rule = t;
      if (e.ct && !v.ct) v.ct = e.ct;
      if (e.kind === 'drop') {
        v.dropped = true;
        if (e.why && !v.lines.includes(e.why)) v.lines.push(e.why);
      }
      hooks.set(box, v);
    } else if (box && box !== e.func && !moved) {
      const l = via.get(box) ?? [];
      if (!l.includes(e.func)) l.push(e.func);
      via.set(box, l);
    }
    if (e.func === '__netif_receive_skb_core' && e.kind === 'fn' && tapped(e.netns, e.dev)) lit.add('taps');
    if (box) {
      if (!order.has(box)) order.set(box, order.size + 1);
      lit.add(box);
      if (prevBox && prevBox !== box) {
        // back from a device hook into its caller: the step starts at the caller
        const from: string = SIDE[prevBox] && !STATIC.has(`${prevBox}>${box}`) ? (SIDE[prevBox] as string) : prevBox;
        if (from !== box) steps.add(`${from}>${box}`);
      }
      prevBox = box;
    } else if (!others.includes(e.func)) others.push(e.func);
    if (e.kind === 'drop') drop = e;
    if (e.kind === 'consume') consumed = e;
    boxes.push(box);
    if (e.kind === 'fn' && !inHook(e.func) && !isHookFn(e.func)) prevFn = e.func;
  }
  for (const v of hooks.values()) if (v.ct && !v.lines.some((l) => l.includes(`ct ${v.ct}`))) v.lines.unshift(`ct ${v.ct}`);
  return { boxes, lit, steps, hooks, others, via, order, drop, consumed };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const cx = (x: FlowNode): number => LEFT + x.col * CW + BW / 2;
const cy = (x: FlowNode): number => TOP + x.row * CH + BH / 2;

/** Where the segment from a's centre towards b leaves a's box. */
function clip(a: FlowNode, b: FlowNode, pad = 0): [number, number] {
  const dx = cx(b) - cx(a);
  const dy = cy(b) - cy(a);
  const t = Math.min(dx ? (BW / 2 + pad) / Math.abs(dx) : Infinity, dy ? (BH / 2 + pad) / Math.abs(dy) : Infinity);
  return [cx(a) + dx * t, cy(a) + dy * t];
}

const STYLE = `
.bg{fill:#ffffff}
.sec{fill:#f4f6fa;stroke:#dde3ee}
.sect{font:600 11px sans-serif;fill:#6b778c}
.box rect{fill:#f7f7f7;stroke:#c9ced6;stroke-width:1}
.box text{font:12px monospace;fill:#a3a9b3}
.box .note{font:10px sans-serif;fill:#b5bac2}
.box.hook rect{fill:#fbf7ee;stroke:#e0d2b0;stroke-dasharray:4 2}
.box.virt rect{stroke-dasharray:2 2}
.box.lit rect{fill:#e3f1ff;stroke:#2f6fd0;stroke-width:1.6}
.box.lit text{fill:#10233f}
.box.lit .note{fill:#40618f}
.box.hook.lit rect{fill:#fff1cc;stroke:#c48a00;stroke-dasharray:none}
.box.cur rect{stroke:#e8590c;stroke-width:3.5}
.box.drop rect{fill:#ffe3e3;stroke:#c92a2a;stroke-width:3}
.ord circle{fill:#2f6fd0}
.ord text{font:bold 9px sans-serif;fill:#fff}
.edge{stroke:#d5d9e0;stroke-width:1;fill:none}
.edge.lit{stroke:#2f6fd0;stroke-width:2.4}
.edge.extra{stroke:#2f6fd0;stroke-width:1.6;stroke-dasharray:5 3}
.hv{font:11px sans-serif;fill:#7a5200}
.hv.d{fill:#c92a2a;font-weight:600}
.dropt{font:600 12px sans-serif;fill:#c92a2a}
.title{font:600 14px sans-serif;fill:#1b2b44}
.sub{font:12px sans-serif;fill:#4b5b75}
.oth{font:11px monospace;fill:#10233f}
`;

export interface FlowInput {
  /** The events of the pass drawn (one packet in one namespace). */
  events: readonly UiEvent[];
  /** Whether a device had a packet tap open (a capture). */
  tapped?: (netns: string, dev: string) => boolean;
  /** Index into events of the current step, or -1. */
  current: number;
  title: string;
  subtitle: string;
}

export const FLOW_WIDTH = LEFT * 2 + 7 * CW - (CW - BW);
const ROWS = 16;
/** Characters per line of the notes under the chart. */
const WRAP = 170;

/** The flowchart as a standalone SVG document. */
export function flowSvg(inp: FlowInput): string {
  const w = walk(inp.events, inp.tapped);
  const curBox = inp.current >= 0 ? (w.boxes[inp.current] ?? null) : null;
  const dropBox = w.drop ? (w.boxes[inp.events.indexOf(w.drop)] ?? null) : null;
  const bottom = TOP + ROWS * CH;
  const extraLines: string[] = [];
  if (w.others.length) extraLines.push(`also entered: ${w.others.join(' → ')}`);
  for (const hv of w.hooks.values())
    extraLines.push(
      `${hv.hook}: ${hv.fns.length ? `${hv.fns.join(' → ')}; ` : ''}${hv.lines.length ? hv.lines.join('; ') : hv.dropped ? 'dropped' : 'passed'}`,
    );
  if (w.drop) extraLines.push(`✕ dropped at ${w.drop.func}: ${w.drop.reason ?? ''}${w.drop.why ? ` — ${w.drop.why}` : ''}`);
  else if (w.consumed) extraLines.push(`✓ consumed at ${w.consumed.func}`);
  // wrap the notes under the chart to its width
  const wrapped: string[] = [];
  for (const l of extraLines) {
    let rest = l;
    let first = true;
    while (rest.length > WRAP) {
      let cut = rest.lastIndexOf(' ', WRAP);
      if (cut < WRAP / 2) cut = WRAP;
      wrapped.push((first ? '' : '    ') + rest.slice(0, cut));
      rest = rest.slice(cut).trimStart();
      first = false;
    }
    wrapped.push((first ? '' : '    ') + rest);
  }
  extraLines.length = 0;
  extraLines.push(...wrapped);
  const height = bottom + 8 + extraLines.length * 18 + 6;
  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 ${FLOW_WIDTH} ${height}" width="${FLOW_WIDTH}" height="${height}" font-family="sans-serif">`,
  );
  o.push(`<style>${STYLE}</style>`);
  o.push(
    `<defs><marker id="ar" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#b8bfcb"/></marker><marker id="arl" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#2f6fd0"/></marker></defs>`,
  );
  o.push(`<rect class="bg" x="0" y="0" width="${FLOW_WIDTH}" height="${height}"/>`);
  o.push(`<text class="title" x="${LEFT}" y="18">${esc(inp.title)}</text>`);
  // legend
  const lx = FLOW_WIDTH - 430;
  o.push(
    `<g class="box lit"><rect x="${lx}" y="6" width="60" height="16" rx="3"/></g><text class="sub" x="${lx + 66}" y="18">entered</text>`,
  );
  o.push(
    `<g class="box"><rect x="${lx + 120}" y="6" width="60" height="16" rx="3"/></g><text class="sub" x="${lx + 186}" y="18">not entered</text>`,
  );
  o.push(
    `<g class="box hook lit"><rect x="${lx + 260}" y="6" width="60" height="16" rx="8"/></g><text class="sub" x="${lx + 326}" y="18">netfilter hook</text>`,
  );
  o.push(
    `<g class="box lit cur"><rect x="${lx + 260}" y="27" width="60" height="16" rx="3"/></g><text class="sub" x="${lx + 326}" y="39">current step</text>`,
  );
  o.push(`<text class="sub" x="${LEFT}" y="35">${esc(inp.subtitle)}</text>`);
  for (const s of SECTIONS) {
    const x = LEFT + s.col * CW - 5;
    const y = TOP + s.row * CH - 12;
    o.push(`<rect class="sec" x="${x}" y="${y}" width="${s.cols * CW - (CW - BW) + 10}" height="${s.rows * CH - (CH - BH) + 15}" rx="6"/>`);
    o.push(`<text class="sect" x="${x + 6}" y="${y + 10}">${esc(s.label)}</text>`);
  }
  const drawn = new Set<string>();
  const edge = (a: FlowNode, b: FlowNode, cls: string): void => {
    const [x1, y1] = clip(a, b);
    const [x2, y2] = clip(b, a, 2);
    const lit = cls !== '';
    o.push(
      `<line class="edge ${cls}" x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" marker-end="url(#${lit ? 'arl' : 'ar'})"/>`,
    );
  };
  for (const [a, b] of EDGES) {
    const A = NODE_BY_ID.get(a) as FlowNode;
    const B = NODE_BY_ID.get(b) as FlowNode;
    const lit = w.steps.has(`${a}>${b}`);
    drawn.add(`${a}>${b}`);
    edge(A, B, lit ? 'lit' : '');
  }
  // steps the packet took that the static chart has no arrow for (a retry, a re-entry)
  for (const s of w.steps) {
    if (drawn.has(s)) continue;
    const [a, b] = s.split('>') as [string, string];
    edge(NODE_BY_ID.get(a) as FlowNode, NODE_BY_ID.get(b) as FlowNode, 'extra');
  }
  for (const x of NODES) {
    const cls = ['box', x.type];
    if (w.lit.has(x.id)) cls.push('lit');
    if (x.id === curBox) cls.push('cur');
    if (x.id === dropBox) cls.push('drop');
    const X = LEFT + x.col * CW;
    const Y = TOP + x.row * CH;
    o.push(
      `<g class="${cls.join(' ')}" data-fn="${esc(x.id)}"><rect x="${X}" y="${Y}" width="${BW}" height="${BH}" rx="${x.type === 'hook' ? 12 : 4}"/>`,
    );
    const size = x.label.length > 19 ? Math.max(9, Math.floor((12 * 19) / x.label.length)) : 12;
    const ty = x.note || w.via.has(x.id) ? Y + 15 : Y + 21;
    o.push(
      `<text x="${X + BW / 2}" y="${ty}" text-anchor="middle"${size !== 12 ? ` style="font-size:${size}px"` : ''}>${esc(x.label)}</text>`,
    );
    const via = w.via.get(x.id);
    const note = via ? via.join(' · ') : x.note;
    if (note)
      o.push(
        `<text class="note" x="${X + BW / 2}" y="${Y + 28}" text-anchor="middle">${esc(note.length > 30 ? `${note.slice(0, 29)}…` : note)}</text>`,
      );
    const k = w.order.get(x.id);
    if (k !== undefined && x.id !== 'taps')
      o.push(
        `<g class="ord"><circle cx="${X + BW - 1}" cy="${Y + 1}" r="7"/><text x="${X + BW - 1}" y="${Y + 4}" text-anchor="middle">${k}</text></g>`,
      );
    o.push('</g>');
    const hv = w.hooks.get(x.id);
    if (hv) {
      const l = hv.rule ?? hv.lines[hv.lines.length - 1];
      const right = x.col >= 5;
      if (l)
        o.push(
          `<text class="hv${hv.dropped ? ' d' : ''}" x="${right ? X + BW : X + 2}" y="${Y + BH + 11}"${right ? ' text-anchor="end"' : ''}>${esc(l.length > 44 ? `${l.slice(0, 43)}…` : l)}</text>`,
        );
    }
    if (x.id === dropBox && w.drop)
      o.push(`<text class="dropt" x="${X + BW - 12}" y="${Y - 2}" text-anchor="end">✕ ${esc(w.drop.reason ?? 'drop')}</text>`);
  }
  extraLines.forEach((l, i) => {
    const cls =
      l.startsWith('✕') ||
      (i > 0 &&
        l.startsWith('    ') &&
        extraLines
          .slice(0, i)
          .reverse()
          .find((x) => !x.startsWith('    '))
          ?.startsWith('✕'))
        ? 'dropt'
        : 'oth';
    o.push(`<text class="${cls}" x="${LEFT}" y="${bottom + 16 + i * 18}">${esc(l)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n');
}
