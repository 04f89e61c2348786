// ICMPv6 and the IPv6 datagram sockets' oracle scenarios (issue 16): ping -6,
// traceroute -6, ICMPv6 errors and their rate limit, packet too big.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

// biome-ignore format: one scenario a line
const SCENARIOS = [
  'ipv6-ping-loopback',
];

oracleSuite('ipv6 icmp', SCENARIOS, it, expect);
