// `nft monitor trace` (nftables 1.0.6 src/netlink.c netlink_events_trace_cb and
// its trace_print_* helpers): a socket in NFNLGRP_NFTRACE prints each
// NFT_MSG_TRACE event the kernel sends for packets with `meta nftrace set 1`,
// one line per event, flushed at once, until a signal ends it.
//
// The first event of a packet in a hook carries its headers: they print as the
// matches nft would write for them (trace_gen_stmts): each header is cut into
// the fields of its protocol's templates, fields nft hides (checksums, the
// format filter) left out, the rest in the protocol's print order, a protocol
// match that a higher header implies dropped (payload_dependency_kill), and
// what no template covers as a raw `@base,offset,len 0x…`.
import type { Net } from '../../../kernel/net_namespace.ts';
import type { ProcCtx } from '../../proc.ts';
import { type Proc, WaitQueue, waitOn } from '../../../sim/sched.ts';
import {
  NFT_TRACETYPE_POLICY,
  NFT_TRACETYPE_RETURN,
  NFT_TRACETYPE_RULE,
  type NftRule,
  type NftTraceEvent,
  nft_subscribe,
  nft_unsubscribe,
} from '../../../kernel/uapi/nf_tables.ts';
import { type Datatype, type PrintOpts, printValue, T } from './datatype.ts';
import type { DumpedSet } from './delinearize.ts';
import type { NftKernel } from './netlink.ts';
import { dumpedSet, type PrintOpts as ListPrintOpts, ruleText } from './print.ts';
import { FAMILY_NAME, FAMILY_NUM } from './proto.ts';
import { kernelOf } from './index.ts';

const LL = 0;
const NET = 1;
const TH = 2;
const BASE_NAME = ['ll', 'nh', 'th'];

/** One field of a header template (proto.c's proto_hdr_template). */
interface Tmpl {
  name: string;
  offset: number;
  len: number;
  dtype: Datatype;
  /** The ICMP type a field of an ICMP header belongs to (its icmp_dep), 0 for any. */
  icmpDep?: number;
}

/** A protocol (proto.c's proto_desc) as the trace printer needs it. */
interface Desc {
  name: string;
  base: number;
  /** Templates in their index order (index 1 first). */
  t: Tmpl[];
  /** Index (into t) of the field naming the upper protocol, -1 for none. */
  protocolKey: number;
  /** Index of the checksum field, -1 for none. */
  checksumKey: number;
  /** format.order: indexes printed first, in this order. */
  order: number[];
  /** format.filter: indexes never printed. */
  filter: number[];
  /** The upper protocols by the value of the protocol key. */
  upper: () => Map<number, Desc>;
}

/** ecn_type (proto.c): not in the rule language's types the nft tool needs. */
const ECN: Datatype = {
  id: 48,
  name: 'ecn',
  desc: 'Explicit Congestion Notification',
  bits: 2,
  byteorder: 'big',
  symbols: [
    ['not-ect', 0n],
    ['ect1', 1n],
    ['ect0', 2n],
    ['ce', 3n],
  ],
  basefmt: 'hex',
};
const INT: Datatype = { ...T.integer, byteorder: 'big' };
/** igmp_type (proto.c) */
const IGMP_TYPE: Datatype = {
  id: 46,
  name: 'igmp_type',
  desc: 'IGMP type',
  bits: 8,
  byteorder: 'big',
  symbols: [
    ['membership-query', 0x11n],
    ['membership-report-v1', 0x12n],
    ['membership-report-v2', 0x16n],
    ['membership-report-v3', 0x22n],
    ['leave-group', 0x17n],
  ],
  basefmt: 'dec',
};

const tm = (name: string, offset: number, len: number, dtype: Datatype, icmpDep = 0): Tmpl => ({ name, offset, len, dtype, icmpDep });

const ICMP_ECHO = 8;
const ICMP6_ECHO_REQUEST = 128;

