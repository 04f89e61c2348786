// net/netfilter/nft_meta.c: the packet's metadata (length, mark, devices,
// protocol, ...) into a register, or a register into the mark, priority,
// packet type or nftrace.
import type { NetDevice } from '../core/netdevice.ts';
import { PACKET_BROADCAST, PACKET_LOOPBACK, PACKET_MULTICAST, PACKET_OTHERHOST } from '../skbuff.ts';
import { EINVAL, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  NFT_BREAK,
  NFT_META_CPU,
  NFT_META_IIF,
  NFT_META_IIFGROUP,
  NFT_META_IIFKIND,
  NFT_META_IIFNAME,
  NFT_META_IIFTYPE,
  NFT_META_L4PROTO,
  NFT_META_LEN,
  NFT_META_MARK,
  NFT_META_NFPROTO,
  NFT_META_NFTRACE,
  NFT_META_OIF,
  NFT_META_OIFGROUP,
  NFT_META_OIFKIND,
  NFT_META_OIFNAME,
  NFT_META_OIFTYPE,
  NFT_META_PKTTYPE,
  NFT_META_PRANDOM,
  NFT_META_PRIORITY,
  NFT_META_PROTOCOL,
  NFT_META_SDIF,
  NFT_META_SDIFNAME,
  NFT_META_SKGID,
  NFT_META_SKUID,
  NFT_META_TIME_DAY,
  NFT_META_TIME_HOUR,
  NFT_META_TIME_NS,
  type NftMetaExpr,
} from '../uapi/nf_tables.ts';
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
} from './nf_tables_api.ts';

const IFNAMSIZ = 16;

/** The length a key puts in its register (nft_meta_get_init). */
function get_len(key: number): number {
  switch (key) {
    case NFT_META_PROTOCOL:
    case NFT_META_IIFTYPE:
    case NFT_META_OIFTYPE:
      return 2;
    case NFT_META_NFPROTO:
    case NFT_META_L4PROTO:
    case NFT_META_NFTRACE:
    case NFT_META_PKTTYPE:
    case NFT_META_TIME_DAY:
      return 1;
    case NFT_META_IIFNAME:
    case NFT_META_OIFNAME:
    case NFT_META_IIFKIND:
    case NFT_META_OIFKIND:
    case NFT_META_SDIFNAME:
      return IFNAMSIZ;
    case NFT_META_TIME_NS:
      return 8;
    case NFT_META_LEN:
    case NFT_META_PRIORITY:
    case NFT_META_MARK:
    case NFT_META_IIF:
    case NFT_META_OIF:
    case NFT_META_SDIF:
    case NFT_META_SKUID:
    case NFT_META_SKGID:
    case NFT_META_CPU:
    case NFT_META_IIFGROUP:
    case NFT_META_OIFGROUP:
    case NFT_META_PRANDOM:
    case NFT_META_TIME_HOUR:
      return 4;
  }
  return -1;
}

function store_name(d: Uint8Array, o: number, name: string): void {
  for (let i = 0; i < IFNAMSIZ; i++) d[o + i] = i < name.length ? name.charCodeAt(i) & 0xff : 0;
}

/** dev->rtnl_link_ops->kind: devices made by `ip link add` have one. */
function link_kind(dev: NetDevice): string | null {
  const k = dev.ops.kind;
  return k === 'loopback' || k === 'e1000' || k === 'snull' ? null : k;
}

const IPV4_MCAST = (a: number): boolean => a >>> 28 === 0xe;

