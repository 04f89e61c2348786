// The skbpath command as a person runs it (issue 25, "The command itself"):
// --help and --version, mistakes in one line with exit 2, a pipe closed early,
// the --netns/--dev checks, drops' filters, ftrace's task-pid, the progress line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const LOADER = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const MAIN = join(ROOT, 'src/cli/main.ts');
const PING_VETH = join(ROOT, 'examples/ping-veth.sh');
const UNRESOLVED = join(ROOT, 'test/oracle/scenarios/ping-unresolved.sh');

function skbpath(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', LOADER, MAIN, ...args], {
    cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'skbpath-cmd-')),
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('help and version', () => {
  it('--help, CMD --help and -h exit 0 on stdout', () => {
    const h = skbpath(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^skbpath \d+\.\d+\.\d+: /);
    expect(h.stdout).toContain('usage: skbpath run SCRIPT.sh');
    expect(h.stderr).toBe('');
  });

  it('CMD -h describes its options', () => {
    const r = skbpath(['drops', '-h']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: skbpath drops SCRIPT\.sh \[--filter PCAP-EXPR\]/);
    expect(r.stdout).toContain('--reason REASON');
  });

  it("--version prints package.json's version", () => {
    const v = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = skbpath(['--version']);
    expect(r).toMatchObject({ status: 0, stdout: `skbpath ${v}\n`, stderr: '' });
  });
});

describe('a mistake is one line (and a hint) with exit 2', () => {
  it('an unknown option or command names itself, the nearest one, and where help is', () => {
    expect(skbpath(['drops', 'x.sh', '--filtr', 'icmp'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: "skbpath: unknown option '--filtr'; did you mean '--filter'?\nTry 'skbpath drops --help'.\n",
    });
  });

  it('an unknown command too', () => {
    expect(skbpath(['runn', 'x.sh'])).toMatchObject({
      status: 2,
      stderr: "skbpath: unknown command 'runn'; did you mean 'run'?\nTry 'skbpath --help'.\n",
    });
    expect(skbpath(['run', 'x.sh', '--x'])).toMatchObject({
      status: 2,
      stderr: "skbpath: unknown option '--x'\nTry 'skbpath run --help'.\n",
    });
  });

  it('a bad regex or filter', () => {
    expect(skbpath(['trace', '--func', '(', PING_VETH])).toMatchObject({
      status: 2,
      stderr: "skbpath: --func: bad regular expression '(': Unterminated group\n",
    });
    expect(skbpath(['trace', PING_VETH, '--filter', 'icmp and'])).toMatchObject({ status: 2, stdout: '' });
  });

  it('a value left out, a script that is not there', () => {
    expect(skbpath(['run', PING_VETH, '--artifacts'])).toMatchObject({
      status: 2,
      stdout: '',
      stderr: "skbpath: option '--artifacts' needs a value (DIR)\nTry 'skbpath run --help'.\n",
    });
    expect(skbpath(['run', 'nope.sh'])).toMatchObject({ status: 2, stderr: 'skbpath: nope.sh: No such file or directory\n' });
  });

  const refusals = [
    ['plain', 'skbpath: --artifacts plain: Not a directory\n'],
    ['/dev/null', 'skbpath: --artifacts /dev/null: Not a directory\n'],
    ['plain/sub', 'skbpath: --artifacts plain/sub: Not a directory\n'],
    ['/sys/x', 'skbpath: --artifacts /sys/x: cannot create a directory in /sys: '],
    ['/proc/nope', 'skbpath: --artifacts /proc/nope: cannot create a directory in /proc: '],
    ['/proc/nope/deeper', 'skbpath: --artifacts /proc/nope/deeper: cannot create directory /proc/nope: '],
  ] as const;
  for (let i = 0; i < refusals.length; i += 2) {
    const pair = refusals.slice(i, i + 2);
    it(`--artifacts ${pair.map((x) => x[0]).join(', ')}: one line before the run, no hang`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'skbpath-cmd-'));
      writeFileSync(join(dir, 'plain'), 'x');
      for (const [target, msg] of pair) {
        const r = skbpath(['run', PING_VETH, '--artifacts', target], { cwd: dir });
        expect(r.status, target).toBe(2);
        expect(r.stdout, target).toBe(''); // refused before the run
        expect(r.stderr.startsWith(msg), r.stderr).toBe(true);
        expect(r.stderr.split('\n').length, r.stderr).toBe(2);
      }
    });
  }
});

