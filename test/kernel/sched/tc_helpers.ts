// tc requests as the tc tool sends them (tc_talk): an ingress or clsact
// qdisc, and filters with their options.
import type { NetDevice } from '../../../src/kernel/core/netdevice.ts';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import type { TcfQdiscLookup } from '../../../src/kernel/sched/cls_api.ts';
import { type Qdisc, qdisc_lookup } from '../../../src/kernel/sched/sch_api.ts';
import {
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_NEWQDISC,
  RTM_NEWTFILTER,
  tc_talk,
  tcmsg,
  type TcOptions,
} from '../../../src/kernel/uapi/rtnetlink_tc.ts';

export function addTcQdisc(net: Net, dev: NetDevice, kind: 'ingress' | 'clsact'): Qdisc {
  const r = tc_talk(net, {
    nlmsg_type: RTM_NEWQDISC,
    nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
    tcm: tcmsg(dev.ifindex, 0xffff0000, 0xfffffff1),
    attrs: { TCA_KIND: kind },
  });
  if (r.error) throw new Error(`qdisc add: ${r.error} ${r.extack}`);
  const q = qdisc_lookup(dev, 0xffff0000);
  if (!q) throw new Error('no qdisc');
  return q;
}

export function lookupOf(_net: Net): TcfQdiscLookup {
  return { root: (dev) => dev.qdisc, lookup: qdisc_lookup };
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
  return tc_talk(net, {
    nlmsg_type: RTM_NEWTFILTER,
    nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
    tcm: tcmsg(dev.ifindex, handle, parent, ((pref << 16) | protocol) >>> 0),
    attrs: { TCA_KIND: kind, TCA_OPTIONS: options as TcOptions },
  });
}
