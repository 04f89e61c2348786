// net/sched/act_api.c: actions. Each kind registers its tc_action_ops
// (tcf_register_action); a netns keeps one index table per kind (the idr of
// tcf_idrinfo), so an action lives on after its filter when something else
// holds it and `tc actions` can show it. A filter's actions are its tcf_exts:
// tcf_exts_validate() binds them (ref 1 bind 1), tcf_exts_exec() runs them in
// order with tcf_action_exec(): TC_ACT_PIPE goes on to the next one, anything
// else is the verdict.
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EEXIST, EINVAL, ENOENT, EPERM } from '../uapi/errno.ts';
import {
  TC_ACT_EXT_CMP,
  TC_ACT_EXT_OPCODE,
  TC_ACT_EXT_VAL_MASK,
  TC_ACT_GOTO_CHAIN,
  TC_ACT_JUMP,
  TC_ACT_OK,
  TC_ACT_PIPE,
  TC_ACT_REPEAT,
  TC_ACT_SHOT,
  TC_ACT_UNSPEC,
  TC_ACT_VALUE_MAX,
  TCA_ACT_MAX_PRIO,
  TCA_ACT_MAX_PRIO_MASK,
  type TcActStats,
  type TcaActEntry,
  type TcfT,
} from '../uapi/pkt_cls.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { type TcfBlock, type TcfChain, type TcfResult, tcf_chain_get_by_act, tcf_chain_put_by_act } from './cls_api.ts';
import { NLM_F_DUMP, NLM_F_REPLACE, NLM_F_ROOT, type NlReply } from '../uapi/rtnetlink.ts';
import { RTM_GETACTION, RTM_NEWACTION, RTM_DELACTION, type TcActionMsg } from '../uapi/rtnetlink_tc.ts';

/** struct netlink_ext_ack */
export interface Extack {
  msg: string | null;
}

/** struct tc_action: the common part every action kind has. */
export interface TcAction {
  readonly ops: TcActionOps;
  index: number;
  /** tcf_action: the control verdict (TC_ACT_*, or a goto chain / jump). */
  tcfa_action: number;
  refcnt: number;
  bindcnt: number;
  /** tcf_t in jiffies (install, lastuse, firstuse; 0: never) */
  tm: { install: number; lastuse: number; expires: number; firstuse: number };
  bstats: { bytes: number; packets: number };
  qstats: { qlen: number; backlog: number; drops: number; requeues: number; overlimits: number };
  /** a->goto_chain: the chain TC_ACT_GOTO_CHAIN jumps to. */
  goto_chain: TcfChain | null;
  /** TCA_ACT_FLAGS / hardware flags (skip_sw …) */
  tcfa_flags: number;
  cookie: Uint8Array | null;
  /** the kind's own state (struct tcf_gact, tcf_mirred …) */
  priv: unknown;
  /** made by `tc actions add` (not by a filter): its dump carries TCA_ACT_USED_HW_STATS */
  standalone: boolean;
}

/** struct tc_action_ops */
export interface TcActionOps {
  readonly kind: string;
  /** ->act(): the action on skb; its verdict. */
  act(skb: SkBuff, a: TcAction, res: TcfResult): number;
  /**
   * ->init(): parses TCA_ACT_OPTIONS into `a` (a new action when `created`,
   * else an existing one being replaced); 0 or -errno with extack set.
   */
  init(net: Net, opts: object | undefined, a: TcAction, created: boolean, extack: Extack): number;
  /** ->dump(): TCA_ACT_OPTIONS as the kind puts them (ref/bind already applied to refcnt/bindcnt). */
  dump(a: TcAction, refcnt: number, bindcnt: number, tm: TcfT): object;
  /** ->cleanup() */
  cleanup?(a: TcAction): void;
  /** the index parameter from the options, before init (tc_gen.index) */
  index_of(opts: object | undefined): number;
}

/** The actions of a netns: one idr per kind. */
export class TcfNet {
  readonly idr = new Map<string, Map<number, TcAction>>();
}

