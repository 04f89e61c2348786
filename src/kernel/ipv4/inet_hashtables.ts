// net/ipv4/inet_hashtables.c, inet_connection_sock.c (port allocation):
// the TCP tables of a namespace — bound ports (bhash), listeners (lhash2)
// and connected, request and time-wait sockets (ehash).
import type { Net } from '../net_namespace.ts';
import type { Sock } from '../sock.ts';
import type { RequestSock, TcpSock, TimewaitSock } from './tcp.ts';
import { EADDRINUSE, EADDRNOTAVAIL } from '../uapi/errno.ts';

import {
  TCP_ESTABLISHED,
  TCP_SYN_SENT,
  TCP_SYN_RECV,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_TIME_WAIT,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_CLOSING,
  TCP_NEW_SYN_RECV,
} from '../uapi/tcp.ts';

// net/tcp_states.h: the states are the uapi header's
export {
  TCP_ESTABLISHED,
  TCP_SYN_SENT,
  TCP_SYN_RECV,
  TCP_FIN_WAIT1,
  TCP_FIN_WAIT2,
  TCP_TIME_WAIT,
  TCP_CLOSE,
  TCP_CLOSE_WAIT,
  TCP_LAST_ACK,
  TCP_LISTEN,
  TCP_CLOSING,
  TCP_NEW_SYN_RECV,
};

export const TCP_STATE_NAMES = [
  '',
  'TCP_ESTABLISHED',
  'TCP_SYN_SENT',
  'TCP_SYN_RECV',
  'TCP_FIN_WAIT1',
  'TCP_FIN_WAIT2',
  'TCP_TIME_WAIT',
  'TCP_CLOSE',
  'TCP_CLOSE_WAIT',
  'TCP_LAST_ACK',
  'TCP_LISTEN',
  'TCP_CLOSING',
  'TCP_NEW_SYN_RECV',
] as const;

export type EhashEntry = TcpSock | RequestSock | TimewaitSock;

/** struct inet_hashinfo of one namespace (tcp_hashinfo is per netns via net->ipv4.tcp_death_row). */
export interface InetHashinfo {
  /** Connected, request and time-wait sockets by 4-tuple. */
  readonly ehash: Map<string, EhashEntry>;
  /** Listening sockets, in the order they started listening. */
  readonly listeners: TcpSock[];
  /** Ports in use: sockets (full or time-wait) bound to each. */
  readonly bhash: Map<number, (TcpSock | TimewaitSock)[]>;
  /** tcp_death_row.tw_refcount - 1: time-wait sockets alive. */
  twCount: number;
  /** Sequence of port_offset hashing (__inet_hash_connect's table_perturb). */
  connectHint: number;
}

export function tcp_hashinfo(net: Net): InetHashinfo {
  return (net.tcpHashinfo ??= { ehash: new Map(), listeners: [], bhash: new Map(), twCount: 0, connectHint: 0 });
}

export function ehashKey(laddr: number, lport: number, raddr: number, rport: number): string {
  return `${laddr}:${lport}:${raddr}:${rport}`;
}

/** __inet_lookup_established(): the socket of an exact 4-tuple. */
export function __inet_lookup_established(net: Net, saddr: number, sport: number, daddr: number, dport: number): EhashEntry | null {
  return tcp_hashinfo(net).ehash.get(ehashKey(daddr, dport, saddr, sport)) ?? null;
}

/** __inet_lookup_listener(): the best listener for daddr:dport (compute_score: an exact address beats the wildcard). */
export function __inet_lookup_listener(net: Net, daddr: number, dport: number, dif: number): TcpSock | null {
  let best: TcpSock | null = null;
  let bestScore = -1;
  for (const sk of tcp_hashinfo(net).listeners) {
    if (sk.sport !== dport) continue;
    let score = 1;
    if (sk.rcvSaddr) {
      if (sk.rcvSaddr !== daddr) continue;
      score++;
    }
    if (sk.bindDev) {
      if (sk.bindDev !== dif) continue;
      score++;
    }
    if (score > bestScore) {
      best = sk;
      bestScore = score;
    }
  }
  return best;
}

