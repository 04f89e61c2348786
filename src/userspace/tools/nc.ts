// OpenBSD netcat as Debian ships it (netcat-openbsd 1.219-1): TCP and UDP
// clients and listeners, -z scans, -v reports, -w timeouts, -N/-q on
// end of input, with its messages and exit codes. Written against the
// system calls the real tool makes (strace of /usr/bin/nc.openbsd).
import { ipv4ToString } from '../../wire/ipv4.ts';
import {
  accept as sys_accept,
  bind as sys_bind,
  close as sys_close,
  connect as sys_connect,
  fcntl_setfl,
  fd_install,
  getpeername,
  getsockname as sys_getsockname,
  getsockopt,
  IP_TOS,
  IP_TTL,
  IPPROTO_UDP,
  listen as sys_listen,
  MSG_PEEK,
  O_NONBLOCK,
  poll as sock_poll,
  poll_wait,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  recv as sys_recv,
  send as sys_send,
  setsockopt as sys_setsockopt,
  shutdown as sys_shutdown,
  SO_BROADCAST,
  SO_ERROR,
  SO_RCVBUF,
  SO_REUSEADDR,
  SO_REUSEPORT,
  SO_SNDBUF,
  SOCK_DGRAM,
  SOCK_STREAM,
  type Socket,
  socket as sys_socket,
  SOL_IP,
  SOL_SOCKET,
} from '../../kernel/uapi/socket.ts';
import { EAGAIN, ECONNREFUSED, EINPROGRESS } from '../../kernel/uapi/errno.ts';
import { inet_aton } from '../libc/inet.ts';
import { Getopt } from '../getopt.ts';
import { type Proc, type Task, WaitQueue, sleep, waitAny, type Wait, yieldCpu } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { strerror } from './errno.ts';
import { COST } from '../../sim/costs.ts';
import { getservbyname, getservbyport } from './netdb.ts';

const USAGE =
  'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n' +
  '\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n' +
  '\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n' +
  '\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n' +
  '\t  [destination] [port]\n';

const OPTSTRING = '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz';
const BUFSIZE = 16384;
const UDP_SCAN_TIMEOUT = 3;

/** Thrown to end the program with a status (exit(), err(), errx()). */
class Exit {
  constructor(readonly status: number) {}
}

/** strtonum(): the value, or the error word OpenBSD uses. */
function strtonum(s: string, min: number, max: number): { v: number } | { err: string } {
  if (!/^\s*[-+]?\d+$/.test(s)) return { err: 'invalid' };
  const v = Number(s.trim());
  if (v < min) return { err: 'too small' };
  if (v > max) return { err: 'too large' };
  return { v };
}

interface Opts {
  l: boolean;
  u: boolean;
  v: boolean;
  n: boolean;
  z: boolean;
  k: boolean;
  d: boolean;
  N: boolean;
  C: boolean;
  b: boolean;
  D: boolean;
  w: number;
  q: number;
  s: string | null;
  p: string | null;
  T: number;
  M: number;
  I: number;
  O: number;
}

/** The stdin side of poll(): a task reads the input stream into a buffer nc polls. */
class StdinPump {
  readonly wq = new WaitQueue(0, 'its standard input');
  data = '';
  eof = false;
  /** Something was read: an empty input that ends at once is /dev/null or a file (poll says POLLIN, read says 0). */
  sawData = false;
  task: Task | null = null;

  start(ctx: ProcCtx): void {
    const self = this;
    this.task = ctx.world.sim.sched.spawn(
      'nc',
      (function* (): Generator<Wait, number, unknown> {
        for (;;) {
          const s = yield* ctx.stdin.read();
          if (s === null) {
            self.eof = true;
            self.wq.wakeUp();
            return 0;
          }
          self.data += s;
          self.sawData = true;
          self.wq.wakeUp();
        }
      })(),
    );
  }

  stop(ctx: ProcCtx): void {
    if (this.task && this.task.state !== 'exited') ctx.world.sim.sched.kill(this.task, 0);
  }
}

