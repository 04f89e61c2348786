// conntrack-tools 1.4.7 `conntrack`: list (-L), delete (-D), flush (-F) and
// count (-C) the namespace's connection tracking table, with the filters and
// the output of libnetfilter_conntrack's default format. The summary goes to
// stderr at once while the entries sit in stdout's buffer until exit, so the
// summary comes first in a captured transcript, as with the real tool.
import { ipv4ToString } from '../../wire/ipv4.ts';
import { type Proc, WaitQueue, waitOn } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import {
  ct_net,
  type CtEventListener,
  IPCT_DESTROY,
  IPCT_MARK,
  IPCT_NEW,
  IPCT_RELATED,
  IPS_ASSURED,
  IPS_SEEN_REPLY,
  l4protoName,
  type NfConn,
  nf_ct_delete,
  nf_ct_entries,
  nf_ct_expires,
  TCP_CONNTRACK_NAMES,
} from '../../kernel/netfilter/nf_conntrack.ts';

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

function parseIp(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const p = m.slice(1).map(Number);
  if (p.some((x) => x > 255)) return null;
  return (((p[0] as number) << 24) | ((p[1] as number) << 16) | ((p[2] as number) << 8) | (p[3] as number)) >>> 0;
}

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

function tupleText(ct: NfConn, dir: number): string {
  const t = ct.tuplehash[dir] as NfConn['tuplehash'][0];
  let s = `src=${ip(t.src)} dst=${ip(t.dst)} `;
  if (t.proto === 1) s += `type=${t.dport >> 8} code=${t.dport & 0xff} id=${t.sport} `;
  else if (t.proto === 6 || t.proto === 17 || t.proto === 136 || t.proto === 132 || t.proto === 33) s += `sport=${t.sport} dport=${t.dport} `;
  return s;
}