/** The kinds this kernel has (act_* registered at boot; the oracle kernel has mirred only, see README). */
export function tcf_action_ops(k: Kernel, kind: string): TcActionOps | undefined {
  return k.tcActionOps.get(kind);
}

/** tcf_register_action() */
export function tcf_register_action(k: Kernel, ops: TcActionOps): void {
  k.tcActionOps.set(ops.kind, ops);
}

export function tcf_net(net: Net): TcfNet {
  return (net.tcf ??= new TcfNet());
}

function idr_of(net: Net, kind: string): Map<number, TcAction> {
  const t = tcf_net(net);
  let m = t.idr.get(kind);
  if (!m) {
    m = new Map();
    t.idr.set(kind, m);
  }
  return m;
}

/** idr_alloc_u32(.., 1, UINT_MAX): the lowest free index from 1. */
function idr_alloc(m: Map<number, TcAction>): number {
  let i = 1;
  while (m.has(i)) i++;
  return i;
}

/** tcf_idr_create(): a fresh action of `ops` at `index`. */
function tcf_idr_create(net: Net, ops: TcActionOps, index: number, bind: boolean): TcAction {
  const j = net.kernel.jiffies();
  return {
    ops,
    index,
    tcfa_action: TC_ACT_OK,
    refcnt: 1,
    bindcnt: bind ? 1 : 0,
    tm: { install: j, lastuse: j, expires: 0, firstuse: 0 },
    bstats: { bytes: 0, packets: 0 },
    qstats: { qlen: 0, backlog: 0, drops: 0, requeues: 0, overlimits: 0 },
    goto_chain: null,
    tcfa_flags: 0,
    cookie: null,
    priv: null,
    standalone: !bind,
  };
}

/** tcf_lastuse_update() */
export function tcf_lastuse_update(k: Kernel, a: TcAction): void {
  const j = k.jiffies();
  a.tm.lastuse = j;
  if (!a.tm.firstuse) a.tm.firstuse = j;
}

/** tcf_action_update_bstats() */
export function tcf_action_update_bstats(a: TcAction, skb: SkBuff): void {
  a.bstats.bytes += skb.len;
  a.bstats.packets++;
}

/** tcf_action_inc_drop_qstats() */
export function tcf_action_inc_drop_qstats(a: TcAction): void {
  a.qstats.drops++;
}

/** tcf_action_inc_overlimit_qstats() */
export function tcf_action_inc_overlimit_qstats(a: TcAction): void {
  a.qstats.overlimits++;
}

/** tcf_tm_dump(): ages in clock_t. */
export function tcf_tm_dump(k: Kernel, a: TcAction): TcfT {
  const j = k.jiffies();
  const c = (x: number) => Math.trunc(((j - x) * 100) / k.HZ);
  return {
    install: c(a.tm.install),
    lastuse: c(a.tm.lastuse),
    firstuse: a.tm.firstuse ? c(a.tm.firstuse) : 0,
    expires: Math.trunc((a.tm.expires * 100) / k.HZ),
  };
}

/** tcf_action_check_ctrlact(): a TC_ACT_* value, a jump or a goto chain (which needs a filter's chain). */
export function tcf_action_check_ctrlact(action: number, extack: Extack): number {
  const opcode = TC_ACT_EXT_OPCODE(action);
  let ret = -EINVAL;
  if (!opcode) ret = action > TC_ACT_VALUE_MAX ? -EINVAL : 0;
  else if (opcode <= TC_ACT_GOTO_CHAIN || action === TC_ACT_UNSPEC) ret = 0;
  if (ret) {
    extack.msg = 'invalid control action';
    return ret;
  }
  return 0;
}

/** The result of tcf_action_init_1(): the action, or -errno. */
export type ActInit = { err: 0; a: TcAction } | { err: number; a: null };

/**
 * tcf_action_init_1(): looks the index up (binds to an existing action when
 * `bind`), else creates the action and lets its kind parse the options.
 */
