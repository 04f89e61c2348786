// Shaping with tc (issue 18): tbf and htb as Linux 6.18 and iproute2 6.1 ran
// them (test/oracle/scenarios/tc-tbf-*.sh, tc-htb-*.sh): a ping flood through
// a token bucket with drops and ENOBUFS retries, and htb's default class
// borrowing from its parent. Every artifact exact, the trace included.
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

for (const name of ['tc-tbf-ping-flood', 'tc-htb-u32-ports', 'tc-htb-default-borrow']) {
  it(`tc shaping: ${name} (every artifact exact)`, () => {
    const { result } = runOracle(name);
    const failures = result.artifacts.filter((a) => !a.exact);
    if (failures.length) console.log(result.report);
    expect(failures.map((f) => f.name)).toEqual([]);
  });
}
