// net/netfilter/nft_log.c: `log prefix "..." level ...` writes the packet to
// the kernel log as the LOG target does (nf_log_syslog); with a group it goes
// to nfnetlink_log, where nobody listens in skbpath.
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import { NF_LOG_MASK, NFT_LOGLEVEL_AUDIT, NFT_LOGLEVEL_WARNING, type NftLogExpr } from '../uapi/nf_tables.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { nf_log_ip_packet } from './nf_log_syslog.ts';
import type { NftCtx, NftExprInst } from './nf_tables_api.ts';

const NF_LOG_PREFIXLEN = 128;

export function nft_log_init(_ctx: NftCtx, e: NftLogExpr): NftExprInst | number {
  if (e.group !== undefined && (e.level !== undefined || e.flags !== undefined)) return -EINVAL;
  if (e.level !== undefined && (e.level < 0 || e.level > NFT_LOGLEVEL_AUDIT)) return -EINVAL;
  const flags = e.flags ?? 0;
  if (flags & ~NF_LOG_MASK) return -EINVAL;
  if (e.prefix !== undefined && e.prefix.length >= NF_LOG_PREFIXLEN) return -EINVAL;
  if (e.level === NFT_LOGLEVEL_AUDIT) return -EOPNOTSUPP;
  const prefix = e.prefix ?? '';
  const level = e.level ?? NFT_LOGLEVEL_WARNING;
  const x: NftLogExpr = { ...e };
  return {
    name: 'log',
    eval(_regs, pkt) {
      if (e.group !== undefined) return;
      if (pkt.state.pf !== NFPROTO_IPV4 && pkt.state.pf !== 5 && pkt.state.pf !== 7) return;
      if (pkt.skb.networkHeader < 0) return;
      nf_log_ip_packet(pkt.state.net, pkt.skb, pkt.state.in, pkt.state.out, level, flags, prefix);
    },
    dump() {
      return { ...x };
    },
  };
}
