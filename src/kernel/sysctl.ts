// /proc/sys/net of one namespace: the ctl_table entries every new namespace
// has (sysctl_defaults.ts), each with its type, range, mode and handler, the
// per-device ones (devinet_sysctl, neigh_sysctl), and the entries a subsystem
// registers with a handler of its own at namespace setup (register_net_sysctl:
// nf_conntrack_count, rps_sock_flow_entries). Kernel code reads values by a
// SysctlKey, checked at compile time; /proc/sys reads and writes by name.
import type { Net } from './net_namespace.ts';
import {
  DEV_SYSCTL_TEMPLATES,
  INIT_NET_SYSCTL_DEFAULTS,
  NET_SYSCTL_DEFAULTS,
  type DevConfKey,
  type NeighParmKey,
  type SysctlKey,
} from './sysctl_defaults.ts';

export type { DevConfKey, NeighParmKey, SysctlKey };

/** RDONLY: a 0444 entry (procps-ng warns but does not fail; an open for writing is EACCES). */
export type SysctlError = 'ENOENT' | 'EINVAL' | 'RDONLY' | 'ENOMEM' | 'EIO';

/** What a ctl_table entry's proc_handler does with a write. */
export type CtlType =
  /** proc_dointvec / proc_dointvec_minmax / proc_douintvec: one integer. */
  | 'int'
  /** proc_dointvec on an array (tcp_rmem, ip_local_port_range): integers separated by blanks, shown with tabs. */
  | 'ints'
  /** proc_dostring and the string handlers (tcp_congestion_control, nf_log). */
  | 'string';

/** A ctl_table entry as far as a read or write needs it. */
export interface CtlEntry {
  readonly type: CtlType;
  /** extra1/extra2 of proc_dointvec_minmax: a value outside is EINVAL. */
  readonly min?: number;
  readonly max?: number;
  /** The Linux handler whose rule the write follows, when it is not the plain one. */
  readonly handler?: 'devinet_sysctl_forward' | 'addrconf_sysctl_forward' | 'ipv4_local_port_range' | 'addrconf_sysctl_disable';
  /** Mode 0444: in every namespace, or (nf_conntrack's global limits) outside init_net only. */
  readonly readOnly?: 'always' | 'outside_init_net';
  /** Registered for init_net only (net_core_table, nf_log_all_netns). */
  readonly initNetOnly?: true;
}

/** A handler a subsystem registers with its entry, run on read or write (proc_handler). */
export interface CtlHandler {
  read?(net: Net): string;
  /** Runs before the value is stored; may refuse it. */
  write?(net: Net, n: number): SysctlError | null;
  /** The same for a string entry (proc_dostring handlers such as default_qdisc). */
  writeString?(net: Net, v: string): SysctlError | null;
}

/** The entries whose handler or range is not proc_dointvec's on the default's type. */
const CTL_TABLE: { readonly [K in SysctlKey]?: Partial<CtlEntry> } = {
  // devinet_sysctl_forward() takes any int (-1 included), as 6.18 does
  'net.ipv4.ip_forward': { handler: 'devinet_sysctl_forward' },
  'net.ipv4.ip_local_port_range': { handler: 'ipv4_local_port_range' },
  // ip_ttl_min/ip_ttl_max of ipv4_net_table
  'net.ipv4.ip_default_ttl': { min: 1, max: 255 },
  // SYSCTL_ONE..MAX_TCP_SYNCNT (127); SYSCTL_ZERO..SYSCTL_255
  'net.ipv4.tcp_syn_retries': { min: 1, max: 127 },
  'net.ipv4.tcp_synack_retries': { min: 0, max: 255 },
  'net.netfilter.nf_conntrack_count': { readOnly: 'always' },
  'net.netfilter.nf_conntrack_max': { readOnly: 'outside_init_net' },
  'net.netfilter.nf_conntrack_buckets': { readOnly: 'outside_init_net' },
  'net.netfilter.nf_conntrack_expect_max': { readOnly: 'outside_init_net' },
};

const INT_RE = /^\s*-?\d+\s*$/;

