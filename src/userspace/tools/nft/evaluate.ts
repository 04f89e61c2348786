// Evaluation and linearization of rules (nftables 1.0.6 src/evaluate.c and
// netlink_linearize.c in spirit): symbols become typed values, payload
// expressions get their protocol dependencies (meta nfproto, meta l4proto,
// meta iiftype) in the family's context, and every statement becomes the
// register machine's expressions the kernel receives, as nft builds them:
// prefixes on whole bytes shorten the load, flags become `bitwise` + `cmp`,
// ranges `cmp gte`/`cmp lte`, sets anonymous sets of the batch, adjacent
// payload equalities one wider load.
import type { Expr, Field, Proto, Rule, Stmt } from './ast.ts';
import { type Datatype, type ParseEnv, parseSymbol, stringValue, T } from './datatype.ts';
import {
  NFT_SET_ANONYMOUS,
  NFT_SET_CONCAT,
  NFT_SET_CONSTANT,
  NFT_SET_ELEM_INTERVAL_END,
  NFT_SET_INTERVAL,
  NFT_SET_MAP,
  type NftExpr,
  type NftSetElem,
  type NftVerdict,
} from '../../../kernel/uapi/nf_tables.ts';
import { NftError } from './parser.ts';
import { CT_BY_NAME, META_BY_NAME, PROTOS, protoByName } from './proto.ts';
import type { Loc } from './scanner.ts';

export const NF_DROP = 0;
export const NF_ACCEPT = 1;
export const NF_QUEUE = 3;
export const NFT_CONTINUE = -1;
export const NFT_JUMP = -3;
export const NFT_GOTO = -4;
export const NFT_RETURN = -5;

/** A set the rule refers to (by name) or creates (anonymous), as the evaluator needs it. */
export interface SetInfo {
  name: string;
  keyTypes: Datatype[];
  /** Bits of each key part. */
  keyBits: number[];
  flags: number;
  dataType?: Datatype;
  dataBits?: number;
  id?: number;
  /** auto-merge: adjacent and overlapping intervals become one */
  autoMerge?: boolean;
}

/** An anonymous set a rule brings along (NEWSET + NEWSETELEM before the NEWRULE). */
export interface AnonSet {
  info: SetInfo;
  keyLen: number;
  dataLen?: number;
  elements: NftSetElem[];
  /** concatenation field lengths in bytes */
  concat?: number[];
}

export interface EvalEnv extends ParseEnv {
  family: string;
  /** A named set of the table (from the kernel or the same batch). */
  set(name: string): SetInfo | undefined;
  /** NFTA_SET_ID for the next anonymous set of the batch. */
  nextSetId(): number;
}

export interface LinearRule {
  exprs: NftExpr[];
  sets: AnonSet[];
  /** Where each expression came from (a jump's chain name for its immediate): kernel errors point there. */
  locs: Loc[];
}

const fail = (msg: string, ...locs: Loc[]): never => {
  throw new NftError(msg, locs);
};

/** Bytes a value of `bits` takes in a register. */
export const byteLen = (bits: number) => Math.ceil(bits / 8);

/** A value as register bytes: network order for big-endian types, little-endian (x86) for host order. */
export function toBytes(v: bigint, len: number, order: 'big' | 'host' | 'invalid'): Uint8Array {
  const out = new Uint8Array(len);
  let x = v;
  if (order === 'big') {
    for (let i = len - 1; i >= 0; i--) {
      out[i] = Number(x & 255n);
      x >>= 8n;
    }
  } else {
    for (let i = 0; i < len; i++) {
      out[i] = Number(x & 255n);
      x >>= 8n;
    }
  }
  return out;
}

export function fromBytes(b: Uint8Array, order: 'big' | 'host' | 'invalid'): bigint {
  let v = 0n;
  if (order === 'big') for (let i = 0; i < b.length; i++) v = (v << 8n) | BigInt(b[i] ?? 0);
  else for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] ?? 0);
  return v;
}

/** The netlink register of a 32-bit word offset: NFT_REG_1.. when aligned to 16 bytes, NFT_REG32_xx otherwise. */
export function regOf(word: number): number {
  return word % 4 === 0 ? 1 + word / 4 : 8 + word;
}

/** What a left-hand expression loads, with its type. */
interface Loaded {
  dtype: Datatype;
  bits: number;
  order: 'big' | 'host' | 'invalid';
  /** loads into a register (given as a parameter) */
  load(dreg: number): NftExpr[];
  /** bytes the load leaves in the register */
  len: number;
  /** a payload sub-byte field: mask and shift of the value */
  shift?: number;
  mask?: Uint8Array;
  payload?: { base: number; offset: number; field: Field; proto: Proto };
}

interface Ctx {
  env: EvalEnv;
  /** network protocol known: 'ip' | 'ip6' */
  nl?: string;
  nlLoc?: Loc;
  /** transport protocol known, by name */
  tl?: string;
  tlLoc?: Loc;
  ll?: boolean;
  out: NftExpr[];
  sets: AnonSet[];
}

export function linearizeRule(rule: Rule, env: EvalEnv): LinearRule {
  const ctx: Ctx = { env, out: [], sets: [] };
  if (env.family === 'ip') ctx.nl = 'ip';
  if (env.family === 'ip6') ctx.nl = 'ip6';
  // rule_evaluate(): a statement after a terminal one (a verdict other than continue, reject,
  // nat/masquerade/redirect, queue) is refused once the statements before it evaluated
  const t = rule.stmts.findIndex(terminal);
  const after = rule.stmts[t + 1];
  if (t >= 0 && after) {
    for (const s of mergePayloads(rule.stmts.slice(0, t + 1))) stmt(ctx, s);
    fail('Statement after terminal statement has no effect', after.loc, (rule.stmts[t] as Stmt).loc);
  }
  const stmts = mergePayloads(rule.stmts);
  const locs: Loc[] = [];
  for (const s of stmts) {
    const first = ctx.out.length;
    stmt(ctx, s);
    const where = s.k === 'verdict' && s.expr.chainLoc ? s.expr.chainLoc : s.loc;
    while (locs.length < ctx.out.length) locs.push(where);
    // netlink_gen_relational(): the meta load carries the meta expression's own location
    // (the kernel's extack then points nft's caret at `ibrname`, not at the whole match)
    if (s.k === 'match' && s.left.k === 'meta') {
      const key = META_BY_NAME.get(s.left.key)?.key;
      for (let i = ctx.out.length - 1; i >= first; i--) {
        const x = ctx.out[i] as { name: string; key?: unknown; dreg?: number };
        if (x.name === 'meta' && x.key === key && x.dreg !== undefined) {
          locs[i] = s.left.loc;
          break;
        }
      }
    }
  }
  return { exprs: ctx.out, sets: ctx.sets, locs };
}

