// How nft 1.0.6 prints a ruleset (src/rule.c, statement.c, expression.c,
// datatype.c): `nft list ruleset` and its friends from the kernel's dump,
// with -a (handles), -n (numeric), -s (stateless). printRuleset() is the
// reusable entry point: give it what the kernel dumps, get nft's text.
import type { Expr, Stmt } from './ast.ts';
import { type Datatype, printValue, T, TYPES_BY_ID, timeString } from './datatype.ts';
import { type DelinEnv, type DumpedSet, delinearize, dtypeOfId, setElemExprs } from './delinearize.ts';
import {
  NFT_SET_ANONYMOUS,
  NFT_SET_CONSTANT,
  NFT_SET_EVAL,
  NFT_SET_INTERVAL,
  NFT_SET_MAP,
  NFT_SET_TIMEOUT,
  type NftChain,
  type NftObj,
  type NftRule,
  type NftSet,
  type NftSetElem,
  type NftTable,
} from '../../../kernel/uapi/nf_tables.ts';
import { FAMILY_NAME, HOOKS, STD_PRIOS, BRIDGE_PRIOS } from './proto.ts';

export interface PrintOpts {
  handles: boolean;
  /** -n given this many times */
  numeric: number;
  stateless: boolean;
  /** if_indextoname */
  ifname(index: number): string | undefined;
}

/** Everything `nft list ruleset` asks the kernel for. */
export interface RulesetDump {
  tables: NftTable[];
  chains: NftChain[];
  rules: NftRule[];
  sets: (NftSet & { elements: NftSetElem[] })[];
  objs: NftObj[];
}

/** What one listing shows: all of it, or one table/chain/set/object kind. */
export interface ListSelect {
  family?: string;
  table?: string;
  chain?: string;
  set?: string;
  /** only sets/maps/objects of this kind (`list sets`, `list counters`) */
  only?: 'sets' | 'maps' | 'counters' | 'quotas' | 'limits' | 'chains' | 'set' | 'map' | 'counter' | 'quota' | 'chain';
  /** `list tables`: one line per table */
  tablesOnly?: boolean;
}

// ---------------------------------------------------------------- expressions

export function exprStr(e: Expr, o: PrintOpts): string {
  switch (e.k) {
    case 'value':
      return valueStr(e.dtype, e.v, e.bits, o);
    case 'symbol':
      return e.quoted ? `"${e.text}"` : e.text;
    case 'payload':
      return `${e.proto.name} ${e.field?.name ?? ''}`;
    case 'meta': {
      const unqualified = ['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup'];
      return unqualified.includes(e.key) ? e.key : `meta ${e.key}`;
    }
    case 'ct':
      return e.dir ? `ct ${e.dir} ${e.key}` : `ct ${e.key}`;
    case 'numgen':
      return `numgen ${e.mode} mod ${e.mod}${e.offset ? ` offset ${e.offset}` : ''}`;
    case 'hash':
      return e.mode === 'symhash'
        ? `symhash mod ${e.mod}${e.offset ? ` offset ${e.offset}` : ''}`
        : `jhash ${e.expr ? exprStr(e.expr, o) : ''} mod ${e.mod}${e.seed ? ` seed 0x${e.seed.toString(16)}` : ''}${e.offset ? ` offset ${e.offset}` : ''}`;
    case 'fib':
      return `fib ${e.flags.join(' . ')} ${e.result}`;
    case 'prefix':
      return `${exprStr(e.e, o)}/${e.plen}`;
    case 'range':
      return `${exprStr(e.lo, o)}-${exprStr(e.hi, o)}`;
    case 'set':
      return `{ ${e.elems.map((x) => exprStr(x, o)).join(', ')} }`;
    case 'setref':
      return `@${e.name}`;
    case 'concat':
      return e.parts.map((p) => exprStr(p, o)).join(' . ');
    case 'mapping':
      return `${exprStr(e.key, o)} : ${exprStr(e.val, o)}`;
    case 'elem': {
      let s = exprStr(e.key, o);
      if (e.timeout !== undefined) s += ` timeout ${timeString(e.timeout)}`;
      if (e.expires !== undefined && !o.stateless) s += ` expires ${timeString(e.expires)}`;
      if (e.comment !== undefined) s += ` comment "${e.comment}"`;
      return s;
    }
    case 'map':
      return `${exprStr(e.key, o)} map ${exprStr(e.map, o)}`;
    case 'binop':
      return `${exprStr(e.l, o)} ${e.op} ${exprStr(e.r, o)}`;
    case 'list':
      return e.elems.map((x) => exprStr(x, o)).join(',');
    case 'verdict':
      return e.chain !== undefined ? `${e.verdict} ${e.chain}` : e.verdict;
    case 'flagcmp':
      return `${exprStr(e.value, o)} / ${exprStr(e.mask, o)}`;
    case 'variable':
      return `$${e.name}`;
  }
}

