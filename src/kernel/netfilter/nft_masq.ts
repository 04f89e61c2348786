// net/netfilter/nft_masq.c: `masquerade` in a postrouting nat chain, through
// nf_nat_masquerade_ipv4() as MASQUERADE does.
import { NF_INET_POST_ROUTING } from '../uapi/netfilter.ts';
import type { NftMasqExpr } from '../uapi/nf_tables.ts';
import { nf_nat_masquerade_ipv4 } from './nf_nat.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';
import { nft_port_nat_init } from './nft_nat.ts';

export function nft_masq_init(_ctx: NftCtx, e: NftMasqExpr): NftExprInst | number {
  return nft_port_nat_init('masq', e, 1 << NF_INET_POST_ROUTING, (pkt, r) =>
    nf_nat_masquerade_ipv4(pkt.skb, pkt.state.hook, r, pkt.state.out),
  );
}
