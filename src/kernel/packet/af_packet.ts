// net/packet/af_packet.c: PF_PACKET sockets, the one packet tap. A socket's
// prot_hook sits in ptype_all (ETH_P_ALL) or ptype_base (one protocol), bound
// to a device or to all of them; packet_rcv runs the attached filter (the
// SO_ATTACH_FILTER program's return value is the snap length) and either
// queues the skb with its sockaddr_ll, charging the receive buffer (a full one
// drops with PACKET_SOCK_ERROR and counts tp_drops), or, with a TPACKET_V3
// RX ring (PACKET_RX_RING, as libpcap uses), copies it into the ring
// (tpacket_rcv; the ring's blocks are modelled as one pool of their bytes).
// packet_snd sends a frame as is through dev_queue_xmit. The calls charge no
// syscall cost (the taps they replace had none, and timings stay exact).
import { dev_queue_xmit, dev_set_allmulti, dev_set_promiscuity } from '../core/dev.ts';
import { eth_header } from '../core/eth.ts';
import { bpf_prog_run_classic, sk_filter_create, type SkFilter, type SockFilter } from '../core/filter.ts';
import { ETH_P_ALL, IFF_UP, NET_XMIT_CN, type NetDevice, type PacketType } from '../core/netdevice.ts';
import { kfree_skb_reason } from '../core/skb_free.ts';
import type { Net } from '../net_namespace.ts';
import { alloc_skb, PACKET_LOOPBACK, type SkBuff } from '../skbuff.ts';
import { Sock, SOCK_DGRAM, SOCK_RAW } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import {
  EAGAIN,
  EBUSY,
  EFAULT,
  EINVAL,
  EMSGSIZE,
  ENETDOWN,
  ENOBUFS,
  ENODEV,
  ENOENT,
  ENOPROTOOPT,
  ENXIO,
  ESOCKTNOSUPPORT,
} from '../uapi/errno.ts';

export const SOL_PACKET = 263;
export const PACKET_ADD_MEMBERSHIP = 1;
export const PACKET_DROP_MEMBERSHIP = 2;
export const PACKET_AUXDATA = 8;
export const PACKET_ORIGDEV = 9;
export const PACKET_STATISTICS = 6;
export const PACKET_IGNORE_OUTGOING = 23;
export const PACKET_RX_RING = 5;
export const PACKET_VERSION = 10;
export const PACKET_RESERVE = 12;
export const TPACKET_V1 = 0;
export const TPACKET_V2 = 1;
export const TPACKET_V3 = 2;
export const PACKET_MR_MULTICAST = 0;
export const PACKET_MR_PROMISC = 1;
export const PACKET_MR_ALLMULTI = 2;
export const SOL_SOCKET = 1;
export const SO_ERROR = 4;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;
export const SO_ATTACH_FILTER = 26;
export const SO_DETACH_FILTER = 27;
export const TP_STATUS_USER = 1;
/** net.core.rmem_max's default, the cap of SO_RCVBUF. */
const RMEM_MAX = 212992;
export const TP_STATUS_VLAN_VALID = 0x10;

/** struct sockaddr_ll (linux/if_packet.h), host byte order for sll_protocol. */
export interface SockaddrLl {
  sll_protocol: number;
  sll_ifindex: number;
  sll_hatype: number;
  sll_pkttype: number;
  sll_halen: number;
  sll_addr: Uint8Array;
}

/** struct tpacket_auxdata: what PACKET_AUXDATA adds to each recvmsg. */
export interface TpacketAuxdata {
  tp_status: number;
  /** The length of the packet before the snap (PACKET_SKB_CB(skb)->sa.origlen). */
  tp_len: number;
  tp_snaplen: number;
  tp_mac: number;
  tp_net: number;
  tp_vlan_tci: number;
  tp_vlan_tpid: number;
}

/** struct tpacket_stats */
export interface TpacketStats {
  tp_packets: number;
  tp_drops: number;
}

