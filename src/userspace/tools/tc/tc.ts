// iproute2's `tc` (6.1.0, as Debian 12 ships it): tc/tc.c's option parsing
// and object dispatch. The objects live next to it: qdisc (tc_qdisc.ts),
// class (tc_class.ts), filter and chain (tc_filter.ts), actions
// (tc_action.ts). Batch mode, monitor and exec are not simulated.
import type { Proc } from '../../../sim/sched.ts';
import type { Command, ProcCtx } from '../../proc.ts';
import { do_class } from './tc_class.ts';
import { do_action, do_chain, do_filter } from './tc_filter.ts';
import { do_qdisc } from './tc_qdisc.ts';
import { Tc, TcExit, type TcOptions, matches } from './tc_util.ts';

const USAGE =
  'Usage:\ttc [ OPTIONS ] OBJECT { COMMAND | help }\n' +
  '\ttc [-force] -batch filename\n' +
  'where  OBJECT := { qdisc | class | filter | chain |\n' +
  '\t\t    action | monitor | exec }\n' +
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |\n' +
  '\t\t    -o[neline] | -j[son] | -p[retty] | -c[olor]\n' +
  '\t\t    -b[atch] [filename] | -n[etns] name | -N[umeric] |\n' +
  '\t\t     -nm | -nam[es] | { -cf | -conf } path\n' +
  '\t\t     -br[ief] }\n';

/** do_cmd() */
function do_cmd(tc: Tc, argv: readonly string[]): number {
  const obj = argv[0] as string;
  const rest = argv.slice(1);
  if (matches(obj, 'qdisc')) return do_qdisc(tc, rest);
  if (matches(obj, 'class')) return do_class(tc, rest);
  if (matches(obj, 'filter')) return do_filter(tc, rest);
  if (matches(obj, 'chain')) return do_chain(tc, rest);
  if (matches(obj, 'actions')) return do_action(tc, rest);
  if (matches(obj, 'monitor')) {
    tc.err('skbpath: tc monitor is not simulated\n');
    return 1;
  }
  if (matches(obj, 'exec')) {
    tc.err('skbpath: tc exec is not simulated\n');
    return 1;
  }
  if (matches(obj, 'help')) {
    tc.err(USAGE);
    return 0;
  }
  tc.err(`Object "${obj}" is unknown, try "tc help".\n`);
  return -1;
}

/** matches_color(): -c[olor][=always|auto|never] */
function isColor(opt: string): boolean {
  const eq = opt.indexOf('=');
  const key = eq >= 0 ? opt.slice(0, eq) : opt;
  const val = eq >= 0 ? opt.slice(eq + 1) : '';
  if (!matches(key, '-color')) return false;
  return val === '' || val === 'always' || val === 'auto' || val === 'never';
}

/** main() of tc.c */
function main(ctx: ProcCtx, tc: Tc): number {
  const argv = ctx.argv;
  const o = tc.opts;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a[0] !== '-') break;
    if (matches(a, '-stats') || matches(a, '-statistics')) o.stats++;
    else if (matches(a, '-details')) o.details++;
    else if (matches(a, '-raw')) o.raw++;
    else if (matches(a, '-pretty')) o.pretty++;
    else if (matches(a, '-graph')) o.graph = true;
    else if (matches(a, '-Version')) {
      tc.out('tc utility, iproute2-6.1.0, libbpf 1.1.2\n');
      return 0;
    } else if (matches(a, '-iec')) o.iec++;
    else if (matches(a, '-help')) {
      tc.err(USAGE);
      return 0;
    } else if (matches(a, '-force')) o.force++;
    else if (matches(a, '-batch')) {
      tc.err('skbpath: tc: batch mode is not simulated\n');
      return 1;
    } else if (matches(a, '-netns')) {
      i++;
      if (i >= argv.length) tc.incomplete();
      const name = argv[i] as string;
      const net = ctx.world.netns.get(name);
      if (!net) {
        tc.err(`Cannot open network namespace "${name}": No such file or directory\n`);
        return -1;
      }
      tc.net = net;
    } else if (matches(a, '-Numeric')) o.numeric++;
    else if (matches(a, '-names') || matches(a, '-nm')) o.names = true;
    else if (matches(a, '-cf') || matches(a, '-conf')) {
      i++;
      if (i >= argv.length) tc.incomplete();
    } else if (isColor(a)) {
      // colour is not simulated: output stays plain
    } else if (matches(a, '-timestamp') || matches(a, '-tshort')) {
      // only `tc monitor` prints timestamps
    } else if (matches(a, '-json')) o.json++;
    else if (matches(a, '-oneline')) o.oneline++;
    else if (matches(a, '-brief')) o.brief++;
    else {
      tc.err(`Option "${a}" is unknown, try "tc -help".\n`);
      return -1;
    }
  }
  if (i >= argv.length) {
    tc.err(USAGE);
    return 0;
  }
  if (o.names) {
    tc.err('skbpath: tc: class names (-nm) are not simulated\n');
    return -1;
  }
  return do_cmd(tc, argv.slice(i));
}

function* tcCommand(ctx: ProcCtx): Proc {
  const opts: TcOptions = {
    stats: 0,
    details: 0,
    raw: 0,
    pretty: 0,
    graph: false,
    json: 0,
    oneline: 0,
    numeric: 0,
    iec: 0,
    force: 0,
    brief: 0,
    names: false,
  };
  const tc = new Tc(ctx, ctx.net, opts);
  try {
    return main(ctx, tc) & 0xff;
  } catch (e) {
    if (e instanceof TcExit) return e.code & 0xff;
    throw e;
  } finally {
    tc.flush();
  }
}

export function registerTc(commands: Map<string, Command>): void {
  commands.set('tc', tcCommand);
}
