// net/ipv6/anycast.c: the anycast addresses of a device (idev.ac_list: the
// subnet-router anycast address of a forwarding device, IPV6_JOIN_ANYCAST).
import type { NetDevice } from '../core/netdevice.ts';
import { IFF_LOOPBACK, IFF_NOARP } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { ENODEV, ENOENT } from '../uapi/errno.ts';
import { in6Equal } from '../../wire/ipv6.ts';
import type { Inet6Dev } from './addrconf.ts';
import { addrconf_addr_solict_mult } from './addrconf_core.ts';
import { ipv6_dev_mc_dec, ipv6_dev_mc_inc } from './mcast.ts';
import { addrconf_f6i_alloc, ip6_del_rt, ip6_ins_rt } from './route.ts';

/**
 * __ipv6_dev_ac_inc(): one more user of anycast addr on idev; the first adds
 * it at the head of ac_list, puts its anycast route in the local table and
 * joins its solicited-node group (addrconf_join_solict).
 */
export function __ipv6_dev_ac_inc(idev: Inet6Dev, addr: Uint8Array): number {
  if (idev.dead) return -ENODEV;
  for (const ac of idev.ac_list) {
    if (in6Equal(ac.aca_addr, addr)) {
      ac.aca_users++;
      return 0;
    }
  }
  const net = idev.dev.net;
  const f6i = addrconf_f6i_alloc(net, idev, addr, true);
  const aca = { aca_addr: addr.slice(), aca_users: 1, aca_rt: f6i };
  idev.ac_list.unshift(aca);
  ip6_ins_rt(net, f6i);
  if (!(idev.dev.flags & (IFF_LOOPBACK | IFF_NOARP))) ipv6_dev_mc_inc(idev.dev, addrconf_addr_solict_mult(aca.aca_addr));
  return 0;
}

/** __ipv6_dev_ac_dec(): one user less; the last leaves the group and removes the route. */
export function __ipv6_dev_ac_dec(idev: Inet6Dev, addr: Uint8Array): number {
  const i = idev.ac_list.findIndex((ac) => in6Equal(ac.aca_addr, addr));
  if (i < 0) return -ENOENT;
  const aca = idev.ac_list[i] as (typeof idev.ac_list)[number];
  if (--aca.aca_users > 0) return 0;
  idev.ac_list.splice(i, 1);
  if (!(idev.dev.flags & (IFF_LOOPBACK | IFF_NOARP))) ipv6_dev_mc_dec(idev.dev, addrconf_addr_solict_mult(aca.aca_addr));
  if (aca.aca_rt) ip6_del_rt(idev.dev.net, aca.aca_rt);
  return 0;
}

/** ipv6_ac_destroy_dev(): the device goes; every anycast address with it. */
export function ipv6_ac_destroy_dev(idev: Inet6Dev): void {
  while (idev.ac_list.length > 0) {
    const aca = idev.ac_list.shift() as (typeof idev.ac_list)[number];
    if (!(idev.dev.flags & (IFF_LOOPBACK | IFF_NOARP))) ipv6_dev_mc_dec(idev.dev, addrconf_addr_solict_mult(aca.aca_addr));
    if (aca.aca_rt) ip6_del_rt(idev.dev.net, aca.aca_rt);
  }
}

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
