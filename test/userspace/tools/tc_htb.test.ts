// tc's htb against iproute2 6.1 on Linux 6.18: each case of tc_htb.cases.ts
// runs in a fresh simulated namespace with the veth pair the recording had
// (tc_htb.recorded.json, tc_tbf.record.ts); output and exit status must match.
import { describe, expect, it } from 'vitest';
import { HTB_CASES, HTB_PRELUDE } from './tc_htb.cases.ts';
import recorded from './tc_htb.recorded.json' with { type: 'json' };
import { simulateTc } from './tc_tbf_world.ts';

describe('tc qdisc/class … htb as iproute2 6.1 on Linux 6.18', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(HTB_CASES));
  for (const c of cases) {
    it(c.line.replace(/\n/g, ' ; '), () => {
      expect(simulateTc(HTB_PRELUDE, c.line)).toEqual({ output: c.output, status: c.status });
    });
  }
});
