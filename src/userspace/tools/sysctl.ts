// procps-ng sysctl 4.0.2: reads and writes the files of /proc/sys, in the
// namespace the process runs in, as the real one does (ReadSetting,
// WriteSetting, DisplayAll); options through getopt_long.
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { Getopt, no_argument, optional_argument, required_argument, type LongOption } from '../getopt.ts';
import { kernfs_readdir } from '../../kernel/uapi/procfs.ts';

const DEPRECATED = 0x100;
const DRY_RUN = 0x101;
const SYSTEM = 0x102;

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

const LONGOPTS: readonly LongOption[] = [
  { name: 'all', has_arg: no_argument, val: 'a' },
  { name: 'deprecated', has_arg: no_argument, val: DEPRECATED },
  { name: 'dry-run', has_arg: no_argument, val: DRY_RUN },
  { name: 'binary', has_arg: no_argument, val: 'b' },
  { name: 'ignore', has_arg: no_argument, val: 'e' },
  { name: 'names', has_arg: no_argument, val: 'N' },
  { name: 'values', has_arg: no_argument, val: 'n' },
  { name: 'load', has_arg: optional_argument, val: 'p' },
  { name: 'quiet', has_arg: no_argument, val: 'q' },
  { name: 'write', has_arg: no_argument, val: 'w' },
  { name: 'system', has_arg: no_argument, val: SYSTEM },
  { name: 'pattern', has_arg: required_argument, val: 'r' },
  { name: 'help', has_arg: no_argument, val: 'h' },
  { name: 'version', has_arg: no_argument, val: 'V' },
];

const PROC_PATH = '/proc/sys/';

