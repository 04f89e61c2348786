// GSO (net/core/gso.c skb_gso_segment → net/ipv4/af_inet.c inet_gso_segment
// → net/ipv4/tcp_offload.c tcp4_gso_segment/tcp_gso_segment) and the
// transmit checksum (skb_checksum_help): what a NIC's TSO engine or the
// stack's software fallback makes of a TCP super-packet. Frames come out as
// bytes from the MAC header on.
import { CHECKSUM_NONE, CHECKSUM_PARTIAL, type SkBuff } from '../skbuff.ts';
import {
  csum_fold,
  csum_partial,
  ip_send_check,
  iph_daddr,
  iph_id,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tot_len,
  iph_version,
  wr16,
  wr32,
} from '../ipv4/iphdr.ts';
import { IPH_ID, IPH_TOT_LEN, IPPROTO_TCP, IPPROTO_UDP, IPV4_HEADER_LEN } from '../../wire/ipv4.ts';
import {
  TCPHDR_CWR as TCP_FLAG_CWR,
  TCPHDR_FIN as TCP_FLAG_FIN,
  TCPHDR_PSH as TCP_FLAG_PSH,
  TCPH_CHECK,
  TCPH_FLAGS,
  TCPH_SEQ,
  TCP_HEADER_LEN,
  tcph_doff,
  tcph_flags,
  tcph_seq,
} from '../../wire/tcp.ts';
import { UDPH_CHECK, UDP_HEADER_LEN } from '../../wire/udp.ts';

/**
 * Completes the transport checksum of a CHECKSUM_PARTIAL packet in `f`
 * (the check field holds the pseudo-header sum, as csum_start/csum_offset
 * describe): what the NIC does on TX, or skb_checksum_help() in software.
 */
export function complete_l4_csum(f: Uint8Array, l3: number): void {
  if (iph_version(f, l3) !== 4) return;
  const ihl = iph_ihl(f, l3) * 4;
  const proto = iph_protocol(f, l3);
  const tot = iph_tot_len(f, l3);
  const l4 = l3 + ihl;
  const len = Math.min(tot, f.length - l3) - ihl;
  if (proto === IPPROTO_TCP && len >= TCP_HEADER_LEN) {
    wr16(f, l4 + TCPH_CHECK, csum_fold(csum_partial(f, l4, len)));
  } else if (proto === IPPROTO_UDP && len >= UDP_HEADER_LEN) {
    const c = csum_fold(csum_partial(f, l4, len));
    wr16(f, l4 + UDPH_CHECK, c === 0 ? 0xffff : c);
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
  const isIp = frame.length >= l3 + IPV4_HEADER_LEN && iph_version(frame, l3) === 4;
  if (!skb.gsoSize || !isIp || iph_protocol(frame, l3) !== IPPROTO_TCP) {
    if (csum && skb.ipSummed === CHECKSUM_PARTIAL && isIp) complete_l4_csum(frame, l3);
    return [frame];
  }
  const ihl = iph_ihl(frame, l3) * 4;
  const th = l3 + ihl;
  const thlen = tcph_doff(frame, th) * 4;
  const hdr = th + thlen;
  const payload = frame.length - hdr;
  const mss = skb.gsoSize;
  const id0 = iph_id(frame, l3);
  const seq0 = tcph_seq(frame, th);
  const flags = tcph_flags(frame, th);
  const out: Uint8Array[] = [];
  for (let off = 0, i = 0; off < payload || (payload === 0 && i === 0); off += mss, i++) {
    const n = Math.min(mss, payload - off);
    const f = new Uint8Array(hdr + n);
    f.set(frame.subarray(0, hdr), 0);
    f.set(frame.subarray(hdr + off, hdr + off + n), hdr);
    wr16(f, l3 + IPH_TOT_LEN, ihl + thlen + n);
    wr16(f, l3 + IPH_ID, (id0 + i) & 0xffff);
    ip_send_check(f, l3);
    wr32(f, th + TCPH_SEQ, (seq0 + off) >>> 0);
    let fl = flags;
    if (i > 0) fl &= ~TCP_FLAG_CWR;
    if (off + n < payload) fl &= ~(TCP_FLAG_FIN | TCP_FLAG_PSH);
    f[th + TCPH_FLAGS] = fl;
    // the pseudo-header sum for this segment's length, then the full checksum
    const saddr = iph_saddr(f, l3);
    const daddr = iph_daddr(f, l3);
    const len = thlen + n;
    const pseudo = (saddr >>> 16) + (saddr & 0xffff) + (daddr >>> 16) + (daddr & 0xffff) + IPPROTO_TCP + len;
    wr16(f, th + TCPH_CHECK, 0);
    wr16(f, th + TCPH_CHECK, csum ? csum_fold(csum_partial(f, th, len, pseudo)) : ~csum_fold(pseudo) & 0xffff);
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
