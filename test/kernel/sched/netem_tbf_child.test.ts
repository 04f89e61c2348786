// netem with a tbf child (`tc qdisc add … parent 1:1 tbf …`): netem_dequeue
// hands each packet that is due to the child, the child's watchdog reschedules
// the root, and the times ping sees are the delay plus the token bucket's wait.
import { expect, it } from 'vitest';
import { runScenario } from '../../../src/index.ts';

const SCRIPT = `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
ip netns exec a tc qdisc add dev va root handle 1: netem delay 10ms
ip netns exec a tc qdisc add dev va parent 1:1 handle 10: tbf rate 80kbit burst 200 limit 3000
ip netns exec a tc qdisc show dev va
ip netns exec a tc class show dev va
ip netns exec a ping -c 5 -i 0.002 10.0.0.2
ip netns exec a tc -s qdisc show dev va
`;

it('netem delay 10ms over tbf 80kbit burst 200: the bucket spaces what netem releases', () => {
  const r = runScenario(SCRIPT, { seed: 1 });
  const t = r.transcript;
  expect(t).toContain('qdisc netem 1: root refcnt 3 limit 1000 delay 10ms\nqdisc tbf 10: parent 1:1 rate 80Kbit burst 200b lat 280ms \n');
  expect(t).toContain('class netem 1:1 parent 1: leaf 10: ');
  // Requests leave every 2 ms and reach the tbf 10 ms later. 98-byte frames
  // cost 9.8 ms of tokens at 10000 B/s; the bucket holds 20 ms. #1 at 10 ms
  // leaves 10.2 ms, #2 at 12 ms leaves 2.4 ms: both pass (10.0 ms). #3 at 14 ms
  // has 4.4 ms and waits 5.4 ms (15.4), #4 leaves at 29.2 ms (sent at 6: 23.2),
  // #5 at 39.0 ms (sent at 8: 31.0).
  const times = [...t.matchAll(/icmp_seq=\d ttl=64 time=([\d.]+) ms/g)].map((m) => m[1]);
  expect(times).toEqual(['10.0', '10.0', '15.4', '23.2', '31.0']);
  expect(t).toMatch(/qdisc netem 1: root [^\n]*\n Sent 490 bytes 5 pkt \(dropped 0, overlimits 0 requeues 0\) \n backlog 0b 0p/);
  const over = Number(/qdisc tbf 10: [^\n]*\n Sent 490 bytes 5 pkt \(dropped 0, overlimits (\d+) requeues 0\)/.exec(t)?.[1]);
  expect(over).toBeGreaterThan(0);
});

it('the tbf child refuses past its limit: netem counts the drop, ping gets no reply', () => {
  const r = runScenario(SCRIPT.replace('limit 3000', 'limit 100').replace('ping -c 5 -i 0.002', 'ping -c 5 -i 0.002 -W 1'), { seed: 1 });
  const t = r.transcript;
  // two pass on tokens; the third waits in the tbf (98 of its 100 bytes), the next two are refused
  expect(t).toContain('5 packets transmitted, 3 received, 40% packet loss');
  expect(t).toMatch(/qdisc netem 1: root [^\n]*\n Sent 294 bytes 3 pkt \(dropped 2, /);
  expect(t).toMatch(/qdisc tbf 10: [^\n]*\n Sent 294 bytes 3 pkt \(dropped 2, /);
});
