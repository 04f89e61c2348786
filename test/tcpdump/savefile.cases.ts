// Savefiles crafted byte by byte for `tcpdump -r`: pcapng in its block kinds
// and byte orders, the link types tcpdump reads, and corrupt files. The real
// tcpdump's answers are in savefile.recorded.json (savefile.record.ts).
import { writePcapng } from '../../src/wire/pcapng.ts';

const le32 = (v: number): number[] => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const be32 = (v: number): number[] => le32(v).reverse();
const le16 = (v: number): number[] => [v & 255, (v >>> 8) & 255];

const icmp4 = [0x45, 0, 0, 32, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 8, 0, 0, 0, 0, 1, 0, 1, 97, 98, 99, 100];
const ipv6 = [
  0x60,
  0,
  0,
  0,
  0,
  8,
  58,
  64,
  0xfe,
  0x80,
  ...Array(13).fill(0),
  1,
  0xfe,
  0x80,
  ...Array(13).fill(0),
  2,
  128,
  0,
  0,
  0,
  0,
  1,
  0,
  1,
];
const eth = (p: number[]): number[] => [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0, ...p];

function pcap(linktype: number, pkts: number[][], snaplen = 262144): number[] {
  const out = [...le32(0xa1b2c3d4), ...le16(2), ...le16(4), ...le32(0), ...le32(0), ...le32(snaplen), ...le32(linktype)];
  pkts.forEach((p, i) => out.push(...le32(1700000000 + i), ...le32(i * 1000), ...le32(p.length), ...le32(p.length), ...p));
  return out;
}

function block(type: number, body: number[]): number[] {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 12 + body.length + pad;
  return [...le32(type), ...le32(total), ...body, ...Array(pad).fill(0), ...le32(total)];
}
const opt = (code: number, val: number[]): number[] => [
  ...le16(code),
  ...le16(val.length),
  ...val,
  ...Array((4 - (val.length % 4)) % 4).fill(0),
];
const shb = (): number[] => block(0x0a0d0d0a, [...le32(0x1a2b3c4d), ...le16(1), ...le16(0), ...Array(8).fill(255)]);
const idb = (lt: number, snap = 262144, opts: number[] = []): number[] => block(1, [...le16(lt), 0, 0, ...le32(snap), ...opts]);
const ts = 1700000000n * 1000000n + 123456n;
function epb(ifid: number, t: bigint, p: number[], caplen = p.length): number[] {
  return block(6, [...le32(ifid), ...le32(Number(t >> 32n)), ...le32(Number(t & 0xffffffffn)), ...le32(caplen), ...le32(p.length), ...p]);
}
const spb = (p: number[]): number[] => block(3, [...le32(p.length), ...p]);
const nrb = (): number[] => block(4, [...le16(1), ...le16(10), 10, 0, 0, 2, 104, 111, 115, 116, 50, 0, ...le16(0), ...le16(0)]);
const isb = (): number[] => block(5, [...le32(0), ...le32(Number(ts >> 32n)), ...le32(Number(ts & 0xffffffffn))]);

const ethPcapng = [...shb(), ...idb(1), ...epb(0, ts, eth(icmp4)), ...epb(0, ts + 1000n, eth(icmp4))];

function bigEndianPcapng(): number[] {
  const p = eth(icmp4);
  const pad = (4 - (p.length % 4)) % 4;
  const epbLen = 32 + p.length + pad;
  return [
    ...[0x0a, 0x0d, 0x0d, 0x0a],
    ...be32(28),
    ...be32(0x1a2b3c4d),
    0,
    1,
    0,
    0,
    ...Array(8).fill(255),
    ...be32(28),
    ...be32(1),
    ...be32(20),
    0,
    1,
    0,
    0,
    ...be32(262144),
    ...be32(20),
    ...be32(6),
    ...be32(epbLen),
    ...be32(0),
    ...be32(Number(ts >> 32n)),
    ...be32(Number(ts & 0xffffffffn)),
    ...be32(p.length),
    ...be32(p.length),
    ...p,
    ...Array(pad).fill(0),
    ...be32(epbLen),
  ];
}

