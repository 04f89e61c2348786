// ip/iplink_vxlan.c (iproute2 6.1): `ip link add … type vxlan …` as
// IFLA_VXLAN_* attributes (vxlan_parse_opt), and the `vxlan …` line of
// `ip -d link show` (vxlan_print_opt).
import type { IflaInfoData } from '../../../kernel/uapi/rtnetlink.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  getAddr,
  getUnsigned,
  type InetPrefix,
  type Ip,
  ipv4,
  llIndexToName,
  llNameToIndex,
  matches,
  strtol,
} from './common.ts';

const USAGE = `Usage: ... vxlan id VNI
		[ { group | remote } IP_ADDRESS ]
		[ local ADDR ]
		[ ttl TTL ]
		[ tos TOS ]
		[ df DF ]
		[ flowlabel LABEL ]
		[ dev PHYS_DEV ]
		[ dstport PORT ]
		[ srcport MIN MAX ]
		[ [no]learning ]
		[ [no]proxy ]
		[ [no]rsc ]
		[ [no]l2miss ]
		[ [no]l3miss ]
		[ ageing SECONDS ]
		[ maxaddress NUMBER ]
		[ [no]udpcsum ]
		[ [no]udp6zerocsumtx ]
		[ [no]udp6zerocsumrx ]
		[ [no]remcsumtx ] [ [no]remcsumrx ]
		[ [no]external ] [ gbp ] [ gpe ]
		[ [no]vnifilter ]

Where:	VNI	:= 0-16777215
	ADDR	:= { IP_ADDRESS | any }
	TOS	:= { NUMBER | inherit }
	TTL	:= { 1..255 | auto | inherit }
	DF	:= { unset | set | inherit }
	LABEL := 0-1048575
`;

/** get_u32/get_u16 with base 0: the whole string, within `max`. */
function getUint(s: string, max: number): number | null {
  const v = getUnsigned(s);
  if (v === null || v > max) return null;
  return v;
}

function isMulti(a: InetPrefix): boolean {
  if (a.family === AF_INET) return a.addr >>> 28 === 0xe;
  return false;
}

/** is_addrtype_inet(): an address that was given (not "any"/"default"). */
function isInet(a: InetPrefix): boolean {
  return a.family !== AF_UNSPEC && a.bitlen !== -2;
}

/** is_addrtype_inet_not_multi(): a unicast address was given ("any" is not one). */
function isInetNotMulti(a: InetPrefix): boolean {
  return isInet(a) && !isMulti(a);
}

/** rtnl_dsfield_a2n(): a number (any base) or a name from /etc/iproute2/rt_dsfield. */
const DSFIELD_NAMES: Record<string, number> = {
  CS0: 0x00,
  CS1: 0x20,
  CS2: 0x40,
  CS3: 0x60,
  CS4: 0x80,
  CS5: 0xa0,
  CS6: 0xc0,
  CS7: 0xe0,
  EF: 0xb8,
  AF11: 0x28,
  AF12: 0x30,
  AF13: 0x38,
  AF21: 0x48,
  AF22: 0x50,
  AF23: 0x58,
  AF31: 0x68,
  AF32: 0x70,
  AF33: 0x78,
  AF41: 0x88,
  AF42: 0x90,
  AF43: 0x98,
};

function dsfieldA2n(s: string): number | null {
  const r = strtol(s, 16);
  if (r.end === s.length && r.end > 0 && !r.neg && r.value <= 255) return r.value;
  return DSFIELD_NAMES[s] ?? null;
}

/**
 * vxlan_parse_opt(): the options after `type vxlan`. `setOp` is `ip link
 * set` (RTM_NEWLINK without NLM_F_CREATE). Returns null (status 1) after
 * printing a message, or exits through ip.fail/invarg/duparg.
 */
