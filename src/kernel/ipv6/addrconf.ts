// net/ipv6/addrconf.c, as far as the model goes: IPv6 is off on every device,
// so RTM_NEWADDR/DELADDR for AF_INET6 answer as Linux does with disable_ipv6.
import { EACCES, EADDRNOTAVAIL } from '../uapi/errno.ts';

/** inet6_rtm_newaddr() → inet6_addr_add(): the device has no inet6_dev to take it. */
export function inet6_rtm_newaddr(extack: { msg: string | null }): number {
  extack.msg = 'ipv6: IPv6 is disabled on this device';
  return -EACCES;
}

/** inet6_rtm_deladdr() → inet6_addr_del() */
export function inet6_rtm_deladdr(extack: { msg: string | null }): number {
  extack.msg = 'ipv6: address not found';
  return -EADDRNOTAVAIL;
}
