// net/netfilter/nft_quota.c: bytes used against a quota; `quota until N`
// matches while under, `quota over N` (NFT_QUOTA_F_INV) once over.
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { NFT_BREAK, NFT_QUOTA_F_DEPLETED, NFT_QUOTA_F_INV, type NftQuotaExpr } from '../uapi/nf_tables.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';

export interface NftQuotaState {
  quota: number;
  consumed: number;
  flags: number;
}

/** nft_overquota() ^ invert: true when the rule does not match */
export function nft_quota_eval(q: NftQuotaState, len: number): boolean {
  q.consumed += len;
  const over = q.consumed > q.quota;
  return over !== ((q.flags & NFT_QUOTA_F_INV) !== 0);
}

/** nft_quota_do_dump(): a depleted quota reports consumed = quota and the flag */
export function nft_quota_dump(q: NftQuotaState): { bytes: number; consumed: number; flags: number } {
  let consumed = q.consumed;
  let flags = q.flags;
  if (consumed >= q.quota) {
    consumed = q.quota;
    flags |= NFT_QUOTA_F_DEPLETED;
  }
  return { bytes: q.quota, consumed, flags };
}

export function nft_quota_init(_ctx: NftCtx, e: NftQuotaExpr): NftExprInst | number {
  if (e.bytes === undefined) return -EINVAL;
  const flags = e.flags ?? 0;
  if (flags & ~(NFT_QUOTA_F_INV | NFT_QUOTA_F_DEPLETED)) return -EOPNOTSUPP;
  if (e.bytes < 0 || !Number.isSafeInteger(e.bytes)) return -75;
  const q: NftQuotaState = { quota: e.bytes, consumed: e.consumed ?? 0, flags: flags & NFT_QUOTA_F_INV };
  return {
    name: 'quota',
    eval(regs, pkt) {
      if (nft_quota_eval(q, pkt.skb.len)) regs.code = NFT_BREAK;
    },
    dump(reset) {
      const d = nft_quota_dump(q);
      if (reset) q.consumed = 0;
      return { name: 'quota', bytes: d.bytes, flags: d.flags, consumed: d.consumed };
    },
  };
}
