// A fresh simulated namespace with lo up where nft command lines run as in
// the recording (stderr and stdout in one stream, in the order written).
import { MemVfs, SimWorld } from '../../../../src/machine/world.ts';
import { runScript } from '../../../../src/userspace/shell/interp.ts';
import { registerAll } from '../../../../src/userspace/tools/index.ts';

export interface NftWorld {
  run(text: string): { output: string; status: number };
  vfs: MemVfs;
}

export function nftWorld(): NftWorld {
  const vfs = new MemVfs();
  const world = new SimWorld(vfs);
  registerAll(world.commands);
  const net = world.createNet('nft');
  const run = (text: string) => {
    let output = '';
    const sink = { write: (s: string) => void (output += s) };
    const task = world.sim.sched.spawn(
      'bash',
      runScript(world, text, { scriptName: 'bash', command: true, stdout: sink, stderr: sink, net }),
    );
    world.sim.runTask(task);
    return { output, status: task.exitStatus };
  };
  run('ip link set lo up');
  return { run, vfs };
}
