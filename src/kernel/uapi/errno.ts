// include/uapi/asm-generic/errno-base.h and errno.h: the numbers a call
// returns negated. Only the ones the user API needs so far.
export const EPERM = 1;
export const ENOENT = 2;
export const ENXIO = 6;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOBUFS = 105;
export const EMSGSIZE = 90;
export const ENOPROTOOPT = 92;
export const EPROTONOSUPPORT = 93;
export const ESOCKTNOSUPPORT = 94;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
export const EADDRNOTAVAIL = 99;
export const ENETDOWN = 100;
export const ENOTCONN = 107;
