// net/sched/sch_api.c: the qdisc registry (register_qdisc as a table read
// per kernel), handles (qdisc_alloc_handle), qdisc_lookup/qdisc_leaf,
// qdisc_create/qdisc_change/qdisc_graft, and the rtnetlink handlers
// tc_modify_qdisc, tc_get_qdisc, tc_dump_qdisc, tc_ctl_tclass,
// tc_dump_tclass with tc_fill_qdisc/tc_fill_tclass, with 6.18's extack texts.
// Filters, chains and actions register their handlers into the same table
// (rtnl_register_tc) from cls_api/act_api through TC_SUBSYS (tc_subsys.ts).
import { gen_new_estimator, gen_replace_estimator, gnet_stats_copy_rate_est } from '../core/gen_estimator.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { EEXIST, EINVAL, ELOOP, ENODEV, ENOENT, ENOSPC, EOPNOTSUPP } from '../uapi/errno.ts';
import { AF_UNSPEC, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REPLACE, type NlReply } from '../uapi/rtnetlink.ts';
import { TC_H_INGRESS, TC_H_MAJ, TC_H_MAKE, TC_H_MIN, TC_H_ROOT } from '../uapi/pkt_sched.ts';
import type { TcaAttrs, TcActionMsg, TcMsg, TcMsgHdr, TcRtnlMsg } from '../uapi/rtnetlink_tc.ts';
import { IFF_UP, NetdevQueue, type NetDevice } from '../core/netdevice.ts';
import {
  type GnetDump,
  type NetlinkExtAck,
  Qdisc,
  type Qdisc_ops,
  type QdiscWalker,
  TCQ_F_BUILTIN,
  TCQ_F_INGRESS,
  TCQ_F_INVISIBLE,
  TCQ_F_MQROOT,
  TCQ_F_NOLOCK,
  TCQ_F_ONETXQUEUE,
  type TcfClassifyFn,
  dev_activate,
  dev_deactivate,
  dev_graft_qdisc,
  noqueue_qdisc_ops,
  pfifo_fast_ops,
  qdisc_hash_add,
  qdisc_put,
  trace_qdisc_create,
} from './sch_generic.ts';
import { bfifo_qdisc_ops, pfifo_head_drop_qdisc_ops, pfifo_qdisc_ops } from './sch_fifo.ts';
import { mq_qdisc_ops } from './sch_mq.ts';
import { TC_SUBSYS } from './tc_subsys.ts';

export * from './sch_generic.ts';

/** The messages tc sends and the handler each goes to (rtnl_register(PF_UNSPEC, RTM_*…)). */
export type TcDoit = (net: Net, req: TcRtnlMsg, extack: NetlinkExtAck) => NlReply<TcRtnlMsg>;

/** What net/sched keeps per machine (statics and the rtnl table in Linux). */
export interface TcState {
  /** qdisc_alloc_handle()'s static autohandle */
  autohandle: number;
  /** rtnl_register()ed tc handlers by message type */
  readonly rtnl: Map<number, TcDoit>;
  /** cls_api's tcf_classify, once cls_api registered itself */
  tcf_classify: TcfClassifyFn | null;
  /** the subsystem's own state (cls_api, act_api …) by name */
  readonly subsys: Map<string, unknown>;
}

/**
 * The registered qdiscs (register_qdisc() at boot, in pktsched_init's order
 * and then the modules'). One line per qdisc file: the kinds this kernel has.
 */
export function qdisc_base(): readonly Qdisc_ops[] {
  return [
    pfifo_qdisc_ops,
    bfifo_qdisc_ops,
    pfifo_head_drop_qdisc_ops,
    mq_qdisc_ops,
    noqueue_qdisc_ops,
    pfifo_fast_ops,
    ...TC_SUBSYS.flatMap((s) => s.qdiscs?.() ?? []),
  ];
}

/** The per-kernel tc state, made on first use (pktsched_init + the subsystems' init). */
export function tc_state(k: Kernel): TcState {
  let s = k.tc;
  if (!s) {
    s = { autohandle: TC_H_MAKE(0x80000000, 0), rtnl: new Map(), tcf_classify: null, subsys: new Map() };
    k.tc = s;
    pktsched_init(s);
    for (const sub of TC_SUBSYS) sub.init?.(k, s);
  }
  return s;
}

/** rtnl_register() of a tc message type. */
export function rtnl_register_tc(s: TcState, msgtype: number, doit: TcDoit): void {
  s.rtnl.set(msgtype, doit);
}

