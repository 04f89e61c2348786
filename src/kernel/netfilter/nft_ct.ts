// net/netfilter/nft_ct.c: the packet's connection (state, status, mark,
// direction, tuple, expiration) into a register, a register into the
// connection's mark, and `notrack`.
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { IP_CT_IS_REPLY, IP_CT_UNTRACKED, IPCT_MARK } from '../uapi/nf_conntrack_common.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import {
  NF_CT_STATE_INVALID_BIT,
  NF_CT_STATE_UNTRACKED_BIT,
  NFT_BREAK,
  NFT_CT_AVGPKT,
  NFT_CT_BYTES,
  NFT_CT_DIRECTION,
  NFT_CT_DST,
  NFT_CT_DST_IP,
  NFT_CT_EXPIRATION,
  NFT_CT_ID,
  NFT_CT_L3PROTOCOL,
  NFT_CT_MARK,
  NFT_CT_PKTS,
  NFT_CT_PROTO_DST,
  NFT_CT_PROTO_SRC,
  NFT_CT_PROTOCOL,
  NFT_CT_SRC,
  NFT_CT_SRC_IP,
  NFT_CT_STATE,
  NFT_CT_STATUS,
  NFT_CT_ZONE,
  type NftCtExpr,
  type NftNotrackExpr,
} from '../uapi/nf_tables.ts';
import { CTINFO2DIR, nf_conntrack_event_cache, nf_ct_expires, nf_ct_get, nf_ct_set } from './nf_conntrack.ts';
import {
  type NftCtx,
  type NftExprInst,
  nft_parse_register_load,
  nft_parse_register_store,
  nft_reg_load32,
  nft_reg_store8,
  nft_reg_store16,
  nft_reg_store32,
  nft_reg_store_be16,
  nft_reg_store_be32,
} from './nf_tables_api.ts';

function get_len(key: number, family: number): number {
  switch (key) {
    case NFT_CT_STATE:
    case NFT_CT_STATUS:
    case NFT_CT_MARK:
    case NFT_CT_EXPIRATION:
    case NFT_CT_ID:
    case NFT_CT_SRC_IP:
    case NFT_CT_DST_IP:
      return 4;
    case NFT_CT_DIRECTION:
    case NFT_CT_L3PROTOCOL:
    case NFT_CT_PROTOCOL:
      return 1;
    case NFT_CT_SRC:
    case NFT_CT_DST:
      return family === NFPROTO_IPV4 ? 4 : 16;
    case NFT_CT_PROTO_SRC:
    case NFT_CT_PROTO_DST:
    case NFT_CT_ZONE:
      return 2;
    case NFT_CT_PKTS:
    case NFT_CT_BYTES:
    case NFT_CT_AVGPKT:
      return 8;
  }
  return -1;
}

/**
 * Keys that read one direction's tuple need NFTA_CT_DIRECTION; the others
 * refuse it. (A function: uapi/nf_tables.ts and this module import each
 * other, so no module-level value may use its constants.)
 */
function tuple_key(key: number): boolean {
  return (
    key === NFT_CT_SRC ||
    key === NFT_CT_DST ||
    key === NFT_CT_PROTO_SRC ||
    key === NFT_CT_PROTO_DST ||
    key === NFT_CT_SRC_IP ||
    key === NFT_CT_DST_IP
  );
}

