// ip/ipnetns.c: `ip netns list|add|delete|exec|identify|set|list-id|pids`.
// /run/netns/NAME is world.netns; the ids are the kernel's (RTM_*NSID, nsid.ts).
import type { Proc } from '../../../sim/sched.ts';
import type { Net } from '../../../kernel/net_namespace.ts';
import { put_net } from '../../../kernel/uapi/net_namespace.ts';
import { getInteger, type Ip, IpExit, matches } from './common.ts';
import { netnsidDump, netnsidOf, netnsidSet, netnsNames } from './nsid.ts';
import { NETNS_USAGE } from './usage.ts';
import { isUnsimulatedProgram, unsimulatedMessage } from '../../textutils/unsimulated.ts';

const NAME_MAX = 255;

function invalidName(name: string): boolean {
  return name === '' || name.length > NAME_MAX || name.includes('/') || name === '.' || name === '..';
}

function usage(ip: Ip): never {
  ip.err(NETNS_USAGE);
  throw new IpExit(255);
}

function list(ip: Ip): number {
  for (const name of netnsNames(ip.ctx.world)) {
    const net = ip.ctx.world.netns.get(name) as Net;
    const id = netnsidOf(ip.net, net);
    ip.out(id >= 0 ? `${name} (id: ${id})\n` : `${name}\n`);
  }
  return 0;
}

/** netns_list_id(): RTM_GETNSID dump, each id with the name get_name_from_nsid() finds. */
function listId(ip: Ip): number {
  const world = ip.ctx.world;
  for (const id of netnsidDump(ip.net)) {
    const name = netnsNames(world).find((n) => netnsidOf(ip.net, world.netns.get(n) as Net) === id);
    ip.out(name !== undefined ? `nsid ${id} (iproute2 netns name: ${name})\n` : `nsid ${id} \n`);
  }
  return 0;
}

function add(ip: Ip, argv: readonly string[]): number {
  const name = argv[0];
  if (name === undefined) {
    ip.err('No netns name specified\n');
    return 1;
  }
  if (ip.ctx.world.netns.has(name)) {
    ip.err(`Cannot create namespace file "/run/netns/${name}": File exists\n`);
    return 1;
  }
  ip.ctx.world.createNet(name);
  return 0;
}

/** The name goes; the namespace dies with its last name (no process holds one here). */
function removeName(ip: Ip, name: string): number {
  const world = ip.ctx.world;
  const net = world.netns.get(name);
  if (!net) {
    ip.err(`Cannot remove namespace file "/run/netns/${name}": No such file or directory\n`);
    return 1;
  }
  world.netns.delete(name);
  if (![...world.netns.values()].includes(net)) put_net(net);
  return 0;
}

function del(ip: Ip, argv: readonly string[]): number {
  if (ip.opts.all) {
    for (const name of netnsNames(ip.ctx.world)) if (removeName(ip, name)) return 1;
    return 0;
  }
  const name = argv[0];
  if (name === undefined) {
    ip.err('No netns name specified\n');
    return 1;
  }
  return removeName(ip, name);
}

function identify(ip: Ip, argv: readonly string[]): number {
  if (argv.length > 1) {
    ip.err('extra arguments specified\n');
    return 1;
  }
  if (argv.length === 1) {
    const pid = argv[0] as string;
    if (!/^\d+$/.test(pid)) {
      ip.err(`Specified string '${pid}' is not a pid\n`);
      return 1;
    }
    ip.err('Cannot open network namespace: Permission denied\n');
    return 1;
  }
  const world = ip.ctx.world;
  const name = netnsNames(world).find((n) => world.netns.get(n) === ip.net) ?? '';
  ip.out(`${name}\n`);
  return 0;
}

/** netns_set(): RTM_NEWNSID in the current namespace. */
function set(ip: Ip, argv: readonly string[]): number {
  const [name, idArg] = argv;
  if (name === undefined) {
    ip.err('No netns name specified\n');
    return 1;
  }
  if (idArg === undefined) {
    ip.err('No nsid specified\n');
    return 1;
  }
  let nsid = -1;
  if (idArg !== 'auto') {
    const n = getInteger(idArg);
    if (n === null) ip.invarg('Invalid "netnsid" value', idArg);
    if (n < 0) ip.invarg('"netnsid" value should be >= 0', idArg);
    nsid = n;
  }
  const peer = ip.ctx.world.netns.get(name);
  if (!peer) {
    ip.err(`Cannot open network namespace "${name}": No such file or directory\n`);
    return 1;
  }
  const r = netnsidSet(ip.net, peer, nsid);
  if (r.error) return ip.rtnlError(-r.error, r.extack);
  return 0;
}

/** netns_exec(): the command replaces ip in that namespace. */
function* exec(ip: Ip, argv: readonly string[]): Proc {
  const world = ip.ctx.world;
  if (ip.opts.all) {
    if (argv.length < 1) {
      ip.err('No command specified\n');
      return 1;
    }
    for (const name of netnsNames(world)) {
      ip.out(`\nnetns: ${name}\n`);
      ip.flush();
      const child = ip.ctx.exec(argv, { net: world.netns.get(name) as Net });
      if (!child) {
        execFailed(ip, argv[0] as string);
        continue;
      }
      yield* child;
    }
    return 0;
  }
  const name = argv[0];
  if (name === undefined) {
    ip.err('No netns name specified\n');
    return 1;
  }
  if (argv.length < 2) {
    ip.err('No command specified\n');
    return 1;
  }
  const net = world.netns.get(name);
  if (!net) {
    ip.err(`Cannot open network namespace "${name}": No such file or directory\n`);
    return 255;
  }
  ip.flush();
  const child = ip.ctx.exec(argv.slice(1), { net });
  if (!child) return execFailed(ip, argv[1] as string);
  return yield* child;
}

/** execvp failed: a Linux program skbpath lacks says so (127), any other name as ip says it (1). */
function execFailed(ip: Ip, cmd: string): number {
  const base = /^\/(?:usr\/)?s?bin\/([^/]+)$/.exec(cmd)?.[1] ?? cmd;
  if (isUnsimulatedProgram(base)) {
    ip.err(unsimulatedMessage(base));
    return 127;
  }
  ip.err(`exec of "${cmd}" failed: No such file or directory\n`);
  return 1;
}

/** do_netns(): a number, or the program `ip netns exec` becomes. */
export function doNetns(ip: Ip, argv: readonly string[]): number | Proc {
  const sub = argv[0];
  if (sub === undefined) return list(ip);
  const arg1 = argv[1];
  if (!ip.opts.all && arg1 !== undefined && invalidName(arg1)) ip.fail(`Invalid netns name "${arg1}"`, 255);
  const rest = argv.slice(1);
  if (matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) return list(ip);
  if (matches(sub, 'list-id')) return listId(ip);
  if (matches(sub, 'help')) usage(ip);
  if (matches(sub, 'add')) return add(ip, rest);
  if (matches(sub, 'set')) return set(ip, rest);
  if (matches(sub, 'delete')) return del(ip, rest);
  if (matches(sub, 'identify')) return identify(ip, rest);
  if (matches(sub, 'pids')) return 0;
  if (matches(sub, 'exec')) return exec(ip, rest);
  if (matches(sub, 'monitor') || matches(sub, 'attach')) {
    ip.err(`skbpath: ip netns ${sub} is not simulated\n`);
    return 1;
  }
  return ip.fail(`Command "${sub}" is unknown, try "ip netns help".`, 255);
}
