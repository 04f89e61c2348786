// Connection tracking and NAT: transcripts recorded on Linux 6.18 (iptables
// 1.8.9, conntrack-tools 1.4.7) for the rule formats and the states a router
// sees, then the kernel functions on their own: port selection, the TCP state
// machine, ICMP error translation with its checksums.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { twoHosts } from './helpers.ts';
import { NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING, NFPROTO_IPV4, type NfHookState } from '../../src/kernel/netfilter/core.ts';
import {
  IP_CT_ESTABLISHED_REPLY,
  IP_CT_NEW,
  IP_CT_RELATED_REPLY,
  IPS_ASSURED,
  IPS_SEEN_REPLY,
  NfConn,
  type NfTuple,
  nf_confirm,
  nf_conntrack_in,
  nf_ct_entries,
  nf_ct_invert_tuple,
  nf_ct_set,
  TCP_CONNTRACK_ESTABLISHED,
  TCP_CONNTRACK_FIN_WAIT,
  TCP_CONNTRACK_SYN_RECV,
  TCP_CONNTRACK_SYN_SENT,
  TCP_CONNTRACK_TIME_WAIT,
  TCP_CONNTRACK_LAST_ACK,
} from '../../src/kernel/netfilter/nf_conntrack.ts';
import {
  NF_NAT_MANIP_SRC,
  NF_NAT_RANGE_MAP_IPS,
  NF_NAT_RANGE_PROTO_SPECIFIED,
  jhash2,
  nf_nat_icmp_reply_translation,
  nf_nat_packet,
  nf_nat_setup_info,
} from '../../src/kernel/netfilter/nf_nat.ts';
import { alloc_skb, CHECKSUM_NONE, SkBuff } from '../../src/kernel/skbuff.ts';
import { csum_fold, csum_partial, rd16, rd32, wr16, wr32 } from '../../src/kernel/ipv4/iphdr.ts';
import type { Net } from '../../src/kernel/net_namespace.ts';

const dir = new URL('./netfilter/', import.meta.url);

describe('conntrack and NAT against Linux 6.18', () => {
  const cases = [
    [
      'nat-rules.sh',
      'real-nat-rules.txt',
      'nat/raw/mangle rules, conntrack/state/connmark matches, CONNMARK/CT/NOTRACK: -S, -L, save, errors',
    ],
    ['ct-states.sh', 'real-ct-states.txt', 'a router: NEW, RELATED (ICMP error), ESTABLISHED by direction, SNAT, conntrack -L/-D/-C/-F'],
    [
      'reject-nat.sh',
      'real-reject-nat.txt',
      'REJECT tcp-reset of a DNATed SYN and of data: the RST leaves un-NATed (nf_ct_attach), the entry goes to CLOSE',
    ],
    ['masq-down.sh', 'real-masq-down.txt', 'MASQUERADE entries go when their device goes down, others stay'],
    [
      'frag-nat.sh',
      'real-frag-nat.txt',
      'fragments through MASQUERADE: reassembled for conntrack, rewritten, fragmented again no bigger than they came',
    ],
    ['ct-zone.sh', 'real-ct-zone.txt', 'CT --notrack loads nothing, CT --zone: zone=N in conntrack -L and its -w filter'],
    [
      'ct-events.sh',
      'real-ct-events.txt',
      'conntrack -E: NEW, UPDATE (reply, TCP states, assured), DESTROY from conntrack -D, the count at SIGTERM',
    ],
    [
      'ct-bulk.sh',
      'real-ct-bulk.txt',
      'a 289 KB transfer through MASQUERADE with INVALID dropped: TCP window tracking keeps every segment valid',
    ],
    [
      'nat-clash.sh',
      'real-nat-clash.txt',
      'two clients, one source port: the first keeps it, the second gets one of its class (1024-65535, 1-511) or of --to-ports',
    ],
    [
      'ct-sysctl.sh',
      'real-ct-sysctl.txt',
      'nf_conntrack_count and the global limits are read-only in a namespace; sysctl warns without failing',
    ],
    ['ct-marks.sh', 'real-ct-marks.txt', 'DNAT on OUTPUT to another host, CT --notrack (UNTRACKED), CONNMARK --save-mark, conntrack -L -m'],
  ] as const;
  for (const [script, real, what] of cases) {
    it(`${script}: ${what}`, () => {
      const res = runScenario(readFileSync(new URL(script, dir), 'utf8'), new MemVfs(), { seed: 1 });
      expect(res.transcript.split('\n')).toEqual(readFileSync(new URL(real, dir), 'utf8').split('\n'));
    });
  }
});

