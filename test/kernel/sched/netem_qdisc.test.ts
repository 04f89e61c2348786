// netem as a qdisc on a veth, through tc: the times ping sees are what
// sch_netem.c computes (delay; rate with packet overhead and cells), the
// duplicate comes back through the root, the limit refuses with ENOBUFS to a
// local sender, a child qdisc is grafted on class 1, a duplicating netem
// does not mix with another, and `tc qdisc change` keeps what it is not sent.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/index.ts';

const SETUP = `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
`;

function run(script: string, seed = 1): string {
  const r = runScenario(SETUP + script, { seed });
  expect(r.error).toBeNull();
  return r.transcript;
}

/** ping's minimum rtt (ms, three decimals). */
function minRtt(t: string): number {
  const m = /rtt min\/avg\/max\/mdev = ([\d.]+)/.exec(t);
  if (!m) throw new Error(t);
  return Number(m[1]);
}

/** The same pings through a netem that delays by 1ms: the path's own time, the watchdog's included. */
const base = (ping: string): number => minRtt(run(`ip netns exec a tc qdisc add dev va root netem delay 1ms\n${ping}\n`));

describe('netem on a veth', () => {
  it('delay: the echo request leaves 100ms later (latency in psched ticks: 1562500 << 6 ns)', () => {
    const ping = 'ip netns exec a ping -c 2 10.0.0.2';
    const t = run(`ip netns exec a tc qdisc add dev va root netem delay 100ms\n${ping}\n`);
    expect(minRtt(t) - base(ping)).toBeCloseTo(99, 6);
  });

  it('rate 1mbit 20 100 5: a 1442-byte frame + 20 → 15 cells of 105 bytes = 12.6ms at 125000 bytes/s', () => {
    const ping = 'ip netns exec a ping -c 2 -s 1400 10.0.0.2';
    const t = run(`ip netns exec a tc qdisc add dev va root netem delay 1ms rate 1mbit 20 100 5\n${ping}\n`);
    // ICMP 1408 + IP 20 + Ethernet 14 = 1442 bytes
    const cells = Math.ceil((1442 + 20) / 100);
    const ns = Math.floor((cells * 105 * 1e9) / 125000);
    expect(ns).toBe(12_600_000);
    expect(minRtt(t) - base(ping)).toBeCloseTo(ns / 1e6, 6);
  });

  it('duplicate 100%: every request comes back twice (the clone goes in at the root, not duplicated again)', () => {
    const t = run(
      'ip netns exec a tc qdisc add dev va root netem duplicate 100%\nip netns exec a ping -c 3 10.0.0.2\nip netns exec a tc -s qdisc show dev va\n',
    );
    // ping -c 3 is done at the third reply, before that one's twin arrives
    expect(t.match(/\(DUP!\)/g)?.length).toBe(2);
    expect(t).toContain('3 packets transmitted, 3 received, +2 duplicates');
    expect(t).toMatch(/Sent \d+ bytes 6 pkt \(dropped 0,/);
  });

  it('limit: a full tfifo is NET_XMIT_DROP: ENOBUFS to the local sender (IpOutDiscards), which ping retries', () => {
    const t = run(
      'ip netns exec a tc qdisc add dev va root netem delay 50ms limit 1\nip netns exec a ping -c 3 -i 0.01 10.0.0.2\nip netns exec a tc -s qdisc show dev va\nip netns exec a nstat -az IpOutDiscards\n',
    );
    const dropped = Number(/\(dropped (\d+), overlimits 0 requeues 0\)/.exec(t)?.[1]);
    expect(dropped).toBeGreaterThan(0);
    expect(Number(/IpOutDiscards +(\d+)/.exec(t)?.[1])).toBe(dropped);
    expect(t).toContain('3 packets transmitted, 3 received');
    // one at a time: each request waits for the one before it to leave the tfifo
    expect(t).toMatch(/Sent 294 bytes 3 pkt/);
  });

  it('a child qdisc on class 1: netem hands what is due to it', () => {
    const t = run(
      [
        'ip netns exec a tc qdisc add dev va root handle 1: netem delay 10ms',
        'ip netns exec a tc qdisc add dev va parent 1:1 handle 10: pfifo limit 10',
        'ip netns exec a tc qdisc show dev va',
        'ip netns exec a tc class show dev va',
        'ip netns exec a ping -c 2 10.0.0.2',
        'ip netns exec a tc -s qdisc show dev va',
        '',
      ].join('\n'),
    );
    expect(t).toContain('qdisc netem 1: root refcnt');
    expect(t).toContain('qdisc pfifo 10: parent 1:1 limit 10p');
    expect(t).toContain('class netem 1:1 parent 1: leaf 10: ');
    expect(t).toContain('2 packets transmitted, 2 received');
    expect(t).toMatch(/qdisc pfifo 10: parent 1:1 limit 10p\n Sent 196 bytes 2 pkt/);
  });

  it('a duplicating netem does not mix with another netem', () => {
    const t = run(
      'ip netns exec a tc qdisc add dev va root handle 1: netem duplicate 10%\nip netns exec a tc qdisc add dev va parent 1:1 netem delay 1ms; echo "rc=$?"\n',
    );
    expect(t).toContain('Error: netem: cannot mix duplicating netems with other netems in tree.\nrc=2\n');
  });

  it('corrupt 100%: one flipped bit per frame; the receiver drops what its checksums catch', () => {
    const t = run(
      'ip netns exec a tc qdisc add dev va root netem corrupt 100%\nip netns exec a ping -c 8 -i 0.2 10.0.0.2\nip netns exec b nstat -az IpInHdrErrors IcmpInCsumErrors\n',
    );
    const hdr = Number(/IpInHdrErrors +(\d+)/.exec(t)?.[1]);
    const icmp = Number(/IcmpInCsumErrors +(\d+)/.exec(t)?.[1]);
    expect(hdr + icmp).toBeGreaterThan(0);
    expect(t).not.toContain('8 received');
  });

  it('change keeps the attributes tc does not send; show prints them back', () => {
    const t = run(
      [
        'ip netns exec a tc qdisc add dev va root netem corrupt 1% loss state 1% 30% 5% 40% 2% ecn',
        'ip netns exec a tc qdisc show dev va',
        'ip netns exec a tc qdisc change dev va root netem delay 10ms 5ms distribution pareto reorder 25% 50% gap 3 slot 10ms 20ms packets 5',
        'ip netns exec a tc qdisc show dev va',
        'ip netns exec a tc -j qdisc show dev va',
        '',
      ].join('\n'),
    );
    expect(t).toContain('limit 1000 loss state p13 1% p31 30% p32 5% p23 40% p14 2% corrupt 1% ecn \n');
    // no TCA_NETEM_LOSS: back to random loss (0); corrupt and ecn were not sent, so they stay
    expect(t).toContain('limit 1000 delay 10ms  5ms reorder 25% 50% corrupt 1% slot 10ms 20ms packets 5 ecn  gap 3\n');
    expect(t).toContain(
      '"options":{"limit":1000,"delay":{"delay":0.01,"jitter":0.005,"correlation":0},"reorder":{"reorder":0.25,"correlation":0.5},"corrupt":{"corrupt":0.01,"correlation":0},"slot":{"min-delay":0.01,"max-delay":0.02,"packets":5,"bytes":0},"ecn":true,"gap":3}',
    );
  });
});
