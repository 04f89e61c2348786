// Routers, TTL, fragmentation and PMTU (issue 3): the Linux oracle's scenarios
// and our own, recorded on Linux 6.18 with record.py.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('routing', ['router-forward', 'router-no-forward', 'traceroute', 'frag-mtu', 'pmtu-df'], it, expect);
oracleSuite(
  'routing (own)',
  [
    'rp-filter-strict',
    'rp-filter-loose',
    'icmp-redirect',
    'blackhole-routes',
    'reasm-timeout',
    'icmp-ratelimit',
    'routing-loop',
    'ttl-traceroute-stars',
    'policy-routing',
  ],
  it,
  expect,
);
