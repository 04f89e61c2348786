// tc/m_gact.c: the generic actions (`drop`, `pass`, `ok`, `reclassify`,
// `pipe`, `continue`, `goto chain N`, `jump N`, with `random netrand|determ
// ACTION VAL`, `index N`); a bare verdict after `action` is gact.
import { PGACT_DETERM, PGACT_NETRAND, type TcGactOptions, type TcGactP, type TcGen } from '../../../kernel/uapi/pkt_cls.ts';
import type { TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { ActionUtil } from './tc_common.ts';
import { type ActHolder, parse_action_control, print_action_control, print_tm } from './m_action.ts';
import { type Args, PRINT_ANY, type Tc, TcExit, get_u32, matches } from './tc_util.ts';

function usage(tc: Tc): never {
  tc.err(
    'Usage: ... gact <ACTION> [RAND] [INDEX]\n' +
      'Where: \tACTION := reclassify | drop | continue | pass | pipe |\n' +
      '       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>\n' +
      '\tRAND := random <RANDTYPE> <ACTION> <VAL>\n' +
      '\tRANDTYPE := netrand | determ\n' +
      '\tVAL : = value not exceeding 10000\n' +
      '\tJUMP_COUNT := Absolute jump from start of action list\n' +
      '\tINDEX := index value used\n' +
      '\n',
  );
  throw new TcExit(255);
}

function prob_n2a(p: number): string {
  if (p === PGACT_NETRAND) return 'netrand';
  if (p === PGACT_DETERM) return 'determ';
  return 'none';
}

/** parse_gact() */
function parse_gact(_au: ActionUtil, tc: Tc, args: Args, _tca_id: number, req: unknown): number {
  const p: TcGen = { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0 };
  let pp: TcGactP | null = null;
  if (matches(args.cur, 'gact')) args.next();
  const indexOnly = matches(args.cur, 'index');
  if (!indexOnly) {
    const a = parse_action_control(tc, args, false);
    if (a === null) usage(tc);
    p.action = a;
    if (args.more) {
      if (matches(args.cur, 'random')) {
        const t = args.next();
        let ptype: number;
        if (matches(t, 'netrand')) ptype = PGACT_NETRAND;
        else if (matches(t, 'determ')) ptype = PGACT_DETERM;
        else {
          tc.err('Illegal "random type"\n');
          return -1;
        }
        args.next();
        const pa = parse_action_control(tc, args, false);
        if (pa === null) usage(tc);
        const v = args.more ? get_u32(args.cur, 10) : null;
        if (v === null || v > 0xffff) {
          tc.err('Illegal probability val 0x0\n');
          return -1;
        }
        if (v > 10000) {
          tc.err(`Illegal probability val  0x${v.toString(16)}\n`);
          return -1;
        }
        pp = { ptype, paction: pa, pval: v };
        args.skip();
      } else if (matches(args.cur, 'help')) usage(tc);
    }
  }
  if (indexOnly || args.more) {
    if (indexOnly || matches(args.cur, 'index')) {
      const v = get_u32(args.next(), 10);
      if (v === null) {
        tc.err('Illegal "index"\n');
        return -1;
      }
      p.index = v;
      args.skip();
    } else if (matches(args.cur, 'help')) usage(tc);
  }
  const o: TcGactOptions = { TCA_GACT_PARMS: p };
  if (pp) o.TCA_GACT_PROB = pp;
  (req as ActHolder).attrs.TCA_ACT_OPTIONS = o;
  return 0;
}

/** print_gact() */
function print_gact(_au: ActionUtil, tc: Tc, arg: TcOptions | undefined): number {
  tc.print_string(PRINT_ANY, 'kind', '%s ', 'gact');
  if (arg === undefined) return 0;
  const o = arg as TcGactOptions;
  const p = o.TCA_GACT_PARMS;
  if (!p) {
    tc.err('Missing gact parameters\n');
    return -1;
  }
  print_action_control(tc, 'action ', p.action, '');
  const pp = o.TCA_GACT_PROB ?? { ptype: 0, paction: 0, pval: 0 };
  tc.open_json_object('prob');
  tc.print_nl();
  tc.print_string(PRINT_ANY, 'random_type', '\t random type %s', prob_n2a(pp.ptype));
  print_action_control(tc, ' ', pp.paction, ' ');
  tc.print_int(PRINT_ANY, 'val', 'val %d', pp.pval);
  tc.close_json_object();
  tc.print_nl();
  tc.print_uint(PRINT_ANY, 'index', '\t index %u', p.index);
  tc.print_int(PRINT_ANY, 'ref', ' ref %d', p.refcnt);
  tc.print_int(PRINT_ANY, 'bind', ' bind %d', p.bindcnt);
  if (tc.opts.stats && o.TCA_GACT_TM) print_tm(tc, o.TCA_GACT_TM);
  tc.print_nl();
  return 0;
}

export const gact_action_util: ActionUtil = { id: 'gact', parse_aopt: parse_gact, print_aopt: print_gact };
