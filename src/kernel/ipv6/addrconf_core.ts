// net/ipv6/addrconf_core.c and the address helpers of include/net/ipv6.h and
// include/net/addrconf.h: what kind of address an in6_addr is (__ipv6_addr_type),
// its scope, and the well-known groups (solicited-node, all-nodes, all-routers).
// Addresses are the 16-byte Uint8Array of src/wire/ipv6.ts.
import { EventQueue, type Timer } from '../../sim/events.ts';

// include/net/ipv6.h: the IPV6_ADDR_* type bits
export const IPV6_ADDR_ANY = 0x0000;
export const IPV6_ADDR_UNICAST = 0x0001;
export const IPV6_ADDR_MULTICAST = 0x0002;
export const IPV6_ADDR_LOOPBACK = 0x0010;
export const IPV6_ADDR_LINKLOCAL = 0x0020;
export const IPV6_ADDR_SITELOCAL = 0x0040;
export const IPV6_ADDR_COMPATv4 = 0x0080;
export const IPV6_ADDR_SCOPE_MASK = 0x00f0;
export const IPV6_ADDR_MAPPED = 0x1000;

export const IPV6_ADDR_SCOPE_NODELOCAL = 0x01;
export const IPV6_ADDR_SCOPE_LINKLOCAL = 0x02;
export const IPV6_ADDR_SCOPE_SITELOCAL = 0x05;
export const IPV6_ADDR_SCOPE_ORGLOCAL = 0x08;
export const IPV6_ADDR_SCOPE_GLOBAL = 0x0e;

// include/net/addrconf.h: the scopes inet6_ifaddr.scope holds (IFA_* of rtnetlink are RT_SCOPE_*)
export const IFA_HOST = IPV6_ADDR_LOOPBACK;
export const IFA_LINK = IPV6_ADDR_LINKLOCAL;
export const IFA_SITE = IPV6_ADDR_SITELOCAL;
export const IFA_GLOBAL = 0x0000;

const SCOPE_TYPE = (scope: number): number => scope << 16;

/** IPV6_ADDR_MC_SCOPE(): the scope nibble of a multicast address. */
export const IPV6_ADDR_MC_SCOPE = (a: Uint8Array): number => (a[1] as number) & 0x0f;

function ipv6_addr_scope2type(scope: number): number {
  switch (scope) {
    case IPV6_ADDR_SCOPE_NODELOCAL:
      return SCOPE_TYPE(IPV6_ADDR_SCOPE_NODELOCAL) | IPV6_ADDR_LOOPBACK;
    case IPV6_ADDR_SCOPE_LINKLOCAL:
      return SCOPE_TYPE(IPV6_ADDR_SCOPE_LINKLOCAL) | IPV6_ADDR_LINKLOCAL;
    case IPV6_ADDR_SCOPE_SITELOCAL:
      return SCOPE_TYPE(IPV6_ADDR_SCOPE_SITELOCAL) | IPV6_ADDR_SITELOCAL;
  }
  return SCOPE_TYPE(scope);
}

const w32 = (a: Uint8Array, i: number): number =>
  (((a[i * 4] as number) << 24) | ((a[i * 4 + 1] as number) << 16) | ((a[i * 4 + 2] as number) << 8) | (a[i * 4 + 3] as number)) >>> 0;

