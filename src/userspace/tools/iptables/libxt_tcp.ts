// libxt_tcp: -p tcp / -m tcp (--sport, --dport, --tcp-flags, --syn, --tcp-option).
import { XT_TCP_INV_DSTPT, XT_TCP_INV_FLAGS, XT_TCP_INV_SRCPT } from '../../../kernel/uapi/x_tables.ts';
import { paramProblem, parsePortRange, printPorts, rangeText } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

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

export const libxt_tcp: MatchExt<'tcp'> = {
  type: 'match',
  name: 'tcp',
  oldStyle: true,
  opts: [
    { name: 'source-port', has_arg: 1 },
    { name: 'sport', has_arg: 1 },
    { name: 'destination-port', has_arg: 1 },
    { name: 'dport', has_arg: 1 },
    { name: 'syn', has_arg: 0 },
    { name: 'tcp-flags', has_arg: 1 },
    { name: 'tcp-option', has_arg: 1 },
  ],
  init: () => ({ name: 'tcp', spts: [0, 65535], dpts: [0, 65535], flgMask: 0, flgCmp: 0, option: 0, invflags: 0 }),
  parse(opt, m, ctx) {
    // tcp_parse(): each once, and --syn or --tcp-flags
    const once = (key: string, what: string): void => {
      if (ctx.seen.has(key)) throw paramProblem(what);
      ctx.seen.add(key);
    };
    if (opt === 'sport' || opt === 'source-port') once('sport', "Only one `--source-port' allowed");
    else if (opt === 'dport' || opt === 'destination-port') once('dport', "Only one `--destination-port' allowed");
    else if (opt === 'syn' || opt === 'tcp-flags') once('flags', "Only one of `--syn' or `--tcp-flags'  allowed");
    else once('option', "Only one `--tcp-option' allowed");
    if (opt === 'sport' || opt === 'source-port') {
      m.spts = parsePortRange(ctx.arg, 'tcp');
      if (ctx.invert) m.invflags |= XT_TCP_INV_SRCPT;
    } else if (opt === 'dport' || opt === 'destination-port') {
      m.dpts = parsePortRange(ctx.arg, 'tcp');
      if (ctx.invert) m.invflags |= XT_TCP_INV_DSTPT;
    } else if (opt === 'tcp-flags') {
      const f2 = ctx.peekArg();
      if (f2 === undefined || f2.startsWith('-') || f2.startsWith('!')) throw paramProblem('--tcp-flags requires two args.');
      ctx.nextArg();
      m.flgMask = parseTcpFlags(ctx.arg);
      m.flgCmp = parseTcpFlags(f2);
      if (ctx.invert) m.invflags |= XT_TCP_INV_FLAGS;
    } else if (opt === 'syn') {
      m.flgMask = 0x17;
      m.flgCmp = 0x02;
      if (ctx.invert) m.invflags |= XT_TCP_INV_FLAGS;
    } else m.option = Number(ctx.arg);
  },
  print(m, numeric) {
    let s = ' tcp';
    s += printPorts('spt', m.spts, !!(m.invflags & XT_TCP_INV_SRCPT), 'tcp', numeric);
    s += printPorts('dpt', m.dpts, !!(m.invflags & XT_TCP_INV_DSTPT), 'tcp', numeric);
    if (m.flgMask || m.invflags & XT_TCP_INV_FLAGS) {
      s += ` flags:${m.invflags & XT_TCP_INV_FLAGS ? '!' : ''}`;
      const h = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
      s += numeric ? `${h(m.flgMask)}/${h(m.flgCmp)}` : `${tcpFlagNames(m.flgMask)}/${tcpFlagNames(m.flgCmp)}`;
    }
    return s;
  },
  save(m) {
    const inv = (b: number): string => (m.invflags & b ? ' !' : '');
    let s = '';
    if (m.spts[0] !== 0 || m.spts[1] !== 65535) s += `${inv(XT_TCP_INV_SRCPT)} --sport ${rangeText(m.spts)}`;
    if (m.dpts[0] !== 0 || m.dpts[1] !== 65535) s += `${inv(XT_TCP_INV_DSTPT)} --dport ${rangeText(m.dpts)}`;
    if (m.flgMask) s += `${inv(XT_TCP_INV_FLAGS)} --tcp-flags ${tcpFlagNames(m.flgMask)} ${tcpFlagNames(m.flgCmp)}`;
    return s;
  },
};
