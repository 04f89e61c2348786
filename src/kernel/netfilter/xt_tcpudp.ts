// net/netfilter/xt_tcpudp.c: the tcp and udp matches (ports, TCP flags).
import { rd16 } from '../ipv4/iphdr.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { type PortRange, XT_TCP_INV_DSTPT, XT_TCP_INV_FLAGS, XT_TCP_INV_SRCPT } from '../uapi/x_tables.ts';
import type { XtActionParam, XtMatch } from './x_tables.ts';

const inRange = (v: number, r: PortRange): boolean => v >= r[0] && v <= r[1];

/** The two ports of an unfragmented datagram. */
export function xt_ports(p: XtActionParam): [number, number] | null {
  if (p.fragoff) return null;
  if (p.thoff + 4 > p.skb.tail) return null;
  return [rd16(p.skb.head, p.thoff), rd16(p.skb.head, p.thoff + 2)];
}

export const tcp_mt: Readonly<XtMatch<'tcp'>> = {
  type: 'match',
  name: 'tcp',
  revision: 0,
  family: NFPROTO_IPV4,
  proto: 6,
  /** tcp_mt() */
  match(p, m) {
    const b = p.skb.head;
    if (p.fragoff || p.thoff + 20 > p.skb.tail) return false;
    if (inRange(rd16(b, p.thoff), m.spts) === !!(m.invflags & XT_TCP_INV_SRCPT)) return false;
    if (inRange(rd16(b, p.thoff + 2), m.dpts) === !!(m.invflags & XT_TCP_INV_DSTPT)) return false;
    const flags = b[p.thoff + 13] as number;
    if (((flags & m.flgMask) === m.flgCmp) === !!(m.invflags & XT_TCP_INV_FLAGS)) return false;
    return true;
  },
};

export const udp_mt: Readonly<XtMatch<'udp'>> = {
  type: 'match',
  name: 'udp',
  revision: 0,
  family: NFPROTO_IPV4,
  proto: 17,
  /** udp_mt() */
  match(p, m) {
    const pp = xt_ports(p);
    if (!pp) return false;
    if (inRange(pp[0], m.spts) === !!(m.invflags & XT_TCP_INV_SRCPT)) return false;
    if (inRange(pp[1], m.dpts) === !!(m.invflags & XT_TCP_INV_DSTPT)) return false;
    return true;
  },
};
