// tc/tc_filter.c: `tc filter add|change|replace|delete|get|show` and
// `tc chain add|delete|get|show`. The classifiers plug in through
// FILTER_UTILS (modules.ts): parse_fopt gets the handle word and the words
// after the kind, print_fopt prints TCA_OPTIONS. The request carries
// tcm_info = TC_H_MAKE(prio << 16, protocol), the protocol a host-order
// ethertype (ETH_P_ALL for add/replace when none is given).
import {
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_ECHO,
  NLM_F_EXCL,
  RTM_DELCHAIN,
  RTM_DELTFILTER,
  RTM_GETCHAIN,
  RTM_GETTFILTER,
  RTM_NEWCHAIN,
  RTM_NEWTFILTER,
  TC_H_CLSACT,
  TC_H_MAJ,
  TC_H_MAKE,
  TC_H_MIN,
  TC_H_MIN_EGRESS,
  TC_H_MIN_INGRESS,
  TC_H_ROOT,
  TC_H_UNSPEC,
  type TcEstimator,
  type TcMsg,
  tc_talk,
  tcmsg,
} from '../../../kernel/uapi/rtnetlink_tc.ts';
import { get_filter_kind } from './modules.ts';
import type { FilterUtil } from './tc_common.ts';
import { ll_proto_a2n, ll_proto_n2a } from './ll_proto.ts';
import { PRINT_ANY, PRINT_FP, type Tc, get_tc_classid, get_u32, matches, print_tcstats_attr, sprint_tc_classid } from './tc_util.ts';
import { parse_estimator } from './tc_estimator.ts';
import { strerror } from '../ip/common.ts';

/** TCM_IFINDEX_MAGIC_BLOCK: tcm_ifindex of a shared block request (tcm_parent holds the block index). */
export const TCM_IFINDEX_MAGIC_BLOCK = 0xffffffff;
const ETH_P_ALL = 0x0003;

const USAGE =
  'Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]\n' +
  '       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]\n' +
  '       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE\n' +
  '       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO FILTER_TYPE\n' +
  '       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]\n' +
  '       [ estimator INTERVAL TIME_CONSTANT ]\n' +
  '       [ root | ingress | egress | parent CLASSID ]\n' +
  '       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]\n' +
  '\n' +
  '       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]\n' +
  '       tc filter show [ block BLOCK_INDEX ]\n' +
  'Where:\n' +
  'FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }\n' +
  'FILTERID := ... format depends on classifier, see there\n' +
  'OPTIONS := ... try tc filter add <desired FILTER_KIND> help\n';

const CHAIN_USAGE =
  'Usage: tc chain [ add | del | get | show ] [ dev STRING ]\n       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]\n';

interface Parsed {
  req: TcMsg;
  d: string;
  block: number;
  prio: number;
  protocol: number;
  protocolSet: boolean;
  chain: number | null;
  fhandle: string | null;
  k: string;
  q: FilterUtil | null;
  est: TcEstimator | null;
  rest: string[];
}

