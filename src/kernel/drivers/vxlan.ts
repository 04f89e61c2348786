// drivers/net/vxlan/vxlan_core.c: Virtual eXtensible LAN (RFC 7348). An
// Ethernet device whose frames travel in UDP through the IPv4 stack of its
// namespace (the underlay): vxlan_xmit looks the destination MAC up in the
// device's own forwarding database (the all-zeros entry is the default
// remote), vxlan_xmit_one encapsulates (VXLAN header, UDP with a source port
// from the inner flow hash, IP) and sends by ip_local_out; the device's UDP
// socket (port dstport, any address) receives through the UDP encap hook,
// where vxlan_rcv strips the headers, learns the sender's MAC with its outer
// source address and hands the inner frame to the device's GRO cell.
//
// IPv4 underlays only: an IPv6 remote or local waits for skbpath's IPv6
// underlay. Not modelled: multicast groups (group needs IGMP joins on the
// lower device), metadata mode (external), GBP/GPE, proxy ARP (arp_reduce),
// route short-circuit, l2miss/l3miss netlink notifications, nexthop groups.
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { Sock } from '../sock.ts';
import { kprobe } from '../trace/probe.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import { eth_type_trans, ETH_HLEN } from '../core/eth.ts';
import { NETIF_F_GRO } from '../core/netdevice.ts';
import { __netif_rx, napi_complete_done, napi_schedule, type NapiStruct } from '../core/dev.ts';
import { napi_gro_receive } from '../core/gro.ts';
import { ETH_P_IP, IFF_BROADCAST, IFF_MULTICAST, IFF_UP, NETDEV_TX_OK, NetDevice, type NetDeviceOps } from '../core/netdevice.ts';
import {
  dev_alloc_name,
  dev_change_flags,
  eth_random_addr,
  is_valid_ether_addr,
  type NetdevEvent,
  type NetlinkExtAck,
  register_netdevice,
  unregister_netdevice,
  type RtnlLinkOps,
} from '../core/rtnetlink.ts';
import { RTCF_LOCAL } from '../ipv4/route.ts';
import { type DstCache, dst_cache_init, udp_flow_src_port, udp_tunnel_dst_lookup, udp_tunnel_xmit_skb } from '../ipv4/udp_tunnel.ts';
import { __iptunnel_pull_header, skb_tunnel_check_pmtu } from '../ipv4/ip_tunnel_core.ts';
import { iph_saddr, iph_tos, wr32 } from '../ipv4/iphdr.ts';
import { IPPROTO_UDP, IPV4_HEADER_LEN } from '../../wire/ipv4.ts';
import { UDP_HEADER_LEN } from '../../wire/udp.ts';
import { VXLAN_DEFAULT_PORT, VXLAN_HDR_LEN, VXLAN_HF_VNI, VXLANH, vxlanh_flags, vxlanh_vni, vxlanh_vni_field } from '../../wire/vxlan.ts';
import { EADDRNOTAVAIL, EAFNOSUPPORT, EEXIST, EINVAL, ENODEV, ENOENT, EOPNOTSUPP } from '../uapi/errno.ts';
import {
  AF_BRIDGE,
  type FdbMsg,
  type IflaInfoData,
  type LinkMsg,
  type NdaAttrs,
  type NdMsg,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_MULTI,
  NLM_F_REPLACE,
  NTF_SELF,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_REACHABLE,
  RTM_NEWNEIGH,
} from '../uapi/rtnetlink.ts';
import { SOCK_DGRAM } from '../uapi/asm_socket.ts';

/** VXLAN_HEADROOM: outer IPv4 + UDP + VXLAN + inner Ethernet. */
const VXLAN_HEADROOM = IPV4_HEADER_LEN + UDP_HEADER_LEN + VXLAN_HDR_LEN + ETH_HLEN;
/** VXLAN_HLEN: UDP + VXLAN, what vxlan_rcv pulls. */
const VXLAN_HLEN = UDP_HEADER_LEN + VXLAN_HDR_LEN;
/** FDB_AGE_DEFAULT (s), FDB_AGE_INTERVAL (10 * HZ) */
const FDB_AGE_DEFAULT = 300;
/** ETH_MAX_MTU, ETH_MIN_MTU */
const ETH_MAX_MTU = 65535;
const ETH_MIN_MTU = 68;
/** NTF_VXLAN_ADDED_BY_USER, NTF_USE, NTF_EXT_LEARNED, NTF_ROUTER */
const NTF_VXLAN_ADDED_BY_USER = 0x100;
const NTF_USE = 0x01;
const NTF_EXT_LEARNED = 0x10;

/** VXLAN_F_* (include/net/vxlan.h) */
export const VXLAN_F_LEARN = 0x01;
export const VXLAN_F_PROXY = 0x02;
export const VXLAN_F_RSC = 0x04;
export const VXLAN_F_L2MISS = 0x08;
export const VXLAN_F_L3MISS = 0x10;
export const VXLAN_F_IPV6 = 0x20;
export const VXLAN_F_UDP_ZERO_CSUM_TX = 0x40;
export const VXLAN_F_UDP_ZERO_CSUM6_TX = 0x80;
export const VXLAN_F_UDP_ZERO_CSUM6_RX = 0x100;
export const VXLAN_F_REMCSUM_TX = 0x200;
export const VXLAN_F_REMCSUM_RX = 0x400;
export const VXLAN_F_GBP = 0x800;
export const VXLAN_F_REMCSUM_NOPARTIAL = 0x1000;
export const VXLAN_F_COLLECT_METADATA = 0x2000;
export const VXLAN_F_GPE = 0x4000;
export const VXLAN_F_TTL_INHERIT = 0x10000;
export const VXLAN_F_VNIFILTER = 0x20000;
export const VXLAN_F_LOCALBYPASS = 0x80000;
/** VXLAN_F_RCV_FLAGS: the flags a receiving socket is shared by. */
const VXLAN_F_RCV_FLAGS =
  VXLAN_F_GBP |
  VXLAN_F_GPE |
  VXLAN_F_UDP_ZERO_CSUM6_RX |
  VXLAN_F_REMCSUM_RX |
  VXLAN_F_REMCSUM_NOPARTIAL |
  VXLAN_F_COLLECT_METADATA |
  VXLAN_F_VNIFILTER |
  VXLAN_F_LOCALBYPASS;

/** enum ifla_vxlan_df */
const VXLAN_DF_SET = 1;
const VXLAN_DF_INHERIT = 2;

/** struct vxlan_config (IPv4 addresses as host-order words, 0 = any) */
export interface VxlanConfig {
  remoteIp: number;
  saddr: number;
  vni: number;
  dstPort: number;
  portMin: number;
  portMax: number;
  tos: number;
  ttl: number;
  label: number;
  flags: number;
  ageInterval: number;
  addrmax: number;
  remoteIfindex: number;
  df: number;
}