const A = 0x0a00010a; // 10.0.1.10
const B = 0x0a00020a; // 10.0.2.10
const R = 0x0a000201; // 10.0.2.1

function state(net: Net, hook: number): NfHookState {
  return { hook, pf: NFPROTO_IPV4, in: null, out: null, sk: null, net };
}

/** An IPv4 packet (20-byte header) with the given transport header and payload. */
function packet(src: number, dst: number, proto: number, l4: number[]): SkBuff {
  const skb = new SkBuff({ next: 1 }, 20 + l4.length, 64);
  const o = skb.put(20 + l4.length);
  skb.networkHeader = o;
  skb.transportHeader = o + 20;
  const b = skb.head;
  b[o] = 0x45;
  wr16(b, o + 2, 20 + l4.length);
  b[o + 8] = 64;
  b[o + 9] = proto;
  wr32(b, o + 12, src);
  wr32(b, o + 16, dst);
  wr16(b, o + 10, csum_fold(csum_partial(b, o, 20)));
  b.set(l4, o + 20);
  skb.ipSummed = CHECKSUM_NONE;
  return skb;
}

function tcpSeg(src: number, sport: number, dst: number, dport: number, seq: number, ack: number, flags: number): SkBuff {
  const h = new Array<number>(20).fill(0);
  const skb = packet(src, dst, 6, h);
  const b = skb.head;
  const t = skb.transportHeader;
  wr16(b, t, sport);
  wr16(b, t + 2, dport);
  wr32(b, t + 4, seq);
  wr32(b, t + 8, ack);
  b[t + 12] = 5 << 4;
  b[t + 13] = flags;
  wr16(b, t + 14, 64240);
  const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + 20;
  wr16(b, t + 16, csum_fold(csum_partial(b, t, 20, pseudo)));
  return skb;
}

function udpDgram(src: number, sport: number, dst: number, dport: number): SkBuff {
  const skb = packet(src, dst, 17, [0, 0, 0, 0, 0, 10, 0, 0, 0x61, 0x62]);
  const b = skb.head;
  const t = skb.transportHeader;
  wr16(b, t, sport);
  wr16(b, t + 2, dport);
  const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 17 + 10;
  wr16(b, t + 6, csum_fold(csum_partial(b, t, 10, pseudo)));
  return skb;
}

/** PRE_ROUTING conntrack then the confirm at the end of the hooks; returns the skb's ctinfo. */
function track(net: Net, skb: SkBuff): number {
  nf_conntrack_in(skb, state(net, NF_INET_PRE_ROUTING));
  const ctinfo = skb.nfctinfo;
  nf_confirm(skb, state(net, NF_INET_POST_ROUTING));
  return ctinfo;
}

