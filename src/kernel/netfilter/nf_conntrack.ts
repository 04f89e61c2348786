// Connection tracking for IPv4: net/netfilter/nf_conntrack_core.c (the
// table, nf_conntrack_in, init_conntrack, __nf_conntrack_confirm),
// nf_conntrack_proto.c (the hooks ipv4_conntrack_in/local and nf_confirm,
// nf_ct_netns_get), nf_conntrack_proto_{tcp,udp,icmp,generic}.c (the
// trackers) and nf_conntrack_proto_icmp.c's nf_conntrack_inet_error (ICMP
// errors RELATED through their inner header).
//
// Timeouts are kept in jiffies counted from boot (no wrap), as
// nfct_time_stamp would be; an entry whose time is up is gone for lookups
// and listings (nf_ct_is_expired / nf_ct_gc_expired).
import type { SysctlKey } from '../sysctl.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { IP_OFFSET, iph_daddr, iph_frag_off, iph_ihl, iph_protocol, iph_saddr, iph_tot_len, rd32 } from '../ipv4/iphdr.ts';
import { ICMP_HEADER_LEN, icmph_code, icmph_echo_id, icmph_type } from '../../wire/icmp.ts';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../../wire/ipv4.ts';
import {
  TCPOLEN_SACK_BASE,
  TCPOLEN_SACK_PERBLOCK,
  TCPOLEN_SACK_PERM,
  TCPOLEN_TSTAMP_ALIGNED,
  TCPOLEN_WINDOW,
  TCPOPT_EOL,
  TCPOPT_NOP,
  TCPOPT_SACK,
  TCPOPT_SACK_PERM,
  TCPOPT_TSTAMP_HDR,
  TCPOPT_WINDOW,
  TCP_HEADER_LEN,
  tcph_ack_seq,
  tcph_dest,
  tcph_doff,
  tcph_flags,
  tcph_seq,
  tcph_source,
  tcph_window,
} from '../../wire/tcp.ts';
import { UDP_HEADER_LEN, udph_check, udph_len } from '../../wire/udp.ts';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NF_REPEAT,
  NF_STOLEN,
  NFPROTO_IPV4,
  type NfHookEntry,
  type NfHookState,
} from './core.ts';
import { nf_ip_checksum } from './utils.ts';
import { ip_defrag } from '../ipv4/ip_fragment.ts';

import {
  IP_CT_ESTABLISHED,
  IP_CT_RELATED,
  IP_CT_NEW,
  IP_CT_IS_REPLY,
  IP_CT_ESTABLISHED_REPLY,
  IP_CT_RELATED_REPLY,
  IP_CT_UNTRACKED,
  IP_CT_DIR_ORIGINAL,
  IP_CT_DIR_REPLY,
  IPS_EXPECTED,
  IPS_SEEN_REPLY,
  IPS_ASSURED,
  IPS_CONFIRMED,
  IPS_DYING,
  IPS_FIXED_TIMEOUT,
  IPS_NAT_CLASH,
  IPCT_NEW,
  IPCT_DESTROY,
  IPCT_REPLY,
  IPCT_ASSURED,
  IPCT_PROTOINFO,
} from '../uapi/nf_conntrack_common.ts';
export {
  IP_CT_ESTABLISHED,
  IP_CT_RELATED,
  IP_CT_NEW,
  IP_CT_IS_REPLY,
  IP_CT_ESTABLISHED_REPLY,
  IP_CT_RELATED_REPLY,
  IP_CT_UNTRACKED,
  IP_CT_DIR_ORIGINAL,
  IP_CT_DIR_REPLY,
  IPS_EXPECTED,
  IPS_SEEN_REPLY,
  IPS_ASSURED,
  IPS_CONFIRMED,
  IPS_SRC_NAT,
  IPS_DST_NAT,
  IPS_NAT_MASK,
  IPS_SEQ_ADJUST,
  IPS_SRC_NAT_DONE,
  IPS_DST_NAT_DONE,
  IPS_NAT_DONE_MASK,
  IPS_DYING,
  IPS_FIXED_TIMEOUT,
  IPS_TEMPLATE,
  IPS_NAT_CLASH,
  IPS_HELPER,
  IPS_OFFLOAD,
  IPS_HW_OFFLOAD,
  IPCT_NEW,
  IPCT_RELATED,
  IPCT_DESTROY,
  IPCT_REPLY,
  IPCT_ASSURED,
  IPCT_PROTOINFO,
  IPCT_HELPER,
  IPCT_MARK,
} from '../uapi/nf_conntrack_common.ts';

export const CTINFO2DIR = (ctinfo: number): number => (ctinfo >= IP_CT_IS_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL);

/**
 * struct nf_conntrack_tuple for IPv4. For ICMP `sport` is the echo id and
 * `dport` is type << 8 | code (src.u.icmp.id, dst.u.icmp.type/code).
 */
export interface NfTuple {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  proto: number;
}

export const tuple_equal = (a: NfTuple, b: NfTuple): boolean =>
  a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport && a.proto === b.proto;

function tupleKey(t: NfTuple, zone: number): string {
  return `${zone}/${t.proto}/${t.src}/${t.sport}/${t.dst}/${t.dport}`;
}

// nf_conntrack_proto_icmp.c invmap: the reply type of each query type
const ICMP_INVMAP: Readonly<Record<number, number>> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };

/** nf_ct_invert_tuple(): null when the protocol has no reply (an ICMP type without a reply type). */
export function nf_ct_invert_tuple(t: NfTuple): NfTuple | null {
  if (t.proto === IPPROTO_ICMP) {
    const inv = ICMP_INVMAP[t.dport >> 8];
    if (inv === undefined) return null;
    return { src: t.dst, dst: t.src, sport: t.sport, dport: (inv << 8) | (t.dport & 0xff), proto: t.proto };
  }
  return { src: t.dst, dst: t.src, sport: t.dport, dport: t.sport, proto: t.proto };
}

// TCP tracker states (enum tcp_conntrack)
export const TCP_CONNTRACK_NONE = 0;
export const TCP_CONNTRACK_SYN_SENT = 1;
export const TCP_CONNTRACK_SYN_RECV = 2;
export const TCP_CONNTRACK_ESTABLISHED = 3;
export const TCP_CONNTRACK_FIN_WAIT = 4;
export const TCP_CONNTRACK_CLOSE_WAIT = 5;
export const TCP_CONNTRACK_LAST_ACK = 6;
export const TCP_CONNTRACK_TIME_WAIT = 7;
export const TCP_CONNTRACK_CLOSE = 8;
export const TCP_CONNTRACK_SYN_SENT2 = 9;
export const TCP_CONNTRACK_MAX = 10;
export const TCP_CONNTRACK_IGNORE = 11;
const TCP_CONNTRACK_RETRANS = 12;
const TCP_CONNTRACK_UNACK = 13;

export const TCP_CONNTRACK_NAMES = [
  'NONE',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSE',
  'SYN_SENT2',
] as const;

const IP_CT_TCP_FLAG_WINDOW_SCALE = 0x01;
const IP_CT_TCP_FLAG_SACK_PERM = 0x02;
const IP_CT_TCP_FLAG_CLOSE_INIT = 0x04;
const IP_CT_TCP_FLAG_BE_LIBERAL = 0x08;
const IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED = 0x10;
const IP_CT_TCP_FLAG_MAXACK_SET = 0x20;
const IP_CT_EXP_CHALLENGE_ACK = 0x40;
const IP_CT_TCP_SIMULTANEOUS_OPEN = 0x80;

interface TcpSeen {
  td_end: number;
  td_maxend: number;
  td_maxwin: number;
  td_maxack: number;
  td_scale: number;
  flags: number;
}

