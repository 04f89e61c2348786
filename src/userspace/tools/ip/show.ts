// ip/ipaddress.c: how `ip link` and `ip addr` describe devices and addresses
// (print_linkinfo, print_addrinfo, print_stats64) and the listing both share
// (ipaddr_list_flush_or_save).
import {
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  IFF_ALLMULTI,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
  type NetDevice,
} from '../../../kernel/core/netdevice.ts';
import type { InIfaddr } from '../../../kernel/ipv4/devinet.ts';
import { dev_set_allmulti, dev_set_promiscuity } from '../../../kernel/core/dev.ts';
import { bridgeDetails } from './link_bridge.ts';
import { inetMakeMask } from '../../../kernel/ipv4/fib.ts';
import {
  AF_INET,
  AF_PACKET,
  AF_UNSPEC,
  Args,
  devByName,
  fmtMac,
  getPrefix,
  type InetPrefix,
  Ip,
  ipv4,
  matches,
  scopeId,
  scopeName,
} from './common.ts';
import { __inet_del_ifa as inet_del_ifa_full } from '../../../kernel/ipv4/devinet.ts';
import { linkNet, nameFromNsid, peernet2id } from './nsid.ts';

// --- what the kernel keeps about a device that the model does not ---

/** Devices whose qdisc was attached (dev_activate): noqueue from the first up until they leave their namespace. */
const activated = new WeakSet<NetDevice>();
/** carrier_up_count + carrier_down_count, as far as `ip` has seen them change. */
const carrierSeen = new WeakMap<NetDevice, { last: boolean; changes: number }>();
/** dev->gflags: promisc/allmulti asked for by the user. */
const gflags = new WeakMap<NetDevice, number>();

export function noteCarrier(dev: NetDevice): number {
  let c = carrierSeen.get(dev);
  if (!c) {
    // a veth starts with its carrier switched off by veth_newlink
    const base = dev.ops.kind === 'veth' ? (dev.carrier ? 2 : 1) : 0;
    carrierSeen.set(dev, (c = { last: dev.carrier, changes: base }));
  } else if (c.last !== dev.carrier) {
    c.last = dev.carrier;
    c.changes++;
  }
  return c.changes;
}

/** A new veth: its carrier went off once when it was created. */
export function noteCreated(dev: NetDevice): void {
  carrierSeen.set(dev, { last: dev.carrier, changes: 1 });
}

export function noteState(dev: NetDevice): void {
  if (dev.flags & IFF_UP) activated.add(dev);
  noteCarrier(dev);
}

/** The device left its namespace: dev_shutdown() put back noop. */
export function noteMoved(dev: NetDevice): void {
  activated.delete(dev);
}

export function setGflag(dev: NetDevice, flag: number, on: boolean): void {
  const g = gflags.get(dev) ?? 0;
  gflags.set(dev, on ? g | flag : g & ~flag);
  // __dev_change_flags(): the user's promisc/allmulti count like any other holder's
  if (((g & flag) !== 0) !== on) {
    if (flag === IFF_PROMISC) dev_set_promiscuity(dev, on ? 1 : -1);
    else if (flag === IFF_ALLMULTI) dev_set_allmulti(dev, on ? 1 : -1);
  }
}

function qdiscOf(dev: NetDevice): string {
  if (dev.flags & IFF_UP) activated.add(dev);
  return activated.has(dev) ? (dev.qdisc ? dev.qdisc.kind : 'noqueue') : 'noop';
}

/** dev_get_flags(): RUNNING and LOWER_UP from the operational state and carrier. */
export function devGetFlags(dev: NetDevice): number {
  let f = dev.flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT);
  f |= (gflags.get(dev) ?? 0) & (IFF_PROMISC | IFF_ALLMULTI);
  if (dev.flags & IFF_UP) {
    if (dev.operstate === 'UP' || dev.operstate === 'UNKNOWN') f |= IFF_RUNNING;
    if (dev.carrier) f |= IFF_LOWER_UP;
  }
  return f;
}

