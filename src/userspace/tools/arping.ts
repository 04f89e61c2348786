// iputils arping (20221126): ARP requests (or -A replies) out of one device
// over an AF_PACKET SOCK_DGRAM socket, the answers counted and timed;
// -D duplicate address detection, -U/-A unsolicited (gratuitous) ARP. The
// device comes from -I or from the route to the target (RTM_GETROUTE), its
// link address and broadcast from getifaddrs() (an RTM_GETLINK dump), the
// source from a UDP socket connect()ed to the target with SO_DONTROUTE.
import { ipv4ToString } from '../../wire/ipv4.ts';
import {
  ETH_P_ARP,
  PACKET_BROADCAST,
  PACKET_HOST,
  PACKET_MULTICAST,
  type PacketSocket,
  packet_socket,
  packet_sys_bind,
  packet_sys_close,
  packet_sys_getsockname,
  packet_sys_poll,
  packet_sys_poll_wait,
  packet_sys_recvmsg,
  packet_sys_sendto,
  SOCK_DGRAM as PACKET_SOCK_DGRAM,
  type SockaddrLl,
} from '../../kernel/uapi/packet.ts';
import {
  bind,
  close,
  connect,
  getsockname,
  setsockopt,
  SO_BINDTODEVICE,
  SO_DONTROUTE,
  SOCK_DGRAM,
  type Socket,
  SOL_SOCKET,
  socket,
} from '../../kernel/uapi/socket.ts';
import { ifinfomsg, NLM_F_DUMP, RTM_GETLINK, rtnl_talk } from '../../kernel/uapi/rtnetlink.ts';
import { rtmsg, rtnl_getroute } from '../../kernel/uapi/rtnetlink_route.ts';
import { IFF_LOOPBACK, IFF_NOARP, IFF_UP } from '../../kernel/uapi/if.ts';
import { inet_aton } from '../libc/inet.ts';
import { Getopt } from '../getopt.ts';
import { type Proc, type Wait, waitOn } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { strerror } from './errno.ts';

const USAGE = `
Usage:
  arping [options] <destination>

Options:
  -f            quit on first reply
  -q            be quiet
  -b            keep on broadcasting, do not unicast
  -D            duplicate address detection mode
  -U            unsolicited ARP mode, update your neighbours
  -A            ARP answer mode, update your neighbours
  -V            print version and exit
  -c <count>    how many packets to send
  -w <timeout>  how long to wait for a reply
  -i <interval> set interval between packets (default: 1 second)
  -I <device>   which ethernet device to use
  -s <source>   source ip address
  <destination> dns name or ip address

For more details see arping(8).
`;

const OPTSTRING = 'h?bfDUAqc:w:i:s:I:V';
const INT_MAX = 2147483647;
const ARPOP_REQUEST = 1;
const ARPOP_REPLY = 2;
const ARPHRD_ETHER = 1;
const ARPHRD_FDDI = 774;
const ARPHRD_AX25 = 3;
const ARPHRD_NETROM = 0;
const AX25_P_IP = 0xcc;
const ETH_P_IP = 0x0800;
/** recv_pack()'s answer that ends the loop. */
const FINAL_PACKS = 2;
/** SIGINT, SIGQUIT and SIGTERM: read from a signalfd, they end the loop and the statistics follow. */
const ARPING_SIGNALS: ReadonlySet<number> = new Set([2, 3, 15]);

/** An AF_PACKET entry of getifaddrs(): the link's name, flags, address length and broadcast address. */
interface IfaPacket {
  name: string;
  index: number;
  flags: number;
  halen: number;
  broadaddr: Uint8Array | null;
}

/** Thrown by error(status, ...): arping exits with `status`. */
class Exit {
  constructor(readonly status: number) {}
}

