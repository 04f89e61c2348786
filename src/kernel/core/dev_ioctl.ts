// net/core/dev_ioctl.c: the SIOCGIF* ioctls on any socket that read a
// device by name or index (libpcap's SIOCGIFINDEX, SIOCGIFFLAGS,
// SIOCGIFHWADDR), with devinet_ioctl's SIOCGIFADDR/SIOCGIFNETMASK
// (net/ipv4/devinet.c) for pcap_lookupnet, and the device list glibc's
// if_nameindex() reads with an RTM_GETLINK dump.
import type { Net } from '../net_namespace.ts';
import { EADDRNOTAVAIL, EINVAL, ENODEV } from '../uapi/errno.ts';
import type { NetDevice } from './netdevice.ts';
import { dev_get_flags } from './rtnetlink.ts';

/** struct ifreq, the fields these ioctls fill. */
export interface Ifreq {
  ifr_name: string;
  ifr_ifindex?: number;
  ifr_flags?: number;
  /** ifr_hwaddr: sa_family is the ARPHRD_* type. */
  ifr_hwaddr?: { sa_family: number; sa_data: Uint8Array };
  /** SIOCGIFADDR / SIOCGIFNETMASK: an IPv4 address, host order. */
  ifr_addr?: number;
}

export const SIOCGIFNAME = 0x8910;
export const SIOCGIFFLAGS = 0x8913;
export const SIOCGIFADDR = 0x8915;
export const SIOCGIFNETMASK = 0x891b;
export const SIOCGIFHWADDR = 0x8927;
export const SIOCGIFINDEX = 0x8933;

function byName(net: Net, name: string): NetDevice | undefined {
  return net.devByName.get(name);
}

/** dev_ioctl(): fills ifr for cmd; 0 or -errno. */
export function dev_ioctl(net: Net, cmd: number, ifr: Ifreq): number {
  if (cmd === SIOCGIFNAME) {
    const d = net.devices.find((x) => x.ifindex === ifr.ifr_ifindex);
    if (!d) return -ENODEV;
    ifr.ifr_name = d.name;
    return 0;
  }
  const dev = byName(net, ifr.ifr_name);
  if (!dev) return -ENODEV;
  switch (cmd) {
    case SIOCGIFINDEX:
      ifr.ifr_ifindex = dev.ifindex;
      return 0;
    case SIOCGIFFLAGS:
      ifr.ifr_flags = dev_get_flags(dev);
      return 0;
    case SIOCGIFHWADDR:
      ifr.ifr_hwaddr = { sa_family: dev.type, sa_data: dev.devAddr.slice() };
      return 0;
    case SIOCGIFADDR:
    case SIOCGIFNETMASK: {
      // devinet_ioctl(): the first address whose label is the device's name
      const ifa = dev.ipPtr?.ifaList[0];
      if (!ifa) return -EADDRNOTAVAIL;
      ifr.ifr_addr = (cmd === SIOCGIFADDR ? ifa.local : ifa.mask) >>> 0;
      return 0;
    }
  }
  return -EINVAL;
}

/** The devices as an RTM_GETLINK dump lists them (if_nameindex). */
export function dev_nameindex(net: Net): { if_index: number; if_name: string }[] {
  return net.devices.map((d) => ({ if_index: d.ifindex, if_name: d.name }));
}
