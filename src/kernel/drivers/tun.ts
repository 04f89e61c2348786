// drivers/net/tun.c: TUN (IP packets, ARPHRD_NONE) and TAP (Ethernet frames)
// devices joined to the files of /dev/net/tun. A process opens the character
// device, names a device with TUNSETIFF (tun_set_iff: creates it, or attaches
// to a persistent one, carrier on), then read(2)s what the stack transmits
// (tun_net_xmit queues into the file's tx_ring, tun_do_read → tun_put_user)
// and write(2)s what the stack receives (tun_get_user → netif_receive_skb).
// With no file attached the carrier is off: the noop qdisc drops what is sent
// (tx_dropped), and what reaches tun_net_xmit anyway is DEV_READY.
import { WaitQueue } from '../../sim/sched.ts';
import { COST } from '../../sim/costs.ts';
import type { Net } from '../net_namespace.ts';
import { alloc_skb, type SkBuff } from '../skbuff.ts';
import { kprobe } from '../trace/probe.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { consume_skb, kfree_skb_reason } from '../core/skb_free.ts';
import { netif_receive_skb } from '../core/dev.ts';
import { vlan_tap_copy } from '../8021q/vlan_core.ts';
import { ETH_HLEN, eth_type_trans } from '../core/eth.ts';
import {
  IFF_BROADCAST,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_POINTOPOINT,
  IFF_UP,
  NET_XMIT_DROP,
  NETDEV_TX_OK,
  NetDevice,
  type NetDeviceOps,
} from '../core/netdevice.ts';
import {
  dev_alloc_name,
  eth_random_addr,
  type NetlinkExtAck,
  netif_carrier_set,
  register_netdevice,
  type RtnlLinkOps,
  unregister_netdevice,
} from '../core/rtnetlink.ts';
import { EBADFD, EBUSY, EEXIST, EINVAL, EIO, EOPNOTSUPP, EAGAIN } from '../uapi/errno.ts';
import type { IflaInfoData, LinkMsg } from '../uapi/rtnetlink.ts';

// include/uapi/linux/if_tun.h
export const TUN_READQ_SIZE = 500;
export const TUN_TYPE_MASK = 0x000f;
export const IFF_TUN = 0x0001;
export const IFF_TAP = 0x0002;
export const IFF_NAPI = 0x0010;
export const IFF_NAPI_FRAGS = 0x0020;
export const IFF_NO_CARRIER = 0x0040;
export const IFF_MULTI_QUEUE = 0x0100;
export const IFF_ATTACH_QUEUE = 0x0200;
export const IFF_DETACH_QUEUE = 0x0400;
export const IFF_PERSIST = 0x0800;
export const IFF_NO_PI = 0x1000;
export const IFF_NOFILTER = 0x1000;
export const IFF_ONE_QUEUE = 0x2000;
export const IFF_VNET_HDR = 0x4000;
export const IFF_TUN_EXCL = 0x8000;
/** TUN_FEATURES: the flags a TUNSETIFF sets on the device. */
export const TUN_FEATURES = IFF_NO_PI | IFF_ONE_QUEUE | IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_NAPI | IFF_NAPI_FRAGS;
/** ARPHRD_NONE: a TUN device's link type (no link-layer header). */
export const ARPHRD_NONE = 0xfffe;
/** TUN_PKT_STRIP: tun_pi.flags when the reader's buffer was too small. */
const TUN_PKT_STRIP = 0x0001;
const MIN_MTU = 68;
const MAX_MTU = 65535;
/** NET_IP_ALIGN + NET_SKB_PAD: the headroom tun_alloc_skb leaves. */
const TUN_HEADROOM = 66;

/** struct tun_struct: netdev_priv() of a tun/tap device. */
export interface TunStruct {
  readonly dev: NetDevice;
  /** IFF_TUN/IFF_TAP, TUN_FEATURES and IFF_PERSIST */
  flags: number;
  /** owner/group: -1 is INVALID_UID/INVALID_GID */
  owner: number;
  group: number;
  /** tun->tfiles[0 .. numqueues) */
  readonly tfiles: TunFile[];
}

