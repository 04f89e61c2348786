// IGMP (RFC 2236, RFC 3376; include/uapi/linux/igmp.h):
//
//  struct igmphdr (v1/v2, and the v3 query's first 8 bytes):
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      | Max Resp Time |           Checksum            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                         Group Address                         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//  struct igmpv3_report: type 0x22, reserved, checksum, reserved (16 bits),
//  number of group records, then the records (struct igmpv3_grec): record
//  type, aux data len, number of sources, multicast address, the sources.

/** struct igmphdr. */
export const IGMP_HEADER_LEN = 8;
export const IGMPH_TYPE = 0;
export const IGMPH_CODE = 1;
export const IGMPH_CSUM = 2;
export const IGMPH_GROUP = 4;

/** struct igmpv3_report: ngrec, then the records at IGMPV3_REPORT_GREC. */
export const IGMPV3_REPORT_NGREC = 6;
export const IGMPV3_REPORT_GREC = 8;

/** struct igmpv3_grec (8 bytes, then grec_nsrcs 4-byte sources). */
export const IGMPV3_GREC_LEN = 8;
export const IGMPV3_GREC_TYPE = 0;
export const IGMPV3_GREC_NSRCS = 2;
export const IGMPV3_GREC_MCA = 4;

/** Message types. */
export const IGMP_HOST_MEMBERSHIP_QUERY = 0x11;
export const IGMP_HOST_MEMBERSHIP_REPORT = 0x12;
export const IGMPV2_HOST_MEMBERSHIP_REPORT = 0x16;
export const IGMP_HOST_LEAVE_MESSAGE = 0x17;
export const IGMPV3_HOST_MEMBERSHIP_REPORT = 0x22;

/** v3 group record types. */
export const IGMPV3_MODE_IS_INCLUDE = 1;
export const IGMPV3_MODE_IS_EXCLUDE = 2;
export const IGMPV3_CHANGE_TO_INCLUDE = 3;
export const IGMPV3_CHANGE_TO_EXCLUDE = 4;
export const IGMPV3_ALLOW_NEW_SOURCES = 5;
export const IGMPV3_BLOCK_OLD_SOURCES = 6;
