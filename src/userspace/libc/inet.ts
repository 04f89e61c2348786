// The C library's IPv4 text conversions (glibc resolv/inet_addr.c and
// inet_pton.c), as the tools that call them see them. Addresses are unsigned
// 32-bit numbers in host order. The one formatter is wire's ipv4ToString.
// inet_pton(AF_INET) is wire's parseIpv4 (strict dotted quad).
export { ipv4ToString as inet_ntoa, parseIpv4 as inet_pton4 } from '../../wire/ipv4.ts';

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isXdigit = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);
const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');

/**
 * inet_aton: 1 to 4 parts (a, a.b = 8.24, a.b.c = 8.8.16, a.b.c.d), each
 * decimal, octal (leading 0) or hex (0x). `exact` is __inet_aton_exact, what
 * getaddrinfo uses for numeric hosts: nothing may follow; plain inet_aton
 * accepts trailing text after a space.
 */
export function inet_aton(s: string, exact = true): number | null {
  const parts: number[] = [];
  let i = 0;
  let c = s[i] ?? '';
  let val = 0;
  for (;;) {
    if (!isDigit(c)) return null;
    val = 0;
    let base = 10;
    if (c === '0') {
      c = s[++i] ?? '';
      if (c === 'x' || c === 'X') {
        base = 16;
        c = s[++i] ?? '';
      } else base = 8;
    }
    for (;;) {
      if (isDigit(c)) {
        if (base === 8 && (c === '8' || c === '9')) return null;
        val = val * base + (c.charCodeAt(0) - 48);
      } else if (base === 16 && isXdigit(c)) {
        val = val * 16 + Number.parseInt(c, 16);
      } else break;
      if (val > 0xffffffff) return null;
      c = s[++i] ?? '';
    }
    if (c !== '.') break;
    if (parts.length >= 3 || val > 0xff) return null;
    parts.push(val);
    c = s[++i] ?? '';
  }
  if (c !== '') {
    if (exact || !isSpace(c)) return null;
  }
  const max = [0xffffffff, 0xffffff, 0xffff, 0xff][parts.length] as number;
  if (val > max) return null;
  let addr = val;
  for (let k = 0; k < parts.length; k++) addr += (parts[k] as number) * 2 ** (8 * (3 - k));
  return addr >>> 0;
}
