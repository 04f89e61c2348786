// net/netfilter/nft_lookup.c: is the register's key in the set? With a map,
// the element's data goes to a register (a verdict map's verdict to the
// verdict register). The catch-all element answers what nothing else does.
import { EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import { NFT_BREAK, NFT_DATA_VERDICT, NFT_LOOKUP_F_INV, NFT_REG_VERDICT, NFT_SET_MAP, type NftLookupExpr } from '../uapi/nf_tables.ts';
import {
  type NftCtx,
  type NftExprInst,
  type NftPktinfo,
  type NftRegs,
  type NftSetElemK,
  type NftSetK,
  nft_parse_register_load,
  nft_parse_register_store,
  nft_set_bind,
  nft_set_lookup,
  nft_set_unbind,
} from './nf_tables_api.ts';

/** nft_set_elem_update_expr(): the element's own stateful expressions (counters) see the packet. */
export function nft_set_elem_update_expr(el: NftSetElemK, regs: NftRegs, pkt: NftPktinfo): void {
  for (const x of el.exprs) x.eval(regs, pkt);
}

/** nft_set_do_lookup() with the catch-all */
export function nft_set_do_lookup(s: NftSetK, d: Uint8Array, off: number): NftSetElemK | null {
  return s.backend.lookup(d, off, s.keyLen);
}

export function nft_lookup_init(ctx: NftCtx, e: NftLookupExpr): NftExprInst | number {
  if (e.set === undefined || e.sreg === undefined) return -EINVAL;
  const s = nft_set_lookup(ctx.table, e.set, e.setId, ctx.trans);
  if (!s) return -ENOENT;
  const soff = nft_parse_register_load(e.sreg, s.keyLen);
  if (soff < 0) return soff;
  const flags = e.flags ?? 0;
  if (flags & ~NFT_LOOKUP_F_INV) return -EINVAL;
  const invert = (flags & NFT_LOOKUP_F_INV) !== 0;
  let doff = -1;
  let verdict = false;
  if (e.dreg !== undefined) {
    if (invert) return -EINVAL;
    if (!(s.flags & NFT_SET_MAP)) return -EINVAL;
    if (s.dataType === NFT_DATA_VERDICT) {
      if (e.dreg !== NFT_REG_VERDICT) return -EINVAL;
      verdict = true;
    } else {
      doff = nft_parse_register_store(e.dreg, s.dataLen);
      if (doff < 0) return doff;
    }
  } else if (s.flags & NFT_SET_MAP && s.dataType === NFT_DATA_VERDICT) return -EOPNOTSUPP;
  nft_set_bind(ctx, s);
  const sreg = e.sreg;
  const dreg = e.dreg;
  const setName = s.name;
  return {
    name: 'lookup',
    vmap: verdict ? s : null,
    eval(regs, pkt) {
      let el = s.backend.lookup(regs.data, soff, s.keyLen);
      const found = !!el !== invert;
      if (!found) {
        el = s.catchall;
        if (!el || (el.expires && el.expires <= pkt.state.net.kernel.now)) {
          regs.code = NFT_BREAK;
          return;
        }
      }
      if (!el) return;
      if (verdict && el.verdict) {
        regs.code = el.verdict.code;
        regs.chain = el.verdict.chain;
      } else if (doff >= 0 && el.data) regs.data.set(el.data, doff);
      if (el.exprs.length) nft_set_elem_update_expr(el, regs, pkt);
    },
    dump() {
      const x: NftLookupExpr = { name: 'lookup', set: setName, sreg };
      if (dreg !== undefined) x.dreg = dreg;
      if (flags) x.flags = flags;
      return x;
    },
    destroy() {
      nft_set_unbind(s);
    },
  };
}
