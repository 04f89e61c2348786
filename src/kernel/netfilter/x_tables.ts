// The iptables rule set of a namespace as iptables-nft 1.8.9 builds it on
// nf_tables: tables, chains, rules with xtables matches and targets, and the
// evaluator (net/netfilter/nf_tables_core.c nft_do_chain). Base chains are
// registered as hooks (nft_do_chain_ipv4) when they are first created.
import type { NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { inet_addr_type_dev_table } from '../ipv4/route.ts';
import { IP_OFFSET, iph_daddr, iph_frag_off, iph_ihl, iph_protocol, iph_saddr, iph_tot_len, rd16 } from '../ipv4/iphdr.ts';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_INET_FORWARD,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NF_STOLEN,
  NFPROTO_IPV4,
  type NfHookEntry,
  type NfHookState,
} from './core.ts';
import { reject_tg, type RejectWith } from './ipt_REJECT.ts';
import {
  IP_CT_IS_REPLY,
  IP_CT_UNTRACKED,
  IPS_DST_NAT,
  IPS_SRC_NAT,
  nf_ct_expires,
  IPCT_MARK,
  nf_conntrack_event_cache,
  nf_ct_get,
  nf_ct_netns_get,
  nf_ct_netns_put,
  nf_ct_set,
  type NfConn,
} from './nf_conntrack.ts';
import {
  NF_NAT_MANIP_DST,
  NF_NAT_MANIP_SRC,
  nf_nat_ipv4_register_fn,
  nf_nat_ipv4_unregister_fn,
  nf_nat_masquerade_ipv4,
  nf_nat_redirect_ipv4,
  nf_nat_setup_info,
  type NfNatRange2,
} from './nf_nat.ts';
import { nf_log_ip_packet } from './nf_log_syslog.ts';

/** ipt_ip.invflags */
export const IPT_INV_VIA_IN = 0x01;
export const IPT_INV_VIA_OUT = 0x02;
export const IPT_INV_SRCIP = 0x08;
export const IPT_INV_DSTIP = 0x10;
export const IPT_INV_FRAG = 0x20;
export const IPT_INV_PROTO = 0x40;

export const XT_LIMIT_SCALE = 10000;

export type PortRange = [number, number];

export type MatchSpec =
  | { name: 'tcp'; spts: PortRange; dpts: PortRange; flgMask: number; flgCmp: number; option: number; invflags: number }
  | { name: 'udp'; spts: PortRange; dpts: PortRange; invflags: number }
  | { name: 'icmp'; type: number; code: [number, number]; invert: boolean }
  | { name: 'multiport'; flags: 'src' | 'dst' | 'any'; ports: PortRange[]; invert: boolean }
  | { name: 'comment'; comment: string }
  | { name: 'mark'; mark: number; mask: number; invert: boolean }
  | { name: 'length'; min: number; max: number; invert: boolean }
  | { name: 'ttl'; mode: 'eq' | 'ne' | 'lt' | 'gt'; ttl: number }
  | { name: 'iprange'; src: PortRange | null; dst: PortRange | null; invSrc: boolean; invDst: boolean }
  | { name: 'addrtype'; source: number; dest: number; invSource: boolean; invDest: boolean; limitIn: boolean; limitOut: boolean }
  | { name: 'limit'; avg: number; burst: number; state: { credit: number; creditCap: number; cost: number; prev: number } | null }
  | ConntrackMatch
  | { name: 'state'; statemask: number; invert: boolean }
  | { name: 'connmark'; mark: number; mask: number; invert: boolean };

/** xt_conntrack_mtinfo3: the options given (flags) and which are negated (invflags). */
export interface ConntrackMatch {
  name: 'conntrack';
  flags: number;
  invflags: number;
  statemask: number;
  statusmask: number;
  l4proto: number;
  origsrc: [number, number];
  origdst: [number, number];
  replsrc: [number, number];
  repldst: [number, number];
  origsrcPort: PortRange;
  origdstPort: PortRange;
  replsrcPort: PortRange;
  repldstPort: PortRange;
  expires: PortRange;
}

