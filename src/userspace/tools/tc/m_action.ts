// tc/m_action.c and tc_util.c's action helpers: parse_action() (the
// `action KIND …` list a filter or `tc actions` takes; a bare verdict such as
// `drop` is gact), parse_action_control(), the action printers
// (tc_print_action with "action order N:", -s statistics) and `tc actions`.
import {
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  RTM_DELACTION,
  RTM_GETACTION,
  RTM_NEWACTION,
  type TcaAct,
  type TcActionMsg,
  type TcMsg,
  tc_talk,
} from '../../../kernel/uapi/rtnetlink_tc.ts';
import { TC_ACT_EXT_CMP, TC_ACT_EXT_VAL_MASK, TC_ACT_GOTO_CHAIN, TC_ACT_JUMP, type TcfT } from '../../../kernel/uapi/pkt_cls.ts';
import type { ActionUtil } from './tc_common.ts';
import { get_action_kind } from './modules.ts';
import { Args, PRINT_ANY, PRINT_FP, PRINT_JSON, type Tc, get_u32, matches } from './tc_util.ts';

const NLM_F_ROOT = 0x100;
const TCA_ACT_FLAGS_NO_PERCPU_STATS = 1;
const TCA_ACT_FLAGS_SKIP_HW = 2;
const TCA_ACT_FLAGS_SKIP_SW = 4;

/** action_n2a() */
export function action_n2a(action: number): string {
  if (TC_ACT_EXT_CMP(action, TC_ACT_GOTO_CHAIN)) return 'goto';
  if (TC_ACT_EXT_CMP(action, TC_ACT_JUMP)) return 'jump';
  switch (action) {
    case -1:
      return 'continue';
    case 0:
      return 'pass';
    case 2:
      return 'drop';
    case 1:
      return 'reclassify';
    case 3:
      return 'pipe';
    case 4:
      return 'stolen';
    case 8:
      return 'trap';
    default:
      return String(action | 0);
  }
}

const A2N: readonly (readonly [string, number])[] = [
  ['continue', -1],
  ['drop', 2],
  ['shot', 2],
  ['pass', 0],
  ['ok', 0],
  ['reclassify', 1],
  ['pipe', 3],
  ['goto', TC_ACT_GOTO_CHAIN | 0],
  ['jump', TC_ACT_JUMP],
  ['trap', 8],
];

/** action_a2n(): a verdict name (abbreviations allowed), or a number when allow_num. */
export function action_a2n(arg: string, allow_num: boolean): number | null {
  for (const [a, n] of A2N) if (matches(arg, a)) return n;
  if (!allow_num || !/^[-+]?\d+$/.test(arg)) return null;
  return Number(arg) | 0;
}

/** __parse_action_control(): the verdict (and `goto chain N` / `jump N`) at the cursor; null on error. */
function __parse_action_control(tc: Tc, args: Args, allow_num: boolean, ignore_a2n_miss: boolean): number | null {
  if (!args.more) return null;
  let result = action_a2n(args.cur, allow_num);
  if (result === null) {
    if (!ignore_a2n_miss) tc.err(`Bad action type ${args.cur}\n`);
    return null;
  }
  if (result === (TC_ACT_GOTO_CHAIN | 0)) {
    const w = args.next();
    if (!matches(w, 'chain')) {
      tc.err('"chain index" expected\n');
      return null;
    }
    const n = get_u32(args.next(), 10);
    if (n === null || n > TC_ACT_EXT_VAL_MASK) {
      tc.err('Illegal "chain index"\n');
      return null;
    }
    result |= n;
  }
  if (result === TC_ACT_JUMP) {
    const w = args.next();
    const n = get_u32(w, 10);
    if (n === null || n > TC_ACT_EXT_VAL_MASK) {
      tc.err(`Invalid "jump count" (${w})\n`);
      return null;
    }
    result |= n;
  }
  args.skip();
  return result;
}

/** parse_action_control() */
export function parse_action_control(tc: Tc, args: Args, allow_num: boolean): number | null {
  return __parse_action_control(tc, args, allow_num, false);
}

/** parse_action_control_dflt() */
export function parse_action_control_dflt(tc: Tc, args: Args, allow_num: boolean, dflt: number): number {
  return __parse_action_control(tc, args, allow_num, true) ?? dflt;
}

