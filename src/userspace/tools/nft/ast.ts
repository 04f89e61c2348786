// The parse tree of nft's language (nftables 1.0.6 include/expression.h,
// statement.h, rule.h in spirit): expressions, statements, rules, the objects
// of a table and the commands. The evaluator fills in types and values; the
// delinearizer builds the same tree back from the kernel's expressions, and
// print.ts prints it.
import type { Datatype } from './datatype.ts';
import type { Loc } from './scanner.ts';

/** A payload field of a protocol header (proto.c's templates). */
export interface Field {
  name: string;
  /** Offset and length in bits from the start of the header. */
  offset: number;
  len: number;
  dtype: Datatype;
}

export interface Proto {
  name: string;
  /** NFT_PAYLOAD_* base */
  base: number;
  fields: Field[];
  /** The layer 4 protocol number (meta l4proto) a transport header needs, or the nfproto of a network header. */
  protocol?: number;
}

export type RelOp = 'implicit' | '==' | '!=' | '<' | '>' | '<=' | '>=';

export type Expr =
  | { k: 'symbol'; text: string; quoted: boolean; asterisk?: boolean; loc: Loc }
  | { k: 'variable'; name: string; loc: Loc }
  | { k: 'value'; dtype: Datatype; bits: number; v: bigint; loc: Loc /** ifname with '*': prefix match of len bytes */; wildcard?: number }
  | { k: 'payload'; proto: Proto; field: Field | null; base: number; offset: number; len: number; loc: Loc }
  | { k: 'meta'; key: string; loc: Loc; short?: boolean }
  | { k: 'ct'; key: string; dir?: 'original' | 'reply'; loc: Loc }
  | { k: 'numgen'; mode: 'inc' | 'random'; mod: number; offset: number; loc: Loc }
  | { k: 'hash'; mode: 'jhash' | 'symhash'; expr?: Expr; mod: number; seed?: number; offset: number; loc: Loc }
  | { k: 'fib'; flags: string[]; result: 'oif' | 'oifname' | 'type'; loc: Loc }
  | { k: 'prefix'; e: Expr; plen: number; loc: Loc }
  | { k: 'range'; lo: Expr; hi: Expr; loc: Loc }
  | { k: 'set'; elems: Expr[]; loc: Loc }
  | { k: 'setref'; name: string; loc: Loc }
  | { k: 'concat'; parts: Expr[]; loc: Loc }
  | { k: 'mapping'; key: Expr; val: Expr; loc: Loc }
  | { k: 'elem'; key: Expr; timeout?: bigint; expires?: bigint; comment?: string; counter?: boolean; loc: Loc }
  | { k: 'map'; key: Expr; map: Expr; loc: Loc }
  | { k: 'binop'; op: '&' | '|' | '^' | '<<' | '>>'; l: Expr; r: Expr; loc: Loc }
  | { k: 'list'; elems: Expr[]; loc: Loc }
  | { k: 'verdict'; verdict: string; chain?: string; chainLoc?: Loc; loc: Loc }
  | { k: 'flagcmp'; e: Expr; value: Expr; mask: Expr; loc: Loc };

