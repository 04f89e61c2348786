// iptables 1.8.9 (nf_tables): iptables, iptables-save and iptables-restore
// over the namespace's rule set (src/kernel/netfilter/x_tables.ts). Output
// formats and messages follow iptables/xshared.c, nft-ipv4.c and the libxt_*
// extensions of that release, checked against the real tool.
import { ipv4ToString } from '../../wire/ipv4.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { NF_ACCEPT, NF_DROP } from '../../kernel/netfilter/core.ts';
import {
  type Chain,
  HOOK_NAMES,
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  limit_init,
  type MatchSpec,
  type PortRange,
  type Rule,
  type RuleSpec,
  type Table,
  TABLES,
  type TargetSpec,
  xt_net,
  XT_LIMIT_SCALE,
  XT_TCP_INV_DSTPT,
  XT_TCP_INV_FLAGS,
  XT_TCP_INV_SRCPT,
  type ConntrackMatch,
  XT_CONNTRACK_STATE,
  XT_CONNTRACK_PROTO,
  XT_CONNTRACK_ORIGSRC,
  XT_CONNTRACK_ORIGDST,
  XT_CONNTRACK_REPLSRC,
  XT_CONNTRACK_REPLDST,
  XT_CONNTRACK_STATUS,
  XT_CONNTRACK_EXPIRES,
  XT_CONNTRACK_ORIGSRC_PORT,
  XT_CONNTRACK_ORIGDST_PORT,
  XT_CONNTRACK_REPLSRC_PORT,
  XT_CONNTRACK_REPLDST_PORT,
  XT_CONNTRACK_DIRECTION,
  XT_CONNMARK_SET,
  XT_CONNMARK_SAVE,
  XT_CONNMARK_RESTORE,
} from '../../kernel/netfilter/x_tables.ts';
import {
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_PERSISTENT,
  NF_NAT_RANGE_PROTO_RANDOM,
  NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  type NfNatRange2,
} from '../../kernel/netfilter/nf_nat.ts';
import type { RejectWith } from '../../kernel/netfilter/ipt_REJECT.ts';
import { getservbyname, getservbyport } from './netdb.ts';
import type { Net } from '../../kernel/net_namespace.ts';

import { type Kmsg, LOGLEVEL_INFO } from '../../kernel/printk.ts';

const PROG = 'iptables v1.8.9 (nf_tables)';
const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";

class IptError extends Error {
  constructor(
    readonly text: string,
    readonly code: number,
    /** Printed on stdout (--version), not an error. */
    readonly toStdout = false,
  ) {
    super(text);
  }
}

/** Extensions iptables has but this simulator does not. */
const CONNTRACK_MATCHES = ['connbytes', 'connlimit', 'helper'];
const CONNTRACK_TARGETS = ['NETMAP', 'TPROXY'];

/** conntrack_dump_states() order, with their bits (XT_CONNTRACK_STATE_*). */
const CT_STATES: [string, number][] = [
  ['INVALID', 1 << 0],
  ['NEW', 1 << 3],
  ['RELATED', 1 << 2],
  ['ESTABLISHED', 1 << 1],
  ['UNTRACKED', 1 << 10],
  ['SNAT', 1 << 8],
  ['DNAT', 1 << 9],
];
/** xt_state's bits (UNTRACKED is 1 << 4 there). */
const STATE_STATES: [string, number][] = [
  ['INVALID', 1 << 0],
  ['NEW', 1 << 3],
  ['RELATED', 1 << 2],
  ['ESTABLISHED', 1 << 1],
  ['UNTRACKED', 1 << 4],
];
const CT_STATUS: [string, number][] = [
  ['EXPECTED', 1 << 0],
  ['SEEN_REPLY', 1 << 1],
  ['ASSURED', 1 << 2],
  ['CONFIRMED', 1 << 3],
];

function parseStates(v: string, table: [string, number][], what: string): number {
  let mask = 0;
  for (const w of v.split(',')) {
    const e = table.find(([n]) => n === w.toUpperCase());
    if (!e) throw paramProblem(`Bad ${what} "${w}"`);
    mask |= e[1];
  }
  return mask;
}

function stateNames(mask: number, table: [string, number][]): string {
  const l = table.filter(([, b]) => mask & b).map(([n]) => n);
  return l.length ? l.join(',') : 'NONE';
}

/** NAT ranges: [ipaddr[-ipaddr]][:port[-port]] (libxt_NAT parse_to). */
function parseNatTo(v: string, proto: string, what: string): NfNatRange2 {
  const r: NfNatRange2 = { flags: 0, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 };
  const colon = v.indexOf(':');
  const ips = colon < 0 ? v : v.slice(0, colon);
  if (colon >= 0) {
    if (!['tcp', 'udp', 'sctp', 'dccp'].includes(proto)) throw paramProblem('Need TCP, UDP, SCTP or DCCP with port specification');
    const [lo, hi] = parseNatPorts(v.slice(colon + 1));
    r.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    r.minProto = lo;
    r.maxProto = hi;
  }
  if (ips) {
    const [a, b] = ips.split('-');
    const lo = parseIp(a ?? '');
    if (lo === null) throw paramProblem(`Bad IP address "${a}"`);
    const hi = b === undefined ? lo : parseIp(b);
    if (hi === null) throw paramProblem(`Bad IP address "${b}"`);
    r.flags |= NF_NAT_RANGE_MAP_IPS;
    r.minAddr = lo;
    r.maxAddr = hi;
  }
  void what;
  return r;
}

function parseToPorts(v: string, proto: string): [number, number] {
  if (!['tcp', 'udp', 'sctp', 'dccp'].includes(proto)) throw paramProblem('Need TCP, UDP, SCTP or DCCP with port specification');
  return parseNatPorts(v);
}

/** PORT[-PORT] of a NAT target (libxt_NAT/libxt_REDIRECT parse_ports): 0 is a port; a reversed range is "funky". */
function parseNatPorts(v: string): [number, number] {
  const dash = v.indexOf('-');
  const a = dash < 0 ? v : v.slice(0, dash);
  const b = dash < 0 ? null : v.slice(dash + 1);
  const port = (t: string): number => {
    if (!/^\d+$/.test(t) || Number(t) > 65535) throw paramProblem(`Port \`${t}' not valid`);
    return Number(t);
  };
  const lo = port(a);
  const hi = b === null ? lo : port(b);
  if (hi < lo) throw paramProblem(`Port range \`${b}' funky`);
  return [lo, hi];
}

function natRangeText(r: NfNatRange2): string {
  let s = '';
  if (r.flags & NF_NAT_RANGE_MAP_IPS) s += ipv4ToString(r.minAddr) + (r.maxAddr !== r.minAddr ? `-${ipv4ToString(r.maxAddr)}` : '');
  if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) s += `:${r.minProto}${r.maxProto !== r.minProto ? `-${r.maxProto}` : ''}`;
  return s;
}

function portsText(r: NfNatRange2): string {
  return `${r.minProto}${r.maxProto !== r.minProto ? `-${r.maxProto}` : ''}`;
}

function natFlagsText(r: NfNatRange2, save: boolean): string {
  const d = save ? ' --' : ' ';
  let s = '';
  if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) s += `${d}random`;
  if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) s += `${d}random-fully`;
  if (r.flags & NF_NAT_RANGE_PERSISTENT) s += `${d}persistent`;
  return s;
}

function ctAddr(a: [number, number]): string {
  const l = maskLen(a[1]);
  return ipv4ToString(a[0]) + (l === 32 ? '' : l >= 0 ? `/${l}` : `/${ipv4ToString(a[1])}`);
}

const rangeText = (r: PortRange): string => (r[0] === r[1] ? `${r[0]}` : `${r[0]}:${r[1]}`);

/** conntrack_dump(): the options of a conntrack match, for -L (prefix '') or save (prefix '--'). */
function conntrackText(m: ConntrackMatch, save: boolean): string {
  const p = save ? '--' : '';
  const inv = (f: number): string => (m.invflags & f ? ' !' : '');
  let s = '';
  if (m.flags & XT_CONNTRACK_STATE) s += `${inv(XT_CONNTRACK_STATE)} ${p}ctstate ${stateNames(m.statemask, CT_STATES)}`;
  if (m.flags & XT_CONNTRACK_PROTO) s += `${inv(XT_CONNTRACK_PROTO)} ${p}ctproto ${m.l4proto}`;
  if (m.flags & XT_CONNTRACK_ORIGSRC) s += `${inv(XT_CONNTRACK_ORIGSRC)} ${p}ctorigsrc ${ctAddr(m.origsrc)}`;
  if (m.flags & XT_CONNTRACK_ORIGDST) s += `${inv(XT_CONNTRACK_ORIGDST)} ${p}ctorigdst ${ctAddr(m.origdst)}`;
  if (m.flags & XT_CONNTRACK_REPLSRC) s += `${inv(XT_CONNTRACK_REPLSRC)} ${p}ctreplsrc ${ctAddr(m.replsrc)}`;
  if (m.flags & XT_CONNTRACK_REPLDST) s += `${inv(XT_CONNTRACK_REPLDST)} ${p}ctrepldst ${ctAddr(m.repldst)}`;
  if (m.flags & XT_CONNTRACK_ORIGSRC_PORT) s += `${inv(XT_CONNTRACK_ORIGSRC_PORT)} ${p}ctorigsrcport ${rangeText(m.origsrcPort)}`;
  if (m.flags & XT_CONNTRACK_ORIGDST_PORT) s += `${inv(XT_CONNTRACK_ORIGDST_PORT)} ${p}ctorigdstport ${rangeText(m.origdstPort)}`;
  if (m.flags & XT_CONNTRACK_REPLSRC_PORT) s += `${inv(XT_CONNTRACK_REPLSRC_PORT)} ${p}ctreplsrcport ${rangeText(m.replsrcPort)}`;
  if (m.flags & XT_CONNTRACK_REPLDST_PORT) s += `${inv(XT_CONNTRACK_REPLDST_PORT)} ${p}ctrepldstport ${rangeText(m.repldstPort)}`;
  if (m.flags & XT_CONNTRACK_STATUS) s += `${inv(XT_CONNTRACK_STATUS)} ${p}ctstatus ${stateNames(m.statusmask, CT_STATUS)}`;
  if (m.flags & XT_CONNTRACK_EXPIRES) s += `${inv(XT_CONNTRACK_EXPIRES)} ${p}ctexpire ${rangeText(m.expires)}`;
  if (m.flags & XT_CONNTRACK_DIRECTION) s += ` ${p}ctdir ${m.invflags & XT_CONNTRACK_DIRECTION ? 'REPLY' : 'ORIGINAL'}`;
  return s;
}

function notSimulated(what: string): IptError {
  return new IptError(`skbpath: iptables: ${what} is not simulated\n`, 1);
}

/** xtables_error(PARAMETER_PROBLEM, …) */
function paramProblem(msg: string): IptError {
  return new IptError(`${PROG}: ${msg}\n${TRY}`, 2);
}

