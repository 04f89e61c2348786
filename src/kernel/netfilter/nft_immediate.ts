// net/netfilter/nft_immediate.c: a constant into a register, or a verdict
// (accept, drop, jump CHAIN, ...) into the verdict register.
import { EINVAL } from '../uapi/errno.ts';
import { NFT_DATA_VALUE_MAXLEN, NFT_REG_VERDICT, type NftImmediateExpr } from '../uapi/nf_tables.ts';
import { type NftChainK, type NftCtx, type NftExprInst, nft_parse_register_store, nft_verdict_init } from './nf_tables_api.ts';

export function nft_immediate_init(ctx: NftCtx, e: NftImmediateExpr): NftExprInst | number {
  if (e.dreg === undefined || !e.data) return -EINVAL;
  if ('verdict' in e.data) {
    if (e.dreg !== NFT_REG_VERDICT) return -EINVAL;
    const v = nft_verdict_init(ctx, e.data.verdict);
    if (typeof v === 'number') return v;
    const code = v.code;
    const chain: NftChainK | null = v.chain;
    return {
      name: 'immediate',
      jumpTo: chain,
      eval(regs) {
        regs.code = code;
        regs.chain = chain;
      },
      dump() {
        return { name: 'immediate', dreg: NFT_REG_VERDICT, data: { verdict: chain ? { code, chain: chain.name } : { code } } };
      },
    };
  }
  const data = e.data.value.slice();
  if (data.length === 0 || data.length > NFT_DATA_VALUE_MAXLEN) return -EINVAL;
  const off = nft_parse_register_store(e.dreg, data.length);
  if (off < 0) return off;
  const dreg = e.dreg;
  return {
    name: 'immediate',
    eval(regs) {
      regs.data.set(data, off);
    },
    dump() {
      return { name: 'immediate', dreg, data: { value: data.slice() } };
    },
  };
}
