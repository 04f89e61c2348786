// net/ipv4/ip_fragment.c + inet_fragment.c: reassembly queues with Linux's
// counters, duplicate/overlap rules and the ipfrag_time timeout.
import { kprobe } from '../trace/probe.ts';
import type { Timer } from '../../sim/events.ts';
import { NSEC_PER_SEC } from '../../sim/sim.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { alloc_skb, type SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { MIB } from '../trace/snmp.ts';
import { icmp_send } from './icmp.ts';
import { ICMP_EXC_FRAGTIME, ICMP_TIME_EXCEEDED } from '../../wire/icmp.ts';
import { ip_route_input_noref } from './route.ts';
import {
  IP_MF,
  IP_OFFSET,
  ip_send_check,
  iph_daddr,
  iph_frag_off,
  iph_id,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  iph_tot_len,
  wr16,
} from './iphdr.ts';
import { IPH_FRAG_OFF, IPH_TOT_LEN } from '../../wire/ipv4.ts';

interface Frag {
  offset: number;
  end: number;
  skb: SkBuff;
}

export class FragQueue {
  readonly frags: Frag[] = [];
  /** The fragment runs of the rbtree: contiguous fragments appended at the tail share one. */
  readonly runs: { start: number; end: number }[] = [];
  len = 0;
  meat = 0;
  firstIn = false;
  lastIn = false;
  complete = false;
  dead = false;
  timer!: Timer;
  maxSize = 0;
  constructor(
    readonly key: string,
    readonly net: Net,
  ) {}
}

function qkey(b: Uint8Array, o: number, user: string): string {
  return `${user}:${iph_saddr(b, o)}:${iph_daddr(b, o)}:${iph_id(b, o)}:${iph_protocol(b, o)}`;
}

/** sizeof(struct ipq): what a queue itself charges to the fragment memory. */
const IPQ_SIZE = 184;

function inet_frag_kill(q: FragQueue): void {
  if (q.dead) return;
  q.dead = true;
  q.net.fragMem -= IPQ_SIZE;
  for (const f of q.frags) q.net.fragMem -= f.skb.truesize();
  q.net.kernel.sim.delTimer(q.timer);
  q.net.fragQueues.delete(q.key);
}

function purge(q: FragQueue, reason: number, location: string): void {
  for (const f of q.frags.splice(0)) kfree_skb_reason(q.net, f.skb, reason, location);
}

