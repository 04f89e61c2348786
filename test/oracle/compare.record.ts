// Records what the oracle's Python tools (../shared/oracle) compute for the
// inputs of compare.test.ts into compare.recorded.json: normalize.py on the
// random texts, compare.py's reports on the copies, the perturbed copies and
// the edge cases. Run again when a golden or the inputs change:
//   npx tsx test/oracle/compare.record.ts [ORACLE_DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COPY_REPORTS,
  edgeDirs,
  GOLDEN,
  GOLDENS,
  PERTURBED_REPORTS,
  perturb,
  randomTexts,
  type Recorded,
  simCopy,
} from './compare_reference.ts';

const tools = process.argv[2] ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'oracle');
if (!existsSync(join(tools, 'compare.py'))) {
  console.error(`no compare.py in ${tools}`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'skbpath-record-'));
try {
  const compare = (gold: string, sim: string, verbose = false): string => {
    const r = spawnSync('python3', [join(tools, 'compare.py'), gold, sim, ...(verbose ? ['-v'] : [])], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compare.py failed: ${r.stderr}`);
    return r.stdout;
  };
  const out: Recorded = { normalize: [], reports: {} };
  const py = `
import json, sys
sys.path.insert(0, ${JSON.stringify(tools)})
import normalize as n
out = []
for c in json.load(sys.stdin):
    a, b = c["a"], c["b"]
    out.append([n.transcript(a), n.nstat(a), n.iptables(a), n.trace(a), n.tokens(a), n.line_matches(a, b), n.line_matches(a, a), a.splitlines()])
json.dump(out, sys.stdout)
`;
  const r = spawnSync('python3', ['-c', py], {
    input: JSON.stringify(randomTexts()),
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  out.normalize = JSON.parse(r.stdout) as unknown[][];
  for (const name of COPY_REPORTS) out.reports[`copy:${name}`] = compare(join(GOLDEN, name), simCopy(name, join(tmp, 'sim', name)));
  for (const name of PERTURBED_REPORTS) {
    const sim = simCopy(name, join(tmp, 'perturbed', name));
    perturb(sim, GOLDENS.indexOf(name));
    out.reports[`perturbed:${name}`] = compare(join(GOLDEN, name), sim);
    if (GOLDENS.indexOf(name) % 4 === 0) out.reports[`perturbed-v:${name}`] = compare(join(GOLDEN, name), sim, true);
  }
  const e = edgeDirs(tmp);
  out.reports.edge = compare(e.gold, e.sim);
  out.reports['edge-none'] = compare(e.gold, e.none);
  writeFileSync(new URL('./compare.recorded.json', import.meta.url), `${JSON.stringify(out)}\n`);
  console.log(`recorded ${out.normalize.length} normal forms and ${Object.keys(out.reports).length} reports`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
