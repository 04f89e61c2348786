// tcpdump 4.99's packet lines for what the simulator carries: Ethernet (-e),
// ARP, IPv4 (-v, -vv), ICMP, IGMP, UDP and TCP (flags, relative sequence
// numbers, options), and the -x/-X hex dumps. Bytes are untrusted: a short
// header prints tcpdump's truncation mark, never throws.
import { TCP_SERVICES, UDP_SERVICES } from './services.ts';
import { Nd, NdTrunc, type SeqEntry6 } from './print_nd.ts';
import { ip6Print } from './print_ip6.ts';
import {
  ARPH_HLN,
  ARPH_HRD,
  ARPH_OP,
  ARPH_PLN,
  ARPH_PRO,
  ARP_HDR_LEN,
  ARP_ETH_IPV4_LEN,
  ARP_SHA,
  ARP_SIP,
  ARP_THA,
  ARP_TIP,
} from '../../wire/arp.ts';
import { rd16 as u16, rd32 as u32, rd8 as u8 } from '../../wire/bytes.ts';
import {
  ETH_DEST,
  ETH_HLEN,
  ETH_P_8021AD,
  ETH_P_8021Q,
  ETH_P_ARP,
  ETH_P_IP,
  ETH_P_IPV6,
  ETH_PROTO,
  ETH_SOURCE,
  VLAN_ENCAP_PROTO,
  VLAN_HLEN,
  VLAN_TCI,
} from '../../wire/ethernet.ts';
import {
  IGMPH_CODE,
  IGMPH_CSUM,
  IGMPH_GROUP,
  IGMPH_TYPE,
  IGMP_HEADER_LEN,
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMP_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_GREC_LEN,
  IGMPV3_GREC_MCA,
  IGMPV3_GREC_NSRCS,
  IGMPV3_GREC_TYPE,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_REPORT_GREC,
  IGMPV3_REPORT_NGREC,
} from '../../wire/igmp.ts';
import {
  ICMPH_CHECKSUM,
  ICMPH_CODE,
  ICMPH_ECHO_ID,
  ICMPH_ECHO_SEQUENCE,
  ICMPH_FRAG_MTU,
  ICMPH_GATEWAY,
  ICMPH_POINTER,
  ICMPH_TYPE,
  ICMP_HEADER_LEN,
} from '../../wire/icmp.ts';
import {
  IPH_CHECK,
  IPH_DADDR,
  IPH_FRAG_OFF,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TOT_LEN,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_HEADER_LEN,
  IP_CE,
  IP_DF,
  IP_MF,
  IP_OFFSET,
  ipv4ToString,
} from '../../wire/ipv4.ts';
import {
  TCPHDR_ACK,
  TCPHDR_FIN,
  TCPHDR_RST,
  TCPHDR_SYN,
  TCPHDR_URG,
  TCPH_ACK_SEQ,
  TCPH_CHECK,
  TCPH_DEST,
  TCPH_DOFF,
  TCPH_FLAGS,
  TCPH_SEQ,
  TCPH_SOURCE,
  TCPH_URG_PTR,
  TCPH_WINDOW,
  TCPOPT_EOL,
  TCPOPT_MSS,
  TCPOPT_NOP,
  TCPOPT_SACK,
  TCPOPT_SACK_PERM,
  TCPOPT_TIMESTAMP,
  TCPOPT_WINDOW,
  TCP_HEADER_LEN,
} from '../../wire/tcp.ts';
import { UDPH_CHECK, UDPH_DEST, UDPH_LEN, UDPH_SOURCE, UDP_HEADER_LEN } from '../../wire/udp.ts';
import { vxlanPrint } from './print_vxlan.ts';
import {
  SLL2_ADDR,
  SLL2_HALEN,
  SLL2_HDR_LEN,
  SLL2_IF_INDEX,
  SLL2_PKTTYPE,
  SLL2_PROTOCOL,
  SLL_ADDR,
  SLL_HALEN,
  SLL_HDR_LEN,
  SLL_PKTTYPE,
  SLL_PROTOCOL,
} from '../../wire/sll.ts';

export interface PrintOptions {
  eflag: boolean;
  vflag: number;
  nflag: number;
  qflag: boolean;
  xflag: number;
  Xflag: number;
  Sflag: boolean;
  tflag: number;
}

const ip4 = (b: Uint8Array, o: number): string => ipv4ToString(u32(b, o));
const mac = (b: Uint8Array, o: number): string => Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');

class Trunc extends Error {}