interface State {
  count: number;
  timeout: number;
  interval: number;
  source: string | null;
  deviceName: string | null;
  ifindex: number;
  ifa: IfaPacket | null;
  gsrc: number;
  gdst: number;
  me: SockaddrLl;
  he: SockaddrLl;
  /** Virtual time of the last probe sent (CLOCK_MONOTONIC, ns); -1 before the first. */
  last: number;
  sent: number;
  brdSent: number;
  received: number;
  brdRecv: number;
  reqRecv: number;
  advert: boolean;
  broadcastOnly: boolean;
  dad: boolean;
  quiet: boolean;
  quitOnReply: boolean;
  unicasting: boolean;
  unsolicited: boolean;
}

function* arping(ctx: ProcCtx): Proc {
  const out = (s: string): void => ctx.stdout.write(s);
  const errOut = (s: string): void => ctx.stderr.write(s);
  /** error(3): the program's name, the message, strerror(errnum) when nonzero; exits unless status is 0. */
  const error = (status: number, errnum: number, msg: string): void => {
    errOut(`arping: ${msg}${errnum ? `: ${strerror(errnum)}` : ''}\n`);
    if (status) throw new Exit(status);
  };
  const usage = (): never => {
    errOut(USAGE);
    throw new Exit(2);
  };
  /** strtol_or_err(): base 10, the whole string, within [min, max]. */
  const strtolOrErr = (str: string, min: number, max: number): number => {
    const m = /^[ \t\n\v\f\r]*[+-]?\d+$/.exec(str);
    if (!m) error(1, 0, `invalid argument: '${str}'`);
    const v = BigInt(str.trim());
    if (v > 9223372036854775807n || v < -9223372036854775808n) error(1, 34, `invalid argument: '${str}'`);
    if (v < BigInt(min) || v > BigInt(max)) error(1, 0, `invalid argument: '${str}': out of range: ${min} <= value <= ${max}`);
    return Number(v);
  };

  const net = ctx.net;
  const sim = ctx.world.sim;
  let sock: PacketSocket | null = null;
  const task = sim.sched.current;
  const prevHandles = task?.handles ?? null;
  let st: State | null = null;
  let finished = false;
  try {
    const s: State = {
      count: -1,
      timeout: 0,
      interval: 1,
      source: null,
      deviceName: null,
      ifindex: 0,
      ifa: null,
      gsrc: 0,
      gdst: 0,
      me: emptySll(),
      he: emptySll(),
      last: -1,
      sent: 0,
      brdSent: 0,
      received: 0,
      brdRecv: 0,
      reqRecv: 0,
      advert: false,
      broadcastOnly: false,
      dad: false,
      quiet: false,
      quitOnReply: false,
      unicasting: false,
      unsolicited: false,
    };
    const g = new Getopt(ctx.argv, OPTSTRING, [], errOut);
    for (;;) {
      const c = g.next();
      if (c === -1) break;
      switch (c) {
        case 'b':
          s.broadcastOnly = true;
          break;
        case 'D':
          s.dad = true;
          s.quitOnReply = true;
          break;
        case 'U':
          s.unsolicited = true;
          break;
        case 'A':
          s.advert = true;
          s.unsolicited = true;
          break;
        case 'q':
          s.quiet = true;
          break;
        case 'c':
          s.count = strtolOrErr(g.optarg ?? '', 1, INT_MAX);
          break;
        case 'w':
          s.timeout = strtolOrErr(g.optarg ?? '', 0, INT_MAX);
          break;
        case 'i':
          s.interval = strtolOrErr(g.optarg ?? '', 0, INT_MAX);
          break;
        case 'I':
          s.deviceName = g.optarg ?? '';
          break;
        case 'f':
          s.quitOnReply = true;
          break;
        case 's':
          s.source = g.optarg ?? '';
          break;
        case 'V':
          out('arping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n');
          return 0;
        default:
          usage();
      }
    }
    const rest = g.operands();
    if (rest.length !== 1) usage();
    const created = packet_socket(net, PACKET_SOCK_DGRAM, 0);
    if (typeof created === 'number') {
      error(2, -created, 'socket');
      return 2;
    }
    sock = created;
    const target = rest[0] as string;
    if (s.deviceName === '') s.deviceName = null;
    const dst = inet_aton(target);
    if (dst === null) {
      // getaddrinfo(AF_INET): no resolver here
      error(2, 0, `${target}: ${/^[\d.]+$/.test(target) ? 'Name or service not known' : 'Temporary failure in name resolution'}`);
      return 2;
    }
    s.gdst = dst;
    if (!s.deviceName) guess_device(ctx, s, error);
    check_device(ctx, s, out);
    if (!s.ifindex) {
      if (s.deviceName) error(2, 0, `Device ${s.deviceName} not available.`);
      error(0, 0, 'Suitable device could not be determined. Please, use option -I.');
    }
    if (s.source !== null) {
      const a = inet_aton(s.source);
      if (a === null) error(2, 0, `invalid source ${s.source}`);
      s.gsrc = a as number;
    }
    if (!s.dad && s.unsolicited && s.source === null) s.gsrc = s.gdst;
    if (!s.dad || s.source !== null) source_probe(ctx, s, error);

    let r = packet_sys_bind(sock, { sll_ifindex: s.ifindex, sll_protocol: ETH_P_ARP });
    if (r < 0) error(2, -r, 'bind');
    s.me = packet_sys_getsockname(sock);
    if (s.me.sll_halen === 0) {
      if (!s.quiet) out(`Interface "${s.deviceName ?? '(null)'}" is not ARPable (no ll address)\n`);
      return s.dad ? 0 : 2;
    }
    s.he = { ...s.me, sll_addr: s.me.sll_addr.slice() };
    find_broadcast_address(s, errOut);
    if (!s.quiet) out(`ARPING ${ipv4ToString(s.gdst)} from ${ipv4ToString(s.gsrc)} ${s.deviceName ?? ''}\n`);
    if (s.source === null && !s.gsrc && !s.dad) error(2, 0, 'no source address in not-DAD mode');

    st = s;
    if (task) task.handles = ARPING_SIGNALS;
    r = yield* event_loop(ctx, s, sock);
    finished = true;
    return r;
  } catch (e) {
    if (e instanceof Exit) return e.status;
    throw e;
  } finally {
    if (task) task.handles = prevHandles;
    if (sock) packet_sys_close(sock);
    // a SIGINT/SIGQUIT/SIGTERM through the signalfd: the loop ends, the statistics are printed
    if (!finished && st && ARPING_SIGNALS.has(sim.sched.signal)) {
      // biome-ignore lint/correctness/noUnsafeFinally: the handled signal's exit status
      return loop_status(st, finish(st, out));
    }
  }
}

