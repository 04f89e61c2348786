// Option forms against the real tools (issue 15): each command line of
// acceptance.cases.ts runs in a fresh namespace with lo up, as it ran on
// Linux 6.18 with iputils 20221126, tcpdump 4.99.3, iproute2 6.1, traceroute
// 2.1.2, OpenBSD nc 1.219 and iptables 1.8.9 (fixtures/acceptance.recorded.json,
// acceptance.record.ts); exit status and output must match once times are masked.
import { describe, expect, it } from 'vitest';
import { runScript } from '../../src/userspace/shell/interp.ts';
import { registerAll } from '../../src/userspace/tools/index.ts';
import { MemVfs, SimWorld } from '../../src/machine/world.ts';
import { normalizeTranscript } from '../oracle/normalize.ts';
import { ACCEPTANCE } from './acceptance.cases.ts';
import recorded from './fixtures/acceptance.recorded.json' with { type: 'json' };

function simulate(line: string): { output: string; status: number } {
  const world = new SimWorld(new MemVfs());
  registerAll(world.commands);
  const net = world.createNet('acc');
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
  run('ip link set lo up');
  out = '';
  err = '';
  const status = run(line);
  return { output: err + out, status };
}

const normalize = (s: string): string => normalizeTranscript(s);

describe('tools take the option forms the real ones take', () => {
  const cases = recorded as { line: string; output: string; status: number }[];
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(ACCEPTANCE));
  for (const c of cases) {
    it(c.line, () => {
      const got = simulate(c.line);
      expect({ status: got.status, output: normalize(got.output) }).toEqual({ status: c.status, output: normalize(c.output) });
    });
  }
});
