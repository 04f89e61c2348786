// libxt_comment: --comment TEXT.
import { saveString } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

export const libxt_comment: MatchExt<'comment'> = {
  type: 'match',
  name: 'comment',
  opts: [{ name: 'comment', has_arg: 1 }],
  init: () => ({ name: 'comment', comment: '' }),
  parse(_opt, m, ctx) {
    m.comment = ctx.arg;
  },
  print: (m) => ` /* ${m.comment} */`,
  save: (m) => ` --comment${saveString(m.comment)}`,
};
