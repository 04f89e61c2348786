// traceroute 2.1.2 (Dmitry Butskoy's, as Debian ships it): UDP probes to
// increasing ports by default (-I: ICMP echo), one socket per probe with
// IP_RECVERR, answers read from the error queue, its exact output.
import { ipv4ToString } from '../../wire/ipv4.ts';
import {
  bind as sys_bind,
  close as sys_close,
  connect as sys_connect,
  getsockname as sys_getsockname,
  getsockopt,
  IP_MTU_DISCOVER,
  IP_PMTUDISC_DO,
  IP_PMTUDISC_DONT,
  IP_RECVERR,
  IP_TOS,
  IP_TTL,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  poll,
  poll_wait,
  POLLERR,
  POLLIN,
  recv,
  recvmsg_errqueue as sys_recv_err,
  send,
  sendto,
  setsockopt,
  SO_BINDTODEVICE,
  SO_ERROR,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
  type Socket as Sock,
  socket as sys_socket,
  SOL_IP,
  SOL_SOCKET,
} from '../../kernel/uapi/socket.ts';
import { inet_aton } from '../libc/inet.ts';
import { EHOSTUNREACH, EINVAL, ENETUNREACH } from '../../kernel/uapi/errno.ts';
import { type Proc, waitAny } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { checksumAdd, checksumFinish, internetChecksum, pseudoHeaderSumV4 } from '../../wire/checksum.ts';
import { strerror } from './errno.ts';
import {
  connect6,
  ICMPV6_FILTER,
  IPPROTO_ICMPV6,
  IPV6_MTU_DISCOVER,
  IPV6_PMTUDISC_DONT,
  IPV6_PMTUDISC_PROBE,
  IPV6_RECVERR,
  IPV6_TCLASS,
  IPV6_UNICAST_HOPS,
  recvmsg6,
  sendmsg6,
  type SockAddrIn6,
  socket6,
  SOL_ICMPV6,
  SOL_IPV6,
} from '../../kernel/uapi/socket.ts';
import { ipv6ToString, parseIpv6 } from '../../wire/ipv6.ts';
import { getaddrinfo6 } from './ping6.ts';

const USAGE_HEAD =
  'Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]\n';

const WITH_ARG = new Set(['f', 'g', 'i', 'm', 'N', 'p', 't', 'l', 'w', 'q', 's', 'z', 'M', 'O', 'P']);
const FLAGS = new Set(['4', '6', 'd', 'F', 'I', 'T', 'n', 'r', 'e', 'A', 'U', 'D', 'V']);

/** CLIF's names for the option arguments (traceroute.c option table). */
const ARG_NAME: Record<string, string> = {
  f: 'first_ttl',
  g: 'gate,...',
  i: 'device',
  m: 'max_ttl',
  N: 'squeries',
  p: 'port',
  t: 'tos',
  l: 'flow_label',
  w: 'MAX,HERE,NEAR',
  q: 'nqueries',
  s: 'src_addr',
  z: 'sendwait',
  M: 'name',
  O: 'OPTS,...',
  P: 'prot',
};

/** sendProbe()'s answer when SO_BINDTODEVICE failed. */
const NO_DEVICE = -0x10000;

interface Probe {
  /** -T: the TCP socket that holds the probe's source port */
  tcpSk?: Sock;
  sport: number;
  ttl: number;
  n: number;
  sk: Sock;
  sent: number;
  port: number;
  seq: number;
  done: boolean;
  /** The hop that answered: an IPv4 address, an IPv6 one as text, 0 for none. */
  addr: number | string;
  recv: number;
  annot: string;
  final: boolean;
}

/** The !X annotation traceroute prints for an ICMP error. */
function annotation(type: number, code: number, info: number): string {
  if (type !== 3) return '';
  switch (code) {
    case 0:
    case 6:
    case 9:
    case 11:
      return ' !N';
    case 1:
    case 7:
    case 10:
    case 12:
      return ' !H';
    case 2:
      return ' !P';
    case 3:
      return '';
    case 4:
      return ` !F-${info}`;
    case 5:
      return ' !S';
    case 13:
      return ' !X';
    case 14:
      return ' !V';
    case 15:
      return ' !C';
    default:
      return ` !<${code}>`;
  }
}