/** STMT_F_TERMINAL as stmt_evaluate() sets it. */
function terminal(s: Stmt): boolean {
  if (s.k === 'verdict') return s.expr.verdict !== 'continue';
  return s.k === 'reject' || s.k === 'nat' || s.k === 'queue';
}

/**
 * nft merges consecutive equality matches on adjacent fields of one header
 * into one load and compare (`udp sport 67 udp dport 68`): here, adjacent
 * whole-byte payload fields of the same protocol with constant values.
 */
function mergePayloads(stmts: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    const prev = out[out.length - 1] as (Stmt & { k: 'match' }) | undefined;
    if (
      s.k === 'match' &&
      prev?.k === 'match' &&
      mergeable(prev) &&
      mergeable(s) &&
      prev.left.k === 'payload' &&
      s.left.k === 'payload' &&
      prev.left.proto.name === s.left.proto.name &&
      (prev as Stmt & { merged?: Stmt[] }).merged === undefined
    ) {
      const a = prev.left;
      const b = s.left;
      const fa = protoByName(a.proto.name)?.fields.find((f) => f.name === a.field?.name);
      const fb = protoByName(b.proto.name)?.fields.find((f) => f.name === b.field?.name);
      if (fa && fb && fa.offset + fa.len === fb.offset && fa.len % 8 === 0 && fb.len % 8 === 0 && fa.len + fb.len <= 128) {
        (prev as Stmt & { merged?: Stmt[] }).merged = [s];
        continue;
      }
    }
    out.push(s);
  }
  return out;
}

function mergeable(s: Stmt & { k: 'match' }): boolean {
  if (s.op !== 'implicit' && s.op !== '==') return false;
  const left = s.left;
  if (left.k !== 'payload' || left.proto.name === 'th') return false;
  if (s.right.k !== 'symbol' && s.right.k !== 'value') return false;
  const f = protoByName(left.proto.name)?.fields.find((x) => x.name === left.field?.name);
  return !!f && !f.dtype.bitmask && f.len % 8 === 0 && f.offset % 8 === 0;
}

// ---------------------------------------------------------------- left-hand expressions

function protoDependency(ctx: Ctx, proto: Proto, loc: Loc): void {
  const fam = ctx.env.family;
  const name = proto.name;
  if (name === 'th') return;
  if (name === 'ether' || name === 'vlan') {
    if (fam === 'ip' || fam === 'ip6' || fam === 'inet') {
      if (!ctx.ll) {
        metaCmp(ctx, 'iiftype', toBytes(1n, 2, 'host'));
        ctx.ll = true;
      }
    }
    return;
  }
  if (name === 'ip' || name === 'ip6' || name === 'arp') {
    if (ctx.nl) {
      if (ctx.nl !== name) fail(`conflicting protocols specified: ${ctx.nl} vs. ${name}`, loc);
      return;
    }
    if (fam === 'inet') metaCmp(ctx, 'nfproto', toBytes(BigInt(proto.protocol ?? 0), 1, 'host'));
    else if (fam === 'netdev' || fam === 'bridge') {
      const et = name === 'ip' ? 0x0800n : name === 'ip6' ? 0x86ddn : 0x0806n;
      if (fam === 'netdev') metaCmp(ctx, 'protocol', toBytes(et, 2, 'big'));
      else {
        ctx.out.push({ name: 'payload', base: 0, offset: 12, len: 2, dreg: 1 });
        ctx.out.push({ name: 'cmp', sreg: 1, op: 0, data: toBytes(et, 2, 'big') });
      }
    }
    ctx.nl = name;
    ctx.nlLoc = loc;
    return;
  }
  // transport header
  if (ctx.tl) {
    if (ctx.tl !== name) fail(`conflicting protocols specified: ${ctx.tl} vs. ${name}`, loc);
    return;
  }
  if (name === 'icmp' && ctx.nl !== 'ip') protoDependency(ctx, PROTOS.ip, loc);
  if (name === 'icmpv6' && ctx.nl !== 'ip6') protoDependency(ctx, PROTOS.ip6, loc);
  metaCmp(ctx, 'l4proto', toBytes(BigInt(proto.protocol ?? 0), 1, 'host'));
  ctx.tl = name;
  ctx.tlLoc = loc;
}

function metaCmp(ctx: Ctx, key: string, data: Uint8Array): void {
  const m = META_BY_NAME.get(key);
  if (!m) return;
  ctx.out.push({ name: 'meta', key: m.key, dreg: 1 });
  ctx.out.push({ name: 'cmp', sreg: 1, op: 0, data });
}

