// The foundation's oracle scenarios: every transcript, pcap, nstat and links
// artifact exact; trace.txt at least 90%.
import { describe, expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const SCENARIOS = ['ping-veth', 'ping-loopback', 'ping-no-route', 'ping-unresolved'];

describe('oracle: foundation scenarios reproduce Linux', () => {
  for (const name of SCENARIOS) {
    it(name, () => {
      const { result } = runOracle(name);
      const failures = result.artifacts.filter((a) => (a.name === 'trace.txt' ? a.size > 0 && a.ok / a.size < 0.9 : !a.exact));
      if (failures.length) console.log(result.report);
      expect(failures.map((f) => f.name)).toEqual([]);
    });
  }
});
