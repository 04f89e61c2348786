// From the kernel's expressions back to statements (nftables 1.0.6
// src/netlink_delinearize.c in spirit): registers are followed from loads to
// compares, lookups and statements; raw payloads become protocol fields in
// the context the rule builds (meta l4proto tcp, meta nfproto ipv4, the
// table's family); dependencies nft added are removed again; shortened loads
// become prefixes, masks flag matches, wide loads the fields they merged.
import type { Expr, Field, Proto, Stmt } from './ast.ts';
import { type Datatype, T, TYPES_BY_ID } from './datatype.ts';
import { byteLen, fromBytes, regOf, NF_ACCEPT, NF_DROP, NF_QUEUE, NFT_CONTINUE, NFT_GOTO, NFT_JUMP, NFT_RETURN } from './evaluate.ts';
import {
  NFT_SET_ELEM_INTERVAL_END,
  NFT_SET_INTERVAL,
  type NftExpr,
  type NftSetElem,
  type NftVerdict,
} from '../../../kernel/uapi/nf_tables.ts';
import { CT_BY_KEY, L4_BY_NUMBER, META_BY_KEY, PROTOS, protoByName } from './proto.ts';
import type { Loc } from './scanner.ts';
import { matchXlate, targetXlate } from './xlate.ts';

const NOLOC: Loc = { file: '', lines: [], line: 0, first: 0, last: 0 };

/** What a set referenced by a rule looks like, for anonymous sets' contents. */
export interface DumpedSet {
  name: string;
  flags: number;
  keyType: number;
  keyLen: number;
  dataType?: number;
  dataLen?: number;
  elements: NftSetElem[];
  /** concatenation field lengths (bytes) */
  concat?: number[];
}

export interface DelinEnv {
  family: string;
  /** NFTA_RULE_COMPAT's protocol (iptables-nft rules): what multiport's xlate names */
  compatProto?: number;
  set(name: string): DumpedSet | undefined;
}

/** A value that lives in a register. */
type RegVal =
  | { k: 'expr'; e: Expr; dtype: Datatype; bits: number; len: number; order: 'big' | 'host' | 'invalid' }
  | { k: 'raw'; base: number; offset: number; len: number; mask?: Uint8Array; xor?: Uint8Array; hton?: boolean; parts?: RegVal[] };

export function dtypeOfId(id: number, bits: number): Datatype[] {
  // a concatenation's type id: 6 bits per part, first part highest
  const out: Datatype[] = [];
  let x = id;
  if (TYPES_BY_ID.has(x)) return [TYPES_BY_ID.get(x) as Datatype];
  while (x > 0) {
    const t = TYPES_BY_ID.get(x & 63) ?? T.integer;
    out.unshift(t);
    x = Math.floor(x / 64);
  }
  if (!out.length) out.push({ ...T.integer, bits });
  return out;
}

/** A key part's register bytes as a value of its type. */
function valueExpr(dtype: Datatype, bytes: Uint8Array, bits: number): Expr {
  const order = dtype.byteorder === 'big' ? 'big' : 'host';
  return { k: 'value', dtype, bits, v: fromBytes(bytes, order), loc: NOLOC };
}

export function verdictExpr(v: NftVerdict): Expr & { k: 'verdict' } {
  const names: Record<number, string> = {
    [NF_ACCEPT]: 'accept',
    [NF_DROP]: 'drop',
    [NFT_CONTINUE]: 'continue',
    [NFT_RETURN]: 'return',
    [NFT_JUMP]: 'jump',
    [NFT_GOTO]: 'goto',
    [NF_QUEUE]: 'queue',
  };
  const verdict = (names[v.code] ?? (v.code & 0xffff) === NF_QUEUE) ? (names[v.code] ?? 'queue') : 'drop';
  return { k: 'verdict', verdict, chain: v.chain, loc: NOLOC };
}

