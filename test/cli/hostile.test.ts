// Hostile scenarios (issue 11): each limit stops a run with a clear message on
// stderr and exit status 124, never a hang; what Linux bounds by itself stays
// bounded without a budget; a script cannot reach host files or programs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainSockets, injectFrame, makeTarget } from '../../bench/fuzz-target.ts';
import { runScenario } from '../../src/machine/run.ts';
import { type Budget, DEFAULT_BUDGET } from '../../src/sim/sim.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { LINUX_ENDS } from './linux_ends.cases.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/cli/main.ts');
const MiB = 1024 * 1024;

const TWO_HOSTS = `ip netns add a
ip netns add b
for n in a b; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
for n in a b; do ip -n $n link set lo up; done
ip -n a link set va up
ip -n b link set vb up
`;

function run(script: string, budget: Partial<Budget>): ReturnType<typeof runScenario> {
  return runScenario(script, new MemVfs(), { budget: { maxEvents: 20_000_000, maxVirtualNs: 3600e9, ...budget } });
}

/** skbpath run as a person runs it: stdout, stderr, exit status. */
function cli(dir: string, script: string): { stdout: string; stderr: string; status: number | null } {
  writeFileSync(join(dir, 's.sh'), script);
  const r = spawnSync(TSX, [MAIN, 'run', 's.sh'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('limits stop hostile scenarios with a message and exit status 124', () => {
  it('an endless shell loop: the event budget', () => {
    const r = run('while :; do :; done\necho never\n', { maxEvents: 20_000 });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(/^skbpath: event budget of 20000 events exhausted at t=\S+s: no packets moved; a process never blocked$/);
    expect(r.transcript).not.toContain('never\n');
  });

  it('a script that sleeps forever: the virtual time budget', () => {
    const r = run('while :; do sleep 10; done\n', { maxVirtualNs: 60e9 });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toBe('skbpath: virtual time budget of 60 s exhausted');
  });

  it('a fork flood: the process budget', () => {
    const r = run(':(){ :|:& };:\nwait\n', { maxTasks: 300 });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(
      /^skbpath: process budget of 300 processes exhausted at t=\S+s: too many processes alive at once \(a fork flood\?\)$/,
    );
  });

  it('a broadcast storm through a bridge loop: the event budget names the loop', () => {
    const script = readFileSync(join(ROOT, 'test/userspace/bridge/loop.sh'), 'utf8');
    const r = run(script, { maxEvents: 50_000 });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(
      /^skbpath: event budget of 50000 events exhausted at t=\S+s: packets kept arriving on a\/br0 .*a bridge loop: frames go round a\/br0 /,
    );
  });

  const LOOP = `ip netns add a
ip netns add r1
ip netns add r2
ip link add va netns a type veth peer name ra netns r1
ip link add x1 netns r1 type veth peer name x2 netns r2
ip -n a addr add 10.0.1.10/24 dev va
ip -n r1 addr add 10.0.1.1/24 dev ra
ip -n r1 addr add 10.0.12.1/24 dev x1
ip -n r2 addr add 10.0.12.2/24 dev x2
ip -n a link set va up
ip -n r1 link set ra up
ip -n r1 link set x1 up
ip -n r2 link set x2 up
ip -n a route add default via 10.0.1.1
ip -n r1 route add 10.0.9.0/24 via 10.0.12.2
ip -n r2 route add 10.0.9.0/24 via 10.0.12.1
ip -n r2 route add 10.0.1.0/24 via 10.0.12.1
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
`;

  it('a routing loop: TTL ends each packet as on Linux; a flood into it ends at the event budget, naming the loop', () => {
    const one = run(`${LOOP}ip netns exec a ping -c 1 -W 1 -t 255 10.0.9.1; echo rc=$?\n`, {});
    expect(one.exitStatus).toBe(0);
    expect(one.transcript).toContain('Time to live exceeded');
    const flood = run(`${LOOP}ip netns exec a ping -f -t 255 10.0.9.1\n`, { maxEvents: 200_000 });
    expect(flood.exitStatus).toBe(124);
    expect(flood.error).toMatch(
      /^skbpath: event budget of 200000 events exhausted at t=\S+s: packets kept arriving on r(1\/x1|2\/x2) \(\d+ received\), r(1\/x1|2\/x2) /,
    );
  });

  it('memory: a file that never stops growing', () => {
    const r = run('while :; do echo 0123456789abcdef >> big.txt; done\n', { maxMemoryBytes: 2 * MiB });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(/^skbpath: memory budget of 2 MiB exhausted at t=\S+s: files 2\.0 MiB \(largest big\.txt\)$/);
  });

  it('memory: a shell variable that doubles, an array that grows, a command substitution that never ends', () => {
    expect(run('x=a; while :; do x=$x$x; done\n', { maxMemoryBytes: 2 * MiB }).error).toMatch(
      /memory budget of 2 MiB exhausted .*: shell variables \d\.\d MiB$/,
    );
    expect(run('a=(); while :; do a+=(0123456789abcdef); done\n', { maxMemoryBytes: MiB }).error).toMatch(/: shell variables 1\.0 MiB$/);
    expect(run('x=$(while :; do echo 0123456789abcdef; done)\n', { maxMemoryBytes: MiB }).error).toMatch(
      /: command substitutions 1024 KiB$/,
    );
  });

  it('memory: a pipe nobody reads (a writer Linux would block at 64 KiB)', () => {
    const r = run('while :; do echo 0123456789abcdef; done | sleep 1000\n', { maxMemoryBytes: MiB });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(/: pipes (1\.0 MiB|1024 KiB)$/);
  });

  it('memory: a capture of a flood (the savefile tcpdump -w keeps, then writes)', () => {
    const r = run(
      `${TWO_HOSTS}# @traffic\nip netns exec b tcpdump -i vb -w flood.pcap &\nsleep 1\nip netns exec a ping -f -c 100000 10.0.0.2\n`,
      { maxMemoryBytes: MiB },
    );
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(
      /^skbpath: memory budget of 1 MiB exhausted at t=\S+s: (captures 1024 KiB|files 1\.0 MiB \(largest flood\.pcap\))/,
    );
  });

  it('memory: the tracepoints kept for trace.txt (a flood in the traffic window)', () => {
    const r = runScenario(`${TWO_HOSTS}# @traffic\nip netns exec a ping -f -c 100000 10.0.0.2\n`, new MemVfs(), {
      artifacts: true,
      budget: { ...DEFAULT_BUDGET, maxMemoryBytes: MiB },
    });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(/^skbpath: memory budget of 1 MiB exhausted at t=\S+s: tracepoints \d+/);
  });

  it('memory that is given back is not held against a run', () => {
    const r = run('for i in $(seq 1 2000); do x=$(printf "%01000d" 0); y=$x; unset y; done; echo done\n', { maxMemoryBytes: MiB });
    expect(r.error).toBeNull();
    expect(r.transcript).toBe('done\n');
    expect(r.world.sim.mem.used).toBeLessThan(4096);
  });

  it('the command line prints the message on stderr and exits 124', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-hostile-'));
    const r = cli(dir, 'echo start\nx=a; while :; do x=$x$x; done\n');
    expect(r.status).toBe(124);
    expect(r.stdout).toMatch(/^start\n/);
    expect(r.stderr).toMatch(
      /^skbpath: memory budget of 256 MiB exhausted at t=\S+s: shell variables \d+\.\d MiB(, one value grew past the engine limit)?\n$/,
    );
  }, 120_000);
});

describe('what Linux bounds stays bounded without a budget', () => {
  it('a UDP socket nobody reads holds at most sk_rcvbuf; the rest is UdpRcvbufErrors', () => {
    const t = makeTarget(1);
    const f = new Uint8Array(14 + 20 + 8 + 1000);
    f.set([
      2,
      0,
      0,
      0,
      0,
      0x0b,
      2,
      0,
      0,
      0,
      0,
      0x0a,
      8,
      0,
      0x45,
      0,
      (1028 >> 8) & 0xff,
      1028 & 0xff,
      0,
      1,
      0,
      0,
      64,
      17,
      0,
      0,
      10,
      0,
      0,
      1,
      10,
      0,
      0,
      2,
    ]);
    let s = 0;
    for (let i = 14; i < 34; i += 2) s += ((f[i] as number) << 8) | (f[i + 1] as number);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    f[24] = (~s >> 8) & 0xff;
    f[25] = ~s & 0xff;
    f.set([0x9c, 0x40, 0, 9, (1008 >> 8) & 0xff, 1008 & 0xff, 0, 0], 34);
    for (let i = 0; i < 20_000; i++) injectFrame(t, f);
    const held = t.udp.rcvQueue.reduce((n, skb) => n + skb.truesize(), 0);
    expect(held).toBeLessThanOrEqual(t.udp.rcvbuf + 2048);
    expect(t.b.mib.get('UdpRcvbufErrors')).toBeGreaterThan(19_000);
    expect(t.world.sim.mem.used).toBe(0);
    drainSockets(t);
    expect(t.udp.rcvQueue.length).toBe(0);
  });
});

describe('the sandbox: the working directory only, no host programs', () => {
  it('absolute paths, .., symbolic links out of the directory and host programs are refused', () => {
    const outside = mkdtempSync(join(tmpdir(), 'skbpath-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'secret\n');
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-sandbox-'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    symlinkSync(outside, join(dir, 'linkdir'));
    symlinkSync(join(outside, 'dangling.txt'), join(dir, 'dangling.txt'));
    const r = cli(
      dir,
      [
        'cat link.txt; echo rc=$?',
        'echo x > linkdir/new.txt; echo rc=$?',
        'echo x > dangling.txt; echo rc=$?',
        'cat linkdir/secret.txt; echo rc=$?',
        'echo x > ../up.txt; echo rc=$?',
        `cat ${join(outside, 'secret.txt')}; echo rc=$?`,
        '. /etc/passwd; echo rc=$?',
        'x=$(< /etc/hostname); echo "rc=$? [$x]"',
        '/usr/bin/python3 -c 1; echo rc=$?',
        'python3 -c 1; echo rc=$?',
        'echo ok > sub/in.txt; cat sub/../sub/in.txt',
      ].join('\n') + '\n',
    );
    expect(existsSync(join(outside, 'new.txt'))).toBe(false);
    expect(existsSync(join(outside, 'dangling.txt'))).toBe(false);
    expect(existsSync(join(dir, '..', 'up.txt'))).toBe(false);
    expect(r.stdout.split('\n')).not.toContain('secret');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('rc='))).toEqual([
      'rc=1',
      'rc=1',
      'rc=1',
      'rc=1',
      'rc=1',
      'rc=1',
      'rc=1',
      'rc=1 []',
      'rc=127',
      'rc=127',
    ]);
    expect(r.stdout.endsWith('ok\n')).toBe(true);
    expect(readFileSync(join(dir, 'sub/in.txt'), 'utf8')).toBe('ok\n');
  }, 120_000);
});

/** skbpath run with options; SKBPATH_DEBUG as given. */
function cliWith(dir: string, script: string, args: string[], env: Record<string, string> = {}): ReturnType<typeof cli> {
  writeFileSync(join(dir, 's.sh'), script);
  const r = spawnSync(TSX, [MAIN, 'run', 's.sh', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SKBPATH_DEBUG: '', ...env },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const LO = 'ip netns add a\nip -n a link set lo up\n';

describe('issue 24: errors are never swallowed', () => {
  it('a budget reached inside a command ends the run, not the command with status 0', () => {
    const r = run('seq 1 100000 > a; cat a a a a a a a a > b; echo rc=$?; wc -c b\n', { maxMemoryBytes: 2 * MiB });
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(/^skbpath: memory budget of 2 MiB exhausted at t=\S+s: files \d\.\d MiB \(largest b\)$/);
    expect(r.transcript).toBe(`${r.error}\n`);
  });

  class BrokenVfs extends MemVfs {
    override readFile(path: string): ReturnType<MemVfs['readFile']> {
      if (path === 'broken') throw new TypeError('disk on fire');
      return super.readFile(path);
    }
  }
  const REPORT =
    'skbpath: this is a bug in skbpath, not in the script; please report it with the script that shows it (SKBPATH_DEBUG=1 adds where it happened)';

  it('an exception inside a program is an internal error named after it: exit 70, the rest of the script not run', () => {
    const r = runScenario('echo before\ncat broken | wc -l\necho after\n', new BrokenVfs());
    expect(r.exitStatus).toBe(70);
    expect(r.error).toBe(`skbpath: internal error in cat: disk on fire\n${REPORT}`);
    expect(r.transcript).toBe(`before\n${r.error}\n`);
    expect(r.error).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('with debug on, the internal error carries the stack', () => {
    const r = runScenario('cat broken\n', new BrokenVfs(), { debug: true });
    expect(r.exitStatus).toBe(70);
    expect(r.error).toMatch(/^skbpath: internal error in cat: disk on fire\n.*\nTypeError: disk on fire\n\s+at /);
  });
});

describe('issue 24: preemption — timeout, kill and signals reach a task that never blocks', () => {
  it('timeout ends a busy shell loop after its virtual time, status 124', () => {
    const r = run("timeout 0.5 bash -c 'while :; do :; done'; echo rc=$?\n", {});
    expect(r.transcript).toBe('rc=124\n');
    expect(r.error).toBeNull();
    // the loop ran 0.5 s of virtual CPU (plus the 0.5 s the recorder waits after the traffic)
    expect(r.world.sim.now).toBeGreaterThanOrEqual(1e9);
    expect(r.world.sim.now).toBeLessThan(1.01e9);
  });

  it('timeout ends a ping flood on loopback that never blocks', () => {
    const r = run(`${LO}ip netns exec a timeout 0.2 ping -q -i 0 127.0.0.1 > /dev/null; echo rc=$?\n`, {});
    expect(r.transcript).toBe('rc=124\n');
    expect(r.world.sim.now).toBeLessThan(0.75e9);
  });

  it('kill wakes the shell waiting on a flood in the background', () => {
    const r = run(`${LO}ip netns exec a ping -q -i 0 127.0.0.1 > /dev/null &\nsleep 0.1\nkill $!\nwait $!\necho rc=$?\n`, {});
    expect(r.transcript).toBe('rc=143\n');
    expect(r.world.sim.now).toBeLessThan(0.65e9);
  });

  it('timeout -s INT: ping prints its statistics as on SIGINT', () => {
    const r = run(`${LO}ip netns exec a timeout -s INT 0.1 ping -q -i 0 127.0.0.1; echo rc=$?\n`, {});
    expect(r.transcript).toMatch(
      /--- 127\.0\.0\.1 ping statistics ---\n\d+ packets transmitted, \d+ received, 0% packet loss, time 10\dms\n/,
    );
    expect(r.transcript).toMatch(/\nrc=124\n$/);
  });

  it('an endless loop stops at the CPU budget, quickly, with its message once', () => {
    const t0 = performance.now();
    const r = run('while :; do :; done\necho never\n', { maxBusyNs: 0.2e9 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.exitStatus).toBe(124);
    expect(r.error).toBe(
      'skbpath: CPU budget of 0.2 s exhausted at t=0.200000s: bash (pid 1001) ran that long without blocking (an endless loop?)',
    );
    expect(r.transcript).toBe(`${r.error}\n`);
  });
});

describe('issue 24: a run where every process waits forever ends with a report, exit 124', () => {
  it('a listener nobody connects to, and `wait`', () => {
    const r = run('ip netns add a\nip netns exec a nc -l -p 80 &\nwait\necho rc=$?\n', {});
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(
      /^skbpath: deadlock at t=\S+s: every process is blocked and no timer is pending: .*bash \(pid \d+\) waits for pid (\d+) \(nc\); nc \(pid \1\) waits in poll\(\) for a socket$/,
    );
    expect(r.transcript).toBe(`${r.error}\n`);
  });

  it('sleep infinity', () => {
    const r = run('echo start\nsleep infinity\necho rc=$?\n', {});
    expect(r.exitStatus).toBe(124);
    expect(r.error).toMatch(/; sleep \(pid \d+\) waits for nothing \(sleep infinity\)$/);
    expect(r.transcript).toBe(`start\n${r.error}\n`);
  });

  it('not where Linux ends too (recorded: linux_ends.record.ts)', () => {
    const recorded = JSON.parse(readFileSync(join(ROOT, 'test/cli/fixtures/linux_ends.recorded.json'), 'utf8')) as {
      script: string;
      output: string;
      status: number;
    }[];
    expect(recorded.map((r) => r.script)).toEqual(LINUX_ENDS);
    for (const rec of recorded) {
      // as recorded: bash -c in a fresh namespace with lo up
      const r = run(`ip link set lo up\n${rec.script}`, {});
      expect(r.error).toBeNull();
      expect({ output: r.transcript, status: r.exitStatus }).toEqual({ output: rec.output, status: rec.status });
    }
  });

  it('the command line: the report once, on stderr, exit 124', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-hostile-'));
    const r = cliWith(dir, 'echo start\nsleep infinity\necho never\n', []);
    expect(r.status).toBe(124);
    expect(r.stdout).toBe('start\n');
    expect(r.stderr).toMatch(/^skbpath: deadlock at t=0\.000000s: every process is blocked and no timer is pending: .*\n$/);
  }, 60_000);
});

describe("issue 24: the real process's wall clock and memory", () => {
  it('--max-wall stops a run that takes longer, exit 124', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-hostile-'));
    const r = cliWith(dir, 'echo start\nwhile :; do :; done\n', ['--max-wall', '0.5']);
    expect(r.status).toBe(124);
    expect(r.stdout).toBe('start\n');
    expect(r.stderr).toMatch(/^skbpath: wall-clock budget of 0\.500 s exhausted at t=\d+\.\d{6}s\n$/);
  }, 60_000);

  it('--max-memory stops a run whose RSS passes it, exit 124', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-hostile-'));
    const r = cliWith(dir, 'while :; do sleep 1; done\n', ['--max-memory', '16M']);
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/^skbpath: process memory budget of 16 MiB exhausted at t=\S+s: skbpath's resident set is \d+ MiB\n$/);
  }, 60_000);

  it('a bad value is a usage error (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-hostile-'));
    const r = cliWith(dir, 'true\n', ['--max-memory', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('skbpath: --max-memory needs a size such as 512M or 2G\n');
  }, 60_000);
});
