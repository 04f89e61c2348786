// Untrusted bytes never throw: every checked view, every getter on it, and
// every parser, over random bytes and over mangled real frames.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArpPacket, ArpRepr } from '../../src/wire/arp.ts';
import { internetChecksum } from '../../src/wire/checksum.ts';
import { EthernetFrame, EthernetRepr } from '../../src/wire/ethernet.ts';
import { Icmpv4Packet, Icmpv4Repr } from '../../src/wire/icmp.ts';
import { Ipv4Packet, Ipv4Repr } from '../../src/wire/ipv4.ts';
import { readPcap } from '../../src/wire/pcap.ts';
import { TcpPacket, TcpRepr, parseTcpOptions } from '../../src/wire/tcp.ts';
import { UdpPacket, UdpRepr } from '../../src/wire/udp.ts';
import * as F from './fixtures.ts';

/** Reads every getter of a view (a getter that throws fails the property). */
function touch(view: object): void {
  let proto = Object.getPrototypeOf(view) as object | null;
  while (proto && proto !== Object.prototype) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (d.get) void (view as Record<string, unknown>)[name];
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
}

/** More runs: FUZZ_RUNS=100000 npx vitest run test/wire/fuzz.test.ts */
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

const A = 0x0a000001;
const B = 0x0a000002;

/** Runs every parser on `b` as each layer; returns how many views accepted it. */
function parseAll(b: Uint8Array): number {
  let n = 0;
  const eth = EthernetFrame.newChecked(b);
  if (eth) {
    n++;
    touch(eth);
    EthernetRepr.parse(eth);
  }
  for (const body of [b, eth?.payload ?? b]) {
    const arp = ArpPacket.newChecked(body);
    if (arp) {
      n++;
      touch(arp);
      ArpRepr.parse(arp);
    }
    const ip = Ipv4Packet.newChecked(body);
    if (ip) {
      n++;
      touch(ip);
      ip.verifyChecksum();
      Ipv4Repr.parse(ip);
      Ipv4Repr.parse(ip, { ignoreChecksum: true });
    }
    for (const l4 of [body, ip?.payload ?? body]) {
      const icmp = Icmpv4Packet.newChecked(l4);
      if (icmp) {
        n++;
        touch(icmp);
        Icmpv4Repr.parse(icmp);
        Icmpv4Repr.parse(icmp, { ignoreChecksum: true });
      }
      const udp = UdpPacket.newChecked(l4);
      if (udp) {
        n++;
        touch(udp);
        udp.verifyChecksum(A, B);
        UdpRepr.parse(udp, { src: A, dst: B });
        UdpRepr.parse(udp);
      }
      const tcp = TcpPacket.newChecked(l4);
      if (tcp) {
        n++;
        touch(tcp);
        tcp.verifyChecksum(A, B);
        TcpRepr.parse(tcp, { src: A, dst: B });
        TcpRepr.parse(tcp);
      }
      parseTcpOptions(l4);
    }
  }
  internetChecksum(b, 3, b.length + 5);
  readPcap(b);
  return n;
}

const REAL = [
  F.ARP_REQUEST,
  F.ARP_REPLY,
  F.ECHO_REQUEST,
  F.ECHO_REPLY,
  F.TCP_SYN_PARTIAL,
  F.TCP_RST,
  F.TIME_EXCEEDED,
  F.PORT_UNREACH,
  F.FRAG_NEEDED,
  F.FRAG_FIRST,
  F.FRAG_LAST,
  F.IP_BAD_CSUM,
  F.IP_IHL_4,
  F.IP_TOTLEN_GT_FRAME,
  F.UDP_BAD_CSUM,
  F.TCP_SYN_BAD_CSUM,
  F.IP_PROTO_253,
  F.PROT_UNREACH,
];

describe('random bytes never throw', () => {
  it('from any parser', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 128 }), (b) => void parseAll(b)), { numRuns: RUNS });
  });

  it('from any parser, at an odd offset into a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 128 }), fc.nat(), fc.nat(), (b, s, e) => {
        const start = s % b.length;
        void parseAll(b.subarray(start, start + (e % (b.length - start + 1))));
      }),
      { numRuns: RUNS },
    );
  });

  it('from any parser on real frames with bytes changed, cut or extended', () => {
    const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.constantFrom(...REAL), fc.array(edit, { maxLength: 6 }), fc.nat(), fc.uint8Array({ maxLength: 8 }), (frame, edits, cut, tail) => {
        const b = frame.slice();
        for (const [i, v] of edits) b[i % b.length] = v;
        const cutAt = cut % (b.length + 1);
        void parseAll(b.subarray(0, cutAt));
        void parseAll(Uint8Array.from([...b, ...tail]));
      }),
      { numRuns: RUNS },
    );
  });

  it('real frames are accepted by the layers they hold', () => {
    // The parsers are not vacuous: each real frame passes some checked view.
    for (const f of REAL) expect(parseAll(f)).toBeGreaterThan(0);
  });
});