/** The words tc_filter_modify and tc_filter_get share, up to the kind. */
function parse_common(tc: Tc, cmd: number, flags: number, argv: readonly string[], get: boolean): Parsed | number {
  const p: Parsed = {
    req: { nlmsg_type: cmd, nlmsg_flags: flags, tcm: tcmsg(), attrs: {} },
    d: '',
    block: 0,
    prio: 0,
    protocol: 0,
    protocolSet: false,
    chain: null,
    fhandle: null,
    k: '',
    q: null,
    est: null,
    rest: [],
  };
  if (!get && cmd === RTM_NEWTFILTER && flags & NLM_F_CREATE) p.protocol = ETH_P_ALL;
  const t = p.req.tcm;
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
      if (p.d) tc.duparg('dev', v);
      if (p.block) {
        tc.err('Error: "dev" and "block" are mutually exclusive\n');
        return -1;
      }
      p.d = v.slice(0, 15);
    } else if (matches(a, 'block')) {
      const v = next();
      if (p.block) tc.duparg('block', v);
      if (p.d) {
        tc.err('Error: "dev" and "block" are mutually exclusive\n');
        return -1;
      }
      const b = get_u32(v, 0);
      if (b === null || !b) tc.invarg('invalid block index value', v);
      p.block = b;
    } else if (a === 'root' || a === 'ingress' || a === 'egress') {
      if (t.tcm_parent) {
        tc.err(`Error: "${a}" is duplicate parent ID\n`);
        return -1;
      }
      t.tcm_parent = a === 'root' ? TC_H_ROOT : TC_H_MAKE(TC_H_CLSACT, a === 'ingress' ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
    } else if (a === 'parent') {
      const v = next();
      if (t.tcm_parent) tc.duparg('parent', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('Invalid parent ID', v);
      t.tcm_parent = h;
    } else if (a === 'handle') {
      const v = next();
      if (p.fhandle !== null) tc.duparg('handle', v);
      p.fhandle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      if (p.prio) tc.duparg('priority', v);
      const n = get_u32(v, 0);
      if (n === null || n > 0xffff) tc.invarg('invalid priority value', v);
      p.prio = n;
    } else if (matches(a, 'protocol')) {
      const v = next();
      if (p.protocolSet) tc.duparg('protocol', v);
      const id = ll_proto_a2n(v);
      if (id === null) tc.invarg('invalid protocol', v);
      p.protocol = id;
      p.protocolSet = true;
    } else if (matches(a, 'chain')) {
      const v = next();
      if (p.chain !== null) tc.duparg('chain', v);
      const n = get_u32(v, 0);
      if (n === null) tc.invarg('invalid chain index value', v);
      p.chain = n;
    } else if (!get && matches(a, 'estimator')) {
      const r = parse_estimator(tc, argv, i, p.est);
      if (!r) return -1;
      p.est = r.est;
      i = r.i;
    } else if (matches(a, 'help')) {
      tc.err(USAGE);
      return 0;
    } else {
      if (get && !a) tc.invarg('invalid filter name', a);
      p.k = a.slice(0, 15);
      p.q = get_filter_kind(p.k);
      i++;
      break;
    }
  }
  p.rest = argv.slice(i);
  return p;
}

/** tc_filter_modify(): add, change, replace, delete (and chain add/delete). */
function tc_filter_modify(tc: Tc, cmd: number, flags: number, argv: readonly string[]): number {
  const p = parse_common(tc, cmd, flags, argv, false);
  if (typeof p === 'number') return p;
  const { req } = p;
  req.tcm.tcm_info = TC_H_MAKE(p.prio * 65536, p.protocol);
  if (p.chain !== null) req.attrs.TCA_CHAIN = p.chain;
  if (p.k) req.attrs.TCA_KIND = p.k;
  if (p.d) {
    req.tcm.tcm_ifindex = tc.nameToIndex(p.d);
    if (req.tcm.tcm_ifindex === 0) {
      tc.err(`Cannot find device "${p.d}"\n`);
      return 1;
    }
  } else if (p.block) {
    req.tcm.tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
    req.tcm.tcm_parent = p.block;
  }
  if (p.q) {
    if (p.q.parse_fopt?.(p.q, tc, p.fhandle, p.rest, req)) return 1;
  } else {
    if (p.fhandle !== null) {
      tc.err('Must specify filter type when using "handle"\n');
      return -1;
    }
    if (p.rest.length) {
      if (matches(p.rest[0] as string, 'help')) tc.err(USAGE);
      tc.err(`Garbage instead of arguments "${p.rest[0]} ...". Try "tc filter help".\n`);
      return -1;
    }
  }
  if (p.est?.ewma_log) req.attrs.TCA_RATE = p.est;
  const r = tc_talk(tc.net, req);
  if (r.error) {
    if (r.extack !== null) tc.err(`Error: ${r.extack.endsWith('.') ? r.extack : `${r.extack}.`}\n`);
    else tc.err(`RTNETLINK answers: ${strerrorOf(-r.error)}\n`);
    tc.err('We have an error talking to the kernel\n');
    return 2;
  }
  return 0;
}

function strerrorOf(errno: number): string {
  return strerror(errno);
}

