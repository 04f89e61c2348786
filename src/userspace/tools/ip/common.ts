// What every `ip` object shares: the invocation (options, output, exits), the
// argument parsers of iproute2's lib/utils.c and the name tables of
// lib/rt_names.c, as iproute2 6.1 (Debian 12) behaves.
import type { Net } from '../../../kernel/net_namespace.ts';
import { ifinfomsg, type LinkMsg, NLM_F_DUMP, RTM_GETLINK, rtnl_talk } from '../../../kernel/uapi/rtnetlink.ts';
import type { ProcCtx } from '../../proc.ts';
import { strerror as glibcStrerror } from '../errno.ts';
import { ipv4ToString } from '../../../wire/ipv4.ts';
import { parseIpv6 } from '../../../wire/ipv6.ts';

import { rttableA2n, rttableN2a } from './rt_names.ts';
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_PACKET = 17;

/** strerror() for the errnos rtnetlink answers with. */
export function strerror(errno: number): string {
  switch (errno) {
    case 3:
      return 'No such process';
    case 16:
      return 'Device or resource busy';
    case 34:
      return 'Numerical result out of range';
    case 97:
      return 'Address family not supported by protocol';
    default:
      return glibcStrerror(errno);
  }
}

/** Ends the program with `code` after its message was written. */
export class IpExit {
  constructor(readonly code: number) {}
}

export interface IpOptions {
  family: number;
  stats: number;
  details: number;
  oneline: boolean;
  brief: boolean;
  numeric: boolean;
  human: boolean;
  all: boolean;
  loops: number;
}

/**
 * What every iproute2 program shares (lib/utils.c): buffered output on stdout,
 * `_SL_`, and the exits with their messages (invarg, duparg, incomplete
 * command lines, the kernel's extack). Each program says how it exits.
 */
export abstract class Iproute2Run {
  private buf = '';

  constructor(
    readonly ctx: ProcCtx,
    public net: Net,
    readonly opts: { readonly oneline: boolean | number },
  ) {}

  /** Ends the program with `code` (its message is written). */
  protected abstract exit(code: number): never;

  /** `_SL_`: the line separator, a backslash in oneline mode. */
  get SL(): string {
    return this.opts.oneline ? '\\' : '\n';
  }

  out(s: string): void {
    this.buf += s;
    if (this.buf.length > 4096) this.flush();
  }

  flush(): void {
    if (this.buf) this.ctx.stdout.write(this.buf);
    this.buf = '';
  }

  err(s: string): void {
    this.flush();
    this.ctx.stderr.write(s);
  }

  /** Prints `msg` (a whole line) on stderr and exits with `code`. */
  fail(msg: string, code: number): never {
    this.err(`${msg}\n`);
    return this.exit(code);
  }

  /** invarg(): exit(-1). */
  invarg(msg: string, arg: string): never {
    return this.fail(`Error: argument "${arg}" is wrong: ${msg}`, 255);
  }

  duparg(key: string, arg: string): never {
    return this.fail(`Error: duplicate "${key}": "${arg}" is the second value.`, 255);
  }