describe('nf_conntrack_tcp_packet: the 6.18 state table', () => {
  it('walks SYN_SENT → SYN_RECV → ESTABLISHED (ASSURED) → FIN_WAIT → LAST_ACK → TIME_WAIT with the sysctl timeouts', () => {
    const { b: net } = twoHosts();
    const HZ = net.kernel.HZ;
    expect(track(net, tcpSeg(A, 40000, B, 80, 1000, 0, 0x02))).toBe(IP_CT_NEW);
    const ct = nf_ct_entries(net)[0] as NfConn;
    expect(ct.tcp?.state).toBe(TCP_CONNTRACK_SYN_SENT);
    expect(Math.floor(ct.timeout - Math.floor(net.kernel.now / (1e9 / HZ)))).toBe(120 * HZ);
    expect(track(net, tcpSeg(B, 80, A, 40000, 5000, 1001, 0x12))).toBe(IP_CT_ESTABLISHED_REPLY);
    expect(ct.tcp?.state).toBe(TCP_CONNTRACK_SYN_RECV);
    expect(ct.status & IPS_SEEN_REPLY).toBeTruthy();
    track(net, tcpSeg(A, 40000, B, 80, 1001, 5001, 0x10));
    expect(ct.tcp?.state).toBe(TCP_CONNTRACK_ESTABLISHED);
    expect(ct.status & IPS_ASSURED).toBeTruthy();
    track(net, tcpSeg(A, 40000, B, 80, 1001, 5001, 0x11));
    expect(ct.tcp?.state).toBe(TCP_CONNTRACK_FIN_WAIT);
    track(net, tcpSeg(B, 80, A, 40000, 5001, 1002, 0x11));
    expect(ct.tcp?.state).toBe(TCP_CONNTRACK_LAST_ACK);
    track(net, tcpSeg(A, 40000, B, 80, 1002, 5002, 0x10));
    expect(ct.tcp?.state).toBe(TCP_CONNTRACK_TIME_WAIT);
  });

  it('leaves an out-of-window segment and a bare ACK with loose pickup off untracked (INVALID)', () => {
    const { b: net } = twoHosts();
    track(net, tcpSeg(A, 40001, B, 80, 1000, 0, 0x02));
    track(net, tcpSeg(B, 80, A, 40001, 5000, 1001, 0x12));
    // an ACK for data never sent: "ACK is over upper bound"
    const bad = tcpSeg(A, 40001, B, 80, 1001, 999999, 0x10);
    nf_conntrack_in(bad, state(net, NF_INET_PRE_ROUTING));
    expect(bad._nfct).toBeNull();
    net.sysctl.set('net.netfilter.nf_conntrack_tcp_loose', '0');
    const mid = tcpSeg(A, 40002, B, 80, 7, 7, 0x10);
    nf_conntrack_in(mid, state(net, NF_INET_PRE_ROUTING));
    expect(mid._nfct).toBeNull();
    expect(nf_ct_entries(net).length).toBe(1);
  });

  it('a RST answering the SYN kills the entry', () => {
    const { b: net } = twoHosts();
    track(net, tcpSeg(A, 40003, B, 81, 1000, 0, 0x02));
    expect(nf_ct_entries(net).length).toBe(1);
    track(net, tcpSeg(B, 81, A, 40003, 0, 1001, 0x14));
    expect(nf_ct_entries(net).length).toBe(0);
  });
});

describe('NAT port selection (get_unique_tuple, nf_nat_l4proto_unique_tuple)', () => {
  function natConn(net: Net, src: number, sport: number): NfConn {
    const t: NfTuple = { src, dst: B, sport, dport: 53, proto: 17 };
    const ct = new NfConn(net, [t, nf_ct_invert_tuple(t) as NfTuple], 0);
    ct.timeout = 30 * net.kernel.HZ; // what the UDP tracker sets before the confirm
    return ct;
  }
  function confirm(net: Net, ct: NfConn): void {
    const skb = alloc_skb(net.kernel, 0);
    nf_ct_set(skb, ct, IP_CT_NEW);
    nf_confirm(skb, state(net, NF_INET_POST_ROUTING));
  }
  const masq = { flags: NF_NAT_RANGE_MAP_IPS, minAddr: R, maxAddr: R, minProto: 0, maxProto: 0, baseProto: 0 };

  it('keeps the source port while it is free, picks another in 1024-65535 when two clients clash', () => {
    const { world, b: net } = twoHosts(7);
    void world;
    const c1 = natConn(net, A, 5353);
    nf_nat_setup_info(c1, masq, NF_NAT_MANIP_SRC);
    confirm(net, c1);
    expect(c1.tuplehash[1]).toEqual({ src: B, dst: R, sport: 53, dport: 5353, proto: 17 });
    const c2 = natConn(net, 0x0a00010b, 5353);
    nf_nat_setup_info(c2, masq, NF_NAT_MANIP_SRC);
    confirm(net, c2);
    const p = c2.tuplehash[1].dport;
    expect(p).not.toBe(5353);
    expect(p).toBeGreaterThanOrEqual(1024);
    // a port below 512 stays below 512
    const c3 = natConn(net, 0x0a00010c, 53);
    const c4 = natConn(net, 0x0a00010d, 53);
    for (const c of [c3, c4]) {
      nf_nat_setup_info(c, masq, NF_NAT_MANIP_SRC);
      confirm(net, c);
    }
    expect(c3.tuplehash[1].dport).toBe(53);
    expect(c4.tuplehash[1].dport).toBeGreaterThanOrEqual(1);
    expect(c4.tuplehash[1].dport).toBeLessThanOrEqual(511);
  });

  it('a --to-source port range is honoured: two clashing sources get its two ports', () => {
    const { b: net } = twoHosts(3);
    const r = {
      flags: NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED,
      minAddr: R,
      maxAddr: R,
      minProto: 2000,
      maxProto: 2001,
      baseProto: 0,
    };
    const cs = [natConn(net, A, 7000), natConn(net, 0x0a00010b, 7000)];
    for (const c of cs) {
      nf_nat_setup_info(c, r, NF_NAT_MANIP_SRC);
      confirm(net, c);
    }
    const ports = cs.map((c) => c.tuplehash[1].dport).sort();
    expect(ports).toEqual([2000, 2001]);
  });

  it('jhash2 is the kernel lookup3 (values from include/linux/jhash.h compiled with gcc)', () => {
    expect(jhash2([1, 2, 3], 0)).toBe(2757843189);
    // find_best_ips_proto's hash of 10.0.1.10 → 10.0.2.10 on a little-endian CPU
    expect(jhash2([0x0a01000a, 0, 0, 0], 0x0a02000a)).toBe(1327572699);
  });
});

