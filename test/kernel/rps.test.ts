// Several CPUs with RPS: the flow hash (flow keys + siphash as 6.18's
// skb_get_hash), get_rps_cpu steering by the rx queue's rps_cpus map, the
// remote backlog and its IPI, per-CPU softnet_stat rows (processed, dropped,
// time_squeeze, received_rps), the sysfs files, and the CPU in the path events.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/machine/run.ts';
import { MemVfs, type SimWorld } from '../../src/machine/world.ts';
import { per_cpu_softnet_data, softnet_seq_show } from '../../src/kernel/core/dev.ts';
import { bitmap_parse, cpumask_print, reciprocal_scale, rps_needed, siphash, skb_get_hash } from '../../src/kernel/core/rps.ts';
import { snullPriv, snull_inject } from '../../src/kernel/drivers/snull.ts';
import { alloc_skb } from '../../src/kernel/skbuff.ts';
import { formatPath } from '../../src/machine/path_report.ts';
import type { Kernel } from '../../src/kernel/kernel.ts';
import type { NetDevice } from '../../src/kernel/core/netdevice.ts';

function run(script: string, opts: { cpus?: number; seed?: number } = {}): RunResult {
  return runScenario(script, new MemVfs(), { path: true, ...opts });
}

function dev(world: SimWorld, ns: string, name: string): NetDevice {
  const d = world.netns.get(ns)?.devByName.get(name);
  if (!d) throw new Error(`${ns}/${name}`);
  return d;
}

const SNULL = `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
skbpath-nic add sn0 netns a model snull address 02:00:00:00:00:0a peer sn1 netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev sn0
ip -n b addr add 10.0.0.2/24 dev sn1
ip -n a link set sn0 up
ip -n b link set sn1 up
`;

const rpsCpus = (mask: string): string => `ip netns exec b sh -c 'echo ${mask} > /sys/class/net/sn1/queues/rx-0/rps_cpus'\n`;

/** An Ethernet + IPv4 + UDP frame from a to b (or any addresses), payload 4 bytes. */
function udpFrame(sport: number, dport: number, src = [10, 0, 0, 1], dst = [10, 0, 0, 2], fragOff = 0): Uint8Array {
  const ip = [0x45, 0, 0, 32, 0, 1, (fragOff >> 8) & 0xff, fragOff & 0xff, 64, 17, 0, 0, ...src, ...dst];
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ((ip[i] as number) << 8) | (ip[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip[10] = (~sum >> 8) & 0xff;
  ip[11] = ~sum & 0xff;
  const udp = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 12, 0, 0, 1, 2, 3, 4];
  return new Uint8Array([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00, ...ip, ...udp]);
}

/** skb_get_hash() of a frame as the receive path sees it (data at the IP header). */
function hashOf(k: Kernel, frame: Uint8Array): number {
  const skb = alloc_skb(k, frame.length, 2);
  const at = skb.put(frame.length);
  skb.head.set(frame, at);
  skb.pull(14);
  skb.protocol = ((frame[12] as number) << 8) | (frame[13] as number);
  skb.networkHeader = skb.data;
  return skb_get_hash(k, skb);
}

/** Frames into b's sn1 back to back (one interrupt burst, BHs off), then the run goes on until all is done; returns the first path event's index. */
function burst(r: RunResult, frames: Uint8Array[]): number {
  const k = r.world.kernel;
  const priv = snullPriv(dev(r.world, 'b', 'sn1'));
  if (!priv) throw new Error('snull');
  const from = k.path.events.length;
  k.sim.cpu.localBhDisable();
  for (const f of frames) snull_inject(priv, f);
  k.sim.cpu.localBhEnable();
  r.world.sim.runUntil(() => false);
  return from;
}

/** How many skbs __netif_receive_skb_core took on each CPU (any namespace), from path event `from` on. */
function processedPerCpu(r: RunResult, from: number): Map<number, number> {
  const per = new Map<number, number>();
  for (const e of r.world.kernel.path.events.slice(from)) {
    if (e.fn === '__netif_receive_skb_core' && e.kind === 'fn') per.set(e.cpu, (per.get(e.cpu) ?? 0) + 1);
  }
  return per;
}

/** The CPU each injected skb was received on (its __netif_receive_skb_core entry in b). */
function rxCpus(r: RunResult): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of r.world.kernel.path.events) {
    if (e.fn === '__netif_receive_skb_core' && e.netns === 'b' && e.protocol === 0x0800) m.set(e.origin, e.cpu);
  }
  return m;
}