function valueStr(dt: Datatype, v: bigint, bits: number, o: PrintOpts): string {
  // -n prints protocols, services, addresses numerically; ifindex names and strings stay
  return printValue(dt, v, bits, { numeric: o.numeric, ifname: o.ifname });
}

const BYTE_UNITS: [string, number][] = [
  ['bytes', 1],
  ['kbytes', 1024],
  ['mbytes', 1024 * 1024],
];

/** get_rate(): the largest unit that divides the value. */
function rateUnit(v: number): [number, string] {
  let x = v;
  let i = 0;
  while (i < 2 && x % 1024 === 0 && x >= 1024) {
    x /= 1024;
    i++;
  }
  return [x, (BYTE_UNITS[i] as [string, number])[0]];
}

export function stmtStr(s: Stmt, o: PrintOpts, family: string): string {
  switch (s.k) {
    case 'match': {
      const op = s.op === 'implicit' || s.op === '==' ? '' : `${s.op} `;
      if (s.right.k === 'flagcmp') return `${exprStr(s.left, o)} ${op}${exprStr(s.right, o)}`;
      if (s.op === '==' && s.left.k === 'binop') return `${exprStr(s.left, o)} == ${exprStr(s.right, o)}`;
      return `${exprStr(s.left, o)} ${op}${exprStr(s.right, o)}`;
    }
    case 'verdict':
      return exprStr(s.expr, o);
    case 'vmap':
      return `${exprStr(s.key, o)} vmap ${exprStr(s.map, o)}`;
    case 'counter':
      return o.stateless ? 'counter' : `counter packets ${s.packets} bytes ${s.bytes}`;
    case 'objref':
      return `${s.type} name "${s.name}"`;
    case 'limit': {
      let out = `limit rate ${s.inv ? 'over ' : ''}`;
      if (s.bytes) {
        const [r, u] = rateUnit(s.rate);
        out += `${r} ${u}/${s.unit}`;
        if (s.burst) {
          const [b, bu] = rateUnit(s.burst);
          out += ` burst ${b} ${bu}`;
        }
      } else {
        out += `${s.rate}/${s.unit}`;
        if (s.burst !== 5 && s.burst !== 0) out += ` burst ${s.burst} packets`;
      }
      return out;
    }
    case 'quota': {
      const [b, u] = rateUnit(s.bytes);
      let out = `quota ${s.inv ? 'over ' : ''}${b} ${u}`;
      if (s.used && !o.stateless) {
        const [ub, uu] = rateUnit(s.used);
        out += ` used ${ub} ${uu}`;
      }
      return out;
    }
    case 'log': {
      let out = 'log';
      if (s.prefix !== undefined) out += ` prefix "${s.prefix}"`;
      if (s.group !== undefined) out += ` group ${s.group}`;
      if (s.snaplen) out += ` snaplen ${s.snaplen}`;
      if (s.qthreshold) out += ` queue-threshold ${s.qthreshold}`;
      if (s.level !== undefined) out += ` level ${s.level}`;
      if (s.flags.length) out += ` flags ${s.flags.join(',')}`;
      return out;
    }
    case 'reject': {
      if (!s.type) return 'reject';
      if (s.type === 'tcp reset') return 'reject with tcp reset';
      return `reject with ${s.type} ${s.code ? exprStr(s.code, o) : ''}`;
    }
    case 'nat': {
      let out = s.type;
      if (s.family && (s.type === 'snat' || s.type === 'dnat') && family === 'inet') out += ` ${s.family}`;
      if (s.addr || s.port) {
        out += ' to';
        if (s.addr) {
          const a = exprStr(s.addr, o);
          out += ` ${s.family === 'ip6' && s.port ? `[${a}]` : a}`;
        }
        if (s.port) out += s.addr ? `:${exprStr(s.port, o)}` : ` :${exprStr(s.port, o)}`;
      }
      if (s.flags.length) out += ` ${s.flags.join(',')}`;
      return out;
    }
    case 'metaset': {
      const unq = ['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup'];
      return `${unq.includes(s.key) ? s.key : `meta ${s.key}`} set ${exprStr(s.value, o)}`;
    }
    case 'ctset':
      return `ct ${s.dir ? `${s.dir} ` : ''}${s.key} set ${exprStr(s.value, o)}`;
    case 'notrack':
      return 'notrack';
    case 'dynset':
      return `${s.op} @${s.set} { ${exprStr(s.key, o)}${s.timeout !== undefined ? ` timeout ${timeString(s.timeout)}` : ''} }`;
    case 'queue': {
      let out = 'queue';
      if (s.flags.length) out += ` flags ${s.flags.join(',')}`;
      if (s.num) out += ` to ${s.num}`;
      return out;
    }
    case 'raw':
      return s.text;
  }
}

