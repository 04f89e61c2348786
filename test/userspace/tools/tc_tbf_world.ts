// A fresh simulated world for one recorded tc case (tc_tbf.test.ts, tc_htb.test.ts).
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';
import { runScript } from '../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../src/userspace/tools/index.ts';

/** Runs prelude + line in a fresh world (2>&1, as recorded); the status of the last command. */
export function simulateTc(prelude: string, line: string): { output: string; status: number } {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  const net = world.createNet('tcrec');
  let out = '';
  const run = (text: string): number => {
    const sink = { write: (s: string) => void (out += s) };
    const task = world.sim.sched.spawn(
      'bash',
      runScript(world, text, { scriptName: 'bash', command: true, stdout: sink, stderr: sink, net }),
    );
    world.sim.runTask(task);
    return task.exitStatus;
  };
  run(`ip link set lo up\n${prelude}`);
  out = '';
  const status = run(line);
  return { output: out, status };
}