export type Stmt =
  | { k: 'match'; op: RelOp; left: Expr; right: Expr; loc: Loc; opLoc?: Loc }
  | { k: 'verdict'; expr: Expr & { k: 'verdict' }; loc: Loc }
  | { k: 'vmap'; key: Expr; map: Expr; loc: Loc }
  | { k: 'counter'; packets: number; bytes: number; loc: Loc }
  | { k: 'objref'; type: 'counter' | 'quota' | 'limit'; name: string; loc: Loc }
  | { k: 'limit'; rate: number; unit: string; burst: number; bytes: boolean; inv: boolean; loc: Loc }
  | { k: 'quota'; bytes: number; used: number; inv: boolean; loc: Loc }
  | {
      k: 'log';
      prefix?: string;
      level?: string;
      group?: number;
      snaplen?: number;
      qthreshold?: number;
      flags: string[];
      loc: Loc;
    }
  | { k: 'reject'; type?: 'tcp reset' | 'icmp' | 'icmpv6' | 'icmpx'; code?: Expr; loc: Loc; kwLoc?: Loc }
  | {
      k: 'nat';
      type: 'snat' | 'dnat' | 'masquerade' | 'redirect';
      family?: 'ip' | 'ip6';
      addr?: Expr;
      port?: Expr;
      flags: string[];
      loc: Loc;
    }
  | { k: 'metaset'; key: string; value: Expr; loc: Loc }
  | { k: 'ctset'; key: string; dir?: 'original' | 'reply'; value: Expr; loc: Loc }
  | { k: 'notrack'; loc: Loc }
  | { k: 'dynset'; op: 'add' | 'update' | 'delete'; set: string; setLoc: Loc; key: Expr; timeout?: bigint; loc: Loc }
  | { k: 'queue'; num?: number; flags: string[]; loc: Loc }
  /** A statement the delinearizer could not make sense of, printed as nft prints unknown expressions. */
  | { k: 'raw'; text: string; loc: Loc };

export interface Rule {
  stmts: Stmt[];
  comment?: string;
  handle?: number;
  loc: Loc;
}

export interface ChainDecl {
  name: string;
  loc: Loc;
  type?: string;
  typeLoc?: Loc;
  hook?: string;
  hookLoc?: Loc;
  device?: string;
  /** priority as written: a number or a named priority with an offset */
  prio?: Expr;
  prioLoc?: Loc;
  policy?: Expr;
  policyLoc?: Loc;
  comment?: string;
  rules: Rule[];
}

export interface SetDecl {
  name: string;
  map: boolean;
  loc: Loc;
  keyTypes?: { name: string; loc: Loc }[];
  typeofKey?: Expr;
  dataType?: { name: string; loc: Loc };
  typeofData?: Expr;
  flags: string[];
  timeout?: bigint;
  gcInterval?: bigint;
  size?: number;
  policy?: string;
  autoMerge?: boolean;
  counter?: boolean;
  comment?: string;
  elements?: Expr & { k: 'set' };
}

export interface ObjDecl {
  kind: 'counter' | 'quota' | 'limit';
  name: string;
  loc: Loc;
  packets?: number;
  bytes?: number;
  quota?: { bytes: number; used: number; inv: boolean };
  limit?: Stmt & { k: 'limit' };
  comment?: string;
}

export interface TableDecl {
  family: string;
  name: string;
  loc: Loc;
  nameLoc: Loc;
  familyLoc?: Loc;
  flags: string[];
  comment?: string;
  chains: ChainDecl[];
  sets: SetDecl[];
  objs: ObjDecl[];
}

/** A handle of a command: family, table, chain/set/object name, rule handle/position/index. */
export interface Spec {
  family: string;
  familyLoc?: Loc;
  table?: string;
  tableLoc?: Loc;
  name?: string;
  nameLoc?: Loc;
  handle?: number;
  handleLoc?: Loc;
  position?: number;
  positionLoc?: Loc;
  index?: number;
  indexLoc?: Loc;
}

export type CmdOp = 'add' | 'create' | 'insert' | 'replace' | 'delete' | 'destroy' | 'flush' | 'reset' | 'list' | 'rename';
export type CmdObj =
  | 'table'
  | 'chain'
  | 'rule'
  | 'set'
  | 'map'
  | 'element'
  | 'counter'
  | 'quota'
  | 'limit'
  | 'ruleset'
  | 'tables'
  | 'chains'
  | 'sets'
  | 'maps'
  | 'counters'
  | 'quotas'
  | 'limits';

export interface Cmd {
  op: CmdOp;
  obj: CmdObj;
  spec: Spec;
  loc: Loc;
  /** the whole command's text (for -e echo) */
  text?: string;
  table?: TableDecl;
  chain?: ChainDecl;
  rule?: Rule;
  set?: SetDecl;
  obj_?: ObjDecl;
  elements?: Expr & { k: 'set' };
  newName?: string;
}
