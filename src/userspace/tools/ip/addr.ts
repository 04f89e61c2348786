// ip/ipaddress.c ipaddr_modify() and do_ipaddr(): `ip address add|change|
// replace|del|show|flush`, sent as RTM_NEWADDR/RTM_DELADDR.
import {
  type AddrMsg,
  IFA_F_PERMANENT,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  RT_SCOPE_HOST,
  RTM_DELADDR,
  RTM_NEWADDR,
  rtnl_talk,
} from '../../../kernel/uapi/rtnetlink.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  getAddr,
  getPrefix,
  type InetPrefix,
  type Ip,
  IpExit,
  llNameToIndex,
  matches,
  PREFIXLEN_SPECIFIED,
  scopeId,
} from './common.ts';
import { ifaFlagByName, ipaddrList } from './show.ts';
import { ADDR_USAGE } from './usage.ts';

const READONLY_FLAGS = new Set(['secondary', 'temporary', 'dadfailed', 'deprecated', 'tentative', 'permanent', 'stable-privacy']);
const V6ONLY_FLAGS = new Set([
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'permanent',
  'mngtmpaddr',
  'stable-privacy',
]);

function usage(ip: Ip): never {
  ip.err(ADDR_USAGE);
  throw new IpExit(255);
}

type Mode = 'add' | 'replace' | 'del';

/** A prefix's netmask. */
function prefixMask(plen: number): number {
  return plen === 0 ? 0 : (~0 << (32 - plen)) >>> 0;
}

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
      const host = ~prefixMask(base.bitlen) >>> 0;
      brd = brdMode === '+' ? (base.addr | host) >>> 0 : (base.addr & ~host) >>> 0;
    }
  }
  if (scope === null && mode !== 'del') scope = local && local.family === AF_INET && local.addr >>> 24 === 127 ? RT_SCOPE_HOST : 0;
  const ifindex = llNameToIndex(ip, dev);
  if (!ifindex) {
    ip.err(`Cannot find device "${dev}"\n`);
    return 1;
  }
  if (finite) ip.fail('skbpath: ip: finite address lifetimes are not simulated', 1);
  const req: AddrMsg = {
    nlmsg_type: mode === 'del' ? RTM_DELADDR : RTM_NEWADDR,
    nlmsg_flags: mode === 'add' ? NLM_F_CREATE | NLM_F_EXCL : mode === 'replace' ? NLM_F_CREATE | NLM_F_REPLACE : 0,
    ifa: { ifa_family: family, ifa_prefixlen: prefixlen, ifa_flags: 0, ifa_scope: scope ?? 0, ifa_index: ifindex },
    attrs: {},
  };
  if (local) {
    if (local.addr6) req.attrs.IFA_LOCAL6 = local.addr6;
    else req.attrs.IFA_LOCAL = local.addr;
  }
  const address = mode === 'del' && wildcard ? null : peer;
  if (address) {
    if (address.addr6) req.attrs.IFA_ADDRESS6 = address.addr6;
    else req.attrs.IFA_ADDRESS = address.addr;
  }
  if (label !== null) req.attrs.IFA_LABEL = label;
  if (mode !== 'del') {
    if (brd !== null) req.attrs.IFA_BROADCAST = brd;
    if (metric) req.attrs.IFA_RT_PRIORITY = metric;
    req.ifa.ifa_flags = (flags | IFA_F_PERMANENT) & 0xff;
    req.attrs.IFA_FLAGS = flags | IFA_F_PERMANENT;
  }
  const r = rtnl_talk(ip.net, req);
  if (r.error) return ip.rtnlError(-r.error, r.extack);
  return 0;
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
