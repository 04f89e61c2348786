// include/uapi/asm-generic/errno-base.h and errno.h: the numbers the kernel
// answers with (negated).
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ERANGE = 34;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
export const ENETDOWN = 100;
export const ENETUNREACH = 101;
export const EHOSTUNREACH = 113;
