// Issue 21's macvlan: scenarios recorded on Linux 6.18 with record.py, every
// artifact exact (trace.txt too): bridge mode between two namespaces and the
// lower device's host, vepa and private mode behind a hairpin bridge, the
// lower device going down, changing its MTU and being deleted; source mode's
// copies and remote list, passthru with nopromisc, bcqueuelen.
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const SCENARIOS = ['macvlan-bridge', 'macvlan-vepa', 'macvlan-lower-down', 'macvlan-source-passthru', 'macvlan-bcqueue'];

for (const name of SCENARIOS) {
  it(`macvlan: ${name}`, () => {
    const { result } = runOracle(name);
    const failures = result.artifacts.filter((a) => !a.exact);
    if (failures.length) console.log(result.report);
    expect(failures.map((f) => f.name)).toEqual([]);
  });
}