export function vxlanParseOpt(ip: Ip, argv: readonly string[], setOp: boolean): IflaInfoData | null {
  const d: IflaInfoData = {};
  const seen = new Set<string>();
  const check = (type: string, key: string, arg: string): void => {
    if (seen.has(type)) ip.duparg2(key, arg);
    seen.add(type);
  };
  let saddr: InetPrefix = { family: AF_UNSPEC, addr: 0, bitlen: -1, bytelen: 0, flags: 0 };
  let daddr: InetPrefix = { family: AF_UNSPEC, addr: 0, bitlen: -1, bytelen: 0, flags: 0 };
  let vni = 0;
  let learning = 1;
  let dstport = 0;
  let metadata = 0;
  let vnifilter = 0;
  const explain = (): null => {
    ip.err(USAGE);
    return null;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      i++;
      if (i >= argv.length) ip.incomplete();
      return argv[i] as string;
    };
    const flag = (type: string, key: keyof IflaInfoData, v: number): void => {
      check(type, a, a);
      (d as Record<string, unknown>)[key] = v;
    };
    if (matches(a, 'id') || matches(a, 'vni')) {
      const v = next();
      check('ID', 'id', v);
      const n = getUint(v, 0xffffffff);
      if (n === null || n >= 1 << 24) ip.invarg('invalid id', v);
      vni = n;
    } else if (matches(a, 'group')) {
      if (isInetNotMulti(daddr)) {
        ip.err('vxlan: both group and remote cannot be specified\n');
        return null;
      }
      const v = next();
      check('GROUP', 'group', v);
      daddr = getAddr(ip, v, saddr.family);
      if (!(isInet(daddr) && isMulti(daddr))) ip.invarg('invalid group address', v);
    } else if (matches(a, 'remote')) {
      if (isInet(daddr) && isMulti(daddr)) {
        ip.err('vxlan: both group and remote cannot be specified\n');
        return null;
      }
      const v = next();
      check('GROUP', 'remote', v);
      daddr = getAddr(ip, v, saddr.family);
      if (!isInetNotMulti(daddr)) ip.invarg('invalid remote address', v);
    } else if (matches(a, 'local')) {
      const v = next();
      check('LOCAL', 'local', v);
      saddr = getAddr(ip, v, daddr.family);
      if (!isInetNotMulti(saddr)) ip.invarg('invalid local address', v);
    } else if (matches(a, 'dev')) {
      const v = next();
      check('LINK', 'dev', v);
      const link = llNameToIndex(ip, v);
      if (!link) ip.fail(`Cannot find device "${v}"`, 255);
      d.IFLA_VXLAN_LINK = link;
    } else if (matches(a, 'ttl') || matches(a, 'hoplimit')) {
      const v = next();
      check('TTL', 'ttl', v);
      if (v === 'inherit') d.IFLA_VXLAN_TTL_INHERIT = 1;
      else if (v === 'auto') d.IFLA_VXLAN_TTL = 0;
      else {
        const t = getUnsigned(v);
        if (t === null) ip.invarg('invalid TTL', v);
        if (t > 255) ip.invarg('TTL must be <= 255', v);
        d.IFLA_VXLAN_TTL = t;
      }
    } else if (matches(a, 'tos') || matches(a, 'dsfield')) {
      const v = next();
      check('TOS', 'tos', v);
      let tos = 1;
      if (v !== 'inherit') {
        const t = dsfieldA2n(v);
        if (t === null) ip.invarg('bad TOS value', v);
        tos = t;
      }
      d.IFLA_VXLAN_TOS = tos;
    } else if (matches(a, 'df')) {
      const v = next();
      check('DF', 'df', v);
      const df = { unset: 0, set: 1, inherit: 2 }[v];
      if (df === undefined) ip.invarg("DF must be 'unset', 'set' or 'inherit'", v);
      d.IFLA_VXLAN_DF = df;
    } else if (matches(a, 'label') || matches(a, 'flowlabel')) {
      const v = next();
      check('LABEL', 'flowlabel', v);
      const l = getUint(v, 0xffffffff);
      if (l === null || l & ~0xfffff) ip.invarg('invalid flowlabel', v);
      d.IFLA_VXLAN_LABEL = l;
    } else if (matches(a, 'ageing')) {
      const v = next();
      check('AGEING', 'ageing', v);
      let age: number | null = 0;
      if (v !== 'none') age = getUint(v, 0xffffffff);
      if (age === null) ip.invarg('ageing timer', v);
      d.IFLA_VXLAN_AGEING = age;
    } else if (matches(a, 'maxaddress')) {
      const v = next();
      check('LIMIT', 'maxaddress', v);
      let max: number | null = 0;
      if (v !== 'unlimited') max = getUint(v, 0xffffffff);
      if (max === null) ip.invarg('max addresses', v);
      d.IFLA_VXLAN_LIMIT = max;
    } else if (matches(a, 'port') || matches(a, 'srcport')) {
      const lo = next();
      check('PORT_RANGE', 'srcport', lo);
      const low = getUint(lo, 0xffff);
      if (low === null) ip.invarg('min port', lo);
      const hi = next();
      const high = getUint(hi, 0xffff);
      if (high === null) ip.invarg('max port', hi);
      if (low || high) d.IFLA_VXLAN_PORT_RANGE = { low, high };
    } else if (matches(a, 'dstport')) {
      const v = next();
      check('PORT', 'dstport', v);
      const p = getUint(v, 0xffff);
      if (p === null) ip.invarg('dst port', v);
      dstport = p;
    } else if (matches(a, 'nolearning')) {
      check('LEARNING', a, a);
      learning = 0;
    } else if (matches(a, 'learning')) {
      check('LEARNING', a, a);
      learning = 1;
    } else if (matches(a, 'noproxy')) flag('PROXY', 'IFLA_VXLAN_PROXY', 0);
    else if (matches(a, 'proxy')) flag('PROXY', 'IFLA_VXLAN_PROXY', 1);
    else if (matches(a, 'norsc')) flag('RSC', 'IFLA_VXLAN_RSC', 0);
    else if (matches(a, 'rsc')) flag('RSC', 'IFLA_VXLAN_RSC', 1);
    else if (matches(a, 'nol2miss')) flag('L2MISS', 'IFLA_VXLAN_L2MISS', 0);
    else if (matches(a, 'l2miss')) flag('L2MISS', 'IFLA_VXLAN_L2MISS', 1);
    else if (matches(a, 'nol3miss')) flag('L3MISS', 'IFLA_VXLAN_L3MISS', 0);
    else if (matches(a, 'l3miss')) flag('L3MISS', 'IFLA_VXLAN_L3MISS', 1);
    else if (matches(a, 'udpcsum')) flag('UDP_CSUM', 'IFLA_VXLAN_UDP_CSUM', 1);
    else if (matches(a, 'noudpcsum')) flag('UDP_CSUM', 'IFLA_VXLAN_UDP_CSUM', 0);
    else if (matches(a, 'udp6zerocsumtx')) flag('ZCSUM6_TX', 'IFLA_VXLAN_UDP_ZERO_CSUM6_TX', 1);
    else if (matches(a, 'noudp6zerocsumtx')) flag('ZCSUM6_TX', 'IFLA_VXLAN_UDP_ZERO_CSUM6_TX', 0);
    else if (matches(a, 'udp6zerocsumrx')) flag('ZCSUM6_RX', 'IFLA_VXLAN_UDP_ZERO_CSUM6_RX', 1);
    else if (matches(a, 'noudp6zerocsumrx')) flag('ZCSUM6_RX', 'IFLA_VXLAN_UDP_ZERO_CSUM6_RX', 0);
    else if (matches(a, 'remcsumtx')) flag('REMCSUM_TX', 'IFLA_VXLAN_REMCSUM_TX', 1);
    else if (matches(a, 'noremcsumtx')) flag('REMCSUM_TX', 'IFLA_VXLAN_REMCSUM_TX', 0);
    else if (matches(a, 'remcsumrx')) flag('REMCSUM_RX', 'IFLA_VXLAN_REMCSUM_RX', 1);
    else if (matches(a, 'noremcsumrx')) flag('REMCSUM_RX', 'IFLA_VXLAN_REMCSUM_RX', 0);
    else if (matches(a, 'external')) {
      check('COLLECT_METADATA', a, a);
      metadata = 1;
      learning = 0;
      d.IFLA_VXLAN_COLLECT_METADATA = 1;
    } else if (matches(a, 'noexternal')) {
      check('COLLECT_METADATA', a, a);
      metadata = 0;
      d.IFLA_VXLAN_COLLECT_METADATA = 0;
    } else if (matches(a, 'gbp')) {
      check('GBP', a, a);
      d.IFLA_VXLAN_GBP = true;
    } else if (matches(a, 'gpe')) {
      check('GPE', a, a);
      d.IFLA_VXLAN_GPE = true;
    } else if (a === 'vnifilter') {
      check('VNIFILTER', a, a);
      d.IFLA_VXLAN_VNIFILTER = 1;
      vnifilter = 1;
    } else if (a === 'novnifilter') {
      check('VNIFILTER', a, a);
      d.IFLA_VXLAN_VNIFILTER = 0;
    } else if (matches(a, 'help')) return explain();
    else {
      ip.err(`vxlan: unknown command "${a}"?\n`);
      return explain();
    }
  }
  if (!metadata && vnifilter) {
    ip.err("vxlan: vnifilter is valid only when 'external' is set\n");
    return null;
  }
  if (metadata && seen.has('ID')) {
    ip.err("vxlan: both 'external' and vni cannot be specified\n");
    return null;
  }
  if (!metadata && !vnifilter && !seen.has('ID') && !setOp) {
    ip.err('vxlan: missing virtual network identifier\n');
    return null;
  }
  if (isInet(daddr) && isMulti(daddr) && !seen.has('LINK')) {
    ip.err("vxlan: 'group' requires 'dev' to be specified\n");
    return null;
  }
  if (!seen.has('PORT') && seen.has('GPE')) dstport = 4790;
  else if (!seen.has('PORT') && !setOp) {
    ip.err(
      'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
  }
  if (seen.has('ID')) d.IFLA_VXLAN_ID = vni;
  let selected = false;
  if (isInet(saddr)) {
    if (saddr.family === AF_INET6) d.IFLA_VXLAN_LOCAL6 = new Uint8Array(16);
    else d.IFLA_VXLAN_LOCAL = saddr.addr;
    selected = true;
  }
  if (isInet(daddr)) {
    if (daddr.family === AF_INET6) d.IFLA_VXLAN_GROUP6 = new Uint8Array(16);
    else d.IFLA_VXLAN_GROUP = daddr.addr;
    selected = true;
  }
  if (!selected) {
    if (ip.opts.family === AF_INET) d.IFLA_VXLAN_GROUP = 0;
    else if (ip.opts.family === AF_INET6) d.IFLA_VXLAN_GROUP6 = new Uint8Array(16);
  }
  if (!setOp || seen.has('LEARNING')) d.IFLA_VXLAN_LEARNING = learning;
  if (dstport) d.IFLA_VXLAN_PORT = dstport;
  return d;
}

