// net/ipv4/ip_options.c: IPv4 options of received datagrams (compiled into
// IPCB(skb)->opt, record route and timestamps filled in), echoed into the
// answers icmp_reply and icmp_send build, and written by ip_options_build.
import type { Net } from '../net_namespace.ts';
import { alloc_skb, type SkBuff } from '../skbuff.ts';
import { inet_select_addr } from './devinet.ts';
import { flowi4, newResult, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RTN_UNICAST } from './fib.ts';

/** init_net's loopback is ifindex 1 in every namespace. */
const LOOPBACK_IFINDEX = 1;
import { icmp_send } from './icmp.ts';
import { ip_send_check, iph_daddr, iph_saddr, iph_tos, rd32, wr32 } from './iphdr.ts';
import { ICMP_PARAMETERPROB } from '../../wire/icmp.ts';
import { IPH_VERSION_IHL, IPV4_HEADER_LEN } from '../../wire/ipv4.ts';
import { inet_addr_type, RTCF_BROADCAST, RTCF_LOCAL, RTCF_MULTICAST, type Rtable } from './route.ts';
import { EINVAL } from '../uapi/errno.ts';

export const IPOPT_END = 0;
export const IPOPT_NOOP = 1;
export const IPOPT_SEC = 130;
export const IPOPT_LSRR = 131;
export const IPOPT_TIMESTAMP = 68;
export const IPOPT_CIPSO = 134;
export const IPOPT_RR = 7;
export const IPOPT_SID = 136;
export const IPOPT_SSRR = 137;
export const IPOPT_RA = 148;
const IPOPT_TS_TSONLY = 0;
const IPOPT_TS_TSANDADDR = 1;
const IPOPT_TS_PRESPEC = 3;

/** struct ip_options: offsets from the IP header, 0 when absent. */
export interface IpOptions {
  faddr: number;
  optlen: number;
  srr: number;
  rr: number;
  ts: number;
  isStrictroute: boolean;
  rrNeedaddr: boolean;
  tsNeedaddr: boolean;
  tsNeedtime: boolean;
  routerAlert: number;
  cipso: number;
  isChanged: boolean;
  /** __data: the option bytes of an option set built for output. */
  data: Uint8Array;
}

export function emptyOptions(): IpOptions {
  return {
    faddr: 0,
    optlen: 0,
    srr: 0,
    rr: 0,
    ts: 0,
    isStrictroute: false,
    rrNeedaddr: false,
    tsNeedaddr: false,
    tsNeedtime: false,
    routerAlert: 0,
    cipso: 0,
    isChanged: false,
    data: new Uint8Array(0),
  };
}

/** IPCB(skb)->opt: the options ip_rcv_options compiled for a received skb. */
export function IPCB_opt(skb: SkBuff): IpOptions | undefined {
  return skb.cb.ipOpt;
}

/** inet_current_timestamp(): milliseconds since midnight UT. */
function inet_current_timestamp(net: Net): number {
  return Math.floor((net.kernel.sim.epochNs + net.kernel.now) / 1e6) % 86400000;
}

/**
 * fib_compute_spec_dst(): the address a local answer comes from — the
 * destination when it was ours alone, else the preferred source of the route
 * back to the sender (a FIB lookup from lo), else the device's address.
 */
