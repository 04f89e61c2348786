// tc/f_matchall.c: `matchall [skip_sw|skip_hw] [classid CLASSID] [action …]`.
import {
  TCA_CLS_FLAGS_IN_HW,
  TCA_CLS_FLAGS_NOT_IN_HW,
  TCA_CLS_FLAGS_SKIP_HW,
  TCA_CLS_FLAGS_SKIP_SW,
  type TcMatchallOptions,
} from '../../../kernel/uapi/pkt_cls.ts';
import type { TcaAct, TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { FilterUtil } from './tc_common.ts';
import { parse_action, tc_print_action } from './m_action.ts';
import { Args, PRINT_ANY, type Tc, get_tc_classid, matches, sprint_tc_classid } from './tc_util.ts';

function explain(tc: Tc): void {
  tc.err(
    'Usage: ... matchall [skip_sw | skip_hw]\n' +
      '                 [ action ACTION_SPEC ] [ classid CLASSID ]\n' +
      '\n' +
      'Where: SELECTOR := SAMPLE SAMPLE ...\n' +
      '       FILTERID := X:Y:Z\n' +
      '       ACTION_SPEC := ... look at individual actions\n' +
      '\n' +
      'NOTE: CLASSID is parsed as hexadecimal input.\n',
  );
}

/** strtol(handle, NULL, 0) as the numeric filters take their handle. */
export function strtol_handle(s: string): number {
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(s);
  if (!m) return 0;
  const body = m[2] as string;
  const v = /^0[xX]/.test(body)
    ? Number.parseInt(body.slice(2), 16)
    : body.length > 1 && body[0] === '0'
      ? Number.parseInt(body, 8)
      : Number(body);
  return (m[1] === '-' ? -v : v) >>> 0;
}

function matchall_parse_opt(_fu: FilterUtil, tc: Tc, handle: string | null, argv: readonly string[], req: TcMsg): number {
  req.tcm.tcm_handle = handle !== null ? strtol_handle(handle) : 0;
  if (!argv.length) return 0;
  const o: TcMatchallOptions = {};
  let flags = 0;
  const args = new Args(tc, argv);
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'classid') || w === 'flowid') {
      const c = get_tc_classid(args.next());
      if (c === null) {
        tc.err('Illegal "classid"\n');
        return -1;
      }
      o.TCA_MATCHALL_CLASSID = c;
    } else if (matches(w, 'action')) {
      args.next();
      const list: TcaAct[] = [];
      if (parse_action(tc, args, list)) {
        tc.err('Illegal "action"\n');
        return -1;
      }
      o.TCA_MATCHALL_ACT = list as TcMatchallOptions['TCA_MATCHALL_ACT'];
      continue;
    } else if (w === 'skip_hw' || w === 'skip_sw') {
      args.next();
      flags |= w === 'skip_hw' ? TCA_CLS_FLAGS_SKIP_HW : TCA_CLS_FLAGS_SKIP_SW;
      continue;
    } else if (w === 'help') {
      explain(tc);
      return -1;
    } else {
      tc.err(`What is "${w}"?\n`);
      explain(tc);
      return -1;
    }
    args.skip();
  }
  if (flags) {
    if (!(flags ^ (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW))) {
      tc.err('skip_hw and skip_sw are mutually exclusive\n');
      return -1;
    }
    o.TCA_MATCHALL_FLAGS = flags;
  }
  req.attrs.TCA_OPTIONS = o as TcOptions;
  return 0;
}

function matchall_print_opt(_fu: FilterUtil, tc: Tc, opt: TcOptions | undefined, handle: number): number {
  if (opt === undefined) return 0;
  const o = opt as TcMatchallOptions;
  // print_uint: a number in JSON
  if (handle) tc.print_uint(PRINT_ANY, 'handle', 'handle 0x%x ', handle);
  if (o.TCA_MATCHALL_CLASSID !== undefined) tc.print_string(PRINT_ANY, 'flowid', 'flowid %s ', sprint_tc_classid(o.TCA_MATCHALL_CLASSID));
  if (o.TCA_MATCHALL_FLAGS !== undefined) {
    const f = o.TCA_MATCHALL_FLAGS;
    if (f & TCA_CLS_FLAGS_SKIP_HW) tc.print_bool(PRINT_ANY, 'skip_hw', '\n  skip_hw', true);
    if (f & TCA_CLS_FLAGS_SKIP_SW) tc.print_bool(PRINT_ANY, 'skip_sw', '\n  skip_sw', true);
    if (f & TCA_CLS_FLAGS_IN_HW) tc.print_bool(PRINT_ANY, 'in_hw', '\n  in_hw', true);
    else if (f & TCA_CLS_FLAGS_NOT_IN_HW) tc.print_bool(PRINT_ANY, 'not_in_hw', '\n  not_in_hw', true);
  }
  if (tc.opts.stats && o.TCA_MATCHALL_PCNT) tc.print_u64(PRINT_ANY, 'rule_hit', ' (rule hit %llu)', o.TCA_MATCHALL_PCNT.rhit);
  if (o.TCA_MATCHALL_ACT) tc_print_action(tc, o.TCA_MATCHALL_ACT as unknown as TcaAct[]);
  return 0;
}

export const matchall_filter_util: FilterUtil = { id: 'matchall', parse_fopt: matchall_parse_opt, print_fopt: matchall_print_opt };
