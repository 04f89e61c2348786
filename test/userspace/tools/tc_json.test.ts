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

// This kernel cannot load matchall or skbedit, so these follow 6.1's source:
// f_matchall.c prints the handle with print_uint (a JSON number), m_skbedit.c
// the mask with print_hex ("%x" string in JSON, "/%#x" in text).
describe('tc -j for the kinds the recorded kernel lacks (iproute2 6.1 source)', () => {
  const line =
    'tc qdisc add dev d0 clsact\ntc filter add dev d0 egress matchall action skbedit mark 7/0xff\ntc -j filter show dev d0 egress\ntc filter show dev d0 egress';
  it('matchall handle is a number, skbedit mask a %x string', () => {
    const { output, status } = simulateTc(TCJSON_PRELUDE, line);
    expect(status).toBe(0);
    const [json, ...text] = output.split('\n');
    const opts = JSON.parse(json as string)[1].options;
    expect(opts.handle).toBe(1);
    expect(opts.actions[0]).toMatchObject({ kind: 'skbedit', mark: 7, mask: 'ff' });
    expect(text.join('\n')).toContain(' mark 7/0xff');
  });
});
