// Records what tc (iproute2 6.1) and Linux 6.18 do with each case of
// tc_tbf.cases.ts and tc_htb.cases.ts, each in a fresh network namespace
// holding a veth pair d0/d1 (root). Usage: npx tsx test/userspace/tools/tc_tbf.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { HTB_CASES, HTB_PRELUDE } from './tc_htb.cases.ts';
import { TBF_CASES, TBF_PRELUDE } from './tc_tbf.cases.ts';

const ns = `tbfhtbrec${process.pid}`;
type Rec = { line: string; output: string; status: number };

function record(cases: readonly string[], prelude: string, file: string): void {
  const out: Rec[] = [];
  for (const line of cases) {
    spawnSync('ip', ['netns', 'add', ns]);
    try {
      // one stream, as a transcript (2>&1)
      const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `${prelude}\nexec 2>&1\n${line}`], {
        encoding: 'utf8',
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 20_000,
      });
      out.push({ line, output: r.stdout, status: r.status ?? -1 });
    } finally {
      spawnSync('ip', ['netns', 'del', ns]);
    }
  }
  writeFileSync(new URL(file, import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${file}: ${out.length} cases`);
}

record(TBF_CASES, TBF_PRELUDE, './tc_tbf.recorded.json');
record(HTB_CASES, HTB_PRELUDE, './tc_htb.recorded.json');
