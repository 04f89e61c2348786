// iproute2 nstat: the namespace's SNMP counters, absolute (-a) or as
// increments since the last run, with zeros (-z). The counters are read from
// /proc/net/snmp, /proc/net/snmp6 and /proc/net/netstat of the namespace the
// process runs in, as the real nstat reads them.
import type { Net } from '../../kernel/net_namespace.ts';
import { kernfs_read } from '../../kernel/uapi/procfs.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { Getopt, no_argument, required_argument, type LongOption } from '../getopt.ts';
import { activeChars, patternRegex } from '../shell/pattern.ts';

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

const USAGE = `Usage: nstat [OPTION] [ PATTERN [ PATTERN ] ]
   -h, --help          this message
   -a, --ignore        ignore history
   -d, --scan=SECS     sample every statistics every SECS
   -j, --json          format output in JSON
   -n, --nooutput      do history only
   -p, --pretty        pretty print
   -r, --reset         reset history
   -s, --noupdate      don't update history
   -t, --interval=SECS report average over the last SECS
   -V, --version       output version information
   -z, --zeros         show entries with zero activity
`;

const LONGOPTS: readonly LongOption[] = [
  { name: 'help', has_arg: no_argument, val: 'h' },
  { name: 'ignore', has_arg: no_argument, val: 'a' },
  { name: 'scan', has_arg: required_argument, val: 'd' },
  { name: 'interval', has_arg: required_argument, val: 't' },
  { name: 'json', has_arg: no_argument, val: 'j' },
  { name: 'nooutput', has_arg: no_argument, val: 'n' },
  { name: 'noupdate', has_arg: no_argument, val: 's' },
  { name: 'pretty', has_arg: no_argument, val: 'p' },
  { name: 'reset', has_arg: no_argument, val: 'r' },
  { name: 'version', has_arg: no_argument, val: 'V' },
  { name: 'zeros', has_arg: no_argument, val: 'z' },
];

function* nstat(ctx: ProcCtx): Proc {
  let absolute = false;
  let zeros = false;
  let noUpdate = false;
  let reset = false;
  let quietOutput = false;
  const g = new Getopt(ctx.argv, 'h?vVzrnasd:t:jp', LONGOPTS, (m) => ctx.stderr.write(m));
  for (let c = g.next(); c !== -1; c = g.next()) {
    switch (c) {
      case 'z':
        zeros = true;
        break;
      case 'r':
        reset = true;
        break;
      case 'a':
        absolute = true;
        break;
      case 's':
        noUpdate = true;
        break;
      case 'n':
        quietOutput = true;
        break;
      case 'v':
      case 'V':
        ctx.stdout.write('nstat utility, iproute2-6.1.0\n');
        return 0;
      case 'd':
      case 't':
      case 'j':
      case 'p':
        ctx.stderr.write(`skbpath: nstat: -${c} is not simulated\n`);
        return 1;
      default:
        // usage(): stderr, exit(-1)
        ctx.stderr.write(USAGE);
        return 255;
    }
  }
  const patterns = g.operands();
  const net = ctx.net;
  const prev = history.get(net) ?? new Map<string, number>();
  const now = loadNetstat((path) => {
    const r = ctx.world.vfs.readFile(path, net);
    return typeof r === 'string' ? r : null;
  });
  let out = '#kernel\n';
  const match = (n: string): boolean => patterns.length === 0 || patterns.some((p) => patternRegex(activeChars(p), 'i').test(n));
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
