// net/netfilter/nft_redir.c: `redirect [to :PORT]` in prerouting/output nat
// chains, through nf_nat_redirect_ipv4() as REDIRECT does.
import { NF_INET_LOCAL_OUT, NF_INET_PRE_ROUTING } from '../uapi/netfilter.ts';
import type { NftRedirExpr } from '../uapi/nf_tables.ts';
import { nf_nat_redirect_ipv4 } from './nf_nat.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';
import { nft_port_nat_init } from './nft_nat.ts';

export function nft_redir_init(_ctx: NftCtx, e: NftRedirExpr): NftExprInst | number {
  return nft_port_nat_init('redir', e, (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT), (pkt, r) =>
    nf_nat_redirect_ipv4(pkt.skb, r, pkt.state.hook),
  );
}