/** struct ip_ct_tcp */
export interface IpCtTcp {
  seen: [TcpSeen, TcpSeen];
  state: number;
  last_dir: number;
  retrans: number;
  last_index: number;
  last_seq: number;
  last_ack: number;
  last_end: number;
  last_win: number;
  last_wscale: number;
  last_flags: number;
}

const newSeen = (): TcpSeen => ({ td_end: 0, td_maxend: 0, td_maxwin: 0, td_maxack: 0, td_scale: 0, flags: 0 });
const newTcp = (): IpCtTcp => ({
  seen: [newSeen(), newSeen()],
  state: 0,
  last_dir: 0,
  retrans: 0,
  last_index: 0,
  last_seq: 0,
  last_ack: 0,
  last_end: 0,
  last_win: 0,
  last_wscale: 0,
  last_flags: 0,
});

/** struct nf_conn */
export class NfConn {
  status = 0;
  /** Jiffies: relative until confirmed, then absolute (ct->timeout). */
  timeout = 0;
  mark = 0;
  tcp: IpCtTcp | null = null;
  /** ct->proto.udp.stream_ts */
  udpStreamTs = 0;
  /** nf_conn_nat.masq_index: the device a MASQUERADE mapping belongs to. */
  masqIndex = 0;
  /** The event cache extension (nf_conntrack_ecache): present when events were on at creation. */
  ecache = false;
  /** Events cached since the last delivery (1 << IPCT_*). */
  ecacheMask = 0;
  /** The id ctnetlink reports. */
  readonly id: number;
  constructor(
    readonly net: Net,
    readonly tuplehash: [NfTuple, NfTuple],
    readonly zone: number,
  ) {
    this.id = ct_net(net).nextId++;
  }

  get proto(): number {
    return this.tuplehash[0].proto;
  }
}

/** The conntrack state of one namespace (net->ct and the hash table). */
export class NfCtNet {
  /** nf_conntrack_hash: both directions of every confirmed entry. */
  readonly hash = new Map<string, { ct: NfConn; dir: number }>();
  /** Confirmed entries in insertion order (what a dump walks). */
  readonly list = new Set<NfConn>();
  /** nf_ct_netns_get() users; the hooks are in while it is above 0. */
  users = 0;
  /** ctnetlink event listeners (conntrack -E). */
  readonly listeners = new Set<CtEventListener>();
  nextId = 1;
  /** nf_conntrack_stat */
  readonly stat = {
    found: 0,
    invalid: 0,
    insert: 0,
    insert_failed: 0,
    drop: 0,
    early_drop: 0,
    error: 0,
    search_restart: 0,
    clash_resolve: 0,
    chaintoolong: 0,
  };
  constructor(readonly net: Net) {}
}

/** A ctnetlink event as a listener gets it: the cached event bits, and the netlink port of a userspace delete. */
export type CtEventListener = (ct: NfConn, events: number, portid: number) => void;

export function ct_net(net: Net): NfCtNet {
  return (net.nfCt ??= new NfCtNet(net));
}

/** nfct_time_stamp: jiffies since boot (the simulated clock has no wrap to fear). */
export function nfct_time_stamp(net: Net): number {
  return Math.floor(net.kernel.now / (1e9 / net.kernel.HZ));
}

/** nf_ct_expires(): jiffies left. */
export function nf_ct_expires(ct: NfConn): number {
  return Math.max(0, ct.timeout - nfct_time_stamp(ct.net));
}

export function nf_ct_is_confirmed(ct: NfConn): boolean {
  return (ct.status & IPS_CONFIRMED) !== 0;
}

function nf_ct_is_expired(ct: NfConn): boolean {
  return ct.timeout - nfct_time_stamp(ct.net) <= 0;
}

/** nf_ct_get() */
export function nf_ct_get(skb: SkBuff): { ct: NfConn | null; ctinfo: number } {
  return { ct: skb._nfct, ctinfo: skb.nfctinfo };
}

/** nf_ct_set() */
export function nf_ct_set(skb: SkBuff, ct: NfConn | null, ctinfo: number): void {
  skb._nfct = ct;
  skb.nfctinfo = ctinfo;
}

/** nf_reset_ct() */
export function nf_reset_ct(skb: SkBuff): void {
  skb._nfct = null;
  skb.nfctZoneTmpl = 0;
  skb.nfctinfo = 0;
}

/** nf_conntrack_event_cache(): an event to deliver with the packet's confirm. */
export function nf_conntrack_event_cache(ev: number, ct: NfConn): void {
  if (ct.ecache) ct.ecacheMask |= 1 << ev;
}

/** nf_ct_deliver_cached_events() → ctnetlink_conntrack_event() for each listener. */
export function nf_ct_deliver_cached_events(ct: NfConn): void {
  if (!ct.ecache || !ct.ecacheMask || !nf_ct_is_confirmed(ct)) return;
  const events = ct.ecacheMask;
  ct.ecacheMask = 0;
  for (const l of ct_net(ct.net).listeners) l(ct, events, 0);
}

/** nf_ct_delete(): out of the table (conntrack -D with its netlink port, a RST, a reopened connection, expiry). */
export function nf_ct_delete(ct: NfConn, portid = 0): boolean {
  if (ct.status & IPS_DYING) return false;
  ct.status |= IPS_DYING;
  const c = ct_net(ct.net);
  // nf_conntrack_event_report(IPCT_DESTROY) for a confirmed entry
  if (ct.ecache && nf_ct_is_confirmed(ct)) for (const l of c.listeners) l(ct, 1 << IPCT_DESTROY, portid);
  if (c.list.delete(ct)) {
    for (let dir = 0; dir < 2; dir++) {
      const k = tupleKey(ct.tuplehash[dir] as NfTuple, ct.zone);
      if (c.hash.get(k)?.ct === ct) c.hash.delete(k);
    }
  }
  return true;
}

export const nf_ct_kill = nf_ct_delete;

/** gc_worker(): drops the entries whose time is up. */
export function nf_ct_gc(net: Net): void {
  const c = ct_net(net);
  for (const ct of [...c.list]) if (nf_ct_is_expired(ct)) nf_ct_delete(ct);
}

/** The confirmed entries, expired ones evicted first (a ctnetlink dump). */
export function nf_ct_entries(net: Net): NfConn[] {
  nf_ct_gc(net);
  return [...ct_net(net).list];
}

/** nf_conntrack_count */
export function nf_conntrack_count(net: Net): number {
  nf_ct_gc(net);
  return ct_net(net).list.size;
}

/** __nf_conntrack_find_get(): the live confirmed entry holding this tuple, with its direction. */
export function nf_conntrack_find_get(net: Net, zone: number, t: NfTuple): { ct: NfConn; dir: number } | null {
  const h = ct_net(net).hash.get(tupleKey(t, zone));
  if (!h) return null;
  if (nf_ct_is_expired(h.ct)) {
    nf_ct_delete(h.ct);
    return null;
  }
  return h;
}

/** nf_conntrack_tuple_taken(): another live entry already uses this tuple. */
export function nf_conntrack_tuple_taken(t: NfTuple, ignored: NfConn): boolean {
  const h = nf_conntrack_find_get(ignored.net, ignored.zone, t);
  if (!h || h.ct === ignored) return false;
  // the same flow seen twice (a clash) is resolved at confirm time
  if (tuple_equal(ignored.tuplehash[0], h.ct.tuplehash[0])) return false;
  ct_net(ignored.net).stat.found++;
  return true;
}

/** nf_conntrack_alter_reply(): NAT changed what a reply looks like. */
export function nf_conntrack_alter_reply(ct: NfConn, reply: NfTuple): void {
  ct.tuplehash[1] = reply;
}

// ------------------------------------------------------------ timeouts

type Tail<P extends string, T> = T extends `${P}${infer K}` ? K : never;