function lhs(ctx: Ctx, e: Expr, deps = true): Loaded {
  switch (e.k) {
    case 'payload': {
      const proto = protoByName(e.proto.name);
      if (!proto) return fail('unknown protocol', e.loc);
      const field = proto.fields.find((f) => f.name === e.field?.name);
      if (!field) return fail(`unknown field`, e.loc);
      if (deps) protoDependency(ctx, proto, e.loc);
      const byteOff = Math.floor(field.offset / 8);
      const endBit = field.offset + field.len;
      const len = Math.ceil(endBit / 8) - byteOff;
      const sub = field.offset % 8 !== 0 || field.len % 8 !== 0;
      let mask: Uint8Array | undefined;
      let shift: number | undefined;
      if (sub) {
        shift = len * 8 - (field.offset % 8) - field.len;
        const m = ((1n << BigInt(field.len)) - 1n) << BigInt(shift);
        mask = toBytes(m, len, 'big');
      }
      return {
        dtype: field.dtype,
        bits: field.len,
        order: field.dtype.byteorder === 'host' ? 'big' : field.dtype.byteorder,
        len,
        shift,
        mask,
        payload: { base: proto.base, offset: byteOff, field, proto },
        load: (dreg) => {
          const l: NftExpr[] = [{ name: 'payload', base: proto.base, offset: byteOff, len, dreg }];
          if (mask) l.push({ name: 'bitwise', sreg: dreg, dreg, len, mask, xor: new Uint8Array(len) });
          return l;
        },
      };
    }
    case 'meta': {
      const m = META_BY_NAME.get(e.key);
      if (!m) return fail(`unknown meta key`, e.loc);
      if (e.key === 'nfproto' && ctx.env.family !== 'inet') fail('meta nfproto is only useful in the inet family', e.loc);
      const len = byteLen(m.bits);
      return {
        dtype: m.dtype,
        bits: m.bits,
        order: m.dtype.byteorder,
        len,
        load: (dreg) => [{ name: 'meta', key: m.key, dreg }],
      };
    }
    case 'ct': {
      const c = CT_BY_NAME.get(e.key);
      if (!c) return fail(`unknown ct key`, e.loc);
      const dir = e.dir === 'original' ? 0 : e.dir === 'reply' ? 1 : undefined;
      return {
        dtype: c.dtype,
        bits: c.bits,
        order: c.dtype.byteorder,
        len: byteLen(c.bits),
        load: (dreg) => [dir === undefined ? { name: 'ct', key: c.key, dreg } : { name: 'ct', key: c.key, dir, dreg }],
      };
    }
    case 'numgen':
      return {
        dtype: T.integer,
        bits: 32,
        order: 'host',
        len: 4,
        load: (dreg) => [
          { name: 'numgen', dreg, modulus: e.mod, type: e.mode === 'inc' ? 0 : 1, ...(e.offset ? { offset: e.offset } : {}) },
        ],
      };
    case 'hash': {
      if (e.mode === 'symhash')
        return {
          dtype: T.integer,
          bits: 32,
          order: 'host',
          len: 4,
          load: (dreg) => [{ name: 'hash', type: 1, dreg, modulus: e.mod, ...(e.offset ? { offset: e.offset } : {}) }],
        };
      const inner = e.expr ? lhs(ctx, e.expr) : undefined;
      return {
        dtype: T.integer,
        bits: 32,
        order: 'host',
        len: 4,
        load: (dreg) => [
          ...(inner ? inner.load(dreg + 1) : []),
          {
            name: 'hash',
            type: 0,
            dreg,
            sreg: dreg + 1,
            len: inner?.len ?? 0,
            modulus: e.mod,
            seed: e.seed ?? 0,
            ...(e.offset ? { offset: e.offset } : {}),
          },
        ],
      };
    }
    case 'fib': {
      const fl = { saddr: 1, daddr: 2, mark: 4, iif: 8, oif: 16 } as Record<string, number>;
      let flags = 0;
      for (const f of e.flags) flags |= fl[f] ?? 0;
      if ((flags & 3) === 3) fail('fib: saddr and daddr are mutually exclusive', e.loc);
      if ((flags & 24) === 24) fail('fib: iif and oif are mutually exclusive', e.loc);
      const result = e.result === 'oif' ? 1 : e.result === 'oifname' ? 2 : 3;
      const dtype = result === 1 ? T.ifindex : result === 2 ? T.ifname : T.fibaddr;
      const bits = result === 2 ? 128 : 32;
      return {
        dtype,
        bits,
        order: 'host',
        len: bits / 8,
        load: (dreg) => [{ name: 'fib', dreg, result, flags }],
      };
    }
    case 'concat': {
      const parts = e.parts.map((p) => lhs(ctx, p));
      return {
        dtype: T.integer,
        bits: parts.reduce((a, p) => a + Math.ceil(p.len / 4) * 32, 0),
        order: 'big',
        len: parts.reduce((a, p) => a + Math.ceil(p.len / 4) * 4, 0),
        load: (dreg) => {
          const l: NftExpr[] = [];
          let word = (dreg - 1) * 4;
          for (const p of parts) {
            l.push(...p.load(regOf(word)));
            word += Math.ceil(p.len / 4);
          }
          return l;
        },
        concatParts: parts,
        exprLoc: e.loc,
      } as Loaded & { concatParts: Loaded[] };
    }
    case 'binop': {
      const inner = lhs(ctx, e.l);
      const m = symValue(ctx, e.r, inner);
      const mv = m.v;
      return {
        ...inner,
        load: (dreg) => {
          const l = inner.load(dreg);
          const bytes = toBytes(mv, inner.len, inner.order);
          if (e.op === '&') l.push({ name: 'bitwise', sreg: dreg, dreg, len: inner.len, mask: bytes, xor: new Uint8Array(inner.len) });
          else if (e.op === '|') {
            const mask = toBytes(~mv & ((1n << BigInt(inner.len * 8)) - 1n), inner.len, inner.order);
            l.push({ name: 'bitwise', sreg: dreg, dreg, len: inner.len, mask, xor: bytes });
          } else if (e.op === '^')
            l.push({ name: 'bitwise', sreg: dreg, dreg, len: inner.len, mask: new Uint8Array(inner.len).fill(255), xor: bytes });
          return l;
        },
      };
    }
    case 'symbol':
    case 'value':
      return fail('No symbol type information', e.loc);
    default:
      return fail('unsupported expression', e.loc);
  }
}

// ---------------------------------------------------------------- values

interface Val {
  v: bigint;
  /** bytes to compare (an ifname wildcard compares fewer) */
  len?: number;
}

function symValue(ctx: Ctx, e: Expr, l: { dtype: Datatype; bits: number }): Val {
  switch (e.k) {
    case 'symbol': {
      if (e.asterisk && (l.dtype === T.ifname || l.dtype === T.string)) {
        const s = e.text.slice(0, -1);
        return { v: stringValue(s), len: s.length };
      }
      if (l.dtype === T.ifname || l.dtype === T.string) {
        if (e.text.length > l.bits / 8) fail(`String exceeds maximum length of ${l.bits / 8}`, e.loc);
        return { v: stringValue(e.text) };
      }
      if (l.dtype === T.verdict) fail('syntax error', e.loc);
      const p = parseSymbol(l.dtype, e.text, ctx.env, l.bits);
      if ('error' in p) {
        // a quoted string for a non-string type: nft parses the text inside the quotes
        return fail(p.error, e.loc);
      }
      if (l.bits && l.bits < 64 && p.value >= 1n << BigInt(l.bits) && l.dtype !== T.mark)
        fail(`Value ${e.text} exceeds valid range 0-${(1n << BigInt(l.bits)) - 1n}`, e.loc);
      return { v: p.value };
    }
    case 'value':
      return { v: e.v };
    case 'list': {
      let v = 0n;
      for (const x of e.elems) v |= symValue(ctx, x, l).v;
      return { v };
    }
    case 'binop': {
      const a = symValue(ctx, e.l, l).v;
      const b = symValue(ctx, e.r, l).v;
      return { v: e.op === '|' ? a | b : e.op === '&' ? a & b : a ^ b };
    }
    default:
      return fail('syntax error', e.loc);
  }
}

