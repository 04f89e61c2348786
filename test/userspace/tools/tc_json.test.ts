// tc -j against iproute2 6.1 on Linux 6.18: each case of tc_json.cases.ts
// runs in a fresh simulated namespace with the veth pair the recording had
// (tc_json.recorded.json, tc_json.record.ts); output and exit status must match.
import { describe, expect, it } from 'vitest';
import { TCJSON_CASES, TCJSON_PRELUDE } from './tc_json.cases.ts';
import recorded from './tc_json.recorded.json' with { type: 'json' };
import { simulateTc } from './tc_tbf_world.ts';

describe('tc -j as iproute2 6.1 on Linux 6.18', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(TCJSON_CASES));
  for (const c of cases) {
    it(c.line.replace(/\n/g, ' ; '), () => {
      expect(simulateTc(TCJSON_PRELUDE, c.line)).toEqual({ output: c.output, status: c.status });
    });
  }
});
