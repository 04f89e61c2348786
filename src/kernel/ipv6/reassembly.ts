// net/ipv6/reassembly.c (with inet_fragment.c's queue rules): the fragment
// header's handler. Fragments of one datagram (identification, source,
// destination) queue until the whole is there, then the arriving skb becomes
// the datagram and delivery goes on with the fragment's next header. The
// ip6frag_high_thresh / low_thresh / time sysctls bound the queues; a queue
// that times out sends time exceeded (fragment reassembly) when its first
// fragment had arrived. Overlaps kill the queue (RFC 5722).
import type { Timer } from '../../sim/events.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { MIB } from '../trace/snmp.ts';
import { ipv6_addr_type, IPV6_ADDR_LINKLOCAL, IPV6_ADDR_MULTICAST } from './addrconf_core.ts';
import { ipv6_skip_exthdr } from './exthdrs_core.ts';
import { icmpv6_param_prob_reason, icmpv6_send } from './icmp.ts';
import { inet6_add_protocol, INET6_PROTO_NOPOLICY } from './protocol.ts';
import { ip6_route_input } from './route.ts';
import { IP6CB, IP6SKB_FRAGMENTED } from './route_types.ts';
import { NEXTHDR_FRAGMENT, NEXTHDR_ICMP, NEXTHDR_TCP, NEXTHDR_UDP } from '../../wire/ipv6.ts';

const IPV6_MAXPLEN = 65535;
const ICMPV6_TIME_EXCEED = 3;
const ICMPV6_EXC_FRAGTIME = 1;
const ICMPV6_HDR_FIELD = 0;
const ICMPV6_HDR_INCOMP = 3;
/** sizeof(struct frag_queue): what a queue itself charges to the fragment memory. */
const FQ_SIZE = 224;

interface Frag6 {
  offset: number;
  end: number;
  skb: SkBuff;
}

/** struct frag_queue */
export class Frag6Queue {
  readonly frags: Frag6[] = [];
  /** the contiguous runs of the rbtree */
  readonly runs: { start: number; end: number }[] = [];
  len = 0;
  meat = 0;
  firstIn = false;
  lastIn = false;
  complete = false;
  dead = false;
  iif = 0;
  /** nhoffset: where the first fragment's "next header" byte naming the fragment header sits */
  nhoffset = 0;
  maxSize = 0;
  timer!: Timer;
  constructor(
    readonly key: string,
    readonly net: Net,
  ) {}
}

/** net->ipv6.fqdir: the queues of a namespace and the memory they hold. */
export class Ipv6Frags {
  readonly queues = new Map<string, Frag6Queue>();
  mem = 0;
}

function fqdir(net: Net): Ipv6Frags {
  const n = net.ipv6 as typeof net.ipv6 & { frags?: Ipv6Frags };
  if (!n.frags) n.frags = new Ipv6Frags();
  return n.frags;
}

function hex(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (b[o + i] as number).toString(16).padStart(2, '0');
  return s;
}

function inet_frag_kill(q: Frag6Queue): void {
  if (q.dead) return;
  q.dead = true;
  const d = fqdir(q.net);
  d.mem -= FQ_SIZE;
  for (const f of q.frags) d.mem -= f.skb.truesize();
  q.net.kernel.sim.delTimer(q.timer);
  d.queues.delete(q.key);
}

