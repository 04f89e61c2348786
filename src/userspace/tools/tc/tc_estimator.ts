// tc/m_estimator.c and tc/tc_estimator.c: `estimator INTERVAL TIME-CONST`.
import type { TcEstimator } from '../../../kernel/uapi/rtnetlink_tc.ts';
import { type Tc, TIME_UNITS_PER_SEC, get_time, matches } from './tc_util.ts';

function est_help(tc: Tc): void {
  tc.err(
    'Usage: ... estimator INTERVAL TIME-CONST\n' +
      '  INTERVAL is interval between measurements\n' +
      '  TIME-CONST is averaging time constant\n' +
      'Example: ... est 1sec 8sec\n',
  );
}

/** tc_setup_estimator(): interval as log2(seconds)+2 … and ewma_log; null when out of range. */
export function tc_setup_estimator(A: number, time_const: number): TcEstimator | null {
  let interval = 0;
  for (; interval <= 5; interval++) if (A <= (1 << interval) * (TIME_UNITS_PER_SEC / 4)) break;
  if (interval > 5) return null;
  interval -= 2;
  let ewma_log = 1;
  for (; ewma_log < 32; ewma_log++) {
    const w = 1.0 - 1.0 / 2 ** ewma_log;
    if (A / -Math.log(w) > time_const) break;
  }
  ewma_log--;
  if (ewma_log === 0 || ewma_log >= 31) return null;
  return { interval, ewma_log };
}

/** parse_estimator(): argv[i] is "estimator"; returns the estimator and the index of its last word. */
export function parse_estimator(
  tc: Tc,
  argv: readonly string[],
  i: number,
  prev: TcEstimator | null,
): { est: TcEstimator; i: number } | null {
  const next = (): string => {
    i++;
    if (i >= argv.length) tc.incomplete();
    return argv[i] as string;
  };
  let v = next();
  if (prev?.ewma_log) tc.duparg('estimator', v);
  if (matches(v, 'help')) est_help(tc);
  const A = get_time(v);
  if (A === null) tc.invarg('estimator', 'invalid estimator interval');
  v = next();
  if (matches(v, 'help')) est_help(tc);
  const tcst = get_time(v);
  if (tcst === null) tc.invarg('estimator', 'invalid estimator time constant');
  const est = tc_setup_estimator(A, tcst);
  if (!est) {
    tc.err('Error: estimator parameters are out of range.\n');
    return null;
  }
  if (tc.opts.raw) tc.err(`[estimator i=${est.interval} e=${est.ewma_log}]\n`);
  return { est, i };
}