function patch(b: number[], at: number, v: number[]): number[] {
  const c = [...b];
  c.splice(at, v.length, ...v);
  return c;
}

/** File name → bytes; each is read with `tcpdump -nr NAME` (and -e for some). */
export const SAVEFILES: Record<string, Uint8Array> = Object.fromEntries(
  Object.entries({
    'null.pcap': pcap(0, [
      [...le32(2), ...icmp4],
      [...le32(10), ...ipv6],
    ]),
    'raw12.pcap': pcap(12, [icmp4]),
    'raw101.pcap': pcap(101, [icmp4, icmp4]),
    'loop.pcap': pcap(108, [[...be32(2), ...icmp4]]),
    'user0.pcap': pcap(147, [icmp4]),
    'ipv4.pcap': pcap(228, [icmp4]),
    'sll.pcap': pcap(113, [[0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 8, 0, ...icmp4]]),
    'snap40.pcap': pcap(1, [eth(icmp4)], 40),
    'corrupt.pcap': patch(pcap(1, [eth(icmp4), eth(icmp4)]), 24 + 16 + 46 + 8, le32(300000)),
    'corrupt-snap400k.pcap': patch(pcap(1, [eth(icmp4), eth(icmp4)], 400000), 24 + 16 + 46 + 8, le32(300000)),
    'truncated.pcap': pcap(1, [eth(icmp4), eth(icmp4)]).slice(0, -5),
    'eth.pcapng': ethPcapng,
    'be.pcapng': bigEndianPcapng(),
    'spb.pcapng': [...shb(), ...idb(1), ...spb(eth(icmp4))],
    'blocks.pcapng': [
      ...shb(),
      ...idb(1),
      ...idb(1, 262144, [...opt(2, [116, 117, 110, 48]), ...opt(9, [9]), ...opt(0, [])]),
      ...epb(0, ts, eth(icmp4)),
      ...nrb(),
      ...epb(1, ts * 1000n + 5n, eth(icmp4)),
      ...isb(),
      ...block(0x99, [1, 2, 3, 4]),
      ...epb(1, ts * 1000n + 7000n, eth(icmp4)),
    ],
    'two-linktypes.pcapng': [...shb(), ...idb(1), ...idb(101), ...epb(0, ts, eth(icmp4)), ...epb(1, ts, icmp4)],
    'two-snaplens.pcapng': [...shb(), ...idb(1), ...idb(1, 65535), ...epb(0, ts, eth(icmp4))],
    'bad-ifid.pcapng': [...shb(), ...idb(1), ...epb(3, ts, eth(icmp4))],
    'corrupt.pcapng': [...shb(), ...idb(1), ...epb(0, ts, eth(icmp4), 300000)],
    'truncated.pcapng': ethPcapng.slice(0, -10),
    'short-block.pcapng': [...shb(), ...le32(1), ...le32(7), ...Array(20).fill(0)],
    'written.pcapng': [
      ...writePcapng(
        [
          { linktype: 1, name: 'eth0' },
          { linktype: 1, name: 'eth1', nanosecond: true },
        ],
        [
          { ifid: 0, tsNs: 1700000000_123456000n, data: Uint8Array.from(eth(icmp4)) },
          { ifid: 1, tsNs: 1700000000_123457001n, data: Uint8Array.from(eth(icmp4)) },
        ],
        [{ ifid: 0, tsNs: 1700000001_000000000n, received: 2n, dropped: 0n }],
      ),
    ],
    junk: Array.from('hello world and more bytes', (c) => c.charCodeAt(0)),
    short: [1, 2, 3],
  }).map(([k, v]) => [k, Uint8Array.from(v)]),
);

/** The command lines run on each file. */
export const SAVEFILE_RUNS: readonly string[][] = [
  ...Object.keys(SAVEFILES).map((f) => ['-nr', f]),
  ['-enr', 'null.pcap'],
  ['-enr', 'raw101.pcap'],
  ['-enr', 'ipv4.pcap'],
  ['-nr', 'null.pcap', '-x'],
  ['-nr', 'eth.pcapng', 'icmp'],
  ['-nr', 'blocks.pcapng', '-c', '2'],
  ['-r', 'eth.pcapng', '--count'],
];