/** The elements of a set as expressions of its key (and data) type, sorted and with intervals rebuilt. */
export function setElemExprs(set: DumpedSet, keyTypes?: Datatype[], keyBits?: number[], dataType?: Datatype): Expr[] {
  const types = keyTypes ?? dtypeOfId(set.keyType, set.keyLen * 8);
  const concat = set.concat ?? (types.length > 1 ? types.map((t) => byteLen(t.bits || 32)) : undefined);
  const bitsOf = (i: number) => keyBits?.[i] ?? (types[i]?.bits || (concat ? (concat[i] ?? 4) * 8 : set.keyLen * 8));
  const keyOf = (b: Uint8Array): Expr => {
    if (concat && types.length > 1) {
      const parts: Expr[] = [];
      let off = 0;
      types.forEach((t, i) => {
        const len = concat[i] ?? 4;
        parts.push(valueExpr(t, b.slice(off, off + len), bitsOf(i)));
        off += Math.ceil(len / 4) * 4;
      });
      return { k: 'concat', parts, loc: NOLOC };
    }
    return valueExpr(types[0] ?? T.integer, b, bitsOf(0));
  };
  const dt =
    dataType ??
    (set.dataType !== undefined
      ? set.dataType === 0xffffff00
        ? T.verdict
        : dtypeOfId(set.dataType, (set.dataLen ?? 4) * 8)[0]
      : undefined);
  const dataOf = (el: NftSetElem): Expr | undefined => {
    if (!el.data) return undefined;
    if ('verdict' in el.data) return verdictExpr(el.data.verdict);
    return valueExpr(dt ?? T.integer, el.data.value, dt?.bits || (set.dataLen ?? 4) * 8);
  };
  const withData = (key: Expr, el: NftSetElem): Expr => {
    let k = key;
    if (el.timeout !== undefined || el.expiration !== undefined)
      k = {
        k: 'elem',
        key,
        timeout: el.timeout !== undefined ? BigInt(el.timeout) : undefined,
        expires: el.expiration !== undefined ? BigInt(el.expiration) : undefined,
        loc: NOLOC,
      };
    const d = dataOf(el);
    return d ? { k: 'mapping', key: k, val: d, loc: NOLOC } : k;
  };
  const order: 'big' | 'host' = (types[0]?.byteorder ?? 'host') === 'big' || types.length > 1 ? 'big' : 'host';
  const num = (b: Uint8Array) => fromBytes(b, order);
  if (set.flags & NFT_SET_INTERVAL && types.length === 1) {
    const isEnd = (e: NftSetElem) => ((e.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END ? 0 : 1);
    const els = [...set.elements]
      .filter((e) => e.key)
      .sort((a, b) => cmpBig(num(a.key as Uint8Array), num(b.key as Uint8Array)) || isEnd(a) - isEnd(b));
    const out: Expr[] = [];
    const max = (1n << BigInt(set.keyLen * 8)) - 1n;
    const t = types[0] ?? T.integer;
    const bits = bitsOf(0);
    for (let i = 0; i < els.length; i++) {
      const el = els[i] as NftSetElem;
      if ((el.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END) continue;
      const lo = num(el.key as Uint8Array);
      let hi = max;
      const next = els[i + 1];
      if (next && (next.flags ?? 0) & NFT_SET_ELEM_INTERVAL_END) hi = num(next.key as Uint8Array) - 1n;
      else if (next) hi = num(next.key as Uint8Array) - 1n;
      if (el.keyEnd) hi = num(el.keyEnd);
      out.push(withData(intervalExpr(t, lo, hi, bits, set.keyLen * 8), el));
    }
    return out;
  }
  const els = [...set.elements].filter((e) => e.key);
  const sortKey = (b: Uint8Array) => (types.length > 1 ? fromBytes(b, 'big') : num(b));
  els.sort((a, b) => cmpBig(sortKey(a.key as Uint8Array), sortKey(b.key as Uint8Array)));
  return els.map((el) => withData(keyOf(el.key as Uint8Array), el));
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** [lo, hi] as a value, a prefix or a range. */
function intervalExpr(t: Datatype, lo: bigint, hi: bigint, bits: number, width: number): Expr {
  const v = (x: bigint): Expr => ({ k: 'value', dtype: t, bits, v: t.byteorder === 'big' ? x : x, loc: NOLOC });
  if (lo === hi) return v(lo);
  const size = hi - lo + 1n;
  // a power of two, aligned: a prefix
  if ((size & (size - 1n)) === 0n && (lo & (size - 1n)) === 0n && (t === T.ipaddr || t === T.ip6addr)) {
    let hostBits = 0;
    while (1n << BigInt(hostBits) < size) hostBits++;
    return { k: 'prefix', e: v(lo), plen: width - hostBits, loc: NOLOC };
  }
  return { k: 'range', lo: v(lo), hi: v(hi), loc: NOLOC };
}

const NAT_FLAG_NAMES: [number, string][] = [
  [4, 'random'],
  [8, 'persistent'],
  [16, 'fully-random'],
];

export function delinearize(exprs: readonly NftExpr[], env: DelinEnv): Stmt[] {
  const regs = new Map<number, RegVal>();
  const stmts: Stmt[] = [];
  const regExpr = (r: number): RegVal | undefined => regs.get(r);
  for (const x of exprs) {
    switch (x.name) {
      case 'payload':
        if ('dreg' in x) regs.set(x.dreg, { k: 'raw', base: x.base, offset: x.offset, len: x.len });
        else stmts.push({ k: 'raw', text: `@payload,${x.offset * 8},${x.len * 8} set`, loc: NOLOC });
        break;
      case 'meta': {
        const m = META_BY_KEY.get(x.key);
        if ('dreg' in x) {
          if (m)
            regs.set(x.dreg, {
              k: 'expr',
              e: { k: 'meta', key: m.name, loc: NOLOC },
              dtype: m.dtype,
              bits: m.bits,
              len: byteLen(m.bits),
              order: m.dtype.byteorder,
            });
        } else {
          const v = regExpr(x.sreg);
          if (m && v) stmts.push({ k: 'metaset', key: m.name, value: setSource(v, m.dtype, m.bits), loc: NOLOC });
        }
        break;
      }
      case 'ct': {
        const c = CT_BY_KEY.get(x.key);
        const dir = x.dir === 0 ? 'original' : x.dir === 1 ? 'reply' : undefined;
        if ('dreg' in x) {
          if (c)
            regs.set(x.dreg, {
              k: 'expr',
              e: { k: 'ct', key: c.name, dir, loc: NOLOC },
              dtype: c.dtype,
              bits: c.bits,
              len: byteLen(c.bits),
              order: c.dtype.byteorder,
            });
        } else {
          const v = regExpr(x.sreg);
          if (c && v) stmts.push({ k: 'ctset', key: c.name, dir, value: setSource(v, c.dtype, c.bits), loc: NOLOC });
        }
        break;
      }
      case 'bitwise': {
        const v = regExpr(x.sreg);
        if (!v) break;
        if (v.k === 'raw') regs.set(x.dreg, { ...v, mask: x.mask, xor: x.xor });
        else regs.set(x.dreg, { k: 'raw', base: -1, offset: 0, len: x.len, mask: x.mask, xor: x.xor, parts: [v] });
        break;
      }
      case 'byteorder': {
        const v = regExpr(x.sreg);
        if (v)
          regs.set(x.dreg, v.k === 'raw' ? { ...v, hton: true } : { k: 'raw', base: -2, offset: 0, len: x.len, hton: true, parts: [v] });
        break;
      }
      case 'numgen':
        regs.set(x.dreg, {
          k: 'expr',
          e: { k: 'numgen', mode: x.type === 0 ? 'inc' : 'random', mod: x.modulus, offset: x.offset ?? 0, loc: NOLOC },
          dtype: T.integer,
          bits: 32,
          len: 4,
          order: 'host',
        });
        break;
      case 'hash': {
        const src = x.sreg !== undefined ? regExpr(x.sreg) : undefined;
        regs.set(x.dreg, {
          k: 'expr',
          e: {
            k: 'hash',
            mode: x.type === 1 ? 'symhash' : 'jhash',
            expr: src ? resolveAlone(src, env) : undefined,
            mod: x.modulus,
            seed: x.seed || undefined,
            offset: x.offset ?? 0,
            loc: NOLOC,
          },
          dtype: T.integer,
          bits: 32,
          len: 4,
          order: 'host',
        });
        break;
      }
      case 'fib': {
        const names = ['saddr', 'daddr', 'mark', 'iif', 'oif'];
        const flags = names.filter((_, i) => x.flags & (1 << i));
        const result = x.result === 1 ? 'oif' : x.result === 2 ? 'oifname' : 'type';
        const present = (x.flags & 32) !== 0;
        const dtype = present ? T.boolean : result === 'oif' ? T.ifindex : result === 'oifname' ? T.ifname : T.fibaddr;
        const bits = present ? 1 : result === 'oifname' ? 128 : 32;
        regs.set(x.dreg, { k: 'expr', e: { k: 'fib', flags, result, loc: NOLOC }, dtype, bits, len: byteLen(bits), order: 'host' });
        break;
      }
      case 'immediate': {
        if ('verdict' in x.data) {
          if (x.dreg === 0) stmts.push({ k: 'verdict', expr: verdictExpr(x.data.verdict), loc: NOLOC });
        } else regs.set(x.dreg, { k: 'raw', base: -3, offset: 0, len: x.data.value.length, xor: x.data.value });
        break;
      }
      case 'cmp': {
        const v = regExpr(x.sreg);
        if (!v) break;
        const op = (['==', '!=', '<', '<=', '>', '>='] as const)[x.op] ?? '==';
        stmts.push(cmpStmt(v, op, x.data));
        break;
      }
      case 'range': {
        const v = regExpr(x.sreg);
        if (!v) break;
        stmts.push({
          k: 'match',
          op: x.op === 1 ? '!=' : '==',
          left: pending(v),
          right: { k: 'range', lo: rawData(x.fromData), hi: rawData(x.toData), loc: NOLOC },
          loc: NOLOC,
        });
        break;
      }
      case 'lookup': {
        const set = env.set(x.set);
        let v = regExpr(x.sreg);
        if (!v) break;
        const first = regLen(v);
        if (set && set.keyLen > Math.ceil(first / 4) * 4) {
          // a concatenation: the parts sit in consecutive 32-bit registers
          const parts: RegVal[] = [v];
          let word = (x.sreg - 1) * 4 + Math.ceil(first / 4);
          let total = Math.ceil(first / 4) * 4;
          while (total < set.keyLen) {
            const p = regs.get(regOf(word));
            if (!p) break;
            parts.push(p);
            const n = Math.ceil(regLen(p) / 4);
            word += n;
            total += n * 4;
          }
          v = {
            k: 'expr',
            e: { k: 'concat', parts: parts.map(pending), loc: NOLOC },
            dtype: T.integer,
            bits: total * 8,
            len: total,
            order: 'big',
          };
        }
        const anon = x.set.startsWith('__set') || x.set.startsWith('__map');
        const right: Expr = anon && set ? { k: 'set', elems: [], loc: NOLOC } : { k: 'setref', name: x.set, loc: NOLOC };
        (right as Expr & { dumped?: DumpedSet }).dumped = anon ? set : undefined;
        if (x.dreg === 0) stmts.push({ k: 'vmap', key: pending(v), map: right, loc: NOLOC });
        else if (x.dreg !== undefined) {
          regs.set(x.dreg, {
            k: 'expr',
            e: { k: 'map', key: pending(v), map: right, loc: NOLOC },
            dtype: set?.dataType !== undefined ? (dtypeOfId(set.dataType, (set.dataLen ?? 4) * 8)[0] ?? T.integer) : T.integer,
            bits: (set?.dataLen ?? 4) * 8,
            len: set?.dataLen ?? 4,
            order: 'big',
          });
        } else stmts.push({ k: 'match', op: x.flags && x.flags & 1 ? '!=' : 'implicit', left: pending(v), right, loc: NOLOC });
        break;
      }
      case 'counter':
        stmts.push({ k: 'counter', packets: x.packets ?? 0, bytes: x.bytes ?? 0, loc: NOLOC });
        break;
      case 'limit': {
        const units: Record<number, string> = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day', 604800: 'week' };
        stmts.push({
          k: 'limit',
          rate: x.rate,
          unit: units[x.unit] ?? 'second',
          burst: x.burst ?? 0,
          bytes: x.type === 1,
          inv: ((x.flags ?? 0) & 1) !== 0,
          loc: NOLOC,
        });
        break;
      }
      case 'quota':
        stmts.push({ k: 'quota', bytes: x.bytes, used: x.consumed ?? 0, inv: ((x.flags ?? 0) & 1) !== 0, loc: NOLOC });
        break;
      case 'log': {
        const levels = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug', 'audit'];
        const s: Stmt & { k: 'log' } = { k: 'log', flags: [], loc: NOLOC };
        if (x.prefix !== undefined) s.prefix = x.prefix;
        if (x.group !== undefined) {
          s.group = x.group;
          if (x.snaplen) s.snaplen = x.snaplen;
          if (x.qthreshold) s.qthreshold = x.qthreshold;
        } else if (x.level !== undefined && x.level !== 4) s.level = levels[x.level];
        const f = x.flags ?? 0;
        if ((f & 0x2f) === 0x2f) s.flags.push('all');
        else {
          if ((f & 3) === 3) s.flags.push('tcp sequence,options');
          else if (f & 1) s.flags.push('tcp sequence');
          else if (f & 2) s.flags.push('tcp options');
          if (f & 4) s.flags.push('ip options');
          if (f & 8) s.flags.push('skuid');
          if (f & 0x20) s.flags.push('ether');
        }
        stmts.push(s);
        break;
      }
      case 'reject': {
        const s: Stmt & { k: 'reject' } = { k: 'reject', loc: NOLOC };
        const code = x.icmpCode ?? 0;
        if (x.type === 1) s.type = 'tcp reset';
        else if (x.type === 2) {
          s.type = 'icmpx';
          s.code = { k: 'value', dtype: T.icmpxcode, bits: 8, v: BigInt(code), loc: NOLOC };
        } else {
          s.type = 'icmp';
          s.code = { k: 'value', dtype: T.icmpcode, bits: 8, v: BigInt(code), loc: NOLOC };
        }
        stmts.push(s);
        break;
      }
      case 'nat': {
        const s: Stmt & { k: 'nat' } = { k: 'nat', type: x.type === 0 ? 'snat' : 'dnat', flags: [], loc: NOLOC };
        if (env.family === 'inet') s.family = x.family === 10 ? 'ip6' : 'ip';
        const at = x.family === 10 ? T.ip6addr : T.ipaddr;
        const ab = x.family === 10 ? 128 : 32;
        if (x.regAddrMin !== undefined) {
          const lo = regExpr(x.regAddrMin);
          const hi = x.regAddrMax !== undefined ? regExpr(x.regAddrMax) : lo;
          if (lo) {
            const loE = setSource(lo, at, ab);
            s.addr = hi && hi !== lo ? { k: 'range', lo: loE, hi: setSource(hi, at, ab), loc: NOLOC } : loE;
          }
        }
        natPorts(s, x.regProtoMin, x.regProtoMax, regExpr);
        for (const [bit, name] of NAT_FLAG_NAMES) if ((x.flags ?? 0) & bit) s.flags.push(name);
        stmts.push(s);
        break;
      }
      case 'masq':
      case 'redir': {
        const s: Stmt & { k: 'nat' } = { k: 'nat', type: x.name === 'masq' ? 'masquerade' : 'redirect', flags: [], loc: NOLOC };
        natPorts(s, x.regProtoMin, x.regProtoMax, regExpr);
        for (const [bit, name] of NAT_FLAG_NAMES) if ((x.flags ?? 0) & bit) s.flags.push(name);
        stmts.push(s);
        break;
      }
      case 'notrack':
        stmts.push({ k: 'notrack', loc: NOLOC });
        break;
      case 'dynset': {
        const v = regExpr(x.sregKey);
        if (!v) break;
        stmts.push({
          k: 'dynset',
          op: x.op === 0 ? 'add' : x.op === 1 ? 'update' : 'delete',
          set: x.setName,
          setLoc: NOLOC,
          key: pending(v),
          timeout: x.timeout ? BigInt(x.timeout) : undefined,
          loc: NOLOC,
        });
        break;
      }
      case 'objref':
        if ('immName' in x)
          stmts.push({ k: 'objref', type: x.immType === 1 ? 'counter' : x.immType === 2 ? 'quota' : 'limit', name: x.immName, loc: NOLOC });
        break;
      case 'queue': {
        const flags: string[] = [];
        if ((x.flags ?? 0) & 1) flags.push('bypass');
        if ((x.flags ?? 0) & 2) flags.push('fanout');
        stmts.push({ k: 'queue', num: x.num, flags, loc: NOLOC });
        break;
      }
      case 'match':
        stmts.push({ k: 'raw', text: matchXlate(x.info, env.compatProto ?? 0), loc: NOLOC });
        break;
      case 'target':
        stmts.push({ k: 'raw', text: targetXlate(x.info), loc: NOLOC });
        break;
      default:
        stmts.push({ k: 'raw', text: `${x.name}`, loc: NOLOC });
    }
  }
  return postprocess(stmts, env);
}

function regLen(v: RegVal): number {
  return v.len;
}

function natPorts(s: Stmt & { k: 'nat' }, min: number | undefined, max: number | undefined, reg: (r: number) => RegVal | undefined) {
  if (min === undefined) return;
  const lo = reg(min);
  const hi = max !== undefined ? reg(max) : lo;
  if (!lo) return;
  const loE = setSource(lo, T.inetservice, 16);
  s.port = hi && hi !== lo ? { k: 'range', lo: loE, hi: setSource(hi, T.inetservice, 16), loc: NOLOC } : loE;
}

/** A register's content as an expression to be typed later (raw payloads stay raw until the context is known). */
function pending(v: RegVal): Expr {
  if (v.k === 'expr') {
    (v.e as Expr & { typed?: unknown }).typed = { dtype: v.dtype, bits: v.bits, order: v.order };
    return v.e;
  }
  return { k: 'symbol', text: '', quoted: false, loc: NOLOC, raw: v } as Expr;
}

function rawData(b: Uint8Array): Expr {
  return { k: 'symbol', text: '', quoted: false, loc: NOLOC, data: b } as Expr;
}

/** The source of a `set`/nat value: an immediate of the target's type, or a loaded expression. */
function setSource(v: RegVal, dtype: Datatype, bits: number): Expr {
  if (v.k === 'raw' && v.base === -3 && v.xor) {
    return valueExpr(dtype, v.xor.slice(0, byteLen(bits) || v.xor.length), bits);
  }
  return pending(v);
}

function resolveAlone(v: RegVal, env: DelinEnv): Expr {
  if (v.k === 'expr') return v.e;
  const ctxProto = v.base === 1 ? (env.family === 'ip6' ? PROTOS.ip6 : PROTOS.ip) : undefined;
  const f = ctxProto?.fields.find((fl) => fl.offset === v.offset * 8 && fl.len === v.len * 8);
  if (ctxProto && f) return { k: 'payload', proto: ctxProto, field: f, base: v.base, offset: v.offset, len: v.len, loc: NOLOC };
  return pending(v);
}

function cmpStmt(v: RegVal, op: '==' | '!=' | '<' | '<=' | '>' | '>=', data: Uint8Array): Stmt {
  return { k: 'match', op: op === '==' ? 'implicit' : op, left: pending(v), right: rawData(data), loc: NOLOC };
}

// ---------------------------------------------------------------- postprocessing

interface PCtx {
  env: DelinEnv;
  nl?: Proto;
  tl?: Proto;
  ll?: boolean;
}

const rawOf = (e: Expr): RegVal | undefined => (e as Expr & { raw?: RegVal }).raw;
const dataOf = (e: Expr): Uint8Array | undefined => (e as Expr & { data?: Uint8Array }).data;

function postprocess(stmts: Stmt[], env: DelinEnv): Stmt[] {
  const ctx: PCtx = { env };
  if (env.family === 'ip') ctx.nl = PROTOS.ip;
  if (env.family === 'ip6') ctx.nl = PROTOS.ip6;
  // the arp family's network header is the ARP header (proto_arp is its base protocol)
  if (env.family === 'arp') ctx.nl = PROTOS.arp;
  const out: Stmt[] = [];
  /** index in out of the match that established each context, removable when a later expression implies it */
  let nlDep: number | undefined;
  let tlDep: number | undefined;
  let llDep: number | undefined;
  const removed = new Set<number>();
  for (const s of stmts) {
    if (s.k === 'match') {
      const res = typeMatch(ctx, s);
      for (const r of res) {
        // remember dependencies nft adds
        if (r.k === 'match' && (r.op === 'implicit' || r.op === '==') && r.right.k === 'value') {
          const l = r.left;
          if (l.k === 'meta' && l.key === 'l4proto') {
            const p = L4_BY_NUMBER.get(Number(r.right.v));
            if (p && !ctx.tl) {
              ctx.tl = p;
              tlDep = out.length;
            }
          } else if (l.k === 'payload' && (l.field?.name === 'protocol' || l.field?.name === 'nexthdr')) {
            const p = L4_BY_NUMBER.get(Number(r.right.v));
            if (p && !ctx.tl) {
              ctx.tl = p;
              tlDep = out.length;
            }
          } else if (l.k === 'meta' && l.key === 'nfproto') {
            const p = r.right.v === 2n ? PROTOS.ip : r.right.v === 10n ? PROTOS.ip6 : undefined;
            if (p && !ctx.nl) {
              ctx.nl = p;
              nlDep = out.length;
            }
          } else if (
            (env.family === 'netdev' || env.family === 'bridge') &&
            ((l.k === 'meta' && l.key === 'protocol') || (l.k === 'payload' && l.proto.name === 'ether' && l.field?.name === 'type'))
          ) {
            // proto_eth / proto_netdev: the network protocols by ethertype
            const p = ETHERTYPE_NL.get(r.right.v);
            if (p && !ctx.nl) {
              ctx.nl = p;
              nlDep = out.length;
            }
          } else if (l.k === 'payload' && l.proto === PROTOS.ether && l.field?.name === 'type') {
            // the bridge family's dependency: `ether type ip` before a network header field
            const p = r.right.v === 0x800n ? PROTOS.ip : r.right.v === 0x86ddn ? PROTOS.ip6 : r.right.v === 0x806n ? PROTOS.arp : undefined;
            if (p && !ctx.nl) {
              ctx.nl = p;
              nlDep = out.length;
            }
          } else if (l.k === 'meta' && l.key === 'iiftype' && r.right.v === 1n) {
            ctx.ll = true;
            llDep = out.length;
          }
        }
        // a payload of a protocol implies its dependency: the dependency match goes
        const used = usedProtos(r);
        for (const p of used) {
          if (p.base === 2 && p.protocol !== undefined && tlDep !== undefined && ctx.tl === p) {
            removed.add(tlDep);
            tlDep = undefined;
            // icmp/icmpv6 imply their network protocol too
            if ((p === PROTOS.icmp || p === PROTOS.icmpv6) && nlDep !== undefined) {
              removed.add(nlDep);
              nlDep = undefined;
            }
          }
          if (p.base === 1 && nlDep !== undefined && ctx.nl === p) {
            removed.add(nlDep);
            nlDep = undefined;
          }
          if (p.base === 0 && llDep !== undefined) {
            removed.add(llDep);
            llDep = undefined;
          }
        }
        out.push(r);
      }
      continue;
    }
    if (s.k === 'reject') {
      if (s.type === 'tcp reset' && tlDep !== undefined && ctx.tl === PROTOS.tcp && env.family !== 'inet') {
        removed.add(tlDep);
        tlDep = undefined;
      }
      if (s.type === 'icmp' && s.code?.k === 'value') {
        const fam = env.family;
        const code = s.code.v;
        if (fam === 'ip6' || ctx.nl === PROTOS.ip6) s.code = { ...s.code, dtype: T.icmpv6code };
        if (ctx.nl === PROTOS.ip6) s.type = 'icmpv6';
        if (fam === 'ip6') s.type = 'icmpv6';
        // the family's default is plain `reject`
        if ((fam === 'ip' && code === 3n) || (fam === 'ip6' && code === 4n)) {
          s.type = undefined;
          s.code = undefined;
        }
        if (fam === 'inet' && nlDep !== undefined) {
          removed.add(nlDep);
          nlDep = undefined;
        }
      }
      if (s.type === 'icmpx' && s.code?.k === 'value' && s.code.v === 1n && env.family !== 'ip' && env.family !== 'ip6') {
        s.type = undefined;
        s.code = undefined;
      }
      out.push(s);
      continue;
    }
    const t = typeOther(ctx, s);
    for (const p of usedProtos(t)) {
      if (p.base === 2 && p.protocol !== undefined && tlDep !== undefined && ctx.tl === p) {
        removed.add(tlDep);
        tlDep = undefined;
      }
      if (p.base === 1 && nlDep !== undefined && ctx.nl === p) {
        removed.add(nlDep);
        nlDep = undefined;
      }
    }
    out.push(t);
  }
  return joinRanges(out.filter((_, i) => !removed.has(i)));
}

/** `cmp gte` then `cmp lte` on the same load: a range. */
function joinRanges(stmts: Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    const prev = out[out.length - 1];
    if (
      s.k === 'match' &&
      prev?.k === 'match' &&
      prev.op === '>=' &&
      s.op === '<=' &&
      sameExpr(prev.left, s.left) &&
      prev.right.k === 'value' &&
      s.right.k === 'value'
    ) {
      out[out.length - 1] = { ...prev, op: 'implicit', right: { k: 'range', lo: prev.right, hi: s.right, loc: NOLOC } };
      continue;
    }
    out.push(s);
  }
  return out;
}

function sameExpr(a: Expr, b: Expr): boolean {
  if (a.k === 'payload' && b.k === 'payload') return a.proto === b.proto && a.field === b.field;
  if (a.k === 'meta' && b.k === 'meta') return a.key === b.key;
  if (a.k === 'ct' && b.k === 'ct') return a.key === b.key && a.dir === b.dir;
  return false;
}

function usedProtos(s: Stmt): Proto[] {
  const out: Proto[] = [];
  const walk = (e: Expr | undefined) => {
    if (!e) return;
    if (e.k === 'payload' && e.field) out.push(e.proto);
    else if (e.k === 'concat') e.parts.forEach(walk);
    else if (e.k === 'binop') walk(e.l);
    else if (e.k === 'map') walk(e.key);
    else if (e.k === 'hash') walk(e.expr);
  };
  if (s.k === 'match') walk(s.left);
  else if (s.k === 'vmap') walk(s.key);
  else if (s.k === 'dynset') walk(s.key);
  else if (s.k === 'nat') walk(s.addr);
  else if (s.k === 'metaset' || s.k === 'ctset') walk(s.value);
  return out;
}

/** The network protocols an ethertype stands for (proto_eth's and proto_netdev's upper protocols). */
const ETHERTYPE_NL = new Map<bigint, Proto>([
  [0x800n, PROTOS.ip],
  [0x86ddn, PROTOS.ip6],
  [0x806n, PROTOS.arp],
]);

/** The protocol a raw payload belongs to in the context. */
function protoAt(ctx: PCtx, base: number): Proto | undefined {
  if (base === 0) return ctx.ll || ctx.env.family === 'netdev' || ctx.env.family === 'bridge' ? PROTOS.ether : undefined;
  if (base === 1) return ctx.nl;
  if (base === 2) return ctx.tl ?? PROTOS.th;
  return undefined;
}

/** A raw load as fields: [field, bytes of the load it covers]. */
function fieldsOf(ctx: PCtx, r: RegVal & { k: 'raw' }): { proto: Proto; fields: Field[] } | undefined {
  const proto = protoAt(ctx, r.base);
  if (!proto) return undefined;
  const start = r.offset * 8;
  const end = start + r.len * 8;
  const fields: Field[] = [];
  let pos = start;
  while (pos < end) {
    const f = proto.fields.find((fl) => fl.offset === pos && fl.len > 0 && fl.offset + fl.len <= end);
    if (!f) break;
    fields.push(f);
    pos += f.len;
  }
  if (pos === end && fields.length) return { proto, fields };
  return undefined;
}

function payloadExpr(proto: Proto, f: Field): Expr {
  return { k: 'payload', proto, field: f, base: proto.base, offset: f.offset / 8, len: f.len / 8, loc: NOLOC };
}

function rawPayloadExpr(r: RegVal & { k: 'raw' }): Expr {
  const base = ['ll', 'nh', 'th', 'ih'][r.base] ?? 'nh';
  return { k: 'symbol', text: `@${base},${r.offset * 8},${r.len * 8}`, quoted: false, loc: NOLOC };
}

function bigOf(b: Uint8Array): bigint {
  return fromBytes(b, 'big');
}

/** Types the two sides of a match; a merged load becomes several matches. */
function typeMatch(ctx: PCtx, s: Stmt & { k: 'match' }): Stmt[] {
  const r = rawOf(s.left);
  const data = dataOf(s.right);
  let left = s.left;
  let dtype: Datatype | undefined;
  let bits = 0;
  let order: 'big' | 'host' | 'invalid' = 'big';
  let mask: Uint8Array | undefined;
  let shift = 0;
  let hton = false;
  if (r && r.k === 'raw' && r.base >= 0) {
    hton = !!r.hton;
    const proto = protoAt(ctx, r.base);
    const fo = fieldsOf(ctx, r);
    if (fo && fo.fields.length > 1 && data && !r.mask && (s.op === 'implicit' || s.op === '==')) {
      // a merged load: one match per field
      const out: Stmt[] = [];
      let off = 0;
      for (const f of fo.fields) {
        const n = f.len / 8;
        const v = data.slice(off, off + n);
        off += n;
        out.push({ k: 'match', op: 'implicit', left: payloadExpr(fo.proto, f), right: valueExpr(f.dtype, v, f.len), loc: NOLOC });
      }
      return out;
    }
    if (fo && fo.fields.length === 1) {
      const f = fo.fields[0] as Field;
      left = payloadExpr(fo.proto, f);
      dtype = f.dtype;
      bits = f.len;
      mask = r.mask;
    } else if (proto) {
      // a sub-byte field (mask selects it) or a prefix (a shorter load, or a mask of high bits)
      const sub = proto.fields.find((fl) => {
        if (fl.len % 8 === 0 && fl.offset % 8 === 0) return false;
        const bo = Math.floor(fl.offset / 8);
        const bl = Math.ceil((fl.offset + fl.len) / 8) - bo;
        return bo === r.offset && bl === r.len;
      });
      const whole = proto.fields.find((fl) => fl.offset === r.offset * 8 && fl.len > r.len * 8 && fl.len % 8 === 0);
      if (sub && r.mask) {
        const sh = r.len * 8 - (sub.offset % 8) - sub.len;
        const want = ((1n << BigInt(sub.len)) - 1n) << BigInt(sh);
        if (bigOf(r.mask) === want) {
          left = payloadExpr(proto, sub);
          dtype = sub.dtype;
          bits = sub.len;
          shift = sh;
        }
      } else if (whole && data && !r.mask) {
        // shortened load: a prefix of the field
        const full = new Uint8Array(whole.len / 8);
        full.set(data.slice(0, r.len));
        return [
          {
            k: 'match',
            op: s.op,
            left: payloadExpr(proto, whole),
            right: { k: 'prefix', e: valueExpr(whole.dtype, full, whole.len), plen: r.len * 8, loc: NOLOC },
            loc: NOLOC,
          },
        ];
      }
      if (!dtype) left = rawPayloadExpr(r);
    } else left = rawPayloadExpr(r);
  } else if (r && r.k === 'raw' && r.parts?.[0]?.k === 'expr') {
    // bitwise/byteorder on a meta/ct expression
    const inner = r.parts[0];
    left = inner.e;
    dtype = inner.dtype;
    bits = inner.bits;
    order = inner.order;
    mask = r.mask;
    hton = !!r.hton;
  } else if (left.k === 'concat') {
    left = { ...left, parts: left.parts.map((p) => resolvePart(ctx, p)) };
  } else if (!r && left.k !== 'symbol') {
    const tv = typeOfExpr(left);
    dtype = tv?.dtype;
    bits = tv?.bits ?? 0;
    order = tv?.order ?? 'host';
  }
  if (left.k === 'payload' && dtype) order = 'big';
  if (!dtype) dtype = { ...T.integer, bits: (data?.length ?? 4) * 8 };
  const dec = (b: Uint8Array): Expr => {
    let v = fromBytes(b, hton ? 'big' : order === 'big' ? 'big' : 'host');
    if (shift) v >>= BigInt(shift);
    return { k: 'value', dtype: dtype as Datatype, bits: bits || b.length * 8, v, loc: NOLOC };
  };
  let right = s.right;
  const rd = dataOf(right);
  if (rd) {
    // ifname prefix match: fewer bytes than the name
    if ((dtype === T.ifname || dtype === T.string) && rd.length < 16 && rd.length > 0 && rd[rd.length - 1] !== 0) {
      right = { k: 'symbol', text: `${String.fromCharCode(...rd).replace(/\0+$/, '')}*`, quoted: true, asterisk: true, loc: NOLOC };
    } else right = dec(rd);
  } else if (right.k === 'range') {
    const lo = dataOf(right.lo);
    const hi = dataOf(right.hi);
    if (lo && hi) right = { k: 'range', lo: dec(lo), hi: dec(hi), loc: NOLOC };
  } else if (right.k === 'set') {
    const d = (right as Expr & { dumped?: DumpedSet }).dumped;
    if (d) right = { k: 'set', elems: setElemExprs(d, keyTypesOf(left, dtype, bits), keyBitsOf(left, bits)), loc: NOLOC };
  }
  if (mask && r && !shift) {
    const m = fromBytes(mask, order === 'big' || left.k === 'payload' ? 'big' : 'host');
    const width = BigInt(mask.length * 8);
    const full = (1n << width) - 1n;
    // a prefix: contiguous high bits on an address
    if (right.k === 'value' && (dtype === T.ipaddr || dtype === T.ip6addr)) {
      let plen = 0;
      while (plen < Number(width) && (m >> (width - 1n - BigInt(plen))) & 1n) plen++;
      const pm = full ^ ((1n << (width - BigInt(plen))) - 1n);
      if (pm === m) return [{ k: 'match', op: s.op, left, right: { k: 'prefix', e: right, plen, loc: NOLOC }, loc: NOLOC }];
    }
    if (dtype.bitmask && right.k === 'value') {
      if (s.op === '!=' && right.v === 0n) {
        return [{ k: 'match', op: 'implicit', left, right: { k: 'value', dtype, bits, v: m, loc: NOLOC }, loc: NOLOC }];
      }
      if (s.op === 'implicit')
        return [
          {
            k: 'match',
            op: 'implicit',
            left,
            right: { k: 'flagcmp', e: left, value: right, mask: { k: 'value', dtype, bits, v: m, loc: NOLOC }, loc: NOLOC },
            loc: NOLOC,
          },
        ];
    }
    const mexpr: Expr = { k: 'value', dtype, bits, v: m, loc: NOLOC };
    left = { k: 'binop', op: '&', l: left, r: mexpr, loc: NOLOC };
    return [{ k: 'match', op: s.op === 'implicit' ? '==' : s.op, left, right, loc: NOLOC }];
  }
  return [{ k: 'match', op: s.op, left, right, loc: NOLOC }];
}

function keyTypesOf(left: Expr, dtype: Datatype, _bits: number): Datatype[] {
  if (left.k === 'concat') return left.parts.map((p) => typeOfExpr(p)?.dtype ?? T.integer);
  return [dtype];
}

function keyBitsOf(left: Expr, bits: number): number[] {
  if (left.k === 'concat') return left.parts.map((p) => typeOfExpr(p)?.bits ?? 32);
  return [bits];
}

export function typeOfExpr(e: Expr): { dtype: Datatype; bits: number; order: 'big' | 'host' | 'invalid' } | undefined {
  const typed = (e as Expr & { typed?: { dtype: Datatype; bits: number; order: 'big' | 'host' | 'invalid' } }).typed;
  if (typed) return typed;
  switch (e.k) {
    case 'payload':
      return e.field ? { dtype: e.field.dtype, bits: e.field.len, order: 'big' } : undefined;
    case 'meta': {
      for (const m of META_BY_KEY.values()) if (m.name === e.key) return { dtype: m.dtype, bits: m.bits, order: m.dtype.byteorder };
      return undefined;
    }
    case 'ct': {
      for (const c of CT_BY_KEY.values()) if (c.name === e.key) return { dtype: c.dtype, bits: c.bits, order: c.dtype.byteorder };
      return undefined;
    }
    case 'fib':
      return undefined;
    case 'numgen':
    case 'hash':
      return { dtype: T.integer, bits: 32, order: 'host' };
    default:
      return undefined;
  }
}

function resolvePart(ctx: PCtx, e: Expr): Expr {
  const r = rawOf(e);
  if (r && r.k === 'raw' && r.base >= 0) {
    const fo = fieldsOf(ctx, r);
    if (fo && fo.fields.length === 1) return payloadExpr(fo.proto, fo.fields[0] as Field);
    return rawPayloadExpr(r);
  }
  return e;
}

/** Resolves raw payloads in the other statements (vmap keys, dynset keys, concatenations, nat maps). */
function typeOther(ctx: PCtx, s: Stmt): Stmt {
  const fix = (e: Expr): Expr => {
    const r = rawOf(e);
    if (r && r.k === 'raw' && r.base >= 0) {
      const fo = fieldsOf(ctx, r);
      if (fo && fo.fields.length === 1) return payloadExpr(fo.proto, fo.fields[0] as Field);
      return rawPayloadExpr(r);
    }
    if (e.k === 'map') {
      const key = fix(e.key);
      let map = e.map;
      const d = (map as Expr & { dumped?: DumpedSet }).dumped;
      if (d) {
        const tv = typeOfExpr(key);
        const dt = d.dataType !== undefined ? (dtypeOfId(d.dataType, (d.dataLen ?? 4) * 8)[0] ?? T.integer) : undefined;
        map = {
          k: 'set',
          elems: setElemExprs(d, keyTypesOf(key, tv?.dtype ?? T.integer, tv?.bits ?? 32), keyBitsOf(key, tv?.bits ?? 32), dt),
          loc: NOLOC,
        };
      }
      return { ...e, key, map };
    }
    if (e.k === 'hash' && e.expr) return { ...e, expr: fix(e.expr) };
    return e;
  };
  // a concatenation's loads come as consecutive registers; nft's lookups use them from reg 1
  switch (s.k) {
    case 'vmap': {
      const key = fix(s.key);
      let map = s.map;
      const d = (map as Expr & { dumped?: DumpedSet }).dumped;
      if (d) {
        const tv = typeOfExpr(key);
        map = {
          k: 'set',
          elems: setElemExprs(d, keyTypesOf(key, tv?.dtype ?? T.integer, tv?.bits ?? 32), keyBitsOf(key, tv?.bits ?? 32), T.verdict),
          loc: NOLOC,
        };
      }
      return { ...s, key, map };
    }
    case 'dynset':
      return { ...s, key: fix(s.key) };
    case 'nat':
      return { ...s, addr: s.addr ? fix(s.addr) : undefined, port: s.port ? fix(s.port) : undefined };
    case 'metaset':
    case 'ctset':
      return { ...s, value: fix(s.value) };
    default:
      return s;
  }
}

/** Concatenation: loads into consecutive 32-bit registers from reg 1, then one lookup. */
export function joinConcat(exprs: readonly NftExpr[]): readonly NftExpr[] {
  return exprs;
}

export { protoByName };