/** A value in the register form of the left side (sub-byte fields shifted into place). */
function regValue(l: Loaded, v: Val): Uint8Array {
  const x = l.shift ? v.v << BigInt(l.shift) : v.v;
  if (v.len !== undefined) return toBytes(x, l.len, l.order).slice(0, v.len);
  return toBytes(x, l.len, l.order);
}

// ---------------------------------------------------------------- statements

function stmt(ctx: Ctx, s: Stmt): void {
  switch (s.k) {
    case 'match':
      return match(ctx, s);
    case 'verdict':
      ctx.out.push({ name: 'immediate', dreg: 0, data: { verdict: verdictOf(s.expr) } });
      return;
    case 'vmap': {
      const l = lhs(ctx, s.key);
      ctx.out.push(...l.load(1));
      const set = mapSet(ctx, s.map, l, T.verdict, 0, (val) => ({ verdict: verdictOf(val as Expr & { k: 'verdict' }) }));
      ctx.out.push({ name: 'lookup', set: set.name, ...(set.id !== undefined ? { setId: set.id } : {}), sreg: 1, dreg: 0 });
      return;
    }
    case 'counter':
      ctx.out.push({ name: 'counter', packets: s.packets, bytes: s.bytes });
      return;
    case 'objref': {
      const type = s.type === 'counter' ? 1 : s.type === 'quota' ? 2 : 4;
      ctx.out.push({ name: 'objref', immType: type, immName: s.name });
      return;
    }
    case 'limit': {
      const unit = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 }[s.unit] ?? 1;
      ctx.out.push({
        name: 'limit',
        rate: s.rate,
        unit,
        burst: s.burst,
        type: s.bytes ? 1 : 0,
        flags: s.inv ? 1 : 0,
      });
      return;
    }
    case 'quota':
      ctx.out.push({ name: 'quota', bytes: s.bytes, flags: s.inv ? 1 : 0, consumed: s.used });
      return;
    case 'log': {
      const levels = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug', 'audit'];
      const e: NftExpr & { name: 'log' } = { name: 'log' };
      if (s.prefix !== undefined) e.prefix = s.prefix;
      if (s.group !== undefined) {
        e.group = s.group;
        e.snaplen = s.snaplen ?? 0;
        e.qthreshold = s.qthreshold ?? 0;
      } else {
        e.level = s.level ? levels.indexOf(s.level) : 4;
        let flags = 0;
        for (const f of s.flags)
          flags |= { tcp: 3, 'tcp sequence': 1, 'tcp options': 2, ip: 4, 'ip options': 4, skuid: 8, ether: 0x20, all: 0x2f }[f] ?? 0;
        if (flags) e.flags = flags;
      }
      ctx.out.push(e);
      return;
    }
    case 'reject':
      return reject(ctx, s);
    case 'nat':
      return nat(ctx, s);
    case 'metaset': {
      const m = META_BY_NAME.get(s.key);
      if (!m) return fail('unknown meta key', s.loc);
      setValue(ctx, s.value, { dtype: m.dtype, bits: m.bits, order: m.dtype.byteorder, len: byteLen(m.bits), load: () => [] });
      ctx.out.push({ name: 'meta', key: m.key, sreg: 1 });
      return;
    }
    case 'ctset': {
      const c = CT_BY_NAME.get(s.key);
      if (!c) return fail('unknown ct key', s.loc);
      setValue(ctx, s.value, { dtype: c.dtype, bits: c.bits, order: c.dtype.byteorder, len: byteLen(c.bits), load: () => [] });
      const dir = s.dir === 'original' ? 0 : s.dir === 'reply' ? 1 : undefined;
      ctx.out.push(dir === undefined ? { name: 'ct', key: c.key, sreg: 1 } : { name: 'ct', key: c.key, dir, sreg: 1 });
      return;
    }
    case 'notrack':
      ctx.out.push({ name: 'notrack' });
      return;
    case 'dynset': {
      const set = ctx.env.set(s.set);
      if (!set) return fail('No such file or directory', s.setLoc);
      const l = lhs(ctx, s.key);
      ctx.out.push(...l.load(1));
      ctx.out.push({
        name: 'dynset',
        setName: s.set,
        op: s.op === 'add' ? 0 : s.op === 'update' ? 1 : 2,
        sregKey: 1,
        timeout: s.timeout !== undefined ? Number(s.timeout) : 0,
      });
      return;
    }
    case 'queue': {
      let flags = 0;
      for (const f of s.flags) flags |= f === 'bypass' ? 1 : f === 'fanout' ? 2 : 0;
      ctx.out.push({ name: 'queue', num: s.num ?? 0, total: 1, flags });
      return;
    }
    case 'raw':
      return fail('unsupported statement', s.loc);
  }
}

/** A value into register 1 for a `set` statement: a constant (immediate) or an expression (numgen, hash, ...). */
function setValue(ctx: Ctx, value: Expr, l: Loaded): void {
  if (value.k === 'symbol' || value.k === 'value' || value.k === 'list' || value.k === 'binop') {
    const v = symValue(ctx, value, l);
    ctx.out.push({ name: 'immediate', dreg: 1, data: { value: regValue(l, v) } });
    return;
  }
  if (value.k === 'map') {
    const key = lhs(ctx, value.key);
    ctx.out.push(...key.load(1));
    const set = mapSet(ctx, value.map, key, l.dtype, l.bits, (val) => ({ value: regValue(l, symValue(ctx, val, l)) }));
    ctx.out.push({ name: 'lookup', set: set.name, ...(set.id !== undefined ? { setId: set.id } : {}), sreg: 1, dreg: 1 });
    return;
  }
  const src = lhs(ctx, value);
  ctx.out.push(...src.load(1));
}

export function verdictOf(v: Expr & { k: 'verdict' }): NftVerdict {
  switch (v.verdict) {
    case 'accept':
      return { code: NF_ACCEPT };
    case 'drop':
      return { code: NF_DROP };
    case 'continue':
      return { code: NFT_CONTINUE };
    case 'return':
      return { code: NFT_RETURN };
    case 'queue':
      return { code: NF_QUEUE };
    case 'jump':
      return { code: NFT_JUMP, chain: v.chain };
    default:
      return { code: NFT_GOTO, chain: v.chain };
  }
}

const CMP = { '==': 0, implicit: 0, '!=': 1, '<': 2, '<=': 3, '>': 4, '>=': 5 } as const;

