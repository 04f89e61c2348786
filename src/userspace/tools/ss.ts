// ss from iproute2 6.1: TCP, UDP and raw sockets of the namespace as
// sock_diag dumps them (listeners first, then the established table), with
// its state filters and the column layout render() computes when the
// output is not a terminal (each column as wide as its widest entry).
import { ipv4ToString } from '../../kernel/ipv4/addr.ts';
import {
  tcp_hashinfo,
  TCP_CLOSE,
  TCP_ESTABLISHED,
  TCP_LISTEN,
  TCP_NEW_SYN_RECV,
  TCP_SYN_RECV,
  TCP_TIME_WAIT,
  TcpSock,
} from '../../kernel/ipv4/tcp.ts';
import { IPPROTO_UDP, type Sock } from '../../kernel/sock.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { getservbyport } from './netdb.ts';

// SS_* state numbers are the TCP states; SS_CLOSE is UNCONN
const SS_MAX = 13;
const SS_ALL = (1 << SS_MAX) - 1;
const SS_CONN = SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE) | (1 << TCP_TIME_WAIT) | (1 << TCP_SYN_RECV));
const STATE_NAME = ['UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING'];
const STATE_NAMEL = ['UNKNOWN', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'unconnected', 'close-wait', 'last-ack', 'listening', 'closing'];

const TCP_DB = 0;
const UDP_DB = 1;
const RAW_DB = 2;
const DB_STATES = [SS_CONN, 1 << TCP_ESTABLISHED, 1 << TCP_ESTABLISHED];

enum Align {
  LEFT,
  RIGHT,
}

interface Column {
  align: Align;
  header: string;
  ldelim: string;
  disabled: boolean;
}

const COLUMNS: readonly Omit<Column, 'disabled'>[] = [
  { align: Align.LEFT, header: 'Netid', ldelim: '' },
  { align: Align.LEFT, header: 'State', ldelim: ' ' },
  { align: Align.LEFT, header: 'Recv-Q', ldelim: ' ' },
  { align: Align.LEFT, header: 'Send-Q', ldelim: ' ' },
  { align: Align.RIGHT, header: 'Local Address:', ldelim: ' ' },
  { align: Align.LEFT, header: 'Port', ldelim: '' },
  { align: Align.RIGHT, header: 'Peer Address:', ldelim: ' ' },
  { align: Align.LEFT, header: 'Port', ldelim: '' },
  { align: Align.LEFT, header: 'Process', ldelim: '' },
  { align: Align.LEFT, header: '', ldelim: '' },
];

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -i, --info          show internal TCP information
   -s, --summary       show socket usage summary
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display process SELinux security contexts
   -z, --contexts      display process and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|netlink|vsock_stream|vsock_dgram|tipc}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

/** One dumped socket, as sock_diag reports it. */
interface Row {
  db: number;
  state: number;
  rq: number;
  wq: number;
  laddr: number;
  lport: number;
  raddr: number;
  rport: number;
  users: string;
}

class Exit {
  constructor(readonly status: number) {}
}

/** scan_state() */
function scan_state(ctx: ProcCtx, s: string): number {
  const l = s.toLowerCase();
  if (l === 'close' || l === 'closed') return 1 << TCP_CLOSE;
  if (l === 'syn-rcv') return 1 << TCP_SYN_RECV;
  if (l === 'established') return 1 << TCP_ESTABLISHED;
  if (l === 'all') return SS_ALL;
  if (l === 'connected') return SS_ALL & ~((1 << TCP_CLOSE) | (1 << TCP_LISTEN));
  if (l === 'synchronized') return SS_ALL & ~((1 << TCP_CLOSE) | (1 << TCP_LISTEN) | (1 << 2));
  if (l === 'bucket') return (1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT);
  if (l === 'big') return SS_ALL & ~((1 << TCP_SYN_RECV) | (1 << TCP_TIME_WAIT));
  const i = STATE_NAMEL.indexOf(l);
  if (i > 0) return 1 << i;
  ctx.stderr.write(`ss: wrong state name: ${s}\n`);
  throw new Exit(255);
}

const ss: Command = function* (ctx: ProcCtx): Proc {
  try {
    return run(ctx);
  } catch (e) {
    if (e instanceof Exit) return e.status;
    throw e;
  }
};

