// The sysfs attributes of net/core/net-sysfs.c skbpath has, under
// /sys/class/net/DEV/: the net_class attributes (address, mtu, operstate,
// carrier, flags, speed, ...), statistics/* (dev_get_stats), and
// queues/rx-0/{rps_cpus,rps_flow_cnt}. /sys/class/net is the opener's
// namespace's, as `ip netns exec` remounts /sys for it. sysfs creates no
// files: a new name in an existing directory is EACCES, and so is opening a
// 0444 attribute for writing. A show() that fails (carrier of a device that is
// down) fails the read(2); a store() gets the whole write(2) buffer.
import { dev_get_stats, type NetDevice, type OperState } from '../core/netdevice.ts';
import { dev_change_flags, dev_get_iflink, dev_set_mtu } from '../core/rtnetlink.ts';
import { dev_rx_queues, show_rps_flow_cnt, show_rps_map, store_rps_flow_cnt, store_rps_map } from '../core/rps.ts';
import type { Net } from '../net_namespace.ts';
import { IFF_UP } from '../uapi/if.ts';
import type { ProcErrno } from './proc.ts';

type Show = (dev: NetDevice) => string | ProcErrno;
type Store = (dev: NetDevice, v: number) => ProcErrno | null;

/** IFALIASZ */
const IFALIASZ = 256;

/** sysfs_format_mac(): "%*phC\n" */
function format_mac(mac: Uint8Array): string {
  return `${[...mac.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(':')}\n`;
}

