// `skbpath trace` (pwru-style: every kernel function each skb passed) and
// `skbpath drops` (dropwatch-style: every drop with its reason and where),
// both read from the one path event stream (src/kernel/trace/probe.ts).
import type { CounterEvent, PathEvent } from '../kernel/trace/probe.ts';
import { compileFilter, FilterError } from '../userspace/tcpdump/compile.ts';
import { runFilter } from '../userspace/tcpdump/vm.ts';
import { ARPOP_REQUEST, ARP_ETH_IPV4_LEN, arp_sip, arp_tip, arph_op } from '../wire/arp.ts';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP, ETH_PROTO, eth_proto } from '../wire/ethernet.ts';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPV4_HEADER_LEN, iph_daddr, iph_ihl, iph_protocol, iph_saddr, ipv4ToString } from '../wire/ipv4.ts';
import { tcph_dest, tcph_source } from '../wire/tcp.ts';

export interface PathFilter {
  /** pcap-filter expression (tcpdump syntax). */
  filter?: string;
  netns?: string;
  dev?: string;
  /** Regular expression on function names. */
  func?: string;
}

/** The packet as an Ethernet frame (what the filter and the summary read). */
function asFrame(e: PathEvent): Uint8Array {
  if (e.l3 >= ETH_HLEN || e.l3 === -1) return e.l3 > ETH_HLEN ? e.bytes.subarray(e.l3 - ETH_HLEN) : e.bytes;
  // no link-layer header yet (or lo's was pulled): give it a zero one
  const f = new Uint8Array(ETH_HLEN + e.bytes.length - Math.max(0, e.l3));
  f[ETH_PROTO] = (e.protocol >> 8) & 0xff;
  f[ETH_PROTO + 1] = e.protocol & 0xff;
  f.set(e.bytes.subarray(Math.max(0, e.l3)), ETH_HLEN);
  return f;
}

const PROTO_NAMES: Record<number, string> = { [IPPROTO_ICMP]: 'icmp', [IPPROTO_TCP]: 'tcp', [IPPROTO_UDP]: 'udp' };

/** `10.0.0.1:0->10.0.0.2:0(icmp)` as pwru prints the tuple. */
export function tuple(e: PathEvent): string {
  const f = asFrame(e);
  const type = eth_proto(f, 0);
  const nh = ETH_HLEN;
  if (type === ETH_P_ARP && f.length >= nh + ARP_ETH_IPV4_LEN) {
    return `${ipv4ToString(arp_sip(f, nh))}->${ipv4ToString(arp_tip(f, nh))}(arp ${(arph_op(f, nh) & 0xff) === ARPOP_REQUEST ? 'request' : 'reply'})`;
  }
  if (type !== ETH_P_IP || f.length < nh + IPV4_HEADER_LEN) return '';
  const ihl = iph_ihl(f, nh) * 4;
  const proto = iph_protocol(f, nh);
  const t = nh + ihl;
  let sp = 0;
  let dp = 0;
  if ((proto === IPPROTO_TCP || proto === IPPROTO_UDP) && f.length >= t + 4) {
    // the ports are the first two fields of both struct tcphdr and struct udphdr
    sp = tcph_source(f, t);
    dp = tcph_dest(f, t);
  }
  return `${ipv4ToString(iph_saddr(f, nh))}:${sp}->${ipv4ToString(iph_daddr(f, nh))}:${dp}(${PROTO_NAMES[proto] ?? proto})`;
}

/** Selects the events of the skbs a filter names; a lineage that matches once is followed everywhere. */
export function selectPath(events: readonly PathEvent[], f: PathFilter): PathEvent[] {
  let prog: ReturnType<typeof compileFilter> | null = null;
  if (f.filter) prog = compileFilter(f.filter);
  const func = f.func ? new RegExp(f.func) : null;
  const keep = new Set<number>();
  for (const e of events) {
    if (f.netns && e.netns !== f.netns) continue;
    if (f.dev && e.dev !== f.dev) continue;
    if (prog) {
      const frame = asFrame(e);
      if (runFilter(prog, frame, frame.length) === 0) continue;
    }
    keep.add(e.origin);
  }
  return events.filter((e) => keep.has(e.origin) && (!func || func.test(e.fn)));
}

const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s.padEnd(n));

