// The /proc and /sys files a process opens: read(2), write(2) and getdents(2)
// on them, in the opener's network namespace (an opaque handle). The Vfs routes
// every path under /proc and /sys here; tools such as sysctl and nstat read the
// same files. Errors are errno names, as the Vfs reports them.
import type { Net } from '../net_namespace.ts';
import { proc_read, proc_readdir, proc_write, type ProcErrno } from '../fs/proc.ts';
import { sysfs_read, sysfs_readdir, sysfs_write } from '../fs/sysfs.ts';

export type { ProcErrno };

function isSys(path: string): boolean {
  return path === '/sys' || path.startsWith('/sys/');
}

/** Whether the kernel serves this path (procfs or sysfs). */
export function is_kernel_fs(path: string): boolean {
  return path === '/proc' || path.startsWith('/proc/') || isSys(path);
}

/** The whole contents of a /proc or /sys file. */
export function kernfs_read(netns: Net, path: string): string | { errno: ProcErrno } {
  return isSys(path) ? sysfs_read(netns, path) : proc_read(netns, path);
}

/** One write(2); '' is the open for writing (O_CREAT|O_TRUNC): the permission check only. */
export function kernfs_write(netns: Net, path: string, data: string): null | { errno: ProcErrno } {
  return isSys(path) ? sysfs_write(netns, path, data) : proc_write(netns, path, data);
}

/** The names in a directory (/proc/sys and /sys/class/net, and below). */
export function kernfs_readdir(netns: Net, path: string): string[] | { errno: ProcErrno } {
  return isSys(path) ? sysfs_readdir(netns, path) : proc_readdir(netns, path);
}
