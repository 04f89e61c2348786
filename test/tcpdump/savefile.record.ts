// Records what this machine's tcpdump prints for each of savefile.cases.ts's
// runs (TZ=UTC). Usage: npx tsx test/tcpdump/savefile.record.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAVEFILE_RUNS, SAVEFILES } from './savefile.cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'savefile-'));
try {
  for (const [name, bytes] of Object.entries(SAVEFILES)) writeFileSync(join(dir, name), bytes);
  const out = SAVEFILE_RUNS.map((args) => {
    const r = spawnSync('tcpdump', args, { cwd: dir, encoding: 'latin1', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC' } });
    return { args, stdout: r.stdout, stderr: r.stderr, status: r.status };
  });
  writeFileSync(new URL('./fixtures/savefile.recorded.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`recorded ${out.length} runs`);
} finally {
  rmSync(dir, { recursive: true });
}
