// tc/tc_filter.c: `tc filter add|change|replace|delete|get|show`. The
// classifier kinds are in modules.ts (FILTER_UTILS); their parse_fopt fills
// TCA_OPTIONS, their print_fopt prints a dump's options; the header (dev,
// parent, protocol, pref, kind, chain) and the -s counters are printed here.
// `tc chain` and `tc actions` (m_action.ts) are dispatched from here too.
import {
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_ECHO,
  NLM_F_EXCL,
  RTM_DELTFILTER,
  RTM_GETTFILTER,
  RTM_NEWTFILTER,
  TC_H_MAJ,
  TC_H_MAKE,
  TC_H_MIN,
  type TcMsg,
  tc_talk,
  tcmsg,
} from '../../../kernel/uapi/rtnetlink_tc.ts';
import { get_filter_kind } from './modules.ts';
import { PRINT_ANY, PRINT_FP, type Tc, get_tc_classid, get_u32, matches, print_tcstats_attr, sprint_tc_classid } from './tc_util.ts';

export { do_action } from './m_action.ts';

const TC_H_ROOT = 0xffffffff;
const TC_H_CLSACT = 0xfffffff1;
const TC_H_MIN_INGRESS = 0xfff2;
const TC_H_MIN_EGRESS = 0xfff3;
const ETH_P_ALL = 0x0003;
const TC_ACT_EXT_VAL_MASK = (1 << 28) - 1;

/** lib/ll_proto.c's names (ethertypes in host order). */
const LL_PROTO: readonly (readonly [number, string])[] = [
  [0x0060, 'loop'],
  [0x0200, 'pup'],
  [0x0201, 'pupat'],
  [0x0800, 'ip'],
  [0x0805, 'x25'],
  [0x0806, 'arp'],
  [0x08ff, 'bpq'],
  [0x0a00, 'ieeepup'],
  [0x0a01, 'ieeepupat'],
  [0x6000, 'dec'],
  [0x6001, 'dna_dl'],
  [0x6002, 'dna_rc'],
  [0x6003, 'dna_rt'],
  [0x6004, 'lat'],
  [0x6005, 'diag'],
  [0x6006, 'cust'],
  [0x6007, 'sca'],
  [0x8035, 'rarp'],
  [0x809b, 'atalk'],
  [0x80f3, 'aarp'],
  [0x8100, '802.1Q'],
  [0x88a8, '802.1ad'],
  [0x8137, 'ipx'],
  [0x86dd, 'ipv6'],
  [0x8863, 'pppoe_disc'],
  [0x8864, 'pppoe_sess'],
  [0x888e, '802.1X'],
  [0x88cc, 'lldp'],
  [0x8847, 'mpls_uc'],
  [0x8848, 'mpls_mc'],
  [0x0001, '802_3'],
  [0x0002, 'ax25'],
  [0x0003, 'all'],
  [0x0004, '802_2'],
  [0x0005, 'snap'],
  [0x0006, 'ddcmp'],
  [0x0007, 'wan_ppp'],
  [0x0008, 'ppp_mp'],
  [0x0009, 'localtalk'],
  [0x0010, 'can'],
  [0x000c, 'ppptalk'],
  [0x000d, 'tr_802_2'],
  [0x000e, 'mobitex'],
  [0x000f, 'control'],
  [0x0015, 'irda'],
  [0x0016, 'econet'],
  [0x0019, 'tipc'],
  [0x001b, 'ieee802154'],
  [0x0023, 'mctp'],
];

/** ll_proto_n2a() */
export function ll_proto_n2a(id: number): string {
  for (const [n, s] of LL_PROTO) if (n === id) return s;
  return `[${id}]`;
}

/** ll_proto_a2n(): a name (any case) or a number; null when neither. */
export function ll_proto_a2n(s: string): number | null {
  for (const [n, name] of LL_PROTO) if (name.toLowerCase() === s.toLowerCase()) return n;
  const v = get_u32(s, 0);
  if (v === null || v > 0xffff) return null;
  return v;
}

