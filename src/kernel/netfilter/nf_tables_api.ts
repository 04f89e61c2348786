// net/netfilter/nf_tables_api.c: the nf_tables ruleset of a namespace
// (tables, chains, rules, sets, stateful objects), the batch transaction
// (nfnetlink_rcv_batch: each message checked and applied, commit or abort),
// the dumps and the NFNLGRP_NFTABLES events.
//
// A batch's messages take effect on the ruleset as they come (a simulated
// batch runs without packets in between); every change records how to undo
// it, and an aborted batch runs those undos in reverse, so the ruleset and
// its hooks are as before. The commit bumps the generation (base_seq) and
// sends the events.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { EBUSY, EEXIST, EINVAL, EMLINK, ENAMETOOLONG, ENODEV, ENOENT, EOPNOTSUPP, ERANGE } from '../uapi/errno.ts';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_INET_FORWARD,
  NF_INET_INGRESS,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NF_NETDEV_EGRESS,
  NF_NETDEV_INGRESS,
  NFPROTO_ARP,
  NFPROTO_BRIDGE,
  NFPROTO_INET,
  NFPROTO_IPV4,
  NFPROTO_IPV6,
  NFPROTO_NETDEV,
} from '../uapi/netfilter.ts';
import {
  NFT_CHAIN_BASE,
  NFT_CHAIN_MAXNAMELEN,
  NFT_DATA_VERDICT,
  NFT_GOTO,
  NFT_JUMP,
  NFT_JUMP_STACK_SIZE,
  NFT_NAME_MAXLEN,
  NFT_OBJECT_CONNLIMIT,
  NFT_OBJECT_COUNTER,
  NFT_OBJECT_CT_HELPER,
  NFT_OBJECT_LIMIT,
  NFT_OBJECT_QUOTA,
  NFT_SET_ANONYMOUS,
  NFT_SET_CONCAT,
  NFT_SET_CONSTANT,
  NFT_SET_ELEM_CATCHALL,
  NFT_SET_ELEM_INTERVAL_END,
  NFT_SET_EVAL,
  NFT_SET_EXPR,
  NFT_SET_INTERVAL,
  NFT_SET_MAP,
  NFT_SET_OBJECT,
  NFT_SET_TIMEOUT,
  NFT_TABLE_F_DORMANT,
  NFT_TABLE_F_OWNER,
  NFT_TABLE_F_PERSIST,
  NFT_USERDATA_MAXLEN,
  type NftAck,
  type NftChain,
  type NftData,
  type NftExpr,
  type NftGen,
  type NftObj,
  type NftObjData,
  type NftRule,
  type NftRulesetEvent,
  type NftSet,
  type NftSetElem,
  type NftTable,
  type NftTraceEvent,
  type NfTablesMsg,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
} from '../uapi/nf_tables.ts';
import type { NfHookEntry } from './core.ts';
import { nf_ct_netns_get, nf_ct_netns_put } from './nf_conntrack.ts';
import { nf_nat_ipv4_register_fn } from './nf_nat.ts';
import { nft_chain_register, nft_chain_type_lookup, nft_chain_unregister } from './nft_chain_filter.ts';
import { xt_chain_dump, xt_nft_tables, xt_rule_dump, xt_table_dump } from './nft_compat.ts';
import type { Table as XtTable } from './x_tables.ts';
import { nft_expr_init } from './nf_tables_core.ts';
import { NftHashSet } from './nft_set_hash.ts';
import { NftPipapoSet } from './nft_set_pipapo.ts';
import { NftRbtreeSet } from './nft_set_rbtree.ts';

/** struct nft_set_ops: a set backend. */
export interface NftSetBackend {
  readonly name: string;
  readonly size: number;
  /** ->lookup(): the element whose key (or range) holds the len bytes at off. */
  lookup(regs: Uint8Array, off: number, len: number): NftSetElemK | null;
  /** the element with exactly this key (and end, and interval flag) */
  get(el: NftSetElemK): NftSetElemK | null;
  insert(el: NftSetElemK): number;
  remove(el: NftSetElemK): void;
  /** ->walk(): in the backend's order */
  walk(): Iterable<NftSetElemK>;
}

/**
 * nft_select_set_ops(): ranges of concatenated fields (or with an end key) go
 * to pipapo, other intervals to the rbtree, single values to a hash.
 */
function nft_set_backend_select(net: Net, flags: number, _keyLen: number, desc: NftSet['desc']): NftSetBackend | number {
  const now = (): number => net.kernel.now;
  if (flags & NFT_SET_INTERVAL) {
    if (flags & NFT_SET_CONCAT || (desc?.concat && desc.concat.length > 1)) return new NftPipapoSet(_keyLen, desc?.concat, now);
    return new NftRbtreeSet(now);
  }
  return new NftHashSet(flags & (NFT_SET_TIMEOUT | NFT_SET_EVAL) || !(flags & NFT_SET_CONSTANT) ? 'nft_rhash' : 'nft_hash', now);
}

// ------------------------------------------------------------------ objects

/** A compiled expression: struct nft_expr with its ops. */
export interface NftExprInst {
  readonly name: string;
  eval(regs: NftRegs, pkt: NftPktinfo): void;
  /** The expression's attributes as a dump gives them; reset zeroes its state after reading (GETRULE_RESET). */
  dump(reset: boolean): NftExpr;
  /** ->validate(): may this expression run in this chain (type, hooks)? 0 or -errno. */
  validate?(ctx: NftValidateCtx): number;
  /** ->destroy(): gives back what init took (set bindings, conntrack, object references). */
  destroy?(): void;
  /** A jump or goto (immediate verdict): the chain it goes to. */
  readonly jumpTo?: NftChainK | null;
  /** The map of a verdict map lookup: its chains are reachable too. */
  readonly vmap?: NftSetK | null;
  /** The expression stores into the register file (for nft_do_chain's fast path: none here). */
  readonly stateful?: boolean;
}

export interface NftValidateCtx {
  family: number;
  /** 1 << hook of every base chain that reaches the rule */
  hookMask: number;
  chainType: 'filter' | 'nat' | 'route';
}

/** struct nft_regs: the verdict and the data registers in one buffer (NFT_REG32_NUM words). */
export class NftRegs {
  readonly data = new Uint8Array(80);
  code = -1;
  chain: NftChainK | null = null;
}

/** struct nft_pktinfo */
export interface NftPktinfo {
  skb: import('../skbuff.ts').SkBuff;
  state: import('./core.ts').NfHookState;
  /** NFT_PKTINFO_L4PROTO when the transport header was found (and not a later fragment). */
  l4: boolean;
  tprot: number;
  thoff: number;
  fragoff: number;
  /** The table's family (nft_pf): NFPROTO_INET chains see the packet's own family in state.pf. */
  family: number;
}

export interface NftRuleK {
  handle: number;
  chain: NftChainK;
  exprs: NftExprInst[];
  userdata?: Uint8Array;
  compat?: { proto: number; flags: number };
}

export interface NftBaseChain {
  hooknum: number;
  priority: number;
  type: 'filter' | 'nat' | 'route';
  policy: number;
  devs: string[];
  /** The hooks registered (one per device for netdev). */
  entries: { dev: NetDevice | null; entry: NfHookEntry }[];
  /** NFTA_CHAIN_COUNTERS */
  stats: { packets: number; bytes: number } | null;
}

export interface NftChainK {
  name: string;
  handle: number;
  table: NftTableK;
  flags: number;
  rules: NftRuleK[];
  /** chain->use: rules in it and jumps/gotos/vmap elements that reach it */
  use: number;
  base: NftBaseChain | null;
  userdata?: Uint8Array;
}

export interface NftSetElemK {
  key: Uint8Array;
  keyEnd?: Uint8Array;
  /** map data (value maps) */
  data?: Uint8Array;
  /** verdict maps */
  verdict?: { code: number; chain: NftChainK | null };
  flags: number;
  /** milliseconds; 0: no timeout */
  timeout: number;
  /** ns of the simulated clock when it expires; 0 never */
  expires: number;
  userdata?: Uint8Array;
  exprs: NftExprInst[];
  obj?: NftObjK;
}

export interface NftSetK {
  name: string;
  handle: number;
  table: NftTableK;
  id?: number;
  flags: number;
  keyType: number;
  keyLen: number;
  dataType: number;
  dataLen: number;
  objType: number;
  policy: number;
  desc: { size?: number; concat?: number[] };
  timeout: number;
  gcInterval: number;
  userdata?: Uint8Array;
  exprs: NftExpr[];
  backend: NftSetBackend;
  /** set->use: the rules (lookup, dynset, objref) bound to it */
  use: number;
  /** an anonymous set is bound to the rule that created it; deleting the rule deletes it */
  bound: boolean;
  /** the catch-all element (NFT_SET_ELEM_CATCHALL) */
  catchall: NftSetElemK | null;
}

export interface NftObjK {
  name: string;
  handle: number;
  table: NftTableK;
  use: number;
  data: NftObjData;
  userdata?: Uint8Array;
  /** limit object's token bucket */
  limit?: { tokens: number; last: number };
}

export interface NftTableK {
  net: Net;
  family: number;
  name: string;
  handle: number;
  flags: number;
  userdata?: Uint8Array;
  /** in creation order */
  chains: Map<string, NftChainK>;
  sets: Map<string, NftSetK>;
  objs: NftObjK[];
  /** table->hgenerator: chains, rules, sets and objects take their handles from it */
  hgenerator: number;
  /** NFT_TABLE_F_OWNER: the netlink portid that owns it */
  owner: number;
}

export type NftSubscriber = {
  ruleset?: (ev: NftRulesetEvent) => void;
  trace?: (ev: NftTraceEvent) => void;
  net: Net;
};

