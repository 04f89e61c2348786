// tc/tc_qdisc.c: `tc qdisc add|change|replace|link|delete|show`.
import {
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  RTM_DELQDISC,
  RTM_GETQDISC,
  RTM_NEWQDISC,
  TC_H_CLSACT,
  TC_H_INGRESS,
  TC_H_MAKE,
  TC_H_ROOT,
  type TcEstimator,
  type TcMsg,
  tc_talk,
  tcmsg,
} from '../../../kernel/uapi/rtnetlink_tc.ts';
import { get_qdisc_kind } from './modules.ts';
import type { QdiscUtil } from './tc_common.ts';
import {
  PRINT_ANY,
  PRINT_FP,
  type Tc,
  get_qdisc_handle,
  get_tc_classid,
  get_u32,
  matches,
  print_tcstats_attr,
  sprint_tc_classid,
} from './tc_util.ts';
import { parse_estimator } from './tc_estimator.ts';

const USAGE =
  'Usage: tc qdisc [ add | del | replace | change | show ] dev STRING\n' +
  '       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]\n' +
  '       [ estimator INTERVAL TIME_CONSTANT ]\n' +
  '       [ stab [ help | STAB_OPTIONS] ]\n' +
  '       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]\n' +
  '       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n' +
  '\n' +
  '       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]\n' +
  'Where:\n' +
  'QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }\n' +
  'OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help\n' +
  'STAB_OPTIONS := ... try tc qdisc add stab help\n' +
  'QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }\n';

const STAB_HELP =
  'Usage: ... stab [ mtu BYTES ] [ tsize SLOTS ] [ mpu BYTES ]\n' +
  '                [ overhead BYTES ] [ linklayer TYPE ] ...\n' +
  '   mtu       : max packet size we create rate map for {2047}\n' +
  '   tsize     : how many slots should size table have {512}\n' +
  '   mpu       : minimum packet size used in rate computations\n' +
  '   overhead  : per-packet size overhead used in rate computations\n' +
  '   linklayer : adapting to a linklayer e.g. atm\n' +
  'Example: ... stab overhead 20 linklayer atm\n';

function usage(tc: Tc): number {
  tc.err(USAGE);
  return -1;
}

/** tc_qdisc_modify() */
function tc_qdisc_modify(tc: Tc, cmd: number, flags: number, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: cmd, nlmsg_flags: flags, tcm: tcmsg(), attrs: {} };
  let d = '';
  let k = '';
  let q: QdiscUtil | null = null;
  let est: TcEstimator | null = null;
  let ingress_block = 0;
  let egress_block = 0;
  let i = 0;
  const next = (): string => {
    i++;
    if (i >= argv.length) tc.incomplete();
    return argv[i] as string;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === 'dev') {
      const v = next();
      if (d) tc.duparg('dev', v);
      d = v.slice(0, 15);
    } else if (a === 'handle') {
      if (req.tcm.tcm_handle) tc.duparg('handle', a);
      const v = next();
      const h = get_qdisc_handle(v);
      if (h === null) tc.invarg('invalid qdisc ID', v);
      req.tcm.tcm_handle = h;
    } else if (a === 'root') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "root" is duplicate parent ID\n');
        return -1;
      }
      req.tcm.tcm_parent = TC_H_ROOT;
    } else if (a === 'clsact' || a === 'ingress') {
      if (req.tcm.tcm_parent) {
        tc.err(a === 'clsact' ? 'Error: "clsact" is a duplicate parent ID\n' : 'Error: "ingress" is a duplicate parent ID\n');
        return -1;
      }
      req.tcm.tcm_parent = a === 'clsact' ? TC_H_CLSACT : TC_H_INGRESS;
      k = a;
      q = get_qdisc_kind(k);
      req.tcm.tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
      i++;
      break;
    } else if (a === 'parent') {
      const v = next();
      if (req.tcm.tcm_parent) tc.duparg('parent', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid parent ID', v);
      req.tcm.tcm_parent = h;
    } else if (matches(a, 'estimator')) {
      const r = parse_estimator(tc, argv, i, est);
      if (!r) return -1;
      est = r.est;
      i = r.i;
    } else if (matches(a, 'stab')) {
      // parse_size_table(): help, or a table skbpath does not simulate
      const v = next();
      if (matches(v, 'help')) {
        tc.err(STAB_HELP);
        return -1;
      }
      tc.err('skbpath: tc: size tables (stab) are not simulated\n');
      return -1;
    } else if (matches(a, 'ingress_block')) {
      const v = next();
      const b = get_u32(v, 0);
      if (b === null || !b) tc.invarg('invalid ingress block index value', v);
      ingress_block = b;
    } else if (matches(a, 'egress_block')) {
      const v = next();
      const b = get_u32(v, 0);
      if (b === null || !b) tc.invarg('invalid egress block index value', v);
      egress_block = b;
    } else if (matches(a, 'help')) {
      usage(tc);
    } else {
      k = a.slice(0, 15);
      q = get_qdisc_kind(k);
      i++;
      break;
    }
  }
  const rest = argv.slice(i);
  if (k) req.attrs.TCA_KIND = k;
  if (est?.ewma_log) req.attrs.TCA_RATE = est;
  if (ingress_block) req.attrs.TCA_INGRESS_BLOCK = ingress_block;
  if (egress_block) req.attrs.TCA_EGRESS_BLOCK = egress_block;
  if (q) {
    if (q.parse_qopt) {
      if (q.parse_qopt(q, tc, rest, req, d)) return 1;
    } else if (rest.length) {
      tc.err(`qdisc '${k}' does not support option parsing\n`);
      return -1;
    }
  } else if (rest.length) {
    if (matches(rest[0] as string, 'help')) usage(tc);
    tc.err(`Garbage instead of arguments "${rest[0]} ...". Try "tc qdisc help".\n`);
    return -1;
  }
  if (d) {
    const idx = tc.nameToIndex(d);
    if (!idx) tc.nodev(d);
    req.tcm.tcm_ifindex = idx;
  }
  const r = tc_talk(tc.net, req);
  if (r.error) {
    tc.rtnlError(-r.error, r.extack, 2);
  }
  return 0;
}