function statRows(k: Kernel): number[][] {
  return softnet_seq_show(k)
    .trimEnd()
    .split('\n')
    .map((l) => l.split(' ').map((c) => parseInt(c, 16)));
}

describe('the flow hash (skb_get_hash)', () => {
  it('siphash matches the SipHash-2-4 reference vectors', () => {
    const key0 = 0x0706050403020100n;
    const key1 = 0x0f0e0d0c0b0a0908n;
    const msg = new Uint8Array(64).map((_, i) => i);
    expect(siphash(msg, 0, 0, key0, key1)).toBe(0x726fdb47dd0e0e31n);
    expect(siphash(msg, 0, 8, key0, key1)).toBe(0x93f5f5799a932462n);
    expect(siphash(msg, 0, 15, key0, key1)).toBe(0xa129ca6149be45e5n);
  });

  it('is the same both ways, depends on the ports, and a fragment hashes without them', () => {
    const r = run('', { cpus: 2 });
    const k = r.world.kernel;
    const ab = hashOf(k, udpFrame(5001, 7000));
    const ba = hashOf(k, udpFrame(7000, 5001, [10, 0, 0, 2], [10, 0, 0, 1]));
    expect(ab).toBe(ba);
    expect(ab).not.toBe(0);
    expect(hashOf(k, udpFrame(5002, 7000))).not.toBe(ab);
    // a non-first fragment (offset 8) and the MF-flagged first fragment: no ports, one hash
    const f1 = hashOf(k, udpFrame(5001, 7000, [10, 0, 0, 1], [10, 0, 0, 2], 0x2000));
    const f2 = hashOf(k, udpFrame(6000, 9, [10, 0, 0, 1], [10, 0, 0, 2], 1));
    expect(f1).toBe(f2);
    expect(f1).not.toBe(ab);
  });

  it('hashrnd comes from the run seed: same seed same hash, another seed another', () => {
    const f = udpFrame(5001, 7000);
    const h1 = hashOf(run('', { seed: 1 }).world.kernel, f);
    expect(hashOf(run('', { seed: 1 }).world.kernel, f)).toBe(h1);
    expect(hashOf(run('', { seed: 2 }).world.kernel, f)).not.toBe(h1);
  });
});

