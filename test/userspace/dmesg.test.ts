// util-linux dmesg over the simulated kernel log: formats, level filters,
// clearing, and the errors the real binary prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerDmesg } from '../../src/userspace/tools/dmesg.ts';
import { run, twoHosts } from '../kernel/helpers.ts';

function world() {
  const h = twoHosts();
  registerDmesg(h.world.commands);
  h.world.sim.clock.now = 1_234_567_891;
  h.world.kernel.kmsg.printk(4, 'ping in: IN=vb OUT= SRC=10.0.0.1\n');
  h.world.kernel.kmsg.printk(7, 'IN=vb OUT= PROTO=TCP');
  return h;
}

describe('dmesg', () => {
  it('prints each record with its time since boot, raw levels, decoded levels', () => {
    const { world: w, a } = world();
    expect(run(w, a, ['dmesg']).out).toBe('[    1.234567] ping in: IN=vb OUT= SRC=10.0.0.1\n[    1.234567] IN=vb OUT= PROTO=TCP\n');
    expect(run(w, a, ['dmesg', '-t']).out).toBe('ping in: IN=vb OUT= SRC=10.0.0.1\nIN=vb OUT= PROTO=TCP\n');
    expect(run(w, a, ['dmesg', '-r']).out).toBe(
      '<4>[    1.234567] ping in: IN=vb OUT= SRC=10.0.0.1\n<7>[    1.234567] IN=vb OUT= PROTO=TCP\n',
    );
    expect(run(w, a, ['dmesg', '-x', '-t']).out).toBe(
      'kern  :warn  : ping in: IN=vb OUT= SRC=10.0.0.1\nkern  :debug : IN=vb OUT= PROTO=TCP\n',
    );
    expect(run(w, a, ['dmesg', '-t', '-l', 'debug']).out).toBe('IN=vb OUT= PROTO=TCP\n');
    expect(run(w, a, ['dmesg', '-t', '--level=warn,err']).out).toBe('ping in: IN=vb OUT= SRC=10.0.0.1\n');
  });

  it('is one buffer for every namespace; -c reads then clears, -C clears', () => {
    const { world: w, a, b } = world();
    expect(run(w, b, ['dmesg', '-c', '-t']).out).toBe('ping in: IN=vb OUT= SRC=10.0.0.1\nIN=vb OUT= PROTO=TCP\n');
    expect(run(w, a, ['dmesg']).out).toBe('');
    w.kernel.kmsg.printk(6, 'later');
    expect(run(w, a, ['dmesg', '-C'])).toEqual({ status: 0, out: '' });
    expect(run(w, a, ['dmesg']).out).toBe('');
  });

  it('bad options: the real messages and exit code 1', () => {
    const { world: w, a } = world();
    expect(run(w, a, ['dmesg', '-q'])).toEqual({
      status: 1,
      out: "dmesg: invalid option -- 'q'\nTry 'dmesg --help' for more information.\n",
    });
    expect(run(w, a, ['dmesg', '--foo'])).toEqual({
      status: 1,
      out: "dmesg: unrecognized option '--foo'\nTry 'dmesg --help' for more information.\n",
    });
    expect(run(w, a, ['dmesg', '-l', 'bogus'])).toEqual({ status: 1, out: "dmesg: unknown level 'bogus'\n" });
  });

  it('getopt_long forms: attached values, --opt=value, abbreviations, and the errors util-linux dmesg printed (dmesg/real-errors.txt)', () => {
    const { world: w, a } = world();
    expect(run(w, a, ['dmesg', '-tldebug']).out).toBe('IN=vb OUT= PROTO=TCP\n');
    expect(run(w, a, ['dmesg', '--not', '--lev', 'warn']).out).toBe('ping in: IN=vb OUT= SRC=10.0.0.1\n');
    const dir = new URL('./dmesg/', import.meta.url);
    let got = '';
    for (const c of readFileSync(new URL('cmds-errors.txt', dir), 'utf8').split('\n').filter(Boolean)) {
      const r = run(w, a, ['dmesg', ...c.split(' ')]);
      got += `### ${c}\n${r.out}rc=${r.status}\n`;
    }
    expect(got).toBe(readFileSync(new URL('real-errors.txt', dir), 'utf8'));
  });
});
