// UDP (RFC 768, struct udphdr in include/uapi/linux/udp.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Source Port          |       Destination Port        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            Length             |           Checksum            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                          data octets ...
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Over IPv4 a checksum of 0 means "none"; a computed 0 is sent as 0xffff
// (CSUM_MANGLED_0). The field table is the one layout of struct udphdr.

import { rd16 } from './bytes.ts';

/** sizeof(struct udphdr). */
export const UDP_HEADER_LEN = 8;

/** struct udphdr: source, dest, len, check. */
export const UDPH_SOURCE = 0;
export const UDPH_DEST = 2;
export const UDPH_LEN = 4;
export const UDPH_CHECK = 6;

export const udph_source = (b: Uint8Array, o: number): number => rd16(b, o + UDPH_SOURCE);
export const udph_dest = (b: Uint8Array, o: number): number => rd16(b, o + UDPH_DEST);
export const udph_len = (b: Uint8Array, o: number): number => rd16(b, o + UDPH_LEN);
export const udph_check = (b: Uint8Array, o: number): number => rd16(b, o + UDPH_CHECK);
