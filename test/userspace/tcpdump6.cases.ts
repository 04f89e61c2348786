// A corpus of IPv6 frames crafted byte by byte for tcpdump's IPv6 printers:
// every ICMPv6 error and code, echo, neighbour discovery with each option,
// MLDv1/MLDv2, fragments, extension header chains, UDP/TCP with right and
// wrong checksums, truncated frames, unknown next headers and odd addresses.
// tcpdump6.record.ts records what tcpdump 4.99.3 prints for it.
import { parseIpv6 } from '../../src/wire/ipv6.ts';
import { PcapWriter } from '../../src/wire/pcap.ts';

type B = number[];

const a6 = (s: string): B => {
  const a = parseIpv6(s);
  if (!a) throw new Error(s);
  return [...a];
};
const be16 = (v: number): B => [(v >> 8) & 255, v & 255];
const be32 = (v: number): B => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const macb = (m: string): B => m.split(':').map((x) => Number.parseInt(x, 16));

const H1 = '02:00:00:00:00:01';
const H2 = '02:00:00:00:00:02';

function eth(payload: B, dst = H2, src = H1, type = 0x86dd): B {
  return [...macb(dst), ...macb(src), ...be16(type), ...payload];
}

function cksum(bytes: B): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += ((bytes[i] as number) << 8) | (bytes[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

interface Ip6 {
  src?: string;
  dst?: string;
  hlim?: number;
  tc?: number;
  fl?: number;
  /** payload length override */
  plen?: number;
  ver?: number;
}

/** An IPv6 header and payload; `nh` is the first next header. */
function ip6(nh: number, payload: B, o: Ip6 = {}): B {
  const ver = o.ver ?? 6;
  const tc = o.tc ?? 0;
  const fl = o.fl ?? 0;
  const w = ((ver << 28) | (tc << 20) | fl) >>> 0;
  return [
    ...be32(w),
    ...be16(o.plen ?? payload.length),
    nh,
    o.hlim ?? 64,
    ...a6(o.src ?? '2001:db8::1'),
    ...a6(o.dst ?? '2001:db8::2'),
    ...payload,
  ];
}

/** A transport payload with its checksum at `at`, over the pseudo-header for `dst`. */
function withSum(proto: number, body: B, at: number, src: string, dst: string, bad = 0): B {
  const b = [...body];
  b[at] = 0;
  b[at + 1] = 0;
  const ph = [...a6(src), ...a6(dst), ...be32(b.length), 0, 0, 0, proto];
  const c = (cksum([...ph, ...b]) ^ bad) & 0xffff;
  b[at] = c >> 8;
  b[at + 1] = c & 255;
  return b;
}

interface Pkt extends Ip6 {
  /** extension headers before the transport: [nh-of-this-header, bytes without its first byte] */
  ext?: [number, B][];
  /** the final destination for the checksum (routing headers) */
  sumDst?: string;
  bad?: number;
}

/** IPv6 + extension headers + one transport payload with its checksum. */
function pkt(proto: number, body: B, sumAt: number, o: Pkt = {}): B {
  const src = o.src ?? '2001:db8::1';
  const dst = o.dst ?? '2001:db8::2';
  const t = sumAt >= 0 ? withSum(proto, body, sumAt, src, o.sumDst ?? dst, o.bad ?? 0) : body;
  const ext = o.ext ?? [];
  let payload = t;
  let next = proto;
  for (let i = ext.length - 1; i >= 0; i--) {
    const [type, rest] = ext[i] as [number, B];
    payload = [next, ...rest, ...payload];
    next = type;
  }
  return eth(ip6(next, payload, o));
}

const icmp6 = (type: number, code: number, rest: B, o: Pkt = {}): B => pkt(58, [type, code, 0, 0, ...rest], 2, o);
const udp = (sport: number, dport: number, data: B, o: Pkt = {}): B =>
  pkt(17, [...be16(sport), ...be16(dport), ...be16(8 + data.length), 0, 0, ...data], 6, o);
function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, opts: B, data: B, o: Pkt = {}): B {
  const doff = (20 + opts.length) / 4;
  return pkt(
    6,
    [...be16(sport), ...be16(dport), ...be32(seq), ...be32(ack), doff << 4, flags, ...be16(64240), 0, 0, 0, 0, ...opts, ...data],
    16,
    o,
  );
}

const txt = (t: string): B => Array.from(t, (c) => c.charCodeAt(0));
const pad = (n: number): B => Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);
/** An extension header's bytes after its next-header byte: len, then the options padded to 8n. */
function opts(body: B): B {
  const total = Math.ceil((body.length + 2) / 8) * 8;
  const b = [...body];
  const padn = total - 2 - b.length;
  if (padn === 1) b.push(0);
  else if (padn > 1) b.push(1, padn - 2, ...Array(padn - 2).fill(0));
  return [total / 8 - 1, ...b];
}

const RTALERT: B = [5, 2, 0, 0];
const slla = (m: string): B => [1, 1, ...macb(m)];
const tlla = (m: string): B => [2, 1, ...macb(m)];
const quoted = (inner: B): B => inner.slice(14);

const echoReq = (id: number, seq: number, o: Pkt = {}): B => icmp6(128, 0, [...be16(id), ...be16(seq), ...pad(56)], o);

