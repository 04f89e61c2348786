// Differential tests: each script of textutils.cases.ts runs under skbpath's
// shell with its text tools; stdout, stderr, exit status and the files left
// behind must match what the real tools did (GNU sed 4.9, mawk 1.3.4, GNU
// coreutils 9.1, xxd, util-linux hexdump), as recorded by textutils.record.ts.
import { describe, expect, it } from 'vitest';
import { makeWorld, runShell } from '../../../src/machine/memworld.ts';
import { registerCoreutils } from '../../../src/userspace/coreutils.ts';
import { registerTextutils } from '../../../src/userspace/textutils/index.ts';
import type { Outcome } from '../shell-bash.live.ts';
import type { Files } from '../shell-bash.cases.ts';
import { CASES } from './textutils.cases.ts';
import recorded from './textutils.recorded.json' with { type: 'json' };

const RECORDED = recorded as Record<string, Outcome>;

function sim(script: string, files: Files): Outcome {
  const w = makeWorld();
  registerCoreutils(w.commands);
  registerTextutils(w.commands);
  w.vfs.files.set('script.sh', script);
  for (const [k, v] of Object.entries(files)) {
    if (k.endsWith('/')) w.vfs.dirs.add(k.slice(0, -1));
    else w.vfs.files.set(k, v);
  }
  const r = runShell(w, script, { scriptName: 'script.sh' });
  const out: Files = {};
  for (const [k, v] of w.vfs.files) if (!k.includes('/') && k !== 'script.sh') out[k] = v;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: out };
}

describe('text tools match the real ones', () => {
  for (const [name, script, files] of CASES) {
    it(name, () => {
      const want = RECORDED[name];
      if (!want) throw new Error(`no recorded outcome for '${name}': run npx tsx test/userspace/textutils/textutils.record.ts`);
      expect(sim(script, files ?? {})).toEqual(want);
    });
  }
});
