// Issue 21's vxlan: scenarios recorded on Linux 6.18 with record.py, every
// artifact exact (trace.txt too).
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const SCENARIOS = ['vxlan-routed', 'vxlan-fdb', 'vxlan-bad'];

for (const name of SCENARIOS) {
  it(`vxlan: ${name}`, () => {
    const { result } = runOracle(name);
    const failures = result.artifacts.filter((a) => !a.exact);
    if (failures.length) console.log(result.report);
    expect(failures.map((f) => f.name)).toEqual([]);
  });
}
