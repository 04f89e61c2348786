// ip/iprule.c (iproute2 6.1): `ip rule [list|show] [SELECTOR]`, `ip rule add|del
// SELECTOR ACTION`, `ip rule flush`; a client of rtnetlink
// (RTM_NEWRULE/DELRULE/GETRULE with struct fib_rule_hdr and FRA_*).
import {
  FIB_RULE_IIF_DETACHED,
  FIB_RULE_INVERT,
  FIB_RULE_OIF_DETACHED,
  FIB_RULE_UNRESOLVED,
  fib_rule_hdr,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_TO_TBL,
  FR_ACT_UNSPEC,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RT_TABLE_MAIN,
  RTN_NAT,
  RTPROT_KERNEL,
  type RuleMsg,
  rtnl_delrule,
  rtnl_dumprule,
  rtnl_newrule,
} from '../../../kernel/uapi/rtnetlink_route.ts';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  Args,
  getPrefix,
  getUnsigned,
  getInteger,
  type InetPrefix,
  type Ip,
  IpExit,
  ipv4,
  matches,
  protoId,
  protoName,
  rtnTypeId,
  rtnTypeName,
  strtol,
  tableId,
  tableName,
  validIfname,
  protocolFilter,
} from './common.ts';
import { ipv6ToString } from '../../../wire/ipv6.ts';
import { protoName as ipProtoName, protoNumber } from '../nft/datatype.ts';

export const RULE_USAGE = `Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]
`;

function usage(ip: Ip): never {
  ip.err(RULE_USAGE);
  throw new IpExit(255);
}

function unsupported(ip: Ip, what: string): number {
  ip.err(`skbpath: ip rule: ${what} not simulated\n`);
  return 2;
}

/** /etc/iproute2/rt_dsfield as Debian 12 ships it. */
const DSFIELD_NAMES = new Map<string, number>([
  ['default', 0x00],
  ['AF11', 0x28],
  ['AF12', 0x30],
  ['AF13', 0x38],
  ['AF21', 0x48],
  ['AF22', 0x50],
  ['AF23', 0x58],
  ['AF31', 0x68],
  ['AF32', 0x70],
  ['AF33', 0x78],
  ['AF41', 0x88],
  ['AF42', 0x90],
  ['AF43', 0x98],
  ['CS1', 0x20],
  ['CS2', 0x40],
  ['CS3', 0x60],
  ['CS4', 0x80],
  ['CS5', 0xa0],
  ['CS6', 0xc0],
  ['CS7', 0xe0],
  ['EF', 0xb8],
]);

/** rtnl_dsfield_a2n(): a name of rt_dsfield or a hexadecimal byte. */
function dsfieldA2n(arg: string): number | null {
  const named = DSFIELD_NAMES.get(arg);
  if (named !== undefined) return named;
  const r = strtol(arg, 16);
  if (r.end === 0 || r.end !== arg.length || r.neg || r.value > 255) return null;
  return r.value;
}

