import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checksumFold, pseudoHeaderSumV4 } from '../../src/wire/checksum.ts';
import { Ipv4Packet, parseIpv4 } from '../../src/wire/ipv4.ts';
import {
  TCPHDR_ACK,
  TCPHDR_RST,
  TCPHDR_SYN,
  TcpPacket,
  TcpRepr,
  emitTcpOptions,
  parseTcpOptions,
  tcpOptionLen,
  type TcpOption,
} from '../../src/wire/tcp.ts';
import { TCP_RST, TCP_SYN_BAD_CSUM, TCP_SYN_PARTIAL, hex, toHex } from './fixtures.ts';

function seg(frame: Uint8Array) {
  const ip = Ipv4Packet.newChecked(frame.subarray(14))!;
  return { ip, tcp: TcpPacket.newChecked(ip.payload)! };
}

describe('TcpPacket on real segments', () => {
  it('reads a Linux SYN with mss 1460,sackOK,TS,nop,wscale 10', () => {
    const { ip, tcp } = seg(TCP_SYN_PARTIAL);
    expect(tcp.srcPort).toBe(35932);
    expect(tcp.dstPort).toBe(80);
    expect(tcp.seq).toBe(0xf83c81db);
    expect(tcp.ack).toBe(0);
    expect(tcp.dataOffset).toBe(10);
    expect(tcp.headerLen).toBe(40);
    expect(tcp.flags).toBe(TCPHDR_SYN);
    expect(tcp.syn && !tcp.ackFlag && !tcp.fin && !tcp.rst && !tcp.psh && !tcp.urg && !tcp.ece && !tcp.cwr).toBe(true);
    expect(tcp.window).toBe(64240);
    expect(tcp.urgent).toBe(0);
    expect(tcp.payload.length).toBe(0);
    expect(tcp.segmentLen).toBe(1);
    // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum.
    expect(tcp.checksum).toBe(checksumFold(pseudoHeaderSumV4(ip.src, ip.dst, 6, 40)));
    expect(tcp.verifyChecksum(ip.src, ip.dst)).toBe(false);
    expect(parseTcpOptions(tcp.options)).toEqual([
      { kind: 'mss', value: 1460 },
      { kind: 'sack-perm' },
      { kind: 'timestamps', tsval: 0xf0640539, tsecr: 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 10 },
    ]);
  });

  it('reads the RST,ACK the closed port sent, checksum correct', () => {
    const { ip, tcp } = seg(TCP_RST);
    expect(tcp.flags).toBe(TCPHDR_RST | TCPHDR_ACK);
    expect(tcp.seq).toBe(0);
    expect(tcp.ack).toBe(0xf83c81dc);
    expect(tcp.window).toBe(0);
    expect(tcp.verifyChecksum(ip.src, ip.dst)).toBe(true);
  });

  it('finds the checksum tcpdump wants for the crafted SYN (0x55eb -> 0x00be)', () => {
    const { ip, tcp } = seg(TCP_SYN_BAD_CSUM);
    expect(tcp.seq).toBe(1000);
    expect(tcp.checksum).toBe(0x55eb);
    expect(tcp.computeChecksum(ip.src, ip.dst)).toBe(0x00be);
    expect(TcpRepr.parse(tcp, { src: ip.src, dst: ip.dst })).toBeNull();
    expect(TcpRepr.parse(tcp)).not.toBeNull();
  });

  it('rejects short buffers and bad data offsets', () => {
    const h = TCP_RST.slice(34);
    expect(TcpPacket.check(h.subarray(0, 19))).toBe('truncated');
    const b = h.slice();
    b[12] = 0x40;
    expect(TcpPacket.check(b)).toBe('bad-offset');
    b[12] = 0x60; // 24-byte header in 20 bytes
    expect(TcpPacket.check(b)).toBe('truncated');
    expect(TcpPacket.newChecked(b)).toBeNull();
    expect(TcpPacket.newChecked(h)).not.toBeNull();
  });
});