/** dev->max_mtu as rtnetlink reports it (0: no limit, as on lo). */
function maxMtuOf(dev: NetDevice): number {
  return dev.maxMtu >= 0x7fffffff ? 0 : dev.maxMtu;
}

// --- printing ---

const FLAG_NAMES: [number, string][] = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_DEBUG, 'DEBUG'],
  [0x8000, 'DYNAMIC'],
  [0x4000, 'AUTOMEDIA'],
  [0x2000, 'PORTSEL'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
  [IFF_DORMANT, 'DORMANT'],
  [0x40000, 'ECHO'],
];

/** print_link_flags() */
export function linkFlags(flags: number, mdown: boolean): string {
  let s = '<';
  let f = flags;
  if (f & IFF_UP && !(f & IFF_RUNNING)) s += f ? 'NO-CARRIER,' : 'NO-CARRIER';
  f &= ~IFF_RUNNING;
  for (const [bit, name] of FLAG_NAMES) {
    if (!(f & bit)) continue;
    f &= ~bit;
    s += f ? `${name},` : name;
  }
  if (f) s += f.toString(16);
  if (mdown) s += ',M-DOWN';
  return `${s}> `;
}

function llType(dev: NetDevice): string {
  if (dev.type === ARPHRD_ETHER) return 'ether';
  if (dev.type === ARPHRD_LOOPBACK) return 'loopback';
  return `[${dev.type}]`;
}

/** print_name_and_link(): "va@vb", "va@if2" across namespaces; M-DOWN when a local peer is down. */
function nameAndLink(dev: NetDevice): { name: string; mdown: boolean } {
  if (dev.ops.kind !== 'veth') return { name: dev.name, mdown: false };
  const peer = dev.peer;
  if (!peer) return { name: `${dev.name}@NONE`, mdown: false };
  if (peer.net !== dev.net) return { name: `${dev.name}@if${peer.ifindex}`, mdown: false };
  return { name: `${dev.name}@${peer.name}`, mdown: !(peer.flags & IFF_UP) };
}

export interface LinkFilter {
  up: boolean;
  master: number;
  kind: string | null;
  group: number;
}

/** print_num() */
function num(ip: Ip, width: number, v: number): string {
  if (!ip.opts.human || v < 1000) return `${String(v).padStart(width)} `;
  const prefix = 'kMGTPE';
  let p = 0;
  let powi = 1;
  for (;;) {
    powi *= 1000;
    if (Math.floor(v / 1000) < powi) break;
    if (p + 1 >= prefix.length) break;
    p++;
  }
  let precision = 2;
  let powj = 1;
  for (; precision > 0; precision--) {
    powj *= 10;
    if (Math.floor(v / powi) < powj) break;
  }
  return `${`${(v / powi).toFixed(precision)}${prefix[p]}`.padStart(width)} `;
}

function sizeColumns(ip: Ip, cols: number[], vals: number[]): void {
  if (ip.opts.human) return;
  vals.forEach((v, i) => {
    const len = String(v).length;
    if (len > (cols[i] as number)) cols[i] = len;
  });
}

