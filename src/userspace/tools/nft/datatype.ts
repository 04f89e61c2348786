// nft's datatypes (nftables 1.0.6 src/datatype.c, proto.c, meta.c, ct.c,
// fib.c): how a symbol of the rule language becomes a value of a type, and
// how a value prints back (symbolic by default, numeric with -n). Values are
// bigints; `bits` and the byte order say how they sit in a register.
import { getservbyname } from '../netdb.ts';
import { inet_aton } from '../../libc/inet.ts';

export type ByteOrder = 'big' | 'host' | 'invalid';

export interface Datatype {
  /** TYPE_* (datatype.h) */
  id: number;
  name: string;
  desc: string;
  /** Size in bits (0: variable, strings). */
  bits: number;
  byteorder: ByteOrder;
  /** Symbolic constants: name -> value, in the order nft lists them. */
  symbols?: [string, bigint][];
  /** Printed as a flag list (ct state established,related). */
  bitmask?: boolean;
  /** The base type whose parser/printer serves (e.g. mark is an integer printed in hex). */
  basefmt?: 'dec' | 'hex' | 'hex8' | 'string' | 'ipv4' | 'ipv6' | 'lladdr' | 'verdict' | 'ifindex' | 'classid' | 'time';
}

export class DtypeError extends Error {}

function t(id: number, name: string, desc: string, bits: number, byteorder: ByteOrder, extra: Partial<Datatype> = {}): Datatype {
  return { id, name, desc, bits, byteorder, ...extra };
}

const sym = (o: Record<string, number>): [string, bigint][] => Object.entries(o).map(([k, v]) => [k, BigInt(v)]);