function run(ctx: ProcCtx): number {
  let numeric = false;
  let showProcesses = false;
  let showHeader = true;
  let dbs = 0;
  let fstates = 0;
  let stateFilter = 0;
  let doDefault = true;
  const operands: string[] = [];
  const argv = ctx.argv;
  const setDb = (db: number): void => {
    fstates |= DB_STATES[db] as number;
    dbs |= 1 << db;
    doDefault = false;
  };
  const longs: Record<string, string> = {
    numeric: 'n',
    resolve: 'r',
    all: 'a',
    listening: 'l',
    processes: 'p',
    tcp: 't',
    udp: 'u',
    raw: 'w',
    'no-header': 'H',
    ipv4: '4',
    extended: 'e',
    options: 'o',
    info: 'i',
    memory: 'm',
    help: 'h',
    version: 'V',
  };
  const apply = (c: string): void => {
    switch (c) {
      case 'n':
        numeric = true;
        break;
      case 'a':
        stateFilter = SS_ALL;
        break;
      case 'l':
        stateFilter = (1 << TCP_LISTEN) | (1 << TCP_CLOSE);
        break;
      case 'p':
        showProcesses = true;
        break;
      case 't':
        setDb(TCP_DB);
        break;
      case 'u':
        setDb(UDP_DB);
        break;
      case 'w':
        setDb(RAW_DB);
        break;
      case 'H':
        showHeader = false;
        break;
      case 'r':
      case '4':
      case 'e':
      case 'o':
      case 'i':
      case 'm':
      case 'O':
      case 'T':
        break;
      case 'V':
      case 'v':
        ctx.stdout.write('ss utility, iproute2-6.1.0\n');
        throw new Exit(0);
      case 'h':
        ctx.stdout.write(USAGE);
        throw new Exit(0);
      default:
        ctx.stderr.write(`ss: invalid option -- '${c}'\n${USAGE}`);
        throw new Exit(255);
    }
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const c = longs[a.slice(2)];
      if (!c) {
        ctx.stderr.write(`ss: unrecognized option '${a}'\n${USAGE}`);
        return 255;
      }
      apply(c);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) apply(c);
      continue;
    }
    operands.push(a);
  }
  // state and exclude expressions
  let sawStates = false;
  while (operands.length) {
    const w = operands[0] as string;
    if (w === 'state' || w === 'exclude' || w === 'excl') {
      const v = operands[1];
      if (v === undefined) {
        ctx.stderr.write('Error: argument is missing.\n');
        return 255;
      }
      if (w === 'state') {
        if (!sawStates) stateFilter = 0;
        stateFilter |= scan_state(ctx, v);
      } else {
        if (!sawStates) stateFilter = SS_ALL;
        stateFilter &= ~scan_state(ctx, v);
      }
      sawStates = true;
      operands.splice(0, 2);
    } else break;
  }
  if (doDefault) {
    if (!stateFilter) stateFilter = SS_CONN;
    dbs = (1 << TCP_DB) | (1 << UDP_DB) | (1 << RAW_DB) | (1 << 3);
  }
  if (stateFilter) fstates = stateFilter;
  if (!fstates) {
    ctx.stderr.write('ss: no socket states to show with such filter.\n');
    return 0;
  }
  const columns: Column[] = COLUMNS.map((c) => ({ ...c, disabled: false }));
  if (!(dbs & (dbs - 1))) (columns[0] as Column).disabled = true;
  if (!(fstates & (fstates - 1))) (columns[1] as Column).disabled = true;

  const rows: Row[] = [];
  const net = ctx.net;
  const users = (sk: { owner?: string; ownerPid?: number; ownerFd?: number; dead?: boolean }): string => {
    if (!showProcesses || !sk.owner || sk.dead) return '';
    return ` users:(("${sk.owner}",pid=${sk.ownerPid ?? 0},fd=${sk.ownerFd ?? 0}))`;
  };
  if (dbs & (1 << RAW_DB)) {
    for (const sk of net.rawSockets) {
      const st = sk.daddr ? TCP_ESTABLISHED : TCP_CLOSE;
      if (!(fstates & (1 << st))) continue;
      rows.push({ db: RAW_DB, state: st, rq: sk.rcvQueueBytes, wq: 0, laddr: sk.rcvSaddr, lport: sk.protocol, raddr: sk.daddr, rport: 0, users: users(sk) });
    }
  }
  if (dbs & (1 << UDP_DB)) {
    const socks = [...net.udpSockets].sort((a, b) => a.sport - b.sport);
    for (const sk of socks) {
      const st = sk.connected ? TCP_ESTABLISHED : TCP_CLOSE;
      if (!(fstates & (1 << st))) continue;
      rows.push({ db: UDP_DB, state: st, rq: sk.rcvQueueBytes, wq: 0, laddr: sk.rcvSaddr, lport: sk.sport, raddr: sk.daddr, rport: sk.dport, users: users(sk) });
    }
  }
  if (dbs & (1 << TCP_DB)) {
    const h = tcp_hashinfo(net);
    if (fstates & (1 << TCP_LISTEN)) {
      for (const sk of h.listeners) {
        rows.push({ db: TCP_DB, state: TCP_LISTEN, rq: sk.acceptQueue.length, wq: sk.maxAckBacklog, laddr: sk.rcvSaddr, lport: sk.sport, raddr: 0, rport: 0, users: users(sk) });
      }
    }
    for (const e of h.ehash.values()) {
      if (e.kind === 'full') {
        const sk = e as TcpSock;
        if (sk.state === TCP_LISTEN || !(fstates & (1 << sk.state))) continue;
        const rq = Math.max((sk.rcvNxt - sk.copiedSeq) | 0, 0);
        const wq = (sk.writeSeq - sk.sndUna) >>> 0;
        rows.push({ db: TCP_DB, state: sk.state, rq, wq, laddr: sk.rcvSaddr, lport: sk.sport, raddr: sk.daddr, rport: sk.dport, users: users(sk) });
      } else if (e.kind === 'tw') {
        if (!(fstates & (1 << TCP_TIME_WAIT))) continue;
        rows.push({ db: TCP_DB, state: TCP_TIME_WAIT, rq: 0, wq: 0, laddr: e.rcvSaddr, lport: e.sport, raddr: e.daddr, rport: e.dport, users: '' });
      } else if (e.state === TCP_NEW_SYN_RECV) {
        if (!(fstates & (1 << TCP_SYN_RECV))) continue;
        rows.push({ db: TCP_DB, state: TCP_SYN_RECV, rq: 0, wq: 0, laddr: e.rcvSaddr, lport: e.sport, raddr: e.daddr, rport: e.dport, users: '' });
      }
    }
  }
  // the tokens out() writes, field by field; render() lays them out
  const tokens: string[][] = [];
  const port = (p: number, db: number): string => {
    if (p === 0) return '*';
    if (numeric || db === RAW_DB) return String(p);
    return getservbyport(p, db === UDP_DB ? 'udp' : 'tcp') ?? String(p);
  };
  if (showHeader) tokens.push([...columns.slice(0, -1).map((c) => c.header), '']);
  for (const r of rows) {
    tokens.push([
      r.db === TCP_DB ? 'tcp' : r.db === UDP_DB ? 'udp' : 'raw',
      STATE_NAME[r.state] as string,
      String(r.rq).padEnd(6),
      String(r.wq).padEnd(6),
      `${ipv4ToString(r.laddr)}:`,
      port(r.lport, r.db),
      `${ipv4ToString(r.raddr)}:`,
      r.db === RAW_DB ? '*' : port(r.rport, r.db),
      r.users,
      '',
    ]);
  }
  ctx.stdout.write(render(columns, tokens));
  void IPPROTO_UDP;
  return 0;
}

