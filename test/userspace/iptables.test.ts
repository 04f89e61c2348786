// iptables 1.8.9 (nf_tables) against what the real tool printed for the same
// commands in a fresh network namespace (test/userspace/iptables/real.txt,
// recorded from cmds.txt: "### CMD", its output, "rc=N"; then iptables-save -c).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerIptables } from '../../src/userspace/tools/iptables/index.ts';
import { run, twoHosts } from '../kernel/helpers.ts';

const dir = new URL('./iptables/', import.meta.url);

/** Splits a command line as the shell does for these lines (quotes, no escapes). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

describe('iptables (1.8.9 nf_tables)', () => {
  /**
   * Runs each line of `cmds` as an iptables command in a fresh namespace, as the
   * real tool was run to record `real` ("### CMD", its output, "rc=N"), with
   * iptables-save -c at the end when `save`.
   */
  function replay(cmds: string, real: string, save: boolean): void {
    const { world, a } = twoHosts();
    registerIptables(world.commands);
    let got = '';
    for (const c of readFileSync(new URL(cmds, dir), 'utf8').split('\n').filter(Boolean)) {
      const r = run(world, a, ['iptables', ...words(c)]);
      got += `### ${c}\n${r.out}rc=${r.status}\n`;
    }
    if (save) got += `### save\n${run(world, a, ['iptables-save', '-c']).out.replace(/^#.*\n/gm, '')}`;
    expect(got.split('\n')).toEqual(readFileSync(new URL(real, dir), 'utf8').split('\n'));
  }

  it('replays the recorded session', () => replay('cmds.txt', 'real.txt', true));

  it('bad input: messages and exit codes, then what the good rules look like', () => replay('cmds-errors.txt', 'real-errors.txt', false));

  it('nat, conntrack and mangle targets and matches: messages, exit codes, listings and iptables-save as Linux', () =>
    replay('cmds-nat.txt', 'real-nat.txt', true));

  it('getopt_long forms (attached, abbreviated, --opt=value), the address rules of -s, iprange, conntrack and NAT, option errors', () =>
    replay('cmds-getopt.txt', 'real-getopt.txt', true));

  it('each option once, the options that exclude each other, tcp\'s own "Only one" messages (iptables/real-once.txt)', () =>
    replay('cmds-once.txt', 'real-once.txt', false));

  it('iptables-save and iptables-restore options as the real ones (iptables/real-save.txt)', () => {
    const { world, a } = twoHosts();
    registerIptables(world.commands);
    let got = '';
    for (const c of readFileSync(new URL('cmds-save.txt', dir), 'utf8').split('\n').filter(Boolean)) {
      const r = run(world, a, c.split(' '));
      got += `### ${c}\n${r.out.replace(/^#.*\n/gm, '')}rc=${r.status}\n`;
    }
    expect(got).toBe(readFileSync(new URL('real-save.txt', dir), 'utf8'));
  });

  it('a target the kernel refuses leaves its pr_info line in the kernel log (as dmesg showed on Linux 6.18)', () => {
    const { world, a } = twoHosts();
    registerIptables(world.commands);
    const cmds = [
      ['-A', 'INPUT', '-j', 'DNAT', '--to-destination', '10.0.0.5'],
      ['-A', 'INPUT', '-j', 'MASQUERADE'],
      ['-A', 'INPUT', '-j', 'CT', '--notrack'],
      ['-t', 'nat', '-A', 'POSTROUTING', '-j', 'DNAT', '--to-destination', '10.0.0.5'],
      ['-t', 'nat', '-A', 'PREROUTING', '-j', 'SNAT', '--to-source', '10.0.0.5'],
      ['-t', 'nat', '-A', 'PREROUTING', '-j', 'REJECT'],
      ['-A', 'INPUT', '-j', 'REJECT', '--reject-with', 'tcp-reset'],
      ['-t', 'mangle', '-A', 'PREROUTING', '-j', 'REJECT'],
      ['-t', 'nat', '-A', 'POSTROUTING', '-j', 'REDIRECT'],
      ['-A', 'INPUT', '-m', 'tcp', '-j', 'ACCEPT'],
      ['-A', 'INPUT', '-m', 'udp', '-j', 'ACCEPT'],
    ];
    for (const c of cmds) expect(run(world, a, ['iptables', ...c]).status).toBe(4);
    expect(world.kernel.kmsg.read().map((r) => `${r.level} ${r.text}`)).toEqual([
      '6 x_tables: ip_tables: DNAT target: only valid in nat table, not filter',
      '6 x_tables: ip_tables: MASQUERADE target: only valid in nat table, not filter',
      '6 x_tables: ip_tables: CT target: only valid in raw table, not filter',
      '6 x_tables: ip_tables: DNAT target: used from hooks POSTROUTING, but only usable from PREROUTING/OUTPUT',
      '6 x_tables: ip_tables: SNAT target: used from hooks PREROUTING, but only usable from INPUT/POSTROUTING',
      '6 x_tables: ip_tables: REJECT target: only valid in filter table, not nat',
      '6 ipt_REJECT: TCP_RESET invalid for non-tcp',
      '6 x_tables: ip_tables: REJECT target: only valid in filter table, not mangle',
      '6 x_tables: ip_tables: REDIRECT target: used from hooks POSTROUTING, but only usable from PREROUTING/OUTPUT',
      '6 x_tables: ip_tables: tcp match: only valid for protocol 6',
      '6 x_tables: ip_tables: udp match: only valid for protocol 17',
    ]);
  });

  it('iptables-restore loads what iptables-save wrote, counters included', () => {
    const { world, a, b } = twoHosts();
    registerIptables(world.commands);
    run(world, a, ['iptables', '-N', 'web']);
    run(world, a, ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '80', '-c', '3', '180', '-j', 'web']);
    run(world, a, ['iptables', '-A', 'web', '-m', 'comment', '--comment', 'a "quoted" one', '-j', 'ACCEPT']);
    run(world, a, ['iptables', '-P', 'FORWARD', 'DROP']);
    const saved = run(world, a, ['iptables-save', '-c']).out;
    const cmd = world.commands.get('iptables-restore');
    if (!cmd) throw new Error('no iptables-restore');
    let err = '';
    const ctx = {
      world,
      argv: ['iptables-restore', '-c'],
      stdin: {
        *read(): Generator<never, string | null, unknown> {
          const s = this.done ? null : saved;
          this.done = true;
          return s;
        },
        done: false,
      },
      stdout: { write: (s: string) => void (err += s) },
      stderr: { write: (s: string) => void (err += s) },
      net: b,
      env: new Map(),
      exec: () => null,
    };
    const t = world.sim.sched.spawn('iptables-restore', cmd(ctx));
    world.sim.runTask(t);
    expect(err).toBe('');
    expect(t.exitStatus).toBe(0);
    expect(run(world, b, ['iptables-save', '-c']).out).toBe(saved);
  });
});