function emptySll(): SockaddrLl {
  return { sll_protocol: 0, sll_ifindex: 0, sll_hatype: 0, sll_pkttype: 0, sll_halen: 0, sll_addr: new Uint8Array(0) };
}

type ErrorFn = (status: number, errnum: number, msg: string) => void;

/** guess_device(): RTM_GETROUTE to the target; its RTA_OIF names the device. */
function guess_device(ctx: ProcCtx, s: State, error: ErrorFn): void {
  const r = rtnl_getroute(ctx.net, { rtm: rtmsg({ rtm_family: 2 }), attrs: { RTA_DST: s.gdst } });
  if ('error' in r) {
    // netlink_query(): an NLMSG_ERROR answer, and exit(1)
    error(0, 0, 'NETLINK_ROUTE unexpected iov element');
    throw new Exit(1);
  }
  const oif = r.attrs.RTA_OIF;
  if (oif) {
    const link = getifaddrs(ctx).find((l) => l.index === oif);
    if (!link) {
      error(1, 19, 'if_indextoname failed');
      return;
    }
    s.ifindex = oif;
    s.deviceName = link.name;
  }
}

/** glibc getifaddrs(): the AF_PACKET entry of each link, in the order of an RTM_GETLINK dump. */
function getifaddrs(ctx: ProcCtx): IfaPacket[] {
  const r = rtnl_talk(ctx.net, { nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_DUMP, ifi: ifinfomsg(), attrs: {} });
  return r.msgs.map((m) => ({
    name: m.attrs.IFLA_IFNAME ?? '',
    index: m.ifi.ifi_index,
    flags: m.ifi.ifi_flags,
    halen: m.attrs.IFLA_ADDRESS?.length ?? 0,
    broadaddr: m.attrs.IFLA_BROADCAST ?? null,
  }));
}

