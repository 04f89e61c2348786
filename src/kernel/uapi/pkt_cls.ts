// include/uapi/linux/pkt_cls.h and the action headers (tc_act/tc_gact.h,
// tc_mirred.h, tc_skbedit.h, pkt_cls.h's tc_police): the verdicts TC_ACT_*,
// the options each classifier and action carries in TCA_OPTIONS, as plain
// objects under their C field names (a missing field is a missing attribute).
// No imports: kernel and tools share these.

// --- TC_ACT_*: what a classifier or an action returns ---
export const TC_ACT_UNSPEC = -1;
export const TC_ACT_OK = 0;
export const TC_ACT_RECLASSIFY = 1;
export const TC_ACT_SHOT = 2;
export const TC_ACT_PIPE = 3;
export const TC_ACT_STOLEN = 4;
export const TC_ACT_QUEUED = 5;
export const TC_ACT_REPEAT = 6;
export const TC_ACT_REDIRECT = 7;
export const TC_ACT_TRAP = 8;
export const TC_ACT_VALUE_MAX = TC_ACT_TRAP;
/** __TC_ACT_EXT_SHIFT: an extended verdict keeps its opcode in the top bits. */
export const TC_ACT_EXT_SHIFT = 28;
export const TC_ACT_EXT_VAL_MASK = (1 << TC_ACT_EXT_SHIFT) - 1;
export const TC_ACT_JUMP = 1 << TC_ACT_EXT_SHIFT;
export const TC_ACT_GOTO_CHAIN = (2 << TC_ACT_EXT_SHIFT) >>> 0;
/** TC_ACT_CONSUMED (include/net/pkt_cls.h, kernel-internal): the skb is gone, do not touch it. */
export const TC_ACT_CONSUMED = TC_ACT_VALUE_MAX + 1;

/** TC_ACT_EXT_OPCODE(v) */
export function TC_ACT_EXT_OPCODE(v: number): number {
  return (v & ~TC_ACT_EXT_VAL_MASK) >>> 0;
}
/** TC_ACT_EXT_CMP(v, op) */
export function TC_ACT_EXT_CMP(v: number, op: number): boolean {
  return v >= 0 && TC_ACT_EXT_OPCODE(v) === op >>> 0;
}

/** TCA_ACT_MAX_PRIO: actions per filter. */
export const TCA_ACT_MAX_PRIO = 32;
export const TCA_ACT_MAX_PRIO_MASK = 0x1ff;

// --- TCA_CLS_FLAGS_* ---
export const TCA_CLS_FLAGS_SKIP_HW = 1 << 0;
export const TCA_CLS_FLAGS_SKIP_SW = 1 << 1;
export const TCA_CLS_FLAGS_IN_HW = 1 << 2;
export const TCA_CLS_FLAGS_NOT_IN_HW = 1 << 3;
export const TCA_CLS_FLAGS_VERBOSE = 1 << 4;

/** struct tcf_t: ages in clock_t (USER_HZ), as tcf_tm_dump() puts them. */
export interface TcfT {
  install: number;
  lastuse: number;
  expires: number;
  firstuse: number;
}

/** The counters TCA_ACT_STATS (and a filter's TCA_STATS2) carry: gnet_stats_basic + gnet_stats_queue. */
export interface TcActStats {
  basic: { bytes: number; packets: number };
  queue: { qlen: number; backlog: number; drops: number; requeues: number; overlimits: number };
}

/**
 * One action in a TCA_ACT_TAB / TCA_*_ACT list (its position + 1 is its
 * order): TCA_ACT_KIND, TCA_ACT_INDEX, TCA_ACT_OPTIONS …
 */
