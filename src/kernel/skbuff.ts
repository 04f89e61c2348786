// struct sk_buff (include/linux/skbuff.h): one linear buffer with head/data/
// tail/end offsets, header offsets, and the metadata the stack reads.
import type { NetDevice } from './core/netdevice.ts';
import type { Rtable } from './ipv4/route.ts';
import type { Inet6SkbParm, Rt6Info } from './ipv6/route_types.ts';
import type { Sock } from './sock.ts';
import type { NfConn } from './netfilter/nf_conntrack.ts';
import type { Kernel } from './kernel.ts';
import type { IpOptions } from './ipv4/ip_options.ts';
import type { TcpCb } from './ipv4/tcp_input.ts';
import type { GroCb } from './core/gro.ts';
import type { NfBridgeInfo } from './bridge/br_netfilter.ts';
import type { RequestSock, TimewaitSock } from './ipv4/tcp.ts';

export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;
export const PACKET_LOOPBACK = 5;

export const CHECKSUM_NONE = 0;
export const CHECKSUM_UNNECESSARY = 1;
export const CHECKSUM_COMPLETE = 2;
export const CHECKSUM_PARTIAL = 3;

/** IPCB(skb)->flags */
export const IPSKB_FORWARDED = 1;
export const IPSKB_XFRM_TUNNEL_SIZE = 2;
export const IPSKB_XFRM_TRANSFORMED = 4;
export const IPSKB_FRAG_COMPLETE = 8;
export const IPSKB_REROUTED = 16;
export const IPSKB_DOREDIRECT = 32;

/** The kernel's skb numbering (skbaddr in traces): one per Kernel, so every run of a scenario prints the same addresses. */
export interface SkbIds {
  next: number;
}

/**
 * skb->cb[48]: the private control block of the layer that holds the skb,
 * one slot per layer where Linux overlays them (IPCB, TCP_SKB_CB,
 * NAPI_GRO_CB). skb_clone() and skb_copy() copy it (__copy_skb_header);
 * a layer that owns it from its entry on overwrites its slot there
 * (ip_rcv_core clears IPCB, tcp_v4_rcv fills TCP_SKB_CB, dev_gro_receive
 * initialises NAPI_GRO_CB).
 */
export interface SkbCb {
  /** IPCB(skb)->opt: the options ip_rcv_options compiled for a received skb. */
  ipOpt?: IpOptions;
  /** TCP_SKB_CB(skb) of an arriving segment. */
  tcp?: TcpCb;
  /** NAPI_GRO_CB(skb) */
  gro?: GroCb;
  /** qdisc_skb_cb(skb) / tc_skb_cb(skb): the length qdiscs account and the reason a qdisc drop gives (sched/sch_generic.ts). */
  qdisc?: QdiscSkbCb;
  /** IP6CB(skb): struct inet6_skb_parm of an IPv6 packet (ipv6/route_types.ts). */
  ip6?: Inet6SkbParm;
}

/** struct qdisc_skb_cb + tc_skb_cb's drop_reason; `why` explains a drop for `skbpath drops`. */
export interface QdiscSkbCb {
  pkt_len: number;
  drop_reason: number;
  why?: () => string;
}

/** The copy of cb that __copy_skb_header's memcpy makes: each slot by value. */
function skb_copy_cb(cb: SkbCb): SkbCb {
  const n: SkbCb = {};
  if (cb.ipOpt) n.ipOpt = { ...cb.ipOpt };
  if (cb.tcp) n.tcp = { ...cb.tcp };
  if (cb.gro) n.gro = { ...cb.gro };
  if (cb.qdisc) n.qdisc = { ...cb.qdisc };
  if (cb.ip6) n.ip6 = { ...cb.ip6 };
  return n;
}

/** The shared data area (skb_shared_info's buffer); clones point at the same one. */
export interface SkbData {
  buf: Uint8Array;
  /** dataref: number of skbs using this buffer. */
  users: number;
  /** skb_shinfo(skb)->frag_list: the fragments a reassembled IPv6 datagram holds (freed with the data). */
  frag_list?: SkBuff[];
}

