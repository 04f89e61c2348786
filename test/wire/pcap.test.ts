import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LINKTYPE_ETHERNET, PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC, PCAP_SNAPLEN, PcapWriter, readPcap } from '../../src/wire/pcap.ts';
import { ARP_REQUEST, ECHO_REQUEST, hex, toHex } from './fixtures.ts';

const GOLDEN = new URL('../oracle/golden/ping-veth/pcap/a/va.pcap', import.meta.url);
const TCPDUMP = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump'].find((p) => existsSync(p));
const tmp = mkdtempSync(join(tmpdir(), 'skbpath-pcap-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readPcap', () => {
  it('reads a capture Linux tcpdump wrote', () => {
    const file = new Uint8Array(readFileSync(GOLDEN));
    const { header, records, error } = readPcap(file);
    expect(error).toBeNull();
    expect(header).toEqual({
      littleEndian: true,
      nanosecond: false,
      versionMajor: 2,
      versionMinor: 4,
      thiszone: 0,
      sigfigs: 0,
      snaplen: PCAP_SNAPLEN,
      linktype: LINKTYPE_ETHERNET,
    });
    const lines = readFileSync(new URL('../oracle/golden/ping-veth/pcap/a/va.txt', import.meta.url), 'utf8');
    const frames = lines.split('\n').filter((l) => /^[0-9a-f]{2}:/.test(l)).length;
    expect(records.length).toBe(frames);
    expect(toHex(records[0]!.data)).toBe(toHex(ARP_REQUEST));
    expect(toHex(records[2]!.data)).toBe(toHex(ECHO_REQUEST));
    expect(records[2]!.inclLen).toBe(98);
    expect(records[2]!.origLen).toBe(98);
    const r0 = records[0]!;
    expect(r0.tsNs).toBe(BigInt(r0.tsSec) * 1_000_000_000n + BigInt(r0.tsFrac) * 1000n);
    for (let i = 1; i < records.length; i++) expect(records[i]!.tsNs >= records[i - 1]!.tsNs).toBe(true);
  });

  it('rewriting the records reproduces the file byte for byte', () => {
    const file = new Uint8Array(readFileSync(GOLDEN));
    const w = new PcapWriter();
    for (const r of readPcap(file).records) w.write(r.tsNs, r.data, r.origLen);
    expect(w.recordCount).toBe(readPcap(file).records.length);
    expect(toHex(w.bytes())).toBe(toHex(file));
  });

  it('reports truncation at every cut and keeps the whole records before it', () => {
    const file = new Uint8Array(readFileSync(GOLDEN));
    const all = readPcap(file).records;
    const ends = new Set<number>([24]);
    let off = 24;
    for (const r of all) ends.add((off += 16 + r.inclLen));
    for (let n = 0; n < file.length; n++) {
      const res = readPcap(file.subarray(0, n));
      if (n < 24) {
        expect(res.error?.code).toBe('truncated-header');
      } else if (ends.has(n)) {
        expect(res.error).toBeNull();
      } else {
        expect(res.error?.code).toBe('truncated-record');
        expect(res.records.length).toBe(all.filter((_, i) => [...ends][i + 1]! <= n).length);
      }
    }
  });

  it('reports a bad magic and an oversized record', () => {
    expect(readPcap(new Uint8Array(24)).error).toMatchObject({ code: 'bad-magic', offset: 0 });
    const w = new PcapWriter();
    w.write(0, new Uint8Array(60));
    const b = w.bytes().slice();
    new DataView(b.buffer).setUint32(24 + 8, 0x7fffffff, true);
    const res = readPcap(b);
    expect(res.error).toMatchObject({ code: 'bad-record-length', offset: 24 });
    expect(res.header).not.toBeNull();
  });

  it('reads big-endian and nanosecond files', () => {
    const b = new Uint8Array(24 + 16 + 4);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, PCAP_MAGIC_NSEC, false);
    dv.setUint16(4, 2, false);
    dv.setUint16(6, 4, false);
    dv.setUint32(16, 65535, false);
    dv.setUint32(20, 1, false);
    dv.setUint32(24, 5, false);
    dv.setUint32(28, 123456789, false);
    dv.setUint32(32, 4, false);
    dv.setUint32(36, 60, false);
    b.set([1, 2, 3, 4], 40);
    const res = readPcap(b);
    expect(res.error).toBeNull();
    expect(res.header).toMatchObject({ littleEndian: false, nanosecond: true, snaplen: 65535 });
    expect(res.records[0]).toMatchObject({ tsSec: 5, tsFrac: 123456789, tsNs: 5_123_456_789n, inclLen: 4, origLen: 60 });
  });

  it('never throws on random bytes or a mangled capture', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => void readPcap(b)));
    const file = new Uint8Array(readFileSync(GOLDEN));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (edits) => {
        const b = file.slice();
        for (const [i, v] of edits) b[i] = v;
        const res = readPcap(b);
        expect(res.records.length + (res.error ? 1 : 0)).toBeGreaterThan(0);
      }),
    );
  });
});