/** pwru's columns, one line per function an skb entered. */
export function formatPath(events: readonly PathEvent[]): string {
  let s = `${pad('SKB', 20)}${pad('CPU', 4)}${pad('PROCESS', 16)}${pad('NETNS', 10)}${pad('MARK/x', 8)}${pad('IFACE', 12)}${pad('PROTO', 7)}${pad('MTU', 6)}${pad('LEN', 6)}${pad('TUPLE', 40)}FUNC\n`;
  for (const e of events) {
    const skb = `0x${(0xffff888000000000n + BigInt(e.skb) * 0x100n).toString(16)}`;
    const iface = e.dev ? `${e.dev}:${e.ifindex}` : '';
    let fn = e.fn;
    if (e.kind === 'drop') fn = `kfree_skb_reason(${e.reason}) @${e.fn}`;
    else if (e.kind === 'consume') fn = `consume_skb @${e.fn}`;
    if (e.nf) fn += ` ${e.nf.table}/${e.nf.chain}:${e.nf.rule || 'policy'} ${e.nf.target === 'policy' ? '' : `${e.nf.target} `}=> ${e.nf.verdict}`;
    if (e.ct) fn += ` ct=${e.ct}`;
    s += `${pad(skb, 20)}${pad(String(e.cpu), 4)}${pad(`[${e.comm}]`, 16)}${pad(e.netns, 10)}${pad(`0x${e.mark.toString(16)}`, 8)}${pad(iface, 12)}${pad(`0x${e.protocol.toString(16).padStart(4, '0')}`, 7)}${pad(String(e.mtu), 6)}${pad(String(e.len), 6)}${pad(tuple(e), 40)}${fn}\n`;
  }
  return s;
}

/** The documented JSON form of one event (docs/path-events.md). */
export function pathJson(e: PathEvent): Record<string, unknown> {
  return {
    seq: e.seq,
    time_ns: e.ts,
    netns: e.netns,
    func: e.fn,
    kind: e.kind,
    skb: e.skb,
    origin: e.origin,
    dev: e.dev,
    ifindex: e.ifindex,
    mtu: e.mtu,
    len: e.len,
    protocol: e.protocol,
    mark: e.mark,
    process: e.comm,
    cpu: e.cpu,
    tuple: tuple(e),
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.why ? { why: e.why } : {}),
    ...(e.ct ? { ct: e.ct } : {}),
    ...(e.nf ? { nf: { ...e.nf } } : {}),
  };
}

/** The counters each dropped skb bumped in the namespace where it died, in order. */
export function dropCounters(drops: readonly PathEvent[], counters: readonly CounterEvent[]): Map<PathEvent, CounterEvent[]> {
  const want = new Map<string, PathEvent>();
  for (const d of drops) want.set(`${d.netns}\0${d.skb}`, d);
  const out = new Map<PathEvent, CounterEvent[]>();
  for (const c of counters) {
    if (c.skb === 0) continue;
    const d = want.get(`${c.netns}\0${c.skb}`);
    if (!d) continue;
    let l = out.get(d);
    if (!l) out.set(d, (l = []));
    l.push(c);
  }
  return out;
}

function counterList(l: readonly CounterEvent[]): string {
  return l.map((c) => (c.by === 1 ? c.name : `${c.name}+${c.by}`)).join(' ');
}

/** One drop as JSON: the path event plus the counters its skb bumped. */
export function dropJson(e: PathEvent, counted: readonly CounterEvent[]): Record<string, unknown> {
  return { ...pathJson(e), counters: counted.map((c) => ({ name: c.name, by: c.by, func: c.fn })) };
}

/** dropwatch's view: each drop with the counters its skb bumped, then how many per location and reason. */
export function formatDrops(events: readonly PathEvent[], counters: readonly CounterEvent[] = []): string {
  const drops = events.filter((e) => e.kind === 'drop');
  const counted = dropCounters(drops, counters);
  let s = '';
  for (const e of drops) {
    s += `${(e.ts / 1e9).toFixed(6)} ${e.netns} ${e.dev || '-'} ${e.reason} at ${e.fn}: ${tuple(e) || `proto 0x${e.protocol.toString(16)}`} len ${e.len} [${e.comm}]\n`;
    if (e.why) s += `    why: ${e.why}\n`;
    const l = counted.get(e);
    if (l) s += `    counted: ${counterList(l)}\n`;
  }
  const byPlace = new Map<string, number>();
  for (const e of drops) {
    const k = `${e.reason} at ${e.fn} (${e.netns})`;
    byPlace.set(k, (byPlace.get(k) ?? 0) + 1);
  }
  s += `\n${drops.length} drops\n`;
  for (const [k, n] of [...byPlace].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) s += `${String(n).padStart(6)} ${k}\n`;
  return s;
}

export { FilterError };
