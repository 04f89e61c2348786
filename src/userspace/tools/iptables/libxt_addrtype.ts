// libxt_addrtype: --src-type, --dst-type, --limit-iface-in/out.
import { paramProblem } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

const ADDRTYPES = [
  'UNSPEC',
  'UNICAST',
  'LOCAL',
  'BROADCAST',
  'ANYCAST',
  'MULTICAST',
  'BLACKHOLE',
  'UNREACHABLE',
  'PROHIBIT',
  'THROW',
  'NAT',
  'XRESOLVE',
];

const types = (mask: number): string => ADDRTYPES.filter((_, i) => mask & (1 << i)).join(',');

export const libxt_addrtype: MatchExt<'addrtype'> = {
  type: 'match',
  name: 'addrtype',
  opts: [
    { name: 'src-type', has_arg: 1 },
    { name: 'dst-type', has_arg: 1 },
    { name: 'limit-iface-in', has_arg: 0 },
    { name: 'limit-iface-out', has_arg: 0 },
  ],
  init: () => ({ name: 'addrtype', source: 0, dest: 0, invSource: false, invDest: false, limitIn: false, limitOut: false }),
  parse(opt, m, ctx) {
    if (opt === 'limit-iface-in') m.limitIn = true;
    else if (opt === 'limit-iface-out') m.limitOut = true;
    else {
      let mask = 0;
      for (const t of ctx.arg.split(',')) {
        const k = ADDRTYPES.indexOf(t.toUpperCase());
        if (k < 0) throw paramProblem(`addrtype: bad type "${t}"`);
        mask |= 1 << k;
      }
      if (opt === 'src-type') {
        m.source = mask;
        m.invSource = ctx.invert;
      } else {
        m.dest = mask;
        m.invDest = ctx.invert;
      }
    }
  },
  print(m) {
    let s = ' ADDRTYPE match';
    if (m.source) s += ` src-type ${m.invSource ? '!' : ''}${types(m.source)}`;
    if (m.dest) s += ` dst-type ${m.invDest ? '!' : ''}${types(m.dest)}`;
    if (m.limitIn) s += ' limit-in';
    if (m.limitOut) s += ' limit-out';
    return s;
  },
  save(m) {
    let s = '';
    if (m.source) s += `${m.invSource ? ' !' : ''} --src-type ${types(m.source)}`;
    if (m.dest) s += `${m.invDest ? ' !' : ''} --dst-type ${types(m.dest)}`;
    if (m.limitIn) s += ' --limit-iface-in';
    if (m.limitOut) s += ' --limit-iface-out';
    return s;
  },
};
