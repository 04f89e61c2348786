// conntrack-tools 1.4.7 `conntrack`: list (-L), delete (-D), flush (-F),
// count (-C) and watch (-E) the namespace's connection tracking table through
// ctnetlink (src/kernel/uapi/nfnetlink_conntrack.ts), with the filters and the
// output of libnetfilter_conntrack's default format. Options go through
// getopt_long as conntrack.c parses them (the protocol's options join the table
// once -p names it). The summary goes to stderr at once while the entries sit
// in stdout's buffer until exit, so the summary comes first in a captured
// transcript, as with the real tool.
import { ipv4ToString } from '../../wire/ipv4.ts';
import { type Proc, sleep, WaitQueue, waitOn } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { IPS_ASSURED, IPS_SEEN_REPLY } from '../../kernel/uapi/nf_conntrack_common.ts';
import {
  type CtaConntrack,
  type CtaTuple,
  type CtEvent,
  ctnl_count,
  ctnl_delete,
  ctnl_dump,
  ctnl_flush,
  ctnl_subscribe,
  ctnl_unsubscribe,
  IPCTNL_MSG_CT_DELETE,
} from '../../kernel/uapi/nfnetlink_conntrack.ts';
import { Getopt, type LongOption } from '../getopt.ts';
import { inet_aton } from '../libc/inet.ts';

const PROG = 'conntrack v1.4.7 (conntrack-tools)';
const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";

const PROTOS: Record<string, number> = { tcp: 6, udp: 17, udplite: 136, icmp: 1, icmpv6: 58, sctp: 132, gre: 47, dccp: 33 };

const USAGE = `Command line interface for the connection tracking system. Version 1.4.7
Usage: conntrack [commands] [options]

Commands:
  -L [table] [options]\t\tList conntrack or expectation table
  -G [table] parameters\t\tGet conntrack or expectation
  -D [table] parameters\t\tDelete conntrack or expectation
  -I [table] parameters\t\tCreate a conntrack or expectation
  -U [table] parameters\t\tUpdate a conntrack
  -E [table] [options]\t\tShow events
  -F [table]\t\t\tFlush table
  -C [table]\t\t\tShow counter
  -S\t\t\t\tShow statistics

Tables: conntrack, expect, dying, unconfirmed

Conntrack parameters and options:
  -n, --src-nat ip\t\t\tsource NAT ip
  -g, --dst-nat ip\t\t\tdestination NAT ip
  -j, --any-nat ip\t\t\tsource or destination NAT ip
  -m, --mark mark\t\t\tSet mark
  -c, --secmark secmark\t\t\tSet selinux secmark
  -e, --event-mask eventmask\t\tEvent mask, eg. NEW,DESTROY
  -z, --zero \t\t\t\tZero counters while listing
  -o, --output type[,...]\t\tOutput format, eg. xml
  -l, --label label[,...]\t\tconntrack labels

Expectation parameters and options:
  --tuple-src ip\tSource address in expect tuple
  --tuple-dst ip\tDestination address in expect tuple

Updating parameters and options:
  --label-add label\tAdd label
  --label-del label\tDelete label

Common parameters and options:
  -s, --src, --orig-src ip\t\tSource address from original direction
  -d, --dst, --orig-dst ip\t\tDestination address from original direction
  -r, --reply-src ip\t\tSource addres from reply direction
  -q, --reply-dst ip\t\tDestination address from reply direction
  -p, --protonum proto\t\tLayer 4 Protocol, eg. 'tcp'
  -f, --family proto\t\tLayer 3 Protocol, eg. 'ipv6'
  -t, --timeout timeout\t\tSet timeout
  -u, --status status\t\tSet status, eg. ASSURED
  -w, --zone value\t\tSet conntrack zone
  --orig-zone value\t\tSet zone for original direction
  --reply-zone value\t\tSet zone for reply direction
  -b, --buffer-size\t\tNetlink socket buffer size
  --mask-src ip\t\t\tSource mask address
  --mask-dst ip\t\t\tDestination mask address

`;

const ip = ipv4ToString;

