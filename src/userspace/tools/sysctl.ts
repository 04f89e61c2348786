// procps-ng sysctl: reading and writing /proc/sys keys of the namespace.
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

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
        else {
          ctx.stderr.write(`sysctl: invalid option -- '${c}'\n`);
          return 255;
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
    ctx.stderr.write('sysctl: no variables specified\nTry `sysctl --help\' for more information.\n');
    return 1;
  }
  for (const item of items) {
    const eq = item.indexOf('=');
    if (write && eq < 0) {
      ctx.stderr.write(`sysctl: "${item}" must be of the form name=value\n`);
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
        rc = ignore ? rc : 255;
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
    if (!quiet) show(key, value.trim());
  }
  return rc;
}

export function registerSysctl(commands: Map<string, Command>): void {
  commands.set('sysctl', sysctl);
}
