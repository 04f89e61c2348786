// iputils ping (20221126), IPv4, as root: a raw ICMP socket, the UDP connect()
// probe that picks the source, the send/receive loop and the statistics.
import { ipv4ToString } from '../../wire/ipv4.ts';
import {
  bind,
  close,
  connect,
  getsockname,
  ICMP_FILTER,
  IP_MTU_DISCOVER,
  IP_OPTIONS,
  IP_PMTUDISC_DO,
  IP_PMTUDISC_DONT,
  IP_PMTUDISC_PROBE,
  IP_PMTUDISC_WANT,
  IP_RECVERR,
  IP_TOS,
  IP_TTL,
  IPPROTO_ICMP,
  recv,
  recvmsg_errqueue,
  sendto,
  setsockopt,
  SO_BINDTODEVICE,
  SO_BROADCAST,
  SO_MARK,
  SOCK_DGRAM,
  SOCK_RAW,
  type Socket,
  socket,
  SOL_IP,
  SOL_RAW,
  SOL_SOCKET,
} from '../../kernel/uapi/socket.ts';
import { EACCES, EMSGSIZE } from '../../kernel/uapi/errno.ts';
import { inet_aton, inet_pton4 } from '../libc/inet.ts';
import { strtod } from '../libc/stdlib.ts';
import { Getopt } from '../getopt.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { internetChecksum } from '../../wire/checksum.ts';
import { strerror } from './errno.ts';
import { PING_SIGNALS, PingRts } from './ping_common.ts';
import { create_socket6, getaddrinfo6, ping6_run, type Ping6Opts } from './ping6.ts';
import { parseIpv6 } from '../../wire/ipv6.ts';

const USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).
`;

/** iputils ping's getopt string (ping.c main()). */
const OPTSTRING = 'h?4bRT:6F:N:aABc:CdDe:fHi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:';

const UNREACH_TEXT = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'Frag needed and DF set',
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Destination Net Prohibited',
  'Destination Host Prohibited',
  'Destination Net Unreachable for Type of Service',
  'Destination Host Unreachable for Type of Service',
  'Packet filtered',
  'Precedence Violation',
  'Precedence Cutoff',
];

interface Opts {
  count: number;
  intervalMs: number;
  deadline: number;
  lingerMs: number;
  ttl: number;
  size: number;
  pmtudisc: number;
  iface: string;
  quiet: boolean;
  flood: boolean;
  broadcast: boolean;
  /** -R: IP record route on every probe. */
  recordRoute: boolean;
  mark: number;
  tos: number;
  verbose: boolean;
}

/** ping's float parser for -i/-W/-w: a non-negative decimal. */
/**
 * iputils' ping_strtod(): strtod, a warning (not yet an error) for what is left
 * after the number, and exit 2 with `MSG: ARG` for an empty, out-of-range or
 * not-a-number argument (null after printing it).
 */
function pingStrtod(arg: string, msg: string, err: (s: string) => void): number | null {
  if (arg === '') {
    err(`ping: ${msg}: \n`);
    return null;
  }
  const r = strtod(arg);
  if (r.erange || r.rest === arg || r.rest !== '')
    err(`ping: option argument contains garbage: ${r.rest}\nping: this will become fatal error in the future\n`);
  if (r.erange || !Number.isFinite(r.value)) {
    err(`ping: ${msg}: ${arg}: Numerical result out of range\n`);
    return null;
  }
  return r.value;
}

function* ping(ctx: ProcCtx): Proc {
  const err = (s: string): void => ctx.stderr.write(s);
  const o: Opts = {
    count: 0,
    intervalMs: 1000,
    deadline: 0,
    lingerMs: 10000,
    ttl: -1,
    size: 56,
    pmtudisc: -1,
    iface: '',
    quiet: false,
    flood: false,
    broadcast: false,
    recordRoute: false,
    mark: 0,
    tos: 0,
    verbose: false,
  };
  const g = new Getopt(ctx.argv, OPTSTRING, [], err);
  let explicitInterval = false;
  // the ping4 / ping6 names pick the family (hints.ai_family); -4 and -6 too, not both
  const argv0 = ctx.argv[0] ?? 'ping';
  let family: 0 | 4 | 6 = argv0.endsWith('4') ? 4 : argv0.endsWith('6') ? 6 : 0;
  let device = '';
  let source6: Uint8Array | null = null;
  for (;;) {
    const c = g.next();
    if (c === -1) break;
    if (c === '?' || c === ':') {
      err(USAGE);
      return 2;
    }
    {
      if (typeof c !== 'string') continue;
      if (!OPTSTRING.includes(`${c}:`)) {
        if (c === 'q') o.quiet = true;
        else if (c === 'f') o.flood = true;
        else if (c === 'b') o.broadcast = true;
        else if (c === 'R') o.recordRoute = true;
        else if (c === 'v') o.verbose = true;
        else if (c === 'V') {
          ctx.stdout.write(
            'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n',
          );
          return 0;
        } else if (c === 'h') {
          err(USAGE);
          return 2;
        } else if (c === '6') {
          if (family === 4) {
            err('ping: only one -4 or -6 option may be specified\n');
            return 2;
          }
          family = 6;
        } else if (c === '4') {
          if (family === 6) {
            err('ping: only one -4 or -6 option may be specified\n');
            return 2;
          }
          family = 4;
        }
        continue;
      }
      const v = g.optarg ?? '';
      const bad = (): number => {
        err(`ping: invalid argument: '${v}'\n`);
        return 1;
      };
      switch (c) {
        case 'c': {
          if (!/^\d+$/.test(v) || Number(v) < 1 || BigInt(v) > 9223372036854775807n) {
            if (/^\d+$/.test(v)) {
              err(`ping: invalid argument: '${v}': out of range: 1 <= value <= 9223372036854775807\n`);
              return 1;
            }
            return bad();
          }
          o.count = Number(v);
          break;
        }
        case 'i': {
          const s = pingStrtod(v, 'bad timing interval', err);
          if (s === null) return 2;
          // iputils keeps a negative interval as it is: ping then sends back to back
          o.intervalMs = Math.max(0, s * 1000);
          explicitInterval = true;
          break;
        }
        case 'W': {
          const s = pingStrtod(v, 'bad linger time', err);
          if (s === null) return 2;
          if (s < 0 || s > 2147483647 / 1000) {
            err(`ping: bad linger time: ${v}\n`);
            return 2;
          }
          o.lingerMs = s * 1000;
          break;
        }
        case 'w': {
          if (!/^\d+$/.test(v)) return bad();
          o.deadline = Number(v);
          break;
        }
        case 't': {
          if (!/^\d+$/.test(v) || Number(v) > 255) {
            err(`ping: invalid argument: '${v}': out of range: 0 <= value <= 255\n`);
            return 1;
          }
          o.ttl = Number(v);
          break;
        }
        case 's': {
          if (!/^\d+$/.test(v)) return bad();
          if (Number(v) > 2147483647) {
            err(`ping: invalid argument: '${v}': out of range: 0 <= value <= 2147483647\n`);
            return 1;
          }
          o.size = Number(v);
          break;
        }
        case 'M':
          if (v === 'do') o.pmtudisc = IP_PMTUDISC_DO;
          else if (v === 'dont') o.pmtudisc = IP_PMTUDISC_DONT;
          else if (v === 'want') o.pmtudisc = IP_PMTUDISC_WANT;
          else if (v === 'probe') o.pmtudisc = IP_PMTUDISC_PROBE;
          else {
            err(`ping: invalid -M argument: ${v}\n`);
            return 2;
          }
          break;
        case 'I':
          // an IPv6 source (with %dev), an IPv4 source, or a device
          if (v.includes(':')) {
            const pct = v.indexOf('%');
            const a = parseIpv6(pct < 0 ? v : v.slice(0, pct));
            if (pct >= 0) device = v.slice(pct + 1);
            if (!a) {
              err(`ping: invalid source address: ${v}\n`);
              return 2;
            }
            source6 = a;
          } else if (inet_pton4(v) === null) device = v;
          o.iface = v;
          break;
        case 'm':
          o.mark = Number(v) || 0;
          break;
        case 'p': {
          // fill(): hex digits only, named from the first that is not
          const bad = /[^0-9a-fA-F]/.exec(v);
          if (bad) {
            err(`ping: patterns must be specified as hex digits: ${v.slice(bad.index)}\n`);
            return 2;
          }
          break;
        }
        case 'Q': {
          // parsetos(): strtol(optarg, &ep, 0), all of it; as an int, at most 255
          const t = parseTos(v);
          if (t === null) {
            err(`ping: bad TOS value: ${v}\n`);
            return 2;
          }
          if (t > 255) {
            err(`ping: the decimal value of TOS bits must be in range 0-255: ${t}\n`);
            return 2;
          }
          o.tos = t & 0xff;
          break;
        }
        default:
          break;
      }
    }
  }
  if (o.flood && !explicitInterval) o.intervalMs = 0;
  const rest = g.operands();
  const target = rest[rest.length - 1];
  if (target === undefined) {
    err('ping: usage error: Destination address required\n');
    return 1;
  }
  // getaddrinfo(AF_UNSPEC): an IPv6 host (with a %scope), else a numeric IPv4 one
  const v6host = target.includes(':') || target.includes('%') ? getaddrinfo6(ctx, target, parseIpv6) : null;
  if (v6host || (family === 6 && inet_aton(target) === null)) {
    if (family === 4) {
      err(`ping: ${target}: Address family for hostname not supported\n`);
      return 2;
    }
    const s6 = create_socket6(ctx, false);
    if (typeof s6 === 'number') {
      err(`ping: socktype: SOCK_RAW\nping: socket: ${strerror(-s6)}\n`);
      return 2;
    }
    if (!v6host) {
      close(s6.sock);
      // getaddrinfo(): a numeric address with a scope it does not take is EAI_NONAME; a name needs DNS
      const numeric = parseIpv6(target.split('%')[0] ?? '') !== null || /^[\d.]+$/.test(target);
      err(`ping: ${target}: ${numeric ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`);
      return 2;
    }
    const p6: Ping6Opts = { ...o, device, source6 };
    return yield* ping6_run(ctx, p6, target, v6host, s6);
  }
  if (family === 6) {
    err(`ping: ${target}: Address family for hostname not supported\n`);
    return 2;
  }
  // getaddrinfo(): a numeric host is inet_aton's (127.1, 0x7f.1)
  const daddr = inet_aton(target);
  if (daddr === null) {
    err(`ping: ${target}: ${/^[\d.]+$/.test(target) ? 'Name or service not known' : 'Temporary failure in name resolution'}\n`);
    return 2;
  }
  const net = ctx.net;
  const pid = ctx.world.sim.sched.current?.pid ?? 0;
  const sock = socket(net, SOCK_RAW, IPPROTO_ICMP, { comm: 'ping', pid, fd: 3 });
  if (typeof sock === 'number') {
    err(`ping: socket: ${strerror(-sock)}\n`);
    return 2;
  }
  const closeAll: Socket[] = [sock];
  let finish: (() => number) | null = null;
  let finished = false;
  // iputils catches SIGINT and SIGALRM (sigexit): the statistics, then its own exit status
  const task = ctx.world.sim.sched.current;
  if (task) task.handles = PING_SIGNALS;
  try {
    let bindDev = false;
    if (o.iface) {
      const byAddr = inet_pton4(o.iface);
      if (byAddr !== null) {
        const r = bind(sock, byAddr, 0);
        if (r < 0) {
          err(`ping: bind: ${strerror(-r)}\n`);
          return 2;
        }
      } else {
        const r = setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, o.iface);
        if (r < 0) {
          err(`ping: SO_BINDTODEVICE ${o.iface}: ${strerror(-r)}\n`);
          return 2;
        }
        bindDev = true;
      }
    }
    // The probe: a UDP socket connect()ed to port 1025 picks the source address.
    let source = getsockname(sock)[0];
    if (!source) {
      const probe = socket(net, SOCK_DGRAM, 0);
      if (typeof probe === 'number') return 2;
      if (bindDev) setsockopt(probe, SOL_SOCKET, SO_BINDTODEVICE, o.iface);
      let r = connect(probe, daddr, 1025);
      if (r === -EACCES) {
        // a broadcast destination: refused without -b, else warned about and allowed (SO_BROADCAST)
        if (!o.broadcast) {
          close(probe);
          err('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n');
          return 2;
        }
        err('WARNING: pinging broadcast address\n');
        setsockopt(probe, SOL_SOCKET, SO_BROADCAST, 1);
        r = connect(probe, daddr, 1025);
      }
      const src = getsockname(probe)[0];
      close(probe);
      if (r < 0) {
        err(`ping: connect: ${strerror(-r)}\n`);
        return 2;
      }
      source = src;
    }
    setsockopt(sock, SOL_IP, IP_RECVERR, 1);
    // ICMP_FILTER: only replies and the errors ping understands get through
    const allowed = (1 << 0) | (1 << 3) | (1 << 4) | (1 << 11) | (1 << 12) | (1 << 5);
    setsockopt(sock, SOL_RAW, ICMP_FILTER, ~allowed >>> 0);
    if (o.ttl >= 0) {
      const r = setsockopt(sock, SOL_IP, IP_TTL, o.ttl);
      if (r < 0) {
        err(`ping: cannot set unicast time-to-live: ${strerror(-r)}\n`);
        return 2;
      }
    }
    // a broadcast (-b) or multicast destination: replies from many hosts, no (DUP!) for them, and no fragments
    const multicast = o.broadcast || daddr >>> 28 === 0xe;
    if (multicast && o.pmtudisc < 0) o.pmtudisc = IP_PMTUDISC_DO;
    if (o.pmtudisc >= 0) setsockopt(sock, SOL_IP, IP_MTU_DISCOVER, o.pmtudisc);
    setsockopt(sock, SOL_IP, IP_TOS, o.tos);
    setsockopt(sock, SOL_SOCKET, SO_MARK, o.mark);
    if (o.broadcast) setsockopt(sock, SOL_SOCKET, SO_BROADCAST, 1);
    // -R: NOP then record route with room for nine addresses (MAX_IPOPTLEN 40)
    let optlen = 0;
    if (o.recordRoute) {
      const rr = new Uint8Array(40);
      rr[0] = 1;
      rr[1] = 7;
      rr[2] = 39;
      rr[3] = 4;
      const e = setsockopt(sock, SOL_IP, IP_OPTIONS, rr);
      if (e < 0) {
        err(`ping: record route: ${strerror(-e)}\n`);
        return 2;
      }
      optlen = 40;
    }

    const sim = ctx.world.sim;
    const ident = sim.rng.u32() & 0xffff;
    const out = ctx.stdout;
    // with -I the header names the source (and the device, for -I DEV)
    const from = o.iface ? `from ${ipv4ToString(source)} ${bindDev ? o.iface : ''}: ` : '';
    out.write(`PING ${target} (${ipv4ToString(daddr)}) ${from}${o.size}(${o.size + 28 + optlen}) bytes of data.\n`);
    // pr_options(): the record route of a reply, or "(same route)" when it repeats the last one
    let oldRr: string | null = null;
    const rrText = (ip: Uint8Array, ihl: number): string => {
      for (let k = 20; k < ihl; ) {
        const t = ip[k] as number;
        if (t === 0) break;
        if (t === 1) {
          k++;
          continue;
        }
        const len = ip[k + 1] as number;
        if (len < 2) break;
        if (t === 7) {
          let n = Math.min(ip[k + 2] as number, len) - 4;
          if (n <= 0) return '';
          const key = Array.from(ip.subarray(k + 2, k + 3 + n)).join(',');
          if (key === oldRr && !o.flood) return '\t(same route)';
          oldRr = key;
          let text = '\nRR: ';
          for (let at = k + 3; n > 0; at += 4, n -= 4) {
            const addr =
              (((ip[at] as number) << 24) | ((ip[at + 1] as number) << 16) | ((ip[at + 2] as number) << 8) | (ip[at + 3] as number)) >>> 0;
            text += `\t${ipv4ToString(addr)}\n`;
          }
          return text;
        }
        k += len;
      }
      return '';
    };
    const rts = new PingRts(ctx, o, target);

    const sendOne = (): void =>
      rts.pinger(
        8,
        ident,
        (pkt) => {
          const ck = internetChecksum(pkt);
          pkt[2] = ck >> 8;
          pkt[3] = ck & 0xff;
        },
        (pkt) => sendto(sock, pkt, daddr, 0),
        handleError,
        false,
      );

    const handleReply = (data: Uint8Array): void => {
      const ihl = ((data[0] as number) & 0x0f) * 4;
      const ttl = data[8] as number;
      const src = (((data[12] as number) << 24) | ((data[13] as number) << 16) | ((data[14] as number) << 8) | (data[15] as number)) >>> 0;
      const icmp = data.subarray(ihl);
      const type = icmp[0] as number;
      if (type === 0) {
        const id = ((icmp[4] as number) << 8) | (icmp[5] as number);
        if (id !== ident) return;
        const seq = ((icmp[6] as number) << 8) | (icmp[7] as number);
        rts.gather_statistics(
          seq,
          icmp.length,
          () => ipv4ToString(src),
          ttl,
          multicast,
          () => (o.recordRoute ? rrText(data, ihl) : ''),
        );
        return;
      }
      if (type === 3 || type === 11 || type === 12 || type === 4 || type === 5) {
        // An error about one of ours is acknowledged here; it is reported from the error queue.
        const inner = icmp.subarray(8);
        if (inner.length < 28) return;
        const iihl = ((inner[0] as number) & 0x0f) * 4;
        const icp1 = inner.subarray(iihl);
        const idst =
          (((inner[16] as number) << 24) | ((inner[17] as number) << 16) | ((inner[18] as number) << 8) | (inner[19] as number)) >>> 0;
        if (icp1[0] !== 8 || idst !== daddr || (((icp1[4] as number) << 8) | (icp1[5] as number)) !== ident) return;
        if (type === 5 && !o.quiet && !o.flood) {
          const seq = ((icp1[6] as number) << 8) | (icp1[7] as number);
          out.write(
            `From ${ipv4ToString(src)}: icmp_seq=${seq} Redirect Host(New nexthop: ${ipv4ToString((((icmp[4] as number) << 24) | ((icmp[5] as number) << 16) | ((icmp[6] as number) << 8) | (icmp[7] as number)) >>> 0)})\n`,
          );
        }
      }
    };

    const handleError = (): boolean => {
      const e = recvmsg_errqueue(sock);
      if (!e) return false;
      if (e.origin === 'local') {
        // error(0, 0, "local error: ...") goes to stderr
        if (e.errno === EMSGSIZE) err(`ping: local error: message too long, mtu=${e.info}\n`);
        else err(`ping: local error: ${strerror(e.errno)}\n`);
        rts.nerrors++;
        return true;
      }
      const p = e.payload;
      if (p.length < 8 || p[0] !== 8) return true;
      const id = ((p[4] as number) << 8) | (p[5] as number);
      if (id !== ident) return true;
      const seq = ((p[6] as number) << 8) | (p[7] as number);
      rts.nerrors++;
      if (o.quiet) return true;
      if (o.flood) {
        out.write('\bE');
        return true;
      }
      out.write(`From ${ipv4ToString(e.offender)} icmp_seq=${seq} ${icmpErrText(e.type, e.code, e.info)}\n`);
      return true;
    };

    finish = (): number => rts.finish();
    yield* rts.main_loop(sock, sendOne, handleError, () => {
      const r = recv(sock, 0x10000);
      if (typeof r === 'number') return false;
      handleReply(r.data);
      return true;
    });
    finished = true;
    return finish();
  } finally {
    if (!finished && finish && (ctx.world.sim.sched.signal === 2 || ctx.world.sim.sched.signal === 14)) {
      const st = finish();
      for (const s of closeAll) close(s);
      // biome-ignore lint/correctness/noUnsafeFinally: the handled signal's exit status
      return st;
    }
    for (const s of closeAll) close(s);
  }
}

function icmpErrText(type: number, code: number, info: number): string {
  switch (type) {
    case 3:
      if (code === 4) return `Frag needed and DF set (mtu = ${info})`;
      return UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
    case 11:
      return code === 0 ? 'Time to live exceeded' : code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${code}`;
    case 12:
      return `Parameter problem: pointer = ${info >>> 24}`;
    case 4:
      return 'Source Quench';
    default:
      return `Bad ICMP type: ${type}`;
  }
}

export function registerPing(commands: Map<string, Command>): void {
  commands.set('ping', ping);
  commands.set('ping4', ping);
  commands.set('ping6', ping);
}

/** strtol(s, &end, 0) needing the whole string, clamped to a long, then cast to int; null with garbage left. */
function parseTos(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:(0[xX])([0-9a-fA-F]+)|(0[0-7]*)|([1-9]\d*))?(.*)$/s.exec(s);
  if (!m) return null;
  const digits = m[3] ?? m[4] ?? m[5];
  // "0x" without hex digits: strtol takes the "0" and leaves "x..."
  if (m[2] && !m[3]) return null;
  if (m[6] !== '') return null;
  if (digits === undefined) return s === '' ? 0 : null;
  let v = m[3] ? BigInt(`0x${digits}`) : m[4] ? BigInt(`0o${digits === '0' ? '0' : digits.slice(1)}`) : BigInt(digits);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  if (v > max) v = max;
  if (v < -max - 1n) v = -max - 1n;
  return Number(BigInt.asIntN(32, v));
}
