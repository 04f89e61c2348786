// The sysfs attributes of net-sysfs.c skbpath has: /sys/class/net/DEV/queues/
// rx-0/{rps_cpus,rps_flow_cnt}. /sys/class/net is the opener's namespace's,
// as `ip netns exec` remounts /sys for it. sysfs creates no files: a new name
// in an existing directory is EACCES.
import type { NetDevice } from '../core/netdevice.ts';
import { dev_rx_queues, show_rps_flow_cnt, show_rps_map, store_rps_flow_cnt, store_rps_map } from '../core/rps.ts';
import type { Net } from '../net_namespace.ts';
import type { ProcErrno } from './proc.ts';

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

export function sysfs_read(net: Net, path: string): string | { errno: ProcErrno } {
  const f = sysfsLookup(path, net);
  if (f === null) return { errno: 'ENOENT' };
  if (f === 'dir') return { errno: 'EISDIR' };
  const q = dev_rx_queues(f.dev)[0];
  if (!q) return { errno: 'ENOENT' };
  return f.attr === 'rps_cpus' ? show_rps_map(net.kernel, q) : show_rps_flow_cnt(q);
}

/** A write(2) to a sysfs attribute: the whole buffer goes to its store(); the opening ('' data) only checks. */
export function sysfs_write(net: Net, path: string, data: string): null | { errno: ProcErrno } {
  const f = sysfsLookup(path, net);
  if (f === null) {
    const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
    return { errno: sysfsLookup(parent, net) === 'dir' ? 'EACCES' : 'ENOENT' };
  }
  if (f === 'dir') return { errno: 'EISDIR' };
  if (data === '') return null;
  const q = dev_rx_queues(f.dev)[0];
  if (!q) return { errno: 'ENOENT' };
  const err = f.attr === 'rps_cpus' ? store_rps_map(net.kernel, q, data) : store_rps_flow_cnt(net.kernel, q, data);
  return err ? { errno: err } : null;
}