/**
 * proc_get_long() as proc_dointvec uses it: blanks first, an optional '-', a
 * number in base 0 (0x hex, leading 0 octal), then a blank or the end; what
 * follows the first value is not read (a write of "6 4" stores 6).
 */
export function proc_get_long(data: string): number | null {
  const m = /^[ \t\n]*(-?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?=[ \t\n]|$)/.exec(data);
  if (!m) return null;
  const t = m[2] as string;
  const n = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : t.length > 1 && t.startsWith('0') ? parseInt(t, 8) : parseInt(t, 10);
  if (n > Number.MAX_SAFE_INTEGER) return null;
  return m[1] ? -n : n;
}

function typeOf(dflt: string): CtlType {
  return INT_RE.test(dflt) ? 'int' : dflt.includes('\t') ? 'ints' : 'string';
}

/** The ctl_table entry of a name; per-device entries share their template's. */
export function ctl_entry(name: string): CtlEntry | undefined {
  const own = CTL_TABLE[name as SysctlKey];
  let dflt: string | undefined =
    (NET_SYSCTL_DEFAULTS as Record<string, string>)[name] ?? (INIT_NET_SYSCTL_DEFAULTS as Record<string, string>)[name];
  let extra: Partial<CtlEntry> = {};
  if (name in INIT_NET_SYSCTL_DEFAULTS) extra = { initNetOnly: true };
  const dev = /^net\.(ipv4|ipv6)\.(conf|neigh)\.[^.]+\.(.+)$/.exec(name);
  if (dev) {
    dflt ??= (DEV_SYSCTL_TEMPLATES as Record<string, string>)[`net.${dev[1]}.${dev[2]}.{dev}.${dev[3]}`];
    if (dev[2] === 'conf' && dev[3] === 'forwarding')
      extra = dev[1] === 'ipv4' ? { handler: 'devinet_sysctl_forward' } : { handler: 'addrconf_sysctl_forward', min: 0 };
    if (dev[1] === 'ipv6' && dev[3] === 'disable_ipv6') extra = { handler: 'addrconf_sysctl_disable', min: 0 };
  }
  if (dflt === undefined) return undefined;
  return { type: typeOf(dflt), ...extra, ...own };
}

/**
 * A subsystem whose entries are fields of its own structures (addrconf's
 * net.ipv6.conf.*: struct ipv6_devconf): reads come from the field, a write
 * that passed the entry's parsing goes to it. undefined: not one of its entries.
 */
export interface SysctlConfHook {
  read(name: string): string | undefined;
  write(name: string, n: number): SysctlError | null | undefined;
  /** A string entry (stable_secret): the handler's verdict, undefined when not its entry. */
  writeString?(name: string, v: string): SysctlError | null | undefined;
  /** The errno a read fails with (stable_secret before it is set: EIO), null when it reads. */
  readError?(name: string): SysctlError | null;
}

export class Sysctls {
  private readonly values = new Map<string, string>();
  /** net.ipv6.conf.* (ipv6/addrconf.ts addrconf_sysctl_register). */
  confHook: SysctlConfHook | null = null;
  /** Parsed integers, for the per-packet readers; emptied on every write. */
  private readonly ints = new Map<string, number>();
  /** Handlers registered for this namespace's entries. */
  private readonly handlers = new Map<string, CtlHandler>();

  constructor(private readonly net: Net) {
    for (const [k, v] of Object.entries(NET_SYSCTL_DEFAULTS)) this.values.set(k, v);
    if (net.name === 'init_net') for (const [k, v] of Object.entries(INIT_NET_SYSCTL_DEFAULTS)) this.values.set(k, v);
  }

  /** register_net_sysctl(): a subsystem's handler for an entry this namespace has. */
  register(key: SysctlKey, h: CtlHandler): void {
    this.handlers.set(key, h);
  }

  /** Whether this namespace has the entry (a /proc/sys file). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Every entry of this namespace, sorted. */
  keys(): string[] {
    return [...this.values.keys()].sort();
  }

  /** The value as /proc/sys shows it (without the newline). */
  get(key: SysctlKey): string | undefined {
    return this.read(key);
  }

