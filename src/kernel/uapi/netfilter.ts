// include/uapi/linux/netfilter.h: verdicts, hook numbers and protocol families.
export const NF_DROP = 0;
export const NF_ACCEPT = 1;
export const NF_STOLEN = 2;
export const NF_QUEUE = 3;
export const NF_REPEAT = 4;
export const NF_STOP = 5;

export const NF_INET_PRE_ROUTING = 0;
export const NF_INET_LOCAL_IN = 1;
export const NF_INET_FORWARD = 2;
export const NF_INET_LOCAL_OUT = 3;
export const NF_INET_POST_ROUTING = 4;
export const NF_ARP_IN = 0;
export const NF_ARP_OUT = 1;
export const NF_ARP_FORWARD = 2;

export const NFPROTO_IPV4 = 2;
export const NFPROTO_ARP = 3;
export const NFPROTO_BRIDGE = 7;

/** The hook names as ip_tables prints them (textify_hooks(), iptables' built-in chains). */
export const HOOK_NAMES = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;

export const NFPROTO_UNSPEC = 0;
export const NFPROTO_INET = 1;
export const NFPROTO_NETDEV = 5;
export const NFPROTO_IPV6 = 10;

/** enum nf_inet_hooks: NF_INET_INGRESS follows NF_INET_NUMHOOKS. */
export const NF_INET_NUMHOOKS = 5;
export const NF_INET_INGRESS = NF_INET_NUMHOOKS;
/** enum nf_dev_hooks */
export const NF_NETDEV_INGRESS = 0;
export const NF_NETDEV_EGRESS = 1;
/** enum nf_br_hooks (netfilter_bridge.h): same numbers as the inet hooks. */
export const NF_BR_PRE_ROUTING = 0;
export const NF_BR_LOCAL_IN = 1;
export const NF_BR_FORWARD = 2;
export const NF_BR_LOCAL_OUT = 3;
export const NF_BR_POST_ROUTING = 4;
