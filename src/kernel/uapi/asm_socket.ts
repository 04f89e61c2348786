// include/uapi/asm-generic/socket.h and the socket-level constants of
// include/linux/socket.h and net.h: socket types, SOL_*, SO_*, MSG_*, SHUT_*.
export const AF_INET = 2;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_MAX = 11;
export const SOCK_NONBLOCK = 0o4000;

export const SOL_IP = 0;
export const SOL_SOCKET = 1;
export const SOL_TCP = 6;
export const SOL_UDP = 17;
export const SOL_RAW = 255;

export const SO_DEBUG = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_DONTROUTE = 5;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_LINGER = 13;
export const SO_REUSEPORT = 15;
export const SO_BINDTODEVICE = 25;
export const SO_MARK = 36;
export const SO_PROTOCOL = 38;

export const MSG_PEEK = 0x2;
export const MSG_DONTWAIT = 0x40;
export const MSG_ERRQUEUE = 0x2000;

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
