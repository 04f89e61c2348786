// net/ipv4/ip_sockglue.c: the SOL_IP socket options, the error queue
// (ip_recv_error) and locally generated errors (ip_local_error).
import type { SkBuff } from '../skbuff.ts';
import type { Sock, SockExtendedErr, SockoptVal } from '../sock.ts';
import { EINVAL, ENOPROTOOPT } from '../uapi/errno.ts';
import { IP_MINTTL, IP_MTU_DISCOVER, IP_OPTIONS, IP_RECVERR, IP_TOS, IP_TTL } from '../uapi/in.ts';
import { SOL_IP } from '../uapi/asm_socket.ts';
import { ip_options_get } from './ip_options.ts';

/** do_ip_setsockopt() */
export function ip_setsockopt(sk: Sock, level: number, opt: number, val: SockoptVal): number {
  if (level !== SOL_IP) return -ENOPROTOOPT;
  const v = typeof val === 'number' ? val : Array.isArray(val) ? val[0] : 0;
  switch (opt) {
    case IP_TOS:
      sk.tos = v & 0xff;
      return 0;
    case IP_TTL:
      if (v < -1 || v > 255 || v === 0) return -EINVAL;
      sk.ttl = v;
      return 0;
    case IP_MINTTL:
      sk.minTtl = v;
      return 0;
    case IP_RECVERR:
      sk.recverr = v !== 0;
      return 0;
    case IP_MTU_DISCOVER:
      if (v < 0 || v > 5) return -EINVAL;
      sk.pmtudisc = v;
      return 0;
    case IP_OPTIONS:
      return ip_setsockopt_options(sk, val instanceof Uint8Array ? val : new Uint8Array(0));
    default:
      return -ENOPROTOOPT;
  }
}

/** do_ip_getsockopt() */
export function ip_getsockopt(sk: Sock, level: number, opt: number): number {
  if (level !== SOL_IP) return -ENOPROTOOPT;
  switch (opt) {
    case IP_TOS:
      return sk.tos;
    case IP_TTL:
      return sk.ttl >= 0 ? sk.ttl : sk.net.sysctl.int('net.ipv4.ip_default_ttl') || 64;
    case IP_MINTTL:
      return sk.minTtl;
    case IP_RECVERR:
      return sk.recverr ? 1 : 0;
    case IP_MTU_DISCOVER:
      return sk.pmtudisc;
    default:
      return -ENOPROTOOPT;
  }
}

/** setsockopt(SOL_IP, IP_OPTIONS): options for every datagram the socket sends (an empty list clears them). */
export function ip_setsockopt_options(sk: Sock, bytes: Uint8Array): number {
  sk.net.kernel.syscallEnter();
  if (bytes.length === 0) {
    sk.ipOpt = null;
    return 0;
  }
  const opt = ip_options_get(sk.net, bytes);
  if (typeof opt === 'number') return opt;
  sk.ipOpt = opt;
  return 0;
}

/** ip_local_error(): a locally generated error on the error queue (IP_RECVERR). */
export function ip_local_error(sk: Sock, err: number, daddr: number, info: number): void {
  if (!sk.recverr) return;
  sk.errQueue.push({
    skb: null as unknown as SkBuff,
    ee: { errno: err, origin: 'local', type: 0, code: 0, info, offender: daddr, payload: new Uint8Array(0) } satisfies SockExtendedErr,
  });
}

/** ip_recv_error(): recvmsg(MSG_ERRQUEUE), the oldest queued error. */
export function ip_recv_error(sk: Sock): SockExtendedErr | null {
  const e = sk.errQueue.shift();
  if (!e) return null;
  if (e.skb) e.skb.release();
  if (!sk.errQueue.length) sk.err = 0;
  return e.ee;
}