export interface TcaActEntry {
  TCA_ACT_KIND?: string;
  TCA_ACT_INDEX?: number;
  TCA_ACT_OPTIONS?: object;
  TCA_ACT_STATS?: TcActStats;
  TCA_ACT_COOKIE?: Uint8Array;
  TCA_ACT_FLAGS?: number;
  /** answers: TCA_ACT_IN_HW_COUNT */
  TCA_ACT_IN_HW_COUNT?: number;
  /** answers: TCA_ACT_USED_HW_STATS (the nla_bitfield32's value) */
  TCA_ACT_USED_HW_STATS?: number;
}

/** tc_gen: the header every action's parameters start with. */
export interface TcGen {
  index: number;
  capab: number;
  action: number;
  refcnt: number;
  bindcnt: number;
}

// --- act_gact (tc_act/tc_gact.h) ---
export const PGACT_NONE = 0;
export const PGACT_NETRAND = 1;
export const PGACT_DETERM = 2;
export const MAX_RAND = PGACT_DETERM + 1;
export interface TcGactP {
  ptype: number;
  pval: number;
  paction: number;
}
export interface TcGactOptions {
  TCA_GACT_PARMS?: TcGen;
  TCA_GACT_PROB?: TcGactP;
  TCA_GACT_TM?: TcfT;
}

// --- act_mirred (tc_act/tc_mirred.h) ---
export const TCA_EGRESS_REDIR = 1;
export const TCA_EGRESS_MIRROR = 2;
export const TCA_INGRESS_REDIR = 3;
export const TCA_INGRESS_MIRROR = 4;
export interface TcMirred extends TcGen {
  eaction: number;
  ifindex: number;
}
export interface TcMirredOptions {
  TCA_MIRRED_PARMS?: TcMirred;
  TCA_MIRRED_TM?: TcfT;
  TCA_MIRRED_BLOCKID?: number;
}

// --- act_skbedit (tc_act/tc_skbedit.h) ---
export const SKBEDIT_F_PRIORITY = 0x1;
export const SKBEDIT_F_QUEUE_MAPPING = 0x2;
export const SKBEDIT_F_MARK = 0x4;
export const SKBEDIT_F_PTYPE = 0x8;
export const SKBEDIT_F_MASK = 0x10;
export interface TcSkbeditOptions {
  TCA_SKBEDIT_PARMS?: TcGen;
  TCA_SKBEDIT_PRIORITY?: number;
  TCA_SKBEDIT_QUEUE_MAPPING?: number;
  TCA_SKBEDIT_MARK?: number;
  TCA_SKBEDIT_MASK?: number;
  TCA_SKBEDIT_PTYPE?: number;
  TCA_SKBEDIT_TM?: TcfT;
}

// --- act_police (pkt_cls.h: struct tc_police) ---
export const TC_POLICE_UNSPEC = TC_ACT_UNSPEC;
export const TC_POLICE_OK = TC_ACT_OK;
export const TC_POLICE_RECLASSIFY = TC_ACT_RECLASSIFY;
export const TC_POLICE_SHOT = TC_ACT_SHOT;
export const TC_POLICE_PIPE = TC_ACT_PIPE;
/** struct tc_ratespec */
export interface TcRatespec {
  cell_log: number;
  linklayer: number;
  overhead: number;
  cell_align: number;
  mpu: number;
  rate: number;
}
export interface TcPolice {
  index: number;
  action: number;
  limit: number;
  burst: number;
  mtu: number;
  rate: TcRatespec;
  peakrate: TcRatespec;
  refcnt: number;
  bindcnt: number;
  capab: number;
}
export interface TcPoliceOptions {
  TCA_POLICE_TBF?: TcPolice;
  TCA_POLICE_RATE?: readonly number[];
  TCA_POLICE_PEAKRATE?: readonly number[];
  TCA_POLICE_AVRATE?: number;
  TCA_POLICE_RESULT?: number;
  TCA_POLICE_RATE64?: number;
  TCA_POLICE_PEAKRATE64?: number;
  TCA_POLICE_TM?: TcfT;
}