const ETHER: Desc = {
  name: 'ether',
  base: LL,
  t: [tm('daddr', 0, 48, T.etheraddr), tm('saddr', 48, 48, T.etheraddr), tm('type', 96, 16, T.ethertype)],
  protocolKey: 2,
  checksumKey: -1,
  order: [1, 0, 2],
  filter: [],
  upper: () =>
    new Map([
      [0x0800, IP],
      [0x0806, ARP],
      [0x86dd, IP6],
    ]),
};

const IP: Desc = {
  name: 'ip',
  base: NET,
  t: [
    tm('version', 0, 4, INT),
    tm('hdrlength', 4, 4, INT),
    tm('dscp', 8, 6, T.dscp),
    tm('ecn', 14, 2, ECN),
    tm('length', 16, 16, INT),
    tm('id', 32, 16, INT),
    tm('frag-off', 48, 16, INT),
    tm('ttl', 64, 8, INT),
    tm('protocol', 72, 8, T.inetproto),
    tm('checksum', 80, 16, INT),
    tm('saddr', 96, 32, T.ipaddr),
    tm('daddr', 128, 32, T.ipaddr),
  ],
  protocolKey: 8,
  checksumKey: 9,
  order: [10, 11, 2, 3, 7, 5, 8, 4],
  filter: [0, 1, 6],
  upper: () => L4,
};

const IP6: Desc = {
  name: 'ip6',
  base: NET,
  t: [
    tm('version', 0, 4, INT),
    tm('dscp', 4, 6, T.dscp),
    tm('ecn', 10, 2, ECN),
    tm('flowlabel', 12, 20, INT),
    tm('length', 32, 16, INT),
    tm('nexthdr', 48, 8, T.inetproto),
    tm('hoplimit', 56, 8, INT),
    tm('saddr', 64, 128, T.ip6addr),
    tm('daddr', 192, 128, T.ip6addr),
  ],
  protocolKey: 5,
  checksumKey: -1,
  order: [7, 8, 1, 2, 6, 3, 5, 4],
  filter: [0],
  upper: () => L4,
};

const ARP: Desc = {
  name: 'arp',
  base: NET,
  t: [
    tm('htype', 0, 16, INT),
    tm('ptype', 16, 16, T.ethertype),
    tm('hlen', 32, 8, INT),
    tm('plen', 40, 8, INT),
    tm('operation', 48, 16, T.arpop),
    tm('saddr ether', 64, 48, T.etheraddr),
    tm('saddr ip', 112, 32, T.ipaddr),
    tm('daddr ether', 144, 48, T.etheraddr),
    tm('daddr ip', 192, 32, T.ipaddr),
  ],
  protocolKey: -1,
  checksumKey: -1,
  order: [],
  filter: [0, 1, 2, 3, 5, 6, 7, 8],
  upper: () => new Map(),
};

const ICMP: Desc = {
  name: 'icmp',
  base: TH,
  t: [
    tm('type', 0, 8, T.icmptype),
    tm('code', 8, 8, T.icmpcode),
    tm('checksum', 16, 16, INT),
    tm('id', 32, 16, INT, ICMP_ECHO),
    tm('sequence', 48, 16, INT, ICMP_ECHO),
    tm('gateway', 32, 32, INT, 5),
    tm('mtu', 48, 16, INT, 3),
  ],
  protocolKey: 0,
  checksumKey: 2,
  order: [],
  filter: [],
  upper: () => new Map(),
};

const ICMP6: Desc = {
  name: 'icmpv6',
  base: TH,
  t: [
    tm('type', 0, 8, T.icmp6type),
    tm('code', 8, 8, T.icmpv6code),
    tm('checksum', 16, 16, INT),
    tm('parameter-problem', 32, 32, INT, 4),
    tm('mtu', 32, 32, INT, 2),
    tm('id', 32, 16, INT, ICMP6_ECHO_REQUEST),
    tm('sequence', 48, 16, INT, ICMP6_ECHO_REQUEST),
    tm('max-delay', 32, 16, INT, 130),
  ],
  protocolKey: 0,
  checksumKey: 2,
  order: [],
  filter: [],
  upper: () => new Map(),
};

