// net/sched/cls_bpf.c with classic BPF only (TCA_BPF_OPS, as `tc filter …
// bpf bytecode` sends; no eBPF object files here). The program is checked by
// bpf_check_classic() and run by the kernel's BPF machine (core/filter.ts)
// over the frame from its MAC header (at ingress the MAC header is pushed back
// for the run). Its return value is the class (0: no match, -1: the filter's
// classid), then the actions run; in direct-action mode (`da`) it is the
// verdict itself (TC_ACT_OK, SHOT, STOLEN, TRAP, REDIRECT; else continue).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { EBUSY, EINVAL } from '../uapi/errno.ts';
import { BPF_MAXINSNS } from '../uapi/filter.ts';
import {
  TC_ACT_OK,
  TC_ACT_REDIRECT,
  TC_ACT_SHOT,
  TC_ACT_STOLEN,
  TC_ACT_TRAP,
  TC_ACT_UNSPEC,
  TCA_BPF_FLAG_ACT_DIRECT,
  TCA_CLS_FLAGS_IN_HW,
  TCA_CLS_FLAGS_NOT_IN_HW,
  TCA_CLS_FLAGS_SKIP_HW,
  TCA_CLS_FLAGS_SKIP_SW,
  type TcBpfInsn,
  type TcBpfOptions,
} from '../uapi/pkt_cls.ts';
import { bpf_prog_run_classic, type SkFilter, sk_filter_create } from '../core/filter.ts';
import { kprobe } from '../trace/probe.ts';
import { type Extack, type TcfExts, tcf_exts_destroy, tcf_exts_dump, tcf_exts_exec, tcf_exts_init, tcf_exts_validate } from './act_api.ts';
import { type TcfNodeDump, type TcfProto, type TcfProtoOps, type TcfResult, tcf_bind_filter, tcf_unbind_filter } from './cls_api.ts';

/** struct cls_bpf_prog */
interface ClsBpfProg {
  handle: number;
  filter: SkFilter;
  bpf_ops: TcBpfInsn[];
  res: TcfResult;
  exts: TcfExts;
  exts_integrated: boolean;
  gen_flags: number;
}

/** struct cls_bpf_head: plist newest first. */
interface ClsBpfHead {
  plist: ClsBpfProg[];
  handles: Set<number>;
}

const CLS_BPF_SUPPORTED_GEN_FLAGS = TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW;

/** cls_bpf_exec_opcode(): the verdicts a direct-action program may return. */
function cls_bpf_exec_opcode(code: number): number {
  switch (code) {
    case TC_ACT_OK:
    case TC_ACT_SHOT:
    case TC_ACT_STOLEN:
    case TC_ACT_TRAP:
    case TC_ACT_REDIRECT:
    case TC_ACT_UNSPEC:
      return code;
    default:
      return TC_ACT_UNSPEC;
  }
}

/** cls_bpf_classify() */
function cls_bpf_classify(skb: SkBuff, tp: TcfProto, res: TcfResult): number {
  const net = (skb.dev as { net: Net }).net;
  kprobe(net, skb, 'cls_bpf_classify');
  const head = tp.root as ClsBpfHead;
  const at_ingress = skb.tcAtIngress;
  let ret = TC_ACT_UNSPEC;
  for (const prog of head.plist) {
    let filter_res: number;
    if (prog.gen_flags & TCA_CLS_FLAGS_SKIP_SW) filter_res = prog.exts_integrated ? TC_ACT_UNSPEC : 0;
    else if (at_ingress) {
      skb.push(skb.macLen);
      filter_res = bpf_prog_run_classic(prog.filter, skb, net.kernel.sim.smp.cur) | 0;
      skb.pull(skb.macLen);
    } else filter_res = bpf_prog_run_classic(prog.filter, skb, net.kernel.sim.smp.cur) | 0;
    if (prog.exts_integrated) {
      res.class = null;
      res.classid = prog.res.classid & 0xffff0000;
      ret = cls_bpf_exec_opcode(filter_res);
      if (ret === TC_ACT_UNSPEC) continue;
      break;
    }
    if (filter_res === 0) continue;
    if (filter_res !== -1) {
      res.class = null;
      res.classid = filter_res >>> 0;
    } else {
      res.classid = prog.res.classid;
      res.class = prog.res.class;
    }
    ret = tcf_exts_exec(skb, prog.exts, res);
    if (ret < 0) continue;
    break;
  }
  return ret;
}

function cls_bpf_init(tp: TcfProto): number {
  tp.root = { plist: [], handles: new Set() } satisfies ClsBpfHead;
  return 0;
}

function cls_bpf_destroy(tp: TcfProto): void {
  const head = tp.root as ClsBpfHead;
  for (const p of head.plist) {
    tcf_unbind_filter(tp, p.res);
    tcf_exts_destroy(p.exts);
  }
  head.plist.length = 0;
  head.handles.clear();
}

function cls_bpf_get(tp: TcfProto, handle: number): unknown {
  const head = tp.root as ClsBpfHead;
  return head.plist.find((p) => p.handle === handle) ?? null;
}

function tc_flags_valid(flags: number): boolean {
  const f = flags & (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW);
  return f !== (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW);
}

