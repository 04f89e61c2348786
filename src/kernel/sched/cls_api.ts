// net/sched/cls_api.c: filter blocks, chains and protos. A classful qdisc
// (or ingress/clsact) owns a tcf_block; the block holds chains by index; a
// chain holds its tcf_protos sorted by prio, one per (prio, protocol), each
// of one classifier kind (u32, bpf, matchall …) with the kind's filters
// inside. tcf_classify() walks chain 0 from the head: a proto whose protocol
// matches classifies the skb; a verdict ≥ 0 ends the walk, TC_ACT_RECLASSIFY
// restarts it (at most 16 times) and a goto chain continues in another chain.
// RTM_NEWTFILTER/DELTFILTER/GETTFILTER land in tc_new_tfilter,
// tc_del_tfilter, tc_get_tfilter and tc_dump_tfilter.
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from '../core/netdevice.ts';
import type { Qdisc } from './sch_generic.ts';
import { EAGAIN, EINVAL, ENODEV, ENOENT, ENOSPC, EOPNOTSUPP, EEXIST } from '../uapi/errno.ts';
import {
  TC_ACT_EXT_CMP,
  TC_ACT_EXT_VAL_MASK,
  TC_ACT_GOTO_CHAIN,
  TC_ACT_RECLASSIFY,
  TC_ACT_SHOT,
  TC_ACT_UNSPEC,
  type TcActStats,
} from '../uapi/pkt_cls.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { type Extack, tcf_set_drop_reason } from './act_api.ts';

export const ETH_P_ALL = 0x0003;
const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
export const RTM_NEWTFILTER = 44;
export const RTM_DELTFILTER = 45;
export const RTM_GETTFILTER = 46;

/** struct tcf_result */
export interface TcfResult {
  classid: number;
  /** the class the filter is bound to (tcf_bind_filter), when the qdisc binds classes */
  class: unknown;
  /** goto_tp: where TC_ACT_GOTO_CHAIN continues */
  goto_tp?: TcfProto | null;
  /** the proto whose verdict ended the walk (for skbpath's drop explanation) */
  tp?: TcfProto | null;
}

export function tcf_result(): TcfResult {
  return { classid: 0, class: null, goto_tp: null };
}

/** One filter of a proto as a dump shows it: its handle, TCA_OPTIONS, and the counters of -s. */
export interface TcfNodeDump {
  handle: number;
  options: object;
  stats?: TcActStats;
}

/** struct tcf_proto_ops */
export interface TcfProtoOps {
  readonly kind: string;
  /** ->classify(): a verdict ≥ 0 with *res filled, or TC_ACT_UNSPEC (-1) for no match */
  classify(skb: SkBuff, tp: TcfProto, res: TcfResult): number;
  init(tp: TcfProto): number;
  destroy(tp: TcfProto): void;
  /** ->get(): the filter with `handle`, or null */
  get(tp: TcfProto, handle: number): unknown;
  /**
   * ->change(): creates or changes the filter `fh.v` (null: a new one) with
   * handle `handle` from TCA_OPTIONS; on success fh.v is the filter.
   */
  change(
    net: Net,
    tp: TcfProto,
    base: number,
    handle: number,
    opts: object | undefined,
    fh: { v: unknown },
    flags: number,
    extack: Extack,
  ): number;
  /** ->delete(): 0 and whether the proto is now empty, or -errno */
  delete(tp: TcfProto, arg: unknown, extack: Extack): { err: number; last: boolean };
  /** ->walk(): every filter in dump order */
  walk(tp: TcfProto): unknown[];
  /** ->dump() of one filter */
  dump(net: Net, tp: TcfProto, fh: unknown): TcfNodeDump;
}

/** struct tcf_proto */
export interface TcfProto {
  next: TcfProto | null;
  /** ->root / the kind's private data */
  root: unknown;
  /** host-order ethertype (ETH_P_ALL matches everything) */
  protocol: number;
  /** TC_H_MAJ form: pref << 16 */
  prio: number;
  readonly ops: TcfProtoOps;
  readonly chain: TcfChain;
  deleting: boolean;
}

