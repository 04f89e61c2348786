// TCP receive path against bad and unexpected segments: each is dropped with
// the reason and counters Linux 6.18 uses, and answered (RST, duplicate or
// challenge ACK) or not as tcp_v4_rcv, tcp_rcv_state_process and
// tcp_validate_incoming decide.
import { describe, expect, it } from 'vitest';
import { __netif_rx } from '../../src/kernel/core/dev.ts';
import { eth_type_trans } from '../../src/kernel/core/eth.ts';
import { NUD_PERMANENT } from '../../src/kernel/core/neighbour.ts';
import { dev_close } from '../../src/kernel/core/rtnetlink.ts';
import type { NetDevice } from '../../src/kernel/core/netdevice.ts';
import type { Net } from '../../src/kernel/net_namespace.ts';
import { alloc_skb, type SkBuff } from '../../src/kernel/skbuff.ts';
import {
  sys_accept,
  sys_bind,
  sys_close,
  sys_connect,
  sys_listen,
  sys_read,
  sys_send,
  sys_socket,
  TcpSock,
} from '../../src/kernel/socket.ts';
import { SOCK_STREAM } from '../../src/kernel/sock.ts';
import { dropReasonName } from '../../src/kernel/trace/dropreason.ts';
import { TCP_CLOSE, TCP_ESTABLISHED } from '../../src/kernel/ipv4/tcp.ts';
import { twoHosts } from './helpers.ts';

const A = 0x0a000001;
const B = 0x0a000002;
const F = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 } as const;

interface Seg {
  sport?: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  win?: number;
  data?: Uint8Array;
  /** Header length in bytes as the doff field says it (default 20). */
  doff?: number;
  /** Corrupt the checksum. */
  badCsum?: boolean;
  /** Bytes of TCP header actually present (default doff or 20). */
  options?: Uint8Array;
}

