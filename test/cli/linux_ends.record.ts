// Records what Linux does with the scripts of linux_ends.cases.ts (issue 24:
// runs that look blocked but that Linux ends), each in a fresh network
// namespace with lo up (root). Usage: npx tsx test/cli/linux_ends.record.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINUX_ENDS } from './linux_ends.cases.ts';

const ns = `skbends${process.pid}`;
// the scripts write files: a scratch directory, as skbpath run's working directory
const cwd = mkdtempSync(join(tmpdir(), 'skbends-'));
const out: { script: string; output: string; status: number }[] = [];
for (const script of LINUX_ENDS) {
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `ip link set lo up\n${script}`], {
      cwd,
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    out.push({ script, output: r.stderr + r.stdout, status: r.status ?? -1 });
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
writeFileSync(new URL('./fixtures/linux_ends.recorded.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} scripts`);
