// net/ipv6/ipv6_sockglue.c: the SOL_IPV6 socket options of datagram and raw
// sockets (do_ipv6_setsockopt / do_ipv6_getsockopt), as far as ping,
// traceroute and the datagram sockets use them.
import type { SockoptVal } from '../sock.ts';
import { EINVAL, ENOPROTOOPT, ENOTCONN } from '../uapi/errno.ts';
import {
  IPV6_HOPLIMIT,
  IPV6_MTU,
  IPV6_MTU_DISCOVER,
  IPV6_MULTICAST_HOPS,
  IPV6_MULTICAST_LOOP,
  IPV6_PKTINFO,
  IPV6_PMTUDISC_OMIT,
  IPV6_RECVERR,
  IPV6_RECVHOPLIMIT,
  IPV6_RECVPKTINFO,
  IPV6_TCLASS,
  IPV6_UNICAST_HOPS,
  IPV6_V6ONLY,
  SOL_IPV6,
} from '../uapi/in6.ts';
import type { Sock6 } from './af_inet6.ts';

/** IPV6_MIN_MTU: IPV6_MTU below it is refused. */
const IPV6_MIN_MTU = 1280;

const intOf = (val: SockoptVal): number => (typeof val === 'number' ? val : Array.isArray(val) ? val[0] : 0);

/** do_ipv6_setsockopt() */
export function ipv6_setsockopt(sk: Sock6, level: number, opt: number, val: SockoptVal): number {
  if (level !== SOL_IPV6) return -ENOPROTOOPT;
  sk.net.kernel.syscallEnter();
  const v = intOf(val);
  switch (opt) {
    case IPV6_UNICAST_HOPS:
      if (v > 255 || v < -1) return -EINVAL;
      sk.hopLimit = v;
      return 0;
    case IPV6_MULTICAST_HOPS:
      if (v > 255 || v < -1) return -EINVAL;
      sk.mcastHops = v === -1 ? -1 : v;
      return 0;
    case IPV6_MULTICAST_LOOP:
      if (v !== 0 && v !== 1) return -EINVAL;
      sk.mcLoop = v === 1;
      return 0;
    case IPV6_MTU_DISCOVER:
      if (v < 0 || v > IPV6_PMTUDISC_OMIT) return -EINVAL;
      sk.pmtudisc6 = v;
      return 0;
    case IPV6_MTU:
      if (v && v < IPV6_MIN_MTU) return -EINVAL;
      sk.fragSize = v;
      return 0;
    case IPV6_RECVERR:
      sk.recverr6 = v !== 0;
      if (!v) sk.errQueue.splice(0);
      return 0;
    case IPV6_RECVHOPLIMIT:
      sk.rxHoplimit = v !== 0;
      return 0;
    case IPV6_RECVPKTINFO:
      return 0;
    case IPV6_PKTINFO:
      // struct in6_pktinfo as a socket option: the sticky outgoing interface
      sk.stickyIfindex = v;
      return 0;
    case IPV6_TCLASS:
      if (v < -1 || v > 0xff) return -EINVAL;
      sk.tclass = v === -1 ? 0 : v;
      return 0;
    case IPV6_V6ONLY:
      if (sk.sport) return -EINVAL;
      return 0;
    default:
      return -ENOPROTOOPT;
  }
}

/** do_ipv6_getsockopt() */
export function ipv6_getsockopt(sk: Sock6, level: number, opt: number): number {
  if (level !== SOL_IPV6) return -ENOPROTOOPT;
  switch (opt) {
    case IPV6_UNICAST_HOPS:
    case IPV6_MULTICAST_HOPS: {
      const v = opt === IPV6_UNICAST_HOPS ? sk.hopLimit : sk.mcastHops;
      if (v >= 0) return v;
      return opt === IPV6_MULTICAST_HOPS ? 1 : sk.net.sysctl.int('net.ipv6.conf.all.hop_limit') || 64;
    }
    case IPV6_MULTICAST_LOOP:
      return sk.mcLoop ? 1 : 0;
    case IPV6_MTU_DISCOVER:
      return sk.pmtudisc6;
    case IPV6_MTU:
      if (sk.state !== 1) return -ENOTCONN;
      return sk.fragSize;
    case IPV6_RECVERR:
      return sk.recverr6 ? 1 : 0;
    case IPV6_RECVHOPLIMIT:
    case IPV6_HOPLIMIT:
      return sk.rxHoplimit ? 1 : 0;
    case IPV6_TCLASS:
      return sk.tclass;
    default:
      return -ENOPROTOOPT;
  }
}
