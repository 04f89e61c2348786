// Runs a script under the real bash of this machine (in a temporary directory,
// C locale, stdin from /dev/null as the oracle recorder runs scenarios) and
// returns what it printed and the files it left. Used to record
// shell-bash.recorded.json and by SHELL_BASH_LIVE=1 runs of the test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Files } from './shell-bash.cases.ts';

export interface Outcome {
  stdout: string;
  stderr: string;
  status: number;
  files: Files;
}

export function bash(script: string, files: Files, command = false): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'skbpath-sh-'));
  try {
    writeFileSync(join(dir, 'script.sh'), script);
    for (const [k, v] of Object.entries(files)) {
      if (k.endsWith('/')) mkdirSync(join(dir, k));
      else writeFileSync(join(dir, k), v);
    }
    const r = spawnSync('bash', command ? ['-c', script] : ['script.sh'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    const out: Files = {};
    for (const name of readdirSync(dir)) {
      if (name === 'script.sh' || !statSync(join(dir, name)).isFile()) continue;
      out[name] = readFileSync(join(dir, name), 'utf8');
    }
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1, files: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
