// What a kernel keeps lives on its instances (Kernel, Net, NetDevice, Sock,
// SkBuff): a scenario run twice in one process, or interleaved with another,
// gives the same bytes every time — skb ids, socket cookies, NAPI ids, RPS and
// softnet state all start afresh with each World.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { pathJson } from '../../src/kernel/trace/path_json.ts';
import { tcp_hashinfo } from '../../src/kernel/ipv4/inet_hashtables.ts';
import { MemVfs } from '../../src/machine/world.ts';

const scenario = (n: string): string => readFileSync(new URL(`../oracle/scenarios/${n}.sh`, import.meta.url), 'utf8');
const example = (n: string): string => readFileSync(new URL(`../../examples/${n}.sh`, import.meta.url), 'utf8');

/** Two NICs hot-plugged with the machine's next PCI slots and MACs, shown by ip and ethtool. */
const NIC_PLUG = `ip netns add a
ip netns add b
skbpath-nic add eth0 netns a peer eth0 netns b
ip -n a link show eth0
ip -n b link show eth0
ip netns exec a ethtool -i eth0
ip netns exec b ethtool -i eth0
`;

interface Outcome {
  transcript: string;
  artifacts: [string, string][];
  path: string;
  cookies: number[];
}

function run(name: string, script = scenario(name)): Outcome {
  const r = runScenario(script, new MemVfs(), { seed: 1, artifacts: true, path: true });
  const artifacts = [...r.artifacts].map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : Buffer.from(v).toString('base64')]);
  const cookies: number[] = [];
  for (const net of r.world.kernel.nets) {
    const h = tcp_hashinfo(net);
    for (const sk of h.listeners) cookies.push(sk.cookie);
    for (const e of h.ehash.values()) cookies.push(e.cookie);
  }
  return {
    transcript: r.transcript,
    artifacts,
    path: r.world.kernel.path.events.map((e) => JSON.stringify(pathJson(e))).join('\n'),
    cookies,
  };
}

describe('a scenario run twice in one process gives the same bytes', () => {
  it('tcp-exchange, bridge-hosts, tcp-exchange again, bridge-hosts again', () => {
    const a1 = run('tcp-exchange');
    const b1 = run('bridge-hosts');
    const a2 = run('tcp-exchange');
    const b2 = run('bridge-hosts');
    expect(a1.path.length).toBeGreaterThan(0);
    expect(a1.cookies.length).toBeGreaterThan(0);
    expect(a2).toEqual(a1);
    expect(b2).toEqual(b1);
  });

  it('e1000 NICs: PCI slots, MACs, NAPI ids, RPS and softnet state start afresh', () => {
    const p1 = run('nic-plug', NIC_PLUG);
    const r1 = run('e1000-rps', example('e1000-rps'));
    const p2 = run('nic-plug', NIC_PLUG);
    const r2 = run('e1000-rps', example('e1000-rps'));
    expect(p1.transcript).toContain('bus-info: 0000:00:03.0');
    expect(p1.transcript).toContain('52:54:00:12:34:56');
    expect(p2).toEqual(p1);
    expect(r2).toEqual(r1);
  });
});
