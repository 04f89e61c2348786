import { describe, expect, it } from 'vitest';
import { ARP_ETH_IPV4_LEN, ArpOp, ArpPacket, ArpRepr } from '../../src/wire/arp.ts';
import { EthernetFrame, formatMac, parseMac } from '../../src/wire/ethernet.ts';
import { ipv4ToString, parseIpv4 } from '../../src/wire/ipv4.ts';
import { ARP_REPLY, ARP_REQUEST, hex, toHex } from './fixtures.ts';

const arpOf = (frame: Uint8Array) => ArpPacket.newChecked(EthernetFrame.newChecked(frame)!.payload)!;

describe('ArpPacket', () => {
  it('reads a real request: who-has 10.0.0.2 tell 10.0.0.1', () => {
    const p = arpOf(ARP_REQUEST);
    expect(p.htype).toBe(1);
    expect(p.ptype).toBe(0x0800);
    expect(p.hlen).toBe(6);
    expect(p.plen).toBe(4);
    expect(p.op).toBe(ArpOp.REQUEST);
    expect(p.packetLen).toBe(28);
    expect(formatMac(p.sha)).toBe('02:00:00:00:00:0a');
    expect(ipv4ToString(p.spa)).toBe('10.0.0.1');
    expect(formatMac(p.tha)).toBe('00:00:00:00:00:00');
    expect(ipv4ToString(p.tpa)).toBe('10.0.0.2');
    expect(toHex(p.spaBytes)).toBe('0a000001');
    expect(toHex(p.tpaBytes)).toBe('0a000002');
  });

  it('reads a real reply: 10.0.0.2 is-at 02:00:00:00:00:0b', () => {
    const r = ArpRepr.parse(arpOf(ARP_REPLY))!;
    expect(r.op).toBe(ArpOp.REPLY);
    expect(formatMac(r.sha)).toBe('02:00:00:00:00:0b');
    expect(ipv4ToString(r.spa)).toBe('10.0.0.2');
    expect(formatMac(r.tha)).toBe('02:00:00:00:00:0a');
    expect(ipv4ToString(r.tpa)).toBe('10.0.0.1');
  });

  it('refuses truncated packets, using HLEN and PLEN', () => {
    const body = ARP_REQUEST.subarray(14);
    expect(ArpPacket.newChecked(body.subarray(0, 7))).toBeNull();
    expect(ArpPacket.newChecked(body.subarray(0, 27))).toBeNull();
    expect(ArpPacket.newChecked(body)).not.toBeNull();
    const big = body.slice();
    big[4] = 200; // hlen
    expect(ArpPacket.newChecked(big)).toBeNull();
  });

  it('repr is for Ethernet/IPv4 only', () => {
    for (const [at, v] of [[1, 6], [3, 0xdd], [4, 8], [5, 16]] as const) {
      const b = new Uint8Array(100);
      b.set(ARP_REQUEST.subarray(14));
      b[at] = v;
      const p = ArpPacket.newChecked(b);
      expect(p).not.toBeNull();
      expect(ArpRepr.parse(p!)).toBeNull();
    }
  });

  it('reads protocol addresses as 0 unless PLEN is 4', () => {
    const b = new Uint8Array(8 + 2 * (6 + 2));
    b.set([0, 1, 8, 0, 6, 2, 0, 1]);
    const p = ArpPacket.newChecked(b)!;
    expect(p.packetLen).toBe(24);
    expect(p.spa).toBe(0);
    expect(p.tpa).toBe(0);
    expect(p.tpaBytes.length).toBe(2);
  });

  it('repr copies addresses out of the packet', () => {
    const b = ARP_REQUEST.slice(14);
    const r = ArpRepr.parse(ArpPacket.newChecked(b)!)!;
    b.fill(0);
    expect(formatMac(r.sha)).toBe('02:00:00:00:00:0a');
  });
});

describe('ArpRepr emit', () => {
  it('reproduces the real request byte for byte', () => {
    const r = new ArpRepr({
      op: ArpOp.REQUEST,
      sha: parseMac('02:00:00:00:00:0a')!,
      spa: parseIpv4('10.0.0.1')!,
      tha: new Uint8Array(6),
      tpa: parseIpv4('10.0.0.2')!,
    });
    expect(r.bufferLen()).toBe(ARP_ETH_IPV4_LEN);
    expect(toHex(r.toBytes())).toBe(toHex(ARP_REQUEST.subarray(14)));
  });

  it('round-trips the real reply', () => {
    const r = ArpRepr.parse(arpOf(ARP_REPLY))!;
    const buf = new Uint8Array(r.bufferLen());
    r.emit(ArpPacket.newUnchecked(buf));
    expect(buf).toEqual(ARP_REPLY.subarray(14));
  });

  it('emits into a larger buffer at an offset', () => {
    const frame = new Uint8Array(60);
    frame.set(hex('ffffffffffff02000000000a0806'));
    ArpRepr.parse(arpOf(ARP_REQUEST))!.emit(ArpPacket.newUnchecked(frame.subarray(14)));
    expect(toHex(frame.subarray(0, 42))).toBe(toHex(ARP_REQUEST));
  });
});