interface QdiscFilter {
  ifindex: number;
  parent: number;
  handle: number;
}

/** print_qdisc() */
export function print_qdisc(tc: Tc, n: TcMsg, f: QdiscFilter): void {
  const t = n.tcm;
  if (n.nlmsg_type !== RTM_NEWQDISC && n.nlmsg_type !== RTM_DELQDISC) {
    tc.err('Not a qdisc\n');
    return;
  }
  if (f.ifindex && f.ifindex !== t.tcm_ifindex) return;
  if (f.handle && f.handle !== t.tcm_handle) return;
  if (f.parent && f.parent !== t.tcm_parent) return;
  const tb = n.attrs;
  if (tb.TCA_KIND === undefined) {
    tc.err('print_qdisc: NULL kind\n');
    return;
  }
  tc.open_json_object(null);
  if (n.nlmsg_type === RTM_DELQDISC) tc.print_bool(PRINT_ANY, 'deleted', 'deleted ', true);
  if (n.nlmsg_type === RTM_NEWQDISC && n.nlmsg_flags & NLM_F_CREATE && n.nlmsg_flags & NLM_F_REPLACE)
    tc.print_bool(PRINT_ANY, 'replaced', 'replaced ', true);
  if (n.nlmsg_type === RTM_NEWQDISC && n.nlmsg_flags & NLM_F_CREATE && n.nlmsg_flags & NLM_F_EXCL)
    tc.print_bool(PRINT_ANY, 'added', 'added ', true);
  tc.print_string(PRINT_ANY, 'kind', 'qdisc %s', tb.TCA_KIND);
  tc.print_string(PRINT_ANY, 'handle', ' %s', `${(t.tcm_handle >>> 16).toString(16)}:`);
  if (tc.opts.raw) tc.print_string(PRINT_FP, null, '%s', `[${t.tcm_handle.toString(16).padStart(8, '0')}]`);
  tc.print_string(PRINT_FP, null, ' ', null);
  if (f.ifindex === 0) tc.print_devname(PRINT_ANY, t.tcm_ifindex);
  if (t.tcm_parent === TC_H_ROOT) tc.print_bool(PRINT_ANY, 'root', 'root ', true);
  else if (t.tcm_parent) tc.print_string(PRINT_ANY, 'parent', 'parent %s ', sprint_tc_classid(t.tcm_parent));
  if (t.tcm_info !== 1) tc.print_uint(PRINT_ANY, 'refcnt', 'refcnt %u ', t.tcm_info);
  if (tb.TCA_HW_OFFLOAD) tc.print_bool(PRINT_ANY, 'offloaded', 'offloaded ', true);
  if (tb.TCA_INGRESS_BLOCK) tc.print_uint(PRINT_ANY, 'ingress_block', 'ingress_block %u ', tb.TCA_INGRESS_BLOCK);
  if (tb.TCA_EGRESS_BLOCK) tc.print_uint(PRINT_ANY, 'egress_block', 'egress_block %u ', tb.TCA_EGRESS_BLOCK);
  // pfifo_fast is generic enough to warrant the hardcoding --JHS
  const q = get_qdisc_kind(tb.TCA_KIND === 'pfifo_fast' ? 'prio' : tb.TCA_KIND);
  tc.open_json_object('options');
  if (tb.TCA_OPTIONS) {
    if (q.print_qopt) q.print_qopt(q, tc, tb.TCA_OPTIONS);
    else tc.err('Cannot parse qdisc parameters\n');
  }
  tc.close_json_object();
  tc.print_nl();
  if (tc.opts.stats) {
    if (tb.TCA_STATS2 || tb.TCA_XSTATS) {
      const xstats = print_tcstats_attr(tc, tb, ' ');
      tc.print_nl();
      if (xstats && q.print_xstats) {
        q.print_xstats(q, tc, xstats);
        tc.print_nl();
      }
    }
  }
  tc.close_json_object();
}

