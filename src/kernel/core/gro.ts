// net/core/gro.c with the IPv4 and TCP callbacks (net/ipv4/af_inet.c
// inet_gro_receive, net/ipv4/tcp_offload.c tcp4_gro_receive/tcp_gro_receive):
// a NAPI driver's skbs are held and merged per TCP flow, then go up in
// batches of gro_normal_batch through netif_receive_skb_list_internal.
import { kprobe } from '../trace/probe.ts';
import type { Kernel } from '../kernel.ts';
import { CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY, type SkBuff } from '../skbuff.ts';
import { skbaddr } from './skb_free.ts';
import { ETH_P_IP, NETIF_F_GRO, type NetDevice } from './netdevice.ts';
import { gro_normal_one, type NapiStruct } from './dev.ts';
import {
  IP_DF,
  IP_MF,
  IP_OFFSET,
  csum_fold,
  csum_partial,
  ip_send_check,
  iph_daddr,
  iph_frag_off,
  iph_id,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  iph_tot_len,
  iph_ttl,
  iph_version,
  rd32,
  wr16,
} from '../ipv4/iphdr.ts';
import { IPH_TOT_LEN, IPPROTO_TCP, IPV4_HEADER_LEN } from '../../wire/ipv4.ts';
import { TCPH_FLAGS, TCPH_SOURCE, TCP_HEADER_LEN, tcph_ack_seq, tcph_doff, tcph_flags, tcph_seq } from '../../wire/tcp.ts';

export const GRO_MERGED = 0;
export const GRO_MERGED_FREE = 1;
export const GRO_HELD = 2;
export const GRO_NORMAL = 3;
export const GRO_CONSUMED = 4;

/** MAX_GRO_SKBS: packets one bucket holds (one bucket here: the flow hash is not modelled). */
const MAX_GRO_SKBS = 8;
/** gro_max_size (GRO_LEGACY_MAX_SIZE) */
const GRO_MAX_SIZE = 65536;

const TCP_FLAG_CWR = 0x80;
const TCP_FLAG_URG = 0x20;
const TCP_FLAG_PSH = 0x08;
const TCP_FLAG_RST = 0x04;
const TCP_FLAG_SYN = 0x02;
const TCP_FLAG_FIN = 0x01;

/** NAPI_GRO_CB(skb) */
export interface GroCb {
  count: number;
  /** Payload bytes per segment (skb_shinfo(p)->gso_size while held). */
  mss: number;
  flush: boolean;
  sameFlow: boolean;
  /** skb_gro_len(): payload length of this skb. */
  len: number;
  /** Offset of the TCP header from skb->data, -1 when no TCP GRO applies. */
  thoff: number;
}

/** NAPI_GRO_CB(skb) */
function cb(skb: SkBuff): GroCb {
  return (skb.cb.gro ??= { count: 1, mss: 0, flush: false, sameFlow: false, len: 0, thoff: -1 });
}

/** napi_gro_receive() (inl) → gro_receive_skb(): the driver's entry to GRO. */
/** printf's %#x: 0 is "0", anything else 0x-prefixed. */
function altHex(v: number): string {
  return v ? `0x${v.toString(16)}` : '0';
}

/**
 * napi_hash_add(): a busy-poll id for a device's NAPI, from MIN_NAPI_ID
 * (NR_CPUS + 1; the oracle kernel has CONFIG_NR_CPUS=256) on, in the order
 * devices add them.
 */
export function napi_hash_add(k: Kernel, n: NapiStruct): void {
  n.napiId = k.nextNapiId++;
}

export function napi_gro_receive(k: Kernel, n: NapiStruct, skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  kprobe(net, skb, 'napi_gro_receive (inl)');
  kprobe(net, skb, 'gro_receive_skb');
  if (k.tracer.enabled) {
    k.tracer.emit(
      'napi_gro_receive_entry',
      `dev=${dev.name} napi_id=${altHex(n.napiId ?? 0)} queue_mapping=0 skbaddr=${skbaddr(skb)} vlan_tagged=0 vlan_proto=0x0000 vlan_tci=0x0000 protocol=0x${skb.protocol.toString(16).padStart(4, '0')} ip_summed=${skb.ipSummed} hash=0x00000000 l4_hash=0 len=${skb.len} data_len=0 truesize=${skb.truesize()} mac_header_valid=1 mac_header=-14 nr_frags=0 gso_size=0 gso_type=0`,
      net.name,
    );
  }
  const ret = dev_gro_receive(n, skb);
  return gro_skb_finish(k, n, skb, ret);
}

