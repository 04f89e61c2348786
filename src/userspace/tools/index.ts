// Every program a scenario can call, on the simulated $PATH.
import { registerCoreutils } from '../coreutils.ts';
import type { Command } from '../proc.ts';
import type { Wait } from '../../sim/sched.ts';
import { InternalError, stopsRun } from '../../sim/errors.ts';
import { MemoryBudget } from '../../sim/memory.ts';
import { registerArping } from './arping.ts';
import { registerBridge } from './bridge.ts';
import { registerConntrack } from './conntrack.ts';
import { registerDmesg } from './dmesg.ts';
import { registerIp } from './ip.ts';
import { registerTc } from './tc/tc.ts';
import { registerIptables } from './iptables/index.ts';
import { registerNft } from './nft/index.ts';
import { rulesetJson } from './nft/json.ts';
import { nftMonitor } from './nft/monitor.ts';
import { registerNc } from './nc.ts';
import { registerSocat } from './socat.ts';
import { registerNstat } from './nstat.ts';
import { registerSs } from './ss.ts';
import { registerPing } from './ping.ts';
import { registerSysctl } from './sysctl.ts';
import { registerTcpdump } from './tcpdump.ts';
import { registerTraceroute } from './traceroute.ts';
import { registerTcpreplay } from './tcpreplay.ts';
import { registerSkbpathNic } from './skbpath_nic.ts';
import { registerEthtool } from './ethtool.ts';
import { registerTaskset } from './taskset.ts';
import { registerTextutils } from '../textutils/index.ts';

/**
 * Runs a program with its name as the task's comm while it is on the CPU
 * (execve sets comm). An exception the program did not mean to raise is an
 * internal error of skbpath, reported as the program's: it ends the run (exit
 * 70) and is never mistaken for an exit status. Budgets pass through as they are.
 */
function withComm(name: string, cmd: Command): Command {
  return function* (ctx) {
    const gen = cmd(ctx);
    const sched = ctx.world.sim.sched;
    let v: unknown;
    let done = false;
    let threw = false;
    try {
      for (;;) {
        const t = sched.current;
        const prev = t?.comm;
        if (t) t.comm = name;
        let r: IteratorResult<Wait, number>;
        try {
          r = gen.next(v);
        } catch (e) {
          threw = true;
          throw asRunStop(name, e);
        } finally {
          if (t && prev !== undefined) t.comm = prev;
        }
        if (r.done) {
          done = true;
          return r.value;
        }
        // the innermost program is what the task waits in (a deadlock report names it)
        if (t && !t.program) t.program = name;
        v = yield r.value;
      }
    } finally {
      // killed while suspended: the program's own cleanups (finally blocks) run
      // too, and a program that handles the signal ends with its own status
      if (!done && !threw) {
        let r: IteratorResult<Wait, number>;
        try {
          r = gen.return(sched.killStatus);
        } catch (e) {
          // biome-ignore lint/correctness/noUnsafeFinally: a cleanup's exception is the program's internal error
          throw asRunStop(name, e);
        }
        // biome-ignore lint/correctness/noUnsafeFinally: a program that handles the signal ends with its own status
        if (r.done) return r.value;
      }
    }
  };
}

/** What a program's exception becomes: budgets and engine limits stay as they are, the rest is an internal error. */
function asRunStop(name: string, e: unknown): unknown {
  if (stopsRun(e) || MemoryBudget.isEngineLimit(e)) return e;
  return new InternalError(name, e);
}

export function registerAll(commands: Map<string, Command>): void {
  registerCoreutils(commands);
  registerTextutils(commands);
  registerIp(commands);
  registerTc(commands);
  registerBridge(commands);
  registerPing(commands);
  registerArping(commands);
  registerSysctl(commands);
  registerNstat(commands);
  registerTraceroute(commands);
  registerTcpdump(commands);
  registerTcpreplay(commands);
  registerNc(commands);
  registerSocat(commands);
  registerSs(commands);
  registerIptables(commands);
  registerNft(commands, { json: rulesetJson, monitor: nftMonitor });
  registerConntrack(commands);
  registerDmesg(commands);
  registerSkbpathNic(commands);
  registerEthtool(commands);
  registerTaskset(commands);
  // keep this last: every program runs under its own name
  for (const [name, cmd] of [...commands]) commands.set(name, withComm(name, cmd));
}