/** tc_qdisc_list() */
function tc_qdisc_list(tc: Tc, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: RTM_GETQDISC, nlmsg_flags: NLM_F_DUMP, tcm: tcmsg(), attrs: {} };
  const f: QdiscFilter = { ifindex: 0, parent: 0, handle: 0 };
  let d = '';
  let invisible = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      i++;
      if (i >= argv.length) tc.incomplete();
      return argv[i] as string;
    };
    const already = (): void => {
      if (f.parent) tc.invarg('parent is already specified', a);
      else if (f.handle) tc.invarg('handle is already specified', a);
    };
    if (a === 'dev') d = next().slice(0, 15);
    else if (a === 'root') {
      already();
      f.parent = TC_H_ROOT;
    } else if (a === 'ingress' || a === 'clsact') {
      already();
      f.parent = TC_H_INGRESS;
    } else if (matches(a, 'parent')) {
      already();
      const v = next();
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid parent ID', v);
      f.parent = h;
    } else if (matches(a, 'handle')) {
      already();
      const v = next();
      const h = get_qdisc_handle(v);
      if (h === null) tc.invarg('invalid handle ID', v);
      f.handle = h;
    } else if (matches(a, 'help')) usage(tc);
    else if (a === 'invisible') invisible = true;
    else {
      tc.err(`What is "${a}"? Try "tc qdisc help".\n`);
      return -1;
    }
  }
  if (d) {
    req.tcm.tcm_ifindex = tc.nameToIndex(d);
    if (!req.tcm.tcm_ifindex) tc.nodev(d);
    f.ifindex = req.tcm.tcm_ifindex;
  }
  if (invisible) req.attrs.TCA_DUMP_INVISIBLE = true;
  const r = tc_talk(tc.net, req);
  tc.new_json_obj();
  for (const m of r.msgs) print_qdisc(tc, m, f);
  tc.delete_json_obj();
  return 0;
}

/** do_qdisc() */
export function do_qdisc(tc: Tc, argv: readonly string[]): number {
  const a = argv[0];
  if (a === undefined) return tc_qdisc_list(tc, []);
  const rest = argv.slice(1);
  if (matches(a, 'add')) return tc_qdisc_modify(tc, RTM_NEWQDISC, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (matches(a, 'change')) return tc_qdisc_modify(tc, RTM_NEWQDISC, 0, rest);
  if (matches(a, 'replace')) return tc_qdisc_modify(tc, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE, rest);
  if (matches(a, 'link')) return tc_qdisc_modify(tc, RTM_NEWQDISC, NLM_F_REPLACE, rest);
  if (matches(a, 'delete')) return tc_qdisc_modify(tc, RTM_DELQDISC, 0, rest);
  if (matches(a, 'list') || matches(a, 'show') || matches(a, 'lst')) return tc_qdisc_list(tc, rest);
  if (matches(a, 'help')) {
    usage(tc);
    return 0;
  }
  tc.err(`Command "${a}" is unknown, try "tc qdisc help".\n`);
  return -1;
}