const nc: Command = function* (ctx: ProcCtx): Proc {
  const o: Opts = {
    l: false,
    u: false,
    v: false,
    n: false,
    z: false,
    k: false,
    d: false,
    N: false,
    C: false,
    b: false,
    D: false,
    w: -1,
    q: -1,
    s: null,
    p: null,
    T: -1,
    M: -1,
    I: 0,
    O: 0,
  };
  const errx = (msg: string, status = 1): never => {
    ctx.stderr.write(`nc: ${msg}\n`);
    throw new Exit(status);
  };
  const usage = (status: number): never => {
    ctx.stderr.write(USAGE);
    throw new Exit(status);
  };
  const sockets: Socket[] = [];
  const stdin = new StdinPump();
  const pid = ctx.world.sim.sched.current?.pid ?? 0;
  let nextFd = 3;
  const open = (type: number, proto: number): Socket => {
    const s = sys_socket(ctx.net, type, proto, { comm: 'nc', pid, fd: nextFd });
    if (typeof s === 'number') return errx(strerror(-s));
    nextFd++;
    sockets.push(s);
    return s;
  };
  const close = (s: Socket): void => {
    const i = sockets.indexOf(s);
    if (i >= 0) sockets.splice(i, 1);
    sys_close(s);
    nextFd--;
  };
  try {
    // getopt(3) with glibc's argument permutation
    const g = new Getopt(ctx.argv, OPTSTRING, [], (m) => ctx.stderr.write(m));
    for (;;) {
      {
        const c = g.next();
        if (c === -1) break;
        if (c === '?' || c === ':') usage(1);
        const arg = g.optarg ?? '';
        switch (c) {
          case '4':
          case '6':
          case 'F':
          case 'S':
          case 't':
          case 'r':
          case 'U':
          case 'Z':
            if (c === '6') errx('getaddrinfo for host');
            if (c === 'U' || c === 'Z' || c === 'F') errx(`option -${c} is not supported here`);
            break;
          case 'b':
            o.b = true;
            break;
          case 'C':
            o.C = true;
            break;
          case 'd':
            o.d = true;
            break;
          case 'D':
            o.D = true;
            break;
          case 'h':
            ctx.stderr.write('OpenBSD netcat (Debian patchlevel 1.219-1)\n');
            usage(0);
            throw new Exit(0);
          case 'k':
            o.k = true;
            break;
          case 'l':
            o.l = true;
            break;
          case 'N':
            o.N = true;
            break;
          case 'n':
            o.n = true;
            break;
          case 'u':
            o.u = true;
            break;
          case 'v':
            o.v = true;
            break;
          case 'z':
            o.z = true;
            break;
          case 'p':
            o.p = arg;
            break;
          case 's':
            o.s = arg;
            break;
          case 'w': {
            const r = strtonum(arg, 0, Math.floor(0x7fffffff / 1000));
            if ('err' in r) errx(`timeout ${r.err}: ${arg}`);
            else o.w = r.v * 1000;
            break;
          }
          case 'q': {
            const r = strtonum(arg, -0x80000000, 0x7fffffff);
            if ('err' in r) errx(`quit timer ${r.err}: ${arg}`);
            else {
              o.q = r.v;
              if (o.q >= 0) o.N = true;
            }
            break;
          }
          case 'i': {
            const r = strtonum(arg, 0, 0xffffffff);
            if ('err' in r) errx(`interval ${r.err}: ${arg}`);
            break;
          }
          case 'M': {
            const r = strtonum(arg, 0, 255);
            if ('err' in r) errx(`ttl is ${r.err}`);
            else o.M = r.v;
            break;
          }
          case 'm': {
            const r = strtonum(arg, 0, 255);
            if ('err' in r) errx(`minttl is ${r.err}`);
            break;
          }
          case 'I': {
            const r = strtonum(arg, 1, 65536 << 14);
            if ('err' in r) errx(`TCP receive window ${r.err}: ${arg}`);
            else o.I = r.v;
            break;
          }
          case 'O': {
            const r = strtonum(arg, 1, 65536 << 14);
            if ('err' in r) errx(`TCP send window ${r.err}: ${arg}`);
            else o.O = r.v;
            break;
          }
          case 'T': {
            const kw: Record<string, number> = {
              lowdelay: 0x10,
              throughput: 0x08,
              reliability: 0x04,
              lowcost: 0x02,
              mincost: 0x02,
              critical: 0xa0,
              inetcontrol: 0xc0,
              netcontrol: 0xe0,
              ef: 0xb8,
            };
            if (arg in kw) o.T = kw[arg] as number;
            else {
              const v = /^0x/.test(arg) ? parseInt(arg, 16) : Number(arg);
              if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(arg) || v < 0 || v > 255) errx(`illegal tos value ${arg}`);
              o.T = v;
            }
            break;
          }
          case 'W':
          case 'P':
          case 'V':
          case 'X':
          case 'x':
            if (c === 'V') errx('no alternate routing table support available');
            break;
          default:
            usage(1);
        }
      }
    }
    const operands = g.operands();
    // Cruft to make sure options are clean, and used properly.
    let host: string | null = null;
    let uport: string[] | null = null;
    const argc = operands.length;
    if (argc === 0 && o.l) {
      uport = o.p ? [o.p] : null;
      host = o.s;
    } else if (argc === 1 && !o.p && !o.s) {
      if (o.l) uport = [operands[0] as string];
    } else if (argc >= 2) {
      if (o.l && (o.p || o.s || argc > 2)) usage(1);
      host = operands[0] as string;
      uport = operands.slice(1);
    } else usage(1);
    if (!uport || !uport.length || !uport[0]) return errx('missing port number');
    const ports0: string[] = uport;
    if (o.l && o.z) errx('cannot use -z and -l');
    if (!o.l && o.k) errx('must use -l with -k');
    const proto = o.u ? 'udp' : 'tcp';
    const type = o.u ? SOCK_DGRAM : SOCK_STREAM;
    const setCommon = (s: Socket): void => {
      if (o.b) sys_setsockopt(s, SOL_SOCKET, SO_BROADCAST, 1);
      if (o.T !== -1) sys_setsockopt(s, SOL_IP, IP_TOS, o.T);
      if (o.I) sys_setsockopt(s, SOL_SOCKET, SO_RCVBUF, o.I);
      if (o.O) sys_setsockopt(s, SOL_SOCKET, SO_SNDBUF, o.O);
      if (o.M !== -1) sys_setsockopt(s, SOL_IP, IP_TTL, o.M);
    };
    const resolve = (name: string | null): number => {
      if (name === null) return 0;
      const a = inet_aton(name);
      if (a !== null) return a;
      if (name === 'localhost') return 0x7f000001;
      return errx(`getaddrinfo for host "${name}" port ${uport?.[0] ?? ''}: Temporary failure in name resolution`);
    };
    const reportSock = (msg: string, addr: number, port: number): void => {
      // getnameinfo(NI_NUMERICSERV): without -n the name needs DNS, which a bare namespace lacks
      if (!o.n && addr !== 0x7f000001 && addr !== 0) {
        ctx.stderr.write('nc: getnameinfo: Temporary failure in name resolution\n');
        return;
      }
      const h = !o.n && addr === 0x7f000001 ? 'localhost' : ipv4ToString(addr);
      ctx.stderr.write(`${msg} ${h} ${port}\n`);
    };
    if (o.l) {
      const portStr = ports0[0] as string;
      const port = strtoport(portStr, proto, errx);
      const addr = resolve(host);
      const s = open(type, o.u ? IPPROTO_UDP : 0);
      sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1);
      sys_setsockopt(s, SOL_SOCKET, SO_REUSEPORT, 1);
      setCommon(s);
      const b = sys_bind(s, addr, port);
      if (b < 0) errx(strerror(-b));
      if (!o.u) {
        const r = sys_listen(s, 1);
        if (r < 0) errx(`listen: ${strerror(-r)}`);
      }
      if (o.v) {
        const [la, lp] = sys_getsockname(s);
        reportSock(o.u ? 'Bound on' : 'Listening on', la, lp);
      }
      for (;;) {
        if (o.u) {
          // recvfrom(MSG_PEEK) waits for a caller; then connect() to it
          let r: ReturnType<typeof sys_recv>;
          for (;;) {
            r = sys_recv(s, 2048, MSG_PEEK);
            if (typeof r !== 'number' || r !== -EAGAIN) break;
            yield waitAny([poll_wait(s)], -1);
          }
          if (typeof r === 'number') errx(`recvfrom: ${strerror(-r)}`);
          else {
            if (o.v) reportSock('Connection received on', r.from.addr, r.from.port);
            if (!o.k) {
              const c = sys_connect(s, r.from.addr, r.from.port);
              if (c < 0) errx(`connect: ${strerror(-c)}`);
            }
          }
          yield* readwrite(ctx, o, s, stdin);
        } else {
          let conn: Socket | number;
          for (;;) {
            conn = sys_accept(s);
            if (conn !== -EAGAIN) break;
            yield waitAny([poll_wait(s)], -1);
          }
          if (typeof conn === 'number') errx(`accept: ${strerror(-conn)}`);
          const c = conn as Socket;
          fd_install(c, { comm: 'nc', pid, fd: nextFd++ });
          sockets.push(c);
          fcntl_setfl(c, O_NONBLOCK);
          if (o.v) {
            const peer = getpeername(c) as [number, number];
            reportSock('Connection received on', peer[0], peer[1]);
          }
          yield* readwrite(ctx, o, c, stdin);
          close(c);
        }
        if (!o.k) {
          close(s);
          break;
        }
      }
      return 0;
    }
    // client: every port in turn
    const ports: string[] = [];
    for (const p of ports0) {
      const sv = getservbyname(p, proto);
      if (sv !== null) ports.push(String(sv));
      else if (/^\d/.test(p) && p.includes('-')) {
        const [a, b] = p.split('-', 2) as [string, string];
        let hi = strtoport(b, proto, errx);
        let lo = strtoport(a, proto, errx);
        if (lo > hi) [lo, hi] = [hi, lo];
        for (let c = lo; c <= hi; c++) ports.push(String(c));
      } else ports.push(String(strtoport(p, proto, errx)));
    }
    const daddr = resolve(host);
    const ipaddr = ipv4ToString(daddr);
    let ret = 1;
    let s: Socket | null = null;
    for (const port of ports) {
      if (s) close(s);
      s = null;
      // remote_connect()
      const sk = open(type, o.u ? IPPROTO_UDP : 0);
      fcntl_setfl(sk, O_NONBLOCK);
      if (o.s || o.p) {
        // remote_connect(): getaddrinfo(sflag, pflag) with its own message; a dotted
        // number that is no address is EAI_NONAME, any other name needs DNS
        const la = o.s
          ? (inet_aton(o.s) ??
            (o.s === 'localhost' ? 0x7f000001 : null) ??
            errx(`getaddrinfo: ${/^[\d.]+$/.test(o.s) ? 'Name or service not known' : 'Temporary failure in name resolution'}`))
          : 0;
        const lp = o.p ? strtoport(o.p, proto, errx) : 0;
        const b = sys_bind(sk, la, lp);
        if (b < 0) errx(`bind failed: ${strerror(-b)}`);
      }
      setCommon(sk);
      const res = yield* connect_with_timeout(ctx, sk, daddr, Number(port), o.w);
      if (res.ok) s = sk;
      else {
        if (o.v) {
          const p = res.timedOut ? 'timed out' : 'failed';
          const shown = !o.n && host !== ipaddr ? ` (${ipaddr})` : '';
          ctx.stderr.write(`nc: connect to ${host}${shown} port ${port} (${proto}) ${p}: ${strerror(res.errno)}\n`);
        }
        close(sk);
        continue;
      }
      ret = 0;
      if (o.v) {
        let printInfo = 1;
        if (o.u) {
          printInfo = yield* udptest(ctx, s, o.w);
          if (printInfo === -1) {
            ret = 1;
            continue;
          }
        }
        if (printInfo === 1) {
          const service = o.n ? '*' : (getservbyport(Number(port), proto) ?? '*');
          const shown = !o.n && host !== ipaddr ? ` (${ipaddr})` : '';
          ctx.stderr.write(`Connection to ${host}${shown} ${port} port [${proto}/${service}] succeeded!\n`);
        }
      }
      if (!o.z) yield* readwrite(ctx, o, s, stdin);
    }
    if (s) close(s);
    return ret;
  } catch (e) {
    if (e instanceof Exit) return e.status;
    throw e;
  } finally {
    stdin.stop(ctx);
    // exit(): the files go in the order their last fput's task_work runs, the newest first
    for (const s of sockets.splice(0).reverse()) sys_close(s);
  }
};

