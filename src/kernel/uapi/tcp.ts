// include/uapi/linux/tcp.h: the SOL_TCP socket options and the TCP states
// (include/net/tcp_states.h) as sock_diag and ss name them.
export const TCP_NODELAY = 1;
export const TCP_MAXSEG = 2;
export const TCP_CORK = 3;
export const TCP_SYNCNT = 7;
export const TCP_LINGER2 = 8;
export const TCP_INFO = 11;

export const TCP_ESTABLISHED = 1;
export const TCP_SYN_SENT = 2;
export const TCP_SYN_RECV = 3;
export const TCP_FIN_WAIT1 = 4;
export const TCP_FIN_WAIT2 = 5;
export const TCP_TIME_WAIT = 6;
export const TCP_CLOSE = 7;
export const TCP_CLOSE_WAIT = 8;
export const TCP_LAST_ACK = 9;
export const TCP_LISTEN = 10;
export const TCP_CLOSING = 11;
export const TCP_NEW_SYN_RECV = 12;
export const TCP_BOUND_INACTIVE = 13;
export const TCP_MAX_STATES = 14;