/** print_stats64(): the RX/TX block `ip -s` prints, columns sized to the numbers. */
export function printStats(ip: Ip, dev: NetDevice): string {
  const st = dev.stats;
  const txDropped = st.tx_dropped + dev.privDropped;
  const cc = noteCarrier(dev);
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  const SL = ip.SL;
  sizeColumns(ip, cols, [st.rx_bytes, st.rx_packets, st.rx_errors, st.rx_dropped, st.rx_missed_errors, st.multicast, 0, 0]);
  if (ip.opts.stats > 1) sizeColumns(ip, cols, [0, 0, 0, 0, 0, 0, st.rx_nohandler, st.rx_otherhost_dropped]);
  sizeColumns(ip, cols, [st.tx_bytes, st.tx_packets, st.tx_errors, txDropped, st.tx_carrier_errors, st.collisions, 0, 0]);
  if (ip.opts.stats > 1) sizeColumns(ip, cols, [0, 0, 0, 0, 0, 0, cc, 0]);
  const c = (i: number): number => cols[i] as number;
  const pad = (s: string, w: number): string => s.padStart(w);
  let s = `    RX: ${pad('bytes', c(0) - 4)} ${pad('packets', c(1))} ${pad('errors', c(2))} ${pad('dropped', c(3))} ${pad('missed', c(4))} ${pad('mcast', c(5))} ${pad('', c(6))}${SL}`;
  s += `    ${num(ip, c(0), st.rx_bytes)}${num(ip, c(1), st.rx_packets)}${num(ip, c(2), st.rx_errors)}${num(ip, c(3), st.rx_dropped)}${num(ip, c(4), st.rx_missed_errors)}${num(ip, c(5), st.multicast)}`;
  if (ip.opts.stats > 1) {
    s += SL;
    const nh = st.rx_nohandler ? `${pad(' nohandler', c(6) + 1)}` : '';
    const oh = st.rx_otherhost_dropped ? `${pad(' otherhost', c(7) + 1)}` : '';
    s += `    RX errors:${pad('', c(0) - 10)} ${pad('length', c(1))} ${pad('crc', c(2))} ${pad('frame', c(3))} ${pad('fifo', c(4))} ${pad('overrun', c(5))}${nh}${oh}${SL}`;
    s += `${pad('', c(0) + 5)}${num(ip, c(1), 0)}${num(ip, c(2), 0)}${num(ip, c(3), 0)}${num(ip, c(4), 0)}${num(ip, c(5), 0)}`;
    if (st.rx_nohandler) s += num(ip, c(6), st.rx_nohandler);
    if (st.rx_otherhost_dropped) s += num(ip, c(7), st.rx_otherhost_dropped);
  }
  s += SL;
  s += `    TX: ${pad('bytes', c(0) - 4)} ${pad('packets', c(1))} ${pad('errors', c(2))} ${pad('dropped', c(3))} ${pad('carrier', c(4))} ${pad('collsns', c(5))} ${pad('', c(6))}${SL}`;
  s += `    ${num(ip, c(0), st.tx_bytes)}${num(ip, c(1), st.tx_packets)}${num(ip, c(2), st.tx_errors)}${num(ip, c(3), txDropped)}${num(ip, c(4), st.tx_carrier_errors)}${num(ip, c(5), st.collisions)}`;
  if (ip.opts.stats > 1) {
    s += SL;
    s += `    TX errors:${pad('', c(0) - 10)} ${pad('aborted', c(1))} ${pad('fifo', c(2))} ${pad('window', c(3))} ${pad('heartbt', c(4))} ${pad('transns', c(5))}${SL}`;
    s += `${pad('', c(0) + 5)}${num(ip, c(1), 0)}${num(ip, c(2), 0)}${num(ip, c(3), 0)}${num(ip, c(4), 0)}${num(ip, c(5), cc)}`;
  }
  return s;
}

/**
 * print_linkinfo(): one device; null when a filter drops it. `doLink` is
 * `ip link` (mode, addrgenmode, statistics), else `ip addr`.
 */