function strtoport(s: string, proto: string, errx: (m: string) => never): number {
  const r = strtonum(s, 1, 65535);
  if ('v' in r) return r.v;
  void proto;
  return errx(`port number ${r.err}: ${s}`);
}

/** connect_with_timeout(): a non-blocking connect, select() for writability, then SO_ERROR. */
function* connect_with_timeout(
  ctx: ProcCtx,
  sk: Socket,
  daddr: number,
  port: number,
  timeoutMs: number,
): Generator<Wait, { ok: boolean; timedOut: boolean; errno: number }, unknown> {
  const sim = ctx.world.sim;
  const err = sys_connect(sk, daddr, port);
  if (err === 0) return { ok: true, timedOut: false, errno: 0 };
  if (err !== -EINPROGRESS) return { ok: false, timedOut: false, errno: -err };
  const deadline = timeoutMs > 0 ? sim.now + timeoutMs * 1e6 : -1;
  for (;;) {
    if (sock_poll(sk) & (POLLOUT | POLLERR | POLLHUP)) break;
    if (deadline >= 0 && sim.now >= deadline) return { ok: false, timedOut: true, errno: EINPROGRESS };
    yield waitAny([poll_wait(sk)], deadline >= 0 ? deadline - sim.now : -1);
  }
  const e = getsockopt(sk, SOL_SOCKET, SO_ERROR);
  if (e) return { ok: false, timedOut: false, errno: e };
  return { ok: true, timedOut: false, errno: 0 };
}