/** The ones-complement sum of 16-bit big-endian words, folded, not inverted. */
function sum16(b: Uint8Array, init = 0): number {
  let s = init;
  const n = b.length & ~1;
  for (let i = 0; i < n; i += 2) s += ((b[i] as number) << 8) | (b[i + 1] as number);
  if (b.length & 1) s += (b[b.length - 1] as number) << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** in_cksum: 0 when the checksum over the data is right. */
const inCksum = (b: Uint8Array, init = 0): number => ~sum16(b, init) & 0xffff;

/** in_cksum_shouldbe: the checksum the field should have held. */
function shouldbe(sum: number, computed: number): number {
  let s = sum + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The IPv4 pseudo-header sum for a transport checksum. */
function pseudo(iph: Uint8Array, proto: number, len: number): number {
  let s = 0;
  for (let i = IPH_SADDR; i < IPH_DADDR + 4; i += 2) s += u16(iph, i);
  return s + proto + len;
}

const ETHERTYPES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8035: 'Reverse ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q',
  0x88a8: '802.1Q-QinQ',
  0x9100: '802.1Q-QinQ',
  0x88cc: 'LLDP',
  0x8863: 'PPPoE D',
  0x8864: 'PPPoE S',
  0x8847: 'MPLS unicast',
  0x8848: 'MPLS multicast',
  0x9000: 'Loopback',
  0x88e5: 'MACsec',
};

const IPPROTO_NAMES: Record<number, string> = {
  0: 'Options',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};

/** /etc/protocols names, for fragments printed without -n. */
const NETDB_PROTOS: Record<number, string> = {
  0: 'ip',
  1: 'icmp',
  2: 'igmp',
  4: 'ipencap',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
};

interface SeqEntry {
  seq: number;
  ack: number;
}

/** One tcpdump process's decoder: keeps the TCP conversations it has seen. */
/** tcpdump's bsd_af_values. */
const BSD_AF: Readonly<Record<number, string>> = { 2: 'IPv4', 7: 'OSI', 16: 'Appletalk', 23: 'IPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

export class Printer {
  private readonly tcpSeq = new Map<string, SeqEntry>();
  private readonly tcpSeq6 = new Map<string, SeqEntry6>();
  /** A printer longjmped out on a short packet: -x/-X then dump from the link header on. */
  private truncated = false;
  /** The Ethernet header length with its VLAN tags (ndo_ll_hdr_len): where -x starts. */
  private etherHdrLen = ETH_HLEN;
  constructor(readonly o: PrintOptions) {}

  /** ip6_print: the IPv6 printers write into one netdissect state (print_ip6.ts). */
  private ip6(p: Uint8Array, length: number): string {
    const nd = new Nd(this.o, p, this.tcpSeq6, (q, len) => this.guard(() => this.ip(q, len), ' [|ip]'));
    try {
      ip6Print(nd, 0, length);
    } catch (e) {
      if (!(e instanceof NdTrunc)) throw e;
      nd.trunc();
      this.truncated = true;
    }
    return nd.out;
  }

  /** The offset the -x/-X dump starts at: 0 after a truncation or with -xx/-XX. */
  private hexFrom(hdr: number): number {
    const t = this.truncated;
    this.truncated = false;
    return t || this.o.xflag > 1 || this.o.Xflag > 1 ? 0 : hdr;
  }

  /** The text after the timestamp, with its newline(s). */
  packet(frame: Uint8Array, wirelen: number): string {
    let s: string;
    try {
      s = this.ether(frame, wirelen);
    } catch (e) {
      if (!(e instanceof Trunc)) throw e;
      s = ' [|ether]';
    }
    let out = s + '\n';
    if (this.o.Xflag || this.o.xflag) out += this.hex(frame, this.hexFrom(this.etherHdrLen));
    return out;
  }

  /**
   * A Linux cooked v2 frame (the "any" device): interface name, direction,
   * with -e the ifindex, address and protocol, then the network layer.
   */
  packetSll2(frame: Uint8Array, wirelen: number, ifname: string): string {
    let s: string;
    if (frame.length < SLL2_HDR_LEN) s = ' [|sll2]';
    else {
      const type = u16(frame, SLL2_PROTOCOL);
      const ifindex = u32(frame, SLL2_IF_INDEX);
      const pkttype = u8(frame, SLL2_PKTTYPE);
      const halen = u8(frame, SLL2_HALEN);
      const dir = ['In', 'B', 'M', 'P', 'Out'][pkttype] ?? '?';
      s = `${ifname.padEnd(5)} ${dir.padEnd(3)} `;
      if (this.o.eflag) {
        s += `ifindex ${ifindex} `;
        if (halen === 6) s += `${mac(frame, SLL2_ADDR)} `;
        s += this.o.qflag
          ? `${ETHERTYPES[type] ?? `Unknown Ethertype (0x${type.toString(16).padStart(4, '0')})`}, length ${wirelen}: `
          : `ethertype ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}), length ${wirelen}: `;
      }
      s += this.cookedPayload(type, frame.subarray(SLL2_HDR_LEN), wirelen - SLL2_HDR_LEN, wirelen);
    }
    let out = s + '\n';
    if (this.o.Xflag || this.o.xflag) out += this.hex(frame, this.hexFrom(SLL2_HDR_LEN));
    return out;
  }

  /**
   * A frame of a link type without Ethernet: BSD/OpenBSD loopback (a 4-byte
   * address family first, host or network order), raw IP, raw IPv4/IPv6, or
   * a user type tcpdump does not decode.
   */
  packetNet(frame: Uint8Array, wirelen: number, dlt: 'NULL' | 'LOOP' | 'RAW' | 'IPV4' | 'IPV6' | 'USER0'): string {
    let s: string;
    let hdr = 0;
    if (dlt === 'USER0') s = 'UNSUPPORTED';
    else if (dlt === 'NULL' || dlt === 'LOOP') {
      hdr = 4;
      if (frame.length < 4) s = ' [|null]';
      else {
        let fam =
          dlt === 'LOOP'
            ? u32(frame, 0)
            : ((frame[0] as number) | ((frame[1] as number) << 8) | ((frame[2] as number) << 16) | ((frame[3] as number) << 24)) >>> 0;
        if (dlt === 'NULL' && fam & 0xffff0000) {
          fam = (((fam & 0xff) << 24) | ((fam & 0xff00) << 8) | ((fam >>> 8) & 0xff00) | (fam >>> 24)) >>> 0;
        }
        const name = BSD_AF[fam] ?? 'Unknown';
        const head = `AF ${name} (${fam}), length ${wirelen}: `;
        const p = frame.subarray(4);
        if (fam === 2) s = (this.o.eflag ? head : '') + this.guard(() => this.ip(p, wirelen - 4), ' [|ip]');
        else if (fam === 24 || fam === 28 || fam === 30) s = (this.o.eflag ? head : '') + this.ip6(p, wirelen - 4);
        else s = head + (this.o.xflag || this.o.Xflag ? '' : '\n' + this.hexLines(p, true).slice(0, -1));
      }
    } else if (dlt === 'IPV6' || (dlt === 'RAW' && frame.length >= 1 && (frame[0] as number) >> 4 === 6))
      s = (this.o.eflag ? 'ip: ' : '') + this.ip6(frame, wirelen);
    else s = (this.o.eflag ? 'ip: ' : '') + this.guard(() => this.ip(frame, wirelen), ' [|ip]');
    let out = s + '\n';
    if (dlt === 'USER0') out += this.hexLines(frame, true);
    else if (this.o.Xflag || this.o.xflag) out += this.hex(frame, this.hexFrom(hdr));
    return out;
  }

  /** A Linux cooked v1 frame (the default "any" device): with -e the direction, address and protocol. */
  packetSll(frame: Uint8Array, wirelen: number): string {
    let s = '';
    if (frame.length < SLL_HDR_LEN) s = ' [|sll]';
    else {
      const pkttype = u16(frame, SLL_PKTTYPE);
      const halen = u16(frame, SLL_HALEN);
      const type = u16(frame, SLL_PROTOCOL);
      if (this.o.eflag) {
        s += `${(['In', 'B', 'M', 'P', 'Out'][pkttype] ?? '?').padStart(3)} `;
        if (halen === 6) s += `${mac(frame, SLL_ADDR)} `;
        s += this.o.qflag
          ? `${ETHERTYPES[type] ?? `Unknown Ethertype (0x${type.toString(16).padStart(4, '0')})`}, length ${wirelen}: `
          : `ethertype ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}), length ${wirelen}: `;
      }
      s += this.cookedPayload(type, frame.subarray(SLL_HDR_LEN), wirelen - SLL_HDR_LEN, wirelen);
    }
    let out = s + '\n';
    if (this.o.Xflag || this.o.xflag) out += this.hex(frame, this.hexFrom(SLL_HDR_LEN));
    return out;
  }

  private cookedPayload(type: number, p: Uint8Array, plen: number, wirelen: number): string {
    switch (type) {
      case ETH_P_IP:
        return this.guard(() => this.ip(p, plen), ' [|ip]');
      case ETH_P_IPV6:
        return this.ip6(p, plen);
      case ETH_P_ARP:
      case 0x8035:
        return this.guard(() => this.arp(p, type === ETH_P_ARP ? 'ARP, ' : 'RARP, '), ' [|arp]');
      default:
        return (
          `ethertype ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}), length ${wirelen}: \n` +
          this.hexLines(p, true).slice(0, -1)
        );
    }
  }

  private hex(frame: Uint8Array, from: number): string {
    return this.hexLines(frame.subarray(Math.min(from, frame.length)), this.o.Xflag > 0);
  }

  private hexLines(data: Uint8Array, ascii: boolean): string {
    let out = '';
    for (let off = 0; off < data.length; off += 16) {
      const chunk = data.subarray(off, off + 16);
      let hexs = '';
      for (let i = 0; i < chunk.length; i += 2) {
        hexs += ' ' + (chunk[i] as number).toString(16).padStart(2, '0');
        if (i + 1 < chunk.length) hexs += (chunk[i + 1] as number).toString(16).padStart(2, '0');
      }
      let line = `\t0x${off.toString(16).padStart(4, '0')}: ${hexs}`;
      if (ascii) {
        line = line.padEnd(`\t0x0000: `.length + 40 + 1);
        line = `\t0x${off.toString(16).padStart(4, '0')}:  ${hexs.slice(1).padEnd(39)}  ${Array.from(chunk, (c) => (c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('')}`;
      }
      out += line + '\n';
    }
    return out;
  }

  private ether(f: Uint8Array, wirelen: number): string {
    this.etherHdrLen = ETH_HLEN;
    if (f.length < ETH_HLEN) {
      return ` [|ether]`;
    }
    let type = u16(f, ETH_PROTO);
    let head = '';
    if (this.o.eflag) {
      head = `${this.macName(f, ETH_SOURCE)} > ${this.macName(f, ETH_DEST)}, `;
      if (type <= 1500) head += `802.3, length ${wirelen}: `;
      else if (this.o.qflag)
        head += `${ETHERTYPES[type] ?? `Unknown Ethertype (0x${type.toString(16).padStart(4, '0')})`}, length ${wirelen}: `;
      else head += `ethertype ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}), length ${wirelen}: `;
    }
    let off = ETH_HLEN;
    // 802.1Q / 802.1ad tags: shown with -e, skipped otherwise.
    while ((type === ETH_P_8021Q || type === ETH_P_8021AD || type === 0x9100) && f.length >= off + VLAN_HLEN) {
      const tci = u16(f, off + VLAN_TCI);
      type = u16(f, off + VLAN_ENCAP_PROTO);
      if (this.o.eflag) {
        head += `vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}, `;
        head += this.o.qflag
          ? `${ETHERTYPES[type] ?? `Unknown Ethertype (0x${type.toString(16).padStart(4, '0')})`}, `
          : `ethertype ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}), `;
      }
      off += VLAN_HLEN;
    }
    this.etherHdrLen = off;
    const p = f.subarray(off);
    const plen = wirelen - off;
    switch (type) {
      case ETH_P_IP:
        return head + this.guard(() => this.ip(p, plen), ' [|ip]');
      case ETH_P_IPV6:
        return head + this.ip6(p, plen);
      case ETH_P_ARP:
      case 0x8035:
        return head + this.guard(() => this.arp(p, type === ETH_P_ARP ? 'ARP, ' : 'RARP, '), ' [|arp]');
      default: {
        // ND_DEFAULTPRINT: the Ethernet header, then the payload in hex and ASCII.
        const h = this.o.eflag
          ? head
          : `${this.macName(f, ETH_SOURCE)} > ${this.macName(f, ETH_DEST)}, ethertype ${ETHERTYPES[type] ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')}), length ${wirelen}: `;
        if (this.o.xflag || this.o.Xflag) return h;
        return h + '\n' + this.hexLines(p, true).slice(0, -1);
      }
    }
  }

  /** A MAC as tcpdump names it: plain with -n, else Broadcast or with its OUI. */
  private macName(b: Uint8Array, o: number): string {
    const m = mac(b, o);
    if (this.o.nflag) return m;
    if (m === 'ff:ff:ff:ff:ff:ff') return 'Broadcast';
    return `${m} (oui ${m.startsWith('00:00:00') ? 'Ethernet' : 'Unknown'})`;
  }

  /** Host names: without -n, the simulated /etc/hosts names 127.0.0.1 only. */
  private host(a: string): string {
    return !this.o.nflag && a === '127.0.0.1' ? 'localhost' : a;
  }

  private port(p: number, names: Readonly<Record<number, string>>): string {
    return this.o.nflag ? String(p) : (names[p] ?? String(p));
  }

  private guard(f: () => string, mark: string): string {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof Trunc)) throw e;
      return mark;
    }
  }

  private arp(p: Uint8Array, prefix: string): string {
    if (p.length < ARP_HDR_LEN) throw new Trunc();
    const hrd = u16(p, ARPH_HRD);
    const pro = u16(p, ARPH_PRO);
    const hln = u8(p, ARPH_HLN);
    const pln = u8(p, ARPH_PLN);
    const op = u16(p, ARPH_OP);
    const need = ARP_HDR_LEN + 2 * hln + 2 * pln;
    if (p.length < need) throw new Trunc();
    let s = this.o.eflag ? '' : prefix;
    const hw: Record<number, string> = { 1: 'Ethernet', 6: 'IEEE 802', 32: 'InfiniBand' };
    if (pro !== ETH_P_IP || pln !== 4 || hln === 0 || this.o.vflag) {
      s += `${hw[hrd] ?? `Unknown Hardware (${hrd})`} (len ${hln}), ${pro === ETH_P_IP ? 'IPv4' : `${ETHERTYPES[pro] ?? `Unknown Protocol (0x${pro.toString(16).padStart(4, '0')})`}`} (len ${pln})`;
      if (!this.o.vflag) return `${s}, length ${p.length}`;
      s += ', ';
    }
    if (hln !== 6)
      return `${s}${['', 'Request', 'Reply', 'Reverse Request', 'Reverse Reply'][op] ?? `Unknown (${op})`}, length ${p.length}`;
    const sha = mac(p, ARP_SHA);
    const paddr = (o: number): string => (pro !== ETH_P_IP ? '<wrong proto type>' : pln !== 4 ? '<wrong len>' : ip4(p, o));
    const spa = paddr(ARP_SIP);
    const tha = mac(p, ARP_THA);
    const tpa = paddr(ARP_TIP);
    const len = ARP_ETH_IPV4_LEN;
    switch (op) {
      case 1:
        s += `Request who-has ${tpa}`;
        if (tha !== '00:00:00:00:00:00') s += ` (${this.macName(p, ARP_THA)})`;
        s += ` tell ${spa}`;
        break;
      case 2:
        s += `Reply ${spa} is-at ${this.macName(p, ARP_SHA)}`;
        break;
      case 3:
        s += `Reverse Request who-is ${tha} tell ${sha}`;
        break;
      case 4:
        s += `Reverse Reply ${tha} at ${tpa}`;
        break;
      default:
        return `${s}Unknown (${op}) \n${this.hexLines(p, true).slice(0, -1)}`;
    }
    return `${s}, length ${len}`;
  }

  private ip(p: Uint8Array, wirelen: number): string {
    if (p.length < 1) throw new Trunc();
    const vhl = u8(p, IPH_VERSION_IHL);
    if (vhl >> 4 === 6) return 'IP6, wrong link-layer encapsulation (invalid)';
    if (vhl >> 4 !== 4) return `IP${vhl >> 4} (invalid)`;
    const ipPrefix = this.o.eflag ? '' : 'IP ';
    if (p.length < IPV4_HEADER_LEN) return `${ipPrefix} [|ip]`;
    const hlen = (vhl & 0xf) * 4;
    const tos = u8(p, IPH_TOS);
    const len = u16(p, IPH_TOT_LEN);
    const id = u16(p, IPH_ID);
    const off = u16(p, IPH_FRAG_OFF);
    const ttl = u8(p, IPH_TTL);
    const proto = u8(p, IPH_PROTOCOL);
    const src = this.host(ip4(p, IPH_SADDR));
    const dst = this.host(ip4(p, IPH_DADDR));
    if (hlen < IPV4_HEADER_LEN) return `${ipPrefix}bad-hlen ${hlen}`;
    if (len < hlen) return `${ipPrefix}bad-len ${len}`;
    let s = ipPrefix;
    if (wirelen < len) s += `truncated-ip - ${len - wirelen} bytes missing! `;
    if (this.o.vflag) {
      const flags: string[] = [];
      if (off & IP_MF) flags.push('+');
      if (off & IP_DF) flags.push('DF');
      if (off & IP_CE) flags.push('rsvd');
      s += `(tos 0x${tos.toString(16)}`;
      if (tos & 3) s += `,${['', 'ECT(1)', 'ECT(0)', 'CE'][tos & 3]}`;
      s += `, ttl ${ttl}, id ${id}, offset ${(off & IP_OFFSET) * 8}, flags [${flags.length ? flags.join(', ') : 'none'}], proto ${IPPROTO_NAMES[proto] ?? 'unknown'} (${proto}), length ${len}`;
      if (hlen > IPV4_HEADER_LEN) s += `, options (${this.ipOptions(p.subarray(IPV4_HEADER_LEN, hlen))})`;
      if (p.length >= hlen) {
        const sum = inCksum(p.subarray(0, hlen));
        if (sum !== 0) {
          const ipSum = u16(p, IPH_CHECK);
          s += `, bad cksum ${ipSum.toString(16)} (->${shouldbe(ipSum, sum).toString(16)})!`;
        }
      }
      s += ')\n    ';
    }
    const payload = p.subarray(hlen, Math.min(p.length, len));
    const plen = len - hlen;
    if ((off & IP_OFFSET) !== 0) {
      const pname = this.o.nflag ? undefined : NETDB_PROTOS[proto];
      return `${s}${src} > ${dst}: ${pname ?? `ip-proto-${proto}`}`;
    }
    switch (proto) {
      case IPPROTO_ICMP:
        return s + this.guard(() => this.icmp(payload, plen, src, dst, (off & IP_MF) !== 0), `${src} > ${dst}:  [|icmp]`);
      case IPPROTO_TCP:
        return (
          s +
          this.guard(
            () => this.tcp(payload, plen, src, dst, p, (off & IP_MF) !== 0),
            payload.length >= 4
              ? `${src}.${this.port(u16(payload, TCPH_SOURCE), TCP_SERVICES)} > ${dst}.${this.port(u16(payload, TCPH_DEST), TCP_SERVICES)}:  [|tcp]`
              : `${src} > ${dst}: [|tcp]`,
          )
        );
      case IPPROTO_UDP:
        return (
          s +
          this.guard(
            () => this.udp(payload, plen, src, dst, p, (off & IP_MF) !== 0),
            payload.length >= 4
              ? `${src}.${this.port(u16(payload, UDPH_SOURCE), UDP_SERVICES)} > ${dst}.${this.port(u16(payload, UDPH_DEST), UDP_SERVICES)}:  [|udp]`
              : `${src} > ${dst}:  [|udp]`,
          )
        );
      case IPPROTO_IGMP:
        return s + `${src} > ${dst}: ` + this.guard(() => this.igmp(payload, plen), ' [|igmp]');
      case 41:
        return s + `${src} > ${dst}: ` + this.ip6(payload, plen);
      default:
        return s + `${src} > ${dst}:  ip-proto-${proto} ${plen}`;
    }
  }

  private ipOptions(o: Uint8Array): string {
    const out: string[] = [];
    for (let i = 0; i < o.length; ) {
      const t = u8(o, i);
      if (t === 0) {
        out.push('EOL');
        i++;
        continue;
      }
      if (t === 1) {
        out.push('NOP');
        i++;
        continue;
      }
      const l = u8(o, i + 1);
      if (t === 148) out.push('RA');
      else out.push(`unknown ${t}`);
      i += Math.max(2, l);
    }
    return out.join(',');
  }

  private igmp(p: Uint8Array, len: number): string {
    const r = this.igmpBody(p, len);
    if (this.o.vflag && !this.o.qflag && p.length >= len && len >= IGMP_HEADER_LEN && inCksum(p.subarray(0, len)) !== 0)
      return `${r} bad igmp cksum ${u16(p, IGMPH_CSUM).toString(16)}!`;
    return r;
  }

  private igmpBody(p: Uint8Array, len: number): string {
    if (this.o.qflag) return 'igmp';
    if (p.length >= 1 && u8(p, IGMPH_TYPE) === IGMPV3_HOST_MEMBERSHIP_REPORT && p.length < IGMP_HEADER_LEN) return 'igmp v3 report [|igmp]';
    if (p.length < IGMP_HEADER_LEN) throw new Trunc();
    const t = u8(p, IGMPH_TYPE);
    switch (t) {
      case IGMP_HOST_MEMBERSHIP_QUERY:
        return len >= 12
          ? `igmp query v3`
          : `igmp query v2 [max resp time ${u8(p, IGMPH_CODE) / 10}]` + (u32(p, IGMPH_GROUP) ? ` [gaddr ${ip4(p, IGMPH_GROUP)}]` : '');
      case IGMPV2_HOST_MEMBERSHIP_REPORT:
        return `igmp v2 report ${ip4(p, IGMPH_GROUP)}`;
      case IGMP_HOST_LEAVE_MESSAGE:
        return `igmp leave ${ip4(p, IGMPH_GROUP)}`;
      case IGMPV3_HOST_MEMBERSHIP_REPORT: {
        const ngroups = u16(p, IGMPV3_REPORT_NGREC);
        let r = `igmp v3 report, ${ngroups} group record(s)`;
        if (this.o.vflag > 0) {
          let g = IGMPV3_REPORT_GREC;
          for (let i = 0; i < ngroups; i++) {
            if (g + IGMPV3_GREC_LEN > p.length) throw new Trunc();
            const kinds = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];
            const t = u8(p, g + IGMPV3_GREC_TYPE);
            r += ` [gaddr ${ip4(p, g + IGMPV3_GREC_MCA)} ${kinds[t] ?? ` [v3-report-#${t}]`}`;
            const nsrcs = u16(p, g + IGMPV3_GREC_NSRCS);
            if (len < g + IGMPV3_GREC_LEN + nsrcs * 4) return `${r} [invalid number of sources ${nsrcs}]`;
            if (this.o.vflag === 1) r += `, ${nsrcs} source(s)`;
            else {
              r += ' {';
              for (let j = 0; j < nsrcs; j++) r += ` ${ip4(p, g + IGMPV3_GREC_LEN + j * 4)}`;
              r += ' }';
            }
            g += IGMPV3_GREC_LEN + nsrcs * 4;
            r += ']';
          }
        }
        return r;
      }
      case IGMP_HOST_MEMBERSHIP_REPORT:
        return `igmp v1 report ${ip4(p, IGMPH_GROUP)}`;
    }
    return `igmp-${t}`;
  }

  private icmp(p: Uint8Array, len: number, src: string, dst: string, fragmented: boolean): string {
    if (p.length < 4) throw new Trunc();
    const type = u8(p, ICMPH_TYPE);
    const code = u8(p, ICMPH_CODE);
    let s: string;
    switch (type) {
      case 0:
      case 8:
        if (p.length < ICMP_HEADER_LEN) throw new Trunc();
        s = `ICMP echo ${type === 8 ? 'request' : 'reply'}, id ${u16(p, ICMPH_ECHO_ID)}, seq ${u16(p, ICMPH_ECHO_SEQUENCE)}`;
        break;
      case 3: {
        const inner = p.subarray(ICMP_HEADER_LEN);
        if (inner.length < IPV4_HEADER_LEN) throw new Trunc();
        const ihl = (u8(inner, IPH_VERSION_IHL) & 0xf) * 4;
        const idst = ip4(inner, IPH_DADDR);
        const iproto = u8(inner, IPH_PROTOCOL);
        switch (code) {
          case 0:
            s = `ICMP net ${idst} unreachable`;
            break;
          case 1:
            s = `ICMP host ${idst} unreachable`;
            break;
          case 2:
            s = `ICMP ${idst} protocol ${iproto} unreachable`;
            break;
          case 3: {
            if (inner.length < ihl + 4) throw new Trunc();
            const dport = u16(inner, ihl + UDPH_DEST);
            const pn = iproto === IPPROTO_TCP ? 'tcp' : iproto === IPPROTO_UDP ? 'udp' : `protocol ${iproto}`;
            s = `ICMP ${idst} ${pn} port ${dport} unreachable`;
            break;
          }
          case 4:
            s = `ICMP ${idst} unreachable - need to frag (mtu ${u16(p, ICMPH_FRAG_MTU)})`;
            break;
          case 9:
            s = `ICMP net ${idst} unreachable - admin prohibited`;
            break;
          case 10:
            s = `ICMP host ${idst} unreachable - admin prohibited`;
            break;
          case 13:
            s = `ICMP host ${idst} unreachable - admin prohibited filter`;
            break;
          default:
            s = `ICMP ${idst} unreachable - #${code}`;
        }
        break;
      }
      case 11:
        if (p.length < 28) throw new Trunc();
        s = `ICMP time exceeded in-${code === 0 ? 'transit' : 'reassembly'}`;
        break;
      case 5:
        s = `ICMP redirect ${ip4(p, ICMP_HEADER_LEN + IPH_DADDR)} to ${['net', 'host', 'tos net', 'tos host'][code] ?? 'host'} ${ip4(p, ICMPH_GATEWAY)}`;
        break;
      case 4:
        s = 'ICMP source quench';
        break;
      case 12:
        s = `ICMP parameter problem - octet ${u8(p, ICMPH_POINTER)}`;
        break;
      case 13:
      case 14:
        s = `ICMP time stamp ${type === 13 ? 'query' : 'reply'} id ${u16(p, ICMPH_ECHO_ID)} seq ${u16(p, ICMPH_ECHO_SEQUENCE)}`;
        break;
      default:
        s = `ICMP type-#${type}`;
    }
    let r = `${src} > ${dst}: ${s}, length ${len}`;
    if (this.o.vflag && !fragmented && p.length >= len) {
      const sum = inCksum(p.subarray(0, len));
      if (sum !== 0) {
        const icmpSum = u16(p, ICMPH_CHECKSUM);
        r += ` (wrong icmp cksum ${icmpSum.toString(16)} (->${shouldbe(icmpSum, sum).toString(16)})!)`;
      }
    }
    if (this.o.vflag >= 1 && [3, 4, 5, 11, 12].includes(type) && p.length > ICMP_HEADER_LEN) {
      const inner = p.subarray(ICMP_HEADER_LEN);
      r += '\n\t' + this.guard(() => this.ip(inner, u16(inner, IPH_TOT_LEN)), ' [|ip]');
    }
    return r;
  }

  private udp(p: Uint8Array, len: number, src: string, dst: string, iph: Uint8Array, fragmented: boolean): string {
    if (p.length < UDP_HEADER_LEN) throw new Trunc();
    const sport = u16(p, UDPH_SOURCE);
    const dport = u16(p, UDPH_DEST);
    const ulen = u16(p, UDPH_LEN);
    const head = `${src}.${this.port(sport, UDP_SERVICES)} > ${dst}.${this.port(dport, UDP_SERVICES)}: `;
    if (ulen < 8) return `${head}truncated-udplength ${ulen}`;
    if (ulen > len && !fragmented) return `${head}UDP, bad length ${ulen - 8} > ${len - 8}`;
    let ck = '';
    if (this.o.vflag > 1 && !fragmented) {
      const usum = u16(p, UDPH_CHECK);
      if (usum === 0) ck = '[no cksum] ';
      else if (p.length >= ulen) {
        const sum = inCksum(p.subarray(0, ulen), pseudo(iph, IPPROTO_UDP, ulen));
        ck =
          sum !== 0
            ? `[bad udp cksum 0x${usum.toString(16).padStart(4, '0')} -> 0x${shouldbe(usum, sum).toString(16).padStart(4, '0')}!] `
            : '[udp sum ok] ';
      }
    }
    if (this.o.qflag) return `${head}UDP, length ${ulen - 8}`;
    // udp_print(): the payload's printer by port; `length` is what the IP packet holds, at most ulen
    const length = Math.min(len, ulen) - 8;
    if (sport === 4789 || dport === 4789)
      return `${head}${ck}${vxlanPrint(p.subarray(8), length, (f, w) => this.guard(() => this.ether(f, w), ' [|ether]'))}`;
    return `${head}${ck}UDP, length ${ulen - 8}`;
  }

  private tcp(p: Uint8Array, len: number, src: string, dst: string, iph: Uint8Array, fragmented: boolean): string {
    if (p.length < TCP_HEADER_LEN) throw new Trunc();
    const sport = u16(p, TCPH_SOURCE);
    const dport = u16(p, TCPH_DEST);
    let seq = u32(p, TCPH_SEQ);
    let ack = u32(p, TCPH_ACK_SEQ);
    const hlen = (u8(p, TCPH_DOFF) >> 4) * 4;
    const flags = u8(p, TCPH_FLAGS);
    const win = u16(p, TCPH_WINDOW);
    const urp = u16(p, TCPH_URG_PTR);
    let s = `${src}.${this.port(sport, TCP_SERVICES)} > ${dst}.${this.port(dport, TCP_SERVICES)}: `;
    if (this.o.qflag) return `${s}tcp ${len - hlen}`;
    if (hlen < TCP_HEADER_LEN) return `${s}tcp ${len} [bad hdr length ${hlen} - too short, < 20]`;
    if (!this.o.Sflag && flags & TCPHDR_ACK) {
      let rev = false;
      if (sport > dport) rev = true;
      else if (sport === dport) {
        for (let i = 0; i < 4; i++) {
          const a = u8(iph, IPH_SADDR + i);
          const b = u8(iph, IPH_DADDR + i);
          if (a !== b) {
            rev = a > b;
            break;
          }
        }
      }
      const key = rev ? `${dst}|${src}|${dport}|${sport}` : `${src}|${dst}|${sport}|${dport}`;
      const th = this.tcpSeq.get(key);
      if (!th || flags & TCPHDR_SYN) {
        const e = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
        this.tcpSeq.set(key, e);
      } else if (rev) {
        seq = (seq - th.ack) >>> 0;
        ack = (ack - th.seq) >>> 0;
      } else {
        seq = (seq - th.seq) >>> 0;
        ack = (ack - th.ack) >>> 0;
      }
    }
    const fl = 'FSRP.UEW';
    let f = '';
    for (let i = 0; i < 8; i++) if (flags & (1 << i)) f += fl[i];
    s += `Flags [${f || 'none'}]`;
    if (hlen > len) return `${s} [bad hdr length ${hlen} - too long, > ${len}]`;
    const dlen = len - hlen;
    if (this.o.vflag && !fragmented && p.length >= len) {
      const sum = inCksum(p.subarray(0, len), pseudo(iph, IPPROTO_TCP, len));
      const tsum = u16(p, TCPH_CHECK);
      s += `, cksum 0x${tsum.toString(16).padStart(4, '0')}`;
      s += sum !== 0 ? ` (incorrect -> 0x${shouldbe(tsum, sum).toString(16).padStart(4, '0')})` : ' (correct)';
    }
    if (this.o.vflag > 1 || dlen > 0 || flags & (TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST)) {
      s += `, seq ${seq}`;
      if (dlen > 0) s += `:${(seq + dlen) >>> 0}`;
    }
    if (flags & TCPHDR_ACK) s += `, ack ${ack}`;
    s += `, win ${win}`;
    if (flags & TCPHDR_URG) s += `, urg ${urp}`;
    if (hlen > TCP_HEADER_LEN) {
      const opts = this.tcpOptions(p.subarray(TCP_HEADER_LEN, hlen), hlen - TCP_HEADER_LEN);
      if (opts.trunc) return `${s}, options [${opts.text} [|tcp]`;
      if (opts.bad) return `${s}, options [${opts.text}[bad opt]${opts.text ? ']' : ''}`;
      s += `, options [${opts.text}]`;
    }
    s += `, length ${dlen}`;
    if (dlen > 0 && (sport === 80 || dport === 80 || sport === 8080 || dport === 8080)) s += ': HTTP';
    return s;
  }

  private tcpOptions(o: Uint8Array, optlen: number): { text: string; bad: boolean; trunc?: boolean } {
    const out: string[] = [];
    const sofar = (): string => out.map((x) => x + ',').join('');
    for (let i = 0; i < o.length; ) {
      const t = u8(o, i);
      if (t === TCPOPT_EOL) {
        out.push('eol');
        break;
      }
      if (t === TCPOPT_NOP) {
        out.push('nop');
        i++;
        continue;
      }
      if (i + 1 >= o.length) return i + 1 < optlen ? { text: sofar(), bad: false, trunc: true } : { text: sofar(), bad: true };
      const l = u8(o, i + 1);
      if (l < 2 || i + l > optlen) return { text: sofar(), bad: true };
      if (i + l > o.length) return { text: sofar(), bad: false, trunc: true };
      switch (t) {
        case TCPOPT_MSS:
          out.push(`mss ${u16(o, i + 2)}`);
          break;
        case TCPOPT_WINDOW:
          out.push(`wscale ${u8(o, i + 2)}`);
          break;
        case TCPOPT_SACK_PERM:
          out.push('sackOK');
          break;
        case TCPOPT_SACK: {
          const blocks: string[] = [];
          for (let j = i + 2; j + 8 <= i + l; j += 8) blocks.push(`{${u32(o, j)}:${u32(o, j + 4)}}`);
          out.push(`sack ${blocks.length} ${blocks.join('')}`);
          break;
        }
        case TCPOPT_TIMESTAMP:
          out.push(`TS val ${u32(o, i + 2)} ecr ${u32(o, i + 6)}`);
          break;
        default:
          out.push(`unknown-${t} 0x${Array.from(o.subarray(i + 2, i + l), (x) => x.toString(16).padStart(2, '0')).join('')}`);
      }
      i += l;
    }
    return { text: out.join(','), bad: false };
  }
}

