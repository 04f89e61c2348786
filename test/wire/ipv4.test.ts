import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  IP_DF,
  IP_MF,
  IpProtocol,
  Ipv4Packet,
  Ipv4Repr,
  ipv4Broadcast,
  ipv4InPrefix,
  ipv4IsLbcast,
  ipv4IsLoopback,
  ipv4IsMulticast,
  ipv4IsZeronet,
  ipv4Network,
  ipv4ToBytes,
  ipv4ToString,
  maskToPrefix,
  parseIpv4,
  parseIpv4Cidr,
  prefixToMask,
} from '../../src/wire/ipv4.ts';
import {
  ECHO_REPLY,
  ECHO_REQUEST,
  FRAG_FIRST,
  FRAG_LAST,
  IP_BAD_CSUM,
  IP_IHL_4,
  IP_PROTO_253,
  IP_TOTLEN_GT_FRAME,
  TIME_EXCEEDED,
  toHex,
} from './fixtures.ts';

const ip = (frame: Uint8Array) => frame.subarray(14);

describe('Ipv4Packet', () => {
  it('reads a real echo request header', () => {
    const p = Ipv4Packet.newChecked(ip(ECHO_REQUEST))!;
    expect(p).not.toBeNull();
    expect(p.version).toBe(4);
    expect(p.ihl).toBe(5);
    expect(p.headerLen).toBe(20);
    expect(p.tos).toBe(0);
    expect(p.totalLen).toBe(84);
    expect(p.ident).toBe(0x3aa2);
    expect(p.dontFrag).toBe(true);
    expect(p.moreFrags).toBe(false);
    expect(p.fragOffset).toBe(0);
    expect(p.isFragment).toBe(false);
    expect(p.ttl).toBe(64);
    expect(p.protocol).toBe(IpProtocol.ICMP);
    expect(p.checksum).toBe(0xec04);
    expect(ipv4ToString(p.src)).toBe('10.0.0.1');
    expect(ipv4ToString(p.dst)).toBe('10.0.0.2');
    expect(p.verifyChecksum()).toBe(true);
    expect(p.payload.length).toBe(64);
    expect(p.options.length).toBe(0);
  });

  it('reads flags [none] on the reply and tos 0xc0 on an ICMP error', () => {
    const r = Ipv4Packet.newChecked(ip(ECHO_REPLY))!;
    expect(r.dontFrag).toBe(false);
    expect(r.fragOff).toBe(0);
    const t = Ipv4Packet.newChecked(ip(TIME_EXCEEDED))!;
    expect(t.tos).toBe(0xc0);
    expect(t.dscp).toBe(0x30);
    expect(t.ecn).toBe(0);
    expect(t.verifyChecksum()).toBe(true);
  });

  it('reads fragments: flags [+] offset 0, then offset 976', () => {
    const a = Ipv4Packet.newChecked(ip(FRAG_FIRST))!;
    expect(a.moreFrags).toBe(true);
    expect(a.fragOffset).toBe(0);
    expect(a.isFragment).toBe(true);
    expect(a.totalLen).toBe(996);
    expect(a.ttl).toBe(63);
    const b = Ipv4Packet.newChecked(ip(FRAG_LAST))!;
    expect(b.moreFrags).toBe(false);
    expect(b.fragOffset).toBe(976);
    expect(b.fragOff & 0x1fff).toBe(122);
    expect(b.isFragment).toBe(true);
    expect(a.ident).toBe(b.ident);
    expect(a.verifyChecksum() && b.verifyChecksum()).toBe(true);
  });

  it('payload excludes Ethernet padding after the total length', () => {
    const p = Ipv4Packet.newChecked(ip(IP_PROTO_253))!;
    expect(p.protocol).toBe(253);
    expect(p.totalLen).toBe(36);
    expect(p.payload.length).toBe(16);
  });

  it('finds the bad checksum tcpdump reports (309b, should be 65ce)', () => {
    const p = Ipv4Packet.newChecked(ip(IP_BAD_CSUM))!;
    expect(p).not.toBeNull();
    expect(p.checksum).toBe(0x309b);
    expect(p.verifyChecksum()).toBe(false);
    expect(Ipv4Repr.parse(p)).toBeNull();
    expect(Ipv4Repr.parse(p, { ignoreChecksum: true })).not.toBeNull();
    const fixed = ip(IP_BAD_CSUM).slice();
    const q = Ipv4Packet.newChecked(fixed)!;
    q.fillChecksum();
    expect(q.checksum).toBe(0x65ce);
    expect(q.verifyChecksum()).toBe(true);
  });

  it('rejects IHL 4 ("bad-hlen 16")', () => {
    expect(Ipv4Packet.check(ip(IP_IHL_4))).toBe('bad-ihl');
    expect(Ipv4Packet.newChecked(ip(IP_IHL_4))).toBeNull();
  });

  it('rejects a total length past the frame ("truncated-ip - 40 bytes missing")', () => {
    expect(Ipv4Packet.check(ip(IP_TOTLEN_GT_FRAME))).toBe('length-overflow');
    expect(Ipv4Packet.newChecked(ip(IP_TOTLEN_GT_FRAME))).toBeNull();
  });

  it('rejects a bad version, a short buffer, a header past the buffer, a total below the header', () => {
    const b = ip(ECHO_REQUEST).slice();
    b[0] = 0x65;
    expect(Ipv4Packet.check(b)).toBe('bad-version');
    expect(Ipv4Packet.check(ip(ECHO_REQUEST).subarray(0, 19))).toBe('truncated');
    expect(Ipv4Packet.check(new Uint8Array(0))).toBe('truncated');
    const c = ip(ECHO_REQUEST).slice(0, 24);
    c[0] = 0x4f; // 60-byte header in 24 bytes
    expect(Ipv4Packet.check(c)).toBe('truncated');
    const d = ip(ECHO_REQUEST).slice();
    d[2] = 0;
    d[3] = 19;
    expect(Ipv4Packet.check(d)).toBe('bad-total-length');
    expect(Ipv4Packet.newChecked(d)).toBeNull();
  });

  it('setters write the right bits', () => {
    const b = new Uint8Array(20);
    const p = Ipv4Packet.newUnchecked(b);
    p.version = 4;
    p.ihl = 5;
    p.dontFrag = true;
    p.fragOffset = 1480;
    p.moreFrags = true;
    expect(p.fragOff).toBe(IP_DF | IP_MF | 185);
    p.dontFrag = false;
    p.reservedFlag = true;
    expect(p.fragOff).toBe(0x8000 | IP_MF | 185);
    p.src = 0xffffffff;
    expect(p.src).toBe(0xffffffff);
    expect(toHex(b.subarray(0, 1))).toBe('45');
  });
});