export const T = {
  verdict: t(1, 'verdict', 'netfilter verdict', 0, 'invalid', { basefmt: 'verdict' }),
  nfproto: t(2, 'nf_proto', 'netfilter protocol', 8, 'host', { symbols: sym({ ipv4: 2, ipv6: 10 }), basefmt: 'dec' }),
  bitmask: t(3, 'bitmask', 'bitmask', 0, 'host', { basefmt: 'hex' }),
  integer: t(4, 'integer', 'integer', 0, 'host', { basefmt: 'dec' }),
  string: t(5, 'string', 'string', 0, 'host', { basefmt: 'string' }),
  lladdr: t(6, 'll_addr', 'link layer address', 0, 'big', { basefmt: 'lladdr' }),
  ipaddr: t(7, 'ipv4_addr', 'IPv4 address', 32, 'big', { basefmt: 'ipv4' }),
  ip6addr: t(8, 'ipv6_addr', 'IPv6 address', 128, 'big', { basefmt: 'ipv6' }),
  etheraddr: t(9, 'ether_addr', 'Ethernet address', 48, 'big', { basefmt: 'lladdr' }),
  ethertype: t(10, 'ether_type', 'Ethernet protocol', 16, 'big', {
    symbols: sym({ ip: 0x0800, arp: 0x0806, ip6: 0x86dd, vlan: 0x8100, '8021q': 0x8100, '8021ad': 0x88a8 }),
    basefmt: 'hex',
  }),
  arpop: t(11, 'arp_op', 'ARP operation', 16, 'big', {
    symbols: sym({ request: 1, reply: 2, rrequest: 3, rreply: 4, inrequest: 8, inreply: 9, nak: 10 }),
    basefmt: 'dec',
  }),
  inetproto: t(12, 'inet_proto', 'Internet protocol', 8, 'big', { basefmt: 'dec' }),
  inetservice: t(13, 'inet_service', 'internet network service', 16, 'big', { basefmt: 'dec' }),
  icmptype: t(14, 'icmp_type', 'ICMP type', 8, 'big', {
    symbols: sym({
      'echo-reply': 0,
      'destination-unreachable': 3,
      'source-quench': 4,
      redirect: 5,
      'echo-request': 8,
      'router-advertisement': 9,
      'router-solicitation': 10,
      'time-exceeded': 11,
      'parameter-problem': 12,
      'timestamp-request': 13,
      'timestamp-reply': 14,
      'info-request': 15,
      'info-reply': 16,
      'address-mask-request': 17,
      'address-mask-reply': 18,
    }),
    basefmt: 'dec',
  }),
  tcpflag: t(15, 'tcp_flag', 'TCP flag', 8, 'big', {
    symbols: sym({ fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128 }),
    bitmask: true,
    basefmt: 'hex',
  }),
  time: t(18, 'time', 'relative time', 64, 'host', { basefmt: 'time' }),
  mark: t(19, 'mark', 'packet mark', 32, 'host', { basefmt: 'hex8' }),
  ifindex: t(20, 'iface_index', 'network interface index', 32, 'host', { basefmt: 'ifindex' }),
  classid: t(23, 'classid', 'TC classid', 32, 'host', { basefmt: 'classid', symbols: sym({ root: 0xffffffff, none: 0 }) }),
  uid: t(24, 'uid', 'user ID', 32, 'host', { basefmt: 'dec' }),
  gid: t(25, 'gid', 'group ID', 32, 'host', { basefmt: 'dec' }),
  ctstate: t(26, 'ct_state', 'conntrack state', 32, 'host', {
    symbols: sym({ invalid: 1, established: 2, related: 4, new: 8, untracked: 64 }),
    bitmask: true,
    basefmt: 'hex',
  }),
  ctdir: t(27, 'ct_dir', 'conntrack direction', 8, 'host', { symbols: sym({ original: 0, reply: 1 }), basefmt: 'dec' }),
  ctstatus: t(28, 'ct_status', 'conntrack status', 32, 'host', {
    symbols: sym({
      expected: 1,
      'seen-reply': 2,
      assured: 4,
      confirmed: 8,
      snat: 16,
      dnat: 32,
      dying: 512,
    }),
    bitmask: true,
    basefmt: 'hex',
  }),
  icmp6type: t(29, 'icmpv6_type', 'ICMPv6 type', 8, 'big', {
    symbols: sym({
      'destination-unreachable': 1,
      'packet-too-big': 2,
      'time-exceeded': 3,
      'parameter-problem': 4,
      'echo-request': 128,
      'echo-reply': 129,
      'mld-listener-query': 130,
      'mld-listener-report': 131,
      'mld-listener-done': 132,
      'mld-listener-reduction': 132,
      'nd-router-solicit': 133,
      'nd-router-advert': 134,
      'nd-neighbor-solicit': 135,
      'nd-neighbor-advert': 136,
      'nd-redirect': 137,
      'router-renumbering': 138,
      'ind-neighbor-solicit': 141,
      'ind-neighbor-advert': 142,
      'mld2-listener-report': 143,
    }),
    basefmt: 'dec',
  }),
  pkttype: t(31, 'pkt_type', 'packet type', 8, 'host', {
    symbols: sym({ host: 0, unicast: 0, broadcast: 1, multicast: 2, other: 3 }),
    basefmt: 'dec',
  }),
  icmpcode: t(32, 'icmp_code', 'icmp code', 8, 'big', {
    symbols: sym({
      'net-unreachable': 0,
      'host-unreachable': 1,
      'prot-unreachable': 2,
      'port-unreachable': 3,
      'frag-needed': 4,
      'net-prohibited': 9,
      'host-prohibited': 10,
      'admin-prohibited': 13,
    }),
    basefmt: 'dec',
  }),
  icmpv6code: t(33, 'icmpv6_code', 'icmpv6 code', 8, 'big', {
    symbols: sym({
      'no-route': 0,
      'admin-prohibited': 1,
      'addr-unreachable': 3,
      'port-unreachable': 4,
      'policy-fail': 5,
      'reject-route': 6,
    }),
    basefmt: 'dec',
  }),
  icmpxcode: t(34, 'icmpx_code', 'icmpx code', 8, 'big', {
    symbols: sym({ 'port-unreachable': 1, 'admin-prohibited': 3, 'no-route': 0, 'host-unreachable': 2 }),
    basefmt: 'dec',
  }),
  dscp: t(36, 'dscp', 'Differentiated Services Code Point', 6, 'big', {
    symbols: sym({
      cs0: 0x00,
      cs1: 0x08,
      cs2: 0x10,
      cs3: 0x18,
      cs4: 0x20,
      cs5: 0x28,
      cs6: 0x30,
      cs7: 0x38,
      df: 0x00,
      be: 0x00,
      lephb: 0x01,
      af11: 0x0a,
      af12: 0x0c,
      af13: 0x0e,
      af21: 0x12,
      af22: 0x14,
      af23: 0x16,
      af31: 0x1a,
      af32: 0x1c,
      af33: 0x1e,
      af41: 0x22,
      af42: 0x24,
      af43: 0x26,
      va: 0x2c,
      ef: 0x2e,
    }),
    basefmt: 'hex',
  }),
  fibaddr: t(38, 'fib_addrtype', 'fib address type', 32, 'host', {
    symbols: sym({
      unspec: 0,
      unicast: 1,
      local: 2,
      broadcast: 3,
      anycast: 4,
      multicast: 5,
      blackhole: 6,
      unreachable: 7,
      prohibit: 8,
    }),
    basefmt: 'dec',
  }),
  boolean: t(39, 'boolean', 'boolean type', 1, 'host', { symbols: sym({ exists: 1, missing: 0 }), basefmt: 'dec' }),
  ifname: t(41, 'ifname', 'network interface name', 128, 'host', { basefmt: 'string' }),
} as const satisfies Record<string, Datatype>;

