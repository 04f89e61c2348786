// IPv6 routing, forwarding, PMTU, fragments and malformed IPv6 frames
// (issue 16, v6route's part): scenarios recorded on Linux 6.18 with record.py.
//
// Each scenario lists the artifacts that are exact today; the others wait on
// parts outside routing (noted per scenario): the MLD/ND counters and
// Ip6OutRequests of the output path, the order of two
// fe80::/64 routes (linkwatch), ndisc's drops at icmpv6_rcv, and the
// virtual time between a packet too big and `ip -6 route show cache` (599sec).
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const EXACT: Record<string, readonly string[]> = {
  'ipv6-route-show': [
    'transcript.txt',
    'trace.txt',
    'links/r6.txt',
    'links/p6.txt',
    'nstat/r6.txt',
    'nstat/p6.txt',
    'pcap/r6/v1.txt',
    'pcap/p6/p1.txt',
    'pcap/r6/lo.txt',
    'pcap/p6/lo.txt',
  ],
  // transcript: the fe80::/64 order of r; nstat/r: r's MLD counters are <*> and its Ip6InNoRoutes
  // differ (ra's veth has the ifindex of its peer, so linkwatch configures it in its delayed,
  // non-urgent run, up to a second later; skbpath has no linkwatch delay)
  'ipv6-route-forward': [
    'trace.txt',
    'links/a.txt',
    'links/b.txt',
    'links/r.txt',
    'nstat/a.txt',
    'nstat/b.txt',
    'pcap/a/lo.txt',
    'pcap/a/va.txt',
    'pcap/b/lo.txt',
    'pcap/b/vb.txt',
    'pcap/r/lo.txt',
    'pcap/r/ra.txt',
    'pcap/r/rb.txt',
  ],
  // nstat/r: Ip6InNoRoutes of MLD reports that arrive before linkwatch's delayed run configured
  // ra (as above); trace: the frag_list free of b's reassembled echo request
  'ipv6-route-pmtu': [
    'transcript.txt',
    'links/a.txt',
    'links/r.txt',
    'nstat/a.txt',
    'pcap/a/lo.txt',
    'pcap/a/va.txt',
    'pcap/b/lo.txt',
    'pcap/b/vb.txt',
    'pcap/r/lo.txt',
    'pcap/r/ra.txt',
    'pcap/r/rb.txt',
    'links/b.txt',
    'nstat/b.txt',
  ],
  'ipv6-route-frag': [
    'transcript.txt',
    'trace.txt',
    'pcap/a/va.txt',
    'pcap/b/vb.txt',
    'pcap/a/lo.txt',
    'pcap/b/lo.txt',
    'links/a.txt',
    'links/b.txt',
    'nstat/a.txt',
    'nstat/b.txt',
  ],
  'bad-ipv6': [
    'transcript.txt',
    'trace.txt',
    'pcap/bada6/va.txt',
    'pcap/badb6/vb.txt',
    'links/bada6.txt',
    'links/badb6.txt',
    'nstat/bada6.txt',
    'nstat/badb6.txt',
    'pcap/bada6/lo.txt',
    'pcap/badb6/lo.txt',
  ],
};

/** trace.txt at least this share of lines, for the scenarios where ndisc's drops still differ. */
const TRACE_MIN: Record<string, number> = { 'ipv6-route-pmtu': 0.95 };

for (const [name, exact] of Object.entries(EXACT)) {
  it(`ipv6 routing: ${name}`, () => {
    const { result } = runOracle(name);
    const by = new Map(result.artifacts.map((a) => [a.name, a]));
    const failures = exact.filter((n) => !by.get(n)?.exact);
    const trace = by.get('trace.txt');
    const min = TRACE_MIN[name];
    if (min !== undefined && trace && trace.size > 0 && trace.ok / trace.size < min) failures.push('trace.txt');
    if (failures.length) console.log(result.report);
    expect(failures).toEqual([]);
  });
}
