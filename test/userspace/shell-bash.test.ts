// Differential tests: each script of shell-bash.cases.ts runs under the
// simulator's shell; stdout, stderr, exit status and the files left behind
// must match what the real bash (5.2) did with it, byte for byte. That outcome
// is recorded (shell-bash.recorded.json, by shell-bash.record.ts), so the test
// depends neither on the host's bash nor on how busy the machine is;
// SHELL_BASH_LIVE=1 compares with this machine's bash instead.
import { describe, expect, it } from 'vitest';
import { registerCoreutils } from '../../src/userspace/coreutils.ts';
import { makeWorld, runShell } from '../../src/machine/memworld.ts';
import { utf8Decode, utf8Encode } from '../../src/userspace/fileio.ts';
import { CASES, COMMAND_CASES, type Files } from './shell-bash.cases.ts';
import recorded from './shell-bash.recorded.json' with { type: 'json' };
import { bash, type Outcome } from './shell-bash.live.ts';

const LIVE = process.env.SHELL_BASH_LIVE === '1';
const RECORDED = recorded as { script: Record<string, Outcome>; command: Record<string, Outcome> };

function want(kind: 'script' | 'command', name: string, script: string, files: Files): Outcome {
  if (LIVE) return bash(script, files, kind === 'command');
  const r = RECORDED[kind][name];
  if (!r) throw new Error(`no recorded bash outcome for '${name}': run npx tsx test/userspace/shell-bash.record.ts`);
  return r;
}

function sim(script: string, files: Files, command = false): Outcome {
  const w = makeWorld();
  registerCoreutils(w.commands);
  w.vfs.files.set('script.sh', script);
  for (const [k, v] of Object.entries(files)) {
    if (k.endsWith('/')) w.vfs.dirs.add(k.slice(0, -1));
    else w.vfs.files.set(k, utf8Encode(v));
  }
  const r = command ? runShell(w, script, { scriptName: 'bash', command }) : runShell(w, script, { scriptName: 'script.sh' });
  const out: Files = {};
  // files hold bytes; bash's were read as UTF-8
  for (const [k, v] of w.vfs.files) if (!k.includes('/') && k !== 'script.sh') out[k] = utf8Decode(v);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: out };
}

describe('the shell matches bash', () => {
  for (const [name, script, files] of CASES) {
    it(name, () => {
      expect(sim(script, files ?? {})).toEqual(want('script', name, script, files ?? {}));
    });
  }
});

describe('the shell matches bash -c', () => {
  for (const [name, script] of COMMAND_CASES) {
    it(name, () => {
      expect(sim(script, {}, true)).toEqual(want('command', name, script, {}));
    });
  }
});