const TCP: Desc = {
  name: 'tcp',
  base: TH,
  t: [
    tm('sport', 0, 16, T.inetservice),
    tm('dport', 16, 16, T.inetservice),
    tm('sequence', 32, 32, INT),
    tm('ackseq', 64, 32, INT),
    tm('doff', 96, 4, INT),
    tm('reserved', 100, 4, INT),
    tm('flags', 104, 8, T.tcpflag),
    tm('window', 112, 16, INT),
    tm('checksum', 128, 16, INT),
    tm('urgptr', 144, 16, INT),
  ],
  protocolKey: -1,
  checksumKey: 8,
  order: [],
  filter: [2, 3, 4, 5, 9],
  upper: () => new Map(),
};

const udpLike = (name: string, third: string, checksum: boolean): Desc => ({
  name,
  base: TH,
  t: [tm('sport', 0, 16, T.inetservice), tm('dport', 16, 16, T.inetservice), tm(third, 32, 16, INT), tm('checksum', 48, 16, INT)],
  protocolKey: -1,
  checksumKey: checksum ? 3 : -1,
  order: [],
  filter: [],
  upper: () => new Map(),
});
const UDP = udpLike('udp', 'length', true);
const UDPLITE = udpLike('udplite', 'csumcov', false);

const IGMP: Desc = {
  name: 'igmp',
  base: TH,
  t: [tm('type', 0, 8, IGMP_TYPE), tm('mrt', 8, 8, INT), tm('checksum', 16, 16, INT), tm('group', 32, 32, INT)],
  protocolKey: -1,
  checksumKey: 2,
  order: [],
  filter: [],
  upper: () => new Map(),
};

const L4 = new Map<number, Desc>([
  [1, ICMP],
  [2, IGMP],
  [58, ICMP6],
  [17, UDP],
  [136, UDPLITE],
  [6, TCP],
]);

/** NFPROTO_* → family name (family2str). */
const FAMILY: Record<number, string> = { 1: 'inet', 2: 'ip', 3: 'arp', 5: 'netdev', 7: 'bridge', 10: 'ip6' };
const NFPROTO_INET = 1;
const NFPROTO_IPV4 = 2;
const NFPROTO_ARP = 3;
const NFPROTO_NETDEV = 5;
const NFPROTO_BRIDGE = 7;
const NFPROTO_IPV6 = 10;

/** One decoded match: `lhs` printed, `value` printed, and what the dependency rules need. */
interface Match {
  desc: Desc | null;
  field: number;
  base: number;
  text: string;
  value: bigint;
  len: number;
}

/** A raw slice of a header: bits [off, off+len) as a number. */
function bits(data: Uint8Array, off: number, len: number): bigint {
  let v = 0n;
  for (let i = 0; i < len; i++) {
    const bit = off + i;
    const byte = data[bit >> 3] ?? 0;
    v = (v << 1n) | BigInt((byte >> (7 - (bit & 7))) & 1);
  }
  return v;
}

/** relational_expr print of `lhs == value`: the operator shown only for bitmask types (must_print_eq_op). */
function matchText(lhs: string, dt: Datatype, v: bigint, len: number, o: PrintOpts): string {
  const value = printValue(dt, v, len, o);
  return dt.bitmask ? `${lhs} == ${value}` : `${lhs} ${value}`;
}

/** The protocol context (struct proto_ctx) while a packet's headers are decoded: each layer's protocol. */
interface Ctx {
  family: number;
  desc: (Desc | null)[];
}

/** The dependency context (struct payload_dep_ctx). */
interface DepCtx {
  pdeps: (Match | null)[];
  icmpType: number;
}