/**
 * Timestamps as one tcpdump process prints them: -t none, -tt seconds, -ttt
 * delta since the previous packet, -tttt date and time, -ttttt delta since the
 * first; default HH:MM:SS.uuuuuu. Local time is UTC in the simulator.
 */
export class Stamper {
  private prev: number | null = null;
  private first: number | null = null;
  constructor(readonly tflag: number) {}

  stamp(sec: number, usec: number): string {
    const t = sec * 1e6 + usec;
    switch (this.tflag) {
      case 3:
      case 5: {
        const base = this.tflag === 3 ? this.prev : this.first;
        if (this.first === null) this.first = t;
        this.prev = t;
        const d = base === null ? 0 : t - base;
        const neg = d < 0;
        const a = Math.abs(d);
        return `${neg ? '-' : ' '}${clock(Math.floor(a / 1e6), a % 1e6)} `;
      }
      case 4: {
        const days = Math.floor(sec / 86400);
        return `${civil(days)} ${clock(sec % 86400, usec)} `;
      }
      default:
        return tsPrefix(this.tflag, sec, usec);
    }
  }
}

function clock(secs: number, usec: number): string {
  const hh = String(Math.floor(secs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((secs % 3600) / 60)).padStart(2, '0');
  const ss = String(secs % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${String(usec).padStart(6, '0')}`;
}

/** Days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian). */
function civil(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The timestamp prefix: -t none, -tt seconds, default HH:MM:SS.uuuuuu (UTC). */
export function tsPrefix(tflag: number, sec: number, usec: number): string {
  if (tflag === 1) return '';
  const us = String(usec).padStart(6, '0');
  if (tflag === 2) return `${sec}.${us} `;
  const d = sec % 86400;
  const hh = String(Math.floor(d / 3600)).padStart(2, '0');
  const mm = String(Math.floor((d % 3600) / 60)).padStart(2, '0');
  const ss = String(d % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${us} `;
}
