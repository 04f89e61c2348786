// The /proc files the NIC work adds: /proc/net/softnet_stat and pktgen's
// /proc/net/pktgen/{pgctrl,kpktgend_0,<dev>}. They are the initial
// namespace's. /proc/irq/N/{smp_affinity,smp_affinity_list,effective_affinity,
// effective_affinity_list} and /proc/irq/default_smp_affinity for the device
// interrupts (src/kernel/irq.ts). And the sysfs files of RPS, /sys/class/net/DEV/queues/rx-0/
// {rps_cpus,rps_flow_cnt}: /sys/class/net is the opener's namespace's, as
// `ip netns exec` remounts /sys for it.
// Writing "start" to pgctrl blocks until the run ends, as on Linux: the
// simulation runs on inside the write.
import { softnet_seq_show } from '../kernel/core/dev.ts';
import { pgctrl_show, pktgen_if_show, pktgen_if_write, pktgen_net, pktgen_thread, pktgen_thread_show, pktgen_thread_write } from '../kernel/core/pktgen.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Net } from '../kernel/net_namespace.ts';
import type { NetDevice } from '../kernel/core/netdevice.ts';
import type { Sim } from '../sim/sim.ts';
import type { Vfs, WriteErrno } from './proc.ts';
import { cpumask_print, dev_rx_queues, show_rps_flow_cnt, show_rps_map, store_rps_flow_cnt, store_rps_map } from '../kernel/core/rps.ts';
import { irq_default_affinity, irq_to_desc, show_irq_affinity, write_default_smp_affinity, write_irq_affinity } from '../kernel/irq.ts';

type Errno = { errno: 'ENOENT' | 'EACCES' | 'EISDIR' };
type WErrno = { errno: WriteErrno };

interface ProcWorld {
  readonly vfs: Vfs;
  readonly sim: Sim;
  readonly kernel: Kernel;
  readonly initNet: Net;
}

const DIRS = new Set(['/proc', '/proc/net', '/proc/net/pktgen', '/proc/irq']);
const IRQ_FILE = /^\/proc\/irq\/(\d+)(?:\/(smp_affinity|smp_affinity_list|effective_affinity|effective_affinity_list))?$/;

function procRead(w: ProcWorld, path: string): string | Errno {
  const p = path.replace(/\/+$/, '');
  if (DIRS.has(p)) return { errno: 'EISDIR' };
  if (p === '/proc/net/softnet_stat') return softnet_seq_show(w.kernel);
  if (p === '/proc/irq/default_smp_affinity') return `${cpumask_print(irq_default_affinity(w.kernel), w.kernel.sim.smp.nrCpuIds)}\n`;
  const irq = IRQ_FILE.exec(p);
  if (irq) {
    const d = irq_to_desc(w.kernel, Number(irq[1]));
    if (!d) return { errno: 'ENOENT' };
    if (irq[2] === undefined) return { errno: 'EISDIR' };
    return show_irq_affinity(w.kernel, d, irq[2]) ?? { errno: 'ENOENT' };
  }
  const pg = pktgen_net(w.initNet);
  if (p === '/proc/net/pktgen/pgctrl') return pgctrl_show();
  if (p === '/proc/net/pktgen/kpktgend_0') return pktgen_thread_show(pg);
  const m = /^\/proc\/net\/pktgen\/([^/]+)$/.exec(p);
  const pd = m ? pg.dev(m[1] as string) : undefined;
  if (pd) return pktgen_if_show(pd);
  return { errno: 'ENOENT' };
}

