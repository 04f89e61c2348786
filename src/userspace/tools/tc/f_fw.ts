// tc/f_fw.c: `fw [classid CLASSID] [indev DEV] [action …]` with the mark as
// the handle (`handle MARK[/MASK]`).
import type { TcFwOptions } from '../../../kernel/uapi/pkt_cls.ts';
import type { TcaAct, TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { FilterUtil } from './tc_common.ts';
import { parse_action, tc_print_action } from './m_action.ts';
import { Args, type Tc, get_tc_classid, get_u32, matches, sprint_tc_classid } from './tc_util.ts';

function explain(tc: Tc): void {
  tc.err(
    'Usage: ... fw [ classid CLASSID ] [ indev DEV ] [ action ACTION_SPEC ]\n' +
      '\tCLASSID := Push matching packets to the class identified by CLASSID with format X:Y\n' +
      '\t\tCLASSID is parsed as hexadecimal input.\n' +
      '\tDEV := specify device for incoming device classification.\n' +
      '\tACTION_SPEC := Apply an action on matching packets.\n' +
      '\tNOTE: handle is represented as HANDLE[/FWMASK].\n' +
      '\t\tFWMASK is 0xffffffff by default.\n',
  );
}

function fw_parse_opt(_fu: FilterUtil, tc: Tc, handle: string | null, argv: readonly string[], req: TcMsg): number {
  let mask: number | null = null;
  if (handle !== null) {
    const slash = handle.indexOf('/');
    const h = get_u32(slash >= 0 ? handle.slice(0, slash) : handle, 0);
    if (h === null) {
      tc.err('Illegal "handle"\n');
      return -1;
    }
    req.tcm.tcm_handle = h;
    if (slash >= 0) {
      mask = get_u32(handle.slice(slash + 1), 0);
      if (mask === null) {
        tc.err('Illegal "handle" mask\n');
        return -1;
      }
    }
  }
  if (!argv.length) return 0;
  const o: TcFwOptions = {};
  if (mask !== null) o.TCA_FW_MASK = mask;
  const args = new Args(tc, argv);
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'classid') || matches(w, 'flowid')) {
      const c = get_tc_classid(args.next());
      if (c === null) {
        tc.err('Illegal "classid"\n');
        return -1;
      }
      o.TCA_FW_CLASSID = c;
    } else if (matches(w, 'police')) {
      tc.err('skbpath: tc: fw "police" (the old form) is not simulated; use "action police"\n');
      return -1;
    } else if (matches(w, 'action')) {
      args.next();
      const list: TcaAct[] = [];
      if (parse_action(tc, args, list)) {
        tc.err('Illegal fw "action"\n');
        return -1;
      }
      o.TCA_FW_ACT = list as TcFwOptions['TCA_FW_ACT'];
      continue;
    } else if (w === 'indev') {
      args.skip();
      if (!args.more) {
        tc.err('Illegal indev\n');
        return -1;
      }
      o.TCA_FW_INDEV = args.cur.slice(0, 16);
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

function fw_print_opt(_fu: FilterUtil, tc: Tc, opt: TcOptions | undefined, handle: number): number {
  if (opt === undefined) return 0;
  const o = opt as TcFwOptions;
  if (handle || o.TCA_FW_MASK !== undefined) {
    const mask = o.TCA_FW_MASK;
    if (mask !== undefined && mask !== 0xffffffff) tc.out(`handle 0x${handle.toString(16)}/0x${mask.toString(16)} `);
    else tc.out(`handle 0x${handle.toString(16)} `);
  }
  if (o.TCA_FW_CLASSID !== undefined) tc.out(`classid ${sprint_tc_classid(o.TCA_FW_CLASSID)} `);
  if (o.TCA_FW_INDEV !== undefined) tc.out(`input dev ${o.TCA_FW_INDEV} `);
  if (o.TCA_FW_ACT) {
    tc.out('\n');
    tc_print_action(tc, o.TCA_FW_ACT as unknown as TcaAct[]);
  }
  return 0;
}

export const fw_filter_util: FilterUtil = { id: 'fw', parse_fopt: fw_parse_opt, print_fopt: fw_print_opt };