/** rtnl_dsfield_n2a() */
function dsfieldN2a(v: number): string {
  for (const [name, id] of DSFIELD_NAMES) if (id === v && id) return name;
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** inet_proto_a2n(): getprotobyname() over /etc/protocols, else a number. */
function ipprotoA2n(arg: string): number | null {
  const n = protoNumber(arg);
  if (n !== undefined) return n;
  const v = getUnsigned(arg);
  return v === null || v > 255 ? null : v;
}

/** sscanf(arg, "%u-%u") (or "%hu-%hu" with `max`): the count of numbers read. */
function scanRange(arg: string, max: number): { n: number; start: number; end: number } {
  const m = /^\s*\+?(\d+)(?:-\s*\+?(\d+))?/.exec(arg);
  if (!m) return { n: 0, start: 0, end: 0 };
  const start = Number(m[1]) % (max + 1);
  if (m[2] === undefined) return { n: 1, start, end: start };
  return { n: 2, start, end: Number(m[2]) % (max + 1) };
}

/** "%#llx" */
function hex0x(v: number): string {
  return v ? `0x${v.toString(16)}` : '0';
}

/** inet_proto_n2a(): getprotobynumber()'s official name, else the number. */
function ipprotoN2a(p: number): string {
  return ipProtoName(p) ?? String(p);
}

interface RuleFilter {
  not: boolean;
  iif: string | null;
  oif: string | null;
  uidrange: { start: number; end: number } | null;
  tb: number;
  tos: number;
  tosmask: boolean;
  pref: number;
  prefmask: boolean;
  fwmark: number;
  fwmask: number;
  src: InetPrefix | null;
  dst: InetPrefix | null;
  protocol: number;
  protocolmask: number;
  sport: { start: number; end: number } | null;
  dport: { start: number; end: number } | null;
  ipproto: number;
}

function newFilter(): RuleFilter {
  return {
    not: false,
    iif: null,
    oif: null,
    uidrange: null,
    tb: 0,
    tos: 0,
    tosmask: false,
    pref: 0,
    prefmask: false,
    fwmark: 0,
    fwmask: 0,
    src: null,
    dst: null,
    protocol: 0,
    protocolmask: 0,
    sport: null,
    dport: null,
    ipproto: 0,
  };
}

function frhTable(m: RuleMsg): number {
  return m.attrs.FRA_TABLE ?? m.frh.table;
}

/** inet_addr_match_rta(): 0 when the attribute is within the prefix. */
function addrMatches(p: InetPrefix, a: number | undefined, a6?: Uint8Array): boolean {
  if (p.family === AF_INET6) {
    if (a6 === undefined || p.bitlen <= 0) return true;
    const want = p.addr6 as Uint8Array;
    for (let bit = 0; bit < p.bitlen; bit += 8) {
      const i = bit >> 3;
      const left = p.bitlen - bit;
      const m = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
      if ((((a6[i] ?? 0) ^ (want[i] ?? 0)) & m) !== 0) return false;
    }
    return true;
  }
  if (a === undefined || p.bitlen <= 0) return true;
  const mask = p.bitlen >= 32 ? 0xffffffff : (0xffffffff << (32 - p.bitlen)) >>> 0;
  return ((a ^ p.addr) & mask) >>> 0 === 0;
}

/** filter_nlmsg() */
function rulePasses(ip: Ip, f: RuleFilter, m: RuleMsg): boolean {
  const { frh, attrs } = m;
  if (ip.opts.family !== AF_UNSPEC && frh.family !== ip.opts.family) return false;
  if (f.prefmask && f.pref !== (attrs.FRA_PRIORITY ?? 0)) return false;
  if (f.not && !(frh.flags & FIB_RULE_INVERT)) return false;
  if (f.src) {
    if (f.src.family !== frh.family || f.src.bitlen > frh.src_len) return false;
    if (!addrMatches(f.src, attrs.FRA_SRC, attrs.FRA_SRC6)) return false;
  }
  if (f.dst) {
    if (f.dst.family !== frh.family || f.dst.bitlen > frh.dst_len) return false;
    if (!addrMatches(f.dst, attrs.FRA_DST, attrs.FRA_DST6)) return false;
  }
  if (f.tosmask && f.tos !== frh.tos) return false;
  if (f.fwmark && f.fwmark !== (attrs.FRA_FWMARK ?? 0)) return false;
  if (f.fwmask && f.fwmask !== (attrs.FRA_FWMASK ?? 0)) return false;
  if (f.iif !== null && f.iif !== attrs.FRA_IIFNAME) return false;
  if (f.oif !== null && f.oif !== attrs.FRA_OIFNAME) return false;
  if (f.uidrange) {
    const r = attrs.FRA_UID_RANGE;
    if (!r || r.start !== f.uidrange.start || r.end !== f.uidrange.end) return false;
  }
  if (f.ipproto && f.ipproto !== (attrs.FRA_IP_PROTO ?? 0)) return false;
  for (const [want, have] of [
    [f.sport, attrs.FRA_SPORT_RANGE],
    [f.dport, attrs.FRA_DPORT_RANGE],
  ] as const) {
    if (!want || !want.start) continue;
    if (!have || have.start !== want.start || have.end !== want.end) return false;
  }
  const table = frhTable(m);
  if (f.tb > 0 && f.tb !== table) return false;
  return true;
}

/** print_rule() */
function ruleLine(ip: Ip, m: RuleMsg): string {
  const { frh, attrs } = m;
  const hostLen = frh.family === AF_INET6 ? 128 : 32;
  let s = `${attrs.FRA_PRIORITY ?? 0}:\t`;
  if (frh.flags & FIB_RULE_INVERT) s += 'not ';
  if (attrs.FRA_SRC6 !== undefined || attrs.FRA_SRC !== undefined) {
    s += `from ${attrs.FRA_SRC6 ? ipv6ToString(attrs.FRA_SRC6) : ipv4(attrs.FRA_SRC as number)}`;
    if (frh.src_len !== hostLen) s += `/${frh.src_len}`;
  } else if (frh.src_len) {
    s += `from 0/${frh.src_len}`;
  } else {
    s += 'from all';
  }
  if (attrs.FRA_DST6 !== undefined || attrs.FRA_DST !== undefined) {
    s += ` to ${attrs.FRA_DST6 ? ipv6ToString(attrs.FRA_DST6) : ipv4(attrs.FRA_DST as number)}`;
    if (frh.dst_len !== hostLen) s += `/${frh.dst_len}`;
  } else if (frh.dst_len) {
    s += ` to 0/${frh.dst_len}`;
  }
  if (frh.tos) s += ` tos ${dsfieldN2a(frh.tos)}`;
  if (attrs.FRA_FWMARK !== undefined || attrs.FRA_FWMASK !== undefined) {
    const mark = attrs.FRA_FWMARK ?? 0;
    const mask = attrs.FRA_FWMASK;
    s += ` fwmark ${hex0x(mark)}`;
    if (mask !== undefined && mask !== 0xffffffff) s += `/${hex0x(mask)}`;
  }
  if (attrs.FRA_IIFNAME !== undefined) {
    s += ` iif ${attrs.FRA_IIFNAME}`;
    if (frh.flags & FIB_RULE_IIF_DETACHED) s += ' [detached]';
  }
  if (attrs.FRA_OIFNAME !== undefined) {
    s += ` oif ${attrs.FRA_OIFNAME}`;
    if (frh.flags & FIB_RULE_OIF_DETACHED) s += ' [detached]';
  }
  if (attrs.FRA_L3MDEV) s += ' lookup [l3mdev-table]';
  if (attrs.FRA_UID_RANGE) s += ` uidrange ${attrs.FRA_UID_RANGE.start}-${attrs.FRA_UID_RANGE.end}`;
  if (attrs.FRA_IP_PROTO !== undefined) s += ` ipproto ${ipprotoN2a(attrs.FRA_IP_PROTO)}`;
  for (const [name, r] of [
    ['sport', attrs.FRA_SPORT_RANGE],
    ['dport', attrs.FRA_DPORT_RANGE],
  ] as const) {
    if (!r) continue;
    s += r.start === r.end ? ` ${name} ${r.start}` : ` ${name} ${r.start}-${r.end}`;
  }
  const table = frhTable(m);
  if (table) {
    s += ` lookup ${tableName(table, ip.opts.numeric, ip)}`;
    const pl = attrs.FRA_SUPPRESS_PREFIXLEN;
    if (pl !== undefined && pl !== -1) s += ` suppress_prefixlength ${pl}`;
    const g = attrs.FRA_SUPPRESS_IFGROUP;
    if (g !== undefined && g !== -1) s += ` suppress_ifgroup ${g === 0 ? 'default' : g}`;
  }
  if (attrs.FRA_FLOW !== undefined) {
    const to = attrs.FRA_FLOW & 0xffff;
    const from = attrs.FRA_FLOW >>> 16;
    s += from ? ` realms ${from}/${to}` : ` realms ${to}`;
  }
  if (frh.action === RTN_NAT) s += ' masquerade';
  else if (frh.action === FR_ACT_GOTO) {
    s += attrs.FRA_GOTO !== undefined ? ` goto ${attrs.FRA_GOTO}` : ' goto none';
    if (frh.flags & FIB_RULE_UNRESOLVED) s += ' [unresolved]';
  } else if (frh.action === FR_ACT_NOP) s += ' nop';
  else if (frh.action !== FR_ACT_TO_TBL) s += ` ${rtnTypeName(frh.action)}`;
  if (attrs.FRA_PROTOCOL !== undefined) {
    const p = attrs.FRA_PROTOCOL;
    if ((p && p !== RTPROT_KERNEL) || ip.opts.details > 0) s += ` proto ${protoName(p, ip.opts.numeric)}`;
  }
  return `${s}\n`;
}

/** iprule_list_flush_or_save() */
function listOrFlush(ip: Ip, argv: readonly string[], flush: boolean): number {
  const af = ip.opts.family === AF_UNSPEC ? AF_INET : ip.opts.family;
  const f = newFilter();
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (matches(a, 'preference') || matches(a, 'order') || matches(a, 'priority')) {
      const v = args.next();
      const p = getUnsigned(v);
      if (p === null) ip.invarg('preference value is invalid\n', v);
      f.pref = p;
      f.prefmask = true;
    } else if (a === 'not') {
      f.not = true;
    } else if (a === 'tos' || a === 'dsfield') {
      const v = args.next();
      const t = dsfieldA2n(v);
      if (t === null) ip.invarg('TOS value is invalid\n', v);
      f.tos = t;
      f.tosmask = true;
    } else if (a === 'fwmark') {
      const v = args.next();
      const slash = v.indexOf('/');
      const markText = slash >= 0 ? v.slice(0, slash) : v;
      const mark = getUnsigned(markText);
      if (mark === null) ip.invarg('fwmark value is invalid\n', markText);
      f.fwmark = mark;
      if (slash >= 0) {
        const mask = getUnsigned(v.slice(slash + 1));
        if (mask === null) ip.invarg('fwmask value is invalid\n', v.slice(slash + 1));
        f.fwmask = mask;
      }
    } else if (a === 'dev' || a === 'iif') {
      const v = args.next();
      if (!validIfname(v)) ip.invarg('"iif"/"dev" not a valid ifname', v);
      f.iif = v;
    } else if (a === 'oif') {
      const v = args.next();
      if (!validIfname(v)) ip.invarg('"oif" not a valid ifname', v);
      f.oif = v;
    } else if (a === 'l3mdev') {
      return 0;
    } else if (a === 'uidrange') {
      const v = args.next();
      const r = scanRange(v, 0xffffffff);
      if (r.n !== 2) ip.invarg('invalid UID range\n', v);
      f.uidrange = { start: r.start, end: r.end };
    } else if (matches(a, 'tun_id')) {
      args.next();
      return 0;
    } else if (matches(a, 'lookup') || matches(a, 'table')) {
      const v = args.next();
      const t = tableId(v, ip);
      if (t === null) ip.invarg('table id value is invalid\n', v);
      f.tb = t;
    } else if (matches(a, 'from') || matches(a, 'src')) {
      f.src = getPrefix(ip, args.next(), af);
    } else if (matches(a, 'protocol')) {
      const p = protocolFilter(ip, args.next());
      f.protocol = p.protocol;
      f.protocolmask = p.mask;
    } else if (a === 'ipproto') {
      f.ipproto = ipprotoArg(ip, args.next());
    } else if (a === 'sport' || a === 'dport') {
      const r = portRangeArg(ip, a, args.next());
      if (a === 'sport') f.sport = r;
      else f.dport = r;
    } else {
      let v = a;
      if (matches(v, 'dst') || matches(v, 'to')) v = args.next();
      f.dst = getPrefix(ip, v, af);
    }
  }
  const dump = rtnl_dumprule(ip.net, { frh: fib_rule_hdr({ family: af }), attrs: {} });
  for (const m of dump) {
    if (!rulePasses(ip, f, m)) continue;
    if (!flush) {
      ip.out(ruleLine(ip, m));
      continue;
    }
    // flush_rule(): every rule with a priority goes back as RTM_DELRULE
    const p = m.attrs.FRA_PROTOCOL;
    if (p !== undefined && (f.protocol ^ p) & f.protocolmask) continue;
    if (m.attrs.FRA_PRIORITY === undefined) continue;
    const ack = rtnl_delrule(ip.net, m);
    if (ack.error) return ip.rtnlError(-ack.error, ack.extack);
  }
  return 0;
}