/** struct nftables_pernet */
export class NftNet {
  /** in creation order */
  readonly tables: NftTableK[] = [];
  /** nft_net->base_seq: the generation */
  baseSeq = 1;
  /** nft_net->table_handle */
  tableHandle = 0;
  readonly subscribers = new Set<NftSubscriber>();
  /** Rules that set meta nftrace (the nft_trace_enabled static key). */
  traceUsers = 0;
  /** The key of the trace ids (net_get_random_once). */
  traceKey = -1;
  /** Expressions holding a conntrack reference (nf_ct_netns_get). */
  ctUsers = 0;
  /** nf_skb_duplicated: a dup copy is on its way out */
  dupActive = false;
  constructor(readonly net: Net) {}
}

export function nft_pernet(net: Net): NftNet {
  return (net.nftables ??= new NftNet(net));
}

// ------------------------------------------------------------------ families and hooks

const FAMILIES: ReadonlySet<number> = new Set([NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_INET, NFPROTO_ARP, NFPROTO_BRIDGE, NFPROTO_NETDEV]);

export function nft_family_name(f: number): string {
  return f === NFPROTO_IPV4
    ? 'ip'
    : f === NFPROTO_IPV6
      ? 'ip6'
      : f === NFPROTO_INET
        ? 'inet'
        : f === NFPROTO_ARP
          ? 'arp'
          : f === NFPROTO_BRIDGE
            ? 'bridge'
            : f === NFPROTO_NETDEV
              ? 'netdev'
              : String(f);
}

// ------------------------------------------------------------------ transaction

interface TransCtx {
  net: Net;
  nn: NftNet;
  undo: (() => void)[];
  /** commit-time actions (events, releases) */
  commit: (() => void)[];
  events: NftRulesetEvent[];
  failed: NftAck | null;
  who: { portid?: number; pid?: number; comm?: string };
  /** NFTA_SET_ID -> set of this batch */
  setIds: Map<number, NftSetK>;
  /** tables whose chains must be validated at commit */
  validate: Set<NftTableK>;
  /** A validation error: the kernel found it at commit and replayed the batch (-EAGAIN). */
  replay: boolean;
  /** An error of the first pass: the batch was aborted before any commit (no replay). */
  otherFailed: boolean;
  /** handle counters when the batch began (nft_net->table_handle, each table's hgenerator) */
  start: { tableHandle: number; hgen: Map<NftTableK, number> };
}

export class NftTransaction {
  constructor(readonly t: TransCtx) {}
}

export function nf_tables_batch_begin(net: Net, who: { portid?: number; pid?: number; comm?: string } = {}): NftTransaction {
  return new NftTransaction({
    net,
    nn: nft_pernet(net),
    undo: [],
    commit: [],
    events: [],
    failed: null,
    who,
    setIds: new Map(),
    validate: new Set(),
    replay: false,
    otherFailed: false,
    start: { tableHandle: nft_pernet(net).tableHandle, hgen: new Map(nft_pernet(net).tables.map((x) => [x, x.hgenerator])) },
  });
}

/** The context an expression's init gets (struct nft_ctx). */
export interface NftCtx {
  net: Net;
  nn: NftNet;
  table: NftTableK;
  chain: NftChainK;
  family: number;
  trans: TransCtx;
  /** the rule being built: set bindings are released with it */
  onDestroy: (() => void)[];
}

function ack(error: number, extack?: string, badAttr?: string): NftAck {
  const a: NftAck = { error };
  if (extack !== undefined) a.extack = extack;
  if (badAttr !== undefined) a.badAttr = badAttr;
  return a;
}

export function nf_tables_batch_msg(tr: NftTransaction, msg: NfTablesMsg): NftAck {
  const t = tr.t;
  const replay = t.replay;
  const a = nf_tables_msg1(t, msg);
  if (a.error && !t.failed) t.failed = a;
  if (a.error && t.replay === replay) t.otherFailed = true;
  return a;
}

/** Aborting: every change undone in reverse; the handles stay used (a replay used them twice). */
export function nf_tables_batch_abort(tr: NftTransaction): void {
  const t = tr.t;
  undo_all(t);
  consume_replayed_handles(t);
  t.replay = false;
}

function undo_all(t: TransCtx): void {
  for (let i = t.undo.length - 1; i >= 0; i--) (t.undo[i] as () => void)();
  t.undo.length = 0;
  t.commit.length = 0;
  t.events.length = 0;
}

/**
 * Handles are never given back (an aborted batch used them up); a batch the
 * kernel replayed after a validation error at commit used them twice.
 */
function consume_replayed_handles(t: TransCtx): void {
  if (!t.replay || t.otherFailed) return;
  const nn = t.nn;
  nn.tableHandle += nn.tableHandle - t.start.tableHandle;
  for (const tab of nn.tables) {
    const h0 = t.start.hgen.get(tab);
    if (h0 !== undefined) tab.hgenerator += tab.hgenerator - h0;
  }
}

export function nf_tables_batch_end(tr: NftTransaction): NftAck {
  const t = tr.t;
  if (t.failed) {
    const f = t.failed;
    nf_tables_batch_abort(tr);
    return f;
  }
  // nf_tables_validate(): the chains reached from base chains through jumps (verdict maps changed)
  for (const tab of t.validate) {
    const err = nft_table_validate(tab);
    if (err) {
      t.replay = true;
      nf_tables_batch_abort(tr);
      return ack(err);
    }
  }
  for (const f of t.commit) f();
  const changed = t.events.length > 0;
  if (changed || t.undo.length > 0) {
    // nf_tables_commit(): a new generation, announced after the changes
    t.nn.baseSeq = (t.nn.baseSeq + 1) >>> 0 || 1;
    const gen: NftGen = { id: t.nn.baseSeq };
    if (t.who.pid !== undefined) gen.procPid = t.who.pid;
    if (t.who.comm !== undefined) gen.procName = t.who.comm;
    const evs = t.events.slice();
    evs.push({ msg: 'NFT_MSG_NEWGEN', gen });
    for (const s of t.nn.subscribers) if (s.ruleset) for (const e of evs) s.ruleset(e);
  }
  nft_ct_sync(t.nn);
  t.net.nft?.syncConntrack();
  t.undo.length = 0;
  t.commit.length = 0;
  t.events.length = 0;
  return ack(0);
}

/** The rules' conntrack references follow the ruleset (nf_ct_netns_get/put of the ct, nat, ... expressions). */
function nft_ct_sync(nn: NftNet): void {
  let n = 0;
  for (const tab of nn.tables) {
    for (const c of tab.chains.values()) {
      if (c.base?.type === 'nat') n++;
      for (const r of c.rules) for (const e of r.exprs) if (EXPR_NEEDS_CT.has(e.name)) n++;
    }
  }
  while (nn.ctUsers < n) {
    nf_ct_netns_get(nn.net);
    nn.ctUsers++;
  }
  while (nn.ctUsers > n) {
    nf_ct_netns_put(nn.net);
    nn.ctUsers--;
  }
}

const EXPR_NEEDS_CT: ReadonlySet<string> = new Set(['ct', 'nat', 'masq', 'redir', 'connlimit']);

// ------------------------------------------------------------------ lookups

export function nft_table_lookup(nn: NftNet, family: number, name: string): NftTableK | undefined {
  for (const t of nn.tables) if (t.family === family && t.name === name) return t;
  return undefined;
}

function table_lookup_handle(nn: NftNet, family: number, handle: number): NftTableK | undefined {
  for (const t of nn.tables) if (t.family === family && t.handle === handle) return t;
  return undefined;
}

function chain_by_handle(t: NftTableK, handle: number): NftChainK | undefined {
  for (const c of t.chains.values()) if (c.handle === handle) return c;
  return undefined;
}

export function nft_set_lookup(t: NftTableK, name: string, id: number | undefined, trans: TransCtx | null): NftSetK | undefined {
  const s = t.sets.get(name);
  if (s) return s;
  if (id !== undefined && trans) {
    const x = trans.setIds.get(id);
    if (x && x.table === t) return x;
  }
  return undefined;
}

export function nft_obj_lookup(t: NftTableK, name: string, type: number): NftObjK | undefined {
  return t.objs.find((o) => o.name === name && o.data.type === type);
}

// ------------------------------------------------------------------ messages

function nf_tables_msg1(t: TransCtx, msg: NfTablesMsg): NftAck {
  // NFPROTO_UNSPEC: a DELTABLE without a name flushes every family (nft flush ruleset)
  const unspecFlush = msg.family === 0 && msg.msg === 'NFT_MSG_DELTABLE' && msg.name === undefined && msg.handle === undefined;
  if (!FAMILIES.has(msg.family) && !unspecFlush) return ack(-EAFNOSUPPORT_());
  switch (msg.msg) {
    case 'NFT_MSG_NEWTABLE':
      return newtable(t, msg);
    case 'NFT_MSG_DELTABLE':
    case 'NFT_MSG_DESTROYTABLE':
      return deltable(t, msg);
    case 'NFT_MSG_NEWCHAIN':
      return newchain(t, msg);
    case 'NFT_MSG_DELCHAIN':
    case 'NFT_MSG_DESTROYCHAIN':
      return delchain(t, msg);
    case 'NFT_MSG_NEWRULE':
      return newrule(t, msg);
    case 'NFT_MSG_DELRULE':
    case 'NFT_MSG_DESTROYRULE':
      return delrule(t, msg);
    case 'NFT_MSG_NEWSET':
      return newset(t, msg);
    case 'NFT_MSG_DELSET':
    case 'NFT_MSG_DESTROYSET':
      return delset(t, msg);
    case 'NFT_MSG_NEWSETELEM':
      return newsetelem(t, msg);
    case 'NFT_MSG_DELSETELEM':
    case 'NFT_MSG_DESTROYSETELEM':
      return delsetelem(t, msg);
    case 'NFT_MSG_NEWOBJ':
      return newobj(t, msg);
    case 'NFT_MSG_DELOBJ':
    case 'NFT_MSG_DESTROYOBJ':
      return delobj(t, msg);
  }
  return ack(-EOPNOTSUPP);
}

function EAFNOSUPPORT_(): number {
  return 97; // EAFNOSUPPORT
}

