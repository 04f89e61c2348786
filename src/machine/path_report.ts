// `skbpath trace` (pwru-style: every kernel function each skb passed) and
// `skbpath drops` (dropwatch-style: every drop with its reason and where),
// both read from the one path event stream (src/kernel/trace/probe.ts).
import type { CounterEvent, PathEvent } from '../kernel/trace/probe.ts';
import { asFrame, pathJson, type PathFrame, tuple } from '../kernel/trace/path_json.ts';
import { compileFilter, FilterError } from '../userspace/tcpdump/compile.ts';
import { runFilter } from '../userspace/tcpdump/vm.ts';

export interface PathFilter {
  /** pcap-filter expression (tcpdump syntax). */
  filter?: string;
  netns?: string;
  dev?: string;
  /** Regular expression on function names. */
  func?: string;
  /** Only drops with this reason (skbpath drops --reason). */
  reason?: string;
}

/** A drop reason as the user may type it: `no_socket`, `SKB_DROP_REASON_NO_SOCKET` and `NO_SOCKET` are one. */
export function normalReason(r: string): string {
  return r.toUpperCase().replace(/^SKB_DROP_REASON_/, '');
}

/** What selectPath reads of an event: where it was, its lineage and its frame (a PathEvent, or the web view's PathJson with its frame). */
export interface PathSelectable extends PathFrame {
  readonly netns: string;
  readonly dev: string;
  readonly origin: number;
}

/** The function an event names: PathEvent's `fn`, PathJson's `func`. */
type Named = { readonly fn: string } | { readonly func: string };

/** Selects the events of the skbs a filter names; a lineage that matches once is followed everywhere. */
export function selectPath<T extends PathSelectable & Named>(events: readonly T[], f: PathFilter): T[] {
  let prog: ReturnType<typeof compileFilter> | null = null;
  if (f.filter) prog = compileFilter(f.filter);
  let func: RegExp | null = null;
  try {
    if (f.func) func = new RegExp(f.func);
  } catch {
    throw new FilterError(`--func: invalid regular expression: ${f.func}`);
  }
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
  return events.filter((e) => keep.has(e.origin) && (!func || func.test('fn' in e ? e.fn : e.func)));
}

const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s.padEnd(n));

/** pwru's columns (with --timestamp and --output-meta: TIMESTAMP is the virtual time in seconds), one line per function an skb entered. */
/** The text of the nft rule behind a path event's verdict, when there is one (monitor.ts nftRuleResolver). */
export type NftRuleText = (e: PathEvent) => string | undefined;

export function formatPath(events: readonly PathEvent[], nftRule?: NftRuleText): string {
  let s = `${pad('SKB', 20)}${pad('CPU', 4)}${pad('PROCESS', 16)}${pad('TIMESTAMP', 16)}${pad('NETNS', 10)}${pad('MARK/x', 8)}${pad('IFACE', 12)}${pad('PROTO', 7)}${pad('MTU', 6)}${pad('LEN', 6)}${pad('TUPLE', 40)}FUNC\n`;
  for (const e of events) {
    const skb = `0x${(0xffff888000000000n + BigInt(e.skb) * 0x100n).toString(16)}`;
    const iface = e.dev ? `${e.dev}:${e.ifindex}` : '';
    let fn = e.fn;
    if (e.kind === 'drop') fn = `kfree_skb_reason(${e.reason}) @${e.fn}`;
    else if (e.kind === 'consume') fn = `consume_skb @${e.fn}`;
    if (e.nf)
      fn += ` ${e.nf.table}/${e.nf.chain}:${e.nf.rule || 'policy'} ${e.nf.target === 'policy' ? '' : `${e.nf.target} `}=> ${e.nf.verdict}`;
    const rule = e.nf && nftRule?.(e);
    if (rule !== undefined) fn += ` [${rule}]`;
    if (e.ct) fn += ` ct=${e.ct}`;
    s += `${pad(skb, 20)}${pad(String(e.cpu), 4)}${pad(`[${e.comm}]`, 16)}${pad((e.ts / 1e9).toFixed(6), 16)}${pad(e.netns, 10)}${pad(`0x${e.mark.toString(16)}`, 8)}${pad(iface, 12)}${pad(`0x${e.protocol.toString(16).padStart(4, '0')}`, 7)}${pad(String(e.mtu), 6)}${pad(String(e.len), 6)}${pad(tuple(e), 40)}${fn}\n`;
  }
  return s;
}

/** The drops among `events`, those with `reason` only when it is given. */
export function selectDrops(events: readonly PathEvent[], reason?: string): PathEvent[] {
  const want = reason === undefined ? null : normalReason(reason);
  return events.filter((e) => e.kind === 'drop' && (want === null || e.reason === want));
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

/** For each drop at nft_do_chain, the chain's entry event that holds the rule hit (its `nf`). */
export function ruleHits(events: readonly PathEvent[]): Map<PathEvent, PathEvent> {
  const last = new Map<string, PathEvent>();
  const out = new Map<PathEvent, PathEvent>();
  for (const e of events) {
    const key = `${e.netns}\0${e.skb}`;
    if (e.kind === 'fn' && e.fn === 'nft_do_chain' && e.nf) last.set(key, e);
    else if (e.kind === 'drop' && e.fn === 'nft_do_chain') {
      const h = last.get(key);
      if (h) out.set(e, h);
    }
  }
  return out;
}

/** One drop as JSON: the path event plus the counters its skb bumped. */
export function dropJson(e: PathEvent, counted: readonly CounterEvent[], nftRule?: NftRuleText): Record<string, unknown> {
  const rule = nftRule?.(e);
  return {
    ...pathJson(e),
    ...(rule !== undefined ? { nft_rule: rule } : {}),
    counters: counted.map((c) => ({ name: c.name, by: c.by, func: c.fn })),
  };
}

/** dropwatch's view: each drop with the counters its skb bumped, then how many per location and reason. */
export function formatDrops(
  events: readonly PathEvent[],
  counters: readonly CounterEvent[] = [],
  reason?: string,
  nftRule?: NftRuleText,
): string {
  const drops = selectDrops(events, reason);
  const counted = dropCounters(drops, counters);
  const hit = nftRule ? ruleHits(events) : new Map<PathEvent, PathEvent>();
  let s = '';
  for (const e of drops) {
    s += `${(e.ts / 1e9).toFixed(6)} ${e.netns} ${e.dev || '-'} ${e.reason} at ${e.fn}: ${tuple(e) || `proto 0x${e.protocol.toString(16)}`} len ${e.len} [${e.comm}]\n`;
    if (e.why) s += `    why: ${e.why}\n`;
    const h = hit.get(e);
    const rule = h && nftRule?.(h);
    if (rule !== undefined) s += `    nft rule: ${rule}\n`;
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

export { FilterError, pathJson, tuple };