/** struct tcf_chain */
export interface TcfChain {
  filter_chain: TcfProto | null;
  readonly block: TcfBlock;
  readonly index: number;
  refcnt: number;
  action_refcnt: number;
  explicitly_created: boolean;
}

/** The qdisc that owns a block (struct Qdisc: its handle and class ops). */
export type TcfQdisc = Qdisc;

/** struct tcf_block */
export class TcfBlock {
  readonly chains: TcfChain[] = [];
  /** block->classid: the parent the last filter request named (what a dump reports) */
  classid = 0;
  /** chain 0's head changed: ingress/clsact follow it (mini_qdisc_pair_swap) */
  chain_head_change: ((head: TcfProto | null) => void) | null = null;
  /** per-block state of a classifier kind (cls_u32's tc_u_common) */
  readonly priv = new Map<string, unknown>();
  constructor(
    readonly net: Net,
    readonly q: TcfQdisc | null,
    readonly index = 0,
  ) {}
}

/** tcf_block_get(): a qdisc's (or a class's) block. */
export function tcf_block_get(net: Net, q: TcfQdisc | null, chain_head_change: ((head: TcfProto | null) => void) | null = null): TcfBlock {
  const b = new TcfBlock(net, q);
  b.chain_head_change = chain_head_change;
  return b;
}

/** tcf_block_put(): flushes every chain. */
export function tcf_block_put(block: TcfBlock | null): void {
  if (!block) return;
  for (const chain of [...block.chains]) tcf_chain_flush(chain);
  block.chains.length = 0;
}

/** The filter list of chain 0 (q->filter_list): what a classful qdisc hands to tcf_classify(). */
export function tcf_block_filter_list(block: TcfBlock | null): TcfProto | null {
  return block?.chains.find((c) => c.index === 0)?.filter_chain ?? null;
}

function tcf_chain_lookup(block: TcfBlock, index: number): TcfChain | undefined {
  return block.chains.find((c) => c.index === index);
}

/** tcf_chain_get(): finds or (create) makes chain `index`, kept sorted by index. */
export function tcf_chain_get(block: TcfBlock, index: number, create: boolean): TcfChain | null {
  let c = tcf_chain_lookup(block, index);
  if (c) return c;
  if (!create) return null;
  c = { filter_chain: null, block, index, refcnt: 0, action_refcnt: 0, explicitly_created: false };
  block.chains.push(c);
  block.chains.sort((x, y) => x.index - y.index);
  return c;
}

/** The chain is gone when nothing holds it (no filter, no goto action, not made by `tc chain add`). */
function tcf_chain_maybe_put(chain: TcfChain): void {
  if (chain.filter_chain || chain.action_refcnt || chain.explicitly_created) return;
  const i = chain.block.chains.indexOf(chain);
  if (i >= 0) chain.block.chains.splice(i, 1);
}

function tcf_chain_head_change(chain: TcfChain): void {
  if (chain.index === 0) chain.block.chain_head_change?.(chain.filter_chain);
}

/** tcf_chain_flush(): every proto of the chain destroyed. */
export function tcf_chain_flush(chain: TcfChain): void {
  let tp = chain.filter_chain;
  chain.filter_chain = null;
  tcf_chain_head_change(chain);
  while (tp) {
    const next = tp.next;
    tp.ops.destroy(tp);
    tp = next;
  }
  tcf_chain_maybe_put(chain);
}

/** tcf_chain_get_by_act(): a goto chain action holds the chain. */
export function tcf_chain_get_by_act(block: TcfBlock, index: number): TcfChain {
  const c = tcf_chain_get(block, index, true) as TcfChain;
  c.action_refcnt++;
  return c;
}

/** tcf_chain_put_by_act() */
export function tcf_chain_put_by_act(chain: TcfChain): void {
  chain.action_refcnt--;
  tcf_chain_maybe_put(chain);
}

/** tcf_auto_prio(): one below the proto the new one goes in front of, 0xC000 when none. */
function tcf_auto_prio(tp: TcfProto | null): number {
  const first = tp ? (tp.prio - 1) >>> 0 : 0xc0000000;
  return (first & 0xffff0000) >>> 0;
}