function match(ctx: Ctx, s: Stmt & { k: 'match' }): void {
  const merged = (s as Stmt & { merged?: (Stmt & { k: 'match' })[] }).merged;
  if (merged) return mergedMatch(ctx, [s, ...merged]);
  const left = s.left;
  const right = s.right;
  if (left.k === 'fib' && right.k === 'symbol' && (right.text === 'exists' || right.text === 'missing')) {
    const l0 = lhs(ctx, left);
    const loads = l0.load(1) as (NftExpr & { name: 'fib' })[];
    for (const x of loads) x.flags |= 32;
    ctx.out.push(...loads);
    const v = right.text === 'exists' ? 1n : 0n;
    ctx.out.push({ name: 'cmp', sreg: 1, op: s.op === '!=' ? 1 : 0, data: toBytes(v, 1, 'host') });
    return;
  }
  const l = lhs(ctx, left);
  // the context a match gives: meta l4proto tcp, ip protocol tcp, meta nfproto ipv4
  const learn = () => {
    if (s.op !== 'implicit' && s.op !== '==') return;
    if (right.k !== 'symbol') return;
    const isL4 =
      (left.k === 'meta' && left.key === 'l4proto') ||
      (left.k === 'payload' && (left.field?.name === 'protocol' || left.field?.name === 'nexthdr'));
    if (isL4) {
      const p = parseSymbol(T.inetproto, right.text, ctx.env, 8);
      if ('value' in p) {
        const n = Number(p.value);
        const name = n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 1 ? 'icmp' : n === 58 ? 'icmpv6' : n === 136 ? 'udplite' : undefined;
        if (name && !ctx.tl) {
          ctx.tl = name;
          ctx.tlLoc = s.loc;
        }
      }
    }
    if (left.k === 'meta' && left.key === 'nfproto') {
      if (right.text === 'ipv4' || right.text === '2') ctx.nl = ctx.nl ?? 'ip';
      if (right.text === 'ipv6' || right.text === '10') ctx.nl = ctx.nl ?? 'ip6';
    }
    // `ether type ip` (bridge, netdev) and `meta protocol ip` give the network header's protocol
    if (
      (left.k === 'payload' && left.proto.name === 'ether' && left.field?.name === 'type') ||
      (left.k === 'meta' && left.key === 'protocol')
    ) {
      const n = right.text === 'ip' ? 'ip' : right.text === 'ip6' ? 'ip6' : right.text === 'arp' ? 'arp' : undefined;
      if (n && !ctx.nl) {
        ctx.nl = n;
        ctx.nlLoc = s.loc;
      }
    }
  };
  if (right.k === 'set' || right.k === 'setref') {
    const set = right.k === 'setref' ? namedSet(ctx, right, l) : anonSet(ctx, right, l);
    if (!set) {
      // a single-element set is a plain compare
      const only = (right as Expr & { k: 'set' }).elems[0];
      return match(ctx, { ...s, right: only as Expr });
    }
    ctx.out.push(...l.load(1));
    const flags = s.op === '!=' ? 1 : 0;
    ctx.out.push({
      name: 'lookup',
      set: set.name,
      ...(set.id !== undefined ? { setId: set.id } : {}),
      sreg: 1,
      ...(flags ? { flags } : {}),
    });
    return;
  }
  if (right.k === 'flagcmp') {
    const mask = symValue(ctx, right.mask, l).v;
    const value = symValue(ctx, right.value, l).v;
    ctx.out.push(...l.load(1));
    ctx.out.push({
      name: 'bitwise',
      sreg: 1,
      dreg: 1,
      len: l.len,
      mask: regValue(l, { v: mask }),
      xor: new Uint8Array(l.len),
    });
    ctx.out.push({ name: 'cmp', sreg: 1, op: 0, data: regValue(l, { v: value }) });
    return;
  }
  if (right.k === 'range') {
    const lo = symValue(ctx, right.lo, l);
    const hi = symValue(ctx, right.hi, l);
    if (lo.v > hi.v) fail('Range has zero or negative size', right.loc);
    const loads = l.load(1);
    ctx.out.push(...loads);
    const big = l.order !== 'big' && l.len > 1;
    if (big) ctx.out.push({ name: 'byteorder', sreg: 1, dreg: 1, op: 1, len: l.len, size: l.len >= 4 ? 4 : l.len });
    const enc = (v: Val) => toBytes(l.shift ? v.v << BigInt(l.shift) : v.v, l.len, big ? 'big' : l.order);
    if (s.op === '!=') ctx.out.push({ name: 'range', sreg: 1, op: 1, fromData: enc(lo), toData: enc(hi) });
    else {
      ctx.out.push({ name: 'cmp', sreg: 1, op: 5, data: enc(lo) });
      ctx.out.push({ name: 'cmp', sreg: 1, op: 3, data: enc(hi) });
    }
    return;
  }
  if (right.k === 'prefix') {
    const v = symValue(ctx, right.e, l).v;
    const plen = right.plen;
    if (plen > l.bits) fail(`Prefix length ${plen} is invalid for type of ${l.bits} bits`, right.loc);
    const hostBits = BigInt(l.bits - plen);
    const masked = (v >> hostBits) << hostBits;
    if (l.payload && plen % 8 === 0 && !l.mask) {
      // nft loads only the prefix's bytes
      const n = plen / 8;
      if (n === 0) return;
      ctx.out.push({ name: 'payload', base: l.payload.base, offset: l.payload.offset, len: n, dreg: 1 });
      ctx.out.push({ name: 'cmp', sreg: 1, op: CMP[s.op === '!=' ? '!=' : '=='], data: toBytes(masked, l.len, l.order).slice(0, n) });
      return;
    }
    ctx.out.push(...l.load(1));
    const mask = ((1n << BigInt(l.bits)) - 1n) ^ ((1n << hostBits) - 1n);
    ctx.out.push({ name: 'bitwise', sreg: 1, dreg: 1, len: l.len, mask: toBytes(mask, l.len, l.order), xor: new Uint8Array(l.len) });
    ctx.out.push({ name: 'cmp', sreg: 1, op: CMP[s.op === '!=' ? '!=' : '=='], data: toBytes(masked, l.len, l.order) });
    return;
  }
  if (right.k === 'concat') {
    const parts = (l as Loaded & { concatParts?: Loaded[] }).concatParts;
    if (!parts) return fail('syntax error', right.loc);
    const bytes: number[] = [];
    right.parts.forEach((p, i) => {
      const pl = parts[i] as Loaded;
      const b = regValue(pl, symValue(ctx, p, pl));
      const padded = new Uint8Array(Math.ceil(pl.len / 4) * 4);
      padded.set(b);
      bytes.push(...padded);
    });
    ctx.out.push(...l.load(1));
    ctx.out.push({ name: 'cmp', sreg: 1, op: CMP[s.op], data: Uint8Array.from(bytes) });
    return;
  }
  const v = symValue(ctx, right, l);
  ctx.out.push(...l.load(1));
  if (l.dtype.bitmask && s.op === 'implicit' && !l.mask) {
    // a flag match: (x & flags) != 0
    ctx.out.push({ name: 'bitwise', sreg: 1, dreg: 1, len: l.len, mask: regValue(l, v), xor: new Uint8Array(l.len) });
    ctx.out.push({ name: 'cmp', sreg: 1, op: 1, data: new Uint8Array(l.len) });
    return;
  }
  const op = CMP[s.op];
  let data = regValue(l, v);
  if (op >= 2 && l.order === 'host' && l.len > 1) {
    ctx.out.push({ name: 'byteorder', sreg: 1, dreg: 1, op: 1, len: l.len, size: l.len >= 4 ? 4 : l.len });
    data = toBytes(v.v, l.len, 'big');
  }
  if (v.len !== undefined && v.len === 0) {
    // `iifname "*"` matches every name: nothing to compare
    ctx.out.pop();
    return;
  }
  ctx.out.push({ name: 'cmp', sreg: 1, op, data });
  learn();
}

