// tc/tc_class.c: `tc class add|change|replace|delete|show` (the graph of -g is not simulated).
import {
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  RTM_DELTCLASS,
  RTM_GETTCLASS,
  RTM_NEWTCLASS,
  TC_H_MAJ,
  TC_H_MIN,
  TC_H_ROOT,
  type TcEstimator,
  type TcMsg,
  tc_talk,
  tcmsg,
} from '../../../kernel/uapi/rtnetlink_tc.ts';
import { get_qdisc_kind } from './modules.ts';
import type { QdiscUtil } from './tc_common.ts';
import { type Tc, get_qdisc_handle, get_tc_classid, matches, print_tcstats_attr, sprint_tc_classid } from './tc_util.ts';
import { parse_estimator } from './tc_estimator.ts';

const USAGE =
  'Usage: tc class [ add | del | change | replace | show ] dev STRING\n' +
  '       [ classid CLASSID ] [ root | parent CLASSID ]\n' +
  '       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n' +
  '\n' +
  '       tc class show [ dev STRING ] [ root | parent CLASSID ]\n' +
  'Where:\n' +
  'QDISC_KIND := { prio | cbq | etc. }\n' +
  'OPTIONS := ... try tc class add <desired QDISC_KIND> help\n';

function usage(tc: Tc): void {
  tc.err(USAGE);
}

/** tc_class_modify() */
function tc_class_modify(tc: Tc, cmd: number, flags: number, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: cmd, nlmsg_flags: flags, tcm: tcmsg(), attrs: {} };
  let d = '';
  let k = '';
  let q: QdiscUtil | null = null;
  let est: TcEstimator | null = null;
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
    } else if (a === 'classid') {
      const v = next();
      if (req.tcm.tcm_handle) tc.duparg('classid', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid class ID', v);
      req.tcm.tcm_handle = h;
    } else if (a === 'handle') {
      tc.err('Error: try "classid" instead of "handle"\n');
      return -1;
    } else if (a === 'root') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "root" is duplicate parent ID.\n');
        return -1;
      }
      req.tcm.tcm_parent = TC_H_ROOT;
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
  if (q) {
    if (!q.parse_copt) {
      tc.err(`Error: Qdisc "${k}" is classless.\n`);
      return 1;
    }
    if (q.parse_copt(q, tc, rest, req, d)) return 1;
  } else if (rest.length) {
    if (matches(rest[0] as string, 'help')) usage(tc);
    tc.err(`Garbage instead of arguments "${rest[0]} ...". Try "tc class help".`);
    return -1;
  }
  if (d) {
    req.tcm.tcm_ifindex = tc.nameToIndex(d);
    if (!req.tcm.tcm_ifindex) tc.nodev(d);
  }
  const r = tc_talk(tc.net, req);
  if (r.error) tc.rtnlError(-r.error, r.extack, 2);
  // nl_dump_ext_ack(): an extack message with a successful ack is a warning
  if (r.extack) tc.err(`Warning: ${r.extack}${r.extack.endsWith('.') ? '' : '.'}\n`);
  return 0;
}

interface ClassFilter {
  ifindex: number;
  qdisc: number;
  classid: number;
}

