// --artifacts DIR is written whole or not at all (issue 24, finding 7): a
// reused directory is replaced as a whole, a directory holding files skbpath
// did not write is refused, and a run killed while it writes (SIGKILL,
// SIGTERM, SIGINT, at a random moment) leaves DIR as the previous complete
// set or absent — never partial.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactsError, commitArtifacts, MARKER, prepareArtifacts } from '../../src/cli/artifacts.ts';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const MAIN = join(ROOT, 'src/cli/main.ts');
const PING_VETH = join(ROOT, 'examples/ping-veth.sh');

/** Every file under dir with its bytes, by relative path. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

/** The files the `complete` marker lists, with their sizes, are all there and nothing else. */
function expectComplete(dir: string): void {
  const files = snapshot(dir);
  const marker = files.get(MARKER);
  expect(marker, 'complete marker').toBeDefined();
  const listed = (marker as string)
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => /^(\d+) (.+)$/.exec(l) as RegExpExecArray);
  expect(new Set(listed.map((m) => m[2])), 'listed = present').toEqual(new Set([...files.keys()].filter((k) => k !== MARKER)));
  for (const m of listed) expect(statSync(join(dir, m[2] as string)).size, m[2]).toBe(Number(m[1]));
}

function artifactsOf(seed: number): Map<string, string | Uint8Array> {
  return runScenario(readFileSync(PING_VETH, 'utf8'), new MemVfs(), { seed, artifacts: true }).artifacts;
}

describe('the artifact directory', () => {
  it('is written with a complete marker and replaced whole when reused (no stale file survives)', () => {
    const base = mkdtempSync(join(tmpdir(), 'skbpath-art-'));
    const dir = join(base, 'deep', 'out');
    const first = new Map(artifactsOf(1));
    first.set('iptables/a.txt', 'stale\n');
    commitArtifacts(prepareArtifacts(dir), first);
    expectComplete(dir);
    expect(existsSync(join(dir, 'iptables/a.txt'))).toBe(true);
    commitArtifacts(prepareArtifacts(dir), artifactsOf(2));
    expectComplete(dir);
    expect(existsSync(join(dir, 'iptables/a.txt'))).toBe(false);
    expect(readdirSync(join(base, 'deep'))).toEqual(['out']); // no sibling left behind
  });

  it('refuses a directory holding files skbpath did not write; takes an empty one', () => {
    const base = mkdtempSync(join(tmpdir(), 'skbpath-art-'));
    mkdirSync(join(base, 'mine'));
    writeFileSync(join(base, 'mine', 'notes.txt'), 'keep me\n');
    expect(() => prepareArtifacts(join(base, 'mine'))).toThrow(ArtifactsError);
    expect(() => prepareArtifacts(join(base, 'mine'))).toThrow(/holds files skbpath did not write \(notes\.txt\)/);
    expect(readFileSync(join(base, 'mine', 'notes.txt'), 'utf8')).toBe('keep me\n');
    // a set skbpath wrote, with one file added by hand, is refused as well
    commitArtifacts(prepareArtifacts(join(base, 'set')), artifactsOf(1));
    writeFileSync(join(base, 'set', 'pcap', 'extra.pcap'), '');
    expect(() => prepareArtifacts(join(base, 'set'))).toThrow(/pcap\/extra\.pcap/);
    mkdirSync(join(base, 'empty'));
    commitArtifacts(prepareArtifacts(join(base, 'empty')), artifactsOf(1));
    expectComplete(join(base, 'empty'));
  });

  it('removes what a killed run left beside DIR', () => {
    const base = mkdtempSync(join(tmpdir(), 'skbpath-art-'));
    // a pid that is surely not running: above pid_max
    mkdirSync(join(base, '.out.skbpath-tmp-99999999'));
    writeFileSync(join(base, '.out.skbpath-tmp-99999999', 'trace.txt'), 'half');
    const t = prepareArtifacts(join(base, 'out'));
    expect(readdirSync(base).sort()).toEqual([`.out.skbpath-tmp-${process.pid}`]);
    commitArtifacts(t, artifactsOf(1));
    expect(readdirSync(base)).toEqual(['out']);
  });
});

/**
 * Runs `skbpath run --artifacts out` with a slow write phase (a test-only
 * delay after each file) and sends `signal` at a random moment after the
 * first file appears in the temporary directory.
 */
function killDuringWrite(
  cwd: string,
  signal: NodeJS.Signals,
  seed: number,
): Promise<{ at: number; code: number | null; sig: string | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', LOADER, MAIN, 'run', PING_VETH, '--artifacts', 'out', '--seed', String(seed)], {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, SKBPATH_TEST_ARTIFACT_DELAY_MS: '60' },
    });
    const tmp = join(cwd, `.out.skbpath-tmp-${p.pid}`);
    // 11 files and the rename, 60 ms apart: the write phase lasts about 0.7 s
    const at = Math.floor(Math.random() * 800);
    const started = Date.now();
    const poll = setInterval(() => {
      let writing = false;
      try {
        writing = readdirSync(tmp).length > 0;
      } catch {
        // not made yet
      }
      if (writing) {
        clearInterval(poll);
        setTimeout(() => p.kill(signal), at);
      } else if (Date.now() - started > 20_000) {
        clearInterval(poll);
        p.kill('SIGKILL');
        reject(new Error('the write phase never began'));
      }
    }, 5);
    p.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ at, code, sig });
    });
  });
}

describe('a run killed while it writes its artifacts', () => {
  for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: DIR is the previous complete set, the new complete set, or absent`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'skbpath-kill-'));
      // the previous set, from another seed (its captures differ)
      commitArtifacts(prepareArtifacts(join(cwd, 'out')), artifactsOf(1));
      const before = snapshot(join(cwd, 'out'));
      const after = new Map(
        [...artifactsOf(2)].map(([k, v]) => [
          k,
          typeof v === 'string' ? Buffer.from(v, 'utf8').toString('latin1') : Buffer.from(v).toString('latin1'),
        ]),
      );
      const r = await killDuringWrite(cwd, signal, 2);
      const info = `killed ${r.at} ms into the write phase (exit ${r.code}, ${r.sig})`;
      const out = join(cwd, 'out');
      if (existsSync(out)) {
        expectComplete(out);
        const now = snapshot(out);
        now.delete(MARKER);
        const prev = new Map(before);
        prev.delete(MARKER);
        const same = (a: Map<string, string>, b: Map<string, string>): boolean =>
          a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
        expect(same(now, prev) || same(now, after), info).toBe(true);
      }
      // the next run cleans up and writes a complete set
      commitArtifacts(prepareArtifacts(out), artifactsOf(3));
      expectComplete(out);
      expect(readdirSync(cwd), info).toEqual(['out']);
    });
  }
});
