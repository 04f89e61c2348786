// GRO's merge rules (tcp_gro_receive), the TX ring's backpressure into the
// qdisc, snull's receive path, pktgen, and the tools' answers to bad input
// (checked against ethtool 6.1 and iproute2 on Linux 6.18).
import { describe, expect, it } from 'vitest';
import { runScenario, type RunResult } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { adapterOf } from '../../src/kernel/drivers/e1000/e1000_main.ts';
import type { NetDevice } from '../../src/kernel/core/netdevice.ts';

function run(script: string, files: Record<string, string> = {}): RunResult {
  const vfs = new MemVfs();
  for (const [k, v] of Object.entries(files)) vfs.files.set(k, v);
  return runScenario(script, vfs, { path: true });
}

const PAIR = (opts = ''): string => `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b ${opts}
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
`;

function eth0(r: RunResult, ns: string): NetDevice {
  return r.world.netns.get(ns)?.devByName.get('eth0') as NetDevice;
}

/** IP ids run per flow (source port), as a sender's would. */
const ids = new Map<number, number>();

/** A TCP segment a → b as it would be on the wire (checksums right). */
function tcp(seq: number, len: number, opts: { flags?: number; tsval?: number; id?: number; sport?: number } = {}): Uint8Array {
  const thlen = 32;
  const f = new Uint8Array(14 + 20 + thlen + len);
  f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00]);
  const ip = 14;
  const w16 = (o: number, v: number): void => {
    f[o] = (v >> 8) & 0xff;
    f[o + 1] = v & 0xff;
  };
  const w32 = (o: number, v: number): void => {
    w16(o, v >>> 16);
    w16(o + 2, v & 0xffff);
  };
  f[ip] = 0x45;
  w16(ip + 2, 20 + thlen + len);
  const sport = opts.sport ?? 40000;
  const id = opts.id ?? ids.get(sport) ?? 0;
  ids.set(sport, id + 1);
  w16(ip + 4, id);
  w16(ip + 6, 0x4000);
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  w32(ip + 12, 0x0a000001);
  w32(ip + 16, 0x0a000002);
  const th = ip + 20;
  w16(th, opts.sport ?? 40000);
  w16(th + 2, 5000);
  w32(th + 4, seq);
  w32(th + 8, 1);
  f[th + 12] = (thlen / 4) << 4;
  f[th + 13] = opts.flags ?? 0x10;
  w16(th + 14, 1000);
  // NOP NOP TS
  f.set([1, 1, 8, 10], th + 20);
  w32(th + 24, opts.tsval ?? 7);
  w32(th + 28, 3);
  for (let i = 0; i < len; i++) f[th + thlen + i] = i & 0xff;
  const sum = (from: number, to: number, init: number): number => {
    let s = init;
    for (let i = from; i < to; i += 2) s += ((f[i] as number) << 8) | (i + 1 < to ? (f[i + 1] as number) : 0);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return ~s & 0xffff;
  };
  w16(ip + 10, sum(ip, ip + 20, 0));
  w16(th + 16, sum(th, f.length, 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + thlen + len));
  return f;
}

/** Frames land in b's ring together (one interrupt) and go through NAPI and GRO. */
function gro(frames: Uint8Array[]): { merged: number[]; up: number } {
  ids.clear();
  const r = run(`${PAIR()}# @traffic\n`);
  const b = adapterOf(eth0(r, 'b'));
  const k = r.world.kernel;
  const mark = k.path.events.length;
  for (const f of frames) b.wireRx(f, 0);
  r.world.sim.runUntil(() => k.sim.events.size === 0 || (b.napi.sched === false && b.icr === 0 && !b.irqPending));
  const ev = k.path.events.slice(mark).filter((e) => e.netns === 'b');
  return {
    merged: ev.filter((e) => e.fn === 'tcp4_gro_complete').map((e) => e.len),
    up: ev.filter((e) => e.fn === 'ip_list_rcv' && e.bytes[e.l3 + 9] === 6).length,
  };
}

