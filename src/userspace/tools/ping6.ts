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
  getsockopt,
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
  poll,
  poll_wait,
  POLLERR,
  POLLIN,
  recvmsg6,
  recvmsg_errqueue,
  sendmsg6,
  setsockopt,
  SO_BINDTODEVICE,
  SO_ERROR,
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
import { EACCES, EMSGSIZE, ENOBUFS, ENOMEM, EPERM, EPROTONOSUPPORT } from '../../kernel/uapi/errno.ts';
import { ifinfomsg, NLM_F_DUMP, RTM_GETLINK, rtnl_talk } from '../../kernel/uapi/rtnetlink.ts';
import { ipv6ToString } from '../../wire/ipv6.ts';
import { preempt, type Proc, waitOn } from '../../sim/sched.ts';
import type { ProcCtx } from '../proc.ts';
import { strerror } from './errno.ts';

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

/** The helpers ping.ts shares with IPv6 (the statistics are ping_common.c's). */
export interface PingCommon {
  msUs(us: number): string;
  fmtRtt(us: number): string;
  fmtG(v: number): string;
  signals: ReadonlySet<number>;
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
export function* ping6_run(
  ctx: ProcCtx,
  o: Ping6Opts,
  target: string,
  whereto: SockAddrIn6,
  s: { sock: Socket; raw: boolean },
  c: PingCommon,
): Proc {
  const err = (t: string): void => ctx.stderr.write(t);
  const sock = s.sock;
  const net = ctx.net;
  const closeAll: Socket[] = [sock];
  let finish: (() => number) | null = null;
  let finished = false;
  const task = ctx.world.sim.sched.current;
  if (task) task.handles = c.signals;
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

    const start = sim.now;
    let ntransmitted = 0;
    let nreceived = 0;
    let nerrors = 0;
    let nrepeats = 0;
    const rcvd = new Set<number>();
    let tmin = Infinity;
    let tmax = 0;
    let tsum = 0;
    let tsum2 = 0;
    let ewma = 0;
    const usec = (ns: number): number => Math.floor((sim.epochNs + ns) / 1000);
    let lastSend = -Infinity;
    let resendAt: number | null = null;
    let oomCount = 0;
    let exitAt = Infinity;
    const deadlineAt = o.deadline ? start + o.deadline * 1e9 : Infinity;
    const intervalNs = o.intervalMs * 1e6;
    const inFlight = (): number => ntransmitted - nreceived - nerrors;
    const sendTimes = new Map<number, number>();
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
        nerrors++;
        return true;
      }
      const p = e.payload;
      const name = e.name6?.addr;
      if (p.length < 8 || !name || ipv6ToString(name) !== ipv6ToString(whereto.addr) || p[0] !== 128) return true;
      const id = ((p[4] as number) << 8) | (p[5] as number);
      if (s.raw && id !== ident) return true;
      const seq = ((p[6] as number) << 8) | (p[7] as number);
      nerrors++;
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

    let hardError = false;
    const sendOne = (): void => {
      const seq = (ntransmitted + 1) & 0xffff;
      const pkt = new Uint8Array(8 + o.size);
      pkt[0] = 128;
      pkt[4] = ident >> 8;
      pkt[5] = ident & 0xff;
      pkt[6] = seq >> 8;
      pkt[7] = seq & 0xff;
      const now = sim.epochNs + sim.now;
      if (o.size >= 16) {
        const sec = Math.floor(now / 1e9);
        const us = Math.floor((now % 1e9) / 1e3);
        const dv = new DataView(pkt.buffer);
        dv.setUint32(8, sec >>> 0, true);
        dv.setUint32(12, Math.floor(sec / 2 ** 32), true);
        dv.setUint32(16, us, true);
      }
      for (let i = o.size >= 16 ? 16 : 0; i < o.size; i++) pkt[8 + i] = i & 0xff;
      sendTimes.set(seq, sim.now);
      rcvd.delete(seq);
      const r = sendmsg6(sock, pkt, to, pktinfoIfindex ? { pktinfoIfindex } : {});
      resendAt = null;
      if (r === -ENOBUFS || r === -ENOMEM) {
        const half = Math.trunc(o.intervalMs / 2);
        const nores = Math.min(half <= 10 ? 10 : half, 500);
        oomCount++;
        if (oomCount * nores < o.lingerMs) {
          resendAt = sim.now + nores * 1e6;
          return;
        }
        ntransmitted++;
        lastSend = sim.now;
        if (o.flood && !o.quiet) out.write('E');
        else if (!o.quiet) err(`ping: sendmsg: ${strerror(-r)}\n`);
        return;
      }
      if (r >= 0) oomCount = 0;
      ntransmitted++;
      lastSend = sim.now;
      if (r < 0) {
        // pinger(): a hard local error counts as sent, and pinger asks to be called again an interval later
        hardError = true;
        if (-r === EMSGSIZE || -r === EPERM) handleError();
        else {
          err(`ping: sendmsg: ${strerror(-r)}\n`);
          nerrors++;
        }
      } else if (o.flood && !o.quiet) out.write('.');
    };