/** struct vxlan_rdst: one remote of an fdb entry. */
export interface VxlanRdst {
  remoteIp: number;
  remotePort: number;
  remoteVni: number;
  remoteIfindex: number;
  dstCache: DstCache;
}

/** struct vxlan_fdb */
export interface VxlanFdb {
  eth: Uint8Array;
  key: string;
  state: number;
  flags: number;
  updated: number;
  used: number;
  remotes: VxlanRdst[];
}

/** struct vxlan_sock: the UDP socket of a port, shared by the devices that listen on it. */
interface VxlanSock {
  sock: Sock;
  flags: number;
  devs: VxlanDev[];
}

/** struct vxlan_dev (netdev_priv) */
export interface VxlanDev {
  dev: NetDevice;
  /** vxlan->net: the underlay namespace (where it was made), which stays when the device moves */
  net: Net;
  cfg: VxlanConfig;
  defaultDst: VxlanRdst;
  /** vxlan->fdb_list, newest first (hlist_add_head); keyed by MAC */
  fdb: Map<string, VxlanFdb>;
  fdbList: VxlanFdb[];
  vs: VxlanSock | null;
  ageTimer: ReturnType<Kernel['sim']['timer']> | null;
  gro: NapiStruct;
  cellQueue: SkBuff[];
}

export function vxlan_priv(dev: NetDevice): VxlanDev | null {
  return dev.ops.kind === 'vxlan' ? (dev.priv as VxlanDev) : null;
}