/** The annotation traceroute prints for an ICMPv6 error (parse_icmp_res, SO_EE_ORIGIN_ICMP6). */
function annotation6(type: number, code: number, info: number): string {
  if (type === 3) return code === 0 ? '' : ` !<${type}-${code}>`;
  if (type === 1) {
    switch (code) {
      case 0:
        return ' !N';
      case 2:
      case 3:
        return ' !H';
      case 1:
        return ' !X';
      case 4:
        return '';
      default:
        return ` !<${code}>`;
    }
  }
  if (type === 2) return ` !F-${info}`;
  return ` !<${type}-${code}>`;
}

function* traceroute(ctx: ProcCtx): Proc {
  const err = (s: string): void => ctx.stderr.write(s);
  let icmp = false;
  let tcp = false;
  let numeric = false;
  let dontFrag = false;
  let first = 1;
  let max = 30;
  let squeries = 16;
  let nqueries = 3;
  let port = -1;
  let tos = 0;
  let waitMax = 5;
  let waitHere = 3;
  let waitNear = 10;
  let sendwaitNs = 0;
  let src = 0;
  let iface = '';
  let family: 0 | 4 | 6 = 0;
  const rest: string[] = [];
  const args = ctx.argv.slice(1);
  const bad = (opt: string, v: string, i: number): number => {
    err(`Cannot handle \`-${opt}' option with arg \`${v}' (argc ${i})\n`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith('--')) {
      if (a === '--icmp') icmp = true;
      else if (a === '--help') {
        err(USAGE_HEAD);
        return 0;
      } else if (!a.startsWith('--sport') && !a.startsWith('--fwmark')) {
        err(`Bad option \`${a}' (argc ${i + 1})\n`);
        return 2;
      }
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      if (FLAGS.has(c)) {
        if (c === 'I') icmp = true;
        else if (c === '4') family = 4;
        else if (c === '6') family = 6;
        else if (c === 'T') {
          tcp = true;
          if (port < 0) port = 80;
        } else if (c === 'n') numeric = true;
        else if (c === 'F') dontFrag = true;
        else if (c === 'V') {
          err('Modern traceroute for Linux, version 2.1.2\nCopyright (c) 2016  Dmitry Butskoy,   License: GPL v2 or any later\n');
          return 0;
        }
        continue;
      }
      if (!WITH_ARG.has(c)) {
        err(`Bad option \`-${c}' (argc ${i + 1})\n`);
        return 2;
      }
      // CLIF: an argument is attached only to an option that starts its word (-q1);
      // inside a cluster (-nq) it must be the next word
      let v = j === 1 ? a.slice(j + 1) : '';
      let argc = i + 1;
      if (!v) {
        const nx = j === 1 || j === a.length - 1 ? args[++i] : undefined;
        if (nx === undefined) {
          err(`Option \`-${c}' (argc ${argc}) requires an argument: \`-${c} ${ARG_NAME[c] ?? 'arg'}'\n`);
          return 2;
        }
        v = nx;
        argc = i + 1;
      }
      const intSetters: Record<string, (n: number) => void> = {
        f: (n) => (first = n),
        m: (n) => (max = n),
        N: (n) => (squeries = n),
        q: (n) => (nqueries = n),
        p: (n) => (port = n),
        t: (n) => (tos = n),
      };
      const setInt = intSetters[c];
      if (setInt) {
        if (!/^\d+$/.test(v)) return bad(c, v, argc);
        setInt(Number(v));
        break;
      }
      switch (c) {
        case 'w': {
          const parts = v.split(/[,/]/);
          const nums = parts.map((p) => (/^\d*\.?\d+$/.test(p) ? Number(p) : NaN));
          if (nums.some((x) => Number.isNaN(x))) return bad(c, v, argc);
          waitMax = nums[0] ?? waitMax;
          if (nums.length > 1) waitHere = nums[1] as number;
          if (nums.length > 2) waitNear = nums[2] as number;
          break;
        }
        case 'z': {
          if (!/^\d*\.?\d+$/.test(v)) return bad(c, v, argc);
          const z = Number(v);
          sendwaitNs = z > 10 ? z * 1e6 : z * 1e9;
          break;
        }
        case 's': {
          const a4 = inet_aton(v);
          if (a4 === null) return bad(c, v, argc);
          src = a4;
          break;
        }
        case 'i':
          iface = v;
          break;
        default:
          break;
      }
      break;
    }
  }
  const host = rest[0];
  if (host === undefined) {
    err(USAGE_HEAD);
    return 0;
  }
  // getaddrinfo(): an IPv6 host (with a %scope) when -6 or when it has a colon
  const dst6 = family !== 4 && (family === 6 || host.includes(':')) ? getaddrinfo6(ctx, host, parseIpv6) : null;
  const v6 = dst6 !== null;
  const daddr = v6 ? 0 : inet_aton(host);
  if (daddr === null || (family === 6 && !v6)) {
    err(
      `${host}: Temporary failure in name resolution\nCannot handle "host" cmdline arg \`${host}' on position 1 (argc ${args.indexOf(host) + 1})\n`,
    );
    return 2;
  }
  let packetlen = v6 ? 80 : 60;
  if (rest[1] !== undefined) {
    if (!/^\d+$/.test(rest[1])) {
      err(`Cannot handle "packetlen" cmdline arg \`${rest[1]}' on position 2 (argc ${args.indexOf(rest[1]) + 1})\n`);
      return 2;
    }
    packetlen = Number(rest[1]);
    if (packetlen > 65000) {
      err(`too big packetlen ${packetlen} specified\n`);
      return 2;
    }
  }
  if (max > 255) {
    err('max hops cannot be more than 255\n');
    return 2;
  }
  if (first < 1 || first > max) {
    err('first hop out of range\n');
    return 2;
  }
  if (nqueries < 1 || nqueries > 10) {
    err('no more than 10 probes per hop\n');
    return 2;
  }
  if (squeries < 1) squeries = 1;
  if (v6 && tcp) {
    err('skbpath: traceroute: -T over IPv6 is not simulated (TCPv6 is a later issue)\n');
    return 2;
  }
  // 20 bytes of IP (40 of IPv6) and 8 of UDP/ICMP header (TCP's 40 carry no data)
  const dataLen = Math.max(0, packetlen - (v6 ? 48 : 28));
  if (port < 0) port = icmp ? 1 : 33434;
  const net = ctx.net;
  const noDevice = (): number => {
    err('\nsetsockopt SO_BINDTODEVICE: No such device\n');
    return 1;
  };
  /** tune_socket(): SO_BINDTODEVICE first, as traceroute does. */
  const bindToDevice = (sk: Sock): boolean => !iface || setsockopt(sk, SOL_SOCKET, SO_BINDTODEVICE, iface) >= 0;
  const sim = ctx.world.sim;
  // stdout is a file or pipe: C stdio buffers it; traceroute flushes after each line
  // the header goes out at once; each hop line starts with its newline
  const data = new Uint8Array(dataLen);
  for (let i = 0; i < dataLen; i++) data[i] = (0x40 + i) & 0xff;

  const ident = sim.rng.u32() & 0xffff;
  // one raw socket for -I (ICMP) and -T (TCP SYNs); a UDP socket per probe otherwise
  /** The raw socket (either family) bound to -i's device, or the exit status once the error is printed. */
  const rawSocket = (s: Sock | number): Sock | number => {
    if (typeof s === 'number') {
      err(`socket: ${strerror(-s)}\n`);
      return 1;
    }
    if (!bindToDevice(s)) {
      sys_close(s);
      return noDevice();
    }
    return s;
  };
  let icmpSock: Sock | null = null;
  let tcpSrc = src;
  if (v6 && icmp) {
    const s = rawSocket(socket6(net, SOCK_RAW, IPPROTO_ICMPV6));
    if (typeof s === 'number') return s;
    icmpSock = s;
    setsockopt(s, SOL_IPV6, IPV6_RECVERR, 1);
    if (tos) setsockopt(s, SOL_IPV6, IPV6_TCLASS, tos);
    setsockopt(s, SOL_IPV6, IPV6_MTU_DISCOVER, dontFrag ? IPV6_PMTUDISC_PROBE : IPV6_PMTUDISC_DONT);
    // ICMP6_FILTER: echo replies only (the errors come by the error queue)
    const filter = new Uint8Array(32).fill(0xff);
    filter[129 >> 3] = (filter[129 >> 3] as number) & ~(1 << (129 & 7));
    setsockopt(s, SOL_ICMPV6, ICMPV6_FILTER, filter);
  } else if (icmp || tcp) {
    const s = rawSocket(sys_socket(net, SOCK_RAW, tcp ? IPPROTO_TCP : IPPROTO_ICMP));
    if (typeof s === 'number') return s;
    icmpSock = s;
    setsockopt(s, SOL_IP, IP_RECVERR, 1);
    setsockopt(s, SOL_IP, IP_TOS, tos);
    setsockopt(s, SOL_IP, IP_MTU_DISCOVER, dontFrag ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT);
    if (src) sys_bind(s, src, 0);
  }
  const to6: SockAddrIn6 | null = dst6 ? { addr: dst6.addr, port: 0, scopeId: dst6.scopeId } : null;
  const dstText = to6 ? ipv6ToString(to6.addr) : ipv4ToString(daddr);
  ctx.stdout.write(`traceroute to ${host} (${dstText}), ${max} hops max, ${packetlen} byte packets`);
  if (tcp && !tcpSrc) {
    // the source the kernel would pick, for the checksum traceroute computes itself
    const u = sys_socket(net, SOCK_DGRAM, 0);
    if (typeof u !== 'number') {
      if (!bindToDevice(u)) {
        sys_close(u);
        if (icmpSock) sys_close(icmpSock);
        return noDevice();
      }
      const c = sys_connect(u, daddr, port);
      tcpSrc = c < 0 ? 0 : sys_getsockname(u)[0];
      sys_close(u);
      if (c < 0) {
        if (icmpSock) sys_close(icmpSock);
        err(`\nconnect: ${strerror(-c)}\n`);
        return 1;
      }
    }
  }
  const probes: Probe[] = [];
  const total = (max - first + 1) * nqueries;
  let nextIdx = 0;
  let lastHop = max + 1;
  let printed = first;
  let status = 0;
  const openSockets = new Set<Sock>();
  const finishProbe = (p: Probe, addr: number | string, recv: number, annot: string, final: boolean): void => {
    if (p.done) return;
    p.done = true;
    p.addr = addr;
    p.recv = recv;
    p.annot = annot;
    p.final = final;
    if (final && p.ttl < lastHop) lastHop = p.ttl;
    if (p.sk !== icmpSock) {
      sys_close(p.sk);
      openSockets.delete(p.sk);
    }
    if (p.tcpSk) {
      sys_close(p.tcpSk);
      openSockets.delete(p.tcpSk);
    }
  };
  const sendProbe = (): number => {
    const idx = nextIdx++;
    const ttl = first + Math.floor(idx / nqueries);
    let sk: Sock;
    let r: number;
    if (icmpSock && tcp) {
      sk = icmpSock;
      setsockopt(sk, SOL_IP, IP_TTL, ttl);
      // a bound TCP socket reserves the source port; the SYN itself is built here
      const hold = sys_socket(net, SOCK_STREAM, IPPROTO_TCP);
      if (typeof hold === 'number') return hold;
      sys_bind(hold, tcpSrc, 0);
      const sport = sys_getsockname(hold)[1];
      openSockets.add(hold);
      const syn = tcpSyn(tcpSrc, daddr, sport, port, sim.rng.u32(), Math.floor((sim.epochNs + sim.now) / 1e6) >>> 0);
      probes.push({
        tcpSk: hold,
        sport,
        ttl,
        n: idx,
        sk,
        sent: sim.now,
        port,
        seq: 0,
        done: false,
        addr: 0,
        recv: 0,
        annot: '',
        final: false,
      });
      r = sendto(sk, syn, daddr, 0);
    } else if (icmpSock && to6) {
      sk = icmpSock;
      setsockopt(sk, SOL_IPV6, IPV6_UNICAST_HOPS, ttl);
      const seq = port + idx;
      const pkt = new Uint8Array(8 + dataLen);
      pkt[0] = 128;
      pkt[4] = ident >> 8;
      pkt[5] = ident & 0xff;
      pkt[6] = (seq >> 8) & 0xff;
      pkt[7] = seq & 0xff;
      pkt.set(data, 8);
      probes.push({ sport: 0, ttl, n: idx, sk, sent: sim.now, port: 0, seq, done: false, addr: 0, recv: 0, annot: '', final: false });
      r = sendmsg6(sk, pkt, to6);
    } else if (icmpSock) {
      sk = icmpSock;
      setsockopt(sk, SOL_IP, IP_TTL, ttl);
      const seq = port + idx;
      const pkt = new Uint8Array(8 + dataLen);
      pkt[0] = 8;
      pkt[4] = ident >> 8;
      pkt[5] = ident & 0xff;
      pkt[6] = (seq >> 8) & 0xff;
      pkt[7] = seq & 0xff;
      pkt.set(data, 8);
      const ck = internetChecksum(pkt);
      pkt[2] = ck >> 8;
      pkt[3] = ck & 0xff;
      probes.push({ sport: 0, ttl, n: idx, sk, sent: sim.now, port: 0, seq, done: false, addr: 0, recv: 0, annot: '', final: false });
      r = sendto(sk, pkt, daddr, 0);
    } else {
      const s = to6 ? socket6(net, SOCK_DGRAM, 0) : sys_socket(net, SOCK_DGRAM, 0);
      if (typeof s === 'number') return s;
      sk = s;
      openSockets.add(sk);
      if (!bindToDevice(sk)) {
        sys_close(sk);
        openSockets.delete(sk);
        return NO_DEVICE;
      }
      if (to6) {
        setsockopt(sk, SOL_IPV6, IPV6_RECVERR, 1);
        setsockopt(sk, SOL_IPV6, IPV6_UNICAST_HOPS, ttl);
        if (tos) setsockopt(sk, SOL_IPV6, IPV6_TCLASS, tos);
        setsockopt(sk, SOL_IPV6, IPV6_MTU_DISCOVER, dontFrag ? IPV6_PMTUDISC_PROBE : IPV6_PMTUDISC_DONT);
      } else {
        setsockopt(sk, SOL_IP, IP_RECVERR, 1);
        setsockopt(sk, SOL_IP, IP_TTL, ttl);
        setsockopt(sk, SOL_IP, IP_TOS, tos);
        setsockopt(sk, SOL_IP, IP_MTU_DISCOVER, dontFrag ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT);
        if (src) sys_bind(sk, src, 0);
      }
      const dport = port + idx;
      const c = to6 ? connect6(sk, { ...to6, port: dport }) : sys_connect(sk, daddr, dport);
      if (c < 0) {
        sys_close(sk);
        openSockets.delete(sk);
        return c;
      }
      probes.push({
        sport: 0,
        ttl,
        n: idx,
        sk,
        sent: sim.now,
        port: dport,
        seq: 0,
        done: false,
        addr: 0,
        recv: 0,
        annot: '',
        final: false,
      });
      r = send(sk, data);
    }
    return r < 0 ? r : 0;
  };
  const collect = (): void => {
    if (icmpSock && tcp) {
      for (;;) {
        const e = sys_recv_err(icmpSock);
        if (e) {
          const p = e.payload;
          if (p.length >= 4) {
            const sp = ((p[0] as number) << 8) | (p[1] as number);
            const pr = probes.find((q) => q.sport === sp && !q.done);
            if (pr) finishProbe(pr, e.offender, sim.now, annotation(e.type, e.code, e.info), e.type === 3);
          }
          continue;
        }
        const r = recv(icmpSock, 0x10000);
        if (typeof r === 'number') break;
        const d = r.data;
        const ihl = ((d[0] as number) & 0x0f) * 4;
        const th = d.subarray(ihl);
        const from = (((d[12] as number) << 24) | ((d[13] as number) << 16) | ((d[14] as number) << 8) | (d[15] as number)) >>> 0;
        const sp = ((th[0] as number) << 8) | (th[1] as number);
        const dp = ((th[2] as number) << 8) | (th[3] as number);
        // a SYN-ACK or a RST from the destination port ends the trace
        const pr = probes.find((q) => q.sport === dp && q.port === sp && from === daddr && !q.done);
        if (pr) finishProbe(pr, from, sim.now, '', true);
      }
      getsockopt(icmpSock, SOL_SOCKET, SO_ERROR);
      return;
    }
    if (icmpSock && to6) {
      // do_poll()'s callback reads one message per round (the error queue on POLLERR), and the
      // loop sends the probes the window allows before the next round: with a fast first hop the
      // seventeenth probe leaves before the destination's answer is read
      for (let once = true; once; once = false) {
        const e = poll(icmpSock) & POLLERR ? sys_recv_err(icmpSock) : null;
        if (e) {
          const p = e.payload;
          if (p.length >= 8 && p[0] === 128 && (((p[4] as number) << 8) | (p[5] as number)) === ident) {
            const seq = ((p[6] as number) << 8) | (p[7] as number);
            const pr = probes.find((q) => q.seq === seq && !q.done);
            if (pr && e.offender6)
              finishProbe(
                pr,
                ipv6ToString(e.offender6.addr),
                sim.now,
                annotation6(e.type, e.code, e.info),
                !(e.type === 3 && e.code === 0),
              );
          }
          continue;
        }
        const r = recvmsg6(icmpSock, 0x10000);
        if (typeof r === 'number') break;
        const ic = r.data;
        if (ic[0] === 129 && (((ic[4] as number) << 8) | (ic[5] as number)) === ident) {
          const seq = ((ic[6] as number) << 8) | (ic[7] as number);
          const pr = probes.find((q) => q.seq === seq && !q.done);
          if (pr) finishProbe(pr, ipv6ToString(r.from.addr), sim.now, '', true);
        }
      }
      getsockopt(icmpSock, SOL_SOCKET, SO_ERROR);
      return;
    }
    if (icmpSock) {
      for (;;) {
        const e = sys_recv_err(icmpSock);
        if (e) {
          const p = e.payload;
          if (p.length >= 8 && p[0] === 8 && (((p[4] as number) << 8) | (p[5] as number)) === ident) {
            const seq = ((p[6] as number) << 8) | (p[7] as number);
            const pr = probes.find((q) => q.seq === seq && !q.done);
            if (pr) finishProbe(pr, e.offender, sim.now, annotation(e.type, e.code, e.info), e.type === 3);
          }
          continue;
        }
        const r = recv(icmpSock, 0x10000);
        if (typeof r === 'number') break;
        const d = r.data;
        const ihl = ((d[0] as number) & 0x0f) * 4;
        const ic = d.subarray(ihl);
        if (ic[0] === 0 && (((ic[4] as number) << 8) | (ic[5] as number)) === ident) {
          const seq = ((ic[6] as number) << 8) | (ic[7] as number);
          const from = (((d[12] as number) << 24) | ((d[13] as number) << 16) | ((d[14] as number) << 8) | (d[15] as number)) >>> 0;
          const pr = probes.find((q) => q.seq === seq && !q.done);
          if (pr) finishProbe(pr, from, sim.now, '', true);
        }
      }
      getsockopt(icmpSock, SOL_SOCKET, SO_ERROR);
      return;
    }
    for (const p of probes) {
      if (p.done) continue;
      const e = sys_recv_err(p.sk);
      if (!e) continue;
      if (to6) {
        if (e.origin !== 'icmp6' || !e.offender6) continue;
        finishProbe(p, ipv6ToString(e.offender6.addr), sim.now, annotation6(e.type, e.code, e.info), !(e.type === 3 && e.code === 0));
        continue;
      }
      const final = e.type === 3;
      finishProbe(p, e.offender, sim.now, e.type === 3 && e.code === 3 ? '' : annotation(e.type, e.code, e.info), final);
    }
  };
  const hopLine = (ttl: number): string => {
    let s = `\n${String(ttl).padStart(2)} `;
    let prev: number | string = -1;
    for (const p of probes.filter((q) => q.ttl === ttl).sort((a, b) => a.n - b.n)) {
      if (!p.addr) {
        s += ' *';
        continue;
      }
      if (p.addr !== prev) {
        const a = typeof p.addr === 'string' ? p.addr : ipv4ToString(p.addr);
        s += numeric ? ` ${a}` : ` ${a} (${a})`;
        prev = p.addr;
      }
      s += `  ${((p.recv - p.sent) / 1e6).toFixed(3)} ms${p.annot}`;
    }
    return s;
  };
  let lastSend = -Infinity;
  try {
    for (;;) {
      // send what the window allows (-N), sendwait apart
      while (nextIdx < total) {
        const ttl = first + Math.floor(nextIdx / nqueries);
        if (ttl > lastHop) break;
        const outstanding = probes.filter((p) => !p.done).length;
        if (outstanding >= squeries) break;
        if (sendwaitNs && sim.now - lastSend < sendwaitNs) break;
        const r = sendProbe();
        lastSend = sim.now;
        if (r === NO_DEVICE) return noDevice();
        if (r < 0) {
          err(`\n${r === -ENETUNREACH || r === -EHOSTUNREACH || r === -EINVAL ? 'connect' : 'send'}: ${strerror(-r)}\n`);
          status = 1;
          return status;
        }
        if (sendwaitNs) break;
      }
      collect();
      // print the hops that are complete, in order
      while (printed <= Math.min(max, lastHop)) {
        const hop = probes.filter((p) => p.ttl === printed);
        if (hop.length < nqueries || hop.some((p) => !p.done)) break;
        ctx.stdout.write(hopLine(printed));
        printed++;
      }
      if (printed > Math.min(max, lastHop)) break;
      const more = nextIdx < total && first + Math.floor(nextIdx / nqueries) <= lastHop;
      if (more && probes.filter((p) => !p.done).length < squeries && (!sendwaitNs || sim.now - lastSend >= sendwaitNs)) continue;
      // wait for an answer, a timeout or the next send
      let next = Infinity;
      for (const p of probes) if (!p.done) next = Math.min(next, p.sent + probeWait(p));
      if (sendwaitNs && nextIdx < total) next = Math.min(next, lastSend + sendwaitNs);
      const pending = icmpSock ? (poll(icmpSock) & (POLLIN | POLLERR)) !== 0 : probes.some((p) => !p.done && (poll(p.sk) & POLLERR) !== 0);
      if (!pending && next > sim.now) {
        const wqs = icmpSock ? [poll_wait(icmpSock)] : probes.filter((p) => !p.done).map((p) => poll_wait(p.sk));
        yield waitAny(wqs, next === Infinity ? -1 : next - sim.now);
      }
      for (const p of probes) if (!p.done && sim.now >= p.sent + probeWait(p)) finishProbe(p, 0, 0, '', false);
    }
    ctx.stdout.write('\n');
    return status;
  } finally {
    for (const s of openSockets) sys_close(s);
    if (icmpSock) sys_close(icmpSock);
  }

  /** How long a probe may wait: MAX, or HERE/NEAR times an answer already seen. */
  function probeWait(p: Probe): number {
    let w = waitMax * 1e9;
    const here = probes.find((q) => q.ttl === p.ttl && q.done && q.addr);
    if (here && waitHere) w = Math.min(w, waitHere * (here.recv - here.sent));
    const near = probes.find((q) => q.ttl > p.ttl && q.done && q.addr);
    if (near && waitNear) w = Math.min(w, waitNear * (near.recv - near.sent));
    return Math.max(w, 0);
  }
}

/** The SYN traceroute -T sends: win 5840, mss 1460, sackOK, timestamps, nop, wscale 2, its own checksum. */
function tcpSyn(saddr: number, daddr: number, sport: number, dport: number, seq: number, tsval: number): Uint8Array {
  const t = new Uint8Array(40);
  const w16 = (o: number, v: number): void => {
    t[o] = (v >> 8) & 0xff;
    t[o + 1] = v & 0xff;
  };
  const w32 = (o: number, v: number): void => {
    w16(o, (v >>> 16) & 0xffff);
    w16(o + 2, v & 0xffff);
  };
  w16(0, sport);
  w16(2, dport);
  w32(4, seq);
  t[12] = 10 << 4;
  t[13] = 0x02;
  w16(14, 5840);
  t.set([2, 4, 0x05, 0xb4, 4, 2, 8, 10], 20);
  w32(28, tsval);
  w32(32, 0);
  t.set([1, 3, 3, 2], 36);
  w16(16, checksumFinish(checksumAdd(pseudoHeaderSumV4(saddr, daddr, IPPROTO_TCP, 40), t)));
  return t;
}

export function registerTraceroute(commands: Map<string, Command>): void {
  commands.set('traceroute', traceroute);
}