export const XT_CONNTRACK_STATE = 1 << 0;
export const XT_CONNTRACK_PROTO = 1 << 1;
export const XT_CONNTRACK_ORIGSRC = 1 << 2;
export const XT_CONNTRACK_ORIGDST = 1 << 3;
export const XT_CONNTRACK_REPLSRC = 1 << 4;
export const XT_CONNTRACK_REPLDST = 1 << 5;
export const XT_CONNTRACK_STATUS = 1 << 6;
export const XT_CONNTRACK_EXPIRES = 1 << 7;
export const XT_CONNTRACK_ORIGSRC_PORT = 1 << 8;
export const XT_CONNTRACK_ORIGDST_PORT = 1 << 9;
export const XT_CONNTRACK_REPLSRC_PORT = 1 << 10;
export const XT_CONNTRACK_REPLDST_PORT = 1 << 11;
export const XT_CONNTRACK_DIRECTION = 1 << 12;
export const XT_CONNTRACK_STATE_ALIAS = 1 << 13;

/** State bits of xt_conntrack and xt_state: XT_CONNTRACK_STATE_BIT(ctinfo) and the extras. */
export const XT_STATE_INVALID = 1 << 0;
export const XT_STATE_BIT = (ctinfo: number): number => 1 << ((ctinfo % IP_CT_IS_REPLY) + 1);
export const XT_STATE_UNTRACKED = 1 << (IP_CT_IS_REPLY + 1);
export const XT_CONNTRACK_STATE_SNAT = 1 << 8;
export const XT_CONNTRACK_STATE_DNAT = 1 << 9;
export const XT_CONNTRACK_STATE_UNTRACKED = 1 << 10;

export const XT_CONNMARK_SET = 0;
export const XT_CONNMARK_SAVE = 1;
export const XT_CONNMARK_RESTORE = 2;

/** xt_tcpudp inverse flags */
export const XT_TCP_INV_SRCPT = 0x01;
export const XT_TCP_INV_DSTPT = 0x02;
export const XT_TCP_INV_FLAGS = 0x04;
export const XT_TCP_INV_OPTION = 0x08;

export type TargetSpec =
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'jump'; chain: string; goto: boolean }
  | { kind: 'REJECT'; with: RejectWith }
  | { kind: 'LOG'; prefix: string | null; level: number; flags: number }
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT'; range: NfNatRange2 }
  | { kind: 'CT'; notrack: boolean; zone: number; alias: boolean }
  | { kind: 'CONNMARK'; mode: number; ctmark: number; ctmask: number; nfmask: number }
  | { kind: 'none' };

export interface RuleSpec {
  src: number;
  smsk: number;
  dst: number;
  dmsk: number;
  iniface: string;
  outiface: string;
  /** 0: all */
  proto: number;
  invflags: number;
  /** -f: 1 fragments only, 0 none */
  frag: boolean;
  matches: MatchSpec[];
  target: TargetSpec;
}

export interface Rule {
  spec: RuleSpec;
  pcnt: number;
  bcnt: number;
}

export interface Chain {
  name: string;
  /** NF_INET_* for a base chain, -1 for a user chain. */
  hook: number;
  policy: number;
  /**
   * The base chain has counters (NFTA_CHAIN_COUNTERS). iptables-nft sends them
   * only when it sets a policy (-P, iptables-restore) or zeroes the chain
   * (-Z); a chain created by its first rule counts nothing at its policy.
   */
  stats: boolean;
  pcnt: number;
  bcnt: number;
  rules: Rule[];
  /** The hook entry while the base chain exists in the kernel. */
  entry: NfHookEntry | null;
}

export interface TableDef {
  name: string;
  priority: number;
  hooks: number[];
}

export const HOOK_NAMES = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;

export const TABLES: readonly TableDef[] = [
  { name: 'raw', priority: -300, hooks: [NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT] },
  { name: 'mangle', priority: -150, hooks: [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING] },
  { name: 'filter', priority: 0, hooks: [NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT] },
  { name: 'security', priority: 50, hooks: [NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT] },
  // nat chains sit in nf_nat's lists: dstnat (-100) on PREROUTING/OUTPUT, srcnat (100) on INPUT/POSTROUTING
  { name: 'nat', priority: -100, hooks: [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING] },
];

export class Table {
  /** Chains in the kernel, in creation order. */
  readonly chains = new Map<string, Chain>();
  constructor(
    readonly net: Net,
    readonly def: TableDef,
  ) {}

  builtin(name: string): number {
    const i = HOOK_NAMES.indexOf(name as (typeof HOOK_NAMES)[number]);
    return i >= 0 && this.def.hooks.includes(i) ? i : -1;
  }

