// Records what the real tc (iproute2 6.1) does with each line of
// netem.cases.ts: stderr, exit status, and the TCA_OPTIONS payload of the
// RTM_NEWQDISC it sent (hex, from strace), in a fresh network namespace.
// Usage (root): npx tsx test/userspace/tools/tc/netem.record.ts
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { NETEM_CASES } from './netem.cases.ts';

const ns = `netemrec${process.pid}`;
const trace = `/tmp/${ns}.strace`;
spawnSync('ip', ['netns', 'add', ns]);
const out: { line: string; stderr: string; status: number; options: string | null }[] = [];
try {
  for (const line of NETEM_CASES) {
    const argv = line === '' ? [] : line.split(' ');
    const r = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        ns,
        'strace',
        '-f',
        '-e',
        'trace=sendmsg',
        '-xx',
        '-s',
        '65536',
        '-o',
        trace,
        'tc',
        'qdisc',
        'add',
        'dev',
        'lo',
        'root',
        'netem',
        ...argv,
      ],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
    );
    const st = readFileSync(trace, 'utf8');
    const m = /nla_type=TCA_OPTIONS\}, "((?:\\x[0-9a-f]{2})*)"/.exec(st);
    out.push({ line, stderr: r.stderr, status: r.status ?? -1, options: m ? (m[1] as string).replaceAll('\\x', '') : null });
  }
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(trace, { force: true });
}
writeFileSync(new URL('./fixtures/netem.recorded.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