export function nft_meta_init(ctx: NftCtx, e: NftMetaExpr): NftExprInst | number {
  if (e.key === undefined) return -EINVAL;
  const key = e.key;
  if ('dreg' in e && e.dreg !== undefined) {
    const len = get_len(key);
    if (len < 0) return -EOPNOTSUPP;
    const doff = nft_parse_register_store(e.dreg, len);
    if (doff < 0) return doff;
    const dreg = e.dreg;
    return {
      name: 'meta',
      eval(regs, pkt) {
        const d = regs.data;
        const skb = pkt.skb;
        const st = pkt.state;
        switch (key) {
          case NFT_META_LEN:
            nft_reg_store32(d, doff, skb.len);
            return;
          case NFT_META_PROTOCOL:
            nft_reg_store_be16(d, doff, skb.protocol);
            return;
          case NFT_META_NFPROTO:
            nft_reg_store8(d, doff, st.pf);
            return;
          case NFT_META_L4PROTO:
            if (!pkt.l4) break;
            nft_reg_store8(d, doff, pkt.tprot);
            return;
          case NFT_META_PRIORITY:
            nft_reg_store32(d, doff, skb.priority);
            return;
          case NFT_META_MARK:
            nft_reg_store32(d, doff, skb.mark);
            return;
          case NFT_META_IIF:
            nft_reg_store32(d, doff, st.in ? st.in.ifindex : 0);
            return;
          case NFT_META_OIF:
            nft_reg_store32(d, doff, st.out ? st.out.ifindex : 0);
            return;
          case NFT_META_IIFNAME:
            store_name(d, doff, st.in ? st.in.name : '');
            return;
          case NFT_META_OIFNAME:
            store_name(d, doff, st.out ? st.out.name : '');
            return;
          case NFT_META_IIFTYPE:
            if (!st.in) break;
            nft_reg_store16(d, doff, st.in.type);
            return;
          case NFT_META_OIFTYPE:
            if (!st.out) break;
            nft_reg_store16(d, doff, st.out.type);
            return;
          case NFT_META_SKUID:
          case NFT_META_SKGID:
            // every process runs as root
            if (!skb.sk) break;
            nft_reg_store32(d, doff, 0);
            return;
          case NFT_META_NFTRACE:
            nft_reg_store8(d, doff, skb.nfTrace ? 1 : 0);
            return;
          case NFT_META_PKTTYPE:
            if (skb.pktType !== PACKET_LOOPBACK) nft_reg_store8(d, doff, skb.pktType);
            else {
              const nh = skb.networkHeader;
              const daddr = nh >= 0 ? ((skb.head[nh + 16] as number) << 24) >>> 0 : 0;
              nft_reg_store8(d, doff, IPV4_MCAST(daddr) ? PACKET_MULTICAST : PACKET_BROADCAST);
            }
            return;
          case NFT_META_CPU:
            nft_reg_store32(d, doff, st.net.kernel.sim.cpu.id);
            return;
          case NFT_META_IIFGROUP:
            nft_reg_store32(d, doff, st.in ? st.in.group : 0);
            return;
          case NFT_META_OIFGROUP:
            nft_reg_store32(d, doff, st.out ? st.out.group : 0);
            return;
          case NFT_META_PRANDOM:
            nft_reg_store32(d, doff, st.net.kernel.sim.rng.u32() >>> 0);
            return;
          case NFT_META_IIFKIND: {
            const k = st.in ? link_kind(st.in) : null;
            if (k === null) break;
            store_name(d, doff, k);
            return;
          }
          case NFT_META_OIFKIND: {
            const k = st.out ? link_kind(st.out) : null;
            if (k === null) break;
            store_name(d, doff, k);
            return;
          }
          case NFT_META_SDIF:
            nft_reg_store32(d, doff, 0);
            return;
          case NFT_META_SDIFNAME:
            store_name(d, doff, '');
            return;
          case NFT_META_TIME_NS: {
            const ns = BigInt(Math.floor(st.net.kernel.sim.epochNs + st.net.kernel.now));
            for (let i = 0; i < 8; i++) d[doff + i] = Number((ns >> BigInt(8 * i)) & 0xffn);
            return;
          }
          case NFT_META_TIME_DAY: {
            const days = Math.floor((st.net.kernel.sim.epochNs + st.net.kernel.now) / 86400e9);
            // 1970-01-01 was a Thursday (4)
            nft_reg_store8(d, doff, (days + 4) % 7);
            return;
          }
          case NFT_META_TIME_HOUR:
            nft_reg_store32(d, doff, Math.floor(((st.net.kernel.sim.epochNs + st.net.kernel.now) / 1e9) % 86400));
            return;
        }
        regs.code = NFT_BREAK;
      },
      dump() {
        return { name: 'meta', key, dreg };
      },
    };
  }
  const sreg = (e as { sreg?: number }).sreg;
  let len: number;
  switch (key) {
    case NFT_META_MARK:
    case NFT_META_PRIORITY:
      len = 4;
      break;
    case NFT_META_NFTRACE:
    case NFT_META_PKTTYPE:
      len = 1;
      break;
    default:
      return -EOPNOTSUPP;
  }
  const soff = nft_parse_register_load(sreg, len);
  if (soff < 0) return soff;
  void ctx;
  const inst: NftExprInst & { setsTrace?: boolean } = {
    name: 'meta',
    eval(regs, pkt) {
      const skb = pkt.skb;
      const d = regs.data;
      switch (key) {
        case NFT_META_MARK:
          skb.mark = nft_reg_load32(d, soff);
          return;
        case NFT_META_PRIORITY:
          skb.priority = nft_reg_load32(d, soff);
          return;
        case NFT_META_PKTTYPE: {
          const v = d[soff] as number;
          // skb_pkt_type_ok(): only host, broadcast, multicast and otherhost
          if (skb.pktType !== v && v <= PACKET_OTHERHOST && skb.pktType <= PACKET_OTHERHOST) skb.pktType = v;
          return;
        }
        case NFT_META_NFTRACE:
          skb.nfTrace = ((d[soff] as number) & 1) !== 0;
          return;
      }
    },
    dump() {
      return { name: 'meta', key, sreg: sreg as number };
    },
  };
  if (key === NFT_META_NFTRACE) inst.setsTrace = true;
  return inst;
}