describe('RPS', () => {
  it('steers one flow to the CPU its hash picks, every packet of it', () => {
    const r = run(`${SNULL}${rpsCpus('f')}`, { cpus: 4 });
    const k = r.world.kernel;
    const f = udpFrame(5001, 7000);
    const want = [0, 1, 2, 3][reciprocal_scale(hashOf(k, f), 4)];
    burst(r, [f, f, f, f, f]);
    const cpus = [...rxCpus(r).values()];
    expect(cpus.length).toBe(5);
    expect(new Set(cpus)).toEqual(new Set([want]));
  });

  it('spreads different flows over the CPUs of the mask, and only those', () => {
    // mask a = CPUs 1 and 3: map->cpus = [1, 3]
    const r = run(`${SNULL}${rpsCpus('a')}`, { cpus: 4 });
    const k = r.world.kernel;
    const frames = Array.from({ length: 24 }, (_, i) => udpFrame(5000 + i, 7000));
    burst(r, frames);
    const got = rxCpus(r);
    expect(got.size).toBe(24);
    const used = new Set(got.values());
    expect(used).toEqual(new Set([1, 3]));
    // each skb where get_rps_cpu sent it: map->cpus[reciprocal_scale(hash, 2)]
    const origins = [...got.keys()].sort((x, y) => x - y);
    frames.forEach((fr, i) => {
      expect(got.get(origins[i] as number)).toBe([1, 3][reciprocal_scale(hashOf(k, fr), 2)]);
    });
  });

  it('counts per CPU in softnet_stat: processed, received_rps (one IPI per burst and CPU), the CPU index', () => {
    const r = run(`${SNULL}${rpsCpus('e')}`, { cpus: 4 });
    const k = r.world.kernel;
    const before = statRows(k);
    const frames = Array.from({ length: 30 }, (_, i) => udpFrame(6000 + i, 7000));
    const from = burst(r, frames);
    const rows = statRows(k);
    expect(rows.length).toBe(4);
    rows.forEach((row, cpu) => {
      expect(row.length).toBe(15);
      expect(row[12]).toBe(cpu);
    });
    const steered = new Map<number, number>();
    for (const c of rxCpus(r).values()) steered.set(c, (steered.get(c) ?? 0) + 1);
    // processed counts every skb __netif_receive_skb_core took on that CPU: the steered datagrams,
    // and a's receipt of b's ICMP errors, which snull hands over on the CPU that sent them
    const per = processedPerCpu(r, from);
    for (const cpu of [0, 1, 2, 3]) {
      const b = before[cpu] as number[];
      const a = rows[cpu] as number[];
      expect((a[0] as number) - (b[0] as number), `processed on CPU ${cpu}`).toBe(per.get(cpu) ?? 0);
      // one burst: one IPI to each CPU that got a packet
      expect((a[9] as number) - (b[9] as number), `received_rps on CPU ${cpu}`).toBe(steered.has(cpu) ? 1 : 0);
    }
    // CPU 0 is not in the mask: it got none of them and no IPI
    expect(steered.has(0)).toBe(false);
    expect((rows[0] as number[])[9]).toBe(0);
    // the IPI came from CPU 0's net_rx_action: rps_trigger_softirq ran on the remote CPU as <idle>
    const remote = r.world.kernel.path.events.filter((e) => e.fn === 'process_backlog');
    // the 30 datagrams (and a's ARP reply to b, steered too)
    expect(remote.filter((e) => e.netns === 'b' && e.protocol === 0x0800).length).toBe(30);
    for (const e of remote.filter((x) => x.netns === 'b')) {
      expect(e.cpu).not.toBe(0);
      expect(e.comm).toBe('<idle>');
    }
  });

  it('drops at another CPU backlog beyond netdev_max_backlog: CPU_BACKLOG counted on that CPU only', () => {
    const r = run(`${SNULL}sysctl -qw net.core.netdev_max_backlog=10\n${rpsCpus('2')}`, { cpus: 4 });
    const k = r.world.kernel;
    burst(
      r,
      Array.from({ length: 30 }, () => udpFrame(5001, 7000)),
    );
    // enqueue_to_backlog accepts while qlen <= 10: 11 queued on CPU 1, 19 dropped
    expect(per_cpu_softnet_data(k, 1).dropped).toBe(19);
    const rows = statRows(k);
    expect((rows[1] as number[])[1]).toBe(19);
    expect((rows[0] as number[])[1]).toBe(0);
    expect((rows[2] as number[])[1]).toBe(0);
    const drops = k.path.events.filter((e) => e.kind === 'drop' && e.reason === 'CPU_BACKLOG');
    expect(drops.length).toBe(19);
    expect(drops[0]?.why).toBe('input_pkt_queue of CPU 1 holds 11 > netdev_max_backlog 10');
    // the drops happen on CPU 0, where snull's interrupt enqueued them
    expect(new Set(drops.map((d) => d.cpu))).toEqual(new Set([0]));
    expect(rxCpus(r).size).toBe(11);
  });

  it('time_squeeze counts on the CPU whose net_rx_action ran out of budget', () => {
    const r = run(`${SNULL}sysctl -qw net.core.netdev_budget=50\n${rpsCpus('4')}`, { cpus: 4 });
    const k = r.world.kernel;
    k.tracer.enabled = true;
    const before = statRows(k);
    const from = burst(
      r,
      Array.from({ length: 200 }, () => udpFrame(5001, 7000)),
    );
    const rows = statRows(k);
    // CPU 0 only enqueued (the snull interrupt's own backlog stays empty); CPU 2 polled 64 a pass
    expect((rows[0] as number[])[2]).toBe((before[0] as number[])[2]);
    expect(((rows[2] as number[])[2] as number) - ((before[2] as number[])[2] as number)).toBeGreaterThanOrEqual(3);
    expect(rxCpus(r).size).toBe(200);
    expect(new Set(rxCpus(r).values())).toEqual(new Set([2]));
    expect(((rows[2] as number[])[0] as number) - ((before[2] as number[])[0] as number)).toBe(processedPerCpu(r, from).get(2));
    // the backlog polls ran on CPU 2, in its idle task's context (4 passes: no ksoftirqd)
    const polls = k.tracer.events.filter((e) => e.event === 'napi_poll' && e.body.includes('(no_device)'));
    expect(new Set(polls.map((e) => e.cpu))).toEqual(new Set([2]));
    expect(polls.every((e) => e.comm === '<idle>')).toBe(true);
  });

  it("past MAX_SOFTIRQ_RESTART the remote CPU's own ksoftirqd/N takes over", () => {
    const r = run(`${SNULL}sysctl -qw net.core.netdev_budget=50\n${rpsCpus('4')}`, { cpus: 4 });
    const k = r.world.kernel;
    k.tracer.enabled = true;
    burst(
      r,
      Array.from({ length: 1000 }, () => udpFrame(5001, 7000)),
    );
    expect(rxCpus(r).size).toBe(1000);
    // 16 passes of 64: the first handle_softirqs round and 9 restarts in the idle task, then ksoftirqd/2
    expect(k.sim.smp.cpus[2]?.ksoftirqdWakeups).toBe(1);
    expect(k.sim.smp.cpus[0]?.ksoftirqdWakeups).toBe(0);
    const polls = k.tracer.events.filter((e) => e.event === 'napi_poll' && e.body.includes('(no_device)'));
    expect(polls.filter((e) => e.comm === '<idle>').length).toBe(10);
    const late = polls.filter((e) => e.comm === 'ksoftirqd/2');
    expect(late.length).toBeGreaterThanOrEqual(6);
    expect(new Set(polls.map((e) => e.cpu))).toEqual(new Set([2]));
  });

  it('veth: netif_rx from the sending task on CPU 0 goes to the RPS CPU of the peer', () => {
    const r = run(`# @cpus 2
ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip netns exec b sh -c 'echo 2 > /sys/class/net/v1/queues/rx-0/rps_cpus'
# @traffic
ip netns exec a ping -c 2 -i 0.2 10.0.0.2 > /dev/null
cat /proc/net/softnet_stat
`);
    expect(r.exitStatus).toBe(0);
    const ev = r.world.kernel.path.events;
    // the echo requests were sent by ping on CPU 0 and received by b on CPU 1
    const req = ev.filter((e) => e.netns === 'b' && e.fn === 'icmp_rcv' && e.kind === 'fn');
    expect(req.length).toBe(2);
    for (const e of req) expect(e.cpu).toBe(1);
    // ping's second request leaves from its task on CPU 0 and is taken up on CPU 1 (the first waited
    // for ARP and left from CPU 1's softirq, where b's ARP reply was received)
    const sent = ev.filter((e) => e.netns === 'a' && e.fn === 'veth_xmit' && e.protocol === 0x0800);
    expect(sent.some((e) => e.cpu === 0 && e.comm === 'ping')).toBe(true);
    const taken = ev.filter((e) => e.netns === 'b' && e.fn === 'process_backlog');
    expect(taken.length).toBeGreaterThanOrEqual(3);
    for (const e of taken) expect(e.cpu).toBe(1);
    const rows = r.transcript.trimEnd().split('\n').slice(-2);
    expect(rows.length).toBe(2);
    // two requests and b's ARP request: three IPIs at least (one per netif_rx while CPU 1 was idle)
    expect(parseInt((rows[1] as string).split(' ')[9] as string, 16)).toBeGreaterThanOrEqual(2);
  });

  it('--cpus 1 (the default): one softnet_stat row, and a mask naming CPU 1 overflows', () => {
    const r = run(`${SNULL}ip netns exec b sh -c 'echo 2 > /sys/class/net/sn1/queues/rx-0/rps_cpus'
ip netns exec b cat /sys/class/net/sn1/queues/rx-0/rps_cpus
cat /proc/net/softnet_stat | wc -l
`);
    expect(r.transcript).toBe('sh: line 1: echo: write error: Value too large for defined data type\n0\n1\n');
  });
});

