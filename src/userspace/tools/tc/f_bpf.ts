// tc/f_bpf.c with lib/bpf_legacy.c's classic part: `bpf bytecode 'N,c t f k,…'`
// (what `tcpdump -ddd` prints, newlines as commas) or `bytecode-file FILE`,
// classid/flowid, da (direct-action), skip_hw/skip_sw and actions. eBPF
// objects (`obj FILE`, pinned programs) are not simulated. The dump prints
// "handle 0x1 [flowid X] [direct-action] not_in_hw bytecode '…'".
import {
  TCA_BPF_FLAG_ACT_DIRECT,
  TCA_CLS_FLAGS_IN_HW,
  TCA_CLS_FLAGS_NOT_IN_HW,
  TCA_CLS_FLAGS_SKIP_HW,
  TCA_CLS_FLAGS_SKIP_SW,
  type TcBpfInsn,
  type TcBpfOptions,
} from '../../../kernel/uapi/pkt_cls.ts';
import type { TcaAct, TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { FilterUtil } from './tc_common.ts';
import { parse_action, tc_print_action } from './m_action.ts';
import { Args, PRINT_ANY, type Tc, get_tc_classid, get_u32, matches, sprint_tc_classid } from './tc_util.ts';

const BPF_MAXINSNS = 4096;

function explain(tc: Tc): void {
  tc.err(
    'Usage: ... bpf ...\n' +
      '\n' +
      'BPF use case:\n' +
      ' bytecode BPF_BYTECODE\n' +
      ' bytecode-file FILE\n' +
      '\n' +
      'eBPF use case:\n' +
      ' object-file FILE [ section CLS_NAME ] [ export UDS_FILE ]\n' +
      ' [ verbose ] [ direct-action ] [ skip_hw | skip_sw ]\n' +
      ' object-pinned FILE [ direct-action ] [ skip_hw | skip_sw ]\n' +
      '\n' +
      'Common remaining options:\n' +
      ' [ action ACTION_SPEC ]\n' +
      ' [ classid CLASSID ]\n' +
      '\n' +
      "Where BPF_BYTECODE := 's,c t f k,c t f k,c t f k,...'\n" +
      'c,t,f,k and s are decimals; s denotes number of 4-tuples\n' +
      '\n' +
      'Where FILE points to a file containing the BPF_BYTECODE string,\n' +
      'an ELF file containing eBPF map definitions and bytecode, or a\n' +
      'pinned eBPF program.\n' +
      '\n' +
      'Where CLS_NAME refers to the section name containing the\n' +
      "classifier (default 'classifier').\n" +
      '\n' +
      'Where UDS_FILE points to a unix domain socket file in order\n' +
      'to hand off control of all created eBPF maps to an agent.\n' +
      '\n' +
      'ACTION_SPEC := ... look at individual actions\n' +
      '\n' +
      'NOTE: CLASSID is parsed as hexadecimal input.\n',
  );
}

/** bpf_parse_string() for a file: newlines become commas, runs of blanks one. */
function fromFile(text: string): string {
  let out = '';
  let prev = ' ';
  for (const c of text) {
    if (c === '\n') {
      if (prev !== ',') out += ',';
      prev = ',';
    } else if (c === ' ' || c === '\t') {
      if (prev !== ' ') out += c;
      prev = ' ';
    } else {
      out += c;
      prev = c;
    }
  }
  return out;
}

/** bpf_ops_parse(): the program, or null after printing why (or not: the caller says "Unable to parse"). */
function bpf_ops_parse(tc: Tc, s: string): TcBpfInsn[] | null {
  const m = /^(\d+)(.)/.exec(s);
  if (!m || m[2] !== ',') return null;
  const len = Number(m[1]);
  if (len > 0xffff) return null;
  if (len === 0 || len > BPF_MAXINSNS) return null;
  const ops: TcBpfInsn[] = [];
  let pos = s.indexOf(',');
  while (pos >= 0 && pos + 1 < s.length) {
    const tok = s.slice(pos + 1);
    if (ops.length >= len) {
      tc.err('Real program length exceeds encoded length parameter!\n');
      return null;
    }
    const t = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(tok);
    if (!t || Number(t[1]) > 0xffff || Number(t[2]) > 0xff || Number(t[3]) > 0xff || Number(t[4]) > 0xffffffff) {
      tc.err(`Error at instruction ${ops.length}!\n`);
      return null;
    }
    ops.push({ code: Number(t[1]), jt: Number(t[2]), jf: Number(t[3]), k: Number(t[4]) });
    pos = s.indexOf(',', pos + 1);
  }
  if (ops.length !== len) {
    tc.err('Parsed program length is less than encoded length parameter!\n');
    return null;
  }
  return ops;
}

/** bpf_parse_opt() */
function bpf_parse_opt(_fu: FilterUtil, tc: Tc, handle: string | null, argv: readonly string[], req: TcMsg): number {
  if (handle !== null) {
    const h = get_u32(handle, 0);
    if (h === null) {
      tc.err('Illegal "handle"\n');
      return -1;
    }
    req.tcm.tcm_handle = h;
  }
  if (!argv.length) return 0;
  const opt: TcBpfOptions = {};
  let gen_flags = 0;
  let bpf_flags = 0;
  let seen_run = false;
  let ops: TcBpfInsn[] | null = null;
  const args = new Args(tc, argv);
  const parseRun = (): number => {
    seen_run = true;
    const w = args.cur;
    let text: string;
    if (matches(w, 'bytecode') || w === 'bc') {
      text = args.next();
    } else if (matches(w, 'bytecode-file') || w === 'bcf') {
      const f = args.next();
      const r = tc.ctx.world.vfs.readFile(f, tc.net);
      if (typeof r !== 'string') {
        tc.err('Cannot fopen: No such file or directory\n');
        tc.err('Unable to parse bpf command line\n');
        return -1;
      }
      text = fromFile(r);
    } else if (matches(w, 'object-file') || w === 'obj' || matches(w, 'object-pinned') || matches(w, 'pinned') || matches(w, 'fd')) {
      tc.err('skbpath: tc: eBPF objects are not simulated; use bytecode\n');
      return -1;
    } else {
      tc.err(`What mode is "${w}"?\n`);
      tc.err('Unable to parse bpf command line\n');
      return -1;
    }
    ops = bpf_ops_parse(tc, text);
    if (!ops) {
      tc.err('Unable to parse bpf command line\n');
      return -1;
    }
    return 0;
  };
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'run')) {
      args.next();
      if (seen_run) tc.duparg('run', args.cur);
      if (parseRun()) return -1;
    } else if (matches(w, 'classid') || matches(w, 'flowid')) {
      const c = get_tc_classid(args.next());
      if (c === null) {
        tc.err('Illegal "classid"\n');
        return -1;
      }
      opt.TCA_BPF_CLASSID = c;
    } else if (matches(w, 'direct-action') || matches(w, 'da')) bpf_flags |= TCA_BPF_FLAG_ACT_DIRECT;
    else if (matches(w, 'skip_hw')) gen_flags |= TCA_CLS_FLAGS_SKIP_HW;
    else if (matches(w, 'skip_sw')) gen_flags |= TCA_CLS_FLAGS_SKIP_SW;
    else if (matches(w, 'action')) {
      args.next();
      const list: TcaAct[] = [];
      if (parse_action(tc, args, list)) {
        tc.err('Illegal "action"\n');
        return -1;
      }
      opt.TCA_BPF_ACT = list as TcBpfOptions['TCA_BPF_ACT'];
      continue;
    } else if (matches(w, 'police')) {
      tc.err('skbpath: tc: bpf "police" (the old form) is not simulated; use "action police"\n');
      return -1;
    } else if (matches(w, 'help')) {
      explain(tc);
      return -1;
    } else {
      if (!seen_run) {
        if (parseRun()) return -1;
      } else {
        tc.err(`What is "${w}"?\n`);
        explain(tc);
        return -1;
      }
    }
    args.skip();
  }
  // bpf_load_common(): a classic program needs its opcodes
  if (!ops) {
    tc.err('Unable to load program\n');
    return -1;
  }
  const prog = ops as TcBpfInsn[];
  opt.TCA_BPF_OPS_LEN = prog.length;
  opt.TCA_BPF_OPS = prog;
  if (gen_flags) opt.TCA_BPF_FLAGS_GEN = gen_flags;
  if (bpf_flags) opt.TCA_BPF_FLAGS = bpf_flags;
  req.attrs.TCA_OPTIONS = opt as TcOptions;
  return 0;
}