  /** Creates a base chain (registers its hook) or a user chain. */
  addChain(name: string): Chain {
    const hook = this.builtin(name);
    const c: Chain = { name, hook, policy: NF_ACCEPT, stats: false, pcnt: 0, bcnt: 0, rules: [], entry: null };
    this.chains.set(name, c);
    if (hook >= 0) {
      const table = this;
      if (this.def.name === 'nat') {
        // nft_nat_do_chain, called by nf_nat_inet_fn for a connection's first packet
        c.entry = {
          priority: hook === NF_INET_LOCAL_IN || hook === NF_INET_POST_ROUTING ? 100 : -100,
          name: 'nft_nat_do_chain',
          hook: (skb, state) => nft_do_chain(table, c, skb, state),
        };
        nf_nat_ipv4_register_fn(this.net, hook, c.entry);
      } else {
        c.entry = {
          priority: this.def.priority,
          name: 'nft_do_chain_ipv4',
          hook: (skb, state) => nft_do_chain(table, c, skb, state),
        };
        this.net.nfHooks.register(NFPROTO_IPV4, hook, c.entry);
      }
    }
    return c;
  }

  delChain(c: Chain): void {
    if (c.entry) {
      if (this.def.name === 'nat') nf_nat_ipv4_unregister_fn(this.net, c.hook, c.entry);
      else this.net.nfHooks.unregister(NFPROTO_IPV4, c.hook, c.entry);
    }
    this.chains.delete(c.name);
  }

  /** Number of rules that jump or go to `name`. */
  references(name: string): number {
    let n = 0;
    for (const c of this.chains.values()) for (const r of c.rules) if (r.spec.target.kind === 'jump' && r.spec.target.chain === name) n++;
    return n;
  }
}

/** The iptables state of one namespace: the tables that exist in its kernel. */
export class XtNet {
  readonly tables = new Map<string, Table>();
  /** Rules holding a conntrack reference (nf_ct_netns_get from their checkentry). */
  ctUsers = 0;
  constructor(readonly net: Net) {}

  /**
   * The rules' conntrack references follow the rule set: a NAT target, a
   * conntrack/state/connmark match or a CT/CONNMARK target takes one
   * (xt_nat_checkentry, conntrack_mt_check, ...), its removal gives it back.
   */
  syncConntrack(): void {
    let n = 0;
    for (const t of this.tables.values()) for (const c of t.chains.values()) for (const r of c.rules) if (ruleNeedsConntrack(r.spec)) n++;
    while (this.ctUsers < n) {
      nf_ct_netns_get(this.net);
      this.ctUsers++;
    }
    while (this.ctUsers > n) {
      nf_ct_netns_put(this.net);
      this.ctUsers--;
    }
  }

  table(name: string, create: boolean): Table | null {
    let t = this.tables.get(name);
    if (!t && create) {
      const def = TABLES.find((d) => d.name === name);
      if (!def) return null;
      t = new Table(this.net, def);
      this.tables.set(name, t);
    }
    return t ?? null;
  }
}

/** Does the rule's checkentry take a conntrack reference? */
export function ruleNeedsConntrack(s: RuleSpec): boolean {
  if (s.matches.some((m) => m.name === 'conntrack' || m.name === 'state' || m.name === 'connmark')) return true;
  const k = s.target.kind;
  return k === 'SNAT' || k === 'DNAT' || k === 'MASQUERADE' || k === 'REDIRECT' || k === 'CONNMARK' || (k === 'CT' && !s.target.notrack) // xt_ct_tg_check(): --notrack and NOTRACK take none;
}

export function xt_net(net: Net): XtNet {
  return (net.nft ??= new XtNet(net));
}

/** xt_limit's user2credits() with HZ of the kernel. */
function limitCredits(net: Net, user: number): number {
  const HZ = net.kernel.HZ;
  const maxCpj = Math.floor(0xffffffff / (HZ * 60 * 60 * 24));
  let cpj = 1;
  while (cpj * 2 <= maxCpj) cpj *= 2;
  if (user > Math.floor(0xffffffff / (HZ * cpj))) return Math.floor(user / XT_LIMIT_SCALE) * HZ * cpj;
  return Math.floor((user * HZ * cpj) / XT_LIMIT_SCALE);
}

