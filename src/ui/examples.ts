// Bundled scenarios the page offers (examples/; most are oracle scenarios recorded on Linux,
// which test/oracle/scenarios links to).
import routerForward from '../../examples/router-forward.sh';
import iptablesDropIcmp from '../../examples/iptables-drop-icmp.sh';
import iptablesReject from '../../examples/iptables-reject.sh';
import bridgeHosts from '../../examples/bridge-hosts.sh';
import pingVeth from '../../examples/ping-veth.sh';
import routerNoForward from '../../examples/router-no-forward.sh';
import natMasquerade from '../../examples/nat-masquerade.sh';
import tcpExchange from '../../examples/tcp-exchange.sh';
import udpClosedPort from '../../examples/udp-closed-port.sh';
import fragMtu from '../../examples/frag-mtu.sh';
import traceroute from '../../examples/traceroute.sh';
import nfStatefulFirewall from '../../examples/nf-stateful-firewall.sh';
import e1000Ping from '../../examples/e1000-ping.sh';
import e1000TcpGro from '../../examples/e1000-tcp-gro.sh';

export const EXAMPLES: Record<string, string> = {
  'router-forward': routerForward,
  'iptables-drop-icmp': iptablesDropIcmp,
  'iptables-reject': iptablesReject,
  'bridge-hosts': bridgeHosts,
  'ping-veth': pingVeth,
  'router-no-forward': routerNoForward,
  'nat-masquerade': natMasquerade,
  'nf-stateful-firewall': nfStatefulFirewall,
  'tcp-exchange': tcpExchange,
  'udp-closed-port': udpClosedPort,
  'frag-mtu': fragMtu,
  traceroute,
  'e1000-ping': e1000Ping,
  'e1000-tcp-gro': e1000TcpGro,
};
