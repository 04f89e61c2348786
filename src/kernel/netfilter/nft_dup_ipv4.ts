// net/ipv4/netfilter/nft_dup_ipv4.c + nf_dup_ipv4.c: `dup to ADDR [device
// DEV]` sends a copy, untracked, routed to ADDR (through DEV), by
// ip_local_out; a copy made on input has its TTL lowered first.
import { kfree_skb_reason } from '../core/skb_free.ts';
import { flowi4 } from '../ipv4/fib.ts';
import { ip_decrease_ttl } from '../ipv4/ip_forward.ts';
import { ip_local_out } from '../ipv4/ip_output.ts';
import { ip_route_output_key } from '../ipv4/route.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { EINVAL } from '../uapi/errno.ts';
import { IP_CT_UNTRACKED } from '../uapi/nf_conntrack_common.ts';
import { NF_INET_LOCAL_IN, NF_INET_PRE_ROUTING } from '../uapi/netfilter.ts';
import type { NftDupExpr } from '../uapi/nf_tables.ts';
import { nf_ct_set, nf_reset_ct } from './nf_conntrack.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load, nft_pernet, nft_reg_load32, nft_reg_load_be32 } from './nf_tables_api.ts';

export function nft_dup_ipv4_init(_ctx: NftCtx, e: NftDupExpr): NftExprInst | number {
  if (e.sregAddr === undefined) return -EINVAL;
  const aoff = nft_parse_register_load(e.sregAddr, 4);
  if (aoff < 0) return aoff;
  let doff = -1;
  if (e.sregDev !== undefined) {
    doff = nft_parse_register_load(e.sregDev, 4);
    if (doff < 0) return doff;
  }
  const x: NftDupExpr = { ...e };
  return {
    name: 'dup',
    eval(regs, pkt) {
      const net = pkt.state.net;
      // nf_skb_duplicated: the copy's own trip through the hooks makes no copies
      const nn = nft_pernet(net);
      if (nn.dupActive) return;
      const skb = pkt.skb.copy();
      nf_reset_ct(skb);
      nf_ct_set(skb, null, IP_CT_UNTRACKED);
      const hook = pkt.state.hook;
      if (hook === NF_INET_PRE_ROUTING || hook === NF_INET_LOCAL_IN) ip_decrease_ttl(skb.head, skb.networkHeader);
      const gw = nft_reg_load_be32(regs.data, aoff);
      const oif = doff >= 0 ? nft_reg_load32(regs.data, doff) : 0;
      const rt = ip_route_output_key(net, flowi4({ daddr: gw, oif }));
      if (typeof rt === 'number' || rt.error) {
        kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'nf_dup_ipv4');
        return;
      }
      skb.dst = rt;
      skb.dev = rt.dev;
      skb.protocol = 0x0800;
      nn.dupActive = true;
      try {
        ip_local_out(net, null, skb);
      } finally {
        nn.dupActive = false;
      }
    },
    dump() {
      return { ...x };
    },
  };
}
