// `nft -j list …` (nftables 1.0.6 src/json.c): the ruleset as JSON, built from
// the same kernel dump and the same delinearized statements the text listing
// uses, and written as jansson writes it (", " and ": " between items, keys in
// the order json.c packs them, one line, a newline at the end).
import type { Expr, Stmt } from './ast.ts';
import { type Datatype, printValue, protoName, T } from './datatype.ts';
import { type DelinEnv, delinearize, dtypeOfId, setElemExprs } from './delinearize.ts';
import {
  NFT_SET_ANONYMOUS,
  NFT_SET_CONSTANT,
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
import {
  dumpedSet,
  type ListSelect,
  type PrintOpts,
  type RulesetDump,
  UDATA_RULE_COMMENT,
  UDATA_SET_COMMENT,
  udataGet,
  udataText,
} from './print.ts';
import { FAMILY_NAME, HOOKS } from './proto.ts';

/** A JSON value in the order json.c builds it (a bigint: a 64-bit integer past 2^53, written exactly). */
export type Json = null | boolean | number | bigint | string | Json[] | { [k: string]: Json };

/** json_dumps(root, 0): jansson's separators, its string escapes (\uXXXX upper-case). */
export function jsonText(v: Json): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return jsonString(v);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${jsonString(k)}: ${jsonText(x)}`)
    .join(', ')}}`;
}

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

export interface JsonOpts extends PrintOpts {}

const U64 = 1n << 64n;

/** integer_type_json(): a number when it fits an unsigned long, else a hex string. */
function integerJson(v: bigint): Json {
  if (v >= 0n && v < U64) return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return `0x${v.toString(16)}`;
}

/** The flags of a bitmask value by name, lowest bit first (a list of one is its name alone). */
function flagsJson(dt: Datatype, v: bigint): Json {
  const names: Json[] = [];
  let rest = v;
  for (const [k, bit] of [...(dt.symbols ?? [])].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) {
    if (bit && (rest & bit) === bit) {
      names.push(k);
      rest &= ~bit;
    }
  }
  if (rest) names.push(integerJson(rest));
  if (names.length === 0) return integerJson(v);
  return names.length === 1 ? (names[0] as Json) : names;
}

/** datatype_json(): a constant of a type. */
export function valueJson(dt: Datatype, v: bigint, bits: number, o: JsonOpts): Json {
  const numeric = o.numeric > 0;
  if (dt.bitmask) return numeric ? integerJson(v) : flagsJson(dt, v);
  if (dt.symbols && dt !== T.classid) {
    for (const [k, val] of dt.symbols) if (val === v) return numeric ? integerJson(v) : k;
  }
  switch (dt) {
    case T.inetproto: {
      const name = o.numeric >= 3 ? undefined : protoName(Number(v));
      return name ?? integerJson(v);
    }
    case T.inetservice:
    case T.mark:
    case T.uid:
    case T.gid:
      return integerJson(v);
    case T.time:
      return integerJson(v / 1000n);
    case T.boolean:
      return v !== 0n;
    case T.ipaddr:
    case T.ip6addr:
    case T.etheraddr:
    case T.lladdr:
    case T.ifname:
    case T.string:
    case T.ifindex:
    case T.classid: {
      // the type's print, without the quotes strings and device names get
      const s = printValue(dt, v, bits, o);
      return s.startsWith('"') ? s.slice(1, s.indexOf('"', 1) < 0 ? undefined : s.indexOf('"', 1)) : s;
    }
  }
  return integerJson(v);
}

const BASE_TOKENS = ['ll', 'nh', 'th', 'ih'];

function verdictJson(e: Expr & { k: 'verdict' }): Json {
  if (e.chain !== undefined) return { [e.verdict]: { target: e.chain } };
  return { [e.verdict]: null };
}

