// ip/ipneigh.c: `ip neigh show|flush|add|change|replace|del|get`, a client of
// rtnetlink (RTM_NEWNEIGH/DELNEIGH/GETNEIGH) over the ARP table.
import {
  type NeighMsg,
  ndmsg,
  type NlAck,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NTF_ROUTER,
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_NONE,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  rtnl_delneigh,
  rtnl_dumpneigh,
  rtnl_getneigh,
  rtnl_newneigh,
} from '../../../kernel/uapi/rtnetlink_route.ts';
import { ipv6ToString } from '../../../wire/ipv6.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  fmtMac,
  getAddr,
  getPrefix,
  getUnsigned,
  type InetPrefix,
  type Ip,
  IpExit,
  ipv4,
  llAddrA2n,
  llIndexToName,
  llInitMap,
  llNameToIndex,
  matches,
  protoId,
} from './common.ts';
import { NEIGH_USAGE } from './usage.ts';

const USER_HZ = 100;

/** The kernel's negative answer as rtnl_talk() reports it. */
function talkError(ip: Ip, ack: NlAck): never {
  return ip.rtnlError(-ack.error, ack.extack);
}

function inetMakeMask(plen: number): number {
  return plen <= 0 ? 0 : (0xffffffff << (32 - Math.min(plen, 32))) >>> 0;
}

function usage(ip: Ip): never {
  ip.err(NEIGH_USAGE);
  throw new IpExit(255);
}

/** nud_state_a2n() */
function nudState(arg: string): number | null {
  if (matches(arg, 'permanent')) return NUD_PERMANENT;
  if (matches(arg, 'reachable')) return NUD_REACHABLE;
  if (arg === 'noarp') return NUD_NOARP;
  if (arg === 'none') return NUD_NONE;
  if (arg === 'stale') return NUD_STALE;
  if (arg === 'incomplete') return NUD_INCOMPLETE;
  if (arg === 'delay') return NUD_DELAY;
  if (arg === 'probe') return NUD_PROBE;
  if (matches(arg, 'failed')) return NUD_FAILED;
  const v = getUnsigned(arg);
  if (v === null || v >= 0x100 || (v & (v - 1)) !== 0) return null;
  return v;
}

const STATE_NAMES: [number, string][] = [
  [NUD_INCOMPLETE, 'INCOMPLETE'],
  [NUD_REACHABLE, 'REACHABLE'],
  [NUD_STALE, 'STALE'],
  [NUD_DELAY, 'DELAY'],
  [NUD_PROBE, 'PROBE'],
  [NUD_FAILED, 'FAILED'],
  [NUD_NOARP, 'NOARP'],
  [NUD_PERMANENT, 'PERMANENT'],
];

interface NeighFilter {
  index: number;
  state: number;
  pfx: InetPrefix | null;
  proxy: boolean;
  unused: boolean;
}

/** print_neigh() for one entry; null when the filter drops it. */
function neighLine(ip: Ip, f: NeighFilter, n: NeighMsg, withIndex: boolean): string | null {
  const { ndm, attrs } = n;
  const state = ndm.ndm_state;
  const dst = attrs.NDA_DST ?? 0;
  const dst6 = attrs.NDA_DST6;
  if (f.index && f.index !== ndm.ndm_ifindex) return null;
  if (!(f.state & state) && (state || !(f.state & 0x100))) return null;
  if (f.pfx && (f.pfx.family === AF_INET6) !== (dst6 !== undefined)) return null;
  if (f.pfx && dst6 && f.pfx.addr6 && f.pfx.bitlen > 0) {
    for (let i = 0; i < f.pfx.bitlen; i++) {
      const bit = 0x80 >> (i & 7);
      if (((dst6[i >> 3] as number) & bit) !== ((f.pfx.addr6[i >> 3] as number) & bit)) return null;
    }
  } else if (f.pfx && !dst6 && f.pfx.bitlen > 0 && ((dst ^ f.pfx.addr) & inetMakeMask(f.pfx.bitlen)) >>> 0 !== 0) return null;
  const ci = attrs.NDA_CACHEINFO;
  const refcnt = ci?.ndm_refcnt ?? 0;
  if (f.unused && refcnt) return null;
  let s = `${dst6 ? ipv6ToString(dst6) : ipv4(dst)} `;
  if (withIndex) s += `dev ${llIndexToName(ip, ndm.ndm_ifindex)} `;
  if (attrs.NDA_LLADDR) s += `lladdr ${fmtMac(attrs.NDA_LLADDR)} `;
  if (ndm.ndm_flags & NTF_ROUTER) s += 'router ';
  if (ip.opts.stats && ci) {
    if (refcnt) s += ` ref ${refcnt}`;
    s += ` used ${Math.floor(ci.ndm_used / USER_HZ)}/${Math.floor(ci.ndm_confirmed / USER_HZ)}/${Math.floor(ci.ndm_updated / USER_HZ)}`;
    s += `probes ${attrs.NDA_PROBES ?? 0} `;
  }
  for (const [bit, name] of STATE_NAMES) if (state & bit) s += `${name} `;
  return `${s}\n`;
}

