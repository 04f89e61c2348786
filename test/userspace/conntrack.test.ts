// conntrack 1.4.7 against what the real tool printed for the same command
// lines in a fresh network namespace (test/userspace/conntrack/real.txt,
// recorded from cmds.txt: "### CMD", stderr and stdout, "rc=N"): getopt_long
// forms, the protocol options merged after -p, and the error messages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerConntrack } from '../../src/userspace/tools/conntrack.ts';
import { run, twoHosts } from '../kernel/helpers.ts';

const dir = new URL('./conntrack/', import.meta.url);

describe('conntrack (conntrack-tools 1.4.7)', () => {
  it('option forms and messages as the real tool', () => {
    const { world, a } = twoHosts();
    registerConntrack(world.commands);
    let got = '';
    for (const c of readFileSync(new URL('cmds.txt', dir), 'utf8').split('\n').filter(Boolean)) {
      const r = run(world, a, ['conntrack', ...c.split(' ')]);
      got += `### ${c}\n${r.out}rc=${r.status}\n`;
    }
    expect(got.split('\n')).toEqual(readFileSync(new URL('real.txt', dir), 'utf8').split('\n'));
  });
});