export function nft_ct_init(ctx: NftCtx, e: NftCtExpr): NftExprInst | number {
  if (e.key === undefined) return -EINVAL;
  const key = e.key;
  const dir = e.dir;
  if (dir !== undefined && dir !== 0 && dir !== 1) return -EINVAL;
  if ('dreg' in e && e.dreg !== undefined) {
    const len = get_len(key, ctx.family);
    if (len < 0) return -EOPNOTSUPP;
    if (tuple_key(key) ? dir === undefined : dir !== undefined && key !== NFT_CT_PKTS && key !== NFT_CT_BYTES && key !== NFT_CT_AVGPKT)
      return -EINVAL;
    const doff = nft_parse_register_store(e.dreg, len);
    if (doff < 0) return doff;
    const dreg = e.dreg;
    return {
      name: 'ct',
      eval(regs, pkt) {
        const d = regs.data;
        const { ct, ctinfo } = nf_ct_get(pkt.skb);
        if (key === NFT_CT_STATE) {
          let state: number;
          if (ct) state = 1 << ((ctinfo % IP_CT_IS_REPLY) + 1);
          else if (ctinfo === IP_CT_UNTRACKED) state = NF_CT_STATE_UNTRACKED_BIT;
          else state = NF_CT_STATE_INVALID_BIT;
          nft_reg_store32(d, doff, state);
          return;
        }
        if (!ct) {
          regs.code = NFT_BREAK;
          return;
        }
        switch (key) {
          case NFT_CT_DIRECTION:
            nft_reg_store8(d, doff, CTINFO2DIR(ctinfo));
            return;
          case NFT_CT_STATUS:
            nft_reg_store32(d, doff, ct.status);
            return;
          case NFT_CT_MARK:
            nft_reg_store32(d, doff, ct.mark);
            return;
          case NFT_CT_EXPIRATION:
            nft_reg_store32(d, doff, Math.floor((nf_ct_expires(ct) * 1000) / ct.net.kernel.HZ));
            return;
          case NFT_CT_L3PROTOCOL:
            nft_reg_store8(d, doff, NFPROTO_IPV4);
            return;
          case NFT_CT_PROTOCOL:
            nft_reg_store8(d, doff, ct.proto);
            return;
          case NFT_CT_ZONE:
            nft_reg_store16(d, doff, ct.zone);
            return;
          case NFT_CT_ID:
            nft_reg_store32(d, doff, ct.id);
            return;
          case NFT_CT_PKTS:
          case NFT_CT_BYTES:
          case NFT_CT_AVGPKT:
            // no accounting extension: 0
            for (let i = 0; i < 8; i++) d[doff + i] = 0;
            return;
        }
        const t = ct.tuplehash[dir ?? 0];
        switch (key) {
          case NFT_CT_SRC:
          case NFT_CT_SRC_IP:
            if (len === 16) for (let i = 4; i < 16; i++) d[doff + i] = 0;
            nft_reg_store_be32(d, doff, t.src);
            return;
          case NFT_CT_DST:
          case NFT_CT_DST_IP:
            if (len === 16) for (let i = 4; i < 16; i++) d[doff + i] = 0;
            nft_reg_store_be32(d, doff, t.dst);
            return;
          case NFT_CT_PROTO_SRC:
            nft_reg_store_be16(d, doff, t.sport);
            return;
          case NFT_CT_PROTO_DST:
            nft_reg_store_be16(d, doff, t.dport);
            return;
        }
        regs.code = NFT_BREAK;
      },
      dump() {
        const x: NftCtExpr = { name: 'ct', key, dreg };
        if (dir !== undefined) x.dir = dir;
        return x;
      },
    };
  }
  const sreg = (e as { sreg?: number }).sreg;
  if (key !== NFT_CT_MARK) return -EOPNOTSUPP;
  const soff = nft_parse_register_load(sreg, 4);
  if (soff < 0) return soff;
  return {
    name: 'ct',
    eval(regs, pkt) {
      const { ct } = nf_ct_get(pkt.skb);
      if (!ct) return;
      const v = nft_reg_load32(regs.data, soff);
      if (ct.mark !== v) {
        ct.mark = v;
        nf_conntrack_event_cache(IPCT_MARK, ct);
      }
    },
    dump() {
      const x: NftCtExpr = { name: 'ct', key, sreg: sreg as number };
      if (dir !== undefined) x.dir = dir;
      return x;
    },
  };
}

/** nft_notrack_eval(): a packet without a connection yet gets none (IP_CT_UNTRACKED). */
export function nft_notrack_init(_ctx: NftCtx, _e: NftNotrackExpr): NftExprInst | number {
  return {
    name: 'notrack',
    eval(_regs, pkt) {
      const { ct, ctinfo } = nf_ct_get(pkt.skb);
      if (ct || ctinfo === IP_CT_UNTRACKED) return;
      nf_ct_set(pkt.skb, null, IP_CT_UNTRACKED);
    },
    dump() {
      return { name: 'notrack' };
    },
  };
}
