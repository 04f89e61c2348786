// iputils ping (20221126) for IPv6 (ping6_common.c: ping6_run, the error
// queue, print_icmp), as root: a raw ICMPv6 socket (the ICMP datagram socket
// it tries first is refused outside ping_group_range), the UDP connect()
// probe that picks the source, -I with a device (IPV6_PKTINFO and
// SO_BINDTODEVICE) or an address (bind, with %dev), scope ids, and the same
// send/receive loop and statistics as IPv4's (ping_common.c main_loop).
import {
  bind6,
  close,
  connect6,
  getsockname6,
  ICMPV6_FILTER,
  IPPROTO_ICMPV6,
  IPV6_CHECKSUM,
  IPV6_MTU_DISCOVER,
  IPV6_MULTICAST_HOPS,
  IPV6_PKTINFO,
  IPV6_PMTUDISC_DO,
  IPV6_RECVERR,
  IPV6_RECVHOPLIMIT,
  IPV6_TCLASS,
  IPV6_UNICAST_HOPS,
  recvmsg6,
  recvmsg_errqueue,
  sendmsg6,
  setsockopt,
  SO_BINDTODEVICE,
  SO_MARK,
  SOCK_DGRAM,
  SOCK_RAW,
  type SockAddrIn6,
  type Socket,
  socket6,
  SOL_ICMPV6,
  SOL_IPV6,
  SOL_RAW,
  SOL_SOCKET,
} from '../../kernel/uapi/socket.ts';
import { EACCES, EMSGSIZE, EPROTONOSUPPORT } from '../../kernel/uapi/errno.ts';
import { ifinfomsg, NLM_F_DUMP, RTM_GETLINK, rtnl_talk } from '../../kernel/uapi/rtnetlink.ts';
import { ipv6ToString } from '../../wire/ipv6.ts';
import type { Proc } from '../../sim/sched.ts';
import type { ProcCtx } from '../proc.ts';
import { strerror } from './errno.ts';
import { PING_SIGNALS, PingRts } from './ping_common.ts';

/** What ping's option parsing gives ping6_run (the IPv4 tool's Opts, plus -I's IPv6 meaning). */
export interface Ping6Opts {
  count: number;
  intervalMs: number;
  deadline: number;
  lingerMs: number;
  ttl: number;
  size: number;
  pmtudisc: number;
  quiet: boolean;
  flood: boolean;
  verbose: boolean;
  mark: number;
  tos: number;
  /** rts->device: -I NAME, or the %NAME of -I ADDR%NAME */
  device: string;
  /** rts->source6 of -I ADDR (opt_strictsource) */
  source6: Uint8Array | null;
}

const isLinkLocal = (a: Uint8Array): boolean => a[0] === 0xfe && ((a[1] as number) & 0xc0) === 0x80;
const isMcLinkLocal = (a: Uint8Array): boolean => a[0] === 0xff && ((a[1] as number) & 0x0f) === 2;
const isMulticast = (a: Uint8Array): boolean => a[0] === 0xff;
const isAny = (a: Uint8Array): boolean => a.every((x) => x === 0);

/** if_nametoindex() / if_indextoname() through an RTM_GETLINK dump. */
function links(ctx: ProcCtx): { name: string; index: number }[] {
  const r = rtnl_talk(ctx.net, { nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_DUMP, ifi: ifinfomsg(), attrs: {} });
  return r.msgs.map((m) => ({ name: m.attrs.IFLA_IFNAME ?? '', index: m.ifi.ifi_index }));
}

export function if_nametoindex(ctx: ProcCtx, name: string): number {
  return links(ctx).find((l) => l.name === name)?.index ?? 0;
}

/**
 * getnameinfo(NI_NUMERICHOST) of a sockaddr_in6: inet_ntop, and %ifname for
 * a link-local address with a scope id (the number when no link has it).
 */
export function pr_addr6(ctx: ProcCtx, a: SockAddrIn6): string {
  const s = ipv6ToString(a.addr);
  if (!a.scopeId) return s;
  if (isLinkLocal(a.addr) || isMcLinkLocal(a.addr)) {
    const l = links(ctx).find((x) => x.index === a.scopeId);
    return `${s}%${l ? l.name : a.scopeId}`;
  }
  return `${s}%${a.scopeId}`;
}

