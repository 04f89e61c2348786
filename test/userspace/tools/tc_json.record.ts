// Records what tc (iproute2 6.1) and Linux 6.18 do with each case of
// tc_json.cases.ts, each in a fresh network namespace
// holding a veth pair d0/d1 (root). Usage: npx tsx test/userspace/tools/tc_json.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

import { TCJSON_CASES, TCJSON_PRELUDE } from './tc_json.cases.ts';

const ns = `tcjsonrec${process.pid}`;
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

record(TCJSON_CASES, TCJSON_PRELUDE, './tc_json.recorded.json');
