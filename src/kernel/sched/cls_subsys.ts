// cls_api's and act_api's entry in TC_SUBSYS (tc_subsys.ts). Only
// tc_subsys.ts imports this file (it closes an import cycle with sch_api.ts,
// which it uses inside functions only).
import type { Net } from '../net_namespace.ts';
import { NLM_F_DUMP, type NlReply } from '../uapi/rtnetlink.ts';
import {
  RTM_DELACTION,
  RTM_DELTFILTER,
  RTM_GETACTION,
  RTM_GETTFILTER,
  RTM_NEWACTION,
  RTM_NEWTFILTER,
  type TcActionMsg,
  type TcRtnlMsg,
} from '../uapi/rtnetlink_tc.ts';
import { tc_ctl_action } from './act_api.ts';
import {
  type TcfBlock,
  type TcfMsg,
  type TcfQdiscLookup,
  type TcfResult,
  tc_del_tfilter,
  tc_dump_tfilter,
  tc_get_tfilter,
  tc_new_tfilter,
  tcf_block_filter_list,
  tcf_classify,
} from './cls_api.ts';
import { qdisc_lookup, rtnl_register_tc } from './sch_api.ts';
import { clsact_qdisc_ops, ingress_qdisc_ops } from './sch_ingress.ts';
import type { TcSubsys } from './tc_subsys.ts';

/**
 * cls_api's and act_api's part of net/sched's init (tc_filter_init,
 * tc_action_init): the RTM_*TFILTER and RTM_*ACTION handlers, tcf_classify
 * for the classful qdiscs, and the ingress/clsact qdiscs.
 */
export const tcf_subsys: Readonly<TcSubsys> = {
  name: 'cls_api',
  qdiscs: () => [ingress_qdisc_ops, clsact_qdisc_ops],
  init(_k, s) {
    const look: TcfQdiscLookup = { root: (dev) => dev.qdisc, lookup: qdisc_lookup };
    const doit = (fn: (net: Net, look: TcfQdiscLookup, m: TcfMsg) => NlReply<TcfMsg>) => (net: Net, req: TcRtnlMsg) =>
      fn(net, look, req as unknown as TcfMsg) as unknown as NlReply<TcRtnlMsg>;
    rtnl_register_tc(s, RTM_NEWTFILTER, doit(tc_new_tfilter));
    rtnl_register_tc(s, RTM_DELTFILTER, doit(tc_del_tfilter));
    rtnl_register_tc(
      s,
      RTM_GETTFILTER,
      doit((net, l, m) => ((m.nlmsg_flags & NLM_F_DUMP) === NLM_F_DUMP ? tc_dump_tfilter(net, l, m) : tc_get_tfilter(net, l, m))),
    );
    for (const t of [RTM_NEWACTION, RTM_DELACTION, RTM_GETACTION])
      rtnl_register_tc(s, t, (net, req) => tc_ctl_action(net, req as TcActionMsg) as NlReply<TcRtnlMsg>);
    s.tcf_classify = (skb, block, res, compat_mode) =>
      tcf_classify(skb, block as TcfBlock | null, tcf_block_filter_list(block as TcfBlock | null), res as TcfResult, compat_mode);
  },
};
