// libpcap's gencode.c for DLT_EN10MB: the tree from grammar.ts becomes blocks
// in the same shapes libpcap builds, so its optimizer makes the same program.
import * as B from './bpf.ts';
import { FilterError, Q, parseIpv6, syntaxError, type Arth, type IdVal, type Node, type Qual } from './grammar.ts';
import { BlockFactory, backpatch, genAnd, genNot, genOr, type Block, type Stmt } from './icode.ts';
import { type Rec, run } from './trampoline.ts';
import { ARP_SIP, ARP_TIP } from '../../wire/arp.ts';
import {
  ETH_ALEN,
  ETH_DEST,
  ETH_HLEN,
  ETH_P_ARP as ETHERTYPE_ARP,
  ETH_P_IP as ETHERTYPE_IP,
  ETH_P_IPV6 as ETHERTYPE_IPV6,
  ETH_PROTO,
  ETH_SOURCE,
} from '../../wire/ethernet.ts';
import { IPH_DADDR, IPH_FRAG_OFF, IPH_PROTOCOL, IPH_SADDR, IPPROTO_TCP, IPPROTO_UDP, IP_OFFSET } from '../../wire/ipv4.ts';
import { TCPH_DEST, TCPH_SOURCE } from '../../wire/tcp.ts';
import { SLL2_HDR_LEN, SLL2_PROTOCOL, SLL_HDR_LEN, SLL_PROTOCOL } from '../../wire/sll.ts';

const ETHERTYPE_REVARP = 0x8035;
const IPPROTO_SCTP = 132;
const IPPROTO_HOPOPTS = 0;
const IPPROTO_ROUTING = 43;
const IPPROTO_FRAGMENT = 44;
const IPPROTO_AH = 51;
const IPPROTO_NONE = 59;
const IPPROTO_DSTOPTS = 60;
const PROTO_UNDEF = -1;
const ETHERTYPE_MPLS = 0x8847;
const ETHERMTU = 1500;
const LINUX_SLL_P_802_3 = 0x0001;
const LINUX_SLL_P_802_2 = 0x0004;
const ETHERTYPE_IPX = 0x8137;
const ETHERTYPE_ATALK = 0x809b;
const ETHERTYPE_AARP = 0x80f3;
const LLCSAP_IP = 0x06;
const LLCSAP_ISONS = 0xfe;
const LLCSAP_NETBEUI = 0xf0;
const LLCSAP_IPX = 0xe0;
const PPP_MPLS_UCAST = 0x0281;
/** ethertype_to_ppptype (IP, IPv6, DECnet, AppleTalk, XNS, and the OSI, STP and IPX SAPs). */
const PPP_TYPES: Record<number, number> = {
  0x0800: 0x0021,
  0x86dd: 0x0057,
  0x6003: 0x0027,
  0x809b: 0x0029,
  0x0600: 0x0025,
  0xfe: 0x0023,
  0x42: 0x0031,
  0xe0: 0x002b,
};
const SKF_AD_OFF = -0x1000;
const SKF_AD_PKTTYPE = 4;
const PACKET_OUTGOING = 4;

const IP_PROTOS: Record<string, number> = {
  ip: 0,
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ggp: 3,
  ipencap: 4,
  st: 5,
  tcp: 6,
  egp: 8,
  igp: 9,
  pup: 12,
  udp: 17,
  hmp: 20,
  'xns-idp': 22,
  rdp: 27,
  'iso-tp4': 29,
  dccp: 33,
  xtp: 36,
  ddp: 37,
  'idpr-cmtp': 38,
  ipv6: 41,
  'ipv6-route': 43,
  'ipv6-frag': 44,
  idrp: 45,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  skip: 57,
  'ipv6-icmp': 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  rspf: 73,
  vmtp: 81,
  eigrp: 88,
  ospf: 89,
  'ax.25': 93,
  ipip: 94,
  etherip: 97,
  encap: 98,
  pim: 103,
  ipcomp: 108,
  vrrp: 112,
  l2tp: 115,
  isis: 124,
  sctp: 132,
  fc: 133,
  'mobility-header': 135,
  udplite: 136,
  'mpls-in-ip': 137,
  manet: 138,
  hip: 139,
  shim6: 140,
  wesp: 141,
  rohc: 142,
  ethernet: 143,
};

const ETHER_PROTOS: Record<string, number> = {
  ip: 0x0800,
  ip6: 0x86dd,
  arp: 0x0806,
  rarp: 0x8035,
  atalk: 0x809b,
  aarp: 0x80f3,
  decnet: 0x6003,
  sca: 0x6007,
  lat: 0x6004,
  mopdl: 0x6001,
  moprc: 0x6002,
  iso: 0xfefe,
  stp: 0x42,
  ipx: 0x8137,
  netbeui: 0xf0,
};

const SERVICES: Record<string, [number, string]> = {
  tcpmux: [1, 'tcp'],
  echo: [7, 'both'],
  discard: [9, 'both'],
  daytime: [13, 'both'],
  ftp: [21, 'tcp'],
  'ftp-data': [20, 'tcp'],
  ssh: [22, 'tcp'],
  telnet: [23, 'tcp'],
  smtp: [25, 'tcp'],
  time: [37, 'tcp'],
  whois: [43, 'tcp'],
  domain: [53, 'both'],
  bootps: [67, 'udp'],
  bootpc: [68, 'udp'],
  tftp: [69, 'udp'],
  gopher: [70, 'tcp'],
  finger: [79, 'tcp'],
  http: [80, 'tcp'],
  www: [80, 'tcp'],
  kerberos: [88, 'both'],
  pop3: [110, 'tcp'],
  sunrpc: [111, 'both'],
  auth: [113, 'tcp'],
  nntp: [119, 'tcp'],
  ntp: [123, 'udp'],
  'netbios-ns': [137, 'udp'],
  'netbios-dgm': [138, 'udp'],
  'netbios-ssn': [139, 'tcp'],
  imap2: [143, 'tcp'],
  imap: [143, 'tcp'],
  snmp: [161, 'both'],
  'snmp-trap': [162, 'both'],
  bgp: [179, 'tcp'],
  ldap: [389, 'tcp'],
  https: [443, 'both'],
  'microsoft-ds': [445, 'tcp'],
  syslog: [514, 'udp'],
  submission: [587, 'tcp'],
  ldaps: [636, 'tcp'],
  imaps: [993, 'tcp'],
  pop3s: [995, 'tcp'],
  openvpn: [1194, 'both'],
  mysql: [3306, 'tcp'],
  'http-alt': [8080, 'tcp'],
  webcache: [8080, 'tcp'],
};

interface ArthV {
  s: Stmt[];
  regno: number;
  b: Block | null;
}

/** Parses a dotted IPv4 prefix as __pcap_atoin does: returns [value, bits] or null. */
function atoin(s: string): [number, number] | null {
  const parts = s.split('.');
  let v = 0;
  let len = 0;
  for (const p of parts) {
    const n = Number(p);
    if (!/^[0-9]+$/.test(p) || n > 255) return null;
    v = ((v << 8) | n) >>> 0;
    len += 8;
  }
  return [v >>> 0, len];
}

/** pcap_ether_aton: pairs of hex digits, each pair's separator (':', '.', '-') skipped. */
function etherAton(s: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (':.-'.includes(s[i] as string)) i++;
    let d = parseInt(s[i++] as string, 16);
    if (i < s.length && /[0-9A-Fa-f]/.test(s[i] as string)) d = (d << 4) | parseInt(s[i++] as string, 16);
    out.push(d);
  }
  return new Uint8Array(out);
}

