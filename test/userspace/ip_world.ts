// A world with ip, ping and sysctl on $PATH, and a runner for one command
// line in it: what the ip tests replay their recordings through.
import type { Net } from '../../src/kernel/net_namespace.ts';
import { MemVfs, SimWorld } from '../../src/machine/world.ts';
import type { OutStream, ProcCtx } from '../../src/userspace/proc.ts';
import { registerIp } from '../../src/userspace/tools/ip.ts';
import { registerPing } from '../../src/userspace/tools/ping.ts';
import { registerSysctl } from '../../src/userspace/tools/sysctl.ts';

/** Worlds whose new namespaces get IPv6 switched off, as the recordings had it. */
const IPV6_OFF = new WeakSet<SimWorld>();

/** A world with ip, ping and sysctl on $PATH; `ipv6Off`: every `ip netns add` is followed by disable_ipv6 (all, default). */
export function newWorld(opts: { ipv6Off?: boolean } = {}): SimWorld {
  const w = new SimWorld(new MemVfs());
  if (opts.ipv6Off) IPV6_OFF.add(w);
  registerIp(w.commands);
  registerPing(w.commands);
  registerSysctl(w.commands);
  return w;
}

function ctxFor(w: SimWorld, argv: readonly string[], net: Net, sink: OutStream): ProcCtx {
  return {
    world: w,
    argv,
    stdin: {
      *read() {
        return null;
      },
    },
    stdout: sink,
    stderr: sink,
    net,
    env: new Map(),
    exec(a, o) {
      const p = w.commands.get(a[0] as string);
      return p ? p(ctxFor(w, a, o?.net ?? net, sink)) : null;
    },
  };
}

/** Runs one command line (words split at blanks; a trailing ">/dev/null" drops the output). */
export function sh(w: SimWorld, line: string, net: Net = w.initNet): { out: string; status: number } {
  let out = '';
  const quiet = line.endsWith(' >/dev/null');
  const argv = (quiet ? line.slice(0, -' >/dev/null'.length) : line).split(/\s+/);
  const sink: OutStream = { write: (s) => void (out += s) };
  const cmd = w.commands.get(argv[0] as string);
  if (!cmd) throw new Error(`no ${argv[0]}`);
  const t = w.sim.sched.spawn(argv[0] as string, cmd(ctxFor(w, argv, net, sink)));
  w.sim.runTask(t);
  const added = /^ip netns add (\S+)$/.exec(line);
  if (added && t.exitStatus === 0 && IPV6_OFF.has(w)) {
    const net = w.netns.get(added[1] as string);
    if (net) {
      net.sysctl.write('net.ipv6.conf.all.disable_ipv6', '1');
      net.sysctl.write('net.ipv6.conf.default.disable_ipv6', '1');
    }
  }
  return { out: quiet ? '' : out, status: t.exitStatus };
}
