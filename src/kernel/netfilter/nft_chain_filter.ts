// net/netfilter/nft_chain_filter.c (+ nft_chain_nat.c, nft_chain_route.c):
// the chain types of each family and how a base chain hangs on its hook:
// nft_do_chain_ipv4 / _inet / _arp / _bridge on the protocol's hook list,
// nft_do_chain_netdev on a device's ingress or egress list, nat chains in
// nf_nat's per-hook list (nft_nat_do_chain, run for a connection's first
// packet), route chains re-routing locally sent packets whose mark or
// addresses they changed (nf_route_table_hook4).
import { iph_daddr, iph_saddr, iph_tos } from '../ipv4/iphdr.ts';
import type { SkBuff } from '../skbuff.ts';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_INET_INGRESS,
  NF_INET_LOCAL_OUT,
  NFPROTO_ARP,
  NFPROTO_BRIDGE,
  NFPROTO_INET,
  NFPROTO_IPV4,
  NFPROTO_IPV6,
  NFPROTO_NETDEV,
} from '../uapi/netfilter.ts';
import type { NfHookEntry, NfHookState } from './core.ts';
import { nf_nat_ipv4_register_fn, nf_nat_ipv4_unregister_fn } from './nf_nat.ts';
import type { NftChainK, NftTableK } from './nf_tables_api.ts';
import { nft_do_chain, nft_pktinfo } from './nf_tables_core.ts';
import { ip_route_me_harder } from './utils.ts';

const RTN_UNSPEC = 0;

/** nf_tables_chain_type_lookup(): which chain types a family has. */
export function nft_chain_type_lookup(family: number, type: string): boolean {
  if (type === 'filter') return true;
  if (type === 'nat' || type === 'route') return family === NFPROTO_IPV4 || family === NFPROTO_IPV6 || family === NFPROTO_INET;
  return false;
}

function hookFn(family: number): string {
  switch (family) {
    case NFPROTO_IPV4:
      return 'nft_do_chain_ipv4';
    case NFPROTO_IPV6:
      return 'nft_do_chain_ipv6';
    case NFPROTO_INET:
      return 'nft_do_chain_inet';
    case NFPROTO_ARP:
      return 'nft_do_chain_arp';
    case NFPROTO_BRIDGE:
      return 'nft_do_chain_bridge';
    default:
      return 'nft_do_chain_netdev';
  }
}

/** nft_do_chain_inet(): only the families skbpath carries (IPv4) reach the chain. */
function do_chain(tab: NftTableK, c: NftChainK, skb: SkBuff, state: NfHookState): number {
  if (tab.family === NFPROTO_INET && state.pf !== NFPROTO_IPV4 && state.pf !== NFPROTO_NETDEV) return NF_ACCEPT;
  return nft_do_chain(nft_pktinfo(skb, state, tab.family), c);
}

/** nf_route_table_hook4(): a route chain's changes to the mark or the addresses send the packet through routing again. */
function route_hook(tab: NftTableK, c: NftChainK, skb: SkBuff, state: NfHookState): number {
  const b = skb.head;
  const nh = skb.networkHeader;
  const mark = skb.mark;
  const saddr = iph_saddr(b, nh);
  const daddr = iph_daddr(b, nh);
  const tos = iph_tos(b, nh);
  const ret = do_chain(tab, c, skb, state);
  if (ret !== NF_ACCEPT) return ret;
  if (skb.mark !== mark || iph_saddr(b, nh) !== saddr || iph_daddr(b, nh) !== daddr || iph_tos(b, nh) !== tos) {
    const err = ip_route_me_harder(state.net, state.sk, skb, RTN_UNSPEC);
    if (err < 0) return NF_DROP | (-err << 16);
  }
  return ret;
}

/** nf_tables_register_hook(): the base chain goes on its hook(s). */
export function nft_chain_register(tab: NftTableK, c: NftChainK): void {
  const b = c.base;
  if (!b || b.entries.length) return;
  const net = c.table.net;
  const fam = tab.family;
  if (fam === NFPROTO_NETDEV || (fam === NFPROTO_INET && b.hooknum === NF_INET_INGRESS)) {
    for (const name of b.devs) {
      const dev = net.devByName.get(name);
      if (!dev) continue;
      const entry: NfHookEntry = {
        priority: b.priority,
        name: fam === NFPROTO_INET ? 'nft_do_chain_inet_ingress' : 'nft_do_chain_netdev',
        hook: (skb, state) => do_chain(tab, c, skb, state),
      };
      net.nfHooks.registerDev(dev, fam === NFPROTO_INET ? 0 : b.hooknum, entry);
      b.entries.push({ dev, entry });
    }
    return;
  }
  if (b.type === 'nat') {
    const entry: NfHookEntry = { priority: b.priority, name: 'nft_nat_do_chain', hook: (skb, state) => do_chain(tab, c, skb, state) };
    if (fam === NFPROTO_IPV4 || fam === NFPROTO_INET) nf_nat_ipv4_register_fn(net, b.hooknum, entry);
    b.entries.push({ dev: null, entry });
    return;
  }
  const entry: NfHookEntry = {
    priority: b.priority,
    name: b.type === 'route' && b.hooknum === NF_INET_LOCAL_OUT ? 'nf_route_table_hook4' : hookFn(fam),
    hook:
      b.type === 'route' && b.hooknum === NF_INET_LOCAL_OUT
        ? (skb, state) => route_hook(tab, c, skb, state)
        : (skb, state) => do_chain(tab, c, skb, state),
  };
  // the inet family's chains register for IPv4 (and IPv6, which skbpath does not carry)
  const pf = fam === NFPROTO_INET ? NFPROTO_IPV4 : fam;
  net.nfHooks.register(pf, b.hooknum, entry);
  b.entries.push({ dev: null, entry });
}

export function nft_chain_unregister(tab: NftTableK, c: NftChainK): void {
  const b = c.base;
  if (!b) return;
  const net = c.table.net;
  const fam = tab.family;
  for (const { dev, entry } of b.entries) {
    if (dev) net.nfHooks.unregisterDev(dev, fam === NFPROTO_INET ? 0 : b.hooknum, entry);
    else if (b.type === 'nat') {
      if (fam === NFPROTO_IPV4 || fam === NFPROTO_INET) nf_nat_ipv4_unregister_fn(net, b.hooknum, entry);
    } else net.nfHooks.unregister(fam === NFPROTO_INET ? NFPROTO_IPV4 : fam, b.hooknum, entry);
  }
  b.entries.length = 0;
}

/**
 * nf_tables_netdev_event(): a device going away takes its netdev chains'
 * hooks with it; the chains stay, naming the device.
 */
export function nf_tables_netdev_event(event: string, dev: import('../core/netdevice.ts').NetDevice): void {
  if (event !== 'UNREGISTER' || !dev.net) return;
  const nn = dev.net.nftables;
  if (!nn) return;
  for (const t of nn.tables)
    for (const c of t.chains.values()) {
      const b = c.base;
      if (!b) continue;
      for (let i = b.entries.length - 1; i >= 0; i--) {
        const x = b.entries[i] as { dev: import('../core/netdevice.ts').NetDevice | null; entry: NfHookEntry };
        if (x.dev !== dev) continue;
        dev.net.nfHooks.unregisterDev(dev, t.family === NFPROTO_INET ? 0 : b.hooknum, x.entry);
        b.entries.splice(i, 1);
      }
    }
}