/** struct tpacket_req3 */
export interface TpacketReq3 {
  tp_block_size: number;
  tp_block_nr: number;
  tp_frame_size: number;
  tp_frame_nr: number;
  tp_retire_blk_tov: number;
}

/** One frame of the mmap'd RX ring as the reader sees it (tpacket3_hdr, its sockaddr_ll and the bytes). */
export interface TpacketFrame {
  tp_len: number;
  tp_snaplen: number;
  /** tp_sec/tp_nsec: CLOCK_REALTIME ns. */
  tstamp: number;
  tp_status: number;
  tp_vlan_tci: number;
  sll: SockaddrLl;
  data: Uint8Array;
}

/** The RX ring (packet_ring_buffer): its room and the frames the reader has not handed back. */
interface RxRing {
  blockSize: number;
  blockNr: number;
  /** Bytes of the blocks taken by frames (block headers included). */
  used: number;
  readonly frames: { frame: TpacketFrame; size: number }[];
}

/** struct packet_mreq */
export interface PacketMreq {
  mr_ifindex: number;
  mr_type: number;
  mr_alen?: number;
  mr_address?: Uint8Array;
}

/** A received skb with PACKET_SKB_CB: its sockaddr_ll, original length and timestamp. */
interface PacketCb {
  skb: SkBuff;
  sll: SockaddrLl;
  origlen: number;
  /** skb->tstamp as CLOCK_REALTIME ns. */
  tstamp: number;
  truesize: number;
}

/** struct packet_mclist */
interface PacketMclist {
  ifindex: number;
  type: number;
  count: number;
}

/** A packet_type whose dev and ignoreOutgoing the socket rebinds. */
interface ProtHook extends PacketType {
  type: number;
  dev: NetDevice | null;
  ignoreOutgoing: boolean;
}

/** struct packet_sock */
export class PacketSock extends Sock {
  readonly prot_hook: ProtHook;
  /** po->num: the protocol it receives, host order (0: none). */
  num: number;
  ifindex = 0;
  running = false;
  filter: SkFilter | null = null;
  readonly stats: TpacketStats = { tp_packets: 0, tp_drops: 0 };
  readonly queue: PacketCb[] = [];
  readonly mclist: PacketMclist[] = [];
  auxdata = false;
  origdev = false;
  tpVersion = TPACKET_V1;
  tpReserve = 0;
  rxRing: RxRing | null = null;
  /** O_ASYNC with F_SETOWN: called from sk_data_ready (sk_wake_async). */
  fasync: (() => void) | null = null;

  constructor(net: Net, type: number, protocol: number) {
    super(net, type, protocol);
    this.num = protocol;
    const self = this;
    this.prot_hook = {
      type: protocol,
      dev: null,
      ignoreOutgoing: false,
      af_packet_net: net,
      // packet_set_ring(): a socket with an RX ring receives through tpacket_rcv
      get sym(): string {
        return self.rxRing ? 'tpacket_rcv' : 'packet_rcv';
      },
      func(skb: SkBuff, dev: NetDevice, pt: PacketType, origDev: NetDevice): number {
        return packet_rcv(self, skb, dev, pt, origDev);
      },
    };
  }
}

function dev_get_by_index(net: Net, ifindex: number): NetDevice | undefined {
  return net.devices.find((d) => d.ifindex === ifindex);
}

/** register_prot_hook() → dev_add_pack(): ptype_all of the device or the namespace, or ptype_base. */
function register_prot_hook(po: PacketSock): void {
  if (po.running) return;
  const pt = po.prot_hook;
  if (pt.type === ETH_P_ALL) (pt.dev ? pt.dev.ptypeAll : po.net.ptypeAll).push(pt);
  else po.net.kernel.dev_add_pack(pt);
  po.running = true;
}

/** __unregister_prot_hook() → dev_remove_pack() */
function unregister_prot_hook(po: PacketSock): void {
  if (!po.running) return;
  const pt = po.prot_hook;
  const lists = pt.type === ETH_P_ALL ? [pt.dev ? pt.dev.ptypeAll : po.net.ptypeAll] : [po.net.kernel.ptypeBase.get(pt.type) ?? []];
  for (const l of lists) {
    const i = l.indexOf(pt);
    if (i >= 0) l.splice(i, 1);
  }
  po.running = false;
}

