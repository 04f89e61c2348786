// Rate estimators (issue 18, gen_estimator): a tbf and an htb class whose
// estimator restarts at the start of traffic, so its ticks fall at the same
// place in every real run and `tc -s` prints the same rates (tc-estimator.sh).
import { expect, it } from 'vitest';
import { runOracle } from './run_oracle.ts';

it('tc estimator: tc-estimator (every artifact exact)', () => {
  const { result } = runOracle('tc-estimator');
  const failures = result.artifacts.filter((a) => !a.exact);
  if (failures.length) console.log(result.report);
  expect(failures.map((f) => f.name)).toEqual([]);
});

// An action's tcf_t ages (tc-filter-tm.sh): "installed 0 sec used 0 sec" 100 ms
// after the add, "used 1 sec firstused 1 sec" 1.1 s after a ping hit it.
it('tc action times: tc-filter-tm (every artifact exact)', () => {
  const { result } = runOracle('tc-filter-tm');
  const failures = result.artifacts.filter((a) => !a.exact);
  if (failures.length) console.log(result.report);
  expect(failures.map((f) => f.name)).toEqual([]);
});
