// net/netfilter/xt_length.c
import { iph_tot_len } from '../ipv4/iphdr.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';

export const length_mt: Readonly<XtMatch<'length'>> = {
  type: 'match',
  name: 'length',
  revision: 0,
  family: NFPROTO_IPV4,
  match(p, m) {
    const len = iph_tot_len(p.skb.head, p.nh);
    return (len >= m.min && len <= m.max) !== m.invert;
  },
};