function mergedMatch(ctx: Ctx, ms: (Stmt & { k: 'match' })[]): void {
  const loads = ms.map((m) => lhs(ctx, m.left));
  const bytes: number[] = [];
  ms.forEach((m, i) => bytes.push(...regValue(loads[i] as Loaded, symValue(ctx, m.right, loads[i] as Loaded))));
  const first = loads[0]?.payload;
  if (!first) return;
  ctx.out.push({ name: 'payload', base: first.base, offset: first.offset, len: bytes.length, dreg: 1 });
  ctx.out.push({ name: 'cmp', sreg: 1, op: 0, data: Uint8Array.from(bytes) });
}

function namedSet(ctx: Ctx, ref: Expr & { k: 'setref' }, _l: Loaded): SetInfo {
  const set = ctx.env.set(ref.name);
  if (!set) return fail('No such file or directory', ref.loc);
  return set;
}

/** The key bytes of one element value, each concatenation part padded to 32 bits. */
function keyBytes(ctx: Ctx, e: Expr, l: Loaded): Uint8Array {
  const tooMany = (l as Loaded & { exprLoc?: Loc }).exprLoc;
  const parts = (l as Loaded & { concatParts?: Loaded[] }).concatParts;
  if (parts) {
    if (e.k === 'concat' && e.parts.length > parts.length) fail('too many concatenation components', e.loc, ...(tooMany ? [tooMany] : []));
    if (e.k !== 'concat' || e.parts.length !== parts.length)
      fail(`invalid data type, expected concatenation of (${parts.map((p) => p.dtype.desc).join(', ')})`, e.loc);
    const out: number[] = [];
    (e as Expr & { k: 'concat' }).parts.forEach((p, i) => {
      const part = parts[i] as Loaded;
      const b = regValue(part, symValue(ctx, p, part));
      const padded = new Uint8Array(Math.ceil(part.len / 4) * 4);
      padded.set(b);
      out.push(...padded);
    });
    return Uint8Array.from(out);
  }
  return regValue(l, symValue(ctx, e, l));
}

interface ElemIv {
  lo: bigint;
  hi: bigint;
  data?: NftSetElem['data'];
  loc: Loc;
}

/** The elements of a set expression against a key type: intervals when ranges/prefixes occur. */
export function setElements(
  ctx: { env: EvalEnv },
  set: Expr & { k: 'set' },
  l: Loaded,
  declared: boolean | 'anon',
  data?: (val: Expr) => NftSetElem['data'],
  autoMerge = declared === 'anon',
): { elems: NftSetElem[]; interval: boolean; locs: Loc[] } {
  const c = ctx as Ctx;
  const flat: Expr[] = [];
  const walk = (xs: Expr[]) => {
    for (const x of xs)
      if (x.k === 'set') walk(x.elems);
      else flat.push(x);
  };
  walk(set.elems);
  const hasIv = flat.some((x) => {
    const k = x.k === 'mapping' ? x.key : x;
    const kk = k.k === 'elem' ? k.key : k;
    return kk.k === 'range' || kk.k === 'prefix';
  });
  const interval = declared === 'anon' ? hasIv : declared;
  if (!interval && !(hasIv && declared !== 'anon')) {
    const seen = new Set<string>();
    const elems: NftSetElem[] = [];
    const locs: Loc[] = [];
    for (const x of flat) {
      const m = x.k === 'mapping' ? x : undefined;
      let k = m ? m.key : x;
      const el: NftSetElem = {};
      if (k.k === 'elem') {
        if (k.timeout !== undefined) el.timeout = Number(k.timeout);
        k = k.key;
      }
      el.key = keyBytes(c, k, l);
      // a set keeps one of equal elements; a map sends both and the kernel refuses the second
      const id = Array.from(el.key).join(',');
      if (seen.has(id) && !data) continue;
      seen.add(id);
      if (m && data) el.data = data(m.val);
      elems.push(el);
      locs.push(k.loc);
    }
    return { elems, interval: false, locs };
  }
  // intervals: [lo, hi] in key order, then start/end elements as nft sends them
  const bits = l.len * 8;
  const ivs: ElemIv[] = [];
  for (const x of flat) {
    const m = x.k === 'mapping' ? x : undefined;
    let k = m ? m.key : x;
    if (k.k === 'elem') k = k.key;
    let lo: bigint;
    let hi: bigint;
    const big = (v: Val) => fromBytes(regValue(l, v), l.order);
    if (!interval && (k.k === 'range' || k.k === 'prefix')) {
      fail(
        `You must add 'flags interval' to your ${data ? 'map' : 'set'} declaration if you want to add ${k.k === 'prefix' ? 'prefix' : 'range'} elements`,
        k.loc,
      );
    }
    if (k.k === 'range') {
      lo = big(symValue(c, k.lo, l));
      hi = big(symValue(c, k.hi, l));
    } else if (k.k === 'prefix') {
      const v = big(symValue(c, k.e, l));
      const hb = BigInt(l.bits - k.plen);
      lo = (v >> hb) << hb;
      hi = lo | ((1n << hb) - 1n);
    } else {
      lo = big(symValue(c, k, l));
      hi = lo;
    }
    ivs.push({ lo, hi, data: m && data ? data(m.val) : undefined, loc: k.loc });
  }
  ivs.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const merged: ElemIv[] = [];
  for (const iv of ivs) {
    const last = merged[merged.length - 1];
    if (last && (iv.lo <= last.hi || (autoMerge && !data && iv.lo === last.hi + 1n))) {
      if (data || (!autoMerge && iv.lo <= last.hi)) fail('conflicting intervals specified', iv.loc, last.loc);
      if (iv.hi > last.hi) last.hi = iv.hi;
      continue;
    }
    merged.push({ ...iv });
  }
  const max = (1n << BigInt(bits)) - 1n;
  const elems: NftSetElem[] = [];
  const locs: Loc[] = [];
  const enc = (v: bigint) => toBytes(v, l.len, l.order);
  if (merged.length && merged[0]?.lo !== 0n) {
    elems.push({ key: enc(0n), flags: NFT_SET_ELEM_INTERVAL_END });
    locs.push((merged[0] as ElemIv).loc);
  }
  merged.forEach((iv, i) => {
    elems.push({ key: enc(iv.lo), ...(iv.data ? { data: iv.data } : {}) });
    locs.push(iv.loc);
    const next = merged[i + 1];
    if (iv.hi !== max && !(next && next.lo === iv.hi + 1n && autoMerge)) {
      elems.push({ key: enc(iv.hi + 1n), flags: NFT_SET_ELEM_INTERVAL_END });
      locs.push(iv.loc);
    }
  });
  return { elems, interval: true, locs };
}