export class CodeGen {
  readonly f = new BlockFactory();
  private regused = new Array<boolean>(B.BPF_MEMWORDS).fill(false);
  private curreg = 0;
  private offLinktype = ETH_PROTO;
  private offLinkpl = ETH_HLEN;
  /** off_linkhdr: where the link-layer header starts (past a PPPoE session header, once 'pppoes' said so). */
  private offLinkhdr = 0;
  /** off_nl: the network layer past the link-layer payload's start (4 per MPLS label). */
  private offNl = 0;
  /** 'pppoes' makes the rest of the filter look at PPP (PUSH_LINKHDR with DLT_PPP). */
  private isPppoes = false;
  private mplsDepth = 0;
  /** Set by gen_protochain: its backward jump needs the optimizer off (cstate->no_optimize). */
  noOptimize = false;

  /** The capture device's IPv4 netmask (0 for savefiles and -d, as tcpdump passes). */
  constructor(
    readonly snaplen: number,
    readonly netmask = 0,
    readonly dlt: 'EN10MB' | 'LINUX_SLL' | 'LINUX_SLL2' = 'EN10MB',
  ) {
    if (dlt === 'LINUX_SLL2') {
      this.offLinktype = SLL2_PROTOCOL;
      this.offLinkpl = SLL2_HDR_LEN;
    } else if (dlt === 'LINUX_SLL') {
      this.offLinktype = SLL_PROTOCOL;
      this.offLinkpl = SLL_HDR_LEN;
    }
  }

  private get sll(): boolean {
    return this.dlt !== 'EN10MB';
  }

  private get cooked(): string {
    return this.dlt === 'LINUX_SLL' ? 'Linux cooked v1' : 'Linux cooked v2';
  }

  stmt(code: number, k = 0): Stmt {
    return { code, k };
  }

  /** finish_parse: returns the root block, or null for an empty program (accept all). */
  finish(node: Node | null): Block {
    if (!node) {
      const r = this.retblk(this.snaplen);
      return r;
    }
    const p = this.gen(node);
    backpatch(p, this.retblk(this.snaplen));
    p.sense = !p.sense;
    backpatch(p, this.retblk(0));
    return p.head;
  }

  private retblk(v: number): Block {
    const b = this.f.newBlock(B.BPF_RET | B.BPF_K);
    b.s.k = v;
    return b;
  }

  // ---- registers
  private allocReg(): number {
    let n = B.BPF_MEMWORDS;
    while (--n >= 0) {
      if (this.regused[this.curreg]) this.curreg = (this.curreg + 1) % B.BPF_MEMWORDS;
      else {
        this.regused[this.curreg] = true;
        return this.curreg;
      }
    }
    throw new FilterError('too many registers needed to evaluate expression');
  }
  private freeReg(n: number): void {
    this.regused[n] = false;
  }

  // ---- loads and comparisons
  private loadA(offrel: 'linkhdr' | 'linktype' | 'linkpl' | 'tran4' | 'tran6' | 'packet', offset: number, size: number): Stmt[] {
    switch (offrel) {
      case 'packet':
        return [this.stmt(B.BPF_LD | B.BPF_ABS | size, offset)];
      case 'linkhdr':
        return [this.stmt(B.BPF_LD | B.BPF_ABS | size, this.offLinkhdr + offset)];
      case 'linktype':
        return [this.stmt(B.BPF_LD | B.BPF_ABS | size, this.offLinktype + offset)];
      case 'linkpl':
        return [this.stmt(B.BPF_LD | B.BPF_ABS | size, this.offLinkpl + this.offNl + offset)];
      case 'tran6':
        return [this.stmt(B.BPF_LD | B.BPF_ABS | size, this.offLinkpl + this.offNl + 40 + offset)];
      case 'tran4':
        return [this.loadxIphdrlen(), this.stmt(B.BPF_LD | B.BPF_IND | size, this.offLinkpl + this.offNl + offset)];
    }
  }
  private loadxIphdrlen(): Stmt {
    return this.stmt(B.BPF_LDX | B.BPF_MSH | B.BPF_B, this.offLinkpl + this.offNl);
  }

  private ncmp(
    offrel: Parameters<CodeGen['loadA']>[0],
    offset: number,
    size: number,
    mask: number,
    jtype: number,
    reverse: boolean,
    v: number,
  ): Block {
    const s = this.loadA(offrel, offset, size);
    if (mask >>> 0 !== 0xffffffff) s.push(this.stmt(B.BPF_ALU | B.BPF_AND | B.BPF_K, mask >>> 0));
    const b = this.f.jmp(jtype);
    b.stmts = s;
    b.s.k = v >>> 0;
    if (reverse && (jtype === B.BPF_JGT || jtype === B.BPF_JGE)) genNot(b);
    return b;
  }
  private cmp(offrel: Parameters<CodeGen['loadA']>[0], offset: number, size: number, v: number): Block {
    return this.ncmp(offrel, offset, size, 0xffffffff, B.BPF_JEQ, false, v);
  }
  private mcmp(offrel: Parameters<CodeGen['loadA']>[0], offset: number, size: number, v: number, mask: number): Block {
    return this.ncmp(offrel, offset, size, mask, B.BPF_JEQ, false, v);
  }
  private bcmp(offrel: 'linkhdr' | 'linkpl', offset: number, size: number, v: Uint8Array): Block {
    let b: Block | null = null;
    const at = (i: number): number => v[i] ?? 0;
    while (size >= 4) {
      const p = size - 4;
      const w = ((at(p) << 24) | (at(p + 1) << 16) | (at(p + 2) << 8) | at(p + 3)) >>> 0;
      const tmp = this.cmp(offrel, offset + size - 4, B.BPF_W, w);
      if (b) genAnd(b, tmp);
      b = tmp;
      size -= 4;
    }
    while (size >= 2) {
      const p = size - 2;
      const tmp = this.cmp(offrel, offset + size - 2, B.BPF_H, (at(p) << 8) | at(p + 1));
      if (b) genAnd(b, tmp);
      b = tmp;
      size -= 2;
    }
    if (size > 0) {
      const tmp = this.cmp(offrel, offset, B.BPF_B, at(0));
      if (b) genAnd(b, tmp);
      b = tmp;
    }
    return b as Block;
  }

  private linktype(proto: number): Block {
    // gen_mpls_linktype: below a label stack, the bottom-of-stack bit and the IP version
    if (this.mplsDepth > 0) {
      const version = proto === ETHERTYPE_IP ? 0x40 : proto === ETHERTYPE_IPV6 ? 0x60 : -1;
      if (version < 0) throw new FilterError('unsupported protocol over mpls');
      const b0 = this.mcmp('linkpl', -2, B.BPF_B, 0x01, 0x01);
      const b1 = this.mcmp('linkpl', 0, B.BPF_B, version, 0xf0);
      genAnd(b0, b1);
      return b1;
    }
    // DLT_PPP inside PPPoE: the Ethernet type mapped to PPP's (ethertype_to_ppptype)
    if (this.isPppoes) return this.cmp('linktype', 0, B.BPF_H, PPP_TYPES[proto] ?? proto);
    // DLT_LINUX_SLL2 takes gen_linktype's default: the protocol field, whatever its value
    if (this.dlt === 'LINUX_SLL2') return this.cmp('linktype', 0, B.BPF_H, proto);
    return this.dlt === 'LINUX_SLL' ? this.sllLinktype(proto) : this.etherLinktype(proto);
  }

