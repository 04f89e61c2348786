// net/netfilter/nf_conntrack_netlink.c: ctnetlink, how `conntrack` sees the
// table. An entry crosses as ctnetlink_fill_info() puts it in a message
// (CTA_TUPLE_ORIG/REPLY, CTA_STATUS, CTA_TIMEOUT, CTA_PROTOINFO, CTA_MARK,
// CTA_ZONE, CTA_ID); the dump walks the table in its order; a delete names the
// entry by its original tuple; events go to the subscribers of the
// NFNLGRP_CONNTRACK_* groups.
import type { Net } from '../net_namespace.ts';
import { ENOENT } from '../uapi/errno.ts';
import { IPCT_DESTROY, IPCT_MARK, IPCT_NEW, IPCT_RELATED } from '../uapi/nf_conntrack_common.ts';
import type { CtaConntrack, CtaTuple, CtEvent, CtEventSubscription } from '../uapi/nfnetlink_conntrack.ts';
import { IPCTNL_MSG_CT_DELETE, IPCTNL_MSG_CT_NEW } from '../uapi/nfnetlink_conntrack.ts';
import {
  type CtEventListener,
  ct_net,
  type NfConn,
  type NfTuple,
  nf_conntrack_count,
  nf_ct_delete,
  nf_ct_entries,
  nf_ct_expires,
} from './nf_conntrack.ts';

function tuple(t: NfTuple): CtaTuple {
  if (t.proto === 1) return { src: t.src, dst: t.dst, proto: 1, icmpType: t.dport >> 8, icmpCode: t.dport & 0xff, icmpId: t.sport };
  return { src: t.src, dst: t.dst, proto: t.proto, sport: t.sport, dport: t.dport };
}

/** ctnetlink_fill_info() */
export function ctnetlink_fill_info(ct: NfConn): CtaConntrack {
  return {
    id: ct.id,
    l3proto: 2,
    orig: tuple(ct.tuplehash[0]),
    reply: tuple(ct.tuplehash[1]),
    status: ct.status,
    timeout: Math.floor(nf_ct_expires(ct) / ct.net.kernel.HZ),
    tcpState: ct.tcp ? ct.tcp.state : null,
    mark: ct.mark,
    zone: ct.zone,
    use: 1,
  };
}

/** IPCTNL_MSG_CT_GET with NLM_F_DUMP: ctnetlink_dump_table(). */
export function ctnetlink_dump_table(net: Net): CtaConntrack[] {
  return nf_ct_entries(net).map(ctnetlink_fill_info);
}

/** IPCTNL_MSG_CT_DELETE with CTA_TUPLE_ORIG and CTA_ID: ctnetlink_del_conntrack(); 0 or -ENOENT. */
export function ctnetlink_del_conntrack(net: Net, id: number, portid: number): number {
  const ct = nf_ct_entries(net).find((c) => c.id === id);
  if (!ct) return -ENOENT;
  nf_ct_delete(ct, portid);
  return 0;
}

/** IPCTNL_MSG_CT_DELETE without a tuple: ctnetlink_flush_conntrack(). */
export function ctnetlink_flush_conntrack(net: Net): number {
  for (const ct of nf_ct_entries(net)) nf_ct_delete(ct);
  return 0;
}

/** IPCTNL_MSG_CT_GET_STATS: CTA_STATS_GLOBAL_ENTRIES. */
export function ctnetlink_stat_ct(net: Net): number {
  return nf_conntrack_count(net);
}

/** ctnetlink_conntrack_event(): what a subscriber gets for the cached events. */
function ctnetlink_conntrack_event(ct: NfConn, events: number, portid: number): CtEvent {
  const type = events & (1 << IPCT_DESTROY) ? IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW;
  return {
    type,
    created: (events & ((1 << IPCT_NEW) | (1 << IPCT_RELATED))) !== 0,
    ct: ctnetlink_fill_info(ct),
    // ctnetlink_dump_mark(): only when set or changed
    markAttr: ct.mark !== 0 || (events & (1 << IPCT_MARK)) !== 0,
    portid,
  };
}

/** A netlink socket joining the conntrack event groups. */
export function ctnetlink_subscribe(net: Net, cb: (ev: CtEvent) => void): CtEventSubscription {
  const listener: CtEventListener = (ct, events, portid) => cb(ctnetlink_conntrack_event(ct, events, portid));
  ct_net(net).listeners.add(listener);
  return { net, listener } as unknown as CtEventSubscription;
}

export function ctnetlink_unsubscribe(sub: CtEventSubscription): void {
  const s = sub as unknown as { net: Net; listener: CtEventListener };
  ct_net(s.net).listeners.delete(s.listener);
}