/** libnetfilter_conntrack's protocol names. */
function l4protoName(p: number): string {
  return { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp', 136: 'udplite', 47: 'gre' }[p] ?? 'unknown';
}

/** tcp_state names as libnetfilter_conntrack prints them. */
const TCP_STATES = [
  'NONE',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSE',
  'SYN_SENT2',
] as const;

interface Filter {
  proto: number;
  origSrc: number | null;
  origDst: number | null;
  replSrc: number | null;
  replDst: number | null;
  sport: number | null;
  dport: number | null;
  replSport: number | null;
  replDport: number | null;
  state: number | null;
  mark: [number, number] | null;
  zone: number | null;
  family: string;
  /** -s/-d that did not parse as an address: nothing matches. */
  none: boolean;
}

class CtError extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

function tupleText(t: CtaTuple): string {
  let s = `src=${ip(t.src)} dst=${ip(t.dst)} `;
  if (t.proto === 1) s += `type=${t.icmpType} code=${t.icmpCode} id=${t.icmpId} `;
  else if (t.proto === 6 || t.proto === 17 || t.proto === 136 || t.proto === 132 || t.proto === 33)
    s += `sport=${t.sport} dport=${t.dport} `;
  return s;
}

/** An event as `conntrack -E` prints it: the type, the entry (mark only when the message has it, no use count). */
function conntrackEventLine(ev: CtEvent): string {
  const ct = ev.ct;
  const type = ev.type === IPCTNL_MSG_CT_DELETE ? '[DESTROY]' : ev.created ? '[NEW]' : '[UPDATE]';
  let s = `${type.padStart(9)} ${l4protoName(ct.orig.proto).padEnd(8)} ${ct.orig.proto} ${ct.timeout} `;
  if (ct.tcpState !== null) s += `${TCP_STATES[ct.tcpState]} `;
  s += tupleText(ct.orig);
  if (!(ct.status & IPS_SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tupleText(ct.reply);
  if (ct.status & IPS_ASSURED) s += '[ASSURED] ';
  if (ev.markAttr) s += `mark=${ct.mark} `;
  if (ct.zone) s += `zone=${ct.zone} `;
  if (ev.portid) s += `[USERSPACE] portid=${ev.portid} `;
  return s.trimEnd();
}

/** __snprintf_conntrack_default() of libnetfilter_conntrack. */
function conntrackLine(ct: CtaConntrack, extended: boolean): string {
  let s = extended ? `${'ipv4'.padEnd(8)} 2 ` : '';
  s += `${l4protoName(ct.orig.proto).padEnd(8)} ${ct.orig.proto} `;
  s += `${ct.timeout} `;
  if (ct.tcpState !== null) s += `${TCP_STATES[ct.tcpState]} `;
  s += tupleText(ct.orig);
  if (!(ct.status & IPS_SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tupleText(ct.reply);
  if (ct.status & IPS_ASSURED) s += '[ASSURED] ';
  s += `mark=${ct.mark} `;
  if (ct.zone) s += `zone=${ct.zone} `;
  s += `use=${ct.use}`;
  return s;
}

function matches(ct: CtaConntrack, f: Filter): boolean {
  if (f.none) return false;
  const o = ct.orig;
  const r = ct.reply;
  if (f.family !== 'ipv4') return false;
  if (f.proto && o.proto !== f.proto) return false;
  if (f.origSrc !== null && o.src !== f.origSrc) return false;
  if (f.origDst !== null && o.dst !== f.origDst) return false;
  if (f.replSrc !== null && r.src !== f.replSrc) return false;
  if (f.replDst !== null && r.dst !== f.replDst) return false;
  if (f.sport !== null && o.sport !== f.sport) return false;
  if (f.dport !== null && o.dport !== f.dport) return false;
  if (f.replSport !== null && r.sport !== f.replSport) return false;
  if (f.replDport !== null && r.dport !== f.replDport) return false;
  if (f.state !== null && ct.tcpState !== f.state) return false;
  if (f.mark && (ct.mark & f.mark[1]) >>> 0 !== f.mark[0]) return false;
  if (f.zone !== null && ct.zone !== f.zone) return false;
  return true;
}

/** conntrack.c original_opts[] and getopt_str. */
const OPTS: LongOption[] = [
  { name: 'dump', has_arg: 2, val: 'L' },
  { name: 'create', has_arg: 2, val: 'I' },
  { name: 'add', has_arg: 2, val: 'A' },
  { name: 'delete', has_arg: 2, val: 'D' },
  { name: 'update', has_arg: 2, val: 'U' },
  { name: 'get', has_arg: 2, val: 'G' },
  { name: 'flush', has_arg: 2, val: 'F' },
  { name: 'event', has_arg: 2, val: 'E' },
  { name: 'counter', has_arg: 2, val: 'C' },
  { name: 'stats', has_arg: 0, val: 'S' },
  { name: 'version', has_arg: 0, val: 'V' },
  { name: 'help', has_arg: 0, val: 'h' },
  { name: 'orig-src', has_arg: 1, val: 's' },
  { name: 'src', has_arg: 1, val: 's' },
  { name: 'orig-dst', has_arg: 1, val: 'd' },
  { name: 'dst', has_arg: 1, val: 'd' },
  { name: 'reply-src', has_arg: 1, val: 'r' },
  { name: 'reply-dst', has_arg: 1, val: 'q' },
  { name: 'protonum', has_arg: 1, val: 'p' },
  { name: 'timeout', has_arg: 1, val: 't' },
  { name: 'status', has_arg: 1, val: 'u' },
  { name: 'zero', has_arg: 0, val: 'z' },
  { name: 'event-mask', has_arg: 1, val: 'e' },
  { name: 'tuple-src', has_arg: 1, val: '[' },
  { name: 'tuple-dst', has_arg: 1, val: ']' },
  { name: 'mask-src', has_arg: 1, val: '{' },
  { name: 'mask-dst', has_arg: 1, val: '}' },
  { name: 'nat-range', has_arg: 1, val: 'a' },
  { name: 'mark', has_arg: 1, val: 'm' },
  { name: 'secmark', has_arg: 1, val: 'c' },
  { name: 'id', has_arg: 2, val: 'i' },
  { name: 'family', has_arg: 1, val: 'f' },
  { name: 'src-nat', has_arg: 2, val: 'n' },
  { name: 'dst-nat', has_arg: 2, val: 'g' },
  { name: 'output', has_arg: 1, val: 'o' },
  { name: 'buffer-size', has_arg: 1, val: 'b' },
  { name: 'any-nat', has_arg: 2, val: 'j' },
  { name: 'zone', has_arg: 1, val: 'w' },
  { name: 'label', has_arg: 1, val: 'l' },
  { name: 'label-add', has_arg: 1, val: '<' },
  { name: 'label-del', has_arg: 2, val: '>' },
  { name: 'orig-zone', has_arg: 1, val: '(' },
  { name: 'reply-zone', has_arg: 1, val: ')' },
];
const OPTSTRING = ':L::I::U::D::G::E::F::A::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):';

/** The options a protocol module adds once -p names it (libct_proto_tcp/udp/icmp opts[]), with vals of their own. */
const PROTO_OPTS: Record<number, LongOption[]> = {
  6: [
    { name: 'orig-port-src', has_arg: 1, val: 1001 },
    { name: 'orig-port-dst', has_arg: 1, val: 1002 },
    { name: 'reply-port-src', has_arg: 1, val: 1003 },
    { name: 'reply-port-dst', has_arg: 1, val: 1004 },
    { name: 'mask-port-src', has_arg: 1, val: 1005 },
    { name: 'mask-port-dst', has_arg: 1, val: 1006 },
    { name: 'state', has_arg: 1, val: 1007 },
    { name: 'tuple-port-src', has_arg: 1, val: 1008 },
    { name: 'tuple-port-dst', has_arg: 1, val: 1009 },
    { name: 'sport', has_arg: 1, val: 1001 },
    { name: 'dport', has_arg: 1, val: 1002 },
  ],
  17: [
    { name: 'orig-port-src', has_arg: 1, val: 1001 },
    { name: 'orig-port-dst', has_arg: 1, val: 1002 },
    { name: 'reply-port-src', has_arg: 1, val: 1003 },
    { name: 'reply-port-dst', has_arg: 1, val: 1004 },
    { name: 'mask-port-src', has_arg: 1, val: 1005 },
    { name: 'mask-port-dst', has_arg: 1, val: 1006 },
    { name: 'tuple-port-src', has_arg: 1, val: 1008 },
    { name: 'tuple-port-dst', has_arg: 1, val: 1009 },
    { name: 'sport', has_arg: 1, val: 1001 },
    { name: 'dport', has_arg: 1, val: 1002 },
  ],
};

const COMMANDS = 'LIUDGEFACS';

/**
 * What one `conntrack` process takes from its exec to its netlink request:
 * about 3 ms on the oracle's machine (strace -ttt: execve to sendto). The
 * entries it lists have aged by then: a TIME_WAIT entry updated by the last
 * ACK of a close lists as 119 s, not 120 (ctnetlink_dump_timeout() divides
 * the jiffies left by HZ, truncating).
 */
const CONNTRACK_EXEC_NS = 3_000_000;

function* conntrack(ctx: ProcCtx): Proc {
  const argv = ctx.argv;
  if (argv.length <= 1) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  const f: Filter = {
    proto: 0,
    origSrc: null,
    origDst: null,
    replSrc: null,
    replDst: null,
    sport: null,
    dport: null,
    replSport: null,
    replDport: null,
    state: null,
    mark: null,
    zone: null,
    family: 'ipv4',
    none: false,
  };
  let cmd = '';
  let extended = false;
  /** -L expect: the expectation table (always empty here). */
  let expect = false;
  /** -e: the event types to show (1 NEW, 2 UPDATE, 4 DESTROY). */
  let eventMask = 7;
  try {
    const g = new Getopt(argv, OPTSTRING, OPTS);
    for (;;) {
      const c = g.next();
      if (c === -1) break;
      const arg = g.optarg ?? '';
      const given = argv[g.optind - 1] as string;
      if (typeof c === 'string' && COMMANDS.includes(c)) {
        if (cmd) throw new CtError(`${PROG}: Invalid commands combination\n${TRY}`);
        cmd = c;
        // check_type(): an optional table name, attached or the next word
        let table: string | undefined = g.optarg;
        if (table === undefined && c !== 'S') {
          const n = argv[g.optind];
          if (n !== undefined && !n.startsWith('-')) {
            table = n;
            g.optind++;
          }
        }
        if (table !== undefined && table !== '') {
          if ('expect'.startsWith(table)) expect = true;
          else if ('conntrack'.startsWith(table)) continue;
          else if ('dying'.startsWith(table) || 'unconfirmed'.startsWith(table)) f.none = true;
          else throw new CtError(`${PROG}: unknown type \`${table}'\n${TRY}`);
        }
        continue;
      }
      // parse_inetaddr(): inet_aton, then (not simulated) inet_pton(AF_INET6)
      const addr = (): number => {
        const n = inet_aton(arg, false);
        if (n === null) throw new CtError(`${PROG}: Invalid IP address \`${arg}'\n${TRY}`);
        return n;
      };
      switch (c) {
        case 'V':
          ctx.stdout.write(`${PROG}\n`);
          return 0;
        case 'h':
          ctx.stdout.write(USAGE);
          return 0;
        case 'p': {
          const n = PROTOS[arg.toLowerCase()] ?? (/^\d+$/.test(arg) ? Number(arg) : -1);
          if (n < 0 || n > 255) throw new CtError(`${PROG}: \`${arg}' unsupported protocol\n${TRY}`);
          f.proto = n;
          // the protocol module's options join getopt's table
          g.setLongopts([...OPTS, ...(PROTO_OPTS[n] ?? [])]);
          break;
        }
        case 's':
          f.origSrc = addr();
          break;
        case 'd':
          f.origDst = addr();
          break;
        case 'r':
          f.replSrc = addr();
          break;
        case 'q':
          f.replDst = addr();
          break;
        case 1001:
          f.sport = Number(arg) & 0xffff;
          break;
        case 1002:
          f.dport = Number(arg) & 0xffff;
          break;
        case 1003:
          f.replSport = Number(arg) & 0xffff;
          break;
        case 1004:
          f.replDport = Number(arg) & 0xffff;
          break;
        case 1007: {
          const v = arg.toUpperCase();
          const k = TCP_STATES.indexOf(v as (typeof TCP_STATES)[number]);
          if (k < 0) throw new CtError(`${PROG}: unknown TCP state \`${arg}'\n${TRY}`);
          f.state = k;
          break;
        }
        case 'm': {
          const [x, y] = arg.split('/');
          const num = (s: string): number => (/^0x/i.test(s) ? parseInt(s, 16) : Number(s)) >>> 0;
          f.mark = [num(x ?? ''), y === undefined ? 0xffffffff : num(y)];
          break;
        }
        case 'w':
          f.zone = Number(arg);
          break;
        case 'f':
          if (arg !== 'ipv4' && arg !== 'ipv6') throw new CtError(`${PROG}: \`${arg}' unsupported protocol\n${TRY}`);
          f.family = arg;
          break;
        case 'o':
          for (const o of arg.split(',')) {
            if (o === 'extended') extended = true;
            else if (
              o !== 'id' &&
              o !== 'timestamp' &&
              o !== 'ktimestamp' &&
              o !== 'labels' &&
              o !== 'userspace' &&
              o !== 'xml' &&
              o !== 'save'
            )
              throw new CtError(`${PROG}: Bad parameter \`${o}'\n${TRY}`);
          }
          break;
        case 'e':
          eventMask = 0;
          for (const e of arg.split(',')) {
            const bit = ({ NEW: 1, UPDATE: 2, DESTROY: 4, ALL: 7 } as Record<string, number>)[e.toUpperCase()];
            if (bit === undefined) throw new CtError(`${PROG}: Bad parameter \`${e}'\n${TRY}`);
            eventMask |= bit;
          }
          break;
        case 'n':
        case 'z':
          break;
        case ':':
          throw new CtError(`${PROG}: option \`${given}' requires an argument\n${TRY}`);
        case '?':
          throw new CtError(`${PROG}: unknown option \`${g.optopt ? `-${g.optopt}` : given}'\n${TRY}`);
        default:
          throw new CtError(`${PROG}: unknown option \`${given}'\n${TRY}`);
      }
    }
  } catch (e) {
    if (e instanceof CtError) {
      ctx.stderr.write(e.text);
      return 2;
    }
    throw e;
  }
  const net = ctx.net;
  // the process's start (exec, libnetfilter_conntrack's socket) before its request reaches the kernel
  yield sleep(CONNTRACK_EXEC_NS);
  switch (cmd) {
    case 'C':
      ctx.stdout.write(`${ctnl_count(net)}\n`);
      return 0;
    case 'F':
      ctnl_flush(net);
      ctx.stderr.write(`${PROG}: connection tracking table has been emptied.\n`);
      return 0;
    case 'D': {
      const hit = ctnl_dump(net).filter((ct) => matches(ct, f));
      const lines = hit.map((ct) => `${conntrackLine(ct, extended)}\n`).join('');
      // the netlink port of this process (autobind picks a random one)
      const portid = ctx.world.sim.rng.u32() || 1;
      for (const ct of hit) ctnl_delete(net, ct.id, portid);
      ctx.stderr.write(`${PROG}: ${hit.length} flow entries have been deleted.\n`);
      ctx.stdout.write(lines);
      return hit.length ? 0 : 1;
    }
    case 'L':
    case 'G': {
      if (expect) {
        ctx.stderr.write(`${PROG}: 0 expectations have been shown.\n`);
        return 0;
      }
      const hit = ctnl_dump(net).filter((ct) => matches(ct, f));
      ctx.stderr.write(`${PROG}: ${hit.length} flow entries have been shown.\n`);
      ctx.stdout.write(hit.map((ct) => `${conntrackLine(ct, extended)}\n`).join(''));
      return 0;
    }
    case 'E':
      return yield* events(ctx, f, eventMask);
    default:
      ctx.stderr.write(`skbpath: conntrack: ${cmd === 'S' ? '-S (statistics)' : 'this command'} is not simulated\n`);
      return 1;
  }
}

/**
 * conntrack -E: a netlink socket in the conntrack event groups; prints each
 * event as it comes (stdout is flushed per event) until a signal ends it, then
 * the count on stderr.
 */
function* events(ctx: ProcCtx, f: Filter, mask: number): Proc {
  const wq = new WaitQueue(0, 'conntrack events');
  const pending: string[] = [];
  let shown = 0;
  const sub = ctnl_subscribe(ctx.net, (ev) => {
    const bit = ev.type === IPCTNL_MSG_CT_DELETE ? 4 : ev.created ? 1 : 2;
    if (!(mask & bit) || !matches(ev.ct, f)) return;
    pending.push(`${conntrackEventLine(ev)}\n`);
    wq.wakeUp();
  });
  const flush = (): void => {
    for (const l of pending.splice(0)) {
      ctx.stdout.write(l);
      shown++;
    }
  };
  try {
    for (;;) {
      flush();
      yield waitOn(wq);
    }
  } finally {
    ctnl_unsubscribe(sub);
    flush();
    ctx.stderr.write(`${PROG}: ${shown} flow events have been shown.\n`);
  }
}

export function registerConntrack(commands: Map<string, Command>): void {
  commands.set('conntrack', conntrack);
}
