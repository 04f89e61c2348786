// iproute2 nstat: the namespace's SNMP counters, absolute (-a) or as
// increments since the last run, with zeros (-z).
import type { Net } from '../../kernel/net_namespace.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

const history = new WeakMap<Net, Map<string, number>>();

/** One `nstat` line: name padded to 32, value to 16, rate as %6.1f. */
export function nstatLine(name: string, value: number): string {
  return `${name.padEnd(32)}${String(value).padEnd(16)}${'0.0'.padStart(6)}\n`;
}

/** What `nstat -asz` prints for a namespace. */
export function nstatAbsolute(net: Net, zeros: boolean): string {
  let s = '#kernel\n';
  for (const [n, v] of net.mib.entries()) if (zeros || v !== 0) s += nstatLine(n, v);
  return s;
}

function* nstat(ctx: ProcCtx): Proc {
  let absolute = false;
  let zeros = false;
  let noUpdate = false;
  let reset = false;
  const patterns: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (a === '--absolute') absolute = true;
    else if (a === '--zeros') zeros = true;
    else if (a === '--noupdate') noUpdate = true;
    else if (a === '--reset') reset = true;
    else if (a.startsWith('-') && !a.startsWith('--')) {
      for (const c of a.slice(1)) {
        if (c === 'a') absolute = true;
        else if (c === 'z') zeros = true;
        else if (c === 's') noUpdate = true;
        else if (c === 'r') reset = true;
        else if (c === 'n') noUpdate = false;
        else {
          ctx.stderr.write(`nstat: invalid option -- '${c}'\nUsage: nstat [OPTION] [ PATTERN [ PATTERN ] ]\n`);
          return 255;
        }
      }
    } else patterns.push(a);
  }
  const net = ctx.net;
  const prev = history.get(net) ?? new Map<string, number>();
  const now = net.mib.entries();
  let out = '#kernel\n';
  const match = (n: string): boolean => patterns.length === 0 || patterns.some((p) => new RegExp(`^${p.replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(n));
  const quietOutput = ctx.argv.slice(1).some((a) => /^-[a-z]*n/.test(a));
  for (const [n, v] of now) {
    if (!match(n)) continue;
    const shown = absolute || reset ? v : v - (prev.get(n) ?? 0);
    if (shown === 0 && !zeros) continue;
    out += nstatLine(n, shown);
  }
  if (!quietOutput) ctx.stdout.write(out);
  if (!noUpdate || reset) history.set(net, new Map(now));
  return 0;
}

export function registerNstat(commands: Map<string, Command>): void {
  commands.set('nstat', nstat);
}
