// Records what iputils arping 20221126 (Debian's iputils-arping) does with
// each case of arping.cases.ts on this machine (root; namespaces n21ta/n21tb).
// Usage: npx tsx test/userspace/arping.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { ARPING_CASES, CLEANUP, SETUP } from './arping.cases.ts';

const fixture = new URL('./fixtures/arping.recorded.json', import.meta.url);
type Rec = { line: string; output: string; status: number };
const out: Rec[] = [];
for (const line of ARPING_CASES) {
  spawnSync('bash', ['-c', CLEANUP], { stdio: 'ignore' });
  spawnSync('bash', ['-c', SETUP], { stdio: 'ignore' });
  try {
    const r = spawnSync('bash', ['-c', line], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    // one stream, as a transcript: what the tool printed on stderr, then stdout
    out.push({ line, output: r.stderr + r.stdout, status: r.status ?? -1 });
  } finally {
    spawnSync('bash', ['-c', CLEANUP], { stdio: 'ignore' });
  }
}
writeFileSync(fixture, `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} command lines`);
