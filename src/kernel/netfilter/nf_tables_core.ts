// net/netfilter/nf_tables_core.c: nft_do_chain(), the rule evaluator. A
// rule is a list of expressions run on the register file; an expression that
// does not match sets NFT_BREAK and the next rule is tried; a verdict ends
// the chain; jumps push a return point (NFT_JUMP_STACK_SIZE deep); at the end
// of the base chain its policy decides. With `meta nftrace set 1` every step
// is announced as an NFT_MSG_TRACE event (nf_tables_trace.c).
import { kfree_skb_reason } from '../core/skb_free.ts';
import { IP_OFFSET, iph_frag_off, iph_ihl, iph_protocol } from '../ipv4/iphdr.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kprobe } from '../trace/probe.ts';
import { HOOK_NAMES, NF_ACCEPT, NF_DROP, NF_QUEUE, NF_STOLEN, NFPROTO_IPV4, NFPROTO_NETDEV } from '../uapi/netfilter.ts';
import {
  NFT_BREAK,
  NFT_CONTINUE,
  NFT_GOTO,
  NFT_JUMP,
  NFT_JUMP_STACK_SIZE,
  NFT_RETURN,
  NFT_TRACETYPE_POLICY,
  NFT_TRACETYPE_RETURN,
  NFT_TRACETYPE_RULE,
} from '../uapi/nf_tables.ts';
import { EINVAL, ENOENT } from '../uapi/errno.ts';
import type { NftExpr, NftExprName } from '../uapi/nf_tables.ts';
import type { NfHookState } from './core.ts';
import {
  type NftChainK,
  type NftCtx,
  type NftExprInst,
  type NftPktinfo,
  NftRegs,
  type NftRuleK,
  nft_family_name,
  nft_pernet,
} from './nf_tables_api.ts';
import { nft_trace_init, nft_trace_notify, type NftTraceinfo } from './nf_tables_trace.ts';
import { nft_bitwise_init } from './nft_bitwise.ts';
import { nft_byteorder_init } from './nft_byteorder.ts';
import { nft_cmp_init } from './nft_cmp.ts';
import { nft_match_init, nft_target_init } from './nft_compat.ts';
import { nft_counter_init } from './nft_counter.ts';
import { nft_ct_init, nft_notrack_init } from './nft_ct.ts';
import { nft_dup_ipv4_init } from './nft_dup_ipv4.ts';
import { nft_dynset_init } from './nft_dynset.ts';
import { nft_fib_init } from './nft_fib.ts';
import { nft_fwd_init } from './nft_fwd_netdev.ts';
import { nft_hash_init } from './nft_hash.ts';
import { nft_immediate_init } from './nft_immediate.ts';
import { nft_limit_init } from './nft_limit.ts';
import { nft_log_init } from './nft_log.ts';
import { nft_lookup_init } from './nft_lookup.ts';
import { nft_masq_init } from './nft_masq.ts';
import { nft_meta_init } from './nft_meta.ts';
import { nft_nat_init } from './nft_nat.ts';
import { nft_numgen_init } from './nft_numgen.ts';
import { nft_objref_init } from './nft_objref.ts';
import { nft_payload_init } from './nft_payload.ts';
import { nft_queue_init } from './nft_queue.ts';
import { nft_quota_init } from './nft_quota.ts';
import { nft_range_init } from './nft_range.ts';
import { nft_redir_init } from './nft_redir.ts';
import { nft_reject_init } from './nft_reject.ts';

const ETH_P_IP = 0x0800;

/** nft_set_pktinfo_ipv4(): the transport header and fragment offset of an IPv4 packet. */
export function nft_set_pktinfo(pkt: NftPktinfo): void {
  const skb = pkt.skb;
  const nh = skb.networkHeader;
  const b = skb.head;
  const isIp = pkt.state.pf === NFPROTO_IPV4 || (nh >= 0 && skb.protocol === ETH_P_IP);
  if (!isIp || nh < 0 || nh + 20 > skb.tail || (b[nh] as number) >> 4 !== 4) {
    pkt.l4 = false;
    return;
  }
  const ihl = iph_ihl(b, nh) * 4;
  pkt.fragoff = iph_frag_off(b, nh) & IP_OFFSET;
  pkt.tprot = iph_protocol(b, nh);
  pkt.thoff = nh + ihl;
  pkt.l4 = ihl >= 20 && pkt.fragoff === 0;
}

export function nft_pktinfo(skb: SkBuff, state: NfHookState, family: number): NftPktinfo {
  const pkt: NftPktinfo = { skb, state, l4: false, tprot: 0, thoff: 0, fragoff: 0, family };
  nft_set_pktinfo(pkt);
  return pkt;
}