function macKey(a: Uint8Array): string {
  return Array.from(a, (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** all_zeros_mac: the default entry's key */
const ALL_ZEROS_MAC_KEY = '00:00:00:00:00:00';

function is_zero_ether_addr(a: Uint8Array): boolean {
  return a.every((x) => x === 0);
}

function is_multicast_ether_addr(a: Uint8Array): boolean {
  return ((a[0] as number) & 1) === 1;
}

function ipv4_is_multicast(a: number): boolean {
  return a >>> 28 === 0xe;
}

// --- the forwarding database ---

/** vxlan_find_mac_rcu() */
function vxlan_find_mac(vxlan: VxlanDev, mac: Uint8Array | string): VxlanFdb | null {
  return vxlan.fdb.get(typeof mac === 'string' ? mac : macKey(mac)) ?? null;
}

/** vxlan_find_mac_tx(): the entry, its `used` refreshed. */
function vxlan_find_mac_tx(vxlan: VxlanDev, mac: Uint8Array | string): VxlanFdb | null {
  const f = vxlan_find_mac(vxlan, mac);
  if (f) f.used = vxlan.dev.net.kernel.jiffies();
  return f;
}

function new_rdst(k: Kernel, ip: number, port: number, vni: number, ifindex: number): VxlanRdst {
  return { remoteIp: ip, remotePort: port, remoteVni: vni, remoteIfindex: ifindex, dstCache: dst_cache_init(k) };
}

/** vxlan_fdb_find_rdst() */
function vxlan_fdb_find_rdst(f: VxlanFdb, ip: number, port: number, vni: number, ifindex: number): VxlanRdst | null {
  return f.remotes.find((r) => r.remoteIp === ip && r.remotePort === port && r.remoteVni === vni && r.remoteIfindex === ifindex) ?? null;
}

/** vxlan_fdb_create(): a new entry, first in the list, with its first remote. */
function vxlan_fdb_create(
  vxlan: VxlanDev,
  mac: Uint8Array,
  ip: number,
  state: number,
  port: number,
  vni: number,
  ifindex: number,
  flags: number,
): VxlanFdb | number {
  if (vxlan.cfg.addrmax && vxlan.fdb.size >= vxlan.cfg.addrmax) return -28; // -ENOSPC
  const k = vxlan.dev.net.kernel;
  const now = k.jiffies();
  const f: VxlanFdb = { eth: mac.slice(), key: macKey(mac), state, flags, updated: now, used: now, remotes: [] };
  f.remotes.push(new_rdst(k, ip, port || vxlan.cfg.dstPort, vni, ifindex));
  vxlan.fdb.set(f.key, f);
  vxlan.fdbList.unshift(f);
  return f;
}

/** vxlan_fdb_destroy() */
function vxlan_fdb_destroy(vxlan: VxlanDev, f: VxlanFdb): void {
  vxlan.fdb.delete(f.key);
  const i = vxlan.fdbList.indexOf(f);
  if (i >= 0) vxlan.fdbList.splice(i, 1);
}

/** vxlan_fdb_update(): vxlan_fdb_update_existing or vxlan_fdb_update_create. 0 or -errno. */
function vxlan_fdb_update(
  vxlan: VxlanDev,
  mac: Uint8Array,
  ip: number,
  state: number,
  nlFlags: number,
  port: number,
  vni: number,
  ifindex: number,
  ndmFlags: number,
  extack: NetlinkExtAck | null,
): number {
  const f = vxlan_find_mac(vxlan, mac);
  const fdbFlags = ndmFlags & ~NTF_USE;
  const k = vxlan.dev.net.kernel;
  if (f) {
    if (nlFlags & NLM_F_EXCL) return -EEXIST;
    let notify = false;
    if (!(fdbFlags & NTF_EXT_LEARNED) || !(f.flags & NTF_VXLAN_ADDED_BY_USER)) {
      if (f.state !== state) {
        f.state = state;
        notify = true;
      }
      if (f.flags !== fdbFlags) {
        f.flags = fdbFlags;
        notify = true;
      }
    }
    const p = port || vxlan.cfg.dstPort;
    if (nlFlags & NLM_F_REPLACE) {
      if (is_multicast_ether_addr(f.eth) || is_zero_ether_addr(f.eth)) {
        if (extack) extack.msg = 'Cannot replace non-unicast fdb entries';
        return -EOPNOTSUPP;
      }
      // vxlan_fdb_replace(): the first remote takes the new destination
      const rd = f.remotes[0];
      if (rd && !vxlan_fdb_find_rdst(f, ip, p, vni, ifindex)) {
        f.remotes[0] = new_rdst(k, ip, p, vni, ifindex);
        notify = true;
      }
    }
    if (nlFlags & NLM_F_APPEND && (is_multicast_ether_addr(f.eth) || is_zero_ether_addr(f.eth))) {
      // vxlan_fdb_append(): a remote more, unless it is there
      if (!vxlan_fdb_find_rdst(f, ip, p, vni, ifindex)) {
        f.remotes.push(new_rdst(k, ip, p, vni, ifindex));
        notify = true;
      }
    }
    if (ndmFlags & NTF_USE || notify) f.updated = k.jiffies();
    return 0;
  }
  if (!(nlFlags & NLM_F_CREATE)) return -ENOENT;
  // Disallow replace to add a multicast entry
  if (nlFlags & NLM_F_REPLACE && (is_multicast_ether_addr(mac) || is_zero_ether_addr(mac))) return -EOPNOTSUPP;
  const r = vxlan_fdb_create(vxlan, mac, ip, state, port, vni, ifindex, fdbFlags);
  return typeof r === 'number' ? r : 0;
}

/** vxlan_fdb_parse(): NDA_DST, NDA_PORT, NDA_VNI, NDA_IFINDEX with the device's defaults. */
function vxlan_fdb_parse(vxlan: VxlanDev, a: NdaAttrs): { ip: number; port: number; vni: number; ifindex: number } | number {
  const net = vxlan.net;
  let ifindex = 0;
  if (a.NDA_IFINDEX !== undefined) {
    ifindex = a.NDA_IFINDEX;
    if (!net.devByIndex.has(ifindex)) return -EADDRNOTAVAIL;
  }
  return {
    ip: a.NDA_DST ?? vxlan.defaultDst.remoteIp,
    port: a.NDA_PORT ?? vxlan.cfg.dstPort,
    vni: a.NDA_VNI ?? vxlan.defaultDst.remoteVni,
    ifindex,
  };
}

/** vxlan_fdb_add(): ndo_fdb_add. */
function vxlan_fdb_add(ndm: NdMsg, dev: NetDevice, addr: Uint8Array, nlFlags: number, attrs?: NdaAttrs): number {
  const vxlan = dev.priv as VxlanDev;
  if (!(ndm.ndm_state & (NUD_PERMANENT | NUD_REACHABLE))) return -EINVAL;
  if (!attrs || attrs.NDA_DST === undefined) return -EINVAL;
  const p = vxlan_fdb_parse(vxlan, attrs);
  if (typeof p === 'number') return p;
  return vxlan_fdb_update(
    vxlan,
    addr,
    p.ip,
    ndm.ndm_state,
    nlFlags,
    p.port,
    p.vni,
    p.ifindex,
    ndm.ndm_flags | NTF_VXLAN_ADDED_BY_USER,
    null,
  );
}

/** vxlan_fdb_delete() → __vxlan_fdb_delete(): one remote when NDA_DST names it, else the whole entry. */
function vxlan_fdb_delete(dev: NetDevice, addr: Uint8Array, attrs?: NdaAttrs): number {
  const vxlan = dev.priv as VxlanDev;
  const a = attrs ?? {};
  const p = vxlan_fdb_parse(vxlan, a);
  if (typeof p === 'number') return p;
  const f = vxlan_find_mac(vxlan, addr);
  if (!f) return -ENOENT;
  if (a.NDA_DST !== undefined) {
    const rd = vxlan_fdb_find_rdst(f, p.ip, p.port, p.vni, p.ifindex);
    if (!rd) return -ENOENT;
    // remove a destination if it's not the only one on the list
    if (f.remotes.length > 1) {
      f.remotes.splice(f.remotes.indexOf(rd), 1);
      return 0;
    }
  }
  vxlan_fdb_destroy(vxlan, f);
  return 0;
}

/** vxlan_fdb_dump(): every remote of every entry, newest entry first. */
function vxlan_fdb_dump(dev: NetDevice, _filter: NetDevice | null): FdbMsg[] {
  const vxlan = dev.priv as VxlanDev;
  const out: FdbMsg[] = [];
  const k = dev.net.kernel;
  const now = k.jiffies();
  const clock = (j: number): number => Math.floor((((now - j) >>> 0) * 100) / k.HZ);
  for (const f of vxlan.fdbList) {
    for (const rd of f.remotes) {
      // vxlan_fdb_info()
      const attrs: NdaAttrs = { NDA_LLADDR: f.eth.slice(), NDA_DST: rd.remoteIp };
      if (rd.remotePort && rd.remotePort !== vxlan.cfg.dstPort) attrs.NDA_PORT = rd.remotePort;
      if (rd.remoteVni !== vxlan.defaultDst.remoteVni) attrs.NDA_VNI = rd.remoteVni;
      if (rd.remoteIfindex) attrs.NDA_IFINDEX = rd.remoteIfindex;
      attrs.NDA_CACHEINFO = { ndm_confirmed: 0, ndm_used: clock(f.used), ndm_updated: clock(f.updated), ndm_refcnt: 0 };
      out.push({
        nlmsg_type: RTM_NEWNEIGH,
        nlmsg_flags: NLM_F_MULTI,
        ndm: {
          ndm_family: AF_BRIDGE,
          ndm_ifindex: dev.ifindex,
          ndm_state: f.state,
          ndm_flags: f.flags & ~NTF_VXLAN_ADDED_BY_USER,
          ndm_type: 0,
        },
        attrs,
      });
    }
  }
  return out;
}

/** vxlan_snoop(): learn (or move) the sender's MAC; a drop reason when the frame must go. */
function vxlan_snoop(vxlan: VxlanDev, srcIp: number, srcMac: Uint8Array): number {
  if (!is_valid_ether_addr(srcMac)) return SKB_DROP_REASON.MAC_INVALID_SOURCE;
  const f = vxlan_find_mac(vxlan, srcMac);
  const k = vxlan.dev.net.kernel;
  if (f) {
    f.updated = k.jiffies();
    const rdst = f.remotes[0] as VxlanRdst;
    if (rdst.remoteIp === srcIp && rdst.remoteIfindex === 0) return 0;
    // Don't migrate static entries, drop packets
    if (f.state & (NUD_PERMANENT | NUD_NOARP)) return SKB_DROP_REASON.VXLAN_ENTRY_EXISTS;
    k.kmsg.printk(6, `vxlan: ${vxlan.dev.name}: ${macKey(srcMac)} migrated from ${ipStr(rdst.remoteIp)} to ${ipStr(srcIp)}`);
    rdst.remoteIp = srcIp;
    return 0;
  }
  if (vxlan.dev.flags & IFF_UP)
    vxlan_fdb_update(
      vxlan,
      srcMac,
      srcIp,
      NUD_REACHABLE,
      NLM_F_EXCL | NLM_F_CREATE,
      vxlan.cfg.dstPort,
      vxlan.defaultDst.remoteVni,
      0,
      NTF_SELF,
      null,
    );
  return 0;
}

function ipStr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** vxlan_cleanup(): the age timer; entries not refreshed for age_interval go. Every 10 s. */
function vxlan_cleanup(vxlan: VxlanDev): void {
  const dev = vxlan.dev;
  if (!(dev.flags & IFF_UP)) return;
  const k = dev.net.kernel;
  const now = k.jiffies();
  let next = (now + 10 * k.HZ) >>> 0;
  for (const f of [...vxlan.fdbList]) {
    if (f.state & (NUD_PERMANENT | NUD_NOARP)) continue;
    if (f.flags & NTF_EXT_LEARNED) continue;
    const timeout = (f.updated + vxlan.cfg.ageInterval * k.HZ) >>> 0;
    if (((timeout - now) | 0) <= 0) vxlan_fdb_destroy(vxlan, f);
    else if (((timeout - next) | 0) < 0) next = timeout;
  }
  mod_age_timer(vxlan, next);
}

function mod_age_timer(vxlan: VxlanDev, expiresJiffies: number): void {
  const k = vxlan.dev.net.kernel;
  const sim = k.sim;
  const t = vxlan.ageTimer ?? (vxlan.ageTimer = sim.timer(vxlan_cleanup, vxlan));
  const tick = 1e9 / k.HZ;
  const delta = (expiresJiffies - k.jiffies()) | 0;
  sim.modTimer(t, (Math.floor(k.now / tick) + Math.max(delta, 0)) * tick);
}

// --- transmit ---

/**
 * vxlan_xmit(): ndo_start_xmit. The destination MAC's entry, else the
 * all-zeros default; one copy per remote. Takes ownership of skb.
 */
function vxlan_xmit(skb: SkBuff, dev: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'vxlan_xmit');
  const vxlan = dev.priv as VxlanDev;
  skb.resetMacHeader();
  const dest = skb.head.subarray(skb.macHeader, skb.macHeader + 6);
  let f = vxlan_find_mac_tx(vxlan, dest);
  if (!f) {
    f = vxlan_find_mac_tx(vxlan, ALL_ZEROS_MAC_KEY);
    if (!f) {
      dev.stats.tx_dropped++;
      kfree_skb_reason(
        net,
        skb,
        SKB_DROP_REASON.NO_TX_TARGET,
        'vxlan_xmit',
        () => `${dev.name} has no fdb entry for ${macKey(dest)} and no default (00:00:00:00:00:00: a remote, or bridge fdb append)`,
      );
      return NETDEV_TX_OK;
    }
  }
  const [first, ...rest] = f.remotes;
  for (const rdst of rest) vxlan_xmit_one(skb.clone(), dev, 0, rdst);
  if (first) vxlan_xmit_one(skb, dev, 0, first);
  else kfree_skb_reason(net, skb, SKB_DROP_REASON.NO_TX_TARGET, 'vxlan_xmit');
  return NETDEV_TX_OK;
}

/** vxlan_find_vni(): the device of this VNI and port in the namespace (encap bypass). */
function vxlan_find_vni(net: Net, vni: number, port: number, flags: number): VxlanDev | null {
  for (const d of net.devices) {
    const v = vxlan_priv(d);
    if (!v || v.cfg.vni !== vni || v.cfg.dstPort !== port) continue;
    if ((v.cfg.flags & VXLAN_F_RCV_FLAGS) !== (flags & VXLAN_F_RCV_FLAGS)) continue;
    return v;
  }
  return null;
}

/** vxlan_encap_bypass(): a remote on this host gets the frame without UDP. */
function vxlan_encap_bypass(skb: SkBuff, src: VxlanDev, dst: VxlanDev): void {
  const len = skb.len;
  kprobe(src.dev.net, skb, 'vxlan_encap_bypass');
  skb.pktType = 0;
  skb.protocol = eth_type_trans(skb, dst.dev);
  src.dev.stats.tx_packets++;
  src.dev.stats.tx_bytes += len;
  if (__netif_rx(skb) === 0) {
    dst.dev.stats.rx_packets++;
    dst.dev.stats.rx_bytes += len;
  } else dst.dev.stats.rx_dropped++;
}

/**
 * vxlan_xmit_one(): one copy to one remote: the outer route (cached per
 * remote), skb_tunnel_check_pmtu, the VXLAN header (vxlan_build_skb), then
 * udp_tunnel_xmit_skb. Takes ownership of skb.
 */
function vxlan_xmit_one(skb: SkBuff, dev: NetDevice, defaultVni: number, rdst: VxlanRdst): void {
  const net = dev.net;
  const vxlanNet = (dev.priv as VxlanDev).net;
  kprobe(net, skb, 'vxlan_xmit_one');
  const vxlan = dev.priv as VxlanDev;
  const cfg = vxlan.cfg;
  const flags = cfg.flags;
  const drop = (reason: number): void => {
    dev.stats.tx_dropped++;
    kfree_skb_reason(net, skb, reason, 'vxlan_xmit_one');
  };
  // skb_vlan_inet_prepare(): the inner network header must be there
  if (skb.protocol === ETH_P_IP && !skb.mayPull(ETH_HLEN + IPV4_HEADER_LEN)) return drop(SKB_DROP_REASON.NOT_SPECIFIED);
  if (!rdst.remoteIp) return drop(SKB_DROP_REASON.NOT_SPECIFIED);
  const dstPort = rdst.remotePort || cfg.dstPort;
  const vni = rdst.remoteVni || defaultVni;
  let ifindex = rdst.remoteIfindex;
  const b = skb.head;
  const innerIp = skb.protocol === ETH_P_IP ? skb.networkHeader : -1;
  let ttl: number;
  if (flags & VXLAN_F_TTL_INHERIT) ttl = innerIp >= 0 ? (b[innerIp + 8] as number) : 0;
  else {
    ttl = cfg.ttl;
    if (!ttl && ipv4_is_multicast(rdst.remoteIp)) ttl = 1;
  }
  let tos = cfg.tos;
  // ip_tunnel_get_dsfield()
  if (tos === 1) tos = innerIp >= 0 ? iph_tos(b, innerIp) : 0;
  // ip_tunnel_dst_cache_usable(): no cache for marked packets, nor for an inherited TOS
  const useCache = skb.mark === 0 && !tos;
  const udpSum = !(flags & VXLAN_F_UDP_ZERO_CSUM_TX);
  const srcPort = udp_flow_src_port(net, skb, cfg.portMin, cfg.portMax);
  const vs = vxlan.vs;
  if (!vs) {
    dev.stats.tx_errors++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.DEV_READY, 'vxlan_xmit_one');
    return;
  }
  if (!ifindex) ifindex = vs.sock.bindDev;
  const r = udp_tunnel_dst_lookup(
    vxlanNet,
    skb,
    dev,
    ifindex,
    cfg.saddr,
    rdst.remoteIp,
    srcPort,
    dstPort,
    tos,
    useCache ? rdst.dstCache : null,
  );
  if (typeof r === 'number') {
    // tx_error
    if (r === -40) dev.stats.collisions++;
    else if (r === -101) dev.stats.tx_carrier_errors++;
    dev.stats.tx_errors++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.IP_OUTNOROUTES, 'vxlan_xmit_one');
    return;
  }
  const { rt, saddr } = r;
  // encap_bypass_if_local(): a remote address of this host
  if (rt.flags & RTCF_LOCAL) {
    const dstVxlan = vxlan_find_vni(vxlanNet, vni, dstPort, flags);
    if (!dstVxlan) {
      dev.stats.tx_errors++;
      kfree_skb_reason(net, skb, SKB_DROP_REASON.VXLAN_VNI_NOT_FOUND, 'encap_bypass_if_local');
      return;
    }
    vxlan_encap_bypass(skb, vxlan, dstVxlan);
    return;
  }
  let df = 0;
  if (cfg.df === VXLAN_DF_SET) df = 0x4000;
  else if (cfg.df === VXLAN_DF_INHERIT && innerIp >= 0 && b[innerIp + 6]! & 0x40) df = 0x4000;
  skb_tunnel_check_pmtu(vxlanNet, skb, rt, VXLAN_HEADROOM);
  // ip_tunnel_ecn_encap(): the inner ECN field, when there is one
  if (innerIp >= 0) tos = (tos & ~3) | (iph_tos(b, innerIp) & 3);
  if (!ttl) ttl = vxlanNet.sysctl.int('net.ipv4.ip_default_ttl') || 64; // ip4_dst_hoplimit()
  // vxlan_build_skb(): skb_cow_head, then the VXLAN header
  kprobe(net, skb, 'vxlan_build_skb');
  skb.unshare();
  const innerNh = skb.networkHeader >= 0 ? skb.networkHeader - skb.data : ETH_HLEN;
  skb.push(VXLAN_HDR_LEN);
  const o = skb.data;
  wr32(skb.head, o + VXLANH.FLAGS, VXLAN_HF_VNI);
  wr32(skb.head, o + VXLANH.VNI, (vni << 8) >>> 0);
  const xnet = vxlanNet !== net;
  udp_tunnel_xmit_skb(
    vxlanNet,
    rt,
    vs.sock,
    skb,
    saddr,
    rdst.remoteIp,
    tos,
    ttl,
    df,
    srcPort,
    dstPort,
    xnet,
    !udpSum,
    innerNh + VXLAN_HDR_LEN,
  );
}