/** struct tun_file: one open /dev/net/tun (its socket, tx_ring and wait queue). */
export class TunFile {
  tun: TunStruct | null = null;
  /** tfile->tx_ring (ptr_ring of dev->tx_queue_len slots) */
  readonly txRing: SkBuff[] = [];
  ringSize = 0;
  nonblock = false;
  /** tfile->socket.wq.wait: readers sleep here (sk_data_ready wakes them). */
  readonly wq = new WaitQueue(COST.wakeup, '/dev/net/tun');
  /** The fd table entry (/proc/PID/fd → /dev/net/tun, fdinfo "iff:"). */
  owner: { comm: string; pid: number; fd: number } | null = null;
  closed = false;

  /** tfile->sk's namespace: the opener's (current->nsproxy->net_ns). */
  constructor(readonly net: Net) {}
}

export function tunPriv(dev: NetDevice): TunStruct | null {
  return dev.ops === tunNetdevOps || dev.ops === tapNetdevOps ? (dev.priv as TunStruct) : null;
}

/**
 * tun_get(): the file's device, or null. A device unregistered under its
 * readers (`ip link del`) has had them detached (tun_net_uninit → tun_detach_all).
 */
function tun_get(tfile: TunFile): TunStruct | null {
  const tun = tfile.tun;
  if (tun && tun.dev.net.devByIndex.get(tun.dev.ifindex) !== tun.dev) {
    tfile.tun = null;
    tfile.txRing.length = 0;
    return null;
  }
  return tun;
}

/** netif_carrier_on/off(); linkwatch puts noop_qdisc in while it is off. */
function tun_carrier(dev: NetDevice, on: boolean): void {
  netif_carrier_set(dev, on);
  dev.qdiscDeactivated = !on;
}

/** tun_net_xmit(): into the attached file's tx_ring, the reader woken; a drop without one. */
function tun_net_xmit(skb: SkBuff, dev: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'tun_net_xmit');
  const tun = dev.priv as TunStruct;
  const tfile = tun.tfiles[0];
  let reason: number = SKB_DROP_REASON.DEV_READY;
  if (tfile) {
    if (tfile.txRing.length < tfile.ringSize) {
      // skb_orphan(); nf_reset_ct(); ptr_ring_produce()
      skb.sk = null;
      tfile.txRing.push(skb);
      tfile.wq.wakeUp();
      return NETDEV_TX_OK;
    }
    reason = SKB_DROP_REASON.FULL_RING;
  }
  // dev_core_stats_tx_dropped_inc()
  dev.stats.tx_dropped++;
  kfree_skb_reason(net, skb, reason, 'tun_net_xmit', () => (tfile ? `the tx_ring of ${dev.name} is full` : `no process holds ${dev.name}`));
  return NET_XMIT_DROP;
}

/** sysfs tun_attr_group: tun_flags, owner, group. */
const tun_sysfs_attrs: Readonly<Record<string, (dev: NetDevice) => string>> = {
  tun_flags: (d) => `0x${tun_flags(d.priv as TunStruct).toString(16)}\n`,
  owner: (d) => `${(d.priv as TunStruct).owner}\n`,
  group: (d) => `${(d.priv as TunStruct).group}\n`,
};

export const tunNetdevOps: Readonly<NetDeviceOps> = {
  kind: 'tun',
  ndo_start_xmit: tun_net_xmit,
  ndo_offloads: () => ({ tso: true, csum: true }),
  // NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX (tun_put_user writes the tag out)
  vlan_tx_offload: true,
  sysfs_attrs: tun_sysfs_attrs,
};

export const tapNetdevOps: Readonly<NetDeviceOps> = {
  kind: 'tun',
  ndo_start_xmit: tun_net_xmit,
  ndo_offloads: () => ({ tso: true, csum: true }),
  // NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX (tun_put_user writes the tag out)
  vlan_tx_offload: true,
  sysfs_attrs: tun_sysfs_attrs,
};

/** tun_setup() + tun_net_initialize(): a TUN is point-to-point without a link header, a TAP an Ethernet device. */
function tun_alloc(net: Net, name: string, type: number): NetDevice {
  const tap = type === IFF_TAP;
  const d = new NetDevice(name, tap ? tapNetdevOps : tunNetdevOps);
  d.noQueue = false;
  d.carrier = true;
  if (tap) {
    // ether_setup(); eth_hw_addr_random()
    d.flags = IFF_BROADCAST | IFF_MULTICAST;
    d.txQueueLen = 1000;
    d.devAddr.set(eth_random_addr(net));
  } else {
    d.flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
    d.type = ARPHRD_NONE;
    d.hardHeaderLen = 0;
    d.addrLen = 0;
    d.txQueueLen = TUN_READQ_SIZE;
  }
  d.tsoMaxSize = 65536; // GSO_MAX_SIZE: tun leaves the default
  d.mtu = 1500;
  d.minMtu = MIN_MTU;
  d.maxMtu = MAX_MTU - d.hardHeaderLen;
  d.priv = { dev: d, flags: type, owner: -1, group: -1, tfiles: [] } satisfies TunStruct;
  return d;
}