/** gro_skb_finish() (inl) */
function gro_skb_finish(k: Kernel, n: NapiStruct, skb: SkBuff, ret: number): number {
  if (ret === GRO_NORMAL) {
    kprobe((skb.dev as NetDevice).net, skb, 'gro_normal_one (inl)');
    gro_normal_one(k, n, skb);
  } else if (ret === GRO_MERGED_FREE) {
    // napi_skb_free_stolen_head(): the payload lives on in the held skb; no tracepoint fires
    const net = (skb.dev as NetDevice).net;
    if (net.kernel.path.enabled) net.kernel.path.record(net, skb, 'napi_skb_free_stolen_head', 'consume');
    skb.release();
  }
  return ret;
}

/** dev_gro_receive(): find a held skb of the same flow and merge, hold, or pass. */
function dev_gro_receive(n: NapiStruct, skb: SkBuff): number {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'dev_gro_receive');
  const c = cb(skb);
  c.count = 1;
  c.flush = false;
  c.sameFlow = false;
  const gro = n.gro;
  // gro_list_prepare(): same device and MAC header
  let pp: SkBuff | null = null;
  if (!((skb.dev as NetDevice).features & NETIF_F_GRO)) return GRO_NORMAL;
  if (skb.protocol === ETH_P_IP && !skb.gsoSize) {
    pp = inet_gro_receive(gro.held, skb);
  } else {
    c.flush = true;
  }
  if (pp) {
    // the held skb the callbacks flushed goes up now
    gro.held.splice(gro.held.indexOf(pp), 1);
    napi_gro_complete(net.kernel, n, pp);
  }
  if (c.sameFlow) return GRO_MERGED_FREE;
  if (c.flush) return GRO_NORMAL;
  // GRO_HELD: the oldest goes up when the bucket is full
  if (gro.held.length >= MAX_GRO_SKBS) {
    const old = gro.held.shift() as SkBuff;
    napi_gro_complete(net.kernel, n, old);
  }
  c.mss = c.len;
  gro.held.push(skb);
  return GRO_HELD;
}

/** inet_gro_receive(): IPv4 header checks, then the protocol's gro_receive (TCP only). */
function inet_gro_receive(held: SkBuff[], skb: SkBuff): SkBuff | null {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'inet_gro_receive');
  const c = cb(skb);
  const b = skb.head;
  const o = skb.data;
  c.flush = true;
  if (skb.len < IPV4_HEADER_LEN) return null;
  const ihl = iph_ihl(b, o);
  if (iph_version(b, o) !== 4 || ihl !== 5) return null;
  if (csum_fold(csum_partial(b, o, IPV4_HEADER_LEN)) !== 0) return null;
  const totLen = iph_tot_len(b, o);
  const fragOff = iph_frag_off(b, o);
  if (totLen !== skb.len || fragOff & (IP_MF | IP_OFFSET)) return null;
  if (iph_protocol(b, o) !== IPPROTO_TCP) return null; // only TCP has a gro_receive callback that merges here
  c.flush = false;
  return tcp4_gro_receive(held, skb, o, totLen);
}

