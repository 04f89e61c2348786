// The parts of net/sched that register themselves at boot besides the
// qdisc core: classifiers and actions (cls_api, act_api and their modules)
// and the qdiscs of other files. Each entry adds its qdisc ops to the
// registry (register_qdisc) and its rtnetlink handlers (rtnl_register) to the
// kernel's tc state. One line per subsystem.
import type { Kernel } from '../kernel.ts';
import type { TcState } from './sch_api.ts';
import type { Qdisc_ops } from './sch_generic.ts';
import { netem_qdisc_ops } from './sch_netem.ts';
import { tcf_subsys } from './cls_subsys.ts';
import { tbf_qdisc_ops } from './sch_tbf.ts';
import { htb_qdisc_ops } from './sch_htb.ts';

export interface TcSubsys {
  readonly name: string;
  /** register_qdisc() of the qdiscs this part brings (each `as Qdisc_ops`); a function, so import cycles stay harmless */
  qdiscs?(): readonly Qdisc_ops[];
  /** its init: rtnl_register_tc(s, RTM_…, handler), s.tcf_classify = …, s.subsys.set(name, state) */
  init?(k: Kernel, s: TcState): void;
}

export const TC_SUBSYS: readonly TcSubsys[] = [
  tcf_subsys,
  { name: 'sch_tbf', qdiscs: () => [tbf_qdisc_ops] },
  { name: 'sch_htb', qdiscs: () => [htb_qdisc_ops] },
  { name: 'sch_netem', qdiscs: () => [netem_qdisc_ops as Qdisc_ops] },
];
