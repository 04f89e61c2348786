// ip/ipaddress.c: how `ip link` and `ip addr` describe devices and addresses
// (print_linkinfo, print_addrinfo, print_stats64) and the listing both share
// (ipaddr_list_flush_or_save), from what rtnetlink answers (RTM_GETLINK and
// RTM_GETADDR dumps).
import {
  AF_INET as KAF_INET,
  AF_INET6 as KAF_INET6,
  ARPHRD_ETHER,
  ARPHRD_LOOPBACK,
  type AddrMsg,
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
  type LinkMsg,
  NLM_F_DUMP,
  RTM_DELADDR,
  RTM_GETADDR,
  rtnl_talk,
} from '../../../kernel/uapi/rtnetlink.ts';
import { bridgeDetails } from './link_bridge.ts';
import { tunDetails } from './link_tun.ts';
import { vlanDetails } from './iplink_vlan.ts';
import { macvlanDetails } from './iplink_macvlan.ts';
import { vxlanPrintOpt } from './iplink_vxlan.ts';
import {
  AF_INET,
  AF_PACKET,
  AF_UNSPEC,
  Args,
  fmtMac,
  getPrefix,
  type InetPrefix,
  type Ip,
  ipv4,
  llIndexToName,
  llLinkByName,
  llNameToIndex,
  matches,
  rtnlDumpLinks,
  rtnlGetLink,
  scopeId,
  scopeName,
} from './common.ts';
import { nameFromNsid } from './nsid.ts';
import { ipv6ToString } from '../../../wire/ipv6.ts';

/** IF_OPER_* names, as print_operstate() prints them. */
const OPER_NAMES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

function operstate(m: LinkMsg): string {
  const o = m.attrs.IFLA_OPERSTATE ?? 0;
  return OPER_NAMES[o] ?? String(o);
}