function usage(tc: Tc): void {
  tc.err(
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
      'OPTIONS := ... try tc filter add <desired FILTER_KIND> help\n',
  );
}

/** The filter the last `tc filter show` asked for (filter_parent & co., which print_filter leaves out). */
interface ShowFilter {
  parent: number;
  ifindex: number;
  prio: number;
  protocol: number;
  chain: number | null;
}

function talkError(tc: Tc, r: { error: number; extack: string | null }): number {
  if (r.extack !== null) tc.err(`Error: ${r.extack.endsWith('.') ? r.extack : `${r.extack}.`}\n`);
  else tc.err(`RTNETLINK answers: ${strerrorOf(-r.error)}\n`);
  tc.err('We have an error talking to the kernel\n');
  return 2;
}

function strerrorOf(e: number): string {
  const t: Record<number, string> = {
    1: 'Operation not permitted',
    2: 'No such file or directory',
    16: 'Device or resource busy',
    17: 'File exists',
    19: 'No such device',
    22: 'Invalid argument',
    28: 'No space left on device',
    95: 'Operation not supported',
  };
  return t[e] ?? `Unknown error ${e}`;
}

/** tc_filter_modify(): add (EXCL|CREATE), change (0), replace (CREATE), delete. */
function tc_filter_modify(tc: Tc, cmd: number, flags: number, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: cmd, nlmsg_flags: flags, tcm: tcmsg(), attrs: {} };
  let prio = 0;
  let protocol = cmd === RTM_NEWTFILTER && flags & NLM_F_CREATE ? ETH_P_ALL : 0;
  let protocol_set = false;
  let chain_index: number | null = null;
  let fhandle: string | null = null;
  let d = '';
  let k = '';
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
      d = v;
    } else if (matches(a, 'block')) {
      const v = next();
      tc.err('skbpath: tc: shared filter blocks are not simulated\n');
      void v;
      return 1;
    } else if (a === 'root') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "root" is duplicate parent ID\n');
        return -1;
      }
      req.tcm.tcm_parent = TC_H_ROOT;
    } else if (a === 'ingress') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "ingress" is duplicate parent ID\n');
        return -1;
      }
      req.tcm.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
    } else if (a === 'egress') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "egress" is duplicate parent ID\n');
        return -1;
      }
      req.tcm.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
    } else if (a === 'parent') {
      const v = next();
      if (req.tcm.tcm_parent) tc.duparg('parent', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('Invalid parent ID', v);
      req.tcm.tcm_parent = h;
    } else if (a === 'handle') {
      const v = next();
      if (fhandle !== null) tc.duparg('handle', v);
      fhandle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      if (prio) tc.duparg('priority', v);
      const p = get_u32(v, 0);
      if (p === null || p > 0xffff) tc.invarg('invalid priority value', v);
      prio = p;
    } else if (matches(a, 'protocol')) {
      const v = next();
      if (protocol_set) tc.duparg('protocol', v);
      const id = ll_proto_a2n(v);
      if (id === null) tc.invarg('invalid protocol', v);
      protocol = id;
      protocol_set = true;
    } else if (matches(a, 'chain')) {
      const v = next();
      if (chain_index !== null) tc.duparg('chain', v);
      const c = get_u32(v, 0);
      if (c === null) tc.invarg('invalid chain index value', v);
      chain_index = c;
    } else if (matches(a, 'estimator')) {
      tc.err('skbpath: tc: filter rate estimators are not simulated\n');
      return 1;
    } else if (matches(a, 'help')) {
      usage(tc);
      return 0;
    } else {
      k = a;
      i++;
      break;
    }
  }
  const rest = argv.slice(i);
  req.tcm.tcm_info = TC_H_MAKE(prio * 65536, protocol);
  if (chain_index !== null) req.attrs.TCA_CHAIN = chain_index;
  if (k) req.attrs.TCA_KIND = k;
  if (d) {
    const idx = tc.nameToIndex(d);
    if (!idx) {
      tc.err(`Cannot find device "${d}"\n`);
      return 1;
    }
    req.tcm.tcm_ifindex = idx;
  }
  const q = k ? get_filter_kind(k) : null;
  if (k && !q) {
    // get_filter_kind(): no f_KIND module; tc uses its noexist stub, which refuses options
    if (rest.length) {
      tc.err(`Unknown filter "${k}", hence option "${rest[0]}" is unparsable\n`);
      return 1;
    }
  } else if (q) {
    if (!q.parse_fopt || q.parse_fopt(q, tc, fhandle, rest, req)) return 1;
  } else {
    if (fhandle !== null) {
      tc.err('Must specify filter type when using "handle"\n');
      return -1;
    }
    if (rest.length) {
      if (matches(rest[0] as string, 'help')) usage(tc);
      tc.err(`Garbage instead of arguments "${rest[0]} ...". Try "tc filter help".\n`);
      return -1;
    }
  }
  const r = tc_talk(tc.net, req);
  if (r.error) return talkError(tc, r);
  return 0;
}

