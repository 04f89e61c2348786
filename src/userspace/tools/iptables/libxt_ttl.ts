// libipt_ttl: --ttl-eq, --ttl-lt, --ttl-gt (! --ttl-eq is "not equal").
import type { MatchExt } from './xtables.ts';

export const libxt_ttl: MatchExt<'ttl'> = {
  type: 'match',
  name: 'ttl',
  // ttl_opts[] order: the "together" check walks it
  opts: [
    { name: 'ttl-lt', has_arg: 1, excl: ['ttl-gt', 'ttl-eq'] },
    { name: 'ttl-gt', has_arg: 1, excl: ['ttl-lt', 'ttl-eq'] },
    { name: 'ttl-eq', has_arg: 1, excl: ['ttl-lt', 'ttl-gt'] },
  ],
  init: () => ({ name: 'ttl', mode: 'eq', ttl: 0 }),
  parse(opt, m, ctx) {
    m.mode = opt === 'ttl-eq' ? (ctx.invert ? 'ne' : 'eq') : opt === 'ttl-lt' ? 'lt' : 'gt';
    m.ttl = Number(ctx.arg);
  },
  print: (m) => ` TTL match TTL ${{ eq: '==', ne: '!=', lt: '<', gt: '>' }[m.mode]} ${m.ttl}`,
  save: (m) => (m.mode === 'ne' ? ` ! --ttl-eq ${m.ttl}` : ` --ttl-${m.mode} ${m.ttl}`),
};
