// Records what nft 1.0.6 prints for each case of json.cases.ts, each in a fresh
// network namespace with lo up (root). Usage: npx tsx test/userspace/tools/nft/json.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { JSON_CASES } from './json.cases.ts';

const ns = `nftrecjson${process.pid}`;
const fixture = new URL('./fixtures/json.recorded.json', import.meta.url);
const out: { name: string; output: string }[] = [];
for (const c of JSON_CASES) {
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `exec 2>&1\nip link set lo up\n${c.script}`], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    out.push({ name: c.name, output: r.stdout });
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
writeFileSync(fixture, `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} cases`);