describe('nf_nat_icmp_reply_translation', () => {
  it('gives an ICMP error about a masqueraded UDP flow its inner source back, with every checksum right', () => {
    const { b: net } = twoHosts();
    // the flow A:4000 → B:6000, masqueraded to R:4000 on the way out
    const out = udpDgram(A, 4000, B, 6000);
    nf_conntrack_in(out, state(net, NF_INET_PRE_ROUTING));
    const ct = out._nfct as NfConn;
    nf_nat_setup_info(
      ct,
      { flags: NF_NAT_RANGE_MAP_IPS, minAddr: R, maxAddr: R, minProto: 0, maxProto: 0, baseProto: 0 },
      NF_NAT_MANIP_SRC,
    );
    nf_nat_packet(ct, IP_CT_NEW, NF_INET_POST_ROUTING, out);
    nf_confirm(out, state(net, NF_INET_POST_ROUTING));
    expect(rd32(out.head, out.networkHeader + 12)).toBe(R);
    // B answers with a port unreachable quoting what it got
    const quoted = [...out.head.subarray(out.networkHeader, out.networkHeader + 28)];
    const icmp = [3, 3, 0, 0, 0, 0, 0, 0, ...quoted];
    const err = packet(B, R, 1, icmp);
    const ic = err.transportHeader;
    wr16(err.head, ic + 2, csum_fold(csum_partial(err.head, ic, icmp.length)));
    nf_conntrack_in(err, state(net, NF_INET_PRE_ROUTING));
    expect(err.nfctinfo).toBe(IP_CT_RELATED_REPLY);
    expect(nf_nat_icmp_reply_translation(err, ct, IP_CT_RELATED_REPLY, NF_INET_PRE_ROUTING)).toBe(1);
    const b = err.head;
    const nh = err.networkHeader;
    expect(rd32(b, nh + 16)).toBe(A); // outer destination
    const inner = nh + 28;
    expect(rd32(b, inner + 12)).toBe(A); // quoted source
    expect(rd16(b, inner + 20)).toBe(4000);
    expect(csum_fold(csum_partial(b, nh, 20))).toBe(0);
    expect(csum_fold(csum_partial(b, inner, 20))).toBe(0);
    expect(csum_fold(csum_partial(b, ic, err.tail - ic))).toBe(0);
    // the quoted UDP checksum was fixed as a full checksum (not CHECKSUM_PARTIAL): it verifies again
    const pseudo = (A >>> 16) + (A & 0xffff) + (B >>> 16) + (B & 0xffff) + 17 + 10;
    expect(csum_fold(csum_partial(b, inner + 20, 8, pseudo) + ((0x61 << 8) | 0x62))).toBe(0);
  });
});