/** tc_filter_get(): one filter (or chain) by dev/block, parent, protocol, pref, handle and kind. */
function tc_filter_get(tc: Tc, cmd: number, argv: readonly string[]): number {
  const p = parse_common(tc, cmd, NLM_F_ECHO, argv, true);
  if (typeof p === 'number') return p;
  const { req } = p;
  const f = { ifindex: 0, parent: 0, prio: 0, protocol: 0, chain: null as number | null, block: 0 };
  if (cmd === RTM_GETTFILTER) {
    if (!p.protocolSet) {
      tc.err('Must specify filter protocol\n');
      return -1;
    }
    if (!p.prio) {
      tc.err('Must specify filter priority\n');
      return -1;
    }
    req.tcm.tcm_info = TC_H_MAKE(p.prio * 65536, p.protocol);
  }
  if (p.chain !== null) req.attrs.TCA_CHAIN = p.chain;
  if (req.tcm.tcm_parent === TC_H_UNSPEC) {
    tc.err('Must specify filter parent\n');
    return -1;
  }
  if (cmd === RTM_GETTFILTER) {
    if (p.k) req.attrs.TCA_KIND = p.k;
    else {
      tc.err('Must specify filter type\n');
      return -1;
    }
  }
  if (p.d) {
    req.tcm.tcm_ifindex = tc.nameToIndex(p.d);
    if (!req.tcm.tcm_ifindex) tc.nodev(p.d);
    f.ifindex = req.tcm.tcm_ifindex;
  } else if (p.block) {
    req.tcm.tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
    req.tcm.tcm_parent = p.block;
    f.block = p.block;
  } else {
    tc.err('Must specify netdevice "dev" or block index "block"\n');
    return -1;
  }
  if (cmd === RTM_GETTFILTER && p.q?.parse_fopt?.(p.q, tc, p.fhandle, p.rest, req)) return 1;
  if (p.fhandle === null && cmd === RTM_GETTFILTER) {
    tc.err('Must specify filter "handle"\n');
    return -1;
  }
  if (cmd !== RTM_GETTFILTER && p.rest.length) {
    if (matches(p.rest[0] as string, 'help')) tc.err(USAGE);
    tc.err(`Garbage instead of arguments "${p.rest[0]} ...". Try "tc filter help".\n`);
    return -1;
  }
  const r = tc_talk(tc.net, req);
  if (r.error) {
    if (r.extack !== null) tc.err(`Error: ${r.extack.endsWith('.') ? r.extack : `${r.extack}.`}\n`);
    else tc.err(`RTNETLINK answers: ${strerrorOf(-r.error)}\n`);
    tc.err('We have an error talking to the kernel\n');
    return 2;
  }
  tc.new_json_obj();
  const m = r.msgs[0];
  if (m) print_filter(tc, m, f);
  tc.delete_json_obj();
  return 0;
}

export interface FilterFilter {
  ifindex: number;
  parent: number;
  prio: number;
  protocol: number;
  chain: number | null;
  block: number;
}