/** do_show_or_flush() */
function showOrFlush(ip: Ip, argv: readonly string[], flush: boolean): number {
  const f: NeighFilter = {
    index: 0,
    state: flush ? ~(NUD_PERMANENT | NUD_NOARP) : 0xff & ~NUD_NOARP,
    pfx: null,
    proxy: false,
    unused: false,
  };
  let family = ip.opts.family;
  if (flush && argv.length === 0) {
    ip.err('Flush requires arguments.\n');
    return 1;
  }
  let filterDev: string | null = null;
  let stateGiven = false;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'dev') {
      const v = args.next();
      if (filterDev !== null) ip.duparg('dev', v);
      filterDev = v;
    } else if (a === 'master' || a === 'vrf') {
      const v = args.next();
      if (!llNameToIndex(ip, v)) ip.invarg(a === 'vrf' ? 'Not a valid VRF name\n' : 'Device does not exist\n', v);
      if (a === 'vrf') ip.invarg('Not a valid VRF name\n', v);
      return 0;
    } else if (a === 'nomaster') {
      // no device has a master
    } else if (a === 'unused') {
      f.unused = true;
    } else if (a === 'nud') {
      const v = args.next();
      if (!stateGiven) {
        stateGiven = true;
        f.state = 0;
      }
      let st = nudState(v);
      if (st === null) {
        if (v !== 'all') ip.invarg('nud state is bad', v);
        st = ~0;
        if (flush) st &= ~NUD_NOARP;
      }
      if (st === 0) st = 0x100;
      f.state |= st;
    } else if (a === 'proxy') {
      f.proxy = true;
    } else if (matches(a, 'protocol')) {
      const v = args.next();
      if (protoId(v) === null && v !== 'all') ip.invarg('invalid "protocol"\n', v);
    } else {
      let v = a;
      if (v === 'to') v = args.next();
      if (matches(v, 'help')) usage(ip);
      const p = getPrefix(ip, v, family);
      if (p.family === AF_INET6) f.pfx = { ...p, bitlen: 128 };
      else f.pfx = p;
      if (family === AF_UNSPEC) family = p.family;
    }
  }
  if (filterDev !== null) {
    const ifindex = llNameToIndex(ip, filterDev);
    if (!ifindex) {
      ip.err(`Cannot find device "${filterDev}"\n`);
      return 1;
    }
    f.index = ifindex;
  }
  llInitMap(ip);
  const dump = (): NeighMsg[] =>
    family === AF_UNSPEC || family === AF_INET || family === AF_INET6
      ? rtnl_dumpneigh(ip.net, { ndm: ndmsg({ ndm_family: family }), attrs: {} })
      : [];
  const entries = dump();
  if (f.proxy) return 0;
  if (!flush) {
    for (const n of entries) {
      const line = neighLine(ip, f, n, !f.index);
      if (line !== null) ip.out(line);
    }
    return 0;
  }
  let round = 0;
  while (round < 256) {
    const victims = dump().filter((n) => neighLine(ip, f, n, true) !== null);
    if (victims.length === 0) {
      if (ip.opts.stats)
        ip.out(round === 0 ? 'Nothing to flush.\n' : `*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      return 0;
    }
    round++;
    if (ip.opts.stats > 1) for (const n of victims) ip.out(neighLine(ip, f, n, !f.index) ?? '');
    // flush_update(): each one goes back as RTM_DELNEIGH
    for (const n of victims)
      rtnl_delneigh(ip.net, {
        ndm: ndmsg({ ndm_family: n.ndm.ndm_family, ndm_ifindex: n.ndm.ndm_ifindex }),
        attrs: n.attrs.NDA_DST6 ? { NDA_DST6: n.attrs.NDA_DST6 } : { NDA_DST: n.attrs.NDA_DST ?? 0 },
      });
    if (ip.opts.stats) ip.out(`\n*** Round ${round}, deleting ${victims.length} entries ***\n`);
    f.state &= ~NUD_FAILED;
  }
  ip.out(`*** Flush not complete bailing out after ${round} rounds\n`);
  return 1;
}

type Mode = 'add' | 'change' | 'replace' | 'del';

/** ipneigh_modify() */
function neighModify(ip: Ip, argv: readonly string[], mode: Mode): number {
  let state = NUD_PERMANENT;
  let dev: string | null = null;
  let devOk = false;
  let dst: InetPrefix | null = null;
  let lla: string | null = null;
  let router = false;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (matches(a, 'lladdr')) {
      const v = args.next();
      if (lla !== null) ip.duparg('lladdr', v);
      lla = v;
    } else if (a === 'nud') {
      const v = args.next();
      const st = nudState(v);
      if (st === null) ip.invarg('nud state is bad', v);
      state = st;
    } else if (matches(a, 'proxy')) {
      const v = args.next();
      if (matches(v, 'help')) usage(ip);
      if (dst) ip.duparg('address', v);
      dst = getAddr(ip, v, ip.opts.family);
      devOk = true;
      return unsupported(ip);
    } else if (a === 'router') {
      router = true;
    } else if (a === 'use' || a === 'managed' || matches(a, 'extern_learn')) {
      return unsupported(ip);
    } else if (a === 'dev') {
      dev = args.next();
      devOk = true;
    } else if (matches(a, 'protocol')) {
      const v = args.next();
      if (protoId(v) === null) ip.invarg('"protocol" value is invalid\n', v);
    } else {
      let v = a;
      if (v === 'to') v = args.next();
      if (matches(v, 'help')) v = args.next();
      if (dst) ip.duparg2('to', v);
      dst = getAddr(ip, v, ip.opts.family);
    }
  }
  if (!devOk || !dst || dst.family === AF_UNSPEC) ip.fail('Device and destination are required arguments.', 255);
  let ha: number[] | null = null;
  if (lla !== null && lla !== 'null') {
    ha = llAddrA2n(ip, lla, 20);
    if (!ha) return 1;
  }
  llInitMap(ip);
  const ifindex = dev === null ? 0 : llNameToIndex(ip, dev);
  if (dev !== null && !ifindex) {
    ip.err(`Cannot find device "${dev}"\n`);
    return 1;
  }
  const msg: NeighMsg = {
    ndm: ndmsg({ ndm_family: dst.family, ndm_ifindex: ifindex, ndm_state: state, ndm_flags: router ? NTF_ROUTER : 0 }),
    attrs: dst.addr6 ? { NDA_DST6: dst.addr6 } : { NDA_DST: dst.addr },
  };
  if (ha) msg.attrs.NDA_LLADDR = new Uint8Array(ha);
  const ack = mode === 'del' ? rtnl_delneigh(ip.net, msg) : rtnl_newneigh(ip.net, NLM_FLAGS[mode], msg);
  if (ack.error) talkError(ip, ack);
  return 0;
}

/** The nlmsg_flags each command sends (do_ipneigh()). */
const NLM_FLAGS: Record<Mode, number> = {
  add: NLM_F_CREATE | NLM_F_EXCL,
  change: NLM_F_REPLACE,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  del: 0,
};

/** ipneigh_get() */
function neighGet(ip: Ip, argv: readonly string[]): number {
  let dev: string | null = null;
  let dst: InetPrefix | null = null;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'dev') dev = args.next();
    else if (matches(a, 'proxy')) return unsupported(ip);
    else {
      let v = a;
      if (v === 'to') v = args.next();
      if (matches(v, 'help')) usage(ip);
      if (dst) ip.duparg2('to', v);
      dst = getAddr(ip, v, ip.opts.family);
    }
  }
  if (!dev || !dst) ip.fail('Device and address are required arguments.', 255);
  const ifindex = llNameToIndex(ip, dev);
  if (!ifindex) {
    ip.err(`Cannot find device "${dev}"\n`);
    return 1;
  }
  const r = rtnl_getneigh(ip.net, {
    ndm: ndmsg({ ndm_family: dst.family, ndm_ifindex: ifindex }),
    attrs: dst.addr6 ? { NDA_DST6: dst.addr6 } : { NDA_DST: dst.addr },
  });
  if ('error' in r) return talkError(ip, r);
  const f: NeighFilter = { index: 0, state: ~0, pfx: null, proxy: false, unused: false };
  ip.out(neighLine(ip, f, r, true) ?? '');
  return 0;
}

function unsupported(ip: Ip): number {
  ip.err('skbpath: ip neigh: proxy, use, managed and extern_learn entries are not simulated\n');
  return 2;
}

export function doIpneigh(ip: Ip, argv: readonly string[]): number {
  const sub = argv[0];
  const rest = argv.slice(1);
  if (sub === undefined) return showOrFlush(ip, [], false);
  if (matches(sub, 'add')) return neighModify(ip, rest, 'add');
  if (matches(sub, 'change') || sub === 'chg') return neighModify(ip, rest, 'change');
  if (matches(sub, 'replace')) return neighModify(ip, rest, 'replace');
  if (matches(sub, 'delete')) return neighModify(ip, rest, 'del');
  if (matches(sub, 'get')) return neighGet(ip, rest);
  if (matches(sub, 'show') || matches(sub, 'lst') || matches(sub, 'list')) return showOrFlush(ip, rest, false);
  if (matches(sub, 'flush')) return showOrFlush(ip, rest, true);
  if (matches(sub, 'help')) usage(ip);
  return ip.fail(`Command "${sub}" is unknown, try "ip neigh help".`, 255);
}