/** pktsched_init(): the qdisc and class handlers. */
function pktsched_init(s: TcState): void {
  for (const t of [36, 37, 38]) rtnl_register_tc(s, t, (net, req, extack) => tc_qdisc_msg(net, req as TcMsg, extack));
  for (const t of [40, 41, 42]) rtnl_register_tc(s, t, (net, req, extack) => tc_tclass_msg(net, req as TcMsg, extack));
}

/** The door (rtnetlink_rcv_msg for tc messages): the registered handler, or EOPNOTSUPP. */
export function tc_rcv_msg(net: Net, req: TcRtnlMsg): NlReply<TcRtnlMsg> {
  const s = tc_state(net.kernel);
  const extack: NetlinkExtAck = { msg: null };
  const doit = s.rtnl.get(req.nlmsg_type);
  if (!doit) return ack(-EOPNOTSUPP, extack);
  return doit(net, req, extack);
}

function ack<M>(error: number, extack: NetlinkExtAck): NlReply<M> {
  return { error, extack: error ? extack.msg : null, msgs: [] };
}

export type { TcActionMsg };

// --- the registry ---

/** qdisc_lookup_ops() */
export function qdisc_lookup_ops(kind: string | undefined): Qdisc_ops | null {
  if (kind === undefined) return null;
  return qdisc_base().find((o) => o.id === kind) ?? null;
}

/** net.core.default_qdisc as read (qdisc_get_default). */
export function qdisc_get_default(k: Kernel): string {
  return k.defaultQdiscOps?.id ?? pfifo_fast_ops.id;
}

/** qdisc_set_default(): the sysctl's write; -ENOENT for a kind this kernel lacks. */
export function qdisc_set_default(k: Kernel, name: string): number {
  const ops = qdisc_lookup_ops(name);
  if (!ops) return -ENOENT;
  k.defaultQdiscOps = ops;
  return 0;
}

/** net_core_table's default_qdisc (init_net only): read and written through qdisc_get_default/qdisc_set_default. */
export function sch_default_qdisc_sysctl_init(net: Net): void {
  net.sysctl.register('net.core.default_qdisc', {
    read: (n) => qdisc_get_default(n.kernel),
    writeString: (n, v) => (qdisc_set_default(n.kernel, v) ? 'ENOENT' : null),
  });
}

// --- lookup ---

/** hash_32(handle, 4): the bucket of dev->qdisc_hash (DECLARE_HASHTABLE(qdisc_hash, 4)). */
function qdisc_hash_bucket(handle: number): number {
  return Math.imul(handle, 0x61c88647) >>> 28;
}

/** hash_for_each(dev->qdisc_hash): bucket by bucket, the newest first in each. */
export function qdisc_hash_for_each(dev: NetDevice): Qdisc[] {
  const out: Qdisc[] = [];
  for (let b = 0; b < 16; b++) {
    for (let i = dev.qdiscHash.length - 1; i >= 0; i--) {
      const q = dev.qdiscHash[i] as Qdisc;
      if (qdisc_hash_bucket(q.handle) === b) out.push(q);
    }
  }
  return out;
}

/** qdisc_match_from_root() */
function qdisc_match_from_root(root: Qdisc | null, handle: number): Qdisc | null {
  if (!root) return null;
  if (!(root.flags & TCQ_F_BUILTIN) && root.handle === handle) return root;
  for (const q of root.dev.qdiscHash) if (q.handle === handle) return q;
  return null;
}

/** qdisc_lookup(): the root's tree, then the ingress queue's. */
export function qdisc_lookup(dev: NetDevice, handle: number): Qdisc | null {
  if (!handle) return null;
  const q = qdisc_match_from_root(dev.qdisc, handle);
  if (q) return q;
  const ing = dev.ingressQueue?.qdisc_sleeping ?? null;
  if (ing && ing.handle === handle) return ing;
  return null;
}

/** dev_ingress_queue_create(): the ingress queue ingress/clsact attach to. */
export function dev_ingress_queue_create(dev: NetDevice): NetdevQueue {
  let q = dev.ingressQueue;
  if (!q) {
    q = new NetdevQueue(dev);
    dev.ingressQueue = q;
  }
  return q;
}

/** qdisc_leaf(): the qdisc under class classid of p. */
function qdisc_leaf(p: Qdisc, classid: number, extack: NetlinkExtAck): Qdisc | null | number {
  const cops = p.ops.cl_ops;
  if (!cops) {
    extack.msg = 'Parent qdisc is not classful';
    return -EOPNOTSUPP;
  }
  const cl = cops.find(p, classid);
  if (cl === null || cl === undefined || cl === 0) {
    extack.msg = 'Specified class not found';
    return -ENOENT;
  }
  return cops.leaf(p, cl);
}