/**
 * getaddrinfo() of a numeric IPv6 host with an optional %scope (a link name
 * or a number); glibc takes a scope only for link-local and link-local
 * multicast addresses. null: EAI_NONAME.
 */
export function getaddrinfo6(ctx: ProcCtx, host: string, parse: (s: string) => Uint8Array | null): SockAddrIn6 | null {
  const pct = host.indexOf('%');
  const addr = parse(pct < 0 ? host : host.slice(0, pct));
  if (!addr) return null;
  if (pct < 0) return { addr, port: 0, scopeId: 0 };
  const scope = host.slice(pct + 1);
  if (!(isLinkLocal(addr) || isMcLinkLocal(addr))) return null;
  let id = if_nametoindex(ctx, scope);
  if (!id) {
    if (!/^\d+$/.test(scope)) return null;
    id = Number(scope);
  }
  return { addr, port: 0, scopeId: id };
}

/** print_icmp(): the text of an ICMPv6 error (and the other types) after "From X icmp_seq=N ". */
export function print_icmp(type: number, code: number, info: number): string {
  switch (type) {
    case 1: {
      const t = ['No route', 'Administratively prohibited', 'Beyond scope of source address', 'Address unreachable', 'Port unreachable'];
      return `Destination unreachable: ${t[code] ?? `Unknown code ${code}`}`;
    }
    case 2:
      return `Packet too big: mtu=${info >>> 0}${code ? `, code=${code}` : ''}`;
    case 3:
      return `Time exceeded: ${code === 0 ? 'Hop limit' : code === 1 ? 'Defragmentation failure' : `code ${code}`}`;
    case 4: {
      const t = code === 0 ? 'Wrong header field ' : code === 1 ? 'Unknown header ' : code === 2 ? 'Unknown option ' : `code ${code} `;
      return `Parameter problem: ${t}at ${info >>> 0}`;
    }
    case 128:
      return 'Echo request';
    case 129:
      return 'Echo reply';
    case 130:
      return 'MLD Query';
    case 131:
      return 'MLD Report';
    case 132:
      return 'MLD Reduction';
    default:
      return `unknown icmp type: ${type}`;
  }
}

/**
 * create_socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6) and the raw socket it
 * falls back to when ping sockets are refused (EACCES, EPROTONOSUPPORT); -errno
 * of the raw socket when that fails too.
 */
export function create_socket6(ctx: ProcCtx, ident0: boolean): { sock: Socket; raw: boolean } | number {
  const pid = ctx.world.sim.sched.current?.pid ?? 0;
  if (!ident0) {
    const d = socket6(ctx.net, SOCK_DGRAM, IPPROTO_ICMPV6, { comm: 'ping', pid, fd: 3 });
    if (typeof d !== 'number') return { sock: d, raw: false };
    if (d !== -EACCES && d !== -EPROTONOSUPPORT) return d;
  }
  const r = socket6(ctx.net, SOCK_RAW, IPPROTO_ICMPV6, { comm: 'ping', pid, fd: 3 });
  if (typeof r === 'number') return r;
  return { sock: r, raw: true };
}

