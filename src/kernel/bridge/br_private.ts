// net/bridge/br_private.h: struct net_bridge, net_bridge_port and
// net_bridge_fdb_entry, the port states and the port flags.
import type { NetDevice } from '../core/netdevice.ts';
import type { Timer } from '../../sim/events.ts';

export const BR_STATE_DISABLED = 0;
export const BR_STATE_LISTENING = 1;
export const BR_STATE_LEARNING = 2;
export const BR_STATE_FORWARDING = 3;
export const BR_STATE_BLOCKING = 4;

export const BR_STATE_NAMES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'] as const;

// port flags (include/linux/if_bridge.h)
export const BR_HAIRPIN_MODE = 1 << 0;
export const BR_BPDU_GUARD = 1 << 1;
export const BR_ROOT_BLOCK = 1 << 2;
export const BR_MULTICAST_FAST_LEAVE = 1 << 3;
export const BR_ADMIN_COST = 1 << 4;
export const BR_LEARNING = 1 << 5;
export const BR_FLOOD = 1 << 6;
export const BR_PROXYARP = 1 << 8;
export const BR_LEARNING_SYNC = 1 << 9;
export const BR_PROXYARP_WIFI = 1 << 10;
export const BR_MCAST_FLOOD = 1 << 11;
export const BR_MULTICAST_TO_UNICAST = 1 << 12;
export const BR_VLAN_TUNNEL = 1 << 13;
export const BR_BCAST_FLOOD = 1 << 14;
export const BR_NEIGH_SUPPRESS = 1 << 15;
export const BR_ISOLATED = 1 << 16;

export const BR_NO_STP = 0;
export const BR_KERNEL_STP = 1;

export type BrPktType = 'UNICAST' | 'MULTICAST' | 'BROADCAST';

/** struct net_bridge_fdb_entry */
export interface FdbEntry {
  readonly addr: Uint8Array;
  readonly key: string;
  /** the port, or null for the bridge device's own address */
  dst: NetBridgePort | null;
  readonly vid: number;
  isLocal: boolean;
  isStatic: boolean;
  addedByUser: boolean;
  /** jiffies */
  updated: number;
  used: number;
}

/** struct net_bridge_port */
export interface NetBridgePort {
  readonly br: NetBridge;
  readonly dev: NetDevice;
  readonly portNo: number;
  state: number;
  flags: number;
  priority: number;
  pathCost: number;
  /** p->forward_delay_timer's expiry in jiffies (armed when the port starts forwarding), or -1 */
  forwardDelayTimer: number;
}

/** struct net_bridge */
export interface NetBridge {
  readonly dev: NetDevice;
  /** br->port_list: list_add_rcu puts a new port first. */
  readonly ports: NetBridgePort[];
  readonly fdb: Map<string, FdbEntry>;
  /** in jiffies, as br->ageing_time and br->forward_delay are */
  ageingTime: number;
  forwardDelay: number;
  helloTime: number;
  maxAge: number;
  stpEnabled: number;
  topologyChange: boolean;
  groupFwdMask: number;
  priority: number;
  mcastSnooping: boolean;
  nfCallIptables: boolean;
  gcTimer: Timer | null;
  /** BROPT_MTU_SET_BY_USER: the ports' MTUs no longer drive the bridge's */
  mtuSetByUser: boolean;
}

export function macKey(addr: Uint8Array, vid: number): string {
  let s = '';
  for (const b of addr) s += b.toString(16).padStart(2, '0');
  return `${s}/${vid}`;
}

export function br_port_get(dev: NetDevice): NetBridgePort | null {
  return dev.master && dev.brPort ? (dev.brPort as NetBridgePort) : null;
}

export function netdev_priv_br(dev: NetDevice): NetBridge | null {
  return dev.ops.kind === 'bridge' ? (dev.brPort as NetBridge) : null;
}

export function is_multicast_ether_addr(b: Uint8Array, o: number): boolean {
  return ((b[o] as number) & 1) === 1;
}

export function is_broadcast_ether_addr(b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 6; i++) if (b[o + i] !== 0xff) return false;
  return true;
}

/** is_valid_ether_addr(): not multicast, not all zero. */
export function is_valid_ether_addr(b: Uint8Array, o: number): boolean {
  if (is_multicast_ether_addr(b, o)) return false;
  for (let i = 0; i < 6; i++) if (b[o + i] !== 0) return true;
  return false;
}

export function ether_addr_equal(a: Uint8Array, b: Uint8Array, bo: number): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[bo + i]) return false;
  return true;
}

/** is_link_local_ether_addr(): 01:80:c2:00:00:0X */
export function is_link_local_ether_addr(b: Uint8Array, o: number): boolean {
  return b[o] === 0x01 && b[o + 1] === 0x80 && b[o + 2] === 0xc2 && b[o + 3] === 0 && b[o + 4] === 0 && ((b[o + 5] as number) & 0xf0) === 0;
}