export function linkInfo(ip: Ip, dev: NetDevice, doLink: boolean, lf: LinkFilter, labelFilter = false): string | null {
  const flags = devGetFlags(dev);
  if (lf.up && !(flags & IFF_UP)) return null;
  if (labelFilter) return '';
  if (lf.group !== -1 && dev.group !== lf.group) return null;
  if (lf.master > 0 && dev.master?.ifindex !== lf.master) return null;
  if (lf.master === -1 && dev.master) return null;
  if (lf.kind !== null) {
    if (lf.kind.endsWith('_slave')) {
      if (!dev.master || `${dev.master.ops.kind}_slave` !== lf.kind) return null;
    } else if ((dev.ops.kind === 'loopback' ? '' : dev.ops.kind) !== lf.kind) return null;
  }
  const peerNet = linkNet(dev);
  const { name, mdown } = nameAndLink(dev);
  if (ip.opts.brief) {
    let s = `${name.padEnd(16)} ${dev.operstate.padEnd(14)} `;
    if (ip.opts.family === AF_PACKET) s += `${fmtMac(dev.devAddr)} ${linkFlags(flags, mdown)}\n`;
    return s;
  }
  let s = `${dev.ifindex}: ${name}: ${linkFlags(flags, mdown)}mtu ${dev.mtu} qdisc ${qdiscOf(dev)} `;
  if (dev.master) s += `master ${dev.master.name} `;
  s += `state ${dev.operstate} `;
  if (doLink) s += 'mode DEFAULT ';
  s += `group ${dev.group === 0 ? 'default' : dev.group} `;
  if (dev.txQueueLen) s += `qlen ${dev.txQueueLen}`;
  const fam = ip.opts.family;
  if (!fam || fam === AF_PACKET || ip.opts.details) {
    s += `${ip.SL}    link/${llType(dev)} ${fmtMac(dev.devAddr)}`;
    s += `${flags & IFF_POINTOPOINT ? ' peer ' : ' brd '}${fmtMac(dev.broadcast)}`;
  }
  if (peerNet) {
    const id = peernet2id(dev.net, peerNet);
    const nsName = nameFromNsid(ip.ctx.world, ip.net, id);
    s += nsName !== null ? ` link-netns ${nsName}` : ` link-netnsid ${id}`;
  }
  if (ip.opts.details) {
    s += ` promiscuity ${dev.promiscuity}  allmulti ${dev.allmulti} minmtu ${dev.minMtu} maxmtu ${maxMtuOf(dev)} `;
    // a PCI NIC has no rtnl_link_ops kind; iproute2 prints its parent device instead
    if (dev.ops.kind !== 'loopback' && !dev.parentDev) s += `${ip.SL}    ${dev.ops.kind} `;
    s += bridgeDetails(dev, ip.SL);
    if (doLink) s += 'addrgenmode eui64 ';
    const q = dev.ops.kind === 'veth' ? 2 : 1;
    const tsoMax = dev.parentDev ? 65536 : 524280;
    s += `numtxqueues ${q} numrxqueues ${q} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tsoMax} tso_max_segs 65535 gro_max_size 65536 `;
    if (dev.parentDev) s += `parentbus ${dev.parentDev.bus} parentdev ${dev.parentDev.name} `;
  }
  if ((doLink || ip.opts.details) && dev.alias) s += `${ip.SL}    alias ${dev.alias}`;
  if (doLink && ip.opts.stats) s += ip.SL + printStats(ip, dev);
  return `${s}\n`;
}

// --- addresses ---

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_PERMANENT = 0x80;

const IFA_FLAG_NAMES: [string, number][] = [
  ['secondary', 0x01],
  ['temporary', 0x01],
  ['nodad', 0x02],
  ['optimistic', 0x04],
  ['dadfailed', 0x08],
  ['home', 0x10],
  ['deprecated', 0x20],
  ['tentative', 0x40],
  ['permanent', 0x80],
  ['mngtmpaddr', 0x100],
  ['noprefixroute', 0x200],
  ['autojoin', 0x400],
  ['stable-privacy', 0x800],
];

export function ifaFlagByName(name: string): number | null {
  for (const [n, m] of IFA_FLAG_NAMES) if (n === name) return m;
  return null;
}

/** print_ifa_flags() for IPv4 */
function ifaFlags(flags: number): string {
  let s = '';
  let f = flags;
  for (const [name, mask] of IFA_FLAG_NAMES) {
    if (mask === IFA_F_PERMANENT) {
      if (!(f & mask)) s += 'dynamic ';
    } else if (f & mask) s += `${name} `;
    f &= ~mask;
  }
  if (f) s += `flags ${f.toString(16).padStart(2, '0')} `;
  return s;
}

export interface AddrFilter {
  scope: number;
  scopemask: number;
  flags: number;
  flagmask: number;
  label: string | null;
  pfx: InetPrefix | null;
}

