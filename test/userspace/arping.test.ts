// arping against iputils 20221126 on Linux 6.18 (fixtures/arping.recorded.json,
// arping.record.ts): each case after the same two-namespace setup, exit status
// and output equal once reply times are masked.
import { describe, expect, it } from 'vitest';
import { MemVfs, SimWorld } from '../../src/machine/world.ts';
import { runScript } from '../../src/userspace/shell/interp.ts';
import { registerAll } from '../../src/userspace/tools/index.ts';
import { ARPING_CASES, SETUP } from './arping.cases.ts';
import recorded from './fixtures/arping.recorded.json' with { type: 'json' };

function simulate(line: string): { output: string; status: number } {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  let out = '';
  let err = '';
  const run = (text: string): number => {
    const task = world.sim.sched.spawn(
      'bash',
      runScript(world, text, {
        scriptName: 'bash',
        command: true,
        stdout: { write: (s) => void (out += s) },
        stderr: { write: (s) => void (err += s) },
        net: world.initNet,
      }),
    );
    world.sim.runTask(task);
    return task.exitStatus;
  };
  run(SETUP);
  out = '';
  err = '';
  const status = run(line);
  return { output: err + out, status };
}

/** A reply's time (" 0.538ms") differs from run to run. */
const mask = (s: string): string => s.replace(/ \d+\.\d{3}ms$/gm, ' <T>ms');

describe('arping prints what iputils arping prints', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(ARPING_CASES));
  for (const c of cases) {
    it(c.line, () => {
      const got = simulate(c.line);
      expect({ status: got.status, output: mask(got.output) }).toEqual({ status: c.status, output: mask(c.output) });
    });
  }
});