/** tun_attach(): the file becomes the device's queue. */
function tun_attach(tun: TunStruct, tfile: TunFile): number {
  if (tfile.tun) return -EINVAL;
  if (!(tun.flags & IFF_MULTI_QUEUE) && tun.tfiles.length === 1) return -EBUSY;
  tfile.ringSize = tun.dev.txQueueLen;
  tun.tfiles.push(tfile);
  tfile.tun = tun;
  return 0;
}

/** __tun_detach(): the queue goes (its frames purged); the last one takes the carrier, and a device that is not persistent. */
function tun_detach(tfile: TunFile): void {
  const tun = tfile.tun;
  tfile.tun = null;
  if (!tun) return;
  const at = tun.tfiles.indexOf(tfile);
  if (at >= 0) tun.tfiles.splice(at, 1);
  const dev = tun.dev;
  // tun_queue_purge()
  for (const skb of tfile.txRing.splice(0)) kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.QUEUE_PURGE, 'tun_queue_purge');
  if (tun.tfiles.length === 0) {
    tun_carrier(dev, false);
    if (!(tun.flags & IFF_PERSIST) && dev.net.devByIndex.get(dev.ifindex) === dev) unregister_netdevice(dev);
  }
}

/** tun_set_iff(): attach to the named device, or create one (tun%d / tap%d). */
function tun_set_iff(tfile: TunFile, ifr: { name: string; flags: number }): number {
  const net = tfile.net;
  const f = ifr.flags;
  if (f & IFF_NAPI_FRAGS && (!(f & IFF_NAPI) || (f & TUN_TYPE_MASK) !== IFF_TAP)) return -EINVAL;
  const dev = ifr.name ? net.devByName.get(ifr.name) : undefined;
  let tun: TunStruct;
  if (dev) {
    if (f & IFF_TUN_EXCL) return -EBUSY;
    const t = tunPriv(dev);
    if (!t) return -EINVAL;
    if (f & IFF_TUN && dev.ops !== tunNetdevOps) return -EINVAL;
    if (f & IFF_TAP && dev.ops !== tapNetdevOps) return -EINVAL;
    if (!(f & (IFF_TUN | IFF_TAP))) return -EINVAL;
    if (!!(f & IFF_MULTI_QUEUE) !== !!(t.flags & IFF_MULTI_QUEUE)) return -EINVAL;
    const err = tun_attach(t, tfile);
    if (err) return err;
    tun = t;
    if (!(t.flags & IFF_MULTI_QUEUE && t.tfiles.length > 1)) t.flags = (t.flags & ~TUN_FEATURES) | (f & TUN_FEATURES);
  } else {
    let type: number;
    let pattern: string;
    if (f & IFF_TUN) {
      type = IFF_TUN;
      pattern = 'tun%d';
    } else if (f & IFF_TAP) {
      type = IFF_TAP;
      pattern = 'tap%d';
    } else return -EINVAL;
    const name = ifr.name || pattern;
    const d = tun_alloc(net, name.includes('%d') ? dev_alloc_name(net, name) : name, type);
    tun = d.priv as TunStruct;
    // tun_net_init()
    tun.flags = (tun.flags & ~TUN_FEATURES) | (f & TUN_FEATURES);
    const err = tun_attach(tun, tfile);
    if (err) return err;
    const rerr = register_netdevice(net, d);
    if (rerr) {
      tfile.tun = null;
      return rerr;
    }
    // register_netdevice() → ndo_init: rtnl_link_ops names "tun"
  }
  tun_carrier(tun.dev, !(f & IFF_NO_CARRIER));
  ifr.name = tun.dev.name;
  return 0;
}

/** The ioctls of /dev/net/tun skbpath has (__tun_chr_ioctl). */
export type TunIoctl =
  | { cmd: 'TUNSETIFF'; ifr: { name: string; flags: number } }
  | { cmd: 'TUNGETIFF'; ifr: { name: string; flags: number } }
  | { cmd: 'TUNSETPERSIST' | 'TUNSETOWNER' | 'TUNSETGROUP' | 'TUNSETCARRIER'; arg: number }
  | { cmd: 'TUNGETFEATURES'; out: { flags: number } };

