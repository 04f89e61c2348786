// libxt_multiport: --sports, --dports, --ports (up to 15 ports or ranges).
import { paramProblem, parsePortRange, portName, rangeText } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

export const libxt_multiport: MatchExt<'multiport'> = {
  type: 'match',
  name: 'multiport',
  opts: [
    { name: 'source-ports', has_arg: 1, excl: ['destination-ports', 'ports'] },
    { name: 'sports', has_arg: 1, id: 'source-ports' },
    { name: 'destination-ports', has_arg: 1, excl: ['source-ports', 'ports'] },
    { name: 'dports', has_arg: 1, id: 'destination-ports' },
    { name: 'ports', has_arg: 1, excl: ['source-ports', 'destination-ports'] },
  ],
  init: () => ({ name: 'multiport', flags: 'any', ports: [], invert: false }),
  parse(opt, m, ctx) {
    m.flags = opt === 'sports' || opt === 'source-ports' ? 'src' : opt === 'ports' ? 'any' : 'dst';
    m.ports = ctx.arg.split(',').map((x) => parsePortRange(x, ctx.proto || 'tcp'));
    m.invert = ctx.invert;
    const p = ctx.proto;
    if (p !== 'tcp' && p !== 'udp' && p !== 'sctp' && p !== 'udplite' && p !== 'dccp')
      throw paramProblem("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
  },
  print(m, numeric, proto) {
    let s = ` multiport ${m.flags === 'src' ? 'sports' : m.flags === 'dst' ? 'dports' : 'ports'} `;
    if (m.invert) s += ' !';
    s += m.ports
      .map((r) => (r[0] === r[1] ? portName(r[0], proto, numeric) : `${portName(r[0], proto, numeric)}:${portName(r[1], proto, numeric)}`))
      .join(',');
    return s;
  },
  save: (m) =>
    `${m.invert ? ' !' : ''} --${m.flags === 'src' ? 'sports' : m.flags === 'dst' ? 'dports' : 'ports'} ${m.ports.map(rangeText).join(',')}`,
};