/** __ipv6_addr_type(): the type bits, with the scope in bits 16 and up. */
export function __ipv6_addr_type(a: Uint8Array): number {
  const st = w32(a, 0);
  if ((st & 0xe0000000) >>> 0 !== 0 && (st & 0xe0000000) >>> 0 !== 0xe0000000)
    return IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_GLOBAL);
  if ((st & 0xff000000) >>> 0 === 0xff000000) return IPV6_ADDR_MULTICAST | ipv6_addr_scope2type(IPV6_ADDR_MC_SCOPE(a));
  if ((st & 0xffc00000) >>> 0 === 0xfe800000) return IPV6_ADDR_LINKLOCAL | IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_LINKLOCAL);
  if ((st & 0xffc00000) >>> 0 === 0xfec00000) return IPV6_ADDR_SITELOCAL | IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_SITELOCAL);
  if ((st & 0xfe000000) >>> 0 === 0xfc000000) return IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_GLOBAL);
  if ((st | w32(a, 1)) === 0) {
    if (w32(a, 2) === 0) {
      const w3 = w32(a, 3);
      if (w3 === 0) return IPV6_ADDR_ANY;
      if (w3 === 1) return IPV6_ADDR_LOOPBACK | IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_LINKLOCAL);
      return IPV6_ADDR_COMPATv4 | IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_GLOBAL);
    }
    if (w32(a, 2) === 0x0000ffff) return IPV6_ADDR_MAPPED | SCOPE_TYPE(IPV6_ADDR_SCOPE_GLOBAL);
  }
  return IPV6_ADDR_UNICAST | SCOPE_TYPE(IPV6_ADDR_SCOPE_GLOBAL);
}

/** ipv6_addr_type(): the type bits without the scope. */
export const ipv6_addr_type = (a: Uint8Array): number => __ipv6_addr_type(a) & 0xffff;

/** ipv6_addr_scope(): the IFA_* scope an address gets (ipv6_addr_type & IPV6_ADDR_SCOPE_MASK). */
export const ipv6_addr_scope = (a: Uint8Array): number => __ipv6_addr_type(a) & IPV6_ADDR_SCOPE_MASK;

/** __ipv6_addr_src_scope(): the scope number (IPV6_ADDR_SCOPE_*) of an address type. */
export const __ipv6_addr_src_scope = (type: number): number => (type === IPV6_ADDR_ANY ? -1 : type >> 16);
export const ipv6_addr_src_scope = (a: Uint8Array): number => __ipv6_addr_src_scope(__ipv6_addr_type(a));

export const ipv6_addr_any = (a: Uint8Array): boolean => {
  for (let i = 0; i < 16; i++) if (a[i]) return false;
  return true;
};
export const ipv6_addr_loopback = (a: Uint8Array): boolean => {
  for (let i = 0; i < 15; i++) if (a[i]) return false;
  return a[15] === 1;
};
export const ipv6_addr_is_multicast = (a: Uint8Array): boolean => a[0] === 0xff;
/** ipv6_addr_is_ll_all_nodes(): ff02::1 */
export const ipv6_addr_is_ll_all_nodes = (a: Uint8Array): boolean => isWellKnown(a, 0xff02, 1);
/** ipv6_addr_is_ll_all_routers(): ff02::2 */
export const ipv6_addr_is_ll_all_routers = (a: Uint8Array): boolean => isWellKnown(a, 0xff02, 2);
/** ipv6_addr_is_solict_mult(): ff02::1:ffXX:XXXX */
export function ipv6_addr_is_solict_mult(a: Uint8Array): boolean {
  if (a[0] !== 0xff || a[1] !== 0x02) return false;
  for (let i = 2; i < 11; i++) if (a[i]) return false;
  return a[11] === 1 && a[12] === 0xff;
}

function isWellKnown(a: Uint8Array, head: number, last: number): boolean {
  if (a[0] !== head >> 8 || a[1] !== (head & 0xff)) return false;
  for (let i = 2; i < 15; i++) if (a[i]) return false;
  return a[15] === last;
}

/** ipv6_addr_prefix(): the first plen bits of a, the rest zero. */
export function ipv6_addr_prefix(a: Uint8Array, plen: number): Uint8Array {
  const out = new Uint8Array(16);
  const o = plen >> 3;
  const b = plen & 7;
  out.set(a.subarray(0, Math.min(16, o)));
  if (b && o < 16) out[o] = (a[o] as number) & ((0xff00 >> b) & 0xff);
  return out;
}