/** The verdict names as nft prints them in `nft monitor trace` and as skbpath shows the rule hit. */
function verdict_name(code: number): string {
  switch (code) {
    case NF_ACCEPT:
      return 'accept';
    case NF_DROP:
      return 'drop';
    case NFT_CONTINUE:
      return 'continue';
    case NFT_RETURN:
      return 'return';
    case NFT_JUMP:
      return 'jump';
    case NFT_GOTO:
      return 'goto';
  }
  if ((code & 0xff) === NF_QUEUE) return 'queue';
  return String(code);
}

/** nft_update_chain_stats() */
function nft_update_chain_stats(base: NftChainK, skb: SkBuff): void {
  const st = base.base?.stats;
  if (!st) return;
  st.packets++;
  st.bytes += skb.len;
}

/**
 * nft_do_chain(): walks the base chain. A DROP frees the skb here
 * (NF_DROP_REASON: NETFILTER_DROP @nft_do_chain) and the hook answers
 * NF_STOLEN with -EPERM in its upper bits.
 */
export function nft_do_chain(pkt: NftPktinfo, basechain: NftChainK): number {
  const skb = pkt.skb;
  const net = pkt.state.net;
  const ev = kprobe(net, skb, 'nft_do_chain');
  const regs = new NftRegs();
  const jumpstack: { chain: NftChainK; rule: number }[] = [];
  const nn = net.nftables ?? nft_pernet(net);
  let info: NftTraceinfo | null = null;
  if (nn.traceUsers > 0 || skb.nfTrace) info = nft_trace_init(pkt, basechain);
  let chain = basechain;
  let i = 0;
  let rule: NftRuleK | null = null;
  for (;;) {
    // do_chain / next_rule
    regs.code = NFT_CONTINUE;
    const rules = chain.rules;
    rule = null;
    for (; i < rules.length; i++) {
      const r = rules[i] as NftRuleK;
      const ex = r.exprs;
      for (let k = 0; k < ex.length; k++) {
        (ex[k] as { eval(r: NftRegs, p: NftPktinfo): void }).eval(regs, pkt);
        if (regs.code !== NFT_CONTINUE) break;
      }
      if (regs.code === NFT_BREAK) {
        regs.code = NFT_CONTINUE;
        if (info) info.nfTrace = skb.nfTrace;
        continue;
      }
      if (regs.code === NFT_CONTINUE) {
        if (info) nft_trace_packet(pkt, regs, info, chain, r, NFT_TRACETYPE_RULE);
        continue;
      }
      rule = r;
      break;
    }
    // nft_trace_verdict(): __nft_trace_verdict() switches on `code & NF_VERDICT_MASK`, which
    // NFT_CONTINUE (-1) and NFT_RETURN (-5) never equal: the end of a chain goes out as a
    // RULE event without a rule handle (nft prints nothing for it), as on 6.18
    if (info) {
      const c = regs.code;
      const masked = c & 0xff;
      const type = masked === NFT_CONTINUE || masked === NFT_RETURN ? NFT_TRACETYPE_RETURN : NFT_TRACETYPE_RULE;
      if (type === NFT_TRACETYPE_RULE && masked !== NF_STOLEN) info.nfTrace = skb.nfTrace;
      nft_trace_packet_raw(pkt, regs, info, chain, rule, type);
    }
    const code = regs.code;
    if (code >= 0) {
      switch (code & 0xff) {
        case NF_ACCEPT:
        case NF_QUEUE:
        case NF_STOLEN:
          hit(ev, basechain, chain, rule, code);
          return code;
        case NF_DROP:
          hit(ev, basechain, chain, rule, code);
          nft_drop(pkt, basechain, chain, rule);
          return NF_STOLEN | (1 << 16);
      }
    }
    if (code === NFT_JUMP || code === NFT_GOTO) {
      if (code === NFT_JUMP) {
        if (jumpstack.length >= NFT_JUMP_STACK_SIZE) return NF_DROP;
        jumpstack.push({ chain, rule: i + 1 });
      }
      chain = regs.chain as NftChainK;
      i = 0;
      continue;
    }
    // NFT_CONTINUE (end of chain) or NFT_RETURN
    const up = jumpstack.pop();
    if (up) {
      chain = up.chain;
      i = up.rule;
      continue;
    }
    break;
  }
  const policy = basechain.base?.policy ?? NF_ACCEPT;
  if (info) {
    regs.code = policy;
    nft_trace_packet_raw(pkt, regs, info, basechain, null, NFT_TRACETYPE_POLICY);
  }
  nft_update_chain_stats(basechain, skb);
  hit(ev, basechain, basechain, null, policy);
  if (policy === NF_DROP) {
    nft_drop(pkt, basechain, basechain, null);
    return NF_STOLEN | (1 << 16);
  }
  return policy;
}

