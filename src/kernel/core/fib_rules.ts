// net/core/fib_rules.c with the IPv4 ops of net/ipv4/fib_rules.c and the
// IPv6 ops of net/ipv6/fib6_rules.c: the policy routing rules of a namespace
// (IPv4: 0 local, 32766 main, 32767 default; IPv6: 0 local, 32766 main), the
// RTM_NEWRULE/DELRULE/GETRULE handlers and fib_rules_lookup() (IPv6's walk,
// fib6_rule_lookup, is in ipv6/route.ts and uses fib6_rule_match here).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EAFNOSUPPORT, EACCES, EAGAIN, EEXIST, EINVAL, ENETUNREACH, ENOENT, ESRCH } from '../uapi/errno.ts';
import {
  FIB_RULE_IIF_DETACHED,
  FIB_RULE_INVERT,
  FIB_RULE_OIF_DETACHED,
  FIB_RULE_UNRESOLVED,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_PROHIBIT,
  FR_ACT_TO_TBL,
  FR_ACT_UNREACHABLE,
  type FibRulePortRange,
  type FibRuleUidRange,
  fib_rule_hdr,
  NLM_F_EXCL,
  type NlAck,
  nlAck,
  type RuleMsg,
} from '../uapi/rtnetlink_route.ts';
import type { Fib, FibResult, Flowi4 } from '../ipv4/fib.ts';
import { fib6_net, fib6_new_table } from '../ipv6/ip6_fib.ts';
import type { Flowi6 } from '../ipv6/route_types.ts';

const AF_INET = 2;
const AF_INET6 = 10;
const RTPROT_KERNEL = 2;
const RT_TABLE_DEFAULT = 253;
const RT_TABLE_MAIN = 254;
const RT_TABLE_LOCAL = 255;
/** FR_ACT_MAX (a literal: uapi and this file import each other) */
const FR_ACT_MAX = 8;
/** The ECN bits of the DS field, and IPTOS_TOS_MASK */
const INET_ECN_MASK = 3;
const IPTOS_TOS_MASK = 0x1e;

/** struct fib_rule with struct fib4_rule's fields. */
export interface FibRule {
  pref: number;
  table: number;
  action: number;
  flags: number;
  /** 0 or the goto target's pref */
  target: number;
  /** The rule a goto jumps to (null: unresolved). */
  ctarget: FibRule | null;
  /** The device names the rule matches ('' any); attach_rules()/detach_rules() follow them, so they are resolved when used. */
  iifname: string;
  oifname: string;
  mark: number;
  markMask: number;
  suppressPrefixlen: number;
  suppressIfgroup: number;
  proto: number;
  ipProto: number;
  sport: FibRulePortRange | null;
  dport: FibRulePortRange | null;
  uid: FibRuleUidRange | null;
  l3mdev: number;
  flow: number;
  src: number;
  srcLen: number;
  srcMask: number;
  dst: number;
  dstLen: number;
  dstMask: number;
  tos: number;
  /** struct fib6_rule's src/dst (addresses as given: IPv6 does not mask them) */
  src6: Uint8Array | null;
  dst6: Uint8Array | null;
}

function newRule(init: Partial<FibRule>): FibRule {
  return {
    pref: 0,
    table: 0,
    action: FR_ACT_TO_TBL,
    flags: 0,
    target: 0,
    ctarget: null,
    iifname: '',
    oifname: '',
    mark: 0,
    markMask: 0,
    suppressPrefixlen: -1,
    suppressIfgroup: -1,
    proto: 0,
    ipProto: 0,
    sport: null,
    dport: null,
    uid: null,
    l3mdev: 0,
    flow: 0,
    src: 0,
    srcLen: 0,
    srcMask: 0,
    dst: 0,
    dstLen: 0,
    dstMask: 0,
    tos: 0,
    src6: null,
    dst6: null,
    ...init,
  };
}

/** net->ipv4.rules_ops: the IPv4 rules list, in order. */
export class FibRules {
  readonly list: FibRule[] = [];
  /** net->ipv4.fib_rules_require_fldissect: rules that match on ipproto or ports (input lookups dissect the packet). */
  requireFldissect = 0;