/** ip6_frag_expire() → ip6frag_expire_frag_queue(): the queue timed out. */
function ip6_frag_expire(q: Frag6Queue): void {
  if (q.dead || q.complete) return;
  const net = q.net;
  inet_frag_kill(q);
  const dev = net.devByIndex.get(q.iif);
  if (dev) {
    net.mib.inc(MIB.Ip6ReasmFails);
    net.mib.inc(MIB.Ip6ReasmTimeout);
    const head = q.firstIn ? q.frags.find((f) => f.offset === 0) : undefined;
    if (head) {
      q.frags.splice(q.frags.indexOf(head), 1);
      const h = head.skb;
      h.dev = dev;
      // the head keeps its network header in front of the fragment data
      h.data = h.networkHeader;
      h.len = h.tail - h.data;
      if (!h.dst6) ip6_route_input(h);
      icmpv6_send(h, ICMPV6_TIME_EXCEED, ICMPV6_EXC_FRAGTIME, 0);
      kfree_skb_reason(net, h, SKB_DROP_REASON.FRAG_REASM_TIMEOUT, 'ip6_frag_expire');
    }
  }
  for (const f of q.frags.splice(0)) kfree_skb_reason(net, f.skb, SKB_DROP_REASON.FRAG_REASM_TIMEOUT, 'inet_frag_rbtree_purge');
}

/** fq_find(): the queue of this datagram, made when missing (null over ip6frag_high_thresh). */
function fq_find(net: Net, skb: SkBuff, id: number, iifIn: number): Frag6Queue | null {
  const b = skb.head;
  const o = skb.networkHeader;
  const daddr = b.subarray(o + 24, o + 40);
  const iif = ipv6_addr_type(daddr) & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL) ? iifIn : 0;
  const ecn = ((b[o + 1] as number) >> 4) & 3;
  const key = `${id}:${hex(b, o + 8, 16)}:${hex(b, o + 24, 16)}:${iif}:${ecn === 3 ? 1 : 0}`;
  const d = fqdir(net);
  const high = net.sysctl.int('net.ipv6.ip6frag_high_thresh');
  const found = d.queues.get(key);
  if (found) return found;
  if (!high || d.mem > high) return null;
  const q = new Frag6Queue(key, net);
  q.timer = net.kernel.sim.timer(ip6_frag_expire, q);
  net.kernel.sim.modTimer(q.timer, net.kernel.now + net.sysctl.int('net.ipv6.ip6frag_time') * 1e9);
  d.queues.set(key, q);
  d.mem += FQ_SIZE;
  return q;
}

/** inet_frag_queue_insert(): 'ok', a duplicate, or an overlap. */
function inet_frag_queue_insert(q: Frag6Queue, offset: number, end: number): 'ok' | 'dup' | 'overlap' {
  const last = q.runs[q.runs.length - 1];
  if (!last) {
    q.runs.push({ start: offset, end });
    return 'ok';
  }
  if (last.end < end) {
    if (offset < last.end) return 'overlap';
    if (offset === last.end) last.end = end;
    else q.runs.push({ start: offset, end });
    return 'ok';
  }
  for (const r of q.runs) {
    if (end <= r.start || offset >= r.end) continue;
    return offset >= r.start && end <= r.end ? 'dup' : 'overlap';
  }
  q.runs.push({ start: offset, end });
  q.runs.sort((x, y) => x.start - y.start || x.end - y.end);
  return 'ok';
}

/** ipv6frag_thdr_truncated(): a first fragment must hold the upper-layer header. */
function ipv6frag_thdr_truncated(skb: SkBuff): boolean {
  const b = skb.head;
  const n = skb.networkHeader;
  const w = ipv6_skip_exthdr(skb, n + 40, b[n + 6] as number);
  if (w.off < 0 || w.fragOff) return false;
  const nexthdr = w.nexthdr;
  let off = w.off - n;
  if (nexthdr === NEXTHDR_TCP) off += 20;
  else if (nexthdr === NEXTHDR_UDP || nexthdr === NEXTHDR_ICMP) off += 8;
  else off += 1;
  return off > skb.len + (skb.data - n);
}

