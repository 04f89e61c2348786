// libxt_state: --state (xt_state's bits: UNTRACKED is 1 << 4 there).
import { IptError, PROG, parseStates, stateNames, TRY } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

const STATE_STATES: [string, number][] = [
  ['INVALID', 1 << 0],
  ['NEW', 1 << 3],
  ['RELATED', 1 << 2],
  ['ESTABLISHED', 1 << 1],
  ['UNTRACKED', 1 << 4],
];

export const libxt_state: MatchExt<'state'> = {
  type: 'match',
  name: 'state',
  opts: [{ name: 'state', has_arg: 1 }],
  init: () => ({ name: 'state', statemask: 0, invert: false }),
  parse(_opt, m, ctx) {
    m.statemask = parseStates(ctx.arg, STATE_STATES, 'state');
    m.invert = ctx.invert;
  },
  finalCheck(m) {
    if (m.statemask === 0) throw new IptError(`${PROG}: state: option "--state" must be specified\n\n${TRY}`, 2);
  },
  print: (m) => `${m.invert ? ' !' : ''} state ${stateNames(m.statemask, STATE_STATES)}`,
  save: (m) => `${m.invert ? ' !' : ''} --state ${stateNames(m.statemask, STATE_STATES)}`,
};
