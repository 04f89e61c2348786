// Routers, TTL, fragmentation and PMTU (issue 3).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('routing', ['router-forward', 'router-no-forward', 'traceroute', 'frag-mtu', 'pmtu-df'], it, expect);
