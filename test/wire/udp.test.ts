import { describe, expect, it } from 'vitest';
import { checksumAdd, checksumFinish, pseudoHeaderSumV4 } from '../../src/wire/checksum.ts';
import { iph_daddr, iph_ihl, iph_saddr } from '../../src/wire/ipv4.ts';
import { UDPH_CHECK, UDP_HEADER_LEN, udph_check, udph_dest, udph_len, udph_source } from '../../src/wire/udp.ts';
import { TIME_EXCEEDED, UDP_BAD_CSUM } from './fixtures.ts';

describe('struct udphdr', () => {
  it('reads the malformed-frames datagram and finds the checksum tcpdump wants (0x25ec -> 0x70b9)', () => {
    const b = UDP_BAD_CSUM.slice();
    const uh = 14 + iph_ihl(b, 14) * 4;
    expect(udph_source(b, uh)).toBe(40000);
    expect(udph_dest(b, uh)).toBe(9);
    expect(udph_len(b, uh)).toBe(12);
    expect(udph_check(b, uh)).toBe(0x25ec);
    expect(new TextDecoder().decode(b.subarray(uh + UDP_HEADER_LEN, uh + 12))).toBe('ping');
    b[uh + UDPH_CHECK] = 0;
    b[uh + UDPH_CHECK + 1] = 0;
    expect(checksumFinish(checksumAdd(pseudoHeaderSumV4(iph_saddr(b, 14), iph_daddr(b, 14), 17, 12), b, uh, uh + 12))).toBe(0x70b9);
  });

  it('reads the traceroute probe quoted in a time exceeded', () => {
    const uh = 14 + 20 + 8 + 20;
    expect(udph_dest(TIME_EXCEEDED, uh)).toBe(33434);
    expect(udph_len(TIME_EXCEEDED, uh)).toBe(40);
    expect(TIME_EXCEEDED[uh + UDP_HEADER_LEN]).toBe(0x40);
  });
});