/** trace_gen_stmts(): one header's matches, appended to `out` in print order. */
function genStmts(out: Match[], ctx: Ctx, dep: DepCtx, hdr: Uint8Array | undefined, base: number, o: PrintOpts): void {
  if (!hdr || hdr.length === 0) return;
  // payload_expr_expand(): the templates that start where the last one ended, then a raw rest
  const desc = ctx.desc[base] ?? null;
  const pieces: { field: number; off: number; len: number }[] = [];
  let off = 0;
  let left = hdr.length * 8;
  if (desc) {
    for (let i = 0; i < desc.t.length && left > 0; i++) {
      const t = desc.t[i] as Tmpl;
      if (t.offset !== off) continue;
      const n = Math.min(t.len, left);
      pieces.push({ field: i, off, len: n });
      off += n;
      left -= n;
    }
  }
  if (left > 0) pieces.push({ field: -1, off, len: left });
  const unordered: Match[] = [];
  for (const p of pieces) {
    const v = bits(hdr, p.off, p.len);
    if (!desc || p.field < 0) {
      // a raw payload expression (xinteger: hex); 16 bits at 0 or 16 of a transport header are `th` ports
      const th = base === TH && p.len === 16 && (p.off === 0 || p.off === 16);
      const text = th
        ? matchText(`th ${p.off ? 'dport' : 'sport'}`, T.inetservice, v, 16, o)
        : `@${BASE_NAME[base]},${p.off},${p.len} 0x${v.toString(16)}`;
      unordered.push({ desc: null, field: -1, base, text, value: v, len: p.len });
      continue;
    }
    const t = desc.t[p.field] as Tmpl;
    if (desc.checksumKey === p.field || desc.filter.includes(p.field)) continue;
    unordered.push({ desc, field: p.field, base, text: matchText(`${desc.name} ${t.name}`, t.dtype, v, p.len, o), value: v, len: p.len });
    // relational_expr_pctx_update(): a protocol key names the next layer's protocol
    if (desc.protocolKey === p.field) {
      const up = desc.upper().get(Number(v));
      if (up) ctx.desc[up.base] = up;
    }
  }
  // the protocol's print order first, then the rest as they came; dependencies killed on the way
  let n = 0;
  for (;;) {
    const i = unordered.findIndex((m) => {
      const want = m.desc?.order[n];
      return want === undefined || want === m.field;
    });
    if (i < 0) break;
    const m = unordered.splice(i, 1)[0] as Match;
    out.push(m);
    n++;
    if (dep.icmpType === 0) dependencyKill(out, dep, m, ctx.family);
    if (m.desc && m.desc.protocolKey === m.field) dependencyStore(dep, m, m.base);
  }
}

/** payload_dependency_store(): an ICMP echo type is never a dependency to kill. */
function dependencyStore(dep: DepCtx, m: Match, base: number): void {
  if ((m.desc === ICMP || m.desc === ICMP6) && m.len === 8) {
    let type = Number(m.value);
    if (m.desc === ICMP && type === 0) type = ICMP_ECHO;
    dep.icmpType = type;
    if (m.desc === ICMP ? type === ICMP_ECHO : type === 128 || type === 129) return;
  }
  dep.pdeps[base + 1] = m;
}

/** payload_dependency_kill(): a higher layer's match makes the stored protocol match redundant. */
function dependencyKill(out: Match[], dep: DepCtx, m: Match, family: number): void {
  const d = dep.pdeps[m.base];
  // a raw payload (proto_unknown) kills nothing
  if (!d || !m.desc) return;
  if (family === NFPROTO_BRIDGE || family === NFPROTO_NETDEV || family === NFPROTO_INET) {
    // a network protocol match restricts these families to it: it stays
    if (d.base === NET && (d.desc === IP || d.desc === IP6) && m.base === TH) return;
    if (m.base === d.base) {
      if (m.desc && m.desc.protocolKey === m.field) return;
      if (m.base === LL && d.desc === ETHER && d.len === 16 && d.value !== 0x8100n) return;
    }
  }
  if (m.base === TH && d.base === TH && (d.desc === ICMP || d.desc === ICMP6)) {
    const icmpDep = m.desc ? ((m.desc.t[m.field] as Tmpl).icmpDep ?? 0) : 0;
    if (!icmpDep || d.desc !== m.desc || dep.icmpType !== icmpDep) return;
  }
  const i = out.indexOf(d);
  if (i >= 0) out.splice(i, 1);
  dep.pdeps[m.base] = null;
}

