// Runs an oracle scenario in the simulator, writes its artifacts to a temp
// directory and scores them against the Linux golden.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { type CompareResult, compareDirs } from './compare.ts';

export const ORACLE_DIR = new URL('.', import.meta.url).pathname;

export function runOracle(name: string, seed = 1): { result: CompareResult; dir: string } {
  const script = readFileSync(join(ORACLE_DIR, 'scenarios', `${name}.sh`), 'utf8');
  // record.py --files frames: the captures a scenario replays sit in its working directory
  const vfs = new MemVfs();
  const frames = join(ORACLE_DIR, 'frames');
  if (existsSync(frames)) for (const f of readdirSync(frames)) vfs.files.set(f, readFileSync(join(frames, f), 'latin1'));
  const res = runScenario(script, vfs, { seed, artifacts: true });
  const dir = mkdtempSync(join(tmpdir(), `skbpath-${name}-`));
  for (const [p, data] of res.artifacts) {
    const full = join(dir, p);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
  }
  const result = compareDirs(join(ORACLE_DIR, 'golden', name), dir, { verbose: true });
  return { result, dir };
}

/** A vitest suite: each scenario's transcript, pcap, nstat and links exact, trace.txt at least 90%. */
export function oracleSuite(
  title: string,
  scenarios: readonly string[],
  it: (name: string, fn: () => void) => void,
  expect: (v: unknown) => { toEqual(x: unknown): void },
): void {
  for (const name of scenarios) {
    it(`${title}: ${name}`, () => {
      const { result } = runOracle(name);
      const failures = result.artifacts.filter((a) => (a.name === 'trace.txt' ? a.size > 0 && a.ok / a.size < 0.9 : !a.exact));
      if (failures.length) console.log(result.report);
      expect(failures.map((f) => f.name)).toEqual([]);
    });
  }
}
