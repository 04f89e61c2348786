// VXLAN (RFC 7348, struct vxlanhdr in include/net/vxlan.h), carried in UDP:
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|R|R|R|I|R|R|R|            Reserved                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                VXLAN Network Identifier (VNI) |   Reserved    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The inner Ethernet frame follows. IANA's port is 4789; Linux's default
// (vxlan_port) is the pre-standard 8472.

import { rd32 } from './bytes.ts';

/** sizeof(struct vxlanhdr) */
export const VXLAN_HDR_LEN = 8;
/** VXLAN_HF_VNI: the I flag (vx_flags, big endian 0x08000000). */
export const VXLAN_HF_VNI = 0x08000000;
/** IANA_VXLAN_UDP_PORT */
export const IANA_VXLAN_UDP_PORT = 4789;
/** The kernel's default destination port (module parameter vxlan_port). */
export const VXLAN_DEFAULT_PORT = 8472;

export const VXLANH = { FLAGS: 0, VNI: 4 } as const;

/** vx_flags as a host-order word. */
export const vxlanh_flags = (b: Uint8Array, o: number): number => rd32(b, o + VXLANH.FLAGS);
/** vx_vni as a host-order word (VNI in the upper 24 bits). */
export const vxlanh_vni_field = (b: Uint8Array, o: number): number => rd32(b, o + VXLANH.VNI);
/** vxlan_vni(): the 24-bit VNI. */
export const vxlanh_vni = (b: Uint8Array, o: number): number => rd32(b, o + VXLANH.VNI) >>> 8;