/** print_class(): plain text (tc 6.1 prints classes with fprintf). */
export function print_class(tc: Tc, n: TcMsg, f: ClassFilter): void {
  const t = n.tcm;
  if (n.nlmsg_type !== RTM_NEWTCLASS && n.nlmsg_type !== RTM_DELTCLASS) {
    tc.err('Not a class\n');
    return;
  }
  if (f.qdisc && TC_H_MAJ((t.tcm_handle ^ f.qdisc) >>> 0)) return;
  if (f.classid && t.tcm_handle !== f.classid) return;
  const tb = n.attrs;
  if (tb.TCA_KIND === undefined) {
    tc.err('print_class: NULL kind\n');
    return;
  }
  if (n.nlmsg_type === RTM_DELTCLASS) tc.out('deleted ');
  let abuf = '';
  if (t.tcm_handle) abuf = sprint_tc_classid(f.qdisc ? TC_H_MIN(t.tcm_handle) : t.tcm_handle);
  tc.out(`class ${tb.TCA_KIND} ${abuf} `);
  if (f.ifindex === 0) tc.out(`dev ${tc.indexToName(t.tcm_ifindex)} `);
  if (t.tcm_parent === TC_H_ROOT) tc.out('root ');
  else tc.out(`parent ${sprint_tc_classid(f.qdisc ? TC_H_MIN(t.tcm_parent) : t.tcm_parent)} `);
  if (t.tcm_info) tc.out(`leaf ${(t.tcm_info >>> 16).toString(16)}: `);
  const q = get_qdisc_kind(tb.TCA_KIND);
  if (tb.TCA_OPTIONS) {
    if (q.print_copt) q.print_copt(q, tc, tb.TCA_OPTIONS);
    else tc.err('[cannot parse class parameters]');
  }
  tc.out('\n');
  if (tc.opts.stats) {
    // tc_fill_tclass() always sends TCA_STATS (gnet_stats_start_copy_compat), empty for a class without dump_stats
    const xstats = print_tcstats_attr(tc, tb, ' ');
    tc.out('\n');
    if (xstats && q.print_xstats) {
      q.print_xstats(q, tc, xstats);
      tc.out('\n');
    }
  }
}

/** tc_class_list() */
function tc_class_list(tc: Tc, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: RTM_GETTCLASS, nlmsg_flags: NLM_F_DUMP, tcm: tcmsg(), attrs: {} };
  const f: ClassFilter = { ifindex: 0, qdisc: 0, classid: 0 };
  let d = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      i++;
      if (i >= argv.length) tc.incomplete();
      return argv[i] as string;
    };
    if (a === 'dev') {
      const v = next();
      if (d) tc.duparg('dev', v);
      d = v.slice(0, 15);
    } else if (a === 'qdisc') {
      const v = next();
      if (f.qdisc) tc.duparg('qdisc', v);
      const h = get_qdisc_handle(v);
      if (h === null) tc.invarg('invalid qdisc ID', v);
      f.qdisc = h;
    } else if (a === 'classid') {
      const v = next();
      if (f.classid) tc.duparg('classid', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid class ID', v);
      f.classid = h;
    } else if (a === 'root') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "root" is duplicate parent ID\n');
        return -1;
      }
      req.tcm.tcm_parent = TC_H_ROOT;
    } else if (a === 'parent') {
      if (req.tcm.tcm_parent) tc.duparg('parent', a);
      const v = next();
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid parent ID', v);
      req.tcm.tcm_parent = h;
    } else if (matches(a, 'help')) usage(tc);
    else {
      tc.err(`What is "${a}"? Try "tc class help".\n`);
      return -1;
    }
  }
  if (d) {
    req.tcm.tcm_ifindex = tc.nameToIndex(d);
    if (!req.tcm.tcm_ifindex) tc.nodev(d);
    f.ifindex = req.tcm.tcm_ifindex;
  }
  if (tc.opts.graph) {
    tc.err('skbpath: tc: the class graph (-g) is not simulated\n');
    return 1;
  }
  const r = tc_talk(tc.net, req);
  for (const m of r.msgs) print_class(tc, m, f);
  return 0;
}

/** do_class() */
export function do_class(tc: Tc, argv: readonly string[]): number {
  const a = argv[0];
  if (a === undefined) return tc_class_list(tc, []);
  const rest = argv.slice(1);
  if (matches(a, 'add')) return tc_class_modify(tc, RTM_NEWTCLASS, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (matches(a, 'change')) return tc_class_modify(tc, RTM_NEWTCLASS, 0, rest);
  if (matches(a, 'replace')) return tc_class_modify(tc, RTM_NEWTCLASS, NLM_F_CREATE, rest);
  if (matches(a, 'delete')) return tc_class_modify(tc, RTM_DELTCLASS, 0, rest);
  if (matches(a, 'list') || matches(a, 'show') || matches(a, 'lst')) return tc_class_list(tc, rest);
  if (matches(a, 'help')) {
    usage(tc);
    return 0;
  }
  tc.err(`Command "${a}" is unknown, try "tc class help".\n`);
  return -1;
}
