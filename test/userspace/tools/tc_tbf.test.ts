// tc's tbf against iproute2 6.1 on Linux 6.18: each case of tc_tbf.cases.ts
// runs in a fresh simulated namespace with the veth pair the recording had
// (tc_tbf.recorded.json, tc_tbf.record.ts); output and exit status must match.
import { describe, expect, it } from 'vitest';
import { TBF_CASES, TBF_PRELUDE } from './tc_tbf.cases.ts';
import recorded from './tc_tbf.recorded.json' with { type: 'json' };
import { simulateTc } from './tc_tbf_world.ts';

describe('tc qdisc … tbf as iproute2 6.1 on Linux 6.18', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(TBF_CASES));
  for (const c of cases) {
    it(c.line.replace(/\n/g, ' ; '), () => {
      expect(simulateTc(TBF_PRELUDE, c.line)).toEqual({ output: c.output, status: c.status });
    });
  }
});