// --- receive ---

/** vxlan_vs_find_vni() */
function vxlan_vs_find_vni(vs: VxlanSock, vni: number): VxlanDev | null {
  return vs.devs.find((v) => v.cfg.vni === vni) ?? null;
}

/**
 * vxlan_rcv(): encap_rcv of the device's UDP socket; skb->data is at the
 * UDP header. Always consumes the skb (0).
 */
function vxlan_rcv(sk: Sock, skb: SkBuff): number {
  const net = sk.net;
  kprobe(net, skb, 'vxlan_rcv');
  const drop = (reason: number, why?: () => string): number => {
    kfree_skb_reason(net, skb, reason || SKB_DROP_REASON.NOT_SPECIFIED, 'vxlan_rcv', why);
    return 0;
  };
  if (!skb.mayPull(VXLAN_HLEN)) return drop(SKB_DROP_REASON.PKT_TOO_SMALL);
  const vh = skb.data + UDP_HEADER_LEN;
  const b = skb.head;
  // VNI flag always required to be set
  if (!(vxlanh_flags(b, vh) & VXLAN_HF_VNI))
    return drop(
      SKB_DROP_REASON.VXLAN_INVALID_HDR,
      () => `the VXLAN header's I flag is clear (flags 0x${vxlanh_flags(b, vh).toString(16)})`,
    );
  const vs = sk.userData as VxlanSock | null;
  if (!vs) return drop(SKB_DROP_REASON.NOT_SPECIFIED);
  const vni = vxlanh_vni(b, vh);
  const vxlan = vxlan_vs_find_vni(vs, vni);
  if (!vxlan)
    return drop(SKB_DROP_REASON.VXLAN_VNI_NOT_FOUND, () => `no vxlan device with VNI ${vni} listens on UDP port ${sk.sport} here`);
  // reserved bits: only the I flag and the VNI may be set (vxlan->cfg.reserved_bits)
  if (vxlanh_flags(b, vh) & ~VXLAN_HF_VNI || vxlanh_vni_field(b, vh) & 0xff) {
    vxlan.dev.stats.rx_errors++;
    return drop(SKB_DROP_REASON.VXLAN_INVALID_HDR, () => 'reserved bits of the VXLAN header are set');
  }
  const outer = skb.networkHeader;
  const xnet = vxlan.net !== vxlan.dev.net;
  if (__iptunnel_pull_header(skb, VXLAN_HLEN, xnet)) return drop(SKB_DROP_REASON.NOMEM);
  // vxlan_set_mac()
  skb.resetMacHeader();
  skb.protocol = eth_type_trans(skb, vxlan.dev);
  const src = skb.head.subarray(skb.macHeader + 6, skb.macHeader + 12);
  // Ignore packet loops (and multicast echo)
  if (src.every((x, i) => x === vxlan.dev.devAddr[i]))
    return drop(SKB_DROP_REASON.LOCAL_MAC, () => `the inner source MAC is ${vxlan.dev.name}'s own (a loop)`);
  if (vxlan.cfg.flags & VXLAN_F_LEARN) {
    const saddr = iph_saddr(b, outer);
    const reason = vxlan_snoop(vxlan, saddr, src);
    if (reason)
      return drop(reason, () =>
        reason === SKB_DROP_REASON.VXLAN_ENTRY_EXISTS
          ? `${macKey(src)} is a static fdb entry of ${vxlan.dev.name} with another remote than ${ipStr(saddr)}`
          : `the inner source MAC ${macKey(src)} is not a valid unicast address`,
      );
  }
  skb.resetNetworkHeader();
  // pskb_inet_may_pull()
  if (skb.protocol === ETH_P_IP && !skb.mayPull(IPV4_HEADER_LEN)) {
    vxlan.dev.stats.rx_length_errors++;
    vxlan.dev.stats.rx_errors++;
    return drop(SKB_DROP_REASON.PKT_TOO_SMALL);
  }
  // vxlan_ecn_decapsulate() → IP_ECN_decapsulate(): outer CE onto a not-ECT inner packet is dropped
  if ((iph_tos(skb.head, outer) & 3) === 3 && skb.protocol === ETH_P_IP && (iph_tos(skb.head, skb.networkHeader) & 3) === 0) {
    vxlan.dev.stats.rx_errors++;
    return drop(SKB_DROP_REASON.IP_TUNNEL_ECN);
  }
  if (!(vxlan.dev.flags & IFF_UP)) {
    vxlan.dev.stats.rx_dropped++;
    return drop(SKB_DROP_REASON.DEV_READY, () => `${vxlan.dev.name} is down`);
  }
  vxlan.dev.stats.rx_packets++;
  vxlan.dev.stats.rx_bytes += skb.len;
  gro_cells_receive(vxlan, skb);
  return 0;
}

