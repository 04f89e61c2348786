// The kinds this tc knows, one line each (iproute2 links q_*.c, f_*.c and
// m_*.c in; get_*_kind() finds them by id). Kinds iproute2 6.1 has but
// skbpath does not simulate are listed in IPROUTE2_*_KINDS.
import type { ActionUtil, FilterUtil, QdiscUtil } from './tc_common.ts';
import { bfifo_qdisc_util, pfifo_fast_qdisc_util, pfifo_head_drop_qdisc_util, pfifo_qdisc_util } from './q_fifo.ts';
import { netem_qdisc_util } from './q_netem.ts';
import { prio_qdisc_util } from './q_prio.ts';
import { clsact_qdisc_util, ingress_qdisc_util } from './q_ingress.ts';
import { u32_filter_util } from './f_u32.ts';
import { bpf_filter_util } from './f_bpf.ts';
import { mirred_action_util } from './m_mirred.ts';
import { gact_action_util } from './m_gact.ts';
import { skbedit_action_util } from './m_skbedit.ts';
import { police_action_util } from './m_police.ts';
import { matchall_filter_util } from './f_matchall.ts';
import { basic_filter_util } from './f_basic.ts';
import { fw_filter_util } from './f_fw.ts';
import { tbf_qdisc_util } from './q_tbf.ts';
import { htb_qdisc_util } from './q_htb.ts';

export const QDISC_UTILS: readonly QdiscUtil[] = [
  pfifo_qdisc_util,
  bfifo_qdisc_util,
  pfifo_head_drop_qdisc_util,
  pfifo_fast_qdisc_util,
  prio_qdisc_util,
  netem_qdisc_util,
  ingress_qdisc_util,
  clsact_qdisc_util,
  tbf_qdisc_util,
  htb_qdisc_util,
];

export const FILTER_UTILS: readonly FilterUtil[] = [
  u32_filter_util,
  bpf_filter_util,
  matchall_filter_util,
  basic_filter_util,
  fw_filter_util,
];

export const ACTION_UTILS: readonly ActionUtil[] = [mirred_action_util, gact_action_util, skbedit_action_util, police_action_util];

/** tc/q_*.c of iproute2 6.1: kinds tc parses options for. */
export const IPROUTE2_QDISC_KINDS: readonly string[] = [
  'atm',
  'cake',
  'cbq',
  'cbs',
  'choke',
  'clsact',
  'codel',
  'drr',
  'dsmark',
  'etf',
  'ets',
  'fq',
  'fq_codel',
  'fq_pie',
  'gred',
  'hfsc',
  'hhf',
  'htb',
  'ingress',
  'mqprio',
  'multiq',
  'netem',
  'pie',
  'plug',
  'qfq',
  'red',
  'rr',
  'sfb',
  'sfq',
  'skbprio',
  'taprio',
  'tbf',
];

/** tc/f_*.c of iproute2 6.1 */
export const IPROUTE2_FILTER_KINDS: readonly string[] = [
  'basic',
  'bpf',
  'cgroup',
  'flow',
  'flower',
  'fw',
  'matchall',
  'route',
  'rsvp',
  'tcindex',
  'u32',
];

/** tc/m_*.c of iproute2 6.1 */
export const IPROUTE2_ACTION_KINDS: readonly string[] = [
  'bpf',
  'connmark',
  'csum',
  'ct',
  'ctinfo',
  'gact',
  'gate',
  'ife',
  'ipt',
  'mirred',
  'mpls',
  'nat',
  'pedit',
  'police',
  'sample',
  'simple',
  'skbedit',
  'skbmod',
  'tunnel_key',
  'vlan',
  'xt',
];

/** parse_noqopt()/print_noqopt(): what tc does with a kind it has no module for. */
function noexistQdisc(id: string, known: boolean): QdiscUtil {
  return {
    id,
    parse_qopt: (qu, tc, argv) => {
      if (!argv.length) return 0;
      if (known) {
        tc.err(`skbpath: tc: the options of qdisc "${qu.id}" are not simulated\n`);
        return -1;
      }
      tc.err(`Unknown qdisc "${qu.id}", hence option "${argv[0]}" is unparsable\n`);
      return -1;
    },
    print_qopt: (_qu, tc, opt) => {
      if (opt !== undefined && Object.keys(opt).length) tc.err('[Unknown qdisc, optlen=?] ');
      return 0;
    },
  };
}

/** get_qdisc_kind() */
export function get_qdisc_kind(kind: string): QdiscUtil {
  return QDISC_UTILS.find((q) => q.id === kind) ?? noexistQdisc(kind, IPROUTE2_QDISC_KINDS.includes(kind));
}

/** get_filter_kind(): a kind without a module parses no options (parse_nofopt) but takes a hex handle. */
export function get_filter_kind(kind: string): FilterUtil {
  const f = FILTER_UTILS.find((u) => u.id === kind);
  if (f) return f;
  const known = IPROUTE2_FILTER_KINDS.includes(kind);
  return {
    id: kind,
    parse_fopt: (fu, tc, fhandle, argv, req) => {
      if (argv.length) {
        if (known) tc.err(`skbpath: tc: the options of filter "${fu.id}" are not simulated\n`);
        else tc.err(`Unknown filter "${fu.id}", hence option "${argv[0]}" is unparsable\n`);
        return -1;
      }
      if (fhandle !== null) {
        const h = /^\s*\+?(0[xX])?[0-9a-fA-F]+$/.test(fhandle) ? Number.parseInt(fhandle.trim().replace(/^\+/, ''), 16) : Number.NaN;
        if (!(h >= 0 && h <= 0xffffffff)) {
          tc.err(`Unparsable filter ID "${fhandle}"\n`);
          return -1;
        }
        req.tcm.tcm_handle = h;
      }
      return 0;
    },
    print_fopt: (_fu, tc, opt) => {
      if (opt) tc.out('[Unknown filter, optlen=?] ');
      return 0;
    },
  };
}

/** get_action_kind(): null when tc has no such action */
export function get_action_kind(kind: string): ActionUtil | null {
  return ACTION_UTILS.find((a) => a.id === kind) ?? null;
}