function sysctlSecs(net: Net, name: Tail<'net.netfilter.nf_conntrack_', SysctlKey>): number {
  return net.sysctl.int(`net.netfilter.nf_conntrack_${name}`) * net.kernel.HZ;
}

/** tn->timeouts[] from the sysctls, by TCP_CONNTRACK_* index. */
function tcpTimeouts(net: Net): number[] {
  const HZ = net.kernel.HZ;
  return [
    0,
    sysctlSecs(net, 'tcp_timeout_syn_sent'),
    sysctlSecs(net, 'tcp_timeout_syn_recv'),
    sysctlSecs(net, 'tcp_timeout_established'),
    sysctlSecs(net, 'tcp_timeout_fin_wait'),
    sysctlSecs(net, 'tcp_timeout_close_wait'),
    sysctlSecs(net, 'tcp_timeout_last_ack'),
    sysctlSecs(net, 'tcp_timeout_time_wait'),
    sysctlSecs(net, 'tcp_timeout_close'),
    120 * HZ,
    0,
    0,
    sysctlSecs(net, 'tcp_timeout_max_retrans'),
    sysctlSecs(net, 'tcp_timeout_unacknowledged'),
  ];
}

/** nf_ct_refresh_acct(): a new deadline, relative until the entry is confirmed. */
export function nf_ct_refresh_acct(ct: NfConn, extra: number): void {
  if (ct.status & IPS_FIXED_TIMEOUT) return;
  ct.timeout = nf_ct_is_confirmed(ct) ? nfct_time_stamp(ct.net) + extra : extra;
}

// ------------------------------------------------------------ tuples from packets

/**
 * ipv4_get_l4proto(): the transport offset (from the network header) and
 * protocol; -1 for a non-first fragment or a header that does not hold.
 */
function get_l4proto(skb: SkBuff, nh: number): { dataoff: number; proto: number } {
  const b = skb.head;
  if (nh + 20 > skb.tail) return { dataoff: -1, proto: 0 };
  const ihl = iph_ihl(b, nh) * 4;
  if (iph_frag_off(b, nh) & IP_OFFSET) return { dataoff: -1, proto: 0 };
  if (ihl < 20 || iph_tot_len(b, nh) < ihl) return { dataoff: -1, proto: 0 };
  return { dataoff: ihl, proto: iph_protocol(b, nh) };
}

/** nf_ct_get_tuple(): the tuple of the packet whose IP header is at nh. */
function nf_ct_get_tuple(skb: SkBuff, nh: number, dataoff: number, proto: number): NfTuple | null {
  const b = skb.head;
  const t: NfTuple = { src: iph_saddr(b, nh), dst: iph_daddr(b, nh), sport: 0, dport: 0, proto };
  const l4 = nh + dataoff;
  switch (proto) {
    case IPPROTO_TCP:
    case IPPROTO_UDP:
    case 132:
    case 136:
      if (l4 + 4 > skb.tail) return null;
      t.sport = tcph_source(b, l4);
      t.dport = tcph_dest(b, l4);
      return t;
    case IPPROTO_ICMP:
      if (l4 + ICMP_HEADER_LEN > skb.tail) return null;
      t.sport = icmph_echo_id(b, l4);
      t.dport = (icmph_type(b, l4) << 8) | icmph_code(b, l4);
      return t;
    default:
      return t;
  }
}

// ------------------------------------------------------------ TCP

const before = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const after = (a: number, b: number): boolean => before(b, a);
const u32 = (v: number): number => v >>> 0;

const TCP_SYN_SET = 0;
const TCP_SYNACK_SET = 1;
const TCP_FIN_SET = 2;
const TCP_ACK_SET = 3;
const TCP_RST_SET = 4;
const TCP_NONE_SET = 5;

// sNO (0, TCP_CONNTRACK_NONE) never appears as a next state
const sSS = 1,
  sSR = 2,
  sES = 3,
  sFW = 4,
  sCW = 5,
  sLA = 6,
  sTW = 7,
  sCL = 8,
  sS2 = 9,
  sIV = 10,
  sIG = 11;

