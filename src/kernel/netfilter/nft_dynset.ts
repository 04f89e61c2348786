// net/netfilter/nft_dynset.c: `add @set { key }`, `update @set { key timeout
// 30s counter }`, `delete @set { key }` from the packet path: a missing
// element is created (with the set's or the rule's timeout and stateful
// expressions), an existing one refreshed; a full set breaks the rule.
import { EBUSY, EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  NFT_BREAK,
  NFT_DATA_VERDICT,
  NFT_DYNSET_F_EXPR,
  NFT_DYNSET_F_INV,
  NFT_DYNSET_OP_ADD,
  NFT_DYNSET_OP_DELETE,
  NFT_DYNSET_OP_UPDATE,
  NFT_SET_CONSTANT,
  NFT_SET_INTERVAL,
  NFT_SET_MAP,
  NFT_SET_OBJECT,
  NFT_SET_TIMEOUT,
  type NftDynsetExpr,
  type NftExpr,
} from '../uapi/nf_tables.ts';
import { nft_expr_init } from './nf_tables_core.ts';
import {
  type NftCtx,
  type NftExprInst,
  type NftSetElemK,
  nft_parse_register_load,
  nft_set_bind,
  nft_set_lookup,
  nft_set_unbind,
} from './nf_tables_api.ts';
import { nft_set_elem_update_expr } from './nft_lookup.ts';

const STATEFUL: ReadonlySet<string> = new Set(['counter', 'limit', 'quota', 'connlimit', 'last']);

export function nft_dynset_init(ctx: NftCtx, e: NftDynsetExpr): NftExprInst | number {
  if (e.setName === undefined || e.op === undefined || e.sregKey === undefined) return -EINVAL;
  const flags = e.flags ?? 0;
  if (flags & ~(NFT_DYNSET_F_INV | NFT_DYNSET_F_EXPR)) return -EOPNOTSUPP;
  const s = nft_set_lookup(ctx.table, e.setName, e.setId, ctx.trans);
  if (!s) return -ENOENT;
  if (s.flags & NFT_SET_OBJECT) return -EOPNOTSUPP;
  // rbtree and pipapo have no ->update
  if (s.flags & NFT_SET_INTERVAL) return -EOPNOTSUPP;
  if (s.flags & NFT_SET_CONSTANT) return -EBUSY;
  const op = e.op;
  if (op !== NFT_DYNSET_OP_ADD && op !== NFT_DYNSET_OP_UPDATE && op !== NFT_DYNSET_OP_DELETE) return -EOPNOTSUPP;
  if (e.timeout !== undefined && !(s.flags & NFT_SET_TIMEOUT)) return -EOPNOTSUPP;
  const koff = nft_parse_register_load(e.sregKey, s.keyLen);
  if (koff < 0) return koff;
  let doff = -1;
  if (e.sregData !== undefined) {
    if (!(s.flags & NFT_SET_MAP)) return -EOPNOTSUPP;
    if (s.dataType === NFT_DATA_VERDICT) return -EOPNOTSUPP;
    doff = nft_parse_register_load(e.sregData, s.dataLen);
    if (doff < 0) return doff;
  } else if (s.flags & NFT_SET_MAP) return -EINVAL;
  const exprs: NftExpr[] = e.exprs ? e.exprs.slice() : [];
  for (const x of exprs) if (!STATEFUL.has(x.name)) return -EOPNOTSUPP;
  // the expressions must build (checked once here)
  for (const x of exprs) {
    const inst = nft_expr_init(ctx, x);
    if (typeof inst === 'number') return inst;
    if ('error' in inst) return (inst as { error: number }).error;
  }
  nft_set_bind(ctx, s);
  const invert = (flags & NFT_DYNSET_F_INV) !== 0;
  const timeout = e.timeout ?? 0;
  const x: NftDynsetExpr = { ...e, exprs: exprs.length ? exprs : undefined } as NftDynsetExpr;
  if (!exprs.length) delete x.exprs;
  return {
    name: 'dynset',
    eval(regs, pkt) {
      const now = pkt.state.net.kernel.now;
      if (op === NFT_DYNSET_OP_DELETE) {
        const el = s.backend.lookup(regs.data, koff, s.keyLen);
        if (el) s.backend.remove(el);
        return;
      }
      let el = s.backend.lookup(regs.data, koff, s.keyLen);
      if (el) {
        if (op === NFT_DYNSET_OP_UPDATE && el.timeout) {
          const t = timeout || s.timeout;
          el.expires = now + t * 1e6;
        }
        nft_set_elem_update_expr(el, regs, pkt);
        if (invert) regs.code = NFT_BREAK;
        return;
      }
      // nft_dynset_new(): a new element unless the set is full
      if (s.desc.size && s.backend.size >= s.desc.size) {
        if (!invert) regs.code = NFT_BREAK;
        return;
      }
      const key = regs.data.slice(koff, koff + s.keyLen);
      el = { key, flags: 0, timeout: 0, expires: 0, exprs: [] } as NftSetElemK;
      const t = timeout || s.timeout;
      if (t) {
        el.timeout = t;
        el.expires = now + t * 1e6;
      }
      if (doff >= 0) el.data = regs.data.slice(doff, doff + s.dataLen);
      for (const y of exprs.length ? exprs : s.exprs) {
        const inst = nft_expr_init(ctx, y);
        if (typeof inst !== 'number' && !('error' in inst)) el.exprs.push(inst as NftExprInst);
      }
      s.backend.insert(el);
      nft_set_elem_update_expr(el, regs, pkt);
      if (invert) regs.code = NFT_BREAK;
    },
    dump() {
      return { ...x, exprs: x.exprs?.slice() } as NftDynsetExpr;
    },
    destroy() {
      nft_set_unbind(s);
    },
  };
}
