// ip/ipaddress.c ipaddr_modify() and do_ipaddr(): `ip address add|change|
// replace|del|show|flush`, and what inet_rtm_newaddr()/inet_rtm_deladdr() do.
import type { NetDevice } from '../../../kernel/core/netdevice.ts';
import { inet_ifa_match, inet_insert_ifa, type InIfaddr } from '../../../kernel/ipv4/devinet.ts';
import { inetMakeMask, RT_SCOPE_HOST, RT_TABLE_MAIN, RTPROT_KERNEL } from '../../../kernel/ipv4/fib.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  devByName,
  getAddr,
  getPrefix,
  type InetPrefix,
  Ip,
  IpExit,
  matches,
  PREFIXLEN_SPECIFIED,
  scopeId,
} from './common.ts';
import { __inet_del_ifa as inet_del_ifa_full } from '../../../kernel/ipv4/devinet.ts';
import { IFA_F_PERMANENT, ifaFlagByName, ipaddrList } from './show.ts';
import { ADDR_USAGE } from './usage.ts';

const READONLY_FLAGS = new Set(['secondary', 'temporary', 'dadfailed', 'deprecated', 'tentative', 'permanent', 'stable-privacy']);
const V6ONLY_FLAGS = new Set(['nodad', 'optimistic', 'dadfailed', 'home', 'deprecated', 'tentative', 'permanent', 'mngtmpaddr', 'stable-privacy']);

function usage(ip: Ip): never {
  ip.err(ADDR_USAGE);
  throw new IpExit(255);
}

type Mode = 'add' | 'replace' | 'del';

/** ipaddr_modify() */
function ipaddrModify(ip: Ip, argv: readonly string[], mode: Mode): number {
  let family = ip.opts.family;
  let dev: string | null = null;
  let label: string | null = null;
  let local: InetPrefix | null = null;
  let localArg = '';
  let peer: InetPrefix | null = null;
  let brd: number | null = null;
  let brdMode: '+' | '-' | null = null;
  let scope: number | null = null;
  let metric = 0;
  let prefixlen = 0;
  let flags = 0;
  let finite = false;
  let validSeen = false;
  let prefSeen = false;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'peer' || a === 'remote') {
      const v = args.next();
      if (peer) ip.duparg('peer', v);
      peer = getPrefix(ip, v, family);
      if (family === AF_UNSPEC) family = peer.family;
      prefixlen = peer.bitlen;
    } else if (matches(a, 'broadcast') || a === 'brd') {
      const v = args.next();
      if (brd !== null || brdMode !== null) ip.duparg('broadcast', v);
      if (v === '+') brdMode = '+';
      else if (v === '-') brdMode = '-';
      else {
        const b = getAddr(ip, v, family);
        if (family === AF_UNSPEC) family = b.family;
        brd = b.addr;
      }
    } else if (a === 'anycast') {
      const v = args.next();
      const b = getAddr(ip, v, family);
      if (family === AF_UNSPEC) family = b.family;
    } else if (a === 'scope') {
      const v = args.next();
      const s = scopeId(v);
      if (s === null) ip.invarg('invalid scope value.', v);
      scope = s;
    } else if (a === 'dev') {
      dev = args.next();
    } else if (a === 'label') {
      label = args.next();
    } else if (matches(a, 'metric') || matches(a, 'priority') || matches(a, 'preference')) {
      const v = args.next();
      const m = /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!(m <= 0xffffffff)) ip.invarg('"metric" value is invalid\n', v);
      metric = m;
    } else if (matches(a, 'valid_lft') || matches(a, 'preferred_lft')) {
      const valid = matches(a, 'valid_lft');
      if (valid ? validSeen : prefSeen) ip.duparg(valid ? 'valid_lft' : 'preferred_lft', a);
      const v = args.next();
      if (valid) validSeen = true;
      else prefSeen = true;
      if (v !== 'forever') {
        if (!/^\d+$/.test(v)) ip.invarg(valid ? 'valid_lft value' : 'preferred_lft value', v);
        finite = true;
      }
    } else if (ifaFlagByName(a) !== null) {
      if (READONLY_FLAGS.has(a)) ip.err(`Warning: ${a} option is not mutable from userspace\n`);
      else if (V6ONLY_FLAGS.has(a) && family !== AF_INET6) ip.err(`Warning: ${a} option can be set only for IPv6 addresses\n`);
      else flags |= ifaFlagByName(a) as number;
    } else {
      let v = a;
      if (a === 'local') v = args.next();
      if (matches(v, 'help')) usage(ip);
      if (local) ip.duparg2('local', v);
      localArg = v;
      local = getPrefix(ip, v, family);
      if (family === AF_UNSPEC) family = local.family;
    }
  }
  if (dev === null) {
    ip.err('Not enough information: "dev" argument is required.\n');
    return 1;
  }
  let wildcard = false;
  if (!peer && local) {
    if (mode === 'del' && local.family === AF_INET && !(local.flags & PREFIXLEN_SPECIFIED)) {
      ip.err(
        'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
          `         Explicitly specify the prefix length (${localArg}/${local.bytelen * 8}) to avoid this warning.\n` +
          '         This special behaviour is likely to disappear in further releases,\n' +
          '         fix your scripts!\n',
      );
      wildcard = true;
    } else peer = local;
  }
  if (prefixlen === 0 && local) prefixlen = local.bitlen;
  if (brdMode !== null && mode !== 'del') {
    if (family !== AF_INET) {
      ip.err('Broadcast can be set only for IPv4 addresses\n');
      return 1;
    }
    const base = peer ?? { addr: 0, bitlen: 0 };
    if (base.bitlen <= 30) {
      const host = ~inetMakeMask(base.bitlen) >>> 0;
      brd = brdMode === '+' ? (base.addr | host) >>> 0 : (base.addr & ~host) >>> 0;
    }
  }
  if (scope === null && mode !== 'del') scope = local && local.family === AF_INET && local.addr >>> 24 === 127 ? RT_SCOPE_HOST : 0;
  const d = devByName(ip.net, dev);
  if (!d) {
    ip.err(`Cannot find device "${dev}"\n`);
    return 1;
  }
  if (finite) ip.fail('skbpath: ip: finite address lifetimes are not simulated', 1);
  // no address, no family: rtnetlink has no AF_UNSPEC handler for it
  if (family === AF_UNSPEC) return ip.rtnlError(95, null);
  if (family === AF_INET6) return ip.rtnlError(mode === 'del' ? 99 : 13, mode === 'del' ? 'ipv6: address not found' : 'ipv6: IPv6 is disabled on this device');
  if (mode === 'del') return delAddr(ip, d, wildcard ? null : peer, local, label, prefixlen);
  if (!local) return ip.rtnlError(22, null);
  const ifa: InIfaddr = {
    local: local.addr,
    address: peer ? peer.addr : local.addr,
    prefixlen,
    mask: inetMakeMask(prefixlen),
    broadcast: brd ?? 0,
    scope: scope ?? 0,
    flags: flags | IFA_F_PERMANENT,
    label: label ?? d.name,
    metric,
  };
  return newAddr(ip, d, ifa, mode);
}