/**
 * gro_cells_receive(): the frame waits in the device's GRO cell, a NAPI of
 * its own polled from NET_RX (gro_cell_poll → napi_gro_receive). A cloned
 * skb, or GRO off, goes by netif_rx.
 */
function gro_cells_receive(vxlan: VxlanDev, skb: SkBuff): void {
  const dev = vxlan.dev;
  const net = dev.net;
  kprobe(net, skb, 'gro_cells_receive');
  if ((skb.cloned && skb.shinfo.users > 1) || !(dev.features & NETIF_F_GRO)) {
    __netif_rx(skb);
    return;
  }
  if (vxlan.cellQueue.length > net.kernel.netdevMaxBacklog) {
    dev.stats.rx_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'gro_cells_receive');
    return;
  }
  vxlan.cellQueue.push(skb);
  if (vxlan.cellQueue.length === 1) napi_schedule(net.kernel, vxlan.gro);
}

/** gro_cell_poll() */
function gro_cell_poll(vxlan: VxlanDev, napi: NapiStruct, budget: number): number {
  const k = vxlan.dev.net.kernel;
  let work = 0;
  while (work < budget) {
    const skb = vxlan.cellQueue.shift();
    if (!skb) break;
    kprobe(vxlan.dev.net, skb, 'gro_cell_poll');
    napi_gro_receive(k, napi, skb);
    work++;
  }
  if (work < budget) napi_complete_done(napi, work);
  return work;
}

