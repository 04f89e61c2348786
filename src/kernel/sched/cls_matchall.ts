// net/sched/cls_matchall.c: one filter per proto that matches every packet;
// its class and actions apply to all (counted in TCA_MATCHALL_PCNT).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EEXIST, EINVAL } from '../uapi/errno.ts';
import {
  TC_ACT_UNSPEC,
  TCA_CLS_FLAGS_IN_HW,
  TCA_CLS_FLAGS_NOT_IN_HW,
  TCA_CLS_FLAGS_SKIP_HW,
  TCA_CLS_FLAGS_SKIP_SW,
  type TcMatchallOptions,
} from '../uapi/pkt_cls.ts';
import { kprobe } from '../trace/probe.ts';
import { type Extack, type TcfExts, tcf_exts_destroy, tcf_exts_dump, tcf_exts_exec, tcf_exts_init, tcf_exts_validate } from './act_api.ts';
import { type TcfNodeDump, type TcfProto, type TcfProtoOps, type TcfResult, tcf_bind_filter, tcf_unbind_filter } from './cls_api.ts';

/** struct cls_mall_head */
interface ClsMallHead {
  handle: number;
  res: TcfResult;
  exts: TcfExts;
  flags: number;
  rhit: number;
}

/** mall_classify() */
function mall_classify(skb: SkBuff, tp: TcfProto, res: TcfResult): number {
  kprobe((skb.dev as { net: Net }).net, skb, 'mall_classify');
  const head = tp.root as ClsMallHead | null;
  if (!head) return TC_ACT_UNSPEC;
  if (head.flags & TCA_CLS_FLAGS_SKIP_SW) return TC_ACT_UNSPEC;
  res.classid = head.res.classid;
  res.class = head.res.class;
  head.rhit++;
  return tcf_exts_exec(skb, head.exts, res);
}

function mall_destroy(tp: TcfProto): void {
  const head = tp.root as ClsMallHead | null;
  if (!head) return;
  tcf_unbind_filter(tp, head.res);
  tcf_exts_destroy(head.exts);
  tp.root = null;
}

/** mall_change(): the one filter (handle 1 unless given); a second one is EEXIST. */
function mall_change(
  net: Net,
  tp: TcfProto,
  base: number,
  handle: number,
  opts: object | undefined,
  fh: { v: unknown },
  _flags: number,
  extack: Extack,
): number {
  if (!opts) return -EINVAL;
  if (tp.root) return -EEXIST;
  const o = opts as TcMatchallOptions;
  let userflags = 0;
  if (o.TCA_MATCHALL_FLAGS !== undefined) {
    userflags = o.TCA_MATCHALL_FLAGS;
    const f = userflags & (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW);
    if (f === (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW)) return -EINVAL;
  }
  const head: ClsMallHead = {
    handle: handle || 1,
    res: { classid: 0, class: null, goto_tp: null },
    exts: tcf_exts_init(net),
    flags: userflags,
    rhit: 0,
  };
  const err = tcf_exts_validate(net, o.TCA_MATCHALL_ACT, head.exts, extack, tp.chain.block);
  if (err < 0) return err;
  if (o.TCA_MATCHALL_CLASSID !== undefined) {
    head.res.classid = o.TCA_MATCHALL_CLASSID >>> 0;
    tcf_bind_filter(tp, head.res, base);
  }
  if (!(head.flags & TCA_CLS_FLAGS_IN_HW)) head.flags |= TCA_CLS_FLAGS_NOT_IN_HW;
  tp.root = head;
  fh.v = head;
  return 0;
}

function mall_delete(tp: TcfProto, _arg: unknown, _extack: Extack): { err: number; last: boolean } {
  mall_destroy(tp);
  return { err: 0, last: true };
}

/** mall_dump() */
function mall_dump(_net: Net, _tp: TcfProto, fh: unknown): TcfNodeDump {
  const head = fh as ClsMallHead;
  const o: TcMatchallOptions = {};
  if (head.res.classid) o.TCA_MATCHALL_CLASSID = head.res.classid;
  if (head.flags) o.TCA_MATCHALL_FLAGS = head.flags;
  o.TCA_MATCHALL_PCNT = { rhit: head.rhit };
  const acts = tcf_exts_dump(head.exts);
  if (acts) o.TCA_MATCHALL_ACT = acts;
  return { handle: head.handle, options: o };
}

export const cls_matchall_ops: Readonly<TcfProtoOps> = {
  kind: 'matchall',
  classify: mall_classify,
  init: () => 0,
  destroy: mall_destroy,
  get: (tp, handle) => {
    const head = tp.root as ClsMallHead | null;
    return head && head.handle === handle ? head : null;
  },
  change: mall_change,
  delete: mall_delete,
  walk: (tp) => (tp.root ? [tp.root] : []),
  dump: mall_dump,
};