/** parse_action_control_slash(): `EXCEED[/NOTEXCEED]` (police's conform-exceed). */
export function parse_action_control_slash(tc: Tc, args: Args, allow_num: boolean): [number, number | null] | null {
  const w = args.cur;
  const slash = w.indexOf('/');
  if (slash < 0) {
    const r = parse_action_control(tc, args, allow_num);
    if (r === null) return null;
    if (args.more && args.cur === '/') {
      args.next();
      const r2 = parse_action_control(tc, args, allow_num);
      if (r2 === null) return null;
      return [r, r2];
    }
    return [r, null];
  }
  const r1 = action_a2n(w.slice(0, slash), allow_num);
  const r2 = action_a2n(w.slice(slash + 1), allow_num);
  if (r1 === null || r2 === null) {
    tc.err(`Bad action type ${w}\n`);
    return null;
  }
  args.skip();
  return [r1, r2];
}

/** print_action_control() */
export function print_action_control(tc: Tc, prefix: string, action: number, suffix: string): void {
  tc.print_string(PRINT_FP, null, '%s', prefix);
  tc.open_json_object('control_action');
  tc.print_string(PRINT_ANY, 'type', '%s', action_n2a(action));
  if (TC_ACT_EXT_CMP(action, TC_ACT_GOTO_CHAIN)) tc.print_uint(PRINT_ANY, 'chain', ' chain %u', action & TC_ACT_EXT_VAL_MASK);
  if (TC_ACT_EXT_CMP(action, TC_ACT_JUMP)) tc.print_uint(PRINT_ANY, 'jump', ' %u', action & TC_ACT_EXT_VAL_MASK);
  tc.close_json_object();
  tc.print_string(PRINT_FP, null, '%s', suffix);
}

/** print_tm(): ages in USER_HZ ticks shown in seconds. */
export function print_tm(tc: Tc, tm: TcfT): void {
  const hz = 100;
  if (tm.install !== 0) tc.print_uint(PRINT_ANY, 'installed', ' installed %u sec', Math.trunc(tm.install / hz));
  if (tm.lastuse !== 0) tc.print_uint(PRINT_ANY, 'last_used', ' used %u sec', Math.trunc(tm.lastuse / hz));
  if (tm.firstuse !== 0) tc.print_uint(PRINT_ANY, 'first_used', ' firstused %u sec', Math.trunc(tm.firstuse / hz));
  if (tm.expires !== 0) tc.print_uint(PRINT_ANY, 'expires', ' expires %u sec', Math.trunc(tm.expires / hz));
}

/** new_cmd(): a word that starts another `tc actions` command. */
function new_cmd(w: string): boolean {
  return matches(w, 'change') || matches(w, 'replace') || matches(w, 'delete') || matches(w, 'get') || matches(w, 'add');
}

/** What an action's parse_aopt writes into: TCA_ACT_OPTIONS of the entry being built. */
export interface ActHolder {
  attrs: { TCA_ACT_OPTIONS?: object };
}

/**
 * parse_action(): the actions from the cursor (`action KIND ARGS …` repeated)
 * into a TCA_ACT_TAB list; stops at classid/flowid or a new command. 0, or
 * -1 after printing why.
 */
export function parse_action(tc: Tc, args: Args, list: TcaAct[]): number {
  let ok = 0;
  let eap = 0;
  if (!args.more) return -1;
  const bad = (): number => {
    tc.err(`parse_action: bad value (${args.left}:${args.more ? args.cur : '(null)'})!\n`);
    return -1;
  };
  while (args.more) {
    const w = args.cur;
    if (w === 'action') {
      args.skip();
      eap = 1;
      continue;
    }
    if (w === 'flowid' || w === 'classid') break;
    if (w === 'help') return -1;
    if (new_cmd(w)) {
      if (ok) break;
      return 0;
    }
    const k = action_a2n(w, false) !== null ? 'gact' : w;
    eap = 0;
    const a = get_action_kind(k);
    if (!a || !a.parse_aopt) return bad();
    const holder: ActHolder = { attrs: {} };
    const at = args.pos;
    const ret = a.parse_aopt(a, tc, args, 2, holder as unknown as TcMsg);
    if (ret < 0) {
      args.pos = at;
      tc.err('bad action parsing\n');
      return bad();
    }
    const ent: TcaAct = { TCA_ACT_KIND: k };
    if (holder.attrs.TCA_ACT_OPTIONS) ent.TCA_ACT_OPTIONS = holder.attrs.TCA_ACT_OPTIONS as TcaAct['TCA_ACT_OPTIONS'];
    if (args.more && args.cur === 'cookie') {
      const c = args.next();
      if (c.length > 32) tc.invarg(`${c.length} Max allowed size 32`, c);
      if (c.length % 2 || !/^[0-9a-fA-F]*$/.test(c)) tc.invarg('cookie must be a hex string\n', c);
      const b = new Uint8Array(c.length / 2);
      for (let i = 0; i < b.length; i++) b[i] = Number.parseInt(c.slice(i * 2, i * 2 + 2), 16);
      ent.TCA_ACT_COOKIE = b;
      args.skip();
    }
    let flag = 0;
    if (args.more && args.cur === 'no_percpu') {
      flag |= TCA_ACT_FLAGS_NO_PERCPU_STATS;
      args.skip();
    }
    for (let i = 0; i < 2; i++) {
      if (args.more && args.cur === 'skip_sw') {
        flag |= TCA_ACT_FLAGS_SKIP_SW;
        args.skip();
      } else if (args.more && args.cur === 'skip_hw') {
        flag |= TCA_ACT_FLAGS_SKIP_HW;
        args.skip();
      }
    }
    if (flag) ent.TCA_ACT_FLAGS = flag;
    list.push(ent);
    ok++;
  }
  if (eap > 0) {
    tc.err(`bad action empty ${eap}\n`);
    return bad();
  }
  return 0;
}

