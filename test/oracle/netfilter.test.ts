// iptables filter rules on the Linux oracle's netfilter scenarios (issue 5).
// iptables-reject also needs TCP to report the ICMP error of a SYN_SENT socket
// as 6.18 does (ip_icmp_error unconditionally, POLLERR, SO_ERROR from sk_err_soft).
// nat-masquerade, dnat-port-forward and conntrack-list need nf_conntrack and nf_nat
// (checksums of CHECKSUM_PARTIAL packets, ICMP errors' inner headers) and the conntrack tool;
// nf-output-drop needs the -EPERM of an OUTPUT drop (IpOutDiscards, no UdpOutDatagrams).
// nf-stateful-firewall and nf-user-chain-return wait 0.2 s between two connections: on Linux the
// server's FIN and the next client's SYN otherwise race (fork+exec takes ~1 ms, not simulated).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite(
  'netfilter',
  [
    'iptables-drop-icmp',
    'iptables-reject',
    'nat-masquerade',
    'dnat-port-forward',
    'conntrack-list',
    'nf-icmp-nat',
    'nf-output-drop',
    'nf-redirect',
    'nf-save-restore',
    'nf-snat-output',
    'nf-stateful-firewall',
    'nf-user-chain-return',
  ],
  it,
  expect,
);
