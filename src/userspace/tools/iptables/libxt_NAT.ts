// libxt_NAT (SNAT, DNAT), libxt_MASQUERADE and libxt_REDIRECT: the address
// and port ranges of the NAT targets and their --random/--persistent flags.
import { ipv4ToString } from '../../../wire/ipv4.ts';
import {
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_PERSISTENT,
  NF_NAT_RANGE_PROTO_RANDOM,
  NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  type NfNatRange2,
} from '../../../kernel/uapi/nf_nat.ts';
import { inet_pton4 } from '../../libc/inet.ts';
import { IptError, PROG, paramProblem, TRY } from './xshared.ts';
import type { TargetExt, XtParseCtx } from './xtables.ts';

const emptyRange = (): NfNatRange2 => ({ flags: 0, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 });

const PORT_PROTOS = ['tcp', 'udp', 'sctp', 'dccp'];

/** PORT[-PORT] (parse_ports): 0 is a port; a reversed range is "funky". */
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

/** [ipaddr[-ipaddr]][:port[-port]] (parse_to; the addresses by inet_pton). */
function parseNatTo(v: string, proto: string): NfNatRange2 {
  const r = emptyRange();
  const colon = v.indexOf(':');
  const ips = colon < 0 ? v : v.slice(0, colon);
  if (colon >= 0) {
    if (!PORT_PROTOS.includes(proto)) throw paramProblem('Need TCP, UDP, SCTP or DCCP with port specification');
    const [lo, hi] = parseNatPorts(v.slice(colon + 1));
    r.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    r.minProto = lo;
    r.maxProto = hi;
  }
  if (ips) {
    const [a, b] = ips.split('-');
    const lo = inet_pton4(a ?? '');
    if (lo === null) throw paramProblem(`Bad IP address "${a}"`);
    const hi = b === undefined ? lo : inet_pton4(b);
    if (hi === null) throw paramProblem(`Bad IP address "${b}"`);
    r.flags |= NF_NAT_RANGE_MAP_IPS;
    r.minAddr = lo;
    r.maxAddr = hi;
  }
  return r;
}

function natRangeText(r: NfNatRange2): string {
  let s = '';
  if (r.flags & NF_NAT_RANGE_MAP_IPS) s += ipv4ToString(r.minAddr) + (r.maxAddr !== r.minAddr ? `-${ipv4ToString(r.maxAddr)}` : '');
  if (r.flags & NF_NAT_RANGE_PROTO_SPECIFIED) s += `:${r.minProto}${r.maxProto !== r.minProto ? `-${r.maxProto}` : ''}`;
  return s;
}

const portsText = (r: NfNatRange2): string => `${r.minProto}${r.maxProto !== r.minProto ? `-${r.maxProto}` : ''}`;

function natFlagsText(r: NfNatRange2, save: boolean): string {
  const d = save ? ' --' : ' ';
  let s = '';
  if (r.flags & NF_NAT_RANGE_PROTO_RANDOM) s += `${d}random`;
  if (r.flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) s += `${d}random-fully`;
  if (r.flags & NF_NAT_RANGE_PERSISTENT) s += `${d}persistent`;
  return s;
}

const FLAG_OPTS: Record<string, number> = {
  random: NF_NAT_RANGE_PROTO_RANDOM,
  'random-fully': NF_NAT_RANGE_PROTO_RANDOM_FULLY,
  persistent: NF_NAT_RANGE_PERSISTENT,
};

function parseCommon(opt: string, r: NfNatRange2, ctx: XtParseCtx): void {
  if (opt in FLAG_OPTS) {
    r.flags |= FLAG_OPTS[opt] as number;
    return;
  }
  if (opt === 'to-ports') {
    if (!PORT_PROTOS.includes(ctx.proto)) throw paramProblem('Need TCP, UDP, SCTP or DCCP with port specification');
    [r.minProto, r.maxProto] = parseNatPorts(ctx.arg);
    r.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
    return;
  }
  // --to-source / --to-destination
  const nr = parseNatTo(ctx.arg, ctx.proto);
  Object.assign(r, { ...nr, flags: (r.flags & ~(NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED)) | nr.flags });
  ctx.seen.add('to');
}

function mustHaveTo(name: 'SNAT' | 'DNAT'): (t: unknown, seen: Set<string>) => void {
  return (_t, seen) => {
    if (!seen.has('to'))
      throw new IptError(`${PROG}: ${name}: option "--to-${name === 'SNAT' ? 'source' : 'destination'}" must be specified\n\n${TRY}`, 2);
  };
}

const flagOpts = (names: string[]): { name: string; has_arg: 0 }[] => names.map((name) => ({ name, has_arg: 0 }));

export const libxt_SNAT: TargetExt<'SNAT'> = {
  type: 'target',
  name: 'SNAT',
  kind: 'SNAT',
  opts: [{ name: 'to-source', has_arg: 1 }, ...flagOpts(['random', 'random-fully', 'persistent'])],
  init: () => ({ kind: 'SNAT', range: emptyRange() }),
  parse: (opt, t, ctx) => parseCommon(opt, t.range, ctx),
  finalCheck: mustHaveTo('SNAT'),
  print: (t) => ` to:${natRangeText(t.range)}${natFlagsText(t.range, false)}`,
  save: (t) => ` -j SNAT --to-source ${natRangeText(t.range)}${natFlagsText(t.range, true)}`,
};

export const libxt_DNAT: TargetExt<'DNAT'> = {
  type: 'target',
  name: 'DNAT',
  kind: 'DNAT',
  opts: [{ name: 'to-destination', has_arg: 1 }, ...flagOpts(['random', 'random-fully', 'persistent'])],
  init: () => ({ kind: 'DNAT', range: emptyRange() }),
  parse: (opt, t, ctx) => parseCommon(opt, t.range, ctx),
  finalCheck: mustHaveTo('DNAT'),
  print: (t) => ` to:${natRangeText(t.range)}${natFlagsText(t.range, false)}`,
  save: (t) => ` -j DNAT --to-destination ${natRangeText(t.range)}${natFlagsText(t.range, true)}`,
};

export const libxt_MASQUERADE: TargetExt<'MASQUERADE'> = {
  type: 'target',
  name: 'MASQUERADE',
  kind: 'MASQUERADE',
  opts: [{ name: 'to-ports', has_arg: 1 }, ...flagOpts(['random', 'random-fully'])],
  init: () => ({ kind: 'MASQUERADE', range: emptyRange() }),
  parse: (opt, t, ctx) => parseCommon(opt, t.range, ctx),
  print: (t) =>
    `${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` masq ports: ${portsText(t.range)}` : ''}${natFlagsText(t.range, false)}`,
  save: (t) =>
    ` -j MASQUERADE${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` --to-ports ${portsText(t.range)}` : ''}${natFlagsText(t.range, true)}`,
};

export const libxt_REDIRECT: TargetExt<'REDIRECT'> = {
  type: 'target',
  name: 'REDIRECT',
  kind: 'REDIRECT',
  opts: [{ name: 'to-ports', has_arg: 1 }, ...flagOpts(['random'])],
  init: () => ({ kind: 'REDIRECT', range: emptyRange() }),
  parse: (opt, t, ctx) => parseCommon(opt, t.range, ctx),
  print: (t) =>
    `${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` redir ports ${portsText(t.range)}` : ''}${natFlagsText(t.range, false)}`,
  save: (t) =>
    ` -j REDIRECT${t.range.flags & NF_NAT_RANGE_PROTO_SPECIFIED ? ` --to-ports ${portsText(t.range)}` : ''}${natFlagsText(t.range, true)}`,
};