/** print_filter(): one message of a dump (or an answer to `get`). */
function print_filter(tc: Tc, m: TcMsg, f: ShowFilter): number {
  const t = m.tcm;
  if (m.attrs.TCA_KIND === undefined) {
    tc.err('print_filter: NULL kind\n');
    return -1;
  }
  tc.open_json_object(null);
  if (m.nlmsg_type === RTM_DELTFILTER) tc.print_bool(PRINT_ANY, 'deleted', 'deleted ', true);
  if (m.nlmsg_type === RTM_NEWTFILTER && m.nlmsg_flags & NLM_F_CREATE && !(m.nlmsg_flags & NLM_F_EXCL))
    tc.print_bool(PRINT_ANY, 'replaced', 'replaced ', true);
  if (m.nlmsg_type === RTM_NEWTFILTER && m.nlmsg_flags & NLM_F_CREATE && m.nlmsg_flags & NLM_F_EXCL)
    tc.print_bool(PRINT_ANY, 'added', 'added ', true);
  tc.print_string(PRINT_FP, null, 'filter ', null);
  if (!f.ifindex || f.ifindex !== t.tcm_ifindex) tc.print_devname(PRINT_ANY, t.tcm_ifindex);
  if (!f.parent || f.parent !== t.tcm_parent) {
    if (t.tcm_parent === TC_H_ROOT) tc.print_bool(PRINT_ANY, 'root', 'root ', true);
    else if (t.tcm_parent === TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)) tc.print_bool(PRINT_ANY, 'ingress', 'ingress ', true);
    else if (t.tcm_parent === TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) tc.print_bool(PRINT_ANY, 'egress', 'egress ', true);
    else tc.print_string(PRINT_ANY, 'parent', 'parent %s ', sprint_tc_classid(t.tcm_parent));
  }
  const f_proto = TC_H_MIN(t.tcm_info);
  if (t.tcm_info) {
    const prio = TC_H_MAJ(t.tcm_info) >>> 16;
    if (!f.protocol || f.protocol !== f_proto) {
      if (f_proto) tc.print_string(PRINT_ANY, 'protocol', 'protocol %s ', ll_proto_n2a(f_proto));
    }
    if (!f.prio || f.prio !== prio) {
      if (prio) tc.print_uint(PRINT_ANY, 'pref', 'pref %u ', prio);
    }
  }
  tc.print_string(PRINT_ANY, 'kind', '%s ', m.attrs.TCA_KIND);
  if (m.attrs.TCA_CHAIN !== undefined) {
    if (f.chain === null || f.chain !== m.attrs.TCA_CHAIN) tc.print_uint(PRINT_ANY, 'chain', 'chain %u ', m.attrs.TCA_CHAIN);
  }
  const q = get_filter_kind(m.attrs.TCA_KIND);
  if (m.attrs.TCA_OPTIONS) {
    tc.open_json_object('options');
    if (q?.print_fopt) {
      tc.fProto = f_proto;
      q.print_fopt(q, tc, m.attrs.TCA_OPTIONS, t.tcm_handle);
    } else tc.err('cannot parse option parameters\n');
    tc.close_json_object();
  }
  tc.print_nl();
  if (tc.opts.stats && m.attrs.TCA_STATS2) {
    print_tcstats_attr(tc, m.attrs, ' ');
    tc.print_nl();
  }
  tc.close_json_object();
  return 0;
}

