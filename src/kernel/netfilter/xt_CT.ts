// net/netfilter/xt_CT.c: the CT target (and NOTRACK, its alias in iptables).
import { IP_CT_UNTRACKED } from '../uapi/nf_conntrack_common.ts';
import { NF_INET_LOCAL_OUT, NF_INET_PRE_ROUTING, NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { XT_CONTINUE } from '../uapi/x_tables.ts';
import { nf_ct_set } from './nf_conntrack.ts';
import type { XtTarget } from './x_tables.ts';

export const ct_tg: Readonly<XtTarget<'CT'>> = {
  type: 'target',
  name: 'CT',
  revision: 2,
  family: NFPROTO_IPV4,
  table: 'raw',
  hooks: (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT),
  /** xt_ct_tg_check(): --notrack takes no conntrack reference */
  usesConntrack: (t) => !t.notrack,
  /** xt_ct_target(): a template (zone) or untracked; once tracked, nothing to do */
  target(p, t) {
    if (p.skb._nfct || p.skb.nfctinfo === IP_CT_UNTRACKED) return XT_CONTINUE;
    if (t.notrack) nf_ct_set(p.skb, null, IP_CT_UNTRACKED);
    else if (t.zone) p.skb.nfctZoneTmpl = t.zone;
    return XT_CONTINUE;
  },
};