  constructor(readonly family: number = AF_INET) {
    // fib_default_rules_init() / fib6_default_rules_init()
    this.list.push(newRule({ pref: 0, table: RT_TABLE_LOCAL, proto: RTPROT_KERNEL }));
    this.list.push(newRule({ pref: 0x7ffe, table: RT_TABLE_MAIN, proto: RTPROT_KERNEL }));
    if (family === AF_INET) this.list.push(newRule({ pref: 0x7fff, table: RT_TABLE_DEFAULT, proto: RTPROT_KERNEL }));
  }
}

/** The rules of a family: net->ipv4.rules_ops or net->ipv6.fib6_rules_ops. */
function rulesOf(net: Net, family: number): FibRules {
  return family === AF_INET6 ? fib6_net(net).rules : net.fib.rules;
}

/** ipv6_prefix_equal() */
function in6PrefixEqual(a: Uint8Array, b: Uint8Array, plen: number): boolean {
  const whole = plen >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const bits = plen & 7;
  if (!bits) return true;
  const m = (0xff << (8 - bits)) & 0xff;
  return (((a[whole] ?? 0) ^ (b[whole] ?? 0)) & m) === 0;
}

const RT6_LOOKUP_F_HAS_SADDR = 0x4;

/** fib6_rule_match() */
function fib6_rule_match_ops(r: FibRule, fl6: Flowi6, flags: number): boolean {
  if (r.dstLen && !in6PrefixEqual(fl6.daddr, r.dst6 as Uint8Array, r.dstLen)) return false;
  // a source rule needs the flow's source (FIB_RULE_FIND_SADDR is never set by iproute2)
  if (r.srcLen) {
    if (!(flags & RT6_LOOKUP_F_HAS_SADDR)) return false;
    if (!in6PrefixEqual(fl6.saddr, r.src6 as Uint8Array, r.srcLen)) return false;
  }
  // (r->dscp ^ ip6_dscp(fl6->flowlabel)) & r->dscp_mask
  if (r.tos && ((r.tos ^ (fl6.flowlabel >>> 20)) & 0xfc) !== 0) return false;
  if (r.ipProto && r.ipProto !== fl6.flowi6_proto) return false;
  if (r.sport && (fl6.fl6_sport < r.sport.start || fl6.fl6_sport > r.sport.end)) return false;
  if (r.dport && (fl6.fl6_dport < r.dport.start || fl6.fl6_dport > r.dport.end)) return false;
  return true;
}

/** fib_rule_match() for an IPv6 flow. */
export function fib6_rule_match(net: Net, r: FibRule, fl6: Flowi6, flags: number): boolean {
  const inv = (r.flags & FIB_RULE_INVERT) !== 0;
  const iif = ifindexOf(net, r.iifname);
  const oif = ifindexOf(net, r.oifname);
  if (iif && iif !== fl6.flowi6_iif) return inv;
  if (oif && oif !== fl6.flowi6_oif) return inv;
  if (((r.mark ^ fl6.flowi6_mark) & r.markMask) >>> 0 !== 0) return inv;
  if (r.uid && (fl6.flowi6_uid < r.uid.start || fl6.flowi6_uid > r.uid.end)) return inv;
  const ret = fib6_rule_match_ops(r, fl6, flags);
  return inv ? !ret : ret;
}

function inetMask(plen: number): number {
  return plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
}

/** fib4_rule_match() */
function fib4_rule_match(r: FibRule, fl: Flowi4): boolean {
  if (((fl.saddr ^ r.src) & r.srcMask) >>> 0 !== 0) return false;
  if (((fl.daddr ^ r.dst) & r.dstMask) >>> 0 !== 0) return false;
  if (r.tos && r.tos !== (fl.tos & 0xfc)) return false;
  if (r.ipProto && r.ipProto !== fl.proto) return false;
  if (r.sport && (fl.sport < r.sport.start || fl.sport > r.sport.end)) return false;
  if (r.dport && (fl.dport < r.dport.start || fl.dport > r.dport.end)) return false;
  return true;
}

