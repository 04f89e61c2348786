// /dev/net/tun as a program uses it (include/uapi/linux/if_tun.h): open(2),
// the TUNSETIFF family of ioctl(2)s, read(2)/write(2) of one frame each, and
// poll(2). The open file is an opaque handle, like a file descriptor.
import type { WaitQueue } from '../../sim/sched.ts';
import type { Net } from '../net_namespace.ts';
import {
  type TunFile,
  type TunIoctl,
  tun_chr_close,
  tun_chr_ioctl,
  tun_chr_open,
  tun_chr_poll,
  tun_chr_read,
  tun_chr_write,
  tun_fdinfo,
} from '../drivers/tun.ts';

export {
  IFF_ATTACH_QUEUE,
  IFF_DETACH_QUEUE,
  IFF_MULTI_QUEUE,
  IFF_NAPI,
  IFF_NAPI_FRAGS,
  IFF_NO_CARRIER,
  IFF_NO_PI,
  IFF_NOFILTER,
  IFF_ONE_QUEUE,
  IFF_PERSIST,
  IFF_TAP,
  IFF_TUN,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
  TUN_TYPE_MASK,
} from '../drivers/tun.ts';
export type { TunIoctl };

declare const tunBrand: unique symbol;
/** An open /dev/net/tun, as a program holds it. */
export interface TunFd {
  readonly [tunBrand]: 'tun';
}

const f = (fd: TunFd): TunFile => fd as unknown as TunFile;

/** open("/dev/net/tun", O_RDWR) in the caller's namespace; `owner` names the fd table entry. */
export function open_tun(net: Net, owner: { comm: string; pid: number; fd: number } | null = null): TunFd {
  return tun_chr_open(net, owner) as unknown as TunFd;
}

/** ioctl(): 0 or -errno; TUNSETIFF/TUNGETIFF fill `ifr`. */
export function tun_ioctl(fd: TunFd, req: TunIoctl): number {
  return tun_chr_ioctl(f(fd), req);
}

/** read(): one frame, cut to len (-EAGAIN when none is queued). */
export function tun_read(fd: TunFd, len: number): Uint8Array | number {
  return tun_chr_read(f(fd), len);
}

/** write(): one frame; the bytes taken or -errno. */
export function tun_write(fd: TunFd, data: Uint8Array): number {
  return tun_chr_write(f(fd), data);
}

/** poll(): revents */
export function tun_poll(fd: TunFd): number {
  return tun_chr_poll(f(fd));
}

/** The wait queue poll() sleeps on. */
export function tun_poll_wait(fd: TunFd): WaitQueue {
  return f(fd).wq;
}

/** close() */
export function tun_close(fd: TunFd): void {
  tun_chr_close(f(fd));
}

/** /proc/PID/fd/N → /dev/net/tun with /proc/PID/fdinfo/N's "iff:" (every process's, as /proc shows them). */
export function tun_fds(net: Net): { comm: string; pid: number; fd: number; iff: string }[] {
  return tun_fdinfo(net);
}
