// net/netfilter/nf_tables_trace.c: the NFT_MSG_TRACE events `nft monitor
// trace` prints for packets with skb->nf_trace set (`meta nftrace set 1`).
// The first event of a packet in a hook carries its headers and devices
// (packet_dumped); each names the table, the chain, the rule's handle and
// the verdict, or the base chain's policy.
import { NF_STOLEN } from '../uapi/netfilter.ts';
import { NFT_CONTINUE, NFT_TRACETYPE_POLICY, NFT_TRACETYPE_RETURN, type NftTraceEvent } from '../uapi/nf_tables.ts';
import { type NftChainK, type NftPktinfo, type NftRuleK, nft_pernet } from './nf_tables_api.ts';

/** NFT_TRACETYPE_*_HSIZE */
const NFT_TRACETYPE_LL_HSIZE = 20;
const NFT_TRACETYPE_NETWORK_HSIZE = 40;
const NFT_TRACETYPE_TRANSPORT_HSIZE = 20;

/** struct nft_traceinfo */
export interface NftTraceinfo {
  nfTrace: boolean;
  packetDumped: boolean;
  basechain: NftChainK;
  skbid: number;
}

/** nft_trace_init(): the id is a keyed hash of the skb and its input device (the key drawn once per namespace). */
export function nft_trace_init(pkt: NftPktinfo, basechain: NftChainK): NftTraceinfo {
  const net = pkt.state.net;
  const nn = nft_pernet(net);
  if (nn.traceKey < 0) nn.traceKey = net.kernel.sim.rng.u32() >>> 0;
  let h = (nn.traceKey ^ Math.imul(pkt.skb.origin, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13) ^ pkt.skb.skbIif, 0xc2b2ae35) >>> 0;
  return { nfTrace: pkt.skb.nfTrace, packetDumped: false, basechain, skbid: (h ^ (h >>> 16)) >>> 0 };
}

/** nft_trace_notify() */
export function nft_trace_notify(
  pkt: NftPktinfo,
  info: NftTraceinfo,
  chain: NftChainK,
  rule: NftRuleK | null,
  type: number,
  code: number,
  jumpChain: NftChainK | null,
): void {
  const nn = nft_pernet(pkt.state.net);
  let subs = false;
  for (const s of nn.subscribers) if (s.trace) subs = true;
  if (!subs) return;
  const skb = pkt.skb;
  const ev: NftTraceEvent = {
    family: chain.table.family,
    table: chain.table.name,
    chain: chain.name,
    type,
    id: info.skbid,
    nfproto: pkt.state.pf,
  };
  if (rule && !(type === NFT_TRACETYPE_RETURN && code === NFT_CONTINUE)) ev.ruleHandle = rule.handle;
  let mark = 0;
  if (type === NFT_TRACETYPE_POLICY) {
    mark = skb.mark;
    ev.policy = info.basechain.base?.policy ?? 1;
  } else {
    ev.verdict = jumpChain && (code === -3 || code === -4) ? { code, chain: jumpChain.name } : { code };
    if (code >= 0 && (code & 0xff) === NF_STOLEN) info.packetDumped = true;
    else mark = skb.mark;
  }
  if (mark) ev.mark = mark >>> 0;
  if (!info.packetDumped) {
    const st = pkt.state;
    if (st.in) {
      ev.iif = st.in.ifindex;
      ev.iiftype = st.in.type;
    }
    if (st.out) {
      ev.oif = st.out.ifindex;
      ev.oiftype = st.out.type;
    }
    // nf_trace_fill_pkt_info()
    const b = skb.head;
    const nh = skb.networkHeader >= 0 ? skb.networkHeader : skb.data;
    const nhEnd = pkt.l4 ? pkt.thoff : skb.data + skb.len;
    ev.networkHeader = b.slice(nh, nh + Math.max(0, Math.min(nhEnd - nh, NFT_TRACETYPE_NETWORK_HSIZE)));
    if (pkt.l4)
      ev.transportHeader = b.slice(
        pkt.thoff,
        pkt.thoff + Math.max(0, Math.min(skb.data + skb.len - pkt.thoff, NFT_TRACETYPE_TRANSPORT_HSIZE)),
      );
    if (skb.macHeader >= 0 && skb.macHeader < skb.data) {
      const len = Math.min(skb.data - skb.macHeader, NFT_TRACETYPE_LL_HSIZE);
      ev.llHeader = b.slice(skb.macHeader, skb.macHeader + len);
    }
    info.packetDumped = true;
  }
  for (const s of nn.subscribers) s.trace?.(ev);
}