// A UDP datagram and a TCP segment as an error message quotes them.
const innerUdp = quoted(udp(40000, 33434, pad(12), { src: '2001:db8::2', dst: '2001:db8:1::9' }));
const innerTcp = quoted(tcp(40001, 5001, 1000, 0, 0x02, [], [], { src: '2001:db8::2', dst: '2001:db8:1::9' }));
const innerIcmp = quoted(echoReq(7, 1, { src: '2001:db8::2', dst: '2001:db8:1::9' }));
const innerViaHbh = quoted(udp(40000, 53, pad(4), { src: '2001:db8::2', dst: '2001:db8:1::9', ext: [[0, opts(RTALERT)]] }));

const prefixInfo = (prefix: string, len: number, flags: number, valid: number, pref: number): B => [
  3,
  4,
  len,
  flags,
  ...be32(valid),
  ...be32(pref),
  0,
  0,
  0,
  0,
  ...a6(prefix),
];
const dnsName = (labels: string[]): B => [...labels.flatMap((l) => [l.length, ...Array.from(l, (c) => c.charCodeAt(0))]), 0];
function dnssl(names: string[][]): B {
  const body = names.flatMap(dnsName);
  const total = Math.ceil((8 + body.length) / 8) * 8;
  return [31, total / 8, 0, 0, ...be32(600), ...body, ...Array(total - 8 - body.length).fill(0)];
}
const ra = (flags: number, options: B, o: Pkt = {}): B =>
  icmp6(134, 0, [64, flags, ...be16(1800), ...be32(30000), ...be32(1000), ...options], {
    src: 'fe80::1',
    dst: 'ff02::1',
    hlim: 255,
    ...o,
  });

const mldv2Record = (type: number, group: string, sources: string[], aux: B = []): B => [
  type,
  aux.length / 4,
  ...be16(sources.length),
  ...a6(group),
  ...sources.flatMap(a6),
  ...aux,
];
const mldv2Report = (records: B[], n = records.length): B =>
  pkt(58, [143, 0, 0, 0, 0, 0, ...be16(n), ...records.flat()], 2, {
    src: 'fe80::1',
    dst: 'ff02::16',
    hlim: 1,
    ext: [[0, opts(RTALERT)]],
  });
const mldv2Query = (mrc: number, group: string, sqrv: number, qqic: number, sources: string[], o: Pkt = {}): B =>
  pkt(58, [130, 0, 0, 0, ...be16(mrc), 0, 0, ...a6(group), sqrv, qqic, ...be16(sources.length), ...sources.flatMap(a6)], 2, {
    src: 'fe80::1',
    dst: 'ff02::1',
    hlim: 1,
    ext: [[0, opts(RTALERT)]],
    ...o,
  });
const mld1 = (type: number, delay: number, group: string, dst: string): B =>
  pkt(58, [type, 0, 0, 0, ...be16(delay), 0, 0, ...a6(group)], 2, { src: 'fe80::1', dst, hlim: 1, ext: [[0, opts(RTALERT)]] });

/** A fragment header's bytes after its next-header byte. */
const fragHdr = (off: number, more: boolean, id: number): B => [0, ...be16(off | (more ? 1 : 0)), ...be32(id)];

function fragments(): B[] {
  const whole = udp(5000, 6000, pad(100), { src: '2001:db8::1', dst: '2001:db8::2' });
  const t = whole.slice(54); // the UDP datagram
  const f1 = eth(ip6(44, [17, ...fragHdr(0, true, 0xabcd1234), ...t.slice(0, 48)]));
  const f2 = eth(ip6(44, [17, ...fragHdr(48, true, 0xabcd1234), ...t.slice(48, 96)]));
  const f3 = eth(ip6(44, [17, ...fragHdr(96, false, 0xabcd1234), ...t.slice(96)]));
  const ping = echoReq(9, 3).slice(54);
  const g1 = eth(ip6(44, [58, ...fragHdr(0, true, 0x42), ...ping.slice(0, 32)]));
  const g2 = eth(ip6(44, [58, ...fragHdr(32, false, 0x42), ...ping.slice(32)]));
  const tcpSeg = tcp(5001, 40000, 1, 1, 0x18, [], pad(40)).slice(54);
  const h1 = eth(ip6(44, [6, ...fragHdr(0, true, 7), ...tcpSeg.slice(0, 32)]));
  const atomic = eth(ip6(44, [58, ...fragHdr(0, false, 0x99), ...ping]));
  const fragOnlyHdr = eth(ip6(44, [59, ...fragHdr(0, true, 5)]));
  return [f1, f2, f3, g1, g2, h1, atomic, fragOnlyHdr];
}

function tcpFlow(): B[] {
  const c = { src: '2001:db8::1', dst: '2001:db8::2' };
  const s = { src: '2001:db8::2', dst: '2001:db8::1' };
  const mss = [2, 4, 5, 0xa0, 4, 2, 8, 10, ...be32(1000), ...be32(0), 1, 3, 3, 7];
  return [
    tcp(40000, 5001, 1000, 0, 0x02, mss, [], c),
    tcp(5001, 40000, 9000, 1001, 0x12, mss, [], s),
    tcp(40000, 5001, 1001, 9001, 0x10, [1, 1, 8, 10, ...be32(1001), ...be32(2000)], [], c),
    tcp(40000, 5001, 1001, 9001, 0x18, [], pad(100), c),
    tcp(5001, 40000, 9001, 1101, 0x10, [1, 1, 5, 10, ...be32(1201), ...be32(1301)], [], s),
    tcp(40000, 5001, 1101, 9001, 0x11, [], [], { ...c, bad: 0x1111 }),
    tcp(5001, 40000, 9001, 1102, 0x14, [], [], s),
    tcp(40000, 5001, 1, 0, 0x29, [], [], c),
    tcp(40000, 5001, 1, 0, 0xc2, [19, 18, ...pad(16), 28, 4, 0x81, 0x2c, 99, 4, 1, 2, 0], [], c),
    tcp(40000, 5001, 1, 0, 0x02, [2, 3, 5, 0], [], c),
    tcp(40000, 5001, 1, 0, 0x02, [2, 40], [], c),
  ];
}