/** print_filter(): one filter or chain message. */
export function print_filter(tc: Tc, n: TcMsg, f: FilterFilter): void {
  const t = n.tcm;
  const type = n.nlmsg_type;
  const isFilter = type === RTM_NEWTFILTER || type === RTM_GETTFILTER || type === RTM_DELTFILTER;
  if (!isFilter && type !== RTM_NEWCHAIN && type !== RTM_GETCHAIN && type !== RTM_DELCHAIN) {
    tc.err(`Not a filter(cmd ${type})\n`);
    return;
  }
  const tb = n.attrs;
  if (tb.TCA_KIND === undefined && isFilter) {
    tc.err('print_filter: NULL kind\n');
    return;
  }
  tc.open_json_object(null);
  if (type === RTM_DELTFILTER || type === RTM_DELCHAIN) tc.print_bool(PRINT_ANY, 'deleted', 'deleted ', true);
  if ((type === RTM_NEWTFILTER || type === RTM_NEWCHAIN) && n.nlmsg_flags & NLM_F_CREATE && !(n.nlmsg_flags & NLM_F_EXCL))
    tc.print_bool(PRINT_ANY, 'replaced', 'replaced ', true);
  if ((type === RTM_NEWTFILTER || type === RTM_NEWCHAIN) && n.nlmsg_flags & NLM_F_CREATE && n.nlmsg_flags & NLM_F_EXCL)
    tc.print_bool(PRINT_ANY, 'added', 'added ', true);
  tc.print_string(PRINT_FP, null, isFilter ? 'filter ' : 'chain ', null);
  if (t.tcm_ifindex === TCM_IFINDEX_MAGIC_BLOCK) {
    if (!f.block || f.block !== t.tcm_parent) tc.print_uint(PRINT_ANY, 'block', 'block %u ', t.tcm_parent);
  } else {
    if (!f.ifindex || f.ifindex !== t.tcm_ifindex) tc.print_devname(PRINT_ANY, t.tcm_ifindex);
    if (!f.parent || f.parent !== t.tcm_parent) {
      if (t.tcm_parent === TC_H_ROOT) tc.print_bool(PRINT_ANY, 'root', 'root ', true);
      else if (t.tcm_parent === TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)) tc.print_bool(PRINT_ANY, 'ingress', 'ingress ', true);
      else if (t.tcm_parent === TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) tc.print_bool(PRINT_ANY, 'egress', 'egress ', true);
      else tc.print_string(PRINT_ANY, 'parent', 'parent %s ', sprint_tc_classid(t.tcm_parent));
    }
  }
  if (t.tcm_info && isFilter) {
    const proto = TC_H_MIN(t.tcm_info);
    const prio = TC_H_MAJ(t.tcm_info) >>> 16;
    if ((!f.protocol || f.protocol !== proto) && proto)
      tc.print_string(PRINT_ANY, 'protocol', 'protocol %s ', ll_proto_n2a(proto, tc.opts.numeric > 0));
    if ((!f.prio || f.prio !== prio) && prio) tc.print_uint(PRINT_ANY, 'pref', 'pref %u ', prio);
  }
  if (tb.TCA_KIND !== undefined) tc.print_string(PRINT_ANY, 'kind', '%s ', tb.TCA_KIND);
  if (tb.TCA_CHAIN !== undefined && (f.chain === null || f.chain !== tb.TCA_CHAIN))
    tc.print_uint(PRINT_ANY, 'chain', 'chain %u ', tb.TCA_CHAIN);
  if (tb.TCA_KIND !== undefined && tb.TCA_OPTIONS) {
    const q = get_filter_kind(tb.TCA_KIND);
    tc.open_json_object('options');
    tc.fProto = TC_H_MIN(t.tcm_info); // f_proto, which f_u32's -p printers read
    if (q.print_fopt) q.print_fopt(q, tc, tb.TCA_OPTIONS, t.tcm_handle);
    else tc.err('cannot parse option parameters\n');
    tc.close_json_object();
  }
  tc.print_nl();
  if (tc.opts.stats && tb.TCA_STATS2) {
    print_tcstats_attr(tc, tb, ' ');
    tc.print_nl();
  }
  tc.close_json_object();
}