export const TYPES_BY_NAME = new Map<string, Datatype>(Object.values(T).map((d) => [d.name, d]));
export const TYPES_BY_ID = new Map<number, Datatype>(Object.values(T).map((d) => [d.id, d]));

/** /etc/protocols as Debian's netbase ships it (the names nft resolves with getprotobyname). */
export const PROTOCOLS: [string, number][] = [
  ['ip', 0],
  ['hopopt', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['ggp', 3],
  ['ipencap', 4],
  ['st', 5],
  ['tcp', 6],
  ['egp', 8],
  ['igp', 9],
  ['pup', 12],
  ['udp', 17],
  ['hmp', 20],
  ['xns-idp', 22],
  ['rdp', 27],
  ['iso-tp4', 29],
  ['dccp', 33],
  ['xtp', 36],
  ['ddp', 37],
  ['idpr-cmtp', 38],
  ['ipv6', 41],
  ['ipv6-route', 43],
  ['ipv6-frag', 44],
  ['idrp', 45],
  ['rsvp', 46],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['skip', 57],
  ['ipv6-icmp', 58],
  ['ipv6-nonxt', 59],
  ['ipv6-opts', 60],
  ['rspf', 73],
  ['vmtp', 81],
  ['eigrp', 88],
  ['ospf', 89],
  ['ax.25', 93],
  ['ipip', 94],
  ['etherip', 97],
  ['encap', 98],
  ['pim', 103],
  ['ipcomp', 108],
  ['vrrp', 112],
  ['l2tp', 115],
  ['isis', 124],
  ['sctp', 132],
  ['fc', 133],
  ['mobility-header', 135],
  ['udplite', 136],
  ['mpls-in-ip', 137],
  ['manet', 138],
  ['hip', 139],
  ['shim6', 140],
  ['wesp', 141],
  ['rohc', 142],
  ['ethernet', 143],
];

/** getprotobynumber(): the official name. */
export function protoName(n: number): string | undefined {
  // the first name of a number in /etc/protocols (ip before hopopt)
  for (const [name, v] of PROTOCOLS) if (v === n) return name;
  return undefined;
}

export function protoNumber(name: string): number | undefined {
  for (const [k, v] of PROTOCOLS) if (k === name) return v;
  return undefined;
}

/** What a symbol means for a type: a value, or the error nft reports. */
export type Parsed = { value: bigint } | { error: string };

function parseInteger(s: string): bigint | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(s);
  if (/^[0-9]+$/.test(s)) return BigInt(s);
  return null;
}

export function ipv4Value(s: string): bigint | null {
  const a = inet_aton(s, true);
  if (a === null || !/^[0-9.]+$/.test(s) || s.split('.').length !== 4) return null;
  return BigInt(a >>> 0);
}

