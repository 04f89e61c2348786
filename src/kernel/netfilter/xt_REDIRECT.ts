// net/netfilter/xt_REDIRECT.c
import { kprobe } from '../trace/probe.ts';
import { NF_INET_LOCAL_OUT, NF_INET_PRE_ROUTING, NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { nf_nat_redirect_ipv4 } from './nf_nat.ts';
import type { XtTarget } from './x_tables.ts';

export const redirect_tg: Readonly<XtTarget<'REDIRECT'>> = {
  type: 'target',
  name: 'REDIRECT',
  revision: 0,
  family: NFPROTO_IPV4,
  table: 'nat',
  hooks: (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT),
  usesConntrack: () => true,
  /** redirect_tg4() */
  target(p, t) {
    kprobe(p.net, p.skb, 'redirect_tg4');
    return nf_nat_redirect_ipv4(p.skb, t.range, p.state.hook);
  },
};
