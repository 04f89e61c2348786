// nftables 1.0.6 `nft` (src/main.c, libnftables.c, erec.c): the options,
// commands from argv (joined with spaces, as main() does) or from a file
// (-f FILE, -f - for stdin), the run against the namespace's nf_tables
// (netlink.ts), and the error records printed as erec_print() prints them:
// the location, "Error: ...", the input line and the caret/tilde marks.
import type { Net } from '../../../kernel/net_namespace.ts';
import {
  nft_batch_abort,
  nft_batch_begin,
  nft_batch_end,
  nft_batch_msg,
  nft_getchain,
  nft_getobj,
  nft_getrule,
  nft_getset,
  nft_getsetelem,
  nft_gettable,
  type NftBatch,
} from '../../../kernel/uapi/nf_tables.ts';
import { ifinfomsg, type LinkMsg, RTM_GETLINK, rtnl_talk } from '../../../kernel/uapi/rtnetlink.ts';
import type { Proc } from '../../../sim/sched.ts';
import { Getopt, type LongOption } from '../../getopt.ts';
import type { Command, ProcCtx } from '../../proc.ts';
import { strerror } from '../errno.ts';
import { type NftKernel, Runner } from './netlink.ts';
import { type NftError, Parser } from './parser.ts';
import type { ListSelect, PrintOpts, RulesetDump } from './print.ts';
import type { Loc } from './scanner.ts';

const VERSION = 'nftables v1.0.6 (Lester Gooch #5)';

const HELP = `Usage: nft [ options ] [ cmds... ]

Options (general):
  -h, --help                      Show this help
  -v, --version                   Show version information
  -V                              Show extended version information

Options (ruleset input handling):
  -f, --file <filename>           Read input from <filename>
  -D, --define <name=value>       Define variable, e.g. --define foo=1.2.3.4
  -i, --interactive               Read input from interactive CLI
  -I, --includepath <directory>   Add <directory> to the paths searched for include files. Default is: /etc
  -c, --check                     Check commands validity without actually applying the changes.
  -o, --optimize                  Optimize ruleset

Options (ruleset list formatting):
  -a, --handle                    Output rule handle.
  -s, --stateless                 Omit stateful information of ruleset.
  -t, --terse                     Omit contents of sets.
  -S, --service                   Translate ports to service names as described in /etc/services.
  -N, --reversedns                Translate IP addresses to names.
  -u, --guid                      Print UID/GID as defined in /etc/passwd and /etc/group.
  -n, --numeric                   Print fully numerical output.
  -y, --numeric-priority          Print chain priority numerically.
  -p, --numeric-protocol          Print layer 4 protocols numerically.
  -T, --numeric-time              Print time values numerically.

Options (command output formatting):
  -e, --echo                      Echo what has been added, inserted or replaced.
  -j, --json                      Format output in JSON
  -d, --debug <level [,level...]> Specify debugging level (scanner, parser, eval, netlink, mnl, proto-ctx, segtree, all)

`;

const LONGOPTS: LongOption[] = [
  { name: 'help', has_arg: 0, val: 'h' },
  { name: 'version', has_arg: 0, val: 'v' },
  { name: 'file', has_arg: 1, val: 'f' },
  { name: 'define', has_arg: 1, val: 'D' },
  { name: 'interactive', has_arg: 0, val: 'i' },
  { name: 'includepath', has_arg: 1, val: 'I' },
  { name: 'check', has_arg: 0, val: 'c' },
  { name: 'handle', has_arg: 0, val: 'a' },
  { name: 'stateless', has_arg: 0, val: 's' },
  { name: 'terse', has_arg: 0, val: 't' },
  { name: 'service', has_arg: 0, val: 'S' },
  { name: 'reversedns', has_arg: 0, val: 'N' },
  { name: 'guid', has_arg: 0, val: 'u' },
  { name: 'numeric', has_arg: 0, val: 'n' },
  { name: 'numeric-priority', has_arg: 0, val: 'y' },
  { name: 'numeric-protocol', has_arg: 0, val: 'p' },
  { name: 'numeric-time', has_arg: 0, val: 'T' },
  { name: 'echo', has_arg: 0, val: 'e' },
  { name: 'json', has_arg: 0, val: 'j' },
  { name: 'debug', has_arg: 1, val: 'd' },
  { name: 'optimize', has_arg: 0, val: 'o' },
];
const OPTSTRING = '+hvVf:D:iI:castSNunypTejd:o';

/** `-j`: a JSON printer of the listing (src/userspace/tools/nft/json.ts provides one). */
export type NftJsonPrinter = (dump: RulesetDump, sel: ListSelect, opts: PrintOpts) => string;

export interface NftHooks {
  json?: NftJsonPrinter;
  /** `nft monitor …` (src/userspace/tools/nft/monitor.ts): null when it does not take the words. */
  monitor?: (ctx: ProcCtx, words: readonly string[], opts: PrintOpts, k: NftKernel) => Proc | null;
}