function tableOf(t: TransCtx, family: number, name: string): NftTableK | NftAck {
  const tab = nft_table_lookup(t.nn, family, name);
  if (!tab) {
    // a table iptables-nft made: skbpath runs its rules with the iptables code, so nft may
    // list it, flush or delete rules, and delete it, but not add to it
    if (xt_table(t.net, family, name)) return ack(-EOPNOTSUPP, 'skbpath: iptables-nft tables are read-only to nft');
    return ack(-ENOENT, undefined, 'table');
  }
  return tab;
}

function xt_table(net: Net, family: number, name: string): XtTable | undefined {
  if (family !== NFPROTO_IPV4) return undefined;
  return net.nft?.tables.get(name);
}

/** DELTABLE of an iptables-nft table: its chains leave their hooks. */
function xt_deltable(t: TransCtx, xt: XtTable): void {
  const x = t.net.nft;
  if (!x) return;
  const chains = [...xt.chains.values()];
  for (const c of chains) xt.delChain(c);
  x.tables.delete(xt.def.name);
  t.undo.push(() => {
    x.tables.set(xt.def.name, xt);
    for (const c of chains) {
      xt.chains.set(c.name, c);
      if (!c.entry) continue;
      if (xt.def.name === 'nat') nf_nat_ipv4_register_fn(t.net, c.hook, c.entry);
      else t.net.nfHooks.register(NFPROTO_IPV4, c.hook, c.entry);
    }
  });
  t.events.push({ msg: 'NFT_MSG_DELTABLE', table: xt_table_dump(xt) });
}

/** DELRULE in an iptables-nft table: one rule by handle, a chain's rules, or all of them. */
function xt_delrule(t: TransCtx, xt: XtTable, chain: string | undefined, handle: number | undefined, destroy: boolean): NftAck {
  const chains = chain === undefined ? [...xt.chains.values()] : [xt.chains.get(chain)];
  if (chains[0] === undefined && chain !== undefined) return ack(-ENOENT, undefined, 'chain');
  for (const c of chains) {
    if (!c) continue;
    const i = handle === undefined ? -1 : c.rules.findIndex((r) => r.handle === handle);
    if (handle !== undefined && i < 0) return destroy ? ack(0) : ack(-ENOENT, undefined, 'handle');
    const before = c.rules.slice();
    if (handle === undefined) c.rules.length = 0;
    else c.rules.splice(i, 1);
    t.undo.push(() => c.rules.splice(0, c.rules.length, ...before));
  }
  return ack(0);
}

function isAck(x: unknown): x is NftAck {
  return typeof x === 'object' && x !== null && 'error' in x;
}

function table_dump(tab: NftTableK): NftTable {
  const o: NftTable = { family: tab.family, name: tab.name, flags: tab.flags, handle: tab.handle, use: tab_use(tab) };
  if (tab.userdata) o.userdata = tab.userdata;
  return o;
}

/** table->use: chains, sets, objects (flowtables) in it. */
function tab_use(tab: NftTableK): number {
  return tab.chains.size + tab.sets.size + tab.objs.length;
}

function newtable(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWTABLE' }>): NftAck {
  if (!msg.name) return ack(-EINVAL);
  if (msg.name.length >= NFT_NAME_MAXLEN) return ack(-ENAMETOOLONG, undefined, 'name');
  if (msg.userdata && msg.userdata.length > NFT_USERDATA_MAXLEN) return ack(-ERANGE);
  const flags = msg.flags ?? 0;
  if (flags & ~(NFT_TABLE_F_DORMANT | NFT_TABLE_F_OWNER | NFT_TABLE_F_PERSIST)) return ack(-EOPNOTSUPP);
  if (xt_table(t.net, msg.family, msg.name)) return ack((msg.nlFlags ?? 0) & NLM_F_EXCL ? -EEXIST : 0, undefined, 'name');
  const old = nft_table_lookup(t.nn, msg.family, msg.name);
  if (old) {
    if ((msg.nlFlags ?? 0) & NLM_F_EXCL) return ack(-EEXIST, undefined, 'name');
    if ((msg.nlFlags ?? 0) & NLM_F_REPLACE) return ack(-EOPNOTSUPP);
    // nf_tables_updtable(): only the dormant flag may change
    if (msg.flags === undefined || flags === old.flags) return ack(0);
    if ((flags ^ old.flags) & (NFT_TABLE_F_OWNER | NFT_TABLE_F_PERSIST)) return ack(-EOPNOTSUPP);
    const prev = old.flags;
    set_dormant(old, (flags & NFT_TABLE_F_DORMANT) !== 0);
    old.flags = flags;
    t.undo.push(() => {
      set_dormant(old, (prev & NFT_TABLE_F_DORMANT) !== 0);
      old.flags = prev;
    });
    t.events.push({ msg: 'NFT_MSG_NEWTABLE', table: table_dump(old) });
    return ack(0);
  }
  const tab: NftTableK = {
    net: t.net,
    family: msg.family,
    name: msg.name,
    handle: ++t.nn.tableHandle,
    flags,
    chains: new Map(),
    sets: new Map(),
    objs: [],
    hgenerator: 0,
    owner: flags & NFT_TABLE_F_OWNER ? (t.who.portid ?? 0) : 0,
  };
  if (msg.userdata) tab.userdata = msg.userdata.slice();
  t.nn.tables.push(tab);
  t.undo.push(() => {
    const i = t.nn.tables.indexOf(tab);
    if (i >= 0) t.nn.tables.splice(i, 1);
  });
  t.events.push({ msg: 'NFT_MSG_NEWTABLE', table: table_dump(tab) });
  return ack(0, undefined, undefined);
}

/** A dormant table's base chains are unregistered from their hooks. */
function set_dormant(tab: NftTableK, dormant: boolean): void {
  for (const c of tab.chains.values()) {
    if (!c.base) continue;
    if (dormant) nft_chain_unregister(tab, c);
    else if (c.base.entries.length === 0) nft_chain_register(tab, c);
  }
}

function deltable(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_DELTABLE' | 'NFT_MSG_DESTROYTABLE' }>): NftAck {
  const tab =
    msg.handle !== undefined
      ? table_lookup_handle(t.nn, msg.family, msg.handle)
      : msg.name !== undefined
        ? nft_table_lookup(t.nn, msg.family, msg.name)
        : undefined;
  if (msg.name === undefined && msg.handle === undefined) {
    // no name: every table of the family (nft flush ruleset sends one per table; this is nf_tables_deltable's walk)
    for (const x of t.nn.tables.filter((y) => msg.family === 0 || y.family === msg.family)) {
      const e = flush_table(t, x, true);
      if (e) return ack(e);
    }
    if (msg.family === 0 || msg.family === NFPROTO_IPV4) for (const x of xt_nft_tables(t.net)) xt_deltable(t, x);
    return ack(0);
  }
  if (!tab) {
    const xt =
      msg.name !== undefined
        ? xt_table(t.net, msg.family, msg.name)
        : xt_nft_tables(t.net).find((x) => msg.family === NFPROTO_IPV4 && x.handle === msg.handle);
    if (xt) {
      xt_deltable(t, xt);
      return ack(0);
    }
  }
  if (!tab) return msg.msg === 'NFT_MSG_DESTROYTABLE' ? ack(0) : ack(-ENOENT, undefined, msg.handle !== undefined ? 'handle' : 'name');
  if (tab.owner && tab.owner !== (t.who.portid ?? 0)) return ack(-EPERM_());
  return ack(flush_table(t, tab, true));
}

function EPERM_(): number {
  return 1;
}

/** nft_flush_table(): rules, then sets, objects and chains; the table itself when `del`. */
function flush_table(t: TransCtx, tab: NftTableK, del: boolean): number {
  for (const c of tab.chains.values()) {
    const e = flush_chain_rules(t, c);
    if (e) return e;
  }
  for (const s of [...tab.sets.values()]) {
    if (s.flags & NFT_SET_ANONYMOUS && s.bound) continue;
    const e = del_set(t, s);
    if (e) return e;
  }
  for (const o of [...tab.objs]) {
    const e = del_obj(t, o);
    if (e) return e;
  }
  // regular chains first (base chains may not be jumped to), in reverse
  const chains = [...tab.chains.values()];
  for (const c of chains.reverse()) {
    if (c.use > 0) continue;
    const e = del_chain(t, c);
    if (e) return e;
  }
  for (const c of [...tab.chains.values()]) {
    const e = del_chain(t, c);
    if (e) return e;
  }
  if (!del) return 0;
  const i = t.nn.tables.indexOf(tab);
  t.nn.tables.splice(i, 1);
  t.undo.push(() => t.nn.tables.splice(i, 0, tab));
  t.events.push({ msg: 'NFT_MSG_DELTABLE', table: table_dump(tab) });
  return 0;
}

// ------------------------------------------------------------------ chains

function chain_dump(c: NftChainK): NftChain {
  const o: NftChain = { family: c.table.family, table: c.table.name, name: c.name, handle: c.handle, use: c.use, flags: c.flags };
  if (c.base) {
    const hook: NftChain['hook'] = { hooknum: c.base.hooknum, priority: c.base.priority };
    if (c.base.devs.length === 1) hook.dev = c.base.devs[0] as string;
    else if (c.base.devs.length > 1) hook.devs = c.base.devs.slice();
    o.hook = hook;
    o.policy = c.base.policy;
    o.type = c.base.type;
    if (c.base.stats) o.counters = { ...c.base.stats };
  }
  if (c.userdata) o.userdata = c.userdata;
  return o;
}

