// net/netfilter/nft_reject.c, nft_reject_ipv4.c, nft_reject_inet.c:
// `reject` answers with an ICMP error (or, `with tcp reset`, a RST) through
// the reject code the REJECT target uses, then drops the packet.
// `with icmpx type ...` (inet, netdev, bridge) names the error whatever the
// family. Allowed on input, forward, output, prerouting (and ingress).
import { EINVAL } from '../uapi/errno.ts';
import {
  NF_DROP,
  NF_INET_FORWARD,
  NF_INET_INGRESS,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_PRE_ROUTING,
  NFPROTO_IPV4,
} from '../uapi/netfilter.ts';
import {
  NFT_REJECT_ICMP_UNREACH,
  NFT_REJECT_ICMPX_ADMIN_PROHIBITED,
  NFT_REJECT_ICMPX_HOST_UNREACH,
  NFT_REJECT_ICMPX_NO_ROUTE,
  NFT_REJECT_ICMPX_PORT_UNREACH,
  NFT_REJECT_ICMPX_UNREACH,
  NFT_REJECT_TCP_RST,
  type NftRejectExpr,
} from '../uapi/nf_tables.ts';
import { nf_send_reset, nf_send_unreach } from './ipt_REJECT.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';

const EOPNOTSUPP = 95;

/** nft_reject_icmp_code(): the ICMPv4 code of an icmpx code */
function icmpx_to_icmp(code: number): number {
  switch (code) {
    case NFT_REJECT_ICMPX_NO_ROUTE:
      return 0; // ICMP_NET_UNREACH
    case NFT_REJECT_ICMPX_PORT_UNREACH:
      return 3;
    case NFT_REJECT_ICMPX_HOST_UNREACH:
      return 1;
    case NFT_REJECT_ICMPX_ADMIN_PROHIBITED:
      return 13; // ICMP_PKT_FILTERED
  }
  return 3;
}

export function nft_reject_init(ctx: NftCtx, e: NftRejectExpr): NftExprInst | number {
  if (e.type === undefined) return -EINVAL;
  const type = e.type;
  const inetLike = ctx.family !== NFPROTO_IPV4 && ctx.family !== 10;
  let code = e.icmpCode ?? 0;
  switch (type) {
    case NFT_REJECT_ICMP_UNREACH:
      if (e.icmpCode === undefined) return -EINVAL;
      break;
    case NFT_REJECT_ICMPX_UNREACH:
      if (!inetLike) return -EINVAL;
      if (e.icmpCode === undefined) return -EINVAL;
      if (code > NFT_REJECT_ICMPX_ADMIN_PROHIBITED) return -EINVAL;
      break;
    case NFT_REJECT_TCP_RST:
      code = 0;
      break;
    default:
      return -EINVAL;
  }
  const hooks =
    (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_INGRESS);
  return {
    name: 'reject',
    eval(regs, pkt) {
      const st = pkt.state;
      if (st.pf === NFPROTO_IPV4 || (st.pf === 5 && pkt.skb.protocol === 0x0800)) {
        if (type === NFT_REJECT_TCP_RST) nf_send_reset(st.net, pkt.skb, st.hook);
        else nf_send_unreach(st.net, pkt.skb, type === NFT_REJECT_ICMPX_UNREACH ? icmpx_to_icmp(code) : code, st.hook);
      }
      regs.code = NF_DROP;
    },
    validate(v) {
      if (v.family === 5 || v.family === 3) return 0;
      return v.hookMask & ~hooks ? -EOPNOTSUPP : 0;
    },
    dump() {
      const x: NftRejectExpr = { name: 'reject', type };
      if (type !== NFT_REJECT_TCP_RST) x.icmpCode = code;
      else x.icmpCode = 0;
      return x;
    },
  };
}
