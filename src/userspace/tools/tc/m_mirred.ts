// tc/m_mirred.c: `mirred egress|ingress mirror|redirect dev DEV [index N]`
// (mirror pipes by default, redirect steals); prints "mirred (Egress Redirect
// to device X) stolen" and "index N ref R bind B".
import {
  TC_ACT_PIPE,
  TC_ACT_STOLEN,
  TCA_EGRESS_MIRROR,
  TCA_EGRESS_REDIR,
  TCA_INGRESS_MIRROR,
  TCA_INGRESS_REDIR,
  type TcMirred,
  type TcMirredOptions,
} from '../../../kernel/uapi/pkt_cls.ts';
import type { TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { ActionUtil } from './tc_common.ts';
import { type ActHolder, parse_action_control_dflt, print_action_control, print_tm } from './m_action.ts';
import { type Args, PRINT_ANY, PRINT_FP, PRINT_JSON, type Tc, TcExit, get_u32, matches } from './tc_util.ts';

function explain(tc: Tc): void {
  tc.err(
    'Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>\n' +
      'where:\n' +
      '\tDIRECTION := <ingress | egress>\n' +
      '\tACTION := <mirror | redirect>\n' +
      '\tINDEX  is the specific policy instance id\n' +
      '\tDEVICENAME is the devicename\n',
  );
}

function mirred_n2a(a: number): string {
  switch (a) {
    case TCA_EGRESS_REDIR:
      return 'Egress Redirect';
    case TCA_INGRESS_REDIR:
      return 'Ingress Redirect';
    case TCA_EGRESS_MIRROR:
      return 'Egress Mirror';
    case TCA_INGRESS_MIRROR:
      return 'Ingress Mirror';
    default:
      return 'unknown';
  }
}

/** parse_direction() */
function parse_direction(tc: Tc, args: Args, req: TcMsg): number {
  let ok = 0;
  let iok = 0;
  let mirror = false;
  let redir = false;
  let ingress = false;
  let egress = false;
  const p: TcMirred = { index: 0, capab: 0, action: 0, refcnt: 0, bindcnt: 0, eaction: 0, ifindex: 0 };
  let d = '';
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'action')) {
      args.next();
      break;
    } else if (!egress && matches(w, 'egress')) {
      egress = true;
      if (ingress) {
        tc.err("Can't have both egress and ingress\n");
        return -1;
      }
      args.next();
      ok++;
      continue;
    } else if (!ingress && matches(w, 'ingress')) {
      ingress = true;
      if (egress) {
        tc.err("Can't have both ingress and egress\n");
        return -1;
      }
      args.next();
      ok++;
      continue;
    } else if (matches(w, 'index')) {
      const v = get_u32(args.next(), 10);
      if (v === null) {
        tc.err('Illegal "index"\n');
        return -1;
      }
      p.index = v;
      iok++;
      if (!ok) {
        args.skip();
        break;
      }
    } else if (!ok) {
      tc.err(`was expecting egress or ingress (${w})\n`);
      break;
    } else if (!mirror && matches(w, 'mirror')) {
      mirror = true;
      if (redir) {
        tc.err("Can't have both mirror and redir\n");
        return -1;
      }
      p.eaction = egress ? TCA_EGRESS_MIRROR : TCA_INGRESS_MIRROR;
      p.action = TC_ACT_PIPE;
      ok++;
    } else if (!redir && matches(w, 'redirect')) {
      redir = true;
      if (mirror) {
        tc.err("Can't have both mirror and redir\n");
        return -1;
      }
      p.eaction = egress ? TCA_EGRESS_REDIR : TCA_INGRESS_REDIR;
      p.action = TC_ACT_STOLEN;
      ok++;
    } else if ((redir || mirror) && matches(w, 'dev')) {
      const v = args.next();
      if (d) tc.duparg('dev', v);
      d = v;
      args.skip();
      break;
    }
    args.next();
  }
  if (!ok && !iok) return -1;
  if (d) {
    const idx = tc.nameToIndex(d);
    if (!idx) {
      tc.err(`Cannot find device "${d}"\n`);
      return 1;
    }
    p.ifindex = idx;
  }
  if (p.eaction === TCA_EGRESS_MIRROR || p.eaction === TCA_INGRESS_MIRROR)
    p.action = parse_action_control_dflt(tc, args, false, TC_ACT_PIPE);
  if (args.more) {
    if (iok && matches(args.cur, 'index')) {
      tc.err('mirred: Illegal double index\n');
      return -1;
    }
    if (matches(args.cur, 'index')) {
      const v = get_u32(args.next(), 10);
      if (v === null) {
        tc.err('mirred: Illegal "index"\n');
        return -1;
      }
      p.index = v;
      args.skip();
    }
  }
  (req as unknown as ActHolder).attrs.TCA_ACT_OPTIONS = { TCA_MIRRED_PARMS: p };
  return 0;
}

/** parse_mirred() */
function parse_mirred(_au: ActionUtil, tc: Tc, args: Args, _tca_id: number, req: TcMsg | unknown): number {
  if (!matches(args.cur, 'mirred')) {
    tc.err(`mirred bad argument ${args.cur}\n`);
    return -1;
  }
  const w = args.next();
  if (matches(w, 'egress') || matches(w, 'ingress') || matches(w, 'index')) {
    const r = parse_direction(tc, args, req as TcMsg);
    if (r === 0) return 0;
    if (r > 0) return -1;
  } else if (matches(w, 'help')) {
    explain(tc);
    throw new TcExit(255);
  } else tc.err(`mirred option not supported ${w}\n`);
  return -1;
}

/** print_mirred() */
function print_mirred(_au: ActionUtil, tc: Tc, arg: TcOptions | undefined): number {
  tc.print_string(PRINT_ANY, 'kind', '%s ', 'mirred');
  if (arg === undefined) return 0;
  const o = arg as TcMirredOptions;
  const p = o.TCA_MIRRED_PARMS;
  if (!p) {
    tc.err('Missing mirred parameters\n');
    return -1;
  }
  const dev = tc.indexToName(p.ifindex);
  tc.print_string(PRINT_FP, null, '(%s', mirred_n2a(p.eaction));
  const redirect = p.eaction === TCA_EGRESS_REDIR || p.eaction === TCA_INGRESS_REDIR;
  const egress = p.eaction === TCA_EGRESS_REDIR || p.eaction === TCA_EGRESS_MIRROR;
  tc.print_string(PRINT_JSON, 'mirred_action', null, redirect ? 'redirect' : 'mirror');
  tc.print_string(PRINT_JSON, 'direction', null, egress ? 'egress' : 'ingress');
  tc.print_string(PRINT_ANY, 'to_dev', ' to device %s)', dev);
  print_action_control(tc, ' ', p.action, '');
  tc.print_nl();
  tc.print_uint(PRINT_ANY, 'index', '\tindex %u', p.index);
  tc.print_int(PRINT_ANY, 'ref', ' ref %d', p.refcnt);
  tc.print_int(PRINT_ANY, 'bind', ' bind %d', p.bindcnt);
  if (tc.opts.stats && o.TCA_MIRRED_TM) print_tm(tc, o.TCA_MIRRED_TM);
  tc.print_nl();
  return 0;
}

export const mirred_action_util: ActionUtil = { id: 'mirred', parse_aopt: parse_mirred, print_aopt: print_mirred };
