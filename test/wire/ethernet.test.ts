import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ETH_HLEN,
  EtherType,
  EthernetFrame,
  EthernetRepr,
  broadcastMac,
  formatMac,
  isBroadcast,
  isMulticast,
  isZeroMac,
  macEquals,
  parseMac,
} from '../../src/wire/ethernet.ts';
import { ARP_REQUEST, ECHO_REQUEST, toHex } from './fixtures.ts';

describe('EthernetFrame', () => {
  it('reads a real broadcast ARP frame', () => {
    const f = EthernetFrame.newChecked(ARP_REQUEST)!;
    expect(f).not.toBeNull();
    expect(formatMac(f.dst)).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatMac(f.src)).toBe('02:00:00:00:00:0a');
    expect(f.ethertype).toBe(EtherType.ARP);
    expect(f.headerLen).toBe(14);
    expect(f.payload.length).toBe(28);
    expect(isBroadcast(f.dst)).toBe(true);
  });

  it('reads a real IPv4 frame', () => {
    const f = EthernetFrame.newChecked(ECHO_REQUEST)!;
    expect(f.ethertype).toBe(0x0800);
    expect(formatMac(f.dst)).toBe('02:00:00:00:00:0b');
    expect(isMulticast(f.dst)).toBe(false);
  });

  it('is a view: writes land in the caller’s bytes', () => {
    const b = ECHO_REQUEST.slice();
    const f = EthernetFrame.newChecked(b)!;
    f.dst = parseMac('02:00:00:00:00:ee')!;
    f.ethertype = EtherType.VLAN;
    expect(toHex(b.subarray(0, 14))).toBe('0200000000ee02000000000a8100');
    // Subarrays of a larger buffer keep their offset.
    const big = new Uint8Array(100);
    big.set(ARP_REQUEST, 10);
    const g = EthernetFrame.newChecked(big.subarray(10, 10 + ARP_REQUEST.length))!;
    expect(g.ethertype).toBe(EtherType.ARP);
  });

  it('refuses fewer than 14 bytes', () => {
    expect(EthernetFrame.newChecked(new Uint8Array(13))).toBeNull();
    expect(EthernetFrame.newChecked(new Uint8Array(ETH_HLEN))).not.toBeNull();
  });

  it('repr round-trips the header', () => {
    const r = EthernetRepr.parse(EthernetFrame.newChecked(ECHO_REQUEST)!);
    expect(r.ethertype).toBe(EtherType.IPV4);
    const out = new Uint8Array(r.bufferLen());
    r.emit(EthernetFrame.newUnchecked(out));
    expect(toHex(out)).toBe(toHex(ECHO_REQUEST.subarray(0, 14)));
    expect(r.bufferLen(84)).toBe(98);
  });
});

describe('MAC helpers', () => {
  it('parses and formats', () => {
    expect(Array.from(parseMac('02:00:00:00:00:0a')!)).toEqual([2, 0, 0, 0, 0, 10]);
    expect(formatMac(parseMac('AA:BB:CC:DD:EE:FF')!)).toBe('aa:bb:cc:dd:ee:ff');
    expect(formatMac(parseMac('2:0:0:0:0:a')!)).toBe('02:00:00:00:00:0a');
  });

  it('rejects malformed addresses', () => {
    for (const s of ['', '02:00:00:00:00', '02:00:00:00:00:0a:0b', '02:00:00:00:00:0g', '002:00:00:00:00:0a', '02-00-00-00-00-0a', '02:00:00:00::0a', ' 02:00:00:00:00:0a']) {
      expect(parseMac(s), s).toBeNull();
    }
  });

  it('classifies', () => {
    expect(isBroadcast(broadcastMac())).toBe(true);
    expect(isMulticast(broadcastMac())).toBe(true);
    expect(isMulticast(parseMac('01:00:5e:00:00:01')!)).toBe(true);
    expect(isMulticast(parseMac('02:00:00:00:00:01')!)).toBe(false);
    expect(isBroadcast(parseMac('ff:ff:ff:ff:ff:fe')!)).toBe(false);
    expect(isZeroMac(new Uint8Array(6))).toBe(true);
    expect(macEquals(parseMac('02:00:00:00:00:0a')!, ARP_REQUEST.subarray(6, 12))).toBe(true);
  });

  it('broadcastMac is fresh each call', () => {
    const a = broadcastMac();
    a[0] = 0;
    expect(isBroadcast(broadcastMac())).toBe(true);
  });

  it('format ∘ parse is the identity on lowercase addresses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (m) => {
        const s = formatMac(m);
        expect(s).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
        expect(Array.from(parseMac(s)!)).toEqual(Array.from(m));
      }),
    );
  });

  it('parseMac never throws', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseMac(s)));
  });
});