const PROTOS: [string, number][] = [
  ['all', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['tcp', 6],
  ['udp', 17],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['icmpv6', 58],
  ['sctp', 132],
  ['udplite', 136],
];

function protoName(p: number): string | null {
  for (const [n, v] of PROTOS) if (v === p) return n;
  return null;
}

function parseIp(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const p = m.slice(1).map(Number);
  if (p.some((x) => x > 255)) return null;
  return (((p[0] as number) << 24) | ((p[1] as number) << 16) | ((p[2] as number) << 8) | (p[3] as number)) >>> 0;
}

function maskLen(m: number): number {
  for (let l = 0; l <= 32; l++) if ((l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0) === m) return l;
  return -1;
}

function lenMask(l: number): number {
  return l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0;
}

/** xtables_ipparse_any(): ADDR[/MASK]. */
function parseHostMask(s: string): [number, number] {
  const slash = s.indexOf('/');
  const host = slash < 0 ? s : s.slice(0, slash);
  let mask = 0xffffffff;
  if (slash >= 0) {
    const m = s.slice(slash + 1);
    if (/^\d+$/.test(m)) {
      const l = Number(m);
      if (l > 32) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = lenMask(l);
    } else {
      const mm = parseIp(m);
      if (mm === null) throw paramProblem(`invalid mask \`${m}' specified`);
      mask = mm;
    }
  }
  const a = host === '' ? 0 : parseIp(host);
  if (a === null) throw paramProblem(`host/network \`${host}' not found`);
  return [(a & mask) >>> 0, mask];
}

function parsePort(s: string, proto: string): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n <= 65535) return n;
  } else {
    const p = getservbyname(s, proto);
    if (p !== null) return p;
  }
  throw paramProblem(`invalid port/service \`${s}' specified`);
}

function parsePortRange(s: string, proto: string): PortRange {
  const i = s.indexOf(':');
  if (i < 0) {
    const p = parsePort(s, proto);
    return [p, p];
  }
  const lo = i === 0 ? 0 : parsePort(s.slice(0, i), proto);
  const hi = i === s.length - 1 ? 65535 : parsePort(s.slice(i + 1), proto);
  return lo > hi ? [hi, lo] : [lo, hi];
}

const TCP_FLAGS: [string, number][] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
  ['ECE', 0x40],
  ['CWR', 0x80],
];

function parseTcpFlags(s: string): number {
  let v = 0;
  for (const f of s.split(',')) {
    if (f === 'ALL') v |= 0x3f;
    else if (f === 'NONE') continue;
    else {
      const e = TCP_FLAGS.find(([n]) => n === f);
      if (!e) throw paramProblem(`Unknown TCP flag \`${f}'`);
      v |= e[1];
    }
  }
  return v;
}

function tcpFlagNames(v: number): string {
  if (v === 0) return 'NONE';
  return TCP_FLAGS.filter(([, b]) => v & b)
    .map(([n]) => n)
    .join(',');
}

const ICMP_CODES: [string, number, number, number][] = [
  ['any', 0xff, 0, 0xff],
  ['echo-reply', 0, 0, 0xff],
  ['destination-unreachable', 3, 0, 0xff],
  ['network-unreachable', 3, 0, 0],
  ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2],
  ['port-unreachable', 3, 3, 3],
  ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5],
  ['network-unknown', 3, 6, 6],
  ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9],
  ['host-prohibited', 3, 10, 10],
  ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12],
  ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14],
  ['precedence-cutoff', 3, 15, 15],
  ['source-quench', 4, 0, 0xff],
  ['redirect', 5, 0, 0xff],
  ['network-redirect', 5, 0, 0],
  ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2],
  ['TOS-host-redirect', 5, 3, 3],
  ['echo-request', 8, 0, 0xff],
  ['router-advertisement', 9, 0, 0xff],
  ['router-solicitation', 10, 0, 0xff],
  ['time-exceeded', 11, 0, 0xff],
  ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1],
  ['parameter-problem', 12, 0, 0xff],
  ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1],
  ['timestamp-request', 13, 0, 0xff],
  ['timestamp-reply', 14, 0, 0xff],
  ['address-mask-request', 17, 0, 0xff],
  ['address-mask-reply', 18, 0, 0xff],
];

const REJECT_TYPES: RejectWith[] = [
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-port-unreachable',
  'icmp-proto-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'icmp-admin-prohibited',
  'tcp-reset',
];
const REJECT_ALIASES: Record<string, RejectWith> = {
  'net-unreach': 'icmp-net-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'net-prohib': 'icmp-net-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-rst': 'tcp-reset',
};

const ADDRTYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

/** The names `iptables -L` prints for each level (syslog's short names). */
const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
/** The names --log-level takes (libxt_LOG's table; "err" and "warn" are not among them). */
const LOG_LEVEL_NAMES: Record<string, number> = { emerg: 0, panic: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };
/** --log-* switches and their XT_LOG_* bits, in the order iptables prints them. */
const LOG_FLAG_OPTS: Record<string, number> = {
  '--log-tcp-sequence': 0x01,
  '--log-tcp-options': 0x02,
  '--log-ip-options': 0x04,
  '--log-uid': 0x08,
  '--log-macdecode': 0x20,
};
/** The LOG options a rule already gave (each may appear once). */
const LOG_SEEN = new WeakMap<object, Set<string>>();

const RATES: [string, number][] = [
  ['day', XT_LIMIT_SCALE * 24 * 60 * 60],
  ['hour', XT_LIMIT_SCALE * 60 * 60],
  ['min', XT_LIMIT_SCALE * 60],
  ['sec', XT_LIMIT_SCALE],
];