/** packet_create(): socket(AF_PACKET, type, htons(protocol)); a protocol hooks it at once. */
export function packet_create(net: Net, type: number, protocol: number): PacketSock | number {
  if (type !== SOCK_RAW && type !== SOCK_DGRAM) return -ESOCKTNOSUPPORT;
  const po = new PacketSock(net, type, protocol);
  if (protocol) register_prot_hook(po);
  return po;
}

/** packet_bind() → packet_do_bind(): a device (0: all) and a protocol (0: keep po->num). */
export function packet_bind(po: PacketSock, sll_ifindex: number, sll_protocol: number): number {
  const proto = sll_protocol || po.num;
  let dev: NetDevice | null = null;
  if (sll_ifindex) {
    dev = dev_get_by_index(po.net, sll_ifindex) ?? null;
    if (!dev) return -ENODEV;
  }
  unregister_prot_hook(po);
  po.num = proto;
  po.prot_hook.type = proto;
  po.prot_hook.dev = dev;
  po.ifindex = dev ? dev.ifindex : 0;
  if (proto === 0) return 0;
  if (!dev || dev.flags & IFF_UP) register_prot_hook(po);
  else po.err = ENETDOWN;
  return 0;
}

/** packet_dev_mc(): what a membership does to the device. */
function packet_dev_mc(dev: NetDevice, type: number, what: number): void {
  if (type === PACKET_MR_PROMISC) dev_set_promiscuity(dev, what);
  else if (type === PACKET_MR_ALLMULTI) dev_set_allmulti(dev, what);
}

function packet_mc_add(po: PacketSock, mreq: PacketMreq): number {
  const dev = dev_get_by_index(po.net, mreq.mr_ifindex);
  if (!dev) return -ENODEV;
  if (mreq.mr_type !== PACKET_MR_PROMISC && mreq.mr_type !== PACKET_MR_ALLMULTI && mreq.mr_type !== PACKET_MR_MULTICAST) return -EINVAL;
  const ml = po.mclist.find((m) => m.ifindex === mreq.mr_ifindex && m.type === mreq.mr_type);
  if (ml) {
    ml.count++;
    return 0;
  }
  po.mclist.push({ ifindex: mreq.mr_ifindex, type: mreq.mr_type, count: 1 });
  packet_dev_mc(dev, mreq.mr_type, 1);
  return 0;
}

function packet_mc_drop(po: PacketSock, mreq: PacketMreq): number {
  const i = po.mclist.findIndex((m) => m.ifindex === mreq.mr_ifindex && m.type === mreq.mr_type);
  if (i < 0) return -EINVAL;
  const ml = po.mclist[i] as PacketMclist;
  if (--ml.count === 0) {
    po.mclist.splice(i, 1);
    const dev = dev_get_by_index(po.net, ml.ifindex);
    if (dev) packet_dev_mc(dev, ml.type, -1);
  }
  return 0;
}

/** packet_flush_mclist(): at close, every membership undone. */
function packet_flush_mclist(po: PacketSock): void {
  for (const ml of po.mclist.splice(0)) {
    const dev = dev_get_by_index(po.net, ml.ifindex);
    if (dev) packet_dev_mc(dev, ml.type, -ml.count);
  }
}

export type PacketOptval = number | readonly SockFilter[] | PacketMreq | TpacketReq3 | null;

/** TPACKET_ALIGN(), and the sizes tpacket_rcv() lays a V3 frame out with. */
const TPACKET_ALIGN = (x: number): number => (x + 15) & ~15;
/** TPACKET3_HDRLEN: TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) + sizeof(struct sockaddr_ll) */
const TPACKET3_HDRLEN = 48 + 20;
/** BLK_PLUS_PRIV(0): the block descriptor in front of each block's frames. */
const BLK_HDR_LEN = 48;

