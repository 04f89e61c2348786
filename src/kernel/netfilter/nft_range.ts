// net/netfilter/nft_range.c: is a register within [from, to] (or outside, NFT_RANGE_NEQ)?
import { EINVAL } from '../uapi/errno.ts';
import { NFT_BREAK, NFT_RANGE_EQ, NFT_RANGE_NEQ, type NftRangeExpr } from '../uapi/nf_tables.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load } from './nf_tables_api.ts';

function memcmp(a: Uint8Array, ao: number, b: Uint8Array, len: number): number {
  for (let i = 0; i < len; i++) {
    const x = a[ao + i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function nft_range_init(_ctx: NftCtx, e: NftRangeExpr): NftExprInst | number {
  if (e.sreg === undefined || e.op === undefined || !e.fromData || !e.toData) return -EINVAL;
  const from = e.fromData.slice();
  const to = e.toData.slice();
  if (from.length !== to.length || from.length === 0) return -EINVAL;
  const len = from.length;
  const off = nft_parse_register_load(e.sreg, len);
  if (off < 0) return off;
  if (e.op !== NFT_RANGE_EQ && e.op !== NFT_RANGE_NEQ) return -EINVAL;
  const op = e.op;
  const sreg = e.sreg;
  return {
    name: 'range',
    eval(regs) {
      const inside = memcmp(regs.data, off, from, len) >= 0 && memcmp(regs.data, off, to, len) <= 0;
      if (inside !== (op === NFT_RANGE_EQ)) regs.code = NFT_BREAK;
    },
    dump() {
      return { name: 'range', sreg, op, fromData: from.slice(), toData: to.slice() };
    },
  };
}
