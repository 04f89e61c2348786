// tc/m_police.c: `police rate RATE burst BYTES[/CELL] [mtu BYTES] [peakrate
// RATE] [mpu N] [overhead N] [linklayer L] [conform-exceed EXCEED[/CONFORM]]
// [index N]`, with the legacy rate table (tc_calc_rtable) the kernel asks
// for. The per-packet rate (pkts_rate) is not simulated.
import { TC_POLICE_RECLASSIFY, type TcPolice, type TcPoliceOptions, type TcRatespec } from '../../../kernel/uapi/pkt_cls.ts';
import type { TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { ActionUtil } from './tc_common.ts';
import {
  type ActHolder,
  action_a2n,
  parse_action_control,
  parse_action_control_slash,
  print_action_control,
  print_tm,
} from './m_action.ts';
import { get_linklayer, get_size_and_cell, sprint_linklayer, tc_calc_rtable, tc_calc_xmitsize, tc_calc_xmittime } from './q_tbf.ts';
import {
  type Args,
  PRINT_ANY,
  PRINT_FP,
  PRINT_JSON,
  type Tc,
  TcExit,
  get_rate,
  get_rate64,
  get_size,
  get_u32,
  matches,
} from './tc_util.ts';

const LINKLAYER_ETHERNET = 1;

function usage(tc: Tc): never {
  tc.err(
    'Usage: ... police [ rate BPS burst BYTES[/BYTES] ] \n' +
      '\t\t[ pkts_rate RATE pkts_burst PACKETS ] [ mtu BYTES[/BYTES] ]\n' +
      '\t\t[ peakrate BPS ] [ avrate BPS ] [ overhead BYTES ]\n' +
      '\t\t[ linklayer TYPE ] [ CONTROL ]\n' +
      'Where: CONTROL := conform-exceed <EXCEEDACT>[/NOTEXCEEDACT]\n' +
      '\t\t  Define how to handle packets which exceed (<EXCEEDACT>)\n' +
      '\t\t  or conform (<NOTEXCEEDACT>) the configured bandwidth limit.\n' +
      '       EXCEEDACT/NOTEXCEEDACT := { pipe | ok | reclassify | drop | continue |\n' +
      '\t\t\t\t   goto chain <CHAIN_INDEX> }\n',
  );
  throw new TcExit(255);
}

function ratespec(): TcRatespec {
  return { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
}

/** act_parse_police() */
function parse_police(_au: ActionUtil, tc: Tc, args: Args, _id: number, req: unknown): number {
  const p: TcPolice = {
    index: 0,
    action: TC_POLICE_RECLASSIFY,
    limit: 0,
    burst: 0,
    mtu: 0,
    rate: ratespec(),
    peakrate: ratespec(),
    refcnt: 0,
    bindcnt: 0,
    capab: 0,
  };
  let avrate = 0;
  let presult = 0;
  let buffer = 0;
  let mtu = 0;
  let mpu = 0;
  let overhead = 0;
  let linklayer = LINKLAYER_ETHERNET;
  let Rcell: number | null = null;
  let Pcell: number | null = null;
  let rate64 = 0;
  let prate64 = 0;
  let ok = 0;
  args.next();
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'index')) {
      const v = get_u32(args.next(), 10);
      if (v === null) tc.invarg('index', args.cur);
      p.index = v;
    } else if (matches(w, 'burst') || w === 'buffer' || w === 'maxburst') {
      const a = args.next();
      if (buffer) tc.duparg('buffer/burst', a);
      const r = get_size_and_cell(a);
      if (!r) tc.invarg('buffer', a);
      buffer = r.size;
      Rcell = r.cell_log;
    } else if (w === 'mtu' || w === 'minburst') {
      const a = args.next();
      if (mtu) tc.duparg('mtu/minburst', a);
      const r = get_size_and_cell(a);
      if (!r) tc.invarg('mtu', a);
      mtu = r.size;
      Pcell = r.cell_log;
    } else if (w === 'mpu') {
      const a = args.next();
      if (mpu) tc.duparg('mpu', a);
      const v = get_size(a);
      if (v === null) tc.invarg('mpu', a);
      mpu = v;
    } else if (w === 'rate') {
      const a = args.next();
      if (rate64) tc.duparg('rate', a);
      const v = get_rate64(a);
      if (v === null) tc.invarg('rate', a);
      rate64 = v;
    } else if (w === 'avrate') {
      const a = args.next();
      if (avrate) tc.duparg('avrate', a);
      const v = get_rate(a);
      if (v === null) tc.invarg('avrate', a);
      avrate = v;
    } else if (matches(w, 'peakrate')) {
      const a = args.next();
      if (prate64) tc.duparg('peakrate', a);
      const v = get_rate64(a);
      if (v === null) tc.invarg('peakrate', a);
      prate64 = v;
    } else if (['reclassify', 'drop', 'shot', 'continue', 'pass', 'ok', 'pipe', 'goto'].some((x) => matches(w, x))) {
      const r = parse_action_control(tc, args, false);
      if (r === null) return -1;
      p.action = r;
      ok++;
      continue;
    } else if (w === 'conform-exceed') {
      args.next();
      const r = parse_action_control_slash(tc, args, true);
      if (!r) return -1;
      p.action = r[0];
      if (r[1] !== null) presult = r[1];
      ok++;
      continue;
    } else if (matches(w, 'overhead')) {
      const a = args.next();
      const v = get_u32(a, 10);
      if (v === null || v > 0xffff) tc.invarg('overhead', a);
      overhead = v;
    } else if (matches(w, 'linklayer')) {
      const a = args.next();
      const v = get_linklayer(a);
      if (v === null) tc.invarg('linklayer', a);
      linklayer = v;
    } else if (matches(w, 'pkts_rate') || matches(w, 'pkts_burst')) {
      tc.err('skbpath: tc: police pkts_rate is not simulated\n');
      return -1;
    } else if (w === 'help') usage(tc);
    else break;
    args.skip();
    ok++;
  }
  void action_a2n;
  if (!ok) return -1;
  if (rate64 && avrate) return -1;
  if (!rate64 && !avrate && !p.index && !mtu) {
    tc.err("'rate' or 'avrate' or 'mtu' or 'pkts_rate' MUST be specified.\n");
    return -1;
  }
  if (rate64 && !buffer && !avrate) {
    tc.err("'burst' requires 'rate'.\n");
    return -1;
  }
  if (prate64) {
    if (!rate64) {
      tc.err("'peakrate' requires 'rate'.\n");
      return -1;
    }
    if (!mtu) {
      tc.err("'mtu' is required, if 'peakrate' is requested.\n");
      return -1;
    }
  }
  const o: TcPoliceOptions = {};
  if (rate64) {
    p.rate.rate = rate64 >= 2 ** 32 ? 0xffffffff : rate64;
    p.rate.mpu = mpu;
    p.rate.overhead = overhead;
    o.TCA_POLICE_RATE = tc_calc_rtable(p.rate, Rcell, mtu, linklayer, rate64);
    p.burst = tc_calc_xmittime(rate64, buffer);
    if (rate64 >= 2 ** 32) o.TCA_POLICE_RATE64 = rate64;
  }
  p.mtu = mtu;
  if (prate64) {
    p.peakrate.rate = prate64 >= 2 ** 32 ? 0xffffffff : prate64;
    p.peakrate.mpu = mpu;
    p.peakrate.overhead = overhead;
    o.TCA_POLICE_PEAKRATE = tc_calc_rtable(p.peakrate, Pcell, mtu, linklayer, prate64);
    if (prate64 >= 2 ** 32) o.TCA_POLICE_PEAKRATE64 = prate64;
  }
  if (avrate) o.TCA_POLICE_AVRATE = avrate;
  if (presult) o.TCA_POLICE_RESULT = presult;
  (req as ActHolder).attrs.TCA_ACT_OPTIONS = { TCA_POLICE_TBF: p, ...o };
  return 0;
}

