// include/uapi/linux/if_link.h: the macvlan part (IFLA_MACVLAN_*, enum
// macvlan_mode, enum macvlan_macaddr_mode, MACVLAN_FLAG_*).

export const MACVLAN_MODE_PRIVATE = 1;
export const MACVLAN_MODE_VEPA = 2;
export const MACVLAN_MODE_BRIDGE = 4;
export const MACVLAN_MODE_PASSTHRU = 8;
export const MACVLAN_MODE_SOURCE = 16;

export const MACVLAN_MACADDR_ADD = 0;
export const MACVLAN_MACADDR_DEL = 1;
export const MACVLAN_MACADDR_FLUSH = 2;
export const MACVLAN_MACADDR_SET = 3;

export const MACVLAN_FLAG_NOPROMISC = 1;
export const MACVLAN_FLAG_NODST = 2;

/** IFLA_INFO_DATA of kind "macvlan" (IFLA_MACVLAN_*). */
export interface IflaMacvlanAttrs {
  IFLA_MACVLAN_MODE?: number;
  IFLA_MACVLAN_FLAGS?: number;
  IFLA_MACVLAN_MACADDR_MODE?: number;
  IFLA_MACVLAN_MACADDR?: Uint8Array;
  /** the nest of IFLA_MACVLAN_MACADDR attributes */
  IFLA_MACVLAN_MACADDR_DATA?: Uint8Array[];
  IFLA_MACVLAN_MACADDR_COUNT?: number;
  IFLA_MACVLAN_BC_QUEUE_LEN?: number;
  IFLA_MACVLAN_BC_QUEUE_LEN_USED?: number;
  IFLA_MACVLAN_BC_CUTOFF?: number;
}
