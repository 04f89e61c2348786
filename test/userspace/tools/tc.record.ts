// Records what the real tools on this machine do with each line of
// tc.cases.ts, each in a fresh network namespace with lo up (root).
// Usage: npx tsx test/userspace/acceptance.record.ts [--new]
// (--new keeps what the fixture holds and records only the lines it lacks)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { TC_CASES, TC_SETUP } from './tc.cases.ts';

const ns = `skbtc${process.pid}`;
const fixture = new URL('./fixtures/tc.recorded.json', import.meta.url);
type Rec = { line: string; output: string; status: number };
const kept = new Map<string, Rec>(
  process.argv.includes('--new') ? (JSON.parse(readFileSync(fixture, 'utf8')) as Rec[]).map((r) => [r.line, r]) : [],
);
const out: Rec[] = [];
for (const line of TC_CASES) {
  const old = kept.get(line);
  if (old) {
    out.push(old);
    continue;
  }
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `ip link set lo up\n${TC_SETUP}\n${line}`], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    // one stream, as a transcript: what the tool printed on stderr, then stdout
    out.push({ line, output: r.stderr + r.stdout, status: r.status ?? -1 });
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}
writeFileSync(fixture, `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} command lines`);
