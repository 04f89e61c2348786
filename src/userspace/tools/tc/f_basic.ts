// tc/f_basic.c without ematches: `basic [classid CLASSID] [action …]` matches
// every packet; `match EMATCH_TREE` is not simulated.
import type { TcBasicOptions } from '../../../kernel/uapi/pkt_cls.ts';
import type { TcaAct, TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { FilterUtil } from './tc_common.ts';
import { strtol_handle } from './f_matchall.ts';
import { parse_action, tc_print_action } from './m_action.ts';
import { Args, PRINT_ANY, type Tc, get_tc_classid, matches, sprint_tc_classid } from './tc_util.ts';

function explain(tc: Tc): void {
  tc.err(
    'Usage: ... basic [ match EMATCH_TREE ]\n' +
      '                 [ action ACTION_SPEC ] [ classid CLASSID ]\n' +
      '\n' +
      'Where:\tSELECTOR := SAMPLE SAMPLE ...\n' +
      '\tFILTERID := X:Y:Z\n' +
      '\tACTION_SPEC := ... look at individual actions\n' +
      '\n' +
      'NOTE: CLASSID is parsed as hexadecimal input.\n',
  );
}

function basic_parse_opt(_fu: FilterUtil, tc: Tc, handle: string | null, argv: readonly string[], req: TcMsg): number {
  req.tcm.tcm_handle = handle !== null ? strtol_handle(handle) : 0;
  if (!argv.length) return 0;
  const o: TcBasicOptions = {};
  const args = new Args(tc, argv);
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'match')) {
      tc.err('skbpath: tc: basic ematches are not simulated\n');
      return -1;
    } else if (matches(w, 'classid') || w === 'flowid') {
      const c = get_tc_classid(args.next());
      if (c === null) {
        tc.err('Illegal "classid"\n');
        return -1;
      }
      o.TCA_BASIC_CLASSID = c;
    } else if (matches(w, 'action')) {
      args.next();
      const list: TcaAct[] = [];
      if (parse_action(tc, args, list)) {
        tc.err('Illegal "action"\n');
        return -1;
      }
      o.TCA_BASIC_ACT = list as TcBasicOptions['TCA_BASIC_ACT'];
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
  req.attrs.TCA_OPTIONS = o as TcOptions;
  return 0;
}

function basic_print_opt(_fu: FilterUtil, tc: Tc, opt: TcOptions | undefined, handle: number): number {
  if (opt === undefined) return 0;
  const o = opt as TcBasicOptions;
  if (handle) tc.print_string(PRINT_ANY, 'handle', 'handle 0x%s ', handle.toString(16));
  if (o.TCA_BASIC_CLASSID !== undefined) tc.print_string(PRINT_ANY, 'flowid', 'flowid %s ', sprint_tc_classid(o.TCA_BASIC_CLASSID));
  if (o.TCA_BASIC_ACT) tc_print_action(tc, o.TCA_BASIC_ACT as unknown as TcaAct[]);
  return 0;
}

export const basic_filter_util: FilterUtil = { id: 'basic', parse_fopt: basic_parse_opt, print_fopt: basic_print_opt };
