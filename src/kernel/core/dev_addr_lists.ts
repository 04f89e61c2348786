// net/core/dev_addr_lists.c: a device's secondary unicast addresses (dev->uc,
// `bridge fdb add … self`) and its multicast list (dev->mc) as the stack fills it.
import { EEXIST, ENOENT } from '../uapi/errno.ts';
import { ARPHRD_ETHER, IFF_UP, type NetDevice } from './netdevice.ts';
import { netdev_priv_br } from '../bridge/br_private.ts';

function sameAddr(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** dev_uc_add_excl(): -EEXIST when the address is there already. */
export function dev_uc_add_excl(dev: NetDevice, addr: Uint8Array): number {
  if (dev.uc.some((a) => sameAddr(a, addr))) return -EEXIST;
  dev.uc.push(addr.slice(0, 6));
  return 0;
}

/** dev_uc_del(): -ENOENT when the address is not there. */
export function dev_uc_del(dev: NetDevice, addr: Uint8Array): number {
  const i = dev.uc.findIndex((a) => sameAddr(a, addr));
  if (i < 0) return -ENOENT;
  dev.uc.splice(i, 1);
  return 0;
}

function mac(s: string): Uint8Array {
  return new Uint8Array(s.split(':').map((x) => Number.parseInt(x, 16)));
}

/**
 * dev->mc, in the order the stack added to it: addrconf joins ff02::1 at
 * registration even with disable_ipv6; an up device joins 224.0.0.1, and an up
 * bridge that snoops the all-snoopers groups first.
 */
export function dev_mc_list(dev: NetDevice): Uint8Array[] {
  if (dev.type !== ARPHRD_ETHER) return [];
  const l = [mac('33:33:00:00:00:01')];
  const up = (dev.flags & IFF_UP) !== 0;
  if (up && netdev_priv_br(dev)?.mcastSnooping) l.push(mac('01:00:5e:00:00:6a'), mac('33:33:00:00:00:6a'));
  if (up) l.push(mac('01:00:5e:00:00:01'));
  return l;
}
