// Puts the kernel's /proc and /sys (src/kernel/uapi/procfs.ts) in front of the
// world's files: a path under them goes to the kernel with the opener's
// namespace (the initial one when none is given).
import type { Net } from '../kernel/net_namespace.ts';
import { is_kernel_fs, kernfs_read, kernfs_write } from '../kernel/uapi/procfs.ts';
import type { Vfs } from './proc.ts';

interface ProcWorld {
  readonly vfs: Vfs;
  readonly initNet: Net;
}

/** The Vfs keeps its identity; its methods are wrapped. */
export function installProcfs(w: ProcWorld): void {
  const vfs = w.vfs;
  const read = vfs.readFile.bind(vfs);
  const write = vfs.writeFile.bind(vfs);
  vfs.readFile = (path, net) => {
    if (!is_kernel_fs(path)) return read(path, net);
    const r = kernfs_read(net ?? w.initNet, path);
    if (typeof r === 'string') return r;
    return { errno: r.errno === 'EACCES' || r.errno === 'EISDIR' || r.errno === 'EINVAL' || r.errno === 'EIO' ? r.errno : 'ENOENT' };
  };
  vfs.writeFile = (path, data, append, net) => {
    if (!is_kernel_fs(path)) return write(path, data, append, net);
    const r = kernfs_write(net ?? w.initNet, path, data);
    if (r === null) return null;
    return { errno: r.errno === 'ENOTDIR' ? 'ENOENT' : r.errno };
  };
}
