// NAT for IPv4: net/netfilter/nf_nat_core.c (nf_nat_setup_info,
// get_unique_tuple, nf_nat_l4proto_unique_tuple, nf_nat_inet_fn,
// nf_nat_packet, the nat hook lists), nf_nat_proto.c (packet rewriting with
// incremental checksums, nf_nat_icmp_reply_translation, the four
// nf_nat_ipv4_* hooks), nf_nat_masquerade.c and nf_nat_redirect.c.
//
// The nat table's base chains are not netfilter hooks of their own: they sit
// in nf_nat's per-hook lists and run only for a connection's first packet.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { RTN_UNSPEC } from '../ipv4/fib.ts';
import { inet_select_addr } from '../ipv4/devinet.ts';
import { csum_fold, csum_partial, iph_daddr, iph_ihl, iph_protocol, iph_saddr, rd16, wr16, wr32 } from '../ipv4/iphdr.ts';
import {
  ICMPH_CHECKSUM,
  ICMPH_ECHO_ID,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_HEADER_LEN,
  ICMP_REDIRECT,
  icmph_echo_id,
  icmph_type,
} from '../../wire/icmp.ts';
import { IPH_CHECK, IPH_DADDR, IPH_SADDR, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, IPV4_HEADER_LEN } from '../../wire/ipv4.ts';
import { TCPH_CHECK, TCPH_DEST, TCPH_SOURCE, TCP_HEADER_LEN } from '../../wire/tcp.ts';
import { UDPH_CHECK, UDPH_DEST, UDPH_SOURCE, UDP_HEADER_LEN, udph_check } from '../../wire/udp.ts';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NFPROTO_IPV4,
  type NfHookEntry,
  type NfHookState,
} from './core.ts';
import {
  CTINFO2DIR,
  IP_CT_DIR_ORIGINAL,
  IP_CT_DIR_REPLY,
  IP_CT_NEW,
  IP_CT_RELATED,
  IP_CT_RELATED_REPLY,
  IPS_DST_NAT,
  IPS_DST_NAT_DONE,
  IPS_DYING,
  IPS_NAT_DONE_MASK,
  IPS_NAT_MASK,
  IPS_SEQ_ADJUST,
  IPS_SRC_NAT,
  IPS_SRC_NAT_DONE,
  type NfConn,
  type NfTuple,
  TCP_CONNTRACK_SYN_SENT,
  nf_conntrack_alter_reply,
  nf_conntrack_find_get,
  nf_conntrack_tuple_taken,
  nf_ct_get,
  nf_ct_invert_tuple,
  nf_ct_is_confirmed,
  nf_ct_kill,
  tuple_equal,
} from './nf_conntrack.ts';
import { nf_ct_entries } from './nf_conntrack.ts';
import { inet_proto_csum_replace2, inet_proto_csum_replace4, csum_replace4, ip_route_me_harder, nf_ip_checksum } from './utils.ts';

export const NF_NAT_MANIP_SRC = 0;
export const NF_NAT_MANIP_DST = 1;

import {
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_PERSISTENT,
  NF_NAT_RANGE_PROTO_OFFSET,
  NF_NAT_RANGE_PROTO_RANDOM_ALL,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  type NfNatRange2,
} from '../uapi/nf_nat.ts';
export {
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_NETMAP,
  NF_NAT_RANGE_PERSISTENT,
  NF_NAT_RANGE_PROTO_OFFSET,
  NF_NAT_RANGE_PROTO_RANDOM,
  NF_NAT_RANGE_PROTO_RANDOM_ALL,
  NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  type NfNatRange2,
} from '../uapi/nf_nat.ts';

export const HOOK2MANIP = (hook: number): number =>
  hook !== NF_INET_POST_ROUTING && hook !== NF_INET_LOCAL_IN ? NF_NAT_MANIP_DST : NF_NAT_MANIP_SRC;

/** The NAT state of a namespace: nf_nat_bysource and the nat chains of each hook. */
export class NatNet {
  /** nf_nat_bysource: connections with a source mapping by original (protocol, source, port), for find_appropriate_src. */
  readonly bysource = new Map<string, Set<NfConn>>();
  /** nf_nat_lookup_hook_priv.entries by hook: the nat table's base chains. */
  readonly lookup = new Map<number, NfHookEntry[]>();
  users = 0;
  /** The NAT hook ops while registered (nf_nat_ipv4_ops). */
  ops: [number, NfHookEntry][] | null = null;
}