// --- the socket ---

/** vxlan_find_sock(): a socket of this port and receive flags already open in the namespace. */
function vxlan_find_sock(net: Net, port: number, flags: number): VxlanSock | null {
  for (const sk of net.udpSockets) {
    const vs = sk.userData as VxlanSock | null;
    if (
      !sk.closed &&
      sk.encapRcv === vxlan_rcv &&
      vs &&
      sk.sport === port &&
      (vs.flags & VXLAN_F_RCV_FLAGS) === (flags & VXLAN_F_RCV_FLAGS)
    )
      return vs;
  }
  return null;
}

/** vxlan_sock_add() → vxlan_socket_create(): udp_sock_create on INADDR_ANY:dstport, setup_udp_tunnel_sock. */
function vxlan_sock_add(vxlan: VxlanDev): number {
  const net = vxlan.net;
  const port = vxlan.cfg.dstPort;
  let vs = vxlan_find_sock(net, port, vxlan.cfg.flags);
  if (!vs) {
    if (net.udpSockets.some((s) => !s.closed && s.sport === port && !s.rcvSaddr)) return -98; // -EADDRINUSE
    const sk = new Sock(net, SOCK_DGRAM, IPPROTO_UDP);
    sk.sport = port;
    sk.bound = true;
    sk.encapRcv = vxlan_rcv;
    vs = { sock: sk, flags: vxlan.cfg.flags, devs: [] };
    sk.userData = vs;
    net.udpSockets.push(sk);
  }
  vs.devs.push(vxlan);
  vxlan.vs = vs;
  return 0;
}

/** vxlan_sock_release(): the last device closes the socket. */
function vxlan_sock_release(vxlan: VxlanDev): void {
  const vs = vxlan.vs;
  if (!vs) return;
  vxlan.vs = null;
  const i = vs.devs.indexOf(vxlan);
  if (i >= 0) vs.devs.splice(i, 1);
  if (vs.devs.length) return;
  const net = vs.sock.net;
  vs.sock.closed = true;
  const j = net.udpSockets.indexOf(vs.sock);
  if (j >= 0) net.udpSockets.splice(j, 1);
}

/** vxlan_open(): the socket, and the age timer every FDB_AGE_INTERVAL. */
function vxlan_open(dev: NetDevice): void {
  const vxlan = dev.priv as VxlanDev;
  if (vxlan_sock_add(vxlan) < 0) return;
  if (vxlan.cfg.ageInterval) mod_age_timer(vxlan, (dev.net.kernel.jiffies() + 10 * dev.net.kernel.HZ) >>> 0);
}

/** vxlan_stop(): learned entries go (the static ones and the default stay), the socket closes. */
function vxlan_stop(dev: NetDevice): void {
  const vxlan = dev.priv as VxlanDev;
  if (vxlan.ageTimer) dev.net.kernel.sim.delTimer(vxlan.ageTimer);
  for (const f of [...vxlan.fdbList]) {
    if (f.state & (NUD_PERMANENT | NUD_NOARP)) continue;
    vxlan_fdb_destroy(vxlan, f);
  }
  vxlan.cellQueue.length = 0;
  vxlan_sock_release(vxlan);
}

export const vxlanOps: Readonly<NetDeviceOps> = {
  kind: 'vxlan',
  ndo_start_xmit: vxlan_xmit,
  ndo_open: vxlan_open,
  ndo_stop: vxlan_stop,
  ndo_fdb_add: vxlan_fdb_add,
  ndo_fdb_del: vxlan_fdb_delete,
  ndo_fdb_dump: vxlan_fdb_dump,
};

// --- rtnetlink ---