/** tc_print_one_action() */
function tc_print_one_action(tc: Tc, ent: TcaAct, bind: boolean): number {
  if (ent.TCA_ACT_KIND === undefined) {
    tc.err('NULL Action!\n');
    return -1;
  }
  const a = get_action_kind(ent.TCA_ACT_KIND);
  if (!a || !a.print_aopt) return 0;
  const err = a.print_aopt(a, tc, ent.TCA_ACT_OPTIONS);
  if (err < 0) return err;
  if (tc.opts.brief && ent.TCA_ACT_INDEX !== undefined) {
    tc.print_uint(PRINT_ANY, 'index', '\t index %u', ent.TCA_ACT_INDEX);
    tc.print_nl();
  }
  if (tc.opts.stats && ent.TCA_ACT_STATS) {
    const st = ent.TCA_ACT_STATS;
    tc.print_string(PRINT_FP, null, '\tAction statistics:', null);
    tc.print_nl();
    tc.open_json_object('stats');
    tc.print_string(PRINT_FP, null, '%s', '\t');
    tc.print_u64(PRINT_ANY, 'bytes', 'Sent %llu bytes', st.basic.bytes);
    tc.print_uint(PRINT_ANY, 'packets', ' %u pkt', st.basic.packets);
    tc.print_uint(PRINT_ANY, 'drops', ' (dropped %u', st.queue.drops);
    tc.print_uint(PRINT_ANY, 'overlimits', ', overlimits %u', st.queue.overlimits);
    tc.print_uint(PRINT_ANY, 'requeues', ' requeues %u) ', st.queue.requeues);
    tc.print_nl();
    tc.print_string(PRINT_FP, null, '%s', '\t');
    tc.print_size(PRINT_ANY, 'backlog', 'backlog %s', st.queue.backlog);
    tc.print_uint(PRINT_ANY, 'qlen', ' %up', st.queue.qlen);
    tc.print_uint(PRINT_FP, null, ' requeues %u', st.queue.requeues);
    tc.close_json_object();
    tc.print_nl();
  }
  if (ent.TCA_ACT_COOKIE) {
    const hex = [...ent.TCA_ACT_COOKIE].map((b) => b.toString(16).padStart(2, '0')).join('');
    tc.print_string(PRINT_ANY, 'cookie', '\tcookie %s', hex);
    tc.print_nl();
  }
  const inHw = (ent as { TCA_ACT_IN_HW_COUNT?: number }).TCA_ACT_IN_HW_COUNT;
  if (ent.TCA_ACT_FLAGS !== undefined || inHw !== undefined) {
    let newline = false;
    let skip_hw = false;
    const f = ent.TCA_ACT_FLAGS ?? 0;
    if (f & TCA_ACT_FLAGS_NO_PERCPU_STATS) {
      newline = true;
      tc.print_bool(PRINT_ANY, 'no_percpu', '\tno_percpu', true);
    }
    if (!bind) {
      if (f & TCA_ACT_FLAGS_SKIP_HW) {
        newline = true;
        tc.print_bool(PRINT_ANY, 'skip_hw', '\tskip_hw', true);
        skip_hw = true;
      }
      if (f & TCA_ACT_FLAGS_SKIP_SW) {
        newline = true;
        tc.print_bool(PRINT_ANY, 'skip_sw', '\tskip_sw', true);
      }
    }
    if (inHw !== undefined && !bind && !skip_hw) {
      newline = true;
      if (inHw) {
        tc.print_bool(PRINT_ANY, 'in_hw', '\tin_hw', true);
        tc.print_uint(PRINT_ANY, 'in_hw_count', ' in_hw_count %u', inHw);
      } else tc.print_bool(PRINT_ANY, 'not_in_hw', '\tnot_in_hw', true);
    }
    if (newline) tc.print_nl();
  }
  const used = (ent as { TCA_ACT_USED_HW_STATS?: number }).TCA_ACT_USED_HW_STATS;
  if (used !== undefined) {
    // print_hw_stats(): the kinds of hardware statistics the action used
    tc.print_string(PRINT_FP, null, '\t', null);
    tc.open_json_array(PRINT_ANY, 'used_hw_stats');
    if (!used) tc.print_string(PRINT_ANY, null, ' %s', 'disabled');
    if (used & 1) tc.print_string(PRINT_ANY, null, ' %s', 'immediate');
    if (used & 2) tc.print_string(PRINT_ANY, null, ' %s', 'delayed');
    tc.close_json_array(PRINT_JSON, null);
    tc.print_nl();
  }
  return 0;
}

