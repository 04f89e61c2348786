// /proc/sys/net of one namespace: every key a new namespace has, its value as
// text, and the writes that change more than one key (ip_forward).
import type { Net } from './net_namespace.ts';
import { DEV_SYSCTL_TEMPLATES, NET_SYSCTL_DEFAULTS } from './sysctl_defaults.ts';

/** The NAPI and backlog knobs of net_core_table, with 6.18's defaults at HZ=250. */
const INIT_NET_CORE_SYSCTLS: Readonly<Record<string, string>> = {
  'net.core.dev_weight': '64',
  'net.core.dev_weight_rx_bias': '1',
  'net.core.dev_weight_tx_bias': '1',
  'net.core.gro_normal_batch': '8',
  'net.core.netdev_budget': '300',
  'net.core.netdev_budget_usecs': '8000',
  'net.core.netdev_max_backlog': '1000',
  'net.core.rps_sock_flow_entries': '0',
};

/** RDONLY: a 0444 entry (procps-ng warns but does not fail). */
export type SysctlError = 'ENOENT' | 'EINVAL' | 'RDONLY' | 'ENOMEM';

const INT_RE = /^\s*-?\d+\s*$/;

export class Sysctls {
  private readonly values = new Map<string, string>();
  /** Parsed integers, for the per-packet readers; emptied on every write. */
  private readonly ints = new Map<string, number>();

  constructor(private readonly net: Net) {
    for (const [k, v] of Object.entries(NET_SYSCTL_DEFAULTS)) this.values.set(k, v);
    // sysctl_nf_log_all_netns lives in init_net's table only (nf_log.c netfilter_log_sysctl_init)
    if (net.name === 'init_net') this.values.set('net.netfilter.nf_log_all_netns', '0');
    // net_core_table (net/core/sysctl_net_core.c) is registered for init_net only
    if (net.name === 'init_net') for (const [k, v] of Object.entries(INIT_NET_CORE_SYSCTLS)) this.values.set(k, v);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  keys(): string[] {
    return [...this.values.keys()].sort();
  }

  /** Keys whose value the kernel computes when read (nf_conntrack_count). */
  static readonly dynamic = new Map<string, (net: Net) => string>();

  get(key: string): string | undefined {
    const d = Sysctls.dynamic.get(key);
    if (d && this.values.has(key)) return d(this.net);
    return this.values.get(key);
  }

  int(key: string): number {
    let n = this.ints.get(key);
    if (n === undefined) {
      const v = this.values.get(key);
      n = v === undefined ? 0 : parseInt(v, 10) || 0;
      this.ints.set(key, n);
    }
    return n;
  }

  /** Per-device ipv4 conf value (net.ipv4.conf.DEV.KEY). */
  devConf(dev: string, key: string): number {
    return this.int(`net.ipv4.conf.${dev}.${key}`);
  }

  /** Per-device neighbour parameter (net.ipv4.neigh.DEV.KEY). */
  neighParm(dev: string, key: string): number {
    const k = `net.ipv4.neigh.${dev}.${key}`;
    return this.values.has(k) ? this.int(k) : this.int(`net.ipv4.neigh.default.${key}`);
  }

  /** Keys whose proc_handler does more than store an integer (rps_sock_flow_sysctl): it may refuse the value. */
  static readonly writeHooks = new Map<string, (net: Net, n: number) => SysctlError | null>();

  /** Keys a namespace may only read (mode 0444), by a predicate on the namespace. */
  static readonly readOnly = new Map<string, (net: Net) => boolean>();

  /** Writes a value as `sysctl -w` does; returns the errno the write fails with. */
  set(key: string, value: string): SysctlError | null {
    this.ints.clear();
    const cur = this.values.get(key);
    if (cur === undefined) return 'ENOENT';
    if (Sysctls.readOnly.get(key)?.(this.net)) return 'RDONLY';
    const v = value.trim();
    if (INT_RE.test(cur)) {
      if (!INT_RE.test(v)) return 'EINVAL';
      const n = parseInt(v, 10);
      const hook = Sysctls.writeHooks.get(key);
      if (hook) {
        const e = hook(this.net, n);
        if (e) return e;
      }
      if (key.endsWith('disable_ipv6') || key.endsWith('.forwarding') || key === 'net.ipv4.ip_forward') {
        if (n < 0) return 'EINVAL';
      }
      this.values.set(key, String(n));
      if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') this.forwardChange(n);
      return null;
    }
    if (cur.includes('\t')) {
      const parts = v.split(/\s+/);
      if (parts.length !== cur.split('\t').length || !parts.every((p) => INT_RE.test(p))) return 'EINVAL';
      if (key === 'net.ipv4.ip_local_port_range') {
        const lo = Number(parts[0]);
        const hi = Number(parts[1]);
        if (lo >= hi || lo < 1 || hi > 65535) return 'EINVAL';
      }
      this.values.set(key, parts.join('\t'));
      return null;
    }
    this.values.set(key, v);
    return null;
  }

  /** inet_forward_change(): ip_forward and conf.all.forwarding set every device. */
  private forwardChange(n: number): void {
    const s = String(n);
    this.values.set('net.ipv4.ip_forward', s);
    this.values.set('net.ipv4.conf.all.forwarding', s);
    this.values.set('net.ipv4.conf.default.forwarding', s);
    for (const d of this.net.devices) this.values.set(`net.ipv4.conf.${d.name}.forwarding`, s);
  }

  /** Keys of a new device take the `default` values. */
  addDevice(dev: string): void {
    this.ints.clear();
    for (const [tmpl, v] of Object.entries(DEV_SYSCTL_TEMPLATES)) {
      const key = tmpl.replace('{dev}', dev);
      const dflt = this.values.get(tmpl.replace('{dev}', 'default'));
      this.values.set(key, dflt ?? v);
    }
  }

  removeDevice(dev: string): void {
    this.ints.clear();
    for (const tmpl of Object.keys(DEV_SYSCTL_TEMPLATES)) this.values.delete(tmpl.replace('{dev}', dev));
  }

  renameDevice(from: string, to: string): void {
    this.ints.clear();
    for (const tmpl of Object.keys(DEV_SYSCTL_TEMPLATES)) {
      const a = tmpl.replace('{dev}', from);
      const v = this.values.get(a);
      if (v !== undefined) {
        this.values.delete(a);
        this.values.set(tmpl.replace('{dev}', to), v);
      }
    }
  }
}
