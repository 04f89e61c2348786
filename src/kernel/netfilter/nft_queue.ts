// net/netfilter/nft_queue.c: `queue num N [bypass]`: NF_QUEUE with the queue
// number in the verdict's upper bits. skbpath has no nfnetlink_queue
// listener: the packet is dropped, or with bypass let through (nf_queue).
import { EINVAL, ERANGE } from '../uapi/errno.ts';
import { NF_QUEUE } from '../uapi/netfilter.ts';
import { NFT_QUEUE_FLAG_BYPASS, NFT_QUEUE_FLAG_CPU_FANOUT, type NftQueueExpr } from '../uapi/nf_tables.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';

/** NF_VERDICT_FLAG_QUEUE_BYPASS */
export const NF_VERDICT_FLAG_QUEUE_BYPASS = 0x00008000;

export function nft_queue_init(_ctx: NftCtx, e: NftQueueExpr): NftExprInst | number {
  const num = e.num ?? 0;
  const total = e.total ?? 1;
  const flags = e.flags ?? 0;
  if (total === 0 || num + total - 1 > 0xffff) return -ERANGE;
  if (flags & ~(NFT_QUEUE_FLAG_BYPASS | NFT_QUEUE_FLAG_CPU_FANOUT)) return -EINVAL;
  if (e.sregQnum !== undefined) return -EINVAL;
  const x: NftQueueExpr = { name: 'queue', num, total, flags };
  return {
    name: 'queue',
    eval(regs, pkt) {
      let q = num;
      if (total > 1) q = num + (flags & NFT_QUEUE_FLAG_CPU_FANOUT ? pkt.state.net.kernel.sim.cpu.id % total : 0);
      let v = (NF_QUEUE | (q << 16)) >>> 0;
      if (flags & NFT_QUEUE_FLAG_BYPASS) v |= NF_VERDICT_FLAG_QUEUE_BYPASS;
      regs.code = v;
    },
    dump() {
      return { ...x };
    },
  };
}
