// The /proc files skbpath has, kernel side (fs/proc and the seq_files the
// network code registers): /proc/sys (proc_sysctl.ts); /proc/net/softnet_stat
// and /proc/net/{dev,ptype} (net/core/net-procfs.c); /proc/net/snmp, netstat,
// snmp6 and sockstat (net/ipv4/proc.c, net/ipv6/proc.c); /proc/net/{tcp,udp,
// raw,route,arp} (tcp_ipv4.c, udp.c, raw.c, fib_trie.c, arp.c), tcp6, udp6 and
// unix (header lines: skbpath has no IPv6 or AF_UNIX sockets), all of the
// opener's namespace;
// pktgen's /proc/net/pktgen/{pgctrl,kpktgend_0,<dev>} (the initial
// namespace's); /proc/irq/N/{smp_affinity,smp_affinity_list,
// effective_affinity,effective_affinity_list} and /proc/irq/default_smp_affinity
// (kernel/irq/proc.c). Writing "start" to pgctrl blocks until the run ends,
// as on Linux: the simulation runs on inside the write.
import { softnet_seq_show } from '../core/dev.ts';
import {
  pgctrl_show,
  pktgen_if_show,
  pktgen_if_write,
  pktgen_net,
  pktgen_thread,
  pktgen_thread_show,
  pktgen_thread_write,
} from '../core/pktgen.ts';
import { cpumask_print } from '../core/rps.ts';
import { irq_default_affinity, irq_to_desc, show_irq_affinity, write_default_smp_affinity, write_irq_affinity } from '../irq.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { is_proc_sys, proc_sys_read, proc_sys_readdir, proc_sys_write } from './proc_sysctl.ts';
import { netstat_seq_show, snmp6_seq_show, snmp_seq_show } from '../ipv4/proc.ts';
import { dev_seq_show, ptype_seq_show } from '../core/net_procfs.ts';
import { tcp4_seq_show } from '../ipv4/tcp_ipv4.ts';
import { udp4_seq_show } from '../ipv4/udp.ts';
import { raw_seq_show } from '../ipv4/raw.ts';
import { arp_seq_show } from '../ipv4/arp.ts';
import { fib_route_seq_show } from '../ipv4/fib.ts';
import { sockstat_seq_show } from '../ipv4/inet_diag.ts';
import { tcp6_seq_show } from '../ipv6/tcp_ipv6.ts';
import { udp6_seq_show } from '../ipv6/udp.ts';
import { ipv6_route_seq_show } from '../ipv6/route.ts';
import { if6_seq_show } from '../ipv6/addrconf.ts';
import { unix_seq_show } from '../unix/af_unix.ts';

/** The errno a /proc or /sys open, read or write fails with. */
export type ProcErrno = 'ENOENT' | 'EACCES' | 'EISDIR' | 'ENOTDIR' | 'EINVAL' | 'EOVERFLOW' | 'ENOMEM' | 'ERANGE' | 'EIO' | 'EOPNOTSUPP';

const DIRS: ReadonlySet<string> = new Set(['/proc', '/proc/net', '/proc/net/pktgen', '/proc/irq']);
const IRQ_FILE = /^\/proc\/irq\/(\d+)(?:\/(smp_affinity|smp_affinity_list|effective_affinity|effective_affinity_list))?$/;

function initNet(k: Kernel): Net {
  return k.nets.find((n) => n.name === 'init_net') as Net;
}

/** The seq_files of /proc/net that follow the opener's namespace. */
const NET_SEQ: Readonly<Record<string, (net: Net) => string>> = {
  '/proc/net/snmp': snmp_seq_show,
  '/proc/net/netstat': netstat_seq_show,
  '/proc/net/snmp6': snmp6_seq_show,
  '/proc/net/dev': dev_seq_show,
  '/proc/net/route': fib_route_seq_show,
  '/proc/net/arp': arp_seq_show,
  '/proc/net/tcp': tcp4_seq_show,
  '/proc/net/tcp6': tcp6_seq_show,
  '/proc/net/udp': udp4_seq_show,
  '/proc/net/udp6': udp6_seq_show,
  '/proc/net/ipv6_route': ipv6_route_seq_show,
  '/proc/net/if_inet6': if6_seq_show,
  '/proc/net/raw': raw_seq_show,
  '/proc/net/unix': unix_seq_show,
  '/proc/net/ptype': ptype_seq_show,
  '/proc/net/sockstat': sockstat_seq_show,
};