function parseRate(s: string): number {
  const m = /^(\d+)(?:\/(.*))?$/.exec(s);
  if (!m) throw paramProblem(`bad rate "${s}"'`);
  const r = Number(m[1]);
  let mult = XT_LIMIT_SCALE;
  const unit = m[2];
  if (unit !== undefined) {
    if ('second'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE;
    else if ('minute'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE * 60;
    else if ('hour'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE * 3600;
    else if ('day'.startsWith(unit) && unit) mult = XT_LIMIT_SCALE * 86400;
    else throw paramProblem(`bad rate "${s}"'`);
  }
  if (!r) throw paramProblem(`bad rate "${s}"'`);
  return Math.floor(mult / r);
}

function rateStr(period: number): string {
  let i = 1;
  for (; i < RATES.length; i++) {
    const mult = (RATES[i] as [string, number])[1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  const [name, mult] = RATES[i - 1] as [string, number];
  return `${Math.floor(mult / period)}/${name}`;
}

/** xtables_save_string() */
function saveString(v: string): string {
  if (/^[_\-0-9a-zA-Z]+$/.test(v)) return ` ${v}`;
  return ` "${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function parseNum(s: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16) >>> 0;
  if (/^\d+$/.test(s)) return Number(s) >>> 0;
  return null;
}

function parseValueMask(s: string, what: string): [number, number] {
  const [a, b] = s.split('/');
  const v = parseNum(a ?? '');
  const m = b === undefined ? 0xffffffff : parseNum(b);
  if (v === null || m === null) throw paramProblem(`Bad ${what} value "${s}"`);
  return [v, m];
}

// ---------------------------------------------------------------- printing

/** xtables_print_num() */
function printNum(n: number, kmg: boolean, table: boolean): string {
  if (!kmg) return table ? `${String(n).padStart(8)} ` : `${n} `;
  if (n <= 99999) return table ? `${String(n).padStart(5)} ` : `${n} `;
  let v = n;
  for (const suf of ['K', 'M', 'G', 'T']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999 || suf === 'T') return table ? `${String(v).padStart(4)}${suf} ` : `${v}${suf} `;
  }
  return '';
}

function portName(p: number, proto: string, numeric: boolean): string {
  if (!numeric) {
    const n = getservbyport(p, proto);
    if (n) return n;
  }
  return String(p);
}

function printPorts(name: string, r: PortRange, inv: boolean, proto: string, numeric: boolean): string {
  if (r[0] === 0 && r[1] === 65535 && !inv) return '';
  const i = inv ? '!' : '';
  if (r[0] === r[1]) return ` ${name}:${i}${portName(r[0], proto, numeric)}`;
  return ` ${name}s:${i}${portName(r[0], proto, numeric)}:${portName(r[1], proto, numeric)}`;
}

function printMatch(m: MatchSpec, numeric: boolean, proto = 'tcp'): string {
  switch (m.name) {
    case 'tcp':
    case 'udp': {
      let s = ` ${m.name}`;
      s += printPorts('spt', m.spts, !!(m.invflags & XT_TCP_INV_SRCPT), m.name, numeric);
      s += printPorts('dpt', m.dpts, !!(m.invflags & XT_TCP_INV_DSTPT), m.name, numeric);
      if (m.name === 'tcp' && (m.flgMask || m.invflags & XT_TCP_INV_FLAGS)) {
        s += ` flags:${m.invflags & XT_TCP_INV_FLAGS ? '!' : ''}`;
        s += numeric ? `0x${m.flgMask.toString(16).toUpperCase().padStart(2, '0')}/0x${m.flgCmp.toString(16).toUpperCase().padStart(2, '0')}` : `${tcpFlagNames(m.flgMask)}/${tcpFlagNames(m.flgCmp)}`;
      }
      return s;
    }
    case 'icmp': {
      let s = ' icmp';
      if (!numeric) {
        const e = ICMP_CODES.find(([, t, lo, hi]) => t === m.type && lo === m.code[0] && hi === m.code[1]);
        if (e) return `${s} ${m.invert ? '!' : ''}${e[0]}`;
      }
      if (m.invert) s += ' !';
      s += `type ${m.type}`;
      if (m.code[0] === m.code[1]) s += ` code ${m.code[0]}`;
      else if (m.code[0] !== 0 || m.code[1] !== 0xff) s += ` codes ${m.code[0]}-${m.code[1]}`;
      return s;
    }
    case 'multiport': {
      let s = ` multiport ${m.flags === 'src' ? 'sports' : m.flags === 'dst' ? 'dports' : 'ports'} `;
      if (m.invert) s += ' !';
      s += m.ports.map((r) => (r[0] === r[1] ? portName(r[0], proto, numeric) : `${portName(r[0], proto, numeric)}:${portName(r[1], proto, numeric)}`)).join(',');
      return s;
    }
    case 'comment':
      return ` /* ${m.comment} */`;
    case 'mark':
      return ` mark match${m.invert ? ' !' : ''} ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`;
    case 'length':
      return ` length ${m.invert ? '!' : ''}${m.min === m.max ? m.min : `${m.min}:${m.max}`}`;
    case 'ttl':
      return ` TTL match TTL ${{ eq: '==', ne: '!=', lt: '<', gt: '>' }[m.mode]} ${m.ttl}`;
    case 'iprange': {
      let s = '';
      if (m.src) s += ` source IP range${m.invSrc ? ' !' : ''} ${ipv4ToString(m.src[0])}-${ipv4ToString(m.src[1])}`;
      if (m.dst) s += ` destination IP range${m.invDst ? ' !' : ''} ${ipv4ToString(m.dst[0])}-${ipv4ToString(m.dst[1])}`;
      return s;
    }
    case 'addrtype': {
      let s = ' ADDRTYPE match';
      if (m.source) s += ` src-type ${m.invSource ? '!' : ''}${types(m.source)}`;
      if (m.dest) s += ` dst-type ${m.invDest ? '!' : ''}${types(m.dest)}`;
      if (m.limitIn) s += ' limit-in';
      if (m.limitOut) s += ' limit-out';
      return s;
    }
    case 'limit':
      return ` limit: avg ${rateStr(m.avg)} burst ${m.burst}`;
    case 'conntrack':
      return conntrackText(m, false);
    case 'state':
      return `${m.invert ? ' !' : ''} state ${stateNames(m.statemask, STATE_STATES)}`;
    case 'connmark':
      return ` connmark match ${m.invert ? '!' : ''} ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`;
  }
}

function types(mask: number): string {
  return ADDRTYPES.filter((_, i) => mask & (1 << i)).join(',');
}

function saveMatch(m: MatchSpec): string {
  const inv = (b: boolean): string => (b ? ' !' : '');
  const range = (r: PortRange): string => (r[0] === r[1] ? `${r[0]}` : `${r[0]}:${r[1]}`);
  switch (m.name) {
    case 'tcp':
    case 'udp': {
      let s = '';
      if (m.spts[0] !== 0 || m.spts[1] !== 65535) s += `${inv(!!(m.invflags & XT_TCP_INV_SRCPT))} --sport ${range(m.spts)}`;
      if (m.dpts[0] !== 0 || m.dpts[1] !== 65535) s += `${inv(!!(m.invflags & XT_TCP_INV_DSTPT))} --dport ${range(m.dpts)}`;
      if (m.name === 'tcp' && m.flgMask) s += `${inv(!!(m.invflags & XT_TCP_INV_FLAGS))} --tcp-flags ${tcpFlagNames(m.flgMask)} ${tcpFlagNames(m.flgCmp)}`;
      return s;
    }
    case 'icmp':
      if (m.type === 0xff) return '';
      return `${inv(m.invert)} --icmp-type ${m.type}${m.code[0] !== 0 || m.code[1] !== 0xff ? `/${m.code[0]}` : ''}`;
    case 'multiport':
      return `${inv(m.invert)} --${m.flags === 'src' ? 'sports' : m.flags === 'dst' ? 'dports' : 'ports'} ${m.ports.map(range).join(',')}`;
    case 'comment':
      return ` --comment${saveString(m.comment)}`;
    case 'mark':
      return `${inv(m.invert)} --mark ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`;
    case 'length':
      return `${inv(m.invert)} --length ${m.min === m.max ? m.min : `${m.min}:${m.max}`}`;
    case 'ttl':
      return m.mode === 'ne' ? ` ! --ttl-eq ${m.ttl}` : ` --ttl-${m.mode} ${m.ttl}`;
    case 'iprange': {
      let s = '';
      if (m.src) s += `${inv(m.invSrc)} --src-range ${ipv4ToString(m.src[0])}-${ipv4ToString(m.src[1])}`;
      if (m.dst) s += `${inv(m.invDst)} --dst-range ${ipv4ToString(m.dst[0])}-${ipv4ToString(m.dst[1])}`;
      return s;
    }
    case 'addrtype': {
      let s = '';
      if (m.source) s += `${inv(m.invSource)} --src-type ${types(m.source)}`;
      if (m.dest) s += `${inv(m.invDest)} --dst-type ${types(m.dest)}`;
      if (m.limitIn) s += ' --limit-iface-in';
      if (m.limitOut) s += ' --limit-iface-out';
      return s;
    }
    case 'limit':
      return ` --limit ${rateStr(m.avg)}${m.burst !== 5 ? ` --limit-burst ${m.burst}` : ''}`;
    case 'conntrack':
      return conntrackText(m, true);
    case 'state':
      return `${inv(m.invert)} --state ${stateNames(m.statemask, STATE_STATES)}`;
    case 'connmark':
      return `${inv(m.invert)} --mark ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`;
  }
}

function targetName(t: TargetSpec): string {
  switch (t.kind) {
    case 'verdict':
      return t.verdict;
    case 'jump':
      return t.chain;
    case 'none':
      return '';
    default:
      return t.kind;
  }
}

function connmarkPrint(t: TargetSpec & { kind: 'CONNMARK' }): string {
  const all = 0xffffffff;
  switch (t.mode) {
    case XT_CONNMARK_SET:
      if (t.ctmark === 0) return ` CONNMARK and ${hex(~t.ctmask >>> 0)}`;
      if (t.ctmark === t.ctmask) return ` CONNMARK or ${hex(t.ctmark)}`;
      if (t.ctmask === 0) return ` CONNMARK xor ${hex(t.ctmark)}`;
      if (t.ctmask === all) return ` CONNMARK set ${hex(t.ctmark)}`;
      return ` CONNMARK xset ${hex(t.ctmark)}/${hex(t.ctmask)}`;
    case XT_CONNMARK_SAVE:
      if (t.nfmask === all && t.ctmask === all) return ' CONNMARK save';
      if (t.nfmask === t.ctmask) return ` CONNMARK save mask ${hex(t.nfmask)}`;
      return ` CONNMARK save nfmask ${hex(t.nfmask)} ctmask ~${hex(t.ctmask)}`;
    default:
      if (t.ctmask === all && t.nfmask === all) return ' CONNMARK restore';
      if (t.ctmask === t.nfmask) return ` CONNMARK restore mask ${hex(t.ctmask)}`;
      return ` CONNMARK restore ctmask ${hex(t.ctmask)} nfmask ~${hex(t.nfmask)}`;
  }
}

function printTarget(t: TargetSpec, numeric: boolean): string {
  switch (t.kind) {
    case 'REJECT':
      return ` reject-with ${t.with}`;
    case 'LOG': {
      let s = ' LOG';
      if (numeric) s += ` flags ${t.flags} level ${t.level}`;
      else {
        s += ` level ${LOG_LEVELS[t.level] ?? t.level}`;
        for (const [opt, bit] of Object.entries(LOG_FLAG_OPTS)) if (t.flags & bit) s += ` ${opt.slice(6)}`;
      }
      if (t.prefix !== null) s += ` prefix "${t.prefix}"`;
      return s;
    }
    case 'SNAT':
    case 'DNAT':
      return ` to:${natRangeText(t.range)}${natFlagsText(t.range, false)}`;
    case 'MASQUERADE':
      return `${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` masq ports: ${portsText(t.range)}` : ''}${natFlagsText(t.range, false)}`;
    case 'REDIRECT':
      return `${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` redir ports ${portsText(t.range)}` : ''}${natFlagsText(t.range, false)}`;
    case 'CT':
      if (t.alias) return ' NOTRACK';
      if (t.notrack) return ' CT notrack';
      return ` CT${t.zone ? ` zone ${t.zone}` : ''}`;
    case 'CONNMARK':
      return connmarkPrint(t);
    case 'MARK': {
      if (t.mask === 0xffffffff) return ` MARK set ${hex(t.value)}`;
      if (t.value === 0) return ` MARK and ${hex(~t.mask >>> 0)}`;
      if (t.value === t.mask) return ` MARK or ${hex(t.value)}`;
      if (t.mask === 0) return ` MARK xor ${hex(t.value)}`;
      return ` MARK xset ${hex(t.value)}/${hex(t.mask)}`;
    }
    default:
      return '';
  }
}

function saveTarget(t: TargetSpec): string {
  switch (t.kind) {
    case 'verdict':
      return ` -j ${t.verdict}`;
    case 'jump':
      return ` -${t.goto ? 'g' : 'j'} ${t.chain}`;
    case 'REJECT':
      return ` -j REJECT --reject-with ${t.with}`;
    case 'LOG':
      return `${` -j LOG${t.prefix !== null ? ` --log-prefix${saveString(t.prefix)}` : ''}${t.level !== 4 ? ` --log-level ${t.level}` : ''}`}${Object.entries(LOG_FLAG_OPTS)
        .filter(([, bit]) => t.flags & bit)
        .map(([opt]) => ` ${opt}`)
        .join('')}`;
    case 'MARK':
      return ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'SNAT':
      return ` -j SNAT --to-source ${natRangeText(t.range)}${natFlagsText(t.range, true)}`;
    case 'DNAT':
      return ` -j DNAT --to-destination ${natRangeText(t.range)}${natFlagsText(t.range, true)}`;
    case 'MASQUERADE':
    case 'REDIRECT':
      return ` -j ${t.kind}${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` --to-ports ${portsText(t.range)}` : ''}${natFlagsText(t.range, true)}`;
    case 'CT':
      if (t.alias) return ' -j NOTRACK';
      return ` -j CT${t.notrack ? ' --notrack' : ''}${t.zone ? ` --zone ${t.zone}` : ''}`;
    case 'CONNMARK':
      if (t.mode === XT_CONNMARK_SET) return ` -j CONNMARK --set-xmark ${hex(t.ctmark)}/${hex(t.ctmask)}`;
      return ` -j CONNMARK --${t.mode === XT_CONNMARK_SAVE ? 'save' : 'restore'}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
    case 'none':
      return '';
  }
}

function addrSave(letter: string, a: number, m: number, inv: boolean): string {
  if (!m && !inv && !a) return '';
  const l = maskLen(m);
  return `${inv ? ' !' : ''} -${letter} ${ipv4ToString(a)}/${l >= 0 ? l : ipv4ToString(m)}`;
}

/** The rule's text as iptables-save / -S print it (after "-A CHAIN"). */
function saveRule(s: RuleSpec, counters: string): string {
  let o = addrSave('s', s.src, s.smsk, !!(s.invflags & IPT_INV_SRCIP));
  o += addrSave('d', s.dst, s.dmsk, !!(s.invflags & IPT_INV_DSTIP));
  if (s.iniface) o += `${s.invflags & IPT_INV_VIA_IN ? ' !' : ''} -i ${s.iniface}`;
  if (s.outiface) o += `${s.invflags & IPT_INV_VIA_OUT ? ' !' : ''} -o ${s.outiface}`;
  if (s.proto) o += `${s.invflags & IPT_INV_PROTO ? ' !' : ''} -p ${protoName(s.proto) ?? s.proto}`;
  if (s.frag) o += `${s.invflags & IPT_INV_FRAG ? ' !' : ''} -f`;
  for (const m of s.matches) o += ` -m ${m.name}${saveMatch(m)}`;
  o += counters;
  o += saveTarget(s.target);
  return o;
}

function addrPrint(a: number, m: number, inv: boolean, numeric: boolean): string {
  let buf: string;
  if (m === 0 && !numeric) buf = 'anywhere';
  else {
    const l = maskLen(m);
    buf = ipv4ToString(a) + (l === 32 ? '' : l >= 0 ? `/${l}` : `/${ipv4ToString(m)}`);
  }
  return `${inv ? '!' : ' '}${buf.padEnd(19)} `;
}

interface Fmt {
  numeric: boolean;
  verbose: boolean;
  expanded: boolean;
  lineNumbers: boolean;
}

function printHeader(c: Chain | null, name: string, policy: string | null, refs: number, f: Fmt, t: Table | null): string {
  let s = `Chain ${name}`;
  if (policy !== null) {
    s += ` (policy ${policy}`;
    if (f.verbose) s += ` ${printNum(c ? c.pcnt : 0, !f.expanded, false)}packets, ${printNum(c ? c.bcnt : 0, !f.expanded, false)}bytes`;
    s += ')\n';
  } else s += ` (${refs} references)\n`;
  void t;
  if (f.lineNumbers) s += 'num  ';
  if (f.verbose) s += f.expanded ? '    pkts      bytes ' : ' pkts bytes ';
  s += 'target    ';
  s += ' prot ';
  s += 'opt';
  if (f.verbose) s += ' in     out    ';
  s += ` ${'source'.padEnd(19)} `;
  s += ` ${'destination'.padEnd(19)} `;
  return `${s}\n`;
}

function printRule(r: Rule, num: number, f: Fmt): string {
  const s = r.spec;
  let o = '';
  if (f.lineNumbers) o += `${String(num).padEnd(4)} `;
  if (f.verbose) o += printNum(r.pcnt, !f.expanded, true) + printNum(r.bcnt, !f.expanded, true);
  o += `${targetName(s.target).padEnd(9)} `;
  o += s.invflags & IPT_INV_PROTO ? '!' : ' ';
  const pname = f.numeric ? null : protoName(s.proto);
  o += (pname ?? String(s.proto)).padEnd(5);
  o += `${s.invflags & IPT_INV_FRAG ? '!' : '-'}${s.frag ? 'f' : '-'} `;
  if (f.verbose) {
    const any = f.numeric ? '*' : 'any';
    o += ` ${`${s.invflags & IPT_INV_VIA_IN ? '!' : ''}${s.iniface || any}`.padEnd(6)} `;
    o += `${`${s.invflags & IPT_INV_VIA_OUT ? '!' : ''}${s.outiface || any}`.padEnd(6)} `;
  }
  o += addrPrint(s.src, s.smsk, !!(s.invflags & IPT_INV_SRCIP), f.numeric);
  o += addrPrint(s.dst, s.dmsk, !!(s.invflags & IPT_INV_DSTIP), f.numeric);
  if (s.target.kind === 'jump' && s.target.goto) o += '[goto] ';
  for (const m of s.matches) o += printMatch(m, f.numeric, protoName(s.proto) ?? '');
  o += printTarget(s.target, f.numeric);
  return `${o}\n`;
}

// ---------------------------------------------------------------- the model

function policyName(c: Chain | null): string {
  return c && c.policy === NF_DROP ? 'DROP' : 'ACCEPT';
}

/** Chains as iptables lists them: built-ins in hook order (present or not), then user chains by name. */
function listChains(t: Table | null, tableName: string): { name: string; chain: Chain | null; builtin: boolean }[] {
  const def = TABLES.find((d) => d.name === tableName);
  const out: { name: string; chain: Chain | null; builtin: boolean }[] = [];
  for (const h of def?.hooks ?? []) {
    const name = HOOK_NAMES[h] as string;
    out.push({ name, chain: t?.chains.get(name) ?? null, builtin: true });
  }
  if (t) {
    const user = [...t.chains.values()].filter((c) => c.hook < 0).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const c of user) out.push({ name: c.name, chain: c, builtin: false });
  }
  return out;
}

function specKey(s: RuleSpec): string {
  return JSON.stringify(s, (k, v) => (k === 'state' ? undefined : v));
}

// ---------------------------------------------------------------- parsing

interface Parsed {
  cmd: string;
  chain: string | null;
  arg2: string | null;
  rulenum: number;
  table: string;
  spec: RuleSpec;
  jumpName: string | null;
  goto: boolean;
  fmt: Fmt;
  counters: [number, number] | null;
}

const CMD_LETTERS: Record<string, string> = {
  '-A': 'A',
  '--append': 'A',
  '-C': 'C',
  '--check': 'C',
  '-D': 'D',
  '--delete': 'D',
  '-I': 'I',
  '--insert': 'I',
  '-R': 'R',
  '--replace': 'R',
  '-L': 'L',
  '--list': 'L',
  '-S': 'S',
  '--list-rules': 'S',
  '-F': 'F',
  '--flush': 'F',
  '-Z': 'Z',
  '--zero': 'Z',
  '-N': 'N',
  '--new-chain': 'N',
  '-X': 'X',
  '--delete-chain': 'X',
  '-P': 'P',
  '--policy': 'P',
  '-E': 'E',
  '--rename-chain': 'E',
};

function emptySpec(): RuleSpec {
  return { src: 0, smsk: 0, dst: 0, dmsk: 0, iniface: '', outiface: '', proto: 0, invflags: 0, frag: false, matches: [], target: { kind: 'none' } };
}

/** iptables' own long options (original_opts in iptables.c). */
const BASE_LONG_OPTS = [
  '--append', '--delete', '--check', '--insert', '--replace', '--list', '--list-rules', '--flush', '--zero', '--new-chain',
  '--delete-chain', '--rename-chain', '--policy', '--source', '--src', '--destination', '--dst', '--protocol',
  '--in-interface', '--jump', '--table', '--match', '--numeric', '--out-interface', '--verbose', '--wait',
  '--wait-interval', '--exact', '--fragments', '--version', '--help', '--line-numbers', '--modprobe', '--set-counters',
  '--goto', '--ipv4', '--ipv6',
];

/** The long options each match or target extension adds to getopt's table once loaded. */
const EXT_LONG_OPTS: Record<string, readonly string[]> = {
  tcp: ['--source-port', '--sport', '--destination-port', '--dport', '--syn', '--tcp-flags', '--tcp-option'],
  udp: ['--source-port', '--sport', '--destination-port', '--dport'],
  icmp: ['--icmp-type'],
  multiport: ['--source-ports', '--sports', '--destination-ports', '--dports', '--ports'],
  comment: ['--comment'],
  mark: ['--mark'],
  length: ['--length'],
  ttl: ['--ttl-eq', '--ttl-lt', '--ttl-gt'],
  iprange: ['--src-range', '--dst-range'],
  addrtype: ['--src-type', '--dst-type', '--limit-iface-in', '--limit-iface-out'],
  limit: ['--limit', '--limit-burst'],
  conntrack: ['--ctstate', '--ctproto', '--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst', '--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport', '--ctstatus', '--ctexpire', '--ctdir'],
  state: ['--state'],
  connmark: ['--mark'],
  REJECT: ['--reject-with'],
  LOG: ['--log-level', '--log-prefix', '--log-tcp-sequence', '--log-tcp-options', '--log-ip-options', '--log-uid', '--log-macdecode'],
  MARK: ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'],
  CONNMARK: ['--set-xmark', '--set-mark', '--save-mark', '--restore-mark', '--and-mark', '--or-mark', '--xor-mark', '--mask', '--nfmask', '--ctmask'],
  SNAT: ['--to-source', '--random', '--random-fully', '--persistent'],
  DNAT: ['--to-destination', '--random', '--random-fully', '--persistent'],
  MASQUERADE: ['--to-ports', '--random', '--random-fully'],
  REDIRECT: ['--to-ports', '--random'],
  CT: ['--notrack', '--ctevents', '--expevents', '--zone', '--zone-orig', '--zone-reply', '--helper', '--timeout'],
};

/** getopt_long: an exact name stays; a prefix of exactly one known option becomes it; anything else stays (and is unknown). */
function expandLongOption(a: string, exts: readonly string[]): string {
  const known = new Set(BASE_LONG_OPTS);
  for (const e of exts) for (const o of EXT_LONG_OPTS[e] ?? []) known.add(o);
  if (known.has(a)) return a;
  const hits = [...known].filter((o) => o.startsWith(a));
  return hits.length === 1 ? (hits[0] as string) : a;
}

function parseArgs(argv: readonly string[]): Parsed {
  const p: Parsed = {
    cmd: '',
    chain: null,
    arg2: null,
    rulenum: 0,
    table: 'filter',
    spec: emptySpec(),
    jumpName: null,
    goto: false,
    fmt: { numeric: false, verbose: false, expanded: false, lineNumbers: false },
    counters: null,
  };
  const args = [...argv];
  let i = 0;
  let invert = false;
  const s = p.spec;
  const loaded = new Map<string, MatchSpec>();
  let targetOpts: string[] = [];
  const next = (opt: string): string => {
    const v = args[i++];
    if (v === undefined) throw paramProblem(`option "${opt}" requires an argument`);
    return v;
  };
  const optionalNext = (): string | null => {
    const v = args[i];
    if (v !== undefined && !v.startsWith('-')) {
      i++;
      return v;
    }
    return null;
  };
  const takeInv = (): boolean => {
    const v = invert;
    invert = false;
    return v;
  };
  const load = (name: string): MatchSpec => {
    let m = loaded.get(name);
    if (m) return m;
    switch (name) {
      case 'tcp':
        m = { name: 'tcp', spts: [0, 65535], dpts: [0, 65535], flgMask: 0, flgCmp: 0, option: 0, invflags: 0 };
        break;
      case 'udp':
        m = { name: 'udp', spts: [0, 65535], dpts: [0, 65535], invflags: 0 };
        break;
      case 'icmp':
        m = { name: 'icmp', type: 0xff, code: [0, 0xff], invert: false };
        break;
      case 'multiport':
        m = { name: 'multiport', flags: 'any', ports: [], invert: false };
        break;
      case 'comment':
        m = { name: 'comment', comment: '' };
        break;
      case 'mark':
        m = { name: 'mark', mark: 0, mask: 0xffffffff, invert: false };
        break;
      case 'length':
        m = { name: 'length', min: 0, max: 65535, invert: false };
        break;
      case 'ttl':
        m = { name: 'ttl', mode: 'eq', ttl: 0 };
        break;
      case 'iprange':
        m = { name: 'iprange', src: null, dst: null, invSrc: false, invDst: false };
        break;
      case 'addrtype':
        m = { name: 'addrtype', source: 0, dest: 0, invSource: false, invDest: false, limitIn: false, limitOut: false };
        break;
      case 'limit':
        m = { name: 'limit', avg: XT_LIMIT_SCALE * 3600 / 3, burst: 5, state: null };
        break;
      case 'conntrack':
        m = {
          name: 'conntrack',
          flags: 0,
          invflags: 0,
          statemask: 0,
          statusmask: 0,
          l4proto: 0,
          origsrc: [0, 0],
          origdst: [0, 0],
          replsrc: [0, 0],
          repldst: [0, 0],
          origsrcPort: [0, 0],
          origdstPort: [0, 0],
          replsrcPort: [0, 0],
          repldstPort: [0, 0],
          expires: [0, 0],
        };
        break;
      case 'state':
        m = { name: 'state', statemask: 0, invert: false };
        break;
      case 'connmark':
        m = { name: 'connmark', mark: 0, mask: 0xffffffff, invert: false };
        break;
      default:
        if (CONNTRACK_MATCHES.includes(name)) throw notSimulated(`match "${name}" (connection tracking)`);
        throw new IptError(`${PROG}: Couldn't load match \`${name}':No such file or directory\n\n${TRY}`, 2);
    }
    loaded.set(name, m);
    s.matches.push(m);
    return m;
  };
  const protoStr = (): string => protoName(s.proto) ?? '';
  const setCmd = (c: string): void => {
    if (p.cmd) throw paramProblem(`Cannot use -${c} with -${p.cmd}`);
    p.cmd = c;
  };
  while (i < args.length) {
    let a = args[i++] as string;
    let inlineVal: string | null = null;
    if (a.startsWith('--') && a.includes('=')) {
      inlineVal = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
      args.splice(i, 0, inlineVal);
    }
    if (a === '!') {
      invert = true;
      continue;
    }
    // getopt_long takes an unambiguous prefix of a long option (--to for --to-destination)
    if (a.startsWith('--') && a.length > 2) {
      const full = expandLongOption(a, [...loaded.keys(), protoStr(), p.jumpName ?? '']);
      if (full !== a) {
        args[i - 1] = full;
        a = full;
      }
    }
    const cmd = CMD_LETTERS[a];
    if (cmd) {
      setCmd(cmd);
      if ('ACDIRNEP'.includes(cmd)) p.chain = next(a);
      else p.chain = optionalNext();
      if (cmd === 'E' || cmd === 'P') p.arg2 = next(a);
      if ('DIRLS'.includes(cmd)) {
        const v = args[i];
        if (v !== undefined && /^\d+$/.test(v)) {
          p.rulenum = Number(v);
          i++;
          if (p.rulenum === 0 && 'DIR'.includes(cmd)) throw paramProblem(`Invalid rule number \`${v}'`);
        } else if (cmd === 'R') throw paramProblem(`-R requires a rule number`);
      }
      continue;
    }
    // getopt's clusters: -nvL, -vS, -nvLINPUT, -ptcp
    if (/^-[^-]./.test(a)) {
      const toks: string[] = [];
      for (let k = 1; k < a.length; k++) {
        const c = a[k] as string;
        toks.push(`-${c}`);
        const rest = a.slice(k + 1);
        if ('LSFZXACDIRNEPtpsdiojgmW'.includes(c)) {
          if (rest) toks.push(rest);
          break;
        }
      }
      args.splice(i, 0, ...toks);
      continue;
    }
    switch (a) {
      case '-V':
      case '--version':
        throw new IptError(`${PROG}\n`, 0, true);
      case '-t':
      case '--table':
        p.table = next(a);
        continue;
      case '-n':
      case '--numeric':
        p.fmt.numeric = true;
        continue;
      case '-v':
      case '--verbose':
        p.fmt.verbose = true;
        continue;
      case '-x':
      case '--exact':
        p.fmt.expanded = true;
        continue;
      case '--line-numbers':
        p.fmt.lineNumbers = true;
        continue;
      case '-w':
      case '--wait':
        optionalNext();
        continue;
      case '-W':
      case '--wait-interval':
        next(a);
        continue;
      case '-c':
      case '--set-counters': {
        const pc = next(a);
        const bc = next(a);
        p.counters = [Number(pc), Number(bc)];
        continue;
      }
      case '-p':
      case '--protocol': {
        const v = next(a).toLowerCase();
        if (takeInv()) s.invflags |= IPT_INV_PROTO;
        const known = PROTOS.find(([n]) => n === v);
        if (known) s.proto = known[1];
        else if (/^\d+$/.test(v) && Number(v) <= 255) s.proto = Number(v);
        else throw paramProblem(`unknown protocol "${v}" specified`);
        if (s.proto === 0 && s.invflags & IPT_INV_PROTO) throw paramProblem('rule would never match protocol');
        continue;
      }
      case '-s':
      case '--source':
      case '-d':
      case '--destination': {
        const [addr, mask] = parseHostMask(next(a));
        const src = a === '-s' || a === '--source';
        if (src) {
          s.src = addr;
          s.smsk = mask;
          if (takeInv()) s.invflags |= IPT_INV_SRCIP;
        } else {
          s.dst = addr;
          s.dmsk = mask;
          if (takeInv()) s.invflags |= IPT_INV_DSTIP;
        }
        continue;
      }
      case '-i':
      case '--in-interface':
        s.iniface = next(a);
        if (takeInv()) s.invflags |= IPT_INV_VIA_IN;
        continue;
      case '-o':
      case '--out-interface':
        s.outiface = next(a);
        if (takeInv()) s.invflags |= IPT_INV_VIA_OUT;
        continue;
      case '-f':
      case '--fragment':
        s.frag = true;
        if (takeInv()) s.invflags |= IPT_INV_FRAG;
        continue;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto':
        p.jumpName = next(a);
        p.goto = a === '-g' || a === '--goto';
        continue;
      case '-m':
      case '--match':
        load(next(a));
        continue;
    }
    // extension options
    const inv = takeInv();
    if (p.jumpName && targetOption(p, a, next, inv, targetOpts)) continue;
    const proto = protoStr();
    if ((a === '--sport' || a === '--source-port' || a === '--dport' || a === '--destination-port' || a === '--tcp-flags' || a === '--syn' || a === '--tcp-option') && (proto === 'tcp' || proto === 'udp' || loaded.has('tcp') || loaded.has('udp'))) {
      const mname = loaded.has('tcp') ? 'tcp' : loaded.has('udp') ? 'udp' : proto;
      if (mname === 'udp' && (a === '--tcp-flags' || a === '--syn' || a === '--tcp-option')) throw paramProblem(`unknown option "${a}"`);
      const m = load(mname) as MatchSpec & { name: 'tcp' | 'udp' };
      if (a === '--sport' || a === '--source-port') {
        m.spts = parsePortRange(next(a), mname);
        if (inv) m.invflags |= XT_TCP_INV_SRCPT;
      } else if (a === '--dport' || a === '--destination-port') {
        m.dpts = parsePortRange(next(a), mname);
        if (inv) m.invflags |= XT_TCP_INV_DSTPT;
      } else if (m.name === 'tcp' && a === '--tcp-flags') {
        const f1 = args[i];
        const f2 = args[i + 1];
        if (f1 === undefined || f2 === undefined || f2.startsWith('-')) throw paramProblem('--tcp-flags requires two args.');
        i += 2;
        m.flgMask = parseTcpFlags(f1);
        m.flgCmp = parseTcpFlags(f2);
        if (inv) m.invflags |= XT_TCP_INV_FLAGS;
      } else if (m.name === 'tcp' && a === '--syn') {
        m.flgMask = 0x17;
        m.flgCmp = 0x02;
        if (inv) m.invflags |= XT_TCP_INV_FLAGS;
      } else if (m.name === 'tcp') {
        m.option = Number(next(a));
      }
      continue;
    }
    if (a === '--icmp-type' && (proto === 'icmp' || loaded.has('icmp'))) {
      const m = load('icmp') as MatchSpec & { name: 'icmp' };
      const v = next(a);
      const e = ICMP_CODES.find(([n]) => n === v || (v.length > 0 && n.startsWith(v)));
      if (e && !/^\d/.test(v)) {
        m.type = e[1];
        m.code = [e[2], e[3]];
      } else {
        const mm = /^(\d+)(?:\/(\d+))?$/.exec(v);
        if (!mm) throw paramProblem(`Unknown ICMP type \`${v}'`);
        m.type = Number(mm[1]);
        m.code = mm[2] === undefined ? [0, 0xff] : [Number(mm[2]), Number(mm[2])];
      }
      m.invert = inv;
      continue;
    }
    const lm = (name: string): MatchSpec | null => loaded.get(name) ?? null;
    const mp = lm('multiport');
    if (mp && mp.name === 'multiport' && /^--(source-ports|sports|destination-ports|dports|ports)$/.test(a)) {
      mp.flags = a.includes('s') && (a === '--sports' || a === '--source-ports') ? 'src' : a === '--ports' ? 'any' : 'dst';
      mp.ports = next(a)
        .split(',')
        .map((x) => parsePortRange(x, proto || 'tcp'));
      mp.invert = inv;
      if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp' && proto !== 'udplite' && proto !== 'dccp') throw paramProblem('multiport needs `-p tcp\', `-p udp\', `-p udplite\', `-p sctp\' or `-p dccp\'');
      continue;
    }
    const cm = lm('comment');
    if (cm && cm.name === 'comment' && a === '--comment') {
      cm.comment = next(a);
      continue;
    }
    const mk = lm('mark');
    if (mk && mk.name === 'mark' && a === '--mark') {
      const v = next(a);
      const [x, y] = v.split('/');
      const mv = parseNum(x ?? '');
      const mm = y === undefined ? 0xffffffff : parseNum(y);
      if (mv === null || mm === null) throw paramProblem('mark: bad integer value for option "--mark", or out of range.\n');
      [mk.mark, mk.mask] = [mv, mm];
      mk.invert = inv;
      continue;
    }
    const ln = lm('length');
    if (ln && ln.name === 'length' && a === '--length') {
      const v = next(a);
      const [x, y] = v.split(':');
      ln.min = x ? Number(x) : 0;
      ln.max = y === undefined ? ln.min : y ? Number(y) : 65535;
      ln.invert = inv;
      continue;
    }
    const tl = lm('ttl');
    if (tl && tl.name === 'ttl' && /^--ttl-(eq|lt|gt)$/.test(a)) {
      tl.mode = a === '--ttl-eq' ? (inv ? 'ne' : 'eq') : a === '--ttl-lt' ? 'lt' : 'gt';
      tl.ttl = Number(next(a));
      continue;
    }
    const ir = lm('iprange');
    if (ir && ir.name === 'iprange' && (a === '--src-range' || a === '--dst-range')) {
      const v = next(a);
      const [x, y] = v.split('-');
      const lo = parseIp(x ?? '');
      const hi = y === undefined ? lo : parseIp(y);
      if (lo === null || hi === null) throw paramProblem(`iprange: Bad IP address "${v}"`);
      if (a === '--src-range') {
        ir.src = [lo, hi];
        ir.invSrc = inv;
      } else {
        ir.dst = [lo, hi];
        ir.invDst = inv;
      }
      continue;
    }
    const at = lm('addrtype');
    if (at && at.name === 'addrtype' && /^--(src-type|dst-type|limit-iface-in|limit-iface-out)$/.test(a)) {
      if (a === '--limit-iface-in') at.limitIn = true;
      else if (a === '--limit-iface-out') at.limitOut = true;
      else {
        let mask = 0;
        for (const t of next(a).split(',')) {
          const k = ADDRTYPES.indexOf(t.toUpperCase());
          if (k < 0) throw paramProblem(`addrtype: bad type "${t}"`);
          mask |= 1 << k;
        }
        if (a === '--src-type') {
          at.source = mask;
          at.invSource = inv;
        } else {
          at.dest = mask;
          at.invDest = inv;
        }
      }
      continue;
    }
    const ctm = lm('conntrack');
    if (ctm && ctm.name === 'conntrack' && /^--ct(state|proto|origsrc|origdst|replsrc|repldst|origsrcport|origdstport|replsrcport|repldstport|status|expire|dir)$/.test(a)) {
      const v = next(a);
      const set = (flag: number): void => {
        ctm.flags |= flag;
        if (inv) ctm.invflags |= flag;
      };
      const addr = (): [number, number] => parseHostMask(v);
      const prange = (): PortRange => {
        const [x, y] = v.split(':');
        const lo = parsePort(x ?? '', 'tcp');
        return [lo, y === undefined ? lo : parsePort(y, 'tcp')];
      };
      switch (a) {
        case '--ctstate':
          ctm.statemask = parseStates(v, CT_STATES, 'ctstate');
          set(XT_CONNTRACK_STATE);
          break;
        case '--ctproto': {
          const known = PROTOS.find(([n]) => n === v.toLowerCase());
          const n = known ? known[1] : /^\d+$/.test(v) ? Number(v) : -1;
          if (n < 0 || n > 255) throw paramProblem(`unknown protocol "${v}" specified`);
          if (n === 0) throw paramProblem('conntrack: --ctproto: protocol 0 not allowed');
          ctm.l4proto = n;
          set(XT_CONNTRACK_PROTO);
          break;
        }
        case '--ctorigsrc':
          ctm.origsrc = addr();
          set(XT_CONNTRACK_ORIGSRC);
          break;
        case '--ctorigdst':
          ctm.origdst = addr();
          set(XT_CONNTRACK_ORIGDST);
          break;
        case '--ctreplsrc':
          ctm.replsrc = addr();
          set(XT_CONNTRACK_REPLSRC);
          break;
        case '--ctrepldst':
          ctm.repldst = addr();
          set(XT_CONNTRACK_REPLDST);
          break;
        case '--ctorigsrcport':
          ctm.origsrcPort = prange();
          set(XT_CONNTRACK_ORIGSRC_PORT);
          break;
        case '--ctorigdstport':
          ctm.origdstPort = prange();
          set(XT_CONNTRACK_ORIGDST_PORT);
          break;
        case '--ctreplsrcport':
          ctm.replsrcPort = prange();
          set(XT_CONNTRACK_REPLSRC_PORT);
          break;
        case '--ctrepldstport':
          ctm.repldstPort = prange();
          set(XT_CONNTRACK_REPLDST_PORT);
          break;
        case '--ctstatus': {
          let mask = 0;
          for (const w of v.split(',')) {
            if (w.toUpperCase() === 'NONE') continue;
            const e = CT_STATUS.find(([n]) => n === w.toUpperCase());
            if (!e) throw paramProblem(`Bad ctstatus "${w}"`);
            mask |= e[1];
          }
          ctm.statusmask = mask;
          set(XT_CONNTRACK_STATUS);
          break;
        }
        case '--ctexpire': {
          const [x, y] = v.split(':');
          const lo = Number(x);
          const hi = y === undefined ? lo : Number(y);
          if (!/^\d+$/.test(x ?? '') || (y !== undefined && !/^\d+$/.test(y))) throw paramProblem(`expire value invalid: "${v}"`);
          if (lo > hi) throw paramProblem(`expire min. range value "${lo}" greater than max. range value "${hi}"`);
          ctm.expires = [lo, hi];
          set(XT_CONNTRACK_EXPIRES);
          break;
        }
        case '--ctdir':
          if (v.toUpperCase() === 'ORIGINAL') ctm.invflags &= ~XT_CONNTRACK_DIRECTION;
          else if (v.toUpperCase() === 'REPLY') ctm.invflags |= XT_CONNTRACK_DIRECTION;
          else throw paramProblem(`Unknown --ctdir "${v}"`);
          ctm.flags |= XT_CONNTRACK_DIRECTION;
          break;
      }
      continue;
    }
    const stm = lm('state');
    if (stm && stm.name === 'state' && a === '--state') {
      stm.statemask = parseStates(next(a), STATE_STATES, 'state');
      stm.invert = inv;
      continue;
    }
    const cmk = lm('connmark');
    if (cmk && cmk.name === 'connmark' && a === '--mark') {
      const v = next(a);
      const [x, y] = v.split('/');
      const mv = parseNum(x ?? '');
      const mm = y === undefined ? 0xffffffff : parseNum(y);
      if (mv === null || mm === null) throw paramProblem(`connmark: bad integer value for option "--mark", or out of range.`);
      [cmk.mark, cmk.mask] = [mv, mm];
      cmk.invert = inv;
      continue;
    }
    const li = lm('limit');
    if (li && li.name === 'limit' && (a === '--limit' || a === '--limit-burst')) {
      if (a === '--limit') li.avg = parseRate(next(a));
      else li.burst = Number(next(a));
      continue;
    }
    if (a.startsWith('-')) throw paramProblem(`unknown option "${a}"`);
    throw new IptError(`Bad argument \`${a}'\n${TRY}`, 2);
  }
  if (!p.cmd) throw paramProblem('no command specified');
  const ctmf = loaded.get('conntrack');
  if (ctmf && ctmf.name === 'conntrack' && ctmf.flags === 0) throw paramProblem('conntrack: At least one option is required');
  const stmf = loaded.get('state');
  if (stmf && stmf.name === 'state' && stmf.statemask === 0) throw new IptError(`${PROG}: state: option "--state" must be specified\n\n${TRY}`, 2);
  if (loaded.has('tcp') && (s.proto !== 6 || s.invflags & IPT_INV_PROTO)) throw paramProblem("TCP match requires '-p tcp'");
  if (loaded.has('udp') && (s.proto !== 17 || s.invflags & IPT_INV_PROTO)) throw paramProblem("UDP match requires '-p udp'");
  void targetOpts;
  targetOpts = [];
  return p;
}

/** Options of the target named by -j (REJECT, LOG, MARK). */
function targetOption(p: Parsed, a: string, next: (o: string) => string, inv: boolean, _o: string[]): boolean {
  void inv;
  const t = p.jumpName;
  const proto = protoName(p.spec.proto) ?? '';
  const natRange = (): NfNatRange2 => {
    const cur = p.spec.target;
    if ((cur.kind === 'SNAT' || cur.kind === 'DNAT' || cur.kind === 'MASQUERADE' || cur.kind === 'REDIRECT') && cur.kind === t) return cur.range;
    const r: NfNatRange2 = { flags: 0, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 };
    p.spec.target = { kind: t as 'SNAT', range: r };
    return r;
  };
  if ((t === 'SNAT' && a === '--to-source') || (t === 'DNAT' && a === '--to-destination')) {
    const r = natRange();
    const nr = parseNatTo(next(a), proto, t);
    Object.assign(r, { ...nr, flags: (r.flags & ~(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED)) | nr.flags });
    natSeen.add(p);
    return true;
  }
  if ((t === 'SNAT' || t === 'DNAT' || t === 'MASQUERADE' || t === 'REDIRECT') && (a === '--random' || a === '--random-fully' || a === '--persistent')) {
    if ((t === 'REDIRECT' && a !== '--random') || (t === 'MASQUERADE' && a === '--persistent')) return false;
    const r = natRange();
    r.flags |= a === '--random' ? NF_NAT_RANGE_PROTO_RANDOM : a === '--random-fully' ? NF_NAT_RANGE_PROTO_RANDOM_FULLY : NF_NAT_RANGE_PERSISTENT;
    return true;
  }
  if ((t === 'MASQUERADE' || t === 'REDIRECT') && a === '--to-ports') {
    const r = natRange();
    [r.minProto, r.maxProto] = parseToPorts(next(a), proto);
    r.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    return true;
  }
  if (t === 'CT' && (a === '--notrack' || a === '--zone')) {
    const cur = p.spec.target.kind === 'CT' ? p.spec.target : { kind: 'CT' as const, notrack: false, zone: 0, alias: false };
    if (a === '--notrack') cur.notrack = true;
    else {
      const v = next(a);
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw paramProblem(`Bad zone value "${v}"`);
      cur.zone = Number(v);
    }
    p.spec.target = cur;
    return true;
  }
  if (t === 'CONNMARK' && /^--(set-xmark|set-mark|save-mark|restore-mark|and-mark|or-mark|xor-mark|mask|nfmask|ctmask)$/.test(a)) {
    const cur = p.spec.target.kind === 'CONNMARK' ? p.spec.target : { kind: 'CONNMARK' as const, mode: -1, ctmark: 0, ctmask: 0xffffffff, nfmask: 0xffffffff };
    const num = (v: string): number => {
      const n = parseNum(v);
      if (n === null) throw paramProblem(`Bad mark value "${v}"`);
      return n;
    };
    switch (a) {
      case '--set-xmark':
      case '--set-mark': {
        const [v, m] = parseValueMask(next(a), 'mark');
        cur.mode = XT_CONNMARK_SET;
        cur.ctmark = v;
        cur.ctmask = a === '--set-mark' ? (m | v) >>> 0 : m;
        break;
      }
      case '--and-mark':
        cur.mode = XT_CONNMARK_SET;
        cur.ctmark = 0;
        cur.ctmask = ~num(next(a)) >>> 0;
        break;
      case '--or-mark': {
        const v = num(next(a));
        cur.mode = XT_CONNMARK_SET;
        cur.ctmark = cur.ctmask = v;
        break;
      }
      case '--xor-mark':
        cur.mode = XT_CONNMARK_SET;
        cur.ctmark = num(next(a));
        cur.ctmask = 0;
        break;
      case '--save-mark':
        cur.mode = XT_CONNMARK_SAVE;
        break;
      case '--restore-mark':
        cur.mode = XT_CONNMARK_RESTORE;
        break;
      case '--mask':
        cur.nfmask = cur.ctmask = num(next(a));
        break;
      case '--nfmask':
        cur.nfmask = num(next(a));
        break;
      case '--ctmask':
        cur.ctmask = num(next(a));
        break;
    }
    p.spec.target = cur;
    return true;
  }
  if (t === 'REJECT' && a === '--reject-with') {
    const v = next(a);
    const w = (REJECT_TYPES as string[]).includes(v) ? (v as RejectWith) : REJECT_ALIASES[v];
    if (!w) throw paramProblem(`unknown reject type "${v}"`);
    p.spec.target = { kind: 'REJECT', with: w };
    return true;
  }
  if (t === 'LOG' && (a === '--log-prefix' || a === '--log-level' || a in LOG_FLAG_OPTS)) {
    const cur = p.spec.target.kind === 'LOG' ? p.spec.target : { kind: 'LOG' as const, prefix: null, level: 4, flags: 0 };
    let seen = LOG_SEEN.get(p);
    if (!seen) LOG_SEEN.set(p, (seen = new Set()));
    if (seen.has(a)) throw paramProblem(`LOG: option "${a}" can only be used once.\n`);
    seen.add(a);
    if (a === '--log-prefix') {
      const v = next(a);
      if (v === '') throw paramProblem('Argument must have a minimum length of 1 characters\n');
      if (v.includes('\n')) throw paramProblem('Newlines not allowed in --log-prefix');
      // struct xt_log_info.prefix[30]: longer prefixes are cut
      cur.prefix = v.slice(0, 29);
    } else if (a === '--log-level') {
      const v = next(a);
      const k = LOG_LEVEL_NAMES[v] ?? (/^[0-7]$/.test(v) ? Number(v) : undefined);
      if (k === undefined) throw paramProblem(`log level "${v}" unknown\n`);
      cur.level = k;
    } else cur.flags |= LOG_FLAG_OPTS[a] as number;
    p.spec.target = cur;
    return true;
  }
  if (t === 'MARK' && /^--(set-mark|set-xmark|and-mark|or-mark|xor-mark)$/.test(a)) {
    const v = next(a);
    let value: number;
    let mask: number;
    if (a === '--set-xmark' || a === '--set-mark') {
      [value, mask] = parseValueMask(v, 'mark');
      if (a === '--set-mark') mask = (mask | value) >>> 0;
    } else {
      const n = parseNum(v);
      if (n === null) throw paramProblem(`Bad mark value "${v}"`);
      if (a === '--and-mark') [value, mask] = [0, ~n >>> 0];
      else if (a === '--or-mark') [value, mask] = [n, n];
      else [value, mask] = [n, 0];
    }
    p.spec.target = { kind: 'MARK', value, mask };
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- commands

const ENOENT_MSG = 'iptables: No chain/target/match by that name.\n';

function finishTarget(p: Parsed, t: Table | null): void {
  const j = p.jumpName;
  if (j === null) return;
  if (j === 'ACCEPT' || j === 'DROP' || j === 'RETURN') p.spec.target = { kind: 'verdict', verdict: j };
  else if (j === 'REJECT') {
    if (p.spec.target.kind !== 'REJECT') p.spec.target = { kind: 'REJECT', with: 'icmp-port-unreachable' };
  } else if (j === 'LOG') {
    if (p.spec.target.kind !== 'LOG') p.spec.target = { kind: 'LOG', prefix: null, level: 4, flags: 0 };
  } else if (j === 'MARK') {
    if (p.spec.target.kind !== 'MARK') throw paramProblem('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
  } else if (j === 'SNAT' || j === 'DNAT') {
    if (p.spec.target.kind !== j || !natSeen.has(p)) throw new IptError(`${PROG}: ${j}: option "--to-${j === 'SNAT' ? 'source' : 'destination'}" must be specified\n\n${TRY}`, 2);
  } else if (j === 'MASQUERADE' || j === 'REDIRECT') {
    if (p.spec.target.kind !== j) p.spec.target = { kind: j, range: { flags: 0, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 } };
  } else if (j === 'CT') {
    if (p.spec.target.kind !== 'CT') p.spec.target = { kind: 'CT', notrack: false, zone: 0, alias: false };
  } else if (j === 'NOTRACK') {
    p.spec.target = { kind: 'CT', notrack: true, zone: 0, alias: true };
  } else if (j === 'CONNMARK') {
    if (p.spec.target.kind !== 'CONNMARK' || p.spec.target.mode < 0) throw paramProblem('CONNMARK target: No operation specified');
  } else {
    if (CONNTRACK_TARGETS.includes(j)) throw notSimulated(`target "${j}"`);
    const c = t?.chains.get(j);
    if (!c || c.hook >= 0) throw paramProblem(`Chain '${j}' does not exist`);
    p.spec.target = { kind: 'jump', chain: j, goto: p.goto };
  }
}

/** Parses that named the address of SNAT/DNAT (--to-source/--to-destination). */
const natSeen = new WeakSet<Parsed>();

/** Chains (hooks) each target's checkentry accepts. */
const TARGET_HOOKS: Partial<Record<TargetSpec['kind'], { table: string | null; chains: string[] }>> = {
  SNAT: { table: 'nat', chains: ['POSTROUTING', 'INPUT'] },
  DNAT: { table: 'nat', chains: ['PREROUTING', 'OUTPUT'] },
  MASQUERADE: { table: 'nat', chains: ['POSTROUTING'] },
  REDIRECT: { table: 'nat', chains: ['PREROUTING', 'OUTPUT'] },
  CT: { table: 'raw', chains: ['PREROUTING', 'OUTPUT'] },
};

/** The built-in chains whose rules can reach `chain` through jumps. */
function reachingHooks(t: Table | null, chain: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (HOOK_NAMES.includes(chain as (typeof HOOK_NAMES)[number])) {
    out.add(chain);
    return out;
  }
  if (!t || seen.has(chain)) return out;
  seen.add(chain);
  for (const c of t.chains.values()) {
    if (!c.rules.some((r) => r.spec.target.kind === 'jump' && r.spec.target.chain === chain)) continue;
    for (const h of reachingHooks(t, c.name, seen)) out.add(h);
  }
  return out;
}

/** The targets a rule set below `chain` (its rules and the chains they jump to) uses. */
function targetsBelow(t: Table | null, chain: string, seen = new Set<string>()): TargetSpec['kind'][] {
  const c = t?.chains.get(chain);
  if (!c || seen.has(chain)) return [];
  seen.add(chain);
  const out: TargetSpec['kind'][] = [];
  for (const r of c.rules) {
    out.push(r.spec.target.kind);
    if (r.spec.target.kind === 'jump') out.push(...targetsBelow(t, r.spec.target.chain, seen));
  }
  return out;
}

/**
 * nft_chain_validate(): every target must be valid in every hook that can
 * reach it, through jumps to user chains too; otherwise the transaction fails
 * with EINVAL.
 */
function validateHooks(t: Table | null, chain: string, s: RuleSpec): void {
  const kinds = s.target.kind === 'jump' ? targetsBelow(t, s.target.chain) : [s.target.kind];
  const hooks = reachingHooks(t, chain);
  for (const k of kinds) {
    const th = TARGET_HOOKS[k];
    if (!th) continue;
    for (const h of hooks) if (!th.chains.includes(h)) throw new IptError(`${PROG}:  RULE_APPEND failed (Invalid argument): rule in chain ${chain}\n`, 4);
  }
}

/**
 * What the kernel checks when nft_compat loads a rule's xtables target
 * (xt_check_target, the target's checkentry): a refusal is EINVAL for the
 * transaction and a pr_info line in the kernel log.
 */
function checkRule(p: Parsed, chain: string, table: string, kmsg: Kmsg): void {
  const s = p.spec;
  const refuse = (why: string): never => {
    kmsg.printk(LOGLEVEL_INFO, why);
    throw new IptError(`${PROG}:  RULE_APPEND failed (Invalid argument): rule in chain ${chain}\n`, 4);
  };
  const th = TARGET_HOOKS[s.target.kind];
  const builtins = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];
  const name = targetName(s.target);
  if (th && table !== th.table) refuse(`x_tables: ip_tables: ${name} target: only valid in ${th.table} table, not ${table}`);
  if (th && builtins.includes(chain) && !th.chains.includes(chain)) {
    const usable = builtins.filter((c) => th.chains.includes(c)).join('/');
    refuse(`x_tables: ip_tables: ${name} target: used from hooks ${chain}, but only usable from ${usable}`);
  }
  if (s.iniface && (chain === 'OUTPUT' || chain === 'POSTROUTING')) throw new IptError(`${PROG}: Can't use -i with ${chain}\n\n${TRY}`, 2);
  if (s.outiface && (chain === 'INPUT' || chain === 'PREROUTING')) throw new IptError(`${PROG}: Can't use -o with ${chain}\n\n${TRY}`, 2);
  if (s.target.kind === 'REJECT') {
    if (table !== 'filter') refuse(`x_tables: ip_tables: REJECT target: only valid in filter table, not ${table}`);
    if (s.target.with === 'tcp-reset' && (s.proto !== 6 || s.invflags & IPT_INV_PROTO)) refuse('ipt_REJECT: TCP_RESET invalid for non-tcp');
  }
}

function doCommand(ctx: ProcCtx, p: Parsed): number {
  const x = xt_net(ctx.net);
  const def = TABLES.find((d) => d.name === p.table);
  if (p.table === 'nat' && (p.jumpName === 'DROP' || (p.cmd === 'P' && p.arg2 === 'DROP'))) {
    throw new IptError(`${PROG}: \nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\n${TRY}`, 2);
  }
  if (!def) {
    throw new IptError(`${PROG}: table '${p.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, 3);
  }
  let t = x.table(p.table, false);
  const out = ctx.stdout;
  const isBuiltin = (n: string): boolean => def.hooks.some((h) => HOOK_NAMES[h] === n);
  /** The chain, created in the kernel if it is a built-in one not there yet. */
  const chainFor = (name: string, create: boolean): Chain | null => {
    const c = t?.chains.get(name);
    if (c) return c;
    if (!isBuiltin(name)) return null;
    if (!create) return null;
    t = x.table(p.table, true) as Table;
    return t.addChain(name);
  };
  const chainName = p.chain as string;
  switch (p.cmd) {
    case 'A':
    case 'I':
    case 'R':
    case 'D':
    case 'C': {
      const exists = t?.chains.has(chainName) || isBuiltin(chainName);
      if (!exists) throw new IptError(ENOENT_MSG, 1);
      if (p.cmd === 'D' && p.rulenum) {
        const c = chainFor(chainName, false);
        if (!c || p.rulenum > c.rules.length) throw new IptError(c ? 'iptables: Index of deletion too big.\n' : ENOENT_MSG, 1);
        c.rules.splice(p.rulenum - 1, 1);
        return 0;
      }
      finishTarget(p, t);
      checkRule(p, chainName, p.table, ctx.net.kernel.kmsg);
      if (p.cmd !== 'D' && p.cmd !== 'C') validateHooks(t, chainName, p.spec);
      for (const m of p.spec.matches) if (m.name === 'limit') limit_init(ctx.net, m);
      const rule: Rule = { spec: p.spec, pcnt: p.counters?.[0] ?? 0, bcnt: p.counters?.[1] ?? 0 };
      if (p.cmd === 'D' || p.cmd === 'C') {
        const c = chainFor(chainName, false);
        const key = specKey(p.spec);
        const i = c ? c.rules.findIndex((r) => specKey(r.spec) === key) : -1;
        if (i < 0) throw new IptError('iptables: Bad rule (does a matching rule exist in that chain?).\n', 1);
        if (p.cmd === 'D') c?.rules.splice(i, 1);
        return 0;
      }
      if (p.cmd === 'R') {
        const c = chainFor(chainName, false);
        if (!c || p.rulenum > c.rules.length || p.rulenum < 1) throw new IptError(c ? 'iptables: Index of replacement too big.\n' : ENOENT_MSG, 1);
        c.rules[p.rulenum - 1] = rule;
        return 0;
      }
      const c0 = chainFor(chainName, false);
      if (p.cmd === 'I' && p.rulenum > (c0 ? c0.rules.length : 0) + 1) throw new IptError('iptables: Index of insertion too big.\n', 1);
      const c = chainFor(chainName, true) as Chain;
      if (p.cmd === 'A') c.rules.push(rule);
      else c.rules.splice(Math.max(0, (p.rulenum || 1) - 1), 0, rule);
      return 0;
    }
    case 'N': {
      if (t?.chains.has(chainName) || isBuiltin(chainName)) throw new IptError('iptables: Chain already exists.\n', 1);
      if (chainName.startsWith('-') || chainName === '!') throw paramProblem(`chain name \`${chainName}' not allowed`);
      if (chainName.length > 28) throw paramProblem(`chain name \`${chainName}' too long (must be under 29 chars)`);
      t = x.table(p.table, true) as Table;
      t.addChain(chainName);
      return 0;
    }
    case 'X': {
      const targets = p.chain ? [p.chain] : t ? [...t.chains.values()].filter((c) => c.hook < 0).map((c) => c.name) : [];
      for (const n of targets) {
        const c = t?.chains.get(n);
        if (!c) {
          if (isBuiltin(n)) throw new IptError(`${PROG}:  CHAIN_DEL failed (Device or resource busy): chain ${n}\n`, 4);
          throw new IptError(ENOENT_MSG, 1);
        }
        if (c.hook >= 0 || (t as Table).references(n) > 0) throw new IptError(`${PROG}:  CHAIN_DEL failed (Device or resource busy): chain ${n}\n`, 4);
      }
      for (const n of targets) {
        const c = t?.chains.get(n);
        if (c) (t as Table).delChain(c);
      }
      return 0;
    }
    case 'E': {
      const c = t?.chains.get(chainName);
      if (!c || c.hook >= 0) throw new IptError(ENOENT_MSG, 1);
      const nn = p.arg2 as string;
      if (t?.chains.has(nn) || isBuiltin(nn)) throw new IptError('iptables: File exists.\n', 1);
      const tt = t as Table;
      const entries = [...tt.chains.entries()];
      tt.chains.clear();
      for (const [k, v] of entries) tt.chains.set(k === chainName ? nn : k, v);
      c.name = nn;
      for (const ch of tt.chains.values()) for (const r of ch.rules) if (r.spec.target.kind === 'jump' && r.spec.target.chain === chainName) r.spec.target.chain = nn;
      return 0;
    }
    case 'P': {
      if (!isBuiltin(chainName)) throw new IptError('iptables: Bad built-in chain name.\n', 1);
      const pol = p.arg2;
      if (pol !== 'ACCEPT' && pol !== 'DROP') throw new IptError("iptables: Bad policy name. Run `dmesg' for more information.\n", 1);
      const c = chainFor(chainName, true) as Chain;
      c.policy = pol === 'DROP' ? NF_DROP : NF_ACCEPT;
      c.stats = true;
      if (p.counters) [c.pcnt, c.bcnt] = p.counters;
      return 0;
    }
    case 'F':
    case 'Z': {
      if (p.chain && !t?.chains.has(p.chain) && !isBuiltin(p.chain)) throw new IptError(ENOENT_MSG, 1);
      const chains = t ? (p.chain ? [t.chains.get(p.chain)].filter((c): c is Chain => !!c) : [...t.chains.values()]) : [];
      for (const c of chains) {
        if (p.cmd === 'F') c.rules.length = 0;
        else {
          c.pcnt = c.bcnt = 0;
          if (c.hook >= 0) c.stats = true;
          for (const r of c.rules) r.pcnt = r.bcnt = 0;
        }
      }
      return 0;
    }
    case 'L':
    case 'S': {
      const all = listChains(t, p.table);
      let list = all;
      if (p.chain) {
        list = all.filter((c) => c.name === p.chain);
        if (!list.length) throw new IptError(`${PROG}: chain \`${p.chain}' in table \`${p.table}' is incompatible, use 'nft' tool.\n`, 1);
      }
      if (p.cmd === 'S') {
        if (p.chain && p.rulenum) {
          const e = list[0] as (typeof list)[number];
          const r = e.chain?.rules[p.rulenum - 1];
          if (r) out.write(`-A ${e.name}${saveRule(r.spec, p.fmt.verbose ? ` -c ${r.pcnt} ${r.bcnt}` : '')}\n`);
          return 0;
        }
        for (const e of list) if (e.builtin) out.write(`-P ${e.name} ${policyName(e.chain)}${p.fmt.verbose ? ` -c ${e.chain?.pcnt ?? 0} ${e.chain?.bcnt ?? 0}` : ''}\n`);
        for (const e of list) if (!e.builtin) out.write(`-N ${e.name}\n`);
        for (const e of list) for (const r of e.chain?.rules ?? []) out.write(`-A ${e.name}${saveRule(r.spec, p.fmt.verbose ? ` -c ${r.pcnt} ${r.bcnt}` : '')}\n`);
        return 0;
      }
      if (p.chain && p.rulenum) {
        const e = list[0] as (typeof list)[number];
        const r = e.chain?.rules[p.rulenum - 1];
        if (r) out.write(printRule(r, p.rulenum, p.fmt));
        return 0;
      }
      let first = true;
      for (const e of list) {
        if (!first) out.write('\n');
        first = false;
        out.write(printHeader(e.chain, e.name, e.builtin ? policyName(e.chain) : null, t ? t.references(e.name) : 0, p.fmt, t));
        let n = 1;
        for (const r of e.chain?.rules ?? []) out.write(printRule(r, n++, p.fmt));
      }
      return 0;
    }
  }
  return 0;
}

function* iptables(ctx: ProcCtx): Proc {
  try {
    const p = parseArgs(ctx.argv.slice(1));
    const rc = doCommand(ctx, p);
    xt_net(ctx.net).syncConntrack();
    return rc;
  } catch (e) {
    if (e instanceof IptError) {
      (e.toStdout ? ctx.stdout : ctx.stderr).write(e.text);
      return e.code;
    }
    throw e;
  }
}

/** The text iptables-save prints for the namespace (the tables that exist). */
export function iptablesSave(net: Net, counters: boolean, only: string | null, stamp: string): string {
  const x = xt_net(net);
  let o = '';
  // nft-save walks xtables_ipv4[] in enum order: mangle, security, raw, filter (nat)
  for (const name of ['mangle', 'security', 'raw', 'filter', 'nat']) {
    const def = TABLES.find((d) => d.name === name) as (typeof TABLES)[number];
    if (only && def.name !== only) continue;
    const t = x.tables.get(def.name);
    if (!t) continue;
    o += `# Generated by iptables-save v1.8.9 (nf_tables) on ${stamp}\n`;
    o += `*${def.name}\n`;
    const list = listChains(t, def.name);
    for (const e of list) {
      const c = e.chain;
      o += `:${e.name} ${e.builtin ? policyName(c) : '-'} [${c && e.builtin ? c.pcnt : 0}:${c && e.builtin ? c.bcnt : 0}]\n`;
    }
    for (const e of list) for (const r of e.chain?.rules ?? []) o += `${counters ? `[${r.pcnt}:${r.bcnt}] ` : ''}-A ${e.name}${saveRule(r.spec, '')}\n`;
    o += 'COMMIT\n';
    o += `# Completed on ${stamp}\n`;
  }
  return o;
}

const DAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime() of the virtual clock, counted from the epoch. */
function ctimeOf(ns: number): string {
  const sec = Math.floor(ns / 1e9);
  const days = Math.floor(sec / 86400);
  let y = 1970;
  let d = days;
  for (;;) {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const n = leap ? 366 : 365;
    if (d < n) break;
    d -= n;
    y++;
  }
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const ml = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let m = 0;
  while (d >= (ml[m] as number)) d -= ml[m++] as number;
  const s = sec % 86400;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[days % 7]} ${MONTHS[m]} ${String(d + 1).padStart(2)} ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)} ${y}`;
}

function* iptablesSaveCmd(ctx: ProcCtx): Proc {
  let counters = false;
  let table: string | null = null;
  const a = ctx.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as string;
    if (v === '-V' || v === '--version') {
      ctx.stdout.write('iptables-save v1.8.9 (nf_tables)\n');
      return 0;
    }
    if (v === '-c' || v === '--counters') counters = true;
    else if (v === '-t' || v === '--table') table = a[++i] ?? null;
    else if (v.startsWith('--table=')) table = v.slice(8);
    else if (v === '-M' || v === '--modprobe' || v === '-f' || v === '--file') i++;
    else {
      ctx.stderr.write(`iptables-save v1.8.9 (nf_tables): Unknown arguments found on commandline\n`);
      return 1;
    }
  }
  if (table && !TABLES.some((d) => d.name === table)) {
    ctx.stderr.write(`iptables-save v1.8.9 (nf_tables): Cannot initialize: Table does not exist (do you need to insmod?)\n\n`);
    return 1;
  }
  ctx.stdout.write(iptablesSave(ctx.net, counters, table, ctimeOf(ctx.world.sim.now)));
  return 0;
}

/** Splits a rule line as iptables-restore does (double quotes group words). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let have = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\' && quoted && i + 1 < line.length) {
      cur += line[++i];
      continue;
    }
    if (ch === '"') {
      quoted = !quoted;
      have = true;
      continue;
    }
    if (!quoted && /\s/.test(ch)) {
      if (have || cur) out.push(cur);
      cur = '';
      have = false;
      continue;
    }
    cur += ch;
  }
  if (have || cur) out.push(cur);
  return out;
}

function* iptablesRestore(ctx: ProcCtx): Proc {
  const a = ctx.argv.slice(1);
  let noflush = false;
  let counters = false;
  let file: string | null = null;
  for (const v of a) {
    if (v === '-n' || v === '--noflush') noflush = true;
    else if (v === '-c' || v === '--counters') counters = true;
    else if (!v.startsWith('-')) file = v;
  }
  let text = '';
  if (file) {
    const r = ctx.world.vfs.readFile(file);
    if (typeof r !== 'string') {
      ctx.stderr.write(`Can't open ${file}: No such file or directory\n`);
      return 1;
    }
    text = r;
  } else {
    for (;;) {
      const chunk: string | null = yield* ctx.stdin.read();
      if (chunk === null) break;
      text += chunk;
    }
  }
  const x = xt_net(ctx.net);
  let table: string | null = null;
  let pending: { cmds: string[][]; policies: [string, string, [number, number] | null][]; chains: string[] } = { cmds: [], policies: [], chains: [] };
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = line.slice(1);
      pending = { cmds: [], policies: [], chains: [] };
      continue;
    }
    if (line === 'COMMIT') {
      if (!table) continue;
      if (!TABLES.some((d) => d.name === table)) {
        ctx.stderr.write(`iptables-restore v1.8.9 (nf_tables): Table '${table}' does not exist\nError occurred at line: ${lineNo}\nTry \`iptables-restore -h' or 'iptables-restore --help' for more information.\n`);
        return 1;
      }
      // the commit is one nf_tables transaction: on error nothing changes
      const existed = x.tables.has(table);
      const t = x.table(table, true) as Table;
      const saved = [...t.chains.values()].map((c) => ({ c, rules: [...c.rules], policy: c.policy, stats: c.stats, pcnt: c.pcnt, bcnt: c.bcnt }));
      const rollback = (): void => {
        for (const c of [...t.chains.values()]) if (!saved.some((e) => e.c === c)) t.delChain(c);
        for (const e of saved) {
          if (!t.chains.has(e.c.name)) t.chains.set(e.c.name, e.c);
          e.c.rules.splice(0, e.c.rules.length, ...e.rules);
          e.c.policy = e.policy;
          e.c.stats = e.stats;
          e.c.pcnt = e.pcnt;
          e.c.bcnt = e.bcnt;
        }
        if (!existed) x.tables.delete(table as string);
      };
      if (!noflush) {
        for (const c of [...t.chains.values()]) if (c.hook < 0) t.delChain(c);
        for (const c of t.chains.values()) {
          c.rules.length = 0;
          c.policy = NF_ACCEPT;
        }
      }
      for (const n of pending.chains) if (!t.chains.has(n)) t.addChain(n);
      for (const [n, pol, cnt] of pending.policies) {
        const c = t.chains.get(n) ?? t.addChain(n);
        c.policy = pol === 'DROP' ? NF_DROP : NF_ACCEPT;
        c.stats = true;
        [c.pcnt, c.bcnt] = cnt ?? [0, 0];
      }
      for (const argv of pending.cmds) {
        const errs: string[] = [];
        const sub: ProcCtx = { ...ctx, argv: ['iptables', '-t', table, ...argv], stderr: { write: (s: string) => void errs.push(s) } };
        let rc = 0;
        try {
          rc = doCommand(sub, parseArgs(sub.argv.slice(1)));
        } catch (e) {
          if (e instanceof IptError) {
            errs.push(e.text);
            rc = e.code;
          } else throw e;
        }
        if (rc) {
          rollback();
          const text = errs.join('');
          ctx.stderr.write(text.replace(/^iptables v1\.8\.9/, 'iptables-restore v1.8.9').replace(TRY, ''));
          ctx.stderr.write(`Error occurred at line: ${lineNo}\n`);
          if (text.includes(TRY)) ctx.stderr.write("Try `iptables-restore -h' or 'iptables-restore --help' for more information.\n");
          return rc;
        }
      }
      table = null;
      x.syncConntrack();
      continue;
    }
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(line);
      if (!m) continue;
      const name = m[1] as string;
      if (m[2] === '-') pending.chains.push(name);
      else pending.policies.push([name, m[2] as string, counters && m[3] ? [Number(m[3]), Number(m[4])] : null]);
      continue;
    }
    let argv = splitLine(line);
    const cm = /^\[(\d+):(\d+)\]$/.exec(argv[0] ?? '');
    if (cm) {
      argv = argv.slice(1);
      if (counters) argv.push('-c', cm[1] as string, cm[2] as string);
    }
    pending.cmds.push(argv);
  }
  return 0;
}

export function registerIptables(commands: Map<string, Command>): void {
  commands.set('iptables', iptables);
  commands.set('iptables-nft', iptables);
  commands.set('iptables-save', iptablesSaveCmd);
  commands.set('iptables-nft-save', iptablesSaveCmd);
  commands.set('iptables-restore', iptablesRestore);
  commands.set('iptables-nft-restore', iptablesRestore);
}
