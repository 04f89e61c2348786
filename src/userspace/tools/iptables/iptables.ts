// iptables 1.8.9 (nf_tables): the commands over the kernel's nf_tables
// interface (src/kernel/uapi/nf_tables.ts), as iptables-nft does them: the
// table's chains and rules come from a dump, a change is a batch of NFT_MSG_*
// messages the kernel checks and applies as one transaction; listings and
// iptables-save print the dump through each extension's print/save.
import { ipv4ToString } from '../../../wire/ipv4.ts';
import { EBUSY, EEXIST, EINVAL, ENOENT } from '../../../kernel/uapi/errno.ts';
import { HOOK_NAMES, NF_ACCEPT, NF_DROP } from '../../../kernel/uapi/netfilter.ts';
import {
  type NfnlBatch,
  type NftChainInfo,
  type NftMsg,
  type NftRuleInfo,
  type NftTableInfo,
  nfnl_batch_send,
  nft_dump_table,
} from '../../../kernel/uapi/nf_tables.ts';
import {
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type RuleSpec,
  type TargetSpec,
} from '../../../kernel/uapi/x_tables.ts';
import type { ProcCtx } from '../../proc.ts';
import { strerror } from '../errno.ts';
import { findMatch, targetOfKind, UNSIMULATED_TARGETS } from './extensions.ts';
import type { Fmt, Parsed } from './parse.ts';
import { IptError, maskLen, notSimulated, paramProblem, PROG, printNum, protoName, TRY } from './xshared.ts';

/** The tables iptables knows (xtables_ipv4[]) and their built-in chains, in hook order. */
export const TABLES: readonly { name: string; hooks: number[] }[] = [
  { name: 'raw', hooks: [0, 3] },
  { name: 'mangle', hooks: [0, 1, 2, 3, 4] },
  { name: 'filter', hooks: [1, 2, 3] },
  { name: 'security', hooks: [1, 2, 3] },
  { name: 'nat', hooks: [0, 1, 3, 4] },
];

const ENOENT_MSG = 'iptables: No chain/target/match by that name.\n';

// ---------------------------------------------------------------- printing

function targetName(t: TargetSpec): string {
  if (t.kind === 'verdict') return t.verdict;
  if (t.kind === 'jump') return t.chain;
  if (t.kind === 'none') return '';
  return t.kind;
}

function printTarget(t: TargetSpec, numeric: boolean): string {
  if (t.kind === 'verdict' || t.kind === 'jump' || t.kind === 'none') return '';
  const ext = targetOfKind(t.kind);
  return ext ? ext.print(t as never, numeric) : '';
}

function saveTarget(t: TargetSpec): string {
  if (t.kind === 'verdict') return ` -j ${t.verdict}`;
  if (t.kind === 'jump') return ` -${t.goto ? 'g' : 'j'} ${t.chain}`;
  if (t.kind === 'none') return '';
  const ext = targetOfKind(t.kind);
  return ext ? ext.save(t as never) : ` -j ${t.kind}`;
}

function addrSave(letter: string, a: number, m: number, inv: boolean): string {
  if (!m && !inv && !a) return '';
  const l = maskLen(m);
  return `${inv ? ' !' : ''} -${letter} ${ipv4ToString(a)}/${l >= 0 ? l : ipv4ToString(m)}`;
}

/** The rule's text as iptables-save / -S print it (after "-A CHAIN"). */
export function saveRule(s: RuleSpec, counters: string): string {
  let o = addrSave('s', s.src, s.smsk, !!(s.invflags & IPT_INV_SRCIP));
  o += addrSave('d', s.dst, s.dmsk, !!(s.invflags & IPT_INV_DSTIP));
  if (s.iniface) o += `${s.invflags & IPT_INV_VIA_IN ? ' !' : ''} -i ${s.iniface}`;
  if (s.outiface) o += `${s.invflags & IPT_INV_VIA_OUT ? ' !' : ''} -o ${s.outiface}`;
  if (s.proto) o += `${s.invflags & IPT_INV_PROTO ? ' !' : ''} -p ${protoName(s.proto) ?? s.proto}`;
  if (s.frag) o += `${s.invflags & IPT_INV_FRAG ? ' !' : ''} -f`;
  for (const m of s.matches) o += ` -m ${m.name}${findMatch(m.name)?.save(m as never) ?? ''}`;
  o += counters;
  o += saveTarget(s.target);
  return o;
}

