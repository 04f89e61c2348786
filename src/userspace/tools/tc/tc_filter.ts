// tc/tc_filter.c, tc/m_action.c: `tc filter|chain|actions`. The classifiers
// and actions register in modules.ts (FILTER_UTILS, ACTION_UTILS); until one
// is there these objects say they are not simulated.
import type { Tc } from './tc_util.ts';

/** do_filter() */
export function do_filter(tc: Tc, _argv: readonly string[]): number {
  tc.err('skbpath: tc filter is not simulated yet\n');
  return 1;
}

/** do_chain() */
export function do_chain(tc: Tc, _argv: readonly string[]): number {
  tc.err('skbpath: tc chain is not simulated yet\n');
  return 1;
}

/** do_action() */
export function do_action(tc: Tc, _argv: readonly string[]): number {
  tc.err('skbpath: tc actions is not simulated yet\n');
  return 1;
}
