import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { internetChecksum } from '../../src/wire/checksum.ts';
import {
  IPPROTO_ICMP,
  IP_DF,
  IP_MF,
  IP_OFFSET,
  iph_check,
  iph_daddr,
  iph_frag_off,
  iph_id,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  iph_tot_len,
  iph_ttl,
  iph_version,
  ipv4ToString,
  parseIpv4,
} from '../../src/wire/ipv4.ts';
import { ECHO_REQUEST, FRAG_FIRST, FRAG_LAST, IP_BAD_CSUM, IP_IHL_4, IP_PROTO_253, TIME_EXCEEDED } from './fixtures.ts';

describe('struct iphdr', () => {
  it('reads a real echo request header (ttl 64, id 0x3aa2, DF, proto ICMP, length 84)', () => {
    const b = ECHO_REQUEST;
    const o = 14;
    expect(iph_version(b, o)).toBe(4);
    expect(iph_ihl(b, o)).toBe(5);
    expect(iph_tos(b, o)).toBe(0);
    expect(iph_tot_len(b, o)).toBe(84);
    expect(iph_id(b, o)).toBe(0x3aa2);
    expect(iph_frag_off(b, o)).toBe(IP_DF);
    expect(iph_ttl(b, o)).toBe(64);
    expect(iph_protocol(b, o)).toBe(IPPROTO_ICMP);
    expect(iph_check(b, o)).toBe(0xec04);
    expect(ipv4ToString(iph_saddr(b, o))).toBe('10.0.0.1');
    expect(ipv4ToString(iph_daddr(b, o))).toBe('10.0.0.2');
    expect(internetChecksum(b, o, o + 20)).toBe(0);
  });

  it('reads fragments: MF with offset 0, then offset 976 without MF', () => {
    expect(iph_frag_off(FRAG_FIRST, 14)).toBe(IP_MF);
    expect(iph_ttl(FRAG_FIRST, 14)).toBe(63);
    expect(iph_frag_off(FRAG_LAST, 14) & IP_MF).toBe(0);
    expect((iph_frag_off(FRAG_LAST, 14) & IP_OFFSET) * 8).toBe(976);
  });

  it('reads what Linux and the oracle put on the wire', () => {
    expect(iph_tos(TIME_EXCEEDED, 14)).toBe(0xc0);
    expect(iph_ihl(IP_IHL_4, 14)).toBe(4);
    expect(iph_protocol(IP_PROTO_253, 14)).toBe(253);
    expect(iph_check(IP_BAD_CSUM, 14)).toBe(0x309b);
    expect(internetChecksum(IP_BAD_CSUM, 14, 34)).not.toBe(0);
  });
});

describe('addresses', () => {
  it('formats and parses', () => {
    expect(ipv4ToString(0x0a000001)).toBe('10.0.0.1');
    expect(ipv4ToString(0xffffffff)).toBe('255.255.255.255');
    expect(ipv4ToString(-1)).toBe('255.255.255.255');
    expect(parseIpv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIpv4('0.0.0.0')).toBe(0);
  });

  it('is strict like inet_pton', () => {
    for (const s of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '1.2.3.04',
      '1..3.4',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '0x1.2.3.4',
      '1.2.3.-4',
      '+1.2.3.4',
      '1.2.3.4/24',
      '1e2.0.0.1',
      '1000.0.0.1',
      '١.2.3.4',
    ]) {
      expect(parseIpv4(s), JSON.stringify(s)).toBeNull();
    }
  });

  it('toString ∘ parse is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (a) => {
        expect(parseIpv4(ipv4ToString(a))).toBe(a);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => void parseIpv4(s)));
  });
});
