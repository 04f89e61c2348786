// net/netfilter/xt_conntrack.c: the conntrack match, revision 3.
import { IPS_DST_NAT, IPS_SRC_NAT, IP_CT_IS_REPLY, IP_CT_UNTRACKED } from '../uapi/nf_conntrack_common.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import {
  type PortRange,
  XT_CONNTRACK_DIRECTION,
  XT_CONNTRACK_EXPIRES,
  XT_CONNTRACK_ORIGDST,
  XT_CONNTRACK_ORIGDST_PORT,
  XT_CONNTRACK_ORIGSRC,
  XT_CONNTRACK_ORIGSRC_PORT,
  XT_CONNTRACK_PROTO,
  XT_CONNTRACK_REPLDST,
  XT_CONNTRACK_REPLDST_PORT,
  XT_CONNTRACK_REPLSRC,
  XT_CONNTRACK_REPLSRC_PORT,
  XT_CONNTRACK_STATE,
  XT_CONNTRACK_STATE_ALIAS,
  XT_CONNTRACK_STATE_DNAT,
  XT_CONNTRACK_STATE_SNAT,
  XT_CONNTRACK_STATE_UNTRACKED,
  XT_CONNTRACK_STATUS,
  XT_STATE_BIT,
  XT_STATE_INVALID,
} from '../uapi/x_tables.ts';
import { nf_ct_expires, nf_ct_get } from './nf_conntrack.ts';
import type { XtMatch } from './x_tables.ts';

function addrIn(a: number, am: [number, number]): boolean {
  return (a & am[1]) >>> 0 === (am[0] & am[1]) >>> 0;
}

export const conntrack_mt: Readonly<XtMatch<'conntrack'>> = {
  type: 'match',
  name: 'conntrack',
  revision: 3,
  family: NFPROTO_IPV4,
  /** conntrack_mt_check(): nf_ct_netns_get() */
  usesConntrack: () => true,
  /** conntrack_mt() */
  match(p, m) {
    const { ct, ctinfo } = nf_ct_get(p.skb);
    let statebit: number;
    if (ct) statebit = XT_STATE_BIT(ctinfo);
    else if (ctinfo === IP_CT_UNTRACKED) statebit = XT_CONNTRACK_STATE_UNTRACKED;
    else statebit = XT_STATE_INVALID;
    const inv = (flag: number): boolean => (m.invflags & flag) !== 0;
    if (m.flags & XT_CONNTRACK_STATE) {
      if (ct) {
        if (ct.status & IPS_SRC_NAT) statebit |= XT_CONNTRACK_STATE_SNAT;
        if (ct.status & IPS_DST_NAT) statebit |= XT_CONNTRACK_STATE_DNAT;
      }
      if (((statebit & m.statemask) !== 0) === inv(XT_CONNTRACK_STATE)) return false;
    }
    if (!ct) return (m.flags & ~XT_CONNTRACK_STATE & ~XT_CONNTRACK_STATE_ALIAS) === 0;
    const o = ct.tuplehash[0];
    const r = ct.tuplehash[1];
    if (m.flags & XT_CONNTRACK_DIRECTION && ctinfo >= IP_CT_IS_REPLY !== inv(XT_CONNTRACK_DIRECTION)) return false;
    if (m.flags & XT_CONNTRACK_ORIGSRC && addrIn(o.src, m.origsrc) === inv(XT_CONNTRACK_ORIGSRC)) return false;
    if (m.flags & XT_CONNTRACK_ORIGDST && addrIn(o.dst, m.origdst) === inv(XT_CONNTRACK_ORIGDST)) return false;
    if (m.flags & XT_CONNTRACK_REPLSRC && addrIn(r.src, m.replsrc) === inv(XT_CONNTRACK_REPLSRC)) return false;
    if (m.flags & XT_CONNTRACK_REPLDST && addrIn(r.dst, m.repldst) === inv(XT_CONNTRACK_REPLDST)) return false;
    // ct_proto_port_check_v3()
    if (m.flags & XT_CONNTRACK_PROTO && (o.proto === m.l4proto) === inv(XT_CONNTRACK_PROTO)) return false;
    const port = (v: number, rg: PortRange, flag: number): boolean => (v >= rg[0] && v <= rg[1]) !== inv(flag);
    if (m.flags & XT_CONNTRACK_ORIGSRC_PORT && !port(o.sport, m.origsrcPort, XT_CONNTRACK_ORIGSRC_PORT)) return false;
    if (m.flags & XT_CONNTRACK_ORIGDST_PORT && !port(o.dport, m.origdstPort, XT_CONNTRACK_ORIGDST_PORT)) return false;
    if (m.flags & XT_CONNTRACK_REPLSRC_PORT && !port(r.sport, m.replsrcPort, XT_CONNTRACK_REPLSRC_PORT)) return false;
    if (m.flags & XT_CONNTRACK_REPLDST_PORT && !port(r.dport, m.repldstPort, XT_CONNTRACK_REPLDST_PORT)) return false;
    if (m.flags & XT_CONNTRACK_STATUS && ((ct.status & m.statusmask) !== 0) === inv(XT_CONNTRACK_STATUS)) return false;
    if (m.flags & XT_CONNTRACK_EXPIRES) {
      const expires = Math.floor(nf_ct_expires(ct) / p.net.kernel.HZ);
      if ((expires >= m.expires[0] && expires <= m.expires[1]) === inv(XT_CONNTRACK_EXPIRES)) return false;
    }
    return true;
  },
};