/** rule->iifindex / oifindex: 0 for any, -1 while no device has the name (detached). */
function ifindexOf(net: Net, name: string): number {
  if (!name) return 0;
  return net.devByName.get(name)?.ifindex ?? -1;
}

/** fib_rule_match() */
function fib_rule_match(net: Net, r: FibRule, fl: Flowi4): boolean {
  let ret = false;
  const iif = ifindexOf(net, r.iifname);
  const oif = ifindexOf(net, r.oifname);
  if (iif && iif !== fl.iif) return (r.flags & FIB_RULE_INVERT) !== 0;
  if (oif && oif !== fl.oif) return (r.flags & FIB_RULE_INVERT) !== 0;
  if (((r.mark ^ fl.mark) & r.markMask) >>> 0 !== 0) return (r.flags & FIB_RULE_INVERT) !== 0;
  if (r.uid && (fl.uid < r.uid.start || fl.uid > r.uid.end)) return (r.flags & FIB_RULE_INVERT) !== 0;
  ret = fib4_rule_match(r, fl);
  return r.flags & FIB_RULE_INVERT ? !ret : ret;
}

/** fib4_rule_action(): -EAGAIN lets the next rule decide. */
function fib4_rule_action(fib: Fib, r: FibRule, fl: Flowi4, res: FibResult, flags: number): number {
  switch (r.action) {
    case FR_ACT_TO_TBL:
      break;
    case FR_ACT_UNREACHABLE:
      return -ENETUNREACH;
    case FR_ACT_PROHIBIT:
      return -EACCES;
    default:
      return -EINVAL;
  }
  if (!fib.hasTable(r.table)) return -EAGAIN;
  return fib.fib_table_lookup(r.table, fl, res, flags);
}

/**
 * fib4_rule_suppress(): a route no more specific than suppress_prefixlength,
 * or through a device of the suppress_ifgroup group, is not taken.
 */
function fib4_rule_suppress(r: FibRule, res: FibResult): boolean {
  if (res.prefixlen <= r.suppressPrefixlen) return true;
  const dev = res.fa?.dev ?? null;
  return r.suppressIfgroup !== -1 && dev !== null && dev.group === r.suppressIfgroup;
}

/** fib_rules_lookup(): the first rule that decides; -ESRCH when none does. */
export function fib_rules_lookup(fib: Fib, fl: Flowi4, res: FibResult, flags: number): number {
  const list = fib.rules.list;
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as FibRule;
    if (!fib_rule_match(fib.net, r, fl)) continue;
    if (r.action === FR_ACT_GOTO) {
      // jumped: the target is matched next, and the walk goes on from it
      const at = r.ctarget ? list.indexOf(r.ctarget) : -1;
      if (at >= 0) i = at - 1;
      continue;
    }
    if (r.action === FR_ACT_NOP) continue;
    const err = fib4_rule_action(fib, r, fl, res, flags);
    if (!err && fib4_rule_suppress(r, res)) continue;
    if (err !== -EAGAIN) return err;
  }
  return -ESRCH;
}

/** fib_default_rule_pref(): one below the second rule's, or 0. */
function fib_default_rule_pref(list: FibRule[]): number {
  const second = list[1];
  if (second && second.pref) return second.pref - 1;
  return 0;
}

function in6Equal(a: Uint8Array | null, b: Uint8Array | undefined): boolean {
  for (let i = 0; i < 16; i++) if ((a?.[i] ?? 0) !== (b?.[i] ?? 0)) return false;
  return true;
}

/** fib4_rule_compare() / fib6_rule_compare() against a request's header and attributes. */
function fib4_rule_compare(r: FibRule, msg: RuleMsg): boolean {
  const { frh, attrs } = msg;
  if (frh.family === AF_INET6) {
    if (frh.src_len && r.srcLen !== frh.src_len) return false;
    if (frh.dst_len && r.dstLen !== frh.dst_len) return false;
    if (frh.tos && r.tos !== frh.tos) return false;
    if (frh.src_len && !in6Equal(r.src6, attrs.FRA_SRC6)) return false;
    if (frh.dst_len && !in6Equal(r.dst6, attrs.FRA_DST6)) return false;
    return true;
  }
  if (frh.src_len && r.srcLen !== frh.src_len) return false;
  if (frh.dst_len && r.dstLen !== frh.dst_len) return false;
  if (frh.tos && r.tos !== frh.tos) return false;
  if (attrs.FRA_FLOW !== undefined && r.flow !== attrs.FRA_FLOW) return false;
  if (frh.src_len && r.src !== (attrs.FRA_SRC ?? 0)) return false;
  if (frh.dst_len && r.dst !== (attrs.FRA_DST ?? 0)) return false;
  return true;
}