  /** gen_linux_sll_linktype: the cooked header's protocol, 802.2 frames by their LLC header. */
  private sllLinktype(proto: number): Block {
    const is8022 = (): Block => this.cmp('linktype', 0, B.BPF_H, LINUX_SLL_P_802_2);
    switch (proto) {
      case LLCSAP_ISONS:
      case LLCSAP_IP:
      case LLCSAP_NETBEUI: {
        const b0 = is8022();
        const b1 = this.cmp('linkpl', 0, B.BPF_H, (proto << 8) | proto);
        genAnd(b0, b1);
        return b1;
      }
      case LLCSAP_IPX: {
        let b0 = this.cmp('linkpl', 0, B.BPF_B, LLCSAP_IPX);
        const b1 = this.snap(0x000000, ETHERTYPE_IPX);
        genOr(b0, b1);
        b0 = is8022();
        genAnd(b0, b1);
        b0 = this.cmp('linktype', 0, B.BPF_H, LINUX_SLL_P_802_3);
        genOr(b0, b1);
        b0 = this.cmp('linktype', 0, B.BPF_H, ETHERTYPE_IPX);
        genOr(b0, b1);
        return b1;
      }
      case ETHERTYPE_ATALK:
      case ETHERTYPE_AARP: {
        let b0 = is8022();
        const b1 = proto === ETHERTYPE_ATALK ? this.snap(0x080007, ETHERTYPE_ATALK) : this.snap(0x000000, ETHERTYPE_AARP);
        genAnd(b0, b1);
        b0 = this.cmp('linktype', 0, B.BPF_H, proto);
        genOr(b0, b1);
        return b1;
      }
    }
    if (proto <= ETHERMTU) {
      const b0 = is8022();
      const b1 = this.cmp('linkhdr', this.offLinkpl, B.BPF_B, proto);
      genAnd(b0, b1);
      return b1;
    }
    return this.cmp('linktype', 0, B.BPF_H, proto);
  }

  /** gen_ether_linktype: Ethernet II types, and 802.3 frames' LLC SAPs and SNAP headers. */
  private etherLinktype(proto: number): Block {
    const is8023 = (): Block => {
      const b = this.ncmp('linktype', 0, B.BPF_H, 0xffffffff, B.BPF_JGT, false, ETHERMTU);
      genNot(b);
      return b;
    };
    switch (proto) {
      case LLCSAP_ISONS:
      case LLCSAP_IP:
      case LLCSAP_NETBEUI: {
        // DSAP and SSAP both the SAP
        const b0 = is8023();
        const b1 = this.cmp('linkpl', 0, B.BPF_H, (proto << 8) | proto);
        genAnd(b0, b1);
        return b1;
      }
      case LLCSAP_IPX: {
        // 802.2 with the IPX SAP, raw 802.3 (0xffff), SNAP with IPX's type, or Ethernet II
        let b0 = this.cmp('linkpl', 0, B.BPF_B, LLCSAP_IPX);
        const b1 = this.cmp('linkpl', 0, B.BPF_H, 0xffff);
        genOr(b0, b1);
        b0 = this.snap(0x000000, ETHERTYPE_IPX);
        genOr(b0, b1);
        b0 = is8023();
        genAnd(b0, b1);
        b0 = this.cmp('linktype', 0, B.BPF_H, ETHERTYPE_IPX);
        genOr(b0, b1);
        return b1;
      }
      case ETHERTYPE_ATALK:
      case ETHERTYPE_AARP: {
        let b0 = is8023();
        const b1 = proto === ETHERTYPE_ATALK ? this.snap(0x080007, ETHERTYPE_ATALK) : this.snap(0x000000, ETHERTYPE_AARP);
        genAnd(b0, b1);
        b0 = this.cmp('linktype', 0, B.BPF_H, proto);
        genOr(b0, b1);
        return b1;
      }
    }
    if (proto <= ETHERMTU) {
      const b0 = is8023();
      const b1 = this.cmp('linktype', 2, B.BPF_B, proto);
      genAnd(b0, b1);
      return b1;
    }
    return this.cmp('linktype', 0, B.BPF_H, proto);
  }

  /** gen_snap: an LLC SNAP header with this organization code and type. */
  private snap(orgcode: number, ptype: number): Block {
    const v = [0xaa, 0xaa, 0x03, orgcode >> 16, (orgcode >> 8) & 0xff, orgcode & 0xff, ptype >> 8, ptype & 0xff];
    return this.bcmp('linkpl', 0, 8, new Uint8Array(v));
  }

  private ipfrag(): Block {
    const s = this.loadA('linkpl', IPH_FRAG_OFF, B.BPF_H);
    const b = this.f.jmp(B.BPF_JSET);
    b.s.k = IP_OFFSET;
    b.stmts = s;
    genNot(b);
    return b;
  }

  // ---- protocols
  private protoAbbrev(proto: number): Block {
    switch (proto) {
      case Q.SCTP:
        return this.genProto(IPPROTO_SCTP, Q.DEFAULT);
      case Q.TCP:
        return this.genProto(IPPROTO_TCP, Q.DEFAULT);
      case Q.UDP:
        return this.genProto(IPPROTO_UDP, Q.DEFAULT);
      case Q.ICMP:
        return this.genProto(1, Q.IP);
      case Q.IGMP:
        return this.genProto(2, Q.IP);
      case Q.IGRP:
        return this.genProto(9, Q.IP);
      case Q.PIM:
        return this.genProto(103, Q.DEFAULT);
      case Q.VRRP:
        return this.genProto(112, Q.IP);
      case Q.CARP:
        return this.genProto(112, Q.IP);
      case Q.IP:
        return this.linktype(ETHERTYPE_IP);
      case Q.ARP:
        return this.linktype(ETHERTYPE_ARP);
      case Q.RARP:
        return this.linktype(ETHERTYPE_REVARP);
      case Q.LINK:
        throw new FilterError('link layer applied in wrong context');
      case Q.IPV6:
        return this.linktype(ETHERTYPE_IPV6);
      case Q.ICMPV6:
        return this.genProto(58, Q.IPV6);
      case Q.AH:
        return this.genProto(51, Q.DEFAULT);
      case Q.ESP:
        return this.genProto(50, Q.DEFAULT);
      case Q.ATALK:
        return this.linktype(0x809b);
      case Q.AARP:
        return this.linktype(0x80f3);
      case Q.DECNET:
        return this.linktype(0x6003);
      case Q.SCA:
        return this.linktype(0x6007);
      case Q.LAT:
        return this.linktype(0x6004);
      case Q.MOPDL:
        return this.linktype(0x6001);
      case Q.MOPRC:
        return this.linktype(0x6002);
      case Q.STP:
        return this.linktype(0x42);
      case Q.IPX:
        return this.linktype(0xe0);
      case Q.NETBEUI:
        return this.linktype(0xf0);
      case Q.ISO:
        return this.linktype(0xfe);
      case Q.RADIO:
        throw new FilterError("'radio' is not a valid protocol type for this link type");
    }
    throw new FilterError('Unknown protocol abbreviation');
  }

  private genProto(v: number, proto: number): Block {
    switch (proto) {
      case Q.DEFAULT: {
        const b0 = this.genProto(v, Q.IP);
        const b1 = this.genProto(v, Q.IPV6);
        genOr(b0, b1);
        return b1;
      }
      case Q.LINK:
        return this.linktype(v);
      case Q.IP: {
        const b0 = this.linktype(ETHERTYPE_IP);
        const b1 = this.cmp('linkpl', IPH_PROTOCOL, B.BPF_B, v);
        genAnd(b0, b1);
        return b1;
      }
      case Q.IPV6: {
        const b0 = this.linktype(ETHERTYPE_IPV6);
        let b2 = this.cmp('linkpl', 6, B.BPF_B, IPPROTO_FRAGMENT);
        const b1 = this.cmp('linkpl', 40, B.BPF_B, v);
        genAnd(b2, b1);
        b2 = this.cmp('linkpl', 6, B.BPF_B, v);
        genOr(b2, b1);
        genAnd(b0, b1);
        return b1;
      }
      case Q.ARP:
        throw new FilterError('arp does not encapsulate another protocol');
      case Q.RARP:
        throw new FilterError('rarp does not encapsulate another protocol');
      case Q.TCP:
        throw new FilterError("'tcp proto' is bogus");
      case Q.UDP:
        throw new FilterError("'udp proto' is bogus");
      case Q.ICMP:
        throw new FilterError("'icmp proto' is bogus");
      case Q.IGMP:
        throw new FilterError("'igmp proto' is bogus");
      case Q.SCTP:
        throw new FilterError("'sctp proto' is bogus");
      case Q.ATALK:
        throw new FilterError('AppleTalk encapsulation is not specifiable');
      case Q.DECNET:
        throw new FilterError('DECNET encapsulation is not specifiable');
      case Q.LAT:
      case Q.SCA:
      case Q.MOPRC:
      case Q.MOPDL:
        throw new FilterError(`${protoName(proto).toUpperCase()} does not encapsulate another protocol`);
    }
    throw new FilterError(`'${protoName(proto)} proto' is bogus`);
  }

