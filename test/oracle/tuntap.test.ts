// Issue 21's tun/tap: scenarios recorded on Linux 6.18 with record.py (socat 1.7.4
// holding a tap through its TUN address; taps without a reader), every artifact exact.
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

const SCENARIOS = ['tap-noreader', 'tap-socat'];

for (const name of SCENARIOS) {
  it(`tuntap: ${name}`, () => {
    const { result } = runOracle(name);
    const failures = result.artifacts.filter((a) => !a.exact);
    if (failures.length) console.log(result.report);
    expect(failures.map((f) => f.name)).toEqual([]);
  });
}