function sameRange(a: FibRulePortRange | FibRuleUidRange | null, b: FibRulePortRange | FibRuleUidRange | null): boolean {
  if (!a || !b) return a === b;
  return a.start === b.start && a.end === b.end;
}

/** fib_nl2rule(): a rule from the request, or an error with its extack. */
function fib_nl2rule(net: Net, msg: RuleMsg, del: boolean): { rule: FibRule; userPriority: boolean } | NlAck {
  const { frh, attrs: tb } = msg;
  // ops->addr_size: the address attributes must have the family's size
  const v6 = frh.family === AF_INET6;
  const bits = v6 ? 128 : 32;
  if (frh.src_len && ((v6 ? tb.FRA_SRC6 : tb.FRA_SRC) === undefined || frh.src_len > bits)) return nlAck(-EINVAL, 'Invalid source address');
  if (frh.dst_len && ((v6 ? tb.FRA_DST6 : tb.FRA_DST) === undefined || frh.dst_len > bits)) return nlAck(-EINVAL, 'Invalid dst address');
  const rule = newRule({ action: frh.action, flags: frh.flags, proto: tb.FRA_PROTOCOL ?? 0 });
  let userPriority = false;
  if (tb.FRA_PRIORITY !== undefined) {
    rule.pref = tb.FRA_PRIORITY >>> 0;
    userPriority = true;
  } else if (!del) {
    rule.pref = fib_default_rule_pref(rulesOf(net, msg.frh.family).list);
  }
  if (tb.FRA_IIFNAME !== undefined) rule.iifname = tb.FRA_IIFNAME;
  if (tb.FRA_OIFNAME !== undefined) rule.oifname = tb.FRA_OIFNAME;
  if (tb.FRA_FWMARK !== undefined) {
    rule.mark = tb.FRA_FWMARK >>> 0;
    // compatibility: a mark without a mask matches exactly
    if (rule.mark) rule.markMask = 0xffffffff;
  }
  if (tb.FRA_FWMASK !== undefined) rule.markMask = tb.FRA_FWMASK >>> 0;
  if (rule.action > FR_ACT_MAX) return nlAck(-EINVAL, 'Invalid action');
  rule.table = tb.FRA_TABLE ?? frh.table;
  if (tb.FRA_SUPPRESS_PREFIXLEN !== undefined) rule.suppressPrefixlen = tb.FRA_SUPPRESS_PREFIXLEN | 0;
  if (tb.FRA_SUPPRESS_IFGROUP !== undefined) rule.suppressIfgroup = tb.FRA_SUPPRESS_IFGROUP | 0;
  if (tb.FRA_GOTO !== undefined) {
    if (rule.action !== FR_ACT_GOTO) return nlAck(-EINVAL, 'Unexpected goto');
    rule.target = tb.FRA_GOTO >>> 0;
    // Backward jumps are prohibited to avoid endless loops
    if (rule.target <= rule.pref) return nlAck(-EINVAL, 'Backward goto not supported');
  } else if (rule.action === FR_ACT_GOTO) {
    return nlAck(-EINVAL, 'Missing goto target for action goto');
  }
  if (tb.FRA_L3MDEV !== undefined) rule.l3mdev = tb.FRA_L3MDEV;
  if (tb.FRA_UID_RANGE) rule.uid = { ...tb.FRA_UID_RANGE };
  if (tb.FRA_IP_PROTO !== undefined) rule.ipProto = tb.FRA_IP_PROTO;
  if (tb.FRA_SPORT_RANGE) rule.sport = { ...tb.FRA_SPORT_RANGE };
  if (tb.FRA_DPORT_RANGE) rule.dport = { ...tb.FRA_DPORT_RANGE };
  return { rule, userPriority };
}

