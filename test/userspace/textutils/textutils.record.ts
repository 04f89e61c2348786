// Records what the real GNU sed, mawk, coreutils, xxd and util-linux do with
// every case of textutils.cases.ts into textutils.recorded.json (bash runs each
// script in a temporary directory, C locale). Each case runs twice; a case
// whose outcomes differ is reported, not recorded.
// Usage: npx tsx test/userspace/textutils/textutils.record.ts
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { bash, type Outcome } from '../shell-bash.live.ts';
import { CASES } from './textutils.cases.ts';

const out: Record<string, Outcome> = {};
let racy = 0;
for (const [name, script, files] of CASES) {
  const runs = [bash(script, files ?? {}), bash(script, files ?? {})];
  if (!isDeepStrictEqual(runs[0], runs[1])) {
    console.error(`${name}: different outcomes on two runs; make the case deterministic`);
    racy++;
    continue;
  }
  out[name] = runs[0] as Outcome;
}
writeFileSync(new URL('./textutils.recorded.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${Object.keys(out).length} cases`);
process.exit(racy ? 1 : 0);
