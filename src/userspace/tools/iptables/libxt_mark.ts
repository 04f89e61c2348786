// libxt_mark: --mark VALUE[/MASK]. The MARK target is here too (libxt_MARK).
import { hex, paramProblem, parseNum, parseValueMask } from './xshared.ts';
import type { MatchExt, TargetExt } from './xtables.ts';

export const libxt_mark: MatchExt<'mark'> = {
  type: 'match',
  name: 'mark',
  opts: [{ name: 'mark', has_arg: 1 }],
  init: () => ({ name: 'mark', mark: 0, mask: 0xffffffff, invert: false }),
  parse(_opt, m, ctx) {
    const [x, y] = ctx.arg.split('/');
    const mv = parseNum(x ?? '');
    const mm = y === undefined ? 0xffffffff : parseNum(y);
    if (mv === null || mm === null) throw paramProblem('mark: bad integer value for option "--mark", or out of range.\n');
    [m.mark, m.mask] = [mv, mm];
    m.invert = ctx.invert;
  },
  print: (m) => ` mark match${m.invert ? ' !' : ''} ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`,
  save: (m) => `${m.invert ? ' !' : ''} --mark ${hex(m.mark)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`,
};

export const libxt_MARK: TargetExt<'MARK'> = {
  type: 'target',
  name: 'MARK',
  kind: 'MARK',
  opts: ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'].map((name, _i, all) => ({
    name,
    has_arg: 1 as const,
    excl: all.filter((o) => o !== name),
  })),
  init: () => ({ kind: 'MARK', value: 0, mask: 0 }),
  parse(opt, t, ctx) {
    ctx.seen.add(opt);
    const v = ctx.arg;
    if (opt === 'set-xmark' || opt === 'set-mark') {
      [t.value, t.mask] = parseValueMask(v, 'mark');
      if (opt === 'set-mark') t.mask = (t.mask | t.value) >>> 0;
      return;
    }
    const n = parseNum(v);
    if (n === null) throw paramProblem(`Bad mark value "${v}"`);
    if (opt === 'and-mark') [t.value, t.mask] = [0, ~n >>> 0];
    else if (opt === 'or-mark') [t.value, t.mask] = [n, n];
    else [t.value, t.mask] = [n, 0];
  },
  finalCheck(_t, seen) {
    if (!seen.size) throw paramProblem('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
  },
  print(t) {
    if (t.mask === 0xffffffff) return ` MARK set ${hex(t.value)}`;
    if (t.value === 0) return ` MARK and ${hex(~t.mask >>> 0)}`;
    if (t.value === t.mask) return ` MARK or ${hex(t.value)}`;
    if (t.mask === 0) return ` MARK xor ${hex(t.value)}`;
    return ` MARK xset ${hex(t.value)}/${hex(t.mask)}`;
  },
  save: (t) => ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`,
};