describe('GRO merge rules (tcp_gro_receive)', () => {
  it('in-order segments of one flow with equal options become one skb', () => {
    ids.clear();
    const g = gro([tcp(100, 1000), tcp(1100, 1000), tcp(2100, 1000), tcp(3100, 1000)]);
    expect(g.merged).toEqual([20 + 32 + 4000]);
    expect(g.up).toBe(1);
  });
  it('a short segment ends the merge; the next one starts a new skb', () => {
    const g = gro([tcp(100, 1000), tcp(1100, 500), tcp(1600, 1000), tcp(2600, 1000)]);
    expect(g.merged).toEqual([20 + 32 + 1500, 20 + 32 + 2000]);
  });
  it('PSH is merged and flushes', () => {
    const g = gro([tcp(100, 1000), tcp(1100, 1000, { flags: 0x18 }), tcp(2100, 1000)]);
    expect(g.merged).toEqual([20 + 32 + 2000]);
    expect(g.up).toBe(2);
  });
  it('a different TSval is not merged', () => {
    const g = gro([tcp(100, 1000, { tsval: 7 }), tcp(1100, 1000, { tsval: 8 })]);
    expect(g.merged).toEqual([]);
    expect(g.up).toBe(2);
  });
  it('a gap in sequence numbers is not merged', () => {
    const g = gro([tcp(100, 1000), tcp(2100, 1000)]);
    expect(g.merged).toEqual([]);
    expect(g.up).toBe(2);
  });
  it('two flows are merged separately', () => {
    const g = gro([tcp(100, 1000), tcp(100, 1000, { sport: 40001 }), tcp(1100, 1000), tcp(1100, 1000, { sport: 40001 })]);
    expect(g.merged.sort()).toEqual([2052, 2052]);
  });
  it('a pure ACK is not held', () => {
    const g = gro([tcp(100, 0), tcp(100, 0)]);
    expect(g.merged).toEqual([]);
    expect(g.up).toBe(2);
  });
});

describe('transmit', () => {
  it('a full TX ring stops the queue; pfifo_fast holds txqueuelen per band and drops the rest as QDISC_OVERLIMIT', () => {
    const pcap = (n: number): string => {
      const bytes: number[] = [];
      const u32 = (v: number): void => void bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
      u32(0xa1b2c3d4);
      bytes.push(2, 0, 4, 0);
      u32(0);
      u32(0);
      u32(65535);
      u32(1);
      for (let i = 0; i < n; i++) {
        const f = [2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x88, 0xb5, ...new Array(46).fill(i & 0xff)];
        u32(1_764_000_000);
        u32(i);
        u32(f.length);
        u32(f.length);
        bytes.push(...f);
      }
      return String.fromCharCode(...bytes);
    };
    const r = run(`${PAIR('speed 10')}# @traffic\nip netns exec a tcpreplay -q -i eth0 --topspeed f.pcap > /dev/null\nsleep 2\n`, {
      'f.pcap': pcap(2000),
    });
    const a = adapterOf(eth0(r, 'a'));
    const dropped = r.world.kernel.path.events.filter((e) => e.kind === 'drop' && e.reason === 'QDISC_OVERLIMIT').length;
    expect(dropped).toBeGreaterThan(0);
    // a qdisc drop is the qdisc's (tc -s qdisc), not the device's tx_dropped
    expect(eth0(r, 'a').stats.tx_dropped).toBe(0);
    expect(eth0(r, 'a').qdisc?.qstats.drops).toBe(dropped);
    expect(a.stats.gptc + dropped).toBe(2000);
    expect(a.stats.restartQueue).toBeGreaterThan(0);
    // b got every frame a put on the wire
    expect(adapterOf(eth0(r, 'b')).stats.gprc).toBe(a.stats.gptc);
  });

  it('TSO: one GSO skb leaves as MSS frames with their own IP ids and checksums', () => {
    const r = run(
      `${PAIR()}# @traffic\nip netns exec b nc -l -p 5000 > got.txt &\nsleep 0.1\nip netns exec a nc -N 10.0.0.2 5000 < data.txt\nwait\n`,
      { 'data.txt': 'y'.repeat(50_000) },
    );
    const a = adapterOf(eth0(r, 'a'));
    expect(a.stats.tsctc).toBeGreaterThan(0);
    expect(r.world.vfs.readFile('got.txt')).toBe('y'.repeat(50_000));
    // no frame was refused for a bad checksum on the way
    expect(r.world.kernel.path.events.filter((e) => e.kind === 'drop' && /CSUM/.test(e.reason ?? '')).length).toBe(0);
  });
});

