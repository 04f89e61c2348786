// iproute2 nstat: the namespace's SNMP counters, absolute (-a) or as
// increments since the last run, with zeros (-z). The counters are read from
// /proc/net/snmp, /proc/net/snmp6 and /proc/net/netstat of the namespace the
// process runs in, as the real nstat reads them.
import type { Net } from '../../kernel/net_namespace.ts';
import { kernfs_read } from '../../kernel/uapi/procfs.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

const history = new WeakMap<Net, Map<string, number>>();

/** One `nstat` line: name padded to 32, value to 16, rate as %6.1f. */
export function nstatLine(name: string, value: number): string {
  return `${name.padEnd(32)}${String(value).padEnd(16)}${'0.0'.padStart(6)}\n`;
}

/** Counters of the MIB-II tables nstat leaves out (useless_numbers[]). */
const USELESS = new Set(['IpForwarding', 'IpDefaultTTL', 'TcpRtoAlgorithm', 'TcpRtoMin', 'TcpRtoMax', 'TcpMaxConn', 'TcpCurrEstab']);

/** load_ugly_table(): "Group: names" then "Group: values", for each group. */
function loadUglyTable(text: string, out: [string, number][]): void {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i] as string;
    const values = lines[i + 1] as string;
    const colon = names.indexOf(':');
    if (colon < 0) continue;
    const group = names.slice(0, colon);
    const ns = names.slice(colon + 2).split(' ');
    const vs = values.slice(colon + 2).split(' ');
    ns.forEach((n, j) => out.push([group + n, Number(vs[j] ?? 0)]));
  }
}

/** load_good_table(): one "Name value" per line. */
function loadGoodTable(text: string, out: [string, number][]): void {
  for (const l of text.split('\n')) {
    const m = /^(\S+)\s+(\d+)/.exec(l);
    if (m) out.push([m[1] as string, Number(m[2])]);
  }
}

/** The kernel's counters of a namespace, as nstat loads them (snmp, snmp6, netstat). */
function loadNetstat(read: (path: string) => string | null): [string, number][] {
  const out: [string, number][] = [];
  const snmp = read('/proc/net/snmp');
  if (snmp !== null) loadUglyTable(snmp, out);
  const snmp6 = read('/proc/net/snmp6');
  if (snmp6 !== null) loadGoodTable(snmp6, out);
  const netstat = read('/proc/net/netstat');
  if (netstat !== null) loadUglyTable(netstat, out);
  return out.filter(([n]) => !USELESS.has(n));
}

function readKernel(net: Net): (path: string) => string | null {
  return (path) => {
    const r = kernfs_read(net, path);
    return typeof r === 'string' ? r : null;
  };
}

/** What `nstat -asz` prints for a namespace. */
export function nstatAbsolute(net: Net, zeros: boolean): string {
  let s = '#kernel\n';
  for (const [n, v] of loadNetstat(readKernel(net))) if (zeros || v !== 0) s += nstatLine(n, v);
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
  const now = loadNetstat((path) => {
    const r = ctx.world.vfs.readFile(path, net);
    return typeof r === 'string' ? r : null;
  });
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
