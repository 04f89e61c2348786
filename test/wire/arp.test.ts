import { describe, expect, it } from 'vitest';
import {
  ARPHRD_ETHER,
  ARPOP_REPLY,
  ARPOP_REQUEST,
  ARP_SHA,
  ARP_THA,
  arp_sip,
  arp_tip,
  arph_hln,
  arph_hrd,
  arph_op,
  arph_pln,
  arph_pro,
} from '../../src/wire/arp.ts';
import { ETH_HLEN, ETH_P_IP, formatMac } from '../../src/wire/ethernet.ts';
import { ipv4ToString } from '../../src/wire/ipv4.ts';
import { ARP_REPLY, ARP_REQUEST } from './fixtures.ts';

const mac = (b: Uint8Array, o: number): string => formatMac(b.subarray(o, o + 6));

describe('struct arphdr', () => {
  it('reads a real request', () => {
    const b = ARP_REQUEST;
    const o = ETH_HLEN;
    expect(arph_hrd(b, o)).toBe(ARPHRD_ETHER);
    expect(arph_pro(b, o)).toBe(ETH_P_IP);
    expect(arph_hln(b, o)).toBe(6);
    expect(arph_pln(b, o)).toBe(4);
    expect(arph_op(b, o)).toBe(ARPOP_REQUEST);
    expect(mac(b, o + ARP_SHA)).toBe('02:00:00:00:00:0a');
    expect(ipv4ToString(arp_sip(b, o))).toBe('10.0.0.1');
    expect(mac(b, o + ARP_THA)).toBe('00:00:00:00:00:00');
    expect(ipv4ToString(arp_tip(b, o))).toBe('10.0.0.2');
  });

  it('reads a real reply', () => {
    const b = ARP_REPLY;
    const o = ETH_HLEN;
    expect(arph_op(b, o)).toBe(ARPOP_REPLY);
    expect(mac(b, o + ARP_SHA)).toBe('02:00:00:00:00:0b');
    expect(ipv4ToString(arp_sip(b, o))).toBe('10.0.0.2');
    expect(mac(b, o + ARP_THA)).toBe('02:00:00:00:00:0a');
    expect(ipv4ToString(arp_tip(b, o))).toBe('10.0.0.1');
  });
});