/** rule_exists(): an identical rule is already there (NLM_F_EXCL). */
function rule_exists(list: FibRule[], msg: RuleMsg, rule: FibRule): boolean {
  return list.some(
    (r) =>
      r.action === rule.action &&
      r.table === rule.table &&
      r.pref === rule.pref &&
      r.iifname === rule.iifname &&
      r.oifname === rule.oifname &&
      r.mark === rule.mark &&
      r.suppressIfgroup === rule.suppressIfgroup &&
      r.suppressPrefixlen === rule.suppressPrefixlen &&
      r.markMask === rule.markMask &&
      r.l3mdev === rule.l3mdev &&
      sameRange(r.uid, rule.uid) &&
      r.ipProto === rule.ipProto &&
      sameRange(r.sport, rule.sport) &&
      sameRange(r.dport, rule.dport) &&
      fib4_rule_compare(r, msg),
  );
}

/** fib_rule_requires_fldissect(): a protocol or port match on a rule not bound to lo. */
function fib_rule_requires_fldissect(r: FibRule): boolean {
  return r.iifname !== 'lo' && (r.ipProto !== 0 || r.sport !== null || r.dport !== null);
}

/**
 * fib4_rules_early_flow_dissect(): with such rules, an input lookup takes the
 * packet's protocol and ports (0 for a fragment or a protocol without ports).
 */
export function fib4_rules_early_flow_dissect(net: Net, skb: SkBuff, fl: Flowi4): boolean {
  if (!net.fib.rules.requireFldissect) return false;
  const b = skb.head;
  const o = skb.networkHeader;
  fl.proto = 0;
  fl.sport = 0;
  fl.dport = 0;
  // an ARP skb (arp_process's lookups) dissects to no protocol
  if (skb.protocol !== 0x0800 || o < 0 || o + 20 > skb.tail || (b[o] as number) >> 4 !== 4) return true;
  const proto = b[o + 9] as number;
  fl.proto = proto;
  const ihl = ((b[o] as number) & 0x0f) * 4;
  const frag = (((b[o + 6] as number) << 8) | (b[o + 7] as number)) & 0x3fff;
  // proto_ports_offset(): TCP, UDP, DCCP, ESP, SCTP, UDP-Lite carry ports first (AH 4 bytes in)
  const off = proto === 51 ? 4 : [6, 17, 33, 50, 132, 136].includes(proto) ? 0 : -1;
  if (!frag && off >= 0 && o + ihl + off + 4 <= skb.tail) {
    const t = o + ihl + off;
    fl.sport = ((b[t] as number) << 8) | (b[t + 1] as number);
    fl.dport = ((b[t + 2] as number) << 8) | (b[t + 3] as number);
  }
  return true;
}

/** fib4_rule_configure() */
function fib4_rule_configure(net: Net, rule: FibRule, msg: RuleMsg): NlAck | null {
  const { frh, attrs } = msg;
  if (frh.tos & INET_ECN_MASK) return nlAck(-EINVAL, 'Invalid dsfield (tos): ECN bits must be 0');
  // IPv4 does not handle the high-order DSCP bits: only IPTOS_TOS_MASK
  if (frh.tos & ~IPTOS_TOS_MASK) return nlAck(-EINVAL, 'Invalid tos');
  if (frh.src_len > 32 || frh.dst_len > 32) return nlAck(-EINVAL, 'Invalid src or dst prefix length');
  if (rule.table === 0 && !rule.l3mdev && rule.action === FR_ACT_TO_TBL) {
    // fib_empty_table(): the first unused id, created now
    const id = net.fib.emptyTableId();
    net.fib.tables.set(id, []);
    rule.table = id;
  }
  if (fib_rule_requires_fldissect(rule)) net.fib.rules.requireFldissect++;
  rule.srcLen = frh.src_len;
  rule.srcMask = inetMask(frh.src_len);
  rule.src = ((attrs.FRA_SRC ?? 0) & rule.srcMask) >>> 0;
  rule.dstLen = frh.dst_len;
  rule.dstMask = inetMask(frh.dst_len);
  rule.dst = ((attrs.FRA_DST ?? 0) & rule.dstMask) >>> 0;
  rule.tos = frh.tos;
  rule.flow = attrs.FRA_FLOW ?? 0;
  // fib_unmerge() and net->ipv4.fib_has_custom_rules
  net.fib.unmerge();
  return null;
}

