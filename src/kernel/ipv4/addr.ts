// IPv4 address helpers for kernel code (addresses are unsigned 32-bit numbers).

/** The one formatter is wire's. */
export { ipv4ToString } from '../../wire/ipv4.ts';

export const ipv4_is_multicast = (a: number): boolean => (a & 0xf0000000) >>> 0 === 0xe0000000;
export const ipv4_is_lbcast = (a: number): boolean => a >>> 0 === 0xffffffff;
export const ipv4_is_zeronet = (a: number): boolean => (a & 0xff000000) >>> 0 === 0;
export const ipv4_is_loopback = (a: number): boolean => (a & 0xff000000) >>> 0 === 0x7f000000;
export const ipv4_is_local_multicast = (a: number): boolean => (a & 0xffffff00) >>> 0 === 0xe0000000;

export const INADDR_ANY = 0;
export const INADDR_BROADCAST = 0xffffffff;
export const INADDR_LOOPBACK = 0x7f000001;