/** udptest(): two writes (the second sees a port unreachable), then one a second while -w allows. */
function* udptest(ctx: ProcCtx, s: Socket, timeoutMs: number): Generator<Wait, number, unknown> {
  const X = new Uint8Array([0x58]);
  if (sys_send(s, X) !== 1) return -1;
  const r2 = sys_send(s, X);
  if (r2 !== 1 && r2 === -ECONNREFUSED) return -1;
  const t = timeoutMs === -1 ? UDP_SCAN_TIMEOUT : Math.floor(timeoutMs / 1000);
  for (let i = 0; i < t; i++) {
    yield sleep(1e9);
    const r = sys_send(s, X);
    if (r !== 1 && r === -ECONNREFUSED) return -1;
  }
  void ctx;
  return 1;
}

const enc = new TextEncoder();
const dec = new TextDecoder('latin1');

/** readwrite(): poll() on stdin, the socket and stdout until both directions are done. */
function* readwrite(ctx: ProcCtx, o: Opts, net: Socket, stdin: StdinPump): Generator<Wait, void, unknown> {
  const sim = ctx.world.sim;
  if (!o.d && !stdin.task) stdin.start(ctx);
  // pfd[]: stdin, net out, net in, stdout; -1 when closed
  let stdinFd = !o.d;
  let netOut = true;
  let netIn = true;
  let stdoutFd = true;
  let netOutEvents = false;
  let stdinEvents = true;
  let stdoutEvents = false;
  let stdinBuf: Uint8Array = new Uint8Array(0);
  let netinBuf: Uint8Array = new Uint8Array(0);
  let ctrldSeen = false;
  let quitAt = -1;
  for (;;) {
    if (!stdinFd && !netIn && stdinBuf.length === 0 && netinBuf.length === 0) {
      if (o.q <= 0) return;
      quitAt = quitAt < 0 ? delayExit() : quitAt;
    } else if (!netOut && !stdoutFd) {
      if (o.q <= 0) return;
      quitAt = quitAt < 0 ? delayExit() : quitAt;
    } else if (((o.l && !netIn) || ctrldSeen) && stdinBuf.length === 0 && netinBuf.length === 0) {
      if (o.q < 0 || !ctrldSeen) return;
      quitAt = quitAt < 0 ? delayExit() : quitAt;
    }
    // poll(): a scheduling point; a task woken meanwhile (on another CPU, on Linux) runs first
    yield yieldCpu;
    const deadline = o.w >= 0 ? sim.now + o.w * 1e6 : -1;
    let rIn = 0;
    let rOut = 0;
    let rNetIn = 0;
    let rStdout = 0;
    for (;;) {
      if (quitAt >= 0 && sim.now >= quitAt) throw new Exit(0);
      const sm = netOut || netIn ? sock_poll(net) : 0;
      rIn = 0;
      // stdin with a full buffer is not polled for input; its HUP would only spin the loop
      if (stdinFd && stdinEvents) {
        if (stdin.data.length) rIn = POLLIN | (stdin.eof ? POLLHUP : 0);
        else if (stdin.eof) rIn = stdin.sawData ? POLLHUP : POLLIN;
      }
      rOut = netOut ? sm & ((netOutEvents ? POLLOUT : 0) | POLLERR | POLLHUP) : 0;
      rNetIn = netIn ? sm & (POLLIN | POLLERR | POLLHUP) : 0;
      rStdout = stdoutFd && stdoutEvents ? POLLOUT : 0;
      if (rIn | rOut | rNetIn | rStdout) break;
      let wait = deadline >= 0 ? deadline - sim.now : -1;
      if (quitAt >= 0) wait = wait < 0 ? quitAt - sim.now : Math.min(wait, quitAt - sim.now);
      if (deadline >= 0 && sim.now >= deadline) return;
      yield waitAny([poll_wait(net), stdin.wq], wait);
    }
    sim.spend(COST.syscall);
    if (rOut & POLLERR) netOut = false;
    if (rNetIn & POLLERR) netIn = false;
    // reading is possible after HUP: only a HUP without data while polling for input ends stdin
    if (stdinEvents && rIn & POLLHUP && !(rIn & POLLIN)) {
      stdinFd = false;
      // Debian's nc counts a pipe's hangup as the end of stdin too: -q starts its quit timer (strace: it exits)
      if (o.q >= 0) ctrldSeen = true;
    }
    if (netIn && rNetIn & POLLHUP && !(rNetIn & POLLIN)) netIn = false;
    if (rOut & POLLHUP && netOut) {
      if (o.N) sys_shutdown(net, 1);
      netOut = false;
    }
    if (!netOut && stdinFd) stdinFd = false;
    if (!stdoutFd && netIn) {
      sys_shutdown(net, 0);
      netIn = false;
    }
    // stdin → buffer
    if (stdinFd && rIn & POLLIN && stdinBuf.length < BUFSIZE) {
      sim.spend(COST.syscall);
      if (stdin.data.length) {
        const take = stdin.data.slice(0, BUFSIZE - stdinBuf.length);
        stdin.data = stdin.data.slice(take.length);
        stdinBuf = concat(stdinBuf, latin1(take));
      } else {
        // read() returned 0
        stdinFd = false;
        if (o.q >= 0) ctrldSeen = true;
      }
      if (stdinBuf.length > 0) netOutEvents = true;
      if (stdinBuf.length === BUFSIZE) stdinEvents = false;
    }
    // buffer → network
    if (netOut && rOut & POLLOUT && stdinBuf.length > 0) {
      const n = sys_send(net, stdinBuf);
      if (n < 0 && n !== -EAGAIN) netOut = false;
      else if (n > 0) stdinBuf = stdinBuf.slice(n);
      if (stdinBuf.length === 0) netOutEvents = false;
      if (stdinBuf.length < BUFSIZE) stdinEvents = true;
    }
    // network → buffer
    if (netIn && rNetIn & POLLIN && netinBuf.length < BUFSIZE) {
      const r = sys_recv(net, BUFSIZE - netinBuf.length);
      if (typeof r === 'number') {
        if (r !== -EAGAIN) netIn = false;
      } else if (r.data.length === 0) {
        sys_shutdown(net, 0);
        netIn = false;
      } else netinBuf = concat(netinBuf, r.data);
      if (netinBuf.length > 0) stdoutEvents = true;
    }
    // buffer → stdout
    if (stdoutFd && stdoutEvents && netinBuf.length > 0) {
      ctx.stdout.write(dec.decode(netinBuf));
      netinBuf = new Uint8Array(0);
      stdoutEvents = false;
    }
    if (!stdinFd && stdinBuf.length === 0 && netOut) {
      if (o.N) sys_shutdown(net, 1);
      netOut = false;
    }
    if (!netIn && netinBuf.length === 0 && stdoutFd) stdoutFd = false;
  }

  function delayExit(): number {
    if (o.q === 0) throw new Exit(0);
    sys_close(net);
    netIn = false;
    netOut = false;
    return sim.now + o.q * 1e9;
  }
}

function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const r = new Uint8Array(a.length + b.length);
  r.set(a);
  r.set(b, a.length);
  return r;
}

void enc;

export function registerNc(commands: Map<string, Command>): void {
  commands.set('nc', nc);
  commands.set('nc.openbsd', nc);
  commands.set('netcat', nc);
}