/** if_nametoindex / if_indextoname through RTM_GETLINK. */
function linkOf(net: Net, by: { name?: string; index?: number }): LinkMsg | undefined {
  const req: LinkMsg = { nlmsg_type: RTM_GETLINK, nlmsg_flags: 0, ifi: ifinfomsg(0, by.index ?? 0), attrs: {} };
  if (by.name !== undefined) req.attrs.IFLA_IFNAME = by.name;
  const r = rtnl_talk(net, req);
  return r.error === 0 ? r.msgs[0] : undefined;
}

/** The kernel's nf_tables as the tool sees it, through the uapi. */
export function kernelOf(net: Net, who: { pid?: number; comm?: string }): NftKernel {
  const arr = <X>(v: X[] | number): X[] => (typeof v === 'number' ? [] : v);
  const ifnames = new Map<number, string | undefined>();
  return {
    begin: () => nft_batch_begin(net, { ...who, comm: 'nft' }),
    msg: (b, m) => nft_batch_msg(b as NftBatch, m),
    end: (b) => nft_batch_end(b as NftBatch),
    abort: (b) => nft_batch_abort(b as NftBatch),
    tables: () => arr(nft_gettable(net)),
    chains: () => arr(nft_getchain(net)),
    rules: (reset) => arr(nft_getrule(net, reset ? { reset } : {})),
    sets: () => arr(nft_getset(net)),
    elems: (family, table, set) => arr(nft_getsetelem(net, { family, table, set })),
    objs: (reset) => arr(nft_getobj(net, reset ? { reset } : {})),
    ifindex: (name) => linkOf(net, { name })?.ifi.ifi_index,
    ifname: (index) => {
      if (!ifnames.has(index)) ifnames.set(index, linkOf(net, { index })?.attrs.IFLA_IFNAME);
      return ifnames.get(index);
    },
    strerror,
  };
}

/** erec_print(): one error record. */
export function erecText(e: NftError, prefixFile: boolean, cli = !prefixFile): string {
  const loc = e.locs[0] as Loc | undefined;
  if (!loc) return `Error: ${e.msg}\n`;
  let out = '';
  if (prefixFile && loc.file) out += `${loc.file}:${loc.line}:${loc.first}-${loc.last}: `;
  out += `${e.kind}: ${e.msg}\n`;
  // a command line's records show the whole buffer's first line
  // a file's line is read into a buffer of 1024 bytes (line_location())
  const line = cli ? (loc.lines[0] ?? '') : (loc.lines[loc.line - 1] ?? '').slice(0, 1023);
  out += `${line}\n`;
  let end = 0;
  for (const l of e.locs) end = Math.max(end, l.last);
  const buf: string[] = new Array(end).fill(' ');
  for (let i = 0; i < end && i < line.length; i++) if (line[i] === '\t') buf[i] = '\t';
  for (let n = e.locs.length - 1; n >= 0; n--) {
    const l = e.locs[n] as Loc;
    for (let i = l.first ? l.first - 1 : 0; i < l.last; i++) buf[i] = n ? '~' : '^';
  }
  out += `${buf.join('')}\n`;
  return out;
}

function readAll(ctx: ProcCtx, path: string): string | null {
  const r = ctx.world.vfs.readFile(path, ctx.net);
  if (typeof r !== 'string') return null;
  return r;
}