describe('software GSO', () => {
  it('ethtool -K tso off: the stack segments in validate_xmit_skb and the driver sends plain frames', () => {
    const r = run(
      `${PAIR()}ip netns exec a ethtool -K eth0 tso off\n# @traffic\nip netns exec b nc -l -p 5000 > got.txt &\nsleep 0.1\nip netns exec a nc -N 10.0.0.2 5000 < data.txt\nwait\n`,
      { 'data.txt': 'z'.repeat(30_000) },
    );
    expect(r.world.vfs.readFile('got.txt')).toBe('z'.repeat(30_000));
    const fns = new Set(r.world.kernel.path.events.filter((e) => e.netns === 'a').map((e) => e.fn));
    expect(fns.has('skb_gso_segment')).toBe(true);
    expect(fns.has('tcp4_gso_segment')).toBe(true);
    expect(fns.has('e1000_tso')).toBe(false);
    expect(adapterOf(eth0(r, 'a')).stats.tsctc).toBe(0);
  });
});

describe('snull', () => {
  it("snull_tx → snull_hw_tx → the peer's snull_rx → eth_type_trans → netif_rx", () => {
    const r = run(`ip netns add a
ip netns add b
skbpath-nic add sn0 netns a model snull address 02:00:00:00:00:0a peer sn1 netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev sn0
ip -n b addr add 10.0.0.2/24 dev sn1
ip -n a link set sn0 up
ip -n b link set sn1 up
# @traffic
ip netns exec a ping -c 1 10.0.0.2
`);
    expect(r.transcript).toContain('1 packets transmitted, 1 received');
    const ev = r.world.kernel.path.events;
    const echo = ev.find((e) => e.fn === 'snull_tx' && e.netns === 'a' && e.l3 >= 0 && e.bytes[e.l3 + 9] === 1);
    expect(echo).toBeDefined();
    const sent = ev.filter((e) => e.origin === echo?.origin && e.netns === 'a').map((e) => e.fn);
    const at = sent.indexOf('snull_tx');
    // the sender's skb ends at the TX interrupt (dev_kfree_skb: consume_skb)
    expect(sent.slice(at)).toEqual(['snull_tx', 'snull_hw_tx', 'snull_regular_interrupt']);
    const path = ev.filter((e) => e.origin === echo?.origin && e.netns === 'b').map((e) => e.fn);
    expect(path.slice(0, 5)).toEqual(['snull_rx', 'eth_type_trans', '__netif_rx', '__netif_receive_skb_core', 'ip_rcv']);
  });
});

describe('pktgen', () => {
  it('sends count packets through the driver and reports the result', () => {
    const r = run(`ip netns add b
skbpath-nic add eth0 address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b
ip addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n b link set eth0 up
# @traffic
echo "add_device eth0" > /proc/net/pktgen/kpktgend_0
echo "count 500" > /proc/net/pktgen/eth0
echo "pkt_size 200" > /proc/net/pktgen/eth0
echo "dst 10.0.0.2" > /proc/net/pktgen/eth0
echo "dst_mac 02:00:00:00:00:0b" > /proc/net/pktgen/eth0
echo start > /proc/net/pktgen/pgctrl
grep -c . /proc/net/pgctrl 2>/dev/null
cat /proc/net/pktgen/pgctrl
grep -A1 Result: /proc/net/pktgen/eth0
echo bogus 1 > /proc/net/pktgen/eth0
grep Result: /proc/net/pktgen/eth0
`);
    expect(r.transcript).toContain('Packet Generator (proc) version 2.75\n');
    expect(r.transcript).toMatch(/Result: OK: \d+\(c\d+\+d\d+\) usec, 500 \(200byte,0frags\)\n  \d+pps \d+Mb\/sec \(\d+bps\) errors: 0\n/);
    expect(r.transcript).toContain('Result: No such parameter "bogus"\n');
    const b = adapterOf(eth0(r, 'b'));
    // 500 UDP frames (196 bytes without FCS) and the ARP exchange for b's port unreachable
    expect(b.stats.gprc).toBeGreaterThanOrEqual(500);
    expect(r.world.kernel.path.events.filter((e) => e.fn === 'pktgen_xmit').length).toBe(500);
  });
});