/** The kernel's %#x: "0x" before the hex digits, zero included. */
function fmt_hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}\n`;
}

const OPERSTATE_NAMES: Readonly<Record<OperState, string>> = {
  UNKNOWN: 'unknown',
  NOTPRESENT: 'notpresent',
  DOWN: 'down',
  LOWERLAYERDOWN: 'lowerlayerdown',
  TESTING: 'testing',
  DORMANT: 'dormant',
  UP: 'up',
};

const running = (dev: NetDevice): boolean => (dev.flags & IFF_UP) !== 0;

/** speed_show() / duplex_show(): the driver's link settings, while the device is up. */
function ksettings(dev: NetDevice): { speed: number; duplex: number } | null {
  if (!running(dev)) return null;
  return dev.ops.ethtool_ops?.get_link_ksettings?.(dev) ?? null;
}

/** net_class_attrs[]: the show() of each attribute skbpath has. */
const SHOW: Readonly<Record<string, Show>> = {
  netdev_group: (d) => `${d.group}\n`,
  type: (d) => `${d.type}\n`,
  dev_id: () => fmt_hex(0),
  dev_port: () => '0\n',
  iflink: (d) => `${dev_get_iflink(d)}\n`,
  ifindex: (d) => `${d.ifindex}\n`,
  addr_len: () => '6\n',
  link_mode: () => '0\n',
  address: (d) => format_mac(d.devAddr),
  broadcast: (d) => format_mac(d.broadcast),
  speed: (d) => {
    const k = ksettings(d);
    return k ? `${k.speed}\n` : 'EINVAL';
  },
  duplex: (d) => {
    const k = ksettings(d);
    if (!k) return 'EINVAL';
    return `${k.duplex === 0 ? 'half' : k.duplex === 1 ? 'full' : 'unknown'}\n`;
  },
  dormant: (d) => (running(d) ? '0\n' : 'EINVAL'),
  operstate: (d) => `${OPERSTATE_NAMES[running(d) ? d.operstate : 'DOWN']}\n`,
  carrier_changes: (d) => `${d.carrierUpCount + d.carrierDownCount}\n`,
  ifalias: (d) => (d.alias ? `${d.alias}\n` : ''),
  carrier: (d) => (running(d) ? `${d.carrier ? 1 : 0}\n` : 'EINVAL'),
  mtu: (d) => `${d.mtu}\n`,
  flags: (d) => fmt_hex(d.flags),
  tx_queue_len: (d) => `${d.txQueueLen}\n`,
  carrier_up_count: (d) => `${d.carrierUpCount}\n`,
  carrier_down_count: (d) => `${d.carrierDownCount}\n`,
};

/** The 0644 attributes: netdev_store() parses the number, then the setter runs. */
const STORE: Readonly<Record<string, Store>> = {
  netdev_group: (d, v) => {
    d.group = v | 0;
    return null;
  },
  // carrier_store(): only a driver with ndo_change_carrier (dummy) takes it
  carrier: () => 'EOPNOTSUPP',
  mtu: (d, v) => (dev_set_mtu(d, v | 0) < 0 ? 'EINVAL' : null),
  flags: (d, v) => {
    // dev_change_flags(): every bit takes its value from the new flags; UP opens or closes
    const change = (0xffffffff & ~IFF_UP) | ((d.flags ^ v) & IFF_UP);
    dev_change_flags(d, v >>> 0, change >>> 0);
    return null;
  },
  tx_queue_len: (d, v) => {
    if (v > 0xffffffff) return 'ERANGE';
    d.txQueueLen = v;
    return null;
  },
};

/** netstat_attrs[]: statistics/NAME from dev_get_stats(). */
function netstat_show(d: NetDevice, name: string): number | null {
  const st = dev_get_stats(d);
  const v: Record<string, number> = {
    rx_packets: st.rx_packets,
    tx_packets: st.tx_packets,
    rx_bytes: st.rx_bytes,
    tx_bytes: st.tx_bytes,
    rx_errors: st.rx_errors,
    tx_errors: st.tx_errors,
    rx_dropped: st.rx_dropped,
    tx_dropped: st.tx_dropped,
    multicast: st.multicast,
    collisions: st.collisions,
    rx_length_errors: st.rx_length_errors,
    rx_over_errors: 0,
    rx_crc_errors: 0,
    rx_frame_errors: 0,
    rx_fifo_errors: 0,
    rx_missed_errors: st.rx_missed_errors,
    tx_aborted_errors: 0,
    tx_carrier_errors: st.tx_carrier_errors,
    tx_fifo_errors: 0,
    tx_heartbeat_errors: 0,
    tx_window_errors: 0,
    rx_compressed: 0,
    tx_compressed: 0,
    rx_nohandler: st.rx_nohandler,
  };
  return v[name] ?? null;
}

const NETSTAT_ATTRS = [
  'rx_packets',
  'tx_packets',
  'rx_bytes',
  'tx_bytes',
  'rx_errors',
  'tx_errors',
  'rx_dropped',
  'tx_dropped',
  'multicast',
  'collisions',
  'rx_length_errors',
  'rx_over_errors',
  'rx_crc_errors',
  'rx_frame_errors',
  'rx_fifo_errors',
  'rx_missed_errors',
  'tx_aborted_errors',
  'tx_carrier_errors',
  'tx_fifo_errors',
  'tx_heartbeat_errors',
  'tx_window_errors',
  'rx_compressed',
  'tx_compressed',
  'rx_nohandler',
] as const;

/**
 * kstrtoul(buf, 0): an optional '+', then 0x-hex, 0-octal or decimal, and at
 * most one trailing newline; nothing else (no spaces, no sign).
 */
export function kstrtoul(buf: string): number | 'EINVAL' | 'ERANGE' {
  let s = buf.endsWith('\n') ? buf.slice(0, -1) : buf;
  if (s.startsWith('+')) s = s.slice(1);
  let base = 10;
  if (/^0[xX][0-9a-fA-F]/.test(s)) {
    base = 16;
    s = s.slice(2);
  } else if (s.length > 1 && s.startsWith('0')) base = 8;
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return 'EINVAL';
  const v = BigInt(base === 16 ? `0x${s}` : base === 8 ? `0o${s}` : s);
  if (v > 0xffffffffffffffffn) return 'ERANGE';
  return Number(v);
}

type Node =
  | { kind: 'dir'; names: () => string[] }
  | { kind: 'attr'; dev: NetDevice; name: string }
  | { kind: 'stat'; dev: NetDevice; name: string }
  | { kind: 'rps'; dev: NetDevice; name: 'rps_cpus' | 'rps_flow_cnt' };

const dir = (names: () => string[]): Node => ({ kind: 'dir', names });

/** What a /sys path names, or null. */
function sysfsLookup(path: string, net: Net): Node | null {
  const p = path.replace(/\/+/g, '/').replace(/\/$/, '');
  if (p === '/sys') return dir(() => ['class']);
  if (p === '/sys/class') return dir(() => ['net']);
  if (p === '/sys/class/net') return dir(() => net.devices.map((d) => d.name));
  const m = /^\/sys\/class\/net\/([^/]+)(?:\/(.*))?$/.exec(p);
  if (!m) return null;
  const dev = net.devByName.get(m[1] as string);
  if (!dev) return null;
  const rest = m[2];
  if (rest === undefined)
    return dir(() => [...Object.keys(SHOW), ...Object.keys(dev.ops.sysfs_attrs ?? {}), 'queues', 'statistics'].sort());
  if (rest === 'statistics') return dir(() => [...NETSTAT_ATTRS].sort());
  if (rest === 'queues') return dir(() => ['rx-0', 'tx-0']);
  if (rest === 'queues/rx-0') return dir(() => ['rps_cpus', 'rps_flow_cnt']);
  if (rest === 'queues/tx-0') return dir(() => []);
  if (rest === 'queues/rx-0/rps_cpus' || rest === 'queues/rx-0/rps_flow_cnt') {
    return { kind: 'rps', dev, name: rest.slice('queues/rx-0/'.length) as 'rps_cpus' | 'rps_flow_cnt' };
  }
  const st = /^statistics\/([^/]+)$/.exec(rest);
  if (st) return netstat_show(dev, st[1] as string) === null ? null : { kind: 'stat', dev, name: st[1] as string };
  if (dev.ops.sysfs_attrs && Object.hasOwn(dev.ops.sysfs_attrs, rest)) return { kind: 'attr', dev, name: rest };
  return Object.hasOwn(SHOW, rest) ? { kind: 'attr', dev, name: rest } : null;
}

export function sysfs_read(net: Net, path: string): string | { errno: ProcErrno } {
  const f = sysfsLookup(path, net);
  if (f === null) return { errno: 'ENOENT' };
  if (f.kind === 'dir') return { errno: 'EISDIR' };
  if (f.kind === 'stat') return `${netstat_show(f.dev, f.name)}\n`;
  if (f.kind === 'rps') {
    const q = dev_rx_queues(f.dev)[0];
    if (!q) return { errno: 'ENOENT' };
    return f.name === 'rps_cpus' ? show_rps_map(net.kernel, q) : show_rps_flow_cnt(q);
  }
  const own = f.dev.ops.sysfs_attrs?.[f.name];
  const r = own ? own(f.dev) : (SHOW[f.name] as Show)(f.dev);
  return r === 'EINVAL' ? { errno: 'EINVAL' } : r;
}

/** A write(2) to a sysfs attribute: the whole buffer goes to its store(); the opening ('' data) only checks. */
export function sysfs_write(net: Net, path: string, data: string): null | { errno: ProcErrno } {
  const f = sysfsLookup(path, net);
  if (f === null) {
    const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
    return { errno: sysfsLookup(parent, net)?.kind === 'dir' ? 'EACCES' : 'ENOENT' };
  }
  if (f.kind === 'dir') return { errno: 'EISDIR' };
  if (f.kind === 'stat') return { errno: 'EACCES' };
  if (f.kind === 'rps') {
    if (data === '') return null;
    const q = dev_rx_queues(f.dev)[0];
    if (!q) return { errno: 'ENOENT' };
    const err = f.name === 'rps_cpus' ? store_rps_map(net.kernel, q, data) : store_rps_flow_cnt(net.kernel, q, data);
    return err ? { errno: err } : null;
  }
  if (f.name === 'ifalias') {
    if (data === '') return null;
    // ifalias_store(): a trailing newline is not part of the alias
    const a = data.endsWith('\n') ? data.slice(0, -1) : data;
    if (a.length >= IFALIASZ) return { errno: 'EINVAL' };
    f.dev.alias = a;
    return null;
  }
  const store = STORE[f.name];
  if (!store) return { errno: 'EACCES' };
  if (data === '') return null;
  if (f.name === 'carrier') return { errno: 'EOPNOTSUPP' };
  const v = kstrtoul(data);
  if (typeof v !== 'number') return { errno: v };
  const err = store(f.dev, v);
  return err ? { errno: err } : null;
}

/** The names in a /sys/class/net directory. */
export function sysfs_readdir(net: Net, path: string): string[] | { errno: ProcErrno } {
  const f = sysfsLookup(path, net);
  if (f === null) return { errno: 'ENOENT' };
  if (f.kind !== 'dir') return { errno: 'ENOTDIR' };
  return f.names();
}