/** tcf_chain_tp_find(): the proto of `prio` (checking its protocol), and where a new one goes. */
function tcf_chain_tp_find(
  chain: TcfChain,
  protocol: number,
  prio: number,
  prio_allocate: boolean,
  extack: Extack,
): { err: number; tp: TcfProto | null; next: TcfProto | null; prev: TcfProto | null } {
  let prev: TcfProto | null = null;
  for (let tp = chain.filter_chain; tp; prev = tp, tp = tp.next) {
    if (tp.prio >= prio) {
      if (tp.prio === prio) {
        if (prio_allocate) {
          extack.msg = 'Lowest ID from auto-alloc range already in use';
          return { err: -ENOSPC, tp: null, next: null, prev };
        }
        if (tp.protocol !== protocol && protocol) {
          extack.msg = 'Protocol mismatch for filter with specified priority';
          return { err: -EINVAL, tp: null, next: null, prev };
        }
        return { err: 0, tp, next: tp.next, prev };
      }
      return { err: 0, tp: null, next: tp, prev };
    }
  }
  return { err: 0, tp: null, next: null, prev };
}

function tcf_chain_tp_insert(chain: TcfChain, prev: TcfProto | null, tp: TcfProto): void {
  if (prev) {
    tp.next = prev.next;
    prev.next = tp;
  } else {
    tp.next = chain.filter_chain;
    chain.filter_chain = tp;
    tcf_chain_head_change(chain);
  }
}

function tcf_chain_tp_remove(chain: TcfChain, tp: TcfProto): void {
  if (chain.filter_chain === tp) {
    chain.filter_chain = tp.next;
    tcf_chain_head_change(chain);
    return;
  }
  for (let p = chain.filter_chain; p; p = p.next) {
    if (p.next === tp) {
      p.next = tp.next;
      return;
    }
  }
}

/** tcf_proto_create(): the classifier kind must be built in. */
function tcf_proto_create(
  k: Kernel,
  kind: string,
  protocol: number,
  prio: number,
  chain: TcfChain,
  extack: Extack,
): { err: number; tp: TcfProto | null } {
  const ops = k.tcfProtoOps.get(kind);
  if (!ops) {
    extack.msg = 'TC classifier not found';
    return { err: -ENOENT, tp: null };
  }
  const tp: TcfProto = { next: null, root: null, protocol, prio, ops, chain, deleting: false };
  const err = ops.init(tp);
  if (err) return { err, tp: null };
  return { err: 0, tp };
}

/** register_tcf_proto_ops() */
export function register_tcf_proto_ops(k: Kernel, ops: TcfProtoOps): void {
  k.tcfProtoOps.set(ops.kind, ops);
}

// --- classification ---

const MAX_RECLASSIFY_LOOP = 16;

/** __tcf_classify() */
function __tcf_classify(skb: SkBuff, tpIn: TcfProto | null, orig_tp: TcfProto | null, res: TcfResult, compat_mode: boolean): number {
  let limit = 0;
  let tp = tpIn;
  for (;;) {
    let restart: TcfProto | null | undefined;
    for (; tp; tp = tp.next) {
      if (tp.protocol !== skb.protocol && tp.protocol !== ETH_P_ALL) continue;
      const err = tp.ops.classify(skb, tp, res);
      if (err === TC_ACT_RECLASSIFY && !compat_mode) {
        restart = orig_tp;
        break;
      }
      if (TC_ACT_EXT_CMP(err, TC_ACT_GOTO_CHAIN)) {
        restart = res.goto_tp;
        break;
      }
      if (err >= 0) {
        res.tp = tp;
        return err;
      }
    }
    if (restart === undefined) return TC_ACT_UNSPEC;
    // reset:
    if (limit++ >= MAX_RECLASSIFY_LOOP) {
      tcf_set_drop_reason(skb, SKB_DROP_REASON.TC_RECLASSIFY_LOOP);
      return TC_ACT_SHOT;
    }
    tp = restart;
  }
}

/** tcf_classify(): the verdict of the first matching filter, TC_ACT_UNSPEC when none matched. */
export function tcf_classify(skb: SkBuff, _block: TcfBlock | null, tp: TcfProto | null, res: TcfResult, compat_mode: boolean): number {
  const dev = skb.dev as NetDevice;
  kprobe(dev.net, skb, 'tcf_classify');
  return __tcf_classify(skb, tp, tp, res, compat_mode);
}

