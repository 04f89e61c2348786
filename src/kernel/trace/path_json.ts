// The one JSON shape of a path event (docs/path-events.md): what
// `skbpath trace --json` and `skbpath drops --json` print, and what the web
// view receives (the same object plus the frame, `bytes` and `l3`).
import type { NfRuleHit, PathEvent, PathKind } from './probe.ts';

/** One path event as documented in docs/path-events.md. */
export interface PathJson {
  seq: number;
  time_ns: number;
  netns: string;
  func: string;
  kind: PathKind;
  skb: number;
  origin: number;
  dev: string;
  ifindex: number;
  mtu: number;
  len: number;
  protocol: number;
  mark: number;
  process: string;
  cpu: number;
  tuple: string;
  reason?: string;
  why?: string;
  ct?: string;
  nf?: NfRuleHit;
}

/** The frame an event carries: the bytes from the MAC or network header, and where the network header starts (-1 unknown). */
export interface PathFrame {
  readonly bytes: Uint8Array;
  readonly l3: number;
  readonly protocol: number;
}

/** The packet as an Ethernet frame (what a pcap filter and the tuple read). */
export function asFrame(e: PathFrame): Uint8Array {
  if (e.l3 >= 14 || e.l3 === -1) return e.l3 > 14 ? e.bytes.subarray(e.l3 - 14) : e.bytes;
  // no link-layer header yet (or lo's was pulled): give it a zero one
  const f = new Uint8Array(14 + e.bytes.length - Math.max(0, e.l3));
  f[12] = (e.protocol >> 8) & 0xff;
  f[13] = e.protocol & 0xff;
  f.set(e.bytes.subarray(Math.max(0, e.l3)), 14);
  return f;
}

const PROTO_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };

/** `10.0.0.1:0->10.0.0.2:0(icmp)` as pwru prints the tuple; empty for frames that are neither IPv4 nor ARP. */
export function tuple(e: PathFrame): string {
  const f = asFrame(e);
  const type = ((f[12] ?? 0) << 8) | (f[13] ?? 0);
  if (type === 0x0806 && f.length >= 42) {
    const ip = (o: number): string => `${f[o]}.${f[o + 1]}.${f[o + 2]}.${f[o + 3]}`;
    return `${ip(28)}->${ip(38)}(arp ${f[21] === 1 ? 'request' : 'reply'})`;
  }
  if (type !== 0x0800 || f.length < 34) return '';
  const ihl = ((f[14] as number) & 0x0f) * 4;
  const proto = f[23] as number;
  const ip = (o: number): string => `${f[o]}.${f[o + 1]}.${f[o + 2]}.${f[o + 3]}`;
  const t = 14 + ihl;
  let sp = 0;
  let dp = 0;
  if ((proto === 6 || proto === 17) && f.length >= t + 4) {
    sp = ((f[t] as number) << 8) | (f[t + 1] as number);
    dp = ((f[t + 2] as number) << 8) | (f[t + 3] as number);
  }
  return `${ip(26)}:${sp}->${ip(30)}:${dp}(${PROTO_NAMES[proto] ?? proto})`;
}

/** The documented JSON form of one event. */
export function pathJson(e: PathEvent): PathJson {
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