  // ---- hosts
  private hostop(addr: number, mask: number, dir: number, llProto: number, srcOff: number, dstOff: number): Block {
    let offset: number;
    switch (dir) {
      case Q.SRC:
        offset = srcOff;
        break;
      case Q.DST:
        offset = dstOff;
        break;
      case Q.AND: {
        const b0 = this.hostop(addr, mask, Q.SRC, llProto, srcOff, dstOff);
        const b1 = this.hostop(addr, mask, Q.DST, llProto, srcOff, dstOff);
        genAnd(b0, b1);
        return b1;
      }
      case Q.DEFAULT:
      case Q.OR: {
        const b0 = this.hostop(addr, mask, Q.SRC, llProto, srcOff, dstOff);
        const b1 = this.hostop(addr, mask, Q.DST, llProto, srcOff, dstOff);
        genOr(b0, b1);
        return b1;
      }
      default:
        throw new FilterError('direction applied to host');
    }
    const b0 = this.linktype(llProto);
    const b1 = this.mcmp('linkpl', offset, B.BPF_W, addr, mask);
    genAnd(b0, b1);
    return b1;
  }

  private host(addr: number, mask: number, proto: number, dir: number, type: number): Block {
    const typestr = type === Q.NET ? 'net' : 'host';
    switch (proto) {
      case Q.DEFAULT: {
        let b0 = this.host(addr, mask, Q.IP, dir, type);
        // below MPLS labels, IPv4 only
        if (this.mplsDepth > 0) return b0;
        const b1 = this.host(addr, mask, Q.ARP, dir, type);
        genOr(b0, b1);
        b0 = this.host(addr, mask, Q.RARP, dir, type);
        genOr(b1, b0);
        return b0;
      }
      case Q.LINK:
        throw new FilterError(`link-layer modifier applied to ${typestr}`);
      case Q.IP:
        return this.hostop(addr, mask, dir, ETHERTYPE_IP, IPH_SADDR, IPH_DADDR);
      case Q.RARP:
        return this.hostop(addr, mask, dir, ETHERTYPE_REVARP, ARP_SIP, ARP_TIP);
      case Q.ARP:
        return this.hostop(addr, mask, dir, ETHERTYPE_ARP, ARP_SIP, ARP_TIP);
      case Q.IPV6:
        throw new FilterError("'ip6' modifier applied to ip host");
    }
    const ni = HOST_NOT_IMPLEMENTED[proto];
    if (ni) throw new FilterError(`${ni} host filtering not implemented`);
    throw new FilterError(`'${protoName(proto)}' modifier applied to ${typestr}`);
  }

  private ehostop(ea: Uint8Array, dir: number): Block {
    switch (dir) {
      case Q.SRC:
        return this.bcmp('linkhdr', ETH_SOURCE, ETH_ALEN, ea);
      case Q.DST:
        return this.bcmp('linkhdr', ETH_DEST, ETH_ALEN, ea);
      case Q.AND: {
        const b0 = this.ehostop(ea, Q.SRC);
        const b1 = this.ehostop(ea, Q.DST);
        genAnd(b0, b1);
        return b1;
      }
      case Q.DEFAULT:
      case Q.OR: {
        const b0 = this.ehostop(ea, Q.SRC);
        const b1 = this.ehostop(ea, Q.DST);
        genOr(b0, b1);
        return b1;
      }
    }
    throw new FilterError("'addr1' and 'address1' are only supported on 802.11 with 802.11 headers");
  }

  // ---- ports
  private portop(port: number, proto: number, dir: number): Block {
    const tmp = this.cmp('linkpl', IPH_PROTOCOL, B.BPF_B, proto);
    const b0 = this.ipfrag();
    genAnd(tmp, b0);
    const b1 = this.portDir(dir, (off) => this.cmp('tran4', off, B.BPF_H, port));
    genAnd(b0, b1);
    return b1;
  }
  private portop6(port: number, proto: number, dir: number): Block {
    const b0 = this.cmp('linkpl', 6, B.BPF_B, proto);
    const b1 = this.portDir(dir, (off) => this.cmp('tran6', off, B.BPF_H, port));
    genAnd(b0, b1);
    return b1;
  }
  /** The source and destination ports sit at the same offsets in TCP, UDP and SCTP headers. */
  private portDir(dir: number, atom: (off: number) => Block): Block {
    switch (dir) {
      case Q.SRC:
        return atom(TCPH_SOURCE);
      case Q.DST:
        return atom(TCPH_DEST);
      case Q.AND: {
        const t = atom(TCPH_SOURCE);
        const b1 = atom(TCPH_DEST);
        genAnd(t, b1);
        return b1;
      }
      case Q.DEFAULT:
      case Q.OR: {
        const t = atom(TCPH_SOURCE);
        const b1 = atom(TCPH_DEST);
        genOr(t, b1);
        return b1;
      }
    }
    throw new FilterError('direction applied to port');
  }
  private portAny(ll: number, ipProto: number, op: (p: number) => Block): Block {
    const b0 = this.linktype(ll);
    let b1: Block;
    if (ipProto === PROTO_UNDEF) {
      let tmp = op(IPPROTO_TCP);
      b1 = op(IPPROTO_UDP);
      genOr(tmp, b1);
      tmp = op(IPPROTO_SCTP);
      genOr(tmp, b1);
    } else b1 = op(ipProto);
    genAnd(b0, b1);
    return b1;
  }
  private port(port: number, ipProto: number, dir: number): Block {
    return this.portAny(ETHERTYPE_IP, ipProto, (p) => this.portop(port, p, dir));
  }
  private port6(port: number, ipProto: number, dir: number): Block {
    return this.portAny(ETHERTYPE_IPV6, ipProto, (p) => this.portop6(port, p, dir));
  }
  private rangeAtom(rel: 'tran4' | 'tran6', off: number, v1: number, v2: number): Block {
    if (v1 > v2) [v1, v2] = [v2, v1];
    const b1 = this.ncmp(rel, off, B.BPF_H, 0xffffffff, B.BPF_JGE, false, v1);
    const b2 = this.ncmp(rel, off, B.BPF_H, 0xffffffff, B.BPF_JGT, true, v2);
    genAnd(b1, b2);
    return b2;
  }
  private portrange(p1: number, p2: number, ipProto: number, dir: number): Block {
    return this.portAny(ETHERTYPE_IP, ipProto, (p) => {
      const tmp = this.cmp('linkpl', IPH_PROTOCOL, B.BPF_B, p);
      const b0 = this.ipfrag();
      genAnd(tmp, b0);
      const b1 = this.portDir(dir, (off) => this.rangeAtom('tran4', off, p1, p2));
      genAnd(b0, b1);
      return b1;
    });
  }
  private portrange6(p1: number, p2: number, ipProto: number, dir: number): Block {
    return this.portAny(ETHERTYPE_IPV6, ipProto, (p) => {
      const b0 = this.cmp('linkpl', 6, B.BPF_B, p);
      const b1 = this.portDir(dir, (off) => this.rangeAtom('tran6', off, p1, p2));
      genAnd(b0, b1);
      return b1;
    });
  }

  private portProto(proto: number, what: string): number {
    switch (proto) {
      case Q.UDP:
        return IPPROTO_UDP;
      case Q.TCP:
        return IPPROTO_TCP;
      case Q.SCTP:
        return IPPROTO_SCTP;
      case Q.DEFAULT:
        return PROTO_UNDEF;
    }
    throw new FilterError(`illegal qualifier of '${what}'`);
  }