/** qdisc_alloc_handle(): 8001:, 8002: … (a machine-wide static in Linux). */
function qdisc_alloc_handle(dev: NetDevice): number {
  const s = tc_state(dev.net.kernel);
  for (let i = 0x8000; i > 0; i--) {
    s.autohandle = (s.autohandle + TC_H_MAKE(0x10000, 0)) >>> 0;
    if (s.autohandle === TC_H_MAKE(TC_H_ROOT, 0)) s.autohandle = TC_H_MAKE(0x80000000, 0);
    if (!qdisc_lookup(dev, s.autohandle)) return s.autohandle;
  }
  return 0;
}

// --- create, change, graft ---

/** qdisc_create() */
function qdisc_create(
  dev: NetDevice,
  dev_queue: NetdevQueue,
  parent: number,
  handle: number,
  tca: TcaAttrs,
  extack: NetlinkExtAck,
): Qdisc | number {
  const ops = qdisc_lookup_ops(tca.TCA_KIND);
  if (!ops) {
    extack.msg = 'Specified qdisc kind is unknown';
    return -ENOENT;
  }
  const sch = new Qdisc(ops, dev_queue);
  sch.parent = parent;
  if (handle === TC_H_INGRESS) {
    if (!(sch.flags & TCQ_F_INGRESS)) {
      extack.msg = 'Specified parent ID is reserved for ingress and clsact Qdiscs';
      return -EINVAL;
    }
    handle = TC_H_MAKE(TC_H_INGRESS, 0);
  } else {
    if (handle === 0) {
      handle = qdisc_alloc_handle(dev);
      if (handle === 0) {
        extack.msg = 'Maximum number of qdisc handles was exceeded';
        return -ENOSPC;
      }
    }
    // netif_is_multiqueue(): num_tx_queues > 1
    if (dev.numTxQueues <= 1) sch.flags |= TCQ_F_ONETXQUEUE;
  }
  sch.handle = handle;
  // the backward-compatible loophole: IFF_NO_QUEUE with tx_queue_len 0
  if (dev.noQueue && dev.txQueueLen === 0) {
    dev.txQueueLen = 1000;
    dev.net.kernel.kmsg.printk(6, `${dev.name}: Caught tx_queue_len zero misconfig`);
  }
  if (tca.TCA_INGRESS_BLOCK !== undefined) {
    if (!tca.TCA_INGRESS_BLOCK) {
      extack.msg = 'Ingress block index cannot be 0';
      return -EINVAL;
    }
    if (!ops.ingress_block_set) {
      extack.msg = 'Ingress block sharing is not supported';
      return -EOPNOTSUPP;
    }
    ops.ingress_block_set(sch, tca.TCA_INGRESS_BLOCK);
  }
  if (tca.TCA_EGRESS_BLOCK !== undefined) {
    if (!tca.TCA_EGRESS_BLOCK) {
      extack.msg = 'Egress block index cannot be 0';
      return -EINVAL;
    }
    if (!ops.egress_block_set) {
      extack.msg = 'Egress block sharing is not supported';
      return -EOPNOTSUPP;
    }
    ops.egress_block_set(sch, tca.TCA_EGRESS_BLOCK);
  }
  if (ops.init) {
    const err = ops.init(sch, tca.TCA_OPTIONS, extack);
    if (err !== 0) {
      ops.destroy?.(sch);
      return err;
    }
  }
  if (tca.TCA_RATE) {
    if (sch.flags & TCQ_F_MQROOT) {
      extack.msg = 'Cannot attach rate estimator to a multi-queue root qdisc';
      ops.destroy?.(sch);
      return -EOPNOTSUPP;
    }
    const err = gen_new_estimator(dev.net.kernel, sch.bstats, sch, tca.TCA_RATE);
    if (err) {
      extack.msg = 'Failed to generate new estimator';
      ops.destroy?.(sch);
      return err;
    }
  }
  qdisc_hash_add(sch, false);
  trace_qdisc_create(ops, dev, parent);
  return sch;
}

/** qdisc_change() */
function qdisc_change(sch: Qdisc, tca: TcaAttrs, extack: NetlinkExtAck): number {
  if (tca.TCA_OPTIONS) {
    if (!sch.ops.change) {
      extack.msg = 'Change operation not supported by specified qdisc';
      return -EINVAL;
    }
    if (tca.TCA_INGRESS_BLOCK !== undefined || tca.TCA_EGRESS_BLOCK !== undefined) {
      extack.msg = 'Change of blocks is not supported';
      return -EOPNOTSUPP;
    }
    const err = sch.ops.change(sch, tca.TCA_OPTIONS, extack);
    if (err) return err;
  }
  // NB: ignores errors from replace_estimator because change can't be undone.
  if (tca.TCA_RATE && !(sch.flags & TCQ_F_MQROOT)) gen_replace_estimator(sch.dev.net.kernel, sch.bstats, sch, tca.TCA_RATE);
  return 0;
}