export function tcf_action_init_1(
  net: Net,
  ent: TcaActEntry,
  bind: boolean,
  replace: boolean,
  extack: Extack,
  block: TcfBlock | null = null,
): ActInit {
  const kind = ent.TCA_ACT_KIND;
  if (kind === undefined) {
    extack.msg = 'TC action kind must be specified';
    return { err: -EINVAL, a: null };
  }
  const ops = tcf_action_ops(net.kernel, kind);
  if (!ops) {
    extack.msg = 'Failed to load TC action module';
    return { err: -ENOENT, a: null };
  }
  const m = idr_of(net, kind);
  const index = ops.index_of(ent.TCA_ACT_OPTIONS) || ent.TCA_ACT_INDEX || 0;
  const old = index ? m.get(index) : undefined;
  if (old) {
    if (bind) {
      // ACT_P_BOUND: an existing action bound as it is
      old.refcnt++;
      old.bindcnt++;
      return { err: 0, a: old };
    }
    if (!replace) return { err: -EEXIST, a: null };
    const err = ops.init(net, ent.TCA_ACT_OPTIONS, old, false, extack);
    if (err) return { err, a: null };
    old.refcnt++;
    return { err: 0, a: old };
  }
  const a = tcf_idr_create(net, ops, index || idr_alloc(m), bind);
  const err = ops.init(net, ent.TCA_ACT_OPTIONS, a, true, extack);
  if (err) return { err, a: null };
  if (TC_ACT_EXT_CMP(a.tcfa_action, TC_ACT_GOTO_CHAIN)) {
    // tcf_action_check_ctrlact(): goto chain binds a chain of the filter's block
    if (!block) {
      extack.msg = "can't goto NULL proto/chain";
      return { err: -EINVAL, a: null };
    }
    a.goto_chain = tcf_chain_get_by_act(block, a.tcfa_action & TC_ACT_EXT_VAL_MASK);
  }
  if (ent.TCA_ACT_COOKIE) a.cookie = ent.TCA_ACT_COOKIE;
  if (ent.TCA_ACT_FLAGS !== undefined) a.tcfa_flags = ent.TCA_ACT_FLAGS;
  m.set(a.index, a);
  return { err: 0, a };
}

/** tcf_action_init(): every action of a TCA_ACT_TAB list, in order; on an error the ones made are released. */
export function tcf_action_init(
  net: Net,
  list: readonly TcaActEntry[],
  bind: boolean,
  replace: boolean,
  extack: Extack,
  block: TcfBlock | null = null,
): { err: number; actions: TcAction[] } {
  const actions: TcAction[] = [];
  if (list.length > TCA_ACT_MAX_PRIO) {
    extack.msg = 'Too many actions';
    return { err: -EINVAL, actions: [] };
  }
  for (const ent of list) {
    const r = tcf_action_init_1(net, ent, bind, replace, extack, block);
    if (r.err || !r.a) {
      tcf_action_destroy(net, actions, bind);
      return { err: r.err, actions: [] };
    }
    actions.push(r.a);
  }
  return { err: 0, actions };
}

/** __tcf_idr_release(): drops a reference (and a binding); the last one frees the action. */
export function tcf_idr_release(net: Net, a: TcAction, bind: boolean): boolean {
  if (bind && a.bindcnt > 0) a.bindcnt--;
  a.refcnt--;
  if (a.refcnt <= 0) {
    idr_of(net, a.ops.kind).delete(a.index);
    a.ops.cleanup?.(a);
    if (a.goto_chain) tcf_chain_put_by_act(a.goto_chain);
    a.goto_chain = null;
    return true;
  }
  return false;
}

/** tcf_action_destroy() */
export function tcf_action_destroy(net: Net, actions: readonly TcAction[], bind: boolean): void {
  for (const a of actions) tcf_idr_release(net, a, bind);
}

/** tcf_action_goto_chain_exec(): the jump target becomes the filter list to classify against. */
function tcf_action_goto_chain_exec(a: TcAction, res: TcfResult): void {
  res.goto_tp = a.goto_chain?.filter_chain ?? null;
}

