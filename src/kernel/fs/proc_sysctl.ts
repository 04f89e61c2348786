// fs/proc/proc_sysctl.c for the net.* tables: /proc/sys/net/... of the
// opener's namespace. A name is a file when the namespace has the entry, a
// directory when an entry lies below it. Opening for writing a 0444 entry is
// EACCES (sysctl_perm); each write(2) goes to the entry's handler, which may
// refuse the value (EINVAL, ENOMEM) as proc_dointvec_minmax and the rest do.
import type { Net } from '../net_namespace.ts';
import type { ProcErrno } from './proc.ts';

const ERR: Readonly<Record<'ENOENT' | 'EINVAL' | 'ENOMEM' | 'EIO', ProcErrno>> = {
  ENOENT: 'ENOENT',
  EINVAL: 'EINVAL',
  ENOMEM: 'ENOMEM',
  EIO: 'EIO',
};

/** The sysctl name of a /proc/sys path ("" for /proc/sys itself), or null outside /proc/sys. */
function nameOf(path: string): string | null {
  const p = path.replace(/\/+/g, '/').replace(/\/$/, '');
  if (p === '/proc/sys') return '';
  if (!p.startsWith('/proc/sys/')) return null;
  return p.slice('/proc/sys/'.length).replace(/\//g, '.');
}

function isDir(net: Net, name: string): boolean {
  if (name === '') return true;
  const pre = `${name}.`;
  return net.sysctl.keys().some((k) => k.startsWith(pre));
}

export function proc_sys_read(net: Net, path: string): string | { errno: ProcErrno } {
  const name = nameOf(path) as string;
  const err = net.sysctl.has(name) ? net.sysctl.readError(name) : null;
  if (err) return { errno: err === 'EIO' ? 'EIO' : 'EINVAL' };
  const v = net.sysctl.read(name);
  if (v !== undefined) return `${v}\n`;
  return { errno: isDir(net, name) ? 'EISDIR' : 'ENOENT' };
}

/** proc_sys_write(); '' is the open (O_WRONLY|O_CREAT|O_TRUNC): permission only. */
export function proc_sys_write(net: Net, path: string, data: string): null | { errno: ProcErrno } {
  const name = nameOf(path) as string;
  if (!net.sysctl.has(name)) {
    if (isDir(net, name)) return { errno: 'EISDIR' };
    // proc_sys_lookup finds nothing and /proc/sys creates no files (bash: No such file or directory)
    return { errno: 'ENOENT' };
  }
  if (net.sysctl.readOnly(name)) return { errno: 'EACCES' };
  if (data === '') return null;
  const e = net.sysctl.write(name, data);
  if (e === null) return null;
  return { errno: e === 'RDONLY' ? 'EACCES' : ERR[e] };
}

/** The names in a /proc/sys directory, sorted. */
export function proc_sys_readdir(net: Net, path: string): string[] | { errno: ProcErrno } {
  const name = nameOf(path) as string;
  if (net.sysctl.has(name)) return { errno: 'ENOTDIR' };
  if (!isDir(net, name)) return { errno: 'ENOENT' };
  const pre = name === '' ? '' : `${name}.`;
  const out = new Set<string>();
  for (const k of net.sysctl.keys()) if (k.startsWith(pre)) out.add(k.slice(pre.length).split('.')[0] as string);
  return [...out].sort();
}

export function is_proc_sys(path: string): boolean {
  return nameOf(path) !== null;
}
