// AF_PACKET sockets through the user API (src/kernel/uapi/packet.ts): what
// packet_rcv queues with its sockaddr_ll, SO_ATTACH_FILTER's snap length,
// PACKET_STATISTICS (reset on read), the receive buffer's drops,
// PACKET_IGNORE_OUTGOING, promiscuous membership undone at close, packet_snd.
import { describe, expect, it } from 'vitest';
import { EINVAL, ENETDOWN, ENXIO } from '../../../src/kernel/uapi/errno.ts';
import {
  ETH_P_ALL,
  PACKET_ADD_MEMBERSHIP,
  PACKET_AUXDATA,
  PACKET_HOST,
  PACKET_IGNORE_OUTGOING,
  PACKET_MR_PROMISC,
  PACKET_OUTGOING,
  PACKET_RX_RING,
  PACKET_STATISTICS,
  PACKET_VERSION,
  TPACKET_V3,
  type PacketMsg,
  type PacketSocket,
  packet_socket,
  packet_sys_bind,
  packet_sys_close,
  packet_sys_getsockopt,
  packet_sys_recvmsg,
  packet_sys_ring_next,
  packet_sys_sendto,
  packet_sys_setsockopt,
  SKF_AD_OFF,
  SKF_AD_PKTTYPE,
  SO_ATTACH_FILTER,
  SO_RCVBUF,
  SOCK_RAW,
  type SockFilter,
  SOL_PACKET,
  SOL_SOCKET,
} from '../../../src/kernel/uapi/packet.ts';
import { IFF_PROMISC, type Ifreq, ioctl, SIOCGIFFLAGS, SIOCGIFINDEX } from '../../../src/kernel/uapi/sockios.ts';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { ifinfomsg, type LinkMsg, RTM_GETLINK, rtnl_talk } from '../../../src/kernel/uapi/rtnetlink.ts';
import { run, twoHosts } from '../helpers.ts';

function ifindex(net: Net, name: string): number {
  const r: Ifreq = { ifr_name: name };
  expect(ioctl(net, SIOCGIFINDEX, r)).toBe(0);
  return r.ifr_ifindex as number;
}

function open(net: Net, dev: string): PacketSocket {
  const sk = packet_socket(net, SOCK_RAW, 0);
  if (typeof sk === 'number') throw new Error(String(sk));
  expect(packet_sys_bind(sk, { sll_ifindex: ifindex(net, dev), sll_protocol: ETH_P_ALL })).toBe(0);
  return sk;
}

function readAll(sk: PacketSocket): PacketMsg[] {
  const l: PacketMsg[] = [];
  for (;;) {
    const m = packet_sys_recvmsg(sk);
    if (typeof m === 'number') return l;
    l.push(m);
  }
}

const ins = (code: number, k: number, jt = 0, jf = 0): SockFilter => ({ code, jt, jf, k });
/** ldh [12]; jeq #0x800; ldb [23]; jeq #1; ret #snap; ret #0 */
const icmpOnly = (snap: number): SockFilter[] => [
  ins(0x28, 12),
  ins(0x15, 0x800, 0, 3),
  ins(0x30, 23),
  ins(0x15, 1, 0, 1),
  ins(0x06, snap),
  ins(0x06, 0),
];

