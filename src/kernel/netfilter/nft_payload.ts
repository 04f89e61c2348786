// net/netfilter/nft_payload.c: loads bytes of the link, network or transport
// header into a register, or stores a register into the packet, fixing the
// header checksum (csum type inet) and the layer 4 checksum when a
// pseudo-header field changed (NFT_PAYLOAD_L4CSUM_PSEUDOHDR).
import { CHECKSUM_COMPLETE, CHECKSUM_PARTIAL } from '../skbuff.ts';
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  NFT_BREAK,
  NFT_PAYLOAD_CSUM_INET,
  NFT_PAYLOAD_CSUM_NONE,
  NFT_PAYLOAD_L4CSUM_PSEUDOHDR,
  NFT_PAYLOAD_LL_HEADER,
  NFT_PAYLOAD_NETWORK_HEADER,
  NFT_PAYLOAD_TRANSPORT_HEADER,
  type NftPayloadExpr,
} from '../uapi/nf_tables.ts';
import { checksumAdd, checksumFold } from '../../wire/checksum.ts';
import {
  type NftCtx,
  type NftExprInst,
  type NftPktinfo,
  nft_parse_register_load,
  nft_parse_register_store,
  nft_reg_store32,
} from './nf_tables_api.ts';

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** The packet offset the base stands for, or -1 (NFT_BREAK). */
function base_offset(pkt: NftPktinfo, base: number): number {
  const skb = pkt.skb;
  switch (base) {
    case NFT_PAYLOAD_LL_HEADER:
      if (skb.macHeader < 0 || skb.macHeader >= (skb.networkHeader >= 0 ? skb.networkHeader : skb.data)) return -1;
      return skb.macHeader;
    case NFT_PAYLOAD_NETWORK_HEADER:
      return skb.networkHeader >= 0 ? skb.networkHeader : skb.data;
    case NFT_PAYLOAD_TRANSPORT_HEADER:
      if (!pkt.l4 || pkt.fragoff) return -1;
      return pkt.thoff;
  }
  return -1;
}

const fold = (s: number): number => checksumFold(s);
const not16 = (v: number): number => ~v & 0xffff;

/** nft_csum_replace(): sum = ~fold(~sum - fsum + tsum) */
function csum_replace(sum: number, fsum: number, tsum: number): number {
  return not16(fold(not16(sum) + not16(fsum) + tsum));
}

function rd16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function nft_payload_init(_ctx: NftCtx, e: NftPayloadExpr): NftExprInst | number {
  if (e.base === undefined || e.offset === undefined || !e.len) return -EINVAL;
  const { base, offset, len } = e;
  if (base !== NFT_PAYLOAD_LL_HEADER && base !== NFT_PAYLOAD_NETWORK_HEADER && base !== NFT_PAYLOAD_TRANSPORT_HEADER) return -EOPNOTSUPP;
  if (offset > 0xffff || len > 64) return -ERANGE_();
  if ('dreg' in e && e.dreg !== undefined) {
    const doff = nft_parse_register_store(e.dreg, len);
    if (doff < 0) return doff;
    const dreg = e.dreg;
    return {
      name: 'payload',
      eval(regs, pkt) {
        const d = regs.data;
        if (len % 4) nft_reg_store32(d, doff + (len - (len % 4)), 0);
        const o = base_offset(pkt, base);
        if (o < 0) {
          regs.code = NFT_BREAK;
          return;
        }
        const skb = pkt.skb;
        const at = o + offset;
        if (at < 0 || at + len > skb.data + skb.len) {
          regs.code = NFT_BREAK;
          return;
        }
        const h = skb.head;
        for (let i = 0; i < len; i++) d[doff + i] = h[at + i] as number;
      },
      dump() {
        return { name: 'payload', base, offset, len, dreg };
      },
    };
  }
  const sreg = (e as { sreg?: number }).sreg;
  const soff = nft_parse_register_load(sreg, len);
  if (soff < 0) return soff;
  const s = e as Extract<NftPayloadExpr, { sreg: number }>;
  const csumType = s.csumType ?? NFT_PAYLOAD_CSUM_NONE;
  const csumOffset = s.csumOffset ?? 0;
  const csumFlags = s.csumFlags ?? 0;
  if (csumType !== NFT_PAYLOAD_CSUM_NONE && csumType !== NFT_PAYLOAD_CSUM_INET) return -EOPNOTSUPP;
  if (csumFlags & ~NFT_PAYLOAD_L4CSUM_PSEUDOHDR) return -EINVAL;
  return {
    name: 'payload',
    eval(regs, pkt) {
      const skb = pkt.skb;
      const o = base_offset(pkt, base);
      if (o < 0) {
        regs.code = NFT_BREAK;
        return;
      }
      const at = o + offset;
      const src = regs.data.subarray(soff, soff + len);
      if (at < 0 || at + len > skb.data + skb.len) {
        regs.code = NFT_BREAK;
        return;
      }
      skb.unshare();
      const b = skb.head;
      if (
        (csumType === NFT_PAYLOAD_CSUM_INET || csumFlags) &&
        (base !== NFT_PAYLOAD_TRANSPORT_HEADER || skb.ipSummed !== CHECKSUM_PARTIAL)
      ) {
        const fsum = checksumAdd(0, b, at, at + len);
        const tsum = checksumAdd(0, src, 0, len);
        if (csumType === NFT_PAYLOAD_CSUM_INET) {
          const co = o + csumOffset;
          if (co + 2 > skb.data + skb.len) {
            regs.code = NFT_BREAK;
            return;
          }
          wr16(b, co, csum_replace(rd16(b, co), fsum, tsum));
        }
        if (csumFlags) {
          // nft_payload_l4csum_offset(): TCP always, UDP when it carries a checksum
          let l4 = -1;
          if (pkt.l4 && !pkt.fragoff) {
            if (pkt.tprot === IPPROTO_TCP) l4 = pkt.thoff + 16;
            else if (pkt.tprot === IPPROTO_UDP && rd16(b, pkt.thoff + 6) !== 0) l4 = pkt.thoff + 6;
          }
          if (l4 >= 0 && l4 + 2 <= skb.data + skb.len) {
            const sum = rd16(b, l4);
            if (skb.ipSummed !== CHECKSUM_PARTIAL) wr16(b, l4, csum_replace(sum, fsum, tsum));
            else wr16(b, l4, fold(sum + not16(fsum) + tsum));
            void CHECKSUM_COMPLETE;
          }
        }
      }
      b.set(src, at);
    },
    dump() {
      const x: NftPayloadExpr = { name: 'payload', base, offset, len, sreg: sreg as number };
      if (csumType) x.csumType = csumType;
      if (csumType) x.csumOffset = csumOffset;
      if (csumFlags) x.csumFlags = csumFlags;
      return x;
    },
  };
}

function ERANGE_(): number {
  return 34;
}
