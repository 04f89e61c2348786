// net/core/sock.c: the SOL_SOCKET options every socket has, sock_error().
import type { Sock, SockoptVal } from '../sock.ts';
import {
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_DONTROUTE,
  SO_ERROR,
  SO_KEEPALIVE,
  SO_LINGER,
  SO_MARK,
  SO_PROTOCOL,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SO_TYPE,
} from '../uapi/asm_socket.ts';
import { EINVAL, ENODEV, ENOPROTOOPT } from '../uapi/errno.ts';

/** sock_error(): reads and clears sk_err (then the soft error). */
export function sock_error(sk: Sock): number {
  let e = sk.err;
  sk.err = 0;
  if (!e) {
    e = sk.errSoft;
    sk.errSoft = 0;
  }
  return e;
}

/** sk_setsockopt() */
export function sock_setsockopt(sk: Sock, opt: number, val: SockoptVal): number {
  const net = sk.net;
  const v = typeof val === 'number' ? val : Array.isArray(val) ? val[0] : 0;
  switch (opt) {
    case SO_REUSEADDR:
      sk.reuseaddr = v !== 0;
      return 0;
    case SO_REUSEPORT:
      sk.reuseport = v !== 0;
      return 0;
    case SO_BROADCAST:
      sk.broadcast = v !== 0;
      return 0;
    case SO_DONTROUTE:
      sk.localroute = v !== 0;
      return 0;
    case SO_KEEPALIVE:
      sk.keepopen = v !== 0;
      return 0;
    case SO_RCVBUF: {
      const max = net.sysctl.int('net.core.rmem_max');
      sk.userlocks |= 2;
      sk.rcvbuf = Math.max(Math.min(v, max) * 2, 2304);
      return 0;
    }
    case SO_SNDBUF: {
      const max = net.sysctl.int('net.core.wmem_max');
      sk.userlocks |= 1;
      sk.sndbuf = Math.max(Math.min(v, max) * 2, 4608);
      return 0;
    }
    case SO_LINGER:
      if (!Array.isArray(val)) return -EINVAL;
      sk.linger = val[0] !== 0;
      sk.lingertime = val[1];
      return 0;
    case SO_MARK:
      sk.mark = v >>> 0;
      return 0;
    case SO_BINDTODEVICE: {
      // sock_bindtoindex(): an empty name unbinds
      const name = typeof val === 'string' ? val : '';
      if (name === '') {
        sk.bindDev = 0;
        return 0;
      }
      const dev = net.devByName.get(name);
      if (!dev) return -ENODEV;
      sk.bindDev = dev.ifindex;
      return 0;
    }
    default:
      return -ENOPROTOOPT;
  }
}

/** sk_getsockopt() */
export function sock_getsockopt(sk: Sock, opt: number): number {
  switch (opt) {
    case SO_ERROR:
      return sock_error(sk);
    case SO_TYPE:
      return sk.type;
    case SO_PROTOCOL:
      return sk.protocol;
    case SO_RCVBUF:
      return sk.rcvbuf;
    case SO_SNDBUF:
      return sk.sndbuf;
    case SO_MARK:
      return sk.mark;
    case SO_BINDTODEVICE:
      return sk.bindDev;
    case SO_REUSEADDR:
      return sk.reuseaddr ? 1 : 0;
    case SO_BROADCAST:
      return sk.broadcast ? 1 : 0;
    case SO_DONTROUTE:
      return sk.localroute ? 1 : 0;
    default:
      return -ENOPROTOOPT;
  }
}

/**
 * sock_i_ino(): the inode of the socket's file. A socket without one (a
 * connection not yet accepted, an orphan after close) shows 0. skbpath numbers
 * a socket's inode the first time it is asked for.
 */
export function sock_i_ino(sk: Sock): number {
  if (!sk.net.openSockets.has(sk)) return 0;
  if (sk.ino === 0) sk.ino = sk.net.kernel.nextIno++;
  return sk.ino;
}