describe('AF_PACKET', () => {
  it('queues each frame crossing the device with its sockaddr_ll; PACKET_STATISTICS counts and resets', () => {
    const { world, a, b } = twoHosts();
    const sk = open(b, 'vb');
    expect(run(world, a, ['ping', '-c', '1', '10.0.0.2']).status).toBe(0);
    const got = readAll(sk);
    // ARP request (broadcast in), ARP reply (out), echo request (in), echo reply (out)
    expect(got.map((m) => [m.from.sll_pkttype, m.from.sll_protocol])).toEqual([
      [1, 0x0806],
      [PACKET_OUTGOING, 0x0806],
      [PACKET_HOST, 0x0800],
      [PACKET_OUTGOING, 0x0800],
    ]);
    expect(got.every((m) => m.from.sll_ifindex === ifindex(b, 'vb'))).toBe(true);
    expect(Array.from(got[0]?.from.sll_addr ?? [])).toEqual([2, 0, 0, 0, 0, 0x0a]);
    expect(got[2]?.data.length).toBe(98);
    expect(packet_sys_getsockopt(sk, SOL_PACKET, PACKET_STATISTICS)).toEqual({ tp_packets: 4, tp_drops: 0 });
    expect(packet_sys_getsockopt(sk, SOL_PACKET, PACKET_STATISTICS)).toEqual({ tp_packets: 0, tp_drops: 0 });
    packet_sys_close(sk);
  });

  it('SO_ATTACH_FILTER runs in the kernel: its return value is the snap length; a bad program is EINVAL', () => {
    const { world, a, b } = twoHosts();
    const sk = open(b, 'vb');
    expect(packet_sys_setsockopt(sk, SOL_SOCKET, SO_ATTACH_FILTER, [ins(0x06, 0), ins(0x15, 0, 5, 5)])).toBe(-EINVAL);
    expect(packet_sys_setsockopt(sk, SOL_SOCKET, SO_ATTACH_FILTER, icmpOnly(34))).toBe(0);
    expect(packet_sys_setsockopt(sk, SOL_PACKET, PACKET_AUXDATA, 1)).toBe(0);
    run(world, a, ['ping', '-c', '1', '10.0.0.2']);
    const got = readAll(sk);
    expect(got.map((m) => [m.data.length, m.aux?.tp_len])).toEqual([
      [34, 98],
      [34, 98],
    ]);
    expect(packet_sys_getsockopt(sk, SOL_PACKET, PACKET_STATISTICS)).toEqual({ tp_packets: 2, tp_drops: 0 });
    packet_sys_close(sk);
  });

  it('SKF_AD_PKTTYPE and PACKET_IGNORE_OUTGOING leave the transmitted frames out', () => {
    const { world, a, b } = twoHosts();
    const outgoing = open(b, 'vb');
    // ld pkttype; jeq #OUTGOING → ret 0xffff, else ret 0
    packet_sys_setsockopt(outgoing, SOL_SOCKET, SO_ATTACH_FILTER, [
      ins(0x20, (SKF_AD_OFF + SKF_AD_PKTTYPE) >>> 0),
      ins(0x15, PACKET_OUTGOING, 0, 1),
      ins(0x06, 0xffff),
      ins(0x06, 0),
    ]);
    const incoming = open(b, 'vb');
    expect(packet_sys_setsockopt(incoming, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)).toBe(0);
    expect(packet_sys_getsockopt(incoming, SOL_PACKET, PACKET_IGNORE_OUTGOING)).toBe(1);
    run(world, a, ['ping', '-c', '1', '10.0.0.2']);
    expect(readAll(outgoing).map((m) => m.from.sll_pkttype)).toEqual([PACKET_OUTGOING, PACKET_OUTGOING]);
    expect(readAll(incoming).map((m) => m.from.sll_pkttype)).toEqual([1, PACKET_HOST]);
  });

  it('a full receive buffer drops with PACKET_SOCK_ERROR and counts tp_drops', () => {
    const { world, a, b } = twoHosts();
    const reasons: string[] = [];
    world.kernel.dropObservers.push((_n, _s, r, loc) => void reasons.push(`${r}@${loc}`));
    const sk = open(b, 'vb');
    expect(packet_sys_setsockopt(sk, SOL_SOCKET, SO_RCVBUF, 1)).toBe(0);
    run(world, a, ['ping', '-c', '4', '-i', '0.2', '10.0.0.2']);
    const read = readAll(sk).length;
    const st = packet_sys_getsockopt(sk, SOL_PACKET, PACKET_STATISTICS) as { tp_packets: number; tp_drops: number };
    // SO_RCVBUF's floor (SOCK_MIN_RCVBUF) holds what arrived first
    expect(read).toBeGreaterThan(0);
    expect(st.tp_drops).toBeGreaterThan(0);
    expect(st).toEqual({ tp_packets: 10, tp_drops: 10 - read });
    expect(reasons.filter((r) => r.endsWith('@packet_rcv')).length).toBe(10 - read);
  });

  it('PACKET_MR_PROMISC counts in dev->promiscuity until the socket closes; SIOCGIFFLAGS shows only the user flags', () => {
    const { b } = twoHosts();
    const flags = (): number => {
      const r: Ifreq = { ifr_name: 'vb' };
      ioctl(b, SIOCGIFFLAGS, r);
      return r.ifr_flags as number;
    };
    const promiscuity = (): number | undefined =>
      (rtnl_talk(b, { nlmsg_type: RTM_GETLINK, nlmsg_flags: 0, ifi: ifinfomsg(), attrs: { IFLA_IFNAME: 'vb' } }).msgs[0] as LinkMsg).attrs
        .IFLA_PROMISCUITY;
    const sk = open(b, 'vb');
    expect(packet_sys_setsockopt(sk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, { mr_ifindex: ifindex(b, 'vb'), mr_type: PACKET_MR_PROMISC })).toBe(
      0,
    );
    // dev_get_flags(): IFF_PROMISC comes from dev->gflags (what the user set), as tcpdump's never shows in ip link
    expect([flags() & IFF_PROMISC, promiscuity()]).toEqual([0, 1]);
    packet_sys_close(sk);
    expect([flags() & IFF_PROMISC, promiscuity()]).toEqual([0, 0]);
  });

  it('packet_snd: a frame out of the bound device; ENXIO unbound, ENETDOWN when down', () => {
    const { world, a, b } = twoHosts();
    const rx = open(b, 'vb');
    const tx = open(a, 'va');
    const frame = new Uint8Array(60);
    frame.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x88, 0xb5]);
    expect(packet_sys_sendto(tx, frame)).toBe(60);
    world.sim.runUntil(() => world.sim.events.peekTime() > world.sim.now + 1e9);
    const got = readAll(rx);
    expect(got.map((m) => [m.from.sll_pkttype, m.from.sll_protocol, m.data.length])).toEqual([[PACKET_HOST, 0x88b5, 60]]);
    // the sender never sees its own frame (skb_loop_sk)
    expect(readAll(tx)).toEqual([]);
    const unbound = packet_socket(a, SOCK_RAW, ETH_P_ALL) as PacketSocket;
    expect(packet_sys_sendto(unbound, frame)).toBe(-ENXIO);
    packet_sys_close(unbound);
    const down = packet_socket(a, SOCK_RAW, 0) as PacketSocket;
    a.devByName.get('va')!.flags &= ~1;
    expect(packet_sys_sendto(down, frame, { sll_ifindex: ifindex(a, 'va') })).toBe(-ENETDOWN);
  });

  it('a TPACKET_V3 ring holds copies until the reader hands them back; a full ring drops in tpacket_rcv', () => {
    const { world, a, b } = twoHosts();
    const reasons: string[] = [];
    world.kernel.dropObservers.push((_n, _s, _r, loc) => void reasons.push(loc));
    const sk = packet_socket(b, SOCK_RAW, 0) as PacketSocket;
    expect(packet_sys_setsockopt(sk, SOL_PACKET, PACKET_VERSION, TPACKET_V3)).toBe(0);
    // one 4 KiB block: room for 4048 bytes of frames at 96 + len rounded to 8 each
    expect(
      packet_sys_setsockopt(sk, SOL_PACKET, PACKET_RX_RING, {
        tp_block_size: 4096,
        tp_block_nr: 1,
        tp_frame_size: 4096,
        tp_frame_nr: 1,
        tp_retire_blk_tov: 1000,
      }),
    ).toBe(0);
    packet_sys_bind(sk, { sll_ifindex: ifindex(b, 'vb'), sll_protocol: ETH_P_ALL });
    run(world, a, ['ping', '-c', '20', '-i', '0.2', '10.0.0.2']);
    const frames: number[] = [];
    for (let f = packet_sys_ring_next(sk); f; f = packet_sys_ring_next(sk)) frames.push(f.tp_len);
    const st = packet_sys_getsockopt(sk, SOL_PACKET, PACKET_STATISTICS) as { tp_packets: number; tp_drops: number };
    expect(frames.slice(0, 3)).toEqual([42, 42, 98]);
    expect(st).toEqual({ tp_packets: 42, tp_drops: 42 - frames.length });
    expect(reasons.filter((r) => r === 'tpacket_rcv').length).toBe(42 - frames.length);
    expect(frames.length).toBeLessThan(42);
  });
});
