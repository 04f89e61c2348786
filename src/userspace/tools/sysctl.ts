// procps-ng sysctl: reading and writing /proc/sys keys of the namespace.
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

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

function* sysctl(ctx: ProcCtx): Proc {
  const sys = ctx.net.sysctl;
  let quiet = false;
  let write = false;
  let valuesOnly = false;
  let ignore = false;
  let all = false;
  let rc = 0;
  const items: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith('-') && items.length === 0 && a.length > 1 && !a.startsWith('--')) {
      for (const c of a.slice(1)) {
        if (c === 'q') quiet = true;
        else if (c === 'w') write = true;
        else if (c === 'n') valuesOnly = true;
        else if (c === 'e') ignore = true;
        else if (c === 'a' || c === 'A' || c === 'X') all = true;
        else if (c === 'N' || c === 'b' || c === 'p') continue;
        else if (c === 'o' || c === 'x') continue;
        else if (c === 'h' || c === 'd') {
          ctx.stdout.write(USAGE);
          return 0;
        } else {
          ctx.stderr.write(`sysctl: invalid option -- '${c}'\n`);
          ctx.stdout.write(USAGE);
          return 0;
        }
      }
      continue;
    }
    items.push(a);
  }
  const show = (key: string, v: string): void => {
    const val = v.replace(/\t/g, '\t');
    ctx.stdout.write(valuesOnly ? `${val}\n` : `${key} = ${val}\n`);
  };
  if (all) {
    for (const k of sys.keys()) show(k, sys.get(k) ?? '');
    return 0;
  }
  if (items.length === 0) {
    ctx.stderr.write(USAGE);
    return 1;
  }
  for (const item of items) {
    const eq = item.indexOf('=');
    if (write && eq < 0) {
      ctx.stderr.write('sysctl: command line(0): invalid syntax, continuing...\n');
      rc = 1;
      continue;
    }
    const rawKey = (eq < 0 ? item : item.slice(0, eq)).trim();
    const key = rawKey.replace(/\//g, '.');
    const path = `/proc/sys/${key.replace(/\./g, '/')}`;
    if (eq < 0) {
      const v = sys.get(key);
      if (v === undefined) {
        if (!ignore) ctx.stderr.write(`sysctl: cannot stat ${path}: No such file or directory\n`);
        if (!ignore) rc = 1;
        continue;
      }
      show(key, v);
      continue;
    }
    const value = item.slice(eq + 1);
    if (!key) {
      ctx.stderr.write(`sysctl: malformed setting "${item}"\n`);
      rc = 1;
      continue;
    }
    const r = sys.set(key, value);
    if (r === 'ENOENT') {
      if (!ignore) ctx.stderr.write(`sysctl: cannot stat ${path}: No such file or directory\n`);
      if (!ignore) rc = 1;
      continue;
    }
    if (r === 'EINVAL') {
      ctx.stderr.write(`sysctl: setting key "${key}": Invalid argument\n`);
      rc = 1;
      continue;
    }
    if (r === 'ENOMEM') {
      ctx.stderr.write(`sysctl: setting key "${key}": Cannot allocate memory\n`);
      rc = 1;
      continue;
    }
    if (r === 'RDONLY') {
      // WriteSetting(): a file without S_IWUSR gets a warning with a stale errno, and no failure
      ctx.stderr.write(`sysctl: setting key "${key}": Invalid argument\n`);
      continue;
    }
    if (!quiet) show(key, value.trim());
  }
  return rc;
}

export function registerSysctl(commands: Map<string, Command>): void {
  commands.set('sysctl', sysctl);
}