export class SkBuff {
  /** Stable identity for traces (skbaddr). */
  id: number;
  /** The skb this one descends from by clone/copy (its own id when it is an original). */
  origin: number;
  shinfo: SkbData;
  data: number;
  tail: number;
  len: number;
  macHeader = -1;
  networkHeader = -1;
  transportHeader = -1;
  macLen = 0;
  protocol = 0;
  pktType = PACKET_HOST;
  dev: NetDevice | null = null;
  /** skb->skb_iif */
  skbIif = 0;
  sk: Sock | null = null;
  dst: Rtable | null = null;
  /** skb_dst() of an IPv6 packet: its rt6_info (ipv6/route_types.ts); IPv4 code reads `dst`. */
  dst6: Rt6Info | null = null;
  mark = 0;
  /** skb->nf_trace: `meta nftrace set 1` asks nf_tables to trace this packet. */
  nfTrace = false;
  priority = 0;
  ipSummed = CHECKSUM_NONE;
  ignoreDf = false;
  cloned = false;
  /** IPCB(skb): flags and frag_max_size */
  ipcbFlags = 0;
  fragMaxSize = 0;
  /** The AF_PACKET socket that sent it (dev_queue_xmit_nit never loops a frame back to it). */
  pktOwner: unknown = null;
  /** Timestamp (virtual ns) when it was received or sent. */
  tstamp = 0;
  /** skb_shinfo(skb)->gso_size and gso_segs: a TSO/GSO super-packet of that many MSS-sized segments. */
  gsoSize = 0;
  gsoSegs = 0;
  /** skb->_nfct: the connection (nf_conntrack) and its ctinfo; IP_CT_UNTRACKED with no connection for NOTRACK. */
  _nfct: NfConn | null = null;
  nfctinfo = 0;
  /** The zone of the conntrack template xt_CT attached (skb->_nfct of a template, nf_ct_zone_tmpl); 0 without one. */
  nfctZoneTmpl = 0;
  /** skb->nf_bridge (an skb extension): br_netfilter's state of a bridged frame. */
  nfBridge: NfBridgeInfo | null = null;
  /** skb->hash once skb_get_hash() computed it (a software hash, never 0); 0 when not computed. */
  hash = 0;
  /** skb->sk as early demux set it (inet_steal_sock takes it); skb_clone() does not keep it. */
  edemuxSk: Sock | RequestSock | TimewaitSock | null = null;
  /** skb->cb[] */
  cb: SkbCb = {};
  /** skb->tc_at_ingress: tc runs it at ingress (tcx_set_ingress). */
  /** skb->vlan_proto / vlan_tci with skb_vlan_tag_present(): the tag as metadata (8021q/vlan_core.ts). */
  vlanPresent = false;
  vlanProto = 0;
  vlanTci = 0;
  tcAtIngress = false;
  /** skb->redirected / skb->from_ingress: a mirred redirect sent it (skb_set_redirected). */
  tcRedirected = false;
  tcFromIngress = false;
  /** skb->tc_skip_classify: ifb re-injects it past tc (skb_skip_tc_classify). */
  tcSkipClassify = false;
  /** skb->tc_index */
  tcIndex = 0;
  /** tc_skb_cb(skb)->drop_reason: the reason a TC_ACT_SHOT frees it with. */
  tcDropReason = 0;
  /** The kernel's skb numbering, for the ids of clones and copies. */
  readonly ids: SkbIds;

  constructor(ids: SkbIds, size: number, headroom: number) {
    this.ids = ids;
    this.id = ids.next++;
    this.origin = this.id;
    this.shinfo = { buf: new Uint8Array(size + headroom), users: 1 };
    this.data = headroom;
    this.tail = headroom;
    this.len = 0;
  }

  get head(): Uint8Array {
    return this.shinfo.buf;
  }

  get end(): number {
    return this.shinfo.buf.length;
  }

