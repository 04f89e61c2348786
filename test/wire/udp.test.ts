import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Packet, parseIpv4 } from '../../src/wire/ipv4.ts';
import { UdpPacket, UdpRepr } from '../../src/wire/udp.ts';
import { TIME_EXCEEDED, UDP_BAD_CSUM, hex, toHex } from './fixtures.ts';

const A = parseIpv4('10.0.0.1')!;
const B = parseIpv4('10.0.0.2')!;

describe('UdpPacket', () => {
  it('reads the malformed-frames datagram and finds the checksum tcpdump wants (0x25ec -> 0x70b9)', () => {
    const ip = Ipv4Packet.newChecked(UDP_BAD_CSUM.subarray(14))!;
    const u = UdpPacket.newChecked(ip.payload)!;
    expect(u.srcPort).toBe(40000);
    expect(u.dstPort).toBe(9);
    expect(u.len).toBe(12);
    expect(u.checksum).toBe(0x25ec);
    expect(new TextDecoder().decode(u.payload)).toBe('ping');
    expect(u.verifyChecksum(ip.src, ip.dst)).toBe(false);
    expect(u.computeChecksum(ip.src, ip.dst)).toBe(0x70b9);
    expect(UdpRepr.parse(u, { src: ip.src, dst: ip.dst })).toBeNull();
    expect(UdpRepr.parse(u)?.dstPort).toBe(9);
  });

  it('reads the traceroute probe quoted in a time exceeded', () => {
    const quoted = Ipv4Packet.newChecked(Ipv4Packet.newChecked(TIME_EXCEEDED.subarray(14))!.payload.subarray(8))!;
    const u = UdpPacket.newChecked(quoted.payload)!;
    expect(u.dstPort).toBe(33434);
    expect(u.len).toBe(40);
    expect(u.payload.length).toBe(32);
    expect(u.payload[0]).toBe(0x40);
  });

  it('rejects short buffers and bad length fields', () => {
    expect(UdpPacket.check(new Uint8Array(7))).toBe('truncated');
    expect(UdpPacket.check(hex('9c40000900070000'))).toBe('bad-length');
    expect(UdpPacket.check(hex('9c40000900090000'))).toBe('length-overflow');
    expect(UdpPacket.newChecked(hex('9c40000900080000'))).not.toBeNull();
    expect(UdpPacket.newChecked(hex('9c40000900090000'))).toBeNull();
  });

  it('a zero checksum means none', () => {
    const b = hex('9c400009000c0000') ;
    const u = UdpPacket.newChecked(Uint8Array.from([...b, 1, 2, 3, 4]))!;
    expect(u.verifyChecksum(A, B)).toBe(true);
  });

  it('payload stops at the length field', () => {
    const u = UdpPacket.newChecked(hex('000100020009000041424344'))!;
    expect(toHex(u.payload)).toBe('41');
  });
});

describe('UdpRepr', () => {
  it('emits the malformed-frames datagram with the right checksum', () => {
    const r = new UdpRepr({ srcPort: 40000, dstPort: 9, payload: new TextEncoder().encode('ping') });
    expect(r.bufferLen()).toBe(12);
    const b = r.toBytes({ src: A, dst: B });
    expect(toHex(b)).toBe('9c400009000c70b970696e67');
    expect(toHex(r.toBytes())).toBe('9c400009000c000070696e67');
  });

  it('sends a computed 0 as 0xffff', () => {
    // Find a payload word that makes the sum come out to 0.
    const r = new UdpRepr({ srcPort: 1, dstPort: 2, payload: new Uint8Array(2) });
    const c = UdpPacket.newChecked(r.toBytes())!.computeChecksum(A, B);
    const w = (~c & 0xffff) === 0 ? 0 : c; // adding the checksum value itself zeroes the sum
    const r2 = new UdpRepr({ srcPort: 1, dstPort: 2, payload: Uint8Array.from([w >> 8, w & 0xff]) });
    const u = UdpPacket.newChecked(r2.toBytes({ src: A, dst: B }))!;
    expect(u.checksum).toBe(0xffff);
    expect(u.verifyChecksum(A, B)).toBe(true);
  });

  it('parse ∘ emit is the identity, and checksums verify', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (sp, dp, payload, src, dst) => {
          const r = new UdpRepr({ srcPort: sp, dstPort: dp, payload });
          const b = r.toBytes({ src, dst });
          const back = UdpRepr.parse(UdpPacket.newChecked(b)!, { src, dst });
          expect(back).toEqual(r);
        },
      ),
    );
  });
});