/** ipv6_prefix_equal() */
export function ipv6_prefix_equal(a: Uint8Array, b: Uint8Array, plen: number): boolean {
  const o = plen >> 3;
  for (let i = 0; i < o; i++) if (a[i] !== b[i]) return false;
  const r = plen & 7;
  if (r) {
    const m = (0xff00 >> r) & 0xff;
    if ((((a[o] as number) ^ (b[o] as number)) & m) !== 0) return false;
  }
  return true;
}

/** addrconf_addr_solict_mult(): ff02::1:ff + the low 24 bits of addr. */
export function addrconf_addr_solict_mult(addr: Uint8Array): Uint8Array {
  const s = new Uint8Array(16);
  s[0] = 0xff;
  s[1] = 0x02;
  s[11] = 1;
  s[12] = 0xff;
  s[13] = addr[13] as number;
  s[14] = addr[14] as number;
  s[15] = addr[15] as number;
  return s;
}

const wellKnown = (b0: number, b1: number, last: number): Uint8Array => {
  const a = new Uint8Array(16);
  a[0] = b0;
  a[1] = b1;
  a[15] = last;
  return a;
};
/** in6addr_linklocal_allnodes: ff02::1 */
export const in6addr_linklocal_allnodes = (): Uint8Array => wellKnown(0xff, 0x02, 1);
/** in6addr_linklocal_allrouters: ff02::2 */
export const in6addr_linklocal_allrouters = (): Uint8Array => wellKnown(0xff, 0x02, 2);
/** in6addr_interfacelocal_allnodes: ff01::1 */
export const in6addr_interfacelocal_allnodes = (): Uint8Array => wellKnown(0xff, 0x01, 1);
/** in6addr_interfacelocal_allrouters: ff01::2 */
export const in6addr_interfacelocal_allrouters = (): Uint8Array => wellKnown(0xff, 0x01, 2);
/** in6addr_sitelocal_allrouters: ff05::2 */
export const in6addr_sitelocal_allrouters = (): Uint8Array => wellKnown(0xff, 0x05, 2);
/** ff02::16: the MLDv2-capable routers MLDv2 reports go to. */
export const in6addr_linklocal_allmldv2routers = (): Uint8Array => wellKnown(0xff, 0x02, 0x16);

/** A number key of an address for per-address maps (two 52-bit halves folded): use with an equality check. */
export function in6Hash(a: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ (a[i] as number), 0x01000193);
  return h >>> 0;
}

/** ipv6_eth_mc_map(): the Ethernet group of a multicast address (33:33 + its last 32 bits). */
export function ipv6_eth_mc_map(addr: Uint8Array): Uint8Array {
  return new Uint8Array([0x33, 0x33, addr[12] as number, addr[13] as number, addr[14] as number, addr[15] as number]);
}

/** One jiffy in virtual ns (HZ 250). */
export const JIFFY_NS = 4_000_000;

/**
 * When a timer or delayed work armed now for `delay` jiffies runs: at the tick
 * jiffies + delay (the timer wheel fires a bucket's timers last-armed first,
 * so a later arming gets a slightly earlier time within the tick); delay 0
 * is a work queued at once.
 */
export function jiffies_timer_at(k: import('../kernel.ts').Kernel, delay: number): number {
  const now = k.now;
  // queued at once: a kworker runs it before the next process gets going
  if (delay <= 0) return now + 1000;
  const tick = (Math.floor(now / JIFFY_NS) + delay) * JIFFY_NS;
  const seq = ++k.jiffyTimerSeq % 1000;
  return tick + (1000 - seq);
}

/**
 * A delayed work (addrconf_wq, mld_wq): runs fn in process context (a
 * kworker), where a packet it sends is received by the peer's softirq as the
 * sender re-enables BH, before the work goes on. Arm it with sim.modTimer.
 */
export function work_timer<T>(fn: (arg: T) => void, arg: T): Timer {
  return EventQueue.timer(fn, arg);
}
