// net/netfilter/nft_compat.c + nf_tables_api.c, as iptables-nft uses them: a batch of
// NFT_MSG_* messages applied as one transaction (nfnetlink_rcv_batch; an error
// aborts it and the ruleset is as before), and the dumps of a table's chains
// and rules. Every message is checked as the kernel checks it: nft_compat's
// xt_check_match/xt_check_target (with their kernel log lines) and
// nft_chain_validate for the hooks that can reach a target through jumps.
import type { Net } from '../net_namespace.ts';
import { EBUSY, EEXIST, EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import { NF_ACCEPT } from '../uapi/netfilter.ts';
import {
  NFT_BREAK,
  NFT_RETURN,
  type NftChainInfo,
  type NftMatchExpr,
  type NftMsg,
  type NftTableInfo,
  type NftTargetExpr,
} from '../uapi/nf_tables.ts';
import { type MatchSpec, type RuleSpec, XT_CONTINUE, XT_RETURN } from '../uapi/x_tables.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';
import {
  type Chain,
  nft_table_validate,
  type Rule,
  TABLES,
  type Table,
  type XtActionParam,
  xt_check_rule,
  xt_find_match,
  xt_find_target,
  xt_net,
} from './x_tables.ts';

interface TableUndo {
  existed: boolean;
  hgenerator: number;
  chains: {
    c: Chain;
    name: string;
    rules: { r: Rule; spec: RuleSpec; pcnt: number; bcnt: number }[];
    policy: number;
    stats: boolean;
    pcnt: number;
    bcnt: number;
  }[];
}

/** The transaction of one batch (nft_net->commit_list, as an undo record per table). */
export class NftTrans {
  readonly undo = new Map<string, TableUndo>();
  constructor(readonly net: Net) {}
}

/** The kernel's copy of a rule: nothing of the caller's objects is kept (the info structs are copied, as from a netlink message). */
function copySpec(s: RuleSpec): RuleSpec {
  const c = structuredClone(s);
  for (const m of c.matches) if (m.name === 'limit') m.state = null;
  return c;
}

/** A rule as a dump gives it: kernel-private parts (xt_limit's state) left out. */
function dumpSpec(s: RuleSpec): RuleSpec {
  return copySpec(s);
}

function remember(tr: NftTrans, name: string): void {
  if (tr.undo.has(name)) return;
  const x = xt_net(tr.net);
  const t = x.tables.get(name);
  tr.undo.set(name, {
    existed: !!t,
    hgenerator: t?.hgenerator ?? 0,
    chains: t
      ? [...t.chains.values()].map((c) => ({
          c,
          name: c.name,
          rules: c.rules.map((r) => ({ r, spec: r.spec, pcnt: r.pcnt, bcnt: r.bcnt })),
          policy: c.policy,
          stats: c.stats,
          pcnt: c.pcnt,
          bcnt: c.bcnt,
        }))
      : [],
  });
}

export function nfnl_batch_begin(net: Net): NftTrans {
  return new NftTrans(net);
}

/** nf_tables_abort(): every table touched is as it was. */
export function nf_tables_abort(tr: NftTrans): void {
  const x = xt_net(tr.net);
  for (const [name, u] of tr.undo) {
    const t = x.tables.get(name);
    if (!t) continue;
    for (const c of [...t.chains.values()]) if (!u.chains.some((e) => e.c === c)) t.delChain(c);
    t.chains.clear();
    for (const e of u.chains) {
      e.c.name = e.name;
      t.chains.set(e.name, e.c);
      e.c.rules.splice(0, e.c.rules.length, ...e.rules.map((x) => x.r));
      for (const rr of e.rules) {
        rr.r.spec = rr.spec;
        rr.r.pcnt = rr.pcnt;
        rr.r.bcnt = rr.bcnt;
      }
      e.c.policy = e.policy;
      e.c.stats = e.stats;
      e.c.pcnt = e.pcnt;
      e.c.bcnt = e.bcnt;
    }
    t.hgenerator = u.hgenerator;
    if (!u.existed) x.tables.delete(name);
  }
  tr.undo.clear();
}

/** nf_tables_commit(): the rules' conntrack references follow the new rule set. */
export function nf_tables_commit(tr: NftTrans): void {
  xt_net(tr.net).syncConntrack();
  tr.undo.clear();
}

function findRule(c: Chain, handle: number): number {
  return c.rules.findIndex((r) => r.handle === handle);
}

/** One message of the batch: 0 or -errno (the transaction is then to be aborted). */
export function nf_tables_msg(tr: NftTrans, msg: NftMsg): number {
  const x = xt_net(tr.net);
  if (!TABLES.some((d) => d.name === msg.table)) return -ENOENT;
  remember(tr, msg.table);
  if (msg.type === 'NEWTABLE') {
    x.table(msg.table, true);
    return 0;
  }
  const t = x.tables.get(msg.table);
  if (!t) return -ENOENT;
  if (msg.type === 'FLUSHTABLE') {
    for (const c of [...t.chains.values()]) if (c.hook < 0) t.delChain(c);
    for (const c of t.chains.values()) {
      c.rules.length = 0;
      c.policy = NF_ACCEPT;
    }
    return 0;
  }
  if (msg.type === 'NEWCHAIN') {
    let c = t.chains.get(msg.chain);
    if (!c) c = t.addChain(msg.chain);
    else if (msg.policy === undefined) return -EEXIST;
    if (msg.policy !== undefined) {
      if (c.hook < 0) return -EOPNOTSUPP;
      c.policy = msg.policy;
      c.stats = true;
      if (msg.counters) [c.pcnt, c.bcnt] = msg.counters;
    }
    return 0;
  }
  if (msg.type === 'RESETCOUNTERS') {
    const chains = msg.chain === undefined ? [...t.chains.values()] : [t.chains.get(msg.chain)].filter((c): c is Chain => !!c);
    for (const c of chains) {
      c.pcnt = c.bcnt = 0;
      if (c.hook >= 0) c.stats = true;
      for (const r of c.rules) r.pcnt = r.bcnt = 0;
    }
    return 0;
  }
  if (msg.type === 'DELRULE' && msg.chain === undefined) {
    for (const c of t.chains.values()) c.rules.length = 0;
    return 0;
  }
  const c = msg.chain === undefined ? undefined : t.chains.get(msg.chain);
  if (!c) return -ENOENT;
  switch (msg.type) {
    case 'DELCHAIN':
      if (c.hook >= 0 || t.references(c.name) > 0) return -EBUSY;
      t.delChain(c);
      return 0;
    case 'RENAMECHAIN': {
      if (c.hook >= 0) return -EOPNOTSUPP;
      if (t.chains.has(msg.name)) return -EEXIST;
      const old = c.name;
      const entries = [...t.chains.entries()];
      t.chains.clear();
      for (const [k, v] of entries) t.chains.set(k === old ? msg.name : k, v);
      c.name = msg.name;
      // rules jump to the chain itself, so they follow the new name
      for (const ch of t.chains.values())
        for (const r of ch.rules)
          if (r.spec.target.kind === 'jump' && r.spec.target.chain === old)
            r.spec = { ...r.spec, target: { ...r.spec.target, chain: msg.name } };
      return 0;
    }
    case 'DELRULE': {
      if (msg.handle === undefined) {
        c.rules.length = 0;
        return 0;
      }
      const i = findRule(c, msg.handle);
      if (i < 0) return -ENOENT;
      c.rules.splice(i, 1);
      return 0;
    }
    case 'NEWRULE': {
      const spec = copySpec(msg.spec);
      const tg = spec.target;
      if (tg.kind === 'jump') {
        const to = t.chains.get(tg.chain);
        if (!to) return -ENOENT;
        if (to.hook >= 0) return -EOPNOTSUPP;
      }
      const err = xt_check_rule(tr.net, t.def.name, c.hook, spec);
      if (err) return err;
      const rule: Rule = { spec, pcnt: msg.counters?.[0] ?? 0, bcnt: msg.counters?.[1] ?? 0, handle: 0 };
      let at: number;
      if (msg.replace !== undefined) {
        at = findRule(c, msg.replace);
        if (at < 0) return -ENOENT;
      } else if (msg.position !== undefined) {
        at = findRule(c, msg.position);
        if (at < 0) return -ENOENT;
        if (msg.append) at++;
      } else at = msg.append ? c.rules.length : 0;
      rule.handle = ++t.hgenerator;
      const old = msg.replace !== undefined ? c.rules.splice(at, 1, rule) : (c.rules.splice(at, 0, rule), []);
      const v = nft_table_validate(tr.net, t);
      if (v) {
        c.rules.splice(at, 1, ...old);
        return v;
      }
      return 0;
    }
  }
  return -EINVAL;
}

/** NFT_MSG_GETCHAIN/GETRULE dumps of one table (null when the table is not in the kernel). */
export function nf_tables_dump(net: Net, table: string): NftTableInfo | null {
  const t: Table | undefined = xt_net(net).tables.get(table);
  if (!t) return null;
  const chains: NftChainInfo[] = [...t.chains.values()].map((c) => ({
    name: c.name,
    hook: c.hook,
    policy: c.policy,
    counters: c.stats,
    pcnt: c.pcnt,
    bcnt: c.bcnt,
    use: t.references(c.name),
    rules: c.rules.map((r) => ({ handle: r.handle, spec: dumpSpec(r.spec), pcnt: r.pcnt, bcnt: r.bcnt })),
  }));
  return { name: t.def.name, chains };
}

// ------------------------------------------------------------------ nft_compat expressions

/** nft_match_eval(): an xtables match as an expression; no match breaks the rule. */
export function nft_match_init(ctx: NftCtx, e: NftMatchExpr): NftExprInst | number {
  if (!e.info || e.info.name !== e.matchName) return -EINVAL;
  const d = xt_find_match(ctx.net, e.matchName);
  if (!d) return -ENOENT;
  const info = copySpec({ ...EMPTY_SPEC, matches: [e.info] }).matches[0] as MatchSpec;
  const hook = ctx.chain?.base ? ctx.chain.base.hooknum : -1;
  const err = xt_check_rule(ctx.net, ctx.table.name, hook, { ...EMPTY_SPEC, matches: [info] });
  if (err) return err;
  const rev = e.rev;
  return {
    name: 'match',
    eval(regs, pkt) {
      const p: XtActionParam = {
        net: pkt.state.net,
        skb: pkt.skb,
        state: pkt.state,
        nh: pkt.skb.networkHeader,
        thoff: pkt.thoff,
        fragoff: pkt.fragoff,
        proto: pkt.tprot,
      };
      if (!(d.match as (par: XtActionParam, i: unknown) => boolean)(p, info)) regs.code = NFT_BREAK;
    },
    dump() {
      return { name: 'match', matchName: e.matchName, rev, info: structuredClone(info) };
    },
  };
}

/** nft_target_eval(): an xtables target; XT_CONTINUE goes on, a verdict ends the chain. */
export function nft_target_init(ctx: NftCtx, e: NftTargetExpr): NftExprInst | number {
  if (!e.info) return -EINVAL;
  const tg = e.info;
  if (tg.kind === 'jump' || tg.kind === 'none') return -EINVAL;
  const hook = ctx.chain?.base ? ctx.chain.base.hooknum : -1;
  if (tg.kind !== 'verdict') {
    const d = xt_find_target(ctx.net, tg.kind);
    if (!d) return -ENOENT;
    const err = xt_check_rule(ctx.net, ctx.table.name, hook, { ...EMPTY_SPEC, target: tg });
    if (err) return err;
  }
  const info = structuredClone(tg);
  const rev = e.rev;
  return {
    name: 'target',
    eval(regs, pkt) {
      let v: number;
      if (info.kind === 'verdict') v = info.verdict === 'ACCEPT' ? NF_ACCEPT : info.verdict === 'DROP' ? 0 : XT_RETURN;
      else {
        const d = xt_find_target(pkt.state.net, info.kind);
        const p: XtActionParam = {
          net: pkt.state.net,
          skb: pkt.skb,
          state: pkt.state,
          nh: pkt.skb.networkHeader,
          thoff: pkt.thoff,
          fragoff: pkt.fragoff,
          proto: pkt.tprot,
        };
        v = d ? (d.target as (par: XtActionParam, i: unknown) => number)(p, info) : XT_CONTINUE;
      }
      if (v === XT_CONTINUE) return;
      regs.code = v === XT_RETURN ? NFT_RETURN : v;
    },
    dump() {
      return { name: 'target', targetName: e.targetName, rev, info: structuredClone(info) };
    },
  };
}

const EMPTY_SPEC: Readonly<RuleSpec> = {
  src: 0,
  smsk: 0,
  dst: 0,
  dmsk: 0,
  iniface: '',
  outiface: '',
  proto: 0,
  invflags: 0,
  frag: false,
  matches: [],
  target: { kind: 'none' },
};
