// net/ethernet/eth.c: eth_type_trans() and eth_header().
import { PACKET_BROADCAST, PACKET_HOST, PACKET_MULTICAST, PACKET_OTHERHOST, type SkBuff } from '../skbuff.ts';
import type { NetDevice } from './netdevice.ts';
import { rd16, wr16 } from '../../wire/bytes.ts';
import { ETH_ALEN, ETH_DEST, ETH_HLEN, ETH_PROTO, ETH_SOURCE, eth_proto } from '../../wire/ethernet.ts';

export { ETH_HLEN };
export const ETH_P_802_3 = 0x0001;
export const ETH_P_802_2 = 0x0004;

/** eth_type_trans(): sets dev, mac header and pkt_type, pulls the header, returns the protocol. */
export function eth_type_trans(skb: SkBuff, dev: NetDevice): number {
  skb.dev = dev;
  skb.resetMacHeader();
  const b = skb.head;
  const m = skb.data;
  skb.pull(ETH_HLEN);
  const d0 = b[m + ETH_DEST] as number;
  if (d0 & 1) {
    let bc = true;
    for (let i = 0; i < ETH_ALEN; i++) if (b[m + ETH_DEST + i] !== dev.broadcast[i]) bc = false;
    skb.pktType = bc ? PACKET_BROADCAST : PACKET_MULTICAST;
  } else {
    let mine = true;
    for (let i = 0; i < ETH_ALEN; i++) if (b[m + ETH_DEST + i] !== dev.devAddr[i]) mine = false;
    skb.pktType = mine ? PACKET_HOST : PACKET_OTHERHOST;
  }
  const proto = eth_proto(b, m);
  if (proto >= 0x0600) return proto;
  // 802.3: raw IPX frames start with 0xffff, otherwise 802.2 LLC
  if (skb.len >= 2 && rd16(b, skb.data) === 0xffff) return ETH_P_802_3;
  return ETH_P_802_2;
}

/** eth_header(): pushes the Ethernet header (dev_hard_header). */
export function eth_header(skb: SkBuff, dev: NetDevice, type: number, daddr: Uint8Array | null, saddr: Uint8Array | null): void {
  if (dev.hardHeaderLen === 0) {
    // dev_hard_header(): a device without header_ops->create (a TUN) gets no link header
    skb.macHeader = skb.data;
    skb.macLen = 0;
    return;
  }
  const at = skb.push(ETH_HLEN);
  const b = skb.head;
  b.set(daddr ?? dev.broadcast, at + ETH_DEST);
  b.set(saddr ?? dev.devAddr, at + ETH_SOURCE);
  wr16(b, at + ETH_PROTO, type);
  skb.macHeader = at;
  skb.macLen = ETH_HLEN;
}