describe('sysfs rps files', () => {
  it('show and store as net-sysfs.c, with the errors bash reports', () => {
    const r = run(
      `${SNULL}f=/sys/class/net/sn1/queues/rx-0
ip netns exec b cat $f/rps_cpus
ip netns exec b sh -c "echo 5 > $f/rps_cpus; cat $f/rps_cpus"
ip netns exec b sh -c "echo zz > $f/rps_cpus; echo rc=\\$?"
ip netns exec b sh -c "echo 1ff > $f/rps_cpus; echo rc=\\$?"
ip netns exec b sh -c "echo ' 0000000003' > $f/rps_cpus; cat $f/rps_cpus"
ip netns exec b sh -c "echo 3 | tee $f/rps_cpus; cat $f/rps_cpus"
ip netns exec b sh -c "echo 100 > $f/rps_flow_cnt; cat $f/rps_flow_cnt"
ip netns exec b sh -c "echo 0x10 > $f/rps_flow_cnt; cat $f/rps_flow_cnt"
ip netns exec b sh -c "echo -1 > $f/rps_flow_cnt; echo rc=\\$?"
ip netns exec b sh -c "echo 1 > $f/nothere"
ip netns exec b sh -c "echo 1 > /sys/class/net/nodev/queues/rx-0/rps_cpus"
ip netns exec b cat /sys/class/net/sn1/queues
cat $f/rps_cpus
`,
      { cpus: 8 },
    );
    expect(r.transcript).toBe(`00
05
sh: line 1: echo: write error: Invalid argument
rc=1
sh: line 1: echo: write error: Value too large for defined data type
rc=1
03
3
03
128
16
sh: line 1: echo: write error: Invalid argument
rc=1
sh: line 1: /sys/class/net/sn1/queues/rx-0/nothere: Permission denied
sh: line 1: /sys/class/net/nodev/queues/rx-0/rps_cpus: No such file or directory
cat: /sys/class/net/sn1/queues: Is a directory
cat: /sys/class/net/sn1/queues/rx-0/rps_cpus: No such file or directory
`);
  });

  it('cpumask_print and bitmap_parse as the kernel prints and parses masks', () => {
    expect(cpumask_print([0, 1], 2)).toBe('3');
    expect(cpumask_print([], 8)).toBe('00');
    expect(cpumask_print([33], 40)).toBe('02,00000000');
    expect(bitmap_parse('\n', 4)).toEqual([]);
    expect(bitmap_parse(',2\n', 4)).toEqual([1]);
    expect(bitmap_parse('1,0', 40)).toEqual([32]);
    expect(bitmap_parse('1,0', 4)).toBe('EOVERFLOW');
    expect(bitmap_parse('0x2', 4)).toBe('EINVAL');
  });
});