/** tc_filter_list(): a dump of filters (or chains). */
function tc_filter_list(tc: Tc, cmd: number, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: cmd, nlmsg_flags: NLM_F_DUMP, tcm: tcmsg(), attrs: {} };
  const f: FilterFilter = { ifindex: 0, parent: 0, prio: 0, protocol: 0, chain: null, block: 0 };
  const t = req.tcm;
  let d = '';
  let block = 0;
  let prio = 0;
  let protocol = 0;
  let fhandle: string | null = null;
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
      if (block) {
        tc.err('Error: "dev" cannot be used in the same time as "block"\n');
        return -1;
      }
      d = v.slice(0, 15);
    } else if (matches(a, 'block')) {
      const v = next();
      if (block) tc.duparg('block', v);
      if (d) {
        tc.err('Error: "block" cannot be used in the same time as "dev"\n');
        return -1;
      }
      const b = get_u32(v, 0);
      if (b === null || !b) tc.invarg('invalid block index value', v);
      block = b;
    } else if (a === 'root' || a === 'ingress' || a === 'egress') {
      if (t.tcm_parent) {
        tc.err(`Error: "${a}" is duplicate parent ID\n`);
        return -1;
      }
      f.parent = t.tcm_parent = a === 'root' ? TC_H_ROOT : TC_H_MAKE(TC_H_CLSACT, a === 'ingress' ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
    } else if (a === 'parent') {
      const v = next();
      if (t.tcm_parent) tc.duparg('parent', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid parent ID', v);
      f.parent = t.tcm_parent = h;
    } else if (a === 'handle') {
      const v = next();
      if (fhandle !== null) tc.duparg('handle', v);
      fhandle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      if (prio) tc.duparg('priority', v);
      const n = get_u32(v, 0);
      if (n === null) tc.invarg('invalid preference', v);
      prio = n;
      f.prio = prio;
    } else if (matches(a, 'protocol')) {
      const v = next();
      if (protocol) tc.duparg('protocol', v);
      const id = ll_proto_a2n(v);
      if (id === null) tc.invarg('invalid protocol', v);
      protocol = id;
      f.protocol = protocol;
    } else if (matches(a, 'chain')) {
      const v = next();
      if (f.chain !== null) tc.duparg('chain', v);
      const n = get_u32(v, 0);
      if (n === null) tc.invarg('invalid chain index value', v);
      f.chain = n;
    } else if (matches(a, 'help')) tc.err(USAGE);
    else {
      tc.err(` What is "${a}"? Try "tc filter help"\n`);
      return -1;
    }
  }
  t.tcm_info = TC_H_MAKE(prio * 65536, protocol);
  if (d) {
    t.tcm_ifindex = tc.nameToIndex(d);
    if (!t.tcm_ifindex) tc.nodev(d);
    f.ifindex = t.tcm_ifindex;
  } else if (block) {
    t.tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
    t.tcm_parent = block;
    f.block = block;
  }
  if (f.chain !== null) req.attrs.TCA_CHAIN = f.chain;
  const r = tc_talk(tc.net, req);
  tc.new_json_obj();
  for (const m of r.msgs) print_filter(tc, m, f);
  tc.delete_json_obj();
  return 0;
}

/** do_filter() */
export function do_filter(tc: Tc, argv: readonly string[]): number {
  const a = argv[0];
  if (a === undefined) return tc_filter_list(tc, RTM_GETTFILTER, []);
  const rest = argv.slice(1);
  if (matches(a, 'add')) return tc_filter_modify(tc, RTM_NEWTFILTER, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (matches(a, 'change')) return tc_filter_modify(tc, RTM_NEWTFILTER, 0, rest);
  if (matches(a, 'replace')) return tc_filter_modify(tc, RTM_NEWTFILTER, NLM_F_CREATE, rest);
  if (matches(a, 'delete')) return tc_filter_modify(tc, RTM_DELTFILTER, 0, rest);
  if (matches(a, 'get')) return tc_filter_get(tc, RTM_GETTFILTER, rest);
  if (matches(a, 'list') || matches(a, 'show') || matches(a, 'lst')) return tc_filter_list(tc, RTM_GETTFILTER, rest);
  if (matches(a, 'help')) {
    tc.err(USAGE);
    return 0;
  }
  tc.err(`Command "${a}" is unknown, try "tc filter help".\n`);
  return -1;
}

/** do_chain() */
export function do_chain(tc: Tc, argv: readonly string[]): number {
  const a = argv[0];
  if (a === undefined) return tc_filter_list(tc, RTM_GETCHAIN, []);
  const rest = argv.slice(1);
  if (matches(a, 'add')) return tc_filter_modify(tc, RTM_NEWCHAIN, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (matches(a, 'delete')) return tc_filter_modify(tc, RTM_DELCHAIN, 0, rest);
  if (matches(a, 'get')) return tc_filter_get(tc, RTM_GETCHAIN, rest);
  if (matches(a, 'list') || matches(a, 'show') || matches(a, 'lst')) return tc_filter_list(tc, RTM_GETCHAIN, rest);
  if (matches(a, 'help')) {
    tc.err(CHAIN_USAGE);
    return 0;
  }
  tc.err(`Command "${a}" is unknown, try "tc chain help".\n`);
  return -1;
}

/** do_action(): `tc actions` is m_action.c's (m_action.ts). */
export { do_action } from './m_action.ts';
