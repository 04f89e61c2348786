// net/netfilter/xt_mark.c: the mark match and the MARK target.
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { XT_CONTINUE } from '../uapi/x_tables.ts';
import type { XtMatch, XtTarget } from './x_tables.ts';

export const mark_mt: Readonly<XtMatch<'mark'>> = {
  type: 'match',
  name: 'mark',
  revision: 1,
  family: NFPROTO_IPV4,
  match: (p, m) => ((p.skb.mark & m.mask) >>> 0 === m.mark) !== m.invert,
};

export const mark_tg: Readonly<XtTarget<'MARK'>> = {
  type: 'target',
  name: 'MARK',
  revision: 2,
  family: NFPROTO_IPV4,
  target(p, t) {
    p.skb.mark = ((p.skb.mark & ~t.mask) ^ t.value) >>> 0;
    return XT_CONTINUE;
  },
};
