// net/netfilter/nft_limit.c: a token bucket in nanoseconds; a packet (or its
// bytes) over the rate breaks the rule (with `over`, the other way round).
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { NFT_BREAK, NFT_LIMIT_F_INV, NFT_LIMIT_PKT_BYTES, NFT_LIMIT_PKTS, type NftLimitExpr } from '../uapi/nf_tables.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';

const NFT_LIMIT_PKT_BURST_DEFAULT = 5;
const EOVERFLOW = 75;

/** struct nft_limit_priv with its state */
export interface NftLimitState {
  tokens: number;
  tokensMax: number;
  last: number;
  nsecs: number;
  rate: number;
  burst: number;
  invert: boolean;
  cost: number;
  pkts: boolean;
}

/** nft_limit_init() */
export function nft_limit_state(
  rate: number,
  unit: number,
  burst: number,
  type: number,
  flags: number,
  now: number,
): NftLimitState | number {
  if (type !== NFT_LIMIT_PKTS && type !== NFT_LIMIT_PKT_BYTES) return -EOPNOTSUPP;
  if (flags & ~NFT_LIMIT_F_INV) return -EOPNOTSUPP;
  const nsecs = unit * 1e9;
  if (rate === 0 || !Number.isSafeInteger(nsecs)) return -EOVERFLOW;
  const pkts = type === NFT_LIMIT_PKTS;
  let b = burst;
  if (pkts && b === 0) b = NFT_LIMIT_PKT_BURST_DEFAULT;
  let tokens: number;
  if (pkts) tokens = Math.floor(nsecs / rate) * b;
  else tokens = Math.floor((nsecs * b) / rate);
  if (!Number.isSafeInteger(tokens)) return -EOVERFLOW;
  return {
    tokens,
    tokensMax: tokens,
    last: now,
    nsecs,
    rate,
    burst: b,
    invert: (flags & NFT_LIMIT_F_INV) !== 0,
    cost: pkts ? Math.floor(nsecs / rate) : 0,
    pkts,
  };
}

/** nft_limit_eval(): true when over the limit (the rule does not match). */
export function nft_limit_eval(s: NftLimitState, len: number, now: number): boolean {
  const cost = s.pkts ? s.cost : Math.floor((s.nsecs * len) / s.rate);
  let tokens = s.tokens + now - s.last;
  if (tokens > s.tokensMax) tokens = s.tokensMax;
  s.last = now;
  const delta = tokens - cost;
  if (delta >= 0) {
    s.tokens = delta;
    return s.invert;
  }
  s.tokens = tokens;
  return !s.invert;
}

export function nft_limit_init(ctx: NftCtx, e: NftLimitExpr): NftExprInst | number {
  if (e.rate === undefined || e.unit === undefined) return -EINVAL;
  const type = e.type ?? NFT_LIMIT_PKTS;
  const st = nft_limit_state(e.rate, e.unit, e.burst ?? 0, type, e.flags ?? 0, ctx.net.kernel.now);
  if (typeof st === 'number') return st;
  const { rate, unit } = e;
  const flags = e.flags ?? 0;
  return {
    name: 'limit',
    eval(regs, pkt) {
      if (nft_limit_eval(st, pkt.skb.len, pkt.state.net.kernel.now)) regs.code = NFT_BREAK;
    },
    dump() {
      // nft_limit_dump(): the burst in use (5 packets when none was given)
      return { name: 'limit', rate, unit, burst: st.burst, type, flags };
    },
  };
}
