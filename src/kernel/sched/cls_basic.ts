// net/sched/cls_basic.c: filters that match by extended matches (ematches);
// without ematches a basic filter matches every packet. Ematch trees
// (TCA_BASIC_EMATCHES) are not simulated: they are refused with EOPNOTSUPP.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EBUSY, EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { TC_ACT_UNSPEC, type TcBasicOptions } from '../uapi/pkt_cls.ts';
import { kprobe } from '../trace/probe.ts';
import { type Extack, type TcfExts, tcf_exts_destroy, tcf_exts_dump, tcf_exts_exec, tcf_exts_init, tcf_exts_validate } from './act_api.ts';
import { type TcfNodeDump, type TcfProto, type TcfProtoOps, type TcfResult, tcf_bind_filter, tcf_unbind_filter } from './cls_api.ts';

/** struct basic_filter */
interface BasicFilter {
  handle: number;
  res: TcfResult;
  exts: TcfExts;
  rcnt: number;
  rhit: number;
}

/** basic_classify() */
function basic_classify(skb: SkBuff, tp: TcfProto, res: TcfResult): number {
  kprobe((skb.dev as { net: Net }).net, skb, 'basic_classify');
  for (const f of tp.root as BasicFilter[]) {
    f.rcnt++;
    // tcf_em_tree_match() of an empty tree: a match
    f.rhit++;
    res.classid = f.res.classid;
    res.class = f.res.class;
    const r = tcf_exts_exec(skb, f.exts, res);
    if (r < 0) continue;
    return r;
  }
  return TC_ACT_UNSPEC;
}

function basic_destroy(tp: TcfProto): void {
  for (const f of tp.root as BasicFilter[]) {
    tcf_unbind_filter(tp, f.res);
    tcf_exts_destroy(f.exts);
  }
  tp.root = [];
}

/** basic_change() */
function basic_change(
  net: Net,
  tp: TcfProto,
  base: number,
  handleIn: number,
  opts: object | undefined,
  fh: { v: unknown },
  _flags: number,
  extack: Extack,
): number {
  if (!opts) return -EINVAL;
  const o = opts as TcBasicOptions;
  const list = tp.root as BasicFilter[];
  const fold = fh.v as BasicFilter | null;
  let handle = handleIn >>> 0;
  if (fold && handle && fold.handle !== handle) return -EINVAL;
  if (o.TCA_BASIC_EMATCHES !== undefined) return -EOPNOTSUPP;
  if (!handle) {
    handle = 1;
    while (list.some((f) => f.handle === handle)) handle++;
  } else if (!fold && list.some((f) => f.handle === handle)) return -EBUSY;
  const f: BasicFilter = {
    handle: fold ? fold.handle : handle,
    res: { classid: 0, class: null, goto_tp: null },
    exts: tcf_exts_init(net),
    rcnt: 0,
    rhit: 0,
  };
  const err = tcf_exts_validate(net, o.TCA_BASIC_ACT, f.exts, extack, tp.chain.block);
  if (err < 0) return err;
  if (o.TCA_BASIC_CLASSID !== undefined) {
    f.res.classid = o.TCA_BASIC_CLASSID >>> 0;
    tcf_bind_filter(tp, f.res, base);
  }
  if (fold) {
    list[list.indexOf(fold)] = f;
    tcf_unbind_filter(tp, fold.res);
    tcf_exts_destroy(fold.exts);
  } else list.push(f);
  fh.v = f;
  return 0;
}

function basic_delete(tp: TcfProto, arg: unknown, _extack: Extack): { err: number; last: boolean } {
  const list = tp.root as BasicFilter[];
  const f = arg as BasicFilter;
  const i = list.indexOf(f);
  if (i >= 0) list.splice(i, 1);
  tcf_unbind_filter(tp, f.res);
  tcf_exts_destroy(f.exts);
  return { err: 0, last: list.length === 0 };
}

/** basic_dump() */
function basic_dump(_net: Net, _tp: TcfProto, fh: unknown): TcfNodeDump {
  const f = fh as BasicFilter;
  const o: TcBasicOptions = {};
  if (f.res.classid) o.TCA_BASIC_CLASSID = f.res.classid;
  o.TCA_BASIC_PCNT = { rcnt: f.rcnt, rhit: f.rhit };
  const acts = tcf_exts_dump(f.exts);
  if (acts) o.TCA_BASIC_ACT = acts;
  return { handle: f.handle, options: o };
}

export const cls_basic_ops: Readonly<TcfProtoOps> = {
  kind: 'basic',
  classify: basic_classify,
  init: (tp) => {
    tp.root = [];
    return 0;
  },
  destroy: basic_destroy,
  get: (tp, handle) => (tp.root as BasicFilter[]).find((f) => f.handle === handle) ?? null,
  change: basic_change,
  delete: basic_delete,
  walk: (tp) => [...(tp.root as BasicFilter[])],
  dump: basic_dump,
};