/** tc_dump_action(): "action order N:" for each (the list index + 1 is the order; `tc actions` counts from 0). */
function tc_dump_action(tc: Tc, list: readonly TcaAct[] | undefined, bind: boolean, first: number): void {
  if (!list) return;
  tc.open_json_array(PRINT_JSON, 'actions');
  list.forEach((ent, i) => {
    tc.open_json_object(null);
    tc.print_nl();
    tc.print_uint(PRINT_ANY, 'order', '\taction order %u: ', i + first);
    if (tc_print_one_action(tc, ent, bind) < 0) tc.err('Error printing action\n');
    tc.close_json_object();
  });
  tc.close_json_array(PRINT_JSON, null);
}

/** tc_print_action(): a filter's actions (bound). */
export function tc_print_action(tc: Tc, list: readonly TcaAct[] | undefined): void {
  tc_dump_action(tc, list, true, 1);
}

// --- `tc actions` ---

function act_usage(tc: Tc): void {
  tc.err(
    'usage: tc actions <ACTSPECOP>*\n' +
      'Where: \tACTSPECOP := ACR | GD | FL\n' +
      '\tACR := add | change | replace <ACTSPEC>* \n' +
      '\tGD := get | delete | <ACTISPEC>*\n' +
      '\tFL := ls | list | flush | <ACTNAMESPEC>\n' +
      '\tACTNAMESPEC :=  action <ACTNAME>\n' +
      '\tACTISPEC := <ACTNAMESPEC> <INDEXSPEC>\n' +
      '\tACTSPEC := action <ACTDETAIL> [INDEXSPEC] [HWSTATSSPEC]\n' +
      '\tINDEXSPEC := index <32 bit indexvalue>\n' +
      '\tHWSTATSSPEC := hw_stats [ immediate | delayed | disabled ]\n' +
      '\tACTDETAIL := <ACTNAME> <ACTPARAMS>\n' +
      '\t\tExample ACTNAME is gact, mirred, bpf, etc\n' +
      '\t\tEach action has its own parameters (ACTPARAMS)\n' +
      '\n',
  );
}

function talkAction(tc: Tc, req: TcActionMsg): TcActionMsg[] | null {
  const r = tc_talk(tc.net, req);
  if (r.error) {
    if (r.extack !== null) tc.err(`Error: ${r.extack.endsWith('.') ? r.extack : `${r.extack}.`}\n`);
    else tc.err(`RTNETLINK answers: ${errText(-r.error)}\n`);
    tc.err('We have an error talking to the kernel\n');
    return null;
  }
  return r.msgs;
}

function errText(errno: number): string {
  switch (errno) {
    case 2:
      return 'No such file or directory';
    case 22:
      return 'Invalid argument';
    case 17:
      return 'File exists';
    case 1:
      return 'Operation not permitted';
    default:
      return `Unknown error ${errno}`;
  }
}

/** print_action(): one answer of `tc actions get|ls`. */
function print_action(tc: Tc, m: TcActionMsg): void {
  const tab = m.attrs.TCA_ACT_TAB ?? [];
  // two objects under -j: {"total acts":N},{"actions":[…]}
  tc.open_json_object(null);
  tc.print_uint(PRINT_ANY, 'total acts', 'total acts %u', m.attrs.TCA_ROOT_COUNT ?? 0);
  tc.print_nl();
  tc.close_json_object();
  tc.open_json_object(null);
  tc_dump_action(tc, tab, false, m.attrs.TCA_ROOT_COUNT !== undefined ? 0 : 1);
  tc.close_json_object();
}

