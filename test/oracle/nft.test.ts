// nftables on the Linux oracle (issue 20): scenarios recorded on 6.18 with nft 1.0.6 by
// test/oracle/record_nft.py, which is the shared record.py plus the artifact `nft/<ns>.txt`
// (`nft list ruleset` per namespace after traffic, as printed, counters included).
//
// nft-inet-filter waits 0.2 s after its TCP connection, as nf-stateful-firewall does: on Linux the
// last ACK of the close and the next command's datagram otherwise race.
//
// Every scenario must reproduce every artifact (trace.txt at least 90%, as every oracle suite).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

const EXACT: string[] = [
  'nft-inet-filter',
  'nft-reject',
  'nft-limit',
  'nft-numgen',
  'nft-netdev-ingress',
  'nft-iptables-mix',
  'nft-monitor-trace',
  'nft-handles',
  'nft-errors',
  'nft-trace-chains',
  'nft-nat',
  'nft-bridge-filter',
  'nft-arp-filter',
];

oracleSuite('nftables', EXACT, it, expect);
