// IPv4 address helpers for kernel code (addresses are unsigned 32-bit numbers).

/** The one formatter is wire's; re-exported for the tools that still import it from here (ping, nc, ss, traceroute). */
export { ipv4ToString } from '../../wire/ipv4.ts';

/**
 * A dotted quad with 1-3 decimal digits per part (leading zeros taken as
 * decimal). No kernel code parses text: only ping, nc and traceroute still
 * call this; they move to libc/inet.ts (inet_aton/inet_pton4), then it goes.
 */
export function parseIpv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v >>> 0;
}

export const ipv4_is_multicast = (a: number): boolean => (a & 0xf0000000) >>> 0 === 0xe0000000;
export const ipv4_is_lbcast = (a: number): boolean => a >>> 0 === 0xffffffff;
export const ipv4_is_zeronet = (a: number): boolean => (a & 0xff000000) >>> 0 === 0;
export const ipv4_is_loopback = (a: number): boolean => (a & 0xff000000) >>> 0 === 0x7f000000;
export const ipv4_is_local_multicast = (a: number): boolean => (a & 0xffffff00) >>> 0 === 0xe0000000;

export const INADDR_ANY = 0;
export const INADDR_BROADCAST = 0xffffffff;
export const INADDR_LOOPBACK = 0x7f000001;