/** tc_action_modify(): add, change, replace. */
function tc_action_modify(tc: Tc, flags: number, args: Args): number {
  const list: TcaAct[] = [];
  if (parse_action(tc, args, list) < 0) {
    tc.err('Illegal "action"\n');
    return -1;
  }
  const req: TcActionMsg = { nlmsg_type: RTM_NEWACTION, nlmsg_flags: flags, tca_family: 0, attrs: { TCA_ACT_TAB: list } };
  if (!talkAction(tc, req)) return -1;
  return 0;
}

/** tc_action_gd(): get and delete by kind and index. */
function tc_action_gd(tc: Tc, cmd: number, args: Args): number {
  const list: TcaAct[] = [];
  while (args.more) {
    if (args.cur !== 'action') break;
    const k = args.next();
    const a = get_action_kind(k);
    if (!a) {
      tc.err(`Error: non existent action: ${k}\n`);
      return -1;
    }
    args.skip();
    if (!args.more || !matches(args.cur, 'index')) {
      tc.err(`Error: no index specified action: ${k}\n`);
      return -1;
    }
    const v = get_u32(args.next(), 10);
    if (v === null) {
      tc.err('Error: Illegal "index"\n');
      return -1;
    }
    args.skip();
    list.push({ TCA_ACT_KIND: k, TCA_ACT_INDEX: v });
  }
  const req: TcActionMsg = { nlmsg_type: cmd, nlmsg_flags: 0, tca_family: 0, attrs: { TCA_ACT_TAB: list } };
  const msgs = talkAction(tc, req);
  if (!msgs) return -1;
  if (cmd === RTM_GETACTION) {
    tc.new_json_obj();
    for (const m of msgs) print_action(tc, m);
    tc.delete_json_obj();
  }
  return 0;
}

/** tc_act_list_or_flush(): `tc actions ls|flush action KIND`. */
function tc_act_list_or_flush(tc: Tc, args: Args, flush: boolean): number {
  if (!args.more || args.cur !== 'action') {
    tc.err(`bad arg ${args.more ? args.cur : ''}\n`);
    return -1;
  }
  const k = args.next();
  if (!get_action_kind(k)) {
    tc.err(`bad action ${k}\n`);
    return -1;
  }
  const req: TcActionMsg = {
    nlmsg_type: flush ? RTM_DELACTION : RTM_GETACTION,
    nlmsg_flags: flush ? NLM_F_ROOT : NLM_F_DUMP,
    tca_family: 0,
    attrs: { TCA_ACT_TAB: [{ TCA_ACT_KIND: k }] },
  };
  const msgs = talkAction(tc, req);
  if (!msgs) return 1;
  if (!flush) {
    tc.new_json_obj();
    for (const m of msgs) print_action(tc, m);
    tc.delete_json_obj();
  }
  return 0;
}

/** do_action() */
export function do_action(tc: Tc, argv: readonly string[]): number {
  const args = new Args(tc, argv);
  let ret = 0;
  while (args.more) {
    const w = args.cur;
    args.skip();
    if (matches(w, 'add')) ret = tc_action_modify(tc, NLM_F_EXCL | NLM_F_CREATE, args);
    else if (matches(w, 'change') || matches(w, 'replace')) ret = tc_action_modify(tc, NLM_F_CREATE | NLM_F_REPLACE, args);
    else if (matches(w, 'delete')) ret = tc_action_gd(tc, RTM_DELACTION, args);
    else if (matches(w, 'get')) ret = tc_action_gd(tc, RTM_GETACTION, args);
    else if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) {
      if (!args.more) {
        act_usage(tc);
        return -1;
      }
      return tc_act_list_or_flush(tc, args, false);
    } else if (matches(w, 'flush')) {
      if (!args.more) {
        act_usage(tc);
        return -1;
      }
      return tc_act_list_or_flush(tc, args, true);
    } else if (matches(w, 'help')) {
      act_usage(tc);
      return -1;
    } else {
      tc.err(`Command "${w}" is unknown, try "tc actions help".\n`);
      return -1;
    }
    if (ret < 0 || ret > 0) return ret;
  }
  return ret;
}

export type { ActionUtil };