/** packet_setsockopt() (SOL_PACKET) and the SOL_SOCKET options sock_setsockopt handles for it. */
export function packet_setsockopt(po: PacketSock, level: number, optname: number, val: PacketOptval): number {
  if (level === SOL_SOCKET) {
    switch (optname) {
      case SO_ATTACH_FILTER: {
        if (!Array.isArray(val)) return -EFAULT;
        const f = sk_filter_create(val as readonly SockFilter[]);
        if (!f) return -EINVAL;
        po.filter = f;
        return 0;
      }
      case SO_DETACH_FILTER:
        if (!po.filter) return -ENOENT;
        po.filter = null;
        return 0;
      case SO_RCVBUF:
      case SO_RCVBUFFORCE: {
        if (typeof val !== 'number') return -EINVAL;
        // sock_set_rcvbuf(): doubled for the bookkeeping overhead, capped by rmem_max unless forced
        const max = optname === SO_RCVBUF ? RMEM_MAX : 0x7fffffff;
        po.rcvbuf = Math.max(2304, Math.min(Math.max(val, 0), max) * 2);
        po.userlocks |= 2;
        return 0;
      }
    }
    return -ENOPROTOOPT;
  }
  if (level !== SOL_PACKET) return -ENOPROTOOPT;
  switch (optname) {
    case PACKET_ADD_MEMBERSHIP:
    case PACKET_DROP_MEMBERSHIP:
      if (val === null || typeof val !== 'object' || Array.isArray(val)) return -EINVAL;
      return optname === PACKET_ADD_MEMBERSHIP ? packet_mc_add(po, val as PacketMreq) : packet_mc_drop(po, val as PacketMreq);
    case PACKET_AUXDATA:
      if (typeof val !== 'number') return -EINVAL;
      po.auxdata = val !== 0;
      return 0;
    case PACKET_ORIGDEV:
      if (typeof val !== 'number') return -EINVAL;
      po.origdev = val !== 0;
      return 0;
    case PACKET_VERSION:
      if (typeof val !== 'number' || po.rxRing) return -EINVAL;
      if (val !== TPACKET_V1 && val !== TPACKET_V2 && val !== TPACKET_V3) return -EINVAL;
      po.tpVersion = val;
      return 0;
    case PACKET_RESERVE:
      if (typeof val !== 'number' || po.rxRing) return -EINVAL;
      po.tpReserve = val >>> 0;
      return 0;
    case PACKET_RX_RING: {
      // packet_set_ring(): only the sizes are kept; the frames live in a list
      if (val === null || typeof val !== 'object' || Array.isArray(val) || !('tp_block_size' in val)) return -EINVAL;
      const req = val as TpacketReq3;
      if (po.rxRing) return -EBUSY;
      if (req.tp_block_nr === 0) return 0;
      if (req.tp_block_size <= 0 || req.tp_block_size % 4096 !== 0 || req.tp_frame_size < TPACKET3_HDRLEN) return -EINVAL;
      po.rxRing = { blockSize: req.tp_block_size, blockNr: req.tp_block_nr, used: 0, frames: [] };
      return 0;
    }
    case PACKET_IGNORE_OUTGOING:
      if (typeof val !== 'number') return -EINVAL;
      if (val < 0 || val > 1) return -EINVAL;
      po.prot_hook.ignoreOutgoing = val === 1;
      return 0;
  }
  return -ENOPROTOOPT;
}

/** packet_getsockopt(): PACKET_STATISTICS reads and resets the counters, tp_packets including the drops. */
export function packet_getsockopt(po: PacketSock, level: number, optname: number): number | TpacketStats {
  if (level === SOL_SOCKET) {
    if (optname === SO_ERROR) {
      // sock_error(): read and clear
      const e = po.err;
      po.err = 0;
      return e;
    }
    if (optname === SO_RCVBUF) return po.rcvbuf;
    return -ENOPROTOOPT;
  }
  if (level !== SOL_PACKET) return -ENOPROTOOPT;
  switch (optname) {
    case PACKET_STATISTICS: {
      const drops = po.stats.tp_drops;
      const st = { tp_packets: po.stats.tp_packets + drops, tp_drops: drops };
      po.stats.tp_packets = 0;
      po.stats.tp_drops = 0;
      return st;
    }
    case PACKET_IGNORE_OUTGOING:
      return po.prot_hook.ignoreOutgoing ? 1 : 0;
    case PACKET_AUXDATA:
      return po.auxdata ? 1 : 0;
    case PACKET_ORIGDEV:
      return po.origdev ? 1 : 0;
  }
  return -ENOPROTOOPT;
}

