// net/sched/cls_fw.c: classify by skb->mark (the firewall mark): the filter
// whose handle equals mark & mask gives its class and runs its actions. A fw
// proto without filters classifies by the mark itself (the "old method").
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EINVAL } from '../uapi/errno.ts';
import { TC_ACT_UNSPEC, type TcFwOptions } from '../uapi/pkt_cls.ts';
import { kprobe } from '../trace/probe.ts';
import {
  type Extack,
  type TcfExts,
  tcf_exts_destroy,
  tcf_exts_dump,
  tcf_exts_exec,
  tcf_exts_has_actions,
  tcf_exts_init,
  tcf_exts_validate,
} from './act_api.ts';
import {
  type TcfNodeDump,
  type TcfProto,
  type TcfProtoOps,
  type TcfResult,
  tcf_bind_filter,
  tcf_change_indev,
  tcf_match_indev,
  tcf_unbind_filter,
} from './cls_api.ts';

const HTSIZE = 256;

/** struct fw_filter */
interface FwFilter {
  id: number;
  res: TcfResult;
  ifindex: number;
  exts: TcfExts;
}

/** struct fw_head: 256 buckets, newest first in each. */
interface FwHead {
  mask: number;
  ht: FwFilter[][];
}

function fw_hash(h: number): number {
  let handle = h >>> 0;
  handle ^= handle >>> 16;
  handle ^= handle >>> 8;
  return (handle >>> 0) % HTSIZE;
}

/** fw_classify() */
function fw_classify(skb: SkBuff, tp: TcfProto, res: TcfResult): number {
  kprobe((skb.dev as { net: Net }).net, skb, 'fw_classify');
  const head = tp.root as FwHead | null;
  let id = skb.mark >>> 0;
  if (head) {
    id = (id & head.mask) >>> 0;
    for (const f of head.ht[fw_hash(id)] ?? []) {
      if (f.id !== id) continue;
      res.classid = f.res.classid;
      res.class = f.res.class;
      if (!tcf_match_indev(skb, f.ifindex)) continue;
      const r = tcf_exts_exec(skb, f.exts, res);
      if (r < 0) continue;
      return r;
    }
  } else {
    const q = tp.chain.block.q;
    if (id && ((id & 0xffff0000) === 0 || (q && ((id ^ q.handle) & 0xffff0000) === 0))) {
      res.classid = id;
      res.class = null;
      return 0;
    }
  }
  return TC_ACT_UNSPEC;
}

function fw_destroy(tp: TcfProto): void {
  const head = tp.root as FwHead | null;
  if (!head) return;
  for (const b of head.ht) {
    for (const f of b) {
      tcf_unbind_filter(tp, f.res);
      tcf_exts_destroy(f.exts);
    }
  }
  tp.root = null;
}

function fw_get(tp: TcfProto, handle: number): unknown {
  const head = tp.root as FwHead | null;
  if (!head) return null;
  return (head.ht[fw_hash(handle)] ?? []).find((f) => f.id === handle >>> 0) ?? null;
}

/** fw_set_parms(): actions, class, indev; the mask must stay what the proto has. */
function fw_set_parms(net: Net, tp: TcfProto, f: FwFilter, o: TcFwOptions, base: number, extack: Extack): number {
  const err = tcf_exts_validate(net, o.TCA_FW_ACT, f.exts, extack, tp.chain.block);
  if (err < 0) return err;
  if (o.TCA_FW_INDEV !== undefined) {
    const ifindex = tcf_change_indev(net, o.TCA_FW_INDEV, extack);
    if (ifindex < 0) return ifindex;
    f.ifindex = ifindex;
  }
  const head = tp.root as FwHead;
  const mask = o.TCA_FW_MASK !== undefined ? o.TCA_FW_MASK >>> 0 : 0xffffffff;
  if (mask !== head.mask) return -EINVAL;
  if (o.TCA_FW_CLASSID !== undefined) {
    f.res.classid = o.TCA_FW_CLASSID >>> 0;
    tcf_bind_filter(tp, f.res, base);
  }
  return 0;
}