export function newAddrFilter(): AddrFilter {
  return { scope: 0, scopemask: 0, flags: 0, flagmask: 0, label: null, pfx: null };
}

function globMatch(pattern: string, s: string): boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  return new RegExp(`${re}$`).test(s);
}

/** The address filters of print_addrinfo()/ipaddr_filter(). */
export function addrPasses(af: AddrFilter, ifa: InIfaddr): boolean {
  if ((af.scope ^ ifa.scope) & af.scopemask) return false;
  if ((af.flags ^ ifa.flags) & af.flagmask) return false;
  if (af.label !== null && !globMatch(af.label, ifa.label)) return false;
  if (af.pfx && af.pfx.bitlen > 0 && ((ifa.local ^ af.pfx.addr) & inetMakeMask(af.pfx.bitlen)) >>> 0 !== 0) return false;
  return true;
}

/** print_addrinfo() for one IPv4 address. */
export function addrInfo(ip: Ip, dev: NetDevice, ifa: InIfaddr, withIndex: boolean): string {
  let s = '';
  if (!ip.opts.brief) {
    if (withIndex) s += `${dev.ifindex}: ${dev.name}`;
    s += '    inet ';
  }
  s += ipv4(ifa.local);
  if (ifa.address !== ifa.local) s += ` peer ${ipv4(ifa.address)}`;
  s += `/${ifa.prefixlen} `;
  if (ifa.metric) s += `metric ${ifa.metric} `;
  if (ip.opts.brief) return s;
  if (ifa.broadcast) s += `brd ${ipv4(ifa.broadcast)} `;
  s += `scope ${scopeName(ifa.scope, ip.opts.numeric)} `;
  s += ifaFlags(ifa.flags);
  s += ifa.label;
  s += `${ip.SL}       valid_lft forever preferred_lft forever`;
  return `${s}\n`;
}

/** get_filter(): an address flag word (with "-" to negate, "primary", "dynamic"). */
export function addrFlagFilter(af: AddrFilter, arg: string): boolean {
  let inv = false;
  let a = arg;
  if (a.startsWith('-')) {
    inv = true;
    a = a.slice(1);
  }
  if (a === 'dynamic') {
    inv = !inv;
    a = 'permanent';
  } else if (a === 'primary') {
    inv = !inv;
    a = 'secondary';
  }
  const m = ifaFlagByName(a);
  if (m === null) return false;
  if (inv) af.flags &= ~m;
  else af.flags |= m;
  af.flagmask |= m;
  return true;
}

