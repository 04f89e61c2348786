// Issue 3's oracle scenarios: routers, TTL, fragmentation and PMTU.
import { describe, expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const SCENARIOS = ['router-forward', 'router-no-forward', 'frag-mtu', 'pmtu-df'];

describe('oracle: routing scenarios reproduce Linux', () => {
  for (const name of SCENARIOS) {
    it(name, () => {
      const { result } = runOracle(name);
      const failures = result.artifacts.filter((a) => (a.name === 'trace.txt' ? a.size > 0 && a.ok / a.size < 0.9 : !a.exact));
      if (failures.length) console.log(result.report);
      expect(failures.map((f) => f.name)).toEqual([]);
    });
  }
});
