// More option forms ping (iputils, getopt), traceroute 2.1.2 (its own CLIF
// parser) and nc (OpenBSD, getopt) take or refuse, against what the real
// binaries printed on this machine in a fresh netns with only lo
// (acceptance-real.txt: the first line of stdout, stderr, exit status).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const REAL = readFileSync(new URL('acceptance-real.txt', import.meta.url).pathname, 'utf8');
const CASES = REAL.split(/^(?=\$ )/m).map((block) => ({ cmd: block.slice(2, block.indexOf('\n')), want: block }));

describe('option acceptance as the real ping, traceroute and nc', () => {
  it('every recorded command', () => {
    const body = CASES.map(
      (c) =>
        `echo '$ '${JSON.stringify(c.cmd)}\nip netns exec t ${c.cmd} > o.txt 2> e.txt\nrc=$?\nhead -1 o.txt\nif [ -s e.txt ]; then echo "[stderr]"; head -3 e.txt; fi\necho "[rc $rc]"\n`,
    ).join('');
    const got = runScenario(`ip netns add t\nip -n t link set lo up\n${body}`, new MemVfs()).transcript;
    const blocks = got.split(/^(?=\$ )/m).filter((b) => b.startsWith('$ '));
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i] as { cmd: string; want: string };
      expect(blocks[i], c.cmd).toBe(c.want);
    }
  });
});