  duparg2(key: string, arg: string): never {
    return this.fail(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`, 255);
  }

  incomplete(): never {
    return this.fail('Command line is not complete. Try option "help"', 255);
  }

  /** The kernel's answer to a request that failed: the extack message, or strerror. */
  rtnlError(errno: number, extack: string | null, code = 2): never {
    if (extack !== null) return this.fail(`Error: ${extack.endsWith('.') ? extack : `${extack}.`}`, code);
    return this.fail(`RTNETLINK answers: ${strerror(errno)}`, code);
  }
}

/** One run of `ip`: where it writes, the namespace it talks to, its options. */
export class Ip extends Iproute2Run {
  declare readonly opts: IpOptions;

  constructor(ctx: ProcCtx, net: Net, opts: IpOptions) {
    super(ctx, net, opts);
  }

  protected exit(code: number): never {
    throw new IpExit(code);
  }
}

/** A cursor over the arguments, with NEXT_ARG(). */
export class Args {
  private i = 0;

  constructor(
    private readonly ip: Ip,
    private readonly argv: readonly string[],
  ) {}

  get more(): boolean {
    return this.i < this.argv.length;
  }

  get left(): number {
    return this.argv.length - this.i;
  }

  /** The current argument (there must be one). */
  get cur(): string {
    return this.argv[this.i] as string;
  }

  /** Moves past the current argument. */
  skip(): void {
    this.i++;
  }

  /** NEXT_ARG(): moves to the value of the current keyword, or exits. */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) this.ip.incomplete();
    return this.argv[this.i] as string;
  }

  rest(): string[] {
    return this.argv.slice(this.i);
  }
}

/** iproute2's matches(): `prefix` abbreviates `word` (an empty prefix matches nothing). */
export function matches(prefix: string, word: string): boolean {
  return prefix.length > 0 && word.startsWith(prefix);
}

/** C strtoul()/strtol(): leading blanks, a sign, base 0 (0x hex, 0 octal). */
export function strtol(s: string, base = 0): { value: number; end: number; neg: boolean } {
  let i = 0;
  while (i < s.length && /\s/.test(s[i] as string)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let b = base;
  if ((b === 0 || b === 16) && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    i += 2;
    b = 16;
  } else if (b === 0) b = s[i] === '0' ? 8 : 10;
  const start = i;
  let v = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i] as string, 36);
    if (Number.isNaN(d) || d >= b) break;
    v = v * b + d;
  }
  if (i === start) return { value: 0, end: 0, neg: false };
  return { value: neg ? -v : v, end: i, neg };
}

/** get_unsigned(): the whole string is a number that fits 32 bits. */
export function getUnsigned(s: string): number | null {
  if (!s) return null;
  const r = strtol(s);
  if (r.end === 0 || r.end !== s.length) return null;
  let v = r.value;
  if (r.neg) v = v === 0 ? 0 : 2 ** 64 + v;
  if (v > 0xffffffff) return null;
  return v;
}

/** get_integer(): an int. */
export function getInteger(s: string): number | null {
  if (!s) return null;
  const r = strtol(s);
  if (r.end === 0 || r.end !== s.length) return null;
  if (r.value < -0x80000000 || r.value > 0x7fffffff) return null;
  return r.value;
}

/** get_addr_ipv4(): one to four dotted numbers in any C base ("10" is 10.0.0.0). */
export function getAddrIpv4(s: string): number | null {
  const bytes = [0, 0, 0, 0];
  let rest = s;
  for (let i = 0; i < 4; i++) {
    const r = strtol(rest);
    let n = r.value;
    if (r.neg) n = n === 0 ? 0 : 2 ** 64 + n;
    if (n > 255) return null;
    if (r.end === 0) return null;
    bytes[i] = n;
    const after = rest.slice(r.end);
    if (after === '') break;
    if (i === 3 || after[0] !== '.') return null;
    rest = after.slice(1);
  }
  return (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0;
}

export const PREFIXLEN_SPECIFIED = 1;

/** inet_prefix, IPv4 only; IPv6 text is recognised so it can be refused. */
export interface InetPrefix {
  family: number;
  addr: number;
  /** The 16 bytes of an AF_INET6 address (inet_pton), else absent. */
  addr6?: Uint8Array;
  /** -1: none given, -2: "default"/"any"/"all" */
  bitlen: number;
  bytelen: number;
  flags: number;
}

function getAddr1(s: string, family: number): InetPrefix | null {
  if (s === 'default')
    return { family, addr: 0, bitlen: -2, bytelen: family === AF_INET ? 4 : family === AF_INET6 ? 16 : 0, flags: PREFIXLEN_SPECIFIED };
  if (s === 'all' || s === 'any') return { family, addr: 0, bitlen: -2, bytelen: 0, flags: 0 };
  if (s.includes(':')) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return null;
    const a6 = parseIpv6(s);
    if (!a6) return null;
    return { family: AF_INET6, addr: 0, addr6: a6, bitlen: -1, bytelen: 16, flags: 0 };
  }
  if (family !== AF_UNSPEC && family !== AF_INET) return null;
  const a = getAddrIpv4(s);
  if (a === null) return null;
  return { family: AF_INET, addr: a, bitlen: -1, bytelen: 4, flags: 0 };
}

function familyVerbose(family: number): string {
  if (family === AF_UNSPEC) return 'any valid';
  return familyName(family);
}

export function familyName(family: number): string {
  switch (family) {
    case AF_INET:
      return 'inet';
    case AF_INET6:
      return 'inet6';
    case AF_PACKET:
      return 'link';
    default:
      return '???';
  }
}

/** mask2bits() */
function maskToBits(mask: number): number {
  const host = ~mask >>> 0;
  if ((host & (host + 1)) !== 0) return -1;
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
}

/** get_prefix_1() */
export function getPrefix1(s: string, family: number): InetPrefix | null {
  const slash = s.indexOf('/');
  const dst = getAddr1(slash >= 0 ? s.slice(0, slash) : s, family);
  if (!dst) return null;
  const maxLen = dst.family === AF_INET6 ? 128 : dst.family === AF_INET ? 32 : 0;
  if (slash >= 0) {
    if (dst.bitlen === -2) return null;
    const m = s.slice(slash + 1);
    let plen = getUnsigned(m);
    if (plen === null) {
      const a = getAddr1(m, AF_INET);
      if (a && a.family === AF_INET) {
        const b = maskToBits(a.addr);
        if (b >= 0) plen = b;
      }
    }
    if (plen === null || plen > maxLen) return null;
    dst.flags |= PREFIXLEN_SPECIFIED;
    dst.bitlen = plen;
  } else {
    dst.bitlen = dst.bitlen === -2 ? 0 : maxLen;
  }
  return dst;
}

/** get_prefix(): exits with iproute2's message when `s` is not a prefix. */
export function getPrefix(ip: Ip, s: string, family: number): InetPrefix {
  if (family === AF_PACKET) ip.fail(`Error: "${s}" may be inet prefix, but it is not allowed in this context.`, 1);
  const p = getPrefix1(s, family);
  if (!p) ip.fail(`Error: ${familyVerbose(family)} prefix is expected rather than "${s}".`, 1);
  return p;
}

/** get_addr() */
export function getAddr(ip: Ip, s: string, family: number): InetPrefix {
  if (family === AF_PACKET) ip.fail(`Error: "${s}" may be inet address, but it is not allowed in this context.`, 1);
  const a = getAddr1(s, family);
  if (!a) ip.fail(`Error: ${familyVerbose(family)} address is expected rather than "${s}".`, 1);
  if (a.bitlen === -1) a.bitlen = a.family === AF_INET6 ? 128 : 32;
  return a;
}

/** ll_addr_a2n(): "aa:bb:..." (each part as sscanf %x reads it) or a dotted quad; null after printing the error. */
export function llAddrA2n(ip: Ip, arg: string, maxLen: number): number[] | null {
  if (arg.includes('.')) {
    const a = getAddr1(arg, AF_INET);
    if (!a) {
      ip.err(`"${arg}" is invalid lladdr.\n`);
      return null;
    }
    return [(a.addr >>> 24) & 255, (a.addr >>> 16) & 255, (a.addr >>> 8) & 255, a.addr & 255];
  }
  const out: number[] = [];
  const parts = arg.split(':');
  for (let i = 0; i < maxLen && i < parts.length; i++) {
    const r = strtol(parts[i] as string, 16);
    if (r.end === 0) {
      ip.err(`"${parts[i]}" is invalid lladdr.\n`);
      return null;
    }
    if (r.value < 0 || r.value > 255) {
      ip.err(`"${parts[i]}" is invalid lladdr.\n`);
      return null;
    }
    out.push(r.value);
  }
  return out;
}

export function fmtMac(b: Uint8Array | readonly number[]): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + (b[i] as number).toString(16).padStart(2, '0');
  return s;
}

/** An address as iproute2 prints it (inet_ntop): wire's one formatter. */
export const ipv4 = ipv4ToString;

/** check_ifname(): shorter than IFNAMSIZ, no slash, no blank. */
export function validIfname(name: string): boolean {
  return name.length < 16 && validAltIfname(name);
}

/** check_altifname() */
export function validAltIfname(name: string): boolean {
  return name !== '' && !/[/\s]/.test(name);
}

/** dev_valid_name(): what the kernel accepts. */
export function kernelValidName(name: string): boolean {
  return validIfname(name) && name !== '.' && name !== '..' && !name.includes(':');
}

// --- lib/rt_names.c, with this machine's /etc/iproute2 files ---

const SCOPES = new Map<number, string>([
  [0, 'global'],
  [200, 'site'],
  [253, 'link'],
  [254, 'host'],
  [255, 'nowhere'],
]);

const PROTOS = new Map<number, string>([
  [0, 'unspec'],
  [1, 'redirect'],
  [2, 'kernel'],
  [3, 'boot'],
  [4, 'static'],
  [8, 'gated'],
  [9, 'ra'],
  [10, 'mrt'],
  [11, 'zebra'],
  [12, 'bird'],
  [13, 'dnrouted'],
  [14, 'xorp'],
  [15, 'ntk'],
  [16, 'dhcp'],
  [18, 'keepalived'],
  [42, 'babel'],
  [99, 'openr'],
  [186, 'bgp'],
  [187, 'isis'],
  [188, 'ospf'],
  [189, 'rip'],
  [192, 'eigrp'],
]);

const TABLES = new Map<number, string>([
  [255, 'local'],
  [254, 'main'],
  [253, 'default'],
  [0, 'unspec'],
]);

function byName(tab: Map<number, string>, arg: string, max: number): number | null {
  for (const [id, name] of tab) if (name === arg) return id;
  const r = strtol(arg);
  if (r.end === 0 || r.end !== arg.length || r.neg || r.value > max) return null;
  return r.value;
}

export function scopeName(id: number, numeric: boolean): string {
  return (!numeric && SCOPES.get(id)) || String(id);
}

export function scopeId(arg: string): number | null {
  return byName(SCOPES, arg, 255);
}

export function protoName(id: number, numeric: boolean): string {
  return (!numeric && PROTOS.get(id)) || String(id);
}

export function protoId(arg: string): number | null {
  return byName(PROTOS, arg, 255);
}

/** rtnl_rttable_n2a(): with the run, the names of its /etc/iproute2/rt_tables (and rt_tables.d/*.conf). */
export function tableName(id: number, numeric: boolean, run?: Iproute2Run): string {
  if (run) return rttableN2a(run, id, numeric);
  return (!numeric && TABLES.get(id)) || String(id);
}

/** rtnl_rttable_a2n() */
export function tableId(arg: string, run?: Iproute2Run): number | null {
  if (run) return rttableA2n(run, arg);
  return byName(TABLES, arg, 0xffffffff);
}

export const RTN_NAME = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
];

/** rtnl_rtntype_a2n() */
export function rtnTypeId(arg: string): number | null {
  if (arg === 'local') return 2;
  if (arg === 'nat') return 10;
  if (matches(arg, 'broadcast') || arg === 'brd') return 3;
  if (matches(arg, 'anycast')) return 4;
  if (matches(arg, 'multicast')) return 5;
  if (matches(arg, 'prohibit')) return 8;
  if (matches(arg, 'unreachable')) return 7;
  if (matches(arg, 'blackhole')) return 6;
  if (matches(arg, 'xresolve')) return 11;
  if (matches(arg, 'unicast')) return 1;
  if (arg === 'throw') return 9;
  const r = strtol(arg);
  if (r.end === 0 || r.end !== arg.length || r.neg || r.value > 255) return null;
  return r.value;
}

export function rtnTypeName(t: number): string {
  return RTN_NAME[t] ?? String(t);
}

// --- lib/ll_map.c: names and indexes of links, asked of the kernel (RTM_GETLINK) ---

/** RTM_GETLINK of one device, by index or by name; null when the kernel has none. */
export function rtnlGetLink(net: Net, by: { index?: number; name?: string }): LinkMsg | null {
  const req: LinkMsg = { nlmsg_type: RTM_GETLINK, nlmsg_flags: 0, ifi: ifinfomsg(0, by.index ?? 0), attrs: {} };
  if (by.name !== undefined) req.attrs.IFLA_IFNAME = by.name;
  const r = rtnl_talk(net, req);
  return r.error ? null : (r.msgs[0] ?? null);
}

/** RTM_GETLINK dump: every link of the namespace, by ifindex (iplink_filter_req(): the master and kind filters ride along). */
export function rtnlDumpLinks(net: Net, filter: { master?: number; kind?: string } = {}): LinkMsg[] {
  const req: LinkMsg = { nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_DUMP, ifi: ifinfomsg(), attrs: {} };
  if (filter.master) req.attrs.IFLA_MASTER = filter.master;
  if (filter.kind !== undefined) req.attrs.IFLA_LINKINFO = { IFLA_INFO_KIND: filter.kind };
  return rtnl_talk(net, req).msgs;
}

/** ll_link_get() for a name, or the "ifN" form of an index (ll_idx_a2n). */
export function llLinkByName(ip: Ip, name: string): LinkMsg | null {
  const byName = rtnlGetLink(ip.net, { name });
  if (byName) return byName;
  const m = /^if(\d+)$/.exec(name);
  return m ? rtnlGetLink(ip.net, { index: Number(m[1]) }) : null;
}

/** ll_name_to_index(): the ifindex of a device by name (or "ifN"), 0 when there is none. */
export function llNameToIndex(ip: Ip, name: string): number {
  return llLinkByName(ip, name)?.ifi.ifi_index ?? 0;
}

/** ll_index_to_name(): a device's name as RTM_GETLINK answers for its index ("ifN" when gone). */
export function llIndexToName(ip: Ip, ifindex: number): string {
  return rtnlGetLink(ip.net, { index: ifindex })?.attrs.IFLA_IFNAME ?? `if${ifindex}`;
}

/** ll_init_map(): the whole link table is read (RTM_GETLINK dump). */
export function llInitMap(ip: Ip): void {
  rtnlDumpLinks(ip.net);
}

/** A list filter's `protocol ID|all` (iproute2's route and rule filters): the id, and a mask of 0 for all. */
export function protocolFilter(ip: Ip, v: string): { protocol: number; mask: number } {
  const p = protoId(v);
  if (p !== null) return { protocol: p, mask: -1 };
  if (v !== 'all') ip.invarg('invalid "protocol"\n', v);
  return { protocol: 0, mask: 0 };
}