/** cls_bpf_change() */
function cls_bpf_change(
  net: Net,
  tp: TcfProto,
  base: number,
  handleIn: number,
  opts: object | undefined,
  fh: { v: unknown },
  _flags: number,
  extack: Extack,
): number {
  const head = tp.root as ClsBpfHead;
  if (!opts) return -EINVAL;
  const o = opts as TcBpfOptions;
  const oldprog = fh.v as ClsBpfProg | null;
  let handle = handleIn >>> 0;
  if (oldprog && handle && oldprog.handle !== handle) return -EINVAL;
  if (handle === 0) {
    handle = 1;
    while (head.handles.has(handle)) handle++;
  } else if (!oldprog && head.handles.has(handle)) return -EBUSY;
  const is_bpf = o.TCA_BPF_OPS_LEN !== undefined && o.TCA_BPF_OPS !== undefined;
  const is_ebpf = o.TCA_BPF_FD !== undefined;
  if ((!is_bpf && !is_ebpf) || (is_bpf && is_ebpf)) return -EINVAL;
  const exts = tcf_exts_init(net);
  let ret = tcf_exts_validate(net, o.TCA_BPF_ACT, exts, extack, tp.chain.block);
  if (ret < 0) return ret;
  const fail = (e: number) => {
    tcf_exts_destroy(exts);
    return e;
  };
  let have_exts = false;
  if (o.TCA_BPF_FLAGS !== undefined) {
    if (o.TCA_BPF_FLAGS & ~TCA_BPF_FLAG_ACT_DIRECT) return fail(-EINVAL);
    have_exts = (o.TCA_BPF_FLAGS & TCA_BPF_FLAG_ACT_DIRECT) !== 0;
  }
  let gen_flags = 0;
  if (o.TCA_BPF_FLAGS_GEN !== undefined) {
    gen_flags = o.TCA_BPF_FLAGS_GEN;
    if (gen_flags & ~CLS_BPF_SUPPORTED_GEN_FLAGS || !tc_flags_valid(gen_flags)) return fail(-EINVAL);
  }
  // eBPF programs come from an fd of a loaded object; no bpf() syscall here
  if (is_ebpf) return fail(-EINVAL);
  // cls_bpf_prog_from_ops()
  const ops = o.TCA_BPF_OPS as TcBpfInsn[];
  const num = o.TCA_BPF_OPS_LEN as number;
  if (num > BPF_MAXINSNS || num === 0) return fail(-EINVAL);
  if (num !== ops.length) return fail(-EINVAL);
  const filter = sk_filter_create(ops);
  if (!filter) return fail(-EINVAL);
  const prog: ClsBpfProg = {
    handle,
    filter,
    bpf_ops: ops.map((i) => ({ ...i })),
    res: { classid: 0, class: null, goto_tp: null },
    exts,
    exts_integrated: have_exts,
    gen_flags,
  };
  if (o.TCA_BPF_CLASSID !== undefined) {
    prog.res.classid = o.TCA_BPF_CLASSID >>> 0;
    tcf_bind_filter(tp, prog.res, base);
  }
  if (!(prog.gen_flags & TCA_CLS_FLAGS_IN_HW)) prog.gen_flags |= TCA_CLS_FLAGS_NOT_IN_HW;
  if (oldprog) {
    head.plist[head.plist.indexOf(oldprog)] = prog;
    tcf_unbind_filter(tp, oldprog.res);
    tcf_exts_destroy(oldprog.exts);
  } else {
    head.plist.unshift(prog);
    head.handles.add(handle);
  }
  fh.v = prog;
  ret = 0;
  return ret;
}

function cls_bpf_delete(tp: TcfProto, arg: unknown, _extack: Extack): { err: number; last: boolean } {
  const head = tp.root as ClsBpfHead;
  const prog = arg as ClsBpfProg;
  const i = head.plist.indexOf(prog);
  if (i >= 0) head.plist.splice(i, 1);
  head.handles.delete(prog.handle);
  tcf_unbind_filter(tp, prog.res);
  tcf_exts_destroy(prog.exts);
  return { err: 0, last: head.plist.length === 0 };
}

function cls_bpf_walk(tp: TcfProto): unknown[] {
  return [...(tp.root as ClsBpfHead).plist];
}

/** cls_bpf_dump() */
function cls_bpf_dump(_net: Net, _tp: TcfProto, fh: unknown): TcfNodeDump {
  const prog = fh as ClsBpfProg;
  const o: TcBpfOptions = {};
  if (prog.res.classid) o.TCA_BPF_CLASSID = prog.res.classid;
  o.TCA_BPF_OPS_LEN = prog.bpf_ops.length;
  o.TCA_BPF_OPS = prog.bpf_ops.map((i) => ({ ...i }));
  const acts = tcf_exts_dump(prog.exts);
  if (acts) o.TCA_BPF_ACT = acts;
  if (prog.exts_integrated) o.TCA_BPF_FLAGS = TCA_BPF_FLAG_ACT_DIRECT;
  if (prog.gen_flags) o.TCA_BPF_FLAGS_GEN = prog.gen_flags;
  return { handle: prog.handle, options: o };
}

export const cls_bpf_ops: Readonly<TcfProtoOps> = {
  kind: 'bpf',
  classify: cls_bpf_classify,
  init: cls_bpf_init,
  destroy: cls_bpf_destroy,
  get: cls_bpf_get,
  change: cls_bpf_change,
  delete: cls_bpf_delete,
  walk: cls_bpf_walk,
  dump: cls_bpf_dump,
};