/** trace_print_packet(): the matches of the packet's headers, each followed by a space. */
function packetText(ev: NftTraceEvent, o: PrintOpts): string {
  let s = '';
  if (ev.iif !== undefined) s += `${matchText('iif', T.ifindex, BigInt(ev.iif), 32, o)} `;
  if (ev.oif !== undefined) s += `${matchText('oif', T.ifindex, BigInt(ev.oif), 32, o)} `;
  const ctx: Ctx = { family: ev.family, desc: [null, null, null] };
  // proto_ctx_init(): the family's own layer
  if (ev.family === NFPROTO_IPV4) ctx.desc[NET] = IP;
  else if (ev.family === NFPROTO_IPV6) ctx.desc[NET] = IP6;
  else if (ev.family === NFPROTO_ARP) ctx.desc[NET] = ARP;
  else if (ev.family === NFPROTO_BRIDGE) ctx.desc[LL] = ETHER;
  if (ev.family === NFPROTO_INET || ev.family === NFPROTO_NETDEV) {
    // proto_inet / proto_netdev: the network protocol comes from NFTA_TRACE_NFPROTO
    ctx.desc[NET] = ev.nfproto === NFPROTO_IPV4 ? IP : ev.nfproto === NFPROTO_IPV6 ? IP6 : null;
  }
  // proto_dev_desc(): an Ethernet device's link layer
  if (ctx.desc[LL] === null && ev.iiftype === 1) ctx.desc[LL] = ETHER;
  const dep: DepCtx = { pdeps: [null, null, null, null], icmpType: 0 };
  const out: Match[] = [];
  genStmts(out, ctx, dep, ev.llHeader, LL, o);
  genStmts(out, ctx, dep, ev.networkHeader, NET, o);
  genStmts(out, ctx, dep, ev.transportHeader, TH, o);
  for (const m of out) s += `${m.text} `;
  return s;
}

/** verdict_expr print (datatype.c verdict_type_print). */
export function verdictText(code: number, chain?: string): string {
  switch (code) {
    case -1:
      return 'continue';
    case -2:
      return 'break';
    case -3:
      return `jump ${chain ?? ''}`;
    case -4:
      return `goto ${chain ?? ''}`;
    case -5:
      return 'return';
  }
  switch (code & 0xff) {
    case 0:
      return 'drop';
    case 1:
      return 'accept';
    case 2:
      return 'stolen';
    case 3:
      return 'queue';
  }
  return `unknown verdict value ${code >>> 0}`;
}

/** What the printer needs besides the event: value printing, and the rules of the cache nft loaded when it started. */
export interface TraceEnv extends PrintOpts {
  /** rule_print() of the cached rule, or undefined when the cache has no such rule. */
  rule(family: number, table: string, chain: string, handle: number): string | undefined;
}

/** netlink_events_trace_cb(): the lines one NFT_MSG_TRACE event prints. */
export function traceEventText(ev: NftTraceEvent, env: TraceEnv): string {
  const hdr = `trace id ${(ev.id >>> 0).toString(16).padStart(8, '0')} ${FAMILY[ev.family] ?? 'unknown'} ${ev.table} ${ev.chain} `;
  const markText = (): string => (ev.mark !== undefined ? `${matchText('meta mark', T.mark, BigInt(ev.mark >>> 0), 32, env)} ` : '');
  let s = '';
  if (ev.llHeader || ev.networkHeader) s += `${hdr}packet: ${packetText(ev, env)}\n`;
  if (ev.type === NFT_TRACETYPE_RULE) {
    if (ev.ruleHandle !== undefined) {
      const text = env.rule(ev.family, ev.table, ev.chain, ev.ruleHandle);
      s += `${hdr}${text !== undefined ? `rule ${text}` : `unknown rule handle ${ev.ruleHandle}`} (verdict ${verdictText(ev.verdict?.code ?? -1, ev.verdict?.chain)})\n`;
    }
  } else if (ev.type === NFT_TRACETYPE_POLICY) {
    s += hdr;
    if (ev.policy !== undefined) s += `policy ${verdictText(ev.policy)} `;
    s += `${markText()}\n`;
  } else if (ev.type === NFT_TRACETYPE_RETURN) {
    s += hdr;
    if (ev.verdict) s += `verdict ${verdictText(ev.verdict.code, ev.verdict.chain)} `;
    s += `${markText()}\n`;
  }
  return s;
}

