// include/uapi/linux/sock_diag.h and inet_diag.h: what ss asks the kernel
// for (SOCK_DIAG_BY_FAMILY with a struct inet_diag_req_v2) and the messages
// it gets back (struct inet_diag_msg and its INET_DIAG_* attributes, struct
// tcp_info), plus the /proc/net files ss -s reads. Plain data only.
import type { Net } from '../net_namespace.ts';
import { inet_diag_dump, sockstat_seq_show, tcp_curr_estab } from '../ipv4/inet_diag.ts';

export const SOCK_DIAG_BY_FAMILY = 20;

/** idiag_ext bits are 1 << (INET_DIAG_x - 1) */
export const INET_DIAG_MEMINFO = 1;
export const INET_DIAG_INFO = 2;
export const INET_DIAG_VEGASINFO = 3;
export const INET_DIAG_CONG = 4;
export const INET_DIAG_TOS = 5;
export const INET_DIAG_TCLASS = 6;
export const INET_DIAG_SKMEMINFO = 7;
export const INET_DIAG_SHUTDOWN = 8;

/** idiag_timer */
export const IDIAG_TIMER_OFF = 0;
export const IDIAG_TIMER_ON = 1;
export const IDIAG_TIMER_KEEPALIVE = 2;
export const IDIAG_TIMER_TIMEWAIT = 3;
export const IDIAG_TIMER_PROBE0 = 4;

/** SK_MEMINFO_* indexes of INET_DIAG_SKMEMINFO */
export const SK_MEMINFO_RMEM_ALLOC = 0;
export const SK_MEMINFO_RCVBUF = 1;
export const SK_MEMINFO_WMEM_ALLOC = 2;
export const SK_MEMINFO_SNDBUF = 3;
export const SK_MEMINFO_FWD_ALLOC = 4;
export const SK_MEMINFO_WMEM_QUEUED = 5;
export const SK_MEMINFO_OPTMEM = 6;
export const SK_MEMINFO_BACKLOG = 7;
export const SK_MEMINFO_DROPS = 8;

/** struct inet_diag_req_v2 (the bytecode filter stays in ss: it runs its ssfilter on what comes back). */
export interface InetDiagReqV2 {
  sdiag_family: number;
  sdiag_protocol: number;
  idiag_ext: number;
  /** 1 << TCP_* of the states wanted */
  idiag_states: number;
}

/** struct inet_diag_sockid (addresses and ports in host order here). */
export interface InetDiagSockId {
  idiag_sport: number;
  idiag_dport: number;
  idiag_src: number;
  idiag_dst: number;
  idiag_if: number;
  idiag_cookie: number;
}

/** struct tcp_info, the fields the simulated TCP keeps. */
export interface TcpInfo {
  tcpi_state: number;
  tcpi_ca_state: number;
  tcpi_retransmits: number;
  tcpi_probes: number;
  tcpi_backoff: number;
  tcpi_rto: number;
  tcpi_snd_mss: number;
  tcpi_rcv_mss: number;
  tcpi_unacked: number;
  tcpi_sacked: number;
  tcpi_lost: number;
  tcpi_retrans: number;
  tcpi_rtt: number;
  tcpi_rttvar: number;
  tcpi_snd_ssthresh: number;
  tcpi_snd_cwnd: number;
  tcpi_advmss: number;
  tcpi_rcv_ssthresh: number;
  tcpi_total_retrans: number;
  tcpi_bytes_acked: number;
  tcpi_bytes_received: number;
  tcpi_segs_out: number;
  tcpi_segs_in: number;
  tcpi_data_segs_in: number;
  tcpi_data_segs_out: number;
  tcpi_delivered: number;
  tcpi_snd_wnd: number;
  tcpi_rcv_wnd: number;
}

/** struct inet_diag_msg with the attributes that followed it. */
export interface InetDiagMsg {
  idiag_family: number;
  idiag_state: number;
  idiag_timer: number;
  idiag_retrans: number;
  id: InetDiagSockId;
  idiag_expires: number;
  idiag_rqueue: number;
  idiag_wqueue: number;
  idiag_uid: number;
  idiag_inode: number;
  /** The protocol the dump was for (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW). */
  protocol: number;
  /** INET_DIAG_PROTOCOL of a raw socket: the protocol it was opened for. */
  raw_protocol?: number;
  /** INET_DIAG_MEMINFO */
  meminfo?: { idiag_rmem: number; idiag_wmem: number; idiag_fmem: number; idiag_tmem: number };
  /** INET_DIAG_SKMEMINFO, indexed by SK_MEMINFO_* */
  skmeminfo?: number[];
  /** INET_DIAG_INFO */
  info?: TcpInfo;
  /** Not netlink: the process holding the socket, what ss -p finds under /proc/PID/fd. */
  owner?: { comm: string; pid: number; fd: number };
}

/** sendmsg(SOCK_DIAG_BY_FAMILY, NLM_F_DUMP) on a NETLINK_SOCK_DIAG socket: the dump's messages. */
export function sock_diag_dump(net: Net, req: InetDiagReqV2): InetDiagMsg[] {
  return inet_diag_dump(net, req);
}

/** The text of /proc/net/sockstat. */
export function proc_net_sockstat(net: Net): string {
  return sockstat_seq_show(net);
}

/** Tcp: CurrEstab of /proc/net/snmp. */
export function snmp_tcp_curr_estab(net: Net): number {
  return tcp_curr_estab(net);
}