/** ping6_run() and main_loop(): the exit status. `target` is what the user typed, `whereto` its address. */
export function* ping6_run(ctx: ProcCtx, o: Ping6Opts, target: string, whereto: SockAddrIn6, s: { sock: Socket; raw: boolean }): Proc {
  const err = (t: string): void => ctx.stderr.write(t);
  const sock = s.sock;
  const net = ctx.net;
  const closeAll: Socket[] = [sock];
  let finish: (() => number) | null = null;
  let finished = false;
  const task = ctx.world.sim.sched.current;
  if (task) task.handles = PING_SIGNALS;
  try {
    const firsthop: SockAddrIn6 = { addr: whereto.addr.slice(), port: 1025, scopeId: whereto.scopeId };
    let source: SockAddrIn6 = o.source6 ? { addr: o.source6, port: 0, scopeId: 0 } : { addr: new Uint8Array(16), port: 0, scopeId: 0 };
    let pktinfoIfindex = 0;
    if (!o.source6) {
      const probe = socket6(net, SOCK_DGRAM, 0);
      if (typeof probe === 'number') {
        err(`ping: socket: ${strerror(-probe)}\n`);
        return 2;
      }
      closeAll.push(probe);
      if (o.device) {
        const iface = if_nametoindex(ctx, o.device);
        if (!iface) {
          err(`ping: unknown iface: ${o.device}\n`);
          return 2;
        }
        if (isLinkLocal(firsthop.addr) || isMcLinkLocal(firsthop.addr)) firsthop.scopeId = iface;
        setsockopt(probe, SOL_IPV6, IPV6_PKTINFO, iface);
        setsockopt(sock, SOL_IPV6, IPV6_PKTINFO, iface);
        for (const fd of [probe, sock]) {
          const r = setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o.device);
          if (r < 0) {
            err(`ping: setsockopt(SO_BINDTODEVICE) ${o.device}: ${strerror(-r)}\n`);
            return 2;
          }
        }
      }
      if (o.mark) setsockopt(probe, SOL_SOCKET, SO_MARK, o.mark);
      // a link-local first hop keeps the sockaddr's family unset: connect(AF_UNSPEC)
      // only disconnects, and the source stays :: (the kernel picks it per packet)
      const linkLocal = isLinkLocal(firsthop.addr) || isMcLinkLocal(firsthop.addr);
      const r = connect6(probe, linkLocal ? null : firsthop);
      if (r < 0) {
        err(`ping: connect: ${strerror(-r)}\n`);
        return 2;
      }
      const n = getsockname6(probe);
      if (typeof n !== 'number') source = { addr: n.addr, port: 0, scopeId: n.scopeId };
      close(probe);
      closeAll.pop();
      // getifaddrs(): is the source one of the device's addresses? (:: never is)
      if (o.device && isAny(source.addr)) err(`ping: Warning: source address might be selected on device other than: ${o.device}\n`);
    } else if (o.device && (isLinkLocal(source.addr) || isMcLinkLocal(source.addr))) {
      const i = if_nametoindex(ctx, o.device);
      if (!i) {
        err(`ping: unknown iface: ${o.device}\n`);
        return 2;
      }
      source.scopeId = i;
    }
    if (o.device) {
      // the IPV6_PKTINFO cmsg of every probe names the device
      const i = if_nametoindex(ctx, o.device);
      if (!i) {
        err(`ping: unknown iface: ${o.device}\n`);
        return 2;
      }
      pktinfoIfindex = i;
      if (o.source6) {
        const r = setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, o.device);
        if (r < 0) {
          err(`ping: SO_BINDTODEVICE ${o.device}: ${strerror(-r)}\n`);
          return 2;
        }
      }
    }
    const multicast = isMulticast(whereto.addr);
    if (multicast && o.pmtudisc < 0) o.pmtudisc = IPV6_PMTUDISC_DO;
    // a Subnet-Router anycast address (the /64 prefix with a zero interface id): replies may come from any router
    const subnetRouterAnycast = whereto.addr.subarray(8).every((x) => x === 0);
    if (o.pmtudisc >= 0) {
      const r = setsockopt(sock, SOL_IPV6, IPV6_MTU_DISCOVER, o.pmtudisc);
      if (r < 0) {
        err(`ping: IPV6_MTU_DISCOVER: ${strerror(-r)}\n`);
        return 2;
      }
    }
    if (o.source6) {
      const r = bind6(sock, source);
      if (r < 0) {
        err(`ping: bind icmp socket: ${strerror(-r)}\n`);
        return 2;
      }
    }
    setsockopt(sock, SOL_IPV6, IPV6_RECVERR, 1);
    if (s.raw) {
      setsockopt(sock, SOL_RAW, IPV6_CHECKSUM, 2);
      // ICMP6_FILTER_SETBLOCKALL, then SETPASS(ECHO_REPLY)
      const filter = new Uint8Array(32).fill(0xff);
      filter[129 >> 3] = (filter[129 >> 3] as number) & ~(1 << (129 & 7));
      setsockopt(sock, SOL_ICMPV6, ICMPV6_FILTER, filter);
    }
    if (o.ttl >= 0) {
      let r = setsockopt(sock, SOL_IPV6, IPV6_MULTICAST_HOPS, o.ttl);
      if (r < 0) {
        err(`ping: can't set multicast hop limit: ${strerror(-r)}\n`);
        return 2;
      }
      r = setsockopt(sock, SOL_IPV6, IPV6_UNICAST_HOPS, o.ttl);
      if (r < 0) {
        err(`ping: can't set unicast hop limit: ${strerror(-r)}\n`);
        return 2;
      }
    }
    setsockopt(sock, SOL_IPV6, IPV6_RECVHOPLIMIT, 1);
    if (o.tos) setsockopt(sock, SOL_IPV6, IPV6_TCLASS, o.tos);
    if (o.mark) setsockopt(sock, SOL_SOCKET, SO_MARK, o.mark);

    const sim = ctx.world.sim;
    const ident = s.raw ? sim.rng.u32() & 0xffff : 0;
    const out = ctx.stdout;
    const from = o.device || o.source6 ? `from ${pr_addr6(ctx, source)} ${o.device}: ` : '';
    out.write(`PING ${target}(${pr_addr6(ctx, whereto)}) ${from}${o.size} data bytes\n`);

    const rts = new PingRts(ctx, o, target);
    const to: SockAddrIn6 = { addr: whereto.addr, port: IPPROTO_ICMPV6, scopeId: whereto.scopeId };

    /** ping6_receive_error_msg(): true when an error was read. */
    const handleError = (): boolean => {
      const e = recvmsg_errqueue(sock);
      if (!e) return false;
      if (e.origin === 'local') {
        if (o.quiet) return true;
        if (o.flood) out.write('E');
        else if (e.errno !== EMSGSIZE) err(`ping: local error: ${strerror(e.errno)}\n`);
        else err(`ping: local error: message too long, mtu: ${e.info}\n`);
        rts.nerrors++;
        return true;
      }
      const p = e.payload;
      const name = e.name6?.addr;
      if (p.length < 8 || !name || ipv6ToString(name) !== ipv6ToString(whereto.addr) || p[0] !== 128) return true;
      const id = ((p[4] as number) << 8) | (p[5] as number);
      if (s.raw && id !== ident) return true;
      const seq = ((p[6] as number) << 8) | (p[7] as number);
      rts.nerrors++;
      if (o.quiet) return true;
      if (o.flood) {
        out.write('\bE');
        return true;
      }
      const off = e.offender6 ?? { addr: new Uint8Array(16), scopeId: 0 };
      out.write(
        `From ${pr_addr6(ctx, { addr: off.addr, port: 0, scopeId: off.scopeId })} icmp_seq=${seq} ${print_icmp(e.type, e.code, e.info)}\n`,
      );
      return true;
    };

    const sendOne = (): void =>
      rts.pinger(128, ident, null, (pkt) => sendmsg6(sock, pkt, to, pktinfoIfindex ? { pktinfoIfindex } : {}), handleError, true);

    /** ping6_parse_reply() with gather_statistics(). */
    const handleReply = (data: Uint8Array, src: SockAddrIn6, hops: number): void => {
      if (data.length < 8 || data[0] !== 129) return;
      const id = ((data[4] as number) << 8) | (data[5] as number);
      if (s.raw && id !== ident) return;
      const seq = ((data[6] as number) << 8) | (data[7] as number);
      rts.gather_statistics(
        seq,
        data.length,
        () => pr_addr6(ctx, src),
        hops,
        multicast,
        () => (!multicast && !subnetRouterAnycast && ipv6ToString(src.addr) !== ipv6ToString(whereto.addr) ? ' (DIFFERENT ADDRESS!)' : ''),
      );
    };

    finish = (): number => rts.finish();
    yield* rts.main_loop(sock, sendOne, handleError, () => {
      const r = recvmsg6(sock, 0x10000);
      if (typeof r === 'number') return false;
      handleReply(r.data, r.from, r.hoplimit);
      return true;
    });
    finished = true;
    return finish();
  } finally {
    if (!finished && finish && (ctx.world.sim.sched.signal === 2 || ctx.world.sim.sched.signal === 14)) {
      const st = finish();
      for (const x of closeAll) close(x);
      // biome-ignore lint/correctness/noUnsafeFinally: the handled signal's exit status
      return st;
    }
    for (const x of closeAll) close(x);
  }
}
