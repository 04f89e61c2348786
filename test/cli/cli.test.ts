// `skbpath run` as a person runs it: the transcript on stdout, artifacts on disk.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/cli/main.ts');

describe('skbpath run', () => {
  it('prints the transcript and writes the oracle layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-cli-'));
    const out = execFileSync(TSX, [MAIN, 'run', join(ROOT, 'examples/ping-veth.sh'), '--artifacts', join(dir, 'art')], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(out).toContain('3 packets transmitted, 3 received, 0% packet loss');
    for (const f of ['transcript.txt', 'trace.txt', 'nstat/a.txt', 'links/b.txt', 'pcap/a/va.pcap', 'pcap/b/lo.pcap']) {
      expect(existsSync(join(dir, 'art', f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'art/transcript.txt'), 'utf8')).toBe(out);
  });

  it('is deterministic for a seed and differs across seeds only in masked tokens', () => {
    const script = readFileSync(join(ROOT, 'examples/ping-veth.sh'), 'utf8');
    const a = runScenario(script, new MemVfs(), { seed: 7, artifacts: true });
    const b = runScenario(script, new MemVfs(), { seed: 7, artifacts: true });
    expect(a.artifacts.get('trace.txt')).toBe(b.artifacts.get('trace.txt'));
    expect(
      Buffer.from(a.artifacts.get('pcap/a/va.pcap') as Uint8Array).equals(Buffer.from(b.artifacts.get('pcap/a/va.pcap') as Uint8Array)),
    ).toBe(true);
  });

  it('a scenario cannot touch files outside its directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-cli-'));
    writeFileSync(
      join(dir, 's.sh'),
      'echo hi > ../escape.txt; echo rc=$?\ncat /etc/hostname; echo rc=$?\n/bin/ls; echo rc=$?\necho ok > inside.txt\n',
    );
    const r = spawnSync(TSX, [MAIN, 'run', 's.sh'], { cwd: dir, encoding: 'utf8' });
    expect(existsSync(join(dir, '..', 'escape.txt'))).toBe(false);
    expect(readFileSync(join(dir, 'inside.txt'), 'utf8')).toBe('ok\n');
    expect(r.stdout).toContain('rc=1\n');
    expect(r.stdout).toContain('rc=127\n');
  });

  it('usage errors exit 2', () => {
    const r = spawnSync(TSX, [MAIN, 'frobnicate'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("skbpath: unknown command 'frobnicate'\nTry 'skbpath --help'.\n");
    const none = spawnSync(TSX, [MAIN], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^usage: skbpath run SCRIPT\.sh/);
  });
});

describe('budgets stop a run-away simulation', () => {
  it('the event budget ends a run with a message naming it', () => {
    const script = readFileSync(join(ROOT, 'examples/ping-veth.sh'), 'utf8').replace('ping -c 3 -i 0.2', 'ping -f -q -c 1000000');
    const res = runScenario(script, new MemVfs(), { budget: { maxEvents: 5000, maxVirtualNs: 3600e9 } });
    expect(res.error).toMatch(/^skbpath: event budget of 5000 events exhausted at t=/);
    expect(res.exitStatus).toBe(124);
  });

  it('the virtual time budget ends a run that would sleep forever', () => {
    const res = runScenario('sleep 100000\necho never\n', new MemVfs(), { budget: { maxEvents: 1e6, maxVirtualNs: 10e9 } });
    expect(res.error).toMatch(/virtual time budget of 10 s exhausted/);
    expect(res.transcript).not.toContain('never');
  });

  it('a shell loop that never sleeps ends at the event budget', () => {
    const res = runScenario('while :; do :; done\n', new MemVfs(), { budget: { maxEvents: 10000, maxVirtualNs: 10e9 } });
    expect(res.error).toMatch(/event budget/);
  });

  it('a fork flood of background jobs ends at the process budget', () => {
    const res = runScenario('while :; do sleep 100 & done\n', new MemVfs(), {
      budget: { maxEvents: 1e7, maxVirtualNs: 3600e9, maxTasks: 500 },
    });
    expect(res.error).toMatch(/^skbpath: process budget of 500 processes exhausted at t=.*fork flood/);
    expect(res.exitStatus).toBe(124);
  });
});
