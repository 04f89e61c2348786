// net/netfilter/xt_iprange.c
import { iph_daddr, iph_saddr } from '../ipv4/iphdr.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';

export const iprange_mt: Readonly<XtMatch<'iprange'>> = {
  type: 'match',
  name: 'iprange',
  revision: 1,
  family: NFPROTO_IPV4,
  /** iprange_mt4() */
  match(p, m) {
    const b = p.skb.head;
    const inRange = (v: number, r: [number, number]): boolean => v >= r[0] && v <= r[1];
    if (m.src && inRange(iph_saddr(b, p.nh), m.src) === m.invSrc) return false;
    if (m.dst && inRange(iph_daddr(b, p.nh), m.dst) === m.invDst) return false;
    return true;
  },
};
