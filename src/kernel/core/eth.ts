// net/ethernet/eth.c: eth_type_trans() and eth_header().
import {
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MULTICAST,
  PACKET_OTHERHOST,
  type SkBuff,
} from '../skbuff.ts';
import type { NetDevice } from './netdevice.ts';

export const ETH_HLEN = 14;
export const ETH_P_802_3 = 0x0001;
export const ETH_P_802_2 = 0x0004;

/** eth_type_trans(): sets dev, mac header and pkt_type, pulls the header, returns the protocol. */
export function eth_type_trans(skb: SkBuff, dev: NetDevice): number {
  skb.dev = dev;
  skb.resetMacHeader();
  const b = skb.head;
  const m = skb.data;
  skb.pull(ETH_HLEN);
  const d0 = b[m] as number;
  if (d0 & 1) {
    let bc = true;
    for (let i = 0; i < 6; i++) if (b[m + i] !== dev.broadcast[i]) bc = false;
    skb.pktType = bc ? PACKET_BROADCAST : PACKET_MULTICAST;
  } else {
    let mine = true;
    for (let i = 0; i < 6; i++) if (b[m + i] !== dev.devAddr[i]) mine = false;
    skb.pktType = mine ? PACKET_HOST : PACKET_OTHERHOST;
  }
  const proto = ((b[m + 12] as number) << 8) | (b[m + 13] as number);
  if (proto >= 0x0600) return proto;
  // 802.3: raw IPX frames start with 0xffff, otherwise 802.2 LLC
  if (skb.len >= 2 && b[skb.data] === 0xff && b[skb.data + 1] === 0xff) return ETH_P_802_3;
  return ETH_P_802_2;
}

/** eth_header(): pushes the Ethernet header (dev_hard_header). */
export function eth_header(skb: SkBuff, dev: NetDevice, type: number, daddr: Uint8Array | null, saddr: Uint8Array | null): void {
  const at = skb.push(ETH_HLEN);
  const b = skb.head;
  b.set(daddr ?? dev.broadcast, at);
  b.set(saddr ?? dev.devAddr, at + 6);
  b[at + 12] = (type >> 8) & 0xff;
  b[at + 13] = type & 0xff;
  skb.macHeader = at;
  skb.macLen = ETH_HLEN;
}

