// iproute2's `ip` (6.1.0, as Debian 12 ships it): ip/ip.c's option parsing and
// object dispatch. The objects live in ./ip/: link, address, route, rule,
// neigh, netns. Output, messages and exit codes are the real tool's; JSON, colour,
// batch mode and IPv6 are not simulated.
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { doIpaddr } from './ip/addr.ts';
import { AF_INET, AF_INET6, AF_PACKET, AF_UNSPEC, Ip, IpExit, type IpOptions, matches } from './ip/common.ts';
import { doIplink } from './ip/link.ts';
import { doIpneigh } from './ip/neigh.ts';
import { doNetns } from './ip/netns.ts';
import { doIproute } from './ip/route.ts';
import { doIprule } from './ip/rule.ts';
import { doIptuntap } from './ip/iptuntap.ts';
import { IP_USAGE } from './ip/usage.ts';

const VERSION = 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n';

type ObjFn = (ip: Ip, argv: readonly string[]) => number | Proc;

/** cmds[] of ip.c, in its order: the first object a word abbreviates wins. */
const OBJECTS: [string, ObjFn | null][] = [
  ['address', doIpaddr],
  ['addrlabel', null],
  ['maddress', null],
  ['route', doIproute],
  ['rule', doIprule],
  ['neighbor', doIpneigh],
  ['neighbour', doIpneigh],
  ['ntable', null],
  ['ntbl', null],
  ['link', doIplink],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', doIptuntap],
  ['tap', doIptuntap],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', null],
  ['mrule', null],
  ['netns', doNetns],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['help', null],
  ['stats', null],
];

function usage(ip: Ip): never {
  ip.err(IP_USAGE);
  throw new IpExit(255);
}

function readFamily(name: string): number {
  if (name === 'inet') return AF_INET;
  if (name === 'inet6') return AF_INET6;
  if (name === 'link') return AF_PACKET;
  return AF_UNSPEC;
}

/** main() of ip.c: the options, then the object. */
function main(ctx: ProcCtx, ip: Ip): number | Proc {
  const argv = ctx.argv;
  const o = ip.opts;
  let i = 1;
  for (; i < argv.length; i++) {
    let opt = argv[i] as string;
    if (opt === '--') {
      i++;
      break;
    }
    if (opt[0] !== '-') break;
    if (opt[1] === '-') opt = opt.slice(1);
    const needArg = (): string => {
      i++;
      if (i >= argv.length) usage(ip);
      return argv[i] as string;
    };
    if (matches(opt, '-loops')) {
      o.loops = Number.parseInt(needArg(), 10) || 0;
    } else if (matches(opt, '-family')) {
      const v = needArg();
      if (v === 'help') usage(ip);
      o.family = readFamily(v);
      if (o.family === AF_UNSPEC) ip.invarg('invalid protocol family', v);
    } else if (opt === '-4') {
      o.family = AF_INET;
    } else if (opt === '-6') {
      o.family = AF_INET6;
    } else if (opt === '-0') {
      o.family = AF_PACKET;
    } else if (opt === '-M' || opt === '-B') {
      o.family = opt === '-M' ? 28 : 7;
    } else if (matches(opt, '-human') || matches(opt, '-human-readable')) {
      o.human = true;
    } else if (matches(opt, '-iec')) {
      ip.fail('skbpath: ip: -iec is not simulated', 255);
    } else if (matches(opt, '-stats') || matches(opt, '-statistics')) {
      o.stats++;
    } else if (matches(opt, '-details')) {
      o.details++;
    } else if (matches(opt, '-resolve')) {
      // no names to resolve in the simulation: addresses print as numbers
    } else if (matches(opt, '-oneline')) {
      o.oneline = true;
    } else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) {
      // only `ip monitor` prints timestamps
    } else if (matches(opt, '-Version')) {
      ip.out(VERSION);
      return 0;
    } else if (matches(opt, '-force')) {
      // only batch mode reads it
    } else if (matches(opt, '-batch')) {
      needArg();
      ip.fail('skbpath: ip: batch mode is not simulated', 255);
    } else if (matches(opt, '-brief')) {
      o.brief = true;
    } else if (matches(opt, '-json') || matches(opt, '-pretty')) {
      ip.fail('skbpath: ip: JSON output is not simulated', 255);
    } else if (matches(opt, '-rcvbuf')) {
      const v = needArg();
      if (!/^\d+$/.test(v)) ip.fail(`Invalid rcvbuf size '${v}'`, 255);
    } else if (isColor(opt)) {
      // colour is not simulated: output stays plain
    } else if (matches(opt, '-help')) {
      usage(ip);
    } else if (matches(opt, '-netns')) {
      i++;
      const name = argv[i] ?? '(null)';
      const net = ctx.world.netns.get(name);
      if (!net) ip.fail(`Cannot open network namespace "${name}": No such file or directory`, 255);
      ip.net = net;
    } else if (matches(opt, '-Numeric')) {
      o.numeric = true;
    } else if (matches(opt, '-all')) {
      o.all = true;
    } else if (opt === '-echo') {
      ip.fail('skbpath: ip: -echo is not simulated', 255);
    } else {
      ip.fail(`Option "${opt}" is unknown, try "ip -help".`, 255);
    }
  }
  const obj = argv[i];
  if (obj === undefined) usage(ip);
  for (const [name, fn] of OBJECTS) {
    if (!matches(obj, name)) continue;
    if (name === 'help') usage(ip);
    if (!fn) {
      ip.err(`skbpath: ip ${name} is not simulated\n`);
      return 1;
    }
    return fn(ip, argv.slice(i + 1));
  }
  ip.err(`Object "${obj}" is unknown, try "ip help".\n`);
  return 1;
}

/** matches_color(): -c, -color, -color=always|auto|never */
function isColor(opt: string): boolean {
  const eq = opt.indexOf('=');
  const key = eq >= 0 ? opt.slice(0, eq) : opt;
  const val = eq >= 0 ? opt.slice(eq + 1) : '';
  if (!matches(key, '-color')) return false;
  return val === '' || val === 'always' || val === 'auto' || val === 'never';
}

function* ipCommand(ctx: ProcCtx): Proc {
  const opts: IpOptions = {
    family: AF_UNSPEC,
    stats: 0,
    details: 0,
    oneline: false,
    brief: false,
    numeric: false,
    human: false,
    all: false,
    loops: 10,
  };
  const ip = new Ip(ctx, ctx.net, opts);
  try {
    const r = main(ctx, ip);
    if (typeof r === 'number') return r;
    return yield* r;
  } catch (e) {
    if (e instanceof IpExit) return e.code;
    throw e;
  } finally {
    ip.flush();
  }
}

export function registerIp(commands: Map<string, Command>): void {
  commands.set('ip', ipCommand);
}
