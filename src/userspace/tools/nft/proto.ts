// The protocol header templates (nftables 1.0.6 src/proto.c), meta keys
// (meta.c) and ct keys (ct.c): where a field sits, how long it is, and its
// datatype and byte order.
import type { Field, Proto } from './ast.ts';
import { type Datatype, T } from './datatype.ts';

const LL = 0;
const NET = 1;
const TRANSPORT = 2;

function f(name: string, offset: number, len: number, dtype: Datatype): Field {
  return { name, offset, len, dtype };
}

const intBig = (bits: number): Datatype => ({ ...T.integer, bits, byteorder: 'big' });
const INT = T.integer;

export const PROTOS = {
  ether: {
    name: 'ether',
    base: LL,
    fields: [f('daddr', 0, 48, T.etheraddr), f('saddr', 48, 48, T.etheraddr), f('type', 96, 16, T.ethertype)],
  },
  ip: {
    name: 'ip',
    base: NET,
    protocol: 2,
    fields: [
      f('version', 0, 4, INT),
      f('hdrlength', 4, 4, INT),
      f('dscp', 8, 6, T.dscp),
      f('ecn', 14, 2, INT),
      f('length', 16, 16, INT),
      f('id', 32, 16, INT),
      f('frag-off', 48, 16, INT),
      f('ttl', 64, 8, INT),
      f('protocol', 72, 8, T.inetproto),
      f('checksum', 80, 16, INT),
      f('saddr', 96, 32, T.ipaddr),
      f('daddr', 128, 32, T.ipaddr),
    ],
  },
  ip6: {
    name: 'ip6',
    base: NET,
    protocol: 10,
    fields: [
      f('version', 0, 4, INT),
      f('dscp', 4, 6, T.dscp),
      f('ecn', 10, 2, INT),
      f('flowlabel', 12, 20, INT),
      f('length', 32, 16, INT),
      f('nexthdr', 48, 8, T.inetproto),
      f('hoplimit', 56, 8, INT),
      f('saddr', 64, 128, T.ip6addr),
      f('daddr', 192, 128, T.ip6addr),
    ],
  },
  tcp: {
    name: 'tcp',
    base: TRANSPORT,
    protocol: 6,
    fields: [
      f('sport', 0, 16, T.inetservice),
      f('dport', 16, 16, T.inetservice),
      f('sequence', 32, 32, INT),
      f('ackseq', 64, 32, INT),
      f('doff', 96, 4, INT),
      f('reserved', 100, 4, INT),
      f('flags', 104, 8, T.tcpflag),
      f('window', 112, 16, INT),
      f('checksum', 128, 16, INT),
      f('urgptr', 144, 16, INT),
    ],
  },
  udp: {
    name: 'udp',
    base: TRANSPORT,
    protocol: 17,
    fields: [f('sport', 0, 16, T.inetservice), f('dport', 16, 16, T.inetservice), f('length', 32, 16, INT), f('checksum', 48, 16, INT)],
  },
  udplite: {
    name: 'udplite',
    base: TRANSPORT,
    protocol: 136,
    fields: [f('sport', 0, 16, T.inetservice), f('dport', 16, 16, T.inetservice), f('csumcov', 32, 16, INT), f('checksum', 48, 16, INT)],
  },
  th: {
    name: 'th',
    base: TRANSPORT,
    fields: [f('sport', 0, 16, T.inetservice), f('dport', 16, 16, T.inetservice)],
  },
  icmp: {
    name: 'icmp',
    base: TRANSPORT,
    protocol: 1,
    fields: [
      f('type', 0, 8, T.icmptype),
      f('code', 8, 8, T.icmpcode),
      f('checksum', 16, 16, INT),
      f('id', 32, 16, INT),
      f('sequence', 48, 16, INT),
      f('gateway', 32, 32, INT),
      f('mtu', 48, 16, INT),
    ],
  },
  icmpv6: {
    name: 'icmpv6',
    base: TRANSPORT,
    protocol: 58,
    fields: [
      f('type', 0, 8, T.icmp6type),
      f('code', 8, 8, T.icmpv6code),
      f('checksum', 16, 16, INT),
      f('parameter-problem', 32, 32, INT),
      f('packet-too-big', 32, 32, INT),
      f('id', 32, 16, INT),
      f('sequence', 48, 16, INT),
      f('max-delay', 32, 16, INT),
    ],
  },
  arp: {
    name: 'arp',
    base: NET,
    fields: [
      f('htype', 0, 16, INT),
      f('ptype', 16, 16, T.ethertype),
      f('hlen', 32, 8, INT),
      f('plen', 40, 8, INT),
      f('operation', 48, 16, T.arpop),
      // arp_hdr_ipv4: the Ethernet/IPv4 body after the 8-byte header (`arp saddr ip`)
      f('saddr ether', 64, 48, T.etheraddr),
      f('saddr ip', 112, 32, T.ipaddr),
      f('daddr ether', 144, 48, T.etheraddr),
      f('daddr ip', 192, 32, T.ipaddr),
    ],
  },
  vlan: {
    name: 'vlan',
    base: LL,
    fields: [f('pcp', 112, 3, INT), f('dei', 115, 1, INT), f('id', 116, 12, INT), f('type', 128, 16, T.ethertype)],
  },
} satisfies Record<string, Proto>;

/** A protocol by its name in the language. */
export function protoByName(name: string): Proto | undefined {
  return (PROTOS as Record<string, Proto>)[name];
}
// integer payload fields are big-endian (network order) values
for (const p of Object.values(PROTOS)) for (const fl of p.fields) if (fl.dtype === INT) fl.dtype = intBig(fl.len);

