// tc/q_prio.c: `prio bands N priomap P1 P2 …` (this kernel has no prio: it
// answers "Specified qdisc kind is unknown"), and the printer pfifo_fast
// shares (bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1).
import type { TcMsg, TcOptions, TcPrioQopt } from '../../../kernel/uapi/rtnetlink_tc.ts';
import { TC_PRIO_MAX } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { QdiscUtil } from './tc_common.ts';
import { PRINT_ANY, PRINT_FP, PRINT_JSON, type Tc } from './tc_util.ts';
import { getInteger, getUnsigned } from '../ip/common.ts';

function explain(tc: Tc): void {
  tc.err('Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]\n');
}

function prio_parse_opt(_qu: QdiscUtil, tc: Tc, argv: readonly string[], req: TcMsg): number {
  let pmap_mode = false;
  let idx = 0;
  const opt: TcPrioQopt & { multiqueue?: boolean } = { bands: 3, priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] };
  let mq = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === 'bands') {
      if (pmap_mode) explain(tc);
      i++;
      if (i >= argv.length) tc.incomplete();
      const v = /^[+-]?\d+$/.test(argv[i] as string) ? getInteger(argv[i] as string) : null;
      if (v === null) {
        tc.err('Illegal "bands"\n');
        return -1;
      }
      opt.bands = v;
    } else if (a === 'priomap') {
      if (pmap_mode) {
        tc.err('Error: duplicate priomap\n');
        return -1;
      }
      pmap_mode = true;
    } else if (a === 'multiqueue') {
      mq = true;
    } else if (a === 'help') {
      explain(tc);
      return -1;
    } else {
      if (!pmap_mode) {
        tc.err(`What is "${a}"?\n`);
        explain(tc);
        return -1;
      }
      const band = /^\+?\d+$/.test(a) ? getUnsigned(a) : null;
      if (band === null) {
        tc.err('Illegal "priomap" element\n');
        return -1;
      }
      if (band >= opt.bands >>> 0) {
        tc.err('"priomap" element is out of bands\n');
        return -1;
      }
      if (idx > TC_PRIO_MAX) {
        tc.err(`"priomap" index > TC_PRIO_MAX=${TC_PRIO_MAX}\n`);
        return -1;
      }
      opt.priomap[idx++] = band;
    }
  }
  if (mq) opt.multiqueue = true;
  req.attrs.TCA_OPTIONS = opt;
  return 0;
}

/** prio_print_opt() */
export function prio_print_opt(_qu: QdiscUtil, tc: Tc, opt: TcOptions | undefined): number {
  if (opt === undefined) return 0;
  const q = opt as Partial<TcPrioQopt> & { multiqueue?: boolean };
  if (typeof q.bands !== 'number' || !Array.isArray(q.priomap)) return -1;
  tc.print_uint(PRINT_ANY, 'bands', 'bands %u ', q.bands);
  tc.open_json_array(PRINT_ANY, 'priomap');
  for (let i = 0; i <= TC_PRIO_MAX; i++) tc.print_uint(PRINT_ANY, null, ' %d', q.priomap[i] ?? 0);
  tc.close_json_array(PRINT_ANY, '');
  if (q.multiqueue !== undefined) tc.print_string(PRINT_FP, null, ' multiqueue: %s ', q.multiqueue ? 'on' : 'off');
  tc.print_bool(PRINT_JSON, 'multiqueue', null, q.multiqueue === true);
  return 0;
}

export const prio_qdisc_util: QdiscUtil = { id: 'prio', parse_qopt: prio_parse_opt, print_qopt: prio_print_opt };