/**
 * render_calc_width() when stdout is not a tty (compact: every column as
 * wide as its widest token, plus its delimiter) and render(). The last
 * line's process token is still the open one when render() runs: it was
 * never flushed, so it does not count towards its column's width.
 */
function render(columns: Column[], lines: string[][]): string {
  if (!lines.length) return '';
  const n = columns.length;
  const lastLine = lines[lines.length - 1] as string[];
  if (lastLine.length === n) lastLine.pop();
  const maxLen = new Array<number>(n).fill(0);
  lines.forEach((l, li) => {
    for (let i = 0; i < l.length; i++) {
      if (columns[i]?.disabled) continue;
      if (li === lines.length - 1 && i === l.length - 1) continue;
      const t = l[i] as string;
      if (t.length > (maxLen[i] as number)) maxLen[i] = t.length;
    }
  });
  const width = new Array<number>(n).fill(0);
  let first = true;
  for (let i = 0; i < n; i++) {
    const c = columns[i] as Column;
    if (c.disabled) continue;
    if (!first && maxLen[i]) width[i] = (maxLen[i] as number) + c.ldelim.length;
    else width[i] = maxLen[i] as number;
    if (width[i]) first = false;
  }
  let out = '';
  for (const l of lines) {
    let started = false;
    for (let i = 0; i < l.length; i++) {
      const c = columns[i] as Column;
      if (c.disabled) continue;
      const t = l[i] as string;
      let printed = 0;
      if (started) {
        out += c.ldelim;
        printed = c.ldelim.length;
      }
      started = true;
      const w = width[i] as number;
      if (w && c.align === Align.RIGHT) {
        const s = w - t.length - printed;
        if (s > 0) out += ' '.repeat(s);
        if (s > 0) printed += s;
      }
      out += t;
      printed += t.length;
      if (w && c.align === Align.LEFT) {
        const s = w - printed;
        if (s > 0) out += ' '.repeat(s);
      }
    }
    out += '\n';
  }
  return out;
}

export function registerSs(commands: Map<string, Command>): void {
  commands.set('ss', ss);
}

export type { Sock };
