// net/ipv4/raw.c: raw IPv4 sockets — a clone of every matching datagram,
// ICMP errors for them, and raw_sendmsg.
import { kprobe } from '../trace/probe.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { IP_PMTUDISC_DONT, IPPROTO_ICMP, type Sock } from '../sock.ts';
import { iph_daddr, iph_ihl, iph_saddr } from './iphdr.ts';
import { sock_queue_err_skb, sock_queue_rcv_skb } from './sock_queue.ts';
import { ipv4_sk_redirect, ipv4_sk_update_pmtu } from './route.ts';

/** icmp_err_convert[] (net/ipv4/icmp.c): errno and whether it is fatal, by unreachable code. */
export const ICMP_ERR_CONVERT: readonly [number, boolean][] = [
  [101, false], // NET_UNREACH: ENETUNREACH
  [113, false], // HOST_UNREACH: EHOSTUNREACH
  [92, true], // PROT_UNREACH: ENOPROTOOPT
  [111, true], // PORT_UNREACH: ECONNREFUSED
  [90, false], // FRAG_NEEDED: EMSGSIZE
  [95, false], // SR_FAILED: EOPNOTSUPP
  [101, true], // NET_UNKNOWN
  [112, true], // HOST_UNKNOWN: EHOSTDOWN
  [64, true], // HOST_ISOLATED: ENONET
  [101, true], // NET_ANO
  [113, true], // HOST_ANO
  [101, false], // NET_UNR_TOS
  [113, false], // HOST_UNR_TOS
  [113, true], // PKT_FILTERED
  [113, true], // PREC_VIOLATION
  [113, true], // PREC_CUTOFF
];

function raw_v4_match(sk: Sock, net: Net, proto: number, laddr: number, raddr: number, dif: number): boolean {
  return (
    sk.net === net &&
    sk.protocol === proto &&
    !(sk.daddr && sk.daddr !== raddr) &&
    !(sk.rcvSaddr && sk.rcvSaddr !== laddr) &&
    !(sk.bindDev && sk.bindDev !== dif)
  );
}

/** icmp_filter(): true when the socket's ICMP_FILTER blocks this type. */
function icmp_filter(sk: Sock, skb: SkBuff): boolean {
  if (skb.len < 1) return true;
  const type = skb.head[skb.transportHeader] as number;
  if (type < 32) return ((sk.icmpFilter >>> type) & 1) === 1;
  return false;
}

/**
 * raw_local_deliver(): clones skb to every matching raw socket; true when
 * some socket matched (even if its filter refused the clone).
 */
export function raw_local_deliver(net: Net, skb: SkBuff, protocol: number): boolean {
  let delivered = false;
  const b = skb.head;
  const nh = skb.networkHeader;
  const daddr = iph_daddr(b, nh);
  const saddr = iph_saddr(b, nh);
  const dif = skb.skbIif;
  for (const sk of net.rawSockets) {
    if (!raw_v4_match(sk, net, protocol, daddr, saddr, dif)) continue;
    delivered = true;
    if (protocol !== IPPROTO_ICMP || !icmp_filter(sk, skb)) {
      const c = skb.clone();
      raw_rcv(net, sk, c);
    }
  }
  return delivered;
}

/** raw_rcv(): the socket reads from the IP header on. */
function raw_rcv(net: Net, sk: Sock, skb: SkBuff): void {
  kprobe(net, skb, 'raw_rcv');
  skb.push(skb.data - skb.networkHeader);
  sock_queue_rcv_skb(net, sk, skb);
}

/** raw_icmp_error(): an ICMP error about a datagram raw sockets sent. */
export function raw_icmp_error(net: Net, skb: SkBuff, protocol: number, type: number, code: number, info: number): void {
  const b = skb.head;
  const inner = skb.data + 8;
  const daddr = iph_daddr(b, inner);
  const saddr = iph_saddr(b, inner);
  for (const sk of net.rawSockets) {
    if (!raw_v4_match(sk, net, protocol, saddr, daddr, skb.skbIif)) continue;
    raw_err(net, sk, skb, type, code, info);
  }
}

/** raw_err() */
function raw_err(net: Net, sk: Sock, skb: SkBuff, type: number, code: number, info: number): void {
  if (type === 3 && code === 4) ipv4_sk_update_pmtu(net, skb, sk, info);
  else if (type === 5) {
    ipv4_sk_redirect(net, skb, sk);
    return;
  }
  let err = 0;
  let harderr = false;
  switch (type) {
    case 11: // ICMP_TIME_EXCEEDED
      err = 113;
      break;
    case 4: // SOURCE_QUENCH
      return;
    case 12: // PARAMETERPROB
      err = 71; // EPROTO
      harderr = true;
      break;
    case 3: {
      const c = ICMP_ERR_CONVERT[code];
      err = c ? c[0] : 113;
      harderr = c ? c[1] : false;
      if (code === 4) {
        harderr = sk.pmtudisc !== IP_PMTUDISC_DONT;
        err = 90;
      }
      break;
    }
    default:
      return;
  }
  if (sk.recverr) {
    const inner = skb.data + 8;
    const payloadStart = sk.hdrincl ? inner : inner + iph_ihl(skb.head, inner) * 4;
    ip_icmp_error(net, sk, skb, err, type, code, info, skb.head.slice(payloadStart, skb.tail));
  }
  if (sk.recverr || harderr) {
    sk.err = err;
    sk.wq.wakeUp();
  }
}

/** ip_icmp_error(): a clone of the ICMP goes to sk_error_queue. */
export function ip_icmp_error(net: Net, sk: Sock, skb: SkBuff, err: number, type: number, code: number, info: number, payload: Uint8Array): void {
  const c = skb.clone();
  sock_queue_err_skb(net, sk, c, {
    errno: err,
    origin: 'icmp',
    type,
    code,
    info,
    offender: iph_saddr(skb.head, skb.networkHeader),
    payload,
  });
}

export function raw_hash_sk(net: Net, sk: Sock): void {
  net.rawSockets.push(sk);
}

export function raw_unhash_sk(net: Net, sk: Sock): void {
  const i = net.rawSockets.indexOf(sk);
  if (i >= 0) net.rawSockets.splice(i, 1);
}

