// Records what the real nft 1.0.6 does with corpus.cases.ts and cli.cases.ts,
// each case in a fresh network namespace (root).
// Usage: npx tsx test/userspace/tools/nft/corpus.record.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { CLI } from './cli.cases.ts';
import { MALFORMED, RULES, RULESETS } from './corpus.cases.ts';

let serial = 0;
const workdir = mkdtempSync('/tmp/skbnft');
let ns = '';
// SHLVL set: bash reads no .bashrc even when its stdin looks like a socket
const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', SHLVL: '1' };

function inNs(script: string, input?: string): { output: string; stdout: string; stderr: string; status: number } {
  ns = `skbnft${process.pid}x${serial++}`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', `ip link set lo up\n${script}`], {
      encoding: 'utf8',
      env,
      input: input ?? '',
      // files the cases write go to a directory of their own
      cwd: workdir,
      timeout: 20_000,
    });
    return { output: r.stderr + r.stdout, stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

type Load = { input: string; status: number; errors: string; list: string; netlink: string };
function load(input: string): Load {
  const f = `/tmp/skbnft${process.pid}.nft`;
  writeFileSync(f, input);
  const r = inNs(`nft -f ${f} >&2; echo "status $?" >&2; nft list ruleset; echo '@@'; nft --debug=netlink list ruleset`);
  const m = /status (\d+)\n$/.exec(r.stderr);
  const [list, netlink] = r.stdout.split('@@\n');
  return {
    input,
    status: Number(m?.[1] ?? -1),
    errors: r.stderr.replace(/status \d+\n$/, '').replaceAll(f, 'FILE'),
    list: list ?? '',
    netlink: netlink ?? '',
  };
}

const rules = RULES.map(([family, rule]) => ({
  family,
  rule,
  ...load(`table ${family} t {\n\tchain foo {\n\t}\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\t${rule}\n\t}\n}\n`),
}));
const rulesets = RULESETS.map((input) => load(input));
const malformed = MALFORMED.map((input) => load(input));
writeFileSync(new URL('./fixtures/corpus.recorded.json', import.meta.url), `${JSON.stringify({ rules, rulesets, malformed }, null, 1)}\n`);
const cli = CLI.map((line) => {
  // one stream, in the order written, as a transcript
  const r = inNs(`exec 2>&1\n${line}`);
  return { line, output: r.output, status: r.status };
});
writeFileSync(new URL('./fixtures/cli.recorded.json', import.meta.url), `${JSON.stringify(cli, null, 1)}\n`);
console.log(`recorded ${rules.length} rules, ${rulesets.length} rulesets, ${cli.length} command lines`);
