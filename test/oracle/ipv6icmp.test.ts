// ICMPv6 and the IPv6 datagram sockets' oracle scenarios (issue 16): ping -6,
// traceroute -6, ICMPv6 errors and their rate limit, packet too big.
import { describe, expect, it } from 'vitest';
import { oracleSuite, runOracle } from './run_oracle.ts';

// biome-ignore format: one scenario a line
const SCENARIOS = [
  'ipv6-ping-loopback',
];

oracleSuite('ipv6 icmp', SCENARIOS, it, expect);

// What these scenarios show of ICMPv6 and the tools is exact; the rest of their
// artifacts still differs where the core's link-up traffic does (MLD report
// sizes, neighbour timers). ipv6-ping-veth is exact in every artifact, its trace
// included.
const TOOLS_EXACT: [string, (name: string) => boolean][] = [
  ['ipv6-ping-veth', () => true],
  // trace: traceroute's probes and their neighbour resolution interleave differently
  ['ipv6-icmp-errors', (a) => a !== 'trace.txt'],
  ['ipv6-icmp-ratelimit', () => true],
  // nstat/i6mr: MLD reports before linkwatch's delayed run configured i6mr0; trace: the frag_list
  // free of i6mb's reassembled echo request
  ['ipv6-ping-pmtu', (a) => a !== 'trace.txt' && a !== 'nstat/i6mr.txt'],
];

describe('ipv6 icmp: transcripts and captures', () => {
  it.each(TOOLS_EXACT)('%s', (name, which) => {
    const { result } = runOracle(name);
    const bad = result.artifacts.filter((a) => which(a.name) && !a.exact).map((a) => a.name);
    if (bad.length) console.log(result.report);
    expect(bad).toEqual([]);
  });
});