/** tcf_action_exec(): runs the actions in order; TC_ACT_PIPE continues, anything else is the verdict. */
export function tcf_action_exec(skb: SkBuff, actions: readonly TcAction[], res: TcfResult): number {
  let jmp_prgcnt = 0;
  let jmp_ttl = TCA_ACT_MAX_PRIO;
  let ret = TC_ACT_OK;
  const net = (skb.dev as { net: Net }).net;
  for (let restart = true; restart; ) {
    restart = false;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i] as TcAction;
      if (jmp_prgcnt > 0) {
        jmp_prgcnt--;
        continue;
      }
      if (a.tcfa_flags & 2) continue; // tc_act_skip_sw()
      let repeat_ttl = 32;
      for (;;) {
        kprobe(net, skb, `tcf_${a.ops.kind}_act`);
        ret = a.ops.act(skb, a, res);
        if (ret !== TC_ACT_REPEAT) break;
        if (--repeat_ttl === 0) return TC_ACT_OK;
      }
      if (TC_ACT_EXT_CMP(ret, TC_ACT_JUMP)) {
        jmp_prgcnt = ret & TCA_ACT_MAX_PRIO_MASK;
        if (!jmp_prgcnt || jmp_prgcnt > actions.length) return TC_ACT_OK;
        jmp_ttl -= 1;
        if (jmp_ttl > 0) {
          restart = true;
          break;
        }
        return TC_ACT_OK;
      }
      if (TC_ACT_EXT_CMP(ret, TC_ACT_GOTO_CHAIN)) {
        if (!a.goto_chain) {
          tcf_set_drop_reason(skb, SKB_DROP_REASON.TC_CHAIN_NOTFOUND);
          return TC_ACT_SHOT;
        }
        tcf_action_goto_chain_exec(a, res);
      }
      if (ret !== TC_ACT_PIPE) break;
    }
  }
  return ret;
}

/** tcf_set_drop_reason(): the reason a TC_ACT_SHOT is freed with (tc_skb_cb(skb)->drop_reason). */
export function tcf_set_drop_reason(skb: SkBuff, reason: number): void {
  skb.tcDropReason = reason;
}

/** tcf_get_drop_reason() */
export function tcf_get_drop_reason(skb: SkBuff): number {
  return skb.tcDropReason;
}

/** The counters of an action as TCA_ACT_STATS carries them. */
export function tcf_action_stats(a: TcAction): TcActStats {
  return { basic: { ...a.bstats }, queue: { ...a.qstats } };
}

/** tcf_action_dump_1(): one action as TCA_ACT_TAB holds it (its kind, index, options and counters). */
export function tcf_action_dump_1(k: Kernel, a: TcAction, bind: number, ref: number): TcaActEntry {
  const ent: TcaActEntry = {
    TCA_ACT_KIND: a.ops.kind,
    TCA_ACT_OPTIONS: a.ops.dump(a, a.refcnt - ref, a.bindcnt - bind, tcf_tm_dump(k, a)),
    TCA_ACT_STATS: tcf_action_stats(a),
  };
  if (a.cookie) ent.TCA_ACT_COOKIE = a.cookie;
  if (a.tcfa_flags) ent.TCA_ACT_FLAGS = a.tcfa_flags;
  ent.TCA_ACT_IN_HW_COUNT = 0;
  if (a.standalone) ent.TCA_ACT_USED_HW_STATS = 0;
  return ent;
}

/** tcf_action_set_ctrlact(): the verdict after the action (`goto chain N` binds the chain). */
export function tcf_action_set_ctrlact(a: TcAction, action: number, goto_chain: TcfChain | null): void {
  a.tcfa_action = action;
  a.goto_chain = goto_chain;
}

// --- struct tcf_exts: a filter's actions ---

/** struct tcf_exts */
export interface TcfExts {
  actions: TcAction[];
  net: Net;
}

export function tcf_exts_init(net: Net): TcfExts {
  return { actions: [], net };
}

/**
 * tcf_exts_validate(): binds the filter's actions from its TCA_*_ACT list
 * (on success the old ones are released by the caller's tcf_exts_change()).
 */
