// GSO (net/core/gso.c skb_gso_segment → net/ipv4/af_inet.c inet_gso_segment
// → net/ipv4/tcp_offload.c tcp4_gso_segment/tcp_gso_segment) and the
// transmit checksum (skb_checksum_help): what a NIC's TSO engine or the
// stack's software fallback makes of a TCP super-packet. Frames come out as
// bytes from the MAC header on.
import { CHECKSUM_NONE, CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import { csum_fold, csum_partial, ip_send_check, rd16, rd32, wr16, wr32 } from '../ipv4/iphdr.ts';

const TCP_FLAG_CWR = 0x80;
const TCP_FLAG_FIN = 0x01;
const TCP_FLAG_PSH = 0x08;

/**
 * Completes the transport checksum of a CHECKSUM_PARTIAL packet in `f`
 * (the check field holds the pseudo-header sum, as csum_start/csum_offset
 * describe): what the NIC does on TX, or skb_checksum_help() in software.
 */
export function complete_l4_csum(f: Uint8Array, l3: number): void {
  if ((f[l3] as number) >> 4 !== 4) return;
  const ihl = ((f[l3] as number) & 15) * 4;
  const proto = f[l3 + 9] as number;
  const tot = rd16(f, l3 + 2);
  const l4 = l3 + ihl;
  const len = Math.min(tot, f.length - l3) - ihl;
  if (proto === 6 && len >= 20) {
    wr16(f, l4 + 16, csum_fold(csum_partial(f, l4, len)));
  } else if (proto === 17 && len >= 8) {
    const c = csum_fold(csum_partial(f, l4, len));
    wr16(f, l4 + 6, c === 0 ? 0xffff : c);
  }
}

/**
 * The frames a packet becomes on the wire: a TCP GSO skb is cut into
 * gso_size segments (IP ID, tot_len and checksum per segment; sequence
 * numbers advance; CWR only on the first, FIN and PSH only on the last);
 * CHECKSUM_PARTIAL gets its transport checksum. `skb.data` is at the MAC header.
 */
export function gso_frames(skb: SkBuff, csum: boolean): Uint8Array[] {
  const b = skb.head;
  const mac = skb.data;
  const l2 = skb.networkHeader >= mac ? skb.networkHeader - mac : 14;
  const frame = b.slice(mac, skb.tail);
  const l3 = l2;
  const isIp = frame.length >= l3 + 20 && (frame[l3] as number) >> 4 === 4;
  if (!skb.gsoSize || !isIp || frame[l3 + 9] !== 6) {
    if (csum && skb.ipSummed === CHECKSUM_PARTIAL && isIp) complete_l4_csum(frame, l3);
    return [frame];
  }
  const ihl = ((frame[l3] as number) & 15) * 4;
  const th = l3 + ihl;
  const thlen = ((frame[th + 12] as number) >> 4) * 4;
  const hdr = th + thlen;
  const payload = frame.length - hdr;
  const mss = skb.gsoSize;
  const id0 = rd16(frame, l3 + 4);
  const seq0 = rd32(frame, th + 4);
  const flags = frame[th + 13] as number;
  const out: Uint8Array[] = [];
  for (let off = 0, i = 0; off < payload || (payload === 0 && i === 0); off += mss, i++) {
    const n = Math.min(mss, payload - off);
    const f = new Uint8Array(hdr + n);
    f.set(frame.subarray(0, hdr), 0);
    f.set(frame.subarray(hdr + off, hdr + off + n), hdr);
    wr16(f, l3 + 2, ihl + thlen + n);
    wr16(f, l3 + 4, (id0 + i) & 0xffff);
    ip_send_check(f, l3);
    wr32(f, th + 4, (seq0 + off) >>> 0);
    let fl = flags;
    if (i > 0) fl &= ~TCP_FLAG_CWR;
    if (off + n < payload) fl &= ~(TCP_FLAG_FIN | TCP_FLAG_PSH);
    f[th + 13] = fl;
    // the pseudo-header sum for this segment's length, then the full checksum
    const saddr = rd32(f, l3 + 12);
    const daddr = rd32(f, l3 + 16);
    const len = thlen + n;
    const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + 6 + len;
    wr16(f, th + 16, 0);
    wr16(f, th + 16, csum ? csum_fold(csum_partial(f, th, len, pseudo)) : ~csum_fold(pseudo) & 0xffff);
    out.push(f);
    if (n <= 0) break;
  }
  return out;
}

/** skb_checksum_help(): the stack fills in the checksum the device would have. */
export function skb_checksum_help(skb: SkBuff): void {
  if (skb.ipSummed !== CHECKSUM_PARTIAL) return;
  const l3 = skb.networkHeader;
  skb.unshare();
  const view = skb.head.subarray(0, skb.tail);
  complete_l4_csum(view, l3);
  skb.ipSummed = CHECKSUM_NONE;
}
