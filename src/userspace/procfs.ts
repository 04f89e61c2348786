// The /proc files the NIC work adds: /proc/net/softnet_stat and pktgen's
// /proc/net/pktgen/{pgctrl,kpktgend_0,<dev>}. They are the initial
// namespace's (a file open does not know the opener's namespace here).
// Writing "start" to pgctrl blocks until the run ends, as on Linux: the
// simulation runs on inside the write.
import { softnet_seq_show } from '../kernel/core/dev.ts';
import { pgctrl_show, pktgen_if_show, pktgen_if_write, pktgen_net, pktgen_thread, pktgen_thread_show, pktgen_thread_write } from '../kernel/core/pktgen.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Net } from '../kernel/net_namespace.ts';
import type { Sim } from '../sim/sim.ts';
import type { Vfs } from './proc.ts';

type Errno = { errno: 'ENOENT' | 'EACCES' | 'EISDIR' };

interface ProcWorld {
  readonly vfs: Vfs;
  readonly sim: Sim;
  readonly kernel: Kernel;
  readonly initNet: Net;
}

const DIRS = new Set(['/proc', '/proc/net', '/proc/net/pktgen']);

function procRead(w: ProcWorld, path: string): string | Errno {
  const p = path.replace(/\/+$/, '');
  if (DIRS.has(p)) return { errno: 'EISDIR' };
  if (p === '/proc/net/softnet_stat') return softnet_seq_show(w.kernel);
  const pg = pktgen_net(w.initNet);
  if (p === '/proc/net/pktgen/pgctrl') return pgctrl_show();
  if (p === '/proc/net/pktgen/kpktgend_0') return pktgen_thread_show(pg);
  const m = /^\/proc\/net\/pktgen\/([^/]+)$/.exec(p);
  const pd = m ? pg.dev(m[1] as string) : undefined;
  if (pd) return pktgen_if_show(pd);
  return { errno: 'ENOENT' };
}

function procWrite(w: ProcWorld, path: string, data: string): null | Errno {
  const p = path.replace(/\/+$/, '');
  if (DIRS.has(p)) return { errno: 'EISDIR' };
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

/** Puts /proc in front of the world's files (the Vfs keeps its identity; its methods are wrapped). */
export function installProcfs(w: ProcWorld): void {
  const vfs = w.vfs;
  const read = vfs.readFile.bind(vfs);
  const write = vfs.writeFile.bind(vfs);
  vfs.readFile = (path) => (path === '/proc' || path.startsWith('/proc/') ? procRead(w, path) : read(path));
  vfs.writeFile = (path, data, append) => (path === '/proc' || path.startsWith('/proc/') ? procWrite(w, path, data) : write(path, data, append));
}
