// The tbf and htb parts of include/uapi/linux/pkt_sched.h: struct tc_ratespec,
// the linklayers, tc_tbf_qopt and its TCA_TBF_* attributes, tc_htb_glob,
// tc_htb_opt, tc_htb_xstats and the TCA_HTB_* attributes. TCA_OPTIONS crosses
// as a plain object keyed by attribute name. No imports: kernel and tc share it.

/** enum tc_link_layer */
export const TC_LINKLAYER_UNAWARE = 0;
export const TC_LINKLAYER_ETHERNET = 1;
export const TC_LINKLAYER_ATM = 2;
export const TC_LINKLAYER_MASK = 0x0f;

/** struct tc_ratespec */
export interface TcRatespec {
  cell_log: number;
  linklayer: number;
  overhead: number;
  cell_align: number;
  mpu: number;
  /** bytes per second, u32 (~0U when the rate needs the 64-bit attribute) */
  rate: number;
}

/** TC_RTAB_SIZE: a rate table is 256 u32 */
export const TC_RTAB_SIZE = 1024;

/** struct tc_tbf_qopt */
export interface TcTbfQopt {
  rate: TcRatespec;
  peakrate: TcRatespec;
  limit: number;
  /** psched ticks */
  buffer: number;
  /** psched ticks */
  mtu: number;
}

/** TCA_OPTIONS of tbf (TCA_TBF_*) */
export interface TcTbfOptions {
  TCA_TBF_PARMS?: TcTbfQopt;
  TCA_TBF_RTAB?: readonly number[];
  TCA_TBF_PTAB?: readonly number[];
  TCA_TBF_RATE64?: number;
  TCA_TBF_PRATE64?: number;
  TCA_TBF_BURST?: number;
  TCA_TBF_PBURST?: number;
}

export const TC_HTB_NUMPRIO = 8;
export const TC_HTB_MAXDEPTH = 8;
/** the same as HTB and TC's major */
export const TC_HTB_PROTOVER = 3;

/** struct tc_htb_opt */
export interface TcHtbOpt {
  rate: TcRatespec;
  ceil: TcRatespec;
  /** psched ticks */
  buffer: number;
  /** psched ticks */
  cbuffer: number;
  quantum: number;
  /** out only */
  level: number;
  prio: number;
}

/** struct tc_htb_glob */
export interface TcHtbGlob {
  version: number;
  rate2quantum: number;
  defcls: number;
  debug: number;
  direct_pkts: number;
}

/** TCA_OPTIONS of htb, qdisc and class (TCA_HTB_*) */
export interface TcHtbOptions {
  TCA_HTB_PARMS?: TcHtbOpt;
  TCA_HTB_INIT?: TcHtbGlob;
  TCA_HTB_CTAB?: readonly number[];
  TCA_HTB_RTAB?: readonly number[];
  TCA_HTB_DIRECT_QLEN?: number;
  TCA_HTB_RATE64?: number;
  TCA_HTB_CEIL64?: number;
  TCA_HTB_OFFLOAD?: true;
}

/** struct tc_htb_xstats */
export interface TcHtbXstats {
  lends: number;
  borrows: number;
  giants: number;
  tokens: number;
  ctokens: number;
}
