// net/sched/act_skbedit.c: sets skb->priority, skb->mark (under a mask) or
// skb->pkt_type, then the control action (pipe by default).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { EINVAL } from '../uapi/errno.ts';
import {
  SKBEDIT_F_MARK,
  SKBEDIT_F_MASK,
  SKBEDIT_F_PRIORITY,
  SKBEDIT_F_PTYPE,
  SKBEDIT_F_QUEUE_MAPPING,
  type TcfT,
  type TcSkbeditOptions,
} from '../uapi/pkt_cls.ts';
import {
  type Extack,
  type TcAction,
  type TcActionOps,
  tcf_action_check_ctrlact,
  tcf_action_update_bstats,
  tcf_lastuse_update,
} from './act_api.ts';
import type { TcfResult } from './cls_api.ts';

/** struct tcf_skbedit_params */
interface TcfSkbedit {
  flags: number;
  priority: number;
  mark: number;
  mask: number;
  queue_mapping: number;
  ptype: number;
}

/** tcf_skbedit_act() */
function tcf_skbedit_act(skb: SkBuff, a: TcAction, _res: TcfResult): number {
  const p = a.priv as TcfSkbedit;
  const net = (skb.dev as NetDevice).net;
  tcf_lastuse_update(net.kernel, a);
  tcf_action_update_bstats(a, skb);
  if (p.flags & SKBEDIT_F_PRIORITY) skb.priority = p.priority >>> 0;
  if (p.flags & SKBEDIT_F_MARK) {
    skb.mark = ((skb.mark & ~p.mask) | (p.mark & p.mask)) >>> 0;
  }
  if (p.flags & SKBEDIT_F_PTYPE) skb.pktType = p.ptype;
  return a.tcfa_action;
}

/** tcf_skbedit_init() */
function tcf_skbedit_init(_net: Net, opts: object | undefined, a: TcAction, _created: boolean, extack: Extack): number {
  if (!opts) return -EINVAL;
  const o = opts as TcSkbeditOptions;
  const parm = o.TCA_SKBEDIT_PARMS;
  if (!parm) return -EINVAL;
  let flags = 0;
  if (o.TCA_SKBEDIT_PRIORITY !== undefined) flags |= SKBEDIT_F_PRIORITY;
  if (o.TCA_SKBEDIT_QUEUE_MAPPING !== undefined) flags |= SKBEDIT_F_QUEUE_MAPPING;
  if (o.TCA_SKBEDIT_PTYPE !== undefined) {
    // skb_pkt_type_ok(): HOST .. OTHERHOST
    if (o.TCA_SKBEDIT_PTYPE > 3) return -EINVAL;
    flags |= SKBEDIT_F_PTYPE;
  }
  if (o.TCA_SKBEDIT_MARK !== undefined) flags |= SKBEDIT_F_MARK;
  if (o.TCA_SKBEDIT_MASK !== undefined) flags |= SKBEDIT_F_MASK;
  if (!flags) return -EINVAL;
  const err = tcf_action_check_ctrlact(parm.action, extack);
  if (err < 0) return err;
  a.tcfa_action = parm.action;
  a.priv = {
    flags,
    priority: o.TCA_SKBEDIT_PRIORITY ?? 0,
    mark: o.TCA_SKBEDIT_MARK ?? 0,
    mask: o.TCA_SKBEDIT_MASK ?? 0xffffffff,
    queue_mapping: o.TCA_SKBEDIT_QUEUE_MAPPING ?? 0,
    ptype: o.TCA_SKBEDIT_PTYPE ?? 0,
  } satisfies TcfSkbedit;
  return 0;
}

/** tcf_skbedit_dump() */
function tcf_skbedit_dump(a: TcAction, refcnt: number, bindcnt: number, tm: TcfT): TcSkbeditOptions {
  const p = a.priv as TcfSkbedit;
  const o: TcSkbeditOptions = { TCA_SKBEDIT_PARMS: { index: a.index, capab: 0, action: a.tcfa_action, refcnt, bindcnt } };
  if (p.flags & SKBEDIT_F_PRIORITY) o.TCA_SKBEDIT_PRIORITY = p.priority;
  if (p.flags & SKBEDIT_F_MARK) o.TCA_SKBEDIT_MARK = p.mark;
  if (p.flags & SKBEDIT_F_MASK) o.TCA_SKBEDIT_MASK = p.mask;
  if (p.flags & SKBEDIT_F_QUEUE_MAPPING) o.TCA_SKBEDIT_QUEUE_MAPPING = p.queue_mapping;
  if (p.flags & SKBEDIT_F_PTYPE) o.TCA_SKBEDIT_PTYPE = p.ptype;
  o.TCA_SKBEDIT_TM = tm;
  return o;
}

export const act_skbedit_ops: Readonly<TcActionOps> = {
  kind: 'skbedit',
  act: tcf_skbedit_act,
  init: tcf_skbedit_init,
  dump: tcf_skbedit_dump,
  index_of: (o) => (o as TcSkbeditOptions | undefined)?.TCA_SKBEDIT_PARMS?.index ?? 0,
};