/** iprule_modify() */
function ruleModify(ip: Ip, argv: readonly string[], add: boolean): number {
  const msg: RuleMsg = { frh: fib_rule_hdr({ family: ip.opts.family, action: add ? FR_ACT_TO_TBL : FR_ACT_UNSPEC }), attrs: {} };
  const { frh, attrs } = msg;
  if (argv.length === 0) {
    ip.err(add ? '"ip rule add" requires arguments.\n' : '"ip rule del" requires arguments.\n');
    return 1;
  }
  let tableOk = false;
  const args = new Args(ip, argv);
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'not') {
      frh.flags |= FIB_RULE_INVERT;
    } else if (a === 'from' || a === 'to') {
      const p = getPrefix(ip, args.next(), frh.family);
      // the attribute goes with the address's own size, whatever the rule's family
      const v6 = p.family === AF_INET6 ? (p.addr6 as Uint8Array) : undefined;
      if (a === 'from') {
        frh.src_len = p.bitlen;
        if (v6) attrs.FRA_SRC6 = v6;
        else if (p.bytelen) attrs.FRA_SRC = p.addr;
      } else {
        frh.dst_len = p.bitlen;
        if (v6) attrs.FRA_DST6 = v6;
        else if (p.bytelen) attrs.FRA_DST = p.addr;
      }
    } else if (matches(a, 'preference') || matches(a, 'order') || matches(a, 'priority')) {
      const v = args.next();
      const p = getUnsigned(v);
      if (p === null) ip.invarg('preference value is invalid\n', v);
      attrs.FRA_PRIORITY = p;
    } else if (a === 'tos' || matches(a, 'dsfield')) {
      const v = args.next();
      const t = dsfieldA2n(v);
      if (t === null) ip.invarg('TOS value is invalid\n', v);
      frh.tos = t;
    } else if (a === 'fwmark') {
      const v = args.next();
      const slash = v.indexOf('/');
      const markText = slash >= 0 ? v.slice(0, slash) : v;
      const mark = getUnsigned(markText);
      if (mark === null) ip.invarg('fwmark value is invalid\n', markText);
      attrs.FRA_FWMARK = mark;
      if (slash >= 0) {
        const mask = getUnsigned(v.slice(slash + 1));
        if (mask === null) ip.invarg('fwmask value is invalid\n', v.slice(slash + 1));
        attrs.FRA_FWMASK = mask;
      }
    } else if (matches(a, 'realms')) {
      args.next();
      return unsupported(ip, 'realms are');
    } else if (matches(a, 'protocol')) {
      const v = args.next();
      const p = protoId(v);
      if (p === null) ip.invarg('"protocol" value is invalid\n', v);
      attrs.FRA_PROTOCOL = p;
    } else if (matches(a, 'tun_id')) {
      args.next();
      return unsupported(ip, 'tun_id is');
    } else if (matches(a, 'table') || a === 'lookup') {
      const v = args.next();
      const t = tableId(v, ip);
      if (t === null) ip.invarg('invalid table ID\n', v);
      if (t < 256) frh.table = t;
      else {
        frh.table = 0;
        attrs.FRA_TABLE = t;
      }
      tableOk = true;
    } else if (matches(a, 'suppress_prefixlength') || a === 'sup_pl') {
      const v = args.next();
      const pl = getInteger(v);
      if (pl === null || pl < 0) ip.invarg('suppress_prefixlength value is invalid\n', v);
      attrs.FRA_SUPPRESS_PREFIXLEN = pl;
    } else if (matches(a, 'suppress_ifgroup') || a === 'sup_group') {
      const v = args.next();
      const g = groupA2n(v);
      if (g === null) ip.invarg('Invalid "suppress_ifgroup" value\n', v);
      attrs.FRA_SUPPRESS_IFGROUP = g;
    } else if (a === 'dev' || a === 'iif') {
      const v = args.next();
      if (!validIfname(v)) ip.invarg('"iif"/"dev" not a valid ifname', v);
      attrs.FRA_IIFNAME = v;
    } else if (a === 'oif') {
      const v = args.next();
      if (!validIfname(v)) ip.invarg('"oif" not a valid ifname', v);
      attrs.FRA_OIFNAME = v;
    } else if (a === 'l3mdev') {
      return unsupported(ip, 'l3mdev rules are');
    } else if (a === 'uidrange') {
      const v = args.next();
      const r = scanRange(v, 0xffffffff);
      if (r.n !== 2) ip.invarg('invalid UID range\n', v);
      attrs.FRA_UID_RANGE = { start: r.start, end: r.end };
    } else if (a === 'nat' || matches(a, 'map-to')) {
      args.next();
      return unsupported(ip, 'route NAT rules are');
    } else if (a === 'ipproto') {
      attrs.FRA_IP_PROTO = ipprotoArg(ip, args.next());
    } else if (a === 'sport' || a === 'dport') {
      const r = portRangeArg(ip, a, args.next());
      if (a === 'sport') attrs.FRA_SPORT_RANGE = r;
      else attrs.FRA_DPORT_RANGE = r;
    } else {
      let v = a;
      if (v === 'type') v = args.next();
      let type: number;
      if (matches(v, 'help')) usage(ip);
      else if (matches(v, 'goto')) {
        type = FR_ACT_GOTO;
        const t = args.next();
        const target = getUnsigned(t);
        if (target === null) ip.invarg('invalid target\n', t);
        attrs.FRA_GOTO = target;
      } else if (matches(v, 'nop')) type = FR_ACT_NOP;
      else {
        const t = rtnTypeId(v);
        if (t === null) ip.invarg('Failed to parse rule type', v);
        type = t;
      }
      frh.action = type;
      tableOk = true;
    }
  }
  if (frh.family === AF_UNSPEC) frh.family = AF_INET;
  if (frh.family !== AF_INET && frh.family !== AF_INET6) return unsupported(ip, 'rules of this family are');
  if (!tableOk && add) frh.table = RT_TABLE_MAIN;
  const ack = add ? rtnl_newrule(ip.net, NLM_F_CREATE | NLM_F_EXCL, msg) : rtnl_delrule(ip.net, msg);
  if (ack.error) return ip.rtnlError(-ack.error, ack.extack);
  return 0;
}

