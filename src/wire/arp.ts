// ARP (RFC 826, include/uapi/linux/if_arp.h). For Ethernet/IPv4 it is 28 bytes:
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        Hardware type          |        Protocol type          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     HLEN      |     PLEN      |          Operation            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Sender hardware address (HLEN) | Sender protocol address (PLEN)
// | Target hardware address (HLEN) | Target protocol address (PLEN)
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The field table is the one layout of struct arphdr and, for Ethernet/IPv4,
// of the addresses after it (ar_sha, ar_sip, ar_tha, ar_tip).

import { rd16, rd32 } from './bytes.ts';

export const ARPHRD_ETHER = 1;

/** ARP operations (ARPOP_* in if_arp.h); other values may appear on the wire. */
export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

/** sizeof(struct arphdr): the fixed part before the addresses. */
export const ARP_HDR_LEN = 8;
/** Length of an Ethernet/IPv4 ARP packet. */
export const ARP_ETH_IPV4_LEN = 28;

/** struct arphdr: ar_hrd, ar_pro, ar_hln, ar_pln, ar_op. */
export const ARPH_HRD = 0;
export const ARPH_PRO = 2;
export const ARPH_HLN = 4;
export const ARPH_PLN = 5;
export const ARPH_OP = 6;
/** The Ethernet/IPv4 addresses after it. */
export const ARP_SHA = 8;
export const ARP_SIP = 14;
export const ARP_THA = 18;
export const ARP_TIP = 24;

export const arph_hrd = (b: Uint8Array, o: number): number => rd16(b, o + ARPH_HRD);
export const arph_pro = (b: Uint8Array, o: number): number => rd16(b, o + ARPH_PRO);
export const arph_hln = (b: Uint8Array, o: number): number => b[o + ARPH_HLN] as number;
export const arph_pln = (b: Uint8Array, o: number): number => b[o + ARPH_PLN] as number;
export const arph_op = (b: Uint8Array, o: number): number => rd16(b, o + ARPH_OP);
export const arp_sip = (b: Uint8Array, o: number): number => rd32(b, o + ARP_SIP);
export const arp_tip = (b: Uint8Array, o: number): number => rd32(b, o + ARP_TIP);
