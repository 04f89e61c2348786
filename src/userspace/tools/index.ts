// Every program a scenario can call, on the simulated $PATH.
import { registerCoreutils } from '../coreutils.ts';
import type { Command } from '../proc.ts';
import { registerBridge } from './bridge.ts';
import { registerIp } from './ip.ts';
import { registerNstat } from './nstat.ts';
import { registerPing } from './ping.ts';
import { registerSysctl } from './sysctl.ts';
import { registerTcpdump } from './tcpdump.ts';
import { registerTraceroute } from './traceroute.ts';

export function registerAll(commands: Map<string, Command>): void {
  registerCoreutils(commands);
  registerIp(commands);
  registerBridge(commands);
  registerPing(commands);
  registerSysctl(commands);
  registerNstat(commands);
  registerTraceroute(commands);
  registerTcpdump(commands);
}
