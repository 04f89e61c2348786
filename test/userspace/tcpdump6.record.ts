// Records what this machine's tcpdump (4.99.3) prints for the IPv6 corpus of
// tcpdump6.cases.ts at each flag set (TZ=UTC), into
// fixtures/tcpdump6.recorded.json. Usage: npx tsx test/userspace/tcpdump6.record.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusPcap, LINK_RUNS, linkPcaps, RUNS } from './tcpdump6.cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcpdump6-'));
try {
  writeFileSync(join(dir, 'ip6.pcap'), corpusPcap());
  const links = linkPcaps();
  for (const [name, bytes] of Object.entries(links)) writeFileSync(join(dir, name), bytes);
  const runs = [
    ...RUNS.map((flags) => [...flags, '-r', 'ip6.pcap']),
    ...Object.keys(links).flatMap((name) => LINK_RUNS.map((flags) => [...flags, '-r', name])),
  ];
  const out = runs.map((args) => {
    const r = spawnSync('tcpdump', args, { cwd: dir, encoding: 'latin1', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC' } });
    return { args, stdout: r.stdout, stderr: r.stderr, status: r.status };
  });
  writeFileSync(new URL('./fixtures/tcpdump6.recorded.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`recorded ${out.length} runs`);
} finally {
  rmSync(dir, { recursive: true });
}
