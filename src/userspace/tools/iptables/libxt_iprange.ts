// libxt_iprange: --src-range, --dst-range FROM[-TO].
import { ipv4ToString } from '../../../wire/ipv4.ts';
import { paramProblem, xtables_numeric_to_ipaddr } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

export const libxt_iprange: MatchExt<'iprange'> = {
  type: 'match',
  name: 'iprange',
  opts: [
    { name: 'src-range', has_arg: 1 },
    { name: 'dst-range', has_arg: 1 },
  ],
  init: () => ({ name: 'iprange', src: null, dst: null, invSrc: false, invDst: false }),
  parse(opt, m, ctx) {
    const v = ctx.arg;
    const [x, y] = v.split('-');
    const lo = xtables_numeric_to_ipaddr(x ?? '');
    const hi = y === undefined ? lo : xtables_numeric_to_ipaddr(y);
    if (lo === null || hi === null) throw paramProblem(`iprange: Bad IP address "${v}"`);
    if (opt === 'src-range') {
      m.src = [lo, hi];
      m.invSrc = ctx.invert;
    } else {
      m.dst = [lo, hi];
      m.invDst = ctx.invert;
    }
  },
  print(m) {
    let s = '';
    if (m.src) s += ` source IP range${m.invSrc ? ' !' : ''} ${ipv4ToString(m.src[0])}-${ipv4ToString(m.src[1])}`;
    if (m.dst) s += ` destination IP range${m.invDst ? ' !' : ''} ${ipv4ToString(m.dst[0])}-${ipv4ToString(m.dst[1])}`;
    return s;
  },
  save(m) {
    let s = '';
    if (m.src) s += `${m.invSrc ? ' !' : ''} --src-range ${ipv4ToString(m.src[0])}-${ipv4ToString(m.src[1])}`;
    if (m.dst) s += `${m.invDst ? ' !' : ''} --dst-range ${ipv4ToString(m.dst[0])}-${ipv4ToString(m.dst[1])}`;
    return s;
  },
};
