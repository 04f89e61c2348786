// tc/tc_util.h's module tables: what each q_*.ts, f_*.ts and m_*.ts file
// exports (struct qdisc_util, filter_util, action_util), as iproute2 finds
// them by kind (get_qdisc_kind, get_filter_kind, get_action_kind).
import type { TcMsg, TcActionMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { Args, Tc } from './tc_util.ts';

/** struct qdisc_util. parse_* return 0, or nonzero after printing the reason (tc then exits 1). */
export interface QdiscUtil {
  readonly id: string;
  /** sets req.attrs.TCA_OPTIONS from the words after the kind */
  parse_qopt?(qu: QdiscUtil, tc: Tc, argv: readonly string[], req: TcMsg, dev: string): number;
  print_qopt?(qu: QdiscUtil, tc: Tc, opt: TcOptions | undefined): number;
  print_xstats?(qu: QdiscUtil, tc: Tc, xstats: TcOptions | undefined): number;
  parse_copt?(qu: QdiscUtil, tc: Tc, argv: readonly string[], req: TcMsg, dev: string): number;
  print_copt?(qu: QdiscUtil, tc: Tc, opt: TcOptions | undefined): number;
}

/** struct filter_util */
export interface FilterUtil {
  readonly id: string;
  /** handle: the word after `handle` (or null); sets req.attrs.TCA_OPTIONS and req.tcm.tcm_handle */
  parse_fopt?(fu: FilterUtil, tc: Tc, handle: string | null, argv: readonly string[], req: TcMsg): number;
  print_fopt?(fu: FilterUtil, tc: Tc, opt: TcOptions | undefined, fhandle: number): number;
}

/** struct action_util: parse_aopt moves the cursor past its words (as *argc_p/*argv_p). */
export interface ActionUtil {
  readonly id: string;
  parse_aopt?(au: ActionUtil, tc: Tc, args: Args, tca_id: number, req: TcMsg | TcActionMsg): number;
  print_aopt?(au: ActionUtil, tc: Tc, opt: TcOptions | undefined): number;
  print_xstats?(au: ActionUtil, tc: Tc, xstats: TcOptions | undefined): number;
}