function anonSet(ctx: Ctx, set: Expr & { k: 'set' }, l: Loaded): SetInfo | null {
  if (set.elems.length === 1 && !(l as Loaded & { concatParts?: Loaded[] }).concatParts) {
    const only = set.elems[0] as Expr;
    if (only.k === 'symbol' || only.k === 'prefix' || only.k === 'range' || only.k === 'value') return null;
  }
  const { elems, interval } = setElements(ctx, set, l, 'anon');
  const parts = (l as Loaded & { concatParts?: Loaded[] }).concatParts;
  const id = ctx.env.nextSetId();
  const info: SetInfo = {
    name: '__set%d',
    keyTypes: parts ? parts.map((p) => p.dtype) : [l.dtype],
    keyBits: parts ? parts.map((p) => p.bits) : [l.bits],
    flags: NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | (interval ? NFT_SET_INTERVAL : 0) | (parts && interval ? NFT_SET_CONCAT : 0),
    id,
  };
  ctx.sets.push({
    info,
    keyLen: l.len,
    elements: elems,
    concat: parts ? parts.map((p) => p.len) : undefined,
  });
  return info;
}

function mapSet(ctx: Ctx, m: Expr, l: Loaded, dtype: Datatype, dbits: number, data: (val: Expr) => NftSetElem['data']): SetInfo {
  if (m.k === 'setref') return namedSet(ctx, m, l);
  if (m.k !== 'set') return fail('Expression is not a map', m.loc);
  for (const e of m.elems) if (e.k !== 'mapping') fail('Expression is not a map', e.loc);
  const { elems, interval } = setElements(ctx, m, l, 'anon', data);
  const parts = (l as Loaded & { concatParts?: Loaded[] }).concatParts;
  const id = ctx.env.nextSetId();
  const info: SetInfo = {
    name: '__map%d',
    keyTypes: parts ? parts.map((p) => p.dtype) : [l.dtype],
    keyBits: parts ? parts.map((p) => p.bits) : [l.bits],
    flags: NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_MAP | (interval ? NFT_SET_INTERVAL : 0),
    dataType: dtype,
    dataBits: dbits,
    id,
  };
  ctx.sets.push({
    info,
    keyLen: l.len,
    dataLen: dtype === T.verdict ? 0 : byteLen(dbits),
    elements: elems,
    concat: parts ? parts.map((p) => p.len) : undefined,
  });
  return info;
}

function reject(ctx: Ctx, s: Stmt & { k: 'reject' }): void {
  const fam = ctx.env.family;
  if (s.type === 'tcp reset') {
    if (ctx.tl && ctx.tl !== 'tcp') fail(`conflicting protocols specified: ${ctx.tl} vs. tcp`, s.loc);
    if (!ctx.tl) protoDependency(ctx, PROTOS.tcp, s.loc);
    ctx.out.push({ name: 'reject', type: 1, icmpCode: 0 });
    return;
  }
  if (!s.type) {
    if (fam === 'inet' || fam === 'bridge' || fam === 'netdev') {
      if (ctx.nl === 'ip') ctx.out.push({ name: 'reject', type: 0, icmpCode: 3 });
      else if (ctx.nl === 'ip6') ctx.out.push({ name: 'reject', type: 0, icmpCode: 4 });
      else ctx.out.push({ name: 'reject', type: 2, icmpCode: 1 });
    } else ctx.out.push({ name: 'reject', type: 0, icmpCode: fam === 'ip6' ? 4 : 3 });
    return;
  }
  const dt = s.type === 'icmp' ? T.icmpcode : s.type === 'icmpv6' ? T.icmpv6code : T.icmpxcode;
  const code = s.code as Expr;
  const p = code.k === 'symbol' ? parseSymbol(dt, code.text, ctx.env, 8) : { error: 'invalid' };
  if ('error' in p)
    return fail(
      `invalid ICMP${s.type === 'icmpx' ? 'x' : s.type === 'icmpv6' ? 'v6' : ''} code ${code.k === 'symbol' ? code.text : ''}`,
      code.loc,
    );
  if (s.type === 'icmpx') {
    if (fam === 'ip' || fam === 'ip6') fail('abstracted ICMP unreachable not supported', code.loc, s.kwLoc ?? s.loc);
    ctx.out.push({ name: 'reject', type: 2, icmpCode: Number(p.value) });
    return;
  }
  const want = s.type === 'icmp' ? 'ip' : 'ip6';
  if (fam === 'ip' || fam === 'ip6') {
    if (ctx.nl !== want) fail(`conflicting protocols specified: ${ctx.nl} vs. ${want}`, s.loc);
  } else if (!ctx.nl) protoDependency(ctx, want === 'ip' ? PROTOS.ip : PROTOS.ip6, s.loc);
  else if (ctx.nl !== want) fail(`conflicting protocols specified: ${ctx.nl} vs. ${want}`, s.loc);
  ctx.out.push({ name: 'reject', type: 0, icmpCode: Number(p.value) });
}

const NF_NAT_RANGE_MAP_IPS = 1;
const NF_NAT_RANGE_PROTO_SPECIFIED = 2;
const NAT_FLAGS: Record<string, number> = { random: 4, persistent: 8, 'fully-random': 16 };