function addrPrint(a: number, m: number, inv: boolean, numeric: boolean): string {
  let buf: string;
  if (m === 0 && !numeric) buf = 'anywhere';
  else {
    const l = maskLen(m);
    buf = ipv4ToString(a) + (l === 32 ? '' : l >= 0 ? `/${l}` : `/${ipv4ToString(m)}`);
  }
  return `${inv ? '!' : ' '}${buf.padEnd(19)} `;
}

function printHeader(c: NftChainInfo | null, name: string, policy: string | null, refs: number, f: Fmt): string {
  let s = `Chain ${name}`;
  if (policy !== null) {
    s += ` (policy ${policy}`;
    if (f.verbose) s += ` ${printNum(c ? c.pcnt : 0, !f.expanded, false)}packets, ${printNum(c ? c.bcnt : 0, !f.expanded, false)}bytes`;
    s += ')\n';
  } else s += ` (${refs} references)\n`;
  if (f.lineNumbers) s += 'num  ';
  if (f.verbose) s += f.expanded ? '    pkts      bytes ' : ' pkts bytes ';
  s += 'target    ';
  s += ' prot ';
  s += 'opt';
  if (f.verbose) s += ' in     out    ';
  s += ` ${'source'.padEnd(19)} `;
  s += ` ${'destination'.padEnd(19)} `;
  return `${s}\n`;
}

function printRule(r: NftRuleInfo, num: number, f: Fmt): string {
  const s = r.spec;
  let o = '';
  if (f.lineNumbers) o += `${String(num).padEnd(4)} `;
  if (f.verbose) o += printNum(r.pcnt, !f.expanded, true) + printNum(r.bcnt, !f.expanded, true);
  o += `${targetName(s.target).padEnd(9)} `;
  o += s.invflags & IPT_INV_PROTO ? '!' : ' ';
  const pname = f.numeric ? null : protoName(s.proto);
  o += (pname ?? String(s.proto)).padEnd(5);
  o += `${s.invflags & IPT_INV_FRAG ? '!' : '-'}${s.frag ? 'f' : '-'} `;
  if (f.verbose) {
    const any = f.numeric ? '*' : 'any';
    o += ` ${`${s.invflags & IPT_INV_VIA_IN ? '!' : ''}${s.iniface || any}`.padEnd(6)} `;
    o += `${`${s.invflags & IPT_INV_VIA_OUT ? '!' : ''}${s.outiface || any}`.padEnd(6)} `;
  }
  o += addrPrint(s.src, s.smsk, !!(s.invflags & IPT_INV_SRCIP), f.numeric);
  o += addrPrint(s.dst, s.dmsk, !!(s.invflags & IPT_INV_DSTIP), f.numeric);
  if (s.target.kind === 'jump' && s.target.goto) o += '[goto] ';
  const proto = protoName(s.proto) ?? '';
  for (const m of s.matches) o += findMatch(m.name)?.print(m as never, f.numeric, proto) ?? '';
  o += printTarget(s.target, f.numeric);
  return `${o}\n`;
}

export function policyName(c: NftChainInfo | null): string {
  return c && c.policy === NF_DROP ? 'DROP' : 'ACCEPT';
}

export interface ListedChain {
  name: string;
  chain: NftChainInfo | null;
  builtin: boolean;
}

