// net/netfilter/nft_cmp.c: compares a register with a constant (memcmp
// order); a mismatch breaks the rule.
import { EINVAL } from '../uapi/errno.ts';
import {
  NFT_BREAK,
  NFT_CMP_EQ,
  NFT_CMP_GT,
  NFT_CMP_GTE,
  NFT_CMP_LT,
  NFT_CMP_LTE,
  NFT_CMP_NEQ,
  NFT_DATA_VALUE_MAXLEN,
  type NftCmpExpr,
} from '../uapi/nf_tables.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load } from './nf_tables_api.ts';

export function nft_cmp_init(_ctx: NftCtx, e: NftCmpExpr): NftExprInst | number {
  if (e.sreg === undefined || e.op === undefined || !e.data) return -EINVAL;
  const data = e.data.slice();
  const len = data.length;
  if (len === 0 || len > NFT_DATA_VALUE_MAXLEN) return -EINVAL;
  const off = nft_parse_register_load(e.sreg, len);
  if (off < 0) return off;
  const op = e.op;
  if (op < NFT_CMP_EQ || op > NFT_CMP_GTE) return -EINVAL;
  const sreg = e.sreg;
  return {
    name: 'cmp',
    eval(regs) {
      const r = regs.data;
      let d = 0;
      for (let i = 0; i < len; i++) {
        const a = r[off + i] as number;
        const b = data[i] as number;
        if (a !== b) {
          d = a < b ? -1 : 1;
          break;
        }
      }
      let ok: boolean;
      switch (op) {
        case NFT_CMP_EQ:
          ok = d === 0;
          break;
        case NFT_CMP_NEQ:
          ok = d !== 0;
          break;
        case NFT_CMP_LT:
          ok = d < 0;
          break;
        case NFT_CMP_LTE:
          ok = d <= 0;
          break;
        case NFT_CMP_GT:
          ok = d > 0;
          break;
        default:
          ok = d >= 0;
      }
      if (!ok) regs.code = NFT_BREAK;
    },
    dump() {
      return { name: 'cmp', sreg, op, data: data.slice() };
    },
  };
}
