// util-linux dmesg: reads the kernel log from /dev/kmsg (src/kernel/uapi/
// syslog.ts; one buffer shared by every namespace) and clears it with
// syslog(SYSLOG_ACTION_CLEAR). Options by getopt_long as util-linux has them.
import { do_syslog, devkmsg_read_all, SYSLOG_ACTION_CLEAR } from '../../kernel/uapi/syslog.ts';
import type { Proc } from '../../sim/sched.ts';
import { Getopt, type LongOption } from '../getopt.ts';
import type { Command, ProcCtx } from '../proc.ts';

const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const TRY = "Try 'dmesg --help' for more information.\n";

/** [%5ld.%06ld] of the time since boot. */
function stamp(us: number): string {
  return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}]`;
}

const OPT_SINCE = 1000;
const OPT_UNTIL = 1001;
const OPT_NOESC = 1002;
const OPT_TIME_FORMAT = 1003;

/** util-linux dmesg's longopts[]. */
const LONGOPTS: LongOption[] = [
  { name: 'buffer-size', has_arg: 1, val: 's' },
  { name: 'clear', has_arg: 0, val: 'C' },
  { name: 'color', has_arg: 2, val: 'L' },
  { name: 'console-level', has_arg: 1, val: 'n' },
  { name: 'console-off', has_arg: 0, val: 'D' },
  { name: 'console-on', has_arg: 0, val: 'E' },
  { name: 'decode', has_arg: 0, val: 'x' },
  { name: 'file', has_arg: 1, val: 'F' },
  { name: 'facility', has_arg: 1, val: 'f' },
  { name: 'follow', has_arg: 0, val: 'w' },
  { name: 'follow-new', has_arg: 0, val: 'W' },
  { name: 'human', has_arg: 0, val: 'H' },
  { name: 'help', has_arg: 0, val: 'h' },
  { name: 'kernel', has_arg: 0, val: 'k' },
  { name: 'level', has_arg: 1, val: 'l' },
  { name: 'since', has_arg: 1, val: OPT_SINCE },
  { name: 'syslog', has_arg: 0, val: 'S' },
  { name: 'raw', has_arg: 0, val: 'r' },
  { name: 'read-clear', has_arg: 0, val: 'c' },
  { name: 'reltime', has_arg: 0, val: 'e' },
  { name: 'show-delta', has_arg: 0, val: 'd' },
  { name: 'ctime', has_arg: 0, val: 'T' },
  { name: 'noescape', has_arg: 0, val: OPT_NOESC },
  { name: 'notime', has_arg: 0, val: 't' },
  { name: 'nopager', has_arg: 0, val: 'P' },
  { name: 'until', has_arg: 1, val: OPT_UNTIL },
  { name: 'userspace', has_arg: 0, val: 'u' },
  { name: 'version', has_arg: 0, val: 'V' },
  { name: 'time-format', has_arg: 1, val: OPT_TIME_FORMAT },
  { name: 'json', has_arg: 0, val: 'J' },
];

/** A /dev/kmsg record: "<prio>,<seq>,<usec>,<flags>;<text>". */
function parseRecord(line: string): { level: number; facility: number; us: number; text: string } | null {
  const m = /^(\d+),(\d+),(\d+),[^;]*;(.*)$/s.exec(line.endsWith('\n') ? line.slice(0, -1) : line);
  if (!m) return null;
  const prio = Number(m[1]);
  return { level: prio & 7, facility: prio >> 3, us: Number(m[3]), text: m[4] as string };
}

function* dmesg(ctx: ProcCtx): Proc {
  let clearAfter = false;
  let clearOnly = false;
  let noTime = false;
  let raw = false;
  let decode = false;
  let levels: Set<number> | null = null;
  const g = new Getopt(ctx.argv, 'CcDdEeF:f:HhJkL::l:n:iPprSs:TtuVWwx', LONGOPTS, (m) => ctx.stderr.write(m));
  for (;;) {
    const c = g.next();
    if (c === -1) break;
    switch (c) {
      case 'C':
        clearOnly = true;
        break;
      case 'c':
        clearAfter = true;
        break;
      case 't':
        noTime = true;
        break;
      case 'r':
        raw = true;
        break;
      case 'x':
        decode = true;
        break;
      case 'k':
      case 'P':
        break;
      case 'l':
        levels = new Set();
        for (const name of (g.optarg as string).split(',')) {
          const i = LEVELS.indexOf(name);
          if (i < 0) {
            ctx.stderr.write(`dmesg: unknown level '${name}'\n`);
            return 1;
          }
          levels.add(i);
        }
        break;
      case '?':
        ctx.stderr.write(TRY);
        return 1;
      default:
        ctx.stderr.write(`skbpath: dmesg: ${g.longindex >= 0 ? `--${LONGOPTS[g.longindex]?.name}` : `-${String(c)}`} is not simulated\n`);
        return 1;
    }
  }
  if (g.operands().length) {
    ctx.stderr.write(`dmesg: bad usage\n${TRY}`);
    return 1;
  }
  if (clearOnly) {
    do_syslog(ctx.net, SYSLOG_ACTION_CLEAR);
    return 0;
  }
  let out = '';
  for (const line of devkmsg_read_all(ctx.net)) {
    const r = parseRecord(line);
    if (!r) continue;
    if (levels && !levels.has(r.level)) continue;
    const ts = noTime ? '' : `${stamp(r.us)} `;
    if (raw) out += `<${(r.facility << 3) | r.level}>${ts}${r.text}\n`;
    else if (decode) out += `kern  :${(LEVELS[r.level] as string).padEnd(6)}: ${ts}${r.text}\n`;
    else out += `${ts}${r.text}\n`;
  }
  ctx.stdout.write(out);
  if (clearAfter) do_syslog(ctx.net, SYSLOG_ACTION_CLEAR);
  return 0;
}

export function registerDmesg(commands: Map<string, Command>): void {
  commands.set('dmesg', dmesg);
}