function hit(ev: ReturnType<typeof kprobe>, base: NftChainK, chain: NftChainK, rule: NftRuleK | null, code: number): void {
  if (!ev) return;
  const last = rule?.exprs[rule.exprs.length - 1];
  ev.nf = {
    table: `${nft_family_name(base.table.family)} ${base.table.name}`,
    chain: chain.name,
    rule: rule ? rule.handle : 0,
    target: rule ? (last?.name === 'immediate' ? verdict_name(code) : (last?.name ?? '')) : 'policy',
    verdict: code === NF_ACCEPT ? 'ACCEPT' : code === NF_DROP ? 'DROP' : (code & 0xff) === NF_QUEUE ? 'QUEUE' : 'STOLEN',
    // the hook as the iptables hits name it (the web view's hook boxes); netdev: INGRESS/EGRESS
    hook:
      base.table.family === NFPROTO_NETDEV
        ? base.base?.hooknum === 1
          ? 'EGRESS'
          : 'INGRESS'
        : (HOOK_NAMES[base.base?.hooknum ?? -1] ?? 'INGRESS'),
  };
}

function nft_drop(pkt: NftPktinfo, base: NftChainK, chain: NftChainK, rule: NftRuleK | null): void {
  const t = base.table;
  kfree_skb_reason(pkt.state.net, pkt.skb, SKB_DROP_REASON.NETFILTER_DROP, 'nft_do_chain', () =>
    rule
      ? `nft ${nft_family_name(t.family)} ${t.name}: rule handle ${rule.handle} of chain ${chain.name}`
      : `nft ${nft_family_name(t.family)} ${t.name}: the policy of chain ${base.name}`,
  );
}

/** nft_trace_packet(): a rule that matched and let the packet go on. */
function nft_trace_packet(pkt: NftPktinfo, regs: NftRegs, info: NftTraceinfo, chain: NftChainK, rule: NftRuleK, type: number): void {
  info.nfTrace = pkt.skb.nfTrace;
  nft_trace_packet_raw(pkt, regs, info, chain, rule, type);
}

function nft_trace_packet_raw(
  pkt: NftPktinfo,
  regs: NftRegs,
  info: NftTraceinfo,
  chain: NftChainK,
  rule: NftRuleK | null,
  type: number,
): void {
  if (!info.nfTrace) return;
  nft_trace_notify(pkt, info, chain, rule, type, regs.code, regs.chain);
}

// ------------------------------------------------------------------ expression types

type Init = (ctx: NftCtx, e: never) => NftExprInst | number;

/** nf_tables_core_module_init() and the expression modules: NFTA_EXPR_NAME -> init. */
const NFT_EXPR_TYPES: Readonly<Record<NftExprName, Init | null>> = {
  immediate: nft_immediate_init,
  payload: nft_payload_init,
  meta: nft_meta_init,
  ct: nft_ct_init,
  cmp: nft_cmp_init,
  bitwise: nft_bitwise_init,
  byteorder: nft_byteorder_init,
  range: nft_range_init,
  lookup: nft_lookup_init,
  dynset: nft_dynset_init,
  counter: nft_counter_init,
  limit: nft_limit_init,
  quota: nft_quota_init,
  connlimit: null,
  last: null,
  log: nft_log_init,
  reject: nft_reject_init,
  nat: nft_nat_init,
  masq: nft_masq_init,
  redir: nft_redir_init,
  numgen: nft_numgen_init,
  hash: nft_hash_init,
  fib: nft_fib_init,
  rt: null,
  notrack: nft_notrack_init,
  dup: nft_dup_ipv4_init,
  fwd: nft_fwd_init,
  queue: nft_queue_init,
  objref: nft_objref_init,
  exthdr: null,
  socket: null,
  match: nft_match_init,
  target: nft_target_init,
};

/**
 * nf_tables_newexpr(): the expression's init, or -errno. An expression the
 * kernel does not have is -ENOENT (nft_expr_type_get after request_module).
 */
export function nft_expr_init(ctx: NftCtx, e: NftExpr): NftExprInst | number {
  if (!e || typeof e !== 'object' || typeof (e as { name?: unknown }).name !== 'string') return -EINVAL;
  const init = Object.hasOwn(NFT_EXPR_TYPES, e.name) ? NFT_EXPR_TYPES[e.name] : null;
  if (!init) return -ENOENT;
  return (init as (ctx: NftCtx, e: NftExpr) => NftExprInst | number)(ctx, e);
}