describe('PcapWriter', () => {
  it('writes the global header tcpdump writes on x86', () => {
    const b = new PcapWriter().bytes();
    expect(toHex(b)).toBe('d4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000');
    expect(new DataView(b.buffer, b.byteOffset).getUint32(0, true)).toBe(PCAP_MAGIC_USEC);
  });

  it('splits nanoseconds into seconds and truncated microseconds', () => {
    const w = new PcapWriter();
    w.write(1_700_000_000_123_456_999n, Uint8Array.from([1]));
    w.write(2_000_001_500, Uint8Array.from([2]));
    const [a, b] = readPcap(w.bytes()).records;
    expect(a).toMatchObject({ tsSec: 1_700_000_000, tsFrac: 123456, inclLen: 1, origLen: 1 });
    expect(b).toMatchObject({ tsSec: 2, tsFrac: 1, tsNs: 2_000_001_000n });
  });

  it('cuts frames to the snaplen and keeps the original length', () => {
    const w = new PcapWriter({ snaplen: 64 });
    w.write(0, new Uint8Array(100).fill(7));
    const { header, records } = readPcap(w.bytes());
    expect(header!.snaplen).toBe(64);
    expect(records[0]).toMatchObject({ inclLen: 64, origLen: 100 });
  });

  it('grows past its first buffer, and earlier views stay intact', () => {
    const w = new PcapWriter();
    const early = w.bytes();
    for (let i = 0; i < 200; i++) w.write(i * 1000, new Uint8Array(98).fill(i));
    expect(early.length).toBe(24);
    const { records, error } = readPcap(w.bytes());
    expect(error).toBeNull();
    expect(records.length).toBe(200);
    expect(records[199]!.data[0]).toBe(199);
  });
});

// Frames with every checksum right (an ARP request, an echo request, a UDP
// datagram, a SYN with options, a need-to-frag and a redirect quoting the echo
// request), and what tcpdump 4.99 prints for them.
const BUILT = [
  'ffffffffffff02000000000a0806000108000604000102000000000a0a0000010000000000000a000002',
  '02000000000b02000000000a08004500005412344000400114730a0000010a000002080000e500070001000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
  '02000000000b02000000000a08004500002012344000401114970a0000010a0000029c400009000c70b970696e67',
  '02000000000b02000000000a08004500003c12344000400614860a0000010a0000029c400050000003e800000000a002faf098900000020405b40402080a00000001000000000103030a',
  '02000000000a02000000000b080045c0003812340000400153cf0a0000020a0000010304f026000003e84500005412344000400114730a0000010a000002080000e500070001',
  '02000000000a02000000000b080045c0003812340000400153cf0a0000020a0000010501e7130a0000fe4500005412344000400114730a0000010a000002080000e500070001',
];
function buildFrames(): Uint8Array[] {
  return BUILT.map(hex);
}

const EXPECTED = `\
00:00:01.000000 02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Ethernet (len 6), IPv4 (len 4), Request who-has 10.0.0.2 tell 10.0.0.1, length 28
00:00:01.000001 02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto ICMP (1), length 84)
    10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 64
00:00:01.000002 02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 46: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 32)
    10.0.0.1.40000 > 10.0.0.2.9: [udp sum ok] UDP, length 4
00:00:01.000003 02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 74: (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto TCP (6), length 60)
    10.0.0.1.40000 > 10.0.0.2.80: Flags [S], cksum 0x9890 (correct), seq 1000, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10], length 0
00:00:01.000004 02:00:00:00:00:0b > 02:00:00:00:00:0a, ethertype IPv4 (0x0800), length 70: (tos 0xc0, ttl 64, id 4660, offset 0, flags [none], proto ICMP (1), length 56)
    10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 unreachable - need to frag (mtu 1000), length 36
	(tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto ICMP (1), length 84)
    10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 64
00:00:01.000005 02:00:00:00:00:0b > 02:00:00:00:00:0a, ethertype IPv4 (0x0800), length 70: (tos 0xc0, ttl 64, id 4660, offset 0, flags [none], proto ICMP (1), length 56)
    10.0.0.2 > 10.0.0.1: ICMP redirect 10.0.0.2 to host 10.0.0.254, length 36
	(tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto ICMP (1), length 84)
    10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 64
`;

describe('tcpdump reads what PcapWriter writes', () => {
  it.skipIf(!TCPDUMP)(
    `tcpdump -nn -e -vv -r decodes every frame, checksums correct${TCPDUMP ? '' : ' (SKIPPED: tcpdump not installed)'}`,
    () => {
      const w = new PcapWriter();
      buildFrames().forEach((f, i) => w.write(1_000_000_000 + i * 1000, f));
      const path = join(tmp, 'built.pcap');
      writeFileSync(path, w.bytes());
      const out = execFileSync(TCPDUMP!, ['-nn', '-e', '-vv', '-r', path], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).not.toMatch(/bad|incorrect|truncated/);
      expect(out).toBe(EXPECTED);
    },
  );
});
