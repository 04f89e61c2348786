import { describe, expect, it } from 'vitest';
import { ETH_DEST, ETH_HLEN, ETH_P_ARP, ETH_P_IP, ETH_SOURCE, eth_proto, formatMac, parseMac } from '../../src/wire/ethernet.ts';
import { ARP_REQUEST, ECHO_REQUEST } from './fixtures.ts';

describe('struct ethhdr', () => {
  it('reads a real broadcast ARP frame', () => {
    expect(formatMac(ARP_REQUEST.subarray(ETH_DEST, ETH_DEST + 6))).toBe('ff:ff:ff:ff:ff:ff');
    expect(formatMac(ARP_REQUEST.subarray(ETH_SOURCE, ETH_SOURCE + 6))).toBe('02:00:00:00:00:0a');
    expect(eth_proto(ARP_REQUEST, 0)).toBe(ETH_P_ARP);
    expect(ARP_REQUEST.length - ETH_HLEN).toBe(28);
  });

  it('reads a real IPv4 frame at an offset of a larger buffer', () => {
    const big = new Uint8Array(200);
    big.set(ECHO_REQUEST, 10);
    expect(eth_proto(big, 10)).toBe(ETH_P_IP);
    expect(formatMac(big.subarray(10 + ETH_DEST, 10 + ETH_DEST + 6))).toBe('02:00:00:00:00:0b');
  });
});

describe('MAC helpers', () => {
  it('parses and formats', () => {
    expect(Array.from(parseMac('02:00:00:00:00:0a')!)).toEqual([2, 0, 0, 0, 0, 10]);
    expect(formatMac(parseMac('AA:BB:CC:DD:EE:FF')!)).toBe('aa:bb:cc:dd:ee:ff');
    expect(formatMac(parseMac('2:0:0:0:0:a')!)).toBe('02:00:00:00:00:0a');
  });

  it('rejects malformed addresses', () => {
    for (const s of [
      '',
      '02:00:00:00:00',
      '02:00:00:00:00:0a:0b',
      '02:00:00:00:00:0g',
      '002:00:00:00:00:0a',
      '02-00-00-00-00-0a',
      '02:00:00:00::0a',
      ' 02:00:00:00:00:0a',
    ]) {
      expect(parseMac(s), s).toBeNull();
    }
  });
});
