// net/netfilter/nft_byteorder.c: converts 2-, 4- or 8-byte values between
// network and host (little-endian) order.
import { EINVAL } from '../uapi/errno.ts';
import { type NftByteorderExpr, NFT_BYTEORDER_HTON, NFT_BYTEORDER_NTOH } from '../uapi/nf_tables.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load, nft_parse_register_store } from './nf_tables_api.ts';

export function nft_byteorder_init(_ctx: NftCtx, e: NftByteorderExpr): NftExprInst | number {
  if (e.sreg === undefined || e.dreg === undefined || e.op === undefined || !e.len || !e.size) return -EINVAL;
  if (e.op !== NFT_BYTEORDER_NTOH && e.op !== NFT_BYTEORDER_HTON) return -EINVAL;
  if (e.size !== 2 && e.size !== 4 && e.size !== 8) return -EINVAL;
  if (e.len % e.size || e.len > 64) return -EINVAL;
  const soff = nft_parse_register_load(e.sreg, e.len);
  if (soff < 0) return soff;
  const doff = nft_parse_register_store(e.dreg, e.len);
  if (doff < 0) return doff;
  const { len, size } = e;
  const x = { ...e };
  return {
    name: 'byteorder',
    eval(regs) {
      const d = regs.data;
      if (size === 2) {
        // each 16-bit value in its own 32-bit word (nft_reg_load16/nft_reg_store16 on src[i], dst[i])
        const n = len / 2;
        const tmp = d.slice(soff, soff + n * 4);
        for (let i = 0; i < n; i++) {
          d[doff + i * 4] = tmp[i * 4 + 1] as number;
          d[doff + i * 4 + 1] = tmp[i * 4] as number;
          d[doff + i * 4 + 2] = 0;
          d[doff + i * 4 + 3] = 0;
        }
        return;
      }
      const tmp = d.slice(soff, soff + len);
      for (let i = 0; i < len; i += size) for (let j = 0; j < size; j++) d[doff + i + j] = tmp[i + size - 1 - j] as number;
    },
    dump() {
      return { ...x };
    },
  };
}