/** dev_has_header(): devices with header_ops (an Ethernet-style link header). */
function dev_has_header(dev: NetDevice): boolean {
  return dev.hardHeaderLen > 0;
}

/**
 * packet_rcv(): the prot_hook's func. Takes ownership of skb (deliver_skb
 * handed this socket its own clone, or the original as the last handler).
 */
export function packet_rcv(po: PacketSock, skb: SkBuff, dev: NetDevice, _pt: PacketType, origDev: NetDevice): number {
  if (skb.pktType === PACKET_LOOPBACK || dev.net !== po.net || po.closed) {
    skb.release();
    return 0;
  }
  const mac = skb.macHeader >= 0 ? skb.macHeader : skb.data;
  if (dev_has_header(dev)) {
    if (po.type !== SOCK_DGRAM) skb.push(skb.data - mac);
    else {
      // The payload after the Ethernet header. A VLAN tag stays in front of
      // it, as libpcap puts back the tag the kernel reports in tp_vlan_tci.
      const at = mac + dev.hardHeaderLen;
      if (at > skb.tail) {
        skb.release();
        return 0;
      }
      if (at > skb.data) skb.pull(at - skb.data);
      else if (at < skb.data) skb.push(skb.data - at);
    }
  }
  let snaplen = skb.len;
  if (po.filter) {
    const res = bpf_prog_run_classic(po.filter, skb, po.net.kernel.sim.smp.cur);
    // drop_n_restore: not for this socket (consumed, as Linux's SKB_CONSUMED)
    if (res === 0) {
      skb.release();
      return 0;
    }
    if (snaplen > res) snaplen = res;
  }
  if (po.rxRing) return tpacket_rcv(po, skb, dev, origDev, mac, snaplen);
  if (po.rmemAlloc >= po.rcvbuf) {
    // drop_n_acct
    po.stats.tp_drops++;
    po.drops++;
    kfree_skb_reason(
      po.net,
      skb,
      SKB_DROP_REASON.PACKET_SOCK_ERROR,
      'packet_rcv',
      () => `the packet socket's receive buffer (${po.rcvbuf} bytes) is full`,
      po,
    );
    return 0;
  }
  const sll = packet_sll(po, skb, dev, origDev, mac);
  const origlen = skb.len;
  skb.trim(snaplen);
  const k = po.net.kernel;
  const truesize = skb.truesize();
  po.rmemAlloc += truesize;
  po.stats.tp_packets++;
  po.queue.push({ skb, sll, origlen, tstamp: k.sim.epochNs + k.now, truesize });
  // sk_data_ready(): readers sleeping in recvmsg, then O_ASYNC owners
  po.wq.wakeUp();
  po.fasync?.();
  return 0;
}

/** The sockaddr_ll packet_rcv and tpacket_rcv fill (dev_parse_header gives the source address). */
function packet_sll(po: PacketSock, skb: SkBuff, dev: NetDevice, origDev: NetDevice, mac: number): SockaddrLl {
  const h = skb.head;
  const hasAddr = mac + 12 <= skb.tail && dev_has_header(dev);
  return {
    sll_protocol:
      po.type === SOCK_DGRAM && hasAddr && mac + 14 <= skb.tail ? ((h[mac + 12] as number) << 8) | (h[mac + 13] as number) : skb.protocol,
    sll_ifindex: po.origdev ? origDev.ifindex : dev.ifindex,
    sll_hatype: dev.type,
    sll_pkttype: skb.pktType,
    sll_halen: hasAddr ? 6 : 0,
    sll_addr: hasAddr ? h.slice(mac + 6, mac + 12) : new Uint8Array(0),
  };
}

