// include/uapi/linux/in.h: protocol numbers and the SOL_IP socket options.
export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_RAW = 255;

export const IP_TOS = 1;
export const IP_TTL = 2;
export const IP_HDRINCL = 3;
export const IP_OPTIONS = 4;
export const IP_RECVERR = 11;
export const IP_MTU_DISCOVER = 10;
export const IP_MTU = 14;
export const IP_MINTTL = 21;

export const IP_PMTUDISC_DONT = 0;
export const IP_PMTUDISC_WANT = 1;
export const IP_PMTUDISC_DO = 2;
export const IP_PMTUDISC_PROBE = 3;

/** include/uapi/linux/icmp.h: setsockopt(SOL_RAW, ICMP_FILTER) on a raw ICMP socket. */
export const ICMP_FILTER = 1;

/** include/uapi/linux/errqueue.h: sock_extended_err.ee_origin */
export const SO_EE_ORIGIN_NONE = 0;
export const SO_EE_ORIGIN_LOCAL = 1;
export const SO_EE_ORIGIN_ICMP = 2;
