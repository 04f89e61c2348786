// net/netfilter/nft_objref.c: `counter name "c"`, `quota name "q"`, `limit
// name "l"` use a named object of the table; `counter name ip saddr map @m`
// picks the object from a map (NFT_SET_OBJECT).
import { EINVAL, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  NFT_BREAK,
  NFT_OBJECT_COUNTER,
  NFT_OBJECT_LIMIT,
  NFT_OBJECT_QUOTA,
  NFT_SET_OBJECT,
  type NftObjrefExpr,
} from '../uapi/nf_tables.ts';
import {
  type NftCtx,
  type NftExprInst,
  type NftObjK,
  type NftPktinfo,
  type NftRegs,
  nft_obj_lookup,
  nft_parse_register_load,
  nft_set_bind,
  nft_set_lookup,
  nft_set_unbind,
} from './nf_tables_api.ts';
import { nft_limit_eval, nft_limit_state } from './nft_limit.ts';

/** obj->ops->eval() */
export function nft_obj_eval(o: NftObjK, regs: NftRegs, pkt: NftPktinfo): void {
  const d = o.data;
  const len = pkt.skb.len;
  switch (d.type) {
    case NFT_OBJECT_COUNTER:
      o.data = { ...d, packets: d.packets + 1, bytes: d.bytes + len };
      return;
    case NFT_OBJECT_QUOTA: {
      const consumed = d.consumed + len;
      o.data = { ...d, consumed };
      const over = consumed > d.bytes;
      if (over !== ((d.flags & 1) !== 0)) regs.code = NFT_BREAK;
      return;
    }
    case NFT_OBJECT_LIMIT: {
      const now = pkt.state.net.kernel.now;
      let st = (o as NftObjK & { lim?: ReturnType<typeof nft_limit_state> }).lim;
      if (st === undefined || typeof st === 'number') {
        st = nft_limit_state(d.rate, d.unit, d.burst, d.limitType, d.flags, now);
        (o as NftObjK & { lim?: unknown }).lim = st;
      }
      if (typeof st !== 'number' && nft_limit_eval(st, len, now)) regs.code = NFT_BREAK;
      return;
    }
  }
}

export function nft_objref_init(ctx: NftCtx, e: NftObjrefExpr): NftExprInst | number {
  if ('immName' in e) {
    if (e.immType === undefined || !e.immName) return -EINVAL;
    const o = nft_obj_lookup(ctx.table, e.immName, e.immType);
    if (!o) return -ENOENT;
    o.use++;
    const x = { ...e };
    return {
      name: 'objref',
      eval(regs, pkt) {
        nft_obj_eval(o, regs, pkt);
      },
      dump() {
        return { ...x };
      },
      destroy() {
        o.use--;
      },
    };
  }
  if (e.setName === undefined || e.setSreg === undefined) return -EINVAL;
  const s = nft_set_lookup(ctx.table, e.setName, e.setId, ctx.trans);
  if (!s) return -ENOENT;
  if (!(s.flags & NFT_SET_OBJECT)) return -EINVAL;
  const soff = nft_parse_register_load(e.setSreg, s.keyLen);
  if (soff < 0) return soff;
  if (s.objType !== NFT_OBJECT_COUNTER && s.objType !== NFT_OBJECT_QUOTA && s.objType !== NFT_OBJECT_LIMIT && s.objType !== 3)
    return -EOPNOTSUPP;
  nft_set_bind(ctx, s);
  const x = { name: 'objref' as const, setSreg: e.setSreg, setName: s.name };
  return {
    name: 'objref',
    eval(regs, pkt) {
      let el = s.backend.lookup(regs.data, soff, s.keyLen);
      if (!el) el = s.catchall;
      if (!el?.obj) {
        regs.code = NFT_BREAK;
        return;
      }
      nft_obj_eval(el.obj, regs, pkt);
    },
    dump() {
      return { ...x };
    },
    destroy() {
      nft_set_unbind(s);
    },
  };
}
