// net/ipv4/netfilter/ip_tables.c: the icmp match it registers itself.
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';

export const icmp_mt: Readonly<XtMatch<'icmp'>> = {
  type: 'match',
  name: 'icmp',
  revision: 0,
  family: NFPROTO_IPV4,
  /** icmp_match(): type 0xFF matches any (icmp_type_code_match) */
  match(p, m) {
    const b = p.skb.head;
    if (p.fragoff || p.thoff + 2 > p.skb.tail) return false;
    const t = b[p.thoff] as number;
    const c = b[p.thoff + 1] as number;
    const hit = m.type === 0xff || (t === m.type && c >= m.code[0] && c <= m.code[1]);
    return hit !== m.invert;
  },
};