/** ipv6_frag_rcv(): inet6_protos[NEXTHDR_FRAGMENT]. 1 with skb the whole datagram, else -1 / 0 (queued or dropped). */
export function ipv6_frag_rcv(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'ipv6_frag_rcv');
  const opt = IP6CB(skb);
  const b = skb.head;
  const n = skb.networkHeader;
  const failHdr = (): number => {
    net.mib.inc(MIB.Ip6InHdrErrors);
    icmpv6_param_prob_reason(skb, ICMPV6_HDR_FIELD, skb.transportHeader - n, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_frag_rcv');
    return -1;
  };
  if (opt.flags & IP6SKB_FRAGMENTED) return failHdr();
  net.mib.inc(MIB.Ip6ReasmReqds);
  const payloadLen = ((b[n + 4] as number) << 8) | (b[n + 5] as number);
  if (payloadLen === 0) return failHdr();
  const t = skb.transportHeader;
  if (t + 8 > skb.tail) return failHdr();
  const fragOff = ((b[t + 2] as number) << 8) | (b[t + 3] as number);
  if (!(fragOff & 0xfff9)) {
    // an atomic fragment: not fragmented at all
    skb.transportHeader += 8;
    net.mib.inc(MIB.Ip6ReasmOKs);
    opt.nhoff = t - n;
    opt.flags |= IP6SKB_FRAGMENTED;
    opt.frag_max_size = payloadLen + 40;
    return 1;
  }
  if (!(fragOff & 0xfff8) && ipv6frag_thdr_truncated(skb)) {
    net.mib.inc(MIB.Ip6InHdrErrors);
    icmpv6_param_prob_reason(skb, ICMPV6_HDR_INCOMP, 0, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_frag_rcv');
    return -1;
  }
  const id = (((b[t + 4] as number) << 24) | ((b[t + 5] as number) << 16) | ((b[t + 6] as number) << 8) | (b[t + 7] as number)) >>> 0;
  const q = fq_find(net, skb, id, dev.ifindex);
  if (!q) {
    net.mib.inc(MIB.Ip6ReasmFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_frag_rcv', () => 'over ip6frag_high_thresh');
    return -1;
  }
  q.iif = dev.ifindex;
  return ip6_frag_queue(net, q, skb, opt.nhoff);
}

/** ip6_frag_queue(): one fragment into its queue; the datagram when it is complete. */
function ip6_frag_queue(net: Net, q: Frag6Queue, skb: SkBuff, nhoff: number): number {
  const b = skb.head;
  const n = skb.networkHeader;
  const t = skb.transportHeader;
  const fragOff = ((b[t + 2] as number) << 8) | (b[t + 3] as number);
  if (q.complete) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.DUP_FRAG, 'ipv6_frag_rcv');
    return -1;
  }
  const offset = fragOff & 0xfff8;
  const payloadLen = ((b[n + 4] as number) << 8) | (b[n + 5] as number);
  const end = offset + (payloadLen - (t + 8 - (n + 40)));
  const probOffset = (off: number): number => {
    net.mib.inc(MIB.Ip6InHdrErrors);
    icmpv6_param_prob_reason(skb, ICMPV6_HDR_FIELD, off, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_frag_rcv');
    return -1;
  };
  const discard = (why: string): number => {
    inet_frag_kill(q);
    net.mib.inc(MIB.Ip6ReasmFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_frag_rcv', () => why);
    for (const f of q.frags.splice(0)) consume_skb(net, f.skb, 'inet_frag_rbtree_purge');
    return -1;
  };
  if (end > IPV6_MAXPLEN) return probOffset(t + 2 - n);
  if (!(fragOff & 1)) {
    if (end < q.len || (q.lastIn && end !== q.len)) return discard('a last fragment with another end');
    q.lastIn = true;
    q.len = end;
  } else {
    // RFC 8200: a fragment that is not the last is a multiple of 8 bytes
    if (end & 7) return probOffset(4);
    if (end > q.len) {
      if (q.lastIn) return discard('bytes past the last fragment');
      q.len = end;
    }
  }
  if (end === offset) return discard('an empty fragment');
  const ins = inet_frag_queue_insert(q, offset, end);
  if (ins === 'dup') {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.DUP_FRAG, 'ipv6_frag_rcv', () => `bytes ${offset}-${end} are already queued`);
    return -1;
  }
  if (ins === 'overlap') return discard(`bytes ${offset}-${end} overlap a queued fragment; the queue is dropped`);
  q.frags.push({ offset, end, skb });
  q.frags.sort((x, y) => x.offset - y.offset);
  fqdir(net).mem += skb.truesize();
  q.meat += end - offset;
  q.maxSize = Math.max(q.maxSize, skb.tail - n);
  if (offset === 0) {
    q.nhoffset = nhoff;
    q.firstIn = true;
  }
  if (!(q.firstIn && q.lastIn && q.meat === q.len)) return -1; // -EINPROGRESS
  return ip6_frag_reasm(net, q, skb);
}

/** ip6_frag_reasm(): the arriving skb becomes the whole datagram, without the fragment header. */
function ip6_frag_reasm(net: Net, q: Frag6Queue, skb: SkBuff): number {
  const head = (q.frags[0] as Frag6).skb;
  const hb = head.head;
  const hn = head.networkHeader;
  const unfrag = head.transportHeader - hn; // the headers before the fragment header
  const payload = unfrag - 40 + q.len;
  if (payload > IPV6_MAXPLEN) {
    inet_frag_kill(q);
    net.mib.inc(MIB.Ip6ReasmFails);
    for (const f of q.frags.splice(0)) kfree_skb_reason(net, f.skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ipv6_frag_rcv');
    return -1;
  }
  const mac = head.macHeader >= 0 && head.macHeader < hn ? hn - head.macHeader : 0;
  const buf = new Uint8Array(64 + mac + unfrag + q.len);
  const w = 64 + mac;
  if (mac) buf.set(hb.subarray(head.macHeader, hn), 64);
  buf.set(hb.subarray(hn, hn + unfrag), w);
  const nexthdr = hb[head.transportHeader] as number;
  for (const f of q.frags) {
    const fb = f.skb.head;
    const ft = f.skb.transportHeader + 8;
    buf.set(fb.subarray(ft, ft + (f.end - f.offset)), w + unfrag + f.offset);
  }
  buf[w + q.nhoffset] = nexthdr;
  buf[w + 4] = (payload >> 8) & 0xff;
  buf[w + 5] = payload & 0xff;
  q.complete = true;
  inet_frag_kill(q);
  // inet_frag_reasm_prepare(): the arriving skb takes the head's place (a clone of it stays in the
  // queue and the old head is consumed); the other fragments become the datagram's frag_list
  const fragList: SkBuff[] = [];
  for (const f of q.frags.splice(0)) {
    if (f.offset === 0) {
      if (f.skb !== skb) consume_skb(net, f.skb, 'inet_frag_reasm_prepare');
    } else fragList.push(f.skb === skb ? skb.clone() : f.skb);
  }
  skb.shinfo.users--;
  skb.shinfo = { buf, users: 1, frag_list: fragList };
  skb.macHeader = mac ? 64 : -1;
  skb.networkHeader = w;
  skb.transportHeader = w + unfrag;
  skb.data = w + unfrag;
  skb.tail = buf.length;
  skb.len = buf.length - skb.data;
  skb.cloned = false;
  const opt = IP6CB(skb);
  opt.nhoff = q.nhoffset;
  opt.flags |= IP6SKB_FRAGMENTED;
  opt.frag_max_size = q.maxSize;
  net.mib.inc(MIB.Ip6ReasmOKs);
  return 1;
}

/** ipv6_frag_init(): the fragment header's handler in inet6_protos. */
export function ipv6_frag_init(k: Kernel): void {
  inet6_add_protocol(k, { handler: ipv6_frag_rcv, flags: INET6_PROTO_NOPOLICY }, NEXTHDR_FRAGMENT);
}