describe('the CPU in traces', () => {
  it('skbpath trace shows the CPU that received a steered packet, ftrace events carry it', () => {
    const r = run(`${SNULL}${rpsCpus('8')}`, { cpus: 4 });
    const k = r.world.kernel;
    k.tracer.enabled = true;
    const from = burst(r, [udpFrame(5001, 7000)]);
    const origin = (): number | undefined => k.path.events.slice(from).find((x) => x.fn === 'snull_rx')?.origin;
    const ev = k.path.events.filter((e, i) => i >= from && e.netns === 'b' && e.origin === origin());
    const fns = ev.map((e) => `${e.cpu} ${e.fn}`);
    expect(fns.slice(0, 5)).toEqual(['0 snull_rx', '0 eth_type_trans', '0 __netif_rx', '0 get_rps_cpu', '0 enqueue_to_backlog']);
    expect(fns[5]).toBe('3 process_backlog');
    expect(fns[6]).toBe('3 __netif_receive_skb_core');
    const lines = formatPath(ev).split('\n');
    expect(lines[6]?.slice(20, 24)).toBe('3   ');
    expect(lines[1]?.slice(20, 24)).toBe('0   ');
    const rx = k.tracer.events.find((e) => e.event === 'netif_receive_skb' && e.netns === 'b');
    expect(rx?.cpu).toBe(3);
  });
});

