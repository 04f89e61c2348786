// tc/q_ingress.c and q_clsact.c: no options; ingress prints its dashes.
import type { TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { QdiscUtil } from './tc_common.ts';
import { PRINT_FP, type Tc } from './tc_util.ts';

function ingress_parse_opt(_qu: QdiscUtil, tc: Tc, argv: readonly string[], _req: TcMsg): number {
  for (const a of argv) {
    if (a === 'handle') continue;
    tc.err(`What is "${a}"?\n`);
    tc.err('Usage: ... ingress\n');
    return -1;
  }
  return 0;
}

function ingress_print_opt(_qu: QdiscUtil, tc: Tc, _opt: TcOptions | undefined): number {
  tc.print_string(PRINT_FP, null, '---------------- ', null);
  return 0;
}

function clsact_parse_opt(_qu: QdiscUtil, tc: Tc, argv: readonly string[], _req: TcMsg): number {
  if (argv.length > 0) {
    tc.err(`What is "${argv[0]}"?\n`);
    tc.err('Usage: ... clsact\n');
    return -1;
  }
  return 0;
}

export const ingress_qdisc_util: QdiscUtil = { id: 'ingress', parse_qopt: ingress_parse_opt, print_qopt: ingress_print_opt };
export const clsact_qdisc_util: QdiscUtil = { id: 'clsact', parse_qopt: clsact_parse_opt, print_qopt: () => 0 };
