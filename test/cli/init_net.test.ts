// The initial namespace in the artifacts (issue 25): a scenario that uses the
// host namespace gets its pcap, nstat, links and iptables as `init_net`, and
// the web view lists its captures; one that does not (every oracle scenario)
// gets no init_net files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { runForUi } from '../../src/ui/engine.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

const HOST = `ip netns add b
ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 netns b address 02:00:00:00:00:02
ip addr add 10.9.0.1/24 dev v0
ip link set v0 up
ip -n b addr add 10.9.0.2/24 dev v1
ip -n b link set v1 up
iptables -A OUTPUT -p icmp -j ACCEPT
# @traffic
ping -c 1 10.9.0.2
`;

describe('the initial namespace in the artifacts', () => {
  it('is covered as init_net when the scenario used it', () => {
    const res = runScenario(HOST, new MemVfs(), { artifacts: true });
    expect(res.transcript).toContain('1 packets transmitted, 1 received');
    const names = [...res.artifacts.keys()].filter((k) => k.includes('init_net')).sort();
    expect(names).toEqual(['iptables/init_net.txt', 'links/init_net.txt', 'nstat/init_net.txt', 'pcap/init_net/v0.pcap']);
    expect(res.artifacts.get('nstat/init_net.txt')).toMatch(/^IcmpInEchoReps +1 /m);
    expect(res.artifacts.get('iptables/init_net.txt')).toContain('-A OUTPUT -p icmp -j ACCEPT');
    // the capture holds the echo request and its reply (plus ARP)
    expect((res.artifacts.get('pcap/init_net/v0.pcap') as Uint8Array).byteLength).toBeGreaterThan(24 + 2 * (16 + 98));
  });

  it('the web view lists init_net with its capture', () => {
    const ui = runForUi(HOST);
    expect(ui.netns.map((n) => n.name)).toEqual(['init_net', 'b']);
    expect(ui.pcaps.filter((p) => p.ns === 'init_net').map((p) => p.dev)).toEqual(['v0']);
  });

  it('is left out when the scenario never used it, as in the oracle', () => {
    const script = readFileSync(join(ROOT, 'examples/ping-veth.sh'), 'utf8');
    const res = runScenario(script, new MemVfs(), { artifacts: true });
    expect([...res.artifacts.keys()].filter((k) => k.includes('init_net'))).toEqual([]);
  });
});