  /** A read by name (/proc/sys). */
  read(name: string): string | undefined {
    if (!this.values.has(name)) return undefined;
    if (this.confHook && name.startsWith('net.ipv6.conf.')) {
      const v = this.confHook.read(name);
      if (v !== undefined) return v;
    }
    const h = this.handlers.get(name);
    return h?.read ? h.read(this.net) : this.values.get(name);
  }

  /** The errno a read of the entry fails with (addrconf_sysctl_stable_secret: EIO), null when it reads. */
  readError(name: string): SysctlError | null {
    if (this.confHook?.readError && name.startsWith('net.ipv6.conf.')) return this.confHook.readError(name);
    return null;
  }

  int(key: SysctlKey): number {
    let n = this.ints.get(key);
    if (n === undefined) {
      const v = this.values.get(key);
      n = v === undefined ? 0 : parseInt(v, 10) || 0;
      this.ints.set(key, n);
    }
    return n;
  }

  /** Per-device ipv4 conf value (net.ipv4.conf.DEV.KEY). */
  devConf(dev: string, key: DevConfKey): number {
    return this.int(`net.ipv4.conf.${dev}.${key}`);
  }

  /** Per-device neighbour parameter (net.ipv4.neigh.DEV.KEY). */
  neighParm(dev: string, key: NeighParmKey): number {
    const k: SysctlKey = `net.ipv4.neigh.${dev}.${key}`;
    return this.values.has(k) ? this.int(k) : this.int(`net.ipv4.neigh.default.${key}`);
  }

  /** Whether the entry is 0444 in this namespace. */
  readOnly(name: string): boolean {
    const ro = ctl_entry(name)?.readOnly;
    return ro === 'always' || (ro === 'outside_init_net' && this.net.name !== 'init_net');
  }

  /** Writes a value as the kernel's handler does; returns the errno the write fails with. */
  set(key: SysctlKey, value: string): SysctlError | null {
    return this.write(key, value);
  }

  /** A write by name (/proc/sys, sysctl -w). */
  write(name: string, value: string): SysctlError | null {
    this.ints.clear();
    const cur = this.values.get(name);
    const e = ctl_entry(name);
    if (cur === undefined || !e) return 'ENOENT';
    if (this.readOnly(name)) return 'RDONLY';
    const v = value.trim();
    if (e.type === 'int') {
      const n = proc_get_long(value);
      if (n === null) return 'EINVAL';
      const hook = this.handlers.get(name)?.write;
      if (hook) {
        const err = hook(this.net, n);
        if (err) return err;
      }
      if ((e.min !== undefined && n < e.min) || (e.max !== undefined && n > e.max)) return 'EINVAL';
      if (this.confHook && name.startsWith('net.ipv6.conf.')) {
        const err = this.confHook.write(name, n);
        if (err) return err;
      }
      this.values.set(name, String(n));
      if (e.handler === 'devinet_sysctl_forward' && (name === 'net.ipv4.ip_forward' || name === 'net.ipv4.conf.all.forwarding'))
        this.forwardChange(n);
      return null;
    }
    if (e.type === 'ints') {
      const parts = v.split(/\s+/);
      if (parts.length !== cur.split('\t').length || !parts.every((p) => INT_RE.test(p))) return 'EINVAL';
      if (e.handler === 'ipv4_local_port_range') {
        const lo = Number(parts[0]);
        const hi = Number(parts[1]);
        if (lo >= hi || lo < 1 || hi > 65535) return 'EINVAL';
      }
      this.values.set(name, parts.join('\t'));
      return null;
    }
    if (this.confHook?.writeString && name.startsWith('net.ipv6.conf.')) {
      const err = this.confHook.writeString(name, value);
      if (err !== undefined) return err;
    }
    const hook = this.handlers.get(name)?.writeString;
    if (hook) {
      const err = hook(this.net, v);
      if (err) return err;
    }
    this.values.set(name, v);
    return null;
  }

  /** The value a handler's own propagation gives another entry (addrconf_disable_change, addrconf_fixup_forwarding). */
  store(name: string, value: string): void {
    if (!this.values.has(name)) return;
    this.ints.clear();
    this.values.set(name, value);
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