/** tc_filter_list(): `tc filter show`. */
function tc_filter_list(tc: Tc, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: RTM_GETTFILTER, nlmsg_flags: NLM_F_DUMP, tcm: tcmsg(), attrs: {} };
  const f: ShowFilter = { parent: 0, ifindex: 0, prio: 0, protocol: 0, chain: null };
  let d = '';
  let prio = 0;
  let protocol = 0;
  let fhandle: string | null = null;
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
      d = v;
    } else if (matches(a, 'block')) {
      next();
      tc.err('skbpath: tc: shared filter blocks are not simulated\n');
      return 1;
    } else if (a === 'root') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "root" is duplicate parent ID\n');
        return -1;
      }
      f.parent = req.tcm.tcm_parent = TC_H_ROOT;
    } else if (a === 'ingress') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "ingress" is duplicate parent ID\n');
        return -1;
      }
      f.parent = req.tcm.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
    } else if (a === 'egress') {
      if (req.tcm.tcm_parent) {
        tc.err('Error: "egress" is duplicate parent ID\n');
        return -1;
      }
      f.parent = req.tcm.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
    } else if (a === 'parent') {
      const v = next();
      if (req.tcm.tcm_parent) tc.duparg('parent', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('invalid parent ID', v);
      f.parent = req.tcm.tcm_parent = h;
    } else if (a === 'handle') {
      const v = next();
      if (fhandle !== null) tc.duparg('handle', v);
      fhandle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      if (prio) tc.duparg('priority', v);
      const p = get_u32(v, 0);
      if (p === null) tc.invarg('invalid preference', v);
      prio = p;
      f.prio = p;
    } else if (matches(a, 'protocol')) {
      const v = next();
      if (protocol) tc.duparg('protocol', v);
      const id = ll_proto_a2n(v);
      if (id === null) tc.invarg('invalid protocol', v);
      protocol = id;
      f.protocol = id;
    } else if (matches(a, 'chain')) {
      const v = next();
      if (f.chain !== null) tc.duparg('chain', v);
      const c = get_u32(v, 0);
      if (c === null) tc.invarg('invalid chain index value', v);
      f.chain = c;
    } else if (matches(a, 'help')) {
      usage(tc);
    } else {
      tc.err(` What is "${a}"? Try "tc filter help"\n`);
      return -1;
    }
  }
  req.tcm.tcm_info = TC_H_MAKE((prio * 65536) >>> 0, protocol);
  if (d) {
    const idx = tc.nameToIndex(d);
    if (!idx) {
      tc.err(`Cannot find device "${d}"\n`);
      return 1;
    }
    req.tcm.tcm_ifindex = idx;
    f.ifindex = idx;
  }
  if (f.chain !== null) req.attrs.TCA_CHAIN = f.chain;
  const r = tc_talk(tc.net, req);
  tc.new_json_obj();
  for (const m of r.msgs) print_filter(tc, m as TcMsg, f);
  tc.delete_json_obj();
  return 0;
}

