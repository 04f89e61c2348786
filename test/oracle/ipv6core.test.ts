// IPv6 core (issue 16, v6core): addrconf at link up (link-local, DAD, MLDv2
// reports, router solicitations), DAD failure, and nd_tbl's states.
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

function exact(name: string): void {
  const { result } = runOracle(name);
  const failures = result.artifacts.filter((a) => !a.exact);
  if (failures.length) console.log(result.report);
  expect(failures.map((f) => f.name)).toEqual([]);
}

it('ipv6 at link up: ipv6-linkup (every artifact exact)', () => exact('ipv6-linkup'));
it('ipv6 DAD failure: ipv6-dad-failure (every artifact exact)', () => exact('ipv6-dad-failure'));
it('ip -6 neigh states: ipv6-neigh (every artifact exact)', () => exact('ipv6-neigh'));
