import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_EXC_TTL,
  ICMP_FRAG_NEEDED,
  ICMP_PORT_UNREACH,
  ICMP_PROT_UNREACH,
  ICMP_REDIR_HOST,
  ICMP_TIME_EXCEEDED,
  Icmpv4Packet,
  Icmpv4Repr,
} from '../../src/wire/icmp.ts';
import { Ipv4Packet, ipv4ToString, parseIpv4 } from '../../src/wire/ipv4.ts';
import { UdpPacket } from '../../src/wire/udp.ts';
import { ECHO_REPLY, ECHO_REQUEST, FRAG_NEEDED, PORT_UNREACH, PROT_UNREACH, TIME_EXCEEDED, toHex } from './fixtures.ts';

const icmpOf = (frame: Uint8Array) => Icmpv4Packet.newChecked(Ipv4Packet.newChecked(frame.subarray(14))!.payload)!;

describe('Icmpv4Packet on real messages', () => {
  it('echo request and reply', () => {
    const q = icmpOf(ECHO_REQUEST);
    expect(q.type).toBe(ICMP_ECHO);
    expect(q.code).toBe(0);
    expect(q.checksum).toBe(0x6e58);
    expect(q.echoIdent).toBe(0x6431);
    expect(q.echoSeqNo).toBe(1);
    expect(q.data.length).toBe(56);
    expect(q.verifyChecksum()).toBe(true);
    const r = icmpOf(ECHO_REPLY);
    expect(r.type).toBe(ICMP_ECHOREPLY);
    expect(r.verifyChecksum()).toBe(true);
    expect(toHex(r.data)).toBe(toHex(q.data));
  });

  it('time exceeded in-transit, quoting the UDP probe', () => {
    const repr = Icmpv4Repr.parse(icmpOf(TIME_EXCEEDED))!;
    expect(repr.kind).toBe('time-exceeded');
    if (repr.kind !== 'time-exceeded') return;
    expect(repr.code).toBe(ICMP_EXC_TTL);
    const quoted = Ipv4Packet.newChecked(repr.data);
    // The quote holds the whole 60-byte probe here.
    expect(quoted).not.toBeNull();
    expect(quoted!.ttl).toBe(1);
    expect(ipv4ToString(quoted!.dst)).toBe('10.0.2.10');
    expect(UdpPacket.newChecked(quoted!.payload)!.dstPort).toBe(33434);
  });

  it('port unreachable for udp port 33435', () => {
    const p = icmpOf(PORT_UNREACH);
    expect(p.type).toBe(ICMP_DEST_UNREACH);
    expect(p.code).toBe(ICMP_PORT_UNREACH);
    expect(p.verifyChecksum()).toBe(true);
    const q = Ipv4Packet.newChecked(p.data)!;
    expect(UdpPacket.newChecked(q.payload)!.dstPort).toBe(33435);
  });

  it('protocol 253 unreachable quoting 36 bytes ("length 44")', () => {
    const repr = Icmpv4Repr.parse(icmpOf(PROT_UNREACH))!;
    expect(repr).toMatchObject({ kind: 'dest-unreachable', code: ICMP_PROT_UNREACH, nextHopMtu: 0 });
    expect(repr.data.length).toBe(36);
  });

  it('need to frag (mtu 1000): a 576-byte message, quote cut', () => {
    const ip = Ipv4Packet.newChecked(FRAG_NEEDED.subarray(14))!;
    expect(ip.totalLen).toBe(576);
    const p = Icmpv4Packet.newChecked(ip.payload)!;
    expect(p.verifyChecksum()).toBe(true);
    const repr = Icmpv4Repr.parse(p)!;
    expect(repr).toMatchObject({ kind: 'dest-unreachable', code: ICMP_FRAG_NEEDED, nextHopMtu: 1000 });
    // The quoted header says 1428 bytes but only 548 were kept: a checked view refuses it.
    expect(Ipv4Packet.check(repr.data)).toBe('length-overflow');
    expect(Ipv4Packet.newUnchecked(repr.data).totalLen).toBe(1428);
  });

  it('rejects fewer than 8 bytes and a bad checksum', () => {
    expect(Icmpv4Packet.newChecked(new Uint8Array(7))).toBeNull();
    const b = ECHO_REQUEST.slice(34);
    b[10] = b[10]! ^ 1;
    const p = Icmpv4Packet.newChecked(b)!;
    expect(p.verifyChecksum()).toBe(false);
    expect(Icmpv4Repr.parse(p)).toBeNull();
    expect(Icmpv4Repr.parse(p, { ignoreChecksum: true })?.kind).toBe('echo-request');
  });
});

