// ICMPv4 (RFC 792, RFC 1191 for the next-hop MTU; include/uapi/linux/icmp.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      |     Code      |          Checksum             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  echo: Identifier             |  Sequence Number              |
// |  unreach: unused              |  Next-Hop MTU (frag needed)   |
// |  redirect: Gateway Internet Address                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Data: echo payload, or the offending IP header + its first   |
// |  bytes for errors                                             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The checksum covers the whole ICMP message. The field table is the one
// layout of struct icmphdr.

import { rd16, rd32 } from './bytes.ts';

// Types.
export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;
export const ICMP_TIMESTAMP = 13;
export const ICMP_TIMESTAMPREPLY = 14;
export const ICMP_INFO_REQUEST = 15;
export const ICMP_INFO_REPLY = 16;
export const ICMP_ADDRESS = 17;
export const ICMP_ADDRESSREPLY = 18;
export const NR_ICMP_TYPES = 18;

// Codes for ICMP_DEST_UNREACH.
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_SR_FAILED = 5;
export const ICMP_NET_UNKNOWN = 6;
export const ICMP_HOST_UNKNOWN = 7;
export const ICMP_HOST_ISOLATED = 8;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_NET_UNR_TOS = 11;
export const ICMP_HOST_UNR_TOS = 12;
export const ICMP_PKT_FILTERED = 13;
export const ICMP_PREC_VIOLATION = 14;
export const ICMP_PREC_CUTOFF = 15;
export const NR_ICMP_UNREACH = 15;

// Codes for ICMP_REDIRECT.
export const ICMP_REDIR_NET = 0;
export const ICMP_REDIR_HOST = 1;
export const ICMP_REDIR_NETTOS = 2;
export const ICMP_REDIR_HOSTTOS = 3;

// Codes for ICMP_TIME_EXCEEDED.
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;

/** sizeof(struct icmphdr). */
export const ICMP_HEADER_LEN = 8;

/** struct icmphdr: type, code, checksum, then un.echo {id, sequence} | un.gateway | un.frag {__unused, mtu}. */
export const ICMPH_TYPE = 0;
export const ICMPH_CODE = 1;
export const ICMPH_CHECKSUM = 2;
export const ICMPH_ECHO_ID = 4;
export const ICMPH_ECHO_SEQUENCE = 6;
export const ICMPH_GATEWAY = 4;
export const ICMPH_FRAG_MTU = 6;
/** Where a parameter problem's pointer byte sits (RFC 792). */
export const ICMPH_POINTER = 4;

export const icmph_type = (b: Uint8Array, o: number): number => b[o + ICMPH_TYPE] as number;
export const icmph_code = (b: Uint8Array, o: number): number => b[o + ICMPH_CODE] as number;
export const icmph_checksum = (b: Uint8Array, o: number): number => rd16(b, o + ICMPH_CHECKSUM);
export const icmph_echo_id = (b: Uint8Array, o: number): number => rd16(b, o + ICMPH_ECHO_ID);
export const icmph_echo_sequence = (b: Uint8Array, o: number): number => rd16(b, o + ICMPH_ECHO_SEQUENCE);
export const icmph_gateway = (b: Uint8Array, o: number): number => rd32(b, o + ICMPH_GATEWAY);
export const icmph_frag_mtu = (b: Uint8Array, o: number): number => rd16(b, o + ICMPH_FRAG_MTU);
