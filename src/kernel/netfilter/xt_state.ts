// net/netfilter/xt_state.c
import { IP_CT_UNTRACKED } from '../uapi/nf_conntrack_common.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { XT_STATE_BIT, XT_STATE_INVALID, XT_STATE_UNTRACKED } from '../uapi/x_tables.ts';
import { nf_ct_get } from './nf_conntrack.ts';
import type { XtMatch } from './x_tables.ts';

export const state_mt: Readonly<XtMatch<'state'>> = {
  type: 'match',
  name: 'state',
  revision: 0,
  family: NFPROTO_IPV4,
  usesConntrack: () => true,
  /** state_mt() */
  match(p, m) {
    const { ct, ctinfo } = nf_ct_get(p.skb);
    const bit = ct ? XT_STATE_BIT(ctinfo) : ctinfo === IP_CT_UNTRACKED ? XT_STATE_UNTRACKED : XT_STATE_INVALID;
    return ((m.statemask & bit) !== 0) !== m.invert;
  },
};