// ---------------------------------------------------------------- userdata (libnftnl's TLVs)

/** NFTNL_UDATA_RULE_COMMENT etc.: type, length, value. */
export function udataGet(u: Uint8Array | undefined, type: number): Uint8Array | undefined {
  if (!u) return undefined;
  let i = 0;
  while (i + 2 <= u.length) {
    const t = u[i] as number;
    const l = u[i + 1] as number;
    if (t === type) return u.slice(i + 2, i + 2 + l);
    i += 2 + l;
  }
  return undefined;
}

export function udataPut(parts: [number, Uint8Array][]): Uint8Array {
  const out: number[] = [];
  for (const [t, v] of parts) out.push(t, v.length, ...v);
  return Uint8Array.from(out);
}

export function udataString(s: string): Uint8Array {
  const b = new TextEncoder().encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

export function udataText(v: Uint8Array | undefined): string | undefined {
  if (!v) return undefined;
  const end = v.indexOf(0);
  return new TextDecoder().decode(end >= 0 ? v.slice(0, end) : v);
}

/** Set userdata keys (libnftnl's NFTNL_UDATA_SET_*). */
export const UDATA_SET_KEYBYTEORDER = 0;
export const UDATA_SET_DATABYTEORDER = 1;
export const UDATA_SET_MERGE_ELEMENTS = 2;
export const UDATA_SET_KEY_TYPEOF = 3;
export const UDATA_SET_DATA_TYPEOF = 4;
export const UDATA_SET_COMMENT = 7;
export const UDATA_RULE_COMMENT = 0;
export const UDATA_TABLE_COMMENT = 0;
export const UDATA_CHAIN_COMMENT = 0;

// ---------------------------------------------------------------- ruleset

function famName(n: number): string {
  return FAMILY_NAME.get(n) ?? `${n}`;
}

function prioStr(family: string, hook: number, prio: number, o: PrintOpts): string {
  if (!o.numeric) {
    const arr = family === 'bridge' ? BRIDGE_PRIOS : STD_PRIOS;
    for (const [name, val] of arr) {
      if (Math.abs(prio - val) <= 10) {
        if (!prioCompat(val, family, hook)) break;
        const off = prio - val;
        return off > 0 ? `${name} + ${off}` : off < 0 ? `${name} - ${-off}` : name;
      }
    }
  }
  return `${prio}`;
}

function prioCompat(prio: number, family: string, hook: number): boolean {
  if (family === 'bridge') {
    if (prio === -300) return hook === 0;
    if (prio === -200) return true;
    if (prio === 100) return hook === 3;
    if (prio === 300) return hook === 4;
    return false;
  }
  const inet = family === 'inet' || family === 'ip' || family === 'ip6';
  switch (prio) {
    case 0:
      return inet || family === 'arp' || family === 'netdev';
    case -300:
    case -150:
    case 50:
      return inet;
    case -100:
      return inet && hook === 0;
    case 100:
      return inet && hook === 4;
  }
  return false;
}

function hookName(family: string, hook: number): string {
  for (const [k, v] of Object.entries(HOOKS[family] ?? {})) if (v === hook) return k;
  return 'unknown';
}

/** A dumped set as the printer and the delinearizer see it. */
export function dumpedSet(s: NftSet & { elements: NftSetElem[] }): DumpedSet {
  return {
    name: s.name,
    flags: s.flags ?? 0,
    keyType: s.keyType ?? 0,
    keyLen: s.keyLen,
    dataType: s.dataType,
    dataLen: s.dataLen,
    elements: s.elements,
    concat: s.desc?.concat,
  };
}

export function ruleText(r: NftRule, sets: Map<string, DumpedSet>, family: string, o: PrintOpts): string {
  const env: DelinEnv = { family, set: (n) => sets.get(n), compatProto: r.compat?.proto };
  const stmts = delinearize(r.expressions, env);
  let out = stmts.map((s) => stmtStr(s, o, family)).join(' ');
  const c = udataText(udataGet(r.userdata, UDATA_RULE_COMMENT));
  if (c !== undefined) out += `${out ? ' ' : ''}comment "${c}"`;
  return out;
}

function setTypeStr(s: NftSet): string {
  const ty = udataText(udataGet(s.userdata, UDATA_SET_KEY_TYPEOF));
  if (ty !== undefined) {
    const dty = udataText(udataGet(s.userdata, UDATA_SET_DATA_TYPEOF));
    return `typeof ${ty}${dty !== undefined ? ` : ${dty}` : ''}`;
  }
  const kt = dtypeOfId(s.keyType ?? 0, s.keyLen * 8)
    .map((t) => t.name)
    .join(' . ');
  let out = `type ${kt}`;
  if ((s.flags ?? 0) & NFT_SET_MAP) {
    const dt = s.dataType === 0xffffff00 ? 'verdict' : (TYPES_BY_ID.get(s.dataType ?? 0)?.name ?? 'integer');
    out += ` : ${dt}`;
  }
  return out;
}

/** set_print_declaration + elements, with nft's line wrapping of elements. */
export function setText(s: NftSet & { elements: NftSetElem[] }, o: PrintOpts, indent = '\t'): string {
  const flags = s.flags ?? 0;
  const kind = flags & NFT_SET_MAP ? 'map' : 'set';
  let out = `${indent}${kind} ${s.name} {`;
  if (o.handles) out += ` # handle ${s.handle ?? 0}`;
  out += '\n';
  const i2 = `${indent}\t`;
  out += `${i2}${setTypeStr(s)}\n`;
  if (s.desc?.size) out += `${i2}size ${s.desc.size}\n`;
  // flags: dynamic comes before timeout in the printed list? nft prints in bit order: constant, interval, timeout, dynamic
  const fl = flags & ~(NFT_SET_MAP | NFT_SET_ANONYMOUS);
  const printed = setFlagsFor(fl);
  if (printed) out += `${i2}flags ${printed}\n`;
  if (s.timeout) out += `${i2}timeout ${timeString(BigInt(s.timeout))}\n`;
  if (s.gcInterval) out += `${i2}gc-interval ${timeString(BigInt(s.gcInterval))}\n`;
  if (udataGet(s.userdata, UDATA_SET_MERGE_ELEMENTS)) out += `${i2}auto-merge\n`;
  const comment = udataText(udataGet(s.userdata, UDATA_SET_COMMENT));
  if (comment !== undefined) out += `${i2}comment "${comment}"\n`;
  if (s.elements.length) {
    const d = dumpedSet(s);
    const keyTypes = dtypeOfId(s.keyType ?? 0, s.keyLen * 8);
    const keyBits = keyTypes.length > 1 ? (s.desc?.concat ?? []).map((n) => n * 8) : [keyTypes[0]?.bits || s.keyLen * 8];
    const elems = setElemExprs(d, keyTypes, keyBits);
    if (elems.length) {
      out += `${i2}elements = { `;
      const dt = keyTypes.length > 1 ? undefined : keyTypes[0];
      let count = 0;
      let d = '';
      for (const e of elems) {
        out += d + exprStr(e, o);
        count++;
        d = calculateDelim(
          dt,
          () => count,
          (n) => {
            count = n;
          },
        );
      }
      out += ' }\n';
    }
  }
  out += `${indent}}\n`;
  return out;
}

function setFlagsFor(flags: number): string {
  // rule.c set_print_declaration: constant, interval, dynamic, timeout (in that order)
  const names: string[] = [];
  if (flags & NFT_SET_CONSTANT) names.push('constant');
  if (flags & NFT_SET_INTERVAL) names.push('interval');
  if (flags & NFT_SET_EVAL) names.push('dynamic');
  if (flags & NFT_SET_TIMEOUT) names.push('timeout');
  return names.join(',');
}

/** expression.c calculate_delim(): how many elements of a type share a line. */
function calculateDelim(dt: Datatype | undefined, get: () => number, set: (n: number) => void): string {
  const newline = ',\n\t\t\t     ';
  if (!dt) return newline;
  const per = PER_LINE5.has(dt.id) ? 5 : PER_LINE2.has(dt.id) ? 2 : 0;
  if (per) {
    if (get() < per) return ', ';
    set(0);
  }
  return newline;
}

const PER_LINE5 = new Set([2, 4, 11, 12, 13, 15, 16, 19, 20, 23, 24, 25, 27]);
const PER_LINE2 = new Set([7, 26, 28, 31]);

function objText(obj: NftObj, o: PrintOpts, indent = '\t'): string {
  const kind = obj.data.type === 1 ? 'counter' : obj.data.type === 2 ? 'quota' : obj.data.type === 4 ? 'limit' : 'counter';
  let out = `${indent}${kind} ${obj.name} {`;
  if (o.handles) out += ` # handle ${obj.handle ?? 0}`;
  out += '\n';
  const d = obj.data;
  if (d.type === 1) {
    if (!o.stateless) out += `${indent}\tpackets ${d.packets} bytes ${d.bytes}\n`;
    else out += `${indent}\t\n`;
  } else if (d.type === 2) {
    const [b, u] = rateUnit(d.bytes);
    let q = `${d.flags & 1 ? 'over ' : ''}${b} ${u}`;
    if (d.consumed && !o.stateless) {
      const [ub, uu] = rateUnit(d.consumed);
      q += ` used ${ub} ${uu}`;
    }
    out += `${indent}\t${q}\n`;
  } else if (d.type === 4) {
    const units: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day', 604800: 'week' };
    let l = `rate ${d.flags & 1 ? 'over ' : ''}`;
    if (d.limitType === 1) {
      const [r, u] = rateUnit(d.rate);
      l += `${r} ${u}/${units[d.unit] ?? 'second'}`;
    } else l += `${d.rate}/${units[d.unit] ?? 'second'}`;
    if (d.burst && d.burst !== 5) l += ` burst ${d.burst} packets`;
    out += `${indent}\t${l}\n`;
  }
  out += `${indent}}\n`;
  return out;
}

function chainText(c: NftChain, rules: NftRule[], sets: Map<string, DumpedSet>, family: string, o: PrintOpts): string {
  let out = `\tchain ${c.name} {`;
  if (o.handles) out += ` # handle ${c.handle ?? 0}`;
  const comment = udataText(udataGet(c.userdata, UDATA_CHAIN_COMMENT));
  if (comment !== undefined) out += `\n\t\tcomment "${comment}"`;
  out += '\n';
  if (c.hook) {
    out += `\t\ttype ${c.type ?? 'filter'} hook ${hookName(family, c.hook.hooknum)}`;
    const devs = c.hook.devs ?? (c.hook.dev !== undefined ? [c.hook.dev] : []);
    if (devs.length === 1) out += ` device "${devs[0]}"`;
    else if (devs.length > 1) out += ` devices = { ${devs.join(', ')} }`;
    out += ` priority ${prioStr(family, c.hook.hooknum, c.hook.priority, o)};`;
    if (c.policy !== undefined) out += ` policy ${c.policy === 1 ? 'accept' : 'drop'};`;
    out += '\n';
  }
  for (const r of rules) {
    out += `\t\t${ruleText(r, sets, family, o)}`;
    if (o.handles) out += ` # handle ${r.handle ?? 0}`;
    out += '\n';
  }
  out += '\t}\n';
  return out;
}

/** iptables-nft's rules carry xt matches: nft warns, as table_print does. */
function hasXt(rules: NftRule[]): boolean {
  return rules.some((r) => r.expressions.some((x) => x.name === 'match' || x.name === 'target'));
}

export interface Printed {
  out: string;
  /** warnings nft prints on stderr (iptables-nft tables) */
  err: string;
  /** both, in the order nft writes them (it flushes stdout as it prints) */
  parts: [1 | 2, string][];
}

/** nft list ...: the text for the selection, from the kernel's dump. */
export function printRuleset(d: RulesetDump, sel: ListSelect, o: PrintOpts): Printed {
  let out = '';
  let err = '';
  const parts: [1 | 2, string][] = [];
  const emit = (fd: 1 | 2, s: string) => {
    if (fd === 1) out += s;
    else err += s;
    const last = parts[parts.length - 1];
    if (last && last[0] === fd) last[1] += s;
    else parts.push([fd, s]);
  };
  for (const t of d.tables) {
    const family = famName(t.family);
    if (sel.family && sel.family !== family) continue;
    if (sel.table !== undefined && sel.table !== t.name) continue;
    if (sel.tablesOnly) {
      emit(1, `table ${family} ${t.name}\n`);
      continue;
    }
    const chains = d.chains.filter((c) => c.family === t.family && c.table === t.name);
    const rules = d.rules.filter((r) => r.family === t.family && r.table === t.name);
    const sets = d.sets.filter((s) => s.family === t.family && s.table === t.name);
    const objs = d.objs.filter((x) => x.family === t.family && x.table === t.name);
    const setMap = new Map(sets.map((s) => [s.name, dumpedSet(s)]));
    const only = sel.only;
    const warn = !only && hasXt(rules);
    const items: string[] = [];
    if (!only || only === 'counters' || only === 'quotas' || only === 'counter' || only === 'quota' || only === 'limits') {
      for (const obj of objs) {
        const kind = obj.data.type === 1 ? 'counter' : obj.data.type === 2 ? 'quota' : 'limit';
        if (only && !only.startsWith(kind)) continue;
        if (sel.set !== undefined && obj.name !== sel.set) continue;
        items.push(objText(obj, o));
      }
    }
    if (!only || only === 'sets' || only === 'maps' || only === 'set' || only === 'map') {
      for (const s of sets) {
        if ((s.flags ?? 0) & NFT_SET_ANONYMOUS) continue;
        const isMap = ((s.flags ?? 0) & NFT_SET_MAP) !== 0;
        if ((only === 'sets' || only === 'set') && isMap) continue;
        if ((only === 'maps' || only === 'map') && !isMap) continue;
        if (sel.set !== undefined && s.name !== sel.set) continue;
        const shown = only === 'sets' || only === 'maps' ? { ...s } : s;
        items.push(setText(shown, o));
      }
    }
    if (!only || only === 'chain' || only === 'chains') {
      for (const c of chains) {
        if (sel.chain !== undefined && c.name !== sel.chain) continue;
        if (only === 'chains') {
          let h = `\tchain ${c.name} {`;
          if (o.handles) h += ` # handle ${c.handle ?? 0}`;
          h += '\n';
          if (c.hook) {
            h += `\t\ttype ${c.type ?? 'filter'} hook ${hookName(family, c.hook.hooknum)}`;
            const devs = c.hook.devs ?? (c.hook.dev !== undefined ? [c.hook.dev] : []);
            if (devs.length === 1) h += ` device "${devs[0]}"`;
            else if (devs.length > 1) h += ` devices = { ${devs.join(', ')} }`;
            h += ` priority ${prioStr(family, c.hook.hooknum, c.hook.priority, o)};`;
            if (c.policy !== undefined) h += ` policy ${c.policy === 1 ? 'accept' : 'drop'};`;
            h += '\n';
          }
          items.push(`${h}\t}\n`);
          continue;
        }
        items.push(
          chainText(
            c,
            rules.filter((r) => r.chain === c.name),
            setMap,
            family,
            o,
          ),
        );
      }
    }
    if (only && !items.length) continue;
    if (warn) emit(2, `# Warning: table ${family} ${t.name} is managed by iptables-nft, do not touch!\n`);
    let head = `table ${family} ${t.name} {`;
    if (o.handles && (!only || only === 'chain' || sel.chain === undefined)) head += ` # handle ${t.handle ?? 0}`;
    if (only === 'chain' && o.handles) head = `table ${family} ${t.name} {`;
    let text = `${head}\n`;
    if (!only) {
      if ((t.flags ?? 0) & 1) text += '\tflags dormant\n';
      const comment = udataText(udataGet(t.userdata, UDATA_TABLE_COMMENT));
      if (comment !== undefined) text += `\tcomment "${comment}"\n`;
    }
    text += items.join('\n');
    text += '}\n';
    emit(1, text);
  }
  return { out, err, parts };
}

export { T };
