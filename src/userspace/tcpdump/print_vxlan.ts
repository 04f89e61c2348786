// tcpdump 4.99.3 print-vxlan.c: a VXLAN header (RFC 7348) on UDP port 4789,
// then the inner Ethernet frame as ether_print prints any frame.
import { VXLAN_HDR_LEN } from '../../wire/vxlan.ts';

/**
 * vxlan_print(): `VXLAN, flags [I] (0x08), vni N` and a newline, then the
 * inner frame (`ether` prints a frame given its length on the wire).
 * `len` is what UDP carried after its header.
 */
export function vxlanPrint(bp: Uint8Array, len: number, ether: (frame: Uint8Array, wirelen: number) => string): string {
  let s = 'VXLAN';
  if (len < VXLAN_HDR_LEN) return `${s} (invalid)`;
  if (bp.length < 1) return `${s} [|vxlan]`;
  const flags = bp[0] as number;
  // bittok2str_nosep(vxlan_flags, "invalid", flags): the I bit, else "invalid"
  const names = flags & 0x08 ? 'I' : 'invalid';
  s += `, flags [${names}] (0x${flags.toString(16).padStart(2, '0')}), `;
  if (bp.length < 7) return `${s} [|vxlan]`;
  const vni = ((bp[4] as number) << 16) | ((bp[5] as number) << 8) | (bp[6] as number);
  s += `vni ${vni}\n`;
  if (bp.length < 8) return `${s} [|vxlan]`;
  return s + ether(bp.subarray(VXLAN_HDR_LEN), len - VXLAN_HDR_LEN);
}
