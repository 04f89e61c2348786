// net/netfilter/nft_compat.c + nf_tables_api.c, as iptables-nft uses them: a batch of
// NFT_MSG_* messages applied as one transaction (nfnetlink_rcv_batch; an error
// aborts it and the ruleset is as before), and the dumps of a table's chains
// and rules. Every message is checked as the kernel checks it: nft_compat's
// xt_check_match/xt_check_target (with their kernel log lines) and
// nft_chain_validate for the hooks that can reach a target through jumps.
import type { Net } from '../net_namespace.ts';
import { EBUSY, EEXIST, EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import { NF_ACCEPT } from '../uapi/netfilter.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import {
  NFT_BREAK,
  NFT_CHAIN_BASE,
  NFT_CMP_EQ,
  NFT_CMP_NEQ,
  NFT_GOTO,
  NFT_JUMP,
  NFT_META_IIFNAME,
  NFT_META_L4PROTO,
  NFT_META_MARK,
  NFT_META_OIFNAME,
  NFT_PAYLOAD_NETWORK_HEADER,
  NFT_PAYLOAD_TRANSPORT_HEADER,
  NFT_RANGE_EQ,
  NFT_RANGE_NEQ,
  NFT_REG_1,
  NFT_REG_VERDICT,
  NFT_RETURN,
  type NftChain,
  type NftChainInfo,
  type NftExpr,
  type NftMatchExpr,
  type NftMsg,
  type NftRule,
  type NftTable,
  type NftTableInfo,
  type NftTargetExpr,
} from '../uapi/nf_tables.ts';
import {
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type MatchSpec,
  type RuleSpec,
  XT_CONNTRACK_STATE,
  XT_CONNTRACK_STATE_ALIAS,
  XT_CONTINUE,
  XT_LIMIT_SCALE,
  XT_RETURN,
  XT_TCP_INV_DSTPT,
  XT_TCP_INV_FLAGS,
  XT_TCP_INV_SRCPT,
} from '../uapi/x_tables.ts';
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

// ------------------------------------------------------------------ iptables-nft's tables seen by nf_tables dumps

const XT_MATCH_REV: Readonly<Record<string, number>> = {
  conntrack: 3,
  multiport: 1,
  iprange: 1,
  addrtype: 1,
  connmark: 1,
  mark: 1,
};
const XT_TARGET_REV: Readonly<Record<string, number>> = { MARK: 2, SNAT: 2, DNAT: 2, CT: 2, CONNMARK: 1 };

/** The priority iptables-nft gives a table's base chains (NF_IP_PRI_*; nat by hook). */
function xt_priority(t: Table, hook: number): number {
  if (t.def.name === 'nat') return hook === 1 || hook === 4 ? 100 : -100;
  return t.def.priority;
}

const cmp = (op: number, data: Uint8Array): NftExpr => ({ name: 'cmp', sreg: NFT_REG_1, op, data });
const be16 = (v: number): Uint8Array => new Uint8Array([(v >> 8) & 0xff, v & 0xff]);
const be32 = (v: number): Uint8Array => new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const le32 = (v: number): Uint8Array => new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
const th = (offset: number, len: number): NftExpr => ({
  name: 'payload',
  base: NFT_PAYLOAD_TRANSPORT_HEADER,
  offset,
  len,
  dreg: NFT_REG_1,
});

/** add_iniface()/add_outiface(): the name with its NUL, or the prefix before a '+' */
function xt_iface(key: number, iface: string, inv: boolean): NftExpr[] {
  const out: NftExpr[] = [{ name: 'meta', key, dreg: NFT_REG_1 }];
  const op = inv ? NFT_CMP_NEQ : NFT_CMP_EQ;
  const bytes = (s: string, nul: boolean): Uint8Array => {
    const b = new Uint8Array(s.length + (nul ? 1 : 0));
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    return b;
  };
  if (iface.endsWith('+')) {
    if (iface.length > 1) out.push(cmp(op, bytes(iface.slice(0, -1), false)));
    else if (inv) out.push(cmp(NFT_CMP_EQ, bytes('INVAL/D', true)));
  } else out.push(cmp(op, bytes(iface, true)));
  return out;
}

/** add_addr(): as many bytes as the mask covers whole, a bitwise for a partial byte */
function xt_addr(offset: number, addr: number, mask: number, inv: boolean): NftExpr[] {
  const m = be32(mask);
  const a = be32(addr);
  let i = 0;
  while (i < 4 && m[i] === 0xff) i++;
  let bitwise = i < 4 && m[i] !== 0;
  for (let j = i + 1; !bitwise && j < 4; j++) bitwise = m[j] !== 0;
  const len = bitwise ? 4 : i;
  const out: NftExpr[] = [{ name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset, len, dreg: NFT_REG_1 }];
  if (bitwise) out.push({ name: 'bitwise', sreg: NFT_REG_1, dreg: NFT_REG_1, len, op: 0, mask: m, xor: new Uint8Array(len) });
  out.push(cmp(inv ? NFT_CMP_NEQ : NFT_CMP_EQ, a.slice(0, len)));
  return out;
}

