// net/netfilter/xt_nat.c: SNAT and DNAT (revision 2).
import { kprobe } from '../trace/probe.ts';
import {
  NF_ACCEPT,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NFPROTO_IPV4,
} from '../uapi/netfilter.ts';
import { nf_ct_get } from './nf_conntrack.ts';
import { NF_NAT_MANIP_DST, NF_NAT_MANIP_SRC, nf_nat_setup_info } from './nf_nat.ts';
import type { XtTarget } from './x_tables.ts';

export const snat_tg: Readonly<XtTarget<'SNAT'>> = {
  type: 'target',
  name: 'SNAT',
  revision: 2,
  family: NFPROTO_IPV4,
  table: 'nat',
  hooks: (1 << NF_INET_POST_ROUTING) | (1 << NF_INET_LOCAL_IN),
  /** xt_nat_checkentry(): nf_ct_netns_get() */
  usesConntrack: () => true,
  /** xt_snat_target_v2() */
  target(p, t) {
    kprobe(p.net, p.skb, 'xt_snat_target_v2');
    const { ct } = nf_ct_get(p.skb);
    if (!ct) return NF_ACCEPT;
    return nf_nat_setup_info(ct, t.range, NF_NAT_MANIP_SRC);
  },
};

export const dnat_tg: Readonly<XtTarget<'DNAT'>> = {
  type: 'target',
  name: 'DNAT',
  revision: 2,
  family: NFPROTO_IPV4,
  table: 'nat',
  hooks: (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT),
  usesConntrack: () => true,
  /** xt_dnat_target_v2() */
  target(p, t) {
    kprobe(p.net, p.skb, 'xt_dnat_target_v2');
    const { ct } = nf_ct_get(p.skb);
    if (!ct) return NF_ACCEPT;
    return nf_nat_setup_info(ct, t.range, NF_NAT_MANIP_DST);
  },
};