/** check_loop(): q must not sit under p. */
function check_loop(q: Qdisc, p: Qdisc, depth: number): number {
  const cops = q.ops.cl_ops;
  if (!cops) return 0;
  let err = 0;
  const w: QdiscWalker = {
    stop: false,
    skip: 0,
    count: 0,
    fn: (qq, cl) => {
      const leaf = cops.leaf(qq, cl);
      if (leaf) {
        if (leaf === p || depth > 7) return -ELOOP;
        return check_loop(leaf, p, depth + 1);
      }
      return 0;
    },
  };
  const fn = w.fn;
  w.fn = (qq, cl, ww) => {
    const r = fn(qq, cl, ww);
    if (r < 0) {
      err = r;
      ww.stop = true;
    }
    return r;
  };
  cops.walk(q, w);
  return err ? -ELOOP : 0;
}

/**
 * qdisc_graft(): `new_` replaces `old` under parent's class classid, or at
 * the root (parent null): the device is deactivated, the queue takes the new
 * qdisc, the old one is destroyed, and the device activated again (a deleted
 * root brings the default back).
 */
function qdisc_graft(
  dev: NetDevice,
  parent: Qdisc | null,
  classid: number,
  new_: Qdisc | null,
  old: Qdisc | null,
  extack: NetlinkExtAck,
): number {
  if (parent === null) {
    const ingress = (old !== null && (old.flags & TCQ_F_INGRESS) !== 0) || (new_ !== null && (new_.flags & TCQ_F_INGRESS) !== 0);
    if (ingress) {
      const dev_queue = dev.ingressQueue;
      if (!dev_queue) {
        extack.msg = 'Device does not have an ingress queue';
        return -ENOENT;
      }
      const o = dev_graft_qdisc(dev_queue, null);
      if (o) qdisc_put(o);
      dev_queue.qdisc_sleeping = new_;
      dev_queue.qdisc = new_;
      new_?.ops.attach?.(new_);
      return 0;
    }
    const up = (dev.flags & IFF_UP) !== 0;
    const oldRoot = dev.qdisc;
    if (up) dev_deactivate(dev);
    dev_graft_qdisc(dev.txq, new_);
    dev.qdisc = new_;
    if (new_ && new_ === oldRoot) {
      // the same qdisc grafted where it is: the lookup's reference goes again
      new_.refcnt--;
    } else {
      // the queue's, the device's and the creator's references (`tc qdisc show` reports refcnt 3)
      // a qdisc without attach is grafted on every TX queue (one reference each) and is dev->qdisc:
      // 3 on a veth (two queues on the recording machine), 2 on ifb (one)
      if (new_) new_.refcnt = new_.ops.attach ? 2 : 1 + dev.numTxQueues;
      if (oldRoot) {
        oldRoot.refcnt = 1;
        qdisc_put(oldRoot);
      }
    }
    if (new_?.ops.attach) new_.ops.attach(new_);
    if (up) dev_activate(dev);
    return 0;
  }
  const cops = parent.ops.cl_ops;
  if (new_ && new_.flags & TCQ_F_NOLOCK && !(parent.flags & TCQ_F_NOLOCK)) new_.flags &= ~TCQ_F_NOLOCK;
  if (!cops?.graft) return -EOPNOTSUPP;
  const cl = cops.find(parent, classid);
  if (cl === null || cl === undefined || cl === 0) {
    extack.msg = 'Specified class not found';
    return -ENOENT;
  }
  if (new_ && new_.ops === noqueue_qdisc_ops) {
    extack.msg = 'Cannot assign noqueue to a class';
    return -EINVAL;
  }
  const r = cops.graft(parent, cl, new_, extack);
  if (r.err) return r.err;
  if (r.old) qdisc_put(r.old);
  return 0;
}

// --- RTM_*QDISC ---

function dev_by_index(net: Net, ifindex: number): NetDevice | null {
  return net.devByIndex.get(ifindex) ?? null;
}

