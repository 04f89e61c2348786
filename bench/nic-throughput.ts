// Benchmark: TCP through two simulated e1000 NICs on a 1 Gb/s cable (TSO on
// the sender, GRO on the receiver), then a pktgen flood of 60-byte frames.
// Prints the goodput in virtual time (what the simulated machine achieved)
// and the wall-clock cost of simulating it. Not a test: it only measures.
//   npx tsx bench/nic-throughput.ts [BYTES] [PKTGEN_COUNT]
import { runScenario } from '../src/machine/run.ts';
import { MemVfs } from '../src/machine/world.ts';
import { adapterOf } from '../src/kernel/drivers/e1000/e1000_main.ts';

const bytes = Number(process.argv[2] ?? 2_000_000);
const count = Number(process.argv[3] ?? 200_000);
const SETUP = `ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000 delay 20us
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
`;

{
  const vfs = new MemVfs();
  vfs.files.set('data.bin', 'x'.repeat(bytes));
  const script = `${SETUP}# @traffic
ip netns exec b nc -l -p 5000 > got.bin &
sleep 0.1
ip netns exec a nc -N 10.0.0.2 5000 < data.bin
wait
`;
  const t0 = performance.now();
  const res = runScenario(script, vfs, { seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const got = vfs.files.get('got.bin')?.length ?? 0;
  const b = adapterOf(res.world.netns.get('b')?.devByName.get('eth0') as never);
  // virtual time of the transfer: from the first to the last frame b's MAC took in
  const virt = (b.lastRxAt - b.firstRxAt) / 1e9;
  process.stdout.write(
    `bench nic-tcp: bytes=${got} frames=${b.stats.gprc} interrupts=${b.interrupts} virtual=${virt.toFixed(4)}s goodput=${((got * 8) / virt / 1e6).toFixed(0)}Mb/s wall=${wall.toFixed(2)}s frames/wall-s=${Math.round(b.stats.gprc / wall)}\n`,
  );
}

{
  const script = `ip netns add b
skbpath-nic add eth0 address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000
ip addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n b link set eth0 up
# @traffic
echo "add_device eth0" > /proc/net/pktgen/kpktgend_0
echo "count ${count}" > /proc/net/pktgen/eth0
echo "dst 10.0.0.2" > /proc/net/pktgen/eth0
echo "dst_mac 02:00:00:00:00:0b" > /proc/net/pktgen/eth0
echo start > /proc/net/pktgen/pgctrl
grep -A1 Result: /proc/net/pktgen/eth0
`;
  const t0 = performance.now();
  const res = runScenario(script, new MemVfs(), { seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const b = adapterOf(res.world.netns.get('b')?.devByName.get('eth0') as never);
  process.stdout.write(res.transcript);
  process.stdout.write(
    `bench nic-pktgen: sent=${count} received=${b.stats.gprc} missed=${b.stats.mpc} wall=${wall.toFixed(2)}s frames/wall-s=${Math.round(count / wall)}\n`,
  );
}