/** check_ifflags(): up and ARPable; a named device that is not ends the program. */
function check_ifflags(s: State, flags: number, out: (t: string) => void): number {
  if (!(flags & IFF_UP)) {
    if (s.deviceName !== null) {
      if (!s.quiet) out(`Interface "${s.deviceName}" is down\n`);
      throw new Exit(2);
    }
    return -1;
  }
  if (flags & (IFF_NOARP | IFF_LOOPBACK)) {
    if (s.deviceName !== null) {
      if (!s.quiet) out(`Interface "${s.deviceName}" is not ARPable\n`);
      throw new Exit(s.dad ? 0 : 2);
    }
    return -1;
  }
  return 0;
}

/** check_device(): the named device if it fits, else the one device that does (none when two do). */
function check_device(ctx: ProcCtx, s: State, out: (t: string) => void): void {
  let n = 0;
  for (const ifa of getifaddrs(ctx)) {
    if (s.deviceName !== null && ifa.name !== s.deviceName) continue;
    if (check_ifflags(s, ifa.flags, out) < 0) continue;
    if (!ifa.halen) continue;
    if (!ifa.broadaddr) continue;
    s.ifa = ifa;
    if (n++) break;
  }
  if (n === 1 && s.ifa) {
    s.ifindex = s.ifa.index;
    s.deviceName = s.ifa.name;
  }
}

/** The source address: bound to -s (or the target for -U/-A), else what connect() to port 1025 picks. */
function source_probe(ctx: ProcCtx, s: State, error: ErrorFn): void {
  const probe = socket(ctx.net, SOCK_DGRAM, 0);
  if (typeof probe === 'number') {
    error(2, -probe, 'socket');
    return;
  }
  try {
    if (s.deviceName !== null) {
      const r = setsockopt(probe, SOL_SOCKET, SO_BINDTODEVICE, s.deviceName);
      if (r < 0) error(0, -r, 'WARNING: interface is ignored');
    }
    if (s.source !== null || s.gsrc) {
      const r = bind(probe, s.gsrc, 0);
      if (r < 0) error(2, -r, 'bind');
    } else if (!s.dad) {
      let addr = s.gdst;
      if (!s.unsolicited) {
        const d = setsockopt(probe, SOL_SOCKET, SO_DONTROUTE, 1);
        if (d < 0) error(0, -d, 'WARNING: setsockopt(SO_DONTROUTE)');
        const r = connect(probe, s.gdst, 1025);
        if (r < 0) error(2, -r, 'connect');
        addr = getsockname(probe as Socket)[0];
      }
      s.gsrc = addr;
    }
  } finally {
    close(probe);
  }
}

/** find_broadcast_address(): the device's broadcast address, or all ones. */
function find_broadcast_address(s: State, errOut: (t: string) => void): void {
  const b = s.ifa?.broadaddr;
  if (b && b.length === s.he.sll_halen) {
    s.he.sll_addr = b.slice();
    return;
  }
  if (!s.quiet) errOut('WARNING: using default broadcast address.\n');
  s.he.sll_addr = new Uint8Array(s.he.sll_halen).fill(0xff);
}

/** send_pack(): one ARP request (or reply, -A) to `he`. */
function send_pack(ctx: ProcCtx, s: State, sock: PacketSocket): void {
  const hln = s.me.sll_halen;
  const buf = new Uint8Array(8 + 2 * (hln + 4));
  let hrd = s.me.sll_hatype;
  if (hrd === ARPHRD_FDDI) hrd = ARPHRD_ETHER;
  const pro = hrd === ARPHRD_AX25 || hrd === ARPHRD_NETROM ? AX25_P_IP : ETH_P_IP;
  const op = s.advert ? ARPOP_REPLY : ARPOP_REQUEST;
  buf[0] = hrd >> 8;
  buf[1] = hrd & 0xff;
  buf[2] = pro >> 8;
  buf[3] = pro & 0xff;
  buf[4] = hln;
  buf[5] = 4;
  buf[6] = op >> 8;
  buf[7] = op & 0xff;
  let p = 8;
  buf.set(s.me.sll_addr.subarray(0, hln), p);
  p += hln;
  put32(buf, p, s.gsrc);
  p += 4;
  buf.set((s.advert ? s.me.sll_addr : s.he.sll_addr).subarray(0, hln), p);
  p += hln;
  put32(buf, p, s.gdst);
  const now = ctx.world.sim.now;
  const r = packet_sys_sendto(sock, buf, {
    sll_ifindex: s.he.sll_ifindex,
    sll_protocol: s.he.sll_protocol,
    sll_halen: s.he.sll_halen,
    sll_addr: s.he.sll_addr,
  });
  if (r === buf.length) {
    s.last = now;
    s.sent++;
    if (!s.unicasting) s.brdSent++;
  }
}