/** fw_change() */
function fw_change(
  net: Net,
  tp: TcfProto,
  base: number,
  handleIn: number,
  opts: object | undefined,
  fh: { v: unknown },
  _flags: number,
  extack: Extack,
): number {
  const handle = handleIn >>> 0;
  if (!opts) {
    if (handle) return -EINVAL;
    return 0; // the old method
  }
  const o = opts as TcFwOptions;
  const fold = fh.v as FwFilter | null;
  if (fold) {
    if (fold.id !== handle && handle) return -EINVAL;
    const f: FwFilter = { id: fold.id, res: { ...fold.res }, ifindex: fold.ifindex, exts: tcf_exts_init(net) };
    const err = fw_set_parms(net, tp, f, o, base, extack);
    if (err < 0) {
      tcf_exts_destroy(f.exts);
      return err;
    }
    const b = (tp.root as FwHead).ht[fw_hash(fold.id)] as FwFilter[];
    b[b.indexOf(fold)] = f;
    tcf_exts_destroy(fold.exts);
    fh.v = f;
    return 0;
  }
  if (!handle) return -EINVAL;
  if (!tp.root) {
    const mask = o.TCA_FW_MASK !== undefined ? o.TCA_FW_MASK >>> 0 : 0xffffffff;
    const ht: FwFilter[][] = [];
    for (let i = 0; i < HTSIZE; i++) ht.push([]);
    tp.root = { mask, ht } satisfies FwHead;
  }
  const f: FwFilter = { id: handle, res: { classid: 0, class: null, goto_tp: null }, ifindex: 0, exts: tcf_exts_init(net) };
  const err = fw_set_parms(net, tp, f, o, base, extack);
  if (err < 0) {
    tcf_exts_destroy(f.exts);
    return err;
  }
  ((tp.root as FwHead).ht[fw_hash(handle)] as FwFilter[]).unshift(f);
  fh.v = f;
  return 0;
}

function fw_delete(tp: TcfProto, arg: unknown, _extack: Extack): { err: number; last: boolean } {
  const head = tp.root as FwHead;
  const f = arg as FwFilter;
  const b = head.ht[fw_hash(f.id)] as FwFilter[];
  const i = b.indexOf(f);
  if (i >= 0) b.splice(i, 1);
  tcf_unbind_filter(tp, f.res);
  tcf_exts_destroy(f.exts);
  return { err: 0, last: head.ht.every((x) => x.length === 0) };
}

function fw_walk(tp: TcfProto): unknown[] {
  const head = tp.root as FwHead | null;
  if (!head) return [];
  return head.ht.flat();
}

/** fw_dump(): a filter with neither class nor actions has no options. */
function fw_dump(net: Net, tp: TcfProto, fh: unknown): TcfNodeDump {
  const f = fh as FwFilter;
  const head = tp.root as FwHead;
  const o: TcFwOptions = {};
  if (!f.res.classid && !tcf_exts_has_actions(f.exts)) return { handle: f.id, options: o };
  if (f.res.classid) o.TCA_FW_CLASSID = f.res.classid;
  if (f.ifindex) {
    const dev = net.devByIndex.get(f.ifindex);
    if (dev) o.TCA_FW_INDEV = dev.name;
  }
  if (head.mask !== 0xffffffff) o.TCA_FW_MASK = head.mask;
  const acts = tcf_exts_dump(f.exts);
  if (acts) o.TCA_FW_ACT = acts;
  return { handle: f.id, options: o };
}

export const cls_fw_ops: Readonly<TcfProtoOps> = {
  kind: 'fw',
  classify: fw_classify,
  init: () => 0,
  destroy: fw_destroy,
  get: fw_get,
  change: fw_change,
  delete: fw_delete,
  walk: fw_walk,
  dump: fw_dump,
};