function truncate(f: B, n: number): B {
  return f.slice(0, n);
}

export interface Frame {
  data: B;
  /** the length on the wire (more than data's when the capture cut it) */
  orig: number;
}

export function corpus(): Frame[] {
  const frames: Frame[] = [];
  const add = (...f: B[]): void => {
    for (const data of f) frames.push({ data, orig: data.length });
  };
  // Echo, global and link-local, class and flow labels.
  add(echoReq(0x1234, 1), icmp6(129, 0, [...be16(0x1234), ...be16(1), ...pad(56)], { src: '2001:db8::2', dst: '2001:db8::1' }));
  add(echoReq(1, 2, { src: 'fe80::200:ff:fe00:1', dst: 'fe80::200:ff:fe00:2', fl: 0xabcde }));
  add(echoReq(1, 3, { tc: 0xb8, fl: 0 }), echoReq(1, 4, { tc: 0x01, fl: 1 }), echoReq(1, 5, { bad: 0x0f0f }));
  add(echoReq(2, 1, { src: '::1', dst: '::1' }), echoReq(2, 2, { src: '::ffff:10.0.0.1', dst: '::10.0.0.2' }));
  add(echoReq(2, 3, { src: '2001:db8:0:0:1:0:0:1', dst: '2001:0:0:1::' }), echoReq(2, 4, { dst: 'ff02::1:ff00:2', hlim: 255 }));
  // Destination unreachable, each code.
  for (const code of [0, 1, 2, 3, 5, 6, 7]) add(icmp6(1, code, [0, 0, 0, 0, ...innerUdp], { src: '2001:db8::fe', dst: '2001:db8::2' }));
  add(icmp6(1, 4, [0, 0, 0, 0, ...innerUdp]), icmp6(1, 4, [0, 0, 0, 0, ...innerTcp]), icmp6(1, 4, [0, 0, 0, 0, ...innerIcmp]));
  add(icmp6(1, 4, [0, 0, 0, 0, ...innerViaHbh]), icmp6(1, 4, [0, 0, 0, 0, ...innerUdp.slice(0, 40)]));
  add(icmp6(1, 4, [0, 0, 0, 0, ...quoted(udp(40000, 53, [], { src: '2001:db8::2', dst: '2001:db8:1::9' }))]));
  // Packet too big, time exceeded, parameter problem.
  add(icmp6(2, 0, [...be32(1280), ...innerUdp]), icmp6(2, 0, [...be32(1400), ...innerIcmp.slice(0, 60)]));
  for (const code of [0, 1, 2]) add(icmp6(3, code, [0, 0, 0, 0, ...innerUdp]));
  for (const code of [0, 1, 2, 3, 4]) add(icmp6(4, code, [...be32(40 + code), ...innerUdp]));
  add(icmp6(4, 0, [...be32(6), ...innerUdp.slice(0, 30)]));
  // Neighbour discovery.
  add(icmp6(133, 0, [0, 0, 0, 0, ...slla(H1)], { src: 'fe80::1', dst: 'ff02::2', hlim: 255 }));
  add(icmp6(133, 0, [0, 0, 0, 0], { src: '::', dst: 'ff02::2', hlim: 255 }));
  add(
    ra(0xc8, [
      ...slla(H1),
      5,
      1,
      0,
      0,
      ...be32(1500),
      ...prefixInfo('2001:db8::', 64, 0xc0, 2592000, 604800),
      ...prefixInfo('2001:db8:1::', 48, 0xe0, 0xffffffff, 0xffffffff),
      25,
      5,
      0,
      0,
      ...be32(300),
      ...a6('2001:db8::53'),
      ...a6('2001:db8::54'),
      24,
      1,
      0,
      0x08,
      ...be32(600),
      24,
      2,
      48,
      0x18,
      ...be32(0xffffffff),
      ...a6('2001:db8:2::').slice(0, 8),
      24,
      3,
      64,
      0x10,
      ...be32(100),
      ...a6('2001:db8:3:4::'),
      7,
      1,
      0,
      0,
      ...be32(60000),
      8,
      1,
      0,
      0,
      ...be16(10),
      ...be16(1800),
      99,
      1,
      1,
      2,
      3,
      4,
      5,
      6,
    ]),
  );
  add(ra(0x00, [...slla(H1)]), ra(0x22, [...dnssl([['example', 'com'], ['lab']])]), ra(0x18, [5, 2, 0, 0, ...be32(9000), ...pad(8)]));
  add(ra(0x40, [3, 3, 64, 0, ...pad(22)]), ra(0x80, [1, 0, 1, 2]), ra(0x80, [...slla(H1), 1, 4, 0, 0]));
  add(icmp6(135, 0, [0, 0, 0, 0, ...a6('2001:db8::2'), ...slla(H1)], { dst: 'ff02::1:ff00:2', hlim: 255 }));
  add(icmp6(135, 0, [0, 0, 0, 0, ...a6('fe80::200:ff:fe00:1')], { src: '::', dst: 'ff02::1:ff00:1', hlim: 255 }));
  add(icmp6(135, 0, [0, 0, 0, 0, ...a6('2001:db8::2'), 14, 1, 1, 2, 3, 4, 5, 6], { dst: 'ff02::1:ff00:2', hlim: 255 }));
  for (const fl of [0xe0, 0x60, 0x20, 0x00, 0x40, 0x1f])
    add(icmp6(136, 0, [fl, 0, 0, 0, ...a6('2001:db8::2'), ...tlla(H2)], { src: '2001:db8::2', dst: '2001:db8::1', hlim: 255 }));
  add(icmp6(136, 0, [0xa0, 0, 0, 0, ...a6('fe80::2')], { src: 'fe80::2', dst: 'ff02::1', hlim: 255 }));
  add(
    icmp6(
      137,
      0,
      [
        0,
        0,
        0,
        0,
        ...a6('fe80::3'),
        ...a6('2001:db8:5::1'),
        ...tlla('02:00:00:00:00:03'),
        4,
        6,
        0,
        0,
        0,
        0,
        0,
        0,
        ...innerUdp.slice(0, 40),
      ],
      {
        src: 'fe80::1',
        dst: 'fe80::2',
        hlim: 255,
      },
    ),
  );
  add(icmp6(141, 0, [0, 0, 0, 0]), icmp6(142, 0, [0, 0, 0, 0]), icmp6(144, 0, [0x12, 0x34, 0, 0]), icmp6(146, 0, [0xab, 0xcd, 0, 0]));
  add(icmp6(145, 0, [0x12, 0x34, 0, 0, ...a6('2001:db8::a'), ...a6('2001:db8::b')]));
  add(icmp6(147, 0, [0x12, 0x34, 0xc0, 0, ...prefixInfo('2001:db8:9::', 64, 0x40, 100, 50)]));
  add(icmp6(250, 0, [1, 2, 3, 4, ...pad(20)]), icmp6(200, 0, pad(12)), icmp6(201, 1, pad(4)), icmp6(127, 0, pad(36)));
  // MLD.
  add(mld1(130, 10000, '::', 'ff02::1'), mld1(130, 1000, 'ff02::1:ff00:1', 'ff02::1:ff00:1'));
  add(mld1(131, 0, 'ff02::1:ff00:1', 'ff02::1:ff00:1'), mld1(132, 0, 'ff02::1:ff00:1', 'ff02::2'));
  add(mldv2Query(10000, '::', 2, 125, []), mldv2Query(0x8f00, 'ff05::1', 0x0a, 0xa5, ['2001:db8::1', '2001:db8::2']));
  add(mldv2Query(100, 'ff05::2', 0, 0, ['2001:db8::1'], { plen: 8 + 28 + 8 }));
  add(pkt(58, [130, 0, 0, 0, 0, 10, 0, 0, ...a6('ff02::1').slice(0, 12)], 2, { src: 'fe80::1', dst: 'ff02::1' }));
  add(mldv2Report([mldv2Record(4, 'ff02::1:ff00:1', []), mldv2Record(4, 'ff02::1:ff00:2', [])]));
  add(mldv2Report([mldv2Record(1, 'ff05::1', ['2001:db8::1', '2001:db8::2']), mldv2Record(6, 'ff05::2', ['2001:db8::3'], [1, 2, 3, 4])]));
  add(mldv2Report([mldv2Record(3, 'ff05::3', []), mldv2Record(9, 'ff05::4', [])]), mldv2Report([mldv2Record(5, 'ff05::5', [])], 3));
  add(mldv2Report([[2, 0, 0, 9, ...a6('ff05::6')]]), pkt(58, [143, 0, 0, 0, 0, 0], 2, { src: 'fe80::1', dst: 'ff02::16' }));
  // Fragments.
  add(...fragments());
  // Extension header chains.
  add(echoReq(3, 1, { ext: [[0, opts([...RTALERT])]] }), echoReq(3, 2, { ext: [[0, opts([0, 1, 0, 0x3e, 2, 1, 2])]] }));
  add(
    echoReq(3, 3, { ext: [[60, opts([0x1e, 3, 1, 2, 3])]] }),
    echoReq(3, 4, {
      ext: [
        [0, opts([])],
        [60, opts([0, 0])],
      ],
    }),
  );
  add(
    echoReq(3, 5, {
      ext: [
        [0, opts(RTALERT)],
        [0, opts(RTALERT)],
      ],
    }),
    echoReq(3, 6, {
      ext: [
        [60, opts([])],
        [0, opts([])],
      ],
    }),
  );
  add(echoReq(3, 7, { ext: [[0, opts([5, 3, 0, 0, 0])]] }), echoReq(3, 8, { ext: [[0, opts([0xc2, 4, ...be32(70000)])]] }));
  add(echoReq(3, 9, { ext: [[0, opts([0xc2, 4, ...be32(70000)])]], plen: 0 }), echoReq(3, 10, { ext: [[0, opts([])]], plen: 0 }));
  add(echoReq(3, 11, { ext: [[60, opts([0xc9, 16, ...a6('2001:db8::77'), 0, 1, 0])]] }));
  add(echoReq(3, 12, { ext: [[0, [2, 5, 2, 0, 0, ...Array(18).fill(0)]]] }));
  const rt0 = [2, 0, 1, 0, 0, 0, 0, ...a6('2001:db8::10')];
  add(echoReq(4, 1, { ext: [[43, [4, 0, 2, 0, 0, 0, 0, ...a6('2001:db8::10'), ...a6('2001:db8::11')]]], sumDst: '2001:db8::11' }));
  add(echoReq(4, 2, { ext: [[43, rt0.map((x, i) => (i === 1 ? 2 : x))]], sumDst: '2001:db8::10' }));
  add(
    echoReq(4, 3, {
      ext: [[43, [4, 4, 1, 1, 0x40, ...be16(0xbeef), ...a6('2001:db8::20'), ...a6('2001:db8::21')]]],
      sumDst: '2001:db8::20',
    }),
  );
  add(
    echoReq(4, 4, { ext: [[43, [2, 7, 1, 0, 0, 0, 0, ...a6('2001:db8::30')]]] }),
    echoReq(4, 5, { ext: [[43, [1, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]]] }),
  );
  add(echoReq(4, 6, { ext: [[43, [2, 0, 0, 0, 0, 0, 5, ...a6('2001:db8::10')]]] }));
  add(
    udp(7100, 7101, pad(10), {
      ext: [
        [0, opts(RTALERT)],
        [60, opts([])],
      ],
    }),
    tcp(7100, 7101, 5, 0, 0x02, [], [], { ext: [[60, opts([])]] }),
  );
  add(udp(7100, 7101, pad(10), { ext: [[43, [2, 0, 1, 0, 0, 0, 0, ...a6('2001:db8::10')]]], sumDst: '2001:db8::10' }));
  // UDP.
  add(udp(40000, 9999, pad(20)), udp(40000, 9999, pad(20), { bad: 0x4242 }), udp(33434, 33435, pad(0)));
  add(pkt(17, [...be16(1), ...be16(2), ...be16(8 + 20), 0, 0, ...pad(20)], -1));
  add(
    pkt(17, [...be16(1), ...be16(2), ...be16(100), 0, 0, ...pad(20)], 6),
    pkt(17, [...be16(1), ...be16(2), ...be16(4), 0, 0, ...pad(4)], 6),
  );
  add(
    pkt(17, [...be16(1), ...be16(2), ...be16(12), 0, 0, ...pad(20)], 6),
    udp(22, 80, pad(4)),
    udp(40000, 33434, pad(32), { src: 'fe80::1', dst: 'ff02::1' }),
  );
  // TCP.
  add(...tcpFlow());
  // Other next headers.
  add(
    pkt(59, [], -1),
    pkt(59, pad(8), -1),
    pkt(253, pad(16), -1),
    pkt(99, pad(4), -1),
    pkt(200, pad(4), -1),
    pkt(1, [8, 0, 0, 0, 0, 0, 0, 0], -1),
  );
  add(pkt(2, pad(8), -1), pkt(50, [...be32(0x1000), ...be32(7), ...pad(24)], -1), pkt(50, pad(6), -1));
  add(pkt(51, [58, 4, 0, 0, ...be32(0x2000), ...be32(3), ...pad(12), 128, 0, 0, 0, 0, 1, 0, 1], -1));
  add(pkt(4, [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0xf7, 0x7d, 10, 0, 0, 1, 10, 0, 0, 2, 8, 0, 0xf7, 0xfd, 0, 1, 0, 1], -1));
  add(pkt(41, echoReq(5, 1, { src: '2001:db8:9::1', dst: '2001:db8:9::2' }).slice(14), -1), pkt(77, pad(4), -1));
  // Header oddities and truncation.
  add(eth(ip6(58, echoReq(6, 1).slice(54), { ver: 4 })), eth(ip6(59, [], { plen: 0 })), eth(ip6(58, echoReq(6, 2).slice(54), { plen: 0 })));
  add(eth(ip6(58, echoReq(6, 3).slice(54), { plen: 200 })), eth(ip6(58, echoReq(6, 4).slice(54), { plen: 10 })));
  add(eth(ip6(58, echoReq(6, 5).slice(54), { plen: 0 })).slice(0, 54), eth(ip6(58, [128, 0, 0, 0, 0, 1], {})));
  const trunc = [
    [echoReq(7, 1), 34],
    [echoReq(7, 2), 54],
    [echoReq(7, 3), 57],
    [echoReq(7, 4), 60],
    [icmp6(135, 0, [0, 0, 0, 0, ...a6('2001:db8::2'), ...slla(H1)]), 70],
    [ra(0xc0, [...slla(H1), ...prefixInfo('2001:db8::', 64, 0xc0, 100, 50)]), 80],
    [ra(0xc0, [...slla(H1), ...prefixInfo('2001:db8::', 64, 0xc0, 100, 50)]), 100],
    [mldv2Report([mldv2Record(4, 'ff02::1:ff00:1', []), mldv2Record(4, 'ff02::1:ff00:2', [])]), 100],
    [mldv2Query(0x8f00, 'ff05::1', 0x0a, 0xa5, ['2001:db8::1', '2001:db8::2']), 110],
    [icmp6(1, 4, [0, 0, 0, 0, ...innerUdp]), 100],
    [icmp6(1, 4, [0, 0, 0, 0, ...innerUdp]), 140],
    [icmp6(2, 0, [...be32(1280), ...innerUdp]), 59],
    [icmp6(4, 0, [...be32(6), ...innerUdp]), 90],
    [udp(40000, 9999, pad(20)), 57],
    [udp(40000, 9999, pad(20)), 60],
    [udp(40000, 9999, pad(20)), 70],
    [tcpFlow()[0] as B, 60],
    [tcpFlow()[0] as B, 80],
    [tcpFlow()[0] as B, 84],
    [tcpFlow()[3] as B, 100],
    [echoReq(3, 1, { ext: [[0, opts(RTALERT)]] }), 58],
    [echoReq(3, 1, { ext: [[0, opts(RTALERT)]] }), 62],
    [echoReq(3, 1, { ext: [[0, opts(RTALERT)]] }), 64],
    [echoReq(4, 1, { ext: [[43, [4, 0, 2, 0, 0, 0, 0, ...a6('2001:db8::10'), ...a6('2001:db8::11')]]] }), 80],
    [fragments()[0] as B, 58],
    [fragments()[0] as B, 62],
    [fragments()[0] as B, 66],
    [fragments()[1] as B, 62],
    [eth(ip6(44, [17, ...fragHdr(0, true, 1)])), 62],
  ] as const;
  for (const [f, n] of trunc) frames.push({ data: truncate(f as B, n), orig: f.length });
  // Raw ICMP, MLD and ND as Linux sends them at link up.
  add(
    pkt(58, [143, 0, 0, 0, 0, 0, 0, 1, ...mldv2Record(4, 'ff02::1:ff00:1', [])], 2, {
      src: '::',
      dst: 'ff02::16',
      hlim: 1,
      ext: [[0, opts(RTALERT)]],
    }),
  );
  add(eth(ip6(58, [], { plen: 0 })), eth(ip6(58, [1]), H2, H1), eth(ip6(58, [128, 0]), H2, H1));
  // TCP payloads: HTTP requests, responses and other bytes on port 80/8080, RST data, TFO.
  const w = { src: '2001:db8::1', dst: '2001:db8::2' };
  const r = { src: '2001:db8::2', dst: '2001:db8::1' };
  add(tcp(41000, 80, 500, 0, 0x02, [], [], w), tcp(80, 41000, 700, 501, 0x12, [], [], r));
  add(tcp(41000, 80, 501, 701, 0x18, [], txt('GET /index.html HTTP/1.1\r\nHost: [2001:db8::2]\r\nAccept: */*\r\n\r\n'), w));
  add(tcp(80, 41000, 701, 560, 0x18, [], txt('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'), r));
  add(tcp(80, 41000, 745, 560, 0x18, [], txt('body text without an end'), r), tcp(80, 41000, 769, 560, 0x18, [], pad(20), r));
  add(tcp(41001, 8080, 1, 1, 0x18, [], txt('post /x HTTP/1.0\nX: y\n'), w), tcp(41001, 8080, 1, 1, 0x18, [], txt('HTTP/1.0 404\rX'), w));
  add(tcp(41001, 8080, 1, 1, 0x18, [], txt('FOO bar\r\n'), w), tcp(41001, 8080, 1, 1, 0x18, [], txt('X 12 \r\n'), w));
  add(
    tcp(5001, 40000, 1, 0, 0x04, [], txt('connection reset by peer, with a long reason text'), r),
    tcp(5001, 40000, 1, 0, 0x14, [], [1, 2, 0x80, 0xff, 65], r),
  );
  add(tcp(40000, 5001, 1, 0, 0x02, [34, 10, ...pad(8), 254, 4, 0xf9, 0x89, 254, 6, 0x12, 0x34, 0, 0, 34, 2, 1, 1], [], w));
  add(tcp(40000, 5001, 1, 0, 0x02, [34, 5, 1, 2, 3, 254, 8, 0xf9, 0x89, ...pad(4), 0, 0, 0], [], w));
  add(truncate(tcp(5001, 40000, 1, 0, 0x04, [], txt('reset text'), r), 80));
  // Node information (RFC 4620) queries and replies, router renumbering (RFC 2894).
  const nonce = pad(8);
  const ni = (type: number, code: number, qtype: number, flags: number, data: B): B =>
    icmp6(type, code, [...be16(qtype), ...be16(flags), ...nonce, ...data]);
  add(icmp6(139, 0, [0, 0, 0, 0]), ni(139, 0, 0, 0, []), ni(139, 0, 1, 1, []), ni(139, 0, 1, 0, [1, 2, 3, 4]));
  add(
    ni(139, 0, 2, 0, []),
    ni(139, 0, 2, 0, a6('2001:db8::2')),
    ni(139, 0, 3, 0x3e, a6('2001:db8::2')),
    ni(139, 0, 3, 0, a6('2001:db8::2').slice(0, 8)),
  );
  add(ni(139, 1, 2, 0, dnsName(['host', 'example'])), ni(139, 1, 2, 0, [5, ...txt('ab.cd')]), ni(139, 1, 2, 0, [3, ...txt('abc'), 0, 0]));
  add(ni(139, 1, 2, 0, [9, ...txt('ab')]), ni(139, 2, 4, 0, [10, 0, 0, 1]), ni(139, 2, 4, 0, [10, 0, 0, 1, 0]), ni(139, 7, 9, 0, [1]));
  add(ni(140, 0, 0, 0, []), ni(140, 0, 1, 1, [1, 2, 3, 4]), ni(140, 1, 2, 0, []), ni(140, 2, 2, 0, [1]), ni(140, 3, 2, 0, []));
  add(ni(140, 0, 2, 1, [...be32(3600), ...dnsName(['node', 'lab'])]), ni(140, 0, 2, 0, [...be32(0), 3, ...txt('n.l')]));
  add(ni(140, 0, 3, 0x7f, [...be32(300), ...a6('2001:db8::2'), ...be32(0xffffffff), ...a6('fe80::2'), 1, 2]), ni(140, 0, 9, 0, []));
  add(truncate(ni(140, 0, 3, 0, [...be32(300), ...a6('2001:db8::2')]), 90));
  const rr = (code: number, flags: number, body: B): B => icmp6(138, code, [...be32(77), 3, flags, ...be16(500), ...be32(0), ...body]);
  const use = (flags: number, vl: number, pl: number): B => [
    64,
    32,
    0xc0,
    0x80,
    ...be32(vl),
    ...be32(pl),
    flags,
    0,
    0,
    0,
    ...a6('2001:db8:77::'),
  ];
  add(rr(0, 0xf8, [1, 11, 1, 48, 40, 64, 0, 0, ...a6('2001:db8::'), ...use(0xc0, 0xffffffff, 100), ...use(0, 50, 0xffffffff)]));
  add(rr(0, 0, [2, 3, 0, 64, 0, 128, 0, 0, ...a6('2001:db8:1::')]), rr(0, 0, [9, 5, 0, 64, 0, 128, 0, 0, ...a6('2001:db8:1::')]));
  add(rr(1, 0x40, []), rr(255, 0, []), rr(7, 0, []), icmp6(138, 0, [...be32(1), 0, 0, 0, 0, 0, 0, 0, 1]));
  add(rr(0, 0, [3, 7, 0, 64, 0, 128, 0, 0, ...a6('2001:db8:1::'), ...use(0, 1, 1)]));
  // RPL (RFC 6550): DIS, DIO with options, DAO with and without a DODAG id, DAO-ACK, secured, unknown.
  const rpl = (code: number, body: B): B => icmp6(155, code, body, { src: 'fe80::1', dst: 'ff02::1a' });
  const dioOpts = [0, 4, 14, 1, 2, ...pad(12), 8, 3, 1, 2, 3, 2, 0];
  add(rpl(0, [0, 0]), rpl(1, [1, 2, 0x01, 0x00, 0x88 | 0x08 | 2, 7, 0, 0, ...a6('2001:db8::1'), ...dioOpts]), rpl(1, [1, 2, 0, 1]));
  add(
    rpl(2, [3, 0xc0, 0, 9, ...a6('2001:db8::1'), 5, 18, 0, 128, ...a6('2001:db8::7')]),
    rpl(2, [3, 0x00, 0, 9, ...pad(16), 6, 4, 0, 0, 1, 2]),
  );
  add(
    rpl(2, [3, 0x40, 0, 9, 1, 2]),
    rpl(3, [4, 0x80, 5, 0, ...a6('2001:db8::1')]),
    rpl(3, [4, 0, 5, 1, 1, 0]),
    rpl(0x80, [0, 0]),
    rpl(9, [0, 0]),
  );
  add(rpl(1, [1, 2, 0, 1, 0x18, 7, 0, 0, ...a6('2001:db8::1'), 4, 20, 1, 2]));
  // 802.1Q and 802.1ad tagged IPv6.
  const tagged = (tags: [number, number][], f: B): B => [
    ...f.slice(0, 12),
    ...tags.flatMap(([tpid, tci]) => [...be16(tpid), ...be16(tci)]),
    ...f.slice(12),
  ];
  add(
    tagged([[0x8100, (5 << 13) | 100]], echoReq(9, 1)),
    tagged(
      [
        [0x88a8, 7],
        [0x8100, 0x1000 | 8],
      ],
      mld1(131, 0, 'ff02::1:ff00:1', 'ff02::1:ff00:1'),
    ),
  );
  // Mobility headers (RFC 6275), each message type, with options, and too short.
  const mh = (type: number, body: B, o: Pkt = {}): B => {
    const total = Math.ceil((6 + body.length) / 8) * 8;
    return pkt(135, [59, total / 8 - 1, type, 0, 0, 0, ...body, ...Array(total - 6 - body.length).fill(0)], -1, o);
  };
  add(mh(0, [0, 0]), mh(1, [0, 0, ...pad(8)]), mh(2, [0, 0, ...pad(8)]), mh(3, [0x12, 0x34, ...pad(16)]), mh(4, [0, 7, ...pad(16)]));
  add(
    mh(5, [0, 9, 0xd0, 0, ...be16(100), 1, 2, 0, 0, 2, 2, 0, 5, 4, 4, 0, 1, 0, 2, 0, 0]),
    mh(6, [0, 0x80, ...be16(9), ...be16(50), 0, 1, 0]),
  );
  add(
    mh(7, [2, 0, ...a6('2001:db8::99')]),
    mh(7, [2, 0]),
    mh(9, [0, 0]),
    mh(5, [0, 1, 0, 0, 0, 0, 3, 16, ...a6('2001:db8::5'), 5, 10, ...pad(10), 9, 1, 0]),
  );
  add(truncate(mh(3, [0x12, 0x34, ...pad(16)]), 62), truncate(mh(6, [0, 0x80, ...be16(9), ...be16(50)]), 64));
  // IPv6 in IPv4 (6in4): whole, and cut inside the inner ICMPv6 header.
  const six = echoReq(8, 1).slice(14);
  const v4h = (len: number): B => {
    const h = [0x45, 0, ...be16(20 + len), 0, 1, 0x40, 0, 64, 41, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    const c = cksum(h);
    h[10] = c >> 8;
    h[11] = c & 255;
    return h;
  };
  add(eth([...v4h(six.length), ...six], H2, H1, 0x0800));
  frames.push({ data: eth([...v4h(six.length), ...six], H2, H1, 0x0800).slice(0, 14 + 20 + 42), orig: 14 + 20 + six.length });
  return frames;
}

/** The corpus as a pcap (Ethernet), one frame a second. */
export function corpusPcap(): Uint8Array {
  const w = new PcapWriter({});
  corpus().forEach((f, i) => w.write(BigInt(1700000000 + i) * 1_000_000_000n + BigInt(i * 1000), new Uint8Array(f.data), f.orig));
  return w.bytes();
}

/** The flag sets each run of tcpdump -r gets. */
export const RUNS: string[][] = [
  ['-nn'],
  ['-nn', '-v'],
  ['-nn', '-vv'],
  ['-nn', '-vvv'],
  ['-nn', '-e'],
  ['-nn', '-e', '-v'],
  ['-nn', '-q'],
  ['-nn', '-q', '-e'],
  ['-nn', '-x'],
  ['-nn', '-X', '-v'],
  ['-nn', '-xx'],
  ['-nn', '-XX'],
  ['-nn', '-S', '-v'],
  ['-t', '-n', '-v'],
  ['-tt', '-vv'],
];

const le32 = (v: number): B => be32(v).reverse();

/** Savefiles of other link types carrying IPv6: cooked v1, raw IP, raw IPv6, BSD and OpenBSD loopback. */
export function linkPcaps(): Record<string, Uint8Array> {
  const all = corpus();
  // echo, NS, NA, MLDv2 report, a fragment, TCP, a truncated frame
  const picks = [0, 2, 43, 46, 70, 83, all.length - 12].map((i) => all[i] as Frame);
  const ip = picks.map((f) => ({ data: f.data.slice(14), orig: f.orig - 14 }));
  const v4 = [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0xf7, 0x7d, 10, 0, 0, 1, 10, 0, 0, 2, 8, 0, 0xf7, 0xfd, 0, 1, 0, 1];
  const files: Record<string, [number, Frame[]]> = {
    'sll.pcap': [
      113,
      ip.map((f, i) => {
        const h = [...be16(i % 2 ? 4 : 0), ...be16(1), ...be16(6), ...macb(H1), 0, 0, ...be16(0x86dd)];
        return { data: [...h, ...f.data], orig: f.orig + 16 };
      }),
    ],
    'raw.pcap': [101, [...ip, { data: v4, orig: v4.length }]],
    'ipv6.pcap': [229, ip],
    'null.pcap': [0, ip.map((f, i) => ({ data: [...le32([24, 28, 30][i % 3] as number), ...f.data], orig: f.orig + 4 }))],
    'loop.pcap': [108, ip.map((f) => ({ data: [...be32(24), ...f.data], orig: f.orig + 4 }))],
  };
  const out: Record<string, Uint8Array> = {};
  for (const [name, [linktype, frames]] of Object.entries(files)) {
    const w = new PcapWriter({ linktype });
    frames.forEach((f, i) => w.write(BigInt(1700000000 + i) * 1_000_000_000n, new Uint8Array(f.data), f.orig));
    out[name] = w.bytes();
  }
  return out;
}

export const LINK_RUNS: string[][] = [['-nn'], ['-nn', '-e'], ['-nn', '-v', '-x'], ['-nn', '-e', '-XX']];

/**
 * The corpus mutated (seeded): cut short (the wire length kept or not), or
 * with one to three bytes of the IPv6 header, extension headers or ICMPv6/
 * transport header changed.
 */
export function mutatedPcap(seed = 1, n = 1000): Uint8Array {
  const base = corpus();
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const w = new PcapWriter({});
  for (let i = 0; i < n; i++) {
    const f = base[Math.floor(rnd() * base.length)] as Frame;
    let data = [...f.data];
    let orig = f.orig;
    const kind = rnd();
    if (kind < 0.25 && data.length > 15) {
      data = data.slice(0, 14 + Math.floor(rnd() * (data.length - 14)));
      if (rnd() < 0.5) orig = data.length;
    } else {
      const k = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < k; j++) {
        const span = Math.min(96, data.length - 14);
        if (span > 0) data[14 + Math.floor(rnd() * span)] = Math.floor(rnd() * 256);
      }
    }
    w.write(BigInt(i + 1) * 1_000_000_000n, new Uint8Array(data), Math.max(orig, data.length));
  }
  return w.bytes();
}