/** vxlan_nl2conf(): IFLA_VXLAN_* of a new device onto the defaults. */
function vxlan_nl2conf(d: IflaInfoData, extack: NetlinkExtAck): VxlanConfig | number {
  const conf: VxlanConfig = {
    remoteIp: 0,
    saddr: 0,
    vni: 0,
    dstPort: 0,
    portMin: 0,
    portMax: 0,
    tos: 0,
    ttl: 0,
    label: 0,
    flags: 0,
    ageInterval: 0,
    addrmax: 0,
    remoteIfindex: 0,
    df: 0,
  };
  if (d.IFLA_VXLAN_GROUP6 !== undefined || d.IFLA_VXLAN_LOCAL6 !== undefined) {
    extack.msg = 'skbpath: vxlan over an IPv6 underlay is not simulated';
    return -EAFNOSUPPORT;
  }
  if (d.IFLA_VXLAN_COLLECT_METADATA || d.IFLA_VXLAN_GBP || d.IFLA_VXLAN_GPE || d.IFLA_VXLAN_VNIFILTER) {
    extack.msg = 'skbpath: vxlan external (metadata), gbp, gpe and vnifilter are not simulated';
    return -EOPNOTSUPP;
  }
  if (d.IFLA_VXLAN_ID !== undefined) conf.vni = d.IFLA_VXLAN_ID;
  if (d.IFLA_VXLAN_GROUP !== undefined) conf.remoteIp = d.IFLA_VXLAN_GROUP;
  if (d.IFLA_VXLAN_LOCAL !== undefined) conf.saddr = d.IFLA_VXLAN_LOCAL;
  if (d.IFLA_VXLAN_LINK !== undefined) conf.remoteIfindex = d.IFLA_VXLAN_LINK;
  if (d.IFLA_VXLAN_TOS !== undefined) conf.tos = d.IFLA_VXLAN_TOS;
  if (d.IFLA_VXLAN_TTL !== undefined) conf.ttl = d.IFLA_VXLAN_TTL;
  if (d.IFLA_VXLAN_TTL_INHERIT) conf.flags |= VXLAN_F_TTL_INHERIT;
  if (d.IFLA_VXLAN_LABEL !== undefined) conf.label = d.IFLA_VXLAN_LABEL;
  if (d.IFLA_VXLAN_DF !== undefined) conf.df = d.IFLA_VXLAN_DF;
  // default to learn on a new device
  if (d.IFLA_VXLAN_LEARNING === undefined || d.IFLA_VXLAN_LEARNING) conf.flags |= VXLAN_F_LEARN;
  if (d.IFLA_VXLAN_AGEING !== undefined) conf.ageInterval = d.IFLA_VXLAN_AGEING;
  if (d.IFLA_VXLAN_PROXY) conf.flags |= VXLAN_F_PROXY;
  if (d.IFLA_VXLAN_RSC) conf.flags |= VXLAN_F_RSC;
  if (d.IFLA_VXLAN_L2MISS) conf.flags |= VXLAN_F_L2MISS;
  if (d.IFLA_VXLAN_L3MISS) conf.flags |= VXLAN_F_L3MISS;
  if (d.IFLA_VXLAN_LIMIT !== undefined) conf.addrmax = d.IFLA_VXLAN_LIMIT;
  const pr = d.IFLA_VXLAN_PORT_RANGE;
  if (pr) {
    if (pr.high < pr.low) {
      extack.msg = 'Invalid source port range';
      return -EINVAL;
    }
    conf.portMin = pr.low;
    conf.portMax = pr.high;
  }
  if (d.IFLA_VXLAN_PORT !== undefined) conf.dstPort = d.IFLA_VXLAN_PORT;
  if (d.IFLA_VXLAN_UDP_CSUM !== undefined && !d.IFLA_VXLAN_UDP_CSUM) conf.flags |= VXLAN_F_UDP_ZERO_CSUM_TX;
  if (d.IFLA_VXLAN_UDP_ZERO_CSUM6_TX) conf.flags |= VXLAN_F_UDP_ZERO_CSUM6_TX;
  if (d.IFLA_VXLAN_UDP_ZERO_CSUM6_RX) conf.flags |= VXLAN_F_UDP_ZERO_CSUM6_RX;
  if (d.IFLA_VXLAN_REMCSUM_TX) conf.flags |= VXLAN_F_REMCSUM_TX;
  if (d.IFLA_VXLAN_REMCSUM_RX) conf.flags |= VXLAN_F_REMCSUM_RX;
  if (d.IFLA_VXLAN_LOCALBYPASS === undefined || d.IFLA_VXLAN_LOCALBYPASS) conf.flags |= VXLAN_F_LOCALBYPASS;
  return conf;
}

/** vxlan_vni_in_use() */
function vxlan_vni_in_use(net: Net, conf: VxlanConfig): boolean {
  for (const d of net.devices) {
    const v = vxlan_priv(d);
    if (!v || v.cfg.vni !== conf.vni || v.cfg.dstPort !== conf.dstPort) continue;
    if ((v.cfg.flags & (VXLAN_F_RCV_FLAGS | VXLAN_F_IPV6)) !== (conf.flags & (VXLAN_F_RCV_FLAGS | VXLAN_F_IPV6))) continue;
    return true;
  }
  return false;
}

/** vxlan_config_validate(): the IPv4 checks, the lower device, the defaults, a VNI used once per port. */
function vxlan_config_validate(net: Net, conf: VxlanConfig, extack: NetlinkExtAck): NetDevice | null | number {
  if (ipv4_is_multicast(conf.saddr)) {
    extack.msg = 'Local address cannot be multicast';
    return -EINVAL;
  }
  if (conf.label) {
    extack.msg = 'Label attribute only applies to IPv6 VXLAN devices';
    return -EINVAL;
  }
  let lower: NetDevice | null = null;
  if (conf.remoteIfindex) {
    lower = net.devByIndex.get(conf.remoteIfindex) ?? null;
    if (!lower) {
      extack.msg = 'Invalid local interface, device not found';
      return -ENODEV;
    }
  } else if (ipv4_is_multicast(conf.remoteIp)) {
    extack.msg = 'Local interface required for multicast remote destination';
    return -EINVAL;
  }
  if (ipv4_is_multicast(conf.remoteIp)) {
    extack.msg = 'skbpath: vxlan multicast groups are not simulated';
    return -EOPNOTSUPP;
  }
  if (!conf.dstPort) conf.dstPort = VXLAN_DEFAULT_PORT;
  if (!conf.ageInterval) conf.ageInterval = FDB_AGE_DEFAULT;
  if (vxlan_vni_in_use(net, conf)) {
    extack.msg = 'A VXLAN device with the specified VNI already exists';
    return -EEXIST;
  }
  return lower;
}

/** vxlan_setup(): an Ethernet device with no queue, keeping the route of what it sends (netif_keep_dst). */
function vxlan_setup(name: string): NetDevice {
  const d = new NetDevice(name, vxlanOps);
  d.flags = IFF_BROADCAST | IFF_MULTICAST;
  d.mtu = 1500;
  d.minMtu = ETH_MIN_MTU;
  d.maxMtu = ETH_MAX_MTU;
  d.tsoMaxSize = 65536;
  return d;
}

