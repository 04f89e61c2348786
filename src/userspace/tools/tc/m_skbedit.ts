// tc/m_skbedit.c: `skbedit [queue_mapping N] [priority CLASSID] [mark M[/MASK]]
// [ptype host|broadcast|multicast|otherhost] [CONTROL] [index N]` (pipe by default).
import { TC_ACT_PIPE, type TcGen, type TcSkbeditOptions } from '../../../kernel/uapi/pkt_cls.ts';
import type { TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { ActionUtil } from './tc_common.ts';
import { type ActHolder, parse_action_control_dflt, print_action_control, print_tm } from './m_action.ts';
import {
  type Args,
  PRINT_ANY,
  PRINT_FP,
  PRINT_JSON,
  type Tc,
  TcExit,
  get_tc_classid,
  get_u32,
  matches,
  sprint_tc_classid,
} from './tc_util.ts';

function explain(tc: Tc): void {
  tc.err(
    'Usage: ... skbedit <[QM] [PM] [MM] [PT] [IF]>\n' +
      'QM = queue_mapping QUEUE_MAPPING\n' +
      'PM = priority PRIORITY\n' +
      'MM = mark MARK[/MASK]\n' +
      'PT = ptype PACKETYPE\n' +
      'IF = inheritdsfield\n' +
      'PACKETYPE = is one of:\n' +
      '  host, otherhost, broadcast, multicast\n' +
      'QUEUE_MAPPING = device transmit queue to use\n' +
      'PRIORITY = classID to assign to priority field\n' +
      'MARK = firewall mark to set\n' +
      'MASK = mask applied to firewall mark (0xffffffff by default)\n' +
      'note: inheritdsfield maps DS field to skb->priority\n',
  );
}

const PTYPES: readonly string[] = ['host', 'broadcast', 'multicast', 'otherhost'];

function parse_skbedit(_au: ActionUtil, tc: Tc, args: Args, _id: number, req: unknown): number {
  if (!matches(args.cur, 'skbedit')) return -1;
  args.next();
  const o: TcSkbeditOptions = {};
  let ok = 0;
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'queue_mapping')) {
      const v = get_u32(args.next(), 10);
      if (v === null || v > 65535) {
        tc.err('Illegal queue_mapping\n');
        return -1;
      }
      o.TCA_SKBEDIT_QUEUE_MAPPING = v;
      ok++;
    } else if (matches(w, 'priority')) {
      const v = get_tc_classid(args.next());
      if (v === null) {
        tc.err('Illegal priority\n');
        return -1;
      }
      o.TCA_SKBEDIT_PRIORITY = v;
      ok++;
    } else if (matches(w, 'mark')) {
      const a = args.next();
      const slash = a.indexOf('/');
      const m = get_u32(slash >= 0 ? a.slice(0, slash) : a, 0);
      if (m === null) {
        tc.err('Illegal mark\n');
        return -1;
      }
      o.TCA_SKBEDIT_MARK = m;
      if (slash >= 0) {
        const k = get_u32(a.slice(slash + 1), 0);
        if (k === null) {
          tc.err('Illegal mask\n');
          return -1;
        }
        o.TCA_SKBEDIT_MASK = k;
      }
      ok++;
    } else if (matches(w, 'ptype')) {
      const a = args.next();
      const i = PTYPES.findIndex((p) => matches(a, p));
      if (i < 0) {
        tc.err(`Illegal ptype (${a})\n`);
        return -1;
      }
      o.TCA_SKBEDIT_PTYPE = i === 3 ? 3 : i;
      ok++;
    } else if (matches(w, 'inheritdsfield')) {
      tc.err('skbpath: tc: skbedit inheritdsfield is not simulated\n');
      return -1;
    } else if (matches(w, 'help')) {
      explain(tc);
      throw new TcExit(255);
    } else break;
    args.skip();
  }
  const p: TcGen = { index: 0, capab: 0, action: parse_action_control_dflt(tc, args, false, TC_ACT_PIPE), refcnt: 0, bindcnt: 0 };
  if (args.more && matches(args.cur, 'index')) {
    const v = get_u32(args.next(), 10);
    if (v === null) {
      tc.err('skbedit: Illegal "index"\n');
      return -1;
    }
    p.index = v;
    args.skip();
    ok++;
  }
  if (!ok) {
    explain(tc);
    return -1;
  }
  (req as ActHolder).attrs.TCA_ACT_OPTIONS = { TCA_SKBEDIT_PARMS: p, ...o };
  return 0;
}

function print_skbedit(_au: ActionUtil, tc: Tc, arg: TcOptions | undefined): number {
  tc.print_string(PRINT_ANY, 'kind', '%s ', 'skbedit');
  if (arg === undefined) return 0;
  const o = arg as TcSkbeditOptions;
  const p = o.TCA_SKBEDIT_PARMS;
  if (!p) {
    tc.err('Missing skbedit parameters\n');
    return -1;
  }
  if (o.TCA_SKBEDIT_QUEUE_MAPPING !== undefined) tc.print_uint(PRINT_ANY, 'queue_mapping', 'queue_mapping %u', o.TCA_SKBEDIT_QUEUE_MAPPING);
  if (o.TCA_SKBEDIT_PRIORITY !== undefined)
    tc.print_string(PRINT_ANY, 'priority', ' priority %s', sprint_tc_classid(o.TCA_SKBEDIT_PRIORITY));
  if (o.TCA_SKBEDIT_MARK !== undefined) tc.print_uint(PRINT_ANY, 'mark', ' mark %u', o.TCA_SKBEDIT_MARK);
  if (o.TCA_SKBEDIT_MASK !== undefined) {
    // print_hex(PRINT_ANY, "mask", "/%#x"): "%x" in JSON
    const mask = o.TCA_SKBEDIT_MASK >>> 0;
    tc.print_hex(PRINT_JSON, 'mask', '%x', mask);
    tc.print_string(PRINT_FP, null, '/%s', mask ? `0x${mask.toString(16)}` : '0');
  }
  if (o.TCA_SKBEDIT_PTYPE !== undefined) {
    const t = o.TCA_SKBEDIT_PTYPE;
    if (t <= 3) tc.print_string(PRINT_ANY, 'ptype', ' ptype %s', PTYPES[t] as string);
    else tc.print_uint(PRINT_ANY, 'ptype', ' ptype %u', t);
  }
  print_action_control(tc, ' ', p.action, '');
  tc.print_nl();
  tc.print_uint(PRINT_ANY, 'index', '\t index %u', p.index);
  tc.print_int(PRINT_ANY, 'ref', ' ref %d', p.refcnt);
  tc.print_int(PRINT_ANY, 'bind', ' bind %d', p.bindcnt);
  if (tc.opts.stats && o.TCA_SKBEDIT_TM) print_tm(tc, o.TCA_SKBEDIT_TM);
  tc.print_nl();
  return 0;
}

export const skbedit_action_util: ActionUtil = { id: 'skbedit', parse_aopt: parse_skbedit, print_aopt: print_skbedit };