/** finish(): the statistics, and the status finish() itself returns. */
function finish(s: State, out: (t: string) => void): number {
  if (!s.quiet) {
    let t = `Sent ${s.sent} probes (${s.brdSent} broadcast(s))\nReceived ${s.received} response(s)`;
    if (s.brdRecv || s.reqRecv) {
      t += ' (';
      if (s.reqRecv) t += `${s.reqRecv} request(s)`;
      if (s.brdRecv) t += `${s.reqRecv ? ', ' : ''}${s.brdRecv} broadcast(s)`;
      t += ')';
    }
    out(`${t}\n`);
  }
  if (s.dad) return s.received ? 1 : 0;
  if (s.unsolicited) return 0;
  return s.received ? 0 : 1;
}

/** event_loop()'s exit status once finish() has run. */
function loop_status(s: State, rcFinish: number, rc0 = 0): number {
  let rc = rc0 | rcFinish;
  if (s.unsolicited) {
    // nothing
  } else if (s.dad && s.quitOnReply) rc |= s.brdSent !== s.received ? 0 : 1;
  else if (s.timeout && !(s.count > 0)) rc |= s.received > 0 ? 0 : 1;
  else rc |= s.sent !== s.received ? 1 : 0;
  return rc;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** recv_pack(): 0 to ignore, 1 for an answer, FINAL_PACKS when it ends the loop. */
function recv_pack(ctx: ProcCtx, s: State, buf: Uint8Array, from: SockaddrLl, out: (t: string) => void): number {
  const ts = ctx.world.sim.now;
  if (from.sll_pkttype !== PACKET_HOST && from.sll_pkttype !== PACKET_BROADCAST && from.sll_pkttype !== PACKET_MULTICAST) return 0;
  if (buf.length < 8) return 0;
  const hrd = ((buf[0] as number) << 8) | (buf[1] as number);
  const pro = ((buf[2] as number) << 8) | (buf[3] as number);
  const hln = buf[4] as number;
  const pln = buf[5] as number;
  const op = ((buf[6] as number) << 8) | (buf[7] as number);
  if (op !== ARPOP_REQUEST && op !== ARPOP_REPLY) return 0;
  if (hrd !== from.sll_hatype && (from.sll_hatype !== ARPHRD_FDDI || hrd !== ARPHRD_ETHER)) return 0;
  if (hrd === ARPHRD_AX25 || hrd === ARPHRD_NETROM) {
    if (pro !== AX25_P_IP) return 0;
  } else if (pro !== ETH_P_IP) return 0;
  if (pln !== 4) return 0;
  if (hln !== s.me.sll_halen) return 0;
  if (buf.length < 8 + 2 * (4 + hln)) return 0;
  const p = 8;
  const sha = buf.subarray(p, p + hln);
  const srcIp = get32(buf, p + hln);
  const tha = buf.subarray(p + hln + 4, p + 2 * hln + 4);
  const dstIp = get32(buf, p + 2 * hln + 4);
  const isMe = (a: Uint8Array): boolean => a.every((x, i) => x === s.me.sll_addr[i]);
  if (!s.dad) {
    if (srcIp !== s.gdst) return 0;
    if (s.gsrc !== dstIp) return 0;
    if (!isMe(tha)) return 0;
  } else {
    // DAD: a request or reply from the tested address by someone else
    if (srcIp !== s.gdst) return 0;
    if (isMe(sha)) return 0;
    if (s.gsrc && s.gsrc !== dstIp) return 0;
  }
  if (!s.quiet) {
    let line = `${from.sll_pkttype === PACKET_HOST ? 'Unicast' : 'Broadcast'} ${op === ARPOP_REPLY ? 'reply' : 'request'} from `;
    line += `${ipv4ToString(srcIp)} [${hex(sha)}] `;
    let sPrinted = false;
    if (dstIp !== s.gsrc) {
      line += `for ${ipv4ToString(dstIp)} `;
      sPrinted = true;
    }
    if (!isMe(tha)) {
      if (!sPrinted) line += 'for ';
      line += `[${hex(tha)}]`;
    }
    if (s.last >= 0) {
      // (sec*1e6 + (nsec diff + 500)/1000), then iputils' own ms.µs split
      const d = ts - s.last;
      let usecs = Math.trunc(d / 1e9) * 1000000 + Math.trunc(((d % 1e9) + 500) / 1000);
      const msecs = Math.trunc((usecs + 500) / 1000);
      usecs -= msecs * 1000 - 500;
      line += ` ${msecs}.${String(usecs).padStart(3, '0')}ms\n`;
    } else line += ' UNSOLICITED?\n';
    out(line);
  }
  s.received++;
  if (s.timeout && s.received === s.count) return FINAL_PACKS;
  if (from.sll_pkttype !== PACKET_HOST) s.brdRecv++;
  if (op === ARPOP_REQUEST) s.reqRecv++;
  if (s.quitOnReply || (s.count === 0 && s.received === s.sent)) return FINAL_PACKS;
  if (!s.broadcastOnly) {
    s.he.sll_addr = sha.slice();
    s.unicasting = true;
  }
  return 1;
}

/**
 * event_loop(): a probe now, one per interval from the interval timer (none
 * for -i 0: a zero timerfd is disarmed), until the count is sent and one more
 * interval passed, the -w timeout, a final answer or a signal.
 */
function* event_loop(ctx: ProcCtx, s: State, sock: PacketSocket): Generator<Wait, number, unknown> {
  const sim = ctx.world.sim;
  const out = (t: string): void => ctx.stdout.write(t);
  const start = sim.now;
  const intervalNs = s.interval * 1e9;
  let nextTimer = s.interval ? start + intervalNs : Infinity;
  const timeoutAt = s.timeout ? start + s.timeout * 1e9 : Infinity;
  let totalExpires = 1;
  let exitLoop = false;
  let rc = 0;
  send_pack(ctx, s, sock);
  while (!exitLoop) {
    const next = Math.min(nextTimer, timeoutAt);
    if (!packet_sys_poll(sock) && sim.now < next) {
      yield waitOn(packet_sys_poll_wait(sock), next === Infinity ? -1 : next - sim.now);
    }
    const now = sim.now;
    // the ready descriptors, in pollfd order: interval timer, timeout, socket
    if (now >= nextTimer) {
      const exp = Math.floor((now - nextTimer) / intervalNs) + 1;
      nextTimer += exp * intervalNs;
      totalExpires += exp;
      if (s.count > 0 && s.count < totalExpires) exitLoop = true;
      else send_pack(ctx, s, sock);
    }
    if (now >= timeoutAt) exitLoop = true;
    while (packet_sys_poll(sock)) {
      const m = packet_sys_recvmsg(sock);
      if (typeof m === 'number') {
        ctx.stderr.write(`arping: recvfrom: ${strerror(-m)}\n`);
        if (-m === 100) rc = 2;
        break;
      }
      if (recv_pack(ctx, s, m.data, m.from, out) === FINAL_PACKS) exitLoop = true;
      // one recvfrom() per poll(): a second frame waits for the next round
      if (exitLoop) break;
    }
  }
  return loop_status(s, finish(s, out), rc);
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

function get32(b: Uint8Array, o: number): number {
  return (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;
}

export function registerArping(commands: Map<string, Command>): void {
  commands.set('arping', arping);
}