function* nft(ctx: ProcCtx, hooks: NftHooks): Proc {
  const argv = ctx.argv;
  // options must come before commands (nft_options_check)
  {
    let skip = false;
    let nonoption = false;
    let pos = 0;
    for (let i = 1; i < argv.length; i++) {
      pos += (argv[i - 1] as string).length + 1;
      const a = argv[i] as string;
      if (a.startsWith('{')) break;
      if (skip) {
        skip = false;
        continue;
      }
      if (a.startsWith('-')) {
        if (nonoption) {
          ctx.stderr.write('Error: syntax error, options must be specified before commands\n');
          ctx.stderr.write(argv.map((x) => `${x} `).join(''));
          ctx.stdout.write(`\n${'^'.padStart(4)}${'~~'.padStart(pos - 2)}\n`);
          return 1;
        }
        if (['d', 'I', 'f', 'D'].includes(a[1] ?? '') || ['--debug', '--includepath', '--define', '--file'].includes(a)) skip = true;
      } else nonoption = true;
    }
  }
  const g = new Getopt(argv, OPTSTRING, LONGOPTS, (m) => ctx.stderr.write(m));
  let file: string | null = null;
  let check = false;
  let handles = false;
  let stateless = false;
  let numeric = 0;
  let json = false;
  const defines: string[] = [];
  for (;;) {
    const c = g.next();
    if (c === -1) break;
    switch (c) {
      case 'h':
        ctx.stdout.write(HELP);
        return 0;
      case 'v':
        ctx.stdout.write(`${VERSION}\n`);
        return 0;
      case 'V':
        ctx.stdout.write(`${VERSION}\n  cli:\t\teditline\n  json:\t\tyes\n  minigmp:\tno\n  libxtables:\tyes\n`);
        return 0;
      case 'f':
        file = g.optarg ?? null;
        break;
      case 'D':
        defines.push(g.optarg ?? '');
        break;
      case 'c':
        check = true;
        break;
      case 'a':
        handles = true;
        break;
      case 's':
        stateless = true;
        break;
      case 'n':
      case 'y':
      case 'p':
        numeric = 1;
        break;
      case 'j':
        json = true;
        break;
      case 'e':
        // nft prints each added object back with its handle; not built yet: say so rather than print nothing
        ctx.stderr.write('skbpath: nft -e/--echo is not simulated; see README "Supported commands"\n');
        return 1;
      case 'd': {
        const levels = ['scanner', 'parser', 'eval', 'netlink', 'mnl', 'proto-ctx', 'segtree', 'all'];
        for (const l of (g.optarg ?? '').split(',')) {
          if (!levels.includes(l)) {
            ctx.stderr.write(`invalid debug parameter \`${l}'\n`);
            return 1;
          }
        }
        break;
      }
      case 'i':
        ctx.stderr.write(`${argv[0]}: interactive CLI not supported in this build\n`);
        return 1;
      case '?':
      case ':':
        return 1;
      default:
        break;
    }
  }
  if (file === null && defines.length) {
    ctx.stderr.write('Error: -D/--define can only be used with -f/--filename\n');
    return 1;
  }
  const operands = argv.slice(g.optind);
  let text: string;
  let name: string;
  let cli = false;
  if (operands.length) {
    // nft_run_cmd_from_buffer() parses the command line with a newline at its end
    text = `${operands.join(' ')}\n`;
    name = '';
    cli = true;
  } else if (file !== null) {
    if (file === '-') {
      text = '';
      for (;;) {
        const chunk: string | null = yield* ctx.stdin.read();
        if (chunk === null) break;
        text += chunk;
      }
      name = '/dev/stdin';
    } else {
      const r = readAll(ctx, file);
      if (r === null) {
        ctx.stderr.write(`internal:0:0-0: Error: Could not open file "${file}": No such file or directory\n\n\n`);
        return 1;
      }
      text = r;
      name = file;
    }
  } else {
    ctx.stderr.write(`${argv[0]}: no command specified\n`);
    return 1;
  }
  if (cli && operands[0] === 'monitor' && hooks.monitor) {
    const k = kernelOf(ctx.net, { pid: ctx.world.sim.sched.current?.pid });
    const mon = hooks.monitor(ctx, operands.slice(1), { handles, numeric, stateless, ifname: (i) => k.ifname(i) }, k);
    if (mon) return yield* mon;
  }
  if (json && /^\s*[{[]/.test(text)) {
    // with -j, nft 1.0.6 reads its input as JSON first (nft_parse_json_buffer); that reader is not built
    ctx.stderr.write('skbpath: nft -j with JSON input is not simulated; see README "Supported commands"\n');
    return 1;
  }
  const parser = new Parser(
    {
      include: (path) => readAll(ctx, path),
    },
    cli,
  );
  for (const d of defines) {
    const eq = d.indexOf('=');
    if (eq <= 0) {
      ctx.stderr.write(`Failed to define variable '${d}'\n`);
      return 1;
    }
    parser.parse(`define ${d.slice(0, eq)} = ${d.slice(eq + 1)}\n`, 'internal');
  }
  parser.parse(text, name);
  const k = kernelOf(ctx.net, { pid: ctx.world.sim.sched.current?.pid });
  const print: PrintOpts = { handles, numeric, stateless, ifname: (i) => k.ifname(i) };
  if (parser.errors.length) {
    for (const e of parser.errors) ctx.stderr.write(erecText(e, !cli));
    // what did parse is still evaluated, and its errors reported
    if (!parser.fatal) {
      const ev = new Runner(k, { check: true, print }).evaluateOnly(parser.cmds);
      for (const e of ev) ctx.stderr.write(erecText(e, !cli));
    }
    return 1;
  }
  const runner = new Runner(k, { check, print, json: json ? hooks.json : undefined });
  const r = runner.run(parser.cmds);
  for (const [fd, text] of r.parts) (fd === 1 ? ctx.stdout : ctx.stderr).write(text);
  if (r.errors.length) {
    for (const e of r.errors) ctx.stderr.write(erecText(e, !cli));
    return 1;
  }
  return 0;
}

export function registerNft(commands: Map<string, Command>, hooks: NftHooks = {}): void {
  commands.set('nft', (ctx) => nft(ctx, hooks));
}