export function fib_compute_spec_dst(net: Net, skb: SkBuff): number {
  const rt = skb.dst as Rtable;
  const b = skb.head;
  const nh = skb.networkHeader;
  if ((rt.flags & (RTCF_BROADCAST | RTCF_MULTICAST | RTCF_LOCAL)) >>> 0 === RTCF_LOCAL) return iph_daddr(b, nh);
  const saddr = iph_saddr(b, nh);
  let scope = RT_SCOPE_UNIVERSE;
  if (saddr >>> 24 !== 0) {
    const fl = flowi4({
      iif: LOOPBACK_IFINDEX,
      daddr: saddr,
      tos: iph_tos(b, nh) & 0xfc,
      scope,
      mark: net.sysctl.devConf(skb.dev?.name ?? 'all', 'src_valid_mark') ? skb.mark : 0,
    });
    const res = newResult();
    if (net.fib.fib_lookup(fl, res) === 0 && res.fa) {
      // fib_result_prefsrc()
      return res.fa.prefsrc || inet_select_addr(net, res.fa.dev, res.fa.gw, res.fa.gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    }
  } else scope = RT_SCOPE_LINK;
  return inet_select_addr(net, skb.dev, saddr, scope);
}

/**
 * __ip_options_compile() for a received skb: parses the options after the
 * header at skb.networkHeader, fills record route and timestamp slots, and
 * returns 0 or the parameter-problem pointer (offset from the header) as
 * `info` for ICMP (-1 never: a positive pointer always).
 */
function __ip_options_compile(net: Net, opt: IpOptions, skb: SkBuff, user = false): { ok: true } | { ok: false; info: number } {
  const b = skb.head;
  const iph = skb.networkHeader;
  let spec_dst = 0;
  let optptr = iph + IPV4_HEADER_LEN;
  let pp_ptr = -1;
  let l = opt.optlen;
  const specDst = (): number => {
    if (spec_dst === 0) spec_dst = fib_compute_spec_dst(net, skb);
    return spec_dst;
  };
  parse: while (l > 0) {
    const kind = b[optptr] as number;
    if (kind === IPOPT_END) {
      for (optptr++, l--; l > 0; optptr++, l--) {
        if (b[optptr] !== IPOPT_END) {
          b[optptr] = IPOPT_END;
          opt.isChanged = true;
        }
      }
      break parse;
    }
    if (kind === IPOPT_NOOP) {
      l--;
      optptr++;
      continue;
    }
    if (l < 2) {
      pp_ptr = optptr;
      break parse;
    }
    const optlen = b[optptr + 1] as number;
    if (optlen < 2 || optlen > l) {
      pp_ptr = optptr;
      break parse;
    }
    const ptr = b[optptr + 2] as number;
    switch (kind) {
      case IPOPT_SSRR:
      case IPOPT_LSRR:
        if (optlen < 3) {
          pp_ptr = optptr + 1;
          break parse;
        }
        if (ptr < 4) {
          pp_ptr = optptr + 2;
          break parse;
        }
        if (opt.srr) {
          pp_ptr = optptr;
          break parse;
        }
        opt.isStrictroute = kind === IPOPT_SSRR;
        opt.srr = optptr - iph;
        break;
      case IPOPT_RR:
        if (opt.rr) {
          pp_ptr = optptr;
          break parse;
        }
        if (optlen < 3) {
          pp_ptr = optptr + 1;
          break parse;
        }
        if (ptr < 4) {
          pp_ptr = optptr + 2;
          break parse;
        }
        if (ptr <= optlen) {
          if (ptr + 3 > optlen) {
            pp_ptr = optptr + 2;
            break parse;
          }
          // from a socket (no route yet) the slot is filled when the datagram is built
          if (!user) {
            wr32(b, optptr + ptr - 1, specDst());
            opt.isChanged = true;
          }
          b[optptr + 2] = ptr + 4;
          opt.rrNeedaddr = true;
        }
        opt.rr = optptr - iph;
        break;
      case IPOPT_TIMESTAMP: {
        if (opt.ts) {
          pp_ptr = optptr;
          break parse;
        }
        if (optlen < 4) {
          pp_ptr = optptr + 1;
          break parse;
        }
        if (ptr < 5) {
          pp_ptr = optptr + 2;
          break parse;
        }
        const flags = b[optptr + 3] as number;
        if (ptr <= optlen) {
          let timeptr = -1;
          if (ptr + 3 > optlen) {
            pp_ptr = optptr + 2;
            break parse;
          }
          switch (flags & 0xf) {
            case IPOPT_TS_TSONLY:
              if (!user) timeptr = optptr + ptr - 1;
              opt.tsNeedtime = true;
              b[optptr + 2] = ptr + 4;
              break;
            case IPOPT_TS_TSANDADDR:
              if (ptr + 7 > optlen) {
                pp_ptr = optptr + 2;
                break parse;
              }
              if (!user) {
                wr32(b, optptr + ptr - 1, specDst());
                timeptr = optptr + ptr + 3;
              }
              opt.tsNeedaddr = true;
              opt.tsNeedtime = true;
              b[optptr + 2] = ptr + 8;
              break;
            case IPOPT_TS_PRESPEC: {
              if (ptr + 7 > optlen) {
                pp_ptr = optptr + 2;
                break parse;
              }
              const addr = rd32(b, optptr + ptr - 1);
              if (inet_addr_type(net, addr) !== RTN_UNICAST) {
                if (!user) timeptr = optptr + ptr + 3;
                opt.tsNeedtime = true;
                b[optptr + 2] = ptr + 8;
              }
              break;
            }
            default:
              break;
          }
          if (timeptr >= 0) {
            wr32(b, timeptr, inet_current_timestamp(net));
            opt.isChanged = true;
          }
        } else if ((flags & 0xf) !== IPOPT_TS_PRESPEC) {
          const overflow = flags >> 4;
          if (overflow === 15) {
            pp_ptr = optptr + 3;
            break parse;
          }
          b[optptr + 3] = (flags & 0xf) | ((overflow + 1) << 4);
          opt.isChanged = true;
        }
        opt.ts = optptr - iph;
        break;
      }
      case IPOPT_RA:
        if (optlen < 4) {
          pp_ptr = optptr + 1;
          break parse;
        }
        if (ptr === 0 && b[optptr + 3] === 0) opt.routerAlert = optptr - iph;
        break;
      case IPOPT_CIPSO:
        if (opt.cipso) {
          pp_ptr = optptr;
          break parse;
        }
        opt.cipso = optptr - iph;
        // cipso_v4_validate(): no CIPSO DOI is configured, so the DOI is unknown
        pp_ptr = optlen < 8 ? optptr + 1 : optptr + 2;
        break parse;
      default:
        // IPOPT_SEC, IPOPT_SID and unknown options pass on received datagrams
        break;
    }
    l -= optlen;
    optptr += optlen;
  }
  if (pp_ptr < 0) return { ok: true };
  return { ok: false, info: ((pp_ptr - iph) << 24) >>> 0 };
}

/**
 * ip_rcv_options(): compiles the options of a received datagram (an error
 * answers ICMP parameter problem and is IP_INHDR with IpInHdrErrors, counted
 * by the caller), then refuses source routes unless accept_source_route is on
 * for the namespace and the device. Returns 0, or the drop reason.
 */
/**
 * ip_options_get(): setsockopt(IP_OPTIONS) — the options a socket puts on every
 * datagram, compiled without a route (record route and timestamp slots are
 * filled when each datagram is built, by ip_options_build). Source routes from
 * a socket are not simulated (-EINVAL).
 */
export function ip_options_get(net: Net, bytes: Uint8Array): IpOptions | number {
  if (bytes.length > 40) return -EINVAL;
  const optlen = (bytes.length + 3) & ~3;
  const skb = alloc_skb(net.kernel, IPV4_HEADER_LEN + optlen, 0);
  const o = skb.put(IPV4_HEADER_LEN + optlen);
  skb.networkHeader = o;
  skb.head[o + IPH_VERSION_IHL] = 0x40 | ((IPV4_HEADER_LEN + optlen) >> 2);
  skb.head.set(bytes, o + IPV4_HEADER_LEN);
  const opt = emptyOptions();
  opt.optlen = optlen;
  const r = __ip_options_compile(net, opt, skb, true);
  if (!r.ok || opt.srr) return -EINVAL;
  opt.data = skb.head.slice(o + IPV4_HEADER_LEN, o + IPV4_HEADER_LEN + optlen);
  return opt;
}

export function ip_options_compile_rcv(net: Net, skb: SkBuff, ihl: number): 'ok' | 'inhdr' | 'srr' {
  const opt = emptyOptions();
  opt.optlen = ihl * 4 - 20;
  skb.cb.ipOpt = opt;
  const r = __ip_options_compile(net, opt, skb);
  if (!r.ok) {
    icmp_send(net, skb, ICMP_PARAMETERPROB, 0, r.info);
    return 'inhdr';
  }
  // a filled-in slot leaves the header checksum stale (an ICMP error quotes it so);
  // ip_forward_options() re-checksums a forwarded datagram
  if (opt.srr) {
    const dev = skb.dev;
    if (dev && !(net.sysctl.devConf('all', 'accept_source_route') && net.sysctl.devConf(dev.name, 'accept_source_route'))) return 'srr';
    // ip_options_rcv_srr(): a source route that is used up ends here; one with
    // hops left would be forwarded to its next hop (not simulated: delivered)
  }
  return 'ok';
}

/**
 * __ip_options_echo(): the options an answer to skb carries (record route
 * and timestamp copied with room for our address, a source route reversed).
 * Null when they cannot be echoed (the answer is not sent).
 */
export function ip_options_echo(skb: SkBuff): IpOptions | null {
  const dopt = emptyOptions();
  const sopt = skb.cb.ipOpt;
  if (!sopt || sopt.optlen === 0) return dopt;
  const sptr = skb.head;
  const nh = skb.networkHeader;
  const d: number[] = [];
  if (sopt.rr) {
    const optlen = sptr[nh + sopt.rr + 1] as number;
    const soffset = sptr[nh + sopt.rr + 2] as number;
    dopt.rr = d.length + IPV4_HEADER_LEN;
    const start = d.length;
    for (let i = 0; i < optlen; i++) d.push(sptr[nh + sopt.rr + i] as number);
    if (sopt.rrNeedaddr && soffset <= optlen) {
      if (soffset + 3 > optlen) return null;
      d[start + 2] = soffset + 4;
      dopt.rrNeedaddr = true;
    }
  }
  if (sopt.ts) {
    const optlen = sptr[nh + sopt.ts + 1] as number;
    let soffset = sptr[nh + sopt.ts + 2] as number;
    dopt.ts = d.length + IPV4_HEADER_LEN;
    const start = d.length;
    for (let i = 0; i < optlen; i++) d.push(sptr[nh + sopt.ts + i] as number);
    if (soffset <= optlen) {
      if (sopt.tsNeedaddr) {
        if (soffset + 3 > optlen) return null;
        dopt.tsNeedaddr = true;
        soffset += 4;
      }
      if (sopt.tsNeedtime) {
        if (soffset + 3 > optlen) return null;
        if (((d[start + 3] as number) & 0xf) !== IPOPT_TS_PRESPEC) {
          dopt.tsNeedtime = true;
          soffset += 4;
        } else if (soffset + 7 <= optlen) {
          dopt.tsNeedtime = true;
          soffset += 8;
        }
      }
      d[start + 2] = soffset;
    }
  }
  if (sopt.srr) {
    const start = nh + sopt.srr;
    const optlen = sptr[start + 1] as number;
    let soffset = sptr[start + 2] as number;
    let doffset = 0;
    let faddr = 0;
    const route: number[] = [];
    if (soffset > optlen) soffset = optlen + 1;
    soffset -= 4;
    if (soffset > 3) {
      faddr = rd32(sptr, start + soffset - 1);
      for (soffset -= 4, doffset = 4; soffset > 3; soffset -= 4, doffset += 4) {
        for (let i = 0; i < 4; i++) route[doffset - 1 + i - 3] = sptr[start + soffset - 1 + i] as number;
      }
      if (iph_saddr(sptr, nh) === rd32(sptr, start + soffset + 3)) doffset -= 4;
    }
    if (doffset > 3) {
      dopt.faddr = faddr;
      dopt.srr = d.length + IPV4_HEADER_LEN;
      d.push(sptr[start] as number, doffset + 3, 4);
      for (let i = 0; i < doffset; i++) d.push(route[i] ?? 0);
      dopt.isStrictroute = sopt.isStrictroute;
    }
  }
  while (d.length & 3) d.push(IPOPT_END);
  dopt.optlen = d.length;
  dopt.data = Uint8Array.from(d);
  return dopt;
}

/**
 * ip_options_build(): writes the options after the header at b[iph] and our
 * address where a record route or timestamp wants one (ip_rt_get_source of
 * an output route: the header's source).
 */
export function ip_options_build(net: Net, b: Uint8Array, iph: number, opt: IpOptions, daddr: number): void {
  b.set(opt.data, iph + IPV4_HEADER_LEN);
  const src = iph_saddr(b, iph);
  if (opt.srr) wr32(b, iph + opt.srr + (b[iph + opt.srr + 1] as number) - 4, daddr);
  if (opt.rrNeedaddr) wr32(b, iph + opt.rr + (b[iph + opt.rr + 2] as number) - 5, src);
  if (opt.tsNeedaddr) wr32(b, iph + opt.ts + (b[iph + opt.ts + 2] as number) - 9, src);
  if (opt.tsNeedtime) wr32(b, iph + opt.ts + (b[iph + opt.ts + 2] as number) - 5, inet_current_timestamp(net));
}

/**
 * ip_rt_get_source() for a forwarded datagram: the preferred source of the
 * route out (a FIB lookup of its own flow, with the output device), else the
 * output device's address towards the next hop.
 */
function ip_rt_get_source_fwd(net: Net, skb: SkBuff, rt: Rtable): number {
  const b = skb.head;
  const nh = skb.networkHeader;
  const daddr = iph_daddr(b, nh);
  const fl = flowi4({
    daddr,
    saddr: iph_saddr(b, nh),
    tos: iph_tos(b, nh) & 0xfc,
    oif: rt.dev.ifindex,
    iif: skb.dev?.ifindex ?? 0,
    mark: skb.mark,
  });
  const res = newResult();
  if (net.fib.fib_lookup(fl, res) === 0 && res.fa)
    return res.fa.prefsrc || inet_select_addr(net, res.fa.dev, res.fa.gw, res.fa.gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
  return inet_select_addr(net, rt.dev, rt.gw4 || daddr, RT_SCOPE_UNIVERSE);
}

/**
 * ip_forward_options(): a forwarded datagram's record route slot gets the
 * address it leaves by (over the one ip_rcv_options wrote); the header is
 * checksummed again. (Source-route hops, srr_is_hit, are not modelled.)
 */
export function ip_forward_options(net: Net, skb: SkBuff): void {
  const opt = skb.cb.ipOpt;
  if (!opt?.optlen) return;
  const b = skb.head;
  const nh = skb.networkHeader;
  if (opt.rrNeedaddr) {
    const optptr = nh + opt.rr;
    wr32(b, optptr + (b[optptr + 2] as number) - 5, ip_rt_get_source_fwd(net, skb, skb.dst as Rtable));
    opt.isChanged = true;
  }
  if (opt.isChanged) {
    opt.isChanged = false;
    ip_send_check(b, nh);
  }
}