/** tcp_conntracks[dir][index][state] */
const tcp_conntracks: readonly (readonly (readonly number[])[])[] = [
  [
    [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
    [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];

interface Th {
  seq: number;
  ack_seq: number;
  doff: number;
  flags: number;
  window: number;
  off: number;
}

const TH_FIN = 0x01,
  TH_SYN = 0x02,
  TH_RST = 0x04,
  TH_PSH = 0x08,
  TH_ACK = 0x10,
  TH_URG = 0x20,
  TH_ECE = 0x40,
  TH_CWR = 0x80;

function get_conntrack_index(th: Th): number {
  if (th.flags & TH_RST) return TCP_RST_SET;
  if (th.flags & TH_SYN) return th.flags & TH_ACK ? TCP_SYNACK_SET : TCP_SYN_SET;
  if (th.flags & TH_FIN) return TCP_FIN_SET;
  if (th.flags & TH_ACK) return TCP_ACK_SET;
  return TCP_NONE_SET;
}

function segment_seq_plus_len(seq: number, len: number, dataoff: number, th: Th): number {
  return u32(seq + len - dataoff - th.doff * 4 + (th.flags & TH_SYN ? 1 : 0) + (th.flags & TH_FIN ? 1 : 0));
}

/** tcp_options(): window scale and SACK permission of a SYN. */
function tcp_options(skb: SkBuff, th: Th, state: TcpSeen): void {
  let length = th.doff * 4 - TCP_HEADER_LEN;
  if (!length) return;
  const b = skb.head;
  let p = th.off + TCP_HEADER_LEN;
  if (p + length > skb.tail) return;
  state.td_scale = 0;
  state.flags &= IP_CT_TCP_FLAG_BE_LIBERAL;
  while (length > 0) {
    const opcode = b[p++] as number;
    if (opcode === TCPOPT_EOL) return;
    if (opcode === TCPOPT_NOP) {
      length--;
      continue;
    }
    if (length < 2) return;
    const opsize = b[p++] as number;
    if (opsize < 2 || opsize > length) return;
    if (opcode === TCPOPT_SACK_PERM && opsize === TCPOLEN_SACK_PERM) state.flags |= IP_CT_TCP_FLAG_SACK_PERM;
    else if (opcode === TCPOPT_WINDOW && opsize === TCPOLEN_WINDOW) {
      state.td_scale = Math.min(b[p] as number, 14);
      state.flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
    }
    p += opsize - 2;
    length -= opsize;
  }
}

/** tcp_sack(): the highest right edge of a SACK block, if above `sack`. */
function tcp_sack(skb: SkBuff, th: Th, sackIn: number): number {
  let sack = sackIn;
  let length = th.doff * 4 - TCP_HEADER_LEN;
  if (!length) return sack;
  const b = skb.head;
  let p = th.off + TCP_HEADER_LEN;
  if (p + length > skb.tail) return sack;
  if (length === TCPOLEN_TSTAMP_ALIGNED && rd32(b, p) === TCPOPT_TSTAMP_HDR) return sack;
  while (length > 0) {
    const opcode = b[p++] as number;
    if (opcode === TCPOPT_EOL) return sack;
    if (opcode === TCPOPT_NOP) {
      length--;
      continue;
    }
    if (length < 2) return sack;
    const opsize = b[p++] as number;
    if (opsize < 2 || opsize > length) return sack;
    if (
      opcode === TCPOPT_SACK &&
      opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
      !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)
    ) {
      for (let i = 0; i < opsize - TCPOLEN_SACK_BASE; i += TCPOLEN_SACK_PERBLOCK) {
        const tmp = rd32(b, p + i + 4);
        if (after(tmp, sack)) sack = tmp;
      }
      return sack;
    }
    p += opsize - 2;
    length -= opsize;
  }
  return sack;
}

function tcp_init_sender(sender: TcpSeen, receiver: TcpSeen, skb: SkBuff, th: Th, end: number, win: number, dir: number): void {
  sender.td_end = sender.td_maxend = end;
  sender.td_maxwin = win === 0 ? 1 : win;
  tcp_options(skb, th, sender);
  if (dir === IP_CT_DIR_REPLY && !(sender.flags & IP_CT_TCP_FLAG_WINDOW_SCALE && receiver.flags & IP_CT_TCP_FLAG_WINDOW_SCALE)) {
    sender.td_scale = 0;
    receiver.td_scale = 0;
  }
}

const NFCT_TCP_IGNORE = 0;
const NFCT_TCP_INVALID = 1;
const NFCT_TCP_ACCEPT = 2;

function tcp_be_liberal(net: Net, sender: TcpSeen, ret: number): number {
  if (sender.flags & IP_CT_TCP_FLAG_BE_LIBERAL || net.sysctl.int('net.netfilter.nf_conntrack_tcp_be_liberal')) return NFCT_TCP_ACCEPT;
  return ret;
}

const MAXACKWINDOW = (s: TcpSeen): number => (s.td_maxwin > 66000 ? s.td_maxwin : 66000);

/** tcp_in_window() */
function tcp_in_window(ct: NfConn, dir: number, index: number, skb: SkBuff, dataoff: number, th: Th): number {
  const state = ct.tcp as IpCtTcp;
  const sender = state.seen[dir] as TcpSeen;
  const receiver = state.seen[1 - dir] as TcpSeen;
  let seq = th.seq;
  let ack = th.ack_seq;
  let sack = ack;
  const winRaw = th.window;
  let win = winRaw;
  let end = segment_seq_plus_len(seq, skb.len, dataoff, th);
  if (receiver.flags & IP_CT_TCP_FLAG_SACK_PERM) sack = tcp_sack(skb, th, sack);

  if (sender.td_maxwin === 0) {
    if (th.flags & TH_SYN) {
      tcp_init_sender(sender, receiver, skb, th, end, win, dir);
      if (!(th.flags & TH_ACK)) return NFCT_TCP_ACCEPT;
    } else {
      sender.td_end = end;
      const swin = u32(win << sender.td_scale);
      sender.td_maxwin = swin === 0 ? 1 : swin;
      sender.td_maxend = u32(end + sender.td_maxwin);
      if (receiver.td_maxwin === 0) receiver.td_end = receiver.td_maxend = sack;
      else if (sack === u32(receiver.td_end + 1)) receiver.td_end = u32(receiver.td_end + 1);
    }
  } else if (
    th.flags & TH_SYN &&
    after(end, sender.td_end) &&
    (state.state === TCP_CONNTRACK_SYN_SENT || state.state === TCP_CONNTRACK_SYN_RECV)
  ) {
    tcp_init_sender(sender, receiver, skb, th, end, win, dir);
    if (dir === IP_CT_DIR_REPLY && !(th.flags & TH_ACK)) return NFCT_TCP_ACCEPT;
  }

  if (!(th.flags & TH_ACK)) ack = sack = receiver.td_end;
  else if ((th.flags & (TH_ACK | TH_RST)) === (TH_ACK | TH_RST) && ack === 0) ack = sack = receiver.td_end;

  if (th.flags & TH_RST && seq === 0 && state.state === TCP_CONNTRACK_SYN_SENT) seq = end = sender.td_end;

  const net = ct.net;
  const seqOk = before(seq, u32(sender.td_maxend + 1));
  if (!seqOk) {
    const overshot = u32(end - sender.td_maxend + 1);
    const ackOk = after(sack, u32(receiver.td_end - MAXACKWINDOW(sender) - 1));
    const inRecvWin = receiver.td_maxwin !== 0 && after(end, u32(sender.td_end - receiver.td_maxwin - 1));
    if (inRecvWin && ackOk && overshot <= receiver.td_maxwin && before(sack, u32(receiver.td_end + 1))) {
      sender.td_end = end;
      sender.flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
      return tcp_be_liberal(net, sender, NFCT_TCP_IGNORE);
    }
    return tcp_be_liberal(net, sender, NFCT_TCP_INVALID);
  }
  if (!before(sack, u32(receiver.td_end + 1))) return tcp_be_liberal(net, sender, NFCT_TCP_INVALID);
  const inRecvWin = !receiver.td_maxwin || after(end, u32(sender.td_end - receiver.td_maxwin - 1));
  if (!inRecvWin) return tcp_be_liberal(net, sender, NFCT_TCP_IGNORE);
  if (!after(sack, u32(receiver.td_end - MAXACKWINDOW(sender) - 1))) return tcp_be_liberal(net, sender, NFCT_TCP_IGNORE);

  if (!(th.flags & TH_SYN)) win = u32(win << sender.td_scale);
  const swin = u32(win + (sack - ack));
  if (sender.td_maxwin < swin) sender.td_maxwin = swin;
  if (after(end, sender.td_end)) {
    sender.td_end = end;
    sender.flags |= IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
  }
  if (th.flags & TH_ACK) {
    if (!(sender.flags & IP_CT_TCP_FLAG_MAXACK_SET)) {
      sender.td_maxack = ack;
      sender.flags |= IP_CT_TCP_FLAG_MAXACK_SET;
    } else if (after(ack, sender.td_maxack)) sender.td_maxack = ack;
  }
  if (receiver.td_maxwin !== 0 && after(end, sender.td_maxend)) receiver.td_maxwin = u32(receiver.td_maxwin + (end - sender.td_maxend));
  if (after(u32(sack + win), u32(receiver.td_maxend - 1))) {
    receiver.td_maxend = u32(sack + win);
    if (win === 0) receiver.td_maxend = u32(receiver.td_maxend + 1);
  }
  if (ack === receiver.td_end) receiver.flags &= ~IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED;
  if (index === TCP_ACK_SET) {
    if (state.last_dir === dir && state.last_seq === seq && state.last_ack === ack && state.last_end === end && state.last_win === winRaw)
      state.retrans++;
    else {
      state.last_dir = dir;
      state.last_seq = seq;
      state.last_ack = ack;
      state.last_end = end;
      state.last_win = winRaw;
      state.retrans = 0;
    }
  }
  return NFCT_TCP_ACCEPT;
}

/** nf_tcp_handle_invalid(): an out-of-window FIN/RST after one from the other side shortens the timeout. */
function nf_tcp_handle_invalid(ct: NfConn, dir: number, index: number): void {
  const t = ct.tcp as IpCtTcp;
  if (!(ct.status & IPS_ASSURED) || ct.status & IPS_FIXED_TIMEOUT) return;
  if (index !== TCP_RST_SET && index !== TCP_FIN_SET) return;
  if (t.last_dir !== dir && (t.last_index === TCP_FIN_SET || t.last_index === TCP_RST_SET)) {
    const expires = nf_ct_expires(ct);
    if (expires < 120 * ct.net.kernel.HZ) return;
    const timeout = tcpTimeouts(ct.net)[TCP_CONNTRACK_UNACK] as number;
    if (expires > timeout) ct.timeout = timeout + nfct_time_stamp(ct.net);
  } else {
    t.last_index = index;
    t.last_dir = dir;
  }
}

const tcp_valid_flags: ReadonlySet<number> = new Set([
  TH_SYN,
  TH_SYN | TH_URG,
  TH_SYN | TH_ACK,
  TH_RST,
  TH_RST | TH_ACK,
  TH_FIN | TH_ACK,
  TH_FIN | TH_ACK | TH_URG,
  TH_ACK,
  TH_ACK | TH_URG,
]);

/** tcp_error(): truncated, bad checksum (on PRE_ROUTING) or an impossible flag set. */
function tcp_error(skb: SkBuff, th: Th, dataoff: number, state: NfHookState): boolean {
  const tcplen = skb.len - dataoff;
  if (th.doff * 4 < 20 || tcplen < th.doff * 4) return true;
  if (
    state.net.sysctl.int('net.netfilter.nf_conntrack_checksum') &&
    state.hook === NF_INET_PRE_ROUTING &&
    nf_ip_checksum(skb, state.hook, dataoff, IPPROTO_TCP)
  )
    return true;
  const f = th.flags & ~(TH_ECE | TH_CWR | TH_PSH);
  return !tcp_valid_flags.has(f);
}

/** tcp_new(): the first packet of a new entry. */
function tcp_new(ct: NfConn, skb: SkBuff, dataoff: number, th: Th): boolean {
  const newState = tcp_conntracks[0]?.[get_conntrack_index(th)]?.[TCP_CONNTRACK_NONE] as number;
  if (newState >= TCP_CONNTRACK_MAX) return false;
  const t = newTcp();
  const s0 = t.seen[0];
  if (newState === TCP_CONNTRACK_SYN_SENT) {
    s0.td_end = segment_seq_plus_len(th.seq, skb.len, dataoff, th);
    s0.td_maxwin = th.window || 1;
    s0.td_maxend = s0.td_end;
    tcp_options(skb, th, s0);
  } else if (ct.net.sysctl.int('net.netfilter.nf_conntrack_tcp_loose') === 0) {
    return false;
  } else {
    s0.td_end = segment_seq_plus_len(th.seq, skb.len, dataoff, th);
    s0.td_maxwin = th.window || 1;
    s0.td_maxend = u32(s0.td_end + s0.td_maxwin);
    s0.flags = t.seen[1].flags = IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL;
  }
  t.last_index = TCP_NONE_SET;
  ct.tcp = t;
  return true;
}

function tcp_can_early_drop(ct: NfConn): boolean {
  const s = (ct.tcp as IpCtTcp).state;
  return (
    s === TCP_CONNTRACK_FIN_WAIT ||
    s === TCP_CONNTRACK_LAST_ACK ||
    s === TCP_CONNTRACK_TIME_WAIT ||
    s === TCP_CONNTRACK_CLOSE ||
    s === TCP_CONNTRACK_CLOSE_WAIT
  );
}

function nf_ct_tcp_state_reset(s: TcpSeen): void {
  s.td_end = s.td_maxend = s.td_maxwin = s.td_maxack = s.td_scale = 0;
  s.flags &= IP_CT_TCP_FLAG_BE_LIBERAL;
}

function nf_conntrack_tcp_established(ct: NfConn): boolean {
  return (ct.tcp as IpCtTcp).state === TCP_CONNTRACK_ESTABLISHED && (ct.status & IPS_ASSURED) !== 0;
}

/** nf_conntrack_tcp_packet(): a verdict, or its negation for an invalid packet. */
export function nf_conntrack_tcp_packet(ct: NfConn, skb: SkBuff, dataoff: number, ctinfo: number, state: NfHookState): number {
  const net = ct.net;
  kprobe(net, skb, 'nf_conntrack_tcp_packet');
  const b = skb.head;
  const o = skb.networkHeader + dataoff;
  if (o + TCP_HEADER_LEN > skb.tail) return -NF_ACCEPT;
  const th: Th = {
    seq: tcph_seq(b, o),
    ack_seq: tcph_ack_seq(b, o),
    doff: tcph_doff(b, o),
    flags: tcph_flags(b, o),
    window: tcph_window(b, o),
    off: o,
  };
  if (tcp_error(skb, th, dataoff, state)) return -NF_ACCEPT;
  if (!nf_ct_is_confirmed(ct) && !tcp_new(ct, skb, dataoff, th)) return -NF_ACCEPT;
  const t = ct.tcp as IpCtTcp;
  let oldState = t.state;
  const dir = CTINFO2DIR(ctinfo);
  const index = get_conntrack_index(th);
  let newState = tcp_conntracks[dir]?.[index]?.[oldState] as number;
  let skipWindow = false;

  let ignore = newState === TCP_CONNTRACK_IGNORE;
  if (newState === TCP_CONNTRACK_SYN_SENT && oldState >= TCP_CONNTRACK_TIME_WAIT) {
    if (
      (t.seen[dir] as TcpSeen).flags & IP_CT_TCP_FLAG_CLOSE_INIT ||
      (t.seen[1 - dir] as TcpSeen).flags & IP_CT_TCP_FLAG_CLOSE_INIT ||
      (t.last_dir === dir && t.last_index === TCP_RST_SET)
    ) {
      // a closed or aborted connection reopened: a fresh entry
      if (nf_ct_kill(ct)) return -NF_REPEAT;
      return NF_DROP;
    }
    ignore = true;
  }
  if (ignore) {
    if (index === TCP_SYNACK_SET && t.last_index === TCP_SYN_SET && t.last_dir !== dir && th.ack_seq === t.last_end) {
      // the SYN/ACK answers a SYN we ignored: in sync again
      oldState = TCP_CONNTRACK_SYN_SENT;
      newState = TCP_CONNTRACK_SYN_RECV;
      const ld = t.seen[t.last_dir] as TcpSeen;
      ld.td_end = t.last_end;
      ld.td_maxend = t.last_end;
      ld.td_maxwin = t.last_win === 0 ? 1 : t.last_win;
      ld.td_scale = t.last_wscale;
      t.last_flags &= ~IP_CT_EXP_CHALLENGE_ACK;
      ld.flags = t.last_flags;
      nf_ct_tcp_state_reset(t.seen[dir] as TcpSeen);
    } else {
      t.last_index = index;
      t.last_dir = dir;
      t.last_seq = th.seq;
      t.last_end = segment_seq_plus_len(th.seq, skb.len, dataoff, th);
      t.last_win = th.window;
      if (index === TCP_SYN_SET && dir === IP_CT_DIR_ORIGINAL) {
        const seen = newSeen();
        t.last_flags = t.last_wscale = 0;
        tcp_options(skb, th, seen);
        if (seen.flags & IP_CT_TCP_FLAG_WINDOW_SCALE) {
          t.last_flags |= IP_CT_TCP_FLAG_WINDOW_SCALE;
          t.last_wscale = seen.td_scale;
        }
        if (seen.flags & IP_CT_TCP_FLAG_SACK_PERM) t.last_flags |= IP_CT_TCP_FLAG_SACK_PERM;
        if (oldState === TCP_CONNTRACK_LAST_ACK) t.last_flags |= IP_CT_EXP_CHALLENGE_ACK;
      }
      if (oldState === TCP_CONNTRACK_SYN_SENT && index === TCP_ACK_SET && dir === IP_CT_DIR_REPLY) t.last_ack = th.ack_seq;
      return NF_ACCEPT;
    }
  } else
    switch (newState) {
      case TCP_CONNTRACK_MAX:
        return -NF_ACCEPT;
      case TCP_CONNTRACK_TIME_WAIT:
        if (
          oldState === TCP_CONNTRACK_LAST_ACK &&
          index === TCP_ACK_SET &&
          t.last_dir !== dir &&
          t.last_index === TCP_SYN_SET &&
          t.last_flags & IP_CT_EXP_CHALLENGE_ACK
        ) {
          t.last_flags &= ~IP_CT_EXP_CHALLENGE_ACK;
          return NF_ACCEPT;
        }
        break;
      case TCP_CONNTRACK_SYN_SENT2:
        t.last_flags |= IP_CT_TCP_SIMULTANEOUS_OPEN;
        break;
      case TCP_CONNTRACK_SYN_RECV:
        if (dir === IP_CT_DIR_REPLY && index === TCP_ACK_SET && t.last_flags & IP_CT_TCP_SIMULTANEOUS_OPEN)
          newState = TCP_CONNTRACK_ESTABLISHED;
        break;
      case TCP_CONNTRACK_CLOSE: {
        if (index !== TCP_RST_SET) break;
        if (tcp_can_early_drop(ct)) {
          skipWindow = true;
          break;
        }
        const other = t.seen[1 - dir] as TcpSeen;
        if (other.flags & IP_CT_TCP_FLAG_MAXACK_SET && t.last_index !== TCP_SYN_SET) {
          const seq = th.seq;
          if (seq === 0 && !nf_conntrack_tcp_established(ct)) break;
          if (before(seq, other.td_maxack) && !net.sysctl.int('net.netfilter.nf_conntrack_tcp_ignore_invalid_rst')) return -NF_ACCEPT;
          if (!nf_conntrack_tcp_established(ct) || seq === other.td_maxack) break;
          if (t.last_index === TCP_ACK_SET && t.last_dir === dir && seq === t.last_end) break;
          newState = oldState;
        }
        if (
          ((ct.status & IPS_SEEN_REPLY && t.last_index === TCP_SYN_SET) || (!(ct.status & IPS_ASSURED) && t.last_index === TCP_ACK_SET)) &&
          th.ack_seq === t.last_end
        ) {
          skipWindow = true;
          break;
        }
        if (oldState === TCP_CONNTRACK_SYN_SENT && t.last_index === TCP_ACK_SET && t.last_dir === IP_CT_DIR_REPLY && th.seq === t.last_ack)
          skipWindow = true;
        break;
      }
    }

  if (!skipWindow) {
    const res = tcp_in_window(ct, dir, index, skb, dataoff, th);
    if (res === NFCT_TCP_IGNORE) return NF_ACCEPT;
    if (res === NFCT_TCP_INVALID) {
      nf_tcp_handle_invalid(ct, dir, index);
      return -NF_ACCEPT;
    }
  }
  // in_window:
  t.last_index = index;
  t.last_dir = dir;
  t.state = newState;
  if (newState !== oldState) nf_conntrack_event_cache(IPCT_PROTOINFO, ct);
  if (oldState !== newState && newState === TCP_CONNTRACK_FIN_WAIT) (t.seen[dir] as TcpSeen).flags |= IP_CT_TCP_FLAG_CLOSE_INIT;
  const timeouts = tcpTimeouts(net);
  const tmo = (i: number): number => timeouts[i] as number;
  let timeout: number;
  if (t.retrans >= net.sysctl.int('net.netfilter.nf_conntrack_tcp_max_retrans') && tmo(newState) > tmo(TCP_CONNTRACK_RETRANS))
    timeout = tmo(TCP_CONNTRACK_RETRANS);
  else if (index === TCP_RST_SET) timeout = tmo(TCP_CONNTRACK_CLOSE);
  else if ((t.seen[0].flags | t.seen[1].flags) & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED && tmo(newState) > tmo(TCP_CONNTRACK_UNACK))
    timeout = tmo(TCP_CONNTRACK_UNACK);
  else if (t.last_win === 0 && tmo(newState) > tmo(TCP_CONNTRACK_RETRANS)) timeout = tmo(TCP_CONNTRACK_RETRANS);
  else timeout = tmo(newState);

  if (!(ct.status & IPS_SEEN_REPLY)) {
    if (th.flags & TH_RST) {
      nf_ct_kill(ct);
      return NF_ACCEPT;
    }
    if (index === TCP_SYN_SET && oldState === TCP_CONNTRACK_SYN_SENT) return NF_ACCEPT;
    if (newState === TCP_CONNTRACK_ESTABLISHED && timeout > tmo(TCP_CONNTRACK_UNACK)) timeout = tmo(TCP_CONNTRACK_UNACK);
  } else if (
    !(ct.status & IPS_ASSURED) &&
    (oldState === TCP_CONNTRACK_SYN_RECV || oldState === TCP_CONNTRACK_ESTABLISHED) &&
    newState === TCP_CONNTRACK_ESTABLISHED
  ) {
    ct.status |= IPS_ASSURED;
    nf_conntrack_event_cache(IPCT_ASSURED, ct);
  }
  nf_ct_refresh_acct(ct, timeout);
  return NF_ACCEPT;
}

// ------------------------------------------------------------ UDP, ICMP, generic

/** udp_error() */
function udp_error(skb: SkBuff, dataoff: number, state: NfHookState): boolean {
  const o = skb.networkHeader + dataoff;
  const udplen = skb.len - dataoff;
  if (o + UDP_HEADER_LEN > skb.tail) return true;
  const len = udph_len(skb.head, o);
  if (len > udplen || len < UDP_HEADER_LEN) return true;
  if (!udph_check(skb.head, o)) return false;
  return (
    state.hook === NF_INET_PRE_ROUTING &&
    !!state.net.sysctl.int('net.netfilter.nf_conntrack_checksum') &&
    nf_ip_checksum(skb, state.hook, dataoff, IPPROTO_UDP) !== 0
  );
}

/** nf_conntrack_udp_packet(): 30 s unreplied, 120 s once a stream (replies after 2 s). */
export function nf_conntrack_udp_packet(ct: NfConn, skb: SkBuff, dataoff: number, state: NfHookState): number {
  const net = ct.net;
  kprobe(net, skb, 'nf_conntrack_udp_packet');
  if (udp_error(skb, dataoff, state)) return -NF_ACCEPT;
  const unreplied = sysctlSecs(net, 'udp_timeout');
  const replied = sysctlSecs(net, 'udp_timeout_stream');
  const status = ct.status;
  const now = nfct_time_stamp(net);
  if (!(status & IPS_CONFIRMED)) ct.udpStreamTs = 2 * net.kernel.HZ + now;
  if (status & IPS_SEEN_REPLY) {
    let extra = unreplied;
    let stream = false;
    if (now - ct.udpStreamTs > 0) {
      extra = replied;
      stream = (status & IPS_ASSURED) === 0;
    }
    nf_ct_refresh_acct(ct, extra);
    if (status & IPS_NAT_CLASH) return NF_ACCEPT;
    if (stream && !(ct.status & IPS_ASSURED)) {
      ct.status |= IPS_ASSURED;
      nf_conntrack_event_cache(IPCT_ASSURED, ct);
    }
  } else nf_ct_refresh_acct(ct, unreplied);
  return NF_ACCEPT;
}

const ICMP_VALID_NEW: ReadonlySet<number> = new Set([8, 13, 15, 17]);

/** nf_conntrack_icmp_packet(): only a query opens an entry. */
export function nf_conntrack_icmp_packet(ct: NfConn, skb: SkBuff): number {
  kprobe(ct.net, skb, 'nf_conntrack_icmp_packet');
  if (!ICMP_VALID_NEW.has(ct.tuplehash[0].dport >> 8)) return -NF_ACCEPT;
  nf_ct_refresh_acct(ct, sysctlSecs(ct.net, 'icmp_timeout'));
  return NF_ACCEPT;
}

/** generic_packet() */
function generic_packet(ct: NfConn): number {
  nf_ct_refresh_acct(ct, sysctlSecs(ct.net, 'generic_timeout'));
  return NF_ACCEPT;
}

const icmp_is_err = (type: number): boolean => type === 3 || type === 4 || type === 5 || type === 11 || type === 12;

/**
 * nf_conntrack_icmpv4_error() → nf_conntrack_inet_error(): an ICMP error
 * about one of our connections is RELATED to it. NF_ACCEPT to go on
 * tracking it as a packet of its own, -NF_ACCEPT when it is done.
 */
function nf_conntrack_icmpv4_error(skb: SkBuff, dataoff: number, state: NfHookState, zone: number): number {
  const b = skb.head;
  const nh = skb.networkHeader;
  const o = nh + dataoff;
  if (o + ICMP_HEADER_LEN > skb.tail) return -NF_ACCEPT;
  if (
    state.net.sysctl.int('net.netfilter.nf_conntrack_checksum') &&
    state.hook === NF_INET_PRE_ROUTING &&
    nf_ip_checksum(skb, state.hook, dataoff, IPPROTO_ICMP)
  )
    return -NF_ACCEPT;
  const type = icmph_type(b, o);
  if (type > 18) return -NF_ACCEPT;
  if (!icmp_is_err(type)) return NF_ACCEPT;
  // nf_ct_get_tuplepr() of the inner header
  const inner = o + ICMP_HEADER_LEN;
  const l4 = get_l4proto(skb, inner);
  if (l4.dataoff < 0) return -NF_ACCEPT;
  const orig = nf_ct_get_tuple(skb, inner, l4.dataoff, l4.proto);
  if (!orig) return -NF_ACCEPT;
  const innertuple = nf_ct_invert_tuple(orig);
  if (!innertuple) return -NF_ACCEPT;
  const h = nf_conntrack_find_get(state.net, zone, innertuple);
  if (!h) return -NF_ACCEPT;
  // the error must come to the address the connection's packets go to
  if ((h.ct.tuplehash[h.dir] as NfTuple).dst !== iph_daddr(b, nh)) return -NF_ACCEPT;
  nf_ct_set(skb, h.ct, h.dir === IP_CT_DIR_REPLY ? IP_CT_RELATED_REPLY : IP_CT_RELATED);
  return NF_ACCEPT;
}

/** init_conntrack(): a new, unconfirmed entry for the packet's tuple. */
function init_conntrack(net: Net, tuple: NfTuple, skb: SkBuff, zone: number): NfConn | null {
  kprobe(net, skb, 'init_conntrack');
  const repl = nf_ct_invert_tuple(tuple);
  if (!repl) return null;
  const ct = new NfConn(net, [tuple, repl], zone);
  // nf_ct_ecache_ext_add(): events 1 always, 2 (the default) while a listener is subscribed
  const ev = net.sysctl.int('net.netfilter.nf_conntrack_events');
  ct.ecache = ev === 1 || (ev === 2 && ct_net(net).listeners.size > 0);
  return ct;
}

/** resolve_normal_ct(): the entry and ctinfo of a packet, a new one if none. */
function resolve_normal_ct(skb: SkBuff, dataoff: number, proto: number, state: NfHookState, zone: number): void {
  const tuple = nf_ct_get_tuple(skb, skb.networkHeader, dataoff, proto);
  if (!tuple) return;
  let h = nf_conntrack_find_get(state.net, zone, tuple);
  if (!h) {
    const ct = init_conntrack(state.net, tuple, skb, zone);
    if (!ct) return;
    h = { ct, dir: IP_CT_DIR_ORIGINAL };
  }
  const ct = h.ct;
  let ctinfo: number;
  if (h.dir === IP_CT_DIR_REPLY) ctinfo = IP_CT_ESTABLISHED_REPLY;
  else if (ct.status & IPS_SEEN_REPLY) ctinfo = IP_CT_ESTABLISHED;
  else if (ct.status & IPS_EXPECTED) ctinfo = IP_CT_RELATED;
  else ctinfo = IP_CT_NEW;
  nf_ct_set(skb, ct, ctinfo);
}

/** nf_conntrack_handle_packet(): the protocol tracker. */
function nf_conntrack_handle_packet(ct: NfConn, skb: SkBuff, dataoff: number, ctinfo: number, state: NfHookState): number {
  switch (ct.proto) {
    case IPPROTO_TCP:
      return nf_conntrack_tcp_packet(ct, skb, dataoff, ctinfo, state);
    case IPPROTO_UDP:
      return nf_conntrack_udp_packet(ct, skb, dataoff, state);
    case IPPROTO_ICMP:
      return nf_conntrack_icmp_packet(ct, skb);
  }
  return generic_packet(ct);
}

/** nf_conntrack_in(): attaches the packet's connection (skb->_nfct) and runs its tracker. */
export function nf_conntrack_in(skb: SkBuff, state: NfHookState): number {
  const net = state.net;
  kprobe(net, skb, 'nf_conntrack_in');
  const c = ct_net(net);
  // seen before (loopback) or untracked (raw table NOTRACK / CT --notrack)
  if (skb._nfct || skb.nfctinfo === IP_CT_UNTRACKED) return NF_ACCEPT;
  const zone = skb.nfctZoneTmpl;
  const l4 = get_l4proto(skb, skb.networkHeader);
  if (l4.dataoff <= 0) {
    c.stat.invalid++;
    return NF_ACCEPT;
  }
  if (l4.proto === IPPROTO_ICMP) {
    const ret = nf_conntrack_icmpv4_error(skb, l4.dataoff, state, zone);
    if (ret <= 0) {
      c.stat.error++;
      return -ret;
    }
    if (skb._nfct) return NF_ACCEPT;
  }
  for (;;) {
    resolve_normal_ct(skb, l4.dataoff, l4.proto, state, zone);
    const ct = nf_ct_get(skb).ct;
    if (!ct) {
      c.stat.invalid++;
      return NF_ACCEPT;
    }
    const ret = nf_conntrack_handle_packet(ct, skb, l4.dataoff, skb.nfctinfo, state);
    if (ret <= 0) {
      nf_reset_ct(skb);
      if (ret === -NF_REPEAT) continue;
      c.stat.invalid++;
      if (ret === NF_DROP) c.stat.drop++;
      return -ret;
    }
    if (skb.nfctinfo === IP_CT_ESTABLISHED_REPLY && !(ct.status & IPS_SEEN_REPLY)) {
      ct.status |= IPS_SEEN_REPLY;
      nf_conntrack_event_cache(IPCT_REPLY, ct);
    }
    return ret;
  }
}

/** __nf_conntrack_confirm(): the entry goes into the table when its first packet leaves the hooks. */
function __nf_conntrack_confirm(skb: SkBuff): number {
  const ct = skb._nfct as NfConn;
  const net = ct.net;
  kprobe(net, skb, '__nf_conntrack_confirm');
  if (CTINFO2DIR(skb.nfctinfo) !== IP_CT_DIR_ORIGINAL) return NF_ACCEPT;
  const c = ct_net(net);
  if (ct.status & IPS_DYING) {
    c.stat.insert_failed++;
    return NF_DROP;
  }
  const k0 = tupleKey(ct.tuplehash[0], ct.zone);
  const k1 = tupleKey(ct.tuplehash[1], ct.zone);
  for (const k of [k0, k1]) {
    const h = c.hash.get(k);
    if (h && !nf_ct_is_expired(h.ct)) {
      // nf_ct_resolve_clash(): the same flow won the race: use its entry
      if (tuple_equal(h.ct.tuplehash[0], ct.tuplehash[0]) && h.ct.tuplehash[1] && tuple_equal(h.ct.tuplehash[1], ct.tuplehash[1])) {
        c.stat.clash_resolve++;
        nf_ct_set(skb, h.ct, skb.nfctinfo);
        return NF_ACCEPT;
      }
      c.stat.insert_failed++;
      return NF_DROP;
    }
    if (h) nf_ct_delete(h.ct);
  }
  ct.timeout += nfct_time_stamp(net);
  c.hash.set(k0, { ct, dir: IP_CT_DIR_ORIGINAL });
  c.hash.set(k1, { ct, dir: IP_CT_DIR_REPLY });
  c.list.add(ct);
  c.stat.insert++;
  ct.status |= IPS_CONFIRMED;
  nf_conntrack_event_cache(IPCT_NEW, ct);
  return NF_ACCEPT;
}

/** nf_confirm() at LOCAL_IN and POST_ROUTING (INT_MAX). */
export function nf_confirm(skb: SkBuff, state: NfHookState): number {
  kprobe(state.net, skb, 'nf_confirm');
  const ct = skb._nfct;
  if (!ct) return NF_ACCEPT;
  // nf_conntrack_confirm(): confirm a new entry, then hand out the events the packet caused
  const ret = nf_ct_is_confirmed(ct) ? NF_ACCEPT : __nf_conntrack_confirm(skb);
  if (ret === NF_ACCEPT && skb._nfct) nf_ct_deliver_cached_events(skb._nfct);
  return ret;
}

/**
 * ipv4_conntrack_defrag() (nf_defrag_ipv4.c, −400 on PRE_ROUTING and
 * LOCAL_OUT): conntrack sees whole datagrams. A fragment is queued
 * (NF_STOLEN) until its datagram is complete; the skb that completes it
 * becomes the datagram (ip_frag_reasm's skb_morph) and goes on through the
 * hooks with ignore_df set, to be fragmented again on output.
 */
function ipv4_conntrack_defrag(skb: SkBuff, state: NfHookState): number {
  if (skb._nfct || skb.nfctinfo === IP_CT_UNTRACKED) return NF_ACCEPT;
  if (!(iph_frag_off(skb.head, skb.networkHeader) & (IP_OFFSET | 0x2000))) return NF_ACCEPT;
  kprobe(state.net, skb, 'ipv4_conntrack_defrag');
  const zone = skb.nfctZoneTmpl;
  const user = `${state.hook === NF_INET_PRE_ROUTING ? 'conntrack_in' : 'conntrack_out'}${zone ? `:${zone}` : ''}`;
  const whole = ip_defrag(state.net, skb, user);
  if (!whole) return NF_STOLEN;
  // skb_morph(): this skb is the reassembled datagram from now on
  skb.shinfo = whole.shinfo;
  skb.data = whole.data;
  skb.tail = whole.tail;
  skb.len = whole.len;
  skb.macHeader = whole.macHeader;
  skb.networkHeader = whole.networkHeader;
  skb.transportHeader = whole.transportHeader;
  skb.fragMaxSize = whole.fragMaxSize;
  skb.cloned = false;
  skb.ignoreDf = true;
  return NF_ACCEPT;
}

const ipv4_conntrack_defrag_in: Readonly<NfHookEntry> = { priority: -400, name: 'ipv4_conntrack_defrag', hook: ipv4_conntrack_defrag };
const ipv4_conntrack_defrag_out: Readonly<NfHookEntry> = { priority: -400, name: 'ipv4_conntrack_defrag', hook: ipv4_conntrack_defrag };

const ipv4_conntrack_in: Readonly<NfHookEntry> = {
  priority: -200,
  name: 'ipv4_conntrack_in',
  hook: (skb, state) => nf_conntrack_in(skb, state),
};

const ipv4_conntrack_local: Readonly<NfHookEntry> = {
  priority: -200,
  name: 'ipv4_conntrack_local',
  hook(skb, state) {
    // a fragment here was sent with IP_NODEFRAG: left alone
    if (iph_frag_off(skb.head, skb.networkHeader) & (IP_OFFSET | 0x2000)) return NF_ACCEPT;
    return nf_conntrack_in(skb, state);
  },
};

const nf_confirm_in: Readonly<NfHookEntry> = { priority: 2147483647, name: 'nf_confirm', hook: nf_confirm };
const nf_confirm_out: Readonly<NfHookEntry> = { priority: 2147483647, name: 'nf_confirm', hook: nf_confirm };

/** nf_ct_netns_get(): a rule needs conntrack in this namespace; the hooks go in with the first user. */
export function nf_ct_netns_get(net: Net): void {
  const c = ct_net(net);
  if (c.users++ > 0) return;
  // nf_defrag_ipv4_enable()
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_PRE_ROUTING, ipv4_conntrack_defrag_in);
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_LOCAL_OUT, ipv4_conntrack_defrag_out);
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_PRE_ROUTING, ipv4_conntrack_in);
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_LOCAL_OUT, ipv4_conntrack_local);
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_LOCAL_IN, nf_confirm_in);
  net.nfHooks.register(NFPROTO_IPV4, NF_INET_POST_ROUTING, nf_confirm_out);
}

