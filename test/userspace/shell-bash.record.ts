// Records what the real bash does with every case of shell-bash.cases.ts into
// shell-bash.recorded.json. Each case runs three times; a case whose outcomes
// differ is a race in the case itself and is reported, not recorded.
// Usage: npx tsx test/userspace/shell-bash.record.ts
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { CASES, COMMAND_CASES } from './shell-bash.cases.ts';
import { bash, type Outcome } from './shell-bash.live.ts';

const out: { bash: string; script: Record<string, Outcome>; command: Record<string, Outcome> } = {
  bash: '',
  script: {},
  command: {},
};
out.bash = bash('echo "$BASH_VERSION"', {}, true).stdout.trim();
let racy = 0;
function record(name: string, run: () => Outcome): Outcome | undefined {
  const runs = [run(), run(), run()];
  if (!runs.every((r) => isDeepStrictEqual(r, runs[0]))) {
    console.error(`${name}: bash gave different outcomes on three runs; make the case race-free`);
    racy++;
    return undefined;
  }
  return runs[0];
}
for (const [name, script, files] of CASES) {
  const r = record(name, () => bash(script, files ?? {}));
  if (r) out.script[name] = r;
}
for (const [name, script] of COMMAND_CASES) {
  const r = record(name, () => bash(script, {}, true));
  if (r) out.command[name] = r;
}
writeFileSync(new URL('./shell-bash.recorded.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${Object.keys(out.script).length + Object.keys(out.command).length} cases with bash ${out.bash}`);
process.exit(racy ? 1 : 0);
