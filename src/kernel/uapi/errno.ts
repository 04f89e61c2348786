// include/uapi/asm-generic/errno-base.h and errno.h: the numbers a syscall
// returns negated, and the strerror() text glibc gives them.
export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EIO = 5;
export const E2BIG = 7;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ERANGE = 34;
export const EOPNOTSUPP = 95;
export const EOVERFLOW = 75;
