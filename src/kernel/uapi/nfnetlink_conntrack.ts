// ctnetlink (include/uapi/linux/netfilter/nfnetlink_conntrack.h): the
// messages `conntrack` exchanges with the kernel, as plain data shaped like
// their CTA_* attributes.
import type { Net } from '../net_namespace.ts';
import {
  ctnetlink_del_conntrack,
  ctnetlink_dump_table,
  ctnetlink_flush_conntrack,
  ctnetlink_stat_ct,
  ctnetlink_subscribe,
  ctnetlink_unsubscribe,
} from '../netfilter/nf_conntrack_netlink.ts';

export const IPCTNL_MSG_CT_NEW = 0;
export const IPCTNL_MSG_CT_GET = 1;
export const IPCTNL_MSG_CT_DELETE = 2;
export const IPCTNL_MSG_CT_GET_STATS = 5;

/** CTA_TUPLE_IP + CTA_TUPLE_PROTO (ports for TCP/UDP/..., type/code/id for ICMP). */
export interface CtaTuple {
  src: number;
  dst: number;
  proto: number;
  sport?: number;
  dport?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
}

/** One conntrack entry as ctnetlink_fill_info() puts it in a message. */
export interface CtaConntrack {
  /** CTA_ID */
  id: number;
  /** nfgenmsg.nfgen_family */
  l3proto: number;
  orig: CtaTuple;
  reply: CtaTuple;
  /** CTA_STATUS (IPS_*) */
  status: number;
  /** CTA_TIMEOUT in seconds */
  timeout: number;
  /** CTA_PROTOINFO_TCP_STATE, null without TCP protoinfo. */
  tcpState: number | null;
  /** CTA_MARK */
  mark: number;
  /** CTA_ZONE (0: not sent) */
  zone: number;
  /** CTA_USE */
  use: number;
}

/** An event message: IPCTNL_MSG_CT_NEW (NLM_F_CREATE when created) or IPCTNL_MSG_CT_DELETE. */
export interface CtEvent {
  type: number;
  created: boolean;
  ct: CtaConntrack;
  /** Whether CTA_MARK is in the message (set, or changed by this event). */
  markAttr: boolean;
  /** The netlink port of the process whose request caused it (0: the kernel). */
  portid: number;
}

/** A subscription to the NFNLGRP_CONNTRACK_* groups; opaque. */
export type CtEventSubscription = { readonly __ctnl: unique symbol };

/** IPCTNL_MSG_CT_GET, NLM_F_DUMP: every entry of the namespace's table. */
export function ctnl_dump(net: Net): CtaConntrack[] {
  return ctnetlink_dump_table(net);
}

/** IPCTNL_MSG_CT_DELETE of one entry (by CTA_ID and its original tuple); 0 or -errno. */
export function ctnl_delete(net: Net, id: number, portid: number): number {
  return ctnetlink_del_conntrack(net, id, portid);
}

/** IPCTNL_MSG_CT_DELETE with no tuple: the whole table. */
export function ctnl_flush(net: Net): number {
  return ctnetlink_flush_conntrack(net);
}

/** IPCTNL_MSG_CT_GET_STATS: the number of entries. */
export function ctnl_count(net: Net): number {
  return ctnetlink_stat_ct(net);
}

export function ctnl_subscribe(net: Net, cb: (ev: CtEvent) => void): CtEventSubscription {
  return ctnetlink_subscribe(net, cb);
}

export function ctnl_unsubscribe(sub: CtEventSubscription): void {
  ctnetlink_unsubscribe(sub);
}
