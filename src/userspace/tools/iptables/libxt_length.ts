// libxt_length: --length MIN[:MAX].
import type { MatchExt } from './xtables.ts';

export const libxt_length: MatchExt<'length'> = {
  type: 'match',
  name: 'length',
  opts: [{ name: 'length', has_arg: 1 }],
  init: () => ({ name: 'length', min: 0, max: 65535, invert: false }),
  parse(_opt, m, ctx) {
    const [x, y] = ctx.arg.split(':');
    m.min = x ? Number(x) : 0;
    m.max = y === undefined ? m.min : y ? Number(y) : 65535;
    m.invert = ctx.invert;
  },
  print: (m) => ` length ${m.invert ? '!' : ''}${m.min === m.max ? m.min : `${m.min}:${m.max}`}`,
  save: (m) => `${m.invert ? ' !' : ''} --length ${m.min === m.max ? m.min : `${m.min}:${m.max}`}`,
};