/** vxlan_newlink() → __vxlan_dev_create(): configure, register, the default fdb entry. */
function vxlan_newlink(net: Net, req: LinkMsg, extack: NetlinkExtAck): number {
  const a = req.attrs;
  if (a.IFLA_ADDRESS) {
    if (a.IFLA_ADDRESS.length !== 6) return -EINVAL;
    if (!is_valid_ether_addr(a.IFLA_ADDRESS)) return -EADDRNOTAVAIL;
  }
  const data = a.IFLA_LINKINFO?.IFLA_INFO_DATA ?? {};
  const conf = vxlan_nl2conf(data, extack);
  if (typeof conf === 'number') return conf;
  const lower = vxlan_config_validate(net, conf, extack);
  if (typeof lower === 'number') return lower;
  const name = a.IFLA_IFNAME ?? dev_alloc_name(net, 'vxlan%d');
  if (net.devByName.has(name)) return -EEXIST;
  const dev = vxlan_setup(name);
  dev.devAddr.set(a.IFLA_ADDRESS ?? eth_random_addr(net));
  if (a.IFLA_ADDRESS) dev.addrSet = true;
  // vxlan_config_apply(): the MTU the lower device leaves, its TSO limit
  let maxMtu = ETH_MAX_MTU;
  if (lower) {
    dev.tsoMaxSize = lower.tsoMaxSize || (lower.parentDev ? 65536 : 524280);
    maxMtu = Math.max(lower.mtu - VXLAN_HEADROOM, ETH_MIN_MTU);
    if (a.IFLA_MTU === undefined) dev.mtu = maxMtu;
  }
  if (a.IFLA_MTU !== undefined) {
    // dev_validate_mtu() of rtnl_create_link
    if (a.IFLA_MTU < ETH_MIN_MTU || a.IFLA_MTU > ETH_MAX_MTU) return -EINVAL;
    dev.mtu = a.IFLA_MTU;
  }
  // more than the lower device leaves is cut to that
  if (dev.mtu > maxMtu) dev.mtu = maxMtu;
  if (a.IFLA_TXQLEN !== undefined) dev.txQueueLen = a.IFLA_TXQLEN;
  if (a.IFLA_GROUP !== undefined) dev.group = a.IFLA_GROUP;
  if (a.IFLA_IFALIAS !== undefined) dev.alias = a.IFLA_IFALIAS;
  const k = net.kernel;
  const vxlan: VxlanDev = {
    dev,
    net,
    cfg: conf,
    defaultDst: new_rdst(k, conf.remoteIp, 0, conf.vni, lower ? conf.remoteIfindex : 0),
    fdb: new Map(),
    fdbList: [],
    vs: null,
    ageTimer: null,
    gro: null as unknown as NapiStruct,
    cellQueue: [],
  };
  dev.priv = vxlan;
  const err = register_netdevice(net, dev, req.ifi.ifi_index);
  if (err) return err;
  // gro_cells_init(): the device's NAPI
  vxlan.gro = {
    dev,
    weight: 64,
    sched: false,
    addr: `ffff8880${(0x0f100000 + dev.ifindex * 0x1000).toString(16).padStart(8, '0')}`,
    poll: (n, budget) => gro_cell_poll(vxlan, n, budget),
    gro: { held: [], rxList: [] },
  };
  // create an fdb entry for a valid default destination
  if (conf.remoteIp) {
    vxlan_fdb_create(
      vxlan,
      new Uint8Array(6),
      conf.remoteIp,
      NUD_REACHABLE | NUD_PERMANENT,
      conf.dstPort,
      conf.vni,
      vxlan.defaultDst.remoteIfindex,
      NTF_SELF,
    );
    // the default entry shares the default destination's remote
    const f = vxlan_find_mac(vxlan, ALL_ZEROS_MAC_KEY) as VxlanFdb;
    f.remotes[0] = vxlan.defaultDst;
    vxlan.defaultDst.remotePort = conf.dstPort;
  }
  if (req.ifi.ifi_change) dev_change_flags(dev, req.ifi.ifi_flags, req.ifi.ifi_change);
  return 0;
}

/** vxlan_fill_info() */
function vxlan_fill_info(dev: NetDevice): IflaInfoData {
  const vxlan = dev.priv as VxlanDev;
  const c = vxlan.cfg;
  const f = c.flags;
  const d: IflaInfoData = { IFLA_VXLAN_ID: vxlan.defaultDst.remoteVni };
  if (vxlan.defaultDst.remoteIp) d.IFLA_VXLAN_GROUP = vxlan.defaultDst.remoteIp;
  if (vxlan.defaultDst.remoteIfindex) d.IFLA_VXLAN_LINK = vxlan.defaultDst.remoteIfindex;
  if (c.saddr) d.IFLA_VXLAN_LOCAL = c.saddr;
  Object.assign(d, {
    IFLA_VXLAN_TTL: c.ttl,
    IFLA_VXLAN_TTL_INHERIT: f & VXLAN_F_TTL_INHERIT ? 1 : 0,
    IFLA_VXLAN_TOS: c.tos,
    IFLA_VXLAN_DF: c.df,
    IFLA_VXLAN_LABEL: c.label,
    IFLA_VXLAN_LABEL_POLICY: 0,
    IFLA_VXLAN_LEARNING: f & VXLAN_F_LEARN ? 1 : 0,
    IFLA_VXLAN_PROXY: f & VXLAN_F_PROXY ? 1 : 0,
    IFLA_VXLAN_RSC: f & VXLAN_F_RSC ? 1 : 0,
    IFLA_VXLAN_L2MISS: f & VXLAN_F_L2MISS ? 1 : 0,
    IFLA_VXLAN_L3MISS: f & VXLAN_F_L3MISS ? 1 : 0,
    IFLA_VXLAN_COLLECT_METADATA: f & VXLAN_F_COLLECT_METADATA ? 1 : 0,
    IFLA_VXLAN_AGEING: c.ageInterval,
    IFLA_VXLAN_LIMIT: c.addrmax,
    IFLA_VXLAN_PORT: c.dstPort,
    IFLA_VXLAN_UDP_CSUM: f & VXLAN_F_UDP_ZERO_CSUM_TX ? 0 : 1,
    IFLA_VXLAN_UDP_ZERO_CSUM6_TX: f & VXLAN_F_UDP_ZERO_CSUM6_TX ? 1 : 0,
    IFLA_VXLAN_UDP_ZERO_CSUM6_RX: f & VXLAN_F_UDP_ZERO_CSUM6_RX ? 1 : 0,
    IFLA_VXLAN_REMCSUM_TX: f & VXLAN_F_REMCSUM_TX ? 1 : 0,
    IFLA_VXLAN_REMCSUM_RX: f & VXLAN_F_REMCSUM_RX ? 1 : 0,
    IFLA_VXLAN_LOCALBYPASS: f & VXLAN_F_LOCALBYPASS ? 1 : 0,
    IFLA_VXLAN_PORT_RANGE: { low: c.portMin, high: c.portMax },
  } satisfies IflaInfoData);
  return d;
}

/**
 * vxlan_netdevice_event(): NETDEV_UNREGISTER of a lower device takes the
 * vxlan devices that send through it along (vxlan_handle_lowerdev_unregister).
 */
export function vxlan_netdevice_event(event: NetdevEvent, dev: NetDevice): void {
  if (event !== 'UNREGISTER' || dev.ops.kind === 'vxlan') return;
  const k = dev.net.kernel;
  for (const net of k.nets) {
    for (const d of [...net.devices]) {
      const v = vxlan_priv(d);
      if (v && v.net === dev.net && v.cfg.remoteIfindex === dev.ifindex && net.devByIndex.get(d.ifindex) === d) unregister_netdevice(d);
    }
  }
}

export const vxlan_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'vxlan',
  newlink: vxlan_newlink,
  fill_info: vxlan_fill_info,
};
