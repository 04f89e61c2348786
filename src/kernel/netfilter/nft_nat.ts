// net/netfilter/nft_nat.c: `snat to ADDR[:PORT]`, `dnat to ...` in nat
// chains: the range from registers, then nf_nat_setup_info() (the NAT core
// of iptables' SNAT/DNAT too).
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { NF_NAT_RANGE_MAP_IPS, NF_NAT_RANGE_PROTO_SPECIFIED } from '../uapi/nf_nat.ts';
import {
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
  NFPROTO_INET,
  NF_ACCEPT,
  NFPROTO_IPV4,
} from '../uapi/netfilter.ts';
import { NFT_NAT_DNAT, NFT_NAT_SNAT, type NftMasqExpr, type NftNatExpr, type NftRedirExpr } from '../uapi/nf_tables.ts';
import type { NfNatRange2 } from '../uapi/nf_nat.ts';
import { nf_ct_get } from './nf_conntrack.ts';
import { NF_NAT_MANIP_DST, NF_NAT_MANIP_SRC, nf_nat_setup_info } from './nf_nat.ts';
import {
  type NftCtx,
  type NftExprInst,
  type NftPktinfo,
  type NftValidateCtx,
  nft_parse_register_load,
  nft_reg_load_be16,
  nft_reg_load_be32,
} from './nf_tables_api.ts';

const NF_NAT_RANGE_MASK = 0x7f;

/** nft_chain_validate_dependency() + nft_chain_validate_hooks(): a nat chain on one of these hooks. */
export function nat_validate(v: NftValidateCtx, hooks: number): number {
  if (v.chainType !== 'nat') return -EOPNOTSUPP;
  return v.hookMask & ~hooks ? -EOPNOTSUPP : 0;
}

/**
 * masquerade and redirect (nft_masq.c, nft_redir.c): flags and an optional
 * port range in registers; the address is the output device's or the local
 * one. IPv4 only here: another family's packet is accepted untouched.
 */
export function nft_port_nat_init(
  name: 'masq' | 'redir',
  e: NftMasqExpr | NftRedirExpr,
  hooks: number,
  apply: (pkt: NftPktinfo, r: NfNatRange2) => number,
): NftExprInst | number {
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
  const x = { ...e };
  // one range per expression, its ports refreshed from the registers on each packet
  const r: NfNatRange2 = { flags, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 };
  return {
    name,
    eval(regs, pkt) {
      if (pkt.state.pf !== NFPROTO_IPV4) {
        regs.code = NF_ACCEPT;
        return;
      }
      if (pmin >= 0) {
        r.minProto = nft_reg_load_be16(regs.data, pmin);
        r.maxProto = nft_reg_load_be16(regs.data, pmax);
      }
      regs.code = apply(pkt, r);
    },
    validate(v) {
      return nat_validate(v, hooks);
    },
    dump() {
      return { ...x };
    },
  };
}

export function nft_nat_init(ctx: NftCtx, e: NftNatExpr): NftExprInst | number {
  if (e.type === undefined || e.family === undefined) return -EINVAL;
  const type = e.type;
  if (type !== NFT_NAT_SNAT && type !== NFT_NAT_DNAT) return -EOPNOTSUPP;
  if (e.regAddrMin === undefined && e.regProtoMin === undefined) return -EINVAL;
  const fam = e.family;
  if (fam !== NFPROTO_IPV4 && fam !== 10) return -EAFNOSUPPORT;
  if (ctx.family !== NFPROTO_INET && ctx.family !== fam) return -EOPNOTSUPP;
  if (fam !== NFPROTO_IPV4) return -EOPNOTSUPP;
  let amin = -1;
  let amax = -1;
  let pmin = -1;
  let pmax = -1;
  let flags = 0;
  if (e.regAddrMin !== undefined) {
    amin = nft_parse_register_load(e.regAddrMin, 4);
    if (amin < 0) return amin;
    amax = amin;
    if (e.regAddrMax !== undefined) {
      amax = nft_parse_register_load(e.regAddrMax, 4);
      if (amax < 0) return amax;
    }
    flags |= NF_NAT_RANGE_MAP_IPS;
  }
  if (e.regProtoMin !== undefined) {
    pmin = nft_parse_register_load(e.regProtoMin, 2);
    if (pmin < 0) return pmin;
    pmax = pmin;
    if (e.regProtoMax !== undefined) {
      pmax = nft_parse_register_load(e.regProtoMax, 2);
      if (pmax < 0) return pmax;
    }
    flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
  }
  if (e.flags !== undefined) {
    if (e.flags & ~NF_NAT_RANGE_MASK) return -EOPNOTSUPP;
    flags |= e.flags;
  }
  const x: NftNatExpr = { ...e };
  return {
    name: 'nat',
    eval(regs, pkt) {
      const { ct } = nf_ct_get(pkt.skb);
      if (!ct) return;
      const d = regs.data;
      const r = {
        flags,
        minAddr: amin >= 0 ? nft_reg_load_be32(d, amin) : 0,
        maxAddr: amax >= 0 ? nft_reg_load_be32(d, amax) : 0,
        minProto: pmin >= 0 ? nft_reg_load_be16(d, pmin) : 0,
        maxProto: pmax >= 0 ? nft_reg_load_be16(d, pmax) : 0,
        baseProto: 0,
      };
      regs.code = nf_nat_setup_info(ct, r, type === NFT_NAT_SNAT ? NF_NAT_MANIP_SRC : NF_NAT_MANIP_DST);
    },
    validate(v) {
      return nat_validate(
        v,
        type === NFT_NAT_SNAT
          ? (1 << NF_INET_POST_ROUTING) | (1 << NF_INET_LOCAL_IN)
          : (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_OUT),
      );
    },
    dump() {
      return { ...x };
    },
  };
}

const EAFNOSUPPORT = 97;
