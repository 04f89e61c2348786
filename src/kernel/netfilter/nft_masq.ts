// net/netfilter/nft_masq.c: `masquerade` in a postrouting nat chain, through
// nf_nat_masquerade_ipv4() as MASQUERADE does.
import { EINVAL } from '../uapi/errno.ts';
import { NF_NAT_RANGE_PROTO_SPECIFIED } from '../uapi/nf_nat.ts';
import { NF_ACCEPT, NF_INET_POST_ROUTING, NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import type { NftMasqExpr } from '../uapi/nf_tables.ts';
import { nf_nat_masquerade_ipv4 } from './nf_nat.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load, nft_reg_load_be16 } from './nf_tables_api.ts';
import { nat_validate } from './nft_nat.ts';

const NF_NAT_RANGE_MASK = 0x7f;

export function nft_masq_init(_ctx: NftCtx, e: NftMasqExpr): NftExprInst | number {
  let flags = e.flags ?? 0;
  if (flags & ~NF_NAT_RANGE_MASK) return -EINVAL;
  let pmin = -1;
  let pmax = -1;
  if (e.regProtoMin !== undefined) {
    pmin = nft_parse_register_load(e.regProtoMin, 2);
    if (pmin < 0) return pmin;
    pmax = e.regProtoMax !== undefined ? nft_parse_register_load(e.regProtoMax, 2) : pmin;
    if (pmax < 0) return pmax;
    flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
  }
  const x: NftMasqExpr = { ...e };
  return {
    name: 'masq',
    eval(regs, pkt) {
      if (pkt.state.pf !== NFPROTO_IPV4) {
        regs.code = NF_ACCEPT;
        return;
      }
      const d = regs.data;
      const r = {
        flags,
        minAddr: 0,
        maxAddr: 0,
        minProto: pmin >= 0 ? nft_reg_load_be16(d, pmin) : 0,
        maxProto: pmax >= 0 ? nft_reg_load_be16(d, pmax) : 0,
        baseProto: 0,
      };
      regs.code = nf_nat_masquerade_ipv4(pkt.skb, pkt.state.hook, r, pkt.state.out);
    },
    validate(v) {
      return nat_validate(v, 1 << NF_INET_POST_ROUTING);
    },
    dump() {
      return { ...x };
    },
  };
}