/** add_nft_tcpudp(): both ports in one load when both are single and negated alike */
function xt_ports(spts: [number, number], invS: boolean, dpts: [number, number], invD: boolean): NftExpr[] {
  const out: NftExpr[] = [];
  if (spts[0] && spts[0] === spts[1] && dpts[0] && dpts[0] === dpts[1] && invS === invD) {
    out.push(th(0, 4), cmp(invS ? NFT_CMP_NEQ : NFT_CMP_EQ, be32(((spts[0] << 16) | dpts[0]) >>> 0)));
    return out;
  }
  const one = (off: number, p: [number, number], inv: boolean): void => {
    if (!(p[0] || p[1] < 0xffff || inv)) return;
    out.push(th(off, 2));
    if (p[0] === p[1]) out.push(cmp(inv ? NFT_CMP_NEQ : NFT_CMP_EQ, be16(p[0])));
    else out.push({ name: 'range', sreg: NFT_REG_1, op: inv ? NFT_RANGE_NEQ : NFT_RANGE_EQ, fromData: be16(p[0]), toData: be16(p[1]) });
  };
  one(0, spts, invS);
  one(2, dpts, invD);
  return out;
}

function compatMatch(m: MatchSpec): NftExpr {
  if (m.name === 'state') {
    // iptables-nft sends -m state as the conntrack match, revision 3
    const info: MatchSpec = {
      name: 'conntrack',
      flags: XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS,
      invflags: m.invert ? XT_CONNTRACK_STATE : 0,
      statemask: m.statemask,
      statusmask: 0,
      l4proto: 0,
      origsrc: [0, 0],
      origdst: [0, 0],
      replsrc: [0, 0],
      repldst: [0, 0],
      origsrcPort: [0, 0],
      origdstPort: [0, 0],
      replsrcPort: [0, 0],
      repldstPort: [0, 0],
      expires: [0, 0],
    };
    return { name: 'match', matchName: 'conntrack', rev: 3, info };
  }
  const info = structuredClone(m);
  if (info.name === 'limit') info.state = null;
  return { name: 'match', matchName: m.name, rev: XT_MATCH_REV[m.name] ?? 0, info };
}

/** add_match(): tcp, udp, mark and limit become native expressions when they can */
function xt_match_exprs(m: MatchSpec): NftExpr[] {
  switch (m.name) {
    case 'tcp': {
      if (m.option || m.invflags & ~(XT_TCP_INV_SRCPT | XT_TCP_INV_DSTPT | XT_TCP_INV_FLAGS)) return [compatMatch(m)];
      const out: NftExpr[] = [];
      if (m.flgMask || m.invflags & XT_TCP_INV_FLAGS)
        out.push(
          th(13, 1),
          { name: 'bitwise', sreg: NFT_REG_1, dreg: NFT_REG_1, len: 1, op: 0, mask: new Uint8Array([m.flgMask]), xor: new Uint8Array(1) },
          cmp(m.invflags & XT_TCP_INV_FLAGS ? NFT_CMP_NEQ : NFT_CMP_EQ, new Uint8Array([m.flgCmp])),
        );
      out.push(...xt_ports(m.spts, (m.invflags & XT_TCP_INV_SRCPT) !== 0, m.dpts, (m.invflags & XT_TCP_INV_DSTPT) !== 0));
      return out;
    }
    case 'udp':
      if (m.invflags & ~(XT_TCP_INV_SRCPT | XT_TCP_INV_DSTPT)) return [compatMatch(m)];
      return xt_ports(m.spts, (m.invflags & XT_TCP_INV_SRCPT) !== 0, m.dpts, (m.invflags & XT_TCP_INV_DSTPT) !== 0);
    case 'mark': {
      const out: NftExpr[] = [{ name: 'meta', key: NFT_META_MARK, dreg: NFT_REG_1 }];
      if (m.mask >>> 0 !== 0xffffffff)
        out.push({ name: 'bitwise', sreg: NFT_REG_1, dreg: NFT_REG_1, len: 4, op: 0, mask: le32(m.mask), xor: new Uint8Array(4) });
      out.push(cmp(m.invert ? NFT_CMP_NEQ : NFT_CMP_EQ, le32(m.mark)));
      return out;
    }
    case 'limit': {
      // add_nft_limit(): the largest unit the rate is a whole number of
      const mult = [XT_LIMIT_SCALE * 24 * 60 * 60, XT_LIMIT_SCALE * 60 * 60, XT_LIMIT_SCALE * 60, XT_LIMIT_SCALE];
      let i = 1;
      for (; i < mult.length; i++) {
        const mi = mult[i] as number;
        if (m.avg > mi || Math.floor(mi / m.avg) < mi % m.avg) break;
      }
      const mu = mult[i - 1] as number;
      return [{ name: 'limit', rate: Math.floor(mu / m.avg), unit: mu / XT_LIMIT_SCALE, burst: m.burst, type: 0, flags: 0 }];
    }
  }
  return [compatMatch(m)];
}