    /** ping6_parse_reply() with gather_statistics(). */
    const handleReply = (data: Uint8Array, src: SockAddrIn6, hops: number): void => {
      if (data.length < 8 || data[0] !== 129) return;
      const id = ((data[4] as number) << 8) | (data[5] as number);
      if (s.raw && id !== ident) return;
      const seq = ((data[6] as number) << 8) | (data[7] as number);
      const sent = sendTimes.get(seq) ?? sim.now;
      const rtt = usec(sim.now) - usec(sent);
      const dup = rcvd.has(seq);
      tsum += rtt;
      tsum2 += rtt * rtt;
      if (rtt < tmin) tmin = rtt;
      if (rtt > tmax) tmax = rtt;
      ewma = ewma ? ewma + rtt - Math.trunc(ewma / 8) : rtt * 8;
      if (dup) nrepeats++;
      else {
        rcvd.add(seq);
        nreceived++;
      }
      if (o.quiet) return;
      if (o.flood) {
        out.write('\b \b');
        return;
      }
      const wrong = !multicast && !subnetRouterAnycast && ipv6ToString(src.addr) !== ipv6ToString(whereto.addr);
      out.write(
        `${data.length} bytes from ${pr_addr6(ctx, src)}: icmp_seq=${seq} ttl=${hops} time=${c.fmtRtt(rtt)} ms${dup && (!multicast || o.verbose) ? ' (DUP!)' : ''}${wrong ? ' (DIFFERENT ADDRESS!)' : ''}\n`,
      );
    };

    finish = (): number => {
      const elapsed = Math.floor((sim.now - start) / 1e6);
      let line = `\n--- ${target} ping statistics ---\n${ntransmitted} packets transmitted, ${nreceived} received`;
      if (nrepeats) line += `, +${nrepeats} duplicates`;
      if (nerrors) line += `, +${nerrors} errors`;
      if (ntransmitted) line += `, ${c.fmtG(((ntransmitted - nreceived) * 100) / ntransmitted)}% packet loss`;
      line += `, time ${elapsed}ms\n`;
      if (nreceived) {
        const total = nreceived + nrepeats;
        const avg = Math.trunc(tsum / total);
        const tmvar =
          tsum < 2147483647 ? Math.trunc((tsum2 - Math.trunc((tsum * tsum) / total)) / total) : Math.trunc(tsum2 / total) - avg * avg;
        const mdev = Math.floor(Math.sqrt(Math.max(0, tmvar)));
        line += `rtt min/avg/max/mdev = ${c.msUs(tmin)}/${c.msUs(avg)}/${c.msUs(tmax)}/${c.msUs(mdev)} ms`;
        if (ntransmitted > 1 && (intervalNs === 0 || o.flood)) {
          const ipg = Math.trunc((usec(sim.now) - usec(start)) / (ntransmitted - 1));
          line += `, ipg/ewma ${c.msUs(ipg)}/${c.msUs(Math.trunc(ewma / 8))} ms`;
        }
      }
      out.write(`${line}\n`);
      if (!nreceived || (o.deadline && nreceived < o.count)) return 1;
      return 0;
    };
    for (;;) {
      if (ctx.world.sim.sched.needResched()) yield preempt;
      if (o.count && nreceived + nerrors >= o.count) break;
      if (o.deadline && nerrors) break;
      if (sim.now >= deadlineAt || sim.now >= exitAt) break;
      const gap = intervalNs === 0 && inFlight() >= 1 ? 10 * 1e6 : intervalNs;
      if ((!o.count || ntransmitted < o.count) && (resendAt !== null ? sim.now >= resendAt : sim.now - lastSend >= gap)) {
        hardError = false;
        sendOne();
        // main_loop() polls until pinger's next time after a hard local error, then finds the count reached
        if (o.count && nreceived + nerrors >= o.count && !hardError) break;
      }
      if (o.count && ntransmitted >= o.count && !o.deadline && exitAt === Infinity) {
        let wait = o.lingerMs * 1e6;
        if (nreceived) wait = Math.max(2 * tmax * 1e3, intervalNs);
        exitAt = sim.now + wait;
      }
      let next = Math.min(deadlineAt, exitAt);
      // pinger() after a hard local error: SCHINT(interval) until it is called again
      if (hardError) next = Math.min(next, lastSend + intervalNs);
      if (!o.count || ntransmitted < o.count)
        next = Math.min(next, resendAt ?? lastSend + (intervalNs === 0 && inFlight() >= 1 ? 10 * 1e6 : intervalNs));
      if (!(poll(sock) & (POLLIN | POLLERR)) && next > sim.now) {
        yield waitOn(poll_wait(sock), next === Infinity ? -1 : next - sim.now);
      }
      for (;;) {
        if (getsockopt(sock, SOL_SOCKET, SO_ERROR)) {
          if (handleError() && inFlight() <= 0) break;
          continue;
        }
        const r = recvmsg6(sock, 0x10000);
        if (typeof r === 'number') {
          if (poll(sock) & POLLERR) {
            if (handleError() && inFlight() <= 0) break;
            continue;
          }
          break;
        }
        handleReply(r.data, r.from, r.hoplimit);
        if (inFlight() <= 0) break;
      }
    }
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