/** inet_rtm_newaddr() */
function newAddr(ip: Ip, dev: NetDevice, ifa: InIfaddr, mode: Mode): number {
  const net = ip.net;
  const list = dev.ipPtr?.ifaList ?? [];
  const existing = list.find((o) => o.mask === ifa.mask && inet_ifa_match(o.address, ifa) && o.local === ifa.local);
  if (existing) {
    if (mode !== 'replace') return ip.rtnlError(17, 'ipv4: Address already assigned');
    if (existing.metric !== ifa.metric) {
      // fib_modify_prefix_metric()
      const prefix = (existing.address & existing.mask) >>> 0;
      for (const fa of [...net.fib.aliases]) {
        if (fa.table !== RT_TABLE_MAIN || fa.protocol !== RTPROT_KERNEL || fa.dev !== dev) continue;
        if (fa.dst !== prefix || fa.plen !== existing.prefixlen || fa.prefsrc !== existing.local) continue;
        net.fib.remove(fa);
        net.fib.insert({ ...fa, priority: ifa.metric, dead: false }, true);
      }
      existing.metric = ifa.metric;
    }
    return 0;
  }
  if (!ifa.local) return 0;
  for (const o of list) {
    if (o.mask === ifa.mask && inet_ifa_match(o.address, ifa) && o.scope !== ifa.scope) return ip.rtnlError(22, 'ipv4: Invalid scope value');
  }
  const err = inet_insert_ifa(net, dev, ifa);
  if (err) return ip.rtnlError(err, err === 17 ? 'ipv4: Address already assigned' : null);
  return 0;
}

/** inet_rtm_deladdr() */
function delAddr(ip: Ip, dev: NetDevice, address: InetPrefix | null, local: InetPrefix | null, label: string | null, prefixlen: number): number {
  const list = dev.ipPtr?.ifaList;
  if (!list) return ip.rtnlError(19, 'ipv4: Device not found');
  for (const ifa of list) {
    if (local && ifa.local !== local.addr) continue;
    if (label !== null && ifa.label !== label) continue;
    if (address && (prefixlen !== ifa.prefixlen || !inet_ifa_match(address.addr, ifa))) continue;
    inet_del_ifa_full(ip.net, dev, ifa);
    return 0;
  }
  return ip.rtnlError(99, 'ipv4: Address not found');
}

export function doIpaddr(ip: Ip, argv: readonly string[]): number {
  const sub = argv[0];
  const rest = argv.slice(1);
  const list = (a: readonly string[], flush: boolean): number => ipaddrList(ip, a, false, flush, () => usage(ip));
  if (sub === undefined) return list([], false);
  if (matches(sub, 'add')) return ipaddrModify(ip, rest, 'add');
  if (matches(sub, 'change') || sub === 'chg' || matches(sub, 'replace')) return ipaddrModify(ip, rest, 'replace');
  if (matches(sub, 'delete')) return ipaddrModify(ip, rest, 'del');
  if (matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) return list(rest, false);
  if (matches(sub, 'flush')) return list(rest, true);
  if (matches(sub, 'help')) usage(ip);
  return ip.fail(`Command "${sub}" is unknown, try "ip address help".`, 255);
}

