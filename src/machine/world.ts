// The host side of a run: the engine, the booted kernel, the namespaces by
// name, the scenario's files and the programs on $PATH.
import { boot, setup_net } from '../kernel/init.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Net } from '../kernel/net_namespace.ts';
import { MIB, type MemoryBudget } from '../sim/memory.ts';
import { type Budget, DEFAULT_BUDGET, Sim } from '../sim/sim.ts';
import type { NetDevice } from '../kernel/core/netdevice.ts';
import { bridgeLoopHint } from '../kernel/bridge/br_device.ts';
import { cPath, normalizeRelative } from '../userspace/fileio.ts';
import type { Command, OpenErrno, Vfs, World } from '../userspace/proc.ts';
import { installProcfs } from '../userspace/procfs.ts';
import { installEtc } from '../userspace/etcfs.ts';

export class SimWorld implements World {
  readonly sim: Sim;
  readonly kernel: Kernel;
  readonly netns = new Map<string, Net>();
  readonly initNet: Net;
  readonly commands = new Map<string, Command>();

  constructor(
    readonly vfs: Vfs,
    opts: { seed?: number; budget?: Budget; cpus?: number } = {},
  ) {
    this.sim = new Sim(opts.seed ?? 1, opts.budget ?? DEFAULT_BUDGET, opts.cpus ?? 1);
    // the run's /etc first, so that what a scenario writes there counts against the budget too
    installEtc(this);
    accountWrites(vfs, this.sim.mem);
    this.kernel = boot(this.sim);
    this.initNet = setup_net(this.kernel, 'init_net');
    installProcfs(this);
    this.sim.describeLoop = () => this.busiestDevices();
  }

  /** Where the packets went: the devices that received the most, for a budget message. */
  busiestDevices(): string {
    const rows: [string, number, { ns: string; dev: NetDevice }][] = [];
    for (const [name, net] of [['init_net', this.initNet] as const, ...this.netns]) {
      for (const d of net.devices) if (d.stats.rx_packets) rows.push([`${name}/${d.name}`, d.stats.rx_packets, { ns: name, dev: d }]);
    }
    rows.sort((a, b) => b[1] - a[1]);
    if (!rows.length) return 'no packets moved; a process never blocked';
    const top = rows.slice(0, 4);
    return `packets kept arriving on ${top.map(([n, c]) => `${n} (${c} received)`).join(', ')}${bridgeLoopHint(top.map((r) => r[2]))}`;
  }

  createNet(name: string): Net {
    const net = setup_net(this.kernel, name);
    this.netns.set(name, net);
    return net;
  }
}

/**
 * Charges what the scenario writes to its files against the memory budget
 * (Linux would only stop at a full disk): the growth of each file it writes,
 * by its normalized path. The Vfs keeps its identity; its writeFile is wrapped.
 */
function accountWrites(vfs: Vfs, mem: MemoryBudget): void {
  const write = vfs.writeFile.bind(vfs);
  const read = vfs.readFile.bind(vfs);
  const sizes = new Map<string, number>();
  vfs.writeFile = (path, data, append, net) => {
    const r = write(path, data, append, net);
    if (r) return r;
    const key = normalizeRelative(path) ?? path;
    const old = sizes.get(key) ?? 0;
    const size = append ? old + data.length : data.length;
    sizes.set(key, size);
    if (size > (sizes.get(mem.biggestFile) ?? 0)) mem.biggestFile = key;
    mem.charge('files', size - old);
    return r;
  };
  // a streaming Vfs streams the scenario's files; /proc, /sys and /dev (absolute) go through readFile
  const chunks = vfs.readChunks?.bind(vfs);
  if (chunks) {
    vfs.readChunks = (path, net) => {
      if (path.startsWith('/')) {
        const r = vfs.readFile(path, net);
        return typeof r === 'string' ? [r] : r;
      }
      return chunks(path, net);
    };
  }
  // a file the script did not write is held in memory while it is read: one
  // too large for what is left of the budget (or for the engine) ends the run
  vfs.readFile = (path, net) => {
    const r = read(path, net);
    const size = typeof r === 'string' ? r.length : r.errno === 'EFBIG' ? (r.size ?? Number.MAX_SAFE_INTEGER) : 0;
    if (size > 1024 * 1024 && !sizes.has(normalizeRelative(path) ?? path) && mem.used + size > mem.limit) {
      throw mem.exceeded(`reading ${path} (${(size / MIB).toFixed(1)} MiB)`);
    }
    if (typeof r !== 'string' && r.errno === 'EFBIG') throw mem.exceeded(`reading ${path} (${(size / MIB).toFixed(1)} MiB)`);
    return r;
  };
}

/**
 * A Vfs held in memory (tests, the browser): files by normalized path, holding
 * byte strings; a directory exists while a file lies under it.
 */
export class MemVfs implements Vfs {
  readonly files = new Map<string, string>();

  /** The path, or why open(2) would refuse it: outside the directory, too long, under a file. */
  private resolve(path: string): string | { errno: OpenErrno } {
    const c = cPath(path);
    if ('errno' in c) return c;
    const p = normalizeRelative(c.path);
    if (p === null) return { errno: 'EACCES' };
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) if (this.files.has(p.slice(0, i))) return { errno: 'ENOTDIR' };
    return p;
  }

  private isDir(p: string): boolean {
    if (p === '') return true;
    for (const k of this.files.keys()) if (k.startsWith(`${p}/`)) return true;
    return false;
  }

  readFile(path: string): string | { errno: OpenErrno } {
    const p = this.resolve(path);
    if (typeof p !== 'string') return p;
    const v = this.files.get(p);
    if (v !== undefined) return v;
    return { errno: this.isDir(p) ? 'EISDIR' : 'ENOENT' };
  }

  writeFile(path: string, data: string, append: boolean): null | { errno: OpenErrno } {
    const p = this.resolve(path);
    if (typeof p !== 'string') return p;
    if (!this.files.has(p) && this.isDir(p)) return { errno: 'EISDIR' };
    this.files.set(p, append ? (this.files.get(p) ?? '') + data : data);
    return null;
  }
}
