// ss's filter language, -s, and its option parsing against what iproute2
// 6.1's ss printed on this machine for the same sockets in a fresh netns
// (recorded in filters-real.txt and summary-real.txt): a TCP listener on
// 127.0.0.1:7001, one connection to it from port 40000 and a UDP socket on
// 127.0.0.1:7002.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';

const dir = new URL('.', import.meta.url).pathname;
const REAL = readFileSync(`${dir}filters-real.txt`, 'utf8') + readFileSync(`${dir}families-real.txt`, 'utf8');
// The host's TCP alloc counter is global (one more socket outside the netns
// was counted); the simulated kernel counts the namespace's own.
const SUMMARY = readFileSync(`${dir}summary-real.txt`, 'utf8').replace('TCP:   4 (estab 2, closed 1,', 'TCP:   3 (estab 2, closed 0,');

const SETUP = `ip netns add t
ip -n t link set lo up
ip netns exec t nc -l 127.0.0.1 7001 > /dev/null &
sleep 0.3
sleep 30 | ip netns exec t nc -p 40000 127.0.0.1 7001 > /dev/null &
sleep 0.5
ip netns exec t nc -ul 127.0.0.1 7002 > /dev/null &
sleep 0.3
`;

/** The commands of the recording, each as the recording script ran it. */
const CASES = REAL.split(/^(?=\$ )/m).map((block) => {
  const nl = block.indexOf('\n');
  return { cmd: block.slice(2, nl), want: block };
});

function sim(cmds: string[]): string {
  const body = cmds
    .map(
      (c) =>
        `echo '$ '${JSON.stringify(c)}\nip netns exec t ${c} > o.txt 2> e.txt\nrc=$?\ncat o.txt\nif [ -s e.txt ]; then echo "[stderr]"; head -3 e.txt; fi\necho "[rc $rc]"\n`,
    )
    .join('');
  return runScenario(`${SETUP}${body}kill %1 %2 %3 2>/dev/null\n`, new MemVfs()).transcript;
}

describe('ss filters (recorded on Linux, iproute2 6.1)', () => {
  it('every recorded command prints what the real ss printed', () => {
    const got = sim(CASES.map((c) => c.cmd));
    const blocks = got.split(/^(?=\$ )/m).filter((b) => b.startsWith('$ '));
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i] as { cmd: string; want: string };
      const want = c.cmd === 'ss --sum' ? c.want.replace(/Total:[\s\S]*?\n\n(?=\[rc)/, SUMMARY) : c.want;
      expect(blocks[i], c.cmd).toBe(want);
    }
  });

  it('-s prints the summary of sockstat', () => {
    const got = sim(['ss -s']);
    expect(got.slice(got.indexOf('Total:'), got.indexOf('[rc'))).toBe(SUMMARY);
  });

  it('-o shows the time-wait timer as ss prints it (recorded: nc -N from port 41000, ss 0.3 s later)', () => {
    const t = runScenario(
      `ip netns add t
ip -n t link set lo up
ip netns exec t nc -l 127.0.0.1 7010 > /dev/null &
sleep 0.3
echo hi | ip netns exec t nc -N -p 41000 127.0.0.1 7010
sleep 0.3
ip netns exec t ss -tanp state time-wait -o
`,
      new MemVfs(),
    ).transcript;
    expect(t).toBe(readFileSync(`${dir}timewait-o-real.txt`, 'utf8'));
  });

  it('-m prints skmem on its own line (tb masked: Linux grew sndbuf by tcp_sndbuf_expand, not simulated)', () => {
    const got = sim(['ss -tnm sport = :7001']);
    const mask = (x: string): string => x.replace(/tb\d+/, 'tbN');
    expect(mask(got.slice(got.indexOf('State'), got.indexOf('[rc')))).toBe(mask(readFileSync(`${dir}skmem-m-real.txt`, 'utf8')));
  });
});
