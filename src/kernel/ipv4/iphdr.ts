// Header accessors for kernel code, as include/linux/{ip,tcp,udp,icmp,if_ether,
// if_arp}.h give them: ip_hdr(skb), tcp_hdr(skb), ... return the header's byte
// offset in skb.head (no object per packet), and the field accessors of src/wire
// (the one layout of each header) read it: iph_ttl(skb.head, ip_hdr(skb)).
import type { SkBuff } from '../skbuff.ts';
import { checksumAdd, checksumFinish } from '../../wire/checksum.ts';
import { wr16 } from '../../wire/bytes.ts';
import { IPH_CHECK, iph_ihl } from '../../wire/ipv4.ts';

export { rd16, rd32, wr16, wr32 } from '../../wire/bytes.ts';
export {
  IP_CE,
  IP_DF,
  IP_MF,
  IP_OFFSET,
  iph_check,
  iph_daddr,
  iph_frag_off,
  iph_id,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  iph_tot_len,
  iph_ttl,
  iph_version,
} from '../../wire/ipv4.ts';

/** ip_hdr(skb): the IPv4 header's offset in skb.head. */
export const ip_hdr = (skb: SkBuff): number => skb.networkHeader;
/** tcp_hdr(skb), udp_hdr(skb), icmp_hdr(skb): the transport header's offset in skb.head. */
export const tcp_hdr = (skb: SkBuff): number => skb.transportHeader;
export const udp_hdr = (skb: SkBuff): number => skb.transportHeader;
export const icmp_hdr = (skb: SkBuff): number => skb.transportHeader;
/** eth_hdr(skb): the MAC header's offset in skb.head. */
export const eth_hdr = (skb: SkBuff): number => skb.macHeader;
/** arp_hdr(skb): the ARP header's offset in skb.head. */
export const arp_hdr = (skb: SkBuff): number => skb.networkHeader;

/** csum_partial(): the folded ones'-complement sum of b[o, o+len) added to `sum` (wire/checksum does the work). */
export function csum_partial(b: Uint8Array, o: number, len: number, sum = 0): number {
  return checksumAdd(sum, b, o, o + len);
}

/** csum_fold(): the checksum field value, ~fold(sum). */
export const csum_fold = checksumFinish;

/** ip_fast_csum() over the header: 0 when the checksum is right. */
export function ip_fast_csum(b: Uint8Array, o: number, ihl: number): number {
  return csum_fold(csum_partial(b, o, ihl * 4));
}

/** ip_send_check(): recomputes the header checksum. */
export function ip_send_check(b: Uint8Array, o: number): void {
  b[o + IPH_CHECK] = 0;
  b[o + IPH_CHECK + 1] = 0;
  wr16(b, o + IPH_CHECK, csum_fold(csum_partial(b, o, iph_ihl(b, o) * 4)));
}
