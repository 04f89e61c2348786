// net/ipv4/devinet.c and the address half of fib_frontend.c: IPv4 addresses
// on a device and the local/broadcast/prefix routes they bring.
import { IFF_LOOPBACK, IFF_UP, type NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { EADDRNOTAVAIL, EEXIST, EINVAL, ENODEV } from '../uapi/errno.ts';
import { AF_INET, NLM_F_EXCL, NLM_F_MULTI, NLM_F_REPLACE, RTM_NEWADDR, type AddrMsg, type IfaAttrs } from '../uapi/rtnetlink.ts';
import {
  type FibAlias,
  inetMakeMask,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_UNICAST,
  RTPROT_KERNEL,
} from './fib.ts';

export const IFA_F_SECONDARY = 0x01;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_PERMANENT = 0x80;

/** struct in_ifaddr */
export interface InIfaddr {
  local: number;
  address: number;
  prefixlen: number;
  mask: number;
  broadcast: number;
  scope: number;
  flags: number;
  label: string;
  metric: number;
}

/** struct in_device */
export class InDevice {
  readonly ifaList: InIfaddr[] = [];
  constructor(readonly dev: NetDevice) {}
}

export function in_dev_get(dev: NetDevice): InDevice {
  if (!dev.ipPtr) dev.ipPtr = new InDevice(dev);
  return dev.ipPtr;
}

export function inet_ifa_match(addr: number, ifa: InIfaddr): boolean {
  return ((addr ^ ifa.address) & ifa.mask) >>> 0 === 0;
}

/** inet_insert_ifa(): returns an errno (EEXIST) or 0. */
export function inet_insert_ifa(net: Net, dev: NetDevice, ifa: InIfaddr): number {
  const inDev = in_dev_get(dev);
  ifa.flags &= ~IFA_F_SECONDARY;
  // __inet_insert_ifa(): a primary goes after the last primary of equal or wider
  // scope; an address in the subnet of an existing one is its secondary, at the end
  let lastPrimary = 0;
  const list = inDev.ifaList;
  for (let i = 0; i < list.length; i++) {
    const o = list[i] as InIfaddr;
    if (!(o.flags & IFA_F_SECONDARY) && ifa.scope <= o.scope) lastPrimary = i + 1;
    if (o.mask === ifa.mask && inet_ifa_match(o.address, ifa)) {
      if (o.local === ifa.local) return 17; // EEXIST
      if (o.scope !== ifa.scope) return 22; // EINVAL: "ipv4: Invalid scope value"
      ifa.flags |= IFA_F_SECONDARY;
    }
  }
  if (ifa.flags & IFA_F_SECONDARY) list.push(ifa);
  else list.splice(lastPrimary, 0, ifa);
  fib_add_ifaddr(net, dev, ifa);
  return 0;
}

/** The primary address a secondary belongs to (fib_add_ifaddr's `prim`). */
function primary_of(dev: NetDevice, ifa: InIfaddr): InIfaddr {
  if (!(ifa.flags & IFA_F_SECONDARY)) return ifa;
  for (const o of dev.ipPtr?.ifaList ?? []) {
    if (!(o.flags & IFA_F_SECONDARY) && o.mask === ifa.mask && inet_ifa_match(ifa.address, o)) return o;
  }
  return ifa;
}

/** inet_del_ifa() + fib_del_ifaddr(). */
export function inet_del_ifa(net: Net, dev: NetDevice, ifa: InIfaddr): void {
  const inDev = in_dev_get(dev);
  const i = inDev.ifaList.indexOf(ifa);
  if (i < 0) return;
  inDev.ifaList.splice(i, 1);
  for (const fa of [...net.fib.aliases]) {
    if (fa.dev !== dev || fa.protocol !== RTPROT_KERNEL) continue;
    if (fa.prefsrc !== ifa.local) continue;
    // LOCAL_OK: another address still has this local with the same prefsrc
    const still = inDev.ifaList.some((o) => o.local === ifa.local && primary_of(dev, o).local === fa.prefsrc);
    if (fa.type === RTN_LOCAL && fa.plen === 32 && fa.dst === ifa.local && still) continue;
    net.fib.remove(fa);
  }
  // fib_disable_ip() only when the last address is gone
  if (!inDev.ifaList.length) net.arpTbl.flushDev(dev, false);
}

function fib_magic(net: Net, dev: NetDevice, type: number, dst: number, plen: number, prim: InIfaddr, priority: number): void {
  const ifa = prim;
  const table = type === RTN_UNICAST ? RT_TABLE_MAIN : RT_TABLE_LOCAL;
  const scope = type !== RTN_LOCAL ? RT_SCOPE_LINK : RT_SCOPE_HOST;
  const fa: FibAlias = {
    table,
    dst: (dst & inetMakeMask(plen)) >>> 0,
    plen,
    tos: 0,
    type,
    scope,
    protocol: RTPROT_KERNEL,
    prefsrc: ifa.local,
    priority,
    gw: 0,
    dev,
    nhScope: scope === RT_SCOPE_HOST ? RT_SCOPE_NOWHERE : RT_SCOPE_HOST,
    nhFlags: 0,
    dead: false,
    mtu: 0,
  };
  // fib_table_insert with NLM_F_CREATE|NLM_F_APPEND semantics for kernel routes: no duplicates
  for (const o of net.fib.aliases) {
    if (
      o.table === fa.table &&
      o.dst === fa.dst &&
      o.plen === fa.plen &&
      o.type === fa.type &&
      o.dev === dev &&
      o.prefsrc === fa.prefsrc &&
      o.priority === priority
    )
      return;
  }
  net.fib.insert(fa, true);
}

/** fib_add_ifaddr() */
export function fib_add_ifaddr(net: Net, dev: NetDevice, ifa: InIfaddr): void {
  const prefix = (ifa.address & ifa.mask) >>> 0;
  const prim = primary_of(dev, ifa);
  fib_magic(net, dev, RTN_LOCAL, ifa.local, 32, prim, 0);
  if (!(dev.flags & IFF_UP)) return;
  if (ifa.broadcast && ifa.broadcast !== 0xffffffff) fib_magic(net, dev, RTN_BROADCAST, ifa.broadcast, 32, prim, 0);
  if (prefix !== 0 && !(ifa.flags & IFA_F_SECONDARY) && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    if (!(ifa.flags & IFA_F_NOPREFIXROUTE)) {
      fib_magic(net, dev, dev.flags & IFF_LOOPBACK ? RTN_LOCAL : RTN_UNICAST, prefix, ifa.prefixlen, prim, ifa.metric);
    }
    if (ifa.prefixlen < 31) fib_magic(net, dev, RTN_BROADCAST, (prefix | ~ifa.mask) >>> 0, 32, prim, 0);
  }
}

/** inet_select_addr(): the source address for talking to `dst` through `dev`. */
/**
 * confirm_addr_indev(), as inet_confirm_addr() calls it for one device: an
 * address of scope at most `scope` (and `local` when set) whose device also
 * has `dst` (when set) in one of its subnets; 0 when there is none.
 */
export function confirm_addr_indev(net: Net, inDev: InDevice, dst: number, local: number, scope: number): number {
  const localnetScope = net.sysctl.devConf(inDev.dev.name, 'route_localnet') ? RT_SCOPE_LINK_ : RT_SCOPE_HOST_;
  let addr = 0;
  let same = false;
  for (const ifa of inDev.ifaList) {
    const minScope = Math.min(ifa.scope, localnetScope);
    if (!addr && (local === ifa.local || !local) && minScope <= scope) {
      addr = ifa.local;
      if (same) break;
    }
    if (!same) {
      same = (!local || inet_ifa_match(local, ifa)) && (!dst || inet_ifa_match(dst, ifa));
      if (same && addr) {
        if (local || !dst) break;
        // is the selected address in dst's subnet?
        if (inet_ifa_match(addr, ifa)) break;
        // no: can the new local source be used?
        if (minScope <= scope) {
          addr = ifa.local;
          break;
        }
        // search for a larger dst subnet for addr
        same = false;
      }
    }
  }
  return same ? addr : 0;
}

/** include/uapi/linux/rtnetlink.h's RT_SCOPE_LINK and RT_SCOPE_HOST, for confirm_addr_indev. */
const RT_SCOPE_LINK_ = 253;
const RT_SCOPE_HOST_ = 254;

export function inet_select_addr(net: Net, dev: NetDevice | null, dst: number, scope: number): number {
  let addr = 0;
  if (dev?.ipPtr) {
    for (const ifa of dev.ipPtr.ifaList) {
      if (ifa.flags & IFA_F_SECONDARY) continue;
      if (ifa.scope > scope) continue;
      if (!dst || inet_ifa_match(dst, ifa)) return ifa.local;
      if (!addr) addr = ifa.local;
    }
  }
  if (addr) return addr;
  for (const d of net.devices) {
    if (!d.ipPtr) continue;
    for (const ifa of d.ipPtr.ifaList) {
      if (ifa.flags & IFA_F_SECONDARY) continue;
      if (ifa.scope !== RT_SCOPE_LINK && ifa.scope !== RT_SCOPE_HOST && ifa.scope <= scope) return ifa.local;
    }
  }
  return 0;
}

/** The loopback device's 127.0.0.1/8 (inetdev_event NETDEV_UP). */
export function inet_add_loopback_addr(net: Net, dev: NetDevice): void {
  inet_insert_ifa(net, dev, {
    local: 0x7f000001,
    address: 0x7f000001,
    prefixlen: 8,
    mask: inetMakeMask(8),
    broadcast: 0,
    scope: RT_SCOPE_HOST,
    flags: IFA_F_PERMANENT,
    label: dev.name,
    metric: 0,
  });
}

function localOnSomeDevice(net: Net, addr: number): boolean {
  return net.devices.some((d) => d.ipPtr?.ifaList.some((i) => i.local === addr));
}

/** fib_inetaddr_event(NETDEV_DOWN) after fib_del_ifaddr(): stray prefsrc routes, and no address left disables IP. */
function afterAddrGone(net: Net, dev: NetDevice, ifa: InIfaddr): void {
  if (!localOnSomeDevice(net, ifa.local)) {
    // fib_sync_down_addr(): routes of the main table that used it as source
    for (const fa of [...net.fib.aliases]) if (fa.table === RT_TABLE_MAIN && fa.prefsrc === ifa.local) net.fib.remove(fa);
  }
  if (!dev.ipPtr?.ifaList.length) {
    // fib_disable_ip(dev, NETDEV_DOWN, true)
    net.fib.syncDownDev(dev, true);
    net.arpTbl.flushDev(dev, false);
  }
}

/** __inet_del_ifa(): a primary takes its secondaries with it, unless promote_secondaries. */
export function __inet_del_ifa(net: Net, dev: NetDevice, ifa1: InIfaddr): void {
  const inDev = dev.ipPtr;
  if (!inDev) return;
  const promoteOn = net.sysctl.devConf('all', 'promote_secondaries') || net.sysctl.devConf(dev.name, 'promote_secondaries');
  const sameSubnet = (ifa: InIfaddr): boolean =>
    ifa !== ifa1 && (ifa.flags & IFA_F_SECONDARY) !== 0 && ifa.mask === ifa1.mask && inet_ifa_match(ifa1.address, ifa);
  let promote: InIfaddr | null = null;
  if (!(ifa1.flags & IFA_F_SECONDARY)) {
    for (const ifa of [...inDev.ifaList]) {
      if (!sameSubnet(ifa)) continue;
      if (promoteOn) {
        promote = ifa;
        break;
      }
      inet_del_ifa(net, dev, ifa);
      afterAddrGone(net, dev, ifa);
    }
  }
  inet_del_ifa(net, dev, ifa1);
  afterAddrGone(net, dev, ifa1);
  if (promote) {
    const list = inDev.ifaList;
    list.splice(list.indexOf(promote), 1);
    promote.flags &= ~IFA_F_SECONDARY;
    let i = 0;
    while (i < list.length && !((list[i] as InIfaddr).flags & IFA_F_SECONDARY)) i++;
    list.splice(i, 0, promote);
    fib_add_ifaddr(net, dev, promote);
    for (const ifa of list)
      if (ifa !== promote && ifa.mask === ifa1.mask && inet_ifa_match(ifa1.address, ifa)) fib_add_ifaddr(net, dev, ifa);
  }
}

// --- rtnetlink: RTM_NEWADDR/DELADDR/GETADDR for AF_INET ---

/** inet_fill_ifaddr(): one address as RTM_NEWADDR. */
function inet_fill_ifaddr(dev: NetDevice, ifa: InIfaddr): AddrMsg {
  const attrs: IfaAttrs = { IFA_ADDRESS: ifa.address, IFA_LOCAL: ifa.local };
  if (ifa.broadcast) attrs.IFA_BROADCAST = ifa.broadcast;
  attrs.IFA_LABEL = ifa.label;
  attrs.IFA_FLAGS = ifa.flags;
  if (ifa.metric) attrs.IFA_RT_PRIORITY = ifa.metric;
  return {
    nlmsg_type: RTM_NEWADDR,
    nlmsg_flags: NLM_F_MULTI,
    ifa: { ifa_family: AF_INET, ifa_prefixlen: ifa.prefixlen, ifa_flags: ifa.flags & 0xff, ifa_scope: ifa.scope, ifa_index: dev.ifindex },
    attrs,
  };
}

/** inet_dump_ifaddr(): every address, device by device (by ifindex), each in its list order. */
export function inet_dump_ifaddr(net: Net): AddrMsg[] {
  const out: AddrMsg[] = [];
  for (const dev of net.devices) for (const ifa of dev.ipPtr?.ifaList ?? []) out.push(inet_fill_ifaddr(dev, ifa));
  return out;
}

/** fib_modify_prefix_metric(): the prefix route of an address follows its new metric. */
function fib_modify_prefix_metric(net: Net, dev: NetDevice, ifa: InIfaddr, metric: number): void {
  const prefix = (ifa.address & ifa.mask) >>> 0;
  for (const fa of [...net.fib.aliases]) {
    if (fa.table !== RT_TABLE_MAIN || fa.protocol !== RTPROT_KERNEL || fa.dev !== dev) continue;
    if (fa.dst !== prefix || fa.plen !== ifa.prefixlen || fa.prefsrc !== ifa.local) continue;
    net.fib.remove(fa);
    net.fib.insert({ ...fa, priority: metric, dead: false }, true);
  }
}

/** inet_rtm_newaddr() → rtm_to_ifaddr(): a new address, or (NLM_F_REPLACE) a new metric for one. */
export function inet_rtm_newaddr(net: Net, req: AddrMsg, extack: { msg: string | null }): number {
  const m = req.ifa;
  const a = req.attrs;
  if (m.ifa_prefixlen > 32) return -EINVAL;
  const dev = net.devByIndex.get(m.ifa_index);
  if (!dev) {
    extack.msg = 'ipv4: Device not found';
    return -ENODEV;
  }
  const local = a.IFA_LOCAL;
  if (local === undefined) return -EINVAL;
  const ifa: InIfaddr = {
    local,
    address: a.IFA_ADDRESS ?? local,
    prefixlen: m.ifa_prefixlen,
    mask: inetMakeMask(m.ifa_prefixlen),
    broadcast: a.IFA_BROADCAST ?? 0,
    scope: m.ifa_scope,
    flags: ((a.IFA_FLAGS ?? m.ifa_flags) & ~IFA_F_SECONDARY) | IFA_F_PERMANENT,
    label: a.IFA_LABEL ?? dev.name,
    metric: a.IFA_RT_PRIORITY ?? 0,
  };
  const list = dev.ipPtr?.ifaList ?? [];
  // find_matching_ifa()
  const existing = list.find((o) => o.mask === ifa.mask && inet_ifa_match(o.address, ifa) && o.local === ifa.local);
  if (existing) {
    if (req.nlmsg_flags & NLM_F_EXCL || !(req.nlmsg_flags & NLM_F_REPLACE)) {
      extack.msg = 'ipv4: Address already assigned';
      return -EEXIST;
    }
    if (existing.metric !== ifa.metric) {
      fib_modify_prefix_metric(net, dev, existing, ifa.metric);
      existing.metric = ifa.metric;
    }
    return 0;
  }
  if (!ifa.local) return 0;
  for (const o of list) {
    if (o.mask === ifa.mask && inet_ifa_match(o.address, ifa) && o.scope !== ifa.scope) {
      extack.msg = 'ipv4: Invalid scope value';
      return -EINVAL;
    }
  }
  const err = inet_insert_ifa(net, dev, ifa);
  if (err === EEXIST) extack.msg = 'ipv4: Address already assigned';
  return err ? -err : 0;
}

/** inet_rtm_deladdr(): the first address matching IFA_LOCAL, IFA_LABEL and IFA_ADDRESS/prefixlen. */
export function inet_rtm_deladdr(net: Net, req: AddrMsg, extack: { msg: string | null }): number {
  const dev = net.devByIndex.get(req.ifa.ifa_index);
  const list = dev?.ipPtr?.ifaList;
  if (!dev || !list) {
    extack.msg = 'ipv4: Device not found';
    return -ENODEV;
  }
  const a = req.attrs;
  for (const ifa of list) {
    if (a.IFA_LOCAL !== undefined && ifa.local !== a.IFA_LOCAL) continue;
    if (a.IFA_LABEL !== undefined && ifa.label !== a.IFA_LABEL) continue;
    if (a.IFA_ADDRESS !== undefined && (req.ifa.ifa_prefixlen !== ifa.prefixlen || !inet_ifa_match(a.IFA_ADDRESS, ifa))) continue;
    __inet_del_ifa(net, dev, ifa);
    return 0;
  }
  extack.msg = 'ipv4: Address not found';
  return -EADDRNOTAVAIL;
}