describe('tools: bad input answers as the real ones', () => {
  const r = run(`${PAIR()}# @traffic
ip netns exec a ethtool -G eth0 rx; echo rc=$?
ip netns exec a ethtool -G eth0 rx abc; echo rc=$?
ip netns exec a ethtool -G eth0 foo 1; echo rc=$?
ip netns exec a ethtool -G eth0 rx 5000; echo rc=$?
ip netns exec a ethtool -K eth0 gro maybe; echo rc=$?
ip netns exec a ethtool -S nosuch; echo rc=$?
ip netns exec a ethtool -i nosuch; echo rc=$?
ip netns exec a ethtool -g nosuch; echo rc=$?
ip netns exec a ethtool -g; echo rc=$?
ip netns exec a ethtool -g lo; echo rc=$?
ip netns exec a ethtool -S lo; echo rc=$?
ip netns exec a ethtool --version
ip link add x type e1000; echo rc=$?
skbpath-nic add eth9 peer eth9 netns nosuch; echo rc=$?
skbpath-nic add eth9 peer eth8 speed 2500; echo rc=$?
skbpath-nic add eth9; echo rc=$?
`);
  it.each([
    ["ethtool (-G): no value for parameter 'rx'\nrc=1\n"],
    ["ethtool (-G): invalid value 'abc' for parameter 'rx'\nrc=1\n"],
    ["ethtool (-G): unknown parameter 'foo'\nrc=1\n"],
    ['netlink error: requested ring size exceeds maximum\nnetlink error: Invalid argument\nrc=81\n'],
    ["ethtool (-K): flag 'maybe' for parameter '(null)' is not followed by 'on' or 'off'\nrc=1\n"],
    ['Cannot get stats strings information: No such device\nrc=96\n'],
    ['Cannot get driver information: No such device\nrc=71\n'],
    ['netlink error: no device matches name (offset 24)\nnetlink error: No such device\nrc=1\n'],
    ['ethtool: bad command line argument(s)\nFor more information run ethtool -h\nrc=1\n'],
    ['netlink error: Operation not supported\nrc=1\n'],
    ['no stats available\nrc=94\n'],
    ['ethtool version 6.1\n'],
    ['Error: Unknown device type.\nrc=2\n'],
    ['skbpath-nic: netns "nosuch" not found\nrc=1\n'],
    ['skbpath-nic: e1000 links run at 10, 100 or 1000 Mb/s, not 2500\nrc=2\n'],
    ['skbpath-nic: add: peer NAME is required (a NIC needs a cable to another NIC)\nrc=2\n'],
  ])('%s', (want) => {
    expect(r.transcript).toContain(want);
  });
});

describe('untrusted frames through the e1000 receive path never throw', () => {
  it('random TCP-ish frames in bursts (GRO parses them all)', async () => {
    const fc = (await import('fast-check')).default;
    const r = run(`${PAIR()}ip netns exec b ethtool -K eth0 rx on\n# @traffic\n`);
    const b = adapterOf(eth0(r, 'b'));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            seq: fc.integer({ min: 0, max: 5000 }),
            len: fc.integer({ min: 0, max: 1400 }),
            flags: fc.integer({ min: 0, max: 255 }),
            tsval: fc.integer({ min: 0, max: 3 }),
            sport: fc.integer({ min: 40000, max: 40002 }),
            junk: fc.uint8Array({ minLength: 0, maxLength: 8 }),
            cut: fc.integer({ min: 0, max: 80 }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (segs) => {
          for (const s of segs) {
            const f = tcp(s.seq, s.len, { flags: s.flags, tsval: s.tsval, sport: s.sport });
            // corrupt some header bytes and truncate: the MAC pads short frames to 60 on the sender
            f.set(s.junk, 14 + (s.seq % 40));
            const cut = f.subarray(0, Math.max(60, f.length - s.cut));
            b.wireRx(cut.slice(), 0);
          }
          expect(() =>
            r.world.sim.runUntil(() => r.world.sim.events.size === 0 || (!b.napi.sched && !b.irqPending && b.icr === 0)),
          ).not.toThrow();
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    );
  });
});
