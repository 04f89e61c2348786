// An ingress or clsact qdisc on a device without sch_api: the object
// cls_api's requests look up, so tests drive tc_new_tfilter() directly.
import type { NetDevice } from '../../../src/kernel/core/netdevice.ts';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { type TcfMsg, type TcfQdisc, type TcfQdiscLookup, tc_new_tfilter } from '../../../src/kernel/sched/cls_api.ts';
import {
  clsact_find,
  clsact_init,
  clsact_tcf_block,
  type IngressSchedData,
  ingress_find,
  ingress_init,
  ingress_tcf_block,
  type TcxStats,
} from '../../../src/kernel/sched/sch_ingress.ts';

const QDISCS = new WeakMap<Net, Map<NetDevice, TestQdisc>>();

export interface TestQdisc extends TcfQdisc {
  priv: IngressSchedData;
  stats: TcxStats;
}

export function addTcQdisc(net: Net, dev: NetDevice, kind: 'ingress' | 'clsact'): TestQdisc {
  const stats: TcxStats = { bstats: { bytes: 0, packets: 0 }, qstats: { qlen: 0, backlog: 0, drops: 0, requeues: 0, overlimits: 0 } };
  const q = {
    handle: 0xffff0000,
    ops: {
      id: kind,
      cl_ops:
        kind === 'ingress'
          ? { find: ingress_find, tcf_block: (qq: TcfQdisc) => ingress_tcf_block((qq as TestQdisc).priv) }
          : { find: clsact_find, tcf_block: (qq: TcfQdisc, cl: unknown) => clsact_tcf_block((qq as TestQdisc).priv, cl) },
    },
    stats,
  } as unknown as TestQdisc;
  const r = kind === 'ingress' ? ingress_init(net, dev, q, 0xfffffff1, stats) : clsact_init(net, dev, q, 0xfffffff1, stats);
  if (r.err || !r.priv) throw new Error(`init ${r.err}`);
  q.priv = r.priv;
  let m = QDISCS.get(net);
  if (!m) {
    m = new Map();
    QDISCS.set(net, m);
  }
  m.set(dev, q);
  return q;
}

export function lookupOf(net: Net): TcfQdiscLookup {
  const m = QDISCS.get(net) ?? new Map<NetDevice, TestQdisc>();
  return {
    root: () => null,
    lookup: (dev, handle) => {
      const q = m.get(dev);
      return q && q.handle === handle ? q : null;
    },
  };
}

/** tc filter add dev DEV parent PARENT protocol PROTO pref PREF KIND … as the message tc sends. */
export function addFilter(
  net: Net,
  dev: NetDevice,
  parent: number,
  protocol: number,
  pref: number,
  kind: string,
  options: object,
  handle = 0,
) {
  const msg: TcfMsg = {
    nlmsg_type: 44,
    nlmsg_flags: 0x400 | 0x200,
    tcm: { tcm_family: 0, tcm_ifindex: dev.ifindex, tcm_handle: handle, tcm_parent: parent, tcm_info: ((pref << 16) | protocol) >>> 0 },
    attrs: { TCA_KIND: kind, TCA_OPTIONS: options },
  };
  return tc_new_tfilter(net, lookupOf(net), msg);
}
