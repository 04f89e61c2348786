// tc (iproute2 6.1) against the real one: each line of tc.cases.ts runs in a
// fresh namespace with lo up and TC_SETUP's veth pair, as it ran on Linux
// 6.18 (fixtures/tc.recorded.json, tc.record.ts); exit status and output
// (stderr, then stdout) must match.
import { describe, expect, it } from 'vitest';
import { runScript } from '../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../src/userspace/tools/index.ts';
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';
import { normalizeTranscript } from '../../oracle/normalize.ts';
import { TC_CASES, TC_SETUP } from './tc.cases.ts';
import recorded from './fixtures/tc.recorded.json' with { type: 'json' };

function simulate(line: string): { output: string; status: number } {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  const net = world.createNet('tc');
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
        net,
      }),
    );
    world.sim.runTask(task);
    return task.exitStatus;
  };
  run(`ip link set lo up\n${TC_SETUP}`);
  out = '';
  err = '';
  const status = run(line);
  return { output: err + out, status };
}

describe('tc answers as iproute2 6.1 on Linux 6.18', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(TC_CASES));
  for (const c of cases) {
    it(c.line, () => {
      const got = simulate(c.line);
      expect({ status: got.status, output: normalizeTranscript(got.output) }).toEqual({
        status: c.status,
        output: normalizeTranscript(c.output),
      });
    });
  }
});