export function tcf_exts_validate(
  net: Net,
  list: readonly TcaActEntry[] | undefined,
  exts: TcfExts,
  extack: Extack,
  block: TcfBlock | null = null,
): number {
  if (!list) return 0;
  const r = tcf_action_init(net, list, true, false, extack, block);
  if (r.err) return r.err;
  exts.actions = r.actions;
  return 0;
}

/** tcf_exts_destroy() */
export function tcf_exts_destroy(exts: TcfExts): void {
  tcf_action_destroy(exts.net, exts.actions, true);
  exts.actions = [];
}

/** tcf_exts_change(): the new actions replace the old ones. */
export function tcf_exts_change(dst: TcfExts, src: TcfExts): void {
  const old = dst.actions;
  dst.actions = src.actions;
  src.actions = [];
  tcf_action_destroy(dst.net, old, true);
}

/** tcf_exts_has_actions() */
export function tcf_exts_has_actions(exts: TcfExts): boolean {
  return exts.actions.length > 0;
}

/** tcf_exts_exec(): TC_ACT_OK when the filter has no actions. */
export function tcf_exts_exec(skb: SkBuff, exts: TcfExts, res: TcfResult): number {
  if (exts.actions.length) return tcf_action_exec(skb, exts.actions, res);
  return TC_ACT_OK;
}

/** tcf_exts_dump(): the actions for a filter dump (bind 0, ref 0: the counts as they are). */
export function tcf_exts_dump(exts: TcfExts): TcaActEntry[] | undefined {
  if (!exts.actions.length) return undefined;
  const k = exts.net.kernel;
  return exts.actions.map((a) => tcf_action_dump_1(k, a, 0, 0));
}

// --- RTM_*ACTION: `tc actions` ---

/** RTM_NEWACTION: tcf_action_add() with bind 0; NLM_F_REPLACE allows replacing an existing index. */
export function tcf_action_add(net: Net, list: readonly TcaActEntry[], replace: boolean, extack: Extack): number {
  const r = tcf_action_init(net, list, false, replace, extack);
  return r.err;
}

/** RTM_DELACTION of one action: refused while a filter holds it. */
export function tcf_del_action(net: Net, kind: string, index: number, extack: Extack): number {
  const ops = tcf_action_ops(net.kernel, kind);
  if (!ops) {
    extack.msg = 'Failed to load TC action module';
    return -EINVAL;
  }
  const m = idr_of(net, kind);
  const a = m.get(index);
  if (!a) {
    extack.msg = 'TC action with specified index not found';
    return -ENOENT;
  }
  if (a.bindcnt > 0) {
    extack.msg = 'Failed to delete TC action';
    return -EPERM;
  }
  tcf_idr_release(net, a, false);
  return 0;
}

/** RTM_GETACTION of one action, or null with extack set. */
export function tcf_get_action(net: Net, kind: string, index: number, extack: Extack): TcaActEntry | null {
  const ops = tcf_action_ops(net.kernel, kind);
  if (!ops) {
    extack.msg = 'Failed to load TC action module';
    return null;
  }
  const a = idr_of(net, kind).get(index);
  if (!a) {
    extack.msg = 'TC action with specified index not found';
    return null;
  }
  const ent = tcf_action_dump_1(net.kernel, a, 0, 0);
  ent.TCA_ACT_INDEX = a.index;
  return ent;
}

/** tc_dump_action(): every action of a kind, by index (tcf_generic_walker). */
export function tcf_dump_actions(net: Net, kind: string): { err: number; actions: TcaActEntry[] } {
  const ops = tcf_action_ops(net.kernel, kind);
  if (!ops) return { err: -EINVAL, actions: [] };
  const m = idr_of(net, kind);
  const idx = [...m.keys()].sort((x, y) => x - y);
  return {
    err: 0,
    actions: idx.map((i) => {
      const ent = tcf_action_dump_1(net.kernel, m.get(i) as TcAction, 0, 0);
      ent.TCA_ACT_INDEX = i;
      return ent;
    }),
  };
}