// --- cls_u32 ---
export const TC_U32_TERMINAL = 1;
export const TC_U32_OFFSET = 2;
export const TC_U32_VAROFFSET = 4;
export const TC_U32_EAT = 8;
export const TC_U32_MAXDEPTH = 8;
/** TC_U32_HTID(h) */
export function TC_U32_HTID(h: number): number {
  return (h & 0xfff00000) >>> 0;
}
/** TC_U32_USERHTID(h) */
export function TC_U32_USERHTID(h: number): number {
  return TC_U32_HTID(h) >>> 20;
}
/** TC_U32_HASH(h) */
export function TC_U32_HASH(h: number): number {
  return (h >>> 12) & 0xff;
}
/** TC_U32_NODE(h) */
export function TC_U32_NODE(h: number): number {
  return h & 0xfff;
}
/** TC_U32_KEY(h) */
export function TC_U32_KEY(h: number): number {
  return (h & 0xfffff) >>> 0;
}
export const TC_U32_UNSPEC = 0;
export const TC_U32_ROOT = 0xfff00000;
/**
 * struct tc_u32_key: `val` and `mask` are the 32 bits in network order read
 * as a number (0x0a000001 is 10.0.0.1); off and offmask as the kernel keeps them.
 */
export interface TcU32Key {
  mask: number;
  val: number;
  off: number;
  offmask: number;
}
/** struct tc_u32_sel (offmask and hmask in network order read as numbers). */
export interface TcU32Sel {
  flags: number;
  offshift: number;
  nkeys: number;
  offmask: number;
  off: number;
  offoff: number;
  hoff: number;
  hmask: number;
  keys: TcU32Key[];
}
export interface TcU32Mark {
  val: number;
  mask: number;
  success: number;
}
export interface TcU32Options {
  TCA_U32_CLASSID?: number;
  TCA_U32_HASH?: number;
  TCA_U32_LINK?: number;
  TCA_U32_DIVISOR?: number;
  TCA_U32_SEL?: TcU32Sel;
  TCA_U32_ACT?: TcaActEntry[];
  TCA_U32_INDEV?: string;
  TCA_U32_MARK?: TcU32Mark;
  TCA_U32_FLAGS?: number;
}

// --- cls_bpf ---
export const TCA_BPF_FLAG_ACT_DIRECT = 1 << 0;
/** One classic BPF instruction as TCA_BPF_OPS carries it (struct sock_filter). */
export interface TcBpfInsn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}
export interface TcBpfOptions {
  TCA_BPF_ACT?: TcaActEntry[];
  TCA_BPF_CLASSID?: number;
  TCA_BPF_OPS_LEN?: number;
  TCA_BPF_OPS?: TcBpfInsn[];
  TCA_BPF_FD?: number;
  TCA_BPF_NAME?: string;
  TCA_BPF_FLAGS?: number;
  TCA_BPF_FLAGS_GEN?: number;
  TCA_BPF_ID?: number;
  TCA_BPF_TAG?: Uint8Array;
}

// --- cls_matchall ---
export interface TcMatchallOptions {
  TCA_MATCHALL_CLASSID?: number;
  TCA_MATCHALL_ACT?: TcaActEntry[];
  TCA_MATCHALL_FLAGS?: number;
  /** answers: struct tc_matchall_pcnt */
  TCA_MATCHALL_PCNT?: { rhit: number };
}

// --- cls_basic (no ematches here: TCA_BASIC_EMATCHES is refused) ---
export interface TcBasicOptions {
  TCA_BASIC_CLASSID?: number;
  TCA_BASIC_EMATCHES?: unknown;
  TCA_BASIC_ACT?: TcaActEntry[];
  /** answers: struct tc_basic_pcnt */
  TCA_BASIC_PCNT?: { rcnt: number; rhit: number };
}

// --- cls_fw ---
export interface TcFwOptions {
  TCA_FW_CLASSID?: number;
  TCA_FW_INDEV?: string;
  TCA_FW_ACT?: TcaActEntry[];
  TCA_FW_MASK?: number;
}
