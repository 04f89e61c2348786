// htb's token arithmetic as sch_htb.c computes it (htb_charge_class,
// htb_accnt_tokens/ctokens, htb_class_mode), seen through `tc -s class`:
// rates of 1mbit are 125000 bytes/s, so psched_l2t_ns is 8000 ns a byte and
// every value below is exact. A ping's frame is 98 bytes (784000 ns).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';
import { PSCHED_NS2TICKS, psched_l2t_ns, psched_ratecfg_precompute } from '../../../src/kernel/sched/pkt_sched.ts';

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

/** "class htb 1:10 …" → its lended/borrowed/tokens/ctokens/overlimits */
function stats(out: string, classid: string) {
  const block = out.split('\n\n').find((b) => b.startsWith(`class htb ${classid} `)) ?? '';
  const n = (re: RegExp) => Number(re.exec(block)?.[1] ?? Number.NaN);
  return {
    sent: n(/Sent \d+ bytes (\d+) pkt/),
    overlimits: n(/overlimits (\d+)/),
    lended: n(/lended: (\d+)/),
    borrowed: n(/borrowed: (\d+)/),
    tokens: n(/ tokens: (-?\d+)/),
    ctokens: n(/ctokens: (-?\d+)/),
  };
}

const ns = (rate: number, len: number) => psched_l2t_ns(psched_ratecfg_precompute({ rate, overhead: 0, mpu: 0, linklayer: 1 }, 0), len);

describe('htb tokens and ctokens', () => {
  it('an idle class pays one packet from full buckets: tokens = buffer - l2t(len)', () => {
    const out = run(`ip netns exec a tc qdisc add dev va root handle 1: htb default 10
ip netns exec a tc class add dev va parent 1: classid 1:10 htb rate 1mbit burst 10k cburst 2k
# @traffic
sleep 1
ip netns exec a ping -c 1 -q 10.0.0.2 >/dev/null
ip netns exec a tc -s class show dev va
`);
    // the bucket filled long ago (min(buffer, tokens + diff) = buffer), then 784000 ns are paid
    expect(ns(125000, 98)).toBe(784000);
    expect(stats(out, '1:10')).toEqual({
      sent: 1,
      overlimits: 0,
      lended: 1,
      borrowed: 0,
      tokens: PSCHED_NS2TICKS(ns(125000, 10240) - 784000),
      ctokens: PSCHED_NS2TICKS(ns(125000, 2048) - 784000),
    });
    expect(stats(out, '1:10').tokens).toBe(1267750);
  });

  it('a leaf out of its own tokens borrows from its parent, which lends', () => {
    // 1:10 may send 100 bytes at 100kbit (12500 B/s: 80000 ns a byte): the first ping leaves it
    // 100*80000 - 98*80000 = 160000 ns; the second, 1 ms later, takes it to -6680000 ns
    // (MAY_BORROW: ctokens at 1mbit are still positive); the third is paid by 1:1 (level 7)
    const out = run(`ip netns exec a tc qdisc add dev va root handle 1: htb default 10
ip netns exec a tc class add dev va parent 1: classid 1:1 htb rate 1mbit burst 10k cburst 10k
ip netns exec a tc class add dev va parent 1:1 classid 1:10 htb rate 100kbit ceil 1mbit burst 100 cburst 10k
# @traffic
sleep 1
ip netns exec a ping -c 3 -i 0.001 -q 10.0.0.2 >/dev/null
ip netns exec a tc -s class show dev va
`);
    const leaf = stats(out, '1:10');
    const parent = stats(out, '1:1');
    expect([leaf.sent, leaf.lended, leaf.borrowed, leaf.overlimits]).toEqual([3, 2, 1, 0]);
    expect([parent.sent, parent.lended, parent.borrowed]).toEqual([3, 1, 0]);
    // ceil is charged on every class for every packet, rate on the classes at or above the
    // level that paid: 1:1 paid rate three times, refilling 1 ms each time up to its buffer
    const full = PSCHED_NS2TICKS(ns(125000, 10240) - 784000);
    expect([leaf.ctokens, parent.tokens, parent.ctokens]).toEqual([full, full, full]);
    // 1:10 paid two packets from 100 bytes of bucket and was credited the time since (about
    // 2 ms: ping's interval plus the sender's own time), not charged for the borrowed one
    const paid = ns(12500, 100) - 2 * ns(12500, 98);
    expect(leaf.tokens).toBeGreaterThanOrEqual(PSCHED_NS2TICKS(paid + 2_000_000));
    expect(leaf.tokens).toBeLessThan(PSCHED_NS2TICKS(paid + 2_100_000));
  });
});
