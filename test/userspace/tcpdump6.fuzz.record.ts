// Records what tcpdump 4.99.3 prints for the mutated IPv6 corpus
// and random IPv6 frames (tcpdump6.cases.ts mutatedPcap, randomPcap) into fixtures/tcpdump6.fuzz.recorded.json.
// Usage: npx tsx test/userspace/tcpdump6.fuzz.record.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUZZ_RUNS, mutatedPcap, randomPcap } from './tcpdump6.cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcpdump6-'));
try {
  writeFileSync(join(dir, 'mut6.pcap'), mutatedPcap());
  writeFileSync(join(dir, 'rand6.pcap'), randomPcap());
  const runs = FUZZ_RUNS.map(([f, flags]) => ['-tt', ...flags, '-r', f]);
  const out = runs.map((args) => {
    const r = spawnSync('tcpdump', args, { cwd: dir, encoding: 'latin1', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC' } });
    return { args, stdout: r.stdout, stderr: r.stderr, status: r.status };
  });
  writeFileSync(new URL('./fixtures/tcpdump6.fuzz.recorded.json', import.meta.url), `${JSON.stringify(out)}\n`);
  console.log(`recorded ${out.length} runs`);
} finally {
  rmSync(dir, { recursive: true });
}