/** ipaddr_list_flush_or_save(): `ip link show` (doLink) and `ip addr show|flush`. */
export function ipaddrList(ip: Ip, argv: readonly string[], doLink: boolean, flush: boolean, usage: () => never): number {
  const af = newAddrFilter();
  const lf: LinkFilter = { up: false, master: 0, kind: null, group: -1 };
  let filterDev: string | null = null;
  if (flush) {
    if (argv.length === 0) {
      ip.err('Flush requires arguments.\n');
      return 1;
    }
    if (ip.opts.family === AF_PACKET) {
      ip.err('Cannot flush link addresses.\n');
      return 1;
    }
  }
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'to') {
      const v = args.next();
      af.pfx = getPrefix(ip, v, ip.opts.family);
      if (ip.opts.family === AF_UNSPEC) ip.opts.family = af.pfx.family;
    } else if (a === 'scope') {
      const v = args.next();
      af.scopemask = -1;
      let sc = scopeId(v);
      if (sc === null) {
        if (v !== 'all') ip.invarg('invalid "scope"\n', v);
        sc = 255;
        af.scopemask = 0;
      }
      af.scope = sc;
    } else if (a === 'up') {
      lf.up = true;
    } else if (addrFlagFilter(af, a)) {
      // flag filter
    } else if (a === 'label') {
      af.label = args.next();
    } else if (a === 'group') {
      const v = args.next();
      const g = v === 'default' ? 0 : Number.parseInt(v, 10);
      if (Number.isNaN(g)) ip.invarg('Invalid "group" value\n', v);
      lf.group = g;
    } else if (a === 'master' || a === 'vrf') {
      const v = args.next();
      const m = devByName(ip.net, v);
      if (!m) ip.invarg(a === 'vrf' ? 'Not a valid VRF name\n' : 'Device does not exist\n', v);
      if (a === 'vrf') ip.invarg('Not a valid VRF name\n', v);
      lf.master = m.ifindex;
    } else if (a === 'nomaster') {
      lf.master = -1;
    } else if (a === 'type') {
      const v = args.next();
      lf.kind = v;
    } else {
      let v = a;
      if (a === 'dev') v = args.next();
      else if (matches(a, 'help')) usage();
      if (filterDev !== null) ip.duparg2('dev', v);
      filterDev = v;
    }
  }
  let only: NetDevice | null = null;
  if (filterDev !== null) {
    only = devByName(ip.net, filterDev);
    if (!only) {
      ip.err(`Device "${filterDev}" does not exist.\n`);
      return 1;
    }
  }
  if (flush) return addrFlush(ip, only, af);

  const family = ip.opts.family;
  const devs = only ? [only] : [...ip.net.devices];
  const noLink = family !== AF_PACKET && ip.opts.oneline;
  for (const dev of devs) {
    const addrs = family === AF_PACKET ? [] : (dev.ipPtr?.ifaList ?? []);
    if (family !== AF_PACKET && !(only && doLink)) {
      // ipaddr_filter(): a link needs an address that passes, unless it has none at all
      const ok = addrs.some((ifa) => (!family || family === AF_INET) && addrPasses(af, ifa));
      const missing = addrs.length === 0 && family === AF_UNSPEC;
      if (!ok && !missing) continue;
    }
    let res = 0;
    if (ip.opts.brief || !noLink) {
      const text = linkInfo(ip, dev, doLink, lf, af.label !== null);
      if (text === null) res = -1;
      else {
        ip.out(text);
        res = ip.opts.brief || af.label !== null ? 0 : 1;
      }
    }
    if (res >= 0 && family !== AF_PACKET) {
      for (const ifa of addrs) {
        if (family && family !== AF_INET) continue;
        if (lf.up && !(dev.flags & IFF_UP)) continue;
        if (!addrPasses(af, ifa)) continue;
        ip.out(addrInfo(ip, dev, ifa, ip.opts.oneline));
      }
      if (ip.opts.brief) ip.out('\n');
    }
    if (res > 0 && !doLink && ip.opts.stats) ip.out(`${printStats(ip, dev)}\n`);
  }
  return 0;
}

/** ipaddr_flush(): deletes what the dump shows, round after round. */
function addrFlush(ip: Ip, only: NetDevice | null, af: AddrFilter): number {
  const family = ip.opts.family;
  if (family && family !== AF_INET) return 0;
  const maxRounds = ip.opts.loops;
  let round = 0;
  while (maxRounds === 0 || round < maxRounds) {
    const victims: [NetDevice, InIfaddr][] = [];
    for (const dev of only ? [only] : ip.net.devices) {
      for (const ifa of dev.ipPtr?.ifaList ?? []) if (addrPasses(af, ifa)) victims.push([dev, ifa]);
    }
    if (victims.length === 0) {
      if (ip.opts.stats) ip.out(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    for (const [dev, ifa] of victims) {
      if (ip.opts.stats > 1) ip.out(addrInfo(ip, dev, ifa, true));
    }
    for (const [dev, ifa] of victims) {
      if (dev.ipPtr?.ifaList.includes(ifa)) inet_del_ifa_full(ip.net, dev, ifa);
    }
    if (ip.opts.stats) ip.out(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if (!(af.flags & IFA_F_SECONDARY) && af.flagmask & IFA_F_SECONDARY) {
      if (ip.opts.stats) ip.out(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
  }
  ip.err(`*** Flush remains incomplete after ${maxRounds} rounds. ***\n`);
  return 1;
}