/** An event as `conntrack -E` prints it: the type, the entry (mark only when set or changed, no use count). */
export function conntrackEventLine(ct: NfConn, events: number, portid: number): string {
  const HZ = ct.net.kernel.HZ;
  const type = events & (1 << IPCT_DESTROY) ? '[DESTROY]' : events & ((1 << IPCT_NEW) | (1 << IPCT_RELATED)) ? '[NEW]' : '[UPDATE]';
  let s = `${type.padStart(9)} ${l4protoName(ct.proto).padEnd(8)} ${ct.proto} ${Math.floor(nf_ct_expires(ct) / HZ)} `;
  if (ct.tcp) s += `${TCP_CONNTRACK_NAMES[ct.tcp.state]} `;
  s += tupleText(ct, 0);
  if (!(ct.status & IPS_SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tupleText(ct, 1);
  if (ct.status & IPS_ASSURED) s += '[ASSURED] ';
  if (ct.mark || events & (1 << IPCT_MARK)) s += `mark=${ct.mark} `;
  if (ct.zone) s += `zone=${ct.zone} `;
  if (portid) s += `[USERSPACE] portid=${portid} `;
  return s.trimEnd();
}

/** __snprintf_conntrack_default() of libnetfilter_conntrack. */
export function conntrackLine(ct: NfConn, extended: boolean): string {
  const HZ = ct.net.kernel.HZ;
  let s = extended ? `${'ipv4'.padEnd(8)} 2 ` : '';
  s += `${l4protoName(ct.proto).padEnd(8)} ${ct.proto} `;
  s += `${Math.floor(nf_ct_expires(ct) / HZ)} `;
  if (ct.tcp) s += `${TCP_CONNTRACK_NAMES[ct.tcp.state]} `;
  s += tupleText(ct, 0);
  if (!(ct.status & IPS_SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tupleText(ct, 1);
  if (ct.status & IPS_ASSURED) s += '[ASSURED] ';
  s += `mark=${ct.mark} `;
  if (ct.zone) s += `zone=${ct.zone} `;
  s += 'use=1';
  return s;
}

function matches(ct: NfConn, f: Filter): boolean {
  if (f.none) return false;
  const o = ct.tuplehash[0];
  const r = ct.tuplehash[1];
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
  if (f.state !== null && ct.tcp?.state !== f.state) return false;
  if (f.mark && ((ct.mark & f.mark[1]) >>> 0) !== f.mark[0]) return false;
  if (f.zone !== null && ct.zone !== f.zone) return false;
  return true;
}

const CMDS: Record<string, string> = {
  '-L': 'L',
  '--dump': 'L',
  '-D': 'D',
  '--delete': 'D',
  '-F': 'F',
  '--flush': 'F',
  '-C': 'C',
  '--count': 'C',
  '-E': 'E',
  '--event': 'E',
  '-G': 'G',
  '--get': 'G',
  '-S': 'S',
  '--stats': 'S',
};

function* conntrack(ctx: ProcCtx): Proc {
  const argv = ctx.argv.slice(1);
  if (argv.length === 0) {
    ctx.stdout.write(USAGE);
    return 0;
  }
  const f: Filter = { proto: 0, origSrc: null, origDst: null, replSrc: null, replDst: null, sport: null, dport: null, replSport: null, replDport: null, state: null, mark: null, zone: null, family: 'ipv4', none: false };
  let cmd = '';
  let extended = false;
  /** -e: the event types to show (1 NEW, 2 UPDATE, 4 DESTROY). */
  let eventMask = 7;
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      const next = (): string => {
        const v = argv[++i];
        if (v === undefined) throw new CtError(`${PROG}: option \`${a}' requires an argument\n${TRY}`);
        return v;
      };
      if (a === '-V' || a === '--version') {
        ctx.stdout.write(`${PROG}\n`);
        return 0;
      }
      if (a === '-h' || a === '--help') {
        ctx.stdout.write(USAGE);
        return 0;
      }
      const c = CMDS[a];
      if (c) {
        if (cmd) throw new CtError(`${PROG}: Invalid parameters\n${TRY}`);
        cmd = c;
        // an optional table name
        const t = argv[i + 1];
        if (t === 'conntrack') i++;
        else if (t === 'expect' || t === 'dying' || t === 'unconfirmed') {
          i++;
          f.none = true;
        }
        continue;
      }
      const addr = (): number | null => {
        const v = next();
        const n = parseIp(v);
        if (n === null) f.none = true;
        return n;
      };
      const port = (): number => {
        if (!f.proto) throw new CtError(`${PROG}: unknown option \`${a}'\n${TRY}`);
        const v = next();
        return Number(v) & 0xffff;
      };
      switch (a) {
        case '-p':
        case '--proto':
        case '--protonum': {
          const v = next();
          const n = PROTOS[v.toLowerCase()] ?? (/^\d+$/.test(v) ? Number(v) : -1);
          if (n < 0 || n > 255) throw new CtError(`${PROG}: \`${v}' unsupported protocol\n${TRY}`);
          f.proto = n;
          break;
        }
        case '-s':
        case '--src':
        case '--orig-src':
          f.origSrc = addr();
          break;
        case '-d':
        case '--dst':
        case '--orig-dst':
          f.origDst = addr();
          break;
        case '-r':
        case '--reply-src':
          f.replSrc = addr();
          break;
        case '-q':
        case '--reply-dst':
          f.replDst = addr();
          break;
        case '--sport':
        case '--orig-port-src':
          f.sport = port();
          break;
        case '--dport':
        case '--orig-port-dst':
          f.dport = port();
          break;
        case '--reply-port-src':
          f.replSport = port();
          break;
        case '--reply-port-dst':
          f.replDport = port();
          break;
        case '--state': {
          if (f.proto !== 6) throw new CtError(`${PROG}: unknown option \`${a}'\n${TRY}`);
          const v = next().toUpperCase();
          const k = TCP_CONNTRACK_NAMES.indexOf(v as (typeof TCP_CONNTRACK_NAMES)[number]);
          if (k < 0) throw new CtError(`${PROG}: unknown state \`${v}'\n${TRY}`);
          f.state = k;
          break;
        }
        case '-m':
        case '--mark': {
          const v = next();
          const [x, y] = v.split('/');
          const num = (s: string): number => (/^0x/i.test(s) ? parseInt(s, 16) : Number(s)) >>> 0;
          f.mark = [num(x ?? ''), y === undefined ? 0xffffffff : num(y)];
          break;
        }
        case '-w':
        case '--zone':
          f.zone = Number(next());
          break;
        case '-f':
        case '--family': {
          const v = next();
          if (v !== 'ipv4' && v !== 'ipv6') throw new CtError(`${PROG}: \`${v}' unsupported protocol\n${TRY}`);
          f.family = v;
          break;
        }
        case '-o':
        case '--output': {
          for (const o of next().split(',')) {
            if (o === 'extended') extended = true;
            else if (o !== 'id' && o !== 'timestamp' && o !== 'ktimestamp' && o !== 'labels' && o !== 'userspace' && o !== 'xml' && o !== 'save') throw new CtError(`${PROG}: Bad parameter \`${o}'\n${TRY}`);
          }
          break;
        }
        case '-e':
        case '--event-mask': {
          eventMask = 0;
          for (const e of next().split(',')) {
            const bit = ({ NEW: 1, UPDATE: 2, DESTROY: 4, ALL: 7 } as Record<string, number>)[e.toUpperCase()];
            if (bit === undefined) throw new CtError(`${PROG}: unknown event \`${e}'\n${TRY}`);
            eventMask |= bit;
          }
          break;
        }
        case '-n':
        case '-z':
        case '--zero':
          break;
        default:
          throw new CtError(`${PROG}: unknown option \`${a}'\n${TRY}`);
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
  switch (cmd) {
    case 'C':
      ctx.stdout.write(`${nf_ct_entries(net).length}\n`);
      return 0;
    case 'F':
      for (const ct of nf_ct_entries(net)) nf_ct_delete(ct);
      ctx.stderr.write(`${PROG}: connection tracking table has been emptied.\n`);
      return 0;
    case 'D': {
      const hit = nf_ct_entries(net).filter((ct) => matches(ct, f));
      const lines = hit.map((ct) => `${conntrackLine(ct, extended)}\n`).join('');
      // the netlink port of this process (autobind picks a random one)
      const portid = ctx.world.sim.rng.u32() || 1;
      for (const ct of hit) nf_ct_delete(ct, portid);
      ctx.stderr.write(`${PROG}: ${hit.length} flow entries have been deleted.\n`);
      ctx.stdout.write(lines);
      return hit.length ? 0 : 1;
    }
    case 'L':
    case 'G': {
      const hit = nf_ct_entries(net).filter((ct) => matches(ct, f));
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
 * conntrack -E: subscribes to the namespace's ctnetlink events and prints each
 * as it comes (stdout is flushed per event) until a signal ends it, then the
 * count on stderr.
 */
function* events(ctx: ProcCtx, f: Filter, mask: number): Proc {
  const c = ct_net(ctx.net);
  const wq = new WaitQueue();
  const pending: string[] = [];
  let shown = 0;
  const listener: CtEventListener = (ct, ev, portid) => {
    const bit = ev & (1 << IPCT_DESTROY) ? 4 : ev & ((1 << IPCT_NEW) | (1 << IPCT_RELATED)) ? 1 : 2;
    if (!(mask & bit) || !matches(ct, f)) return;
    pending.push(`${conntrackEventLine(ct, ev, portid)}\n`);
    wq.wakeUp();
  };
  const flush = (): void => {
    for (const l of pending.splice(0)) {
      ctx.stdout.write(l);
      shown++;
    }
  };
  c.listeners.add(listener);
  try {
    for (;;) {
      flush();
      yield waitOn(wq);
    }
  } finally {
    c.listeners.delete(listener);
    flush();
    ctx.stderr.write(`${PROG}: ${shown} flow events have been shown.\n`);
  }
}

export function registerConntrack(commands: Map<string, Command>): void {
  commands.set('conntrack', conntrack);
}