/** limit_mt_check(): the bucket starts full. */
export function limit_init(net: Net, m: MatchSpec & { name: 'limit' }): void {
  const credit = limitCredits(net, m.avg * m.burst);
  m.state = { credit, creditCap: credit, cost: limitCredits(net, m.avg), prev: net.kernel.jiffies() };
}

interface Pkt {
  net: Net;
  skb: SkBuff;
  state: NfHookState;
  nh: number;
  thoff: number;
  fragoff: number;
  proto: number;
}

function ifaceMatch(dev: NetDevice | null, pat: string): boolean {
  if (!pat) return true;
  const name = dev ? dev.name : '';
  if (pat.endsWith('+')) return name.startsWith(pat.slice(0, -1));
  return name === pat;
}

function inRange(v: number, r: PortRange): boolean {
  return v >= r[0] && v <= r[1];
}

/** ip_packet_match() */
function ip_packet_match(p: Pkt, s: RuleSpec): boolean {
  const b = p.skb.head;
  const inv = (flag: number, cond: boolean): boolean => (s.invflags & flag ? !cond : cond);
  if (!inv(IPT_INV_SRCIP, ((iph_saddr(b, p.nh) & s.smsk) >>> 0) === s.src)) return false;
  if (!inv(IPT_INV_DSTIP, ((iph_daddr(b, p.nh) & s.dmsk) >>> 0) === s.dst)) return false;
  if (s.iniface && !inv(IPT_INV_VIA_IN, ifaceMatch(p.state.in, s.iniface))) return false;
  if (s.outiface && !inv(IPT_INV_VIA_OUT, ifaceMatch(p.state.out, s.outiface))) return false;
  if (s.proto && !inv(IPT_INV_PROTO, p.proto === s.proto)) return false;
  if (s.frag && !inv(IPT_INV_FRAG, p.fragoff !== 0)) return false;
  return true;
}

function ports(p: Pkt): [number, number] | null {
  if (p.fragoff) return null;
  if (p.thoff + 4 > p.skb.tail) return null;
  return [rd16(p.skb.head, p.thoff), rd16(p.skb.head, p.thoff + 2)];
}