  // ---- ids
  private ncode(s: string | null, v: number, q: Qual): Block {
    let vlen = 32;
    if (s !== null) {
      const r = atoin(s);
      if (!r) throw new FilterError(`invalid IPv4 address '${s}'`);
      [v, vlen] = r;
    }
    const proto = q.proto;
    switch (q.addr) {
      case Q.DEFAULT:
      case Q.HOST:
      case Q.NET: {
        if (proto === Q.LINK) throw new FilterError('illegal link layer address');
        let mask = 0xffffffff;
        if (s === null && q.addr === Q.NET) {
          while (v && (v & 0xff000000) === 0) {
            v = (v << 8) >>> 0;
            mask = (mask << 8) >>> 0;
          }
        } else {
          v = vlen === 0 ? 0 : (v << (32 - vlen)) >>> 0;
          mask = vlen === 0 ? 0 : (mask << (32 - vlen)) >>> 0;
          if (vlen === 32) {
            v = v >>> 0;
            mask = 0xffffffff;
          }
        }
        return this.host(v >>> 0, mask >>> 0, proto, q.dir, q.addr);
      }
      case Q.PORT: {
        const p = this.portProto(proto, 'port');
        if (v > 65535) throw new FilterError(`illegal port number ${v} > 65535`);
        const b = this.port(v, p, q.dir);
        genOr(this.port6(v, p, q.dir), b);
        return b;
      }
      case Q.PORTRANGE: {
        const p = this.portProto(proto, 'portrange');
        if (v > 65535) throw new FilterError(`illegal port number ${v} > 65535`);
        const b = this.portrange(v, v, p, q.dir);
        genOr(this.portrange6(v, v, p, q.dir), b);
        return b;
      }
      case Q.GATEWAY:
        throw new FilterError("'gateway' requires a name");
      case Q.PROTO:
        return this.genProtoDir(v, proto, q.dir);
      case Q.PROTOCHAIN:
        return this.protochain(v, proto);
    }
    throw syntaxError();
  }

  /**
   * gen_protochain: walks the IPv6 extension headers (hop-by-hop, destination
   * options, routing, fragment) and AH with a backward jump, in one block whose
   * statements branch among themselves; libpcap turns the optimizer off for it.
   */
  private protochain(v: number, proto: number): Block {
    const reg2 = this.allocReg();
    switch (proto) {
      case Q.IP:
      case Q.IPV6:
        break;
      case Q.DEFAULT: {
        const b0 = this.protochain(v, Q.IP);
        const b = this.protochain(v, Q.IPV6);
        genOr(b0, b);
        return b;
      }
      default:
        throw new FilterError("bad protocol applied for 'protochain'");
    }
    this.noOptimize = true;
    const nl = this.offLinkpl + this.offNl;
    const s: Stmt[] = [];
    const add = (code: number, k = 0): Stmt => {
      const st = this.stmt(code, k);
      s.push(st);
      return st;
    };
    const jeq = (k: number): Stmt => add(B.BPF_JMP | B.BPF_JEQ | B.BPF_K, k);
    let b0: Block;
    if (proto === Q.IP) {
      b0 = this.linktype(ETHERTYPE_IP);
      add(B.BPF_LD | B.BPF_ABS | B.BPF_B, nl + IPH_PROTOCOL); // A = ip->ip_p
      add(B.BPF_LDX | B.BPF_MSH | B.BPF_B, nl); // X = ip->ip_hl << 2
    } else {
      b0 = this.linktype(ETHERTYPE_IPV6);
      add(B.BPF_LD | B.BPF_ABS | B.BPF_B, nl + 6); // A = ip6->ip6_nxt
      add(B.BPF_LDX | B.BPF_IMM, 40); // X = sizeof(struct ip6_hdr)
    }
    const again = s.length;
    const fix5 = jeq(v); // again: if (A == v) goto end
    const fix2 = jeq(IPPROTO_NONE); // if (A == IPPROTO_NONE) goto end
    fix5.jf = fix2;
    let fix3: Stmt | null = null;
    if (proto === Q.IPV6) {
      // if (A is hop-by-hop, dstopts, routing or fragment) goto v6advance; else goto ahcheck
      const heads = [IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING, IPPROTO_FRAGMENT].map((k) => jeq(k));
      fix2.jf = heads[0] as Stmt;
      for (let j = 1; j < heads.length; j++) (heads[j - 1] as Stmt).jf = heads[j] as Stmt;
      fix3 = heads[3] as Stmt;
      // v6advance: A = P[X + nl]; X = X + (P[X + nl + 1] + 1) * 8
      const v6advance = add(B.BPF_LD | B.BPF_IND | B.BPF_B, nl);
      add(B.BPF_ST, reg2);
      add(B.BPF_LD | B.BPF_IND | B.BPF_B, nl + 1);
      add(B.BPF_ALU | B.BPF_ADD | B.BPF_K, 1);
      add(B.BPF_ALU | B.BPF_MUL | B.BPF_K, 8);
      add(B.BPF_ALU | B.BPF_ADD | B.BPF_X);
      add(B.BPF_MISC | B.BPF_TAX);
      add(B.BPF_LD | B.BPF_MEM, reg2);
      add(B.BPF_JMP | B.BPF_JA, again - s.length - 1); // goto again
      for (const h of heads) h.jt = v6advance;
    } else fix2.jf = add(B.BPF_ALU | B.BPF_ADD | B.BPF_K, 0); // nop
    // ahcheck: if (A == IPPROTO_AH) { A = P[X]; X = X + (P[X + 1] + 2) * 4; goto again } else goto end
    const fix4 = jeq(IPPROTO_AH);
    if (fix3) fix3.jf = fix4;
    fix4.jt = add(B.BPF_MISC | B.BPF_TXA);
    add(B.BPF_LD | B.BPF_IND | B.BPF_B, nl);
    add(B.BPF_ST, reg2);
    add(B.BPF_MISC | B.BPF_TXA);
    add(B.BPF_ALU | B.BPF_ADD | B.BPF_K, 1);
    add(B.BPF_MISC | B.BPF_TAX);
    add(B.BPF_LD | B.BPF_IND | B.BPF_B, nl);
    add(B.BPF_ALU | B.BPF_ADD | B.BPF_K, 2);
    add(B.BPF_ALU | B.BPF_MUL | B.BPF_K, 4);
    add(B.BPF_MISC | B.BPF_TAX);
    add(B.BPF_LD | B.BPF_MEM, reg2);
    add(B.BPF_JMP | B.BPF_JA, again - s.length - 1); // goto again
    const end = add(B.BPF_ALU | B.BPF_ADD | B.BPF_K, 0); // end: nop
    fix2.jt = end;
    fix4.jf = end;
    fix5.jt = end;
    const b = this.f.jmp(B.BPF_JEQ);
    b.stmts = s;
    b.s.k = v >>> 0;
    this.freeReg(reg2);
    genAnd(b0, b);
    return b;
  }

  private genProtoDir(v: number, proto: number, dir: number): Block {
    if (dir !== Q.DEFAULT) throw new FilterError("direction applied to 'proto'");
    return this.genProto(v, proto);
  }

  private mcode(s1: string, s2: string | null, masklen: number, q: Qual): Block {
    const r = atoin(s1);
    if (!r) throw new FilterError(`invalid IPv4 address '${s1}'`);
    let [n, nlen] = r;
    n = nlen === 0 ? 0 : (n << (32 - nlen)) >>> 0;
    if (nlen === 32) n = r[0];
    let m: number;
    let shown: string;
    if (s2 !== null) {
      const r2 = atoin(s2);
      if (!r2) throw new FilterError(`invalid IPv4 address '${s2}'`);
      m = r2[1] === 32 ? r2[0] : (r2[0] << (32 - r2[1])) >>> 0;
      shown = `"${s1} mask ${s2}"`;
    } else {
      if (masklen > 32) throw new FilterError(`mask length must be <= 32`);
      m = masklen === 0 ? 0 : (0xffffffff << (32 - masklen)) >>> 0;
      shown = `"${s1}/${masklen}"`;
    }
    if ((n & ~m) >>> 0 !== 0) throw new FilterError(`non-network bits set in ${shown}`);
    switch (q.addr) {
      case Q.NET:
        return this.host(n, m, q.proto, q.dir, q.addr);
      default:
        throw new FilterError('Mask syntax for networks only');
    }
  }