/** expr_print_json() */
export function exprJson(e: Expr, o: JsonOpts): Json {
  switch (e.k) {
    case 'value':
      return valueJson(e.dtype, e.v, e.bits, o);
    case 'symbol':
      return e.text;
    case 'variable':
      return `$${e.name}`;
    case 'payload':
      if (e.field) return { payload: { protocol: e.proto.name, field: e.field.name } };
      return { payload: { base: BASE_TOKENS[e.base] ?? 'll', offset: e.offset, len: e.len } };
    case 'meta':
      return { meta: { key: e.key } };
    case 'ct':
      return { ct: e.dir ? { key: e.key, dir: e.dir } : { key: e.key } };
    case 'numgen':
      return { numgen: { mode: e.mode, mod: e.mod, offset: e.offset } };
    case 'hash': {
      const root: { [k: string]: Json } = { mod: e.mod };
      if (e.seed !== undefined) root['seed'] = e.seed;
      if (e.offset) root['offset'] = e.offset;
      if (e.mode === 'jhash' && e.expr) root['expr'] = exprJson(e.expr, o);
      return { [e.mode]: root };
    }
    case 'fib':
      return e.flags.length ? { fib: { result: e.result, flags: e.flags } } : { fib: { result: e.result } };
    case 'prefix':
      return { prefix: { addr: exprJson(e.e, o), len: e.plen } };
    case 'range': {
      // range_expr_json(): ports and protocols numerically
      const n: JsonOpts = { ...o, numeric: Math.max(o.numeric, 3) };
      return { range: [exprJson(e.lo, n), exprJson(e.hi, n)] };
    }
    case 'set':
      return { set: e.elems.map((x) => exprJson(x, o)) };
    case 'setref':
      return `@${e.name}`;
    case 'concat':
      return { concat: e.parts.map((p) => exprJson(p, o)) };
    case 'mapping':
      return [exprJson(e.key, o), exprJson(e.val, o)];
    case 'elem': {
      const key = exprJson(e.key, o);
      if (e.timeout === undefined && e.expires === undefined && e.comment === undefined && !e.counter) return key;
      const root: { [k: string]: Json } = { val: key };
      if (e.timeout) root['timeout'] = integerJson(e.timeout / 1000n);
      if (e.expires) root['expires'] = integerJson(e.expires / 1000n);
      if (e.comment !== undefined) root['comment'] = e.comment;
      return { elem: root };
    }
    case 'map':
      return { map: { key: exprJson(e.key, o), data: exprJson(e.map, o) } };
    case 'binop':
      return { [e.op]: [exprJson(e.l, o), exprJson(e.r, o)] };
    case 'list':
      return e.elems.map((x) => exprJson(x, o));
    case 'verdict':
      return verdictJson(e);
    case 'flagcmp':
      return { '&': [exprJson(e.e, o), exprJson(e.mask, o)] };
  }
}

const DATA_UNITS = ['bytes', 'kbytes', 'mbytes'];

/** get_rate(): the largest unit that divides the byte count. */
function rate(bytes: number): [number, string] {
  if (!bytes) return [0, 'bytes'];
  let x = bytes;
  let i = 0;
  while (i < 2 && x % 1024 === 0) {
    x /= 1024;
    i++;
  }
  return [x, DATA_UNITS[i] as string];
}

/** The `op` of a match: nft's implicit op of a flag test is "in", a plain comparison "==". */
function matchOp(s: Stmt & { k: 'match' }): string {
  if (s.op !== 'implicit') return s.op;
  const r = s.right;
  if (r.k === 'value' && r.dtype.bitmask) return 'in';
  if (r.k === 'list') return 'in';
  return '==';
}