/** vxlan_print_opt(): the text after `vxlan ` in `ip -d link show`. */
export function vxlanPrintOpt(ip: Ip, d: IflaInfoData | undefined): string {
  if (!d) return '';
  let s = '';
  if (d.IFLA_VXLAN_COLLECT_METADATA) s += 'external ';
  if (d.IFLA_VXLAN_VNIFILTER) s += 'vnifilter';
  if (d.IFLA_VXLAN_ID !== undefined) s += `id ${d.IFLA_VXLAN_ID} `;
  if (d.IFLA_VXLAN_GROUP !== undefined) {
    const addr = d.IFLA_VXLAN_GROUP;
    if (addr) s += `${addr >>> 28 === 0xe ? 'group' : 'remote'} ${ipv4(addr)} `;
  }
  if (d.IFLA_VXLAN_LOCAL !== undefined && d.IFLA_VXLAN_LOCAL) s += `local ${ipv4(d.IFLA_VXLAN_LOCAL)} `;
  if (d.IFLA_VXLAN_LINK) s += `dev ${llIndexToName(ip, d.IFLA_VXLAN_LINK)} `;
  if (d.IFLA_VXLAN_PORT_RANGE) s += `srcport ${d.IFLA_VXLAN_PORT_RANGE.low} ${d.IFLA_VXLAN_PORT_RANGE.high} `;
  if (d.IFLA_VXLAN_PORT !== undefined) s += `dstport ${d.IFLA_VXLAN_PORT} `;
  if (d.IFLA_VXLAN_LEARNING !== undefined && !d.IFLA_VXLAN_LEARNING) s += 'nolearning ';
  if (d.IFLA_VXLAN_PROXY) s += 'proxy ';
  if (d.IFLA_VXLAN_RSC) s += 'rsc ';
  if (d.IFLA_VXLAN_L2MISS) s += 'l2miss ';
  if (d.IFLA_VXLAN_L3MISS) s += 'l3miss ';
  const tos = d.IFLA_VXLAN_TOS ?? 0;
  if (tos) s += tos !== 1 ? `tos 0x${tos.toString(16)} ` : 'tos inherit ';
  if (d.IFLA_VXLAN_TTL_INHERIT) s += 'ttl inherit ';
  else if (d.IFLA_VXLAN_TTL !== undefined) s += d.IFLA_VXLAN_TTL ? `ttl ${d.IFLA_VXLAN_TTL} ` : 'ttl auto ';
  if (d.IFLA_VXLAN_DF === 1) s += 'df set ';
  else if (d.IFLA_VXLAN_DF === 2) s += 'df inherit ';
  if (d.IFLA_VXLAN_LABEL) s += `flowlabel 0x${d.IFLA_VXLAN_LABEL.toString(16)} `;
  if (d.IFLA_VXLAN_AGEING !== undefined) s += d.IFLA_VXLAN_AGEING === 0 ? 'ageing none ' : `ageing ${d.IFLA_VXLAN_AGEING} `;
  if (d.IFLA_VXLAN_LIMIT) s += `maxaddr ${d.IFLA_VXLAN_LIMIT} `;
  if (d.IFLA_VXLAN_UDP_CSUM !== undefined) s += `${d.IFLA_VXLAN_UDP_CSUM ? '' : 'no'}udpcsum `;
  if (d.IFLA_VXLAN_UDP_ZERO_CSUM6_TX !== undefined) s += `${d.IFLA_VXLAN_UDP_ZERO_CSUM6_TX ? '' : 'no'}udp6zerocsumtx `;
  if (d.IFLA_VXLAN_UDP_ZERO_CSUM6_RX !== undefined) s += `${d.IFLA_VXLAN_UDP_ZERO_CSUM6_RX ? '' : 'no'}udp6zerocsumrx `;
  if (d.IFLA_VXLAN_REMCSUM_TX) s += 'remcsumtx ';
  if (d.IFLA_VXLAN_REMCSUM_RX) s += 'remcsumrx ';
  if (d.IFLA_VXLAN_GBP) s += 'gbp ';
  if (d.IFLA_VXLAN_GPE) s += 'gpe ';
  return s;
}