/** fib6_rule_configure() */
function fib6_rule_configure(net: Net, rule: FibRule, msg: RuleMsg): NlAck | null {
  const { frh, attrs } = msg;
  if (frh.tos & INET_ECN_MASK) return nlAck(-EINVAL, 'Invalid dsfield (tos): ECN bits must be 0');
  if (rule.action === FR_ACT_TO_TBL && !rule.l3mdev) {
    if (rule.table === 0) return nlAck(-EINVAL, 'Invalid table');
    fib6_new_table(net, rule.table);
  }
  if (frh.src_len) rule.src6 = (attrs.FRA_SRC6 ?? new Uint8Array(16)).slice();
  if (frh.dst_len) rule.dst6 = (attrs.FRA_DST6 ?? new Uint8Array(16)).slice();
  rule.srcLen = frh.src_len;
  rule.dstLen = frh.dst_len;
  rule.tos = frh.tos;
  const f = fib6_net(net);
  if (fib_rule_requires_fldissect(rule)) f.rules.requireFldissect++;
  f.fib6_has_custom_rules = true;
  return null;
}

/** fib_nl_newrule() */
export function fib_nl_newrule(net: Net, nlflags: number, msg: RuleMsg): NlAck {
  const family = msg.frh.family;
  if (family !== AF_INET && family !== AF_INET6) return nlAck(-EAFNOSUPPORT, null);
  const list = rulesOf(net, family).list;
  const parsed = fib_nl2rule(net, msg, false);
  if ('error' in parsed) return parsed;
  const { rule } = parsed;
  if (nlflags & NLM_F_EXCL && rule_exists(list, msg, rule)) return nlAck(-EEXIST, null);
  const err = family === AF_INET6 ? fib6_rule_configure(net, rule, msg) : fib4_rule_configure(net, rule, msg);
  if (err) return err;
  for (const r of list) {
    if (rule.action === FR_ACT_GOTO && r.pref === rule.target) {
      rule.ctarget = r;
      break;
    }
  }
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    if ((list[i] as FibRule).pref > rule.pref) break;
    at = i + 1;
  }
  list.splice(at, 0, rule);
  // gotos waiting for this pref are resolved now
  for (const r of list) if (r.action === FR_ACT_GOTO && r.target === rule.pref && !r.ctarget) r.ctarget = rule;
  return nlAck(0);
}

/** rule_find(): the first rule matching every field the request sets. */
function rule_find(list: FibRule[], msg: RuleMsg, rule: FibRule, userPriority: boolean): FibRule | null {
  for (const r of list) {
    if (rule.action && r.action !== rule.action) continue;
    if (rule.table && r.table !== rule.table) continue;
    if (userPriority && r.pref !== rule.pref) continue;
    if (rule.iifname && r.iifname !== rule.iifname) continue;
    if (rule.oifname && r.oifname !== rule.oifname) continue;
    if (rule.mark && r.mark !== rule.mark) continue;
    if (rule.suppressIfgroup !== -1 && r.suppressIfgroup !== rule.suppressIfgroup) continue;
    if (rule.suppressPrefixlen !== -1 && r.suppressPrefixlen !== rule.suppressPrefixlen) continue;
    if (rule.markMask && r.markMask !== rule.markMask) continue;
    if (rule.l3mdev && r.l3mdev !== rule.l3mdev) continue;
    if (rule.uid && !sameRange(r.uid, rule.uid)) continue;
    if (rule.ipProto && r.ipProto !== rule.ipProto) continue;
    if (rule.proto && r.proto !== rule.proto) continue;
    if (rule.sport && !sameRange(r.sport, rule.sport)) continue;
    if (rule.dport && !sameRange(r.dport, rule.dport)) continue;
    if (!fib4_rule_compare(r, msg)) continue;
    return r;
  }
  return null;
}

