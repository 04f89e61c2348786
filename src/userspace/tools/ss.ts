// ss from iproute2 6.1: TCP, UDP and raw sockets of the namespace as
// sock_diag dumps them (listeners first, then the established table), with
// its state filters and the column layout render() computes when the
// output is not a terminal (each column as wide as its widest entry).
import { ipv4ToString } from '../../wire/ipv4.ts';
import { AF_INET, IPPROTO_RAW, IPPROTO_TCP, IPPROTO_UDP } from '../../kernel/uapi/socket.ts';
import {
  INET_DIAG_SKMEMINFO,
  type InetDiagMsg,
  proc_net_sockstat,
  snmp_tcp_curr_estab,
  sock_diag_dump,
} from '../../kernel/uapi/sock_diag.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { Getopt, type LongOption, no_argument, required_argument } from '../getopt.ts';
import { getAddrIpv4 } from './ip/common.ts';
import { getservbyname, getservbyport } from './netdb.ts';

// include/net/tcp_states.h
const TCP_ESTABLISHED = 1;
const TCP_SYN_RECV = 3;
const TCP_TIME_WAIT = 6;
const TCP_CLOSE = 7;
const TCP_LISTEN = 10;

// SS_* state numbers are the TCP states; SS_CLOSE is UNCONN
const SS_MAX = 13;
const SS_ALL = (1 << SS_MAX) - 1;
const SS_CONN = SS_ALL & ~((1 << TCP_LISTEN) | (1 << TCP_CLOSE) | (1 << TCP_TIME_WAIT) | (1 << TCP_SYN_RECV));
const STATE_NAME = [
  'UNKNOWN',
  'ESTAB',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'UNCONN',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
];
const STATE_NAMEL = [
  'UNKNOWN',
  'established',
  'syn-sent',
  'syn-recv',
  'fin-wait-1',
  'fin-wait-2',
  'time-wait',
  'unconnected',
  'close-wait',
  'last-ack',
  'listening',
  'closing',
];

const TCP_DB = 0;
const UDP_DB = 1;
const RAW_DB = 2;
/** Tables this kernel has no sockets in (unix, packet, ...; the families have several each): only their columns count. */
const OTHER_DB = 3;
const OTHER_DB2 = 4;
const DB_STATES = [SS_CONN, 1 << TCP_ESTABLISHED, 1 << TCP_ESTABLISHED, SS_CONN, SS_CONN];

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
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
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
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

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

const FAM_INET = 1 << 2;
const FAM_INET6 = 1 << 10;
/** -f FAMILY */
const FAMILIES: Record<string, number> = {
  inet: FAM_INET,
  inet6: FAM_INET6,
  link: 1 << 17,
  unix: 1 << 1,
  netlink: 1 << 16,
  vsock: 1 << 12,
  tipc: 1 << 30,
  xdp: 1 << 29,
};
/** -A QUERY: the tables each name selects */
const QUERIES: Record<string, number[]> = {
  all: [TCP_DB, UDP_DB, RAW_DB, 3],
  inet: [TCP_DB, UDP_DB, RAW_DB],
  tcp: [TCP_DB],
  udp: [UDP_DB],
  raw: [RAW_DB],
  mptcp: [3],
  unix: [3],
  unix_dgram: [3],
  unix_stream: [3],
  unix_seqpacket: [3],
  packet: [3],
  packet_raw: [3],
  packet_dgram: [3],
  netlink: [3],
  dccp: [3],
  sctp: [3],
  vsock_stream: [3],
  vsock_dgram: [3],
  tipc: [3],
  xdp: [3],
};