describe('the e1000 interrupt CPU (/proc/irq/N/smp_affinity)', () => {
  const E1000 = `ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000 delay 10us
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
`;

  it('shows and refuses masks as kernel/irq/proc.c', () => {
    const r = run(
      `${E1000}cat /proc/irq/default_smp_affinity /proc/irq/16/smp_affinity /proc/irq/17/smp_affinity_list /proc/irq/17/effective_affinity
echo 0 > /proc/irq/17/smp_affinity
echo 10 > /proc/irq/17/smp_affinity
echo 5 > /proc/irq/17/smp_affinity_list
echo 1 > /proc/irq/17/effective_affinity
echo 2-3 > /proc/irq/17/smp_affinity_list
cat /proc/irq/17/smp_affinity /proc/irq/17/effective_affinity_list
cat /proc/irq/18/smp_affinity
`,
      { cpus: 4 },
    );
    expect(r.transcript).toBe(`f
f
0-3
1
bash: line 9: echo: write error: Invalid argument
bash: line 10: echo: write error: Value too large for defined data type
bash: line 11: echo: write error: Numerical result out of range
bash: line 12: echo: write error: Input/output error
c
2
cat: /proc/irq/18/smp_affinity: No such file or directory
`);
  });

  it('moves e1000_intr and its NAPI poll (and softnet counting) to the CPU of the affinity', () => {
    const r = run(
      `${E1000}echo 4 > /proc/irq/17/smp_affinity
# @traffic
ip netns exec a ping -c 2 -i 0.2 10.0.0.2 > /dev/null
`,
      { cpus: 4 },
    );
    expect(r.exitStatus).toBe(0);
    const k = r.world.kernel;
    const ev = k.path.events;
    const inB = ev.filter((e) => e.netns === 'b' && (e.fn === 'e1000_intr' || e.fn === 'e1000_clean' || e.fn === 'icmp_rcv'));
    expect(inB.length).toBeGreaterThan(6);
    for (const e of inB) expect(e.cpu, e.fn).toBe(2);
    const inA = ev.filter((e) => e.netns === 'a' && e.fn === 'e1000_intr');
    for (const e of inA) expect(e.cpu).toBe(0);
    // b's frames are counted by CPU 2's softnet_data, a's by CPU 0's
    const rows = statRows(k);
    expect((rows[2] as number[])[0]).toBe(ev.filter((e) => e.fn === '__netif_receive_skb_core' && e.netns === 'b').length);
    expect((rows[0] as number[])[0]).toBe(ev.filter((e) => e.fn === '__netif_receive_skb_core' && e.netns === 'a').length);
    expect((rows[1] as number[])[0]).toBe(0);
  });
});

describe('taskset: a task on another CPU', () => {
  const VETH = `ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/24 dev v0
ip -n b addr add 10.0.0.2/24 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
`;

  it('sends, enqueues (netif_rx on the current CPU) and receives on the CPU taskset chose', () => {
    const r = run(
      `${VETH}# @traffic
ip netns exec a taskset -c 2 ping -c 2 -i 0.2 10.0.0.2 > /dev/null
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
`,
      { cpus: 4 },
    );
    expect(r.exitStatus).toBe(0);
    const ev = r.world.kernel.path.events.filter((e) => e.kind === 'fn' && (e.fn === 'veth_xmit' || e.fn === '__netif_receive_skb_core'));
    const byComm = new Map<string, Set<number>>();
    for (const e of ev) {
      let s = byComm.get(e.comm);
      if (!s) byComm.set(e.comm, (s = new Set()));
      s.add(e.cpu);
    }
    // the pinned ping did everything on CPU 2 (its softirqs included); the second ping ran on CPU 0
    expect(ev.filter((e) => e.cpu === 2).length).toBeGreaterThanOrEqual(8);
    expect(ev.filter((e) => e.cpu === 0).length).toBeGreaterThanOrEqual(4);
    expect(new Set(ev.map((e) => e.cpu))).toEqual(new Set([0, 2]));
    const rows = statRows(r.world.kernel);
    expect((rows[2] as number[])[0]).toBe(ev.filter((e) => e.fn === '__netif_receive_skb_core' && e.cpu === 2).length);
  });

  it('refuses as util-linux taskset does', () => {
    const r = run(
      `taskset zz true; echo rc=$?
taskset 10 true; echo rc=$?
taskset -c 1; echo rc=$?
taskset -c 1-0 true; echo rc=$?
taskset -c 3 nosuch; echo rc=$?
taskset -x 1 true; echo rc=$?
taskset -c 1,9 sh -c 'echo ran'
`,
      { cpus: 4 },
    );
    expect(r.transcript).toBe(`taskset: failed to parse CPU mask: zz
rc=1
taskset: failed to set pid 1001's affinity: Invalid argument
rc=1
taskset: bad usage
Try 'taskset --help' for more information.
rc=1
taskset: failed to parse CPU list: 1-0
rc=1
taskset: failed to execute nosuch: No such file or directory
rc=127
taskset: invalid option -- 'x'
Try 'taskset --help' for more information.
rc=1
ran
`);
  });
});

