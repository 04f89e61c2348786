// IPv6 policy routing (issue 21's "policy routing … (IPv4 and IPv6 multiple
// tables)", the IPv6 half): ip -6 rule, tables made on demand, the lookup
// through the rules and its errors, recorded on Linux 6.18 with record.py.
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const EXACT: Record<string, readonly string[]> = {
  // nstat/p: Ip6InNoRoutes <*> of h's MLD reports that reach p before linkwatch
  // gave p its multicast route (a setup race, as in ipv6-route-show)
  'ipv6-policy-routing': [
    'transcript.txt',
    'trace.txt',
    'links/h.txt',
    'links/p.txt',
    'nstat/h.txt',
    'pcap/h/h1.txt',
    'pcap/h/h2.txt',
    'pcap/h/lo.txt',
    'pcap/p/lo.txt',
    'pcap/p/p1.txt',
    'pcap/p/p2.txt',
  ],
  // forwarded traffic under unreachable/prohibit/blackhole rules and an iif+ipproto rule;
  // links/* and nstat/a: the MLD reports r sends in setup for the all-routers groups it
  // joins with forwarding=1 (not simulated yet, as in ipv6-route-pmtu)
  'ipv6-policy-routing-errors': [
    'transcript.txt',
    'trace.txt',
    'nstat/r.txt',
    'nstat/b.txt',
    'pcap/a/va.txt',
    'pcap/r/ra.txt',
    'pcap/r/rb.txt',
    'pcap/b/vb.txt',
    'pcap/a/lo.txt',
    'pcap/r/lo.txt',
    'pcap/b/lo.txt',
  ],
};

for (const [name, exact] of Object.entries(EXACT)) {
  it(`ipv6 policy routing: ${name}`, () => {
    const { result } = runOracle(name);
    const by = new Map(result.artifacts.map((a) => [a.name, a]));
    const failures = exact.filter((n) => !by.get(n)?.exact);
    if (failures.length) console.log(result.report);
    expect(failures).toEqual([]);
  });
}
