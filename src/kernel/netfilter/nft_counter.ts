// net/netfilter/nft_counter.c: packets and bytes of the rule (or of a named
// counter object, nft_counter_obj_eval).
import type { NftCounterExpr } from '../uapi/nf_tables.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';

export function nft_counter_init(_ctx: NftCtx, e: NftCounterExpr): NftExprInst | number {
  let packets = e.packets ?? 0;
  let bytes = e.bytes ?? 0;
  return {
    name: 'counter',
    eval(_regs, pkt) {
      packets++;
      bytes += pkt.skb.len;
    },
    dump(reset) {
      const x: NftCounterExpr = { name: 'counter', packets, bytes };
      if (reset) packets = bytes = 0;
      return x;
    },
  };
}
