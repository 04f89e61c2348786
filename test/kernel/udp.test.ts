// UDP receive (__udp4_lib_rcv) and send errors: checksums, lengths, closed
// ports, full receive buffers, and the port unreachable a connected socket
// then reports as ECONNREFUSED.
import { describe, expect, it } from 'vitest';
import { __netif_rx } from '../../src/kernel/core/dev.ts';
import { eth_type_trans } from '../../src/kernel/core/eth.ts';
import type { NetDevice } from '../../src/kernel/core/netdevice.ts';
import type { Net } from '../../src/kernel/net_namespace.ts';
import { alloc_skb, type SkBuff } from '../../src/kernel/skbuff.ts';
import { sys_bind, sys_connect, sys_read, sys_send, sys_socket, sock_poll, POLLERR } from '../../src/kernel/socket.ts';
import { SOCK_DGRAM, type Sock } from '../../src/kernel/sock.ts';
import { dropReasonName } from '../../src/kernel/trace/dropreason.ts';
import { twoHosts } from './helpers.ts';

const A = 0x0a000001;
const B = 0x0a000002;

function sum16(b: Uint8Array, s0 = 0): number {
  let s = s0;
  for (let i = 0; i + 1 < b.length; i += 2) s += ((b[i] as number) << 8) | (b[i + 1] as number);
  if (b.length & 1) s += (b[b.length - 1] as number) << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** A frame from 10.0.0.1:5000 to 10.0.0.2:`dport`. */
function udpFrame(dport: number, payload: Uint8Array, o: { badCsum?: boolean; ulen?: number; zeroCsum?: boolean } = {}): Uint8Array {
  const u = new Uint8Array(8 + payload.length);
  const dv = new DataView(u.buffer);
  dv.setUint16(0, 5000);
  dv.setUint16(2, dport);
  dv.setUint16(4, o.ulen ?? u.length);
  u.set(payload, 8);
  const pseudo = (A >>> 16) + (A & 0xffff) + (B >>> 16) + (B & 0xffff) + 17 + u.length;
  let c = ~sum16(u, pseudo) & 0xffff;
  if (c === 0) c = 0xffff;
  if (o.badCsum) c ^= 0x1111;
  if (o.zeroCsum) c = 0;
  dv.setUint16(6, c);
  const f = new Uint8Array(34 + u.length);
  f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00]);
  const h = f.subarray(14, 34);
  h.set([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  h[2] = (20 + u.length) >> 8;
  h[3] = (20 + u.length) & 0xff;
  const hc = ~sum16(h) & 0xffff;
  h[10] = hc >> 8;
  h[11] = hc & 0xff;
  f.set(u, 34);
  return f;
}

function setup(): {
  world: ReturnType<typeof twoHosts>['world'];
  a: Net;
  b: Net;
  drops: string[];
  icmp: number[];
  inject: (f: Uint8Array) => void;
} {
  const { world, a, b } = twoHosts();
  const vb = b.devByName.get('vb') as NetDevice;
  const drops: string[] = [];
  world.kernel.dropObservers.push((net, _skb, reason, location) => {
    if (net === b) drops.push(`${dropReasonName(reason)}@${location}`);
  });
  const icmp: number[] = [];
  b.ptypeAll.push({
    type: 3,
    dev: vb,
    func(skb: SkBuff): number {
      const p = skb.head;
      if (skb.pktType === 4 && p[skb.data + 12] === 8 && p[skb.data + 14 + 9] === 1)
        icmp.push(((p[skb.data + 34] as number) << 8) | (p[skb.data + 35] as number));
      skb.release();
      return 0;
    },
  });
  const inject = (f: Uint8Array): void => {
    const skb = alloc_skb(world.kernel, f.length, 64);
    skb.head.set(f, skb.put(f.length));
    skb.protocol = eth_type_trans(skb, vb);
    __netif_rx(skb);
    world.sim.cpu.runPendingSoftirqs();
    world.sim.runUntil(() => world.sim.events.peekTime() > world.sim.now + 1e9);
  };
  return { world, a, b, drops, icmp, inject };
}

describe('__udp4_lib_rcv', () => {
  it('a closed port answers port unreachable, counts UdpNoPorts and drops NO_SOCKET', () => {
    const { b, drops, icmp, inject } = setup();
    inject(udpFrame(9999, new Uint8Array([1, 2, 3])));
    expect(drops).toEqual(['NO_SOCKET@__udp4_lib_rcv']);
    expect(b.mib.get('UdpNoPorts')).toBe(1);
    expect(icmp).toEqual([0x0303]);
  });

  it('a bad checksum is UDP_CSUM with UdpInCsumErrors and UdpInErrors, and no ICMP', () => {
    const { b, drops, icmp, inject } = setup();
    inject(udpFrame(9999, new Uint8Array([1, 2, 3]), { badCsum: true }));
    expect(drops).toEqual(['UDP_CSUM@__udp4_lib_rcv']);
    expect(b.mib.get('UdpInCsumErrors')).toBe(1);
    expect(b.mib.get('UdpInErrors')).toBe(1);
    expect(b.mib.get('UdpNoPorts')).toBe(0);
    expect(icmp).toEqual([]);
  });

  it('a zero checksum is not checked', () => {
    const { b, inject } = setup();
    const s = sys_socket(b, SOCK_DGRAM, 0) as Sock;
    expect(sys_bind(s, B, 7000)).toBe(0);
    inject(udpFrame(7000, new Uint8Array([9]), { zeroCsum: true }));
    const r = sys_read(s, 100);
    expect(typeof r === 'number' ? r : [...r.data]).toEqual([9]);
    expect(b.mib.get('UdpInDatagrams')).toBe(1);
  });

  it('a length field past the datagram is PKT_TOO_SMALL and UdpInErrors', () => {
    const { b, drops, inject } = setup();
    inject(udpFrame(9999, new Uint8Array(4), { ulen: 40 }));
    expect(drops).toEqual(['PKT_TOO_SMALL@__udp4_lib_rcv']);
    expect(b.mib.get('UdpInErrors')).toBe(1);
  });

  it('UdpInDatagrams counts reads, not arrivals; a peek does not count', () => {
    const { b, inject } = setup();
    const s = sys_socket(b, SOCK_DGRAM, 0) as Sock;
    sys_bind(s, 0, 7000);
    inject(udpFrame(7000, new TextEncoder().encode('hi')));
    expect(b.mib.get('UdpInDatagrams')).toBe(0);
    const p = sys_read(s, 100, true);
    expect(typeof p === 'number' ? p : p.from).toEqual({ addr: A, port: 5000 });
    expect(b.mib.get('UdpInDatagrams')).toBe(0);
    sys_read(s, 100);
    expect(b.mib.get('UdpInDatagrams')).toBe(1);
    expect(sys_read(s, 100)).toBe(-11);
  });

  it('a full receive buffer drops SOCKET_RCVBUFF with UdpRcvbufErrors and UdpInErrors', () => {
    const { b, drops, inject } = setup();
    const s = sys_socket(b, SOCK_DGRAM, 0) as Sock;
    sys_bind(s, 0, 7000);
    s.rcvbuf = 1000;
    // the first always fits a small buffer; the second finds it over the limit
    inject(udpFrame(7000, new Uint8Array(1000)));
    inject(udpFrame(7000, new Uint8Array(1000)));
    expect(drops).toEqual(['SOCKET_RCVBUFF@udp_queue_rcv_one_skb']);
    expect(b.mib.get('UdpRcvbufErrors')).toBe(1);
    expect(b.mib.get('UdpInErrors')).toBe(1);
  });
});

describe('a connected UDP socket and port unreachable', () => {
  it('the error is reported by the next send (ECONNREFUSED, IpOutDiscards), once', () => {
    const { world, a } = twoHosts();
    const s = sys_socket(a, SOCK_DGRAM, 0) as Sock;
    expect(sys_connect(s, B, 9999)).toBe(0);
    expect(sys_send(s, new Uint8Array([0x58]))).toBe(1);
    world.sim.runUntil(() => world.sim.events.peekTime() > world.sim.now + 5e9);
    expect(a.mib.get('IcmpInDestUnreachs')).toBe(1);
    expect(sock_poll(s) & POLLERR).toBe(POLLERR);
    expect(sys_send(s, new Uint8Array([0x58]))).toBe(-111);
    expect(a.mib.get('IpOutDiscards')).toBe(1);
    expect(sys_send(s, new Uint8Array([0x58]))).toBe(1);
  });
});