/**
 * tpacket_rcv() for a TPACKET_V3 ring: the frame is copied into the ring and
 * the skb consumed at once; no room left (the reader still holds the blocks)
 * drops it with PACKET_SOCK_ERROR and counts tp_drops. The blocks are
 * modelled as one pool of their bytes.
 */
function tpacket_rcv(po: PacketSock, skb: SkBuff, dev: NetDevice, origDev: NetDevice, mac: number, snaplen: number): number {
  const ring = po.rxRing as RxRing;
  // skb_network_offset(): the link header in front of the network header
  const maclen = po.type === SOCK_DGRAM ? 0 : dev.hardHeaderLen;
  const netoff = TPACKET_ALIGN(TPACKET3_HDRLEN + (maclen < 16 ? 16 : maclen)) + po.tpReserve;
  const macoff = po.type === SOCK_DGRAM ? netoff : netoff - maclen;
  const size = (macoff + snaplen + 7) & ~7;
  const room = ring.blockNr * (ring.blockSize - BLK_HDR_LEN);
  if (ring.used + size > room || macoff + snaplen > ring.blockSize - BLK_HDR_LEN) {
    po.stats.tp_drops++;
    po.drops++;
    kfree_skb_reason(po.net, skb, SKB_DROP_REASON.PACKET_SOCK_ERROR, 'tpacket_rcv', () => "the packet socket's ring is full", po);
    return 0;
  }
  const k = po.net.kernel;
  const frame: TpacketFrame = {
    tp_len: skb.len,
    tp_snaplen: snaplen,
    tstamp: k.sim.epochNs + k.now,
    tp_status: TP_STATUS_USER,
    tp_vlan_tci: 0,
    sll: packet_sll(po, skb, dev, origDev, mac),
    data: skb.head.slice(skb.data, skb.data + snaplen),
  };
  ring.used += size;
  ring.frames.push({ frame, size });
  po.stats.tp_packets++;
  // the copy is in the ring: the skb is done (consume_skb)
  skb.release();
  po.wq.wakeUp();
  po.fasync?.();
  return 0;
}

/** The reader takes the next frame of the RX ring and hands its room back (TP_STATUS_KERNEL); null when none. */
export function packet_ring_next(po: PacketSock): TpacketFrame | null {
  const ring = po.rxRing;
  const f = ring?.frames.shift();
  if (!ring || !f) return null;
  ring.used -= f.size;
  return f.frame;
}

/** What packet_recvmsg() hands back: the bytes, the sender's sockaddr_ll, the timestamp, PACKET_AUXDATA. */
export interface PacketMsg {
  data: Uint8Array;
  from: SockaddrLl;
  /** SO_TIMESTAMPNS: CLOCK_REALTIME ns. */
  tstamp: number;
  aux: TpacketAuxdata | null;
}

/** packet_recvmsg() without blocking (MSG_DONTWAIT): -EAGAIN when the queue is empty. */
export function packet_recvmsg(po: PacketSock): PacketMsg | number {
  const cb = po.queue.shift();
  if (!cb) return po.err ? -po.err : -EAGAIN;
  const skb = cb.skb;
  po.rmemAlloc -= cb.truesize;
  const data = skb.head.slice(skb.data, skb.tail);
  const vlan = false;
  const aux: TpacketAuxdata | null = po.auxdata
    ? {
        tp_status: TP_STATUS_USER | (vlan ? TP_STATUS_VLAN_VALID : 0),
        tp_len: cb.origlen,
        tp_snaplen: data.length,
        tp_mac: 0,
        tp_net: 0,
        tp_vlan_tci: 0,
        tp_vlan_tpid: 0,
      }
    : null;
  // skb_free_datagram(): the reader is done with it
  skb.release();
  return { data, from: cb.sll, tstamp: cb.tstamp, aux };
}

/** Where packet_snd() sends: msg_name's sockaddr_ll (a SOCK_DGRAM socket needs the destination's link address). */
export interface PacketDest {
  sll_ifindex: number;
  sll_protocol?: number;
  sll_halen?: number;
  sll_addr?: Uint8Array;
}

