// rtnetlink for traffic control (include/uapi/linux/rtnetlink.h: struct
// tcmsg, TCA_*; tcamsg for actions): the messages `tc` exchanges with the
// kernel, as plain data, and the door to the handlers net/sched registers
// with rtnl_register():
//   RTM_NEWQDISC/DELQDISC/GETQDISC     tc_modify_qdisc, tc_get_qdisc, tc_dump_qdisc
//   RTM_NEWTCLASS/DELTCLASS/GETTCLASS  tc_ctl_tclass, tc_dump_tclass
//   RTM_NEWTFILTER/DELTFILTER/GETTFILTER, RTM_*CHAIN   (cls_api, registered by it)
//   RTM_NEWACTION/DELACTION/GETACTION  (act_api, registered by it)
// A request is the tcmsg header under its C field names plus the attributes
// as named fields (a missing field is a missing attribute); TCA_OPTIONS is the
// kind's own plain object (uapi/pkt_sched.ts). Every answer is an NlReply: the
// messages of a dump or an echo, and the ack (0 or -errno) with its extack text.
import type { Net } from '../net_namespace.ts';
import { tc_rcv_msg } from '../sched/sch_api.ts';
import type { NlReply } from './rtnetlink.ts';
import type { TcaStats2, TcOptions } from './pkt_sched.ts';

export {
  NLM_F_ACK,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_ECHO,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  AF_UNSPEC,
  type NlReply,
} from './rtnetlink.ts';
export * from './pkt_sched.ts';

// --- linux/rtnetlink.h ---
export const RTM_NEWQDISC = 36;
export const RTM_DELQDISC = 37;
export const RTM_GETQDISC = 38;
export const RTM_NEWTCLASS = 40;
export const RTM_DELTCLASS = 41;
export const RTM_GETTCLASS = 42;
export const RTM_NEWTFILTER = 44;
export const RTM_DELTFILTER = 45;
export const RTM_GETTFILTER = 46;
export const RTM_NEWACTION = 48;
export const RTM_DELACTION = 49;
export const RTM_GETACTION = 50;
export const RTM_NEWCHAIN = 100;
export const RTM_DELCHAIN = 101;
export const RTM_GETCHAIN = 102;

/** TCA_* (enum in rtnetlink.h): the attribute numbers; the fields of TcaAttrs carry their names. */
export const TCA_KIND = 1;
export const TCA_OPTIONS = 2;
export const TCA_STATS = 3;
export const TCA_XSTATS = 4;
export const TCA_RATE = 5;
export const TCA_FCNT = 6;
export const TCA_STATS2 = 7;
export const TCA_STAB = 8;
export const TCA_DUMP_INVISIBLE = 10;
export const TCA_CHAIN = 11;
export const TCA_HW_OFFLOAD = 12;
export const TCA_INGRESS_BLOCK = 13;
export const TCA_EGRESS_BLOCK = 14;
export const TCA_DUMP_FLAGS = 15;
export const TCA_EXT_WARN_MSG = 16;

/** struct tcmsg */
export interface TcMsgHdr {
  tcm_family: number;
  tcm_ifindex: number;
  tcm_handle: number;
  tcm_parent: number;
  /** qdisc: refcnt in answers; filter: TC_H_MAKE(prio << 16, protocol) */
  tcm_info: number;
}

/** struct tc_estimator (TCA_RATE) */
export interface TcEstimator {
  interval: number;
  ewma_log: number;
}

/** The attributes of a tcmsg. */
export interface TcaAttrs {
  TCA_KIND?: string;
  TCA_OPTIONS?: TcOptions;
  /** answers: the qdisc's/class's counters */
  TCA_STATS2?: TcaStats2;
  /** answers: the kind's dump_stats (TCA_STATS_APP), a plain object */
  TCA_XSTATS?: TcOptions;
  TCA_RATE?: TcEstimator;
  TCA_CHAIN?: number;
  TCA_INGRESS_BLOCK?: number;
  TCA_EGRESS_BLOCK?: number;
  TCA_DUMP_INVISIBLE?: boolean;
  TCA_HW_OFFLOAD?: number;
  /** answers: a warning the kernel attaches (tc prints "Warning: …") */
  TCA_EXT_WARN_MSG?: string;
}

/** A qdisc, class, filter or chain message. */
export interface TcMsg {
  nlmsg_type: number;
  nlmsg_flags: number;
  tcm: TcMsgHdr;
  attrs: TcaAttrs;
}

// --- actions: struct tcamsg and TCA_ACT_* (linux/rtnetlink.h, pkt_cls.h) ---
export const TCA_ACT_TAB = 1;
export const TCA_ROOT_FLAGS = 2;
export const TCA_ROOT_COUNT = 3;
export const TCA_ROOT_TIME_DELTA = 4;

/** One action in TCA_ACT_TAB (TCA_ACT_KIND, TCA_ACT_INDEX, TCA_ACT_OPTIONS, TCA_ACT_STATS …). */
export interface TcaAct {
  TCA_ACT_KIND?: string;
  TCA_ACT_INDEX?: number;
  TCA_ACT_OPTIONS?: TcOptions;
  TCA_ACT_STATS?: TcaStats2;
  TCA_ACT_COOKIE?: Uint8Array;
  TCA_ACT_FLAGS?: number;
}

/** An action message (struct tcamsg). */
export interface TcActionMsg {
  nlmsg_type: number;
  nlmsg_flags: number;
  tca_family: number;
  attrs: {
    TCA_ACT_TAB?: TcaAct[];
    TCA_ROOT_FLAGS?: number;
    TCA_ROOT_COUNT?: number;
    TCA_ROOT_TIME_DELTA?: number;
  };
}

export type TcRtnlMsg = TcMsg | TcActionMsg;

/** An empty tcmsg for `ifindex`. */
export function tcmsg(ifindex = 0, handle = 0, parent = 0, info = 0): TcMsgHdr {
  return { tcm_family: 0, tcm_ifindex: ifindex, tcm_handle: handle >>> 0, tcm_parent: parent >>> 0, tcm_info: info >>> 0 };
}

/** sendmsg() of one tc request on a NETLINK_ROUTE socket of `net`, and recvmsg() of everything it answers. */
export function tc_talk(net: Net, req: TcMsg): NlReply<TcMsg>;
export function tc_talk(net: Net, req: TcActionMsg): NlReply<TcActionMsg>;
export function tc_talk(net: Net, req: TcRtnlMsg): NlReply<TcRtnlMsg> {
  return tc_rcv_msg(net, req);
}
