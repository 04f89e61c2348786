// libxt_udp: -p udp / -m udp (--sport, --dport).
import { XT_TCP_INV_DSTPT, XT_TCP_INV_SRCPT } from '../../../kernel/uapi/x_tables.ts';
import { parsePortRange, printPorts, rangeText } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

export const libxt_udp: MatchExt<'udp'> = {
  type: 'match',
  name: 'udp',
  opts: [
    { name: 'source-port', has_arg: 1 },
    { name: 'sport', has_arg: 1, id: 'source-port' },
    { name: 'destination-port', has_arg: 1 },
    { name: 'dport', has_arg: 1, id: 'destination-port' },
  ],
  init: () => ({ name: 'udp', spts: [0, 65535], dpts: [0, 65535], invflags: 0 }),
  parse(opt, m, ctx) {
    if (opt === 'sport' || opt === 'source-port') {
      m.spts = parsePortRange(ctx.arg, 'udp');
      if (ctx.invert) m.invflags |= XT_TCP_INV_SRCPT;
    } else {
      m.dpts = parsePortRange(ctx.arg, 'udp');
      if (ctx.invert) m.invflags |= XT_TCP_INV_DSTPT;
    }
  },
  print(m, numeric) {
    let s = ' udp';
    s += printPorts('spt', m.spts, !!(m.invflags & XT_TCP_INV_SRCPT), 'udp', numeric);
    s += printPorts('dpt', m.dpts, !!(m.invflags & XT_TCP_INV_DSTPT), 'udp', numeric);
    return s;
  },
  save(m) {
    const inv = (b: number): string => (m.invflags & b ? ' !' : '');
    let s = '';
    if (m.spts[0] !== 0 || m.spts[1] !== 65535) s += `${inv(XT_TCP_INV_SRCPT)} --sport ${rangeText(m.spts)}`;
    if (m.dpts[0] !== 0 || m.dpts[1] !== 65535) s += `${inv(XT_TCP_INV_DSTPT)} --dport ${rangeText(m.dpts)}`;
    return s;
  },
};
