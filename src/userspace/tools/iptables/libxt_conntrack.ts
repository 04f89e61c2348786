// libxt_conntrack: the conntrack match, revision 3 (--ctstate, --ctproto,
// --ctorig/repl src/dst[port], --ctstatus, --ctexpire, --ctdir).
import {
  type ConntrackMatch,
  type PortRange,
  XT_CONNTRACK_DIRECTION,
  XT_CONNTRACK_EXPIRES,
  XT_CONNTRACK_ORIGDST,
  XT_CONNTRACK_ORIGDST_PORT,
  XT_CONNTRACK_ORIGSRC,
  XT_CONNTRACK_ORIGSRC_PORT,
  XT_CONNTRACK_PROTO,
  XT_CONNTRACK_REPLDST,
  XT_CONNTRACK_REPLDST_PORT,
  XT_CONNTRACK_REPLSRC,
  XT_CONNTRACK_REPLSRC_PORT,
  XT_CONNTRACK_STATE,
  XT_CONNTRACK_STATUS,
} from '../../../kernel/uapi/x_tables.ts';
import { addrMaskText, paramProblem, parseHostMask, parsePort, parseStates, PROTOS, rangeText, stateNames } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

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
const CT_STATUS: [string, number][] = [
  ['EXPECTED', 1 << 0],
  ['SEEN_REPLY', 1 << 1],
  ['ASSURED', 1 << 2],
  ['CONFIRMED', 1 << 3],
];

/** conntrack_dump(): the options for -L (prefix '') or save (prefix '--'). */
function conntrackText(m: ConntrackMatch, save: boolean): string {
  const p = save ? '--' : '';
  const inv = (f: number): string => (m.invflags & f ? ' !' : '');
  let s = '';
  if (m.flags & XT_CONNTRACK_STATE) s += `${inv(XT_CONNTRACK_STATE)} ${p}ctstate ${stateNames(m.statemask, CT_STATES)}`;
  if (m.flags & XT_CONNTRACK_PROTO) s += `${inv(XT_CONNTRACK_PROTO)} ${p}ctproto ${m.l4proto}`;
  if (m.flags & XT_CONNTRACK_ORIGSRC) s += `${inv(XT_CONNTRACK_ORIGSRC)} ${p}ctorigsrc ${addrMaskText(m.origsrc)}`;
  if (m.flags & XT_CONNTRACK_ORIGDST) s += `${inv(XT_CONNTRACK_ORIGDST)} ${p}ctorigdst ${addrMaskText(m.origdst)}`;
  if (m.flags & XT_CONNTRACK_REPLSRC) s += `${inv(XT_CONNTRACK_REPLSRC)} ${p}ctreplsrc ${addrMaskText(m.replsrc)}`;
  if (m.flags & XT_CONNTRACK_REPLDST) s += `${inv(XT_CONNTRACK_REPLDST)} ${p}ctrepldst ${addrMaskText(m.repldst)}`;
  if (m.flags & XT_CONNTRACK_ORIGSRC_PORT) s += `${inv(XT_CONNTRACK_ORIGSRC_PORT)} ${p}ctorigsrcport ${rangeText(m.origsrcPort)}`;
  if (m.flags & XT_CONNTRACK_ORIGDST_PORT) s += `${inv(XT_CONNTRACK_ORIGDST_PORT)} ${p}ctorigdstport ${rangeText(m.origdstPort)}`;
  if (m.flags & XT_CONNTRACK_REPLSRC_PORT) s += `${inv(XT_CONNTRACK_REPLSRC_PORT)} ${p}ctreplsrcport ${rangeText(m.replsrcPort)}`;
  if (m.flags & XT_CONNTRACK_REPLDST_PORT) s += `${inv(XT_CONNTRACK_REPLDST_PORT)} ${p}ctrepldstport ${rangeText(m.repldstPort)}`;
  if (m.flags & XT_CONNTRACK_STATUS) s += `${inv(XT_CONNTRACK_STATUS)} ${p}ctstatus ${stateNames(m.statusmask, CT_STATUS)}`;
  if (m.flags & XT_CONNTRACK_EXPIRES) s += `${inv(XT_CONNTRACK_EXPIRES)} ${p}ctexpire ${rangeText(m.expires)}`;
  if (m.flags & XT_CONNTRACK_DIRECTION) s += ` ${p}ctdir ${m.invflags & XT_CONNTRACK_DIRECTION ? 'REPLY' : 'ORIGINAL'}`;
  return s;
}

