// net/netfilter/nft_numgen.c: `numgen inc mod N [offset O]` counts 0, 1, ..
// N-1 round robin (shared by every packet through the rule); `numgen random`
// scales a random u32 into [0, N).
import { EINVAL, EOPNOTSUPP, ERANGE } from '../uapi/errno.ts';
import { NFT_NG_INCREMENTAL, NFT_NG_RANDOM, type NftNumgenExpr } from '../uapi/nf_tables.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_store, nft_reg_store32 } from './nf_tables_api.ts';

/** reciprocal_scale(): val * ep_ro >> 32 */
export function reciprocal_scale(val: number, ep: number): number {
  return Number((BigInt(val >>> 0) * BigInt(ep >>> 0)) >> 32n);
}

export function nft_numgen_init(_ctx: NftCtx, e: NftNumgenExpr): NftExprInst | number {
  if (e.modulus === undefined || e.type === undefined || e.dreg === undefined) return -EINVAL;
  const modulus = e.modulus >>> 0;
  const offset = (e.offset ?? 0) >>> 0;
  if (modulus === 0) return -ERANGE;
  if (offset + modulus - 1 > 0xffffffff) return -75;
  if (e.type !== NFT_NG_INCREMENTAL && e.type !== NFT_NG_RANDOM) return -EOPNOTSUPP;
  const doff = nft_parse_register_store(e.dreg, 4);
  if (doff < 0) return doff;
  const type = e.type;
  const dreg = e.dreg;
  // nft_ng_inc_init(): the counter starts at modulus - 1, so the first packet gets 0
  let counter = modulus - 1;
  return {
    name: 'numgen',
    eval(regs, pkt) {
      let v: number;
      if (type === NFT_NG_INCREMENTAL) {
        counter = counter + 1 < modulus ? counter + 1 : 0;
        v = counter;
      } else v = reciprocal_scale(pkt.state.net.kernel.sim.rng.u32(), modulus);
      nft_reg_store32(regs.data, doff, (v + offset) >>> 0);
    },
    dump() {
      const x: NftNumgenExpr = { name: 'numgen', dreg, modulus, type };
      x.offset = offset;
      return x;
    },
  };
}
