// Linux cooked capture headers (libpcap's pcap/sll.h), what the "any" device
// gives in place of an Ethernet header:
//
// struct sll_header (LINKTYPE_LINUX_SLL, 16 bytes):
//   u16 sll_pkttype  u16 sll_hatype  u16 sll_halen  u8 sll_addr[8]  u16 sll_protocol
// struct sll2_header (LINKTYPE_LINUX_SLL2, 20 bytes):
//   u16 sll2_protocol  u16 sll2_reserved_mbz  u32 sll2_if_index
//   u16 sll2_hatype  u8 sll2_pkttype  u8 sll2_halen  u8 sll2_addr[8]

export const SLL_HDR_LEN = 16;
export const SLL_PKTTYPE = 0;
export const SLL_HATYPE = 2;
export const SLL_HALEN = 4;
export const SLL_ADDR = 6;
export const SLL_PROTOCOL = 14;

export const SLL2_HDR_LEN = 20;
export const SLL2_PROTOCOL = 0;
export const SLL2_IF_INDEX = 4;
export const SLL2_HATYPE = 8;
export const SLL2_PKTTYPE = 10;
export const SLL2_HALEN = 11;
export const SLL2_ADDR = 12;
