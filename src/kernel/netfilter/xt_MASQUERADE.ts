// net/netfilter/xt_MASQUERADE.c
import { kprobe } from '../trace/probe.ts';
import { NF_INET_POST_ROUTING, NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { nf_nat_masquerade_ipv4 } from './nf_nat.ts';
import type { XtTarget } from './x_tables.ts';

export const masquerade_tg: Readonly<XtTarget<'MASQUERADE'>> = {
  type: 'target',
  name: 'MASQUERADE',
  revision: 0,
  family: NFPROTO_IPV4,
  table: 'nat',
  hooks: 1 << NF_INET_POST_ROUTING,
  usesConntrack: () => true,
  /** masquerade_tg() */
  target(p, t) {
    kprobe(p.net, p.skb, 'masquerade_tg');
    return nf_nat_masquerade_ipv4(p.skb, p.state.hook, t.range, p.state.out);
  },
};
