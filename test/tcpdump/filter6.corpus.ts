// Frames for the IPv6 filter corpus that two namespaces do not send by
// themselves: extension-header chains (hop-by-hop, destination options,
// routing, fragment, AH) in front of TCP/UDP/ICMPv6, no-next-header, ESP,
// a non-first fragment, a truncated chain, VLAN-tagged IPv6, and IPv4 with
// AH, options and IPv6 inside. filter6.record.ts appends them to a live capture.
import { parseIpv6 } from '../../src/wire/ipv6.ts';

const MAC_A = [0x02, 0, 0, 0, 0x06, 0x0a];
const MAC_B = [0x02, 0, 0, 0, 0x06, 0x0b];

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const in6 = (s: string): number[] => [...(parseIpv6(s) as Uint8Array)];

/** MPLS label stack entries; the last has the bottom-of-stack bit. */
const mpls = (...labels: number[]): number[] =>
  labels.flatMap((l, i) => [(l >> 12) & 0xff, (l >> 4) & 0xff, ((l & 0xf) << 4) | (i === labels.length - 1 ? 1 : 0), 64]);
/** A PPPoE session header (version 1, type 1) and the PPP protocol field. */
const pppoe = (session: number, ppp: number, rest: number[]): number[] => [
  0x11,
  0,
  ...u16(session),
  ...u16(rest.length + 2),
  ...u16(ppp),
  ...rest,
];

function ether(type: number, payload: number[], vlan?: number): Uint8Array {
  const tag = vlan === undefined ? [] : [0x81, 0x00, ...u16(vlan), ...u16(type)];
  return new Uint8Array([...MAC_B, ...MAC_A, ...(vlan === undefined ? u16(type) : tag), ...payload]);
}

/** An IPv6 header; payload length from what follows. */
function ip6(nh: number, src: string, dst: string, rest: number[], hlim = 64): number[] {
  return [0x60, 0, 0, 0, ...u16(rest.length), nh, hlim, ...in6(src), ...in6(dst), ...rest];
}

/** A hop-by-hop or destination options header of 8 bytes (PadN). */
const opts8 = (nh: number): number[] => [nh, 0, 1, 4, 0, 0, 0, 0];
/** A routing header, type 4 segments left 0, with one address (24 bytes). */
const routing = (nh: number): number[] => [nh, 2, 4, 0, 0, 0, 0, 0, ...in6('2001:db8::d')];
/** A fragment header. */
const frag = (nh: number, offset: number, more: boolean, id = 0x1234): number[] => [
  nh,
  0,
  ...u16((offset << 3) | (more ? 1 : 0)),
  0,
  0,
  ...u16(id),
];
/** AH with a 12-byte ICV (payload length 4: (4 + 2) * 4 = 24 bytes). */
const ah = (nh: number): number[] => [nh, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1, ...Array(12).fill(0xaa)];
const tcpSyn = (sport: number, dport: number): number[] => [
  ...u16(sport),
  ...u16(dport),
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  0,
  0x50,
  0x02,
  0xff,
  0xff,
  0,
  0,
  0,
  0,
];
const udp = (sport: number, dport: number, data: number[] = [1, 2, 3, 4]): number[] => [
  ...u16(sport),
  ...u16(dport),
  ...u16(8 + data.length),
  0,
  0,
  ...data,
];
const echo6 = (type = 128): number[] => [type, 0, 0, 0, 0, 7, 0, 1, ...Array(8).fill(0x42)];

function ip4(proto: number, src: number[], dst: number[], rest: number[], options: number[] = []): number[] {
  const ihl = 5 + options.length / 4;
  return [0x40 | ihl, 0, ...u16(ihl * 4 + rest.length), 0, 1, 0x40, 0, 64, proto, 0, 0, ...src, ...dst, ...options, ...rest];
}