/** nft_ipv4_add() + add_counters() + add_action(): the expressions iptables-nft 1.8.9 puts in a rule. */
export function xt_rule_exprs(s: RuleSpec, pcnt: number, bcnt: number): NftExpr[] {
  const out: NftExpr[] = [];
  if (s.iniface) out.push(...xt_iface(NFT_META_IIFNAME, s.iniface, (s.invflags & IPT_INV_VIA_IN) !== 0));
  if (s.outiface) out.push(...xt_iface(NFT_META_OIFNAME, s.outiface, (s.invflags & IPT_INV_VIA_OUT) !== 0));
  if (s.proto)
    out.push(
      { name: 'meta', key: NFT_META_L4PROTO, dreg: NFT_REG_1 },
      cmp(s.invflags & IPT_INV_PROTO ? NFT_CMP_NEQ : NFT_CMP_EQ, new Uint8Array([s.proto])),
    );
  if (s.src || s.smsk || s.invflags & IPT_INV_SRCIP) out.push(...xt_addr(12, s.src, s.smsk, (s.invflags & IPT_INV_SRCIP) !== 0));
  if (s.dst || s.dmsk || s.invflags & IPT_INV_DSTIP) out.push(...xt_addr(16, s.dst, s.dmsk, (s.invflags & IPT_INV_DSTIP) !== 0));
  if (s.frag)
    out.push(
      { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 6, len: 2, dreg: NFT_REG_1 },
      { name: 'bitwise', sreg: NFT_REG_1, dreg: NFT_REG_1, len: 2, op: 0, mask: be16(0x1fff), xor: new Uint8Array(2) },
      cmp(s.invflags & IPT_INV_FRAG ? NFT_CMP_EQ : NFT_CMP_NEQ, new Uint8Array(2)),
    );
  for (const m of s.matches) out.push(...xt_match_exprs(m));
  out.push({ name: 'counter', packets: pcnt, bytes: bcnt });
  const t = s.target;
  const imm = (code: number, chain?: string): NftExpr => ({
    name: 'immediate',
    dreg: NFT_REG_VERDICT,
    data: { verdict: chain === undefined ? { code } : { code, chain } },
  });
  if (t.kind === 'verdict') out.push(imm(t.verdict === 'ACCEPT' ? NF_ACCEPT : t.verdict === 'DROP' ? 0 : NFT_RETURN));
  else if (t.kind === 'jump') out.push(imm(t.goto ? NFT_GOTO : NFT_JUMP, t.chain));
  else if (t.kind !== 'none') {
    const name = t.kind === 'CT' && t.alias ? 'NOTRACK' : t.kind;
    out.push({ name: 'target', targetName: name, rev: name === 'NOTRACK' ? 0 : (XT_TARGET_REV[t.kind] ?? 0), info: structuredClone(t) });
  }
  return out;
}

/** The iptables-nft tables of a namespace, as nf_tables dumps show them (family ip). */
export function xt_nft_tables(net: Net): Table[] {
  return net.nft ? [...net.nft.tables.values()] : [];
}

export function xt_table_dump(t: Table): NftTable {
  return { family: NFPROTO_IPV4, name: t.def.name, flags: 0, handle: t.handle, use: t.chains.size };
}

export function xt_chain_dump(t: Table, c: Chain): NftChain {
  const o: NftChain = {
    family: NFPROTO_IPV4,
    table: t.def.name,
    name: c.name,
    handle: c.handle,
    use: c.rules.length + t.references(c.name),
    flags: c.hook >= 0 ? NFT_CHAIN_BASE : 0,
  };
  if (c.hook >= 0) {
    o.hook = { hooknum: c.hook, priority: xt_priority(t, c.hook) };
    o.policy = c.policy;
    o.type = t.def.name === 'nat' ? 'nat' : t.def.name === 'mangle' && c.hook === 3 ? 'route' : 'filter';
    if (c.stats) o.counters = { packets: c.pcnt, bytes: c.bcnt };
  }
  return o;
}

export function xt_rule_dump(t: Table, c: Chain, i: number, reset: boolean): NftRule {
  const r = c.rules[i] as Rule;
  const o: NftRule = {
    family: NFPROTO_IPV4,
    table: t.def.name,
    chain: c.name,
    handle: r.handle,
    expressions: xt_rule_exprs(r.spec, r.pcnt, r.bcnt),
    compat: { proto: r.spec.proto, flags: r.spec.invflags & IPT_INV_PROTO ? 2 : 0 },
  };
  if (i > 0) o.position = (c.rules[i - 1] as Rule).handle;
  if (reset) r.pcnt = r.bcnt = 0;
  return o;
}