  private mcode6(s: string, masklen: number, q: Qual): Block {
    const addr = parseIpv6(s);
    if (!addr) throw new FilterError(`invalid ip6 address ${s}`);
    if (masklen > 128) throw new FilterError('mask length must be <= 128');
    const mask = new Uint8Array(16);
    mask.fill(0xff, 0, masklen >> 3);
    if (masklen % 8) mask[masklen >> 3] = (0xff << (8 - (masklen % 8))) & 0xff;
    for (let i = 0; i < 16; i++)
      if ((addr[i] as number) & ~(mask[i] as number) & 0xff) throw new FilterError(`non-network bits set in "${s}/${masklen}"`);
    if ((q.addr === Q.DEFAULT || q.addr === Q.HOST) && masklen !== 128) throw new FilterError('Mask syntax for networks only');
    if (q.addr === Q.DEFAULT || q.addr === Q.HOST || q.addr === Q.NET) return this.host6(addr, mask, q.proto, q.dir, q.addr);
    throw new FilterError('invalid qualifier against IPv6 address');
  }

  private host6(addr: Uint8Array, mask: Uint8Array, proto: number, dir: number, type: number): Block {
    const typestr = type === Q.NET ? 'net' : 'host';
    switch (proto) {
      case Q.DEFAULT:
        return this.host6(addr, mask, Q.IPV6, dir, type);
      case Q.LINK:
        throw new FilterError(`link-layer modifier applied to ip6 ${typestr}`);
      case Q.IPV6:
        return this.hostop6(addr, mask, dir);
    }
    if (proto === Q.ATALK) throw new FilterError(`AppleTalk modifier applied to ip6 ${typestr}`);
    throw new FilterError(`'${protoName(proto)}' modifier applied to ip6 ${typestr}`);
  }

  private hostop6(addr: Uint8Array, mask: Uint8Array, dir: number): Block {
    let offset: number;
    switch (dir) {
      case Q.SRC:
        offset = 8;
        break;
      case Q.DST:
        offset = 24;
        break;
      case Q.AND:
      case Q.DEFAULT:
      case Q.OR: {
        const b0 = this.hostop6(addr, mask, Q.SRC);
        const b1 = this.hostop6(addr, mask, Q.DST);
        if (dir === Q.AND) genAnd(b0, b1);
        else genOr(b0, b1);
        return b1;
      }
      default:
        throw new FilterError('direction applied to host');
    }
    const w = (b: Uint8Array, i: number): number =>
      (((b[4 * i] as number) << 24) | ((b[4 * i + 1] as number) << 16) | ((b[4 * i + 2] as number) << 8) | (b[4 * i + 3] as number)) >>> 0;
    const b1 = this.mcmp('linkpl', offset + 12, B.BPF_W, w(addr, 3), w(mask, 3));
    let b0 = this.mcmp('linkpl', offset + 8, B.BPF_W, w(addr, 2), w(mask, 2));
    genAnd(b0, b1);
    b0 = this.mcmp('linkpl', offset + 4, B.BPF_W, w(addr, 1), w(mask, 1));
    genAnd(b0, b1);
    b0 = this.mcmp('linkpl', offset, B.BPF_W, w(addr, 0), w(mask, 0));
    genAnd(b0, b1);
    b0 = this.linktype(ETHERTYPE_IPV6);
    genAnd(b0, b1);
    return b1;
  }