/** bpf_print_opt() */
function bpf_print_opt(_fu: FilterUtil, tc: Tc, optIn: TcOptions | undefined, handle: number): number {
  if (optIn === undefined) return 0;
  const o = optIn as TcBpfOptions;
  if (handle) tc.print_string(PRINT_ANY, 'handle', 'handle %s ', `0x${handle.toString(16)}`);
  if (o.TCA_BPF_CLASSID !== undefined) tc.print_string(PRINT_ANY, 'flowid', 'flowid %s ', sprint_tc_classid(o.TCA_BPF_CLASSID));
  if (o.TCA_BPF_NAME !== undefined) tc.print_string(PRINT_ANY, 'bpf_name', '%s ', o.TCA_BPF_NAME);
  if (o.TCA_BPF_FLAGS !== undefined && o.TCA_BPF_FLAGS & TCA_BPF_FLAG_ACT_DIRECT)
    tc.print_bool(PRINT_ANY, 'direct-action', 'direct-action ', true);
  if (o.TCA_BPF_FLAGS_GEN !== undefined) {
    const f = o.TCA_BPF_FLAGS_GEN;
    if (f & TCA_CLS_FLAGS_SKIP_HW) tc.print_bool(PRINT_ANY, 'skip_hw', 'skip_hw ', true);
    if (f & TCA_CLS_FLAGS_SKIP_SW) tc.print_bool(PRINT_ANY, 'skip_sw', 'skip_sw ', true);
    if (f & TCA_CLS_FLAGS_IN_HW) tc.print_bool(PRINT_ANY, 'in_hw', 'in_hw ', true);
    else if (f & TCA_CLS_FLAGS_NOT_IN_HW) tc.print_bool(PRINT_ANY, 'not_in_hw', 'not_in_hw ', true);
  }
  const ops = o.TCA_BPF_OPS;
  const len = o.TCA_BPF_OPS_LEN;
  if (ops && len) {
    // bpf_print_ops()
    tc.open_json_object('bytecode');
    tc.print_uint(PRINT_ANY, 'length', "bytecode '%u,", len);
    tc.open_json_array(2, 'insns');
    ops.forEach((p, i) => {
      tc.open_json_object(null);
      tc.print_uint(PRINT_ANY, 'code', '%u ', p.code);
      tc.print_uint(PRINT_ANY, 'jt', '%u ', p.jt);
      tc.print_uint(PRINT_ANY, 'jf', '%u ', p.jf);
      tc.print_uint(PRINT_ANY, 'k', i === len - 1 ? "%u'" : '%u,', p.k);
      tc.close_json_object();
    });
    tc.close_json_array(2, null);
    tc.close_json_object();
  }
  if (o.TCA_BPF_ACT) tc_print_action(tc, o.TCA_BPF_ACT as unknown as TcaAct[]);
  return 0;
}

export const bpf_filter_util: FilterUtil = { id: 'bpf', parse_fopt: bpf_parse_opt, print_fopt: bpf_print_opt };
