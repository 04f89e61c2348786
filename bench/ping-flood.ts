// Benchmark: `ping -f -c N` from a to b over a veth pair, run through the
// whole stack (shell, ip, ping, kernel). Prints simulated packets per wall
// second and the peak resident memory. Not a test: it only measures.
import { runScenario } from '../src/machine/run.ts';
import { MemVfs } from '../src/machine/world.ts';

const count = Number(process.argv[2] ?? 100000);
const script = `
ip netns add a
ip netns add b
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set va up
ip -n b link set vb up
# @traffic
ip netns exec a ping -f -q -c ${count} 10.0.0.2
`;

const t0 = performance.now();
const res = runScenario(script, new MemVfs(), { seed: 1 });
const wall = (performance.now() - t0) / 1000;
const a = res.world.netns.get('a');
const va = a?.devByName.get('va');
const packets = (va?.stats.tx_packets ?? 0) + (va?.stats.rx_packets ?? 0);
const peakMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(res.transcript.split('\n').slice(-3).join('\n'));
process.stdout.write(
  `bench ping-flood: count=${count} packets=${packets} wall=${wall.toFixed(2)}s ` +
    `rate=${Math.round(packets / wall)} pkt/s virtual=${(res.world.sim.now / 1e9).toFixed(3)}s peakRSS=${peakMiB.toFixed(1)}MiB\n`,
);