export function ipv6Value(s: string): bigint | null {
  let str = s;
  let tail4: bigint | null = null;
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(str);
  if (m) {
    tail4 = ipv4Value(m[2] ?? '');
    if (tail4 === null) return null;
    str = `${m[1]}0:0`;
  }
  const halves = str.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const a = parse(halves[0] ?? '');
  const b = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (halves.length === 1 && a.length !== 8) return null;
  if (a.length + b.length > (halves.length === 2 ? 7 : 8)) return null;
  const groups = [...a, ...Array(8 - a.length - b.length).fill('0'), ...b];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (tail4 !== null) v = (v & ~0xffffffffn) | tail4;
  return v;
}

export function ipv6String(v: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // inet_ntop: the longest run (>= 2) of zero groups becomes ::
  let bs = -1;
  let bl = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bl && j - i >= 2) {
      bs = i;
      bl = j - i;
    }
    i = j;
  }
  // ::ffff:a.b.c.d and ::a.b.c.d forms
  if (bs === 0 && (bl === 6 || (bl === 5 && g[5] === 0xffff))) {
    const g6 = g[6] ?? 0;
    const g7 = g[7] ?? 0;
    const v4 = `${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`;
    return bl === 5 ? `::ffff:${v4}` : `::${v4}`;
  }
  const hex = g.map((x) => x.toString(16));
  if (bs < 0) return hex.join(':');
  return `${hex.slice(0, bs).join(':')}::${hex.slice(bs + bl).join(':')}`;
}