/** ss's long options (iproute2 6.1 misc/ss.c long_opts). */
const OPT_TIPCSOCK = 257;
const OPT_TIPCINFO = 258;
const OPT_TOS = 259;
const OPT_CGROUP = 260;
const OPT_XDPSOCK = 261;
const OPT_INET_SOCKOPT = 262;
const OPT_VSOCK = 263;
const LONG_OPTS: readonly LongOption[] = [
  { name: 'numeric', has_arg: no_argument, val: 'n' },
  { name: 'resolve', has_arg: no_argument, val: 'r' },
  { name: 'options', has_arg: no_argument, val: 'o' },
  { name: 'extended', has_arg: no_argument, val: 'e' },
  { name: 'memory', has_arg: no_argument, val: 'm' },
  { name: 'info', has_arg: no_argument, val: 'i' },
  { name: 'processes', has_arg: no_argument, val: 'p' },
  { name: 'threads', has_arg: no_argument, val: 'T' },
  { name: 'bpf', has_arg: no_argument, val: 'b' },
  { name: 'events', has_arg: no_argument, val: 'E' },
  { name: 'dccp', has_arg: no_argument, val: 'd' },
  { name: 'tcp', has_arg: no_argument, val: 't' },
  { name: 'sctp', has_arg: no_argument, val: 'S' },
  { name: 'udp', has_arg: no_argument, val: 'u' },
  { name: 'raw', has_arg: no_argument, val: 'w' },
  { name: 'unix', has_arg: no_argument, val: 'x' },
  { name: 'tipc', has_arg: no_argument, val: OPT_TIPCSOCK },
  { name: 'vsock', has_arg: no_argument, val: OPT_VSOCK },
  { name: 'all', has_arg: no_argument, val: 'a' },
  { name: 'listening', has_arg: no_argument, val: 'l' },
  { name: 'ipv4', has_arg: no_argument, val: '4' },
  { name: 'ipv6', has_arg: no_argument, val: '6' },
  { name: 'packet', has_arg: no_argument, val: '0' },
  { name: 'family', has_arg: required_argument, val: 'f' },
  { name: 'socket', has_arg: required_argument, val: 'A' },
  { name: 'query', has_arg: required_argument, val: 'A' },
  { name: 'summary', has_arg: no_argument, val: 's' },
  { name: 'diag', has_arg: required_argument, val: 'D' },
  { name: 'filter', has_arg: required_argument, val: 'F' },
  { name: 'version', has_arg: no_argument, val: 'V' },
  { name: 'help', has_arg: no_argument, val: 'h' },
  { name: 'context', has_arg: no_argument, val: 'Z' },
  { name: 'contexts', has_arg: no_argument, val: 'z' },
  { name: 'net', has_arg: required_argument, val: 'N' },
  { name: 'tipcinfo', has_arg: no_argument, val: OPT_TIPCINFO },
  { name: 'tos', has_arg: no_argument, val: OPT_TOS },
  { name: 'cgroup', has_arg: no_argument, val: OPT_CGROUP },
  { name: 'kill', has_arg: no_argument, val: 'K' },
  { name: 'no-header', has_arg: no_argument, val: 'H' },
  { name: 'xdp', has_arg: no_argument, val: OPT_XDPSOCK },
  { name: 'mptcp', has_arg: no_argument, val: 'M' },
  { name: 'oneline', has_arg: no_argument, val: 'O' },
  { name: 'inet-sockopt', has_arg: no_argument, val: OPT_INET_SOCKOPT },
];
const OPTSTRING = 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO';

