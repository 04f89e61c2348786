// include/uapi/linux/in6.h and ipv6.h, icmpv6.h: the IPv6 socket family, its
// protocol numbers and the SOL_IPV6 / SOL_ICMPV6 socket options.
export const AF_INET6 = 10;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ICMPV6 = 58;
export const SOL_IPV6 = 41;
export const SOL_ICMPV6 = 58;

export const IPV6_CHECKSUM = 7;
export const IPV6_UNICAST_HOPS = 16;
export const IPV6_MULTICAST_IF = 17;
export const IPV6_MULTICAST_HOPS = 18;
export const IPV6_MULTICAST_LOOP = 19;
export const IPV6_MTU_DISCOVER = 23;
export const IPV6_MTU = 24;
export const IPV6_RECVERR = 25;
export const IPV6_V6ONLY = 26;
export const IPV6_RECVPKTINFO = 49;
export const IPV6_PKTINFO = 50;
export const IPV6_RECVHOPLIMIT = 51;
export const IPV6_HOPLIMIT = 52;
export const IPV6_TCLASS = 67;

export const IPV6_PMTUDISC_DONT = 0;
export const IPV6_PMTUDISC_WANT = 1;
export const IPV6_PMTUDISC_DO = 2;
export const IPV6_PMTUDISC_PROBE = 3;
export const IPV6_PMTUDISC_INTERFACE = 4;
export const IPV6_PMTUDISC_OMIT = 5;

/** include/uapi/linux/icmpv6.h: setsockopt(SOL_ICMPV6, ICMPV6_FILTER) on a raw ICMPv6 socket. */
export const ICMPV6_FILTER = 1;

// ICMPv6 types and codes (include/uapi/linux/icmpv6.h)
export const ICMPV6_DEST_UNREACH = 1;
export const ICMPV6_PKT_TOOBIG = 2;
export const ICMPV6_TIME_EXCEED = 3;
export const ICMPV6_PARAMPROB = 4;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;

export const ICMPV6_NOROUTE = 0;
export const ICMPV6_ADM_PROHIBITED = 1;
export const ICMPV6_NOT_NEIGHBOUR = 2;
export const ICMPV6_ADDR_UNREACH = 3;
export const ICMPV6_PORT_UNREACH = 4;
export const ICMPV6_POLICY_FAIL = 5;
export const ICMPV6_REJECT_ROUTE = 6;

export const ICMPV6_EXC_HOPLIMIT = 0;
export const ICMPV6_EXC_FRAGTIME = 1;

export const ICMPV6_HDR_FIELD = 0;
export const ICMPV6_UNK_NEXTHDR = 1;
export const ICMPV6_UNK_OPTION = 2;

/** include/uapi/linux/errqueue.h: SO_EE_ORIGIN_ICMP6 */
export const SO_EE_ORIGIN_ICMP6 = 3;