function procWrite(w: ProcWorld, path: string, data: string): null | WErrno {
  const p = path.replace(/\/+$/, '');
  if (DIRS.has(p)) return { errno: 'EISDIR' };
  if (p === '/proc/irq/default_smp_affinity') {
    if (data === '') return null;
    const err = write_default_smp_affinity(w.kernel, data);
    return err ? { errno: err } : null;
  }
  const irq = IRQ_FILE.exec(p);
  if (irq) {
    const d = irq_to_desc(w.kernel, Number(irq[1]));
    if (!d) return { errno: 'ENOENT' };
    if (irq[2] === undefined) return { errno: 'EISDIR' };
    if (data === '') return null;
    // the effective masks are 0444 with no proc_write: root opens them, the write is EIO
    if (irq[2].startsWith('effective')) return { errno: 'EIO' };
    const err = write_irq_affinity(w.kernel, d, irq[2] === 'smp_affinity_list', data);
    return err ? { errno: err } : null;
  }
  const pg = pktgen_net(w.initNet);
  const lines = data.split('\n').filter((l) => l.trim() !== '');
  if (p === '/proc/net/pktgen/pgctrl') {
    for (const l of lines) {
      const cmd = l.trim();
      if (cmd === 'start' && !pg.running) {
        // pktgen_run_all_threads(): the writer waits for kpktgend_0
        pg.running = true;
        const t = w.sim.sched.spawn('kpktgend_0', pktgen_thread(pg));
        try {
          w.sim.runUntil(() => t.state === 'exited');
        } finally {
          pg.running = false;
        }
      } else if (cmd === 'stop' || cmd === 'reset') {
        for (const d of pg.devs) d.running = false;
        if (cmd === 'reset') pg.devs.length = 0;
      }
    }
    return null;
  }
  if (p === '/proc/net/pktgen/kpktgend_0') {
    for (const l of lines) pktgen_thread_write(pg, l);
    return null;
  }
  const m = /^\/proc\/net\/pktgen\/([^/]+)$/.exec(p);
  const pd = m ? pg.dev(m[1] as string) : undefined;
  if (pd) {
    for (const l of lines) pd.result = pktgen_if_write(pd, l);
    return null;
  }
  if (p === '/proc/net/softnet_stat') return { errno: 'EACCES' };
  return { errno: 'ENOENT' };
}

/** What a /sys path names: a directory, an rx queue's attribute, or nothing. */
function sysfsLookup(path: string, net: Net): 'dir' | { attr: 'rps_cpus' | 'rps_flow_cnt'; dev: NetDevice } | null {
  const p = path.replace(/\/+/g, '/').replace(/\/$/, '');
  if (p === '/sys' || p === '/sys/class' || p === '/sys/class/net') return 'dir';
  const m = /^\/sys\/class\/net\/([^/]+)(\/queues(?:\/(rx-0|tx-0)(?:\/([^/]+))?)?)?$/.exec(p);
  if (!m) return null;
  const dev = net.devByName.get(m[1] as string);
  if (!dev) return null;
  if (m[4] === undefined) return 'dir';
  if (m[3] === 'rx-0' && (m[4] === 'rps_cpus' || m[4] === 'rps_flow_cnt')) return { attr: m[4], dev };
  return null;
}

function sysRead(w: ProcWorld, path: string, net: Net): string | Errno {
  const f = sysfsLookup(path, net);
  if (f === null) return { errno: 'ENOENT' };
  if (f === 'dir') return { errno: 'EISDIR' };
  const q = dev_rx_queues(f.dev)[0];
  if (!q) return { errno: 'ENOENT' };
  return f.attr === 'rps_cpus' ? show_rps_map(w.kernel, q) : show_rps_flow_cnt(q);
}

/** A write(2) to a sysfs attribute: the whole buffer goes to its store(); the opening ('' data) only checks. */
function sysWrite(w: ProcWorld, path: string, data: string, net: Net): null | WErrno {
  const f = sysfsLookup(path, net);
  // sysfs creates no files: a new name in an existing directory is EACCES
  if (f === null) {
    const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
    return { errno: sysfsLookup(parent, net) === 'dir' ? 'EACCES' : 'ENOENT' };
  }
  if (f === 'dir') return { errno: 'EISDIR' };
  if (data === '') return null;
  const q = dev_rx_queues(f.dev)[0];
  if (!q) return { errno: 'ENOENT' };
  const err = f.attr === 'rps_cpus' ? store_rps_map(w.kernel, q, data) : store_rps_flow_cnt(w.kernel, q, data);
  return err ? { errno: err } : null;
}

/** Puts /proc in front of the world's files (the Vfs keeps its identity; its methods are wrapped). */
export function installProcfs(w: ProcWorld): void {
  const vfs = w.vfs;
  const read = vfs.readFile.bind(vfs);
  const write = vfs.writeFile.bind(vfs);
  const isSys = (path: string): boolean => path === '/sys' || path.startsWith('/sys/');
  vfs.readFile = (path, net) =>
    path === '/proc' || path.startsWith('/proc/') ? procRead(w, path) : isSys(path) ? sysRead(w, path, net ?? w.initNet) : read(path, net);
  vfs.writeFile = (path, data, append, net) =>
    path === '/proc' || path.startsWith('/proc/') ? procWrite(w, path, data) : isSys(path) ? sysWrite(w, path, data, net ?? w.initNet) : write(path, data, append, net);
}
