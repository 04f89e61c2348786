// Records what nft 1.0.6 prints for each case of badinput.cases.ts, each in a fresh
// network namespace with lo up (root). Usage: npx tsx test/userspace/tools/nft/badinput.record.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BADINPUT_CASES, badinputFiles } from './badinput.cases.ts';

const ns = `nftrecbad${process.pid}`;
const fixture = new URL('./fixtures/badinput.recorded.json', import.meta.url);
const out: { name: string; output: string }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nftrec-bad-'));
for (const [name, text] of Object.entries(badinputFiles())) writeFileSync(join(dir, name), text);
for (const c of BADINPUT_CASES) {
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `exec 2>&1\nip link set lo up\n${c.script}`], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    out.push({ name: c.name, output: r.stdout });
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
rmSync(dir, { recursive: true, force: true });
writeFileSync(fixture, `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} cases`);