/** Chains as iptables lists them: built-ins in hook order (present or not), then user chains by name. */
export function listChains(t: NftTableInfo | null, tableName: string): ListedChain[] {
  const def = TABLES.find((d) => d.name === tableName);
  const out: ListedChain[] = [];
  for (const h of def?.hooks ?? []) {
    const name = HOOK_NAMES[h] as string;
    out.push({ name, chain: t?.chains.find((c) => c.name === name) ?? null, builtin: true });
  }
  if (t) {
    const user = t.chains.filter((c) => c.hook < 0).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of user) out.push({ name: c.name, chain: c, builtin: false });
  }
  return out;
}

function specKey(s: RuleSpec): string {
  return JSON.stringify(s, (k, v) => (k === 'state' ? undefined : v));
}

// ---------------------------------------------------------------- commands

/** The rule's target, now that the table's chains are known: a verdict, a target extension, or a chain to jump to. */
function finishTarget(p: Parsed, t: NftTableInfo | null): void {
  const j = p.jumpName;
  if (j === null) return;
  if (j === 'ACCEPT' || j === 'DROP' || j === 'RETURN') p.spec.target = { kind: 'verdict', verdict: j };
  else if (p.target) p.spec.target = p.target.t;
  else {
    if (UNSIMULATED_TARGETS.includes(j)) throw notSimulated(`target "${j}"`);
    const c = t?.chains.find((x) => x.name === j);
    if (!c || c.hook >= 0) throw paramProblem(`Chain '${j}' does not exist`);
    p.spec.target = { kind: 'jump', chain: j, goto: p.goto };
  }
}

/** What iptables itself checks before building a rule (do_parse, nft's tcp/udp translation). */
function checkRule(p: Parsed, chain: string): void {
  const s = p.spec;
  if (s.iniface && (chain === 'OUTPUT' || chain === 'POSTROUTING')) throw new IptError(`${PROG}: Can't use -i with ${chain}\n\n${TRY}`, 2);
  if (s.outiface && (chain === 'INPUT' || chain === 'PREROUTING')) throw new IptError(`${PROG}: Can't use -o with ${chain}\n\n${TRY}`, 2);
  for (const m of s.matches) {
    // a tcp/udp match with ports or flags becomes nft payload expressions, which need the protocol
    const bare =
      m.name === 'tcp' ? findMatch('tcp')?.save(m as never) === '' : m.name === 'udp' ? findMatch('udp')?.save(m as never) === '' : true;
    if (bare) continue;
    if (m.name === 'tcp' && (s.proto !== 6 || s.invflags & IPT_INV_PROTO)) throw paramProblem("TCP match requires '-p tcp'");
    if (m.name === 'udp' && (s.proto !== 17 || s.invflags & IPT_INV_PROTO)) throw paramProblem("UDP match requires '-p udp'");
  }
}

/** The error iptables-nft prints for a batch message the kernel refused. */
function batchError(op: string, errno: number, what: string): IptError {
  return new IptError(`${PROG}:  ${op} failed (${strerror(errno)}): ${what}\n`, 4);
}

