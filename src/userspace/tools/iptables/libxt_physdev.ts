// libxt_physdev: [!] --physdev-in NAME[+], [!] --physdev-out NAME[+],
// [!] --physdev-is-in, [!] --physdev-is-out, [!] --physdev-is-bridged.
import {
  XT_PHYSDEV_OP_BRIDGED,
  XT_PHYSDEV_OP_IN,
  XT_PHYSDEV_OP_ISIN,
  XT_PHYSDEV_OP_ISOUT,
  XT_PHYSDEV_OP_OUT,
} from '../../../kernel/uapi/x_tables.ts';
import { paramProblem } from './xshared.ts';
import type { MatchExt } from './xtables.ts';

const IFNAMSIZ = 16;

const OPS: Record<string, number> = {
  'physdev-in': XT_PHYSDEV_OP_IN,
  'physdev-out': XT_PHYSDEV_OP_OUT,
  'physdev-is-in': XT_PHYSDEV_OP_ISIN,
  'physdev-is-out': XT_PHYSDEV_OP_ISOUT,
  'physdev-is-bridged': XT_PHYSDEV_OP_BRIDGED,
};

/** xtables_parse_interface(): at most IFNAMSIZ - 1 characters ('+' kept: it is the wildcard). */
function parseInterface(arg: string): string {
  if (arg.length + 1 > IFNAMSIZ) throw paramProblem(`interface name \`${arg}' must be shorter than IFNAMSIZ (${IFNAMSIZ - 1})`);
  return arg;
}

export const libxt_physdev: MatchExt<'physdev'> = {
  type: 'match',
  name: 'physdev',
  opts: [
    { name: 'physdev-in', has_arg: 1 },
    { name: 'physdev-out', has_arg: 1 },
    { name: 'physdev-is-in', has_arg: 0 },
    { name: 'physdev-is-out', has_arg: 0 },
    { name: 'physdev-is-bridged', has_arg: 0 },
  ],
  init: () => ({ name: 'physdev', physindev: '', physoutdev: '', invert: 0, bitmask: 0 }),
  parse(opt, m, ctx) {
    const op = OPS[opt] as number;
    if (op === XT_PHYSDEV_OP_IN) m.physindev = parseInterface(ctx.arg);
    else if (op === XT_PHYSDEV_OP_OUT) m.physoutdev = parseInterface(ctx.arg);
    m.bitmask |= op;
    if (ctx.invert) m.invert |= op;
  },
  finalCheck(m) {
    if (m.bitmask === 0) throw paramProblem('PHYSDEV: no physdev option specified');
  },
  print(m) {
    const neg = (op: number): string => (m.invert & op ? ' !' : '');
    let s = ' PHYSDEV match';
    if (m.bitmask & XT_PHYSDEV_OP_ISIN) s += `${neg(XT_PHYSDEV_OP_ISIN)} --physdev-is-in`;
    if (m.bitmask & XT_PHYSDEV_OP_IN) s += `${neg(XT_PHYSDEV_OP_IN)} --physdev-in ${m.physindev}`;
    if (m.bitmask & XT_PHYSDEV_OP_ISOUT) s += `${neg(XT_PHYSDEV_OP_ISOUT)} --physdev-is-out`;
    if (m.bitmask & XT_PHYSDEV_OP_OUT) s += `${neg(XT_PHYSDEV_OP_OUT)} --physdev-out ${m.physoutdev}`;
    if (m.bitmask & XT_PHYSDEV_OP_BRIDGED) s += `${neg(XT_PHYSDEV_OP_BRIDGED)} --physdev-is-bridged`;
    return s;
  },
  save(m) {
    const neg = (op: number): string => (m.invert & op ? ' !' : '');
    let s = '';
    if (m.bitmask & XT_PHYSDEV_OP_ISIN) s += `${neg(XT_PHYSDEV_OP_ISIN)} --physdev-is-in`;
    if (m.bitmask & XT_PHYSDEV_OP_IN) s += `${neg(XT_PHYSDEV_OP_IN)} --physdev-in ${m.physindev}`;
    if (m.bitmask & XT_PHYSDEV_OP_ISOUT) s += `${neg(XT_PHYSDEV_OP_ISOUT)} --physdev-is-out`;
    if (m.bitmask & XT_PHYSDEV_OP_OUT) s += `${neg(XT_PHYSDEV_OP_OUT)} --physdev-out ${m.physoutdev}`;
    if (m.bitmask & XT_PHYSDEV_OP_BRIDGED) s += `${neg(XT_PHYSDEV_OP_BRIDGED)} --physdev-is-bridged`;
    return s;
  },
};