  headroom(): number {
    return this.data;
  }

  tailroom(): number {
    return this.end - this.tail;
  }

  /** The bytes from data to tail, as a view. */
  bytes(): Uint8Array {
    return this.shinfo.buf.subarray(this.data, this.tail);
  }

  /** skb_put(): extends the data at the tail; returns the offset of the new area. */
  put(n: number): number {
    const at = this.tail;
    if (this.tail + n > this.end) this.grow(0, this.tail + n - this.end);
    this.tail += n;
    this.len += n;
    return at;
  }

  /** skb_push(): extends the data at the front; returns the new data offset. */
  push(n: number): number {
    if (this.data < n) this.grow(n - this.data + 16, 0);
    this.data -= n;
    this.len += n;
    return this.data;
  }

  /** skb_pull(): removes n bytes from the front; false when there are not that many. */
  pull(n: number): boolean {
    if (n > this.len) return false;
    this.data += n;
    this.len -= n;
    return true;
  }

  reserve(n: number): void {
    this.data += n;
    this.tail += n;
  }

  /** pskb_trim(): cuts the data to n bytes. */
  trim(n: number): void {
    if (n < this.len) {
      this.len = n;
      this.tail = this.data + n;
    }
  }

  /** pskb_may_pull(): at least n bytes of data. */
  mayPull(n: number): boolean {
    return n <= this.len;
  }

  resetMacHeader(): void {
    this.macHeader = this.data;
  }

  resetNetworkHeader(): void {
    this.networkHeader = this.data;
  }

  resetTransportHeader(): void {
    this.transportHeader = this.data;
  }

  /** skb_clone(): a new sk_buff sharing the data. */
  clone(): SkBuff {
    const n = Object.create(SkBuff.prototype) as SkBuff;
    Object.assign(n, this);
    n.id = this.ids.next++;
    n.sk = null;
    n.edemuxSk = null;
    n.cb = skb_copy_cb(this.cb);
    if (this.nfBridge) n.nfBridge = { ...this.nfBridge };
    n.shinfo.users++;
    n.cloned = true;
    this.cloned = true;
    return n;
  }

  /** skb_copy(): a private copy of header and data. */
  copy(): SkBuff {
    const n = Object.create(SkBuff.prototype) as SkBuff;
    Object.assign(n, this);
    n.id = this.ids.next++;
    n.sk = null;
    n.edemuxSk = null;
    n.cb = skb_copy_cb(this.cb);
    if (this.nfBridge) n.nfBridge = { ...this.nfBridge };
    n.shinfo = { buf: this.shinfo.buf.slice(), users: 1 };
    n.cloned = false;
    return n;
  }

  /** skb_cow()/skb_unshare(): makes the data private before writing to it. */
  unshare(): void {
    if (this.cloned && this.shinfo.users > 1) {
      this.shinfo.users--;
      this.shinfo = { buf: this.shinfo.buf.slice(), users: 1 };
    }
    this.cloned = false;
  }

  /** skb->truesize: what the skb charges to a socket's buffer. */
  truesize(): number {
    return this.shinfo.buf.length + 256;
  }

  /** Called when this skb is freed: drops its reference to the data. */
  release(): void {
    this.shinfo.users--;
  }

  private grow(front: number, back: number): void {
    const old = this.shinfo.buf;
    const buf = new Uint8Array(old.length + front + back);
    buf.set(old, front);
    if (this.cloned) this.shinfo.users--;
    this.shinfo = { buf, users: 1 };
    this.cloned = false;
    this.data += front;
    this.tail += front;
    if (this.macHeader >= 0) this.macHeader += front;
    if (this.networkHeader >= 0) this.networkHeader += front;
    if (this.transportHeader >= 0) this.transportHeader += front;
  }
}

/** alloc_skb() with LL_MAX_HEADER-style headroom reserved; k numbers it. */
export function alloc_skb(k: Kernel, size: number, headroom = 128): SkBuff {
  return new SkBuff(k.skbIds, size, headroom);
}
