// socat 1.7.4 (Debian 12's socat package), the subset a scenario uses to hold
// a tun/tap device as Linux users do: `socat [-u|-U] [-d…] [-b SIZE] ADDR1
// ADDR2` with the address types TUN[:ADDR/BITS] (tun-name, tun-type,
// iff-no-pi, iff-up, tun-device), UDP-DATAGRAM:HOST:PORT and
// UDP[-CONNECT]:HOST:PORT (bind, sourceport), STDIO / - / STDIN / STDOUT.
// Both addresses are opened in order, then socat copies each block (one
// datagram or frame per read on packet addresses) from one to the other in
// its select() loop until a side ends or a signal stops it.
import {
  bind,
  close,
  connect,
  fcntl_setfl,
  O_NONBLOCK,
  POLLIN,
  poll,
  poll_wait,
  recv,
  SOCK_DGRAM,
  type Socket,
  send,
  sendto,
  socket,
} from '../../kernel/uapi/socket.ts';
import {
  IFF_NO_PI,
  IFF_TAP,
  IFF_TUN,
  open_tun,
  type TunFd,
  tun_close,
  tun_ioctl,
  tun_poll,
  tun_poll_wait,
  tun_read,
  tun_write,
} from '../../kernel/uapi/if_tun.ts';
import { EAGAIN } from '../../kernel/uapi/errno.ts';
import {
  type AddrMsg,
  IFA_F_PERMANENT,
  ifinfomsg,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_NEWADDR,
  RTM_NEWLINK,
  rtnl_talk,
} from '../../kernel/uapi/rtnetlink.ts';
import { IFF_UP, if_nameindex } from '../../kernel/uapi/sockios.ts';
import { type Proc, type WaitQueue, waitAny } from '../../sim/sched.ts';
import { COST } from '../../sim/costs.ts';
import { inet_aton } from '../libc/inet.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { strerror } from './errno.ts';

class Exit {
  constructor(readonly code: number) {}
}

/** One opened address: what select() watches and the read/write of its fd. */
interface Endpoint {
  readonly wq: WaitQueue | null;
  readable(): boolean;
  /** One block; null at end of file; 'again' when nothing is there. */
  read(len: number): Uint8Array | null | 'again';
  write(data: Uint8Array): void;
  close(): void;
}

/** An address as socat's parser splits it: TYPE, the colon parameters, the comma options. */
interface Addr {
  type: string;
  params: string[];
  opts: Map<string, string>;
  text: string;
}

const UNIT_NAMES = new Map<string, string>([
  ['-', 'STDIO'],
  ['STDIO', 'STDIO'],
  ['STDIN', 'STDIN'],
  ['STDOUT', 'STDOUT'],
  ['TUN', 'TUN'],
  ['UDP', 'UDP-CONNECT'],
  ['UDP-CONNECT', 'UDP-CONNECT'],
  ['UDP4', 'UDP-CONNECT'],
  ['UDP-DATAGRAM', 'UDP-DATAGRAM'],
  ['UDP4-DATAGRAM', 'UDP-DATAGRAM'],
]);

/** socat 1.7.4's other address keywords: known to socat, not simulated here. */
const SOCAT_ADDRESSES = new Set(
  `ABSTRACT ABSTRACT-CLIENT ABSTRACT-CONNECT ABSTRACT-LISTEN ABSTRACT-RECV ABSTRACT-RECVFROM ABSTRACT-SENDTO CREATE
  DCCP-CONNECT DCCP-LISTEN EXEC FD FILE GOPEN INTERFACE IP IP-DATAGRAM IP-RECV IP-RECVFROM IP-SENDTO IP4 IP6 OPEN
  OPENSSL OPENSSL-CONNECT OPENSSL-LISTEN PIPE PROXY PROXY-CONNECT PTY READLINE SCTP SCTP-CONNECT SCTP-LISTEN
  SOCKET-CONNECT SOCKET-DATAGRAM SOCKET-LISTEN SOCKET-RECV SOCKET-RECVFROM SOCKET-SENDTO SOCKS4 SOCKS4A STDERR
  SYSTEM TCP TCP-CONNECT TCP-L TCP-LISTEN TCP4 TCP4-LISTEN TCP6 TCP6-LISTEN UDP-L UDP-LISTEN UDP-RECV UDP-RECVFROM
  UDP-SENDTO UDP4-LISTEN UDP6 UDP6-LISTEN UNIX UNIX-CLIENT UNIX-CONNECT UNIX-LISTEN UNIX-RECV UNIX-RECVFROM
  UNIX-SENDTO VSOCK-CONNECT VSOCK-LISTEN`.split(/\s+/),
);

