// net/netfilter/nft_bitwise.c: dreg = (sreg & mask) ^ xor, shifts of 32-bit
// host-order words, and AND/OR/XOR of two registers.
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  NFT_BITWISE_AND,
  NFT_BITWISE_LSHIFT,
  NFT_BITWISE_MASK_XOR,
  NFT_BITWISE_OR,
  NFT_BITWISE_RSHIFT,
  NFT_BITWISE_XOR,
  type NftBitwiseExpr,
} from '../uapi/nf_tables.ts';
import {
  type NftCtx,
  type NftExprInst,
  nft_parse_register_load,
  nft_parse_register_store,
  nft_reg_load32,
  nft_reg_store32,
} from './nf_tables_api.ts';

export function nft_bitwise_init(_ctx: NftCtx, e: NftBitwiseExpr): NftExprInst | number {
  if (e.sreg === undefined || e.dreg === undefined || !e.len) return -EINVAL;
  const len = e.len;
  if (len > 64) return -EINVAL;
  const soff = nft_parse_register_load(e.sreg, len);
  if (soff < 0) return soff;
  const doff = nft_parse_register_store(e.dreg, len);
  if (doff < 0) return doff;
  const op = e.op ?? NFT_BITWISE_MASK_XOR;
  const base = { sreg: e.sreg, dreg: e.dreg, len };
  if (op === NFT_BITWISE_MASK_XOR) {
    if (!e.mask || !e.xor || e.mask.length !== len || e.xor.length !== len) return -EINVAL;
    const mask = e.mask.slice();
    const xor = e.xor.slice();
    return {
      name: 'bitwise',
      eval(regs) {
        const d = regs.data;
        for (let i = 0; i < len; i++) d[doff + i] = ((d[soff + i] as number) & (mask[i] as number)) ^ (xor[i] as number);
      },
      dump() {
        return { name: 'bitwise', ...base, op, mask: mask.slice(), xor: xor.slice() };
      },
    };
  }
  if (op === NFT_BITWISE_LSHIFT || op === NFT_BITWISE_RSHIFT) {
    if (!e.data || e.data.length !== 4 || e.mask || e.xor) return -EINVAL;
    const shift = nft_reg_load32(e.data, 0);
    if (shift >= 32) return -EINVAL;
    const data = e.data.slice();
    const words = Math.ceil(len / 4);
    return {
      name: 'bitwise',
      eval(regs) {
        const d = regs.data;
        if (op === NFT_BITWISE_LSHIFT) {
          let carry = 0;
          for (let i = words - 1; i >= 0; i--) {
            const v = nft_reg_load32(d, soff + i * 4);
            nft_reg_store32(d, doff + i * 4, ((v << shift) | carry) >>> 0);
            carry = shift ? v >>> (32 - shift) : 0;
          }
        } else {
          let carry = 0;
          for (let i = 0; i < words; i++) {
            const v = nft_reg_load32(d, soff + i * 4);
            nft_reg_store32(d, doff + i * 4, ((v >>> shift) | carry) >>> 0);
            carry = shift ? (v << (32 - shift)) >>> 0 : 0;
          }
        }
      },
      dump() {
        return { name: 'bitwise', ...base, op, data: data.slice() };
      },
    };
  }
  if (op === NFT_BITWISE_AND || op === NFT_BITWISE_OR || op === NFT_BITWISE_XOR) {
    const s2 = nft_parse_register_load(e.sreg2, len);
    if (s2 < 0) return s2;
    const sreg2 = e.sreg2 as number;
    return {
      name: 'bitwise',
      eval(regs) {
        const d = regs.data;
        for (let i = 0; i < len; i++) {
          const a = d[soff + i] as number;
          const b = d[s2 + i] as number;
          d[doff + i] = op === NFT_BITWISE_AND ? a & b : op === NFT_BITWISE_OR ? a | b : a ^ b;
        }
      },
      dump() {
        return { name: 'bitwise', ...base, op, sreg2 };
      },
    };
  }
  return -EOPNOTSUPP;
}
