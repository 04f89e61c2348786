// Ethernet II frame (IEEE 802.3, include/uapi/linux/if_ether.h):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                  Destination MAC (6 octets)                  |
// +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                               |                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
// |                    Source MAC (6 octets)                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          EtherType            |  Payload ...
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The field table is the one layout of struct ethhdr: the kernel, the tcpdump
// printer and the web view read a frame at `o` through it.

import { rd16 } from './bytes.ts';

export const ETH_ALEN = 6;
/** sizeof(struct ethhdr). */
export const ETH_HLEN = 14;
/** Minimum frame length without FCS. */
export const ETH_ZLEN = 60;
export const ETH_DATA_LEN = 1500;
export const ETH_FRAME_LEN = 1514;

/** struct ethhdr: h_dest, h_source, h_proto. */
export const ETH_DEST = 0;
export const ETH_SOURCE = 6;
export const ETH_PROTO = 12;

/** EtherType values (ETH_P_* in if_ether.h). Any other 16-bit value may appear. */
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_8021Q = 0x8100;
export const ETH_P_8021AD = 0x88a8;
export const ETH_P_IPV6 = 0x86dd;

/** 802.1Q tag (struct vlan_hdr after the addresses): TCI, then the encapsulated EtherType. */
export const VLAN_HLEN = 4;
export const VLAN_TCI = 0;
export const VLAN_ENCAP_PROTO = 2;

export const eth_proto = (b: Uint8Array, o: number): number => rd16(b, o + ETH_PROTO);

/**
 * Parses "02:00:00:00:00:0a" (one or two hex digits per octet, as iproute2's
 * ll_addr_a2n accepts) into six bytes, or null.
 */
export function parseMac(s: string): Uint8Array | null {
  const parts = s.split(':');
  if (parts.length !== ETH_ALEN) return null;
  const out = new Uint8Array(ETH_ALEN);
  for (let i = 0; i < ETH_ALEN; i++) {
    const p = parts[i] as string;
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return null;
    out[i] = parseInt(p, 16);
  }
  return out;
}

/** Formats an address as lowercase "xx:xx:xx:xx:xx:xx". */
export function formatMac(mac: Uint8Array): string {
  let s = '';
  for (let i = 0; i < ETH_ALEN; i++) {
    if (i > 0) s += ':';
    s += (mac[i] ?? 0).toString(16).padStart(2, '0');
  }
  return s;
}