/** The hooks a chain type may use in a family (nft_chain_filter_*, nft_chain_nat, nft_chain_route_*). */
function hook_allowed(family: number, type: 'filter' | 'nat' | 'route', hook: number): boolean {
  const inet5 = [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_FORWARD, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING];
  if (type === 'nat') {
    if (family !== NFPROTO_IPV4 && family !== NFPROTO_IPV6 && family !== NFPROTO_INET) return false;
    return [NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING].includes(hook);
  }
  if (type === 'route') {
    if (family !== NFPROTO_IPV4 && family !== NFPROTO_IPV6 && family !== NFPROTO_INET) return false;
    return hook === NF_INET_LOCAL_OUT;
  }
  switch (family) {
    case NFPROTO_IPV4:
    case NFPROTO_IPV6:
    case NFPROTO_BRIDGE:
      return inet5.includes(hook);
    case NFPROTO_INET:
      return inet5.includes(hook) || hook === NF_INET_INGRESS;
    case NFPROTO_ARP:
      return hook === 0 || hook === 1 || hook === 2;
    case NFPROTO_NETDEV:
      return hook === NF_NETDEV_INGRESS || hook === NF_NETDEV_EGRESS;
  }
  return false;
}

function newchain(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWCHAIN' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  const nl = msg.nlFlags ?? 0;
  let c: NftChainK | undefined;
  if (msg.handle !== undefined) {
    c = chain_by_handle(tab, msg.handle);
    if (!c) return ack(-ENOENT, undefined, 'handle');
  } else {
    if (!msg.name) return ack(-EINVAL);
    c = tab.chains.get(msg.name);
  }
  if (msg.name && msg.name.length >= NFT_CHAIN_MAXNAMELEN) return ack(-ENAMETOOLONG, undefined, 'name');
  if (msg.policy !== undefined && msg.policy !== NF_ACCEPT && msg.policy !== NF_DROP) return ack(-EINVAL, undefined, 'policy');
  if (c) {
    if (nl & NLM_F_EXCL) return ack(-EEXIST, undefined, 'name');
    if (nl & NLM_F_REPLACE) return ack(-EOPNOTSUPP);
    return updchain(t, c, msg);
  }
  if (msg.handle !== undefined) return ack(-ENOENT);
  if (msg.policy !== undefined && !msg.hook) return ack(-EOPNOTSUPP, undefined, 'policy');
  const chain: NftChainK = { name: msg.name, handle: 0, table: tab, flags: 0, rules: [], use: 0, base: null };
  if (msg.userdata) chain.userdata = msg.userdata.slice();
  if (msg.hook) {
    const h = msg.hook;
    const ctype = msg.type ?? 'filter';
    if (!nft_chain_type_lookup(msg.family, ctype)) return ack(-ENOENT, undefined, 'type');
    if (!hook_allowed(msg.family, ctype, h.hooknum)) return ack(-EOPNOTSUPP);
    // nat chains run after conntrack (NF_IP_PRI_CONNTRACK = -200)
    if (ctype === 'nat' && h.priority <= -200) return ack(-EOPNOTSUPP);
    const devs = h.devs ?? (h.dev !== undefined ? [h.dev] : []);
    const needsDev = msg.family === NFPROTO_NETDEV || (msg.family === NFPROTO_INET && h.hooknum === NF_INET_INGRESS);
    // 6.18 lets a netdev chain name devices that do not exist (yet): they are not hooked
    if (needsDev) {
      if (devs.length === 0) return ack(-EINVAL);
    } else if (devs.length) return ack(-EOPNOTSUPP);
    chain.flags = NFT_CHAIN_BASE | ((msg.flags ?? 0) & ~NFT_CHAIN_BASE);
    chain.base = {
      hooknum: h.hooknum,
      priority: h.priority,
      type: ctype,
      policy: msg.policy ?? NF_ACCEPT,
      devs,
      entries: [],
      stats: msg.counters ? { ...msg.counters } : null,
    };
    // nft_chain_parse_hook(): a netdev/inet ingress chain on the same device and priority is taken
  } else if (msg.flags && msg.flags & NFT_CHAIN_BASE) return ack(-EOPNOTSUPP);
  else chain.flags = msg.flags ?? 0;
  chain.handle = ++tab.hgenerator;
  tab.chains.set(chain.name, chain);
  if (chain.base && !(tab.flags & NFT_TABLE_F_DORMANT)) nft_chain_register(tab, chain);
  t.undo.push(() => {
    if (chain.base) nft_chain_unregister(tab, chain);
    tab.chains.delete(chain.name);
  });
  t.events.push({ msg: 'NFT_MSG_NEWCHAIN', chain: chain_dump(chain) });
  return ack(0, undefined, undefined);
}

/** nf_tables_updchain(): the policy, the counters, a rename (by handle); the hook may not change. */
function updchain(t: TransCtx, c: NftChainK, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWCHAIN' }>): NftAck {
  if (msg.hook) {
    if (!c.base) return ack(-EEXIST, undefined, 'hook');
    const ctype = msg.type ?? 'filter';
    if (ctype !== c.base.type) return ack(-EEXIST, 'chain type mismatch', 'type');
    if (msg.hook.hooknum !== c.base.hooknum || msg.hook.priority !== c.base.priority) return ack(-EEXIST, 'hook mismatch', 'hook');
  }
  if (msg.policy !== undefined && !c.base) return ack(-EOPNOTSUPP, undefined, 'policy');
  const prev = { policy: c.base?.policy, stats: c.base?.stats ? { ...c.base.stats } : null, name: c.name };
  const tab = c.table;
  if (msg.handle !== undefined && msg.name && msg.name !== c.name) {
    if (tab.chains.has(msg.name)) return ack(-EEXIST, undefined, 'name');
    rename_chain(tab, c, msg.name);
  }
  if (c.base) {
    if (msg.policy !== undefined) c.base.policy = msg.policy;
    if (msg.counters) c.base.stats = { ...msg.counters };
  }
  t.undo.push(() => {
    if (c.name !== prev.name) rename_chain(tab, c, prev.name);
    if (c.base) {
      c.base.policy = prev.policy as number;
      c.base.stats = prev.stats;
    }
  });
  t.events.push({ msg: 'NFT_MSG_NEWCHAIN', chain: chain_dump(c) });
  return ack(0);
}

function rename_chain(tab: NftTableK, c: NftChainK, name: string): void {
  const entries = [...tab.chains.entries()];
  tab.chains.clear();
  for (const [k, v] of entries) tab.chains.set(k === c.name ? name : k, v);
  c.name = name;
}

function delchain(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_DELCHAIN' | 'NFT_MSG_DESTROYCHAIN' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  const c = msg.handle !== undefined ? chain_by_handle(tab, msg.handle) : msg.name !== undefined ? tab.chains.get(msg.name) : undefined;
  if (!c) return msg.msg === 'NFT_MSG_DESTROYCHAIN' ? ack(0) : ack(-ENOENT, undefined, msg.handle !== undefined ? 'handle' : 'name');
  // nf_tables_delchain(): the rules go with it, but not when something else still jumps here
  if (c.use - c.rules.length > 0) return ack(-EBUSY, undefined, msg.handle !== undefined ? 'handle' : 'name');
  const e = flush_chain_rules(t, c);
  if (e) return ack(e);
  return ack(del_chain(t, c));
}

function del_chain(t: TransCtx, c: NftChainK): number {
  if (c.use > 0) return -EBUSY;
  const tab = c.table;
  const entries = [...tab.chains.entries()];
  const at = entries.findIndex(([, v]) => v === c);
  if (c.base) nft_chain_unregister(tab, c);
  tab.chains.delete(c.name);
  t.undo.push(() => {
    const cur = [...tab.chains.entries()];
    cur.splice(at, 0, [c.name, c]);
    tab.chains.clear();
    for (const [k, v] of cur) tab.chains.set(k, v);
    if (c.base && !(tab.flags & NFT_TABLE_F_DORMANT)) nft_chain_register(tab, c);
  });
  t.events.push({ msg: 'NFT_MSG_DELCHAIN', chain: chain_dump(c) });
  return 0;
}

// ------------------------------------------------------------------ rules

export function rule_dump(r: NftRuleK, reset: boolean): NftRule {
  const o: NftRule = {
    family: r.chain.table.family,
    table: r.chain.table.name,
    chain: r.chain.name,
    handle: r.handle,
    expressions: r.exprs.map((e) => e.dump(reset)),
  };
  const i = r.chain.rules.indexOf(r);
  if (i > 0) o.position = (r.chain.rules[i - 1] as NftRuleK).handle;
  if (r.userdata) o.userdata = r.userdata;
  if (r.compat) o.compat = { ...r.compat };
  return o;
}

function rule_destroy(r: NftRuleK): void {
  for (const e of r.exprs) e.destroy?.();
}

