// tc/q_fifo.c: pfifo, bfifo, pfifo_head_drop (`limit NUMBER`), and
// pfifo_fast, which prints as prio does.
import type { TcFifoQopt, TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { QdiscUtil } from './tc_common.ts';
import { PRINT_ANY, type Tc, get_size } from './tc_util.ts';
import { prio_print_opt } from './q_prio.ts';

function explain(tc: Tc): void {
  tc.err('Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]\n');
}

function fifo_parse_opt(qu: QdiscUtil, tc: Tc, argv: readonly string[], req: TcMsg): number {
  let ok = 0;
  const opt: TcFifoQopt = { limit: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === 'limit') {
      i++;
      if (i >= argv.length) tc.incomplete();
      const v = get_size(argv[i] as string);
      if (v === null) {
        tc.err(`${qu.id}: Illegal value for "limit": "${argv[i]}"\n`);
        return -1;
      }
      opt.limit = v;
      ok++;
    } else if (a === 'help') {
      explain(tc);
      return -1;
    } else {
      tc.err(`${qu.id}: unknown parameter "${a}"\n`);
      explain(tc);
      return -1;
    }
  }
  if (ok) req.attrs.TCA_OPTIONS = opt;
  return 0;
}

function fifo_print_opt(qu: QdiscUtil, tc: Tc, opt: TcOptions | undefined): number {
  if (opt === undefined) return 0;
  const q = opt as Partial<TcFifoQopt>;
  if (typeof q.limit !== 'number') return -1;
  if (qu.id === 'bfifo') tc.print_size(PRINT_ANY, 'limit', 'limit %s', q.limit);
  else tc.print_uint(PRINT_ANY, 'limit', 'limit %up', q.limit);
  return 0;
}

export const bfifo_qdisc_util: QdiscUtil = { id: 'bfifo', parse_qopt: fifo_parse_opt, print_qopt: fifo_print_opt };
export const pfifo_qdisc_util: QdiscUtil = { id: 'pfifo', parse_qopt: fifo_parse_opt, print_qopt: fifo_print_opt };
export const pfifo_head_drop_qdisc_util: QdiscUtil = { id: 'pfifo_head_drop', parse_qopt: fifo_parse_opt, print_qopt: fifo_print_opt };
export const pfifo_fast_qdisc_util: QdiscUtil = { id: 'pfifo_fast', print_qopt: prio_print_opt };
