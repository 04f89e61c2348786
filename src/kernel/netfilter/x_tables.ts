// The iptables rule set of a namespace as iptables-nft 1.8.9 builds it on
// nf_tables: tables, chains, rules with xtables matches and targets, and the
// evaluator (net/netfilter/nf_tables_core.c nft_do_chain). Base chains are
// registered as hooks (nft_do_chain_ipv4) when they are first created.
//
// Matches and targets are registered as net/netfilter/x_tables.c registers
// them (xt_register_match/xt_register_target): one descriptor per extension,
// in its own file (xt_tcpudp.ts, xt_conntrack.ts, ipt_REJECT.ts, ...), listed
// in xt_modules.ts and kept in a table the Kernel instance holds.
import type { NetDevice } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { IP_OFFSET, iph_daddr, iph_frag_off, iph_ihl, iph_protocol, iph_saddr } from '../ipv4/iphdr.ts';
import { EINVAL, EIO, ENOENT } from '../uapi/errno.ts';
import { HOOK_NAMES } from '../uapi/netfilter.ts';
import {
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type MatchSpec,
  type RuleSpec,
  type TargetSpec,
  XT_CONTINUE,
  XT_RETURN,
} from '../uapi/x_tables.ts';
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
import { nf_ct_netns_get, nf_ct_netns_put } from './nf_conntrack.ts';
import { nf_nat_ipv4_register_fn, nf_nat_ipv4_unregister_fn } from './nf_nat.ts';
import { nft_pernet } from './nf_tables_api.ts';
import { XT_MODULES } from './xt_modules.ts';

export { HOOK_NAMES };

/** struct xt_action_param: the packet a match or target looks at. */
export interface XtActionParam {
  net: Net;
  skb: SkBuff;
  state: NfHookState;
  /** Offsets of the IP header and the transport header in skb.head. */
  nh: number;
  thoff: number;
  fragoff: number;
  proto: number;
}

/** struct xt_mtchk_param / xt_tgchk_param. */
export interface XtChkParam {
  net: Net;
  table: string;
  /** The rule's ipt_ip part. */
  entry: RuleSpec;
  /** 1 << hook of the base chain the rule is in; 0 in a user chain (nft_compat). */
  hook_mask: number;
  family: number;
}

type MatchOf<N extends MatchSpec['name']> = Extract<MatchSpec, { name: N }>;
export type XtTargetKind = Exclude<TargetSpec['kind'], 'verdict' | 'jump' | 'none'>;
type TargetOf<K extends XtTargetKind> = TargetSpec & { kind: K };

/** struct xt_match */
export interface XtMatch<N extends MatchSpec['name'] = MatchSpec['name']> {
  readonly type: 'match';
  readonly name: N;
  readonly revision: number;
  readonly family: number;
  readonly table?: string;
  /** Mask of 1 << NF_INET_* where the match may be used. */
  readonly hooks?: number;
  readonly proto?: number;
  /** 0, or a negative errno after printing why. */
  checkentry?(par: XtChkParam, info: MatchOf<N>): number;
  match(par: XtActionParam, info: MatchOf<N>): boolean;
  /** Whether checkentry takes a conntrack reference (nf_ct_netns_get) for this info. */
  usesConntrack?(info: MatchOf<N>): boolean;
}

/** struct xt_target */
export interface XtTarget<K extends XtTargetKind = XtTargetKind> {
  readonly type: 'target';
  readonly name: K;
  readonly revision: number;
  readonly family: number;
  readonly table?: string;
  readonly hooks?: number;
  readonly proto?: number;
  checkentry?(par: XtChkParam, info: TargetOf<K>): number;
  /** A verdict, XT_CONTINUE or XT_RETURN. */
  target(par: XtActionParam, info: TargetOf<K>): number;
  usesConntrack?(info: TargetOf<K>): boolean;
}

export type XtExtension = XtMatch<never> | XtTarget<never>;

/** xt[NFPROTO_IPV4]: the registered matches and targets of the kernel. */
export class XtAf {
  readonly matches = new Map<string, XtMatch>();
  readonly targets = new Map<string, XtTarget>();
}

/** The kernel's xtables registry; the built-in modules register on first use. */
export function xt_af(kernel: Kernel): XtAf {
  if (!kernel.xt) {
    kernel.xt = new XtAf();
    for (const m of XT_MODULES) {
      if (m.type === 'match') xt_register_match(kernel.xt, m as unknown as XtMatch);
      else xt_register_target(kernel.xt, m as unknown as XtTarget);
    }
  }
  return kernel.xt;
}

export function xt_register_match(af: XtAf, m: XtMatch): void {
  af.matches.set(m.name, m);
}

export function xt_register_target(af: XtAf, t: XtTarget): void {
  af.targets.set(t.name, t);
}

/** textify_hooks(): "PREROUTING/OUTPUT" */
function textify_hooks(mask: number): string {
  return HOOK_NAMES.filter((_, i) => mask & (1 << i)).join('/');
}

