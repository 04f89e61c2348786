// net/netfilter/xt_connmark.c: the connmark match and the CONNMARK target.
import { IPCT_MARK } from '../uapi/nf_conntrack_common.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { XT_CONNMARK_SAVE, XT_CONNMARK_SET, XT_CONTINUE } from '../uapi/x_tables.ts';
import { nf_conntrack_event_cache, nf_ct_get } from './nf_conntrack.ts';
import type { XtMatch, XtTarget } from './x_tables.ts';

export const connmark_mt: Readonly<XtMatch<'connmark'>> = {
  type: 'match',
  name: 'connmark',
  revision: 1,
  family: NFPROTO_IPV4,
  usesConntrack: () => true,
  match(p, m) {
    const { ct } = nf_ct_get(p.skb);
    if (!ct) return false;
    return ((ct.mark & m.mask) >>> 0 === m.mark) !== m.invert;
  },
};

export const connmark_tg: Readonly<XtTarget<'CONNMARK'>> = {
  type: 'target',
  name: 'CONNMARK',
  revision: 2,
  family: NFPROTO_IPV4,
  usesConntrack: () => true,
  /** connmark_tg_shift() with no shift */
  target(p, t) {
    const { ct } = nf_ct_get(p.skb);
    if (!ct) return XT_CONTINUE;
    const before = ct.mark;
    if (t.mode === XT_CONNMARK_SET) ct.mark = ((ct.mark & ~t.ctmask) ^ t.ctmark) >>> 0;
    else if (t.mode === XT_CONNMARK_SAVE) ct.mark = ((ct.mark & ~t.ctmask) ^ (p.skb.mark & t.nfmask)) >>> 0;
    else p.skb.mark = ((p.skb.mark & ~t.nfmask) ^ (ct.mark & t.ctmask)) >>> 0;
    if (ct.mark !== before) nf_conntrack_event_cache(IPCT_MARK, ct);
    return XT_CONTINUE;
  },
};