export const FUZZ_RUNS: [string, string[]][] = [
  ['mut6.pcap', ['-nn']],
  ['mut6.pcap', ['-nn', '-vv', '-e']],
  ['rand6.pcap', ['-nn', '-v']],
  ['rand6.pcap', ['-nn', '-vv', '-e']],
];

/**
 * Random bytes behind an IPv6 ethertype (seeded): version 6, a next header
 * mostly among those tcpdump's IPv6 printers walk, a payload length near the
 * frame's or random; the wire length sometimes longer than the capture.
 */
export function randomFrames(seed = 7, n = 1000): Frame[] {
  let s = seed;
  const rnd = (m: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % m;
  };
  const heads = [0, 43, 44, 60, 58, 6, 17, 51, 50, 41, 4, 59];
  const out: Frame[] = [];
  for (let i = 0; i < n; i++) {
    const len = rnd(160);
    const f: B = [];
    for (let j = 0; j < 14 + len; j++) f.push(rnd(256));
    f[12] = 0x86;
    f[13] = 0xdd;
    if (len > 0) f[14] = 0x60 | ((f[14] as number) & 0x0f);
    if (len > 6 && rnd(4) > 0) f[20] = heads[rnd(heads.length)] as number;
    if (len > 5 && rnd(2)) {
      f[18] = 0;
      f[19] = Math.max(0, len - 40 + rnd(9) - 4);
    }
    out.push({ data: f, orig: f.length + rnd(3) });
  }
  return out;
}

export function randomPcap(): Uint8Array {
  const w = new PcapWriter({});
  randomFrames().forEach((f, i) => w.write(BigInt(i + 1) * 1_000_000_000n, new Uint8Array(f.data), f.orig));
  return w.bytes();
}