describe('TCP options', () => {
  it('stop at EOL, keep a known kind with a wrong length as unknown', () => {
    expect(parseTcpOptions(hex('0101000000'))).toEqual([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'eol' }]);
    expect(parseTcpOptions(hex('020305'))).toEqual([{ kind: 'unknown', type: 2, data: hex('05') }]);
    expect(parseTcpOptions(hex('fe0401020000'))).toEqual([{ kind: 'unknown', type: 254, data: hex('0102') }, { kind: 'eol' }]);
    expect(parseTcpOptions(hex('050a0000000100000002'))).toEqual([{ kind: 'sack', blocks: [[1, 2]] }]);
  });

  it('are malformed when a length is missing, below 2 or past the end', () => {
    expect(parseTcpOptions(hex('02'))).toBeNull();
    expect(parseTcpOptions(hex('0201'))).toBeNull();
    expect(parseTcpOptions(hex('020505b4'))).toBeNull();
    expect(TcpRepr.parse(TcpPacket.newChecked(hex('0001000200000000000000006000000000000000020505b4'))!)).toBeNull();
  });

  it('emit in order', () => {
    const opts: TcpOption[] = [
      { kind: 'mss', value: 1460 },
      { kind: 'sack-perm' },
      { kind: 'timestamps', tsval: 1, tsecr: 2 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ];
    const b = new Uint8Array(20);
    expect(emitTcpOptions(opts, b)).toBe(20);
    expect(toHex(b)).toBe('020405b404020' + '80a0000000100000002' + '01030307');
    expect(opts.reduce((n, o) => n + tcpOptionLen(o), 0)).toBe(20);
  });
});

describe('TcpRepr', () => {
  it('round-trips real segments byte for byte', () => {
    for (const f of [TCP_SYN_PARTIAL, TCP_RST, TCP_SYN_BAD_CSUM]) {
      const { tcp } = seg(f);
      const r = TcpRepr.parse(tcp)!;
      expect(r.headerLen()).toBe(tcp.headerLen);
      const out = new Uint8Array(r.bufferLen());
      r.emit(TcpPacket.newUnchecked(out));
      out[16] = tcp.bytes[16]!; // checksum left 0 without addresses
      out[17] = tcp.bytes[17]!;
      expect(toHex(out)).toBe(toHex(tcp.bytes));
    }
    const { ip, tcp } = seg(TCP_RST);
    expect(toHex(TcpRepr.parse(tcp)!.toBytes({ src: ip.src, dst: ip.dst }))).toBe(toHex(tcp.bytes));
  });

  it('pads options to 4 bytes with zeros', () => {
    const r = new TcpRepr({ srcPort: 1, dstPort: 2, seq: 3, ack: 0, flags: TCPHDR_SYN, window: 100, options: [{ kind: 'mss', value: 536 }, { kind: 'nop' }] });
    expect(r.headerLen()).toBe(28);
    const b = r.toBytes({ src: parseIpv4('1.1.1.1')!, dst: parseIpv4('2.2.2.2')! });
    expect(toHex(b.subarray(20))).toBe('0204021801000000');
    const p = TcpPacket.newChecked(b)!;
    expect(p.dataOffset).toBe(7);
    expect(p.verifyChecksum(parseIpv4('1.1.1.1')!, parseIpv4('2.2.2.2')!)).toBe(true);
  });

  it('parse ∘ emit is the identity', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const opt: fc.Arbitrary<TcpOption> = fc.oneof(
      fc.constant({ kind: 'nop' as const }),
      fc.record({ kind: fc.constant('mss' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ kind: fc.constant('wscale' as const), shift: fc.integer({ min: 0, max: 255 }) }),
      fc.constant({ kind: 'sack-perm' as const }),
      fc.record({ kind: fc.constant('sack' as const), blocks: fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('timestamps' as const), tsval: u32, tsecr: u32 }),
    );
    // Options that fill the header exactly, so no padding follows.
    const opts = fc
      .array(opt, { maxLength: 6 })
      .filter((os) => {
        const n = os.reduce((s, o) => s + tcpOptionLen(o), 0);
        return n % 4 === 0 && n <= 40;
      });
    fc.assert(
      fc.property(
        fc.record({
          srcPort: fc.integer({ min: 0, max: 0xffff }),
          dstPort: fc.integer({ min: 0, max: 0xffff }),
          seq: u32,
          ack: u32,
          flags: fc.integer({ min: 0, max: 0x1ff }),
          window: fc.integer({ min: 0, max: 0xffff }),
          urgent: fc.integer({ min: 0, max: 0xffff }),
          options: opts,
          payload: fc.uint8Array({ maxLength: 50 }),
        }),
        u32,
        u32,
        (f, src, dst) => {
          const r = new TcpRepr(f);
          const back = TcpRepr.parse(TcpPacket.newChecked(r.toBytes({ src, dst }))!, { src, dst });
          expect(back).toEqual(r);
        },
      ),
    );
  });
});
