// net/ipv6/anycast.c: the anycast addresses of a device (idev.ac_list: the
// subnet-router anycast address of a forwarding device, IPV6_JOIN_ANYCAST).
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { in6Equal } from '../../wire/ipv6.ts';

/** ipv6_chk_acast_dev(): addr is an anycast address of dev. */
export function ipv6_chk_acast_dev(dev: NetDevice, addr: Uint8Array): boolean {
  const idev = dev.ip6Ptr;
  if (!idev) return false;
  for (const ac of idev.ac_list) if (in6Equal(ac.aca_addr, addr)) return true;
  return false;
}

/** ipv6_chk_acast_addr(): addr is an anycast address of dev (of any device when dev is null). */
export function ipv6_chk_acast_addr(net: Net, dev: NetDevice | null, addr: Uint8Array): boolean {
  if (dev) return ipv6_chk_acast_dev(dev, addr);
  for (const d of net.devices) if (ipv6_chk_acast_dev(d, addr)) return true;
  return false;
}
