// tbf_dequeue() and the watchdog as sch_tbf.c runs them, in simulated time:
// 1mbit is 125000 bytes/s (8 µs a byte), so a 1000-byte frame costs 8 ms of
// tokens and a 2000-byte burst holds two of them.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';

const SETUP = `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev va
ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev vb
`;

function run(script: string): string {
  return runScenario(`${SETUP}${script}`, new MemVfs(), { seed: 1 }).transcript;
}

describe('tbf in simulated time', () => {
  it('holds the third frame until the bucket has its 8 ms of tokens again', () => {
    // ping -s 958: 1000-byte frames 1 ms apart. Tokens: 16 ms → 8 → 8+1-8 = 1 → 1+1-8 = -6:
    // the third waits 6 ms for the watchdog (one overlimit); ping has left by then (it lingers
    // 2*tmax), so its reply finds no socket
    const out = run(`ip netns exec a tc qdisc add dev va root handle 1: tbf rate 1mbit burst 2000 limit 3000
# @traffic
sleep 1
ip netns exec a ping -c 3 -i 0.001 -s 958 -q 10.0.0.2
sleep 0.002
ip netns exec a tc -s qdisc show dev va
sleep 0.1
ip netns exec a tc -s qdisc show dev va
`);
    expect(out).toContain('3 packets transmitted, 2 received, 33.3333% packet loss');
    const stats = [
      ...out.matchAll(/ Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+) requeues 0\) \n backlog (\w+) (\w+) /g),
    ].map((m) => m.slice(1).join(' '));
    expect(stats).toEqual(['2000 2 0 1 1000b 1p', '3000 3 0 1 0b 0p']);
  });

  it('drops what the bfifo cannot hold and keeps max_size: a frame over the burst never fits', () => {
    // burst 900 < a 1000-byte frame: tbf_enqueue drops every one (qdisc_drop), ping sees ENOBUFS
    const out = run(`ip netns exec a tc qdisc add dev va root handle 1: tbf rate 1mbit burst 900 limit 3000
# @traffic
ip netns exec a ping -c 2 -i 0.2 -W 0.1 -s 958 10.0.0.2
ip netns exec a tc -s qdisc show dev va
`);
    expect(out).toContain('ping: sendmsg: No buffer space available\n');
    expect(out).toContain(' Sent 0 bytes 0 pkt (dropped 2, overlimits 0 requeues 0) \n');
  });
});