export const libxt_conntrack: MatchExt<'conntrack'> = {
  type: 'match',
  name: 'conntrack',
  opts: [
    'ctstate',
    'ctproto',
    'ctorigsrc',
    'ctorigdst',
    'ctreplsrc',
    'ctrepldst',
    'ctorigsrcport',
    'ctorigdstport',
    'ctreplsrcport',
    'ctrepldstport',
    'ctstatus',
    'ctexpire',
    'ctdir',
  ].map((name) => ({
    name,
    has_arg: 1 as const,
  })),
  init: () => ({
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
  }),
  parse(opt, m, ctx) {
    const v = ctx.arg;
    const set = (flag: number): void => {
      m.flags |= flag;
      if (ctx.invert) m.invflags |= flag;
    };
    const prange = (): PortRange => {
      const [x, y] = v.split(':');
      const lo = parsePort(x ?? '', 'tcp');
      return [lo, y === undefined ? lo : parsePort(y, 'tcp')];
    };
    switch (opt) {
      case 'ctstate':
        m.statemask = parseStates(v, CT_STATES, 'ctstate');
        set(XT_CONNTRACK_STATE);
        break;
      case 'ctproto': {
        const known = PROTOS.find(([n]) => n === v.toLowerCase());
        const n = known ? known[1] : /^\d+$/.test(v) ? Number(v) : -1;
        if (n < 0 || n > 255) throw paramProblem(`unknown protocol "${v}" specified`);
        if (n === 0) throw paramProblem('conntrack: --ctproto: protocol 0 not allowed');
        m.l4proto = n;
        set(XT_CONNTRACK_PROTO);
        break;
      }
      case 'ctorigsrc':
        m.origsrc = parseHostMask(v, true);
        set(XT_CONNTRACK_ORIGSRC);
        break;
      case 'ctorigdst':
        m.origdst = parseHostMask(v, true);
        set(XT_CONNTRACK_ORIGDST);
        break;
      case 'ctreplsrc':
        m.replsrc = parseHostMask(v, true);
        set(XT_CONNTRACK_REPLSRC);
        break;
      case 'ctrepldst':
        m.repldst = parseHostMask(v, true);
        set(XT_CONNTRACK_REPLDST);
        break;
      case 'ctorigsrcport':
        m.origsrcPort = prange();
        set(XT_CONNTRACK_ORIGSRC_PORT);
        break;
      case 'ctorigdstport':
        m.origdstPort = prange();
        set(XT_CONNTRACK_ORIGDST_PORT);
        break;
      case 'ctreplsrcport':
        m.replsrcPort = prange();
        set(XT_CONNTRACK_REPLSRC_PORT);
        break;
      case 'ctrepldstport':
        m.repldstPort = prange();
        set(XT_CONNTRACK_REPLDST_PORT);
        break;
      case 'ctstatus': {
        let mask = 0;
        for (const w of v.split(',')) {
          if (w.toUpperCase() === 'NONE') continue;
          const e = CT_STATUS.find(([n]) => n === w.toUpperCase());
          if (!e) throw paramProblem(`Bad ctstatus "${w}"`);
          mask |= e[1];
        }
        m.statusmask = mask;
        set(XT_CONNTRACK_STATUS);
        break;
      }
      case 'ctexpire': {
        const [x, y] = v.split(':');
        const lo = Number(x);
        const hi = y === undefined ? lo : Number(y);
        if (!/^\d+$/.test(x ?? '') || (y !== undefined && !/^\d+$/.test(y))) throw paramProblem(`expire value invalid: "${v}"`);
        if (lo > hi) throw paramProblem(`expire min. range value "${lo}" greater than max. range value "${hi}"`);
        m.expires = [lo, hi];
        set(XT_CONNTRACK_EXPIRES);
        break;
      }
      case 'ctdir':
        if (v.toUpperCase() === 'ORIGINAL') m.invflags &= ~XT_CONNTRACK_DIRECTION;
        else if (v.toUpperCase() === 'REPLY') m.invflags |= XT_CONNTRACK_DIRECTION;
        else throw paramProblem(`Unknown --ctdir "${v}"`);
        m.flags |= XT_CONNTRACK_DIRECTION;
        break;
    }
  },
  finalCheck(m) {
    if (m.flags === 0) throw paramProblem('conntrack: At least one option is required');
  },
  print: (m) => conntrackText(m, false),
  save: (m) => conntrackText(m, true),
};
