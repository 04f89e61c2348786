// libxt_connmark: --mark VALUE[/MASK] against the connection's mark. The CONNMARK target is here too (libxt_CONNMARK).
import { XT_CONNMARK_RESTORE, XT_CONNMARK_SAVE, XT_CONNMARK_SET } from '../../../kernel/uapi/x_tables.ts';
import { hex, paramProblem, parseNum, parseValueMask } from './xshared.ts';
import type { MatchExt, TargetExt } from './xtables.ts';

export const libxt_connmark: MatchExt<'connmark'> = {
  type: 'match',
  name: 'connmark',
  opts: [{ name: 'mark', has_arg: 1 }],
  init: () => ({ name: 'connmark', mark: 0, mask: 0xffffffff, invert: false }),
  parse(_opt, m, ctx) {
    const [x, y] = ctx.arg.split('/');
    const mv = parseNum(x ?? '');
    const mm = y === undefined ? 0xffffffff : parseNum(y);
    if (mv === null || mm === null) throw paramProblem('connmark: bad integer value for option "--mark", or out of range.');
    [m.mark, m.mask] = [mv, mm];
    m.invert = ctx.invert;
  },
  print: (m) => ` connmark match ${m.invert ? '!' : ''} ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`,
  save: (m) => `${m.invert ? ' !' : ''} --mark ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`,
};

export const libxt_CONNMARK: TargetExt<'CONNMARK'> = {
  type: 'target',
  name: 'CONNMARK',
  kind: 'CONNMARK',
  // connmark_tg_opts[] order; the operations exclude each other
  opts: (
    ['set-xmark', 'save-mark', 'restore-mark', 'and-mark', 'or-mark', 'xor-mark', 'set-mark', 'nfmask', 'ctmask', 'mask'] as const
  ).map((name) => {
    const ops = ['set-xmark', 'save-mark', 'restore-mark', 'and-mark', 'or-mark', 'xor-mark', 'set-mark'];
    return {
      name,
      has_arg: name === 'save-mark' || name === 'restore-mark' ? (0 as const) : (1 as const),
      excl: ops.includes(name) ? ops.filter((o) => o !== name) : [],
    };
  }),
  init: () => ({ kind: 'CONNMARK', mode: -1, ctmark: 0, ctmask: 0xffffffff, nfmask: 0xffffffff }),
  parse(opt, t, ctx) {
    const num = (v: string): number => {
      const n = parseNum(v);
      if (n === null) throw paramProblem(`Bad mark value "${v}"`);
      return n;
    };
    switch (opt) {
      case 'set-xmark':
      case 'set-mark': {
        const [v, m] = parseValueMask(ctx.arg, 'mark');
        t.mode = XT_CONNMARK_SET;
        t.ctmark = v;
        t.ctmask = opt === 'set-mark' ? (m | v) >>> 0 : m;
        break;
      }
      case 'and-mark':
        t.mode = XT_CONNMARK_SET;
        t.ctmark = 0;
        t.ctmask = ~num(ctx.arg) >>> 0;
        break;
      case 'or-mark': {
        const v = num(ctx.arg);
        t.mode = XT_CONNMARK_SET;
        t.ctmark = t.ctmask = v;
        break;
      }
      case 'xor-mark':
        t.mode = XT_CONNMARK_SET;
        t.ctmark = num(ctx.arg);
        t.ctmask = 0;
        break;
      case 'save-mark':
        t.mode = XT_CONNMARK_SAVE;
        break;
      case 'restore-mark':
        t.mode = XT_CONNMARK_RESTORE;
        break;
      case 'mask':
        t.nfmask = t.ctmask = num(ctx.arg);
        break;
      case 'nfmask':
        t.nfmask = num(ctx.arg);
        break;
      case 'ctmask':
        t.ctmask = num(ctx.arg);
        break;
    }
  },
  finalCheck(t) {
    if (t.mode < 0) throw paramProblem('CONNMARK target: No operation specified');
  },
  print(t) {
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
  },
  save(t) {
    if (t.mode === XT_CONNMARK_SET) return ` -j CONNMARK --set-xmark ${hex(t.ctmark)}/${hex(t.ctmask)}`;
    return ` -j CONNMARK --${t.mode === XT_CONNMARK_SAVE ? 'save' : 'restore'}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
  },
};
