// Boot: the protocol handlers every namespace shares (inet_init, arp_init)
// and setup_net() for a new namespace with its loopback device.
import { ipv6_packet_type } from './ipv6/ip6_input.ts';
import { ipv6_exthdrs_init } from './ipv6/exthdrs.ts';
import { ipv6_frag_init } from './ipv6/reassembly.ts';
import { icmpv6_protocol } from './ipv6/icmp.ts';
import { udpv6_protocol } from './ipv6/udp.ts';
import { inet6_add_protocol } from './ipv6/protocol.ts';
import { addrconf_init_net, addrconf_notify } from './ipv6/addrconf.ts';
import { ndiscOps } from './ipv6/ndisc.ts';
import { register_netdevice, rtnl_link_register } from './core/rtnetlink.ts';
import { veth_link_ops } from './drivers/veth.ts';
import { br_link_ops } from './bridge/br_netlink.ts';
import { ifb_link_ops } from './drivers/ifb.ts';
import { tc_modules_init } from './sched/tc_modules.ts';
import { loopback_setup } from './drivers/loopback.ts';
import { arp_packet_type, arpOps } from './ipv4/arp.ts';
import { icmp_rcv } from './ipv4/icmp.ts';
import { ip_packet_type } from './ipv4/ip_input.ts';
import { udp_err, udp_rcv, udp_v4_early_demux } from './ipv4/udp.ts';
import { tcp_v4_early_demux, tcp_v4_err, tcp_v4_rcv } from './ipv4/tcp_ipv4.ts';
import { Kernel } from './kernel.ts';
import { br_device_event } from './bridge/br_device.ts';
import { masq_device_event } from './netfilter/nf_nat.ts';
import { nf_tables_netdev_event } from './netfilter/nft_chain_filter.ts';
import { Net } from './net_namespace.ts';
import { nf_conntrack_standalone_init_sysctl } from './netfilter/nf_conntrack.ts';
import { rps_sock_flow_sysctl_init } from './core/rps.ts';
import { sch_default_qdisc_sysctl_init } from './sched/sch_api.ts';
import type { Sim } from '../sim/sim.ts';

export function boot(sim: Sim): Kernel {
  const k = new Kernel(sim);
  k.dev_add_pack(ip_packet_type);
  k.dev_add_pack(arp_packet_type);
  k.dev_add_pack(ipv6_packet_type);
  // inet6_init(): the extension headers' handlers (ipv6_exthdrs_init, ipv6_frag_init)
  ipv6_exthdrs_init(k);
  ipv6_frag_init(k);
  k.inetProtos[1] = { handler: icmp_rcv };
  const udpProtocol = { handler: udp_rcv, errHandler: udp_err, earlyDemux: udp_v4_early_demux };
  k.inetProtos[17] = udpProtocol;
  const tcpProtocol = { handler: tcp_v4_rcv, errHandler: tcp_v4_err, earlyDemux: tcp_v4_early_demux };
  k.inetProtos[6] = tcpProtocol;
  rtnl_link_register(k, veth_link_ops);
  rtnl_link_register(k, br_link_ops);
  rtnl_link_register(k, ifb_link_ops);
  tc_modules_init(k);
  // inet6_init(): icmpv6_init() and udpv6_init() register their inet6_protos entries
  inet6_add_protocol(k, icmpv6_protocol, 58);
  inet6_add_protocol(k, udpv6_protocol, 17);
  // inet6_init() → addrconf_init(): IPv6's netdev notifier, registered before the modules'
  k.netdevChain.push(addrconf_notify);
  // module_init of the bridge and of nf_nat's MASQUERADE: their netdev notifiers
  k.netdevChain.push(br_device_event, masq_device_event, nf_tables_netdev_event);
  return k;
}

/** setup_net(): a namespace with lo (down, as Linux creates it). */
export function setup_net(k: Kernel, name: string): Net {
  const net = new Net(k, name);
  net.arpTbl.ops = arpOps;
  net.ipv6.ndTbl.ops = ndiscOps;
  addrconf_init_net(net);
  // the pernet init of the subsystems with sysctl handlers of their own
  nf_conntrack_standalone_init_sysctl(net);
  if (name === 'init_net') rps_sock_flow_sysctl_init(net);
  if (name === 'init_net') sch_default_qdisc_sysctl_init(net);
  const lo = loopback_setup();
  register_netdevice(net, lo);
  net.loopbackDev = lo;
  return net;
}