function* sysctl(ctx: ProcCtx): Proc {
  const vfs = ctx.world.vfs;
  let quiet = false;
  let write = false;
  let printName = true;
  let printNewline = true;
  let nameOnly = false;
  let ignore = false;
  let all = false;
  let dryRun = false;
  let pattern: RegExp | null = null;
  let preload = false;
  let preloadFile = '/etc/sysctl.conf';
  let rc = 0;
  const g = new Getopt(ctx.argv, 'bneNwfp::qoxaAXr:Vdh', LONGOPTS, (m) => ctx.stderr.write(m));
  for (let c = g.next(); c !== -1; c = g.next()) {
    switch (c) {
      case 'b':
        // "binary": no newline, and (falling through to -n) no name
        printNewline = false;
        printName = false;
        break;
      case 'e':
        ignore = true;
        break;
      case 'N':
        nameOnly = true;
        break;
      case 'n':
        printName = false;
        break;
      case 'w':
        write = true;
        break;
      case 'q':
        quiet = true;
        break;
      case 'a':
      case 'A':
      case 'X':
        all = true;
        break;
      case 'r': {
        try {
          pattern = new RegExp(g.optarg ?? '');
        } catch {
          ctx.stderr.write(`sysctl: Unable to compile regex: ${g.optarg ?? ''}\n`);
          return 1;
        }
        break;
      }
      case DRY_RUN:
        dryRun = true;
        break;
      case 'V':
        ctx.stdout.write('sysctl from procps-ng 4.0.2\n');
        return 0;
      case 'f':
      case 'p':
        preload = true;
        if (g.optarg !== undefined) preloadFile = g.optarg;
        break;
      case SYSTEM:
        ctx.stderr.write('skbpath: sysctl: --system is not simulated\n');
        return 1;
      case 'o':
      case 'x':
      case DEPRECATED:
        break;
      default:
        // -d, -h and '?': Usage(stdout), exit 0
        ctx.stdout.write(USAGE);
        return 0;
    }
  }
  const items = g.operands();
  /** The text of a value as ReadSetting() prints it (the file's last newline dropped). */
  const show = (key: string, v: string): void => {
    if (nameOnly) ctx.stdout.write(`${key}\n`);
    else if (printName) ctx.stdout.write(`${key} = ${v}${printNewline ? '\n' : ''}`);
    else ctx.stdout.write(printNewline ? `${v}\n` : v);
  };
  /** DisplayAll(): every file below a /proc/sys directory, depth first in name order. */
  const displayAll = (dir: string): void => {
    const names = kernfs_readdir(ctx.net, dir);
    if (!Array.isArray(names)) return;
    for (const n of names) {
      const path = `${dir}${dir.endsWith('/') ? '' : '/'}${n}`;
      const r = vfs.readFile(path, ctx.net);
      if (typeof r !== 'string') {
        if (r.errno === 'EISDIR') displayAll(path);
        continue;
      }
      const key = path.slice(PROC_PATH.length).replace(/\//g, '.');
      if (pattern && !pattern.test(key)) continue;
      show(key, r.replace(/\n$/, ''));
    }
  };
  if (all) {
    displayAll(PROC_PATH);
    return 0;
  }
  /** WriteSetting(): 1 when the write failed (a file's line with '-' first ignores that). */
  const writeSetting = (key: string, value: string, item: string, ignoreFail: boolean): number => {
    const path = `${PROC_PATH}${key.replace(/\./g, '/')}`;
    if (!key) {
      ctx.stderr.write(`sysctl: malformed setting "${item}"\n`);
      return 1;
    }
    if (dryRun) {
      if (!quiet) show(key, value.trim());
      return 0;
    }
    const open = vfs.writeFile(path, '', false, ctx.net);
    let e = open?.errno ?? null;
    if (e === null) {
      e = vfs.writeFile(path, `${value}\n`, true, ctx.net)?.errno ?? null;
      // the file is there but its handler refused the value with ENOENT (default_qdisc of an unknown kind)
      if (e === 'ENOENT') {
        ctx.stderr.write(`sysctl: setting key "${key}": No such file or directory\n`);
        return ignoreFail ? 0 : 1;
      }
    }
    if (e === 'ENOENT') {
      if (ignore) return 0;
      ctx.stderr.write(`sysctl: cannot stat ${path}: No such file or directory\n`);
      return ignoreFail ? 0 : 1;
    }
    if (e === 'EACCES' || e === 'EISDIR') {
      // the file has no S_IWUSR (0444, or a directory): a warning with a stale errno, and no failure
      ctx.stderr.write(`sysctl: setting key "${key}": Invalid argument\n`);
      return 0;
    }
    if (e !== null) {
      const msg = e === 'ENOMEM' ? 'Cannot allocate memory' : e === 'EIO' ? 'Input/output error' : 'Invalid argument';
      ctx.stderr.write(`sysctl: setting key "${key}": ${msg}\n`);
      return ignoreFail ? 0 : 1;
    }
    if (!quiet) show(key, value.trim());
    return 0;
  };
  /** Preload(): a file's settings are parsed first (syntax errors reported), then written in order. */
  const preloadFrom = (file: string): number => {
    const text = vfs.readFile(file, ctx.net);
    if (typeof text !== 'string') {
      ctx.stderr.write(
        `sysctl: cannot open "${file}": ${text.errno === 'EISDIR' ? 'Is a directory' : text.errno === 'EACCES' ? 'Permission denied' : 'No such file or directory'}\n`,
      );
      return 1;
    }
    let r = 0;
    const settings: [string, string, boolean][] = [];
    text.split('\n').forEach((line, i) => {
      let t = line.trim();
      if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
      const ignoreFail = t.startsWith('-');
      if (ignoreFail) t = t.slice(1).trim();
      const eq = t.indexOf('=');
      const key = eq < 0 ? '' : t.slice(0, eq).trim();
      if (!key) {
        ctx.stderr.write(`sysctl: ${file}(${i + 1}): invalid syntax, continuing...\n`);
        r |= 1;
        return;
      }
      settings.push([key.replace(/\//g, '.'), t.slice(eq + 1).trim(), ignoreFail]);
    });
    for (const [k, v, ig] of settings) r |= writeSetting(k, v, `${k}=${v}`, ig);
    return r;
  };
  if (preload) {
    if (!items.length) return preloadFrom(preloadFile);
    for (const f of items) rc |= preloadFrom(f);
    return rc;
  }
  if (items.length === 0) {
    // no arguments at all: Usage(stderr); options without a variable: this
    if (ctx.argv.length > 1) ctx.stderr.write("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    else ctx.stderr.write(USAGE);
    return 1;
  }
  // main(): ReturnCode += ReadSetting(); ReturnCode |= WriteSetting()
  for (const item of items) {
    const eq = item.indexOf('=');
    if (write && eq < 0) {
      ctx.stderr.write('sysctl: command line(0): invalid syntax, continuing...\n');
      rc |= 1;
      continue;
    }
    const rawKey = (eq < 0 ? item : item.slice(0, eq)).trim();
    const key = rawKey.replace(/\//g, '.');
    const path = `${PROC_PATH}${key.replace(/\./g, '/')}`;
    if (eq < 0) {
      // ReadSetting()
      const v = vfs.readFile(path, ctx.net);
      if (typeof v !== 'string') {
        if (v.errno === 'EISDIR') {
          displayAll(path);
          continue;
        }
        if (v.errno === 'EIO') {
          // ReadSetting() ignores EIO (stable_secret below /proc/sys/net/ipv6/conf): no message, a failure
          rc++;
          continue;
        }
        if (!ignore) {
          ctx.stderr.write(`sysctl: cannot stat ${path}: No such file or directory\n`);
          rc++;
        }
        continue;
      }
      show(key, v.replace(/\n$/, ''));
      continue;
    }
    rc |= writeSetting(key, item.slice(eq + 1), item, false);
  }
  return rc;
}

export function registerSysctl(commands: Map<string, Command>): void {
  commands.set('sysctl', sysctl);
}