/** tc_filter_get(): one filter by dev, parent, protocol, pref, handle and kind. */
function tc_filter_get(tc: Tc, argv: readonly string[]): number {
  const req: TcMsg = { nlmsg_type: RTM_GETTFILTER, nlmsg_flags: NLM_F_ECHO, tcm: tcmsg(), attrs: {} };
  let prio = 0;
  let protocol = 0;
  let d = '';
  let fhandle: string | null = null;
  let k = '';
  let i = 0;
  const next = (): string => {
    i++;
    if (i >= argv.length) tc.incomplete();
    return argv[i] as string;
  };
  const f: ShowFilter = { parent: 0, ifindex: 0, prio: 0, protocol: 0, chain: null };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === 'dev') {
      const v = next();
      if (d) tc.duparg('dev', v);
      d = v;
    } else if (a === 'root') {
      req.tcm.tcm_parent = TC_H_ROOT;
    } else if (a === 'ingress') {
      req.tcm.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
    } else if (a === 'egress') {
      req.tcm.tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);
    } else if (a === 'parent') {
      const v = next();
      if (req.tcm.tcm_parent) tc.duparg('parent', v);
      const h = get_tc_classid(v);
      if (h === null) tc.invarg('Invalid parent ID', v);
      req.tcm.tcm_parent = h;
    } else if (a === 'handle') {
      const v = next();
      if (fhandle !== null) tc.duparg('handle', v);
      fhandle = v;
    } else if (matches(a, 'preference') || matches(a, 'priority')) {
      const v = next();
      const p = get_u32(v, 0);
      if (p === null || p > 0xffff) tc.invarg('invalid priority value', v);
      prio = p;
    } else if (matches(a, 'protocol')) {
      const v = next();
      const id = ll_proto_a2n(v);
      if (id === null) tc.invarg('invalid protocol', v);
      protocol = id;
    } else if (matches(a, 'chain')) {
      const v = next();
      const c = get_u32(v, 0);
      if (c === null || c > TC_ACT_EXT_VAL_MASK) tc.invarg('invalid chain index value', v);
      req.attrs.TCA_CHAIN = c;
    } else if (matches(a, 'help')) {
      usage(tc);
      return 0;
    } else {
      k = a;
      i++;
      break;
    }
  }
  if (!protocol) {
    tc.err('must specify filter protocol\n');
    return -1;
  }
  if (!prio) {
    tc.err('must specify filter priority\n');
    return -1;
  }
  req.tcm.tcm_info = TC_H_MAKE(prio * 65536, protocol);
  if (k) req.attrs.TCA_KIND = k;
  if (d) {
    const idx = tc.nameToIndex(d);
    if (!idx) {
      tc.err(`Cannot find device "${d}"\n`);
      return 1;
    }
    req.tcm.tcm_ifindex = idx;
    f.ifindex = idx;
  }
  const q = k ? get_filter_kind(k) : null;
  if (!q) {
    tc.err('Must specify filter type\n');
    return -1;
  }
  if (!q.parse_fopt || q.parse_fopt(q, tc, fhandle, argv.slice(i), req)) return 1;
  delete req.attrs.TCA_OPTIONS;
  if (!fhandle) {
    tc.err('Must specify filter "handle"\n');
    return -1;
  }
  const r = tc_talk(tc.net, req);
  if (r.error) return talkError(tc, r);
  tc.new_json_obj();
  for (const m of r.msgs) print_filter(tc, m as TcMsg, f);
  tc.delete_json_obj();
  return 0;
}

/** do_filter() */
export function do_filter(tc: Tc, argv: readonly string[]): number {
  if (argv.length < 1) return tc_filter_list(tc, []);
  const w = argv[0] as string;
  const rest = argv.slice(1);
  if (matches(w, 'add')) return tc_filter_modify(tc, RTM_NEWTFILTER, NLM_F_EXCL | NLM_F_CREATE, rest);
  if (matches(w, 'change')) return tc_filter_modify(tc, RTM_NEWTFILTER, 0, rest);
  if (matches(w, 'replace')) return tc_filter_modify(tc, RTM_NEWTFILTER, NLM_F_CREATE, rest);
  if (matches(w, 'delete')) return tc_filter_modify(tc, RTM_DELTFILTER, 0, rest);
  if (matches(w, 'get')) return tc_filter_get(tc, rest);
  if (matches(w, 'list') || matches(w, 'show') || matches(w, 'lst')) return tc_filter_list(tc, rest);
  if (matches(w, 'help')) {
    usage(tc);
    return 0;
  }
  tc.err(`Command "${w}" is unknown, try "tc filter help".\n`);
  return -1;
}

/** do_chain() */
export function do_chain(tc: Tc, _argv: readonly string[]): number {
  tc.err('skbpath: tc chain is not simulated yet\n');
  return 1;
}