// --- RTM_*TFILTER ---

/** struct tcmsg of a filter request (tcm_info = TC_H_MAKE(prio << 16, protocol), protocol in host order). */
export interface TcfMsgHdr {
  tcm_family: number;
  tcm_ifindex: number;
  tcm_handle: number;
  tcm_parent: number;
  tcm_info: number;
}

/** The attributes of a filter message. */
export interface TcfMsgAttrs {
  TCA_KIND?: string;
  TCA_OPTIONS?: object;
  TCA_CHAIN?: number;
  TCA_STATS2?: TcActStats;
}

/** A filter message as tc sends it and as the kernel answers. */
export interface TcfMsg {
  nlmsg_type: number;
  nlmsg_flags: number;
  tcm: TcfMsgHdr;
  attrs: TcfMsgAttrs;
}

/** How cls_api finds a device's qdiscs (sch_api's qdisc_lookup and dev->qdisc). */
export interface TcfQdiscLookup {
  /** dev->qdisc: the root qdisc */
  root(dev: NetDevice): TcfQdisc | null;
  /** qdisc_lookup(dev, TC_H_MAJ(handle)) (ingress and clsact included) */
  lookup(dev: NetDevice, handle: number): TcfQdisc | null;
}

function TC_H_MAJ(h: number): number {
  return (h & 0xffff0000) >>> 0;
}
function TC_H_MIN(h: number): number {
  return h & 0xffff;
}

/** __tcf_qdisc_find() + __tcf_qdisc_cl_find() + __tcf_block_find(): the block a request names. */
function tcf_block_find(
  net: Net,
  look: TcfQdiscLookup,
  ifindex: number,
  parentIn: number,
  extack: Extack,
): { err: number; block: TcfBlock | null; q: TcfQdisc | null; parent: number } {
  const dev = net.devByIndex.get(ifindex);
  if (!dev) return { err: -ENODEV, block: null, q: null, parent: parentIn };
  let parent = parentIn;
  let q: TcfQdisc | null;
  if (!parent) {
    q = look.root(dev);
    if (q) parent = q.handle;
  } else {
    q = look.lookup(dev, TC_H_MAJ(parent));
  }
  if (!q) {
    extack.msg = "Parent Qdisc doesn't exists";
    return { err: -EINVAL, block: null, q: null, parent };
  }
  const cops = q.ops.cl_ops;
  if (!cops) {
    extack.msg = 'Qdisc not classful';
    return { err: -EINVAL, block: null, q, parent };
  }
  if (!cops.tcf_block) {
    extack.msg = "Class doesn't support blocks";
    return { err: -EOPNOTSUPP, block: null, q, parent };
  }
  let cl: unknown = 0;
  if (TC_H_MIN(parent)) {
    cl = cops.find(q, parent);
    if (!cl) {
      extack.msg = "Specified class doesn't exist";
      return { err: -ENOENT, block: null, q, parent };
    }
  }
  const block = cops.tcf_block(q, cl, extack) as TcfBlock | null;
  if (!block) return { err: -EINVAL, block: null, q, parent };
  return { err: 0, block, q, parent };
}

/** An answer: the ack (0 or -errno) with its extack text, and the messages of a dump or an echo. */
export interface TcfReply {
  error: number;
  extack: string | null;
  msgs: TcfMsg[];
}

function reply(error: number, extack: Extack, msgs: TcfMsg[] = []): TcfReply {
  return { error, extack: extack.msg, msgs };
}

/** tcf_fill_node(): one message of a proto (fh null: the proto itself) or of one of its filters. */
function tcf_fill_node(
  net: Net,
  tp: TcfProto,
  block: TcfBlock,
  dev: NetDevice,
  parent: number,
  fh: unknown,
  type: number,
  flags = 0,
): TcfMsg {
  const msg: TcfMsg = {
    nlmsg_type: type,
    nlmsg_flags: flags,
    tcm: { tcm_family: 0, tcm_ifindex: dev.ifindex, tcm_handle: 0, tcm_parent: parent, tcm_info: (tp.prio | tp.protocol) >>> 0 },
    attrs: { TCA_KIND: tp.ops.kind, TCA_CHAIN: tp.chain.index },
  };
  if (fh !== null && fh !== undefined) {
    const d = tp.ops.dump(net, tp, fh);
    msg.tcm.tcm_handle = d.handle >>> 0;
    msg.attrs.TCA_OPTIONS = d.options;
    if (d.stats) msg.attrs.TCA_STATS2 = d.stats;
  }
  void block;
  return msg;
}

