// net/netfilter/xt_physdev.c: the bridge ports a bridged IPv4 packet came in
// by and will leave by (br_netfilter's skb->nf_bridge physindev/physoutdev).
import type { NetDevice } from '../core/netdevice.ts';
import {
  NFPROTO_UNSPEC,
  XT_PHYSDEV_OP_BRIDGED,
  XT_PHYSDEV_OP_IN,
  XT_PHYSDEV_OP_ISIN,
  XT_PHYSDEV_OP_ISOUT,
  XT_PHYSDEV_OP_MASK,
  XT_PHYSDEV_OP_OUT,
} from '../uapi/x_tables.ts';
import { EINVAL } from '../uapi/errno.ts';
import { NF_INET_LOCAL_OUT } from './core.ts';
import type { XtMatch } from './x_tables.ts';

/** ifname_compare_aligned() with iptables' mask: a trailing '+' matches any suffix. */
function ifname_compare(name: string, pat: string): boolean {
  if (pat.endsWith('+')) return name.startsWith(pat.slice(0, -1));
  return name === pat;
}

export const physdev_mt: Readonly<XtMatch<'physdev'>> = {
  type: 'match',
  name: 'physdev',
  revision: 0,
  family: NFPROTO_UNSPEC,
  /** physdev_mt_check() */
  checkentry(par, info) {
    if (!(info.bitmask & XT_PHYSDEV_OP_MASK) || info.bitmask & ~XT_PHYSDEV_OP_MASK) return -EINVAL;
    if (
      info.bitmask & (XT_PHYSDEV_OP_OUT | XT_PHYSDEV_OP_ISOUT) &&
      (!(info.bitmask & XT_PHYSDEV_OP_BRIDGED) || info.invert & XT_PHYSDEV_OP_BRIDGED) &&
      par.hook_mask & (1 << NF_INET_LOCAL_OUT)
    ) {
      par.net.kernel.kmsg.printk(
        6,
        'xt_physdev: --physdev-out and --physdev-is-out only supported in the FORWARD and POSTROUTING chains with bridged traffic',
      );
      return -EINVAL;
    }
    return 0;
  },
  /** physdev_mt() */
  match(p, info) {
    const nfb = p.skb.nfBridge;
    if (!nfb) {
      // not a bridged packet (or not known yet, LOCAL_OUT): only negated options match
      for (const op of [XT_PHYSDEV_OP_BRIDGED, XT_PHYSDEV_OP_ISIN, XT_PHYSDEV_OP_ISOUT, XT_PHYSDEV_OP_IN, XT_PHYSDEV_OP_OUT])
        if (info.bitmask & op && !(info.invert & op)) return false;
      return true;
    }
    const outdev = nfb.physoutdev ? nfb.physoutdev.name : null;
    // only meaningful in FORWARD and POSTROUTING
    if (info.bitmask & XT_PHYSDEV_OP_BRIDGED && !!outdev !== !(info.invert & XT_PHYSDEV_OP_BRIDGED)) return false;
    // nf_bridge_get_physindev(): the port, while it is still in this namespace
    const physin: NetDevice | null = nfb.physindev && nfb.physindev.net === p.net ? nfb.physindev : null;
    const indev = physin ? physin.name : null;
    if (
      (info.bitmask & XT_PHYSDEV_OP_ISIN && !indev !== !!(info.invert & XT_PHYSDEV_OP_ISIN)) ||
      (info.bitmask & XT_PHYSDEV_OP_ISOUT && !outdev !== !!(info.invert & XT_PHYSDEV_OP_ISOUT))
    )
      return false;
    if (info.bitmask & XT_PHYSDEV_OP_IN && indev !== null) {
      if (ifname_compare(indev, info.physindev) === !!(info.invert & XT_PHYSDEV_OP_IN)) return false;
    }
    if (!(info.bitmask & XT_PHYSDEV_OP_OUT)) return true;
    if (outdev === null) return false;
    return ifname_compare(outdev, info.physoutdev) !== !!(info.invert & XT_PHYSDEV_OP_OUT);
  },
};
