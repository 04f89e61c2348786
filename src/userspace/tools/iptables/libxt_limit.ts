// libxt_limit: --limit RATE[/second|minute|hour|day], --limit-burst N.
import { XT_LIMIT_SCALE } from '../../../kernel/uapi/x_tables.ts';
import { paramProblem } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

const RATES: [string, number][] = [
  ['day', XT_LIMIT_SCALE * 24 * 60 * 60],
  ['hour', XT_LIMIT_SCALE * 60 * 60],
  ['min', XT_LIMIT_SCALE * 60],
  ['sec', XT_LIMIT_SCALE],
];

function parseRate(s: string): number {
  const m = /^(\d+)(?:\/(.*))?$/.exec(s);
  if (!m) throw paramProblem(`bad rate "${s}"'`);
  const r = Number(m[1]);
  let mult = XT_LIMIT_SCALE;
  const unit = m[2];
  if (unit !== undefined) {
    if ('second'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE;
    else if ('minute'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE * 60;
    else if ('hour'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE * 3600;
    else if ('day'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE * 86400;
    else throw paramProblem(`bad rate "${s}"'`);
  }
  if (!r) throw paramProblem(`bad rate "${s}"'`);
  return Math.floor(mult / r);
}

function rateStr(period: number): string {
  let i = 1;
  for (; i < RATES.length; i++) {
    const mult = (RATES[i] as [string, number])[1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = RATES[i - 1] as [string, number];
  return `${Math.floor(mult / period)}/${name}`;
}

export const libxt_limit: MatchExt<'limit'> = {
  type: 'match',
  name: 'limit',
  opts: [
    { name: 'limit', has_arg: 1 },
    { name: 'limit-burst', has_arg: 1 },
  ],
  init: () => ({ name: 'limit', avg: (XT_LIMIT_SCALE * 3600) / 3, burst: 5, state: null }),
  parse(opt, m, ctx) {
    if (opt === 'limit') m.avg = parseRate(ctx.arg);
    else m.burst = Number(ctx.arg);
  },
  print: (m) => ` limit: avg ${rateStr(m.avg)} burst ${m.burst}`,
  save: (m) => ` --limit ${rateStr(m.avg)}${m.burst !== 5 ? ` --limit-burst ${m.burst}` : ''}`,
};