/** The files of NET_SEQ made with proc_create_net_single() (one show(), no iterator). */
const NET_SINGLE: ReadonlySet<string> = new Set(['/proc/net/snmp', '/proc/net/netstat', '/proc/net/snmp6', '/proc/net/sockstat']);

/** A read of a whole /proc file by the opener in `net`. */
export function proc_read(net: Net, path: string): string | { errno: ProcErrno } {
  if (is_proc_sys(path)) return proc_sys_read(net, path);
  const k = net.kernel;
  const p = path.replace(/\/+$/, '');
  if (DIRS.has(p)) return { errno: 'EISDIR' };
  if (p === '/proc/net/softnet_stat') return softnet_seq_show(k);
  const seq = NET_SEQ[p];
  if (seq) return seq(net);
  if (p === '/proc/irq/default_smp_affinity') return `${cpumask_print(irq_default_affinity(k), k.sim.smp.nrCpuIds)}\n`;
  const irq = IRQ_FILE.exec(p);
  if (irq) {
    const d = irq_to_desc(k, Number(irq[1]));
    if (!d) return { errno: 'ENOENT' };
    if (irq[2] === undefined) return { errno: 'EISDIR' };
    return show_irq_affinity(k, d, irq[2]) ?? { errno: 'ENOENT' };
  }
  const pg = pktgen_net(initNet(k));
  if (p === '/proc/net/pktgen/pgctrl') return pgctrl_show();
  if (p === '/proc/net/pktgen/kpktgend_0') return pktgen_thread_show(pg);
  const m = /^\/proc\/net\/pktgen\/([^/]+)$/.exec(p);
  const pd = m ? pg.dev(m[1] as string) : undefined;
  if (pd) return pktgen_if_show(pd);
  return { errno: 'ENOENT' };
}

/** A write(2) to a /proc file; '' is the open for writing (the permission check only). */
export function proc_write(net: Net, path: string, data: string): null | { errno: ProcErrno } {
  if (is_proc_sys(path)) return proc_sys_write(net, path, data);
  const k = net.kernel;
  const p = path.replace(/\/+$/, '');
  if (DIRS.has(p)) return { errno: 'EISDIR' };
  if (p === '/proc/irq/default_smp_affinity') {
    if (data === '') return null;
    const err = write_default_smp_affinity(k, data);
    return err ? { errno: err } : null;
  }
  const irq = IRQ_FILE.exec(p);
  if (irq) {
    const d = irq_to_desc(k, Number(irq[1]));
    if (!d) return { errno: 'ENOENT' };
    if (irq[2] === undefined) return { errno: 'EISDIR' };
    if (data === '') return null;
    // the effective masks are 0444 with no proc_write: root opens them, the write is EIO
    if (irq[2].startsWith('effective')) return { errno: 'EIO' };
    const err = write_irq_affinity(k, d, irq[2] === 'smp_affinity_list', data);
    return err ? { errno: err } : null;
  }
  const pg = pktgen_net(initNet(k));
  const lines = data.split('\n').filter((l) => l.trim() !== '');
  if (p === '/proc/net/pktgen/pgctrl') {
    for (const l of lines) {
      const cmd = l.trim();
      if (cmd === 'start' && !pg.running) {
        // pktgen_run_all_threads(): the writer waits for kpktgend_0
        pg.running = true;
        const t = k.sim.sched.spawn('kpktgend_0', pktgen_thread(pg));
        try {
          k.sim.runUntil(() => t.state === 'exited');
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
  // The 0444 files, as root (CAP_DAC_OVERRIDE) writes them: a proc_create_net_single()
  // file opens and refuses the write(2) with EACCES; a proc_create_net_data() seq_file
  // refuses the open; softnet_stat (proc_create_seq) opens and its write(2) is EIO.
  if (p === '/proc/net/softnet_stat') return data === '' ? null : { errno: 'EIO' };
  if (NET_SINGLE.has(p)) return data === '' ? null : { errno: 'EACCES' };
  if (NET_SEQ[p]) return { errno: 'EACCES' };
  return { errno: 'ENOENT' };
}

/** The names in a /proc directory (getdents), as far as skbpath has them. */
export function proc_readdir(net: Net, path: string): string[] | { errno: ProcErrno } {
  if (is_proc_sys(path)) return proc_sys_readdir(net, path);
  return { errno: 'ENOENT' };
}
