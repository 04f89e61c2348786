// net/netfilter/xt_addrtype.c
import type { NetDevice } from '../core/netdevice.ts';
import { iph_daddr, iph_saddr } from '../ipv4/iphdr.ts';
import { inet_addr_type_dev_table } from '../ipv4/route.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';

export const addrtype_mt: Readonly<XtMatch<'addrtype'>> = {
  type: 'match',
  name: 'addrtype',
  revision: 1,
  family: NFPROTO_IPV4,
  /** addrtype_mt_v1(): the type of each address, optionally limited to a device */
  match(p, m) {
    const b = p.skb.head;
    const typeOf = (addr: number, dev: NetDevice | null): number => 1 << inet_addr_type_dev_table(p.net, dev, addr);
    const dev = m.limitIn ? p.state.in : m.limitOut ? p.state.out : null;
    if (m.source && ((typeOf(iph_saddr(b, p.nh), dev) & m.source) !== 0) === m.invSource) return false;
    if (m.dest && ((typeOf(iph_daddr(b, p.nh), dev) & m.dest) !== 0) === m.invDest) return false;
    return true;
  },
};