/**
 * packet_snd(): a frame as is (SOCK_RAW), or a payload behind the link
 * header dev_hard_header() builds for msg_name's address (SOCK_DGRAM), out of
 * the bound or addressed device; returns its length or -errno.
 */
export function packet_snd(po: PacketSock, data: Uint8Array, to?: PacketDest): number {
  const net = po.net;
  const ifindex = to ? to.sll_ifindex : po.ifindex;
  const dgram = po.type === SOCK_DGRAM;
  // a datagram socket takes the destination from msg_name only
  if (dgram && (!to?.sll_addr || (to.sll_halen ?? to.sll_addr.length) > to.sll_addr.length)) return -EINVAL;
  const dev = ifindex ? dev_get_by_index(net, ifindex) : undefined;
  if (!dev) return -ENXIO;
  if (!(dev.flags & IFF_UP)) return -ENETDOWN;
  if (po.type !== SOCK_RAW && !dgram) return -EINVAL;
  // the MTU plus the link header (SOCK_RAW's reserve); 4 more for a VLAN-tagged frame (packet_extra_vlan_len_allowed)
  const reserve = dgram ? 0 : dev.hardHeaderLen;
  if (data.length > dev.mtu + reserve) {
    const type = !dgram && data.length >= 14 ? ((data[12] as number) << 8) | (data[13] as number) : 0;
    if (data.length > dev.mtu + reserve + 4 || (type !== 0x8100 && type !== 0x88a8)) return -EMSGSIZE;
  }
  const skb = alloc_skb(dev.net.kernel, data.length, 32);
  skb.head.set(data, skb.put(data.length));
  skb.dev = dev;
  skb.pktOwner = po.prot_hook;
  const proto = to?.sll_protocol ?? po.num;
  if (dgram) {
    skb.networkHeader = skb.data;
    skb.protocol = proto;
    // dev_hard_header(skb, dev, proto, addr, NULL, len): the device's own address as the source
    if (dev_has_header(dev)) eth_header(skb, dev, proto, (to?.sll_addr ?? dev.broadcast).subarray(0, 6), null);
    else skb.resetMacHeader();
  } else {
    // packet_parse_headers(): ETH_P_ALL (or none) on a raw socket takes the frame's own ethertype
    skb.protocol = (proto === 0 || proto === ETH_P_ALL) && data.length >= 14 ? ((data[12] as number) << 8) | (data[13] as number) : proto;
    skb.resetMacHeader();
    skb.networkHeader = skb.data + dev.hardHeaderLen;
  }
  const rc = dev_queue_xmit(skb);
  // net_xmit_errno(): anything but NET_XMIT_SUCCESS/NET_XMIT_CN is -ENOBUFS
  if (rc < 0) return rc;
  if (rc > 0 && rc !== NET_XMIT_CN) return -ENOBUFS;
  return data.length;
}

/** packet_getname(): the bound device's type and address (none when unbound or gone). */
export function packet_getname(po: PacketSock): SockaddrLl {
  const dev = po.ifindex ? dev_get_by_index(po.net, po.ifindex) : undefined;
  return {
    sll_protocol: po.num,
    sll_ifindex: po.ifindex,
    sll_hatype: dev ? dev.type : 0,
    sll_pkttype: 0,
    sll_halen: dev ? dev.devAddr.length : 0,
    sll_addr: dev ? dev.devAddr.slice() : new Uint8Array(0),
  };
}

/** packet_release(): unhook, undo memberships, purge what was never read. */
export function packet_release(po: PacketSock): void {
  if (po.closed) return;
  po.closed = true;
  unregister_prot_hook(po);
  packet_flush_mclist(po);
  po.filter = null;
  po.rxRing = null;
  const left = po.queue.splice(0);
  po.rmemAlloc = 0;
  for (const cb of left) kfree_skb_reason(po.net, cb.skb, SKB_DROP_REASON.QUEUE_PURGE, 'skb_queue_purge_reason');
}