/** nf_ct_netns_put(): the last user gone, the hooks come out (the entries stay until they time out). */
export function nf_ct_netns_put(net: Net): void {
  const c = ct_net(net);
  if (c.users === 0 || --c.users > 0) return;
  net.nfHooks.unregister(NFPROTO_IPV4, NF_INET_PRE_ROUTING, ipv4_conntrack_defrag_in);
  net.nfHooks.unregister(NFPROTO_IPV4, NF_INET_LOCAL_OUT, ipv4_conntrack_defrag_out);
  net.nfHooks.unregister(NFPROTO_IPV4, NF_INET_PRE_ROUTING, ipv4_conntrack_in);
  net.nfHooks.unregister(NFPROTO_IPV4, NF_INET_LOCAL_OUT, ipv4_conntrack_local);
  net.nfHooks.unregister(NFPROTO_IPV4, NF_INET_LOCAL_IN, nf_confirm_in);
  net.nfHooks.unregister(NFPROTO_IPV4, NF_INET_POST_ROUTING, nf_confirm_out);
}

/**
 * nf_ct_attach() → nf_conntrack_attach(): a packet the kernel makes in answer
 * to another (REJECT's RST) belongs to its connection, in the other direction.
 */
export function nf_ct_attach(nskb: SkBuff, skb: SkBuff): void {
  const { ct, ctinfo } = nf_ct_get(skb);
  if (!ct) return;
  nf_ct_set(nskb, ct, CTINFO2DIR(ctinfo) === IP_CT_DIR_ORIGINAL ? IP_CT_RELATED_REPLY : IP_CT_RELATED);
}