/** __tun_chr_ioctl(): 0 or -errno. */
export function tun_chr_ioctl(tfile: TunFile, req: TunIoctl): number {
  if (req.cmd === 'TUNGETFEATURES') {
    req.out.flags = IFF_TUN | IFF_TAP | IFF_NO_CARRIER | TUN_FEATURES;
    return 0;
  }
  const tun = tun_get(tfile);
  if (req.cmd === 'TUNSETIFF') {
    if (tun) return -EEXIST;
    req.ifr.name = req.ifr.name.slice(0, 15);
    return tun_set_iff(tfile, req.ifr);
  }
  if (!tun) return -EBADFD;
  switch (req.cmd) {
    case 'TUNGETIFF':
      req.ifr.name = tun.dev.name;
      // tun_get_iff(): tun_flags(); IFF_NOFILTER without a socket filter
      req.ifr.flags = tun_flags(tun) | IFF_NOFILTER;
      return 0;
    case 'TUNSETPERSIST':
      if (req.arg) tun.flags |= IFF_PERSIST;
      else tun.flags &= ~IFF_PERSIST;
      return 0;
    case 'TUNSETOWNER':
      if (req.arg < 0 || req.arg === 0xffffffff) return -EINVAL;
      tun.owner = req.arg;
      return 0;
    case 'TUNSETGROUP':
      if (req.arg < 0 || req.arg === 0xffffffff) return -EINVAL;
      tun.group = req.arg;
      return 0;
    case 'TUNSETCARRIER':
      tun_carrier(tun.dev, req.arg !== 0);
      return 0;
  }
  return -EINVAL;
}

/** tun_flags(): what /sys/class/net/DEV/tun_flags shows. */
export function tun_flags(tun: TunStruct): number {
  return tun.flags & (TUN_FEATURES | IFF_PERSIST | IFF_TUN | IFF_TAP);
}

/** tun_do_read() → tun_ring_recv() + tun_put_user(): one frame (tun_pi first without IFF_NO_PI), or -errno. */
export function tun_chr_read(tfile: TunFile, len: number): Uint8Array | number {
  const tun = tun_get(tfile);
  if (!tun) return -EBADFD;
  if (len === 0) return 0;
  const skb = tfile.txRing.shift();
  if (!skb) return -EAGAIN;
  const dev = tun.dev;
  kprobe(dev.net, skb, 'tun_put_user');
  const pi = !(tun.flags & IFF_NO_PI);
  // a tag kept as metadata goes out in the frame (struct veth after the addresses)
  const vlanHlen = skb.vlanPresent ? 4 : 0;
  const body = vlanHlen ? vlan_tap_copy(skb).bytes() : skb.bytes();
  const total = body.length + (pi ? 4 : 0);
  if (pi && len < 4) {
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'tun_do_read');
    return -EINVAL;
  }
  const out = new Uint8Array(Math.min(total, len));
  let at = 0;
  if (pi) {
    const flags = len < total ? TUN_PKT_STRIP : 0;
    out.set([flags >> 8, flags & 0xff, skb.protocol >> 8, skb.protocol & 0xff]);
    at = 4;
  }
  out.set(body.subarray(0, out.length - at), at);
  // dev_sw_netstats_tx_add()
  dev.stats.tx_packets++;
  dev.stats.tx_bytes += skb.len + vlanHlen;
  consume_skb(dev.net, skb, 'tun_do_read');
  return out;
}