/** print_police() */
function print_police(_au: ActionUtil, tc: Tc, arg: TcOptions | undefined): number {
  tc.print_string(PRINT_JSON, 'kind', '%s', 'police');
  if (arg === undefined) return 0;
  const o = arg as TcPoliceOptions;
  const p = o.TCA_POLICE_TBF;
  if (!p) {
    tc.err('[NULL police tbf]');
    return -1;
  }
  const rate64 = o.TCA_POLICE_RATE64 ?? p.rate.rate;
  tc.print_string(PRINT_FP, null, ' police 0x%s ', p.index.toString(16));
  tc.print_uint(PRINT_JSON, 'index', null, p.index);
  tc.print_rate(PRINT_FP, null, 'rate %s ', rate64);
  tc.print_size(PRINT_FP, null, 'burst %s ', tc_calc_xmitsize(rate64, p.burst));
  tc.print_size(PRINT_FP, null, 'mtu %s ', p.mtu);
  const prate64 = o.TCA_POLICE_PEAKRATE64 ?? p.peakrate.rate;
  if (prate64) tc.print_rate(PRINT_FP, null, 'peakrate %s ', prate64);
  if (o.TCA_POLICE_AVRATE !== undefined) tc.print_rate(PRINT_FP, null, 'avrate %s ', o.TCA_POLICE_AVRATE);
  print_action_control(tc, 'action ', p.action, '');
  if (o.TCA_POLICE_RESULT !== undefined) print_action_control(tc, '/', o.TCA_POLICE_RESULT, ' ');
  else tc.print_string(PRINT_FP, null, ' ', null);
  tc.print_size(PRINT_ANY, 'overhead', 'overhead %s ', p.rate.overhead);
  const ll = p.rate.linklayer & 0x0f;
  if (ll > LINKLAYER_ETHERNET || tc.opts.details) tc.print_string(PRINT_ANY, 'linklayer', 'linklayer %s ', sprint_linklayer(ll));
  tc.print_nl();
  tc.print_int(PRINT_ANY, 'ref', '\tref %d ', p.refcnt);
  tc.print_int(PRINT_ANY, 'bind', 'bind %d ', p.bindcnt);
  if (tc.opts.stats && o.TCA_POLICE_TM) print_tm(tc, o.TCA_POLICE_TM);
  tc.print_nl();
  return 0;
}

export const police_action_util: ActionUtil = { id: 'police', parse_aopt: parse_police, print_aopt: print_police };