describe('Icmpv4Repr emit', () => {
  it('reproduces real messages byte for byte', () => {
    for (const f of [ECHO_REQUEST, ECHO_REPLY, TIME_EXCEEDED, PORT_UNREACH, FRAG_NEEDED, PROT_UNREACH]) {
      const msg = Ipv4Packet.newChecked(f.subarray(14))!.payload;
      const repr = Icmpv4Repr.parse(Icmpv4Packet.newChecked(msg)!)!;
      expect(Icmpv4Repr.bufferLen(repr)).toBe(msg.length);
      expect(toHex(Icmpv4Repr.toBytes(repr))).toBe(toHex(msg));
    }
  });

  it('builds an echo reply from a request as icmp_echo does', () => {
    const q = Icmpv4Repr.parse(icmpOf(ECHO_REQUEST))!;
    if (q.kind !== 'echo-request') throw new Error('not an echo');
    const reply: Icmpv4Repr = { kind: 'echo-reply', ident: q.ident, seqNo: q.seqNo, data: q.data };
    expect(toHex(Icmpv4Repr.toBytes(reply))).toBe(toHex(icmpOf(ECHO_REPLY).bytes));
  });

  it('emits a redirect with its gateway and an unknown type unchanged', () => {
    const gw = parseIpv4('10.0.0.254')!;
    const b = Icmpv4Repr.toBytes({ kind: 'redirect', code: ICMP_REDIR_HOST, gateway: gw, data: new Uint8Array(28) });
    const p = Icmpv4Packet.newChecked(b)!;
    expect(p.type).toBe(5);
    expect(p.gateway).toBe(gw);
    expect(p.verifyChecksum()).toBe(true);
    expect(Icmpv4Repr.parse(p)).toMatchObject({ kind: 'redirect', code: 1, gateway: gw });
    const o = Icmpv4Repr.toBytes({ kind: 'other', type: 13, code: 0, rest: 0x12345678, data: new Uint8Array(12) });
    expect(Icmpv4Repr.parse(Icmpv4Packet.newChecked(o)!)).toMatchObject({ kind: 'other', type: 13, rest: 0x12345678 });
    const t = Icmpv4Repr.toBytes({ kind: 'time-exceeded', code: ICMP_EXC_TTL, data: new Uint8Array(3) });
    expect(Icmpv4Packet.newChecked(t)!.type).toBe(ICMP_TIME_EXCEEDED);
    expect(Icmpv4Packet.newChecked(t)!.verifyChecksum()).toBe(true);
  });

  it('parse ∘ emit is the identity', () => {
    const data = fc.uint8Array({ maxLength: 64 });
    const u16 = fc.integer({ min: 0, max: 0xffff });
    const u8 = fc.integer({ min: 0, max: 255 });
    const repr: fc.Arbitrary<Icmpv4Repr> = fc.oneof(
      fc.record({ kind: fc.constantFrom('echo-request' as const, 'echo-reply' as const), ident: u16, seqNo: u16, data }),
      fc.record({ kind: fc.constant('dest-unreachable' as const), code: u8, nextHopMtu: u16, data }),
      fc.record({ kind: fc.constant('time-exceeded' as const), code: u8, data }),
      fc.record({ kind: fc.constant('redirect' as const), code: u8, gateway: fc.integer({ min: 0, max: 0xffffffff }), data }),
      fc.record({
        kind: fc.constant('other' as const),
        type: u8.filter((t) => ![0, 3, 5, 8, 11].includes(t)),
        code: u8,
        rest: fc.integer({ min: 0, max: 0xffffffff }),
        data,
      }),
    );
    fc.assert(
      fc.property(repr, (r) => {
        const back = Icmpv4Repr.parse(Icmpv4Packet.newChecked(Icmpv4Repr.toBytes(r))!);
        expect(back).toEqual(r);
      }),
    );
  });
});