function nat_net(net: Net): NatNet {
  return (net.nfNat ??= new NatNet());
}

export function nf_nat_initialized(ct: NfConn, manip: number): boolean {
  return (ct.status & (manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)) !== 0;
}

// ------------------------------------------------------------ choosing the mapping

/** The kernel's jhash2() (lookup3) over 32-bit words. */
export function jhash2(k: readonly number[], initval: number): number {
  const rol = (x: number, s: number): number => ((x << s) | (x >>> (32 - s))) >>> 0;
  let a = (0xdeadbeef + (k.length << 2) + initval) >>> 0;
  let b = a;
  let c = a;
  let i = 0;
  let len = k.length;
  while (len > 3) {
    a = (a + (k[i] as number)) >>> 0;
    b = (b + (k[i + 1] as number)) >>> 0;
    c = (c + (k[i + 2] as number)) >>> 0;
    // __jhash_mix
    a = (a - c) >>> 0;
    a = (a ^ rol(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rol(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    len -= 3;
    i += 3;
  }
  if (len === 0) return c;
  if (len >= 3) c = (c + (k[i + 2] as number)) >>> 0;
  if (len >= 2) b = (b + (k[i + 1] as number)) >>> 0;
  a = (a + (k[i] as number)) >>> 0;
  // __jhash_final
  c = (c ^ b) >>> 0;
  c = (c - rol(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol(b, 24)) >>> 0;
  return c;
}

/** An address as the little-endian CPU reads the network-order word. */
const le32 = (a: number): number => (((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24)) >>> 0;

/** reciprocal_scale() */
const reciprocal_scale = (val: number, ep: number): number => Number((BigInt(val >>> 0) * BigInt(ep)) >> 32n);

function nf_nat_inet_in_range(t: NfTuple, r: NfNatRange2): boolean {
  return t.src >= r.minAddr && t.src <= r.maxAddr;
}

/** l4proto_in_range() */
function l4proto_in_range(t: NfTuple, manip: number, min: number, max: number): boolean {
  switch (t.proto) {
    case IPPROTO_ICMP:
      return t.sport >= min && t.sport <= max;
    case IPPROTO_TCP:
    case IPPROTO_UDP:
    case 136:
    case 132:
    case 47: {
      const port = manip === NF_NAT_MANIP_SRC ? t.sport : t.dport;
      return port >= min && port <= max;
    }
    default:
      return true;
  }
}

/** nf_in_range(): a source tuple that already fits the range. */
function nf_in_range(t: NfTuple, r: NfNatRange2): boolean {
  if (r.flags & NF_NAT_RANGE_MAP_IPS && !nf_nat_inet_in_range(t, r)) return false;
  if (!(r.flags & NF_NAT_RANGE_PROTO_SPECIFIED)) return true;
  return l4proto_in_range(t, NF_NAT_MANIP_SRC, r.minProto, r.maxProto);
}

/** nf_nat_used_tuple(): a reply to this tuple would already belong to another connection. */
function nf_nat_used_tuple(t: NfTuple, ignored: NfConn): boolean {
  const reply = nf_ct_invert_tuple(t);
  if (!reply) return false;
  return nf_conntrack_tuple_taken(reply, ignored);
}

/** nf_nat_used_tuple_new(): as nf_nat_used_tuple, letting a clash of two un-NATed entries of one flow through. */
function nf_nat_used_tuple_new(t: NfTuple, ignored: NfConn): boolean {
  if (!nf_nat_used_tuple(t, ignored)) return false;
  // nf_nat_allow_clash(): UDP and ICMP trackers allow clashes
  if (ignored.proto !== IPPROTO_UDP && ignored.proto !== IPPROTO_ICMP && ignored.proto !== 136) return true;
  const uses = IPS_NAT_MASK | IPS_SEQ_ADJUST;
  if (ignored.status & uses) return true;
  let h = nf_conntrack_find_get(ignored.net, ignored.zone, t);
  if (!h) {
    const reply = nf_ct_invert_tuple(t);
    h = reply ? nf_conntrack_find_get(ignored.net, ignored.zone, reply) : null;
    if (!h) return false;
  }
  if (h.ct.status & uses) return true;
  return !tuple_equal(h.ct.tuplehash[0], ignored.tuplehash[1]);
}

/** find_appropriate_src(): the mapping an earlier connection from the same source got. */
const srcKey = (t: NfTuple): string => `${t.proto}/${t.src}/${t.sport}`;

function find_appropriate_src(net: Net, zone: number, t: NfTuple, r: NfNatRange2): NfTuple | null {
  const l = nat_net(net).bysource.get(srcKey(t));
  if (!l) return null;
  for (const ct of l) {
    if (ct.status & IPS_DYING) {
      l.delete(ct); // nf_nat_cleanup_conntrack(): the entry was destroyed
      continue;
    }
    // an entry whose packet never got through the hooks was destroyed with it
    if (!nf_ct_is_confirmed(ct)) continue;
    if (ct.zone === zone) {
      const inv = nf_ct_invert_tuple(ct.tuplehash[1]);
      if (!inv) continue;
      const result: NfTuple = { ...inv, dst: t.dst, dport: t.dport };
      if (nf_in_range(result, r)) return result;
    }
  }
  return null;
}

/** find_best_ips_proto(): an address of the range, chosen by a hash of the addresses. */
function find_best_ips_proto(zone: number, t: NfTuple, r: NfNatRange2, manip: number): void {
  if (!(r.flags & NF_NAT_RANGE_MAP_IPS)) return;
  const set = (v: number): void => {
    if (manip === NF_NAT_MANIP_SRC) t.src = v;
    else t.dst = v;
  };
  if (r.minAddr === r.maxAddr) {
    set(r.minAddr);
    return;
  }
  const j = jhash2([le32(t.src), 0, 0, 0], r.flags & NF_NAT_RANGE_PERSISTENT ? 0 : (le32(t.dst) ^ zone) >>> 0);
  const dist = r.maxAddr - r.minAddr + 1;
  set((r.minAddr + reciprocal_scale(j, dist)) >>> 0);
}

const NF_NAT_MAX_ATTEMPTS = 128;
const NF_NAT_HARDER_THRESH = NF_NAT_MAX_ATTEMPTS / 4;

/** nf_nat_used_tuple_harder(): in the last attempts a TCP SYN may evict a TIME_WAIT entry. */
function nf_nat_used_tuple_harder(t: NfTuple, ignored: NfConn, attemptsLeft: number): boolean {
  const reply = nf_ct_invert_tuple(t) as NfTuple;
  if (attemptsLeft > NF_NAT_HARDER_THRESH || t.proto !== IPPROTO_TCP || ignored.tcp?.state !== TCP_CONNTRACK_SYN_SENT)
    return nf_conntrack_tuple_taken(reply, ignored);
  const h = nf_conntrack_find_get(ignored.net, ignored.zone, reply);
  if (!h) return false;
  if (h.dir === IP_CT_DIR_ORIGINAL || h.ct === ignored) return true;
  // nf_nat_may_kill(): only a closing TCP entry
  const st = h.ct.tcp?.state ?? 0;
  if (!(st >= 4 && st <= 8)) return true;
  return !nf_ct_kill(h.ct);
}

/** nf_nat_l4proto_unique_tuple(): a free port (or ICMP id) in the range, from a random offset. */
export function nf_nat_l4proto_unique_tuple(net: Net, t: NfTuple, r: NfNatRange2, manip: number, ct: NfConn): void {
  let min: number;
  let rangeSize: number;
  let key: 'sport' | 'dport';
  const rnd16 = (): number => net.kernel.sim.rng.u32() & 0xffff;
  if (t.proto === IPPROTO_ICMP) {
    key = 'sport';
    if (!(r.flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
      min = 0;
      rangeSize = 65536;
    } else {
      min = r.minProto;
      rangeSize = r.maxProto - r.minProto + 1;
    }
  } else if (t.proto === IPPROTO_UDP || t.proto === IPPROTO_TCP || t.proto === 136 || t.proto === 132) {
    key = manip === NF_NAT_MANIP_SRC ? 'sport' : 'dport';
    if (!(r.flags & NF_NAT_RANGE_PROTO_SPECIFIED)) {
      if (manip === NF_NAT_MANIP_DST) return;
      const port = t[key];
      if (port < 1024) {
        if (port < 512) {
          min = 1;
          rangeSize = 511;
        } else {
          min = 600;
          rangeSize = 1023 - 600 + 1;
        }
      } else {
        min = 1024;
        rangeSize = 65535 - 1024 + 1;
      }
    } else {
      let lo = r.minProto;
      let hi = r.maxProto;
      if (hi < lo) [lo, hi] = [hi, lo];
      min = lo;
      rangeSize = hi - lo + 1;
    }
  } else return;

  let off: number;
  if (r.flags & NF_NAT_RANGE_PROTO_OFFSET) off = (t[key] - r.baseProto) & 0xffff;
  else if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL || manip !== NF_NAT_MANIP_DST) off = rnd16();
  else off = 0;
  let attempts = Math.min(rangeSize, NF_NAT_MAX_ATTEMPTS);
  for (;;) {
    for (let i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
      t[key] = (min + (off % rangeSize)) & 0xffff;
      if (!nf_nat_used_tuple_harder(t, ct, attempts - i)) return;
    }
    if (attempts >= rangeSize || attempts < 16) return;
    attempts = Math.floor(attempts / 2);
    off = rnd16();
  }
}

/** get_unique_tuple(): the tuple the connection will look like after this manip. */
function get_unique_tuple(net: Net, orig: NfTuple, r: NfNatRange2, ct: NfConn, manip: number): NfTuple {
  if (manip === NF_NAT_MANIP_SRC && !(r.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL)) {
    if (nf_in_range(orig, r)) {
      if (!nf_nat_used_tuple_new(orig, ct)) return { ...orig };
    } else {
      const found = find_appropriate_src(net, ct.zone, orig, r);
      if (found && !nf_nat_used_tuple(found, ct)) return found;
    }
  }
  const t: NfTuple = { ...orig };
  find_best_ips_proto(ct.zone, t, r, manip);
  if (!(r.flags & NF_NAT_RANGE_PROTO_RANDOM_ALL)) {
    if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) {
      if (
        !(r.flags & NF_NAT_RANGE_PROTO_OFFSET) &&
        l4proto_in_range(t, manip, r.minProto, r.maxProto) &&
        (r.minProto === r.maxProto || !nf_nat_used_tuple(t, ct))
      )
        return t;
    } else if (!nf_nat_used_tuple(t, ct)) return t;
  }
  nf_nat_l4proto_unique_tuple(net, t, r, manip, ct);
  return t;
}

/** nf_nat_setup_info(): binds the connection's mapping for one manip type. */
export function nf_nat_setup_info(ct: NfConn, r: NfNatRange2, manip: number): number {
  const net = ct.net;
  if (nf_ct_is_confirmed(ct)) return NF_ACCEPT;
  if (nf_nat_initialized(ct, manip)) return NF_DROP;
  const curr = nf_ct_invert_tuple(ct.tuplehash[1]) as NfTuple;
  const nt = get_unique_tuple(net, curr, r, ct, manip);
  if (!tuple_equal(nt, curr)) {
    nf_conntrack_alter_reply(ct, nf_ct_invert_tuple(nt) as NfTuple);
    ct.status |= manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
  }
  if (manip === NF_NAT_MANIP_SRC) {
    const bs = nat_net(net).bysource;
    const k = srcKey(ct.tuplehash[0]);
    let l = bs.get(k);
    if (!l) bs.set(k, (l = new Set()));
    l.add(ct);
  }
  ct.status |= manip === NF_NAT_MANIP_DST ? IPS_DST_NAT_DONE : IPS_SRC_NAT_DONE;
  return NF_ACCEPT;
}

/** nf_nat_alloc_null_binding(): no rule mapped it; the same addresses, ports unique. */
export function nf_nat_alloc_null_binding(ct: NfConn, hook: number): number {
  const manip = HOOK2MANIP(hook);
  const ip = manip === NF_NAT_MANIP_SRC ? ct.tuplehash[1].dst : ct.tuplehash[1].src;
  return nf_nat_setup_info(ct, { flags: NF_NAT_RANGE_MAP_IPS, minAddr: ip, maxAddr: ip, minProto: 0, maxProto: 0, baseProto: 0 }, manip);
}

// ------------------------------------------------------------ rewriting packets

/** nf_csum_update() → nf_nat_ipv4_csum_update(): the pseudo-header address in a transport checksum. */
function nf_csum_update(skb: SkBuff, iph: number, check: number, t: NfTuple, manip: number): void {
  const b = skb.head;
  const oldip = manip === NF_NAT_MANIP_SRC ? iph_saddr(b, iph) : iph_daddr(b, iph);
  const newip = manip === NF_NAT_MANIP_SRC ? t.src : t.dst;
  inet_proto_csum_replace4(b, check, skb, oldip, newip, true);
}

function tcp_manip_pkt(skb: SkBuff, iph: number, hdroff: number, t: NfTuple, manip: number): boolean {
  const b = skb.head;
  // an inner header quoted in an ICMP error may hold only 8 bytes: no checksum to fix
  const full = skb.tail >= hdroff + TCP_HEADER_LEN;
  if (hdroff + 8 > skb.tail) return false;
  const portOff = hdroff + (manip === NF_NAT_MANIP_SRC ? TCPH_SOURCE : TCPH_DEST);
  const newport = manip === NF_NAT_MANIP_SRC ? t.sport : t.dport;
  const oldport = rd16(b, portOff);
  wr16(b, portOff, newport);
  if (!full) return true;
  nf_csum_update(skb, iph, hdroff + TCPH_CHECK, t, manip);
  inet_proto_csum_replace2(b, hdroff + TCPH_CHECK, skb, oldport, newport, false);
  return true;
}

function udp_manip_pkt(skb: SkBuff, iph: number, hdroff: number, t: NfTuple, manip: number): boolean {
  const b = skb.head;
  if (hdroff + UDP_HEADER_LEN > skb.tail) return false;
  const portOff = hdroff + (manip === NF_NAT_MANIP_SRC ? UDPH_SOURCE : UDPH_DEST);
  const newport = manip === NF_NAT_MANIP_SRC ? t.sport : t.dport;
  // __udp_manip_pkt(): a zero checksum means none (unless the device will fill it in)
  if (udph_check(b, hdroff) || skb.ipSummed === CHECKSUM_PARTIAL) {
    nf_csum_update(skb, iph, hdroff + UDPH_CHECK, t, manip);
    inet_proto_csum_replace2(b, hdroff + UDPH_CHECK, skb, rd16(b, portOff), newport, false);
    if (!udph_check(b, hdroff)) wr16(b, hdroff + UDPH_CHECK, 0xffff); // CSUM_MANGLED_0
  }
  wr16(b, portOff, newport);
  return true;
}

const ICMP_QUERY: ReadonlySet<number> = new Set([ICMP_ECHO, ICMP_ECHOREPLY, 13, 14, 15, 16, 17, 18]);

function icmp_manip_pkt(skb: SkBuff, hdroff: number, t: NfTuple): boolean {
  const b = skb.head;
  if (hdroff + ICMP_HEADER_LEN > skb.tail) return false;
  if (!ICMP_QUERY.has(icmph_type(b, hdroff))) return true;
  inet_proto_csum_replace2(b, hdroff + ICMPH_CHECKSUM, skb, icmph_echo_id(b, hdroff), t.sport, false);
  wr16(b, hdroff + ICMPH_ECHO_ID, t.sport);
  return true;
}

function l4proto_manip_pkt(skb: SkBuff, iph: number, hdroff: number, t: NfTuple, manip: number): boolean {
  switch (t.proto) {
    case IPPROTO_TCP:
      return tcp_manip_pkt(skb, iph, hdroff, t, manip);
    case IPPROTO_UDP:
    case 136:
      return udp_manip_pkt(skb, iph, hdroff, t, manip);
    case IPPROTO_ICMP:
      return icmp_manip_pkt(skb, hdroff, t);
  }
  return true;
}

/** nf_nat_ipv4_manip_pkt(): rewrites the IP header at `iph` (absolute) and its transport header. */
function nf_nat_ipv4_manip_pkt(net: Net, skb: SkBuff, iph: number, target: NfTuple, manip: number): boolean {
  kprobe(net, skb, 'nf_nat_ipv4_manip_pkt');
  skb.unshare();
  const b = skb.head;
  if (iph + IPV4_HEADER_LEN > skb.tail) return false;
  const hdroff = iph + iph_ihl(b, iph) * 4;
  if (!l4proto_manip_pkt(skb, iph, hdroff, target, manip)) return false;
  if (manip === NF_NAT_MANIP_SRC) {
    csum_replace4(b, iph + IPH_CHECK, iph_saddr(b, iph), target.src);
    wr32(b, iph + IPH_SADDR, target.src);
  } else {
    csum_replace4(b, iph + IPH_CHECK, iph_daddr(b, iph), target.dst);
    wr32(b, iph + IPH_DADDR, target.dst);
  }
  return true;
}

/** nf_nat_manip_pkt(): make the packet look like the inverse of the other direction. */
function nf_nat_manip_pkt(skb: SkBuff, ct: NfConn, manip: number, dir: number): number {
  kprobe(ct.net, skb, 'nf_nat_manip_pkt');
  const target = nf_ct_invert_tuple(ct.tuplehash[1 - dir] as NfTuple) as NfTuple;
  return nf_nat_ipv4_manip_pkt(ct.net, skb, skb.networkHeader, target, manip) ? NF_ACCEPT : NF_DROP;
}

/** nf_nat_packet(): rewrites the packet when its direction needs this manip. */
export function nf_nat_packet(ct: NfConn, ctinfo: number, hook: number, skb: SkBuff): number {
  kprobe(ct.net, skb, 'nf_nat_packet');
  const mtype = HOOK2MANIP(hook);
  const dir = CTINFO2DIR(ctinfo);
  let statusbit = mtype === NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
  if (dir === IP_CT_DIR_REPLY) statusbit ^= IPS_NAT_MASK;
  if (ct.status & statusbit) return nf_nat_manip_pkt(skb, ct, mtype, dir);
  return NF_ACCEPT;
}

/**
 * nf_nat_icmp_reply_translation(): an ICMP error about a NATed connection:
 * the quoted header gets the addresses its sender used, the outer header
 * those of the reply. 1 when done, 0 to drop.
 */
export function nf_nat_icmp_reply_translation(skb: SkBuff, ct: NfConn, ctinfo: number, hook: number): number {
  kprobe(ct.net, skb, 'nf_nat_icmp_reply_translation');
  const dir = CTINFO2DIR(ctinfo);
  const manip = HOOK2MANIP(hook);
  const nh = skb.networkHeader;
  const hdrlen = iph_ihl(skb.head, nh) * 4;
  if (nh + hdrlen + ICMP_HEADER_LEN + IPV4_HEADER_LEN > skb.tail) return 0;
  if (nf_ip_checksum(skb, hook, hdrlen, IPPROTO_ICMP)) return 0;
  skb.unshare();
  const b = skb.head;
  if (icmph_type(b, nh + hdrlen) === ICMP_REDIRECT) {
    if ((ct.status & IPS_NAT_DONE_MASK) !== IPS_NAT_DONE_MASK) return 0;
    if (ct.status & IPS_NAT_MASK) return 0;
  }
  let statusbit = manip === NF_NAT_MANIP_SRC ? IPS_SRC_NAT : IPS_DST_NAT;
  if (dir === IP_CT_DIR_REPLY) statusbit ^= IPS_NAT_MASK;
  if (!(ct.status & statusbit)) return 1;
  if (!nf_nat_ipv4_manip_pkt(ct.net, skb, nh + hdrlen + ICMP_HEADER_LEN, ct.tuplehash[1 - dir] as NfTuple, 1 - manip)) return 0;
  if (skb.ipSummed !== CHECKSUM_PARTIAL) {
    const ic = nh + hdrlen;
    wr16(b, ic + ICMPH_CHECKSUM, 0);
    wr16(b, ic + ICMPH_CHECKSUM, csum_fold(csum_partial(b, ic, skb.tail - ic)));
  }
  const target = nf_ct_invert_tuple(ct.tuplehash[1 - dir] as NfTuple) as NfTuple;
  target.proto = IPPROTO_ICMP;
  if (!nf_nat_ipv4_manip_pkt(ct.net, skb, nh, target, manip)) return 0;
  return 1;
}

/** nf_nat_oif_changed(): a masqueraded connection now leaving by another device. */
function nf_nat_oif_changed(hook: number, ctinfo: number, ct: NfConn, out: NetDevice | null): boolean {
  return (
    ct.masqIndex !== 0 && hook === NF_INET_POST_ROUTING && CTINFO2DIR(ctinfo) === IP_CT_DIR_ORIGINAL && ct.masqIndex !== (out?.ifindex ?? 0)
  );
}

/** nf_nat_inet_fn(): the nat chain for a connection's first packet, then the rewrite. */
export function nf_nat_inet_fn(skb: SkBuff, state: NfHookState): number {
  const net = state.net;
  kprobe(net, skb, 'nf_nat_inet_fn');
  const { ct, ctinfo } = nf_ct_get(skb);
  if (!ct) return NF_ACCEPT;
  const manip = HOOK2MANIP(state.hook);
  if (ctinfo === IP_CT_RELATED || ctinfo === IP_CT_RELATED_REPLY || ctinfo === IP_CT_NEW) {
    if (!nf_nat_initialized(ct, manip)) {
      const entries = nat_net(net).lookup.get(state.hook) ?? [];
      let done = false;
      for (const e of entries) {
        const ret = e.hook(skb, state);
        if (ret !== NF_ACCEPT) return ret;
        if (nf_nat_initialized(ct, manip)) {
          done = true;
          break;
        }
      }
      if (!done) {
        const ret = nf_nat_alloc_null_binding(ct, state.hook);
        if (ret !== NF_ACCEPT) return ret;
      }
    } else if (nf_nat_oif_changed(state.hook, ctinfo, ct, state.out)) {
      nf_ct_kill(ct);
      return NF_DROP;
    }
  } else if (nf_nat_oif_changed(state.hook, ctinfo, ct, state.out)) {
    nf_ct_kill(ct);
    return NF_DROP;
  }
  return nf_nat_packet(ct, ctinfo, state.hook, skb);
}

/** nf_nat_ipv4_fn(): ICMP errors are translated, everything else goes through nf_nat_inet_fn. */
function nf_nat_ipv4_fn(skb: SkBuff, state: NfHookState): number {
  const { ct, ctinfo } = nf_ct_get(skb);
  if (!ct) return NF_ACCEPT;
  if ((ctinfo === IP_CT_RELATED || ctinfo === IP_CT_RELATED_REPLY) && iph_protocol(skb.head, skb.networkHeader) === IPPROTO_ICMP) {
    return nf_nat_icmp_reply_translation(skb, ct, ctinfo, state.hook) ? NF_ACCEPT : NF_DROP;
  }
  return nf_nat_inet_fn(skb, state);
}

/** nf_nat_ipv4_pre_routing(): DNAT; a changed destination needs a new route. */
function nf_nat_ipv4_pre_routing(skb: SkBuff, state: NfHookState): number {
  kprobe(state.net, skb, 'nf_nat_ipv4_pre_routing');
  const daddr = iph_daddr(skb.head, skb.networkHeader);
  const ret = nf_nat_ipv4_fn(skb, state);
  if (ret === NF_ACCEPT && daddr !== iph_daddr(skb.head, skb.networkHeader)) skb.dst = null;
  return ret;
}

/** nf_nat_ipv4_local_in(): SNAT on input; a socket early demux found for the old source is let go. */
function nf_nat_ipv4_local_in(skb: SkBuff, state: NfHookState): number {
  kprobe(state.net, skb, 'nf_nat_ipv4_local_in');
  const saddr = iph_saddr(skb.head, skb.networkHeader);
  const ret = nf_nat_ipv4_fn(skb, state);
  if (ret === NF_ACCEPT && skb.sk && saddr !== iph_saddr(skb.head, skb.networkHeader)) skb.sk = null;
  return ret;
}

/** nf_nat_ipv4_out(): SNAT and MASQUERADE. */
function nf_nat_ipv4_out(skb: SkBuff, state: NfHookState): number {
  kprobe(state.net, skb, 'nf_nat_ipv4_out');
  return nf_nat_ipv4_fn(skb, state);
}

/** nf_nat_ipv4_local_fn(): DNAT of locally sent packets, then ip_route_me_harder. */
function nf_nat_ipv4_local_fn(skb: SkBuff, state: NfHookState): number {
  kprobe(state.net, skb, 'nf_nat_ipv4_local_fn');
  const ret = nf_nat_ipv4_fn(skb, state);
  if (ret !== NF_ACCEPT) return ret;
  const { ct, ctinfo } = nf_ct_get(skb);
  if (ct) {
    const dir = CTINFO2DIR(ctinfo);
    if ((ct.tuplehash[dir] as NfTuple).dst !== (ct.tuplehash[1 - dir] as NfTuple).src) {
      kprobe(state.net, skb, 'ip_route_me_harder');
      const err = ip_route_me_harder(state.net, state.sk, skb, RTN_UNSPEC);
      if (err < 0) return NF_DROP;
    }
  }
  return ret;
}

const NF_IP_PRI_NAT_DST = -100;
const NF_IP_PRI_NAT_SRC = 100;

function natOps(): [number, NfHookEntry][] {
  return [
    [NF_INET_PRE_ROUTING, { priority: NF_IP_PRI_NAT_DST, name: 'nf_nat_ipv4_pre_routing', hook: nf_nat_ipv4_pre_routing }],
    [NF_INET_POST_ROUTING, { priority: NF_IP_PRI_NAT_SRC, name: 'nf_nat_ipv4_out', hook: nf_nat_ipv4_out }],
    [NF_INET_LOCAL_OUT, { priority: NF_IP_PRI_NAT_DST, name: 'nf_nat_ipv4_local_fn', hook: nf_nat_ipv4_local_fn }],
    [NF_INET_LOCAL_IN, { priority: NF_IP_PRI_NAT_SRC, name: 'nf_nat_ipv4_local_in', hook: nf_nat_ipv4_local_in }],
  ];
}

/** nf_nat_ipv4_register_fn(): a nat base chain joins nf_nat's list for its hook; the NAT hooks go in with the first. */
export function nf_nat_ipv4_register_fn(net: Net, hook: number, e: NfHookEntry): void {
  const n = nat_net(net);
  if (!n.ops) {
    n.ops = natOps();
    for (const [h, op] of n.ops) net.nfHooks.register(NFPROTO_IPV4, h, op);
  }
  let l = n.lookup.get(hook);
  if (!l) n.lookup.set(hook, (l = []));
  let i = 0;
  while (i < l.length && (l[i] as NfHookEntry).priority <= e.priority) i++;
  l.splice(i, 0, e);
  n.users++;
}

export function nf_nat_ipv4_unregister_fn(net: Net, hook: number, e: NfHookEntry): void {
  const n = nat_net(net);
  const l = n.lookup.get(hook);
  const i = l ? l.indexOf(e) : -1;
  if (!l || i < 0) return;
  l.splice(i, 1);
  if (--n.users > 0) return;
  if (n.ops) for (const [h, op] of n.ops) net.nfHooks.unregister(NFPROTO_IPV4, h, op);
  n.ops = null;
}

// ------------------------------------------------------------ targets' helpers

/** nf_nat_masquerade_ipv4(): SNAT to the outgoing device's address for the next hop. */
export function nf_nat_masquerade_ipv4(skb: SkBuff, hook: number, r: NfNatRange2, out: NetDevice | null): number {
  const net = (out ?? skb.dev)?.net as Net;
  kprobe(net, skb, 'nf_nat_masquerade_ipv4');
  const { ct, ctinfo } = nf_ct_get(skb);
  if (!ct || !(ctinfo === IP_CT_NEW || ctinfo === IP_CT_RELATED || ctinfo === IP_CT_RELATED_REPLY)) return NF_ACCEPT;
  void hook;
  if (ct.tuplehash[0].src === 0) return NF_ACCEPT;
  const rt = skb.dst;
  if (!rt || !out) return NF_DROP;
  const nh = rt.gw4 || iph_daddr(skb.head, skb.networkHeader);
  const newsrc = inet_select_addr(net, out, nh, 0);
  if (!newsrc) return NF_DROP;
  ct.masqIndex = out.ifindex;
  return nf_nat_setup_info(
    ct,
    {
      flags: r.flags | NF_NAT_RANGE_MAP_IPS,
      minAddr: newsrc,
      maxAddr: newsrc,
      minProto: r.minProto,
      maxProto: r.maxProto,
      baseProto: r.baseProto,
    },
    NF_NAT_MANIP_SRC,
  );
}

/** nf_nat_redirect_ipv4(): DNAT to the receiving device's first address (127.0.0.1 on output). */
export function nf_nat_redirect_ipv4(skb: SkBuff, r: NfNatRange2, hook: number): number {
  const { ct } = nf_ct_get(skb);
  if (!ct) return NF_ACCEPT;
  kprobe(ct.net, skb, 'nf_nat_redirect_ipv4');
  let newdst = 0;
  if (hook === NF_INET_LOCAL_OUT) newdst = 0x7f000001;
  else {
    const ifa = skb.dev?.ipPtr?.ifaList[0];
    if (ifa) newdst = ifa.local;
    if (!newdst) return NF_DROP;
  }
  return nf_nat_setup_info(
    ct,
    {
      flags: r.flags | NF_NAT_RANGE_MAP_IPS,
      minAddr: newdst,
      maxAddr: newdst,
      minProto: r.minProto,
      maxProto: r.maxProto,
      baseProto: r.baseProto,
    },
    NF_NAT_MANIP_DST,
  );
}

/**
 * masq_device_event(): when a device goes down, the connections masqueraded
 * out of it are forgotten (nf_nat_masq_schedule with device_cmp; Linux does
 * it from a work item, here at once).
 */
export function masq_device_event(event: string, dev: NetDevice): void {
  if (event !== 'DOWN' || !dev.net) return;
  for (const ct of nf_ct_entries(dev.net)) if (ct.masqIndex === dev.ifindex) nf_ct_kill(ct);
}