function match_one(p: Pkt, m: MatchSpec): boolean {
  const b = p.skb.head;
  switch (m.name) {
    case 'tcp': {
      if (p.fragoff || p.thoff + 20 > p.skb.tail) return false;
      const sp = rd16(b, p.thoff);
      const dp = rd16(b, p.thoff + 2);
      if (inRange(sp, m.spts) === !!(m.invflags & XT_TCP_INV_SRCPT)) return false;
      if (inRange(dp, m.dpts) === !!(m.invflags & XT_TCP_INV_DSTPT)) return false;
      const flags = b[p.thoff + 13] as number;
      if (((flags & m.flgMask) === m.flgCmp) === !!(m.invflags & XT_TCP_INV_FLAGS)) return false;
      return true;
    }
    case 'udp': {
      const pp = ports(p);
      if (!pp) return false;
      if (inRange(pp[0], m.spts) === !!(m.invflags & XT_TCP_INV_SRCPT)) return false;
      if (inRange(pp[1], m.dpts) === !!(m.invflags & XT_TCP_INV_DSTPT)) return false;
      return true;
    }
    case 'icmp': {
      if (p.fragoff || p.thoff + 2 > p.skb.tail) return false;
      const t = b[p.thoff] as number;
      const c = b[p.thoff + 1] as number;
      // icmp_type_code_match(): type 0xFF matches any
      const hit = m.type === 0xff || (t === m.type && c >= m.code[0] && c <= m.code[1]);
      return hit !== m.invert;
    }
    case 'multiport': {
      const pp = ports(p);
      if (!pp) return false;
      let hit = false;
      for (const r of m.ports) {
        if ((m.flags !== 'dst' && inRange(pp[0], r)) || (m.flags !== 'src' && inRange(pp[1], r))) {
          hit = true;
          break;
        }
      }
      return hit !== m.invert;
    }
    case 'comment':
      return true;
    case 'mark':
      return (((p.skb.mark & m.mask) >>> 0) === m.mark) !== m.invert;
    case 'length': {
      const len = iph_tot_len(b, p.nh);
      return (len >= m.min && len <= m.max) !== m.invert;
    }
    case 'ttl': {
      const ttl = b[p.nh + 8] as number;
      if (m.mode === 'eq') return ttl === m.ttl;
      if (m.mode === 'ne') return ttl !== m.ttl;
      if (m.mode === 'lt') return ttl < m.ttl;
      return ttl > m.ttl;
    }
    case 'iprange': {
      if (m.src && inRange(iph_saddr(b, p.nh), m.src) === m.invSrc) return false;
      if (m.dst && inRange(iph_daddr(b, p.nh), m.dst) === m.invDst) return false;
      return true;
    }
    case 'addrtype': {
      // addrtype_mt_v1(): the type of each address, optionally limited to a device
      const typeOf = (addr: number, dev: NetDevice | null): number => 1 << inet_addr_type_dev_table(p.net, dev, addr);
      if (m.source && ((typeOf(iph_saddr(b, p.nh), m.limitIn ? p.state.in : m.limitOut ? p.state.out : null) & m.source) !== 0) === m.invSource) return false;
      if (m.dest && ((typeOf(iph_daddr(b, p.nh), m.limitIn ? p.state.in : m.limitOut ? p.state.out : null) & m.dest) !== 0) === m.invDest) return false;
      return true;
    }
    case 'conntrack':
      return conntrack_mt(p, m);
    case 'state': {
      // state_mt()
      const { ct, ctinfo } = nf_ct_get(p.skb);
      const bit = ct ? XT_STATE_BIT(ctinfo) : ctinfo === IP_CT_UNTRACKED ? XT_STATE_UNTRACKED : XT_STATE_INVALID;
      return ((m.statemask & bit) !== 0) !== m.invert;
    }
    case 'connmark': {
      const { ct } = nf_ct_get(p.skb);
      if (!ct) return false;
      return (((ct.mark & m.mask) >>> 0) === m.mark) !== m.invert;
    }
    case 'limit': {
      // limit_mt(): the token bucket, refilled per jiffy
      if (!m.state) limit_init(p.net, m);
      const st = m.state as NonNullable<typeof m.state>;
      const now = p.net.kernel.jiffies();
      const HZ = p.net.kernel.HZ;
      const maxCpj = Math.floor(0xffffffff / (HZ * 60 * 60 * 24));
      let cpj = 1;
      while (cpj * 2 <= maxCpj) cpj *= 2;
      st.credit += ((now - st.prev) >>> 0) * cpj;
      st.prev = now;
      if (st.credit > st.creditCap) st.credit = st.creditCap;
      if (st.credit >= st.cost) {
        st.credit -= st.cost;
        return true;
      }
      return false;
    }
  }
}

function addrIn(a: number, am: [number, number]): boolean {
  return ((a & am[1]) >>> 0) === ((am[0] & am[1]) >>> 0);
}