/** tun_get_user(): a frame written by the process enters the stack as received on the device. */
export function tun_chr_write(tfile: TunFile, data: Uint8Array): number {
  const tun = tun_get(tfile);
  if (!tun) return -EBADFD;
  const dev = tun.dev;
  const net = dev.net;
  const total = data.length;
  let off = 0;
  let proto = 0x0800; // tun_pi { 0, ETH_P_IP }
  if (!(tun.flags & IFF_NO_PI)) {
    if (total < 4) return -EINVAL;
    proto = ((data[2] as number) << 8) | (data[3] as number);
    off = 4;
  }
  const len = total - off;
  const tap = (tun.flags & TUN_TYPE_MASK) === IFF_TAP;
  if (tap && len < ETH_HLEN) return -EINVAL;
  // tun_alloc_skb(): NET_SKB_PAD + NET_IP_ALIGN of headroom
  const skb = alloc_skb(net.kernel, len, TUN_HEADROOM);
  skb.origin = net.kernel.skbIds.next++;
  skb.dev = dev;
  const at = skb.put(len);
  skb.head.set(data.subarray(off), at);
  kprobe(net, skb, 'tun_get_user');
  if (tap) skb.protocol = eth_type_trans(skb, dev);
  else {
    if (!(tun.flags & IFF_NO_PI)) skb.protocol = proto;
    else {
      const v = len ? (data[off] as number) >> 4 : 0;
      if (v !== 4 && v !== 6) {
        dev.stats.rx_dropped++;
        kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'tun_get_user', () => `IP version ${v}`);
        return -EINVAL;
      }
      skb.protocol = v === 4 ? 0x0800 : 0x86dd;
    }
    skb.resetMacHeader();
  }
  skb.resetNetworkHeader();
  if (!(dev.flags & IFF_UP)) {
    dev.stats.rx_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.DEV_READY, 'tun_get_user', () => `${dev.name} is down`);
    return -EIO;
  }
  // tun_rx_batched() without batching: netif_receive_skb() with BH off
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  netif_receive_skb(skb);
  cpu.localBhEnable();
  // dev_sw_netstats_rx_add()
  dev.stats.rx_packets++;
  dev.stats.rx_bytes += len;
  return total;
}

/** tun_chr_poll(): POLLIN with a frame queued; always writable. */
export function tun_chr_poll(tfile: TunFile): number {
  if (!tun_get(tfile)) return 0x8; // EPOLLERR
  return (tfile.txRing.length ? 0x1 | 0x40 : 0) | 0x4 | 0x100;
}

/** tun_chr_close() → tun_detach(tfile, true) */
export function tun_chr_close(tfile: TunFile): void {
  if (tfile.closed) return;
  tfile.closed = true;
  tun_get(tfile);
  tun_detach(tfile);
  const net = tfile.net;
  const files = net.kernel.tunFiles;
  const at = files.indexOf(tfile);
  if (at >= 0) files.splice(at, 1);
}

/** tun_chr_open(): a file of the opener's namespace, not yet attached. */
export function tun_chr_open(net: Net, owner: TunFile['owner']): TunFile {
  const f = new TunFile(net);
  f.owner = owner;
  net.kernel.tunFiles.push(f);
  return f;
}

/** tun_chr_show_fdinfo(): "iff:\tNAME" of every open file, for /proc/PID/fdinfo. */
export function tun_fdinfo(net: Net): { comm: string; pid: number; fd: number; iff: string }[] {
  return net.kernel.tunFiles
    .filter((f) => f.owner)
    .map((f) => ({ ...(f.owner as NonNullable<TunFile['owner']>), iff: f.tun ? f.tun.dev.name : '' }));
}

/** tun_fill_info(): IFLA_TUN_* */
function tun_fill_info(dev: NetDevice): IflaInfoData {
  const tun = dev.priv as TunStruct;
  const d: IflaInfoData = { IFLA_TUN_TYPE: tun.flags & TUN_TYPE_MASK };
  if (tun.owner !== -1) d.IFLA_TUN_OWNER = tun.owner;
  if (tun.group !== -1) d.IFLA_TUN_GROUP = tun.group;
  d.IFLA_TUN_PI = tun.flags & IFF_NO_PI ? 0 : 1;
  d.IFLA_TUN_VNET_HDR = tun.flags & IFF_VNET_HDR ? 1 : 0;
  d.IFLA_TUN_PERSIST = tun.flags & IFF_PERSIST ? 1 : 0;
  d.IFLA_TUN_MULTI_QUEUE = tun.flags & IFF_MULTI_QUEUE ? 1 : 0;
  if (tun.flags & IFF_MULTI_QUEUE) {
    d.IFLA_TUN_NUM_QUEUES = tun.tfiles.length;
    d.IFLA_TUN_NUM_DISABLED_QUEUES = 0;
  }
  return d;
}

/** tun_validate(): tun/tap devices are made through /dev/net/tun only. */
function tun_newlink(_net: Net, _req: LinkMsg, extack: NetlinkExtAck): number {
  extack.msg = 'tun/tap creation via rtnetlink is not supported.';
  return -EOPNOTSUPP;
}

/** tun_link_ops: deletion and dumps through rtnetlink. */
export const tun_link_ops: Readonly<RtnlLinkOps> = {
  kind: 'tun',
  newlink: tun_newlink,
  fill_info: tun_fill_info,
};
