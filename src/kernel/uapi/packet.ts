// The AF_PACKET user API: linux/if_packet.h, linux/if_ether.h's ETH_P_ALL,
// linux/filter.h's struct sock_filter, and the socket calls on a packet
// socket (net/packet/af_packet.c's packet_ops). Tools hold the socket as an
// opaque handle; what crosses is sockaddr_ll, tpacket_auxdata, tpacket_stats
// and errno. The generic socket entry (uapi/socket.ts) can dispatch
// socket(AF_PACKET, ...) and the other calls on a PacketSocket here.
import type { Net } from '../net_namespace.ts';
import type { WaitQueue } from '../../sim/sched.ts';
import type { SockaddrLl } from '../packet/af_packet.ts';
import type { SockFilter } from './filter.ts';
import {
  packet_bind,
  packet_create,
  packet_getname,
  packet_ring_next,
  packet_getsockopt,
  packet_recvmsg,
  packet_release,
  packet_setsockopt,
  packet_snd,
  type PacketDest,
  type PacketMreq,
  type PacketMsg,
  type PacketOptval,
  type TpacketReq3,
  type PacketSock,
  type TpacketFrame,
  type TpacketStats,
} from '../packet/af_packet.ts';

export {
  PACKET_ADD_MEMBERSHIP,
  PACKET_AUXDATA,
  PACKET_DROP_MEMBERSHIP,
  PACKET_IGNORE_OUTGOING,
  PACKET_MR_ALLMULTI,
  PACKET_MR_MULTICAST,
  PACKET_MR_PROMISC,
  PACKET_ORIGDEV,
  PACKET_RESERVE,
  PACKET_RX_RING,
  PACKET_STATISTICS,
  PACKET_VERSION,
  TPACKET_V1,
  TPACKET_V2,
  TPACKET_V3,
  SO_ATTACH_FILTER,
  SO_DETACH_FILTER,
  SO_ERROR,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SOL_PACKET,
  SOL_SOCKET,
  TP_STATUS_USER,
  TP_STATUS_VLAN_VALID,
} from '../packet/af_packet.ts';
export type {
  PacketDest,
  PacketMreq,
  PacketMsg,
  SockaddrLl,
  TpacketAuxdata,
  TpacketFrame,
  TpacketReq3,
  TpacketStats,
} from '../packet/af_packet.ts';
export type { SockFilter } from './filter.ts';
export {
  SKF_AD_OFF,
  SKF_AD_PROTOCOL,
  SKF_AD_PKTTYPE,
  SKF_AD_IFINDEX,
  SKF_AD_HATYPE,
  SKF_NET_OFF,
  SKF_LL_OFF,
  BPF_MAXINSNS,
} from './filter.ts';

export const AF_PACKET = 17;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
/** linux/if_ether.h */
export const ETH_P_ALL = 0x0003;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_HLEN = 14;
/** sll_pkttype (linux/if_packet.h) */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;
export const PACKET_LOOPBACK = 5;
/** linux/if_arp.h: sll_hatype */
export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;

/** A packet socket, held by the tool as it holds an fd. */
export type PacketSocket = PacketSock;

/** socket(AF_PACKET, type, htons(protocol)): the socket or -errno. */
export function packet_socket(net: Net, type: number, protocol: number): PacketSocket | number {
  return packet_create(net, type, protocol);
}

/** bind(fd, &sockaddr_ll{ sll_ifindex, sll_protocol }) */
export function packet_sys_bind(sk: PacketSocket, addr: { sll_ifindex: number; sll_protocol?: number }): number {
  return packet_bind(sk, addr.sll_ifindex, addr.sll_protocol ?? 0);
}

/** setsockopt(fd, SOL_PACKET | SOL_SOCKET, ...): an int, a struct packet_mreq, or a sock_fprog's instructions. */
export function packet_sys_setsockopt(
  sk: PacketSocket,
  level: number,
  optname: number,
  optval: number | readonly SockFilter[] | PacketMreq | TpacketReq3 | null,
): number {
  return packet_setsockopt(sk, level, optname, optval as PacketOptval);
}

/** getsockopt(fd, SOL_PACKET, PACKET_STATISTICS) gives tpacket_stats (and resets them); the others an int; -errno on error. */
export function packet_sys_getsockopt(sk: PacketSocket, level: number, optname: number): number | TpacketStats {
  return packet_getsockopt(sk, level, optname);
}

/** recvmsg(fd, MSG_DONTWAIT): the frame with its sockaddr_ll, timestamp and auxdata, or -EAGAIN. */
export function packet_sys_recvmsg(sk: PacketSocket): PacketMsg | number {
  return packet_recvmsg(sk);
}

/**
 * sendto(fd, buf, &sockaddr_ll?): bytes sent or -errno. A SOCK_RAW socket
 * sends a whole frame; a SOCK_DGRAM one the payload, to sll_addr.
 */
export function packet_sys_sendto(sk: PacketSocket, frame: Uint8Array, to?: PacketDest): number {
  return packet_snd(sk, frame, to);
}

/** getsockname(fd): the sockaddr_ll of the bound device (sll_hatype, sll_halen, sll_addr). */
export function packet_sys_getsockname(sk: PacketSocket): SockaddrLl {
  return packet_getname(sk);
}

/** poll(fd, POLLIN): whether a frame waits to be read (or an error). */
export function packet_sys_poll(sk: PacketSocket): boolean {
  return sk.queue.length > 0 || (sk.rxRing?.frames.length ?? 0) > 0 || sk.err !== 0;
}

/** The wait queue poll() sleeps on until a frame comes. */
export function packet_sys_poll_wait(sk: PacketSocket): WaitQueue {
  return sk.wq;
}

/** The next frame of the mmap'd TPACKET_V3 RX ring (PACKET_RX_RING), handed back to the kernel as it is read; null when none is ready. */
export function packet_sys_ring_next(sk: PacketSocket): TpacketFrame | null {
  return packet_ring_next(sk);
}

/** fcntl(fd, F_SETFL, O_ASYNC) with an owner: `notify` runs whenever the socket becomes readable (SIGIO). */
export function packet_sys_fasync(sk: PacketSocket, notify: (() => void) | null): void {
  sk.fasync = notify;
}

/** close(fd) */
export function packet_sys_close(sk: PacketSocket): void {
  packet_release(sk);
}