function newrule(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWRULE' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  const c = tab.chains.get(msg.chain);
  if (!c) return ack(-ENOENT, undefined, 'chain');
  if (msg.userdata && msg.userdata.length > NFT_USERDATA_MAXLEN) return ack(-ERANGE);
  const nl = msg.nlFlags ?? 0;
  let at: number;
  let old: NftRuleK | undefined;
  let handle: number;
  if (msg.handle !== undefined) {
    // NFTA_RULE_HANDLE: NLM_F_REPLACE puts the new rule in that one's place, under the same handle
    const i = c.rules.findIndex((r) => r.handle === msg.handle);
    if (i < 0) return ack(-ENOENT, undefined, 'handle');
    if (nl & NLM_F_EXCL) return ack(-EEXIST, undefined, 'handle');
    if (!(nl & NLM_F_REPLACE)) return ack(-EOPNOTSUPP, undefined, 'handle');
    at = i;
    old = c.rules[i];
    handle = msg.handle;
  } else {
    if (!(nl & NLM_F_CREATE) || nl & NLM_F_REPLACE) return ack(-EINVAL);
    if (msg.position !== undefined) {
      const i = c.rules.findIndex((r) => r.handle === msg.position);
      if (i < 0) return ack(-ENOENT, undefined, 'position');
      at = nl & NLM_F_APPEND ? i + 1 : i;
    } else at = nl & NLM_F_APPEND ? c.rules.length : 0;
    // nf_tables_alloc_handle() comes before the expressions: a rule refused for them still used its handle
    handle = ++tab.hgenerator;
  }
  const onDestroy: (() => void)[] = [];
  const ctx: NftCtx = { net: t.net, nn: t.nn, table: tab, chain: c, family: tab.family, trans: t, onDestroy };
  const exprs: NftExprInst[] = [];
  if (msg.expressions.length > 128) return ack(-EOPNOTSUPP);
  for (const [i, e] of msg.expressions.entries()) {
    const x = nft_expr_init(ctx, e);
    if (typeof x === 'number' || isAck(x)) {
      for (const y of exprs) y.destroy?.();
      const a = typeof x === 'number' ? ack(x) : x;
      if (a.badAttr === undefined) a.badAttr = `expressions[${i}]`;
      return a;
    }
    exprs.push(x);
  }
  const rule: NftRuleK = { handle, chain: c, exprs };
  if (msg.userdata) rule.userdata = msg.userdata.slice();
  if (msg.compat) rule.compat = { ...msg.compat };
  // the rule may not make the chain graph loop or nest too deep, nor put an expression where it may not run
  if (old) c.rules.splice(at, 1, rule);
  else c.rules.splice(at, 0, rule);
  c.use++;
  for (const e of exprs) if (e.jumpTo) e.jumpTo.use++;
  const err = nft_rule_validate(tab, c, rule);
  if (err) {
    for (const e of exprs) if (e.jumpTo) e.jumpTo.use--;
    c.use--;
    if (old) c.rules.splice(at, 1, old);
    else c.rules.splice(at, 1);
    for (const e of exprs) e.destroy?.();
    // found by nf_tables_validate() at commit, which makes nfnetlink replay the batch: its handles go twice
    t.replay = true;
    return ack(err);
  }
  if (exprs.some((e) => e.name === 'meta' && (e as unknown as { setsTrace?: boolean }).setsTrace)) t.nn.traceUsers++;
  t.undo.push(() => {
    const i = c.rules.indexOf(rule);
    if (old) c.rules.splice(i, 1, old);
    else c.rules.splice(i, 1);
    c.use--;
    for (const e of exprs) if (e.jumpTo) e.jumpTo.use--;
    if (exprs.some((e) => e.name === 'meta' && (e as unknown as { setsTrace?: boolean }).setsTrace)) t.nn.traceUsers--;
    rule_destroy(rule);
  });
  if (old) {
    const o = old;
    c.use--;
    for (const e of o.exprs) if (e.jumpTo) e.jumpTo.use--;
    t.undo.push(() => {
      c.use++;
      for (const e of o.exprs) if (e.jumpTo) e.jumpTo.use++;
    });
    t.commit.push(() => rule_destroy(o));
    t.events.push({ msg: 'NFT_MSG_DELRULE', rule: rule_dump(o, false) });
  }
  t.events.push({ msg: 'NFT_MSG_NEWRULE', rule: rule_dump(rule, false) });
  return { error: 0, handle: rule.handle };
}

function del_rule(t: TransCtx, r: NftRuleK): number {
  const c = r.chain;
  const i = c.rules.indexOf(r);
  if (i < 0) return -ENOENT;
  c.rules.splice(i, 1);
  c.use--;
  for (const e of r.exprs) if (e.jumpTo) e.jumpTo.use--;
  const tr = r.exprs.some((e) => e.name === 'meta' && (e as unknown as { setsTrace?: boolean }).setsTrace);
  if (tr) t.nn.traceUsers--;
  t.undo.push(() => {
    c.rules.splice(i, 0, r);
    c.use++;
    for (const e of r.exprs) if (e.jumpTo) e.jumpTo.use++;
    if (tr) t.nn.traceUsers++;
  });
  t.commit.push(() => rule_destroy(r));
  t.events.push({ msg: 'NFT_MSG_DELRULE', rule: rule_dump(r, false) });
  return 0;
}

function flush_chain_rules(t: TransCtx, c: NftChainK): number {
  for (const r of [...c.rules].reverse()) {
    const e = del_rule(t, r);
    if (e) return e;
  }
  return 0;
}

function delrule(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_DELRULE' | 'NFT_MSG_DESTROYRULE' }>): NftAck {
  const xt = nft_table_lookup(t.nn, msg.family, msg.table) ? undefined : xt_table(t.net, msg.family, msg.table);
  if (xt) return xt_delrule(t, xt, msg.chain, msg.handle, msg.msg === 'NFT_MSG_DESTROYRULE');
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  if (msg.chain === undefined) {
    for (const c of tab.chains.values()) {
      const e = flush_chain_rules(t, c);
      if (e) return ack(e);
    }
    return ack(0);
  }
  const c = tab.chains.get(msg.chain);
  if (!c) return ack(-ENOENT, undefined, 'chain');
  if (msg.handle === undefined) return ack(flush_chain_rules(t, c));
  const r = c.rules.find((x) => x.handle === msg.handle);
  if (!r) return msg.msg === 'NFT_MSG_DESTROYRULE' ? ack(0) : ack(-ENOENT, undefined, 'handle');
  return ack(del_rule(t, r));
}

// ------------------------------------------------------------------ validation

/**
 * nft_table_validate() / nft_chain_validate(): from every base chain, each
 * chain it reaches through jumps, gotos and verdict maps is checked: no
 * deeper than the jump stack (-EMLINK, which is also what a loop gives),
 * every expression allowed in the base chain's type and hook.
 */
export function nft_table_validate(tab: NftTableK): number {
  for (const c of tab.chains.values()) {
    if (!c.base) continue;
    const ctx: NftValidateCtx = { family: tab.family, hookMask: 1 << c.base.hooknum, chainType: c.base.type };
    const err = validate_chain(c, ctx, 0);
    if (err) return err;
  }
  return 0;
}

/**
 * What nft_table_validate() would find wrong with one new rule, without
 * walking the whole table (a 10,000-rule batch stays linear): its chain's
 * reach from the base chains (by the rules that jump, walked backwards),
 * then the rule's expressions in each base chain's context and the chains
 * it jumps to below that depth.
 */