/** nf_ct_set_closing() → nf_conntrack_tcp_set_closing(): a reset connection goes to CLOSE. */
export function nf_ct_set_closing(ct: NfConn | null): void {
  if (!ct || ct.proto !== IPPROTO_TCP || !ct.tcp || !nf_ct_is_confirmed(ct)) return;
  const old = ct.tcp.state;
  ct.tcp.state = TCP_CONNTRACK_CLOSE;
  if (old === TCP_CONNTRACK_CLOSE || ct.status & IPS_FIXED_TIMEOUT) return;
  ct.timeout = (tcpTimeouts(ct.net)[TCP_CONNTRACK_CLOSE] as number) + nfct_time_stamp(ct.net);
  nf_conntrack_event_cache(IPCT_PROTOINFO, ct);
}

/** The conntrack state name of a ctinfo, as skbpath shows it. */
export function ctinfoName(ct: NfConn | null, ctinfo: number): string {
  if (!ct) return ctinfo === IP_CT_UNTRACKED ? 'UNTRACKED' : '';
  return ['ESTABLISHED', 'RELATED', 'NEW', 'ESTABLISHED_REPLY', 'RELATED_REPLY'][ctinfo] ?? String(ctinfo);
}

/** nf_ct_l4proto names, as /proc/net/nf_conntrack and conntrack print them. */
export function l4protoName(p: number): string {
  return { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp', 136: 'udplite', 47: 'gre' }[p] ?? 'unknown';
}

/** nf_conntrack_standalone_init_sysctl(): nf_conntrack_count is computed when read (its 0444 mode is in the ctl table). */
export function nf_conntrack_standalone_init_sysctl(net: Net): void {
  net.sysctl.register('net.netfilter.nf_conntrack_count', { read: (n) => String(nf_conntrack_count(n)) });
}