/** __inet_lookup(): established first, then listeners. */
export function __inet_lookup(net: Net, saddr: number, sport: number, daddr: number, dport: number, dif: number): EhashEntry | null {
  return __inet_lookup_established(net, saddr, sport, daddr, dport) ?? __inet_lookup_listener(net, daddr, dport, dif);
}

export function inet_ehash_insert(net: Net, e: EhashEntry): boolean {
  const h = tcp_hashinfo(net);
  const k = ehashKey(e.rcvSaddr, e.sport, e.daddr, e.dport);
  const old = h.ehash.get(k);
  if (old && old !== e) return false;
  h.ehash.set(k, e);
  return true;
}

export function inet_ehash_remove(net: Net, e: EhashEntry): void {
  const h = tcp_hashinfo(net);
  const k = ehashKey(e.rcvSaddr, e.sport, e.daddr, e.dport);
  if (h.ehash.get(k) === e) h.ehash.delete(k);
}

export function inet_bind_hash(net: Net, sk: TcpSock | TimewaitSock, port: number): void {
  const h = tcp_hashinfo(net);
  let l = h.bhash.get(port);
  if (!l) h.bhash.set(port, (l = []));
  if (!l.includes(sk)) l.push(sk);
  sk.bindPort = port;
}

/** inet_put_port() / inet_twsk_bind_unhash(): the socket no longer holds its port. */
export function inet_put_port(net: Net, sk: TcpSock | TimewaitSock): void {
  const h = tcp_hashinfo(net);
  if (sk.bindPort < 0) return;
  const l = h.bhash.get(sk.bindPort);
  if (l) {
    const i = l.indexOf(sk);
    if (i >= 0) l.splice(i, 1);
    if (!l.length) h.bhash.delete(sk.bindPort);
  }
  sk.bindPort = -1;
}

/** inet_bind_conflict() against each owner of the port, where the bound addresses overlap. */
function inet_csk_bind_conflict(net: Net, sk: TcpSock, port: number): boolean {
  const owners = tcp_hashinfo(net).bhash.get(port) ?? [];
  for (const sk2 of owners) {
    if (sk2 === sk) continue;
    if (sk.bindDev && sk2.bindDev && sk.bindDev !== sk2.bindDev) continue;
    if (sk.rcvSaddr && sk2.rcvSaddr && sk.rcvSaddr !== sk2.rcvSaddr) continue;
    const sk2Listen = sk2.kind === 'full' && sk2.state === TCP_LISTEN;
    if (sk.reuseaddr && sk2.reuse && !sk2Listen) continue;
    // everyone is root here: SO_REUSEPORT on both sides always shares
    if (sk.reuseport && sk2.reuseportFlag) continue;
    return true;
  }
  return false;
}

/** ip_local_port_range as [low, high]. */
export function inet_get_local_port_range(net: Net): [number, number] {
  const [lo, hi] = (net.sysctl.get('net.ipv4.ip_local_port_range') ?? '32768\t60999').split('\t').map(Number) as [number, number];
  return [lo, hi];
}

/**
 * inet_csk_get_port(): bind() of a TCP socket. Port 0 searches the range for
 * a free port the way inet_csk_find_open_port does (odd ports first, from a
 * random offset). Returns 0 or -EADDRINUSE.
 */
export function inet_csk_get_port(net: Net, sk: TcpSock, snum: number): number {
  if (snum) {
    if (inet_csk_bind_conflict(net, sk, snum)) return -EADDRINUSE;
    inet_bind_hash(net, sk, snum);
    sk.sport = snum;
    return 0;
  }
  const [lo, hi] = inet_get_local_port_range(net);
  const low = lo;
  const high = hi + 1;
  let remaining = high - low;
  if (remaining > 1) remaining &= ~1;
  const rng = net.kernel.sim.rng;
  let offset = rng.u32() % remaining;
  offset |= 1;
  for (let pass = 0; pass < 2; pass++) {
    let port = low + offset;
    for (let i = 0; i < remaining; i += 2, port += 2) {
      if (port >= high) port -= remaining;
      if (!tcp_hashinfo(net).bhash.has(port)) {
        inet_bind_hash(net, sk, port);
        sk.sport = port;
        return 0;
      }
    }
    offset--;
    if (!(offset & 1)) continue;
  }
  return -EADDRINUSE;
}