/** tcp4_gro_receive() → tcp_gro_receive() */
function tcp4_gro_receive(held: SkBuff[], skb: SkBuff, o: number, totLen: number): SkBuff | null {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'tcp4_gro_receive');
  const c = cb(skb);
  // skb_gro_checksum_validate(): the NIC verified it (CHECKSUM_UNNECESSARY) or it is computed here
  if (skb.ipSummed !== CHECKSUM_UNNECESSARY && skb.ipSummed !== CHECKSUM_PARTIAL) {
    const b = skb.head;
    const saddr = iph_saddr(b, o);
    const daddr = iph_daddr(b, o);
    const len = totLen - IPV4_HEADER_LEN;
    const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_TCP + len;
    if (csum_fold(csum_partial(b, o + IPV4_HEADER_LEN, len, pseudo)) !== 0) {
      c.flush = true;
      return null;
    }
    skb.ipSummed = CHECKSUM_UNNECESSARY;
  }
  kprobe(net, skb, 'tcp_gro_receive');
  const b = skb.head;
  const th = o + IPV4_HEADER_LEN;
  if (totLen < IPV4_HEADER_LEN + TCP_HEADER_LEN) {
    c.flush = true;
    return null;
  }
  const thlen = tcph_doff(b, th) * 4;
  if (thlen < TCP_HEADER_LEN || totLen < IPV4_HEADER_LEN + thlen) {
    c.flush = true;
    return null;
  }
  c.thoff = IPV4_HEADER_LEN;
  const len = totLen - IPV4_HEADER_LEN - thlen;
  c.len = len;
  const flags = tcph_flags(b, th);
  // the held skb of this flow (gro_list_prepare + the TCP ports)
  let p: SkBuff | null = null;
  for (const h of held) {
    const hb = h.head;
    const ho = h.data;
    if (iph_protocol(hb, ho) !== IPPROTO_TCP) continue;
    if (iph_saddr(hb, ho) !== iph_saddr(b, o) || iph_daddr(hb, ho) !== iph_daddr(b, o)) continue;
    if (rd32(hb, ho + IPV4_HEADER_LEN + TCPH_SOURCE) !== rd32(b, th + TCPH_SOURCE)) continue; // source and destination ports
    if (h.dev !== skb.dev) continue;
    p = h;
    break;
  }
  let mss = 1;
  let flush = 0;
  let pp: SkBuff | null = null;
  if (p) {
    const pc = cb(p);
    const pb = p.head;
    const po = p.data;
    const th2 = po + IPV4_HEADER_LEN;
    const flags2 = tcph_flags(pb, th2);
    // inet_gro_flush(): TTL, TOS and DF must match; the IP ID must follow on (or be fixed with DF)
    flush |= iph_ttl(pb, po) ^ iph_ttl(b, o);
    flush |= iph_tos(pb, po) ^ iph_tos(b, o);
    flush |= (iph_frag_off(pb, po) ^ iph_frag_off(b, o)) & IP_DF;
    const id = iph_id(b, o);
    const id2 = iph_id(pb, po);
    const df = iph_frag_off(b, o) & IP_DF;
    if (!(df && id === id2) && ((id2 + pc.count) & 0xffff) !== id) flush |= 1;
    flush |= flags & TCP_FLAG_CWR;
    flush |= (flags ^ flags2) & ~(TCP_FLAG_CWR | TCP_FLAG_FIN | TCP_FLAG_PSH) & 0xff;
    flush |= tcph_ack_seq(b, th) ^ tcph_ack_seq(pb, th2) ? 1 : 0; // ack_seq
    const thlen2 = tcph_doff(pb, th2) * 4;
    if (thlen2 !== thlen) flush |= 1;
    else for (let i = TCP_HEADER_LEN; i < thlen; i++) if (b[th + i] !== pb[th2 + i]) flush |= 1; // options, TSval included
    mss = pc.mss;
    flush |= len - 1 >= mss ? 1 : 0;
    const seq2 = tcph_seq(pb, th2);
    const pLen = p.len - IPV4_HEADER_LEN - thlen2;
    flush |= (seq2 + pLen) >>> 0 !== tcph_seq(b, th) ? 1 : 0;
    if (flush || !skb_gro_receive(p, skb, o + IPV4_HEADER_LEN + thlen, len)) {
      mss = 1;
    } else {
      // tcp_flag_word(th2) |= flags & (FIN | PSH)
      pb[th2 + TCPH_FLAGS] = flags2 | (flags & (TCP_FLAG_FIN | TCP_FLAG_PSH));
      c.sameFlow = true;
    }
  }
  // out_check_final: a short segment or one with these flags ends the merge
  let fin = len < mss ? 1 : 0;
  fin |= flags & (TCP_FLAG_URG | TCP_FLAG_PSH | TCP_FLAG_RST | TCP_FLAG_SYN | TCP_FLAG_FIN);
  if (p && (!c.sameFlow || fin)) pp = p;
  if (fin) c.flush = true;
  return pp;
}

/** skb_gro_receive(): appends the payload to the held skb; false (-E2BIG) when it would exceed gro_max_size. */
function skb_gro_receive(p: SkBuff, skb: SkBuff, payloadAt: number, len: number): boolean {
  if (p.len + len >= GRO_MAX_SIZE) return false;
  const at = p.put(len);
  p.head.set(skb.head.subarray(payloadAt, payloadAt + len), at);
  cb(p).count++;
  return true;
}

/** napi_gro_complete() → inet_gro_complete() → tcp4_gro_complete(): a merged skb becomes a GSO skb. */
function napi_gro_complete(k: Kernel, n: NapiStruct, skb: SkBuff): void {
  const net = (skb.dev as NetDevice).net;
  kprobe(net, skb, 'napi_gro_complete');
  const c = cb(skb);
  if (c.count > 1) {
    kprobe(net, skb, 'inet_gro_complete');
    const b = skb.head;
    const o = skb.data;
    wr16(b, o + IPH_TOT_LEN, skb.len);
    ip_send_check(b, o);
    kprobe(net, skb, 'tcp4_gro_complete');
    skb.gsoSize = c.mss;
    skb.gsoSegs = c.count;
    skb.ipSummed = CHECKSUM_PARTIAL;
  }
  skb.cb.gro = undefined;
  kprobe(net, skb, 'gro_normal_one (inl)');
  gro_normal_one(k, n, skb);
}

/** __gro_flush(): every held skb goes up (at HZ=250 gro_flush_normal flushes them all). */
export function __gro_flush(n: NapiStruct): void {
  const held = n.gro.held;
  n.gro.held = [];
  for (const skb of held) {
    const k = (skb.dev as NetDevice).net.kernel;
    napi_gro_complete(k, n, skb);
  }
}