/** stmt_print_json() */
export function stmtJson(s: Stmt, o: JsonOpts & { stateless?: boolean }, family: string): Json {
  switch (s.k) {
    case 'match':
      if (s.right.k === 'flagcmp') return { match: { op: '==', left: exprJson(s.right, o), right: exprJson(s.right.value, o) } };
      return { match: { op: matchOp(s), left: exprJson(s.left, o), right: exprJson(s.right, o) } };
    case 'verdict':
      return verdictJson(s.expr);
    case 'vmap':
      return { vmap: { key: exprJson(s.key, o), data: exprJson(s.map, o) } };
    case 'counter':
      return o.stateless ? { counter: null } : { counter: { packets: s.packets, bytes: s.bytes } };
    case 'objref':
      return { [s.type]: s.name };
    case 'limit': {
      const root: { [k: string]: Json } = {};
      if (s.bytes) {
        const [r, ru] = rate(s.rate);
        const [b, bu] = rate(s.burst);
        root['rate'] = r;
        root['burst'] = b;
        root['per'] = s.unit;
        if (s.inv) root['inv'] = true;
        root['rate_unit'] = ru;
        root['burst_unit'] = bu;
      } else {
        root['rate'] = s.rate;
        root['burst'] = s.burst;
        root['per'] = s.unit;
        if (s.inv) root['inv'] = true;
      }
      return { limit: root };
    }
    case 'quota': {
      const [v, u] = rate(s.bytes);
      const root: { [k: string]: Json } = { val: v, val_unit: u };
      if (s.inv) root['inv'] = true;
      if (!o.stateless && s.used) {
        const [uv, uu] = rate(s.used);
        root['used'] = uv;
        root['used_unit'] = uu;
      }
      return { quota: root };
    }
    case 'log': {
      const root: { [k: string]: Json } = {};
      if (s.prefix !== undefined) root['prefix'] = s.prefix;
      if (s.group !== undefined) root['group'] = s.group;
      if (s.snaplen !== undefined) root['snaplen'] = s.snaplen;
      if (s.qthreshold !== undefined) root['queue-threshold'] = s.qthreshold;
      if (s.level !== undefined && s.level !== 'warn') root['level'] = s.level;
      const flags = s.flags.flatMap((f) => (f === 'tcp sequence,options' ? ['tcp sequence', 'tcp options'] : [f]));
      if (flags.length > 1) root['flags'] = flags;
      else if (flags.length === 1) root['flags'] = flags[0] as string;
      return { log: Object.keys(root).length ? root : null };
    }
    case 'reject': {
      // a plain `reject` (the listing leaves out its default): what the kernel holds is printed
      if (s.type === undefined) {
        const type = family === 'ip' ? 'icmp' : family === 'ip6' ? 'icmpv6' : 'icmpx';
        return { reject: { type, expr: 'port-unreachable' } };
      }
      if (s.type === 'tcp reset') return { reject: { type: 'tcp reset' } };
      const type = s.type === 'icmp' && family === 'ip6' ? 'icmpv6' : s.type;
      const root: { [k: string]: Json } = { type };
      if (s.code) root['expr'] = exprJson(s.code, o);
      return { reject: root };
    }
    case 'nat': {
      const root: { [k: string]: Json } = {};
      if (s.family) root['family'] = s.family;
      if (s.addr) root['addr'] = exprJson(s.addr, o);
      if (s.port) root['port'] = exprJson(s.port, o);
      if (s.flags.length > 1) root['flags'] = s.flags;
      else if (s.flags.length === 1) root['flags'] = s.flags[0] as string;
      return { [s.type]: Object.keys(root).length ? root : null };
    }
    case 'metaset':
      return { mangle: { key: { meta: { key: s.key } }, value: exprJson(s.value, o) } };
    case 'ctset':
      return { mangle: { key: { ct: s.dir ? { key: s.key, dir: s.dir } : { key: s.key } }, value: exprJson(s.value, o) } };
    case 'notrack':
      return { notrack: null };
    case 'dynset':
      return { set: { op: s.op, elem: exprJson(s.key, o), set: `@${s.set}` } };
    case 'queue': {
      const root: { [k: string]: Json } = {};
      if (s.num !== undefined) root['num'] = s.num;
      if (s.flags.length > 1) root['flags'] = s.flags;
      else if (s.flags.length === 1) root['flags'] = s.flags[0] as string;
      return { queue: Object.keys(root).length ? root : null };
    }
    case 'raw':
      return s.text;
  }
}

function famName(n: number): string {
  return FAMILY_NAME.get(n) ?? `${n}`;
}