describe('a reader that goes away', () => {
  const piped = (args: string): { stdout: string; stderr: string } => {
    const cmd = `"$0" --import "$1" "$2" ${args} | head -2; echo "rc=\${PIPESTATUS[0]}"`;
    // in a directory of its own: examples write their files where they run
    return spawnSync('bash', ['-c', cmd, process.execPath, LOADER, MAIN], {
      cwd: mkdtempSync(join(tmpdir(), 'skbpath-cmd-')),
      encoding: 'utf8',
      timeout: 30_000,
    });
  };

  it('`skbpath trace … | head -2` ends quietly, with the status of a tool killed by SIGPIPE', () => {
    const r = piped(`trace ${join(ROOT, 'examples/e1000-tcp-gro.sh')}`);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^SKB +CPU PROCESS +TIMESTAMP +NETNS/);
    expect(lines[2]).toBe('rc=141'); // 1.4 MB: far more than the pipe holds
  });

  it('the command of the issue, trace e1000-ping --format ftrace | head -2, prints no error', () => {
    const r = piped(`trace ${join(ROOT, 'examples/e1000-ping.sh')} --format ftrace`);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ +\S+-\d+ \[000\] /);
    expect(['rc=0', 'rc=141']).toContain(lines[2]); // 13 KB: it may all fit in the pipe before head exits
  });
});

describe('trace and drops', () => {
  it('a --netns or --dev that named nothing lists what existed', () => {
    expect(skbpath(['trace', PING_VETH, '--netns', 'nope'])).toMatchObject({
      status: 2,
      stderr: "skbpath: --netns nope: no namespace 'nope' existed; there were: init_net, a, b\n",
    });
    const d = skbpath(['drops', PING_VETH, '--netns', 'a', '--dev', 'eth9']);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/^skbpath: --dev eth9: no device 'eth9' existed in namespace 'a'; there were: lo, va\b/);
  });

  it('drops takes --reason, --netns, --dev and --filter', () => {
    const r = skbpath(['drops', UNRESOLVED, '--reason', 'neigh_failed']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('NEIGH_FAILED at neigh_invalidate');
    expect(r.stdout).not.toContain('QUEUE_PURGE');
    expect(r.stdout).toContain('\n1 drops\n');
    const lo = skbpath(['drops', UNRESOLVED, '--dev', 'lo', '--json']);
    const drops = lo.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string; dev: string });
    expect(drops.map((x) => x.reason)).toEqual(['QUEUE_PURGE']);
  });

  it('drops --filter and --netns select the drops of the packets they match', () => {
    const f = skbpath(['drops', UNRESOLVED, '--filter', 'dst host 10.0.0.3', '--netns', 'a']);
    expect(f.stdout).toContain('NEIGH_FAILED');
    expect(f.stdout).toContain('\n1 drops\n');
  });

  it('the pwru text has a TIMESTAMP column (virtual seconds)', () => {
    const t = skbpath(['trace', PING_VETH, '--filter', 'icmp[icmptype] == icmp-echo', '--netns', 'a']);
    const rows = t.stdout.split('\n');
    expect(rows[0]).toMatch(/^SKB {17}CPU PROCESS {9}TIMESTAMP {7}NETNS/);
    expect(rows[1]).toMatch(/^0x[0-9a-f]+ +0 +\[ping\] +0\.\d{6} +a /);
  });

  it('ftrace names tasks comm-PID as Linux does', () => {
    const f = skbpath(['trace', PING_VETH, '--format', 'ftrace']);
    const ping = f.stdout.split('\n').filter((l) => /^ +ping-/.test(l));
    expect(ping.length).toBeGreaterThan(0);
    for (const l of ping) expect(l).toMatch(/^ +ping-[1-9]\d* \[000\] \.\.\.\.\. +\d+\.\d{6}: /);
  });
});

describe('the progress line', () => {
  const flood = `ip netns add a\nip -n a link set lo up\nip netns exec a ping -f -q -c 3000 127.0.0.1\n`;
  const run = (env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-cmd-'));
    writeFileSync(join(dir, 'f.sh'), flood);
    return skbpath(['run', 'f.sh'], { cwd: dir, env: { SKBPATH_PROGRESS_AFTER_MS: '0', ...env } });
  };

  it('shows on a terminal (here a fake one) after the threshold, and is erased at the end', () => {
    const r = run({ SKBPATH_TEST_TTY: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('3000 packets transmitted, 3000 received');
    expect(r.stderr).toMatch(/^\rskbpath: t=\d+\.\d{6}s \d+ events \d+ packets\x1b\[K/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
  });

  it('stays away when stderr is not a terminal', () => {
    const quiet = run({});
    expect(quiet.stdout).toContain('3000 packets transmitted, 3000 received');
    expect(quiet.stderr).toBe('');
  });
});

describe('--workdir', () => {
  it("the scenario's files go to DIR, not to the current directory", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'skbpath-cwd-'));
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-wd-'));
    const r = skbpath(['run', join(ROOT, 'examples/tcp-exchange.sh'), '--workdir', dir], { cwd });
    expect(r.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['got.txt']);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a DIR that is missing or not a directory is one line, exit 2', () => {
    const r = skbpath(['run', PING_VETH, '--workdir', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('skbpath: --workdir nope: No such file or directory\n');
    const f = skbpath(['trace', PING_VETH, '--workdir', PING_VETH]);
    expect(f.status).toBe(2);
    expect(f.stderr).toBe(`skbpath: --workdir ${PING_VETH}: Not a directory\n`);
  });
});