/** xt_check_match() / xt_check_target(): the table, the hooks, the protocol, then checkentry. */
function xt_check(par: XtChkParam, kind: 'match' | 'target', d: XtMatch | XtTarget, info: MatchSpec | TargetSpec): number {
  const printk = (s: string): void => par.net.kernel.kmsg.printk(6, s);
  if (d.table && d.table !== par.table) {
    printk(`x_tables: ip_tables: ${d.name} ${kind}: only valid in ${d.table} table, not ${par.table}`);
    return -EINVAL;
  }
  if (d.hooks !== undefined && par.hook_mask & ~d.hooks) {
    printk(
      `x_tables: ip_tables: ${d.name} ${kind}: used from hooks ${textify_hooks(par.hook_mask)}, but only usable from ${textify_hooks(d.hooks)}`,
    );
    return -EINVAL;
  }
  if (d.proto && (d.proto !== par.entry.proto || par.entry.invflags & IPT_INV_PROTO)) {
    printk(`x_tables: ip_tables: ${d.name} ${kind}: only valid for protocol ${d.proto}`);
    return -EINVAL;
  }
  const ret = d.checkentry ? (d.checkentry as (p: XtChkParam, i: unknown) => number)(par, info) : 0;
  return ret < 0 ? ret : ret > 0 ? -EIO : 0;
}

export function xt_find_match(net: Net, name: string): XtMatch | undefined {
  return xt_af(net.kernel).matches.get(name);
}

export function xt_find_target(net: Net, kind: string): XtTarget | undefined {
  return xt_af(net.kernel).targets.get(kind);
}

/** nft_match_init/nft_target_init for every extension of a rule: 0 or -errno. */
export function xt_check_rule(net: Net, table: string, hook: number, s: RuleSpec): number {
  const par: XtChkParam = { net, table, entry: s, hook_mask: hook >= 0 ? 1 << hook : 0, family: NFPROTO_IPV4 };
  for (const m of s.matches) {
    const d = xt_find_match(net, m.name);
    if (!d) return -ENOENT;
    const r = xt_check(par, 'match', d, m);
    if (r) return r;
  }
  const t = s.target;
  if (t.kind === 'verdict' || t.kind === 'jump' || t.kind === 'none') return 0;
  const d = xt_find_target(net, t.kind);
  if (!d) return -ENOENT;
  return xt_check(par, 'target', d, t);
}

export interface Rule {
  /** The kernel's copy of the rule (kernel-private fields such as xt_limit's state live in it). */
  spec: RuleSpec;
  pcnt: number;
  bcnt: number;
  /** NFTA_RULE_HANDLE: unique in its table. */
  handle: number;
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
  /** NFTA_CHAIN_HANDLE */
  handle: number;
}

export interface TableDef {
  name: string;
  priority: number;
  hooks: number[];
}

export const TABLES: readonly TableDef[] = [
  { name: 'raw', priority: -300, hooks: [NF_INET_PRE_ROUTING, NF_INET_LOCAL_OUT] },
  {
    name: 'mangle',
    priority: -150,
    hooks: [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING],
  },
  { name: 'filter', priority: 0, hooks: [NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT] },
  { name: 'security', priority: 50, hooks: [NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT] },
  // nat chains sit in nf_nat's lists: dstnat (-100) on PREROUTING/OUTPUT, srcnat (100) on INPUT/POSTROUTING
  { name: 'nat', priority: -100, hooks: [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING] },
];

