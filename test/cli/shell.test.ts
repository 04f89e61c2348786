// skbpath shell: the script, then command lines in the same bash on the same
// simulated machine, its clock going on; background jobs run while later
// commands do; skbpath-trace last shows the last packet's path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InteractiveMachine } from '../../src/cli/shell.ts';
import { MemVfs } from '../../src/machine/world.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const MAIN = join(ROOT, 'src/cli/main.ts');
const PING_VETH = join(ROOT, 'examples/ping-veth.sh');

function machine(): { m: InteractiveMachine; out: () => string } {
  let text = '';
  const m = new InteractiveMachine(new MemVfs(), { seed: 1 }, (s) => void (text += s));
  return {
    m,
    out: () => {
      const t = text;
      text = '';
      return t;
    },
  };
}

describe('the interactive machine', () => {
  it('takes command lines after the script, in the same shell and world, the clock going on', () => {
    const { m, out } = machine();
    m.run(readFileSync(PING_VETH, 'utf8'));
    expect(out()).toContain('3 packets transmitted, 3 received');
    const t0 = m.world.sim.now;
    m.run('greeting=hello; f() { echo "$greeting from $1"; }\n');
    m.run('f shell\n');
    expect(out()).toBe('hello from shell\n');
    // the neighbour the script's ping resolved is still there: the same kernel
    m.run('ip -n a neigh show\n');
    expect(out()).toMatch(/^10\.0\.0\.2 dev va lladdr 02:00:00:00:00:0b (REACHABLE|STALE|DELAY) \n$/);
    m.run('sleep 2\n');
    expect(m.world.sim.now - t0).toBeGreaterThanOrEqual(2e9);
    expect(m.exited).toBeNull();
  });

  it('runs a background tcpdump while later commands send packets; skbpath-trace last shows the last packet', () => {
    const { m, out } = machine();
    m.run(readFileSync(PING_VETH, 'utf8'));
    out();
    m.run('ip netns exec b tcpdump --immediate-mode -l -n -i vb icmp &\n');
    m.run('ip netns exec a ping -c1 -q 10.0.0.2\n');
    const text = out();
    expect(text).toContain('IP 10.0.0.1 > 10.0.0.2: ICMP echo request');
    expect(text).toContain('IP 10.0.0.2 > 10.0.0.1: ICMP echo reply');
    expect(text).toContain('1 packets transmitted, 1 received');
    m.run('skbpath-trace last\n');
    const path = out().split('\n');
    expect(path[0]).toMatch(/^SKB +CPU PROCESS +TIMESTAMP/);
    expect(path.some((l) => /10\.0\.0\.2:0->10\.0\.0\.1:0\(icmp\) +icmp_push_reply$/.test(l))).toBe(true);
    expect(path.at(-2)).toContain(' 10.0.0.2:0->10.0.0.1:0(icmp) ');
    m.run('skbpath-trace nonsense\n');
    expect(out()).toBe('usage: skbpath-trace last | drops\n');
    expect(m.status).toBe(2);
  });

  it('exit ends it with its status; later lines are not run', () => {
    const { m, out } = machine();
    m.run('exit 3\n');
    expect(m.exited).toBe(3);
    m.run('echo never\n');
    expect(out()).toBe('');
  });
});

describe('skbpath shell SCRIPT', () => {
  it('reads lines from stdin (continuation lines too) after the script, and leaves with exit', () => {
    const input = [
      'ip netns exec a ping -c1 -q 10.0.0.2',
      'for i in 1 2; do',
      '  echo "line $i"',
      'done',
      'skbpath-trace last | head -1',
      'exit 4',
      'echo never',
      '',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', LOADER, MAIN, 'shell', PING_VETH], {
      cwd: mkdtempSync(join(tmpdir(), 'skbpath-shell-')),
      input,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(4);
    expect(r.stdout).toContain('3 packets transmitted, 3 received'); // the script
    expect(r.stdout).toContain('1 packets transmitted, 1 received'); // the first line
    expect(r.stdout).toContain('line 1\nline 2\nSKB ');
    expect(r.stdout).not.toContain('never');
  });
});