/** do_iprule() */
export function doIprule(ip: Ip, argv: readonly string[]): number {
  const sub = argv[0];
  const rest = argv.slice(1);
  if (sub === undefined) return listOrFlush(ip, [], false);
  if (matches(sub, 'list') || matches(sub, 'lst') || matches(sub, 'show')) return listOrFlush(ip, rest, false);
  if (matches(sub, 'save') || matches(sub, 'restore')) return unsupported(ip, 'save and restore are');
  if (matches(sub, 'add')) return ruleModify(ip, rest, true);
  if (matches(sub, 'delete')) return ruleModify(ip, rest, false);
  if (matches(sub, 'flush')) return listOrFlush(ip, rest, true);
  if (matches(sub, 'help')) usage(ip);
  return ip.fail(`Command "${sub}" is unknown, try "ip rule help".`, 255);
}

/** rtnl_group_a2n(): a name of /etc/iproute2/group ("default" 0) or a number as strtol(arg, 0) reads it. */
function groupA2n(arg: string): number | null {
  if (arg === 'default') return 0;
  const r = strtol(arg, 0);
  if (r.end === 0 || r.end !== arg.length || r.value < 0) return null;
  return r.value | 0;
}

/** `ipproto PROTO`, as the rule filter and iprule_modify() both read it. */
function ipprotoArg(ip: Ip, v: string): number {
  const p = ipprotoA2n(v);
  if (p === null) ip.invarg('Invalid "ipproto" value\n', v);
  return p;
}

/** `sport|dport NUMBER[-NUMBER]`, as the rule filter and iprule_modify() both read it. */
function portRangeArg(ip: Ip, which: string, v: string): { start: number; end: number } {
  const r = scanRange(v, 0xffff);
  if (r.n === 0) ip.invarg(which === 'sport' ? 'invalid port range\n' : 'invalid dport range\n', v);
  return { start: r.start, end: r.end };
}