/** tc_new_tfilter(): RTM_NEWTFILTER. */
export function tc_new_tfilter(net: Net, look: TcfQdiscLookup, n: TcfMsg): TcfReply {
  const extack: Extack = { msg: null };
  const t = n.tcm;
  const protocol = TC_H_MIN(t.tcm_info);
  let prio = TC_H_MAJ(t.tcm_info);
  let prio_allocate = false;
  if (prio === 0) {
    if (n.nlmsg_flags & NLM_F_CREATE) {
      prio = 0x80000000;
      prio_allocate = true;
    } else {
      extack.msg = 'Invalid filter command with priority of zero';
      return reply(-ENOENT, extack);
    }
  }
  const kind = n.attrs.TCA_KIND;
  if (kind !== undefined && kind.length >= 16) {
    extack.msg = 'Specified TC filter name too long';
    return reply(-EINVAL, extack);
  }
  const f = tcf_block_find(net, look, t.tcm_ifindex, t.tcm_parent, extack);
  if (f.err || !f.block) return reply(f.err, extack);
  const block = f.block;
  block.classid = f.parent;
  const chain_index = n.attrs.TCA_CHAIN ?? 0;
  if (chain_index > TC_ACT_EXT_VAL_MASK) {
    extack.msg = 'Specified chain index exceeds upper limit';
    return reply(-EINVAL, extack);
  }
  const chain = tcf_chain_get(block, chain_index, true) as TcfChain;
  const found = tcf_chain_tp_find(chain, protocol, prio, prio_allocate, extack);
  if (found.err) {
    tcf_chain_maybe_put(chain);
    return reply(found.err, extack);
  }
  let tp = found.tp;
  let tp_created = false;
  if (!tp) {
    if (kind === undefined || !protocol) {
      extack.msg = 'Filter kind and protocol must be specified';
      tcf_chain_maybe_put(chain);
      return reply(-EINVAL, extack);
    }
    if (!(n.nlmsg_flags & NLM_F_CREATE)) {
      extack.msg = 'Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter';
      tcf_chain_maybe_put(chain);
      return reply(-ENOENT, extack);
    }
    if (prio_allocate) prio = tcf_auto_prio(found.next);
    const c = tcf_proto_create(net.kernel, kind, protocol, prio, chain, extack);
    if (c.err || !c.tp) {
      tcf_chain_maybe_put(chain);
      return reply(c.err, extack);
    }
    tp = c.tp;
    tp_created = true;
  }
  if (kind !== undefined && kind !== tp.ops.kind) {
    extack.msg = 'Specified filter kind does not match existing one';
    return reply(-EINVAL, extack);
  }
  const fh: { v: unknown } = { v: tp.ops.get(tp, t.tcm_handle) };
  if (!fh.v) {
    if (!(n.nlmsg_flags & NLM_F_CREATE)) {
      extack.msg = 'Need both RTM_NEWTFILTER and NLM_F_CREATE to create a new filter';
      if (tp_created) tp.ops.destroy(tp);
      tcf_chain_maybe_put(chain);
      return reply(-ENOENT, extack);
    }
  } else if (n.nlmsg_flags & NLM_F_EXCL) {
    extack.msg = 'Filter already exists';
    return reply(-EEXIST, extack);
  }
  const flags = n.nlmsg_flags & NLM_F_CREATE ? 0 : 1; // TCA_ACT_FLAGS_REPLACE-ish: ovr when not creating
  void NLM_F_REPLACE;
  const err = tp.ops.change(net, tp, f.parent, t.tcm_handle, n.attrs.TCA_OPTIONS, fh, flags, extack);
  if (err) {
    if (tp_created) tp.ops.destroy(tp);
    tcf_chain_maybe_put(chain);
    return reply(err === -EAGAIN ? -EINVAL : err, extack);
  }
  if (tp_created) {
    // tcf_chain_tp_insert_unique(): in front of the proto with the next higher prio
    let prev: TcfProto | null = null;
    for (let p = chain.filter_chain; p && p.prio < prio; p = p.next) prev = p;
    tcf_chain_tp_insert(chain, prev, tp);
  }
  return reply(0, extack);
}