/** ip_expire(): the queue timed out. */
function ip_expire(q: FragQueue): void {
  if (q.dead) return;
  const net = q.net;
  inet_frag_kill(q);
  net.mib.inc(MIB.IpReasmFails);
  net.mib.inc(MIB.IpReasmTimeout);
  const head = q.frags.find((f) => f.offset === 0);
  if (q.firstIn && head) {
    q.frags.splice(q.frags.indexOf(head), 1);
    // the head lost its dst when queued: route it again
    const h = head.skb;
    h.dst = null;
    const b = h.head;
    const o = h.networkHeader;
    const reason = h.dev
      ? ip_route_input_noref(net, h, iph_daddr(b, o), iph_saddr(b, o), iph_tos(b, o) & 0xfc, h.dev)
      : SKB_DROP_REASON.NOT_SPECIFIED;
    if (!reason) icmp_send(net, h, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
    kfree_skb_reason(net, h, reason || SKB_DROP_REASON.FRAG_REASM_TIMEOUT, 'ip_expire');
  }
  purge(q, SKB_DROP_REASON.FRAG_REASM_TIMEOUT, 'inet_frag_rbtree_purge');
}

/**
 * ip_defrag(): queues a fragment; returns the reassembled datagram when it is
 * complete, or null (the fragment was queued or dropped).
 */
export function ip_defrag(net: Net, skb: SkBuff, user: string): SkBuff | null {
  kprobe(net, skb, 'ip_defrag');
  net.mib.inc(MIB.IpReasmReqds);
  const b = skb.head;
  const o = skb.networkHeader;
  const key = qkey(b, o, user);
  let q = net.fragQueues.get(key);
  // inet_frag_find(): over ipfrag_high_thresh no queue is found or made
  const high = net.sysctl.int('net.ipv4.ipfrag_high_thresh');
  if (!q && (!high || net.fragMem > high)) {
    net.mib.inc(MIB.IpReasmFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip_defrag');
    return null;
  }
  if (q && net.fragMem > high) {
    net.mib.inc(MIB.IpReasmFails);
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'ip_defrag');
    return null;
  }
  if (!q) {
    q = new FragQueue(key, net);
    const qq = q;
    q.timer = net.kernel.sim.timer(ip_expire, qq);
    net.kernel.sim.modTimer(q.timer, net.kernel.now + net.sysctl.int('net.ipv4.ipfrag_time') * NSEC_PER_SEC);
    net.fragQueues.set(key, q);
    net.fragMem += IPQ_SIZE;
  }
  const ihl = iph_ihl(b, o) * 4;
  const fo = iph_frag_off(b, o);
  const offset = (fo & IP_OFFSET) * 8;
  let end = offset + iph_tot_len(b, o) - ihl;
  if (q.complete) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.DUP_FRAG, 'ip_defrag');
    return null;
  }
  if (!(fo & IP_MF)) {
    if (end < q.len || (q.lastIn && end !== q.len)) return frag_err(net, q, skb);
    q.lastIn = true;
    q.len = end;
  } else {
    // a non-final fragment ends on an 8-byte boundary: the rest is trimmed off
    if (end & 7) end &= ~7;
    if (end > q.len) {
      if (q.lastIn) return frag_err(net, q, skb);
      q.len = end;
    }
  }
  if (end === offset) return frag_err(net, q, skb);
  const ins = inet_frag_queue_insert(q, offset, end);
  if (ins === 'dup') {
    // a duplicate is dropped and the queue kept for the rest
    kfree_skb_reason(net, skb, SKB_DROP_REASON.DUP_FRAG, 'ip_defrag', () => `bytes ${offset}-${end} are already queued`);
    return null;
  }
  if (ins === 'overlap') {
    // RFC 5722: an overlap kills the whole queue
    net.mib.inc(MIB.IpExtReasmOverlaps);
    return frag_err(net, q, skb);
  }
  q.frags.push({ offset, end, skb });
  net.fragMem += skb.truesize();
  q.frags.sort((x, y) => x.offset - y.offset);
  q.meat += end - offset;
  if (offset === 0) q.firstIn = true;
  q.maxSize = Math.max(q.maxSize, skb.len);
  if (!(q.firstIn && q.lastIn && q.meat === q.len)) return null;
  // ip_frag_reasm()
  const head = q.frags[0] as Frag;
  const hb = head.skb.head;
  const ho = head.skb.networkHeader;
  const hl = iph_ihl(hb, ho) * 4;
  if (hl + q.len > 65535) {
    net.mib.inc(MIB.IpReasmFails);
    inet_frag_kill(q);
    purge(q, SKB_DROP_REASON.NOT_SPECIFIED, 'ip_defrag');
    return null;
  }
  const whole = alloc_skb(net.kernel, hl + q.len, 64);
  const w = whole.put(hl + q.len);
  whole.networkHeader = w;
  whole.transportHeader = w + hl;
  whole.head.set(hb.subarray(ho, ho + hl), w);
  // the head fragment's link-layer header stays in front (skb_push of the mac header in ip_frag_reasm)
  const hm = head.skb.macHeader;
  if (hm >= 0 && hm < ho && ho - hm <= w) {
    whole.head.set(hb.subarray(hm, ho), w - (ho - hm));
    whole.macHeader = w - (ho - hm);
  }
  for (const f of q.frags) {
    const fb = f.skb.head;
    const fno = f.skb.networkHeader;
    const fhl = iph_ihl(fb, fno) * 4;
    whole.head.set(fb.subarray(fno + fhl, fno + fhl + (f.end - f.offset)), w + hl + f.offset);
  }
  wr16(whole.head, w + IPH_TOT_LEN, hl + q.len);
  wr16(whole.head, w + IPH_FRAG_OFF, 0);
  ip_send_check(whole.head, w);
  whole.data = w;
  whole.origin = head.skb.origin;
  whole.dev = head.skb.dev;
  whole.dst = head.skb.dst;
  whole.protocol = head.skb.protocol;
  whole.skbIif = head.skb.skbIif;
  whole.pktType = head.skb.pktType;
  whole.mark = head.skb.mark;
  whole.fragMaxSize = q.maxSize;
  q.complete = true;
  inet_frag_kill(q);
  for (const f of q.frags.splice(0)) consume_skb(net, f.skb, 'inet_frag_reasm_prepare');
  net.mib.inc(MIB.IpReasmOKs);
  return whole;
}

/**
 * inet_frag_queue_insert(): a fragment past the tail extends the last run (or
 * starts one after a hole) unless it starts inside it; elsewhere it is a
 * duplicate when one run holds all of it, an overlap when it touches any.
 */
function inet_frag_queue_insert(q: FragQueue, offset: number, end: number): 'ok' | 'dup' | 'overlap' {
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

/**
 * ip_frag_queue()'s discard_qp: the queue is killed (IpReasmFails), the
 * fragment dropped, and when ip_defrag puts the last reference the queued
 * fragments go with it — consumed, as inet_frag_destroy() frees a queue
 * that did not time out (no INET_FRAG_DROP).
 */
function frag_err(net: Net, q: FragQueue, skb: SkBuff): null {
  inet_frag_kill(q);
  net.mib.inc(MIB.IpReasmFails);
  kfree_skb_reason(
    net,
    skb,
    SKB_DROP_REASON.NOT_SPECIFIED,
    'ip_defrag',
    () => `fragment ${iph_id(skb.head, skb.networkHeader)} does not fit its queue; the queue is dropped`,
  );
  for (const f of q.frags.splice(0)) consume_skb(net, f.skb, 'inet_frag_rbtree_purge');
  return null;
}
