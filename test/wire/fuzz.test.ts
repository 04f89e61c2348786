// Untrusted bytes never throw: every field accessor of every header, at any
// offset of random bytes (past the end included), and the pcap reader.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as arp from '../../src/wire/arp.ts';
import * as eth from '../../src/wire/ethernet.ts';
import * as icmp from '../../src/wire/icmp.ts';
import * as ipv4 from '../../src/wire/ipv4.ts';
import { readPcap } from '../../src/wire/pcap.ts';
import * as tcp from '../../src/wire/tcp.ts';
import * as udp from '../../src/wire/udp.ts';

/** More runs: FUZZ_RUNS=100000 npx vitest run test/wire/fuzz.test.ts */
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

/** Every `xxx_field(b, o)` accessor the wire modules export. */
const ACCESSORS = [arp, eth, icmp, ipv4, tcp, udp].flatMap((m) =>
  Object.entries(m).filter(([name, f]) => typeof f === 'function' && /^[a-z]+_[a-z_]+$/.test(name)),
) as [string, (b: Uint8Array, o: number) => number][];

describe('field accessors', () => {
  it('cover every header', () => {
    expect(ACCESSORS.map(([n]) => n)).toEqual(
      expect.arrayContaining(['eth_proto', 'iph_ihl', 'tcph_doff', 'udph_len', 'icmph_type', 'arph_op']),
    );
  });

  it('never throw and give integers on random bytes at any offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(100), (b, o) => {
        for (const [, f] of ACCESSORS) {
          const v = f(b, o);
          if (v !== undefined) expect(Number.isInteger(v)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('readPcap', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => void readPcap(b)),
      { numRuns: RUNS },
    );
  });
});