/** A prefix's netmask (inet_make_mask as iproute2's get_addr computes it). */
function prefixMask(plen: number): number {
  return plen === 0 ? 0 : (~0 << (32 - plen)) >>> 0;
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

function llType(type: number): string {
  if (type === ARPHRD_ETHER) return 'ether';
  if (type === ARPHRD_LOOPBACK) return 'loopback';
  if (type === 0xfffe) return 'none'; // ARPHRD_NONE
  return `[${type}]`;
}

/** print_name_and_link(): "va@vb", "va@if2" across namespaces (IFLA_LINK_NETNSID); M-DOWN when a local peer is down. */
function nameAndLink(ip: Ip, m: LinkMsg): { name: string; mdown: boolean } {
  const name = m.attrs.IFLA_IFNAME ?? '';
  const iflink = m.attrs.IFLA_LINK;
  if (iflink === undefined) return { name, mdown: false };
  if (iflink === 0) return { name: `${name}@NONE`, mdown: false };
  if (m.attrs.IFLA_LINK_NETNSID !== undefined) return { name: `${name}@if${iflink}`, mdown: false };
  const peer = rtnlGetLink(ip.net, { index: iflink });
  return { name: `${name}@${peer?.attrs.IFLA_IFNAME ?? `if${iflink}`}`, mdown: !((peer?.ifi.ifi_flags ?? 0) & IFF_UP) };
}

/** print_stats64(): the RX/TX block `ip -s` prints, columns sized to the numbers. */
export function printStats(ip: Ip, m: LinkMsg): string {
  const st = m.attrs.IFLA_STATS64;
  if (!st) return '';
  const txDropped = st.tx_dropped;
  const cc = m.attrs.IFLA_CARRIER_CHANGES ?? 0;
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

/** The link kinds a device has (IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND). */
function kinds(m: LinkMsg): { kind: string; slave: string } {
  const li = m.attrs.IFLA_LINKINFO;
  return { kind: li?.IFLA_INFO_KIND ?? '', slave: li?.IFLA_INFO_SLAVE_KIND ?? '' };
}

/**
 * print_linkinfo(): one device; null when a filter drops it. `doLink` is
 * `ip link` (mode, addrgenmode, statistics), else `ip addr`.
 */
export function linkInfo(ip: Ip, m: LinkMsg, doLink: boolean, lf: LinkFilter, labelFilter = false): string | null {
  const a = m.attrs;
  const flags = m.ifi.ifi_flags;
  if (lf.up && !(flags & IFF_UP)) return null;
  if (labelFilter) return '';
  const group = a.IFLA_GROUP ?? 0;
  if (lf.group !== -1 && group !== lf.group) return null;
  if (lf.master > 0 && a.IFLA_MASTER !== lf.master) return null;
  if (lf.master === -1 && a.IFLA_MASTER) return null;
  const { kind, slave } = kinds(m);
  if (lf.kind !== null) {
    if (lf.kind.endsWith('_slave')) {
      if (!slave || `${slave}_slave` !== lf.kind) return null;
    } else if (kind !== lf.kind) return null;
  }
  const { name, mdown } = nameAndLink(ip, m);
  const addr = a.IFLA_ADDRESS ?? new Uint8Array(0);
  if (ip.opts.brief) {
    let s = `${name.padEnd(16)} ${operstate(m).padEnd(14)} `;
    if (ip.opts.family === AF_PACKET) s += `${fmtMac(addr)} ${linkFlags(flags, mdown)}\n`;
    return s;
  }
  let s = `${m.ifi.ifi_index}: ${name}: ${linkFlags(flags, mdown)}mtu ${a.IFLA_MTU} `;
  if (a.IFLA_QDISC !== undefined) s += `qdisc ${a.IFLA_QDISC} `;
  if (a.IFLA_MASTER) s += `master ${llIndexToName(ip, a.IFLA_MASTER)} `;
  s += `state ${operstate(m)} `;
  if (doLink) s += 'mode DEFAULT ';
  if (a.IFLA_GROUP !== undefined) s += `group ${group === 0 ? 'default' : group} `;
  if (a.IFLA_TXQLEN) s += `qlen ${a.IFLA_TXQLEN}`;
  const fam = ip.opts.family;
  if (!fam || fam === AF_PACKET || ip.opts.details) {
    s += `${ip.SL}    link/${llType(m.ifi.ifi_type)} ${a.IFLA_ADDRESS ? fmtMac(addr) : ''}`;
    if (a.IFLA_BROADCAST) s += `${flags & IFF_POINTOPOINT ? ' peer ' : ' brd '}${fmtMac(a.IFLA_BROADCAST)}`;
  }
  const id = a.IFLA_LINK_NETNSID;
  if (id !== undefined) {
    const nsName = nameFromNsid(ip.ctx.world, ip.net, id);
    s += nsName !== null ? ` link-netns ${nsName}` : ` link-netnsid ${id}`;
  }
  if (ip.opts.details) {
    s += ` promiscuity ${a.IFLA_PROMISCUITY}  allmulti ${a.IFLA_ALLMULTI} minmtu ${a.IFLA_MIN_MTU} maxmtu ${a.IFLA_MAX_MTU} `;
    // print_linktype(): the kind and its data, then the master's view of a port
    if (kind) s += `${ip.SL}    ${kind} `;
    if (kind === 'vxlan') s += vxlanPrintOpt(ip, m.attrs.IFLA_LINKINFO?.IFLA_INFO_DATA);
    s += bridgeDetails(m, ip.SL);
    s += tunDetails(m);
    s += vlanDetails(m, ip.SL);
    s += macvlanDetails(m);
    if (doLink && a.IFLA_AF_SPEC?.AF_INET6?.IFLA_INET6_ADDR_GEN_MODE === 0) s += 'addrgenmode eui64 ';
    s += `numtxqueues ${a.IFLA_NUM_TX_QUEUES} numrxqueues ${a.IFLA_NUM_RX_QUEUES} gso_max_size ${a.IFLA_GSO_MAX_SIZE} gso_max_segs ${a.IFLA_GSO_MAX_SEGS} `;
    s += `tso_max_size ${a.IFLA_TSO_MAX_SIZE} tso_max_segs ${a.IFLA_TSO_MAX_SEGS} gro_max_size ${a.IFLA_GRO_MAX_SIZE} `;
    if (a.IFLA_PARENT_DEV_BUS_NAME !== undefined) s += `parentbus ${a.IFLA_PARENT_DEV_BUS_NAME} parentdev ${a.IFLA_PARENT_DEV_NAME} `;
  }
  if ((doLink || ip.opts.details) && a.IFLA_IFALIAS) s += `${ip.SL}    alias ${a.IFLA_IFALIAS}`;
  if (doLink && ip.opts.stats) s += ip.SL + printStats(ip, m);
  return `${s}\n`;
}

// --- addresses ---

const IFA_F_SECONDARY = 0x01;
const IFA_F_PERMANENT = 0x80;

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

/** print_ifa_flags(): secondary is "temporary" for IPv6. */
function ifaFlags(flags: number, family: number): string {
  let s = '';
  let f = flags;
  for (const [name, mask] of IFA_FLAG_NAMES) {
    if (mask === IFA_F_PERMANENT) {
      if (!(f & mask)) s += 'dynamic ';
    } else if (f & mask) s += mask === 0x01 && family === KAF_INET6 ? 'temporary ' : `${name} `;
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
export function addrPasses(af: AddrFilter, m: AddrMsg): boolean {
  const flags = m.attrs.IFA_FLAGS ?? m.ifa.ifa_flags;
  const local = m.attrs.IFA_LOCAL ?? m.attrs.IFA_ADDRESS ?? 0;
  if ((af.scope ^ m.ifa.ifa_scope) & af.scopemask) return false;
  if ((af.flags ^ flags) & af.flagmask) return false;
  if (af.label !== null && !globMatch(af.label, m.attrs.IFA_LABEL ?? '')) return false;
  if (m.ifa.ifa_family === KAF_INET6) {
    const l6 = m.attrs.IFA_LOCAL6 ?? m.attrs.IFA_ADDRESS6;
    if (af.pfx && af.pfx.bitlen > 0) {
      if (!af.pfx.addr6 || !l6) return false;
      for (let i = 0; i < af.pfx.bitlen; i++) {
        const bit = 0x80 >> (i & 7);
        if (((l6[i >> 3] as number) & bit) !== ((af.pfx.addr6[i >> 3] as number) & bit)) return false;
      }
    }
    return true;
  }
  if (af.pfx && af.pfx.bitlen > 0 && ((local ^ af.pfx.addr) & prefixMask(af.pfx.bitlen)) >>> 0 !== 0) return false;
  return true;
}

/** print_addrinfo() for one IPv6 address: the lifetimes from IFA_CACHEINFO. */
function addrInfo6(ip: Ip, dev: string, m: AddrMsg, withIndex: boolean): string {
  const a = m.attrs;
  const local = a.IFA_LOCAL6 ?? a.IFA_ADDRESS6 ?? new Uint8Array(16);
  let s = '';
  if (!ip.opts.brief) {
    if (withIndex) s += `${m.ifa.ifa_index}: ${dev}`;
    s += '    inet6 ';
  }
  s += ipv6ToString(local);
  if (a.IFA_LOCAL6 && a.IFA_ADDRESS6 && ipv6ToString(a.IFA_ADDRESS6) !== ipv6ToString(a.IFA_LOCAL6))
    s += ` peer ${ipv6ToString(a.IFA_ADDRESS6)}`;
  s += `/${m.ifa.ifa_prefixlen} `;
  if (a.IFA_RT_PRIORITY) s += `metric ${a.IFA_RT_PRIORITY} `;
  if (ip.opts.brief) return s;
  s += `scope ${scopeName(m.ifa.ifa_scope, ip.opts.numeric)} `;
  if (a.IFA_PROTO && ip.opts.details) s += `proto ${IFAPROT_NAMES[a.IFA_PROTO] ?? a.IFA_PROTO} `;
  s += ifaFlags(a.IFA_FLAGS ?? m.ifa.ifa_flags, KAF_INET6);
  const ci = a.IFA_CACHEINFO;
  if (ci) {
    const lft = (v: number): string => (v === 0xffffffff ? 'forever' : `${v}sec`);
    s += `${ip.SL}       valid_lft ${lft(ci.ifa_valid)} preferred_lft ${lft(ci.ifa_prefered)}`;
  }
  return `${s}\n`;
}

/** rtnl_addrprot names (ip/rtnl_addrprot). */
const IFAPROT_NAMES: Record<number, string> = { 1: 'kernel_lo', 2: 'kernel_ra', 3: 'kernel_ll' };

/** print_addrinfo() for one address; `dev` is the name ll_index_to_name gives its ifa_index. */
export function addrInfo(ip: Ip, dev: string, m: AddrMsg, withIndex: boolean): string {
  if (m.ifa.ifa_family === KAF_INET6) return addrInfo6(ip, dev, m, withIndex);
  const a = m.attrs;
  const local = a.IFA_LOCAL ?? a.IFA_ADDRESS ?? 0;
  let s = '';
  if (!ip.opts.brief) {
    if (withIndex) s += `${m.ifa.ifa_index}: ${dev}`;
    s += '    inet ';
  }
  s += ipv4(local);
  if (a.IFA_ADDRESS !== undefined && a.IFA_ADDRESS !== local) s += ` peer ${ipv4(a.IFA_ADDRESS)}`;
  s += `/${m.ifa.ifa_prefixlen} `;
  if (a.IFA_RT_PRIORITY) s += `metric ${a.IFA_RT_PRIORITY} `;
  if (ip.opts.brief) return s;
  if (a.IFA_BROADCAST) s += `brd ${ipv4(a.IFA_BROADCAST)} `;
  s += `scope ${scopeName(m.ifa.ifa_scope, ip.opts.numeric)} `;
  s += ifaFlags(a.IFA_FLAGS ?? m.ifa.ifa_flags, KAF_INET);
  s += a.IFA_LABEL ?? '';
  s += `${ip.SL}       valid_lft forever preferred_lft forever`;
  return `${s}\n`;
}

/** RTM_GETADDR dump of `family` (AF_UNSPEC: all), grouped by ifa_index in the kernel's order. */
function dumpAddrs(ip: Ip, family: number): Map<number, AddrMsg[]> {
  const r = rtnl_talk(ip.net, {
    nlmsg_type: RTM_GETADDR,
    nlmsg_flags: NLM_F_DUMP,
    ifa: { ifa_family: family, ifa_prefixlen: 0, ifa_flags: 0, ifa_scope: 0, ifa_index: 0 },
    attrs: {},
  });
  const by = new Map<number, AddrMsg[]>();
  for (const m of r.msgs) {
    if (m.ifa.ifa_family !== KAF_INET && m.ifa.ifa_family !== KAF_INET6) continue;
    let l = by.get(m.ifa.ifa_index);
    if (!l) by.set(m.ifa.ifa_index, (l = []));
    l.push(m);
  }
  return by;
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
      const m = llNameToIndex(ip, v);
      if (!m) ip.invarg(a === 'vrf' ? 'Not a valid VRF name\n' : 'Device does not exist\n', v);
      if (a === 'vrf') ip.invarg('Not a valid VRF name\n', v);
      lf.master = m;
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
  let only: LinkMsg | null = null;
  if (filterDev !== null) {
    only = llLinkByName(ip, filterDev);
    if (!only) {
      ip.err(`Device "${filterDev}" does not exist.\n`);
      return 1;
    }
  }
  if (flush) return addrFlush(ip, only ? only.ifi.ifi_index : 0, af);

  const family = ip.opts.family;
  // a device alone, with no other link filter: RTM_GETLINK of it (iplink_get)
  const kindFilter = lf.kind !== null && !lf.kind.endsWith('_slave') ? lf.kind : undefined;
  const links =
    only && doLink && lf.group === -1
      ? [only]
      : rtnlDumpLinks(ip.net, { master: lf.master, kind: kindFilter }).filter((m) => !only || m.ifi.ifi_index === only.ifi.ifi_index);
  const addrsOf = family === AF_PACKET ? new Map<number, AddrMsg[]>() : dumpAddrs(ip, family);
  // an AF_INET6 link dump is inet6_dump_ifinfo's: name, address, mtu, operstate, txqlen only
  if (family === KAF_INET6 && !only) {
    for (let i = 0; i < links.length; i++) {
      const m = links[i] as LinkMsg;
      const a = m.attrs;
      links[i] = {
        ...m,
        attrs: {
          IFLA_IFNAME: a.IFLA_IFNAME,
          IFLA_ADDRESS: a.IFLA_ADDRESS,
          IFLA_BROADCAST: a.IFLA_BROADCAST,
          IFLA_MTU: a.IFLA_MTU,
          IFLA_OPERSTATE: a.IFLA_OPERSTATE,
          IFLA_TXQLEN: a.IFLA_TXQLEN,
        },
      };
    }
  }
  const noLink = family !== AF_PACKET && ip.opts.oneline;
  for (const link of links) {
    const addrs = addrsOf.get(link.ifi.ifi_index) ?? [];
    if (family !== AF_PACKET && !(only && doLink)) {
      // ipaddr_filter(): a link needs an address that passes, unless it has none at all
      const ok = addrs.some((ifa) => (!family || family === ifa.ifa.ifa_family) && addrPasses(af, ifa));
      const missing = addrs.length === 0 && family === AF_UNSPEC;
      if (!ok && !missing) continue;
    }
    let res = 0;
    if (ip.opts.brief || !noLink) {
      const text = linkInfo(ip, link, doLink, lf, af.label !== null);
      if (text === null) res = -1;
      else {
        ip.out(text);
        res = ip.opts.brief || af.label !== null ? 0 : 1;
      }
    }
    if (res >= 0 && family !== AF_PACKET) {
      const name = link.attrs.IFLA_IFNAME ?? '';
      for (const ifa of addrs) {
        if (family && family !== ifa.ifa.ifa_family) continue;
        if (lf.up && !(link.ifi.ifi_flags & IFF_UP)) continue;
        if (!addrPasses(af, ifa)) continue;
        ip.out(addrInfo(ip, name, ifa, ip.opts.oneline));
      }
      if (ip.opts.brief) ip.out('\n');
    }
    if (res > 0 && !doLink && ip.opts.stats) ip.out(`${printStats(ip, link)}\n`);
  }
  return 0;
}

/** ipaddr_flush(): deletes what the dump shows (each message sent back as RTM_DELADDR), round after round. */
function addrFlush(ip: Ip, only: number, af: AddrFilter): number {
  const family = ip.opts.family;
  if (family && family !== AF_INET && family !== KAF_INET6) return 0;
  const maxRounds = ip.opts.loops;
  let round = 0;
  while (maxRounds === 0 || round < maxRounds) {
    const victims: AddrMsg[] = [];
    for (const [index, list] of dumpAddrs(ip, family)) {
      if (only && index !== only) continue;
      for (const ifa of list) if (addrPasses(af, ifa)) victims.push(ifa);
    }
    if (victims.length === 0) {
      if (ip.opts.stats)
        ip.out(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (ip.opts.stats > 1) for (const ifa of victims) ip.out(addrInfo(ip, llIndexToName(ip, ifa.ifa.ifa_index), ifa, true));
    // the answers are not read: a secondary gone with its primary is no error
    for (const ifa of victims) rtnl_talk(ip.net, { ...ifa, nlmsg_type: RTM_DELADDR, nlmsg_flags: 0 });
    if (ip.opts.stats) ip.out(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if (!(af.flags & IFA_F_SECONDARY) && af.flagmask & IFA_F_SECONDARY) {
      if (ip.opts.stats) ip.out(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
  }
  ip.err(`*** Flush remains incomplete after ${maxRounds} rounds. ***\n`);
  return 1;
}