function nft_rule_validate(tab: NftTableK, c: NftChainK, rule: NftRuleK): number {
  const reach: { base: NftChainK; depth: number }[] = [];
  if (c.base) reach.push({ base: c, depth: 0 });
  else {
    // parents: chain -> the chains with a rule that can go to it
    const parents = new Map<NftChainK, Set<NftChainK>>();
    for (const x of tab.chains.values())
      for (const r of x.rules) {
        if (r === rule) continue;
        if (!r.exprs.some((e) => e.jumpTo || e.vmap)) continue;
        for (const to of targets(r)) {
          let ps = parents.get(to);
          if (!ps) parents.set(to, (ps = new Set()));
          ps.add(x);
        }
      }
    const seen = new Set<string>();
    const up = (x: NftChainK, depth: number): void => {
      if (depth > NFT_JUMP_STACK_SIZE) return;
      const key = `${x.handle}/${depth}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (x.base) reach.push({ base: x, depth });
      for (const p of parents.get(x) ?? []) up(p, depth + 1);
    };
    up(c, 0);
  }
  for (const { base, depth } of reach) {
    const b = base.base as NftBaseChain;
    const ctx: NftValidateCtx = { family: tab.family, hookMask: 1 << b.hooknum, chainType: b.type };
    if (depth >= NFT_JUMP_STACK_SIZE) return -EMLINK;
    for (const e of rule.exprs) {
      if (!e.validate) continue;
      const err = e.validate(ctx);
      if (err) return err;
    }
    for (const to of targets(rule)) {
      const err = validate_chain(to, ctx, depth + 1);
      if (err) return err;
    }
  }
  return 0;
}

function targets(r: NftRuleK): NftChainK[] {
  const out: NftChainK[] = [];
  for (const e of r.exprs) {
    if (e.jumpTo) out.push(e.jumpTo);
    if (e.vmap) {
      for (const el of e.vmap.backend.walk()) if (el.verdict?.chain) out.push(el.verdict.chain);
      if (e.vmap.catchall?.verdict?.chain) out.push(e.vmap.catchall.verdict.chain);
    }
  }
  return out;
}

function validate_chain(c: NftChainK, ctx: NftValidateCtx, depth: number): number {
  // a loop is a path that never ends: it runs into the depth limit too
  if (depth === NFT_JUMP_STACK_SIZE) return -EMLINK;
  for (const r of c.rules) {
    for (const e of r.exprs) {
      if (e.validate) {
        const err = e.validate(ctx);
        if (err) return err;
      }
    }
    for (const to of targets(r)) {
      const err = validate_chain(to, ctx, depth + 1);
      if (err) return err;
    }
  }
  return 0;
}

// ------------------------------------------------------------------ sets

function set_dump(s: NftSetK): NftSet {
  const o: NftSet = {
    family: s.table.family,
    table: s.table.name,
    name: s.name,
    handle: s.handle,
    flags: s.flags,
    keyType: s.keyType,
    keyLen: s.keyLen,
  };
  if (s.flags & NFT_SET_MAP) {
    o.dataType = s.dataType;
    o.dataLen = s.dataLen;
  }
  if (s.flags & NFT_SET_OBJECT) o.objType = s.objType;
  if (s.policy) o.policy = s.policy;
  if (s.desc.size !== undefined || s.desc.concat) o.desc = { ...s.desc };
  if (s.timeout) o.timeout = s.timeout;
  if (s.gcInterval) o.gcInterval = s.gcInterval;
  if (s.userdata) o.userdata = s.userdata;
  if (s.exprs.length) o.exprs = s.exprs.slice();
  return o;
}

function newset(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWSET' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  if (!msg.name) return ack(-EINVAL);
  const flags = msg.flags ?? 0;
  const all =
    NFT_SET_ANONYMOUS |
    NFT_SET_CONSTANT |
    NFT_SET_INTERVAL |
    NFT_SET_MAP |
    NFT_SET_TIMEOUT |
    NFT_SET_EVAL |
    NFT_SET_OBJECT |
    NFT_SET_CONCAT |
    NFT_SET_EXPR;
  if (flags & ~all) return ack(-EOPNOTSUPP, undefined, 'flags');
  // only one of these
  if ((flags & (NFT_SET_MAP | NFT_SET_OBJECT)) === (NFT_SET_MAP | NFT_SET_OBJECT)) return ack(-EOPNOTSUPP, undefined, 'flags');
  if ((flags & (NFT_SET_EVAL | NFT_SET_OBJECT)) === (NFT_SET_EVAL | NFT_SET_OBJECT)) return ack(-EOPNOTSUPP, undefined, 'flags');
  if (!msg.keyLen || msg.keyLen > 64) return ack(-EINVAL, undefined, 'keyLen');
  let dataLen = 0;
  let dataType = 0;
  if (flags & NFT_SET_MAP) {
    if (msg.dataType === undefined) return ack(-EINVAL, undefined, 'dataType');
    dataType = msg.dataType >>> 0;
    if (dataType === NFT_DATA_VERDICT) dataLen = 16;
    else {
      if (!msg.dataLen || msg.dataLen > 64) return ack(-EINVAL, undefined, 'dataLen');
      dataLen = msg.dataLen;
    }
  } else if (msg.dataType !== undefined) return ack(-EINVAL, undefined, 'dataType');
  if (flags & NFT_SET_OBJECT && !msg.objType) return ack(-EINVAL, undefined, 'objType');
  if ((msg.timeout || msg.gcInterval) && !(flags & NFT_SET_TIMEOUT)) return ack(-EOPNOTSUPP, undefined, 'timeout');
  const old = tab.sets.get(msg.name);
  if (old) {
    if ((msg.nlFlags ?? 0) & NLM_F_EXCL) return ack(-EEXIST, undefined, 'name');
    if ((msg.nlFlags ?? 0) & NLM_F_REPLACE) return ack(-EOPNOTSUPP);
    // nft_set_flags ... must match: a redefinition with other properties is refused
    if (old.flags !== flags || old.keyLen !== msg.keyLen || old.dataLen !== dataLen) return ack(-EEXIST, undefined, 'flags');
    return ack(0);
  }
  let name = msg.name;
  if (name.includes('%')) {
    // nf_tables_set_alloc_name(): "__set%d" takes the lowest free number
    const used = new Set<number>();
    const re = new RegExp(`^${name.replace('%d', '(\\d+)').replace(/[$^]/g, '')}$`);
    for (const s of tab.sets.keys()) {
      const m = re.exec(s);
      if (m) used.add(Number(m[1]));
    }
    let n = 0;
    while (used.has(n)) n++;
    name = name.replace('%d', String(n));
  }
  if (name.length >= NFT_NAME_MAXLEN) return ack(-ENAMETOOLONG, undefined, 'name');
  const backend = nft_set_backend_select(t.net, flags, msg.keyLen, msg.desc);
  if (typeof backend === 'number') return ack(backend);
  const s: NftSetK = {
    name,
    handle: ++tab.hgenerator,
    table: tab,
    flags,
    keyType: msg.keyType ?? 0,
    keyLen: msg.keyLen,
    dataType,
    dataLen,
    objType: msg.objType ?? 0,
    policy: msg.policy ?? 0,
    desc: msg.desc ? { ...msg.desc } : {},
    timeout: msg.timeout ?? 0,
    gcInterval: msg.gcInterval ?? (flags & NFT_SET_TIMEOUT ? 0 : 0),
    exprs: msg.exprs ? msg.exprs.slice() : [],
    backend,
    use: 0,
    bound: false,
    catchall: null,
  };
  if (msg.id !== undefined) s.id = msg.id;
  if (msg.userdata) s.userdata = msg.userdata.slice();
  tab.sets.set(name, s);
  if (msg.id !== undefined) t.setIds.set(msg.id, s);
  // an anonymous set's name as the batch gave it ("__set%d") finds it too
  if (name !== msg.name) tab.sets.set(msg.name, s);
  t.undo.push(() => {
    tab.sets.delete(name);
    if (name !== msg.name) tab.sets.delete(msg.name);
  });
  if (name !== msg.name) {
    // the alias lives for the batch only
    const alias = msg.name;
    t.commit.push(() => {
      if (tab.sets.get(alias) === s) tab.sets.delete(alias);
    });
    t.undo.push(() => {});
  }
  t.events.push({ msg: 'NFT_MSG_NEWSET', set: set_dump(s) });
  return { error: 0, handle: s.handle };
}

function del_set(t: TransCtx, s: NftSetK): number {
  if (s.use > 0) return -EBUSY;
  const tab = s.table;
  const entries = [...tab.sets.entries()];
  tab.sets.delete(s.name);
  t.undo.push(() => {
    tab.sets.clear();
    for (const [k, v] of entries) tab.sets.set(k, v);
  });
  t.events.push({ msg: 'NFT_MSG_DELSET', set: set_dump(s) });
  return 0;
}

function delset(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_DELSET' | 'NFT_MSG_DESTROYSET' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  let s: NftSetK | undefined;
  if (msg.handle !== undefined) {
    for (const x of tab.sets.values()) if (x.handle === msg.handle) s = x;
  } else if (msg.name !== undefined) s = tab.sets.get(msg.name);
  if (!s) return msg.msg === 'NFT_MSG_DESTROYSET' ? ack(0) : ack(-ENOENT, undefined, msg.handle !== undefined ? 'handle' : 'name');
  if (s.flags & NFT_SET_ANONYMOUS && s.bound) return ack(-EBUSY);
  const e = del_set(t, s);
  return e ? ack(e, undefined, 'name') : ack(0);
}

/** Release of a set binding by a rule's expression (nf_tables_deactivate_set / destroy). */
export function nft_set_unbind(s: NftSetK): void {
  s.use--;
  if (s.flags & NFT_SET_ANONYMOUS && s.use === 0 && s.bound) {
    s.table.sets.delete(s.name);
  }
}

export function nft_set_bind(ctx: NftCtx, s: NftSetK): void {
  s.use++;
  if (s.flags & NFT_SET_ANONYMOUS) s.bound = true;
  ctx.trans.undo.push(() => {});
}

function elem_dump(s: NftSetK, e: NftSetElemK, now: number, reset: boolean): NftSetElem {
  const o: NftSetElem = {};
  if (!(e.flags & NFT_SET_ELEM_CATCHALL)) o.key = e.key;
  if (e.keyEnd) o.keyEnd = e.keyEnd;
  if (e.verdict) o.data = { verdict: e.verdict.chain ? { code: e.verdict.code, chain: e.verdict.chain.name } : { code: e.verdict.code } };
  else if (e.data) o.data = { value: e.data };
  if (e.flags) o.flags = e.flags;
  if (e.timeout) {
    o.timeout = e.timeout;
    o.expiration = Math.max(0, Math.floor((e.expires - now) / 1e6));
  }
  if (e.userdata) o.userdata = e.userdata;
  if (e.exprs.length) o.exprs = e.exprs.map((x) => x.dump(reset));
  if (e.obj) o.objref = e.obj.name;
  void s;
  return o;
}

function keyHex(k: Uint8Array): string {
  let s = '';
  for (const b of k) s += b.toString(16).padStart(2, '0');
  return s;
}

/** nft_setelem_parse_key(): a key of the set's length (padded to a multiple of 4 inside registers). */
function parse_key(s: NftSetK, k: Uint8Array | undefined): Uint8Array | number {
  if (!k) return -EINVAL;
  if (k.length !== s.keyLen) return -EINVAL;
  return k.slice();
}

function newsetelem(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWSETELEM' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  const s = nft_set_lookup(tab, msg.set, msg.setId, t);
  if (!s) return ack(-ENOENT, undefined, 'set');
  // a constant set, once bound, is read-only (nft_set_is_anonymous && bound)
  if (s.flags & NFT_SET_CONSTANT && s.use > 0) return ack(-EBUSY);
  const now = t.net.kernel.now;
  const ctx: NftCtx = {
    net: t.net,
    nn: t.nn,
    table: tab,
    chain: null as unknown as NftChainK,
    family: tab.family,
    trans: t,
    onDestroy: [],
  };
  for (const [i, m] of msg.elements.entries()) {
    const flags = m.flags ?? 0;
    if (flags & ~(NFT_SET_ELEM_INTERVAL_END | NFT_SET_ELEM_CATCHALL)) return ack(-EOPNOTSUPP, undefined, `elements[${i}]`);
    if (flags & NFT_SET_ELEM_INTERVAL_END && !(s.flags & NFT_SET_INTERVAL)) return ack(-EINVAL, undefined, `elements[${i}]`);
    let key: Uint8Array | number;
    if (flags & NFT_SET_ELEM_CATCHALL) key = new Uint8Array(s.keyLen);
    else key = parse_key(s, m.key);
    if (typeof key === 'number') return ack(key, undefined, `elements[${i}]`);
    const el: NftSetElemK = { key, flags, timeout: 0, expires: 0, exprs: [] };
    if (m.keyEnd) {
      if (!(s.flags & NFT_SET_INTERVAL)) return ack(-EINVAL, undefined, `elements[${i}]`);
      const ke = parse_key(s, m.keyEnd);
      if (typeof ke === 'number') return ack(ke, undefined, `elements[${i}]`);
      el.keyEnd = ke;
    }
    if (m.timeout !== undefined || m.expiration !== undefined) {
      if (!(s.flags & NFT_SET_TIMEOUT)) return ack(-EINVAL, undefined, `elements[${i}]`);
    }
    const timeout = m.timeout ?? s.timeout;
    if (timeout && !(flags & NFT_SET_ELEM_INTERVAL_END)) {
      el.timeout = timeout;
      el.expires = now + (m.expiration ?? timeout) * 1e6;
    }
    if (s.flags & NFT_SET_MAP) {
      if (!(flags & NFT_SET_ELEM_INTERVAL_END)) {
        if (!m.data) return ack(-EINVAL, undefined, `elements[${i}]`);
        const d = parse_data(ctx, s, m.data);
        if (typeof d === 'number') return ack(d, undefined, `elements[${i}]`);
        if ('verdict' in d) el.verdict = d.verdict;
        else el.data = d.value;
      }
    } else if (m.data) return ack(-EINVAL, undefined, `elements[${i}]`);
    if (s.flags & NFT_SET_OBJECT) {
      if (!(flags & NFT_SET_ELEM_INTERVAL_END)) {
        if (!m.objref) return ack(-EINVAL, undefined, `elements[${i}]`);
        const o = nft_obj_lookup(tab, m.objref, s.objType);
        if (!o) return ack(-ENOENT, undefined, `elements[${i}]`);
        el.obj = o;
      }
    } else if (m.objref) return ack(-EINVAL, undefined, `elements[${i}]`);
    if (m.userdata) el.userdata = m.userdata.slice();
    const exprs = m.exprs ?? (s.exprs.length ? s.exprs : undefined);
    if (exprs)
      for (const x of exprs) {
        const inst = nft_expr_init(ctx, x);
        if (typeof inst === 'number' || isAck(inst)) return typeof inst === 'number' ? ack(inst) : inst;
        el.exprs.push(inst);
      }
    const exist = flags & NFT_SET_ELEM_CATCHALL ? s.catchall : s.backend.get(el);
    if (exist) {
      // NLM_F_EXCL: an element that exists is an error; otherwise it stays (its data must agree)
      if ((msg.nlFlags ?? 0) & NLM_F_EXCL) return ack(-EEXIST, undefined, `elements[${i}]`);
      if (s.flags & NFT_SET_MAP && !sameData(exist, el)) return ack(-EEXIST, undefined, `elements[${i}]`);
      if (exist.timeout || el.timeout) {
        const prev = { timeout: exist.timeout, expires: exist.expires };
        exist.timeout = el.timeout;
        exist.expires = el.expires;
        t.undo.push(() => {
          exist.timeout = prev.timeout;
          exist.expires = prev.expires;
        });
      }
      continue;
    }
    if (s.desc.size && !(s.flags & NFT_SET_INTERVAL) && s.backend.size >= s.desc.size) return ack(-ENFILE_(), undefined, `elements[${i}]`);
    const err = flags & NFT_SET_ELEM_CATCHALL ? ((s.catchall = el), 0) : s.backend.insert(el);
    if (err) return ack(err, undefined, `elements[${i}]`);
    if (el.verdict?.chain) el.verdict.chain.use++;
    if (el.obj) el.obj.use++;
    t.undo.push(() => {
      if (s.catchall === el) s.catchall = null;
      else s.backend.remove(el);
      if (el.verdict?.chain) el.verdict.chain.use--;
      if (el.obj) el.obj.use--;
    });
  }
  if (s.flags & NFT_SET_MAP && s.dataType === NFT_DATA_VERDICT) t.validate.add(tab);
  t.events.push({
    msg: 'NFT_MSG_NEWSETELEM',
    family: tab.family,
    table: tab.name,
    set: s.name,
    elements: msg.elements.map((e) => ({ ...e })),
  });
  return ack(0);
}

function ENFILE_(): number {
  return 23;
}

function sameData(a: NftSetElemK, b: NftSetElemK): boolean {
  if (a.verdict || b.verdict) return !!a.verdict && !!b.verdict && a.verdict.code === b.verdict.code && a.verdict.chain === b.verdict.chain;
  if (a.data && b.data) return keyHex(a.data) === keyHex(b.data);
  return true;
}

/** nft_data_init() for a set element's data: a verdict (a map of verdicts) or a value of the set's data length. */
function parse_data(
  ctx: NftCtx,
  s: NftSetK,
  d: NftData,
): { value: Uint8Array } | { verdict: { code: number; chain: NftChainK | null } } | number {
  if (s.dataType === NFT_DATA_VERDICT) {
    if (!('verdict' in d)) return -EINVAL;
    const v = nft_verdict_init(ctx, d.verdict);
    if (typeof v === 'number') return v;
    return { verdict: v };
  }
  if (!('value' in d)) return -EINVAL;
  if (d.value.length !== s.dataLen) return -EINVAL;
  return { value: d.value.slice() };
}

/** nft_verdict_init(): the verdict codes a rule or map may give; a jump needs a regular chain of the table. */
export function nft_verdict_init(ctx: NftCtx, v: { code: number; chain?: string }): { code: number; chain: NftChainK | null } | number {
  const code = v.code | 0;
  switch (code & 0xff) {
    case NF_ACCEPT:
    case NF_DROP:
    case 3: // NF_QUEUE
      if (code < 0) break;
      if ((code & 0xff) !== 3 && code >>> 8) return -EINVAL;
      return { code, chain: null };
  }
  switch (code) {
    case -1: // NFT_CONTINUE
    case -2: // NFT_BREAK
    case -5: // NFT_RETURN
      return { code, chain: null };
    case NFT_JUMP:
    case NFT_GOTO: {
      if (!v.chain) return -EINVAL;
      const c = ctx.table.chains.get(v.chain);
      if (!c) return -ENOENT;
      if (c.base) return -EOPNOTSUPP;
      return { code, chain: c };
    }
  }
  return -EINVAL;
}

function delsetelem(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_DELSETELEM' | 'NFT_MSG_DESTROYSETELEM' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  const s = tab.sets.get(msg.set);
  if (!s) return ack(-ENOENT, undefined, 'set');
  if (s.flags & NFT_SET_CONSTANT && s.use > 0) return ack(-EBUSY);
  const rm = (el: NftSetElemK): void => {
    if (s.catchall === el) s.catchall = null;
    else s.backend.remove(el);
    if (el.verdict?.chain) el.verdict.chain.use--;
    if (el.obj) el.obj.use--;
    t.undo.push(() => {
      if (el.flags & NFT_SET_ELEM_CATCHALL) s.catchall = el;
      else s.backend.insert(el);
      if (el.verdict?.chain) el.verdict.chain.use++;
      if (el.obj) el.obj.use++;
    });
  };
  if (!msg.elements) {
    for (const el of [...s.backend.walk()]) rm(el);
    if (s.catchall) rm(s.catchall);
  } else {
    for (const [i, m] of msg.elements.entries()) {
      const flags = m.flags ?? 0;
      const key = flags & NFT_SET_ELEM_CATCHALL ? new Uint8Array(s.keyLen) : parse_key(s, m.key);
      if (typeof key === 'number') return ack(key, undefined, `elements[${i}]`);
      const probe: NftSetElemK = { key, flags, timeout: 0, expires: 0, exprs: [] };
      if (m.keyEnd) {
        const ke = parse_key(s, m.keyEnd);
        if (typeof ke === 'number') return ack(ke);
        probe.keyEnd = ke;
      }
      const el = flags & NFT_SET_ELEM_CATCHALL ? s.catchall : s.backend.get(probe);
      if (!el || (el.expires && el.expires <= t.net.kernel.now)) {
        if (msg.msg === 'NFT_MSG_DESTROYSETELEM') continue;
        return ack(-ENOENT, undefined, `elements[${i}]`);
      }
      rm(el);
    }
  }
  t.events.push({ msg: 'NFT_MSG_DELSETELEM', family: tab.family, table: tab.name, set: s.name, elements: msg.elements ?? [] });
  return ack(0);
}

// ------------------------------------------------------------------ objects

function obj_dump(o: NftObjK, reset: boolean): NftObj {
  const d = { ...o.data };
  if (reset) {
    if (o.data.type === NFT_OBJECT_COUNTER) o.data = { ...o.data, packets: 0, bytes: 0 };
    else if (o.data.type === NFT_OBJECT_QUOTA) o.data = { ...o.data, consumed: 0 };
  }
  const x: NftObj = { family: o.table.family, table: o.table.name, name: o.name, handle: o.handle, use: o.use, data: d as NftObjData };
  if (o.userdata) x.userdata = o.userdata;
  return x;
}

function newobj(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWOBJ' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  if (!msg.name) return ack(-EINVAL);
  const type = msg.data.type;
  if (![NFT_OBJECT_COUNTER, NFT_OBJECT_QUOTA, NFT_OBJECT_LIMIT, NFT_OBJECT_CONNLIMIT, NFT_OBJECT_CT_HELPER].includes(type))
    return ack(-EOPNOTSUPP, undefined, 'type');
  const old = nft_obj_lookup(tab, msg.name, type);
  if (old) {
    if ((msg.nlFlags ?? 0) & NLM_F_EXCL) return ack(-EEXIST, undefined, 'name');
    if ((msg.nlFlags ?? 0) & NLM_F_REPLACE) {
      // nf_tables_updobj(): quota and limit can be updated
      const prev = old.data;
      old.data = { ...msg.data } as NftObjData;
      t.undo.push(() => {
        old.data = prev;
      });
    }
    return ack(0);
  }
  if (type === NFT_OBJECT_LIMIT) {
    const d = msg.data as Extract<NftObjData, { type: typeof NFT_OBJECT_LIMIT }>;
    if (!d.rate || !d.unit) return ack(-EINVAL);
  }
  if (type === NFT_OBJECT_QUOTA) {
    const d = msg.data as Extract<NftObjData, { type: typeof NFT_OBJECT_QUOTA }>;
    if (d.bytes > Number.MAX_SAFE_INTEGER || d.bytes < 0) return ack(-EOVERFLOW_());
  }
  const o: NftObjK = { name: msg.name, handle: ++tab.hgenerator, table: tab, use: 0, data: { ...msg.data } as NftObjData };
  if (msg.userdata) o.userdata = msg.userdata.slice();
  tab.objs.push(o);
  t.undo.push(() => {
    tab.objs.splice(tab.objs.indexOf(o), 1);
  });
  t.events.push({ msg: 'NFT_MSG_NEWOBJ', obj: obj_dump(o, false) });
  return { error: 0, handle: o.handle };
}

function EOVERFLOW_(): number {
  return 75;
}

function del_obj(t: TransCtx, o: NftObjK): number {
  if (o.use > 0) return -EBUSY;
  const tab = o.table;
  const i = tab.objs.indexOf(o);
  tab.objs.splice(i, 1);
  t.undo.push(() => tab.objs.splice(i, 0, o));
  t.events.push({ msg: 'NFT_MSG_DELOBJ', obj: obj_dump(o, false) });
  return 0;
}

function delobj(t: TransCtx, msg: Extract<NfTablesMsg, { msg: 'NFT_MSG_DELOBJ' | 'NFT_MSG_DESTROYOBJ' }>): NftAck {
  const tab = tableOf(t, msg.family, msg.table);
  if (isAck(tab)) return tab;
  const o =
    msg.handle !== undefined
      ? tab.objs.find((x) => x.handle === msg.handle && x.data.type === msg.objType)
      : tab.objs.find((x) => x.name === msg.name && x.data.type === msg.objType);
  if (!o) return msg.msg === 'NFT_MSG_DESTROYOBJ' ? ack(0) : ack(-ENOENT, undefined, msg.handle !== undefined ? 'handle' : 'name');
  const e = del_obj(t, o);
  return e ? ack(e, undefined, 'name') : ack(0);
}

// ------------------------------------------------------------------ dumps

function famOk(want: number | undefined, have: number): boolean {
  return !want || want === have;
}

/** Every table of the namespace, nft's and iptables-nft's, in creation (handle) order. */
function all_tables(nn: NftNet): (NftTableK | XtTable)[] {
  const xs: (NftTableK | XtTable)[] = [...nn.tables, ...xt_nft_tables(nn.net)];
  return xs.sort((a, b) => a.handle - b.handle);
}

const isXt = (x: NftTableK | XtTable): x is XtTable => 'def' in x;
const tfam = (x: NftTableK | XtTable): number => (isXt(x) ? NFPROTO_IPV4 : x.family);
const tname = (x: NftTableK | XtTable): string => (isXt(x) ? x.def.name : x.name);

export function nf_tables_gettable(net: Net, req: { family?: number; name?: string }): NftTable[] | number {
  const tabs = tablesFor(nft_pernet(net), req.family, req.name);
  if (typeof tabs === 'number') return tabs;
  return tabs.map((t) => (isXt(t) ? xt_table_dump(t) : table_dump(t)));
}

function tablesFor(nn: NftNet, family: number | undefined, table: string | undefined): (NftTableK | XtTable)[] | number {
  const all = all_tables(nn).filter((x) => famOk(family, tfam(x)));
  if (table !== undefined) {
    const t = all.filter((x) => tname(x) === table);
    return t.length ? t : -ENOENT;
  }
  return all;
}

export function nf_tables_getchain(net: Net, req: { family?: number; table?: string; name?: string }): NftChain[] | number {
  const tabs = tablesFor(nft_pernet(net), req.family, req.table);
  if (typeof tabs === 'number') return tabs;
  const out: NftChain[] = [];
  for (const t of tabs) {
    if (isXt(t)) {
      for (const c of t.chains.values()) if (req.name === undefined || c.name === req.name) out.push(xt_chain_dump(t, c));
      continue;
    }
    for (const c of t.chains.values()) if (req.name === undefined || c.name === req.name) out.push(chain_dump(c));
  }
  if (req.name !== undefined && out.length === 0) return -ENOENT;
  return out;
}

export function nf_tables_getrule(
  net: Net,
  req: { family?: number; table?: string; chain?: string; handle?: number; reset?: boolean },
): NftRule[] | number {
  const tabs = tablesFor(nft_pernet(net), req.family, req.table);
  if (typeof tabs === 'number') return tabs;
  const out: NftRule[] = [];
  for (const t of tabs) {
    if (isXt(t)) {
      for (const c of t.chains.values()) {
        if (req.chain !== undefined && c.name !== req.chain) continue;
        for (let i = 0; i < c.rules.length; i++)
          if (req.handle === undefined || c.rules[i]?.handle === req.handle) out.push(xt_rule_dump(t, c, i, !!req.reset));
        if (req.reset && c.stats) c.pcnt = c.bcnt = 0;
      }
      continue;
    }
    for (const c of t.chains.values()) {
      if (req.chain !== undefined && c.name !== req.chain) continue;
      for (const r of c.rules) if (req.handle === undefined || r.handle === req.handle) out.push(rule_dump(r, !!req.reset));
    }
  }
  if (req.chain !== undefined && !tabs.some((t) => t.chains.has(req.chain as string))) return -ENOENT;
  if (req.handle !== undefined && out.length === 0) return -ENOENT;
  return out;
}

export function nf_tables_getset(net: Net, req: { family?: number; table?: string; name?: string }): NftSet[] | number {
  const tabs = tablesFor(nft_pernet(net), req.family, req.table);
  if (typeof tabs === 'number') return tabs;
  const out: NftSet[] = [];
  for (const t of tabs) {
    if (isXt(t)) continue;
    for (const [k, s] of t.sets) if (k === s.name && (req.name === undefined || s.name === req.name)) out.push(set_dump(s));
  }
  if (req.name !== undefined && out.length === 0) return -ENOENT;
  return out;
}

export function nf_tables_getsetelem(
  net: Net,
  req: { family: number; table: string; set: string; reset?: boolean },
): NftSetElem[] | number {
  const nn = nft_pernet(net);
  const t = nft_table_lookup(nn, req.family, req.table);
  if (!t) return -ENOENT;
  const s = t.sets.get(req.set);
  if (!s) return -ENOENT;
  const now = net.kernel.now;
  const out: NftSetElem[] = [];
  for (const e of s.backend.walk()) {
    if (e.expires && e.expires <= now) continue;
    out.push(elem_dump(s, e, now, !!req.reset));
  }
  if (s.catchall) out.push(elem_dump(s, s.catchall, now, !!req.reset));
  return out;
}

export function nf_tables_getobj(
  net: Net,
  req: { family?: number; table?: string; name?: string; objType?: number; reset?: boolean },
): NftObj[] | number {
  const tabs = tablesFor(nft_pernet(net), req.family, req.table);
  if (typeof tabs === 'number') return tabs;
  const out: NftObj[] = [];
  for (const t of tabs) {
    if (isXt(t)) continue;
    for (const o of t.objs) {
      if (req.name !== undefined && o.name !== req.name) continue;
      if (req.objType && o.data.type !== req.objType) continue;
      out.push(obj_dump(o, !!req.reset));
    }
  }
  if (req.name !== undefined && out.length === 0) return -ENOENT;
  return out;
}

export function nf_tables_getgen(net: Net): NftGen {
  return { id: nft_pernet(net).baseSeq };
}

export function nf_tables_subscribe(
  net: Net,
  cb: { ruleset?: (ev: NftRulesetEvent) => void; trace?: (ev: NftTraceEvent) => void },
): NftSubscriber {
  const s: NftSubscriber = { net, ...cb };
  nft_pernet(net).subscribers.add(s);
  return s;
}

export function nf_tables_unsubscribe(s: NftSubscriber): void {
  nft_pernet(s.net).subscribers.delete(s);
}

export { ENODEV, NFT_CHAIN_MAXNAMELEN, NFT_OBJECT_CT_HELPER };

// ------------------------------------------------------------------ registers

/** nft_parse_register(): the register's first 32-bit word, or -ERANGE. */
export function nft_parse_register(reg: number): number {
  if (reg >= 0 && reg <= 4) return (reg * 16) / 4;
  if (reg >= 8 && reg <= 23) return reg + 4 - 8;
  return -ERANGE;
}

/** nft_parse_register_load(): the byte offset of a source register holding len bytes, or -errno. */
export function nft_parse_register_load(reg: number | undefined, len: number): number {
  if (reg === undefined) return -EINVAL;
  const w = nft_parse_register(reg);
  if (w < 0) return w;
  if (w < 4) return -EINVAL;
  if (len === 0) return -EINVAL;
  if (w * 4 + len > 80) return -ERANGE;
  return w * 4;
}

/** nft_parse_register_store() for a value: the byte offset of the destination, or -errno. */
export function nft_parse_register_store(reg: number | undefined, len: number): number {
  return nft_parse_register_load(reg, len);
}

export function nft_reg_store32(d: Uint8Array, o: number, v: number): void {
  d[o] = v & 0xff;
  d[o + 1] = (v >>> 8) & 0xff;
  d[o + 2] = (v >>> 16) & 0xff;
  d[o + 3] = (v >>> 24) & 0xff;
}

export function nft_reg_load32(d: Uint8Array, o: number): number {
  return ((d[o] as number) | ((d[o + 1] as number) << 8) | ((d[o + 2] as number) << 16) | ((d[o + 3] as number) << 24)) >>> 0;
}

/** nft_reg_store8(): the word is zeroed, then its first byte set. */
export function nft_reg_store8(d: Uint8Array, o: number, v: number): void {
  nft_reg_store32(d, o, 0);
  d[o] = v & 0xff;
}

/** nft_reg_store16(): a host-order u16 in a zeroed word. */
export function nft_reg_store16(d: Uint8Array, o: number, v: number): void {
  nft_reg_store32(d, o, 0);
  d[o] = v & 0xff;
  d[o + 1] = (v >>> 8) & 0xff;
}

/** A big-endian (network order) u16 in a zeroed word. */
export function nft_reg_store_be16(d: Uint8Array, o: number, v: number): void {
  nft_reg_store32(d, o, 0);
  d[o] = (v >>> 8) & 0xff;
  d[o + 1] = v & 0xff;
}

export function nft_reg_store_be32(d: Uint8Array, o: number, v: number): void {
  d[o] = (v >>> 24) & 0xff;
  d[o + 1] = (v >>> 16) & 0xff;
  d[o + 2] = (v >>> 8) & 0xff;
  d[o + 3] = v & 0xff;
}

export function nft_reg_load_be32(d: Uint8Array, o: number): number {
  return (((d[o] as number) << 24) | ((d[o + 1] as number) << 16) | ((d[o + 2] as number) << 8) | (d[o + 3] as number)) >>> 0;
}

export function nft_reg_load_be16(d: Uint8Array, o: number): number {
  return ((d[o] as number) << 8) | (d[o + 1] as number);
}

/** The bytes a register holds, for a dump (NFTA_DATA_VALUE). */
export function nft_data_dump(d: Uint8Array): Uint8Array {
  return d.slice();
}
