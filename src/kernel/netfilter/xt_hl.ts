// net/netfilter/xt_hl.c: the ttl match.
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';

export const ttl_mt: Readonly<XtMatch<'ttl'>> = {
  type: 'match',
  name: 'ttl',
  revision: 0,
  family: NFPROTO_IPV4,
  /** ttl_mt() */
  match(p, m) {
    const ttl = p.skb.head[p.nh + 8] as number;
    if (m.mode === 'eq') return ttl === m.ttl;
    if (m.mode === 'ne') return ttl !== m.ttl;
    if (m.mode === 'lt') return ttl < m.ttl;
    return ttl > m.ttl;
  },
};
