// net/netfilter/nft_fwd_netdev.c: `fwd to DEV` in a netdev chain sends the
// frame out of another device as it is (nf_fwd_netdev_egress); the packet
// is stolen from the receive path.
import { dev_queue_xmit } from '../core/dev.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { NF_NETDEV_EGRESS, NF_NETDEV_INGRESS, NF_STOLEN, NFPROTO_NETDEV } from '../uapi/netfilter.ts';
import type { NftFwdExpr } from '../uapi/nf_tables.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load, nft_reg_load32 } from './nf_tables_api.ts';

export function nft_fwd_init(_ctx: NftCtx, e: NftFwdExpr): NftExprInst | number {
  if (e.sregDev === undefined) return -EINVAL;
  if (e.sregAddr !== undefined || e.nfproto !== undefined) return -EOPNOTSUPP;
  const soff = nft_parse_register_load(e.sregDev, 4);
  if (soff < 0) return soff;
  const x: NftFwdExpr = { ...e };
  return {
    name: 'fwd',
    eval(regs, pkt) {
      const skb = pkt.skb;
      const net = pkt.state.net;
      const oif = nft_reg_load32(regs.data, soff);
      skb.skbIif = skb.dev ? skb.dev.ifindex : 0;
      regs.code = NF_STOLEN;
      const dev = net.devByIndex.get(oif);
      if (!dev) {
        kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'nf_fwd_netdev_egress');
        return;
      }
      if (skb.macHeader >= 0 && skb.macHeader < skb.data) skb.push(skb.data - skb.macHeader);
      skb.dev = dev;
      dev_queue_xmit(skb);
    },
    validate(v) {
      if (v.family !== NFPROTO_NETDEV) return -EOPNOTSUPP;
      return v.hookMask & ~((1 << NF_NETDEV_INGRESS) | (1 << NF_NETDEV_EGRESS)) ? -EOPNOTSUPP : 0;
    },
    dump() {
      return { ...x };
    },
  };
}
