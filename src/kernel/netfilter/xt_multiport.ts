// net/netfilter/xt_multiport.c
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';
import { xt_ports } from './xt_tcpudp.ts';

export const multiport_mt: Readonly<XtMatch<'multiport'>> = {
  type: 'match',
  name: 'multiport',
  revision: 1,
  family: NFPROTO_IPV4,
  /** multiport_mt() / ports_match_v1() */
  match(p, m) {
    const pp = xt_ports(p);
    if (!pp) return false;
    let hit = false;
    for (const r of m.ports) {
      if ((m.flags !== 'dst' && pp[0] >= r[0] && pp[0] <= r[1]) || (m.flags !== 'src' && pp[1] >= r[0] && pp[1] <= r[1])) {
        hit = true;
        break;
      }
    }
    return hit !== m.invert;
  },
};
