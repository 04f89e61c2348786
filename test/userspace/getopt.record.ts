// Records util-linux getopt(1) (glibc's getopt_long underneath) on every case
// of getopt.cases.ts into fixtures/getopt.recorded.json.
// Usage: npx tsx test/userspace/getopt.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { argvs, SPECS } from './getopt.cases.ts';

const out: { spec: number; argv: string[]; stdout: string; stderr: string; status: number }[] = [];
SPECS.forEach((spec, i) => {
  for (const argv of argvs(120, 100 + i)) {
    const r = spawnSync('getopt', ['-o', spec.short, '-l', spec.long.join(','), '--', ...argv], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    });
    out.push({ spec: i, argv, stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 });
  }
});
writeFileSync(new URL('./fixtures/getopt.recorded.json', import.meta.url), `${JSON.stringify(out, null, 0)}\n`);
console.log(`recorded ${out.length} parses`);
