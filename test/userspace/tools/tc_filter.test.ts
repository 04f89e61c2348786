// tc filter / tc actions through the simulated kernel. The mirred cases were
// run against iproute2 6.1 on the oracle's 6.18 kernel (its output pasted
// here; that kernel has no gact, matchall, basic, fw or skbedit, so those are
// checked against what tc 6.1's printers and the kernel source produce).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';

function run(script: string): string {
  return runScenario(script, new MemVfs(), { seed: 1 }).transcript;
}

const TWO = `ip netns add a
ip netns add b
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
`;

describe('tc actions', () => {
  it('add, ls, get, del and flush print as tc 6.1 on Linux 6.18', () => {
    const out = run(`ip netns add x
ip -n x link add d0 type veth peer name d1
ip netns exec x tc actions add action mirred egress redirect dev d1; echo rc=$?
ip netns exec x tc actions add action mirred egress redirect dev d1 index 1; echo rc=$?
ip netns exec x tc actions ls action mirred; echo "---"
ip netns exec x tc actions get action mirred index 1; echo "---"
ip netns exec x tc actions get action mirred index 5; echo rc=$?
ip netns exec x tc actions del action mirred index 1; echo rc=$?
ip netns exec x tc actions flush action mirred; echo rc=$?
`);
    expect(out).toBe(
      'rc=0\n' +
        'RTNETLINK answers: File exists\nWe have an error talking to the kernel\nrc=255\n' +
        'total acts 1\n\n\taction order 0: mirred (Egress Redirect to device d1) stolen\n\tindex 1 ref 1 bind 0\n\tnot_in_hw\n\tused_hw_stats disabled\n---\n' +
        'total acts 0\n\n\taction order 1: mirred (Egress Redirect to device d1) stolen\n\tindex 1 ref 1 bind 0\n\tnot_in_hw\n\tused_hw_stats disabled\n---\n' +
        'Error: TC action with specified index not found.\nWe have an error talking to the kernel\nrc=255\n' +
        'rc=0\nrc=0\n',
    );
  });
});

describe('tc filter with gact, skbedit, matchall, fw and basic', () => {
  const out = run(`${TWO}ip netns exec b tc qdisc add dev vb clsact
ip netns exec b tc filter add dev vb ingress protocol ip pref 10 matchall action gact drop random determ pass 2
ip netns exec b tc filter add dev vb egress protocol ip pref 1 u32 match ip dst 10.0.0.1/32 action skbedit mark 7 pipe action gact continue
ip netns exec b tc filter add dev vb egress protocol ip pref 2 handle 7 fw classid 1:7 action gact pass
ip netns exec b tc filter add dev vb egress protocol ip pref 3 basic action drop
# @traffic
ip netns exec a ping -c 4 -i 0.2 -W 1 10.0.0.2 | tail -n 2
ip netns exec b tc -s filter show dev vb ingress
ip netns exec b tc filter show dev vb egress
ip netns exec b tc filter add dev vb egress protocol ip pref 4 fw handle 7 classid 1:7; echo rc=$?
`);

  it('gact random determ drops every other packet; skbedit marks, fw matches the mark', () => {
    // determ pass 2: the 2nd and 4th request pass; their replies get mark 7, fw passes them
    expect(out).toContain('4 packets transmitted, 2 received, 50% packet loss');
    expect(out).toContain(
      'filter protocol ip pref 10 matchall chain 0 handle 0x1 \n  not_in_hw (rule hit 4)\n\taction order 1: gact action drop\n\t random type determ pass val 2\n',
    );
    expect(out).toContain('\tSent 336 bytes 4 pkt (dropped 2, overlimits 0 requeues 0) \n');
  });

  it('prints skbedit, the gact verdicts and fw/basic handles as tc 6.1', () => {
    expect(out).toContain('  match 0a000001/ffffffff at 16\n\taction order 1: skbedit  mark 7 pipe\n\t index 1 ref 1 bind 1\n');
    expect(out).toContain('\taction order 2: gact action continue\n\t random type none pass val 0\n\t index 2 ref 1 bind 1\n');
    expect(out).toContain('filter protocol ip pref 2 fw chain 0 handle 0x7 classid 1:7 \n\n\taction order 1: gact action pass\n');
    expect(out).toContain('filter protocol ip pref 3 basic chain 0 handle 0x1 \n\taction order 1: gact action drop\n');
  });

  it('refuses what tc refuses', () => {
    // `handle` after the kind is fw's word, which it does not take
    expect(out).toContain('What is "handle"?\nUsage: ... fw [ classid CLASSID ] [ indev DEV ] [ action ACTION_SPEC ]\n');
    expect(out).toContain('\t\tFWMASK is 0xffffffff by default.\nrc=1\n');
  });
});

describe('tc chains', () => {
  it('goto chain continues in another chain of the block', () => {
    const out = run(`${TWO}ip netns exec b tc qdisc add dev vb clsact
ip netns exec b tc filter add dev vb ingress protocol ip pref 1 u32 match ip protocol 1 0xff action goto chain 1
ip netns exec b tc filter add dev vb ingress protocol ip pref 2 chain 1 u32 match u32 0 0 action drop
# @traffic
ip netns exec a ping -c 2 -i 0.2 -W 1 10.0.0.2 | tail -n 2
ip netns exec b tc filter show dev vb ingress
`);
    expect(out).toContain('2 packets transmitted, 0 received, 100% packet loss');
    expect(out).toContain('\taction order 1: gact action goto chain 1\n\t random type none pass val 0\n');
    expect(out).toContain(
      'filter protocol ip pref 2 u32 chain 1 fh 801::800 order 2048 key ht 801 bkt 0 terminal flowid not_in_hw \n  match 00000000/00000000 at 0\n',
    );
  });
});
