// Bundled scenarios the page offers (the oracle's, as recorded on Linux).
import routerForward from '../../test/oracle/scenarios/router-forward.sh';
import iptablesDropIcmp from '../../test/oracle/scenarios/iptables-drop-icmp.sh';
import iptablesReject from '../../test/oracle/scenarios/iptables-reject.sh';
import bridgeHosts from '../../test/oracle/scenarios/bridge-hosts.sh';
import pingVeth from '../../test/oracle/scenarios/ping-veth.sh';
import routerNoForward from '../../test/oracle/scenarios/router-no-forward.sh';
import natMasquerade from '../../test/oracle/scenarios/nat-masquerade.sh';
import tcpExchange from '../../test/oracle/scenarios/tcp-exchange.sh';
import udpClosedPort from '../../test/oracle/scenarios/udp-closed-port.sh';
import fragMtu from '../../test/oracle/scenarios/frag-mtu.sh';
import traceroute from '../../test/oracle/scenarios/traceroute.sh';
import nfStatefulFirewall from '../../test/oracle/scenarios/nf-stateful-firewall.sh';
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
