// libipt_icmp: -p icmp --icmp-type TYPE[/CODE] or a name.
import { paramProblem } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

/** icmp_codes[]: name, type, code range. */
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

export const libxt_icmp: MatchExt<'icmp'> = {
  type: 'match',
  name: 'icmp',
  opts: [{ name: 'icmp-type', has_arg: 1 }],
  init: () => ({ name: 'icmp', type: 0xff, code: [0, 0xff], invert: false }),
  parse(_opt, m, ctx) {
    const v = ctx.arg;
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
    m.invert = ctx.invert;
  },
  print(m, numeric) {
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
  },
  save(m) {
    if (m.type === 0xff) return '';
    return `${m.invert ? ' !' : ''} --icmp-type ${m.type}${m.code[0] !== 0 || m.code[1] !== 0xff ? `/${m.code[0]}` : ''}`;
  },
};
