// in6 addresses against glibc: ipv6.glibc.json was written by Python's
// socket.inet_pton/inet_ntop (glibc) on this machine: [text, glibc's
// inet_ntop(inet_pton(text)) or null when inet_pton refused it], and
// [hex of 16 bytes, inet_ntop of them] for random addresses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv6ToString, parseIpv6 } from '../../src/wire/ipv6.ts';
import cases from './ipv6.glibc.json' with { type: 'json' };

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

describe('in6 addresses as glibc', () => {
  it('parses and prints text as inet_pton/inet_ntop', () => {
    for (const [text, want] of cases as [string, string | null][]) {
      if (/^[0-9a-f]{32}$/.test(text)) continue;
      const a = parseIpv6(text);
      expect(a === null ? null : ipv6ToString(a), text).toBe(want);
    }
  });
  it('prints bytes as inet_ntop', () => {
    for (const [text, want] of cases as [string, string][]) {
      if (!/^[0-9a-f]{32}$/.test(text)) continue;
      expect(ipv6ToString(hex(text)), text).toBe(want);
    }
  });
  it('reads back what it prints', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const back = parseIpv6(ipv6ToString(b));
        expect(back).toEqual(b);
      }),
    );
  });
});