function nat(ctx: Ctx, s: Stmt & { k: 'nat' }): void {
  let flags = 0;
  for (const f of s.flags) flags |= NAT_FLAGS[f] ?? 0;
  if (s.port && !ctx.tl) fail('transport protocol mapping is only valid after transport protocol match', s.port.loc, s.loc);
  const portL: Loaded = { dtype: T.inetservice, bits: 16, order: 'big', len: 2, load: () => [] };
  if (s.type === 'masquerade' || s.type === 'redirect') {
    const e: NftExpr & { name: 'masq' | 'redir' } = { name: s.type === 'masquerade' ? 'masq' : 'redir' };
    if (s.port) {
      const [lo, hi] = s.port.k === 'range' ? [s.port.lo, s.port.hi] : [s.port, s.port];
      ctx.out.push({ name: 'immediate', dreg: 1, data: { value: regValue(portL, symValue(ctx, lo, portL)) } });
      e.regProtoMin = 1;
      if (hi !== lo) {
        ctx.out.push({ name: 'immediate', dreg: 2, data: { value: regValue(portL, symValue(ctx, hi, portL)) } });
        e.regProtoMax = 2;
      } else e.regProtoMax = 1;
      flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    }
    if (flags) e.flags = flags;
    ctx.out.push(e);
    return;
  }
  const fam = s.family ?? (ctx.env.family === 'ip6' ? 'ip6' : ctx.env.family === 'inet' ? ctx.nl : 'ip');
  // nat_evaluate_family(): an address in an inet table needs the family
  if (!fam && s.addr) fail('ip or ip6 must be specified with address for inet tables.', s.loc);
  if (!fam) fail('specify `' + s.type + " ip' or '" + s.type + " ip6' in inet table to disambiguate", s.loc);
  const addrL: Loaded =
    fam === 'ip6'
      ? { dtype: T.ip6addr, bits: 128, order: 'big', len: 16, load: () => [] }
      : { dtype: T.ipaddr, bits: 32, order: 'big', len: 4, load: () => [] };
  const e: NftExpr & { name: 'nat' } = { name: 'nat', type: s.type === 'snat' ? 0 : 1, family: fam === 'ip6' ? 10 : 2 };
  let reg = 1;
  if (s.addr) {
    const a = s.addr;
    if (a.k === 'map') {
      const key = lhs(ctx, a.key);
      ctx.out.push(...key.load(1));
      const set = mapSet(ctx, a.map, key, addrL.dtype, addrL.bits, (val) => ({ value: regValue(addrL, symValue(ctx, val, addrL)) }));
      ctx.out.push({ name: 'lookup', set: set.name, ...(set.id !== undefined ? { setId: set.id } : {}), sreg: 1, dreg: 1 });
      e.regAddrMin = 1;
      e.regAddrMax = 1;
      reg = 2;
    } else if (a.k === 'range') {
      ctx.out.push({ name: 'immediate', dreg: 1, data: { value: regValue(addrL, symValue(ctx, a.lo, addrL)) } });
      ctx.out.push({ name: 'immediate', dreg: 2, data: { value: regValue(addrL, symValue(ctx, a.hi, addrL)) } });
      e.regAddrMin = 1;
      e.regAddrMax = 2;
      reg = 3;
    } else if (a.k === 'symbol' || a.k === 'value') {
      ctx.out.push({ name: 'immediate', dreg: 1, data: { value: regValue(addrL, symValue(ctx, a, addrL)) } });
      e.regAddrMin = 1;
      e.regAddrMax = 1;
      reg = 2;
    } else {
      const src = lhs(ctx, a);
      ctx.out.push(...src.load(1));
      e.regAddrMin = 1;
      e.regAddrMax = 1;
      reg = 2;
    }
    flags |= NF_NAT_RANGE_MAP_IPS;
  }
  if (s.port) {
    const [lo, hi] = s.port.k === 'range' ? [s.port.lo, s.port.hi] : [s.port, s.port];
    ctx.out.push({ name: 'immediate', dreg: reg, data: { value: regValue(portL, symValue(ctx, lo, portL)) } });
    e.regProtoMin = reg;
    if (hi !== lo) {
      ctx.out.push({ name: 'immediate', dreg: reg + 1, data: { value: regValue(portL, symValue(ctx, hi, portL)) } });
      e.regProtoMax = reg + 1;
    } else e.regProtoMax = reg;
    flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
  }
  if (flags) e.flags = flags;
  ctx.out.push(e);
}

/** The Loaded shape of a set's key type, for elements given to `add element`. */
export function keyLoaded(types: Datatype[], bits: number[]): Loaded {
  if (types.length === 1) {
    const t0 = types[0] as Datatype;
    const b0 = bits[0] ?? 0;
    return { dtype: t0, bits: b0, order: t0.byteorder, len: byteLen(b0), load: () => [] };
  }
  const parts = types.map((t, i) => keyLoaded([t], [bits[i] ?? 0]));
  return {
    dtype: T.integer,
    bits: parts.reduce((a, p) => a + Math.ceil(p.len / 4) * 32, 0),
    order: 'big',
    len: parts.reduce((a, p) => a + Math.ceil(p.len / 4) * 4, 0),
    load: () => [],
    concatParts: parts,
  } as Loaded & { concatParts: Loaded[] };
}

/** The elements of `add element` / `elements = { }` for a declared set. */
export function declElements(env: EvalEnv, set: SetInfo, elems: Expr & { k: 'set' }): { elems: NftSetElem[]; locs: Loc[] } {
  const l = keyLoaded(set.keyTypes, set.keyBits);
  const ctx = { env, out: [], sets: [] } as Ctx;
  const dataL = set.dataType && set.dataType !== T.verdict ? keyLoaded([set.dataType], [set.dataBits ?? 32]) : undefined;
  const data = set.dataType
    ? (val: Expr): NftSetElem['data'] =>
        set.dataType === T.verdict
          ? val.k === 'verdict'
            ? { verdict: verdictOf(val) }
            : fail('Expression is not a verdict', val.loc)
          : { value: regValue(dataL as Loaded, symValue(ctx, val, dataL as Loaded)) }
    : undefined;
  for (const e of elems.elems) {
    if (set.dataType && e.k !== 'mapping') fail('Element is not a map', e.loc);
  }
  return setElements(ctx, elems, l, (set.flags & NFT_SET_INTERVAL) !== 0, data, set.autoMerge ?? false);
}
