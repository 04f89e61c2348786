import { describe, expect, it } from 'vitest';
import { checksumAdd, checksumFinish, checksumFold, pseudoHeaderSumV4 } from '../../src/wire/checksum.ts';
import { iph_daddr, iph_saddr } from '../../src/wire/ipv4.ts';
import {
  TCPHDR_ACK,
  TCPHDR_RST,
  TCPHDR_SYN,
  TCPOLEN_MSS,
  TCPOLEN_TIMESTAMP,
  TCPOLEN_WINDOW,
  TCPOPT_MSS,
  TCPOPT_SACK_PERM,
  TCPOPT_TIMESTAMP,
  TCPOPT_WINDOW,
  TCP_HEADER_LEN,
  tcph_ack_seq,
  tcph_check,
  tcph_dest,
  tcph_doff,
  tcph_flags,
  tcph_seq,
  tcph_source,
  tcph_urg_ptr,
  tcph_window,
} from '../../src/wire/tcp.ts';
import { TCP_RST, TCP_SYN_BAD_CSUM, TCP_SYN_PARTIAL } from './fixtures.ts';

const IP = 14;
const TH = 34;

describe('struct tcphdr', () => {
  it('reads a Linux SYN with mss 1460,sackOK,TS,nop,wscale 10', () => {
    const b = TCP_SYN_PARTIAL;
    expect(tcph_source(b, TH)).toBe(35932);
    expect(tcph_dest(b, TH)).toBe(80);
    expect(tcph_seq(b, TH)).toBe(0xf83c81db);
    expect(tcph_ack_seq(b, TH)).toBe(0);
    expect(tcph_doff(b, TH)).toBe(10);
    expect(tcph_flags(b, TH)).toBe(TCPHDR_SYN);
    expect(tcph_window(b, TH)).toBe(64240);
    expect(tcph_urg_ptr(b, TH)).toBe(0);
    // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum.
    expect(tcph_check(b, TH)).toBe(checksumFold(pseudoHeaderSumV4(iph_saddr(b, IP), iph_daddr(b, IP), 6, 40)));
    // The options, by their kinds and lengths.
    const o = TH + TCP_HEADER_LEN;
    expect([b[o], b[o + 1]]).toEqual([TCPOPT_MSS, TCPOLEN_MSS]);
    expect(b[o + 4]).toBe(TCPOPT_SACK_PERM);
    expect([b[o + 6], b[o + 7]]).toEqual([TCPOPT_TIMESTAMP, TCPOLEN_TIMESTAMP]);
    expect([b[o + 17], b[o + 18]]).toEqual([TCPOPT_WINDOW, TCPOLEN_WINDOW]);
  });

  it('reads the RST,ACK the closed port sent, checksum correct', () => {
    const b = TCP_RST;
    expect(tcph_flags(b, TH)).toBe(TCPHDR_RST | TCPHDR_ACK);
    expect(tcph_seq(b, TH)).toBe(0);
    expect(tcph_ack_seq(b, TH)).toBe(0xf83c81dc);
    expect(tcph_window(b, TH)).toBe(0);
    const sum = checksumAdd(pseudoHeaderSumV4(iph_saddr(b, IP), iph_daddr(b, IP), 6, 20), b, TH, TH + 20);
    expect(checksumFinish(sum)).toBe(0);
  });

  it('finds the checksum tcpdump wants for the crafted SYN (0x55eb -> 0x00be)', () => {
    const b = TCP_SYN_BAD_CSUM.slice();
    expect(tcph_seq(b, TH)).toBe(1000);
    expect(tcph_check(b, TH)).toBe(0x55eb);
    b[TH + 16] = 0;
    b[TH + 17] = 0;
    expect(checksumFinish(checksumAdd(pseudoHeaderSumV4(iph_saddr(b, IP), iph_daddr(b, IP), 6, 20), b, TH, TH + 20))).toBe(0x00be);
  });
});
