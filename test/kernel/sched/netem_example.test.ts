// examples/netem-tcp-loss.sh: netem loses some of what a sends, TCP retransmits
// it, and b gets every byte; the run is the seed's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/index.ts';

const SCRIPT = readFileSync(new URL('../../../examples/netem-tcp-loss.sh', import.meta.url), 'utf8');

function counter(transcript: string, name: string): number {
  const m = new RegExp(`^${name} +(\\d+)`, 'm').exec(transcript);
  if (!m) throw new Error(`${name} missing from:\n${transcript}`);
  return Number(m[1]);
}

describe('examples/netem-tcp-loss.sh', () => {
  const run = runScenario(SCRIPT, { seed: 1 });

  it('runs cleanly and the transfer completes', () => {
    expect(run.error).toBeNull();
    expect(run.exitCode).toBe(0);
    expect(run.transcript).toContain('108894 data.bin\n108894 got.bin\n');
    expect(run.transcript).toMatch(/^20000$/m);
  });

  it('netem dropped packets and TCP retransmitted them', () => {
    expect(run.transcript).toContain('qdisc netem 8001: root');
    expect(run.transcript).toContain('limit 1000 delay 10ms loss 5%');
    const dropped = /\(dropped (\d+),/.exec(run.transcript);
    expect(Number(dropped?.[1])).toBeGreaterThan(0);
    expect(counter(run.transcript, 'TcpRetransSegs')).toBeGreaterThan(0);
  });

  it('the drops are QDISC_DROP at __dev_queue_xmit, explained', () => {
    const drops = run.artifacts.events.filter((e) => e.kind === 'drop' && e.reason === 'QDISC_DROP');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops[0]?.why).toBe('netem lost it: random loss 5%');
  });

  it('is deterministic per seed, and the seed changes which packets are lost', () => {
    expect(runScenario(SCRIPT, { seed: 1 }).transcript).toBe(run.transcript);
    const others = [2, 3].map((seed) => runScenario(SCRIPT, { seed }).transcript);
    expect(others.some((t) => t !== run.transcript)).toBe(true);
  });
});