function run(ctx: ProcCtx): number {
  let numeric = false;
  let showProcesses = false;
  let showHeader = true;
  let doSummary = false;
  let showOptions = false;
  let showMem = false;
  /** filter_af_set(): the address families asked for (0: any) */
  let families = 0;
  let dbs = 0;
  let fstates = 0;
  let stateFilter = 0;
  let doDefault = true;
  const setDb = (db: number): void => {
    fstates |= DB_STATES[db] ?? 0;
    dbs |= 1 << db;
    doDefault = false;
  };
  const g = new Getopt(ctx.argv, OPTSTRING, LONG_OPTS, (m) => ctx.stderr.write(m));
  for (;;) {
    const c = g.next();
    if (c === -1) break;
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
      case 'x':
      case 'd':
      case 'S':
      case 'M':
      case '0':
      case OPT_TIPCSOCK:
      case OPT_VSOCK:
      case OPT_XDPSOCK:
        // families this kernel has no sockets of: their tables are empty
        setDb(OTHER_DB);
        setDb(OTHER_DB2);
        break;
      case '4':
        families |= FAM_INET;
        break;
      case '6':
        families |= FAM_INET6;
        break;
      case 'f': {
        const fam = FAMILIES[g.optarg ?? ''];
        if (fam === undefined) {
          ctx.stderr.write(`ss: "${g.optarg}" is invalid family\n${USAGE}`);
          throw new Exit(255);
        }
        families |= fam;
        break;
      }
      case 'A':
        for (const q of (g.optarg ?? '').split(',')) {
          const dbsOf = QUERIES[q];
          if (dbsOf === undefined) {
            ctx.stderr.write(`ss: "${q}" is illegal socket table id\n${USAGE}`);
            throw new Exit(255);
          }
          for (const db of dbsOf) setDb(db);
          if (dbsOf.includes(OTHER_DB)) setDb(OTHER_DB2);
        }
        break;
      case 'H':
        showHeader = false;
        break;
      case 's':
        doSummary = true;
        break;
      case 'o':
        showOptions = true;
        break;
      case 'm':
        showMem = true;
        break;
      case 'V':
      case 'v':
        ctx.stdout.write('ss utility, iproute2-6.1.0\n');
        throw new Exit(0);
      case 'h':
        ctx.stdout.write(USAGE);
        throw new Exit(0);
      case '?':
      case ':':
        ctx.stderr.write(USAGE);
        throw new Exit(255);
      default:
        // -r -4 -6 -e -o -i -m -O -T -b -E -Z -z -K -f -A -D -F -N and the long-only ones: accepted
        break;
    }
  }
  const operands = g.operands();
  const net = ctx.net;
  if (doSummary) {
    ctx.stdout.write(print_summary(ctx));
    if (doDefault && operands.length === 0) return 0;
  }
  // state and exclude expressions
  let sawStates = false;
  while (operands.length) {
    const w = operands[0] as string;
    if (w === 'state' || w === 'exclude' || w === 'excl') {
      const v = operands[1];
      if (v === undefined) {
        ctx.stderr.write('Command line is not complete. Try option "help"\n');
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
  const filter = operands.length ? ssfilter_parse(ctx, operands, dbs) : null;
  if (doDefault) {
    if (!stateFilter) stateFilter = SS_CONN;
    dbs = (1 << TCP_DB) | (1 << UDP_DB) | (1 << RAW_DB) | (1 << OTHER_DB);
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
  const users = (m: InetDiagMsg): string => {
    if (!showProcesses || !m.owner) return '';
    return ` users:(("${m.owner.comm}",pid=${m.owner.pid},fd=${m.owner.fd}))`;
  };
  const dump = (db: number, protocol: number): void => {
    const ext = showMem ? 1 << (INET_DIAG_SKMEMINFO - 1) : 0;
    for (const m of sock_diag_dump(net, { sdiag_family: AF_INET, sdiag_protocol: protocol, idiag_ext: ext, idiag_states: fstates })) {
      const r: Row = {
        db,
        state: m.idiag_state,
        rq: m.idiag_rqueue,
        wq: m.idiag_wqueue,
        laddr: m.id.idiag_src,
        lport: m.id.idiag_sport,
        raddr: m.id.idiag_dst,
        rport: m.id.idiag_dport,
        users:
          users(m) +
          (showOptions && m.idiag_timer
            ? ` timer:(${TMR_NAME[m.idiag_timer] ?? 'unknown'},${print_ms_timer(m.idiag_expires)},${m.idiag_retrans})`
            : '') +
          (m.skmeminfo ? print_skmeminfo(m.skmeminfo) : ''),
      };
      if (filter && !run_ssfilter(filter, r)) continue;
      rows.push(r);
    }
  };
  // ss shows raw, then udp, then tcp (main's order of the *_show calls); every socket here is AF_INET
  const inet = !families || (families & FAM_INET) !== 0;
  if (inet && dbs & (1 << RAW_DB)) dump(RAW_DB, IPPROTO_RAW);
  if (inet && dbs & (1 << UDP_DB)) dump(UDP_DB, IPPROTO_UDP);
  if (inet && dbs & (1 << TCP_DB)) dump(TCP_DB, IPPROTO_TCP);
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
  return 0;
}

/** print_skmeminfo(), on its own line as ss prints it without -O. */
function print_skmeminfo(mi: readonly number[]): string {
  const [r, rb, t, tb, f, w, o, bl, d] = mi;
  return `\n\t skmem:(r${r},rb${rb},t${t},tb${tb},f${f},w${w},o${o},bl${bl},d${d})`;
}

const TMR_NAME = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];

/** print_ms_timer(): 1min30sec style, down to milliseconds. */
function print_ms_timer(timeout: number): string {
  let secs = Math.trunc(timeout / 1000);
  const minutes = Math.trunc(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let buf = '';
  if (minutes) {
    msecs = 0;
    buf = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    buf += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) buf += `${String(msecs).padStart(3, '0')}ms`;
  return buf;
}

/** print_summary(): /proc/net/sockstat and Tcp CurrEstab, as ss 6.1 prints them. */
function print_summary(ctx: ProcCtx): string {
  const s = { socks: 0, tcp4_hashed: 0, tcp_orphans: 0, tcp_tws: 0, tcp_total: 0, udp4: 0, raw4: 0, frag4: 0 };
  // get_sockstat_line()
  for (const line of proc_net_sockstat(ctx.net).split('\n')) {
    const [id, ...f] = line.split(' ');
    const n = (i: number): number => Number(f[i]) || 0;
    if (id === 'sockets:') s.socks = n(1);
    else if (id === 'UDP:') s.udp4 = n(1);
    else if (id === 'RAW:') s.raw4 = n(1);
    else if (id === 'FRAG:') s.frag4 = n(1);
    else if (id === 'TCP:') {
      s.tcp4_hashed = n(1);
      s.tcp_orphans = n(3);
      s.tcp_tws = n(5);
      s.tcp_total = n(7);
    }
  }
  const estab = snmp_tcp_curr_estab(ctx.net);
  const col = (v: number): string => String(v).padEnd(9);
  const row = (name: string, total: number, ip: number, ip6: number): string => `${name}\t  ${col(total)} ${col(ip)} ${col(ip6)}\n`;
  return (
    `Total: ${s.socks}\n` +
    `TCP:   ${s.tcp_total + s.tcp_tws} (estab ${estab}, closed ${s.tcp_total - (s.tcp4_hashed - s.tcp_tws)}, orphaned ${s.tcp_orphans}, timewait ${s.tcp_tws})\n` +
    '\n' +
    'Transport Total     IP        IPv6\n' +
    row('RAW', s.raw4, s.raw4, 0) +
    row('UDP', s.udp4, s.udp4, 0) +
    row('TCP', s.tcp4_hashed, s.tcp4_hashed, 0) +
    row('INET', s.raw4 + s.udp4 + s.tcp4_hashed, s.raw4 + s.udp4 + s.tcp4_hashed, 0) +
    row('FRAG', s.frag4, s.frag4, 0) +
    '\n'
  );
}

// ssfilter.y: the filter expression, parsed as its grammar does and run on
// every socket sock_diag returns (run_ssfilter).

/** struct aafilter: an address prefix (bitlen 0: any) and a port (-1: any). */
interface AaFilter {
  addr: number;
  bitlen: number;
  port: number;
}

type SsFilter =
  | { type: 'and' | 'or'; a: SsFilter; b: SsFilter }
  | { type: 'not'; a: SsFilter }
  | { type: 'dcond' | 'scond' | 'd_ge' | 'd_le' | 's_ge' | 's_le'; pred: AaFilter };

type Tok = '!' | '&' | '|' | '(' | ')' | 'dst' | 'src' | 'dport' | 'sport' | 'ge' | 'le' | 'ne' | '=' | '>' | '<' | { host: AaFilter };

const KEYWORDS: Record<string, Tok> = {
  '!': '!',
  not: '!',
  '&': '&',
  '&&': '&',
  and: '&',
  '|': '|',
  '||': '|',
  or: '|',
  '(': '(',
  ')': ')',
  dst: 'dst',
  src: 'src',
  dport: 'dport',
  sport: 'sport',
  '>=': 'ge',
  ge: 'ge',
  geq: 'ge',
  '<=': 'le',
  le: 'le',
  leq: 'le',
  '!=': 'ne',
  ne: 'ne',
  neq: 'ne',
  '=': '=',
  '==': '=',
  eq: '=',
  '>': '>',
  gt: '>',
  '<': '<',
  lt: '<',
};

/** parse_hostcond(): [ADDR[/PLEN]][:PORT] for src/dst, [:]PORT for sport/dport; null after printing the error. */
function parse_hostcond(ctx: ProcCtx, text: string, isPort: boolean, dbs: number): AaFilter | null {
  const a: AaFilter = { addr: 0, bitlen: 0, port: -1 };
  let addr = text;
  let port: string | null = null;
  if (isPort) {
    port = addr;
    addr = '';
  } else {
    const slash = addr.indexOf('/');
    const i = addr.lastIndexOf(':');
    if (i >= 0 && i > slash) {
      port = addr.slice(i);
      addr = addr.slice(0, i);
    }
  }
  if (port !== null) {
    if (port.startsWith(':')) port = port.slice(1);
    if (port !== '' && port !== '*') {
      if (/^[-+]?\d+$/.test(port)) a.port = Number(port);
      else {
        const udp = dbs & (1 << UDP_DB) ? getservbyname(port, 'udp') : null;
        const tcp = dbs & (1 << TCP_DB) ? getservbyname(port, 'tcp') : null;
        if (udp !== null && tcp !== null && udp !== tcp) {
          ctx.stderr.write(`Error: ambiguous port "${port}".\n`);
          return null;
        }
        const p = udp ?? tcp;
        if (p === null) {
          ctx.stderr.write(`Error: "${port}" does not look like a port.\n`);
          return null;
        }
        a.port = p;
      }
    }
  }
  if (!isPort && addr !== '' && addr !== '*') {
    // get_prefix_1(): iproute2's dotted form ("10" is 10.0.0.0), full length unless /PLEN
    const slash = addr.indexOf('/');
    const host = slash >= 0 ? addr.slice(0, slash) : addr;
    const plen = slash >= 0 ? addr.slice(slash + 1) : '32';
    const v = host === 'localhost' ? 0x7f000001 : getAddrIpv4(host);
    if (v === null || !/^\d+$/.test(plen) || Number(plen) > 32) {
      ctx.stderr.write(`Error: an inet prefix is expected rather than "${addr}".\n`);
      return null;
    }
    a.addr = v;
    a.bitlen = Number(plen);
  }
  return a;
}

/** ssfilter_parse(): the grammar of ssfilter.y ('|' below '&' below '!'; two expressions side by side are '&'). */
function ssfilter_parse(ctx: ProcCtx, argv: string[], dbs: number): SsFilter {
  const words = argv.flatMap((w) => w.split(/[ \t\n]+/).filter((x) => x !== ''));
  let pos = 0;
  let portCtx = false;
  let peeked: Tok | null | undefined;
  // yylex(): keywords, else a host condition for whatever came before
  const lex = (): Tok | null => {
    const w = words[pos];
    if (w === undefined) return null;
    pos++;
    const k = KEYWORDS[w];
    if (k) {
      // tok_type: what the next host condition is for
      if (k === 'sport' || k === 'dport') portCtx = true;
      else if (k === 'src' || k === 'dst') portCtx = false;
      return k;
    }
    const h = parse_hostcond(ctx, w, portCtx, dbs);
    if (!h) {
      ctx.stderr.write('Cannot parse dst/src address.\n');
      throw new Exit(1);
    }
    return { host: h };
  };
  const peek = (): Tok | null => {
    if (peeked === undefined) peeked = lex();
    return peeked;
  };
  const next = (): Tok | null => {
    const t = peek();
    peeked = undefined;
    return t;
  };
  const fail = (): never => {
    ctx.stderr.write(`ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n${USAGE}`);
    throw new Exit(255);
  };
  const host = (): AaFilter => {
    const t = next();
    if (t === null || typeof t === 'string') return fail();
    return t.host;
  };
  const startsExpr = (t: Tok | null): boolean => t === '!' || t === '(' || t === 'dst' || t === 'src' || t === 'dport' || t === 'sport';
  const cond = (): SsFilter => {
    const t = next();
    if (t === 'dst') return { type: 'dcond', pred: host() };
    if (t === 'src') return { type: 'scond', pred: host() };
    if (t === 'dport' || t === 'sport') {
      const d = t === 'dport';
      const op = next();
      const pred = host();
      switch (op) {
        case 'ge':
          return { type: d ? 'd_ge' : 's_ge', pred };
        case 'le':
          return { type: d ? 'd_le' : 's_le', pred };
        case '>':
          return { type: 'not', a: { type: d ? 'd_le' : 's_le', pred } };
        case '<':
          return { type: 'not', a: { type: d ? 'd_ge' : 's_ge', pred } };
        case '=':
          return { type: d ? 'dcond' : 'scond', pred };
        case 'ne':
          return { type: 'not', a: { type: d ? 'dcond' : 'scond', pred } };
        default:
          return fail();
      }
    }
    return fail();
  };
  const unary = (): SsFilter => {
    const t = peek();
    if (t === '!') {
      next();
      return { type: 'not', a: unary() };
    }
    if (t === '(') {
      next();
      const e = or();
      if (next() !== ')') fail();
      return e;
    }
    return cond();
  };
  const and = (): SsFilter => {
    let e = unary();
    for (;;) {
      const t = peek();
      if (t === '&') next();
      else if (!startsExpr(t)) return e;
      e = { type: 'and', a: e, b: unary() };
    }
  };
  const or = (): SsFilter => {
    let e = and();
    while (peek() === '|') {
      next();
      e = { type: 'or', a: e, b: and() };
    }
    return e;
  };
  const e = or();
  if (peek() !== null) fail();
  return e;
}

/** inet2_addr_match(): the first bitlen bits agree. */
function addrMatch(a: number, prefix: number, bitlen: number): boolean {
  if (bitlen <= 0) return true;
  const mask = bitlen >= 32 ? 0xffffffff : (~0 << (32 - bitlen)) >>> 0;
  return (a & mask) >>> 0 === (prefix & mask) >>> 0;
}

/** run_ssfilter() */
function run_ssfilter(f: SsFilter, r: Row): boolean {
  switch (f.type) {
    case 'and':
      return run_ssfilter(f.a, r) && run_ssfilter(f.b, r);
    case 'or':
      return run_ssfilter(f.a, r) || run_ssfilter(f.b, r);
    case 'not':
      return !run_ssfilter(f.a, r);
    case 'dcond':
      if (f.pred.port !== -1 && f.pred.port !== r.rport) return false;
      return addrMatch(r.raddr, f.pred.addr, f.pred.bitlen);
    case 'scond':
      if (f.pred.port !== -1 && f.pred.port !== r.lport) return false;
      return addrMatch(r.laddr, f.pred.addr, f.pred.bitlen);
    case 'd_ge':
      return r.rport >= f.pred.port;
    case 'd_le':
      return r.rport <= f.pred.port;
    case 's_ge':
      return r.lport >= f.pred.port;
    case 's_le':
      return r.lport <= f.pred.port;
  }
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