/** tc_del_tfilter(): RTM_DELTFILTER (prio 0 flushes the chain; handle 0 removes the whole proto). */
export function tc_del_tfilter(net: Net, look: TcfQdiscLookup, n: TcfMsg): TcfReply {
  const extack: Extack = { msg: null };
  const t = n.tcm;
  const protocol = TC_H_MIN(t.tcm_info);
  const prio = TC_H_MAJ(t.tcm_info);
  const kind = n.attrs.TCA_KIND;
  if (prio === 0 && (protocol || t.tcm_handle || kind !== undefined)) {
    extack.msg = 'Cannot flush filters with protocol, handle or kind set';
    return reply(-ENOENT, extack);
  }
  if (kind !== undefined && kind.length >= 16) {
    extack.msg = 'Specified TC filter name too long';
    return reply(-EINVAL, extack);
  }
  const f = tcf_block_find(net, look, t.tcm_ifindex, t.tcm_parent, extack);
  if (f.err || !f.block) return reply(f.err, extack);
  const block = f.block;
  const chain_index = n.attrs.TCA_CHAIN ?? 0;
  if (chain_index > TC_ACT_EXT_VAL_MASK) {
    extack.msg = 'Specified chain index exceeds upper limit';
    return reply(-EINVAL, extack);
  }
  const chain = tcf_chain_lookup(block, chain_index);
  if (!chain) {
    if (prio === 0) return reply(0, extack);
    extack.msg = 'Cannot find specified filter chain';
    return reply(-ENOENT, extack);
  }
  if (prio === 0) {
    tcf_chain_flush(chain);
    return reply(0, extack);
  }
  const found = tcf_chain_tp_find(chain, protocol, prio, false, extack);
  if (found.err) return reply(found.err, extack);
  const tp = found.tp;
  if (!tp) {
    extack.msg = 'Filter with specified priority/protocol not found';
    return reply(-ENOENT, extack);
  }
  if (kind !== undefined && kind !== tp.ops.kind) {
    extack.msg = 'Specified filter kind does not match existing one';
    return reply(-EINVAL, extack);
  }
  if (t.tcm_handle === 0) {
    tcf_chain_tp_remove(chain, tp);
    tp.ops.destroy(tp);
    tcf_chain_maybe_put(chain);
    return reply(0, extack);
  }
  const fh = tp.ops.get(tp, t.tcm_handle);
  if (!fh) {
    extack.msg = 'Specified filter handle not found';
    return reply(-ENOENT, extack);
  }
  const d = tp.ops.delete(tp, fh, extack);
  if (d.err) return reply(d.err, extack);
  if (d.last) {
    // tcf_chain_tp_delete_empty()
    tcf_chain_tp_remove(chain, tp);
    tp.ops.destroy(tp);
    tcf_chain_maybe_put(chain);
  }
  return reply(0, extack);
}

/** tc_get_tfilter(): RTM_GETTFILTER of one filter. */
export function tc_get_tfilter(net: Net, look: TcfQdiscLookup, n: TcfMsg): TcfReply {
  const extack: Extack = { msg: null };
  const t = n.tcm;
  const protocol = TC_H_MIN(t.tcm_info);
  const prio = TC_H_MAJ(t.tcm_info);
  if (prio === 0) {
    extack.msg = 'Invalid filter command with priority of zero';
    return reply(-ENOENT, extack);
  }
  const f = tcf_block_find(net, look, t.tcm_ifindex, t.tcm_parent, extack);
  if (f.err || !f.block) return reply(f.err, extack);
  const chain = tcf_chain_lookup(f.block, n.attrs.TCA_CHAIN ?? 0);
  if (!chain) {
    extack.msg = 'Cannot find specified filter chain';
    return reply(-EINVAL, extack);
  }
  const found = tcf_chain_tp_find(chain, protocol, prio, false, extack);
  if (found.err) return reply(found.err, extack);
  if (!found.tp) {
    extack.msg = 'Filter with specified priority/protocol not found';
    return reply(-ENOENT, extack);
  }
  if (n.attrs.TCA_KIND !== undefined && n.attrs.TCA_KIND !== found.tp.ops.kind) {
    extack.msg = 'Specified filter kind does not match existing one';
    return reply(-EINVAL, extack);
  }
  const fh = found.tp.ops.get(found.tp, t.tcm_handle);
  if (!fh) {
    extack.msg = 'Specified filter handle not found';
    return reply(-ENOENT, extack);
  }
  const dev = net.devByIndex.get(t.tcm_ifindex) as NetDevice;
  return reply(0, extack, [tcf_fill_node(net, found.tp, f.block, dev, f.block.classid || t.tcm_parent, fh, RTM_NEWTFILTER)]);
}