function hookName(family: string, hook: number): string {
  for (const [k, v] of Object.entries(HOOKS[family] ?? {})) if (v === hook) return k;
  return 'unknown';
}

/** table_print_json() */
function tableJson(t: NftTable): Json {
  const root: { [k: string]: Json } = { family: famName(t.family), name: t.name, handle: t.handle ?? 0 };
  const flags: string[] = [];
  const names = ['dormant', 'owner', 'persist'];
  for (let i = 0, f = t.flags ?? 0; f; i++, f >>>= 1) if (f & 1) flags.push(names[i] ?? `${i}`);
  if (flags.length === 1) root['flags'] = flags[0] as string;
  else if (flags.length > 1) root['flags'] = flags;
  return { table: root };
}

/** chain_print_json() */
function chainJson(c: NftChain): Json {
  const family = famName(c.family);
  const root: { [k: string]: Json } = { family, table: c.table, name: c.name, handle: c.handle ?? 0 };
  if (c.hook) {
    root['type'] = c.type ?? 'filter';
    root['hook'] = hookName(family, c.hook.hooknum);
    root['prio'] = c.hook.priority;
    root['policy'] = c.policy === 0 ? 'drop' : 'accept';
    // json.c prints "dev" from the chain's dev_expr, which a chain read back from the kernel lacks
  }
  return { chain: root };
}

/** The type names of a set's key (set_dtype_json: the type name split at " ."), or its data. */
function typeNames(id: number, len: number): Json {
  const names = dtypeOfId(id, len * 8).map((t) => t.name);
  return names.length === 1 ? (names[0] as string) : names;
}

/** set_print_json() */
function setJson(s: NftSet & { elements: NftSetElem[] }, o: JsonOpts): Json {
  const flags = s.flags ?? 0;
  const isMap = (flags & NFT_SET_MAP) !== 0;
  const root: { [k: string]: Json } = {
    family: famName(s.family),
    name: s.name,
    table: s.table,
    type: typeNames(s.keyType ?? 0, s.keyLen),
    handle: s.handle ?? 0,
  };
  const comment = udataText(udataGet(s.userdata, UDATA_SET_COMMENT));
  if (comment !== undefined) root['comment'] = comment;
  if (isMap) root['map'] = s.dataType === 0xffffff00 ? 'verdict' : typeNames(s.dataType ?? 0, s.dataLen ?? 4);
  if (!(flags & NFT_SET_CONSTANT)) {
    if (s.policy === 1) root['policy'] = 'memory';
    if (s.desc?.size) root['size'] = s.desc.size;
  }
  const fl: string[] = [];
  if (flags & NFT_SET_CONSTANT) fl.push('constant');
  if (flags & NFT_SET_INTERVAL) fl.push('interval');
  if (flags & NFT_SET_TIMEOUT) fl.push('timeout');
  if (fl.length) root['flags'] = fl;
  if (s.timeout) root['timeout'] = Math.floor(s.timeout / 1000);
  if (s.gcInterval) root['gc-interval'] = Math.floor(s.gcInterval / 1000);
  if (s.elements.length) {
    const keyTypes = dtypeOfId(s.keyType ?? 0, s.keyLen * 8);
    const keyBits = keyTypes.length > 1 ? (s.desc?.concat ?? []).map((n) => n * 8) : [keyTypes[0]?.bits || s.keyLen * 8];
    const elems = setElemExprs(dumpedSet(s), keyTypes, keyBits);
    if (elems.length) root['elem'] = elems.map((e) => exprJson(e, o));
  }
  return { [isMap ? 'map' : 'set']: root };
}