/** The layer 4 protocol a header stands for, by meta l4proto number. */
export const L4_BY_NUMBER = new Map<number, Proto>([
  [6, PROTOS.tcp],
  [17, PROTOS.udp],
  [136, PROTOS.udplite],
  [1, PROTOS.icmp],
  [58, PROTOS.icmpv6],
]);

export interface MetaKey {
  name: string;
  /** NFT_META_* */
  key: number;
  dtype: Datatype;
  bits: number;
}

function mk(name: string, key: number, dtype: Datatype, bits: number): MetaKey {
  return { name, key, dtype, bits };
}

export const META: MetaKey[] = [
  mk('length', 0, T.integer, 32),
  mk('protocol', 1, T.ethertype, 16),
  mk('priority', 2, T.classid, 32),
  mk('mark', 3, T.mark, 32),
  mk('iif', 4, T.ifindex, 32),
  mk('oif', 5, T.ifindex, 32),
  mk('iifname', 6, T.ifname, 128),
  mk('oifname', 7, T.ifname, 128),
  mk('iiftype', 8, { ...T.integer, id: 21, name: 'iface_type', bits: 16 }, 16),
  mk('oiftype', 9, { ...T.integer, id: 21, name: 'iface_type', bits: 16 }, 16),
  mk('skuid', 10, T.uid, 32),
  mk('skgid', 11, T.gid, 32),
  mk('nftrace', 12, { ...T.integer, bits: 1 }, 1),
  mk('rtclassid', 13, { ...T.integer, id: 22, name: 'realm' }, 32),
  mk('secmark', 14, T.integer, 32),
  mk('nfproto', 15, T.nfproto, 8),
  mk('l4proto', 16, T.inetproto, 8),
  mk('ibrname', 17, T.ifname, 128),
  mk('obrname', 18, T.ifname, 128),
  mk('pkttype', 19, T.pkttype, 8),
  mk('cpu', 20, T.integer, 32),
  mk('iifgroup', 21, { ...T.integer, id: 35, name: 'devgroup' }, 32),
  mk('oifgroup', 22, { ...T.integer, id: 35, name: 'devgroup' }, 32),
  mk('cgroup', 23, T.integer, 32),
  mk('random', 24, { ...T.integer, byteorder: 'big' }, 32),
  mk('ipsec', 25, T.boolean, 1),
  mk('iifkind', 26, T.ifname, 128),
  mk('oifkind', 27, T.ifname, 128),
  mk('sdif', 33, T.ifindex, 32),
  mk('sdifname', 34, T.ifname, 128),
];
// nftrace is the only single-bit key whose value prints as a plain number
export const META_BY_NAME = new Map(META.map((m) => [m.name, m]));
export const META_BY_KEY = new Map(META.map((m) => [m.key, m]));

export interface CtKey {
  name: string;
  key: number;
  dtype: Datatype;
  bits: number;
}

const ck = (name: string, key: number, dtype: Datatype, bits: number): CtKey => ({ name, key, dtype, bits });

export const CT: CtKey[] = [
  ck('state', 0, T.ctstate, 32),
  ck('direction', 1, T.ctdir, 8),
  ck('status', 2, T.ctstatus, 32),
  ck('mark', 3, T.mark, 32),
  ck('secmark', 4, T.integer, 32),
  ck('expiration', 5, T.time, 32),
  ck('helper', 6, T.string, 128),
  ck('l3proto', 7, T.nfproto, 8),
  ck('saddr', 8, T.ipaddr, 32),
  ck('daddr', 9, T.ipaddr, 32),
  ck('protocol', 10, T.inetproto, 8),
  ck('proto-src', 11, T.inetservice, 16),
  ck('proto-dst', 12, T.inetservice, 16),
  ck('packets', 14, T.integer, 64),
  ck('bytes', 15, T.integer, 64),
  ck('avgpkt', 16, T.integer, 64),
  ck('zone', 17, { ...T.integer, bits: 16 }, 16),
  ck('id', 23, { ...T.integer, byteorder: 'big' }, 32),
];
export const CT_BY_NAME = new Map(CT.map((c) => [c.name, c]));
export const CT_BY_KEY = new Map(CT.map((c) => [c.key, c]));

/** chain hook names by family, with NF_INET_* / NF_NETDEV_* / NF_ARP_* numbers. */
export const HOOKS: Record<string, Record<string, number>> = {
  ip: { prerouting: 0, input: 1, forward: 2, output: 3, postrouting: 4 },
  ip6: { prerouting: 0, input: 1, forward: 2, output: 3, postrouting: 4 },
  inet: { prerouting: 0, input: 1, forward: 2, output: 3, postrouting: 4, ingress: 5 },
  bridge: { prerouting: 0, input: 1, forward: 2, output: 3, postrouting: 4 },
  arp: { input: 0, output: 1 },
  netdev: { ingress: 0, egress: 1 },
};

/** NFPROTO_* numbers of the families. */
export const FAMILY_NUM: Record<string, number> = { inet: 1, ip: 2, arp: 3, netdev: 5, bridge: 7, ip6: 10 };
export const FAMILY_NAME = new Map(Object.entries(FAMILY_NUM).map(([k, v]) => [v, k]));

/** The standard priorities (rule.c std_prios / bridge_std_prios). */
export const STD_PRIOS: [string, number][] = [
  ['raw', -300],
  ['mangle', -150],
  ['dstnat', -100],
  ['filter', 0],
  ['security', 50],
  ['srcnat', 100],
];
export const BRIDGE_PRIOS: [string, number][] = [
  ['dstnat', -300],
  ['filter', -200],
  ['out', 100],
  ['srcnat', 300],
];
