// libxt_LOG: --log-level, --log-prefix and the --log-* switches.
import { paramProblem, saveString } from './xshared.ts';
import type { TargetExt } from './xtables.ts';

/** The names `iptables -L` prints for each level (syslog's short names). */
const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
/** The names --log-level takes (libxt_LOG's table; "err" and "warn" are not among them). */
const LOG_LEVEL_NAMES: Record<string, number> = {
  emerg: 0,
  panic: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
};
/** --log-* switches and their XT_LOG_* bits, in the order iptables prints them. */
const LOG_FLAG_OPTS: Record<string, number> = {
  'log-tcp-sequence': 0x01,
  'log-tcp-options': 0x02,
  'log-ip-options': 0x04,
  'log-uid': 0x08,
  'log-macdecode': 0x20,
};

export const libxt_LOG: TargetExt<'LOG'> = {
  type: 'target',
  name: 'LOG',
  kind: 'LOG',
  opts: [
    { name: 'log-level', has_arg: 1 },
    { name: 'log-prefix', has_arg: 1 },
    ...Object.keys(LOG_FLAG_OPTS).map((name) => ({ name, has_arg: 0 as const })),
  ],
  init: () => ({ kind: 'LOG', prefix: null, level: 4, flags: 0 }),
  parse(opt, t, ctx) {
    if (opt === 'log-prefix') {
      const v = ctx.arg;
      if (v === '') throw paramProblem('Argument must have a minimum length of 1 characters\n');
      if (v.includes('\n')) throw paramProblem('Newlines not allowed in --log-prefix');
      // struct xt_log_info.prefix[30]: longer prefixes are cut
      t.prefix = v.slice(0, 29);
    } else if (opt === 'log-level') {
      const v = ctx.arg;
      const k = LOG_LEVEL_NAMES[v] ?? (/^[0-7]$/.test(v) ? Number(v) : undefined);
      if (k === undefined) throw paramProblem(`log level "${v}" unknown\n`);
      t.level = k;
    } else t.flags |= LOG_FLAG_OPTS[opt] as number;
  },
  print(t, numeric) {
    let s = ' LOG';
    if (numeric) s += ` flags ${t.flags} level ${t.level}`;
    else {
      s += ` level ${LOG_LEVELS[t.level] ?? t.level}`;
      for (const [opt, bit] of Object.entries(LOG_FLAG_OPTS)) if (t.flags & bit) s += ` ${opt.slice(4)}`;
    }
    if (t.prefix !== null) s += ` prefix "${t.prefix}"`;
    return s;
  },
  save: (t) =>
    ` -j LOG${t.prefix !== null ? ` --log-prefix${saveString(t.prefix)}` : ''}${t.level !== 4 ? ` --log-level ${t.level}` : ''}${Object.entries(
      LOG_FLAG_OPTS,
    )
      .filter(([, bit]) => t.flags & bit)
      .map(([opt]) => ` --${opt}`)
      .join('')}`,
};
