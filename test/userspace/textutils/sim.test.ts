// What the recorded comparison cannot check because it depends on the host:
// the virtual clock (date), the simulated host's name and kernel release,
// sudo as root, `sleep infinity`, the line for programs skbpath does not
// simulate, and grep's pathological pattern through the whole tool.
import { describe, expect, it } from 'vitest';
import { makeWorld, runShell, ScratchVfs } from '../../../src/machine/memworld.ts';
import { SimWorld } from '../../../src/machine/world.ts';
import { DEFAULT_BUDGET } from '../../../src/sim/sim.ts';
import { registerAll } from '../../../src/userspace/tools/index.ts';

function run(script: string): { stdout: string; stderr: string; status: number } {
  const w = makeWorld();
  registerAll(w.commands);
  const r = runShell(w, script);
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('text tools on the simulated host', () => {
  it('date reads the virtual clock, which starts at 2025-11-24 16:00:00 UTC', () => {
    const r = run('date; date -u +%s.%N; sleep 1.5; date +%s.%3N; date -d @0 +%F');
    expect(r.stdout).toBe('Mon Nov 24 16:00:00 UTC 2025\n1764000000.000000000\n1764000001.500\n1970-01-01\n');
  });

  it('hostname, uname and id describe a root shell on Linux 6.18', () => {
    const r = run('hostname; uname -r; uname -n; uname -a; id');
    expect(r.stdout).toBe(
      'skbpath\n6.18.26\nskbpath\nLinux skbpath 6.18.26 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\nuid=0(root) gid=0(root) groups=0(root)\n',
    );
  });

  it('sudo runs its command as root does', () => {
    const r = run("sudo id -u; X=1 sudo -E sh -c 'echo x=$X'; sudo Y=2 env | grep '^Y='; sudo nosuch; echo rc=$?");
    expect(r.stdout).toBe('0\nx=1\nY=2\nrc=1\n');
    expect(r.stderr).toBe('sudo: nosuch: command not found\n');
  });

  it('sleep infinity ends at the time budget (here: timeout)', () => {
    const r = run('timeout 2 sleep infinity; echo rc=$?');
    expect(r.stdout).toBe('rc=124\n');
  });

  it('names a Linux program skbpath does not simulate, and keeps bash text for other names', () => {
    const r = run('ncat 10.0.0.1 80; echo rc=$?; /usr/bin/curl x; echo rc=$?; nosuchthing; echo rc=$?');
    expect(r.stdout).toBe('rc=127\nrc=127\nrc=127\n');
    expect(r.stderr).toBe(
      'skbpath: ncat is not simulated; see README "Supported commands"\n' +
        'skbpath: curl is not simulated; see README "Supported commands"\n' +
        'script.sh: line 1: nosuchthing: command not found\n',
    );
  });

  it('sudo, env and xargs name an unsimulated program the same way', () => {
    const r = run('sudo ncat; echo rc=$?; env nc6x=1 tshark; echo rc=$?; echo x | xargs curl; echo rc=$?');
    expect(r.stdout).toBe('rc=127\nrc=127\nrc=127\n');
    expect(r.stderr).toBe(
      ['ncat', 'tshark', 'curl'].map((n) => `skbpath: ${n} is not simulated; see README "Supported commands"\n`).join(''),
    );
  });

  it("ip netns exec names an unsimulated program the same way, and keeps ip's text for other names", () => {
    const r = run('ip netns add a; ip netns exec a ncat -; echo rc=$?; ip netns exec a nosuchthing; echo rc=$?');
    expect(r.stdout).toBe('rc=127\nrc=1\n');
    expect(r.stderr).toBe(
      'skbpath: ncat is not simulated; see README "Supported commands"\nexec of "nosuchthing" failed: No such file or directory\n',
    );
  });

  it('command -v, type and which agree on where each program is, as on Debian 12', () => {
    // recorded with bash's command -v on the recording machine
    const want = '/usr/sbin/ip /usr/bin/ss /usr/bin/tcpdump /usr/bin/nstat /usr/bin/ping /usr/sbin/traceroute /usr/sbin/conntrack\n';
    const names = 'ip ss tcpdump nstat ping traceroute conntrack';
    expect(run(`echo $(for n in ${names}; do command -v $n; done)`).stdout).toBe(want);
    expect(run(`echo $(which ${names})`).stdout).toBe(want);
  });

  it('command -v and which find the text tools', () => {
    expect(run('command -v sed; which awk xargs').stdout).toBe('/usr/bin/sed\n/usr/bin/awk\n/usr/bin/xargs\n');
  });

  it("grep -E '^(a+)+b$' on 40 characters does not backtrack", () => {
    const r = run(`echo ${'a'.repeat(40)} | grep -E '^(a+)+b$'; echo rc=$?; echo ${'a'.repeat(40)}b | grep -cE '^(a+)+b$'`);
    expect(r.stdout).toBe('rc=1\n1\n');
  });

  it('an awk or sed loop that never reads input ends at the event budget', () => {
    for (const script of ["awk 'BEGIN { while (1) x++ }'", "echo x | sed ':a;s/x/x/;ta'"]) {
      const w = new SimWorld(new ScratchVfs(), { budget: { ...DEFAULT_BUDGET, maxEvents: 50_000 } });
      registerAll(w.commands);
      expect(() => runShell(w, script), script).toThrow(/event budget of 50000 events exhausted/);
    }
  });
});