/**
 * __inet_hash_connect(): the ephemeral port of a connecting socket (even
 * ports first) such that the 4-tuple is unique; hashes it into ehash.
 * Returns 0 or -EADDRNOTAVAIL.
 */
export function inet_hash_connect(net: Net, sk: TcpSock): number {
  const h = tcp_hashinfo(net);
  if (sk.sport) {
    // bound already: the 4-tuple must be free (__inet_check_established)
    const k = ehashKey(sk.rcvSaddr, sk.sport, sk.daddr, sk.dport);
    const old = h.ehash.get(k);
    if (old && old !== sk) {
      if (old.kind === 'tw' && twsk_unique(net, sk, old)) {
        (old as TimewaitSock).kill();
      } else return -EADDRNOTAVAIL;
    }
    h.ehash.set(k, sk);
    return 0;
  }
  const [lo, hi] = inet_get_local_port_range(net);
  let remaining = hi + 1 - lo;
  if (remaining > 1) remaining &= ~1;
  const rng = net.kernel.sim.rng;
  let offset = (rng.u32() + h.connectHint) % remaining;
  offset &= ~1;
  for (let pass = 0; pass < 2; pass++) {
    let port = lo + offset;
    for (let i = 0; i < remaining; i += 2, port += 2) {
      if (port > hi) port -= remaining;
      const owners = h.bhash.get(port);
      if (owners) {
        // a port bound by bind() (not by connect) cannot be shared
        if (owners.some((o) => !o.fastreuse)) continue;
        const k = ehashKey(sk.rcvSaddr, port, sk.daddr, sk.dport);
        const old = h.ehash.get(k);
        if (old) {
          if (!(old.kind === 'tw' && twsk_unique(net, sk, old))) continue;
          (old as TimewaitSock).kill();
        }
      }
      sk.sport = port;
      sk.fastreuse = true;
      inet_bind_hash(net, sk, port);
      h.ehash.set(ehashKey(sk.rcvSaddr, port, sk.daddr, sk.dport), sk);
      h.connectHint += i + 2;
      return 0;
    }
    offset++;
  }
  return -EADDRNOTAVAIL;
}

/** tcp_twsk_unique(): tcp_tw_reuse lets a connect() take over a time-wait 4-tuple. */
function twsk_unique(net: Net, sk: TcpSock, tw: TimewaitSock): boolean {
  const reuse = net.sysctl.int('net.ipv4.tcp_tw_reuse');
  if (reuse === 0) return false;
  if (reuse === 2) {
    // loopback only
    const lo = (a: number): boolean => a >>> 24 === 127;
    if (!(lo(tw.daddr) || lo(tw.rcvSaddr))) return false;
  }
  if (!tw.tsRecentStamp) return false;
  const delay = net.sysctl.int('net.ipv4.tcp_tw_reuse_delay') || 1000;
  if (net.kernel.now - tw.tsRecentStampNs < delay * 1e6) return false;
  sk.writeSeq = (tw.sndNxt + 65535 + 2) >>> 0;
  if (!sk.writeSeq) sk.writeSeq = 1;
  sk.rxOpt.tsRecent = tw.tsRecent;
  sk.rxOpt.tsRecentStamp = tw.tsRecentStamp;
  return true;
}

/** inet_hash() for a listener (lhash2). */
export function inet_hash_listener(net: Net, sk: TcpSock): void {
  const h = tcp_hashinfo(net);
  if (!h.listeners.includes(sk)) h.listeners.push(sk);
}

/** inet_unhash() */
export function inet_unhash(net: Net, sk: TcpSock): void {
  const h = tcp_hashinfo(net);
  const i = h.listeners.indexOf(sk);
  if (i >= 0) h.listeners.splice(i, 1);
  inet_ehash_remove(net, sk);
}

export type { Sock };