/** fib_nl_delrule() */
export function fib_nl_delrule(net: Net, msg: RuleMsg): NlAck {
  const family = msg.frh.family;
  if (family !== AF_INET && family !== AF_INET6) return nlAck(-EAFNOSUPPORT, null);
  const rules = rulesOf(net, family);
  const list = rules.list;
  const parsed = fib_nl2rule(net, msg, true);
  if ('error' in parsed) return parsed;
  const r = rule_find(list, msg, parsed.rule, parsed.userPriority);
  if (!r) return nlAck(-ENOENT, null);
  // fib4_rule_delete(): local and main are split now too, and the rules decide from here on
  if (family === AF_INET) net.fib.unmerge();
  if (rules.requireFldissect && fib_rule_requires_fldissect(r)) rules.requireFldissect--;
  list.splice(list.indexOf(r), 1);
  // gotos into the deleted rule are unresolved (or find another rule with its pref)
  for (const o of list) {
    if (o.ctarget !== r) continue;
    o.ctarget = list.find((n) => n.pref === o.target) ?? null;
  }
  return nlAck(0);
}

/** fib_nl_fill_rule() */
function fib_nl_fill_rule(net: Net, r: FibRule, family: number): RuleMsg {
  const frh = fib_rule_hdr({
    family,
    table: r.table < 256 ? r.table : 252,
    action: r.action,
    flags: r.flags,
    src_len: r.srcLen,
    dst_len: r.dstLen,
    tos: r.tos,
  });
  const attrs: RuleMsg['attrs'] = { FRA_TABLE: r.table, FRA_SUPPRESS_PREFIXLEN: r.suppressPrefixlen };
  if (r.action === FR_ACT_GOTO && !r.ctarget) frh.flags |= FIB_RULE_UNRESOLVED;
  if (r.iifname) {
    attrs.FRA_IIFNAME = r.iifname;
    if (ifindexOf(net, r.iifname) === -1) frh.flags |= FIB_RULE_IIF_DETACHED;
  }
  if (r.oifname) {
    attrs.FRA_OIFNAME = r.oifname;
    if (ifindexOf(net, r.oifname) === -1) frh.flags |= FIB_RULE_OIF_DETACHED;
  }
  if (r.pref) attrs.FRA_PRIORITY = r.pref;
  if (r.mark) attrs.FRA_FWMARK = r.mark;
  if (r.markMask || r.mark) attrs.FRA_FWMASK = r.markMask;
  if (r.target) attrs.FRA_GOTO = r.target;
  if (r.suppressIfgroup !== -1) attrs.FRA_SUPPRESS_IFGROUP = r.suppressIfgroup;
  if (r.l3mdev) attrs.FRA_L3MDEV = r.l3mdev;
  if (r.uid) attrs.FRA_UID_RANGE = { ...r.uid };
  if (r.ipProto) attrs.FRA_IP_PROTO = r.ipProto;
  if (r.sport) attrs.FRA_SPORT_RANGE = { ...r.sport };
  if (r.dport) attrs.FRA_DPORT_RANGE = { ...r.dport };
  attrs.FRA_PROTOCOL = r.proto;
  if (family === AF_INET6) {
    // fib6_rule_fill()
    if (r.dstLen) attrs.FRA_DST6 = (r.dst6 as Uint8Array).slice();
    if (r.srcLen) attrs.FRA_SRC6 = (r.src6 as Uint8Array).slice();
    return { frh, attrs };
  }
  // fib4_rule_fill()
  if (r.dstLen) attrs.FRA_DST = r.dst;
  if (r.srcLen) attrs.FRA_SRC = r.src;
  if (r.flow) attrs.FRA_FLOW = r.flow;
  return { frh, attrs };
}

/** fib_nl_dumprule(): the rules of the asked family (every family for AF_UNSPEC), in list order. */
export function fib_nl_dumprule(net: Net, req: RuleMsg): RuleMsg[] {
  const family = req.frh.family;
  const out: RuleMsg[] = [];
  for (const fam of [AF_INET, AF_INET6]) {
    if (family !== 0 && family !== fam) continue;
    for (const r of rulesOf(net, fam).list) out.push(fib_nl_fill_rule(net, r, fam));
  }
  return out;
}
