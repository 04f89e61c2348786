// The machine's /etc, as far as the simulated programs read it: each run has
// its own copy, seeded with what Debian 12's packages install, so a scenario
// may append to /etc/iproute2/rt_tables (as an administrator does to name a
// routing table) without touching the host's. Paths outside the copy stay
// unreachable, as before. Directories exist while a file lies under them.
import type { OpenErrno, Vfs } from './proc.ts';
import { cPath } from './fileio.ts';

/** /etc/iproute2/rt_tables as iproute2 6.1.0 (Debian 12's iproute2 package) ships it. */
export const RT_TABLES_DEFAULT = `#
# reserved values
#
255\tlocal
254\tmain
253\tdefault
0\tunspec
#
# local
#
#1\tinr.ruhep
`;

/** /etc/iproute2/rt_tables.d/README from the same package. */
export const RT_TABLES_D_README = `Each file in this directory is an rt_tables configuration file. iproute2
commands scan this directory processing all files that end in '.conf'.
`;

/** The files of /etc a run starts with, by absolute path. */
export function etcDefaults(): Map<string, string> {
  return new Map([
    ['/etc/iproute2/rt_tables', RT_TABLES_DEFAULT],
    ['/etc/iproute2/rt_tables.d/README', RT_TABLES_D_README],
  ]);
}

/** /etc/iproute2 and below: what the per-run copy answers for. */
function isEtc(path: string): boolean {
  return path === '/etc/iproute2' || path.startsWith('/etc/iproute2/');
}

/** '/a//b/./c/' → '/a/b/c'; '..' stays inside the copy's root. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

interface EtcWorld {
  readonly vfs: Vfs;
}

/** Puts the run's /etc/iproute2 in front of the world's files; the Vfs keeps its identity, its methods are wrapped. */
export function installEtc(w: EtcWorld): void {
  const vfs = w.vfs;
  const files = etcDefaults();
  const isDir = (p: string): boolean => {
    for (const k of files.keys()) if (k.startsWith(`${p}/`)) return true;
    return false;
  };
  const resolve = (path: string): string | { errno: OpenErrno } => {
    const c = cPath(path);
    if ('errno' in c) return c;
    return normalize(c.path);
  };
  const read = vfs.readFile.bind(vfs);
  const write = vfs.writeFile.bind(vfs);
  const readDir = vfs.readDir?.bind(vfs);
  vfs.readFile = (path, net) => {
    if (!isEtc(normalize(path))) return read(path, net);
    const p = resolve(path);
    if (typeof p !== 'string') return p;
    const v = files.get(p);
    if (v !== undefined) return v;
    return { errno: isDir(p) ? 'EISDIR' : 'ENOENT' };
  };
  vfs.writeFile = (path, data, append, net) => {
    if (!isEtc(normalize(path))) return write(path, data, append, net);
    const p = resolve(path);
    if (typeof p !== 'string') return p;
    if (!files.has(p) && isDir(p)) return { errno: 'EISDIR' };
    const parent = p.slice(0, p.lastIndexOf('/'));
    if (files.has(parent)) return { errno: 'ENOTDIR' };
    if (!isDir(parent)) return { errno: 'ENOENT' };
    files.set(p, append ? (files.get(p) ?? '') + data : data);
    return null;
  };
  vfs.readDir = (path, net) => {
    if (!isEtc(normalize(path))) return readDir ? readDir(path, net) : { errno: 'ENOENT' };
    const p = resolve(path);
    if (typeof p !== 'string') return p;
    if (files.has(p)) return { errno: 'ENOTDIR' };
    if (!isDir(p)) return { errno: 'ENOENT' };
    const names = new Set<string>();
    for (const k of files.keys()) if (k.startsWith(`${p}/`)) names.add(k.slice(p.length + 1).split('/')[0] as string);
    return [...names];
  };
}
