// net/netfilter/nft_hash.c: `jhash <expr> mod N [seed S] [offset O]`: the
// Jenkins hash (include/linux/jhash.h) of a register's bytes, scaled to N.
// `symhash` (the flow dissector's symmetric hash) is not simulated.
import { EINVAL, EOPNOTSUPP, ERANGE } from '../uapi/errno.ts';
import { NFT_HASH_JENKINS, type NftHashExpr } from '../uapi/nf_tables.ts';
import { type NftCtx, type NftExprInst, nft_parse_register_load, nft_parse_register_store, nft_reg_store32 } from './nf_tables_api.ts';
import { reciprocal_scale } from './nft_numgen.ts';

const rol32 = (w: number, s: number): number => ((w << s) | (w >>> (32 - s))) >>> 0;

/** jhash(): lookup3's hashlittle over `length` bytes, 32-bit words read little-endian. */
export function jhash(k: Uint8Array, off: number, length: number, initval: number): number {
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  let o = off;
  let len = length;
  const u32 = (i: number): number =>
    ((k[i] as number) | ((k[i + 1] as number) << 8) | ((k[i + 2] as number) << 16) | ((k[i + 3] as number) << 24)) >>> 0;
  while (len > 12) {
    a = (a + u32(o)) >>> 0;
    b = (b + u32(o + 4)) >>> 0;
    c = (c + u32(o + 8)) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rol32(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol32(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol32(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rol32(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rol32(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rol32(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    len -= 12;
    o += 12;
  }
  if (len === 0) return c;
  const at = (i: number): number => k[o + i] as number;
  // the tail, as the switch's fall-through cases add it
  if (len >= 12) c = (c + (at(11) << 24)) >>> 0;
  if (len >= 11) c = (c + (at(10) << 16)) >>> 0;
  if (len >= 10) c = (c + (at(9) << 8)) >>> 0;
  if (len >= 9) c = (c + at(8)) >>> 0;
  if (len >= 8) b = (b + (at(7) << 24)) >>> 0;
  if (len >= 7) b = (b + (at(6) << 16)) >>> 0;
  if (len >= 6) b = (b + (at(5) << 8)) >>> 0;
  if (len >= 5) b = (b + at(4)) >>> 0;
  if (len >= 4) a = (a + (at(3) << 24)) >>> 0;
  if (len >= 3) a = (a + (at(2) << 16)) >>> 0;
  if (len >= 2) a = (a + (at(1) << 8)) >>> 0;
  a = (a + at(0)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rol32(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rol32(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rol32(b, 24)) >>> 0;
  return c;
}

export function nft_hash_init(ctx: NftCtx, e: NftHashExpr): NftExprInst | number {
  if (e.dreg === undefined || e.modulus === undefined) return -EINVAL;
  const type = e.type ?? NFT_HASH_JENKINS;
  if (type !== NFT_HASH_JENKINS) return -EOPNOTSUPP;
  if (e.sreg === undefined || !e.len) return -EINVAL;
  const len = e.len;
  if (len > 255) return -ERANGE;
  const modulus = e.modulus >>> 0;
  if (modulus === 0) return -ERANGE;
  const offset = (e.offset ?? 0) >>> 0;
  if (offset + modulus - 1 > 0xffffffff) return -75;
  const soff = nft_parse_register_load(e.sreg, len);
  if (soff < 0) return soff;
  const doff = nft_parse_register_store(e.dreg, 4);
  if (doff < 0) return doff;
  // no seed given: get_random_bytes()
  const seed = e.seed !== undefined ? e.seed >>> 0 : ctx.net.kernel.sim.rng.u32() >>> 0;
  const x: NftHashExpr = { name: 'hash', type, dreg: e.dreg, modulus, offset, sreg: e.sreg, len, seed };
  return {
    name: 'hash',
    eval(regs) {
      const h = reciprocal_scale(jhash(regs.data, soff, len, seed), modulus);
      nft_reg_store32(regs.data, doff, (h + offset) >>> 0);
    },
    dump() {
      return { ...x };
    },
  };
}
