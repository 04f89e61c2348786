// tc's htb (iproute2 6.1 tc/q_htb.c): the qdisc's options (default, r2q,
// direct_qlen, debug, offload), a class's (rate, ceil, burst, cburst, prio,
// quantum, mtu, mpu, overhead, linklayer), their dumps and the class xstats
// (lended/borrowed/giants, tokens/ctokens).
import {
  TC_LINKLAYER_ETHERNET,
  TC_LINKLAYER_MASK,
  type TcHtbGlob,
  type TcHtbOpt,
  type TcHtbOptions,
  type TcHtbXstats,
  type TcRatespec,
} from '../../../kernel/uapi/pkt_sched_tbf_htb.ts';
import {
  get_hz,
  get_linklayer,
  get_percent_rate64,
  get_rate64,
  get_size_and_cell,
  get_u16,
  get_u32,
  matches,
  sprint_linklayer,
  sprint_rate,
  sprint_size,
  type TcModCtx,
  type TcPrintFlags,
  TcIncompleteCommand,
  tc_calc_rtable,
  tc_calc_xmitsize,
  tc_calc_xmittime,
  withIncomplete,
} from './q_tbf.ts';
import type { TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { QdiscUtil } from './tc_common.ts';
import { PRINT_ANY, type Tc } from './tc_util.ts';

const HTB_TC_VER = 0x30003;

const HTB_USAGE =
  'Usage: ... qdisc add ... htb [default N] [r2q N]\n' +
  '                      [direct_qlen P] [offload]\n' +
  ' default  minor id of class to which unclassified packets are sent {0}\n' +
  ' r2q      DRR quantums are computed as rate in Bps/r2q {10}\n' +
  ' debug    string of 16 numbers each 0-3 {0}\n\n' +
  ' direct_qlen  Limit of the direct queue {in packets}\n' +
  ' offload  enable hardware offload\n' +
  '... class add ... htb rate R1 [burst B1] [mpu B] [overhead O]\n' +
  '                      [prio P] [slot S] [pslot PS]\n' +
  '                      [ceil R2] [cburst B2] [mtu MTU] [quantum Q]\n' +
  ' rate     rate allocated to this class (class can still borrow)\n' +
  ' burst    max bytes burst which can be accumulated during idle period {computed}\n' +
  ' mpu      minimum packet size used in rate computations\n' +
  ' overhead per-packet size overhead used in rate computations\n' +
  ' linklay  adapting to a linklayer e.g. atm\n' +
  ' ceil     definite upper class rate (no borrows) {rate}\n' +
  ' cburst   burst but for ceil {computed}\n' +
  ' mtu      max packet size we create rate map for {1600}\n' +
  ' prio     priority of leaf; lower are served first {0}\n' +
  ' quantum  how much bytes to serve from leaf at once {use r2q}\n' +
  `\nTC HTB version ${HTB_TC_VER >> 16}.${HTB_TC_VER & 0xffff}\n`;

function cursor(argv: readonly string[]) {
  let i = 0;
  return {
    get done() {
      return i >= argv.length;
    },
    get cur() {
      return argv[i] as string;
    },
    next(): string {
      i++;
      if (i >= argv.length) throw new TcIncompleteCommand();
      return argv[i] as string;
    },
    step() {
      i++;
    },
  };
}

/** htb_parse_opt(): TCA_OPTIONS for `tc qdisc … htb …`, or null after tc's message. */
export function htb_parse_opt(ctx: TcModCtx, argv: readonly string[], _dev: string): TcHtbOptions | null {
  const explain = () => ctx.err(HTB_USAGE);
  const explain1 = (arg: string) => {
    ctx.err(`Illegal "${arg}"\n`);
    explain();
  };
  let direct_qlen = 0xffffffff;
  const opt: TcHtbGlob = { rate2quantum: 10, version: 3, defcls: 0, debug: 0, direct_pkts: 0 };
  let offload = false;
  for (const c = cursor(argv); !c.done; c.step()) {
    const a = c.cur;
    if (matches(a, 'r2q')) {
      const n = get_u32(c.next(), 10);
      if (n === null) {
        explain1('r2q');
        return null;
      }
      opt.rate2quantum = n;
    } else if (matches(a, 'default')) {
      const n = get_u32(c.next(), 16);
      if (n === null) {
        explain1('default');
        return null;
      }
      opt.defcls = n;
    } else if (matches(a, 'debug')) {
      const p = c.next();
      for (let i = 0; i < 16 && i < p.length; i++) {
        const ch = p.charCodeAt(i);
        if (ch < 48 || ch > 51) break;
        opt.debug = (opt.debug | ((ch - 48) << (2 * i))) >>> 0;
      }
    } else if (matches(a, 'direct_qlen')) {
      const n = get_u32(c.next(), 10);
      if (n === null) {
        explain1('direct_qlen');
        return null;
      }
      direct_qlen = n;
    } else if (matches(a, 'offload')) {
      offload = true;
    } else {
      ctx.err(`What is "${a}"?\n`);
      explain();
      return null;
    }
  }
  const o: TcHtbOptions = { TCA_HTB_INIT: opt };
  if (direct_qlen !== 0xffffffff) o.TCA_HTB_DIRECT_QLEN = direct_qlen;
  if (offload) o.TCA_HTB_OFFLOAD = true;
  return o;
}

function ratespec(): TcRatespec {
  return { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 };
}

/** htb_parse_class_opt(): TCA_OPTIONS for `tc class … htb …`, or null after tc's message. */
export function htb_parse_class_opt(ctx: TcModCtx, argv: readonly string[], dev: string): TcHtbOptions | null {
  const explain = () => ctx.err(HTB_USAGE);
  const explain1 = (arg: string) => {
    ctx.err(`Illegal "${arg}"\n`);
    explain();
  };
  const opt: TcHtbOpt = { rate: ratespec(), ceil: ratespec(), buffer: 0, cbuffer: 0, quantum: 0, level: 0, prio: 0 };
  let buffer = 0;
  let cbuffer = 0;
  let cell_log: number | null = null;
  let ccell_log: number | null = null;
  let mtu = 1600;
  let mpu = 0;
  let overhead = 0;
  let linklayer = TC_LINKLAYER_ETHERNET;
  let ceil64 = 0;
  let rate64 = 0;
  for (const c = cursor(argv); !c.done; c.step()) {
    const a = c.cur;
    if (matches(a, 'prio')) {
      const n = get_u32(c.next(), 10);
      if (n === null) {
        explain1('prio');
        return null;
      }
      opt.prio = n;
    } else if (matches(a, 'mtu')) {
      const n = get_u32(c.next(), 10);
      if (n === null) {
        explain1('mtu');
        return null;
      }
      mtu = n;
    } else if (matches(a, 'mpu')) {
      const n = get_u16(c.next(), 10);
      if (n === null) {
        explain1('mpu');
        return null;
      }
      mpu = n;
    } else if (matches(a, 'overhead')) {
      const n = get_u16(c.next(), 10);
      if (n === null) {
        explain1('overhead');
        return null;
      }
      overhead = n;
    } else if (matches(a, 'linklayer')) {
      const n = get_linklayer(c.next());
      if (n === null) {
        explain1('linklayer');
        return null;
      }
      linklayer = n;
    } else if (matches(a, 'quantum')) {
      const n = get_u32(c.next(), 10);
      if (n === null) {
        explain1('quantum');
        return null;
      }
      opt.quantum = n;
    } else if (matches(a, 'burst') || a === 'buffer' || a === 'maxburst') {
      const sc = get_size_and_cell(c.next());
      if (!sc) {
        explain1(a);
        return null;
      }
      buffer = sc.size;
      if (sc.cell_log !== null) cell_log = sc.cell_log;
    } else if (matches(a, 'cburst') || a === 'cbuffer' || a === 'cmaxburst') {
      const sc = get_size_and_cell(c.next());
      if (!sc) {
        explain1(a);
        return null;
      }
      cbuffer = sc.size;
      if (sc.cell_log !== null) ccell_log = sc.cell_log;
    } else if (a === 'ceil') {
      const v = c.next();
      if (ceil64) {
        ctx.err('Double "ceil" spec\n');
        return null;
      }
      const n = v.includes('%') ? get_percent_rate64(ctx, v, dev) : get_rate64(v);
      if (n === null) {
        explain1('ceil');
        return null;
      }
      ceil64 = n;
    } else if (a === 'rate') {
      const v = c.next();
      if (rate64) {
        ctx.err('Double "rate" spec\n');
        return null;
      }
      const n = v.includes('%') ? get_percent_rate64(ctx, v, dev) : get_rate64(v);
      if (n === null) {
        explain1('rate');
        return null;
      }
      rate64 = n;
    } else if (a === 'help') {
      explain();
      return null;
    } else {
      ctx.err(`What is "${a}"?\n`);
      explain();
      return null;
    }
  }
  if (!rate64) {
    ctx.err('"rate" is required.\n');
    return null;
  }
  // if ceil params are missing, use the same as rate
  if (!ceil64) ceil64 = rate64;
  opt.rate.rate = rate64 >= 2 ** 32 ? 0xffffffff : rate64;
  opt.ceil.rate = ceil64 >= 2 ** 32 ? 0xffffffff : ceil64;
  // compute minimal allowed burst from rate; mtu is added here to make sure that buffer is larger than mtu
  if (!buffer) buffer = (Math.floor(rate64 / get_hz()) + mtu) >>> 0;
  if (!cbuffer) cbuffer = (Math.floor(ceil64 / get_hz()) + mtu) >>> 0;
  opt.ceil.overhead = overhead;
  opt.rate.overhead = overhead;
  opt.ceil.mpu = mpu;
  opt.rate.mpu = mpu;
  const rtab = tc_calc_rtable(opt.rate, cell_log, mtu, linklayer);
  opt.buffer = tc_calc_xmittime(rate64, buffer);
  const ctab = tc_calc_rtable(opt.ceil, ccell_log, mtu, linklayer);
  opt.cbuffer = tc_calc_xmittime(ceil64, cbuffer);
  const o: TcHtbOptions = { TCA_HTB_PARMS: opt, TCA_HTB_RTAB: rtab, TCA_HTB_CTAB: ctab };
  if (rate64 >= 2 ** 32) o.TCA_HTB_RATE64 = rate64;
  if (ceil64 >= 2 ** 32) o.TCA_HTB_CEIL64 = ceil64;
  return o;
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}

/** htb_print_opt(): a class's parameters or the qdisc's, as tc prints them (null: a malformed dump). */
export function htb_print_opt(opt: TcHtbOptions | undefined, f: TcPrintFlags): string | null {
  if (!opt) return '';
  let out = '';
  const hopt = opt.TCA_HTB_PARMS;
  if (hopt) {
    if (!hopt.level) {
      out += `prio ${hopt.prio | 0} `;
      if (f.details) out += `quantum ${hopt.quantum | 0} `;
    }
    const rate64 = opt.TCA_HTB_RATE64 ?? hopt.rate.rate;
    const ceil64 = opt.TCA_HTB_CEIL64 ?? hopt.ceil.rate;
    out += `rate ${sprint_rate(rate64)} `;
    if (hopt.rate.overhead) out += `overhead ${hopt.rate.overhead} `;
    const buffer = tc_calc_xmitsize(rate64, hopt.buffer);
    out += `ceil ${sprint_rate(ceil64)} `;
    const cbuffer = tc_calc_xmitsize(ceil64, hopt.cbuffer);
    const linklayer = hopt.rate.linklayer & TC_LINKLAYER_MASK;
    if (linklayer > TC_LINKLAYER_ETHERNET || f.details) out += `linklayer ${sprint_linklayer(linklayer)} `;
    if (f.details) {
      out += `burst ${sprint_size(buffer)}/`;
      out += `${(1 << hopt.rate.cell_log) >>> 0} `;
      out += `mpu ${sprint_size(hopt.rate.mpu)} `;
      out += `cburst ${sprint_size(cbuffer)}/`;
      out += `${(1 << hopt.ceil.cell_log) >>> 0} `;
      out += `mpu ${sprint_size(hopt.ceil.mpu)} `;
      out += `level ${hopt.level | 0} `;
    } else {
      out += `burst ${sprint_size(buffer)} `;
      out += `cburst ${sprint_size(cbuffer)} `;
    }
    if (f.raw) out += `buffer [${hex8(hopt.buffer)}] cbuffer [${hex8(hopt.cbuffer)}] `;
  }
  const gopt = opt.TCA_HTB_INIT;
  if (gopt) {
    out += `r2q ${gopt.rate2quantum | 0}`;
    out += ` default ${gopt.defcls ? `0x${gopt.defcls.toString(16)}` : '0'}`;
    out += ` direct_packets_stat ${gopt.direct_pkts >>> 0}`;
    if (f.details) out += ` ver ${gopt.version >> 16}.${gopt.version & 0xffff}`;
  }
  if (opt.TCA_HTB_DIRECT_QLEN !== undefined) out += ` direct_qlen ${opt.TCA_HTB_DIRECT_QLEN >>> 0}`;
  if (opt.TCA_HTB_OFFLOAD) out += ' offload';
  return out;
}

/**
 * htb_print_opt() under -j: prio and quantum, r2q, default (%#llx), the
 * direct counters, ver and offload are PRINT_ANY; the class rates are
 * PRINT_FP (no key) while overhead, linklayer, the cell sizes, level and the
 * raw buffers are plain fprintf, which tc writes into the JSON stream as text.
 */
export function htb_print_json(tc: Tc, opt: TcHtbOptions | undefined): number {
  if (!opt) return 0;
  const details = !!tc.opts.details;
  const hopt = opt.TCA_HTB_PARMS;
  if (hopt) {
    if (!hopt.level) {
      tc.print_int(PRINT_ANY, 'prio', 'prio %d ', hopt.prio);
      if (details) tc.print_int(PRINT_ANY, 'quantum', 'quantum %d ', hopt.quantum);
    }
    if (hopt.rate.overhead) tc.out(`overhead ${hopt.rate.overhead >>> 0} `);
    const linklayer = hopt.rate.linklayer & TC_LINKLAYER_MASK;
    if (linklayer > TC_LINKLAYER_ETHERNET || details) tc.out(`linklayer ${sprint_linklayer(linklayer)} `);
    if (details) {
      tc.out(`${(1 << hopt.rate.cell_log) >>> 0} `);
      tc.out(`${(1 << hopt.ceil.cell_log) >>> 0} `);
      tc.out(`level ${hopt.level | 0} `);
    }
    if (tc.opts.raw) tc.out(`buffer [${hex8(hopt.buffer)}] cbuffer [${hex8(hopt.cbuffer)}] `);
  }
  const gopt = opt.TCA_HTB_INIT;
  if (gopt) {
    tc.print_int(PRINT_ANY, 'r2q', 'r2q %d', gopt.rate2quantum);
    tc.print_string(PRINT_ANY, 'default', ' default %s', gopt.defcls ? `0x${(gopt.defcls >>> 0).toString(16)}` : '0');
    tc.print_uint(PRINT_ANY, 'direct_packets_stat', ' direct_packets_stat %u', gopt.direct_pkts);
    if (details) tc.print_string(PRINT_ANY, 'ver', ' ver %s', `${gopt.version >> 16}.${gopt.version & 0xffff}`);
  }
  if (opt.TCA_HTB_DIRECT_QLEN !== undefined) tc.print_uint(PRINT_ANY, 'direct_qlen', ' direct_qlen %u', opt.TCA_HTB_DIRECT_QLEN);
  if (opt.TCA_HTB_OFFLOAD) tc.print_null(PRINT_ANY, 'offload', ' offload');
  return 0;
}

/** htb_print_xstats(): the class's lends, borrows, giants and tokens. */
export function htb_print_xstats(xstats: TcHtbXstats | undefined): string {
  if (!xstats) return '';
  return (
    ` lended: ${xstats.lends >>> 0} borrowed: ${xstats.borrows >>> 0} giants: ${xstats.giants >>> 0}\n` +
    ` tokens: ${xstats.tokens | 0} ctokens: ${xstats.ctokens | 0}\n`
  );
}

export const htb_qdisc_util: QdiscUtil = {
  id: 'htb',
  parse_qopt: (_qu, tc, argv, req, dev) =>
    withIncomplete(tc, () => {
      const o = htb_parse_opt(tc, argv, dev);
      if (!o) return -1;
      req.attrs.TCA_OPTIONS = o as TcOptions;
      return 0;
    }),
  print_qopt: (_qu, tc, opt) => {
    if (tc.is_json_context()) return htb_print_json(tc, opt as TcHtbOptions | undefined);
    const s = htb_print_opt(opt as TcHtbOptions | undefined, { details: !!tc.opts.details, raw: !!tc.opts.raw });
    if (s === null) return -1;
    tc.out(s);
    return 0;
  },
  print_xstats: (_qu, tc, xstats) => {
    // fprintf, even under -j
    tc.out(htb_print_xstats(xstats as TcHtbXstats | undefined));
    return 0;
  },
  parse_copt: (_qu, tc, argv, req, dev) =>
    withIncomplete(tc, () => {
      const o = htb_parse_class_opt(tc, argv, dev);
      if (!o) return -1;
      req.attrs.TCA_OPTIONS = o as TcOptions;
      return 0;
    }),
  print_copt: (_qu, tc, opt) => {
    if (tc.is_json_context()) return htb_print_json(tc, opt as TcHtbOptions | undefined);
    const s = htb_print_opt(opt as TcHtbOptions | undefined, { details: !!tc.opts.details, raw: !!tc.opts.raw });
    if (s === null) return -1;
    tc.out(s);
    return 0;
  },
};