/** Runs one parsed iptables command inside an open batch. */
export function doCommand(ctx: ProcCtx, p: Parsed, b: NfnlBatch): number {
  const def = TABLES.find((d) => d.name === p.table);
  if (p.table === 'nat' && (p.jumpName === 'DROP' || (p.cmd === 'P' && p.arg2 === 'DROP'))) {
    throw new IptError(`${PROG}: \nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\n${TRY}`, 2);
  }
  if (!def) {
    throw new IptError(`${PROG}: table '${p.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, 3);
  }
  const net = ctx.net;
  const table = p.table;
  let t = nft_dump_table(net, table);
  const out = ctx.stdout;
  const isBuiltin = (n: string): boolean => def.hooks.some((h) => HOOK_NAMES[h] === n);
  const find = (name: string): NftChainInfo | null => t?.chains.find((c) => c.name === name) ?? null;
  const send = (msg: NftMsg): number => {
    const e = nfnl_batch_send(b, msg);
    t = nft_dump_table(net, table);
    return -e;
  };
  /** The chain, created in the kernel if it is a built-in one not there yet. */
  const ensureChain = (name: string): NftChainInfo => {
    const c = find(name);
    if (c) return c;
    if (!t) send({ type: 'NEWTABLE', table });
    send({ type: 'NEWCHAIN', table, chain: name });
    return find(name) as NftChainInfo;
  };
  const chainName = p.chain as string;
  switch (p.cmd) {
    case 'A':
    case 'I':
    case 'R':
    case 'D':
    case 'C': {
      const exists = !!find(chainName) || isBuiltin(chainName);
      if (!exists) throw new IptError(ENOENT_MSG, 1);
      if (p.cmd === 'D' && p.rulenum) {
        const c = find(chainName);
        if (!c || p.rulenum > c.rules.length) throw new IptError(c ? 'iptables: Index of deletion too big.\n' : ENOENT_MSG, 1);
        send({ type: 'DELRULE', table, chain: chainName, handle: (c.rules[p.rulenum - 1] as NftRuleInfo).handle });
        return 0;
      }
      finishTarget(p, t);
      checkRule(p, chainName);
      if (p.cmd === 'D' || p.cmd === 'C') {
        const c = find(chainName);
        const key = specKey(p.spec);
        const r = c?.rules.find((x) => specKey(x.spec) === key);
        if (!r) throw new IptError('iptables: Bad rule (does a matching rule exist in that chain?).\n', 1);
        if (p.cmd === 'D') send({ type: 'DELRULE', table, chain: chainName, handle: r.handle });
        return 0;
      }
      const counters = p.counters ?? undefined;
      const refused = (e: number): IptError => {
        if (e === ENOENT) return new IptError(ENOENT_MSG, 1);
        return batchError('RULE_APPEND', e, `rule in chain ${chainName}`);
      };
      if (p.cmd === 'R') {
        const c = find(chainName);
        if (!c || p.rulenum > c.rules.length || p.rulenum < 1)
          throw new IptError(c ? 'iptables: Index of replacement too big.\n' : ENOENT_MSG, 1);
        const e = send({
          type: 'NEWRULE',
          table,
          chain: chainName,
          spec: p.spec,
          append: false,
          replace: (c.rules[p.rulenum - 1] as NftRuleInfo).handle,
          counters,
        });
        if (e) throw refused(e);
        return 0;
      }
      const c0 = find(chainName);
      if (p.cmd === 'I' && p.rulenum > (c0 ? c0.rules.length : 0) + 1) throw new IptError('iptables: Index of insertion too big.\n', 1);
      const c = ensureChain(chainName);
      let e: number;
      if (p.cmd === 'A') e = send({ type: 'NEWRULE', table, chain: chainName, spec: p.spec, append: true, counters });
      else {
        const at = c.rules[Math.max(0, (p.rulenum || 1) - 1)];
        e = send(
          at
            ? { type: 'NEWRULE', table, chain: chainName, spec: p.spec, append: false, position: at.handle, counters }
            : { type: 'NEWRULE', table, chain: chainName, spec: p.spec, append: true, counters },
        );
      }
      if (e) throw refused(e);
      return 0;
    }
    case 'N': {
      if (find(chainName) || isBuiltin(chainName)) throw new IptError('iptables: Chain already exists.\n', 1);
      if (chainName.startsWith('-') || chainName === '!') throw paramProblem(`chain name \`${chainName}' not allowed`);
      if (chainName.length > 28) throw paramProblem(`chain name \`${chainName}' too long (must be under 29 chars)`);
      if (!t) send({ type: 'NEWTABLE', table });
      send({ type: 'NEWCHAIN', table, chain: chainName });
      return 0;
    }
    case 'X': {
      const targets = p.chain ? [p.chain] : t ? t.chains.filter((c) => c.hook < 0).map((c) => c.name) : [];
      const busy = (n: string): IptError => batchError('CHAIN_DEL', EBUSY, `chain ${n}`);
      for (const n of targets) {
        const c = find(n);
        if (!c) {
          if (isBuiltin(n)) throw busy(n);
          throw new IptError(ENOENT_MSG, 1);
        }
        if (c.hook >= 0 || c.use > 0) throw busy(n);
      }
      for (const n of targets) {
        const e = send({ type: 'DELCHAIN', table, chain: n });
        if (e === ENOENT) throw new IptError(ENOENT_MSG, 1);
        if (e) throw batchError('CHAIN_DEL', e, `chain ${n}`);
      }
      return 0;
    }
    case 'E': {
      const c = find(chainName);
      if (!c || c.hook >= 0) throw new IptError(ENOENT_MSG, 1);
      const nn = p.arg2 as string;
      if (find(nn) || isBuiltin(nn)) throw new IptError(`iptables: ${strerror(EEXIST)}.\n`, 1);
      send({ type: 'RENAMECHAIN', table, chain: chainName, name: nn });
      return 0;
    }
    case 'P': {
      if (!isBuiltin(chainName)) throw new IptError('iptables: Bad built-in chain name.\n', 1);
      const pol = p.arg2;
      if (pol !== 'ACCEPT' && pol !== 'DROP') throw new IptError("iptables: Bad policy name. Run `dmesg' for more information.\n", 1);
      if (!t) send({ type: 'NEWTABLE', table });
      const e = send({
        type: 'NEWCHAIN',
        table,
        chain: chainName,
        policy: pol === 'DROP' ? NF_DROP : NF_ACCEPT,
        counters: p.counters ?? undefined,
      });
      if (e) throw batchError('CHAIN_USER_ADD', e === EINVAL ? EINVAL : e, `chain ${chainName}`);
      return 0;
    }
    case 'F':
    case 'Z': {
      if (p.chain && !find(p.chain) && !isBuiltin(p.chain)) throw new IptError(ENOENT_MSG, 1);
      if (!t) return 0;
      if (p.chain && !find(p.chain)) return 0;
      if (p.cmd === 'F') send(p.chain ? { type: 'DELRULE', table, chain: p.chain } : { type: 'DELRULE', table });
      else send(p.chain ? { type: 'RESETCOUNTERS', table, chain: p.chain } : { type: 'RESETCOUNTERS', table });
      return 0;
    }
    case 'L':
    case 'S': {
      const all = listChains(t, table);
      let list = all;
      if (p.chain) {
        list = all.filter((c) => c.name === p.chain);
        if (!list.length) throw new IptError(`${PROG}: chain \`${p.chain}' in table \`${table}' is incompatible, use 'nft' tool.\n`, 1);
      }
      if (p.cmd === 'S') {
        if (p.chain && p.rulenum) {
          const e = list[0] as ListedChain;
          const r = e.chain?.rules[p.rulenum - 1];
          if (r) out.write(`-A ${e.name}${saveRule(r.spec, p.fmt.verbose ? ` -c ${r.pcnt} ${r.bcnt}` : '')}\n`);
          return 0;
        }
        for (const e of list)
          if (e.builtin)
            out.write(`-P ${e.name} ${policyName(e.chain)}${p.fmt.verbose ? ` -c ${e.chain?.pcnt ?? 0} ${e.chain?.bcnt ?? 0}` : ''}\n`);
        for (const e of list) if (!e.builtin) out.write(`-N ${e.name}\n`);
        for (const e of list)
          for (const r of e.chain?.rules ?? [])
            out.write(`-A ${e.name}${saveRule(r.spec, p.fmt.verbose ? ` -c ${r.pcnt} ${r.bcnt}` : '')}\n`);
        return 0;
      }
      if (p.chain && p.rulenum) {
        const e = list[0] as ListedChain;
        const r = e.chain?.rules[p.rulenum - 1];
        if (r) out.write(printRule(r, p.rulenum, p.fmt));
        return 0;
      }
      let first = true;
      for (const e of list) {
        if (!first) out.write('\n');
        first = false;
        out.write(printHeader(e.chain, e.name, e.builtin ? policyName(e.chain) : null, e.chain?.use ?? 0, p.fmt));
        let n = 1;
        for (const r of e.chain?.rules ?? []) out.write(printRule(r, n++, p.fmt));
      }
      return 0;
    }
  }
  return 0;
}
