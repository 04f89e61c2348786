// The same scenario gives the same bytes however often it runs in one process
// and whatever else runs beside it: no state may live outside the World (no
// module-level counters, ids, caches or "current" pointers). Scenario B runs
// whole inside scenario A (from A's output callback, so A is suspended in
// the middle of its traffic), and both must match their lone runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type RunResult, runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const script = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

function artifacts(r: RunResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of [...r.artifacts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[k] = typeof v === 'string' ? v : Buffer.from(v).toString('base64');
  }
  return out;
}

const run = (s: string, onOutput?: (t: string) => void): Record<string, string> =>
  artifacts(runScenario(s, new MemVfs(), { artifacts: true, seed: 7, ...(onOutput ? { onOutput } : {}) }));

const PAIRS: [string, string][] = [
  ['examples/e1000-ping.sh', 'test/oracle/scenarios/nat-masquerade.sh'],
  ['test/oracle/scenarios/tcp-exchange.sh', 'examples/e1000-tcp-gro.sh'],
  ['test/oracle/scenarios/bridge-hosts.sh', 'test/oracle/scenarios/nf-log.sh'],
];

describe('runs are independent of each other', () => {
  for (const [a, b] of PAIRS) {
    it(`${a} twice, and with ${b} run inside it`, () => {
      const sa = script(a);
      const sb = script(b);
      const first = run(sa);
      expect(Object.keys(first).length).toBeGreaterThan(3);
      expect(run(sa)).toEqual(first);
      const bAlone = run(sb);
      const inner: Record<string, string>[] = [];
      // B runs whole at A's first and third output
      let outputs = 0;
      const nested = run(sa, () => {
        outputs++;
        if (outputs === 1 || outputs === 3) inner.push(run(sb));
      });
      expect(outputs).toBeGreaterThan(0);
      expect(nested).toEqual(first);
      for (const r of inner) expect(r).toEqual(bAlone);
      expect(run(sb)).toEqual(bAlone);
    });
  }
});
