// net/netfilter/nft_fib.c, nft_fib_ipv4.c: `fib saddr . iif oif`, `fib daddr
// type`: a FIB lookup on the packet's addresses; the result is the output
// device (index or name), whether there is one (`exists`/`missing`), or the
// address type (local, unicast, broadcast, ...).
import type { NetDevice } from '../core/netdevice.ts';
import { flowi4, newResult } from '../ipv4/fib.ts';
import { inet_addr_type_dev_table } from '../ipv4/route.ts';
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  NF_INET_FORWARD,
  NF_INET_INGRESS,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NF_INET_POST_ROUTING,
  NF_INET_PRE_ROUTING,
} from '../uapi/netfilter.ts';
import {
  NFT_BREAK,
  NFT_FIB_RESULT_ADDRTYPE,
  NFT_FIB_RESULT_OIF,
  NFT_FIB_RESULT_OIFNAME,
  NFTA_FIB_F_DADDR,
  NFTA_FIB_F_IIF,
  NFTA_FIB_F_MARK,
  NFTA_FIB_F_OIF,
  NFTA_FIB_F_PRESENT,
  NFTA_FIB_F_SADDR,
  type NftFibExpr,
} from '../uapi/nf_tables.ts';
import {
  type NftCtx,
  type NftExprInst,
  type NftPktinfo,
  nft_parse_register_store,
  nft_reg_store8,
  nft_reg_store32,
} from './nf_tables_api.ts';

const IFF_LOOPBACK = 0x8;
const RTN_UNICAST = 1;
const RTN_LOCAL = 2;
const LOOPBACK_IFINDEX = 1;
const FIB_LOOKUP_IGNORE_LINKSTATE = 2;

function rd32(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

/** nft_fib_store_result() */
function store(d: Uint8Array, o: number, result: number, flags: number, dev: NetDevice | null): void {
  if (result === NFT_FIB_RESULT_OIF) {
    if (flags & NFTA_FIB_F_PRESENT) nft_reg_store8(d, o, dev ? 1 : 0);
    else nft_reg_store32(d, o, dev ? dev.ifindex : 0);
  } else {
    if (flags & NFTA_FIB_F_PRESENT) nft_reg_store8(d, o, dev ? 1 : 0);
    else {
      const n = dev ? dev.name : '';
      for (let i = 0; i < 16; i++) d[o + i] = i < n.length ? n.charCodeAt(i) : 0;
    }
  }
}

/** nft_fib_can_skip(): a packet that came in on loopback (or to its socket's device) needs no check. */
function can_skip(pkt: NftPktinfo): boolean {
  const h = pkt.state.hook;
  if (h !== NF_INET_PRE_ROUTING && h !== NF_INET_INGRESS && h !== NF_INET_LOCAL_IN) return false;
  const indev = pkt.state.in;
  return !!indev && (indev.flags & IFF_LOOPBACK) !== 0;
}

export function nft_fib_init(_ctx: NftCtx, e: NftFibExpr): NftExprInst | number {
  if (e.dreg === undefined || e.result === undefined || e.flags === undefined) return -EINVAL;
  const { result, flags } = e;
  if ((flags & (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR)) === (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR)) return -EINVAL;
  if (!(flags & (NFTA_FIB_F_SADDR | NFTA_FIB_F_DADDR))) return -EINVAL;
  if ((flags & (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) === (NFTA_FIB_F_IIF | NFTA_FIB_F_OIF)) return -EINVAL;
  let len: number;
  switch (result) {
    case NFT_FIB_RESULT_OIF:
      if (flags & NFTA_FIB_F_OIF) return -EINVAL;
      len = flags & NFTA_FIB_F_PRESENT ? 1 : 4;
      break;
    case NFT_FIB_RESULT_OIFNAME:
      if (flags & NFTA_FIB_F_OIF) return -EINVAL;
      len = flags & NFTA_FIB_F_PRESENT ? 1 : 16;
      break;
    case NFT_FIB_RESULT_ADDRTYPE:
      len = 4;
      break;
    default:
      return -EINVAL;
  }
  const doff = nft_parse_register_store(e.dreg, len);
  if (doff < 0) return doff;
  const x: NftFibExpr = { ...e };
  return {
    name: 'fib',
    eval(regs, pkt) {
      const d = regs.data;
      const skb = pkt.skb;
      const net = pkt.state.net;
      const nh = skb.networkHeader;
      if (nh < 0 || nh + 20 > skb.tail) {
        regs.code = NFT_BREAK;
        return;
      }
      const saddr = rd32(skb.head, nh + 12);
      const daddr = rd32(skb.head, nh + 16);
      if (result === NFT_FIB_RESULT_ADDRTYPE) {
        // nft_fib4_eval_type()
        let dev: NetDevice | null = null;
        if (flags & NFTA_FIB_F_IIF) dev = pkt.state.in;
        else if (flags & NFTA_FIB_F_OIF) dev = pkt.state.out;
        const addr = flags & NFTA_FIB_F_DADDR ? daddr : saddr;
        nft_reg_store32(d, doff, inet_addr_type_dev_table(net, dev, addr));
        return;
      }
      if (can_skip(pkt)) {
        store(d, doff, result, flags, pkt.state.in);
        return;
      }
      let oif: NetDevice | null = null;
      if (flags & NFTA_FIB_F_IIF) oif = pkt.state.in;
      else if (flags & NFTA_FIB_F_OIF) oif = pkt.state.out;
      // 0.0.0.0 to broadcast or local multicast (DHCP)
      if (saddr === 0 && (daddr === 0xffffffff || (daddr & 0xffffff00) === 0xe0000000)) {
        store(d, doff, result, flags, skb.dev);
        return;
      }
      const fl = flowi4({ iif: LOOPBACK_IFINDEX, proto: pkt.tprot });
      if (flags & NFTA_FIB_F_MARK) fl.mark = skb.mark;
      if (flags & NFTA_FIB_F_DADDR) {
        fl.daddr = daddr;
        fl.saddr = 0;
      } else {
        if (pkt.state.hook === NF_INET_FORWARD && flags & NFTA_FIB_F_IIF && pkt.state.out) fl.iif = pkt.state.out.ifindex;
        fl.daddr = saddr;
        // get_saddr(): no multicast, broadcast or zero source
        fl.saddr = daddr >>> 28 === 0xe || daddr === 0xffffffff || daddr >>> 24 === 0 ? 0 : daddr;
      }
      store(d, doff, result, flags, null);
      const res = newResult();
      if (net.fib.fib_lookup(fl, res, FIB_LOOKUP_IGNORE_LINKSTATE)) return;
      if (res.type === RTN_LOCAL) return;
      void RTN_UNICAST;
      const found = res.fa?.dev ?? null;
      if (oif && found !== oif) return;
      store(d, doff, result, flags, found);
    },
    validate(v) {
      // nft_fib_validate()
      let hooks: number;
      switch (result) {
        case NFT_FIB_RESULT_OIF:
        case NFT_FIB_RESULT_OIFNAME:
          hooks = (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_INGRESS);
          break;
        default:
          if (flags & NFTA_FIB_F_IIF)
            hooks = (1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_INGRESS);
          else if (flags & NFTA_FIB_F_OIF) hooks = (1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_POST_ROUTING) | (1 << NF_INET_FORWARD);
          else hooks = 0x3f;
      }
      if (v.family === 5 || v.family === 7) return 0;
      return v.hookMask & ~hooks ? -EOPNOTSUPP : 0;
    },
    dump() {
      return { ...x };
    },
  };
}