function tc_qdisc_msg(net: Net, req: TcMsg, extack: NetlinkExtAck): NlReply<TcRtnlMsg> {
  if (req.nlmsg_type === 38 && (req.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP)
    return { error: 0, extack: null, msgs: tc_dump_qdisc(net, req) };
  const dev = dev_by_index(net, req.tcm.tcm_ifindex);
  if (!dev) return ack(-ENODEV, extack);
  if (req.nlmsg_type === 36) return ack(__tc_modify_qdisc(req, extack, dev), extack);
  const msgs: TcMsg[] = [];
  const err = __tc_get_qdisc(req, extack, dev, msgs);
  return { error: err, extack: err ? extack.msg : null, msgs };
}

/** __tc_get_qdisc(): RTM_DELQDISC and RTM_GETQDISC */
function __tc_get_qdisc(n: TcMsg, extack: NetlinkExtAck, dev: NetDevice, out: TcMsg[]): number {
  const tcm = n.tcm;
  const tca = n.attrs;
  let q: Qdisc | null = null;
  let p: Qdisc | null = null;
  const clid = tcm.tcm_parent;
  if (clid) {
    if (clid !== TC_H_ROOT) {
      if (TC_H_MAJ(clid) !== TC_H_MAJ(TC_H_INGRESS)) {
        p = qdisc_lookup(dev, TC_H_MAJ(clid));
        if (!p) {
          extack.msg = 'Failed to find qdisc with specified classid';
          return -ENOENT;
        }
        const l = qdisc_leaf(p, clid, extack);
        if (typeof l === 'number') return l;
        q = l;
      } else if (dev.ingressQueue) {
        q = dev.ingressQueue.qdisc_sleeping;
      }
    } else {
      q = dev.qdisc;
    }
    if (!q) {
      extack.msg = 'Cannot find specified qdisc on specified device';
      return -ENOENT;
    }
    if (tcm.tcm_handle && q.handle !== tcm.tcm_handle) {
      extack.msg = 'Invalid handle';
      return -EINVAL;
    }
  } else {
    q = qdisc_lookup(dev, tcm.tcm_handle);
    if (!q) {
      extack.msg = 'Failed to find qdisc with specified handle';
      return -ENOENT;
    }
  }
  if (tca.TCA_KIND !== undefined && tca.TCA_KIND !== q.ops.id) {
    extack.msg = 'Invalid qdisc name: must match existing qdisc';
    return -EINVAL;
  }
  if (n.nlmsg_type === 37) {
    if (!clid) {
      extack.msg = 'Classid cannot be zero';
      return -EINVAL;
    }
    if (q.handle === 0) {
      extack.msg = 'Cannot delete qdisc with handle of zero';
      return -ENOENT;
    }
    return qdisc_graft(dev, p, clid, null, q, extack);
  }
  const m = tc_fill_qdisc(q, clid, 36);
  if (m) out.push(m);
  return 0;
}

/** __tc_modify_qdisc(): RTM_NEWQDISC with its NLM_F_CREATE/EXCL/REPLACE rules. */
function __tc_modify_qdisc(n: TcMsg, extack: NetlinkExtAck, dev: NetDevice): number {
  const tcm = n.tcm;
  const tca = n.attrs;
  const flags = n.nlmsg_flags;
  let q: Qdisc | null = null;
  let p: Qdisc | null = null;
  const clid = tcm.tcm_parent;
  let mode: 'change' | 'create' | 'create2' | 'graft' = 'change';
  if (clid) {
    if (clid !== TC_H_ROOT) {
      if (clid !== TC_H_INGRESS) {
        p = qdisc_lookup(dev, TC_H_MAJ(clid));
        if (!p) {
          extack.msg = 'Failed to find specified qdisc';
          return -ENOENT;
        }
        if (p.flags & TCQ_F_INGRESS) {
          extack.msg = 'Cannot add children to ingress/clsact qdisc';
          return -EOPNOTSUPP;
        }
        const l = qdisc_leaf(p, clid, extack);
        if (typeof l === 'number') return l;
        q = l;
      } else {
        q = dev_ingress_queue_create(dev).qdisc_sleeping;
      }
    } else {
      q = dev.qdisc;
    }
    // it may be the default qdisc: ignore it
    if (q && q.handle === 0) q = null;
    if (!q || !tcm.tcm_handle || q.handle !== tcm.tcm_handle) {
      if (tcm.tcm_handle) {
        if (q && !(flags & NLM_F_REPLACE)) {
          extack.msg = 'NLM_F_REPLACE needed to override';
          return -EEXIST;
        }
        if (TC_H_MIN(tcm.tcm_handle)) {
          extack.msg = 'Invalid minor handle';
          return -EINVAL;
        }
        q = qdisc_lookup(dev, tcm.tcm_handle);
        if (!q) mode = 'create';
        else {
          if (q.parent !== tcm.tcm_parent) {
            extack.msg = 'Cannot move an existing qdisc to a different parent';
            return -EINVAL;
          }
          if (flags & NLM_F_EXCL) {
            extack.msg = 'Exclusivity flag on, cannot override';
            return -EEXIST;
          }
          if (tca.TCA_KIND !== undefined && tca.TCA_KIND !== q.ops.id) {
            extack.msg = 'Invalid qdisc name: must match existing qdisc';
            return -EINVAL;
          }
          if (q.flags & TCQ_F_INGRESS) {
            extack.msg = 'Cannot regraft ingress or clsact Qdiscs';
            return -EINVAL;
          }
          if (q === p || (p && check_loop(q, p, 0))) {
            extack.msg = 'Qdisc parent/child loop detected';
            return -ELOOP;
          }
          if (clid === TC_H_INGRESS) {
            extack.msg = 'Ingress cannot graft directly';
            return -EINVAL;
          }
          q.refcnt++;
          mode = 'graft';
        }
      } else {
        if (!q) mode = 'create';
        else if (tca.TCA_KIND !== undefined && tca.TCA_KIND !== q.ops.id) {
          // the "magic test": another kind under this parent is a create/graft
          const create = (flags & NLM_F_CREATE) !== 0;
          if ((create && flags & NLM_F_REPLACE) || (create && flags & NLM_F_EXCL)) mode = 'create';
          else if (!(flags & (NLM_F_CREATE | NLM_F_REPLACE | NLM_F_EXCL))) mode = 'create2';
        }
      }
    }
  } else {
    if (!tcm.tcm_handle) {
      extack.msg = 'Handle cannot be zero';
      return -EINVAL;
    }
    q = qdisc_lookup(dev, tcm.tcm_handle);
  }

  if (mode === 'change') {
    if (!q) {
      extack.msg = 'Specified qdisc not found';
      return -ENOENT;
    }
    if (flags & NLM_F_EXCL) {
      extack.msg = 'Exclusivity flag on, cannot modify';
      return -EEXIST;
    }
    if (tca.TCA_KIND !== undefined && tca.TCA_KIND !== q.ops.id) {
      extack.msg = 'Invalid qdisc name: must match existing qdisc';
      return -EINVAL;
    }
    return qdisc_change(q, tca, extack);
  }
  if (mode === 'create' && !(flags & NLM_F_CREATE)) {
    extack.msg = 'Qdisc not found. To create specify NLM_F_CREATE flag';
    return -ENOENT;
  }
  if (mode !== 'graft') {
    let created: Qdisc | number;
    if (clid === TC_H_INGRESS) {
      if (dev.ingressQueue) created = qdisc_create(dev, dev.ingressQueue, tcm.tcm_parent, tcm.tcm_parent, tca, extack);
      else {
        extack.msg = 'Cannot find ingress queue for specified device';
        return -ENOENT;
      }
    } else {
      let dev_queue: NetdevQueue;
      if (p?.ops.cl_ops?.select_queue) dev_queue = p.ops.cl_ops.select_queue(p, tcm);
      else if (p) dev_queue = p.dev_queue;
      else dev_queue = dev.txq;
      created = qdisc_create(dev, dev_queue, tcm.tcm_parent, tcm.tcm_handle, tca, extack);
    }
    if (typeof created === 'number') return created;
    q = created;
  }
  const err = qdisc_graft(dev, p, clid, q, null, extack);
  if (err) {
    if (q) {
      q.refcnt = 1;
      qdisc_put(q);
    }
    return err;
  }
  return 0;
}

/** tc_qdisc_dump_ignore() */
function tc_qdisc_dump_ignore(q: Qdisc, dump_invisible: boolean): boolean {
  if (q.flags & TCQ_F_BUILTIN) return true;
  if (q.flags & TCQ_F_INVISIBLE && !dump_invisible) return true;
  return false;
}

/** gnet_stats_copy_*: the counters of TCA_STATS2. */
function qdisc_stats(q: Qdisc): GnetDump {
  const d: GnetDump = {
    basic: { bytes: q.bstats.bytes, packets: q.bstats.packets },
    queue: {
      qlen: q.q.qlen,
      backlog: q.qstats.backlog,
      drops: q.qstats.drops,
      requeues: q.qstats.requeues,
      overlimits: q.qstats.overlimits,
    },
  };
  const re = gnet_stats_copy_rate_est(q);
  if (re) {
    d.rate_est = re.rate_est;
    if (re.rate_est64) d.rate_est64 = re.rate_est64;
  }
  return d;
}

/** tc_fill_qdisc(): one RTM_NEWQDISC message for q. */
export function tc_fill_qdisc(q: Qdisc, clid: number, event: number): TcMsg | null {
  const dev = q.dev;
  const tcm: TcMsgHdr = {
    tcm_family: AF_UNSPEC,
    tcm_ifindex: dev.ifindex,
    tcm_parent: clid >>> 0,
    tcm_handle: q.handle >>> 0,
    tcm_info: q.refcnt,
  };
  const attrs: TcaAttrs = { TCA_KIND: q.ops.id };
  if (q.ops.dump) {
    const o = q.ops.dump(q);
    if (typeof o === 'number') return null;
    if (o) attrs.TCA_OPTIONS = o;
  }
  attrs.TCA_HW_OFFLOAD = 0;
  const d = qdisc_stats(q);
  if (q.ops.dump_stats && q.ops.dump_stats(q, d) < 0) return null;
  attrs.TCA_STATS2 = { basic: d.basic as GnetDump['basic'] & object, queue: d.queue as GnetDump['queue'] & object };
  if (d.rate_est) attrs.TCA_STATS2.rate_est = d.rate_est;
  if (d.rate_est64) attrs.TCA_STATS2.rate_est64 = d.rate_est64;
  if (d.app) attrs.TCA_XSTATS = d.app;
  return { nlmsg_type: event, nlmsg_flags: 0, tcm, attrs };
}

/** tc_dump_qdisc(): every device's root tree, then its ingress qdisc. */
function tc_dump_qdisc(net: Net, req: TcMsg): TcMsg[] {
  const out: TcMsg[] = [];
  const invisible = req.attrs.TCA_DUMP_INVISIBLE === true;
  for (const dev of net.devices) {
    const root = dev.qdisc;
    if (root) {
      if (!tc_qdisc_dump_ignore(root, invisible)) push(out, tc_fill_qdisc(root, root.parent, 36));
      for (const q of qdisc_hash_for_each(dev)) if (!tc_qdisc_dump_ignore(q, invisible)) push(out, tc_fill_qdisc(q, q.parent, 36));
    }
    const ing = dev.ingressQueue?.qdisc_sleeping;
    if (ing && !tc_qdisc_dump_ignore(ing, invisible)) push(out, tc_fill_qdisc(ing, ing.parent, 36));
  }
  return out;
}

function push(out: TcMsg[], m: TcMsg | null): void {
  if (m) out.push(m);
}

// --- RTM_*TCLASS ---

function tc_tclass_msg(net: Net, req: TcMsg, extack: NetlinkExtAck): NlReply<TcRtnlMsg> {
  if (req.nlmsg_type === 42 && (req.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP) {
    const dev = dev_by_index(net, req.tcm.tcm_ifindex);
    return { error: 0, extack: null, msgs: dev ? tc_dump_tclass(dev, req.tcm) : [] };
  }
  const dev = dev_by_index(net, req.tcm.tcm_ifindex);
  if (!dev) return ack(-ENODEV, extack);
  const msgs: TcMsg[] = [];
  const err = __tc_ctl_tclass(req, extack, dev, msgs);
  // the ack carries the extack message on success too (a warning, as htb's quantum)
  return { error: err, extack: extack.msg, msgs };
}

/** __tc_ctl_tclass(): new, change, delete and get of a class. */
function __tc_ctl_tclass(n: TcMsg, extack: NetlinkExtAck, dev: NetDevice, out: TcMsg[]): number {
  const tcm = n.tcm;
  const tca = n.attrs;
  let portid = tcm.tcm_parent;
  let clid = tcm.tcm_handle;
  let qid = TC_H_MAJ(clid);
  const rootHandle = dev.qdisc?.handle ?? 0;
  if (portid !== TC_H_ROOT) {
    const qid1 = TC_H_MAJ(portid);
    if (qid && qid1) {
      if (qid !== qid1) return -EINVAL;
    } else if (qid1) qid = qid1;
    else if (qid === 0) qid = rootHandle;
    if (portid) portid = TC_H_MAKE(qid, portid);
  } else if (qid === 0) qid = rootHandle;
  const q = qdisc_lookup(dev, qid);
  if (!q) return -ENOENT;
  const cops = q.ops.cl_ops;
  if (!cops) return -EINVAL;
  if (clid === 0) {
    if (portid === TC_H_ROOT) clid = qid;
  } else clid = TC_H_MAKE(qid, clid);
  let cl: unknown = null;
  if (clid) cl = cops.find(q, clid) ?? null;
  if (cl === null || cl === 0) {
    if (n.nlmsg_type !== 40 || !(n.nlmsg_flags & NLM_F_CREATE)) return -ENOENT;
    cl = null;
  } else {
    switch (n.nlmsg_type) {
      case 40:
        if (n.nlmsg_flags & NLM_F_EXCL) return -EEXIST;
        break;
      case 41:
        if (!cops.delete) return -EOPNOTSUPP;
        return cops.delete(q, cl, extack);
      case 42: {
        const m = tc_fill_tclass(q, cl, 40);
        if (m) out.push(m);
        return 0;
      }
      default:
        return -EINVAL;
    }
  }
  if (tca.TCA_INGRESS_BLOCK !== undefined || tca.TCA_EGRESS_BLOCK !== undefined) {
    extack.msg = 'Shared blocks are not supported for classes';
    return -EOPNOTSUPP;
  }
  if (clid === TC_H_ROOT) {
    extack.msg = 'Cannot create traffic class with classid TC_H_ROOT';
    return -EINVAL;
  }
  if (!cops.change) return -EOPNOTSUPP;
  return cops.change(q, clid, portid, tca, cl, extack).err;
}

/** tc_fill_tclass() */
export function tc_fill_tclass(q: Qdisc, cl: unknown, event: number): TcMsg | null {
  const cops = q.ops.cl_ops;
  if (!cops) return null;
  const msg: TcMsg = {
    nlmsg_type: event,
    nlmsg_flags: 0,
    tcm: { tcm_family: AF_UNSPEC, tcm_ifindex: q.dev.ifindex, tcm_parent: q.handle, tcm_handle: q.handle, tcm_info: 0 },
    attrs: { TCA_KIND: q.ops.id },
  };
  if (cops.dump(q, cl, msg) < 0) return null;
  const d: GnetDump = {};
  if (cops.dump_stats && cops.dump_stats(q, cl, d) < 0) return null;
  if (d.basic || d.queue) {
    msg.attrs.TCA_STATS2 = {
      basic: d.basic ?? { bytes: 0, packets: 0 },
      queue: d.queue ?? { qlen: 0, backlog: 0, drops: 0, requeues: 0, overlimits: 0 },
    };
    if (d.rate_est) msg.attrs.TCA_STATS2.rate_est = d.rate_est;
    if (d.rate_est64) msg.attrs.TCA_STATS2.rate_est64 = d.rate_est64;
  }
  if (d.app) msg.attrs.TCA_XSTATS = d.app;
  return msg;
}

/** tc_dump_tclass_qdisc(): every class of q through its walk. */
function tc_dump_tclass_qdisc(q: Qdisc, tcm: TcMsgHdr, out: TcMsg[]): void {
  const cops = q.ops.cl_ops;
  if (tc_qdisc_dump_ignore(q, false) || !cops || (tcm.tcm_parent && TC_H_MAJ(tcm.tcm_parent) !== q.handle)) return;
  const w: QdiscWalker = {
    stop: false,
    skip: 0,
    count: 0,
    fn: (qq, cl) => {
      const m = tc_fill_tclass(qq, cl, 40);
      if (m) out.push(m);
      return 0;
    },
  };
  cops.walk(q, w);
}

/** tc_dump_tclass(): the root tree's classes, then the ingress qdisc's. */
function tc_dump_tclass(dev: NetDevice, tcm: TcMsgHdr): TcMsg[] {
  const out: TcMsg[] = [];
  const root = dev.qdisc;
  if (root) {
    tc_dump_tclass_qdisc(root, tcm, out);
    if (tcm.tcm_parent) {
      const q = qdisc_match_from_root(root, TC_H_MAJ(tcm.tcm_parent));
      if (q && q !== root) tc_dump_tclass_qdisc(q, tcm, out);
    } else for (const q of qdisc_hash_for_each(dev)) tc_dump_tclass_qdisc(q, tcm, out);
  }
  const ing = dev.ingressQueue?.qdisc_sleeping;
  if (ing) tc_dump_tclass_qdisc(ing, tcm, out);
  return out;
}

/** qdisc_class_hash-free helper for classful qdiscs: a walker step with skip/count/stop as qdisc_walker_skip. */
export function tc_qdisc_stats_dump(sch: Qdisc, cl: unknown, w: QdiscWalker): boolean {
  if (w.count < w.skip) {
    w.count++;
    return true;
  }
  if (w.fn(sch, cl, w) < 0) {
    w.stop = true;
    return false;
  }
  w.count++;
  return true;
}