/** obj_print_json() for the objects the engine has: counters, quotas, limits. */
function objJson(x: NftObj): Json {
  const root: { [k: string]: Json } = { family: famName(x.family), name: x.name, table: x.table, handle: x.handle ?? 0 };
  const d = x.data;
  const units: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day', 604800: 'week' };
  switch (d.type) {
    case 1:
      root['packets'] = d.packets;
      root['bytes'] = d.bytes;
      return { counter: root };
    case 2:
      root['bytes'] = d.bytes;
      root['used'] = d.consumed;
      root['inv'] = (d.flags & 1) !== 0;
      return { quota: root };
    case 4: {
      const bytes = d.limitType === 1;
      const [r, ru] = bytes ? rate(d.rate) : [d.rate, ''];
      const [b, bu] = bytes ? rate(d.burst) : [d.burst, ''];
      root['rate'] = r;
      root['per'] = units[d.unit] ?? 'error';
      root['burst'] = b;
      if (bytes) {
        root['unit'] = 'bytes';
        root['rate_unit'] = ru;
        root['burst_unit'] = bu;
      }
      root['inv'] = (d.flags & 1) !== 0;
      return { limit: root };
    }
  }
  return { counter: root };
}

/** rule_print_json() */
export function ruleJson(r: NftRule, env: DelinEnv, o: JsonOpts & { stateless?: boolean }): Json {
  const family = famName(r.family);
  const root: { [k: string]: Json } = { family, table: r.table, chain: r.chain, handle: r.handle ?? 0 };
  const comment = udataText(udataGet(r.userdata, UDATA_RULE_COMMENT));
  if (comment !== undefined) root['comment'] = comment;
  const stmts = delinearize(r.expressions, env);
  if (stmts.length) root['expr'] = stmts.map((s) => stmtJson(s, o, family));
  return { rule: root };
}

/** generate_json_metainfo() */
export const METAINFO: Json = { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } };

/**
 * do_command_list_json(): `nft -j list ruleset|tables|table|chain|set|map|counters …`
 * as one JSON document; each table's objects, named sets, chains, then all its rules.
 */
export function rulesetJson(d: RulesetDump, sel: ListSelect, o: PrintOpts): string {
  const out: Json[] = [METAINFO];
  for (const t of d.tables) {
    const family = famName(t.family);
    if (sel.family && sel.family !== family) continue;
    if (sel.table !== undefined && sel.table !== t.name) continue;
    if (sel.tablesOnly) {
      out.push(tableJson(t));
      continue;
    }
    const mine = <X extends { family: number; table: string }>(xs: X[]): X[] =>
      xs.filter((x) => x.family === t.family && x.table === t.name);
    const sets = mine(d.sets);
    const setMap = new Map(sets.map((s) => [s.name, dumpedSet(s)]));
    const env: DelinEnv = { family, set: (n) => setMap.get(n) };
    const only = sel.only;
    if (!only) out.push(tableJson(t));
    if (!only || only === 'counters' || only === 'quotas' || only === 'limits' || only === 'counter' || only === 'quota') {
      for (const x of mine(d.objs)) {
        const kind = x.data.type === 1 ? 'counter' : x.data.type === 2 ? 'quota' : 'limit';
        if (only && !only.startsWith(kind)) continue;
        if (sel.set !== undefined && x.name !== sel.set) continue;
        out.push(objJson(x));
      }
    }
    if (!only || only === 'sets' || only === 'maps' || only === 'set' || only === 'map') {
      for (const s of sets) {
        if ((s.flags ?? 0) & NFT_SET_ANONYMOUS) continue;
        const isMap = ((s.flags ?? 0) & NFT_SET_MAP) !== 0;
        if ((only === 'sets' || only === 'set') && isMap) continue;
        if ((only === 'maps' || only === 'map') && !isMap) continue;
        if (sel.set !== undefined && s.name !== sel.set) continue;
        out.push(setJson(s, o));
      }
    }
    if (!only || only === 'chain' || only === 'chains') {
      const rules: Json[] = [];
      for (const c of mine(d.chains)) {
        if (sel.chain !== undefined && c.name !== sel.chain) continue;
        out.push(chainJson(c));
        if (only === 'chains') continue;
        for (const r of mine(d.rules)) if (r.chain === c.name) rules.push(ruleJson(r, env, o));
      }
      out.push(...rules);
    }
  }
  return `${jsonText({ nftables: out })}\n`;
}