describe('Ipv4Repr', () => {
  it('round-trips real headers byte for byte', () => {
    for (const f of [ECHO_REQUEST, ECHO_REPLY, TIME_EXCEEDED, FRAG_FIRST, FRAG_LAST]) {
      const p = Ipv4Packet.newChecked(ip(f))!;
      const r = Ipv4Repr.parse(p)!;
      expect(r).not.toBeNull();
      expect(r.bufferLen()).toBe(p.totalLen);
      const out = r.toBytes(p.payload);
      expect(toHex(out)).toBe(toHex(ip(f).subarray(0, p.totalLen)));
    }
  });

  it('parses fields', () => {
    const r = Ipv4Repr.parse(Ipv4Packet.newChecked(ip(FRAG_LAST))!)!;
    expect(r).toMatchObject({ protocol: 1, ttl: 63, moreFrags: false, dontFrag: false, fragOffset: 976, payloadLen: 432 });
  });

  it('emits options padded to 4 bytes and a valid checksum', () => {
    const r = new Ipv4Repr({
      src: parseIpv4('192.168.1.1')!,
      dst: parseIpv4('192.168.1.2')!,
      protocol: IpProtocol.UDP,
      ttl: 1,
      payloadLen: 8,
      options: Uint8Array.from([0x94, 0x04, 0x00]), // router alert, 3 of 4 bytes
    });
    expect(r.headerLen()).toBe(24);
    const b = r.toBytes();
    const p = Ipv4Packet.newChecked(b)!;
    expect(p.ihl).toBe(6);
    expect(p.totalLen).toBe(32);
    expect(p.verifyChecksum()).toBe(true);
    expect(toHex(p.options)).toBe('94040000');
    expect(Ipv4Repr.parse(p)!.options.length).toBe(4);
  });

  it('parse ∘ emit is the identity on random reprs', () => {
    fc.assert(
      fc.property(
        fc.record({
          src: fc.integer({ min: 0, max: 0xffffffff }),
          dst: fc.integer({ min: 0, max: 0xffffffff }),
          protocol: fc.integer({ min: 0, max: 255 }),
          ttl: fc.integer({ min: 0, max: 255 }),
          payloadLen: fc.integer({ min: 0, max: 200 }),
          tos: fc.integer({ min: 0, max: 255 }),
          ident: fc.integer({ min: 0, max: 0xffff }),
          dontFrag: fc.boolean(),
          moreFrags: fc.boolean(),
          fragOffset: fc.integer({ min: 0, max: 0x1fff }).map((x) => x * 8),
          options: fc.integer({ min: 0, max: 10 }).chain((n) => fc.uint8Array({ minLength: 4 * n, maxLength: 4 * n })),
        }),
        (f) => {
          const r = new Ipv4Repr(f);
          const b = r.toBytes();
          const back = Ipv4Repr.parse(Ipv4Packet.newChecked(b)!);
          expect(back).toEqual(r);
        },
      ),
    );
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
    expect(toHex(ipv4ToBytes(0xc0a80001))).toBe('c0a80001');
  });

  it('is strict like inet_pton', () => {
    for (const s of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.04', '1..3.4', ' 1.2.3.4', '1.2.3.4 ', '0x1.2.3.4', '1.2.3.-4', '+1.2.3.4', '1.2.3.4/24', '1e2.0.0.1', '1000.0.0.1', '١.2.3.4']) {
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

  it('masks and prefixes', () => {
    expect(prefixToMask(0)).toBe(0);
    expect(prefixToMask(8)).toBe(0xff000000);
    expect(prefixToMask(24)).toBe(0xffffff00);
    expect(prefixToMask(32)).toBe(0xffffffff);
    expect(maskToPrefix(0xffffff00)).toBe(24);
    expect(maskToPrefix(0)).toBe(0);
    expect(maskToPrefix(0xffffffff)).toBe(32);
    expect(maskToPrefix(0xff00ff00)).toBeNull();
    expect(maskToPrefix(0x00ffffff)).toBeNull();
    for (let n = 0; n <= 32; n++) expect(maskToPrefix(prefixToMask(n))).toBe(n);
    expect(ipv4ToString(ipv4Network(parseIpv4('10.0.1.77')!, 24))).toBe('10.0.1.0');
    expect(ipv4ToString(ipv4Broadcast(parseIpv4('10.0.1.77')!, 24))).toBe('10.0.1.255');
    expect(ipv4InPrefix(parseIpv4('10.0.1.77')!, parseIpv4('10.0.1.0')!, 24)).toBe(true);
    expect(ipv4InPrefix(parseIpv4('10.0.2.77')!, parseIpv4('10.0.1.0')!, 24)).toBe(false);
    expect(ipv4InPrefix(parseIpv4('1.2.3.4')!, 0, 0)).toBe(true);
    expect(parseIpv4Cidr('10.0.0.1/24')).toEqual({ addr: 0x0a000001, prefixLen: 24 });
    expect(parseIpv4Cidr('10.0.0.1')).toEqual({ addr: 0x0a000001, prefixLen: 32 });
    expect(parseIpv4Cidr('10.0.0.1/33')).toBeNull();
    expect(parseIpv4Cidr('10.0.0.1/')).toBeNull();
    expect(parseIpv4Cidr('10.0.0/8')).toBeNull();
  });

  it('classifies', () => {
    expect(ipv4IsMulticast(parseIpv4('224.0.0.1')!)).toBe(true);
    expect(ipv4IsMulticast(parseIpv4('239.255.255.255')!)).toBe(true);
    expect(ipv4IsMulticast(parseIpv4('240.0.0.1')!)).toBe(false);
    expect(ipv4IsLoopback(parseIpv4('127.0.0.1')!)).toBe(true);
    expect(ipv4IsLbcast(0xffffffff)).toBe(true);
    expect(ipv4IsZeronet(parseIpv4('0.1.2.3')!)).toBe(true);
  });
});
