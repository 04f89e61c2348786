// `ip link add … type vxlan …` and `ip -d link show` against iproute2 6.1 on
// Linux 6.18 (iplink_vxlan.recorded.json, iplink_vxlan.record.ts): each line
// after the same setup, exit status and output equal.
import { describe, expect, it } from 'vitest';
import { MemVfs, SimWorld } from '../../../../src/machine/world.ts';
import { runScript } from '../../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../../src/userspace/tools/index.ts';
import { IPLINK_VXLAN_CASES, SETUP } from './iplink_vxlan.cases.ts';
import recorded from './iplink_vxlan.recorded.json' with { type: 'json' };

function simulate(line: string): { output: string; status: number } {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  let out = '';
  const run = (text: string): number => {
    const task = world.sim.sched.spawn(
      'bash',
      runScript(world, text, {
        scriptName: 'bash',
        command: true,
        stdout: { write: (s) => void (out += s) },
        stderr: { write: (s) => void (out += s) },
        net: world.initNet,
      }),
    );
    world.sim.runTask(task);
    return task.exitStatus;
  };
  run(SETUP);
  out = '';
  const status = run(line);
  return { output: out, status };
}

describe('ip link type vxlan prints what iproute2 6.1 prints', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(IPLINK_VXLAN_CASES));
  for (const c of cases) {
    it(c.line, () => {
      expect(simulate(c.line)).toEqual({ status: c.status, output: c.output });
    });
  }
});