  private ecode(s: string, q: Qual): Block {
    if ((q.addr === Q.HOST || q.addr === Q.DEFAULT) && q.proto === Q.LINK) {
      if (this.sll || this.isPppoes)
        throw new FilterError('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
      const ea = etherAton(s);
      return this.ehostop(ea, q.dir);
    }
    throw new FilterError('ethernet address used in non-ether expression');
  }

  private scode(name: string, q: Qual): Block {
    const proto = q.proto;
    switch (q.addr) {
      case Q.NET:
        throw new FilterError(`unknown network '${name}'`);
      case Q.DEFAULT:
      case Q.HOST:
        if (proto === Q.LINK) {
          if (this.sll || this.isPppoes)
            throw new FilterError('only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name');
          throw new FilterError(`unknown ether host '${name}'`);
        }
        if (name === 'localhost') return this.host(0x7f000001, 0xffffffff, proto, q.dir, q.addr);
        throw new FilterError(`unknown host '${name}'`);
      case Q.PORT: {
        const p = this.portProto(proto, 'port');
        const svc = SERVICES[name];
        if (!svc) throw new FilterError(`unknown port '${name}'`);
        const [port, which] = svc;
        let real = which === 'tcp' ? IPPROTO_TCP : which === 'udp' ? IPPROTO_UDP : PROTO_UNDEF;
        if (p !== PROTO_UNDEF) {
          if (real !== PROTO_UNDEF && real !== p) throw new FilterError(`port '${name}' is ${real === IPPROTO_TCP ? 'tcp' : 'udp'}`);
          real = p;
        }
        const b = this.port(port, real, q.dir);
        genOr(this.port6(port, real, q.dir), b);
        return b;
      }
      case Q.PORTRANGE: {
        const p = this.portProto(proto, 'portrange');
        const m = /^([0-9]+)-([0-9]+)$/.exec(name);
        let p1: number;
        let p2: number;
        if (m) {
          p1 = Number(m[1]);
          p2 = Number(m[2]);
          if (p1 > 65535) throw new FilterError(`illegal port number ${p1} > 65535`);
          if (p2 > 65535) throw new FilterError(`illegal port number ${p2} > 65535`);
        } else {
          const svc = SERVICES[name];
          if (!svc) throw new FilterError(`unknown port in range '${name}'`);
          p1 = p2 = svc[0];
        }
        const b = this.portrange(p1, p2, p, q.dir);
        genOr(this.portrange6(p1, p2, p, q.dir), b);
        return b;
      }
      case Q.GATEWAY:
        throw new FilterError("'gateway' not supported in this configuration");
      case Q.PROTO: {
        const v = this.lookupProto(name, proto);
        return this.genProtoDir(v, proto, q.dir);
      }
      case Q.PROTOCHAIN:
        return this.protochain(this.lookupProto(name, proto), proto);
    }
    throw syntaxError();
  }

  private lookupProto(name: string, proto: number): number {
    switch (proto) {
      case Q.DEFAULT:
      case Q.IP:
      case Q.IPV6: {
        const v = IP_PROTOS[name];
        if (v === undefined) throw new FilterError(`unknown ip proto '${name}'`);
        return v;
      }
      case Q.LINK: {
        const v = ETHER_PROTOS[name];
        if (v === undefined) throw new FilterError(`unknown ether proto '${name}'`);
        return v;
      }
    }
    throw new FilterError(`unknown protocol: ${name}`);
  }

  private idcode(q: Qual, v: IdVal): Block {
    switch (v.t) {
      case 'num':
        return this.ncode(null, v.v, q);
      case 'hid':
        return this.ncode(v.s, 0, q);
      case 'masklen':
        return this.mcode(v.s, null, v.len, q);
      case 'mask':
        return this.mcode(v.s, v.mask, 0, q);
      case 'eid':
        return this.ecode(v.s, q);
      case 'name':
        return this.scode(v.s, q);
      case 'hid6':
        return this.mcode6(v.s, v.len, q);
    }
  }

  // ---- arithmetic
  private loadi(v: number): ArthV {
    const reg = this.allocReg();
    return { s: [this.stmt(B.BPF_LD | B.BPF_IMM, v >>> 0), this.stmt(B.BPF_ST, reg)], regno: reg, b: null };
  }
  private loadlen(): ArthV {
    const reg = this.allocReg();
    return { s: [this.stmt(B.BPF_LD | B.BPF_LEN), this.stmt(B.BPF_ST, reg)], regno: reg, b: null };
  }
  private xferX(a: ArthV): Stmt {
    return this.stmt(B.BPF_LDX | B.BPF_MEM, a.regno);
  }
  private xferA(a: ArthV): Stmt {
    return this.stmt(B.BPF_LD | B.BPF_MEM, a.regno);
  }

  private load(proto: number, inst: ArthV, size: number): ArthV {
    let sz: number;
    switch (size) {
      case 1:
        sz = B.BPF_B;
        break;
      case 2:
        sz = B.BPF_H;
        break;
      case 4:
        sz = B.BPF_W;
        break;
      default:
        throw new FilterError('data size must be 1, 2, or 4');
    }
    const regno = this.allocReg();
    this.freeReg(inst.regno);
    switch (proto) {
      case Q.LINK: {
        inst.s.push(this.xferX(inst), this.stmt(B.BPF_LD | B.BPF_IND | sz, this.offLinkhdr));
        break;
      }
      case Q.IP:
      case Q.ARP:
      case Q.RARP:
      case Q.ATALK:
      case Q.DECNET:
      case Q.SCA:
      case Q.LAT:
      case Q.MOPRC:
      case Q.MOPDL:
      case Q.IPV6:
      case Q.CARP:
      case Q.VRRP: {
        inst.s.push(this.xferX(inst), this.stmt(B.BPF_LD | B.BPF_IND | sz, this.offLinkpl + this.offNl));
        const b = this.protoAbbrev(proto);
        if (inst.b) genAnd(inst.b, b);
        inst.b = b;
        break;
      }
      case Q.SCTP:
      case Q.TCP:
      case Q.UDP:
      case Q.ICMP:
      case Q.IGMP:
      case Q.IGRP:
      case Q.PIM: {
        inst.s.push(
          this.loadxIphdrlen(),
          this.xferA(inst),
          this.stmt(B.BPF_ALU | B.BPF_ADD | B.BPF_X),
          this.stmt(B.BPF_MISC | B.BPF_TAX),
          this.stmt(B.BPF_LD | B.BPF_IND | sz, this.offLinkpl + this.offNl),
        );
        const b = this.ipfrag();
        genAnd(this.protoAbbrev(proto), b);
        if (inst.b) genAnd(inst.b, b);
        genAnd(this.protoAbbrev(Q.IP), b);
        inst.b = b;
        break;
      }
      case Q.ICMPV6: {
        inst.s.push(this.xferX(inst), this.stmt(B.BPF_LD | B.BPF_IND | sz, this.offLinkpl + this.offNl + 40));
        const b0 = this.linktype(ETHERTYPE_IPV6);
        const b = this.cmp('linkpl', 6, B.BPF_B, 58);
        genAnd(b0, b);
        if (inst.b) genAnd(inst.b, b);
        inst.b = b;
        break;
      }
      default:
        throw new FilterError('unsupported index operation');
    }
    inst.regno = regno;
    inst.s.push(this.stmt(B.BPF_ST, regno));
    return inst;
  }

  private arthOp(op: string): number {
    switch (op) {
      case '+':
        return B.BPF_ADD;
      case '-':
        return B.BPF_SUB;
      case '*':
        return B.BPF_MUL;
      case '/':
        return B.BPF_DIV;
      case '%':
        return B.BPF_MOD;
      case '&':
        return B.BPF_AND;
      case '|':
        return B.BPF_OR;
      case '^':
        return B.BPF_XOR;
      case '<<':
        return B.BPF_LSH;
      default:
        return B.BPF_RSH;
    }
  }

  private arth(a: Arth): ArthV {
    return run(this.arthRec(a));
  }

  private *arthRec(a: Arth): Rec<ArthV> {
    switch (a.t) {
      case 'num':
        return this.loadi(a.v);
      case 'len':
        return this.loadlen();
      case 'load':
        return this.load(a.proto, (yield this.arthRec(a.index)) as ArthV, a.size);
      case 'neg': {
        const v = (yield this.arthRec(a.a)) as ArthV;
        v.s.push(this.xferA(v), this.stmt(B.BPF_ALU | B.BPF_NEG), this.stmt(B.BPF_ST, v.regno));
        return v;
      }
      case 'bin': {
        const a0 = (yield this.arthRec(a.a)) as ArthV;
        const a1 = (yield this.arthRec(a.b)) as ArthV;
        const code = this.arthOp(a.op);
        if (code === B.BPF_DIV || code === B.BPF_MOD) {
          if (a.b.t === 'num' && a.b.v === 0) throw new FilterError(code === B.BPF_DIV ? 'division by zero' : 'modulus by zero');
        } else if (code === B.BPF_LSH || code === B.BPF_RSH) {
          if (a.b.t === 'num' && a.b.v > 31) throw new FilterError('shift by more than 31 bits');
        }
        a0.s.push(...a1.s, this.xferX(a1), this.xferA(a0), this.stmt(B.BPF_ALU | B.BPF_X | code));
        this.freeReg(a0.regno);
        this.freeReg(a1.regno);
        const reg = this.allocReg();
        a0.regno = reg;
        a0.s.push(this.stmt(B.BPF_ST, reg));
        return a0;
      }
    }
  }

  private relation(op: string, x: Arth, y: Arth): Block {
    let code: number;
    let reversed = false;
    switch (op) {
      case '>':
        code = B.BPF_JGT;
        break;
      case '>=':
        code = B.BPF_JGE;
        break;
      case '=':
      case '==':
        code = B.BPF_JEQ;
        break;
      case '<=':
        code = B.BPF_JGT;
        reversed = true;
        break;
      case '<':
        code = B.BPF_JGE;
        reversed = true;
        break;
      default:
        code = B.BPF_JEQ;
        reversed = true;
        break;
    }
    const a0 = this.arth(x);
    const a1 = this.arth(y);
    let b: Block;
    const s: Stmt[] = [...a0.s, ...a1.s, this.xferX(a1), this.xferA(a0)];
    if (code === B.BPF_JEQ) {
      s.push(this.stmt(B.BPF_ALU | B.BPF_SUB | B.BPF_X));
      b = this.f.jmp(code);
    } else b = this.f.newBlock(B.BPF_JMP | code | B.BPF_X);
    if (reversed) genNot(b);
    b.stmts = s;
    this.freeReg(a0.regno);
    this.freeReg(a1.regno);
    let tmp: Block | null;
    if (a0.b) {
      if (a1.b) {
        genAnd(a0.b, a1.b);
        tmp = a1.b;
      } else tmp = a0.b;
    } else tmp = a1.b;
    if (tmp) genAnd(tmp, b);
    return b;
  }

  // ---- the tree
  gen(n: Node): Block {
    return run(this.genRec(n));
  }

  private *genRec(n: Node): Rec<Block> {
    switch (n.t) {
      case 'and': {
        const a = (yield this.genRec(n.a)) as Block;
        const b = (yield this.genRec(n.b)) as Block;
        genAnd(a, b);
        return b;
      }
      case 'or': {
        const a = (yield this.genRec(n.a)) as Block;
        const b = (yield this.genRec(n.b)) as Block;
        genOr(a, b);
        return b;
      }
      case 'not': {
        const a = (yield this.genRec(n.a)) as Block;
        genNot(a);
        return a;
      }
      case 'abbrev':
        return this.protoAbbrev(n.proto);
      case 'id':
        return this.idcode(n.q, n.v);
      case 'rel':
        return this.relation(n.op, n.a, n.b);
      case 'less':
      case 'greater': {
        const b = this.f.jmp(n.t === 'less' ? B.BPF_JGT : B.BPF_JGE);
        b.stmts = [this.stmt(B.BPF_LD | B.BPF_LEN)];
        b.s.k = n.n >>> 0;
        if (n.t === 'less') genNot(b);
        return b;
      }
      case 'broadcast':
        if ((n.proto === Q.DEFAULT || n.proto === Q.LINK) && (this.sll || this.isPppoes)) throw new FilterError('not a broadcast link');
        if (n.proto === Q.DEFAULT || n.proto === Q.LINK) return this.ehostop(new Uint8Array([255, 255, 255, 255, 255, 255]), Q.DST);
        if (n.proto === Q.IP) {
          const hostmask = ~this.netmask >>> 0;
          const b0 = this.linktype(ETHERTYPE_IP);
          const b1 = this.mcmp('linkpl', IPH_DADDR, B.BPF_W, 0, hostmask);
          const b2 = this.mcmp('linkpl', IPH_DADDR, B.BPF_W, hostmask, hostmask);
          genOr(b1, b2);
          genAnd(b0, b2);
          return b2;
        }
        throw new FilterError('only link-layer/IP broadcast filters supported');
      case 'multicast':
        if ((n.proto === Q.DEFAULT || n.proto === Q.LINK) && (this.sll || this.isPppoes)) {
          throw new FilterError(
            'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel',
          );
        }
        if (n.proto === Q.DEFAULT || n.proto === Q.LINK) {
          const b = this.f.jmp(B.BPF_JSET);
          b.s.k = 1;
          b.stmts = this.loadA('linkhdr', 0, B.BPF_B);
          return b;
        }
        if (n.proto === Q.IP) {
          const b0 = this.linktype(ETHERTYPE_IP);
          const b1 = this.ncmp('linkpl', IPH_DADDR, B.BPF_B, 0xffffffff, B.BPF_JGE, false, 224);
          genAnd(b0, b1);
          return b1;
        }
        if (n.proto === Q.IPV6) {
          const b0 = this.linktype(ETHERTYPE_IPV6);
          const b1 = this.cmp('linkpl', 24, B.BPF_B, 255);
          genAnd(b0, b1);
          return b1;
        }
        throw new FilterError(
          'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel',
        );
      case 'vlan': {
        if (this.mplsDepth > 0) throw new FilterError('no VLAN match after MPLS');
        if (this.isPppoes) throw new FilterError('no VLAN support for PPP');
        if (this.sll) throw new FilterError(`no VLAN support for ${this.cooked}`);
        let b0 = this.linktype(0x8100);
        let b1 = this.linktype(0x88a8);
        genOr(b0, b1);
        b0 = b1;
        b1 = this.linktype(0x9100);
        genOr(b0, b1);
        if (n.n !== null) {
          if (n.n > 4095) throw new FilterError(`VLAN tag ${n.n} greater than maximum 4095`);
          const b2 = this.mcmp('linkpl', 0, B.BPF_H, n.n, 0x0fff);
          genAnd(b1, b2);
          b1 = b2;
        }
        this.offLinktype += 4;
        this.offLinkpl += 4;
        return b1;
      }
      case 'gateway':
        throw new FilterError("'gateway' not supported in this configuration");
      case 'inbound':
      case 'outbound': {
        // Linux: the skb's pkt_type through the SKF_AD_PKTTYPE ancillary load.
        const b = this.f.jmp(B.BPF_JEQ);
        // Linux cooked v2 carries the packet type in its header; Ethernet needs the ancillary load.
        b.stmts = [
          this.dlt === 'LINUX_SLL2'
            ? this.stmt(B.BPF_LD | B.BPF_B | B.BPF_ABS, 10)
            : this.dlt === 'LINUX_SLL'
              ? this.stmt(B.BPF_LD | B.BPF_H | B.BPF_ABS, 0)
              : this.stmt(B.BPF_LD | B.BPF_H | B.BPF_ABS, (SKF_AD_OFF + SKF_AD_PKTTYPE) >>> 0),
        ];
        b.s.k = PACKET_OUTGOING;
        if (n.t === 'inbound') genNot(b);
        return b;
      }
      case 'pppoed':
        return this.linktype(0x8863);
      case 'pppoes': {
        let b0 = this.linktype(0x8864);
        if (n.n !== null) {
          const b1 = this.mcmp('linkpl', 0, B.BPF_W, n.n, 0x0000ffff);
          genAnd(b0, b1);
          b0 = b1;
        }
        // PUSH_LINKHDR(DLT_PPP): the PPP header 6 bytes past the PPPoE header's start
        this.offLinkhdr = this.offLinkpl + this.offNl + 6;
        this.offLinktype = this.offLinkhdr;
        this.offLinkpl = this.offLinkhdr + 2;
        this.offNl = 0;
        this.isPppoes = true;
        return b0;
      }
      case 'mpls': {
        if (this.sll && !this.isPppoes) throw new FilterError(`no MPLS support for ${this.cooked}`);
        if (n.n !== null && n.n > 0xfffff) throw new FilterError(`MPLS label ${n.n} greater than maximum 1048575`);
        let b0 =
          this.mplsDepth > 0 ? this.mcmp('linkpl', -2, B.BPF_B, 0, 0x01) : this.linktype(this.isPppoes ? PPP_MPLS_UCAST : ETHERTYPE_MPLS);
        if (n.n !== null) {
          const b1 = this.mcmp('linkpl', 0, B.BPF_W, (n.n << 12) >>> 0, 0xfffff000);
          genAnd(b0, b1);
          b0 = b1;
        }
        this.offNl += 4;
        this.mplsDepth++;
        return b0;
      }
      case 'byte': {
        switch (n.op) {
          case '=':
            return this.cmp('linkhdr', n.idx, B.BPF_B, n.v);
          case '<':
            return this.ncmp('linkhdr', n.idx, B.BPF_B, 0xffffffff, B.BPF_JGE, true, n.v);
          case '>':
            return this.ncmp('linkhdr', n.idx, B.BPF_B, 0xffffffff, B.BPF_JGT, false, n.v);
        }
        // libpcap 1.10 applies '&' and '|' to whatever the accumulator holds.
        const b = this.f.jmp(B.BPF_JEQ);
        b.stmts = [this.stmt(B.BPF_ALU | (n.op === '|' ? B.BPF_OR : B.BPF_AND) | B.BPF_K, n.v >>> 0)];
        genNot(b);
        return b;
      }
    }
  }
}

/** The protocol qualifiers as gencode.c's messages name them. */
const PROTO_NAMES: Record<number, string> = {
  [Q.LINK]: 'link',
  [Q.IP]: 'ip',
  [Q.ARP]: 'arp',
  [Q.RARP]: 'rarp',
  [Q.SCTP]: 'sctp',
  [Q.TCP]: 'tcp',
  [Q.UDP]: 'udp',
  [Q.ICMP]: 'icmp',
  [Q.IGMP]: 'igmp',
  [Q.IGRP]: 'igrp',
  [Q.ATALK]: 'atalk',
  [Q.DECNET]: 'decnet',
  [Q.LAT]: 'lat',
  [Q.SCA]: 'sca',
  [Q.MOPRC]: 'moprc',
  [Q.MOPDL]: 'mopdl',
  [Q.IPV6]: 'ip6',
  [Q.ICMPV6]: 'icmp6',
  [Q.AH]: 'ah',
  [Q.ESP]: 'esp',
  [Q.PIM]: 'pim',
  [Q.VRRP]: 'vrrp',
  [Q.AARP]: 'aarp',
  [Q.ISO]: 'iso',
  [Q.ESIS]: 'esis',
  [Q.ISIS]: 'isis',
  [Q.CLNP]: 'clnp',
  [Q.STP]: 'stp',
  [Q.IPX]: 'ipx',
  [Q.NETBEUI]: 'netbeui',
  [Q.CARP]: 'carp',
  [Q.RADIO]: 'radio',
};

function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}

/** gen_host's refusals for an IPv4 address under another protocol. */
const HOST_NOT_IMPLEMENTED: Record<number, string> = {
  [Q.ATALK]: 'AppleTalk',
  [Q.LAT]: 'LAT',
  [Q.SCA]: 'SCA',
  [Q.MOPRC]: 'MOPRC',
  [Q.MOPDL]: 'MOPDL',
  [Q.AARP]: 'AARP',
  [Q.ISO]: 'ISO',
  [Q.IPX]: 'IPX',
};

export { syntaxError };
