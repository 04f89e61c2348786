// net/netfilter/xt_comment.c: matches everything, carries text.
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { XtMatch } from './x_tables.ts';

export const comment_mt: Readonly<XtMatch<'comment'>> = {
  type: 'match',
  name: 'comment',
  revision: 0,
  family: NFPROTO_IPV4,
  match: () => true,
};