/**
 * `nft monitor trace`: joins NFNLGRP_NFTRACE and prints each event as it comes
 * (nft flushes after every event), until a signal ends it; nft handles none,
 * so nothing is printed at the end.
 */
export function* monitorTrace(ctx: ProcCtx, env: TraceEnv): Proc {
  const wq = new WaitQueue(0, 'nftables trace events');
  const pending: string[] = [];
  const sub = nft_subscribe(ctx.net, {
    trace: (ev) => {
      pending.push(traceEventText(ev, env));
      wq.wakeUp();
    },
  });
  try {
    for (;;) {
      for (const l of pending.splice(0)) ctx.stdout.write(l);
      yield waitOn(wq);
    }
  } finally {
    nft_unsubscribe(sub);
  }
}

/** The rules nft's cache holds, each printed as `nft list` prints it (rule_print), by family, table, chain and handle. */
export function ruleCache(
  k: NftKernel,
  o: ListPrintOpts,
): (family: number, table: string, chain: string, handle: number) => string | undefined {
  const sets = new Map<string, Map<string, DumpedSet>>();
  for (const s of k.sets()) {
    const key = `${s.family} ${s.table}`;
    let m = sets.get(key);
    if (!m) sets.set(key, (m = new Map()));
    m.set(s.name, dumpedSet({ ...s, elements: k.elems(s.family, s.table, s.name) }));
  }
  const rules = new Map<string, NftRule>();
  for (const r of k.rules()) rules.set(`${r.family} ${r.table} ${r.chain} ${r.handle}`, r);
  const texts = new Map<string, string>();
  return (family, table, chain, handle) => {
    const key = `${family} ${table} ${chain} ${handle}`;
    const r = rules.get(key);
    if (!r) return undefined;
    let t = texts.get(key);
    if (t === undefined) {
      t = ruleText(r, sets.get(`${family} ${table}`) ?? new Map(), FAMILY_NAME.get(family) ?? `${family}`, o);
      if (o.handles) t += ` # handle ${handle}`;
      texts.set(key, t);
    }
    return t;
  };
}

/**
 * `nft monitor trace`: the cache is loaded once when nft starts (a rule prints with
 * the counters it had then), then each trace event is printed as it comes. Other
 * monitor forms are not simulated: null hands them back to the parser.
 */
export function nftMonitor(ctx: ProcCtx, words: readonly string[], o: ListPrintOpts, k: NftKernel): Proc | null {
  if (words.length !== 1 || words[0] !== 'trace') return null;
  const rule = ruleCache(k, o);
  return monitorTrace(ctx, { numeric: o.numeric, ifname: (i) => k.ifname(i), rule });
}

/**
 * The nft rule a path event's verdict came from (its `nf` hit: "family table", chain,
 * handle), as `nft list` prints it: read through the uapi when asked (after the run,
 * so with the counters the rule has then). Undefined for iptables' rules and policies.
 */
export function nftRuleResolver(
  netOf: (netns: string) => Net | undefined,
): (e: { netns: string; nf?: { table: string; chain: string; rule: number } }) => string | undefined {
  const caches = new Map<string, ((family: number, table: string, chain: string, handle: number) => string | undefined) | null>();
  return (e) => {
    const nf = e.nf;
    if (!nf || !nf.rule) return undefined;
    const m = /^(ip|ip6|inet|arp|bridge|netdev) (.+)$/.exec(nf.table);
    if (!m) return undefined;
    let c = caches.get(e.netns);
    if (c === undefined) {
      const net = netOf(e.netns);
      const k = net ? kernelOf(net, {}) : null;
      c = k ? ruleCache(k, { handles: false, numeric: 0, stateless: false, ifname: (i) => k.ifname(i) }) : null;
      caches.set(e.netns, c);
    }
    return c?.(FAMILY_NUM[m[1] as string] as number, m[2] as string, nf.chain, nf.rule);
  };
}
