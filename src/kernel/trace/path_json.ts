// The one JSON shape of a path event (docs/path-events.md): what
// `skbpath trace --json` and `skbpath drops --json` print, and what the web
// view receives (the same object plus the frame, `bytes` and `l3`).
import type { NfRuleHit, PathEvent, PathKind } from './probe.ts';
import { ARPOP_REQUEST, ARP_ETH_IPV4_LEN, arp_sip, arp_tip, arph_op } from '../../wire/arp.ts';
import { ETH_HLEN, ETH_P_ARP, ETH_P_IP, ETH_PROTO, eth_proto } from '../../wire/ethernet.ts';
import {
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_HEADER_LEN,
  iph_daddr,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  ipv4ToString,
} from '../../wire/ipv4.ts';
import { tcph_dest, tcph_source } from '../../wire/tcp.ts';

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
  if (e.l3 >= ETH_HLEN || e.l3 === -1) return e.l3 > ETH_HLEN ? e.bytes.subarray(e.l3 - ETH_HLEN) : e.bytes;
  // no link-layer header yet (or lo's was pulled): give it a zero one
  const f = new Uint8Array(ETH_HLEN + e.bytes.length - Math.max(0, e.l3));
  f[ETH_PROTO] = (e.protocol >> 8) & 0xff;
  f[ETH_PROTO + 1] = e.protocol & 0xff;
  f.set(e.bytes.subarray(Math.max(0, e.l3)), ETH_HLEN);
  return f;
}

const PROTO_NAMES: Readonly<Record<number, string>> = { [IPPROTO_ICMP]: 'icmp', [IPPROTO_TCP]: 'tcp', [IPPROTO_UDP]: 'udp' };

/** `10.0.0.1:0->10.0.0.2:0(icmp)` as pwru prints the tuple. */
export function tuple(e: PathFrame): string {
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