export class Table {
  /** Chains in the kernel, in creation order. */
  readonly chains = new Map<string, Chain>();
  /** table->hgenerator: the last handle given (chains and rules take theirs from it). */
  hgenerator = 0;
  /** NFTA_TABLE_HANDLE: from the namespace's nf_tables counter, shared with nft's tables. */
  handle = 0;
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
    const c: Chain = { name, hook, policy: NF_ACCEPT, stats: false, pcnt: 0, bcnt: 0, rules: [], entry: null, handle: ++this.hgenerator };
    this.chains.set(name, c);
    if (hook >= 0) {
      if (this.def.name === 'nat') {
        // nft_nat_do_chain, called by nf_nat_inet_fn for a connection's first packet
        c.entry = {
          priority: hook === NF_INET_LOCAL_IN || hook === NF_INET_POST_ROUTING ? 100 : -100,
          name: 'nft_nat_do_chain',
          hook: (skb, state) => nft_do_chain(this, c, skb, state),
        };
        nf_nat_ipv4_register_fn(this.net, hook, c.entry);
      } else {
        c.entry = {
          priority: this.def.priority,
          name: 'nft_do_chain_ipv4',
          hook: (skb, state) => nft_do_chain(this, c, skb, state),
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
    for (const t of this.tables.values())
      for (const c of t.chains.values()) for (const r of c.rules) if (ruleNeedsConntrack(this.net, r.spec)) n++;
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
      t.handle = ++nft_pernet(this.net).tableHandle;
      this.tables.set(name, t);
    }
    return t ?? null;
  }
}

/** Does the rule's checkentry take a conntrack reference? */
export function ruleNeedsConntrack(net: Net, s: RuleSpec): boolean {
  for (const m of s.matches) {
    const d = xt_find_match(net, m.name);
    if (d?.usesConntrack && (d.usesConntrack as (i: unknown) => boolean)(m)) return true;
  }
  const t = s.target;
  if (t.kind === 'verdict' || t.kind === 'jump' || t.kind === 'none') return false;
  const d = xt_find_target(net, t.kind);
  return !!d?.usesConntrack && (d.usesConntrack as (i: unknown) => boolean)(t);
}

export function xt_net(net: Net): XtNet {
  return (net.nft ??= new XtNet(net));
}

/**
 * nft_chain_validate(): every target must be valid in every hook that can
 * reach it, through jumps to user chains too (nft_target_validate); -EINVAL
 * otherwise, with nothing in the log.
 */
export function nft_table_validate(net: Net, t: Table): number {
  const walk = (c: Chain, hook: number, seen: Set<Chain>): number => {
    if (seen.has(c)) return 0;
    seen.add(c);
    for (const r of c.rules) {
      const tg = r.spec.target;
      if (tg.kind === 'jump') {
        const to = t.chains.get(tg.chain);
        if (to) {
          const e = walk(to, hook, seen);
          if (e) return e;
        }
        continue;
      }
      if (tg.kind === 'verdict' || tg.kind === 'none') continue;
      const d = xt_find_target(net, tg.kind);
      if (d?.hooks !== undefined && !(d.hooks & (1 << hook))) return -EINVAL;
    }
    return 0;
  };
  for (const c of t.chains.values()) {
    if (c.hook < 0) continue;
    const e = walk(c, c.hook, new Set());
    if (e) return e;
  }
  return 0;
}

function ifaceMatch(dev: NetDevice | null, pat: string): boolean {
  if (!pat) return true;
  const name = dev ? dev.name : '';
  if (pat.endsWith('+')) return name.startsWith(pat.slice(0, -1));
  return name === pat;
}

/** ip_packet_match() */
function ip_packet_match(p: XtActionParam, s: RuleSpec): boolean {
  const b = p.skb.head;
  const inv = (flag: number, cond: boolean): boolean => (s.invflags & flag ? !cond : cond);
  if (!inv(IPT_INV_SRCIP, (iph_saddr(b, p.nh) & s.smsk) >>> 0 === s.src)) return false;
  if (!inv(IPT_INV_DSTIP, (iph_daddr(b, p.nh) & s.dmsk) >>> 0 === s.dst)) return false;
  if (s.iniface && !inv(IPT_INV_VIA_IN, ifaceMatch(p.state.in, s.iniface))) return false;
  if (s.outiface && !inv(IPT_INV_VIA_OUT, ifaceMatch(p.state.out, s.outiface))) return false;
  if (s.proto && !inv(IPT_INV_PROTO, p.proto === s.proto)) return false;
  if (s.frag && !inv(IPT_INV_FRAG, p.fragoff !== 0)) return false;
  return true;
}

const VERDICT_NAMES: Readonly<Record<number, string>> = { 0: 'DROP', 1: 'ACCEPT', 2: 'STOLEN', 3: 'QUEUE', 4: 'REPEAT', 5: 'STOP' };

/** The rule's target: a verdict, XT_CONTINUE, XT_RETURN (jumps are nft_do_chain's). */
function target_eval(p: XtActionParam, t: TargetSpec): number {
  if (t.kind === 'verdict') return t.verdict === 'ACCEPT' ? NF_ACCEPT : t.verdict === 'DROP' ? NF_DROP : XT_RETURN;
  if (t.kind === 'none' || t.kind === 'jump') return XT_CONTINUE;
  const d = xt_find_target(p.net, t.kind);
  return d ? (d.target as (par: XtActionParam, i: unknown) => number)(p, t) : XT_CONTINUE;
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
  const p: XtActionParam = {
    net,
    skb,
    state,
    nh,
    thoff: nh + iph_ihl(b, nh) * 4,
    fragoff: iph_frag_off(b, nh) & IP_OFFSET,
    proto: iph_protocol(b, nh),
  };
  const af = xt_af(net.kernel);
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
      const d = af.matches.get(m.name);
      if (!d || !(d.match as (par: XtActionParam, i: unknown) => boolean)(p, m)) {
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
  if (ev)
    ev.nf = {
      table: table.def.name,
      chain: hitChain,
      rule: hitRule,
      target: hitTarget,
      verdict: VERDICT_NAMES[verdict & 0xff] ?? String(verdict),
      hook: HOOK_NAMES[base.hook] ?? base.name,
    };
  if (verdict === NF_DROP) {
    kfree_skb_reason(
      net,
      skb,
      SKB_DROP_REASON.NETFILTER_DROP,
      'nft_do_chain',
      () => `iptables -t ${table.def.name}: ${decidedBy} (${HOOK_NAMES[base.hook] ?? base.name} hook)`,
    );
    // NF_DROP_REASON(skb, NETFILTER_DROP, EPERM): nf_hook_slow hands -EPERM to the caller
    return NF_STOLEN | (1 << 16);
  }
  return verdict;
}
