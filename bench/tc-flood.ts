// Benchmark: a UDP flood from a to b over a veth pair, through the whole
// stack (a sender that calls sendto() in a loop, UDP, IP, the device queue,
// veth, b's UDP socket), three times: with veth's default noqueue, with a
// tbf root qdisc and with an htb root qdisc (one class, a u32-free default).
// The qdiscs' rates are far above what the flood asks, so every datagram is
// enqueued and dequeued and none waits: the difference is what the qdisc
// layer costs per packet. Prints packets per wall second of each and the
// slowdown against noqueue (best round of each, by wall and by CPU time:
// the machine may be shared). Not a test: it only measures.
//   npx tsx bench/tc-flood.ts [COUNT] [ROUNDS]
import { runScenario } from '../src/machine/run.ts';
import { MemVfs, type SimWorld } from '../src/machine/world.ts';
import { bind, IPPROTO_UDP, SOCK_DGRAM, sendto, socket } from '../src/kernel/uapi/socket.ts';
import { preempt, type Proc } from '../src/sim/sched.ts';
import type { ProcCtx } from '../src/userspace/proc.ts';

const count = Number(process.argv[2] ?? 50000);
const rounds = Number(process.argv[3] ?? 3);

/** udpflood ADDR PORT COUNT: COUNT datagrams of 18 bytes, as fast as sendto() takes them. */
function* udpflood(ctx: ProcCtx): Proc {
  const [, dst = '', port = '0', n = '0'] = ctx.argv;
  const parts = dst.split('.').map(Number);
  const addr = ((((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0) as number;
  const s = socket(ctx.net, SOCK_DGRAM, IPPROTO_UDP);
  if (typeof s === 'number') return 1;
  const payload = new Uint8Array(18);
  for (let i = 0; i < Number(n); i++) {
    sendto(s, payload, addr, Number(port));
    if (ctx.world.sim.sched.needResched()) yield preempt;
  }
  return 0;
}

/** udpsink PORT: a bound socket nobody reads (its queue fills, the rest are dropped there). */
function* udpsink(ctx: ProcCtx): Proc {
  const s = socket(ctx.net, SOCK_DGRAM, IPPROTO_UDP);
  if (typeof s === 'number') return 1;
  bind(s, 0, Number(ctx.argv[1] ?? 0));
  return 0;
}

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
`;

const ALL_CONFIGS: readonly [string, string][] = [
  ['noqueue', ''],
  ['tbf', 'ip netns exec a tc qdisc add dev va root handle 1: tbf rate 100gbit burst 1mb limit 10mb\n'],
  [
    'htb',
    'ip netns exec a tc qdisc add dev va root handle 1: htb default 10\n' +
      'ip netns exec a tc class add dev va parent 1: classid 1:10 htb rate 100gbit burst 1mb cburst 1mb\n',
  ],
];

function once(qdisc: string): { wall: number; cpu: number; packets: number; drops: number; transcript: string } {
  const script = `${SETUP}${qdisc}# @traffic
ip netns exec b udpsink 9
ip netns exec a udpflood 10.0.0.2 9 ${count}
ip netns exec a tc -s qdisc show dev va
`;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res = runScenario(script, new MemVfs(), {
    seed: 1,
    onWorld: (w: SimWorld) => {
      w.commands.set('udpflood', udpflood);
      w.commands.set('udpsink', udpsink);
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const va = res.world.netns.get('a')?.devByName.get('va');
  return { wall, cpu, packets: va?.stats.tx_packets ?? 0, drops: va?.stats.tx_dropped ?? 0, transcript: res.transcript };
}

// TC_FLOOD_ONLY=htb: one configuration alone (to profile it)
const CONFIGS = ALL_CONFIGS.filter(([n]) => !process.env.TC_FLOOD_ONLY || n === process.env.TC_FLOOD_ONLY || n === 'noqueue');

// one warm-up run of each (the JIT), then the rounds interleaved; the best round of each counts
for (const [, qdisc] of CONFIGS) once(qdisc);
const best = new Map<string, number>();
const bestCpu = new Map<string, number>();
const last = new Map<string, ReturnType<typeof once>>();
for (let r = 0; r < rounds; r++) {
  for (const [name, qdisc] of CONFIGS) {
    const run = once(qdisc);
    last.set(name, run);
    best.set(name, Math.max(best.get(name) ?? 0, run.packets / run.wall));
    bestCpu.set(name, Math.max(bestCpu.get(name) ?? 0, run.packets / run.cpu));
  }
}
const base = best.get('noqueue') as number;
const baseCpu = bestCpu.get('noqueue') as number;
for (const [name] of CONFIGS) {
  const rate = best.get(name) as number;
  const rateCpu = bestCpu.get(name) as number;
  const l = last.get(name) as ReturnType<typeof once>;
  const slow =
    name === 'noqueue' ? '' : ` slowdown=${((1 - rate / base) * 100).toFixed(1)}% (cpu ${((1 - rateCpu / baseCpu) * 100).toFixed(1)}%)`;
  process.stdout.write(
    `bench tc-flood ${name.padEnd(7)}: count=${count} sent=${l.packets} tx_dropped=${l.drops} ` +
      `rate=${Math.round(rate)} pkt/wall-s (${Math.round(rateCpu)} pkt/cpu-s)${slow}\n`,
  );
  if (process.env.TC_FLOOD_SHOW) process.stdout.write(l.transcript);
}