function parseAddr(text: string): Addr {
  const comma = text.indexOf(',');
  const head = comma >= 0 ? text.slice(0, comma) : text;
  const opts = new Map<string, string>();
  if (comma >= 0) {
    for (const o of text.slice(comma + 1).split(',')) {
      if (!o) continue;
      const eq = o.indexOf('=');
      opts.set((eq >= 0 ? o.slice(0, eq) : o).toLowerCase(), eq >= 0 ? o.slice(eq + 1) : '');
    }
  }
  const parts = head === '-' ? ['-'] : head.split(':');
  return { type: (parts[0] as string).toUpperCase(), params: parts.slice(1), opts, text };
}

function* socatMain(ctx: ProcCtx): Proc {
  const sim = ctx.world.sim;
  const pid = sim.sched.current?.pid ?? 0;
  const stamp = (): string => {
    // socat's log lines begin with the local time; the simulated clock starts at the epoch
    const t = new Date(Math.floor(sim.now / 1e6));
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${t.getUTCFullYear()}/${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
  };
  const error = (msg: string): never => {
    ctx.stderr.write(`${stamp()} socat[${pid}] E ${msg}\n`);
    throw new Exit(1);
  };
  const argv = ctx.argv.slice(1);
  let unidir = 0; // 1: -u (left to right), 2: -U
  let bufsize = 8192;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-') || a === '-') break;
    if (a === '-u') unidir = 1;
    else if (a === '-U') unidir = 2;
    else if (/^-d+$/.test(a) || a === '-lu' || a === '-ly') continue;
    else if (a === '-b') {
      const v = argv[++i];
      if (v === undefined) error('option -b requires an argument; use option "-h" for help');
      bufsize = Number.parseInt(v as string, 10) || 8192;
    } else if (a === '-V' || a === '-h') {
      ctx.stdout.write(
        'socat by Gerhard Rieger and contributors - see www.dest-unreach.org\nsocat version 1.7.4.4 on 06 Nov 2022 08:15:51\n',
      );
      return 0;
    } else error(`unknown option "${a}"; use option "-h" for help`);
  }
  const addrs = argv.slice(i);
  if (addrs.length !== 2) error(`exactly 2 addresses required (there are ${addrs.length}); use option "-h" for help`);
  const eps: Endpoint[] = [];
  let nextFd = 5;
  const open = (text: string): Endpoint => {
    const a = parseAddr(text);
    const kind = UNIT_NAMES.get(a.type);
    if (!kind) {
      if (!SOCAT_ADDRESSES.has(a.type)) return error(`unknown device/address "${a.type}"`);
      ctx.stderr.write(`skbpath: socat: address ${a.type} is not simulated; see README "Supported commands"\n`);
      throw new Exit(1);
    }
    if (kind === 'TUN') return openTun(a);
    if (kind === 'UDP-DATAGRAM' || kind === 'UDP-CONNECT') return openUdp(a, kind);
    return openStdio(kind);
  };
  const openStdio = (kind: string): Endpoint => {
    const buf: string[] = [];
    let eof = false;
    return {
      wq: null,
      readable: () => kind !== 'STDOUT' && (buf.length > 0 || eof),
      read: () => {
        const s = buf.shift();
        if (s === undefined) return eof ? null : 'again';
        return new Uint8Array([...s].map((c) => c.charCodeAt(0) & 0xff));
      },
      write: (d) => {
        if (kind !== 'STDIN') ctx.stdout.write(String.fromCharCode(...d));
      },
      close: () => {
        void eof;
        eof = true;
      },
    };
  };
  const ifindexOf = (name: string): number => if_nameindex(ctx.net).find((x) => x.if_name === name)?.if_index ?? 0;
  const openTun = (a: Addr): Endpoint => {
    const dev = a.opts.get('tun-device') ?? '/dev/net/tun';
    if (dev !== '/dev/net/tun') return error(`open("${dev}", 02, 0666): No such file or directory`);
    const fdNum = nextFd++;
    const fd: TunFd = open_tun(ctx.net, { comm: 'socat', pid, fd: fdNum });
    const type = (a.opts.get('tun-type') ?? 'tun').toLowerCase();
    let flags = type === 'tap' ? IFF_TAP : type === 'tun' ? IFF_TUN : error(`TUN: unknown tun-type "${type}"`);
    if (a.opts.has('iff-no-pi')) flags |= IFF_NO_PI;
    const ifr = { name: a.opts.get('tun-name') ?? '', flags };
    const err = tun_ioctl(fd, { cmd: 'TUNSETIFF', ifr });
    if (err) {
      tun_close(fd);
      return error(`ioctl(${fdNum}, TUNSETIFF, {"${ifr.name}"}: ${strerror(-err)}`);
    }
    // xioopen_tun(): the address and mask of TUN:ADDR/BITS, then the interface flags
    if (a.params.length) {
      const [ip, bits] = (a.params[0] as string).split('/');
      const addr = inet_aton(ip ?? '');
      const len = bits === undefined ? 32 : Number.parseInt(bits, 10);
      if (addr === null || Number.isNaN(len)) return error(`TUN: invalid address "${a.params[0]}"`);
      const req: AddrMsg = {
        nlmsg_type: RTM_NEWADDR,
        nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
        ifa: { ifa_family: 2, ifa_prefixlen: len, ifa_flags: IFA_F_PERMANENT, ifa_scope: 0, ifa_index: ifindexOf(ifr.name) },
        attrs: { IFA_LOCAL: addr, IFA_ADDRESS: addr, IFA_FLAGS: IFA_F_PERMANENT },
      };
      rtnl_talk(ctx.net, req);
    }
    if (a.opts.has('iff-up') || a.opts.has('up')) {
      const ifi = ifinfomsg(0, ifindexOf(ifr.name));
      ifi.ifi_flags = IFF_UP;
      ifi.ifi_change = IFF_UP;
      rtnl_talk(ctx.net, { nlmsg_type: RTM_NEWLINK, nlmsg_flags: 0, ifi, attrs: {} });
    }
    return {
      wq: tun_poll_wait(fd),
      readable: () => (tun_poll(fd) & POLLIN) !== 0,
      read: (len) => {
        const r = tun_read(fd, len);
        if (typeof r === 'number') return r === -EAGAIN ? 'again' : null;
        return r;
      },
      write: (d) => {
        tun_write(fd, d);
      },
      close: () => tun_close(fd),
    };
  };
  const hostPort = (h: string | undefined, p: string | undefined, what: string): [number, number] => {
    const addr = inet_aton(h ?? '');
    const port = Number.parseInt(p ?? '', 10);
    if (addr === null) return error(`getaddrinfo("${h}", "NULL", {1,2,2,17}, {}): Name or service not known`);
    if (Number.isNaN(port)) return error(`${what}: wrong number of parameters`);
    return [addr, port];
  };
  const openUdp = (a: Addr, kind: string): Endpoint => {
    if (a.params.length !== 2) return error(`${a.type}: wrong number of parameters (${a.params.length} instead of 2)`);
    const [addr, port] = hostPort(a.params[0], a.params[1], a.type);
    const fdNum = nextFd++;
    const s = socket(ctx.net, SOCK_DGRAM, 17, { comm: 'socat', pid, fd: fdNum });
    if (typeof s === 'number') return error(`socket(2, 2, 17): ${strerror(-s)}`);
    const sk: Socket = s;
    const b = a.opts.get('bind');
    const sp = a.opts.get('sourceport') ?? a.opts.get('sp');
    if (b !== undefined || sp !== undefined) {
      let baddr = 0;
      let bport = sp !== undefined ? Number.parseInt(sp, 10) : 0;
      if (b !== undefined) {
        const [h, p] = b.split(':');
        if (h) {
          const x = inet_aton(h);
          if (x === null) return error(`getaddrinfo("${h}", "NULL", {1,2,2,17}, {}): Name or service not known`);
          baddr = x;
        }
        if (p !== undefined) bport = Number.parseInt(p, 10);
      }
      const err = bind(sk, baddr, bport);
      if (err) return error(`bind(${fdNum}, {AF=2 ${b}}, 16): ${strerror(-err)}`);
    }
    if (kind === 'UDP-CONNECT') {
      const err = connect(sk, addr, port);
      if (err) return error(`connect(${fdNum}, {AF=2 ${a.params[0]}:${port}}, 16): ${strerror(-err)}`);
    }
    fcntl_setfl(sk, O_NONBLOCK);
    return {
      wq: poll_wait(sk),
      readable: () => (poll(sk) & POLLIN) !== 0,
      read: (len) => {
        const r = recv(sk, len);
        if (typeof r === 'number') return r === -EAGAIN ? 'again' : 'again';
        return r.data;
      },
      write: (d) => {
        if (kind === 'UDP-CONNECT') send(sk, d);
        else sendto(sk, d, addr, port);
      },
      close: () => close(sk),
    };
  };
  try {
    eps.push(open(addrs[0] as string));
    eps.push(open(addrs[1] as string));
    const [l, r] = eps as [Endpoint, Endpoint];
    const dirs: [Endpoint, Endpoint][] =
      unidir === 1
        ? [[l, r]]
        : unidir === 2
          ? [[r, l]]
          : [
              [l, r],
              [r, l],
            ];
    const wqs = [...new Set(dirs.map(([src]) => src.wq).filter((w): w is WaitQueue => w !== null))];
    for (;;) {
      let moved = false;
      for (const [src, dst] of dirs) {
        if (!src.readable()) continue;
        sim.spend(COST.syscall);
        const d = src.read(bufsize);
        if (d === null) return 0;
        if (d === 'again') continue;
        dst.write(d);
        moved = true;
      }
      if (!moved) yield waitAny(wqs, -1);
    }
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  } finally {
    for (const ep of eps.reverse()) ep.close();
  }
}

export function registerSocat(commands: Map<string, Command>): void {
  commands.set('socat', socatMain as Command);
}