/** tcf_action_flush (RTM_DELACTION with NLM_F_ROOT): every unbound action of a kind; the count deleted. */
export function tcf_flush_actions(net: Net, kind: string, extack: Extack): { err: number; count: number } {
  const ops = tcf_action_ops(net.kernel, kind);
  if (!ops) {
    extack.msg = 'Failed to load TC action module';
    return { err: -EINVAL, count: 0 };
  }
  const m = idr_of(net, kind);
  let count = 0;
  for (const a of [...m.values()]) {
    if (a.bindcnt > 0) {
      extack.msg = 'Failed to delete TC action';
      return { err: -EPERM, count };
    }
    tcf_idr_release(net, a, false);
    count++;
  }
  return { err: 0, count };
}

/** TC_ACT_UNSPEC, re-exported for the classifiers' "no match". */
export { TC_ACT_UNSPEC };

/** tc_ctl_action(): RTM_NEWACTION, RTM_DELACTION and RTM_GETACTION (`tc actions add|change|replace|del|get|ls|flush`). */
export function tc_ctl_action(net: Net, req: TcActionMsg): NlReply<TcActionMsg> {
  const extack: Extack = { msg: null };
  const tab = (req.attrs.TCA_ACT_TAB ?? []) as TcaActEntry[];
  const done = (error: number, msgs: TcActionMsg[] = []): NlReply<TcActionMsg> => ({ error, extack: error ? extack.msg : null, msgs });
  if (!tab.length && req.nlmsg_type !== RTM_GETACTION) {
    extack.msg = 'Netlink action attributes missing';
    return done(-EINVAL);
  }
  if (req.nlmsg_type === RTM_NEWACTION) {
    return done(tcf_action_add(net, tab, (req.nlmsg_flags & NLM_F_REPLACE) !== 0, extack));
  }
  const first = tab[0];
  if (req.nlmsg_type === RTM_DELACTION) {
    if (req.nlmsg_flags & NLM_F_ROOT) {
      if (!first?.TCA_ACT_KIND || !tcf_action_ops(net.kernel, first.TCA_ACT_KIND)) {
        extack.msg = 'Cannot flush unknown TC action';
        return done(-EINVAL);
      }
      return done(tcf_flush_actions(net, first.TCA_ACT_KIND, extack).err);
    }
    for (const ent of tab) {
      if (ent.TCA_ACT_INDEX === undefined) {
        extack.msg = 'Invalid TC action index value';
        return done(-EINVAL);
      }
      if (!ent.TCA_ACT_KIND || !tcf_action_ops(net.kernel, ent.TCA_ACT_KIND)) {
        extack.msg = 'Specified TC action kind not found';
        return done(-EINVAL);
      }
      const err = tcf_del_action(net, ent.TCA_ACT_KIND, ent.TCA_ACT_INDEX, extack);
      if (err) return done(err);
    }
    return done(0);
  }
  // RTM_GETACTION
  if ((req.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) {
    const kind = first?.TCA_ACT_KIND;
    if (!kind) return done(0);
    const d = tcf_dump_actions(net, kind);
    if (d.err) return done(0);
    const msg = {
      nlmsg_type: RTM_GETACTION,
      nlmsg_flags: 0,
      tca_family: 0,
      attrs: { TCA_ACT_TAB: d.actions, TCA_ROOT_COUNT: d.actions.length },
    };
    return done(0, [msg as unknown as TcActionMsg]);
  }
  const got: TcaActEntry[] = [];
  for (const ent of tab) {
    if (ent.TCA_ACT_INDEX === undefined) {
      extack.msg = 'Invalid TC action index value';
      return done(-EINVAL);
    }
    if (!ent.TCA_ACT_KIND || !tcf_action_ops(net.kernel, ent.TCA_ACT_KIND)) {
      extack.msg = 'Specified TC action kind not found';
      return done(-EINVAL);
    }
    const g = tcf_get_action(net, ent.TCA_ACT_KIND, ent.TCA_ACT_INDEX, extack);
    if (!g) return done(-ENOENT);
    got.push(g);
  }
  const msg = { nlmsg_type: RTM_GETACTION, nlmsg_flags: 0, tca_family: 0, attrs: { TCA_ACT_TAB: got } };
  return done(0, [msg as unknown as TcActionMsg]);
}
