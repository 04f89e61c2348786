// TCP header (RFC 9293 §3.1, struct tcphdr in include/uapi/linux/tcp.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Source Port          |       Destination Port        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                        Sequence Number                        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Acknowledgment Number                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Data |     |A|C|E|U|A|P|R|S|F|                               |
// | Offset| Rsrv|E|W|C|R|C|S|S|Y|I|            Window             |
// |       |     | |R|E|G|K|H|T|N|N|                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Checksum            |         Urgent Pointer        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Options                    |    Padding    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Options (RFC 9293 §3.2, RFC 2018, RFC 7323): kind 0 EOL, 1 NOP, 2 MSS (4),
// 3 window scale (3), 4 SACK permitted (2), 5 SACK (2+8n), 8 timestamps (10).
//
// The field table is the one layout of struct tcphdr; the accessors read the
// header at byte offset `o` of `b`.

import { rd16, rd32 } from './bytes.ts';

/** sizeof(struct tcphdr), and the largest header (doff 15). */
export const TCP_HEADER_LEN = 20;
export const TCP_MAX_HEADER_LEN = 60;

/** struct tcphdr: source, dest, seq, ack_seq, doff:4 res1:4, flags, window, check, urg_ptr. */
export const TCPH_SOURCE = 0;
export const TCPH_DEST = 2;
export const TCPH_SEQ = 4;
export const TCPH_ACK_SEQ = 8;
/** The data offset (high nibble) byte; as a 16-bit word with the flags, tcp_flag_word. */
export const TCPH_DOFF = 12;
export const TCPH_FLAGS = 13;
export const TCPH_WINDOW = 14;
export const TCPH_CHECK = 16;
export const TCPH_URG_PTR = 18;

/** Flag bits of the flags byte (TCPHDR_* in include/net/tcp.h); AE is bit 0 of the byte before. */
export const TCPHDR_FIN = 0x01;
export const TCPHDR_SYN = 0x02;
export const TCPHDR_RST = 0x04;
export const TCPHDR_PSH = 0x08;
export const TCPHDR_ACK = 0x10;
export const TCPHDR_URG = 0x20;
export const TCPHDR_ECE = 0x40;
export const TCPHDR_CWR = 0x80;
export const TCPHDR_AE = 0x100;

/** Option kinds (TCPOPT_* in include/net/tcp.h). */
export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WINDOW = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;

/** Option lengths (TCPOLEN_* in include/net/tcp.h). */
export const TCPOLEN_MSS = 4;
export const TCPOLEN_WINDOW = 3;
export const TCPOLEN_SACK_PERM = 2;
export const TCPOLEN_TIMESTAMP = 10;
export const TCPOLEN_SACK_BASE = 2;
export const TCPOLEN_SACK_PERBLOCK = 8;
/** The timestamp option padded to 32 bits with two NOPs. */
export const TCPOLEN_TSTAMP_ALIGNED = 12;

/** NOP, NOP, TIMESTAMP, 10: the aligned timestamp option's first word (TCPOPT_TSTAMP_HDR). */
export const TCPOPT_TSTAMP_HDR = 0x0101080a;

export const tcph_source = (b: Uint8Array, o: number): number => rd16(b, o + TCPH_SOURCE);
export const tcph_dest = (b: Uint8Array, o: number): number => rd16(b, o + TCPH_DEST);
export const tcph_seq = (b: Uint8Array, o: number): number => rd32(b, o + TCPH_SEQ);
export const tcph_ack_seq = (b: Uint8Array, o: number): number => rd32(b, o + TCPH_ACK_SEQ);
/** Header length in 32-bit words. */
export const tcph_doff = (b: Uint8Array, o: number): number => (b[o + TCPH_DOFF] as number) >> 4;
/** The flags byte (TCPHDR_FIN..TCPHDR_CWR). */
export const tcph_flags = (b: Uint8Array, o: number): number => b[o + TCPH_FLAGS] as number;
export const tcph_window = (b: Uint8Array, o: number): number => rd16(b, o + TCPH_WINDOW);
export const tcph_check = (b: Uint8Array, o: number): number => rd16(b, o + TCPH_CHECK);
export const tcph_urg_ptr = (b: Uint8Array, o: number): number => rd16(b, o + TCPH_URG_PTR);
