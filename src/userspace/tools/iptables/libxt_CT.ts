// libxt_CT: the CT target (--notrack, --zone) and NOTRACK, its alias.
import { paramProblem } from './xshared.ts';
import type { TargetExt } from './xtables.ts';

export const libxt_CT: TargetExt<'CT'> = {
  type: 'target',
  name: 'CT',
  kind: 'CT',
  opts: [
    { name: 'notrack', has_arg: 0 },
    { name: 'ctevents', has_arg: 1 },
    { name: 'expevents', has_arg: 1 },
    { name: 'zone', has_arg: 1 },
    { name: 'zone-orig', has_arg: 1 },
    { name: 'zone-reply', has_arg: 1 },
    { name: 'helper', has_arg: 1 },
    { name: 'timeout', has_arg: 1 },
  ],
  init: () => ({ kind: 'CT', notrack: false, zone: 0, alias: false }),
  parse(opt, t, ctx) {
    if (opt === 'notrack') t.notrack = true;
    else if (opt === 'zone') {
      const v = ctx.arg;
      if (!/^\d+$/.test(v) || Number(v) > 65535) throw paramProblem(`Bad zone value "${v}"`);
      t.zone = Number(v);
    } else throw paramProblem(`unknown option "${ctx.opt}"`);
  },
  print(t) {
    if (t.alias) return ' NOTRACK';
    if (t.notrack) return ' CT notrack';
    return ` CT${t.zone ? ` zone ${t.zone}` : ''}`;
  },
  save(t) {
    if (t.alias) return ' -j NOTRACK';
    return ` -j CT${t.notrack ? ' --notrack' : ''}${t.zone ? ` --zone ${t.zone}` : ''}`;
  },
};

/** -j NOTRACK: CT --notrack under its old name (printed as NOTRACK). */
export const libxt_NOTRACK: TargetExt<'CT'> = {
  ...libxt_CT,
  name: 'NOTRACK',
  opts: [],
  init: () => ({ kind: 'CT', notrack: true, zone: 0, alias: true }),
};