/** conntrack_mt() (xt_conntrack.c, revision 3). */
function conntrack_mt(p: Pkt, m: ConntrackMatch): boolean {
  const { ct, ctinfo } = nf_ct_get(p.skb);
  let statebit: number;
  if (ct) statebit = XT_STATE_BIT(ctinfo);
  else if (ctinfo === IP_CT_UNTRACKED) statebit = XT_CONNTRACK_STATE_UNTRACKED;
  else statebit = XT_STATE_INVALID;
  const inv = (flag: number): boolean => (m.invflags & flag) !== 0;
  if (m.flags & XT_CONNTRACK_STATE) {
    if (ct) {
      if (ct.status & IPS_SRC_NAT) statebit |= XT_CONNTRACK_STATE_SNAT;
      if (ct.status & IPS_DST_NAT) statebit |= XT_CONNTRACK_STATE_DNAT;
    }
    if (((statebit & m.statemask) !== 0) === inv(XT_CONNTRACK_STATE)) return false;
  }
  if (!ct) return (m.flags & ~XT_CONNTRACK_STATE & ~XT_CONNTRACK_STATE_ALIAS) === 0;
  const c = ct as NfConn;
  const o = c.tuplehash[0];
  const r = c.tuplehash[1];
  if (m.flags & XT_CONNTRACK_DIRECTION && (ctinfo >= IP_CT_IS_REPLY) !== inv(XT_CONNTRACK_DIRECTION)) return false;
  if (m.flags & XT_CONNTRACK_ORIGSRC && addrIn(o.src, m.origsrc) === inv(XT_CONNTRACK_ORIGSRC)) return false;
  if (m.flags & XT_CONNTRACK_ORIGDST && addrIn(o.dst, m.origdst) === inv(XT_CONNTRACK_ORIGDST)) return false;
  if (m.flags & XT_CONNTRACK_REPLSRC && addrIn(r.src, m.replsrc) === inv(XT_CONNTRACK_REPLSRC)) return false;
  if (m.flags & XT_CONNTRACK_REPLDST && addrIn(r.dst, m.repldst) === inv(XT_CONNTRACK_REPLDST)) return false;
  // ct_proto_port_check_v3()
  if (m.flags & XT_CONNTRACK_PROTO && (o.proto === m.l4proto) === inv(XT_CONNTRACK_PROTO)) return false;
  const port = (v: number, rg: PortRange, flag: number): boolean => (v >= rg[0] && v <= rg[1]) !== inv(flag);
  if (m.flags & XT_CONNTRACK_ORIGSRC_PORT && !port(o.sport, m.origsrcPort, XT_CONNTRACK_ORIGSRC_PORT)) return false;
  if (m.flags & XT_CONNTRACK_ORIGDST_PORT && !port(o.dport, m.origdstPort, XT_CONNTRACK_ORIGDST_PORT)) return false;
  if (m.flags & XT_CONNTRACK_REPLSRC_PORT && !port(r.sport, m.replsrcPort, XT_CONNTRACK_REPLSRC_PORT)) return false;
  if (m.flags & XT_CONNTRACK_REPLDST_PORT && !port(r.dport, m.repldstPort, XT_CONNTRACK_REPLDST_PORT)) return false;
  if (m.flags & XT_CONNTRACK_STATUS && ((c.status & m.statusmask) !== 0) === inv(XT_CONNTRACK_STATUS)) return false;
  if (m.flags & XT_CONNTRACK_EXPIRES) {
    const expires = Math.floor(nf_ct_expires(c) / p.net.kernel.HZ);
    if ((expires >= m.expires[0] && expires <= m.expires[1]) === inv(XT_CONNTRACK_EXPIRES)) return false;
  }
  return true;
}

const VERDICT_NAMES: Record<number, string> = { 0: 'DROP', 1: 'ACCEPT', 2: 'STOLEN', 3: 'QUEUE', 4: 'REPEAT', 5: 'STOP' };

const XT_CONTINUE = -1;
const XT_RETURN = -2;

/** The rule's target: a verdict, XT_CONTINUE, XT_RETURN, or a chain to enter. */
function target_eval(p: Pkt, t: TargetSpec): number {
  switch (t.kind) {
    case 'verdict':
      return t.verdict === 'ACCEPT' ? NF_ACCEPT : t.verdict === 'DROP' ? NF_DROP : XT_RETURN;
    case 'REJECT':
      return reject_tg(p.net, p.skb, p.state, t.with);
    case 'LOG':
      // log_tg() → nf_log_packet(): off in a namespace other than init_net
      // unless init_net's net.netfilter.nf_log_all_netns is set; the packet goes on.
      nf_log_ip_packet(p.net, p.skb, p.state.in, p.state.out, t.level, t.flags, t.prefix ?? '');
      return XT_CONTINUE;
    case 'MARK':
      p.skb.mark = ((p.skb.mark & ~t.mask) ^ t.value) >>> 0;
      return XT_CONTINUE;
    case 'SNAT':
    case 'DNAT': {
      // xt_snat_target_v2 / xt_dnat_target_v2
      kprobe(p.net, p.skb, t.kind === 'SNAT' ? 'xt_snat_target_v2' : 'xt_dnat_target_v2');
      const { ct } = nf_ct_get(p.skb);
      if (!ct) return NF_ACCEPT;
      return nf_nat_setup_info(ct, t.range, t.kind === 'SNAT' ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST);
    }
    case 'MASQUERADE':
      kprobe(p.net, p.skb, 'masquerade_tg');
      return nf_nat_masquerade_ipv4(p.skb, p.state.hook, t.range, p.state.out);
    case 'REDIRECT':
      kprobe(p.net, p.skb, 'redirect_tg4');
      return nf_nat_redirect_ipv4(p.skb, t.range, p.state.hook);
    case 'CT':
      // xt_ct_target(): a template (zone) or untracked; once tracked, nothing to do
      if (p.skb._nfct || p.skb.nfctinfo === IP_CT_UNTRACKED) return XT_CONTINUE;
      if (t.notrack) nf_ct_set(p.skb, null, IP_CT_UNTRACKED);
      else if (t.zone) p.skb.nfctZoneTmpl = t.zone;
      return XT_CONTINUE;
    case 'CONNMARK': {
      // connmark_tg_shift() with no shift
      const { ct } = nf_ct_get(p.skb);
      if (!ct) return XT_CONTINUE;
      const before = ct.mark;
      if (t.mode === XT_CONNMARK_SET) ct.mark = ((ct.mark & ~t.ctmask) ^ t.ctmark) >>> 0;
      else if (t.mode === XT_CONNMARK_SAVE) ct.mark = ((ct.mark & ~t.ctmask) ^ (p.skb.mark & t.nfmask)) >>> 0;
      else p.skb.mark = ((p.skb.mark & ~t.nfmask) ^ (ct.mark & t.ctmask)) >>> 0;
      if (ct.mark !== before) nf_conntrack_event_cache(IPCT_MARK, ct);
      return XT_CONTINUE;
    }
    case 'none':
    case 'jump':
      return XT_CONTINUE;
  }
}

