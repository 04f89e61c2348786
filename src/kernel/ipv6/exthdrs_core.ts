// net/ipv6/exthdrs_core.c: walking the extension-header chain, shared by
// ICMPv6 (the offending packet's upper layer) and reassembly (a first
// fragment must hold its upper-layer header).
import type { SkBuff } from '../skbuff.ts';
import { FRAG_HDR_LEN, NEXTHDR_AUTH, NEXTHDR_DEST, NEXTHDR_FRAGMENT, NEXTHDR_HOP, NEXTHDR_NONE, NEXTHDR_ROUTING } from '../../wire/ipv6.ts';

/** ipv6_ext_hdr() */
export function ipv6_ext_hdr(nexthdr: number): boolean {
  return (
    nexthdr === NEXTHDR_HOP ||
    nexthdr === NEXTHDR_ROUTING ||
    nexthdr === NEXTHDR_FRAGMENT ||
    nexthdr === NEXTHDR_AUTH ||
    nexthdr === NEXTHDR_NONE ||
    nexthdr === NEXTHDR_DEST
  );
}

/**
 * ipv6_skip_exthdr(): past the extension headers from `start` (an offset in
 * skb->head): the offset of the upper-layer header and its number, and the
 * fragment offset field of a fragment header; off -1 when truncated.
 */
export function ipv6_skip_exthdr(skb: SkBuff, start: number, nexthdr: number): { off: number; nexthdr: number; fragOff: number } {
  const b = skb.head;
  let off = start;
  let fragOff = 0;
  while (ipv6_ext_hdr(nexthdr)) {
    if (nexthdr === NEXTHDR_NONE) return { off: -1, nexthdr, fragOff };
    if (off + 2 > skb.tail) return { off: -1, nexthdr, fragOff };
    let hdrlen: number;
    if (nexthdr === NEXTHDR_FRAGMENT) {
      if (off + FRAG_HDR_LEN > skb.tail) return { off: -1, nexthdr, fragOff };
      fragOff = (((b[off + 2] as number) << 8) | (b[off + 3] as number)) & 0xfff8;
      hdrlen = 8;
      // a later fragment: Linux stops at the fragment header (nexthdr stays NEXTHDR_FRAGMENT)
      if (fragOff) return { off, nexthdr, fragOff };
    } else if (nexthdr === NEXTHDR_AUTH) hdrlen = ((b[off + 1] as number) + 2) << 2;
    else hdrlen = ((b[off + 1] as number) + 1) << 3;
    nexthdr = b[off] as number;
    off += hdrlen;
  }
  return { off, nexthdr, fragOff };
}