/**
 * tc_dump_tfilter(): every filter of the block a dump request names, chain
 * by chain: for each proto a message of its own, then one per filter.
 */
export function tc_dump_tfilter(net: Net, look: TcfQdiscLookup, n: TcfMsg): TcfReply {
  const extack: Extack = { msg: null };
  const t = n.tcm;
  const dev = net.devByIndex.get(t.tcm_ifindex);
  if (!dev) return reply(0, extack);
  let q: TcfQdisc | null;
  if (!t.tcm_parent) q = look.root(dev);
  else q = look.lookup(dev, TC_H_MAJ(t.tcm_parent));
  if (!q) return reply(0, extack);
  const cops = q.ops.cl_ops;
  if (!cops || !cops.tcf_block) return reply(0, extack);
  let cl: unknown = 0;
  if (TC_H_MIN(t.tcm_parent)) {
    cl = cops.find(q, t.tcm_parent);
    if (!cl) return reply(0, extack);
  }
  const block = cops.tcf_block(q, cl, extack) as TcfBlock | null;
  if (!block) return reply(0, extack);
  const parent = block.classid;
  const want_chain = n.attrs.TCA_CHAIN;
  const msgs: TcfMsg[] = [];
  for (const chain of block.chains) {
    if (want_chain !== undefined && chain.index !== want_chain) continue;
    for (let tp = chain.filter_chain; tp; tp = tp.next) {
      if (TC_H_MAJ(t.tcm_info) && TC_H_MAJ(t.tcm_info) !== tp.prio) continue;
      if (TC_H_MIN(t.tcm_info) && TC_H_MIN(t.tcm_info) !== tp.protocol) continue;
      msgs.push(tcf_fill_node(net, tp, block, dev, parent, null, RTM_NEWTFILTER));
      for (const fh of tp.ops.walk(tp)) msgs.push(tcf_fill_node(net, tp, block, dev, parent, fh, RTM_NEWTFILTER));
    }
  }
  return reply(0, extack, msgs);
}

/** tcf_bind_filter(): res.class from the qdisc's bind_tcf (a classful qdisc counts its filters). */
export function tcf_bind_filter(tp: TcfProto, res: TcfResult, base: number): void {
  const q = tp.chain.block.q;
  const cops = q?.ops.cl_ops;
  if (q && cops?.bind_tcf) {
    const cl = cops.bind_tcf(q, base, res.classid);
    if (res.class && cops.unbind_tcf) cops.unbind_tcf(q, res.class);
    res.class = cl ?? null;
  }
}

/** tcf_unbind_filter() */
export function tcf_unbind_filter(tp: TcfProto, res: TcfResult): void {
  const q = tp.chain.block.q;
  const cops = q?.ops.cl_ops;
  if (q && res.class && cops?.unbind_tcf) cops.unbind_tcf(q, res.class);
  res.class = null;
}

/** tcf_change_indev(): the ifindex of an `indev` name, -EINVAL when it does not exist. */
export function tcf_change_indev(net: Net, name: string, extack: Extack): number {
  const dev = net.devByName.get(name);
  if (!dev) {
    extack.msg = 'Network device not found';
    return -EINVAL;
  }
  return dev.ifindex;
}

/** tcf_match_indev() */
export function tcf_match_indev(skb: SkBuff, ifindex: number): boolean {
  if (ifindex) return skb.skbIif === ifindex;
  return true;
}