/**
 * nft_do_chain(): walks the base chain with a jump stack. A DROP frees the
 * skb here (NETFILTER_DROP @nft_do_chain) and the hook returns NF_STOLEN.
 */
export function nft_do_chain(table: Table, base: Chain, skb: SkBuff, state: NfHookState): number {
  const net = state.net;
  const ev = kprobe(net, skb, 'nft_do_chain');
  const b = skb.head;
  const nh = skb.networkHeader;
  const p: Pkt = {
    net,
    skb,
    state,
    nh,
    thoff: nh + iph_ihl(b, nh) * 4,
    fragoff: iph_frag_off(b, nh) & IP_OFFSET,
    proto: iph_protocol(b, nh),
  };
  const stack: { chain: Chain; next: number }[] = [];
  let chain = base;
  let i = 0;
  let verdict = -100;
  /** Which rule decided, for `skbpath drops` (chain name and 1-based number as iptables -L --line-numbers shows). */
  let decidedBy = '';
  let hitChain = base.name;
  let hitRule = 0;
  let hitTarget = 'policy';
  for (;;) {
    if (i >= chain.rules.length) {
      const up = stack.pop();
      if (!up) break;
      chain = up.chain;
      i = up.next;
      continue;
    }
    const r = chain.rules[i] as Rule;
    i++;
    if (!ip_packet_match(p, r.spec)) continue;
    let ok = true;
    for (const m of r.spec.matches) {
      if (!match_one(p, m)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    r.pcnt++;
    r.bcnt += skb.len;
    const t = r.spec.target;
    if (t.kind === 'jump') {
      const to = table.chains.get(t.chain);
      if (!to) continue;
      if (!t.goto) stack.push({ chain, next: i });
      chain = to;
      i = 0;
      continue;
    }
    const v = target_eval(p, t);
    if (v === XT_CONTINUE) continue;
    if (v === XT_RETURN) {
      const up = stack.pop();
      if (!up) break;
      chain = up.chain;
      i = up.next;
      continue;
    }
    verdict = v;
    decidedBy = `rule ${i} of chain ${chain.name}`;
    hitChain = chain.name;
    hitRule = i;
    hitTarget = t.kind === 'verdict' ? t.verdict : t.kind === 'CT' && t.alias ? 'NOTRACK' : t.kind;
    break;
  }
  if (verdict === -100) {
    decidedBy = `the policy of chain ${base.name}`;
    // the policy; nft_update_chain_stats() when the chain has counters
    if (base.stats) {
      base.pcnt++;
      base.bcnt += skb.len;
    }
    verdict = base.policy;
  }
  if (ev) ev.nf = { table: table.def.name, chain: hitChain, rule: hitRule, target: hitTarget, verdict: VERDICT_NAMES[verdict & 0xff] ?? String(verdict), hook: HOOK_NAMES[base.hook] ?? base.name };
  if (verdict === NF_DROP) {
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NETFILTER_DROP, 'nft_do_chain', () => `iptables -t ${table.def.name}: ${decidedBy} (${HOOK_NAMES[base.hook] ?? base.name} hook)`);
    // NF_DROP_REASON(skb, NETFILTER_DROP, EPERM): nf_hook_slow hands -EPERM to the caller
    return NF_STOLEN | (1 << 16);
  }
  return verdict;
}