function sum16(b: Uint8Array, s0 = 0): number {
  let s = s0;
  for (let i = 0; i + 1 < b.length; i += 2) s += ((b[i] as number) << 8) | (b[i + 1] as number);
  if (b.length & 1) s += (b[b.length - 1] as number) << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** An Ethernet frame from va to vb carrying one TCP segment from 10.0.0.1. */
function frame(seg: Seg): Uint8Array {
  const opts = seg.options ?? new Uint8Array(0);
  const data = seg.data ?? new Uint8Array(0);
  const thLen = 20 + opts.length;
  const t = new Uint8Array(thLen + data.length);
  const dv = new DataView(t.buffer);
  dv.setUint16(0, seg.sport ?? 40000);
  dv.setUint16(2, seg.dport);
  dv.setUint32(4, seg.seq >>> 0);
  dv.setUint32(8, (seg.ack ?? 0) >>> 0);
  t[12] = ((seg.doff ?? thLen) / 4) << 4;
  t[13] = seg.flags;
  dv.setUint16(14, seg.win ?? 64240);
  t.set(opts, 20);
  t.set(data, thLen);
  const pseudo = (A >>> 16) + (A & 0xffff) + (B >>> 16) + (B & 0xffff) + 6 + t.length;
  let c = ~sum16(t, pseudo) & 0xffff;
  if (seg.badCsum) c ^= 0x5a5a;
  dv.setUint16(16, c);
  const f = new Uint8Array(14 + 20 + t.length);
  f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00]);
  const h = f.subarray(14, 34);
  h.set([0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  const len = 20 + t.length;
  h[2] = len >> 8;
  h[3] = len & 0xff;
  const hc = ~sum16(h) & 0xffff;
  h[10] = hc >> 8;
  h[11] = hc & 0xff;
  f.set(t, 34);
  return f;
}

interface Tx {
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
}

/** Two hosts, a record of drops in b and of what vb transmits. */
function setup(): {
  world: ReturnType<typeof twoHosts>['world'];
  a: Net;
  b: Net;
  vb: NetDevice;
  drops: { reason: string; location: string }[];
  tx: Tx[];
  inject: (s: Seg) => void;
} {
  const { world, a, b } = twoHosts();
  const vb = b.devByName.get('vb') as NetDevice;
  const drops: { reason: string; location: string }[] = [];
  world.kernel.dropObservers.push((net, _skb, reason, location) => {
    if (net === b) drops.push({ reason: dropReasonName(reason), location });
  });
  const tx: Tx[] = [];
  b.ptypeAll.push({
    type: 3,
    dev: vb,
    func(skb: SkBuff): number {
      const p = skb.head;
      const nh = skb.data + 14;
      if (skb.pktType === 4 && p[skb.data + 12] === 8 && p[nh + 9] === 6) {
        const th = nh + ((p[nh] as number) & 15) * 4;
        const dv = new DataView(p.buffer, p.byteOffset);
        const doff = ((p[th + 12] as number) >> 4) * 4;
        tx.push({
          flags: p[th + 13] as number,
          seq: dv.getUint32(th + 4),
          ack: dv.getUint32(th + 8),
          win: dv.getUint16(th + 14),
          len: dv.getUint16(nh + 2) - ((p[nh] as number) & 15) * 4 - doff,
        });
      }
      skb.release();
      return 0;
    },
  });
  // b's replies go to nobody: a permanent neighbour for 10.0.0.1, and a's end of the pair down
  const n = b.arpTbl.create(vb, A);
  n.ha.set([2, 0, 0, 0, 0, 0x0a]);
  n.nudState = NUD_PERMANENT;
  dev_close(a.devByName.get('va') as NetDevice);
  const inject = (s: Seg): void => {
    const f = frame(s);
    const skb = alloc_skb(b.kernel, f.length, 64);
    skb.head.set(f, skb.put(f.length));
    skb.protocol = eth_type_trans(skb, vb);
    __netif_rx(skb);
    world.sim.cpu.runPendingSoftirqs();
    world.sim.runUntil(() => world.sim.events.peekTime() > world.sim.now + 1e9);
  };
  void a;
  return { world, a, b, vb, drops, tx, inject };
}

function listen(b: Net, port: number): TcpSock {
  const s = sys_socket(b, SOCK_STREAM, 0) as TcpSock;
  expect(sys_bind(s, B, port)).toBe(0);
  expect(sys_listen(s, 5)).toBe(0);
  return s;
}

const mib = (n: Net, name: string): number => n.mib.get(name);

describe('tcp_v4_rcv: segments Linux refuses before any socket sees them', () => {
  it('a bad checksum is TCP_CSUM with TcpInCsumErrors and TcpInErrs, and no RST even for a closed port', () => {
    const { b, drops, tx, inject } = setup();
    inject({ dport: 81, seq: 1000, flags: F.SYN, badCsum: true });
    expect(drops).toEqual([{ reason: 'TCP_CSUM', location: 'tcp_v4_rcv' }]);
    expect(mib(b, 'TcpInSegs')).toBe(1);
    expect(mib(b, 'TcpInCsumErrors')).toBe(1);
    expect(mib(b, 'TcpInErrs')).toBe(1);
    expect(tx).toEqual([]);
  });

  it('a data offset below 5 words is PKT_TOO_SMALL and TcpInErrs', () => {
    const { b, drops, tx, inject } = setup();
    inject({ dport: 80, seq: 1, flags: F.SYN, doff: 16 });
    expect(drops).toEqual([{ reason: 'PKT_TOO_SMALL', location: 'tcp_v4_rcv' }]);
    expect(mib(b, 'TcpInErrs')).toBe(1);
    expect(mib(b, 'TcpInCsumErrors')).toBe(0);
    expect(tx).toEqual([]);
  });

  it('a data offset past the end of the segment cannot be pulled: NOT_SPECIFIED, no error counted', () => {
    const { b, drops, tx, inject } = setup();
    inject({ dport: 80, seq: 1, flags: F.SYN, doff: 60 });
    expect(drops).toEqual([{ reason: 'NOT_SPECIFIED', location: 'tcp_v4_rcv' }]);
    expect(mib(b, 'TcpInSegs')).toBe(1);
    expect(mib(b, 'TcpInErrs')).toBe(0);
    expect(tx).toEqual([]);
  });

  it('a SYN to a closed port gets RST|ACK (seq 0, ack seq+1) and NO_SOCKET', () => {
    const { b, drops, tx, inject } = setup();
    inject({ dport: 80, seq: 1000, flags: F.SYN });
    expect(drops).toEqual([{ reason: 'NO_SOCKET', location: 'tcp_v4_rcv' }]);
    expect(tx).toEqual([{ flags: F.RST | F.ACK, seq: 0, ack: 1001, len: 0, win: 0 }]);
    expect(mib(b, 'TcpOutRsts')).toBe(1);
    expect(mib(b, 'TcpOutSegs')).toBe(1);
  });

  it('an ACK to a closed port gets a bare RST with its ack as seq; a RST gets nothing', () => {
    const { drops, tx, inject } = setup();
    inject({ dport: 80, seq: 5, ack: 777, flags: F.ACK, data: new Uint8Array(10) });
    inject({ dport: 80, seq: 5, ack: 777, flags: F.RST | F.ACK });
    expect(tx).toEqual([{ flags: F.RST, seq: 777, ack: 0, len: 0, win: 0 }]);
    expect(drops.map((d) => d.reason)).toEqual(['NO_SOCKET', 'NO_SOCKET']);
  });
});

describe('a listener (tcp_rcv_state_process in LISTEN)', () => {
  it('SYN+FIN is dropped as TCP_FLAGS without an answer', () => {
    const { b, drops, tx, inject } = setup();
    listen(b, 80);
    inject({ dport: 80, seq: 1, flags: F.SYN | F.FIN });
    expect(drops).toEqual([{ reason: 'TCP_FLAGS', location: 'tcp_rcv_state_process' }]);
    expect(tx).toEqual([]);
  });

  it('a stray ACK is answered with RST (TCP_FLAGS) from tcp_v4_do_rcv', () => {
    const { b, drops, tx, inject } = setup();
    listen(b, 80);
    inject({ dport: 80, seq: 1, ack: 4242, flags: F.ACK });
    expect(drops).toEqual([{ reason: 'TCP_FLAGS', location: 'tcp_v4_do_rcv' }]);
    expect(tx).toEqual([{ flags: F.RST, seq: 4242, ack: 0, len: 0, win: 0 }]);
  });

  it('a RST or a segment with no flags is dropped silently', () => {
    const { b, drops, tx, inject } = setup();
    listen(b, 80);
    inject({ dport: 80, seq: 1, flags: F.RST });
    inject({ dport: 80, seq: 1, flags: F.PSH, data: new Uint8Array(4) });
    expect(drops.map((d) => d.reason)).toEqual(['TCP_RESET', 'TCP_FLAGS']);
    expect(tx).toEqual([]);
  });

  it('a SYN makes a request sock and a SYN-ACK with the options in Linux order', () => {
    const { b, tx, inject } = setup();
    listen(b, 80);
    // MSS 1460, SACK permitted, timestamps, window scale 7
    const opts = new Uint8Array([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]);
    inject({ dport: 80, seq: 100, flags: F.SYN, options: opts });
    expect(tx.length).toBe(1);
    expect(tx[0]?.flags).toBe(F.SYN | F.ACK);
    expect(tx[0]?.ack).toBe(101);
    expect(tx[0]?.win).toBe(65160);
    // the ACK completes the handshake: a child in the accept queue
    const synack = tx[0] as Tx;
    inject({ dport: 80, seq: 101, ack: synack.seq + 1, flags: F.ACK, options: new Uint8Array([1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 0]) });
    expect(mib(b, 'TcpPassiveOpens')).toBe(1);
  });
});

/** An established connection on b (port 80) with a peer that is only our injected frames. */
function established(): ReturnType<typeof setup> & { sk: TcpSock; isn: number; rcvNxt: number } {
  const env = setup();
  const ls = listen(env.b, 80);
  env.inject({ dport: 80, seq: 100, flags: F.SYN, options: new Uint8Array([2, 4, 5, 180, 1, 1, 4, 2]) });
  const isn = (env.tx[0] as Tx).seq;
  env.inject({ dport: 80, seq: 101, ack: isn + 1, flags: F.ACK });
  const sk = sys_accept(ls) as TcpSock;
  expect(sk).toBeInstanceOf(TcpSock);
  expect(sk.state).toBe(TCP_ESTABLISHED);
  env.tx.length = 0;
  env.drops.length = 0;
  return { ...env, sk, isn, rcvNxt: 101 };
}

describe('an established socket (tcp_validate_incoming)', () => {
  it('data in order is queued and acknowledged; the reader gets it', () => {
    const { sk, inject, tx, isn } = established();
    inject({ dport: 80, seq: 101, ack: isn + 1, flags: F.ACK | F.PSH, data: new TextEncoder().encode('hello') });
    expect(tx).toEqual([{ flags: F.ACK, seq: isn + 1, ack: 106, len: 0, win: tx[0]?.win as number }]);
    const r = sys_read(sk, 100);
    expect(typeof r === 'number' ? r : new TextDecoder().decode(r.data)).toBe('hello');
  });

  it('a segment beyond the window is dropped (TCP_INVALID_SEQUENCE, BeyondWindow) with a duplicate ACK', () => {
    const { b, inject, tx, drops, isn } = established();
    inject({ dport: 80, seq: 101 + 10_000_000, ack: isn + 1, flags: F.ACK, data: new Uint8Array(10) });
    expect(drops).toEqual([{ reason: 'TCP_INVALID_SEQUENCE', location: 'tcp_rcv_established' }]);
    expect(mib(b, 'TcpExtBeyondWindow')).toBe(1);
    expect(tx.map((t) => [t.flags, t.ack])).toEqual([[F.ACK, 101]]);
  });

  it('old data is TCP_OLD_SEQUENCE, a duplicate ACK and DelayedACKLost', () => {
    const { b, inject, tx, drops, isn } = established();
    inject({ dport: 80, seq: 101, ack: isn + 1, flags: F.ACK, data: new Uint8Array(10) });
    tx.length = 0;
    inject({ dport: 80, seq: 91, ack: isn + 1, flags: F.ACK, data: new Uint8Array(10) });
    expect(drops.map((d) => d.reason)).toEqual(['TCP_OLD_SEQUENCE']);
    expect(mib(b, 'TcpExtDelayedACKLost')).toBe(1);
    expect(tx.map((t) => [t.flags, t.ack])).toEqual([[F.ACK, 111]]);
  });

  it('a RST whose sequence is in the window but not rcv_nxt gets a challenge ACK', () => {
    const { b, sk, inject, tx, drops, isn } = established();
    inject({ dport: 80, seq: 500, ack: isn + 1, flags: F.RST });
    expect(drops.map((d) => d.reason)).toEqual(['TCP_RESET']);
    expect(mib(b, 'TcpExtTCPChallengeACK')).toBe(1);
    expect(tx.map((t) => t.flags)).toEqual([F.ACK]);
    expect(sk.state).toBe(TCP_ESTABLISHED);
  });

  it('a RST at rcv_nxt resets the connection: ECONNRESET for the reader, TcpEstabResets', () => {
    const { b, sk, inject, tx } = established();
    inject({ dport: 80, seq: 101, flags: F.RST });
    expect(sk.state).toBe(TCP_CLOSE);
    expect(mib(b, 'TcpEstabResets')).toBe(1);
    expect(tx).toEqual([]);
    expect(sys_read(sk, 10)).toBe(-104);
  });

  it('a SYN on an established connection is a challenge ACK (TCPSYNChallenge, TcpInErrs, TCP_INVALID_SYN)', () => {
    const { b, inject, tx, drops } = established();
    inject({ dport: 80, seq: 101, flags: F.SYN });
    expect(drops.map((d) => d.reason)).toEqual(['TCP_INVALID_SYN']);
    expect(mib(b, 'TcpExtTCPSYNChallenge')).toBe(1);
    expect(mib(b, 'TcpInErrs')).toBe(1);
    expect(tx.map((t) => t.flags)).toEqual([F.ACK]);
  });

  it('a segment with neither ACK, RST nor SYN is TCP_FLAGS, silently', () => {
    const { inject, tx, drops } = established();
    inject({ dport: 80, seq: 101, flags: F.PSH, data: new Uint8Array(3) });
    expect(drops.map((d) => d.reason)).toEqual(['TCP_FLAGS']);
    expect(tx).toEqual([]);
  });

  it('an ACK for data never sent is TCP_ACK_UNSENT_DATA', () => {
    const { inject, drops, isn } = established();
    inject({ dport: 80, seq: 101, ack: isn + 5000, flags: F.ACK, data: new Uint8Array(3) });
    expect(drops.map((d) => d.reason)).toEqual(['TCP_ACK_UNSENT_DATA']);
  });

  it('a long segment with a bad checksum is TCP_CSUM at tcp_rcv_established', () => {
    const { b, inject, drops, isn } = established();
    inject({ dport: 80, seq: 101, ack: isn + 1, flags: F.ACK, data: new Uint8Array(200), badCsum: true });
    expect(drops).toEqual([{ reason: 'TCP_CSUM', location: 'tcp_rcv_established' }]);
    expect(mib(b, 'TcpInCsumErrors')).toBe(1);
  });

  it('out-of-order data is queued and SACKed; the gap filled, it is delivered', () => {
    const { b, sk, inject, tx, isn } = established();
    inject({ dport: 80, seq: 111, ack: isn + 1, flags: F.ACK, data: new Uint8Array(10).fill(66) });
    expect(mib(b, 'TcpExtTCPOFOQueue')).toBe(1);
    expect(tx.map((t) => t.ack)).toEqual([101]);
    inject({ dport: 80, seq: 101, ack: isn + 1, flags: F.ACK, data: new Uint8Array(10).fill(65) });
    const r = sys_read(sk, 100);
    expect(typeof r === 'number' ? r : r.data.length).toBe(20);
    expect(tx[tx.length - 1]?.ack).toBe(121);
  });
});

describe('closing', () => {
  it('close() with unread data sends RST|ACK and counts TCPAbortOnClose', () => {
    const { b, sk, inject, tx, isn } = established();
    inject({ dport: 80, seq: 101, ack: isn + 1, flags: F.ACK, data: new Uint8Array(5) });
    tx.length = 0;
    sys_close(sk);
    expect(mib(b, 'TcpExtTCPAbortOnClose')).toBe(1);
    expect(tx.map((t) => t.flags)).toEqual([F.RST | F.ACK]);
    expect(sk.state).toBe(TCP_CLOSE);
  });

  it('data after our close is answered with RST (TCPAbortOnData)', () => {
    const { b, sk, inject, tx, isn } = established();
    sys_close(sk);
    expect(tx.map((t) => t.flags)).toEqual([F.FIN | F.ACK]);
    // the peer acknowledges our FIN, then still sends
    inject({ dport: 80, seq: 101, ack: isn + 2, flags: F.ACK });
    tx.length = 0;
    inject({ dport: 80, seq: 101, ack: isn + 2, flags: F.ACK, data: new Uint8Array(4) });
    expect(tx.map((t) => t.flags)).toEqual([F.RST]);
    expect(b.mib.get('TcpOutRsts')).toBe(1);
  });
});

describe('connect() without an answer', () => {
  it('retransmits the SYN at 1 s, four times, then backs off, and gives up after tcp_syn_retries', () => {
    const { world, a, b } = twoHosts();
    // nobody owns 10.0.0.3 on the link: b drops the frames as for another host
    const va = a.devByName.get('va') as NetDevice;
    const sent: number[] = [];
    a.ptypeAll.push({
      type: 3,
      dev: va,
      func(skb: SkBuff): number {
        if (skb.pktType === 4 && skb.head[skb.data + 12] === 8 && skb.head[skb.data + 14 + 9] === 6) sent.push(world.sim.now);
        skb.release();
        return 0;
      },
    });
    a.sysctl.set('net.ipv4.tcp_syn_retries', '2');
    const neigh = a.arpTbl.create(va, 0x0a000003);
    neigh.ha.set([2, 0, 0, 0, 0, 0x99]);
    neigh.nudState = NUD_PERMANENT;
    const s = sys_socket(a, SOCK_STREAM, 0) as TcpSock;
    expect(sys_connect(s, 0x0a000003, 80)).toBe(-115);
    world.sim.runUntil(() => world.sim.now > 300e9);
    const gaps = sent.slice(1).map((t, i) => Math.round((t - (sent[i] as number)) / 1e9));
    // tcp_syn_linear_timeouts (4): the first five retransmissions 1 s apart,
    // then the RTO doubles; 2 + 4 retransmissions, and 4 s later ETIMEDOUT
    expect(gaps).toEqual([1, 1, 1, 1, 1, 2]);
    expect(s.state).toBe(TCP_CLOSE);
    expect(s.err).toBe(110);
    expect(a.mib.get('TcpExtTCPSynRetrans')).toBe(6);
    expect(a.mib.get('TcpAttemptFails')).toBe(1);
    void b;
    void sys_send;
  });
});
