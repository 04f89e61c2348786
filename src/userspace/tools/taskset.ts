// util-linux taskset: run a command on a set of CPUs (sched_setaffinity).
// `taskset [-c] MASK|LIST COMMAND [ARG]...`; the simulated scheduler never
// migrates a task, so the command runs on the lowest online CPU of the set
// (its socket sends, its netif_rx and the softirqs it raises are that CPU's).
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { Getopt, no_argument, type LongOption } from '../getopt.ts';
import { nr_cpu_ids, sched_getaffinity, sched_self, sched_setaffinity, task_pid } from '../../kernel/uapi/sched.ts';

const TRY = "Try 'taskset --help' for more information.\n";

/** cpulist_parse(): "0-3,5,8-15:2"; CPUs past the set size are ignored (taskset asks fail=0). */
function cpulist_parse(s: string): number[] | null {
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    const stride = m[3] !== undefined ? Number(m[3]) : 1;
    if (b < a || stride < 1) return null;
    for (let c = a; c <= b && c < 8192; c += stride) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

/** cpumask_parse(): hex digits (0x optional; commas between 32-bit words allowed), lowest bit CPU 0. */
function cpumask_parse(s: string): number[] | null {
  const hex = s.replace(/^0[xX]/, '').replace(/,/g, '');
  if (!/^[0-9a-fA-F]+$/.test(hex)) return null;
  const out: number[] = [];
  for (let i = 0; i < hex.length; i++) {
    const v = parseInt(hex[hex.length - 1 - i] as string, 16);
    for (let b = 0; b < 4; b++) if (v & (1 << b)) out.push(i * 4 + b);
  }
  return out;
}

const LONGOPTS: readonly LongOption[] = [
  { name: 'all-tasks', has_arg: no_argument, val: 'a' },
  { name: 'pid', has_arg: no_argument, val: 'p' },
  { name: 'cpu-list', has_arg: no_argument, val: 'c' },
  { name: 'help', has_arg: no_argument, val: 'h' },
  { name: 'version', has_arg: no_argument, val: 'V' },
];

function* taskset(ctx: ProcCtx): Proc {
  let list = false;
  const bad = (msg: string): number => {
    ctx.stderr.write(`taskset: ${msg}\n${TRY}`);
    return 1;
  };
  // getopt_long(argc, argv, "+apchV", ...): options stop at the first operand
  const g = new Getopt(['taskset', ...ctx.argv.slice(1)], '+apchV', LONGOPTS, (m) => ctx.stderr.write(m));
  for (let c = g.next(); c !== -1; c = g.next()) {
    if (c === 'c') list = true;
    else if (c === 'p' || c === 'a') {
      const given = g.longindex >= 0 ? `--${LONGOPTS[g.longindex]?.name}` : `-${c}`;
      ctx.stderr.write(`skbpath: taskset: ${given} is not simulated (only taskset [-c] MASK COMMAND)\n`);
      return 1;
    } else if (c === 'h' || c === 'V') {
      ctx.stderr.write(`skbpath: taskset: -${c} is not simulated (only taskset [-c] MASK COMMAND)\n`);
      return 1;
    } else {
      // errtryhelp(): getopt printed what was wrong
      ctx.stderr.write(TRY);
      return 1;
    }
  }
  const [spec, ...argv] = g.operands();
  if (spec === undefined || argv.length === 0) return bad('bad usage');
  const want = list ? cpulist_parse(spec) : cpumask_parse(spec);
  if (!want) {
    ctx.stderr.write(`taskset: failed to parse CPU ${list ? 'list' : 'mask'}: ${spec}\n`);
    return 1;
  }
  const self = sched_self(ctx.net);
  // sched_setaffinity(): the set must hold an online CPU
  const online = want.filter((c) => c < nr_cpu_ids(ctx.net));
  if (!online.length) {
    ctx.stderr.write(`taskset: failed to set pid ${self ? task_pid(self) : 0}'s affinity: Invalid argument\n`);
    return 1;
  }
  const child = ctx.exec(argv);
  if (!child) {
    ctx.stderr.write(`taskset: failed to execute ${argv[0]}: No such file or directory\n`);
    return 127;
  }
  // execvp(): the command is this process, now on its CPU
  const prev = self ? sched_getaffinity(self) : [0];
  if (self) sched_setaffinity(ctx.net, self, online);
  try {
    return yield* child;
  } finally {
    if (self) sched_setaffinity(ctx.net, self, prev);
  }
}

export function registerTaskset(commands: Map<string, Command>): void {
  commands.set('taskset', taskset);
}