describe('RFS (rps_sock_flow_entries + rps_flow_cnt)', () => {
  const PAIR = `ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000 delay 50us
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
`;

  it('the sysctl rounds up and refuses as rps_sock_flow_sysctl', () => {
    const r = run(
      `sysctl -w net.core.rps_sock_flow_entries=1000
sysctl net.core.rps_sock_flow_entries
sysctl -w net.core.rps_sock_flow_entries=-1
sysctl -w net.core.rps_sock_flow_entries=536870913
sysctl -n net.core.rps_sock_flow_entries
sysctl -w net.core.rps_sock_flow_entries=0
ip netns exec $(ip netns add x; echo x) sysctl net.core.rps_sock_flow_entries
`,
      { cpus: 2 },
    );
    expect(r.transcript).toBe(`net.core.rps_sock_flow_entries = 1000
net.core.rps_sock_flow_entries = 1024
sysctl: setting key "net.core.rps_sock_flow_entries": Invalid argument
sysctl: setting key "net.core.rps_sock_flow_entries": Invalid argument
1024
net.core.rps_sock_flow_entries = 0
sysctl: cannot stat /proc/sys/net/core/rps_sock_flow_entries: No such file or directory
`);
  });

  it('steers a TCP flow to the CPU its reader runs on (taskset), once the reader has recorded it', () => {
    const r = run(
      `${PAIR}sysctl -qw net.core.rps_sock_flow_entries=1024
ip netns exec b sh -c 'echo 256 > /sys/class/net/eth0/queues/rx-0/rps_flow_cnt'
# @traffic
ip netns exec b taskset -c 3 nc -l -p 8000 > /dev/null &
sleep 0.1
seq 1 5000 | ip netns exec a nc -q 1 10.0.0.2 8000
wait
`,
      { cpus: 4 },
    );
    expect(r.exitStatus).toBe(0);
    const ev = r.world.kernel.path.events;
    const rcv = ev.filter((e) => e.netns === 'b' && e.fn === 'tcp_v4_rcv');
    expect(rcv.length).toBeGreaterThan(6);
    // the first recvmsg on CPU 3 recorded the flow: from then on every segment of it is taken up on CPU 3
    const firstRead = ev.findIndex((e) => e.netns === 'b' && e.fn === 'tcp_v4_rcv' && e.cpu === 3);
    expect(firstRead).toBeGreaterThan(0);
    const after = rcv.filter((e) => e.seq > (ev[firstRead] as { seq: number }).seq);
    expect(after.length).toBeGreaterThan(3);
    for (const e of after) expect(e.cpu).toBe(3);
    // before it, with no RPS map, the handshake stayed on the interrupt's CPU
    expect(rcv[0]?.cpu).toBe(0);
    const rows = statRows(r.world.kernel);
    expect((rows[3] as number[])[9]).toBeGreaterThan(0);
  });
});

describe('rx queue lifetime', () => {
  it('a device moved to another namespace keeps its rps_cpus (as on Linux 6.18); a deleted one frees its map', () => {
    const r = run(
      `ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns a
ip netns exec a sh -c 'echo 2 > /sys/class/net/v1/queues/rx-0/rps_cpus; cat /sys/class/net/v1/queues/rx-0/rps_cpus'
ip -n a link set v1 netns b
ip netns exec b cat /sys/class/net/v1/queues/rx-0/rps_cpus
ip netns exec a cat /sys/class/net/v1/queues/rx-0/rps_cpus
ip -n b link del v1
`,
      { cpus: 2 },
    );
    expect(r.transcript).toBe('2\n2\ncat: /sys/class/net/v1/queues/rx-0/rps_cpus: No such file or directory\n');
    // the map went with the device: RPS is off again (no get_rps_cpu, no enqueue_to_backlog in paths)
    expect(rps_needed(r.world.kernel)).toBe(false);
  });
});