export function craftedFrames(): Uint8Array[] {
  const a = '2001:db8::a';
  const b = '2001:db8::b';
  return [
    // hop-by-hop → destination options → routing → fragment (atomic) → TCP SYN to port 80
    ether(0x86dd, ip6(0, a, b, [...opts8(60), ...opts8(43), ...routing(44), ...frag(6, 0, false), ...tcpSyn(40001, 80)])),
    // AH → UDP to port 53
    ether(0x86dd, ip6(51, a, b, [...ah(17), ...udp(5353, 53)])),
    // no next header
    ether(0x86dd, ip6(59, a, b, [])),
    // hop-by-hop → AH → destination options → ICMPv6 echo request
    ether(0x86dd, ip6(0, a, b, [...opts8(51), ...ah(60), ...opts8(58), ...echo6()])),
    // a first fragment of UDP, then a later one (offset 1448)
    ether(0x86dd, ip6(44, '2001:db8:ffff::1', b, [...frag(17, 0, true, 0x99), ...udp(33434, 547, Array(16).fill(0))])),
    ether(0x86dd, ip6(44, '2001:db8:ffff::1', b, [...frag(17, 181, false, 0x99), ...Array(24).fill(0x55)])),
    // hop-by-hop whose length runs past the end of the frame
    ether(0x86dd, ip6(0, a, b, [58, 200, 1, 4, 0, 0, 0, 0])),
    // ESP
    ether(0x86dd, ip6(50, a, b, [0, 0, 1, 0, 0, 0, 0, 1, ...Array(16).fill(0xee)])),
    // SCTP to port 9 over IPv6
    ether(0x86dd, ip6(132, a, '2001:db8:1::5', [...u16(9), ...u16(9), 0, 0, 0, 0, 0, 0, 0, 0])),
    // VLAN 10: ICMPv6 echo request
    ether(0x86dd, ip6(58, a, b, echo6()), 10),
    // hop-by-hop → UDP to the DHCPv6 servers (ff02::1:2), hop limit 1
    ether(0x86dd, ip6(0, 'fe80::ff:fe00:60a', 'ff02::1:2', [...opts8(17), ...udp(546, 547)], 1)),
    // TCP to port 443 from a v4-mapped source, and from ::
    ether(0x86dd, ip6(6, '::ffff:10.6.0.1', '2001:db8:1::5', tcpSyn(40002, 443))),
    ether(0x86dd, ip6(6, '::', 'ff02::1', tcpSyn(8080, 8080))),
    // ICMPv6 packet too big and time exceeded, from the /33 neighbour
    ether(0x86dd, ip6(58, '2001:db8:8000::b', a, [2, 0, 0, 0, 0, 0, 5, 0, ...ip6(58, a, b, echo6())])),
    ether(0x86dd, ip6(58, '2001:db8:8000::b', a, [3, 0, 0, 0, 0, 0, 0, 0, ...ip6(17, a, b, udp(40000, 33434))])),
    // MPLS label 100 over ICMPv6 echo; labels 200, 300 over IPv4 UDP to port 53
    ether(0x8847, [...mpls(100), ...ip6(58, a, b, echo6())]),
    ether(0x8847, [...mpls(200, 300), ...ip4(17, [10, 6, 0, 1], [10, 6, 0, 2], udp(5353, 53))]),
    // PPPoE session 7: IPv6 TCP SYN to port 80, and IPv4 ICMP
    ether(0x8864, pppoe(7, 0x57, ip6(6, a, b, tcpSyn(40005, 80)))),
    ether(0x8864, pppoe(8, 0x21, ip4(1, [10, 6, 0, 1], [10, 6, 0, 2], [8, 0, 0, 0, 0, 1, 0, 1]))),
    // IPv4: AH → TCP to port 80; TCP with an options word; IPv6 inside IPv4
    ether(0x0800, ip4(51, [10, 6, 0, 1], [10, 6, 0, 2], [...ah(6), ...tcpSyn(40003, 80)])),
    ether(0x0800, ip4(6, [10, 6, 0, 1], [10, 6, 0, 2], tcpSyn(40004, 80), [1, 1, 1, 0])),
    ether(0x0800, ip4(41, [10, 6, 0, 1], [10, 6, 0, 2], ip6(58, a, b, echo6()))),
  ];
}