export function ipv4String(v: bigint): string {
  const n = Number(v);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The value of a string as nft keeps it: the bytes in host (little-endian) order. */
export function stringValue(s: string): bigint {
  let v = 0n;
  for (let i = s.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(s.charCodeAt(i) & 255);
  return v;
}

export function valueString(v: bigint, bytes: number): string {
  let s = '';
  let x = v;
  for (let i = 0; i < bytes; i++) {
    const c = Number(x & 255n);
    if (c === 0) break;
    s += String.fromCharCode(c);
    x >>= 8n;
  }
  return s;
}

export interface ParseEnv {
  /** if_nametoindex in the namespace nft runs in. */
  ifindex(name: string): number | undefined;
}

/** datatype's parse function: a symbol of the user's text to a value. */
export function parseSymbol(dt: Datatype, s: string, env: ParseEnv, bits: number): Parsed {
  // symbolic constants first (symbol_parse), then the base type
  if (dt.symbols) {
    for (const [k, v] of dt.symbols) if (k === s) return { value: v };
  }
  switch (dt) {
    case T.ipaddr: {
      const v = ipv4Value(s);
      if (v === null) return { error: 'Could not resolve hostname: Name or service not known' };
      return { value: v };
    }
    case T.ip6addr: {
      const v = ipv6Value(s);
      if (v === null) return { error: 'Could not resolve hostname: Name or service not known' };
      return { value: v };
    }
    case T.etheraddr:
    case T.lladdr: {
      const parts = s.split(':');
      if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return { error: `Invalid LL address` };
      let v = 0n;
      for (const p of parts) v = (v << 8n) | BigInt(Number.parseInt(p, 16));
      return { value: v };
    }
    case T.inetservice: {
      const n = parseInteger(s);
      if (n !== null) {
        if (n > 65535n) return { error: 'Service out of range' };
        return { value: n };
      }
      const p = getservbyname(s, 'tcp') ?? getservbyname(s, 'udp');
      if (p === null) return { error: 'Could not resolve service: Servname not supported for ai_socktype' };
      return { value: BigInt(p) };
    }
    case T.inetproto: {
      const n = parseInteger(s);
      if (n !== null) {
        if (n > 255n) return { error: 'Could not resolve protocol name' };
        return { value: n };
      }
      const p = protoNumber(s);
      if (p === undefined) return { error: 'Could not resolve protocol name' };
      return { value: BigInt(p) };
    }
    case T.ifindex: {
      const i = env.ifindex(s);
      if (i === undefined) return { error: `Interface does not exist` };
      return { value: BigInt(i) };
    }
    case T.ifname:
    case T.string:
      return { value: stringValue(s) };
    case T.ctstate:
      return fallbackInt(s, 'Could not parse conntrack state', bits);
    case T.ctstatus:
      return fallbackInt(s, 'Could not parse conntrack status', bits);
    case T.classid: {
      const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(s);
      if (m) return { value: BigInt(((Number.parseInt(m[1] ?? '', 16) << 16) | Number.parseInt(m[2] ?? '', 16)) >>> 0) };
      return fallbackInt(s, 'Could not parse classid', bits);
    }
    default:
      return fallbackInt(s, `Could not parse ${dt.desc}`, bits);
  }
}

function fallbackInt(s: string, err: string, bits: number): Parsed {
  const n = parseInteger(s);
  if (n === null) return { error: err };
  if (bits && n >= 1n << BigInt(bits)) return { error: `Value ${s} exceeds valid range 0-${(1n << BigInt(bits)) - 1n}` };
  return { value: n };
}

export interface PrintOpts {
  /** -n count: 1 numeric, 2 and up also ports, 3 also protocols */
  numeric: number;
  /** if_indextoname in the namespace */
  ifname(index: number): string | undefined;
}

/** datatype's print function. */
export function printValue(dt: Datatype, v: bigint, bits: number, o: PrintOpts): string {
  const numeric = o.numeric > 0;
  if (dt.bitmask) {
    if (numeric) return `0x${v.toString(16)}`;
    return printFlags(dt, v);
  }
  if (dt.symbols && !numeric && dt !== T.classid) {
    for (const [k, val] of dt.symbols) if (val === v) return k;
  }
  switch (dt) {
    case T.ipaddr:
      return ipv4String(v);
    case T.ip6addr:
      return ipv6String(v);
    case T.etheraddr:
    case T.lladdr: {
      const n = bits / 8 || 6;
      const out: string[] = [];
      for (let i = n - 1; i >= 0; i--) out.push(((v >> BigInt(i * 8)) & 255n).toString(16).padStart(2, '0'));
      return out.join(':');
    }
    case T.inetproto: {
      if (!numeric) {
        const name = protoName(Number(v));
        if (name) return name;
      }
      return v.toString();
    }
    case T.mark:
      return `0x${v.toString(16).padStart(8, '0')}`;
    case T.ifindex: {
      const name = o.ifname(Number(v));
      return name !== undefined ? `"${name}"` : v.toString();
    }
    case T.ifname:
    case T.string:
      return `"${valueString(v, 16)}"`;
    case T.classid: {
      if (v === 0xffffffffn) return 'root';
      if (v === 0n) return 'none';
      return `${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
    }
    case T.dscp:
    case T.ethertype:
      return `0x${v.toString(16)}`;
    case T.time:
      return timeString(v);
    default:
      return v.toString();
  }
}

function printFlags(dt: Datatype, v: bigint): string {
  const names: string[] = [];
  let rest = v;
  for (const [k, bit] of dt.symbols ?? []) {
    if (bit && (v & bit) === bit && rest & bit) {
      names.push(k);
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  if (!names.length) return `0x${v.toString(16)}`;
  return names.join(',');
}

/** time_type print: 1d2h3m4s5ms from milliseconds. */
export function timeString(ms: bigint): string {
  let x = ms;
  const d = x / 86400000n;
  x %= 86400000n;
  const h = x / 3600000n;
  x %= 3600000n;
  const m = x / 60000n;
  x %= 60000n;
  const s = x / 1000n;
  const r = x % 1000n;
  let out = '';
  if (d) out += `${d}d`;
  if (h) out += `${h}h`;
  if (m) out += `${m}m`;
  if (s) out += `${s}s`;
  if (r) out += `${r}ms`;
  return out || '0s';
}

/** time_parse: "1d2h", "10s", "500ms", or a bare number of seconds; milliseconds or an error. */
export function parseTime(s: string): bigint | null {
  if (/^[0-9]+$/.test(s)) return BigInt(s) * 1000n;
  const m = /^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/.exec(s);
  if (!m || s === '') return null;
  const n = (x: string | undefined) => BigInt(x ?? '0');
  return n(m[1]) * 86400000n + n(m[2]) * 3600000n + n(m[3]) * 60000n + n(m[4]) * 1000n + n(m[5]);
}
