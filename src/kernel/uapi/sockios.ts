// linux/sockios.h: the SIOCGIF* ioctls any socket takes (net/core/dev_ioctl.c,
// net/ipv4/devinet.c), struct ifreq, linux/if.h's IFF_* flags, and
// if_nameindex() (glibc reads it with an RTM_GETLINK dump).
import type { Net } from '../net_namespace.ts';
import { dev_ioctl, dev_nameindex, type Ifreq } from '../core/dev_ioctl.ts';

export { SIOCGIFADDR, SIOCGIFFLAGS, SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFNETMASK } from '../core/dev_ioctl.ts';
export type { Ifreq } from '../core/dev_ioctl.ts';

/** linux/if.h */
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_PROMISC = 0x100;

/** ioctl(fd, cmd, &ifr): 0 with ifr filled, or -errno. */
export function ioctl(net: Net, cmd: number, ifr: Ifreq): number {
  return dev_ioctl(net, cmd, ifr);
}

/** if_nameindex(3) */
export function if_nameindex(net: Net): { if_index: number; if_name: string }[] {
  return dev_nameindex(net);
}
